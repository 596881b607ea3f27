#!/usr/bin/env bash
# One benchmark of every algorithm on the same simulated inputs, side by side with the peers
# available here, against the FFT floor, at several box sizes, in one run.
#
# usage: bench/all.sh [N ...] [--keep]      (default sizes: 64 128 256 384)
#   e.g. bench/all.sh 64 128                a quick check
# For each N: `mapbook simulate` makes a pair with a model and sequence (a helix bundle sized
# to the box, 1 Å voxels, FSC 0.143 at 3.5 Å; N of 64 or more); a soft spherical mask of radius 0.4·N is written;
# then each row runs once untimed (so FFTW plans every shape it needs, with time to measure)
# and then timed under GNU time (wall time, peak RSS) with MAPBOOK_FFT_COUNTS recording the
# transforms it ran: BENCH_REPEATS times (default 3) at N ≤ 256, where a run lasts a second or
# less and one run varies by ±10 % with the machine's state (the row takes the median time and
# the largest peak), once above. `mapbook fft-floor` then times one transform of every shape seen, in the
# same run: a row's FFT floor is its transforms times those times.
# Rows: postprocess (mask, auto-B) beside relion_postprocess; local resolution (MonoRes, half
# maps, the large mask) beside relion_postprocess --locres; sharpen; local sharpen; density
# modification; FSC with the directional FSC; model fit.
# Prints one markdown table and writes bench/results.md (with machine facts) and the same
# numbers machine-readable in bench/results.tsv; then `mapbook run bench/report.yaml -o
# bench/report` makes the report from results.tsv with mapbook's own notebook engine:
# bench/report/report.html and report.pdf (the table, the growth exponents and the log-log
# scaling figure, time against N with the fitted exponents), committed with its figures/ and
# data/ (the rest of bench/report/ is ignored).
# environment:
#   MAPBOOK         mapbook binary (default .build/release/mapbook; built when missing)
#   BENCH_THREADS   threads (default 2)
#   BENCH_PEERS     0 to skip RELION (default 1 when relion_postprocess is on PATH)
#   BENCH_LOCRES_PEER_MAX  largest N for relion --locres (default 256: it takes many minutes above)
#   BENCH_WARM      0 to skip the untimed warm-up runs (timings then include planning)
#   BENCH_REPEATS   timed runs per mapbook row at N ≤ 256 (default 3; the median is kept)
#   BENCH_PEER_CACHE  0 to time the peers again instead of reusing their cached times (the
#                   cache, BENCH_PEER_CACHE_FILE, default ~/.cache/mapbook/bench-peer-times.tsv,
#                   keys each peer run by its command, input checksums, version and machine)
#   BENCH_RESULTS   where the table goes (default bench/results.md; "-" prints only); the
#                   report is made only for the default (bench/report.yaml reads results.tsv)
# needs: python3 + numpy, GNU /usr/bin/time.
set -euo pipefail
SIZES=()
ARGS=()
for arg in "$@"; do
    if [[ "$arg" =~ ^[0-9]+$ ]]; then SIZES+=("$arg"); else ARGS+=("$arg"); fi
done
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(64 128 256 384)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup all ${ARGS[@]+"${ARGS[@]}"}
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { echo "python3 with numpy is needed" >&2; exit 1; }
PEERS="${BENCH_PEERS:-1}"
command -v relion_postprocess >/dev/null || PEERS=0
LOCRES_PEER_MAX="${BENCH_LOCRES_PEER_MAX:-256}"
WARM="${BENCH_WARM:-1}"
REPEATS="${BENCH_REPEATS:-3}"
PEER_CACHE="${BENCH_PEER_CACHE_FILE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapbook/bench-peer-times.tsv}"
PEER_CACHE_ON="${BENCH_PEER_CACHE:-1}"
RESULTS="${BENCH_RESULTS:-$REPO/bench/results.md}"
ROWS="$WORK/rows.tsv"
printf 'work\tN\ttool\twall\trss_kib\tcounts\n' > "$ROWS"
export OMP_NUM_THREADS="$THREADS"

