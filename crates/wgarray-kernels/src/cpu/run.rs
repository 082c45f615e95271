//! Runs one op-table `Scalar` on the CPU: picks the monomorphised inner loop
//! for the loop's dtypes. Each `Scalar` is a const generic, so the match on it
//! folds away and contiguous runs vectorise.

use half::f16;
use wgarray_core::DType;

use super::scalar::{Bool, Elem};
use super::strided::Strided;
use crate::ops::{Loop, Scalar, Scalar::*};

pub(crate) const fn id(s: Scalar) -> u8 {
    s as u8
}

macro_rules! is {
    ($op:expr, $s:ident) => {
        $op == id($s)
    };
}

#[inline(always)]
pub(crate) fn binary<T: Elem, const OP: u8>(a: T, b: T) -> T {
    match OP {
        o if is!(o, Add) => T::add(a, b),
        o if is!(o, Subtract) => T::sub(a, b),
        o if is!(o, Multiply) => T::mul(a, b),
        o if is!(o, Divide) => T::div(a, b),
        o if is!(o, FloorDivide) => T::floor_div(a, b),
        o if is!(o, Remainder) => T::rem(a, b),
        o if is!(o, Fmod) => T::fmod(a, b),
        o if is!(o, Power) => T::pow(a, b),
        o if is!(o, Maximum) => T::max(a, b),
        o if is!(o, Minimum) => T::min(a, b),
        o if is!(o, Fmax) => T::fmax(a, b),
        o if is!(o, Fmin) => T::fmin(a, b),
        o if is!(o, BitAnd) => T::and(a, b),
        o if is!(o, BitOr) => T::or(a, b),
        o if is!(o, BitXor) => T::xor(a, b),
        o if is!(o, LeftShift) => T::shl(a, b),
        o if is!(o, RightShift) => T::shr(a, b),
        o if is!(o, Gcd) => T::gcd(a, b),
        o if is!(o, Lcm) => T::lcm(a, b),
        o if is!(o, Copysign) => T::copysign(a, b),
        o if is!(o, Nextafter) => T::nextafter(a, b),
        o if is!(o, Heaviside) => T::heaviside(a, b),
        o if is!(o, Arctan2) => T::arctan2(a, b),
        o if is!(o, Hypot) => T::hypot(a, b),
        o if is!(o, Logaddexp) => T::logaddexp(a, b),
        o if is!(o, Logaddexp2) => T::logaddexp2(a, b),

        _ => unreachable!("not a binary op"),
    }
}

#[inline(always)]
fn compare<T: Elem, const OP: u8>(a: T, b: T) -> bool {
    match OP {
        o if is!(o, Equal) => T::eq(a, b),
        o if is!(o, NotEqual) => !T::eq(a, b),
        o if is!(o, Less) => T::lt(a, b),
        o if is!(o, LessEqual) => T::le(a, b),
        o if is!(o, Greater) => T::lt(b, a),
        o if is!(o, GreaterEqual) => T::le(b, a),
        o if is!(o, LogicalAnd) => T::truthy(a) && T::truthy(b),
        o if is!(o, LogicalOr) => T::truthy(a) || T::truthy(b),
        o if is!(o, LogicalXor) => T::truthy(a) != T::truthy(b),
        _ => unreachable!("not a comparison"),
    }
}

