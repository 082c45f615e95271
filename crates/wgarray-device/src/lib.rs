//! wgarray-device: memory and execution. `Device` is a closed enum — the CPU
//! device, or one wgpu adapter's `GpuContext` — and `Storage` the matching
//! buffer. The GPU side records dispatches into a stream, pools buffers, and
//! caches pipelines (see `gpu`).

pub mod adapters;
pub mod cpu;
pub mod device;
pub mod gpu;
pub mod host_cache;
pub mod storage;

pub use adapters::{adapters, AdapterEntry};
pub use cpu::CpuBuffer;
pub use device::Device;
pub use gpu::{GpuBuffer, GpuContext};
pub use storage::Storage;
