"""Advanced indexing by NumPy's rules, on the device: integer arrays and
boolean masks mixed with integers, slices, ``None`` and ``...``. Every key
becomes the C-order flat position, in ``x``, of each result element (built
by broadcasting on the device); ``x[key]`` gathers from those positions and
``x[key] = v`` scatters to them. The broadcast index arrays go where NumPy
puts them: in place of the first advanced index when all advanced indices
are adjacent, in front otherwise."""

from __future__ import annotations

import numpy as np

from ._ndarray import ndarray


def _u():
    from . import _UFUNCS

    return _UFUNCS


def _device_array(x: ndarray, k):
    """An index array (wgarray, NumPy or list) on ``x``'s device."""
    if isinstance(k, ndarray):
        if k.device != x.device:
            raise ValueError("the index is on another device; move it with to_device() first")
        return k
    arr = np.asarray(k)
    if arr.dtype.kind not in "iub" and arr.size:
        raise IndexError("arrays used as indices must be of integer (or boolean) type")
    if not x.device.is_cpu:
        raise TypeError(f"a host index array cannot index an array on device {x.device.name} (no implicit "
                        "host-to-device copy); use wgarray.asarray(indices, device=...)")
    from ._creation import asarray

    return asarray(arr if arr.size or arr.dtype.kind in "iub" else arr.astype(np.intp), device=x.device)


def is_advanced(key) -> bool:
    """Whether ``key`` holds an index array (anything array-like that is not a 0-d integer)."""
    items = key if isinstance(key, tuple) else (key,)
    for k in items:
        if isinstance(k, ndarray):
            return True
        if isinstance(k, (np.ndarray, list)):
            a = np.asarray(k)
            if not (a.ndim == 0 and a.dtype.kind in "iu"):
                return True
    return False


