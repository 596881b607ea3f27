#!/usr/bin/env bash
# Benchmark: `mapbook sharpen` (automatic sharpening, default b_iso_to_d_cut search scored by the
# adjusted surface area) on a 256^3 synthetic map, on 2 threads. Budget: 30 s.
#
# usage: bench/sharpen.sh [--keep]
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with `swift build -c release`
#                  when that default is missing)
#   BENCH_SIZE     box edge in voxels (default 256)    BENCH_VOXEL   voxel size in Å (default 1.0)
#   BENCH_RES      resolution of the synthetic map, Å (default 3.5)
#   BENCH_THREADS  threads (default 2)                 BENCH_BUDGET  seconds allowed (default 30)
#   BENCH_STRICT   set to 1 to exit nonzero when the timed run is over budget
#   TMPDIR         where the temp dir goes (default /tmp); nothing is written inside the repository
# needs: GNU /usr/bin/time.
#
# The map is half map 1 of `mapbook synthetic-pair` (signal plus noise, FSC 0.143 at BENCH_RES).
# A first, untimed run lets FFTW measure plans for the new box sizes (saved as wisdom, as every
# later run on those sizes reuses them); the second run is timed.
set -euo pipefail
KEEP=0
[[ "${1:-}" == "--keep" ]] && KEEP=1
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SIZE="${BENCH_SIZE:-256}"; VOXEL="${BENCH_VOXEL:-1.0}"; RES="${BENCH_RES:-3.5}"
THREADS="${BENCH_THREADS:-2}"; BUDGET="${BENCH_BUDGET:-30}"
MAPBOOK="${MAPBOOK:-.build/release/mapbook}"
[[ -x "$MAPBOOK" ]] || swift build -c release
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mapbook_sharpen.XXXXXX")"
cleanup() { if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi; }
trap cleanup EXIT

load() { awk '{print $1" "$2" "$3}' /proc/loadavg 2>/dev/null || uptime; }

echo "== synthetic ${SIZE}^3 map at ${VOXEL} Å/voxel, FSC 0.143 at ${RES} Å"
"$MAPBOOK" synthetic-pair --size "$SIZE" --voxel "$VOXEL" --resolution "$RES" --seed 1 -o "$WORK/pair" --quiet
MAP="$WORK/pair/half1.mrc"

echo "== mapbook sharpen (warm-up: FFTW plans for new sizes, untimed)"
/usr/bin/time -f '%e' -o "$WORK/cold.time" "$MAPBOOK" sharpen "$MAP" --resolution "$RES" -o "$WORK/warm" \
    --threads "$THREADS" --quiet > /dev/null
LOAD_BEFORE="$(load)"
echo "== mapbook sharpen (timed, $THREADS threads)"
/usr/bin/time -f '%e %M %P' -o "$WORK/sharpen.time" "$MAPBOOK" sharpen "$MAP" --resolution "$RES" -o "$WORK/out" \
    --threads "$THREADS" --quiet | tee "$WORK/sharpen.log"
LOAD_AFTER="$(load)"
read -r WALL RSS CPU < <(tail -n 1 "$WORK/sharpen.time")
COLD="$(tail -n 1 "$WORK/cold.time")"
TRIALS=$(( $(wc -l < "$WORK/out/sharpen_trials.tsv") - 1 ))

echo
printf '%-34s %s\n' "map" "${SIZE}^3 at ${VOXEL} Å, resolution ${RES} Å"
printf '%-34s %s\n' "trials scored" "$TRIALS"
printf '%-34s %s s (budget %s s)\n' "wall time, warm" "$WALL" "$BUDGET"
printf '%-34s %s s\n' "wall time, first run (planning)" "$COLD"
printf '%-34s %s\n' "CPU use" "$CPU"
printf '%-34s %s MiB\n' "peak RSS" "$(awk -v k="$RSS" 'BEGIN{printf "%.0f", k/1024}')"
printf '%-34s %s\n' "cores on this machine" "$(nproc)"
printf '%-34s %s / %s\n' "load average before / after" "$LOAD_BEFORE" "$LOAD_AFTER"
if awk -v w="$WALL" -v b="$BUDGET" 'BEGIN{exit !(w <= b)}'; then
    echo "within budget"
else
    echo "OVER BUDGET (a load average above $THREADS means other work shared these cores)"
    [[ "${BENCH_STRICT:-0}" == 1 ]] && exit 1
fi
exit 0
