//! The process-wide wgpu instance and the adapters it finds, numbered the
//! way device strings name them (`gpu:N` over all, `vulkan:N` per backend).

use std::sync::{Arc, OnceLock};

use wgarray_core::{Error, Result};

use crate::gpu::GpuContext;

/// One wgpu adapter as wgarray lists it.
pub struct AdapterEntry {
    /// The wgpu adapter.
    pub adapter: wgpu::Adapter,
    /// What the driver says about it.
    pub info: wgpu::AdapterInfo,
    /// Position among all adapters (`gpu:N`).
    pub gpu_index: usize,
    /// Position among adapters of the same backend (`vulkan:N`).
    pub backend_index: usize,
    context: OnceLock<std::result::Result<Arc<GpuContext>, Error>>,
}

impl AdapterEntry {
    /// `vulkan`, `metal`, `dx12` or `gl`.
    pub fn backend_name(&self) -> &'static str {
        backend_name(self.info.backend)
    }

    /// The canonical device name, e.g. `vulkan:0`.
    pub fn name(&self) -> String {
        format!("{}:{}", self.backend_name(), self.backend_index)
    }

    /// A software rasteriser (lavapipe, llvmpipe, WARP): never the default device.
    pub fn is_software(&self) -> bool {
        self.info.device_type == wgpu::DeviceType::Cpu
    }

    /// The features wgarray uses that the adapter has (dtypes, subgroup
    /// operations), less any that `WGARRAY_GPU_MASK_FEATURES` hides (a comma
    /// list of `f64`, `i64`, `f16`, `subgroup`: tests use it to exercise
    /// devices without them).
    pub fn features(&self) -> wgpu::Features {
        let wanted =
            wgpu::Features::SHADER_F64 | wgpu::Features::SHADER_INT64 | wgpu::Features::SHADER_F16 | wgpu::Features::SUBGROUP;
        let mut f = self.adapter.features() & wanted;
        for name in std::env::var("WGARRAY_GPU_MASK_FEATURES").unwrap_or_default().split(',') {
            match name.trim() {
                "f64" => f.remove(wgpu::Features::SHADER_F64),
                "i64" => f.remove(wgpu::Features::SHADER_INT64),
                "f16" => f.remove(wgpu::Features::SHADER_F16),
                "subgroup" => f.remove(wgpu::Features::SUBGROUP),
                _ => {}
            }
        }
        f
    }

    /// Whether the adapter can run float64 kernels (`SHADER_F64`, and
    /// `SHADER_INT64`, which they use to test float64 bits).
    pub fn has_f64(&self) -> bool {
        self.features().contains(wgpu::Features::SHADER_F64 | wgpu::Features::SHADER_INT64)
    }

    /// Whether the adapter can run int64/uint64 kernels (`SHADER_INT64`).
    pub fn has_i64(&self) -> bool {
        self.features().contains(wgpu::Features::SHADER_INT64)
    }

    /// Whether the adapter has native float16 arithmetic (`SHADER_F16`);
    /// wgarray's float16 works without it.
    pub fn has_f16(&self) -> bool {
        self.features().contains(wgpu::Features::SHADER_F16)
    }

    /// How wgarray compiles kernels for this adapter so that they keep
    /// subnormal floats, or `None` where it leaves that to the driver.
    pub fn float_controls(&self) -> Option<crate::gpu::spirv::FloatControls> {
        crate::gpu::spirv::float_controls(&self.adapter)
    }

    /// Whether reductions may use subgroup operations (`SUBGROUP`).
    pub fn has_subgroups(&self) -> bool {
        self.features().contains(wgpu::Features::SUBGROUP)
    }

    /// The opened device, created on first use and shared afterwards.
    pub fn context(&'static self) -> Result<Arc<GpuContext>> {
        self.context.get_or_init(|| GpuContext::open(self).map(Arc::new)).clone()
    }
}

/// The backend's name as device strings spell it.
pub fn backend_name(b: wgpu::Backend) -> &'static str {
    match b {
        wgpu::Backend::Vulkan => "vulkan",
        wgpu::Backend::Metal => "metal",
        wgpu::Backend::Dx12 => "dx12",
        wgpu::Backend::Gl => "gl",
        _ => "other",
    }
}

fn rank(e: &AdapterEntry) -> u8 {
    match e.info.device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu | wgpu::DeviceType::Other => 2,
        wgpu::DeviceType::Cpu => 3,
    }
}

struct Registry {
    #[allow(dead_code)]
    instance: wgpu::Instance,
    adapters: Vec<AdapterEntry>,
}

static REGISTRY: OnceLock<Registry> = OnceLock::new();

fn registry() -> &'static Registry {
    REGISTRY.get_or_init(|| {
        if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
            // The Vulkan loader warns without it on headless machines.
            std::env::set_var("XDG_RUNTIME_DIR", std::env::temp_dir());
        }
        let backends = wgpu::Backends::from_env().unwrap_or(wgpu::Backends::PRIMARY);
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        desc.backends = backends;
        let instance = wgpu::Instance::new(desc);
        let found = pollster::block_on(instance.enumerate_adapters(backends));
        let mut adapters: Vec<AdapterEntry> = found
            .into_iter()
            .map(|adapter| {
                let info = adapter.get_info();
                AdapterEntry { adapter, info, gpu_index: 0, backend_index: 0, context: OnceLock::new() }
            })
            .collect();
        // Hardware first, then by backend, keeping the driver's order otherwise.
        adapters.sort_by_key(rank);
        for i in 0..adapters.len() {
            adapters[i].gpu_index = i;
            let b = adapters[i].info.backend;
            adapters[i].backend_index = adapters[..i].iter().filter(|a| a.info.backend == b).count();
        }
        Registry { instance, adapters }
    })
}

/// Every adapter wgpu finds, best first.
pub fn adapters() -> &'static [AdapterEntry] {
    &registry().adapters
}
