"""Ufunc objects, generated from the native op table (the single source of
truth in wgarray-kernels), and the ndarray operators that call them."""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np

from . import _native
from ._device import Device, as_device
from ._dtypes import as_dtype, dtype_name, weak_scalar_dtype
from ._ndarray import ndarray

_PY_SCALARS = (bool, int, float)
_ufunc1 = _native.ufunc1
_wrap = ndarray._wrap
_PY_SCALAR_TYPES = frozenset(_PY_SCALARS)


class ufunc:
    """A wgarray ufunc: NumPy's elementwise function, on the arrays' device."""

    __slots__ = ("__name__", "nin", "nout", "identity", "types", "signature", "__dict__")

    def __init__(self, name: str, nin: int, nout: int, identity, types: list[str], signature=None) -> None:
        self.__name__ = name
        self.signature = signature
        self.nin = nin
        self.nout = nout
        self.identity = identity
        self.types = list(types)
        self.__doc__ = f"wgarray.{name}: NumPy's ufunc, computed on the operands' device."
        self.__signature__ = _call_signature(nin)

    @property
    def nargs(self) -> int:
        return self.nin + self.nout

    @property
    def ntypes(self) -> int:
        return len(self.types)

    def __repr__(self) -> str:
        return f"<ufunc '{self.__name__}'>"

    def __call__(self, *args, out=None, where=True, casting="same_kind", dtype=None):
        if (out is None and where is True and dtype is None and casting == "same_kind" and len(args) == self.nin
                and all(type(a) is ndarray for a in args)):
            # The hot path: wgarray arrays and no keywords go straight to Rust.
            if self.nout == 1 and self.nin <= 2:
                return _wrap(_ufunc1(self.__name__, *[a._a for a in args]))
            res = _native.ufunc(self.__name__, [a._a for a in args], [], casting, None, None)
            return _wrap(res[0]) if self.nout == 1 else tuple(_wrap(r) for r in res)
        if len(args) > self.nin:
            if out is not None:
                raise TypeError("cannot specify 'out' as both a positional and keyword argument")
            args, out = args[: self.nin], args[self.nin :]
        if len(args) != self.nin:
            raise TypeError(
                f"{self.__name__}() takes from {self.nin} to {self.nargs} positional arguments but {len(args)} were given"
            )
        outs = _normalize_out(out, self.nout)
        inputs = _operands(self.__name__, args, next((o for o in outs if o is not None), None))
        mask = None
        if where is not True:
            if not any(o is not None for o in outs):
                warnings.warn(
                    "'where' used without 'out', expect unitialized memory in output. "
                    "If this is intentional, use out=None.", UserWarning, stacklevel=2)
            device = inputs[0].device if inputs else outs[0].device
            mask = where if isinstance(where, ndarray) else _upload(np.asarray(where, dtype=bool), device)
        res = _native.ufunc(
            self.__name__, [a._a for a in inputs], [None if o is None else o._a for o in outs], casting,
            None if dtype is None else dtype_name(as_dtype(dtype)), None if mask is None else mask._a,
        )
        wrapped = [o if o is not None else ndarray._wrap(r) for o, r in zip(outs + [None] * self.nout, res)]
        return wrapped[0] if self.nout == 1 else tuple(wrapped)


    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=None, where=True):
        """NumPy's ``ufunc.reduce``, on the array's device."""
        from ._reductions import reduce

        return reduce(self, array, axis, dtype, out, keepdims, initial, where)


    def accumulate(self, array, axis=0, dtype=None, out=None):
        """NumPy's ``ufunc.accumulate``, on the array's device."""
        from ._reductions import accumulate

        return accumulate(self, array, axis, dtype, out)


    def reduceat(self, array, indices, axis=0, dtype=None, out=None):
        """NumPy's ``ufunc.reduceat``, on the array's device."""
        from ._ufunc_at import reduceat

        return reduceat(self, array, indices, axis, dtype, out)

    def at(self, a, indices, b=None, /):
        """NumPy's ``ufunc.at``: unbuffered in place, repeated indices applied each time."""
        from ._ufunc_at import at

        return at(self, a, indices, b)

    def outer(self, A, B, /, **kwargs):
        """NumPy's ``ufunc.outer``: ``A[..., None, ...] op B`` over every pair."""
        if self.signature is not None:
            raise TypeError("method outer is not allowed in ufunc with non-trivial signature")
        if self.nin != 2:
            raise ValueError("outer product only supported for binary functions")
        a, b = _operands(self.__name__, [A, B], None)
        a = a.reshape(a.shape + (1,) * b.ndim)
        return self(a, b, **kwargs)


