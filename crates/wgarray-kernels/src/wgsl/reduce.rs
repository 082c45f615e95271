//! The reduction kernel family: `out[o] = in[o, 0] ⊕ in[o, 1] ⊕ …` where
//! `o` runs over the kept axes and the second index over the reduced axes,
//! each with its own strides (any axis set, read in place: no transposing
//! copy). Results are written contiguously in the accumulator dtype; the
//! dispatch layer casts them into the real output.
//!
//! Two modes: `Tree` (a reorderable ⊕): one workgroup per (output, chunk of
//! `256 * per_thread` elements); each thread folds `per_thread` elements
//! 256 apart (adjacent threads read adjacent elements), then the workgroup
//! combines its 256 partials as a tree in workgroup memory. More than one
//! chunk per output leaves partials for another pass. Where the adapter has
//! subgroup operations and ⊕ is one of theirs (`subgroup_op`), each
//! subgroup combines its threads with one builtin, and one thread folds the
//! subgroups' results: a single barrier instead of eight. `Serial` (any ⊕, in
//! NumPy's order): one thread per output folds its elements in order,
//! starting from an optional start value.
//!
//! A tree may read a fused elementwise program (`FusedLoad`) instead of an
//! array: each element is computed from the program's leaves where the
//! thread needs it, so `sum(exp(x))` reads `x` once and stores nothing else.

use std::fmt::Write;

use wgarray_core::DType;

use crate::ops::Scalar;

use super::libs_for;
use super::map::FusedBody;
use super::offsets::write_offset_fn;
use super::types::{convert, load, storage_type, value_type};

/// Most kept axes, and most reduced axes, a kernel indexes.
pub const MAX_REDUCE_RANK: usize = 4;
/// Byte size of the parameter block (`Params` in the generated source).
pub const REDUCE_PARAMS_BYTES: usize = 16 + 16 + 16 + 16 + 16 + 16 + 16 + 16;
/// Byte size of a fused tree's parameter block: the counts, `kshape`,
/// `rshape`, `base` (`.y`: the output's), `zero`, the leaves' bases (two
/// vec4s at `FUSED_BASES_AT`) and their strides (one vec4 per leaf at
/// `FUSED_STRIDES_AT`: its kept axes' strides, then its reduced axes').
pub const FUSED_REDUCE_PARAMS_BYTES: usize = FUSED_STRIDES_AT + 16 * FUSED_REDUCE_LEAVES;
/// Where a fused tree's leaf bases start in its parameter block.
pub const FUSED_BASES_AT: usize = 80;
/// Where a fused tree's leaf strides start in its parameter block.
pub const FUSED_STRIDES_AT: usize = 112;
/// Most leaves a fused tree reads.
pub const FUSED_REDUCE_LEAVES: usize = 7;
/// Most axes (kept and reduced together) a fused tree indexes.
pub const FUSED_REDUCE_RANK: usize = 4;
/// Threads per workgroup.
pub const REDUCE_THREADS: u32 = 256;
/// Most elements one tree thread folds before the workgroup's tree, a
/// multiple of 4: the kernel's four accumulators fold at most 4 each (short
/// serial runs keep the rounding error growing like a pairwise sum's). On an
/// H100, 16 beat 4, 8, 32, 64 and 128 for 1e7 float32 elements: sum 21.7 µs
/// (64: 23.7), sum(exp(x)) 37 µs (64: 45): more workgroups in flight spread
/// a fused body's arithmetic over the whole GPU.
pub const TREE_PER_THREAD: usize = 16;

/// How a reduction kernel combines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReduceMode {
    /// Workgroup tree over chunks (the operation is reorderable).
    Tree,
    /// One thread per output, in order.
    Serial,
    /// `ufunc.reduceat`: one thread per (segment, kept index), folding the
    /// reduced axis in order from `in1[seg]` to `in1[seg + 1]` (or its end);
    /// an empty or backward segment is its first element. Outputs run
    /// segment-major; `P.groups` holds the kept count.
    Segments,
}

/// The value a tree starts each thread from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Neutral {
    /// The operation's identity, as a WGSL literal of the accumulator's value type.
    Literal(String),
    /// The output's first element (for idempotent operations without an
    /// identity: maximum, minimum, fmax, fmin).
    First,
}

