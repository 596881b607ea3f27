#!/usr/bin/env bash
# Times `mapbook demo` as a new user meets it: fresh example data, empty cache, no FFTW wisdom,
# writing HTML, PDF and notebook. The target is under 60 s on 2 cores after building.
#
# usage: bench/demo.sh [--keep]
#   --keep   keep the temporary root (printed at the end)
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with
#                  `swift build -c release` when that default is missing)
#   BENCH_THREADS  threads (default 2)
#   TMPDIR         where the temporary root goes (default /tmp); nothing is written in the repository
# It runs the demo twice in a temporary copy of fixtures/demo/: the first run makes the
# synthetic pair, plans the FFTs and runs every cell; the second finds everything cached.
# Not a test: it prints the times and exits 0 whatever they are (1 if a run fails).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup demo-bench "$@"
ROOT="$WORK"
mkdir -p "$ROOT/fixtures/demo"
cp fixtures/demo/plan.yaml "$ROOT/fixtures/demo/plan.yaml"
export MAPBOOK_FFTW_WISDOM="$ROOT/fftw-wisdom"

now() { date +%s.%N; }
run_demo() {
    local start end
    start=$(now)
    "$MAPBOOK" demo --root "$ROOT" --threads "$THREADS" --quiet > "$ROOT/$1.log"
    end=$(now)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

echo "== mapbook demo, fresh (synthetic pair, FFT planning, every cell, html+pdf+ipynb), $THREADS threads"
first=$(run_demo fresh)
echo "== mapbook demo again (every cell cached)"
second=$(run_demo cached)
printf 'fresh:  %6.2f s   (target: under 60 s)\ncached: %6.2f s\n' "$first" "$second"
ls -l "$ROOT/reports/demo/report.html" "$ROOT/reports/demo/report.pdf" "$ROOT/reports/demo/report.ipynb" | awk '{print "  " $5 " bytes  " $9}'
