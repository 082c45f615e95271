"""Lazy elementwise fusion (issue 6 item 1, docs/fusion.md): ufunc results
stay pending and chains of them run as one kernel, with results identical to
the eager path; pending results are computed wherever memory is needed, and
before anything writes an array a pending result reads. The whole suite also
runs with fusion off (WGARRAY_FUSION=0, ci/test.sh)."""

import contextlib

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample


@contextlib.contextmanager
def fusion(on):
    was = wa.fusion(on)
    try:
        yield
    finally:
        wa.fusion(was)


def owned(h, device):
    """A wgarray-owned copy (arrays sharing memory with NumPy are never read lazily)."""
    return wa.asarray(h, device=device, copy=True)


def fused_and_eager(fn, *arrays):
    """``fn`` evaluated with fusion on (checked pending) and off, as NumPy arrays."""
    with fusion(True):
        r = fn(*arrays)
        assert r._a.is_pending, "an elementwise chain should stay pending"
        fused = r.get()
    with fusion(False):
        r = fn(*arrays)
        assert not r._a.is_pending
        eager = r.get()
    return fused, eager


def test_chains_stay_pending_and_match_the_eager_path_and_numpy(device):
    rng = np.random.default_rng(1)
    dtypes = [d for d in device_dtypes(device) if d in (np.float32, np.float64)]
    for dt in dtypes:
        ha, hb, hc = (sample(dt, (37, 41), rng) for _ in range(3))
        a, b, c = (owned(h, device) for h in (ha, hb, hc))
        with np.errstate(all="ignore"):
            cases = [
                (lambda a, b, c: a * b + c, ha * hb + hc),
                (lambda a, b, c: (a - b) / (c + 2) * 3, (ha - hb) / (hc + dt.type(2)) * dt.type(3)),
                (lambda a, b, c: wa.maximum(a, b) - wa.minimum(b, c), np.maximum(ha, hb) - np.minimum(hb, hc)),
                (lambda a, b, c: (a > b) & (c <= 0), (ha > hb) & (hc <= 0)),
                (lambda a, b, c: wa.where(a > 0, a, c) * -1, np.where(ha > 0, ha, hc) * dt.type(-1)),
                (lambda a, b, c: (a * 2).astype("int16") + b, (ha * dt.type(2)).astype(np.int16) + hb),
                (lambda a, b, c: abs(a) ** 0.5 + wa.floor(b), np.abs(ha) ** dt.type(0.5) + np.floor(hb)),
            ]
            for fn, want in cases:
                fused, eager = fused_and_eager(fn, a, b, c)
                np.testing.assert_array_equal(fused, eager)
                np.testing.assert_array_equal(fused, want)
            # Transcendental steps: the same kernels as the eager path.
            fused, eager = fused_and_eager(lambda a, b, c: wa.exp(a * 1e-3) * 0.5 - wa.sin(b), a, b, c)
            np.testing.assert_array_equal(fused, eager)
            np.testing.assert_allclose(fused, np.exp(ha * dt.type(1e-3)) * dt.type(0.5) - np.sin(hb), rtol=1e-5, atol=1e-6)


def test_broadcast_strided_and_scalar_leaves(device):
    rng = np.random.default_rng(2)
    h = rng.standard_normal((20, 30)).astype(np.float32)
    row = rng.standard_normal(30).astype(np.float32)
    x, r = owned(h, device), owned(row, device)
    cases = [
        (lambda: x[::2, ::-1] * r[::-1] + 1.5, h[::2, ::-1] * row[::-1] + np.float32(1.5)),
        (lambda: x.T * x.T - r[:, None], h.T * h.T - row[:, None]),
        (lambda: (x + r) * (x - r) / 3, (h + row) * (h - row) / np.float32(3)),
        (lambda: wa.expand_dims(r, 0) + x[3:4] * 2, row[None] + h[3:4] * np.float32(2)),
    ]
    for fn, want in cases:
        fused, eager = fused_and_eager(lambda *_: fn())
        np.testing.assert_array_equal(fused, eager)
        np.testing.assert_array_equal(fused, want)


