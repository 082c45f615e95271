"""Integer-array selection on the device: take, take_along_axis, compress,
extract, put, put_along_axis and ``x[int_array]`` — each a flat index
array built by broadcasting on the device, then one gather (or scatter).
Bounds are NumPy's (``mode='raise'`` reads the indices' extremes back)."""

from __future__ import annotations

import numpy as np

from ._ndarray import ndarray


def _u():
    from . import _UFUNCS

    return _UFUNCS


def _arr(name, *xs):
    from ._ufunc import _operands

    return _operands(name, list(xs), None)


def _idx_dtype(x: ndarray):
    return np.dtype(np.int64) if x.device.is_cpu or x.device.info["i64"] else np.dtype(np.int32)


def _arange(n: int, x: ndarray, shape) -> ndarray:
    from ._creation import arange

    return arange(n, dtype=_idx_dtype(x), device=x.device).reshape(shape)


def _checked(idx: ndarray, n: int, axis, mode: str, like: ndarray) -> ndarray:
    """Indices into an axis of length ``n``: NumPy's modes (raise, wrap, clip)."""
    u = _u()
    if idx.dtype.kind not in "iu":
        if idx.dtype.kind == "b" or idx.size:
            raise IndexError("arrays used as indices must be of integer (or boolean) type")
    idx = idx.astype(_idx_dtype(like)) if idx.dtype != _idx_dtype(like) else idx
    if mode == "wrap":
        return u["remainder"](idx, n) if n else idx
    if mode == "clip":
        return u["minimum"](u["maximum"](idx, 0), max(n - 1, 0))
    if mode != "raise":
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    if idx.size:
        from ._reductions import max as amax, min as amin

        lo, hi = int(amin(idx).get()), int(amax(idx).get())
        bad = hi if hi >= n else (lo if lo < -n else None)
        if bad is not None:
            where = f"axis {axis} with size {n}" if axis is not None else f"size {n}"
            raise IndexError(f"index {bad} is out of bounds for {where}")
        if lo < 0:
            idx = u["add"](idx, u["multiply"](u["less"](idx, 0).astype(idx.dtype), n))
    return idx


def _flat(x: ndarray) -> ndarray:
    return x.reshape(-1) if x.flags.c_contiguous else x.copy().reshape(-1)


def take(a, indices, axis=None, out=None, mode="raise"):
    """``np.take``."""
    x, i = _arr("take", a, indices)
    if axis is None:
        f = _flat(x)
        res = ndarray._wrap(f._a.take_flat(_checked(i, f.size, None, mode, x)._a))
    else:
        from ._functions import _axis

        ax = _axis(axis, max(x.ndim, 1))
        n = x.shape[ax]
        pre, post = int(np.prod(x.shape[:ax])), int(np.prod(x.shape[ax + 1:]))
        ii = _checked(i, n, ax, mode, x)
        if n == 0 and ii.size:
            raise IndexError("cannot do a non-empty take from an empty axes.")
        u = _u()
        k = ii.ndim
        full = u["add"](u["add"](u["multiply"](_arange(pre, x, (pre,) + (1,) * (k + 1)), n * post),
                                 u["multiply"](ii.reshape((1,) + ii.shape + (1,)), post)),
                        _arange(post, x, (1,) * (k + 1) + (post,)))
        res = ndarray._wrap(_flat(x)._a.take_flat(full._a)).reshape(x.shape[:ax] + ii.shape + x.shape[ax + 1:])
    if out is not None:
        out[...] = res
        return out
    return res


