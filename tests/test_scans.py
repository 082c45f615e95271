"""ufunc.accumulate and the scans built on it (cumsum, cumprod, nancumsum,
nancumprod, cumulative_sum, cumulative_prod) on every device, against NumPy.

The CPU device folds in NumPy's order, so it matches bit for bit. GPUs scan
reorderable operations by reduce-then-scan (blocks of 1024): exact for
integers, bool, max/min; float sums within a pairwise-style bound of the
running sum of magnitudes. Non-reorderable operations run in order on every
device."""

import warnings
import zlib

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes
from test_reductions import BINARY, CHAOTIC, EXACT, REORDERABLE, on_device, values

LOOPS = [(row[0], sig[0]) for row in BINARY for sig in row[4] if sig[0] == sig[1] == sig[4]]
LAYOUTS = [((7,), 0), ((4, 5), 1), ((4, 5), -2), ((3, 4, 5), 1), ((2100,), 0), ((0, 3), 0), ((3, 0), 1)]


def in_order(np_f, host, axis):
    """accumulate by its definition, with wgarray's or NumPy's elementwise ufunc."""
    h = np.moveaxis(host, axis, 0)
    out = [h[0]]
    for k in range(1, h.shape[0]):
        out.append(np.asarray(np_f(out[-1], h[k]), dtype=host.dtype))
    return np.moveaxis(np.stack(out), 0, axis) if h.shape[0] else host.copy()


@pytest.mark.parametrize("name,char", LOOPS, ids=[f"{n}-{c}" for n, c in LOOPS])
def test_every_accumulate_matches_numpy(device, name, char):
    dtype = np.dtype(char)
    if dtype not in device_dtypes(device):
        pytest.skip(f"{device} lacks {dtype}")
    rng = np.random.default_rng(zlib.crc32(f"accumulate {name} {char}".encode()))
    np_f, wa_f = getattr(np, name), getattr(wa, name)
    for shape, axis in LAYOUTS:
        if name not in REORDERABLE and shape[axis] > 50:
            continue  # in-order folds: the long row adds nothing but time
        host = values(dtype, shape, rng, name)
        if name in ("multiply", "power", "float_power", "lcm") and shape[axis] > 50 and dtype.kind != "b":
            host = np.where(np.abs(host) > 1, np.sign(host), host).astype(dtype)  # keep products finite
        x = wa.asarray(host, device=device)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                want = np_f.accumulate(host, axis=axis)
            except Exception as e:
                with pytest.raises(type(e)):
                    wa_f.accumulate(x, axis=axis)
                continue
            got = wa_f.accumulate(x, axis=axis)
            if name in CHAOTIC and dtype.kind == "f" and host.size:
                want = in_order(lambda a, b: wa_f(wa.asarray(a, device=device), wa.asarray(b, device=device)).get(),
                                host, axis)
        want = on_device(want, device)
        h = got.get()
        assert h.dtype == want.dtype and h.shape == want.shape, (name, h.dtype, want.dtype, h.shape, want.shape)
        exact = want.dtype.kind != "f" or name in EXACT or name not in REORDERABLE or device.is_cpu
        if name in ("logaddexp", "logaddexp2", "hypot") and not device.is_cpu:
            exact = False
        if exact:
            np.testing.assert_array_equal(h, want, err_msg=f"{name} {shape} {axis}")
            continue
        eps = float(np.finfo(want.dtype).eps)
        with np.errstate(all="ignore"):
            mags = np.abs(host.astype(np.float64))
            scale = np.add.accumulate(mags, axis=axis) if name in ("add",) else np.abs(want.astype(np.float64))
            bound = 4 * (np.log2(max(shape[axis], 2)) + 2) * eps * scale + np.abs(np.spacing(want)).astype(np.float64)
            ok = (h == want) | (np.isnan(h) & np.isnan(want)) | (np.abs(h.astype(np.float64) - want) <= bound)
        assert ok.all(), (name, h[~ok], want[~ok])


def test_cumulative_functions_match_numpy(device):
    rng = np.random.default_rng(11)
    a = rng.integers(-4, 5, (3, 4, 5)).astype(np.int16)
    f = rng.standard_normal((3, 1500)).astype(np.float32)
    f[1, 7] = np.nan
    x, xf = wa.asarray(a, device=device), wa.asarray(f, device=device)
    for fn in ("cumsum", "cumprod"):
        for axis in (None, 0, 2, -1):
            want = on_device(getattr(np, fn)(a, axis=axis), device)
            got = getattr(np, fn)(x, axis=axis)
            assert isinstance(got, wa.ndarray)
            np.testing.assert_array_equal(got.get(), want)
            np.testing.assert_array_equal(getattr(x, fn)(axis=axis).get(), want)
    np.testing.assert_allclose(np.nancumsum(xf, axis=1).get(), np.nancumsum(f, axis=1), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.nancumprod(wa.asarray(f[:, :8], device=device), axis=1).get(),
                               np.nancumprod(f[:, :8], axis=1), rtol=1e-5)
    np.testing.assert_array_equal(wa.cumsum(x, axis=1, dtype=np.int8).get(), np.cumsum(a, axis=1, dtype=np.int8))
    out = wa.zeros((3, 4, 5), dtype=np.float32, device=device)
    assert wa.cumsum(x, axis=0, out=out) is out
    np.testing.assert_array_equal(out.get(), np.cumsum(a, axis=0, out=np.zeros((3, 4, 5), np.float32)))
    v = wa.asarray(np.int32([1, 2, 3]), device=device)
    np.testing.assert_array_equal(wa.cumulative_sum(v, include_initial=True).get(),
                                  on_device(np.cumulative_sum(np.int32([1, 2, 3]), include_initial=True), device))
    np.testing.assert_array_equal(wa.cumulative_prod(x, axis=1, include_initial=True).get(),
                                  on_device(np.cumulative_prod(a, axis=1, include_initial=True), device))
    np.testing.assert_array_equal(np.cumulative_sum(x, axis=2).get(), on_device(np.cumulative_sum(a, axis=2), device))
    np.testing.assert_array_equal(np.add.accumulate(x, axis=1).get(), on_device(np.add.accumulate(a, axis=1), device))
    np.testing.assert_array_equal(np.maximum.accumulate(x).get(), np.maximum.accumulate(a))


def test_scan_errors_match_numpy(device):
    x = wa.asarray(np.ones((2, 3), np.float32), device=device)
    with pytest.raises(TypeError, match="cannot accumulate on a scalar"):
        wa.add.accumulate(wa.asarray(np.float32(1), device=device))
    with pytest.raises(ValueError, match="accumulate does not allow multiple axes"):
        wa.add.accumulate(x, axis=None)
    with pytest.raises(np.exceptions.AxisError):
        wa.add.accumulate(x, axis=2)
    with pytest.raises(ValueError, match="``axis`` argument is required"):
        wa.cumulative_sum(x)
    with pytest.raises(ValueError, match="accumulate only supported for binary functions"):
        wa.exp.accumulate(x)
    with pytest.raises(TypeError, match="No loop matching"):
        wa.equal.accumulate(wa.asarray(np.int32([1, 2]), device=device))
