//! `_native.Array`: the Rust array as Python sees it. The Python
//! `wgarray.ndarray` wraps one and adds NumPy's surface.

use pyo3::ffi;
use pyo3::prelude::*;
use wgarray_dispatch::{Array, DType, IndexItem};

use crate::device::PyDevice;
use crate::errors::IntoPy;

/// A wgarray array (immutable handle; views are new handles).
#[pyclass(name = "Array", module = "wgarray._native", frozen)]
pub struct PyArray {
    pub inner: Array,
}

pub fn wrap(a: Array) -> PyArray {
    PyArray { inner: a }
}

/// Index items arrive encoded by Python: ("i", n), ("s", start, stop, step), ("e",), ("n",).
type Item = (String, Option<i64>, Option<i64>, Option<i64>);

fn items(raw: Vec<Item>) -> PyResult<Vec<IndexItem>> {
    raw.into_iter()
        .map(|(k, a, b, c)| match k.as_str() {
            "i" => Ok(IndexItem::Int(a.unwrap_or(0))),
            "s" => Ok(IndexItem::Slice(a, b, c)),
            "e" => Ok(IndexItem::Ellipsis),
            "n" => Ok(IndexItem::NewAxis),
            _ => Err(pyo3::exceptions::PyValueError::new_err("bad index item")),
        })
        .collect()
}

pub fn dtype(name: &str) -> PyResult<DType> {
    DType::from_name(name).py()
}

