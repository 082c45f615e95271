"""Array creation: ``asarray``/``array`` from anything NumPy can read, and
``zeros ones empty full`` (+ ``_like``), ``arange linspace eye identity``."""

from __future__ import annotations

import operator

import numpy as np

from . import _native
from ._device import Device, as_device
from ._dtypes import as_dtype, default_float, dtype_name, host_default
from ._ndarray import ndarray

__all__ = [
    "asarray", "array", "asnumpy", "empty", "zeros", "ones", "full",
    "empty_like", "zeros_like", "ones_like", "full_like", "arange", "linspace", "eye", "identity",
]

_NO_COPY = "Unable to avoid copy while creating an array as requested."


def _shape(shape) -> list[int]:
    try:
        dims = [operator.index(shape)]
    except TypeError:
        dims = [operator.index(d) for d in shape]
    if any(d < 0 for d in dims):
        raise ValueError("negative dimensions are not allowed")
    if any(d >= 1 << 63 for d in dims):
        raise ValueError("Maximum allowed dimension exceeded")
    return dims


def _from_numpy(host: np.ndarray, dev: Device, copy, private: bool = False) -> ndarray:
    """A wgarray array with ``host``'s contents on ``dev``; shares memory with
    ``host`` when ``dev`` is the CPU device and ``copy`` is not True.
    ``private``: wgarray built ``host`` and nothing else references it, so
    the array need not be treated as written from outside (fused programs
    may read it lazily); otherwise a shared array is exposed."""
    if host.dtype.byteorder not in "=|":
        if copy is False:
            raise ValueError(_NO_COPY)
        host = host.astype(host.dtype.newbyteorder("="))
    as_dtype(host.dtype)
    aligned = host.ctypes.data % host.dtype.itemsize == 0 and all(s % host.dtype.itemsize == 0 for s in host.strides)
    if dev.is_cpu and copy is not True and host.size > 0 and aligned:
        lo = sum((n - 1) * -s for n, s in zip(host.shape, host.strides) if s < 0)
        hi = sum((n - 1) * s for n, s in zip(host.shape, host.strides) if s > 0)
        a = _native.from_host_borrowed(
            host, host.ctypes.data, lo, lo + hi + host.dtype.itemsize, list(host.shape),
            list(host.strides), dtype_name(host.dtype), bool(host.flags.writeable), private,
        )
        return ndarray._wrap(a)
    if copy is False:
        raise ValueError(_NO_COPY)
    host = np.asarray(host, order="C")
    return ndarray._wrap(_native.from_host(host.ctypes.data, host.nbytes, list(host.shape), dtype_name(host.dtype), dev._d))


def asarray(obj, /, *, dtype=None, device=None, copy=None) -> ndarray:
    """An array from ``obj`` (a wgarray array, NumPy array, buffer, nested
    sequence or scalar) on ``device``, with the array API's ``copy`` rule:
    True always copies, False never does (ValueError if it must), None copies
    only when needed."""
    dt = None if dtype is None else as_dtype(dtype)
    if isinstance(obj, ndarray):
        dev = obj.device if device is None else as_device(device)
        if obj.device == dev and (dt is None or dt == obj.dtype):
            return obj.copy() if copy else obj
        if copy is False:
            raise ValueError(_NO_COPY)
        out = obj.to_device(dev)
        return out.astype(dt) if dt is not None and dt != out.dtype else out
    dev = as_device(device)
    if isinstance(obj, np.ndarray):
        host = obj if dt is None or obj.dtype == dt else obj.astype(dt)
        if host is not obj and copy is False:
            raise ValueError(_NO_COPY)
        # A converted copy is wgarray's own; the caller's array is not.
        return _from_numpy(host, dev, copy if host is obj else None, private=host is not obj)
    if isinstance(obj, (list, tuple)) and any(isinstance(e, ndarray) for e in obj):
        obj = [e.get() if isinstance(e, ndarray) else e for e in obj]
    native = np.asarray(obj)
    shared = _is_buffer(obj)  # np.asarray viewed obj's memory rather than building new
    if dt is not None:
        host = np.asarray(native, dtype=dt)
    else:
        host = native if shared else host_default(native, dev)
    if host is native and shared:
        return _from_numpy(host, dev, copy)
    if copy is False:
        raise ValueError(_NO_COPY)
    # A fresh host array: the CPU device can keep it without another copy.
    # It is wgarray's own when built here from Python data or converted;
    # ``np.asarray`` of another object (``__array__``) may share its memory.
    private = host is not native or type(obj) in _PY_DATA
    return _from_numpy(host, dev, None, private=private)


# Python data np.asarray always copies from (nested sequences of these too).
_PY_DATA = frozenset((list, tuple, bool, int, float, complex))


