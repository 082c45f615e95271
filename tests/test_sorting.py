"""Sorting, searching and sets on every device, against NumPy: sort and
argsort (stable, every dtype, any axis, strided inputs, NaN/±0/±inf, rows
longer than the GPU's workgroup block), partition, searchsorted, unique and
the array API's unique_* functions."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wgarray as wa
from conftest import device_dtypes, sample
from test_reductions import on_device


def idx(want, device):
    """NumPy's int64 indices as the device holds them (int32 without int64)."""
    return on_device(np.asarray(want), device)


def test_argsort_is_numpys_stable_sort_for_every_dtype(device):
    rng = np.random.default_rng(1)
    for dtype in device_dtypes(device):
        a = sample(dtype, (3, 5, 40), rng)
        if dtype.kind in "iub":
            a[..., ::3] = a[..., :1]  # many ties: stability shows
        else:
            a[0, 0, :6] = [0.0, -0.0, np.nan, -np.nan, 0.0, -0.0]
        x = wa.asarray(a, device=device)
        for axis in (0, 1, -1):
            got = wa.argsort(x, axis=axis)
            np.testing.assert_array_equal(got.get(), idx(np.argsort(a, axis=axis, kind="stable"), device))
            s = wa.sort(x, axis=axis).get()
            np.testing.assert_array_equal(s, np.sort(a, axis=axis, kind="stable"))
        # strided and reversed views sort the same as their copies
        v = x[::-1, 1:, ::3]
        np.testing.assert_array_equal(np.argsort(v, kind="stable").get(),
                                      idx(np.argsort(a[::-1, 1:, ::3], kind="stable"), device))


@pytest.mark.parametrize("n", [1, 2, 511, 512, 513, 1500, 4097])
def test_long_rows_sort_across_the_gpu_block(device, n):
    rng = np.random.default_rng(n)
    dtypes = [d for d in device_dtypes(device) if d in (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.int16))]
    for dtype in dtypes:
        a = sample(dtype, (3, n), rng) if dtype.kind == "f" else rng.integers(-50, 50, (3, n)).astype(dtype)
        x = wa.asarray(a, device=device)
        np.testing.assert_array_equal(wa.argsort(x).get(), idx(np.argsort(a, kind="stable"), device))
        np.testing.assert_array_equal(np.sort(x, axis=None).get(), np.sort(a, axis=None))


@pytest.mark.parametrize("n", [16384, 70001])
def test_long_single_rows_every_dtype(device, n):
    """1-D sorts long enough for the GPU's radix sort (from 16,384
    elements; 70,001 leaves a partial tile) in every dtype the device has,
    with ties, -0.0/0.0 and NaNs of both signs: positions are NumPy's stable
    order and values NumPy's sort."""
    rng = np.random.default_rng(n)
    for dtype in device_dtypes(device):
        a = sample(dtype, (n,), rng)
        if dtype.kind in "iu":
            a[::2] %= 7  # ties
        elif dtype.kind == "f":
            a[::3] = rng.choice(np.array([0.0, -0.0, np.nan, -np.nan, 1.0, -np.inf], dtype), a[::3].shape)
        x = wa.asarray(a, device=device)
        np.testing.assert_array_equal(wa.argsort(x).get(), idx(np.argsort(a, kind="stable"), device))
        np.testing.assert_array_equal(bits(wa.sort(x).get()), bits(np.sort(a, kind="stable")))


def bits(v):
    return np.ascontiguousarray(v).view(np.uint8)


