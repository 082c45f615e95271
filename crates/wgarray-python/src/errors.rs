//! wgarray's `Error` → Python exceptions: the one place this happens.

use pyo3::exceptions::{
    PyBufferError, PyIndexError, PyMemoryError, PyNotImplementedError, PyOverflowError, PyRuntimeError, PyTypeError, PyValueError,
};
use pyo3::types::PyAnyMethods;
use pyo3::PyErr;
use wgarray_dispatch::Error;

/// Converts a wgarray error to the Python exception its variant names.
pub fn to_py(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::Index(_) => PyIndexError::new_err(msg),
        Error::Axis(_) => axis_error(msg),
        Error::Value(_) => PyValueError::new_err(msg),
        Error::Type(_) => PyTypeError::new_err(msg),
        Error::Overflow(_) => PyOverflowError::new_err(msg),
        Error::OutOfMemory { .. } => PyMemoryError::new_err(msg),
        Error::Device(_) => PyRuntimeError::new_err(msg),
        Error::NotImplemented(_) => PyNotImplementedError::new_err(msg),
        Error::Buffer(_) => PyBufferError::new_err(msg),
    }
}

/// NumPy's `AxisError` with `msg` (an IndexError if NumPy cannot be imported).
fn axis_error(msg: String) -> PyErr {
    pyo3::Python::attach(|py| {
        match py.import("numpy.exceptions").and_then(|m| m.getattr("AxisError")).and_then(|c| c.call1((msg.clone(),))) {
            Ok(e) => PyErr::from_value(e),
            Err(_) => PyIndexError::new_err(msg),
        }
    })
}

/// `?`-friendly conversion for results.
pub trait IntoPy<T> {
    /// Maps the error with [`to_py`].
    fn py(self) -> Result<T, PyErr>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py(self) -> Result<T, PyErr> {
        self.map_err(to_py)
    }
}
