//! Calling a ufunc: loop resolution, broadcasting, the outputs (allocated or
//! given, with NumPy's checks), NumPy's value checks, the kernels.

use wgarray_core::broadcast::shape_str;
use wgarray_core::{broadcast_shapes, can_cast, Casting, DType, Error, Result};
use wgarray_kernels::ops::{Loop, Rule, Ufunc};

use crate::Array;

/// The keyword arguments of a ufunc call.
#[derive(Clone, Copy)]
pub struct UfuncOptions<'a> {
    /// `out=`: one entry per output (`None` allocates); may be shorter.
    pub outs: &'a [Option<Array>],
    /// `casting=`.
    pub casting: Casting,
    /// `dtype=`: the output dtype, which selects the loop.
    pub dtype: Option<DType>,
    /// `where=`: a bool mask; outputs keep their values where it is False.
    pub mask: Option<&'a Array>,
}

impl Default for UfuncOptions<'_> {
    fn default() -> Self {
        UfuncOptions { outs: &[], casting: Casting::SameKind, dtype: None, mask: None }
    }
}

impl Array {
    /// Calls the ufunc `name` on `inputs` (all on one device); returns its outputs.
    pub fn ufunc(name: &str, inputs: &[&Array]) -> Result<Vec<Array>> {
        Array::ufunc_with(name, inputs, UfuncOptions::default())
    }

    /// Calls the ufunc `name` with NumPy's keyword arguments.
    pub fn ufunc_with(name: &str, inputs: &[&Array], opts: UfuncOptions) -> Result<Vec<Array>> {
        let f = Ufunc::get(name).ok_or_else(|| Error::NotImplemented(format!("ufunc '{name}' is not implemented")))?;
        if inputs.len() != f.nin {
            return Err(Error::type_error(format!("{name}() takes {} positional arguments but {} were given", f.nin, inputs.len())));
        }
        if let Some(core) = f.core {
            return crate::gufunc::call(f, core, inputs[0], inputs[1], opts);
        }
        let outs = opts.outs;
        if outs.len() > f.nout {
            return Err(Error::value(format!("The 'out' tuple must have exactly {} entries: one per ufunc output", f.nout)));
        }
        let given: Vec<&Array> = outs.iter().flatten().collect();
        let device = given.first().map(|o| o.device()).unwrap_or_else(|| inputs[0].device());
        if let Some(other) = inputs.iter().chain(given.iter()).chain(opts.mask.iter()).find(|a| a.device() != device) {
            return Err(Error::value(format!(
                "operands are on different devices ({} and {}); move them with to_device() first",
                device.name(),
                other.device().name()
            )));
        }
        let in_dtypes: Vec<DType> = inputs.iter().map(|a| a.dtype).collect();
        let lp = match opts.dtype {
            None => f.resolve(&in_dtypes)?,
            Some(d) => f.resolve_for_dtype(&in_dtypes, d, opts.casting)?,
        };
        let mut shapes: Vec<&[usize]> = inputs.iter().map(|a| a.shape()).collect();
        broadcast_shapes(&shapes)?; // NumPy's message names the inputs alone
        shapes.extend(opts.mask.map(|m| m.shape()));
        shapes.extend(given.iter().map(|o| o.shape()));
        let shape = broadcast_shapes(&shapes)?;
        if opts.mask.is_none() && given.is_empty() {
            if let Some(r) = crate::lazy::try_ufunc(f, &lp, inputs, &shape, &device)? {
                return Ok(vec![r]);
            }
        }
        let mut targets = Vec::with_capacity(f.nout);
        for (i, &dtype) in lp.outputs.iter().enumerate() {
            match outs.get(i).and_then(|o| o.as_ref()) {
                None => targets.push(Array::empty(&shape, dtype, &device)?),
                Some(o) => {
                    check_out(name, o, &shape, dtype, opts.casting)?;
                    targets.push(o.clone());
                }
            }
        }
        if shape.iter().product::<usize>() > 0 {
            check_values(f, &lp, inputs)?;
        }
        // Outputs that share memory with an input, or are masked, are
        // computed into temporaries first: NumPy's answer for overlap, and
        // GPUs cannot bind one buffer as both input and output. On the CPU an
        // input that is exactly the single output (`x += y`: same memory,
        // layout and dtype) is safe to compute in place, as NumPy does: each
        // element is read before it is written, by the same step.
        let cpu = matches!(device, wgarray_device::Device::Cpu);
        let in_place = |a: &Array, t: &Array| cpu && f.nout == 1 && a.dtype == t.dtype && a.layout == t.layout;
        let buffered = |t: &Array| opts.mask.is_some() || inputs.iter().any(|a| a.shares_storage(t) && !in_place(a, t));
        let dests: Vec<Array> = targets
            .iter()
            .map(|t| if buffered(t) { Array::empty(t.shape(), t.dtype, &device) } else { Ok(t.clone()) })
            .collect::<Result<_>>()?;
        let bcast: Vec<Array> = inputs.iter().map(|a| a.broadcast_to(&shape)).collect::<Result<_>>()?;
        let ops: Vec<_> = bcast.iter().map(|a| a.operand()).collect::<Result<_>>()?;
        let out_ops: Vec<_> = dests.iter().map(|a| a.target()).collect::<Result<_>>()?;
        wgarray_kernels::ufunc(f, &lp, &ops, &out_ops)?;
        let mask = match opts.mask {
            Some(m) => Some(m.cast_to(DType::Bool)?.broadcast_to(&shape)?),
            None => None,
        };
        for (d, t) in dests.iter().zip(&targets) {
            if d.shares_storage(t) {
                continue;
            }
            match &mask {
                None => wgarray_kernels::copy_cast(&d.operand()?, &t.target()?)?,
                Some(m) => {
                    // Where the mask is False the output keeps its values.
                    let merged = Array::empty(t.shape(), t.dtype, &device)?;
                    let computed = if d.dtype == t.dtype { d.clone() } else { d.astype(t.dtype)? };
                    wgarray_kernels::select(&m.operand()?, &computed.operand()?, &t.operand()?, &merged.operand()?)?;
                    wgarray_kernels::copy_cast(&merged.operand()?, &t.target()?)?;
                }
            }
        }
        Ok(targets)
    }
}

