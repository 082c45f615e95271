//! Criterion benches of the Rust kernels through the dispatch layer, on the
//! CPU device and the first GPU adapter (lavapipe where there is no real
//! GPU): elementwise, a fused chain, reductions (a fused one too), a scan,
//! a sort and matmul. `cargo bench -p wgarray-dispatch` runs them;
//! `benches/bench.py` is the side-by-side comparison with NumPy, CuPy and
//! PyTorch. Each timed call computes its result and waits for the device.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wgarray_dispatch::{Array, DType, Device, ReduceOptions};

fn devices() -> Vec<Device> {
    let mut v = vec![Device::Cpu];
    if let Some(a) = wgarray_device::adapters().first() {
        v.push(Device::parse(&a.name()).expect("an adapter's name parses"));
    }
    v
}

/// Waits until everything queued on `dev` has run.
fn finish(a: &Array, dev: &Device) {
    a.evaluate().expect("evaluate");
    if let Device::Gpu(ctx) = dev {
        ctx.synchronize().expect("synchronize");
    }
}

fn random(n: usize, dev: &Device) -> Array {
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let bytes: Vec<u8> = (0..n)
        .flat_map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            ((s >> 40) as f32 / (1u64 << 24) as f32 - 0.5).to_le_bytes()
        })
        .collect();
    Array::from_host(&bytes, &[n], DType::Float32, dev).expect("upload")
}

fn f(name: &str, args: &[&Array]) -> Array {
    Array::ufunc(name, args).expect("ufunc").remove(0)
}

fn sum(a: &Array) -> Array {
    a.reduce("add", ReduceOptions::default()).expect("reduce")
}

fn elementwise(c: &mut Criterion) {
    let mut g = c.benchmark_group("elementwise float32");
    for dev in devices() {
        for n in [1 << 16, 1 << 20, 1 << 23] {
            let (a, b, x) = (random(n, &dev), random(n, &dev), random(n, &dev));
            g.throughput(Throughput::Bytes(4 * 3 * n as u64));
            g.bench_with_input(BenchmarkId::new(format!("add {}", dev.name()), n), &n, |bch, _| bch.iter(|| finish(&f("add", &[&a, &b]), &dev)));
            g.throughput(Throughput::Bytes(4 * 4 * n as u64));
            g.bench_with_input(BenchmarkId::new(format!("a*b+c fused {}", dev.name()), n), &n, |bch, _| {
                bch.iter(|| finish(&f("add", &[&f("multiply", &[&a, &b]), &x]), &dev))
            });
            g.throughput(Throughput::Bytes(4 * 2 * n as u64));
            g.bench_with_input(BenchmarkId::new(format!("exp {}", dev.name()), n), &n, |bch, _| bch.iter(|| finish(&f("exp", &[&a]), &dev)));
        }
    }
    g.finish();
}

fn reductions(c: &mut Criterion) {
    let mut g = c.benchmark_group("reductions float32");
    for dev in devices() {
        for n in [1 << 16, 1 << 20, 1 << 23] {
            let a = random(n, &dev);
            g.throughput(Throughput::Bytes(4 * n as u64));
            g.bench_with_input(BenchmarkId::new(format!("sum {}", dev.name()), n), &n, |bch, _| bch.iter(|| finish(&sum(&a), &dev)));
            g.bench_with_input(BenchmarkId::new(format!("sum(exp) fused {}", dev.name()), n), &n, |bch, _| {
                bch.iter(|| finish(&sum(&f("exp", &[&a])), &dev))
            });
            let m = a.reshape(&[(n / 1024) as i64, 1024]).expect("reshape");
            let axis0 = ReduceOptions { axes: Some(&[0]), ..Default::default() };
            g.bench_with_input(BenchmarkId::new(format!("sum axis=0 {}", dev.name()), n), &n, |bch, _| {
                bch.iter(|| finish(&m.reduce("add", axis0).expect("reduce"), &dev))
            });
        }
    }
    g.finish();
}

fn scans_sorts_matmul(c: &mut Criterion) {
    let mut g = c.benchmark_group("scan, sort, matmul float32");
    g.sample_size(10);
    for dev in devices() {
        let n = 1 << 20;
        let a = random(n, &dev);
        g.throughput(Throughput::Bytes(4 * 2 * n as u64));
        g.bench_function(format!("cumsum {} {n}", dev.name()), |bch| bch.iter(|| finish(&a.accumulate("add", 0, None, None).expect("scan"), &dev)));
        g.bench_function(format!("argsort {} {n}", dev.name()), |bch| bch.iter(|| finish(&a.argsort(0).expect("argsort"), &dev)));
        for k in [256usize, 512] {
            let (x, y) = (random(k * k, &dev).reshape(&[k as i64, k as i64]).unwrap(), random(k * k, &dev).reshape(&[k as i64, k as i64]).unwrap());
            g.throughput(Throughput::Elements(2 * (k * k * k) as u64));
            g.bench_function(format!("matmul {} {k}", dev.name()), |bch| bch.iter(|| finish(&f("matmul", &[&x, &y]), &dev)));
        }
    }
    g.finish();
}

criterion_group!(benches, elementwise, reductions, scans_sorts_matmul);
criterion_main!(benches);
