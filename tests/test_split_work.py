"""Operands large enough that kernels split their work: on the CPU device,
elementwise loops, casts and reductions whose work passes 2**18 adds run in
pieces across threads (every operand and view here holds over 2**18
elements), and reductions fold blocks of 1,024 (inner axis) or tiles of
rows merged pairwise (outer axis); on GPUs, many workgroups and partials.
Every layout (contiguous, transposed, reversed, strided, broadcast, 3-D with
the middle axis reduced) against NumPy, on every device."""

import zlib

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes
from test_reductions import assert_reduction_matches, values

SHAPE = (1537, 701)  # a million elements; neither extent a multiple of a block


def layouts(h):
    """Views of the 2-D host array ``h`` (and one 3-D reshape) with the axes
    to reduce: both axes, each alone, and the middle of three."""
    yield "contiguous", lambda a: a, (None, 0, 1, (0, 1))
    yield "transposed", lambda a: a.T, (None, 0, 1)
    yield "reversed-strided", lambda a: a[::-1, ::-2], (None, 0, 1)
    yield "3-D", lambda a: a[:1536].reshape(48, 32, 701), (1, (0, 2), (1, 2))


REDUCTIONS = [
    ("add", "float32"), ("add", "float64"), ("add", "float16"), ("add", "int8"), ("add", "uint64"),
    ("multiply", "float32"), ("multiply", "int32"),
    ("maximum", "float32"), ("maximum", "int16"), ("minimum", "float64"), ("fmax", "float32"),
    ("logical_or", "bool"), ("bitwise_xor", "uint32"),
    ("subtract", "float32"), ("subtract", "int64"),  # not reorderable: folded in order
]


@pytest.mark.parametrize("name,dtype", REDUCTIONS, ids=[f"{n}-{d}" for n, d in REDUCTIONS])
def test_large_reductions_match_numpy_in_every_layout(device, name, dtype):
    dtype = np.dtype(dtype)
    if dtype not in device_dtypes(device):
        pytest.skip(f"{device} lacks {dtype}")
    rng = np.random.default_rng(zlib.crc32(f"split {name} {dtype}".encode()))
    host = values(dtype, SHAPE, rng, name)
    x = wa.asarray(host, device=device)
    for label, view, axes in layouts(host):
        h = view(host)
        v = view(x)
        for axis in axes:
            if name == "subtract" and not isinstance(axis, int):
                continue  # NumPy: not reorderable, so at most one axis (tested below, flattened)
            with np.errstate(all="ignore"):
                if dtype == np.float16:
                    # wgarray folds float16 in float32 over every axis and rounds
                    # once; NumPy does so only along its inner loop and rounds to
                    # float16 between rows, which can exceed pairwise error.
                    want = getattr(np, name).reduce(h.astype(np.float32), axis=axis).astype(np.float16)
                else:
                    want = getattr(np, name).reduce(h, axis=axis)
            got = getattr(wa, name).reduce(v, axis=axis)
            assert_reduction_matches(name, got, want, h, axis, False)
    if name == "subtract":
        with np.errstate(all="ignore"):
            want = np.subtract.reduce(host.reshape(-1))
        assert_reduction_matches(name, wa.subtract.reduce(x.reshape(-1)), want, host.reshape(-1), None, False)


def assert_sum_within_pairwise_error(got, host64, axis, **kw):
    """A float32 sum against the exact (float64) one: NumPy's own in-order
    sums along outer axes are less accurate than wgarray's pairwise ones, so
    the bound is pairwise summation's, not a distance to NumPy."""
    exact = np.add.reduce(host64, axis=axis, **kw)
    scale = np.add.reduce(np.abs(host64), axis=axis, **kw)
    n = host64.size // max(exact.size, 1)
    bound = (np.log2(n) + 2) * np.finfo(np.float32).eps * scale
    assert got.dtype == np.float32
    assert (np.abs(got.get().astype(np.float64) - exact) <= bound).all()


def test_large_reductions_with_initial_and_where(device):
    rng = np.random.default_rng(5)
    host = rng.random(SHAPE, dtype=np.float32)
    mask = rng.random(SHAPE) < 0.7
    x = wa.asarray(host, device=device)
    m = wa.asarray(mask, device=device)
    for axis in (None, 0, 1):
        for name, kw in (("subtract", {"initial": 2.5}), ("maximum", {"initial": 0.9})):
            if name == "subtract" and axis is None:
                continue  # NumPy: not reorderable, so at most one axis
            want = getattr(np, name).reduce(host, axis=axis, **kw)
            got = getattr(wa, name).reduce(x, axis=axis, **kw)
            assert_reduction_matches(name, got, want, host, axis, False)
        h64 = host.astype(np.float64)
        assert_sum_within_pairwise_error(wa.add.reduce(x, axis=axis, initial=-1.0), h64, axis, initial=-1.0)
        assert_sum_within_pairwise_error(wa.add.reduce(x, axis=axis, where=m), h64, axis, where=mask)


