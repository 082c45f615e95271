"""Reductions: ``ufunc.reduce`` and the NumPy functions built on it (sum,
prod, max, min, any, all, mean), computed on the array's device by the
native reduction engine (trees in workgroup memory on GPUs)."""

from __future__ import annotations

import builtins
import operator
import warnings

import numpy as np

from . import _native
from ._dtypes import as_dtype, default_float
from ._ndarray import ndarray


def _axes(axis):
    """``axis=`` as a list of ints, or None for every axis."""
    if axis is None:
        return None
    if isinstance(axis, tuple):
        return [operator.index(a) for a in axis]
    return [operator.index(axis)]


def _array(name: str, x, out=None) -> ndarray:
    from ._ufunc import _operands

    return _operands(name, [x], out)[0]


def _host_scalar(value, device) -> ndarray:
    """A 0-d array of a Python/NumPy scalar on ``device`` (64-bit types narrowed
    where the device lacks them: the value is cast to the loop's dtype anyway)."""
    from ._ufunc import _upload

    host = np.asarray(value)
    if host.dtype.kind not in "biuf" or host.ndim != 0:
        raise TypeError(f"initial must be a number, not {type(value).__name__}")
    info = device.info if not device.is_cpu else None
    if info is not None:
        if host.dtype == np.float64 and not info["f64"]:
            host = host.astype(np.float32)
        elif host.dtype.itemsize == 8 and host.dtype.kind in "iu" and not info["i64"]:
            host = host.astype(np.int32 if host.dtype.kind == "i" else np.uint32)
    return _upload(host, device)


def reduce(uf, array, axis=0, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """``uf.reduce(array, axis, dtype, out, keepdims, initial, where)`` with NumPy's semantics."""
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry")
        out = out[0]
    if out is not None and not isinstance(out, ndarray):
        raise TypeError("output must be an array")
    x = _array(uf.__name__, array, out)
    init = None if initial is None else _host_scalar(initial, x.device)
    mask = None
    if where is not True:
        mask = where if isinstance(where, ndarray) else _from_host_mask(where, x.device)
    res = _native.reduce(
        uf.__name__, x._a, _axes(axis), None if dtype is None else as_dtype(dtype).name,
        None if out is None else out._a, bool(keepdims), None if init is None else init._a,
        None if mask is None else mask._a,
    )
    return out if out is not None else ndarray._wrap(res)


def _from_host_mask(where, device) -> ndarray:
    from ._ufunc import _upload

    return _upload(np.asarray(where, dtype=bool), device)


def _ufuncs():
    from . import _UFUNCS

    return _UFUNCS


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):  # noqa: A001
    """``np.sum``: add.reduce; small integers and bool sum in int64 (uint64)."""
    return reduce(_ufuncs()["add"], a, axis, dtype, out, keepdims, initial, where)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """``np.prod``: multiply.reduce."""
    return reduce(_ufuncs()["multiply"], a, axis, dtype, out, keepdims, initial, where)


def max(a, axis=None, out=None, keepdims=False, initial=None, where=True):  # noqa: A001
    """``np.max``: maximum.reduce (NaN propagates)."""
    return reduce(_ufuncs()["maximum"], a, axis, None, out, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=False, initial=None, where=True):  # noqa: A001
    """``np.min``: minimum.reduce (NaN propagates)."""
    return reduce(_ufuncs()["minimum"], a, axis, None, out, keepdims, initial, where)


def any(a, axis=None, out=None, keepdims=False, *, where=True):  # noqa: A001
    """``np.any``: logical_or.reduce of the values' truth."""
    return reduce(_ufuncs()["logical_or"], a, axis, None, out, keepdims, None, where)


def all(a, axis=None, out=None, keepdims=False, *, where=True):  # noqa: A001
    """``np.all``: logical_and.reduce of the values' truth."""
    return reduce(_ufuncs()["logical_and"], a, axis, None, out, keepdims, None, where)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """``np.mean``: the sum in float64 for integers and bool (the device's
    default float where it lacks float64), float32 for float16, divided by
    the count; an empty mean is NaN with NumPy's RuntimeWarning."""
    x = _array("mean", a)
    ufuncs = _ufuncs()
    if dtype is None:
        kind = x.dtype.kind
        acc = default_float(x.device) if kind in "biu" else (np.dtype(np.float32) if x.dtype == np.float16 else x.dtype)
        result_dtype = x.dtype if x.dtype == np.float16 else acc
    else:
        acc = result_dtype = as_dtype(dtype)
    total = reduce(ufuncs["add"], x, axis, acc, None, keepdims, None, where)
    if where is True:
        axes = range(x.ndim) if axis is None else [a % builtins.max(x.ndim, 1) for a in _axes(axis)]
        count = int(np.prod([x.shape[a] for a in axes])) if x.ndim else 1
        if count == 0:
            warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            res = ufuncs["divide"](total, count)
    else:
        from ._manipulation import broadcast_to

        m = where if isinstance(where, ndarray) else _from_host_mask(where, x.device)
        counts = reduce(ufuncs["add"], broadcast_to(m, x.shape), axis, acc, None, keepdims, None, True)
        res = ufuncs["divide"](total, counts)
    if res.dtype != result_dtype:
        res = res.astype(result_dtype)
    if out is not None:
        out[...] = res
        return out
    return res