#[pymethods]
impl PyArray {
    #[getter]
    fn shape(&self) -> Vec<usize> {
        self.inner.shape().to_vec()
    }
    #[getter]
    fn dtype(&self) -> &'static str {
        self.inner.dtype().name()
    }
    #[getter]
    fn strides(&self) -> Vec<isize> {
        self.inner.strides_bytes()
    }
    #[getter]
    fn device(&self) -> PyDevice {
        PyDevice { inner: self.inner.device() }
    }
    #[getter]
    fn writeable(&self) -> bool {
        self.inner.writeable()
    }
    #[getter]
    fn c_contiguous(&self) -> bool {
        self.inner.layout().is_c_contiguous()
    }
    #[getter]
    fn f_contiguous(&self) -> bool {
        self.inner.layout().is_f_contiguous()
    }
    /// Address of element [0, …] (CPU device only, else None).
    /// (Computes a pending result, and marks the memory as reachable by
    /// writers outside wgarray.)
    #[getter]
    fn host_ptr(&self, py: Python<'_>) -> PyResult<Option<usize>> {
        py.detach(|| self.inner.host_ptr()).py()
    }
    /// Computes a pending fused result.
    fn evaluate(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.inner.evaluate()).py()
    }
    /// True while the array is a pending fused result.
    #[getter]
    fn is_pending(&self) -> bool {
        self.inner.is_pending()
    }

    fn with_writeable(&self, w: bool) -> PyArray {
        let mut a = self.inner.clone();
        a.set_writeable(w);
        wrap(a)
    }
    fn shares_storage(&self, other: &PyArray) -> bool {
        self.inner.shares_storage(&other.inner)
    }
    fn index(&self, raw: Vec<Item>) -> PyResult<PyArray> {
        Ok(wrap(self.inner.index(&items(raw)?).py()?))
    }
    fn nonzero(&self, py: Python<'_>) -> PyResult<Vec<PyArray>> {
        Ok(py.detach(|| self.inner.nonzero()).py()?.into_iter().map(wrap).collect())
    }
    fn argsort(&self, py: Python<'_>, axis: i64) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.argsort(axis)).py()?))
    }
    fn sort_host(&self, py: Python<'_>, axis: i64) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.sort_host(axis)).py()?))
    }
    fn flatnonzero(&self, py: Python<'_>) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.flatnonzero()).py()?))
    }
    fn scatter_into(&self, py: Python<'_>, dest: &PyArray, value: &PyArray) -> PyResult<()> {
        py.detach(|| Array::scatter_into(&self.inner, &dest.inner, &value.inner)).py()
    }
    fn take_flat(&self, py: Python<'_>, idx: &PyArray) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.take_flat(&idx.inner)).py()?))
    }
    fn compress_mask(&self, py: Python<'_>, mask: &PyArray) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.compress_mask(&mask.inner)).py()?))
    }
    fn setitem(&self, py: Python<'_>, raw: Vec<Item>, value: &PyArray) -> PyResult<()> {
        let it = items(raw)?;
        py.detach(|| self.inner.setitem(&it, &value.inner)).py()
    }
    #[pyo3(signature = (axes=None))]
    fn permute(&self, axes: Option<Vec<i64>>) -> PyResult<PyArray> {
        Ok(wrap(self.inner.permute(axes.as_deref()).py()?))
    }
    fn diagonal(&self, offset: i64, axis1: i64, axis2: i64) -> PyResult<PyArray> {
        Ok(wrap(self.inner.diagonal(offset, axis1, axis2).py()?))
    }
    fn matrix_transpose(&self) -> PyResult<PyArray> {
        Ok(wrap(self.inner.matrix_transpose().py()?))
    }
    fn broadcast_to(&self, shape: Vec<usize>) -> PyResult<PyArray> {
        Ok(wrap(self.inner.broadcast_to(&shape).py()?))
    }
    fn reshape(&self, py: Python<'_>, shape: Vec<i64>) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.reshape(&shape)).py()?))
    }
    #[pyo3(signature = (axes=None))]
    fn squeeze(&self, axes: Option<Vec<i64>>) -> PyResult<PyArray> {
        Ok(wrap(self.inner.squeeze(axes.as_deref()).py()?))
    }
    fn expand_dims(&self, axes: Vec<i64>) -> PyResult<PyArray> {
        Ok(wrap(self.inner.expand_dims(&axes).py()?))
    }
    fn astype(&self, py: Python<'_>, dtype_name: &str) -> PyResult<PyArray> {
        let d = dtype(dtype_name)?;
        Ok(wrap(py.detach(|| self.inner.astype(d)).py()?))
    }
    fn copy(&self, py: Python<'_>) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.copy()).py()?))
    }
    fn to_device(&self, py: Python<'_>, device: &PyDevice) -> PyResult<PyArray> {
        Ok(wrap(py.detach(|| self.inner.to_device(&device.inner)).py()?))
    }
    /// Copies the elements, C-ordered, into `host`: a writable C-contiguous
    /// buffer (wgarray's Python layer passes a fresh NumPy array) of exactly
    /// the array's bytes. Taking the buffer, not an address, costs a tenth
    /// of NumPy's `ndarray.ctypes` and cannot point anywhere else.
    fn read_into(&self, py: Python<'_>, host: &Bound<'_, PyAny>) -> PyResult<()> {
        /// The exported buffer, released when dropped (with the GIL held).
        struct Exported(ffi::Py_buffer);
        impl Drop for Exported {
            fn drop(&mut self) {
                // SAFETY: filled by a successful PyObject_GetBuffer, released once.
                unsafe { ffi::PyBuffer_Release(&mut self.0) }
            }
        }
        let mut view = std::mem::MaybeUninit::<ffi::Py_buffer>::uninit();
        // The exporter refuses a read-only or non-C-contiguous buffer with its own error.
        // SAFETY: `view` is written by the call before any use; 0-d buffers (no shape) are fine here.
        if unsafe { ffi::PyObject_GetBuffer(host.as_ptr(), view.as_mut_ptr(), ffi::PyBUF_WRITABLE | ffi::PyBUF_C_CONTIGUOUS) } != 0 {
            return Err(PyErr::fetch(py));
        }
        // SAFETY: initialised by the successful call above.
        let buf = Exported(unsafe { view.assume_init() });
        // SAFETY: `buf` keeps the exporter's memory alive and unresized until it is dropped after the copy;
        // a C-contiguous buffer's `len` bytes start at `buf`.
        let dst = unsafe { std::slice::from_raw_parts_mut(buf.0.buf.cast::<u8>(), buf.0.len as usize) };
        py.detach(|| self.inner.read_into(dst)).py()
    }
}