def test_large_mean_of_exp_and_methods(device):
    rng = np.random.default_rng(6)
    host = rng.standard_normal(SHAPE).astype(np.float32)
    x = wa.asarray(host, device=device)
    for axis in (None, 0, 1):
        np.testing.assert_allclose(np.mean(np.exp(x), axis=axis).get(), np.mean(np.exp(host), axis=axis), rtol=2e-5)
        np.testing.assert_array_equal(x.max(axis=axis).get(), host.max(axis=axis))
        np.testing.assert_array_equal(x.argmin(axis=axis).get(), host.argmin(axis=axis))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "uint8", "bool", "float16"])
def test_large_elementwise_in_every_layout(device, dtype):
    dtype = np.dtype(dtype)
    if dtype not in device_dtypes(device):
        pytest.skip(f"{device} lacks {dtype}")
    rng = np.random.default_rng(zlib.crc32(f"split elementwise {dtype}".encode()))
    a = (rng.random(SHAPE) * 100).astype(dtype)
    b = (rng.random(SHAPE) * 100).astype(dtype)
    row = (rng.random(SHAPE[1]) * 100).astype(dtype)
    A, B, R = (wa.asarray(v, device=device) for v in (a, b, row))
    op = np.logical_xor if dtype == np.bool_ else np.maximum
    with np.errstate(all="ignore"):
        cases = [
            (A + B, a + b),
            (op(A, B), op(a, b)),
            (A.T * B.T, a.T * b.T),  # Fortran-order walk
            (A[::-1, ::3] + B[:, ::3], a[::-1, ::3] + b[:, ::3]),  # reversed and strided
            (A * R, a * row),  # broadcast row
            (A.T[::2] + R[::2, None], a.T[::2] + row[::2, None]),  # broadcast column, strided
        ]
    for got, want in cases:
        np.testing.assert_array_equal(got.get(), want)
    # Casts, copies, and in-place updates of strided views split the same way.
    for to in ("float32", "int8", "bool", "uint16"):
        if np.dtype(to) in device_dtypes(device):
            with np.errstate(all="ignore"):
                np.testing.assert_array_equal(A[:, ::-1].astype(to).get(), a[:, ::-1].astype(to))
    np.testing.assert_array_equal(A.T.copy().get(), a.T.copy())
    if dtype != np.bool_:
        A[::2, 1::2] += B[::2, 1::2]  # 269,150 elements
        a[::2, 1::2] += b[::2, 1::2]
        np.testing.assert_array_equal(A.get(), a)


def test_in_order_folds_longer_than_65535(device):
    """Non-reorderable folds run in order, one thread per output on GPUs:
    longer than llvmpipe's 65,535 loop iterations per invocation, they run in
    windows that resume from the partial results."""
    rng = np.random.default_rng(8)
    h = rng.integers(-3, 4, size=200_003).astype(np.int32)
    x = wa.asarray(h, device=device)
    idx = np.array([0, 5, 150_000, 3, 200_002, 70_000])
    with np.errstate(all="ignore"):
        assert int(wa.subtract.reduce(x).get()) == np.subtract.reduce(h)
        np.testing.assert_array_equal(wa.subtract.accumulate(x).get(), np.subtract.accumulate(h))
        m = h[:200_000].reshape(2, -1)
        np.testing.assert_array_equal(wa.subtract.accumulate(wa.asarray(m, device=device), axis=1).get(),
                                      np.subtract.accumulate(m, axis=1))
        np.testing.assert_array_equal(wa.subtract.reduce(wa.asarray(m, device=device), axis=1).get(),
                                      np.subtract.reduce(m, axis=1))
        np.testing.assert_array_equal(wa.subtract.reduceat(x, wa.asarray(idx, device=device)).get(), np.subtract.reduceat(h, idx))
        np.testing.assert_array_equal(wa.add.reduceat(x, wa.asarray(idx, device=device)).get(), np.add.reduceat(h, idx))
        p = np.abs(h) % 2 + 1
        assert int(wa.power.reduce(wa.asarray(p, device=device)).get()) == np.power.reduce(p)
        assert float(wa.subtract.reduce(wa.asarray(h, dtype=np.float32, device=device), initial=1.5).get()) == \
            np.subtract.reduce(h.astype(np.float32), initial=1.5)
