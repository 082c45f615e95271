"""``wgarray.ndarray``: NumPy's array surface over a native array that lives
on the CPU device or a GPU."""

from __future__ import annotations

import math

import numpy as np

from . import _native
from ._device import Device, as_device
from ._dtypes import as_dtype, dtype_name
from ._indexing import encode

# Native dtype names to NumPy dtypes (np.dtype(name) costs ~0.3 us).
_NP_DTYPES: dict = {}

_GPU_TO_NUMPY = (
    "Implicit conversion to a NumPy array is not allowed for arrays on device {dev}: "
    "copy to the host explicitly with `.get()`, `wgarray.asnumpy(x)` or `x.to_device('cpu')`."
)


class _HostView:
    """Hands NumPy a CPU-device array's memory through ``__array_interface__``,
    keeping the array (and so its memory) alive as the NumPy array's base."""

    __slots__ = ("__array_interface__", "_owner")

    def __init__(self, interface, owner):
        self.__array_interface__ = interface
        self._owner = owner


class Flags:
    """The subset of ``ndarray.flags`` wgarray has."""

    __slots__ = ("_x",)

    def __init__(self, x):
        self._x = x

    @property
    def c_contiguous(self) -> bool:
        return self._x._a.c_contiguous

    @property
    def f_contiguous(self) -> bool:
        return self._x._a.f_contiguous

    @property
    def writeable(self) -> bool:
        return self._x._a.writeable

    @writeable.setter
    def writeable(self, value: bool) -> None:
        self._x._set_writeable(bool(value))

    def __getitem__(self, key: str):
        names = {"C_CONTIGUOUS": "c_contiguous", "C": "c_contiguous", "F_CONTIGUOUS": "f_contiguous",
                 "F": "f_contiguous", "WRITEABLE": "writeable", "W": "writeable"}
        if key not in names:
            raise KeyError(f"Unknown flag {key}")
        return getattr(self, names[key])

    def __repr__(self) -> str:
        return (f"  C_CONTIGUOUS : {self.c_contiguous}\n  F_CONTIGUOUS : {self.f_contiguous}\n"
                f"  WRITEABLE : {self.writeable}")


_new = _native.HostBuffer.__new__


