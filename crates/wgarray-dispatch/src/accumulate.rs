//! `ufunc.accumulate` with NumPy's semantics: one axis, NumPy's dtype rule
//! (add and multiply widen bool and small integers, as reduce does),
//! `dtype=` and `out=`.

use wgarray_core::layout::normalize_axis;
use wgarray_core::{DType, Error, Result};
use wgarray_kernels::ops::Rule;
use wgarray_kernels::wgsl::reduce::partial_dtype;
use wgarray_kernels::Reduction;

use crate::reduce::{fold_loop, folding_ufunc};
use crate::Array;

impl Array {
    /// `np.<name>.accumulate(self, axis, dtype=, out=)`.
    pub fn accumulate(&self, name: &str, axis: i64, dtype: Option<DType>, out: Option<&Array>) -> Result<Array> {
        let f = folding_ufunc(name, "accumulate")?;
        if self.ndim() == 0 {
            return Err(Error::type_error("cannot accumulate on a scalar"));
        }
        let axis = normalize_axis(axis, self.ndim())?;
        let device = self.device();
        if let Some(o) = out {
            if o.device() != device {
                return Err(Error::value(format!(
                    "operands are on different devices ({} and {}); move them with to_device() first",
                    device.name(),
                    o.device().name()
                )));
            }
        }
        let l = fold_loop(f, name, self.dtype, dtype, out, &device)?;
        let shape = self.shape().to_vec();
        if let Some(o) = out {
            if o.shape() != shape.as_slice() {
                return Err(Error::value(format!(
                    "output parameter for accumulate operation {name} has the wrong shape"
                )));
            }
            if !o.writeable {
                return Err(Error::value("output array is read-only"));
            }
        }
        let reorderable = f.identity.is_some() || f.rules.contains(&Rule::Reorderable);
        // Rows in C order of the other axes, then the axis: computed in that
        // order, viewed back in the input's axis order.
        let mut perm: Vec<usize> = (0..shape.len()).filter(|&a| a != axis).collect();
        perm.push(axis);
        let pshape: Vec<usize> = perm.iter().map(|&a| shape[a]).collect();
        let rows = Array::empty(&pshape, partial_dtype(l), &device)?;
        if shape.iter().product::<usize>() > 0 {
            let r = Reduction { ufunc: f, acc: l, tree: reorderable };
            wgarray_kernels::accumulate(&r, &self.operand()?, axis, &rows.operand()?)?;
        }
        let mut inverse = vec![0i64; perm.len()];
        for (i, &p) in perm.iter().enumerate() {
            inverse[p] = i as i64;
        }
        let back = rows.permute(Some(&inverse))?;
        match out {
            None => back.fresh_into(l),
            Some(o) => {
                o.setitem(&[], &back.astype(l)?)?;
                Ok(o.clone())
            }
        }
    }
}
