"""NumPy's override protocols (NEP 13 ``__array_ufunc__``, NEP 18
``__array_function__``) on every device: NumPy's functions and ufuncs called
with wgarray arrays compute on the arrays' device and return wgarray arrays;
GPU arrays never mix silently with host data; anything not implemented is
NumPy's own TypeError; ``__array__`` is never called on the way."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes


def test_numpy_ufuncs_dispatch_to_wgarray(device):
    a = np.float32([0.5, 1.0, 2.0, 4.0])
    x = wa.asarray(a, device=device)
    for f in (np.exp, np.log, np.sqrt, np.negative, np.sin):
        r = f(x)
        assert isinstance(r, wa.ndarray) and r.device == device
        np.testing.assert_allclose(r.get(), f(a), rtol=1e-6)
    r = np.add(x, x)
    assert isinstance(r, wa.ndarray)
    np.testing.assert_array_equal(r.get(), a + a)
    y = wa.zeros(4, dtype=np.float32, device=device)
    assert np.add(x, 1, out=y) is y
    np.testing.assert_array_equal(y.get(), a + 1)
    assert np.multiply(x, 2, out=(y,)) is y
    np.testing.assert_array_equal(np.add(x, 1, where=np.array([True, False, True, False]), out=y).get(), [1.5, 2.0, 3.0, 8.0])
    assert np.add(x, x, dtype=np.float32).dtype == np.float32
    with pytest.raises(TypeError):
        np.add(wa.asarray(np.int16([1]), device=device), 1.5, out=wa.zeros(1, dtype=np.int16, device=device))
    q, r = np.divmod(x, 0.75)
    assert isinstance(q, wa.ndarray) and isinstance(r, wa.ndarray)
    np.testing.assert_array_equal(q.get(), np.divmod(a, np.float32(0.75))[0])
    m, e = np.frexp(x)
    np.testing.assert_array_equal(e.get(), np.frexp(a)[1])
    # NumPy scalars keep their dtype, as NumPy's own arrays would have them.
    if np.dtype(np.float64) in device_dtypes(device):
        assert (x + np.float64(1)).dtype == np.float64
    assert (x * np.float32(2)).dtype == np.float32


def test_numpy_reductions_and_functions_dispatch_to_wgarray(device):
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    x = wa.asarray(a, device=device)
    for f in (np.sum, np.prod, np.max, np.min, np.amax, np.amin, np.any, np.all, np.mean):
        for kw in ({}, {"axis": 1}, {"axis": (0, 2), "keepdims": True}):
            r = f(x, **kw)
            assert isinstance(r, wa.ndarray) and r.device == device, (f, kw)
            np.testing.assert_allclose(r.get(), f(a, **kw), rtol=1e-6)
    r = np.add.reduce(x, axis=0)
    assert isinstance(r, wa.ndarray)
    np.testing.assert_array_equal(r.get(), np.add.reduce(a, axis=0))
    np.testing.assert_array_equal(np.maximum.reduce(x, axis=None).get(), np.maximum.reduce(a, axis=None))
    for f, args in ((np.reshape, ((4, 6),)), (np.transpose, ()), (np.squeeze, ()), (np.expand_dims, (0,)),
                    (np.broadcast_to, ((5, 2, 3, 4),)), (np.ravel, ()), (np.copy, ()),
                    (np.zeros_like, ()), (np.ones_like, ()), (np.empty_like, ())):
        r = f(x, *args)
        assert isinstance(r, wa.ndarray) and r.device == device, f
        if f is not np.empty_like:
            np.testing.assert_array_equal(r.get(), f(a, *args))
    np.testing.assert_array_equal(np.full_like(x, 7).get(), np.full_like(a, 7))
    assert np.zeros_like(x, shape=(2, 2)).shape == (2, 2)
    assert np.ndim(x) == 3 and np.shape(x) == (2, 3, 4) and np.size(x) == 24
    x1 = wa.asarray([1, 2, 3, 4], device=device)
    m = np.mean(np.exp(x1))
    assert isinstance(m, wa.ndarray) and m.shape == () and m.device == device


def test_nep35_creation_follows_like(device):
    x = wa.asarray(np.float32([1]), device=device)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    for r, want in ((np.asarray([1.5, 2.5], like=x), np.asarray([1.5, 2.5], dtype=fdt)),
                    (np.array([[1, 2]], like=x), np.array([[1, 2]])),
                    (np.ascontiguousarray([3.0], dtype=np.float32, like=x), np.float32([3])),
                    (np.zeros((2, 3), dtype=np.float32, like=x), np.zeros((2, 3), np.float32)),
                    (np.ones(3, dtype=np.int16, like=x), np.ones(3, np.int16)),
                    (np.full(2, 7, dtype=np.int32, like=x), np.full(2, 7, np.int32)),
                    (np.arange(5, like=x), np.arange(5)),
                    (np.eye(3, dtype=np.float32, like=x), np.eye(3, dtype=np.float32))):
        assert isinstance(r, wa.ndarray) and r.device == device
        np.testing.assert_array_equal(r.get(), want)


def test_unimplemented_functions_are_numpys_type_error(device):
    x = wa.asarray(np.float32([3, 1, 2]), device=device)
    with pytest.raises(TypeError, match="no implementation found for 'numpy.convolve'"):
        np.convolve(x, x)
    with pytest.raises(TypeError, match="wgarray's ravel does not support order"):
        np.ravel(x, order="F")


def test_gpu_arrays_do_not_mix_with_host_arrays(gpu):
    x = wa.asarray(np.float32([1, 2]), device=gpu)
    with pytest.raises(TypeError, match="no implicit host-to-device copy"):
        np.add(x, np.ones(2, np.float32))
    with pytest.raises(TypeError):
        np.ones(2, np.float32) + x
    with pytest.raises(TypeError):
        x + np.ones(2, np.float32)
    with pytest.raises(TypeError):
        np.sum(np.ones(2), out=x)  # a NumPy input, a device output: refused, not copied
    with pytest.raises(TypeError):
        np.add(x, x, out=np.zeros(2, np.float32))


def test_cpu_arrays_mix_with_numpy_and_return_wgarray():
    cpu = wa.Device("cpu")
    x = wa.asarray(np.float32([1, 2]), device=cpu)
    for r in (np.ones(2, np.float32) + x, x + np.ones(2, np.float32), np.add(np.ones(2, np.float32), x)):
        assert isinstance(r, wa.ndarray) and r.device == cpu
        np.testing.assert_array_equal(r.get(), [2, 3])


class _Other:
    """A foreign array-like with its own __array_ufunc__ that declines."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return NotImplemented


