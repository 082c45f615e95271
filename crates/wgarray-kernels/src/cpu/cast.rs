//! NumPy's `astype` between every pair of dtypes: integers wrap, floats
//! truncate toward zero into integers, anything nonzero (NaN too) is True,
//! float64 → float16 rounds once. Out-of-range float → integer values are
//! undefined in NumPy; here they saturate (see docs/casting.md).

use num_traits::AsPrimitive;
use wgarray_core::DType;

use super::strided::Strided;
use crate::with_rust_type;

unsafe fn run<S: AsPrimitive<D>, D: Copy + 'static>(src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
    let (sz_s, sz_d) = (size_of::<S>() as isize, size_of::<D>() as isize);
    if ss == sz_s && ds == sz_d {
        let s = unsafe { std::slice::from_raw_parts(src as *const S, n) };
        let d = unsafe { std::slice::from_raw_parts_mut(dst as *mut D, n) };
        for (d, s) in d.iter_mut().zip(s) {
            *d = s.as_();
        }
    } else {
        for i in 0..n as isize {
            unsafe { *(dst.offset(i * ds) as *mut D) = (*(src.offset(i * ss) as *const S)).as_() };
        }
    }
}

unsafe fn run_to_bool<S: Copy + PartialEq + num_traits::Zero>(src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
    for i in 0..n as isize {
        unsafe { *dst.offset(i * ds) = (*(src.offset(i * ss) as *const S) != S::zero()) as u8 };
    }
}

/// Casts `src` (dtype `from`) into `dst` (dtype `to`) over `shape`; strides in elements.
///
/// # Safety
/// Both layouts must lie inside live buffers; `dst` must not overlap `src`
/// unless they are the same positions of the same dtype.
pub unsafe fn cast(
    shape: &[usize],
    from: DType,
    src: (*const u8, &[isize]),
    to: DType,
    dst: (*mut u8, &[isize]),
) {
    let w = Strided::new(shape, [src.1, dst.1], [src.0 as *mut u8, dst.0], [from.itemsize(), to.itemsize()]);
    if to == DType::Bool {
        with_rust_type!(from, S => unsafe {
            w.for_each_run(|p, n, s| run_to_bool::<S>(p[0], s[0], p[1], s[1], n))
        })
    } else {
        with_rust_type!(from, S => with_rust_type!(to, D => unsafe {
            w.for_each_run(|p, n, s| run::<S, D>(p[0], s[0], p[1], s[1], n))
        }))
    }
}
