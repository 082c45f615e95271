//! Lazy elementwise fusion (shared/DESIGN.md, "Fusion"). A ufunc result
//! nobody has observed stays *pending*: a fused program (`wgarray_kernels::
//! fused`) over its inputs. Further elementwise calls on it extend the
//! program instead of running; anything that needs its memory — a readback,
//! a view or index, DLPack, a NumPy view, another kernel (reductions too) —
//! materialises it with one kernel. Writes to an array a pending program
//! reads materialise that program first (`before_write`), and memory that
//! writers outside wgarray can reach (`Storage::is_exposed`) is never read
//! lazily, so results are exactly the eager ones.
//!
//! `WGARRAY_FUSION=0` turns fusion off (every call runs at once);
//! `set_enabled` switches it at run time.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use wgarray_core::{DType, Layout, Result};
use wgarray_device::{Device, Storage};
use wgarray_kernels::fused::{Arg, Program, Step};
use wgarray_kernels::ops::{Loop, Rule, Ufunc};

use crate::Array;

/// Most steps one program holds; a longer chain materialises its inputs.
pub const MAX_STEPS: usize = 32;

/// The memory behind an array: ready, or a pending fused result.
#[derive(Clone)]
pub(crate) enum Mem {
    Ready(Arc<Storage>),
    Pending(Arc<Pending>),
}

/// A fused result not computed yet. Its array is C-contiguous, offset 0.
pub(crate) struct Pending {
    device: Device,
    dtype: DType,
    shape: Vec<usize>,
    /// The program and its leaves (ready arrays laid out over `shape`);
    /// taken when the result is computed.
    expr: Mutex<Option<Expr>>,
    done: OnceLock<Arc<Storage>>,
}

#[derive(Clone)]
struct Expr {
    prog: Program,
    leaves: Vec<Array>,
}

static LIVE: Mutex<Vec<Weak<Pending>>> = Mutex::new(Vec::new());
static SWITCH: AtomicU8 = AtomicU8::new(0); // 0: unread, 1: off, 2: on

/// Whether ufunc calls may stay pending.
pub fn enabled() -> bool {
    match SWITCH.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var("WGARRAY_FUSION").map_or(true, |v| v.trim() != "0");
            SWITCH.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
        s => s == 2,
    }
}

/// Turns fusion on or off from now on (pending results stay pending).
pub fn set_enabled(on: bool) {
    SWITCH.store(if on { 2 } else { 1 }, Ordering::Relaxed);
}

impl Pending {
    /// The result's memory, computing it on first use.
    pub(crate) fn storage(&self) -> Result<&Arc<Storage>> {
        if let Some(s) = self.done.get() {
            return Ok(s);
        }
        let mut guard = self.expr.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = self.done.get() {
            return Ok(s);
        }
        let e = guard.as_ref().expect("a pending result keeps its program until computed");
        let out = Array::empty(&self.shape, self.dtype, &self.device)?;
        let leaves: Vec<_> = e.leaves.iter().map(|l| l.operand()).collect::<Result<_>>()?;
        wgarray_kernels::fused(&e.prog, &leaves, &out.operand()?)?;
        let Mem::Ready(s) = out.mem else { unreachable!("a fresh array is ready") };
        let _ = self.done.set(s);
        *guard = None; // the leaves may go now
        Ok(self.done.get().expect("just set"))
    }

    /// The memory if it is computed already.
    pub(crate) fn computed(&self) -> Option<&Arc<Storage>> {
        self.done.get()
    }

    pub(crate) fn device(&self) -> &Device {
        &self.device
    }

