//! `Device`: the CPU device or one GPU, parsed from NumPy-style strings.

use std::sync::Arc;

use wgarray_core::{DType, Error, Result};

use crate::adapters::{adapters, AdapterEntry};
use crate::gpu::GpuContext;

/// Where an array lives.
#[derive(Clone)]
pub enum Device {
    /// Host memory, Rust kernels.
    Cpu,
    /// One wgpu adapter.
    Gpu(Arc<GpuContext>),
}

impl PartialEq for Device {
    fn eq(&self, other: &Device) -> bool {
        match (self, other) {
            (Device::Cpu, Device::Cpu) => true,
            (Device::Gpu(a), Device::Gpu(b)) => a.entry.gpu_index == b.entry.gpu_index,
            _ => false,
        }
    }
}
impl Eq for Device {}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

fn bad_spec(spec: &str) -> Error {
    Error::value(format!(
        "unknown device '{spec}': expected 'cpu', 'gpu', 'gpu:N', 'vulkan:N', 'metal:N', 'dx12:N' or 'gl:N'"
    ))
}

impl Device {
    /// Parses `cpu`, `gpu`, `gpu:N`, `vulkan:N`, `metal:N`, `dx12:N`, `gl:N`.
    /// `gpu` is the best adapter present, software ones included.
    pub fn parse(spec: &str) -> Result<Device> {
        let s = spec.trim().to_ascii_lowercase();
        if s == "cpu" || s == "cpu:0" {
            return Ok(Device::Cpu);
        }
        let (kind, index) = match s.split_once(':') {
            Some((k, i)) => (k.to_string(), Some(i.parse::<usize>().map_err(|_| bad_spec(spec))?)),
            None => (s.clone(), None),
        };
        if !["gpu", "vulkan", "metal", "dx12", "gl"].contains(&kind.as_str()) {
            return Err(bad_spec(spec));
        }
        let pool: Vec<&'static AdapterEntry> =
            adapters().iter().filter(|a| kind == "gpu" || a.backend_name() == kind).collect();
        let entry = pool.get(index.unwrap_or(0)).ok_or_else(|| {
            Error::Device(format!(
                "no {} device '{}' found ({} present); wa.devices() lists what wgarray sees",
                if kind == "gpu" { "GPU" } else { &kind },
                s,
                pool.len()
            ))
        })?;
        Ok(Device::Gpu(entry.context()?))
    }

    /// The default device: `WGARRAY_DEVICE` if set, else the best hardware
    /// GPU, else the CPU device. Software adapters are never chosen here.
    pub fn default_device() -> Result<Device> {
        if let Ok(spec) = std::env::var("WGARRAY_DEVICE") {
            if !spec.is_empty() {
                return Device::parse(&spec);
            }
        }
        match adapters().iter().find(|a| !a.is_software()) {
            Some(entry) => match entry.context() {
                Ok(ctx) => Ok(Device::Gpu(ctx)),
                Err(_) => Ok(Device::Cpu),
            },
            None => Ok(Device::Cpu),
        }
    }

    /// The canonical name: `cpu`, `vulkan:0`, …
    pub fn name(&self) -> String {
        match self {
            Device::Cpu => "cpu".into(),
            Device::Gpu(ctx) => ctx.name(),
        }
    }

    /// Whether this device can hold arrays of `dtype`; a TypeError naming the
    /// device and the missing feature otherwise.
    pub fn check_dtype(&self, dtype: DType) -> Result<()> {
        match self {
            Device::Cpu => Ok(()),
            Device::Gpu(ctx) => ctx.check_dtype(dtype),
        }
    }

    /// The default floating dtype: float64 where the device has it, else float32.
    pub fn default_float(&self) -> DType {
        match self {
            Device::Cpu => DType::Float64,
            Device::Gpu(ctx) if ctx.has_f64() => DType::Float64,
            Device::Gpu(_) => DType::Float32,
        }
    }

    /// The default integer dtype: int64 where the device has it, else int32.
    pub fn default_int(&self) -> DType {
        match self {
            Device::Cpu => DType::Int64,
            Device::Gpu(ctx) if ctx.has_i64() => DType::Int64,
            Device::Gpu(_) => DType::Int32,
        }
    }
}
