"""DLPack (array API 2024.12, DLPack 1.x) on every device: export with
streams, flags and copies; import that refuses what wgarray cannot serve,
the way NumPy refuses it; zero-copy with NumPy on the host; the classic host
protocols on CPU-device arrays and their refusal on GPUs."""

import gc

import numpy as np
import pytest

import wgarray as wa
from conftest import ALL_DTYPES, device_dtypes, sample
from dlpack_producer import Producer, capsule_name

READ_ONLY, IS_COPIED = 1, 2
CUDA = (2, 0)


def flags(capsule) -> int:
    return wa._native.dlpack_capsule_flags(capsule)


def views(a: np.ndarray):
    """Non-contiguous, negative-stride, offset, 0-d and odd size-1 views of ``a`` (2-D)."""
    yield "contiguous", a
    yield "transposed", a.T
    yield "strided", a[::2, 1::3]
    yield "negative", a[::-1, ::-2]
    yield "offset", a[1:, 2:]
    yield "0-d", a[1, 2, ...]
    yield "size-1 axes", a[1:2, :1]
    yield "empty", a[:0, 1:]


def numpy_refusal(producer_device=CUDA):
    """The exception NumPy raises for a tensor on a device it cannot serve."""
    with pytest.raises(Exception) as e:
        np.from_dlpack(Producer(np.zeros(3, np.float32), device=producer_device, destructor=False))
    return type(e.value), str(e.value)


# --- CPU device: zero-copy both ways --------------------------------------------------
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
def test_every_dtype_round_trips_with_numpy_without_a_copy(dtype):
    rng = np.random.default_rng(1)
    host = sample(dtype, (5, 7), rng)
    for name, v in views(host):
        x = wa.from_dlpack(v)
        assert x.device.is_cpu and x.dtype == v.dtype and x.shape == v.shape, name
        np.testing.assert_array_equal(x.get(), v, err_msg=name)
        back = np.from_dlpack(x)
        np.testing.assert_array_equal(back, v, err_msg=name)
        if v.size:
            assert np.shares_memory(back, v), name


def test_writes_are_visible_on_both_sides():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    x = wa.from_dlpack(a)
    x[1, 2] = -5
    assert a[1, 2] == -5
    a[0, 0] = 99
    assert float(x[0, 0]) == 99
    y = np.from_dlpack(x[:, 1:])
    y[0, 0] = 7
    assert a[0, 1] == 7 and float(x[0, 1]) == 7


def test_memory_outlives_the_producer_and_the_deleter_runs_once():
    p = Producer(np.arange(6, dtype=np.int32))
    x = wa.from_dlpack(p)
    del p.array
    gc.collect()
    assert p.deleted == 0
    np.testing.assert_array_equal(x.get(), np.arange(6))
    y = x[2:]
    del x
    gc.collect()
    assert p.deleted == 0
    assert y.get().tolist() == [2, 3, 4, 5]
    del y
    gc.collect()
    assert p.deleted == 1 and p.made == 1

    # wgarray's own export: NumPy's array keeps the memory after the wgarray array is gone.
    x = wa.arange(10, dtype="int64", device="cpu") * 3
    n = np.from_dlpack(x)
    del x
    gc.collect()
    assert n.tolist() == list(range(0, 30, 3))


@pytest.mark.parametrize("kind", [1, 3, 11, 13], ids=["cpu", "cuda_host", "rocm_host", "cuda_managed"])
def test_host_readable_devices_import_without_a_copy(kind):
    a = np.arange(6, dtype=np.float32)
    x = wa.from_dlpack(Producer(a, device=(kind, 0)))
    assert x.device.is_cpu
    x[0] = -1
    assert a[0] == -1


def test_ndim_up_to_32():
    a = np.arange(2, dtype=np.int16).reshape((1,) * 31 + (2,))
    x = wa.from_dlpack(a)
    assert x.ndim == 32
    assert np.from_dlpack(x).shape == a.shape


# --- flags, ABIs and arguments ----------------------------------------------------------
def test_versioned_and_legacy_capsules(device):
    x = wa.asarray(np.arange(4, dtype=np.float32), device=device)
    assert capsule_name(x.__dlpack__()) == "dltensor"
    assert capsule_name(x.__dlpack__(max_version=(0, 8))) == "dltensor"
    assert capsule_name(x.__dlpack__(max_version=(1, 0))) == "dltensor_versioned"
    assert capsule_name(x.__dlpack__(max_version=(2, 5))) == "dltensor_versioned"
    assert flags(x.__dlpack__(max_version=(1, 0))) == 0


