//! A small cache of freed large host allocations. A fresh multi-megabyte
//! allocation comes from the kernel as new pages, and the first write to
//! each page faults; an elementwise kernel writing its result spends longer
//! in those faults than in arithmetic. Keeping a few recently freed large
//! blocks and handing them to the next request of the same size class (as
//! CuPy's pool does for device memory) makes a loop of temporaries reuse warm
//! pages.
//!
//! Small blocks (up to `SMALL_MAX`) are rounded up to a size class (four
//! per doubling: at most 25% larger) and kept a few per class: every eager
//! op on a small array allocates its result, and the system allocator serves
//! 64-byte-aligned requests through its slow aligned path.

use std::alloc::{dealloc, Layout};
use std::ptr::NonNull;
use std::sync::Mutex;

/// Blocks below this size are not cached in the large tier.
pub const CACHE_MIN: usize = 1 << 20;
/// Largest block of the small tier.
pub const SMALL_MAX: usize = 64 << 10;
/// Blocks kept per small class (a few MiB held at most).
const SMALL_PER_CLASS: usize = 8;
/// Small size classes: 64 bytes (the alignment), then four per doubling up
/// to `SMALL_MAX`.
const SMALL_CLASSES: usize = 1 + 4 * (SMALL_MAX.trailing_zeros() - 6) as usize;
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
static SMALL: Mutex<[Vec<Block>; SMALL_CLASSES]> = Mutex::new([const { Vec::new() }; SMALL_CLASSES]);

/// The small class size `size` bytes round up to (`size` ≤ `SMALL_MAX`):
/// 64, or for 2^k < size ≤ 2^(k+1) the next multiple of 2^(k-2).
fn small_size(size: usize) -> usize {
    if size <= 64 {
        return 64;
    }
    let k = usize::BITS - 1 - (size - 1).leading_zeros();
    size.next_multiple_of(1 << (k - 2))
}

/// The index of a small class size.
fn small_class(size: usize) -> usize {
    if size == 64 {
        return 0;
    }
    let k = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
    1 + 4 * (k - 6) + (size - (1 << k)) / (1 << (k - 2)) - 1
}

/// The size a request of `size` bytes is allocated with: rounded up to its
/// size class in either tier (blocks between the tiers keep their size).
pub fn class(size: usize) -> usize {
    if size >= CACHE_MIN {
        size.next_multiple_of(GRANULE)
    } else if size <= SMALL_MAX {
        small_size(size)
    } else {
        size
    }
}

/// A cached block of exactly `layout`, if one is free.
pub fn take(layout: Layout) -> Option<NonNull<u8>> {
    if is_small(layout) {
        let mut small = SMALL.lock().unwrap_or_else(|e| e.into_inner());
        return small[small_class(layout.size())].pop().map(|b| b.0);
    }
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
    if is_small(layout) {
        let mut small = SMALL.lock().unwrap_or_else(|e| e.into_inner());
        let class = &mut small[small_class(layout.size())];
        if class.len() < SMALL_PER_CLASS {
            class.push(Block(ptr, layout));
            return;
        }
        drop(small);
        // SAFETY: the caller passes a block of the global allocator with `layout`.
        unsafe { dealloc(ptr.as_ptr(), layout) };
        return;
    }
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

/// Whether `layout` is one of the small tier's (a class size, with the
/// 64-byte alignment of every host allocation, `cpu::HOST_ALIGN`).
fn is_small(layout: Layout) -> bool {
    layout.size() <= SMALL_MAX && layout.align() == 64 && small_size(layout.size()) == layout.size()
}

/// Frees every cached block (before retrying an allocation that failed).
pub fn release() {
    let small = std::mem::replace(&mut *SMALL.lock().unwrap_or_else(|e| e.into_inner()), [const { Vec::new() }; SMALL_CLASSES]);
    for b in small.into_iter().flatten() {
        // SAFETY: cached blocks came from the global allocator with these layouts.
        unsafe { dealloc(b.0.as_ptr(), b.1) };
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_classes_cover_the_tier_at_most_a_quarter_larger() {
        let mut seen = [false; SMALL_CLASSES];
        for size in 1..=SMALL_MAX {
            let c = small_size(size);
            assert!(c >= size && (size <= 64 || c * 4 <= size * 5 + 4 * 64), "{size} -> {c}");
            assert_eq!(small_size(c), c);
            let i = small_class(c);
            assert!(i < SMALL_CLASSES);
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s), "every class index is used");
        assert_eq!(small_class(SMALL_MAX), SMALL_CLASSES - 1);
    }
}
