"""Order statistics and counting on the device: median, quantile,
percentile (every NumPy method), bincount and histogram — built on the
stable sort (python/wgarray/_sorting.py) and the in-order segment fold of
``ufunc.reduceat``. Only parameters (q, bin counts, ranges) are handled on
the host; the data stays on its device."""

from __future__ import annotations

import operator

import numpy as np

from ._ndarray import ndarray


def _u():
    from . import _UFUNCS

    return _UFUNCS


def _arr(name, *xs):
    from ._ufunc import _operands

    return _operands(name, list(xs), None)


def _axes_last(x: ndarray, axis):
    """``x`` with ``axis`` (None, int or tuple) merged into one last axis,
    and the shape keepdims restores."""
    from ._functions import moveaxis
    from ._sorting import _flat

    if axis is None:
        return _flat(x), (1,) * x.ndim, x.ndim == 0
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    from ._functions import _axis

    axes = tuple(sorted(_axis(a, x.ndim) for a in axes))
    if len(set(axes)) != len(axes):
        raise ValueError("duplicate value in 'axis'")
    keep = tuple(1 if d in axes else s for d, s in enumerate(x.shape))
    rest = [d for d in range(x.ndim) if d not in axes]
    m = moveaxis(x, axes, tuple(range(len(rest), x.ndim)))
    shape = tuple(x.shape[d] for d in rest) + (-1,)
    return (m if m.flags.c_contiguous else m.copy()).reshape(shape if x.size else tuple(x.shape[d] for d in rest) + (int(np.prod([x.shape[d] for d in axes])),)), keep, False


def _finish(res: ndarray, keep, keepdims, out, qshape=()):
    if keepdims:
        res = res.reshape(qshape + keep)
    if out is not None:
        out[...] = res
        return out
    return res


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """``np.median``: the mean of the middle one or two sorted elements;
    NaN where a slice holds a NaN."""
    from ._reductions import mean
    from ._sorting import sort

    (x,) = _arr("median", a)
    m, keep, _ = _axes_last(x, axis)
    n = m.shape[-1]
    if n == 0:
        res = mean(m, axis=-1)
        return _finish(res, keep, keepdims, out)
    s = sort(m, axis=-1)
    part = s[..., (n - 1) // 2: n // 2 + 1]
    res = mean(part, axis=-1)
    if s.dtype.kind == "f":
        u = _u()
        last = s[..., n - 1]
        res = _where(u["isnan"](last), last.astype(res.dtype), res)
    return _finish(res, keep, keepdims, out)


def _where(c, a, b):
    from ._reductions import where

    return where(c, a, b)


_CONTINUOUS = {
    "interpolated_inverted_cdf": (0, 1), "hazen": (0.5, 0.5), "weibull": (0, 0),
    "median_unbiased": (1 / 3.0, 1 / 3.0), "normal_unbiased": (3 / 8.0, 3 / 8.0),
}
_DISCRETE = ("lower", "higher", "nearest", "inverted_cdf", "closest_observation")
_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation", "linear", "lower", "higher",
            "midpoint", "nearest") + tuple(_CONTINUOUS)


def _discrete(index: np.ndarray, take_previous) -> np.ndarray:
    prev = np.floor(index)
    res = np.where(take_previous(index - prev, index), prev, prev + 1).astype(np.intp)
    res[res < 0] = 0
    return res


