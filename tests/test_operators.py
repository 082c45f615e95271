"""The ndarray's operators and their in-place forms call the ufuncs, with
NumPy's results, NEP 50 scalars, and NumPy's errors."""

import operator

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
          operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift,
          operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge, divmod]
IN_PLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv, operator.imod,
            operator.iand, operator.ior, operator.ixor, operator.ilshift, operator.irshift]
UNARY = [operator.neg, operator.pos, operator.abs, operator.invert]


def public_class(e: Exception) -> type:
    """NumPy's exception class as users catch it: its nearest built-in base
    (NumPy's UFuncTypeError family are private TypeError subclasses)."""
    import builtins

    return next(c for c in type(e).__mro__ if getattr(builtins, c.__name__, None) is c)


def outcome(f, *args):
    with np.errstate(all="ignore"):
        try:
            return f(*args), None
        except Exception as e:
            return None, public_class(e)


def same(got, want, what):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), what
        for g, w in zip(got, want):
            same(g, w, what)
        return
    assert isinstance(got, wa.ndarray), what
    h = got.get()
    w = np.asarray(want)
    assert h.dtype == w.dtype, (what, h.dtype, w.dtype)
    np.testing.assert_array_equal(h, w, err_msg=str(what))


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
def test_binary_operators(device, op):
    rng = np.random.default_rng(2)
    dts = [d for d in device_dtypes(device) if d.kind in "biuf"]
    for da in dts:
        a = sample(da, (3, 4), rng, special=False)
        for other in (sample(da, (4,), rng, special=False), 3, 2.5, True):
            if isinstance(other, np.ndarray):
                b = wa.asarray(other, device=device)
            else:
                b = other
            want, err = outcome(op, a, other)
            x = wa.asarray(a, device=device)
            if err is not None:
                with pytest.raises(err):
                    op(x, b)
                continue
            if isinstance(want, (tuple, np.ndarray)) and np.asarray(want[0] if isinstance(want, tuple) else want).dtype == np.float64 and not device.info["f64"]:
                continue
            same(op(x, b), want, (op.__name__, da, type(other).__name__))
            if not isinstance(other, np.ndarray):
                rwant, rerr = outcome(op, other, a)
                if rerr is None:
                    same(op(other, x), rwant, ("reflected", op.__name__, da, other))


@pytest.mark.parametrize("op", IN_PLACE, ids=lambda f: f.__name__)
def test_in_place_operators_keep_the_array_and_cast_like_numpy(device, op):
    rng = np.random.default_rng(3)
    for da in device_dtypes(device):
        for other in (2, 1.5, sample(da, (4,), rng, special=False)):
            a = sample(da, (3, 4), rng, special=False)
            want, err = outcome(op, a.copy(), other)
            x = wa.asarray(a, device=device)
            b = wa.asarray(other, device=device) if isinstance(other, np.ndarray) else other
            if err is not None:
                with pytest.raises(err):
                    op(x, b)
                continue
            r = op(x, b)
            assert r is x
            same(x, want, (op.__name__, da, other))


def test_in_place_int_plus_float_is_numpys_type_error(device):
    x = wa.zeros(3, dtype=np.int32, device=device)
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output from dtype\\('float64'\\) to dtype\\('int32'\\)") if device.info["f64"] else pytest.raises(TypeError):
        x += 1.5


@pytest.mark.parametrize("op", UNARY, ids=lambda f: f.__name__)
def test_unary_operators(device, op):
    rng = np.random.default_rng(4)
    for da in device_dtypes(device):
        a = sample(da, (5,), rng, special=False)
        want, err = outcome(op, a)
        x = wa.asarray(a, device=device)
        if err is not None:
            with pytest.raises(err) as e:
                op(x)
            continue
        same(op(x), want, (op.__name__, da))


def test_bool_subtract_and_negative_are_numpys_type_errors(device):
    b = wa.asarray([True, False], device=device)
    with pytest.raises(TypeError, match="numpy boolean subtract, the `-` operator, is not supported"):
        b - b
    with pytest.raises(TypeError, match="The numpy boolean negative, the `-` operator, is not supported"):
        -b


def test_power_operator_and_fast_paths(device):
    f = np.float64 if device.info["f64"] else np.float32
    a = np.array([-0.0, 0.0, 2.0, 9.0, -4.0], dtype=f)
    x = wa.asarray(a, device=device)
    with np.errstate(all="ignore"):
        for e in (2, 0.5, -1, 1, 2.0):
            same(x ** e, a ** e, ("**", e))
            np.testing.assert_array_equal(np.signbit((x ** e).get()), np.signbit(a ** e))
    i = np.array([3, -2, 0, 7], dtype=np.int32)
    xi = wa.asarray(i, device=device)
    same(xi ** 2, i ** 2, "int ** 2")
    same(xi ** 3, i ** 3, "int ** 3")
    same(2 ** wa.asarray(np.int32([0, 1, 5]), device=device), 2 ** np.int32([0, 1, 5]), "2 ** int")
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed."):
        xi ** wa.asarray(np.int32([1, -1, 1, 1]), device=device)
    y = xi.copy()
    y **= 2
    same(y, i ** 2, "**=")
    with pytest.raises(TypeError):
        pow(x, 2, 3)


def test_comparisons_return_bool_arrays_and_mixed_signs_compare_exactly(device):
    if not device.info["i64"]:
        pytest.skip("needs int64")
    big = np.array([2**63 - 1, -1, 0, 5], dtype=np.int64)
    ubig = np.array([2**63, 2**64 - 1, 0, 5], dtype=np.uint64)
    x, y = wa.asarray(big, device=device), wa.asarray(ubig, device=device)
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        same(op(x, y), op(big, ubig), op.__name__)
        same(op(y, x), op(ubig, big), op.__name__)
