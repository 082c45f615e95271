//! Calling a ufunc: loop resolution, broadcasting, the output (allocated or
//! given, with NumPy's checks), the kernel.

use wgarray_core::broadcast::shape_str;
use wgarray_core::{broadcast_shapes, can_cast, Casting, Error, Result};
use wgarray_kernels::ops::Ufunc;

use crate::Array;

impl Array {
    /// Calls the ufunc `name` on `inputs` (all on one device); returns its outputs.
    pub fn ufunc(name: &str, inputs: &[&Array]) -> Result<Vec<Array>> {
        Array::ufunc_out(name, inputs, None, Casting::SameKind)
    }

    /// Calls the ufunc `name`, writing into `out` when given (NumPy's `out=`),
    /// with the output cast checked against `casting`.
    pub fn ufunc_out(name: &str, inputs: &[&Array], out: Option<&Array>, casting: Casting) -> Result<Vec<Array>> {
        let f = Ufunc::get(name).ok_or_else(|| Error::NotImplemented(format!("ufunc '{name}' is not implemented")))?;
        if inputs.len() != f.nin {
            return Err(Error::type_error(format!("{name}() takes {} positional arguments but {} were given", f.nin, inputs.len())));
        }
        let device = out.map(|o| o.device()).unwrap_or_else(|| inputs[0].device());
        if let Some(other) = inputs.iter().find(|a| a.device() != device) {
            return Err(Error::value(format!(
                "operands are on different devices ({} and {}); move them with to_device() first",
                device.name(),
                other.device().name()
            )));
        }
        let lp = f.resolve(&inputs.iter().map(|a| a.dtype).collect::<Vec<_>>())?;
        let mut shapes: Vec<&[usize]> = inputs.iter().map(|a| a.shape()).collect();
        let in_shape = broadcast_shapes(&shapes)?;
        let target = match out {
            None => Array::empty(&in_shape, lp.output, &device)?,
            Some(o) => {
                shapes.push(o.shape());
                let full = broadcast_shapes(&shapes)?;
                if full != o.shape() {
                    return Err(Error::value(format!(
                        "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
                        shape_str(o.shape()),
                        shape_str(&full)
                    )));
                }
                if !o.writeable {
                    return Err(Error::value("output array is read-only"));
                }
                if !can_cast(lp.output, o.dtype, casting) {
                    return Err(Error::type_error(format!(
                        "Cannot cast ufunc '{name}' output from dtype('{}') to dtype('{}') with casting rule '{}'",
                        lp.output,
                        o.dtype,
                        casting.name()
                    )));
                }
                o.clone()
            }
        };
        // An output that shares memory with an input is computed into a
        // temporary first: NumPy's answer for overlap, and GPUs cannot bind
        // one buffer as both input and output.
        let overlaps = out.is_some() && inputs.iter().any(|a| a.shares_storage(&target));
        let dest = if overlaps { Array::empty(target.shape(), target.dtype, &device)? } else { target.clone() };
        let bcast: Vec<Array> = inputs.iter().map(|a| a.broadcast_to(dest.shape())).collect::<Result<_>>()?;
        let ops: Vec<_> = bcast.iter().map(|a| a.operand()).collect();
        wgarray_kernels::ufunc(f, &lp, &ops, &dest.operand())?;
        if overlaps {
            wgarray_kernels::copy_cast(&dest.operand(), &target.operand())?;
        }
        Ok(vec![target])
    }
}
