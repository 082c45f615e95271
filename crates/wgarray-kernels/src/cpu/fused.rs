//! Fused programs on the CPU, block by block (numexpr-style): every innermost
//! run of the output is cut into blocks of `BLOCK` elements and each step
//! runs its ordinary inner loop (`run::kernel`) over the block, reading leaves
//! in place and earlier steps' results from per-thread scratch that stays in
//! cache — no intermediate array is ever written. Large outputs split across
//! rayon's pool like any elementwise kernel.

use std::cell::RefCell;

use wgarray_core::DType;

use super::cast::{cast_run, CastRun};
use super::run::{kernel, Run};
use super::strided::Strided;
use crate::fused::{Arg, Program};

/// Elements per block: a step's scratch (8 KiB at most) stays in L1.
const BLOCK: usize = 1024;
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
    let dtypes: Vec<DType> = leaves.iter().map(|l| l.2).collect();
    let plan: Vec<StepPlan> = prog
        .steps
        .iter()
        .map(|st| StepPlan {
            run: st.op.map(|op| kernel(op, &st.lp)),
            args: st
                .args
                .iter()
                .zip(&st.lp.inputs)
                .map(|(&arg, &want)| {
                    let held = prog.arg_dtype(arg, &dtypes);
                    // A cast step always converts (a same-dtype cast copies).
                    let conv = (held != want || st.op.is_none()).then(|| (cast_run(held, want), want.itemsize()));
                    ArgPlan { arg, held: held.itemsize(), conv }
                })
                .collect(),
            out: st.lp.outputs[0],
        })
        .collect();
    let last = (prog.dtype() != out.2).then(|| cast_run(prog.dtype(), out.2));
    let zeros = vec![0isize; shape.len()];
    let strides: [&[isize]; MAX_LEAVES + 1] = std::array::from_fn(|k| match k {
        OUT => out.1,
        k if k < leaves.len() => leaves[k].1,
        _ => &zeros[..],
    });
    let ptrs: [*mut u8; MAX_LEAVES + 1] = std::array::from_fn(|k| if k < leaves.len() { leaves[k].0 as *mut u8 } else { out.0 });
    let sizes: [usize; MAX_LEAVES + 1] = std::array::from_fn(|k| match k {
        OUT => out.2.itemsize(),
        k if k < leaves.len() => leaves[k].2.itemsize(),
        _ => 1,
    });
    let w = Strided::new(shape, strides, ptrs, sizes);
    let slots = 3 * plan.len() + 1;
    // SAFETY: the caller vouches for the layouts; blocks partition the output.
    unsafe {
        w.for_each_run_par(|p, n, s| {
            SCRATCH.with(|sc| {
                let mut sc = sc.borrow_mut();
                if sc.len() < slots * BLOCK {
                    sc.resize(slots * BLOCK, 0);
                }
                let base = sc.as_mut_ptr() as *mut u8;
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
