//! Launches the sort kernels (see `wgsl::sort`) on a GPU: keys, a block
//! sort in workgroup memory, then for each merge size above the block the
//! global steps down to the block (up to three per pass, in registers) and
//! one workgroup-memory pass for the rest.
//!
//! Rows are sorted in groups that fit one storage binding each. A row wider
//! than a binding is cut into chunks of a power of two elements that do:
//! every kernel runs chunk by chunk, and a global step whose pairs lie in two
//! chunks binds both (the `cross` step).
//!
//! A single long row (at least `RADIX_MIN` elements, fitting a binding)
//! takes the radix sort instead (`wgsl::radix`): four key bits per pass, so
//! 8 passes over float32 keys where the bitonic network makes hundreds.

use std::sync::Arc;

use wgarray_core::{DType, Error, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, Kernel, KernelLayout};

use crate::wgsl::radix::{RadixKernel, RADIX_DIGITS, RADIX_PARAMS_BYTES, RADIX_SPAN, RADIX_TILE};
use crate::wgsl::sort::{key_words, SortKeys, SortStep, SORT_BLOCK, SORT_MAX_STEPS, SORT_PARAMS_BYTES};

/// Fewest elements of a single row for the radix sort.
const RADIX_MIN: usize = 1 << 14;

/// Stable argsort of `rows` C-contiguous rows of `len` elements of `dtype`
/// starting at element `offset` of `src`: a buffer of u32 positions, row `r`
/// at `r * stride` (the returned stride: `len` rounded up to a power of two,
/// or `len` from the radix sort).
pub fn argsort(ctx: &Arc<GpuContext>, src: &GpuBuffer, dtype: DType, offset: usize, rows: usize, len: usize) -> Result<(GpuBuffer, usize)> {
    let align = ctx.binding_align().max(4) as usize;
    sort_rows(ctx, src, dtype, offset, rows, len, ctx.max_binding() as usize - align)
}

/// The sort kernels for one dtype.
struct Kernels {
    keys: Arc<Kernel>,
    local: Arc<Kernel>,
    /// `global[m - 1]` runs m global steps per pass.
    global: Vec<Arc<Kernel>>,
    words: usize,
    isz: usize,
}

impl Kernels {
    fn new(ctx: &GpuContext, dtype: DType) -> Result<Kernels> {
        let words = key_words(dtype);
        let step = |local: bool, steps: u32| {
            let spec = SortStep { words, local, cross: false, steps };
            ctx.kernel_for(&spec, KernelLayout { inputs: 0, outputs: 2 }, |s| s.key(), |s| s.source())
        };
        Ok(Kernels {
            keys: ctx.kernel_for(&SortKeys { src: dtype }, KernelLayout { inputs: 1, outputs: 2 }, |s| s.key(), |s| s.source())?,
            local: step(true, 1)?,
            global: (1..=SORT_MAX_STEPS).map(|m| step(false, m)).collect::<Result<_>>()?,
            words: words as usize,
            isz: dtype.itemsize(),
        })
    }

    /// The global steps `(k, j)`, `(k, j/2)`, … down to the block over
    /// `total` bound elements, up to `SORT_MAX_STEPS` per pass; `params`
    /// makes a pass's parameters from `(k, j, 0)`.
    fn global_steps(&self, ctx: &GpuContext, bindings: &[Binding], total: usize, k: usize, mut j: usize, params: impl Fn((usize, usize, usize)) -> Vec<u8>) -> Result<()> {
        let block = SORT_BLOCK as usize;
        while j >= block {
            let m = (j.ilog2() - block.ilog2() + 1).min(SORT_MAX_STEPS);
            ctx.dispatch(&self.global[m as usize - 1], bindings, &params((k, j, 0)), (total >> m).div_ceil(256) as u32)?;
            j >>= m;
        }
        Ok(())
    }
}

