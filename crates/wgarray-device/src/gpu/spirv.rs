//! Kernels compiled to SPIR-V by wgarray itself on Vulkan, so that they can
//! declare `DenormPreserve`: WGSL lets an implementation flush subnormal
//! floats to zero, and NVIDIA's driver does for float32 unless the module
//! asks otherwise — `inf * 1e-45` became NaN, casts and sums lost subnormals.
//! NumPy keeps them, so wgarray asks for them wherever the driver can keep
//! them (`VkPhysicalDeviceFloatControlsProperties`).
//!
//! The module is what wgpu itself would produce from the WGSL (naga with
//! wgpu's options for Vulkan: bounds checks, loop bounding, integer-division
//! checks, zeroed workgroup memory) plus the float-controls declarations, and
//! goes to the driver through wgpu's passthrough path. `WGARRAY_SPIRV=0`
//! turns this off (kernels then go through wgpu's own WGSL path).

use naga::back::spv;

/// What the SPIR-V for a Vulkan device looks like: the version to emit, the
/// float widths whose `DenormPreserve` mode the module declares, and the two
/// device features wgpu enables that change naga's output (as wgpu does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloatControls {
    /// SPIR-V version (major, minor) the device accepts.
    pub lang_version: (u8, u8),
    /// Widths (16, 32, 64) declared `DenormPreserve`.
    pub preserve: Vec<u32>,
    /// `robustBufferAccess2`: the driver bounds buffer accesses, so naga needn't.
    pub robust_buffers: bool,
    /// `shaderZeroInitializeWorkgroupMemory`: the driver zeroes workgroup memory.
    pub zero_init_workgroup: bool,
}

/// The float controls of `adapter`, or `None` where wgarray leaves kernels
/// to wgpu: not Vulkan 1.2+, no float32 `DenormPreserve`, or `WGARRAY_SPIRV=0`.
/// `WGARRAY_SPIRV=1` takes this path on any Vulkan 1.2+ device, declaring
/// only the widths it supports (CI runs it so on lavapipe, which keeps
/// subnormals without declaring it can).
pub fn float_controls(adapter: &wgpu::Adapter) -> Option<FloatControls> {
    let mode = std::env::var("WGARRAY_SPIRV").unwrap_or_default();
    if mode == "0" {
        return None;
    }
    let fc = query(adapter)?;
    (fc.preserve.contains(&32) || mode == "1").then_some(fc)
}

#[cfg(not(target_arch = "wasm32"))]
fn query(adapter: &wgpu::Adapter) -> Option<FloatControls> {
    use ash::vk;

    if !adapter.features().contains(wgpu::Features::PASSTHROUGH_SHADERS) {
        return None;
    }
    // SAFETY: the HAL adapter is only read, while `adapter` lives.
    let hal = unsafe { adapter.as_hal::<wgpu::hal::api::Vulkan>() }?;
    let shared = hal.shared_instance();
    let api = hal.physical_device_capabilities().properties().api_version;
    let version = (vk::api_version_major(api), vk::api_version_minor(api));
    // Float controls are core from Vulkan 1.2 (the extension would need enabling).
    if version < (1, 2) || shared.instance_api_version() < vk::API_VERSION_1_1 {
        return None;
    }
    let (instance, pd) = (shared.raw_instance(), hal.raw_physical_device());
    let mut fc = vk::PhysicalDeviceFloatControlsProperties::default();
    let mut props = vk::PhysicalDeviceProperties2::default().push_next(&mut fc);
    // SAFETY: plain queries on a live physical device with valid chains.
    unsafe { instance.get_physical_device_properties2(pd, &mut props) };
    // The features wgpu turns on when present (wgpu-hal's adapter.rs).
    let mut robust = vk::PhysicalDeviceRobustness2FeaturesEXT::default();
    let mut zero = vk::PhysicalDeviceZeroInitializeWorkgroupMemoryFeatures::default();
    let has_robustness2 = hal.physical_device_capabilities().supports_extension(ash::ext::robustness2::NAME);
    let mut features = vk::PhysicalDeviceFeatures2::default();
    if has_robustness2 {
        features = features.push_next(&mut robust);
    }
    if version >= (1, 3) {
        features = features.push_next(&mut zero);
    }
    unsafe { instance.get_physical_device_features2(pd, &mut features) };
    let robust_buffers = has_robustness2 && robust.robust_buffer_access2 == vk::TRUE;
    let zero_init_workgroup = version >= (1, 3) && zero.shader_zero_initialize_workgroup_memory == vk::TRUE;
    let has = [
        (16, fc.shader_denorm_preserve_float16 == vk::TRUE),
        (32, fc.shader_denorm_preserve_float32 == vk::TRUE),
        (64, fc.shader_denorm_preserve_float64 == vk::TRUE),
    ];
    let preserve: Vec<u32> = match fc.denorm_behavior_independence {
        // Every width must share one mode.
        vk::ShaderFloatControlsIndependence::NONE if has.iter().all(|h| h.1) => vec![16, 32, 64],
        vk::ShaderFloatControlsIndependence::NONE => vec![],
        // 16 and 64 share a mode; 32 is free.
        vk::ShaderFloatControlsIndependence::TYPE_32_ONLY => {
            let mut v: Vec<u32> = if has[0].1 && has[2].1 { vec![16, 64] } else { vec![] };
            if has[1].1 {
                v.push(32);
            }
            v.sort_unstable();
            v
        }
        _ => has.iter().filter(|h| h.1).map(|h| h.0).collect(),
    };
    let lang_version = if version >= (1, 3) { (1, 6) } else { (1, 5) };
    Some(FloatControls { lang_version, preserve, robust_buffers, zero_init_workgroup })
}

