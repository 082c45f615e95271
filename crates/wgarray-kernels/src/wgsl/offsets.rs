//! The index arithmetic every strided kernel shares: a WGSL function that
//! turns a C-order position over up to four axes into an element offset.

use std::fmt::Write;

const COMP: [&str; 4] = ["x", "y", "z", "w"];

/// Writes `fn {name}(i: u32) -> u32`: `base` plus the offset of position `i`
/// (C order) over `rank` axes, lengths in the vec4 `{shape}` and strides in
/// the vec4 `{strides}` (both WGSL expressions, e.g. `P.kshape`).
pub(crate) fn write_offset_fn(s: &mut String, name: &str, base: &str, shape: &str, strides: &str, rank: usize) {
    assert!(rank <= 4, "offset functions index at most four axes");
    let _ = writeln!(s, "fn {name}(i: u32) -> u32 {{");
    if rank == 0 {
        let _ = writeln!(s, "    return {base};\n}}");
        return;
    }
    let _ = writeln!(s, "    var o = {base};\n    var rem = i;");
    for d in (0..rank).rev() {
        let c = if d == 0 {
            "rem".to_string()
        } else {
            let _ = writeln!(s, "    let c{d} = rem % {shape}.{0};\n    rem = rem / {shape}.{0};", COMP[d]);
            format!("c{d}")
        };
        let _ = writeln!(s, "    o = o + {c} * bitcast<u32>({strides}.{});", COMP[d]);
    }
    s.push_str("    return o;\n}\n");
}
