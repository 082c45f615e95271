"""Devices: the CPU device and every GPU adapter wgpu finds.

``Device("gpu")`` names the best adapter (software ones included);
``Device("vulkan:1")`` a particular one. The default device for creation
functions comes from ``with Device(...):`` blocks, else ``WGARRAY_DEVICE``,
else the best hardware GPU, else the CPU device.
"""

from __future__ import annotations

import contextvars
import platform

from . import _native

__all__ = ["Device", "devices", "default_device", "synchronize"]

_stack: contextvars.ContextVar[tuple] = contextvars.ContextVar("wgarray_device_stack", default=())
_default_cache: list = []


class Device:
    """A place arrays live: ``Device("cpu")``, ``Device("gpu")``, ``Device("vulkan:0")``…

    Devices compare equal when they name the same hardware, and work as
    context managers that set the default device for creation functions.
    """

    __slots__ = ("_d", "_tokens")

    def __init__(self, spec: "str | Device" = "cpu") -> None:
        if isinstance(spec, Device):
            self._d = spec._d
        elif isinstance(spec, _native.Device):
            self._d = spec
        elif isinstance(spec, str):
            self._d = _native.Device(spec)
        else:
            raise TypeError(f"a device is named by a string such as 'cpu' or 'gpu', not {type(spec).__name__}")
        self._tokens = []

    @property
    def name(self) -> str:
        """The canonical name: ``'cpu'``, ``'vulkan:0'``, …"""
        return self._d.name

    @property
    def is_cpu(self) -> bool:
        return self._d.is_cpu

    @property
    def info(self) -> dict:
        """What the device is: name, backend, adapter type, dtype features, limits."""
        if self.is_cpu:
            return {
                "device": "cpu",
                "name": platform.processor() or platform.machine() or "host",
                "backend": "cpu",
                "adapter_type": "Host",
                "driver": "wgarray CPU kernels",
                "software": False,
                "f64": True,
                "i64": True,
                "f16": True,
                "subgroups": False,
            }
        for info in _native.adapters():
            if info["device"] == self.name:
                return info
        raise RuntimeError(f"adapter {self.name} disappeared")

    def synchronize(self) -> None:
        """Computes the device's pending (fused) results and waits until all
        work recorded on it has finished."""
        self._d.synchronize()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = Device(other)
            except (ValueError, RuntimeError):
                return False
        return isinstance(other, Device) and self._d == other._d

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Device('{self.name}')"

    def __str__(self) -> str:
        return self.name

    def __enter__(self) -> "Device":
        self._tokens.append(_stack.set(_stack.get() + (self,)))
        return self

    def __exit__(self, *exc) -> None:
        _stack.reset(self._tokens.pop())


_CPU = None


def cpu_device() -> Device:
    global _CPU
    if _CPU is None:
        _CPU = Device("cpu")
    return _CPU


def devices() -> list[Device]:
    """The CPU device and every GPU adapter, best first (see ``Device.info``)."""
    return [cpu_device()] + [Device(info["device"]) for info in _native.adapters()]


def default_device() -> Device:
    """The device creation functions use when none is given."""
    stack = _stack.get()
    if stack:
        return stack[-1]
    if not _default_cache:
        _default_cache.append(Device(_native.default_device()))
    return _default_cache[0]


def as_device(device) -> Device:
    """Normalises a ``device=`` argument (None → the default device)."""
    if device is None:
        return default_device()
    if isinstance(device, Device):
        return device
    return Device(device)


def synchronize(device=None) -> None:
    """Computes pending (fused) results and waits for all work recorded on
    ``device`` (default: every device)."""
    if device is not None:
        as_device(device).synchronize()
        return
    for d in devices():
        d.synchronize()



def evaluate(*arrays) -> None:
    """Computes ``arrays`` if they are pending fused results (elementwise
    chains run lazily: see docs/fusion.md) without reading them back; on a GPU
    the kernel is recorded and ``synchronize`` waits for it. Benchmarks and
    code that times work call it on the results they keep."""
    for a in arrays:
        a._a.evaluate()
