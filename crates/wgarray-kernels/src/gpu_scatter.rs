//! Launches the scatter kernel (see `wgsl::scatter`) on a GPU.

use std::sync::Arc;

use wgarray_core::layout::coalesce;
use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::{put_words, windows, GpuOperand};
use crate::wgsl::scatter::{ScatterKernel, MAX_SCATTER_RANK, SCATTER_PARAMS_BYTES};

/// `out[dest[i]] = value[i]` (or the C-order index `i`) over `shape`, for
/// `dest[i] >= 0`; `out` contiguous from element `out_offset`, `out_len` long.
#[allow(clippy::too_many_arguments)]
pub fn run(
    ctx: &Arc<GpuContext>,
    value: Option<&GpuOperand>,
    dest: &GpuOperand,
    shape: &[usize],
    out: &GpuBuffer,
    out_dtype: DType,
    out_offset: usize,
    out_len: usize,
) -> Result<()> {
    let n: usize = shape.iter().product();
    if n == 0 || out_len == 0 {
        return Ok(()); // with no room, every destination is negative: nothing to write
    }
    if n > u32::MAX as usize {
        return Err(Error::NotImplemented("a scatter this large is not supported on GPUs yet".into()));
    }
    let zero: wgarray_core::Dims<isize> = wgarray_core::dims![0isize; shape.len()];
    let vst = value.map_or(&zero, |v| &v.strides);
    // Index mode needs C order: only coalesce when values are given.
    let (mut cshape, mut cst) = if value.is_some() { coalesce(shape, &[&dest.strides, vst]) } else { (shape.into(), wgarray_core::dims![dest.strides.clone(), zero.clone()]) };
    if cshape.is_empty() {
        // One element: an axis of one, so pieces are rows of the first axis.
        cshape.push(1);
        cst.iter_mut().for_each(|s| s.push(0));
    }
    if cshape.len() > MAX_SCATTER_RANK {
        return Err(Error::NotImplemented(format!("a scatter over more than {MAX_SCATTER_RANK} strided axes is not supported on GPUs yet")));
    }
    let align = ctx.binding_align().max(4) as i64;
    // Room for one binding's data after aligning its start down.
    let room = ctx.max_binding() as i64 - align;
    // Bytes `[lo, hi)` an operand touches over `rows` of the first axis from `offset`.
    let span = |dtype: DType, offset: i64, strides: &[isize], rows: usize| {
        let isz = dtype.itemsize() as i64;
        let (mut lo, mut hi) = (offset * isz, offset * isz + isz);
        for (d, (&len, &s)) in cshape.iter().zip(strides).enumerate() {
            let len = if d == 0 { rows } else { len };
            let ext = (len as i64 - 1) * s as i64 * isz;
            if ext < 0 { lo += ext } else { hi += ext }
        }
        (lo, hi)
    };
    let width = |(lo, hi): (i64, i64)| hi - lo / align * align;
    let fits = |rows: usize| {
        width(span(dest.dtype, dest.offset as i64, &cst[0], rows)) <= room
            && value.is_none_or(|v| width(span(v.dtype, v.offset as i64, &cst[1], rows)) <= room)
    };
    if !fits(1) {
        return Err(Error::NotImplemented("a scatter whose rows are wider than one storage binding is not supported on GPUs yet".into()));
    }
    let mut rows = cshape[0];
    while !fits(rows) {
        rows = rows.div_ceil(2);
    }
    let bind = |(lo, hi): (i64, i64), buffer: &GpuBuffer| -> (u64, u64) {
        let b = lo / align * align;
        (b as u64, ((hi - b) as u64).next_multiple_of(4).max(4).min(buffer.raw().size() - b as u64))
    };
    let osz = out_dtype.itemsize() as i64;
    let window = ((room / osz) as usize).min(out_len.max(1));
    let spec = ScatterKernel { value: value.map(|v| v.dtype), dest: dest.dtype, output: out_dtype, rank: cshape.len() };
    let (inputs, outputs) = spec.bindings();
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs, outputs }, |s| s.key(), |s| s.source())?;
    let units = |dtype: DType, s: isize| if dtype.is_subword() { (s * dtype.itemsize() as isize) as i32 as u32 } else { s as i32 as u32 };
    let inner: usize = cshape[1..].iter().product();
    let mut r0 = 0;
    while r0 < cshape[0] {
        let r1 = (r0 + rows).min(cshape[0]);
        let pn = (r1 - r0) * inner;
        // The piece's first element, and the binding and base of an operand over it.
        let first = |offset: usize, strides: &[isize]| offset as i64 + r0 as i64 * strides[0] as i64;
        let operand = |dtype: DType, first: i64, strides: &[isize], buffer: &GpuBuffer| {
            let (b, size) = bind(span(dtype, first, strides, r1 - r0), buffer);
            let unit = if dtype.is_subword() { 1 } else { dtype.itemsize() as i64 };
            ((b, size), ((first * dtype.itemsize() as i64 - b as i64) / unit) as u32)
        };
        let (db, dbase) = operand(dest.dtype, first(dest.offset, &cst[0]), &cst[0], dest.buffer);
        let mut base = [dbase, 0, 0, 0];
        let mut ins = vec![(dest.buffer, db.0, db.1)];
        if let Some(v) = value {
            let (vb, vbase) = operand(v.dtype, first(v.offset, &cst[1]), &cst[1], v.buffer);
            ins.push((v.buffer, vb.0, vb.1));
            base[1] = vbase;
        }
        for (w0, w1) in windows(out_len, window) {
            let o0 = (out_offset + w0) as i64;
            let (ob, os) = bind((o0 * osz, (out_offset + w1) as i64 * osz), out);
            base[2] = ((o0 * osz - ob as i64) / osz) as u32;
            let mut bindings: Vec<Binding> = ins.iter().map(|&(buffer, offset, size)| Binding { buffer, offset, size }).collect();
            bindings.push(Binding { buffer: out, offset: ob, size: os });
            let mut p = vec![0u8; SCATTER_PARAMS_BYTES];
            put_words(&mut p, 0, &[pn as u32, w0 as u32, w1 as u32, (r0 * inner) as u32]);
            for (d, &len) in cshape.iter().enumerate() {
                put_words(&mut p, 16 + 4 * d, &[if d == 0 { (r1 - r0) as u32 } else { len as u32 }]);
                put_words(&mut p, 64 + 4 * d, &[units(dest.dtype, cst[0][d])]);
                if let Some(v) = value {
                    put_words(&mut p, 48 + 4 * d, &[units(v.dtype, cst[1][d])]);
                }
            }
            put_words(&mut p, 32, &base);
            ctx.dispatch(&kernel, &bindings, &p, pn.div_ceil(256) as u32)?;
        }
        r0 = r1;
    }
    Ok(())
}
