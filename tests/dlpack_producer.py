"""A DLPack producer built with ctypes, for tests: it can claim any device,
version and flags, counts how often its deleter runs, and can hand out one
capsule twice. Its memory is a NumPy array it keeps."""

import ctypes

import numpy as np

c = ctypes


class DLDevice(c.Structure):
    _fields_ = [("device_type", c.c_int32), ("device_id", c.c_int32)]


class DLDataType(c.Structure):
    _fields_ = [("code", c.c_uint8), ("bits", c.c_uint8), ("lanes", c.c_uint16)]


class DLTensor(c.Structure):
    _fields_ = [
        ("data", c.c_void_p), ("device", DLDevice), ("ndim", c.c_int32), ("dtype", DLDataType),
        ("shape", c.POINTER(c.c_int64)), ("strides", c.POINTER(c.c_int64)), ("byte_offset", c.c_uint64),
    ]


DELETER = c.CFUNCTYPE(None, c.c_void_p)


class DLManagedTensor(c.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", c.c_void_p), ("deleter", DELETER)]


class DLManagedTensorVersioned(c.Structure):
    _fields_ = [
        ("major", c.c_uint32), ("minor", c.c_uint32), ("manager_ctx", c.c_void_p), ("deleter", DELETER),
        ("flags", c.c_uint64), ("dl_tensor", DLTensor),
    ]


_api = c.pythonapi
_api.PyCapsule_New.restype = c.py_object
_api.PyCapsule_New.argtypes = [c.c_void_p, c.c_char_p, c.c_void_p]
_api.PyCapsule_IsValid.restype = c.c_int
_api.PyCapsule_IsValid.argtypes = [c.c_void_p, c.c_char_p]
_api.PyCapsule_GetPointer.restype = c.c_void_p
_api.PyCapsule_GetPointer.argtypes = [c.c_void_p, c.c_char_p]
_api.PyCapsule_GetName.restype = c.c_char_p
_api.PyCapsule_GetName.argtypes = [c.py_object]

VERSIONED, LEGACY = b"dltensor_versioned", b"dltensor"
CODES = {"b": 6, "i": 0, "u": 1, "f": 2, "c": 5}

# Every managed tensor made and not yet deleted, by address.
_LIVE = {}


@c.CFUNCTYPE(None, c.c_void_p)
def _capsule_destructor(capsule):
    # Runs only for a capsule nobody consumed: then the deleter is ours to call.
    for name, kind in ((VERSIONED, DLManagedTensorVersioned), (LEGACY, DLManagedTensor)):
        if _api.PyCapsule_IsValid(capsule, name):
            ptr = _api.PyCapsule_GetPointer(capsule, name)
            kind.from_address(ptr).deleter(ptr)


def capsule_name(capsule) -> str:
    return _api.PyCapsule_GetName(capsule).decode()


class Producer:
    """Exports ``array`` claiming ``device``; ``versioned`` picks the ABI,
    ``major`` its version, ``read_only`` its flag; ``legacy_signature``
    makes ``__dlpack__`` take only ``stream`` (a pre-1.0 producer);
    ``reuse`` hands out the same capsule on every call; ``destructor=False``
    makes capsules without a destructor."""

    def __init__(self, array, device=(1, 0), versioned=True, major=1, read_only=False,
                 legacy_signature=False, reuse=False, dtype_code=None, destructor=True):
        self.array = np.asarray(array)
        self.device = device
        self.versioned = versioned
        self.major = major
        self.read_only = read_only
        self.legacy_signature = legacy_signature
        self.reuse = reuse
        self.dtype_code = dtype_code
        # Without a capsule destructor an unconsumed capsule leaks (for
        # consumers that raise while the capsule dies: no callback runs then).
        self.destructor = destructor
        self.deleted = 0
        self.made = 0
        self.calls = []
        self._capsule = None
        self._deleter = DELETER(self._delete)

    def _delete(self, ptr):
        self.deleted += 1
        _LIVE.pop(ptr, None)

    def __dlpack_device__(self):
        return self.device

    def __dlpack__(self, stream=None, **kwargs):
        if self.legacy_signature and kwargs:
            raise TypeError("__dlpack__() got an unexpected keyword argument")
        self.calls.append(dict(stream=stream, **kwargs))
        if self.reuse and self._capsule is not None:
            return self._capsule
        a = self.array
        shape = (c.c_int64 * max(a.ndim, 1))(*a.shape)
        strides = (c.c_int64 * max(a.ndim, 1))(*[s // a.itemsize for s in a.strides])
        t = DLTensor(
            data=a.ctypes.data, device=DLDevice(*self.device), ndim=a.ndim,
            dtype=DLDataType(self.dtype_code if self.dtype_code is not None else CODES[a.dtype.kind], a.itemsize * 8, 1),
            shape=shape, strides=strides, byte_offset=0,
        )
        if self.versioned:
            m = DLManagedTensorVersioned(major=self.major, minor=0, deleter=self._deleter,
                                         flags=1 if self.read_only else 0, dl_tensor=t)
            name = VERSIONED
        else:
            m = DLManagedTensor(dl_tensor=t, deleter=self._deleter)
            name = LEGACY
        ptr = c.addressof(m)
        _LIVE[ptr] = (m, shape, strides, a)
        self.made += 1
        destructor = c.cast(_capsule_destructor, c.c_void_p) if self.destructor else None
        capsule = _api.PyCapsule_New(ptr, name, destructor)
        if self.reuse:
            self._capsule = capsule
        return capsule
