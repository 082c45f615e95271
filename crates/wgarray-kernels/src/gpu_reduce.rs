//! Launches reduction kernels on a GPU (see `wgsl::reduce`): the kept and
//! reduced axes are coalesced separately, a tree reduction runs in passes
//! until one partial per output is left, and results land contiguously in
//! the accumulator's partial dtype.

use std::sync::Arc;

use wgarray_core::layout::coalesce;
use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::GpuOperand;
use crate::wgsl::reduce::{TREE_PER_THREAD, 
    partial_dtype, FusedLoad, Neutral, ReduceKernel, ReduceMode, FUSED_BASES_AT, FUSED_REDUCE_LEAVES, FUSED_REDUCE_PARAMS_BYTES,
    FUSED_REDUCE_RANK, FUSED_STRIDES_AT, MAX_REDUCE_RANK, REDUCE_PARAMS_BYTES, REDUCE_THREADS,
};

/// What a reduction computes.
pub struct ReduceOp {
    /// The dtype the operation runs in.
    pub acc: DType,
    /// WGSL expression over `a0`, `a1` (values of `acc`).
    pub expr: String,
    /// Tree (reorderable) or serial (in order).
    pub mode: ReduceMode,
    /// Where a tree's threads start.
    pub neutral: Neutral,
    /// The subgroup builtin equal to the operation, if any
    /// (`wgsl::reduce::subgroup_op`); trees use it where the device has
    /// subgroup operations.
    pub subgroup: Option<&'static str>,
}

/// Elements per tree thread (see `TREE_PER_THREAD`).
const PER_THREAD: usize = TREE_PER_THREAD;

/// A tree pass's shape over rows of `r_len`: threads per output (`lanes`),
/// elements per thread and chunks per output. Rows up to 128 · PER_THREAD
/// long take the fewest lanes (at least 32) that fold them in one chunk, so
/// a workgroup folds several short rows (H100, sum over axis 1 of
/// 10000×1000 float32: lanes 64 instead of one row per 256 threads).
fn tree_shape(r_len: usize) -> (u32, usize, usize) {
    let lanes = r_len.div_ceil(PER_THREAD).next_power_of_two().clamp(32, REDUCE_THREADS as usize);
    let per_thread = r_len.div_ceil(lanes).clamp(1, PER_THREAD).next_multiple_of(4);
    (lanes as u32, per_thread, r_len.div_ceil(per_thread * lanes))
}

/// Workgroups of a tree pass: one per chunk, or one per 256 / `lanes` outputs.
fn tree_workgroups(n_out: usize, groups: usize, lanes: u32) -> usize {
    if lanes == REDUCE_THREADS { n_out * groups } else { n_out.div_ceil((REDUCE_THREADS / lanes) as usize) }
}

/// Reduces `input` (laid out over `shape`) over the axes where `reduced` is
/// true into `out`: one element per kept index (C order), contiguous, in
/// `partial_dtype(op.acc)`, starting at element `out_offset`. A serial
/// reduction may start from `start` (one element of that dtype). Every
/// reduced extent must be nonzero.
#[allow(clippy::too_many_arguments)]
pub fn run(
    ctx: &Arc<GpuContext>,
    op: &ReduceOp,
    input: &GpuOperand,
    shape: &[usize],
    reduced: &[bool],
    out: &GpuBuffer,
    out_offset: usize,
    start: Option<&GpuOperand>,
) -> Result<()> {
    let pick = |keep: bool| -> (Vec<usize>, Vec<isize>) {
        let axes: Vec<usize> = (0..shape.len()).filter(|&a| reduced[a] != keep).collect();
        let sh: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
        let st: Vec<isize> = axes.iter().map(|&a| input.strides[a]).collect();
        let (sh, st) = coalesce(&sh, &[&st]);
        (sh.to_vec(), st.into_iter().next().unwrap().to_vec())
    };
    let (kshape, kstrides) = pick(true);
    let (rshape, rstrides) = pick(false);
    if kshape.iter().product::<usize>() == 0 {
        return Ok(());
    }
    if kshape.len() > MAX_REDUCE_RANK || rshape.len() > MAX_REDUCE_RANK {
        return Err(Error::NotImplemented(format!(
            "a reduction whose kept or reduced axes do not merge into {MAX_REDUCE_RANK} strided axes is not supported on GPUs yet"
        )));
    }
    let src = Source { buffer: input.buffer, dtype: input.dtype, offset: input.offset, kshape, kstrides, rshape, rstrides, resume: false, red_range: None };
    pass(ctx, op, &src, out, out_offset, start)
}

