//! Fused programs on the CPU, block by block (numexpr-style): every innermost
//! run of the output is cut into blocks of `BLOCK` elements and each step
//! runs its ordinary inner loop (`run::kernel`) over the block, reading leaves
//! in place and earlier steps' results from per-thread scratch that stays in
//! cache — no intermediate array is ever written. Large outputs split across
//! rayon's pool like any elementwise kernel.

use std::cell::RefCell;

use wgarray_core::{DType, Dims};

use super::cast::{cast_run, CastRun};
use super::run::{kernel, Run};
use super::strided::{Shared, Strided};
use wgarray_core::layout::coalesce;
use crate::fused::{Arg, Program};

/// Elements per block: a step's scratch (8 KiB at most) stays in L1.
pub const BLOCK: usize = 1024;
/// Bytes of one scratch slot.
const SLOT: usize = BLOCK * 8;
/// Most leaves a program reads (the walk carries them and the output).
pub const MAX_LEAVES: usize = 7;
const OUT: usize = MAX_LEAVES;

struct ArgPlan {
    arg: Arg,
    /// Byte size of the dtype the argument holds.
    held: usize,
    /// Conversion into the loop's input dtype, and that dtype's size.
    conv: Option<(CastRun, usize)>,
}

struct StepPlan {
    /// The loop (`None`: a cast, done by the argument's conversion).
    run: Option<Run>,
    args: Vec<ArgPlan>,
    out: DType,
}

