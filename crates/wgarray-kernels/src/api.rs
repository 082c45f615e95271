//! Device-agnostic entry points: each runs its operation on the device the
//! operands live on (all operands must share it — never a silent transfer).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use wgarray_core::layout::c_strides;
use wgarray_core::{dims, DType, Error, Layout, Result};
use wgarray_device::{CpuBuffer, Storage};

use crate::cpu;
use crate::gpu_gather;
use crate::gpu_map::{self, GpuOperand, MapOp};
use crate::gpu_matmul;
use crate::gpu_reduce;
use crate::gpu_scan;
use crate::gpu_scatter;
use crate::gpu_sort;
use crate::fused::{Program, Step};
use crate::ops::{Loop, Ufunc};
use crate::wgsl;

/// One operand: storage, dtype and its layout over the iteration shape.
pub struct Operand<'a> {
    /// The memory.
    pub storage: &'a Storage,
    /// Stored dtype.
    pub dtype: DType,
    /// Layout; its shape is the iteration shape.
    pub layout: &'a Layout,
}

impl Operand<'_> {
    fn cpu_ptr(&self) -> *mut u8 {
        match self.storage {
            Storage::Cpu(b) => b.as_ptr().wrapping_add(self.layout.offset * self.dtype.itemsize()),
            Storage::Gpu(_) => unreachable!("checked by the caller"),
        }
    }

    fn gpu(&self) -> GpuOperand<'_> {
        match self.storage {
            Storage::Gpu(b) => GpuOperand {
                buffer: b,
                dtype: self.dtype,
                strides: self.layout.strides.clone(),
                offset: self.layout.offset,
            },
            Storage::Cpu(_) => unreachable!("checked by the caller"),
        }
    }
}

fn same_device(ops: &[&Operand]) -> Result<bool> {
    let gpu = matches!(ops[0].storage, Storage::Gpu(_));
    let first = ops[0].storage.device();
    if ops.iter().any(|o| o.storage.device() != first) {
        return Err(Error::value("operands are on different devices; move them with to_device() first"));
    }
    Ok(gpu)
}

/// `dst[...] = src.astype(dst.dtype)`: NumPy's cast, over `dst`'s shape
/// (`src` already broadcast to it). `dst` must not overlap `src`.
pub fn copy_cast(src: &Operand, dst: &Operand) -> Result<()> {
    let shape = &dst.layout.shape;
    if same_device(&[src, dst])? {
        let Storage::Gpu(b) = dst.storage else { unreachable!() };
        let op = MapOp { loop_in: wgarray_core::dims![src.dtype], loop_out: src.dtype, expr: "a0".into(), inner: None, fused: None };
        gpu_map::run(&b.context(), &op, shape, &[src.gpu()], &dst.gpu())
    } else {
        // SAFETY: layouts were built by the dispatch layer inside their storages.
        unsafe {
            cpu::cast::cast(shape, src.dtype, (src.cpu_ptr(), &src.layout.strides), dst.dtype, (dst.cpu_ptr(), &dst.layout.strides))
        };
        Ok(())
    }
}

/// Runs ufunc `f` with the resolved loop `lp`: inputs are cast to the loop's
/// dtypes, each result to its output's dtype. Every layout has the outputs'
/// shape. Outputs must not overlap inputs (the dispatch layer buffers them).
pub fn ufunc(f: &Ufunc, lp: &Loop, inputs: &[Operand], outs: &[Operand]) -> Result<()> {
    let mut all: Vec<&Operand> = inputs.iter().collect();
    all.extend(outs);
    if same_device(&all)? {
        let Storage::Gpu(b) = outs[0].storage else { unreachable!() };
        let ctx = b.context();
        for &d in lp.inputs.iter().chain(&lp.outputs) {
            ctx.check_dtype(d)?;
        }
        let ins: Vec<GpuOperand> = inputs.iter().map(|o| o.gpu()).collect();
        for ((&op, &loop_out), out) in f.outputs.iter().zip(&lp.outputs).zip(outs) {
            let expr = wgsl::exprs::expr(op, lp).ok_or_else(|| {
                Error::NotImplemented(format!(
                    "wgarray.{} has no GPU kernel for {} yet; compute it on the CPU device",
                    f.name,
                    lp.inputs.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
                ))
            })?;
            if expr.contains("_f64(") && !ctx.has_f64() {
                return Err(Error::NotImplemented(format!(
                    "wgarray.{} computes through float64 on GPUs, which {} lacks; compute it on the CPU device",
                    f.name,
                    ctx.name()
                )));
            }
            let op = MapOp { loop_in: lp.inputs.clone(), loop_out, expr, inner: None, fused: None };
            gpu_map::run(&ctx, &op, &out.layout.shape, &ins, &out.gpu())?;
        }
        return Ok(());
    }
    cpu_ufunc(f, lp, inputs, outs)
}