#[cfg(target_arch = "wasm32")]
fn query(_adapter: &wgpu::Adapter) -> Option<FloatControls> {
    None
}

/// SPIR-V for the WGSL kernel `src` (entry point `main`), declaring the
/// float controls of `fc`.
pub fn compile(src: &str, fc: &FloatControls) -> Result<Vec<u32>, String> {
    patch(naga_spirv(src, fc)?, fc)
}

/// What naga writes for `src` with the options wgpu uses on the device.
fn naga_spirv(src: &str, fc: &FloatControls) -> Result<Vec<u32>, String> {
    let module = naga::front::wgsl::parse_str(src).map_err(|e| e.emit_to_string(src))?;
    let info = naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .map_err(|e| e.emit_to_string(src))?;
    let options = spv::Options {
        lang_version: fc.lang_version,
        flags: spv::WriterFlags::empty(),
        // Bindings keep their numbers: wgpu numbers Vulkan descriptors in
        // layout order, and wgarray's layouts are 0, 1, 2, … in one group.
        fake_missing_bindings: true,
        bounds_check_policies: naga::proc::BoundsCheckPolicies {
            index: naga::proc::BoundsCheckPolicy::Restrict,
            buffer: if fc.robust_buffers {
                naga::proc::BoundsCheckPolicy::Unchecked
            } else {
                naga::proc::BoundsCheckPolicy::Restrict
            },
            image_load: naga::proc::BoundsCheckPolicy::Restrict,
            binding_array: naga::proc::BoundsCheckPolicy::Unchecked,
        },
        zero_initialize_workgroup_memory: if fc.zero_init_workgroup {
            spv::ZeroInitializeWorkgroupMemoryMode::Native
        } else {
            spv::ZeroInitializeWorkgroupMemoryMode::Polyfill
        },
        force_loop_bounding: true,
        emit_int_div_checks: true,
        use_storage_input_output_16: false,
        ..Default::default()
    };
    let pipeline = spv::PipelineOptions { shader_stage: naga::ShaderStage::Compute, entry_point: "main".into() };
    spv::write_vec(&module, &info, &options, Some(&pipeline)).map_err(|e| e.to_string())
}

const OP_EXTENSION: u32 = 10;
const OP_CAPABILITY: u32 = 17;
const OP_ENTRY_POINT: u32 = 15;
const OP_EXECUTION_MODE: u32 = 16;
const CAPABILITY_DENORM_PRESERVE: u32 = 4464;
const MODE_DENORM_PRESERVE: u32 = 4459;
const HEADER_WORDS: usize = 5;

fn instruction(op: u32, operands: &[u32]) -> Vec<u32> {
    let mut v = vec![((operands.len() as u32 + 1) << 16) | op];
    v.extend_from_slice(operands);
    v
}

