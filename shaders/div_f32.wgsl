// float32 division rounded to nearest, as IEEE 754 (and NumPy) divide.
// Vulkan lets OpFDiv be 2.5 ulp off and NVIDIA's driver is (1 ulp on
// ordinary operands); Vulkan's fma need not be fused either, so the quotient
// is fixed up in integers: the driver's quotient of the two 24-bit mantissas
// is an estimate a few units off, the exact remainder (small, so exact in
// wrapping u32 arithmetic) moves it to the truncated quotient, and the
// remainder rounds it (a quotient of two floats is never exactly halfway).
// Zeros, subnormals, infinities, NaNs and subnormal quotients keep the
// driver's own division (exact where the driver keeps subnormals; flushed
// where it flushes them).
fn div_rn_f32(a: f32, b: f32) -> f32 {
    let q = a / b;
    let ua = bitcast<u32>(a);
    let ub = bitcast<u32>(b);
    let ea = (ua >> 23u) & 0xFFu;
    let eb = (ub >> 23u) & 0xFFu;
    if (ea == 0u || ea == 255u || eb == 0u || eb == 255u) { return q; }
    // a / b = (ma / mb) · 2^(ea - eb), mantissas as integers in [2^23, 2^24).
    let ma = (ua & 0x007FFFFFu) | 0x00800000u;
    let mb = (ub & 0x007FFFFFu) | 0x00800000u;
    // ma · 2^s / mb lies in [2^23, 2^24).
    let s = select(24u, 23u, ma >= mb);
    var quot = u32(f32(ma) / f32(mb) * pow2_f32(i32(s)));
    // ma · 2^s - quot · mb: a few mb at most, so exact modulo 2^32.
    var rem = bitcast<i32>((ma << s) - quot * mb);
    loop { if (rem >= 0) { break; } quot = quot - 1u; rem = rem + i32(mb); }
    loop { if (rem < i32(mb)) { break; } quot = quot + 1u; rem = rem - i32(mb); }
    if (2 * rem > i32(mb)) { quot = quot + 1u; }
    // (quot / 2^23) · 2^k with quot / 2^23 in [1, 2], by exact power-of-two
    // scalings (pow2_f32: exp_f32.wgsl); the last overflows to inf as a / b
    // would, and a subnormal result would round twice, so that keeps the
    // driver's.
    let k = i32(ea) - i32(eb) - i32(s) + 23;
    if (k < -127) { return q; }
    let k1 = k >> 1u;
    let r = ((f32(quot) * pow2_f32(-23)) * pow2_f32(k1)) * pow2_f32(k - k1);
    if (r < 1.17549435e-38f) { return q; }
    return select(r, -r, ((ua ^ ub) & 0x80000000u) != 0u);
}
