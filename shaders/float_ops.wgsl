// Float ufunc helpers with NumPy's semantics, a template instantiated by
// wgarray-kernels (src/wgsl/libs.rs) for f32 and f64: $F the type, $S its
// name, $B the unsigned integer of its width, $MANT mantissa bits, $BIAS the
// exponent bias, literals $FZ/$FO (0 and 1), $BZ/$BO (0 and 1 of $B) and the
// masks $SIGN, $EXPBITS (the +inf pattern), $MANTMASK, $IMPL (implicit bit).
// NaN, infinity and sign tests look at bits: drivers may compile float
// comparisons as if NaN never occurred.

fn isinf_$S(a: $F) -> bool {
    return (bitcast<$B>(a) & ~$SIGN) == $EXPBITS;
}

fn isfinite_$S(a: $F) -> bool {
    return (bitcast<$B>(a) & ~$SIGN) < $EXPBITS;
}

fn signbit_$S(a: $F) -> bool {
    return (bitcast<$B>(a) & $SIGN) != $BZ;
}

fn fabs_$S(a: $F) -> $F {
    return bitcast<$F>(bitcast<$B>(a) & ~$SIGN);
}

fn copysign_$S(a: $F, b: $F) -> $F {
    return bitcast<$F>((bitcast<$B>(a) & ~$SIGN) | (bitcast<$B>(b) & $SIGN));
}

fn nan_$S() -> $F {
    return bitcast<$F>($EXPBITS | ($IMPL >> 1u));
}

fn eq_$S(a: $F, b: $F) -> bool {
    return !isnan_$S(a) && !isnan_$S(b) && a == b;
}

fn lt_$S(a: $F, b: $F) -> bool {
    return !isnan_$S(a) && !isnan_$S(b) && a < b;
}

fn le_$S(a: $F, b: $F) -> bool {
    return !isnan_$S(a) && !isnan_$S(b) && a <= b;
}

// NaN rules as selects, not branches, so a fold of them keeps its loads in flight.
fn maximum_$S(a: $F, b: $F) -> $F {
    return select(select(b, a, a >= b), a, isnan_$S(a));
}

fn minimum_$S(a: $F, b: $F) -> $F {
    return select(select(b, a, a <= b), a, isnan_$S(a));
}

fn fmax_$S(a: $F, b: $F) -> $F {
    return select(select(b, a, a >= b), a, isnan_$S(b));
}

fn fmin_$S(a: $F, b: $F) -> $F {
    return select(select(b, a, a <= b), a, isnan_$S(b));
}

// Built from bits: drivers may fold the selects ignoring signed zeros.
fn sign_$S(a: $F) -> $F {
    let u = bitcast<$B>(a);
    if (isnan_$S(a)) { return a; }
    if ((u & ~$SIGN) == $BZ) { return $FZ; }
    return bitcast<$F>(bitcast<$B>($FO) | (u & $SIGN));
}

fn heaviside_$S(a: $F, b: $F) -> $F {
    if (isnan_$S(a)) { return a; }
    return select(select(b, $FZ, a < $FZ), $FO, a > $FZ);
}

// C's fmod, exact: shift-and-subtract long division on the mantissas.
fn fmod_$S(x: $F, y: $F) -> $F {
    let ux = bitcast<$B>(x);
    let ax = ux & ~$SIGN;
    let ay = bitcast<$B>(y) & ~$SIGN;
    if (ay == $BZ || ax >= $EXPBITS || ay > $EXPBITS) { return nan_$S(); }
    if (ax < ay) { return x; }
    if (ax == ay) { return bitcast<$F>(ux & $SIGN); }
    var ex = i32(ax >> $MANT);
    var ey = i32(ay >> $MANT);
    var mx = ax & $MANTMASK;
    var my = ay & $MANTMASK;
    if (ex == 0) {
        ex = 1;
        loop { if ((mx & $IMPL) != $BZ) { break; } mx = mx << 1u; ex = ex - 1; }
    } else {
        mx = mx | $IMPL;
    }
    if (ey == 0) {
        ey = 1;
        loop { if ((my & $IMPL) != $BZ) { break; } my = my << 1u; ey = ey - 1; }
    } else {
        my = my | $IMPL;
    }
    loop {
        if (ex <= ey) { break; }
        if (mx >= my) { mx = mx - my; }
        mx = mx << 1u;
        ex = ex - 1;
    }
    if (mx >= my) { mx = mx - my; }
    if (mx == $BZ) { return bitcast<$F>(ux & $SIGN); }
    loop { if ((mx & $IMPL) != $BZ) { break; } mx = mx << 1u; ex = ex - 1; }
    var r: $B;
    if (ex > 0) {
        r = (mx & $MANTMASK) | ($B(u32(ex)) << $MANT);
    } else {
        r = mx >> u32(1 - ex);
    }
    return bitcast<$F>(r | (ux & $SIGN));
}

