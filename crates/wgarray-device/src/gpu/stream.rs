//! The stream: work is recorded into one open command encoder (dispatches
//! into one open compute pass) and submitted in batches — when the host
//! needs data, on `synchronize`, every `BATCH_DISPATCHES` dispatches, or
//! once the batch holds `SUBMIT_GROUPS` workgroups. Per-dispatch parameters go into a
//! host-side copy of a uniform arena that is uploaded once per batch
//! (`queue.write_buffer` lands before the batch's commands).

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use wgarray_core::{Error, Result};

use super::{Binding, GpuContext, Kernel, BATCH_DISPATCHES, MAX_GROUPS_PER_DIM, PARAM_SLOT};

/// Most bind groups kept for reuse.
const BIND_GROUP_CACHE: usize = 512;
/// Workgroups (of 256 threads) after which the open batch is submitted
/// without waiting for `BATCH_DISPATCHES` dispatches (16M threads).
const SUBMIT_GROUPS: u64 = 1 << 16;

/// What a bind group binds: the layout, then each storage window.
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct BindKey {
    layout: wgpu::BindGroupLayout,
    windows: Vec<(wgpu::Buffer, u64, u64)>,
}

pub(crate) struct Stream {
    /// The compute pass dispatches go into, open until a copy or clear
    /// needs the encoder or the batch is submitted (wgpu places barriers
    /// between the dispatches of a pass as their bindings require).
    pass: Option<wgpu::ComputePass<'static>>,
    encoder: Option<wgpu::CommandEncoder>,
    params: Vec<u8>,
    arena: wgpu::Buffer,
    dispatches: usize,
    /// Workgroups recorded in the open batch.
    groups: u64,
    /// Bind groups by kernel layout and buffer windows: pooled buffers come
    /// back, so loops over arrays of the same sizes find theirs here. Each
    /// holds its buffers alive: the cache is bounded and emptied whenever
    /// the pool destroys buffers (`GpuContext::recycle`, the out-of-memory retry).
    pub(crate) bind_groups: HashMap<BindKey, wgpu::BindGroup>,
    /// The batch now being recorded; finished batches are ≤ `completed`.
    pub batch: u64,
}

impl Stream {
    pub fn new(device: &wgpu::Device) -> Stream {
        let arena = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("wgarray params"),
            size: BATCH_DISPATCHES as u64 * PARAM_SLOT,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Stream {
            pass: None,
            encoder: None,
            params: Vec::new(),
            arena,
            dispatches: 0,
            groups: 0,
            bind_groups: HashMap::new(),
            batch: 1,
        }
    }
}

/// Splits `groups` workgroups into a grid whose sides fit the 65535 limit.
/// Kernels rebuild the flat index from `workgroup_id` and `num_workgroups`.
pub fn grid(groups: u32) -> (u32, u32) {
    if groups <= MAX_GROUPS_PER_DIM {
        (groups, 1)
    } else {
        (MAX_GROUPS_PER_DIM, groups.div_ceil(MAX_GROUPS_PER_DIM))
    }
}

