#!/usr/bin/env python3
"""What half-map local sharpening could reach on a harness design if it knew the truth.

    python3 bench/harness_window_oracle.py DESIGN_DIR [WINDOW_A ...]   # default windows: 16 24 32

The half-map local method (HalfMapSharpening, local mode) filters the average of the half maps
by shell weights measured in soft spherical windows on a lattice a third of a window apart,
gathered on frequency nodes 1.5 window shells apart with triangular weights, and blends them:
Σ_k W_k(x)·(A filtered by node k's triangle)(x), W_k interpolated trilinearly between window
centres. This script builds the same filter with each window's weights fitted to the truth,
W_k = Σ tri_k·Re(A_w·T_w*) / Σ tri_k·|A_w|² (A_w, T_w: the average and the truth times the
window), and the global filter fitted the same way inside the mask (> 0.5). The gain of the
first over the second, in correlation with the truth inside the mask, is what this class of
filter (isotropic shell weights varying smoothly in space) can gain over one global filter on
the design when its weights are exact: the half maps only estimate them.

Prints a TSV: window_A, cc_global, cc_windowed, gain. About a minute per window at 64³.
"""
import sys
import numpy as np
from numpy.fft import fftn, ifftn, fftfreq
from scipy import ndimage


def read_map(path):
    raw = open(path, "rb").read()
    n = np.frombuffer(raw[:12], "<i4")
    if int(np.frombuffer(raw[12:16], "<i4")[0]) != 2:
        sys.exit(f"{path}: expected float32 (mode 2)")
    ext = int(np.frombuffer(raw[92:96], "<i4")[0])
    cell = float(np.frombuffer(raw[40:44], "<f4")[0])
    data = np.frombuffer(raw[1024 + ext:1024 + ext + 4 * int(np.prod(n))], "<f4")
    return data.astype(np.float64).reshape(n[2], n[1], n[0]), cell / int(n[0])


def correlation(a, t, inside):
    x = a[inside] - a[inside].mean()
    y = t[inside] - t[inside].mean()
    return float(np.dot(x, y) / np.sqrt(np.dot(x, x) * np.dot(y, y)))


def frequencies(n, voxel):
    f = fftfreq(n) / voxel
    return np.sqrt(f[:, None, None] ** 2 + f[None, :, None] ** 2 + f[None, None, :] ** 2)


def soft_sphere(edge, radius):
    """1 out to radius/2, a raised cosine to 0 at radius (voxels), centred at edge // 2."""
    g = np.arange(edge) - edge // 2
    r = np.sqrt(g[:, None, None] ** 2 + g[None, :, None] ** 2 + g[None, None, :] ** 2)
    inner = radius / 2
    return np.where(r <= inner, 1.0, np.where(r >= radius, 0.0, 0.5 + 0.5 * np.cos(np.pi * (r - inner) / (radius - inner))))


def main(design, windows):
    truth, voxel = read_map(f"{design}/truth.mrc")
    inside = read_map(f"{design}/mask.mrc")[0] > 0.5
    average = (read_map(f"{design}/half1.mrc")[0] + read_map(f"{design}/half2.mrc")[0]) / 2
    n = average.shape[0]
    q = frequencies(n, voxel)
    fa = fftn(average)
    print("window_A\tcc_global\tcc_windowed\tgain")
    for diameter in windows:
        edge = 2 * int(np.ceil(diameter / voxel / 2)) + 2   # as LocalHalfMapStatistics.cubeEdge
        window = soft_sphere(edge, diameter / 2 / voxel)
        qw = frequencies(edge, voxel)
        spacing = 1.5 / (edge * voxel)
        nodes = np.arange(int(np.ceil(q.max() / spacing)) + 1) * spacing

        def triangle(freq, k):
            return np.clip(1 - np.abs(freq - nodes[k]) / spacing, 0, None)

        # The global filter, fitted inside the mask.
        fam, ftm = fftn(average * inside), fftn(truth * inside)
        cross, power = (fam * ftm.conj()).real, np.abs(fam) ** 2
        global_w = [float((triangle(q, k) * cross).sum() / max(1e-30, (triangle(q, k) * power).sum())) for k in range(len(nodes))]
        global_map = np.real(ifftn(fa * sum(w * triangle(q, k) for k, w in enumerate(global_w))))

        # Window weights on the lattice, fitted to the truth.
        step = diameter / 3 / voxel
        centres = np.arange(0, n, step)
        count = len(centres)
        weights = np.zeros((len(nodes), count, count, count))
        tris = [triangle(qw, k) for k in range(len(nodes))]
        for iz, z in enumerate(centres):
            for iy, y in enumerate(centres):
                for ix, x in enumerate(centres):
                    index = [(np.arange(edge) + int(round(v)) - edge // 2) % n for v in (z, y, x)]
                    a = fftn(average[np.ix_(*index)] * window)
                    t = fftn(truth[np.ix_(*index)] * window)
                    c, p = (a * t.conj()).real, np.abs(a) ** 2
                    for k, tri in enumerate(tris):
                        s = (tri * p).sum()
                        weights[k, iz, iy, ix] = (tri * c).sum() / s if s > 0 else 0.0
        grid = np.meshgrid(*(np.arange(n) / step,) * 3, indexing="ij")
        windowed = np.zeros_like(average)
        for k in range(len(nodes)):
            band = np.real(ifftn(fa * triangle(q, k)))
            periodic = np.pad(weights[k], ((0, 1),) * 3, mode="wrap")
            windowed += ndimage.map_coordinates(periodic, grid, order=1, mode="nearest") * band
        g, w = correlation(global_map, truth, inside), correlation(windowed, truth, inside)
        print(f"{diameter:g}\t{g:.4f}\t{w:.4f}\t{w - g:+.4f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], [float(a) for a in sys.argv[2:]] or [16, 24, 32])
