//! float32/float64 matrix products on the CPU in register tiles: each tile
//! of up to `MR` rows × 64 bytes of columns of the output accumulates over
//! the inner axis in its order, one `acc + a * b` per step — exactly the
//! sums the plain loop (`dot.rs`) computes, so the same bits — with the
//! tile's columns of `b` loaded once per step for all its rows. The inner
//! axis is taken in blocks (tiles resume from their stored partial sums) so
//! strips of `b` stay in cache across row tiles; blocks of rows (and, for
//! few rows, of columns) are split across rayon's threads; the loop is
//! compiled again for AVX2 and AVX-512 and picked at run time (Rust never
//! contracts `acc + a * b` into a fused multiply-add, so every variant
//! gives the same bits).

use rayon::prelude::*;

use super::strided::Shared;

/// The float types the tiles serve.
pub trait Float: Copy + Send + Sync + std::ops::Add<Output = Self> + std::ops::Mul<Output = Self> + 'static {
    /// Zero.
    const ZERO: Self;
}
impl Float for f32 {
    const ZERO: f32 = 0.0;
}
impl Float for f64 {
    const ZERO: f64 = 0.0;
}

/// Rows per full tile: 8 rows of 64 bytes are 8 vector accumulators on
/// AVX-512 (16 on AVX2), enough independent sums to keep the multipliers
/// busy (4 rows ran at half the speed). Fewer rows left over take tiles of
/// 4, 2 or 1 rows.
const MR: usize = 8;
/// Bytes of a tile row's columns: 64 (16 float32 or 8 float64 columns).
const ROW_BYTES: usize = 64;
/// Output rows per parallel task.
const ROWS_PER_TASK: usize = 64;
/// Inner steps per pass over a task's tiles: a strip of `b` (`KC` rows of
/// 64 bytes) stays in L1 across the row tiles, the task's rows of `a` in
/// L2. Tiles resume from the stored partial sums (exact), so the sums are
/// still in the inner axis's order.
const KC: usize = 256;

/// One 2-D product: `out[i, j] = Σ_k a[i, k] · b[k, j]` for `m` × `n`
/// outputs over `k` inner steps. Strides in elements: `a` (row, inner), `b`
/// inner (its columns contiguous), `out` row (its columns contiguous).
pub struct Gemm<T> {
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub a: *const T,
    pub a_strides: (isize, isize),
    pub b: *const T,
    pub b_stride: isize,
    pub out: *mut T,
    pub out_stride: isize,
}

/// Runs `g`.
///
/// # Safety
/// Every element the strides reach must lie inside a live buffer; `out`
/// must not overlap `a` or `b`.
pub unsafe fn run<T: Float>(g: &Gemm<T>) {
    // Tasks are blocks of rows × blocks of columns: rows alone when there
    // are enough of them, columns too when there are few (a product of 5
    // rows by a wide matrix still uses every thread). Column blocks are
    // whole 64-byte strips.
    let row_tasks = g.m.div_ceil(ROWS_PER_TASK).max(1);
    let flops = g.m * g.n * g.k;
    let threads = if flops >= 1 << 20 { rayon::current_num_threads() } else { 1 };
    let strip = ROW_BYTES / size_of::<T>();
    let col_tasks = (2 * threads).div_ceil(row_tasks).clamp(1, g.n.div_ceil(4 * strip).max(1));
    let per_col = g.n.div_ceil(col_tasks).next_multiple_of(strip).max(strip);
    let col_tasks = g.n.div_ceil(per_col).max(1);
    let (a, b, out) = (Shared(g.a), Shared(g.b), Shared(g.out));
    let shared = Shared(g);
    let task = |t: usize| {
        let (a, b, out, g) = (a, b, out, shared);
        let (rt, ct) = (t / col_tasks, t % col_tasks);
        let rows = (rt * ROWS_PER_TASK, g.0.m.min((rt + 1) * ROWS_PER_TASK));
        let cols = (ct * per_col, g.0.n.min((ct + 1) * per_col));
        // SAFETY: the caller vouches for the layouts; tasks write disjoint blocks.
        unsafe { dispatch(g.0, a.0, b.0, out.0, rows, cols) }
    };
    let tasks = row_tasks * col_tasks;
    if tasks > 1 && threads > 1 {
        (0..tasks).into_par_iter().for_each(task);
    } else {
        (0..tasks).for_each(task);
    }
}

