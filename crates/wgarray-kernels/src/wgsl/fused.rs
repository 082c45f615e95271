//! The WGSL of a fused program (`crate::fused`): one function per step over
//! the step loop's value types, and the `let` statements that call them in
//! order inside a map kernel's `value` (see `map.rs`, `FusedBody`).

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use wgarray_core::DType;

use super::exprs;
use super::map::FusedBody;
use super::types::{convert, value_type};
use crate::fused::{Arg, Program};

/// The fused body, the expression naming the result, and its dtype; `None`
/// when a step has no GPU kernel. Made once per (program, leaf dtypes) and
/// cached: materialising a pending result formats nothing after the first.
pub fn body(prog: &Program, leaves: &[DType]) -> Option<(FusedBody, String, DType)> {
    // By program, then leaf dtypes: a hit clones nothing but the answer.
    type Made = Option<(FusedBody, String, DType)>;
    type Cache = HashMap<Program, Vec<(Vec<DType>, Made)>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    static NEXT_ID: AtomicU64 = AtomicU64::new(0);
    let cache = CACHE.get_or_init(Default::default);
    let find = |c: &Cache| c.get(prog)?.iter().find(|(d, _)| d == leaves).map(|(_, m)| m.clone());
    if let Some(hit) = find(&cache.lock().unwrap_or_else(|e| e.into_inner())) {
        return hit;
    }
    let made = make_body(prog, leaves).map(|(fns, steps, result, dtype)| {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        (FusedBody { id, fns: fns.into(), steps: steps.into() }, result, dtype)
    });
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = find(&c) {
        return hit;
    }
    c.entry(prog.clone()).or_default().push((leaves.to_vec(), made.clone()));
    made
}

/// The body's functions and statements, the result's name and dtype.
fn make_body(prog: &Program, leaves: &[DType]) -> Option<(String, String, String, DType)> {
    // Float results between steps pass through an OR with the uniform zero
    // word, which no compiler can see through: a driver cannot merge one
    // step's multiply into the next step's add (a fused multiply-add rounds
    // once where the eager kernels, storing each step, round twice).
    // (`opaque_f32`/`opaque_f64` come from shaders/transcendental_f32.wgsl and
    // pow_f64.wgsl through `libs_for`.)
    let mut fns = String::new();
    let mut steps = String::new();
    let name = |a: Arg| match a {
        Arg::Leaf(k) => format!("a{k}"),
        Arg::Step(j) => format!("t{j}"),
    };
    for (i, st) in prog.steps.iter().enumerate() {
        let args: Vec<String> = st
            .args
            .iter()
            .zip(&st.lp.inputs)
            .map(|(&a, &to)| convert(prog.arg_dtype(a, leaves), to, &name(a)))
            .collect();
        let value = match st.op {
            None => args[0].clone(),
            Some(op) => {
                let e = exprs::expr(op, &st.lp)?;
                let params: Vec<String> = st.lp.inputs.iter().enumerate().map(|(k, &d)| format!("a{k}: {}", value_type(d))).collect();
                let _ = writeln!(fns, "fn step{i}({}) -> {} {{\n    return {e};\n}}", params.join(", "), value_type(st.lp.outputs[0]));
                format!("step{i}({})", args.join(", "))
            }
        };
        let vt = value_type(st.lp.outputs[0]);
        if i + 1 < prog.steps.len() && (vt == "f32" || vt == "f64") {
            let _ = writeln!(steps, "    let t{i} = opaque_{vt}({value});");
        } else {
            let _ = writeln!(steps, "    let t{i} = {value};");
        }
    }
    let last = prog.steps.len() - 1;
    Some((fns, steps, format!("t{last}"), prog.dtype()))
}
