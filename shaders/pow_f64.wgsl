// float64 power (float32 and float16 compute through it and round once).
// pow(x, y) = exp(y log x) needs log x to about 2^-64 relative: y log x
// reaches ±745, so a log good to 2^-53 alone would leave hundreds of ulp.
// log x is therefore carried as a double-double (hi + lo), y log x too, and
// exp takes the low part into its reduced argument. C99's special cases, as
// NumPy's pow follows them.
//
// Double-double arithmetic recovers rounding errors as (a + b) - a and the
// like; drivers may simplify those to b (Mesa does: SPIR-V ops are not
// `exact` without NoContraction, which WGSL cannot ask for). Nor may it
// take a product's error from fma(a, b, -a * b): Vulkan lets fma round twice
// (lavapipe's float64 fma does, and returns 0). So products are split
// Dekker's way, and every intermediate that must not be simplified passes
// through opaque_f64, an identity the compiler cannot see through: it ORs in
// P.zero, a parameter-block word that is zero at run time (src/wgsl/map.rs).

fn opaque_f64(x: f64) -> f64 {
    return bitcast<f64>(bitcast<u64>(x) | u64(P.zero.x));
}

// a + b = s + e exactly, whatever the magnitudes (Knuth's two-sum).
fn two_sum_f64(a: f64, b: f64) -> vec2<f64> {
    let s = opaque_f64(a + b);
    let bb = opaque_f64(s - a);
    let e = (a - opaque_f64(s - bb)) + (b - bb);
    return vec2<f64>(s, e);
}

// a * b = p + e exactly (no overflow; |a|, |b| below 2^995): Veltkamp's
// split of each factor into 26-bit halves, whose products are exact.
fn split_f64(a: f64) -> vec2<f64> {
    let c = opaque_f64(134217729.0lf * a);   // 2^27 + 1
    let hi = opaque_f64(c - opaque_f64(c - a));
    return vec2<f64>(hi, a - hi);
}

fn two_prod_f64(a: f64, b: f64) -> vec2<f64> {
    let p = opaque_f64(a * b);
    let x = split_f64(a);
    let y = split_f64(b);
    let e = opaque_f64(opaque_f64(opaque_f64(x.x * y.x - p) + x.x * y.y) + x.y * y.x) + x.y * y.y;
    return vec2<f64>(p, e);
}

// ln 2 in three parts: the first has 32 significant bits and the second 40,
// so their products with any exponent (11 bits) are exact; the third is the
// rest.
const LN2_DD_A: f64 = 6.93147180369123816490e-01lf;
const LN2_DD_B: f64 = 1.908214929270822e-10lf;
const LN2_DD_C: f64 = -2.3407938865678234e-23lf;

// log x as (hi, lo), relative error near 2^-70; x finite and > 0.
// x = 2^e m, log m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.1716:
// s itself to double-double, 2s + (2/3)s^3 in double-double, the rest of
// the series (below 2s * 2^-12) in double.
fn log_dd_f64(x: f64) -> vec2<f64> {
    let em = log_reduce_f64(x);
    let e = em.x;
    let m = em.y;
    let u = m - 1.0lf;                          // exact (Sterbenz)
    let v = opaque_f64(m + 1.0lf);
    let v_lo = m - opaque_f64(v - 1.0lf);       // both steps exact
    let sh = opaque_f64(u / v);
    let sv = two_prod_f64(sh, v);
    let sl = (opaque_f64(u - sv.x) - sv.y - sh * v_lo) / v;  // u - sv.x exact
    // s^2 and s^3 as double-doubles (the sl^2 terms are below 2^-100).
    let qq = two_prod_f64(sh, sh);
    let q = qq.x;
    let q_lo = qq.y + 2.0lf * sh * sl;
    let cc = two_prod_f64(sh, q);
    let c = cc.x;
    let c_lo = cc.y + sh * q_lo + sl * q;
    // (2/3) s^3, with 2/3 as 0.6666666666666666 + 3.700743415417188e-17.
    let tt = two_prod_f64(c, 0.6666666666666666lf);
    let t3 = tt.x;
    let t3_lo = tt.y + c * 3.700743415417188e-17lf + c_lo * 0.6666666666666666lf;
    // 2 s^5 (1/5 + s^2/7 + ... + s^26/31): truncation below 2s * 2^-60.
    var p = 1.0lf / 31.0lf;
    p = fma(p, q, 1.0lf / 29.0lf);
    p = fma(p, q, 1.0lf / 27.0lf);
    p = fma(p, q, 1.0lf / 25.0lf);
    p = fma(p, q, 1.0lf / 23.0lf);
    p = fma(p, q, 1.0lf / 21.0lf);
    p = fma(p, q, 1.0lf / 19.0lf);
    p = fma(p, q, 1.0lf / 17.0lf);
    p = fma(p, q, 1.0lf / 15.0lf);
    p = fma(p, q, 1.0lf / 13.0lf);
    p = fma(p, q, 1.0lf / 11.0lf);
    p = fma(p, q, 1.0lf / 9.0lf);
    p = fma(p, q, 1.0lf / 7.0lf);
    p = fma(p, q, 1.0lf / 5.0lf);
    let tail = 2.0lf * sh * q * q * p;
    // e ln2 + 2s + (2/3)s^3, the small rest summed plainly.
    let b = e * LN2_DD_B;
    let small = e * LN2_DD_C + 2.0lf * sl + t3_lo + tail;
    let s1 = two_sum_f64(e * LN2_DD_A, 2.0lf * sh);
    let s2 = two_sum_f64(s1.x, t3);
    let s3 = two_sum_f64(s2.x, b);
    return two_sum_f64(s3.x, s1.y + s2.y + s3.y + small);
}

