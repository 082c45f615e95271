//! Sums of products over an inner axis (matmul and friends) on the CPU, as
//! NumPy's non-BLAS loops compute them: integers wrap, float16 accumulates in
//! float32, bool is an OR of ANDs.

use half::f16;
use wgarray_core::DType;

use super::scalar::Bool;
use super::strided::Strided;

/// One element type's accumulation.
trait Dot: Copy {
    type Acc: Copy;
    fn zero() -> Self::Acc;
    fn step(acc: Self::Acc, a: Self, b: Self) -> Self::Acc;
    fn finish(acc: Self::Acc) -> Self;
}

macro_rules! int_dot {
    ($($t:ty),*) => {$(
        impl Dot for $t {
            type Acc = $t;
            fn zero() -> $t { 0 }
            fn step(acc: $t, a: $t, b: $t) -> $t { acc.wrapping_add(a.wrapping_mul(b)) }
            fn finish(acc: $t) -> $t { acc }
        }
    )*};
}
int_dot!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float_dot {
    ($($t:ty),*) => {$(
        impl Dot for $t {
            type Acc = $t;
            fn zero() -> $t { 0.0 }
            fn step(acc: $t, a: $t, b: $t) -> $t { acc + a * b }
            fn finish(acc: $t) -> $t { acc }
        }
    )*};
}
float_dot!(f32, f64);

impl Dot for f16 {
    type Acc = f32;
    fn zero() -> f32 {
        0.0
    }
    fn step(acc: f32, a: f16, b: f16) -> f32 {
        acc + a.to_f32() * b.to_f32()
    }
    fn finish(acc: f32) -> f16 {
        f16::from_f32(acc)
    }
}

impl Dot for Bool {
    type Acc = bool;
    fn zero() -> bool {
        false
    }
    fn step(acc: bool, a: Bool, b: Bool) -> bool {
        acc | (a.0 != 0 && b.0 != 0)
    }
    fn finish(acc: bool) -> Bool {
        Bool(acc as u8)
    }
}

unsafe fn run<T: Dot>(shape: &[usize], a: (*mut u8, &[isize]), b: (*mut u8, &[isize]), out: (*mut u8, &[isize]), k: (usize, isize, isize)) {
    let sz = size_of::<T>();
    let w = Strided::new(shape, [a.1, b.1, out.1], [a.0, b.0, out.0], [sz; 3]);
    let (len, ka, kb) = (k.0, k.1 * sz as isize, k.2 * sz as isize);
    unsafe {
        w.for_each_run(|p, n, s| {
            for i in 0..n as isize {
                let (pa, pb) = (p[0].offset(i * s[0]), p[1].offset(i * s[1]));
                let mut acc = T::zero();
                for j in 0..len as isize {
                    acc = T::step(acc, *pa.offset(j * ka).cast::<T>(), *pb.offset(j * kb).cast::<T>());
                }
                *p[2].offset(i * s[2]).cast::<T>() = T::finish(acc);
            }
        })
    };
}

/// See `api::dot`. All three operands have dtype `d`; strides in elements.
///
/// # Safety
/// Every layout, extended along the inner axis, must lie inside a live buffer.
pub unsafe fn dot(
    d: DType,
    shape: &[usize],
    a: (*mut u8, &[isize]),
    b: (*mut u8, &[isize]),
    out: (*mut u8, &[isize]),
    k: (usize, isize, isize),
) {
    if let Some(()) = unsafe { tiled(d, shape, a, b, out, k) } {
        return;
    }
    unsafe {
        match d {
            DType::Bool => run::<Bool>(shape, a, b, out, k),
            DType::Int8 => run::<i8>(shape, a, b, out, k),
            DType::Int16 => run::<i16>(shape, a, b, out, k),
            DType::Int32 => run::<i32>(shape, a, b, out, k),
            DType::Int64 => run::<i64>(shape, a, b, out, k),
            DType::UInt8 => run::<u8>(shape, a, b, out, k),
            DType::UInt16 => run::<u16>(shape, a, b, out, k),
            DType::UInt32 => run::<u32>(shape, a, b, out, k),
            DType::UInt64 => run::<u64>(shape, a, b, out, k),
            DType::Float16 => run::<f16>(shape, a, b, out, k),
            DType::Float32 => run::<f32>(shape, a, b, out, k),
            DType::Float64 => run::<f64>(shape, a, b, out, k),
        }
    }
}

/// float32/float64 products whose last two axes are a plain matrix product
/// (`a` constant along the columns, `b` along the rows, `b` and `out`
/// contiguous along the columns) run in register tiles (`gemm.rs`, the same
/// sums), matrix by matrix over the leading axes; `None` otherwise.
unsafe fn tiled(d: DType, shape: &[usize], a: (*mut u8, &[isize]), b: (*mut u8, &[isize]), out: (*mut u8, &[isize]), k: (usize, isize, isize)) -> Option<()> {
    let nd = shape.len();
    if nd < 2 || !matches!(d, DType::Float32 | DType::Float64) {
        return None;
    }
    let (i, j) = (nd - 2, nd - 1);
    if a.1[j] != 0 || b.1[i] != 0 || b.1[j] != 1 || out.1[j] != 1 || shape[i] * shape[j] * k.0 < 1 << 15 {
        return None;
    }
    let lead = &shape[..i];
    let count: usize = lead.iter().product();
    let sz = d.itemsize() as isize;
    let mut idx = vec![0usize; lead.len()];
    for _ in 0..count {
        let off = |st: &[isize]| idx.iter().zip(st).map(|(&x, &s)| x as isize * s).sum::<isize>() * sz;
        let (pa, pb, po) = (a.0.wrapping_offset(off(a.1)), b.0.wrapping_offset(off(b.1)), out.0.wrapping_offset(off(out.1)));
        macro_rules! go {
            ($t:ty) => {{
                let g = super::gemm::Gemm::<$t> {
                    m: shape[i],
                    n: shape[j],
                    k: k.0,
                    a: pa as *const $t,
                    a_strides: (a.1[i], k.1),
                    b: pb as *const $t,
                    b_stride: k.2,
                    out: po as *mut $t,
                    out_stride: out.1[i],
                };
                // SAFETY: the caller's layouts cover every element the strides reach.
                unsafe { super::gemm::run(&g) }
            }};
        }
        if d == DType::Float32 { go!(f32) } else { go!(f64) }
        for ax in (0..lead.len()).rev() {
            idx[ax] += 1;
            if idx[ax] < lead[ax] {
                break;
            }
            idx[ax] = 0;
        }
    }
    Some(())
}
