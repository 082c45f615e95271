//! NumPy's `astype` between every pair of dtypes: integers wrap, floats
//! truncate toward zero into integers, anything nonzero (NaN too) is True,
//! float64 → float16 rounds once (`f64_to_f16`). Float → integer casts of
//! out-of-range values, infinities and NaN give x86-64 NumPy's results
//! (`float_to_int`, docs/casting.md), as the GPU kernels do.

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

/// x86-64 NumPy's float → integer conversions, for any float input
/// (float16/32 widen to float64 exactly first).
pub mod float_to_int {
    const P31: f64 = 2147483648.0;
    const P32: f64 = 4294967296.0;
    const P63: f64 = 9223372036854775808.0;
    const P64: f64 = 18446744073709551616.0;

    /// int8/16/32 and uint8/16 take the low bits of this.
    pub fn i32_(v: f64) -> i32 {
        if v.is_nan() || v.abs() >= P31 { i32::MIN } else { v as i32 }
    }
    /// uint32.
    pub fn u32_(v: f64) -> u32 {
        match v {
            _ if v.is_nan() => 1 << 31,
            _ if v >= P32 => 0,
            _ if v >= 0.0 => v as u32,
            _ if v > -P31 => v as i32 as u32,
            _ => 1 << 31,
        }
    }
    /// int64.
    pub fn i64_(v: f64) -> i64 {
        if v.is_nan() || v.abs() >= P63 { i64::MIN } else { v as i64 }
    }
    /// uint64.
    pub fn u64_(v: f64) -> u64 {
        match v {
            _ if v.is_nan() => 1 << 63,
            _ if v >= P64 => 0,
            _ if v >= 0.0 => v as u64,
            _ if v > -P63 => v as i64 as u64,
            _ => 1 << 63,
        }
    }
}

unsafe fn run_float_to_int<S: AsPrimitive<f64>, D: Copy + 'static>(
    conv: fn(f64) -> D,
    src: *const u8,
    ss: isize,
    dst: *mut u8,
    ds: isize,
    n: usize,
) {
    for i in 0..n as isize {
        unsafe { *(dst.offset(i * ds) as *mut D) = conv((*(src.offset(i * ss) as *const S)).as_()) };
    }
}

unsafe fn run_to_bool<S: Copy + PartialEq + num_traits::Zero>(src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
    for i in 0..n as isize {
        unsafe { *dst.offset(i * ds) = (*(src.offset(i * ss) as *const S) != S::zero()) as u8 };
    }
}

/// One strided run of a cast: source pointer and byte stride, destination
/// pointer and byte stride, length.
pub type CastRun = unsafe fn(*const u8, isize, *mut u8, isize, usize);

macro_rules! float_to_int_runs {
    ($($name:ident: $D:ty = $conv:expr;)+) => {
        $(unsafe fn $name<S: AsPrimitive<f64>>(src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
            unsafe { run_float_to_int::<S, $D>($conv, src, ss, dst, ds, n) }
        })+
    };
}

float_to_int_runs! {
    to_i8: i8 = |v| float_to_int::i32_(v) as i8;
    to_i16: i16 = |v| float_to_int::i32_(v) as i16;
    to_i32: i32 = float_to_int::i32_;
    to_u8: u8 = |v| float_to_int::i32_(v) as u8;
    to_u16: u16 = |v| float_to_int::i32_(v) as u16;
    to_u32: u32 = float_to_int::u32_;
    to_i64: i64 = float_to_int::i64_;
    to_u64: u64 = float_to_int::u64_;
}

/// The run function casting `from` to `to`.
pub fn cast_run(from: DType, to: DType) -> CastRun {
    if from.is_float() && to.is_integer() {
        with_rust_type!(from, S => match to {
            DType::Int8 => to_i8::<S> as CastRun,
            DType::Int16 => to_i16::<S>,
            DType::Int32 => to_i32::<S>,
            DType::UInt8 => to_u8::<S>,
            DType::UInt16 => to_u16::<S>,
            DType::UInt32 => to_u32::<S>,
            DType::Int64 => to_i64::<S>,
            _ => to_u64::<S>,
        })
    } else if from == DType::Float64 && to == DType::Float16 {
        run_f64_to_f16
    } else if to == DType::Bool {
        with_rust_type!(from, S => run_to_bool::<S> as CastRun)
    } else {
        with_rust_type!(from, S => with_rust_type!(to, D => run::<S, D> as CastRun))
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
    let f = cast_run(from, to);
    unsafe { w.for_each_run_par(1, |p, n, s| f(p[0], s[0], p[1], s[1], n)) }
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