pub(crate) fn check_out(name: &str, o: &Array, shape: &[usize], dtype: DType, casting: Casting) -> Result<()> {
    if o.shape() != shape {
        return Err(Error::value(format!(
            "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
            shape_str(o.shape()),
            shape_str(shape)
        )));
    }
    if !o.writeable {
        return Err(Error::value("output array is read-only"));
    }
    if !can_cast(dtype, o.dtype, casting) {
        return Err(Error::type_error(format!(
            "Cannot cast ufunc '{name}' output from dtype('{dtype}') to dtype('{}') with casting rule '{}'",
            o.dtype,
            casting.name()
        )));
    }
    Ok(())
}

/// Errors NumPy raises from the values themselves.
fn check_values(f: &Ufunc, lp: &Loop, inputs: &[&Array]) -> Result<()> {
    if f.rules.contains(&Rule::NegativeIntegerExponent) && lp.inputs[1].kind() == wgarray_core::Kind::Signed && inputs[1].dtype.kind() == wgarray_core::Kind::Signed {
        // Integer power: any negative exponent is a ValueError. The exponent
        // is read on the host (GPU reductions are not written yet).
        // Read in its own dtype (a device may lack int64); the sign bit is the
        // top bit of each little-endian element.
        let e = inputs[1].to_host_bytes()?;
        let size = inputs[1].dtype.itemsize();
        if e.chunks_exact(size).any(|c| c[size - 1] & 0x80 != 0) {
            return Err(Error::value("Integers to negative integer powers are not allowed."));
        }
    }
    Ok(())
}

impl Array {
    /// `where(mask, a, b)`: elements of `a` where `mask` is true, else of `b`
    /// (`a` and `b` share a dtype; all three broadcast together).
    pub fn select(mask: &Array, a: &Array, b: &Array) -> Result<Array> {
        if a.dtype != b.dtype {
            return Err(Error::type_error("select: both choices must have one dtype"));
        }
        let device = a.device();
        if let Some(other) = [mask, b].into_iter().find(|x| x.device() != device) {
            return Err(Error::value(format!(
                "operands are on different devices ({} and {}); move them with to_device() first",
                device.name(),
                other.device().name()
            )));
        }
        let shape = broadcast_shapes(&[mask.shape(), a.shape(), b.shape()])?;
        let m = if mask.dtype == DType::Bool { mask.clone() } else { mask.astype(DType::Bool)? };
        let (m, x, y) = (m.broadcast_to(&shape)?, a.broadcast_to(&shape)?, b.broadcast_to(&shape)?);
        let out = Array::empty(&shape, a.dtype, &device)?;
        wgarray_kernels::select(&m.operand()?, &x.operand()?, &y.operand()?, &out.operand()?)?;
        Ok(out)
    }
}
