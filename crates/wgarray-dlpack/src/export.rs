//! An array as a DLPack managed tensor (`__dlpack__`).

use std::ffi::c_void;

use dlpark::ffi::{DLDevice, DLDeviceType, DLManagedTensor, DLManagedTensorVersioned, DLPackVersion, DLPACK_MINOR_VERSION};
use dlpark::metadata::Dynamic;
use dlpark::{DlpackFlags, Managed};
use wgarray_core::{Error, Result};
use wgarray_device::{Device, Storage};
use wgarray_dispatch::Array;

use crate::codes::{device_of, dtype_of};
use crate::registry;

/// NumPy's refusal of a read-only legacy export.
pub const READONLY_LEGACY: &str =
    "Cannot export readonly array since signalling readonly is unsupported by DLPack (supported by newer DLPack version).";

/// The consumer's requests, already type-checked (`__dlpack__`'s keywords).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Highest DLPack version the consumer reads; major ≥ 1 selects the
    /// versioned ABI, `None` or 0.x the legacy one.
    pub max_version: Option<(u32, u32)>,
    /// The device the consumer wants the data on.
    pub dl_device: Option<(u32, i32)>,
    /// `copy`: True always copies, False never does, None copies only when needed.
    pub copy: Option<bool>,
    /// GPU arrays: wait for the work producing the array before returning
    /// (`stream=None`); otherwise only submit it (`stream=-1`).
    pub wait: bool,
}

/// A fresh managed tensor in the ABI the consumer asked for.
pub enum Exported {
    /// `DLManagedTensor`, for a `"dltensor"` capsule.
    Legacy(Managed<DLManagedTensor>),
    /// `DLManagedTensorVersioned`, for a `"dltensor_versioned"` capsule.
    Versioned(Managed<DLManagedTensorVersioned>),
}

/// Exports `a` as the consumer asks: zero-copy on its own device; a host
/// copy for `dl_device=(kDLCPU, 0)` (IS_COPIED); a copy for `copy=True`.
/// The tensor keeps the memory alive until its deleter runs.
pub fn export(a: &Array, o: &ExportOptions) -> Result<Exported> {
    let own = device_of(&a.device());
    let versioned = o.max_version.is_some_and(|(major, _)| major >= 1);
    let mut src = a.clone();
    let mut copied = false;
    if let Some((t, id)) = o.dl_device {
        let req = DLDevice { device_type: DLDeviceType(t), device_id: id };
        if req != own {
            if req != DLDevice::CPU {
                return Err(Error::buffer("unsupported device requested"));
            }
            if o.copy == Some(false) {
                return Err(Error::buffer("dl_device=(kDLCPU, 0) needs a copy of this device array, but copy=False"));
            }
            src = a.to_device(&Device::Cpu)?;
            copied = true;
        }
    }
    if o.copy == Some(true) && !copied {
        src = src.copy()?;
        copied = true;
    }
    if !versioned && !src.writeable() {
        return Err(Error::buffer(READONLY_LEGACY));
    }
    let isz = src.dtype().itemsize();
    let byte_offset = (src.layout().offset * isz) as u64;
    // The consumer may write the memory: pending results reading it are
    // computed now, and nothing reads it lazily later.
    let storage = src.expose()?;
    let data = match &**storage {
        Storage::Cpu(b) => b.as_ptr() as *mut c_void,
        Storage::Gpu(b) => {
            let ctx = b.context();
            let handle = b.native_handle().ok_or_else(|| {
                Error::buffer(format!(
                    "exporting {} buffers through DLPack is not supported yet; ask for dl_device=(1, 0) for a host copy",
                    ctx.adapter().backend_name()
                ))
            })?;
            if o.wait {
                ctx.synchronize()?;
            } else {
                ctx.flush()?;
            }
            registry::remember(ctx.adapter().gpu_index, handle, storage);
            handle as usize as *mut c_void
        }
    };
    let shape: Vec<i64> = src.shape().iter().map(|&n| n as i64).collect();
    let strides: Vec<i64> = src.layout().strides.iter().map(|&s| s as i64).collect();
    let mut flags = DlpackFlags::empty();
    if !src.writeable() {
        flags |= DlpackFlags::READ_ONLY;
    }
    if copied {
        flags |= DlpackFlags::IS_COPIED;
    }
    let dtype = dtype_of(src.dtype());
    let device = device_of(&src.device());
    let meta = Dynamic::new(shape, strides);
    let bad = |e: &dyn std::fmt::Display| Error::buffer(format!("could not build the DLPack tensor: {e}"));
    if versioned {
        let mut init = meta.initialize_as::<DLManagedTensorVersioned>(Box::new(src)).map_err(|e| bad(&e))?;
        let minor = o.max_version.map_or(0, |(major, minor)| if major > 1 { DLPACK_MINOR_VERSION } else { minor.min(DLPACK_MINOR_VERSION) });
        init.set_version(DLPackVersion { major: 1, minor }).map_err(|e| bad(&e))?;
        init.set_data(data).set_dtype(dtype).set_device(device).set_byte_offset(byte_offset);
        // SAFETY: IS_COPIED is set only when `src` is a fresh copy owned by
        // this tensor alone; READ_ONLY mirrors the array's flag.
        unsafe { init.set_flags_unchecked(flags) };
        // SAFETY: data, byte offset, shape and strides describe `src`, which
        // the tensor's context owns until its deleter runs.
        Ok(Exported::Versioned(unsafe { init.finish() }))
    } else {
        let mut init = meta.initialize_as::<DLManagedTensor>(Box::new(src)).map_err(|e| bad(&e))?;
        init.set_data(data).set_dtype(dtype).set_device(device).set_byte_offset(byte_offset);
        // SAFETY: as above; the legacy ABI carries no flags.
        Ok(Exported::Legacy(unsafe { init.finish() }))
    }
}

/// Exported tensors' flags, for tests and callers that check them.
pub fn flags_of(e: &Exported) -> DlpackFlags {
    match e {
        Exported::Legacy(_) => DlpackFlags::empty(),
        Exported::Versioned(m) => m.flags(),
    }
}
