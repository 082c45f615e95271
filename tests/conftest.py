"""Shared fixtures: every test that takes ``device`` runs on the CPU device and
on every GPU adapter present. With CI=true a missing adapter is a failure:
the WGSL path must run for real (on lavapipe in CI)."""

import os

import numpy as np
import pytest
from hypothesis import settings

import wgarray as wa

# CI runs the same examples every time (a failure there is reproducible);
# local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

DEVICES = wa.devices()
GPUS = [d for d in DEVICES if not d.is_cpu]

if os.environ.get("CI") == "true" and not GPUS:
    raise RuntimeError(
        "CI=true but wgpu found no GPU adapter: the GPU tests cannot run. "
        "Install Mesa's lavapipe (apt-get install mesa-vulkan-drivers)."
    )

ALL_DTYPES = [np.dtype(n) for n in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
)]


def device_dtypes(device) -> list:
    """The dtypes ``device`` can hold."""
    info = device.info
    out = []
    for d in ALL_DTYPES:
        if d == np.float64 and not info["f64"]:
            continue
        if d.itemsize == 8 and d.kind in "iu" and not info["i64"]:
            continue
        out.append(d)
    return out


@pytest.fixture(params=DEVICES, ids=[d.name for d in DEVICES])
def device(request):
    return request.param


@pytest.fixture(params=GPUS or [None], ids=[d.name for d in GPUS] or ["no-gpu"])
def gpu(request):
    if request.param is None:
        pytest.skip("no GPU adapter on this machine (CI=true makes this a failure)")
    return request.param


def sample(dtype, shape, rng, special=True) -> np.ndarray:
    """Values of ``dtype`` covering its range, with NaN, ±inf, −0.0 and
    integer extremes mixed in."""
    dtype = np.dtype(dtype)
    n = int(np.prod(shape, dtype=np.int64))
    if dtype.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        v = rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)
        if special and n >= 3:
            v[:3] = [info.min, info.max, 0]
        return v.reshape(shape)
    v = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, size=n)).astype(dtype)
    if special and n >= 6:
        v[:6] = [np.nan, np.inf, -np.inf, -0.0, np.finfo(dtype).max, np.finfo(dtype).smallest_subnormal]
    return v.reshape(shape)
