//! Reductions on the CPU. Most reductions are a 2-D problem once the kept
//! and the reduced axes each coalesce to one axis (a full reduction has one
//! kept row); two fast paths cover it:
//!
//! - **rows**: the reduced axis is the inner one in memory. Blocks of
//!   `BLOCK` elements are folded in place (or cast into an L1-sized scratch
//!   first) pairwise — sums and products as NumPy's pairwise sum
//!   (`pairwise.rs`), other operations by halving: rounding error grows
//!   like log n — then the blocks' partials are folded the same way. Blocks are
//!   independent, so they run across rayon's pool, and the result does not
//!   depend on the thread count.
//! - **columns**: the kept axis is the inner one. Rows of the reduced axis
//!   are folded into a tile of the kept axis, vectorised along it: in order
//!   for non-reorderable folds, in runs merged pairwise for reorderable ones;
//!   tiles in parallel.
//!
//! Anything else is cast into a contiguous `[kept, reduced]` buffer of the
//! accumulator dtype and folded there, by halving for reorderable operations
//! and in order otherwise.

use rayon::prelude::*;
use wgarray_core::layout::coalesce;
use wgarray_core::{DType, Result};
use wgarray_device::CpuBuffer;

use super::cast::cast;
use super::run::{kernel, run, Run};
use super::fused::Ranges;
use super::pairwise::{run_fold, RunFold};
use super::strided::{pieces, Shared};
use crate::fused::Program;
use wgarray_core::layout::c_strides;
use crate::ops::{Identity, Loop, Scalar};

/// Elements per block of the rows path: its scratch stays in L1.
const BLOCK: usize = 1024;
/// Kept elements per tile of the columns path.
const TILE: usize = 1024;
/// Rows folded in order before the columns path merges pairwise: as many as
/// each lane of NumPy's pairwise sum folds in order (16), so the error bound
/// is a pairwise sum's (15 in-order roundings, then one per level of the
/// merges; NumPy's own axis-0 sum folds every row in order). Runs of 4 made the merges of cached partials
/// cost as much as reading the rows (a 10,000 × 1,000 float32 sum over axis
/// 0 ran at half NumPy's speed on one thread; 16 matches it).
const ROW_BLOCK: usize = 16;
/// Rows per chunk of the columns path (chunks run in parallel).
const CHUNK_ROWS: usize = 512;
/// Shorter reduced rows go to the general path (per-block costs would dominate).
const MIN_ROW: usize = 256;

/// One element per kept index (C order) of `op` folded over the reduced
/// axes, cast into `out` (contiguous, dtype `out_dtype`).
///
/// # Safety
/// `input` must lie, with `strides` (elements) over `shape`, inside a live
/// buffer of `in_dtype`; `out` must hold the kept indices' count of
/// `out_dtype`; `start`, if given, one element of `out_dtype`. Every
/// reduced extent must be nonzero.
#[allow(clippy::too_many_arguments)]
pub unsafe fn reduce(
    op: Scalar,
    acc: DType,
    tree: bool,
    identity: Option<Identity>,
    in_dtype: DType,
    input: *const u8,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    start: Option<*const u8>,
    out_dtype: DType,
    out: *mut u8,
) -> Result<()> {
    unsafe { fold_all(op, acc, tree, identity, in_dtype, Src::Mem(Shared(input)), shape, strides, reduced, start, out_dtype, out) }.map(|_| ())
}

/// `reduce` of the fused program `prog`'s result over `shape` (as if stored
/// contiguously), never storing it: the rows and columns paths compute each
/// block they fold from the leaves (`fused::Ranges`), the same blocks they
/// would read from the stored result, so the sums are the same. Returns
/// false, having done nothing, where the reduction would take the general
/// path.
///
/// # Safety
/// As for `fused::run`'s leaves, and `out` as for `reduce`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn reduce_fused(
    op: Scalar,
    acc: DType,
    identity: Option<Identity>,
    prog: &Program,
    shape: &[usize],
    leaves: &[(*const u8, &[isize], DType)],
    reduced: &[bool],
    out_dtype: DType,
    out: *mut u8,
) -> Result<bool> {
    let strides = c_strides(shape);
    let ranges = Ranges::new(prog, shape, leaves, acc);
    unsafe { fold_all(op, acc, true, identity, acc, Src::Fused(&ranges), shape, &strides, reduced, None, out_dtype, out) }
}

