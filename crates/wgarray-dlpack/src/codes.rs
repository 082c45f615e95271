//! DLPack's device and dtype codes for wgarray's devices and dtypes.

use dlpark::ffi::{DLDataType, DLDataTypeCode, DLDevice, DLDeviceType};
use wgarray_core::{DType, Error, Result};
use wgarray_device::{AdapterEntry, Device};

/// The DLPack device of `device`: `(kDLCPU, 0)` for the CPU device; for a
/// GPU its backend's type (kDLVulkan = 7, kDLMetal = 8; DX12 and GL have no
/// DLPack code and use kDLExtDev = 12) and its index among adapters of that
/// backend (the `N` of `vulkan:N`).
pub fn device_of(device: &Device) -> DLDevice {
    match device {
        Device::Cpu => DLDevice::CPU,
        Device::Gpu(ctx) => adapter_device(ctx.adapter()),
    }
}

/// The DLPack device of one adapter (see [`device_of`]).
pub fn adapter_device(a: &AdapterEntry) -> DLDevice {
    let device_type = match a.backend_name() {
        "vulkan" => DLDeviceType::VULKAN,
        "metal" => DLDeviceType::METAL,
        _ => DLDeviceType::EXTDEV,
    };
    DLDevice { device_type, device_id: a.backend_index as i32 }
}

/// The DLPack dtype of `dtype` (bool is DLPack's 8-bit kDLBool).
pub fn dtype_of(dtype: DType) -> DLDataType {
    use DType::*;
    let code = match dtype {
        Bool => DLDataTypeCode::BOOL,
        Int8 | Int16 | Int32 | Int64 => DLDataTypeCode::INT,
        UInt8 | UInt16 | UInt32 | UInt64 => DLDataTypeCode::UINT,
        Float16 | Float32 | Float64 => DLDataTypeCode::FLOAT,
    };
    DLDataType { code, bits: (dtype.itemsize() * 8) as u8, lanes: 1 }
}

/// The wgarray dtype of a DLPack dtype; NumPy's BufferErrors otherwise.
pub fn dtype_from(dt: DLDataType) -> Result<DType> {
    use DType::*;
    if dt.lanes != 1 {
        return Err(Error::buffer("Unsupported lanes in DLTensor dtype."));
    }
    let d = match (dt.code, dt.bits) {
        (DLDataTypeCode::BOOL, 8) => Bool,
        (DLDataTypeCode::INT, 8) => Int8,
        (DLDataTypeCode::INT, 16) => Int16,
        (DLDataTypeCode::INT, 32) => Int32,
        (DLDataTypeCode::INT, 64) => Int64,
        (DLDataTypeCode::UINT, 8) => UInt8,
        (DLDataTypeCode::UINT, 16) => UInt16,
        (DLDataTypeCode::UINT, 32) => UInt32,
        (DLDataTypeCode::UINT, 64) => UInt64,
        (DLDataTypeCode::FLOAT, 16) => Float16,
        (DLDataTypeCode::FLOAT, 32) => Float32,
        (DLDataTypeCode::FLOAT, 64) => Float64,
        _ => return Err(Error::buffer("Unsupported dtype in DLTensor.")),
    };
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dtype_round_trips() {
        for d in DType::ALL {
            assert_eq!(dtype_from(dtype_of(d)).unwrap(), d);
        }
        let complex = DLDataType { code: DLDataTypeCode::COMPLEX, bits: 64, lanes: 1 };
        assert_eq!(dtype_from(complex), Err(Error::buffer("Unsupported dtype in DLTensor.")));
        let lanes = DLDataType { lanes: 4, ..dtype_of(DType::Float32) };
        assert_eq!(dtype_from(lanes), Err(Error::buffer("Unsupported lanes in DLTensor dtype.")));
    }
}
