//! The WGSL expression of every op-table `Scalar`, per loop: an expression
//! over `a0`, `a1` (values of the loop's input dtypes, see `types.rs`)
//! giving a value of the output's dtype. Helpers come from `libs.rs`.

use wgarray_core::{DType, Kind};

use super::types::value_type;
use crate::ops::{Loop, Scalar, Scalar::*};

fn lit(vt: &str, v: i32) -> String {
    match vt {
        "i32" => format!("{v}i"),
        "u32" => format!("{v}u"),
        "i64" => format!("{v}li"),
        "u64" => format!("{v}lu"),
        "f32" => format!("{v}.0f"),
        _ => format!("{v}.0lf"),
    }
}

/// The expression for `op` in loop `lp`, or `None` where wgarray has no GPU
/// kernel for it yet.
pub fn expr(op: Scalar, lp: &Loop) -> Option<String> {
    let d = lp.inputs[0];
    let vt = value_type(d);
    let kind = d.kind();
    let float = kind == Kind::Float;
    let boolean = kind == Kind::Bool;
    let unsigned = kind == Kind::Unsigned;
    let f16 = d == DType::Float16;
    if op.is_ordering() && lp.inputs.len() == 2 && lp.inputs[0] != lp.inputs[1] {
        return Some(mixed_compare(op, lp.inputs[0] == DType::Int64));
    }
    let truthy = |a: &str| if float { format!("nonzero_{vt}({a})") } else { format!("({a} != {})", lit(vt, 0)) };
    let e = match op {
        Add => if boolean { "a0 | a1".into() } else { "a0 + a1".into() },
        Subtract => "a0 - a1".into(),
        Multiply => if boolean { "a0 & a1".into() } else { "a0 * a1".into() },
        // Correctly rounded also where the driver's division is not (shaders/div_f32.wgsl).
        Divide => if float { format!("div_{vt}(a0, a1)") } else { "a0 / a1".into() },
        FloorDivide => if float { format!("divmod_q_{vt}(a0, a1)") } else { format!("floordiv_{vt}(a0, a1)") },
        Remainder => if float { format!("divmod_r_{vt}(a0, a1)") } else { format!("rem_{vt}(a0, a1)") },
        Fmod => format!("fmod_{vt}(a0, a1)"),
        // Integers: shaders/int_ops.wgsl; floats: pow_f64.wgsl and pow_f32.wgsl
        // (float16 computes in float32).
        Power => format!("pow_{vt}(a0, a1)"),
        Maximum | Minimum | Fmax | Fmin if float => {
            let name = match op { Maximum => "maximum", Minimum => "minimum", Fmax => "fmax", _ => "fmin" };
            format!("{name}_{vt}(a0, a1)")
        }
        Maximum | Fmax => "max(a0, a1)".into(),
        Minimum | Fmin => "min(a0, a1)".into(),
        BitAnd => "a0 & a1".into(),
        BitOr => "a0 | a1".into(),
        BitXor => "a0 ^ a1".into(),
        LeftShift => format!("shl_{vt}(a0, a1)"),
        RightShift => format!("shr_{vt}(a0, a1)"),
        Gcd => format!("gcd_{vt}(a0, a1)"),
        Lcm => format!("lcm_{vt}(a0, a1)"),
        Copysign => format!("copysign_{vt}(a0, a1)"),
        Nextafter => if f16 { "nextafter_f16(a0, a1)".into() } else { format!("nextafter_{vt}(a0, a1)") },
        Heaviside => format!("heaviside_{vt}(a0, a1)"),
        Equal => if float { format!("u32(eq_{vt}(a0, a1))") } else { "u32(a0 == a1)".into() },
        NotEqual => if float { format!("u32(!eq_{vt}(a0, a1))") } else { "u32(a0 != a1)".into() },
        Less => if float { format!("u32(lt_{vt}(a0, a1))") } else { "u32(a0 < a1)".into() },
        LessEqual => if float { format!("u32(le_{vt}(a0, a1))") } else { "u32(a0 <= a1)".into() },
        Greater => if float { format!("u32(lt_{vt}(a1, a0))") } else { "u32(a0 > a1)".into() },
        GreaterEqual => if float { format!("u32(le_{vt}(a1, a0))") } else { "u32(a0 >= a1)".into() },
        LogicalAnd => format!("u32({} && {})", truthy("a0"), truthy("a1")),
        LogicalOr => format!("u32({} || {})", truthy("a0"), truthy("a1")),
        LogicalXor => format!("u32({} != {})", truthy("a0"), truthy("a1")),
        LogicalNot => format!("u32(!{})", truthy("a0")),
        Negative => if unsigned { format!("{} - a0", lit(vt, 0)) } else { "-a0".into() },
        Positive => "a0".into(),
        Absolute => if float { format!("fabs_{vt}(a0)") } else if unsigned || boolean { "a0".into() } else { "abs(a0)".into() },
        Square => "a0 * a0".into(),
        Reciprocal => if float { format!("div_{vt}({}, a0)", lit(vt, 1)) } else { format!("reciprocal_{vt}(a0)") },
        Sign => {
            if unsigned {
                format!("select({}, {}, a0 > {})", lit(vt, 0), lit(vt, 1), lit(vt, 0))
            } else {
                format!("sign_{vt}(a0)")
            }
        }
        Floor | Ceil | Trunc if !float => "a0".into(),
        Floor => "floor(a0)".into(),
        Ceil => "ceil(a0)".into(),
        Trunc => "trunc(a0)".into(),
        Rint => "round(a0)".into(),
        Sqrt => "sqrt(a0)".into(),
        Exp => format!("exp_{vt}(a0)"),
        Invert => if boolean { "a0 ^ 1u".into() } else { "~a0".into() },
        Deg2Rad | Rad2Deg => {
            // NumPy's constants, computed in the type's own precision.
            let deg2rad = op == Deg2Rad;
            if vt == "f64" {
                let pi = std::f64::consts::PI;
                let c = if deg2rad { pi / 180.0 } else { 180.0 / pi };
                format!("a0 * bitcast<f64>({:#x}lu)", c.to_bits())
            } else {
                let pi = std::f64::consts::PI as f32;
                let c = if deg2rad { pi / 180.0 } else { 180.0 / pi };
                format!("a0 * bitcast<f32>({:#x}u)", c.to_bits())
            }
        }
        Spacing => if f16 { "spacing_f16(a0)".into() } else { format!("spacing_{vt}(a0)") },
        ModfFrac => format!("modf_frac_{vt}(a0)"),
        ModfInt => "trunc(a0)".into(),
        FrexpMant => format!("frexp_mant_{vt}(a0)"),
        FrexpExp => format!("frexp_exp_{vt}(a0)"),
        IsNan => if float { format!("u32(isnan_{vt}(a0))") } else { "0u".into() },
        IsInf => if float { format!("u32(isinf_{vt}(a0))") } else { "0u".into() },
        IsFinite => if float { format!("u32(isfinite_{vt}(a0))") } else { "1u".into() },
        Signbit => format!("u32(signbit_{vt}(a0))"),
        BitwiseCount => format!("popcount_{vt}(a0)"),
        Exp2 | Expm1 | Log | Log2 | Log10 | Log1p | Sinh | Cosh | Tanh | Arcsinh | Arccosh | Arctanh | Cbrt | Hypot | Logaddexp | Logaddexp2 | Arcsin | Arccos | Arctan | Arctan2 | Sin | Cos | Tan => {
            // Helpers of our own per width (shaders/transcendental_f64.wgsl,
            // transcendental_f32.wgsl, trig_*.wgsl); float16 computes in float32.
            let args = if lp.inputs.len() == 2 { "a0, a1" } else { "a0" };
            format!("{}_{vt}({args})", op_name(op))
        }
        Ldexp => {
            let n = if lp.inputs[1] == DType::Int64 { "i32(clamp(a1, -100000li, 100000li))" } else { "a1" };
            if f16 { format!("ldexp_f16(a0, {n})") } else { format!("ldexp_{vt}(a0, {n})") }
        }
    };
    Some(e)
}

