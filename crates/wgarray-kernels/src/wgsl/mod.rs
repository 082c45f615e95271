//! WGSL generation. Every kernel is one instance of the strided map family
//! (`map.rs`), specialised on operand dtypes, rank and output mode; the
//! helpers it needs come from `shaders/*.wgsl`.

pub mod exprs;
pub mod fused;
pub mod gather;
pub mod libs;
pub mod map;
pub mod matmul;
mod offsets;
pub mod radix;
pub mod reduce;
pub mod scan;
pub mod scatter;
pub mod sort;
pub mod types;

pub use libs::libs_for;
pub use map::{MapKernel, OutMode, MAX_OPERANDS, MAX_RANK};

