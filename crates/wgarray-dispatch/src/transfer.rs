//! Moving data: to host bytes, to another device.

use wgarray_core::{Error, Result};
use wgarray_device::{Device, Storage};

use crate::Array;

impl Array {
    /// Copies the elements, C-ordered, into `dst` (exactly `nbytes` long).
    pub fn read_into(&self, dst: &mut [u8]) -> Result<()> {
        let nbytes = self.size() * self.dtype.itemsize();
        if dst.len() != nbytes {
            return Err(Error::value(format!("destination holds {} bytes, the array {nbytes}", dst.len())));
        }
        if nbytes == 0 {
            return Ok(());
        }
        let src = if self.layout.is_c_contiguous() { self.clone() } else { self.copy()? };
        let start = src.layout.offset * src.dtype.itemsize();
        match &**src.storage()? {
            Storage::Cpu(b) => {
                // SAFETY: a contiguous array's bytes lie inside its buffer.
                unsafe { std::ptr::copy_nonoverlapping(b.as_ptr().add(start), dst.as_mut_ptr(), nbytes) };
                Ok(())
            }
            Storage::Gpu(b) => b.context().read(b, start as u64, dst),
        }
    }

    /// The elements as C-ordered host bytes.
    pub fn to_host_bytes(&self) -> Result<Vec<u8>> {
        let mut v = vec![0u8; self.size() * self.dtype.itemsize()];
        self.read_into(&mut v)?;
        Ok(v)
    }

    /// A copy on `device` (the same array when it is already there).
    pub fn to_device(&self, device: &Device) -> Result<Array> {
        if self.device() == *device {
            return Ok(self.clone());
        }
        let bytes = self.to_host_bytes()?;
        Array::from_host(&bytes, self.shape(), self.dtype, device)
    }
}