/// Everything a reduction kernel's source depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReduceKernel {
    /// Stored dtype of the input.
    pub input: DType,
    /// The dtype the operation runs in (values are converted to it).
    pub acc: DType,
    /// Stored dtype of the results (32/64-bit: `acc`'s value type).
    pub output: DType,
    /// WGSL expression over `a0`, `a1` (values of `acc`): the operation.
    pub expr: String,
    /// Tree or serial.
    pub mode: ReduceMode,
    /// Where a tree's threads start.
    pub neutral: Neutral,
    /// Serial only: a start value is bound (`in1[P.base.z]`, in `output`'s
    /// dtype). Segments always bind their starts there (u32).
    pub start: bool,
    /// Kept axes indexed.
    pub kept_rank: usize,
    /// Reduced axes indexed.
    pub red_rank: usize,
    /// Tree only: the WGSL subgroup builtin equal to ⊕ (`subgroupAdd`, …),
    /// used when the device has subgroup operations (see `subgroup_op`).
    pub subgroup: Option<&'static str>,
    /// Tree only: the input is a fused program over leaves `in0`, `in1`, …
    /// (`input` is then the program's result dtype).
    pub fused: Option<FusedLoad>,
    /// Tree only: threads per output, a power of two from 32 to 256. Below
    /// 256 a workgroup folds 256 / `lanes` whole outputs (one chunk each,
    /// `P.groups` is 1) and combines them in workgroup memory (no subgroup
    /// builtins): short rows keep every thread busy.
    pub lanes: u32,
}

/// A fused elementwise program a tree reduction reads as its input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FusedLoad {
    /// Stored dtypes of the leaves.
    pub leaves: Vec<DType>,
    /// The program's steps (`wgsl::fused::body`).
    pub body: FusedBody,
    /// The expression naming its result.
    pub result: String,
}

impl ReduceKernel {
    /// The pipeline-cache key.
    pub fn key(&self) -> String {
        format!("reduce{:?}", self)
    }

    /// Bindings after the parameter block: inputs (read-only), then outputs.
    pub fn bindings(&self) -> (u32, u32) {
        if let Some(f) = &self.fused {
            return (f.leaves.len() as u32, 1);
        }
        (1 + self.second_input() as u32, 1)
    }

    /// Whether `in1` is bound: a serial start value, or segment starts.
    fn second_input(&self) -> bool {
        self.start || self.mode == ReduceMode::Segments
    }

    /// The start of a tree kernel's `main`: which output and chunk the
    /// workgroup folds, and each thread's fold of its `per_thread` elements
    /// (256 apart, so adjacent threads read adjacent elements) into `acc`.
    /// Four accumulators take turns (four loads in flight per step, each
    /// folding at most `PER_THREAD / 4` elements: short serial runs keep the
    /// error growing like a pairwise sum's) and are combined as a pair of pairs.
    fn thread_fold(&self) -> String {
        let neutral = match &self.neutral {
            Neutral::Literal(l) => l.clone(),
            Neutral::First => "at(ob, start)".into(),
        };
        let l = self.lanes;
        let mut f = if l == REDUCE_THREADS {
            String::from(
                "let w = wid.y * nwg.x + wid.x;\n    if (w >= P.n_out * P.groups) { return; }\n    \
                 let o = w / P.groups;\n    let start = (w % P.groups) * P.per_thread * 256u;\n    \
                 let ob = kept_offset(o);\n    let r_len = P.r_len;\n",
            )
        } else {
            // Outputs past the end fold nothing (they still meet the barriers).
            format!(
                "let w = wid.y * nwg.x + wid.x;\n    if (w * {per}u >= P.n_out) {{ return; }}\n    \
                 let lane = lid % {l}u;\n    let o = w * {per}u + lid / {l}u;\n    let live = o < P.n_out;\n    \
                 let start = 0u;\n    let ob = kept_offset(min(o, P.n_out - 1u));\n    \
                 let r_len = select(0u, P.r_len, live);\n",
                per = REDUCE_THREADS / l
            )
        };
        let lane = if l == REDUCE_THREADS { "lid" } else { "lane" };
        for k in 0..4 {
            let _ = writeln!(f, "    var acc{k} = {neutral};");
        }
        // A thread whose TREE_PER_THREAD elements all exist reads them all
        // before folding any (sixteen loads in flight, not four), folding
        // in the loop's order; others take the loop.
        let n = TREE_PER_THREAD;
        let _ = writeln!(
            f,
            "    if (P.per_thread == {n}u && start + {}u + {lane} < r_len) {{",
            (n as u32 - 1) * l
        );
        for e in 0..n {
            let _ = writeln!(f, "        let v{e} = at(ob, start + {}u + {lane});", e as u32 * l);
        }
        for e in 0..n {
            let _ = writeln!(f, "        acc{k} = combine(acc{k}, v{e});", k = e % 4);
        }
        f.push_str("    } else {\n");
        let _ = writeln!(
            f,
            "    for (var j = 0u; j < P.per_thread; j = j + 4u) {{\n        \
             let r = start + j * {l}u + {lane};\n        \
             if (r + {}u < r_len) {{",
            3 * l
        );
        for k in 0..4 {
            let _ = writeln!(f, "            acc{k} = combine(acc{k}, at(ob, r + {}u));", l * k);
        }
        f.push_str("        } else {\n");
        for k in 0..3 {
            let _ = writeln!(
                f,
                "            if (r + {o}u < r_len) {{ acc{k} = combine(acc{k}, at(ob, r + {o}u)); }}",
                o = l * k
            );
        }
        f.push_str("        }\n    }\n    }\n    let acc = combine(combine(acc0, acc1), combine(acc2, acc3));\n    ");
        f
    }