#[inline(always)]
fn unary<T: Elem, const OP: u8>(a: T) -> T {
    match OP {
        o if is!(o, Negative) => T::neg(a),
        o if is!(o, Positive) => a,
        o if is!(o, Absolute) => T::abs(a),
        o if is!(o, Square) => T::square(a),
        o if is!(o, Reciprocal) => T::reciprocal(a),
        o if is!(o, Sign) => T::sign(a),
        o if is!(o, Floor) => T::floor(a),
        o if is!(o, Ceil) => T::ceil(a),
        o if is!(o, Trunc) => T::trunc(a),
        o if is!(o, Rint) => T::rint(a),
        o if is!(o, Sqrt) => T::sqrt(a),
        o if is!(o, Exp) => T::exp(a),
        o if is!(o, Invert) => T::invert(a),
        o if is!(o, Deg2Rad) => T::deg2rad(a),
        o if is!(o, Rad2Deg) => T::rad2deg(a),
        o if is!(o, Spacing) => T::spacing(a),
        o if is!(o, ModfFrac) => T::modf_frac(a),
        o if is!(o, ModfInt) => T::modf_int(a),
        o if is!(o, FrexpMant) => T::frexp_mant(a),
        o if is!(o, Exp2) => T::exp2(a),
        o if is!(o, Expm1) => T::expm1(a),
        o if is!(o, Log) => T::log(a),
        o if is!(o, Log2) => T::log2(a),
        o if is!(o, Log10) => T::log10(a),
        o if is!(o, Log1p) => T::log1p(a),
        o if is!(o, Sin) => T::sin(a),
        o if is!(o, Cos) => T::cos(a),
        o if is!(o, Tan) => T::tan(a),
        o if is!(o, Arcsin) => T::arcsin(a),
        o if is!(o, Arccos) => T::arccos(a),
        o if is!(o, Arctan) => T::arctan(a),
        o if is!(o, Sinh) => T::sinh(a),
        o if is!(o, Cosh) => T::cosh(a),
        o if is!(o, Tanh) => T::tanh(a),
        o if is!(o, Arcsinh) => T::arcsinh(a),
        o if is!(o, Arccosh) => T::arccosh(a),
        o if is!(o, Arctanh) => T::arctanh(a),
        o if is!(o, Cbrt) => T::cbrt(a),

        _ => unreachable!("not a unary op"),
    }
}

#[inline(always)]
fn predicate<T: Elem, const OP: u8>(a: T) -> bool {
    match OP {
        o if is!(o, LogicalNot) => !T::truthy(a),
        o if is!(o, IsNan) => T::isnan(a),
        o if is!(o, IsInf) => T::isinf(a),
        o if is!(o, IsFinite) => !T::isnan(a) && !T::isinf(a),
        o if is!(o, Signbit) => T::signbit(a),
        _ => unreachable!("not a predicate"),
    }
}

/// One inner run: pointers and byte strides of the operands (inputs, then
/// the output), and the run's length.
pub type Run = unsafe fn(&[*mut u8], &[isize], usize);

macro_rules! elementwise {
    // Two inputs: also a vectorised loop when one of them is a broadcast
    // scalar (stride 0), as in `x * 2`; raw pointers, since the output may
    // be the other input.
    ($name:ident, [$a:ident: $A:ty, $b:ident: $B:ty] -> $R:ty, $f:expr) => {
        #[inline(always)]
        pub(crate) unsafe fn $name<T: Elem, const OP: u8>(p: &[*mut u8], s: &[isize], n: usize) {
            let _ = std::marker::PhantomData::<T>;
            let f = $f;
            let (a, b, out) = (p[0] as *const $A, p[1] as *const $B, p[2] as *mut $R);
            let (ca, cb) = (s[0] == size_of::<$A>() as isize, s[1] == size_of::<$B>() as isize);
            unsafe {
                if s[2] == size_of::<$R>() as isize {
                    // In place (`x += y`, a fold's accumulator): one pointer
                    // read and written, so the loop needs no overlap check
                    // against it (which exact aliasing would fail).
                    if ca && cb && out as *const u8 == a as *const u8 && size_of::<$A>() == size_of::<$R>() {
                        let o = out as *mut $A;
                        for i in 0..n {
                            *out.add(i) = f(*o.add(i), *b.add(i));
                        }
                        return;
                    }
                    if ca && cb && out as *const u8 == b as *const u8 && size_of::<$B>() == size_of::<$R>() {
                        let o = out as *mut $B;
                        for i in 0..n {
                            *out.add(i) = f(*a.add(i), *o.add(i));
                        }
                        return;
                    }
                    if ca && s[1] == 0 && out as *const u8 == a as *const u8 && size_of::<$A>() == size_of::<$R>() {
                        let (o, bv) = (out as *mut $A, *b);
                        for i in 0..n {
                            *out.add(i) = f(*o.add(i), bv);
                        }
                        return;
                    }
                    if ca && cb {
                        let o = std::slice::from_raw_parts_mut(out, n);
                        let (a, b) = (std::slice::from_raw_parts(a, n), std::slice::from_raw_parts(b, n));
                        for i in 0..n {
                            o[i] = f(a[i], b[i]);
                        }
                        return;
                    }
                    if ca && s[1] == 0 {
                        let bv = *b;
                        for i in 0..n {
                            *out.add(i) = f(*a.add(i), bv);
                        }
                        return;
                    }
                    if s[0] == 0 && cb {
                        let av = *a;
                        for i in 0..n {
                            *out.add(i) = f(av, *b.add(i));
                        }
                        return;
                    }
                }
                for i in 0..n as isize {
                    *(out as *mut u8).offset(i * s[2]).cast::<$R>() =
                        f(*(a as *const u8).offset(i * s[0]).cast::<$A>(), *(b as *const u8).offset(i * s[1]).cast::<$B>());
                }
            }
        }
    };
    // One input: in place (`np.exp(x, out=x)`) gets a loop without the
    // overlap check exact aliasing would fail.
    ($name:ident, [$a:ident: $A:ty] -> $R:ty, $f:expr) => {
        #[inline(always)]
        pub(crate) unsafe fn $name<T: Elem, const OP: u8>(p: &[*mut u8], s: &[isize], n: usize) {
            let _ = std::marker::PhantomData::<T>;
            let f = $f;
            let (a, out) = (p[0] as *const $A, p[1] as *mut $R);
            unsafe {
                if s[0] == size_of::<$A>() as isize && s[1] == size_of::<$R>() as isize {
                    if a as *const u8 == out as *const u8 && size_of::<$A>() == size_of::<$R>() {
                        for i in 0..n {
                            *out.add(i) = f(*(out as *const $A).add(i));
                        }
                    } else {
                        let (o, a) = (std::slice::from_raw_parts_mut(out, n), std::slice::from_raw_parts(a, n));
                        for i in 0..n {
                            o[i] = f(a[i]);
                        }
                    }
                    return;
                }
                for i in 0..n as isize {
                    *(out as *mut u8).offset(i * s[1]).cast::<$R>() = f(*(a as *const u8).offset(i * s[0]).cast::<$A>());
                }
            }
        }
    };
}