/// The parameter block: `total` elements bound, rows of `len` padded to
/// `npad`, the source's first byte `base`, the step, and the bound
/// elements' first position in the padded rows.
fn params(total: usize, npad: usize, len: usize, base: usize, (k, j, k_hi): (usize, usize, usize), first: usize) -> Vec<u8> {
    let mut p = vec![0u8; SORT_PARAMS_BYTES];
    for (i, v) in [total, npad, len, base, k, j, k_hi, first].into_iter().enumerate() {
        p[4 * i..4 * i + 4].copy_from_slice(&(v as u32).to_le_bytes());
    }
    p
}

fn window(buffer: &GpuBuffer, offset: usize, bytes: usize) -> Binding<'_> {
    Binding { buffer, offset: offset as u64, size: bytes as u64 }
}

/// `argsort` whose bindings cover at most `room` bytes past an aligned
/// offset (the device's limit; tests pass less to reach the chunked path
/// with small rows).
fn sort_rows(ctx: &Arc<GpuContext>, src: &GpuBuffer, dtype: DType, offset: usize, rows: usize, len: usize, room: usize) -> Result<(GpuBuffer, usize)> {
    if len > 1 << 31 {
        return Err(Error::NotImplemented(format!("sorting along an axis of {len} elements on a GPU (at most 2**31)")));
    }
    let npad = len.max(1).next_power_of_two();
    if rows == 0 || len == 0 {
        return Ok((ctx.alloc((rows * npad * 4).max(4) as u64)?, npad));
    }
    let k = Kernels::new(ctx, dtype)?;
    if rows == 1 && len >= RADIX_MIN && len * k.words * 4 <= room {
        return Ok((sort_radix(ctx, &k, src, offset, len)?, len));
    }
    let pos = ctx.alloc((rows * npad * 4) as u64)?;
    let align = ctx.binding_align().max(4) as usize;
    // Rows per group: their keys, positions and source fit a binding, and a
    // group's positions start on a binding boundary.
    let unit = (align / (npad * 4)).max(1);
    let fit = (room / (npad * k.words * 4)).min(room / (len * k.isz)).min(u32::MAX as usize / 2 / npad);
    let group = if rows <= fit { rows } else { fit / unit * unit };
    if group == 0 {
        for r in 0..rows {
            sort_wide(ctx, &k, src, offset + r * len, len, npad, &pos, r * npad, room)?;
        }
        return Ok((pos, npad));
    }
    let (words, isz) = (k.words, k.isz);
    let keys = ctx.alloc((group * npad * words * 4) as u64)?;
    let block = SORT_BLOCK as usize;
    let mut r0 = 0;
    while r0 < rows {
        let g = group.min(rows - r0);
        let total = g * npad;
        let start = (offset + r0 * len) * isz;
        let bind = start / align * align;
        let size = (start + g * len * isz - bind).next_multiple_of(4).min(src.raw().size() as usize - bind);
        let p = |step| params(total, npad, len, start - bind, step, 0);
        let steps = [window(&keys, 0, total * words * 4), window(&pos, r0 * npad * 4, total * 4)];
        let bindings = [window(src, bind, size), window(&keys, 0, total * words * 4), window(&pos, r0 * npad * 4, total * 4)];
        ctx.dispatch(&k.keys, &bindings, &p((0, 0, 0)), total.div_ceil(256) as u32)?;
        if npad > 1 {
            let local_groups = total.div_ceil(block) as u32;
            ctx.dispatch(&k.local, &steps, &p((2, 0, npad.min(block))), local_groups)?;
            let mut kk = 2 * block;
            while kk <= npad {
                k.global_steps(ctx, &steps, total, kk, kk / 2, p)?;
                ctx.dispatch(&k.local, &steps, &p((kk, 0, kk)), local_groups)?;
                kk *= 2;
            }
        }
        r0 += g;
    }
    Ok((pos, npad))
}

