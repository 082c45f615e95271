// float32 power in float32 arithmetic (float16 computes through it), the
// method of pow_f64.wgsl at float32's width: log x as a float-float
// (relative error near 2^-36; y log x reaches ±104), Veltkamp-split products
// and opaque_f32 barriers (see pow_f64.wgsl for why both are needed).

fn split_f32(a: f32) -> vec2<f32> {
    let c = opaque_f32(4097.0f * a);   // 2^12 + 1
    let hi = opaque_f32(c - opaque_f32(c - a));
    return vec2<f32>(hi, a - hi);
}

// a * b = p + e exactly (|a|, |b| below 2^115).
fn two_prod_f32(a: f32, b: f32) -> vec2<f32> {
    let p = opaque_f32(a * b);
    let x = split_f32(a);
    let y = split_f32(b);
    let e = opaque_f32(opaque_f32(opaque_f32(x.x * y.x - p) + x.x * y.y) + x.y * y.x) + x.y * y.y;
    return vec2<f32>(p, e);
}

// a + b = s + e exactly.
fn two_sum_f32(a: f32, b: f32) -> vec2<f32> {
    let s = opaque_f32(a + b);
    let bb = opaque_f32(s - a);
    let e = (a - opaque_f32(s - bb)) + (b - bb);
    return vec2<f32>(s, e);
}

// ln 2 = A + B + C, A with 15 significant bits and B with 16, so their
// products with an exponent (8 bits) are exact.
const LN2_FF_A: f32 = 0.693145751953125f;
const LN2_FF_B: f32 = 1.4286197256296873e-06f;
const LN2_FF_C: f32 = -1.2905320041778356e-11f;

// log x as (hi, lo) for x finite and > 0; as log_dd_f64.
fn log_ff_f32(x: f32) -> vec2<f32> {
    let em = log_reduce_f32(x);
    let e = em.x;
    let m = em.y;
    let u = m - 1.0f;
    let v = opaque_f32(m + 1.0f);
    let v_lo = m - opaque_f32(v - 1.0f);
    let sh = opaque_f32(u / v);
    let sv = two_prod_f32(sh, v);
    let sl = (opaque_f32(u - sv.x) - sv.y - sh * v_lo) / v;
    let qq = two_prod_f32(sh, sh);
    let q = qq.x;
    let q_lo = qq.y + 2.0f * sh * sl;
    let cc = two_prod_f32(sh, q);
    let c = cc.x;
    let c_lo = cc.y + sh * q_lo + sl * q;
    // (2/3) s^3, 2/3 = 0.6666666865348816 - 1.9868215517249155e-08.
    let tt = two_prod_f32(c, 0.6666666865348816f);
    let t3 = tt.x;
    let t3_lo = tt.y + c * -1.9868215517249155e-08f + c_lo * 0.6666666865348816f;
    // 2 s^5 (1/5 + s^2/7 + ... + s^10/15).
    var p = 1.0f / 15.0f;
    p = fma(p, q, 1.0f / 13.0f);
    p = fma(p, q, 1.0f / 11.0f);
    p = fma(p, q, 1.0f / 9.0f);
    p = fma(p, q, 1.0f / 7.0f);
    p = fma(p, q, 1.0f / 5.0f);
    let tail = 2.0f * sh * q * q * p;
    let b = e * LN2_FF_B;
    let small = e * LN2_FF_C + 2.0f * sl + t3_lo + tail;
    let s1 = two_sum_f32(e * LN2_FF_A, 2.0f * sh);
    let s2 = two_sum_f32(s1.x, t3);
    let s3 = two_sum_f32(s2.x, b);
    return two_sum_f32(s3.x, s1.y + s2.y + s3.y + small);
}

// 0: not an integer; 1: an even integer; 2: an odd one (y finite).
fn int_kind_f32(y: f32) -> u32 {
    let a = bitcast<u32>(y) & 0x7FFFFFFFu;
    let ey = i32(a >> 23u) - 127;
    if (ey < 0) { return select(0u, 1u, a == 0u); }
    if (ey > 23) { return 1u; }
    let sig = (a & 0x007FFFFFu) | 0x00800000u;
    let fb = u32(23 - ey);
    if (fb > 0u && (sig & ((1u << fb) - 1u)) != 0u) { return 0u; }
    return select(1u, 2u, ((sig >> fb) & 1u) == 1u);
}

fn pow_f32(x: f32, y: f32) -> f32 {
    let ux = bitcast<u32>(x);
    let ax = ux & 0x7FFFFFFFu;
    let ay = bitcast<u32>(y) & 0x7FFFFFFFu;
    let inf = inf_f32();
    if (ay == 0u || ux == 0x3F800000u) { return 1.0f; }
    if (isnan_f32(x) || isnan_f32(y)) { return nan_f32(); }
    let neg = (ux >> 31u) == 1u;
    if (ay == 0x7F800000u) {
        if (ax == 0x3F800000u) { return 1.0f; }  // (-1) ** ±inf
        let big = ax > 0x3F800000u;
        return select(0.0f, inf, big == !signbit_f32(y));
    }
    let kind = int_kind_f32(y);
    let odd = kind == 2u;
    if (ax == 0u) {
        let r = select(inf, 0.0f, !signbit_f32(y));
        return select(r, copysign_f32(r, x), odd);
    }
    if (ax == 0x7F800000u) {
        let r = select(0.0f, inf, !signbit_f32(y));
        return select(r, -r, neg && odd);
    }
    if (neg && kind == 0u) { return nan_f32(); }
    if (ax == 0x3F800000u) { return select(1.0f, -1.0f, odd); }  // x = -1
    let l = log_ff_f32(bitcast<f32>(ax));
    // Once |y log x| <= 104, |y| < 2^31 (|log x| >= 2^-25 for x != 1).
    let th = opaque_f32(y * l.x);
    var r: f32;
    if (th > 88.8f) {
        r = inf;
    } else if (th < -104.0f) {
        r = 0.0f;
    } else {
        let tl = two_prod_f32(y, l.x).y + y * l.y;
        let k = round(th * 1.4426950408889634f);
        let rr = (th - k * LN2_FF_A) + (tl - k * LN2_FF_B);  // k * LN2_FF_A and the difference exact
        let ki = i32(k);
        let k1 = ki / 2;
        r = exp_poly_f32(rr) * pow2_f32(k1) * pow2_f32(ki - k1);
    }
    return select(r, -r, neg && odd);
}