/// What a reduction reads: memory, or a fused program's blocks (laid out
/// C-contiguously from element 0, in the accumulator dtype).
#[derive(Clone, Copy)]
enum Src<'a> {
    Mem(Shared<*const u8>),
    Fused(&'a Ranges),
}

/// Work of folding `n` elements of `src` (`strided::PARALLEL_WORK`): the
/// fold, plus computing them for a fused source.
fn work(src: Src, n: usize) -> usize {
    n.saturating_mul(1 + match src {
        Src::Mem(_) => 0,
        Src::Fused(r) => r.cost,
    })
}

/// `reduce` over either source; false (nothing done) for a fused source
/// that would take the general path.
#[allow(clippy::too_many_arguments)]
unsafe fn fold_all(
    op: Scalar,
    acc: DType,
    tree: bool,
    identity: Option<Identity>,
    in_dtype: DType,
    src: Src,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    start: Option<*const u8>,
    out_dtype: DType,
    out: *mut u8,
) -> Result<bool> {
    let kept_axes: Vec<usize> = (0..shape.len()).filter(|&a| !reduced[a]).collect();
    let red_axes: Vec<usize> = (0..shape.len()).filter(|&a| reduced[a]).collect();
    let n_out: usize = kept_axes.iter().map(|&a| shape[a]).product();
    if n_out == 0 {
        return Ok(true);
    }
    let isz = acc.itemsize();
    let start_acc = match start {
        Some(s) => {
            let b = CpuBuffer::uninit(isz)?;
            unsafe { cast(&[], out_dtype, (s, &[]), acc, (b.as_ptr(), &[])) };
            Some(b)
        }
        None => None,
    };
    let exact = tree && (!acc.is_float() || matches!(op, Scalar::Maximum | Scalar::Minimum | Scalar::Fmax | Scalar::Fmin));
    let fold = Fold { f: kernel(op, &Loop { inputs: wgarray_core::dims![acc, acc], outputs: wgarray_core::dims![acc] }), run: run_fold(op, acc), exact, acc, isz, in_dtype };
    let k = one_axis(shape, strides, &kept_axes);
    let r = one_axis(shape, strides, &red_axes);
    let rows = |k: usize, ks: isize, r: usize, rs: isize| tree && r >= MIN_ROW && (k == 1 || rs.abs() <= ks.abs());
    let columns = |k: usize, ks: isize, rs: isize| k > 1 && ks.abs() < rs.abs();
    if let Src::Fused(_) = src {
        // Blocks of a contiguous result: the paths' runs have unit stride.
        match (k, r) {
            (Some((k, ks)), Some((r, rs))) if rows(k, ks, r, rs) && (r == 1 || rs == 1) => {}
            (Some((k, ks)), Some((r, rs))) if !rows(k, ks, r, rs) && columns(k, ks, rs) && ks == 1 => {}
            _ => return Ok(false),
        }
    }
    // `folded` holds the n_out results `stride` elements apart.
    let (folded, stride) = match (k, r) {
        (Some((k, ks)), Some((r, rs))) if rows(k, ks, r, rs) => {
            let nb = r.div_ceil(BLOCK);
            let partials = CpuBuffer::uninit(k * nb * isz)?;
            unsafe { fold.blocks(src, (k, ks), (r, rs), partials.as_ptr()) };
            unsafe { fold.halve_rows(partials.as_ptr(), k, nb) };
            (partials, nb)
        }
        (Some((k, ks)), Some((r, rs))) if columns(k, ks, rs) => {
            let acc_buf = CpuBuffer::uninit(chunks(r, tree) * k * isz)?;
            let start = start_acc.as_ref().map(|b| b.as_ptr() as *const u8);
            unsafe { fold.columns(src, (k, ks), (r, rs), start, tree, acc_buf.as_ptr()) };
            (acc_buf, 1)
        }
        _ => {
            let Src::Mem(input) = src else { unreachable!("checked above") };
            let start = start_acc.as_ref().map(|b| b.as_ptr() as *const u8);
            let buf = unsafe { general(op, &fold, input.0, shape, strides, &kept_axes, &red_axes, tree, start)? };
            let r_len = red_axes.iter().map(|&a| shape[a]).product();
            (buf, r_len)
        }
    };
    let base = folded.as_ptr();
    if let (true, Some(id)) = (tree, identity) {
        // NumPy starts from the identity (gcd.reduce([-3]) is 3, add.reduce([-0.0]) is 0.0).
        let (bytes, from) = match id {
            Identity::Int(i) => (i.to_le_bytes().to_vec(), DType::Int64),
            Identity::Bool(b) => (vec![b as u8], DType::Bool),
            Identity::Float(x) => (x.to_le_bytes().to_vec(), DType::Float64),
        };
        let first = CpuBuffer::uninit(isz)?;
        unsafe { cast(&[], from, (bytes.as_ptr(), &[]), acc, (first.as_ptr(), &[])) };
        let s = (stride * isz) as isize;
        unsafe { (fold.f)(&[first.as_ptr(), base, base], &[0, s, s], n_out) };
    }
    unsafe { cast(&[n_out], acc, (base, &[stride as isize]), out_dtype, (out, &[1])) };
    Ok(true)
}

