// Float tests on raw bits: drivers may compile float comparisons as if NaN
// never occurred (lavapipe's `x != 0.0` is false for NaN), so NaN and zero
// tests look at the bits.
fn isnan_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7FFFFFFFu) > 0x7F800000u;
}

fn nonzero_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7FFFFFFFu) != 0u;
}

// float16 <-> float32 conversion on raw bits, so float16 needs no device
// feature: values are stored as NumPy lays them out (2 bytes each, packed in
// 32-bit words) and computed in float32. Rounding is to nearest, ties to even,
// done in integer arithmetic so no driver's rounding mode or denormal
// flushing can change it.

fn f16_to_f32(h: u32) -> f32 {
    let s = (h & 0x8000u) << 16u;
    let e = (h >> 10u) & 0x1Fu;
    let m = h & 0x3FFu;
    if (e == 0u) {
        let v = f32(m) * 5.9604644775390625e-8;
        return select(v, -v, s != 0u);
    }
    if (e == 31u) {
        return bitcast<f32>(s | 0x7F800000u | (m << 13u));
    }
    return bitcast<f32>(s | ((e + 112u) << 23u) | (m << 13u));
}

fn f32_to_f16(x: f32) -> u32 {
    let b = bitcast<u32>(x);
    let s = (b >> 16u) & 0x8000u;
    let a = b & 0x7FFFFFFFu;
    if (a >= 0x7F800000u) {
        return s | 0x7C00u | select(0u, 0x200u | ((a >> 13u) & 0x3FFu), a > 0x7F800000u);
    }
    if (a >= 0x477FF000u) {
        return s | 0x7C00u;
    }
    if (a < 0x38800000u) {
        // Below float16's smallest normal: round |x| / 2^-24 to an integer.
        let v = bitcast<f32>(a) * 16777216.0;
        var r = u32(v);
        let frac = v - f32(r);
        if (frac > 0.5 || (frac == 0.5 && (r & 1u) == 1u)) {
            r = r + 1u;
        }
        return s | r;
    }
    var h = (((a >> 23u) - 112u) << 10u) | ((a >> 13u) & 0x3FFu);
    let rest = a & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u) == 1u)) {
        h = h + 1u;
    }
    return s | h;
}
