"""Order statistics and counting on every device, against NumPy: median,
quantile and percentile (every method, axes, keepdims, NaN slices, integer
inputs, scalar and array q), bincount and histogram (equal bins, ranges,
explicit edges, weights, density)."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes
from test_reductions import on_device

METHODS = ["linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf", "averaged_inverted_cdf",
           "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
           "normal_unbiased"]


def floats(device):
    return [d for d in device_dtypes(device) if d.kind == "f"]


def check(got, want):
    want = np.asarray(want)
    assert isinstance(got, wa.ndarray)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape, got.dtype, want.dtype)
    np.testing.assert_array_equal(got.get(), want)


@pytest.mark.parametrize("method", METHODS)
def test_quantile_every_method(device, method):
    rng = np.random.default_rng(len(method))
    for dtype in floats(device) + [np.dtype(np.int32)]:
        a = (rng.standard_normal((4, 7)) * 10).astype(dtype)
        if dtype.kind == "f":
            a[1, 2] = np.nan  # that row's results are NaN
        x = wa.asarray(a, device=device)
        for q in (0.5, 0.0, 1.0, [0.1, 0.9], np.array([[0.25], [0.75]])):
            for axis in (None, 0, 1, (0, 1)):
                if np.dtype(dtype) == np.float16 and method != "linear":
                    continue
                want = np.quantile(a, q, axis=axis, method=method)
                if want.dtype == np.float64 and not device.info["f64"]:
                    continue  # NumPy's float64 result has no home on this device
                check(np.quantile(x, q, axis=axis, method=method), want)
        want = np.percentile(a, [10, 50], axis=1, method=method, keepdims=True)
        if want.dtype != np.float64 or device.info["f64"]:
            check(np.percentile(x, [10, 50], axis=1, method=method, keepdims=True), want)


def test_median_matches_numpy(device):
    rng = np.random.default_rng(2)
    for dtype in device_dtypes(device):
        if dtype == np.bool_:
            continue
        a = (rng.standard_normal((5, 6, 4)) * 20).astype(dtype)
        if dtype.kind == "f":
            a[2, 3, 1] = np.nan
        x = wa.asarray(a, device=device)
        for axis in (None, 0, 1, 2, (0, 2)):
            for keepdims in (False, True):
                want = np.median(a, axis=axis, keepdims=keepdims)
                if want.dtype == np.float64 and not device.info["f64"]:
                    continue
                check(np.median(x, axis=axis, keepdims=keepdims), want)
    with pytest.warns(RuntimeWarning):
        got = wa.median(wa.asarray(np.zeros(0, np.float32), device=device))
    assert np.isnan(got.get())


def test_quantile_errors(device):
    x = wa.asarray(np.arange(5, dtype=np.float32), device=device)
    with pytest.raises(ValueError, match=r"Quantiles must be in the range \[0, 1\]"):
        np.quantile(x, 1.5)
    with pytest.raises(ValueError, match=r"Percentiles must be in the range \[0, 100\]"):
        np.percentile(x, -1)
    with pytest.raises(ValueError, match="is not a valid method"):
        np.quantile(x, 0.5, method="bogus")


def test_bincount_matches_numpy(device):
    rng = np.random.default_rng(3)
    for dtype in (d for d in device_dtypes(device) if d.kind in "iub"):
        a = rng.integers(0, 9 if dtype != np.bool_ else 2, 300).astype(dtype)
        x = wa.asarray(a, device=device)
        check(np.bincount(x), on_device(np.bincount(a), device))
        check(np.bincount(x, minlength=20), on_device(np.bincount(a, minlength=20), device))
        if device.info["f64"]:
            w = rng.standard_normal(300)
            # weights summed in NumPy's order: bit for bit
            check(np.bincount(x, weights=wa.asarray(w, device=device)), np.bincount(a, weights=w))
    check(np.bincount(wa.asarray(np.zeros(0, np.int32), device=device), minlength=3), on_device(np.zeros(3, np.int64), device))
    with pytest.raises(ValueError, match="negative"):
        np.bincount(wa.asarray(np.array([1, -1], np.int32), device=device))
    with pytest.raises(TypeError, match="Cannot cast"):
        np.bincount(wa.asarray(np.array([1.0], np.float32), device=device))


def test_histogram_matches_numpy(device):
    rng = np.random.default_rng(4)
    f64 = device.info["f64"]
    for dtype in (np.float64, np.float32, np.int32) if f64 else (np.float32,):
        a = (rng.standard_normal(2000) * 5).astype(dtype)
        x = wa.asarray(a, device=device)
        # Without float64, only float32 data with float32 edges (no weights).
        for bins in (10, 7, 1):
            check(np.histogram(x, bins)[0], on_device(np.histogram(a, bins)[0], device))
            check(np.histogram(x, bins)[1], np.histogram(a, bins)[1])
        if not f64:
            continue
        w = rng.random(2000)
        W = wa.asarray(w, device=device)
        for bins in (10, 7, 1):
            for rng_ in (None, (-1, 1), (2, 2)):
                want = np.histogram(a, bins, rng_)
                got = np.histogram(x, bins, rng_)
                check(got[0], want[0])
                check(got[1], want[1])
                want = np.histogram(a, bins, rng_, weights=w, density=True)
                got = np.histogram(x, bins, rng_, weights=W, density=True)
                np.testing.assert_allclose(got[0].get(), want[0], rtol=1e-12)
        edges = np.array([-2, -0.5, 0, 0.1, 3.0])
        want = np.histogram(a, edges)
        check(np.histogram(x, wa.asarray(edges, device=device))[0], want[0])
        want = np.histogram(a, edges, weights=w)
        np.testing.assert_allclose(np.histogram(x, wa.asarray(edges, device=device), weights=W)[0].get(), want[0], rtol=1e-12)
    with pytest.raises(ValueError, match="monotonically"):
        np.histogram(x, wa.asarray(np.array([1.0, 0.0], np.float32), device=device))
    with pytest.raises(ValueError, match="max must be larger than min"):
        np.histogram(x, 3, (1, 0))


def test_edge_cases_match_numpy(device):
    x = wa.asarray(np.array([1, 2, 3, 4], np.int32), device=device)
    for method in ("averaged_inverted_cdf", "weibull", "interpolated_inverted_cdf", "linear", "hazen", "lower"):
        for q in (0, 1, np.array([0, 1])):  # whole-number q: NumPy interpolates unless the method is discrete
            want = np.quantile(np.array([1, 2, 3, 4], np.int32), q, method=method)
            if want.dtype == np.float64 and not device.info["f64"]:
                continue
            check(np.quantile(x, q, method=method), on_device(want, device))
    for a in (np.array([-20000, 20000, 3], np.int16), np.array([-128, 127, 0], np.int8)):
        want = np.histogram(a, bins=3)  # the range's width must not wrap in the data's dtype
        if not device.info["f64"]:
            continue
        got = np.histogram(wa.asarray(a, device=device), bins=3)
        check(got[0], want[0])
        check(got[1], want[1])
    if device.info["f64"]:
        u = np.array([0, 1, 2], np.uint8)
        check(np.histogram(wa.asarray(u, device=device), 5, (-1, 1.5))[0], np.histogram(u, 5, (-1, 1.5))[0])
        with pytest.warns(RuntimeWarning, match="Converting input from bool"):
            got = np.histogram(wa.asarray(np.array([True, False, True]), device=device), bins=2)[0]
        np.testing.assert_array_equal(got.get(), [1, 2])
    check(np.bincount(wa.asarray(np.zeros(0, np.int32), device=device), weights=wa.asarray(np.zeros(0, np.float32), device=device)),
          on_device(np.zeros(0, np.int64), device))
