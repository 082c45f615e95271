"""wgarray against its peers, measured in the same run.

Peers: NumPy on the host (against wgarray's CPU device); where a CUDA GPU
with CuPy and PyTorch is present, CuPy and PyTorch (against wgarray on that
GPU through Vulkan). wgarray also runs on every GPU adapter named with
--device (lavapipe included, for a smoke run; its numbers say nothing about
hardware).

Each run stores its results as benches/results/<machine>.json and a plot as
benches/results/<machine>.png, then rewrites BENCHMARKS.md from every JSON
there, so runs on different machines sit side by side. Benchmarks are never
assertions: nothing here fails on a slow result.

    python benches/bench.py                 # CPU device vs NumPy, sizes up to 1e8
    python benches/bench.py --quick         # smaller sizes, fewer repeats
    python benches/bench.py --device vulkan:0 --machine h100
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benches" / "results"


# ---------------------------------------------------------------- backends


class Backend:
    """One library on one device: how to place data, synchronise, and run each case."""

    def __init__(self, name, xp, put, sync, get, peer_of=None, done=None):
        self.name, self.xp, self.put, self.sync, self.get = name, xp, put, sync, get
        self.peer_of = peer_of  # the wgarray backend this one is a peer for
        # Makes a result real: wgarray's elementwise results are lazy (fused
        # chains), so each timed call computes what it returns.
        self.done = done or (lambda *r: None)


def backends(args):
    import wgarray as wa

    out = [Backend("numpy", np, lambda h: np.array(h, copy=True), lambda: None, lambda x: x, peer_of="wgarray:cpu")]
    out.append(Backend("wgarray:cpu", wa, lambda h: wa.asarray(h, device="cpu", copy=True), lambda: None, lambda x: x.get(),
                       done=lambda r: r is None or wa.evaluate(r)))
    gpus = args.device or [d.name for d in wa.devices() if not d.is_cpu and not d.info["software"]]
    for g in gpus:
        dev = wa.Device(g)
        out.append(Backend(f"wgarray:{g}", wa, lambda h, dev=dev: wa.asarray(h, device=dev), wa.synchronize, lambda x: x.get(),
                           done=lambda r: r is None or wa.evaluate(r)))
    gpu_name = f"wgarray:{gpus[0]}" if gpus else None
    try:
        import cupy as cp

        if cp.cuda.runtime.getDeviceCount() > 0:
            out.append(Backend("cupy", cp, cp.asarray, cp.cuda.Device().synchronize, cp.asnumpy, peer_of=gpu_name))
    except Exception:  # noqa: BLE001 - no CuPy or no CUDA: no CuPy column
        pass
    try:
        import torch

        if torch.cuda.is_available():
            out.append(Backend("torch", TorchNamespace(torch), lambda h: torch.from_numpy(np.ascontiguousarray(h)).cuda(),
                               torch.cuda.synchronize, lambda x: x.cpu().numpy(), peer_of=gpu_name))
    except Exception:  # noqa: BLE001
        pass
    return out


class TorchNamespace:
    """The few NumPy names the cases use, on PyTorch."""

    def __init__(self, torch):
        self.t = torch

    def exp(self, x):
        return self.t.exp(x)

    def mean(self, x, axis=None):
        return self.t.mean(x) if axis is None else self.t.mean(x, dim=axis)

    def sum(self, x, axis=None):
        return self.t.sum(x) if axis is None else self.t.sum(x, dim=axis)

    def max(self, x, axis=None):
        return self.t.max(x) if axis is None else self.t.amax(x, dim=axis)

    def cumsum(self, x):
        return self.t.cumsum(x, dim=0)

    def sort(self, x):
        return self.t.sort(x).values

    def matmul(self, a, b):
        return self.t.matmul(a, b)


# ---------------------------------------------------------------- timing


def timeit(fn, sync, budget, done=lambda *r: None):
    """Seconds per call: the best of several batches, each synchronised;
    ``done`` makes each call's result real."""
    done(fn())
    sync()
    t = time.perf_counter()
    done(fn())
    sync()
    once = max(time.perf_counter() - t, 1e-7)
    per_batch = max(1, int(budget / 5 / once))
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(per_batch):
            done(fn())
        sync()
        best = min(best, (time.perf_counter() - t) / per_batch)
    return best