/// Reduces a fused program's result without storing it: `load` computes
/// the program (result dtype `input`) from `leaves`, each laid out over
/// `shape`; the tree's first pass reads the leaves, later passes its
/// partials. Returns false, having done nothing, where the kernel cannot
/// (not a tree, too many axes once coalesced, a leaf wider than one
/// binding) or where the unfused reduction would split its input (which
/// orders the sum differently): the caller then computes the program and
/// reduces that, with the same result.
#[allow(clippy::too_many_arguments)]
pub fn run_fused(
    ctx: &Arc<GpuContext>,
    op: &ReduceOp,
    load: FusedLoad,
    input: DType,
    leaves: &[GpuOperand],
    shape: &[usize],
    reduced: &[bool],
    out: &GpuBuffer,
    out_offset: usize,
) -> Result<bool> {
    let total: usize = shape.iter().product();
    if op.mode != ReduceMode::Tree || leaves.is_empty() || leaves.len() > FUSED_REDUCE_LEAVES || total == 0 {
        return Ok(false);
    }
    if (total * input.itemsize()) as u64 > ctx.max_binding() {
        return Ok(false);
    }
    let pick = |keep: bool| {
        let axes: Vec<usize> = (0..shape.len()).filter(|&a| reduced[a] != keep).collect();
        let sh: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
        let st: Vec<Vec<isize>> = leaves.iter().map(|l| axes.iter().map(|&a| l.strides[a]).collect()).collect();
        let refs: Vec<&[isize]> = st.iter().map(|v| v.as_slice()).collect();
        coalesce(&sh, &refs)
    };
    let (kshape, kstrides) = pick(true);
    let (rshape, rstrides) = pick(false);
    let (kr, rr) = (kshape.len(), rshape.len());
    if kr + rr > FUSED_REDUCE_RANK {
        return Ok(false);
    }
    let n_out: usize = kshape.iter().product();
    let r_len: usize = rshape.iter().product();
    let (lanes, per_thread, groups) = tree_shape(r_len);
    if n_out.checked_mul(groups).is_none_or(|t| t > u32::MAX as usize) {
        return Ok(false);
    }
    let align = ctx.binding_align().max(4) as i64;
    let limit = ctx.max_binding() as i64;
    let mut bindings = Vec::with_capacity(leaves.len() + 1);
    let mut p = vec![0u8; FUSED_REDUCE_PARAMS_BYTES];
    let put = |p: &mut Vec<u8>, at: usize, v: u32| p[at..at + 4].copy_from_slice(&v.to_le_bytes());
    for (k, l) in leaves.iter().enumerate() {
        let isz = l.dtype.itemsize() as i64;
        let (mut lo, mut hi) = (l.offset as i64 * isz, l.offset as i64 * isz + isz);
        for (&d, &st) in kshape.iter().zip(&kstrides[k]).chain(rshape.iter().zip(&rstrides[k])) {
            let ext = (d as i64 - 1) * st as i64 * isz;
            if ext < 0 {
                lo += ext;
            } else {
                hi += ext;
            }
        }
        let bind = lo / align * align;
        if hi - bind > limit {
            return Ok(false);
        }
        let size = ((hi - bind) as u64).next_multiple_of(4).min(l.buffer.raw().size() - bind as u64);
        bindings.push(Binding { buffer: l.buffer, offset: bind as u64, size });
        // Wide dtypes are addressed in elements, byte-compact ones in bytes.
        let unit = if l.dtype.is_subword() { 1 } else { isz };
        put(&mut p, FUSED_BASES_AT + 4 * k, ((l.offset as i64 * isz - bind) / unit) as u32);
        for (d, &st) in kstrides[k].iter().chain(&rstrides[k]).enumerate() {
            put(&mut p, FUSED_STRIDES_AT + 16 * k + 4 * d, (st as i64 * isz / unit) as i32 as u32);
        }
    }
    let part = partial_dtype(op.acc);
    let isz = part.itemsize() as u64;
    let partials = if groups > 1 { Some(ctx.alloc((n_out * groups) as u64 * isz)?) } else { None };
    let (dst, dst_offset) = match &partials {
        Some(b) => (b, 0),
        None => (out, out_offset),
    };
    let ob = (dst_offset as u64 * isz) / align as u64 * align as u64;
    let out_bytes = dst_offset as u64 * isz + (n_out * groups) as u64 * isz - ob;
    if out_bytes > limit as u64 {
        return Ok(false);
    }
    bindings.push(Binding { buffer: dst, offset: ob, size: out_bytes.next_multiple_of(4).min(dst.raw().size() - ob) });
    put(&mut p, 0, n_out as u32);
    put(&mut p, 4, r_len as u32);
    put(&mut p, 8, per_thread as u32);
    put(&mut p, 12, groups as u32);
    for (d, &len) in kshape.iter().enumerate() {
        put(&mut p, 16 + 4 * d, len as u32);
    }
    for (d, &len) in rshape.iter().enumerate() {
        put(&mut p, 32 + 4 * d, len as u32);
    }
    put(&mut p, 52, ((dst_offset as u64 * isz - ob) / isz) as u32);
    let spec = ReduceKernel {
        input,
        acc: op.acc,
        output: part,
        expr: op.expr.clone(),
        mode: ReduceMode::Tree,
        neutral: op.neutral.clone(),
        start: false,
        kept_rank: kr,
        red_rank: rr,
        subgroup: op.subgroup.filter(|_| ctx.has_subgroups() && lanes == REDUCE_THREADS),
        fused: Some(load),
        lanes,
    };
    let (inputs, outputs) = spec.bindings();
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs, outputs }, |s| s.key(), |s| s.source())?;
    ctx.dispatch(&kernel, &bindings, &p, tree_workgroups(n_out, groups, lanes) as u32)?;
    if let Some(partials) = &partials {
        pass(ctx, op, &partials_source(partials, part, n_out, groups), out, out_offset, None)?;
    }
    Ok(true)
}