def _virtual_index(method: str, n: int, q: np.ndarray):
    """NumPy's virtual index of each quantile in ``n`` sorted values, and the
    interpolation weight's fix-up (None: the index is already an integer)."""
    if method == "linear":
        return (n - 1) * q, None
    if method == "lower":
        return np.floor((n - 1) * q).astype(np.intp), None
    if method == "higher":
        return np.ceil((n - 1) * q).astype(np.intp), None
    if method == "nearest":
        return np.around((n - 1) * q).astype(np.intp), None
    if method == "midpoint":
        return 0.5 * (np.floor((n - 1) * q) + np.ceil((n - 1) * q)), lambda g, i: np.where(i % 1 == 0, 0.0, 0.5).astype(g.dtype)
    if method == "inverted_cdf":
        return _discrete(n * q - 1, lambda g, _: g == 0), None
    if method == "closest_observation":
        return _discrete(n * q - 1 - 0.5, lambda g, i: (g == 0) & (np.floor(i) % 2 == 1)), None
    if method == "averaged_inverted_cdf":
        return n * q - 1, lambda g, _: np.where(g == 0, 0.5, 1.0).astype(g.dtype)
    alpha, beta = _CONTINUOUS[method]
    return n * q + (alpha + q * (1 - alpha - beta)) - 1, None


def _quantile(a, q, axis, out, method, keepdims, weak_q, name):
    from ._sorting import sort
    from ._take import take
    from ._creation import asarray

    if method not in _METHODS:
        raise ValueError(f"{method!r} is not a valid method. Use one of: {_METHODS}")
    (x,) = _arr(name, a)
    if x.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    m, keep, _ = _axes_last(x, axis)
    n = m.shape[-1]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    s = sort(m, axis=-1)
    vi, fix = _virtual_index(method, n, q)
    vi = np.asanyarray(vi)
    u = _u()
    lead = s.ndim - 1
    # NumPy takes points without interpolating for the discrete methods, and
    # for 'linear' when the indices come out whole (integer q).
    if method in _DISCRETE or (method == "linear" and vi.dtype.kind in "iu"):
        res = take(s, _host_index(vi.ravel(), x), axis=-1)
    else:
        prev = np.floor(vi)
        nxt = prev + 1
        above = vi >= n - 1
        prev = np.where(above, -1, prev)
        nxt = np.where(above, -1, nxt)
        below = vi < 0
        prev = np.where(below, 0, prev)
        nxt = np.where(below, 0, nxt)
        if x.dtype.kind == "f":
            nan = np.isnan(vi)
            prev, nxt = np.where(nan, -1, prev), np.where(nan, -1, nxt)
        prev, nxt = prev.astype(np.intp), nxt.astype(np.intp)
        gamma = np.asanyarray(vi - np.floor(vi))
        if fix is not None:
            gamma = fix(gamma, vi)
        gamma = np.asanyarray(gamma, dtype=vi.dtype)
        lo = take(s, _host_index(prev.ravel() % n, x), axis=-1)
        hi = take(s, _host_index(nxt.ravel() % n, x), axis=-1)
        from ._dtypes import host_default

        t = float(gamma) if weak_q else asarray(host_default(gamma.ravel(), x.device), device=x.device)
        diff = u["subtract"](hi, lo)
        res = u["add"](lo, u["multiply"](diff, t))
        alt = u["subtract"](hi, u["multiply"](diff, (1 - t) if weak_q else u["subtract"](1, t)))
        big = (float(gamma) >= 0.5) if weak_q else asarray(gamma.ravel() >= 0.5, device=x.device)
        res = _where(big, alt.astype(res.dtype), res) if not isinstance(big, bool) else (alt.astype(res.dtype) if big else res)
    if x.dtype.kind == "f":
        last = s[..., n - 1:n]
        res = _where(u["isnan"](last), last.astype(res.dtype), res)
    # Quantiles ride the last axis: move them to the front, as NumPy's shape is q.shape + rest.
    from ._functions import moveaxis

    res = moveaxis(res, -1, 0).reshape(q.shape + tuple(s.shape[:lead]))
    return _finish(res, keep, keepdims, out, q.shape)


def _host_index(values: np.ndarray, like: ndarray) -> ndarray:
    """Host-computed positions (parameters, not data) on ``like``'s device."""
    from ._take import _host_index as upload

    return upload(like, values)


