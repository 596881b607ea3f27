#!/usr/bin/env bash
# Benchmark: `mapbook box` and `mapbook combine-focused` on 2 threads. Targets (issue 17): boxing
# a 400³ map in under 2 s; combining three 200³ focused maps onto a 300³ grid in at most 20 s.
#
# usage: bench/box.sh [--keep]
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with `swift build -c release`
#                  when that default is missing)
#   BENCH_THREADS  threads (default 2)
#   TMPDIR         where the temp dir goes (default /tmp); nothing is written inside the repository
# needs: GNU /usr/bin/time.
#
# The 400³ map is a synthetic pair's truth (`mapbook synthetic-pair --size 400 --voxel 1`); it is
# boxed by bounds (a 200³ block) and by a density threshold (a scan of every voxel). The focused
# maps are three overlapping 200³ boxes (different origins) cut from a simulated 300³ helix-bundle
# dataset, combined with its model onto the dataset's 300³ grid (--like). Each case runs once
# untimed first (page cache, FFTW wisdom), then timed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup box "$@"
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

# timed LABEL TARGET_SECONDS ARGS...: one untimed warm-up, then the timed run; prints one row.
timed() {
    local label="$1" target="$2"; shift 2
    "$MAPBOOK" "$@" -o "$WORK/warm_$label" --threads "$THREADS" --quiet > /dev/null
    /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$MAPBOOK" "$@" -o "$WORK/$label" --threads "$THREADS" --quiet > /dev/null
    read -r wall rss < "$WORK/$label.time"
    printf '%-28s %8.2f s  (target %5.1f s)  peak %6.0f MiB  %s\n' "$label" "$wall" "$target" "$((rss / 1024))" \
        "$(awk -v w="$wall" -v t="$target" 'BEGIN { print (w <= t) ? "ok" : "OVER" }')"
}

echo "== making a 400³ map and a 300³ simulated dataset (untimed)"
"$MAPBOOK" synthetic-pair --size 400 --voxel 1 -o "$WORK/pair" --threads "$THREADS" --quiet
"$MAPBOOK" simulate --size 300 --seed 1 -o "$WORK/sim" --threads "$THREADS" --quiet > /dev/null
for spec in "a 0,0,0,199,199,199" "b 100,100,100,299,299,299" "c 50,40,60,249,239,259"; do
    set -- $spec
    "$MAPBOOK" box "$WORK/sim/truth.mrc" --bounds "$2" -o "$WORK/focus_$1" --quiet > /dev/null
done

echo "== timing ($THREADS threads; load $(cut -d' ' -f1-3 /proc/loadavg))"
timed box_400_bounds 2 box "$WORK/pair/truth.mrc" --bounds 100,100,100,299,299,299
timed box_400_threshold 2 box "$WORK/pair/truth.mrc" --threshold 0.2
timed combine_3x200_onto_300 20 combine-focused "$WORK/focus_a/box.mrc" "$WORK/focus_b/box.mrc" "$WORK/focus_c/box.mrc" \
    --model "$WORK/sim/model.pdb" --like "$WORK/sim/truth.mrc"