/// `ufunc.reduceat` along `axis` of `input` (laid out over `shape`): for
/// each of the `starts` (u32, contiguous, each below `shape[axis]`) and each
/// index of the other axes (C order), the in-order fold from that start to
/// the next (see `ReduceMode::Segments`), segment-major into `out`.
#[allow(clippy::too_many_arguments)]
pub fn run_segments(
    ctx: &Arc<GpuContext>,
    op: &ReduceOp,
    input: &GpuOperand,
    shape: &[usize],
    axis: usize,
    starts: &GpuOperand,
    nseg: usize,
    out: &GpuBuffer,
    out_offset: usize,
) -> Result<()> {
    let axes: Vec<usize> = (0..shape.len()).filter(|&a| a != axis).collect();
    let sh: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
    let st: Vec<isize> = axes.iter().map(|&a| input.strides[a]).collect();
    let (kshape, kst) = coalesce(&sh, &[&st]);
    if nseg == 0 || kshape.iter().product::<usize>() == 0 {
        return Ok(());
    }
    if kshape.len() > MAX_REDUCE_RANK {
        return Err(Error::NotImplemented(format!("a reduceat whose other axes do not merge into {MAX_REDUCE_RANK} strided axes is not supported on GPUs yet")));
    }
    let src = Source {
        buffer: input.buffer,
        dtype: input.dtype,
        offset: input.offset,
        kshape: kshape.to_vec(),
        kstrides: kst.into_iter().next().unwrap().to_vec(),
        rshape: vec![shape[axis]],
        rstrides: vec![input.strides[axis]],
        resume: false,
        red_range: None,
    };
    segment_ranges(ctx, op, &src, (0, shape[axis]), out, out_offset, (starts, nseg))
}

/// Folds the segments' parts inside reduced indices [r0, r1), halving the
/// range until what it reads fits one storage binding; the kernel resumes a
/// segment begun in an earlier range from its partial result in `out`.
fn segment_ranges(
    ctx: &Arc<GpuContext>,
    op: &ReduceOp,
    src: &Source,
    (r0, r1): (usize, usize),
    out: &GpuBuffer,
    out_offset: usize,
    starts: (&GpuOperand, usize),
) -> Result<()> {
    let piece = Source { red_range: Some((r0, r1)), kshape: src.kshape.clone(), kstrides: src.kstrides.clone(), rshape: src.rshape.clone(), rstrides: src.rstrides.clone(), ..*src };
    let align = ctx.binding_align().max(4) as i64;
    let (lo, hi) = span_of(&piece);
    if hi - lo / align * align <= ctx.max_binding() as i64 || r1 - r0 < 2 {
        return launch(ctx, op, &piece, src.rshape[0], 1, out, out_offset, Some(starts));
    }
    let mid = r0 + (r1 - r0) / 2;
    segment_ranges(ctx, op, src, (r0, mid), out, out_offset, starts)?;
    segment_ranges(ctx, op, src, (mid, r1), out, out_offset, starts)
}