elementwise!(run_binary, [a: T, b: T] -> T, binary::<T, OP>);
elementwise!(run_compare, [a: T, b: T] -> bool, compare::<T, OP>);
elementwise!(run_unary, [a: T] -> T, unary::<T, OP>);
elementwise!(run_predicate, [a: T] -> bool, predicate::<T, OP>);
elementwise!(run_count, [a: T] -> u8, |a: T| T::popcount(a));
elementwise!(run_exponent, [a: T] -> i32, |a: T| T::frexp_exp(a));
elementwise!(run_scale_i32, [a: T, b: i32] -> T, |a: T, b: i32| T::ldexp(a, b as i64));
elementwise!(run_scale_i64, [a: T, b: i64] -> T, |a: T, b: i64| T::ldexp(a, b));

/// int64 against uint64 (either order), exactly: both widen to i128.
unsafe fn run_mixed_compare<A: Copy + Into<i128>, B: Copy + Into<i128>, const OP: u8>(p: &[*mut u8], s: &[isize], n: usize) {
    for i in 0..n as isize {
        unsafe {
            let a: i128 = (*p[0].offset(i * s[0]).cast::<A>()).into();
            let b: i128 = (*p[1].offset(i * s[1]).cast::<B>()).into();
            *p[2].offset(i * s[2]).cast::<bool>() = compare::<i128, OP>(a, b);
        }
    }
}

impl Elem for i128 {
    fn eq(a: Self, b: Self) -> bool { a == b }
    fn lt(a: Self, b: Self) -> bool { a < b }
    fn le(a: Self, b: Self) -> bool { a <= b }
    fn truthy(a: Self) -> bool { a != 0 }
}

macro_rules! with_elem {
    ($d:expr, $T:ident => $body:expr) => {
        match $d {
            DType::Bool => { type $T = Bool; $body }
            DType::Int8 => { type $T = i8; $body }
            DType::Int16 => { type $T = i16; $body }
            DType::Int32 => { type $T = i32; $body }
            DType::Int64 => { type $T = i64; $body }
            DType::UInt8 => { type $T = u8; $body }
            DType::UInt16 => { type $T = u16; $body }
            DType::UInt32 => { type $T = u32; $body }
            DType::UInt64 => { type $T = u64; $body }
            DType::Float16 => { type $T = f16; $body }
            DType::Float32 => { type $T = f32; $body }
            DType::Float64 => { type $T = f64; $body }
        }
    };
}

macro_rules! pick {
    ($runner:ident, $A:ty, $B:ty, $op:expr, [$($s:ident),+]) => {
        match $op {
            $($s => $runner::<$A, $B, { id($s) }> as Run,)+
            _ => unreachable!("scalar and runner disagree"),
        }
    };
    ($runner:ident, $T:ty, $op:expr, [$($s:ident),+]) => {
        match $op {
            $($s => $runner::<$T, { id($s) }> as Run,)+
            _ => unreachable!("scalar and runner disagree"),
        }
    };
}

