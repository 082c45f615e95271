//! `Array`: storage on a device, a layout into it, a dtype, and a writeable flag.

use std::sync::Arc;

use wgarray_core::{DType, Layout};
use wgarray_device::{Device, Storage};
use wgarray_kernels::Operand;

/// An n-dimensional array on one device. Cloning makes another view of the
/// same memory (as NumPy views do).
#[derive(Clone)]
pub struct Array {
    pub(crate) storage: Arc<Storage>,
    pub(crate) layout: Layout,
    pub(crate) dtype: DType,
    pub(crate) writeable: bool,
}

impl Array {
    pub(crate) fn from_parts(storage: Arc<Storage>, layout: Layout, dtype: DType, writeable: bool) -> Array {
        Array { storage, layout, dtype, writeable }
    }

    /// The memory behind the array (shared by its views).
    pub fn storage(&self) -> &Arc<Storage> {
        &self.storage
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
        Ok(Array { storage, layout, dtype, writeable })
    }

    /// A view of the same memory with another layout.
    pub(crate) fn view(&self, layout: Layout) -> Array {
        Array { storage: self.storage.clone(), layout, dtype: self.dtype, writeable: self.writeable }
    }

    pub(crate) fn operand(&self) -> Operand<'_> {
        Operand { storage: &self.storage, dtype: self.dtype, layout: &self.layout }
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
        self.storage.device()
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
        Arc::ptr_eq(&self.storage, &other.storage)
    }

    /// Address of element `[0, …]` for CPU-device arrays (for NumPy's
    /// `__array_interface__`); `None` on a GPU.
    pub fn host_ptr(&self) -> Option<usize> {
        match &*self.storage {
            Storage::Cpu(b) => Some(b.as_ptr() as usize + self.layout.offset * self.dtype.itemsize()),
            Storage::Gpu(_) => None,
        }
    }
}