/// A SPIR-V literal string: UTF-8, NUL-terminated, padded to whole words.
fn literal(s: &str) -> Vec<u32> {
    let mut bytes = s.as_bytes().to_vec();
    bytes.push(0);
    bytes.resize(bytes.len().next_multiple_of(4), 0);
    bytes.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// Adds `OpCapability DenormPreserve` (and its extension before SPIR-V 1.4)
/// and one `OpExecutionMode <entry> DenormPreserve <width>` per width, each
/// in the section the SPIR-V module layout puts it.
fn patch(words: Vec<u32>, fc: &FloatControls) -> Result<Vec<u32>, String> {
    if fc.preserve.is_empty() {
        return Ok(words);
    }
    if words.len() < HEADER_WORDS {
        return Err("SPIR-V module shorter than its header".into());
    }
    // Positions of the instructions of the first sections.
    let (mut after_caps, mut after_exts, mut after_entries, mut entry) = (None, None, None, None);
    let mut at = HEADER_WORDS;
    while at < words.len() {
        let count = (words[at] >> 16) as usize;
        let op = words[at] & 0xFFFF;
        if count == 0 || at + count > words.len() {
            return Err(format!("malformed SPIR-V instruction at word {at}"));
        }
        match op {
            OP_CAPABILITY => after_caps = Some(at + count),
            OP_EXTENSION => after_exts = Some(at + count),
            OP_ENTRY_POINT => {
                entry = Some(words[at + 2]);
                after_entries = Some(at + count);
            }
            OP_EXECUTION_MODE => after_entries = Some(at + count),
            _ => {}
        }
        at += count;
    }
    let (Some(after_caps), Some(after_entries), Some(entry)) = (after_caps, after_entries, entry) else {
        return Err("SPIR-V module without capabilities or an entry point".into());
    };
    let after_exts = after_exts.unwrap_or(after_caps);
    let mut modes = Vec::new();
    for &w in &fc.preserve {
        modes.extend(instruction(OP_EXECUTION_MODE, &[entry, MODE_DENORM_PRESERVE, w]));
    }
    let mut ext = Vec::new();
    if fc.lang_version < (1, 4) {
        ext = instruction(OP_EXTENSION, &literal("SPV_KHR_float_controls"));
    }
    let cap = instruction(OP_CAPABILITY, &[CAPABILITY_DENORM_PRESERVE]);
    let mut out = Vec::with_capacity(words.len() + modes.len() + ext.len() + cap.len());
    out.extend_from_slice(&words[..after_caps]);
    out.extend(cap);
    out.extend_from_slice(&words[after_caps..after_exts]);
    out.extend(ext);
    out.extend_from_slice(&words[after_exts..after_entries]);
    out.extend(modes);
    out.extend_from_slice(&words[after_entries..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n\
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) { out[g.x] = out[g.x] * 2.0; }\n";

    /// (opcode, operands) of every instruction after the header.
    fn instructions(words: &[u32]) -> Vec<(u32, Vec<u32>)> {
        let mut at = HEADER_WORDS;
        let mut v = Vec::new();
        while at < words.len() {
            let n = (words[at] >> 16) as usize;
            v.push((words[at] & 0xFFFF, words[at + 1..at + n].to_vec()));
            at += n;
        }
        v
    }

    #[test]
    fn declarations_land_in_their_sections() {
        for (lang, widths) in [((1, 3), vec![32]), ((1, 6), vec![16, 32, 64])] {
            let fc = FloatControls { lang_version: lang, preserve: widths.clone(), robust_buffers: false, zero_init_workgroup: false };
            let ins = instructions(&compile(SRC, &fc).unwrap());
            let pos = |op: u32| ins.iter().rposition(|i| i.0 == op);
            let cap = ins.iter().position(|i| i.0 == OP_CAPABILITY && i.1 == [CAPABILITY_DENORM_PRESERVE]).unwrap();
            assert!(cap <= pos(OP_CAPABILITY).unwrap());
            assert!(ins[..cap].iter().all(|i| i.0 == OP_CAPABILITY), "capabilities come first");
            let ext = ins.iter().position(|i| i.0 == OP_EXTENSION);
            assert_eq!(ext.is_some(), lang < (1, 4), "the extension only before SPIR-V 1.4");
            if let Some(e) = ext {
                assert_eq!(ins[e].1, literal("SPV_KHR_float_controls"));
                assert!(e > pos(OP_CAPABILITY).unwrap());
            }
            let entry = ins.iter().position(|i| i.0 == OP_ENTRY_POINT).unwrap();
            let id = ins[entry].1[1];
            let modes: Vec<u32> = ins
                .iter()
                .filter(|i| i.0 == OP_EXECUTION_MODE && i.1[1] == MODE_DENORM_PRESERVE)
                .map(|i| {
                    assert_eq!(i.1[0], id);
                    i.1[2]
                })
                .collect();
            assert_eq!(modes, widths);
            let first_mode = ins.iter().position(|i| i.0 == OP_EXECUTION_MODE).unwrap();
            assert!(first_mode > entry, "execution modes follow the entry points");
            // Nothing else moved: the patched module is the original plus the new words.
            assert_eq!(ins.len(), instructions(&naga_spirv(SRC, &fc).unwrap()).len() + 1 + widths.len() + ext.is_some() as usize);
        }
    }

    #[test]
    fn literals_are_nul_terminated_words() {
        assert_eq!(literal("abc"), vec![u32::from_le_bytes(*b"abc\0")]);
        assert_eq!(literal("abcd"), vec![u32::from_le_bytes(*b"abcd"), 0]);
    }
}
