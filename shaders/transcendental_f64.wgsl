// float64 transcendental functions of our own (SPIR-V's GLSL.std.450 covers
// only 16/32-bit floats; drivers' f64 results are garbage — DESIGN.md).
// Methods are the textbook ones (fdlibm's reductions): log by
// log(m) = 2 atanh((m-1)/(m+1)) on m in [sqrt(1/2), sqrt(2)); exp2 and expm1
// by exp's reduction and Taylor series; hyperbolic functions and their
// inverses from exp, expm1, log and log1p; cbrt by Newton's method; hypot
// scaled. float32 and float16 loops call these and round once.

const LN2_HI_F64: f64 = 6.93147180369123816490e-01lf;
const LN2_LO_F64: f64 = 1.90821492927058770002e-10lf;

fn inf_f64() -> f64 { return bitcast<f64>(0x7FF0000000000000lu); }

// (e, m) with x = m * 2^e, m in [sqrt(1/2), sqrt(2)); x finite, > 0.
fn log_reduce_f64(x: f64) -> vec2<f64> {
    let u = bitcast<u64>(x);
    var e = i32(u >> 52u) - 1023;
    var mb = u & 0x000FFFFFFFFFFFFFlu;
    if ((u >> 52u) == 0lu) {
        let sh = clz_u64(mb) - 11u;
        mb = (mb << sh) & 0x000FFFFFFFFFFFFFlu;
        e = -1022 - i32(sh);
    }
    var m = bitcast<f64>(mb | 0x3FF0000000000000lu);
    if (m > 1.4142135623730951lf) {
        m = m * 0.5lf;
        e = e + 1;
    }
    return vec2<f64>(f64(e), m);
}

// (e, log(m)) with x = m * 2^e as log_reduce_f64 splits it.
fn log_parts_f64(x: f64) -> vec2<f64> {
    let r = log_reduce_f64(x);
    return vec2<f64>(r.x, two_atanh_f64((r.y - 1.0lf) / (r.y + 1.0lf)));
}

// 2 atanh(s) = 2 (s + s^3/3 + ... + s^43/43), for |s| <= 1/3 (truncation
// below 1e-21 relative).
fn two_atanh_f64(s: f64) -> f64 {
    let s2 = s * s;
    var p = 1.0lf / 43.0lf;
    p = fma(p, s2, 1.0lf / 41.0lf);
    p = fma(p, s2, 1.0lf / 39.0lf);
    p = fma(p, s2, 1.0lf / 37.0lf);
    p = fma(p, s2, 1.0lf / 35.0lf);
    p = fma(p, s2, 1.0lf / 33.0lf);
    p = fma(p, s2, 1.0lf / 31.0lf);
    p = fma(p, s2, 1.0lf / 29.0lf);
    p = fma(p, s2, 1.0lf / 27.0lf);
    p = fma(p, s2, 1.0lf / 25.0lf);
    p = fma(p, s2, 1.0lf / 23.0lf);
    p = fma(p, s2, 1.0lf / 21.0lf);
    p = fma(p, s2, 1.0lf / 19.0lf);
    p = fma(p, s2, 1.0lf / 17.0lf);
    p = fma(p, s2, 1.0lf / 15.0lf);
    p = fma(p, s2, 1.0lf / 13.0lf);
    p = fma(p, s2, 1.0lf / 11.0lf);
    p = fma(p, s2, 1.0lf / 9.0lf);
    p = fma(p, s2, 1.0lf / 7.0lf);
    p = fma(p, s2, 1.0lf / 5.0lf);
    p = fma(p, s2, 1.0lf / 3.0lf);
    return fma(2.0lf * s, s2 * p, 2.0lf * s);
}

// NaN, zero, negative and infinite arguments of the log family; `ok` false
// means the argument is finite and positive.
fn log_special_f64(x: f64) -> vec2<f64> {
    let u = bitcast<u64>(x);
    if (isnan_f64(x)) { return vec2<f64>(1.0lf, x); }
    if ((u & 0x7FFFFFFFFFFFFFFFlu) == 0lu) { return vec2<f64>(1.0lf, -inf_f64()); }
    if ((u >> 63u) != 0lu) { return vec2<f64>(1.0lf, bitcast<f64>(0x7FF8000000000000lu)); }
    if (u == 0x7FF0000000000000lu) { return vec2<f64>(1.0lf, x); }
    return vec2<f64>(0.0lf, 0.0lf);
}

fn log_f64(x: f64) -> f64 {
    let sp = log_special_f64(x);
    if (sp.x != 0.0lf) { return sp.y; }
    let p = log_parts_f64(x);
    return fma(p.x, LN2_HI_F64, fma(p.x, LN2_LO_F64, p.y));
}

