"""NumPy's override protocols (NEP 13 ``__array_ufunc__``, NEP 18
``__array_function__``): NumPy code called with wgarray arrays runs on their
device and returns wgarray arrays. Anything wgarray does not implement
returns NotImplemented, so NumPy raises its own TypeError — never a silent
copy to the host."""

from __future__ import annotations

import numpy as np

from ._ndarray import ndarray

# NumPy's ufunc keywords wgarray honours, per method.
_CALL_KEYWORDS = {"out", "where", "casting", "dtype"}
_REDUCE_KEYWORDS = {"axis", "dtype", "out", "keepdims", "initial", "where"}
_ACCUMULATE_KEYWORDS = {"axis", "dtype", "out"}


def _foreign(x) -> bool:
    """An operand whose own ``__array_ufunc__`` should get a say (NEP 13)."""
    if isinstance(x, (ndarray, np.ndarray, np.generic, bool, int, float, list, tuple)):
        return False
    return getattr(type(x), "__array_ufunc__", None) is not None


_UFUNCS: dict | None = None


def array_ufunc(self, uf, method, *inputs, **kwargs):
    """``__array_ufunc__``: NumPy's ufunc ``uf`` on wgarray arrays."""
    global _UFUNCS
    if _UFUNCS is None:
        from . import _UFUNCS
    if method == "__call__" and not kwargs and all(type(x) is ndarray for x in inputs):
        # The common case (``np.exp(x)``, ``np.add(x, y)``): no keywords to check.
        mine = _UFUNCS.get(uf.__name__)
        return NotImplemented if mine is None else mine(*inputs)
    outs = kwargs.get("out", ())
    if any(_foreign(x) for x in inputs + tuple(o for o in outs if o is not None)):
        return NotImplemented
    if any(o is not None and not isinstance(o, ndarray) for o in outs):
        return NotImplemented  # NumPy arrays as outputs of device work: not ours to fill
    mine = _UFUNCS.get(uf.__name__)
    if mine is None:
        return NotImplemented
    if method == "__call__":
        return mine(*inputs, **_call_keywords(uf, "", kwargs))
    if method == "reduce":
        extra = set(kwargs) - _REDUCE_KEYWORDS
        if extra:
            raise TypeError(f"wgarray.{uf.__name__}.reduce does not support the keyword(s) {sorted(extra)}")
        return mine.reduce(*inputs, **kwargs)
    if method == "outer":
        return mine.outer(*inputs, **_call_keywords(uf, ".outer", kwargs))
    if method == "accumulate":
        extra = set(kwargs) - _ACCUMULATE_KEYWORDS
        if extra:
            raise TypeError(f"wgarray.{uf.__name__}.accumulate does not support the keyword(s) {sorted(extra)}")
        return mine.accumulate(*inputs, **kwargs)
    if method == "reduceat":
        extra = set(kwargs) - _ACCUMULATE_KEYWORDS
        if extra:
            raise TypeError(f"wgarray.{uf.__name__}.reduceat does not support the keyword(s) {sorted(extra)}")
        return mine.reduceat(*inputs, **kwargs)
    if method == "at":
        if kwargs:
            raise TypeError(f"wgarray.{uf.__name__}.at takes no keywords")
        return mine.at(*inputs)
    return NotImplemented


def _call_keywords(uf, method: str, kwargs: dict) -> dict:
    """NumPy's call keywords for wgarray: ``out`` from NumPy's tuple form."""
    allowed = _CALL_KEYWORDS | ({"axis"} if uf.signature is not None and not method else set())
    extra = set(kwargs) - allowed
    if extra:
        raise TypeError(f"wgarray.{uf.__name__}{method} does not support the keyword(s) {sorted(extra)}")
    if "out" in kwargs:
        out = kwargs.pop("out")
        kwargs["out"] = out[0] if len(out) == 1 else out
    return kwargs


def array_function(self, func, types, args, kwargs):
    """``__array_function__``: NumPy's function ``func`` on wgarray arrays."""
    if not all(issubclass(t, (ndarray, np.ndarray)) for t in types):
        return NotImplemented
    impl = _handlers().get(func)
    if impl is None:
        from . import _np_functions

        impl = _np_functions.like_table(self).get(func)
    if impl is None:
        return NotImplemented
    return impl(*args, **kwargs)


_HANDLERS: dict | None = None


def _handlers() -> dict:
    """NumPy function → wgarray implementation with NumPy's signature."""
    global _HANDLERS
    if _HANDLERS is None:
        from . import _np_functions

        _HANDLERS = _np_functions.table()
    return _HANDLERS
