//! The entries. Loop lists are NumPy 2's (`np.<ufunc>.types`), restricted to
//! wgarray's dtypes and deduplicated, in NumPy's order; a test checks them
//! against NumPy.

use super::Identity::{Bool, Float, Int};
use super::Scalar::*;
use super::Rule::{BoolRefused, IntegersToFloat64, NegativeIntegerExponent, NoBoolLoop, Reorderable};
use super::{Core, Ufunc};

const ARITH: &[&str] = &["??->?", "bb->b", "BB->B", "hh->h", "HH->H", "ii->i", "II->I", "ll->l", "LL->L", "ee->e", "ff->f", "dd->d"];
const NUMERIC: &[&str] = &["bb->b", "BB->B", "hh->h", "HH->H", "ii->i", "II->I", "ll->l", "LL->L", "ee->e", "ff->f", "dd->d"];
const INTS2: &[&str] = &["bb->b", "BB->B", "hh->h", "HH->H", "ii->i", "II->I", "ll->l", "LL->L"];
const BITS2: &[&str] = &["??->?", "bb->b", "BB->B", "hh->h", "HH->H", "ii->i", "II->I", "ll->l", "LL->L"];
const FLOAT2: &[&str] = &["ee->e", "ff->f", "dd->d"];
const COMPARE: &[&str] = &["??->?", "bb->?", "BB->?", "hh->?", "HH->?", "ii->?", "II->?", "ll->?", "LL->?", "ee->?", "ff->?", "dd->?"];
const NUMERIC1: &[&str] = &["b->b", "B->B", "h->h", "H->H", "i->i", "I->I", "l->l", "L->L", "e->e", "f->f", "d->d"];
const ALL1: &[&str] = &["?->?", "b->b", "B->B", "h->h", "H->H", "i->i", "I->I", "l->l", "L->L", "e->e", "f->f", "d->d"];
const FLOAT1: &[&str] = &["e->e", "f->f", "d->d"];
const PREDICATE: &[&str] = &["?->?", "b->?", "B->?", "h->?", "H->?", "i->?", "I->?", "l->?", "L->?", "e->?", "f->?", "d->?"];

macro_rules! u {
    ($name:literal, $nin:literal, $nout:literal, $id:expr, $types:expr, [$($out:expr),+]) => {
        u!($name, $nin, $nout, $id, $types, [$($out),+], [])
    };
    ($name:literal, $nin:literal, $nout:literal, $id:expr, $types:expr, [$($out:expr),+], [$($rule:expr),*]) => {
        Ufunc { name: $name, nin: $nin, nout: $nout, identity: $id, types: $types, outputs: &[$($out),+], core: None, rules: &[$($rule),*] }
    };
}

macro_rules! g {
    ($name:literal, $core:expr) => {
        Ufunc { name: $name, nin: 2, nout: 1, identity: None, types: ARITH, outputs: &[Multiply], core: Some($core), rules: &[] }
    };
}