/// The inner-loop function computing `op` for the loop `lp` (inputs of
/// `lp.inputs`, output of the dtype `op` produces).
pub fn kernel(op: Scalar, lp: &Loop) -> Run {
    use crate::ops::scalar::Shape;
    let d = lp.inputs[0];
    match (lp.inputs.as_slice(), op.shape()) {
        ([DType::Int64, DType::UInt64], Shape::Compare) => {
            return pick!(run_mixed_compare, i64, u64, op, [Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual]);
        }
        ([DType::UInt64, DType::Int64], Shape::Compare) => {
            return pick!(run_mixed_compare, u64, i64, op, [Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual]);
        }
        _ => {}
    }
    if op == Exp && d == DType::Float32 {
        return super::exp::run_exp_f32; // vectorised, with AVX2/AVX-512 variants
    }
    if let Some(f) = super::simd::kernel(op, lp) {
        return f;
    }
    with_elem!(d, T => match op.shape() {
        Shape::Binary => pick!(run_binary, T, op, [Add, Subtract, Multiply, Divide, FloorDivide, Remainder, Fmod, Power,
            Maximum, Minimum, Fmax, Fmin, BitAnd, BitOr, BitXor, LeftShift, RightShift, Gcd, Lcm, Copysign, Nextafter, Heaviside,
            Arctan2, Hypot, Logaddexp, Logaddexp2]),
        Shape::Compare => pick!(run_compare, T, op, [Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, LogicalAnd, LogicalOr, LogicalXor]),
        Shape::Unary => pick!(run_unary, T, op, [Negative, Positive, Absolute, Square, Reciprocal, Sign, Floor, Ceil, Trunc,
            Rint, Sqrt, Exp, Invert, Deg2Rad, Rad2Deg, Spacing, ModfFrac, ModfInt, FrexpMant,
            Exp2, Expm1, Log, Log2, Log10, Log1p, Sin, Cos, Tan, Arcsin, Arccos, Arctan, Sinh, Cosh, Tanh, Arcsinh, Arccosh, Arctanh, Cbrt]),
        Shape::Predicate => pick!(run_predicate, T, op, [LogicalNot, IsNan, IsInf, IsFinite, Signbit]),
        Shape::Count => run_count::<T, 0> as Run,
        Shape::Exponent => run_exponent::<T, 0> as Run,
        Shape::Scale => if lp.inputs[1] == DType::Int64 { run_scale_i64::<T, 0> as Run } else { run_scale_i32::<T, 0> as Run },
    })
}

/// Rough time per element of `op`'s loop, in adds (for splitting work
/// across threads, `strided::PARALLEL_WORK`): the loops that run a
/// function per element (transcendentals, powers, integer division) cost
/// far more than a vectorised add.
pub fn cost(op: Scalar) -> usize {
    match op {
        Add | Subtract | Multiply | Maximum | Minimum | Fmax | Fmin | Negative | Positive | Absolute | Square | BitAnd | BitOr
        | BitXor | Invert | Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual | LogicalAnd | LogicalOr
        | LogicalXor | LogicalNot => 1,
        Divide | Sqrt | Reciprocal | Floor | Ceil | Trunc | Rint | Sign | Copysign | IsNan | IsInf | IsFinite | Signbit => 2,
        Exp => 4,
        _ => 16,
    }
}

/// Runs `op` over `shape`: `ptrs`/`strides` (elements) for the inputs then the
/// output; `sizes` their itemsizes.
///
/// # Safety
/// Every layout must lie inside a live buffer of its dtype.
pub unsafe fn run(op: Scalar, lp: &Loop, shape: &[usize], ptrs: &[*mut u8], strides: &[&[isize]], sizes: &[usize]) {
    let f = kernel(op, lp);
    let c = cost(op);
    match ptrs.len() {
        2 => {
            let w = Strided::new(shape, [strides[0], strides[1]], [ptrs[0], ptrs[1]], [sizes[0], sizes[1]]);
            unsafe { w.for_each_run_par(c, |p, n, s| f(&p, &s, n)) }
        }
        3 => {
            let w = Strided::new(shape, [strides[0], strides[1], strides[2]], [ptrs[0], ptrs[1], ptrs[2]], [sizes[0], sizes[1], sizes[2]]);
            unsafe { w.for_each_run_par(c, |p, n, s| f(&p, &s, n)) }
        }
        _ => unreachable!("ufuncs have one or two inputs"),
    }
}
