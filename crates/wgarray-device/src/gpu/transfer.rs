//! Host ↔ GPU transfers: uploads into buffers no unsubmitted work uses (so
//! `queue.write_buffer`, which lands before the open batch, is safe) and readback
//! through mapped staging buffers, in bounded chunks.

use std::sync::Arc;

use wgarray_core::{Error, Result};

use super::{GpuBuffer, GpuContext};

/// Largest staging chunk for one transfer step.
const CHUNK: u64 = 64 << 20;

impl GpuContext {
    /// A new buffer holding `data`.
    pub fn upload(self: &Arc<Self>, data: &[u8]) -> Result<GpuBuffer> {
        let buf = self.alloc_for(data.len() as u64, true)?;
        let whole = data.len() / 4 * 4;
        for start in (0..whole).step_by(CHUNK as usize) {
            let end = (start + CHUNK as usize).min(whole);
            self.queue.write_buffer(buf.raw(), start as u64, &data[start..end]);
            if end - start == CHUNK as usize {
                // Bound the staging memory of very large uploads.
                self.flush_writes()?;
            }
        }
        if whole < data.len() {
            let mut tail = [0u8; 4];
            tail[..data.len() - whole].copy_from_slice(&data[whole..]);
            self.queue.write_buffer(buf.raw(), whole as u64, &tail);
        }
        Ok(buf)
    }

    fn flush_writes(&self) -> Result<()> {
        self.flush()?;
        self.queue.submit([]);
        Ok(())
    }

    /// Copies `dst.len()` bytes starting at byte `offset` of `buf` to the host,
    /// after all recorded work that writes `buf` has finished.
    pub fn read(&self, buf: &GpuBuffer, offset: u64, dst: &mut [u8]) -> Result<()> {
        if dst.is_empty() {
            return Ok(());
        }
        self.readbacks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.flush()?;
        let end = offset + dst.len() as u64;
        let mut pos = offset & !3;
        while pos < end {
            let len = (end - pos).min(CHUNK).next_multiple_of(4).min(buf.raw().size() - pos);
            let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("wgarray readback"),
                size: len,
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let mut enc = self.device.create_command_encoder(&Default::default());
            enc.copy_buffer_to_buffer(buf.raw(), pos, &staging, 0, len);
            self.queue.submit([enc.finish()]);
            let (tx, rx) = std::sync::mpsc::channel();
            staging.map_async(wgpu::MapMode::Read, .., move |r| {
                let _ = tx.send(r);
            });
            self.device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|e| Error::Device(format!("waiting for {} failed: {e}", self.name())))?;
            rx.recv()
                .map_err(|_| Error::Device("readback callback was dropped".into()))?
                .map_err(|e| Error::Device(format!("mapping a readback buffer failed: {e}")))?;
            {
                let view = staging.get_mapped_range(..).map_err(|e| Error::Device(e.to_string()))?;
                let lo = offset.max(pos);
                let hi = end.min(pos + len);
                dst[(lo - offset) as usize..(hi - offset) as usize]
                    .copy_from_slice(&view[(lo - pos) as usize..(hi - pos) as usize]);
            }
            staging.unmap();
            pos += len;
        }
        self.check_errors()
    }
}
