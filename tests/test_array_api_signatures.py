"""The array API standard's (2024.12) core namespace (not its linalg and fft
extensions) in ``wgarray``: every function exists, and ``inspect.signature``
shows the standard's parameter names, positional-only / keyword-only
markers and defaults. The signatures are the standard's stubs
(data-apis/array-api, src/array_api_stubs/_2024_12).

wgarray serves NumPy's functions too, so a signature may go on past the
standard's with NumPy's extras: keyword-only ones after the standard's
keywords (``out=``, ``where=``, ``ddof=`` …), and for ufuncs NumPy's
positional ``out``. ``np.f(wgarray_array, ...)`` keeps NumPy's own
signature through ``__array_function__`` (tests/test_numpy_overrides.py)."""

import inspect
import math

import numpy as np
import pytest

import wgarray as wa

UNARY = """abs acos acosh asin asinh atan atanh bitwise_invert ceil conj cos cosh exp expm1 floor imag isfinite
isinf isnan log log1p log2 log10 logical_not negative positive real reciprocal round sign signbit sin sinh square
sqrt tan tanh trunc""".split()

BINARY = """add atan2 bitwise_and bitwise_left_shift bitwise_or bitwise_right_shift bitwise_xor copysign divide equal
floor_divide greater greater_equal hypot less less_equal logaddexp logical_and logical_or logical_xor maximum
minimum multiply nextafter not_equal pow remainder subtract""".split()

# name -> the standard's parameter list, as Python writes it.
SIGNATURES = {
    **{name: "x, /" for name in UNARY},
    **{name: "x1, x2, /" for name in BINARY},
    "clip": "x, /, min=None, max=None",
    # creation
    "arange": "start, /, stop=None, step=1, *, dtype=None, device=None",
    "asarray": "obj, /, *, dtype=None, device=None, copy=None",
    "empty": "shape, *, dtype=None, device=None",
    "empty_like": "x, /, *, dtype=None, device=None",
    "eye": "n_rows, n_cols=None, /, *, k=0, dtype=None, device=None",
    "from_dlpack": "x, /, *, device=None, copy=None",
    "full": "shape, fill_value, *, dtype=None, device=None",
    "full_like": "x, /, fill_value, *, dtype=None, device=None",
    "linspace": "start, stop, /, num, *, dtype=None, device=None, endpoint=True",
    "meshgrid": "*arrays, indexing='xy'",
    "ones": "shape, *, dtype=None, device=None",
    "ones_like": "x, /, *, dtype=None, device=None",
    "tril": "x, /, *, k=0",
    "triu": "x, /, *, k=0",
    "zeros": "shape, *, dtype=None, device=None",
    "zeros_like": "x, /, *, dtype=None, device=None",
    # data type functions
    "astype": "x, dtype, /, *, copy=True, device=None",
    "can_cast": "from_, to, /",
    "finfo": "type, /",
    "iinfo": "type, /",
    "isdtype": "dtype, kind",
    "result_type": "*arrays_and_dtypes",
    # indexing
    "take": "x, indices, /, *, axis=None",
    "take_along_axis": "x, indices, /, *, axis=-1",
    # linear algebra (main namespace)
    "matmul": "x1, x2, /",
    "matrix_transpose": "x, /",
    "tensordot": "x1, x2, /, *, axes=2",
    "vecdot": "x1, x2, /, *, axis=-1",
    # manipulation
    "broadcast_arrays": "*arrays",
    "broadcast_to": "x, /, shape",
    "concat": "arrays, /, *, axis=0",
    "expand_dims": "x, /, axis",
    "flip": "x, /, *, axis=None",
    "moveaxis": "x, source, destination, /",
    "permute_dims": "x, /, axes",
    "repeat": "x, repeats, /, *, axis=None",
    "reshape": "x, /, shape, *, copy=None",
    "roll": "x, /, shift, *, axis=None",
    "squeeze": "x, /, axis",
    "stack": "arrays, /, *, axis=0",
    "tile": "x, repetitions, /",
    "unstack": "x, /, *, axis=0",
    # searching
    "argmax": "x, /, *, axis=None, keepdims=False",
    "argmin": "x, /, *, axis=None, keepdims=False",
    "count_nonzero": "x, /, *, axis=None, keepdims=False",
    "nonzero": "x, /",
    "where": "condition, x1, x2, /",
    "searchsorted": "x1, x2, /, *, side='left', sorter=None",
    # sorting and sets
    "argsort": "x, /, *, axis=-1, descending=False, stable=True",
    "sort": "x, /, *, axis=-1, descending=False, stable=True",
    "unique_all": "x, /",
    "unique_counts": "x, /",
    "unique_inverse": "x, /",
    "unique_values": "x, /",
    # statistical
    "cumulative_prod": "x, /, *, axis=None, dtype=None, include_initial=False",
    "cumulative_sum": "x, /, *, axis=None, dtype=None, include_initial=False",
    "max": "x, /, *, axis=None, keepdims=False",
    "mean": "x, /, *, axis=None, keepdims=False",
    "min": "x, /, *, axis=None, keepdims=False",
    "prod": "x, /, *, axis=None, dtype=None, keepdims=False",
    "std": "x, /, *, axis=None, correction=0.0, keepdims=False",
    "sum": "x, /, *, axis=None, dtype=None, keepdims=False",
    "var": "x, /, *, axis=None, correction=0.0, keepdims=False",
    # utility
    "all": "x, /, *, axis=None, keepdims=False",
    "any": "x, /, *, axis=None, keepdims=False",
    "diff": "x, /, *, axis=-1, n=1, prepend=None, append=None",
}