    /// A tree kernel up to its workgroup combine: the partials' workgroup
    /// array, `main` with the builtins it takes (`extra` adds to them), and
    /// each thread's fold (`thread_fold`).
    fn tree_head(&self, extra: &str) -> String {
        format!(
            "var<workgroup> partial: array<{}, 256>;\n@compute @workgroup_size(256)\n\
             fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, \
             @builtin(local_invocation_index) lid: u32{extra}) {{\n    {}",
            value_type(self.acc),
            self.thread_fold()
        )
    }

    /// The parameter block, bindings and element access of a kernel reading
    /// an array: `kept_offset(o)` is output `o`'s base element and
    /// `at(ob, r)` the value of reduced index `r` from there.
    fn array_head(&self, s: &mut String, body: &mut String) {
        s.push_str(
            "struct Params {\n    n_out: u32,\n    r_len: u32,\n    per_thread: u32,\n    groups: u32,\n    \
             kshape: vec4<u32>,\n    rshape: vec4<u32>,\n    base: vec4<u32>,\n    kstrides: vec4<i32>,\n    \
             rstrides: vec4<i32>,\n    zero: vec4<u32>,\n    window: vec4<u32>,\n}\n@group(0) @binding(0) var<uniform> P: Params;\n",
        );
        let _ = writeln!(s, "@group(0) @binding(1) var<storage, read> in0: array<{}>;", storage_type(self.input));
        let mut next = 2;
        if self.second_input() {
            let t = if self.mode == ReduceMode::Segments { "u32" } else { storage_type(self.output) };
            let _ = writeln!(s, "@group(0) @binding(2) var<storage, read> in1: array<{t}>;");
            next = 3;
        }
        let _ = writeln!(s, "@group(0) @binding({next}) var<storage, read_write> out: array<{}>;", storage_type(self.output));
        write_offset_fn(body, "kept_offset", "P.base.x", "P.kshape", "P.kstrides", self.kept_rank);
        write_offset_fn(body, "red_offset", "0u", "P.rshape", "P.rstrides", self.red_rank);
        let vt = value_type(self.acc);
        let _ = writeln!(
            body,
            "fn at(ob: u32, r: u32) -> {vt} {{\n    let p = ob + red_offset(r);\n    return {};\n}}",
            convert(self.input, self.acc, &load(self.input, 0, "p"))
        );
    }

