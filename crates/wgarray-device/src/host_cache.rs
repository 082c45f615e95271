//! A small cache of freed large host allocations. A fresh multi-megabyte
//! allocation comes from the kernel as new pages, and the first write to
//! each page faults; an elementwise kernel writing its result spends longer
//! in those faults than in arithmetic. Keeping a few recently freed large
//! blocks and handing them to the next request of the same size class (as
//! CuPy's pool does for device memory) makes a loop of temporaries reuse warm
//! pages. Small blocks are left to the system allocator, which recycles them
//! itself.

use std::alloc::{dealloc, Layout};
use std::ptr::NonNull;
use std::sync::Mutex;

/// Blocks below this size are not cached.
pub const CACHE_MIN: usize = 1 << 20;
/// Size classes: cached blocks are allocated rounded up to this granularity,
/// so arrays of nearly equal size share blocks.
pub const GRANULE: usize = 64 << 10;
/// Most bytes the cache holds; older blocks are freed first past it.
const CACHE_MAX_BYTES: usize = 512 << 20;
/// Most blocks the cache holds.
const CACHE_MAX_BLOCKS: usize = 16;

struct Block(NonNull<u8>, Layout);
// SAFETY: a cached block is plain memory no one else references.
unsafe impl Send for Block {}

static CACHE: Mutex<Vec<Block>> = Mutex::new(Vec::new());

/// The layout a request of `size` bytes is allocated with (rounded up to a
/// size class when it is large enough to be cached).
pub fn class(size: usize) -> usize {
    if size >= CACHE_MIN {
        size.next_multiple_of(GRANULE)
    } else {
        size
    }
}

/// A cached block of exactly `layout`, if one is free.
pub fn take(layout: Layout) -> Option<NonNull<u8>> {
    if layout.size() < CACHE_MIN {
        return None;
    }
    let mut c = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let i = c.iter().rposition(|b| b.1 == layout)?;
    Some(c.remove(i).0)
}

/// Takes ownership of a freed block: cached if large, else freed.
///
/// # Safety
/// `ptr` must have been allocated by the global allocator with `layout` and
/// not be used again by the caller.
pub unsafe fn give(ptr: NonNull<u8>, layout: Layout) {
    if layout.size() < CACHE_MIN || layout.size() > CACHE_MAX_BYTES / 2 {
        unsafe { dealloc(ptr.as_ptr(), layout) };
        return;
    }
    let evicted = {
        let mut c = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        c.push(Block(ptr, layout));
        let mut held: usize = c.iter().map(|b| b.1.size()).sum();
        let mut out = Vec::new();
        while held > CACHE_MAX_BYTES || c.len() > CACHE_MAX_BLOCKS {
            let b = c.remove(0);
            held -= b.1.size();
            out.push(b);
        }
        out
    };
    for b in evicted {
        unsafe { dealloc(b.0.as_ptr(), b.1) };
    }
}

/// Frees every cached block (before retrying an allocation that failed).
pub fn release() {
    let blocks = std::mem::take(&mut *CACHE.lock().unwrap_or_else(|e| e.into_inner()));
    for b in blocks {
        // SAFETY: cached blocks came from the global allocator with these layouts.
        unsafe { dealloc(b.0.as_ptr(), b.1) };
    }
}

/// Bytes the cache holds now.
pub fn held_bytes() -> usize {
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|b| b.1.size()).sum()
}
