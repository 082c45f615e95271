//! wgarray-kernels: the op table (one source of truth for ufuncs), WGSL
//! generation, the GPU launcher that chunks work to fit binding limits, and
//! the CPU loops — behind one device-agnostic entry point per operation.

pub mod api;
pub mod cpu;
pub mod fused;
pub mod gpu_map;
pub mod gpu_matmul;
pub mod gpu_gather;
pub mod gpu_reduce;
pub mod gpu_scan;
pub mod gpu_scatter;
pub mod gpu_sort;
pub mod ops;
pub mod wgsl;

pub use api::{
    accumulate, argsort, copy_cast, dot, fusable, fused, fused_max_leaves, gather, reduce, reduce_fused, reduceat, scatter, select, sort_host, ufunc, Operand,
    Reduction,
};
pub use ops::{Core, Identity, Ufunc, ALIASES, UFUNCS};
