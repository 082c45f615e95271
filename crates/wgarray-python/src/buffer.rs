//! The buffer protocol for CPU-device arrays: `wgarray.ndarray` derives
//! from `HostBuffer`, whose `__getbuffer__` hands out the array's memory
//! (read-only honoured, NumPy's contiguity errors). GPU arrays refuse it.

use std::ffi::{c_int, CStr};

use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use wgarray_dispatch::DType;

use crate::array::PyArray;
use crate::errors::IntoPy as _;

/// Base class of `wgarray.ndarray`: gives it the buffer protocol.
#[pyclass(subclass, module = "wgarray._native", name = "HostBuffer")]
pub struct HostBuffer;

/// The struct-module format of each dtype.
fn format(d: DType) -> &'static CStr {
    use DType::*;
    match d {
        Bool => c"?",
        Int8 => c"b",
        UInt8 => c"B",
        Int16 => c"h",
        UInt16 => c"H",
        Int32 => c"i",
        UInt32 => c"I",
        Int64 => c"q",
        UInt64 => c"Q",
        Float16 => c"e",
        Float32 => c"f",
        Float64 => c"d",
    }
}

#[pymethods]
impl HostBuffer {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> Self {
        HostBuffer
    }

    /// # Safety
    /// `view` is the `Py_buffer` CPython asks to be filled.
    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut ffi::Py_buffer, flags: c_int) -> PyResult<()> {
        if view.is_null() {
            return Err(PyBufferError::new_err("View is null"));
        }
        let native = slf.getattr("_a")?;
        let arr = native.cast::<PyArray>()?.get().inner.clone();
        let Some(ptr) = arr.host_ptr().py()? else {
            return Err(PyTypeError::new_err(format!(
                "Implicit conversion to a NumPy array is not allowed for arrays on device {}: copy to the host \
                 explicitly with `.get()`, `wgarray.asnumpy(x)` or `x.to_device('cpu')`.",
                arr.device().name()
            )));
        };
        if flags & ffi::PyBUF_WRITABLE == ffi::PyBUF_WRITABLE && !arr.writeable() {
            return Err(PyValueError::new_err("buffer source array is read-only"));
        }
        let c = arr.layout().is_c_contiguous();
        let f = arr.layout().is_f_contiguous();
        if flags & ffi::PyBUF_C_CONTIGUOUS == ffi::PyBUF_C_CONTIGUOUS && !c {
            return Err(PyValueError::new_err("ndarray is not C-contiguous"));
        }
        if flags & ffi::PyBUF_F_CONTIGUOUS == ffi::PyBUF_F_CONTIGUOUS && !f {
            return Err(PyValueError::new_err("ndarray is not Fortran contiguous"));
        }
        if flags & ffi::PyBUF_ANY_CONTIGUOUS == ffi::PyBUF_ANY_CONTIGUOUS && !c && !f {
            return Err(PyValueError::new_err("ndarray is not contiguous"));
        }
        if flags & ffi::PyBUF_STRIDES != ffi::PyBUF_STRIDES && !c {
            return Err(PyValueError::new_err("ndarray is not C-contiguous"));
        }
        let ndim = arr.ndim();
        let isz = arr.dtype().itemsize() as isize;
        // shape then strides (bytes), freed in __releasebuffer__.
        let mut dims: Box<[isize]> = arr.shape().iter().map(|&n| n as isize).chain(arr.strides_bytes()).collect();
        // SAFETY: `view` is valid for writes (CPython's contract); the array
        // object stored in `obj` keeps the memory alive until release.
        unsafe {
            (*view).buf = ptr as *mut std::ffi::c_void;
            (*view).len = arr.size() as isize * isz;
            (*view).itemsize = isz;
            (*view).readonly = c_int::from(!arr.writeable());
            (*view).ndim = ndim as c_int;
            (*view).format = if flags & ffi::PyBUF_FORMAT == ffi::PyBUF_FORMAT {
                format(arr.dtype()).as_ptr() as *mut _
            } else {
                std::ptr::null_mut()
            };
            let base = dims.as_mut_ptr();
            (*view).shape = if flags & ffi::PyBUF_ND == ffi::PyBUF_ND { base } else { std::ptr::null_mut() };
            (*view).strides = if flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES { base.add(ndim) } else { std::ptr::null_mut() };
            (*view).suboffsets = std::ptr::null_mut();
            (*view).internal = Box::into_raw(Box::new(dims)) as *mut std::ffi::c_void;
            (*view).obj = slf.into_any().into_ptr();
        }
        Ok(())
    }

    /// # Safety
    /// `view` was filled by `__getbuffer__`.
    unsafe fn __releasebuffer__(&self, view: *mut ffi::Py_buffer) {
        // SAFETY: `internal` is the box made in __getbuffer__, freed once here.
        unsafe {
            if !(*view).internal.is_null() {
                drop(Box::from_raw((*view).internal as *mut Box<[isize]>));
                (*view).internal = std::ptr::null_mut();
            }
        }
    }
}