/// One pass; a tree with more than one chunk per output reduces its partials
/// in another. A source wider than one storage binding is split first.
fn pass(ctx: &Arc<GpuContext>, op: &ReduceOp, src: &Source, out: &GpuBuffer, out_offset: usize, start: Option<&GpuOperand>) -> Result<()> {
    let align = ctx.binding_align().max(4) as i64;
    let (lo, hi) = span(src);
    if hi - lo / align * align > ctx.max_binding() as i64 {
        return split(ctx, op, src, out, out_offset, start);
    }
    let n_out: usize = src.kshape.iter().product();
    let r_len: usize = src.rshape.iter().product();
    let (per_thread, groups) = match op.mode {
        ReduceMode::Tree => {
            let (_, per_thread, groups) = tree_shape(r_len);
            (per_thread, groups)
        }
        ReduceMode::Serial | ReduceMode::Segments => (r_len, 1),
    };
    if groups == 1 {
        return launch(ctx, op, src, per_thread, 1, out, out_offset, start.map(|s| (s, 1)));
    }
    let part = partial_dtype(op.acc);
    // Freed buffers return to the pool only once their batch has completed,
    // so `partials` may drop as soon as the next pass is queued.
    let partials = ctx.alloc((n_out * groups * part.itemsize()) as u64)?;
    launch(ctx, op, src, per_thread, groups, &partials, 0, None)?;
    pass(ctx, op, &partials_source(&partials, part, n_out, groups), out, out_offset, start)
}

/// The partials a tree pass leaves (`groups` per output, contiguous), as
/// the source of the next pass.
fn partials_source(buffer: &GpuBuffer, part: DType, n_out: usize, groups: usize) -> Source<'_> {
    Source {
        buffer,
        dtype: part,
        offset: 0,
        kshape: vec![n_out],
        kstrides: vec![groups as isize],
        rshape: vec![groups],
        rstrides: vec![1],
        resume: false,
        red_range: None,
    }
}

/// Reduces a source wider than one storage binding in halves, along the axis
/// whose halving narrows it most: the outermost kept axis (each half writes
/// its own outputs, which stay contiguous), or a reduced axis: in a tree
/// each half reduces into its own partials, which one more pass combines;
/// in order the first half folds into the output and the second resumes
/// from it (queue order keeps them in sequence). Halves that are still too
/// wide split again.
fn split(ctx: &Arc<GpuContext>, op: &ReduceOp, src: &Source, out: &GpuBuffer, out_offset: usize, start: Option<&GpuOperand>) -> Result<()> {
    let extent = |len: usize, st: isize| if len > 1 { (len - 1) * st.unsigned_abs() } else { 0 };
    let kept = src.kshape.first().map_or(0, |&k| extent(k, src.kstrides[0]));
    let (axis, reduced) = (0..src.rshape.len())
        .map(|a| (a, extent(src.rshape[a], src.rstrides[a])))
        .filter(|_| op.mode != ReduceMode::Segments)
        .max_by_key(|&(_, e)| e)
        .unwrap_or((0, 0));
    if kept == 0 && reduced == 0 {
        return Err(Error::NotImplemented("a segment fold (reduceat) reading more than one storage binding is not supported on GPUs yet".into()));
    }
    let piece = |first: usize, len: usize, along_kept: bool| -> Source {
        let (mut kshape, mut rshape) = (src.kshape.clone(), src.rshape.clone());
        let step = if along_kept { src.kstrides[0] } else { src.rstrides[axis] };
        if along_kept { kshape[0] = len } else { rshape[axis] = len }
        Source {
            buffer: src.buffer,
            dtype: src.dtype,
            offset: (src.offset as isize + first as isize * step) as usize,
            kshape,
            kstrides: src.kstrides.clone(),
            rshape,
            rstrides: src.rstrides.clone(),
            resume: src.resume,
            red_range: None,
        }
    };
    if kept >= reduced {
        let (k0, inner) = (src.kshape[0], src.kshape[1..].iter().product::<usize>());
        let half = k0 / 2;
        pass(ctx, op, &piece(0, half, true), out, out_offset, start)?;
        return pass(ctx, op, &piece(half, k0 - half, true), out, out_offset + half * inner, start);
    }
    let r = src.rshape[axis];
    if op.mode == ReduceMode::Serial {
        // In order: one reduced axis. The first half starts as the whole
        // would; the second continues from the output.
        pass(ctx, op, &piece(0, r / 2, false), out, out_offset, start)?;
        return pass(ctx, op, &Source { resume: true, ..piece(r / 2, r - r / 2, false) }, out, out_offset, None);
    }
    let n_out: usize = src.kshape.iter().product();
    let part = partial_dtype(op.acc);
    let halves = ctx.alloc((2 * n_out * part.itemsize()) as u64)?;
    pass(ctx, op, &piece(0, r / 2, false), &halves, 0, None)?;
    pass(ctx, op, &piece(r / 2, r - r / 2, false), &halves, n_out, None)?;
    let both = Source {
        buffer: &halves,
        dtype: part,
        offset: 0,
        kshape: vec![n_out],
        kstrides: vec![1],
        rshape: vec![2],
        rstrides: vec![n_out as isize],
        resume: false,
        red_range: None,
    };
    pass(ctx, op, &both, out, out_offset, start)
}