class _Claims:
    """A foreign type that handles the ufuncs itself (NEP 13 deferral)."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return "claimed"

    def __radd__(self, other):
        return "radd"


def test_foreign_operands_get_notimplemented(device):
    x = wa.asarray(np.float32([1, 2]), device=device)
    with pytest.raises(TypeError, match="operand type"):
        np.add(x, _Other())
    assert np.add(x, _Claims()) == "claimed"
    assert x + _Claims() == "radd"  # wgarray's operator returns NotImplemented
    with pytest.raises(TypeError):
        x + object()
    np.testing.assert_array_equal(np.add.reduceat(x, [0]).get(), [3.0])  # all six methods are wgarray's


def test_array_is_never_called(monkeypatch):
    """On the CPU device ``__array__`` would succeed (zero-copy), which would
    hide a silent host round trip: make it fail and run everything."""
    x = wa.asarray(np.float32([[1, 2], [3, 4]]), device="cpu")

    def forbidden(self, *a, **k):
        raise AssertionError("__array__ called")

    monkeypatch.setattr(wa.ndarray, "__array__", forbidden)
    monkeypatch.setattr(wa.ndarray, "__array_interface__", property(forbidden))
    for r in (np.exp(x), np.add(x, 1), np.sum(x), np.mean(np.exp(x)), np.add.reduce(x, axis=0), np.max(x, axis=1),
              np.reshape(x, (4,)), np.transpose(x), np.zeros_like(x), np.divmod(x, 2)[0], x + x, np.all(x > 0),
              np.sort(x), np.argsort(x, axis=0), np.median(x), np.quantile(x, [0.5]), np.unique(x),
              np.searchsorted(x[0], x[1]), np.add.reduceat(x, [0, 1]), np.histogram(x)[0], np.bincount(x[0].astype(np.int32)),
              x[wa.asarray([1, 0], device="cpu"), 1:], np.partition(x, 1)):
        assert isinstance(r, wa.ndarray)
    y = x.copy()
    np.add.at(y, (wa.asarray([0, 0], device="cpu"), 1), 1.0)
    np.negative.at(y, wa.asarray([1], device="cpu"))


def test_array_api_inspection(device):
    assert wa.__array_api_version__ == "2024.12"
    info = wa.__array_namespace_info__()
    caps = info.capabilities()
    assert set(caps) == {"boolean indexing", "data-dependent shapes", "max dimensions"}
    assert caps["boolean indexing"] and caps["data-dependent shapes"]
    assert info.default_device() == wa.default_device()
    assert device in info.devices()
    have = set(np.dtype(d).name for d in device_dtypes(device))
    assert set(info.dtypes(device=device)) == have
    assert set(info.dtypes(device=device, kind="real floating")) == {n for n in have if n.startswith("float")}
    assert set(info.dtypes(device=device, kind=("bool", "unsigned integer"))) == {n for n in have if n[0] in "bu"}
    d = info.default_dtypes(device=device)
    assert d["real floating"] == wa.asarray([1.5], device=device).dtype
    assert d["integral"] == wa.asarray([1], device=device).dtype == d["indexing"]
    with pytest.raises(ValueError):
        info.dtypes(kind="complex")
    x = wa.zeros((1,) * 64, device=device)
    assert x.ndim == caps["max dimensions"] and float(wa.sum(x + 1).get()) == 1.0


def test_outer_matches_numpy(device):
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    b = np.int32([1, -2, 5])
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    for name in ("add", "multiply", "maximum", "less"):
        r = getattr(np, name).outer(x, y)
        assert isinstance(r, wa.ndarray) and r.shape == (2, 3, 3)
        np.testing.assert_array_equal(r.get(), getattr(np, name).outer(a, b))
    q, m = np.divmod.outer(y, y)
    np.testing.assert_array_equal(q.get(), np.divmod.outer(b, b)[0])
    np.testing.assert_array_equal(wa.add.outer(2, y).get(), np.add.outer(2, b))
    with pytest.raises(ValueError, match="outer product only supported for binary functions"):
        wa.exp.outer(y, y)
    with pytest.raises(TypeError, match="non-trivial signature"):
        wa.matmul.outer(y, y)
