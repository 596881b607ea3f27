#!/usr/bin/env python3
"""How finely in space a filter must vary to gain on a harness design, judged with the truth.

    python3 bench/harness_fine_oracle.py DESIGN_DIR [SIGMA_A ...]   # default sigmas: 2 3 5 8

Finer than harness_window_oracle.py: every voxel gets its own weight per frequency band,
fitted to the truth in a Gaussian neighbourhood of standard deviation SIGMA (Å):
w_k(x) = G_σ*(A_k·T_k) / G_σ*(A_k²), with A_k and T_k half map 1 and the truth filtered by
band k (triangles 1/12 of Nyquist apart). Fitted this finely, the weights would also fit
the noise, so they are cross-validated: fitted on half map 1 and applied to half map 2's
bands, whose noise they have never seen. The global filter is fitted and applied the same
way (on half 1 inside the mask, then to half 2). Scores are the correlation with the truth
inside the mask (> 0.5); half map 2 alone is the baseline, so the numbers sit below those of
the average in the harness tables, and the gain is what matters.

The half maps cannot estimate weights this finely: a neighbourhood a few Å across holds too
few independent Fourier coefficients per band. So a gain that appears only at small SIGMA
needs knowledge of the truth that no half-map method has.

Prints a TSV: sigma_A, cc_global, cc_fine, gain. Seconds per sigma at 64³.
"""
import sys
import numpy as np
from numpy.fft import fftn, ifftn
from scipy import ndimage

from harness_window_oracle import correlation, frequencies, read_map


def main(design, sigmas, bands_to_nyquist=12):
    truth, voxel = read_map(f"{design}/truth.mrc")
    inside = read_map(f"{design}/mask.mrc")[0] > 0.5
    half1 = read_map(f"{design}/half1.mrc")[0]
    half2 = read_map(f"{design}/half2.mrc")[0]
    q = frequencies(half1.shape[0], voxel)
    nyquist = 0.5 / voxel
    nodes = np.linspace(0, nyquist * np.sqrt(3), int(bands_to_nyquist * np.sqrt(3)) + 1)
    spacing = nodes[1] - nodes[0]
    triangles = [np.clip(1 - np.abs(q - c) / spacing, 0, None) for c in nodes]
    f1, f2, ft = fftn(half1), fftn(half2), fftn(truth)
    bands1 = [np.real(ifftn(f1 * t)) for t in triangles]
    bands2 = [np.real(ifftn(f2 * t)) for t in triangles]
    bands_t = [np.real(ifftn(ft * t)) for t in triangles]

    masked1, masked_t = fftn(half1 * inside), fftn(truth * inside)
    cross, power = (masked1 * masked_t.conj()).real, np.abs(masked1) ** 2
    global_w = [(t * cross).sum() / max(1e-30, (t * power).sum()) for t in triangles]
    cc_global = correlation(sum(w * b for w, b in zip(global_w, bands2)), truth, inside)

    print("sigma_A\tcc_global\tcc_fine\tgain")
    for sigma in sigmas:
        s = sigma / voxel
        fine = np.zeros_like(half1)
        for b1, b2, bt in zip(bands1, bands2, bands_t):
            num = ndimage.gaussian_filter(b1 * bt, s, mode="wrap")
            den = ndimage.gaussian_filter(b1 * b1, s, mode="wrap")
            fine += num / np.maximum(den, 1e-12 * den.max()) * b2
        cc = correlation(fine, truth, inside)
        print(f"{sigma:g}\t{cc_global:.4f}\t{cc:.4f}\t{cc - cc_global:+.4f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], [float(a) for a in sys.argv[2:]] or [2, 3, 5, 8])