struct Source<'a> {
    buffer: &'a GpuBuffer,
    dtype: DType,
    offset: usize,
    kshape: Vec<usize>,
    kstrides: Vec<isize>,
    rshape: Vec<usize>,
    rstrides: Vec<isize>,
    /// In order only: the reduced axis continues one already folded into
    /// the output (a source split across bindings), so the fold resumes
    /// from the output instead of starting.
    resume: bool,
    /// Segments only: fold just reduced indices [lo, hi) in this launch (a
    /// reduceat split across bindings: the binding covers only them).
    red_range: Option<(usize, usize)>,
}

/// Byte window [lo, hi) a launch of the source reads: `span`, or for a
/// reduced range only its indices.
fn span_of(s: &Source) -> (i64, i64) {
    match s.red_range {
        None => span(s),
        Some((r0, r1)) => span(&Source {
            buffer: s.buffer,
            dtype: s.dtype,
            offset: (s.offset as isize + r0 as isize * s.rstrides[0]) as usize,
            kshape: s.kshape.clone(),
            kstrides: s.kstrides.clone(),
            rshape: vec![r1 - r0],
            rstrides: s.rstrides.clone(),
            resume: false,
            red_range: None,
        }),
    }
}

/// Byte window [lo, hi) the source reads.
fn span(s: &Source) -> (i64, i64) {
    let isz = s.dtype.itemsize() as i64;
    let (mut lo, mut hi) = (s.offset as i64 * isz, s.offset as i64 * isz + isz);
    for (&d, &st) in s.kshape.iter().zip(&s.kstrides).chain(s.rshape.iter().zip(&s.rstrides)) {
        let ext = (d as i64 - 1) * st as i64 * isz;
        if ext < 0 {
            lo += ext;
        } else {
            hi += ext;
        }
    }
    (lo, hi)
}