class ndarray(_native.HostBuffer):
    """An n-dimensional array on a device (see ``wgarray.asarray``). The
    native base gives CPU-device arrays the buffer protocol."""

    __slots__ = ("_a", "_base_writeable", "__weakref__")
    __array_priority__ = 100.0
    __hash__ = None  # mutable, like NumPy's arrays

    def __init__(self, *args, **kwargs):
        raise TypeError("create wgarray arrays with wgarray.asarray, wgarray.zeros, …")

    @classmethod
    def _wrap(cls, a, base_writeable: bool | None = None) -> "ndarray":
        x = _new(cls)
        x._a = a
        x._base_writeable = base_writeable
        return x

    def _base_w(self) -> bool:
        """Whether the memory may be written at all: given at wrapping, else
        (None) the native array's flag then (``_a`` changes only in
        ``_set_writeable``, which records it first)."""
        b = self._base_writeable
        return self._a.writeable if b is None else b

    # --- attributes -------------------------------------------------------------------
    @property
    def dtype(self) -> np.dtype:
        s = self._a.dtype
        d = _NP_DTYPES.get(s)
        if d is None:
            d = _NP_DTYPES[s] = np.dtype(s)
        return d

    @property
    def shape(self) -> tuple:
        return tuple(self._a.shape)

    @property
    def ndim(self) -> int:
        return len(self._a.shape)

    @property
    def size(self) -> int:
        return math.prod(self._a.shape)  # np.prod costs ~5 us a call

    @property
    def strides(self) -> tuple:
        return tuple(self._a.strides)

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.size * self.itemsize

    @property
    def device(self) -> Device:
        return Device(self._a.device)

    @property
    def flags(self) -> Flags:
        return Flags(self)

    def _set_writeable(self, w: bool) -> None:
        base = self._base_w()
        if w and not base:
            raise ValueError("cannot set WRITEABLE flag to True of this array")
        self._base_writeable = base
        self._a = self._a.with_writeable(w)

    @property
    def T(self) -> "ndarray":
        return self._view(self._a.permute(None))

    @property
    def mT(self) -> "ndarray":
        return self._view(self._a.matrix_transpose())

    def _view(self, a) -> "ndarray":
        return ndarray._wrap(a, self._base_w() and a.writeable)

    # --- host conversion --------------------------------------------------------------
    def get(self) -> np.ndarray:
        """A NumPy copy of the array (waits for pending device work)."""
        host = np.empty(self.shape, dtype=self.dtype)
        self._a.read_into(host)
        return host

    def to_device(self, device, /, *, stream=None) -> "ndarray":
        """The array on ``device`` (itself when already there)."""
        if stream is not None:
            raise ValueError("to_device: only stream=None is supported")
        target = as_device(device)
        if target._d == self._a.device:
            return self
        return ndarray._wrap(self._a.to_device(target._d))

    # --- DLPack and the host protocols ------------------------------------------------
    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """A DLPack capsule of the array (see docs/dlpack.md)."""
        from ._dlpack import dlpack

        return dlpack(self, stream, max_version, dl_device, copy)

    def __dlpack_device__(self) -> tuple:
        """``(device_type, device_id)``: (kDLCPU, 0) on the CPU device, the
        backend's type (kDLVulkan = 7, …) and adapter index on a GPU."""
        from ._dlpack import dlpack_device

        return dlpack_device(self)

    @property
    def __array_interface__(self) -> dict:
        ptr = self._a.host_ptr
        if ptr is None:
            raise TypeError(_GPU_TO_NUMPY.format(dev=self.device.name))
        return {
            "version": 3,
            "shape": self.shape,
            "typestr": self.dtype.str,
            "data": (ptr, not self._a.writeable),
            "strides": self.strides,
        }

    def __array__(self, dtype=None, copy=None):
        if self._a.host_ptr is None:
            raise TypeError(_GPU_TO_NUMPY.format(dev=self.device.name))
        arr = np.asarray(_HostView(self.__array_interface__, self))
        if dtype is not None and np.dtype(dtype) != arr.dtype:
            if copy is False:
                raise ValueError("Unable to avoid copy while creating an array as requested.")
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from ._protocols import array_ufunc

        return array_ufunc(self, ufunc, method, *inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from ._protocols import array_function

        return array_function(self, func, types, args, kwargs)

    def __array_namespace__(self, /, *, api_version=None):
        import wgarray

        return wgarray

    # --- Python protocol --------------------------------------------------------------
    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        for i in range(self.shape[0]):
            yield self[i]

    def _scalar_host(self) -> np.ndarray:
        # Only a one-element array converts; for any other NumPy raises from
        # the shape alone, so nothing is read from the device.
        if self.size != 1:
            return np.empty(self.shape, dtype=self.dtype)
        return self.get()

    def __float__(self) -> float:
        return float(self._scalar_host())

    def __int__(self) -> int:
        return int(self._scalar_host())

    def __bool__(self) -> bool:
        return bool(self._scalar_host())

    def __complex__(self) -> complex:
        return complex(self._scalar_host())

    def __index__(self) -> int:
        if self.dtype.kind not in "iub" or self.ndim != 0:
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return self._scalar_host().__index__()

    def item(self, *args):
        if not args:
            if self.size != 1:
                raise ValueError("can only convert an array of size 1 to a Python scalar")
            return self.reshape(()).get().item()
        if len(args) == 1 and not isinstance(args[0], tuple):
            n = args[0]
            if not -self.size <= n < self.size:
                raise IndexError("index %d is out of bounds for size %d" % (n, self.size))
            idx = np.unravel_index(n % self.size, self.shape)
        else:
            idx = args[0] if len(args) == 1 else args
        return self[tuple(int(i) for i in idx)].get().item()

    def tolist(self):
        return self.get().tolist()

    def __repr__(self) -> str:
        r = np.array_repr(self.get())
        if self._a.device.is_cpu:
            return r
        return f"{r[:-1]}, device='{self.device.name}')"

    def __str__(self) -> str:
        s = np.array_str(self.get())
        return s if self._a.device.is_cpu else f"{s} on {self.device.name}"

    # --- indexing ---------------------------------------------------------------------
    def __getitem__(self, key) -> "ndarray":
        if type(key) in _BASIC or (type(key) is tuple and all(type(k) in _BASIC for k in key)):
            # Integers, slices, None and Ellipsis alone: a view, nothing else to check.
            return self._view(self._a.index(encode(key)))
        mask = _bool_mask(self, key)
        if mask is not None:
            return ndarray._wrap(self._a.compress_mask(mask._a))
        if _int_array(self, key):
            from ._take import take

            return take(self, key, axis=0)
        from . import _advanced

        if _advanced.is_advanced(key):
            return _advanced.getitem(self, key)
        view = self._view(self._a.index(encode(key)))
        # A 0-d integer array indexes like an integer but is an advanced index
        # to NumPy: the result is a copy, not a view.
        items = key if isinstance(key, tuple) else (key,)
        return view.copy() if any(isinstance(k, np.ndarray) for k in items) else view

    def __setitem__(self, key, value) -> None:
        from ._creation import _value_for

        mask = _bool_mask(self, key)
        if mask is not None:
            return _set_masked(self, mask, value)
        from . import _advanced

        if _advanced.is_advanced(key):
            return _advanced.setitem(self, key, value)
        self._a.setitem(encode(key), _value_for(value, self)._a)

    def sort(self, axis=-1, kind=None, order=None, *, stable=None) -> None:
        """Sorts in place (stable)."""
        from ._sorting import _np_sort

        if not self.flags.writeable:
            raise ValueError("assignment destination is read-only")
        self[...] = _np_sort(self, axis, kind, order)

    def argsort(self, axis=-1, kind=None, order=None, *, stable=None) -> "ndarray":
        from ._sorting import _np_argsort

        return _np_argsort(self, axis, kind, order)

    def partition(self, kth, axis=-1, kind="introselect", order=None) -> None:
        from ._sorting import partition

        if not self.flags.writeable:
            raise ValueError("assignment destination is read-only")
        self[...] = partition(self, kth, axis, kind, order)

    def argpartition(self, kth, axis=-1, kind="introselect", order=None) -> "ndarray":
        from ._sorting import argpartition

        return argpartition(self, kth, axis, kind, order)

    def searchsorted(self, v, side="left", sorter=None) -> "ndarray":
        from ._sorting import searchsorted

        return searchsorted(self, v, side=side, sorter=sorter)

    def nonzero(self) -> tuple:
        return tuple(ndarray._wrap(a) for a in self._a.nonzero())

    # --- shape ------------------------------------------------------------------------
    def reshape(self, *shape, order="C", copy=None) -> "ndarray":
        from ._manipulation import reshape

        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape, order=order, copy=copy)

    def transpose(self, *axes) -> "ndarray":
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return self._view(self._a.permute(None if not axes else [int(a) for a in axes]))

    def squeeze(self, axis=None) -> "ndarray":
        from ._manipulation import squeeze

        return squeeze(self, axis)

    def copy(self) -> "ndarray":
        return ndarray._wrap(self._a.copy())

    def sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True) -> "ndarray":
        from ._reductions import sum as f

        return f(self, axis, dtype, out, keepdims, initial, where)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True) -> "ndarray":
        from ._reductions import prod as f

        return f(self, axis, dtype, out, keepdims, initial, where)

    def max(self, axis=None, out=None, keepdims=False, initial=None, where=True) -> "ndarray":
        from ._reductions import max as f

        return f(self, axis, out, keepdims, initial, where)

    def min(self, axis=None, out=None, keepdims=False, initial=None, where=True) -> "ndarray":
        from ._reductions import min as f

        return f(self, axis, out, keepdims, initial, where)

    def any(self, axis=None, out=None, keepdims=False, *, where=True) -> "ndarray":
        from ._reductions import any as f

        return f(self, axis, out, keepdims, where=where)

    def all(self, axis=None, out=None, keepdims=False, *, where=True) -> "ndarray":
        from ._reductions import all as f

        return f(self, axis, out, keepdims, where=where)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, where=True) -> "ndarray":
        from ._reductions import mean as f

        return f(self, axis, dtype, out, keepdims, where=where)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
            correction=None) -> "ndarray":
        from ._reductions import var as f

        return f(self, axis, dtype, out, ddof, keepdims, where=where, mean=mean, correction=correction)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
            correction=None) -> "ndarray":
        from ._reductions import std as f

        return f(self, axis, dtype, out, ddof, keepdims, where=where, mean=mean, correction=correction)

    def argmax(self, axis=None, out=None, *, keepdims=False) -> "ndarray":
        from ._reductions import argmax as f

        return f(self, axis, out, keepdims=keepdims)

    def argmin(self, axis=None, out=None, *, keepdims=False) -> "ndarray":
        from ._reductions import argmin as f

        return f(self, axis, out, keepdims=keepdims)

    def cumsum(self, axis=None, dtype=None, out=None) -> "ndarray":
        from ._reductions import cumsum as f

        return f(self, axis, dtype, out)

    def cumprod(self, axis=None, dtype=None, out=None) -> "ndarray":
        from ._reductions import cumprod as f

        return f(self, axis, dtype, out)

    def astype(self, dtype, /, *, copy=True, casting="unsafe") -> "ndarray":
        d = as_dtype(dtype)
        if not np.can_cast(self.dtype, d, casting=casting):
            raise TypeError(
                f"Cannot cast array data from {self.dtype!r} to {d!r} according to the rule '{casting}'"
            )
        if d == self.dtype and not copy:
            return self
        return ndarray._wrap(self._a.astype(dtype_name(d)))

    # Operators are attached by wgarray._ufunc from the op table.


