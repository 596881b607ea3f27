#!/usr/bin/env bash
# Times `mapbook density-modify` on a 256³ half-map pair. Target: at most 60 s on 2 cores.
#
# usage: bench/density_modify.sh [--keep]
#   --keep   keep the temporary folder (printed at the end)
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with
#                  `swift build -c release` when that default is missing)
#   BENCH_THREADS  threads (default 2)
#   BENCH_SIZE     box edge in voxels (default 256)
#   BENCH_SYMMETRY point group to average over (default C1; e.g. D2, I: times the averaging;
#                  the synthetic pair is not symmetric, so the run warns, which is expected)
#   TMPDIR         where the temporary folder goes (default /tmp); nothing is written in the repository
# The pair is a deterministic synthetic one (`mapbook synthetic-pair`, 1.2 Å voxels, 0.143 at
# 4 Å), made before the clock starts. The FFTW plans of the box are measured in an untimed
# warm-up run so the timed run sees what a user's second run sees; the timed run prints the
# load average before and after, because other work on the machine changes the time.
# Not a test: it prints the time and exits 0 whatever it is (1 if a run fails).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup densmod-bench "$@"
SIZE="${BENCH_SIZE:-256}"
ROOT="$WORK"
SYMMETRY="${BENCH_SYMMETRY:-C1}"

echo "== making a ${SIZE}³ synthetic pair (untimed)"
"$MAPBOOK" synthetic-pair --size "$SIZE" --voxel 1.2 --resolution 4 --seed 3 -o "$ROOT/pair" --threads "$THREADS" --quiet
echo "== warm-up run at ${SIZE}³ (plans the FFTs; untimed)"
"$MAPBOOK" density-modify "$ROOT/pair/half1.mrc" "$ROOT/pair/half2.mrc" --solvent-fraction 0.9 --cycles 1 \
    --symmetry "$SYMMETRY" -o "$ROOT/warm" --threads "$THREADS" --quiet > /dev/null

echo "== timed run: density-modify, ${SIZE}³, $THREADS threads, symmetry $SYMMETRY"
echo "cores: $(nproc)   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s.%N)
/usr/bin/time -v "$MAPBOOK" density-modify "$ROOT/pair/half1.mrc" "$ROOT/pair/half2.mrc" --solvent-fraction 0.9 \
    --symmetry "$SYMMETRY" -o "$ROOT/out" --threads "$THREADS" 2> "$ROOT/time.txt" | sed 's/^/   /'
END=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Maximum resident set size|Percent of CPU" "$ROOT/time.txt" | sed 's/^\s*/   /'
printf "density-modify %s³ on %s threads, symmetry %s: %.1f s (target ≤ 60 s)\n" "$SIZE" "$THREADS" "$SYMMETRY" "$(echo "$END - $START" | bc -l)"
if [ "$KEEP" -eq 1 ]; then echo "kept: $ROOT"; fi
