
// sin, cos, tan for float64. The argument reduction x = q (pi/2) + r is done
// in integers (Payne-Hanek): the 53-bit mantissa times a 224-bit window of
// 2/pi's bits keeps 2 quadrant bits and 128 fraction bits, enough for every
// double (the closest a double comes to a multiple of pi/2 is about 2^-61),
// and integer arithmetic is safe from drivers' float re-association. Then
// Taylor series on |r| <= pi/4 (truncation below 1e-22).

// The bits of 2/pi, 32 at a time (generated with mpmath).
const TWO_OVER_PI: array<u32, 40> = array<u32, 40>(
    0xa2f9836eu,
    0x4e441529u,
    0xfc2757d1u,
    0xf534ddc0u,
    0xdb629599u,
    0x3c439041u,
    0xfe5163abu,
    0xdebbc561u,
    0xb7246e3au,
    0x424dd2e0u,
    0x06492eeau,
    0x09d1921cu,
    0xfe1deb1cu,
    0xb129a73eu,
    0xe88235f5u,
    0x2ebb4484u,
    0xe99c7026u,
    0xb45f7e41u,
    0x3991d639u,
    0x835339f4u,
    0x9c845f8bu,
    0xbdf9283bu,
    0x1ff897ffu,
    0xde05980fu,
    0xef2f118bu,
    0x5a0a6d1fu,
    0x6d367ecfu,
    0x27cb09b7u,
    0x4f463f66u,
    0x9e5fea2du,
    0x7527bac7u,
    0xebe5f17bu,
    0x3d0739f7u,
    0x8a5292eau,
    0x6bfb5fb1u,
    0x1f8d5d08u,
    0x56033046u,
    0xfc7b6babu,
    0xf0cfbc20u,
    0x9af4361du
);

struct ReducedF64 {
    q: u32,
    r: f64,
}

// 32 bits of the 288-bit product starting at bit `pos` (little-endian limbs).
fn bits32_at(p: ptr<function, array<u32, 9>>, pos: u32) -> u32 {
    let limb = pos / 32u;
    let sh = pos % 32u;
    var v = (*p)[limb] >> sh;
    if (sh != 0u && limb + 1u < 9u) {
        v = v | ((*p)[limb + 1u] << (32u - sh));
    }
    return v;
}

