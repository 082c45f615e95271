//! `ufunc.reduceat` with NumPy's semantics: segments of one axis folded in
//! order (a segment whose next index is not beyond it is its first element),
//! NumPy's dtype rule (as reduce: add and multiply widen small integers),
//! `dtype=` and `out=`, and NumPy's out-of-bounds IndexError (the indices'
//! extremes are read back to check them).

use wgarray_core::layout::normalize_axis;
use wgarray_core::{DType, Error, Result};
use wgarray_kernels::wgsl::reduce::partial_dtype;
use wgarray_kernels::Reduction;

use crate::reduce::{fold_loop, folding_ufunc};
use crate::{Array, ReduceOptions};

/// The value of a 0-d integer array, read back.
fn read_int(a: &Array) -> Result<i64> {
    let b = a.astype(a.index_dtype())?.to_host_bytes()?;
    Ok(if b.len() >= 8 { i64::from_le_bytes(b[..8].try_into().unwrap()) } else { i32::from_le_bytes(b[..4].try_into().unwrap()) as i64 })
}

impl Array {
    /// `np.<name>.reduceat(self, indices, axis, dtype=, out=)`; `indices`
    /// is 1-d, of an integer dtype.
    pub fn reduceat(&self, name: &str, indices: &Array, axis: i64, dtype: Option<DType>, out: Option<&Array>) -> Result<Array> {
        let f = folding_ufunc(name, "reduceat")?;
        if self.ndim() == 0 {
            return Err(Error::type_error("cannot reduceat on a scalar"));
        }
        let axis = normalize_axis(axis, self.ndim())?;
        let device = self.device();
        for other in out.iter().copied().chain([indices]) {
            if other.device() != device {
                return Err(Error::value(format!(
                    "operands are on different devices ({} and {}); move them with to_device() first",
                    device.name(),
                    other.device().name()
                )));
            }
        }
        if indices.ndim() != 1 || indices.dtype.is_float() || indices.dtype == DType::Bool {
            return Err(Error::type_error("reduceat indices must be a 1-d array of integers"));
        }
        let l = fold_loop(f, name, self.dtype, dtype, out, &device)?;
        let len = self.shape()[axis];
        let nseg = indices.size();
        if nseg > 0 {
            let lo = read_int(&indices.reduce("minimum", ReduceOptions::default())?)?;
            let hi = read_int(&indices.reduce("maximum", ReduceOptions::default())?)?;
            if let Some(bad) = [lo, hi].into_iter().find(|&i| i < 0 || i >= len as i64) {
                return Err(Error::index(format!("index {bad} out-of-bounds in {name}.reduceat [0, {len})")));
            }
        }
        let mut shape = self.shape().to_vec();
        shape[axis] = nseg;
        if let Some(o) = out {
            if o.shape() != shape.as_slice() {
                return Err(Error::value(format!("output parameter for reduceat operation {name} has the wrong shape")));
            }
            if !o.writeable {
                return Err(Error::value("output array is read-only"));
            }
        }
        // Segment-major results, viewed back with the segments on `axis`.
        let mut pshape = vec![nseg];
        pshape.extend((0..self.ndim()).filter(|&a| a != axis).map(|a| self.shape()[a]));
        // NumPy folds float16 segments of the four arithmetic ufuncs in
        // float32 (its inner loop's reduce path), rounding once per segment.
        use wgarray_kernels::ops::Scalar;
        let arith = matches!(f.outputs[0], Scalar::Add | Scalar::Subtract | Scalar::Multiply | Scalar::Divide);
        let acc = if l == DType::Float16 && arith { DType::Float32 } else { l };
        let rows = Array::empty(&pshape, partial_dtype(acc), &device)?;
        if nseg > 0 && self.size() > 0 {
            let starts = indices.astype(DType::UInt32)?;
            let r = Reduction { ufunc: f, acc, tree: false };
            wgarray_kernels::reduceat(&r, &self.operand()?, axis, &starts.operand()?, &rows.operand()?)?;
        }
        let mut back: Vec<i64> = (1..self.ndim() as i64).collect();
        back.insert(axis, 0);
        let res = rows.permute(Some(&back))?;
        match out {
            None => res.fresh_into(l),
            Some(o) => {
                o.setitem(&[], &res.astype(l)?)?;
                Ok(o.clone())
            }
        }
    }
}
