"""DLPack (array API 2024.12, DLPack 1.x): ``ndarray.__dlpack__``,
``ndarray.__dlpack_device__`` and ``from_dlpack``. Arguments are checked
here with NumPy's errors; capsules are made and read by the native
``wgarray-dlpack`` crate. See docs/dlpack.md."""

from __future__ import annotations

import operator
from enum import IntEnum

from . import _native

#: DLPack device types whose memory the host reads directly (NumPy's list).
_HOST_TYPES = (1, 3, 11, 13)  # kDLCPU, kDLCUDAHost, kDLROCMHost, kDLCUDAManaged
_CPU = (1, 0)
#: The newest DLPack version wgarray reads and writes.
MAX_VERSION = (1, 3)


def _pair(value, what: str, message: str) -> tuple[int, int]:
    if not isinstance(value, tuple):
        raise TypeError(message)
    if len(value) != 2:
        raise TypeError(message if what == "max_version" else f"{what} must be a tuple of two integers")
    try:
        return operator.index(value[0]), operator.index(value[1])
    except TypeError:
        raise TypeError(f"{what} must be a tuple of two integers") from None


def dlpack(x, stream, max_version, dl_device, copy):
    """``x.__dlpack__(stream=, max_version=, dl_device=, copy=)``."""
    if dl_device is not None:
        dl_device = _pair(dl_device, "dl_device", "dl_device must be a tuple")
    if max_version is not None:
        max_version = _pair(max_version, "max_version", "max_version must be None or a tuple with two elements.")
        if max_version[0] < 0 or max_version[1] < 0:
            raise ValueError("max_version must hold non-negative integers")
    copy = None if copy is None else bool(copy)
    if x._a.device.is_cpu:
        if stream is not None:
            raise ValueError("wgarray arrays on the CPU device only support stream=None.")
        wait = True
    else:
        # Vulkan has no stream a consumer could name: None waits for the work
        # producing the array, -1 only submits it (the consumer synchronises).
        if stream is None:
            wait = True
        elif isinstance(stream, int) and not isinstance(stream, bool) and stream == -1:
            wait = False
        else:
            raise ValueError(
                f"stream must be None or -1 for arrays on {x.device.name}: got {stream!r} "
                "(wgarray's GPU queue has no stream handle to synchronise with)"
            )
    return _native.dlpack_export(x._a, max_version, dl_device, copy, wait)


def dlpack_device(x) -> tuple:
    """``x.__dlpack_device__()``: ``(device_type, device_id)``."""
    t, i = _native.dlpack_device(x._a)
    return (_DLDeviceType(t) if t in _DLDeviceType._value2member_map_ else t, i)


class _DLDeviceType(IntEnum):
    """DLPack's device types, as the array API's ``__dlpack_device__`` returns them."""

    CPU = 1
    CUDA = 2
    CPU_PINNED = 3
    OPENCL = 4
    VULKAN = 7
    METAL = 8
    VPI = 9
    ROCM = 10
    ROCM_HOST = 11
    EXT_DEV = 12
    CUDA_MANAGED = 13
    ONE_API = 14
    WEBGPU = 15
    HEXAGON = 16


def _call_producer(x, dl_device, copy):
    try:
        return x.__dlpack__(stream=None, max_version=MAX_VERSION, dl_device=dl_device, copy=copy)
    except TypeError:
        # A producer from before DLPack 1.0 takes only `stream`.
        return x.__dlpack__(stream=None)


def from_dlpack(x, /, *, device=None, copy=None):
    """An array from any object with ``__dlpack__``: host memory (CPU, CUDA
    host, ROCm host, CUDA managed) becomes a CPU-device array without a copy
    (``device=`` another device uploads it); a wgarray GPU capsule becomes a
    view of the same buffer. Other devices are refused with NumPy's
    ``BufferError: Unsupported device in DLTensor.`` unless ``copy=True`` (or
    ``device="cpu"``) lets the producer copy to the host. ``copy=False``
    never copies (BufferError where it would have to)."""
    from ._device import as_device
    from ._ndarray import ndarray

    target = None if device is None else as_device(device)
    copy = None if copy is None else bool(copy)
    if not hasattr(x, "__dlpack__"):
        raise AttributeError(f"{type(x).__name__!r} object has no attribute '__dlpack__'")
    source = tuple(x.__dlpack_device__()) if hasattr(x, "__dlpack_device__") else None
    dl_device = None
    if source is not None and source[0] not in _HOST_TYPES and not _is_own_gpu(source):
        # Only the producer can move this data: ask for a host copy where a
        # copy is allowed and wanted, else refuse before any capsule exists.
        if copy is True or (target is not None and target.is_cpu and copy is not False):
            dl_device = _CPU
        else:
            raise BufferError("Unsupported device in DLTensor.")
    elif source is not None and source[0] not in _HOST_TYPES and target is not None and target.is_cpu:
        dl_device = _CPU
    capsule = _call_producer(x, dl_device, copy)
    copied = False
    try:
        copied = bool(_native.dlpack_capsule_flags(capsule) & 2)
    except TypeError:
        pass  # a legacy capsule: no flags
    if copied and copy is False:
        raise BufferError("the DLPack producer copied although copy=False was asked for")
    a = _native.dlpack_import(capsule)
    if copy is True and not copied:
        a = a.copy()
        copied = True
    if target is not None and target._d != a.device:
        if copy is False:
            raise BufferError(f"from_dlpack: moving the data to {target.name} needs a copy, but copy=False")
        a = a.to_device(target._d)
    return ndarray._wrap(a)


def _is_own_gpu(dev) -> bool:
    return _native.dlpack_is_adapter(int(dev[0]), int(dev[1]))
