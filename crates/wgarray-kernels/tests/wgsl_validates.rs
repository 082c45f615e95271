//! Every WGSL kernel wgarray can generate parses and validates with naga —
//! no GPU needed. Casts between every pair of dtypes in every output mode,
//! and every loop of every ufunc in the op table.

use naga::valid::{Capabilities, ValidationFlags, Validator};
use wgarray_core::DType;
use wgarray_kernels::wgsl::{exprs, MapKernel, OutMode};
use wgarray_kernels::UFUNCS;

fn validate(k: &MapKernel) {
    validate_with(k, Capabilities::FLOAT64 | Capabilities::SHADER_INT64);
}

fn validate_with(k: &MapKernel, caps: Capabilities) {
    validate_source_with(&k.key(), &k.source(), caps);
}

fn validate_source(key: &str, src: &str) {
    validate_source_with(key, src, Capabilities::FLOAT64 | Capabilities::SHADER_INT64);
}

fn validate_source_with(key: &str, src: &str, caps: Capabilities) {
    let module = naga::front::wgsl::parse_str(src).unwrap_or_else(|e| panic!("{key}\n{}\n{src}", e.emit_to_string(src)));
    Validator::new(ValidationFlags::all(), caps).validate(&module).unwrap_or_else(|e| panic!("{key}\n{e:?}\n{src}"));
}

fn modes(out: DType) -> Vec<OutMode> {
    if out.is_subword() {
        vec![OutMode::PackedWords, OutMode::Atomic]
    } else {
        vec![OutMode::Element]
    }
}

#[test]
fn every_cast_validates() {
    for from in DType::ALL {
        for to in DType::ALL {
            for mode in modes(to) {
                for rank in [0, 1, 3, 8] {
                    validate(&MapKernel {
                        inputs: wgarray_core::dims![from],
                        loop_in: wgarray_core::dims![from],
                        loop_out: from,
                        output: to,
                        expr: "a0".into(),
                        rank,
                        mode,
                        inner: false,
                        fused: None,
                    });
                }
            }
        }
    }
}

/// The kernels of every output of every loop of every ufunc.
fn ufunc_kernels(max_itemsize: usize, rank: usize) -> Vec<MapKernel> {
    let mut v = vec![];
    for u in UFUNCS {
        for lp in u.loops() {
            if lp.inputs.iter().chain(&lp.outputs).any(|d| d.itemsize() > max_itemsize) {
                continue;
            }
            for (&op, &out) in u.outputs.iter().zip(&lp.outputs) {
                let Some(expr) = exprs::expr(op, &lp) else { continue };
                for mode in modes(out) {
                    v.push(MapKernel {
                        inputs: lp.inputs.clone(),
                        loop_in: lp.inputs.clone(),
                        loop_out: out,
                        output: out,
                        expr: expr.clone(),
                        rank,
                        mode,
                        inner: u.core.is_some(),
                        fused: None,
                    });
                }
            }
        }
    }
    v
}

#[test]
fn every_ufunc_loop_validates() {
    let kernels = ufunc_kernels(8, 2);
    assert!(kernels.len() > 300, "{}", kernels.len());
    for k in &kernels {
        validate(k);
    }
}

/// Kernels over 32-bit-or-smaller dtypes carry no 64-bit code, so devices
/// without SHADER_F64/SHADER_INT64 accept them, transcendental ones included.
#[test]
fn narrow_kernels_need_no_64_bit_features() {
    let narrow: Vec<DType> = DType::ALL.into_iter().filter(|d| d.itemsize() <= 4).collect();
    for &from in &narrow {
        for &to in &narrow {
            for mode in modes(to) {
                let k = MapKernel {
                    inputs: wgarray_core::dims![from],
                    loop_in: wgarray_core::dims![from],
                    loop_out: from,
                    output: to,
                    expr: "a0".into(),
                    rank: 2,
                    mode,
                    inner: false,
                    fused: None,
                };
                validate_with(&k, Capabilities::empty());
            }
        }
    }
    for k in ufunc_kernels(4, 1) {
        validate_with(&k, Capabilities::empty());
    }
}