#[allow(clippy::too_many_arguments)]
fn launch(
    ctx: &Arc<GpuContext>,
    op: &ReduceOp,
    src: &Source,
    per_thread: usize,
    groups: usize,
    dst: &GpuBuffer,
    dst_offset: usize,
    start: Option<(&GpuOperand, usize)>,
) -> Result<()> {
    let n_kept: usize = src.kshape.iter().product();
    let (n_out, groups) = match (op.mode, start) {
        (ReduceMode::Segments, Some((_, nseg))) => (n_kept * nseg, n_kept),
        _ => (n_kept, groups),
    };
    let r_len: usize = src.rshape.iter().product();
    let part = partial_dtype(op.acc);
    // A tree over one chunk per output may fold several outputs per workgroup.
    let lanes = if op.mode == ReduceMode::Tree && groups == 1 { tree_shape(r_len).0 } else { REDUCE_THREADS };
    let align = ctx.binding_align().max(4) as i64;
    let limit = ctx.max_binding() as i64;
    let (lo, hi) = span_of(src);
    let bind = lo / align * align;
    if hi - bind > limit {
        return Err(Error::NotImplemented(
            "a reduction reading more than one storage binding is not supported on GPUs yet".into(),
        ));
    }
    let threads = if op.mode == ReduceMode::Segments { Some(n_out) } else { n_out.checked_mul(groups) };
    if threads.is_none_or(|t| t > u32::MAX as usize) {
        return Err(Error::NotImplemented("a reduction with this many outputs is not supported on GPUs yet".into()));
    }
    let unit = if src.dtype.is_subword() { 1 } else { src.dtype.itemsize() as i64 };
    let in_size = ((hi - bind) as u64).next_multiple_of(4).min(src.buffer.raw().size() - bind as u64);
    let mut bindings = vec![Binding { buffer: src.buffer, offset: bind as u64, size: in_size }];
    // Below the binding when it starts at a later reduced index (a range):
    // u32 arithmetic wraps, so every index the range reads lands inside it.
    let mut base = [((src.offset as i64 * src.dtype.itemsize() as i64 - bind) / unit) as u32, 0, 0, 0];
    if let Some((s, count)) = start {
        let isz = s.dtype.itemsize() as u64;
        let b = (s.offset as u64 * isz) / align as u64 * align as u64;
        bindings.push(Binding { buffer: s.buffer, offset: b, size: (s.offset as u64 * isz + count as u64 * isz - b).next_multiple_of(4) });
        base[2] = ((s.offset as u64 * isz - b) / isz) as u32;
    }
    // The output window: aligned start, `dst_offset` from there.
    let isz = part.itemsize() as u64;
    let ob = (dst_offset as u64 * isz) / align as u64 * align as u64;
    let written = if op.mode == ReduceMode::Segments { n_out } else { n_out * groups };
    let out_bytes = dst_offset as u64 * isz + written as u64 * isz - ob;
    if out_bytes > limit as u64 {
        return Err(Error::NotImplemented("a reduction writing more than one storage binding is not supported on GPUs yet".into()));
    }
    bindings.push(Binding { buffer: dst, offset: ob, size: out_bytes.next_multiple_of(4).min(dst.raw().size() - ob) });
    base[1] = ((dst_offset as u64 * isz - ob) / isz) as u32;

    let spec = ReduceKernel {
        input: src.dtype,
        acc: op.acc,
        output: part,
        expr: op.expr.clone(),
        mode: op.mode,
        neutral: op.neutral.clone(),
        start: start.is_some(),
        kept_rank: src.kshape.len(),
        red_rank: src.rshape.len(),
        subgroup: op.subgroup.filter(|_| op.mode == ReduceMode::Tree && ctx.has_subgroups() && lanes == REDUCE_THREADS),
        fused: None,
        lanes,
    };
    let (inputs, outputs) = spec.bindings();
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs, outputs }, |s| s.key(), |s| s.source())?;
    let mut p = vec![0u8; REDUCE_PARAMS_BYTES];
    let put = |p: &mut Vec<u8>, at: usize, v: u32| p[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put(&mut p, 0, n_out as u32);
    put(&mut p, 4, r_len as u32);
    put(&mut p, 8, per_thread as u32);
    put(&mut p, 12, groups as u32);
    for (d, &len) in src.kshape.iter().enumerate() {
        put(&mut p, 16 + 4 * d, len as u32);
    }
    for (d, &len) in src.rshape.iter().enumerate() {
        put(&mut p, 32 + 4 * d, len as u32);
    }
    for (k, &b) in base.iter().enumerate() {
        put(&mut p, 48 + 4 * k, b);
    }
    let in_unit = |st: isize| (st * src.dtype.itemsize() as isize / unit as isize) as i32 as u32;
    for (d, &st) in src.kstrides.iter().enumerate() {
        put(&mut p, 64 + 4 * d, in_unit(st));
    }
    for (d, &st) in src.rstrides.iter().enumerate() {
        put(&mut p, 80 + 4 * d, in_unit(st));
    }
    let workgroups = match op.mode {
        ReduceMode::Tree => tree_workgroups(n_out, groups, lanes),
        ReduceMode::Serial | ReduceMode::Segments => n_out.div_ceil(REDUCE_THREADS as usize),
    };
    if op.mode == ReduceMode::Tree {
        return ctx.dispatch(&kernel, &bindings, &p, workgroups as u32);
    }
    // In-order folds run in windows of the reduced axis (`serial_window`),
    // each resuming from the partial results the last one wrote.
    put(&mut p, 120, src.resume as u32);
    let (r0, r1) = src.red_range.unwrap_or((0, r_len));
    for lo in (r0..r1).step_by(ctx.serial_window()) {
        put(&mut p, 112, lo as u32);
        put(&mut p, 116, (lo + ctx.serial_window()).min(r1) as u32);
        ctx.dispatch(&kernel, &bindings, &p, workgroups as u32)?;
    }
    Ok(())
}
