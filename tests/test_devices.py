"""Device listing, device strings, equality, defaults, ``with Device(...)``."""

import os
import subprocess
import sys

import numpy as np
import pytest

import wgarray as wa
from conftest import GPUS


def test_devices_lists_cpu_and_every_adapter():
    devs = wa.devices()
    assert devs[0] == wa.Device("cpu")
    for d in devs:
        info = d.info
        for key in ("name", "backend", "adapter_type", "f64", "i64", "f16"):
            assert key in info, (d, key)
    for d in devs[1:]:
        assert d.info["max_storage_buffer_binding_size"] > 0
        assert d.info["max_buffer_size"] > 0
        assert d.info["max_compute_workgroups_per_dimension"] > 0


def test_device_strings_and_equality():
    assert wa.Device("cpu") == wa.Device("CPU") == "cpu"
    assert hash(wa.Device("cpu")) == hash(wa.Device("cpu"))
    for i, g in enumerate(GPUS):
        assert wa.Device(f"gpu:{i}") == g
        assert wa.Device(g.name) == g
        backend, idx = g.name.split(":")
        assert backend in ("vulkan", "metal", "dx12", "gl")
    if GPUS:
        assert wa.Device("gpu") == GPUS[0] == wa.Device("gpu:0")
        assert wa.Device("gpu") != wa.Device("cpu")


@pytest.mark.parametrize("spec", ["tpu", "gpu:x", "cuda:0", "", "vulkan:-1"])
def test_bad_device_strings_raise_value_error(spec):
    with pytest.raises(ValueError, match="unknown device"):
        wa.Device(spec)


@pytest.mark.parametrize("spec", ["gpu:99", "metal:7", "dx12:3"])
def test_absent_devices_raise_runtime_error(spec):
    with pytest.raises(RuntimeError, match="found"):
        wa.Device(spec)


def test_device_type_errors():
    with pytest.raises(TypeError):
        wa.Device(3)
    with pytest.raises(TypeError):
        wa.zeros(3, device=1.5)


def test_software_adapter_is_never_the_default():
    env = {k: v for k, v in os.environ.items() if k != "WGARRAY_DEVICE"}
    code = "import wgarray as wa; d = wa.default_device(); print(d.name, d.info['software'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    hardware = [g for g in GPUS if not g.info["software"]]
    if hardware:
        assert out[0] == hardware[0].name
    else:
        assert out[0] == "cpu"


def test_wgarray_device_env_sets_the_default():
    target = GPUS[0].name if GPUS else "cpu"
    code = "import wgarray as wa; print(wa.default_device().name, wa.zeros(2).device.name)"
    env = dict(os.environ, WGARRAY_DEVICE=target)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == [target, target]


def test_with_device_sets_creation_default(device):
    before = wa.default_device()
    with device as d:
        assert d is device
        assert wa.zeros(3).device == device
        assert wa.asarray([1, 2]).device == device
        assert wa.arange(3).device == device
        with wa.Device("cpu"):
            assert wa.ones(2).device == wa.Device("cpu")
        assert wa.empty(2).device == device
    assert wa.default_device() == before


def test_every_array_has_device_and_to_device(device):
    x = wa.asarray([1.0, 2.0, 3.0], device=device)
    assert x.device == device
    for target in wa.devices():
        y = x.to_device(target)
        assert y.device == target
        np.testing.assert_array_equal(y.get(), [1.0, 2.0, 3.0])
    assert x.to_device(device) is x
    with pytest.raises(ValueError):
        x.to_device("cpu", stream=1)


def test_default_float_dtype_follows_the_device(device):
    expected = np.float64 if device.info["f64"] else np.float32
    assert wa.zeros(2, device=device).dtype == expected
    assert wa.asarray([1.5], device=device).dtype == expected


def test_synchronize(device):
    x = wa.ones(1000, device=device) * 3
    wa.synchronize()
    device.synchronize()
    assert x.get().sum() == 3000


def test_gpu_without_f64_and_i64_refuses_them_and_defaults_to_32_bits():
    """WGARRAY_GPU_MASK_FEATURES hides adapter features, so a device without
    SHADER_F64/SHADER_INT64 is exercised for real on any adapter."""
    if not GPUS:
        pytest.skip("no GPU adapter (CI=true makes this a failure)")
    code = r'''
import numpy as np, wgarray as wa
d = wa.Device("gpu")
assert not d.info["f64"] and not d.info["i64"], d.info
assert wa.zeros(3, device=d).dtype == np.float32
assert wa.asarray([1.5, 2.5], device=d).dtype == np.float32
assert wa.arange(4, device=d).dtype == np.int32
x = wa.asarray(np.arange(6, dtype=np.int16), device=d)
assert (x.astype(np.float16) * 2).get().tolist() == [0, 2, 4, 6, 8, 10]
assert wa.exp(wa.asarray([0.0, 1.0], device=d)).dtype == np.float32
# Transcendentals run in float32 arithmetic (tests/test_ufuncs.py runs whole
# under this mask in ci/test.sh).
x = np.float32([0.5, 2.0, 3.0])
assert np.array_equal(wa.log(wa.asarray(x, device=d)).get(), np.log(x))
assert np.array_equal((wa.asarray(x, device=d) ** wa.asarray(x, device=d)).get(), x ** x)
for dt in ("float64", "int64", "uint64"):
    try:
        wa.zeros(2, dtype=dt, device=d)
    except TypeError as e:
        assert d.name in str(e) and "SHADER_" in str(e) and dt in str(e), e
    else:
        raise AssertionError(dt)
try:
    wa.asarray(np.zeros(2), device=d)
except TypeError as e:
    assert "float64" in str(e)
else:
    raise AssertionError("float64 upload")
print("ok")
'''
    env = dict(os.environ, WGARRAY_GPU_MASK_FEATURES="f64,i64")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_subgroup_mask_hides_subgroups_and_trees_agree():
    """The workgroup-memory trees that stand in for subgroup builtins give the
    same results (bit for bit on integers) as the builtins' path."""
    if not GPUS:
        pytest.skip("no GPU adapter (CI=true makes this a failure)")
    code = r'''
import numpy as np, wgarray as wa
d = wa.Device("gpu")
print(d.info["subgroups"])
rng = np.random.default_rng(5)
a = rng.integers(-1000, 1000, size=(37, 5003)).astype(np.int32)
x = wa.asarray(a, device=d)
f = wa.asarray(a.astype(np.float32) / 7, device=d)
b = wa.asarray(a % 3 == 0, device=d)
for r in (np.sum(x), np.max(x, axis=1), np.min(x[:, ::3], axis=0), np.bitwise_or.reduce(x, axis=None),
          np.sum(f, axis=1), np.prod(f[:2, :20], axis=1), np.any(b, axis=0), np.all(b), np.logical_xor.reduce(b, axis=1)):
    print(r.get().tobytes().hex())
'''
    out = {}
    for mask in ("", "subgroup"):
        env = dict(os.environ, WGARRAY_GPU_MASK_FEATURES=mask)
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        out[mask] = r.stdout.split()
    assert out["subgroup"][0] == "False"
    assert out[""][0] == str(wa.Device("gpu").info["subgroups"])
    ints = [1, 2, 3, 4, 7, 8, 9]
    assert [out[""][i] for i in ints] == [out["subgroup"][i] for i in ints]
    for i in (5, 6):
        g, w = (np.frombuffer(bytes.fromhex(out[m][i]), np.float32) for m in ("", "subgroup"))
        np.testing.assert_allclose(g, w, rtol=1e-5)