def test_generated_expressions_match_the_eager_path(device):
    """Random chains over generated shapes, dtypes and special values:
    bit-identical to the unfused path, errors included."""
    rng = np.random.default_rng(3)
    dtypes = [d for d in device_dtypes(device) if d.kind in "biuf"]
    binary = ["add", "subtract", "multiply", "maximum", "minimum", "true_divide", "greater", "equal", "logical_and"]
    unary = ["negative", "absolute", "square", "sqrt", "exp", "floor", "logical_not", "sign", "isnan"]
    shapes = [(5,), (4, 5), (1, 5), (3, 1, 5), ()]
    for _ in range(60):
        leaves = []
        for _ in range(rng.integers(1, 5)):
            dt = dtypes[rng.integers(len(dtypes))]
            shape = shapes[rng.integers(len(shapes))]
            leaves.append(owned(sample(dt, shape, rng), device))
        steps = []
        for _ in range(rng.integers(1, 7)):
            if rng.random() < 0.5:
                steps.append(("u", unary[rng.integers(len(unary))], int(rng.integers(1 << 30))))
            elif rng.random() < 0.2:
                steps.append(("c", dtypes[rng.integers(len(dtypes))], 0))
            else:
                steps.append(("b", binary[rng.integers(len(binary))], int(rng.integers(1 << 30))))

        def build(leaves=leaves, steps=steps):
            vals = list(leaves)
            for kind, what, pick in steps:
                x = vals[pick % len(vals)]
                if kind == "u":
                    vals.append(getattr(wa, what)(x))
                elif kind == "c":
                    vals.append(x.astype(what))
                else:
                    vals.append(getattr(wa, what)(x, vals[(pick >> 8) % len(vals)]))
            return vals[-1]

        results = []
        for on in (True, False):
            with fusion(on), np.errstate(all="ignore"):
                try:
                    results.append(("ok", build().get()))
                except Exception as e:  # noqa: BLE001 — the classes must agree
                    results.append(("err", type(e)))
        (k1, v1), (k2, v2) = results
        assert k1 == k2, (steps, results)
        if k1 == "ok":
            assert v1.dtype == v2.dtype and v1.shape == v2.shape
            np.testing.assert_array_equal(v1, v2, err_msg=str(steps))
        else:
            assert v1 is v2


def test_narrow_dtypes_round_and_wrap_like_the_eager_path(device):
    rng = np.random.default_rng(4)
    h16 = rng.standard_normal(100).astype(np.float16)
    h8 = rng.integers(-128, 127, 100, dtype=np.int8)
    x16, x8 = owned(h16, device), owned(h8, device)
    with np.errstate(all="ignore"):
        for fn, want in [
            (lambda: (x16 * 3 + 1) * x16 - 0.1, (h16 * np.float16(3) + np.float16(1)) * h16 - np.float16(0.1)),
            (lambda: (x8 * 3 + 100) * x8, (h8 * np.int8(3) + np.int8(100)) * h8),
            (lambda: (x16.astype("float32") * 1e-3).astype("float16") + x16, (h16.astype(np.float32) * np.float32(1e-3)).astype(np.float16) + h16),
        ]:
            with fusion(True):
                fused = fn().get()
            with fusion(False):
                eager = fn().get()
            np.testing.assert_array_equal(fused, eager)
            np.testing.assert_array_equal(fused, want)


def test_shape_and_dtype_do_not_compute_a_pending_result(device):
    x = owned(np.arange(12, dtype=np.float32).reshape(3, 4), device)
    with fusion(True):
        y = x * 2 + 1
        assert (y.shape, y.dtype, y.ndim, y.size) == ((3, 4), np.float32, 2, 12)
        assert y._a.is_pending
        np.testing.assert_array_equal(y.get(), np.arange(12, dtype=np.float32).reshape(3, 4) * 2 + 1)
        assert not y._a.is_pending


def test_views_and_indexing_compute_a_pending_result(device):
    h = np.arange(24, dtype=np.float32).reshape(4, 6)
    x = owned(h, device)
    want = h * 2 + 1
    with fusion(True):
        for fn, ref in [
            (lambda y: y[1:, ::2], want[1:, ::2]),
            (lambda y: y.T, want.T),
            (lambda y: y.reshape(6, 4), want.reshape(6, 4)),
            (lambda y: y[2], want[2]),
            (lambda y: y[y > 10], want[want > 10]),
        ]:
            y = x * 2 + 1
            np.testing.assert_array_equal(fn(y).get(), ref)


