// float64 -> float32 rounded to odd: converting that result on to float16
// gives the correctly rounded float16 of the float64 (no double rounding),
// as NumPy's direct float64 -> float16 cast does.
fn f64_to_f32_odd(x: f64) -> f32 {
    let r = f32(x);
    if (f64(r) == x || x != x) {
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
