//! Scans on the CPU: the input is cast into a contiguous `[row, position]`
//! buffer of the accumulator dtype, then each position is folded into the
//! next across all rows at once with the op table's vectorised binary loop —
//! NumPy's order exactly.

use wgarray_core::{DType, Result};
use wgarray_device::CpuBuffer;

use super::cast::cast;
use super::run::run;
use crate::ops::{Loop, Scalar};

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
    let buf = CpuBuffer::zeroed(total * isz)?;
    let base = buf.as_ptr();
    let contiguous = wgarray_core::layout::c_strides(&pshape);
    unsafe { cast(&pshape, in_dtype, (input, &pstrides), acc, (base, &contiguous)) };
    let lp = Loop { inputs: vec![acc, acc], outputs: vec![acc] };
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
