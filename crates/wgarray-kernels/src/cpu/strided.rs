//! Walking N operands of one shape, each with its own byte strides, on one
//! thread or split across rayon's pool.

use rayon::prelude::*;
use wgarray_core::layout::coalesce;
use wgarray_core::Dims;

/// Below this much work a kernel runs on the calling thread. Work is
/// elements times a per-element cost (`run::cost`: 1 for an add, more for
/// a division or a transcendental function). Handing pieces to rayon's pool
/// and waiting for them costs ~10 µs, which a memory-bound loop only earns
/// back on large arrays: on a 2-core host an add over 200K float32 ran
/// 1.7× slower split in two, one over 400K 1.35× faster.
pub const PARALLEL_WORK: usize = 1 << 18;

/// Target work per parallel piece (several pieces per thread balance
/// uneven progress without many small tasks).
const PIECE_WORK: usize = 1 << 15;

/// Lets raw pointers into memory the caller keeps alive cross into rayon's
/// workers; each piece touches positions no other piece writes.
#[derive(Clone, Copy)]
pub struct Shared<T>(pub T);
// SAFETY: used only for pointers whose accesses the caller partitions.
unsafe impl<T> Send for Shared<T> {}
unsafe impl<T> Sync for Shared<T> {}

/// How many pieces to split `work` (see `PARALLEL_WORK`) into (1: stay
/// serial).
pub fn pieces(work: usize) -> usize {
    let threads = rayon::current_num_threads();
    if work < PARALLEL_WORK || threads < 2 {
        return 1;
    }
    (work / PIECE_WORK).clamp(2, threads * 4)
}

/// N operands over a common (coalesced) shape.
pub struct Strided<const N: usize> {
    shape: Dims<usize>,
    strides: [Dims<isize>; N],
    ptrs: [*mut u8; N],
}

impl<const N: usize> Strided<N> {
    /// `strides` are in elements; `itemsizes` convert them to bytes.
    pub fn new(shape: &[usize], strides: [&[isize]; N], ptrs: [*mut u8; N], itemsizes: [usize; N]) -> Self {
        let (shape, st) = coalesce(shape, &strides);
        let mut it = st.into_iter().zip(itemsizes).map(|(s, i)| s.iter().map(|&v| v * i as isize).collect());
        let strides = std::array::from_fn(|_| it.next().unwrap());
        Strided { shape, strides, ptrs }
    }

    /// Like `for_each_run`, but walks with enough work (`cost` per element)
    /// are split along their outermost axis and the pieces run on rayon's
    /// pool. `f` must only write positions of the run it is given, as every
    /// elementwise kernel does.
    ///
    /// # Safety
    /// As for `for_each_run`.
    pub unsafe fn for_each_run_par(&self, cost: usize, f: impl Fn([*mut u8; N], usize, [isize; N]) + Sync) {
        let total: usize = self.shape.iter().product();
        let n0 = self.shape.first().copied().unwrap_or(1);
        let k = pieces(total.saturating_mul(cost)).min(n0);
        if k < 2 {
            return unsafe { self.for_each_run(f) };
        }
        let this = Shared(self);
        (0..k).into_par_iter().for_each(|i| {
            let this = this;
            let w = this.0;
            let (lo, hi) = (n0 * i / k, n0 * (i + 1) / k);
            let mut shape = w.shape.clone();
            shape[0] = hi - lo;
            let ptrs = std::array::from_fn(|j| w.ptrs[j].wrapping_offset(w.strides[j][0] * lo as isize));
            let piece = Strided { shape, strides: w.strides.clone(), ptrs };
            // SAFETY: the piece is a sub-range of a walk the caller vouched for.
            unsafe { piece.for_each_run(&f) }
        });
    }

    /// Calls `f(pointers, length, byte strides)` for every innermost run.
    ///
    /// # Safety
    /// Every position the layouts describe must be valid for the accesses `f` makes.
    pub unsafe fn for_each_run(&self, mut f: impl FnMut([*mut u8; N], usize, [isize; N])) {
        if self.shape.contains(&0) {
            return;
        }
        let r = self.shape.len();
        if r == 0 {
            f(self.ptrs, 1, [0; N]);
            return;
        }
        let inner = self.shape[r - 1];
        let inner_strides: [isize; N] = std::array::from_fn(|k| self.strides[k][r - 1]);
        let mut idx = vec![0usize; r - 1];
        let mut p = self.ptrs;
        loop {
            f(p, inner, inner_strides);
            let mut d = r - 1;
            loop {
                if d == 0 {
                    return;
                }
                d -= 1;
                idx[d] += 1;
                for (pk, st) in p.iter_mut().zip(&self.strides) {
                    *pk = pk.wrapping_offset(st[d]);
                }
                if idx[d] < self.shape[d] {
                    break;
                }
                for (pk, st) in p.iter_mut().zip(&self.strides) {
                    *pk = pk.wrapping_offset(-st[d] * self.shape[d] as isize);
                }
                idx[d] = 0;
            }
        }
    }
}