    /// The same for a fused input: `kept_offset(o)` gives every leaf's
    /// position (a `Pos`), and `at` computes the program's value from the
    /// leaves there. The value passes through `opaque_f32`/`opaque_f64` (as
    /// between a fused map's steps) so no driver merges the program's last
    /// multiply into the fold's add: the sum sees the values the unfused
    /// program would have stored.
    fn fused_head(&self, f: &FusedLoad, s: &mut String, body: &mut String) {
        let n = f.leaves.len();
        let _ = writeln!(
            s,
            "struct Params {{\n    n_out: u32,\n    r_len: u32,\n    per_thread: u32,\n    groups: u32,\n    \
             kshape: vec4<u32>,\n    rshape: vec4<u32>,\n    base: vec4<u32>,\n    zero: vec4<u32>,\n    \
             lbase: array<vec4<u32>, 2>,\n    lstrides: array<vec4<i32>, {FUSED_REDUCE_LEAVES}>,\n}}\n\
             @group(0) @binding(0) var<uniform> P: Params;"
        );
        s.push_str("struct Pos {\n");
        for k in 0..n {
            let _ = writeln!(s, "    p{k}: u32,");
        }
        s.push_str("}\n");
        for (k, d) in f.leaves.iter().enumerate() {
            let _ = writeln!(s, "@group(0) @binding({}) var<storage, read> in{k}: array<{}>;", k + 1, storage_type(*d));
        }
        let _ = writeln!(s, "@group(0) @binding({}) var<storage, read_write> out: array<{}>;", n + 1, storage_type(self.output));
        body.push_str(&f.body.fns);
        let comp = ["x", "y", "z", "w"];
        // Positions of index `i` over `rank` axes (lengths in `shape`), leaf
        // strides from component `first` of each leaf's vec4.
        let walk = |body: &mut String, shape: &str, rank: usize, first: usize| {
            for d in (0..rank).rev() {
                let c = if d == 0 {
                    "rem".to_string()
                } else {
                    let _ = writeln!(body, "    let c{d} = rem % {shape}.{0};\n    rem = rem / {shape}.{0};", comp[d]);
                    format!("c{d}")
                };
                for k in 0..n {
                    let _ = writeln!(body, "    q.p{k} = q.p{k} + {c} * bitcast<u32>(P.lstrides[{k}].{});", comp[first + d]);
                }
            }
        };
        body.push_str("fn kept_offset(i: u32) -> Pos {\n    var q: Pos;\n    var rem = i;\n");
        for k in 0..n {
            let _ = writeln!(body, "    q.p{k} = P.lbase[{}].{};", k / 4, comp[k % 4]);
        }
        walk(body, "P.kshape", self.kept_rank, 0);
        body.push_str("    return q;\n}\n");
        let _ = writeln!(body, "fn at(ob: Pos, r: u32) -> {} {{\n    var q = ob;\n    var rem = r;", value_type(self.acc));
        walk(body, "P.rshape", self.red_rank, self.kept_rank);
        for (k, &d) in f.leaves.iter().enumerate() {
            let _ = writeln!(body, "    let a{k} = {};", load(d, k, &format!("q.p{k}")));
        }
        body.push_str(&f.body.steps);
        let v = match value_type(self.input) {
            "f32" => format!("opaque_f32({})", f.result),
            "f64" => format!("opaque_f64({})", f.result),
            "u32" if self.input == DType::Bool => format!("u32({} != 0u)", f.result),
            _ => f.result.clone(),
        };
        let _ = writeln!(body, "    return {};\n}}", convert(self.input, self.acc, &v));
    }

