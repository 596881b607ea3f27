#!/usr/bin/env bash
# The sharpening harness (issue 16): simulate datasets with a known truth, run every
# sharpening method and density modification on each (fixtures/harness/plan.yaml), and print
# one table of the correlation with the truth inside the mask, per method and design.
#
#   bash bench/sharpening_harness.sh [SIZE] [OUT]        # defaults: 64, /tmp/mapbook-harness
#
# The tables (bench/harness_table.py) score every method and check issue 16's targets;
# bench/harness_oracle.py measures, with the truth, what regional filtering could gain on
# each simulated design (the yardstick for the local methods); bench/harness_window_oracle.py
# DESIGN_DIR (about a minute per window size, so run by hand) builds half-map local's own
# windowed filter with weights fitted to the truth: what that class of filter could gain;
# bench/harness_fine_oracle.py DESIGN_DIR fits per-voxel weights to the truth, cross-validated
# between the halves: how finely in space a filter must vary to gain.
#
# Designs (seed fixed per design, so the table is reproducible). Most attenuate only the half
# maps' signal by a B-factor envelope and leave the truth sharp (--blur bfactor), as
# flexibility and imaging do in real data: then sharpening has something to recover.
#   helix_domains_3A    built-in helices, alternate chains at envelope B 20 and 200 Å², 0.143 at 3 Å
#   helix_radial_4A     radial envelope from B 20 (centre) to 150 Å² (edge), 4 Å
#   helix_split_4A      the two halves of the bundle at B 20 and 150 Å², 4 Å
#   helix_uniform_3.5A  one envelope (B 80 Å²) everywhere, 3.5 Å
#   helix_aniso_4A      one envelope (B 60 Å²), the FSC 1.5× worse along z, 4 Å
#   helix_uniform_6A    one envelope (B 60 Å²), 6 Å at 1.5 Å voxels
#   5me2_domains_3A     PDB 5ME2 (EMD-3488's model): chains A, C at B 20 and B, D at 300 Å², 3 Å
#   5me2_radial_4A      5ME2 with a radial envelope from 20 to 150 Å², 4 Å
#   helix_radial300_4A  the radial design at the contrast of issue 16's two-domain example,
#                       B 20 (centre) to 300 Å² (edge), 4 Å
#   5me2_radial300_4A   the same with 5ME2
#   lowpass_radial_4A   the old design: the truth itself low-passed from 3.5 to 6 Å and the
#                       halves holding it at full amplitude out to each region's cut-off. Only
#                       removing the noise beyond the cut-offs can help against such a truth:
#                       methods that restore a sharp molecule's fall-off read the regional
#                       cut-offs as an envelope and are penalised (kept to show what each does)
# and, when MAPBOOK_DATA holds emd_3488, the deposited EMD-3488 map scored against its B = 0
# model (single-map methods only: there are no half maps).
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
        "$BIN" simulate "$@" -o "$OUT/$name" --quiet >/dev/null
    fi
    cp fixtures/harness/plan.yaml "$OUT/$name/plan.yaml"
    local start=$SECONDS
    "$BIN" run "$OUT/$name/plan.yaml" -o "$OUT/$name/report" --formats html --quiet >/dev/null || true
    # What regional filters fitted to the truth gain over a global one (the local methods' yardstick).
    python3 bench/harness_oracle.py "$OUT/$name" > "$OUT/$name/oracle.tsv"
    echo "$name: $((SECONDS - start)) s" >&2
}

ENV="--blur bfactor"
design helix_domains_3A --size "$SIZE" --resolution 3 --local-pattern domains $ENV --sharp-bfactor 20 --blurred-bfactor 200 --seed 1
design helix_radial_4A --size "$SIZE" --resolution 4 --local-pattern radial $ENV --sharp-bfactor 20 --blurred-bfactor 150 --seed 2
design helix_radial300_4A --size "$SIZE" --resolution 4 --local-pattern radial $ENV --sharp-bfactor 20 --blurred-bfactor 300 --seed 2
design helix_split_4A --size "$SIZE" --resolution 4 --local-pattern split $ENV --sharp-bfactor 20 --blurred-bfactor 150 --seed 3
design helix_uniform_3.5A --size "$SIZE" --resolution 3.5 $ENV --sharp-bfactor 80 --seed 4
design helix_aniso_4A --size "$SIZE" --resolution 4 --anisotropy 1.5 $ENV --sharp-bfactor 60 --seed 5
design helix_uniform_6A --size "$SIZE" --resolution 6 --voxel 1.5 $ENV --sharp-bfactor 60 --seed 6
design lowpass_radial_4A --size "$SIZE" --resolution 4 --local-pattern radial --best-resolution 3.5 --worst-resolution 6 --seed 7
if [ -f "$DATA/emd_3488/5me2.pdb" ]; then
    M="$DATA/emd_3488/5me2.pdb"
    design 5me2_domains_3A --model "$M" --voxel 1.2 --resolution 3 --local-pattern domains $ENV --sharp-bfactor 20 --blurred-bfactor 300 --seed 8
    design 5me2_radial_4A --model "$M" --voxel 1.2 --resolution 4 --local-pattern radial $ENV --sharp-bfactor 20 --blurred-bfactor 150 --seed 9
    design 5me2_radial300_4A --model "$M" --voxel 1.2 --resolution 4 --local-pattern radial $ENV --sharp-bfactor 20 --blurred-bfactor 300 --seed 9
    # The real map, against its model at B = 0 (every atom of 5ME2 has B = 23.13 Å²).
    R="$OUT/emd3488_real"
    mkdir -p "$R"
    for f in emd_3488.mrc 5me2.pdb 5me2_seqres.fasta; do ln -sf "$(cd "$DATA/emd_3488" && pwd)/$f" "$R/$f"; done
    [ -f "$R/model_b0.mrc" ] || "$BIN" model-map "$R/5me2.pdb" --like "$R/emd_3488.mrc" --bfactor -23 -o "$R/model_b0.mrc" --quiet
    [ -f "$R/model_mask.mrc" ] || "$BIN" model-mask "$R/5me2.pdb" --like "$R/emd_3488.mrc" -o "$R/model_mask.mrc" --quiet
    cp fixtures/harness/emd3488.yaml "$R/plan.yaml"
    "$BIN" run "$R/plan.yaml" -o "$R/report" --formats html --quiet >/dev/null || true
else
    echo "skipping 5ME2 and EMD-3488: $DATA/emd_3488/5me2.pdb not found (set MAPBOOK_DATA)" >&2
fi

python3 bench/harness_table.py "$OUT"
