"""ufunc.reduce and the reductions built on it (sum, prod, max, min, any, all,
mean) on every device, against NumPy: every binary ufunc and each of its
loops, axes None/int/negative/tuple, keepdims, dtype=, out=, initial=,
where=, empty and 0-d inputs, strided and negative-stride views, NaN.

Exact where the operation is (integers, bool, max/min, and the in-order
folds of non-reorderable ufuncs, which follow NumPy's order); float sums
within a pairwise-summation bound, since a tree's order differs from
NumPy's; products and transcendental folds within a relative bound that
grows with the number of terms."""

import warnings
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import wgarray as wa
from conftest import DEVICES, device_dtypes, sample
from wgarray import _native

TABLE, _ = _native.ufunc_table()
BINARY = [row for row in TABLE if row[1] == 2 and row[2] == 1 and row[5] is None]
# (name, loop dtype) for every same-dtype loop of every binary ufunc.
LOOPS = [(row[0], sig[0]) for row in BINARY for sig in row[4] if sig[0] == sig[1] == sig[4]]
REORDERABLE = {row[0] for row in BINARY if row[3] is not None} | {"maximum", "minimum", "fmax", "fmin"}
EXACT = {"maximum", "minimum", "fmax", "fmin", "logical_and", "logical_or", "logical_xor", "bitwise_and",
         "bitwise_or", "bitwise_xor", "gcd"}
TRANSCENDENTAL = {"logaddexp", "logaddexp2", "hypot", "power", "arctan2", "float_power"}
CHAOTIC = {"arctan2", "power", "float_power"}


def on_device(want, device):
    """NumPy's result as the device holds it: a device without int64 sums and
    multiplies small integers in its default int32 (wrapping alike)."""
    want = np.asarray(want)
    if want.dtype.itemsize == 8 and want.dtype.kind in "iu" and not device.is_cpu and not device.info["i64"]:
        return want.astype(np.int32 if want.dtype.kind == "i" else np.uint32)
    return want


def assert_reduction_matches(name, got, want, host, axis, keepdims):
    """``got`` (a wgarray array) against NumPy's ``want`` for ``host`` reduced
    over ``axis``."""
    want = on_device(want, got.device)
    h = got.get()
    assert h.dtype == want.dtype, (name, h.dtype, want.dtype)
    assert h.shape == want.shape, (name, h.shape, want.shape)
    # float16 folds of the four arithmetic ufuncs run in float32, as NumPy's
    # do along a contiguous axis (along others NumPy rounds each step).
    f16_arith = want.dtype == np.float16 and name in ("add", "subtract", "multiply", "divide")
    if want.dtype.kind != "f" or name in EXACT or (name not in REORDERABLE and name not in TRANSCENDENTAL and not f16_arith):
        np.testing.assert_array_equal(h, want, err_msg=f"{name}: {host}")
        return
    n_terms = host.size // max(want.size, 1)
    eps = float(np.finfo(np.float32 if want.dtype == np.float16 else want.dtype).eps)
    ok = (h == want) | (np.isnan(h) & np.isnan(want))
    with np.errstate(all="ignore"):
        diff = np.abs(h.astype(np.float64) - want.astype(np.float64))
        last = np.abs(np.spacing(want)).astype(np.float64)  # the final rounding may differ by one
        if f16_arith:
            eps = float(np.finfo(np.float16).eps)
        if name in ("add", "subtract"):
            # Pairwise summation: |error| <= eps * log2(n) * sum(|x|) for either order.
            scale = np.add.reduce(np.abs(host.astype(np.float64)), axis=axis, keepdims=keepdims)
            ok |= diff <= (np.log2(max(n_terms, 2)) + 2) * eps * scale + last
        else:
            ok |= diff <= (n_terms + 4) * 4 * eps * np.abs(want.astype(np.float64)) + last
    assert ok.all(), (name, h[~ok], want[~ok], host)


