// sin, cos, tan for float32 on devices without float64 or 64-bit integers
// (only f32, u32, i32 arithmetic). Argument reduction x = q (pi/2) + r for
// every |x| >= pi/4 is done in 32-bit integers (Payne-Hanek): the 24-bit
// mantissa times a 128-bit window of 2/pi's bits gives 2 quadrant bits and
// 96 fraction bits (at least 70 of them exact), enough for every float32:
// the closest one comes to a multiple of pi/2 is x = 16367173 * 2^72, with
// |r| = 1.6e-9 (about 2^-30 of a quarter turn). The fraction times pi/2 is
// also an integer product, so r comes out as hi + lo (48 bits) with no float
// rounding, and no compensated float arithmetic (which drivers may simplify
// away) is needed anywhere. Then minimax polynomials on |r| <= pi/4 that take
// lo in as a first-order correction; tan uses tan(r) in even quadrants and
// -cot(r) in odd ones (cot's series converges faster than tan's), with 1/r
// corrected by its exact residual so a loose float division does not matter.
// Nothing relies on fma being fused. An op-by-op float32 emulation with fma
// rounding twice, run on every float32, gives at most 0.78 ulp (sin, cos)
// and 1.21 ulp (tan) from the exact value.

// The first 256 bits of 2/pi, 32 at a time (generated with mpmath); words
// 0..6 are read (|x| < 2^128).
const TRIG32_TWO_OVER_PI: array<u32, 8> = array<u32, 8>(
    0xa2f9836eu,
    0x4e441529u,
    0xfc2757d1u,
    0xf534ddc0u,
    0xdb629599u,
    0x3c439041u,
    0xfe5163abu,
    0xdebbc561u
);

// |x| = q (pi/2) + hi + lo, q in 0..3, |hi + lo| <= pi/4, lo below hi's
// last bit.
struct Trig32Reduced {
    q: u32,
    hi: f32,
    lo: f32,
}

// The 64-bit product of two u32 as (low word, high word), from 16-bit halves.
fn trig32_mul_wide(a: u32, b: u32) -> vec2<u32> {
    let a0 = a & 0xFFFFu;
    let a1 = a >> 16u;
    let b0 = b & 0xFFFFu;
    let b1 = b >> 16u;
    let ll = a0 * b0;
    let mid = a0 * b1 + (ll >> 16u);           // < 2^32: no carry lost
    let mid2 = a1 * b0 + (mid & 0xFFFFu);      // < 2^32 as well
    let hi = a1 * b1 + (mid >> 16u) + (mid2 >> 16u);
    return vec2<u32>((mid2 << 16u) | (ll & 0xFFFFu), hi);
}

// 2^k for -126 <= k <= 127, built from its bits.
fn trig32_pow2(k: i32) -> f32 {
    return bitcast<f32>(u32(k + 127) << 23u);
}

// 32 bits of the 224-bit product starting at bit `pos` (little-endian limbs).
// Runtime shifts are taken mod 32, hence the test on sh.
fn trig32_bits_at(p: ptr<function, array<u32, 7>>, pos: u32) -> u32 {
    let limb = pos / 32u;
    let sh = pos % 32u;
    var v = (*p)[limb] >> sh;
    if (sh != 0u) {
        v = v | ((*p)[limb + 1u] << (32u - sh));
    }
    return v;
}

