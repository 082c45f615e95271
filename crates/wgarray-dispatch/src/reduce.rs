//! `ufunc.reduce` with NumPy's semantics: axis normalisation and the
//! reorderability rule, the accumulator dtype (add and multiply widen small
//! integers and bool to int64/uint64), `dtype=`, `out=`, `keepdims`,
//! `initial=`, `where=`, and empty reductions.

use wgarray_core::layout::normalize_axis;
use wgarray_core::{can_cast, Casting, DType, Error, Result};
use wgarray_kernels::ops::{Rule, Ufunc};
use wgarray_kernels::wgsl::reduce::partial_dtype;
use wgarray_kernels::Reduction;

use crate::Array;

/// The keyword arguments of `ufunc.reduce`.
#[derive(Clone, Copy, Default)]
pub struct ReduceOptions<'a> {
    /// `axis=`: `None` reduces every axis.
    pub axes: Option<&'a [i64]>,
    /// `dtype=`: the dtype the reduction runs in.
    pub dtype: Option<DType>,
    /// `out=`.
    pub out: Option<&'a Array>,
    /// `keepdims=`.
    pub keepdims: bool,
    /// `initial=`: a 0-d array (any dtype; cast to the loop's).
    pub initial: Option<&'a Array>,
    /// `where=`: a bool mask broadcast against the input.
    pub mask: Option<&'a Array>,
}

