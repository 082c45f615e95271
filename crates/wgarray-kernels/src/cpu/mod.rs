//! CPU kernels: a strided walker over any number of operands, NumPy's casts
//! between every pair of dtypes, and the op table's elementwise loops, with
//! contiguous fast paths the compiler vectorises.

pub mod cast;
pub mod exp;
pub mod fused;
pub mod gemm;
pub mod pairwise;
pub mod radix;
pub mod reduce;
pub mod scan;
pub mod dot;
pub mod run;
pub mod scalar;
pub mod select;
pub mod simd;
pub mod sort;
pub mod strided;
pub mod trig;

/// Runs `$body` with `$T` bound to the Rust type that stores `$d` (bool as u8).
#[macro_export]
macro_rules! with_rust_type {
    ($d:expr, $T:ident => $body:expr) => {
        match $d {
            wgarray_core::DType::Bool | wgarray_core::DType::UInt8 => { type $T = u8; $body }
            wgarray_core::DType::Int8 => { type $T = i8; $body }
            wgarray_core::DType::Int16 => { type $T = i16; $body }
            wgarray_core::DType::UInt16 => { type $T = u16; $body }
            wgarray_core::DType::Int32 => { type $T = i32; $body }
            wgarray_core::DType::UInt32 => { type $T = u32; $body }
            wgarray_core::DType::Int64 => { type $T = i64; $body }
            wgarray_core::DType::UInt64 => { type $T = u64; $body }
            wgarray_core::DType::Float16 => { type $T = half::f16; $body }
            wgarray_core::DType::Float32 => { type $T = f32; $body }
            wgarray_core::DType::Float64 => { type $T = f64; $body }
        }
    };
}
