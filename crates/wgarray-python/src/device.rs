//! `_native.Device` and the device listing.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use wgarray_dispatch::Device;

use crate::errors::IntoPy;

/// A device handle (the Python `wgarray.Device` wraps one).
#[pyclass(name = "Device", module = "wgarray._native", frozen, eq)]
pub struct PyDevice {
    pub inner: Device,
}

impl PartialEq for PyDevice {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

#[pymethods]
impl PyDevice {
    /// Parses a device string.
    #[new]
    fn new(py: Python<'_>, spec: &str) -> PyResult<Self> {
        Ok(PyDevice { inner: py.detach(|| Device::parse(spec)).py()? })
    }

    /// The canonical name (`cpu`, `vulkan:0`, …).
    #[getter]
    fn name(&self) -> String {
        self.inner.name()
    }

    /// True for the CPU device.
    #[getter]
    fn is_cpu(&self) -> bool {
        matches!(self.inner, Device::Cpu)
    }

    /// NumPy dtype name of the default floating dtype here.
    #[getter]
    fn default_float(&self) -> &'static str {
        self.inner.default_float().name()
    }

    /// NumPy dtype name of the default integer dtype here.
    #[getter]
    fn default_int(&self) -> &'static str {
        self.inner.default_int().name()
    }

    /// Checks that arrays of this dtype can live here.
    fn check_dtype(&self, dtype: &str) -> PyResult<()> {
        self.inner.check_dtype(wgarray_dispatch::DType::from_name(dtype).py()?).py()
    }

    /// Computes pending fused results, submits recorded work and waits for it.
    fn synchronize(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| {
            wgarray_dispatch::evaluate_pending(&self.inner)?;
            match &self.inner {
                Device::Cpu => Ok(()),
                Device::Gpu(ctx) => ctx.synchronize(),
            }
        })
        .py()
    }

    /// Keys of the GPU kernels compiled so far (tests check which kernel ran).
    fn kernel_keys(&self) -> Vec<String> {
        match &self.inner {
            Device::Cpu => Vec::new(),
            Device::Gpu(ctx) => ctx.kernel_keys(),
        }
    }

    /// How many times the host has read this device's memory (0 on the CPU).
    fn readbacks(&self) -> u64 {
        match &self.inner {
            Device::Cpu => 0,
            Device::Gpu(ctx) => ctx.readbacks(),
        }
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.name().hash(&mut h);
        h.finish()
    }
}

/// The default device (`WGARRAY_DEVICE`, else the best hardware GPU, else the CPU).
#[pyfunction]
fn default_device(py: Python<'_>) -> PyResult<PyDevice> {
    Ok(PyDevice { inner: py.detach(Device::default_device).py()? })
}

/// One dict per adapter: name, backend, type, features, limits.
#[pyfunction]
fn adapters(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    let list = py.detach(wgarray_device::adapters);
    list.iter()
        .map(|a| {
            let d = PyDict::new(py);
            let l = a.adapter.limits();
            d.set_item("device", a.name())?;
            d.set_item("name", &a.info.name)?;
            d.set_item("backend", a.backend_name())?;
            d.set_item("adapter_type", format!("{:?}", a.info.device_type))?;
            d.set_item("driver", format!("{} {}", a.info.driver, a.info.driver_info).trim().to_string())?;
            d.set_item("software", a.is_software())?;
            d.set_item("f64", a.has_f64())?;
            d.set_item("i64", a.has_i64())?;
            d.set_item("f16", a.has_f16())?;
            d.set_item("subgroups", a.has_subgroups())?;
            d.set_item("subgroup_sizes", (a.info.subgroup_min_size, a.info.subgroup_max_size))?;
            // Kernels declare SPIR-V DenormPreserve (else the driver may flush subnormals).
            d.set_item("preserves_subnormals", a.float_controls().is_some_and(|fc| fc.preserve.contains(&32)))?;
            d.set_item("max_buffer_size", l.max_buffer_size)?;
            d.set_item("max_storage_buffer_binding_size", l.max_storage_buffer_binding_size)?;
            d.set_item("max_compute_workgroups_per_dimension", l.max_compute_workgroups_per_dimension)?;
            d.set_item("max_compute_invocations_per_workgroup", l.max_compute_invocations_per_workgroup)?;
            Ok(d)
        })
        .collect()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(default_device, m)?)?;
    m.add_function(wrap_pyfunction!(adapters, m)?)?;
    Ok(())
}
