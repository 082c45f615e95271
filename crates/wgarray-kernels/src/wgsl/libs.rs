//! WGSL helper libraries from `shaders/`: fixed ones, and templates
//! instantiated per value type (`int_ops.wgsl` for i32/i64, `uint_ops.wgsl`
//! for u32/u64, `float_ops.wgsl` for f32/f64). A kernel includes a library
//! when its code, or a library it already includes, calls a function the
//! library defines — so no kernel carries 64-bit code it does not use, which
//! devices without the feature would reject.

use std::sync::OnceLock;

const FIXED: &[&str] = &[
    include_str!("../../../../shaders/bits.wgsl"),
    include_str!("../../../../shaders/bits64.wgsl"),
    include_str!("../../../../shaders/f16.wgsl"),
    include_str!("../../../../shaders/f64_narrow.wgsl"),
    include_str!("../../../../shaders/exp_f32.wgsl"),
    include_str!("../../../../shaders/exp_f64.wgsl"),
    include_str!("../../../../shaders/transcendental_f64.wgsl"),
    include_str!("../../../../shaders/trig_f64.wgsl"),
    include_str!("../../../../shaders/trig_f32.wgsl"),
    include_str!("../../../../shaders/pow_f64.wgsl"),
    include_str!("../../../../shaders/transcendental_f32.wgsl"),
    include_str!("../../../../shaders/pow_f32.wgsl"),
    include_str!("../../../../shaders/float_to_int.wgsl"),
    include_str!("../../../../shaders/float_to_int64.wgsl"),
    include_str!("../../../../shaders/f64_to_int.wgsl"),
    include_str!("../../../../shaders/f16_ops.wgsl"),
    include_str!("../../../../shaders/div_f32.wgsl"),
];

const INT_OPS: &str = include_str!("../../../../shaders/int_ops.wgsl");
const UINT_OPS: &str = include_str!("../../../../shaders/uint_ops.wgsl");
const FLOAT_OPS: &str = include_str!("../../../../shaders/float_ops.wgsl");

fn instantiate(template: &str, params: &[(&str, &str)]) -> String {
    // Longest placeholder first, so `$BIAS` is not read as `$B` + `IAS`.
    let mut params = params.to_vec();
    params.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    let mut s = template.to_string();
    for (k, v) in params {
        s = s.replace(k, v);
    }
    s
}

struct Lib {
    functions: Vec<String>,
    source: String,
}

fn functions(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| l.trim_start().strip_prefix("fn "))
        .filter_map(|rest| rest.split('(').next())
        .map(|name| name.trim().to_string())
        .collect()
}

fn all() -> &'static [Lib] {
    static LIBS: OnceLock<Vec<Lib>> = OnceLock::new();
    LIBS.get_or_init(|| {
        let mut sources: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
        sources.push(instantiate(INT_OPS, &[("$T", "i32"), ("$S", "i32"), ("$Z", "0i"), ("$O", "1i"), ("$BITS", "32i"), ("$MIN", "bitcast<i32>(0x80000000u)"), ("$U", "u32")]));
        sources.push(instantiate(INT_OPS, &[("$T", "i64"), ("$S", "i64"), ("$Z", "0li"), ("$O", "1li"), ("$BITS", "64li"), ("$MIN", "bitcast<i64>(0x8000000000000000lu)"), ("$U", "u64")]));
        sources.push(instantiate(UINT_OPS, &[("$T", "u32"), ("$S", "u32"), ("$Z", "0u"), ("$O", "1u"), ("$BITS", "32u")]));
        sources.push(instantiate(UINT_OPS, &[("$T", "u64"), ("$S", "u64"), ("$Z", "0lu"), ("$O", "1lu"), ("$BITS", "64lu")]));
        sources.push(instantiate(FLOAT_OPS, &[
            ("$F", "f32"), ("$S", "f32"), ("$B", "u32"), ("$MANTMASK", "0x007FFFFFu"), ("$MANT", "23u"), ("$BIAS", "127"),
            ("$FZ", "0.0f"), ("$FO", "1.0f"), ("$BZ", "0u"), ("$BO", "1u"), ("$SIGN", "0x80000000u"),
            ("$EXPBITS", "0x7F800000u"), ("$IMPL", "0x00800000u"), ("$DIV", "div_rn_f32(a, b)"),
        ]));
        sources.push(instantiate(FLOAT_OPS, &[
            ("$F", "f64"), ("$S", "f64"), ("$B", "u64"), ("$MANTMASK", "0x000FFFFFFFFFFFFFlu"), ("$MANT", "52u"), ("$BIAS", "1023"),
            ("$FZ", "0.0lf"), ("$FO", "1.0lf"), ("$BZ", "0lu"), ("$BO", "1lu"), ("$SIGN", "0x8000000000000000lu"),
            ("$EXPBITS", "0x7FF0000000000000lu"), ("$IMPL", "0x0010000000000000lu"), ("$DIV", "a / b"),
        ]));
        sources.into_iter().map(|source| Lib { functions: functions(&source), source }).collect()
    })
}

/// True when `text` calls `name` (an identifier boundary before it, `(` after).
fn calls(text: &str, name: &str) -> bool {
    let pat = format!("{name}(");
    text.match_indices(&pat).any(|(i, _)| {
        text[..i].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// The libraries `code` needs, in a fixed order, closed over their own calls.
pub fn libs_for(code: &str) -> String {
    let libs = all();
    let mut used = vec![false; libs.len()];
    loop {
        let text: String = std::iter::once(code)
            .chain(libs.iter().zip(&used).filter(|(_, &u)| u).map(|(l, _)| l.source.as_str()))
            .collect();
        let mut changed = false;
        for (i, lib) in libs.iter().enumerate() {
            if !used[i] && lib.functions.iter().any(|n| calls(&text, n)) {
                used[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    libs.iter().zip(used).filter(|(_, u)| *u).map(|(l, _)| l.source.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_need_an_identifier_boundary() {
        assert!(calls("x = nan_f64(a)", "nan_f64"));
        assert!(!calls("x = isnan_f64(a)", "nan_f64"));
        assert!(calls("(nan_f64(a))", "nan_f64"));
    }

    #[test]
    fn templates_leave_no_placeholder() {
        for lib in all() {
            assert!(!lib.source.contains('$'), "{}", &lib.source[..200.min(lib.source.len())]);
        }
    }

    #[test]
    fn function_names_are_unique_across_libraries() {
        let mut seen = std::collections::HashSet::new();
        for lib in all() {
            for f in &lib.functions {
                assert!(seen.insert(f.clone()), "{f} defined twice");
            }
        }
    }
}
