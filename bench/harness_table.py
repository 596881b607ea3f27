#!/usr/bin/env python3
"""Tables of the sharpening harness (bench/sharpening_harness.sh) and issue 16's targets.

    python3 bench/harness_table.py OUT

reads OUT/<design>/report/data/truth_truth.tsv (one row per method: the correlation with the
truth inside the mask and in its better- and worse-resolved halves) and truth_shells.tsv (the
FSC with the truth per shell, masked and over the whole box) and prints markdown:
1. the correlation with the truth, every method by design, the best per design in bold;
2. the targets per design: the best local method against the best global one, the methods
   whose default scores below the unsharpened map, the recommended map against the best, and
   density modification's gain at the 0.5 crossing of the FSC with the truth and its worst
   shell change, over the whole box and in the mask (every shell, and the shells where the
   unsharpened average's masked FSC is at least 0.143, short of the 5 % next to Nyquist:
   there the mask's convolution mixes neighbouring shells, so a radial weight alone moves
   the masked FSC); and, where OUT/<design>/oracle.tsv exists
   (bench/harness_oracle.py), what shell filters fitted to the truth in 2 and 4 regions gain
   over one fitted globally: the yardstick of the local methods' gain.
"""
import csv, glob, os, sys

GLOBAL = ["RELION auto-B", "auto-sharpen (adjusted SA)", "auto-sharpen (kurtosis)", "half-map (sharpen cell)", "half-map global", "half-map anisotropic"]
LOCAL = ["half-map local", "half-map local (sharpen cell)", "local cubes (adjusted SA)", "LocalDeblur one round", "LocalDeblur automatic"]
# RELION auto-B reproduces relion_postprocess (it flattens the whole Guinier slope); it is a
# reference, not a default mapbook chooses, so the "never below none" target leaves it out.
# "local cubes (adjusted SA)" asks the sharpen cell for cubes scored by adjusted surface area
# (method and score given): with half maps its default is the half_map method, whose local
# form is the row "half-map local (sharpen cell)"; the cubes are shown, not a default.
REFERENCE_ONLY = {"RELION auto-B", "local cubes (adjusted SA)"}

def read_tsv(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))

def crossing(freq, fsc, level=0.5):
    """Resolution (Å) where the curve first falls below level, linear in frequency."""
    for i in range(1, len(fsc)):
        if fsc[i] is None:
            return 1 / freq[i - 1]
        if fsc[i] < level:
            f0, f1, v0, v1 = freq[i - 1], freq[i], fsc[i - 1], fsc[i]
            return 1 / (f0 + (f1 - f0) * (v0 - level) / (v0 - v1))
    return 1 / freq[-1]

def main(out):
    designs = {}
    for tsv in sorted(glob.glob(os.path.join(out, "*", "report", "data", "truth_truth.tsv"))):
        name = tsv.split(os.sep)[-4]
        rows = {r["map"]: r for r in read_tsv(tsv)}
        shells = os.path.join(os.path.dirname(tsv), "truth_truth_shells.tsv")
        designs[name] = (rows, read_tsv(shells) if os.path.exists(shells) else [])
    if not designs:
        sys.exit("no design produced a truth table")
    names = list(designs)
    methods = []
    for rows, _ in designs.values():
        methods += [m for m in rows if m not in methods]
    cc = lambda d, m: float(designs[d][0][m]["cc_mask"]) if m in designs[d][0] and designs[d][0][m]["cc_mask"] else None

    print("## Correlation with the truth inside the mask\n")
    print("Better / worse-resolved halves of the mask in brackets; the best per design in bold.\n")
    print("| method | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for m in methods:
        cells = []
        for d in names:
            v = cc(d, m)
            if v is None:
                cells.append("—"); continue
            r = designs[d][0][m]
            best = max(x for x in (cc(d, k) for k in designs[d][0]) if x is not None)
            text = f"{v:.3f}"
            if r["cc_better"] and r["cc_worse"]:
                text += f" ({float(r['cc_better']):.2f} / {float(r['cc_worse']):.2f})"
            cells.append(f"**{text}**" if v == best else text)
        print(f"| {m} | " + " | ".join(cells) + " |")

    print("\n## Targets\n")
    print("| design | best local − best global | truth-fitted regional − global, 2 / 4 regions | below none (default) | recommended − best | DM gain at 0.5, box / mask (Å) | DM worst shell, box / mask / mask where the average's FSC ≥ 0.143 |")
    print("|---|---|---|---|---|---|---|")
    for d in names:
        rows, shells = designs[d]
        none = cc(d, "none")
        g = [(cc(d, m), m) for m in GLOBAL if cc(d, m) is not None]
        l = [(cc(d, m), m) for m in LOCAL if cc(d, m) is not None]
        local_gain = f"{max(l)[0] - max(g)[0]:+.3f} ({max(l)[1]} vs {max(g)[1]})" if g and l else "—"
        below = [m for m in rows if m not in ("none",) and m not in REFERENCE_ONLY and cc(d, m) is not None and none is not None and cc(d, m) < none]
        best = max(x for x in (cc(d, k) for k in rows) if x is not None)
        rec = f"{cc(d, 'recommended') - best:+.3f}" if cc(d, "recommended") is not None else "—"
        dm = "—"; worst = "—"
        if shells and "box: density modification" in shells[0]:
            freq = [float(s["frequency"]) for s in shells]
            def curve(key):
                return [float(s[key]) if s[key] else None for s in shells]
            parts, drops = [], []
            for kind in ("box", "masked"):
                a, b = curve(f"{kind}: none"), curve(f"{kind}: density modification")
                parts.append(f"{crossing(freq, a) - crossing(freq, b):+.2f}")
                drops.append(min((y - x) for x, y in zip(a[1:], b[1:]) if x is not None and y is not None))
            a, b = curve("masked: none"), curve("masked: density modification")
            band = 0.95 * (len(shells) - 1)
            signal = [y - x for i, (x, y) in enumerate(zip(a, b)) if 0 < i < band and x is not None and y is not None and x >= 0.143]
            drops.append(min(signal) if signal else 0.0)
            dm = " / ".join(parts)
            worst = " / ".join(f"{x:+.3f}" for x in drops)
        oracle_path = os.path.join(out, d, "oracle.tsv")
        oracle = "—"
        if os.path.exists(oracle_path):
            gains = {r["filter"]: float(r["gain_over_global"]) for r in read_tsv(oracle_path)}
            if "2 regions" in gains and "4 regions" in gains:
                oracle = f"{gains['2 regions']:+.3f} / {gains['4 regions']:+.3f}"
        print(f"| {d} | {local_gain} | {oracle} | {', '.join(below) or 'none'} | {rec} | {dm} | {worst} |")

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/mapbook-harness")