/// A contiguous temporary of `dtype` over `shape` on the host.
fn host_temp(dtype: DType, shape: &[usize]) -> Result<(Storage, Layout)> {
    let n: usize = shape.iter().product();
    Ok((Storage::Cpu(CpuBuffer::uninit(n * dtype.itemsize())?), Layout { shape: shape.into(), strides: c_strides(shape), offset: 0 }))
}

fn cpu_ufunc(f: &Ufunc, lp: &Loop, inputs: &[Operand], outs: &[Operand]) -> Result<()> {
    let shape = &outs[0].layout.shape;
    // Inputs not already of the loop dtype are cast into temporaries first.
    let mut temps = Vec::new();
    for (o, &d) in inputs.iter().zip(&lp.inputs) {
        if o.dtype != d {
            let (s, l) = host_temp(d, shape)?;
            copy_cast(o, &Operand { storage: &s, dtype: d, layout: &l })?;
            temps.push(Some((s, l)));
        } else {
            temps.push(None);
        }
    }
    let ins: Vec<Operand> = inputs
        .iter()
        .zip(&temps)
        .zip(&lp.inputs)
        .map(|((o, t), &d)| match t {
            Some((s, l)) => Operand { storage: s, dtype: d, layout: l },
            None => Operand { storage: o.storage, dtype: o.dtype, layout: o.layout },
        })
        .collect();
    for ((&op, &loop_out), out) in f.outputs.iter().zip(&lp.outputs).zip(outs) {
        let tmp = if out.dtype == loop_out { None } else { Some(host_temp(loop_out, shape)?) };
        let target = match &tmp {
            Some((s, l)) => Operand { storage: s, dtype: loop_out, layout: l },
            None => Operand { storage: out.storage, dtype: out.dtype, layout: out.layout },
        };
        let mut ptrs: Vec<*mut u8> = ins.iter().map(|o| o.cpu_ptr()).collect();
        ptrs.push(target.cpu_ptr());
        let mut strides: Vec<&[isize]> = ins.iter().map(|o| o.layout.strides.as_slice()).collect();
        strides.push(&target.layout.strides);
        let mut sizes: Vec<usize> = ins.iter().map(|o| o.dtype.itemsize()).collect();
        sizes.push(loop_out.itemsize());
        // SAFETY: every layout lies inside its storage (built by the dispatch layer or above).
        unsafe { cpu::run::run(op, lp, shape, &ptrs, &strides, &sizes) };
        if tmp.is_some() {
            copy_cast(&target, out)?;
        }
    }
    Ok(())
}

/// `out = where(mask, new, old)`, elementwise over `out`'s shape (`mask` is
/// bool; `new` and `old` of `out`'s dtype): the `where=` of ufunc calls.
pub fn select(mask: &Operand, new: &Operand, old: &Operand, out: &Operand) -> Result<()> {
    let d = out.dtype;
    if new.dtype != d || old.dtype != d || mask.dtype != DType::Bool {
        return Err(Error::type_error("select: operands must share the output dtype and the mask must be bool"));
    }
    if same_device(&[mask, new, old, out])? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let op = MapOp { loop_in: wgarray_core::dims![DType::Bool, d, d], loop_out: d, expr: "select(a2, a1, a0 != 0u)".into(), inner: None, fused: None };
        return gpu_map::run(&b.context(), &op, &out.layout.shape, &[mask.gpu(), new.gpu(), old.gpu()], &out.gpu());
    }
    // SAFETY: every layout lies inside its storage.
    unsafe {
        cpu::select::select(
            &out.layout.shape,
            d.itemsize(),
            [(mask.cpu_ptr(), &mask.layout.strides), (new.cpu_ptr(), &new.layout.strides), (old.cpu_ptr(), &old.layout.strides)],
            (out.cpu_ptr(), &out.layout.strides),
        )
    };
    Ok(())
}

