"""add, multiply and exp — as functions and operators — on every device,
with broadcasting, strides, NEP 50 scalars, out= and in-place operators.
(The full ufunc table is a later issue; this proves the path end to end.)"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import wgarray as wa
from conftest import DEVICES, device_dtypes, sample

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(got, expected, rtol=None):
    host = got.get()
    assert host.dtype == expected.dtype, (host.dtype, expected.dtype)
    assert host.shape == expected.shape
    if expected.dtype.kind == "f":
        tol = {2: 1e-3, 4: 4e-7, 8: 1e-15}[expected.dtype.itemsize] if rtol is None else rtol
        np.testing.assert_allclose(host, expected, rtol=tol, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(host, expected)


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
@SETTINGS
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=5),
       dt=st.sampled_from(["float32", "float64"]), data=st.data())
def test_add_multiply_broadcast(device, shapes, dt, data):
    if dt == "float64" and not device.info["f64"]:
        return
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    a = sample(dt, shapes.input_shapes[0], rng)
    b = sample(dt, shapes.input_shapes[1], rng)
    x, y = wa.asarray(a, device=device), wa.asarray(b, device=device)
    with np.errstate(all="ignore"):
        check(wa.add(x, y), np.add(a, b))
        check(x + y, a + b)
        check(wa.multiply(x, y), np.multiply(a, b))
        check(x * y, a * b)


def test_every_dtype_pair_promotes_like_numpy(device):
    rng = np.random.default_rng(5)
    dts = device_dtypes(device)
    for da in dts:
        for db in dts:
            if np.result_type(da, db) not in dts:
                continue
            a, b = sample(da, (17,), rng), sample(db, (17,), rng)
            with np.errstate(all="ignore"):
                check(wa.asarray(a, device=device) + wa.asarray(b, device=device), a + b)
                check(wa.asarray(a, device=device) * wa.asarray(b, device=device), a * b)


def test_exp_matches_numpy(device):
    rng = np.random.default_rng(11)
    for dt in device_dtypes(device):
        if dt.kind == "b" or (dt.itemsize == 8 and dt.kind in "iu" and not device.info["f64"]):
            continue
        if dt.kind == "f":
            a = sample(dt, (1000,), rng)
            finite = np.finfo(dt)
            a = np.concatenate([a, np.linspace(np.log(finite.tiny) * 1.05, np.log(finite.max) * 0.999, 500).astype(dt)])
        else:
            a = np.arange(-20, 20).astype(dt) if dt.kind == "i" else np.arange(0, 40).astype(dt)
        with np.errstate(all="ignore"):
            e = np.exp(a)
        check(wa.exp(wa.asarray(a, device=device)), e, rtol=1e-3 if e.dtype == np.float16 else 4 * np.finfo(e.dtype).eps)


def test_exp_strided_and_float64_specials(device):
    a = np.linspace(-30, 30, 60).reshape(6, 10)
    if not device.info["f64"]:
        a = a.astype(np.float32)
    x = wa.asarray(a, device=device)
    check(wa.exp(x[::-2, 1::3]), np.exp(a[::-2, 1::3]), rtol=4 * np.finfo(a.dtype).eps)
    if device.info["f64"]:
        s = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 709.7, 709.79, -745.2, -740.0, -708.5, 1e-300, 5e-324])
        with np.errstate(all="ignore"):
            e = np.exp(s)
        got = wa.exp(wa.asarray(s, device=device)).get()
        np.testing.assert_allclose(got, e, rtol=4e-16, atol=0, equal_nan=True)
        assert got[7] == 0.0 and np.isinf(got[6])


def test_nep50_python_scalars(device):
    i8 = wa.asarray(np.array([1, 2, 3], dtype=np.int8), device=device)
    f4 = wa.asarray(np.array([1, 2, 3], dtype=np.float32), device=device)
    check(i8 + 1, np.array([1, 2, 3], dtype=np.int8) + 1)
    check(2 * i8, 2 * np.array([1, 2, 3], dtype=np.int8))
    check(f4 + 1.5, np.array([1, 2, 3], dtype=np.float32) + 1.5)
    check(f4 * 2, np.array([1, 2, 3], dtype=np.float32) * 2)
    with pytest.raises(OverflowError, match="Python integer 1000 out of bounds for int8"):
        i8 + 1000
    u1 = wa.asarray(np.array([1], dtype=np.uint8), device=device)
    with pytest.raises(OverflowError):
        u1 + (-1)
    b = wa.asarray([True, False], device=device)
    assert (b + 1).dtype == (np.array([True, False]) + 1).dtype or not device.info["i64"]
    if device.info["f64"]:
        check(i8 + 1.5, np.array([1, 2, 3], dtype=np.int8) + 1.5)


def test_out_and_in_place(device):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = wa.asarray(a, device=device)
    out = wa.empty((2, 3), dtype=np.float32, device=device)
    r = wa.add(x, x, out=out)
    assert r is out
    check(out, a + a)
    wa.multiply(x, 2, out=(out,))
    check(out, a * 2)
    y = x.copy()
    y += 1
    y *= y
    check(y, (a + 1) * (a + 1))
    i = wa.asarray(np.arange(6, dtype=np.int64).reshape(2, 3), device=device) if device.info["i64"] else None
    if i is not None:
        with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output from dtype\\('float64'\\) to dtype\\('int64'\\) with casting rule 'same_kind'"):
            i += 1.5
    # Overlapping output and input: NumPy's answer.
    b = a.copy().ravel()
    z = wa.asarray(b.copy(), device=device)
    np.add(b[1:], b[:-1], out=b[1:])
    wa.add(z[1:], z[:-1], out=z[1:])
    check(z, b)
    with pytest.raises(ValueError, match="non-broadcastable output operand with shape \\(3,\\) doesn't match the broadcast shape \\(2,3\\)"):
        wa.add(x, x, out=wa.empty(3, dtype=np.float32, device=device))
    with pytest.raises(ValueError, match="read-only"):
        wa.add(x, x, out=wa.broadcast_to(x[0], (2, 3)))


def test_ufunc_objects_and_errors(device):
    assert wa.add.nin == 2 and wa.add.nout == 1 and wa.add.nargs == 3 and wa.add.identity == 0
    assert wa.multiply.identity == 1 and wa.exp.identity is None
    assert wa.exp.types == ["e->e", "f->f", "d->d"]
    assert wa.add.ntypes == len(wa.add.types)
    assert repr(wa.exp) == "<ufunc 'exp'>" and wa.exp.__name__ == "exp"
    x = wa.ones(3, device=device)
    with pytest.raises(TypeError):
        wa.add(x)
    with pytest.raises(ValueError, match="operands could not be broadcast together with shapes \\(3,\\) \\(2,\\) "):
        x + wa.ones(2, device=device)
    assert x.__add__(object()) is NotImplemented
    with pytest.raises(TypeError):
        x + object()
    with pytest.raises(TypeError):
        x + 1j  # complex is not a wgarray dtype yet
    with pytest.raises(TypeError):
        wa.add(x, 1j)


def test_mixing_devices_and_numpy(device):
    x = wa.ones(3, dtype=np.float32, device=device)
    if device.is_cpu:
        check(x + np.arange(3, dtype=np.float32), np.ones(3, np.float32) + np.arange(3, dtype=np.float32))
    else:
        with pytest.raises(TypeError, match="no implicit host-to-device copy"):
            x + np.arange(3, dtype=np.float32)
        with pytest.raises(ValueError, match="different devices"):
            x + wa.ones(3, dtype=np.float32, device="cpu")


def test_ufunc_table_drives_python_namespace():
    from wgarray import _native

    table, _aliases = _native.ufunc_table()
    assert {row[0] for row in table} <= set(dir(wa))
    for name, nin, nout, identity, types, signature in table:
        f = getattr(wa, name)
        assert (f.nin, f.nout, f.identity, f.types, f.signature) == (nin, nout, identity, types, signature)
        npf = getattr(np, name)
        assert (f.nin, f.nout, f.identity, f.signature) == (npf.nin, npf.nout, npf.identity, npf.signature)
        # Every loop wgarray has is one NumPy has, in NumPy's order.
        ours = list(dict.fromkeys(t for t in npf.types if t in types))
        assert ours == types, name
