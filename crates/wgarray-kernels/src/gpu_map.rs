//! Launches map kernels on a GPU. The iteration space is coalesced, then cut
//! into chunks whose every operand fits one storage binding (arrays larger
//! than `max_storage_buffer_binding_size` work) and whose rank fits the
//! kernel; each chunk is one dispatch, on a 2-D grid when it needs more than
//! 65535 workgroups.

use std::sync::Arc;

use wgarray_core::layout::coalesce;
use wgarray_core::{DType, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout, WORKGROUP_SIZE};

use crate::wgsl::map::{max_rank, params, FusedBody};
use crate::wgsl::{MapKernel, OutMode};

/// One operand of a GPU map: a buffer, its dtype, and its layout over the
/// iteration shape (strides and offset in elements).
pub struct GpuOperand<'a> {
    /// The buffer.
    pub buffer: &'a GpuBuffer,
    /// Stored dtype.
    pub dtype: DType,
    /// Strides in elements, one per axis of the iteration shape.
    pub strides: wgarray_core::Dims<isize>,
    /// Offset of element `[0, …]`, in elements.
    pub offset: usize,
}

/// What the kernel computes: the loop dtypes and expression (see `MapKernel`).
pub struct MapOp {
    /// Loop input dtypes.
    pub loop_in: wgarray_core::Dims<DType>,
    /// Loop output dtype.
    pub loop_out: DType,
    /// WGSL expression over `a0`, `a1`, ….
    pub expr: String,
    /// A sum of products over an inner axis: its length and the two inputs'
    /// strides along it (elements).
    pub inner: Option<(usize, [isize; 2])>,
    /// A fused expression's steps (`expr` then names the last one).
    pub fused: Option<FusedBody>,
}

struct Chunk {
    shape: wgarray_core::Dims<usize>,
    strides: wgarray_core::Dims<wgarray_core::Dims<isize>>, // bytes
    offsets: Vec<i64>,        // bytes
    /// Extra bytes each operand's reads reach below/above the iteration
    /// shape's span (the inner axis of a sum of products).
    reach: Vec<(i64, i64)>,
}

/// Runs `op` over `shape`, reading `inputs` and writing `out`.
pub fn run(ctx: &Arc<GpuContext>, op: &MapOp, shape: &[usize], inputs: &[GpuOperand], out: &GpuOperand) -> Result<()> {
    if shape.iter().product::<usize>() == 0 {
        return Ok(());
    }
    let ops: Vec<&GpuOperand> = inputs.iter().chain(std::iter::once(out)).collect();
    let strides: Vec<&[isize]> = ops.iter().map(|o| o.strides.as_slice()).collect();
    let (shape, strides) = coalesce(shape, &strides);
    let reach = ops
        .iter()
        .enumerate()
        .map(|(k, o)| match op.inner {
            Some((len, st)) if k < 2 && len > 0 => {
                let ext = (len as i64 - 1) * st[k] as i64 * o.dtype.itemsize() as i64;
                (ext.min(0), ext.max(0))
            }
            _ => (0, 0),
        })
        .collect();
    let chunk = Chunk {
        reach,
        strides: strides
            .iter()
            .zip(&ops)
            .map(|(s, o)| s.iter().map(|&v| v * o.dtype.itemsize() as isize).collect())
            .collect(),
        offsets: ops.iter().map(|o| (o.offset * o.dtype.itemsize()) as i64).collect(),
        shape,
    };
    let limit = ctx.max_binding() - ctx.binding_align().max(4);
    split(&chunk, &ops, limit, &mut |c| launch(ctx, op, c, &ops))
}

/// Writes little-endian `words` into a parameter block from byte `at`.
pub(crate) fn put_words(p: &mut [u8], at: usize, words: &[u32]) {
    for (k, w) in words.iter().enumerate() {
        p[at + 4 * k..at + 4 * k + 4].copy_from_slice(&w.to_le_bytes());
    }
}

/// `[start, end)` ranges of at most `step` covering `0..len` (one empty
/// range when `len` is 0): the windows a launcher runs one binding each.
pub(crate) fn windows(len: usize, step: usize) -> impl Iterator<Item = (usize, usize)> {
    let step = step.max(1);
    (0..len.max(1).div_ceil(step)).map(move |i| (i * step, ((i + 1) * step).min(len)))
}

/// Byte range [lo, hi) an operand touches in a chunk.
fn span(c: &Chunk, k: usize, itemsize: usize) -> (i64, i64) {
    let (mut lo, mut hi) = (c.offsets[k] + c.reach[k].0, c.offsets[k] + itemsize as i64 + c.reach[k].1);
    for (&d, &s) in c.shape.iter().zip(&c.strides[k]) {
        let ext = (d as i64 - 1) * s as i64;
        if ext < 0 {
            lo += ext;
        } else {
            hi += ext;
        }
    }
    (lo, hi)
}