/// `out[i] = sum_k a[i + k*ka] * b[i + k*kb]` over `out`'s shape: the core of
/// matmul, vecdot, matvec and vecmat. `a` and `b` have the loop's dtype
/// (`lp.inputs`); their layouts map each output position to the start of its
/// inner axis; `k` is that axis's length and `ka`, `kb` their strides along it
/// (elements). Sums accumulate in the loop's value type (float16 in float32).
pub fn dot(lp: &Loop, a: &Operand, b: &Operand, out: &Operand, k: usize, ka: isize, kb: isize) -> Result<()> {
    if same_device(&[a, b, out])? {
        let Storage::Gpu(buf) = out.storage else { unreachable!() };
        let ctx = buf.context();
        for &d in lp.inputs.iter().chain(&lp.outputs) {
            ctx.check_dtype(d)?;
        }
        if gpu_matmul::try_run(&ctx, &a.gpu(), &b.gpu(), &out.gpu(), &out.layout.shape, k, ka, kb)? {
            return Ok(());
        }
        let op = MapOp { loop_in: lp.inputs.clone(), loop_out: lp.outputs[0], expr: String::new(), inner: Some((k, [ka, kb])), fused: None };
        return gpu_map::run(&ctx, &op, &out.layout.shape, &[a.gpu(), b.gpu()], &out.gpu());
    }
    let tmp = if out.dtype == lp.outputs[0] { None } else { Some(host_temp(lp.outputs[0], &out.layout.shape)?) };
    let target = match &tmp {
        Some((s, l)) => Operand { storage: s, dtype: lp.outputs[0], layout: l },
        None => Operand { storage: out.storage, dtype: out.dtype, layout: out.layout },
    };
    // SAFETY: every layout, extended along the inner axis, lies inside its storage.
    unsafe {
        cpu::dot::dot(
            lp.inputs[0],
            &out.layout.shape,
            (a.cpu_ptr(), &a.layout.strides),
            (b.cpu_ptr(), &b.layout.strides),
            (target.cpu_ptr(), &target.layout.strides),
            (k, ka, kb),
        )
    };
    if tmp.is_some() {
        copy_cast(&target, out)?;
    }
    Ok(())
}

/// How a reduction folds: the ufunc, the dtype it runs in, and whether it
/// may be reordered (a tree) or must run in NumPy's order.
pub struct Reduction<'a> {
    /// The binary ufunc.
    pub ufunc: &'a Ufunc,
    /// The loop dtype the fold runs in.
    pub acc: DType,
    /// Reorderable: folded as a tree; otherwise in order along one axis.
    pub tree: bool,
}

/// Folds `input` (its layout over the full shape) over the axes where
/// `reduced` is true: `out` (contiguous, one element per kept index in C
/// order, dtype `wgsl::reduce::partial_dtype(r.acc)`) receives the results.
/// An in-order fold may begin from `start` (one element of `out`'s dtype).
/// Every reduced extent must be nonzero.
pub fn reduce(r: &Reduction, input: &Operand, reduced: &[bool], out: &Operand, start: Option<&Operand>) -> Result<()> {
    let part = wgsl::reduce::partial_dtype(r.acc);
    if out.dtype != part || start.is_some_and(|s| s.dtype != part) {
        return Err(Error::type_error("reduce: the output and start value must have the accumulator's partial dtype"));
    }
    let op = r.ufunc.outputs[0];
    let mut all = vec![input, out];
    all.extend(start);
    if same_device(&all)? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let ctx = b.context();
        ctx.check_dtype(r.acc)?;
        let rop = reduce_op(r)?;
        let start = start.map(|s| s.gpu());
        return gpu_reduce::run(&ctx, &rop, &input.gpu(), &input.layout.shape, reduced, b, out.layout.offset, start.as_ref());
    }
    // SAFETY: every layout lies inside its storage (built by the dispatch layer).
    unsafe {
        cpu::reduce::reduce(
            op,
            r.acc,
            r.tree,
            r.ufunc.identity,
            input.dtype,
            input.cpu_ptr(),
            &input.layout.shape,
            &input.layout.strides,
            reduced,
            start.map(|s| s.cpu_ptr() as *const u8),
            out.dtype,
            out.cpu_ptr(),
        )
    }
}

