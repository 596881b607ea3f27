#!/usr/bin/env bash
# Facility throughput: `mapbook batch run --jobs K` on D simulated datasets with the standard
# plan (`mapbook init`), then the same batch again, every cell cached.
#
# usage: bench/batch_throughput.sh [--keep]
# environment:
#   MAPBOOK          mapbook binary (default .build/release/mapbook; built when missing)
#   BENCH_SIZE       box edge of each dataset (default 200: the issue's number; 48 for a check)
#   BENCH_DATASETS   datasets (default 20)     BENCH_JOBS  datasets at once (default 2)
#   BENCH_FORMATS    report formats (default html,pdf,ipynb)
# Prints mapbook's own "Throughput: … datasets per hour" line for the first run and the
# seconds per dataset of the cached re-run (the issue's bound: under 2 s each).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup batch "$@"
SIZE="${BENCH_SIZE:-200}"; COUNT="${BENCH_DATASETS:-20}"; JOBS="${BENCH_JOBS:-2}"; FORMATS="${BENCH_FORMATS:-html,pdf,ipynb}"

echo "== $COUNT synthetic ${SIZE}^3 pairs (untimed)"
mkdir -p "$WORK/data"
for i in $(seq -f "%02g" 1 "$COUNT"); do
    "$MAPBOOK" synthetic-pair --size "$SIZE" --voxel 1 --resolution 3.5 --seed "$((10#$i))" -o "$WORK/data/ds$i" --threads "$THREADS" --quiet
done
# The standard plan, written by init for the first dataset, is every dataset's template: its
# paths (half1.mrc, half2.mrc) resolve against each dataset's folder.
"$MAPBOOK" init "$WORK/data/ds01/half1.mrc" "$WORK/data/ds01/half2.mrc" -o "$WORK/data/ds01/plan.yaml" > /dev/null
cp "$WORK/data/ds01/plan.yaml" "$WORK/data/standard.yaml"
{ echo "template standard.yaml"; for i in $(seq -f "%02g" 1 "$COUNT"); do echo "dataset ds$i"; done; } > "$WORK/data/manifest.txt"

echo "== mapbook batch run --jobs $JOBS (first run: every cell computed)"
/usr/bin/time -f '%e %M' -o "$WORK/first.time" "$MAPBOOK" batch run "$WORK/data/manifest.txt" -o "$WORK/batch" \
    --jobs "$JOBS" --formats "$FORMATS" | tee "$WORK/first.log"
echo "== the same batch again (every cell from the cache)"
/usr/bin/time -f '%e %M' -o "$WORK/again.time" "$MAPBOOK" batch run "$WORK/data/manifest.txt" -o "$WORK/batch" \
    --jobs "$JOBS" --formats "$FORMATS" | tee "$WORK/again.log"
read -r FIRST _ < "$WORK/first.time"; read -r AGAIN _ < "$WORK/again.time"
echo
echo "datasets: $COUNT of ${SIZE}^3, --jobs $JOBS, formats $FORMATS, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
grep '^Throughput' "$WORK/first.log" | sed 's/^/first run:  /'
awk -v t="$AGAIN" -v n="$COUNT" -v j="$JOBS" 'BEGIN { printf "cached run: %.1f s in all, %.2f s per dataset (%.2f s of a job slot each; bound: 2 s)\n", t, t / n, t * j / n }'
