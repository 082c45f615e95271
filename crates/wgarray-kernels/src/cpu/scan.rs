//! Scans on the CPU: the input is cast into a contiguous `[row, position]`
//! buffer of the accumulator dtype, then folded in NumPy's order exactly:
//! with many rows, each position into the next across all rows at once (the
//! op table's vectorised binary loop); with few, each row's positions in turn
//! (one inner-loop call per element, rows in parallel). Few rows of the
//! accumulator dtype with a monomorphised running fold (`pairwise::run_scan`:
//! sums, products, max/min, bitwise) skip the buffer and run one loop per row.

use wgarray_core::{DType, Result};
use wgarray_device::CpuBuffer;

use rayon::prelude::*;

use super::cast::cast;
use super::pairwise::run_scan;
use super::run::{kernel, run};
use super::strided::{pieces, Shared};
use crate::ops::{Loop, Scalar};

/// Fewer rows than this scan row by row: one vectorised call per position
/// only pays when it covers many rows.
const ACROSS_ROWS_MIN: usize = 16;

/// The running fold of `op` along `axis`, rows in C order of the other axes,
/// cast into `out` (contiguous `[rows, shape[axis]]`, dtype `out_dtype`).
///
/// # Safety
/// `input` must lie, with `strides` (elements) over `shape`, inside a live
/// buffer of `in_dtype`; `out` must hold every element in `out_dtype`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn scan(
    op: Scalar,
    acc: DType,
    in_dtype: DType,
    input: *const u8,
    shape: &[usize],
    strides: &[isize],
    axis: usize,
    out_dtype: DType,
    out: *mut u8,
) -> Result<()> {
    let order: Vec<usize> = (0..shape.len()).filter(|&a| a != axis).chain(std::iter::once(axis)).collect();
    let pshape: Vec<usize> = order.iter().map(|&a| shape[a]).collect();
    let pstrides: Vec<isize> = order.iter().map(|&a| strides[a]).collect();
    let total: usize = shape.iter().product();
    if total == 0 {
        return Ok(());
    }
    let (len, rows) = (shape[axis], total / shape[axis]);
    let isz = acc.itemsize();
    if let (Some(g), true) = (run_scan(op, acc), rows < ACROSS_ROWS_MIN && in_dtype == acc && out_dtype == acc) {
        // Few rows, no conversions: each row straight from the input into
        // the output, one monomorphised loop per row (rows in parallel).
        let nd = pshape.len();
        let (input, out) = (Shared(input), Shared(out));
        let row = |r: usize| {
            let (input, out) = (input, out);
            let (mut rem, mut at) = (r, 0isize);
            for d in (0..nd - 1).rev() {
                at += (rem % pshape[d]) as isize * pstrides[d];
                rem /= pshape[d];
            }
            // SAFETY: the row lies inside the input (the caller's layout) and the output.
            unsafe { g(input.0.wrapping_offset(at * isz as isize), pstrides[nd - 1] * isz as isize, out.0.add(r * len * isz), len) };
        };
        if rows > 1 && pieces(total) > 1 {
            (0..rows).into_par_iter().for_each(row);
        } else {
            (0..rows).for_each(row);
        }
        return Ok(());
    }
    let buf = CpuBuffer::uninit(total * isz)?;
    let base = buf.as_ptr();
    let contiguous = wgarray_core::layout::c_strides(&pshape);
    unsafe { cast(&pshape, in_dtype, (input, &pstrides), acc, (base, &contiguous)) };
    let lp = Loop { inputs: wgarray_core::dims![acc, acc], outputs: wgarray_core::dims![acc] };
    if rows < ACROSS_ROWS_MIN {
        let f = kernel(op, &lp);
        let b = Shared(base);
        let s = isz as isize;
        let row = |r: usize| {
            let b = b;
            let p = unsafe { b.0.add(r * len * isz) };
            for k in 1..len {
                unsafe { f(&[p.add((k - 1) * isz), p.add(k * isz), p.add(k * isz)], &[s, s, s], 1) };
            }
        };
        if pieces(total) > 1 {
            (0..rows).into_par_iter().for_each(row);
        } else {
            (0..rows).for_each(row);
        }
        unsafe { cast(&[total], acc, (base, &[1]), out_dtype, (out, &[1])) };
        return Ok(());
    }
    let st = [len as isize];
    for k in 1..len {
        unsafe {
            let prev = base.add((k - 1) * isz);
            let cur = base.add(k * isz);
            run(op, &lp, &[rows], &[prev, cur, cur], &[&st, &st, &st], &[isz, isz, isz]);
        }
    }
    unsafe { cast(&[total], acc, (base, &[1]), out_dtype, (out, &[1])) };
    Ok(())
}
