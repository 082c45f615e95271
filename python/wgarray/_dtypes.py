"""dtypes: NumPy's dtype objects, the subset wgarray stores, and NEP 50's
rules for Python scalars mixed with arrays."""

from __future__ import annotations

import numpy as np

SUPPORTED = {
    np.dtype(n)
    for n in (
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64",
    )
}


def as_dtype(dtype) -> np.dtype:
    """``np.dtype(dtype)``, refused with TypeError when wgarray cannot store it."""
    d = np.dtype(dtype)
    if d not in SUPPORTED:
        raise TypeError(f"wgarray does not support the dtype '{d}'")
    return d.newbyteorder("=")


_NAMES: dict = {}


def dtype_name(d: np.dtype) -> str:
    """``d.name``, cached: NumPy computes it in Python (~2 us a call), and
    every call into the native layer names its dtypes."""
    n = _NAMES.get(d)
    if n is None:
        n = _NAMES[d] = d.name
    return n


def default_float(device) -> np.dtype:
    return np.dtype(device._d.default_float)


def default_int(device) -> np.dtype:
    return np.dtype(device._d.default_int)


def host_default(arr: np.ndarray, device) -> np.ndarray:
    """Applies a device's default dtypes to data NumPy typed by its own defaults
    (float64/int64 where the device has no float64/int64)."""
    if arr.dtype == np.float64 and default_float(device) != np.float64:
        return arr.astype(default_float(device))
    if arr.dtype == np.int64 and default_int(device) != np.int64:
        return arr.astype(default_int(device))
    return arr


def weak_scalar_dtype(value, other: np.dtype | None, device) -> np.dtype:
    """NEP 50: the dtype a Python bool/int/float takes next to arrays of dtype
    ``other`` (None when there are no arrays)."""
    if isinstance(value, bool):
        return np.dtype(bool)
    if isinstance(value, int):
        if other is None or other.kind == "b":
            return default_int(device)
        return other
    # float
    if other is not None and other.kind == "f":
        return other
    return default_float(device)