/// `reduce` of the fused program `prog`'s result over `shape` (C-contiguous,
/// never stored): `leaves` are laid out over `shape`. Returns false, having
/// done nothing, where no fused kernel serves this reduction (the caller
/// computes the program and calls `reduce`); otherwise the results are
/// exactly `reduce`'s on the computed program.
pub fn reduce_fused(r: &Reduction, prog: &Program, leaves: &[Operand], shape: &[usize], reduced: &[bool], out: &Operand) -> Result<bool> {
    if !r.tree || out.dtype != wgsl::reduce::partial_dtype(r.acc) || prog.steps.last().is_none_or(Step::is_narrow) || leaves.is_empty() {
        return Ok(false);
    }
    let mut all: Vec<&Operand> = leaves.iter().collect();
    all.push(out);
    let dtypes: Vec<DType> = leaves.iter().map(|l| l.dtype).collect();
    if same_device(&all)? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let ctx = b.context();
        ctx.check_dtype(r.acc)?;
        let Some((body, result, input)) = wgsl::fused::body(prog, &dtypes) else { return Ok(false) };
        let load = wgsl::reduce::FusedLoad { leaves: dtypes, body, result };
        let ins: Vec<GpuOperand> = leaves.iter().map(|o| o.gpu()).collect();
        return gpu_reduce::run_fused(&ctx, &reduce_op(r)?, load, input, &ins, shape, reduced, b, out.layout.offset);
    }
    if leaves.len() > cpu::fused::MAX_LEAVES {
        return Ok(false);
    }
    let ls: Vec<(*const u8, &[isize], DType)> = leaves.iter().map(|l| (l.cpu_ptr() as *const u8, l.layout.strides.as_slice(), l.dtype)).collect();
    // SAFETY: every layout lies inside its storage (built by the dispatch layer).
    unsafe { cpu::reduce::reduce_fused(r.ufunc.outputs[0], r.acc, r.ufunc.identity, prog, shape, &ls, reduced, out.dtype, out.cpu_ptr()) }
}

/// The running fold of `r` along `axis` of `input` (its layout over the full
/// shape): `out` (contiguous, rows in C order of the other axes, each
/// `shape[axis]` long, dtype `wgsl::reduce::partial_dtype(r.acc)`).
pub fn accumulate(r: &Reduction, input: &Operand, axis: usize, out: &Operand) -> Result<()> {
    let part = wgsl::reduce::partial_dtype(r.acc);
    if out.dtype != part {
        return Err(Error::type_error("accumulate: the output must have the accumulator's partial dtype"));
    }
    let op = r.ufunc.outputs[0];
    if same_device(&[input, out])? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let ctx = b.context();
        ctx.check_dtype(r.acc)?;
        let rop = reduce_op(r)?;
        return gpu_scan::run(&ctx, &rop, &input.gpu(), &input.layout.shape, axis, b, out.layout.offset);
    }
    // SAFETY: every layout lies inside its storage (built by the dispatch layer).
    unsafe {
        cpu::scan::scan(op, r.acc, input.dtype, input.cpu_ptr(), &input.layout.shape, &input.layout.strides, axis, out.dtype, out.cpu_ptr())
    }
}

/// The GPU description of a reduction or scan.
fn reduce_op(r: &Reduction) -> Result<gpu_reduce::ReduceOp> {
    let lp = Loop { inputs: wgarray_core::dims![r.acc, r.acc], outputs: wgarray_core::dims![r.acc] };
    let expr = wgsl::exprs::expr(r.ufunc.outputs[0], &lp)
        .ok_or_else(|| Error::NotImplemented(format!("wgarray.{} has no GPU kernel for {} yet", r.ufunc.name, r.acc.name())))?;
    let neutral = match r.ufunc.identity {
        Some(id) => wgsl::reduce::Neutral::Literal(wgsl::reduce::identity_literal(id, r.acc)),
        None => wgsl::reduce::Neutral::First,
    };
    let mode = if r.tree { wgsl::reduce::ReduceMode::Tree } else { wgsl::reduce::ReduceMode::Serial };
    let subgroup = wgsl::reduce::subgroup_op(r.ufunc.outputs[0], r.acc);
    Ok(gpu_reduce::ReduceOp { acc: r.acc, expr, mode, neutral, subgroup })
}

