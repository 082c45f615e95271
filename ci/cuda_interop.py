"""DLPack exchange with PyTorch and CuPy on a CUDA machine (not a test: CI has
no CUDA GPU; run by hand where one is, e.g. on the H100 the project borrows).

Checks what docs/dlpack.md promises against real CUDA producers/consumers:
host tensors move both ways without a copy; CUDA tensors are refused with
NumPy's BufferError before the capsule is consumed (the producer keeps its
tensor); wgarray's Vulkan capsules are refused by CUDA consumers; the host-copy
route (dl_device=(1, 0)) works. Prints one line per check and exits non-zero
if any fails.

    python ci/cuda_interop.py
"""

from __future__ import annotations

import sys
import traceback

import numpy as np

import wgarray as wa

FAILED = []


def check(name):
    def wrap(fn):
        try:
            note = fn()
            print(f"ok    {name}" + (f"  ({note})" if note else ""), flush=True)
        except Exception:  # noqa: BLE001 - report every check
            FAILED.append(name)
            print(f"FAIL  {name}\n{traceback.format_exc()}", flush=True)
        return fn

    return wrap


def refusal(fn):
    """(class name, message) of what ``fn`` raises."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return None


def main():
    import cupy as cp
    import torch

    gpu = next(d for d in wa.devices() if not d.is_cpu)
    print("wgarray devices:", [(d.name, d.info["name"], d.info["driver"]) for d in wa.devices()])
    print("torch", torch.__version__, "cupy", cp.__version__, "numpy", np.__version__)

    @check("torch CPU tensor -> wgarray, zero-copy")
    def _():
        t = torch.arange(12, dtype=torch.float32).reshape(3, 4)[:, 1:]
        x = wa.from_dlpack(t)
        assert x.device.is_cpu and x.get().tolist() == t.tolist()
        x[0, 0] = -7
        assert t[0, 0].item() == -7

    @check("wgarray CPU array -> torch, zero-copy, every dtype torch has")
    def _():
        for dt in ("bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64"):
            x = wa.asarray(np.arange(6).astype(dt).reshape(2, 3), device="cpu")
            t = torch.from_dlpack(x[:, ::2])
            assert t.numpy().tolist() == x.get()[:, ::2].tolist(), dt
        x = wa.zeros(4, dtype="float32", device="cpu")
        t = torch.from_dlpack(x)
        t[1] = 5
        assert float(x[1]) == 5

    for lib, make in (("torch", lambda: torch.arange(5, dtype=torch.float32, device="cuda")),
                      ("cupy", lambda: cp.arange(5, dtype=cp.float32))):

        @check(f"{lib} CUDA array -> wgarray refused like NumPy, producer intact")
        def _(make=make, lib=lib):
            src = make()
            ours = refusal(lambda: wa.from_dlpack(src))
            theirs = refusal(lambda: np.from_dlpack(src))
            assert ours == ("BufferError", "Unsupported device in DLTensor."), ours
            # NumPy itself may copy through dl_device=(1, 0) on new producers; record what it does.
            again = src * 2  # the producer's tensor still works
            assert float(again.sum()) == 20.0
            return f"numpy: {theirs or 'copied to host'}"

        @check(f"{lib} CUDA array -> wgarray with device='cpu' (host copy where the producer offers one)")
        def _(make=make, lib=lib):
            src = make()
            try:
                x = wa.from_dlpack(src, device="cpu")
            except BufferError as e:
                assert str(e) == "Unsupported device in DLTensor.", e
                return f"refused: {e}"
            assert x.device.is_cpu and x.get().tolist() == [0, 1, 2, 3, 4]
            return "copied by the producer"

    @check("wgarray Vulkan array -> torch/cupy refused, array intact")
    def _():
        x = wa.asarray(np.arange(4, dtype=np.float32), device=gpu)
        t = refusal(lambda: torch.from_dlpack(x))
        c = refusal(lambda: cp.from_dlpack(x))
        assert t is not None and c is not None, (t, c)
        assert x.get().tolist() == [0, 1, 2, 3]
        return f"torch: {t}; cupy: {c}"

    @check("wgarray Vulkan array -> host copy (dl_device=(1, 0)) consumed by torch")
    def _():
        x = wa.asarray(np.arange(6, dtype=np.float32), device=gpu) * 3

        class HostCopy:
            def __dlpack__(self, **kw):
                kw.pop("dl_device", None)
                return x.__dlpack__(dl_device=(1, 0), **kw)

            def __dlpack_device__(self):
                return (1, 0)

        t = torch.from_dlpack(HostCopy())
        assert t.tolist() == [0, 3, 6, 9, 12, 15]

    @check("wgarray Vulkan capsule exports a VkBuffer handle with stream=-1")
    def _():
        x = wa.asarray(np.ones(1000, np.float32), device=gpu) + 1
        assert x.__dlpack_device__()[0] == 7, x.__dlpack_device__()
        cap = x.__dlpack__(stream=-1, max_version=(1, 0))
        y = wa.from_dlpack(x)
        assert float(y.sum()) == 2000.0
        del cap

    print(f"{len(FAILED)} failed" + (": " + ", ".join(FAILED) if FAILED else ""))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
