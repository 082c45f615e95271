#!/usr/bin/env bash
# Every test: each crate's Rust tests (naga validates every WGSL kernel; the
# dispatch layer runs on every device), then the Python suite on the CPU
# device and every GPU adapter, NumPy as the oracle. With CI=true a machine
# without a GPU adapter fails: the WGSL path runs for real on lavapipe.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/setup.sh
cargo test --release --workspace --exclude wgarray-python
python -m pytest tests -q -p no:cacheprovider "$@"