// a / b rounded to nearest (float32: div_f32.wgsl; float64 divides
// natively). Zero, infinite and NaN operands follow IEEE's rules from the
// bits: drivers fold x / x to 1 (NVIDIA's does), which 0, inf and NaN are not.
fn div_$S(a: $F, b: $F) -> $F {
    let ua = bitcast<$B>(a) & ~$SIGN;
    let ub = bitcast<$B>(b) & ~$SIGN;
    if (ua == $BZ || ub == $BZ || ua >= $EXPBITS || ub >= $EXPBITS) {
        let sign = (bitcast<$B>(a) ^ bitcast<$B>(b)) & $SIGN;
        if (ua > $EXPBITS || ub > $EXPBITS || (ua == $BZ && ub == $BZ) || (ua == $EXPBITS && ub == $EXPBITS)) {
            return nan_$S();
        }
        if (ua == $BZ || ub == $EXPBITS) { return bitcast<$F>(sign); }
        return bitcast<$F>(sign | $EXPBITS);
    }
    return $DIV;
}

// NumPy's npy_divmod: floor quotient (divmod_q) and Python remainder (divmod_r).
fn divmod_q_$S(a: $F, b: $F) -> $F {
    if (bitcast<$B>(b) & ~$SIGN) == $BZ { return a / b; }
    var m = fmod_$S(a, b);
    var div = div_$S(a - m, b);
    if ((bitcast<$B>(m) & ~$SIGN) != $BZ) {
        if (signbit_$S(b) != signbit_$S(m) && !isnan_$S(m)) { div = div - $FO; }
    }
    if ((bitcast<$B>(div) & ~$SIGN) != $BZ) {
        var f = floor(div);
        if (div - f > $FO / ($FO + $FO)) { f = f + $FO; }
        return f;
    }
    return copysign_$S($FZ, a / b);
}

fn divmod_r_$S(a: $F, b: $F) -> $F {
    var m = fmod_$S(a, b);
    if ((bitcast<$B>(b) & ~$SIGN) == $BZ) { return m; }
    if ((bitcast<$B>(m) & ~$SIGN) != $BZ) {
        if (signbit_$S(b) != signbit_$S(m) && !isnan_$S(m)) { m = m + b; }
    } else {
        m = copysign_$S($FZ, b);
    }
    return m;
}

fn nextafter_$S(a: $F, b: $F) -> $F {
    if (isnan_$S(a) || isnan_$S(b)) { return nan_$S(); }
    let ua = bitcast<$B>(a);
    let ub = bitcast<$B>(b);
    if (ua == ub || ((ua | ub) & ~$SIGN) == $BZ) { return b; }
    if ((ua & ~$SIGN) == $BZ) { return bitcast<$F>((ub & $SIGN) | $BO); }
    let up = (b > a) != signbit_$S(a);
    return bitcast<$F>(select(ua - $BO, ua + $BO, up));
}

// NumPy steps up for x >= 0 (−0.0 included), down otherwise.
fn spacing_$S(a: $F) -> $F {
    if (!isfinite_$S(a)) { return nan_$S(); }
    let up = !signbit_$S(a) || (bitcast<$B>(a) & ~$SIGN) == $BZ;
    return nextafter_$S(a, bitcast<$F>($EXPBITS | select($SIGN, $BZ, up))) - a;
}

fn modf_frac_$S(a: $F) -> $F {
    if (isinf_$S(a)) { return copysign_$S($FZ, a); }
    return copysign_$S(a - trunc(a), a);
}

fn frexp_exp_$S(a: $F) -> i32 {
    let ua = bitcast<$B>(a) & ~$SIGN;
    if (ua == $BZ || ua >= $EXPBITS) { return 0; }
    let e = i32(ua >> $MANT);
    if (e == 0) {
        let top = i32($MANT) - i32(clz_$B(ua)) + i32(clz_$B($IMPL));
        return top + 2 - $BIAS - i32($MANT);
    }
    return e - $BIAS + 1;
}

fn frexp_mant_$S(a: $F) -> $F {
    let u = bitcast<$B>(a);
    let ua = u & ~$SIGN;
    if (ua == $BZ || ua >= $EXPBITS) { return a; }
    var m = ua & $MANTMASK;
    if ((ua >> $MANT) == $BZ) {
        // Subnormal: move the top set bit to the implicit position.
        m = (m << (clz_$B(m) - clz_$B($IMPL))) & $MANTMASK;
    }
    return bitcast<$F>((u & $SIGN) | m | ($B(u32($BIAS - 1)) << $MANT));
}

// a * 2^n, rounded once (to nearest even) also when the result is subnormal.
fn ldexp_$S(a: $F, n: i32) -> $F {
    let u = bitcast<$B>(a);
    let ua = u & ~$SIGN;
    if (ua == $BZ || ua >= $EXPBITS || n == 0) { return a; }
    var e = i32(ua >> $MANT);
    var m = ua & $MANTMASK;
    if (e == 0) {
        e = 1;
        loop { if ((m & $IMPL) != $BZ) { break; } m = m << 1u; e = e - 1; }
    } else {
        m = m | $IMPL;
    }
    let ne = e + clamp(n, -100000, 100000);
    if (ne >= 2 * $BIAS + 1) { return copysign_$S(bitcast<$F>($EXPBITS), a); }
    if (ne >= 1) {
        return bitcast<$F>((u & $SIGN) | (m & $MANTMASK) | ($B(u32(ne)) << $MANT));
    }
    let shift = u32(1 - ne);
    if (shift > $MANT + 1u) { return bitcast<$F>(u & $SIGN); }
    let q = m >> shift;
    let rest = m & (($BO << shift) - $BO);
    let half = $BO << (shift - 1u);
    var r = q;
    if (rest > half || (rest == half && (q & $BO) == $BO)) { r = r + $BO; }
    return bitcast<$F>((u & $SIGN) | r);
}