fn log2_f64(x: f64) -> f64 {
    let sp = log_special_f64(x);
    if (sp.x != 0.0lf) { return sp.y; }
    let p = log_parts_f64(x);
    return fma(p.y, 1.4426950408889634lf, fma(p.y, 2.0355273740931033e-17lf, p.x));
}

fn log10_f64(x: f64) -> f64 {
    let sp = log_special_f64(x);
    if (sp.x != 0.0lf) { return sp.y; }
    let p = log_parts_f64(x);
    // log10(2) and log10(e), each split into a double and its remainder.
    let hi = fma(p.x, 0.3010299956639812lf, p.y * 0.4342944819032518lf);
    return hi + fma(p.x, -2.8037281277851704e-18lf, p.y * 1.098319650216765e-17lf);
}

fn log1p_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    if (x == -1.0lf) { return -inf_f64(); }
    if (x < -1.0lf) { return bitcast<f64>(0x7FF8000000000000lu); }
    if (isinf_f64(x)) { return x; }
    if (x > -0.5lf && x < 1.0lf) {
        // log1p(x) = 2 atanh(x / (2 + x)): no cancellation to compensate
        // (drivers may fold (1 + x) - 1 into x, so that trick is unsafe).
        return two_atanh_f64(x / (2.0lf + x));
    }
    return log_f64(1.0lf + x);
}

fn exp2_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    if (x >= 1024.0lf) { return inf_f64(); }
    if (x < -1075.0lf) { return 0.0lf; }
    let k = round(x);
    let p = exp_poly_f64((x - k) * 0.6931471805599453lf);
    let ki = i32(k);
    let k1 = ki / 2;
    return p * pow2_f64(k1) * pow2_f64(ki - k1);
}

fn expm1_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    if (x > 709.782712893384lf) { return inf_f64(); }
    if (x < -40.0lf) { return -1.0lf; }
    if (fabs_f64(x) < 1.0lf) {
        // Taylor series to degree 24: x + x^2 (1/2! + x/3! + ...).
        var q = 1.6117375710961184e-24lf;
        q = fma(q, x, 3.8681701706306835e-23lf);
        q = fma(q, x, 8.896791392450574e-22lf);
        q = fma(q, x, 1.9572941063391263e-20lf);
        q = fma(q, x, 4.110317623312165e-19lf);
        q = fma(q, x, 8.22063524662433e-18lf);
        q = fma(q, x, 1.5619206968586225e-16lf);
        q = fma(q, x, 2.8114572543455206e-15lf);
        q = fma(q, x, 4.779477332387385e-14lf);
        q = fma(q, x, 7.647163731819816e-13lf);
        q = fma(q, x, 1.1470745597729725e-11lf);
        q = fma(q, x, 1.6059043836821613e-10lf);
        q = fma(q, x, 2.08767569878681e-9lf);
        q = fma(q, x, 2.505210838544172e-8lf);
        q = fma(q, x, 2.755731922398589e-7lf);
        q = fma(q, x, 2.7557319223985893e-6lf);
        q = fma(q, x, 2.48015873015873e-5lf);
        q = fma(q, x, 1.984126984126984e-4lf);
        q = fma(q, x, 1.388888888888889e-3lf);
        q = fma(q, x, 8.333333333333333e-3lf);
        q = fma(q, x, 4.1666666666666664e-2lf);
        q = fma(q, x, 0.16666666666666666lf);
        q = fma(q, x, 0.5lf);
        return fma(x * x, q, x);
    }
    return exp_f64(x) - 1.0lf;
}

fn sinh_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    var r: f64;
    if (a < 1.0lf) {
        let a2 = a * a;
        var q = 6.446950284384474e-26lf;   // 1/25!
        q = fma(q, a2, 3.868170170630684e-23lf);
        q = fma(q, a2, 1.9572941063391263e-20lf);
        q = fma(q, a2, 8.22063524662433e-18lf);
        q = fma(q, a2, 2.8114572543455206e-15lf);
        q = fma(q, a2, 7.647163731819816e-13lf);
        q = fma(q, a2, 1.6059043836821613e-10lf);
        q = fma(q, a2, 2.505210838544172e-08lf);
        q = fma(q, a2, 2.7557319223985893e-06lf);
        q = fma(q, a2, 0.0001984126984126984lf);
        q = fma(q, a2, 0.008333333333333333lf);
        q = fma(q, a2, 0.16666666666666666lf);
        r = fma(a * a2, q, a);
    } else if (a < 36.0lf) {
        let e = exp_f64(a);
        r = 0.5lf * (e - 1.0lf / e);
    } else {
        let h = exp_f64(0.5lf * a);
        r = (0.5lf * h) * h;
    }
    return copysign_f64(r, x);
}

fn cosh_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    if (a < 36.0lf) {
        let e = exp_f64(a);
        return 0.5lf * (e + 1.0lf / e);
    }
    let h = exp_f64(0.5lf * a);
    return (0.5lf * h) * h;
}