# NumPy's messages and type() name the public class.
ndarray.__module__ = "wgarray"


# Index items that make a view (``bool`` is not among them: a boolean scalar index is advanced).
_BASIC = frozenset((int, slice, type(None), type(Ellipsis)))


def _bool_mask(x: ndarray, key):
    """A boolean-array key (wgarray or host data) as a wgarray bool array on
    ``x``'s device, or None for any other key."""
    if isinstance(key, ndarray):
        return key if key.dtype == np.bool_ else None
    if isinstance(key, (np.ndarray, list)) and not isinstance(key, tuple):
        arr = np.asarray(key)
        if arr.dtype == np.bool_ and arr.ndim > 0:
            if not x.device.is_cpu:
                raise TypeError(
                    f"a host boolean mask cannot index an array on device {x.device.name} (no implicit "
                    "host-to-device copy); use wgarray.asarray(mask, device=...)")
            from ._creation import asarray

            return asarray(arr, device=x.device)
    return None


def _int_array(x: ndarray, key) -> bool:
    """An integer-array key (one array, at least 1-d) on ``x``'s device or,
    next to a CPU-device array, host data."""
    if isinstance(key, ndarray):
        return key.dtype.kind in "iu" and key.ndim > 0
    if isinstance(key, (np.ndarray, list)):
        arr = np.asarray(key)
        if arr.dtype.kind in "iu" and arr.ndim > 0:
            if not x.device.is_cpu:
                raise TypeError(
                    f"a host index array cannot index an array on device {x.device.name} (no implicit "
                    "host-to-device copy); use wgarray.asarray(indices, device=...)")
            return True
    return False


