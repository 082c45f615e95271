//! Launches the gather kernel (see `wgsl::gather`) on a GPU.

use std::sync::Arc;

use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::{put_words, windows, GpuOperand};
use crate::wgsl::gather::{GatherKernel, GATHER_PARAMS_BYTES, MAX_GATHER_RANK};

/// `out[i] = src_flat[idx[i]]` over `shape` (the index array's); `src` is
/// C-contiguous from `src.offset`, `src_len` elements; `out` contiguous.
/// Work wider than one storage binding is split: the index array and the
/// output along the index array's first axis, the source into windows of
/// positions (each launch writes the elements whose index falls in its
/// window).
#[allow(clippy::too_many_arguments)]
pub fn run(
    ctx: &Arc<GpuContext>,
    src: &GpuOperand,
    src_len: usize,
    idx: &GpuOperand,
    shape: &[usize],
    out: &GpuBuffer,
    out_dtype: DType,
    out_offset: usize,
) -> Result<()> {
    let n: usize = shape.iter().product();
    if n == 0 {
        return Ok(());
    }
    if shape.len() > MAX_GATHER_RANK || n > u32::MAX as usize || src_len > u32::MAX as usize {
        return Err(Error::NotImplemented("a gather this large or with this many index axes is not supported on GPUs yet".into()));
    }
    let align = ctx.binding_align().max(4) as i64;
    // Room for one binding's data after aligning its start down.
    let room = ctx.max_binding() as i64 - align;
    let (isz, ssz, osz) = (idx.dtype.itemsize() as i64, src.dtype.itemsize() as i64, out_dtype.itemsize() as i64);
    // Rows of the first axis per piece: the output and the index span fit.
    let inner: usize = shape[1..].iter().product();
    let idx_span = |rows: usize| {
        let (mut lo, mut hi) = (0i64, isz);
        for (d, (&len, &s)) in shape.iter().zip(&idx.strides).enumerate() {
            let len = if d == 0 { rows } else { len };
            let ext = (len as i64 - 1) * s as i64 * isz;
            if ext < 0 { lo += ext } else { hi += ext }
        }
        hi - lo
    };
    let fits = |rows: usize| (rows * inner) as i64 * osz <= room && idx_span(rows) <= room;
    if !fits(1) {
        return Err(Error::NotImplemented("a gather whose index rows are wider than one storage binding is not supported on GPUs yet".into()));
    }
    let mut rows = shape[0];
    while !fits(rows) {
        rows = rows.div_ceil(2);
    }
    // Source positions per window.
    let window = ((room / ssz) as usize).min(src_len.max(1));
    let spec = GatherKernel { src: src.dtype, idx: idx.dtype, output: out_dtype, rank: shape.len() };
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs: 2, outputs: 1 }, |s| s.key(), |s| s.source())?;
    let bind = |lo: i64, hi: i64, buffer: &GpuBuffer| -> (u64, u64) {
        let b = lo / align * align;
        (b as u64, ((hi - b) as u64).next_multiple_of(4).max(4).min(buffer.raw().size() - b as u64))
    };
    let sunit = if src.dtype.is_subword() { 1 } else { ssz };
    let mut r0 = 0;
    while r0 < shape[0] {
        let r1 = (r0 + rows).min(shape[0]);
        let mut piece = shape.to_vec();
        piece[0] = r1 - r0;
        let pn = (r1 - r0) * inner;
        let at = idx.offset as i64 + r0 as i64 * idx.strides[0] as i64;
        let (mut lo, mut hi) = (at * isz, at * isz + isz);
        for (&d, &s) in piece.iter().zip(&idx.strides) {
            let ext = (d as i64 - 1) * s as i64 * isz;
            if ext < 0 { lo += ext } else { hi += ext }
        }
        let (ib, is) = bind(lo, hi, idx.buffer);
        let o0 = (out_offset + r0 * inner) as i64;
        let (ob, os) = bind(o0 * osz, (o0 + pn as i64) * osz, out);
        for (w0, w1) in windows(src_len, window) {
            let s0 = (src.offset + w0) as i64;
            let (sb, ss) = bind(s0 * ssz, (src.offset + w1.max(w0 + 1)) as i64 * ssz, src.buffer);
            let base = [((at * isz - ib as i64) / isz) as u32, ((s0 * ssz - sb as i64) / sunit) as u32, ((o0 * osz - ob as i64) / osz) as u32, 0];
            let bindings = [
                Binding { buffer: idx.buffer, offset: ib, size: is },
                Binding { buffer: src.buffer, offset: sb, size: ss },
                Binding { buffer: out, offset: ob, size: os },
            ];
            let mut p = vec![0u8; GATHER_PARAMS_BYTES];
            put_words(&mut p, 0, &[pn as u32, w0 as u32, w1 as u32]);
            for (d, (&len, &s)) in piece.iter().zip(&idx.strides).enumerate() {
                put_words(&mut p, 16 + 4 * d, &[len as u32]);
                put_words(&mut p, 48 + 4 * d, &[s as i32 as u32]);
            }
            put_words(&mut p, 32, &base);
            ctx.dispatch(&kernel, &bindings, &p, pn.div_ceil(256) as u32)?;
        }
        r0 = r1;
    }
    Ok(())
}
