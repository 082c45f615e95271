//! LSD radix sort of (key, position) items, one key byte per pass from the
//! lowest: each pass scatters the items, in their current order, to where
//! their byte's bucket starts, so it is stable and after the last pass the
//! items are in key order with equal keys in their original order. A pass
//! whose byte is the same in every key moves nothing and is skipped (small
//! integers in wide dtypes, the top bytes of floats of one sign and
//! binade). Rows of at least `PARALLEL_ROW` items split each pass across
//! threads: every piece counts its bytes, the counts give each (bucket,
//! piece) a disjoint range, and the pieces scatter at once.

use std::mem::MaybeUninit;

use rayon::prelude::*;

use super::strided::Shared;

/// Items from which one row splits its passes across threads.
pub const PARALLEL_ROW: usize = 1 << 17;

/// A sort item: `Ord` is key order, then position.
pub trait Item: Copy + Ord + Send + Sync {
    /// Bytes of the key.
    const KEY_BYTES: usize;
    /// Byte `b` of the key (0: the lowest).
    fn byte(self, b: usize) -> usize;
    /// The item's position in its row.
    fn pos(self) -> u32;
}

/// Keys of up to 32 bits: the key in the high half, the position low.
impl Item for u64 {
    const KEY_BYTES: usize = 4;
    #[inline(always)]
    fn byte(self, b: usize) -> usize {
        (self >> (32 + 8 * b)) as usize & 0xff
    }
    #[inline(always)]
    fn pos(self) -> u32 {
        self as u32
    }
}

/// A 64-bit key and its position.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Wide {
    pub key: u64,
    pub pos: u32,
}

impl Item for Wide {
    const KEY_BYTES: usize = 8;
    #[inline(always)]
    fn byte(self, b: usize) -> usize {
        (self.key >> (8 * b)) as usize & 0xff
    }
    #[inline(always)]
    fn pos(self) -> u32 {
        self.pos
    }
}

type Counts = [usize; 256];

/// Counts of every key byte over `items`.
fn count_all<I: Item>(items: &[I]) -> Vec<Counts> {
    let mut c = vec![[0usize; 256]; I::KEY_BYTES];
    for &x in items {
        for (b, cb) in c.iter_mut().enumerate() {
            cb[x.byte(b)] += 1;
        }
    }
    c
}

/// Sorts `items`, using `tmp` (as long) as scratch, and returns the sorted
/// items: `items` or `tmp`, whichever the last pass wrote.
pub fn sort<'a, I: Item>(items: &'a mut [I], tmp: &'a mut [MaybeUninit<I>]) -> &'a [I] {
    let n = items.len();
    assert_eq!(tmp.len(), n, "radix scratch must be as long as the items");
    let pieces = if n >= PARALLEL_ROW { rayon::current_num_threads().min(n / (PARALLEL_ROW / 2)) } else { 1 };
    let counts = if pieces > 1 {
        let per = n.div_ceil(pieces);
        items.par_chunks(per).map(count_all).reduce_with(add_counts).unwrap_or_default()
    } else {
        count_all(items)
    };
    let (mut src, mut spare) = (items, tmp);
    for (b, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue; // one bucket holds every item: nothing moves
        }
        if pieces > 1 {
            pass_parallel(src, spare, b, pieces);
        } else {
            pass(src, spare, b, c);
        }
        // SAFETY: a pass writes every slot of `spare` (its buckets' counts
        // add up to the length); `src` holds initialised items, which may
        // be overwritten as scratch.
        let (written, old) = unsafe { (&mut *(spare as *mut [MaybeUninit<I>] as *mut [I]), &mut *(src as *mut [I] as *mut [MaybeUninit<I>])) };
        (src, spare) = (written, old);
    }
    src
}

fn add_counts(mut a: Vec<Counts>, b: Vec<Counts>) -> Vec<Counts> {
    for (x, y) in a.iter_mut().zip(&b) {
        for (p, q) in x.iter_mut().zip(y) {
            *p += q;
        }
    }
    a
}

/// Where a piece's buckets start: `base` (each bucket's next free slot),
/// which then moves past the piece's `counts`.
fn piece_starts(counts: &Counts, base: &mut Counts) -> Counts {
    let s = *base;
    for (b, c) in base.iter_mut().zip(counts) {
        *b += c;
    }
    s
}

/// One pass on one thread: `src` by byte `b` into `dst` (same length).
fn pass<I: Item>(src: &[I], dst: &mut [MaybeUninit<I>], b: usize, counts: &Counts) {
    let mut next = [0usize; 256];
    let mut at = 0;
    for d in 0..256 {
        next[d] = at;
        at += counts[d];
    }
    for &x in src {
        let d = x.byte(b);
        dst[next[d]] = MaybeUninit::new(x);
        next[d] += 1;
    }
}

/// One pass split into `pieces` contiguous pieces of `src`, in parallel.
fn pass_parallel<I: Item>(src: &[I], dst: &mut [MaybeUninit<I>], b: usize, pieces: usize) {
    let per = src.len().div_ceil(pieces);
    let counts: Vec<Counts> = src
        .par_chunks(per)
        .map(|p| {
            let mut c = [0usize; 256];
            for &x in p {
                c[x.byte(b)] += 1;
            }
            c
        })
        .collect();
    // Bucket d of piece k starts after every smaller bucket and after
    // bucket d of the pieces before k.
    let mut base = [0usize; 256];
    let mut at = 0;
    for d in 0..256 {
        base[d] = at;
        at += counts.iter().map(|c| c[d]).sum::<usize>();
    }
    let starts: Vec<Counts> = counts.iter().map(|c| piece_starts(c, &mut base)).collect();
    let out = Shared(dst.as_mut_ptr());
    let len = dst.len();
    src.par_chunks(per).zip(starts).for_each(|(p, mut next)| {
        // The whole `Shared` moves in (not its pointer field alone).
        let out = out;
        for &x in p {
            let d = x.byte(b);
            assert!(next[d] < len);
            // SAFETY: the ranges the counts give each (bucket, piece) are
            // disjoint and inside `dst`, and a piece writes only its own.
            unsafe { *out.0.add(next[d]) = MaybeUninit::new(x) };
            next[d] += 1;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_and_parallel_passes_sort_stably() {
        let mut x = 99u64;
        for n in [300, PARALLEL_ROW + 777] {
            let wide: Vec<Wide> = (0..n)
                .map(|i| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    Wide { key: (x >> 40) % 1000 + (1 << 60), pos: i as u32 }
                })
                .collect();
            let mut want = wide.clone();
            want.sort();
            let mut a = wide.clone();
            let mut t = vec![MaybeUninit::uninit(); n];
            assert!(sort(&mut a, &mut t) == want, "wide, {n}");
            let packed: Vec<u64> = wide.iter().map(|w| (w.key as u32 as u64) << 32 | w.pos as u64).collect();
            let mut want = packed.clone();
            want.sort();
            let mut a = packed.clone();
            let mut t = vec![MaybeUninit::uninit(); n];
            assert!(sort(&mut a, &mut t) == want, "packed, {n}");
        }
    }
}
