"""matmul, vecdot, matvec and vecmat (and @) against NumPy on every device:
every loop, stacked and broadcast batch shapes, 1-D operands, strided and
transposed operands read in place, k = 0, out=, and NumPy's errors.
Integers and booleans exactly; floats within a sum-of-products bound
(NumPy's float loops use BLAS, which orders the additions differently)."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample

SHAPES = {
    "matmul": [((3, 4), (4, 5)), ((4,), (4, 2)), ((2, 4), (4,)), ((5,), (5,)), ((2, 1, 3, 4), (5, 4, 2)),
               ((0, 3), (3, 2)), ((2, 0), (0, 3)), ((1, 6), (6, 1))],
    "vecdot": [((5,), (5,)), ((3, 4), (4,)), ((2, 1, 3), (4, 3)), ((0,), (0,))],
    "matvec": [((3, 4), (4,)), ((2, 3, 4), (1, 4)), ((0, 2), (2,))],
    "vecmat": [((4,), (4, 3)), ((2, 4), (2, 4, 3)), ((3,), (3, 0))],
}


def small(dt, shape, rng):
    """Values that keep sums of products exact in every dtype (so only the
    order of additions differs from NumPy)."""
    if dt.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dt.kind in "iu":
        return sample(dt, shape, rng, special=False)  # wrapping is exact anyway
    return rng.integers(-4, 5, size=shape).astype(dt)


def tiny(dt, shape, rng):
    """Small values: exact in every dtype, also after promotion to float."""
    if dt.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    return rng.integers(0 if dt.kind == "u" else -4, 5, size=shape).astype(dt)


def check(got, want, k):
    h = got.get()
    w = np.asarray(want)
    assert h.dtype == w.dtype and h.shape == w.shape, (h.dtype, w.dtype, h.shape, w.shape)
    if w.dtype.kind == "f":
        np.testing.assert_allclose(h, w, rtol=max(k, 1) * np.finfo(w.dtype).eps * 4, atol=0)
    else:
        np.testing.assert_array_equal(h, w)


@pytest.mark.parametrize("name", list(SHAPES))
def test_every_loop_and_shape_matches_numpy(device, name):
    rng = np.random.default_rng(9)
    np_f, wa_f = getattr(np, name), getattr(wa, name)
    for dt in device_dtypes(device):
        for sa, sb in SHAPES[name]:
            a, b = small(dt, sa, rng), small(dt, sb, rng)
            with np.errstate(all="ignore"):
                want = np_f(a, b)
            got = wa_f(wa.asarray(a, device=device), wa.asarray(b, device=device))
            check(got, want, sa[-1])


def test_mixed_dtypes_promote_like_numpy(device):
    rng = np.random.default_rng(1)
    dts = device_dtypes(device)
    for da in dts:
        for db in dts:
            if np.result_type(da, db) not in dts:
                continue
            a, b = tiny(da, (2, 3), rng), tiny(db, (3, 2), rng)
            with np.errstate(all="ignore"):
                check(wa.matmul(wa.asarray(a, device=device), wa.asarray(b, device=device)), np.matmul(a, b), 3)


def test_strided_transposed_and_operator_forms(device):
    f = np.float64 if device.info["f64"] else np.float32
    rng = np.random.default_rng(2)
    a = rng.integers(-5, 5, size=(6, 8, 10)).astype(f)
    x = wa.asarray(a, device=device)
    check(x[:, ::2, ::-3] @ x[0].T[::-3, ::2], a[:, ::2, ::-3] @ a[0].T[::-3, ::2], 4)
    check(x.mT @ x, a.transpose(0, 2, 1) @ a, 8)
    check(wa.vecdot(x, x[::-1]), np.vecdot(a, a[::-1]), 10)
    check(wa.matvec(x, x[0, 0]), np.matvec(a, a[0, 0]), 10)
    check(wa.vecmat(x[0, :, 0], x), np.vecmat(a[0, :, 0], a), 8)
    b = rng.integers(-5, 5, size=(4, 4)).astype(f)
    want = b @ b  # before: on the CPU device y shares b's memory
    y = wa.asarray(b, device=device)
    y @= y
    check(y, want, 4)


def test_out_and_overlap(device):
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    x = wa.asarray(a, device=device)
    out = wa.zeros((3, 3), dtype=np.int32, device=device)
    r = wa.matmul(x, x.T, out=out)
    assert r is out
    check(out, a @ a.T, 4)
    sq = wa.asarray(np.arange(9, dtype=np.int32).reshape(3, 3), device=device)
    wa.matmul(sq, sq, out=sq)  # the output is an input: NumPy buffers it
    s = np.arange(9, dtype=np.int32).reshape(3, 3)
    check(sq, s @ s, 3)
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        wa.matmul(x, x.T, out=wa.zeros((3, 4), dtype=np.int32, device=device))


def test_errors_are_numpys(device):
    x = wa.ones((2, 3), device=device)
    cases = [
        (wa.matmul, np.matmul, (2, 3), (4, 2)),
        (wa.matmul, np.matmul, (), (3,)),
        (wa.vecdot, np.vecdot, (3,), (4,)),
        (wa.matvec, np.matvec, (3,), (3,)),
        (wa.vecmat, np.vecmat, (3, 2), (3,)),
        (wa.matmul, np.matmul, (2, 2, 3), (3, 3, 4)),
    ]
    for wf, nf, sa, sb in cases:
        with pytest.raises(ValueError) as ne:
            nf(np.ones(sa), np.ones(sb))
        with pytest.raises(ValueError) as we:
            wf(wa.ones(sa, device=device), wa.ones(sb, device=device))
        if "core dimension" in str(ne.value) or "enough dimensions" in str(ne.value):
            assert str(we.value) == str(ne.value)
    assert wa.matmul.signature == np.matmul.signature


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tiled_float_products_match_numpy(device, dtype):
    """Products big enough for the GPU's tiled kernel (64×64 tiles, and
    128×128 ones from 128 such tiles up; k in steps of 16): edges that do not
    fill a tile, k not a multiple of 16, transposed,
    negative-stride and offset operands, batches, out= views, and inf/NaN.
    Small integer values keep every sum exact, so any order of additions
    gives NumPy's result bit for bit."""
    if np.dtype(dtype) not in device_dtypes(device):
        pytest.skip(f"{device} lacks {dtype}")
    rng = np.random.default_rng(21)
    dt = np.dtype(dtype)
    for m, k, n in [(64, 16, 64), (130, 37, 97), (1, 300, 4500), (4500, 3, 1), (70, 1, 200), (1450, 19, 1410)]:
        a = rng.integers(-4, 5, (m, k)).astype(dt)
        b = rng.integers(-4, 5, (k, n)).astype(dt)
        x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
        np.testing.assert_array_equal((x @ y).get(), a @ b, err_msg=f"{m}x{k}x{n}")
    # The large tile over transposed, reversed operands.
    np.testing.assert_array_equal((y.T[::-1] @ x.T[:, 3:]).get(), b.T[::-1] @ a.T[:, 3:])
    a = rng.integers(-4, 5, (3, 2, 90, 70)).astype(dt)
    b = rng.integers(-4, 5, (2, 70, 81)).astype(dt)
    a[0, 1, 5, 3] = np.inf
    a[1, 0, 7, 9] = np.nan
    b[1, 4, 2] = -np.inf
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal((x @ y).get(), a @ b)
        np.testing.assert_array_equal((x[..., ::-1, 2:] @ y[:, 2:, ::-1]).get(), a[..., ::-1, 2:] @ b[:, 2:, ::-1])
        w = rng.integers(-4, 5, (90, 60)).astype(dt)
        np.testing.assert_array_equal((x.mT @ wa.asarray(w, device=device)).get(), a.transpose(0, 1, 3, 2) @ w)
    out = wa.zeros((200, 300), dtype=dt, device=device)
    c, d = rng.integers(-4, 5, (100, 40)).astype(dt), rng.integers(-4, 5, (40, 150)).astype(dt)
    wa.matmul(wa.asarray(c, device=device), wa.asarray(d, device=device), out=out[::2, ::-2])
    want = np.zeros((200, 300), dtype=dt)
    want[::2, ::-2] = c @ d
    np.testing.assert_array_equal(out.get(), want)
    if not device.is_cpu:
        keys = device._d.kernel_keys()
        for tile in (64, 128):
            assert any(k.startswith(f"matmul{dt.name.capitalize()}d") and k.endswith(f"t{tile}") for k in keys), tile


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cpu_register_tiles_sum_in_order_like_the_plain_loop(dtype):
    """The CPU's tiled matmul (row-major b and out) accumulates each output
    over k in order, in blocks of k it resumes from: the same bits as the
    plain loop (which a column-major b takes), for random values, edges
    (rows left over in tiles of 4, 2 and 1; columns in strips of 32 and 16
    bytes and single columns), k past a block, few rows split by columns
    across threads, batches and strided operands; NumPy agrees to
    rounding."""
    cpu = wa.Device("cpu")
    rng = np.random.default_rng(22)
    dt = np.dtype(dtype)
    for shape_a, shape_b in [((37, 53), (53, 71)), ((130, 600), (600, 33)), ((4, 5, 300), (300, 64)), ((2, 64, 257), (2, 257, 48)),
                             ((6, 700), (700, 300)), ((50, 3000), (3000, 3)), ((700, 100), (100, 2))]:
        a = rng.standard_normal(shape_a).astype(dt)
        b = rng.standard_normal(shape_b).astype(dt)
        x, y = wa.asarray(a, device=cpu, copy=True), wa.asarray(b, device=cpu, copy=True)
        y_cols = wa.asarray(np.swapaxes(b, -1, -2).copy(), device=cpu, copy=True).mT
        assert not y_cols.flags["C_CONTIGUOUS"]
        tiled, plain = (x @ y).get(), (x @ y_cols).get()
        np.testing.assert_array_equal(tiled, plain, err_msg=f"{shape_a} @ {shape_b}")
        np.testing.assert_allclose(tiled, a @ b, rtol=1e-4 if dt == np.float32 else 1e-12, atol=1e-3 if dt == np.float32 else 1e-10)
    a = rng.standard_normal((90, 400)).astype(dt)
    b = rng.standard_normal((400, 80)).astype(dt)
    x, y = wa.asarray(a, device=cpu, copy=True), wa.asarray(b, device=cpu, copy=True)
    np.testing.assert_allclose((x[::-2, 3:] @ y[3:, 1::1]).get(), a[::-2, 3:] @ b[3:, 1:], rtol=1e-4, atol=1e-3)