impl GpuContext {
    /// The open encoder, with no pass open on it.
    fn encoder<'s>(&self, s: &'s mut Stream) -> &'s mut wgpu::CommandEncoder {
        s.pass = None;
        s.encoder.get_or_insert_with(|| self.device.create_command_encoder(&Default::default()))
    }

    /// The open compute pass.
    fn pass<'s>(&self, s: &'s mut Stream) -> &'s mut wgpu::ComputePass<'static> {
        if s.pass.is_none() {
            let pass = self.encoder(s).begin_compute_pass(&Default::default()).forget_lifetime();
            s.pass = Some(pass);
        }
        s.pass.as_mut().expect("pass just opened")
    }

    /// Records non-dispatch commands (copies, clears) into the open batch.
    pub fn record(&self, f: impl FnOnce(&mut wgpu::CommandEncoder, u64)) -> Result<()> {
        let mut s = self.stream.lock().unwrap();
        let batch = s.batch;
        f(self.encoder(&mut s), batch);
        Ok(())
    }

    /// Records one dispatch of `groups` workgroups with the given parameter
    /// block (at most `PARAM_SLOT` bytes) and storage bindings.
    pub fn dispatch(&self, kernel: &Kernel, bindings: &[Binding], params: &[u8], groups: u32) -> Result<()> {
        assert!(params.len() as u64 <= PARAM_SLOT, "parameter block too large");
        if groups == 0 {
            return Ok(());
        }
        let mut s = self.stream.lock().unwrap();
        if s.dispatches == BATCH_DISPATCHES {
            self.submit(&mut s)?;
        }
        let slot = s.dispatches as u64 * PARAM_SLOT;
        s.params.extend_from_slice(params);
        let new_len = ((s.dispatches + 1) as u64 * PARAM_SLOT) as usize;
        s.params.resize(new_len, 0);
        s.dispatches += 1;
        let batch = s.batch;
        for b in bindings {
            b.buffer.mark_used(batch);
        }
        let key = BindKey {
            layout: kernel.layout.clone(),
            windows: bindings.iter().map(|b| (b.buffer.raw().clone(), b.offset, b.size)).collect(),
        };
        let bind_group = match s.bind_groups.get(&key) {
            Some(g) => g.clone(),
            None => {
                let mut entries = vec![wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &s.arena,
                        offset: 0,
                        size: wgpu::BufferSize::new(PARAM_SLOT),
                    }),
                }];
                for (i, b) in bindings.iter().enumerate() {
                    entries.push(wgpu::BindGroupEntry {
                        binding: 1 + i as u32,
                        resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                            buffer: b.buffer.raw(),
                            offset: b.offset,
                            size: wgpu::BufferSize::new(b.size),
                        }),
                    });
                }
                let g = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: None,
                    layout: &kernel.layout,
                    entries: &entries,
                });
                if s.bind_groups.len() >= BIND_GROUP_CACHE {
                    s.bind_groups.clear();
                }
                s.bind_groups.insert(key, g.clone());
                g
            }
        };
        let (gx, gy) = grid(groups);
        let pass = self.pass(&mut s);
        pass.set_pipeline(&kernel.pipeline);
        pass.set_bind_group(0, &bind_group, &[slot as u32]);
        pass.dispatch_workgroups(gx, gy, 1);
        // Enough work to keep the GPU busy a while: start it now rather than
        // when the batch fills (small ops keep sharing one submission).
        s.groups += groups as u64;
        if s.groups >= SUBMIT_GROUPS {
            self.submit(&mut s)?;
        }
        Ok(())
    }

    /// Submits the open batch (if any work is recorded).
    pub fn flush(&self) -> Result<()> {
        let mut s = self.stream.lock().unwrap();
        self.submit(&mut s)
    }

    fn submit(&self, s: &mut Stream) -> Result<()> {
        s.pass = None; // ends the pass before the encoder finishes
        let Some(encoder) = s.encoder.take() else {
            return Ok(());
        };
        if !s.params.is_empty() {
            self.queue.write_buffer(&s.arena, 0, &s.params);
            s.params.clear();
        }
        s.dispatches = 0;
        s.groups = 0;
        self.pool.lock().unwrap().freed_since_submit = 0;
        let batch = s.batch;
        s.batch += 1;
        self.queue.submit([encoder.finish()]);
        let completed = self.completed.clone();
        self.queue.on_submitted_work_done(move || {
            completed.fetch_max(batch, Ordering::AcqRel);
        });
        self.check_errors()
    }

    /// Submits everything recorded and waits for the GPU to finish it.
    pub fn synchronize(&self) -> Result<()> {
        self.flush()?;
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| Error::Device(format!("waiting for {} failed: {e}", self.name())))?;
        self.check_errors()
    }
}

#[cfg(test)]
mod tests {
    use super::grid;

    #[test]
    fn grids_fit_the_limit() {
        assert_eq!(grid(10), (10, 1));
        assert_eq!(grid(65536), (65535, 2));
        let (x, y) = grid(1 << 24);
        assert!(x <= 65535 && y <= 65535 && x as u64 * y as u64 >= 1 << 24);
    }
}