class _vecdot(ufunc):
    """``vecdot``, with the array API's (and NumPy's) ``axis``: the axis of
    both operands holding the vectors (default the last)."""

    __slots__ = ()

    def __init__(self, *row) -> None:
        super().__init__(*row)
        sig = self.__signature__
        params = list(sig.parameters.values())
        axis = inspect.Parameter("axis", inspect.Parameter.KEYWORD_ONLY, default=-1)
        self.__signature__ = sig.replace(parameters=params[:3] + [axis] + params[3:])

    def __call__(self, *args, axis=-1, **kwargs):
        if axis != -1 and len(args) >= 2:
            from ._functions import moveaxis

            args = (*(moveaxis(a, axis, -1) for a in _operands(self.__name__, args[:2], None)), *args[2:])
        return super().__call__(*args, **kwargs)


def _call_signature(nin: int) -> inspect.Signature:
    """What ``inspect.signature`` shows for a call: the array API's operand
    names (``x``; ``x1, x2``) positional-only, then NumPy's ``out``
    (positional too, as in NumPy) and the keywords ``__call__`` takes."""
    P = inspect.Parameter
    names = ["x"] if nin == 1 else [f"x{i + 1}" for i in range(nin)]
    params = [P(n, P.POSITIONAL_ONLY) for n in names]
    params.append(P("out", P.POSITIONAL_OR_KEYWORD, default=None))
    params += [P("where", P.KEYWORD_ONLY, default=True), P("casting", P.KEYWORD_ONLY, default="same_kind"),
               P("dtype", P.KEYWORD_ONLY, default=None)]
    return inspect.Signature(params)


def _normalize_out(out, nout: int) -> list:
    """NumPy's ``out=``: an array (one output), or a tuple with one entry per output."""
    if out is None:
        return []
    if not isinstance(out, tuple):
        if nout != 1:
            raise TypeError("'out' must be a tuple of arrays")
        out = (out,)
    if len(out) != nout:
        raise ValueError(f"The 'out' tuple must have exactly {nout} entries: one per ufunc output")
    for o in out:
        if o is not None and not isinstance(o, ndarray):
            raise TypeError("return arrays must be of ArrayType")
    return list(out)


def _operands(name: str, args, out) -> list[ndarray]:
    """Converts ufunc inputs to wgarray arrays on one device: Python scalars
    by NEP 50 (weak), NumPy scalars with their dtype, other NumPy data only
    next to CPU-device arrays."""
    arrays = [a for a in args if isinstance(a, ndarray)]
    device = arrays[0].device if arrays else (out.device if out is not None else as_device(None))
    others = [a.dtype for a in arrays]
    context = np.result_type(*others) if others else None
    result = []
    for a in args:
        if isinstance(a, ndarray):
            result.append(a)
        elif isinstance(a, np.generic):
            # NumPy scalars keep their dtype (NEP 50: they are not weak).
            result.append(_upload(np.asarray(a), device))
        elif isinstance(a, _PY_SCALARS):
            result.append(_scalar_operand(a, None if context is None else dtype_name(context), device._d))
        else:
            if not device.is_cpu:
                raise TypeError(
                    f"wgarray.{name}: an operand of type {type(a).__name__} cannot be mixed with arrays on "
                    f"device {device.name} (no implicit host-to-device copy); use wgarray.asarray(x, device=...)"
                )
            host = np.asarray(a)
            as_dtype(host.dtype)
            result.append(_upload(host, device))
    return result


_SCALARS: dict = {}


def _scalar_operand(a, context: str | None, device) -> ndarray:
    """The 0-d array a Python scalar becomes next to arrays of dtype
    ``context`` (NEP 50: weak) on the native ``device``: a fill straight from
    the value's bytes, kept for reuse, so loops such as ``x * 2`` do not
    upload the constant each time. Operands are only read, never returned."""
    key = (type(a), a.hex() if type(a) is float else a, context, device.name)
    hit = _SCALARS.get(key)
    if hit is not None:
        return hit
    dt = weak_scalar_dtype(a, None if context is None else np.dtype(context), Device(device))
    value = np.asarray(a, dtype=dt)
    x = ndarray._wrap(_native.full([], dtype_name(dt), value.tobytes(), device))
    # A cast that overflowed warns (NumPy does): such values are not kept, so it warns every time.
    if dt.kind != "f" or np.isfinite(value) or not math.isfinite(a):
        if len(_SCALARS) >= 1024:
            _SCALARS.clear()
        _SCALARS[key] = x
    return x


