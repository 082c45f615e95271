//! Launches the gather kernel (see `wgsl::gather`) on a GPU.

use std::sync::Arc;

use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::GpuOperand;
use crate::wgsl::gather::{GatherKernel, GATHER_PARAMS_BYTES, MAX_GATHER_RANK};

/// `out[i] = src_flat[idx[i]]` over `shape` (the index array's); `src` is
/// C-contiguous from `src.offset`, `src_len` elements; `out` contiguous.
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
    if shape.len() > MAX_GATHER_RANK || n > u32::MAX as usize {
        return Err(Error::NotImplemented("a gather this large or with this many index axes is not supported on GPUs yet".into()));
    }
    let align = ctx.binding_align().max(4) as i64;
    let limit = ctx.max_binding() as i64;
    let window = |lo: i64, hi: i64, buffer: &GpuBuffer| -> Result<(u64, u64)> {
        let bind = lo / align * align;
        if hi - bind > limit {
            return Err(Error::NotImplemented("a gather over more than one storage binding is not supported on GPUs yet".into()));
        }
        Ok((bind as u64, ((hi - bind) as u64).next_multiple_of(4).max(4).min(buffer.raw().size() - bind as u64)))
    };
    let isz = idx.dtype.itemsize() as i64;
    let (mut lo, mut hi) = (idx.offset as i64 * isz, idx.offset as i64 * isz + isz);
    for (&d, &s) in shape.iter().zip(&idx.strides) {
        let ext = (d as i64 - 1) * s as i64 * isz;
        if ext < 0 { lo += ext } else { hi += ext }
    }
    let (ib, is) = window(lo, hi, idx.buffer)?;
    let ssz = src.dtype.itemsize() as i64;
    let (sb, ss) = window(src.offset as i64 * ssz, (src.offset + src_len.max(1)) as i64 * ssz, src.buffer)?;
    let osz = out_dtype.itemsize() as i64;
    let (ob, os) = window(out_offset as i64 * osz, (out_offset + n) as i64 * osz, out)?;
    let sunit = if src.dtype.is_subword() { 1 } else { ssz };
    let base = [
        ((idx.offset as i64 * isz - ib as i64) / isz) as u32,
        ((src.offset as i64 * ssz - sb as i64) / sunit) as u32,
        ((out_offset as i64 * osz - ob as i64) / osz) as u32,
        0,
    ];
    let bindings = vec![
        Binding { buffer: idx.buffer, offset: ib, size: is },
        Binding { buffer: src.buffer, offset: sb, size: ss },
        Binding { buffer: out, offset: ob, size: os },
    ];
    let spec = GatherKernel { src: src.dtype, idx: idx.dtype, output: out_dtype, rank: shape.len() };
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs: 2, outputs: 1 }, |s| s.key(), |s| s.source())?;
    let mut p = vec![0u8; GATHER_PARAMS_BYTES];
    let put = |p: &mut Vec<u8>, at: usize, v: u32| p[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put(&mut p, 0, n as u32);
    for (d, (&len, &s)) in shape.iter().zip(&idx.strides).enumerate() {
        put(&mut p, 16 + 4 * d, len as u32);
        put(&mut p, 48 + 4 * d, s as i32 as u32);
    }
    for (k, &b) in base.iter().enumerate() {
        put(&mut p, 32 + 4 * k, b);
    }
    ctx.dispatch(&kernel, &bindings, &p, n.div_ceil(256) as u32)
}