    /// The program and leaves, while pending.
    fn expr(&self) -> Option<Expr> {
        self.expr.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn reads(&self, storage: &Arc<Storage>) -> bool {
        let g = self.expr.lock().unwrap_or_else(|e| e.into_inner());
        g.as_ref().is_some_and(|e| e.leaves.iter().any(|l| matches!(&l.mem, Mem::Ready(s) if Arc::ptr_eq(s, storage))))
    }
}

/// The program and leaves behind `a` while it is pending (its layout is
/// then C-contiguous over its shape); `None` once computed or for a ready
/// array. A reduction reads the program in place of the array
/// (`wgarray_kernels::reduce_fused`); `a` stays pending, and computing it
/// later runs the program again from the same leaves (which a write would
/// have computed first), so both see the same values.
pub(crate) fn pending_expr(a: &Array) -> Option<(Program, Vec<Array>)> {
    let Mem::Pending(p) = &a.mem else { return None };
    if p.computed().is_some() || a.layout != Layout::contiguous(&p.shape) {
        return None;
    }
    p.expr().map(|e| (e.prog, e.leaves))
}

/// Computes every pending result that reads `storage`: it is about to be
/// written, and they must see its present contents.
pub(crate) fn before_write(storage: &Arc<Storage>) -> Result<()> {
    let readers: Vec<Arc<Pending>> = {
        let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        if live.is_empty() {
            return Ok(());
        }
        live.iter().filter_map(Weak::upgrade).collect()
    };
    for p in readers {
        if p.computed().is_none() && p.reads(storage) {
            p.storage()?;
        }
    }
    Ok(())
}

/// Computes every pending result on `device` (`synchronize` then waits
/// for them like for any recorded work).
pub fn evaluate_all(device: &Device) -> Result<()> {
    let live: Vec<Arc<Pending>> = LIVE.lock().unwrap_or_else(|e| e.into_inner()).iter().filter_map(Weak::upgrade).collect();
    for p in live.iter().filter(|p| p.computed().is_none() && p.device == *device) {
        p.storage()?;
    }
    Ok(())
}

fn register(p: &Arc<Pending>) {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    if live.len() >= 64 && live.len().is_power_of_two() {
        live.retain(|w| w.upgrade().is_some_and(|p| p.computed().is_none()));
    }
    live.push(Arc::downgrade(p));
}

/// What one input contributes to a new program.
enum Source {
    Leaf(Array),
    Inline(Expr),
}

/// The ufunc call `f(inputs)` with loop `lp` over `shape` as a pending
/// result, or `None` when it must run now (fusion off, an exposed input, a
/// step with no fused kernel, an integer power whose exponent must be
/// checked, or the caps).
pub(crate) fn try_ufunc(f: &Ufunc, lp: &Loop, inputs: &[&Array], shape: &[usize], device: &Device) -> Result<Option<Array>> {
    if !enabled() || f.nout != 1 || f.core.is_some() || shape.iter().product::<usize>() == 0 {
        return Ok(None);
    }
    if f.rules.contains(&Rule::NegativeIntegerExponent) && lp.inputs[1].is_integer() {
        return Ok(None);
    }
    let step = Step {
        op: Some(f.outputs[0]),
        lp: Loop { inputs: lp.inputs.clone(), outputs: wgarray_core::dims![lp.outputs[0]] },
        args: vec![],
    };
    if !wgarray_kernels::fusable(device, &step) {
        return Ok(None);
    }
    // A narrow step (float16, int8, …) only runs last, on ready arrays.
    let narrow = step.is_narrow();
    let mut sources = Vec::with_capacity(inputs.len());
    for a in inputs {
        match source(a, narrow)? {
            Some(s) => sources.push(s),
            None => return Ok(None),
        }
    }
    build(step, sources, shape, device)
}

/// An explicit cast of `a` to `dtype` as a pending result (see `try_ufunc`).
pub(crate) fn try_cast(a: &Array, dtype: DType) -> Result<Option<Array>> {
    let device = a.device();
    if !enabled() || a.size() == 0 || a.dtype == dtype {
        return Ok(None);
    }
    let step = Step::cast(dtype, Arg::Leaf(0));
    if !wgarray_kernels::fusable(&device, &step) {
        return Ok(None);
    }
    let Some(s) = source(a, step.is_narrow())? else { return Ok(None) };
    build(step, vec![s], a.shape(), &device)
}

/// How `a` enters a program: its pending program inlined, or as a leaf.
fn source(a: &Array, narrow: bool) -> Result<Option<Source>> {
    if let Mem::Pending(p) = &a.mem {
        if let Some(e) = p.expr() {
            if !narrow && !e.prog.steps.last().is_some_and(Step::is_narrow) {
                return Ok(Some(Source::Inline(e)));
            }
        }
    }
    let storage = a.storage()?;
    if storage.is_exposed() {
        return Ok(None);
    }
    Ok(Some(Source::Leaf(a.clone())))
}

fn build(mut step: Step, sources: Vec<Source>, shape: &[usize], device: &Device) -> Result<Option<Array>> {
    let max_leaves = wgarray_kernels::fused_max_leaves(device);
    let mut prog = Program::default();
    let mut leaves: Vec<Array> = Vec::new();
    let leaf = |a: &Array, leaves: &mut Vec<Array>| -> Result<usize> {
        // A ready leaf already of the shape is used as is (the common case; a broadcast view costs more).
        let b = match &a.mem {
            Mem::Ready(_) if a.shape() == shape => a.clone(),
            _ => a.broadcast_to(shape)?,
        };
        let same = |l: &Array| l.dtype == b.dtype && l.layout == b.layout && l.shares_storage(&b);
        Ok(match leaves.iter().position(same) {
            Some(k) => k,
            None => {
                leaves.push(b);
                leaves.len() - 1
            }
        })
    };
    let mut args = Vec::with_capacity(sources.len());
    for s in &sources {
        match s {
            Source::Leaf(a) => args.push(Arg::Leaf(leaf(a, &mut leaves)?)),
            Source::Inline(e) => {
                let base = prog.steps.len();
                let map: Vec<usize> = e.leaves.iter().map(|l| leaf(l, &mut leaves)).collect::<Result<_>>()?;
                for st in &e.prog.steps {
                    let args = st
                        .args
                        .iter()
                        .map(|&a| match a {
                            Arg::Leaf(k) => Arg::Leaf(map[k]),
                            Arg::Step(j) => Arg::Step(base + j),
                        })
                        .collect();
                    prog.steps.push(Step { args, ..st.clone() });
                }
                args.push(Arg::Step(prog.steps.len() - 1));
            }
        }
    }
    if leaves.len() > max_leaves || prog.steps.len() + 1 > MAX_STEPS {
        return Ok(None); // the eager call computes the inputs
    }
    step.args = args;
    let dtype = step.lp.outputs[0];
    prog.steps.push(step);
    let p = Arc::new(Pending {
        device: device.clone(),
        dtype,
        shape: shape.to_vec(),
        expr: Mutex::new(Some(Expr { prog, leaves })),
        done: OnceLock::new(),
    });
    register(&p);
    Ok(Some(Array { mem: Mem::Pending(p), layout: Layout::contiguous(shape), dtype, writeable: true }))
}