// 0: not an integer; 1: an even integer; 2: an odd one (y finite).
fn int_kind_f64(y: f64) -> u32 {
    let a = bitcast<u64>(y) & 0x7FFFFFFFFFFFFFFFlu;
    let ey = i32(a >> 52u) - 1023;
    if (ey < 0) { return select(0u, 1u, a == 0lu); }
    if (ey > 52) { return 1u; }
    let sig = (a & 0x000FFFFFFFFFFFFFlu) | 0x0010000000000000lu;
    let fb = u32(52 - ey);
    if (fb > 0u && (sig & ((1lu << fb) - 1lu)) != 0lu) { return 0u; }
    return select(1u, 2u, ((sig >> fb) & 1lu) == 1lu);
}

fn pow_f64(x: f64, y: f64) -> f64 {
    let ux = bitcast<u64>(x);
    let ax = ux & 0x7FFFFFFFFFFFFFFFlu;
    let ay = bitcast<u64>(y) & 0x7FFFFFFFFFFFFFFFlu;
    let inf = inf_f64();
    if (ay == 0lu || ux == 0x3FF0000000000000lu) { return 1.0lf; }
    if (isnan_f64(x) || isnan_f64(y)) { return nan_f64(); }
    let neg = (ux >> 63u) == 1lu;
    if (ay == 0x7FF0000000000000lu) {
        if (ax == 0x3FF0000000000000lu) { return 1.0lf; }  // (-1) ** ±inf
        let big = ax > 0x3FF0000000000000lu;
        return select(0.0lf, inf, big == !signbit_f64(y));
    }
    let kind = int_kind_f64(y);
    let odd = kind == 2u;
    if (ax == 0lu) {
        let r = select(inf, 0.0lf, !signbit_f64(y));
        return select(r, copysign_f64(r, x), odd);
    }
    if (ax == 0x7FF0000000000000lu) {
        let r = select(0.0lf, inf, !signbit_f64(y));
        return select(r, -r, neg && odd);
    }
    if (neg && kind == 0u) { return nan_f64(); }
    if (ax == 0x3FF0000000000000lu) { return select(1.0lf, -1.0lf, odd); }  // x = -1
    let l = log_dd_f64(bitcast<f64>(ax));
    // Once |y log x| <= 745.2, |y| < 2^63 (|log x| >= 2^-53 for x != 1), so
    // two_prod's split cannot overflow.
    let th = opaque_f64(y * l.x);
    var r: f64;
    if (th > 709.8lf) {
        r = inf;
    } else if (th < -745.2lf) {
        r = 0.0lf;
    } else {
        let tl = two_prod_f64(y, l.x).y + y * l.y;
        r = exp_dd_f64(th, tl);
    }
    return select(r, -r, neg && odd);
}

// exp(th + tl) for |tl| <= ulp(th), -745.2 <= th <= 709.8: exp_f64's
// reduction with tl added to the reduced argument.
fn exp_dd_f64(th: f64, tl: f64) -> f64 {
    let k = round(th * 1.4426950408889634lf);
    let r = (th - k * LN2_DD_A) + (tl - k * LN2_DD_B);  // k * LN2_DD_A and the difference exact
    let p = exp_poly_f64(r);
    let ki = i32(k);
    let k1 = ki / 2;
    return p * pow2_f64(k1) * pow2_f64(ki - k1);
}