/// Sorts one row of `len` elements (from element `offset` of `src`) wider
/// than a binding: positions into `pos` from element `at`. The row is cut
/// into chunks of `chunk` elements (a power of two whose keys fit `room`);
/// the bitonic network is the one-binding sort's, each step run chunk by
/// chunk, or on pairs of chunks once its distance reaches a chunk.
#[allow(clippy::too_many_arguments)]
fn sort_wide(ctx: &Arc<GpuContext>, k: &Kernels, src: &GpuBuffer, offset: usize, len: usize, npad: usize, pos: &GpuBuffer, at: usize, room: usize) -> Result<()> {
    let (words, isz) = (k.words, k.isz);
    let align = ctx.binding_align().max(4) as usize;
    let block = SORT_BLOCK as usize;
    // Key windows and position windows start on binding boundaries.
    let chunk = 1usize << (room / (words * 4)).max(1).ilog2();
    if chunk < block || chunk * 4 < align || chunk >= npad {
        return Err(Error::NotImplemented("a sort row this wide does not fit this GPU's storage bindings".into()));
    }
    let chunks = npad / chunk;
    let cross_spec = SortStep { words: words as u32, local: false, cross: true, steps: 1 };
    let cross = ctx.kernel_for(&cross_spec, KernelLayout { inputs: 0, outputs: 4 }, |s| s.key(), |s| s.source())?;
    let keys = ctx.alloc((npad * words * 4) as u64)?;
    let kw = |c: usize| window(&keys, c * chunk * words * 4, chunk * words * 4);
    let pw = |c: usize| window(pos, (at + c * chunk) * 4, chunk * 4);
    let p = |step, c: usize| params(chunk, npad, len, 0, step, c * chunk);
    let src_end = src.raw().size() as usize;
    for c in 0..chunks {
        let first = c * chunk;
        // Chunks wholly past the row's end are padding: any small source window will do.
        let (bind, base, size) = if first < len {
            let start = (offset + first) * isz;
            let bind = start / align * align;
            (bind, start - bind, (start + chunk.min(len - first) * isz - bind).next_multiple_of(4).min(src_end - bind))
        } else {
            (0, 0, 4.min(src_end))
        };
        let pk = params(chunk, npad, len, base, (0, 0, 0), first);
        ctx.dispatch(&k.keys, &[window(src, bind, size), kw(c), pw(c)], &pk, chunk.div_ceil(256) as u32)?;
    }
    let local_groups = (chunk / block) as u32;
    for c in 0..chunks {
        ctx.dispatch(&k.local, &[kw(c), pw(c)], &p((2, 0, block), c), local_groups)?;
    }
    let mut kk = 2 * block;
    while kk <= npad {
        let mut j = kk / 2;
        while j >= chunk {
            let d = j / chunk;
            for c in (0..chunks).filter(|c| c & d == 0) {
                ctx.dispatch(&cross, &[kw(c), pw(c), kw(c + d), pw(c + d)], &p((kk, j, 0), c), chunk.div_ceil(256) as u32)?;
            }
            j /= 2;
        }
        for c in 0..chunks {
            k.global_steps(ctx, &[kw(c), pw(c)], chunk, kk, j, |step| p(step, c))?;
        }
        for c in 0..chunks {
            ctx.dispatch(&k.local, &[kw(c), pw(c)], &p((kk, 0, kk), c), local_groups)?;
        }
        kk *= 2;
    }
    Ok(())
}

