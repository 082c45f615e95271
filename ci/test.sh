#!/usr/bin/env bash
# Every test: each crate's Rust tests (naga validates every WGSL kernel; the
# dispatch layer runs on every device), then the Python suite on the CPU
# device and every GPU adapter, NumPy as the oracle. With CI=true a machine
# without a GPU adapter fails: the WGSL path runs for real on lavapipe.
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/setup.sh
# A second DLPack library for tests/test_dlpack.py (CPU-only JAX from PyPI).
python -m pip install -q --disable-pip-version-check "jax[cpu]>=0.4.30"
cargo test --release --workspace --exclude wgarray-python
# WGARRAY_SPIRV=1: Vulkan kernels go through wgarray's own SPIR-V (the path
# NVIDIA takes, declaring DenormPreserve); the rerun below takes wgpu's WGSL path.
WGARRAY_SPIRV=1 python -m pytest tests -q -p no:cacheprovider "$@"
# The suite again with lazy fusion off: every result must match either way.
WGARRAY_FUSION=0 WGARRAY_SPIRV=1 python -m pytest tests -q -p no:cacheprovider "$@"
# The ufunc, reduction, scan, function, mask, take, sort, order-statistic,
# ufunc-method, advanced-indexing, array-API and fusion suites again on GPUs that hide SHADER_F64 and SHADER_INT64, as
# Metal and many mobile GPUs lack them: float32/float16 kernels must not lean
# on 64-bit types (float64/int64 loops are absent there, not skipped). SUBGROUP
# is hidden too, so the workgroup-memory trees that replace subgroup builtins
# run against NumPy as well (the first run uses the builtins on lavapipe).
WGARRAY_GPU_MASK_FEATURES=f64,i64,subgroup python -m pytest tests/test_ufuncs.py tests/test_reductions.py tests/test_scans.py tests/test_functions.py tests/test_masks.py tests/test_take.py \
    tests/test_sorting.py tests/test_order_stats.py tests/test_ufunc_methods_at.py tests/test_advanced_indexing.py tests/test_array_api_functions.py tests/test_fusion.py -q -p no:cacheprovider
