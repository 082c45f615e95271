//! `argsort` (and, on the host, `sort`) along one axis, stable, in NumPy's
//! order (NaN last): the axis is moved last and made C-contiguous, and the
//! device sorts every row at once (on GPUs a bitonic sort, or radix for a
//! single long row, see `wgarray_kernels::gpu_sort`; radix sort on the
//! host, `cpu::sort`).

use std::sync::Arc;

use wgarray_core::layout::{c_strides, normalize_axis};
use wgarray_core::{DType, Layout, Result};

use crate::Array;

impl Array {
    /// The stable argsort of every 1-d slice along `axis`, in the device's
    /// index dtype, shaped like `self`.
    pub fn argsort(&self, axis: i64) -> Result<Array> {
        let (c, order) = self.axis_last(axis)?;
        let nd = c.ndim();
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
        pos.astype(self.index_dtype())?.reshape(&shape)?.permute(Some(&inverse(&order)))
    }

    /// Every 1-d slice along `axis` sorted (stable), for host arrays (GPU
    /// sorts gather through `argsort`: `NotImplemented` here).
    pub fn sort_host(&self, axis: i64) -> Result<Array> {
        let (c, order) = self.axis_last(axis)?;
        let len = c.shape()[c.ndim() - 1];
        let rows = c.size().checked_div(len).unwrap_or(0);
        let storage = wgarray_kernels::sort_host(&c.operand()?, rows, len)?;
        let layout = Layout::contiguous(c.shape());
        Array::from_parts(Arc::new(storage), layout, self.dtype(), true).permute(Some(&inverse(&order)))
    }

    /// `self` with `axis` moved last, C-contiguous, and the axis order used.
    fn axis_last(&self, axis: i64) -> Result<(Array, Vec<i64>)> {
        let nd = self.ndim();
        let axis = normalize_axis(axis, nd)?;
        let mut order: Vec<i64> = (0..nd as i64).filter(|&a| a != axis as i64).collect();
        order.push(axis as i64);
        let moved = self.permute(Some(&order))?;
        let c = if moved.layout.strides == c_strides(moved.shape()) { moved } else { moved.copy()? };
        Ok((c, order))
    }
}

/// The permutation undoing `order` (moves the sorted axis back).
fn inverse(order: &[i64]) -> Vec<i64> {
    let mut back = vec![0i64; order.len()];
    for (i, &a) in order.iter().enumerate() {
        back[a as usize] = i as i64;
    }
    back
}