/// Every reduction kernel: each binary ufunc's same-dtype loops, tree and
/// serial, over a few inputs and ranks (float16 trees run in float32).
#[test]
fn every_reduction_validates() {
    use wgarray_kernels::wgsl::reduce::{identity_literal, partial_dtype, subgroup_op, Neutral, ReduceKernel, ReduceMode};
    let mut n = 0;
    let mut with_subgroups = 0;
    for u in UFUNCS.iter().filter(|u| u.nin == 2 && u.nout == 1 && u.core.is_none()) {
        for lp in u.loops().filter(|l| l.inputs[0] == l.outputs[0] && l.inputs[1] == l.outputs[0]) {
            for mode in [ReduceMode::Tree, ReduceMode::Serial, ReduceMode::Segments] {
                let acc = if mode == ReduceMode::Tree && lp.outputs[0] == DType::Float16 { DType::Float32 } else { lp.outputs[0] };
                let acc_loop = wgarray_kernels::ops::Loop { inputs: wgarray_core::dims![acc, acc], outputs: wgarray_core::dims![acc] };
                let Some(expr) = exprs::expr(u.outputs[0], &acc_loop) else { continue };
                let neutral = u.identity.map_or(Neutral::First, |id| Neutral::Literal(identity_literal(id, acc)));
                for (input, start, ranks) in [(lp.inputs[0], false, (1, 1)), (DType::Int8, mode != ReduceMode::Tree, (4, 4)), (partial_dtype(acc), false, (0, 2))] {
                    let k = ReduceKernel {
                        input,
                        acc,
                        output: partial_dtype(acc),
                        expr: expr.clone(),
                        mode,
                        neutral: neutral.clone(),
                        start,
                        kept_rank: ranks.0,
                        red_rank: ranks.1,
                        subgroup: None,
                        fused: None,
                        lanes: 256,
                    };
                    validate_source(&k.key(), &k.source());
                    n += 1;
                    if mode == ReduceMode::Tree {
                        // Several short rows per workgroup.
                        let k = ReduceKernel { lanes: 64, ..k.clone() };
                        validate_source(&k.key(), &k.source());
                    }
                    let sub = subgroup_op(u.outputs[0], acc);
                    if mode == ReduceMode::Tree && sub.is_some() {
                        let k = ReduceKernel { subgroup: sub, ..k };
                        validate_source_with(&k.key(), &k.source(), Capabilities::FLOAT64 | Capabilities::SHADER_INT64 | Capabilities::SUBGROUP);
                        with_subgroups += 1;
                    }
                }
            }
        }
    }
    assert!(n > 300, "{n}");
    assert!(with_subgroups > 50, "{with_subgroups}");
}

/// Every scan kernel: each binary ufunc's same-dtype loops in each mode.
#[test]
fn every_scan_validates() {
    use wgarray_kernels::wgsl::reduce::{identity_literal, partial_dtype, Neutral};
    use wgarray_kernels::wgsl::scan::{ScanKernel, ScanMode};
    let mut n = 0;
    for u in UFUNCS.iter().filter(|u| u.nin == 2 && u.nout == 1 && u.core.is_none()) {
        for lp in u.loops().filter(|l| l.inputs[0] == l.outputs[0] && l.inputs[1] == l.outputs[0]) {
            let acc = lp.outputs[0];
            let Some(expr) = exprs::expr(u.outputs[0], &lp) else { continue };
            let neutral = u.identity.map_or(Neutral::First, |id| Neutral::Literal(identity_literal(id, acc)));
            for (mode, input, rank) in [
                (ScanMode::Serial, acc, 1),
                (ScanMode::Totals, DType::Int8, 4),
                (ScanMode::Block { offsets: false }, acc, 0),
                (ScanMode::Block { offsets: true }, partial_dtype(acc), 2),
            ] {
                let k = ScanKernel { input, acc, output: partial_dtype(acc), expr: expr.clone(), mode, neutral: neutral.clone(), row_rank: rank };
                validate_source(&k.key(), &k.source());
                n += 1;
            }
        }
    }
    assert!(n > 300, "{n}");
}