    /// The generated WGSL source.
    pub fn source(&self) -> String {
        let vt = value_type(self.acc);
        let mut s = String::new();
        let _ = writeln!(s, "// Generated by wgarray-kernels (src/wgsl/reduce.rs) for {}.", self.key());
        let mut body = String::new();
        match &self.fused {
            Some(f) => self.fused_head(f, &mut s, &mut body),
            None => self.array_head(&mut s, &mut body),
        }
        let _ = writeln!(body, "fn combine(a0: {vt}, a1: {vt}) -> {vt} {{\n    return {};\n}}", self.expr);
        let store = |v: &str| convert(self.acc, self.output, v);
        match self.mode {
            ReduceMode::Tree if self.subgroup.is_some() && self.lanes == REDUCE_THREADS => {
                let head = self.tree_head(
                    ", @builtin(subgroup_invocation_id) sid: u32, @builtin(subgroup_id) sg: u32, @builtin(num_subgroups) nsg: u32",
                );
                // Subgroups are numbered 0..num_subgroups however the driver
                // packs invocations into them (partly filled ones included:
                // the builtins combine the active invocations only).
                let _ = writeln!(
                    body,
                    "{head}let total = {}(acc);\n    \
                     if (sid == 0u) {{ partial[sg] = total; }}\n    \
                     workgroupBarrier();\n    \
                     if (lid == 0u) {{\n        \
                     var t = partial[0];\n        \
                     for (var i = 1u; i < nsg; i = i + 1u) {{ t = combine(t, partial[i]); }}\n        \
                     out[P.base.y + w] = {};\n    \
                     }}\n}}",
                    self.subgroup.unwrap(),
                    store("t")
                );
            }
            ReduceMode::Tree if self.lanes < REDUCE_THREADS => {
                let head = self.tree_head("");
                let _ = writeln!(
                    body,
                    "{head}partial[lid] = acc;\n    \
                     workgroupBarrier();\n    \
                     for (var s = {}u; s > 0u; s = s >> 1u) {{\n        \
                     if (lane < s) {{ partial[lid] = combine(partial[lid], partial[lid + s]); }}\n        \
                     workgroupBarrier();\n    \
                     }}\n    \
                     if (lane == 0u && live) {{ out[P.base.y + o] = {}; }}\n}}",
                    self.lanes / 2,
                    store("partial[lid]")
                );
            }
            ReduceMode::Tree => {
                let head = self.tree_head("");
                let _ = writeln!(
                    body,
                    "{head}partial[lid] = acc;\n    \
                     workgroupBarrier();\n    \
                     for (var s = 128u; s > 0u; s = s >> 1u) {{\n        \
                     if (lid < s) {{ partial[lid] = combine(partial[lid], partial[lid + s]); }}\n        \
                     workgroupBarrier();\n    \
                     }}\n    \
                     if (lid == 0u) {{ out[P.base.y + w] = {}; }}\n}}",
                    store("partial[0]")
                );
            }
            ReduceMode::Serial => {
                // This dispatch folds reduced indices [P.window.x, P.window.y);
                // a later window resumes from the partial result in `out`, as
                // does the first one where `P.window.z` is 1 (the source
                // continues a reduced axis split across bindings).
                let (init, first) = if self.start {
                    (convert(self.output, self.acc, "in1[P.base.z]"), "0u")
                } else {
                    ("at(ob, 0u)".to_string(), "1u")
                };
                let _ = writeln!(
                    body,
                    "@compute @workgroup_size(256)\n\
                     fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, \
                     @builtin(local_invocation_index) lid: u32) {{\n    \
                     let o = (wid.y * nwg.x + wid.x) * 256u + lid;\n    \
                     if (o >= P.n_out) {{ return; }}\n    \
                     let ob = kept_offset(o);\n    \
                     var acc: {vt};\n    \
                     var first = P.window.x;\n    \
                     if (first == 0u && P.window.z == 0u) {{ acc = {init}; first = {first}; }} else {{ acc = {}; }}\n    \
                     for (var r = first; r < P.window.y; r = r + 1u) {{\n        \
                     acc = {};\n    \
                     }}\n    \
                     out[P.base.y + o] = {};\n}}",
                    convert(self.output, self.acc, "out[P.base.y + o]"),
                    narrow(self.acc, "combine(acc, at(ob, r))"),
                    store("acc")
                );
            }
            ReduceMode::Segments => {
                // This dispatch folds the part of each segment inside reduced
                // indices [P.window.x, P.window.y), resuming from `out` where
                // the segment began in an earlier window.
                let _ = writeln!(
                    body,
                    "@compute @workgroup_size(256)\n\
                     fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, \
                     @builtin(local_invocation_index) lid: u32) {{\n    \
                     let o = (wid.y * nwg.x + wid.x) * 256u + lid;\n    \
                     if (o >= P.n_out) {{ return; }}\n    \
                     let seg = o / P.groups;\n    \
                     let lo = in1[P.base.z + seg];\n    \
                     var hi = P.r_len;\n    \
                     if (seg + 1u < P.n_out / P.groups) {{ hi = in1[P.base.z + seg + 1u]; }}\n    \
                     let ob = kept_offset(o % P.groups);\n    \
                     var acc: {vt};\n    \
                     var first = lo + 1u;\n    \
                     if (lo >= P.window.x && lo < P.window.y) {{\n        \
                     acc = at(ob, lo);\n    \
                     }} else if (lo < P.window.x && hi > P.window.x) {{\n        \
                     acc = {};\n        \
                     first = P.window.x;\n    \
                     }} else {{\n        \
                     return;\n    \
                     }}\n    \
                     let end = min(hi, P.window.y);\n    \
                     for (var r = first; r < end; r = r + 1u) {{\n        \
                     acc = {};\n    \
                     }}\n    \
                     out[P.base.y + o] = {};\n}}",
                    convert(self.output, self.acc, "out[P.base.y + o]"),
                    narrow(self.acc, "combine(acc, at(ob, r))"),
                    store("acc")
                );
            }
        }
        s.push_str(&libs_for(&body));
        s.push_str(&body);
        s
    }
}

