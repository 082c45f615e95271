//! `GpuContext`: one opened wgpu device, with its pool, stream and pipeline cache.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use wgarray_core::{DType, Error, Result};

use super::pool::{size_class, Pool, PRESSURE_BYTES};
use super::spirv::{self, FloatControls};
use super::stream::Stream;
use super::GpuBuffer;
use crate::adapters::AdapterEntry;

/// Kernels by spec type and hash: each spec (boxed) with its kernel.
type SpecCache = HashMap<(TypeId, u64), Vec<(Box<dyn Any + Send + Sync>, Arc<Kernel>)>>;

/// A compiled kernel and the bind-group layout its bindings follow.
pub struct Kernel {
    pub(crate) pipeline: wgpu::ComputePipeline,
    pub(crate) layout: wgpu::BindGroupLayout,
}

/// The bindings of a kernel: binding 0 is the per-dispatch parameter block
/// (a uniform with a dynamic offset), then `inputs` read-only storage
/// buffers, then `outputs` read-write ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KernelLayout {
    /// Read-only storage bindings.
    pub inputs: u32,
    /// Read-write storage bindings (after the inputs).
    pub outputs: u32,
}

/// One storage binding of a dispatch: a window of a buffer.
pub struct Binding<'a> {
    /// The buffer.
    pub buffer: &'a GpuBuffer,
    /// Start of the window, a multiple of the storage offset alignment.
    pub offset: u64,
    /// Length of the window, a multiple of 4, within the binding limit.
    pub size: u64,
}

/// An opened GPU.
pub struct GpuContext {
    pub(crate) entry: &'static AdapterEntry,
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    limits: wgpu::Limits,
    features: wgpu::Features,
    /// Set where kernels are compiled to SPIR-V by wgarray (see `spirv`).
    float_controls: Option<FloatControls>,
    pub(crate) pool: Mutex<Pool>,
    pub(crate) stream: Mutex<Stream>,
    kernels: Mutex<HashMap<String, Arc<Kernel>>>,
    /// The same kernels found by their specification's value (`kernel_for`):
    /// by spec type and hash, then compared. Looked up on every dispatch,
    /// so no key string is formatted there.
    specs: Mutex<SpecCache>,
    spec_hasher: std::hash::RandomState,
    layouts: Mutex<HashMap<KernelLayout, (wgpu::BindGroupLayout, wgpu::PipelineLayout)>>,
    /// Highest batch known to have finished on the GPU.
    pub(crate) completed: Arc<AtomicU64>,
    /// Errors wgpu reported outside an error scope.
    pub(crate) uncaptured: Arc<Mutex<Vec<String>>>,
    /// Reads of GPU memory by the host so far (tests check that paths which
    /// need none make none).
    pub(crate) readbacks: AtomicU64,
}

