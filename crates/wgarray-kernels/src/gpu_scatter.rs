//! Launches the scatter kernel (see `wgsl::scatter`) on a GPU.

use std::sync::Arc;

use wgarray_core::layout::coalesce;
use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::GpuOperand;
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
    let (cshape, cst) = if value.is_some() { coalesce(shape, &[&dest.strides, vst]) } else { (shape.into(), wgarray_core::dims![dest.strides.clone(), zero.clone()]) };
    if cshape.len() > MAX_SCATTER_RANK {
        return Err(Error::NotImplemented(format!("a scatter over more than {MAX_SCATTER_RANK} strided axes is not supported on GPUs yet")));
    }
    let align = ctx.binding_align().max(4) as i64;
    let limit = ctx.max_binding() as i64;
    let window = |buffer: &'_ GpuBuffer, dtype: DType, offset: usize, strides: &[isize]| -> Result<(u64, u64, u32)> {
        let isz = dtype.itemsize() as i64;
        let (mut lo, mut hi) = (offset as i64 * isz, offset as i64 * isz + isz);
        for (&d, &s) in cshape.iter().zip(strides) {
            let ext = (d as i64 - 1) * s as i64 * isz;
            if ext < 0 { lo += ext } else { hi += ext }
        }
        let bind = lo / align * align;
        if hi - bind > limit {
            return Err(Error::NotImplemented("a scatter reading more than one storage binding is not supported on GPUs yet".into()));
        }
        let unit = if dtype.is_subword() { 1 } else { isz };
        let size = ((hi - bind) as u64).next_multiple_of(4).min(buffer.raw().size() - bind as u64);
        Ok((bind as u64, size, ((offset as i64 * isz - bind) / unit) as u32))
    };
    let (db, ds, dbase) = window(dest.buffer, dest.dtype, dest.offset, &cst[0])?;
    let mut bindings = vec![Binding { buffer: dest.buffer, offset: db, size: ds }];
    let mut base = [dbase, 0, 0, 0];
    if let Some(v) = value {
        let (vb, vs, vbase) = window(v.buffer, v.dtype, v.offset, &cst[1])?;
        bindings.push(Binding { buffer: v.buffer, offset: vb, size: vs });
        base[1] = vbase;
    }
    let osz = out_dtype.itemsize() as u64;
    let ob = (out_offset as u64 * osz) / align as u64 * align as u64;
    let obytes = out_offset as u64 * osz + out_len as u64 * osz - ob;
    if obytes > limit as u64 {
        return Err(Error::NotImplemented("a scatter writing more than one storage binding is not supported on GPUs yet".into()));
    }
    bindings.push(Binding { buffer: out, offset: ob, size: obytes.next_multiple_of(4).max(4).min(out.raw().size() - ob) });
    base[2] = ((out_offset as u64 * osz - ob) / osz) as u32;
    let spec = ScatterKernel { value: value.map(|v| v.dtype), dest: dest.dtype, output: out_dtype, rank: cshape.len() };
    let (inputs, outputs) = spec.bindings();
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs, outputs }, |s| s.key(), |s| s.source())?;
    let mut p = vec![0u8; SCATTER_PARAMS_BYTES];
    let put = |p: &mut Vec<u8>, at: usize, v: u32| p[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put(&mut p, 0, n as u32);
    let units = |dtype: DType, s: isize| if dtype.is_subword() { (s * dtype.itemsize() as isize) as i32 as u32 } else { s as i32 as u32 };
    for (d, &len) in cshape.iter().enumerate() {
        put(&mut p, 16 + 4 * d, len as u32);
        put(&mut p, 64 + 4 * d, units(dest.dtype, cst[0][d]));
        if let Some(v) = value {
            put(&mut p, 48 + 4 * d, units(v.dtype, cst[1][d]));
        }
    }
    for (k, &b) in base.iter().enumerate() {
        put(&mut p, 32 + 4 * k, b);
    }
    ctx.dispatch(&kernel, &bindings, &p, n.div_ceil(256) as u32)
}
