//! The dispatch layer on every device present: the CPU device and each GPU
//! adapter (lavapipe in CI, where a missing adapter fails the run).

use half::f16;
use wgarray_dispatch::{Array, DType, Device, IndexItem};

fn devices() -> Vec<Device> {
    let mut v = vec![Device::Cpu];
    let gpus = wgarray_device::adapters();
    if gpus.is_empty() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but wgpu found no GPU adapter: install Mesa's lavapipe (mesa-vulkan-drivers)");
    }
    for a in gpus {
        v.push(Device::parse(&a.name()).unwrap());
    }
    v
}

fn f32s(a: &Array) -> Vec<f32> {
    a.to_host_bytes().unwrap().chunks(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect()
}

fn bytes_f32(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

#[test]
fn add_broadcast_and_exp() {
    for dev in devices() {
        let a = Array::from_host(&bytes_f32(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), &[2, 3], DType::Float32, &dev).unwrap();
        let b = Array::from_host(&bytes_f32(&[10.0, 20.0, 30.0]), &[3], DType::Float32, &dev).unwrap();
        let c = &Array::ufunc("add", &[&a, &b]).unwrap()[0];
        assert_eq!(f32s(c), vec![11.0, 22.0, 33.0, 14.0, 25.0, 36.0], "{dev:?}");
        let t = a.permute(None).unwrap();
        let m = &Array::ufunc("multiply", &[&t, &t]).unwrap()[0];
        assert_eq!(f32s(m), vec![1.0, 16.0, 4.0, 25.0, 9.0, 36.0], "{dev:?}");
        let e = &Array::ufunc("exp", &[&a]).unwrap()[0];
        for (x, y) in f32s(e).iter().zip([1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]) {
            assert!((x - y.exp()).abs() <= 1e-6 * y.exp(), "{dev:?} {x} {y}");
        }
    }
}

#[test]
fn subword_setitem_and_casts() {
    for dev in devices() {
        let a = Array::zeros(&[10], DType::UInt8, &dev).unwrap();
        let v = Array::from_host(&[7u8, 8, 9], &[3], DType::UInt8, &dev).unwrap();
        // Strided destination (atomic writes) and an unaligned contiguous one (word read-modify-write).
        a.setitem(&[IndexItem::Slice(Some(1), None, Some(3))], &v).unwrap();
        a.setitem(&[IndexItem::Slice(Some(5), Some(7), None)], &v.index(&[IndexItem::Slice(None, Some(2), None)]).unwrap()).unwrap();
        assert_eq!(a.to_host_bytes().unwrap(), vec![0, 7, 0, 0, 8, 7, 8, 9, 0, 0], "{dev:?}");
        let h = a.astype(DType::Float16).unwrap();
        let back: Vec<f32> =
            h.to_host_bytes().unwrap().chunks(2).map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()).collect();
        assert_eq!(back, vec![0.0, 7.0, 0.0, 0.0, 8.0, 7.0, 8.0, 9.0, 0.0, 0.0], "{dev:?}");
        let neg = Array::from_host(&bytes_f32(&[-1.5, 2.7, 65519.0, 1e-8]), &[4], DType::Float32, &dev).unwrap();
        let i8s = neg.astype(DType::Int8).unwrap().to_host_bytes().unwrap();
        assert_eq!(&i8s[..2], &[0xFF, 2], "{dev:?}");
        let h = neg.astype(DType::Float16).unwrap().to_host_bytes().unwrap();
        let hs: Vec<u16> = h.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let want: Vec<u16> = [-1.5f32, 2.7, 65519.0, 1e-8].iter().map(|&x| f16::from_f32(x).to_bits()).collect();
        assert_eq!(hs, want, "{dev:?}");
    }
}

#[test]
fn out_of_memory_is_an_error_and_the_device_still_works() {
    for dev in devices() {
        let e = Array::empty(&[1usize << 45], DType::Float32, &dev).err().unwrap();
        assert!(e.to_string().contains("Unable to allocate"), "{dev:?}: {e}");
        let z = Array::zeros(&[4], DType::Float32, &dev).unwrap();
        assert_eq!(f32s(&z), vec![0.0; 4]);
    }
}

/// Tree reductions use the subgroup builtins where the adapter has them
/// (lavapipe does) and agree with the CPU device's; partly filled last
/// chunks, several passes and every builtin kind are covered.
#[test]
fn tree_reductions_use_subgroups_where_the_adapter_has_them() {
    use wgarray_dispatch::ReduceOptions;
    let n = 300_007usize;
    let ints: Vec<i32> = (0..n as i32)
        .map(|i| (i.wrapping_mul(2_654_435_761u32 as i32) >> 7) % 1000)
        .collect();
    let int_bytes: Vec<u8> = ints.iter().flat_map(|v| v.to_le_bytes()).collect();
    let floats: Vec<f32> = ints.iter().map(|&v| v as f32 * 0.25).collect();
    let cases: [(&str, DType, &[u8], &str); 6] = [
        ("add", DType::Float32, &bytes_f32(&floats), "subgroupAdd"),
        ("add", DType::Int32, &int_bytes, "subgroupAdd"),
        ("maximum", DType::Int32, &int_bytes, "subgroupMax"),
        ("minimum", DType::Int32, &int_bytes, "subgroupMin"),
        ("bitwise_xor", DType::Int32, &int_bytes, "subgroupXor"),
        ("multiply", DType::Int32, &int_bytes, "subgroupMul"),
    ];
    let cpu: Vec<Vec<u8>> = cases
        .iter()
        .map(|(f, d, b, _)| {
            let a = Array::from_host(b, &[n], *d, &Device::Cpu).unwrap();
            let opts = ReduceOptions {
                dtype: Some(*d),
                ..Default::default()
            };
            a.reduce(f, opts).unwrap().to_host_bytes().unwrap()
        })
        .collect();
    for dev in devices() {
        let Device::Gpu(ctx) = &dev else { continue };
        for ((f, d, b, builtin), want) in cases.iter().zip(&cpu) {
            let a = Array::from_host(b, &[n], *d, &dev).unwrap();
            let opts = ReduceOptions {
                dtype: Some(*d),
                ..Default::default()
            };
            let got = a.reduce(f, opts).unwrap().to_host_bytes().unwrap();
            if *d == DType::Float32 {
                let (g, w) = (
                    f32::from_le_bytes(got[..4].try_into().unwrap()),
                    f32::from_le_bytes(want[..4].try_into().unwrap()),
                );
                assert!((g - w).abs() <= 1e-6 * w.abs(), "{f} {dev:?}: {g} vs {w}");
            } else {
                assert_eq!(&got, want, "{f} {d:?} {dev:?}");
            }
            let used = ctx
                .kernel_keys()
                .iter()
                .any(|k| k.contains(&format!("subgroup: Some(\"{builtin}\")")));
            assert_eq!(used, ctx.has_subgroups(), "{f}: {builtin} used on {dev:?}");
        }
    }
}
