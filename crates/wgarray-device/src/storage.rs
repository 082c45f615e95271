//! `Storage`: the memory behind an array, on one device.

use std::sync::atomic::{AtomicBool, Ordering};

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

    /// Marks the memory as reachable by writers outside wgarray (a NumPy
    /// view, a DLPack consumer): wgarray then never defers reading it, since
    /// it cannot see those writes coming. Memory owned elsewhere starts so.
    pub fn expose(&self) {
        self.exposed_flag().store(true, Ordering::Relaxed);
    }

    /// Whether `expose` was called (or the memory is owned elsewhere).
    pub fn is_exposed(&self) -> bool {
        self.exposed_flag().load(Ordering::Relaxed)
    }

    fn exposed_flag(&self) -> &AtomicBool {
        match self {
            Storage::Cpu(b) => &b.exposed,
            Storage::Gpu(b) => &b.exposed,
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
