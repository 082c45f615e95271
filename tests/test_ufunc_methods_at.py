"""``ufunc.reduceat`` and ``ufunc.at`` on every device, against NumPy:
in-order segment folds (backward and repeated indices, every axis, dtype
rules, out=), and ``at`` with repeated indices applied each time in order
(bit for bit), unary ufuncs, index tuples and masks, loops in another dtype,
through NumPy's own ``np.add.at`` and ``np.add.reduceat``."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample
from test_reductions import on_device


def ix(a, device):
    a = np.asarray(a)
    return wa.asarray(a if device.is_cpu or device.info["i64"] else a.astype(np.int32), device=device)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # NumPy's, as the oracle
@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "minimum", "subtract", "logical_or", "bitwise_xor"])
def test_reduceat_matches_numpy(device, name):
    rng = np.random.default_rng(len(name))
    uf_np, uf = getattr(np, name), getattr(wa, name)
    for dtype in device_dtypes(device):
        if name == "bitwise_xor" and dtype.kind == "f":
            continue
        if name == "subtract" and dtype == np.bool_:
            continue
        a = sample(dtype, (5, 8, 3), rng, special=name not in ("add", "multiply", "subtract"))
        if dtype.kind in "iu" and name in ("add", "multiply", "subtract"):
            a = rng.integers(0, 5, a.shape).astype(dtype)
        x = wa.asarray(a, device=device)
        for axis, ind in ((1, [0, 3, 1, 5, 5, 7]), (0, [4, 0]), (-1, [2, 0, 1])):
            want = uf_np.reduceat(a, ind, axis=axis)
            got = uf.reduceat(x, ix(ind, device), axis=axis)
            want = on_device(want, device)
            assert got.dtype == want.dtype and got.shape == want.shape
            same(got.get(), want, name)
        # NumPy's own entry point, and a strided input
        got = uf_np.reduceat(x[:, ::-2], ix([0, 2], device), axis=1)
        same(got.get(), on_device(uf_np.reduceat(a[:, ::-2], [0, 2], axis=1), device), name)


def same(got, want, name):
    """Bit for bit, except float add: NumPy adds a segment's tail as a
    pairwise sum onto its first element; wgarray folds in order."""
    if name == "add" and want.dtype.kind == "f":
        eps = np.finfo(want.dtype).eps
        np.testing.assert_allclose(got, want, rtol=8 * eps, atol=8 * eps * np.abs(want).max())
    else:
        np.testing.assert_array_equal(got, want)


def test_reduceat_errors_and_out(device):
    x = wa.asarray(np.arange(8, dtype=np.float32), device=device)
    with pytest.raises(IndexError, match=r"index 8 out-of-bounds in add.reduceat \[0, 8\)"):
        wa.add.reduceat(x, ix([0, 8], device))
    with pytest.raises(IndexError, match=r"index -1 out-of-bounds"):
        wa.add.reduceat(x, ix([-1], device))
    with pytest.raises(TypeError, match="cannot reduceat on a scalar"):
        wa.add.reduceat(wa.asarray(np.float32(1), device=device), ix([0], device))
    with pytest.raises(ValueError, match="binary"):
        wa.negative.reduceat(x, ix([0], device))
    out = wa.zeros((3,), dtype=np.float32, device=device)
    res = np.add.reduceat(x, ix([0, 2, 5], device), out=out)
    assert res is out
    np.testing.assert_array_equal(out.get(), np.add.reduceat(np.arange(8, dtype=np.float32), [0, 2, 5]))
    assert wa.add.reduceat(x, ix(np.zeros(0, np.int64), device)).shape == (0,)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # NumPy's, as the oracle
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "maximum", "minimum", "divide"])
def test_at_applies_every_repeat_in_order(device, name):
    rng = np.random.default_rng(len(name) + 10)
    uf_np, uf = getattr(np, name), getattr(wa, name)
    for dtype in device_dtypes(device):
        if dtype == np.bool_ or (name == "divide" and dtype.kind != "f"):
            continue
        a = sample(dtype, (6, 5), rng, special=False)
        v = sample(dtype, (40,), rng, special=False)
        if dtype.kind in "iu":
            a, v = rng.integers(0, 3, a.shape).astype(dtype), rng.integers(0, 3, v.shape).astype(dtype)
        i = rng.integers(0, 6, 40)  # many repeats
        j = rng.integers(-5, 5, 40)
        want = a.copy()
        uf_np.at(want, (i, j), v)
        x = wa.asarray(a.copy(), device=device)
        uf_np.at(x, (ix(i, device), ix(j, device)), wa.asarray(v, device=device))
        np.testing.assert_array_equal(x.get(), want)  # in NumPy's order: bit for bit
        want = a.copy()
        uf_np.at(want, i, v[:5])  # rows, values broadcast along them
        x = wa.asarray(a.copy(), device=device)
        uf.at(x, ix(i, device), wa.asarray(v[:5], device=device))
        np.testing.assert_array_equal(x.get(), want)


def test_at_unary_scalars_masks_and_other_loops(device):
    rng = np.random.default_rng(7)
    a = rng.standard_normal(10).astype(np.float32)
    idx = np.array([0, 0, 3, 3, 3, 9])
    want = a.copy()
    np.negative.at(want, idx)
    x = wa.asarray(a.copy(), device=device)
    np.negative.at(x, ix(idx, device))
    np.testing.assert_array_equal(x.get(), want)
    want = a.copy()
    np.add.at(want, idx, 1.5)
    x = wa.asarray(a.copy(), device=device)
    wa.add.at(x, ix(idx, device), 1.5)
    np.testing.assert_array_equal(x.get(), want)
    m = a > 0
    want = a.copy()
    np.multiply.at(want, m, 2)
    x = wa.asarray(a.copy(), device=device)
    wa.multiply.at(x, wa.asarray(m, device=device), 2)
    np.testing.assert_array_equal(x.get(), want)
    # int8 target, float values: NumPy's loop runs in float64 and casts each step back
    if device.info["f64"]:
        b = np.arange(5, dtype=np.int8)
        want = b.copy()
        np.add.at(want, [0, 0, 1], 1.5)
        y = wa.asarray(b.copy(), device=device)
        wa.add.at(y, ix([0, 0, 1], device), 1.5)
        np.testing.assert_array_equal(y.get(), want)
    with pytest.raises(ValueError, match="second operand needed"):
        wa.add.at(x, ix([0], device))
    with pytest.raises(IndexError, match="out of bounds"):
        wa.add.at(x, ix([10], device), 1.0)
    ro = wa.broadcast_to(wa.asarray(np.float32(1), device=device), (3,))
    with pytest.raises(ValueError, match="read-only"):
        wa.add.at(ro, ix([0], device), 1.0)


def test_at_basic_keys_and_numpys_scalar_rules(device):
    z = wa.zeros(4, dtype=np.float32, device=device)
    wa.add.at(z, slice(1, 3), 1.0)  # no index array at all
    wa.add.at(z, Ellipsis, 1.0)
    np.testing.assert_array_equal(z.get(), [1, 2, 2, 1])
    u = wa.asarray(np.array([5, 6], np.uint8), device=device)
    np.minimum.at(u, ix([0], device), -1)  # NumPy takes -1 as an int64 array: min is -1, cast back to 255
    np.testing.assert_array_equal(u.get(), [255, 6])
    f = wa.zeros(3, dtype=np.float32, device=device)
    wa.add.at(f, ix(np.array([0, 0, 1] * 500), device), 1.0)  # many repeats: one fold, not 1000 rounds
    np.testing.assert_array_equal(f.get(), [1000, 500, 0])


def test_reduceat_many_kept_outputs(device):
    x = wa.ones((2, 70000), dtype=np.float32, device=device)
    got = wa.add.reduceat(x, ix([0, 1], device), axis=0)
    np.testing.assert_array_equal(got.get(), np.ones((2, 70000), np.float32))
