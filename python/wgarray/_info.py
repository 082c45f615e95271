"""The array API's inspection namespace (``wgarray.__array_namespace_info__()``,
standard 2024.12): capabilities, devices, and each device's dtypes."""

from __future__ import annotations

import numpy as np

from ._device import as_device, default_device, devices
from ._dtypes import default_float, default_int

_KINDS = {
    "bool": ("b",),
    "signed integer": ("i",),
    "unsigned integer": ("u",),
    "integral": ("i", "u"),
    "real floating": ("f",),
    "complex floating": ("c",),
    "numeric": ("i", "u", "f", "c"),
}
_ALL = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64")


class Info:
    """What ``__array_namespace_info__()`` returns."""

    __module__ = "wgarray"

    def capabilities(self) -> dict:
        # x[mask], nonzero and unique_* have data-dependent shapes: their
        # length is read back from the device (one count per call).
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return default_device()

    def devices(self) -> list:
        return devices()

    def default_dtypes(self, *, device=None) -> dict:
        dev = as_device(device)
        return {
            "real floating": default_float(dev),
            "complex floating": None,  # wgarray has no complex dtypes yet
            "integral": default_int(dev),
            "indexing": default_int(dev),
        }

    def dtypes(self, *, device=None, kind=None) -> dict:
        dev = as_device(device)
        have = [np.dtype(n) for n in _ALL if _on(dev, np.dtype(n))]
        if kind is None:
            return {d.name: d for d in have}
        kinds = kind if isinstance(kind, tuple) else (kind,)
        chars = set()
        for k in kinds:
            if k not in _KINDS:
                raise ValueError(f"unsupported dtype kind: {k!r}")
            chars.update(_KINDS[k])
        return {d.name: d for d in have if d.kind in chars}


def _on(dev, d: np.dtype) -> bool:
    if dev.is_cpu:
        return True
    info = dev.info
    if d == np.float64:
        return bool(info["f64"])
    if d.itemsize == 8:
        return bool(info["i64"])
    return True


def __array_namespace_info__() -> Info:
    return Info()
