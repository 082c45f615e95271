//! GPU buffers wgarray has exported, by (adapter, native handle), so that a
//! capsule wgarray made can be imported back without a copy. Entries hold
//! weak references: the exports' own contexts keep the storage alive.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use wgarray_device::Storage;

type Key = (usize, u64);

fn table() -> &'static Mutex<HashMap<Key, Weak<Storage>>> {
    static TABLE: OnceLock<Mutex<HashMap<Key, Weak<Storage>>>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

/// Records that `storage` (on adapter `gpu_index`) was exported as `handle`.
pub(crate) fn remember(gpu_index: usize, handle: u64, storage: &Arc<Storage>) {
    let mut t = table().lock().unwrap();
    // A recycled buffer keeps its handle: the newest storage wins, and dead
    // entries go whenever the table is touched.
    t.retain(|_, w| w.strong_count() > 0);
    t.insert((gpu_index, handle), Arc::downgrade(storage));
}

/// The live storage exported as `handle` on adapter `gpu_index`, if any.
pub(crate) fn find(gpu_index: usize, handle: u64) -> Option<Arc<Storage>> {
    table().lock().unwrap().get(&(gpu_index, handle)).and_then(Weak::upgrade)
}