def _upload(host: np.ndarray, device) -> ndarray:
    from ._creation import _from_numpy

    return _from_numpy(host, device, None)


def _is_operand(x) -> bool:
    return isinstance(x, (ndarray, np.ndarray, np.generic, bool, int, float, list, tuple))


_BINARY_OPERATORS = {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "divide", "floordiv": "floor_divide",
    "mod": "remainder", "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor",
    "lshift": "left_shift", "rshift": "right_shift", "matmul": "matmul",
}
_COMPARISONS = {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal"}
_UNARY_OPERATORS = {"neg": "negative", "pos": "positive", "abs": "absolute", "invert": "invert"}


def _scalar_power(base: ndarray, exponent, table: dict):
    """NumPy's fast paths for ``x ** scalar`` (its ``fast_scalar_power``): the
    results differ from ``power``'s (``sqrt(-0.0)`` is −0.0), so follow them."""
    if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
        return None
    if base.dtype.kind == "f":
        ops = {2: "square", 0.5: "sqrt", -1: "reciprocal", 1: "positive"}
    elif base.dtype.kind in "iu" and isinstance(exponent, int):
        ops = {2: "square"}
    else:
        return None
    name = ops.get(exponent)
    return None if name is None else table[name](base)


def _attach_operators(table: dict[str, ufunc]) -> None:
    def binary(f):
        name = f.__name__
        elementwise = isinstance(f, ufunc)

        def op(self, other):
            if elementwise and type(self) is ndarray:
                # The hot paths: another wgarray array, or a Python scalar, go straight to Rust.
                if type(other) is ndarray:
                    return _wrap(_ufunc1(name, self._a, other._a))
                if type(other) in _PY_SCALAR_TYPES:
                    c = _scalar_operand(other, self._a.dtype, self._a.device)
                    return _wrap(_ufunc1(name, self._a, c._a))
            return f(self, other) if _is_operand(other) else NotImplemented

        def rop(self, other):
            if elementwise and type(self) is ndarray and type(other) in _PY_SCALAR_TYPES:
                c = _scalar_operand(other, self._a.dtype, self._a.device)
                return _wrap(_ufunc1(name, c._a, self._a))
            return f(other, self) if _is_operand(other) else NotImplemented

        def iop(self, other):
            if not _is_operand(other):
                return NotImplemented
            f(self, other, out=self, casting="same_kind")
            return self

        return op, rop, iop

    for dunder, name in _BINARY_OPERATORS.items():
        op, rop, iop = binary(table[name])
        setattr(ndarray, f"__{dunder}__", op)
        setattr(ndarray, f"__r{dunder}__", rop)
        setattr(ndarray, f"__i{dunder}__", iop)
    for dunder, name in _COMPARISONS.items():
        setattr(ndarray, f"__{dunder}__", binary(table[name])[0])
    for dunder, name in _UNARY_OPERATORS.items():
        setattr(ndarray, f"__{dunder}__", lambda self, f=table[name]: f(self))

    power = table["power"]

    def pow_(self, other, mod=None):
        if mod is not None:
            return NotImplemented
        if not _is_operand(other):
            return NotImplemented
        fast = _scalar_power(self, other, table)
        return fast if fast is not None else power(self, other)

    def rpow(self, other, mod=None):
        return power(other, self) if mod is None and _is_operand(other) else NotImplemented

    def ipow(self, other):
        if not _is_operand(other):
            return NotImplemented
        power(self, other, out=self, casting="same_kind")
        return self

    ndarray.__pow__, ndarray.__rpow__, ndarray.__ipow__ = pow_, rpow, ipow
    divmod_ = table["divmod"]
    ndarray.__divmod__ = lambda self, other: divmod_(self, other) if _is_operand(other) else NotImplemented
    ndarray.__rdivmod__ = lambda self, other: divmod_(other, self) if _is_operand(other) else NotImplemented


def build() -> tuple[dict[str, ufunc], dict[str, ufunc]]:
    """The ufunc objects by name, and NumPy's aliases (the same objects)."""
    rows, aliases = _native.ufunc_table()
    table = {row[0]: (_vecdot if row[0] == "vecdot" else ufunc)(*row) for row in rows}
    _attach_operators(table)
    return table, {alias: table[name] for alias, name in aliases}
