//! The one error enum of wgarray. Each variant names the Python exception
//! class it becomes; messages follow NumPy's wording where NumPy has one.

/// Every failure wgarray reports. The Python layer maps each variant to the
/// exception class in its name, in one place (`wgarray-python/src/errors.rs`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Becomes `IndexError`.
    #[error("{0}")]
    Index(String),
    /// Becomes `ValueError`.
    #[error("{0}")]
    Value(String),
    /// Becomes NumPy's `AxisError` (a `ValueError` and an `IndexError`).
    #[error("{0}")]
    Axis(String),
    /// Becomes `TypeError`.
    #[error("{0}")]
    Type(String),
    /// Becomes `OverflowError`.
    #[error("{0}")]
    Overflow(String),
    /// Becomes `MemoryError`: an allocation the device could not serve.
    #[error("Unable to allocate {bytes} bytes on device {device}{detail}")]
    OutOfMemory {
        /// Bytes asked for.
        bytes: u64,
        /// The device's name, e.g. `vulkan:0`.
        device: String,
        /// Extra context (may be empty), starting with `: `.
        detail: String,
    },
    /// Becomes `RuntimeError`: the device failed (lost, driver error).
    #[error("{0}")]
    Device(String),
    /// Becomes `NotImplementedError`.
    #[error("{0}")]
    NotImplemented(String),
    /// Becomes `BufferError`: a buffer exchange (DLPack) that cannot be served.
    #[error("{0}")]
    Buffer(String),
}

/// Result with wgarray's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A `ValueError` with the given message.
    pub fn value(msg: impl Into<String>) -> Self {
        Error::Value(msg.into())
    }
    /// A `TypeError` with the given message.
    pub fn type_error(msg: impl Into<String>) -> Self {
        Error::Type(msg.into())
    }
    /// A `BufferError` with the given message.
    pub fn buffer(msg: impl Into<String>) -> Self {
        Error::Buffer(msg.into())
    }
    /// An `IndexError` with the given message.
    pub fn index(msg: impl Into<String>) -> Self {
        Error::Index(msg.into())
    }
}
