# Sourced by the bench scripts: their options, the repository, the mapbook binary and a scratch
# folder, the same way in every script.
#
# bench_setup NAME "$@" parses --keep and --help, changes to the repository root and sets
#   REPO     the repository root
#   THREADS  $BENCH_THREADS (default 2)
#   MAPBOOK  $MAPBOOK (default .build/release/mapbook, built with `swift build -c release` when missing)
#   WORK     a new folder under $TMPDIR (default /tmp), removed on exit unless --keep is given
bench_setup() {
    local name="$1"; shift
    KEEP=0
    for arg in "$@"; do
        case "$arg" in
            --keep) KEEP=1 ;;
            # The script's header comment is its help.
            -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
            *) echo "unknown argument: $arg (see --help)" >&2; exit 1 ;;
        esac
    done
    REPO="$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)"
    cd "$REPO"
    THREADS="${BENCH_THREADS:-2}"
    MAPBOOK="${MAPBOOK:-$REPO/.build/release/mapbook}"
    if [ ! -x "$MAPBOOK" ]; then
        echo "== building mapbook (release)"
        swift build -c release
    fi
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/mapbook-$name.XXXXXX")"
    trap bench_cleanup EXIT
}

bench_cleanup() {
    if [ "$KEEP" -eq 0 ]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi
}

# bench_load: the load averages (1, 5, 15 min), to print beside timings.
bench_load() { awk '{print $1" "$2" "$3}' /proc/loadavg 2>/dev/null || uptime; }

# bench_pair SIZE: a deterministic synthetic pair (FSC 0.143 at 3.5 Å, 1 Å voxels, seed 1) in
# $WORK/pair; sets H1 and H2 to its half maps.
bench_pair() {
    echo "== synthetic ${1}^3 pair at 1 Å/voxel, FSC 0.143 at 3.5 Å"
    "$MAPBOOK" synthetic-pair --size "$1" --voxel 1 --resolution 3.5 --seed 1 -o "$WORK/pair" --quiet
    H1="$WORK/pair/half1.mrc"; H2="$WORK/pair/half2.mrc"
}