// x = q (pi/2) + r for finite x >= pi/4, |r| <= pi/4.
fn reduce_pio2_f64(x: f64) -> ReducedF64 {
    let u = bitcast<u64>(x);
    let e = i32(u >> 52u) - 1023;
    let m = (u & 0x000FFFFFFFFFFFFFlu) | 0x0010000000000000lu;
    var w0 = 0;
    if (e >= 54) { w0 = (e - 54) / 32; }
    // The window's limbs, least significant first.
    var wl: array<u32, 7>;
    for (var k = 0; k < 7; k = k + 1) {
        wl[k] = TWO_OVER_PI[w0 + 6 - k];
    }
    let m0 = u64(u32(m & 0xFFFFFFFFlu));
    let m1 = u64(u32(m >> 32u));
    var p: array<u32, 9>;
    for (var k = 0; k < 9; k = k + 1) { p[k] = 0u; }
    var carry = 0lu;
    for (var k = 0; k < 7; k = k + 1) {
        let t = u64(wl[k]) * m0 + carry;
        p[k] = u32(t & 0xFFFFFFFFlu);
        carry = t >> 32u;
    }
    p[7] = u32(carry);
    carry = 0lu;
    for (var k = 0; k < 7; k = k + 1) {
        let t = u64(wl[k]) * m1 + u64(p[k + 1]) + carry;
        p[k + 1] = u32(t & 0xFFFFFFFFlu);
        carry = t >> 32u;
    }
    p[8] = p[8] + u32(carry);
    // Bit b0 of the product is the units bit: value = P * 2^-b0.
    let b0 = u32(32 * (w0 + 7) + 52 - e);
    let lo = b0 - 128u;
    var f0 = bits32_at(&p, lo);
    var f1 = bits32_at(&p, lo + 32u);
    var f2 = bits32_at(&p, lo + 64u);
    var f3 = bits32_at(&p, lo + 96u);
    var q = bits32_at(&p, b0) & 3u;
    var neg = false;
    if ((f3 & 0x80000000u) != 0u) {
        // Fraction >= 1/2: round the quadrant up, the fraction becomes 1 - f, negative.
        q = (q + 1u) & 3u;
        neg = true;
        f0 = ~f0; f1 = ~f1; f2 = ~f2; f3 = ~f3;
        f0 = f0 + 1u;
        if (f0 == 0u) { f1 = f1 + 1u; if (f1 == 0u) { f2 = f2 + 1u; if (f2 == 0u) { f3 = f3 + 1u; } } }
    }
    let hi = (u64(f3) << 32u) | u64(f2);
    let low = (u64(f1) << 32u) | u64(f0);
    var f: f64;
    if (hi != 0lu) {
        let lz = clz_u64(hi);
        var top = hi;
        if (lz != 0u) { top = (hi << lz) | (low >> (64u - lz)); }
        f = f64(top) * pow2_f64(-64 - i32(lz));
    } else if (low != 0lu) {
        let lz = clz_u64(low);
        f = f64(low << lz) * pow2_f64(-128 - i32(lz));
    } else {
        f = 0.0lf;
    }
    // r = f * pi/2, pi/2 as a double and its remainder.
    var r = fma(f, 1.5707963267948966lf, f * 6.123233995736766e-17lf);
    if (neg) { r = -r; }
    return ReducedF64(q, r);
}

fn sin_poly_f64(r: f64) -> f64 {
    let r2 = r * r;
    var p = 6.446950284384474e-26lf;
    p = fma(p, r2, -3.868170170630684e-23lf);
    p = fma(p, r2, 1.9572941063391263e-20lf);
    p = fma(p, r2, -8.22063524662433e-18lf);
    p = fma(p, r2, 2.8114572543455206e-15lf);
    p = fma(p, r2, -7.647163731819816e-13lf);
    p = fma(p, r2, 1.6059043836821613e-10lf);
    p = fma(p, r2, -2.505210838544172e-08lf);
    p = fma(p, r2, 2.7557319223985893e-06lf);
    p = fma(p, r2, -0.0001984126984126984lf);
    p = fma(p, r2, 0.008333333333333333lf);
    p = fma(p, r2, -0.16666666666666666lf);
    return fma(r * r2, p, r);
}

fn cos_poly_f64(r: f64) -> f64 {
    let r2 = r * r;
    var p = 2.4795962632247976e-27lf;
    p = fma(p, r2, 1.6117375710961184e-24lf);
    p = fma(p, r2, -8.896791392450574e-22lf);
    p = fma(p, r2, 4.110317623312165e-19lf);
    p = fma(p, r2, -1.5619206968586225e-16lf);
    p = fma(p, r2, 4.779477332387385e-14lf);
    p = fma(p, r2, -1.1470745597729725e-11lf);
    p = fma(p, r2, 2.08767569878681e-09lf);
    p = fma(p, r2, -2.755731922398589e-07lf);
    p = fma(p, r2, 2.48015873015873e-05lf);
    p = fma(p, r2, -0.001388888888888889lf);
    p = fma(p, r2, 0.041666666666666664lf);
    p = fma(p, r2, -0.5lf);
    return fma(r2, p, 1.0lf);
}

// Quadrant and reduced argument of |x| (finite).
fn trig_reduce_f64(a: f64) -> ReducedF64 {
    if (a <= 0.7853981633974483lf) { return ReducedF64(0u, a); }
    return reduce_pio2_f64(a);
}

