"""Reductions: ``ufunc.reduce`` and the NumPy functions built on it (sum,
prod, max, min, any, all, mean), computed on the array's device by the
native reduction engine (trees in workgroup memory on GPUs)."""

from __future__ import annotations

import builtins
import math
import operator
import warnings

import numpy as np

from . import _native
from ._dtypes import as_dtype, default_float, dtype_name
from ._ndarray import ndarray


def _axes(axis):
    """``axis=`` as a list of ints, or None for every axis."""
    if axis is None:
        return None
    if isinstance(axis, tuple):
        return [operator.index(a) for a in axis]
    return [operator.index(axis)]


def _array(name: str, x, out=None) -> ndarray:
    if type(x) is ndarray:
        return x
    from ._ufunc import _operands

    return _operands(name, [x], out)[0]


def _single_out(out):
    """``out=`` of a one-output method: an array, a 1-tuple, or None."""
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry")
        out = out[0]
    if out is not None and not isinstance(out, ndarray):
        raise TypeError("output must be an array")
    return out


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
    out = _single_out(out)
    x = _array(uf.__name__, array, out)
    init = None if initial is None else _host_scalar(initial, x.device)
    mask = None
    if where is not True:
        mask = where if isinstance(where, ndarray) else _from_host_mask(where, x.device)
    res = _native.reduce(
        uf.__name__, x._a, _axes(axis), None if dtype is None else dtype_name(as_dtype(dtype)),
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
    if dtype is None and out is None and where is True and x._a.dtype in ("float32", "float64"):
        # The common case, kept short (it is most of a small mean's cost):
        # the sum in the input's dtype over the count, both on the device.
        total = _native.reduce("add", x._a, _axes(axis), None, None, bool(keepdims), None, None)
        shape = x.shape
        axes = range(len(shape)) if axis is None else [a % builtins.max(len(shape), 1) for a in _axes(axis)]
        count = math.prod(shape[a] for a in axes) if shape else 1
        if count:
            return ndarray._wrap(total) / count
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
        count = math.prod(x.shape[a] for a in axes) if x.ndim else 1
        if count == 0:
            warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=2)
            with np.errstate(invalid="ignore", divide="ignore"):
                res = ufuncs["divide"](total, count)
        else:
            res = total / count
    else:
        from ._manipulation import broadcast_to

        m = where if isinstance(where, ndarray) else _from_host_mask(where, x.device)
        counts = reduce(ufuncs["add"], broadcast_to(m, x.shape), axis, acc, None, keepdims, None, True)
        res = ufuncs["divide"](total, counts)
    return _finish(res, result_dtype, out)


# --- where, and reductions composed from the ones above (all on the device) ---

def where(condition, x=None, y=None, /):
    """``np.where``: with ``x`` and ``y``, elements of ``x`` where ``condition``
    holds, else of ``y`` (NumPy's promotion); with the condition alone,
    ``nonzero(condition)``."""
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    from ._ufunc import _operands

    c, a, b = _operands("where", [condition, x, y], None)
    dt = np.result_type(a.dtype, b.dtype)
    a = a if a.dtype == dt else a.astype(dt)
    b = b if b.dtype == dt else b.astype(dt)
    return ndarray._wrap(_native.select(c._a, a._a, b._a))


def _count(x: ndarray, axis, keepdims, where, dtype) -> ndarray | int:
    """Elements each slice reduces over: an int without ``where``, else per slice."""
    if where is True:
        axes = range(x.ndim) if axis is None else [a % builtins.max(x.ndim, 1) for a in _axes(axis)]
        return math.prod(x.shape[a] for a in axes) if x.ndim else 1
    from ._manipulation import broadcast_to

    m = where if isinstance(where, ndarray) else _from_host_mask(where, x.device)
    return reduce(_ufuncs()["add"], broadcast_to(m, x.shape), axis, dtype, None, keepdims, None, True)


def _float_dtypes(x: ndarray, dtype):
    """(the dtype a mean/var runs in, the dtype it returns): NumPy's float64
    for integers and bool (the device's default float without float64),
    float32 for float16 (returned as float16)."""
    if dtype is not None:
        d = as_dtype(dtype)
        return d, d
    if x.dtype.kind in "biu":
        d = default_float(x.device)
        return d, d
    if x.dtype == np.float16:
        return np.dtype(np.float32), x.dtype
    return x.dtype, x.dtype