def cases(quick):
    """(group, case label, size label, setup(backend) -> fn, bytes moved, flops)."""
    rng = np.random.default_rng(0)
    sizes = [10**3, 10**4, 10**5, 10**6, 10**7] + ([] if quick else [10**8])
    out = []
    for dt in ("float32", "float64"):
        for n in sizes:
            isz = np.dtype(dt).itemsize
            h = [rng.random(n).astype(dt) for _ in range(3)]

            def setup(b, h=h):
                a, bb, c = (b.put(v) for v in h)
                return lambda: a * bb + c

            out.append(("elementwise", f"a*b+c {dt}", n, setup, 4 * n * isz, 2 * n))
    big = 10**6 if quick else 10**7
    h1 = rng.random(big).astype(np.float32)
    h2 = rng.random((big // 1000, 1000)).astype(np.float32)
    for name in ("sum", "mean", "max"):
        out.append(("reductions", f"{name} all float32", big,
                    lambda b, name=name: (lambda x: lambda: getattr(b.xp, name)(x))(b.put(h1)), big * 4, big))
        for axis in (0, 1):
            out.append(("reductions", f"{name} axis={axis} of {h2.shape[0]}x{h2.shape[1]} float32", big,
                        lambda b, name=name, axis=axis: (lambda x: lambda: getattr(b.xp, name)(x, axis=axis))(b.put(h2)),
                        big * 4, big))
    for n in sizes[2:]:
        hx = rng.standard_normal(n).astype(np.float32)
        out.append(("fused", "mean(exp(x)) float32", n, lambda b, hx=hx: (lambda x: lambda: b.xp.mean(b.xp.exp(x)))(b.put(hx)),
                    n * 4, 2 * n))
    for n in sizes[2:-1]:
        hx = rng.random(n).astype(np.float32)
        out.append(("scan and sort", "cumsum float32", n, lambda b, hx=hx: (lambda x: lambda: b.xp.cumsum(x))(b.put(hx)), 2 * n * 4, n))
        out.append(("scan and sort", "sort float32", n, lambda b, hx=hx: (lambda x: lambda: b.xp.sort(x))(b.put(hx)), 2 * n * 4, 0))
    for n in ((512, 1024) if quick else (512, 1024, 2048, 4096)):
        ha, hb = rng.random((n, n)).astype(np.float32), rng.random((n, n)).astype(np.float32)

        def mm(b, ha=ha, hb=hb, n=n):
            x, y = b.put(ha), b.put(hb)
            return lambda: b.xp.matmul(x, y)

        out.append(("matmul", "matmul float32", n, mm, 3 * n * n * 4, 2 * n**3))
    hs = rng.random(1000).astype(np.float32)

    def small(b):
        x, y = b.put(hs), b.put(hs)

        def run():
            for _ in range(10_000):
                b.done(x + y)

        return run

    out.append(("overhead", "10,000 eager x+y of 1,000 float32", 1000, small, 0, 0))
    return out


def copy_bandwidth(b, n):
    """Device-to-device copy GB/s (read + write) on backend ``b``."""
    x = b.put(np.ones(n, dtype=np.float32))
    copy = (lambda: x.clone()) if b.name == "torch" else (lambda: x.copy())
    return 2 * n * 4 / timeit(copy, b.sync, 0.5, b.done) / 1e9


def transfer_bandwidth(b, n):
    """Host→device and device→host GB/s, for backends whose arrays live off the host."""
    h = np.ones(n, dtype=np.float32)
    x = b.put(h)
    up = n * 4 / timeit(lambda: b.put(h), b.sync, 0.5) / 1e9
    down = n * 4 / timeit(lambda: b.get(x), b.sync, 0.5) / 1e9
    return up, down


# ---------------------------------------------------------------- running


def git_commit():
    """The wgarray commit measured (None outside a git checkout)."""
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        return out.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def machine_info(bs):
    import wgarray as wa

    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "date": datetime.date.today().isoformat(),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "wgarray": getattr(wa, "__version__", "dev"),
        "devices": {},
        "commit": git_commit(),
        "fusion": wa.fusion(),
    }
    for b in bs:
        if b.name.startswith("wgarray:") and b.name != "wgarray:cpu":
            d = wa.Device(b.name.split(":", 1)[1]).info
            info["devices"][b.name] = f"{d['name']} ({d['driver']})"
        if b.name == "cupy":
            import cupy as cp

            info["cupy"] = cp.__version__
            info["devices"]["cupy"] = cp.cuda.runtime.getDeviceProperties(0)["name"].decode()
        if b.name == "torch":
            import torch

            info["torch"] = torch.__version__
    return info


def run(args):
    bs = backends(args)
    budget = 0.05 if args.quick else 0.3
    results = []
    copy_n = 10**7 if args.quick else 5 * 10**7
    bandwidth = {}
    for b in bs:
        bandwidth[b.name] = {"copy": copy_bandwidth(b, copy_n)}
        if b.name not in ("numpy", "wgarray:cpu"):
            bandwidth[b.name]["upload"], bandwidth[b.name]["download"] = transfer_bandwidth(b, copy_n)
        print(f"{b.name}: bandwidth {bandwidth[b.name]}", flush=True)
    for group, label, size, setup, nbytes, flops in cases(args.quick):
        row = {"group": group, "case": label, "size": size, "bytes": nbytes, "flops": flops, "seconds": {}}
        for b in bs:
            try:
                fn = setup(b)
                row["seconds"][b.name] = timeit(fn, b.sync, budget, b.done)
            except Exception as e:  # noqa: BLE001 - a case a backend lacks is recorded, not fatal
                row["seconds"][b.name] = None
                row.setdefault("errors", {})[b.name] = f"{type(e).__name__}: {e}"[:200]
            finally:
                fn = None
        print(f"{group:14s} {label:45s} {size:>10}  " + "  ".join(
            f"{k}={v * 1e3:.3f}ms" if v else f"{k}=n/a" for k, v in row["seconds"].items()), flush=True)
        results.append(row)
    peers = {b.name: b.peer_of for b in bs if b.peer_of}
    return {"machine": args.machine, "info": machine_info(bs), "bandwidth": bandwidth, "peers": peers, "results": results}


# ---------------------------------------------------------------- reporting


def fmt_time(s):
    if s is None:
        return "n/a"
    return f"{s * 1e6:.1f} µs" if s < 1e-3 else f"{s * 1e3:.2f} ms"


def render_machine(data):
    info, bw, peers = data["info"], data["bandwidth"], data["peers"]
    lines = [f"## {data['machine']} — {info['date']}", ""]
    lines.append(f"- CPU: {info['cpu']}; Python {info['python']}, NumPy {info['numpy']}, wgarray {info['wgarray']}"
                 + (f", CuPy {info['cupy']}" if "cupy" in info else "") + (f", PyTorch {info['torch']}" if "torch" in info else ""))
    if info.get("commit"):
        fused = {True: "lazy fusion on", False: "lazy fusion off", None: "before lazy fusion"}[info.get("fusion")]
        lines.append(f"- wgarray commit {info['commit']} ({fused})")
    for k, v in info["devices"].items():
        lines.append(f"- {k}: {v}")
    lines.append("- Copy bandwidth (device to device, read + write): " + ", ".join(f"{k} {v['copy']:.1f} GB/s" for k, v in bw.items()))
    for k, v in bw.items():
        if "upload" in v:
            lines.append(f"- {k} transfers: host→device {v['upload']:.2f} GB/s, device→host {v['download']:.2f} GB/s")
    lines.append("")
    lines.append("Ratio = peer time / wgarray time (above 1: wgarray is faster). "
                 "GB/s counts the bytes a single pass must move; % copy is that over the same device's copy bandwidth.")
    names = list(data["results"][0]["seconds"])
    wg = [n for n in names if n.startswith("wgarray:")]
    groups = []
    for r in data["results"]:
        if r["group"] not in groups:
            groups.append(r["group"])
    for g in groups:
        lines += ["", f"### {g}", ""]
        head = ["case", "size"] + [f"{n}" for n in names]
        for w in wg:
            head.append(f"{w} GB/s (% copy)" if g != "matmul" else f"{w} TFLOP/s")
            head += [f"{w} vs {p}" for p, of in peers.items() if of == w]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for r in (r for r in data["results"] if r["group"] == g):
            s = r["seconds"]
            cells = [r["case"], f"{r['size']:,}"] + [fmt_time(s.get(n)) for n in names]
            for w in wg:
                t = s.get(w)
                if g == "matmul":
                    cells.append(f"{r['flops'] / t / 1e12:.2f}" if t else "n/a")
                elif r["bytes"] and t:
                    gbs = r["bytes"] / t / 1e9
                    cells.append(f"{gbs:.1f} ({100 * gbs / bw[w]['copy']:.0f}%)")
                else:
                    cells.append("—")
                for p, of in peers.items():
                    if of == w:
                        cells.append(f"{s[p] / t:.2f}×" if s.get(p) and t else "n/a")
            lines.append("| " + " | ".join(cells) + " |")
        errors = [(r["case"], r["size"], k, e) for r in data["results"] if r["group"] == g for k, e in r.get("errors", {}).items()]
        for case, size, k, e in errors:
            lines.append(f"\n{k} could not run {case} ({size:,}): `{e}`")
    lines += ["", f"![{data['machine']}](benches/results/{data['machine']}.png)", ""]
    return "\n".join(lines)


def plot(data, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot", file=sys.stderr)
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, dt in zip(axes, ("float32", "float64")):
        rows = [r for r in data["results"] if r["case"] == f"a*b+c {dt}"]
        for name in rows[0]["seconds"]:
            pts = [(r["size"], r["bytes"] / r["seconds"][name] / 1e9) for r in rows if r["seconds"].get(name)]
            if pts:
                ax.plot(*zip(*pts), marker="o", label=name)
        ax.set_xscale("log")
        ax.set_xlabel("elements")
        ax.set_ylabel("GB/s (4 arrays moved)")
        ax.set_title(f"a*b+c, {dt} — {data['machine']}")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def write_report():
    runs = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    text = [
        "# Benchmarks",
        "",
        "Written by `benches/bench.py` (run it with `bash ci/bench.sh`); each section is one machine's run, every",
        "library measured in that same run. Benchmarks are not tests: nothing fails on a slow number.",
        "",
    ]
    for r in runs:
        text.append(render_machine(r))
    (ROOT / "BENCHMARKS.md").write_text("\n".join(text))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--machine", default=platform.node() or "host", help="name of this machine's section and files")
    ap.add_argument("--device", action="append", help="wgarray GPU device to measure (repeatable); default: hardware GPUs")
    ap.add_argument("--quick", action="store_true", help="smaller sizes and shorter timing")
    ap.add_argument("--report-only", action="store_true", help="rewrite BENCHMARKS.md from stored results")
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        data = run(args)
        (RESULTS / f"{args.machine}.json").write_text(json.dumps(data, indent=1))
        plot(data, RESULTS / f"{args.machine}.png")
    write_report()
    print(f"wrote {ROOT / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    main()
