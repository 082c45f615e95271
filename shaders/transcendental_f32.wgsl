// float32 transcendental functions in float32 arithmetic (float16 computes
// through them), so they run on devices without float64 and at full speed
// on the rest. The methods mirror transcendental_f64.wgsl with float32's
// constants and series lengths; where float64 could afford a cancellation,
// float32 takes fdlibm's cancellation-free forms:
// log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), s = f / (2 + f), and
// expm1(x) = 2^k expm1(r) + (2^k - 1). Nothing relies on fma being fused
// (Vulkan lets it round twice); the one compensated step (log1p's rounding
// of 1 + x) goes through opaque_f32 so the compiler cannot fold it away.

fn opaque_f32(x: f32) -> f32 {
    return bitcast<f32>(bitcast<u32>(x) | P.zero.x);
}

fn inf_f32() -> f32 { return bitcast<f32>(0x7F800000u); }

const LN2_F32: f32 = 0.6931471805599453f;
const LN2_HI_F32: f32 = 0.693145751953125f;     // 15 bits: e * it is exact
const LN2_LO_F32: f32 = 1.4286068203094173e-06f;

// (e, m) with x = m * 2^e, m in [sqrt(1/2), sqrt(2)); x finite, > 0.
fn log_reduce_f32(x: f32) -> vec2<f32> {
    let u = bitcast<u32>(x);
    var e = i32(u >> 23u) - 127;
    var mb = u & 0x007FFFFFu;
    if ((u >> 23u) == 0u) {
        let sh = countLeadingZeros(mb) - 8u;
        mb = (mb << sh) & 0x007FFFFFu;
        e = -126 - i32(sh);
    }
    var m = bitcast<f32>(mb | 0x3F800000u);
    if (m > 1.4142135f) {
        m = m * 0.5f;
        e = e + 1;
    }
    return vec2<f32>(f32(e), m);
}

// log(1 + f) for f in [sqrt(1/2) - 1, sqrt(2) - 1], f exact.
fn log1p_reduced_f32(f: f32) -> f32 {
    let s = f / (2.0f + f);
    let z = s * s;
    // R = 2z/3 + 2z^2/5 + ...: truncation below 1e-10 relative (z <= 0.0295).
    var r = 2.0f / 13.0f;
    r = fma(r, z, 2.0f / 11.0f);
    r = fma(r, z, 2.0f / 9.0f);
    r = fma(r, z, 2.0f / 7.0f);
    r = fma(r, z, 2.0f / 5.0f);
    r = fma(r, z, 2.0f / 3.0f);
    let hfsq = 0.5f * f * f;
    return f - (hfsq - s * (hfsq + z * r));
}

// NaN, zero, negative and infinite arguments of the log family; `x` false
// means the argument is finite and positive.
fn log_special_f32(x: f32) -> vec2<f32> {
    let u = bitcast<u32>(x);
    if (isnan_f32(x)) { return vec2<f32>(1.0f, x); }
    if ((u & 0x7FFFFFFFu) == 0u) { return vec2<f32>(1.0f, -inf_f32()); }
    if ((u >> 31u) != 0u) { return vec2<f32>(1.0f, nan_f32()); }
    if (u == 0x7F800000u) { return vec2<f32>(1.0f, x); }
    return vec2<f32>(0.0f, 0.0f);
}

fn log_f32(x: f32) -> f32 {
    let sp = log_special_f32(x);
    if (sp.x != 0.0f) { return sp.y; }
    let em = log_reduce_f32(x);
    let l = log1p_reduced_f32(em.y - 1.0f);
    return em.x * LN2_HI_F32 + (l + em.x * LN2_LO_F32);
}

fn log2_f32(x: f32) -> f32 {
    let sp = log_special_f32(x);
    if (sp.x != 0.0f) { return sp.y; }
    let em = log_reduce_f32(x);
    let l = log1p_reduced_f32(em.y - 1.0f);
    // 1/ln2 = 1.4426950216293335 + 1.925963033500011e-08.
    return em.x + (l * 1.4426950216293335f + l * 1.925963033500011e-08f);
}

fn log10_f32(x: f32) -> f32 {
    let sp = log_special_f32(x);
    if (sp.x != 0.0f) { return sp.y; }
    let em = log_reduce_f32(x);
    let l = log1p_reduced_f32(em.y - 1.0f);
    // log10(2) = 0.30103302001953125 (16 bits) - 3.024355464731343e-06;
    // 1/ln10 = 0.4342944920063019 - 1.0103049952192578e-08.
    let lo = em.x * -3.024355464731343e-06f + (l * 0.4342944920063019f + l * -1.0103049952192578e-08f);
    return em.x * 0.30103302001953125f + lo;
}