fn tanh_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    var r: f64;
    if (a < 1.0lf) {
        let t = expm1_f64(2.0lf * a);
        r = t / (t + 2.0lf);
    } else if (a < 20.0lf) {
        r = 1.0lf - 2.0lf / (exp_f64(2.0lf * a) + 1.0lf);
    } else {
        r = 1.0lf;
    }
    return copysign_f64(r, x);
}

fn arcsinh_f64(x: f64) -> f64 {
    if (isnan_f64(x) || isinf_f64(x)) { return x; }
    let a = fabs_f64(x);
    var r: f64;
    if (a < 3.725290298461914e-9lf) {
        return x;
    } else if (a > 268435456.0lf) {
        r = log_f64(a) + 0.6931471805599453lf;
    } else {
        r = log1p_f64(a + a * a / (1.0lf + sqrt(1.0lf + a * a)));
    }
    return copysign_f64(r, x);
}

fn arccosh_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    if (x < 1.0lf) { return bitcast<f64>(0x7FF8000000000000lu); }
    if (isinf_f64(x)) { return x; }
    if (x > 268435456.0lf) { return log_f64(x) + 0.6931471805599453lf; }
    if (x >= 2.0lf) { return log_f64(2.0lf * x - 1.0lf / (x + sqrt(x * x - 1.0lf))); }
    let t = x - 1.0lf;
    return log1p_f64(t + sqrt(2.0lf * t + t * t));
}

fn arctanh_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    if (a > 1.0lf) { return bitcast<f64>(0x7FF8000000000000lu); }
    if (a == 1.0lf) { return copysign_f64(inf_f64(), x); }
    var r: f64;
    if (a < 0.5lf) {
        let t = a + a;
        r = 0.5lf * log1p_f64(t + t * a / (1.0lf - a));
    } else {
        r = 0.5lf * log1p_f64((a + a) / (1.0lf - a));
    }
    return copysign_f64(r, x);
}

fn cbrt_f64(x: f64) -> f64 {
    if (isnan_f64(x) || isinf_f64(x) || (bitcast<u64>(x) & 0x7FFFFFFFFFFFFFFFlu) == 0lu) { return x; }
    var a = fabs_f64(x);
    var scale = 1.0lf;
    if (a < 2.2250738585072014e-308lf) {
        a = a * 18014398509481984.0lf;   // 2^54, exact; cbrt(2^54) = 2^18
        scale = 3.814697265625e-06lf;    // 2^-18
    } else if (a > 1.0e300lf) {
        a = a * 5.551115123125783e-17lf; // 2^-54, so y^3 cannot overflow
        scale = 262144.0lf;              // 2^18
    }
    // Initial guess from the exponent, then Newton steps.
    let e = i32(bitcast<u64>(a) >> 52u) - 1023;
    var y = bitcast<f64>(u64(u32(e / 3 + 1023)) << 52u);
    for (var i = 0; i < 7; i = i + 1) {
        y = y - (y * y * y - a) / (3.0lf * y * y);
    }
    // One correction with the exact residual.
    let y2 = y * y;
    let res = fma(y2, y, -a);
    y = y - res / (3.0lf * y2);
    return copysign_f64(y * scale, x);
}

fn hypot_f64(x: f64, y: f64) -> f64 {
    if (isinf_f64(x) || isinf_f64(y)) { return inf_f64(); }
    if (isnan_f64(x) || isnan_f64(y)) { return bitcast<f64>(0x7FF8000000000000lu); }
    let ax = fabs_f64(x);
    let ay = fabs_f64(y);
    let a = max(ax, ay);
    let b = min(ax, ay);
    if (b == 0.0lf) { return a; }
    let q = b / a;
    return a * sqrt(fma(q, q, 1.0lf));
}

fn logaddexp_f64(x: f64, y: f64) -> f64 {
    if (isnan_f64(x) || isnan_f64(y)) { return bitcast<f64>(0x7FF8000000000000lu); }
    if (x == y) { return x + 0.6931471805599453lf; }
    let d = x - y;
    if (d > 0.0lf) { return x + log1p_f64(exp_f64(-d)); }
    return y + log1p_f64(exp_f64(d));
}

fn logaddexp2_f64(x: f64, y: f64) -> f64 {
    if (isnan_f64(x) || isnan_f64(y)) { return bitcast<f64>(0x7FF8000000000000lu); }
    if (x == y) { return x + 1.0lf; }
    let d = x - y;
    if (d > 0.0lf) { return x + log1p_f64(exp2_f64(-d)) * 1.4426950408889634lf; }
    return y + log1p_f64(exp2_f64(d)) * 1.4426950408889634lf;
}

