//! Size-classed free lists of GPU buffers. The queue runs work in the order
//! it is recorded (wgpu places the barriers), so a freed buffer can take new
//! GPU work at once, even while earlier work on it is still pending; only
//! `queue.write_buffer` (which lands before the open batch) must wait until
//! the batch that last used the buffer is submitted. Buffers are destroyed
//! only once their work has completed.

use std::collections::HashMap;

/// The capacity a request of `bytes` is rounded up to: powers of two up to
/// 1 MiB, then steps of an eighth of the next power of two (≤ 12.5 % waste).
pub fn size_class(bytes: u64) -> u64 {
    let b = bytes.max(4).next_multiple_of(4);
    if b <= 256 {
        return 256;
    }
    let p = b.next_power_of_two();
    if p <= 1 << 20 {
        return p;
    }
    b.next_multiple_of(p / 8)
}

pub(crate) struct Pooled {
    pub buffer: wgpu::Buffer,
    pub last_use: u64,
}

/// Free buffers by capacity.
#[derive(Default)]
pub(crate) struct Pool {
    free: HashMap<u64, Vec<Pooled>>,
    /// Bytes held in free lists.
    pub pooled_bytes: u64,
    /// Bytes returned since the stream last submitted whose work had not
    /// finished: memory that only a submission can bring back.
    pub freed_since_submit: u64,
}

/// Freed-but-waiting bytes past which an allocation that misses the pool
/// submits the open batch (memory pressure).
pub const PRESSURE_BYTES: u64 = 256 << 20;

/// Bytes the pool keeps before it drops the buffers it holds.
const POOL_CAP: u64 = 1 << 31;

impl Pool {
    /// A free buffer of this capacity last used in batch `limit` or earlier,
    /// with the batch of its last use.
    pub fn take(&mut self, capacity: u64, limit: u64) -> Option<(wgpu::Buffer, u64)> {
        let list = self.free.get_mut(&capacity)?;
        let i = list.iter().position(|p| p.last_use <= limit)?;
        self.pooled_bytes -= capacity;
        let p = list.swap_remove(i);
        Some((p.buffer, p.last_use))
    }

    /// True if some buffer of this capacity was last used after batch `limit`.
    pub fn has_pending(&self, capacity: u64, limit: u64) -> bool {
        self.free.get(&capacity).is_some_and(|l| l.iter().any(|p| p.last_use > limit))
    }

    /// Returns a buffer to the pool; drops finished ones when over the cap
    /// (and then says so: true).
    pub fn put(&mut self, capacity: u64, buffer: wgpu::Buffer, last_use: u64, completed: u64) -> bool {
        self.free.entry(capacity).or_default().push(Pooled { buffer, last_use });
        self.pooled_bytes += capacity;
        if last_use > completed {
            self.freed_since_submit += capacity;
        }
        if self.pooled_bytes > POOL_CAP {
            self.release(completed);
            return true;
        }
        false
    }

    /// Destroys every pooled buffer whose work has completed.
    pub fn release(&mut self, completed: u64) {
        for (&cap, list) in self.free.iter_mut() {
            let before = list.len();
            list.retain(|p| p.last_use > completed);
            self.pooled_bytes -= (before - list.len()) as u64 * cap;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(size_class(0), 256);
        assert_eq!(size_class(257), 512);
        assert_eq!(size_class(1 << 20), 1 << 20);
        assert_eq!(size_class((1 << 20) + 1), (1 << 20) + (1 << 18));
        assert_eq!(size_class(3), 256);
        for b in [1u64 << 22, 5 << 22, 12345678] {
            let c = size_class(b);
            assert!(c >= b && c - b <= c / 8 && c.is_multiple_of(4));
        }
    }
}
