//! Module-level functions: creation, ufunc calls, the op table.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use wgarray_dispatch::{Array, Casting, ReduceOptions, UfuncOptions};

use crate::array::{dtype, wrap, PyArray};
use crate::device::PyDevice;
use crate::errors::IntoPy;
use wgarray_kernels::Identity;

#[pyfunction]
fn empty(py: Python<'_>, shape: Vec<usize>, dtype_name: &str, device: &PyDevice) -> PyResult<PyArray> {
    let d = dtype(dtype_name)?;
    Ok(wrap(py.detach(|| Array::empty(&shape, d, &device.inner)).py()?))
}

#[pyfunction]
fn zeros(py: Python<'_>, shape: Vec<usize>, dtype_name: &str, device: &PyDevice) -> PyResult<PyArray> {
    let d = dtype(dtype_name)?;
    Ok(wrap(py.detach(|| Array::zeros(&shape, d, &device.inner)).py()?))
}

/// `value` is one element of the dtype, as bytes.
#[pyfunction]
fn full(py: Python<'_>, shape: Vec<usize>, dtype_name: &str, value: &Bound<'_, PyBytes>, device: &PyDevice) -> PyResult<PyArray> {
    let d = dtype(dtype_name)?;
    let v = value.as_bytes().to_vec();
    Ok(wrap(py.detach(|| Array::full(&shape, d, &v, &device.inner)).py()?))
}

/// Copies C-ordered host memory at `addr` (kept alive by the caller for the call).
#[pyfunction]
fn from_host(
    py: Python<'_>,
    addr: usize,
    nbytes: usize,
    shape: Vec<usize>,
    dtype_name: &str,
    device: &PyDevice,
) -> PyResult<PyArray> {
    let d = dtype(dtype_name)?;
    // SAFETY: the Python layer passes a live C-contiguous NumPy buffer of nbytes.
    let bytes = unsafe { std::slice::from_raw_parts(addr as *const u8, nbytes) };
    Ok(wrap(py.detach(|| Array::from_host(bytes, &shape, d, &device.inner)).py()?))
}

/// A CPU-device array over host memory owned by `owner` (no copy).
/// `span_lo` is how many bytes before element [0,…] the lowest element sits,
/// `span_len` the bytes from there to the end of the highest element.
/// `private`: the Python layer built the host array only to wrap it (no one
/// else references it), so fused programs may read it lazily.
#[pyfunction]
#[pyo3(signature = (owner, addr, span_lo, span_len, shape, strides, dtype_name, writeable, private=false))]
#[allow(clippy::too_many_arguments)]
fn from_host_borrowed(
    owner: Py<PyAny>,
    addr: usize,
    span_lo: usize,
    span_len: usize,
    shape: Vec<usize>,
    strides: Vec<isize>,
    dtype_name: &str,
    writeable: bool,
    private: bool,
) -> PyResult<PyArray> {
    let d = dtype(dtype_name)?;
    let isz = d.itemsize() as isize;
    if strides.iter().any(|s| s % isz != 0) || !addr.is_multiple_of(d.itemsize()) {
        return Err(pyo3::exceptions::PyValueError::new_err("memory is not aligned for its dtype"));
    }
    let el: Vec<isize> = strides.iter().map(|s| s / isz).collect();
    // SAFETY: the Python layer passes a live NumPy array's geometry; `owner` keeps it alive.
    let a = unsafe { Array::from_host_borrowed(addr as *mut u8, (span_lo, span_len), &shape, &el, d, writeable, Box::new(owner), private) };
    Ok(wrap(a))
}

/// Calls the ufunc `name` with NumPy's keywords: outputs (None: allocate),
/// casting, dtype (the output dtype), where (a bool mask).
#[pyfunction]
#[pyo3(signature = (name, inputs, out=None, casting="same_kind", dtype=None, r#where=None))]
fn ufunc(
    py: Python<'_>,
    name: &str,
    inputs: Vec<PyRef<'_, PyArray>>,
    out: Option<Vec<Option<PyRef<'_, PyArray>>>>,
    casting: &str,
    dtype: Option<&str>,
    r#where: Option<PyRef<'_, PyArray>>,
) -> PyResult<Vec<PyArray>> {
    let casting = Casting::parse(casting).py()?;
    let dtype = dtype.map(crate::array::dtype).transpose()?;
    let arrays: Vec<Array> = inputs.iter().map(|a| a.inner.clone()).collect();
    let refs: Vec<&Array> = arrays.iter().collect();
    let outs: Vec<Option<Array>> = out.unwrap_or_default().iter().map(|o| o.as_ref().map(|a| a.inner.clone())).collect();
    let mask = r#where.map(|m| m.inner.clone());
    let opts = UfuncOptions { outs: &outs, casting, dtype, mask: mask.as_ref() };
    Ok(py.detach(|| Array::ufunc_with(name, &refs, opts)).py()?.into_iter().map(wrap).collect())
}

/// The hot path of operators and plain calls: a ufunc with one output on
/// one or two arrays and no keywords, returning the result itself.
#[pyfunction]
#[pyo3(signature = (name, a, b=None))]
fn ufunc1(py: Python<'_>, name: &str, a: PyRef<'_, PyArray>, b: Option<PyRef<'_, PyArray>>) -> PyResult<PyArray> {
    let (a, b) = (&a.inner, b.as_ref().map(|b| &b.inner));
    let res = py.detach(|| match b {
        None => Array::ufunc(name, &[a]),
        Some(b) => Array::ufunc(name, &[a, b]),
    });
    let mut res = res.py()?;
    if res.len() != 1 {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!("ufunc1: '{name}' has {} outputs", res.len())));
    }
    Ok(wrap(res.remove(0)))
}