/// `out[dest[i]] = value[i]` over `dest`'s shape where `dest[i] >= 0`;
/// without `value`, each element's C-order index is written. `dest` is
/// int32/int64; `out` is contiguous and 32/64-bit. Destinations must be in
/// range (the caller checks); where two coincide, either value may win.
pub fn scatter(value: Option<&Operand>, dest: &Operand, out: &Operand) -> Result<()> {
    if !matches!(dest.dtype, DType::Int32 | DType::Int64) || out.dtype.is_subword() {
        return Err(Error::type_error("scatter: destinations must be int32/int64 and the output 32/64-bit"));
    }
    let mut all = vec![dest, out];
    all.extend(value);
    let shape = &dest.layout.shape;
    let out_len: usize = out.layout.shape.iter().product();
    if same_device(&all)? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let ctx = b.context();
        let v = value.map(|v| v.gpu());
        return gpu_scatter::run(&ctx, v.as_ref(), &dest.gpu(), shape, b, out.dtype, out.layout.offset, out_len);
    }
    // CPU: destinations as int64 and values as the output dtype, in C order.
    let n: usize = shape.iter().product();
    let (ds, dl) = host_temp(DType::Int64, shape)?;
    copy_cast(dest, &Operand { storage: &ds, dtype: DType::Int64, layout: &dl })?;
    let vals = match value {
        Some(v) => {
            let (vs, vl) = host_temp(out.dtype, shape)?;
            copy_cast(v, &Operand { storage: &vs, dtype: out.dtype, layout: &vl })?;
            Some((vs, vl))
        }
        None => None,
    };
    let Storage::Cpu(db) = &ds else { unreachable!() };
    let isz = out.dtype.itemsize();
    // SAFETY: temporaries hold n elements; `out` holds out_len contiguous elements.
    unsafe {
        let d = std::slice::from_raw_parts(db.as_ptr() as *const i64, n);
        let o = out.cpu_ptr();
        for (i, &k) in d.iter().enumerate() {
            if k < 0 || k as usize >= out_len {
                continue;
            }
            let dst = o.add(k as usize * isz);
            match &vals {
                Some((Storage::Cpu(vb), _)) => std::ptr::copy_nonoverlapping(vb.as_ptr().add(i * isz), dst, isz),
                _ => {
                    let bytes = (i as u64).to_le_bytes();
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, isz);
                }
            }
        }
    }
    Ok(())
}

/// `out[i] = src_flat[idx[i]]` over `idx`'s shape: `src` C-contiguous,
/// `idx` int32/int64 with in-range flat positions (the caller checks),
/// `out` contiguous and 32/64-bit.
pub fn gather(src: &Operand, idx: &Operand, out: &Operand) -> Result<()> {
    if !matches!(idx.dtype, DType::Int32 | DType::Int64) || out.dtype.is_subword() {
        return Err(Error::type_error("gather: indices must be int32/int64 and the output 32/64-bit"));
    }
    let src_len: usize = src.layout.shape.iter().product();
    let shape = &idx.layout.shape;
    if same_device(&[src, idx, out])? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        return gpu_gather::run(&b.context(), &src.gpu(), src_len, &idx.gpu(), shape, b, out.dtype, out.layout.offset);
    }
    // CPU: the source cast to the output dtype, indices as int64, in C order.
    let n: usize = shape.iter().product();
    let (is, il) = host_temp(DType::Int64, shape)?;
    copy_cast(idx, &Operand { storage: &is, dtype: DType::Int64, layout: &il })?;
    let flat = Layout { shape: dims![src_len], strides: dims![1], offset: src.layout.offset };
    let (ss, sl) = host_temp(out.dtype, &[src_len])?;
    copy_cast(&Operand { storage: src.storage, dtype: src.dtype, layout: &flat }, &Operand { storage: &ss, dtype: out.dtype, layout: &sl })?;
    let (Storage::Cpu(ib), Storage::Cpu(sb)) = (&is, &ss) else { unreachable!() };
    let isz = out.dtype.itemsize();
    // SAFETY: temporaries hold n indices and src_len values; `out` holds n contiguous elements.
    unsafe {
        let ix = std::slice::from_raw_parts(ib.as_ptr() as *const i64, n);
        let o = out.cpu_ptr();
        for (i, &k) in ix.iter().enumerate() {
            if k < 0 || k as usize >= src_len {
                return Err(Error::index(format!("index {k} is out of bounds for size {src_len}")));
            }
            std::ptr::copy_nonoverlapping(sb.as_ptr().add(k as usize * isz), o.add(i * isz), isz);
        }
    }
    Ok(())
}

