#!/usr/bin/env bash
# The demo: lists the devices, then runs NumPy-style work on the default
# device and on a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/setup.sh
python ci/demo.py
