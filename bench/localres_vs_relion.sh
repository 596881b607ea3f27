#!/usr/bin/env bash
# Side-by-side benchmark: `mapbook local-resolution` (MonoRes, half-map mode) against RELION's
# `relion_postprocess --locres` on the same synthetic half-map pair and mask, in one run.
#
# usage: bench/localres_vs_relion.sh [--keep]
# environment:
#   MAPBOOK      mapbook binary (default .build/release/mapbook; built when missing)
#   BENCH_SIZE   box edge in voxels (default 256)   BENCH_VOXEL  voxel size in Å (default 1.0)
#   BENCH_RES    resolution of the synthetic pair (default 3.5)   BENCH_THREADS threads (default 2)
#   SKIP_RELION  set to 1 to time mapbook alone (RELION's locres takes minutes at 256³)
# needs: relion_postprocess (Debian package relion), GNU /usr/bin/time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_setup locres "$@"
SIZE="${BENCH_SIZE:-256}"; VOXEL="${BENCH_VOXEL:-1.0}"; RES="${BENCH_RES:-3.5}"
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

echo "== synthetic ${SIZE}^3 pair at ${VOXEL} Å/voxel, FSC 0.143 at ${RES} Å"
"$MAPBOOK" synthetic-pair --size "$SIZE" --voxel "$VOXEL" --resolution "$RES" --seed 1 -o "$WORK/pair" --quiet
echo "== mask (mapbook postprocess --auto-mask)"
"$MAPBOOK" postprocess "$WORK/pair/half1.mrc" "$WORK/pair/half2.mrc" --auto-mask -o "$WORK/pp" --quiet > /dev/null
MASK="$WORK/pp/postprocess_mask.mrc"

echo "== mapbook local-resolution (warm-up for FFTW wisdom, untimed)"
"$MAPBOOK" local-resolution "$WORK/pair/half1.mrc" "$WORK/pair/half2.mrc" --mask "$MASK" -o "$WORK/mb_warm" --threads "$THREADS" --quiet > /dev/null
echo "== mapbook local-resolution (timed)"
/usr/bin/time -f '%e %M' -o "$WORK/mb.time" "$MAPBOOK" local-resolution "$WORK/pair/half1.mrc" "$WORK/pair/half2.mrc" \
    --mask "$MASK" -o "$WORK/mb" --threads "$THREADS" --quiet | tee "$WORK/mb.log"
read -r MB_WALL MB_RSS < <(tail -n 1 "$WORK/mb.time")

RL_WALL="n/a"; RL_RSS="n/a"; RL_MED="n/a"
if [[ "${SKIP_RELION:-0}" != 1 ]]; then
    command -v relion_postprocess >/dev/null || { echo "relion_postprocess not found (apt-get install relion), or set SKIP_RELION=1" >&2; exit 1; }
    echo "== relion_postprocess --locres (timed; RELION 3.1 runs it on one thread)"
    mkdir -p "$WORK/relion"
    /usr/bin/time -f '%e %M' -o "$WORK/rl.time" relion_postprocess --i "$WORK/pair/half1.mrc" --i2 "$WORK/pair/half2.mrc" \
        --o "$WORK/relion/postprocess" --angpix "$VOXEL" --mask "$MASK" --locres > "$WORK/rl.log" 2>&1 \
        || { tail -20 "$WORK/rl.log" >&2; echo "relion_postprocess --locres failed" >&2; exit 1; }
    read -r RL_WALL RL_RSS < <(tail -n 1 "$WORK/rl.time")
    RL_MED="$(python3 - "$WORK/relion/postprocess_locres.mrc" "$MASK" <<'PY' 2>/dev/null || echo n/a
import sys, numpy as np
def read(p):
    b = open(p, 'rb').read(); n = np.frombuffer(b[:12], '<i4'); return np.frombuffer(b[1024:], '<f4')[: n.prod()]
r, m = read(sys.argv[1]), read(sys.argv[2])
print("%.2f" % np.median(r[m > 0.5]))
PY
)"
fi
MB_MED="$(python3 -c "import json;print('%.2f' % json.load(open('$WORK/mb/localres.json'))['median'])")"
echo
printf '%-28s %14s %18s\n' "local resolution ${SIZE}^3" "mapbook" "relion --locres"
printf '%-28s %14s %18s\n' "wall time (s)" "$MB_WALL" "$RL_WALL"
printf '%-28s %14s %18s\n' "peak RSS (MiB)" "$(awk -v k="$MB_RSS" 'BEGIN{printf "%.0f", k/1024}')" "$( [[ $RL_RSS == n/a ]] && echo n/a || awk -v k="$RL_RSS" 'BEGIN{printf "%.0f", k/1024}')"
printf '%-28s %14s %18s\n' "median in mask (Å)" "$MB_MED" "$RL_MED"
if [[ "$RL_WALL" != n/a ]]; then
    echo "wall-time ratio relion/mapbook: $(awk -v r="$RL_WALL" -v m="$MB_WALL" 'BEGIN{printf "%.1f", r/m}')"
fi
