//! wgarray-dispatch: the Rust `Array` and every call on it — creation,
//! views, setitem, casts, transfers and ufunc calls with NumPy's loop
//! resolution and broadcasting — routed to the array's device kernels.
//! Rust programs can use wgarray through this crate with no Python at all.

mod accumulate;
mod array;
mod compress;
mod creation;
mod gufunc;
mod lazy;
mod reduce;
mod reduceat;
mod sort;
mod transfer;
mod ufunc;
mod views;

pub use array::Array;
pub use lazy::{enabled as fusion_enabled, evaluate_all as evaluate_pending, set_enabled as set_fusion};
pub use reduce::ReduceOptions;
pub use ufunc::UfuncOptions;
pub use wgarray_core::{Casting, DType, Error, IndexItem, Layout, Result};
pub use wgarray_device::Device;