thread_local! {
    static SCRATCH: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Evaluates `prog` over `shape` into `out`; `leaves` are each a pointer to
/// element [0, …], strides in elements over `shape`, and dtype.
///
/// # Safety
/// Every layout must lie inside a live buffer of its dtype; `out` must not
/// overlap a leaf.
pub unsafe fn run(prog: &Program, shape: &[usize], leaves: &[(*const u8, &[isize], DType)], out: (*mut u8, &[isize], DType)) {
    assert!(leaves.len() <= MAX_LEAVES, "a fused program reads at most {MAX_LEAVES} arrays");
    let dtypes: smallvec::SmallVec<[DType; MAX_LEAVES]> = leaves.iter().map(|l| l.2).collect();
    let plan = plan(prog, &dtypes);
    let last = (prog.dtype() != out.2).then(|| cast_run(prog.dtype(), out.2));
    // Unused slots walk along with the output (never read or written).
    let strides: [&[isize]; MAX_LEAVES + 1] = std::array::from_fn(|k| if k < leaves.len() { leaves[k].1 } else { out.1 });
    let ptrs: [*mut u8; MAX_LEAVES + 1] = std::array::from_fn(|k| if k < leaves.len() { leaves[k].0 as *mut u8 } else { out.0 });
    let sizes: [usize; MAX_LEAVES + 1] = std::array::from_fn(|k| match k {
        OUT => out.2.itemsize(),
        k if k < leaves.len() => leaves[k].2.itemsize(),
        _ => 1,
    });
    let w = Strided::new(shape, strides, ptrs, sizes);
    // SAFETY: the caller vouches for the layouts; blocks partition the output.
    unsafe {
        w.for_each_run_par(cost(prog), |p, n, s| {
            with_scratch(plan.len(), |base| {
                let mut start = 0;
                while start < n {
                    let len = BLOCK.min(n - start);
                    let p: [*mut u8; MAX_LEAVES + 1] = std::array::from_fn(|k| p[k].wrapping_offset(s[k] * start as isize));
                    block(&plan, last, &p, &s, len, base);
                    start += len;
                }
            })
        })
    }
}

/// Runs `f` with this thread's scratch, grown to the slots a program of
/// `steps` steps uses (`block`: a result and two converted arguments per step).
fn with_scratch<R>(steps: usize, f: impl FnOnce(*mut u8) -> R) -> R {
    let slots = 3 * steps + 1;
    SCRATCH.with(|sc| {
        let mut sc = sc.borrow_mut();
        if sc.len() < slots * BLOCK {
            sc.resize(slots * BLOCK, 0);
        }
        f(sc.as_mut_ptr() as *mut u8)
    })
}

/// Work per element of `prog` (`run::cost` of its steps; casts 1).
pub fn cost(prog: &Program) -> usize {
    prog.steps.iter().map(|st| st.op.map_or(1, super::run::cost)).sum()
}

/// Each step's loop and argument conversions, given the leaves' dtypes.
fn plan(prog: &Program, dtypes: &[DType]) -> Vec<StepPlan> {
    prog.steps
        .iter()
        .map(|st| StepPlan {
            run: st.op.map(|op| kernel(op, &st.lp)),
            args: st
                .args
                .iter()
                .zip(&st.lp.inputs)
                .map(|(&arg, &want)| {
                    let held = prog.arg_dtype(arg, dtypes);
                    // A cast step always converts (a same-dtype cast copies).
                    let conv = (held != want || st.op.is_none()).then(|| (cast_run(held, want), want.itemsize()));
                    ArgPlan { arg, held: held.itemsize(), conv }
                })
                .collect(),
            out: st.lp.outputs[0],
        })
        .collect()
}

/// A program ready to compute any C-order range of its result over a shape,
/// as if that result were stored contiguously: a reduction folds the blocks
/// it would have read from the stored result (`cpu::reduce::reduce_fused`).
pub struct Ranges {
    plan: Vec<StepPlan>,
    /// Work per element (`cost`).
    pub cost: usize,
    last: Option<CastRun>,
    out_size: usize,
    /// The shape, coalesced over the leaves' strides (C order is kept).
    shape: Dims<usize>,
    /// Per leaf: strides in bytes over `shape`.
    strides: Dims<Dims<isize>>,
    ptrs: Vec<Shared<*const u8>>,
}

impl Ranges {
    /// `prog` over `shape` (leaves as for `run`), results converted to `out`.
    pub fn new(prog: &Program, shape: &[usize], leaves: &[(*const u8, &[isize], DType)], out: DType) -> Ranges {
        assert!(leaves.len() <= MAX_LEAVES, "a fused program reads at most {MAX_LEAVES} arrays");
        let dtypes: Vec<DType> = leaves.iter().map(|l| l.2).collect();
        let st: Vec<&[isize]> = leaves.iter().map(|l| l.1).collect();
        let (shape, st) = coalesce(shape, &st);
        let strides = st.into_iter().zip(leaves).map(|(s, l)| s.iter().map(|&v| v * l.2.itemsize() as isize).collect()).collect();
        Ranges {
            plan: plan(prog, &dtypes),
            cost: cost(prog),
            last: (prog.dtype() != out).then(|| cast_run(prog.dtype(), out)),
            out_size: out.itemsize(),
            shape,
            strides,
            ptrs: leaves.iter().map(|l| Shared(l.0)).collect(),
        }
    }

    /// Writes results `at .. at + len` (C order, `len` at most `BLOCK`)
    /// contiguously to `dst`.
    ///
    /// # Safety
    /// The leaves must still be live as `new` saw them, the range inside the
    /// shape, and `dst` hold `len` elements of the output dtype.
    pub unsafe fn eval(&self, at: usize, len: usize, dst: *mut u8) {
        assert!(len <= BLOCK, "a fused range covers at most one block");
        let rank = self.shape.len();
        let mut idx = vec![0usize; rank];
        let mut rem = at;
        for d in (0..rank).rev() {
            idx[d] = rem % self.shape[d];
            rem /= self.shape[d];
        }
        with_scratch(self.plan.len(), |scratch| {
            let mut done = 0;
            while done < len {
                let n = match rank {
                    0 => 1,
                    _ => (self.shape[rank - 1] - idx[rank - 1]).min(len - done),
                };
                let mut p = [std::ptr::null_mut(); MAX_LEAVES + 1];
                let mut s = [0isize; MAX_LEAVES + 1];
                for (k, st) in self.strides.iter().enumerate() {
                    let off: isize = idx.iter().zip(st).map(|(&i, &v)| i as isize * v).sum();
                    p[k] = self.ptrs[k].0.wrapping_offset(off) as *mut u8;
                    s[k] = st.last().copied().unwrap_or(0);
                }
                p[OUT] = dst.wrapping_add(done * self.out_size);
                s[OUT] = self.out_size as isize;
                // SAFETY: the run lies inside every leaf (the caller's range
                // is inside the shape) and inside `dst`.
                unsafe { block(&self.plan, self.last, &p, &s, n, scratch) };
                done += n;
                if rank > 0 {
                    idx[rank - 1] += n;
                    for d in (1..rank).rev() {
                        if idx[d] < self.shape[d] {
                            break;
                        }
                        idx[d] = 0;
                        idx[d - 1] += 1;
                    }
                }
            }
        })
    }
}

/// One block of `len` elements starting at `p` (byte strides `s`).
unsafe fn block(plan: &[StepPlan], last: Option<CastRun>, p: &[*mut u8], s: &[isize], len: usize, scratch: *mut u8) {
    let slot = |i: usize| scratch.wrapping_add(i * SLOT);
    let ns = plan.len();
    for (i, st) in plan.iter().enumerate() {
        let direct = i + 1 == ns && last.is_none();
        let (optr, ostride) = if direct { (p[OUT], s[OUT]) } else { (slot(i), st.out.itemsize() as isize) };
        let mut ptrs = [std::ptr::null_mut(); 3];
        let mut strides = [0isize; 3];
        for (j, a) in st.args.iter().enumerate() {
            let (ptr, stride) = match a.arg {
                Arg::Leaf(k) => (p[k], s[k]),
                Arg::Step(m) => (slot(m), a.held as isize),
            };
            (ptrs[j], strides[j]) = match a.conv {
                // A cast step's conversion is its result.
                Some((f, _)) if st.run.is_none() => {
                    // SAFETY: `ptr` holds `len` elements at `stride`, as does the destination.
                    unsafe { f(ptr, stride, optr, ostride, len) };
                    (optr, ostride)
                }
                Some((f, size)) => {
                    let t = slot(ns + 2 * i + j);
                    // SAFETY: as above; a slot holds a block of any dtype.
                    unsafe { f(ptr, stride, t, size as isize, len) };
                    (t, size as isize)
                }
                None => (ptr, stride),
            };
        }
        if let Some(f) = st.run {
            let nargs = st.args.len();
            ptrs[nargs] = optr;
            strides[nargs] = ostride;
            // SAFETY: every pointer covers `len` elements at its stride.
            unsafe { f(&ptrs[..=nargs], &strides[..=nargs], len) };
        }
    }
    if let Some(f) = last {
        // SAFETY: the last step's slot holds `len` results.
        unsafe { f(slot(ns - 1), plan[ns - 1].out.itemsize() as isize, p[OUT], s[OUT], len) };
    }
}
