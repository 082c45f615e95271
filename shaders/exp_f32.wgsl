// exp for float32 (and float16, computed in float32), written out because
// Vulkan lets drivers' exp be off by 3 + 2|x| ulp (lavapipe: 7 ulp near
// |x| = 20). Same method as exp_f64.wgsl: exp(x) = 2^k * exp(r),
// r = x - k ln2 (ln2 split Cody-Waite style), exp(r) by its Taylor series to
// degree 8 (|r| <= ln2/2: truncation < 1e-9), scaled in two steps so
// subnormal results come out right.
// Branch-free (the ends and NaN by selects) so a reduction folding exp(x)
// keeps its loads in flight; the clamp keeps k in range for pow2_f32.
fn exp_f32(x: f32) -> f32 {
    var y = exp_scaled_f32(clamp(x, -104.0f, 89.0f), 0);
    y = select(y, bitcast<f32>(0x7F800000u), x > 88.72283935546875);
    y = select(y, 0.0f, x < -103.97208404541016);
    return select(y, x, isnan_f32(x));
}

// exp(x) * 2^s for finite x whose result, and exp(x) * 2^min(s, 0), are
// within the float32 range or just past it (overflow gives inf, underflow 0).
fn exp_scaled_f32(x: f32, s: i32) -> f32 {
    let k = round(x * 1.4426950408889634);
    let r = fma(-k, 1.4286068203094173e-06, fma(-k, 0.693145751953125, x));
    let ki = i32(k) + s;
    let k1 = ki >> 1u;
    return exp_poly_f32(r) * pow2_f32(k1) * pow2_f32(ki - k1);
}

// exp(r) for |r| <= ln2/2 (a little beyond is fine): Taylor to degree 8.
fn exp_poly_f32(r: f32) -> f32 {
    var p = 2.4801587301587302e-05;
    p = fma(p, r, 1.9841269841269841e-04);
    p = fma(p, r, 1.3888888888888889e-03);
    p = fma(p, r, 8.3333333333333332e-03);
    p = fma(p, r, 4.1666666666666664e-02);
    p = fma(p, r, 0.16666666666666666);
    p = fma(p, r, 0.5);
    p = fma(p, r, 1.0);
    return fma(p, r, 1.0);
}

// 2^k for -126 <= k <= 127, built from its bits.
fn pow2_f32(k: i32) -> f32 {
    return bitcast<f32>(u32(k + 127) << 23u);
}