def _finish(res: ndarray, result_dtype, out):
    if res.dtype != result_dtype:
        res = res.astype(result_dtype)
    if out is not None:
        out[...] = res
        return out
    return res


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None):
    """``np.var``: mean of squared deviations, divided by ``n - ddof``."""
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    x = _array("var", a)
    ufuncs = _ufuncs()
    acc, result_dtype = _float_dtypes(x, dtype)
    xf = x if x.dtype == acc else x.astype(acc)
    m = globals()["mean"](xf, axis, acc, None, True, where=where) if mean is None else _array("var", mean)
    d = ufuncs["subtract"](xf, m)
    sq = ufuncs["multiply"](d, d)
    total = reduce(ufuncs["add"], sq, axis, acc, None, keepdims, None, where)
    n = _count(x, axis, keepdims, where, acc)
    if isinstance(n, ndarray):
        denom = ufuncs["maximum"](ufuncs["subtract"](n, ddof), 0)
    else:
        denom = n - ddof
    if not isinstance(denom, ndarray) and denom <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        denom = ufuncs["maximum"](_host_scalar(denom, x.device).astype(acc), 0)
    res = ufuncs["divide"](total, denom)
    return _finish(res, result_dtype, out)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None):
    """``np.std``: the square root of ``var``."""
    v = var(a, axis, dtype, None, ddof, keepdims, where=where, mean=mean, correction=correction)
    return _finish(_ufuncs()["sqrt"](v), v.dtype, out)


def ptp(a, axis=None, out=None, keepdims=False):
    """``np.ptp``: maximum minus minimum."""
    x = _array("ptp", a)
    hi = reduce(_ufuncs()["maximum"], x, axis, None, None, keepdims, None, True)
    lo = reduce(_ufuncs()["minimum"], x, axis, None, None, keepdims, None, True)
    return _finish(_ufuncs()["subtract"](hi, lo), hi.dtype, out)


def count_nonzero(a, axis=None, *, keepdims=False):
    """``np.count_nonzero`` (a 0-d array for ``axis=None``, where NumPy gives an int)."""
    x = _array("count_nonzero", a)
    nz = _ufuncs()["not_equal"](x, False if x.dtype == np.bool_ else 0)
    return reduce(_ufuncs()["add"], nz, axis, None, None, keepdims, None, True)


def _not_nan(x: ndarray):
    return True if x.dtype.kind != "f" else _ufuncs()["logical_not"](_ufuncs()["isnan"](x))


def _and_where(mask, where):
    if where is True:
        return mask
    if mask is True:
        return where
    return _ufuncs()["logical_and"](mask, where if isinstance(where, ndarray) else np.asarray(where, dtype=bool))


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """``np.nansum``: NaN counts as zero."""
    x = _array("nansum", a)
    return reduce(_ufuncs()["add"], x, axis, dtype, out, keepdims, initial, _and_where(_not_nan(x), where))


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """``np.nanprod``: NaN counts as one."""
    x = _array("nanprod", a)
    return reduce(_ufuncs()["multiply"], x, axis, dtype, out, keepdims, initial, _and_where(_not_nan(x), where))


def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    """``np.nanmax``: fmax.reduce (NaN only where a slice is all NaN)."""
    return reduce(_ufuncs()["fmax"], a, axis, None, out, keepdims, initial, where)


def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    """``np.nanmin``: fmin.reduce (NaN only where a slice is all NaN)."""
    return reduce(_ufuncs()["fmin"], a, axis, None, out, keepdims, initial, where)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """``np.nanmean``: the mean of the non-NaN elements (NaN for none)."""
    x = _array("nanmean", a)
    if x.dtype.kind != "f":
        return globals()["mean"](x, axis, dtype, out, keepdims, where=where)
    return globals()["mean"](x, axis, dtype, out, keepdims, where=_and_where(_not_nan(x), where))


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None):
    """``np.nanvar``: ``var`` over the non-NaN elements."""
    x = _array("nanvar", a)
    if x.dtype.kind != "f":
        return var(x, axis, dtype, out, ddof, keepdims, where=where, mean=mean, correction=correction)
    return var(x, axis, dtype, out, ddof, keepdims, where=_and_where(_not_nan(x), where), mean=mean, correction=correction)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None):
    """``np.nanstd``: the square root of ``nanvar``."""
    v = nanvar(a, axis, dtype, None, ddof, keepdims, where=where, mean=mean, correction=correction)
    return _finish(_ufuncs()["sqrt"](v), v.dtype, out)


