"""astype between every pair of dtypes, on every device, against NumPy.

Values are in range for the target (NumPy leaves out-of-range float → int
undefined; docs/casting.md says what wgarray gives there), plus NaN, ±inf,
−0.0 and subnormals wherever the target is floating point."""

import warnings

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample


def defined(src: np.ndarray, to: np.dtype) -> np.ndarray:
    """Mask of the source values whose cast to ``to`` NumPy defines."""
    if src.dtype.kind == "f" and to.kind in "iu":
        info = np.iinfo(to)
        v = src.astype(np.float64)
        ok = np.isfinite(v) & (v > float(info.min) - 1) & (v < float(info.max) + 1)
        # Near 2**63/2**64 float64 cannot tell the bound apart; keep well inside.
        if to.itemsize == 8:
            ok &= np.abs(v) < 2.0**62
        return ok
    return np.ones(src.shape, dtype=bool)


def in_range_for(src: np.ndarray, to: np.dtype) -> np.ndarray:
    return src[defined(src, to)]


def test_astype_every_pair(device):
    rng = np.random.default_rng(7)
    dtypes = device_dtypes(device)
    for frm in dtypes:
        src = sample(frm, (257,), rng)
        for to in dtypes:
            vals = in_range_for(src, to)
            x = wa.asarray(vals, device=device)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = vals.astype(to)
            got = x.astype(to).get()
            assert got.dtype == to
            np.testing.assert_array_equal(got, expected, err_msg=f"{frm} -> {to} on {device}")
            if to.kind == "f":
                # −0.0 keeps its sign.
                np.testing.assert_array_equal(np.signbit(got), np.signbit(expected), err_msg=f"{frm} -> {to}")


def test_astype_strided_source(device):
    rng = np.random.default_rng(3)
    for frm in device_dtypes(device):
        a = sample(frm, (6, 10), rng)
        x = wa.asarray(a, device=device)
        for to in map(np.dtype, (np.int8, np.float32, np.uint16, np.bool_)):
            v = a[::-2, 1::3]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = v.astype(to)
            got = x[::-2, 1::3].astype(to).get()
            ok = defined(v, to)
            np.testing.assert_array_equal(got[ok], expected[ok], err_msg=f"{frm} -> {to}")


def test_float16_rounding_edges(device):
    """float32/float64 → float16 round to nearest-even at every edge NumPy has."""
    edges = np.array([65504.0, 65519.99, 65520.0, 1e-8, 2.0**-24, 2.0**-25, 3 * 2.0**-26, 2.0**-14,
                      1 + 2.0**-11, 1 + 3 * 2.0**-11, -0.0, np.inf, -np.inf, np.nan, 0.333251953125])
    for frm in (np.float32, np.float64):
        if frm == np.float64 and not device.info["f64"]:
            continue
        a = edges.astype(frm)
        got = wa.asarray(a, device=device).astype(np.float16).get()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            np.testing.assert_array_equal(got.view(np.uint16)[:-2], a.astype(np.float16).view(np.uint16)[:-2])
        assert np.isnan(got[-2])
    if device.info["f64"]:
        # Double rounding through float32 would get these wrong.
        x = np.array([1 + 2.0**-11 + 2.0**-40, 1 + 2.0**-11 - 2.0**-40])
        np.testing.assert_array_equal(wa.asarray(x, device=device).astype(np.float16).get(), x.astype(np.float16))


def test_astype_copy_and_casting(device):
    x = wa.asarray([1.5, -2.5], dtype=np.float32, device=device)
    assert x.astype(np.float32, copy=False) is x
    y = x.astype(np.float32)
    assert y is not x and not y._a.shares_storage(x._a)
    with pytest.raises(TypeError, match="Cannot cast array data from dtype\\('float32'\\) to dtype\\('int32'\\) according to the rule 'safe'"):
        x.astype(np.int32, casting="safe")
    np.testing.assert_array_equal(x.astype(np.int32).get(), [1, -2])
    with pytest.raises(TypeError, match="does not support"):
        x.astype(np.complex64)


# docs/casting.md: out-of-range, infinite and NaN floats cast to integers give
# x86-64 NumPy's results on every device.
OUT_OF_RANGE = [np.nan, np.inf, -np.inf, 300.0, -300.0, -1.0, 3e9, -3e9, 1e19, -1e19]
X86_RESULTS = {
    "int8": [0, 0, 0, 44, -44, -1, 0, 0, 0, 0],
    "uint8": [0, 0, 0, 44, 212, 255, 0, 0, 0, 0],
    "int16": [0, 0, 0, 300, -300, -1, 0, 0, 0, 0],
    "uint16": [0, 0, 0, 300, 65236, 65535, 0, 0, 0, 0],
    "int32": [-2**31, -2**31, -2**31, 300, -300, -1, -2**31, -2**31, -2**31, -2**31],
    "uint32": [2**31, 0, 2**31, 300, 2**32 - 300, 2**32 - 1, 3000000000, 2**31, 0, 2**31],
    "int64": [-2**63, -2**63, -2**63, 300, -300, -1, 3000000000, -3000000000, -2**63, -2**63],
    "uint64": [2**63, 0, 2**63, 300, 2**64 - 300, 2**64 - 1, 3000000000, 2**64 - 3000000000, 10**19, 2**63],
}


@pytest.mark.parametrize("to", list(X86_RESULTS))
def test_out_of_range_float_to_int_gives_x86_numpy_results(device, to):
    import platform

    to = np.dtype(to)
    if to not in device_dtypes(device):
        pytest.skip(f"{device} has no {to}")
    for frm in (np.float32, np.float64):
        if np.dtype(frm) not in device_dtypes(device):
            continue
        v = np.array(OUT_OF_RANGE, dtype=frm)
        got = wa.asarray(v, device=device).astype(to).get()
        if frm == np.float64:
            assert got.tolist() == X86_RESULTS[to.name], to
        else:
            # A float32 converts as its exact float64 value does.
            wide = wa.asarray(v.astype(np.float64), device="cpu").astype(to).get()
            assert got.tolist() == wide.tolist(), to
        # NumPy's own uint32 results for negative and NaN inputs differ between
        # its SIMD body and its scalar tail (the same value gives 2**31 or 0
        # depending on its position); wgarray follows the SIMD body.
        if platform.machine() in ("x86_64", "AMD64") and frm == np.float64 and to != np.uint32:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                assert v.astype(to).tolist() == X86_RESULTS[to.name]
