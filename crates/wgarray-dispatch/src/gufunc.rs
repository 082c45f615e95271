//! Generalized ufuncs: matmul `(n?,k),(k,m?)->(n?,m?)`, vecdot `(n),(n)->()`,
//! matvec `(m,n),(n)->(m)`, vecmat `(n),(n,m)->(m)`. Batch dimensions
//! broadcast; each output element is a sum of products over `k`, read in
//! place through strided views (no copies of the operands).

use wgarray_core::{broadcast_shapes, DType, Error, Layout, Result};
use wgarray_kernels::ops::{Core, Ufunc};

use crate::ufunc::{check_out, UfuncOptions};
use crate::Array;

/// Strides of `x`'s leading (batch) axes broadcast to `batch` (0 where broadcast).
fn batch_strides(x: &Array, core: usize, batch: &[usize]) -> Vec<isize> {
    let nb = x.ndim() - core;
    let pad = batch.len() - nb;
    let mut out = vec![0isize; batch.len()];
    for i in 0..nb {
        if x.shape()[i] != 1 {
            out[pad + i] = x.layout.strides[i];
        }
    }
    out
}

fn too_few_dims(name: &str, sig: &str, operand: usize, has: usize, needs: usize) -> Error {
    Error::value(format!(
        "{name}: Input operand {operand} does not have enough dimensions (has {has}, gufunc core with signature {sig} requires {needs})"
    ))
}

pub(crate) fn call(f: &Ufunc, core: Core, a: &Array, b: &Array, opts: UfuncOptions) -> Result<Vec<Array>> {
    let (name, sig) = (f.name, core.signature());
    if opts.mask.is_some() || opts.dtype.is_some() {
        return Err(Error::NotImplemented(format!("wgarray.{name}: where= and dtype= are not supported yet")));
    }
    if opts.outs.len() > 1 {
        return Err(Error::value("The 'out' tuple must have exactly 1 entries: one per ufunc output"));
    }
    let device = a.device();
    if b.device() != device || opts.outs.iter().flatten().any(|o| o.device() != device) {
        return Err(Error::value("operands are on different devices; move them with to_device() first"));
    }
    let lp = f.resolve(&[a.dtype, b.dtype])?;
    let (needs_a, needs_b) = match core {
        Core::MatVec => (2, 1),
        Core::VecMat => (1, 2),
        _ => (1, 1),
    };
    if a.ndim() < needs_a {
        return Err(too_few_dims(name, sig, 0, a.ndim(), needs_a));
    }
    if b.ndim() < needs_b {
        return Err(too_few_dims(name, sig, 1, b.ndim(), needs_b));
    }
    // matmul's optional dimensions: a 1-D operand gets a length-1 axis, removed after.
    // Inputs of the loop's dtype (the CPU loop computes in it; such casts are rare).
    let cast = |x: &Array, d: DType| if x.dtype == d { Ok(x.clone()) } else { x.astype(d) };
    let (a1, b1) = (cast(a, lp.inputs[0])?, cast(b, lp.inputs[1])?);
    let a2 = if core == Core::MatMul && a.ndim() == 1 { a1.expand_dims(&[0])? } else { a1 };
    let b2 = if core == Core::MatMul && b.ndim() == 1 { b1.expand_dims(&[-1])? } else { b1 };
    let (sa, sb) = (a2.shape(), b2.shape());
    let (na, nb) = (sa.len(), sb.len());
    // (k of a, k of b, a's core axes, b's core axes)
    let (ka, kb, core_a, core_b) = match core {
        Core::MatMul => (sa[na - 1], sb[nb - 2], 2, 2),
        Core::VecDot => (sa[na - 1], sb[nb - 1], 1, 1),
        Core::MatVec => (sa[na - 1], sb[nb - 1], 2, 1),
        Core::VecMat => (sa[na - 1], sb[nb - 2], 1, 2),
    };
    if ka != kb {
        return Err(Error::value(format!(
            "{name}: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature {sig} (size {kb} is different from {ka})"
        )));
    }
    let batch = broadcast_shapes(&[&sa[..na - core_a], &sb[..nb - core_b]])?;
    let (st_a, st_b) = (&a2.layout.strides, &b2.layout.strides);
    // Output core axes, and each input's stride along them.
    let (out_core, a_core, b_core): (Vec<usize>, Vec<isize>, Vec<isize>) = match core {
        Core::MatMul => (vec![sa[na - 2], sb[nb - 1]], vec![st_a[na - 2], 0], vec![0, st_b[nb - 1]]),
        Core::VecDot => (vec![], vec![], vec![]),
        Core::MatVec => (vec![sa[na - 2]], vec![st_a[na - 2]], vec![0]),
        Core::VecMat => (vec![sb[nb - 1]], vec![0], vec![st_b[nb - 1]]),
    };
    let k_a = st_a[na - 1];
    let k_b = if core_b == 2 { st_b[nb - 2] } else { st_b[nb - 1] };
    let mut full_shape = batch.clone();
    full_shape.extend(&out_core);
    let view = |x: &Array, core_axes: usize, core_strides: &[isize]| {
        let mut strides = batch_strides(x, core_axes, &batch);
        strides.extend(core_strides);
        x.view(Layout { shape: full_shape.as_slice().into(), strides: strides.into(), offset: x.layout.offset })
    };
    let (va, vb) = (view(&a2, core_a, &a_core)?, view(&b2, core_b, &b_core)?);
    // The result's shape drops matmul's added axes.
    let mut final_shape = full_shape.clone();
    if core == Core::MatMul && b.ndim() == 1 {
        final_shape.pop();
    }
    if core == Core::MatMul && a.ndim() == 1 {
        let n = final_shape.len();
        final_shape.remove(n - if b.ndim() == 1 { 1 } else { 2 });
    }
    let out_dtype = lp.outputs[0];
    let target = match opts.outs.first().and_then(|o| o.as_ref()) {
        Some(o) => {
            check_out(name, o, &final_shape, out_dtype, opts.casting)?;
            o.clone()
        }
        None => Array::empty(&final_shape, out_dtype, &device)?,
    };
    let buffered = target.shares_storage(a) || target.shares_storage(b);
    let dest = if buffered { Array::empty(&final_shape, target.dtype, &device)? } else { target.clone() };
    let dest_full = dest.reshape(&full_shape.iter().map(|&d| d as i64).collect::<Vec<_>>())?;
    wgarray_kernels::dot(&lp, &va.operand()?, &vb.operand()?, &dest_full.target()?, ka, k_a, k_b)?;
    if buffered {
        wgarray_kernels::copy_cast(&dest.operand()?, &target.target()?)?;
    }
    Ok(vec![target])
}