fn sin_f64(x: f64) -> f64 {
    if (isnan_f64(x) || isinf_f64(x)) { return bitcast<f64>(0x7FF8000000000000lu); }
    let a = fabs_f64(x);
    if (a < 7.450580596923828e-09lf) { return x; }
    let red = trig_reduce_f64(a);
    var s: f64;
    switch (red.q) {
        case 0u: { s = sin_poly_f64(red.r); }
        case 1u: { s = cos_poly_f64(red.r); }
        case 2u: { s = -sin_poly_f64(red.r); }
        default: { s = -cos_poly_f64(red.r); }
    }
    return select(s, -s, x < 0.0lf);
}

fn cos_f64(x: f64) -> f64 {
    if (isnan_f64(x) || isinf_f64(x)) { return bitcast<f64>(0x7FF8000000000000lu); }
    let a = fabs_f64(x);
    if (a < 7.450580596923828e-09lf) { return 1.0lf; }
    let red = trig_reduce_f64(a);
    switch (red.q) {
        case 0u: { return cos_poly_f64(red.r); }
        case 1u: { return -sin_poly_f64(red.r); }
        case 2u: { return -cos_poly_f64(red.r); }
        default: { return sin_poly_f64(red.r); }
    }
}

// tan(r) for |r| <= pi/4: r + r^3 P(r^2), tan's Taylor series to degree 61
// (terms shrink by about 4 each at pi/4: truncation below 2^-58).
fn tan_poly_f64(r: f64) -> f64 {
    let r2 = r * r;
    var p = 1.385471574294847e-12lf;
    p = fma(p, r2, 3.4185140868111557e-12lf);
    p = fma(p, r2, 8.434845419094337e-12lf);
    p = fma(p, r2, 2.0812146867700473e-11lf);
    p = fma(p, r2, 5.135191408039368e-11lf);
    p = fma(p, r2, 1.26705769303054e-10lf);
    p = fma(p, r2, 3.126339545892087e-10lf);
    p = fma(p, r2, 7.713933635359062e-10lf);
    p = fma(p, r2, 1.903336833931276e-09lf);
    p = fma(p, r2, 4.6962953982309016e-09lf);
    p = fma(p, r2, 1.1587644432798853e-08lf);
    p = fma(p, r2, 2.859136662305254e-08lf);
    p = fma(p, r2, 7.054636946400968e-08lf);
    p = fma(p, r2, 1.7406618963571648e-07lf);
    p = fma(p, r2, 4.294911078273806e-07lf);
    p = fma(p, r2, 1.0597268320104654e-06lf);
    p = fma(p, r2, 2.6147711512907546e-06lf);
    p = fma(p, r2, 6.451689215655431e-06lf);
    p = fma(p, r2, 1.5918905069328964e-05lf);
    p = fma(p, r2, 3.927832388331683e-05lf);
    p = fma(p, r2, 9.691537956929451e-05lf);
    p = fma(p, r2, 0.00023912911424355248lf);
    p = fma(p, r2, 0.000590027440945586lf);
    p = fma(p, r2, 0.0014558343870513183lf);
    p = fma(p, r2, 0.003592128036572481lf);
    p = fma(p, r2, 0.008863235529902197lf);
    p = fma(p, r2, 0.021869488536155203lf);
    p = fma(p, r2, 0.05396825396825397lf);
    p = fma(p, r2, 0.13333333333333333lf);
    p = fma(p, r2, 0.3333333333333333lf);
    return fma(r * r2, p, r);
}

// tan in even quadrants, -1/tan in odd ones: one rounding from the
// division there, instead of sin/cos's two polynomials and a division.
fn tan_f64(x: f64) -> f64 {
    if (isnan_f64(x) || isinf_f64(x)) { return bitcast<f64>(0x7FF8000000000000lu); }
    let a = fabs_f64(x);
    if (a < 7.450580596923828e-09lf) { return x; }
    let red = trig_reduce_f64(a);
    let t0 = tan_poly_f64(red.r);
    let t = select(t0, -1.0lf / t0, (red.q & 1u) == 1u);
    return select(t, -t, x < 0.0lf);
}
