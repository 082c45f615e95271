"""Sorting, searching and sets on the device, built on one stable argsort
(a bitonic sort of every row at once on GPUs, see
crates/wgarray-kernels/src/gpu_sort.rs; a radix sort on the host, which
also sorts values without a gather, cpu/sort.rs): sort, argsort, partition,
argpartition, searchsorted, unique and the array API's unique_* functions.

Order is NumPy's: NaN sorts last, -0.0 equals 0.0, equal elements keep
their order (every sort here is stable)."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ._ndarray import ndarray


def _u():
    from . import _UFUNCS

    return _UFUNCS


def _arr(name, *xs):
    from ._ufunc import _operands

    return _operands(name, list(xs), None)


def _axis(axis, ndim):
    from ._functions import _axis as norm

    return norm(axis, ndim)


def _flat(x: ndarray) -> ndarray:
    return x.reshape(-1) if x.flags.c_contiguous else x.copy().reshape(-1)


def _idx_dtype(x: ndarray):
    return np.dtype(np.int64) if x.device.is_cpu or x.device.info["i64"] else np.dtype(np.int32)


def _arange(n: int, like: ndarray) -> ndarray:
    from ._creation import arange

    return arange(n, dtype=_idx_dtype(like), device=like.device)


def _gather_along(x: ndarray, idx: ndarray, ax: int) -> ndarray:
    """``take_along_axis(x, idx, ax)`` for indices known to be in range."""
    from ._take import _along_index

    return ndarray._wrap(_flat(x)._a.take_flat(_along_index(x, idx, ax)._a))


def _check_sort_args(name, kind, order):
    if order is not None:
        raise ValueError(f"Cannot specify order when the array has no fields. ({name})")
    if kind not in (None, "quicksort", "mergesort", "heapsort", "stable"):
        raise ValueError(f"sort kind must be one of 'quick', 'heap', or 'stable' (got '{kind}')")


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """The array API's ``argsort``: indices that sort ``x`` along ``axis``
    (stable; ``descending`` keeps equal elements in their order)."""
    (a,) = _arr("argsort", x)
    ax = _axis(axis, a.ndim)
    if not descending:
        return ndarray._wrap(a._a.argsort(ax))
    from ._functions import flip

    n = a.shape[ax]
    r = flip(ndarray._wrap(flip(a, axis=ax)._a.argsort(ax)), axis=ax)
    return _u()["subtract"](n - 1, r)


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """The array API's ``sort``: a sorted copy along ``axis``."""
    (a,) = _arr("sort", x)
    ax = _axis(axis, a.ndim)
    if a.device.is_cpu:
        # The sort writes the values itself (no gather); descending: the
        # stable ascending sort of the reversed axis, reversed.
        if not descending:
            return ndarray._wrap(a._a.sort_host(ax))
        from ._functions import flip

        return flip(ndarray._wrap(flip(a, axis=ax)._a.sort_host(ax)), axis=ax)
    return _gather_along(a, argsort(a, axis=ax, descending=descending), ax)


def _np_argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``np.argsort`` (``axis=None`` sorts the flattened array; 0-d as 1-d)."""
    _check_sort_args("argsort", kind, order)
    (x,) = _arr("argsort", a)
    if axis is None or x.ndim == 0:
        x, axis = _flat(x), 0
    return argsort(x, axis=axis)


def _np_sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``np.sort``."""
    _check_sort_args("sort", kind, order)
    (x,) = _arr("sort", a)
    if axis is None:
        x, axis = _flat(x), 0
    return sort(x, axis=axis)


def _kth(kth, n: int) -> None:
    for k in np.atleast_1d(np.asarray(kth)).ravel():
        if np.asarray(k).dtype.kind not in "iu":
            raise TypeError("Partition index must be integer")
        if not -n <= int(k) < n:
            raise ValueError(f"kth(={int(k)}) out of bounds ({n})")


def _partition_args(name, a, kth, axis, kind, order):
    """``x`` and the axis a partition works on, its arguments checked as NumPy's."""
    if kind != "introselect":
        raise ValueError(f"{name} kind must be 'introselect' (got {kind!r})")
    (x,) = _arr(name, a)
    if axis is None:
        x, axis = _flat(x), 0
    ax = _axis(axis, x.ndim)
    _kth(kth, x.shape[ax])
    _check_sort_args(name, None, order)
    return x, ax


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """``np.partition``: every ``kth`` element where a sort puts it, smaller
    ones before, larger after (wgarray returns the full sort, which is one)."""
    x, ax = _partition_args("partition", a, kth, axis, kind, order)
    return sort(x, axis=ax)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """``np.argpartition``: indices that partition (a full stable argsort)."""
    x, ax = _partition_args("argpartition", a, kth, axis, kind, order)
    return argsort(x, axis=ax)