impl GpuContext {
    /// Opens the adapter with the dtype features it has and its full limits.
    pub(crate) fn open(entry: &'static AdapterEntry) -> Result<GpuContext> {
        let features = entry.features();
        let limits = entry.adapter.limits();
        let float_controls = entry.float_controls();
        let mut required = features;
        if float_controls.is_some() {
            required |= wgpu::Features::PASSTHROUGH_SHADERS;
        }
        let desc = wgpu::DeviceDescriptor {
            label: Some("wgarray"),
            required_features: required,
            required_limits: limits.clone(),
            experimental_features: wgpu::ExperimentalFeatures::disabled(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        };
        let (device, queue) = pollster::block_on(entry.adapter.request_device(&desc))
            .map_err(|e| Error::Device(format!("could not open {}: {e}", entry.name())))?;
        let uncaptured = Arc::new(Mutex::new(Vec::new()));
        let sink = uncaptured.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            sink.lock().unwrap().push(e.to_string());
        }));
        let stream = Stream::new(&device);
        Ok(GpuContext {
            entry,
            device,
            queue,
            limits,
            features,
            float_controls,
            pool: Mutex::new(Pool::default()),
            stream: Mutex::new(stream),
            kernels: Mutex::new(HashMap::new()),
            specs: Mutex::new(HashMap::new()),
            spec_hasher: std::hash::RandomState::new(),
            layouts: Mutex::new(HashMap::new()),
            completed: Arc::new(AtomicU64::new(0)),
            uncaptured,
            readbacks: AtomicU64::new(0),
        })
    }

    /// The device's name, e.g. `vulkan:0`.
    pub fn name(&self) -> String {
        self.entry.name()
    }

    /// The adapter behind the context.
    pub fn adapter(&self) -> &'static AdapterEntry {
        self.entry
    }

    /// The limits the device was opened with.
    pub fn limits(&self) -> &wgpu::Limits {
        &self.limits
    }

    /// The largest window one storage binding may cover (a multiple of 256).
    pub fn max_binding(&self) -> u64 {
        let cap = self.limits.max_storage_buffer_binding_size.min(self.limits.max_buffer_size);
        cap & !255
    }

    /// Required alignment of a storage binding's offset.
    pub fn binding_align(&self) -> u64 {
        self.limits.min_storage_buffer_offset_alignment as u64
    }

    /// True when float64 kernels can run. They test float64 bits with 64-bit
    /// integers, so both features are needed.
    pub fn has_f64(&self) -> bool {
        self.features.contains(wgpu::Features::SHADER_F64 | wgpu::Features::SHADER_INT64)
    }

    /// True when int64/uint64 kernels can run.
    pub fn has_i64(&self) -> bool {
        self.features.contains(wgpu::Features::SHADER_INT64)
    }

    /// Most iterations one invocation's in-order loop (a serial reduction,
    /// scan or reduceat segment) runs per dispatch; longer folds continue in
    /// further dispatches from the partial results. llvmpipe (lavapipe) stops
    /// every loop of an invocation after 65,535 iterations in all, so a
    /// software adapter gets windows short enough for a combine step with
    /// loops of its own (integer power, gcd: under 100 iterations); hardware
    /// gets long windows, which also keep one thread's work well under a
    /// driver's watchdog.
    pub fn serial_window(&self) -> usize {
        if self.entry.info.device_type == wgpu::DeviceType::Cpu {
            512
        } else {
            1 << 16
        }
    }

    /// True when kernels may use subgroup operations.
    pub fn has_subgroups(&self) -> bool {
        self.features.contains(wgpu::Features::SUBGROUP)
    }

    /// Whether arrays of `dtype` can live here; TypeError naming the missing feature if not.
    /// float16 is stored as 16-bit halves of 32-bit words and computed in float32,
    /// so it needs no device feature.
    pub fn check_dtype(&self, dtype: DType) -> Result<()> {
        let missing = match dtype {
            DType::Float64 if !self.features.contains(wgpu::Features::SHADER_F64) => "SHADER_F64",
            DType::Float64 if !self.has_i64() => "SHADER_INT64 (float64 kernels use 64-bit integers)",
            DType::Int64 | DType::UInt64 if !self.has_i64() => "SHADER_INT64",
            _ => return Ok(()),
        };
        Err(Error::type_error(format!(
            "device {} ({}) does not support {}: the adapter lacks the {} feature",
            self.name(),
            self.entry.info.name,
            dtype,
            missing
        )))
    }

    /// A buffer of at least `bytes` bytes with unspecified contents, for work
    /// recorded in the stream (kernels, copies, clears): it may be a pooled
    /// buffer whose earlier work is still pending, since the queue runs that
    /// work first.
    pub fn alloc(self: &Arc<Self>, bytes: u64) -> Result<GpuBuffer> {
        self.alloc_for(bytes, false)
    }

    /// `alloc` for a buffer the host writes with `queue.write_buffer`, which
    /// lands before the open batch: only buffers no unsubmitted work uses.
    pub(crate) fn alloc_for(self: &Arc<Self>, bytes: u64, host_write: bool) -> Result<GpuBuffer> {
        let max = self.limits.max_buffer_size;
        let mut capacity = size_class(bytes);
        if capacity > max && bytes <= max {
            capacity = bytes.max(4).next_multiple_of(4);
        }
        if capacity > max {
            return Err(self.oom(bytes, format!(": larger than the device's largest buffer ({max} bytes)")));
        }
        // A pooled buffer keeps the batch of its last use, so that dropping
        // it unused cannot make it look free to an upload.
        let (raw, last_use) = match self.take_pooled(capacity, host_write) {
            Some(b) => b,
            None => (self.create_buffer(bytes, capacity)?, 0),
        };
        Ok(GpuBuffer { buffer: Some(raw), len: bytes, capacity, last_use: AtomicU64::new(last_use), ctx: self.clone(), exposed: AtomicBool::new(false) })
    }

    /// A zero-filled buffer (cleared in the stream, so in order with other work).
    pub fn alloc_zeroed(self: &Arc<Self>, bytes: u64) -> Result<GpuBuffer> {
        let buf = self.alloc(bytes)?;
        self.record(|enc, batch| {
            enc.clear_buffer(buf.raw(), 0, None);
            buf.mark_used(batch);
        })?;
        Ok(buf)
    }

    /// The latest batch whose users may share a buffer with new work.
    fn reuse_limit(&self, host_write: bool) -> u64 {
        if host_write {
            self.stream.lock().unwrap().batch - 1
        } else {
            u64::MAX
        }
    }

    fn take_pooled(&self, capacity: u64, host_write: bool) -> Option<(wgpu::Buffer, u64)> {
        let limit = self.reuse_limit(host_write);
        let mut pool = self.pool.lock().unwrap();
        if let Some(b) = pool.take(capacity, limit) {
            return Some(b);
        }
        if host_write && pool.has_pending(capacity, limit) {
            // A buffer of this size waits for the open batch to be submitted.
            // Under memory pressure, submit it rather than allocate more.
            let pressure = pool.freed_since_submit > PRESSURE_BYTES;
            drop(pool);
            if pressure {
                let _ = self.flush();
                return self.pool.lock().unwrap().take(capacity, self.reuse_limit(true));
            }
        }
        None
    }

    fn create_buffer(&self, bytes: u64, capacity: u64) -> Result<wgpu::Buffer> {
        let attempt = || {
            let scope = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
            let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: None,
                size: capacity,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            match pollster::block_on(scope.pop()) {
                None => Ok(buffer),
                Some(e) => Err(e.to_string()),
            }
        };
        attempt().or_else(|_| {
            // Out of memory: let everything finish, drop the cache, try once more.
            self.synchronize()?;
            self.stream.lock().unwrap().bind_groups.clear();
            self.pool.lock().unwrap().release(self.completed.load(Ordering::Acquire));
            attempt().map_err(|e| self.oom(bytes, format!(": {e}")))
        })
    }

    fn oom(&self, bytes: u64, detail: String) -> Error {
        Error::OutOfMemory { bytes, device: self.name(), detail }
    }

    /// How many times the host has read this device's memory.
    pub fn readbacks(&self) -> u64 {
        self.readbacks.load(Ordering::Relaxed)
    }

    /// Bytes held by the pool's free lists (for tests and diagnostics).
    pub fn pooled_bytes(&self) -> u64 {
        self.pool.lock().unwrap().pooled_bytes
    }

    /// Called by `GpuBuffer::drop`.
    pub(crate) fn recycle(&self, buffer: wgpu::Buffer, capacity: u64, last_use: u64) {
        let completed = self.completed.load(Ordering::Acquire);
        let released = self.pool.lock().unwrap().put(capacity, buffer, last_use, completed);
        if released {
            // Cached bind groups hold buffers alive; let the freed ones go.
            // (try_lock: a buffer may be dropped while the stream is held.)
            if let Ok(mut s) = self.stream.try_lock() {
                s.bind_groups.clear();
            }
        }
    }

    /// The keys of every kernel compiled so far (tests check which variant ran).
    pub fn kernel_keys(&self) -> Vec<String> {
        self.kernels.lock().unwrap().keys().cloned().collect()
    }

    /// The kernel a specification describes: found by the spec's value,
    /// else by `key(spec)` (compiling `source(spec)` on first use).
    pub fn kernel_for<S>(&self, spec: &S, layout: KernelLayout, key: impl FnOnce(&S) -> String, source: impl FnOnce(&S) -> String) -> Result<Arc<Kernel>>
    where
        S: Clone + Eq + Hash + Send + Sync + 'static,
    {
        let at = (TypeId::of::<S>(), self.spec_hasher.hash_one(spec));
        let found = |specs: &SpecCache| {
            specs.get(&at)?.iter().find(|(s, _)| s.downcast_ref::<S>() == Some(spec)).map(|(_, k)| k.clone())
        };
        if let Some(k) = found(&self.specs.lock().unwrap()) {
            return Ok(k);
        }
        let kernel = self.kernel(&key(spec), layout, || source(spec))?;
        let mut specs = self.specs.lock().unwrap();
        if found(&specs).is_none() {
            specs.entry(at).or_default().push((Box::new(spec.clone()), kernel.clone()));
        }
        Ok(kernel)
    }

    /// The kernel cached under `key`, compiling `source()` on first use.
    pub fn kernel(&self, key: &str, layout: KernelLayout, source: impl FnOnce() -> String) -> Result<Arc<Kernel>> {
        if let Some(k) = self.kernels.lock().unwrap().get(key) {
            return Ok(k.clone());
        }
        let (bgl, pl) = self.layout(layout);
        let src = source();
        let scope = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = match &self.float_controls {
            Some(fc) => {
                let words = spirv::compile(&src, fc)
                    .map_err(|e| Error::Device(format!("internal error: kernel {key} failed to compile: {e}")))?;
                let desc = wgpu::ShaderModuleDescriptorPassthrough {
                    label: Some(key),
                    entry_points: std::borrow::Cow::Owned(vec![wgpu::PassthroughShaderEntryPoint {
                        name: "main".into(),
                        workgroup_size: (super::WORKGROUP_SIZE, 1, 1),
                    }]),
                    spirv: Some(std::borrow::Cow::Owned(words)),
                    ..Default::default()
                };
                // SAFETY: the module is naga's translation of WGSL that naga
                // validated, with wgpu's runtime checks, plus float-controls
                // declarations the device reported support for.
                unsafe { self.device.create_shader_module_passthrough(desc) }
            }
            None => self.device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(key),
                source: wgpu::ShaderSource::Wgsl(src.into()),
            }),
        };
        let pipeline = self.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(key),
            layout: Some(&pl),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(Error::Device(format!("internal error: kernel {key} failed to build: {e}")));
        }
        let k = Arc::new(Kernel { pipeline, layout: bgl });
        self.kernels.lock().unwrap().insert(key.to_string(), k.clone());
        Ok(k)
    }

    fn layout(&self, layout: KernelLayout) -> (wgpu::BindGroupLayout, wgpu::PipelineLayout) {
        let mut cache = self.layouts.lock().unwrap();
        cache
            .entry(layout)
            .or_insert_with(|| {
                let storage = |binding: u32, read_only: bool| wgpu::BindGroupLayoutEntry {
                    binding,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                };
                let mut entries = vec![wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: true,
                        min_binding_size: wgpu::BufferSize::new(super::PARAM_SLOT),
                    },
                    count: None,
                }];
                for i in 0..layout.inputs {
                    entries.push(storage(1 + i, true));
                }
                for i in 0..layout.outputs {
                    entries.push(storage(1 + layout.inputs + i, false));
                }
                let bgl = self.device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                    label: None,
                    entries: &entries,
                });
                let pl = self.device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                    label: None,
                    bind_group_layouts: &[Some(&bgl)],
                    immediate_size: 0,
                });
                (bgl, pl)
            })
            .clone()
    }

    /// Fails with the first error wgpu reported outside a scope, if any.
    pub(crate) fn check_errors(&self) -> Result<()> {
        let mut errs = self.uncaptured.lock().unwrap();
        if errs.is_empty() {
            return Ok(());
        }
        let msg = errs.drain(..).collect::<Vec<_>>().join("; ");
        Err(Error::Device(format!("GPU error on {}: {msg}", self.name())))
    }
}
