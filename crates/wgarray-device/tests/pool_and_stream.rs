//! The buffer pool hands a buffer out again only after the work that used it
//! has finished, and the stream batches work until the host needs it.

use wgarray_device::{adapters, Device};

fn gpus() -> Vec<std::sync::Arc<wgarray_device::GpuContext>> {
    if adapters().is_empty() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but wgpu found no GPU adapter: install Mesa's lavapipe (mesa-vulkan-drivers)");
    }
    adapters()
        .iter()
        .map(|a| match Device::parse(&a.name()).unwrap() {
            Device::Gpu(ctx) => ctx,
            Device::Cpu => unreachable!(),
        })
        .collect()
}

#[test]
fn buffers_are_reused_only_after_their_work_finishes() {
    for ctx in gpus() {
        ctx.synchronize().unwrap();
        let size = 3 << 20; // a class no other test here uses
        let a = ctx.alloc_zeroed(size).unwrap(); // records a clear: pending work
        let before = ctx.pooled_bytes();
        drop(a);
        let returned = ctx.pooled_bytes() - before;
        assert!(returned >= size, "dropped buffer goes back to the pool");
        // Its clear is recorded but not submitted: the pool must not hand it out.
        let b = ctx.alloc(size).unwrap();
        assert_eq!(ctx.pooled_bytes() - before, returned, "reused a buffer with pending work");
        drop(b);
        ctx.synchronize().unwrap();
        let pooled = ctx.pooled_bytes();
        let c = ctx.alloc(size).unwrap();
        assert_eq!(pooled - ctx.pooled_bytes(), returned, "finished buffers are reused");
        drop(c);
    }
}

#[test]
fn uploads_and_readback_round_trip_including_unaligned_tails() {
    for ctx in gpus() {
        for len in [1usize, 3, 4, 5, 1023, 70_001] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let buf = ctx.upload(&data).unwrap();
            let mut back = vec![0u8; len];
            ctx.read(&buf, 0, &mut back).unwrap();
            assert_eq!(back, data, "len {len}");
            if len > 2 {
                let mut mid = vec![0u8; len - 2];
                ctx.read(&buf, 1, &mut mid).unwrap();
                assert_eq!(mid, data[1..len - 1], "offset read, len {len}");
            }
        }
    }
}
