"""Bad input to every public function gets a Python exception of NumPy's
class — never a Rust panic (pyo3's PanicException is a BaseException), a
crash or a hang."""

import numpy as np
import pytest

import wgarray as wa

BAD_VALUES = [None, "x", 1.5, -1, 2**70, -(2**70), (), (2, -3), [1.5], object(), np.float64(np.nan), [[1], [2, 3]],
              {"a": 1}, b"", (2**40, 2**40), float("inf")]


def calls(device):
    x = wa.ones((2, 3), device=device)
    creation = [wa.asarray, wa.array, wa.zeros, wa.ones, wa.empty, wa.arange, wa.eye, wa.identity]
    for f in creation:
        for v in BAD_VALUES:
            yield f, (v,), {"device": device}
            yield f, (3,), {"dtype": v, "device": device}
    for v in BAD_VALUES:
        yield wa.full, (v, 1), {"device": device}
        yield wa.full, (3, v), {"device": device}
        yield wa.linspace, (0, v), {"device": device}
        yield wa.reshape, (x, v), {}
        yield wa.transpose, (x, v), {}
        yield wa.permute_dims, (x, v), {}
        yield wa.broadcast_to, (x, v), {}
        yield wa.squeeze, (x, v), {}
        yield wa.expand_dims, (x, v), {}
        yield x.__getitem__, (v,), {}
        yield x.__getitem__, ((0, v),), {}
        yield x.__setitem__, (0, v), {}
        yield x.__setitem__, (v, 1), {}
        yield x.astype, (v,), {}
        yield x.to_device, (v,), {}
        yield x.item, (v,), {}
        yield wa.add, (x, v), {}
        yield wa.multiply, (v, x), {}
        yield wa.exp, (v,), {}
        yield wa.add, (x, x), {"out": v}
        yield wa.add, (x, x), {"casting": v}
        yield wa.Device, (v,), {}
        yield wa.zeros_like, (v,), {}
        yield wa.full_like, (x, v), {}


@pytest.mark.filterwarnings("ignore")
def test_no_panic_reaches_python(device):
    seen = 0
    for f, args, kwargs in calls(device):
        try:
            f(*args, **kwargs)
        except Exception:
            pass
        except BaseException as e:  # a PanicException would land here
            pytest.fail(f"{f.__name__}{args} {kwargs} raised {type(e).__name__}: {e}")
        seen += 1
    assert seen > 300


def test_native_layer_checks_its_arguments(device):
    from wgarray import _native

    d = device._d
    with pytest.raises(ValueError, match="expected 12 bytes"):
        _native.from_host(np.zeros(1).ctypes.data, 8, [3], "float32", d)
    with pytest.raises(ValueError, match="one element"):
        _native.full([3], "float32", b"\0\0", d)
    with pytest.raises(TypeError, match="does not support"):
        _native.zeros([3], "complex64", d)
    with pytest.raises(ValueError, match="bad index item"):
        wa.ones(3, device=device)._a.index([("q", None, None, None)])
    with pytest.raises(ValueError, match="casting must be one of"):
        _native.ufunc("add", [wa.ones(1, device=device)._a] * 2, [], "sometimes")
    with pytest.raises(NotImplementedError, match="not implemented"):
        _native.ufunc("frobnicate", [], [], "same_kind")
    with pytest.raises(TypeError, match="takes 2 positional arguments"):
        _native.ufunc("add", [wa.ones(1, device=device)._a], [], "same_kind")


def test_huge_indices_and_shapes_match_numpy(device):
    x = wa.zeros(3, device=device)
    with pytest.raises(IndexError, match="cannot fit 'int' into an index-sized integer"):
        x[2**70]
    np.testing.assert_array_equal(x[-(2**70) : 2**70].get(), np.zeros(3)[-(2**70) : 2**70])
    with pytest.raises(ValueError, match="Maximum allowed dimension exceeded"):
        wa.zeros(2**70, device=device)
