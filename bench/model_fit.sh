#!/usr/bin/env bash
# Benchmark: `mapbook model-fit` (map–model FSC, CC family, d99/d_model, Q-score, atom
# inclusion) on 2 threads. Targets (issue 15): the 4,468 scored atoms of 5ME2 on EMD-3488 in
# at most 2 s; a 50,000-atom model on a 300³ map in at most 20 s.
#
# usage: bench/model_fit.sh [--keep]
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with `swift build -c release`
#                  when that default is missing)
#   MAPBOOK_DATA   shared data (default ../shared/data): emd_3488/emd_3488.mrc and 5me2.pdb
#   BENCH_THREADS  threads (default 2)
#   TMPDIR         where the temp dir goes (default /tmp); nothing is written inside the repository
# needs: GNU /usr/bin/time, awk.
#
# The large case tiles 12 copies of 5ME2 (3 × 2 × 2, 75 Å apart) into one model of about 53,600
# atoms, makes its 3 Å model map on a 300³ grid at 1 Å (`mapbook model-map` on the grid of a
# synthetic pair) and fits the model to it. Each case runs once untimed first (FFTW plans for
# new sizes, saved as wisdom), then timed.
set -euo pipefail
KEEP=0
[[ "${1:-}" == "--keep" ]] && KEEP=1
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
DATA="${MAPBOOK_DATA:-$REPO/../shared/data}"
THREADS="${BENCH_THREADS:-2}"
MAPBOOK="${MAPBOOK:-.build/release/mapbook}"
[[ -x "$MAPBOOK" ]] || swift build -c release
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
MAP="$DATA/emd_3488/emd_3488.mrc"; MODEL="$DATA/emd_3488/5me2.pdb"
[[ -f "$MAP" && -f "$MODEL" ]] || { echo "the shared EMD-3488 data is absent (set MAPBOOK_DATA)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mapbook_model_fit.XXXXXX")"
cleanup() { if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi; }
trap cleanup EXIT

# timed LABEL TARGET_SECONDS ARGS...: one untimed warm-up, then the timed run; prints one row.
timed() {
    local label="$1" target="$2"; shift 2
    "$MAPBOOK" model-fit "$@" -o "$WORK/warm_$label" --threads "$THREADS" --quiet >/dev/null
    /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$MAPBOOK" model-fit "$@" -o "$WORK/$label" --threads "$THREADS" --quiet > "$WORK/$label.out"
    read -r wall rss < "$WORK/$label.time"
    local atoms; atoms=$(awk '/^Atoms:/ {print $2}' "$WORK/$label.out")
    printf '%-28s %8s atoms %8.2f s (target ≤ %s s) %8.0f MiB\n' "$label" "$atoms" "$wall" "$target" "$(echo "$rss / 1024" | bc -l)"
}

echo "== EMD-3488 with 5ME2 (100³ at 1.05 Å)"
timed emd3488_5me2 2 "$MAP" "$MODEL" --resolution 3.2

echo "== 12 copies of 5ME2 (3 × 2 × 2, 75 Å apart) on a 300³ grid at 1 Å"
awk 'BEGIN { split("0 0 0 75 0 0 150 0 0 0 75 0 75 75 0 150 75 0 0 0 75 75 0 75 150 0 75 0 75 75 75 75 75 150 75 75", o, " ") }
     /^(ATOM|HETATM)/ { n++; line[n] = $0; x = substr($0, 31, 8) + 0; y = substr($0, 39, 8) + 0; z = substr($0, 47, 8) + 0
                        if (n == 1 || x < mx) mx = x; if (n == 1 || y < my) my = y; if (n == 1 || z < mz) mz = z }
     END { for (c = 0; c < 12; c++) for (i = 1; i <= n; i++) {
             l = line[i]; x = substr(l, 31, 8) - mx + 40 + o[3*c+1]; y = substr(l, 39, 8) - my + 40 + o[3*c+2]; z = substr(l, 47, 8) - mz + 40 + o[3*c+3]
             chain = substr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", (c * 4 + index("ABCD", substr(l, 22, 1)) - 1) % 52 + 1, 1)
             printf "%s%s%s%8.3f%8.3f%8.3f%s\n", substr(l, 1, 21), chain, substr(l, 23, 8), x, y, z, substr(l, 55) }
           print "END" }' "$MODEL" > "$WORK/big.pdb"
"$MAPBOOK" synthetic-pair --size 300 --voxel 1.0 --resolution 4 --seed 1 -o "$WORK/grid" --quiet
"$MAPBOOK" model-map "$WORK/big.pdb" --like "$WORK/grid/half1.mrc" --resolution 3 -o "$WORK/big_map.mrc" --quiet
timed big_12x5me2_300 20 "$WORK/big_map.mrc" "$WORK/big.pdb" --resolution 3
echo "load average: $(awk '{print $1" "$2" "$3}' /proc/loadavg)"
