"""The array API standard's (2024.12) signatures for the functions wgarray
also serves with NumPy's: the standard's parameters first, with its names,
positional-only and keyword-only markers and defaults, then NumPy's extra
keywords (``out``, ``where``, ``ddof``, …) keyword-only.

``np.f(wgarray_array, ...)`` does not come here: ``__array_function__``
dispatches to the NumPy-shaped implementations (_np_functions.table), so
NumPy's positional calls (``np.sum(x, 0)``, ``np.roll(x, 1, 0)``) keep
working. Everything here runs on the arrays' device; the data type
functions only look at dtypes."""

from __future__ import annotations

import math

import numpy as np

from . import _functions, _reductions, _take
from ._dtypes import as_dtype
from ._ndarray import ndarray

__all__ = [
    # statistical, utility and searching
    "sum", "prod", "max", "min", "mean", "var", "std", "any", "all", "argmax", "argmin", "count_nonzero",
    "diff", "nonzero", "where",
    # manipulation
    "broadcast_arrays", "concat", "flip", "moveaxis", "repeat", "roll", "stack", "tile", "unstack",
    # creation, indexing, linear algebra, elementwise
    "meshgrid", "tril", "triu", "take", "take_along_axis", "tensordot", "clip", "round", "real", "imag",
    # data types and interchange
    "astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type", "from_dlpack",
    # constants
    "e", "inf", "nan", "pi",
]

e = math.e
inf = math.inf
nan = math.nan
pi = math.pi


def _one(name: str, x) -> ndarray:
    (a,) = _functions._arrays(name, x)
    return a


# --- statistical, utility and searching --------------------------------------------------

def sum(x, /, *, axis=None, dtype=None, keepdims=False, out=None, initial=None, where=True):  # noqa: A001
    """Sum of the elements along ``axis`` (small integers sum in the default integer)."""
    return _reductions.sum(x, axis, dtype, out, keepdims, initial, where)


def prod(x, /, *, axis=None, dtype=None, keepdims=False, out=None, initial=None, where=True):
    """Product of the elements along ``axis``."""
    return _reductions.prod(x, axis, dtype, out, keepdims, initial, where)


def max(x, /, *, axis=None, keepdims=False, out=None, initial=None, where=True):  # noqa: A001
    """Maximum along ``axis`` (NaN propagates)."""
    return _reductions.max(x, axis, out, keepdims, initial, where)


def min(x, /, *, axis=None, keepdims=False, out=None, initial=None, where=True):  # noqa: A001
    """Minimum along ``axis`` (NaN propagates)."""
    return _reductions.min(x, axis, out, keepdims, initial, where)


def mean(x, /, *, axis=None, keepdims=False, dtype=None, out=None, where=True):
    """Arithmetic mean along ``axis`` (integers: in the default float)."""
    return _reductions.mean(x, axis, dtype, out, keepdims, where=where)


def var(x, /, *, axis=None, correction=0.0, keepdims=False, dtype=None, out=None, ddof=0, where=True,
        mean=None):
    """Variance along ``axis``, divided by ``N - correction`` (NumPy's ``ddof``
    is the same number; giving both raises ValueError, as NumPy does)."""
    return _reductions.var(x, axis, dtype, out, ddof, keepdims, where=where, mean=mean,
                           correction=None if correction == 0 else correction)


def std(x, /, *, axis=None, correction=0.0, keepdims=False, dtype=None, out=None, ddof=0, where=True,
        mean=None):
    """Standard deviation along ``axis``: the square root of ``var``."""
    return _reductions.std(x, axis, dtype, out, ddof, keepdims, where=where, mean=mean,
                           correction=None if correction == 0 else correction)


def any(x, /, *, axis=None, keepdims=False, out=None, where=True):  # noqa: A001
    """Whether any element along ``axis`` is true."""
    return _reductions.any(x, axis, out, keepdims, where=where)


def all(x, /, *, axis=None, keepdims=False, out=None, where=True):  # noqa: A001
    """Whether every element along ``axis`` is true."""
    return _reductions.all(x, axis, out, keepdims, where=where)