/// Scatter kernels: values of every dtype (and the index mode) into their
/// partial dtypes, int32 and int64 destinations.
#[test]
fn every_scatter_validates() {
    use wgarray_kernels::wgsl::reduce::partial_dtype;
    use wgarray_kernels::wgsl::scatter::ScatterKernel;
    for dest in [DType::Int32, DType::Int64] {
        for v in DType::ALL {
            let k = ScatterKernel { value: Some(v), dest, output: partial_dtype(v), rank: 3 };
            validate_source(&k.key(), &k.source());
        }
        for output in [DType::Int32, DType::Int64] {
            let k = ScatterKernel { value: None, dest, output, rank: 4 };
            validate_source(&k.key(), &k.source());
        }
    }
    // Without 64-bit types: int32 destinations and indices, 32-bit values.
    let k = ScatterKernel { value: Some(DType::Float16), dest: DType::Int32, output: DType::Float32, rank: 2 };
    validate_source_with(&k.key(), &k.source(), Capabilities::empty());
}

/// Gather kernels: every source dtype into its partial dtype, both index dtypes.
#[test]
fn every_gather_validates() {
    use wgarray_kernels::wgsl::gather::GatherKernel;
    use wgarray_kernels::wgsl::reduce::partial_dtype;
    for idx in [DType::Int32, DType::Int64] {
        for src in DType::ALL {
            let k = GatherKernel { src, idx, output: partial_dtype(src), rank: 3 };
            validate_source(&k.key(), &k.source());
        }
    }
    let k = GatherKernel { src: DType::UInt8, idx: DType::Int32, output: DType::UInt32, rank: 4 };
    validate_source_with(&k.key(), &k.source(), Capabilities::empty());
}

#[test]
fn every_sort_kernel_validates_without_64_bit_features() {
    use wgarray_kernels::wgsl::radix::RadixKernel;
    use wgarray_kernels::wgsl::sort::{SortKeys, SortStep};
    for d in DType::ALL {
        let k = SortKeys { src: d };
        validate_source_with(&k.key(), &k.source(), Capabilities::empty());
    }
    for words in [1, 2] {
        for (local, cross, steps) in [(false, false, 1), (false, false, 2), (false, false, 3), (true, false, 1), (false, true, 1)] {
            let k = SortStep { words, local, cross, steps };
            validate_source_with(&k.key(), &k.source(), Capabilities::empty());
        }
        for k in [RadixKernel::Count { words }, RadixKernel::Sums, RadixKernel::Offsets, RadixKernel::Apply, RadixKernel::Scatter { words }] {
            validate_source_with(&k.key(), &k.source(), Capabilities::empty());
        }
    }
}

#[test]
fn matmul_kernels_validate() {
    use wgarray_kernels::wgsl::matmul::MatmulKernel;
    for (depth, tile) in [(8, 128), (16, 128), (16, 64)] {
        let k = MatmulKernel { dtype: DType::Float32, depth, tile };
        validate_source_with(&k.key(), &k.source(), Capabilities::empty());
        let k = MatmulKernel { dtype: DType::Float64, depth, tile };
        validate_source(&k.key(), &k.source());
    }
}

