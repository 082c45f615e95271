//! The op table's CPU loops, all operands of the loop's dtype.

use half::f16;
use wgarray_core::DType;

use super::strided::Strided;
use crate::ops::CpuOp;

/// Arithmetic as NumPy defines it per dtype.
pub trait Arith: Copy + 'static {
    /// `a + b`.
    fn add(self, b: Self) -> Self;
    /// `a * b`.
    fn mul(self, b: Self) -> Self;
    /// `exp(a)`, floats only (never called on integers: the loop table has none).
    fn exp(self) -> Self;
}

macro_rules! int_arith {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            #[inline] fn add(self, b: Self) -> Self { self.wrapping_add(b) }
            #[inline] fn mul(self, b: Self) -> Self { self.wrapping_mul(b) }
            fn exp(self) -> Self { unreachable!("exp has no integer loop") }
        }
    )*};
}
int_arith!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float_arith {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            #[inline] fn add(self, b: Self) -> Self { self + b }
            #[inline] fn mul(self, b: Self) -> Self { self * b }
            #[inline] fn exp(self) -> Self { <$t>::exp(self) }
        }
    )*};
}
float_arith!(f32, f64);

impl Arith for f16 {
    // NumPy computes float16 in float32 and rounds once.
    fn add(self, b: Self) -> Self {
        f16::from_f32(self.to_f32() + b.to_f32())
    }
    fn mul(self, b: Self) -> Self {
        f16::from_f32(self.to_f32() * b.to_f32())
    }
    fn exp(self) -> Self {
        f16::from_f32(self.to_f32().exp())
    }
}

/// Bool stored as u8 0/1: add is `or`, multiply is `and`.
#[derive(Clone, Copy)]
struct B(u8);
impl Arith for B {
    fn add(self, b: Self) -> Self {
        B(((self.0 != 0) | (b.0 != 0)) as u8)
    }
    fn mul(self, b: Self) -> Self {
        B(((self.0 != 0) & (b.0 != 0)) as u8)
    }
    fn exp(self) -> Self {
        unreachable!("exp has no bool loop")
    }
}

unsafe fn binary<T: Arith>(f: fn(T, T) -> T, p: [*mut u8; 3], n: usize, s: [isize; 3]) {
    let sz = size_of::<T>() as isize;
    if s == [sz; 3] {
        let (a, b, o) = unsafe {
            (
                std::slice::from_raw_parts(p[0] as *const T, n),
                std::slice::from_raw_parts(p[1] as *const T, n),
                std::slice::from_raw_parts_mut(p[2] as *mut T, n),
            )
        };
        for i in 0..n {
            o[i] = f(a[i], b[i]);
        }
    } else {
        for i in 0..n as isize {
            unsafe {
                let a = *(p[0].offset(i * s[0]) as *const T);
                let b = *(p[1].offset(i * s[1]) as *const T);
                *(p[2].offset(i * s[2]) as *mut T) = f(a, b);
            }
        }
    }
}

unsafe fn unary<T: Arith>(f: fn(T) -> T, p: [*mut u8; 2], n: usize, s: [isize; 2]) {
    for i in 0..n as isize {
        unsafe { *(p[1].offset(i * s[1]) as *mut T) = f(*(p[0].offset(i * s[0]) as *const T)) };
    }
}

macro_rules! with_arith_type {
    ($d:expr, $T:ident => $body:expr) => {
        match $d {
            DType::Bool => { type $T = B; $body }
            other => $crate::with_rust_type!(other, $T => $body),
        }
    };
}

/// Runs `op` over `shape`; every operand has the loop dtype `d`. `ins` are
/// (pointer, element strides) pairs; `out` likewise.
///
/// # Safety
/// All layouts must lie inside live buffers of dtype `d`.
pub unsafe fn run(op: CpuOp, d: DType, shape: &[usize], ins: &[(*const u8, &[isize])], out: (*mut u8, &[isize])) {
    let isz = d.itemsize();
    match op {
        CpuOp::Add | CpuOp::Multiply => {
            let w = Strided::new(shape, [ins[0].1, ins[1].1, out.1], [ins[0].0 as _, ins[1].0 as _, out.0], [isz; 3]);
            with_arith_type!(d, T => {
                let f: fn(T, T) -> T = if op == CpuOp::Add { T::add } else { T::mul };
                unsafe { w.for_each_run(|p, n, s| binary::<T>(f, p, n, s)) }
            })
        }
        CpuOp::Exp => {
            let w = Strided::new(shape, [ins[0].1, out.1], [ins[0].0 as _, out.0], [isz; 2]);
            with_arith_type!(d, T => unsafe { w.for_each_run(|p, n, s| unary::<T>(T::exp, p, n, s)) })
        }
    }
}
