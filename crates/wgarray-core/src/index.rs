//! Basic indexing (integers, slices, `...`, `None`) as NumPy defines it.

/// One item of a basic index tuple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexItem {
    /// An integer: selects one position and removes the axis.
    Int(i64),
    /// `start:stop:step`, each optional as in Python.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `...`
    Ellipsis,
    /// `None` / `np.newaxis`: inserts an axis of length one.
    NewAxis,
}

/// Python's `slice.indices(len)`: resolved (start, step, count) for a slice
/// over an axis of length `len`. `step` must be nonzero.
pub fn slice_indices(start: Option<i64>, stop: Option<i64>, step: i64, len: usize) -> (i64, i64, usize) {
    let len = len as i64;
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let clamp = |v: Option<i64>, default: i64| match v {
        None => default,
        Some(v) if v < 0 => (v + len).max(lower),
        Some(v) => v.min(upper),
    };
    let start = clamp(start, if step < 0 { upper } else { lower });
    let stop = clamp(stop, if step < 0 { lower } else { upper });
    let count = if step > 0 {
        if stop > start { (stop - start + step - 1) / step } else { 0 }
    } else if start > stop {
        (start - stop + (-step) - 1) / (-step)
    } else {
        0
    };
    (start, step, count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_slice_semantics() {
        assert_eq!(slice_indices(None, None, 1, 5), (0, 1, 5));
        assert_eq!(slice_indices(None, None, -1, 5), (4, -1, 5));
        assert_eq!(slice_indices(Some(1), Some(4), 2, 5), (1, 2, 2));
        assert_eq!(slice_indices(Some(-2), None, 1, 5), (3, 1, 2));
        assert_eq!(slice_indices(Some(10), None, -2, 5), (4, -2, 3));
        assert_eq!(slice_indices(Some(3), Some(1), 1, 5).2, 0);
        assert_eq!(slice_indices(None, None, -1, 0).2, 0);
        assert_eq!(slice_indices(Some(-100), Some(100), 3, 7), (0, 3, 3));
    }
}