/// Fused programs (wgsl/fused.rs): every non-narrow loop of every one- and
/// two-input ufunc as a step between casts, reading seven leaves (the widest
/// parameter block) and one.
#[test]
fn fused_programs_validate() {
    use wgarray_kernels::fused::{Arg, Program, Step};
    use wgarray_kernels::wgsl::fused::body;
    let mut n = 0;
    for u in UFUNCS.iter().filter(|u| u.nout == 1 && u.core.is_none()) {
        for lp in u.loops() {
            let step = Step { op: Some(u.outputs[0]), lp: lp.clone(), args: (0..u.nin).map(|k| Arg::Step(k)).collect() };
            if step.is_narrow() || exprs::expr(u.outputs[0], &lp).is_none() {
                continue;
            }
            let mut steps: Vec<Step> = lp.inputs.iter().enumerate().map(|(k, &d)| Step::cast(d, Arg::Leaf(k))).collect();
            steps.push(step);
            steps.push(Step::cast(DType::Bool, Arg::Step(u.nin)));
            let prog = Program { steps };
            for leaves in [vec![DType::Int8, DType::Float32], vec![DType::Float64; 7]] {
                let (fused, expr, loop_out) = body(&prog, &leaves).expect("every step has a kernel");
                for (rank, mode) in [(4, OutMode::PackedWords), (1, OutMode::Atomic)] {
                    validate(&MapKernel {
                        inputs: leaves.as_slice().into(),
                        loop_in: leaves.as_slice().into(),
                        loop_out,
                        output: DType::Bool,
                        expr: expr.clone(),
                        rank,
                        mode,
                        inner: false,
                        fused: Some(fused.clone()),
                    });
                    n += 1;
                }
            }
        }
    }
    assert!(n > 300, "{n}");
}

/// Tree reductions reading fused programs: every fusable step's loops as a
/// program's last step (after casts of its leaves), reduced by add, maximum
/// and logical_or in the accumulators NumPy's reductions use, over kept and
/// reduced ranks up to the fused limit, with and without subgroups.
#[test]
fn fused_reductions_validate() {
    use wgarray_kernels::fused::{Arg, Program, Step};
    use wgarray_kernels::wgsl::fused::body;
    use wgarray_kernels::wgsl::reduce::{identity_literal, partial_dtype, subgroup_op, FusedLoad, Neutral, ReduceKernel, ReduceMode};
    let mut n = 0;
    for u in UFUNCS.iter().filter(|u| u.nout == 1 && u.core.is_none()) {
        for lp in u.loops() {
            let step = Step { op: Some(u.outputs[0]), lp: lp.clone(), args: (0..u.nin).map(Arg::Step).collect() };
            if step.is_narrow() || exprs::expr(u.outputs[0], &lp).is_none() {
                continue;
            }
            let mut steps: Vec<Step> = lp.inputs.iter().enumerate().map(|(k, &d)| Step::cast(d, Arg::Leaf(k))).collect();
            steps.push(step);
            let prog = Program { steps };
            let input = prog.dtype();
            let leaves = [vec![DType::Int8, DType::Float32], vec![DType::Float64; 7]][n % 2].clone();
            let (fbody, result, _) = body(&prog, &leaves).expect("every step has a kernel");
            for (name, acc) in [("add", if input.is_float() { input } else { DType::Int64 }), ("maximum", input), ("logical_or", DType::Bool)] {
                let f = UFUNCS.iter().find(|f| f.name == name).unwrap();
                let acc_loop = wgarray_kernels::ops::Loop { inputs: wgarray_core::dims![acc, acc], outputs: wgarray_core::dims![acc] };
                let Some(expr) = exprs::expr(f.outputs[0], &acc_loop) else { continue };
                let neutral = f.identity.map_or(Neutral::First, |id| Neutral::Literal(identity_literal(id, acc)));
                let ranks = [(0, 1), (1, 1), (2, 2), (0, 4), (3, 1)][n % 5];
                let k = ReduceKernel {
                    input,
                    acc,
                    output: partial_dtype(acc),
                    expr,
                    mode: ReduceMode::Tree,
                    neutral,
                    start: false,
                    kept_rank: ranks.0,
                    red_rank: ranks.1,
                    subgroup: None,
                    fused: Some(FusedLoad { leaves: leaves.clone(), body: fbody.clone(), result: result.clone() }),
                    lanes: [256, 32][n % 2],
                };
                validate_source(&k.key(), &k.source());
                if let Some(sub) = subgroup_op(f.outputs[0], acc) {
                    let k = ReduceKernel { subgroup: Some(sub), lanes: 256, ..k };
                    validate_source_with(&k.key(), &k.source(), Capabilities::FLOAT64 | Capabilities::SHADER_INT64 | Capabilities::SUBGROUP);
                }
                n += 1;
            }
        }
    }
    assert!(n > 300, "{n}");
}
