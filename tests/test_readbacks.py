"""No host–device round trip where none is needed (issue 6): work on GPU
arrays stays on the device until the host asks for data, and each ask is
one readback. The device counts its readbacks (`Device._d.readbacks()`)."""

import numpy as np

import wgarray as wa


def test_device_work_reads_nothing_back_until_the_host_asks(gpu):
    rng = np.random.default_rng(5)
    h = rng.standard_normal((300, 200)).astype(np.float32)
    x = wa.asarray(h, device=gpu)
    d = gpu._d
    before = d.readbacks()
    m = np.mean(np.exp(x))
    s = wa.sum(x * 2 + 1, axis=0)
    y = x.copy()
    y[1:, ::2] += 3
    y *= 0.5
    others = [
        wa.cumsum(x, axis=1), wa.max(x, axis=1), wa.argmax(x, axis=0), wa.where(x > 0, x, -x),
        wa.sort(x, axis=1), x @ x.T, x.T.astype("float16"), x[3:50:2, ::-1] - 1,
        wa.broadcast_to(x[0], (4, 200)) + 1, np.sqrt(np.abs(x)), wa.std(x, axis=0), x.mean(),
    ]
    wa.synchronize()
    assert d.readbacks() == before, "device work read device memory back"
    np.testing.assert_allclose(float(m), np.mean(np.exp(h.astype(np.float64))), rtol=1e-5)
    assert d.readbacks() == before + 1, "float() of a 0-d array is one readback"
    np.testing.assert_allclose(s.get(), np.sum(h * 2 + 1, axis=0), rtol=1e-5)
    want = h.copy()
    want[1:, ::2] += 3
    np.testing.assert_array_equal(y.get(), want * np.float32(0.5))
    assert d.readbacks() == before + 3
    assert others[1].get().shape == (300,) and d.readbacks() == before + 4