// Inverse trigonometric functions for float64. atan: reduced to [0, 1] by
// atan(a) = pi/2 - atan(1/a), then to |u| <= tan(pi/8) by
// atan(t) = pi/4 + atan((t-1)/(t+1)), then its Taylor series to degree 45
// (truncation below 1e-18). asin/acos from atan, with asin(a) = pi/2 -
// 2 asin(sqrt((1-a)/2)) above 0.5 (1 - a is exact there).

const PI_F64: f64 = 3.141592653589793lf;
const PI_2_F64: f64 = 1.5707963267948966lf;
const PI_4_F64: f64 = 0.7853981633974483lf;

fn atan_series_f64(u: f64) -> f64 {
    let u2 = u * u;
    var p = 0.022222222222222223lf;
    p = fma(p, u2, -0.023255813953488372lf);
    p = fma(p, u2, 0.024390243902439025lf);
    p = fma(p, u2, -0.02564102564102564lf);
    p = fma(p, u2, 0.02702702702702703lf);
    p = fma(p, u2, -0.02857142857142857lf);
    p = fma(p, u2, 0.030303030303030304lf);
    p = fma(p, u2, -0.03225806451612903lf);
    p = fma(p, u2, 0.034482758620689655lf);
    p = fma(p, u2, -0.037037037037037035lf);
    p = fma(p, u2, 0.04lf);
    p = fma(p, u2, -0.043478260869565216lf);
    p = fma(p, u2, 0.047619047619047616lf);
    p = fma(p, u2, -0.05263157894736842lf);
    p = fma(p, u2, 0.058823529411764705lf);
    p = fma(p, u2, -0.06666666666666667lf);
    p = fma(p, u2, 0.07692307692307693lf);
    p = fma(p, u2, -0.09090909090909091lf);
    p = fma(p, u2, 0.1111111111111111lf);
    p = fma(p, u2, -0.14285714285714285lf);
    p = fma(p, u2, 0.2lf);
    p = fma(p, u2, -0.3333333333333333lf);
    p = fma(p, u2, 1.0lf);
    return u * p;
}

// atan on [0, 1].
fn atan_unit_f64(t: f64) -> f64 {
    if (t <= 0.41421356237309503lf) { return atan_series_f64(t); }
    return PI_4_F64 + atan_series_f64((t - 1.0lf) / (t + 1.0lf));
}

fn arctan_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    var r: f64;
    if (a <= 1.0lf) {
        r = atan_unit_f64(a);
    } else if (isinf_f64(a)) {
        r = PI_2_F64;
    } else {
        r = PI_2_F64 - atan_unit_f64(1.0lf / a);
    }
    return copysign_f64(r, x);
}

// asin on [0, 0.5].
fn asin_small_f64(a: f64) -> f64 {
    return arctan_f64(a / sqrt(1.0lf - a * a));
}

fn arcsin_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    if (a > 1.0lf) { return bitcast<f64>(0x7FF8000000000000lu); }
    var r: f64;
    if (a <= 0.5lf) {
        r = asin_small_f64(a);
    } else {
        r = PI_2_F64 - 2.0lf * asin_small_f64(sqrt((1.0lf - a) * 0.5lf));
    }
    return copysign_f64(r, x);
}

fn arccos_f64(x: f64) -> f64 {
    if (isnan_f64(x)) { return x; }
    let a = fabs_f64(x);
    if (a > 1.0lf) { return bitcast<f64>(0x7FF8000000000000lu); }
    if (a <= 0.5lf) { return PI_2_F64 - copysign_f64(asin_small_f64(a), x); }
    let w = 2.0lf * asin_small_f64(sqrt((1.0lf - a) * 0.5lf));
    if (x > 0.0lf) { return w; }
    return PI_F64 - w;
}

// C99's atan2, with its special cases.
fn arctan2_f64(y: f64, x: f64) -> f64 {
    if (isnan_f64(x) || isnan_f64(y)) { return bitcast<f64>(0x7FF8000000000000lu); }
    let ux = bitcast<u64>(x);
    let x_neg = (ux >> 63u) == 1lu;
    let y_zero = (bitcast<u64>(y) & 0x7FFFFFFFFFFFFFFFlu) == 0lu;
    let x_zero = (ux & 0x7FFFFFFFFFFFFFFFlu) == 0lu;
    if (y_zero) { return copysign_f64(select(0.0lf, PI_F64, x_neg), y); }
    if (x_zero) { return copysign_f64(PI_2_F64, y); }
    if (isinf_f64(y)) {
        if (isinf_f64(x)) { return copysign_f64(select(PI_4_F64, 3.0lf * PI_4_F64, x_neg), y); }
        return copysign_f64(PI_2_F64, y);
    }
    if (isinf_f64(x)) { return copysign_f64(select(0.0lf, PI_F64, x_neg), y); }
    let a = arctan_f64(fabs_f64(y / x));
    return copysign_f64(select(a, PI_F64 - a, x_neg), y);
}