fn split(c: &Chunk, ops: &[&GpuOperand], limit: u64, emit: &mut dyn FnMut(&Chunk) -> Result<()>) -> Result<()> {
    let fits = |c: &Chunk| {
        ops.iter().enumerate().all(|(k, o)| {
            let (lo, hi) = span(c, k, o.dtype.itemsize());
            (hi - lo) as u64 <= limit
        })
    };
    let max_rank = max_rank(ops.len());
    if c.shape.len() <= max_rank && fits(c) {
        return emit(c);
    }
    if c.shape.is_empty() {
        return Err(wgarray_core::Error::NotImplemented(
            "an operand's inner axis spans more than one storage binding; this size is not supported on this device yet".into(),
        ));
    }
    // Rows of axis 0 per chunk, if whole rows fit.
    let rest = Chunk {
        shape: c.shape[1..].into(),
        strides: c.strides.iter().map(|s| s[1..].into()).collect(),
        offsets: c.offsets.clone(),
        reach: c.reach.clone(),
    };
    let mut rows = c.shape[0] as u64;
    if c.shape.len() <= max_rank {
        for (k, o) in ops.iter().enumerate() {
            let (lo, hi) = span(&rest, k, o.dtype.itemsize());
            let s0 = c.strides[k][0].unsigned_abs() as u64;
            let inner = (hi - lo) as u64;
            if let Some(fit) = (limit.saturating_sub(inner)).checked_div(s0) {
                rows = rows.min(if inner > limit { 0 } else { fit + 1 });
            }
        }
    } else {
        rows = 0;
    }
    if rows == 0 {
        // Peel axis 0 one index at a time.
        for i in 0..c.shape[0] {
            let sub = Chunk {
                shape: rest.shape.clone(),
                strides: rest.strides.clone(),
                offsets: c.offsets.iter().zip(&c.strides).map(|(&o, s)| o + i as i64 * s[0] as i64).collect(),
                reach: c.reach.clone(),
            };
            split(&sub, ops, limit, emit)?;
        }
        return Ok(());
    }
    let mut start = 0usize;
    while start < c.shape[0] {
        let n = (rows as usize).min(c.shape[0] - start);
        let mut shape = c.shape.clone();
        shape[0] = n;
        let sub = Chunk {
            shape,
            strides: c.strides.clone(),
            offsets: c.offsets.iter().zip(&c.strides).map(|(&o, s)| o + start as i64 * s[0] as i64).collect(),
            reach: c.reach.clone(),
        };
        emit(&sub)?;
        start += n;
    }
    Ok(())
}

fn is_c_contiguous_bytes(shape: &[usize], strides: &[isize], itemsize: usize) -> bool {
    let mut expected = itemsize as isize;
    for (&d, &s) in shape.iter().zip(strides).rev() {
        if d != 1 && s != expected {
            return false;
        }
        expected *= d as isize;
    }
    true
}

fn launch(ctx: &Arc<GpuContext>, op: &MapOp, c: &Chunk, ops: &[&GpuOperand]) -> Result<()> {
    let align = ctx.binding_align().max(4) as i64;
    let nin = ops.len() - 1;
    let out = ops[nin];
    let mut bindings = Vec::with_capacity(ops.len());
    let mut base = Vec::with_capacity(ops.len());
    let mut strides = Vec::with_capacity(ops.len());
    for (k, o) in ops.iter().enumerate() {
        let isz = o.dtype.itemsize() as i64;
        let (lo, hi) = span(c, k, isz as usize);
        let bind = lo / align * align;
        let size = ((hi - bind) as u64).next_multiple_of(4).min(o.buffer.raw().size() - bind as u64);
        bindings.push(Binding { buffer: o.buffer, offset: bind as u64, size });
        // Wide dtypes are addressed in elements, byte-compact ones in bytes.
        let unit = if o.dtype.is_subword() { 1 } else { isz };
        base.push(((c.offsets[k] - bind) / unit) as u32);
        strides.push(c.strides[k].iter().map(|&s| s / unit as isize).collect::<Vec<_>>());
    }
    let n = c.shape.iter().product::<usize>() as u64;
    let mode = if !out.dtype.is_subword() {
        OutMode::Element
    } else if is_c_contiguous_bytes(&c.shape, &c.strides[nin], out.dtype.itemsize()) {
        OutMode::PackedWords
    } else {
        OutMode::Atomic
    };
    let threads = match mode {
        OutMode::PackedWords => (base[nin] as u64 % 4 + n * out.dtype.itemsize() as u64).div_ceil(4),
        _ => n,
    };
    let spec = MapKernel {
        inputs: ops[..nin].iter().map(|o| o.dtype).collect(),
        loop_in: op.loop_in.clone(),
        loop_out: op.loop_out,
        output: out.dtype,
        expr: op.expr.clone(),
        rank: c.shape.len(),
        mode,
        inner: op.inner.is_some(),
        fused: op.fused.clone(),
    };
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs: nin as u32, outputs: 1 }, |s| s.key(), |s| s.source())?;
    let mut p = params(n as u32, &c.shape, &base, &strides);
    if let Some((len, st)) = op.inner {
        // The inner axis's length and the inputs' strides along it, in each
        // operand's addressing unit.
        let unit = |k: usize| if ops[k].dtype.is_subword() { 1 } else { ops[k].dtype.itemsize() as isize };
        let st_units = [st[0] * ops[0].dtype.itemsize() as isize / unit(0), st[1] * ops[1].dtype.itemsize() as isize / unit(1)];
        p[4..8].copy_from_slice(&(len as u32).to_le_bytes());
        p[8..12].copy_from_slice(&(st_units[0] as i32 as u32).to_le_bytes());
        p[12..16].copy_from_slice(&(st_units[1] as i32 as u32).to_le_bytes());
    }
    ctx.dispatch(&kernel, &bindings, &p, threads.div_ceil(WORKGROUP_SIZE as u64) as u32)
}
