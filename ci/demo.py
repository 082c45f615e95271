"""wgarray's demo: the devices it sees, and NumPy-style work on each."""

import time

import numpy as np

import wgarray as wa


def show_devices():
    print("Devices wgarray sees (best first):")
    for d in wa.devices():
        i = d.info
        feats = ", ".join(f for f in ("f64", "i64", "f16") if i.get(f)) or "none"
        extra = ""
        if not d.is_cpu:
            extra = f"; binding limit {i['max_storage_buffer_binding_size'] >> 20} MiB"
            extra += "; software rasteriser" if i["software"] else ""
        print(f"  {d.name:10s} {i['name']} [{i['backend']}, {i['adapter_type']}; dtype features: {feats}{extra}]")
    print(f"Default device: {wa.default_device().name}\n")


def work(device):
    print(f"--- on {device.name} ---")
    x = wa.linspace(-2, 2, 1_000_000, dtype=np.float32, device=device)
    t = time.perf_counter()
    y = wa.exp(x) * 0.5 + 1.0  # three kernels on the device
    host = y.get()  # waits for them and copies to the host
    ms = (time.perf_counter() - t) * 1e3
    print(f"y = exp(x) * 0.5 + 1 over {x.size:,} float32 on {y.device.name}: {ms:.1f} ms")
    # NumPy's own functions dispatch to wgarray (NEP 13/18): this runs on the
    # device and returns a 0-d wgarray array there.
    m_dev = np.mean(np.exp(x))
    ref = float(np.mean(np.exp(np.linspace(-2, 2, 1_000_000, dtype=np.float32))))
    print(f"np.mean(np.exp(x)) = {float(m_dev):.6f} on {m_dev.device.name}, a {type(m_dev).__module__}.ndarray "
          f"(NumPy: {ref:.6f})")
    grid = wa.asarray(np.arange(24, dtype=np.float32).reshape(4, 6), device=device)
    print("np.sum(grid, axis=0):", np.sum(grid, axis=0).tolist(), " argmax per row:", np.argmax(grid, axis=1).tolist(),
          " cumsum of row 0:", np.cumsum(grid[0]).tolist())
    m = wa.asarray(np.arange(12).reshape(3, 4), device=device)
    print("views and setitem:", m[::-1, 1::2].T.tolist(), end=" ")
    m[1] = 0
    print("->", m.tolist())
    print(repr(wa.exp(wa.asarray([0.0, 1.0, 2.0], device=device))))
    print()


if __name__ == "__main__":
    show_devices()
    work(wa.default_device())
    gpus = [d for d in wa.devices() if not d.is_cpu]
    if gpus and gpus[0] != wa.default_device():
        work(gpus[0])
    elif not gpus:
        print("No GPU adapter found: install a Vulkan driver (ci/setup.sh installs lavapipe on Debian).")
