//! float32/float64 matrix products on the CPU in register tiles: each tile
//! of `MR` rows × `NR` columns of the output accumulates over the inner
//! axis in its order, one `acc + a * b` per step — exactly the sums the plain
//! loop (`dot.rs`) computes, so the same bits — with `NR` columns of `b`
//! loaded once per step for all `MR` rows. The inner axis is taken in
//! blocks (tiles resume from their stored partial sums) so strips of `b`
//! stay in cache across row tiles; rows are split across rayon's threads; the loop
//! is compiled again for AVX2 and AVX-512 and picked at run time (Rust
//! never contracts `acc + a * b` into a fused multiply-add, so every
//! variant gives the same bits).

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

/// Rows per tile.
const MR: usize = 4;
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
    let tasks = g.m.div_ceil(ROWS_PER_TASK);
    let flops = g.m * g.n * g.k;
    let (a, b, out) = (Shared(g.a), Shared(g.b), Shared(g.out));
    let shared = Shared(g);
    let task = |t: usize| {
        let (a, b, out, g) = (a, b, out, shared);
        let rows = (t * ROWS_PER_TASK, g.0.m.min((t + 1) * ROWS_PER_TASK));
        // SAFETY: the caller vouches for the layouts; tasks write disjoint rows.
        unsafe { dispatch(g.0, a.0, b.0, out.0, rows) }
    };
    if tasks > 1 && flops >= 1 << 20 {
        (0..tasks).into_par_iter().for_each(task);
    } else {
        (0..tasks).for_each(task);
    }
}

unsafe fn dispatch<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: (usize, usize)) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            return unsafe { rows_avx512(g, a, b, out, rows) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return unsafe { rows_avx2(g, a, b, out, rows) };
        }
    }
    unsafe { rows_of(g, a, b, out, rows) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn rows_avx512<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: (usize, usize)) {
    unsafe { rows_of(g, a, b, out, rows) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn rows_avx2<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: (usize, usize)) {
    unsafe { rows_of(g, a, b, out, rows) }
}

/// Output rows [r0, r1): blocks of `KC` inner steps outermost, then
/// column strips (a strip of `b` stays in cache), then row tiles.
#[inline(always)]
unsafe fn rows_of<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, (r0, r1): (usize, usize)) {
    let nr = ROW_BYTES / size_of::<T>();
    for k0 in (0..g.k.max(1)).step_by(KC) {
        let ks = (k0, g.k.min(k0 + KC));
        for j0 in (0..g.n).step_by(nr) {
            let cols = nr.min(g.n - j0);
            for i0 in (r0..r1).step_by(MR) {
                let rows = MR.min(r1 - i0);
                let a0 = a.wrapping_offset(i0 as isize * g.a_strides.0);
                let b0 = b.wrapping_add(j0);
                let o0 = out.wrapping_offset(i0 as isize * g.out_stride).wrapping_add(j0);
                unsafe {
                    match (rows, size_of::<T>()) {
                        (MR, 4) if cols == 16 => tile::<T, MR, 16>(g, a0, b0, o0, ks),
                        (MR, 8) if cols == 8 => tile::<T, MR, 8>(g, a0, b0, o0, ks),
                        _ => edge(g, a0, b0, o0, rows, cols, ks),
                    }
                }
            }
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

/// A partial tile at the matrix's edge, element by element.
unsafe fn edge<T: Float>(g: &Gemm<T>, a: *const T, b: *const T, out: *mut T, rows: usize, cols: usize, (k0, k1): (usize, usize)) {
    let (sa_i, sa_k) = g.a_strides;
    for r in 0..rows as isize {
        for j in 0..cols {
            let mut acc = if k0 > 0 { unsafe { *out.wrapping_offset(r * g.out_stride).add(j) } } else { T::ZERO };
            for kk in k0 as isize..k1 as isize {
                unsafe { acc = acc + *a.wrapping_offset(r * sa_i + kk * sa_k) * *b.wrapping_offset(kk * g.b_stride).add(j) };
            }
            unsafe { *out.wrapping_offset(r * g.out_stride).add(j) = acc };
        }
    }
}
