// Unsigned integer ufunc helpers with NumPy's semantics, a template
// instantiated by wgarray-kernels (src/wgsl/libs.rs) for u32 and u64: $T the
// type, $S its name, $Z/$O zero and one, $BITS its width.

fn floordiv_$S(a: $T, b: $T) -> $T {
    if (b == $Z) { return $Z; }
    return a / b;
}

fn rem_$S(a: $T, b: $T) -> $T {
    if (b == $Z) { return $Z; }
    return a % b;
}

fn fmod_$S(a: $T, b: $T) -> $T {
    return rem_$S(a, b);
}

fn pow_$S(a: $T, b: $T) -> $T {
    var base = a;
    var e = b;
    var acc = $O;
    loop {
        if (e == $Z) { break; }
        if ((e & $O) == $O) { acc = acc * base; }
        base = base * base;
        e = e >> 1u;
    }
    return acc;
}

fn shl_$S(a: $T, b: $T) -> $T {
    if (b >= $BITS) { return $Z; }
    return a << u32(b);
}

fn shr_$S(a: $T, b: $T) -> $T {
    if (b >= $BITS) { return $Z; }
    return a >> u32(b);
}

fn gcd_$S(a: $T, b: $T) -> $T {
    var x = a;
    var y = b;
    loop {
        if (y == $Z) { break; }
        let t = x % y;
        x = y;
        y = t;
    }
    return x;
}

fn lcm_$S(a: $T, b: $T) -> $T {
    let g = gcd_$S(a, b);
    if (g == $Z) { return $Z; }
    return (a / g) * b;
}

fn popcount_$S(a: $T) -> u32 {
    return ones_$S(a);
}

// 1 / a as NumPy computes it (in double, converted with x86's rules: 1/0 is
// +inf, which becomes 0 in uint32/uint64 and in uint8/16 via int32).
fn reciprocal_$S(a: $T) -> $T {
    return select($Z, $O, a == $O);
}
