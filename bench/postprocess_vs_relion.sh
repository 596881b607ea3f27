#!/usr/bin/env bash
# Side-by-side benchmark: `mapbook postprocess` vs RELION's `relion_postprocess` on one synthetic
# half-map pair (default 256^3 at 1.0 A/px), same mask, automatic B factor, same thread budget.
#
# usage: bench/postprocess_vs_relion.sh [--relion-only] [--keep]
#   --relion-only  run only the RELION half (no mapbook needed); the pair then comes from a small
#                  numpy generator instead of `mapbook synthetic-pair`. For testing this script.
#   --keep         keep the temp dir (printed at the end)
# environment:
#   MAPBOOK        mapbook binary (default .build/release/mapbook; built with `swift build -c release`
#                  when that default is missing)
#   BENCH_SIZE     box edge in voxels (default 256)     BENCH_VOXEL   voxel size in A (default 1.0)
#   BENCH_SEED     synthetic-pair seed (default 1)      BENCH_THREADS threads (default 2)
#   TMPDIR         where the temp dir goes (default /tmp); nothing is written inside the repository
# needs: relion_postprocess, relion_mask_create, relion_image_handler (RELION 3.1.x), python3 + numpy,
#        GNU /usr/bin/time.
# Exit status: 0 when every step ran; 2 when mapbook is missing (without --relion-only); 1 otherwise.
#
# mapbook's resolution (RELION-style, last shell above 0.143) and B factor are read from
# OUTDIR/postprocess.json (result.resolution.shellResolution, result.appliedBFactor).
set -euo pipefail

RELION_ONLY=0
KEEP=0
for arg in "$@"; do
    case "$arg" in
        --relion-only) RELION_ONLY=1 ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 1 ;;
    esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

SIZE="${BENCH_SIZE:-256}"
VOXEL="${BENCH_VOXEL:-1.0}"
SEED="${BENCH_SEED:-1}"
THREADS="${BENCH_THREADS:-2}"
MAPBOOK="${MAPBOOK:-.build/release/mapbook}"
LOWPASS=15      # A, mask seed low-pass (tutorial-like)
EXTEND=3        # px
SOFT=6          # px

die() { echo "ERROR: $*" >&2; exit 1; }

for tool in relion_postprocess relion_mask_create relion_image_handler python3; do
    command -v "$tool" >/dev/null || die "$tool not found on PATH"
done
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) not found (apt-get install time)"
python3 -c 'import numpy' 2>/dev/null || die "python3 numpy is needed (mask threshold, synthetic fallback)"

# ---------------------------------------------------------------- mapbook binary
HAVE_MAPBOOK=0
if [[ $RELION_ONLY -eq 0 ]]; then
    if [[ ! -x "$MAPBOOK" && "$MAPBOOK" == ".build/release/mapbook" ]]; then
        if command -v swift >/dev/null; then
            echo "== $MAPBOOK missing: building with 'swift build -c release' ..."
            swift build -c release || die "swift build -c release failed"
        fi
    fi
    if [[ ! -x "$MAPBOOK" ]]; then
        echo "ERROR: mapbook binary not found or not executable: $MAPBOOK" >&2
        echo "       Build it (swift build -c release) or set MAPBOOK=/path/to/mapbook." >&2
        echo "       To exercise only the RELION half of this benchmark, run: $0 --relion-only" >&2
        exit 2
    fi
    HAVE_MAPBOOK=1
    MAPBOOK="$(cd "$(dirname "$MAPBOOK")" && pwd)/$(basename "$MAPBOOK")"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mapbook_bench.XXXXXX")"