fn log1p_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    if (x == -1.0f) { return -inf_f32(); }
    if (x < -1.0f) { return nan_f32(); }
    if (isinf_f32(x)) { return x; }
    if (x > -0.29289323f && x < 0.41421357f) { return log1p_reduced_f32(x); }
    // u = 1 + x rounded; c = the rounding error (exact: both steps are),
    // log1p(x) = log(u) + c / u. Beyond 2^24, c no longer matters.
    let u = opaque_f32(1.0f + x);
    var c = 0.0f;
    if (x < 16777216.0f) { c = x - opaque_f32(u - 1.0f); }
    let em = log_reduce_f32(u);
    let l = log1p_reduced_f32(em.y - 1.0f);
    return em.x * LN2_HI_F32 + (l + (em.x * LN2_LO_F32 + c / u));
}

fn exp2_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    if (x >= 128.0f) { return inf_f32(); }
    if (x < -150.0f) { return 0.0f; }
    let k = round(x);
    let ki = i32(k);
    let k1 = ki / 2;
    return exp_poly_f32((x - k) * LN2_F32) * pow2_f32(k1) * pow2_f32(ki - k1);
}

// expm1(r) for |r| <= 0.35: r + r^2 (1/2 + r/6 + ...), to degree 9.
fn expm1_poly_f32(r: f32) -> f32 {
    var q = 2.755731922398589e-7f;
    q = fma(q, r, 2.7557319223985893e-6f);
    q = fma(q, r, 2.48015873015873e-5f);
    q = fma(q, r, 1.984126984126984e-4f);
    q = fma(q, r, 1.388888888888889e-3f);
    q = fma(q, r, 8.333333333333333e-3f);
    q = fma(q, r, 4.1666666666666664e-2f);
    q = fma(q, r, 0.16666666666666666f);
    q = fma(q, r, 0.5f);
    return r + (r * r) * q;
}

fn expm1_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    if (x > 88.72283935546875f) { return inf_f32(); }
    if (x < -18.0f) { return -1.0f; }
    if (fabs_f32(x) < 0.34657359f) { return expm1_poly_f32(x); }
    let k = round(x * 1.4426950408889634f);
    let r = fma(-k, LN2_LO_F32, fma(-k, LN2_HI_F32, x));
    let em = expm1_poly_f32(r);
    let ki = i32(k);
    if (ki > 24) {
        let k1 = ki / 2;
        return (em + 1.0f) * pow2_f32(k1) * pow2_f32(ki - k1);
    }
    let t = pow2_f32(ki);
    return t * em + (t - 1.0f);
}

fn sinh_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    var r: f32;
    if (a < 1.0f) {
        let a2 = a * a;
        var q = 1.6059043836821613e-10f;  // 1/13!
        q = fma(q, a2, 2.505210838544172e-08f);
        q = fma(q, a2, 2.7557319223985893e-06f);
        q = fma(q, a2, 0.0001984126984126984f);
        q = fma(q, a2, 0.008333333333333333f);
        q = fma(q, a2, 0.16666666666666666f);
        r = a + (a * a2) * q;
    } else if (a < 9.0f) {
        let t = expm1_f32(a);
        r = 0.5f * (t + t / (t + 1.0f));
    } else if (a < 89.5f) {
        r = exp_scaled_f32(a, -1);   // e^-a is below half an ulp here
    } else {
        r = inf_f32();
    }
    return copysign_f32(r, x);
}

fn cosh_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    if (a < 9.0f) {
        let e = exp_f32(a);
        return 0.5f * e + 0.5f / e;
    }
    if (a < 89.5f) { return exp_scaled_f32(a, -1); }
    return inf_f32();
}

fn tanh_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    var r: f32;
    if (a < 1.0f) {
        let t = expm1_f32(2.0f * a);
        r = t / (t + 2.0f);
    } else if (a < 9.0f) {
        r = 1.0f - 2.0f / (expm1_f32(2.0f * a) + 2.0f);
    } else {
        r = 1.0f;
    }
    return copysign_f32(r, x);
}

