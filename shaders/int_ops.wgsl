// Integer ufunc helpers with NumPy's semantics, a template instantiated by
// wgarray-kernels (src/wgsl/libs.rs) for i32 and i64: $T the type, $S its
// name, $Z/$O zero and one, $BITS its width, $MIN its smallest value, $U the
// unsigned type of the same width. Division avoids `%` and never divides by
// zero or MIN by -1 (values NumPy defines: 0, and MIN).

fn floordiv_$S(a: $T, b: $T) -> $T {
    if (b == $Z) { return $Z; }
    if (b == -$O) { return -a; }
    let q = a / b;
    let r = a - q * b;
    if (r != $Z && ((r < $Z) != (b < $Z))) { return q - $O; }
    return q;
}

fn rem_$S(a: $T, b: $T) -> $T {
    if (b == $Z || b == -$O) { return $Z; }
    let r = a - (a / b) * b;
    if (r != $Z && ((r < $Z) != (b < $Z))) { return r + b; }
    return r;
}

fn fmod_$S(a: $T, b: $T) -> $T {
    if (b == $Z || b == -$O) { return $Z; }
    return a - (a / b) * b;
}

fn pow_$S(a: $T, b: $T) -> $T {
    var base = a;
    var e = b;
    var acc = $O;
    loop {
        if (e <= $Z) { break; }
        if ((e & $O) == $O) { acc = acc * base; }
        base = base * base;
        e = e >> 1u;
    }
    return acc;
}

fn shl_$S(a: $T, b: $T) -> $T {
    if (b < $Z || b >= $BITS) { return $Z; }
    return a << u32(b);
}

fn shr_$S(a: $T, b: $T) -> $T {
    if (b < $Z || b >= $BITS) { return select($Z, -$O, a < $Z); }
    return a >> u32(b);
}

fn abs_$S(a: $T) -> $T {
    return select(a, -a, a < $Z);
}

fn gcd_$S(a: $T, b: $T) -> $T {
    var x = bitcast<$U>(abs_$S(a));
    var y = bitcast<$U>(abs_$S(b));
    loop {
        if (y == $U(0)) { break; }
        let t = x % y;
        x = y;
        y = t;
    }
    return bitcast<$T>(x);
}

// NumPy: (|a| / gcd) * |b|, wrapping (so overflow can leave it negative).
fn lcm_$S(a: $T, b: $T) -> $T {
    let g = gcd_$S(a, b);
    if (g == $Z) { return $Z; }
    return (abs_$S(a) / g) * abs_$S(b);
}

fn sign_$S(a: $T) -> $T {
    return select(select($Z, -$O, a < $Z), $O, a > $Z);
}

fn popcount_$S(a: $T) -> u32 {
    return ones_$U(bitcast<$U>(abs_$S(a)));
}

// 1 / a as NumPy computes it (in double, converted with x86's rules).
fn reciprocal_$S(a: $T) -> $T {
    if (a == $Z) { return $MIN; }
    return select($Z, a, a == $O || a == -$O);
}