/// `ufunc.reduce(x, axis, dtype, out, keepdims, initial, where)`: `axis`
/// None reduces every axis; `initial` is a 0-d array.
#[pyfunction]
#[pyo3(signature = (name, x, axis=None, dtype=None, out=None, keepdims=false, initial=None, r#where=None))]
#[allow(clippy::too_many_arguments)]
fn reduce(
    py: Python<'_>,
    name: &str,
    x: PyRef<'_, PyArray>,
    axis: Option<Vec<i64>>,
    dtype: Option<&str>,
    out: Option<PyRef<'_, PyArray>>,
    keepdims: bool,
    initial: Option<PyRef<'_, PyArray>>,
    r#where: Option<PyRef<'_, PyArray>>,
) -> PyResult<PyArray> {
    let dtype = dtype.map(crate::array::dtype).transpose()?;
    let x = x.inner.clone();
    let out = out.map(|o| o.inner.clone());
    let initial = initial.map(|i| i.inner.clone());
    let mask = r#where.map(|m| m.inner.clone());
    let opts = ReduceOptions {
        axes: axis.as_deref(),
        dtype,
        out: out.as_ref(),
        keepdims,
        initial: initial.as_ref(),
        mask: mask.as_ref(),
    };
    Ok(wrap(py.detach(|| x.reduce(name, opts)).py()?))
}

/// `ufunc.accumulate(x, axis, dtype, out)`.
#[pyfunction]
#[pyo3(signature = (name, x, axis=0, dtype=None, out=None))]
fn accumulate(py: Python<'_>, name: &str, x: PyRef<'_, PyArray>, axis: i64, dtype: Option<&str>, out: Option<PyRef<'_, PyArray>>) -> PyResult<PyArray> {
    let dtype = dtype.map(crate::array::dtype).transpose()?;
    let x = x.inner.clone();
    let out = out.map(|o| o.inner.clone());
    Ok(wrap(py.detach(|| x.accumulate(name, axis, dtype, out.as_ref())).py()?))
}

/// `ufunc.reduceat(x, indices, axis, dtype, out)`.
#[pyfunction]
#[pyo3(signature = (name, x, indices, axis=0, dtype=None, out=None))]
fn reduceat(
    py: Python<'_>,
    name: &str,
    x: PyRef<'_, PyArray>,
    indices: PyRef<'_, PyArray>,
    axis: i64,
    dtype: Option<&str>,
    out: Option<PyRef<'_, PyArray>>,
) -> PyResult<PyArray> {
    let dtype = dtype.map(crate::array::dtype).transpose()?;
    let (x, i) = (x.inner.clone(), indices.inner.clone());
    let out = out.map(|o| o.inner.clone());
    Ok(wrap(py.detach(|| x.reduceat(name, &i, axis, dtype, out.as_ref())).py()?))
}

/// `where(mask, a, b)` for `a`, `b` of one dtype (broadcast together).
#[pyfunction]
fn select(py: Python<'_>, mask: PyRef<'_, PyArray>, a: PyRef<'_, PyArray>, b: PyRef<'_, PyArray>) -> PyResult<PyArray> {
    let (m, a, b) = (mask.inner.clone(), a.inner.clone(), b.inner.clone());
    Ok(wrap(py.detach(|| Array::select(&m, &a, &b)).py()?))
}

/// One op-table row as Python sees it: (name, nin, nout, identity, types, signature).
type UfuncRow = (&'static str, usize, usize, Option<Py<PyAny>>, Vec<&'static str>, Option<&'static str>);

/// An alias and the ufunc it names.
type Alias = (&'static str, &'static str);

/// The op table, one row per ufunc, and NumPy's aliases (alias, name).
#[pyfunction]
fn ufunc_table(py: Python<'_>) -> PyResult<(Vec<UfuncRow>, Vec<Alias>)> {
    let rows = wgarray_kernels::UFUNCS
        .iter()
        .map(|u| {
            let identity = match u.identity {
                None => None,
                Some(Identity::Int(v)) => Some(v.into_pyobject(py)?.into_any().unbind()),
                Some(Identity::Bool(v)) => Some(pyo3::types::PyBool::new(py, v).to_owned().into_any().unbind()),
                Some(Identity::Float(v)) => Some(v.into_pyobject(py)?.into_any().unbind()),
            };
            Ok((u.name, u.nin, u.nout, identity, u.types.to_vec(), u.core.map(|c| c.signature())))
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok((rows, wgarray_kernels::ALIASES.to_vec()))
}

/// Turns lazy elementwise fusion on or off (`None` only reads it); returns
/// whether it was on.
#[pyfunction]
#[pyo3(signature = (on=None))]
fn fusion(on: Option<bool>) -> bool {
    let was = wgarray_dispatch::fusion_enabled();
    if let Some(on) = on {
        wgarray_dispatch::set_fusion(on);
    }
    was
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fusion, m)?)?;
    m.add_function(wrap_pyfunction!(empty, m)?)?;
    m.add_function(wrap_pyfunction!(zeros, m)?)?;
    m.add_function(wrap_pyfunction!(full, m)?)?;
    m.add_function(wrap_pyfunction!(from_host, m)?)?;
    m.add_function(wrap_pyfunction!(from_host_borrowed, m)?)?;
    m.add_function(wrap_pyfunction!(ufunc1, m)?)?;
    m.add_function(wrap_pyfunction!(ufunc, m)?)?;
    m.add_function(wrap_pyfunction!(ufunc_table, m)?)?;
    m.add_function(wrap_pyfunction!(reduce, m)?)?;
    m.add_function(wrap_pyfunction!(select, m)?)?;
    m.add_function(wrap_pyfunction!(accumulate, m)?)?;
    m.add_function(wrap_pyfunction!(reduceat, m)?)?;
    Ok(())
}
