"""Creation functions against NumPy, on every device."""

import array as pyarray

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes


def same(x, expected):
    assert isinstance(x, wa.ndarray)
    host = x.get()
    assert host.dtype == expected.dtype, (host.dtype, expected.dtype)
    assert host.shape == expected.shape
    np.testing.assert_array_equal(host, expected)


@pytest.mark.parametrize("obj", [
    3, 2.5, True, [1, 2, 3], [[1.5, 2], [3, 4]], [[True, False]], (), [[]], np.float32(1.5), np.int8(-3),
])
def test_asarray_python_objects(device, obj):
    expected = np.asarray(obj)
    if expected.dtype == np.float64 and not device.info["f64"]:
        expected = expected.astype(np.float32)
    same(wa.asarray(obj, device=device), expected)
    same(wa.array(obj, device=device), expected)


def test_asarray_dtype_argument(device):
    for dt in device_dtypes(device):
        same(wa.asarray([0, 1, 2], dtype=dt, device=device), np.asarray([0, 1, 2], dtype=dt))
    with pytest.raises(TypeError, match="does not support"):
        wa.asarray([1], dtype=np.complex64, device=device)
    with pytest.raises(TypeError):
        wa.asarray(["a"], device=device)


def test_asarray_numpy_and_buffers(device):
    rng = np.random.default_rng(0)
    for dt in device_dtypes(device):
        a = (rng.random((3, 4)) * 100).astype(dt)
        same(wa.asarray(a, device=device), a)
        same(wa.asarray(a[::-1, ::2], device=device), a[::-1, ::2])
        same(wa.asarray(a.T, device=device), a.T)
    same(wa.asarray(bytearray(b"\x01\x02\x03"), device=device), np.frombuffer(b"\x01\x02\x03", dtype=np.uint8))
    with pytest.raises(TypeError, match="does not support"):
        wa.asarray(b"abc", device=device)  # NumPy reads bytes as an S3 string
    same(wa.asarray(pyarray.array("i", [1, -2, 3]), device=device), np.array([1, -2, 3], dtype=np.int32))
    if device.info["f64"]:
        same(wa.asarray(memoryview(np.arange(4.0)), device=device), np.arange(4.0))
    big_endian = np.arange(5, dtype=">i4")
    same(wa.asarray(big_endian, device=device), np.arange(5, dtype=np.int32))


def test_asarray_from_wgarray_and_copy_rules(device):
    x = wa.asarray([1, 2, 3], dtype=np.int32, device=device)
    assert wa.asarray(x) is x
    assert wa.asarray(x, copy=False) is x
    y = wa.asarray(x, copy=True)
    assert y is not x
    y[0] = 7
    assert x.get()[0] == 1
    same(wa.asarray(x, dtype=np.int16), np.array([1, 2, 3], dtype=np.int16))
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        wa.asarray(x, dtype=np.int16, copy=False)
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        wa.asarray([1, 2], device=device, copy=False)
    for other in wa.devices():
        z = wa.asarray(x, device=other)
        assert z.device == other
        same(z, np.array([1, 2, 3], dtype=np.int32))
        if other != device:
            with pytest.raises(ValueError, match="Unable to avoid copy"):
                wa.asarray(x, device=other, copy=False)


def test_cpu_asarray_shares_memory_with_numpy():
    a = np.arange(6.0).reshape(2, 3)
    x = wa.asarray(a, device="cpu")
    x[0, 0] = 100
    assert a[0, 0] == 100
    a[1, 2] = -1
    assert x.get()[1, 2] == -1
    c = wa.asarray(a, device="cpu", copy=True)
    c[0, 1] = 55
    assert a[0, 1] == 1
    ro = np.arange(3)
    ro.flags.writeable = False
    r = wa.asarray(ro, device="cpu")
    assert not r.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        r[0] = 1
    del a
    assert x.get()[0, 0] == 100  # memory lives as long as the wgarray array


