//! Stable sorts of C-contiguous rows on the host — positions (`argsort`)
//! or the values themselves (`sort`) — in NumPy's order: -0.0 equals 0.0
//! and NaNs sort last (the same keys the GPU sort makes).
//!
//! Every value maps to an order-preserving unsigned key, carried with its
//! position. Rows of at least `RADIX_MIN` elements sort by LSD radix sort
//! (`radix`: one byte of the key per pass, each pass stable); shorter rows
//! by a comparison sort of the (key, position) pairs, whose positions break
//! ties. Many rows sort in parallel; one long row splits each radix pass
//! across threads. One-byte dtypes (bool, int8, uint8) sort by counting
//! instead (`bytes`): a histogram of the row, then each position or value
//! written at its key's next place — two passes, no items.

use std::mem::MaybeUninit;

use rayon::prelude::*;
use wgarray_core::{DType, Result};
use wgarray_device::CpuBuffer;

use super::radix::{self, Item, Wide};
use super::strided::Shared;
use crate::with_rust_type;

/// Below this many elements in all, rows sort on the calling thread
/// (sorting costs tens of adds per element: less than `PARALLEL_WORK`).
const PARALLEL_MIN: usize = 1 << 16;

/// Rows shorter than this sort by comparison (a radix pass costs a
/// 256-bucket histogram, which only pays for longer rows).
const RADIX_MIN: usize = 256;

/// A value's sort item at a position: its order-preserving key and the
/// position, ordered by key then position.
trait SortKey: Copy + Send + Sync {
    type Item: Item;
    fn item(self, pos: u32) -> Self::Item;
    /// The value an item of `row` was made from.
    #[inline(always)]
    fn value(it: Self::Item, row: &[Self]) -> Self {
        row[it.pos() as usize]
    }
}

/// Keys of up to 32 bits ride with the position in one u64 (key high).
fn packed(key: u32, pos: u32) -> u64 {
    (key as u64) << 32 | pos as u64
}

/// Keys of 8- and 16-bit types: the key, and the value back from it.
macro_rules! narrow_key {
    ($($t:ty => $k:expr, $v:expr);* $(;)?) => {$(impl SortKey for $t {
        type Item = u64;
        fn item(self, pos: u32) -> u64 {
            let f: fn($t) -> u32 = $k;
            packed(f(self), pos)
        }
        fn value(it: u64, _: &[$t]) -> $t {
            let f: fn(u32) -> $t = $v;
            f((it >> 32) as u32)
        }
    })*};
}
narrow_key!(
    u8 => |v| v as u32, |k| k as u8;
    u16 => |v| v as u32, |k| k as u16;
    i8 => |v| (v as i32 as u32) ^ (1 << 31), |k| (k ^ (1 << 31)) as i32 as i8;
    i16 => |v| (v as i32 as u32) ^ (1 << 31), |k| (k ^ (1 << 31)) as i32 as i16;
);

impl SortKey for half::f16 {
    type Item = u64;
    fn item(self, pos: u32) -> u64 {
        packed(f32_key(self.to_f32()), pos)
    }
    fn value(it: u64, row: &[half::f16]) -> half::f16 {
        // Exact: the key came from a float16 widened to float32.
        f32_from_key((it >> 32) as u32).map_or_else(|| row[it as u32 as usize], half::f16::from_f32)
    }
}

// Where the key gives the value back, sorted values are read from the
// items instead of gathered from the row (random reads of a long row).

impl SortKey for u32 {
    type Item = u64;
    fn item(self, pos: u32) -> u64 {
        packed(self, pos)
    }
    fn value(it: u64, _: &[u32]) -> u32 {
        (it >> 32) as u32
    }
}
impl SortKey for i32 {
    type Item = u64;
    fn item(self, pos: u32) -> u64 {
        packed((self as u32) ^ (1 << 31), pos)
    }
    fn value(it: u64, _: &[i32]) -> i32 {
        ((it >> 32) as u32 ^ (1 << 31)) as i32
    }
}
impl SortKey for f32 {
    type Item = u64;
    fn item(self, pos: u32) -> u64 {
        packed(f32_key(self), pos)
    }
    fn value(it: u64, row: &[f32]) -> f32 {
        f32_from_key((it >> 32) as u32).unwrap_or_else(|| row[it as u32 as usize])
    }
}
impl SortKey for u64 {
    type Item = Wide;
    fn item(self, pos: u32) -> Wide {
        Wide { key: self, pos }
    }
    fn value(it: Wide, _: &[u64]) -> u64 {
        it.key
    }
}
impl SortKey for i64 {
    type Item = Wide;
    fn item(self, pos: u32) -> Wide {
        Wide { key: (self as u64) ^ (1 << 63), pos }
    }
    fn value(it: Wide, _: &[i64]) -> i64 {
        (it.key ^ (1 << 63)) as i64
    }
}
impl SortKey for f64 {
    type Item = Wide;
    fn item(self, pos: u32) -> Wide {
        Wide { key: f64_key(self), pos }
    }
    fn value(it: Wide, row: &[f64]) -> f64 {
        match it.key {
            // Zeros (either sign) and NaNs (any payload) share keys.
            k if k == 1 << 63 || k == u64::MAX => row[it.pos as usize],
            k if k & (1 << 63) != 0 => f64::from_bits(k & !(1 << 63)),
            k => f64::from_bits(!k),
        }
    }
}