/// Every ufunc wgarray implements.
pub static UFUNCS: &[Ufunc] = &[
    u!("add", 2, 1, Some(Int(0)), ARITH, [Add]),
    u!("subtract", 2, 1, None, NUMERIC, [Subtract], [BoolRefused("numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")]),
    u!("multiply", 2, 1, Some(Int(1)), ARITH, [Multiply]),
    u!("divide", 2, 1, None, FLOAT2, [Divide], [IntegersToFloat64]),
    u!("floor_divide", 2, 1, None, NUMERIC, [FloorDivide]),
    u!("remainder", 2, 1, None, NUMERIC, [Remainder]),
    u!("fmod", 2, 1, None, NUMERIC, [Fmod]),
    u!("divmod", 2, 2, None, &["bb->bb", "BB->BB", "hh->hh", "HH->HH", "ii->ii", "II->II", "ll->ll", "LL->LL", "ee->ee", "ff->ff", "dd->dd"], [FloorDivide, Remainder]),
    u!("power", 2, 1, None, NUMERIC, [Power], [NegativeIntegerExponent]),
    u!("maximum", 2, 1, None, ARITH, [Maximum], [Reorderable]),
    u!("minimum", 2, 1, None, ARITH, [Minimum], [Reorderable]),
    u!("fmax", 2, 1, None, ARITH, [Fmax], [Reorderable]),
    u!("fmin", 2, 1, None, ARITH, [Fmin], [Reorderable]),
    u!("bitwise_and", 2, 1, Some(Int(-1)), BITS2, [BitAnd]),
    u!("bitwise_or", 2, 1, Some(Int(0)), BITS2, [BitOr]),
    u!("bitwise_xor", 2, 1, Some(Int(0)), BITS2, [BitXor]),
    u!("left_shift", 2, 1, None, INTS2, [LeftShift]),
    u!("right_shift", 2, 1, None, INTS2, [RightShift]),
    u!("gcd", 2, 1, Some(Int(0)), INTS2, [Gcd], [NoBoolLoop]),
    u!("lcm", 2, 1, None, INTS2, [Lcm], [NoBoolLoop]),
    u!("copysign", 2, 1, None, FLOAT2, [Copysign]),
    u!("nextafter", 2, 1, None, FLOAT2, [Nextafter]),
    u!("heaviside", 2, 1, None, FLOAT2, [Heaviside]),
    u!("equal", 2, 1, None, COMPARE, [Equal]),
    u!("not_equal", 2, 1, None, COMPARE, [NotEqual]),
    u!("less", 2, 1, None, COMPARE, [Less]),
    u!("less_equal", 2, 1, None, COMPARE, [LessEqual]),
    u!("greater", 2, 1, None, COMPARE, [Greater]),
    u!("greater_equal", 2, 1, None, COMPARE, [GreaterEqual]),
    u!("logical_and", 2, 1, Some(Bool(true)), COMPARE, [LogicalAnd]),
    u!("logical_or", 2, 1, Some(Bool(false)), COMPARE, [LogicalOr]),
    u!("logical_xor", 2, 1, Some(Bool(false)), COMPARE, [LogicalXor]),
    u!("logical_not", 1, 1, None, PREDICATE, [LogicalNot]),
    u!("negative", 1, 1, None, NUMERIC1, [Negative], [BoolRefused("The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.")]),
    u!("positive", 1, 1, None, NUMERIC1, [Positive], [NoBoolLoop]),
    u!("absolute", 1, 1, None, ALL1, [Absolute]),
    u!("fabs", 1, 1, None, FLOAT1, [Absolute]),
    u!("square", 1, 1, None, NUMERIC1, [Square]),
    u!("reciprocal", 1, 1, None, NUMERIC1, [Reciprocal]),
    u!("sign", 1, 1, None, NUMERIC1, [Sign], [NoBoolLoop]),
    u!("conjugate", 1, 1, None, NUMERIC1, [Positive]),
    u!("floor", 1, 1, None, ALL1, [Floor]),
    u!("ceil", 1, 1, None, ALL1, [Ceil]),
    u!("trunc", 1, 1, None, ALL1, [Trunc]),
    u!("rint", 1, 1, None, FLOAT1, [Rint]),
    u!("sqrt", 1, 1, None, FLOAT1, [Sqrt]),
    u!("exp", 1, 1, None, FLOAT1, [Exp]),
    u!("invert", 1, 1, None, &["?->?", "b->b", "B->B", "h->h", "H->H", "i->i", "I->I", "l->l", "L->L"], [Invert]),
    u!("bitwise_count", 1, 1, None, &["b->B", "B->B", "h->B", "H->B", "i->B", "I->B", "l->B", "L->B"], [BitwiseCount]),
    u!("isnan", 1, 1, None, PREDICATE, [IsNan]),
    u!("isinf", 1, 1, None, PREDICATE, [IsInf]),
    u!("isfinite", 1, 1, None, PREDICATE, [IsFinite]),
    u!("signbit", 1, 1, None, &["e->?", "f->?", "d->?"], [Signbit]),
    u!("deg2rad", 1, 1, None, FLOAT1, [Deg2Rad]),
    u!("radians", 1, 1, None, FLOAT1, [Deg2Rad]),
    u!("rad2deg", 1, 1, None, FLOAT1, [Rad2Deg]),
    u!("degrees", 1, 1, None, FLOAT1, [Rad2Deg]),
    u!("spacing", 1, 1, None, FLOAT1, [Spacing]),
    u!("modf", 1, 2, None, &["e->ee", "f->ff", "d->dd"], [ModfFrac, ModfInt]),
    u!("frexp", 1, 2, None, &["e->ei", "f->fi", "d->di"], [FrexpMant, FrexpExp]),
    u!("ldexp", 2, 1, None, &["ei->e", "fi->f", "el->e", "fl->f", "di->d", "dl->d"], [Ldexp]),
    u!("exp2", 1, 1, None, FLOAT1, [Exp2]),
    u!("expm1", 1, 1, None, FLOAT1, [Expm1]),
    u!("log", 1, 1, None, FLOAT1, [Log]),
    u!("log2", 1, 1, None, FLOAT1, [Log2]),
    u!("log10", 1, 1, None, FLOAT1, [Log10]),
    u!("log1p", 1, 1, None, FLOAT1, [Log1p]),
    u!("sin", 1, 1, None, FLOAT1, [Sin]),
    u!("cos", 1, 1, None, FLOAT1, [Cos]),
    u!("tan", 1, 1, None, FLOAT1, [Tan]),
    u!("arcsin", 1, 1, None, FLOAT1, [Arcsin]),
    u!("arccos", 1, 1, None, FLOAT1, [Arccos]),
    u!("arctan", 1, 1, None, FLOAT1, [Arctan]),
    u!("sinh", 1, 1, None, FLOAT1, [Sinh]),
    u!("cosh", 1, 1, None, FLOAT1, [Cosh]),
    u!("tanh", 1, 1, None, FLOAT1, [Tanh]),
    u!("arcsinh", 1, 1, None, FLOAT1, [Arcsinh]),
    u!("arccosh", 1, 1, None, FLOAT1, [Arccosh]),
    u!("arctanh", 1, 1, None, FLOAT1, [Arctanh]),
    u!("cbrt", 1, 1, None, FLOAT1, [Cbrt]),
    u!("arctan2", 2, 1, None, FLOAT2, [Arctan2]),
    u!("hypot", 2, 1, Some(Int(0)), FLOAT2, [Hypot]),
    u!("logaddexp", 2, 1, Some(Float(f64::NEG_INFINITY)), FLOAT2, [Logaddexp]),
    u!("logaddexp2", 2, 1, Some(Float(f64::NEG_INFINITY)), FLOAT2, [Logaddexp2]),
    u!("float_power", 2, 1, None, &["dd->d"], [Power]),
    g!("matmul", Core::MatMul),
    g!("vecdot", Core::VecDot),
    g!("matvec", Core::MatVec),
    g!("vecmat", Core::VecMat),
];

/// NumPy's other names for these ufuncs, and the array API's.
pub static ALIASES: &[(&str, &str)] = &[
    ("true_divide", "divide"),
    ("mod", "remainder"),
    ("abs", "absolute"),
    ("conj", "conjugate"),
    ("bitwise_not", "invert"),
    ("bitwise_invert", "invert"),
    ("bitwise_left_shift", "left_shift"),
    ("bitwise_right_shift", "right_shift"),
    ("pow", "power"),
    ("acos", "arccos"),
    ("acosh", "arccosh"),
    ("asin", "arcsin"),
    ("asinh", "arcsinh"),
    ("atan", "arctan"),
    ("atan2", "arctan2"),
    ("atanh", "arctanh"),
];
