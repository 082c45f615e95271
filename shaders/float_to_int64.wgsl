// float32 -> 64-bit integer casts with x86-64 NumPy's results (see
// float_to_int.wgsl and docs/casting.md). Only for devices with SHADER_INT64.

fn f32_to_i64_x86(v: f32) -> i64 {
    if (isnan_f32(v) || !(abs(v) < 9223372036854775808.0)) {
        return bitcast<i64>(0x8000000000000000lu);
    }
    return i64(v);
}

fn f32_to_u64_x86(v: f32) -> u64 {
    if (isnan_f32(v)) {
        return 0x8000000000000000lu;
    }
    if (v >= 18446744073709551616.0) {
        return 0lu;
    }
    if (v >= 0.0) {
        return u64(v);
    }
    if (v > -9223372036854775808.0) {
        return bitcast<u64>(i64(v));
    }
    return 0x8000000000000000lu;
}
