//! Launches the tiled matmul kernel (see `wgsl::matmul`) for the sums of
//! products `api::dot` computes, where they have a matrix product's shape.

use std::sync::Arc;

use wgarray_core::{DType, Result};
use wgarray_device::gpu::{Binding, GpuBuffer, GpuContext, KernelLayout};

use crate::gpu_map::GpuOperand;
use crate::wgsl::matmul::{MatmulKernel, DEPTH, MATMUL_PARAMS_BYTES, SMALL_TILE, TILE};

/// Fewest outputs per matrix for the tiled kernel (smaller products go to
/// the untiled one).
const MIN_OUTPUTS: usize = 64 * 64;
/// Fewest 128×128 output tiles of one matrix for the large tile (a batch
/// launches its matrices one after another).
const BIG_TILES_FROM: usize = 128;
/// Most matrices one call launches one by one (more, smaller products go to
/// the untiled kernel, which covers them in one dispatch).
const MAX_BATCH: usize = 1024;

/// Runs `out[..., i, j] = Σ_p a[..., i, j + p*ka] · b[..., i, j + p*kb]` with
/// the tiled kernel when it is a matrix product it handles: float32/float64
/// throughout, `a` constant along `j` and `b` along `i`, big enough to fill
/// tiles, each matrix within one storage binding. Returns false (nothing
/// done) otherwise.
pub fn try_run(ctx: &Arc<GpuContext>, a: &GpuOperand, b: &GpuOperand, out: &GpuOperand, shape: &[usize], k: usize, ka: isize, kb: isize) -> Result<bool> {
    let d = out.dtype;
    let r = shape.len();
    if !matches!(d, DType::Float32 | DType::Float64) || a.dtype != d || b.dtype != d || r < 2 || k == 0 {
        return Ok(false);
    }
    let (m, n) = (shape[r - 2], shape[r - 1]);
    if a.strides[r - 1] != 0 || b.strides[r - 2] != 0 || m * n < MIN_OUTPUTS || m.max(n) > u32::MAX as usize / 2 {
        return Ok(false);
    }
    let batch: usize = shape[..r - 2].iter().product();
    if batch == 0 || batch > MAX_BATCH {
        return Ok(batch == 0);
    }
    let isz = d.itemsize() as i64;
    // Each operand's byte window for one matrix: [lo, hi) around its offset.
    let window = |off: i64, dims: [(usize, isize); 2]| -> (i64, i64) {
        let (mut lo, mut hi) = (off * isz, off * isz + isz);
        for (len, st) in dims {
            let ext = (len as i64 - 1) * st as i64 * isz;
            if ext < 0 { lo += ext } else { hi += ext }
        }
        (lo, hi)
    };
    let align = ctx.binding_align().max(4) as i64;
    let limit = ctx.max_binding() as i64;
    let mut launches = Vec::with_capacity(batch);
    let mut index = vec![0usize; r - 2];
    for _ in 0..batch {
        let offset = |o: &GpuOperand| -> i64 {
            o.offset as i64 + index.iter().zip(&o.strides).map(|(&i, &s)| i as i64 * s as i64).sum::<i64>()
        };
        let spans = [
            (offset(a), window(offset(a), [(m, a.strides[r - 2]), (k, ka)])),
            (offset(b), window(offset(b), [(k, kb), (n, b.strides[r - 1])])),
            (offset(out), window(offset(out), [(m, out.strides[r - 2]), (n, out.strides[r - 1])])),
        ];
        let mut binds = [(0u64, 0u64, 0u32); 3];
        for (slot, ((off, (lo, hi)), buf)) in binds.iter_mut().zip(spans.iter().zip([a.buffer, b.buffer, out.buffer])) {
            let bind = lo.div_euclid(align) * align;
            if hi - bind > limit || bind < 0 {
                return Ok(false);
            }
            let size = ((hi - bind) as u64).next_multiple_of(4).min(buf.raw().size() - bind as u64);
            *slot = (bind as u64, size, ((off * isz - bind) / isz) as u32);
        }
        launches.push(binds);
        for ax in (0..r - 2).rev() {
            index[ax] += 1;
            if index[ax] < shape[ax] {
                break;
            }
            index[ax] = 0;
        }
    }
    // Fewer 128×128 tiles than a large GPU has compute units (an H100 has
    // 132): 64×64 tiles keep four times as many busy (H100 float32 512³ and
    // 1024³).
    let tile = if m.div_ceil(TILE) * n.div_ceil(TILE) < BIG_TILES_FROM { SMALL_TILE } else { TILE };
    let spec = MatmulKernel { dtype: d, depth: DEPTH, tile };
    let kernel = ctx.kernel_for(&spec, KernelLayout { inputs: 2, outputs: 1 }, |s| s.key(), |s| s.source())?;
    let tiles_n = n.div_ceil(tile);
    let groups = (m.div_ceil(tile) * tiles_n) as u32;
    let buffers: [&GpuBuffer; 3] = [a.buffer, b.buffer, out.buffer];
    for binds in launches {
        let mut p = vec![0u8; MATMUL_PARAMS_BYTES];
        let put = |p: &mut Vec<u8>, at: usize, v: u32| p[at..at + 4].copy_from_slice(&v.to_le_bytes());
        for (at, v) in [(0, m as u32), (4, n as u32), (8, k as u32), (12, tiles_n as u32)] {
            put(&mut p, at, v);
        }
        for (i, bnd) in binds.iter().enumerate() {
            put(&mut p, 16 + 4 * i, bnd.2);
        }
        let strides = [a.strides[r - 2], ka, kb, b.strides[r - 1], out.strides[r - 2], out.strides[r - 1]];
        for (i, &st) in strides.iter().enumerate() {
            // P.a = (row, k), P.b = (k, column), P.o = (row, column): vec4s at 32, 48, 64.
            put(&mut p, 32 + 16 * (i / 2) + 4 * (i % 2), st as i32 as u32);
        }
        let bindings: Vec<Binding> =
            binds.iter().zip(buffers).map(|(bnd, buffer)| Binding { buffer, offset: bnd.0, size: bnd.1 }).collect();
        ctx.dispatch(&kernel, &bindings, &p, groups)?;
    }
    Ok(true)
}
