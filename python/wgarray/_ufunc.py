"""Ufunc objects, generated from the native op table (the single source of
truth in wgarray-kernels), and the ndarray operators that call them."""

from __future__ import annotations

import numpy as np

from . import _native
from ._device import as_device
from ._dtypes import as_dtype, weak_scalar_dtype
from ._ndarray import ndarray

_PY_SCALARS = (bool, int, float)


class ufunc:
    """A wgarray ufunc: NumPy's elementwise function, on the arrays' device."""

    __slots__ = ("__name__", "nin", "nout", "identity", "types", "__dict__")

    def __init__(self, name: str, nin: int, nout: int, identity, types: list[str]) -> None:
        self.__name__ = name
        self.nin = nin
        self.nout = nout
        self.identity = identity
        self.types = list(types)
        self.__doc__ = f"wgarray.{name}: NumPy's ufunc, computed on the operands' device."

    @property
    def nargs(self) -> int:
        return self.nin + self.nout

    @property
    def ntypes(self) -> int:
        return len(self.types)

    def __repr__(self) -> str:
        return f"<ufunc '{self.__name__}'>"

    def __call__(self, *args, out=None, where=True, casting="same_kind", dtype=None):
        if len(args) == self.nin + self.nout and out is None:
            args, out = args[: self.nin], args[self.nin :]
        if len(args) != self.nin:
            raise TypeError(f"{self.__name__}() takes from {self.nin} to {self.nargs} positional arguments but {len(args)} were given")
        if where is not True:
            raise NotImplementedError(f"wgarray.{self.__name__}: where= is not supported yet")
        if dtype is not None:
            raise NotImplementedError(f"wgarray.{self.__name__}: dtype= is not supported yet")
        if isinstance(out, tuple):
            if len(out) != self.nout:
                raise ValueError(f"The 'out' tuple must have exactly {self.nout} entries: one per ufunc output")
            out = out[0] if self.nout == 1 else out
        if out is not None and not isinstance(out, ndarray):
            raise TypeError("return arrays must be of ArrayType")
        inputs = _operands(self.__name__, args, out)
        res = _native.ufunc(self.__name__, [a._a for a in inputs], None if out is None else out._a, casting)
        if out is not None:
            return out
        wrapped = [ndarray._wrap(r) for r in res]
        return wrapped[0] if self.nout == 1 else tuple(wrapped)


def _operands(name: str, args, out) -> list[ndarray]:
    """Converts ufunc inputs to wgarray arrays on one device: Python scalars
    by NEP 50 (weak), NumPy data only next to CPU-device arrays."""
    arrays = [a for a in args if isinstance(a, ndarray)]
    device = arrays[0].device if arrays else (out.device if out is not None else as_device(None))
    others = [a.dtype for a in arrays]
    context = np.result_type(*others) if others else None
    result = []
    for a in args:
        if isinstance(a, ndarray):
            result.append(a)
        elif isinstance(a, _PY_SCALARS):
            dt = weak_scalar_dtype(a, context, device)
            result.append(_upload(np.asarray(a, dtype=dt), device))
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


def _upload(host: np.ndarray, device) -> ndarray:
    from ._creation import _from_numpy

    return _from_numpy(host, device, None)


def _is_operand(x) -> bool:
    return isinstance(x, (ndarray, np.ndarray, np.generic, bool, int, float, list, tuple))


def _attach_operators(table: dict[str, ufunc]) -> None:
    def binary(f):
        def op(self, other):
            return f(self, other) if _is_operand(other) else NotImplemented

        def rop(self, other):
            return f(other, self) if _is_operand(other) else NotImplemented

        def iop(self, other):
            if not _is_operand(other):
                return NotImplemented
            f(self, other, out=self, casting="same_kind")
            return self

        return op, rop, iop

    for dunder, name in (("add", "add"), ("mul", "multiply")):
        if name in table:
            op, rop, iop = binary(table[name])
            setattr(ndarray, f"__{dunder}__", op)
            setattr(ndarray, f"__r{dunder}__", rop)
            setattr(ndarray, f"__i{dunder}__", iop)


def build() -> dict[str, ufunc]:
    table = {name: ufunc(name, nin, nout, identity, types) for name, nin, nout, identity, types in _native.ufunc_table()}
    _attach_operators(table)
    return table
