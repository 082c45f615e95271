"""Advanced indexing by NumPy's rules on every device, against NumPy:
integer arrays and boolean masks mixed with integers, slices, None and
``...`` — the broadcast block in place of adjacent advanced indices, in front
when a slice separates them — for ``x[key]`` and ``x[key] = v``, with
NumPy's IndexError for out-of-range and mismatched keys."""

import numpy as np
import pytest

import wgarray as wa
from conftest import device_dtypes, sample


def on(device, k):
    """A key item on ``device`` (index arrays in its index dtype)."""
    if isinstance(k, np.ndarray):
        if k.dtype.kind in "iu" and not (device.is_cpu or device.info["i64"]):
            k = k.astype(np.int32)
        return wa.asarray(k, device=device)
    return k


def random_key(shape, rng):
    """A key over ``shape`` with at least one index array."""
    items = []
    d = 0
    while d < len(shape):
        n = shape[d]
        kind = rng.choice(["int", "slice", "arr", "arr", "bool", "none", "stop"])
        if kind == "stop":
            break
        if kind == "none":
            items.append(None)
            continue
        if kind == "int":
            items.append(int(rng.integers(-n, n)))
        elif kind == "slice":
            a, b = sorted(rng.integers(-n - 1, n + 1, 2))
            items.append(slice(int(a), int(b), int(rng.choice([1, 2, -1]))))
        elif kind == "arr":
            items.append(rng.integers(-n, n, tuple(rng.integers(1, 3, rng.integers(0, 3)))))
        else:
            items.append(rng.random(n) < 0.5)
        d += 1
    if not any(isinstance(k, np.ndarray) for k in items):
        items.append(rng.integers(-shape[d], shape[d], 2) if d < len(shape) else None)
        if items[-1] is None:
            items[0] = rng.integers(-shape[0], shape[0], 3)
    if rng.random() < 0.2:
        items.insert(int(rng.integers(0, len(items) + 1)), Ellipsis)
    return tuple(items)


def test_mixed_keys_match_numpy(device):
    rng = np.random.default_rng(11)
    a = np.arange(4 * 5 * 6, dtype=np.float32).reshape(4, 5, 6)
    x = wa.asarray(a, device=device)
    tried = 0
    while tried < 150:
        key = random_key(a.shape, rng)
        try:
            want = a[key]
        except IndexError:
            continue  # mismatched broadcasts: checked separately
        got = x[tuple(on(device, k) for k in key)]
        assert got.shape == want.shape, key
        np.testing.assert_array_equal(got.get(), want)
        tried += 1


def test_mixed_setitem_matches_numpy(device):
    rng = np.random.default_rng(12)
    for dtype in device_dtypes(device):
        a = sample(dtype, (4, 5, 6), rng)
        x = wa.asarray(a.copy(), device=device)
        for key in ((np.array([0, 2]), slice(None), np.array([1, 5])),       # separated: block in front
                    (1, np.array([[0, 4], [2, 3]]), slice(1, 4)),            # adjacent to the integer
                    (Ellipsis, np.array([True, False, True, True, False, False])),
                    (np.array([3, 1]), None, np.array([0, 4]))):
            shape = a[key].shape
            v = sample(dtype, shape, rng)
            a[key] = v
            x[tuple(on(device, k) for k in key)] = wa.asarray(v, device=device)
            np.testing.assert_array_equal(x.get(), a)
        a[np.array([0, 1]), 2:4] = a[0, 0, 0]  # a scalar broadcast
        x[on(device, np.array([0, 1])), 2:4] = x[0, 0, 0]
        np.testing.assert_array_equal(x.get(), a)


def test_index_errors(device):
    x = wa.asarray(np.zeros((3, 4), np.float32), device=device)
    i = on(device, np.array([0, 3]))
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        x[i, 1:]
    with pytest.raises(IndexError, match="shape mismatch"):
        x[on(device, np.array([0, 1])), on(device, np.array([0, 1, 2]))]
    with pytest.raises(IndexError, match="too many indices"):
        x[i, 0, 0]
    with pytest.raises(IndexError, match="boolean index did not match"):
        x[:, on(device, np.array([True, False]))]
    with pytest.raises(ValueError, match="read-only"):
        wa.broadcast_to(x, (2, 3, 4))[0, on(device, np.array([0]))] = 1.0


def test_zero_d_boolean_index_is_refused_not_wrong():
    x = wa.asarray(np.arange(6.0).reshape(2, 3), device="cpu")
    with pytest.raises(NotImplementedError, match="0-d boolean"):
        x[np.array(True)]
