#!/usr/bin/env bash
# Benchmark: the directional FSC (256 cones of 20° over the half sphere) of a 256^3 half-map
# pair, side by side with the global FSC alone (its FFT floor), on 2 threads. Budget: 5 s for
# the directional part.
#
# usage: bench/directional_fsc.sh [--keep]
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with `swift build -c release`
#                  when missing)
#   BENCH_SIZE     box edge in voxels (default 256)    BENCH_THREADS  threads (default 2)
#   BENCH_BUDGET   seconds allowed for the directional part (default 5)
#   TMPDIR         where the temp dir goes (default /tmp); nothing is written inside the repository
# needs: GNU /usr/bin/time.
#
# The pair is `mapbook synthetic-pair` (FSC 0.143 at 3.5 Å, 1 Å voxels) with the automatic mask.
# `mapbook fsc --no-directional` times the global FSC alone (two transforms of the halves, two
# of the masked halves, two of the phase-randomised ones, the mask); `mapbook fsc` times the
# same plus the directional FSC (two transforms of the masked halves and one binning pass).
# The directional part is the difference. A first, untimed run lets FFTW measure its plans.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_setup directional_fsc "$@"
SIZE="${BENCH_SIZE:-256}"; BUDGET="${BENCH_BUDGET:-5}"
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

bench_pair "$SIZE"

echo "== warm-up (FFTW plans, untimed)"
"$MAPBOOK" fsc "$H1" "$H2" --auto-mask --threads "$THREADS" --quiet > /dev/null
LOAD_BEFORE="$(bench_load)"
echo "== global FSC alone (timed)"
/usr/bin/time -f '%e %M' -o "$WORK/global.time" "$MAPBOOK" fsc "$H1" "$H2" --auto-mask --no-directional --threads "$THREADS" --quiet > /dev/null
echo "== global + directional FSC (timed)"
/usr/bin/time -f '%e %M' -o "$WORK/both.time" "$MAPBOOK" fsc "$H1" "$H2" --auto-mask --threads "$THREADS" --quiet | tee "$WORK/both.log" | grep directional
LOAD_AFTER="$(bench_load)"
read -r GLOBAL GLOBAL_RSS < <(tail -n 1 "$WORK/global.time")
read -r BOTH BOTH_RSS < <(tail -n 1 "$WORK/both.time")
DIRECTIONAL="$(awk -v a="$BOTH" -v b="$GLOBAL" 'BEGIN { printf "%.2f", a - b }')"
echo
echo "global FSC alone:        ${GLOBAL} s (peak ${GLOBAL_RSS} kB)"
echo "global + directional:    ${BOTH} s (peak ${BOTH_RSS} kB)"
echo "directional FSC:         ${DIRECTIONAL} s (budget ${BUDGET} s) on ${THREADS} threads"
echo "load average before / after: ${LOAD_BEFORE} / ${LOAD_AFTER} (a shared machine inflates both times)"
awk -v d="$DIRECTIONAL" -v b="$BUDGET" 'BEGIN { exit !(d <= b) }' && echo "within budget" || echo "OVER BUDGET"
