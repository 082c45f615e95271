//! `Array`: storage on a device, a layout into it, a dtype, and a writeable flag.

use std::sync::Arc;

use wgarray_core::{DType, Layout};
use wgarray_device::{Device, Storage};
use wgarray_kernels::Operand;

use crate::lazy::Mem;

/// An n-dimensional array on one device. Cloning makes another view of the
/// same memory (as NumPy views do). Its memory may be a pending fused result
/// (lazy.rs), computed when first needed.
#[derive(Clone)]
pub struct Array {
    pub(crate) mem: Mem,
    pub(crate) layout: Layout,
    pub(crate) dtype: DType,
    pub(crate) writeable: bool,
}

impl Array {
    pub(crate) fn from_parts(storage: Arc<Storage>, layout: Layout, dtype: DType, writeable: bool) -> Array {
        Array { mem: Mem::Ready(storage), layout, dtype, writeable }
    }

    /// The memory behind the array (shared by its views), computing a
    /// pending result first.
    pub fn storage(&self) -> wgarray_core::Result<&Arc<Storage>> {
        match &self.mem {
            Mem::Ready(s) => Ok(s),
            Mem::Pending(p) => p.storage(),
        }
    }

    /// The memory, for handing to writers outside wgarray (NumPy views,
    /// DLPack consumers): computed, every pending result reading it computed
    /// too, and marked so that nothing reads it lazily from now on.
    pub fn expose(&self) -> wgarray_core::Result<&Arc<Storage>> {
        let s = self.storage()?;
        crate::lazy::before_write(s)?;
        s.expose();
        Ok(s)
    }

    /// Computes the array if it is a pending fused result (on a GPU the
    /// kernel is recorded; `synchronize` waits for it).
    pub fn evaluate(&self) -> wgarray_core::Result<()> {
        self.storage().map(|_| ())
    }

    /// True while the array is a pending fused result (nothing computed yet).
    pub fn is_pending(&self) -> bool {
        matches!(&self.mem, Mem::Pending(p) if p.computed().is_none())
    }

    /// A view of `storage` through `layout` (element strides and offset),
    /// refused with a `BufferError` unless every element lies inside it.
    pub fn from_storage(storage: Arc<Storage>, layout: Layout, dtype: DType, writeable: bool) -> wgarray_core::Result<Array> {
        if layout.shape.len() != layout.strides.len() {
            return Err(wgarray_core::Error::buffer("shape and strides differ in length"));
        }
        if layout.size() > 0 {
            let (mut lo, mut hi) = (layout.offset as i128, layout.offset as i128);
            for (&d, &st) in layout.shape.iter().zip(&layout.strides) {
                let ext = (d as i128 - 1) * st as i128;
                if ext < 0 {
                    lo += ext;
                } else {
                    hi += ext;
                }
            }
            let isz = dtype.itemsize() as i128;
            if lo < 0 || (hi + 1) * isz > storage.len() as i128 {
                return Err(wgarray_core::Error::buffer("the tensor's elements lie outside its buffer"));
            }
        }
        Ok(Array { mem: Mem::Ready(storage), layout, dtype, writeable })
    }

    /// A view of the same memory with another layout (a pending result is
    /// computed first).
    pub(crate) fn view(&self, layout: Layout) -> wgarray_core::Result<Array> {
        Ok(Array { mem: Mem::Ready(self.storage()?.clone()), layout, dtype: self.dtype, writeable: self.writeable })
    }

    /// The array as a kernel input.
    pub(crate) fn operand(&self) -> wgarray_core::Result<Operand<'_>> {
        Ok(Operand { storage: self.storage()?, dtype: self.dtype, layout: &self.layout })
    }

    /// The array as a kernel output: pending results reading its memory are
    /// computed first, so they see what it holds now.
    pub(crate) fn target(&self) -> wgarray_core::Result<Operand<'_>> {
        let storage = self.storage()?;
        crate::lazy::before_write(storage)?;
        Ok(Operand { storage, dtype: self.dtype, layout: &self.layout })
    }

    /// Element type.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// Axis lengths.
    pub fn shape(&self) -> &[usize] {
        &self.layout.shape
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.layout.ndim()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.layout.size()
    }

    /// Strides in bytes, as NumPy reports them.
    pub fn strides_bytes(&self) -> Vec<isize> {
        self.layout.strides.iter().map(|&s| s * self.dtype.itemsize() as isize).collect()
    }

    /// The layout (strides and offset in elements).
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The device the array lives on.
    pub fn device(&self) -> Device {
        match &self.mem {
            Mem::Ready(s) => s.device(),
            Mem::Pending(p) => p.device().clone(),
        }
    }

    /// Whether writes are allowed.
    pub fn writeable(&self) -> bool {
        self.writeable
    }

    /// Makes the array read-only (or writeable again, if the memory allows it).
    pub fn set_writeable(&mut self, w: bool) {
        self.writeable = w;
    }

    /// True when both arrays view the same storage.
    pub fn shares_storage(&self, other: &Array) -> bool {
        self.identity() == other.identity()
    }

    /// The address identifying the memory: the storage's, or a pending
    /// result's while it is not computed.
    fn identity(&self) -> usize {
        match &self.mem {
            Mem::Ready(s) => Arc::as_ptr(s) as usize,
            Mem::Pending(p) => match p.computed() {
                Some(s) => Arc::as_ptr(s) as usize,
                None => Arc::as_ptr(p) as usize,
            },
        }
    }

    /// Address of element `[0, …]` for CPU-device arrays (for NumPy's
    /// `__array_interface__`, whose user may write it: see `expose`); `None`
    /// on a GPU.
    pub fn host_ptr(&self) -> wgarray_core::Result<Option<usize>> {
        if !matches!(self.device(), Device::Cpu) {
            return Ok(None);
        }
        Ok(match &**self.expose()? {
            Storage::Cpu(b) => Some(b.as_ptr() as usize + self.layout.offset * self.dtype.itemsize()),
            Storage::Gpu(_) => None,
        })
    }
}
