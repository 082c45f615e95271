"""NumPy functions composed on the device (wgarray/_functions.py), called
both as ``wa.f`` and through NumPy's ``np.f`` (``__array_function__``), on
every device, against NumPy: results, dtypes, shapes and NumPy's errors."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes


def check(name, args_np, args_wa, device, **kw):
    want = getattr(np, name)(*args_np, **kw)
    for got in (getattr(wa, name)(*args_wa, **kw), getattr(np, name)(*args_wa, **kw)):
        ws, gs = (want, got) if isinstance(want, (tuple, list)) else ((want,), (got,))
        assert len(ws) == len(gs), name
        for w, g in zip(ws, gs):
            if isinstance(w, (bool, np.bool_)):
                assert g == w, (name, kw)
                continue
            assert isinstance(g, wa.ndarray) and g.device == device, (name, type(g))
            h = g.get()
            w = np.asarray(w)
            if w.dtype == np.float64 and np.dtype(np.float64) not in device_dtypes(device):
                w = w.astype(np.float32)  # such a device computes NumPy's float64 results in float32
            assert h.shape == w.shape and h.dtype == w.dtype, (name, kw, h.shape, w.shape, h.dtype, w.dtype)
            if w.dtype.kind == "f":
                np.testing.assert_allclose(h, w, rtol=1e-5 if w.dtype != np.float16 else 1e-2, equal_nan=True,
                                           err_msg=f"{name} {kw}")
            else:
                np.testing.assert_array_equal(h, w, err_msg=f"{name} {kw}")


def test_shape_and_joining_functions(device):
    rng = np.random.default_rng(1)
    a = rng.integers(-9, 9, (2, 3, 4)).astype(np.int32)
    b = rng.integers(-9, 9, (2, 3, 4)).astype(np.int16)
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    check("moveaxis", (a, 0, -1), (x, 0, -1), device)
    check("moveaxis", (a, (0, 1), (2, 0)), (x, (0, 1), (2, 0)), device)
    check("swapaxes", (a, 0, 2), (x, 0, 2), device)
    for n in ("atleast_1d", "atleast_2d", "atleast_3d"):
        for v in (np.int32(5), np.int32([1, 2]), a[0]):
            check(n, (v,), (wa.asarray(v, device=device),), device)
    check("broadcast_arrays", (a[:, :1], b[0]), (x[:, :1], y[0]), device)
    for axis in (0, 1, -1, None):
        check("concatenate", ([a, b],), ([x, y],), device, axis=axis)
    check("stack", ([a, b],), ([x, y],), device, axis=1)
    check("stack", ([a[0], a[1]],), ([x[0], x[1]],), device, axis=-1)
    for n in ("vstack", "hstack", "dstack", "column_stack"):
        check(n, ([a[0], b[0]],), ([x[0], y[0]],), device)
        check(n, ([a[0, 0], b[0, 0]],), ([x[0, 0], y[0, 0]],), device)
    check("split", (a, 2), (x, 2), device, axis=2)
    check("split", (a, [1, 3]), (x, [1, 3]), device, axis=-1)
    check("array_split", (a, 3), (x, 3), device, axis=2)
    with pytest.raises(ValueError, match="array split does not result in an equal division"):
        wa.split(x, 3, axis=2)
    with pytest.raises(ValueError, match="all the input array dimensions except for the concatenation axis"):
        wa.concatenate([x, y[:, :2, :2]], axis=0)
    with pytest.raises(ValueError, match="zero-dimensional arrays cannot be concatenated"):
        wa.concatenate([x[0, 0, 0], x[0, 0, 0]])


def test_rearranging_functions(device):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 4, 5)).astype(np.float32)
    x = wa.asarray(a, device=device)
    for kw in ({}, {"axis": 1}, {"axis": (0, 2)}):
        check("flip", (a,), (x,), device, **kw)
    check("fliplr", (a,), (x,), device)
    check("flipud", (a,), (x,), device)
    for k in range(-1, 5):
        check("rot90", (a,), (x,), device, k=k)
    check("rot90", (a,), (x,), device, k=1, axes=(1, 2))
    for shift, axis in ((2, None), (-3, 1), ((1, 2), (0, 2)), (7, 2)):
        check("roll", (a, shift), (x, shift), device, axis=axis)
    for reps in (2, (2, 1), (1, 2, 1, 3)):
        check("tile", (a[0], reps), (x[0], reps), device)
    v1, v2 = np.float32([1, 2, 3]), np.float32([4, 5])
    for kw in ({}, {"indexing": "ij"}, {"sparse": True}):
        check("meshgrid", (v1, v2), (wa.asarray(v1, device=device), wa.asarray(v2, device=device)), device, **kw)
    for k in (-1, 0, 2):
        check("tril", (a,), (x,), device, k=k)
        check("triu", (a,), (x,), device, k=k)


def test_logic_and_rounding_functions(device):
    a = np.float32([-2.5, -0.5, 0.5, 1.5, 2.675, np.nan, np.inf, -np.inf, 1e-9])
    b = np.float32([-2.5, -0.4999, 0.5001, 2, 2.675, np.nan, np.inf, np.inf, 0])
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    with np.errstate(invalid="ignore"):
        check("clip", (a, -1, 2), (x, -1, 2), device)
        check("clip", (a, None, 0.5), (x, None, 0.5), device)
    check("isclose", (a, b), (x, y), device)
    check("isclose", (a, b), (x, y), device, equal_nan=True, rtol=1e-3)
    check("allclose", (a, b), (x, y), device)
    check("allclose", (a[:5], a[:5]), (x[:5], x[:5]), device)
    check("array_equal", (a, a), (x, x), device)
    check("array_equal", (a, a), (x, x), device, equal_nan=True)
    check("array_equal", (a, b), (x, y), device)
    check("nan_to_num", (a,), (x,), device)
    check("nan_to_num", (a,), (x,), device, nan=-1.0, posinf=9.0)
    for d in (0, 1, 2, -1):
        check("round", (a,), (x,), device, decimals=d)
        check("around", (a,), (x,), device, decimals=d)
    i = np.int32([15, 25, 35, -15, -25, 7])
    check("round", (i,), (wa.asarray(i, device=device),), device, decimals=-1)
    # Neither bound: a copy (NumPy 2.1+ and the array API; NumPy 2.0 raised).
    for got in (wa.clip(x), np.clip(x)):
        assert isinstance(got, wa.ndarray) and got.device == device
        np.testing.assert_array_equal(got.get(), a)
        got[0] = 7
        assert x.get()[0] == a[0]


def test_products_and_average(device):
    rng = np.random.default_rng(3)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    a = rng.standard_normal((3, 4)).astype(fdt)
    b = rng.standard_normal((4, 5)).astype(fdt)
    c = rng.standard_normal((2, 4, 3)).astype(fdt)
    v = rng.standard_normal(4).astype(fdt)
    X, Y, Z, V = (wa.asarray(t, device=device) for t in (a, b, c, v))
    check("dot", (a, b), (X, Y), device)
    check("dot", (v, v), (V, V), device)
    check("dot", (c.transpose(0, 2, 1), b), (Z.transpose((0, 2, 1)), Y), device)
    check("vdot", (a, a), (X, X), device)
    check("inner", (a, a), (X, X), device)
    check("outer", (v, a), (V, X), device)
    check("tensordot", (c, b), (Z, Y), device, axes=([1], [0]))
    check("tensordot", (a, a), (X, X), device, axes=2)
    check("tensordot", (c, a), (Z, X), device, axes=1)
    check("average", (a,), (X,), device)
    w3 = rng.random(3).astype(fdt)
    for axis, w in ((1, v), (0, w3)):
        want = np.average(a, axis=axis, weights=w)
        for got in (wa.average(X, axis=axis, weights=wa.asarray(w, device=device)),
                    np.average(X, axis=axis, weights=wa.asarray(w, device=device))):
            assert isinstance(got, wa.ndarray) and got.dtype == want.dtype
            np.testing.assert_allclose(got.get(), want, rtol=1e-5)
    r, s = wa.average(X, axis=1, returned=True)
    wr, ws = np.average(a, axis=1, returned=True)
    np.testing.assert_allclose(r.get(), wr, rtol=1e-5)
    np.testing.assert_allclose(s.get(), ws, rtol=1e-5)
    with pytest.raises(ValueError, match="shape-mismatch for sum"):
        wa.tensordot(X, X, axes=([0], [1]))


def test_isin_and_cross(device):
    rng = np.random.default_rng(13)
    a = rng.integers(-5, 5, (4, 6)).astype(np.int32)
    t = rng.integers(-5, 5, 150).astype(np.int32)  # more than one chunk of test elements
    x, y = wa.asarray(a, device=device), wa.asarray(t, device=device)
    check("isin", (a, t), (x, y), device)
    check("isin", (a, t[:3]), (x, y[:3]), device, invert=True)
    u = rng.standard_normal((5, 3)).astype(np.float32)
    v = rng.standard_normal((5, 3)).astype(np.float32)
    U, V = wa.asarray(u, device=device), wa.asarray(v, device=device)
    check("cross", (u, v), (U, V), device)
    # 2-vectors: deprecated in NumPy 2.0, refused from 2.5; wgarray follows the installed NumPy.
    for a2, b2, A2, B2 in ((u[:, :2], v, U[:, :2], V), (u[:, :2], v[:, :2], U[:, :2], V[:, :2])):
        if tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 5):
            with pytest.raises(ValueError) as want:
                np.cross(a2, b2)
            with pytest.raises(ValueError) as got:
                wa.cross(A2, B2)
            assert str(got.value) == str(want.value)
        else:
            with pytest.warns(DeprecationWarning, match="2-dimensional vectors are deprecated"):
                check("cross", (a2, b2), (A2, B2), device)
    check("cross", (u.T, v.T), (U.T, V.T), device, axis=0)


def test_statistics_and_norm(device):
    rng = np.random.default_rng(14)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    a = rng.standard_normal((3, 7)).astype(fdt)
    x = wa.asarray(a, device=device)
    check("cov", (a,), (x,), device)
    check("cov", (a,), (x,), device, rowvar=False, bias=True)
    check("cov", (a,), (x,), device, ddof=2)
    check("cov", (a[0], a[1]), (x[0], x[1]), device)
    check("corrcoef", (a,), (x,), device)
    check("corrcoef", (a[0], a[2]), (x[0], x[2]), device)
    for o in (None, 1, 2, np.inf, -np.inf, 0, 3, -1):
        for got in (wa.linalg.norm(x[0], ord=o), np.linalg.norm(x[0], ord=o)):
            assert isinstance(got, wa.ndarray) and got.device == device
            np.testing.assert_allclose(got.get(), np.linalg.norm(a[0], ord=o), rtol=1e-5)
    for o in (None, "fro", 1, -1, np.inf, -np.inf):
        np.testing.assert_allclose(np.linalg.norm(x, ord=o).get(), np.linalg.norm(a, ord=o), rtol=1e-5)
    for kw in ({"axis": 1}, {"axis": 0, "keepdims": True}, {"axis": (0, 1), "ord": 1}):
        np.testing.assert_allclose(np.linalg.norm(x, **kw).get(), np.linalg.norm(a, **kw), rtol=1e-5)
    with pytest.raises(NotImplementedError, match="needs an SVD"):
        wa.linalg.norm(x, ord=2)
    with pytest.raises(ValueError, match="Invalid norm order"):
        wa.linalg.norm(x, ord=3)


def test_einsum_matches_numpy(device):
    rng = np.random.default_rng(15)
    fdt = np.float64 if np.dtype(np.float64) in device_dtypes(device) else np.float32
    t = lambda *s: rng.standard_normal(s).astype(fdt)  # noqa: E731
    A, B, C, S, v, T3 = t(3, 4), t(4, 5), t(5, 3), t(4, 4), t(4), t(2, 3, 4)
    cases = [("ij,jk->ik", A, B), ("ij,jk", A, B), ("ij,jk,ki->", A, B, C), ("ii->i", S), ("ii", S), ("ij->ji", A),
             ("i,i", v, v), ("i,j->ij", v, v), ("ij,j->i", S, v), ("ijk->kji", T3), ("ij->", A), ("ij->j", A),
             ("bij,bjk->bik", t(2, 3, 4), t(2, 4, 5)), ("iij->j", t(3, 3, 2))]
    for sub, *ops in cases:
        check("einsum", (sub, *ops), (sub, *[wa.asarray(o, device=device) for o in ops]), device)
    ints = np.arange(6, dtype=np.int32).reshape(2, 3)
    check("einsum", ("ij,ij->i", ints, ints), ("ij,ij->i", wa.asarray(ints, device=device), wa.asarray(ints, device=device)),
          device)
    x = wa.asarray(A, device=device)
    with pytest.raises(ValueError, match="output subscript 'z' which never appeared"):
        wa.einsum("ij->z", x)
    with pytest.raises(ValueError, match="fewer operands"):
        wa.einsum("ij,jk->ik", x)


def test_einsum_ellipsis_matches_numpy(device):
    rng = np.random.default_rng(31)
    a = rng.standard_normal((2, 3, 4)).astype(np.float32)
    m = rng.standard_normal((5, 4, 2)).astype(np.float32)
    v = rng.standard_normal(4).astype(np.float32)
    sq = rng.standard_normal((2, 3, 3)).astype(np.float32)
    cases = [("...ij,...jk->...ik", (a[:, :, :3], sq[:1])), ("...i,i", (a, v)), ("i...->...", (a,)),
             ("...ii->...i", (sq,)), ("...", (a,)), ("ij...,j->i...", (m, v)), ("...j,kj->...k", (a, m[:, :, 0]))]
    for sub, ops in cases:
        want = np.einsum(sub, *ops)
        got = np.einsum(sub, *(wa.asarray(o, device=device) for o in ops))
        assert got.shape == want.shape, sub
        np.testing.assert_allclose(got.get(), want, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError):
        wa.einsum("...i...", wa.asarray(a, device=device))


def test_cov_weights_match_numpy(device):
    rng = np.random.default_rng(32)
    a = rng.standard_normal((3, 20)).astype(np.float32)
    f = rng.integers(0, 4, 20).astype(np.int32)
    w = rng.random(20).astype(np.float32)
    X = wa.asarray(a, device=device)
    F, W = wa.asarray(f, device=device), wa.asarray(w, device=device)
    for kw, kd in (({"fweights": f}, {"fweights": F}), ({"aweights": w}, {"aweights": W}),
                   ({"fweights": f, "aweights": w}, {"fweights": F, "aweights": W}),
                   ({"bias": True, "aweights": w}, {"bias": True, "aweights": W}),
                   ({"ddof": 0, "fweights": f}, {"ddof": 0, "fweights": F})):
        want = np.cov(a, dtype=np.float32, **kw)
        got = np.cov(X, dtype=np.float32, **kd)
        # NumPy takes weights as float64 (float32 on a device without it)
        assert got.shape == want.shape and got.dtype == (want.dtype if device.info["f64"] else np.float32)
        np.testing.assert_allclose(got.get(), want, rtol=2e-5, atol=2e-6)
    with pytest.raises(ValueError, match="fweights cannot be negative"):
        np.cov(X, fweights=wa.asarray(-f - 1, device=device))
    with pytest.raises(RuntimeError, match="incompatible numbers of samples and aweights"):
        np.cov(X, aweights=W[:5])
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        np.cov(X[:, :1])