@pytest.mark.parametrize("shape", [(300,), (2, 140_000), (700, 100), (300, 300)])
def test_host_radix_sort_every_path(shape):
    """The host sorts: rows long enough for the radix sort (300), one row
    long enough to split each radix pass (or, for one-byte dtypes, the
    counting sort) across threads (140,000), many rows sorted in parallel
    (700 x 100 by comparison, 300 x 300 by radix); every dtype, with ties,
    -0.0/0.0 and NaNs of both signs. Sorted values match NumPy's stable sort
    bit for bit (which zero, which NaN where)."""
    rng = np.random.default_rng(sum(shape))
    for dtype in device_dtypes(wa.Device("cpu")):
        a = sample(dtype, shape, rng)
        if dtype.kind in "iu":
            a[..., ::2] = a[..., 1::2] % 7  # ties
        elif dtype.kind == "f":
            a[..., ::3] = rng.choice(np.array([0.0, -0.0, np.nan, -np.nan, 1.0, -np.inf], dtype), a[..., ::3].shape)
        x = wa.asarray(a, device="cpu")
        for axis in {-1, 0}:
            want = np.sort(a, axis=axis, kind="stable")
            got = np.sort(x, axis=axis).get()
            np.testing.assert_array_equal(bits(got), bits(want))
            np.testing.assert_array_equal(np.argsort(x, axis=axis).get(), np.argsort(a, axis=axis, kind="stable"))
            down = np.flip(np.sort(np.flip(a, axis), axis=axis, kind="stable"), axis)
            np.testing.assert_array_equal(bits(wa.sort(x, axis=axis, descending=True).get()), bits(down))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=st.lists(st.integers(0, 6), min_size=1, max_size=3), data=st.data())
def test_sort_over_generated_shapes(device, shape, data):
    rng = np.random.default_rng(len(shape))
    dtype = data.draw(st.sampled_from(device_dtypes(device)))
    a = sample(dtype, tuple(shape), rng)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = wa.asarray(a, device=device)
    np.testing.assert_array_equal(np.argsort(x, axis=axis, kind="stable").get(), idx(np.argsort(a, axis=axis, kind="stable"), device))
    np.testing.assert_array_equal(np.sort(x, axis=axis).get(), np.sort(a, axis=axis))


def test_descending_is_stable_and_sort_methods(device):
    a = np.array([3, 1, 3, 2, 1, 3], dtype=np.int32)
    x = wa.asarray(a, device=device)
    got = wa.argsort(x, descending=True).get()
    np.testing.assert_array_equal(got, [0, 2, 5, 3, 1, 4])  # equal elements keep their order
    np.testing.assert_array_equal(wa.sort(x, descending=True).get(), [3, 3, 3, 2, 1, 1])
    x.sort()
    np.testing.assert_array_equal(x.get(), np.sort(a))
    np.testing.assert_array_equal(wa.asarray(a, device=device).argsort().get(), idx(np.argsort(a, kind="stable"), device))
    assert isinstance(np.sort(wa.asarray(a, device=device)), wa.ndarray)
    with pytest.raises(np.exceptions.AxisError):
        wa.sort(wa.asarray(np.float32(1), device=device))
    np.testing.assert_array_equal(np.argsort(wa.asarray(np.float32(1), device=device)).get(), [0])
    with pytest.raises(ValueError, match="order"):
        np.sort(x, order="f0")


def test_partition_contract(device):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 9)).astype(np.float32)
    x = wa.asarray(a, device=device)
    for kth in (0, 4, -1, [1, 7]):
        p = np.partition(x, kth, axis=1).get()
        ks = np.atleast_1d(kth)
        np.testing.assert_array_equal(p[:, ks], np.partition(a, kth, axis=1)[:, ks])
        for k in ks:
            k = k % 9
            assert (p[:, :k] <= p[:, k:k + 1]).all() and (p[:, k + 1:] >= p[:, k:k + 1]).all()
        ap = np.argpartition(x, kth, axis=1).get()
        np.testing.assert_array_equal(np.take_along_axis(a, ap, axis=1)[:, ks], np.partition(a, kth, axis=1)[:, ks])
    with pytest.raises(ValueError, match=r"kth\(=9\) out of bounds \(9\)"):
        np.partition(x, 9, axis=1)