/// Stable argsort (NumPy's order: NaN last, -0.0 == 0.0) of `rows`
/// C-contiguous rows of `len` elements of `src` (from its layout's offset):
/// new storage of u32 positions, row `r` starting at `r * stride` (the
/// returned stride, at least `len`).
pub fn argsort(src: &Operand, rows: usize, len: usize) -> Result<(Storage, usize)> {
    match src.storage {
        Storage::Gpu(b) => {
            let ctx = b.context();
            let (buf, stride) = gpu_sort::argsort(&ctx, b, src.dtype, src.layout.offset, rows, len)?;
            Ok((Storage::Gpu(buf), stride))
        }
        Storage::Cpu(_) => {
            check_sort_row(len)?;
            let out = CpuBuffer::uninit((rows * len * 4).max(4))?;
            // SAFETY: the buffer holds rows * len u32, each written by the sort; `src` covers rows * len elements.
            unsafe {
                let o = std::slice::from_raw_parts_mut(out.as_ptr() as *mut u32, rows * len);
                cpu::sort::argsort(src.dtype, src.cpu_ptr(), rows, len, o)?;
            }
            Ok((Storage::Cpu(out), len))
        }
    }
}

/// Host sorts carry positions as u32.
fn check_sort_row(len: usize) -> Result<()> {
    if len > u32::MAX as usize {
        return Err(Error::NotImplemented(format!("sorting along an axis of {len} elements (at most 2**32 - 1)")));
    }
    Ok(())
}

/// `rows` C-contiguous rows of `len` elements of the host operand `src`,
/// each sorted (stable, NumPy's order), as new contiguous storage. GPU
/// sorts gather through `argsort` instead.
pub fn sort_host(src: &Operand, rows: usize, len: usize) -> Result<Storage> {
    if !matches!(src.storage, Storage::Cpu(_)) {
        return Err(Error::NotImplemented("sort_host: the operand is on a GPU".into()));
    }
    check_sort_row(len)?;
    let out = CpuBuffer::uninit((rows * len * src.dtype.itemsize()).max(1))?;
    // SAFETY: `src` covers rows * len contiguous elements; `out` holds as many.
    unsafe { cpu::sort::sort(src.dtype, src.cpu_ptr(), rows, len, out.as_ptr())? };
    Ok(Storage::Cpu(out))
}

/// `ufunc.reduceat` along `axis` of `input` (its layout over the full
/// shape): for each of the `starts` (UInt32, contiguous, 1-d, each below
/// `shape[axis]`) and each index of the other axes (C order), the in-order
/// fold of `r` from that start to the next start (or the axis's end); where
/// the next start is not beyond it, the element at the start. `out` is
/// contiguous, segment-major, in `wgsl::reduce::partial_dtype(r.acc)`.
pub fn reduceat(r: &Reduction, input: &Operand, axis: usize, starts: &Operand, out: &Operand) -> Result<()> {
    let part = wgsl::reduce::partial_dtype(r.acc);
    if out.dtype != part || starts.dtype != DType::UInt32 {
        return Err(Error::type_error("reduceat: the output must have the accumulator's partial dtype and the starts be uint32"));
    }
    let nseg = starts.layout.shape.iter().product::<usize>();
    if same_device(&[input, starts, out])? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let ctx = b.context();
        ctx.check_dtype(r.acc)?;
        let mut rop = reduce_op(r)?;
        rop.mode = wgsl::reduce::ReduceMode::Segments;
        return gpu_reduce::run_segments(&ctx, &rop, &input.gpu(), &input.layout.shape, axis, &starts.gpu(), nseg, b, out.layout.offset);
    }
    let shape = &input.layout.shape;
    let len = shape[axis];
    let n_kept: usize = shape.iter().enumerate().filter(|&(a, _)| a != axis).map(|(_, &d)| d).product();
    let reduced: Vec<bool> = (0..shape.len()).map(|a| a == axis).collect();
    // SAFETY: `starts` holds nseg contiguous u32 (checked dtype, layout from the dispatch layer).
    let s = unsafe { std::slice::from_raw_parts(starts.cpu_ptr() as *const u32, nseg) };
    for (k, &lo) in s.iter().enumerate() {
        let lo = lo as usize;
        let hi = s.get(k + 1).map_or(len, |&h| h as usize).max(lo + 1);
        let mut sub = shape.clone();
        sub[axis] = hi - lo;
        let base = input.cpu_ptr().wrapping_offset(lo as isize * input.layout.strides[axis] * input.dtype.itemsize() as isize);
        // SAFETY: [lo, hi) lies inside the axis (starts are below its length), so the sub-layout lies inside the input.
        unsafe {
            cpu::reduce::reduce(
                r.ufunc.outputs[0],
                r.acc,
                false,
                r.ufunc.identity,
                input.dtype,
                base,
                &sub,
                &input.layout.strides,
                &reduced,
                None,
                out.dtype,
                out.cpu_ptr().add(k * n_kept * part.itemsize()),
            )?
        };
    }
    Ok(())
}

