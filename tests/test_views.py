"""Basic indexing, views and setitem against NumPy, with hypothesis making
shapes and index tuples."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wgarray as wa
from conftest import DEVICES, device_dtypes

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)


@st.composite
def basic_index(draw, shape):
    items = []
    axes = list(shape)
    used_ellipsis = False
    while axes or draw(st.booleans()):
        kind = draw(st.sampled_from(["int", "slice", "slice", "none", "ellipsis"] if axes else ["none"]))
        if kind == "int" and axes and axes[0] > 0:
            n = axes.pop(0)
            # Python ints, NumPy integer scalars and 0-d integer arrays all index as integers.
            v = draw(st.integers(-n, n - 1))
            wrap = draw(st.sampled_from([int, np.int64, np.uint8, np.array]))
            items.append(wrap(v % n) if wrap is np.uint8 else wrap(v))
        elif kind == "slice" and axes:
            n = axes.pop(0)
            bound = st.none() | st.integers(-n - 2, n + 2).map(lambda v, wrap=draw(st.sampled_from([int, np.int64])): wrap(v))
            items.append(slice(draw(bound), draw(bound), draw(st.none() | st.sampled_from([1, 2, 3, -1, -2, -3]))))
        elif kind == "none":
            items.append(None)
        elif kind == "ellipsis" and not used_ellipsis:
            used_ellipsis = True
            items.append(Ellipsis)
            axes = []
        if len(items) > 6:
            break
    return tuple(items)


@st.composite
def array_and_index(draw):
    shape = draw(shapes)
    return shape, draw(basic_index(shape))


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
@SETTINGS
@given(case=array_and_index())
def test_getitem_matches_numpy(device, case):
    shape, idx = case
    a = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    x = wa.asarray(a, device=device)
    v = x[idx]
    e = a[idx]
    assert v.shape == e.shape
    if e.size:  # NumPy's strides of empty arrays depend on how they were made
        assert v.strides == e.strides
    np.testing.assert_array_equal(v.get(), e)
    # A 0-d integer array is an advanced index to NumPy: a copy, not a view.
    advanced = any(isinstance(k, np.ndarray) for k in idx)
    assert v._a.shares_storage(x._a) != advanced


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
@SETTINGS
@given(case=array_and_index(), value_kind=st.sampled_from(["scalar", "full", "row", "0d"]))
def test_setitem_matches_numpy(device, case, value_kind):
    shape, idx = case
    a = np.arange(int(np.prod(shape)), dtype=np.int16).reshape(shape)
    x = wa.asarray(a.copy(), device=device)
    target_shape = a[idx].shape
    if value_kind == "scalar":
        value = -7
    elif value_kind == "0d":
        value = np.int16(5)
    elif value_kind == "full":
        value = np.full(target_shape, 9, dtype=np.int64) - np.arange(int(np.prod(target_shape))).reshape(target_shape)
    else:
        value = np.arange(target_shape[-1] if target_shape else 1, dtype=np.float32) * 3
        if not target_shape:
            value = value[0]
    a[idx] = value
    x[idx] = value if not isinstance(value, np.ndarray) else wa.asarray(value, device=device)
    np.testing.assert_array_equal(x.get(), a)


def test_setitem_every_dtype_and_strides(device):
    rng = np.random.default_rng(1)
    for dt in device_dtypes(device):
        a = np.zeros((7, 9), dtype=dt)
        x = wa.asarray(a.copy(), device=device)
        v = (rng.random((4, 3)) * 50).astype(dt)
        a[::2, 1::3] = v
        x[::2, 1::3] = wa.asarray(v, device=device)
        a[1, ::-2] = a[2, 0]
        x[1, ::-2] = x[2, 0]
        a[3:5, 2:7] = v[0, 0]
        x[3:5, 2:7] = wa.asarray(v, device=device)[0, 0]
        np.testing.assert_array_equal(x.get(), a, err_msg=str(dt))


def test_setitem_overlapping_views_match_numpy(device):
    a = np.arange(10, dtype=np.int8)
    x = wa.asarray(a.copy(), device=device)
    a[1:] = a[:-1]
    x[1:] = x[:-1]
    np.testing.assert_array_equal(x.get(), a)
    a[::-1] = a
    x[::-1] = x
    np.testing.assert_array_equal(x.get(), a)


def test_setitem_errors(device):
    x = wa.zeros((3, 4), dtype=np.int8, device=device)
    with pytest.raises(ValueError, match="could not broadcast input array from shape"):
        x[:, :2] = wa.ones((3, 3), dtype=np.int8, device=device)
    with pytest.raises(OverflowError):
        x[0, 0] = 1000
    with pytest.raises(ValueError, match="read-only"):
        b = wa.broadcast_to(wa.ones(4, device=device), (3, 4))
        b[0, 0] = 1
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        x[0, 0] = float("nan")


def test_index_errors_match_numpy(device):
    a = np.zeros((3, 4))
    x = wa.zeros((3, 4), device=device)
    for idx in [5, (0, -5), (0, 0, 0), (Ellipsis, Ellipsis), 1.5, "a", (slice(None, None, 0),), slice(1.5, None)]:
        with pytest.raises(Exception) as np_err:
            a[idx]
        with pytest.raises(type(np_err.value)) as wa_err:
            x[idx]
        if not isinstance(np_err.value, TypeError):
            assert str(wa_err.value) == str(np_err.value), idx


def test_views_share_memory_and_match_numpy(device):
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    x = wa.asarray(a, device=device)
    cases = [
        (x.T, a.T),
        (x.mT, np.swapaxes(a, -1, -2)),
        (x.transpose(1, 0, 2), a.transpose(1, 0, 2)),
        (wa.permute_dims(x, (2, 0, 1)), a.transpose(2, 0, 1)),
        (wa.transpose(x), a.T),
        (wa.matrix_transpose(x), np.swapaxes(a, -1, -2)),
        (wa.expand_dims(x, 1), np.expand_dims(a, 1)),
        (wa.expand_dims(x, (0, -1)), np.expand_dims(a, (0, -1))),
        (wa.squeeze(x[:, :1]), np.squeeze(a[:, :1])),
        (x[:, :1].squeeze(1), a[:, :1].squeeze(1)),
        (wa.broadcast_to(x[0, 0], (5, 4)), np.broadcast_to(a[0, 0], (5, 4))),
        (x.reshape(6, 4), a.reshape(6, 4)),
        (x.reshape(-1), a.reshape(-1)),
        (x[:, ::2].reshape(2, 2, 2, 2), a[:, ::2].reshape(2, 2, 2, 2)),
    ]
    for v, e in cases:
        assert v.shape == e.shape
        # Strides of length-1 axes are never used to address anything.
        assert [s for s, n in zip(v.strides, v.shape) if n > 1] == [s for s, n in zip(e.strides, e.shape) if n > 1]
        assert v._a.shares_storage(x._a)
        np.testing.assert_array_equal(v.get(), e)
    assert not wa.broadcast_to(x, (3, 2, 3, 4)).flags.writeable


def test_reshape_copies_only_when_needed(device):
    a = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    x = wa.asarray(a, device=device)
    t = x.transpose(1, 0, 2)
    r = t.reshape(6, 4)
    assert not r._a.shares_storage(x._a)
    np.testing.assert_array_equal(r.get(), a.transpose(1, 0, 2).reshape(6, 4))
    with pytest.raises(ValueError, match="Unable to avoid creating a copy"):
        wa.reshape(t, (6, 4), copy=False)
    c = wa.reshape(x, (4, 6), copy=True)
    assert not c._a.shares_storage(x._a)
    with pytest.raises(ValueError, match="cannot reshape array of size 24 into shape"):
        x.reshape(5, 5)
    with pytest.raises(ValueError, match="can only specify one unknown dimension"):
        x.reshape(-1, -1)


def test_shape_function_errors_match_numpy(device):
    x = wa.zeros((2, 3), device=device)
    with pytest.raises(ValueError):
        x.transpose(0, 0)
    with pytest.raises(ValueError):
        x.transpose(0)
    with pytest.raises(ValueError, match="cannot select an axis to squeeze"):
        wa.squeeze(x, 0)
    with pytest.raises(ValueError):
        wa.broadcast_to(x, (3, 3))
    with pytest.raises(ValueError):
        wa.expand_dims(x, 5)
    with pytest.raises(ValueError):
        wa.zeros(3, device=device).mT


def test_attributes_match_numpy(device):
    for dt in device_dtypes(device):
        a = np.zeros((3, 5), dtype=dt)[::2, 1:]
        x = wa.asarray(np.zeros((3, 5), dtype=dt), device=device)[::2, 1:]
        assert x.dtype == dt and x.dtype == a.dtype
        assert (x.shape, x.ndim, x.size, x.strides, x.itemsize, x.nbytes) == (
            a.shape, a.ndim, a.size, a.strides, a.itemsize, a.nbytes)
        assert x.flags.c_contiguous == a.flags.c_contiguous
        assert x.flags.f_contiguous == a.flags.f_contiguous
        assert x.flags["WRITEABLE"]
    y = wa.zeros((2, 3), device=device)
    assert y.flags.c_contiguous and not y.flags.f_contiguous
    assert y.T.flags.f_contiguous
    y.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        y[0] = 1
    y.flags.writeable = True
    y[0] = 1
