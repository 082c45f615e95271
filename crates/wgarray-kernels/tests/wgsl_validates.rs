//! Every WGSL kernel wgarray can generate parses and validates with naga —
//! no GPU needed. Casts between every pair of dtypes in every output mode,
//! and every loop of every ufunc in the op table.

use naga::valid::{Capabilities, ValidationFlags, Validator};
use wgarray_core::DType;
use wgarray_kernels::wgsl::{MapKernel, OutMode};
use wgarray_kernels::UFUNCS;

fn validate(k: &MapKernel) {
    validate_with(k, Capabilities::FLOAT64 | Capabilities::SHADER_INT64);
}

fn validate_with(k: &MapKernel, caps: Capabilities) {
    let src = k.source();
    let module = naga::front::wgsl::parse_str(&src).unwrap_or_else(|e| panic!("{}\n{}\n{src}", k.key(), e.emit_to_string(&src)));
    Validator::new(ValidationFlags::all(), caps)
        .validate(&module)
        .unwrap_or_else(|e| panic!("{}\n{:?}\n{src}", k.key(), e));
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
                        inputs: vec![from],
                        loop_in: vec![from],
                        loop_out: from,
                        output: to,
                        expr: "a0".into(),
                        rank,
                        mode,
                    });
                }
            }
        }
    }
}

#[test]
fn every_ufunc_loop_validates() {
    for u in UFUNCS {
        for lp in u.loops() {
            for mode in modes(lp.output) {
                validate(&MapKernel {
                    inputs: lp.inputs.clone(),
                    loop_in: lp.inputs.clone(),
                    loop_out: lp.output,
                    output: lp.output,
                    expr: (u.wgsl)(lp.output),
                    rank: 2,
                    mode,
                });
            }
        }
    }
}

/// Kernels over 32-bit-or-smaller dtypes carry no 64-bit code, so devices
/// without SHADER_F64/SHADER_INT64 accept them.
#[test]
fn narrow_kernels_need_no_64_bit_features() {
    let narrow: Vec<DType> = DType::ALL.into_iter().filter(|d| d.itemsize() <= 4).collect();
    for &from in &narrow {
        for &to in &narrow {
            for mode in modes(to) {
                let k = MapKernel {
                    inputs: vec![from],
                    loop_in: vec![from],
                    loop_out: from,
                    output: to,
                    expr: "a0".into(),
                    rank: 2,
                    mode,
                };
                validate_with(&k, Capabilities::empty());
            }
        }
    }
    for u in UFUNCS {
        for lp in u.loops().filter(|l| l.output.itemsize() <= 4) {
            for mode in modes(lp.output) {
                let k = MapKernel {
                    inputs: lp.inputs.clone(),
                    loop_in: lp.inputs.clone(),
                    loop_out: lp.output,
                    output: lp.output,
                    expr: (u.wgsl)(lp.output),
                    rank: 1,
                    mode,
                };
                validate_with(&k, Capabilities::empty());
            }
        }
    }
}
