#!/usr/bin/env bash
# Sets up a fresh Debian machine for mapbook and runs the main job on the bundled example.
#
#   1. installs the system libraries mapbook binds to (FFTW single precision with threads,
#      Cairo, libpng, zlib) when they are missing — or, when not root, prints the exact
#      apt-get line to run and stops;
#   2. builds mapbook in release mode;
#   3. makes the example half-map pair (deterministic, 96^3 at 1.5 A) under fixtures/example/
#      and post-processes it into reports/example/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(libfftw3-dev libcairo2-dev libpng-dev zlib1g-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "== installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        echo "mapbook needs these Debian packages; run as root:" >&2
        echo "  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

echo "== building mapbook (release)"
swift build -c release
bin=$(swift build -c release --show-bin-path)/mapbook

if [ ! -f fixtures/example/half1.mrc ]; then
    echo "== making the example pair in fixtures/example/"
    "$bin" synthetic-pair --size 96 --voxel 1.5 --resolution 4.5 --seed 1 -o fixtures/example
fi
echo "== mapbook postprocess on the example"
"$bin" postprocess fixtures/example/half1.mrc fixtures/example/half2.mrc --auto-mask --auto-bfactor -o reports/example
echo "== done: reports/example/ holds the sharpened map, postprocess.json and the EMDB FSC XML"
