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


# --- built on take ------------------------------------------------------------------

def _host_index(x: ndarray, values) -> ndarray:
    """A small host-built index vector on ``x``'s device (metadata, not data)."""
    from ._creation import asarray

    return asarray(np.asarray(values, dtype=_idx_dtype(x)), device=x.device)


def repeat(a, repeats, axis=None):
    """``np.repeat``: each element (or slice) repeated; array ``repeats`` sums
    on the device and reads the total back."""
    from ._functions import _axis
    from ._manipulation import broadcast_to

    (x,) = _arr("repeat", a)
    if axis is None:
        x, axis = _flat(x), 0
    ax = _axis(axis, max(x.ndim, 1))
    n = x.shape[ax]
    if isinstance(repeats, (int, np.integer)):
        r = int(repeats)
        if r < 0:
            raise ValueError("negative dimensions are not allowed")
        shape = x.shape[: ax + 1] + (r,) + x.shape[ax + 1:]
        moved = broadcast_to(x.reshape(x.shape[: ax + 1] + (1,) + x.shape[ax + 1:]), shape)
        return moved.copy().reshape(x.shape[:ax] + (n * r,) + x.shape[ax + 1:])
    (rep,) = _arr("repeat", repeats)
    if rep.ndim != 1 or rep.shape[0] not in (1, n):
        raise ValueError(f"operands could not be broadcast together with shape ({n},) ({rep.shape[0]},)")
    if rep.shape[0] == 1:
        return repeat(x, int(rep.get()[0]), ax)
    from ._reductions import cumsum, min as amin

    if n and int(amin(rep).get()) < 0:
        raise ValueError("repeats may not contain negative values.")
    u = _u()
    r = rep.astype(_idx_dtype(x))
    ends = cumsum(r)
    total = int(ends[-1].get()) if n else 0
    # Each element with a nonzero count marks its first output position with
    # its own index (those positions are distinct); a running maximum then
    # carries it over its run.
    from ._creation import arange, zeros
    from ._reductions import where

    marks = zeros((total,), dtype=_idx_dtype(x), device=x.device)
    starts = where(u["greater"](r, 0), u["subtract"](ends, r), r.dtype.type(-1))
    if total:
        marks._a.scatter_into(starts._a, arange(n, dtype=_idx_dtype(x), device=x.device)._a)
    return take(x, u["maximum"].accumulate(marks) if total else marks, axis=ax)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """``np.diagonal``: a read-only view, as NumPy's (the diagonal's axis last)."""
    import operator

    (x,) = _arr("diagonal", a)
    return x._view(x._a.diagonal(operator.index(offset), operator.index(axis1), operator.index(axis2)))


def diag(v, k=0):
    """``np.diag``: a 1-D array's diagonal matrix, or a 2-D array's diagonal."""
    from ._creation import zeros

    (x,) = _arr("diag", v)
    if x.ndim == 1:
        n = x.shape[0] + abs(k)
        out = zeros((n, n), dtype=x.dtype, device=x.device)
        rows = np.arange(x.shape[0]) + max(0, -k)
        cols = np.arange(x.shape[0]) + max(0, k)
        flat = out.reshape(-1)
        _scatter_flat(flat, _host_index(x, rows * n + cols), x)
        return flat.reshape((n, n))
    if x.ndim == 2:
        return diagonal(x, k)
    raise ValueError("Input must be 1- or 2-d.")


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """``np.trace``: the sum along a diagonal."""
    from ._reductions import sum as sum_

    return sum_(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype, out=out)


def pad(array, pad_width, mode="constant", **kwargs):
    """``np.pad`` for modes constant, edge, reflect and symmetric: one take per
    axis with a host-built index vector (constant fills the border after)."""
    (x,) = _arr("pad", array)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64).reshape(-1, 2) if np.ndim(pad_width) else
                             np.asarray([[pad_width, pad_width]]), (x.ndim, 2)) if x.ndim else np.zeros((0, 2), int)
    if (widths < 0).any():
        raise ValueError("index can't contain negative values")
    if mode not in ("constant", "edge", "reflect", "symmetric"):
        raise NotImplementedError(f"wgarray.pad mode {mode!r} is not implemented yet")
    extra = set(kwargs) - ({"constant_values"} if mode == "constant" else {"reflect_type"} if mode in ("reflect", "symmetric") else set())
    if extra:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {extra}")
    if kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError("wgarray.pad supports reflect_type='even' only")
    res = x
    for ax in range(x.ndim):
        before, after = int(widths[ax, 0]), int(widths[ax, 1])
        if before == after == 0:
            continue
        n = res.shape[ax]
        pos = np.arange(-before, n + after)
        if mode == "constant" or n == 0:
            if n == 0 and mode != "constant":
                raise ValueError("can't extend empty axis 0 using modes other than 'constant' or 'empty'")
            src = np.clip(pos, 0, max(n - 1, 0))
        elif mode == "edge":
            src = np.clip(pos, 0, n - 1)
        else:
            period = 2 * (n - 1) if mode == "reflect" else 2 * n
            if period == 0:
                src = np.zeros_like(pos)
            else:
                q = np.mod(pos, period)
                src = np.where(q < n, q, period - q - (0 if mode == "reflect" else 1))
        res = take(res, _host_index(x, src), axis=ax) if n else res
        if mode == "constant":
            cv = np.asarray(kwargs.get("constant_values", 0))
            cv = np.broadcast_to(cv.reshape(-1, 2) if cv.ndim else cv.reshape(1, 1).repeat(2, 1), (x.ndim, 2))
            if n == 0:
                from ._creation import full

                shape = list(res.shape)
                shape[ax] = before + after
                res = full(tuple(shape), 0, dtype=x.dtype, device=x.device)
            idx = [slice(None)] * x.ndim
            idx[ax] = slice(0, before)
            res[tuple(idx)] = cv[ax, 0].item()
            idx[ax] = slice(before + n, before + n + after)
            res[tuple(idx)] = cv[ax, 1].item()
    return res if res is not x else x.copy()