# run_timed WORK N TOOL COUNTS_FILE cmd...: one timed run, appended to rows.tsv. With
# RUNS=k (k > 1) in its environment it runs k times and keeps the median wall time and the
# largest peak RSS; OUT names the output the command writes, removed before each run so that
# every run writes fresh files.
run_timed() {
    local work="$1" n="$2" tool="$3" counts="$4"; shift 4
    local log="$WORK/$n/${work// /_}.$tool.log"
    local runs="${RUNS:-1}" walls=() rss=0 r
    for ((r = 1; r <= runs; r++)); do
        [[ -n "${OUT:-}" ]] && rm -rf "$OUT"
        if ! MAPBOOK_FFT_COUNTS="$counts" /usr/bin/time -f '%e %M' -o "$log.time" "$@" > "$log" 2>&1; then
            echo "   $work ($tool) failed; last lines:" >&2; tail -5 "$log" >&2
            printf '%s\t%s\t%s\tfailed\t\t\n' "$work" "$n" "$tool" >> "$ROWS"
            return 0
        fi
        local w m
        read -r w m < <(tail -n 1 "$log.time")
        walls+=("$w"); (( m > rss )) && rss=$m
    done
    local wall
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$work" "$n" "$tool" "$wall" "$rss" "$counts" >> "$ROWS"
    printf '   %-28s %-8s %7.2f s %7.0f MiB\n' "$work" "$tool" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
}

# peer_row WORK N cmd...: a timed peer run, or its row from the peer cache. The key is the
# command (scratch folder left out), the checksums of its input maps, the peer's version and the
# machine, so a cached time stands for exactly this run on this machine; the simulated inputs are
# the same bits every time, so re-runs of this script skip the peers' long runs (RELION's --locres
# takes half an hour at 256³). BENCH_PEER_CACHE=0 times the peers again.
peer_row() {
    local work="$1" n="$2"; shift 2
    local key
    key="$( { printf '%s\n' "${@//$WORK/}" "$(relion_postprocess --version 2>&1 | head -1)" "$(uname -m) $(nproc)" \
              "$(grep -m1 'model name' /proc/cpuinfo)"; for a in "$@"; do if [[ -f "$a" ]]; then sha256sum < "$a"; fi; done; } \
            | sha256sum | cut -c1-16)"
    local hit=""
    if [[ "$PEER_CACHE_ON" == 1 && -f "$PEER_CACHE" ]]; then
        hit="$(awk -F'\t' -v k="$key" '$1 == k { line = $0 } END { print line }' "$PEER_CACHE")"
    fi
    if [[ -n "$hit" ]]; then
        IFS=$'\t' read -r _ wall rss when <<< "$hit"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$work" "$n" relion "$wall" "$rss" "" >> "$ROWS"
        printf '   %-28s %-8s %7.2f s %7.0f MiB  (peer cache, timed %s)\n' "$work" relion "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$when"
        echo "$work $n $when" >> "$WORK/peer_cache_hits"
        return 0
    fi
    run_timed "$work" "$n" relion "" "$@"
    local last; last="$(tail -n 1 "$ROWS")"
    IFS=$'\t' read -r _ _ _ wall rss _ <<< "$last"
    if [[ "$wall" != failed && "$PEER_CACHE_ON" == 1 ]]; then
        mkdir -p "$(dirname "$PEER_CACHE")"
        printf '%s\t%s\t%s\t%s\n' "$key" "$wall" "$rss" "$(date -u +%Y-%m-%dT%H:%MZ)" >> "$PEER_CACHE"
    fi
}

# mapbook_row WORK N SUBCOMMAND ARGS...: warm-up (untimed, generous planning time), then timed.
mapbook_row() {
    local work="$1" n="$2"; shift 2
    local out="$WORK/$n/out_${work// /_}"
    local flag=-o; [[ "$1" == fsc ]] && flag=--json   # fsc prints, and writes JSON on request
    if [[ "$WARM" == 1 ]]; then
        MAPBOOK_FFTW_PLAN_SECONDS=120 "$MAPBOOK" "$@" "$flag" "$out.warm" --threads "$THREADS" --quiet > /dev/null 2>&1 || true
        rm -rf "$out.warm"
    fi
    local runs=1; (( n <= 256 )) && runs=$REPEATS
    RUNS=$runs OUT="$out" run_timed "$work" "$n" mapbook "$WORK/$n/counts_${work// /_}.json" "$MAPBOOK" "$@" "$flag" "$out" --threads "$THREADS" --quiet
}

