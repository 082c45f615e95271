"""NumPy functions composed from wgarray's views, copies, ufuncs and
reductions, so they run on the arrays' device: shape and joining
(moveaxis swapaxes atleast_*d broadcast_arrays concatenate stack vstack
hstack dstack column_stack split array_split), rearranging (flip fliplr
flipud rot90 roll tile meshgrid tril triu), logic (clip isclose allclose
array_equal nan_to_num round around) and products (dot vdot inner outer
tensordot average)."""

from __future__ import annotations

import builtins
import operator

import numpy as np

from ._ndarray import ndarray


def _u():
    from . import _UFUNCS

    return _UFUNCS


def _arrays(name, *xs):
    from ._ufunc import _operands

    return _operands(name, list(xs), None)


def _axis(axis, ndim):
    a = operator.index(axis)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(f"axis {a} is out of bounds for array of dimension {ndim}")
    return a % ndim


# --- shape ----------------------------------------------------------------------------

def moveaxis(a, source, destination):
    """``np.moveaxis``: a view with axes moved."""
    (x,) = _arrays("moveaxis", a)
    src = [_axis(s, x.ndim) for s in (source if isinstance(source, (tuple, list)) else [source])]
    dst = [_axis(d, x.ndim) for d in (destination if isinstance(destination, (tuple, list)) else [destination])]
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = [n for n in range(x.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return x.transpose(tuple(order))


def swapaxes(a, axis1, axis2):
    """``np.swapaxes``: a view with two axes exchanged."""
    (x,) = _arrays("swapaxes", a)
    order = list(range(x.ndim))
    i, j = _axis(axis1, x.ndim), _axis(axis2, x.ndim)
    order[i], order[j] = order[j], order[i]
    return x.transpose(tuple(order))


def _atleast(n, arys):
    out = []
    for a in arys:
        (x,) = _arrays(f"atleast_{n}d", a)
        if x.ndim < n:
            shape = {1: lambda s: (1,), 2: lambda s: (1,) + s if len(s) == 1 else (1, 1),
                     3: lambda s: ((1, 1, 1) if not s else (1,) + s + (1,) if len(s) == 1 else s + (1,))}[n](x.shape)
            x = x.reshape(shape)
        out.append(x)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys):
    return _atleast(1, arys)


def atleast_2d(*arys):
    return _atleast(2, arys)


def atleast_3d(*arys):
    return _atleast(3, arys)


def broadcast_arrays(*args, subok=False):
    """``np.broadcast_arrays``: read-only broadcast views."""
    from ._manipulation import broadcast_to

    xs = _arrays("broadcast_arrays", *args)
    shape = np.broadcast_shapes(*[x.shape for x in xs])
    return tuple(broadcast_to(x, shape) for x in xs)


# --- joining and splitting ----------------------------------------------------------------

def concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``np.concatenate``: one new array, each input copied into its slice."""
    from ._creation import empty

    xs = _arrays("concatenate", *arrays)
    if not xs:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        xs = [x.reshape(-1) if x.flags.c_contiguous else x.copy().reshape(-1) for x in xs]
        axis = 0
    if xs[0].ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    ax = _axis(axis, xs[0].ndim)
    for i, x in enumerate(xs[1:], 1):
        if x.ndim != xs[0].ndim:
            raise ValueError(
                "all the input array dimensions except for the concatenation axis must match exactly, but along "
                f"dimension 0, the array at index 0 has {xs[0].ndim} dimension(s) and the array at index {i} has "
                f"{x.ndim} dimension(s)")
        for d in range(x.ndim):
            if d != ax and x.shape[d] != xs[0].shape[d]:
                raise ValueError(
                    "all the input array dimensions except for the concatenation axis must match exactly, but along "
                    f"dimension {d}, the array at index 0 has size {xs[0].shape[d]} and the array at index {i} has "
                    f"size {x.shape[d]}")
    dt = np.dtype(dtype) if dtype is not None else np.result_type(*[x.dtype for x in xs])
    for x in xs:
        if not np.can_cast(x.dtype, dt, casting):
            raise TypeError(f"Cannot cast array data from dtype('{x.dtype}') to dtype('{dt}') according to the rule "
                            f"'{casting}'")
    shape = list(xs[0].shape)
    shape[ax] = builtins.sum(x.shape[ax] for x in xs)
    res = empty(tuple(shape), dtype=dt, device=xs[0].device) if out is None else out
    start = 0
    for x in xs:
        idx = [slice(None)] * len(shape)
        idx[ax] = slice(start, start + x.shape[ax])
        res[tuple(idx)] = x
        start += x.shape[ax]
    return res


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``np.stack``: join along a new axis."""
    xs = _arrays("stack", *arrays)
    if not xs:
        raise ValueError("need at least one array to stack")
    if builtins.any(x.shape != xs[0].shape for x in xs):
        raise ValueError("all input arrays must have the same shape")
    ax = _axis(axis, xs[0].ndim + 1)
    return concatenate([x.reshape(x.shape[:ax] + (1,) + x.shape[ax:]) for x in xs], axis=ax, out=out, dtype=dtype,
                       casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    return concatenate(list(atleast_2d(*tup)) if len(tup) > 1 else [atleast_2d(*tup)], axis=0, dtype=dtype,
                       casting=casting)


def hstack(tup, *, dtype=None, casting="same_kind"):
    xs = [atleast_1d(t) for t in tup]
    return concatenate(xs, axis=0 if xs and xs[0].ndim == 1 else 1, dtype=dtype, casting=casting)


def dstack(tup):
    xs = [atleast_3d(t) for t in tup]
    return concatenate(xs, axis=2)


def column_stack(tup):
    xs = []
    for t in tup:
        (x,) = _arrays("column_stack", t)
        xs.append(x.reshape((x.shape[0], 1)) if x.ndim < 2 else x)
    return concatenate(xs, axis=1)


def array_split(ary, indices_or_sections, axis=0):
    """``np.array_split``: views of consecutive pieces."""
    (x,) = _arrays("array_split", ary)
    ax = _axis(axis, x.ndim)
    n = x.shape[ax]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extra = divmod(n, sections)
        bounds = [0]
        for i in range(sections):
            bounds.append(bounds[-1] + each + (1 if i < extra else 0))
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    pieces = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        idx = [slice(None)] * x.ndim
        idx[ax] = slice(lo, hi)
        pieces.append(x[tuple(idx)])
    return pieces


def split(ary, indices_or_sections, axis=0):
    """``np.split``: ``array_split`` that requires equal sections."""
    (x,) = _arrays("split", ary)
    if isinstance(indices_or_sections, (int, np.integer)) and x.shape[_axis(axis, x.ndim)] % int(indices_or_sections):
        raise ValueError("array split does not result in an equal division")
    return array_split(x, indices_or_sections, axis)


# --- rearranging ------------------------------------------------------------------------

def flip(m, axis=None):
    """``np.flip``: a negative-stride view."""
    (x,) = _arrays("flip", m)
    axes = range(x.ndim) if axis is None else [_axis(a, x.ndim) for a in (axis if isinstance(axis, tuple) else (axis,))]
    idx = [slice(None)] * x.ndim
    for a in axes:
        idx[a] = slice(None, None, -1)
    return x[tuple(idx)]


def fliplr(m):
    (x,) = _arrays("fliplr", m)
    if x.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return flip(x, 1)


def flipud(m):
    (x,) = _arrays("flipud", m)
    if x.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return flip(x, 0)


def rot90(m, k=1, axes=(0, 1)):
    """``np.rot90``: flips and a transpose (views)."""
    (x,) = _arrays("rot90", m)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    a0, a1 = _axis(axes[0], x.ndim), _axis(axes[1], x.ndim)
    if a0 == a1:
        raise ValueError("Axes must be different.")
    k %= 4
    if k == 0:
        return x[...]
    if k == 2:
        return flip(flip(x, a0), a1)
    order = list(range(x.ndim))
    order[a0], order[a1] = order[a1], order[a0]
    return flip(x, a1).transpose(tuple(order)) if k == 1 else flip(x.transpose(tuple(order)), a1)


def roll(a, shift, axis=None):
    """``np.roll``: the two pieces copied into a new array."""
    (x,) = _arrays("roll", a)
    if axis is None:
        flat = x.reshape(-1) if x.flags.c_contiguous else x.copy().reshape(-1)
        return roll(flat, shift, 0).reshape(x.shape)
    shifts = shift if isinstance(shift, tuple) else (shift,)
    axes = axis if isinstance(axis, tuple) else (axis,)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(axes) == 1 and len(shifts) > 1:
        axes = axes * len(shifts)
    res = x
    for s, ax in zip(shifts, axes):
        ax = _axis(ax, x.ndim)
        n = res.shape[ax]
        if n == 0:
            continue
        s = operator.index(s) % n
        if s == 0:
            continue
        lo = [slice(None)] * x.ndim
        hi = [slice(None)] * x.ndim
        lo[ax], hi[ax] = slice(n - s, None), slice(None, n - s)
        res = concatenate([res[tuple(lo)], res[tuple(hi)]], axis=ax)
    return res if res is not x else x.copy()


def tile(A, reps):
    """``np.tile``: a broadcast view copied into place."""
    from ._manipulation import broadcast_to

    (x,) = _arrays("tile", A)
    reps = tuple(reps) if isinstance(reps, (tuple, list)) else (operator.index(reps),)
    d = builtins.max(len(reps), x.ndim)
    shape = (1,) * (d - x.ndim) + x.shape
    reps = (1,) * (d - len(reps)) + reps
    inter = []
    target = []
    for r, s in zip(reps, shape):
        inter += [1, s]
        target += [r, s]
    b = broadcast_to(x.reshape(tuple(inter)), tuple(target))
    return b.copy().reshape(tuple(r * s for r, s in zip(reps, shape)))


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """``np.meshgrid``."""
    from ._manipulation import broadcast_to

    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    xs = [x.reshape(-1) for x in _arrays("meshgrid", *xi)]
    n = len(xs)
    out = []
    for i, x in enumerate(xs):
        shape = [1] * n
        shape[i] = x.shape[0]
        out.append(x.reshape(tuple(shape)))
    if indexing == "xy" and n > 1:
        out = [swapaxes(o, 0, 1) for o in out]
    if not sparse:
        full = np.broadcast_shapes(*[o.shape for o in out])
        out = [broadcast_to(o, full) for o in out]
    return tuple(o.copy() if copy else o for o in out)


def _tri_mask(x, k, lower):
    from ._creation import arange

    n, m = x.shape[-2], x.shape[-1]
    rows = arange(n, device=x.device).reshape((n, 1))
    cols = arange(m, device=x.device).reshape((1, m))
    d = _u()["subtract"](cols, rows)
    return _u()["less_equal"](d, k) if lower else _u()["greater_equal"](d, k)


def tril(m, k=0):
    """``np.tril``: zeros above the k-th diagonal."""
    from ._reductions import where

    (x,) = _arrays("tril", m)
    if x.ndim < 2:
        raise ValueError("tril requires an array of at least two dimensions")
    return where(_tri_mask(x, k, True), x, x.dtype.type(0))


def triu(m, k=0):
    """``np.triu``: zeros below the k-th diagonal."""
    from ._reductions import where

    (x,) = _arrays("triu", m)
    if x.ndim < 2:
        raise ValueError("triu requires an array of at least two dimensions")
    return where(_tri_mask(x, k, False), x, x.dtype.type(0))


# --- logic and rounding -----------------------------------------------------------------

def clip(a, a_min=np._NoValue, a_max=np._NoValue, out=None, *, min=np._NoValue, max=np._NoValue, **kwargs):  # noqa: A002
    """``np.clip``: ``minimum(maximum(a, a_min), a_max)`` (NaN propagates;
    neither bound: a copy, as NumPy 2.1+ and the array API do)."""
    lo = a_min if a_min is not np._NoValue else (min if min is not np._NoValue else None)
    hi = a_max if a_max is not np._NoValue else (max if max is not np._NoValue else None)
    u = _u()
    (x,) = _arrays("clip", a)
    r = x if lo is None else u["maximum"](x, lo)
    r = r if hi is None else u["minimum"](r, hi)
    if r is x:
        r = x.copy()
    if out is not None:
        out[...] = r
        return out
    return r


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``np.isclose``: |a - b| <= atol + rtol |b|, infinities equal only to themselves."""
    u = _u()
    x, y = _arrays("isclose", a, b)
    dt = np.result_type(x.dtype, y.dtype, np.float16) if x.dtype.kind in "biu" and y.dtype.kind in "biu" else None
    if dt is not None:
        from ._dtypes import default_float

        dt = default_float(x.device)
        x, y = x.astype(dt), y.astype(dt)
    finite = u["logical_and"](u["isfinite"](x), u["isfinite"](y))
    close = u["less_equal"](u["absolute"](u["subtract"](x, y)), u["add"](atol, u["multiply"](rtol, u["absolute"](y))))
    res = u["logical_or"](u["logical_and"](finite, close), u["logical_and"](u["logical_not"](finite), u["equal"](x, y)))
    if equal_nan:
        res = u["logical_or"](res, u["logical_and"](u["isnan"](x), u["isnan"](y)))
    return res


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``np.allclose``: a Python bool, as NumPy returns (reads one value back)."""
    from ._reductions import all as all_

    return bool(all_(isclose(a, b, rtol, atol, equal_nan)).get())


def array_equal(a1, a2, equal_nan=False):
    """``np.array_equal``: a Python bool (reads one value back)."""
    from ._reductions import all as all_

    x, y = _arrays("array_equal", a1, a2)
    if x.shape != y.shape:
        return False
    u = _u()
    eq = u["equal"](x, y)
    if equal_nan and x.dtype.kind == "f" and y.dtype.kind == "f":
        eq = u["logical_or"](eq, u["logical_and"](u["isnan"](x), u["isnan"](y)))
    return bool(all_(eq).get())


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """``np.nan_to_num``: NaN to ``nan``, ±inf to the dtype's extremes (or the values given)."""
    from ._reductions import where

    (a,) = _arrays("nan_to_num", x)
    if a.dtype.kind != "f":
        return a.copy() if copy else a
    u = _u()
    fi = np.finfo(a.dtype)
    t = a.dtype.type
    r = where(u["isnan"](a), t(nan), a)
    r = where(u["logical_and"](u["isinf"](r), u["greater"](r, 0)), t(fi.max if posinf is None else posinf), r)
    r = where(u["logical_and"](u["isinf"](r), u["less"](r, 0)), t(fi.min if neginf is None else neginf), r)
    if not copy:
        a[...] = r
        return a
    return r


def round(a, decimals=0, out=None):  # noqa: A001
    """``np.round``: half to even at ``decimals`` places (NumPy's scale, rint, unscale)."""
    u = _u()
    (x,) = _arrays("round", a)
    if x.dtype.kind in "biu":
        if decimals >= 0:
            r = x.copy()
        else:
            # Half to even at a power of ten, in the integer dtype.
            f = 10 ** (-decimals)
            q = u["floor_divide"](x, f)
            twice = u["multiply"](u["subtract"](x, u["multiply"](q, f)), 2)
            up = u["logical_or"](u["greater"](twice, f),
                                 u["logical_and"](u["equal"](twice, f), u["equal"](u["remainder"](q, 2), 1)))
            r = u["multiply"](u["add"](q, up.astype(x.dtype)), f)
    elif decimals == 0:
        r = u["rint"](x)
    elif decimals > 0:
        f = x.dtype.type(10.0 ** decimals)
        r = u["divide"](u["rint"](u["multiply"](x, f)), f)
    else:
        f = x.dtype.type(10.0 ** -decimals)
        r = u["multiply"](u["rint"](u["divide"](x, f)), f)
    if out is not None:
        out[...] = r
        return out
    return r


around = round


# --- products ---------------------------------------------------------------------------

def dot(a, b, out=None):
    """``np.dot``: matmul for 1-D and 2-D, sum over a's last and b's second-to-last axis beyond."""
    u = _u()
    x, y = _arrays("dot", a, b)
    if x.ndim == 0 or y.ndim == 0:
        r = u["multiply"](x, y)
    elif x.ndim <= 2 and y.ndim <= 2:
        r = u["matmul"](x, y)
    else:
        r = tensordot(x, y, axes=([x.ndim - 1], [y.ndim - 2 if y.ndim > 1 else 0]))
    if out is not None:
        out[...] = r
        return out
    return r


def vdot(a, b, /):
    """``np.vdot``: the dot product of the flattened arrays."""
    x, y = _arrays("vdot", a, b)
    fx = x.reshape(-1) if x.flags.c_contiguous else x.copy().reshape(-1)
    fy = y.reshape(-1) if y.flags.c_contiguous else y.copy().reshape(-1)
    if fx.shape != fy.shape:
        raise ValueError("cannot reshape array: vdot needs arrays of one size")
    return _u()["matmul"](fx, fy)


def inner(a, b, /):
    """``np.inner``: sum over the last axes."""
    x, y = _arrays("inner", a, b)
    if x.ndim == 0 or y.ndim == 0:
        return _u()["multiply"](x, y)
    return tensordot(x, y, axes=([x.ndim - 1], [y.ndim - 1]))


def outer(a, b, out=None):
    """``np.outer``: the flattened arrays' outer product."""
    x, y = _arrays("outer", a, b)
    r = _u()["multiply"](x.reshape((-1, 1)) if x.flags.c_contiguous else x.copy().reshape((-1, 1)),
                         y.reshape(-1) if y.flags.c_contiguous else y.copy().reshape(-1))
    if out is not None:
        out[...] = r
        return out
    return r


def tensordot(a, b, axes=2):
    """``np.tensordot``: a transpose, reshape and matmul."""
    x, y = _arrays("tensordot", a, b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        ax_a = list(range(x.ndim - n, x.ndim))
        ax_b = list(range(n))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, np.integer)) else list(ax_b)
    if len(ax_a) != len(ax_b):
        raise ValueError("shape-mismatch for sum")
    ax_a = [_axis(i, x.ndim) for i in ax_a]
    ax_b = [_axis(i, y.ndim) for i in ax_b]
    for i, j in zip(ax_a, ax_b):
        if x.shape[i] != y.shape[j]:
            raise ValueError("shape-mismatch for sum")
    free_a = [i for i in range(x.ndim) if i not in ax_a]
    free_b = [j for j in range(y.ndim) if j not in ax_b]
    k = int(np.prod([x.shape[i] for i in ax_a]))
    xa = x.transpose(tuple(free_a + ax_a)).copy().reshape((-1, k))
    yb = y.transpose(tuple(ax_b + free_b)).copy().reshape((k, -1))
    r = _u()["matmul"](xa, yb)
    return r.reshape(tuple(x.shape[i] for i in free_a) + tuple(y.shape[j] for j in free_b))


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """``np.average``: mean, or sum(a * w) / sum(w)."""
    from ._reductions import mean, sum as sum_

    (x,) = _arrays("average", a)
    if weights is None:
        avg = mean(x, axis, keepdims=keepdims)
        if returned:
            from ._creation import full_like

            n = x.size if axis is None else int(np.prod([x.shape[_axis(i, x.ndim)] for i in
                                                         (axis if isinstance(axis, tuple) else (axis,))]))
            return avg, full_like(avg, n)
        return avg
    (w,) = _arrays("average", weights)
    if w.shape != x.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        if w.ndim != 1:
            raise TypeError("1D weights expected when shapes of a and weights differ.")
        ax = _axis(axis, x.ndim)
        if w.shape[0] != x.shape[ax]:
            raise ValueError("Length of weights not compatible with specified axis.")
        shape = [1] * x.ndim
        shape[ax] = w.shape[0]
        w = w.reshape(tuple(shape))
    dt = np.result_type(x.dtype, w.dtype, np.float16 if x.dtype.kind == "f" else np.float64)
    from ._manipulation import broadcast_to

    wb = broadcast_to(w, x.shape)
    scl = sum_(wb, axis, dt, None, keepdims)
    avg = _u()["divide"](sum_(_u()["multiply"](x, wb), axis, dt, None, keepdims), scl)
    return (avg, scl) if returned else avg


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """``np.isin``: compares against the test elements in chunks (memory stays
    a few times the element array's)."""
    u = _u()
    x, t = _arrays("isin", element, test_elements)
    flat_t = t.reshape(-1) if t.flags.c_contiguous else t.copy().reshape(-1)
    from ._creation import zeros

    hit = zeros(x.shape, dtype=np.bool_, device=x.device)
    xe = x.reshape(x.shape + (1,))
    for start in range(0, flat_t.shape[0], 64):
        chunk = flat_t[start:start + 64]
        from ._reductions import any as any_

        hit = u["logical_or"](hit, any_(u["equal"](xe, chunk), axis=-1))
    return u["logical_not"](hit) if invert else hit


def _np_version() -> tuple:
    """The installed NumPy's (major, minor): some behaviour follows it."""
    return tuple(int(p) for p in np.__version__.split(".")[:2])


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """``np.cross`` for 3-vectors (and 2-vectors, whose z components are zero)."""
    u = _u()
    x, y = _arrays("cross", a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    x, y = moveaxis(x, axisa, -1), moveaxis(y, axisb, -1)
    if x.shape[-1] not in (2, 3) or y.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    if x.shape[-1] == 2 or y.shape[-1] == 2:
        import warnings

        if _np_version() >= (2, 5):  # NumPy 2.5 ended the deprecation
            raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors, "
                             f"but they are {x.shape[-1]} and {y.shape[-1]} dimensional instead.")
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors "
                      "instead. (deprecated in NumPy 2.0)", DeprecationWarning, stacklevel=2)
    if x.shape[-1] == 2 and y.shape[-1] == 2:
        return u["subtract"](u["multiply"](x[..., 0], y[..., 1]), u["multiply"](x[..., 1], y[..., 0]))

    def comp(v, i):
        return v[..., i] if i < v.shape[-1] else u["multiply"](v[..., 0], 0)

    c0 = u["subtract"](u["multiply"](comp(x, 1), comp(y, 2)), u["multiply"](comp(x, 2), comp(y, 1)))
    c1 = u["subtract"](u["multiply"](comp(x, 2), comp(y, 0)), u["multiply"](comp(x, 0), comp(y, 2)))
    c2 = u["subtract"](u["multiply"](comp(x, 0), comp(y, 1)), u["multiply"](comp(x, 1), comp(y, 0)))
    return moveaxis(stack([c0, c1, c2], axis=-1), -1, axisc)


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """``np.cov`` with frequency and analytic weights: rows centred on their
    (weighted) means, one matmul, scaled by the reciprocal of NumPy's
    normalisation (the weight checks and the normalisation are read back)."""
    import warnings

    from ._dtypes import default_float
    from ._reductions import min as amin, sum as sum_

    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    (x,) = _arrays("cov", m)
    if x.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    dt = np.dtype(dtype) if dtype is not None else np.result_type(x.dtype, np.float64)
    if dt == np.float64 and not x.device.is_cpu and not x.device.info["f64"]:
        dt = default_float(x.device)
    x = atleast_2d(x).astype(dt)
    if not rowvar and x.shape[0] != 1:
        x = x.T
    if y is not None:
        (yy,) = _arrays("cov", y)
        if yy.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
        yy = atleast_2d(yy).astype(dt)
        if not rowvar and yy.shape[0] != 1:
            yy = yy.T
        x = concatenate([x, yy], axis=0)
    ddof = (0 if bias else 1) if ddof is None else int(ddof)
    u = _u()
    n = x.shape[1]
    w = aw = None
    for name, given in (("fweights", fweights), ("aweights", aweights)):
        if given is None:
            continue
        (g,) = _arrays("cov", given)
        if name == "fweights" and g.dtype.kind not in "iub":
            raise TypeError("fweights must be integer")
        if g.ndim > 1:
            raise RuntimeError(f"cannot handle multidimensional {name}")
        if g.shape[0] != n:
            raise RuntimeError(f"incompatible numbers of samples and {name}")
        if g.size and amin(g).get() < 0:
            raise ValueError(f"{name} cannot be negative")
        g = g.astype(default_float(x.device))  # NumPy takes weights as float (float64)
        if name == "aweights":
            aw = g
        w = g if w is None else u["multiply"](w, g)
    if w is not None and not (x.device.is_cpu or x.device.info["f64"]):
        # NumPy's weighted average is float64, which this device lacks: its default float.
        w_sum = sum_(w, keepdims=True)
        avg = u["divide"](sum_(u["multiply"](x, w), axis=1), w_sum)
    else:
        avg, w_sum = average(x, axis=1, weights=w, returned=True)
    if w is None:
        fact = n - ddof
    else:
        ws = w_sum[0].get()[()]  # the normalisation: one scalar read back
        if ddof == 0:
            fact = ws
        elif aw is None:
            fact = ws - ddof
        else:
            fact = ws - ddof * sum_(u["multiply"](w, aw)).get()[()] / ws
    if fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    # NumPy's in-place steps keep their targets' dtypes: X -= avg; c *= 1 / fact.
    xc = u["subtract"](x, avg[:, None]).astype(x.dtype)
    xt = xc.T if w is None else u["multiply"](xc, w).T
    c = u["matmul"](xc, xt)
    c = u["multiply"](c, float(np.true_divide(1, fact))).astype(c.dtype)
    return c.reshape(()) if c.shape == (1, 1) else c


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """``np.corrcoef``: the covariance normalised by its diagonal, clipped to [-1, 1]."""
    u = _u()
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return u["divide"](c, c)
    from ._take import diagonal

    d = u["sqrt"](diagonal(c))
    c = u["divide"](u["divide"](c, d.reshape((-1, 1))), d.reshape((1, -1)))
    return clip(c, -1, 1)