@pytest.mark.parametrize("write", ["iadd", "setitem", "out", "copyto", "fill_slice"])
def test_writes_to_a_leaf_compute_its_readers_first(device, write):
    h = np.arange(10, dtype=np.float32)
    with fusion(True):
        x = owned(h, device)
        y = x * 2
        z = y + x  # reads x through y's program and directly
        w = z.astype("int32")
        assert y._a.is_pending and z._a.is_pending and w._a.is_pending
        if write == "iadd":
            x += 100
        elif write == "setitem":
            x[3] = -1
        elif write == "out":
            wa.add(x, 1, out=x)
        elif write == "copyto":
            x[...] = owned(np.zeros(10, np.float32), device)
        else:
            x[2:5] = 7
        assert not y._a.is_pending and not z._a.is_pending
        np.testing.assert_array_equal(y.get(), h * 2)
        np.testing.assert_array_equal(z.get(), h * 3)
        np.testing.assert_array_equal(w.get(), (h * 3).astype(np.int32))


def test_writes_to_a_pending_result_leave_its_dependents_alone(device):
    h = np.arange(6, dtype=np.float32)
    with fusion(True):
        x = owned(h, device)
        y = x + 1
        z = y * 10  # inlines y's program
        y[0] = 50
        y += 1
        np.testing.assert_array_equal(z.get(), (h + 1) * 10)
        want = h + 2
        want[0] = 51
        np.testing.assert_array_equal(y.get(), want)


def test_memory_numpy_can_write_is_never_read_lazily():
    h = np.arange(8, dtype=np.float32)
    with fusion(True):
        borrowed = wa.asarray(h, device="cpu")  # shares h's memory
        y = borrowed * 2
        assert not y._a.is_pending
        h[0] = 100
        np.testing.assert_array_equal(y.get(), np.arange(8, dtype=np.float32) * 2)
        x = owned(np.arange(8, dtype=np.float32), "cpu")
        y = x * 3
        assert y._a.is_pending
        view = np.asarray(x)  # a NumPy view that may write x: y is computed now
        assert not y._a.is_pending
        view[1] = -5
        np.testing.assert_array_equal(y.get(), np.arange(8, dtype=np.float32) * 3)
        assert not (x * 3)._a.is_pending, "exposed memory is read eagerly from now on"


class _ArrayLike:
    """An object whose ``__array__`` hands out memory it keeps (as a CPU
    tensor of another library does)."""

    def __init__(self, h):
        self.h = h

    def __array__(self, dtype=None, copy=None):
        return self.h


def test_host_arrays_wgarray_builds_itself_are_read_lazily_and_others_are_not():
    with fusion(True):
        # Python data and converted copies: memory only wgarray holds.
        for data in ([1.5, 2.5, -3.0], (1, 2, 3), 7.0, [[True, False]]):
            x = wa.asarray(data, device="cpu")
            y = x * 2
            assert y._a.is_pending, data
            np.testing.assert_array_equal(y.get(), np.asarray(data) * 2)
        h = np.arange(6, dtype=np.int32)
        x = wa.asarray(h, dtype="float64", device="cpu")  # a converted copy
        y = x + 1
        assert y._a.is_pending
        h[0] = 100
        np.testing.assert_array_equal(y.get(), np.arange(6, dtype=np.float64) + 1)
        # An object sharing its memory through __array__ stays exposed.
        like = _ArrayLike(np.arange(4, dtype=np.float32))
        x = wa.asarray(like, device="cpu")
        y = x * 2
        assert not y._a.is_pending
        like.h[0] = 50
        np.testing.assert_array_equal(y.get(), np.arange(4, dtype=np.float32) * 2)


def test_dlpack_export_of_a_leaf_computes_its_readers(device):
    with fusion(True):
        x = owned(np.arange(5, dtype=np.float32), device)
        y = x - 1
        x.__dlpack__()
        assert not y._a.is_pending
        np.testing.assert_array_equal(y.get(), np.arange(5, dtype=np.float32) - 1)
        if device.is_cpu:
            n = np.from_dlpack(x)
            z = x * 2
            n[0] = 9
            np.testing.assert_array_equal(z.get(), np.arange(5, dtype=np.float32) * 2)


def test_long_chains_and_many_inputs_are_capped(device):
    rng = np.random.default_rng(5)
    hs = [rng.standard_normal(50).astype(np.float32) for _ in range(12)]
    xs = [owned(h, device) for h in hs]
    with fusion(True):
        y = xs[0]
        want = hs[0]
        for i in range(80):
            y = y * 0.5 + 1
            want = want * 0.5 + 1
        np.testing.assert_array_equal(y.get(), want)
        s = xs[0]
        for x in xs[1:]:
            s = s + x
        total = hs[0]
        for h in hs[1:]:
            total = total + h
        np.testing.assert_array_equal(s.get(), total)


