//! Creating arrays: empty, zeros, filled, from host memory.

use std::any::Any;
use std::sync::Arc;

use wgarray_core::layout::shape_size;
use wgarray_core::{DType, Error, Layout, Result};
use wgarray_device::{CpuBuffer, Device, Storage};
use wgarray_kernels::copy_cast;

use crate::Array;

fn nbytes(shape: &[usize], dtype: DType) -> Result<usize> {
    shape_size(shape)?.checked_mul(dtype.itemsize()).filter(|&b| b <= isize::MAX as usize).ok_or_else(|| {
        Error::value("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.")
    })
}

impl Array {
    /// An array with unspecified contents.
    pub fn empty(shape: &[usize], dtype: DType, device: &Device) -> Result<Array> {
        device.check_dtype(dtype)?;
        let storage = Storage::uninit(device, nbytes(shape, dtype)?)?;
        Ok(Array::from_parts(Arc::new(storage), Layout::contiguous(shape), dtype, true))
    }

    /// An array of zeros.
    pub fn zeros(shape: &[usize], dtype: DType, device: &Device) -> Result<Array> {
        device.check_dtype(dtype)?;
        let storage = Storage::zeroed(device, nbytes(shape, dtype)?)?;
        Ok(Array::from_parts(Arc::new(storage), Layout::contiguous(shape), dtype, true))
    }

    /// An array every element of which is `value`, given as one element's
    /// bytes in `dtype` (the caller converts the fill value as NumPy does).
    pub fn full(shape: &[usize], dtype: DType, value: &[u8], device: &Device) -> Result<Array> {
        if value.len() != dtype.itemsize() {
            return Err(Error::value("fill value must be one element of the dtype"));
        }
        let out = Array::empty(shape, dtype, device)?;
        if out.size() > 0 {
            let one = Array::from_host(value, &[], dtype, device)?;
            let src = one.broadcast_to(shape)?;
            copy_cast(&src.operand()?, &out.operand()?)?;
        }
        Ok(out)
    }

    /// A copy of C-ordered host bytes.
    pub fn from_host(bytes: &[u8], shape: &[usize], dtype: DType, device: &Device) -> Result<Array> {
        let n = nbytes(shape, dtype)?;
        if bytes.len() != n {
            return Err(Error::value(format!("expected {n} bytes for the array, got {}", bytes.len())));
        }
        device.check_dtype(dtype)?;
        let storage = match device {
            Device::Cpu => {
                let b = CpuBuffer::zeroed(n)?;
                // SAFETY: b has n fresh bytes.
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), b.as_ptr(), n) };
                Storage::Cpu(b)
            }
            Device::Gpu(ctx) => Storage::Gpu(ctx.upload(bytes)?),
        };
        Ok(Array::from_parts(Arc::new(storage), Layout::contiguous(shape), dtype, true))
    }

    /// A CPU-device array over memory owned by `owner` (no copy).
    ///
    /// # Safety
    /// `ptr` with `shape`/`strides` (elements) must address valid memory of
    /// `dtype` for as long as `owner` lives, aligned for `dtype`; writes are
    /// made only if `writeable`. `private`: nothing outside wgarray holds
    /// the memory (a host array built only to be wrapped), so it may be read
    /// lazily; otherwise it is exposed (`Storage::is_exposed`).
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn from_host_borrowed(
        ptr: *mut u8,
        span: (usize, usize),
        shape: &[usize],
        strides: &[isize],
        dtype: DType,
        writeable: bool,
        owner: Box<dyn Any + Send + Sync>,
        private: bool,
    ) -> Array {
        // The buffer starts at the lowest byte touched; the layout's offset points at element 0.
        let (lo_bytes, len) = span;
        let start = ptr.wrapping_sub(lo_bytes);
        let buf = unsafe { CpuBuffer::foreign(start, len, owner, !private) };
        let layout = Layout { shape: shape.into(), strides: strides.into(), offset: lo_bytes / dtype.itemsize() };
        Array::from_parts(Arc::new(Storage::Cpu(buf)), layout, dtype, writeable)
    }
}
