"""The NumPy functions ``__array_function__`` serves, each with NumPy's own
signature, mapped onto wgarray's implementations. A NumPy keyword wgarray
cannot honour raises TypeError naming it; a function not listed here is
NumPy's "no implementation found" TypeError."""

from __future__ import annotations

import numpy as np

from . import _creation, _functions, _manipulation, _order_stats, _reductions, _sorting, _take
from ._ndarray import ndarray


def _unsupported(name: str, **given) -> None:
    bad = [k for k, (v, default) in given.items() if v != default]
    if bad:
        raise TypeError(f"wgarray's {name} does not support {', '.join(bad)}")


def _like(fn, name):
    def like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
        _unsupported(name, order=(order, "K"))
        if shape is None:
            return fn(a, dtype=dtype, device=device)
        return getattr(_creation, name.removesuffix("_like"))(shape, dtype=a.dtype if dtype is None else dtype,
                                                              device=a.device if device is None else device)
    return like


def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    _unsupported("full_like", order=(order, "K"))
    if shape is None:
        return _creation.full_like(a, fill_value, dtype=dtype, device=device)
    return _creation.full(shape, fill_value, dtype=a.dtype if dtype is None else dtype,
                          device=a.device if device is None else device)


def _reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    if shape is None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape() missing required argument 'shape' (pos 1)")
    return _manipulation.reshape(a, shape, order=order, copy=copy)


def _ravel(a, order="C"):
    _unsupported("ravel", order=(order, "C"))
    return _manipulation.reshape(a, -1)


def _copy(a, order="K", subok=False):
    _unsupported("copy", order=(order, "K"))
    return a.copy()


# NEP 35 creation (``np.asarray(data, like=x)``): NumPy hands these to
# ``x.__array_function__``; they create on ``x``'s device.

def _like_creation(like: ndarray) -> dict:
    dev = like.device

    def asarray(a, dtype=None, order=None, *, device=None, copy=None):
        _unsupported("asarray", order=(order, None))
        return _creation.asarray(a, dtype=dtype, device=dev if device is None else device, copy=copy)

    def array(a, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, ndmax=0):
        _unsupported("array", order=(order, "K"), ndmin=(ndmin, 0))
        return _creation.asarray(a, dtype=dtype, device=dev, copy=bool(copy) or None)

    def ascontiguousarray(a, dtype=None):
        out = _creation.asarray(a, dtype=dtype, device=dev)
        return out if out.flags.c_contiguous else out.copy()

    def filled(fn):
        def create(shape, dtype=None, order="C", *, device=None):
            _unsupported(fn.__name__, order=(order, "C"))
            return fn(shape, dtype=dtype, device=dev if device is None else device)
        return create

    def full(shape, fill_value, dtype=None, order="C", *, device=None):
        _unsupported("full", order=(order, "C"))
        return _creation.full(shape, fill_value, dtype=dtype, device=dev if device is None else device)

    def arange(start, stop=None, step=None, dtype=None, *, device=None):
        return _creation.arange(start, stop, 1 if step is None else step, dtype=dtype, device=dev if device is None else device)

    def eye(N, M=None, k=0, dtype=float, order="C", *, device=None):
        _unsupported("eye", order=(order, "C"))
        return _creation.eye(N, M, k=k, dtype=dtype, device=dev if device is None else device)

    def identity(n, dtype=None):
        return _creation.identity(n, dtype=dtype, device=dev)

    return {
        np.asarray: asarray, np.array: array, np.ascontiguousarray: ascontiguousarray,
        np.zeros: filled(_creation.zeros), np.ones: filled(_creation.ones), np.empty: filled(_creation.empty),
        np.full: full, np.arange: arange, np.eye: eye, np.identity: identity,
    }




def _broadcast_to(array, shape, subok=False):
    return _manipulation.broadcast_to(array, shape)


def _squeeze(a, axis=None):
    return _manipulation.squeeze(a, axis)


def _expand_dims(a, axis):
    return _manipulation.expand_dims(a, axis)


def _transpose(a, axes=None):
    return _manipulation.transpose(a, axes)


def _matrix_transpose(x, /):
    return _manipulation.matrix_transpose(x)


def _permute_dims(a, /, axes=None):
    return _manipulation.transpose(a, axes)


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    return _reductions.sum(a, axis, dtype, out, keepdims, initial, where)


def _prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    return _reductions.prod(a, axis, dtype, out, keepdims, initial, where)


