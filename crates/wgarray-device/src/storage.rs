//! `Storage`: the memory behind an array, on one device.

use wgarray_core::Result;

use crate::{CpuBuffer, Device, GpuBuffer};

/// An array's memory: host bytes or a GPU buffer.
pub enum Storage {
    /// On the CPU device.
    Cpu(CpuBuffer),
    /// On a GPU (the buffer knows its context).
    Gpu(GpuBuffer),
}

impl Storage {
    /// Zero-filled storage of `bytes` on `device`.
    pub fn zeroed(device: &Device, bytes: usize) -> Result<Storage> {
        match device {
            Device::Cpu => Ok(Storage::Cpu(CpuBuffer::zeroed(bytes)?)),
            Device::Gpu(ctx) => Ok(Storage::Gpu(ctx.alloc_zeroed(bytes as u64)?)),
        }
    }

    /// Uninitialised-content storage (GPU: possibly a recycled buffer).
    pub fn uninit(device: &Device, bytes: usize) -> Result<Storage> {
        match device {
            Device::Cpu => Ok(Storage::Cpu(CpuBuffer::uninit(bytes)?)),
            Device::Gpu(ctx) => Ok(Storage::Gpu(ctx.alloc(bytes as u64)?)),
        }
    }

    /// The device the memory is on.
    pub fn device(&self) -> Device {
        match self {
            Storage::Cpu(_) => Device::Cpu,
            Storage::Gpu(b) => Device::Gpu(b.context()),
        }
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        match self {
            Storage::Cpu(b) => b.len(),
            Storage::Gpu(b) => b.len() as usize,
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
