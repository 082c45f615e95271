//! The WGSL of a fused program (`crate::fused`): one function per step over
//! the step loop's value types, and the `let` statements that call them in
//! order inside a map kernel's `value` (see `map.rs`, `FusedBody`).

use std::fmt::Write;

use wgarray_core::DType;

use super::exprs;
use super::map::FusedBody;
use super::types::{convert, value_type};
use crate::fused::{Arg, Program};

/// The fused body, the expression naming the result, and its dtype; `None`
/// when a step has no GPU kernel.
pub fn body(prog: &Program, leaves: &[DType]) -> Option<(FusedBody, String, DType)> {
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
        match st.op {
            None => {
                let _ = writeln!(steps, "    let t{i} = {};", args[0]);
            }
            Some(op) => {
                let e = exprs::expr(op, &st.lp)?;
                let params: Vec<String> = st.lp.inputs.iter().enumerate().map(|(k, &d)| format!("a{k}: {}", value_type(d))).collect();
                let _ = writeln!(fns, "fn step{i}({}) -> {} {{\n    return {e};\n}}", params.join(", "), value_type(st.lp.outputs[0]));
                let _ = writeln!(steps, "    let t{i} = step{i}({});", args.join(", "));
            }
        }
    }
    let last = prog.steps.len() - 1;
    Some((FusedBody { fns, steps }, format!("t{last}"), prog.dtype()))
}
