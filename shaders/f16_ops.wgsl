// float16 helpers that must step float16's own bits (values are held in f32;
// see f16.wgsl). Everything else float16 computes in float32 and rounds once.

fn nextafter_f16(a: f32, b: f32) -> f32 {
    if (isnan_f32(a) || isnan_f32(b)) { return bitcast<f32>(0x7FC00000u); }
    let ha = f32_to_f16(a);
    let hb = f32_to_f16(b);
    if (ha == hb || ((ha | hb) & 0x7FFFu) == 0u) { return b; }
    if ((ha & 0x7FFFu) == 0u) { return f16_to_f32((hb & 0x8000u) | 1u); }
    let up = (b > a) != ((ha & 0x8000u) != 0u);
    return f16_to_f32(select(ha - 1u, ha + 1u, up));
}

// NumPy's npy_half_spacing: always the gap toward +inf (positive).
fn spacing_f16(a: f32) -> f32 {
    if (!isfinite_f32(a)) { return bitcast<f32>(0x7FC00000u); }
    return nextafter_f16(a, bitcast<f32>(0x7F800000u)) - a;
}

fn ldexp_f16(a: f32, n: i32) -> f32 {
    // Exact in f32 for float16 inputs and results down to float16's subnormals;
    // rounding happens once, at the float16 store.
    return ldexp_f32(a, clamp(n, -200, 200));
}
