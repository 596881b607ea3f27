#!/usr/bin/env bash
# Rebuilds the simulated datasets in fixtures/ that tests and examples use.
#
#   fixtures/phantom/   48^3 at 1.2 A: the built-in helix bundle (4 x 20 residues), truth map
#                       blurred to 3.5 A on its -x half and 6 A on its +x half, half maps with
#                       a white-noise FSC crossing 0.143 at 4 A (exact design), seed 1.
#
# Deterministic: the same mapbook gives the same bytes (maps are gzipped with -n, so no name or
# time stamp enters the .gz). Set MAPBOOK_BIN to use an already built mapbook; otherwise this
# builds one in release mode.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -n "${MAPBOOK_BIN:-}" ]; then
    bin=$MAPBOOK_BIN
else
    swift build -c release --product mapbook
    bin=$(swift build -c release --show-bin-path)/mapbook
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" simulate --size 48 --voxel 1.2 --helix-residues 20 \
    --local-pattern split --best-resolution 3.5 --worst-resolution 6 --transition 8 \
    --resolution 4 --fsc-curve white-noise --seed 1 --quiet -o "$tmp/phantom"
for map in "$tmp"/phantom/*.mrc; do gzip -n -9 "$map"; done

rm -rf fixtures/phantom
mv "$tmp/phantom" fixtures/phantom
ls -l fixtures/phantom
