//! float32 `exp` that vectorises. It is computed in float64 — n = round(x /
//! ln 2), r = x − n ln 2 (|r| ≤ ln 2 / 2), exp(r) by a degree-7 minimax
//! polynomial (relative error 4e-11; `tools/exp_coefficients.py` computes
//! it), times 2^n built in the exponent bits — and rounded once to float32,
//! so results are within one ulp of the exact value (all but about 0.03% of
//! them correctly rounded), and inputs outside float32's range saturate to
//! inf or 0 through that rounding. There are no branches: a contiguous loop
//! vectorises, and on x86-64 the loops are compiled again for AVX2 and
//! AVX-512 (both with FMA) and picked at run time.
//!
//! Every multiply-add is a fused `mul_add`: one rounding, the same bits
//! from the FMA instruction of every variant and from the C library's `fma`
//! the plain build calls (correct everywhere, slow only on x86-64 processors
//! without FMA, which predate AVX2), so results never depend on the loop
//! variant or the array's layout. Fused, the loop has half the floating-
//! point operations of separate multiplies and adds.

const LOG2E: f64 = std::f64::consts::LOG2_E;
const LN2: f64 = std::f64::consts::LN_2;
/// 1.5 · 2^52: adding it rounds to an integer, left in the low mantissa bits.
const SHIFTER: f64 = 6_755_399_441_055_744.0;
/// exp(r) ≈ Σ C[k] r^k on |r| ≤ ln 2 / 2 (from `tools/exp_coefficients.py`).
const C: [f64; 8] = [
    0.9999999999616817,
    1.0000000002430964,
    0.5000000104536783,
    0.16666665126144015,
    0.04166622542388181,
    0.008333561088308019,
    0.0013948183438243806,
    0.00019775172838400315,
];

/// `exp(x)` for one float32 (see the module's note).
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    // Past ±110 every result is inf or 0 in float32; NaN stays NaN.
    let x = (x as f64).clamp(-110.0, 90.0);
    let k = x.mul_add(LOG2E, SHIFTER);
    let n = k - SHIFTER;
    let r = n.mul_add(-LN2, x);
    let mut p = C[7];
    for c in C[..7].iter().rev() {
        p = p.mul_add(r, *c);
    }
    // 2^n: n + 1023 in the exponent field (n is within ±160).
    let scale = f64::from_bits(k.to_bits().wrapping_sub(SHIFTER.to_bits()).wrapping_add(1023) << 52);
    (p * scale) as f32
}

/// `exp` of the float types: float32's here, float64's the platform's.
pub trait Exp {
    /// e to the power of the value.
    fn exp(self) -> Self;
}

impl Exp for f32 {
    #[inline(always)]
    fn exp(self) -> f32 {
        exp_f32(self)
    }
}

impl Exp for f64 {
    #[inline(always)]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
}

/// The inner-loop function for `exp` over float32 (`run::Run`'s contract:
/// input then output pointers and byte strides, `n` elements).
///
/// # Safety
/// Both operands must hold `n` elements at their strides.
pub unsafe fn run_exp_f32(p: &[*mut u8], s: &[isize], n: usize) {
    let (a, o) = (p[0] as *const f32, p[1] as *mut f32);
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("fma") {
            return unsafe { exp_avx512(a, o, s[0], s[1], n) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            return unsafe { exp_avx2(a, o, s[0], s[1], n) };
        }
    }
    unsafe { exp_loop(a, o, s[0], s[1], n) }
}

/// Raw pointers, not slices: the output may be the input (`out=x`), which
/// gets its own loop (the overlap check exact aliasing fails would make the
/// vectorised loop fall back to scalar code). Strided operands take the
/// plain loop, still inside the caller's FMA variant.
#[inline(always)]
unsafe fn exp_loop(a: *const f32, o: *mut f32, sa: isize, so: isize, n: usize) {
    if sa != 4 || so != 4 {
        for i in 0..n as isize {
            unsafe { *o.byte_offset(i * so) = exp_f32(*a.byte_offset(i * sa)) };
        }
    } else if std::ptr::eq(a, o) {
        for i in 0..n {
            unsafe { *o.add(i) = exp_f32(*o.add(i)) };
        }
    } else {
        for i in 0..n {
            unsafe { *o.add(i) = exp_f32(*a.add(i)) };
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn exp_avx2(a: *const f32, o: *mut f32, sa: isize, so: isize, n: usize) {
    unsafe { exp_loop(a, o, sa, so, n) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn exp_avx512(a: *const f32, o: *mut f32, sa: isize, so: isize, n: usize) {
    unsafe { exp_loop(a, o, sa, so, n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(got: f32, want: f64) -> f64 {
        if want.is_nan() {
            return if got.is_nan() { 0.0 } else { f64::INFINITY };
        }
        let w = want as f32;
        if got == w {
            return 0.0;
        }
        let spacing = (f32::from_bits(w.abs().to_bits() + 1) - w.abs()) as f64;
        (got as f64 - want).abs() / spacing
    }

    #[test]
    fn within_one_ulp_over_the_range_and_exact_at_the_specials() {
        let mut x = -110.0f32;
        let (mut worst, mut inexact, mut count) = (0.0f64, 0, 0);
        while x < 90.0 {
            let u = ulps(exp_f32(x), (x as f64).exp());
            worst = worst.max(u);
            inexact += (u > 0.5) as usize;
            count += 1;
            x += 0.0137;
        }
        // Rounding an f64 within 4e-11 of exact: at most just over half an ulp.
        assert!(worst <= 0.51, "{worst}");
        assert!(inexact * 1000 < count, "{inexact} of {count} not correctly rounded");
        assert_eq!(exp_f32(0.0), 1.0);
        assert_eq!(exp_f32(-0.0), 1.0);
        assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
        assert!(exp_f32(f32::NAN).is_nan());
        assert_eq!(exp_f32(88.8), f32::INFINITY);
        assert_eq!(exp_f32(-104.0), 0.0);
        assert_eq!(exp_f32(-100.0), (-100f64).exp() as f32); // a subnormal
    }

    #[test]
    fn every_variant_gives_the_same_bits() {
        let x: Vec<f32> = (0..10_000).map(|i| (i as f32 - 5000.0) * 0.021 + 1e-3).collect();
        let mut out = vec![0f32; x.len()];
        let p = [x.as_ptr() as *mut u8, out.as_mut_ptr() as *mut u8];
        unsafe { run_exp_f32(&p, &[4, 4], x.len()) };
        for (a, b) in x.iter().zip(&out) {
            assert_eq!(exp_f32(*a).to_bits(), b.to_bits(), "{a}");
        }
        // Strided: every other input into every other output.
        let mut strided = vec![0f32; x.len()];
        let q = [x.as_ptr() as *mut u8, strided.as_mut_ptr() as *mut u8];
        unsafe { run_exp_f32(&q, &[8, 8], x.len() / 2) };
        for i in (0..x.len()).step_by(2) {
            assert_eq!(strided[i].to_bits(), out[i].to_bits(), "{}", x[i]);
        }
        // In place.
        let mut inplace = x.clone();
        let r = [inplace.as_mut_ptr() as *mut u8; 2];
        unsafe { run_exp_f32(&r, &[4, 4], x.len()) };
        assert!(inplace.iter().zip(&out).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}