def _arg_extreme(name, a, axis, out, keepdims, fold, skip_nan):
    """The first index of the extreme along ``axis`` (flattened for None):
    the extreme by a reduction, then the smallest index where it occurs."""
    from ._creation import arange
    from ._manipulation import reshape

    x = _array(name, a)
    if axis is None:
        flat = reshape(x if x.flags.c_contiguous else x.copy(), -1)
        r = _arg_extreme(name, flat, 0, None, False, fold, skip_nan)
        if keepdims:
            r = reshape(r, (1,) * x.ndim)
        return _finish(r, r.dtype, out)
    ax = operator.index(axis)
    if not -builtins.max(x.ndim, 1) <= ax < builtins.max(x.ndim, 1):
        raise np.exceptions.AxisError(f"axis {ax} is out of bounds for array of dimension {x.ndim}")
    ax %= builtins.max(x.ndim, 1)
    if x.ndim == 0:
        zero = _host_scalar(0, x.device)
        return _finish(zero, zero.dtype, out)
    n = x.shape[ax]
    if n == 0:
        raise ValueError(f"attempt to get {name} of an empty sequence")
    u = _ufuncs()
    ext = reduce(fold, x, ax, None, None, True, None, True)
    hit = u["equal"](x, ext)
    if x.dtype.kind == "f":
        both_nan = u["logical_and"](u["isnan"](x), u["isnan"](ext))
        hit = u["logical_or"](hit, both_nan)
    idx_dtype = np.int64 if x.device.is_cpu or x.device.info["i64"] else np.int32
    shape = [1] * x.ndim
    shape[ax] = n
    idx = reshape(arange(n, dtype=idx_dtype, device=x.device), shape)
    cand = where(hit, idx, np.dtype(idx_dtype).type(n))
    r = reduce(u["minimum"], cand, ax, None, None, keepdims, None, True)
    if skip_nan and x.dtype.kind == "f":
        # An all-NaN slice has no answer: NumPy raises.
        allnan = reduce(u["logical_and"], u["isnan"](x), ax, None, None, False, None, True)
        if bool(reduce(u["logical_or"], allnan, None, None, None, False, None, True).get()):
            raise ValueError("All-NaN slice encountered")
    return _finish(r, r.dtype, out)


def argmax(a, axis=None, out=None, *, keepdims=False):
    """``np.argmax``: the first index of the maximum (of the first NaN, if any)."""
    return _arg_extreme("argmax", a, axis, out, keepdims, _ufuncs()["maximum"], False)


def argmin(a, axis=None, out=None, *, keepdims=False):
    """``np.argmin``: the first index of the minimum (of the first NaN, if any)."""
    return _arg_extreme("argmin", a, axis, out, keepdims, _ufuncs()["minimum"], False)


def nanargmax(a, axis=None, out=None, *, keepdims=False):
    """``np.nanargmax``: ``argmax`` ignoring NaN (an all-NaN slice raises ValueError)."""
    return _arg_extreme("nanargmax", a, axis, out, keepdims, _ufuncs()["fmax"], True)


def nanargmin(a, axis=None, out=None, *, keepdims=False):
    """``np.nanargmin``: ``argmin`` ignoring NaN (an all-NaN slice raises ValueError)."""
    return _arg_extreme("nanargmin", a, axis, out, keepdims, _ufuncs()["fmin"], True)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """``np.diff``: ``n``-th differences along ``axis`` (not_equal for bool)."""
    x = _array("diff", a)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n!r}")
    if n == 0:
        return x
    if x.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    ax = operator.index(axis)
    if not -x.ndim <= ax < x.ndim:
        raise np.exceptions.AxisError(f"axis {ax} is out of bounds for array of dimension {x.ndim}")
    ax %= x.ndim
    if prepend is not None or append is not None:
        x = _with_ends(x, ax, prepend, append)
    op = _ufuncs()["not_equal" if x.dtype == np.bool_ else "subtract"]
    lo = [slice(None)] * x.ndim
    hi = [slice(None)] * x.ndim
    lo[ax], hi[ax] = slice(None, -1), slice(1, None)
    for _ in range(n):
        x = op(x[tuple(hi)], x[tuple(lo)])
    return x


def _with_ends(x: ndarray, ax: int, prepend, append) -> ndarray:
    """``diff``'s ``concatenate((prepend, x, append), axis=ax)``, a 0-d end
    broadcast to one slice of ``x``; ends take their own dtypes (Python
    scalars NumPy's defaults, the device's where it lacks them), as in NumPy."""
    from ._dtypes import host_default
    from ._functions import concatenate
    from ._manipulation import broadcast_to
    from ._ufunc import _operands

    parts = []
    for v in (prepend, x, append):
        if v is None:
            continue
        if v is not x:
            if isinstance(v, (bool, int, float)):
                v = host_default(np.asarray(v), x.device)[()]
            v = _operands("diff", [x, v], None)[1]
            if v.ndim == 0:
                shape = list(x.shape)
                shape[ax] = 1
                v = broadcast_to(v, tuple(shape))
        parts.append(v)
    return concatenate(parts, axis=ax)


