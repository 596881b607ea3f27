#!/usr/bin/env bash
# Benchmark: one round of `mapbook local-sharpen` (LocalDeblur) on a 256³ map, with the local
# resolution from `mapbook local-resolution` (MonoRes), on BENCH_THREADS threads. Target: ≤ 60 s
# on 2 cores. Prints the wall time, peak memory and the machine's load around the run (the
# machine may be shared; a loaded machine makes every number slower).
#
# usage: bench/local_sharpen.sh [--keep]
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built when missing)
#   BENCH_SIZE     box edge in voxels (default 256)   BENCH_VOXEL  voxel size in Å (default 1.0)
#   BENCH_RES      resolution of the synthetic pair (default 3.5)   BENCH_THREADS threads (default 2)
#   BENCH_EXACT=1  also time the exact filter-bank operator (--exact-bank), for the speed-up
# needs: GNU /usr/bin/time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup localsharpen "$@"
SIZE="${BENCH_SIZE:-256}"; VOXEL="${BENCH_VOXEL:-1.0}"; RES="${BENCH_RES:-3.5}"
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

echo "== synthetic ${SIZE}^3 pair at ${VOXEL} Å/voxel, FSC 0.143 at ${RES} Å"
"$MAPBOOK" synthetic-pair --size "$SIZE" --voxel "$VOXEL" --resolution "$RES" --seed 1 -o "$WORK/pair" --threads "$THREADS" --quiet
echo "== local resolution (mapbook local-resolution, MonoRes half-map mode; also plans the ${SIZE}^3 FFTs)"
"$MAPBOOK" local-resolution "$WORK/pair/half1.mrc" "$WORK/pair/half2.mrc" -o "$WORK/lr" --threads "$THREADS" --quiet

# The map to sharpen is half map 1: unfiltered and unmasked, as LocalDeblur wants.
run() {  # name, extra options
    local name="$1"; shift
    local before after
    before="$(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$MAPBOOK" local-sharpen "$WORK/pair/half1.mrc" "$WORK/lr/localres.mrc" \
        -o "$WORK/$name" --threads "$THREADS" --quiet "$@" > "$WORK/$name.log"
    after="$(cut -d' ' -f1-3 /proc/loadavg)"
    read -r WALL RSS < <(tail -n 1 "$WORK/$name.time")
    local detail
    detail="$(python3 - "$WORK/$name/round_1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["deblur"]
print("%d inner iterations, %d bands, %d transforms, lambda %.3f, %s" % (d["innerIterations"], len(d["bandResolutions"]), d["transforms"], d["lambda"], d["formulation"]))
PY
)"
    printf '%-14s wall %7.1f s   peak RSS %5.0f MiB   load (1/5/15 min) before %s, after %s\n' "$name" "$WALL" "$(awk -v k="$RSS" 'BEGIN{print k/1024}')" "$before" "$after"
    echo "               $detail"
    eval "${name}_WALL=$WALL"
}

echo "== mapbook local-sharpen, one round (timed), $(nproc) cores visible, $THREADS threads"
run interpolated
if [[ "${BENCH_EXACT:-0}" == 1 ]]; then
    run exact --exact-bank
    echo "speed-up of the interpolated operator: $(awk -v a="$exact_WALL" -v b="$interpolated_WALL" 'BEGIN{printf "%.1f", a/b}')x"
fi
awk -v t="$interpolated_WALL" 'BEGIN{ if (t <= 60) print "target (<= 60 s): met"; else print "target (<= 60 s): missed" }'
