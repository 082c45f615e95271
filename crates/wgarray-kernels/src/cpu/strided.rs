//! Walking N operands of one shape, each with its own byte strides.

use wgarray_core::layout::coalesce;

/// N operands over a common (coalesced) shape.
pub struct Strided<const N: usize> {
    shape: Vec<usize>,
    strides: [Vec<isize>; N],
    ptrs: [*mut u8; N],
}

impl<const N: usize> Strided<N> {
    /// `strides` are in elements; `itemsizes` convert them to bytes.
    pub fn new(shape: &[usize], strides: [&[isize]; N], ptrs: [*mut u8; N], itemsizes: [usize; N]) -> Self {
        let (shape, st) = coalesce(shape, &strides);
        let mut it = st.into_iter().zip(itemsizes).map(|(s, i)| s.iter().map(|&v| v * i as isize).collect());
        let strides = std::array::from_fn(|_| it.next().unwrap());
        Strided { shape, strides, ptrs }
    }

    /// Calls `f(pointers, length, byte strides)` for every innermost run.
    ///
    /// # Safety
    /// Every position the layouts describe must be valid for the accesses `f` makes.
    pub unsafe fn for_each_run(&self, mut f: impl FnMut([*mut u8; N], usize, [isize; N])) {
        if self.shape.contains(&0) {
            return;
        }
        let r = self.shape.len();
        if r == 0 {
            f(self.ptrs, 1, [0; N]);
            return;
        }
        let inner = self.shape[r - 1];
        let inner_strides: [isize; N] = std::array::from_fn(|k| self.strides[k][r - 1]);
        let mut idx = vec![0usize; r - 1];
        let mut p = self.ptrs;
        loop {
            f(p, inner, inner_strides);
            let mut d = r - 1;
            loop {
                if d == 0 {
                    return;
                }
                d -= 1;
                idx[d] += 1;
                for (pk, st) in p.iter_mut().zip(&self.strides) {
                    *pk = pk.wrapping_offset(st[d]);
                }
                if idx[d] < self.shape[d] {
                    break;
                }
                for (pk, st) in p.iter_mut().zip(&self.strides) {
                    *pk = pk.wrapping_offset(-st[d] * self.shape[d] as isize);
                }
                idx[d] = 0;
            }
        }
    }
}
