// Bit tests for float64 (see f16.wgsl for why).
fn isnan_f64(x: f64) -> bool {
    return (bitcast<u64>(x) & 0x7FFFFFFFFFFFFFFFlu) > 0x7FF0000000000000lu;
}

fn nonzero_f64(x: f64) -> bool {
    return (bitcast<u64>(x) & 0x7FFFFFFFFFFFFFFFlu) != 0lu;
}

// float64 -> float32 rounded to odd: converting that result on to float16
// gives the correctly rounded float16 of the float64 (no double rounding),
// as NumPy's direct float64 -> float16 cast does.
fn f64_to_f32_odd(x: f64) -> f32 {
    let r = f32(x);
    if (isnan_f64(x) || f64(r) == x) {
        return r;
    }
    var b = bitcast<u32>(r);
    if ((b & 1u) == 0u) {
        if (abs(f64(r)) > abs(x)) {
            b = b - 1u;
        } else {
            b = b + 1u;
        }
    }
    return bitcast<f32>(b);
}
