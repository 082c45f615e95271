//! `out = mask ? new : old`, for the `where=` of ufunc calls.

use super::strided::Strided;

/// Elementwise select over `shape`; strides in elements, `itemsize` bytes per
/// element of `new`, `old` and `out` (the mask is bool, one byte).
///
/// # Safety
/// Every layout must lie inside a live buffer.
pub unsafe fn select(shape: &[usize], itemsize: usize, ins: [(*mut u8, &[isize]); 3], out: (*mut u8, &[isize])) {
    let w = Strided::new(
        shape,
        [ins[0].1, ins[1].1, ins[2].1, out.1],
        [ins[0].0, ins[1].0, ins[2].0, out.0],
        [1, itemsize, itemsize, itemsize],
    );
    unsafe {
        w.for_each_run(|p, n, s| {
            for i in 0..n as isize {
                let from = if *p[0].offset(i * s[0]) != 0 { p[1].offset(i * s[1]) } else { p[2].offset(i * s[2]) };
                std::ptr::copy_nonoverlapping(from, p[3].offset(i * s[3]), itemsize);
            }
        })
    };
}
