"""``wgarray.linalg``: what NumPy's linalg has that wgarray computes on the
device so far — ``norm`` for vectors (any order) and matrices (Frobenius,
1, -1, inf, -inf; the 2-norm and nuclear norm need an SVD, not written yet)."""

from __future__ import annotations

import operator

import numpy as np

from .._ndarray import ndarray

__all__ = ["norm"]


def _u():
    from .. import _UFUNCS

    return _UFUNCS


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """``np.linalg.norm``."""
    from .._reductions import max as amax, min as amin, sum as sum_
    from .._ufunc import _operands

    (a,) = _operands("norm", [x], None)
    u = _u()
    if a.dtype.kind in "biu":
        from .._dtypes import default_float

        a = a.astype(default_float(a.device))
    if axis is None:
        if ord is None or (ord in ("f", "fro") and a.ndim == 2):
            flat = a.reshape(-1) if a.flags.c_contiguous else a.copy().reshape(-1)
            r = u["sqrt"](sum_(u["multiply"](flat, flat)))
            return r.reshape((1,) * a.ndim) if keepdims else r
        if a.ndim == 1:
            axis = (0,)
        elif a.ndim == 2:
            axis = (0, 1)
        else:
            raise ValueError("Improper number of dimensions to norm.")
    axes = tuple(operator.index(i) % a.ndim for i in (axis if isinstance(axis, tuple) else (axis,)))
    absx = u["absolute"](a)
    if len(axes) == 1:
        if ord is None or ord == 2:
            return u["sqrt"](sum_(u["multiply"](a, a), axis=axes, keepdims=keepdims))
        if ord == np.inf:
            return amax(absx, axis=axes, keepdims=keepdims)
        if ord == -np.inf:
            return amin(absx, axis=axes, keepdims=keepdims)
        if ord == 0:
            return sum_(u["not_equal"](a, 0).astype(a.dtype), axis=axes, keepdims=keepdims)
        if ord == 1:
            return sum_(absx, axis=axes, keepdims=keepdims)
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        p = float(ord)
        return u["power"](sum_(u["power"](absx, a.dtype.type(p)), axis=axes, keepdims=keepdims), a.dtype.type(1.0 / p))
    if len(axes) == 2:
        r0, c0 = axes
        if r0 == c0:
            raise ValueError("Duplicate axes given.")
        if ord is None or ord in ("fro", "f"):
            return u["sqrt"](sum_(u["multiply"](a, a), axis=axes, keepdims=keepdims))
        if ord in (1, -1):
            s = sum_(absx, axis=r0, keepdims=True)
            r = (amax if ord == 1 else amin)(s, axis=c0, keepdims=True)
        elif ord in (np.inf, -np.inf):
            s = sum_(absx, axis=c0, keepdims=True)
            r = (amax if ord == np.inf else amin)(s, axis=r0, keepdims=True)
        elif ord in (2, -2, "nuc"):
            raise NotImplementedError(f"wgarray.linalg.norm ord={ord!r} needs an SVD, which is not written yet")
        else:
            raise ValueError("Invalid norm order for matrices.")
        return r if keepdims else r.reshape(tuple(d for i, d in enumerate(r.shape) if i not in axes))
    raise ValueError("Improper number of dimensions to norm.")


_NP_NORM = np.linalg.norm