def _einsum_ellipsis(spec: str, xs) -> tuple:
    """``spec`` with each ``...`` spelled out as letters of its own (Greek,
    right-aligned across operands as broadcasting aligns them), and those
    letters in order."""
    if "..." not in spec:
        return spec, ""
    ins, arrow, out = spec.partition("->")
    terms = ins.split(",")
    if len(terms) != len(xs):
        return spec, ""  # the caller reports the count mismatch
    widths = []
    for t, x in zip(terms, xs):
        if "..." in t:
            if t.count("...") > 1 or t.replace("...", "").count(".") or x.ndim < len(t) - 3:
                raise ValueError("einstein sum subscripts string contains too many subscripts for operand"
                                 if x.ndim < len(t) - 3 else "invalid subscript '.' in einstein sum subscripts string")
            widths.append(x.ndim - (len(t) - 3))
    n = builtins.max(widths, default=0)
    greek = "".join(chr(0x3B1 + k) for k in range(n))
    terms = [t.replace("...", greek[n - (x.ndim - (len(t) - 3)):]) if "..." in t else t for t, x in zip(terms, xs)]
    if arrow:
        if out.count("...") > 1:
            raise ValueError("einstein sum subscripts string contains too many '...' in the output")
        out = out.replace("...", greek)
    return ",".join(terms) + arrow + out, greek


