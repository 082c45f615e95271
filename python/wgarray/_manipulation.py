"""Shape functions that make views (or, for reshape, a copy when the layout
needs one): reshape, transpose/permute_dims, matrix_transpose, broadcast_to,
squeeze, expand_dims."""

from __future__ import annotations

import operator

from ._ndarray import ndarray

__all__ = ["reshape", "transpose", "permute_dims", "matrix_transpose", "broadcast_to", "squeeze", "expand_dims"]


def _axes(axis) -> list[int]:
    """Integers from an int or a sequence of ints (axes or a shape)."""
    vals = [operator.index(a) for a in axis] if isinstance(axis, (tuple, list)) else [operator.index(axis)]
    if any(not -(1 << 63) <= v < (1 << 63) for v in vals):
        raise ValueError("Maximum allowed dimension exceeded")
    return vals


def reshape(x: ndarray, /, shape, *, copy=None, order="C") -> ndarray:
    """A view with ``shape`` when the layout allows, else a copy (``copy=False``: ValueError)."""
    if order != "C":
        raise NotImplementedError("wgarray.reshape supports order='C' only")
    dims = _axes(shape)
    out = x._view(x._a.reshape(dims))
    if copy and out._a.shares_storage(x._a):
        return out.copy()
    if copy is False and not out._a.shares_storage(x._a):
        raise ValueError("Unable to avoid creating a copy while reshaping.")
    return out


def transpose(x: ndarray, /, axes=None) -> ndarray:
    return x.transpose(axes)


def permute_dims(x: ndarray, /, axes) -> ndarray:
    return x.transpose(tuple(axes))


def matrix_transpose(x: ndarray, /) -> ndarray:
    return x.mT


def broadcast_to(x: ndarray, /, shape) -> ndarray:
    """A read-only view with ``shape``."""
    return ndarray._wrap(x._a.broadcast_to(_axes(shape)))


def squeeze(x: ndarray, /, axis=None) -> ndarray:
    return x._view(x._a.squeeze(None if axis is None else _axes(axis)))


def expand_dims(x: ndarray, /, axis=0) -> ndarray:
    return x._view(x._a.expand_dims(_axes(axis)))
