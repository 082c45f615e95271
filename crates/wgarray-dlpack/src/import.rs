//! Managed tensors as wgarray arrays (`from_dlpack`): what can be imported
//! is decided from the descriptor alone (`Peek::plan`), before anyone takes
//! ownership, so a refused capsule stays with its producer's deleter.

use std::sync::Arc;

use dlpark::ffi::{DLDataType, DLDevice, DLDeviceType, DLManagedTensor, DLManagedTensorVersioned, DLTensor};
use dlpark::{DlpackFlags, Managed};
use wgarray_core::{DType, Error, Layout, Result};
use wgarray_device::Storage;
use wgarray_dispatch::Array;

use crate::codes::dtype_from;
use crate::registry;

/// Device types whose memory the host can read: imported onto the CPU
/// device without a copy (NumPy's list).
pub const IMPORTABLE_HOST: [DLDeviceType; 4] =
    [DLDeviceType::CPU, DLDeviceType::CUDAHOST, DLDeviceType::ROCMHOST, DLDeviceType::CUDAMANAGED];

/// Most dimensions an imported tensor may have (NumPy's limit).
pub const MAX_DIMS: i32 = 64;

/// What a managed tensor says about itself, read without taking it.
#[derive(Debug, Clone, Copy)]
pub struct Peek {
    /// The versioned header's major version (`None` for the legacy ABI).
    pub major: Option<u32>,
    /// READ_ONLY (always true for the legacy ABI, as NumPy reads it).
    pub read_only: bool,
    /// The tensor's device.
    pub device: DLDevice,
    /// Its element type.
    pub dtype: DLDataType,
    /// Its rank.
    pub ndim: i32,
    /// `data + byte_offset` as an address (a handle plus offset on GPUs).
    pub data: u64,
    /// `data` alone.
    pub base: u64,
    /// `byte_offset`.
    pub byte_offset: u64,
}

/// How an accepted tensor becomes an array.
pub enum Plan {
    /// Host-readable memory: a CPU-device array over it.
    Host(DType),
    /// A buffer wgarray exported: a view of its storage.
    Own(DType, Arc<Storage>),
}

impl Peek {
    /// Reads a versioned header.
    ///
    /// # Safety
    /// `ptr` must point to a live `DLManagedTensorVersioned` whose version
    /// fields are readable (any major version: they lead the struct).
    pub unsafe fn versioned(ptr: *const DLManagedTensorVersioned) -> Peek {
        let m = unsafe { &*ptr };
        let mut p = Peek::of(&m.dl_tensor, Some(m.version.major));
        p.read_only = m.flags.contains(DlpackFlags::READ_ONLY);
        p
    }

    /// Reads a legacy header.
    ///
    /// # Safety
    /// `ptr` must point to a live `DLManagedTensor`.
    pub unsafe fn legacy(ptr: *const DLManagedTensor) -> Peek {
        Peek::of(unsafe { &(*ptr).dl_tensor }, None)
    }

    fn of(t: &DLTensor, major: Option<u32>) -> Peek {
        let base = t.data as usize as u64;
        Peek {
            major,
            read_only: true,
            device: t.device,
            dtype: t.dtype,
            ndim: t.ndim,
            data: base.wrapping_add(t.byte_offset),
            base,
            byte_offset: t.byte_offset,
        }
    }

    /// Whether wgarray can import the tensor, and how: NumPy's BufferErrors
    /// for a newer major version, too many dimensions, an unknown dtype or a
    /// device whose memory wgarray cannot reach.
    pub fn plan(&self) -> Result<Plan> {
        if self.major.is_some_and(|m| m > 1) {
            return Err(Error::buffer(
                "from_dlpack(): the exported DLPack major version is too high to be imported by this version of wgarray.",
            ));
        }
        if self.ndim < 0 || self.ndim > MAX_DIMS {
            return Err(Error::buffer("maxdims of DLPack tensor is higher than the supported maxdims."));
        }
        let dt = self.device.device_type;
        let own = matches!(dt, DLDeviceType::VULKAN | DLDeviceType::METAL | DLDeviceType::EXTDEV);
        if !IMPORTABLE_HOST.contains(&dt) && !own {
            return Err(Error::buffer("Unsupported device in DLTensor."));
        }
        let dtype = dtype_from(self.dtype)?;
        if !IMPORTABLE_HOST.contains(&dt) {
            let storage = self.own_storage().ok_or_else(|| {
                Error::buffer("Unsupported device in DLTensor. (a GPU buffer wgarray did not export cannot be imported)")
            })?;
            if self.byte_offset % dtype.itemsize() as u64 != 0 {
                return Err(Error::buffer("DLPack byte_offset is not a multiple of the itemsize"));
            }
            return Ok(Plan::Own(dtype, storage));
        }
        if self.data % dtype.itemsize() as u64 != 0 {
            return Err(Error::buffer("DLPack data is not aligned for its dtype"));
        }
        Ok(Plan::Host(dtype))
    }