def _along_index(x: ndarray, ii: ndarray, ax: int) -> ndarray:
    """Flat C-order positions in ``x`` of ``x[..., ii, ...]`` along ``ax``."""
    u = _u()
    shape = list(np.broadcast_shapes(tuple(1 if d == ax else s for d, s in enumerate(x.shape)),
                                     tuple(1 if d == ax else s for d, s in enumerate(ii.shape))))
    shape[ax] = ii.shape[ax]
    strides = [int(np.prod(x.shape[d + 1:])) for d in range(x.ndim)]
    total = u["multiply"](ii, strides[ax])
    for d in range(x.ndim):
        if d == ax or x.shape[d] == 1:
            continue
        r = [1] * x.ndim
        r[d] = shape[d]
        total = u["add"](total, u["multiply"](_arange(shape[d], x, tuple(r)), strides[d]))
    from ._manipulation import broadcast_to

    return broadcast_to(total, tuple(shape))


def take_along_axis(arr, indices, axis=-1):
    """``np.take_along_axis``."""
    x, i = _arr("take_along_axis", arr, indices)
    if axis is None:
        x, axis = _flat(x), 0
        if i.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
    if i.ndim != x.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    from ._functions import _axis

    ax = _axis(axis, x.ndim)
    ii = _checked(i, x.shape[ax], ax, "raise", x)
    return ndarray._wrap(_flat(x)._a.take_flat(_along_index(x, ii, ax)._a))


def compress(condition, a, axis=None, out=None):
    """``np.compress``: the slices where ``condition`` holds."""
    c, x = _arr("compress", condition, a)
    if c.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    (idx,) = c.nonzero()
    return take(x, idx, axis=axis, out=out)


def extract(condition, arr):
    """``np.extract``: ``arr.ravel()[condition.ravel() != 0]``."""
    c, x = _arr("extract", condition, arr)
    return _flat(x)[_u()["not_equal"](_flat(c), 0)]


def _scatter_flat(x: ndarray, flat_idx: ndarray, values: ndarray) -> None:
    """``x.flat[flat_idx] = values`` through a 32/64-bit temporary."""
    from ._manipulation import broadcast_to

    wide = {np.dtype(np.float16): np.float32, np.dtype(np.int8): np.int32, np.dtype(np.int16): np.int32,
            np.dtype(np.bool_): np.uint32, np.dtype(np.uint8): np.uint32, np.dtype(np.uint16): np.uint32}
    tmp = x.astype(wide.get(x.dtype, x.dtype))
    v = broadcast_to(values, flat_idx.shape) if values.shape != flat_idx.shape else values
    tmp._a.scatter_into(_flat(flat_idx)._a, _flat(v)._a)
    x[...] = tmp


def put(a, ind, v, mode="raise"):
    """``np.put``: ``a.flat[ind] = v`` (``v`` repeated to fit)."""
    from ._creation import _value_for
    from ._functions import tile

    if not isinstance(a, ndarray):
        raise TypeError(f"put() argument 1 must be wgarray.ndarray, not {type(a).__name__}")
    (i,) = _arr("put", ind)
    ii = _checked(i, a.size, None, mode, a)
    vals = _flat(_value_for(v, a) if not isinstance(v, ndarray) else v)
    if ii.size == 0:
        return
    if vals.size != ii.size:
        reps = -(-ii.size // max(vals.size, 1))
        vals = tile(vals, reps)[: ii.size]
    _scatter_flat(a, _flat(ii), vals.astype(a.dtype))


def put_along_axis(arr, indices, values, axis):
    """``np.put_along_axis``."""
    from ._creation import _value_for
    from ._functions import _axis
    from ._manipulation import broadcast_to

    if not isinstance(arr, ndarray):
        raise TypeError(f"put_along_axis() argument 1 must be wgarray.ndarray, not {type(arr).__name__}")
    (i,) = _arr("put_along_axis", indices)
    if axis is None:
        raise NotImplementedError("put_along_axis with axis=None is not implemented yet")
    ax = _axis(axis, arr.ndim)
    ii = _checked(i, arr.shape[ax], ax, "raise", arr)
    pos = _along_index(arr, ii, ax)
    v = _value_for(values, arr) if not isinstance(values, ndarray) else values.astype(arr.dtype)
    _scatter_flat(arr, pos.copy(), broadcast_to(v, pos.shape))
