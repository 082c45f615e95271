// float -> integer casts with x86-64 NumPy's results for every input,
// out-of-range, infinite and NaN ones included (docs/casting.md):
// int8/16/32 and uint8/16 go through a truncating int32 conversion whose
// failures give INT32_MIN; uint32 and the 64-bit targets follow the rules
// NumPy's compiled loops show. In-range values truncate toward zero.

fn f32_to_i32_x86(v: f32) -> i32 {
    if (isnan_f32(v) || !(abs(v) < 2147483648.0)) {
        return bitcast<i32>(0x80000000u);
    }
    return i32(v);
}

fn f32_to_u32_x86(v: f32) -> u32 {
    if (isnan_f32(v)) {
        return 0x80000000u;
    }
    if (v >= 4294967296.0) {
        return 0u;
    }
    if (v >= 0.0) {
        return u32(v);
    }
    if (v > -2147483648.0) {
        return bitcast<u32>(i32(v));
    }
    return 0x80000000u;
}