/// The axes `axes` of (`shape`, `strides`) as one (length, stride), when
/// they coalesce to at most one axis.
fn one_axis(shape: &[usize], strides: &[isize], axes: &[usize]) -> Option<(usize, isize)> {
    let s: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
    let st: Vec<isize> = axes.iter().map(|&a| strides[a]).collect();
    let (s, st) = coalesce(&s, &[st.as_slice()]);
    match s.len() {
        0 => Some((1, 0)),
        1 => Some((s[0], st[0][0])),
        _ => None,
    }
}

/// The accumulator's binary inner loop and the dtypes around it.
struct Fold {
    f: Run,
    /// A pairwise fold of a contiguous run (sums and products).
    run: Option<RunFold>,
    /// A tree whose result no order changes (integers; maximum, minimum).
    exact: bool,
    acc: DType,
    isz: usize,
    in_dtype: DType,
}

impl Fold {
    /// Folds `len` contiguous accumulator elements at `p` into `p[0]`:
    /// pairwise where there is a run fold, else by halving.
    unsafe fn halve(&self, p: *mut u8, mut len: usize) {
        if let (Some(g), true) = (self.run, len > 1) {
            return unsafe { g(p, len, p) };
        }
        let s = self.isz as isize;
        while len > 1 {
            let half = len / 2;
            unsafe { (self.f)(&[p, p.add((len - half) * self.isz), p], &[s, s, s], half) };
            len -= half;
        }
    }

    /// Folds each of `rows` contiguous rows of `len` elements into its first element.
    unsafe fn halve_rows(&self, p: *mut u8, rows: usize, len: usize) {
        for i in 0..rows {
            unsafe { self.halve(p.add(i * len * self.isz), len) };
        }
    }

    /// Writes `len` source elements from element `at`, `stride` apart, into
    /// `dst` in the accumulator dtype (a fused source computes them; its
    /// runs have unit stride).
    unsafe fn load(&self, src: Src, at: isize, stride: isize, len: usize, dst: *mut u8) {
        match src {
            Src::Mem(input) => {
                let p = input.0.wrapping_offset(at * self.in_dtype.itemsize() as isize);
                unsafe { cast(&[len], self.in_dtype, (p, &[stride]), self.acc, (dst, &[1])) }
            }
            Src::Fused(f) => {
                debug_assert!(stride == 1 || len == 1);
                unsafe { f.eval(at as usize, len, dst) }
            }
        }
    }

