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
