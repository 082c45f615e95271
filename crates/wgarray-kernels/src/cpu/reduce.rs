//! Reductions on the CPU. The input is cast into a contiguous `[kept,
//! reduced]` buffer of the accumulator dtype, which the op table's
//! vectorised binary loop then folds in place: by halving for reorderable
//! operations (a tree, so rounding error grows like a pairwise sum's), in
//! order otherwise (NumPy's order, from an optional start value).

use wgarray_core::{DType, Result};
use wgarray_device::CpuBuffer;

use super::cast::cast;
use super::run::run;
use crate::ops::{Identity, Loop, Scalar};

/// One element per kept index (C order) of `op` folded over the reduced
/// axes, cast into `out` (contiguous, dtype `out_dtype`).
///
/// # Safety
/// `input` must lie, with `strides` (elements) over `shape`, inside a live
/// buffer of `in_dtype`; `out` must hold the kept indices' count of
/// `out_dtype`; `start`, if given, one element of `out_dtype`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn reduce(
    op: Scalar,
    acc: DType,
    tree: bool,
    identity: Option<Identity>,
    in_dtype: DType,
    input: *const u8,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    start: Option<*const u8>,
    out_dtype: DType,
    out: *mut u8,
) -> Result<()> {
    // Kept axes first, then reduced ones, into a contiguous buffer.
    let order: Vec<usize> = (0..shape.len()).filter(|&a| !reduced[a]).chain((0..shape.len()).filter(|&a| reduced[a])).collect();
    let pshape: Vec<usize> = order.iter().map(|&a| shape[a]).collect();
    let pstrides: Vec<isize> = order.iter().map(|&a| strides[a]).collect();
    let n_out: usize = (0..shape.len()).filter(|&a| !reduced[a]).map(|a| shape[a]).product();
    let r_len: usize = (0..shape.len()).filter(|&a| reduced[a]).map(|a| shape[a]).product();
    if n_out == 0 {
        return Ok(());
    }
    let isz = acc.itemsize();
    let buf = CpuBuffer::zeroed(n_out * r_len * isz)?;
    let base = buf.as_ptr();
    let contiguous = wgarray_core::layout::c_strides(&pshape);
    unsafe { cast(&pshape, in_dtype, (input, &pstrides), acc, (base, &contiguous)) };
    let lp = Loop { inputs: vec![acc, acc], outputs: vec![acc] };
    let rows = [r_len as isize, 1];
    let sizes = [isz, isz, isz];
    // One step: columns [0, n) of every row ⊕= columns [from, from + n).
    let step = |from: usize, n: usize| unsafe {
        let b = base.add(from * isz);
        run(op, &lp, &[n_out, n], &[base, b, base], &[&rows, &rows, &rows], &sizes);
    };
    if tree {
        let mut len = r_len;
        while len > 1 {
            let half = len / 2;
            step(len - half, half);
            len -= half;
        }
        if let Some(id) = identity {
            // NumPy starts from the identity (gcd.reduce([-3]) is 3, add.reduce([-0.0]) is 0.0).
            let (bytes, from) = match id {
                Identity::Int(i) => (i.to_le_bytes().to_vec(), DType::Int64),
                Identity::Bool(b) => (vec![b as u8], DType::Bool),
                Identity::Float(x) => (x.to_le_bytes().to_vec(), DType::Float64),
            };
            let first = CpuBuffer::zeroed(isz)?;
            unsafe { cast(&[], from, (bytes.as_ptr(), &[]), acc, (first.as_ptr(), &[])) };
            unsafe { run(op, &lp, &[n_out], &[first.as_ptr(), base, base], &[&[0], &[r_len as isize], &[r_len as isize]], &sizes) };
        }
    } else {
        if let Some(s) = start {
            // Column 0 = start ⊕ column 0, `start` cast to the accumulator first.
            let first = CpuBuffer::zeroed(isz)?;
            unsafe { cast(&[], out_dtype, (s, &[]), acc, (first.as_ptr(), &[])) };
            unsafe { run(op, &lp, &[n_out], &[first.as_ptr(), base, base], &[&[0], &[r_len as isize], &[r_len as isize]], &sizes) };
        }
        for r in 1..r_len {
            unsafe {
                let b = base.add(r * isz);
                run(op, &lp, &[n_out], &[base, b, base], &[&[r_len as isize], &[r_len as isize], &[r_len as isize]], &sizes);
            }
        }
    }
    unsafe { cast(&[n_out], acc, (base, &[r_len as isize]), out_dtype, (out, &[1])) };
    Ok(())
}