type Range = (usize, usize);

unsafe fn dispatch<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: Range, cols: Range) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            return unsafe { block_avx512(g, a, b, out, rows, cols) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return unsafe { block_avx2(g, a, b, out, rows, cols) };
        }
    }
    unsafe { block(g, a, b, out, rows, cols) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn block_avx512<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: Range, cols: Range) {
    unsafe { block(g, a, b, out, rows, cols) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn block_avx2<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: Range, cols: Range) {
    unsafe { block(g, a, b, out, rows, cols) }
}

/// Output rows [r0, r1) × columns [c0, c1): blocks of `KC` inner steps
/// outermost, then column strips (a strip of `b` stays in cache), then row
/// tiles.
#[inline(always)]
unsafe fn block<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, (r0, r1): Range, (c0, c1): Range) {
    for k0 in (0..g.k.max(1)).step_by(KC) {
        let ks = (k0, g.k.min(k0 + KC));
        // Column strips of 64 bytes; the last, narrower one in strips of
        // 32 and 16 bytes, then column by column.
        let mut j0 = c0;
        while j0 < c1 {
            let left = (c1 - j0) * size_of::<T>();
            let cols = [ROW_BYTES, 32, 16].into_iter().find(|&w| w <= left).map_or(1, |w| w / size_of::<T>());
            let mut i0 = r0;
            while i0 < r1 {
                let rows = [MR, 4, 2, 1].into_iter().find(|&r| r <= r1 - i0).unwrap_or(1);
                let a0 = a.wrapping_offset(i0 as isize * g.a_strides.0);
                let b0 = b.wrapping_add(j0);
                let o0 = out.wrapping_offset(i0 as isize * g.out_stride).wrapping_add(j0);
                unsafe {
                    match rows {
                        MR => strip::<T, MR>(g, a0, b0, o0, cols, ks),
                        4 => strip::<T, 4>(g, a0, b0, o0, cols, ks),
                        2 => strip::<T, 2>(g, a0, b0, o0, cols, ks),
                        _ => strip::<T, 1>(g, a0, b0, o0, cols, ks),
                    }
                }
                i0 += rows;
            }
            j0 += cols;
        }
    }
}

/// `R` rows × `cols` columns in one register tile (`cols` fills 64, 32 or
/// 16 bytes, or is 1).
#[inline(always)]
unsafe fn strip<T: Float, const R: usize>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, cols: usize, ks: Range) {
    unsafe {
        match (size_of::<T>(), cols) {
            (4, 16) => tile::<T, R, 16>(g, a, b, out, ks),
            (_, 8) => tile::<T, R, 8>(g, a, b, out, ks),
            (_, 4) => tile::<T, R, 4>(g, a, b, out, ks),
            (8, 2) => tile::<T, R, 2>(g, a, b, out, ks),
            _ => tile::<T, R, 1>(g, a, b, out, ks),
        }
    }
}

/// A full tile: `R` rows × `C` columns, accumulated in registers.
#[inline(always)]
unsafe fn tile<T: Float, const R: usize, const C: usize>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, (k0, k1): (usize, usize)) {
    let mut c = [[T::ZERO; C]; R];
    if k0 > 0 {
        for (r, cr) in c.iter_mut().enumerate() {
            let o = out.wrapping_offset(r as isize * g.out_stride);
            *cr = std::array::from_fn(|j| unsafe { *o.add(j) });
        }
    }
    let (sa_i, sa_k) = g.a_strides;
    for kk in k0 as isize..k1 as isize {
        let brow = b.wrapping_offset(kk * g.b_stride);
        let bv: [T; C] = std::array::from_fn(|j| unsafe { *brow.add(j) });
        for (r, cr) in c.iter_mut().enumerate() {
            let av = unsafe { *a.wrapping_offset(r as isize * sa_i + kk * sa_k) };
            for j in 0..C {
                cr[j] = cr[j] + av * bv[j];
            }
        }
    }
    for (r, cr) in c.iter().enumerate() {
        let o = out.wrapping_offset(r as isize * g.out_stride);
        for (j, &v) in cr.iter().enumerate() {
            unsafe { *o.add(j) = v };
        }
    }
}