def test_searchsorted_matches_numpy(device):
    rng = np.random.default_rng(4)
    for dtype in device_dtypes(device):
        if dtype == np.bool_:
            continue
        a = np.sort(sample(dtype, (57,), rng))
        a[5:9] = a[5]  # runs of equal values
        v = np.concatenate([a[::7], sample(dtype, (11,), rng)]).reshape(4, 5)
        X, V = wa.asarray(a, device=device), wa.asarray(v, device=device)
        for side in ("left", "right"):
            np.testing.assert_array_equal(np.searchsorted(X, V, side=side).get(), idx(np.searchsorted(a, v, side=side), device))
        order = rng.permutation(57)
        shuffled = a[order]
        sorter = np.argsort(shuffled, kind="stable")
        np.testing.assert_array_equal(
            wa.searchsorted(wa.asarray(shuffled, device=device), V, sorter=wa.asarray(idx(sorter, device), device=device)).get(),
            idx(np.searchsorted(shuffled, v, sorter=sorter), device))
    e = wa.asarray(np.array([], np.float32), device=device)
    np.testing.assert_array_equal(wa.searchsorted(e, wa.asarray(np.float32([1, 2]), device=device)).get(), [0, 0])
    np.testing.assert_array_equal(X.searchsorted(V[:0]).get(), np.zeros((0, 5)))
    with pytest.raises(ValueError, match="side"):
        wa.searchsorted(X, V, side="middle")


def test_unique_matches_numpy(device):
    rng = np.random.default_rng(5)
    for dtype in device_dtypes(device):
        a = sample(dtype, (6, 7), rng)
        a[2] = a[0]
        x = wa.asarray(a, device=device)
        for flags in ((False, False, False), (True, True, True), (True, False, True), (False, True, False)):
            want = np.unique(a, *flags)
            got = np.unique(x, *flags)
            want = want if isinstance(want, tuple) else (want,)
            got = got if isinstance(got, tuple) else (got,)
            assert len(got) == len(want)
            np.testing.assert_array_equal(got[0].get(), want[0])
            for g, w in zip(got[1:], want[1:]):
                np.testing.assert_array_equal(g.get(), idx(w, device))
        if dtype.kind == "f":
            got = np.unique(x, equal_nan=False).get()
            np.testing.assert_array_equal(got, np.unique(a, equal_nan=False))
        # NumPy orders subarrays by comparing rows as records, where NaN has no
        # place: compare subarrays without the special values.
        b = sample(dtype, (6, 7), rng, special=False) if dtype.kind == "f" else a.copy()
        b[:, 3] = b[:, 1]
        b[4] = b[1]
        y = wa.asarray(b, device=device)
        for axis in (0, 1):
            for w, g in zip(np.unique(b, True, True, True, axis=axis), np.unique(y, True, True, True, axis=axis)):
                np.testing.assert_array_equal(g.get(), w if w.dtype == b.dtype else idx(w, device))
    e = np.unique(wa.asarray(np.zeros(0, np.float32), device=device), return_counts=True)
    assert e[0].shape == (0,) and e[1].shape == (0,)


def test_array_api_unique_functions(device):
    a = np.array([[2.0, np.nan, 1.0], [np.nan, 2.0, 2.0]], dtype=np.float32)
    x = wa.asarray(a, device=device)
    for name in ("unique_values", "unique_counts", "unique_inverse", "unique_all"):
        want, got = getattr(np, name)(a), getattr(wa, name)(x)
        if name == "unique_values":
            np.testing.assert_array_equal(got.get(), want)  # NaNs are distinct
            continue
        assert got._fields == want._fields
        for w, g in zip(want, got):
            np.testing.assert_array_equal(g.get(), w if w.dtype == a.dtype else idx(w, device))


def test_searchsorted_and_unique_edges(device):
    a = np.array([0.1, 0.2], np.float32)
    x = wa.asarray(a, device=device)
    if device.info["f64"]:  # NumPy compares a Python float as float64
        np.testing.assert_array_equal(np.searchsorted(x, 0.1, side="right").get(), np.searchsorted(a, 0.1, side="right"))
    small = wa.asarray(np.array([1, 2, 3], np.int8), device=device)
    assert int(np.searchsorted(small, 1000).get()) == 3  # no overflow: NumPy's int64 comparison
    with pytest.raises(ValueError, match="Sorter index out of range"):
        wa.searchsorted(x, x, sorter=wa.asarray(np.array([1, -2], np.int32), device=device))
    for shape, axis in (((0, 3), 0), ((3, 0), 1), ((3, 0), 0)):
        want = np.unique(np.zeros(shape, np.float32), axis=axis, return_counts=True)
        got = np.unique(wa.zeros(shape, dtype=np.float32, device=device), axis=axis, return_counts=True)
        assert got[0].shape == want[0].shape
        np.testing.assert_array_equal(got[1].get(), idx(want[1], device))
