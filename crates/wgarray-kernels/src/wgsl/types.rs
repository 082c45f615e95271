//! How each dtype looks inside a WGSL kernel: the value type it is computed
//! in, how it is loaded from and stored to its (possibly byte-compact)
//! storage, and NumPy's conversions between any two of them.

use wgarray_core::DType;

/// The WGSL type values of `d` are held in. Sub-32-bit integers widen to
/// 32 bits, bool is `u32` 0/1, float16 computes in `f32`.
pub fn value_type(d: DType) -> &'static str {
    use DType::*;
    match d {
        Bool | UInt8 | UInt16 | UInt32 => "u32",
        Int8 | Int16 | Int32 => "i32",
        Int64 => "i64",
        UInt64 => "u64",
        Float16 | Float32 => "f32",
        Float64 => "f64",
    }
}

/// The element type of the storage array binding for `d`: the value type for
/// 32- and 64-bit dtypes, `u32` words for byte-compact ones.
pub fn storage_type(d: DType) -> &'static str {
    if d.is_subword() {
        "u32"
    } else {
        value_type(d)
    }
}

/// A zero of `d`'s value type.
fn zero(d: DType) -> &'static str {
    match value_type(d) {
        "u32" => "0u",
        "i32" => "0i",
        "i64" => "0li",
        "u64" => "0lu",
        "f32" => "0.0f",
        _ => "0.0lf",
    }
}

/// Expression loading operand `k` (binding `in{k}`) at position `o` (a u32
/// expression: elements for wide dtypes, bytes for byte-compact ones).
pub fn load(d: DType, k: usize, o: &str) -> String {
    if !d.is_subword() {
        return format!("in{k}[{o}]");
    }
    let word = format!("in{k}[({o}) >> 2u]");
    if d.itemsize() == 1 {
        let b = format!("(({word} >> ((({o}) & 3u) * 8u)) & 0xFFu)");
        match d {
            DType::Int8 => format!("(bitcast<i32>({b} << 24u) >> 24u)"),
            DType::Bool => format!("u32({b} != 0u)"),
            _ => b,
        }
    } else {
        let h = format!("(({word} >> ((({o}) & 2u) * 8u)) & 0xFFFFu)");
        match d {
            DType::Int16 => format!("(bitcast<i32>({h} << 16u) >> 16u)"),
            DType::Float16 => format!("f16_to_f32({h})"),
            _ => h,
        }
    }
}

/// For a byte-compact dtype: the bits (in the low byte or half of a u32)
/// that store the value `v`.
pub fn subword_bits(d: DType, v: &str) -> String {
    match d {
        DType::Float16 => format!("f32_to_f16({v})"),
        DType::Int8 | DType::Int16 => format!("(bitcast<u32>({v}) & {})", mask(d)),
        _ => format!("(({v}) & {})", mask(d)),
    }
}

/// The mask of a byte-compact dtype's bits.
pub fn mask(d: DType) -> &'static str {
    if d.itemsize() == 1 {
        "0xFFu"
    } else {
        "0xFFFFu"
    }
}

/// Converts `e`, a value of `from`, into a value of `to`, as NumPy's cast
/// does: integers wrap, floats truncate toward zero into integers (in range),
/// anything nonzero (NaN included) is True.
pub fn convert(from: DType, to: DType, e: &str) -> String {
    use DType::*;
    if from == to {
        return e.to_string();
    }
    if to == Bool {
        return match value_type(from) {
            "f32" => format!("u32(nonzero_f32({e}))"),
            "f64" => format!("u32(nonzero_f64({e}))"),
            _ => format!("u32(({e}) != {})", zero(from)),
        };
    }
    let (vf, vt) = (value_type(from), value_type(to));
    match (from.is_float(), to.is_float()) {
        (true, true) => match (from, to) {
            (Float64, Float16) => format!("f64_to_f32_odd({e})"),
            (Float64, _) => format!("f32({e})"),
            (_, Float64) => format!("f64({e})"),
            _ => e.to_string(), // float16 <-> float32: both computed as f32; the store rounds
        },
        (false, true) => match (vf, to) {
            // Large 64-bit integers would round twice through f32: they are
            // outside float16's range anyway, so a plain conversion is exact enough.
            (_, Float64) => format!("f64({e})"),
            _ => format!("f32({e})"),
        },
        // x86-64 NumPy's results, out-of-range values included (docs/casting.md).
        (true, false) => match (to, vf) {
            (Int8 | Int16 | Int32, _) => format!("{vf}_to_i32_x86({e})"),
            (UInt8 | UInt16, _) => format!("bitcast<u32>({vf}_to_i32_x86({e}))"),
            (UInt32, _) => format!("{vf}_to_u32_x86({e})"),
            (Int64, _) => format!("{vf}_to_i64_x86({e})"),
            _ => format!("{vf}_to_u64_x86({e})"),
        },
        (false, false) => int_to_int(vf, vt, e),
    }
}

/// Two's-complement wrapping between the integer value types. Narrow
/// results are masked at the store, which completes the wrap.
fn int_to_int(vf: &str, vt: &str, e: &str) -> String {
    match (vf, vt) {
        (a, b) if a == b => e.to_string(),
        ("i32", "u32") | ("u32", "i32") | ("i64", "u64") | ("u64", "i64") => format!("bitcast<{vt}>({e})"),
        ("i32", "i64") | ("u32", "u64") => format!("{vt}({e})"),
        // naga lowers i64(u32) to a sign-extending conversion: widen unsigned first.
        ("u32", "i64") => format!("bitcast<i64>(u64({e}))"),
        ("i32", "u64") => format!("bitcast<u64>(i64({e}))"),
        // 64 -> 32 bits: keep the low word.
        ("i64", "u32") | ("u64", "u32") => format!("u32(bitcast<u64>({e}) & 0xFFFFFFFFlu)"),
        ("i64", "i32") | ("u64", "i32") => format!("bitcast<i32>(u32(bitcast<u64>({e}) & 0xFFFFFFFFlu))"),
        _ => unreachable!("integer value types are i32, u32, i64, u64"),
    }
}
