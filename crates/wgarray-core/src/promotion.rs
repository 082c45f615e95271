//! NumPy 2 type promotion between two dtypes (`np.promote_types`).
//!
//! Weak Python scalars (NEP 50) are resolved by the dispatch layer before it
//! gets here; this table is for two array dtypes.

use crate::dtype::{DType, Kind};

/// The smallest float that NumPy promotes an integer of this size to.
fn float_for_int(d: DType) -> DType {
    match d.itemsize() {
        1 => DType::Float16,
        2 => DType::Float32,
        _ => DType::Float64,
    }
}

/// `np.promote_types(a, b)` for wgarray's dtypes.
pub fn promote_types(a: DType, b: DType) -> DType {
    use Kind::*;
    if a == b {
        return a;
    }
    match (a.kind(), b.kind()) {
        (Bool, _) => b,
        (_, Bool) => a,
        (Float, Float) => {
            if a.itemsize() >= b.itemsize() {
                a
            } else {
                b
            }
        }
        (Float, _) => promote_types(a, float_for_int(b)),
        (_, Float) => promote_types(float_for_int(a), b),
        (Signed, Signed) | (Unsigned, Unsigned) => {
            if a.itemsize() >= b.itemsize() {
                a
            } else {
                b
            }
        }
        (Signed, Unsigned) => mixed_sign(a, b),
        (Unsigned, Signed) => mixed_sign(b, a),
    }
}

/// A signed and an unsigned integer: the smallest signed type holding both,
/// float64 when none does (int64 with uint64).
fn mixed_sign(signed: DType, unsigned: DType) -> DType {
    if signed.itemsize() > unsigned.itemsize() {
        return signed;
    }
    DType::signed_of_size(unsigned.itemsize() * 2).unwrap_or(DType::Float64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn numpy_table_samples() {
        // Checked against numpy 2.x np.promote_types.
        let cases = [
            (Bool, Int8, Int8),
            (Int8, UInt8, Int16),
            (Int16, UInt8, Int16),
            (Int8, UInt16, Int32),
            (Int32, UInt32, Int64),
            (Int64, UInt64, Float64),
            (UInt8, Float16, Float16),
            (Int16, Float16, Float32),
            (Int32, Float32, Float64),
            (Int64, Float16, Float64),
            (Float16, Float32, Float32),
            (Float32, Float64, Float64),
            (Bool, Float16, Float16),
            (UInt64, Int8, Float64),
        ];
        for (a, b, r) in cases {
            assert_eq!(promote_types(a, b), r, "{a} {b}");
            assert_eq!(promote_types(b, a), r, "{b} {a}");
        }
    }
}

/// `np.can_cast(from, to, casting="safe")`: true when every value of `from`
/// is exactly a value of `to`, i.e. when promoting them gives `to`.
pub fn can_cast_safe(from: DType, to: DType) -> bool {
    promote_types(from, to) == to
}

#[cfg(test)]
mod cast_tests {
    use super::*;
    use DType::*;

    #[test]
    fn safe_casts() {
        assert!(can_cast_safe(Bool, Float16));
        assert!(can_cast_safe(UInt8, Int16));
        assert!(!can_cast_safe(Int8, UInt64));
        assert!(!can_cast_safe(Int32, Float32));
        assert!(can_cast_safe(Int32, Float64));
        assert!(!can_cast_safe(Float64, Int64));
    }
}

/// NumPy's casting rules, as the `casting=` keyword names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casting {
    /// Only identical dtypes.
    No,
    /// Identical dtypes (byte order aside, which wgarray does not have).
    Equiv,
    /// Only casts that keep every value.
    Safe,
    /// Safe casts, or casts within a kind (float64 → float32) or up the
    /// order bool → unsigned → signed → float.
    SameKind,
    /// Anything.
    Unsafe,
}

impl Casting {
    /// Parses NumPy's names (`"same_kind"`, …).
    pub fn parse(s: &str) -> crate::Result<Casting> {
        Ok(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => {
                return Err(crate::Error::value(
                    "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'",
                ))
            }
        })
    }

    /// NumPy's name.
    pub fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }
}

fn kind_rank(d: DType) -> u8 {
    match d.kind() {
        Kind::Bool => 0,
        Kind::Unsigned => 1,
        Kind::Signed => 2,
        Kind::Float => 3,
    }
}

/// `np.can_cast(from, to, casting)`.
pub fn can_cast(from: DType, to: DType, casting: Casting) -> bool {
    match casting {
        Casting::No | Casting::Equiv => from == to,
        Casting::Safe => can_cast_safe(from, to),
        Casting::SameKind => can_cast_safe(from, to) || kind_rank(from) <= kind_rank(to),
        Casting::Unsafe => true,
    }
}

#[cfg(test)]
mod casting_tests {
    use super::*;
    use DType::*;

    #[test]
    fn same_kind_as_numpy() {
        assert!(can_cast(Float64, Float16, Casting::SameKind));
        assert!(can_cast(UInt64, Int8, Casting::SameKind));
        assert!(!can_cast(Int8, UInt64, Casting::SameKind));
        assert!(!can_cast(Float32, Int64, Casting::SameKind));
        assert!(can_cast(Bool, UInt8, Casting::SameKind));
        assert!(!can_cast(Int8, Bool, Casting::SameKind));
    }
}