/// The WGSL subgroup builtin that computes ⊕ = `op` over values of `acc`
/// exactly as the tree would (up to a float sum's or product's order), or
/// `None`: only 32-bit value types (WGSL's subgroup operations take no
/// 64-bit ones), and not float maximum/minimum, whose NaN rules the
/// builtins do not keep.
pub fn subgroup_op(op: Scalar, acc: DType) -> Option<&'static str> {
    use Scalar::*;
    let vt = value_type(acc);
    if !matches!(vt, "i32" | "u32" | "f32") {
        return None;
    }
    if acc == DType::Bool {
        // Values are 0/1.
        return match op {
            Add | BitOr | LogicalOr | Maximum | Fmax => Some("subgroupOr"),
            Multiply | BitAnd | LogicalAnd | Minimum | Fmin => Some("subgroupAnd"),
            BitXor | LogicalXor => Some("subgroupXor"),
            _ => None,
        };
    }
    let int = vt != "f32";
    match op {
        Add => Some("subgroupAdd"),
        Multiply => Some("subgroupMul"),
        Maximum | Fmax if int => Some("subgroupMax"),
        Minimum | Fmin if int => Some("subgroupMin"),
        BitAnd if int => Some("subgroupAnd"),
        BitOr if int => Some("subgroupOr"),
        BitXor if int => Some("subgroupXor"),
        _ => None,
    }
}

/// Rounds a value of `d`'s value type to `d` itself (a serial fold keeps
/// NumPy's per-step wrap and rounding for sub-32-bit dtypes).
pub(crate) fn narrow(d: DType, e: &str) -> String {
    match d {
        DType::Int8 => format!("(bitcast<i32>(bitcast<u32>({e}) << 24u) >> 24u)"),
        DType::Int16 => format!("(bitcast<i32>(bitcast<u32>({e}) << 16u) >> 16u)"),
        DType::UInt8 => format!("(({e}) & 0xFFu)"),
        DType::UInt16 => format!("(({e}) & 0xFFFFu)"),
        DType::Float16 => format!("f16_to_f32(f32_to_f16({e}))"),
        _ => e.to_string(),
    }
}

/// The dtype results of `acc` are stored in: its value type's own dtype.
pub fn partial_dtype(acc: DType) -> DType {
    use DType::*;
    match acc {
        Bool | UInt8 | UInt16 => UInt32,
        Int8 | Int16 => Int32,
        Float16 => Float32,
        d => d,
    }
}

/// A ufunc identity as a literal of `acc`'s value type.
pub fn identity_literal(id: crate::ops::Identity, acc: DType) -> String {
    use crate::ops::Identity;
    let vt = value_type(acc);
    match (id, vt) {
        (Identity::Bool(b), _) => if b { "1u".into() } else { "0u".into() },
        (Identity::Float(f), "f64") => format!("bitcast<f64>({:#x}lu)", f.to_bits()),
        (Identity::Float(f), _) => format!("bitcast<f32>({:#x}u)", (f as f32).to_bits()),
        (Identity::Int(i), "i32") => format!("{}i", i as i32),
        (Identity::Int(i), "u32") => format!("{}u", i as i32 as u32 & mask_bits(acc)),
        (Identity::Int(i), "i64") => format!("{i}li"),
        (Identity::Int(i), "u64") => format!("{}lu", i as u64),
        (Identity::Int(i), "f64") => format!("{}.0lf", i),
        (Identity::Int(i), _) => format!("{}.0f", i),
    }
}

/// All bits of `d`'s width, as a u32 mask (bool is 1 bit).
fn mask_bits(d: DType) -> u32 {
    match d {
        DType::Bool => 1,
        DType::UInt8 => 0xFF,
        DType::UInt16 => 0xFFFF,
        _ => u32::MAX,
    }
}