def argmax(x, /, *, axis=None, keepdims=False, out=None):
    """Index of the first maximum along ``axis`` (of the flattened array for None)."""
    return _reductions.argmax(x, axis, out, keepdims=keepdims)


def argmin(x, /, *, axis=None, keepdims=False, out=None):
    """Index of the first minimum along ``axis`` (of the flattened array for None)."""
    return _reductions.argmin(x, axis, out, keepdims=keepdims)


def count_nonzero(x, /, *, axis=None, keepdims=False):
    """Number of non-zero elements along ``axis`` (a 0-d array for None)."""
    return _reductions.count_nonzero(x, axis, keepdims=keepdims)


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """``n``-th forward differences along ``axis``, after joining ``prepend``
    and ``append`` to ``x`` along it."""
    return _reductions.diff(x, n, axis, prepend, append)


def nonzero(x, /):
    """Indices of the non-zero elements, one array per axis (0-d: ValueError)."""
    return _reductions.nonzero(x)


def where(condition, x1=None, x2=None, /):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``; with the
    condition alone (NumPy's form), ``nonzero(condition)``."""
    return _reductions.where(condition, x1, x2)


# --- manipulation ----------------------------------------------------------------------

def broadcast_arrays(*arrays):
    """The arrays broadcast against each other (read-only views)."""
    return _functions.broadcast_arrays(*arrays)


def concat(arrays, /, *, axis=0, out=None, dtype=None, casting="same_kind"):
    """Joins ``arrays`` along an existing ``axis`` (None: flattened first)."""
    return _functions.concatenate(arrays, axis=axis, out=out, dtype=dtype, casting=casting)


def stack(arrays, /, *, axis=0, out=None, dtype=None, casting="same_kind"):
    """Joins ``arrays`` (of one shape) along a new ``axis``."""
    return _functions.stack(arrays, axis=axis, out=out, dtype=dtype, casting=casting)


def unstack(x, /, *, axis=0):
    """The views ``x[..., i, ...]`` along ``axis``, as a tuple."""
    a = _one("unstack", x)
    if a.ndim == 0:
        raise ValueError("Input array must be at least 1-d.")
    if not -a.ndim <= axis < a.ndim:
        raise np.exceptions.AxisError(f"source: axis {axis} is out of bounds for array of dimension {a.ndim}")
    m = _functions.moveaxis(a, axis, 0)
    return tuple(m[i] for i in range(m.shape[0]))


def flip(x, /, *, axis=None):
    """Reverses the order of elements along ``axis`` (all axes for None): a view."""
    return _functions.flip(x, axis)


def moveaxis(x, source, destination, /):
    """A view with the ``source`` axes moved to ``destination``."""
    return _functions.moveaxis(x, source, destination)


def repeat(x, repeats, /, *, axis=None):
    """Each element repeated ``repeats`` times (flattened for ``axis=None``)."""
    return _take.repeat(x, repeats, axis=axis)


def roll(x, /, shift, *, axis=None):
    """Elements shifted by ``shift`` along ``axis`` (flattened for None), wrapping around."""
    return _functions.roll(x, shift, axis)


def tile(x, repetitions, /):
    """``x`` repeated ``repetitions`` times along each axis."""
    return _functions.tile(x, repetitions)


# --- creation, indexing, linear algebra, elementwise ---------------------------------------

def meshgrid(*arrays, indexing="xy", copy=True, sparse=False):
    """Coordinate arrays from coordinate vectors (``'xy'`` or ``'ij'`` indexing)."""
    return _functions.meshgrid(*arrays, copy=copy, sparse=sparse, indexing=indexing)


def tril(x, /, *, k=0):
    """``x`` with the elements above the ``k``-th diagonal zeroed."""
    return _functions.tril(x, k)


def triu(x, /, *, k=0):
    """``x`` with the elements below the ``k``-th diagonal zeroed."""
    return _functions.triu(x, k)


def take(x, indices, /, *, axis=None, out=None, mode="raise"):
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened array for None)."""
    return _take.take(x, indices, axis=axis, out=out, mode=mode)


def take_along_axis(x, indices, /, *, axis=-1):
    """Elements of ``x`` at the one-dimensional ``indices`` along ``axis``."""
    return _take.take_along_axis(x, indices, axis=axis)


def tensordot(x1, x2, /, *, axes=2):
    """Sum of products over the last ``axes`` axes of ``x1`` and the first of
    ``x2`` (or over the given pairs of axes)."""
    return _functions.tensordot(x1, x2, axes)


def clip(x, /, min=None, max=None, *, out=None):  # noqa: A002
    """``x`` with elements below ``min`` raised to it and above ``max``
    lowered to it (None: no bound; NaN propagates)."""
    return _functions.clip(x, min=min, max=max, out=out)


def round(x, /, *, decimals=0, out=None):  # noqa: A001
    """Rounds half to even (at ``decimals`` places, NumPy's extension)."""
    return _functions.round(x, decimals, out)


def real(x, /):
    """The real part: for wgarray's real dtypes, a view of ``x`` (NumPy's ``np.real``)."""
    a = _one("real", x)
    return a[...]


def imag(x, /):
    """The imaginary part: for wgarray's real dtypes, zeros of ``x``'s shape and dtype."""
    from ._creation import zeros_like

    return zeros_like(_one("imag", x))


# --- data types and interchange ---------------------------------------------------------

def _dtype_of(v):
    return v.dtype if isinstance(v, ndarray) else v


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` cast to ``dtype`` (on ``device`` when given); ``copy=False``
    returns ``x`` itself when nothing changes."""
    if not isinstance(x, ndarray):
        raise TypeError(f"astype: x must be a wgarray array, not {type(x).__name__}")
    if device is not None:
        moved = x.to_device(device)
        if moved is not x:
            return moved.astype(dtype, copy=False)
    return x.astype(dtype, copy=copy)


def can_cast(from_, to, /, *, casting="safe"):
    """Whether ``from_`` (a dtype, or an array's dtype) casts to ``to`` under
    NumPy's ``casting`` rule (the standard's: ``'safe'``)."""
    return bool(np.can_cast(np.dtype(_dtype_of(from_)), np.dtype(to), casting=casting))


def finfo(type, /):  # noqa: A002
    """NumPy's ``finfo`` of a floating dtype (or of an array's dtype): bits,
    eps, max, min, smallest_normal, dtype."""
    return np.finfo(_dtype_of(type))


def iinfo(type, /):  # noqa: A002
    """NumPy's ``iinfo`` of an integer dtype (or of an array's dtype): bits, max, min, dtype."""
    return np.iinfo(_dtype_of(type))


def isdtype(dtype, kind):
    """Whether ``dtype`` is ``kind``: a dtype, one of the standard's kind names
    ('bool', 'signed integer', 'unsigned integer', 'integral', 'real floating',
    'complex floating', 'numeric'), or a tuple of these."""
    return np.isdtype(dtype, kind)


def result_type(*arrays_and_dtypes):
    """The dtype the arguments promote to: NumPy's promotion, Python scalars
    weak (NEP 50) and, next to arrays, typed as wgarray's arithmetic on their
    device types them (a device without float64 takes a Python float next to
    integers in its default float), so ``add(x, y).dtype == result_type(x, y)``."""
    from ._dtypes import weak_scalar_dtype

    arrays = [a for a in arrays_and_dtypes if isinstance(a, ndarray)]
    if not arrays:
        return np.result_type(*arrays_and_dtypes)
    typed = [np.dtype(_dtype_of(a)) for a in arrays_and_dtypes if not isinstance(a, (bool, int, float))]
    context = np.result_type(*typed)
    return np.result_type(*typed, *[weak_scalar_dtype(a, context, arrays[0].device)
                                    for a in arrays_and_dtypes if isinstance(a, (bool, int, float))])


def from_dlpack(x, /, *, device=None, copy=None):
    """An array from an object with ``__dlpack__`` (see ``wgarray._dlpack``)."""
    from ._dlpack import from_dlpack as _from_dlpack

    return _from_dlpack(x, device=device, copy=copy)
