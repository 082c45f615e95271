"""``ufunc.reduceat`` and ``ufunc.at`` on the device.

``at`` applies the ufunc once per index, repeated indices included, in
index order — NumPy's result exactly. A stable sort groups each target's
operands in their original order; where the ufunc's loop runs in the
target's own dtype, each group is one in-order fold that starts from the
target's value (``reduceat`` over [x[t], v1, v2, …]). Otherwise (a loop in
another dtype, unary ufuncs) the k-th occurrences of all targets are
applied together in round k, one round per repeat."""

from __future__ import annotations

import operator

import numpy as np

from . import _native
from ._dtypes import as_dtype
from ._ndarray import ndarray


# ufunc -> dtype kinds of the target where computing in its own dtype gives
# what NumPy's wider loop gives after the cast back.
_SAME_IN_OWN_DTYPE = {"add": "fiu", "subtract": "fiu", "multiply": "fiu", "divide": "f", "true_divide": "f",
                      "maximum": "fiu", "minimum": "fiu", "fmax": "fiu", "fmin": "fiu"}


def reduceat(uf, array, indices, axis=0, dtype=None, out=None):
    """``uf.reduceat(array, indices, axis, dtype, out)`` with NumPy's semantics."""
    from ._reductions import _array, _single_out

    out = _single_out(out)
    x = _array(uf.__name__, array, out)
    if uf.nin != 2:
        raise ValueError("reduceat only supported for binary functions")
    if isinstance(indices, ndarray):
        idx = indices
    else:
        host = np.asarray(indices)
        if host.ndim > 1:
            raise ValueError("setting an array element with a sequence. The requested array would exceed the maximum "
                             "number of dimension of 1.")
        from ._creation import asarray

        idx = asarray(host.astype(np.intp) if host.dtype.kind not in "iu" else host, device=x.device)
    idx = idx.reshape(-1) if idx.ndim == 0 else idx
    res = _native.reduceat(uf.__name__, x._a, idx._a, operator.index(axis), None if dtype is None else as_dtype(dtype).name,
                           None if out is None else out._a)
    return out if out is not None else ndarray._wrap(res)


def at(uf, a, indices, b=None):
    """``uf.at(a, indices, b)``: ``a[indices] = uf(a[indices], b)`` unbuffered."""
    from ._advanced import positions
    from ._creation import _value_for, empty
    from ._manipulation import broadcast_to
    from ._reductions import cumsum, max as amax
    from ._sorting import _flat, _runs, argsort
    from ._take import _scatter_flat

    if not isinstance(a, ndarray):
        raise TypeError(f"{uf.__name__}.at() argument 1 must be wgarray.ndarray, not {type(a).__name__}")
    if uf.nin == 2 and b is None:
        raise ValueError("second operand needed for ufunc")
    if uf.nin == 1 and b is not None:
        raise ValueError("second operand provided when ufunc is unary")
    if uf.nout != 1 or uf.signature is not None:
        raise ValueError(f"{uf.__name__}.at only supports ufuncs with one output and no core dimensions")
    if not a.flags.writeable:
        raise ValueError("assignment destination is read-only")
    where = positions(a, indices if isinstance(indices, tuple) else (indices,))
    pos = _flat(where.copy())
    n = pos.size
    v = b
    if isinstance(b, (bool, int, float, np.generic)):
        # NumPy takes b as an array (np.asarray): Python scalars get its default
        # dtypes, so the loop may run wider than a. Where b fits a's dtype
        # exactly and the ufunc is one whose wider result rounds back to the
        # same value (+ - * / of floats: 53 >= 2*24 + 2 bits; integer + - *
        # wrap alike; max/min exact), computing in a's dtype is NumPy's result
        # and keeps the one-fold path.
        from ._creation import asarray
        from ._dtypes import host_default

        host = np.asarray(b)
        same = _SAME_IN_OWN_DTYPE.get(uf.__name__, "")
        with np.errstate(all="ignore"):
            exact = a.dtype.kind in same and host.dtype.kind in "biuf" and host.astype(a.dtype) == host
        b = asarray(host.astype(a.dtype) if exact else host_default(host, a.device), device=a.device)
    if b is not None:
        from ._advanced import _device_array

        vb = _device_array(a, b) if not isinstance(b, ndarray) else b
        try:
            v = _flat(broadcast_to(vb, where.shape))
        except ValueError:
            raise ValueError("array is not broadcastable to correct shape") from None
    if n == 0:
        return None
    from . import _UFUNCS

    u = _UFUNCS
    perm = argsort(pos)
    sp = ndarray._wrap(pos._a.take_flat(perm._a))
    start = _runs(sp, False)
    first = start.nonzero()[0]
    targets = ndarray._wrap(sp._a.take_flat(first._a))
    af = _flat(a)
    cur = ndarray._wrap(af._a.take_flat(targets._a))
    vs = None
    if isinstance(v, ndarray):
        vs = ndarray._wrap(v._a.take_flat(perm._a))
    probe = uf(cur[:0], (vs[:0] if vs is not None else v)) if uf.nin == 2 else uf(cur[:0])
    # (float16 folds would run in float32 in reduceat; at rounds every step.)
    if uf.nin == 2 and probe.dtype == a.dtype and a.dtype != np.float16:
        # One in-order fold per target from its current value: the operands
        # go after it, target j's run shifted by j + 1 slots.
        idt = pos.dtype
        seg = u["subtract"](cumsum(start.astype(idt)), 1)
        k = targets.size
        from ._creation import arange

        slot_cur = u["add"](first, arange(k, dtype=idt, device=a.device))
        slot_v = u["add"](u["add"](arange(n, dtype=idt, device=a.device), seg), 1)
        comb = empty((n + k,), dtype=a.dtype, device=a.device)
        wide = comb if comb.dtype.itemsize >= 4 else comb.astype(np.float32 if comb.dtype.kind == "f" else
                                                                   (np.int32 if comb.dtype.kind == "i" else np.uint32))
        vals = vs if vs is not None else broadcast_to(_value_for(v, a), (n,))
        wide._a.scatter_into(slot_cur._a, cur.astype(wide.dtype)._a)
        wide._a.scatter_into(slot_v._a, vals.astype(a.dtype).astype(wide.dtype)._a)
        folded = reduceat(uf, wide if wide is comb else wide.astype(a.dtype), slot_cur, dtype=a.dtype)
        _scatter_flat(a, targets, folded.astype(a.dtype))
        return None
    # Rounds: the r-th occurrence of every target at once.
    idt = pos.dtype
    seg = u["subtract"](cumsum(start.astype(idt)), 1)
    from ._creation import arange

    rank = u["subtract"](arange(n, dtype=idt, device=a.device), ndarray._wrap(first._a.take_flat(seg._a)))
    rounds = int(amax(rank).get()) + 1
    for r in range(rounds):
        sel = u["equal"](rank, r)
        t = sp[sel]
        now = ndarray._wrap(_flat(a)._a.take_flat(t._a))
        new = uf(now, vs[sel]) if vs is not None else (uf(now, v) if uf.nin == 2 else uf(now))
        _scatter_flat(a, t, new.astype(a.dtype))
    return None
