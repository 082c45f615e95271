"""Python protocol and host conversion: scalars, item, tolist, len, iter,
repr/str, and NumPy conversion (zero-copy on the CPU device, refused with a
TypeError naming .get() on a GPU)."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes


def test_scalar_conversions_match_numpy(device):
    for dt in device_dtypes(device):
        a = np.array([3], dtype=dt)
        x = wa.asarray(a, device=device)
        z = x.reshape(())
        assert float(z) == float(a.reshape(()))
        assert int(z) == int(a.reshape(()))
        assert bool(z) == bool(a.reshape(()))
        assert z.item() == a.item() and type(z.item()) is type(a.item())
    x = wa.asarray(np.arange(12, dtype=np.int32).reshape(3, 4), device=device)
    assert x.item(5) == 5 and x.item(-1) == 11 and x.item((2, 1)) == 9 and x.item(1, 2) == 6
    assert x.tolist() == np.arange(12).reshape(3, 4).tolist()
    assert len(x) == 3
    assert [r.tolist() for r in x] == np.arange(12).reshape(3, 4).tolist()
    assert int(x[1, 1]) == 5 and x[2, 3].__index__() == 11
    assert list(range(10))[x[0, 2]] == 2


def test_scalar_conversion_errors_match_numpy(device):
    x = wa.zeros((2, 2), device=device)
    a = np.zeros((2, 2))
    for f in (float, int, bool):
        with pytest.raises(Exception) as ne:
            f(a)
        with pytest.raises(type(ne.value)):
            f(x)
    with pytest.raises(TypeError, match="len\\(\\) of unsized object"):
        len(wa.zeros((), device=device))
    with pytest.raises(TypeError, match="iteration over a 0-d array"):
        iter(wa.zeros((), device=device)).__next__()
    with pytest.raises(ValueError, match="can only convert an array of size 1"):
        x.item()
    with pytest.raises(IndexError):
        x.item(4)
    with pytest.raises(TypeError, match="only integer scalar arrays"):
        wa.asarray(1.5, device=device).__index__()


def test_repr_and_str_follow_numpy(device):
    for a in (np.arange(6, dtype=np.float32).reshape(2, 3), np.array([True, False]), np.array(7, dtype=np.uint8),
              np.zeros((0, 3), dtype=np.int16), np.arange(2000, dtype=np.int32)):
        x = wa.asarray(a, device=device)
        if device.is_cpu:
            assert repr(x) == repr(a)
            assert str(x) == str(a)
        else:
            assert repr(x) == repr(a)[:-1] + f", device='{device.name}')"
            assert str(x) == f"{a} on {device.name}"


def test_cpu_arrays_convert_to_numpy_without_copy():
    x = wa.asarray(np.zeros((2, 3), dtype=np.float32), device="cpu")
    a = np.asarray(x)
    a[0, 1] = 4
    assert x.get()[0, 1] == 4
    x[1, 2] = 9
    assert a[1, 2] == 9
    v = np.asarray(x[:, ::-2])
    np.testing.assert_array_equal(v, x.get()[:, ::-2])
    assert np.shares_memory(np.asarray(x), a)
    c = np.array(x)  # np.array copies by default
    c[0, 0] = -1
    assert x.get()[0, 0] == 0
    assert x.__array__(dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError):
        x.__array__(dtype=np.float64, copy=False)
    ro = wa.broadcast_to(x[0], (4, 3))
    assert not np.asarray(ro).flags.writeable
    del x
    assert a[1, 2] == 9  # the NumPy view keeps the memory alive


def test_gpu_arrays_refuse_implicit_numpy_conversion(gpu):
    x = wa.ones(3, device=gpu)
    for convert in (np.asarray, np.array, lambda v: v.__array__()):
        with pytest.raises(TypeError, match=r"\.get\(\)"):
            convert(x)
    with pytest.raises(TypeError, match=r"\.get\(\)"):  # issue 5: refused, not absent
        x.__array_interface__
    np.testing.assert_array_equal(x.get(), np.ones(3, dtype=x.dtype))


def test_array_namespace(device):
    assert wa.zeros(1, device=device).__array_namespace__() is wa
