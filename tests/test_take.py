"""Integer-array selection on every device, against NumPy: take (every
axis, modes, negative indices), x[int_array], take_along_axis, compress,
extract, put and put_along_axis, for every dtype, with NumPy's IndexError."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample
from test_reductions import on_device


def ix(a, device):
    """Host indices on ``device`` in its index dtype (int32 without int64)."""
    a = np.asarray(a)
    return wa.asarray(a if np.dtype(np.int64) in device_dtypes(device) else a.astype(np.int32), device=device)


def test_take_family_matches_numpy(device):
    rng = np.random.default_rng(8)
    for dtype in device_dtypes(device):
        a = sample(dtype, (4, 5, 6), rng)
        x = wa.asarray(a, device=device)
        xs, as_ = x[::-1, 1:, ::2], a[::-1, 1:, ::2]  # strided sources too
        i = rng.integers(-3, 3, (2, 3))
        I = ix(i, device)
        for src, host in ((x, a), (xs, as_)):
            for axis in (None, 0, 1, -1):
                np.testing.assert_array_equal(np.take(src, I, axis=axis).get(), np.take(host, i, axis=axis))
            for mode in ("wrap", "clip"):
                big = np.array([7, -9, 2])
                np.testing.assert_array_equal(wa.take(src, ix(big, device), axis=1, mode=mode).get(),
                                              np.take(host, big, axis=1, mode=mode))
        np.testing.assert_array_equal(x[ix([3, -1, 0], device)].get(), a[[3, -1, 0]])
        ti = rng.integers(0, 5, (4, 2, 6))
        np.testing.assert_array_equal(np.take_along_axis(x, ix(ti, device), axis=1).get(),
                                      np.take_along_axis(a, ti, axis=1))
        c = np.array([True, False, True])
        np.testing.assert_array_equal(np.compress(wa.asarray(c, device=device), x, axis=2).get(), np.compress(c, a, axis=2))
        m = a != 0 if dtype != np.bool_ else a
        np.testing.assert_array_equal(np.extract(wa.asarray(m, device=device), x).get(), np.extract(m, a))


def test_put_family_matches_numpy(device):
    rng = np.random.default_rng(9)
    for dtype in device_dtypes(device):
        a = sample(dtype, (3, 4), rng)
        x = wa.asarray(a, device=device)
        vals = sample(dtype, (2,), rng)
        np.put(x, ix([1, -2, 5], device), wa.asarray(vals, device=device))
        np.put(a, [1, -2, 5], vals)  # values repeat to fit
        np.testing.assert_array_equal(x.get(), a)
        ti = rng.integers(0, 4, (3, 1))
        v = sample(dtype, (3, 1), rng)
        np.put_along_axis(x, ix(ti, device), wa.asarray(v, device=device), axis=1)
        np.put_along_axis(a, ti, v, axis=1)
        np.testing.assert_array_equal(x.get(), a)


def test_index_errors_match_numpy(device):
    x = wa.asarray(np.arange(10, dtype=np.float32).reshape(2, 5), device=device)
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 1 with size 5"):
        wa.take(x, ix([0, 5], device), axis=1)
    with pytest.raises(IndexError, match="index -11 is out of bounds for size 10"):
        wa.take(x, ix([-11], device))
    with pytest.raises(IndexError, match="index 2 is out of bounds for axis 0 with size 2"):
        x[ix([2], device)]
    with pytest.raises(ValueError, match="must have the same number of dimensions"):
        wa.take_along_axis(x, ix([0], device), axis=1)
    with pytest.raises(ValueError, match="clipmode must be one of"):
        wa.take(x, ix([0], device), mode="bogus")


def test_repeat_diagonal_trace_pad_match_numpy(device):
    rng = np.random.default_rng(12)
    for dtype in device_dtypes(device):
        a = sample(dtype, (3, 4), rng)
        x = wa.asarray(a, device=device)
        for args in ((2,), (3, 1), (0, 0)):
            np.testing.assert_array_equal(np.repeat(x, *args).get(), np.repeat(a, *args))
        for r in ([1, 0, 2], [0, 0, 3], [0, 0, 0]):
            np.testing.assert_array_equal(np.repeat(x, ix(r, device), axis=0).get(), np.repeat(a, r, axis=0))
        for off in (-2, 0, 1, 5):
            np.testing.assert_array_equal(np.diagonal(x, off).get(), np.diagonal(a, off))
        np.testing.assert_array_equal(np.diag(x[1]).get(), np.diag(a[1]))
        np.testing.assert_array_equal(np.diag(x, -1).get(), np.diag(a, -1))
        if dtype != np.bool_:
            np.testing.assert_array_equal(np.trace(x, 1).get(), on_device(np.trace(a, 1), device))
        for mode in ("constant", "edge", "reflect", "symmetric"):
            for width in (((1, 2), (3, 1)), 2, ((0, 0), (4, 4))):
                np.testing.assert_array_equal(np.pad(x, width, mode=mode).get(), np.pad(a, width, mode=mode))
    c = wa.asarray(np.float32([[1, 2], [3, 4]]), device=device)
    np.testing.assert_array_equal(np.pad(c, 1, constant_values=((7, 8), (9, 6))).get(),
                                  np.pad(np.float32([[1, 2], [3, 4]]), 1, constant_values=((7, 8), (9, 6))))
    with pytest.raises(ValueError, match="repeats may not contain negative values"):
        wa.repeat(c, ix([1, -1], device), axis=0)


def test_diagonal_is_a_read_only_view(device):
    a = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    x = wa.asarray(a.copy(), device=device)
    for off in (-2, -1, 0, 1, 3, 5):
        for axes in ((0, 1), (1, 2), (2, 0), (-1, -2)):
            got, want = np.diagonal(x, off, *axes), np.diagonal(a, off, *axes)
            assert got.shape == want.shape
            np.testing.assert_array_equal(got.get(), want)
    d = np.diagonal(x)
    assert not d.flags.writeable
    x[0, 0, 0] = 100.0  # a view: the write shows through
    assert d.get()[0, 0] == 100.0
    with pytest.raises(ValueError, match="read-only"):
        d[0] = 1.0
    with pytest.raises(ValueError, match="axis1 and axis2 cannot be the same"):
        np.diagonal(x, 0, 1, 1)