// Payne-Hanek reduction of |x| >= pi/4 (finite), given as its bits `a`
// (sign cleared).
fn trig32_reduce_big(a: u32) -> Trig32Reduced {
    let e = i32(a >> 23u) - 150;               // |x| = m 2^e
    let m = (a & 0x007FFFFFu) | 0x00800000u;
    // Bits of 2/pi worth 4 or more once multiplied by m 2^e only add whole
    // turns: skip the words made of those alone.
    let j0 = max(e - 2, 0) / 32;
    // p = m * (words j0..j0+3 of 2/pi), shifted up one word (p[0] = 0) so
    // the lowest fraction word can be read at a non-negative position.
    var p: array<u32, 7>;
    p[0] = 0u;
    var carry = 0u;
    for (var k = 0; k < 4; k = k + 1) {
        let t = trig32_mul_wide(m, TRIG32_TWO_OVER_PI[j0 + 3 - k]);
        let s = t.x + carry;
        p[k + 1] = s;
        carry = t.y + select(0u, 1u, s < carry);
    }
    p[5] = carry;
    p[6] = 0u;
    // x 2/pi = p 2^(e - 32 j0 - 160): the units bit of it is bit b of p.
    let b = u32(160 + 32 * j0 - e);
    var q = trig32_bits_at(&p, b) & 3u;
    var f2 = trig32_bits_at(&p, b - 32u);
    var f1 = trig32_bits_at(&p, b - 64u);
    var f0 = trig32_bits_at(&p, b - 96u);
    // Fraction >= 1/2: round the quadrant up, the fraction becomes 1 - f
    // (96-bit two's complement) and r negative.
    let neg = (f2 & 0x80000000u) != 0u;
    if (neg) {
        q = (q + 1u) & 3u;
        let c0 = f0 == 0u;
        let c1 = c0 && f1 == 0u;
        f0 = ~f0 + 1u;
        f1 = ~f1 + select(0u, 1u, c0);
        f2 = ~f2 + select(0u, 1u, c1);
    }
    // Normalize the fraction to 64 bits (hi, lo): fraction = (hi:lo) 2^(-64-lz).
    // It is at least 2^-31 for every float32, so one word shift is enough.
    var lz = 0u;
    if (f2 == 0u) {
        f2 = f1;
        f1 = f0;
        f0 = 0u;
        lz = 32u;
    }
    let s = countLeadingZeros(f2);
    var hi = f2;
    var lo = f1;
    if (s != 0u) {
        hi = (f2 << s) | (f1 >> (32u - s));
        lo = (f1 << s) | (f0 >> (32u - s));
    }
    lz = lz + s;
    // r = fraction * pi/2, pi/2 = 0xC90FDAA2_2168C235 2^-63; the top 64 bits
    // (t1:t0) of the product, dropping lo * 0x2168C235 (below 2^-62 of it).
    let pa = trig32_mul_wide(hi, 0xC90FDAA2u);
    let pb = trig32_mul_wide(hi, 0x2168C235u);
    let pc = trig32_mul_wide(lo, 0xC90FDAA2u);
    var t0 = pa.x + pb.y;
    var t1 = pa.y + select(0u, 1u, t0 < pb.y);
    t0 = t0 + pc.y;
    t1 = t1 + select(0u, 1u, t0 < pc.y);
    // r = (t1:t0) 2^(-63-lz) with t1's top bit set after at most one shift.
    let s2 = countLeadingZeros(t1);
    if (s2 != 0u) {
        t1 = (t1 << 1u) | (t0 >> 31u);
        t0 = t0 << 1u;
    }
    let er = -i32(lz + s2);                    // r in [2^er, 2^(er+1))
    // hi: the top 24 bits, exactly, from bits; lo: the next 24 (exact too).
    var rh = bitcast<f32>((u32(127 + er) << 23u) | ((t1 >> 8u) & 0x007FFFFFu));
    var rl = f32(((t1 & 0xFFu) << 16u) | (t0 >> 16u)) * trig32_pow2(er - 47);
    if (neg) {
        rh = -rh;
        rl = -rl;
    }
    return Trig32Reduced(q, rh, rl);
}

// Quadrant and reduced argument of |x| (finite), given as its bits.
fn trig32_reduce(a: u32) -> Trig32Reduced {
    if (a < 0x3F490FDBu) {                     // |x| < pi/4 (float32 above it)
        return Trig32Reduced(0u, bitcast<f32>(a), 0.0f);
    }
    return trig32_reduce_big(a);
}

// sin(h + l) = h + h^3 S(h^2) + l cos(h), |h| <= pi/4; S minimax (2^-32.5).
fn trig32_sin_poly(h: f32, l: f32) -> f32 {
    let z = h * h;
    var p = 2.832539621522301e-06f;
    p = fma(p, z, -0.00019853065896313637f);
    p = fma(p, z, 0.008333379402756691f);
    p = fma(p, z, -0.1666666716337204f);
    return h + fma(h * z, p, l * fma(-0.5f, z, 1.0f));
}

// cos(h + l) = 1 - h^2/2 + h^4 C(h^2) - l sin(h); C minimax (2^-37). The
// big term 1 - h^2/2 is split so most of it is exact: hh = h cut to a
// multiple of 2^-11 has hh^2/2 a multiple of 2^-23, so 1 - hh^2/2 (>= 1/2)
// is exact, and h^2/2 - hh^2/2 = ht (h + hh)/2 (ht = h - hh, exact) is below
// 2^-11, its rounding negligible. Only the last addition rounds noticeably.
fn trig32_cos_poly(h: f32, l: f32) -> f32 {
    let z = h * h;
    var p = -2.888090477881633e-07f;
    p = fma(p, z, 2.4822020350256935e-05f);
    p = fma(p, z, -0.0013888980029150844f);
    p = fma(p, z, 0.0416666679084301f);
    let hh = trunc(h * 2048.0f) * 0.00048828125f;
    let ht = h - hh;
    let a = 1.0f - 0.5f * (hh * hh);
    let d = fma(ht * 0.5f, h + hh, l * (h * fma(-0.16666667f, z, 1.0f)));
    return a + fma(z * z, p, -d);
}

