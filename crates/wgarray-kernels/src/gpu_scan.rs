//! Launches scan kernels on a GPU (see `wgsl::scan`): reduce-then-scan for
//! reorderable operations (block totals, their scan, then each block from
//! its offset), in order for the rest.

use std::sync::Arc;

use wgarray_core::layout::coalesce;
use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::{self, GpuOperand, MapOp};
use crate::gpu_reduce::ReduceOp;
use crate::wgsl::reduce::{partial_dtype, ReduceMode};
use crate::wgsl::scan::{ScanKernel, ScanMode, BLOCK, MAX_SCAN_ROW_RANK, SCAN_PARAMS_BYTES};

/// Rows to scan: a buffer, its dtype, the first element, the rows' shape and
/// strides (elements), and the stride along the scanned axis.
struct Rows<'a> {
    buffer: &'a GpuBuffer,
    dtype: DType,
    offset: usize,
    shape: Vec<usize>,
    strides: Vec<isize>,
    len: usize,
    stride: isize,
    /// Elements between the starts of consecutive rows of the output: `len`,
    /// but for in-order pieces of longer rows (split across bindings).
    out_row: usize,
    /// In order only: these rows continue rows already scanned into the
    /// output (the result just before each row's first position).
    resume: bool,
}

/// Scans `input` (laid out over `shape`) along `axis` into `out`: rows in C
/// order of the other axes, each `shape[axis]` long, contiguous from element
/// `out_offset`, in `partial_dtype(op.acc)`. `op.mode` Tree scans by
/// reduce-then-scan, Serial in order.
pub fn run(ctx: &Arc<GpuContext>, op: &ReduceOp, input: &GpuOperand, shape: &[usize], axis: usize, out: &GpuBuffer, out_offset: usize) -> Result<()> {
    let others: Vec<usize> = (0..shape.len()).filter(|&a| a != axis).collect();
    let sh: Vec<usize> = others.iter().map(|&a| shape[a]).collect();
    let st: Vec<isize> = others.iter().map(|&a| input.strides[a]).collect();
    let (sh, st) = coalesce(&sh, &[&st]);
    let rows = Rows {
        buffer: input.buffer,
        dtype: input.dtype,
        offset: input.offset,
        shape: sh.to_vec(),
        strides: st.into_iter().next().unwrap().to_vec(),
        len: shape[axis],
        stride: input.strides[axis],
        out_row: shape[axis],
        resume: false,
    };
    if rows.shape.iter().product::<usize>() == 0 || rows.len == 0 {
        return Ok(());
    }
    if rows.shape.len() > MAX_SCAN_ROW_RANK {
        return Err(Error::NotImplemented(format!(
            "a scan whose other axes do not merge into {MAX_SCAN_ROW_RANK} strided axes is not supported on GPUs yet"
        )));
    }
    scan(ctx, op, &rows, out, out_offset)
}

fn scan(ctx: &Arc<GpuContext>, op: &ReduceOp, rows: &Rows, out: &GpuBuffer, out_offset: usize) -> Result<()> {
    let n_rows: usize = rows.shape.iter().product();
    if too_wide(ctx, op, rows) {
        return split(ctx, op, rows, out, out_offset);
    }
    if op.mode == ReduceMode::Serial {
        return launch(ctx, op, ScanMode::Serial, rows, 1, None, out, out_offset);
    }
    let groups = rows.len.div_ceil(BLOCK as usize);
    if groups == 1 {
        return launch(ctx, op, ScanMode::Block { offsets: false }, rows, 1, None, out, out_offset);
    }
    let part = partial_dtype(op.acc);
    let totals = ctx.alloc((n_rows * groups * part.itemsize()) as u64)?;
    launch(ctx, op, ScanMode::Totals, rows, groups, None, &totals, 0)?;
    let scanned = ctx.alloc((n_rows * groups * part.itemsize()) as u64)?;
    let t = Rows {
        buffer: &totals,
        dtype: part,
        offset: 0,
        shape: vec![n_rows],
        strides: vec![groups as isize],
        len: groups,
        stride: 1,
        out_row: groups,
        resume: false,
    };
    scan(ctx, op, &t, &scanned, 0)?;
    launch(ctx, op, ScanMode::Block { offsets: true }, rows, groups, Some(&scanned), out, out_offset)
}

/// Whether the rows' input or their output spans more than one storage binding.
fn too_wide(ctx: &GpuContext, op: &ReduceOp, rows: &Rows) -> bool {
    let isz = rows.dtype.itemsize() as i64;
    let (lo, hi) = span(rows);
    let align = ctx.binding_align().max(4) as i64;
    let limit = ctx.max_binding() as i64 - align;
    hi - lo + isz > limit || (out_span(rows) * partial_dtype(op.acc).itemsize()) as i64 > limit
}