def _max(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _reductions.max(a, axis, out, keepdims, initial, where)


def _min(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _reductions.min(a, axis, out, keepdims, initial, where)


def _any(a, axis=None, out=None, keepdims=False, *, where=True):
    return _reductions.any(a, axis, out, keepdims, where=where)


def _all(a, axis=None, out=None, keepdims=False, *, where=True):
    return _reductions.all(a, axis, out, keepdims, where=where)


def _mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    return _reductions.mean(a, axis, dtype, out, keepdims, where=where)


def _ndim(a):
    return a.ndim


def _shape(a):
    return a.shape


def _size(a, axis=None):
    return a.size if axis is None else a.shape[axis]


def _linalg_norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    from .linalg import norm

    return norm(x, ord, axis, keepdims)


def _real(val):
    from ._array_api import real

    return real(val)


def _imag(val):
    from ._array_api import imag

    return imag(val)


def table() -> dict:
    """NumPy function → implementation."""
    t = {
        np.empty_like: _like(_creation.empty_like, "empty_like"),
        np.zeros_like: _like(_creation.zeros_like, "zeros_like"),
        np.ones_like: _like(_creation.ones_like, "ones_like"),
        np.full_like: _full_like,
        np.copy: _copy,
        np.reshape: _reshape,
        np.ravel: _ravel,
        np.transpose: _transpose,
        np.broadcast_to: _broadcast_to,
        np.squeeze: _squeeze,
        np.expand_dims: _expand_dims,
        np.sum: _sum,
        np.prod: _prod,
        np.max: _max,
        np.amax: _max,
        np.min: _min,
        np.amin: _min,
        np.any: _any,
        np.all: _all,
        np.mean: _mean,
        np.var: _reductions.var,
        np.std: _reductions.std,
        np.ptp: _reductions.ptp,
        np.count_nonzero: _reductions.count_nonzero,
        np.nansum: _reductions.nansum,
        np.nanprod: _reductions.nanprod,
        np.nanmax: _reductions.nanmax,
        np.nanmin: _reductions.nanmin,
        np.nanmean: _reductions.nanmean,
        np.nanvar: _reductions.nanvar,
        np.nanstd: _reductions.nanstd,
        np.argmax: _reductions.argmax,
        np.argmin: _reductions.argmin,
        np.nanargmax: _reductions.nanargmax,
        np.nanargmin: _reductions.nanargmin,
        np.diff: _reductions.diff,
        np.where: _reductions.where,
        np.nonzero: _reductions.nonzero,
        np.flatnonzero: _reductions.flatnonzero,
        np.argwhere: _reductions.argwhere,
        np.take: _take.take,
        np.take_along_axis: _take.take_along_axis,
        np.compress: _take.compress,
        np.extract: _take.extract,
        np.put: _take.put,
        np.put_along_axis: _take.put_along_axis,
        np.repeat: _take.repeat,
        np.diagonal: _take.diagonal,
        np.diag: _take.diag,
        np.trace: _take.trace,
        np.pad: _take.pad,
        np.isin: _functions.isin,
        np.cross: _functions.cross,
        np.cov: _functions.cov,
        np.einsum: _functions.einsum,
        np.corrcoef: _functions.corrcoef,
        np.linalg.norm: _linalg_norm,
        np.cumsum: _reductions.cumsum,
        np.cumprod: _reductions.cumprod,
        np.nancumsum: _reductions.nancumsum,
        np.nancumprod: _reductions.nancumprod,
        np.moveaxis: _functions.moveaxis,
        np.swapaxes: _functions.swapaxes,
        np.atleast_1d: _functions.atleast_1d,
        np.atleast_2d: _functions.atleast_2d,
        np.atleast_3d: _functions.atleast_3d,
        np.broadcast_arrays: _functions.broadcast_arrays,
        np.concatenate: _functions.concatenate,
        np.stack: _functions.stack,
        np.vstack: _functions.vstack,
        np.hstack: _functions.hstack,
        np.dstack: _functions.dstack,
        np.column_stack: _functions.column_stack,
        np.split: _functions.split,
        np.array_split: _functions.array_split,
        np.flip: _functions.flip,
        np.fliplr: _functions.fliplr,
        np.flipud: _functions.flipud,
        np.rot90: _functions.rot90,
        np.roll: _functions.roll,
        np.tile: _functions.tile,
        np.meshgrid: _functions.meshgrid,
        np.tril: _functions.tril,
        np.triu: _functions.triu,
        np.clip: _functions.clip,
        np.isclose: _functions.isclose,
        np.allclose: _functions.allclose,
        np.array_equal: _functions.array_equal,
        np.nan_to_num: _functions.nan_to_num,
        np.round: _functions.round,
        np.around: _functions.around,
        np.dot: _functions.dot,
        np.vdot: _functions.vdot,
        np.inner: _functions.inner,
        np.outer: _functions.outer,
        np.tensordot: _functions.tensordot,
        np.average: _functions.average,
        np.sort: _sorting._np_sort,
        np.argsort: _sorting._np_argsort,
        np.partition: _sorting.partition,
        np.argpartition: _sorting.argpartition,
        np.searchsorted: _sorting._np_searchsorted,
        np.unique: _sorting.unique,
        np.unique_values: _sorting.unique_values,
        np.unique_counts: _sorting.unique_counts,
        np.unique_inverse: _sorting.unique_inverse,
        np.unique_all: _sorting.unique_all,
        np.median: _order_stats.median,
        np.quantile: _order_stats.quantile,
        np.percentile: _order_stats.percentile,
        np.bincount: _order_stats.bincount,
        np.histogram: _order_stats.histogram,
        np.ndim: _ndim,
        np.shape: _shape,
        np.size: _size,
    }
    from . import _array_api

    t[np.real] = _real
    t[np.imag] = _imag
    for name, impl in (("matrix_transpose", _matrix_transpose), ("permute_dims", _permute_dims),
                       ("cumulative_sum", _reductions.cumulative_sum), ("cumulative_prod", _reductions.cumulative_prod),
                       ("unstack", _array_api.unstack), ("astype", _array_api.astype)):
        if hasattr(np, name):
            t[getattr(np, name)] = impl
    return t


__all__ = ["table", "like_table", "ndarray"]


def like_table(like: ndarray) -> dict:
    """The NEP 35 creation functions, creating on ``like``'s device."""
    return _like_creation(like)