# --- searching -------------------------------------------------------------------

def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """The array API's ``searchsorted``: where each ``x2`` goes in the sorted
    1-d ``x1``. One stable sort of both together: a value of ``x2`` lands
    before equal elements of ``x1`` (``side='left'``) or after them, and the
    ``x1`` elements before it are counted (no per-value host work)."""
    from ._functions import concatenate
    from ._take import take

    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right' (got {side!r})")
    if not isinstance(x2, ndarray) and isinstance(x1, ndarray):
        # NumPy takes the values as an array (Python scalars get its default dtypes).
        from ._creation import asarray
        from ._dtypes import host_default

        x2 = asarray(host_default(np.asarray(x2), x1.device), device=x1.device)
    a, v = _arr("searchsorted", x1, x2)
    if a.ndim != 1:
        raise ValueError("object too deep for desired array" if a.ndim > 1 else "object of too small depth for desired array")
    if sorter is not None:
        from ._reductions import max as amax, min as amin

        (s,) = _arr("searchsorted", sorter)
        if s.dtype.kind not in "iu":
            raise TypeError("sorter must only contain integers")
        if s.shape != a.shape:
            raise ValueError("sorter.size must equal a.size")
        if s.size and (int(amin(s).get()) < 0 or int(amax(s).get()) >= a.size):
            raise ValueError("Sorter index out of range.")
        a = take(a, s)
    dt = np.result_type(a.dtype, v.dtype)
    u = _u()
    n, m = a.size, v.size
    out = ndarray._wrap(_native_empty((m,), _idx_dtype(a), a))
    if m == 0:
        return out.reshape(v.shape)
    from ._functions import concatenate
    from ._reductions import cumsum, where

    vf, af = _flat(v).astype(dt), a.astype(dt)
    perm = argsort(concatenate([vf, af] if side == "left" else [af, vf]))
    first = 0 if side == "left" else n  # where the values start in the concatenation
    is_v = u["less"](perm, m) if side == "left" else u["greater_equal"](perm, n)
    flag = is_v.astype(perm.dtype)
    # At a value's slot p, cumsum(flag)[p] - 1 values lie ahead of it, so
    # p - cumsum(flag)[p] + 1 elements of x1 do.
    before = u["add"](u["subtract"](_arange(n + m, a), cumsum(flag)), flag)
    dest = where(is_v, u["subtract"](perm, first), -1)
    out._a.scatter_into(dest._a, before._a)
    return out.reshape(v.shape)


def _native_empty(shape, dtype, like):
    from ._creation import empty

    return empty(shape, dtype=dtype, device=like.device)._a


def _np_searchsorted(a, v, side="left", sorter=None):
    """``np.searchsorted``."""
    return searchsorted(a, v, side=side, sorter=sorter)


# --- sets ------------------------------------------------------------------------

def _runs(s: ndarray, equal_nan: bool) -> ndarray:
    """For sorted ``s`` (1-d, nonempty): True where a run of equal values starts."""
    from ._functions import concatenate
    from ._creation import ones

    u = _u()
    if s.size == 1:
        return ones((1,), dtype=bool, device=s.device)
    new = u["not_equal"](s[1:], s[:-1])
    if equal_nan and s.dtype.kind == "f":
        new = u["logical_and"](new, u["logical_not"](u["logical_and"](u["isnan"](s[1:]), u["isnan"](s[:-1]))))
    return concatenate([ones((1,), dtype=bool, device=s.device), new])


def _inverse(start: ndarray, perm: ndarray, like: ndarray) -> ndarray:
    """Each original element's group: the running count of run starts in
    sorted order, scattered back through the sorting permutation."""
    from ._reductions import cumsum

    idt = _idx_dtype(like)
    group = _u()["subtract"](cumsum(start.astype(idt)), 1)
    inverse = ndarray._wrap(_native_empty((perm.size,), idt, like))
    inverse._a.scatter_into(perm._a, group._a)
    return inverse