def test_read_only_in_both_directions(device):
    x = wa.asarray(np.arange(4, dtype=np.float32), device=device)
    x.flags.writeable = False
    cap = x.__dlpack__(max_version=(1, 0))
    assert flags(cap) & READ_ONLY
    with pytest.raises(BufferError, match="Cannot export readonly array"):
        x.__dlpack__()
    b = wa.broadcast_to(wa.asarray([1, 2], device=device), (3, 2))
    assert flags(b.__dlpack__(max_version=(1, 0))) & READ_ONLY
    if device.is_cpu:
        n = np.from_dlpack(x)
        assert not n.flags.writeable
    # NumPy's read-only array imports read-only.
    a = np.arange(3.0)
    a.flags.writeable = False
    y = wa.from_dlpack(a, device=device if device.is_cpu else None)
    assert not y.flags.writeable
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        y[0] = 1
    with pytest.raises(ValueError):
        y.flags.writeable = True
    # A legacy capsule carries no flag: read-only, as NumPy imports it.
    z = wa.from_dlpack(Producer(np.arange(3.0), versioned=False))
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        z[0] = 1


def test_copy_argument(device):
    x = wa.asarray(np.arange(6, dtype=np.int32), device=device)
    cap = x.__dlpack__(max_version=(1, 0), copy=True)
    assert flags(cap) & IS_COPIED
    y = wa._dlpack._native.dlpack_import(cap)
    assert not y.shares_storage(x._a)
    for copy in (None, False):
        cap = x.__dlpack__(max_version=(1, 0), copy=copy)
        assert not flags(cap) & IS_COPIED
        y = wa._native.dlpack_import(cap)
        # The same memory: the same buffer on a GPU, the same address on the host.
        assert y.shares_storage(x._a) if not device.is_cpu else y.host_ptr == x._a.host_ptr
    # Import side.
    a = np.arange(5.0)
    assert not np.shares_memory(np.from_dlpack(wa.from_dlpack(a, copy=True)), a)
    assert np.shares_memory(np.from_dlpack(wa.from_dlpack(a, copy=False)), a)
    if not device.is_cpu:
        g = wa.from_dlpack(a, device=device)
        assert g.device == device and g.get().tolist() == a.tolist()
        with pytest.raises(BufferError, match="copy=False"):
            wa.from_dlpack(a, device=device, copy=False)


def test_dl_device_argument(device):
    x = wa.asarray(np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::2], device=device)
    own = x.__dlpack_device__()
    cap = x.__dlpack__(max_version=(1, 0), dl_device=tuple(own))
    assert not flags(cap) & IS_COPIED
    host = x.__dlpack__(max_version=(1, 0), dl_device=(1, 0))
    if device.is_cpu:
        assert not flags(host) & IS_COPIED
    else:
        assert flags(host) & IS_COPIED
        with pytest.raises(BufferError, match="copy=False"):
            x.__dlpack__(max_version=(1, 0), dl_device=(1, 0), copy=False)
        assert np.from_dlpack(x, device="cpu").tolist() == [[0, 2], [3, 5]]
    with pytest.raises(BufferError, match="unsupported device requested"):
        x.__dlpack__(max_version=(1, 0), dl_device=CUDA)
    for bad in ([1, 0], "cpu", 1):
        with pytest.raises(TypeError, match="dl_device must be a tuple"):
            x.__dlpack__(dl_device=bad)
    with pytest.raises(TypeError):
        x.__dlpack__(dl_device=(1, 0, 0))
    for bad in ([1, 0], (1,), (1, 0, 0), 1):
        with pytest.raises(TypeError, match="max_version must be None or a tuple"):
            x.__dlpack__(max_version=bad)
    with pytest.raises(TypeError):
        x.__dlpack__(max_version=("1", 0))


def test_stream_argument(device):
    x = wa.asarray([1.0, 2.0], device=device)
    if device.is_cpu:
        for s in (1, 0, -1, object()):
            with pytest.raises(ValueError, match="stream=None"):
                x.__dlpack__(stream=s)
    else:
        x.__dlpack__(stream=-1)
        for s in (0, 1, 2, 5, True, "s"):
            with pytest.raises(ValueError, match="stream must be None or -1"):
                x.__dlpack__(stream=s)
    with pytest.raises(TypeError):
        x.__dlpack__(None)  # keyword-only