/// Elements of the output window the rows write (and, resuming, read).
fn out_span(rows: &Rows) -> usize {
    (rows.shape.iter().product::<usize>() - 1) * rows.out_row + rows.len + rows.resume as usize
}

/// The byte span [lo, hi) the rows read.
fn span(rows: &Rows) -> (i64, i64) {
    let isz = rows.dtype.itemsize() as i64;
    let (mut lo, mut hi) = (rows.offset as i64 * isz, rows.offset as i64 * isz + isz);
    for (&d, &s) in rows.shape.iter().zip(&rows.strides).chain(std::iter::once((&rows.len, &rows.stride))) {
        let ext = (d as i64 - 1) * s as i64 * isz;
        if ext < 0 { lo += ext } else { hi += ext }
    }
    (lo, hi)
}

/// Scans rows wider than one storage binding in halves, along whichever
/// narrows the read most: the outermost row axis (each half writes its own
/// outputs), or the scanned axis. In order, the first half of each row is
/// scanned into the output and the second resumes from its last result
/// (queue order keeps them in sequence). For reorderable operations each
/// half is scanned on its own into a temporary, the first copied out, the
/// second continued from the first's last value in each row.
fn split(ctx: &Arc<GpuContext>, op: &ReduceOp, rows: &Rows, out: &GpuBuffer, out_offset: usize) -> Result<()> {
    let extent = |len: usize, st: isize| if len > 1 { (len - 1) * st.unsigned_abs() } else { 0 };
    let across = rows.shape.first().map_or(0, |&r| extent(r, rows.strides[0]));
    let along = extent(rows.len, rows.stride);
    let piece = |offset: isize, shape: Vec<usize>, len: usize| Rows {
        buffer: rows.buffer,
        dtype: rows.dtype,
        offset: offset as usize,
        shape,
        strides: rows.strides.clone(),
        len,
        stride: rows.stride,
        out_row: rows.out_row,
        resume: rows.resume,
    };
    if across == 0 && along == 0 {
        return Err(Error::NotImplemented("a scan of one element wider than a storage binding cannot happen".into()));
    }
    if across >= along {
        let (r0, inner) = (rows.shape[0], rows.shape[1..].iter().product::<usize>());
        let half = r0 / 2;
        for (first, n) in [(0, half), (half, r0 - half)] {
            let mut shape = rows.shape.clone();
            shape[0] = n;
            let p = piece(rows.offset as isize + first as isize * rows.strides[0], shape, rows.len);
            scan(ctx, op, &p, out, out_offset + first * inner * rows.out_row)?;
        }
        return Ok(());
    }
    let (n_rows, len, h) = (rows.shape.iter().product::<usize>(), rows.len, rows.len / 2);
    if op.mode == ReduceMode::Serial {
        scan(ctx, op, &piece(rows.offset as isize, rows.shape.clone(), h), out, out_offset)?;
        let second = Rows { resume: true, ..piece(rows.offset as isize + h as isize * rows.stride, rows.shape.clone(), len - h) };
        return scan(ctx, op, &second, out, out_offset + h);
    }
    debug_assert!(rows.out_row == len && !rows.resume, "tree scans write whole rows");
    let part = partial_dtype(op.acc);
    let psz = part.itemsize();
    let (first, second) = (ctx.alloc((n_rows * h * psz) as u64)?, ctx.alloc((n_rows * (len - h) * psz) as u64)?);
    // Each half is scanned whole into its temporary (rows of its own length).
    scan(ctx, op, &Rows { out_row: h, ..piece(rows.offset as isize, rows.shape.clone(), h) }, &first, 0)?;
    let p2 = piece(rows.offset as isize + h as isize * rows.stride, rows.shape.clone(), len - h);
    scan(ctx, op, &Rows { out_row: len - h, ..p2 }, &second, 0)?;
    let at = |buffer, offset, strides: [isize; 2]| GpuOperand { buffer, dtype: part, strides: wgarray_core::Dims::from_slice(&strides), offset };
    let copy = MapOp { loop_in: wgarray_core::dims![part], loop_out: part, expr: "a0".into(), inner: None, fused: None };
    gpu_map::run(ctx, &copy, &[n_rows, h], &[at(&first, 0, [h as isize, 1])], &at(out, out_offset, [len as isize, 1]))?;
    // Each row's carry is the first half's last value: read from `first`,
    // since a dispatch may not read and write one buffer.
    let combine = MapOp { loop_in: wgarray_core::dims![op.acc, op.acc], loop_out: op.acc, expr: op.expr.clone(), inner: None, fused: None };
    gpu_map::run(
        ctx,
        &combine,
        &[n_rows, len - h],
        &[at(&first, h - 1, [h as isize, 0]), at(&second, 0, [(len - h) as isize, 1])],
        &at(out, out_offset + h, [len as isize, 1]),
    )
}

