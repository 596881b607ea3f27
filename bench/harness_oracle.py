#!/usr/bin/env python3
"""How much any regional sharpening could gain on a harness design, measured with the truth.

    python3 bench/harness_oracle.py DESIGN_DIR > DESIGN_DIR/oracle.tsv

For a simulated design (half1.mrc, half2.mrc, truth.mrc, mask.mrc, localres.mrc), the average
of the half maps is filtered by per-shell weights fitted against the truth,
w(s) = Σ_shell Re(A·T*) / Σ_shell |A|² (the least-squares shell filter of the average towards
the truth), first over the mask (above 0.5, where the correlation is scored), then separately
in 2 and 4 regions of it cut at quantiles of the true local resolution, blended with
Gaussian-smoothed region weights (σ 2 voxels). The
correlation with the truth inside the mask (> 0.5) of each result, and the gain of the
regional filters over the global one, tell what a local method can hope for on the design:
no half-map method can know the truth's weights, so a local method that gains little where
this gain is small has little to find. (A filter finer than the regions can do somewhat
better; the figure is a yardstick, not a bound.)

Prints a TSV: filter, cc_mask, gain_over_global.
"""
import sys
import numpy as np
from numpy.fft import rfftn, irfftn


def read_map(path):
    raw = open(path, "rb").read()
    n = np.frombuffer(raw[:12], "<i4")
    mode = int(np.frombuffer(raw[12:16], "<i4")[0])
    if mode != 2:
        sys.exit(f"{path}: mode {mode}, expected float32 (2)")
    ext = int(np.frombuffer(raw[92:96], "<i4")[0])
    count = int(np.prod(n))
    return np.frombuffer(raw[1024 + ext:1024 + ext + 4 * count], "<f4").astype(np.float64).reshape(n[2], n[1], n[0])


def main(design):
    h1, h2 = read_map(f"{design}/half1.mrc"), read_map(f"{design}/half2.mrc")
    average = (h1 + h2) / 2
    truth, mask, local = (read_map(f"{design}/{f}.mrc") for f in ("truth", "mask", "localres"))
    shape = average.shape
    axes = (0, 1, 2)
    k = [np.fft.fftfreq(s) for s in shape[:2]] + [np.fft.rfftfreq(shape[2])]
    kz, ky, kx = np.meshgrid(*k, indexing="ij")
    radius = np.sqrt(kx ** 2 + ky ** 2 + kz ** 2)
    shell = np.rint(radius * shape[0]).astype(int)
    shells = shell.max() + 1
    spectrum = rfftn(average, axes=axes)

    def weights(region):
        a, t = rfftn(average * region, axes=axes), rfftn(truth * region, axes=axes)
        cross = np.bincount(shell.ravel(), (a * np.conj(t)).real.ravel(), shells)
        power = np.bincount(shell.ravel(), (np.abs(a) ** 2).ravel(), shells)
        return np.where(power > 0, cross / np.maximum(power, 1e-30), 0.0)

    def filtered(w):
        return irfftn(spectrum * w[shell], s=shape, axes=axes)

    def smooth(a, sigma=2.0):
        return irfftn(rfftn(a, axes=axes) * np.exp(-2 * np.pi ** 2 * sigma ** 2 * radius ** 2), s=shape, axes=axes)

    inside = mask > 0.5
    y = truth[inside] - truth[inside].mean()

    def cc(a):
        x = a[inside] - a[inside].mean()
        return float(np.dot(x, y) / np.sqrt(np.dot(x, x) * np.dot(y, y)))

    # Fitted where the correlation is scored (the mask above 0.5): a fit over the soft mask
    # also weighs its edge and solvent, which moves the scored correlation by up to 0.02.
    scored = inside.astype(np.float64)
    whole = cc(filtered(weights(scored)))
    print("filter\tcc_mask\tgain_over_global")
    print(f"global\t{whole:.6f}\t0")
    for regions in (2, 4):
        cuts = np.quantile(local[inside], np.linspace(0, 1, regions + 1)[1:-1])
        label = np.digitize(local, cuts)
        blend, total = np.zeros(shape), np.zeros(shape)
        for r in range(regions):
            region = scored * (label == r)
            w = smooth(region) + 1e-6
            blend += w * filtered(weights(region))
            total += w
        value = cc(blend / total)
        print(f"{regions} regions\t{value:.6f}\t{value - whole:.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
