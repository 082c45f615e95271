//! The Rust scalar function of every op-table entry, per dtype: NumPy's
//! semantics (its `loops.c.src`, `npy_math`), one trait implemented for each
//! Rust storage type. float16 computes in float32 and rounds once, as NumPy.

use half::f16;

use super::cast::float_to_int;

/// NumPy's elementwise semantics on one storage type. Methods a dtype has
/// no loop for are never called (the op table's loops decide).
pub trait Elem: Copy + Send + Sync + 'static {
    fn add(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn sub(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn mul(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn div(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn floor_div(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn rem(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn fmod(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn pow(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn max(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn min(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn fmax(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn fmin(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn and(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn or(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn xor(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn shl(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn shr(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn gcd(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn lcm(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn copysign(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn nextafter(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn heaviside(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn eq(_: Self, _: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn lt(_: Self, _: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn le(_: Self, _: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn truthy(_: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn neg(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn abs(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn square(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn reciprocal(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn sign(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn floor(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn ceil(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn trunc(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn rint(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn sqrt(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn exp(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn invert(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn popcount(_: Self) -> u8 {
        unreachable!("no loop for this dtype")
    }
    fn isnan(_: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn isinf(_: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn signbit(_: Self) -> bool {
        unreachable!("no loop for this dtype")
    }
    fn deg2rad(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn rad2deg(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn spacing(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn modf_frac(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn modf_int(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn frexp_mant(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    fn frexp_exp(_: Self) -> i32 {
        unreachable!("no loop for this dtype")
    }
    fn ldexp(_: Self, _: i64) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.exp2` (floats only).
    fn exp2(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.expm1` (floats only).
    fn expm1(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.log` (floats only).
    fn log(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.log2` (floats only).
    fn log2(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.log10` (floats only).
    fn log10(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.log1p` (floats only).
    fn log1p(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.sin` (floats only).
    fn sin(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.cos` (floats only).
    fn cos(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.tan` (floats only).
    fn tan(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arcsin` (floats only).
    fn arcsin(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arccos` (floats only).
    fn arccos(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arctan` (floats only).
    fn arctan(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.sinh` (floats only).
    fn sinh(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.cosh` (floats only).
    fn cosh(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.tanh` (floats only).
    fn tanh(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arcsinh` (floats only).
    fn arcsinh(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arccosh` (floats only).
    fn arccosh(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arctanh` (floats only).
    fn arctanh(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.cbrt` (floats only).
    fn cbrt(_: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.arctan2` (floats only).
    fn arctan2(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.hypot` (floats only).
    fn hypot(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.logaddexp` (floats only).
    fn logaddexp(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
    /// `np.logaddexp2` (floats only).
    fn logaddexp2(_: Self, _: Self) -> Self {
        unreachable!("no loop for this dtype")
    }
}

macro_rules! int_common {
    ($t:ty, $wide:ty, $to_int:path) => {
        fn add(a: Self, b: Self) -> Self { a.wrapping_add(b) }
        fn sub(a: Self, b: Self) -> Self { a.wrapping_sub(b) }
        fn mul(a: Self, b: Self) -> Self { a.wrapping_mul(b) }
        fn fmod(a: Self, b: Self) -> Self { if b == 0 { 0 } else { a.wrapping_rem(b) } }
        fn pow(a: Self, b: Self) -> Self {
            // Negative exponents are refused before the loop runs.
            let (mut base, mut e, mut acc) = (a, b, 1 as $t);
            while e > 0 {
                if e & 1 == 1 { acc = acc.wrapping_mul(base); }
                base = base.wrapping_mul(base);
                e >>= 1;
            }
            acc
        }
        fn max(a: Self, b: Self) -> Self { if a >= b { a } else { b } }
        fn min(a: Self, b: Self) -> Self { if a <= b { a } else { b } }
        fn fmax(a: Self, b: Self) -> Self { <Self as Elem>::max(a, b) }
        fn fmin(a: Self, b: Self) -> Self { <Self as Elem>::min(a, b) }
        fn and(a: Self, b: Self) -> Self { a & b }
        fn or(a: Self, b: Self) -> Self { a | b }
        fn xor(a: Self, b: Self) -> Self { a ^ b }
        fn shl(a: Self, b: Self) -> Self {
            // NumPy's npy_lshift: shifts past the width (or negative) give 0.
            if (b as u64) < <$t>::BITS as u64 { a.wrapping_shl(b as u32) } else { 0 }
        }
        fn eq(a: Self, b: Self) -> bool { a == b }
        fn lt(a: Self, b: Self) -> bool { a < b }
        fn le(a: Self, b: Self) -> bool { a <= b }
        fn truthy(a: Self) -> bool { a != 0 }
        fn square(a: Self) -> Self { a.wrapping_mul(a) }
        fn reciprocal(a: Self) -> Self {
            // NumPy computes 1.0 / a in double and converts (x86 rules for ±inf).
            $to_int(1.0 / a as f64) as $t
        }
        fn floor(a: Self) -> Self { a }
        fn ceil(a: Self) -> Self { a }
        fn trunc(a: Self) -> Self { a }
        fn invert(a: Self) -> Self { !a }
        fn isnan(_: Self) -> bool { false }
        fn isinf(_: Self) -> bool { false }
        fn signbit(a: Self) -> bool { a < (0 as $t) }
    };
}

macro_rules! signed {
    ($($t:ty, $wide:ty, $to_int:path);*) => {$(
        impl Elem for $t {
            int_common!($t, $wide, $to_int);
            fn floor_div(a: Self, b: Self) -> Self {
                if b == 0 { return 0; }
                if a == <$t>::MIN && b == -1 { return <$t>::MIN; }
                let (q, r) = (a / b, a % b);
                if r != 0 && ((r < 0) != (b < 0)) { q - 1 } else { q }
            }
            fn rem(a: Self, b: Self) -> Self {
                if b == 0 { return 0; }
                let r = a.wrapping_rem(b);
                if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r }
            }
            fn shr(a: Self, b: Self) -> Self {
                if (b as u64) < <$t>::BITS as u64 { a >> b } else if a < 0 { -1 } else { 0 }
            }
            fn gcd(a: Self, b: Self) -> Self {
                let (mut x, mut y) = (a.unsigned_abs(), b.unsigned_abs());
                while y != 0 { (x, y) = (y, x % y); }
                x as $t
            }
            fn lcm(a: Self, b: Self) -> Self {
                // NumPy: (|a| / gcd) * |b| in C `int` (or wider), wrapping,
                // narrowed at the end — so overflow can leave it negative.
                let g = Self::gcd(a, b);
                if g == 0 { return 0; }
                let (a, g, b) = ((a as $wide).wrapping_abs(), g as $wide, (b as $wide).wrapping_abs());
                (a / g).wrapping_mul(b) as $t
            }
            fn neg(a: Self) -> Self { a.wrapping_neg() }
            fn abs(a: Self) -> Self { a.wrapping_abs() }
            fn sign(a: Self) -> Self { a.signum() }
            fn popcount(a: Self) -> u8 { a.unsigned_abs().count_ones() as u8 }
        }
    )*};
}

macro_rules! unsigned {
    ($($t:ty, $wide:ty, $to_int:path);*) => {$(
        impl Elem for $t {
            int_common!($t, $wide, $to_int);
            fn floor_div(a: Self, b: Self) -> Self { if b == 0 { 0 } else { a / b } }
            fn rem(a: Self, b: Self) -> Self { if b == 0 { 0 } else { a % b } }
            fn shr(a: Self, b: Self) -> Self { if (b as u64) < <$t>::BITS as u64 { a >> b } else { 0 } }
            fn gcd(a: Self, b: Self) -> Self {
                let (mut x, mut y) = (a, b);
                while y != 0 { (x, y) = (y, x % y); }
                x
            }
            fn lcm(a: Self, b: Self) -> Self {
                let g = Self::gcd(a, b);
                if g == 0 { 0 } else { (a / g).wrapping_mul(b) }
            }
            fn neg(a: Self) -> Self { a.wrapping_neg() }
            fn abs(a: Self) -> Self { a }
            fn sign(a: Self) -> Self { (a > 0) as $t }
            fn popcount(a: Self) -> u8 { a.count_ones() as u8 }
        }
    )*};
}

fn i32_via(v: f64) -> i64 {
    float_to_int::i32_(v) as i64
}
fn u32_via(v: f64) -> i64 {
    float_to_int::u32_(v) as i64
}
fn i64_via(v: f64) -> i64 {
    float_to_int::i64_(v)
}
fn u64_via(v: f64) -> i64 {
    float_to_int::u64_(v) as i64
}

signed!(i8, i32, i32_via; i16, i32, i32_via; i32, i32, i32_via; i64, i64, i64_via);
unsigned!(u8, u32, i32_via; u16, u32, i32_via; u32, u32, u32_via; u64, u64, u64_via);

/// NumPy's `npy_divmod`: floor quotient and Python-style remainder of floats.
fn divmod<T: num_traits::Float>(a: T, b: T) -> (T, T) {
    let (zero, one) = (T::zero(), T::one());
    let m = a % b;
    if b == zero {
        return (a / b, m);
    }
    let mut div = (a - m) / b;
    let mut m = m;
    if m != zero {
        if (b < zero) != (m < zero) {
            m = m + b;
            div = div - one;
        }
    } else {
        m = zero.copysign(b);
    }
    let floordiv = if div != zero {
        let mut f = div.floor();
        if div - f > one / (one + one) {
            f = f + one;
        }
        f
    } else {
        zero.copysign(a / b)
    };
    (floordiv, m)
}

macro_rules! float_impl {
    ($t:ty, $bits:ty, $mant_bits:expr, $exp_bias:expr, $exp_mask:expr) => {
        impl Elem for $t {
            fn add(a: Self, b: Self) -> Self { a + b }
            fn sub(a: Self, b: Self) -> Self { a - b }
            fn mul(a: Self, b: Self) -> Self { a * b }
            fn div(a: Self, b: Self) -> Self { a / b }
            fn floor_div(a: Self, b: Self) -> Self { if b == 0.0 { a / b } else { divmod(a, b).0 } }
            fn rem(a: Self, b: Self) -> Self { if b == 0.0 { a % b } else { divmod(a, b).1 } }
            fn fmod(a: Self, b: Self) -> Self { a % b }
            fn pow(a: Self, b: Self) -> Self { a.powf(b) }
            fn max(a: Self, b: Self) -> Self { if a >= b || a.is_nan() { a } else { b } }
            fn min(a: Self, b: Self) -> Self { if a <= b || a.is_nan() { a } else { b } }
            fn fmax(a: Self, b: Self) -> Self { if a >= b || b.is_nan() { a } else { b } }
            fn fmin(a: Self, b: Self) -> Self { if a <= b || b.is_nan() { a } else { b } }
            fn copysign(a: Self, b: Self) -> Self { a.copysign(b) }
            fn nextafter(a: Self, b: Self) -> Self {
                if a.is_nan() || b.is_nan() { return a + b; }
                if a == b { return b; }
                if a == 0.0 {
                    return <$t>::from_bits(1).copysign(b);
                }
                let bits = a.to_bits();
                let up = (b > a) == (a > 0.0);
                <$t>::from_bits(if up { bits + 1 } else { bits - 1 })
            }
            fn heaviside(a: Self, b: Self) -> Self {
                if a.is_nan() { a } else if a < 0.0 { 0.0 } else if a > 0.0 { 1.0 } else { b }
            }
            fn eq(a: Self, b: Self) -> bool { a == b }
            fn lt(a: Self, b: Self) -> bool { a < b }
            fn le(a: Self, b: Self) -> bool { a <= b }
            fn truthy(a: Self) -> bool { a != 0.0 }
            fn neg(a: Self) -> Self { -a }
            fn abs(a: Self) -> Self { a.abs() }
            fn square(a: Self) -> Self { a * a }
            fn reciprocal(a: Self) -> Self { 1.0 / a }
            fn sign(a: Self) -> Self { if a > 0.0 { 1.0 } else if a < 0.0 { -1.0 } else if a == 0.0 { 0.0 } else { a } }
            fn floor(a: Self) -> Self { a.floor() }
            fn ceil(a: Self) -> Self { a.ceil() }
            fn trunc(a: Self) -> Self { a.trunc() }
            fn rint(a: Self) -> Self { a.round_ties_even() }
            fn sqrt(a: Self) -> Self { a.sqrt() }
            fn exp(a: Self) -> Self { <$t as super::exp::Exp>::exp(a) }
            fn isnan(a: Self) -> bool { a.is_nan() }
            fn isinf(a: Self) -> bool { a.is_infinite() }
            fn signbit(a: Self) -> bool { a.is_sign_negative() }
            // NumPy's constants are computed in the type's own precision (NPY_PIf/180.0f).
            fn deg2rad(a: Self) -> Self { a * (std::f64::consts::PI as $t / 180.0) }
            fn rad2deg(a: Self) -> Self { a * (180.0 / std::f64::consts::PI as $t) }
            fn spacing(a: Self) -> Self {
                // NumPy steps up for x >= 0 (−0.0 included), down otherwise.
                if a.is_infinite() { return <$t>::NAN; }
                Self::nextafter(a, if a >= 0.0 { <$t>::INFINITY } else { <$t>::NEG_INFINITY }) - a
            }
            fn modf_frac(a: Self) -> Self {
                if a.is_infinite() { (0.0 as $t).copysign(a) } else { (a - a.trunc()).copysign(a) }
            }
            fn modf_int(a: Self) -> Self { a.trunc() }
            fn frexp_mant(a: Self) -> Self {
                if a == 0.0 || !a.is_finite() { return a; }
                Self::ldexp(a, -(Self::frexp_exp(a) as i64))
            }
            fn frexp_exp(a: Self) -> i32 {
                if a == 0.0 || !a.is_finite() { return 0; }
                if a.abs() < <$t>::MIN_POSITIVE {
                    // Subnormal: normalise exactly, then correct the exponent.
                    return Self::frexp_exp(a * (2.0 as $t).powi($mant_bits + 2)) - ($mant_bits + 2);
                }
                ((a.to_bits() >> $mant_bits) & $exp_mask) as i32 - $exp_bias + 1
            }
            fn exp2(a: Self) -> Self { a.exp2() }
            fn expm1(a: Self) -> Self { a.exp_m1() }
            fn log(a: Self) -> Self { a.ln() }
            fn log2(a: Self) -> Self { a.log2() }
            fn log10(a: Self) -> Self { a.log10() }
            fn log1p(a: Self) -> Self { a.ln_1p() }
            fn sin(a: Self) -> Self { super::trig::Trig::sin_(a) }
            fn cos(a: Self) -> Self { super::trig::Trig::cos_(a) }
            fn tan(a: Self) -> Self { super::trig::Trig::tan_(a) }
            fn arcsin(a: Self) -> Self { a.asin() }
            fn arccos(a: Self) -> Self { a.acos() }
            fn arctan(a: Self) -> Self { a.atan() }
            fn sinh(a: Self) -> Self { a.sinh() }
            fn cosh(a: Self) -> Self { a.cosh() }
            fn tanh(a: Self) -> Self { a.tanh() }
            fn arcsinh(a: Self) -> Self {
                // Beyond 2^(mantissa/2) sqrt(1+x^2) is |x|: ln|x| + ln2 (std's asinh overflows there).
                if a.abs() > (2.0 as $t).powi($mant_bits / 2 + 2) {
                    (a.abs().ln() + std::f64::consts::LN_2 as $t).copysign(a)
                } else {
                    a.asinh()
                }
            }
            fn arccosh(a: Self) -> Self {
                // fdlibm's reductions (std's acosh loses ulps near 1 and for large x).
                if a.is_nan() || a < 1.0 { return <$t>::NAN; }
                if a > (2.0 as $t).powi($mant_bits / 2 + 2) { return a.ln() + std::f64::consts::LN_2 as $t; }
                if a >= 2.0 { return (2.0 * a - 1.0 / (a + (a * a - 1.0).sqrt())).ln(); }
                let t = a - 1.0;
                (t + (2.0 * t + t * t).sqrt()).ln_1p()
            }
            fn arctanh(a: Self) -> Self {
                // fdlibm's reductions (std's atanh loses hundreds of ulps near 0.5).
                let x = a.abs();
                let r = if x < 0.5 { 0.5 * (2.0 * x + 2.0 * x * x / (1.0 - x)).ln_1p() } else { 0.5 * (2.0 * x / (1.0 - x)).ln_1p() };
                r.copysign(a)
            }
            fn cbrt(a: Self) -> Self { a.cbrt() }
            fn arctan2(a: Self, b: Self) -> Self { a.atan2(b) }
            fn hypot(a: Self, b: Self) -> Self { a.hypot(b) }
            fn logaddexp(a: Self, b: Self) -> Self {
                // NumPy's npy_logaddexp.
                if a == b { return a + std::f64::consts::LN_2 as $t; }
                let d = a - b;
                if d > 0.0 { a + (-d).exp().ln_1p() } else if d <= 0.0 { b + d.exp().ln_1p() } else { d }
            }
            fn logaddexp2(a: Self, b: Self) -> Self {
                // NumPy's npy_logaddexp2.
                if a == b { return a + 1.0; }
                let d = a - b;
                let log2_1p = |x: $t| x.ln_1p() * std::f64::consts::LOG2_E as $t;
                if d > 0.0 { a + log2_1p((-d).exp2()) } else if d <= 0.0 { b + log2_1p(d.exp2()) } else { d }
            }
            fn ldexp(a: Self, n: i64) -> Self {
                if a == 0.0 || !a.is_finite() || n == 0 { return a; }
                let (mut x, mut n) = (a, n.clamp(-100_000, 100_000));
                if x.abs() < <$t>::MIN_POSITIVE {
                    x *= (2.0 as $t).powi($mant_bits + 2);
                    n -= $mant_bits + 2;
                }
                let bits = x.to_bits();
                let e = ((bits >> $mant_bits) & $exp_mask) as i64 - $exp_bias;
                let ne = e + n;
                let with_exp = |exp: i64| {
                    <$t>::from_bits((bits & !($exp_mask << $mant_bits)) | (((exp + $exp_bias) as $bits) << $mant_bits))
                };
                if ne > $exp_bias {
                    return <$t>::INFINITY.copysign(a);
                }
                if ne >= 1 - $exp_bias {
                    return with_exp(ne);
                }
                if ne < -$exp_bias - $mant_bits - 1 {
                    return (0.0 as $t).copysign(a);
                }
                // Subnormal result: one multiplication by an exact power of two rounds once.
                with_exp(ne + $mant_bits + 2) * (2.0 as $t).powi(-($mant_bits + 2))
            }
        }
    };
}
float_impl!(f32, u32, 23, 127, 0xFF);
float_impl!(f64, u64, 52, 1023, 0x7FF);

/// float16: computed in float32 and rounded once, as NumPy's half loops do;
/// bit-level functions work on the float16 bits.
impl Elem for f16 {
    fn add(a: Self, b: Self) -> Self { f16::from_f32(a.to_f32() + b.to_f32()) }
    fn sub(a: Self, b: Self) -> Self { f16::from_f32(a.to_f32() - b.to_f32()) }
    fn mul(a: Self, b: Self) -> Self { f16::from_f32(a.to_f32() * b.to_f32()) }
    fn div(a: Self, b: Self) -> Self { f16::from_f32(a.to_f32() / b.to_f32()) }
    fn floor_div(a: Self, b: Self) -> Self { f16::from_f32(f32::floor_div(a.to_f32(), b.to_f32())) }
    fn rem(a: Self, b: Self) -> Self { f16::from_f32(f32::rem(a.to_f32(), b.to_f32())) }
    fn fmod(a: Self, b: Self) -> Self { f16::from_f32(a.to_f32() % b.to_f32()) }
    fn pow(a: Self, b: Self) -> Self { f16::from_f32(a.to_f32().powf(b.to_f32())) }
    fn max(a: Self, b: Self) -> Self { if a >= b || a.is_nan() { a } else { b } }
    fn min(a: Self, b: Self) -> Self { if a <= b || a.is_nan() { a } else { b } }
    fn fmax(a: Self, b: Self) -> Self { if a >= b || b.is_nan() { a } else { b } }
    fn fmin(a: Self, b: Self) -> Self { if a <= b || b.is_nan() { a } else { b } }
    fn copysign(a: Self, b: Self) -> Self { f16::from_bits((a.to_bits() & 0x7FFF) | (b.to_bits() & 0x8000)) }
    fn nextafter(a: Self, b: Self) -> Self {
        if a.is_nan() || b.is_nan() { return f16::from_f32(a.to_f32() + b.to_f32()); }
        if a == b { return b; }
        if a.to_f32() == 0.0 { return f16::from_bits(1 | (b.to_bits() & 0x8000)); }
        let bits = a.to_bits();
        let up = (b > a) == (a.to_f32() > 0.0);
        f16::from_bits(if up { bits + 1 } else { bits - 1 })
    }
    fn heaviside(a: Self, b: Self) -> Self { f16::from_f32(f32::heaviside(a.to_f32(), b.to_f32())) }
    fn eq(a: Self, b: Self) -> bool { a == b }
    fn lt(a: Self, b: Self) -> bool { a < b }
    fn le(a: Self, b: Self) -> bool { a <= b }
    fn truthy(a: Self) -> bool { a.to_f32() != 0.0 }
    fn neg(a: Self) -> Self { -a }
    fn abs(a: Self) -> Self { f16::from_bits(a.to_bits() & 0x7FFF) }
    fn square(a: Self) -> Self { Self::mul(a, a) }
    fn reciprocal(a: Self) -> Self { f16::from_f32(1.0 / a.to_f32()) }
    fn sign(a: Self) -> Self { f16::from_f32(f32::sign(a.to_f32())) }
    fn floor(a: Self) -> Self { f16::from_f32(a.to_f32().floor()) }
    fn ceil(a: Self) -> Self { f16::from_f32(a.to_f32().ceil()) }
    fn trunc(a: Self) -> Self { f16::from_f32(a.to_f32().trunc()) }
    fn rint(a: Self) -> Self { f16::from_f32(a.to_f32().round_ties_even()) }
    fn sqrt(a: Self) -> Self { f16::from_f32(a.to_f32().sqrt()) }
    fn exp(a: Self) -> Self { f16::from_f32(a.to_f32().exp()) }
    fn isnan(a: Self) -> bool { a.is_nan() }
    fn isinf(a: Self) -> bool { a.is_infinite() }
    fn signbit(a: Self) -> bool { a.to_bits() & 0x8000 != 0 }
    fn deg2rad(a: Self) -> Self { f16::from_f32(f32::deg2rad(a.to_f32())) }
    fn rad2deg(a: Self) -> Self { f16::from_f32(f32::rad2deg(a.to_f32())) }
    fn spacing(a: Self) -> Self {
        // NumPy's npy_half_spacing: always the gap toward +inf (positive).
        if a.is_infinite() { return f16::NAN; }
        Self::sub(Self::nextafter(a, f16::INFINITY), a)
    }
    fn modf_frac(a: Self) -> Self { f16::from_f32(f32::modf_frac(a.to_f32())) }
    fn modf_int(a: Self) -> Self { f16::from_f32(a.to_f32().trunc()) }
    fn frexp_mant(a: Self) -> Self { f16::from_f32(f32::frexp_mant(a.to_f32())) }
    fn frexp_exp(a: Self) -> i32 { f32::frexp_exp(a.to_f32()) }
    fn exp2(a: Self) -> Self { f16::from_f32(<f32 as Elem>::exp2(a.to_f32())) }
    fn expm1(a: Self) -> Self { f16::from_f32(<f32 as Elem>::expm1(a.to_f32())) }
    fn log(a: Self) -> Self { f16::from_f32(<f32 as Elem>::log(a.to_f32())) }
    fn log2(a: Self) -> Self { f16::from_f32(<f32 as Elem>::log2(a.to_f32())) }
    fn log10(a: Self) -> Self { f16::from_f32(<f32 as Elem>::log10(a.to_f32())) }
    fn log1p(a: Self) -> Self { f16::from_f32(<f32 as Elem>::log1p(a.to_f32())) }
    fn sin(a: Self) -> Self { f16::from_f32(<f32 as Elem>::sin(a.to_f32())) }
    fn cos(a: Self) -> Self { f16::from_f32(<f32 as Elem>::cos(a.to_f32())) }
    fn tan(a: Self) -> Self { f16::from_f32(<f32 as Elem>::tan(a.to_f32())) }
    fn arcsin(a: Self) -> Self { f16::from_f32(<f32 as Elem>::arcsin(a.to_f32())) }
    fn arccos(a: Self) -> Self { f16::from_f32(<f32 as Elem>::arccos(a.to_f32())) }
    fn arctan(a: Self) -> Self { f16::from_f32(<f32 as Elem>::arctan(a.to_f32())) }
    fn sinh(a: Self) -> Self { f16::from_f32(<f32 as Elem>::sinh(a.to_f32())) }
    fn cosh(a: Self) -> Self { f16::from_f32(<f32 as Elem>::cosh(a.to_f32())) }
    fn tanh(a: Self) -> Self { f16::from_f32(<f32 as Elem>::tanh(a.to_f32())) }
    fn arcsinh(a: Self) -> Self { f16::from_f32(<f32 as Elem>::arcsinh(a.to_f32())) }
    fn arccosh(a: Self) -> Self { f16::from_f32(<f32 as Elem>::arccosh(a.to_f32())) }
    fn arctanh(a: Self) -> Self { f16::from_f32(<f32 as Elem>::arctanh(a.to_f32())) }
    fn cbrt(a: Self) -> Self { f16::from_f32(<f32 as Elem>::cbrt(a.to_f32())) }
    fn arctan2(a: Self, b: Self) -> Self { f16::from_f32(<f32 as Elem>::arctan2(a.to_f32(), b.to_f32())) }
    fn hypot(a: Self, b: Self) -> Self { f16::from_f32(<f32 as Elem>::hypot(a.to_f32(), b.to_f32())) }
    fn logaddexp(a: Self, b: Self) -> Self { f16::from_f32(<f32 as Elem>::logaddexp(a.to_f32(), b.to_f32())) }
    fn logaddexp2(a: Self, b: Self) -> Self { f16::from_f32(<f32 as Elem>::logaddexp2(a.to_f32(), b.to_f32())) }
    fn ldexp(a: Self, n: i64) -> Self {
        // Exact in float64, then one rounding to float16.
        super::cast::f64_to_f16(f64::ldexp(a.to_f64(), n))
    }
}

/// bool, stored as u8 0/1.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Bool(pub u8);

impl Bool {
    fn of(b: bool) -> Bool {
        Bool(b as u8)
    }
    fn get(self) -> bool {
        self.0 != 0
    }
}

impl Elem for Bool {
    fn add(a: Self, b: Self) -> Self { Bool::of(a.get() | b.get()) }
    fn mul(a: Self, b: Self) -> Self { Bool::of(a.get() & b.get()) }
    fn max(a: Self, b: Self) -> Self { Bool::of(a.get() | b.get()) }
    fn min(a: Self, b: Self) -> Self { Bool::of(a.get() & b.get()) }
    fn fmax(a: Self, b: Self) -> Self { Bool::of(a.get() | b.get()) }
    fn fmin(a: Self, b: Self) -> Self { Bool::of(a.get() & b.get()) }
    fn and(a: Self, b: Self) -> Self { Bool::of(a.get() & b.get()) }
    fn or(a: Self, b: Self) -> Self { Bool::of(a.get() | b.get()) }
    fn xor(a: Self, b: Self) -> Self { Bool::of(a.get() ^ b.get()) }
    fn eq(a: Self, b: Self) -> bool { a.get() == b.get() }
    fn lt(a: Self, b: Self) -> bool { !a.get() & b.get() }
    fn le(a: Self, b: Self) -> bool { !a.get() | b.get() }
    fn truthy(a: Self) -> bool { a.get() }
    fn abs(a: Self) -> Self { Bool::of(a.get()) }
    fn floor(a: Self) -> Self { Bool::of(a.get()) }
    fn ceil(a: Self) -> Self { Bool::of(a.get()) }
    fn trunc(a: Self) -> Self { Bool::of(a.get()) }
    fn invert(a: Self) -> Self { Bool::of(!a.get()) }
    fn isnan(_: Self) -> bool { false }
    fn isinf(_: Self) -> bool { false }
}
