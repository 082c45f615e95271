//! wgarray-core: the pure part of wgarray — dtypes, NumPy 2 type promotion,
//! layouts (shape, strides, offset) and the views over them, basic indexing,
//! broadcasting, and the one error enum every other crate converts into.
//!
//! Nothing here touches a device; everything is unit-tested in isolation.

pub mod broadcast;
pub mod dtype;
pub mod error;
pub mod index;
pub mod layout;
pub mod promotion;

pub use broadcast::broadcast_shapes;
pub use dtype::{DType, Kind};
pub use error::{Error, Result};
pub use index::IndexItem;
pub use layout::{Dims, Layout};
/// `smallvec![…]` builds a `Dims`.
pub use smallvec::smallvec as dims;
pub use promotion::{can_cast, can_cast_safe, promote_types, Casting};
