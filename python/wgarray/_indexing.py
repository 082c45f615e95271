"""Turns a Python index (``x[1, ::-2, ..., None]``) into the encoded items the
native layer takes, with NumPy's errors for what is not a valid index."""

from __future__ import annotations

import operator

import numpy as np

from . import _ndarray

_INVALID = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
    "and integer or boolean arrays are valid indices"
)


_BIG = 1 << 62  # past any axis length: clamping here changes no slice


def _slice_part(v):
    if v is None or (type(v) is int and -_BIG <= v <= _BIG):
        return v
    try:
        return max(-_BIG, min(_BIG, operator.index(v)))
    except TypeError:
        raise TypeError("slice indices must be integers or None or have an __index__ method") from None


def _int_index(v: int) -> int:
    if not -(1 << 63) <= v < (1 << 63):
        raise IndexError("cannot fit 'int' into an index-sized integer")
    return v


def encode(key) -> list:
    """Encoded items: ("i", n), ("s", start, stop, step), ("e",), ("n",)."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    for k in key:
        if type(k) is slice:
            out.append(("s", _slice_part(k.start), _slice_part(k.stop), _slice_part(k.step)))
            continue
        if type(k) is int:
            out.append(("i", _int_index(k), None, None))
            continue
        if k is None:
            out.append(("n", None, None, None))
        elif k is Ellipsis:
            out.append(("e", None, None, None))
        elif isinstance(k, slice):
            out.append(("s", _slice_part(k.start), _slice_part(k.stop), _slice_part(k.step)))
        elif isinstance(k, (bool, np.bool_)):
            raise NotImplementedError("boolean scalar indices are advanced indexing, which wgarray does not support yet")
        elif isinstance(k, (_ndarray.ndarray, np.ndarray, list)):
            arr = np.asarray(k) if not isinstance(k, _ndarray.ndarray) else None
            if arr is not None and arr.ndim == 0 and arr.dtype.kind in "iu":
                out.append(("i", _int_index(int(arr)), None, None))
                continue
            raise NotImplementedError(
                "integer-array indexing, and boolean masks combined with other indices, are not supported yet "
                "(a boolean mask alone is: x[mask])")
        else:
            try:
                out.append(("i", _int_index(operator.index(k)), None, None))
            except TypeError:
                raise IndexError(_INVALID) from None
    return out
