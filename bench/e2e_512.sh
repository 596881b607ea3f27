#!/usr/bin/env bash
# 512³ end to end: a simulated pair with model and sequence, and the demo plan (every analysis
# cell kind) run on it on 2 cores. Prints each cell's estimated peak (from `mapbook run`, before
# the cell) beside its measured peak (provenance.json), the total wall time and the process's
# peak; the issue's bounds are 15 minutes and 24 GiB.
#
# usage: bench/e2e_512.sh [--keep]
# environment: MAPBOOK (default .build/release/mapbook), BENCH_SIZE (default 512; 96 for a
#   check), BENCH_THREADS (default 2), TMPDIR (needs about 6 GB free at 512³).
# Run it only on an otherwise idle machine: it holds several GiB for many minutes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup e2e "$@"
SIZE="${BENCH_SIZE:-512}"
HELICES=$(( SIZE / 32 < 4 ? 4 : (SIZE / 32 > 12 ? 12 : SIZE / 32) ))
RESIDUES=$(( (SIZE - 30) * 7 / 15 )); (( RESIDUES > 100 )) && RESIDUES=100

echo "== simulate ${SIZE}^3: $HELICES helices of $RESIDUES residues, model and sequence (timed separately)"
/usr/bin/time -f '%e %M' -o "$WORK/simulate.time" "$MAPBOOK" simulate --size "$SIZE" --voxel 1 --helices "$HELICES" \
    --helix-residues "$RESIDUES" --resolution 3.5 --local-pattern radial --seed 1 -o "$WORK/example" --threads "$THREADS" --quiet > /dev/null
read -r SIM_WALL SIM_RSS < <(tail -n 1 "$WORK/simulate.time")
echo "   $SIM_WALL s, peak $(( SIM_RSS / 1024 )) MiB"
mkdir -p "$WORK/plan"
# The demo plan's two boxes take chains A,B and C,D of its four helices; here they take the first
# and second half of the chains, so that the composite covers the whole model.
CHAINS=$(python3 -c "import string; print(string.ascii_uppercase[:$HELICES])")
HALF=$(( HELICES / 2 ))
FIRST=$(echo "${CHAINS:0:$HALF}" | sed 's/./&,/g; s/,$//'); SECOND=$(echo "${CHAINS:$HALF}" | sed 's/./&,/g; s/,$//')
sed '/^deposition:/,$d; s/selection: A,B$/selection: '"$FIRST"'/; s/selection: C,D$/selection: '"$SECOND"'/' fixtures/demo/plan.yaml > "$WORK/plan/plan.yaml"

echo "== mapbook run (every cell of the demo plan), $THREADS threads"
/usr/bin/time -f '%e %M' -o "$WORK/run.time" "$MAPBOOK" run "$WORK/plan/plan.yaml" -o "$WORK/report" \
    --threads "$THREADS" 2> >(tee "$WORK/run.err" >&2) || echo "(mapbook run exited with status $?)"
read -r WALL RSS < <(tail -n 1 "$WORK/run.time")
echo
python3 - "$WORK/report/provenance.json" "$WALL" "$RSS" "$SIZE" <<'PY'
import json, sys
prov, wall, rss, n = json.load(open(sys.argv[1])), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"| cell | kind | status | seconds | estimated peak MB | measured peak MB | FFT planning s |")
print("|---|---|---|---:|---:|---:|---:|")
over = []
for c in prov["cells"]:
    est, got = c.get("estimatedPeakMemoryBytes"), c.get("peakMemoryBytes")
    if est and got and got > est: over.append(c["id"])
    f = lambda b: f"{b / 1e6:.0f}" if b else "—"
    print(f"| {c['id']} | {c['kind']} | {c['status']} | {c['wallSeconds']:.1f} | {f(est)} | {f(got)} | {c.get('fftPlanningSeconds') or 0:.2f} |")
missing = [c["id"] for c in prov["cells"] if c["status"] == "executed" and not c.get("estimatedPeakMemoryBytes")]
# mapbook run resets the kernel's high-water mark before each cell (to measure the cell's own
# peak), and GNU time reads that same mark: the run's peak is the largest cell's.
peak = max([c.get("peakMemoryBytes") or 0 for c in prov["cells"]] + [rss * 1024])
print(f"\n{n}^3: total {wall:.0f} s (bound 900 s), peak {peak / 2**30:.2f} GiB (bound 24 GiB); "
      f"FFT planning {prov.get('fftPlanning', {}).get('seconds', 0):.2f} s")
print("cells without an estimate: " + (", ".join(missing) or "none"))
print("cells above their estimate: " + (", ".join(over) or "none"))
failed = [c["id"] for c in prov["cells"] if c["status"] == "failed"]
print("failed cells: " + (", ".join(failed) or "none"))
sys.exit(0 if wall <= 900 and peak <= 24 * 2**30 and not missing and not failed else 1)
PY