def test_the_switch_turns_fusion_off():
    x = owned(np.ones(4, np.float32), "cpu")
    with fusion(False):
        assert wa.fusion() is False
        assert not (x + 1)._a.is_pending
    with fusion(True):
        assert (x + 1)._a.is_pending


def test_reductions_and_other_kernels_read_pending_results(device):
    rng = np.random.default_rng(6)
    h = rng.standard_normal((30, 40)).astype(np.float32)
    x = owned(h, device)
    for on in (True, False):
        with fusion(on):
            np.testing.assert_allclose(float(np.mean(np.exp(x))), np.mean(np.exp(h.astype(np.float64))), rtol=1e-5)
            np.testing.assert_allclose(wa.sum(x * 2 + 1, axis=0).get(), np.sum(h * 2 + 1, axis=0), rtol=1e-5, atol=1e-5)
            np.testing.assert_array_equal(wa.sort(x - 1, axis=1).get(), np.sort(h - 1, axis=1))
            np.testing.assert_allclose(((x + 1) @ (x - 1).T).get(), (h + 1) @ (h - 1).T, rtol=1e-4, atol=1e-4)
            np.testing.assert_array_equal(wa.cumsum(x > 0, axis=1).get(), np.cumsum(h > 0, axis=1))


def test_one_kernel_per_expression_structure(gpu):
    rng = np.random.default_rng(7)
    d = gpu._d
    a, b, c = (owned(rng.standard_normal((16, 9)).astype(np.float32), gpu) for _ in range(3))
    with fusion(True):
        before = set(d.kernel_keys())
        r = (wa.arctan(a) * b - wa.hypot(c, a)).get()
        new = set(d.kernel_keys()) - before
        assert len(new) == 1 and "fused: Some" in new.pop(), "the chain runs as one generated kernel"
        # Other values and sizes of the same structure reuse it.
        a2, b2, c2 = (owned(rng.standard_normal((7, 30)).astype(np.float32), gpu) for _ in range(3))
        before = set(d.kernel_keys())
        r2 = (wa.arctan(a2) * b2 - wa.hypot(c2, a2)).get()
        assert set(d.kernel_keys()) == before
    with fusion(False):
        np.testing.assert_array_equal(r, (wa.arctan(a) * b - wa.hypot(c, a)).get())
        np.testing.assert_array_equal(r2, (wa.arctan(a2) * b2 - wa.hypot(c2, a2)).get())


def test_evaluate_and_synchronize_compute_pending_results(device):
    x = owned(np.arange(4, dtype=np.float32), device)
    with fusion(True):
        y, z = x + 1, x * 3
        wa.evaluate(y)
        assert not y._a.is_pending and z._a.is_pending
        wa.synchronize()
        assert not z._a.is_pending
        np.testing.assert_array_equal(z.get(), np.arange(4, dtype=np.float32) * 3)


def test_kernel_outputs_given_by_out_compute_readers_first(device):
    h = np.arange(9, dtype=np.float32).reshape(3, 3)
    with fusion(True):
        o = owned(h, device)
        m = owned(np.eye(3, dtype=np.float32) * 2, device)
        y = o + 1
        wa.matmul(m, m, out=o)
        wa.sum(m, axis=0, out=o[0])
        wa.cumsum(m, axis=1, out=o)
        np.testing.assert_array_equal(y.get(), h + 1)
        np.testing.assert_array_equal(o.get(), np.cumsum(np.eye(3, dtype=np.float32) * 2, axis=1))


# --- reductions reading pending programs (no temporary array) ---

def _reduction_cases(h, dt):
    """(name, chain over x, reduction) triples; the chain's result is reduced."""
    two = dt.type(2)
    return [
        ("sum exp", lambda x: wa.exp(x * dt.type(1e-3)), lambda y: wa.sum(y)),
        ("mean square", lambda x: x * x - two, lambda y: np.mean(y)),
        ("max", lambda x: x * two + 1, lambda y: wa.max(y)),
        ("min", lambda x: wa.abs(x) - 1, lambda y: wa.min(y)),
        ("prod", lambda x: x * dt.type(1e-3) + 1, lambda y: wa.prod(y)),
        ("count", lambda x: x > 0, lambda y: wa.sum(y)),
        ("any", lambda x: x != x, lambda y: wa.any(y)),
        ("all", lambda x: x != dt.type(7), lambda y: wa.all(y)),
    ]


