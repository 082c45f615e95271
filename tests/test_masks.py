"""Data-dependent shapes on every device, against NumPy: nonzero,
flatnonzero, argwhere, where(cond), boolean-mask indexing ``x[mask]`` (whole
and leading-axes masks, strided inputs, every dtype) and ``x[mask] = v``
(a scalar, one value per selected element, one subarray per selected row)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import wgarray as wa
from conftest import DEVICES, device_dtypes, sample


@pytest.mark.parametrize("device", DEVICES, ids=[d.name for d in DEVICES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_masks_match_numpy(device, data):
    dtype = data.draw(st.sampled_from(device_dtypes(device)))
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    a = sample(dtype, shape, rng)
    x = wa.asarray(a, device=device)
    if data.draw(st.booleans()) and shape[0] > 1:
        a, x = a[::-2], x[::-2]
    m = rng.random(a.shape) < 0.4
    mx = wa.asarray(m, device=device)
    np.testing.assert_array_equal(x[mx].get(), a[m])
    k = data.draw(st.integers(1, a.ndim))
    lead = m.reshape(m.shape[:k] + (-1,))[..., 0] if a.size else np.zeros(a.shape[:k], bool)
    np.testing.assert_array_equal(x[wa.asarray(lead, device=device)].get(), a[lead])
    for got, want in zip(np.nonzero(x), np.nonzero(a)):
        np.testing.assert_array_equal(got.get(), want)
    np.testing.assert_array_equal(np.flatnonzero(x).get(), np.flatnonzero(a))
    np.testing.assert_array_equal(np.argwhere(x).get(), np.argwhere(a))


def test_mask_assignment_matches_numpy(device):
    rng = np.random.default_rng(4)
    for dtype in device_dtypes(device):
        a = sample(dtype, (4, 5), rng)
        m = rng.random((4, 5)) < 0.5
        x = wa.asarray(a, device=device)
        b = a.copy()
        y = x.copy()
        y[wa.asarray(m, device=device)] = 1
        b[m] = 1
        np.testing.assert_array_equal(y.get(), b)
        vals = sample(dtype, (int(m.sum()),), rng)
        y[wa.asarray(m, device=device)] = wa.asarray(vals, device=device)
        b[m] = vals
        np.testing.assert_array_equal(y.get(), b)
        rows = np.array([True, False, True, True])
        sub = sample(dtype, (3, 5), rng)
        y[wa.asarray(rows, device=device)] = wa.asarray(sub, device=device)
        b[rows] = sub
        np.testing.assert_array_equal(y.get(), b)
        y[wa.asarray(rows, device=device)] = wa.asarray(sub[0], device=device)  # broadcast over the rows
        b[rows] = sub[0]
        np.testing.assert_array_equal(y.get(), b)


def test_where_one_argument_and_errors(device):
    a = np.float32([[0, 1.5, 0], [np.nan, 0, -2]])
    x = wa.asarray(a, device=device)
    for got, want in zip(wa.where(x), np.where(a)):
        np.testing.assert_array_equal(got.get(), want)
    for got, want in zip(x.nonzero(), a.nonzero()):
        np.testing.assert_array_equal(got.get(), want)
    with pytest.raises(ValueError, match="Calling nonzero on 0d arrays is not allowed"):
        wa.nonzero(wa.asarray(np.float32(1), device=device))
    with pytest.raises(IndexError, match="boolean index did not match indexed array along axis 0"):
        x[wa.asarray(np.array([True, False, True]), device=device)]
    m2 = wa.asarray(np.array([[False, True, False], [True, False, False]]), device=device)
    with pytest.raises(ValueError, match="cannot assign 3 input values to the 2 output values"):
        x[m2] = wa.asarray(np.float32([1, 2, 3]), device=device)
    if not device.is_cpu:
        with pytest.raises(TypeError, match="no implicit host-to-device copy"):
            x[np.array([True, False])]
    else:
        np.testing.assert_array_equal(x[np.array([True, False])].get(), a[np.array([True, False])])
