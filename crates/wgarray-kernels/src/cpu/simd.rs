//! AVX2 and AVX-512 builds of the float loops that run in cache — fused
//! blocks, reduction folds and merges, arithmetic on arrays that fit in
//! cache — picked at run time on x86-64 (the plain build targets SSE2,
//! four float32 lanes). It is the same Rust code compiled for wider
//! vectors: Rust never contracts `a * b + c` and these loops call nothing
//! else, so every build gives the same bits.

use wgarray_core::DType;

use super::run::Run;
use crate::ops::{Loop, Scalar};

/// The widest vector build this processor runs, if any beyond the plain one.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy, PartialEq)]
enum Level {
    Avx2,
    Avx512,
}

#[cfg(target_arch = "x86_64")]
fn level() -> Option<Level> {
    if std::arch::is_x86_feature_detected!("avx512f") {
        Some(Level::Avx512)
    } else if std::arch::is_x86_feature_detected!("avx2") {
        Some(Level::Avx2)
    } else {
        None
    }
}

/// `$avx2` and `$avx512`: `$base::<T, OP>` compiled for those vectors.
#[cfg(target_arch = "x86_64")]
macro_rules! builds {
    ($base:ident, $avx2:ident, $avx512:ident) => {
        #[target_feature(enable = "avx2")]
        unsafe fn $avx2<T: super::scalar::Elem, const OP: u8>(p: &[*mut u8], s: &[isize], n: usize) {
            unsafe { super::run::$base::<T, OP>(p, s, n) }
        }
        #[target_feature(enable = "avx512f")]
        unsafe fn $avx512<T: super::scalar::Elem, const OP: u8>(p: &[*mut u8], s: &[isize], n: usize) {
            unsafe { super::run::$base::<T, OP>(p, s, n) }
        }
    };
}
#[cfg(target_arch = "x86_64")]
builds!(run_binary, binary_avx2, binary_avx512);
#[cfg(target_arch = "x86_64")]
builds!(run_unary, unary_avx2, unary_avx512);

/// The vector build of `op`'s loop over `lp`, for the float32/float64
/// arithmetic that has one; `None` otherwise (or on other processors).
pub fn kernel(op: Scalar, lp: &Loop) -> Option<Run> {
    #[cfg(target_arch = "x86_64")]
    {
        use Scalar::*;
        let d = lp.inputs[0];
        if !matches!(d, DType::Float32 | DType::Float64) || lp.inputs.iter().chain(&lp.outputs).any(|&x| x != d) {
            return None;
        }
        let lv = level()?;
        macro_rules! pick {
            ($b2:ident, $b512:ident, $O:ident) => {{
                const O: u8 = super::run::id($O);
                Some(match (d, lv) {
                    (DType::Float32, Level::Avx2) => $b2::<f32, O> as Run,
                    (DType::Float32, Level::Avx512) => $b512::<f32, O>,
                    (_, Level::Avx2) => $b2::<f64, O>,
                    (_, Level::Avx512) => $b512::<f64, O>,
                })
            }};
        }
        match op {
            Add => pick!(binary_avx2, binary_avx512, Add),
            Subtract => pick!(binary_avx2, binary_avx512, Subtract),
            Multiply => pick!(binary_avx2, binary_avx512, Multiply),
            Divide => pick!(binary_avx2, binary_avx512, Divide),
            Maximum => pick!(binary_avx2, binary_avx512, Maximum),
            Minimum => pick!(binary_avx2, binary_avx512, Minimum),
            Negative => pick!(unary_avx2, unary_avx512, Negative),
            Absolute => pick!(unary_avx2, unary_avx512, Absolute),
            Square => pick!(unary_avx2, unary_avx512, Square),
            Sqrt => pick!(unary_avx2, unary_avx512, Sqrt),
            _ => None,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (op, lp);
        None
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::ops::Scalar::*;

    /// Every vector build this processor runs gives the plain build's bits,
    /// specials included, contiguous, in place and with a broadcast operand.
    #[test]
    fn vector_builds_give_the_plain_builds_bits() {
        let specials = [0.0, -0.0, 1.0, -1.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-310, 3.0e38, 7.25];
        let a: Vec<f64> = (0..1000).map(|i| specials[i % 10] * (1.0 + i as f64 / 7.0)).collect();
        let b: Vec<f64> = (0..1000).map(|i| specials[(i * 3 + 1) % 10] - i as f64).collect();
        let levels: Vec<Level> = [Level::Avx2, Level::Avx512]
            .into_iter()
            .filter(|l| match l {
                Level::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
                Level::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            })
            .collect();
        macro_rules! check {
            ($T:ty, $O:ident, $base:ident, $b2:ident, $b512:ident, $args:expr) => {{
                const O: u8 = super::super::run::id($O);
                let x: Vec<$T> = a.iter().map(|&v| v as $T).collect();
                let y: Vec<$T> = b.iter().map(|&v| v as $T).collect();
                let sz = size_of::<$T>() as isize;
                let cases: [[isize; 3]; 2] = [[sz, sz, sz], [sz, 0, sz]];
                for st in cases {
                    let mut want = vec![0 as $T; x.len()];
                    let mut got = want.clone();
                    let p = |o: &mut Vec<$T>| [x.as_ptr() as *mut u8, y.as_ptr() as *mut u8, o.as_mut_ptr() as *mut u8];
                    let s: &[isize] = if $args == 2 { &st } else { &[st[0], st[2]] };
                    let ptrs = p(&mut want);
                    let ptrs: Vec<*mut u8> = if $args == 2 { ptrs.to_vec() } else { vec![ptrs[0], ptrs[2]] };
                    unsafe { super::super::run::$base::<$T, O>(&ptrs, s, x.len()) };
                    for lv in &levels {
                        let ptrs = p(&mut got);
                        let ptrs: Vec<*mut u8> = if $args == 2 { ptrs.to_vec() } else { vec![ptrs[0], ptrs[2]] };
                        unsafe {
                            match lv {
                                Level::Avx2 => $b2::<$T, O>(&ptrs, s, x.len()),
                                Level::Avx512 => $b512::<$T, O>(&ptrs, s, x.len()),
                            }
                        }
                        assert!(want.iter().zip(&got).all(|(w, g)| w.to_bits() == g.to_bits()), "{:?} {}", $O, stringify!($T));
                    }
                }
            }};
        }
        macro_rules! both {
            ($($O:ident: $base:ident, $b2:ident, $b512:ident, $args:expr);*) => {$(
                check!(f32, $O, $base, $b2, $b512, $args);
                check!(f64, $O, $base, $b2, $b512, $args);
            )*};
        }
        both!(
            Add: run_binary, binary_avx2, binary_avx512, 2;
            Subtract: run_binary, binary_avx2, binary_avx512, 2;
            Multiply: run_binary, binary_avx2, binary_avx512, 2;
            Divide: run_binary, binary_avx2, binary_avx512, 2;
            Maximum: run_binary, binary_avx2, binary_avx512, 2;
            Minimum: run_binary, binary_avx2, binary_avx512, 2;
            Negative: run_unary, unary_avx2, unary_avx512, 1;
            Absolute: run_unary, unary_avx2, unary_avx512, 1;
            Square: run_unary, unary_avx2, unary_avx512, 1;
            Sqrt: run_unary, unary_avx2, unary_avx512, 1
        );
    }
}
