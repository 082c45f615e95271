//! `GpuBuffer`: a pooled wgpu buffer that goes back to its context's pool
//! when dropped, remembering the last batch that used it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use super::GpuContext;

/// A storage buffer on one GPU. Dropping it returns it to the pool, which
/// hands it to new GPU work at once (the queue runs the earlier work first)
/// and to host uploads once the batch that last used it is submitted.
pub struct GpuBuffer {
    pub(crate) buffer: Option<wgpu::Buffer>,
    pub(crate) len: u64,
    pub(crate) capacity: u64,
    pub(crate) last_use: AtomicU64,
    pub(crate) ctx: Arc<GpuContext>,
    /// Someone outside wgarray may write the memory (see `Storage::expose`).
    pub(crate) exposed: AtomicBool,
}

impl GpuBuffer {
    /// The wgpu buffer.
    pub fn raw(&self) -> &wgpu::Buffer {
        self.buffer.as_ref().expect("buffer present until drop")
    }

    /// Bytes asked for (the buffer itself may be larger).
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True for a zero-byte request.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The context (device) the buffer belongs to.
    pub fn context(&self) -> Arc<GpuContext> {
        self.ctx.clone()
    }

    /// The native handle other APIs know the buffer by, as DLPack's `data`:
    /// the `VkBuffer` on Vulkan; `None` on backends wgarray does not hand
    /// out yet (Metal, DX12, GL).
    pub fn native_handle(&self) -> Option<u64> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            use ash::vk::Handle;
            // SAFETY: the handle is only read; the buffer stays alive (and is
            // never destroyed by anyone but wgpu) while `self` lives.
            let hal = unsafe { self.raw().as_hal::<wgpu::hal::api::Vulkan>() }?;
            Some(unsafe { hal.raw_handle() }.as_raw())
        }
        #[cfg(target_arch = "wasm32")]
        None
    }

    /// Records that the batch `batch` uses this buffer.
    pub(crate) fn mark_used(&self, batch: u64) {
        self.last_use.fetch_max(batch, Ordering::Relaxed);
    }
}

impl Drop for GpuBuffer {
    fn drop(&mut self) {
        if let Some(buffer) = self.buffer.take() {
            self.ctx.recycle(buffer, self.capacity, self.last_use.load(Ordering::Relaxed));
        }
    }
}
