//! Fused elementwise programs: a chain of ufunc loops and casts over a few
//! input arrays ("leaves"), run as one kernel — on a GPU one generated WGSL
//! map kernel (`wgsl::fused`), on the CPU block by block, numexpr-style
//! (`cpu::fused`) — so the intermediate results are never stored.
//!
//! A fused program gives exactly the unfused results: every step computes
//! in its loop's dtypes as the eager kernel would, and a step whose loop
//! holds a byte-compact non-bool dtype (float16, int8, …, whose eager results
//! are rounded or wrapped by the store) only ever runs last, on leaves.

use wgarray_core::DType;

use crate::ops::{Loop, Scalar};

/// Where a step's argument comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Input array `k`.
    Leaf(usize),
    /// The result of an earlier step.
    Step(usize),
}

/// One step: a ufunc loop (`op`), or a cast to `lp.outputs[0]` (`op: None`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Step {
    /// The op-table scalar, or `None` for a cast.
    pub op: Option<Scalar>,
    /// The loop: its arguments are converted to `lp.inputs`; it produces `lp.outputs[0]`.
    pub lp: Loop,
    /// The arguments.
    pub args: Vec<Arg>,
}

impl Step {
    /// A cast of `arg` to `to`.
    pub fn cast(to: DType, arg: Arg) -> Step {
        Step { op: None, lp: Loop { inputs: wgarray_core::dims![to], outputs: wgarray_core::dims![to] }, args: vec![arg] }
    }

    /// True when the loop holds a byte-compact dtype other than bool, whose
    /// values the eager kernel rounds or wraps when it stores them.
    pub fn is_narrow(&self) -> bool {
        self.lp.inputs.iter().chain(&self.lp.outputs).any(|d| d.is_subword() && *d != DType::Bool)
    }
}

/// Steps in evaluation order; the last one's result is the program's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Program {
    /// The steps.
    pub steps: Vec<Step>,
}

impl Program {
    /// The dtype of the result.
    pub fn dtype(&self) -> DType {
        self.steps.last().expect("a program has steps").lp.outputs[0]
    }

    /// The dtype an argument holds, given the leaves' dtypes.
    pub fn arg_dtype(&self, a: Arg, leaves: &[DType]) -> DType {
        match a {
            Arg::Leaf(k) => leaves[k],
            Arg::Step(j) => self.steps[j].lp.outputs[0],
        }
    }
}