# Parameters the standard requires that wgarray lets callers leave out: the
# value is wgarray's default and why. Any other required parameter must stay
# required.
EXTRA_DEFAULTS = {
    ("linspace", "num"): 50,  # NumPy's default
    ("squeeze", "axis"): None,  # NumPy's: every length-1 axis
    ("where", "x1"): None,  # NumPy's one-argument where(condition) = nonzero(condition)
    ("where", "x2"): None,
    # The 2024.12 standard as published had ``expand_dims(x, /, *, axis=0)``;
    # its stubs have since made ``axis`` required and positional-or-keyword.
    # ``(x, /, axis=0)`` serves both.
    ("expand_dims", "axis"): 0,
}

POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
              inspect.Parameter.VAR_POSITIONAL)


def standard(spec: str) -> inspect.Signature:
    namespace = {}
    exec(f"def f({spec}): pass", namespace)  # noqa: S102 — the table above, nothing else
    return inspect.signature(namespace["f"])


def same_default(got, want) -> bool:
    return type(got) is type(want) and (got == want or got is want)


def test_table_is_the_standards_core_namespace():
    # 67 elementwise, 16 creation, 6 data type, 2 indexing, 4 linear algebra,
    # 14 manipulation, 6 searching, 4 set, 2 sorting, 9 statistical and 3
    # utility functions.
    assert len(SIGNATURES) == 133
    for name, spec in SIGNATURES.items():
        standard(spec)  # each entry parses
    assert set(UNARY).isdisjoint(BINARY)


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_signature_is_the_standards(name):
    assert hasattr(wa, name), f"wgarray.{name} is missing"
    f = getattr(wa, name)
    assert callable(f)
    got = list(inspect.signature(f).parameters.values())
    want = list(standard(SIGNATURES[name]).parameters.values())

    def split(params):
        return [p for p in params if p.kind in POSITIONAL], [p for p in params if p.kind not in POSITIONAL]

    (got_pos, got_kw), (want_pos, want_kw) = split(got), split(want)
    assert len(got_pos) >= len(want_pos) and len(got_kw) >= len(want_kw), (name, got, want)
    for w, g in zip(want_pos + want_kw, got_pos[: len(want_pos)] + got_kw[: len(want_kw)]):
        assert (g.name, g.kind) == (w.name, w.kind), (name, str(g), str(w))
        if w.default is not inspect.Parameter.empty:
            assert same_default(g.default, w.default), (name, str(g), str(w))
        elif g.default is not inspect.Parameter.empty:
            assert (name, w.name) in EXTRA_DEFAULTS, (name, f"{g} has a default the standard does not give")
            assert same_default(g.default, EXTRA_DEFAULTS[(name, w.name)]), (name, str(g))

    # NumPy's extras: never needed by a call the standard allows.
    for p in got_pos[len(want_pos):]:
        assert isinstance(f, wa.ufunc) and p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (
            name, f"extra positional parameter {p}")  # only a ufunc's positional `out`, as NumPy's
        assert p.default is not inspect.Parameter.empty, (name, str(p))
    for p in got_kw[len(want_kw):]:
        assert p.kind is inspect.Parameter.VAR_KEYWORD or p.default is not inspect.Parameter.empty, (name, str(p))
    if any(w.kind is inspect.Parameter.VAR_POSITIONAL for w in want):
        assert [p.name for p in got_pos] == [p.name for p in want_pos], name


def test_extra_defaults_are_used():
    for name, param in EXTRA_DEFAULTS:
        assert inspect.signature(getattr(wa, name)).parameters[param].default == EXTRA_DEFAULTS[(name, param)]


def test_ufunc_signatures_are_numpys_shape():
    assert str(inspect.signature(wa.add)) == "(x1, x2, /, out=None, *, where=True, casting='same_kind', dtype=None)"
    assert str(inspect.signature(wa.sin)) == "(x, /, out=None, *, where=True, casting='same_kind', dtype=None)"
    for name in UNARY + BINARY + ["matmul", "vecdot"]:
        f = getattr(wa, name)
        if isinstance(f, wa.ufunc):
            nin = len([p for p in inspect.signature(f).parameters.values()
                       if p.kind is inspect.Parameter.POSITIONAL_ONLY])
            assert nin == f.nin, name


def test_constants():
    for name, value in (("e", math.e), ("inf", math.inf), ("pi", math.pi)):
        assert type(getattr(wa, name)) is float and getattr(wa, name) == value
    assert type(wa.nan) is float and math.isnan(wa.nan)
    assert wa.newaxis is None


def test_dtype_objects_and_namespace():
    kinds = {
        "bool": "bool", "int8": "signed integer", "int16": "signed integer", "int32": "signed integer",
        "int64": "signed integer", "uint8": "unsigned integer", "uint16": "unsigned integer",
        "uint32": "unsigned integer", "uint64": "unsigned integer", "float32": "real floating",
        "float64": "real floating",
    }
    for name, kind in kinds.items():
        dt = getattr(wa, name)
        assert np.dtype(dt) == np.dtype(name)
        assert wa.isdtype(dt, kind)
        assert wa.isdtype(dt, "numeric") == (name != "bool")
    assert wa.__array_api_version__ == "2024.12"
    info = wa.__array_namespace_info__()
    assert callable(info.capabilities) and callable(info.default_dtypes)
    x = wa.asarray([1, 2], device="cpu")
    assert x.__array_namespace__() is wa
    for name in SIGNATURES:
        assert name in wa.__all__, name
    for name in ("e", "inf", "nan", "pi", "newaxis"):
        assert name in wa.__all__, name