def test_dlpack_device(device):
    x = wa.zeros(3, device=device)
    t, i = x.__dlpack_device__()
    if device.is_cpu:
        assert (t, i) == (1, 0)
    else:
        backend = device.info["backend"]
        assert t == {"vulkan": 7, "metal": 8}.get(backend, 12)
        assert i == int(device.name.split(":")[1])


# --- GPU capsules -----------------------------------------------------------------------
def test_gpu_exports_raw_buffers_and_reimports_without_copy(gpu):
    rng = np.random.default_rng(3)
    for dtype in device_dtypes(gpu):
        host = sample(dtype, (4, 9), rng)
        x = wa.asarray(host, device=gpu)
        for name, v in views(x):
            expect = v.get()
            y = wa.from_dlpack(v)
            assert y.device == gpu and y._a.shares_storage(x._a), (dtype, name)
            np.testing.assert_array_equal(y.get(), expect, err_msg=f"{dtype} {name}")
            np.testing.assert_array_equal(np.from_dlpack(v, device="cpu"), expect, err_msg=f"{dtype} {name}")
            np.testing.assert_array_equal(wa.from_dlpack(v, device="cpu").get(), expect)
    # The export waits for the work producing the array (stream=None).
    z = wa.asarray(np.arange(100_000, dtype=np.float32), device=gpu) * 2
    assert float(wa.from_dlpack(z)[99_999]) == 199_998


def test_numpy_refuses_gpu_capsules_its_own_way(gpu):
    kind, message = numpy_refusal()
    x = wa.asarray([1.0, 2.0], device=gpu)
    with pytest.raises(kind) as e:
        np.from_dlpack(x)
    assert str(e.value) == message == "Unsupported device in DLTensor."


def test_gpu_arrays_refuse_the_host_protocols(gpu):
    x = wa.asarray([1.0, 2.0], device=gpu)
    for f in (np.asarray, np.array, lambda v: v.__array__(), lambda v: v.__array_interface__, memoryview):
        with pytest.raises(TypeError, match=r"\.get\(\)|to_device"):
            f(x)


# --- refusals, capsule reuse, deleters ------------------------------------------------
def test_unsupported_device_is_refused_and_the_producer_frees_it():
    p = Producer(np.arange(3.0), device=CUDA)
    with pytest.raises(BufferError, match=r"^Unsupported device in DLTensor\.$"):
        wa.from_dlpack(p)
    assert p.made == 0  # refused from __dlpack_device__, before any capsule
    # With copy=True the producer is asked for a host copy (it ignores the
    # request here, so its CUDA capsule is refused unconsumed).
    with pytest.raises(BufferError, match="Unsupported device in DLTensor"):
        wa.from_dlpack(p, copy=True)
    assert p.calls[-1]["dl_device"] == (1, 0) and p.calls[-1]["copy"] is True
    gc.collect()
    assert p.deleted == p.made == 1
    # A producer without __dlpack_device__: the capsule itself is refused, unconsumed.
    class NoDevice:
        def __init__(self):
            self.p = Producer(np.arange(3.0), device=CUDA)

        def __dlpack__(self, **kw):
            return self.p.__dlpack__(**kw)

    q = NoDevice()
    with pytest.raises(BufferError, match="Unsupported device in DLTensor"):
        wa.from_dlpack(q)
    gc.collect()
    assert q.p.deleted == q.p.made == 1


@pytest.mark.parametrize("versioned", [True, False])
def test_deleter_runs_exactly_once(versioned):
    p = Producer(np.arange(8, dtype=np.uint16), versioned=versioned)
    x = wa.from_dlpack(p)
    v = x[::2]
    assert p.deleted == 0
    del x
    gc.collect()
    assert p.deleted == 0
    del v
    gc.collect()
    assert p.deleted == 1


def test_capsule_cannot_be_consumed_twice():
    p = Producer(np.arange(3.0), reuse=True)
    x = wa.from_dlpack(p)
    with pytest.raises(ValueError, match="already been consumed"):
        wa.from_dlpack(p)
    del x
    gc.collect()
    assert p.deleted == 1


