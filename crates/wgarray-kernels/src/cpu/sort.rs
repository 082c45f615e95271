//! Stable argsort of C-contiguous rows on the host, in NumPy's order: -0.0
//! equals 0.0 and NaNs sort last (the same keys the GPU sort makes).

use wgarray_core::DType;

use crate::with_rust_type;

/// An order-preserving unsigned key of a value's bits.
trait SortKey: Copy {
    fn key(self) -> u64;
}

macro_rules! unsigned_key {
    ($($t:ty),*) => {$(impl SortKey for $t { fn key(self) -> u64 { self as u64 } })*};
}
macro_rules! signed_key {
    ($($t:ty),*) => {$(impl SortKey for $t { fn key(self) -> u64 { (self as i64 as u64) ^ (1 << 63) } })*};
}
unsigned_key!(u8, u16, u32, u64);
signed_key!(i8, i16, i32, i64);

fn float_key(v: f64) -> u64 {
    if v.is_nan() {
        u64::MAX
    } else if v == 0.0 {
        1 << 63
    } else if v.is_sign_negative() {
        !v.to_bits()
    } else {
        v.to_bits() | (1 << 63)
    }
}

impl SortKey for half::f16 {
    fn key(self) -> u64 {
        float_key(self.to_f64())
    }
}
impl SortKey for f32 {
    fn key(self) -> u64 {
        float_key(self as f64)
    }
}
impl SortKey for f64 {
    fn key(self) -> u64 {
        float_key(self)
    }
}

fn sort_rows<T: SortKey>(src: &[T], len: usize, out: &mut [u32]) {
    let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(len);
    for (row, dst) in src.chunks_exact(len).zip(out.chunks_exact_mut(len)) {
        pairs.clear();
        pairs.extend(row.iter().enumerate().map(|(i, v)| (v.key(), i as u32)));
        // Positions break ties: an unstable sort of the pairs is a stable sort of the keys.
        pairs.sort_unstable();
        for (d, &(_, i)) in dst.iter_mut().zip(&pairs) {
            *d = i;
        }
    }
}

/// Writes into `out` (`rows * len` u32) each row's stable argsort.
///
/// # Safety
/// `src` must hold `rows * len` contiguous, aligned elements of `dtype`.
pub unsafe fn argsort(dtype: DType, src: *const u8, rows: usize, len: usize, out: &mut [u32]) {
    if rows == 0 || len == 0 {
        return;
    }
    if dtype == DType::Bool {
        // SAFETY: the caller vouches for the memory.
        let s = unsafe { std::slice::from_raw_parts(src, rows * len) };
        let canon: Vec<u8> = s.iter().map(|&b| (b != 0) as u8).collect();
        return sort_rows(&canon, len, out);
    }
    with_rust_type!(dtype, T => {
        // SAFETY: the caller vouches for the memory.
        let s = unsafe { std::slice::from_raw_parts(src as *const T, rows * len) };
        sort_rows(s, len, out)
    })
}
