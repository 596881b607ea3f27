#!/usr/bin/env bash
# The sharpening harness (issue 16): simulate datasets with a known truth, run every
# sharpening method and density modification on each (fixtures/harness/plan.yaml), and print
# one table of the correlation with the truth inside the mask, per method and design.
#
#   bash bench/sharpening_harness.sh [SIZE] [OUT]        # defaults: 64, /tmp/mapbook-harness
#
# Designs (built-in helix bundle, 1 Å voxels unless said): uniform local resolution at 3 Å and
# at 6 Å; a radial and a split design from 3.5 to 6 Å with the half-map FSC at 0.143 at 4 Å;
# and, when MAPBOOK_DATA holds emd_3488 (PDB 5ME2), the real model with a radial design.
# Each design is made with a fixed seed, so the table is reproducible; the sizes and the
# machine go in the header.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE=${1:-64}
OUT=${2:-/tmp/mapbook-harness}
DATA=${MAPBOOK_DATA:-../shared/data}
swift build -c release --product mapbook >/dev/null
BIN="$(swift build -c release --show-bin-path)/mapbook"
mkdir -p "$OUT"

design() {   # name, then simulate's options
    local name=$1; shift
    if [ ! -f "$OUT/$name/half1.mrc" ]; then
        "$BIN" simulate "$@" --seed 1 -o "$OUT/$name" --quiet >/dev/null
    fi
    cp fixtures/harness/plan.yaml "$OUT/$name/plan.yaml"
    local start=$SECONDS
    "$BIN" run "$OUT/$name/plan.yaml" -o "$OUT/$name/report" --formats html --quiet >/dev/null || true
    echo "$name: $((SECONDS - start)) s" >&2
}

design helix_uniform_3A --size "$SIZE" --resolution 3
design helix_uniform_6A --size "$SIZE" --resolution 6 --voxel 1.5
design helix_radial_4A --size "$SIZE" --resolution 4 --local-pattern radial --best-resolution 3.5 --worst-resolution 6
design helix_split_4A --size "$SIZE" --resolution 4 --local-pattern split --best-resolution 3.5 --worst-resolution 6
if [ -f "$DATA/emd_3488/5me2.pdb" ]; then
    design 5me2_radial_4A --model "$DATA/emd_3488/5me2.pdb" --voxel 1.2 --resolution 4 --local-pattern radial --best-resolution 3.5 --worst-resolution 6
else
    echo "skipping 5ME2: $DATA/emd_3488/5me2.pdb not found (set MAPBOOK_DATA)" >&2
fi

# One table: rows are methods, columns designs; CC with the truth inside the mask.
python3 - "$OUT" <<'PY'
import csv, glob, os, sys
out = sys.argv[1]
tables = {}
for tsv in sorted(glob.glob(os.path.join(out, "*", "report", "data", "truth_truth.tsv"))):
    design = tsv.split(os.sep)[-4]
    with open(tsv) as f:
        tables[design] = {r["map"]: r for r in csv.DictReader(f, delimiter="\t")}
if not tables:
    sys.exit("no design produced a truth table")
designs = list(tables)
methods = list(next(iter(tables.values())))
print("CC with the truth inside the mask (better / worse-resolved halves in brackets); best per design in bold\n")
print("| method | " + " | ".join(designs) + " |")
print("|---|" + "---|" * len(designs))
for m in methods:
    cells = []
    for d in designs:
        r = tables[d].get(m)
        if r is None or not r["cc_mask"]:
            cells.append("failed"); continue
        best = max(float(x["cc_mask"]) for x in tables[d].values() if x["cc_mask"])
        text = f'{float(r["cc_mask"]):.3f}'
        if r["cc_better"] and r["cc_worse"]:
            text += f' ({float(r["cc_better"]):.2f} / {float(r["cc_worse"]):.2f})'
        cells.append(f"**{text}**" if float(r["cc_mask"]) == best else text)
    print(f"| {m} | " + " | ".join(cells) + " |")
PY
