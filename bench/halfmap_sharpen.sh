#!/usr/bin/env bash
# Benchmark: half-map sharpening of a 256^3 pair on 2 threads — global (its FFT floor: four
# transforms and one pass), local (budget 30 s) and anisotropic — side by side in one run.
#
# usage: bench/halfmap_sharpen.sh [--keep]
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with `swift build -c release`
#                  when missing)
#   BENCH_SIZE     box edge in voxels (default 256)    BENCH_THREADS  threads (default 2)
#   BENCH_BUDGET   seconds allowed for local mode (default 30)
#   TMPDIR         where the temp dir goes (default /tmp); nothing is written inside the repository
# needs: GNU /usr/bin/time.
#
# The pair is `mapbook synthetic-pair` (FSC 0.143 at 3.5 Å, 1 Å voxels), sharpened without a
# mask, so every window of the local mode holds molecule: the worst case. A first, untimed
# run lets FFTW measure its plans.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_setup halfmap_sharpen "$@"
SIZE="${BENCH_SIZE:-256}"; BUDGET="${BENCH_BUDGET:-30}"
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

bench_pair "$SIZE"

echo "== warm-up (FFTW plans, untimed)"
"$MAPBOOK" halfmap-sharpen "$H1" "$H2" --mode local --threads "$THREADS" -o "$WORK/warm" --quiet > /dev/null
LOAD_BEFORE="$(bench_load)"
for mode in global local anisotropic; do
    echo "== $mode (timed)"
    /usr/bin/time -f '%e %M' -o "$WORK/$mode.time" "$MAPBOOK" halfmap-sharpen "$H1" "$H2" --mode "$mode" \
        --threads "$THREADS" -o "$WORK/$mode" --quiet | grep -v "^Wrote" || true
done
LOAD_AFTER="$(bench_load)"
echo
read -r GLOBAL GLOBAL_RSS < <(tail -n 1 "$WORK/global.time")
printf "%-12s %8s %10s %12s\n" mode seconds "peak MB" "× global"
for mode in global local anisotropic; do
    read -r T RSS < <(tail -n 1 "$WORK/$mode.time")
    awk -v m="$mode" -v t="$T" -v r="$RSS" -v g="$GLOBAL" 'BEGIN { printf "%-12s %8.2f %10.0f %12.1f\n", m, t, r / 1024, t / g }'
done
read -r LOCAL _ < <(tail -n 1 "$WORK/local.time")
echo "load average before / after: ${LOAD_BEFORE} / ${LOAD_AFTER} (a shared machine inflates the times)"
awk -v d="$LOCAL" -v b="$BUDGET" 'BEGIN { exit !(d <= b) }' && echo "local mode within budget (${BUDGET} s)" || echo "local mode OVER BUDGET (${BUDGET} s)"
