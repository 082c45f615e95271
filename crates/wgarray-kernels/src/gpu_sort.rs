//! Launches the sort kernels (see `wgsl::sort`) on a GPU: keys, a block
//! sort in workgroup memory, then for each merge size above the block the
//! global steps down to the block and one workgroup-memory pass for the rest.

use std::sync::Arc;

use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::wgsl::sort::{key_words, SortKeys, SortStep, SORT_BLOCK, SORT_PARAMS_BYTES};

fn whole(b: &GpuBuffer, bytes: usize) -> Binding<'_> {
    Binding { buffer: b, offset: 0, size: bytes as u64 }
}

/// Stable argsort of `rows` C-contiguous rows of `len` elements of `dtype`
/// starting at element `offset` of `src`: a buffer of u32 positions, row `r`
/// at `r * stride` (the returned stride, `len` rounded up to a power of two).
/// Rows are sorted in groups that fit one storage binding each (every row
/// is sorted on its own); a single row wider than a binding is refused.
pub fn argsort(ctx: &Arc<GpuContext>, src: &GpuBuffer, dtype: DType, offset: usize, rows: usize, len: usize) -> Result<(GpuBuffer, usize)> {
    let npad = len.max(1).next_power_of_two();
    let total = rows * npad;
    let words = key_words(dtype) as usize;
    let isz = dtype.itemsize();
    let align = ctx.binding_align().max(4) as usize;
    let room = ctx.max_binding() as usize - align;
    if len > u32::MAX as usize / 2 || npad * words * 4 > room || len * isz > room {
        return Err(Error::NotImplemented("a sort whose rows are wider than one storage binding is not supported on GPUs yet".into()));
    }
    let pos = ctx.alloc((total * 4).max(4) as u64)?;
    if total == 0 || len == 0 {
        return Ok((pos, npad));
    }
    // Rows per group: their keys, positions and source fit a binding, and a
    // group's positions start on a binding boundary.
    let unit = (align / (npad * 4)).max(1);
    let fit = (room / (npad * words * 4)).min(room / (len * isz)).min(u32::MAX as usize / 2 / npad);
    let group = if rows <= fit { rows } else { fit / unit * unit };
    if group == 0 {
        return Err(Error::NotImplemented("a sort whose rows are wider than one storage binding is not supported on GPUs yet".into()));
    }
    let keys = ctx.alloc((group * npad * words * 4) as u64)?;
    let spec = SortKeys { src: dtype };
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs: 1, outputs: 2 }, |s| s.key(), |s| s.source())?;
    let local_spec = SortStep { words: words as u32, local: true };
    let local = ctx.kernel_for(&local_spec, KernelLayout { inputs: 0, outputs: 2 }, |s| s.key(), |s| s.source())?;
    let global_spec = SortStep { words: words as u32, local: false };
    let global = ctx.kernel_for(&global_spec, KernelLayout { inputs: 0, outputs: 2 }, |s| s.key(), |s| s.source())?;
    let block = SORT_BLOCK as usize;
    let mut r0 = 0;
    while r0 < rows {
        let g = group.min(rows - r0);
        let total = g * npad;
        let start = (offset + r0 * len) * isz;
        let bind = start / align * align;
        let size = (start + g * len * isz - bind).next_multiple_of(4).min(src.raw().size() as usize - bind);
        let params = |k: usize, j: usize, k_hi: usize| {
            let mut p = vec![0u8; SORT_PARAMS_BYTES];
            for (i, v) in [total, npad, len, start - bind, k, j, k_hi, 0].into_iter().enumerate() {
                p[4 * i..4 * i + 4].copy_from_slice(&(v as u32).to_le_bytes());
            }
            p
        };
        let keys_b = whole(&keys, total * words * 4);
        let pos_b = Binding { buffer: &pos, offset: (r0 * npad * 4) as u64, size: (total * 4) as u64 };
        let bindings = [Binding { buffer: src, offset: bind as u64, size: size as u64 }, keys_b, pos_b];
        ctx.dispatch(&kernel, &bindings, &params(0, 0, 0), total.div_ceil(256) as u32)?;
        if npad > 1 {
            let steps = [whole(&keys, total * words * 4), Binding { buffer: &pos, offset: (r0 * npad * 4) as u64, size: (total * 4) as u64 }];
            let local_groups = total.div_ceil(block) as u32;
            ctx.dispatch(&local, &steps, &params(2, 0, npad.min(block)), local_groups)?;
            let mut k = 2 * block;
            while k <= npad {
                let mut j = k / 2;
                while j >= block {
                    ctx.dispatch(&global, &steps, &params(k, j, 0), (total / 2).div_ceil(256) as u32)?;
                    j /= 2;
                }
                ctx.dispatch(&local, &steps, &params(k, 0, k), local_groups)?;
                k *= 2;
            }
        }
        r0 += g;
    }
    Ok((pos, npad))
}