def values(dtype, shape, rng, name):
    """Inputs for ``name``'s reduction: the suite's samples (NaN, inf, -0.0,
    integer extremes), kept small for products and powers so results stay
    finite and meaningful."""
    dtype = np.dtype(dtype)
    if name in ("multiply", "power", "float_power", "lcm", "left_shift", "ldexp") and dtype.kind in "iuf":
        v = rng.integers(-3 if dtype.kind != "u" else 0, 4, size=shape)
        if name in ("power", "float_power", "left_shift") and dtype.kind != "f":
            v = np.abs(v)
        return v.astype(dtype)
    return sample(dtype, shape, rng)


def fold(np_f, host, axis, keepdims):
    """``np_f.reduce`` by its definition: an in-order fold of the elementwise
    ufunc along ``axis`` (one axis, or None on at most 1-D)."""
    h = host.reshape(-1) if axis is None else np.moveaxis(host, axis, 0)
    r = h[0]
    for k in range(1, h.shape[0]):
        r = np_f(r, h[k])
    r = np.asarray(r, dtype=host.dtype)
    if keepdims:
        r = np.expand_dims(r, tuple(range(host.ndim)) if axis is None else axis)
    return r


LAYOUTS = [((7,), None), ((7,), 0), ((4, 5), 1), ((4, 5), -2), ((3, 4, 5), (0, 2)), ((3, 4, 5), None), ((), None),
           ((0, 3), 0), ((3, 0), 1)]


@pytest.mark.parametrize("name,char", LOOPS, ids=[f"{n}-{c}" for n, c in LOOPS])
def test_every_reduction_matches_numpy(device, name, char):
    dtype = np.dtype(char)
    if dtype not in device_dtypes(device):
        pytest.skip(f"{device} lacks {dtype}")
    rng = np.random.default_rng(zlib.crc32(f"reduce {name} {char}".encode()))
    np_f, wa_f = getattr(np, name), getattr(wa, name)
    for shape, axis in LAYOUTS:
        if axis is not None and not isinstance(axis, int) and name not in REORDERABLE or (axis is None and len(shape) > 1 and name not in REORDERABLE):
            with pytest.raises(ValueError, match="not reorderable"):
                wa_f.reduce(wa.asarray(values(dtype, shape, rng, name), device=device), axis=axis)
            continue
        host = values(dtype, shape, rng, name)
        for keepdims in (False, True):
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                try:
                    want = np_f.reduce(host, axis=axis, keepdims=keepdims)
                    if name in CHAOTIC and dtype.kind == "f" and host.size and np.asarray(want).size:
                        # In-order folds of these amplify any last-bit difference
                        # (arctan2 jumps between ±pi), so the fold is checked
                        # against wgarray's own elementwise ufunc, itself checked
                        # against NumPy in test_ufuncs.py. (NumPy's SIMD float
                        # power.reduce is wrong besides: it folds every exponent
                        # into the first element, 0.25 for [-2, -1, 3, 2, 2, -1, -2].)
                        want = fold(lambda a, b: wa_f(wa.asarray(a, device=device), wa.asarray(b, device=device)).get(),
                                    host, axis, keepdims)
                except Exception as e:
                    with pytest.raises(type(e)):
                        wa_f.reduce(wa.asarray(host, device=device), axis=axis, keepdims=keepdims)
                    continue
                got = wa_f.reduce(wa.asarray(host, device=device), axis=axis, keepdims=keepdims)
            assert_reduction_matches(name, got, want, host, axis, keepdims)


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_reductions_match_numpy(device, data):
    """Random shapes, axis sets and views (negative strides, steps) for the
    common reductions."""
    name = data.draw(st.sampled_from(["add", "multiply", "maximum", "minimum", "logical_or", "bitwise_xor", "fmax"]))
    dtypes = [d for d in device_dtypes(device) if f"{d.char}{d.char}->{d.char}" in getattr(np, name).types]
    dtype = data.draw(st.sampled_from(dtypes))
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=7))
    axes = data.draw(st.none() | st.lists(st.integers(0, len(shape) - 1), unique=True).map(tuple))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    host = values(dtype, shape, rng, name)
    x = wa.asarray(host, device=device)
    if data.draw(st.booleans()):
        host, x = host[::-1], x[::-1]
    if len(shape) > 1 and shape[-1] > 2:
        host, x = host[..., ::2], x[..., ::2]
    keepdims = data.draw(st.booleans())
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            want = getattr(np, name).reduce(host, axis=axes, keepdims=keepdims)
        except ValueError:
            with pytest.raises(ValueError):
                getattr(wa, name).reduce(x, axis=axes, keepdims=keepdims)
            return
        got = getattr(wa, name).reduce(x, axis=axes, keepdims=keepdims)
    assert_reduction_matches(name, got, want, host, axes, keepdims)