impl Array {
    /// `np.<name>.reduce(self, …)`.
    pub fn reduce(&self, name: &str, opts: ReduceOptions) -> Result<Array> {
        let f = folding_ufunc(name, "reduce")?;
        let ndim = self.ndim();
        let reduced = reduced_axes(opts.axes, ndim)?;
        let naxes = reduced.iter().filter(|&&r| r).count();
        let reorderable = f.identity.is_some() || f.rules.contains(&Rule::Reorderable);
        if !reorderable && naxes > 1 {
            return Err(Error::value(format!("reduction operation '{name}' is not reorderable, so at most one axis may be specified")));
        }
        let device = self.device();
        for other in opts.out.iter().chain(opts.initial.iter()).chain(opts.mask.iter()) {
            if other.device() != device {
                return Err(Error::value(format!(
                    "operands are on different devices ({} and {}); move them with to_device() first",
                    device.name(),
                    other.device().name()
                )));
            }
        }
        let l = fold_loop(f, name, self.dtype, opts.dtype, opts.out, &device)?;
        // The result's shape, with and without the reduced axes.
        let shape = self.shape();
        let kept: Vec<usize> = (0..ndim).filter(|&a| !reduced[a]).map(|a| shape[a]).collect();
        let keep_shape: Vec<usize> = (0..ndim).map(|a| if reduced[a] { 1 } else { shape[a] }).collect();
        let result_shape = if opts.keepdims { keep_shape.clone() } else { kept.clone() };
        if let Some(o) = opts.out {
            if o.shape() != result_shape.as_slice() {
                return Err(Error::value(format!(
                    "output parameter for reduction operation {name} has the wrong number of dimensions: Found {} but expected {}",
                    o.ndim(),
                    result_shape.len()
                )));
            }
            if !o.writeable {
                return Err(Error::value("output array is read-only"));
            }
            if opts.dtype.is_some() && !can_cast(l, o.dtype, Casting::SameKind) {
                return Err(Error::type_error(format!(
                    "Cannot cast ufunc '{name}' output from dtype('{l}') to dtype('{}') with casting rule 'same_kind'",
                    o.dtype
                )));
            }
        }
        let r_len: usize = (0..ndim).filter(|&a| reduced[a]).map(|a| shape[a]).product();
        let n_out: usize = kept.iter().product();
        // initial=, else the identity: made only where needed (the identity
        // is uploaded from the host), not on every reduction.
        let has_fill = opts.initial.is_some() || f.identity.is_some();
        let fill = || -> Result<Option<Array>> {
            Ok(match (opts.initial, f.identity) {
                (Some(i), _) => Some(i.astype(l)?),
                (None, Some(_)) => Some(identity_array(f, l, &device)?),
                (None, None) => None,
            })
        };
        if opts.mask.is_some() && !has_fill {
            return Err(Error::value(format!(
                "reduction operation '{name}' does not have an identity, so to use a where mask one has to specify 'initial'"
            )));
        }
        let result = if r_len == 0 || n_out == 0 {
            if r_len == 0 && !has_fill {
                return Err(Error::value(format!("zero-size array to reduction operation {name} which has no identity")));
            }
            match &fill()? {
                Some(v) => v.broadcast_to(&kept)?.astype(l)?,
                None => Array::empty(&kept, l, &device)?,
            }
        } else {
            // where=: masked-out elements become the identity (or initial).
            let source = match opts.mask {
                None => self.clone(),
                Some(m) => {
                    if !reorderable && opts.initial.is_some() && f.identity.is_none() {
                        return Err(Error::NotImplemented(format!("{name}.reduce with where= and initial= is not implemented")));
                    }
                    let m = m.cast_to(DType::Bool)?.broadcast_to(shape)?;
                    let v = self.cast_to(l)?;
                    // The identity where there is one (initial= is folded in once,
                    // below); else initial=, which max/min may meet twice.
                    let id = match f.identity {
                        Some(_) => identity_array(f, l, &device)?,
                        None => fill()?.expect("initial= is given (checked above)"),
                    };
                    let filler = id.broadcast_to(shape)?;
                    let merged = Array::empty(shape, l, &device)?;
                    wgarray_kernels::select(&m.operand()?, &v.operand()?, &filler.operand()?, &merged.operand()?)?;
                    merged
                }
            };
            if f.rules.contains(&Rule::NegativeIntegerExponent) && l.kind() == wgarray_core::Kind::Signed {
                check_exponents(&source.cast_to(l)?, &reduced)?;
            }
            // float16 runs in float32 where NumPy's does: its pairwise sums, and
            // its folds of the four arithmetic ufuncs along the axis innermost
            // in memory (its inner loop); elsewhere NumPy rounds every step.
            use wgarray_kernels::ops::Scalar;
            let arith = matches!(f.outputs[0], Scalar::Add | Scalar::Subtract | Scalar::Multiply | Scalar::Divide);
            let acc = if l == DType::Float16 && (reorderable || arith && reduces_innermost(&source, &reduced)) {
                DType::Float32
            } else {
                l
            };
            let part = Array::empty(&kept, partial_dtype(acc), &device)?;
            let start = match (&opts.initial, reorderable) {
                (Some(i), false) => Some(i.cast_to(partial_dtype(acc))?),
                _ => None,
            };
            let r = Reduction { ufunc: f, acc, tree: reorderable };
            // A pending elementwise result is read as its program (never stored).
            let fused = match crate::lazy::pending_expr(&source) {
                Some((prog, leaves)) if start.is_none() => {
                    let ops: Vec<_> = leaves.iter().map(|l| l.operand()).collect::<Result<_>>()?;
                    wgarray_kernels::reduce_fused(&r, &prog, &ops, shape, &reduced, &part.operand()?)?
                }
                _ => false,
            };
            if !fused {
                wgarray_kernels::reduce(&r, &source.operand()?, &reduced, &part.operand()?, start.as_ref().map(|s| s.operand()).transpose()?.as_ref())?;
            }
            let mut res = part.fresh_into(l)?;
            if let (Some(i), true) = (opts.initial, reorderable) {
                res = Array::ufunc_with(name, &[&i.cast_to(l)?, &res], crate::UfuncOptions { dtype: Some(l), ..Default::default() })?.remove(0);
            }
            res
        };
        let result = if opts.keepdims {
            result.reshape(&keep_shape.iter().map(|&n| n as i64).collect::<Vec<_>>())?
        } else {
            result
        };
        match opts.out {
            None => Ok(result),
            Some(o) => {
                o.setitem(&[], &result)?;
                Ok(o.clone())
            }
        }
    }
}

/// True when the one reduced axis is the input's innermost in memory (the
/// smallest stride among axes longer than 1), where NumPy's inner loop runs.
fn reduces_innermost(x: &Array, reduced: &[bool]) -> bool {
    let Some(axis) = reduced.iter().position(|&r| r) else { return true };
    let st = &x.layout().strides;
    (0..x.ndim()).filter(|&a| a != axis && x.shape()[a] > 1).all(|a| st[a].unsigned_abs() > st[axis].unsigned_abs())
}

/// Integer power.reduce: every element after the first along the (one)
/// reduced axis is an exponent, and a negative one is NumPy's ValueError.
/// Read on the host (a GPU check comes with the reductions that need no
/// readback).
fn check_exponents(x: &Array, reduced: &[bool]) -> Result<()> {
    let Some(axis) = reduced.iter().position(|&r| r) else { return Ok(()) };
    let bytes = x.to_host_bytes()?;
    let size = x.dtype.itemsize();
    let inner: usize = x.shape()[axis + 1..].iter().product();
    let len = x.shape()[axis];
    let negative = bytes.chunks_exact(size).enumerate().any(|(i, c)| (i / inner) % len != 0 && c[size - 1] & 0x80 != 0);
    if negative {
        return Err(Error::value("Integers to negative integer powers are not allowed."));
    }
    Ok(())
}