fn arcsinh_f32(x: f32) -> f32 {
    if (isnan_f32(x) || isinf_f32(x)) { return x; }
    let a = fabs_f32(x);
    var r: f32;
    if (a < 2.44140625e-4f) {
        return x;
    } else if (a > 4096.0f) {
        r = log_f32(a) + LN2_F32;
    } else {
        r = log1p_f32(a + a * a / (1.0f + sqrt(1.0f + a * a)));
    }
    return copysign_f32(r, x);
}

fn arccosh_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    if (x < 1.0f) { return nan_f32(); }
    if (isinf_f32(x)) { return x; }
    if (x > 4096.0f) { return log_f32(x) + LN2_F32; }
    if (x >= 2.0f) { return log_f32(2.0f * x - 1.0f / (x + sqrt(x * x - 1.0f))); }
    let t = x - 1.0f;
    return log1p_f32(t + sqrt(2.0f * t + t * t));
}

fn arctanh_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    if (a > 1.0f) { return nan_f32(); }
    if (a == 1.0f) { return copysign_f32(inf_f32(), x); }
    var r: f32;
    if (a < 0.5f) {
        let t = a + a;
        r = 0.5f * log1p_f32(t + t * a / (1.0f - a));
    } else {
        r = 0.5f * log1p_f32((a + a) / (1.0f - a));
    }
    return copysign_f32(r, x);
}

fn cbrt_f32(x: f32) -> f32 {
    if (isnan_f32(x) || isinf_f32(x) || (bitcast<u32>(x) & 0x7FFFFFFFu) == 0u) { return x; }
    var a = fabs_f32(x);
    var k = 0;
    if (a < 1.1754943508222875e-38f) {
        a = a * 16777216.0f;    // 2^24, exact; cbrt(2^24) = 2^8
        k = -8;
    }
    // a = m 2^(3q) with m in [1, 8): Newton's steps on m stay far from the
    // subnormal range (on a itself, y^3 - a near 2^-126 is subnormal, which
    // NVIDIA's driver flushes to zero, stalling the steps: 26% errors).
    let b = bitcast<u32>(a);
    let e = i32(b >> 23u) - 127;
    let q = (e + 384) / 3 - 128;
    let m = bitcast<f32>((b & 0x007FFFFFu) | (u32(e - 3 * q + 127) << 23u));
    var y = 1.5f;
    for (var i = 0; i < 6; i = i + 1) {
        y = y - (y * y * y - m) / (3.0f * y * y);
    }
    return copysign_f32(y * pow2_f32(q + k), x);
}

fn hypot_f32(x: f32, y: f32) -> f32 {
    if (isinf_f32(x) || isinf_f32(y)) { return inf_f32(); }
    if (isnan_f32(x) || isnan_f32(y)) { return nan_f32(); }
    let ax = fabs_f32(x);
    let ay = fabs_f32(y);
    let a = max(ax, ay);
    let b = min(ax, ay);
    if (b == 0.0f) { return a; }
    let q = b / a;
    return a * sqrt(1.0f + q * q);
}

// logaddexp and logaddexp2 as NumPy computes them in float32.
fn logaddexp_f32(x: f32, y: f32) -> f32 {
    if (isnan_f32(x) || isnan_f32(y)) { return nan_f32(); }
    if (x == y) { return x + LN2_F32; }
    let d = x - y;
    if (d > 0.0f) { return x + log1p_f32(exp_f32(-d)); }
    return y + log1p_f32(exp_f32(d));
}

fn logaddexp2_f32(x: f32, y: f32) -> f32 {
    if (isnan_f32(x) || isnan_f32(y)) { return nan_f32(); }
    if (x == y) { return x + 1.0f; }
    let d = x - y;
    if (d > 0.0f) { return x + log1p_f32(exp2_f32(-d)) * 1.442695f; }
    return y + log1p_f32(exp2_f32(d)) * 1.442695f;
}

// Inverse trigonometric functions, as transcendental_f64.wgsl computes them;
// pi/2 and pi/4 carry a low part so their rounding does not add an ulp.
const PI_F32: f32 = 3.1415927410125732f;
const PI_LO_F32: f32 = -8.742277657347586e-08f;
const PI_2_F32: f32 = 1.5707963705062866f;
const PI_2_LO_F32: f32 = -4.371138828673793e-08f;
const PI_4_F32: f32 = 0.7853981852531433f;
const PI_4_LO_F32: f32 = -2.1855694143368964e-08f;