    /// The storage of a live wgarray export with this device and handle.
    fn own_storage(&self) -> Option<Arc<Storage>> {
        let entry = wgarray_device::adapters().iter().find(|a| crate::codes::adapter_device(a) == self.device)?;
        registry::find(entry.gpu_index, self.base)
    }
}

/// Takes a versioned tensor that `plan` accepted and makes it an array.
///
/// # Safety
/// `ptr` must be a live, unconsumed `DLManagedTensorVersioned` (ownership
/// passes here: its deleter runs exactly once, now or when the array's
/// memory is released) whose descriptor `plan` came from.
pub unsafe fn import_versioned(ptr: *mut DLManagedTensorVersioned, plan: Plan) -> Result<Array> {
    let read_only = unsafe { Peek::versioned(ptr) }.read_only;
    let m = unsafe { Managed::from_raw(ptr) }.map_err(|e| Error::buffer(e.to_string()))?;
    build(m, plan, read_only)
}

/// Takes a legacy tensor that `plan` accepted (imported read-only, as NumPy does).
///
/// # Safety
/// As for [`import_versioned`], with a `DLManagedTensor`.
pub unsafe fn import_legacy(ptr: *mut DLManagedTensor, plan: Plan) -> Result<Array> {
    let m = unsafe { Managed::from_raw(ptr) }.map_err(|e| Error::buffer(e.to_string()))?;
    build(m, plan, true)
}

fn build<M: dlpark::ManagedTensorBase>(m: Managed<M>, plan: Plan, read_only: bool) -> Result<Array>
where
    Managed<M>: Send + Sync + 'static,
{
    // SAFETY: the producer keeps the descriptor readable while `m` lives.
    let t = unsafe { m.tensor() };
    let ndim = t.ndim as usize;
    let shape: Vec<i64> = if ndim == 0 { vec![] } else { unsafe { std::slice::from_raw_parts(t.shape, ndim) }.to_vec() };
    if shape.iter().any(|&n| n < 0) {
        return Err(Error::buffer("DLPack tensor has a negative dimension"));
    }
    let shape: Vec<usize> = shape.iter().map(|&n| n as usize).collect();
    let strides: Vec<isize> = if ndim > 0 && !t.strides.is_null() {
        unsafe { std::slice::from_raw_parts(t.strides, ndim) }.iter().map(|&s| s as isize).collect()
    } else {
        Layout::contiguous(&shape).strides.to_vec()
    };
    match plan {
        Plan::Own(dtype, storage) => {
            let offset = (t.byte_offset / dtype.itemsize() as u64) as usize;
            let layout = Layout { shape: shape.into(), strides: strides.into(), offset };
            // The array holds its own reference; the export's is released now.
            drop(m);
            Array::from_storage(storage, layout, dtype, !read_only)
        }
        Plan::Host(dtype) => {
            let isz = dtype.itemsize() as i128;
            let data = (t.data as *mut u8).wrapping_add(t.byte_offset as usize);
            let size: usize = shape.iter().product();
            let (mut lo, mut hi) = (0i128, 0i128);
            if size > 0 {
                for (&n, &s) in shape.iter().zip(&strides) {
                    let ext = (n as i128 - 1) * s as i128;
                    if ext < 0 {
                        lo += ext;
                    } else {
                        hi += ext;
                    }
                }
            }
            let span_lo = (-lo * isz) as usize;
            let span_len = if size == 0 { 0 } else { ((hi - lo + 1) * isz) as usize };
            // SAFETY: the producer guarantees the described elements are
            // readable (and writeable unless READ_ONLY) until the deleter
            // runs, which happens when the array's memory is dropped.
            Ok(unsafe { Array::from_host_borrowed(data, (span_lo, span_len), &shape, &strides, dtype, !read_only, Box::new(m), false) })
        }
    }
}