/// The ufunc `name` if `method` (reduce, accumulate) can fold it, else
/// NumPy's error.
pub(crate) fn folding_ufunc(name: &str, method: &str) -> Result<&'static Ufunc> {
    let f = Ufunc::get(name).ok_or_else(|| Error::NotImplemented(format!("ufunc '{name}' is not implemented")))?;
    if f.core.is_some() {
        return Err(Error::Device("Reduction not defined on ufunc with signature".into()));
    }
    if f.nin != 2 {
        return Err(Error::value(format!("{method} only supported for binary functions")));
    }
    if f.nout != 1 {
        return Err(Error::value(format!("{method} only supported for functions returning a single value")));
    }
    Ok(f)
}

/// Which of `ndim` axes `axes` names (None: all), with NumPy's errors.
fn reduced_axes(axes: Option<&[i64]>, ndim: usize) -> Result<Vec<bool>> {
    let Some(axes) = axes else { return Ok(vec![true; ndim]) };
    let mut reduced = vec![false; ndim];
    for &a in axes {
        let a = normalize_axis(a, ndim)?;
        if reduced[a] {
            return Err(Error::value("duplicate value in 'axis'"));
        }
        reduced[a] = true;
    }
    Ok(reduced)
}

/// The dtype a fold (reduce, accumulate, reduceat) runs in: `dtype=`, else
/// `out`'s dtype, else the input's (add and multiply widen bool and small
/// integers, as NumPy's reductions do); the ufunc must have a loop with both
/// inputs and the output in it.
pub(crate) fn fold_loop(f: &Ufunc, name: &str, input: DType, dtype: Option<DType>, out: Option<&Array>, device: &wgarray_device::Device) -> Result<DType> {
    let d = match (dtype, out) {
        (Some(d), _) => d,
        (None, Some(o)) => o.dtype,
        (None, None) => default_dtype(f, input, has_i64(device)),
    };
    let lp = if dtype.is_some() || out.is_some() { f.resolve_for_dtype(&[d, d], d, Casting::Unsafe)? } else { f.resolve(&[d, d])? };
    let l = lp.outputs[0];
    if lp.inputs[0] != l || lp.inputs[1] != l {
        return Err(Error::type_error(format!("No loop matching the specified signature and casting was found for ufunc {name}")));
    }
    Ok(l)
}

pub(crate) fn has_i64(device: &wgarray_device::Device) -> bool {
    match device {
        wgarray_device::Device::Cpu => true,
        wgarray_device::Device::Gpu(ctx) => ctx.has_i64(),
    }
}

/// NumPy's reduce dtype without `dtype=`: add and multiply of bool and
/// integers narrower than 64 bits run in int64 (uint64 for unsigned); the
/// logical ufuncs reduce the values' truth.
pub(crate) fn default_dtype(f: &Ufunc, d: DType, i64_ok: bool) -> DType {
    use DType::*;
    // A device without int64 widens to its default integer, int32.
    let (signed, unsigned) = if i64_ok { (Int64, UInt64) } else { (Int32, UInt32) };
    if matches!(f.name, "logical_and" | "logical_or" | "logical_xor") {
        return Bool; // NumPy reduces the values' truth
    }
    if !matches!(f.name, "add" | "multiply") {
        return d;
    }
    match d {
        Bool | Int8 | Int16 | Int32 => signed,
        UInt8 | UInt16 | UInt32 => unsigned,
        d => d,
    }
}

/// The ufunc's identity as a 0-d array of `d` (converted on the host, where
/// every dtype exists, then moved).
fn identity_array(f: &Ufunc, d: DType, device: &wgarray_device::Device) -> Result<Array> {
    use wgarray_kernels::Identity;
    let (bytes, from) = match f.identity.expect("caller checked") {
        Identity::Int(i) => (i.to_le_bytes().to_vec(), DType::Int64),
        Identity::Bool(b) => (vec![b as u8], DType::Bool),
        Identity::Float(x) => (x.to_le_bytes().to_vec(), DType::Float64),
    };
    let host = wgarray_device::Device::Cpu;
    Array::from_host(&bytes, &[], from, &host)?.astype(d)?.to_device(device)
}