def _q_host(q, name):
    if isinstance(q, ndarray):
        q = q.get()  # the quantiles are parameters: a few values, read once
    return q


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
             interpolation=None):
    """``np.quantile`` (every method; weights are not supported yet)."""
    if weights is not None or interpolation is not None:
        raise TypeError("wgarray's quantile does not support weights or interpolation")
    q = _q_host(q, "quantile")
    weak_q = type(q) in (int, float)
    q = np.asanyarray(q)
    if not (q.size == 0 or (np.all(q >= 0) and np.all(q <= 1))):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return _quantile(a, q, axis, out, method, keepdims, weak_q, "quantile")


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
               interpolation=None):
    """``np.percentile``: quantile at ``q / 100``."""
    if weights is not None or interpolation is not None:
        raise TypeError("wgarray's percentile does not support weights or interpolation")
    q = _q_host(q, "percentile")
    weak_q = type(q) in (int, float)
    q = np.true_divide(q, 100)
    q = np.asanyarray(q)
    if not (q.size == 0 or (np.all(q >= 0) and np.all(q <= 1))):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return _quantile(a, q, axis, out, method, keepdims, weak_q, "percentile")


# --- counting ---------------------------------------------------------------------

def _bins_of(x: ndarray, nbins: int, weights):
    """Counts (or in-order weight sums) of the integers ``x`` in [0, nbins):
    a stable sort groups equal values in their original order; each group's
    length (or its weights folded in order by add.reduceat, NumPy's own
    order) lands at its value."""
    from ._creation import zeros
    from ._sorting import _flat, _host_scalar, _runs, argsort
    from ._reductions import diff
    from ._functions import concatenate

    u = _u()
    idt = np.dtype(np.int64) if x.device.is_cpu or x.device.info["i64"] else np.dtype(np.int32)
    out_dt = idt if weights is None else np.result_type(weights.dtype, np.float64)
    if x.size == 0:
        return zeros((nbins,), dtype=idt, device=x.device)  # NumPy's, weights or not
    f = _flat(x).astype(idt)
    perm = argsort(f)
    s = ndarray._wrap(f._a.take_flat(perm._a))
    first = _runs(s, False).nonzero()[0]
    keys = ndarray._wrap(s._a.take_flat(first._a))
    if weights is None:
        vals = diff(concatenate([first, _host_scalar(f.size, x)]))
    else:
        w = ndarray._wrap(_flat(weights).astype(out_dt)._a.take_flat(perm._a))
        vals = _u()["add"].reduceat(w, first)
    res = zeros((nbins,), dtype=out_dt, device=x.device)
    res._a.scatter_into(keys._a, vals.astype(out_dt)._a)
    return res