def _set_masked(x: ndarray, mask: ndarray, value) -> None:
    """``x[mask] = value``: a scalar (or 0-d) by ``where``; one value per
    selected element (or subarray) by a scatter to their C-order places."""
    from ._creation import _value_for
    from ._manipulation import broadcast_to
    from ._reductions import where

    v = _value_for(value, x)
    if mask.ndim > x.ndim or mask.shape != x.shape[: mask.ndim]:
        x[mask]  # NumPy's IndexError for a mask that does not fit
    full = broadcast_to(mask.reshape(mask.shape + (1,) * (x.ndim - mask.ndim)), x.shape)
    if v.ndim == 0:
        x[...] = where(full, v, x)
        return
    places = ndarray._wrap(full._a.flatnonzero())
    count = places.shape[0] // max(1, int(np.prod(x.shape[mask.ndim:])))
    want = (count,) + x.shape[mask.ndim:]
    if v.shape != want:
        try:
            v = broadcast_to(v, want)
        except ValueError:
            raise ValueError(f"NumPy boolean array indexing assignment cannot assign {v.size} input values to the "
                             f"{count} output values where the mask is true") from None
    from ._reductions import _flat
    from . import _native  # noqa: F401

    tmp = x.astype(np.dtype(np.float32) if x.dtype == np.float16 else
                   np.dtype(np.int32) if x.dtype in (np.int8, np.int16) else
                   np.dtype(np.uint32) if x.dtype in (np.bool_, np.uint8, np.uint16) else x.dtype)
    tmp._a.scatter_into(places._a, _flat(v)._a)
    x[...] = tmp
