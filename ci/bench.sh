#!/usr/bin/env bash
# The benchmarks (never part of the tests): wgarray against NumPy on the host
# and, where a CUDA GPU with CuPy and PyTorch is present, against them; writes
# benches/results/<machine>.{json,png} and rewrites BENCHMARKS.md.
# Arguments go to benches/bench.py (--quick, --machine NAME, --device vulkan:0).
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/setup.sh
python -m pip install -q --disable-pip-version-check "matplotlib>=3.7"
python benches/bench.py "$@"