/// int64 against uint64 exactly: a negative int64 is below every uint64,
/// otherwise both compare as u64.
fn mixed_compare(op: Scalar, signed_first: bool) -> String {
    // Normalise to (i, u) = (the int64, the uint64) and whether they swapped.
    let (i, u) = if signed_first { ("a0", "a1") } else { ("a1", "a0") };
    let eq = format!("({i} >= 0li && bitcast<u64>({i}) == {u})");
    let i_lt_u = format!("({i} < 0li || bitcast<u64>({i}) < {u})");
    let i_le_u = format!("({i} < 0li || bitcast<u64>({i}) <= {u})");
    let (lt, le, gt, ge) = if signed_first {
        (i_lt_u.clone(), i_le_u.clone(), format!("!{i_le_u}"), format!("!{i_lt_u}"))
    } else {
        (format!("!{i_le_u}"), format!("!{i_lt_u}"), i_lt_u.clone(), i_le_u.clone())
    };
    let e = match op {
        Equal => eq,
        NotEqual => format!("!{eq}"),
        Less => lt,
        LessEqual => le,
        Greater => gt,
        _ => ge,
    };
    format!("u32({e})")
}

/// The helper-function stem of a transcendental `Scalar` (`log1p` for `Log1p`).
fn op_name(op: Scalar) -> &'static str {
    match op {
        Exp2 => "exp2",
        Expm1 => "expm1",
        Log => "log",
        Log2 => "log2",
        Log10 => "log10",
        Log1p => "log1p",
        Sinh => "sinh",
        Cosh => "cosh",
        Tanh => "tanh",
        Arcsinh => "arcsinh",
        Arccosh => "arccosh",
        Arctanh => "arctanh",
        Cbrt => "cbrt",
        Hypot => "hypot",
        Logaddexp => "logaddexp",
        Logaddexp2 => "logaddexp2",
        Sin => "sin",
        Cos => "cos",
        Tan => "tan",
        Arcsin => "arcsin",
        Arccos => "arccos",
        Arctan => "arctan",
        Arctan2 => "arctan2",
        _ => unreachable!("no helper for {op:?}"),
    }
}
