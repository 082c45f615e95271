//! Data-dependent shapes: `nonzero` and boolean-mask indexing (`x[mask]`,
//! `x[mask] = v`). The mask's running count (a scan) gives each selected
//! element its place; the count itself is read back — the one readback a
//! data-dependent shape needs.

use wgarray_core::{DType, Error, IndexItem, Result};
use wgarray_kernels::wgsl::reduce::partial_dtype;

use crate::reduce::has_i64;
use crate::Array;

impl Array {
    /// The index dtype of this array's device: int64, or int32 without it.
    pub fn index_dtype(&self) -> DType {
        if has_i64(&self.device()) { DType::Int64 } else { DType::Int32 }
    }

    fn index_scalar(&self, v: i64) -> Result<Array> {
        let d = self.index_dtype();
        let bytes = if d == DType::Int64 { v.to_le_bytes().to_vec() } else { (v as i32).to_le_bytes().to_vec() };
        Array::full(&[], d, &bytes, &self.device())
    }

    /// For a mask (any dtype: its truth), each true element's place in C
    /// order (-1 elsewhere), shaped like the mask, and how many are true.
    fn mask_places(mask: &Array) -> Result<(Array, usize)> {
        let m = mask.astype(DType::Bool)?;
        let n = m.size();
        let flat = m.reshape(&[n as i64])?;
        let idx = mask.index_dtype();
        if n == 0 {
            return Ok((Array::empty(mask.shape(), idx, &mask.device())?, 0));
        }
        let counts = flat.accumulate("add", 0, Some(idx), None)?;
        let last = counts.index(&[IndexItem::Int(-1)])?.to_host_bytes()?;
        let count = if idx == DType::Int64 {
            i64::from_le_bytes(last[..8].try_into().unwrap()) as usize
        } else {
            i32::from_le_bytes(last[..4].try_into().unwrap()) as usize
        };
        let one = mask.index_scalar(1)?;
        let minus = mask.index_scalar(-1)?;
        let places = Array::ufunc("subtract", &[&counts, &one])?.remove(0);
        let dest = Array::select(&flat, &places, &minus)?;
        let shape: Vec<i64> = mask.shape().iter().map(|&d| d as i64).collect();
        Ok((dest.reshape(&shape)?, count))
    }

    /// `np.flatnonzero(self)`: the C-order indices of the true elements.
    pub fn flatnonzero(&self) -> Result<Array> {
        let (dest, count) = Array::mask_places(self)?;
        let flat = Array::empty(&[count], self.index_dtype(), &self.device())?;
        wgarray_kernels::scatter(None, &dest.operand()?, &flat.operand()?)?;
        Ok(flat)
    }

    /// `out.flat[dest] = value` for a C-contiguous `out` of a 32/64-bit
    /// dtype (`value` cast to it); negative destinations are skipped and the
    /// rest must be in range.
    pub fn scatter_into(out: &Array, dest: &Array, value: &Array) -> Result<()> {
        if !out.writeable {
            return Err(Error::value("assignment destination is read-only"));
        }
        let c = wgarray_core::layout::c_strides(out.shape());
        if out.layout.strides != c || out.dtype.is_subword() {
            return Err(Error::value("scatter_into needs a C-contiguous 32/64-bit output"));
        }
        let v = value.broadcast_to(dest.shape())?;
        let d = dest.astype(dest.index_dtype())?;
        let n = out.size();
        let flat = out.view(wgarray_core::Layout { shape: wgarray_core::dims![n], strides: wgarray_core::dims![1], offset: out.layout.offset })?;
        wgarray_kernels::scatter(Some(&v.operand()?), &d.operand()?, &flat.target()?)
    }

    /// `np.nonzero(self)`: one index array per axis (a 0-d array counts as 1-d).
    pub fn nonzero(&self) -> Result<Vec<Array>> {
        let x = if self.ndim() == 0 { self.reshape(&[1])? } else { self.clone() };
        let flat = x.flatnonzero()?;
        let mut out = Vec::with_capacity(x.ndim());
        let mut inner: usize = x.size();
        for &len in x.shape() {
            inner /= len.max(1);
            let q = Array::ufunc("floor_divide", &[&flat, &x.index_scalar(inner as i64)?])?.remove(0);
            out.push(Array::ufunc("remainder", &[&q, &x.index_scalar(len as i64)?])?.remove(0));
        }
        Ok(out)
    }

    /// `self[mask]` for a boolean `mask` over this array's leading axes:
    /// the selected elements (or subarrays) in C order.
    pub fn compress_mask(&self, mask: &Array) -> Result<Array> {
        let k = mask.ndim();
        if k > self.ndim() || mask.shape() != &self.shape()[..k] {
            return Err(Error::index(format!(
                "boolean index did not match indexed array along axis {}; size of axis is {} but size of corresponding boolean axis is {}",
                first_mismatch(self.shape(), mask.shape()),
                self.shape().get(first_mismatch(self.shape(), mask.shape())).copied().unwrap_or(0),
                mask.shape().get(first_mismatch(self.shape(), mask.shape())).copied().unwrap_or(0)
            )));
        }
        if mask.device() != self.device() {
            return Err(Error::value("the mask is on another device; move it with to_device() first"));
        }
        // Broadcast the mask over the trailing axes: subarrays stay contiguous in C order.
        let mut mshape: Vec<i64> = mask.shape().iter().map(|&d| d as i64).collect();
        mshape.extend(std::iter::repeat_n(1, self.ndim() - k));
        let full = mask.reshape(&mshape)?.broadcast_to(self.shape())?;
        let (dest, count) = Array::mask_places(&full)?;
        let inner: usize = self.shape()[k..].iter().product();
        let part = partial_dtype(self.dtype);
        let flat = Array::empty(&[count], part, &self.device())?;
        wgarray_kernels::scatter(Some(&self.operand()?), &dest.operand()?, &flat.operand()?)?;
        // `count` counts elements; each selected subarray has `inner` of them.
        let mut shape = vec![(count / inner.max(1)) as i64];
        shape.extend(self.shape()[k..].iter().map(|&d| d as i64));
        flat.fresh_into(self.dtype)?.reshape(&shape)
    }
}

fn first_mismatch(shape: &[usize], mask: &[usize]) -> usize {
    shape.iter().zip(mask).position(|(a, b)| a != b).unwrap_or(shape.len().min(mask.len()))
}

impl Array {
    /// `self.flat[idx]` (C order): an array shaped like `idx`, whose
    /// entries must be in range (negative ones are not wrapped here).
    pub fn take_flat(&self, idx: &Array) -> Result<Array> {
        if idx.device() != self.device() {
            return Err(Error::value("the indices are on another device; move them with to_device() first"));
        }
        let src = if self.layout.strides == wgarray_core::layout::c_strides(self.shape()) { self.clone() } else { self.copy()? };
        let i = if matches!(idx.dtype, DType::Int32 | DType::Int64) { idx.clone() } else { idx.astype(self.index_dtype())? };
        let part = partial_dtype(self.dtype);
        let out = Array::empty(idx.shape(), part, &self.device())?;
        wgarray_kernels::gather(&src.operand()?, &i.operand()?, &out.operand()?)?;
        out.fresh_into(self.dtype)
    }
}