/// A storage window covering bytes [lo, hi) of `buffer`, and the element
/// index (in `unit`s) of byte `at` inside it.
fn window<'a>(ctx: &GpuContext, buffer: &'a GpuBuffer, lo: i64, hi: i64, at: i64, unit: i64) -> Result<(Binding<'a>, u32)> {
    let align = ctx.binding_align().max(4) as i64;
    let bind = lo / align * align;
    if hi - bind > ctx.max_binding() as i64 {
        return Err(Error::NotImplemented("a scan over more than one storage binding is not supported on GPUs yet".into()));
    }
    let size = ((hi - bind) as u64).next_multiple_of(4).min(buffer.raw().size() - bind as u64);
    Ok((Binding { buffer, offset: bind as u64, size }, ((at - bind) / unit) as u32))
}

#[allow(clippy::too_many_arguments)]
fn launch(
    ctx: &Arc<GpuContext>,
    op: &ReduceOp,
    mode: ScanMode,
    rows: &Rows,
    groups: usize,
    offsets: Option<&GpuBuffer>,
    dst: &GpuBuffer,
    dst_offset: usize,
) -> Result<()> {
    let n_rows: usize = rows.shape.iter().product();
    let part = partial_dtype(op.acc);
    let isz = rows.dtype.itemsize() as i64;
    let unit = if rows.dtype.is_subword() { 1 } else { isz };
    let (lo, hi) = span(rows);
    let (input, in_base) = window(ctx, rows.buffer, lo, hi, rows.offset as i64 * isz, unit)?;
    let mut bindings = vec![input];
    let psz = part.itemsize() as i64;
    let mut base = [in_base, 0, 0, 0];
    if let Some(t) = offsets {
        let (b, at) = window(ctx, t, 0, (n_rows * groups) as i64 * psz, 0, psz)?;
        bindings.push(b);
        base[2] = at;
    }
    let out_len = if mode == ScanMode::Totals { n_rows * groups } else { out_span(rows) - rows.resume as usize };
    // Resuming rows read the result just before their first position.
    let lo = (dst_offset - rows.resume as usize) as i64 * psz;
    let (o, at) = window(ctx, dst, lo, (dst_offset + out_len) as i64 * psz, dst_offset as i64 * psz, psz)?;
    bindings.push(o);
    base[1] = at;
    if n_rows.checked_mul(groups).is_none_or(|t| t > u32::MAX as usize) || rows.len > u32::MAX as usize {
        return Err(Error::NotImplemented("a scan this large is not supported on GPUs yet".into()));
    }
    let spec = ScanKernel {
        input: rows.dtype,
        acc: op.acc,
        output: part,
        expr: op.expr.clone(),
        mode,
        neutral: op.neutral.clone(),
        row_rank: rows.shape.len(),
    };
    let (inputs, outputs) = spec.bindings();
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs, outputs }, |s| s.key(), |s| s.source())?;
    let mut p = vec![0u8; SCAN_PARAMS_BYTES];
    let put = |p: &mut Vec<u8>, at: usize, v: u32| p[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put(&mut p, 0, n_rows as u32);
    // In order, `P.len` is the output's row stride (see `Rows::out_row`).
    put(&mut p, 4, if mode == ScanMode::Serial { rows.out_row } else { rows.len } as u32);
    put(&mut p, 8, groups as u32);
    let in_units = |s: isize| (s as i64 * isz / unit) as i32 as u32;
    put(&mut p, 12, in_units(rows.stride));
    for (d, (&len, &s)) in rows.shape.iter().zip(&rows.strides).enumerate() {
        put(&mut p, 16 + 4 * d, len as u32);
        put(&mut p, 32 + 4 * d, in_units(s));
    }
    for (k, &b) in base.iter().enumerate() {
        put(&mut p, 48 + 4 * k, b);
    }
    let workgroups = match mode {
        ScanMode::Serial => n_rows.div_ceil(256),
        _ => n_rows * groups,
    };
    if mode != ScanMode::Serial {
        return ctx.dispatch(&kernel, &bindings, &p, workgroups as u32);
    }
    // In-order scans run in windows of the scanned axis (`serial_window`).
    put(&mut p, 72, rows.resume as u32);
    for lo in (0..rows.len).step_by(ctx.serial_window()) {
        put(&mut p, 64, lo as u32);
        put(&mut p, 68, (lo + ctx.serial_window()).min(rows.len) as u32);
        ctx.dispatch(&kernel, &bindings, &p, workgroups as u32)?;
    }
    Ok(())
}