def _is_buffer(obj) -> bool:
    try:
        memoryview(obj)
        return True
    except TypeError:
        return False


def array(obj, dtype=None, *, copy=True, device=None) -> ndarray:
    """Like ``asarray``, but copies by default (NumPy's ``np.array``)."""
    return asarray(obj, dtype=dtype, device=device, copy=copy)


def asnumpy(x) -> np.ndarray:
    """A NumPy copy of ``x`` (NumPy arrays and other inputs pass through ``np.asarray``)."""
    if isinstance(x, ndarray):
        return x.get()
    return np.asarray(x)


def _creation_dtype(dtype, dev: Device) -> np.dtype:
    return default_float(dev) if dtype is None else as_dtype(dtype)


def empty(shape, *, dtype=None, device=None) -> ndarray:
    dev = as_device(device)
    return ndarray._wrap(_native.empty(_shape(shape), dtype_name(_creation_dtype(dtype, dev)), dev._d))


def zeros(shape, *, dtype=None, device=None) -> ndarray:
    dev = as_device(device)
    return ndarray._wrap(_native.zeros(_shape(shape), dtype_name(_creation_dtype(dtype, dev)), dev._d))


def ones(shape, *, dtype=None, device=None) -> ndarray:
    return full(shape, 1, dtype=_creation_dtype(dtype, as_device(device)), device=device)


def full(shape, fill_value, *, dtype=None, device=None) -> ndarray:
    dev = as_device(device)
    if isinstance(fill_value, ndarray):
        fill_value = fill_value.get()
    if dtype is None:
        value = host_default(np.asarray(fill_value), dev)
    else:
        value = np.asarray(fill_value, dtype=as_dtype(dtype))
    dt = as_dtype(value.dtype)
    dims = _shape(shape)
    if value.ndim == 0:
        return ndarray._wrap(_native.full(dims, dtype_name(dt), value.tobytes(), dev._d))
    out = empty(dims, dtype=dt, device=dev)
    out[...] = asarray(value, device=dev)
    return out


def _like_device(x, device):
    if device is not None:
        return as_device(device)
    return x.device if isinstance(x, ndarray) else as_device(None)


def empty_like(x, /, *, dtype=None, device=None) -> ndarray:
    return empty(np.shape(x) if not isinstance(x, ndarray) else x.shape,
                 dtype=x.dtype if dtype is None else dtype, device=_like_device(x, device))


def zeros_like(x, /, *, dtype=None, device=None) -> ndarray:
    return zeros(np.shape(x) if not isinstance(x, ndarray) else x.shape,
                 dtype=x.dtype if dtype is None else dtype, device=_like_device(x, device))


def ones_like(x, /, *, dtype=None, device=None) -> ndarray:
    return ones(np.shape(x) if not isinstance(x, ndarray) else x.shape,
                dtype=x.dtype if dtype is None else dtype, device=_like_device(x, device))


def full_like(x, /, fill_value, *, dtype=None, device=None) -> ndarray:
    return full(np.shape(x) if not isinstance(x, ndarray) else x.shape, fill_value,
                dtype=x.dtype if dtype is None else dtype, device=_like_device(x, device))


def _host_made(host: np.ndarray, dtype, dev: Device) -> ndarray:
    host = host_default(host, dev) if dtype is None else host
    return _from_numpy(np.asarray(host, order="C"), dev, True)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None) -> ndarray:
    dev = as_device(device)
    dt = None if dtype is None else as_dtype(dtype)
    return _host_made(np.arange(start, stop, step, dtype=dt), dtype, dev)


def linspace(start, stop, /, num=50, *, dtype=None, device=None, endpoint=True) -> ndarray:
    dev = as_device(device)
    dt = None if dtype is None else as_dtype(dtype)
    return _host_made(np.linspace(start, stop, num, endpoint=endpoint, dtype=dt), dtype, dev)


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None) -> ndarray:
    dev = as_device(device)
    dt = _creation_dtype(dtype, dev)
    return _host_made(np.eye(n_rows, n_cols, k=k, dtype=dt), dt, dev)


def identity(n, dtype=None, *, device=None) -> ndarray:
    return eye(n, dtype=dtype, device=device)


def _value_for(value, target: ndarray) -> ndarray:
    """A right-hand side for ``target[...] = value`` on ``target``'s device.
    Python scalars convert to the target's dtype as NumPy's setitem does
    (OverflowError for out-of-range integers); arrays are cast by the copy."""
    if isinstance(value, ndarray):
        return value
    if isinstance(value, (bool, int, float)):
        value = np.asarray(value, dtype=target.dtype)
    else:
        value = np.asarray(value)
    return _from_numpy(value, target.device, True)
