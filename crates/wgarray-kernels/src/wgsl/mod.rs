//! WGSL generation. Every kernel is one instance of the strided map family
//! (`map.rs`), specialised on operand dtypes, rank and output mode; the
//! helpers it needs come from `shaders/*.wgsl`.

pub mod map;
pub mod types;

pub use map::{MapKernel, OutMode, MAX_OPERANDS, MAX_RANK};

/// The WGSL helper libraries, included from `shaders/`.
pub const F16_LIB: &str = include_str!("../../../../shaders/f16.wgsl");
/// float64 → float32 rounded to odd.
pub const F64_NARROW_LIB: &str = include_str!("../../../../shaders/f64_narrow.wgsl");
/// exp for float64.
pub const EXP_F64_LIB: &str = include_str!("../../../../shaders/exp_f64.wgsl");
/// exp for float32 (and float16).
pub const EXP_F32_LIB: &str = include_str!("../../../../shaders/exp_f32.wgsl");

/// Helper libraries a kernel includes when its expression calls the function
/// they are named by.
pub const CALLABLE_LIBS: &[(&str, &str)] = &[("exp_f32", EXP_F32_LIB), ("exp_f64", EXP_F64_LIB)];
