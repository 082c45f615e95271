//! Contiguous folds of a run into one value for tree reductions: pairwise
//! as NumPy's sum is — eight independent lanes over runs of at most 128
//! elements, halves above — so a float sum's rounding error grows like
//! log n, and the lanes vectorise. Each step is the ufunc's own scalar
//! operation (`run::binary`).

use wgarray_core::DType;

use super::run::{binary, id};
use super::scalar::Elem;
use crate::ops::Scalar;

/// Folds `n` (at least 1) contiguous accumulator elements at the first
/// pointer into one, written at the second.
pub type RunFold = unsafe fn(*const u8, usize, *mut u8);

/// `$m!(Op)` for the operations the run folds and scans serve (bitwise ones
/// on integers only); `return None` for the rest.
macro_rules! with_op {
    ($op:expr, $acc:expr, $m:ident) => {{
        use Scalar::*;
        match $op {
            Add => $m!(Add),
            Multiply => $m!(Multiply),
            Maximum => $m!(Maximum),
            Minimum => $m!(Minimum),
            Fmax => $m!(Fmax),
            Fmin => $m!(Fmin),
            BitAnd if $acc.is_integer() => $m!(BitAnd),
            BitOr if $acc.is_integer() => $m!(BitOr),
            BitXor if $acc.is_integer() => $m!(BitXor),
            _ => return None,
        }
    }};
}

/// The run fold for `op` in `acc`, where there is a fast one: the
/// reorderable binary ufuncs over the non-bool dtypes (float16
/// accumulates in float32).
pub fn run_fold(op: Scalar, acc: DType) -> Option<RunFold> {
    // Float sums and products take NumPy's eight lanes (its rounding);
    // exact operations take 32: shorter dependency chains, same result.
    let float_lanes = if matches!(op, Scalar::Add | Scalar::Multiply) { LANES } else { WIDE };
    macro_rules! for_dtype {
        ($O:expr) => {{
            const O: u8 = id($O);
            match (acc, float_lanes) {
                (DType::Float32, LANES) => fold::<f32, O, LANES> as RunFold,
                (DType::Float32, _) => fold::<f32, O, WIDE>,
                (DType::Float64, LANES) => fold::<f64, O, LANES>,
                (DType::Float64, _) => fold::<f64, O, WIDE>,
                (DType::Int8, _) => fold::<i8, O, WIDE>,
                (DType::Int16, _) => fold::<i16, O, WIDE>,
                (DType::Int32, _) => fold::<i32, O, WIDE>,
                (DType::Int64, _) => fold::<i64, O, WIDE>,
                (DType::UInt8, _) => fold::<u8, O, WIDE>,
                (DType::UInt16, _) => fold::<u16, O, WIDE>,
                (DType::UInt32, _) => fold::<u32, O, WIDE>,
                (DType::UInt64, _) => fold::<u64, O, WIDE>,
                (DType::Bool | DType::Float16, _) => return None,
            }
        }};
    }
    Some(with_op!(op, acc, for_dtype))
}

/// A running fold of `n` (at least 1) elements of the accumulator dtype
/// read `stride` bytes apart, written contiguously: NumPy's order exactly.
pub type RunScan = unsafe fn(*const u8, isize, *mut u8, usize);

/// The running fold for `op` in `acc`, where `run_fold` has a fold (the same
/// operations and dtypes).
pub fn run_scan(op: Scalar, acc: DType) -> Option<RunScan> {
    macro_rules! for_dtype {
        ($O:expr) => {{
            const O: u8 = id($O);
            match acc {
                DType::Float32 => scan::<f32, O> as RunScan,
                DType::Float64 => scan::<f64, O>,
                DType::Int8 => scan::<i8, O>,
                DType::Int16 => scan::<i16, O>,
                DType::Int32 => scan::<i32, O>,
                DType::Int64 => scan::<i64, O>,
                DType::UInt8 => scan::<u8, O>,
                DType::UInt16 => scan::<u16, O>,
                DType::UInt32 => scan::<u32, O>,
                DType::UInt64 => scan::<u64, O>,
                DType::Bool | DType::Float16 => return None,
            }
        }};
    }
    Some(with_op!(op, acc, for_dtype))
}

unsafe fn scan<T: Elem, const O: u8>(src: *const u8, stride: isize, dst: *mut u8, n: usize) {
    let f = binary::<T, O>;
    let (src, dst) = (src as *const T, dst as *mut T);
    // SAFETY: the caller passes `n` elements at `stride` and room for `n`.
    unsafe {
        let mut acc = src.read_unaligned();
        dst.write_unaligned(acc);
        for k in 1..n {
            acc = f(acc, src.byte_offset(k as isize * stride).read_unaligned());
            dst.add(k).write_unaligned(acc);
        }
    }
}