case "$WORK" in "$REPO"/*) die "temp dir $WORK is inside the repository; set TMPDIR elsewhere" ;; esac
cleanup() { if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi; }
trap cleanup EXIT
PAIR="$WORK/pair"
mkdir -p "$PAIR"

# ---------------------------------------------------------------- 1. synthetic pair
echo "== synthetic pair: ${SIZE}^3 at ${VOXEL} A/px, seed $SEED"
if [[ $HAVE_MAPBOOK -eq 1 ]]; then
    "$MAPBOOK" synthetic-pair --size "$SIZE" --voxel "$VOXEL" --seed "$SEED" -o "$PAIR" > "$WORK/synthetic.log" 2>&1 \
        || { cat "$WORK/synthetic.log" >&2; die "mapbook synthetic-pair failed"; }
else
    echo "   (--relion-only: numpy stand-in generator, not mapbook's)"
    python3 - "$PAIR" "$SIZE" "$VOXEL" "$SEED" <<'EOF'
# Stand-in pair: Gaussian 'atoms' in a central ellipsoid, B=60 envelope, independent white noise per half.
import sys, struct, numpy as np
out, n, apix, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(seed)
natoms = int(0.011 * n**3)                      # ~ protein-like number density
c = rng.normal(size=(natoms, 3)) * np.array([0.16, 0.13, 0.10]) * n + n / 2
c = c[np.all((c > 0.1 * n) & (c < 0.9 * n), axis=1)]
vol = np.zeros((n, n, n), np.float32)
np.add.at(vol, tuple(np.floor(c[:, ::-1]).astype(int).T), 1.0)   # (z, y, x)
k = np.fft.fftfreq(n) / apix; kx = np.fft.rfftfreq(n) / apix
s2 = k[:, None, None]**2 + k[None, :, None]**2 + kx[None, None, :]**2
F = np.fft.rfftn(vol) * np.exp(-(60.0 / 4.0) * s2)              # B = 60 A^2 envelope
sig = np.fft.irfftn(F, s=vol.shape, axes=(0, 1, 2)).astype(np.float32); del F
sig /= sig.std()
def write(path, a):
    hdr = bytearray(1024)
    struct.pack_into("<10i", hdr, 0, n, n, n, 2, 0, 0, 0, n, n, n)
    struct.pack_into("<6f", hdr, 40, n * apix, n * apix, n * apix, 90, 90, 90)
    struct.pack_into("<3i", hdr, 64, 1, 2, 3)
    struct.pack_into("<3f", hdr, 76, float(a.min()), float(a.max()), float(a.mean()))
    hdr[208:212] = b"MAP "; hdr[212:216] = bytes([0x44, 0x44, 0, 0])
    struct.pack_into("<f", hdr, 216, float(a.std()))
    with open(path, "wb") as fh:
        fh.write(bytes(hdr)); fh.write(np.ascontiguousarray(a, "<f4").tobytes())
for i in (1, 2):
    write(f"{out}/half{i}.mrc", sig + rng.normal(scale=1.5, size=sig.shape).astype(np.float32))
EOF
fi
H1="$PAIR/half1.mrc"; H2="$PAIR/half2.mrc"
[[ -s "$H1" && -s "$H2" ]] || die "synthetic pair missing: expected $H1 and $H2 (does this mapbook build implement 'synthetic-pair'? its output: $(head -c 300 "$WORK/synthetic.log" 2>/dev/null | tr '\n' ' '))"

# ---------------------------------------------------------------- 2. mask
echo "== mask: relion_mask_create --lowpass $LOWPASS --extend_inimask $EXTEND --width_soft_edge $SOFT"
relion_image_handler --i "$H1" --o "$WORK/h1_lp.mrc" --lowpass "$LOWPASS" --angpix "$VOXEL" > "$WORK/lowpass.log" 2>&1 \
    || { cat "$WORK/lowpass.log" >&2; die "relion_image_handler --lowpass failed"; }
THRESH="$(python3 - "$WORK/h1_lp.mrc" <<'EOF'
# Threshold of the low-passed half 1: keep ~15% of voxels, but never go below the solvent noise
# (mean + 4 sd of the voxels outside a sphere of radius 0.45*box), and always keep >= 2% of voxels.
import sys, struct, numpy as np
b = open(sys.argv[1], "rb").read()
nx, ny, nz, mode = struct.unpack("<4i", b[:16]); nsym = struct.unpack("<i", b[92:96])[0]
assert mode == 2, "expected float32 MRC"
m = np.frombuffer(b, "<f4", nx * ny * nz, 1024 + nsym).reshape(nz, ny, nx).astype(np.float64)
z, y, x = np.ogrid[:nz, :ny, :nx]
r = np.sqrt((z - nz / 2)**2 + (y - ny / 2)**2 + (x - nx / 2)**2)
outer = m[r > 0.45 * min(nx, ny, nz)]
t = max(np.quantile(m, 0.85), outer.mean() + 4 * outer.std())
t = min(t, np.quantile(m, 0.98))
print("%.6g" % t)
print("threshold %.6g keeps %.1f%% of voxels (q85 %.4g, solvent mean+4sd %.4g)" % (
    t, 100 * (m > t).mean(), np.quantile(m, 0.85), outer.mean() + 4 * outer.std()), file=sys.stderr)
EOF
)" || die "mask threshold computation failed"
[[ -n "$THRESH" ]] || die "empty mask threshold"
rm -f "$WORK/h1_lp.mrc"
relion_mask_create --i "$H1" --o "$WORK/mask.mrc" --lowpass "$LOWPASS" --angpix "$VOXEL" \
    --ini_threshold "$THRESH" --extend_inimask "$EXTEND" --width_soft_edge "$SOFT" --j "$THREADS" > "$WORK/mask.log" 2>&1 \
    || { tr '\r' '\n' < "$WORK/mask.log" | tail -20 >&2; die "relion_mask_create failed"; }
MASKFRAC="$(python3 - "$WORK/mask.mrc" <<'EOF'
import sys, struct, numpy as np
b = open(sys.argv[1], "rb").read()
nx, ny, nz = struct.unpack("<3i", b[:12]); nsym = struct.unpack("<i", b[92:96])[0]
m = np.frombuffer(b, "<f4", nx * ny * nz, 1024 + nsym)
print("%.4f" % (m > 0.5).mean())
EOF
)"
echo "   threshold $THRESH; mask > 0.5 covers $(python3 -c "print('%.1f' % (100*$MASKFRAC))")% of the box"
python3 -c "import sys; f=$MASKFRAC; sys.exit(0 if 0.005 < f < 0.7 else 1)" \
    || die "mask covers a fraction $MASKFRAC of the box; threshold $THRESH looks wrong"

# ---------------------------------------------------------------- 3. runs
# relion_postprocess 3.1.x has no --j (single process, FFTW unthreaded); pass it only if present.
RELION_J=()
RELION_J_DESC="no --j in this RELION: single-threaded"
if relion_postprocess --help 2>&1 | grep -qE '^[[:space:]]*--j[[:space:]]'; then
    RELION_J=(--j "$THREADS"); RELION_J_DESC="--j $THREADS"
fi
export OMP_NUM_THREADS="$THREADS"

timed() {   # timed NAME cmd... ; writes $WORK/NAME.time ("wall_s rss_kib") and $WORK/NAME.log
    local name="$1"; shift
    if /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" > "$WORK/$name.log" 2>&1; then
        return 0
    fi
    echo "---- $name failed; last lines of its output:" >&2
    tr '\r' '\n' < "$WORK/$name.log" | grep -v '^[[:space:]]*$' | tail -20 >&2
    return 1
}
timing() { tail -n 1 "$WORK/$1.time"; }

FAILED=0
if [[ $HAVE_MAPBOOK -eq 1 ]]; then
    echo "== mapbook postprocess (warm-up, untimed: FFTW wisdom)"
    "$MAPBOOK" postprocess "$H1" "$H2" --mask "$WORK/mask.mrc" --bfactor auto -o "$WORK/mapbook_warm" \
        --threads "$THREADS" > "$WORK/mapbook_warm.log" 2>&1 \
        || { tail -20 "$WORK/mapbook_warm.log" >&2; echo "mapbook warm-up failed" >&2; FAILED=1; }
    if [[ $FAILED -eq 0 ]]; then
        echo "== mapbook postprocess (timed, --threads $THREADS)"
        timed mapbook "$MAPBOOK" postprocess "$H1" "$H2" --mask "$WORK/mask.mrc" --bfactor auto \
            -o "$WORK/mapbook_out" --threads "$THREADS" || FAILED=1
    fi
fi

echo "== relion_postprocess (timed, $RELION_J_DESC)"
mkdir -p "$WORK/relion_out"
timed relion relion_postprocess --i "$H1" --i2 "$H2" --o "$WORK/relion_out/postprocess" --angpix "$VOXEL" \
    --mask "$WORK/mask.mrc" --auto_bfac ${RELION_J[@]+"${RELION_J[@]}"} || FAILED=1
RELION_STAR="$WORK/relion_out/postprocess.star"
if [[ $FAILED -eq 0 ]] && ! grep -q '^data_guinier' "$RELION_STAR" 2>/dev/null; then
    echo "relion_postprocess wrote no complete $RELION_STAR" >&2; FAILED=1
fi

# ---------------------------------------------------------------- 4. results
star_value() { awk -v k="$2" '$1 == k { print $2; exit }' "$1" 2>/dev/null || true; }
RL_RES="n/a"; RL_B="n/a"
if [[ -f "$RELION_STAR" ]]; then
    RL_RES="$(star_value "$RELION_STAR" _rlnFinalResolution)"; RL_RES="${RL_RES:-n/a}"
    RL_B="$(star_value "$RELION_STAR" _rlnBfactorUsedForSharpening)"; RL_B="${RL_B:-n/a}"
fi

MB_RES="n/a"; MB_B="n/a"
if [[ $HAVE_MAPBOOK -eq 1 && -d "$WORK/mapbook_out" ]]; then
    read -r MB_RES MB_B < <(python3 - "$WORK/mapbook_out/postprocess.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["result"]
print("%g %g" % (r["resolution"]["shellResolution"], r["appliedBFactor"]))
EOF
    ) || true
fi

MAPBYTES=$(( SIZE * SIZE * SIZE * 4 ))
row() { printf '%-34s %18s %18s\n' "$@"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
times_map() { awk -v k="$1" -v b="$MAPBYTES" 'BEGIN { printf "%.2f x", k * 1024 / b }'; }

MB_WALL="n/a"; MB_RSS="n/a"; MB_MIB="n/a"; MB_X="n/a"
RL_WALL="n/a"; RL_RSS="n/a"; RL_MIB="n/a"; RL_X="n/a"; RATIO="n/a"
if [[ -s "$WORK/mapbook.time" ]]; then read -r MB_WALL MB_RSS < <(timing mapbook); MB_MIB="$(mib "$MB_RSS")"; MB_X="$(times_map "$MB_RSS")"; fi
if [[ -s "$WORK/relion.time" ]]; then read -r RL_WALL RL_RSS < <(timing relion); RL_MIB="$(mib "$RL_RSS")"; RL_X="$(times_map "$RL_RSS")"; fi
if [[ "$MB_WALL" != n/a && "$RL_WALL" != n/a ]]; then
    RATIO="$(awk -v r="$RL_WALL" -v m="$MB_WALL" 'BEGIN { if (m > 0) printf "%.2f", r / m; else print "inf" }')"
fi

echo
echo "postprocess benchmark: ${SIZE}^3 at ${VOXEL} A/px (one map = $(mib $(( MAPBYTES / 1024 ))) MiB), mask + auto B, $THREADS threads requested"
echo "  mapbook: $([[ $HAVE_MAPBOOK -eq 1 ]] && echo "$MAPBOOK" || echo "not run (--relion-only)")"
echo "  relion:  $(relion_postprocess --version 2>&1 | head -n 1 | sed 's/[[:space:]]*$//') ($RELION_J_DESC)"
row "" "mapbook" "relion_postprocess"
row "wall time (s)" "$MB_WALL" "$RL_WALL"
row "peak RSS (MiB)" "$MB_MIB" "$RL_MIB"
row "peak RSS / one map" "$MB_X" "$RL_X"
row "resolution (A, FSC 0.143)" "$MB_RES" "$RL_RES"
row "B factor (A^2)" "$MB_B" "$RL_B"
echo "wall-time ratio relion/mapbook: $RATIO"

if [[ $HAVE_MAPBOOK -eq 0 ]]; then
    echo
    echo "NOTE: mapbook half skipped (--relion-only); nothing was compared."
fi
if [[ $FAILED -ne 0 ]]; then
    echo "FAILED: at least one tool did not complete (see messages above)" >&2
    exit 1
fi
