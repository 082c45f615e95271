//! `Scalar`: what one output of a ufunc computes from its inputs, per
//! element. The op table names one per output; `wgsl::exprs` and `cpu::run`
//! implement each.

/// An elementwise computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Scalar {
    // (T, T) -> T
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Remainder,
    Fmod,
    Power,
    Maximum,
    Minimum,
    Fmax,
    Fmin,
    BitAnd,
    BitOr,
    BitXor,
    LeftShift,
    RightShift,
    Gcd,
    Lcm,
    Copysign,
    Nextafter,
    Heaviside,
    Arctan2,
    Hypot,
    Logaddexp,
    Logaddexp2,
    // (T, T) -> bool
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    LogicalAnd,
    LogicalOr,
    LogicalXor,
    // T -> T
    Negative,
    Positive,
    Absolute,
    Square,
    Reciprocal,
    Sign,
    Floor,
    Ceil,
    Trunc,
    Rint,
    Sqrt,
    Exp,
    Invert,
    Deg2Rad,
    Rad2Deg,
    Spacing,
    ModfFrac,
    ModfInt,
    FrexpMant,
    Exp2,
    Expm1,
    Log,
    Log2,
    Log10,
    Log1p,
    Sin,
    Cos,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
    Arcsinh,
    Arccosh,
    Arctanh,
    Cbrt,
    // T -> bool
    LogicalNot,
    IsNan,
    IsInf,
    IsFinite,
    Signbit,
    // T -> uint8
    BitwiseCount,
    // T -> int32
    FrexpExp,
    // (T, integer) -> T
    Ldexp,
}

/// How a `Scalar`'s operands and result relate (which CPU loop runs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// (T, T) -> T
    Binary,
    /// (T, T) -> bool
    Compare,
    /// T -> T
    Unary,
    /// T -> bool
    Predicate,
    /// T -> uint8
    Count,
    /// T -> int32
    Exponent,
    /// (T, integer) -> T
    Scale,
}

impl Scalar {
    /// The transcendental functions (held to an ulp bound, not exactness).
    pub fn is_transcendental(self) -> bool {
        use Scalar::*;
        matches!(self, Exp | Power | Exp2 | Expm1 | Log | Log2 | Log10 | Log1p | Sin | Cos | Tan | Arcsin | Arccos | Arctan | Sinh | Cosh | Tanh | Arcsinh | Arccosh | Arctanh | Cbrt | Arctan2 | Hypot | Logaddexp | Logaddexp2)
    }

    /// The six order comparisons (not the logical ones).
    pub fn is_ordering(self) -> bool {
        use Scalar::*;
        matches!(self, Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual)
    }

    /// The operand shape.
    pub fn shape(self) -> Shape {
        use Scalar::*;
        match self {
            Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual | LogicalAnd | LogicalOr | LogicalXor => {
                Shape::Compare
            }
            Negative | Positive | Absolute | Square | Reciprocal | Sign | Floor | Ceil | Trunc | Rint | Sqrt | Exp
            | Invert | Deg2Rad | Rad2Deg | Spacing | ModfFrac | ModfInt | FrexpMant => Shape::Unary,
            Exp2 | Expm1 | Log | Log2 | Log10 | Log1p | Sin | Cos | Tan | Arcsin | Arccos | Arctan | Sinh | Cosh | Tanh | Arcsinh | Arccosh | Arctanh | Cbrt => Shape::Unary,
            LogicalNot | IsNan | IsInf | IsFinite | Signbit => Shape::Predicate,
            BitwiseCount => Shape::Count,
            FrexpExp => Shape::Exponent,
            Ldexp => Shape::Scale,
            _ => Shape::Binary,
        }
    }
}