/// Sorts one row of `len` elements (from element `offset` of `src`) by
/// radix: keys and positions made once, then per pass a histogram per tile,
/// their scan (in spans, then the spans' sums), and a stable scatter into
/// the other buffers. The passes are even in number, so the positions end
/// in the buffer returned.
fn sort_radix(ctx: &Arc<GpuContext>, k: &Kernels, src: &GpuBuffer, offset: usize, len: usize) -> Result<GpuBuffer> {
    let (words, isz) = (k.words, k.isz);
    let align = ctx.binding_align().max(4) as usize;
    let kbytes = len * words * 4;
    let keys = [ctx.alloc(kbytes as u64)?, ctx.alloc(kbytes as u64)?];
    let pos = [ctx.alloc((len * 4) as u64)?, ctx.alloc((len * 4) as u64)?];
    let start = offset * isz;
    let bind = start / align * align;
    let size = (start + len * isz - bind).next_multiple_of(4).min(src.raw().size() as usize - bind);
    let pk = params(len, len.next_power_of_two(), len, start - bind, (0, 0, 0), 0);
    let kb = |i: usize| window(&keys[i], 0, kbytes);
    let pb = |i: usize| window(&pos[i], 0, len * 4);
    ctx.dispatch(&k.keys, &[window(src, bind, size), kb(0), pb(0)], &pk, len.div_ceil(256) as u32)?;
    let kernel = |spec: RadixKernel, inputs: u32, outputs: u32| ctx.kernel_for(&spec, KernelLayout { inputs, outputs }, |s| s.key(), |s| s.source());
    let count = kernel(RadixKernel::Count { words: words as u32 }, 1, 1)?;
    let sums = kernel(RadixKernel::Sums, 1, 1)?;
    let offsets = kernel(RadixKernel::Offsets, 0, 1)?;
    let apply = kernel(RadixKernel::Apply, 1, 1)?;
    let scatter = kernel(RadixKernel::Scatter { words: words as u32 }, 3, 2)?;
    let tiles = len.div_ceil(RADIX_TILE as usize);
    let entries = RADIX_DIGITS as usize * tiles;
    let spans = entries.div_ceil(RADIX_SPAN as usize);
    let hist = ctx.alloc((entries * 4) as u64)?;
    let span_sums = ctx.alloc((spans * 4) as u64)?;
    let hb = || window(&hist, 0, entries * 4);
    let sb = || window(&span_sums, 0, spans * 4);
    // Key bits: one word's worth (narrower dtypes' keys fit their width), or both words, low word first.
    let bits = if words == 2 { 64 } else { 8 * isz };
    for p in 0..bits / 4 {
        let (word, shift) = if words == 2 { (if p < 8 { 1 } else { 0 }, 4 * (p % 8)) } else { (0, 4 * p) };
        let block = |n: usize| {
            let mut pr = vec![0u8; RADIX_PARAMS_BYTES];
            for (i, v) in [n, shift, word, tiles].into_iter().enumerate() {
                pr[4 * i..4 * i + 4].copy_from_slice(&(v as u32).to_le_bytes());
            }
            pr
        };
        let pr = block(len);
        let (from, to) = (p % 2, 1 - p % 2);
        ctx.dispatch(&count, &[kb(from), hb()], &pr, tiles as u32)?;
        ctx.dispatch(&sums, &[hb(), sb()], &pr, spans as u32)?;
        ctx.dispatch(&offsets, &[sb()], &block(spans), 1)?;
        ctx.dispatch(&apply, &[sb(), hb()], &pr, spans as u32)?;
        ctx.dispatch(&scatter, &[kb(from), pb(from), hb(), kb(to), pb(to)], &pr, tiles as u32)?;
    }
    let [p0, _] = pos;
    Ok(p0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wgarray_device::Device;

    fn gpus() -> Vec<Arc<GpuContext>> {
        if wgarray_device::adapters().is_empty() && std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but wgpu found no GPU adapter: install Mesa's lavapipe (mesa-vulkan-drivers)");
        }
        wgarray_device::adapters()
            .iter()
            .map(|a| match Device::parse(&a.name()).unwrap() {
                Device::Gpu(ctx) => ctx,
                Device::Cpu => unreachable!(),
            })
            .collect()
    }

    /// NumPy's stable order of `v` (NaN last, -0.0 equal to 0.0).
    fn stable_order(v: &[f64]) -> Vec<u32> {
        let mut p: Vec<u32> = (0..v.len() as u32).collect();
        p.sort_by(|&a, &b| {
            let (x, y) = (v[a as usize], v[b as usize]);
            (x.is_nan(), if x.is_nan() { 0.0 } else { x }).partial_cmp(&(y.is_nan(), if y.is_nan() { 0.0 } else { y })).unwrap()
        });
        p
    }

    /// Rows wider than the (shrunk) binding room are sorted in chunks, and
    /// long single rows by radix: positions match a stable host sort for 1-
    /// and 2-word keys, rows that are not a power of two (padding chunks,
    /// partial tiles), odd source offsets and several wide rows; ties, ±0
    /// and NaNs keep their order.
    #[test]
    fn wide_rows_in_chunks_and_long_rows_by_radix() {
        for ctx in gpus() {
            let mut seed = 12345u64;
            let mut next = move || {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 33) as u32
            };
            let full = ctx.max_binding() as usize - ctx.binding_align().max(4) as usize;
            for (dtype, len, rows, offset, room) in [
                (DType::Float32, 20000, 1, 3, 16384),
                (DType::Float32, 16384, 2, 0, 16384),
                (DType::Int8, 9001, 3, 1, 16384),
                (DType::UInt16, 40000, 1, 5, 16384),
                (DType::Float64, 9000, 2, 7, 16384),
                (DType::Int64, 5000, 1, 0, 16384),
                // Single rows of at least RADIX_MIN within the room: the radix sort.
                (DType::Float32, 50001, 1, 3, full),
                (DType::Float32, 300_001, 1, 1, full), // histogram scanned in 3 spans
                (DType::Int8, 40000, 1, 1, full),
                (DType::UInt16, RADIX_MIN, 1, 0, full),
                (DType::Float64, 30000, 1, 7, full),
                (DType::Int64, 20000, 1, 0, full),
            ] {
                if (dtype == DType::Float64 && !ctx.has_f64()) || (dtype == DType::Int64 && !ctx.has_i64()) {
                    continue;
                }
                let n = offset + rows * len;
                let vals: Vec<f64> = (0..n)
                    .map(|i| match next() % 16 {
                        0 if dtype.is_float() => f64::NAN,
                        1 if dtype.is_float() => -0.0,
                        2 if dtype.is_float() => 0.0,
                        r => (r as f64 - 8.0) * (1.0 + (i % 7) as f64) + if dtype.is_float() { 0.5 } else { 0.0 },
                    })
                    .collect();
                let bytes: Vec<u8> = vals
                    .iter()
                    .flat_map(|&x| match dtype {
                        DType::Float32 => (x as f32).to_le_bytes().to_vec(),
                        DType::Float64 => x.to_le_bytes().to_vec(),
                        DType::Int8 => (x as i8).to_le_bytes().to_vec(),
                        DType::UInt16 => ((x + 100.0) as u16).to_le_bytes().to_vec(),
                        _ => (x as i64).to_le_bytes().to_vec(),
                    })
                    .collect();
                let src = ctx.upload(&bytes).unwrap();
                // A room of 16 KiB holds 4,096 one-word keys: several chunks
                // per row, and global passes of 1, 2 and 3 steps inside a chunk.
                let (pos, stride) = sort_rows(&ctx, &src, dtype, offset, rows, len, room).unwrap();
                let mut out = vec![0u8; rows * stride * 4];
                ctx.read(&pos, 0, &mut out).unwrap();
                let got: Vec<u32> = out.chunks(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
                for r in 0..rows {
                    let row: Vec<f64> = vals[offset + r * len..offset + (r + 1) * len].to_vec();
                    let want = stable_order(&row);
                    assert_eq!(&got[r * stride..r * stride + len], &want[..], "{dtype:?} len {len} row {r}");
                }
            }
        }
    }
}