    /// Rows path: `partials[i * nb + j]` = fold of block `j` of row `i`.
    unsafe fn blocks(&self, src: Src, (k, ks): (usize, isize), (r, rs): (usize, isize), partials: *mut u8) {
        let nb = r.div_ceil(BLOCK);
        let tasks = k * nb;
        let n = pieces(work(src, k * r)).min(tasks);
        let shared = Shared(partials);
        let run_range = |lo: usize, hi: usize| {
            // The whole `Shared` moves in (not its pointer field alone).
            let partials = shared;
            let mut scratch = vec![0u64; BLOCK * self.isz / 8 + 1];
            let sp = scratch.as_mut_ptr() as *mut u8;
            let in_isz = self.in_dtype.itemsize() as isize;
            for t in lo..hi {
                let (i, j) = (t / nb, t % nb);
                let len = BLOCK.min(r - j * BLOCK);
                let at = i as isize * ks + (j * BLOCK) as isize * rs;
                unsafe {
                    if let Src::Fused(f) = src {
                        f.eval(at as usize, len, sp);
                        self.halve(sp, len);
                    } else if let (Src::Mem(input), true, Some(g)) = (src, self.in_dtype == self.acc && rs == 1, self.run) {
                        g(input.0.wrapping_offset(at * in_isz), len, sp);
                    } else if let (Src::Mem(input), true) = (src, self.in_dtype == self.acc && rs == 1 && len > 1) {
                        let src = input.0.wrapping_offset(at * in_isz);
                        // The first halving step reads the input directly (no copy).
                        let half = len / 2;
                        let s = self.isz as isize;
                        (self.f)(&[src as *mut u8, src.add((len - half) * self.isz) as *mut u8, sp], &[s, s, s], half);
                        if len % 2 == 1 {
                            std::ptr::copy_nonoverlapping(src.add(half * self.isz), sp.add(half * self.isz), self.isz);
                        }
                        self.halve(sp, len - half);
                    } else {
                        self.load(src, at, rs, len, sp);
                        self.halve(sp, len);
                    }
                    std::ptr::copy_nonoverlapping(sp, partials.0.add(t * self.isz), self.isz);
                }
            }
        };
        if n < 2 {
            run_range(0, tasks);
        } else {
            (0..n).into_par_iter().for_each(|p| run_range(tasks * p / n, tasks * (p + 1) / n));
        }
    }

    /// Columns path, tile by tile of the kept axis. In order, `out[c] =
    /// start ⊕ x[c, 0] ⊕ x[c, 1] ⊕ …`. As a tree (`tree`), the rows are cut
    /// into chunks of `CHUNK_ROWS` (a count fixed by `r`, so the result does
    /// not depend on the thread count) that run in parallel with the tiles;
    /// within a chunk, runs of `ROW_BLOCK` rows are folded in order and the
    /// runs' partials merged pairwise through a binary counter (a stack of
    /// partials by level) — exact operations (`self.exact`) fold the whole
    /// chunk in order instead — and the chunks' partials are halved
    /// together: rounding error grows like a pairwise sum's without a buffer
    /// the size of the input. `out` holds `chunks(r, tree) * k` elements;
    /// the results are its first `k`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn columns(&self, src: Src, (k, ks): (usize, isize), (r, rs): (usize, isize), start: Option<*const u8>, tree: bool, out: *mut u8) {
        let tiles = k.div_ceil(TILE);
        let chunks = chunks(r, tree);
        let chunk_rows = if tree { CHUNK_ROWS } else { r };
        let tasks = tiles * chunks;
        let n = pieces(work(src, k * r)).min(tasks);
        let (out, start) = (Shared(out), Shared(start));
        let block = if tree && !self.exact { ROW_BLOCK } else { chunk_rows };
        let run_range = |lo: usize, hi: usize| {
            let (out, start) = (out, start);
            let words = |n: usize| (n * TILE * self.isz).div_ceil(8);
            let mut scratch = vec![0u64; words(1)];
            let mut stack: Vec<u64> = Vec::new();
            let mut levels: Vec<u32> = Vec::new();
            let sp = scratch.as_mut_ptr() as *mut u8;
            let in_isz = self.in_dtype.itemsize() as isize;
            let s = self.isz as isize;
            for t in lo..hi {
                let (chunk, tile) = (t / tiles, t % tiles);
                let c0 = tile * TILE;
                let len = TILE.min(k - c0);
                let at = |j: usize| c0 as isize * ks + j as isize * rs;
                let (r0, r1) = (chunk * chunk_rows, r.min((chunk + 1) * chunk_rows));
                levels.clear();
                for b0 in (r0..r1).step_by(block) {
                    let slot = levels.len();
                    if stack.len() < words(slot + 1) {
                        stack.resize(words(slot + 1), 0);
                    }
                    let base = stack.as_mut_ptr() as *mut u8;
                    let slot_ptr = |i: usize| unsafe { base.add(i * TILE * self.isz) };
                    let acc = slot_ptr(slot);
                    unsafe {
                        self.load(src, at(b0), ks, len, acc);
                        if let (Some(st), 0) = (start.0, b0) {
                            (self.f)(&[st as *mut u8, acc, acc], &[0, s, s], len);
                        }
                        for j in b0 + 1..r1.min(b0 + block) {
                            match src {
                                Src::Mem(input) if self.in_dtype == self.acc => {
                                    let row = input.0.wrapping_offset(at(j) * in_isz) as *mut u8;
                                    (self.f)(&[acc, row, acc], &[s, ks * in_isz, s], len);
                                }
                                _ => {
                                    self.load(src, at(j), ks, len, sp);
                                    (self.f)(&[acc, sp, acc], &[s, s, s], len);
                                }
                            }
                        }
                    }
                    levels.push(0);
                    while let [.., l1, l2] = levels[..] {
                        if l1 != l2 {
                            break;
                        }
                        let m = levels.len();
                        unsafe { (self.f)(&[slot_ptr(m - 2), slot_ptr(m - 1), slot_ptr(m - 2)], &[s, s, s], len) };
                        levels.pop();
                        levels[m - 2] += 1;
                    }
                }
                let base = stack.as_mut_ptr() as *mut u8;
                let slot_ptr = |i: usize| unsafe { base.add(i * TILE * self.isz) };
                for m in (2..=levels.len()).rev() {
                    unsafe { (self.f)(&[slot_ptr(m - 2), slot_ptr(m - 1), slot_ptr(m - 2)], &[s, s, s], len) };
                }
                unsafe { std::ptr::copy_nonoverlapping(slot_ptr(0), out.0.add((chunk * k + c0) * self.isz), len * self.isz) };
            }
        };
        if n < 2 {
            run_range(0, tasks);
        } else {
            (0..n).into_par_iter().for_each(|p| run_range(tasks * p / n, tasks * (p + 1) / n));
        }
        // The chunks' partials, halved together (rows of `k`).
        let (mut len, s) = (chunks, self.isz as isize);
        while len > 1 {
            let half = len / 2;
            let p = out.0;
            unsafe { (self.f)(&[p, p.add((len - half) * k * self.isz), p], &[s, s, s], half * k) };
            len -= half;
        }
    }
}