def test_newer_major_version_and_bad_dtypes_are_refused():
    p = Producer(np.arange(3.0), major=2)
    with pytest.raises(BufferError, match="major version is too high"):
        wa.from_dlpack(p)
    q = Producer(np.arange(3.0), dtype_code=5)  # claims complex
    with pytest.raises(BufferError, match="Unsupported dtype in DLTensor."):
        wa.from_dlpack(q)
    gc.collect()
    assert p.deleted == p.made == 1 and q.deleted == q.made == 1
    with pytest.raises(AttributeError, match="__dlpack__"):  # NumPy's error
        wa.from_dlpack([1, 2, 3])


def test_producers_from_before_dlpack_1_are_retried_without_the_new_keywords():
    p = Producer(np.arange(4, dtype=np.int8), versioned=False, legacy_signature=True)
    x = wa.from_dlpack(p)
    assert x.get().tolist() == [0, 1, 2, 3]
    assert p.calls == [{"stream": None}]
    y = wa.from_dlpack(Producer(np.arange(2.0), versioned=False, legacy_signature=True), copy=True)
    assert y.flags.writeable  # wgarray made the copy the old producer could not


def test_no_memory_growth_over_10000_round_trips():
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096

    a = np.ones(16384, dtype=np.float32)  # 64 KiB: a leak would be 640 MiB
    for _ in range(200):
        np.from_dlpack(wa.from_dlpack(a))
    gc.collect()
    before = rss()
    for _ in range(10_000):
        b = np.from_dlpack(wa.from_dlpack(a))
        assert b.shape == a.shape
    del b
    gc.collect()
    assert rss() - before < 64 << 20


# --- the classic host protocols on the CPU device -------------------------------------
def test_cpu_arrays_share_memory_through_the_host_protocols():
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    x = wa.asarray(a, device="cpu")
    assert np.shares_memory(np.asarray(x), a)
    i = x.__array_interface__
    assert i["version"] == 3 and i["typestr"] == "<i4" and i["shape"] == (3, 4) and i["data"][1] is False
    assert np.asarray(x, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError):
        np.asarray(x, dtype=np.float64, copy=False)
    assert not np.shares_memory(np.array(x, copy=True), a)
    m = memoryview(x)
    assert m.shape == (3, 4) and m.strides == (16, 4) and m.format == "i" and not m.readonly
    assert np.shares_memory(np.asarray(m), a)
    m[0, 1] = 50
    assert a[0, 1] == 50
    t = memoryview(x.T)
    assert t.strides == (4, 16) and t.f_contiguous and np.asarray(t).tolist() == a.T.tolist()
    assert np.frombuffer(memoryview(x), dtype=np.int32).tolist() == a.ravel().tolist()
    with pytest.raises((ValueError, TypeError, BufferError)):
        np.frombuffer(x[:, ::2], dtype=np.int32)  # needs a contiguous buffer
    r = wa.asarray(a, device="cpu")
    r.flags.writeable = False
    assert r.__array_interface__["data"][1] is True
    assert not np.asarray(r).flags.writeable
    assert memoryview(r).readonly
    for dtype in ALL_DTYPES:
        v = sample(dtype, (3, 5), np.random.default_rng(0))
        assert np.array_equal(np.asarray(memoryview(wa.asarray(v, device="cpu")[:, ::2])), v[:, ::2], equal_nan=True)


# --- another DLPack library -----------------------------------------------------------
def test_exchange_with_jax():
    import jax.numpy as jnp  # installed by ci/test.sh

    j = jnp.arange(10, dtype=jnp.float32) * 2
    x = wa.from_dlpack(j)
    assert x.device.is_cpu and x.get().tolist() == [float(2 * i) for i in range(10)]
    back = jnp.from_dlpack(wa.asarray(np.arange(6, dtype=np.int32).reshape(2, 3), device="cpu"))
    assert back.tolist() == [[0, 1, 2], [3, 4, 5]]
    for dtype in ("float16", "int8", "uint32", "bool"):
        src = wa.asarray(np.arange(5).astype(dtype), device="cpu")
        assert np.asarray(jnp.from_dlpack(src)).tolist() == src.get().tolist()
        assert wa.from_dlpack(jnp.asarray(src.get())).get().tolist() == src.get().tolist()
