//! AVX2 builds of the float loops whose arithmetic, not memory, sets their
//! speed — division and square root — picked at run time on x86-64 (the
//! plain build targets SSE2: four float32 lanes). It is the same Rust code
//! compiled for wider vectors: Rust never contracts `a * b + c` and these
//! loops call nothing else, so every build gives the same bits. Only those:
//! on a Zen 4 host, AVX2 builds of add and multiply ran a fused `a*b+c`
//! over 10M float32 (memory-bound) about 20% slower than SSE2, and AVX-512
//! builds 1.5× slower, while `sqrt(c)/d+c` over 200K float32 ran 1.8×
//! faster with AVX2.

use wgarray_core::DType;

use super::run::Run;
use crate::ops::{Loop, Scalar};

/// `$avx2`: `$base::<T, OP>` compiled for AVX2.
#[cfg(target_arch = "x86_64")]
macro_rules! avx2_build {
    ($base:ident, $avx2:ident) => {
        #[target_feature(enable = "avx2")]
        unsafe fn $avx2<T: super::scalar::Elem, const OP: u8>(p: &[*mut u8], s: &[isize], n: usize) {
            unsafe { super::run::$base::<T, OP>(p, s, n) }
        }
    };
}
#[cfg(target_arch = "x86_64")]
avx2_build!(run_binary, binary_avx2);
#[cfg(target_arch = "x86_64")]
avx2_build!(run_unary, unary_avx2);

/// The AVX2 build of `op`'s loop over `lp`, for the float32/float64
/// division and square root; `None` otherwise (or on other processors).
pub fn kernel(op: Scalar, lp: &Loop) -> Option<Run> {
    #[cfg(target_arch = "x86_64")]
    {
        use Scalar::*;
        let d = lp.inputs[0];
        if !matches!(d, DType::Float32 | DType::Float64) || lp.inputs.iter().chain(&lp.outputs).any(|&x| x != d) {
            return None;
        }
        if !std::arch::is_x86_feature_detected!("avx2") {
            return None;
        }
        macro_rules! pick {
            ($build:ident, $O:ident) => {{
                const O: u8 = super::run::id($O);
                Some(if d == DType::Float32 { $build::<f32, O> as Run } else { $build::<f64, O> })
            }};
        }
        match op {
            Divide => pick!(binary_avx2, Divide),
            Sqrt => pick!(unary_avx2, Sqrt),
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

    /// The AVX2 build gives the plain build's bits, specials included,
    /// contiguous and with a broadcast operand.
    #[test]
    fn the_avx2_build_gives_the_plain_builds_bits() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return; // nothing to compare: the plain build is the only one
        }
        let specials = [0.0, -0.0, 1.0, -1.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-310, 3.0e38, 7.25];
        let a: Vec<f64> = (0..1000).map(|i| specials[i % 10] * (1.0 + i as f64 / 7.0)).collect();
        let b: Vec<f64> = (0..1000).map(|i| specials[(i * 3 + 1) % 10] - i as f64).collect();
        macro_rules! check {
            ($T:ty, $O:ident, $base:ident, $build:ident, $args:expr) => {{
                const O: u8 = super::super::run::id($O);
                let x: Vec<$T> = a.iter().map(|&v| v as $T).collect();
                let y: Vec<$T> = b.iter().map(|&v| v as $T).collect();
                let sz = size_of::<$T>() as isize;
                for st in [[sz, sz, sz], [sz, 0, sz]] {
                    let (mut want, mut got) = (vec![0 as $T; x.len()], vec![0 as $T; x.len()]);
                    let s: &[isize] = if $args == 2 { &st } else { &[st[0], st[2]] };
                    let ptrs = |o: &mut Vec<$T>| -> Vec<*mut u8> {
                        let o = o.as_mut_ptr() as *mut u8;
                        if $args == 2 { vec![x.as_ptr() as *mut u8, y.as_ptr() as *mut u8, o] } else { vec![x.as_ptr() as *mut u8, o] }
                    };
                    unsafe { super::super::run::$base::<$T, O>(&ptrs(&mut want), s, x.len()) };
                    unsafe { $build::<$T, O>(&ptrs(&mut got), s, x.len()) };
                    assert!(want.iter().zip(&got).all(|(w, g)| w.to_bits() == g.to_bits()), "{:?} {}", $O, stringify!($T));
                }
            }};
        }
        macro_rules! both {
            ($($O:ident: $base:ident, $build:ident, $args:expr);*) => {$(
                check!(f32, $O, $base, $build, $args);
                check!(f64, $O, $base, $build, $args);
            )*};
        }
        both!(
            Divide: run_binary, binary_avx2, 2;
            Sqrt: run_unary, unary_avx2, 1
        );
    }
}