def _unique_flat(x: ndarray, return_index, return_inverse, return_counts, equal_nan):
    from ._functions import concatenate
    from ._reductions import diff

    f = _flat(x)
    n = f.size
    idt = _idx_dtype(x)
    if n == 0:
        e = ndarray._wrap(_native_empty((0,), idt, x))
        return f, e, e.reshape(x.shape), e
    perm = argsort(f)
    s = ndarray._wrap(f._a.take_flat(perm._a))
    start = _runs(s, equal_nan)
    first = start.nonzero()[0]
    values = ndarray._wrap(s._a.take_flat(first._a))
    index = ndarray._wrap(perm._a.take_flat(first._a)) if return_index else None
    inverse = _inverse(start, perm, x).reshape(x.shape) if return_inverse else None
    counts = None
    if return_counts:
        counts = diff(concatenate([first, _host_scalar(n, x)]))
    return values, index, inverse, counts


def _host_scalar(v: int, like: ndarray) -> ndarray:
    from ._creation import asarray

    return asarray(np.array([v], dtype=_idx_dtype(like)), device=like.device)


def _unique_axis(x: ndarray, axis: int, return_index, return_inverse, return_counts):
    """Unique subarrays along ``axis``: rows sorted lexicographically by
    stable sorts from the last column to the first."""
    from ._functions import concatenate, moveaxis
    from ._reductions import any as any_, diff

    u = _u()
    ax = _axis(axis, x.ndim)
    moved = moveaxis(x, ax, 0)
    n = moved.shape[0]
    width = int(np.prod(moved.shape[1:]))
    rows = (moved if moved.flags.c_contiguous else moved.copy()).reshape((n, width))
    m = rows.shape[1]
    idt = _idx_dtype(x)
    if n == 0 or m == 0:
        e = ndarray._wrap(_native_empty((0,), idt, x))
        if n == 0:
            return x, e, e, e
        # Every subarray is empty, so all are equal: one unique, n times.
        from ._creation import zeros

        return moveaxis(moved[:1], 0, ax), _arange(1, x), zeros((n,), dtype=idt, device=x.device), _host_scalar(n, x)
    perm = _arange(n, x)
    for c in range(m - 1, -1, -1):
        col = ndarray._wrap(rows[:, c].copy()._a.take_flat(perm._a))
        perm = ndarray._wrap(perm._a.take_flat(argsort(col)._a))
    from ._take import take

    s = take(rows, perm, axis=0)
    if n == 1:
        start = _runs(s[:, 0], False)
    else:
        new = any_(u["not_equal"](s[1:], s[:-1]), axis=1)
        start = concatenate([_host_scalar(1, x).astype(bool), new])
    first = start.nonzero()[0]
    vals = take(s, first, axis=0)
    vals = moveaxis(vals.reshape((vals.shape[0],) + moved.shape[1:]), 0, ax)
    index = ndarray._wrap(perm._a.take_flat(first._a)) if return_index else None
    inverse = _inverse(start, perm, x) if return_inverse else None
    counts = diff(concatenate([first, _host_scalar(n, x)])) if return_counts else None
    return vals, index, inverse, counts


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True,
           sorted=True):  # noqa: A002
    """``np.unique``: the sorted unique elements (or subarrays along
    ``axis``), with first indices, the inverse and counts on request."""
    (x,) = _arr("unique", ar)
    if axis is None:
        vals, index, inverse, counts = _unique_flat(x, return_index, return_inverse, return_counts, equal_nan)
    else:
        vals, index, inverse, counts = _unique_axis(x, axis, return_index, return_inverse, return_counts)
    extra = [r for r, want in ((index, return_index), (inverse, return_inverse), (counts, return_counts)) if want]
    return (vals, *extra) if extra else vals


UniqueAllResult = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices", "counts"])
UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def unique_values(x, /):
    """The array API's ``unique_values`` (NaNs are distinct)."""
    (a,) = _arr("unique_values", x)
    return _unique_flat(a, False, False, False, False)[0]


def unique_counts(x, /):
    """The array API's ``unique_counts``."""
    (a,) = _arr("unique_counts", x)
    v, _, _, c = _unique_flat(a, False, False, True, False)
    return UniqueCountsResult(v, c)


def unique_inverse(x, /):
    """The array API's ``unique_inverse`` (the inverse has ``x``'s shape)."""
    (a,) = _arr("unique_inverse", x)
    v, _, inv, _ = _unique_flat(a, False, True, False, False)
    return UniqueInverseResult(v, inv)


def unique_all(x, /):
    """The array API's ``unique_all``."""
    (a,) = _arr("unique_all", x)
    v, i, inv, c = _unique_flat(a, True, True, True, False)
    return UniqueAllResult(v, i, inv, c)