/// Lanes of a float sum's or product's inner loop (runs of at most 16 times
/// as many elements are folded by the lanes, longer ones halved first).
const LANES: usize = 8;
/// Lanes of the exact folds.
const WIDE: usize = 32;

unsafe fn fold<T: Elem, const O: u8, const L: usize>(src: *const u8, n: usize, dst: *mut u8) {
    // SAFETY: the caller passes `n` live elements of `T`.
    let x = unsafe { std::slice::from_raw_parts(src as *const T, n) };
    let r = lanes::<T, O, L>(x);
    unsafe { (dst as *mut T).write_unaligned(r) };
}

/// Pairwise with `L` lanes over runs of at most `16 * L` elements.
fn lanes<T: Elem, const O: u8, const L: usize>(x: &[T]) -> T {
    let f = binary::<T, O>;
    let n = x.len();
    if n < L {
        let mut r = x[0];
        for &v in &x[1..] {
            r = f(r, v);
        }
        return r;
    }
    if n <= 16 * L {
        let mut r: [T; L] = std::array::from_fn(|j| x[j]);
        let mut chunks = x[L..].chunks_exact(L);
        for c in &mut chunks {
            for j in 0..L {
                r[j] = f(r[j], c[j]);
            }
        }
        // The lanes pairwise: 0+1, 2+3, …, then those pairs, ….
        let mut w = L;
        while w > 1 {
            for j in 0..w / 2 {
                r[j] = f(r[2 * j], r[2 * j + 1]);
            }
            w /= 2;
        }
        let mut s = r[0];
        for &v in chunks.remainder() {
            s = f(s, v);
        }
        return s;
    }
    let mut h = n / 2;
    h -= h % L;
    f(lanes::<T, O, L>(&x[..h]), lanes::<T, O, L>(&x[h..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NumPy's pairwise sum, written out plainly.
    fn reference(x: &[f32]) -> f32 {
        let n = x.len();
        if n < 8 {
            return x[1..].iter().fold(x[0], |a, &b| a + b);
        }
        if n <= 128 {
            let mut r: [f32; 8] = std::array::from_fn(|j| x[j]);
            let mut i = 8;
            while i + 8 <= n {
                for j in 0..8 {
                    r[j] += x[i + j];
                }
                i += 8;
            }
            let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for &v in &x[i..] {
                s += v;
            }
            return s;
        }
        let h = n / 2 - (n / 2) % 8;
        reference(&x[..h]) + reference(&x[h..])
    }

    #[test]
    fn float_sums_round_as_numpys_pairwise_sum() {
        let mut v = 1u32;
        let x: Vec<f32> = (0..5000)
            .map(|_| {
                v = v.wrapping_mul(1664525).wrapping_add(1013904223);
                (v >> 8) as f32 / 65536.0 - 100.0
            })
            .collect();
        for n in [1usize, 7, 8, 100, 128, 129, 200, 255, 256, 257, 300, 1000, 2049, 5000] {
            let mut out = 0f32;
            unsafe { run_fold(Scalar::Add, DType::Float32).unwrap()(x.as_ptr() as *const u8, n, &mut out as *mut f32 as *mut u8) };
            assert_eq!(out.to_bits(), reference(&x[..n]).to_bits(), "{n}");
        }
    }

    #[test]
    fn sums_and_products_match_a_plain_fold_where_exact() {
        for n in [1usize, 2, 7, 8, 9, 127, 128, 129, 1000, 1024, 4099] {
            let x: Vec<f64> = (0..n).map(|i| (i % 17) as f64 - 8.0).collect();
            let mut out = 0f64;
            unsafe { run_fold(Scalar::Add, DType::Float64).unwrap()(x.as_ptr() as *const u8, n, &mut out as *mut f64 as *mut u8) };
            assert_eq!(out, x.iter().sum::<f64>(), "{n}");
            let y: Vec<i32> = (0..n).map(|i| i as i32 * 7919 - 5).collect();
            let mut p = 0i32;
            unsafe { run_fold(Scalar::Multiply, DType::Int32).unwrap()(y.as_ptr() as *const u8, n, &mut p as *mut i32 as *mut u8) };
            assert_eq!(p, y.iter().fold(1i32, |a, &b| a.wrapping_mul(b)), "{n}");
        }
    }

    #[test]
    fn float_sums_keep_pairwise_accuracy() {
        // 1e6 copies of 0.1f32: a serial sum drifts by ~1%, pairwise stays close.
        let x = vec![0.1f32; 1_000_000];
        let mut out = 0f32;
        unsafe { run_fold(Scalar::Add, DType::Float32).unwrap()(x.as_ptr() as *const u8, x.len(), &mut out as *mut f32 as *mut u8) };
        assert!((out as f64 - 100_000.0).abs() < 1.0, "{out}");
    }
}