def bincount(x, /, weights=None, minlength=0):
    """``np.bincount``."""
    from ._reductions import max as amax, min as amin

    (a,) = _arr("bincount", x)
    if a.ndim != 1:
        raise ValueError("object too deep for desired array" if a.ndim > 1 else "object of too small depth for desired array")
    if a.dtype.kind not in "iub":
        raise TypeError("Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'safe'"
                        .replace("float64", a.dtype.name))
    minlength = operator.index(minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    w = None
    if weights is not None:
        (w,) = _arr("bincount", weights)
        if w.shape != a.shape:
            raise ValueError("The weights and list don't have the same length.")
    if a.size:
        lo, hi = int(amin(a).get()), int(amax(a).get())
        if lo < 0:
            raise ValueError("'list' argument must have no negative elements")
    else:
        hi = -1
    return _bins_of(a, max(hi + 1, minlength), w)


def _range_of(x: ndarray, range):  # noqa: A002
    """NumPy's outer edges: ``range`` or the data's extremes (read back as
    scalars of its dtype), widened by 0.5 each way when equal."""
    from ._reductions import max as amax, min as amin

    if range is not None:
        first, last = range
        if first > last:
            raise ValueError("max must be larger than min in range parameter.")
        if not (np.isfinite(first) and np.isfinite(last)):
            raise ValueError(f"supplied range of [{first}, {last}] is not finite")
    elif x.size == 0:
        first, last = 0, 1
    else:
        first, last = amin(x).get()[()], amax(x).get()[()]
        if not (np.isfinite(first) and np.isfinite(last)):
            raise ValueError(f"autodetected range of [{first}, {last}] is not finite")
    if first == last:
        first, last = first - 0.5, last + 0.5
    return first, last


def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """``np.histogram`` with a bin count or explicit edges, as NumPy computes
    it: equal bins get each value's bin by NumPy's arithmetic and rounding
    fix-ups, then counts or in-order weight sums per bin; explicit edges are
    searched in the sorted data (weights through their running sum)."""
    from ._creation import asarray, zeros
    from ._functions import concatenate
    from ._reductions import cumsum, diff, sum as asum
    from ._sorting import _flat, argsort, searchsorted
    from ._take import take

    import warnings

    (x,) = _arr("histogram", a)
    x = _flat(x)
    if x.dtype == np.bool_:
        warnings.warn(f"Converting input from {x.dtype} to {np.uint8} for compatibility.", RuntimeWarning, stacklevel=2)
        x = x.astype(np.uint8)
    w = None
    if weights is not None:
        (w,) = _arr("histogram", weights)
        w = _flat(w)
        if w.shape != x.shape:
            raise ValueError("weights should have the same shape as a.")
    u = _u()
    idt = np.dtype(np.int64) if x.device.is_cpu or x.device.info["i64"] else np.dtype(np.int32)
    ntype = idt if w is None else w.dtype
    if isinstance(bins, str):
        raise NotImplementedError("histogram bin estimators ('auto', 'fd', ...) are not implemented yet")
    if np.ndim(bins) == 0:
        nb = operator.index(bins)
        if nb < 1:
            raise ValueError("`bins` must be positive, when an integer")
        first, last = _range_of(x, range)
        bin_type = np.result_type(first, last, x.dtype)
        if bin_type.kind in "iub":
            bin_type = np.result_type(bin_type, float)
        edges_np = np.linspace(first, last, nb + 1, endpoint=True, dtype=bin_type)
        edges = asarray(edges_np, device=x.device)
        xf = x.astype(bin_type)  # compared and binned in the edges' dtype, as NumPy's weak edges are
        inside = u["logical_and"](u["greater_equal"](xf, first), u["less_equal"](xf, last))
        keep = xf[inside]
        w = w[inside] if w is not None else None
        # NumPy's width of the range: exact for integers (no wrap in their dtype).
        span = int(last) - int(first) if isinstance(first, (np.integer, int)) and isinstance(last, (np.integer, int)) \
            else last - first
        f_idx = u["multiply"](u["divide"](u["subtract"](keep, first), span), nb)
        idx = f_idx.astype(idt)
        idx = _where(u["equal"](idx, nb), u["subtract"](idx, 1), idx)
        idx = u["subtract"](idx, u["less"](keep, take(edges, idx)).astype(idt))
        up = u["logical_and"](u["greater_equal"](keep, take(edges, u["add"](idx, 1))), u["not_equal"](idx, nb - 1))
        idx = u["add"](idx, up.astype(idt))
        counts = _bins_of(idx, nb, w).astype(ntype)
    else:
        (edges,) = _arr("histogram", bins)
        eh = edges.get()
        if edges.ndim != 1 or (eh.size > 1 and np.any(eh[:-1] > eh[1:])):
            raise ValueError("`bins` must increase monotonically, when an array")
        perm = argsort(x)
        sa = ndarray._wrap(x._a.take_flat(perm._a))
        at = concatenate([searchsorted(sa, edges[:-1], side="left"), searchsorted(sa, edges[-1:], side="right")])
        if w is None:
            counts = diff(at).astype(ntype)
        else:
            sw = ndarray._wrap(w._a.take_flat(perm._a))
            cw = concatenate([zeros((1,), dtype=ntype, device=x.device), cumsum(sw).astype(ntype)])
            counts = diff(take(cw, at))
    if density:
        widths = u["subtract"](edges[1:], edges[:-1]).astype(np.float64)
        return u["divide"](u["divide"](counts, widths), asum(counts)), edges
    return counts, edges
