"""Coefficients of the CPU float32 exp polynomial (crates/wgarray-kernels/src/cpu/exp.rs).

A Remez exchange for the degree-7 polynomial p minimising max |p(r)/e^r - 1|
on |r| <= ln2/2 (widened by 1e-6: the reduced argument can land just past
it). Prints the coefficients, constant term first, and the relative error
reached. Needs mpmath (`pip install mpmath`):

    python tools/exp_coefficients.py
"""

import mpmath as mp

mp.mp.dps = 50
DEGREE = 7
HALF = mp.log(2) / 2 * (1 + mp.mpf("1e-6"))


def relerr(c, x):
    return mp.polyval(c[::-1], x) / mp.exp(x) - 1


def remez(degree, a, b, rounds=20, grid=4000):
    n = degree + 2
    xs = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * i / (n - 1)) for i in range(n)]
    for _ in range(rounds):
        rows = [[x**j for j in range(degree + 1)] + [(-1) ** i * mp.exp(x)] for i, x in enumerate(xs)]
        sol = mp.lu_solve(mp.matrix(rows), mp.matrix([mp.exp(x) for x in xs]))
        c = [sol[j] for j in range(degree + 1)]
        pts = [a + (b - a) * k / grid for k in range(grid + 1)]
        vals = [relerr(c, x) for x in pts]
        ext = [0] + [k for k in range(1, grid) if (vals[k] - vals[k - 1]) * (vals[k + 1] - vals[k]) <= 0] + [grid]
        if len(ext) != n:
            break
        xs = [pts[k] for k in ext]
    return c, max(abs(v) for v in vals)


if __name__ == "__main__":
    coeffs, err = remez(DEGREE, -HALF, HALF)
    print("max relative error", mp.nstr(err, 4))
    for c in coeffs:
        print(f"    {float(c)!r},")