@pytest.mark.parametrize("shape,axis", [
    ((100_003,), None), ((37, 300), None), ((37, 300), -1), ((37, 300), 0), ((300, 37), 0),
    ((5, 7, 300), (1, 2)), ((5, 7, 300), (0, 1)), ((5, 7, 30), 1), ((4, 3, 5, 6, 70), (1, 3)),
])
def test_reductions_of_pending_results_match_the_eager_path(device, shape, axis):
    """A reduction of a pending chain reads the chain's program as its input:
    the results are bit-identical to computing the chain and reducing it
    (fusion off), over full, inner, outer and mixed axes, sizes that take
    several passes, and NaN/inf inputs."""
    rng = np.random.default_rng(11)
    for dt in [d for d in device_dtypes(device) if d in (np.float32, np.float64, np.int32)]:
        h = sample(dt, shape, rng)
        x = owned(h, device)
        for name, chain, red in _reduction_cases(h, dt):
            if dt.kind == "i" and name in ("sum exp", "prod", "any"):
                continue
            results = []
            for on in (True, False):
                with fusion(on), np.errstate(all="ignore"):
                    y = chain(x)
                    r = red(y) if axis is None else red_axis(red, y, axis)
                    results.append(r.get())
            np.testing.assert_array_equal(results[0], results[1], err_msg=f"{name} {dt} {shape} {axis}")
            assert results[0].dtype == results[1].dtype


def red_axis(red, y, axis):
    """``red`` with ``axis=`` (the cases' reductions are wa/np functions of y)."""
    fn = {"sum": wa.sum, "mean": wa.mean, "max": wa.max, "min": wa.min, "prod": wa.prod, "any": wa.any, "all": wa.all}
    probe = red.__code__.co_names
    for name in ("mean", "sum", "max", "min", "prod", "any", "all"):
        if name in probe:
            return fn[name](y, axis=axis)
    raise AssertionError(probe)


def test_a_reduced_pending_result_stays_pending_and_agrees_with_numpy(device):
    """The fused reduction does not compute (store) the pending result it
    reads; computing it later gives the same values; NumPy agrees."""
    rng = np.random.default_rng(12)
    h = rng.standard_normal((64, 1000)).astype(np.float32)
    x = owned(h, device)
    with fusion(True):
        y = wa.exp(x) * 0.5
        s_all, s_rows, s_cols = wa.sum(y), wa.sum(y, axis=1), wa.mean(y, axis=0)
        assert y._a.is_pending, "reducing a pending result should not compute it"
        want = np.exp(h) * np.float32(0.5)
        np.testing.assert_allclose(float(s_all), want.astype(np.float64).sum(), rtol=1e-5)
        np.testing.assert_allclose(s_rows.get(), want.sum(axis=1), rtol=1e-5)
        np.testing.assert_allclose(s_cols.get(), want.mean(axis=0), rtol=1e-5)
        np.testing.assert_array_equal(y.get(), (wa.exp(owned(h, device)) * 0.5).get())
        # np.mean(np.exp(x)) through NumPy's protocols: one fused reduction.
        m = np.mean(np.exp(x))
        assert isinstance(m, wa.ndarray)
        np.testing.assert_allclose(float(m), np.mean(np.exp(h.astype(np.float64))), rtol=1e-5)
        # A write to a leaf after the reduction: the pending result still
        # sees the leaf's old values (computed before the write).
        z = x + 1
        float(wa.sum(z))
        x[0, 0] = 1000.0
        assert z.get()[0, 0] == np.float32(h[0, 0] + 1)


def test_reductions_of_pending_results_with_options(device):
    """dtype=, keepdims=, initial=, where= and out= on a pending input: the
    eager results (where= merges the input first, so it is computed)."""
    rng = np.random.default_rng(13)
    h = rng.standard_normal((30, 500)).astype(np.float32)
    x = owned(h, device)
    mask = owned(rng.integers(0, 2, (30, 500)).astype(bool), device)
    wide = np.float64 if device.info["f64"] else np.float32
    results = []
    for on in (True, False):
        with fusion(on):
            out = wa.zeros(30, dtype=np.float32, device=device)
            wa.sum(x * 2, axis=1, out=out)
            results.append([
                wa.sum(x * 2, dtype=wide).get(),
                wa.sum(x * 2, axis=1, keepdims=True).get(),
                wa.max(x - 1, axis=0, initial=0.5).get(),
                wa.sum(x + 1, where=mask).get(),
                wa.add.reduce(x * 3, axis=0).get(),
                np.subtract.reduce(x * 3, axis=1).get(),
                wa.sum((x * 2).astype(np.float16)).get(),
                out.get(),
            ])
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    np.testing.assert_allclose(results[0][0], (h.astype(np.float64) * 2).sum(), rtol=1e-5)
