//! `argsort` along one axis, stable, in NumPy's order (NaN last): the axis
//! is moved last and made C-contiguous, and the device sorts every row at
//! once (a bitonic sort on GPUs, see `wgarray_kernels::gpu_sort`).

use std::sync::Arc;

use wgarray_core::layout::{c_strides, normalize_axis};
use wgarray_core::{DType, Layout, Result};

use crate::Array;

impl Array {
    /// The stable argsort of every 1-d slice along `axis`, in the device's
    /// index dtype, shaped like `self`.
    pub fn argsort(&self, axis: i64) -> Result<Array> {
        let nd = self.ndim();
        let axis = normalize_axis(axis, nd)?;
        let mut order: Vec<i64> = (0..nd as i64).filter(|&a| a != axis as i64).collect();
        order.push(axis as i64);
        let moved = self.permute(Some(&order))?;
        let c = if moved.layout.strides == c_strides(moved.shape()) { moved } else { moved.copy()? };
        let len = c.shape()[nd - 1];
        let rows = c.size().checked_div(len).unwrap_or(0);
        let (storage, stride) = wgarray_kernels::argsort(&c.operand()?, rows, len)?;
        let pos = Array::from_parts(
            Arc::new(storage),
            Layout { shape: wgarray_core::dims![rows, len], strides: wgarray_core::dims![stride as isize, 1], offset: 0 },
            DType::UInt32,
            true,
        );
        let shape: Vec<i64> = c.shape().iter().map(|&d| d as i64).collect();
        let idx = pos.astype(self.index_dtype())?.reshape(&shape)?;
        // Move the sorted axis back where it was.
        let mut back = vec![0i64; nd];
        for (i, &a) in order.iter().enumerate() {
            back[a as usize] = i as i64;
        }
        idx.permute(Some(&back))
    }
}
