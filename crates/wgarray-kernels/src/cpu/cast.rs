//! NumPy's `astype` between every pair of dtypes: integers wrap, floats
//! truncate toward zero into integers, anything nonzero (NaN too) is True,
//! float64 → float16 rounds once (`f64_to_f16`). Out-of-range float → integer values are
//! undefined in NumPy; here they saturate (see docs/casting.md).

use half::f16;
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

/// float64 → float16 rounded once, as NumPy does: round to float32 with
/// round-to-odd (the sticky bit survives), then to float16 to nearest-even.
/// (`half::f16::from_f64` may go through float32 with plain rounding and so
/// round twice.)
pub fn f64_to_f16(x: f64) -> f16 {
    let r = x as f32;
    if x.is_nan() || r as f64 == x || r.is_infinite() {
        return f16::from_f32(r);
    }
    let mut b = r.to_bits();
    if b & 1 == 0 {
        b = if (r as f64).abs() > x.abs() { b - 1 } else { b + 1 };
    }
    f16::from_f32(f32::from_bits(b))
}

unsafe fn run_f64_to_f16(src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
    for i in 0..n as isize {
        unsafe { *(dst.offset(i * ds) as *mut f16) = f64_to_f16(*(src.offset(i * ss) as *const f64)) };
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
    if from == DType::Float64 && to == DType::Float16 {
        unsafe { w.for_each_run(|p, n, s| run_f64_to_f16(p[0], s[0], p[1], s[1], n)) }
    } else if to == DType::Bool {
        with_rust_type!(from, S => unsafe {
            w.for_each_run(|p, n, s| run_to_bool::<S>(p[0], s[0], p[1], s[1], n))
        })
    } else {
        with_rust_type!(from, S => with_rust_type!(to, D => unsafe {
            w.for_each_run(|p, n, s| run::<S, D>(p[0], s[0], p[1], s[1], n))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f64_to_f16_rounds_once() {
        let just_above_tie = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
        assert_eq!(f64_to_f16(just_above_tie), f16::from_bits(0x3C01));
        assert_eq!(f64_to_f16(1.0 + 2f64.powi(-11)), f16::ONE);
        assert_eq!(f64_to_f16(1e10), f16::INFINITY);
        assert!(f64_to_f16(f64::NAN).is_nan());
        assert_eq!(f64_to_f16(-0.0).to_bits(), 0x8000);
    }
}