for N in "${SIZES[@]}"; do
    D="$WORK/$N"; mkdir -p "$D"
    # The built-in helix bundle grows with the box (4 helices of 15 residues at 64, 12 of 100 at 384).
    HELICES=$(( N / 32 < 4 ? 4 : (N / 32 > 12 ? 12 : N / 32) ))
    RESIDUES=$(( (N - 30) * 7 / 15 )); (( RESIDUES > 100 )) && RESIDUES=100; (( RESIDUES < 8 )) && RESIDUES=8
    echo "== N = $N: simulated pair with model ($HELICES helices of $RESIDUES residues) and sequence (untimed)"
    "$MAPBOOK" simulate --size "$N" --voxel 1 --helices "$HELICES" --helix-residues "$RESIDUES" --resolution 3.5 --seed 1 \
        -o "$D/sim" --threads "$THREADS" --quiet > /dev/null
    H1="$D/sim/half1.mrc"; H2="$D/sim/half2.mrc"; MASK="$D/sphere.mrc"
    python3 - "$H1" "$MASK" <<'PY'
# Soft spherical mask of radius 0.4·N with a 6-voxel raised-cosine edge, on the half map's grid.
import sys, numpy as np
src, out = sys.argv[1], sys.argv[2]
head = bytearray(open(src, "rb").read(1024))
nx, ny, nz = np.frombuffer(bytes(head[:12]), "<i4")
head[12:16] = np.int32(2).tobytes(); head[92:96] = np.int32(0).tobytes()   # float32, no extended header
z, y, x = np.ogrid[:nz, :ny, :nx]
r = np.sqrt((x - nx // 2) ** 2 + (y - ny // 2) ** 2 + (z - nz // 2) ** 2)
R, w = 0.4 * min(nx, ny, nz), 6.0
m = np.where(r <= R, 1.0, np.where(r >= R + w, 0.0, 0.5 * (1 + np.cos(np.pi * (r - R) / w)))).astype("<f4")
head[76:88] = np.array([m.min(), m.max(), m.mean()], "<f4").tobytes()
open(out, "wb").write(bytes(head) + m.tobytes())
PY
    echo "== N = $N: timed runs ($THREADS threads)"
    mapbook_row "postprocess" "$N" postprocess "$H1" "$H2" --mask "$MASK" --bfactor auto
    mapbook_row "local resolution" "$N" local-resolution "$H1" "$H2" --mask "$MASK"
    mapbook_row "sharpen" "$N" sharpen "$H1" --half-maps "$H1" "$H2" --sequence "$D/sim/sequence.fasta" --resolution 3.5
    mapbook_row "local sharpen" "$N" local-sharpen "$H1" "$D/out_local_resolution/localres.mrc" --half-maps "$H1" "$H2"
    mapbook_row "density modify" "$N" density-modify "$H1" "$H2" --sequence "$D/sim/sequence.fasta" --mask "$D/sim/mask.mrc"
    mapbook_row "fsc + directional" "$N" fsc "$H1" "$H2" --mask "$MASK"
    mapbook_row "model fit" "$N" model-fit "$D/sim/truth.mrc" "$D/sim/model.pdb" --half-maps "$H1" "$H2"
    if [[ "$PEERS" == 1 ]]; then
        mkdir -p "$D/relion"
        peer_row "postprocess" "$N" relion_postprocess --i "$H1" --i2 "$H2" --o "$D/relion/pp" --angpix 1 \
            --mask "$MASK" --auto_bfac
        if (( N <= LOCRES_PEER_MAX )); then
            peer_row "local resolution" "$N" relion_postprocess --i "$H1" --i2 "$H2" --o "$D/relion/lr" --angpix 1 \
                --mask "$MASK" --locres
        fi
    fi
    # The floor: one transform of every shape the rows ran, timed now, in this run.
    SHAPES="$(python3 -c 'import json, sys
s = set()
for p in sys.argv[1:]:
    try: s |= {k.split()[0] for k in json.load(open(p))["transforms"]}
    except (OSError, ValueError): pass
print(" ".join(sorted(s)))' "$D"/counts_*.json)"
    if [[ -n "$SHAPES" ]]; then
        MAPBOOK_FFTW_PLAN_SECONDS=120 "$MAPBOOK" fft-floor $SHAPES --threads "$THREADS" --repeats 5 > "$D/floor.json"
    fi
done

python3 "$REPO/bench/all_table.py" "$ROWS" "$WORK" "$THREADS" "$RESULTS" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ "$RESULTS" == "$REPO/bench/results.md" ]]; then
    echo "== the report (bench/report/report.html, report.pdf), from bench/results.tsv"
    "$MAPBOOK" run "$REPO/bench/report.yaml" -o "$REPO/bench/report" --quiet
else
    echo "== no report: BENCH_RESULTS is not bench/results.md (bench/report.yaml reads bench/results.tsv)"
fi