// tan(h + l) = h + h^3 T(h^2) + l (1 + tan(h)^2); T minimax (2^-29.6).
fn trig32_tan_poly(h: f32, l: f32) -> f32 {
    let z = h * h;
    var p = 0.004372493363916874f;
    p = fma(p, z, 9.857153781922534e-05f);
    p = fma(p, z, 0.010827257297933102f);
    p = fma(p, z, 0.0212862528860569f);
    p = fma(p, z, 0.05405890941619873f);
    p = fma(p, z, 0.13332675397396088f);
    p = fma(p, z, 0.33333349227905273f);
    let c = h * z * p;
    let t = h + c;
    return h + fma(l, fma(t, t, 1.0f), c);
}

// cot(h + l) = 1/h - l/h^2 - h K(h^2) - l K, K minimax (2^-32.6), for
// 2^-32 < |h| <= pi/4 (odd quadrants only, so never tiny). 1/h is taken as
// c (1 + e) with e = 1 - c h computed exactly in integers: c h is the
// product of two 24-bit mantissas, within 2^-16 of 1, so the low 32 bits of
// that product, negated, are e times a power of two.
fn trig32_cot_poly(h: f32, l: f32) -> f32 {
    let z = h * h;
    var p = 2.6333711502957158e-05f;
    p = fma(p, z, 0.00020777700410690159f);
    p = fma(p, z, 0.0021177439484745264f);
    p = fma(p, z, 0.022222019731998444f);
    p = fma(p, z, 0.3333333432674408f);
    let c = 1.0f / h;
    let hb = bitcast<u32>(h);
    let cb = bitcast<u32>(c);
    let mh = (hb & 0x007FFFFFu) | 0x00800000u;
    let mc = (cb & 0x007FFFFFu) | 0x00800000u;
    let d = bitcast<i32>(0u - mc * mh);
    let ex = i32((hb >> 23u) & 0xFFu) + i32((cb >> 23u) & 0xFFu) - 300;
    let e = f32(d) * trig32_pow2(ex);
    return c + (fma(c, e, -(l * fma(c, c, p))) - h * p);
}

fn sin_f32(x: f32) -> f32 {
    let u = bitcast<u32>(x);
    let a = u & 0x7FFFFFFFu;
    if (a >= 0x7F800000u) {
        return nan_f32();
    }
    // |x| < 2^-12: x^3/6 is below half an ulp of x. Keeps -0 and subnormals.
    if (a < 0x39800000u) {
        return x;
    }
    let red = trig32_reduce(a);
    var s: f32;
    if ((red.q & 1u) == 0u) {
        s = trig32_sin_poly(red.hi, red.lo);
    } else {
        s = trig32_cos_poly(red.hi, red.lo);
    }
    // Quadrants 2 and 3, and negative x, flip the sign.
    let flip = ((red.q & 2u) << 30u) ^ (u & 0x80000000u);
    return bitcast<f32>(bitcast<u32>(s) ^ flip);
}

fn cos_f32(x: f32) -> f32 {
    let a = bitcast<u32>(x) & 0x7FFFFFFFu;
    if (a >= 0x7F800000u) {
        return nan_f32();
    }
    // |x| < 2^-12: 1 - x^2/2 rounds to 1.
    if (a < 0x39800000u) {
        return 1.0f;
    }
    let red = trig32_reduce(a);
    var c: f32;
    if ((red.q & 1u) == 0u) {
        c = trig32_cos_poly(red.hi, red.lo);
    } else {
        c = trig32_sin_poly(red.hi, red.lo);
    }
    // Quadrants 1 and 2 flip the sign.
    let flip = ((red.q + 1u) & 2u) << 30u;
    return bitcast<f32>(bitcast<u32>(c) ^ flip);
}

fn tan_f32(x: f32) -> f32 {
    let u = bitcast<u32>(x);
    let a = u & 0x7FFFFFFFu;
    if (a >= 0x7F800000u) {
        return nan_f32();
    }
    // |x| < 2^-12: x^3/3 is below half an ulp of x. Keeps -0 and subnormals.
    if (a < 0x39800000u) {
        return x;
    }
    let red = trig32_reduce(a);
    var t: f32;
    if ((red.q & 1u) == 0u) {
        t = trig32_tan_poly(red.hi, red.lo);
    } else {
        t = trig32_cot_poly(red.hi, red.lo);
    }
    // tan = -cot in odd quadrants; negative x flips the sign too.
    let flip = ((red.q & 1u) << 31u) ^ (u & 0x80000000u);
    return bitcast<f32>(bitcast<u32>(t) ^ flip);
}
