// exp for float64, written out because SPIR-V's GLSL.std.450 Exp covers only
// 16- and 32-bit floats and drivers return garbage for f64 (see DESIGN.md).
// exp(x) = 2^k * exp(r), r = x - k ln2 with ln2 split as fdlibm does; exp(r)
// by its Taylor series to degree 13 (|r| <= ln2/2: truncation < 1e-18),
// evaluated by Horner's rule with fma. The scaling by 2^k is done in two
// steps so subnormal results come out right.
fn exp_f64(x: f64) -> f64 {
    if (isnan_f64(x)) {
        return x;
    }
    if (x > 709.782712893384lf) {
        return bitcast<f64>(0x7FF0000000000000lu);
    }
    if (x < -745.1332191019412lf) {
        return 0.0lf;
    }
    let k = round(x * 1.4426950408889634lf);
    let r = fma(-k, 1.90821492927058770002e-10lf, fma(-k, 6.93147180369123816490e-01lf, x));
    let p = exp_poly_f64(r);
    let ki = i32(k);
    let k1 = ki / 2;
    return p * pow2_f64(k1) * pow2_f64(ki - k1);
}

// 2^k for -1022 <= k <= 1023, built from its bits.
fn pow2_f64(k: i32) -> f64 {
    return bitcast<f64>(u64(k + 1023) << 52u);
}

// exp(r) for |r| <= ln2/2: Taylor series to degree 13, Horner with fma.
fn exp_poly_f64(r: f64) -> f64 {
    var p = 1.6059043836821613e-10lf;
    p = fma(p, r, 2.08767569878681e-9lf);
    p = fma(p, r, 2.505210838544172e-8lf);
    p = fma(p, r, 2.755731922398589e-7lf);
    p = fma(p, r, 2.7557319223985893e-6lf);
    p = fma(p, r, 2.48015873015873e-5lf);
    p = fma(p, r, 1.984126984126984e-4lf);
    p = fma(p, r, 1.388888888888889e-3lf);
    p = fma(p, r, 8.333333333333333e-3lf);
    p = fma(p, r, 4.1666666666666664e-2lf);
    p = fma(p, r, 0.16666666666666666lf);
    p = fma(p, r, 0.5lf);
    p = fma(p, r, 1.0lf);
    p = fma(p, r, 1.0lf);
    return p;
}