def einsum(subscripts, *operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """``np.einsum`` with explicit or implicit subscripts and ``...``: each
    operand's repeated letters become its diagonal, the operands broadcast
    over every letter, multiply, and the letters not kept are summed."""
    from ._reductions import sum as sum_
    from ._take import diagonal

    if not isinstance(subscripts, str):
        raise NotImplementedError("wgarray.einsum takes subscripts as a string")
    spec = subscripts.replace(" ", "")
    xs = _arrays("einsum", *operands)
    spec, ell = _einsum_ellipsis(spec, xs)
    if "->" in spec:
        ins, out_letters = spec.split("->")
    else:
        ins = spec
        counts = {}
        for c in ins.replace(",", ""):
            counts[c] = counts.get(c, 0) + 1
        # Implicit output: the broadcast (ellipsis) dims first, then single letters in order.
        out_letters = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    terms = ins.split(",")
    if len(terms) != len(xs):
        raise ValueError("more operands were provided than specified in the subscripts string"
                         if len(xs) > len(terms) else "fewer operands were provided than specified in the subscripts string")
    for c in spec.replace(",", "").replace("->", ""):
        if not c.isalpha():
            raise ValueError(f"invalid subscript '{c}' in einstein sum subscripts string, subscripts must be letters")
    sizes = {}
    prepared = []
    for term, x in zip(terms, xs):
        if len(term) != x.ndim:
            raise ValueError(f"operand has more dimensions than subscripts given in einstein sum, but no '...' "
                             f"ellipsis provided to broadcast the extra dimensions." if x.ndim > len(term) else
                             f"einstein sum subscripts string contains too many subscripts for operand")
        letters = list(term)
        # Repeated letters in one operand: take the diagonal (it lands last).
        while len(set(letters)) != len(letters):
            c = next(c for c in letters if letters.count(c) > 1)
            i = letters.index(c)
            j = letters.index(c, i + 1)
            x = diagonal(x, 0, i, j)
            letters = [l for k, l in enumerate(letters) if k not in (i, j)] + [c]
        for c, n in zip(letters, x.shape):
            if sizes.get(c, n) != n and n != 1 and sizes[c] != 1:
                raise ValueError(f"operands could not be broadcast together with remapped shapes for letter '{c}'")
            sizes[c] = max(sizes.get(c, n), n)
        prepared.append((letters, x))
    for c in out_letters:
        if c not in sizes:
            raise ValueError(f"einstein sum subscripts string included output subscript '{c}' which never appeared in "
                             "an input")
    order_ = list(out_letters) + sorted(c for c in sizes if c not in out_letters)
    u = _u()
    prod = None
    for letters, x in prepared:
        perm = sorted(range(len(letters)), key=lambda k: order_.index(letters[k]))
        xt = x.transpose(tuple(perm)) if perm else x
        shape = [1] * len(order_)
        for k in perm:
            shape[order_.index(letters[k])] = x.shape[k]
        xt = xt.reshape(tuple(shape))
        prod = xt if prod is None else u["multiply"](prod, xt)
    summed = tuple(range(len(out_letters), len(order_)))
    if summed:
        res = sum_(prod, axis=summed, dtype=prod.dtype if dtype is None else dtype)
    else:
        from ._manipulation import broadcast_to

        res = broadcast_to(prod, tuple(sizes[c] for c in order_)).copy()
        if dtype is not None:
            res = res.astype(dtype)
    if out is not None:
        out[...] = res
        return out
    return res