def test_gpu_asarray_copy_false_from_host_raises(gpu):
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        wa.asarray(np.arange(3), device=gpu, copy=False)


@pytest.mark.parametrize("shape", [(), 0, 5, (2, 3), (0, 4), (2, 1, 3)])
def test_zeros_ones_empty_full(device, shape):
    for dt in device_dtypes(device):
        same(wa.zeros(shape, dtype=dt, device=device), np.zeros(shape, dtype=dt))
        same(wa.ones(shape, dtype=dt, device=device), np.ones(shape, dtype=dt))
        assert wa.empty(shape, dtype=dt, device=device).shape == np.empty(shape).shape
        fill = True if dt == np.bool_ else 7
        same(wa.full(shape, fill, dtype=dt, device=device), np.full(shape, fill, dtype=dt))


def test_full_infers_dtype_and_broadcasts(device):
    same(wa.full((2, 2), 3, device=device), np.full((2, 2), 3))
    same(wa.full((2, 2), True, device=device), np.full((2, 2), True))
    same(wa.full((2, 3), [1, 2, 3], dtype=np.int16, device=device), np.full((2, 3), [1, 2, 3], dtype=np.int16))
    if device.info["f64"]:
        same(wa.full(3, np.nan, device=device), np.full(3, np.nan))
    with pytest.raises(OverflowError):
        wa.full(3, 300, dtype=np.int8, device=device)
    with pytest.raises(ValueError, match="negative dimensions"):
        wa.zeros((2, -1), device=device)


def test_like_functions(device):
    x = wa.asarray(np.arange(6, dtype=np.int16).reshape(2, 3), device=device)
    same(wa.zeros_like(x), np.zeros((2, 3), dtype=np.int16))
    same(wa.ones_like(x, dtype=np.float32), np.ones((2, 3), dtype=np.float32))
    same(wa.full_like(x, 4), np.full((2, 3), 4, dtype=np.int16))
    e = wa.empty_like(x)
    assert e.shape == (2, 3) and e.dtype == np.int16 and e.device == device
    assert wa.zeros_like(x).device == device
    assert wa.zeros_like(x, device="cpu").device == wa.Device("cpu")


def test_arange_linspace_eye_identity(device):
    f = np.float64 if device.info["f64"] else np.float32
    i = np.int64 if device.info["i64"] else np.int32
    same(wa.arange(5, device=device), np.arange(5).astype(i))
    same(wa.arange(2, 11, 3, dtype=np.int16, device=device), np.arange(2, 11, 3, dtype=np.int16))
    same(wa.arange(0.5, 3, 0.5, device=device), np.arange(0.5, 3, 0.5).astype(f))
    same(wa.arange(5, 0, -2, device=device), np.arange(5, 0, -2).astype(i))
    same(wa.linspace(0, 1, 7, device=device), np.linspace(0, 1, 7).astype(f))
    same(wa.linspace(0, 1, 4, endpoint=False, dtype=np.float32, device=device), np.linspace(0, 1, 4, endpoint=False, dtype=np.float32))
    same(wa.eye(3, device=device), np.eye(3).astype(f))
    same(wa.eye(3, 4, k=1, dtype=np.int8, device=device), np.eye(3, 4, k=1, dtype=np.int8))
    same(wa.eye(4, 2, k=-1, dtype=np.bool_, device=device), np.eye(4, 2, k=-1, dtype=np.bool_))
    same(wa.identity(2, dtype=np.uint8, device=device), np.identity(2, dtype=np.uint8))


def test_asnumpy_and_get(device):
    x = wa.asarray([[1, 2], [3, 4]], dtype=np.int32, device=device)
    for host in (x.get(), wa.asnumpy(x)):
        assert type(host) is np.ndarray
        np.testing.assert_array_equal(host, [[1, 2], [3, 4]])
    h = x.get()
    h[0, 0] = 99
    assert x.get()[0, 0] == 1
    np.testing.assert_array_equal(wa.asnumpy([1, 2]), [1, 2])
