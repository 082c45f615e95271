"""The array API standard's (2024.12) core functions as wgarray serves them,
on every device, against NumPy: the functions wgarray adds for the standard
(concat, unstack, astype, can_cast, finfo, iinfo, isdtype, result_type,
from_dlpack, real, imag), vecdot's ``axis``, diff's ``prepend``/``append``,
and calls in the standard's form (keyword-only ``axis``, ``correction``, …)
of the functions whose wgarray signatures are the standard's while
``np.f(array)`` keeps NumPy's."""

import itertools

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes
from test_reductions import on_device

KINDS = ["bool", "signed integer", "unsigned integer", "integral", "real floating", "complex floating", "numeric"]


def same(got, want, device):
    """``got`` (wgarray results) equals NumPy's ``want``, as ``device`` holds it."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w, device)
        return
    assert isinstance(got, wa.ndarray) and got.device == device, type(got)
    w = on_device(np.asarray(want), device)
    if w.dtype == np.float64 and np.dtype(np.float64) not in device_dtypes(device):
        w = w.astype(np.float32)
    h = got.get()
    assert (h.shape, h.dtype) == (w.shape, w.dtype), (h.shape, h.dtype, w.shape, w.dtype)
    if w.dtype.kind == "f":
        np.testing.assert_allclose(h, w, rtol=1e-5, equal_nan=True)
    else:
        np.testing.assert_array_equal(h, w)


def test_statistical_functions_in_the_standards_form(device):
    rng = np.random.default_rng(7)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    a = rng.standard_normal((3, 4, 5)).astype(fdt)
    i = rng.integers(-5, 5, (3, 4, 5)).astype(np.int16)
    x, xi = wa.asarray(a, device=device), wa.asarray(i, device=device)
    for axis, keepdims in ((None, False), (1, True), ((0, 2), False), (-1, True)):
        kw = dict(axis=axis, keepdims=keepdims)
        for name in ("sum", "prod", "max", "min", "mean", "any", "all"):
            same(getattr(wa, name)(x, **kw), getattr(np, name)(a, **kw), device)
        same(wa.sum(xi, dtype=np.int32, **kw), np.sum(i, dtype=np.int32, **kw), device)
        same(wa.prod(xi, **kw), np.prod(i, **kw), device)
        same(wa.count_nonzero(xi, **kw), np.asarray(np.count_nonzero(i, **kw)), device)
        for correction in (0.0, 1, 1.5):
            same(wa.var(x, correction=correction, **kw), np.var(a, correction=correction, **kw), device)
            same(wa.std(x, correction=correction, **kw), np.std(a, correction=correction, **kw), device)
    for axis, keepdims in ((None, False), (1, True), (-1, False)):
        same(wa.argmax(x, axis=axis, keepdims=keepdims), np.argmax(a, axis=axis, keepdims=keepdims), device)
        same(wa.argmin(xi, axis=axis, keepdims=keepdims), np.argmin(i, axis=axis, keepdims=keepdims), device)
    for include_initial in (False, True):
        same(wa.cumulative_sum(xi, axis=1, include_initial=include_initial),
             np.cumulative_sum(i, axis=1, include_initial=include_initial), device)
        same(wa.cumulative_prod(x, axis=-1, dtype=fdt, include_initial=include_initial),
             np.cumulative_prod(a, axis=-1, dtype=fdt, include_initial=include_initial), device)
    # NumPy's extras stay reachable, by keyword.
    mask = a > 0
    m = wa.asarray(mask, device=device)
    same(wa.sum(x, axis=1, where=m), np.sum(a, axis=1, where=mask), device)
    same(wa.prod(x, axis=1, initial=2.0), np.prod(a, axis=1, initial=2.0), device)
    same(wa.max(x, axis=0, where=m, initial=-9.0), np.max(a, axis=0, where=mask, initial=-9.0), device)
    same(wa.var(x, axis=2, ddof=1), np.var(a, axis=2, ddof=1), device)
    out = wa.empty((3, 5), dtype=fdt, device=device)
    assert wa.mean(x, axis=1, out=out) is out
    same(out, np.mean(a, axis=1), device)
    with pytest.raises(ValueError, match="ddof and correction can't be provided simultaneously"):
        wa.var(x, ddof=1, correction=1)
    # The standard's keyword-only parameters are keyword-only.
    for f in (wa.sum, wa.mean, wa.max, wa.argmax, wa.count_nonzero, wa.all):
        with pytest.raises(TypeError):
            f(x, 0)


def test_manipulation_and_indexing_in_the_standards_form(device):
    rng = np.random.default_rng(8)
    a = rng.integers(-9, 9, (3, 4)).astype(np.int32)
    b = rng.integers(-9, 9, (3, 4)).astype(np.int16)
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    for axis in (None, 0, 1, (0, 1)):
        same(wa.flip(x, axis=axis), np.flip(a, axis=axis), device)
    same(wa.roll(x, 2), np.roll(a, 2), device)
    same(wa.roll(x, shift=-1, axis=0), np.roll(a, -1, axis=0), device)
    same(wa.roll(x, (1, 2), axis=(0, 1)), np.roll(a, (1, 2), axis=(0, 1)), device)
    same(wa.tile(x, (2, 1, 3)), np.tile(a, (2, 1, 3)), device)
    same(wa.moveaxis(x, 0, -1), np.moveaxis(a, 0, -1), device)
    same(wa.tril(x, k=1), np.tril(a, k=1), device)
    same(wa.triu(x, k=-1), np.triu(a, k=-1), device)
    same(wa.stack([x, y], axis=1), np.stack([a, b], axis=1), device)
    same(wa.repeat(x, 2, axis=0), np.repeat(a, 2, axis=0), device)
    same(wa.repeat(x, 3), np.repeat(a, 3), device)
    idx = np.int32([3, 0, -1])
    same(wa.take(x, wa.asarray(idx, device=device), axis=1), np.take(a, idx, axis=1), device)
    same(wa.take(x[0], wa.asarray(idx, device=device)), np.take(a[0], idx), device)
    order = np.argsort(a, axis=1).astype(np.int32)
    same(wa.take_along_axis(x, wa.asarray(order, device=device), axis=1),
         np.take_along_axis(a, order, axis=1), device)
    same(wa.take_along_axis(x, wa.asarray(order, device=device)), np.take_along_axis(a, order, axis=-1), device)
    same(wa.tensordot(x, y.T, axes=1), np.tensordot(a, b.T, axes=1), device)
    same(wa.tensordot(x, y, axes=([0, 1], [0, 1])), np.tensordot(a, b, axes=([0, 1], [0, 1])), device)
    same(wa.diff(x, axis=0), np.diff(a, axis=0), device)
    same(wa.diff(x, n=2), np.diff(a, n=2), device)
    same(wa.nonzero(x > 0), np.nonzero(a > 0), device)
    same(wa.where(x > 0, x, y), np.where(a > 0, a, b), device)
    same(wa.where(x > 0, x, 0), np.where(a > 0, a, 0), device)
    v, w = wa.arange(3, device=device), wa.arange(4, device=device)
    for indexing in ("xy", "ij"):
        same(wa.meshgrid(v, w, indexing=indexing), np.meshgrid(np.arange(3), np.arange(4), indexing=indexing), device)
    same(wa.broadcast_arrays(x[:1], y[:, :1]), np.broadcast_arrays(a[:1], b[:, :1]), device)
    f = a.astype(np.float32) / 4
    xf = wa.asarray(f, device=device)
    same(wa.clip(xf, -1, 1), np.clip(f, -1, 1), device)
    same(wa.clip(xf, min=0.5), np.clip(f, min=0.5), device)
    same(wa.clip(xf, max=0.5), np.clip(f, max=0.5), device)
    same(wa.clip(xf), f, device)
    same(wa.round(xf), np.round(f), device)
    same(wa.round(xf, decimals=1), np.round(f, decimals=1), device)
    # The standard's keyword-only parameters are keyword-only.
    for call in (lambda: wa.flip(x, 0), lambda: wa.roll(x, 1, 0), lambda: wa.tril(x, 1), lambda: wa.round(xf, 1),
                 lambda: wa.diff(x, 1), lambda: wa.stack([x, y], 0), lambda: wa.repeat(x, 2, 0),
                 lambda: wa.take(x, wa.asarray(idx, device=device), 1), lambda: wa.tensordot(x, y.T, 1)):
        with pytest.raises(TypeError):
            call()


def test_concat(device):
    rng = np.random.default_rng(9)
    a = rng.integers(-9, 9, (2, 3)).astype(np.int32)
    b = rng.integers(-9, 9, (4, 3)).astype(np.int8)
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    same(wa.concat([x, y]), np.concat([a, b]), device)
    same(wa.concat((x, y), axis=-2), np.concat((a, b), axis=-2), device)
    same(wa.concat([x, y], axis=None), np.concat([a, b], axis=None), device)
    same(wa.concat([x.T, y.T], axis=1), np.concat([a.T, b.T], axis=1), device)
    same(wa.concat([x], axis=0), a, device)
    same(np.concat([x, y]), np.concat([a, b]), device)  # NumPy's name dispatches too
    with pytest.raises(ValueError, match="all the input array dimensions except for the concatenation axis"):
        wa.concat([x, y], axis=1)
    with pytest.raises(ValueError, match="zero-dimensional arrays cannot be concatenated"):
        wa.concat([x[0, 0], y[0, 0]])
    with pytest.raises(TypeError):
        wa.concat([x, y], 0)


def test_unstack(device):
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    x = wa.asarray(a, device=device)
    for axis in (0, 1, 2, -1, -3):
        for got in (wa.unstack(x, axis=axis), np.unstack(x, axis=axis)):
            assert isinstance(got, tuple)
            same(got, np.unstack(a, axis=axis), device)
    parts = wa.unstack(x)
    same(wa.stack(parts), a, device)
    parts[1][0, 0] = -1.0  # views of x, as NumPy's
    assert x.get()[1, 0, 0] == -1.0
    same(wa.unstack(wa.asarray(np.int8([5, 6]), device=device)), np.unstack(np.int8([5, 6])), device)
    assert wa.unstack(wa.zeros((0, 2), device=device)) == ()
    with pytest.raises(ValueError, match="Input array must be at least 1-d."):
        wa.unstack(x[0, 0, 0])
    for axis in (3, -4):
        with pytest.raises(np.exceptions.AxisError):
            wa.unstack(x, axis=axis)


def test_astype(device):
    rng = np.random.default_rng(10)
    dtypes = device_dtypes(device)
    a = (rng.standard_normal(12) * 50).astype(np.float32).reshape(3, 4)
    x = wa.asarray(a, device=device)
    for dt in dtypes:
        with np.errstate(invalid="ignore", over="ignore"):
            want = a.astype(dt)
        got = wa.astype(x, dt)
        assert got.dtype == dt
        if dt.kind in "iu":  # float to integer out of range: implementation-defined
            ok = (a > np.iinfo(dt).min) & (a < np.iinfo(dt).max)
            np.testing.assert_array_equal(got.get()[ok], want[ok])
        else:
            same(got, want, device)
        same(np.astype(wa.asarray(want, device=device), np.float32), want.astype(np.float32), device)
    y = wa.astype(x, np.float32)
    assert y is not x
    y[0, 0] = 123.0
    assert x.get()[0, 0] == a[0, 0]
    assert wa.astype(x, np.float32, copy=False) is x
    assert wa.astype(x, wa.int32, copy=False).dtype == np.int32
    moved = wa.astype(x, np.float32, device="cpu")
    assert moved.device == wa.Device("cpu")
    np.testing.assert_array_equal(moved.get(), a)
    moved = wa.astype(x, np.int16, device="cpu", copy=False)
    assert moved.device == wa.Device("cpu") and moved.dtype == np.int16
    with pytest.raises(TypeError):
        wa.astype(x, np.float32, False)


def test_data_type_functions(device):
    names = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
             "float64"]
    dts = [np.dtype(n) for n in names]
    for f, t in itertools.product(dts, dts):
        assert wa.can_cast(f, t) is bool(np.can_cast(f, t))
        assert wa.can_cast(f.type, t.type) is bool(np.can_cast(f, t))
        assert wa.can_cast(f, t, casting="same_kind") is bool(np.can_cast(f, t, casting="same_kind"))
        assert wa.result_type(f, t) == np.result_type(f, t)
    for d in dts:
        for kind in KINDS:
            assert wa.isdtype(d, kind) == np.isdtype(d, kind), (d, kind)
        assert wa.isdtype(d, ("bool", "real floating")) == np.isdtype(d, ("bool", "real floating"))
        assert wa.isdtype(d, wa.float32) == (d == np.float32)
        if d.kind == "f":
            fi, ni = wa.finfo(d), np.finfo(d)
            for attr in ("bits", "eps", "max", "min", "smallest_normal", "dtype"):
                assert getattr(fi, attr) == getattr(ni, attr), (d, attr)
        elif d.kind in "iu":
            ii, ni = wa.iinfo(d), np.iinfo(d)
            for attr in ("bits", "max", "min", "dtype"):
                assert getattr(ii, attr) == getattr(ni, attr), (d, attr)
        else:
            with pytest.raises(ValueError):
                wa.finfo(d)
            with pytest.raises(ValueError):
                wa.iinfo(d)
    with pytest.raises(ValueError):
        wa.finfo(np.int32)
    with pytest.raises(ValueError):
        wa.iinfo(np.float32)
    with pytest.raises(ValueError):
        wa.isdtype(np.float32, "no such kind")
    # Arrays stand for their dtypes; Python scalars are weak (NEP 50).
    for d in device_dtypes(device):
        x = wa.zeros(2, dtype=d, device=device)
        assert wa.can_cast(x, np.float64) is bool(np.can_cast(d, np.float64))
        if d.kind == "f":
            assert wa.finfo(x).bits == np.finfo(d).bits
        elif d.kind in "iu":
            assert wa.iinfo(x).max == np.iinfo(d).max
        full = device.is_cpu or (device.info["f64"] and device.info["i64"])
        for other in (np.int8, np.uint16, np.float32, 1, 2.5, True):
            y = other if isinstance(other, (bool, int, float)) else wa.zeros(1, dtype=other, device=device)
            got = wa.result_type(x, y)
            assert wa.result_type(y, x, x) == got and wa.result_type(x, other) == got, (d, other)
            if full:
                assert got == np.result_type(np.zeros(2, d), other), (d, other)
            # The dtype wgarray's arithmetic gives (or the one the device lacks).
            try:
                assert wa.add(x, y).dtype == got, (d, other)
            except TypeError:
                assert got not in device_dtypes(device), (d, other)
    assert wa.result_type(np.float32) == np.float32
    assert wa.result_type(np.int16, 3) == np.int16


def test_from_dlpack(device):
    host = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = wa.from_dlpack(host)
    assert x.device == wa.Device("cpu")  # where the producer's data is
    np.testing.assert_array_equal(x.get(), host)
    host[0, 0] = 42.0  # no copy: the CPU device shares the producer's memory
    assert x.get()[0, 0] == 42.0
    c = wa.from_dlpack(host, copy=True)
    host[0, 0] = 7.0
    assert c.get()[0, 0] == 42.0
    y = wa.from_dlpack(host, device=device)
    assert y.device == device
    np.testing.assert_array_equal(y.get(), host)
    if not device.is_cpu:
        with pytest.raises(BufferError):
            wa.from_dlpack(host, device=device, copy=False)
    i = np.arange(5, dtype=np.uint16)[::2]
    same(wa.from_dlpack(i, device=device), i, device)
    z = wa.asarray(host, device=device)
    same_memory = (lambda a: a._a.host_ptr == z._a.host_ptr) if device.is_cpu else (lambda a: a._a.shares_storage(z._a))
    assert same_memory(wa.from_dlpack(z))
    assert not same_memory(wa.from_dlpack(z, copy=True))
    np.testing.assert_array_equal(wa.from_dlpack(z, device="cpu").get(), host)
    with pytest.raises(AttributeError):
        wa.from_dlpack([1, 2, 3])


def test_real_and_imag(device):
    for dt in device_dtypes(device):
        a = np.arange(-3, 3).astype(dt).reshape(2, 3)
        x = wa.asarray(a, device=device)
        for name in ("real", "imag"):
            for got in (getattr(wa, name)(x), getattr(np, name)(x)):
                same(got, getattr(np, name)(a), device)
    x = wa.asarray(np.float32([1, 2]), device=device)
    r = wa.real(x)
    r[0] = 5.0  # a view, as NumPy's real of a real array
    assert x.get()[0] == 5.0


def test_vecdot_axis(device):
    rng = np.random.default_rng(11)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    a = rng.standard_normal((3, 4, 5)).astype(fdt)
    b = rng.standard_normal((4, 5)).astype(fdt)
    c = rng.standard_normal((3, 1, 5)).astype(fdt)
    x, y, z = (wa.asarray(t, device=device) for t in (a, b, c))
    for axis in (-1, -2, 2, 1):
        same(wa.vecdot(x, x, axis=axis), np.vecdot(a, a, axis=axis), device)
    same(wa.vecdot(x, y), np.vecdot(a, b), device)
    same(wa.vecdot(x, y, axis=-2), np.vecdot(a, b, axis=-2), device)
    same(wa.vecdot(x, z, axis=-1), np.vecdot(a, c, axis=-1), device)
    i = rng.integers(-9, 9, (4, 3)).astype(np.int32)
    xi = wa.asarray(i, device=device)
    same(wa.vecdot(xi, xi, axis=0), np.vecdot(i, i, axis=0), device)
    with pytest.raises(ValueError):
        wa.vecdot(x, y, axis=0)  # 3 against 4
    with pytest.raises(np.exceptions.AxisError):
        wa.vecdot(x, x, axis=3)


def test_diff_prepend_and_append(device):
    rng = np.random.default_rng(12)
    a = rng.integers(-9, 9, (3, 4)).astype(np.int16)
    f = rng.standard_normal((3, 4)).astype(np.float32)
    x, xf = wa.asarray(a, device=device), wa.asarray(f, device=device)
    row = np.int16([[1, 2, 3, 4]])
    col = np.int8([[5], [6], [7]])
    cases = [
        (x, a, dict(prepend=0)),
        (x, a, dict(append=np.int16(3))),
        (x, a, dict(axis=0, prepend=wa.asarray(row, device=device), append=wa.asarray(row, device=device)),
         dict(axis=0, prepend=row, append=row)),
        (x, a, dict(axis=1, n=2, prepend=wa.asarray(col, device=device)), dict(axis=1, n=2, prepend=col)),
        (x, a, dict(axis=1, append=wa.asarray(col[:, :0], device=device)), dict(axis=1, append=col[:, :0])),
        (xf, f, dict(prepend=0.5, append=True)),
        (xf, f, dict(n=3, axis=0, append=wa.asarray(f[:2], device=device)), dict(n=3, axis=0, append=f[:2])),
        (x > 0, a > 0, dict(prepend=False, append=True)),
        (x, a, dict(n=0, prepend=0)),
    ]
    for case in cases:
        arr, host, kw = case[:3]
        np_kw = case[3] if len(case) > 3 else kw
        want = np.diff(host, **np_kw)
        same(wa.diff(arr, **kw), want, device)
        same(np.diff(arr, **kw), want, device)
    with pytest.raises(ValueError):
        wa.diff(x, axis=0, prepend=wa.asarray(col, device=device))  # wrong shape off the axis
