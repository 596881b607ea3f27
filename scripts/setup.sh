#!/usr/bin/env bash
# Sets up a fresh Debian machine for mapbook and runs its main job, the demo report.
#
#   1. installs the system libraries mapbook binds to (FFTW single precision with threads,
#      Cairo, libpng, zlib) and the font its figures name (DejaVu) when they are missing —
#      or, when not root, prints the exact apt-get line to run and stops;
#   2. builds mapbook in release mode;
#   3. runs `mapbook demo`: makes the example half-map pair (deterministic, 96^3 at 1.5 A) in
#      fixtures/example/ when it is missing, runs the bundled plan fixtures/demo/plan.yaml on
#      it, and writes the report (HTML, PDF, Jupyter notebook, figures, data) to reports/demo/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(libfftw3-dev libcairo2-dev libpng-dev zlib1g-dev pkg-config fonts-dejavu-core)
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

echo "== mapbook demo"
"$bin" demo
echo "== done: open reports/demo/report.html (also report.pdf and report.ipynb; figures/, data/, maps/ beside them)"