def positions(x: ndarray, key):
    """The flat C-order positions in ``x`` of ``x[key]``, shaped like it."""
    from ._take import _checked, _idx_dtype

    items = list(key) if isinstance(key, tuple) else [key]
    # Arrays on the device; boolean arrays become their nonzero() index arrays.
    expanded = []
    for k in items:
        if isinstance(k, (ndarray, np.ndarray, list)):
            a = _device_array(x, k)
            if a.dtype == np.bool_ and a.ndim == 0:
                raise NotImplementedError("0-d boolean index arrays are not supported yet")
            if a.dtype == np.bool_:
                expanded.append(("bool", a))
            else:
                expanded.append(("adv", a))
        elif k is None or k is Ellipsis or isinstance(k, slice):
            expanded.append(("new" if k is None else "ell" if k is Ellipsis else "slice", k))
        elif isinstance(k, (bool, np.bool_)):
            raise NotImplementedError("boolean scalar indices combined with index arrays are not supported yet")
        else:
            try:
                expanded.append(("int", int(np.asarray(k).item()) if isinstance(k, np.ndarray) else k.__index__()))
            except (AttributeError, TypeError):
                raise IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer "
                                 "or boolean arrays are valid indices") from None
    consumed = sum(a.ndim if kind == "bool" else 1 for kind, a in expanded if kind in ("adv", "int", "slice", "bool"))
    if sum(kind == "ell" for kind, _ in expanded) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > x.ndim:
        raise IndexError(f"too many indices for array: array is {x.ndim}-dimensional, but {consumed} were indexed")
    # Walk the dims: each entry is (kind, payload, dim) in key order.
    entries = []
    dim = 0
    for kind, k in expanded:
        if kind == "ell":
            entries.append(("ell", None, None))  # separates advanced indices even when empty
            for _ in range(x.ndim - consumed):
                entries.append(("slice", slice(None), dim))
                dim += 1
        elif kind == "new":
            entries.append(("new", None, None))
        elif kind == "bool":
            if k.shape != x.shape[dim:dim + k.ndim]:
                bad = next((i for i, (a, b) in enumerate(zip(k.shape, x.shape[dim:])) if a != b), 0)
                raise IndexError(f"boolean index did not match indexed array along axis {dim + bad}; size of axis is "
                                 f"{x.shape[dim + bad]} but size of corresponding boolean axis is {k.shape[bad]}")
            for sub in k.nonzero():
                entries.append(("adv", sub, dim))
                dim += 1
        else:
            entries.append((kind, k, dim))
            dim += 1
    while dim < x.ndim:
        entries.append(("slice", slice(None), dim))
        dim += 1
    u = _u()
    # Advanced indices (integers count once arrays are present) broadcast together.
    adv_at = [i for i, (kind, _, _) in enumerate(entries) if kind in ("adv", "int")]
    shapes = [k.shape if kind == "adv" else () for kind, k, _ in entries if kind in ("adv", "int")]
    try:
        bshape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together with shapes "
                         + " ".join(str(s).replace(" ", "") for s in shapes)) from None
    adjacent = not adv_at or adv_at == list(range(adv_at[0], adv_at[-1] + 1))
    # The output's dims: basic ones in order, the broadcast block where NumPy puts it.
    out_dims = []  # ("basic", entry index) or ("block",)
    for i, (kind, _, _) in enumerate(entries):
        if kind in ("adv", "int"):
            if adjacent and i == adv_at[0]:
                out_dims.append(("block",))
            continue
        if kind != "ell":
            out_dims.append(("basic", i))
    if not adjacent:
        out_dims.insert(0, ("block",))
    out_shape = []
    block_at = 0
    for od in out_dims:
        if od[0] == "block":
            block_at = len(out_shape)
            out_shape.extend(bshape)
        else:
            kind, k, d = entries[od[1]]
            out_shape.append(1 if kind == "new" else len(range(*k.indices(x.shape[d]))))
    out_shape = tuple(out_shape)
    strides = [int(np.prod(x.shape[d + 1:])) for d in range(x.ndim)]
    idt = _idx_dtype(x)
    from ._creation import arange, zeros

    total = zeros((), dtype=idt, device=x.device)
    nd = len(out_shape)
    for kind, k, d in entries:
        if kind == "int":
            n = x.shape[d]
            if not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for axis {d} with size {n}")
            total = u["add"](total, (k % n) * strides[d])
        elif kind == "adv":
            ii = _checked(k, x.shape[d], d, "raise", x)
            shape = [1] * nd
            shape[block_at + len(bshape) - ii.ndim: block_at + len(bshape)] = ii.shape
            total = u["add"](total, u["multiply"](ii.reshape(tuple(shape)), strides[d]))
    for pos, od in enumerate(out_dims):
        if od[0] != "basic":
            continue
        kind, k, d = entries[od[1]]
        if kind != "slice":
            continue
        start, _, step = k.indices(x.shape[d])
        # The output position of this slice's dim: count dims before it.
        at = sum(len(bshape) if o[0] == "block" else 1 for o in out_dims[:pos])
        shape = [1] * nd
        shape[at] = out_shape[at]
        r = arange(out_shape[at], dtype=idt, device=x.device)
        term = u["multiply"](u["add"](u["multiply"](r, step), start), strides[d])
        total = u["add"](total, term.reshape(tuple(shape)))
    from ._manipulation import broadcast_to

    return broadcast_to(total, out_shape)


def getitem(x: ndarray, key) -> ndarray:
    """``x[key]`` for a key with index arrays."""
    from ._sorting import _flat

    pos = positions(x, key)
    if pos.size == 0:
        from ._creation import empty

        return empty(pos.shape, dtype=x.dtype, device=x.device)
    return ndarray._wrap(_flat(x)._a.take_flat(_flat(pos)._a)).reshape(pos.shape)


def setitem(x: ndarray, key, value) -> None:
    """``x[key] = value`` for a key with index arrays (where positions
    repeat, which value lands is unspecified, as in NumPy)."""
    from ._creation import _value_for
    from ._manipulation import broadcast_to
    from ._sorting import _flat
    from ._take import _scatter_flat

    if not x.flags.writeable:
        raise ValueError("assignment destination is read-only")
    pos = positions(x, key)
    v = _value_for(value, x)
    try:
        v = broadcast_to(v, pos.shape)
    except ValueError:
        raise ValueError(f"shape mismatch: value array of shape {v.shape} could not be broadcast to indexing result "
                         f"of shape {pos.shape}") from None
    if pos.size:
        _scatter_flat(x, _flat(pos), _flat(v.astype(x.dtype)))
