//! DLPack glue: managed tensors from `wgarray-dlpack` into capsules and
//! capsules back into arrays. A capsule is read before it is taken: one
//! wgarray cannot import is left unconsumed, so its own destructor still
//! runs the producer's deleter.

use std::ffi::CStr;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use wgarray_dlpack::{ExportOptions, Exported, Peek};

use crate::array::{wrap, PyArray};
use crate::errors::IntoPy;

const VERSIONED: &CStr = c"dltensor_versioned";
const LEGACY: &CStr = c"dltensor";
const USED_VERSIONED: &CStr = c"used_dltensor_versioned";
const USED_LEGACY: &CStr = c"used_dltensor";

/// `(device_type, device_id)` of the array's device.
#[pyfunction]
fn dlpack_device(a: PyRef<'_, PyArray>) -> (u32, i32) {
    let d = wgarray_dlpack::device_of(&a.inner.device());
    (d.device_type.0, d.device_id)
}

/// Whether `(device_type, device_id)` names one of wgarray's GPU adapters.
#[pyfunction]
fn dlpack_is_adapter(device_type: u32, device_id: i32) -> bool {
    let want = dlpark::ffi::DLDevice { device_type: dlpark::ffi::DLDeviceType(device_type), device_id };
    wgarray_device::adapters().iter().any(|a| wgarray_dlpack::adapter_device(a) == want)
}

/// A fresh capsule for `a` (arguments already checked by the Python layer).
#[pyfunction]
#[pyo3(signature = (a, max_version, dl_device, copy, wait))]
fn dlpack_export(
    py: Python<'_>,
    a: PyRef<'_, PyArray>,
    max_version: Option<(u32, u32)>,
    dl_device: Option<(u32, i32)>,
    copy: Option<bool>,
    wait: bool,
) -> PyResult<Py<PyAny>> {
    let opts = ExportOptions { max_version, dl_device, copy, wait };
    let arr = a.inner.clone();
    let e = py.detach(|| wgarray_dlpack::export(&arr, &opts)).py()?;
    Ok(match e {
        Exported::Legacy(m) => m.into_pyobject(py)?.unbind(),
        Exported::Versioned(m) => m.into_pyobject(py)?.unbind(),
    })
}

/// The flags of a versioned capsule (tests read READ_ONLY and IS_COPIED).
#[pyfunction]
fn dlpack_capsule_flags(capsule: &Bound<'_, PyAny>) -> PyResult<u64> {
    let p = capsule.as_ptr();
    // SAFETY: only reads a valid capsule's pointer (checked by name first).
    unsafe {
        if pyo3::ffi::PyCapsule_IsValid(p, VERSIONED.as_ptr()) != 1 {
            return Err(PyTypeError::new_err("expected an unconsumed 'dltensor_versioned' capsule"));
        }
        let m = pyo3::ffi::PyCapsule_GetPointer(p, VERSIONED.as_ptr()) as *const dlpark::ffi::DLManagedTensorVersioned;
        Ok((*m).flags.bits())
    }
}

/// Imports a `dltensor_versioned` or `dltensor` capsule: NumPy's checks and
/// BufferErrors first, then the capsule is renamed `used_…` and taken.
#[pyfunction]
fn dlpack_import(capsule: &Bound<'_, PyAny>) -> PyResult<PyArray> {
    let p = capsule.as_ptr();
    // SAFETY: pointers are taken from capsules whose names say what they
    // hold (DLPack's contract); ownership moves only after the rename.
    unsafe {
        if pyo3::ffi::PyCapsule_IsValid(p, VERSIONED.as_ptr()) == 1 {
            let m = pyo3::ffi::PyCapsule_GetPointer(p, VERSIONED.as_ptr()) as *mut dlpark::ffi::DLManagedTensorVersioned;
            if m.is_null() {
                return Err(PyValueError::new_err("DLPack capsule holds a null pointer"));
            }
            let plan = Peek::versioned(m).plan().py()?;
            if pyo3::ffi::PyCapsule_SetName(p, USED_VERSIONED.as_ptr()) != 0 {
                return Err(PyErr::fetch(capsule.py()));
            }
            return Ok(wrap(wgarray_dlpack::import_versioned(m, plan).py()?));
        }
        if pyo3::ffi::PyCapsule_IsValid(p, LEGACY.as_ptr()) == 1 {
            let m = pyo3::ffi::PyCapsule_GetPointer(p, LEGACY.as_ptr()) as *mut dlpark::ffi::DLManagedTensor;
            if m.is_null() {
                return Err(PyValueError::new_err("DLPack capsule holds a null pointer"));
            }
            let plan = Peek::legacy(m).plan().py()?;
            if pyo3::ffi::PyCapsule_SetName(p, USED_LEGACY.as_ptr()) != 0 {
                return Err(PyErr::fetch(capsule.py()));
            }
            return Ok(wrap(wgarray_dlpack::import_legacy(m, plan).py()?));
        }
        if pyo3::ffi::PyCapsule_IsValid(p, USED_VERSIONED.as_ptr()) == 1 || pyo3::ffi::PyCapsule_IsValid(p, USED_LEGACY.as_ptr()) == 1 {
            return Err(PyValueError::new_err("DLPack capsule has already been consumed"));
        }
    }
    Err(PyTypeError::new_err(format!(
        "__dlpack__ must return a 'dltensor_versioned' or 'dltensor' PyCapsule, not {}",
        capsule.get_type().name()?
    )))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dlpack_device, m)?)?;
    m.add_function(wrap_pyfunction!(dlpack_is_adapter, m)?)?;
    m.add_function(wrap_pyfunction!(dlpack_export, m)?)?;
    m.add_function(wrap_pyfunction!(dlpack_import, m)?)?;
    m.add_function(wrap_pyfunction!(dlpack_capsule_flags, m)?)?;
    Ok(())
}
