//! WGSL generation. Every kernel is one instance of the strided map family
//! (`map.rs`), specialised on operand dtypes, rank and output mode; the
//! helpers it needs come from `shaders/*.wgsl`.

pub mod map;
pub mod types;

pub use map::{MapKernel, OutMode, MAX_OPERANDS, MAX_RANK};

/// WGSL helper libraries from `shaders/`, each with the functions it
/// defines. A kernel includes a library when its code (or a library it
/// already includes) calls one of them — so no kernel carries 64-bit code
/// it does not use, which devices without the feature would reject.
pub const LIBS: &[(&[&str], &str)] = &[
    (&["isnan_f32", "nonzero_f32", "f16_to_f32", "f32_to_f16"], include_str!("../../../../shaders/f16.wgsl")),
    (&["isnan_f64", "nonzero_f64", "f64_to_f32_odd"], include_str!("../../../../shaders/f64_narrow.wgsl")),
    (&["exp_f32", "pow2_f32"], include_str!("../../../../shaders/exp_f32.wgsl")),
    (&["exp_f64", "pow2_f64"], include_str!("../../../../shaders/exp_f64.wgsl")),
    (&["f32_to_i32_x86", "f32_to_u32_x86"], include_str!("../../../../shaders/float_to_int.wgsl")),
    (&["f32_to_i64_x86", "f32_to_u64_x86"], include_str!("../../../../shaders/float_to_int64.wgsl")),
    (
        &["f64_to_i32_x86", "f64_to_u32_x86", "f64_to_i64_x86", "f64_to_u64_x86"],
        include_str!("../../../../shaders/f64_to_int.wgsl"),
    ),
];

/// The libraries `code` needs, in `LIBS` order, closed over their own calls.
pub fn libs_for(code: &str) -> String {
    let mut used = vec![false; LIBS.len()];
    loop {
        let text: String = std::iter::once(code)
            .chain(LIBS.iter().zip(&used).filter(|(_, &u)| u).map(|((_, src), _)| *src))
            .collect();
        let mut changed = false;
        for (i, (names, _)) in LIBS.iter().enumerate() {
            if !used[i] && names.iter().any(|n| text.contains(&format!("{n}("))) {
                used[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    LIBS.iter().zip(used).filter(|(_, u)| *u).map(|((_, src), _)| *src).collect()
}
