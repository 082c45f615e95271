//! The `wgarray._native` extension: pyo3 glue only. Arguments are converted,
//! the GIL is released around device work, and errors become Python
//! exceptions in one place (`errors.rs`). No algorithm lives here.

use pyo3::prelude::*;

mod array;
mod buffer;
mod device;
mod dlpack;
mod errors;
mod functions;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<array::PyArray>()?;
    m.add_class::<buffer::HostBuffer>()?;
    m.add_class::<device::PyDevice>()?;
    device::register(m)?;
    functions::register(m)?;
    dlpack::register(m)?;
    Ok(())
}