/// NaN greatest, -0.0 equal to 0.0, otherwise the value's order.
fn f32_key(v: f32) -> u32 {
    if v.is_nan() {
        u32::MAX
    } else if v == 0.0 {
        1 << 31
    } else if v.is_sign_negative() {
        !v.to_bits()
    } else {
        v.to_bits() | (1 << 31)
    }
}

/// The value of a float32 key; `None` for the keys zeros (either sign) and
/// NaNs (any payload) share.
fn f32_from_key(k: u32) -> Option<f32> {
    match k {
        k if k == 1 << 31 || k == u32::MAX => None,
        k if k & (1 << 31) != 0 => Some(f32::from_bits(k & !(1 << 31))),
        k => Some(f32::from_bits(!k)),
    }
}

/// As `f32_key`, for float64.
fn f64_key(v: f64) -> u64 {
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

/// Runs `f` on each row of `src` (rows of `len`) and `out`'s matching row,
/// with a `state` (made by `new`) per run of rows: rows one after another
/// (a long row splits its own work), or groups of short rows, a few groups
/// per thread, in parallel.
fn for_rows<T: Sync, O: Send, S>(
    src: &[T],
    len: usize,
    out: &mut [O],
    new: impl Fn() -> Result<S> + Sync,
    f: impl Fn(&mut S, &[T], &mut [O]) + Sync,
) -> Result<()> {
    let run = |s: &[T], o: &mut [O]| {
        let mut state = new()?;
        for (row, dst) in s.chunks_exact(len).zip(o.chunks_exact_mut(len)) {
            f(&mut state, row, dst);
        }
        Ok(())
    };
    if len >= radix::PARALLEL_ROW || src.len() < PARALLEL_MIN || rayon::current_num_threads() < 2 {
        return run(src, out);
    }
    let per = PARALLEL_MIN.div_ceil(len).max(1);
    src.par_chunks(per * len).zip(out.par_chunks_mut(per * len)).try_for_each(|(s, o)| run(s, o))
}

/// Sorts each row of `src` (rows of `len`) and has `emit` write the row's
/// result from its sorted items into `out`'s matching row.
fn sort_rows<T: SortKey, O: Send>(
    src: &[T],
    len: usize,
    out: &mut [O],
    emit: impl Fn(&[T::Item], &[T], &mut [O]) + Sync,
) -> Result<()> {
    for_rows(src, len, out, || Scratch::new(len), |scratch, row, dst| emit(scratch.sort(row), row, dst))
}

/// Room for one row's items and the radix sort's second buffer. Host
/// blocks, not `Vec`s: a long row's items are tens of MB, and the host
/// cache hands back warm (and, on Linux, huge-page) memory where a fresh
/// allocation would fault on every page.
struct Scratch<I> {
    items: CpuBuffer,
    tmp: CpuBuffer,
    len: usize,
    _item: std::marker::PhantomData<I>,
}

impl<I: Item> Scratch<I> {
    fn new(len: usize) -> Result<Self> {
        let bytes = (len * size_of::<I>()).max(1);
        Ok(Scratch { items: CpuBuffer::uninit(bytes)?, tmp: CpuBuffer::uninit(bytes)?, len, _item: std::marker::PhantomData })
    }

    /// `row`'s items in stable sorted order.
    fn sort<T: SortKey<Item = I>>(&mut self, row: &[T]) -> &[I] {
        assert_eq!(row.len(), self.len);
        let p = self.items.as_ptr() as *mut I;
        for (i, v) in row.iter().enumerate() {
            // SAFETY: the block holds `len` items (64-byte aligned).
            unsafe { p.add(i).write(v.item(i as u32)) };
        }
        // SAFETY: every item was just written; `tmp` is as long and only
        // ever viewed as possibly uninitialised.
        let (items, tmp) = unsafe {
            (
                std::slice::from_raw_parts_mut(p, self.len),
                std::slice::from_raw_parts_mut(self.tmp.as_ptr() as *mut MaybeUninit<I>, self.len),
            )
        };
        if self.len < RADIX_MIN {
            // Positions break ties: an unstable sort of the items is a stable sort of the keys.
            items.sort_unstable();
            items
        } else {
            radix::sort(items, tmp)
        }
    }
}

fn positions<I: Item, T>(items: &[I], _: &[T], dst: &mut [u32]) {
    for (d, it) in dst.iter_mut().zip(items) {
        *d = it.pos();
    }
}

fn values<T: SortKey>(items: &[T::Item], row: &[T], dst: &mut [T]) {
    for (d, &it) in dst.iter_mut().zip(items) {
        *d = T::value(it, row);
    }
}

/// The order-preserving key of a one-byte dtype's raw byte, which is also
/// how the sorted byte is written back (its own inverse; bool canonical).
fn byte_key(dtype: DType) -> Option<fn(u8) -> u8> {
    match dtype {
        DType::Bool => Some(|b| (b != 0) as u8),
        DType::UInt8 => Some(|b| b),
        DType::Int8 => Some(|b| b ^ 0x80),
        _ => None,
    }
}

/// Counting sorts of one row of one-byte keys.
mod bytes {
    use super::*;

    /// How many of each key `row` holds.
    fn histogram(row: &[u8], key: fn(u8) -> u8) -> [u32; 256] {
        let mut h = [0u32; 256];
        for &b in row {
            h[key(b) as usize] += 1;
        }
        h
    }

    /// `row`'s stable argsort into `dst`. A row of at least
    /// `radix::PARALLEL_ROW` splits into pieces across threads: each piece
    /// counts its keys, and writes each key's positions from where the
    /// pieces before it (and all smaller keys) leave off.
    pub(super) fn positions(row: &[u8], key: fn(u8) -> u8, dst: &mut [u32]) {
        let n = row.len();
        let pieces = if n >= radix::PARALLEL_ROW { rayon::current_num_threads().min(n / (radix::PARALLEL_ROW / 2)).max(1) } else { 1 };
        let piece = n.div_ceil(pieces);
        let counts: Vec<[u32; 256]> = if pieces == 1 {
            vec![histogram(row, key)]
        } else {
            row.par_chunks(piece).map(|c| histogram(c, key)).collect()
        };
        let mut starts = counts.clone();
        let mut at = 0u32;
        for k in 0..256 {
            for (s, c) in starts.iter_mut().zip(&counts) {
                s[k] = at;
                at += c[k];
            }
        }
        let out = Shared(dst.as_mut_ptr());
        let write = |p: usize, chunk: &[u8], mut next: [u32; 256]| {
            let out = &out;
            for (i, &b) in chunk.iter().enumerate() {
                let slot = &mut next[key(b) as usize];
                // SAFETY: the slots of (piece, key) are disjoint and inside `dst` (the counts sum to its length).
                unsafe { *out.0.add(*slot as usize) = (p * piece + i) as u32 };
                *slot += 1;
            }
        };
        if pieces == 1 {
            write(0, row, starts[0]);
        } else {
            row.par_chunks(piece).zip(starts.into_par_iter()).enumerate().for_each(|(p, (c, s))| write(p, c, s));
        }
    }

    /// `row` sorted into `dst`: each key's count of its byte, in key order.
    pub(super) fn values(row: &[u8], key: fn(u8) -> u8, dst: &mut [u8]) {
        let h = histogram(row, key);
        let mut at = 0;
        for (k, &c) in h.iter().enumerate() {
            dst[at..at + c as usize].fill(key(k as u8));
            at += c as usize;
        }
    }
}

/// Writes into `out` (`rows * len` u32) each row's stable argsort.
///
/// # Safety
/// `src` must hold `rows * len` contiguous, aligned elements of `dtype`.
pub unsafe fn argsort(dtype: DType, src: *const u8, rows: usize, len: usize, out: &mut [u32]) -> Result<()> {
    if rows == 0 || len == 0 {
        return Ok(());
    }
    if let Some(key) = byte_key(dtype) {
        // SAFETY: the caller vouches for the memory.
        let s = unsafe { std::slice::from_raw_parts(src, rows * len) };
        return for_rows(s, len, out, || Ok(()), |_, row, dst| bytes::positions(row, key, dst));
    }
    with_rust_type!(dtype, T => {
        // SAFETY: the caller vouches for the memory.
        let s = unsafe { std::slice::from_raw_parts(src as *const T, rows * len) };
        sort_rows(s, len, out, positions)
    })
}

/// Writes into `out` each row of `src` sorted (stable: equal keys, such as
/// -0.0 and 0.0 or NaNs, keep their order).
///
/// # Safety
/// `src` must hold `rows * len` contiguous, aligned elements of `dtype` and
/// `out` room for as many, not overlapping `src`.
pub unsafe fn sort(dtype: DType, src: *const u8, rows: usize, len: usize, out: *mut u8) -> Result<()> {
    if rows == 0 || len == 0 {
        return Ok(());
    }
    if let Some(key) = byte_key(dtype) {
        // SAFETY: the caller vouches for the memory.
        let (s, o) = unsafe { (std::slice::from_raw_parts(src, rows * len), std::slice::from_raw_parts_mut(out, rows * len)) };
        return for_rows(s, len, o, || Ok(()), |_, row, dst| bytes::values(row, key, dst));
    }
    with_rust_type!(dtype, T => {
        // SAFETY: the caller vouches for the memory.
        let (s, o) = unsafe { (std::slice::from_raw_parts(src as *const T, rows * len), std::slice::from_raw_parts_mut(out as *mut T, rows * len)) };
        sort_rows(s, len, o, values::<T>)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference<T: SortKey>(v: &[T]) -> Vec<u32> {
        let mut items: Vec<T::Item> = v.iter().enumerate().map(|(i, x)| x.item(i as u32)).collect();
        items.sort();
        items.iter().map(|it| it.pos()).collect()
    }

    #[test]
    fn float_keys_order_like_numpy() {
        let v = [1.0f32, f32::NAN, -0.0, 0.0, f32::NEG_INFINITY, -1e-45, 1e-45, f32::INFINITY, -2.0];
        let mut s: Vec<u32> = v.iter().map(|&x| f32_key(x)).collect();
        s.sort();
        let want = [f32::NEG_INFINITY, -2.0, -1e-45, 0.0, 0.0, 1e-45, 1.0, f32::INFINITY];
        assert_eq!(&s[..8], &want.map(f32_key));
        assert_eq!(s[8], u32::MAX);
        assert_eq!(f64_key(-0.0), f64_key(0.0));
        assert!(f64_key(f64::INFINITY) < f64_key(f64::NAN));
    }

    #[test]
    fn values_come_back_from_their_keys() {
        let f = [1.5f32, -2.25, 0.0, -0.0, f32::NAN, -f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e-45, -1e-45];
        for (i, &v) in f.iter().enumerate() {
            assert_eq!(f32::value(v.item(i as u32), &f).to_bits(), v.to_bits());
            assert_eq!(f64::value((v as f64).item(i as u32), &f.map(|x| x as f64)).to_bits(), (v as f64).to_bits());
            let h = half::f16::from_f32(v);
            assert_eq!(half::f16::value(h.item(0), &[h]).to_bits(), h.to_bits());
        }
        for v in [i8::MIN, -1, 0, 1, i8::MAX] {
            assert_eq!(i8::value(v.item(0), &[]), v);
            assert_eq!(i16::value((v as i16 * 200).item(0), &[]), v as i16 * 200);
            assert_eq!(i32::value((v as i32 * 99999).item(0), &[]), v as i32 * 99999);
            assert_eq!(i64::value((v as i64 * 1 << 50).item(0), &[]), v as i64 * 1 << 50);
            assert_eq!(u8::value((v as u8).item(0), &[]), v as u8);
            assert_eq!(u16::value((v as u16).item(0), &[]), v as u16);
            assert_eq!(u32::value((v as u32).item(0), &[]), v as u32);
            assert_eq!(u64::value((v as u64).item(0), &[]), v as u64);
        }
    }

    /// The counting sort of one-byte keys, serial and split into pieces,
    /// against a comparison sort of the same keys (and the values back).
    #[test]
    fn byte_rows_match_a_comparison_sort() {
        let mut x = 777u64;
        for n in [1, 300, radix::PARALLEL_ROW + 12345] {
            let row: Vec<u8> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (x >> 56) as u8 % 37 * 7
                })
                .collect();
            for dtype in [DType::Bool, DType::UInt8, DType::Int8] {
                let key = byte_key(dtype).unwrap();
                let mut want: Vec<u32> = (0..n as u32).collect();
                want.sort_by_key(|&i| key(row[i as usize]));
                let mut got = vec![0u32; n];
                bytes::positions(&row, key, &mut got);
                assert_eq!(got, want, "{dtype:?} {n}");
                let mut vals = vec![0u8; n];
                bytes::values(&row, key, &mut vals);
                let back: Vec<u8> = want.iter().map(|&i| key(key(row[i as usize]))).collect();
                assert_eq!(vals, back, "{dtype:?} {n}");
            }
        }
    }

    #[test]
    fn radix_rows_match_a_comparison_sort() {
        let mut x = 12345u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [255, 256, 1000, 5000] {
            let a: Vec<i64> = (0..n).map(|_| (next() % 97) as i64 - 48).collect();
            let b: Vec<f32> = (0..n).map(|_| (next() % 50) as f32 - 25.5).collect();
            let mut out = vec![0u32; n];
            sort_rows(&a, n, &mut out, positions).unwrap();
            assert_eq!(out, reference(&a));
            sort_rows(&b, n, &mut out, positions).unwrap();
            assert_eq!(out, reference(&b));
        }
    }
}