/// Most leaves a fused program may read on `device` (GPU: one storage binding
/// is the output's).
pub fn fused_max_leaves(device: &wgarray_device::Device) -> usize {
    match device {
        wgarray_device::Device::Cpu => cpu::fused::MAX_LEAVES,
        wgarray_device::Device::Gpu(ctx) => {
            let bindings = ctx.limits().max_storage_buffers_per_shader_stage as usize;
            (wgsl::MAX_OPERANDS - 1).min(bindings.saturating_sub(1))
        }
    }
}

/// True when step `st` can join a fused program on `device`: it has a kernel
/// there (on a GPU: an expression, and the features its dtypes need).
pub fn fusable(device: &wgarray_device::Device, st: &Step) -> bool {
    let wgarray_device::Device::Gpu(ctx) = device else { return true };
    // Asked on every elementwise call: cached per (device, op, loop), since
    // the answer formats the step's WGSL expression (contexts live as long
    // as the process, so their address names them).
    // The key packs the op and the loop's dtypes into one word (no
    // allocation): a nibble per dtype (never 0), a 0 nibble between inputs
    // and outputs.
    static CACHE: OnceLock<Mutex<HashMap<(usize, u64), bool>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let nibbles = |k: u64, ds: &[DType]| ds.iter().fold(k, |k, &d| k << 4 | (d as u64 + 1));
    let sig = nibbles(nibbles(st.op.map_or(0xFF, |o| o as u64), &st.lp.inputs) << 4, &st.lp.outputs);
    let key = (Arc::as_ptr(ctx) as usize, sig);
    if let Some(&hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return hit;
    }
    let ok = !st.lp.inputs.iter().chain(&st.lp.outputs).any(|&d| ctx.check_dtype(d).is_err())
        && match st.op {
            None => true,
            Some(op) => wgsl::exprs::expr(op, &st.lp).is_some_and(|e| ctx.has_f64() || !e.contains("_f64(")),
        };
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, ok);
    ok
}

/// Evaluates the fused program `prog` over `out`'s shape into `out`; each
/// leaf's layout is over that shape. `out` must not overlap a leaf.
pub fn fused(prog: &Program, leaves: &[Operand], out: &Operand) -> Result<()> {
    let all: smallvec::SmallVec<[&Operand; 9]> = leaves.iter().chain([out]).collect();
    if leaves.len() > cpu::fused::MAX_LEAVES {
        return Err(Error::value("a fused expression reads too many arrays"));
    }
    if same_device(&all)? {
        let Storage::Gpu(b) = out.storage else { unreachable!() };
        let ctx = b.context();
        let dtypes: Vec<DType> = leaves.iter().map(|l| l.dtype).collect();
        let (body, expr, loop_out) = wgsl::fused::body(prog, &dtypes)
            .ok_or_else(|| Error::NotImplemented("a step of this fused expression has no GPU kernel".into()))?;
        let op = MapOp { loop_in: dtypes.into(), loop_out, expr, inner: None, fused: Some(body) };
        let ins: Vec<GpuOperand> = leaves.iter().map(|o| o.gpu()).collect();
        return gpu_map::run(&ctx, &op, &out.layout.shape, &ins, &out.gpu());
    }
    let ls: Vec<(*const u8, &[isize], DType)> = leaves.iter().map(|l| (l.cpu_ptr() as *const u8, l.layout.strides.as_slice(), l.dtype)).collect();
    // SAFETY: every layout lies inside its storage (built by the dispatch layer).
    unsafe { cpu::fused::run(prog, &out.layout.shape, &ls, (out.cpu_ptr(), &out.layout.strides, out.dtype)) };
    Ok(())
}
