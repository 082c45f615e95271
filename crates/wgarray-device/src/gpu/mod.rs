//! The GPU side of a device: one wgpu device and queue (`GpuContext`), its
//! buffer pool, the stream that records dispatches and submits them in
//! batches, the pipeline cache, and transfers.

mod buffer;
mod context;
mod pool;
pub(crate) mod spirv;
mod stream;
mod transfer;

pub use buffer::GpuBuffer;
pub use context::{Binding, GpuContext, Kernel, KernelLayout};

/// Threads per workgroup in every wgarray kernel.
pub const WORKGROUP_SIZE: u32 = 256;
/// Most workgroups along one dispatch dimension.
pub const MAX_GROUPS_PER_DIM: u32 = 65535;
/// Bytes reserved per dispatch in the parameter arena (the uniform offset alignment).
pub const PARAM_SLOT: u64 = 256;
/// Dispatches recorded before the stream submits on its own.
pub const BATCH_DISPATCHES: usize = 128;