// atan(u) for |u| <= tan(pi/8): Taylor to degree 21 (truncation < 1e-9).
fn atan_series_f32(u: f32) -> f32 {
    let u2 = u * u;
    var p = -1.0f / 21.0f;
    p = fma(p, u2, 1.0f / 19.0f);
    p = fma(p, u2, -1.0f / 17.0f);
    p = fma(p, u2, 1.0f / 15.0f);
    p = fma(p, u2, -1.0f / 13.0f);
    p = fma(p, u2, 1.0f / 11.0f);
    p = fma(p, u2, -1.0f / 9.0f);
    p = fma(p, u2, 1.0f / 7.0f);
    p = fma(p, u2, -1.0f / 5.0f);
    p = fma(p, u2, 1.0f / 3.0f);
    return u - u * u2 * p;
}

// atan on [0, 1].
fn atan_unit_f32(t: f32) -> f32 {
    if (t <= 0.41421356f) { return atan_series_f32(t); }
    return PI_4_F32 + (atan_series_f32((t - 1.0f) / (t + 1.0f)) + PI_4_LO_F32);
}

fn arctan_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    var r: f32;
    if (a <= 1.0f) {
        r = atan_unit_f32(a);
    } else if (isinf_f32(a)) {
        r = PI_2_F32;
    } else {
        r = PI_2_F32 - (atan_unit_f32(1.0f / a) - PI_2_LO_F32);
    }
    return copysign_f32(r, x);
}

// asin on [0, 0.5]: its Taylor series to degree 25 (truncation < 1e-10),
// a + a^3 P(a^2).
fn asin_small_f32(a: f32) -> f32 {
    let z = a * a;
    var p = 0.006447210311889649f;
    p = fma(p, z, 0.0073125258735988454f);
    p = fma(p, z, 0.008390335809616815f);
    p = fma(p, z, 0.009761609529194078f);
    p = fma(p, z, 0.011551800896139705f);
    p = fma(p, z, 0.01396484375f);
    p = fma(p, z, 0.017352764423076924f);
    p = fma(p, z, 0.022372159090909092f);
    p = fma(p, z, 0.030381944444444444f);
    p = fma(p, z, 0.044642857142857144f);
    p = fma(p, z, 0.075f);
    p = fma(p, z, 0.16666666666666666f);
    return a + a * z * p;
}

fn arcsin_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    if (a > 1.0f) { return nan_f32(); }
    var r: f32;
    if (a <= 0.5f) {
        r = asin_small_f32(a);
    } else {
        r = PI_2_F32 - (2.0f * asin_small_f32(sqrt((1.0f - a) * 0.5f)) - PI_2_LO_F32);
    }
    return copysign_f32(r, x);
}

fn arccos_f32(x: f32) -> f32 {
    if (isnan_f32(x)) { return x; }
    let a = fabs_f32(x);
    if (a > 1.0f) { return nan_f32(); }
    if (a <= 0.5f) { return PI_2_F32 - (copysign_f32(asin_small_f32(a), x) - PI_2_LO_F32); }
    let w = 2.0f * asin_small_f32(sqrt((1.0f - a) * 0.5f));
    if (x > 0.0f) { return w; }
    return PI_F32 - (w - PI_LO_F32);
}

// C99's atan2, with its special cases.
fn arctan2_f32(y: f32, x: f32) -> f32 {
    if (isnan_f32(x) || isnan_f32(y)) { return nan_f32(); }
    let ux = bitcast<u32>(x);
    let x_neg = (ux >> 31u) == 1u;
    let y_zero = (bitcast<u32>(y) & 0x7FFFFFFFu) == 0u;
    let x_zero = (ux & 0x7FFFFFFFu) == 0u;
    if (y_zero) { return copysign_f32(select(0.0f, PI_F32, x_neg), y); }
    if (x_zero) { return copysign_f32(PI_2_F32, y); }
    if (isinf_f32(y)) {
        if (isinf_f32(x)) { return copysign_f32(select(PI_4_F32, 3.0f * PI_4_F32, x_neg), y); }
        return copysign_f32(PI_2_F32, y);
    }
    if (isinf_f32(x)) { return copysign_f32(select(0.0f, PI_F32, x_neg), y); }
    let a = arctan_f32(fabs_f32(y / x));
    return copysign_f32(select(a, PI_F32 - (a - PI_LO_F32), x_neg), y);
}
