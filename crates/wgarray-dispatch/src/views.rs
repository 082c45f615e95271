//! Views (no copy), reshape, setitem, astype and copy.

use wgarray_core::{DType, Error, IndexItem, Layout, Result};
use wgarray_kernels::copy_cast;

use crate::Array;

impl Array {
    /// Basic indexing: a view.
    pub fn index(&self, items: &[IndexItem]) -> Result<Array> {
        self.view(self.layout.index(items)?)
    }

    /// `transpose(axes)`; `None` reverses the axes.
    pub fn permute(&self, axes: Option<&[i64]>) -> Result<Array> {
        self.view(self.layout.permute(axes)?)
    }

    /// `x.mT`.
    pub fn matrix_transpose(&self) -> Result<Array> {
        self.view(self.layout.matrix_transpose()?)
    }

    /// A read-only broadcast view (`np.broadcast_to`).
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Array> {
        let mut v = self.view(self.layout.broadcast_to(shape)?)?;
        if v.layout.shape != self.layout.shape {
            v.writeable = false;
        }
        Ok(v)
    }

    /// Reshape in C order: a view when the layout allows, else a copy.
    pub fn reshape(&self, shape: &[i64]) -> Result<Array> {
        let shape = self.layout.resolve_shape(shape)?;
        match self.layout.reshape_view(&shape) {
            Some(l) => self.view(l),
            None => {
                let c = self.copy()?;
                c.view(Layout::contiguous(&shape))
            }
        }
    }

    /// `np.diagonal(self, offset, axis1, axis2)`: a read-only view, the
    /// diagonal's axis last (NumPy's).
    pub fn diagonal(&self, offset: i64, axis1: i64, axis2: i64) -> Result<Array> {
        use wgarray_core::layout::normalize_axis;
        let nd = self.ndim();
        if nd < 2 {
            return Err(Error::value("diag requires an array of at least two dimensions"));
        }
        let (a1, a2) = (normalize_axis(axis1, nd)?, normalize_axis(axis2, nd)?);
        if a1 == a2 {
            return Err(Error::value("axis1 and axis2 cannot be the same"));
        }
        let l = &self.layout;
        let (n, m) = (l.shape[a1] as i64, l.shape[a2] as i64);
        let k = (n - (-offset).max(0)).min(m - offset.max(0)).max(0) as usize;
        let mut shape: Vec<usize> = (0..nd).filter(|&a| a != a1 && a != a2).map(|a| l.shape[a]).collect();
        let mut strides: Vec<isize> = (0..nd).filter(|&a| a != a1 && a != a2).map(|a| l.strides[a]).collect();
        shape.push(k);
        strides.push(l.strides[a1] + l.strides[a2]);
        let start = if k == 0 {
            0
        } else if offset >= 0 {
            offset as isize * l.strides[a2]
        } else {
            -offset as isize * l.strides[a1]
        };
        let mut v = self.view(Layout { shape: shape.into(), strides: strides.into(), offset: (l.offset as isize + start) as usize })?;
        v.writeable = false;
        Ok(v)
    }

    /// Removes axes of length one.
    pub fn squeeze(&self, axes: Option<&[i64]>) -> Result<Array> {
        self.view(self.layout.squeeze(axes)?)
    }

    /// Inserts axes of length one.
    pub fn expand_dims(&self, axes: &[i64]) -> Result<Array> {
        self.view(self.layout.expand_dims(axes)?)
    }

    /// `self[items] = value`, `value` broadcast to the selection and cast as
    /// NumPy's setitem casts (unsafe casting, like `astype`).
    pub fn setitem(&self, items: &[IndexItem], value: &Array) -> Result<()> {
        if !self.writeable {
            return Err(Error::value("assignment destination is read-only"));
        }
        let dst = self.index(items)?;
        if value.device() != dst.device() {
            return Err(Error::value(format!(
                "cannot assign an array on device {} into an array on device {}; move it with to_device() first",
                value.device().name(),
                dst.device().name()
            )));
        }
        let src = value.broadcast_to(dst.shape()).map_err(|_| {
            Error::value(format!(
                "could not broadcast input array from shape {} into shape {}",
                wgarray_core::broadcast::shape_str(value.shape()),
                wgarray_core::broadcast::shape_str(dst.shape())
            ))
        })?;
        // Overlapping source and destination: NumPy's answer is as if the source were copied first.
        let src = if src.shares_storage(&dst) { value.copy()?.broadcast_to(dst.shape())? } else { src };
        copy_cast(&src.operand()?, &dst.target()?)
    }

    /// A C-contiguous copy on the same device.
    pub fn copy(&self) -> Result<Array> {
        self.astype(self.dtype)
    }

    /// `astype(dtype)`: always a new C-contiguous array.
    /// `self` in `dtype` for reading: itself when it already is, else a
    /// converted copy (no copy kernel for a cast that changes nothing).
    pub(crate) fn cast_to(&self, dtype: DType) -> Result<Array> {
        if self.dtype == dtype { Ok(self.clone()) } else { self.astype(dtype) }
    }

    /// A result wgarray just made (no one else holds it) as the caller's
    /// result in `dtype`: itself when already `dtype` and C-contiguous, else
    /// a C-contiguous converted copy, as `astype` gives.
    pub(crate) fn fresh_into(self, dtype: DType) -> Result<Array> {
        if self.dtype == dtype && self.layout.strides == wgarray_core::layout::c_strides(self.shape()) { Ok(self) } else { self.astype(dtype) }
    }

    pub fn astype(&self, dtype: DType) -> Result<Array> {
        if let Some(r) = crate::lazy::try_cast(self, dtype)? {
            return Ok(r);
        }
        let out = Array::empty(self.shape(), dtype, &self.device())?;
        copy_cast(&self.operand()?, &out.operand()?)?;
        Ok(out)
    }
}
