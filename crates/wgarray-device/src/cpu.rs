//! Host memory for the CPU device: 64-byte-aligned allocations, or memory
//! owned by someone else (a NumPy array, a DLPack producer) kept alive by an
//! owner handle.

use std::alloc::{alloc, Layout};
use std::any::Any;
use std::ptr::NonNull;
use std::sync::atomic::AtomicBool;

use wgarray_core::{Error, Result};

use crate::host_cache;

/// Alignment of every allocation wgarray makes on the host.
pub const HOST_ALIGN: usize = 64;

enum Owner {
    Aligned(Layout),
    Foreign(#[allow(dead_code)] Box<dyn Any + Send + Sync>),
}

/// A block of host memory. Views of one array alias it, as NumPy's do.
pub struct CpuBuffer {
    ptr: NonNull<u8>,
    len: usize,
    owner: Owner,
    /// Someone outside wgarray may write the memory (see `Storage::expose`).
    pub(crate) exposed: AtomicBool,
}

// SAFETY: the buffer is plain bytes; concurrent writes through aliasing views
// are the caller's responsibility, exactly as with NumPy arrays.
unsafe impl Send for CpuBuffer {}
unsafe impl Sync for CpuBuffer {}

impl CpuBuffer {
    /// A zero-filled, 64-byte-aligned buffer of `len` bytes.
    pub fn zeroed(len: usize) -> Result<CpuBuffer> {
        let b = CpuBuffer::uninit(len)?;
        // SAFETY: the allocation holds at least `len` bytes.
        unsafe { b.ptr.as_ptr().write_bytes(0, len) };
        Ok(b)
    }

    /// A 64-byte-aligned buffer of `len` bytes whose contents are unspecified
    /// (every kernel writing a fresh result overwrites all of it).
    pub fn uninit(len: usize) -> Result<CpuBuffer> {
        let oom = || Error::OutOfMemory { bytes: len as u64, device: "cpu".into(), detail: String::new() };
        let layout = Layout::from_size_align(host_cache::class(len.max(HOST_ALIGN)), HOST_ALIGN).map_err(|_| oom())?;
        if let Some(ptr) = host_cache::take(layout) {
            return Ok(CpuBuffer { ptr, len, owner: Owner::Aligned(layout), exposed: AtomicBool::new(false) });
        }
        // SAFETY: layout has nonzero size.
        let fresh = || NonNull::new(unsafe { alloc(layout) });
        let ptr = fresh().or_else(|| {
            // Out of memory: give back what the cache holds and try once more.
            host_cache::release();
            fresh()
        });
        let ptr = ptr.ok_or_else(oom)?;
        advise_huge_pages(ptr.as_ptr(), layout.size());
        Ok(CpuBuffer { ptr, len, owner: Owner::Aligned(layout), exposed: AtomicBool::new(false) })
    }

    /// Wraps memory owned elsewhere; `owner` is dropped when the buffer is.
    /// `exposed`: whether anyone outside wgarray may write it (see
    /// `Storage::is_exposed`); false only for memory no one else references.
    ///
    /// # Safety
    /// `ptr` must be valid for reads (and writes, if the array is writeable)
    /// of `len` bytes for as long as `owner` lives.
    pub unsafe fn foreign(ptr: *mut u8, len: usize, owner: Box<dyn Any + Send + Sync>, exposed: bool) -> CpuBuffer {
        let ptr = NonNull::new(ptr).unwrap_or(NonNull::dangling());
        CpuBuffer { ptr, len, owner: Owner::Foreign(owner), exposed: AtomicBool::new(exposed) }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the buffer holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Start of the memory.
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    /// The bytes, for reading.
    ///
    /// # Safety
    /// No one may write the buffer while the slice lives.
    pub unsafe fn bytes(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

/// Large allocations ask Linux for transparent huge pages, as NumPy does:
/// the first touch of a fresh 4 KiB-page mapping faults once per page, which
/// costs more than the arithmetic of a memory-bound kernel writing it.
#[cfg(target_os = "linux")]
fn advise_huge_pages(ptr: *mut u8, len: usize) {
    const HUGE_THRESHOLD: usize = 4 << 20;
    const PAGE: usize = 4096;
    if len < HUGE_THRESHOLD {
        return;
    }
    let start = (ptr as usize).next_multiple_of(PAGE);
    let end = (ptr as usize + len) / PAGE * PAGE;
    // SAFETY: the range lies inside our own allocation; madvise only changes
    // how the kernel backs it (failure, e.g. THP disabled, is harmless).
    unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_ptr: *mut u8, _len: usize) {}

impl Drop for CpuBuffer {
    fn drop(&mut self) {
        if let Owner::Aligned(layout) = self.owner {
            // SAFETY: allocated in `uninit` with this layout; no view outlives the buffer.
            unsafe { host_cache::give(self.ptr, layout) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_blocks_are_reused_warm() {
        let a = CpuBuffer::zeroed(3 << 20).unwrap();
        let p = a.as_ptr();
        drop(a);
        assert!(host_cache::held_bytes() >= 3 << 20);
        // Same size class: the cached block comes back, zeroed on request.
        let b = CpuBuffer::zeroed((3 << 20) - 100).unwrap();
        assert_eq!(b.as_ptr(), p);
        assert!(unsafe { b.bytes() }.iter().all(|&x| x == 0));
        assert_eq!(b.len(), (3 << 20) - 100);
    }

    #[test]
    fn aligned_and_zeroed() {
        let b = CpuBuffer::zeroed(100).unwrap();
        assert_eq!(b.as_ptr() as usize % HOST_ALIGN, 0);
        assert!(unsafe { b.bytes() }.iter().all(|&x| x == 0));
        let e = CpuBuffer::zeroed(usize::MAX / 2).err().unwrap();
        assert!(matches!(e, Error::OutOfMemory { .. }));
    }
}