# --- scans -------------------------------------------------------------------

def accumulate(uf, array, axis=0, dtype=None, out=None):
    """``uf.accumulate(array, axis, dtype, out)`` with NumPy's semantics."""
    out = _single_out(out)
    x = _array(uf.__name__, array, out)
    if axis is None or isinstance(axis, tuple):
        if isinstance(axis, tuple) and len(axis) == 1:
            axis = axis[0]
        elif x.ndim > 1 or axis is None and x.ndim == 0:
            raise ValueError("accumulate does not allow multiple axes")
        else:
            axis = 0
    res = _native.accumulate(uf.__name__, x._a, operator.index(axis), None if dtype is None else dtype_name(as_dtype(dtype)),
                             None if out is None else out._a)
    return out if out is not None else ndarray._wrap(res)


def _flat(x: ndarray) -> ndarray:
    from ._manipulation import reshape

    return reshape(x if x.flags.c_contiguous else x.copy(), -1)


def cumsum(a, axis=None, dtype=None, out=None):
    """``np.cumsum``: add.accumulate (over the flattened array for axis=None)."""
    x = _array("cumsum", a)
    if axis is None:
        x, axis = _flat(x), 0
    return accumulate(_ufuncs()["add"], x, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """``np.cumprod``: multiply.accumulate (over the flattened array for axis=None)."""
    x = _array("cumprod", a)
    if axis is None:
        x, axis = _flat(x), 0
    return accumulate(_ufuncs()["multiply"], x, axis, dtype, out)


def _nan_to(x: ndarray, value) -> ndarray:
    if x.dtype.kind != "f":
        return x
    return where(_ufuncs()["isnan"](x), x.dtype.type(value), x)


def nancumsum(a, axis=None, dtype=None, out=None):
    """``np.nancumsum``: NaN counts as zero."""
    return cumsum(_nan_to(_array("nancumsum", a), 0), axis, dtype, out)


def nancumprod(a, axis=None, dtype=None, out=None):
    """``np.nancumprod``: NaN counts as one."""
    return cumprod(_nan_to(_array("nancumprod", a), 1), axis, dtype, out)


def _cumulative(name, uf_name, x, axis, dtype, out, include_initial):
    x = _array(name, x)
    if axis is None:
        if x.ndim > 1:
            raise ValueError("For arrays which have more than one dimension ``axis`` argument is required.")
        axis = 0
    if x.ndim == 0:
        x = x.reshape(1)
    r = accumulate(_ufuncs()[uf_name], x, axis, dtype, None if include_initial else out)
    if include_initial:
        from ._creation import zeros

        ax = operator.index(axis) % x.ndim
        shape = list(r.shape)
        shape[ax] += 1
        full = zeros(tuple(shape), dtype=r.dtype, device=r.device)
        if uf_name == "multiply":
            full[...] = 1
        idx = [slice(None)] * x.ndim
        idx[ax] = slice(1, None)
        full[tuple(idx)] = r
        r = full
        if out is not None:
            out[...] = r
            return out
    return r


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False, out=None):
    """``np.cumulative_sum`` (the array API's): include_initial starts from 0."""
    return _cumulative("cumulative_sum", "add", x, axis, dtype, out, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False, out=None):
    """``np.cumulative_prod``: include_initial starts from 1."""
    return _cumulative("cumulative_prod", "multiply", x, axis, dtype, out, include_initial)


# --- data-dependent shapes (the count is read back) -----------------------------------

def nonzero(a):
    """``np.nonzero``: a tuple of index arrays, one per axis."""
    x = _array("nonzero", a)
    if x.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead. "
                         "If the context of this error is of the form `arr[nonzero(cond)]`, just use `arr[cond]`.")
    return x.nonzero()


def flatnonzero(a):
    """``np.flatnonzero``: indices of the true elements of the flattened array."""
    return ndarray._wrap(_array("flatnonzero", a)._a.flatnonzero())


def argwhere(a):
    """``np.argwhere``: one row of indices per true element."""
    from ._functions import stack

    x = _array("argwhere", a)
    if x.ndim == 0:
        x = x.reshape(1)
        idx = x.nonzero()
        return idx[0].reshape((-1, 0))
    return stack(x.nonzero(), axis=1)
