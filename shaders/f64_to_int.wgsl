// float64 -> integer casts with x86-64 NumPy's results (see
// float_to_int.wgsl and docs/casting.md).

fn f64_to_i32_x86(v: f64) -> i32 {
    if (isnan_f64(v) || !(abs(v) < 2147483648.0lf)) {
        return bitcast<i32>(0x80000000u);
    }
    return i32(v);
}

fn f64_to_u32_x86(v: f64) -> u32 {
    if (isnan_f64(v)) {
        return 0x80000000u;
    }
    if (v >= 4294967296.0lf) {
        return 0u;
    }
    if (v >= 0.0lf) {
        return u32(v);
    }
    if (v > -2147483648.0lf) {
        return bitcast<u32>(i32(v));
    }
    return 0x80000000u;
}

fn f64_to_i64_x86(v: f64) -> i64 {
    if (isnan_f64(v) || !(abs(v) < 9223372036854775808.0lf)) {
        return bitcast<i64>(0x8000000000000000lu);
    }
    return i64(v);
}

fn f64_to_u64_x86(v: f64) -> u64 {
    if (isnan_f64(v)) {
        return 0x8000000000000000lu;
    }
    if (v >= 18446744073709551616.0lf) {
        return 0lu;
    }
    if (v >= 0.0lf) {
        return u64(v);
    }
    if (v > -9223372036854775808.0lf) {
        return bitcast<u64>(i64(v));
    }
    return 0x8000000000000000lu;
}
