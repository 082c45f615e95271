"""Measures each transcendental ufunc's largest difference from NumPy, in
units in the last place, per dtype and device, and writes docs/ulp.md.

    python ci/ulp_table.py        (after ci/setup.sh)

Inputs: log-uniform magnitudes over the dtype's whole exponent range (both
signs), uniform values in [-4, 4], and the special values (±0, ±inf, NaN,
subnormals, the largest finite value)."""

import datetime
import sys
import warnings
from pathlib import Path

import numpy as np

import wgarray as wa

FUNCS1 = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos",
          "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "cbrt", "sqrt"]
FUNCS2 = ["power", "arctan2", "hypot", "logaddexp", "logaddexp2"]
N = 20000


def inputs(dt, rng):
    fi = np.finfo(dt)
    lo, hi = np.log2(float(fi.smallest_subnormal)), np.log2(float(fi.max))
    mags = np.exp2(rng.uniform(lo, hi, N)) * rng.choice([-1.0, 1.0], N)
    near = rng.uniform(-4, 4, N)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, float(fi.smallest_subnormal), float(fi.tiny), float(fi.max),
                        -float(fi.max), 1.0, -1.0, 0.5])
    with np.errstate(all="ignore"):
        return np.concatenate([mags, near, special]).astype(dt)


def ulps(got, want):
    both_nan = np.isnan(got) & np.isnan(want)
    with np.errstate(all="ignore"):
        sp = np.abs(np.spacing(want)).astype(np.float64)
        d = np.abs(got.astype(np.float64) - want.astype(np.float64)) / sp
    d[(got == want) | both_nan] = 0
    d[np.isnan(got) != np.isnan(want)] = np.inf
    return d


def measure(name, dt, device, rng):
    f_np, f_wa = getattr(np, name), getattr(wa, name)
    nin = f_np.nin
    args = [inputs(dt, rng) for _ in range(nin)]
    if nin == 2:
        args[1] = rng.permutation(args[1])
    if name == "power":
        # Exponents that keep x ** y finite and nonzero, so the table measures
        # results rather than overflow: y log x spread over the finite range.
        fi = np.finfo(dt)
        t = rng.uniform(np.log(float(fi.smallest_subnormal)), np.log(float(fi.max)), len(args[0]))
        with np.errstate(all="ignore"):
            y = t / np.log(np.abs(args[0].astype(np.float64)))
        args[1] = np.where(np.isfinite(y), y, args[1]).astype(dt)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = f_np(*args)
        try:
            got = f_wa(*[wa.asarray(a, device=device) for a in args]).get()
        except NotImplementedError:
            return None
    return float(ulps(got, want).max())


def main():
    rng = np.random.default_rng(2026)
    devices = wa.devices()
    dtypes = [np.float16, np.float32, np.float64]
    lines = [
        "# Transcendental functions: largest difference from NumPy",
        "",
        "Units in the last place (ulp) between wgarray and NumPy "
        f"{np.__version__}, measured by `ci/ulp_table.py` on {datetime.date.today()} over "
        f"{2 * N + 12} inputs per function and dtype: log-uniform magnitudes across the dtype's "
        "whole range, uniform values in [-4, 4], and ±0, ±inf, NaN, subnormals, the largest "
        "finite value (for power: y chosen so that x ** y is finite and nonzero). `—` means the device has no kernel for it yet (it raises "
        "NotImplementedError); `inf` would mean a NaN where NumPy has a number or the reverse.",
        "",
        "Devices: " + "; ".join(f"`{d.name}` ({d.info['name']})" for d in devices) + ".",
        "",
        "The bound wgarray holds itself to is 4 ulp. Where logaddexp/logaddexp2's result nearly "
        "cancels (x + log1p(exp(y - x)) ≈ 0), the difference from NumPy can exceed it: both then "
        "carry errors of tens to hundreds of ulp against the true value, from different "
        "roundings of the same algorithm.",
        "",
        "| function | " + " | ".join(f"{d.name} {np.dtype(t).name}" for d in devices for t in dtypes) + " |",
        "| --- | " + " | ".join("---:" for _ in devices for _ in dtypes) + " |",
    ]
    for name in FUNCS1 + FUNCS2:
        cells = []
        for d in devices:
            for t in dtypes:
                m = measure(name, t, d, rng)
                cells.append("—" if m is None else ("inf" if m == float("inf") else f"{m:g}"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr)
    out = Path(__file__).resolve().parent.parent / "docs" / "ulp.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