def test_large_float_sums_grow_error_like_pairwise(device):
    """A million float32 terms: the error stays at NumPy's pairwise level (a
    naive running sum in float32 would be off by ~1e-3 relative here)."""
    rng = np.random.default_rng(7)
    for n in (1_000_003, 70_001):
        a = rng.random(n).astype(np.float32)
        exact = np.sum(a.astype(np.float64))
        got = float(wa.sum(wa.asarray(a, device=device)).get())
        assert abs(got - exact) <= 20 * np.log2(n) * np.finfo(np.float32).eps * exact, (n, got, exact)
        m = a[: (n // 7) * 7].reshape(-1, 7)
        np.testing.assert_allclose(wa.sum(wa.asarray(m, device=device), axis=0).get(), m.astype(np.float64).sum(0), rtol=1e-5)


def test_functions_and_methods_match_numpy(device):
    rng = np.random.default_rng(3)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    a = rng.standard_normal((4, 6, 5)).astype(fdt)
    a[1, 2, 3] = np.nan
    x = wa.asarray(a, device=device)
    with np.errstate(all="ignore"):
        for f in ("sum", "prod", "max", "min", "any", "all", "mean", "amax", "amin"):
            for axis in (None, 0, (1, 2), -1):
                want = getattr(np, f)(a, axis=axis)
                got = getattr(wa, f)(x, axis=axis)
                assert isinstance(got, wa.ndarray) and got.device == device
                np.testing.assert_allclose(got.get(), want, rtol=1e-6, equal_nan=True, err_msg=f"{f} {axis}")
                if hasattr(x, f):
                    np.testing.assert_allclose(getattr(x, f)(axis=axis).get(), want, rtol=1e-6, equal_nan=True)
    i = rng.integers(-5, 5, (3, 4)).astype(np.int16)
    xi = wa.asarray(i, device=device)
    if np.dtype(np.int64) in device_dtypes(device):
        assert wa.sum(xi).dtype == np.int64 and int(wa.sum(xi).get()) == int(i.sum())
        assert wa.prod(xi, axis=0).dtype == np.int64
        assert wa.sum(wa.asarray(np.array([True, True, False]), device=device)).get() == 2
    assert wa.max(xi).dtype == np.int16 and wa.any(xi).dtype == np.bool_
    assert wa.sum(xi, dtype=np.int16).dtype == np.int16
    f16 = rng.random(3000).astype(np.float16)
    assert wa.sum(wa.asarray(f16, device=device)).dtype == np.float16
    np.testing.assert_allclose(float(wa.sum(wa.asarray(f16, device=device)).get()), float(np.sum(f16)), rtol=2e-3)
    assert wa.mean(wa.asarray(f16, device=device)).dtype == np.float16
    np.testing.assert_allclose(float(wa.mean(wa.asarray(f16, device=device)).get()), float(np.mean(f16)), rtol=2e-3)


def test_the_seed_example_runs_on_the_device(device):
    x = wa.asarray([1, 2, 3, 4], device=device)
    if np.dtype(np.float64) not in device_dtypes(device):
        # NumPy's exp of integers is float64, which this device cannot hold.
        with pytest.raises(TypeError, match="float64"):
            wa.exp(x)
        x = wa.asarray(np.float32([1, 2, 3, 4]), device=device)
    m = wa.mean(wa.exp(x))
    assert isinstance(m, wa.ndarray) and m.shape == () and m.device == device
    tol = 1e-12 if m.dtype == np.float64 else 1e-6
    assert abs(float(m.get()) - 21.1977562209304) <= tol * 21.2
    s = wa.sum(wa.asarray(np.float32([1, 2]), device=device))
    assert isinstance(s, wa.ndarray) and s.dtype == np.float32


def test_keywords_match_numpy(device):
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7
    x = wa.asarray(a, device=device)
    mask = np.array([True, False, True, True])
    # initial=
    np.testing.assert_array_equal(wa.add.reduce(x, axis=1, initial=10).get(), np.add.reduce(a, axis=1, initial=10))
    np.testing.assert_array_equal(wa.maximum.reduce(x, axis=None, initial=100).get(), np.maximum.reduce(a, axis=None, initial=100))
    np.testing.assert_array_equal(wa.subtract.reduce(x, axis=2, initial=1).get(), np.subtract.reduce(a, axis=2, initial=1))
    # where= (with initial where there is no identity)
    np.testing.assert_array_equal(wa.add.reduce(x, axis=2, where=mask).get(), np.add.reduce(a, axis=2, where=mask))
    np.testing.assert_array_equal(wa.sum(x, axis=(0, 2), where=wa.asarray(mask, device=device)).get(), np.sum(a, axis=(0, 2), where=mask))
    np.testing.assert_array_equal(wa.max(x, axis=2, where=mask, initial=-50).get(), np.max(a, axis=2, where=mask, initial=-50))
    np.testing.assert_allclose(wa.mean(x, axis=2, where=mask).get(), np.mean(a, axis=2, where=mask))
    with pytest.raises(ValueError, match="to use a where mask one has to specify 'initial'"):
        wa.maximum.reduce(x, axis=2, where=mask)
    # out= and dtype=
    out = wa.zeros((2, 4), dtype=np.float32, device=device)
    r = wa.add.reduce(x, axis=1, out=out)
    assert r is out
    np.testing.assert_array_equal(out.get(), a.sum(axis=1))
    np.testing.assert_array_equal(wa.add.reduce(x, axis=1, dtype=np.int32).get(), np.add.reduce(a, axis=1, dtype=np.int32))
    o16 = wa.zeros((2, 4), dtype=np.int16, device=device)
    wa.add.reduce(x, axis=1, out=o16)
    np.testing.assert_array_equal(o16.get(), np.add.reduce(a, axis=1, out=np.zeros((2, 4), np.int16)))
    with pytest.raises(ValueError):
        wa.add.reduce(x, axis=1, out=wa.zeros((3,), dtype=np.float32, device=device))
    # 0-d and axis=()
    z = wa.asarray(np.float32(5), device=device)
    assert float(wa.add.reduce(z, axis=None).get()) == 5.0
    np.testing.assert_array_equal(wa.add.reduce(x, axis=()).get(), np.add.reduce(a, axis=()))


def test_errors_match_numpy(device):
    x = wa.asarray(np.ones((2, 3), np.float32), device=device)
    with pytest.raises(np.exceptions.AxisError):
        wa.sum(x, axis=2)
    with pytest.raises(IndexError):  # AxisError is an IndexError too
        wa.sum(x, axis=-3)
    with pytest.raises(ValueError, match="duplicate value in 'axis'"):
        wa.sum(x, axis=(1, -1))
    with pytest.raises(ValueError, match="not reorderable"):
        wa.subtract.reduce(x, axis=None)
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum which has no identity"):
        wa.max(wa.zeros((3, 0), device=device), axis=1)
    assert wa.max(wa.zeros((0, 3), device=device), axis=1).shape == (0,)
    with pytest.raises(ValueError, match="reduce only supported for binary functions"):
        wa.exp.reduce(x)
    with pytest.raises(ValueError, match="reduce only supported for functions returning a single value"):
        wa.divmod.reduce(x)
    with pytest.raises(TypeError, match="No loop matching"):
        wa.equal.reduce(wa.asarray(np.int32([1, 1]), device=device))
    if np.dtype(np.int64) in device_dtypes(device):
        with pytest.raises(ValueError, match="Integers to negative integer powers"):
            wa.power.reduce(wa.asarray(np.int64([2, 3, -1]), device=device))
        assert int(wa.power.reduce(wa.asarray(np.int64([-2, 3]), device=device)).get()) == -8
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        m = wa.mean(wa.zeros((0,), device=device))
    assert np.isnan(m.get())


COMPOSED = ["var", "std", "ptp", "count_nonzero", "nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar",
            "nanstd", "argmax", "argmin", "nanargmax", "nanargmin"]
SINGLE_AXIS = {"ptp", "argmax", "argmin", "nanargmax", "nanargmin"}


def _composed_inputs(dtype, rng):
    """A 3-D array of ``dtype`` with NaN in one element, along a whole line and
    in a whole slice (floats), ±inf and -0.0."""
    a = values(dtype, (4, 5, 6), rng, "add") if np.dtype(dtype).kind != "f" else \
        (rng.standard_normal((4, 5, 6)) * 10).astype(dtype)
    if np.dtype(dtype).kind == "f":
        a[0, 1, 2] = np.nan
        a[2, :, 3] = np.nan
        a[1, 3, 0], a[3, 0, 5], a[3, 4, 4] = np.inf, -np.inf, -0.0
    return a


@pytest.mark.parametrize("name", COMPOSED)
def test_composed_reductions_match_numpy(device, name):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    for dtype in device_dtypes(device):
        if dtype == np.bool_ and name in ("var", "std", "ptp", "nanvar", "nanstd", "nanprod", "nansum"):
            continue
        a = _composed_inputs(dtype, rng)
        if name in ("nanprod",):
            a = np.where(np.abs(a) > 2, np.sign(a), a) if dtype.kind == "f" else np.clip(a, -2, 2).astype(dtype)
        x = wa.asarray(a, device=device)
        axes = [None, 0, -1] if name in SINGLE_AXIS else [None, 0, 2, (0, 2), (1,)]
        for axis in axes:
            for keepdims in (False, True):
                kw = {"axis": axis, "keepdims": keepdims}
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    try:
                        want = getattr(np, name)(a, **kw)
                    except ValueError as e:
                        with pytest.raises(ValueError, match=str(e)[:20]):
                            getattr(wa, name)(x, **kw)
                        continue
                    got = getattr(wa, name)(x, **kw)
                want = on_device(np.asarray(want), device)
                h = got.get()
                if name in ("var", "std", "nanvar", "nanstd", "nanmean") and dtype.kind in "biu":
                    want = want.astype(h.dtype)  # a device without float64 returns its default float
                assert h.shape == want.shape and h.dtype == want.dtype, (name, dtype, axis, h.dtype, want.dtype)
                if want.dtype.kind in "biu" or name in ("ptp", "nanmax", "nanmin"):
                    np.testing.assert_array_equal(h, want, err_msg=f"{name} {dtype} {axis}")
                else:
                    tol = {np.dtype(np.float16): 2e-2, np.dtype(np.float32): 2e-5}.get(want.dtype, 1e-11)
                    np.testing.assert_allclose(h, want, rtol=tol, atol=tol * np.nanmax(np.abs(np.where(
                        np.isfinite(a), a, 0)).astype(np.float64)) if a.size else 0, equal_nan=True,
                        err_msg=f"{name} {dtype} {axis}")


def test_var_and_std_keywords_match_numpy(device):
    a = np.arange(30, dtype=np.float32).reshape(5, 6) ** 1.5
    x = wa.asarray(a, device=device)
    for kw in ({"ddof": 1}, {"ddof": 2, "axis": 0}, {"correction": 1, "axis": 1}, {"axis": 1, "where": a > 20}):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # NumPy warns for the empty row 0 of the where= case
            want_v, want_s = np.var(a, **kw), np.std(a, **kw)
        np.testing.assert_allclose(wa.var(x, **kw).get(), want_v, rtol=1e-5)
        np.testing.assert_allclose(wa.std(x, **kw).get(), want_s, rtol=1e-5)
    with pytest.warns(RuntimeWarning, match="Degrees of freedom <= 0"):
        r = wa.var(x, axis=0, ddof=5)
    assert np.all(~np.isfinite(r.get()))
    with pytest.raises(ValueError, match="ddof and correction"):
        wa.var(x, ddof=1, correction=1)
    assert x.var().dtype == np.float32 and x.std(axis=0).shape == (6,)
    assert x.argmax() .shape == () and int(x.argmax().get()) == 29 and int(x.argmin(axis=0).get()[3]) == 0


def test_argmax_and_friends_follow_numpy_rules(device):
    a = np.float32([[1, 5, 5, np.nan], [2, 2, 0, 1]])
    x = wa.asarray(a, device=device)
    np.testing.assert_array_equal(wa.argmax(x, axis=1).get(), np.argmax(a, axis=1))  # the first NaN wins
    np.testing.assert_array_equal(wa.nanargmax(x, axis=1).get(), np.nanargmax(a, axis=1))  # ties: the first
    np.testing.assert_array_equal(wa.argmin(x, axis=0, keepdims=True).get(), np.argmin(a, axis=0, keepdims=True))
    assert int(wa.argmax(x).get()) == np.argmax(a) and int(wa.nanargmin(x).get()) == np.nanargmin(a)
    with pytest.raises(ValueError, match="All-NaN slice encountered"):
        wa.nanargmax(wa.asarray(np.float32([np.nan, np.nan]), device=device))
    with pytest.raises(ValueError, match="attempt to get argmax of an empty sequence"):
        wa.argmax(wa.zeros((0,), device=device))
    with pytest.raises(np.exceptions.AxisError):
        wa.argmin(x, axis=2)


def test_diff_and_where_match_numpy(device):
    rng = np.random.default_rng(5)
    a = rng.integers(-9, 9, (4, 7)).astype(np.int32)
    x = wa.asarray(a, device=device)
    for n, axis in ((1, -1), (2, 0), (3, 1), (0, 0)):
        np.testing.assert_array_equal(wa.diff(x, n=n, axis=axis).get(), np.diff(a, n=n, axis=axis))
    b = a > 0
    np.testing.assert_array_equal(np.diff(wa.asarray(b, device=device)).get(), np.diff(b))
    np.testing.assert_array_equal(np.where(x > 0, x, -1).get(), np.where(a > 0, a, -1))
    f = np.float32([1.5, -2.5])
    r = wa.where(wa.asarray([True, False], device=device), wa.asarray(f, device=device), 0)
    assert r.dtype == np.float32
    np.testing.assert_array_equal(r.get(), [1.5, 0])
    with pytest.raises(ValueError, match="diff requires input that is at least one dimensional"):
        wa.diff(wa.asarray(np.float32(1), device=device))


def test_where_with_initial_folds_initial_once(device):
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    m = np.array([[True, False, True], [False, False, True]])
    x, M = wa.asarray(a, device=device), wa.asarray(m, device=device)
    for f, init in ((np.sum, 1.0), (np.prod, 2.0), (np.max, -5.0), (np.min, 50.0)):
        for axis in (None, 0, 1):
            np.testing.assert_array_equal(f(x, axis=axis, where=M, initial=init).get(), f(a, axis=axis, where=m, initial=init))
