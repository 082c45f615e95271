//! DLPack for wgarray arrays (over `dlpark`): the device and dtype codes,
//! exports of an array as a managed tensor (zero-copy on its own device,
//! or a copy where the consumer asks for one), and imports of managed
//! tensors whose memory wgarray can serve. Capsules (Python objects) are
//! made and consumed in `wgarray-python`; everything else lives here.
//!
//! GPU buffers are handed out by their native handle (the `VkBuffer` on
//! Vulkan) with the array's byte offset, as DLPack describes for Vulkan.
//! Only wgarray itself can import such a tensor back: `registry` maps the
//! handles of live exports to their storage.

pub mod codes;
pub mod export;
pub mod import;
mod registry;

pub use codes::{adapter_device, device_of, dtype_from, dtype_of};
pub use export::{export, flags_of, ExportOptions, Exported, READONLY_LEGACY};
pub use import::{import_legacy, import_versioned, Peek, Plan, IMPORTABLE_HOST};