/// Row chunks the columns path folds separately (one in order).
fn chunks(r: usize, tree: bool) -> usize {
    if tree {
        r.div_ceil(CHUNK_ROWS)
    } else {
        1
    }
}

/// The general path: the input cast into a contiguous `[kept, reduced]`
/// buffer, folded so that column 0 of every row holds its result.
#[allow(clippy::too_many_arguments)]
unsafe fn general(
    op: Scalar,
    fold: &Fold,
    input: *const u8,
    shape: &[usize],
    strides: &[isize],
    kept_axes: &[usize],
    red_axes: &[usize],
    tree: bool,
    start: Option<*const u8>,
) -> Result<CpuBuffer> {
    let order: Vec<usize> = kept_axes.iter().chain(red_axes).copied().collect();
    let pshape: Vec<usize> = order.iter().map(|&a| shape[a]).collect();
    let pstrides: Vec<isize> = order.iter().map(|&a| strides[a]).collect();
    let n_out: usize = kept_axes.iter().map(|&a| shape[a]).product();
    let r_len: usize = red_axes.iter().map(|&a| shape[a]).product();
    let (acc, isz) = (fold.acc, fold.isz);
    let buf = CpuBuffer::uninit(n_out * r_len * isz)?;
    let base = buf.as_ptr();
    let contiguous = wgarray_core::layout::c_strides(&pshape);
    unsafe { cast(&pshape, fold.in_dtype, (input, &pstrides), acc, (base, &contiguous)) };
    let lp = Loop { inputs: wgarray_core::dims![acc, acc], outputs: wgarray_core::dims![acc] };
    let rows = [r_len as isize, 1];
    let sizes = [isz, isz, isz];
    // One step: columns [0, n) of every row ⊕= columns [from, from + n).
    let step = |from: usize, n: usize| unsafe {
        let b = base.add(from * isz);
        run(op, &lp, &[n_out, n], &[base, b, base], &[&rows, &rows, &rows], &sizes);
    };
    if tree {
        let mut len = r_len;
        while len > 1 {
            let half = len / 2;
            step(len - half, half);
            len -= half;
        }
    } else {
        let rs = (r_len * isz) as isize;
        if let Some(s) = start {
            // Column 0 = start ⊕ column 0.
            unsafe { (fold.f)(&[s as *mut u8, base, base], &[0, rs, rs], n_out) };
        }
        for r in 1..r_len {
            unsafe { (fold.f)(&[base, base.add(r * isz), base], &[rs, rs, rs], n_out) };
        }
    }
    Ok(buf)
}
