//! The buffer pool hands a freed buffer to new GPU work at once (the queue
//! runs the earlier work first) but to host uploads only once the work that
//! used it is submitted; the stream batches work until the host needs it.

use wgarray_device::{adapters, Device};

/// Tests here share each device's stream: one at a time, so that no other
/// test submits the batch a test is watching.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

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
fn pending_buffers_are_reused_by_gpu_work_and_by_uploads_once_submitted() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for ctx in gpus() {
        ctx.synchronize().unwrap();
        let size = 3 << 20; // a class no other test here uses
        let a = ctx.alloc_zeroed(size).unwrap(); // records a clear: pending work
        let before = ctx.pooled_bytes();
        drop(a);
        let returned = ctx.pooled_bytes() - before;
        assert!(returned >= size, "dropped buffer goes back to the pool");
        // Its clear is recorded, not submitted: an upload (written before the
        // open batch) must not take it, and leaves it pooled.
        let data = vec![7u8; size as usize];
        let up = ctx.upload(&data).unwrap();
        assert_eq!(ctx.pooled_bytes() - before, returned, "an upload took a buffer with unsubmitted work");
        // Taken by stream work and dropped unused, it still carries the
        // batch of the pending clear: uploads must keep away from it.
        drop(ctx.alloc(size).unwrap());
        let up2 = ctx.upload(&data).unwrap();
        assert_eq!(ctx.pooled_bytes() - before, returned, "an upload took a buffer whose work is unsubmitted");
        // GPU work takes it at once: the queue orders it after the clear.
        let b = ctx.alloc_zeroed(size).unwrap();
        assert_eq!(ctx.pooled_bytes(), before, "stream work reuses a pending buffer");
        drop(b);
        for u in [&up, &up2] {
            let mut back = vec![0u8; size as usize];
            ctx.read(u, 0, &mut back).unwrap();
            assert!(back == data, "upload round trip");
        }
        // Once submitted (flush), uploads may take it too.
        ctx.flush().unwrap();
        let pooled = ctx.pooled_bytes();
        let c = ctx.upload(&data).unwrap();
        assert_eq!(pooled - ctx.pooled_bytes(), returned, "submitted buffers are reused by uploads");
        let mut back = vec![0u8; size as usize];
        ctx.read(&c, 0, &mut back).unwrap();
        assert!(back == data, "upload into a reused buffer");
        drop((up, up2, c));
    }
}

#[test]
fn uploads_and_readback_round_trip_including_unaligned_tails() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
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
