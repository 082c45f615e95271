//! `Layout`: shape, strides (in elements) and offset (in elements) of an
//! array inside its storage, and every view NumPy makes without copying.

use crate::broadcast::shape_str;
use crate::index::{slice_indices, IndexItem};
use crate::{Error, Result};

/// Axis lengths or strides: inline up to four axes (no allocation for the
/// shapes most arrays have), on the heap beyond.
pub type Dims<T> = smallvec::SmallVec<[T; 4]>;

/// Where an array's elements sit in its storage.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Layout {
    /// Length of each axis.
    pub shape: Dims<usize>,
    /// Step between neighbours along each axis, in elements (may be 0 or negative).
    pub strides: Dims<isize>,
    /// Position of element `[0, 0, …]`, in elements.
    pub offset: usize,
}

/// Product of a shape's lengths, with overflow reported as NumPy does.
pub fn shape_size(shape: &[usize]) -> Result<usize> {
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).ok_or_else(|| {
        Error::value("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.")
    })
}

/// C-order strides (in elements) of a shape. Empty shapes get all-zero
/// strides, as NumPy 2 gives them.
pub fn c_strides(shape: &[usize]) -> Dims<isize> {
    let mut strides: Dims<isize> = smallvec::smallvec![0isize; shape.len()];
    if shape.contains(&0) {
        return strides;
    }
    let mut acc = 1isize;
    for i in (0..shape.len()).rev() {
        strides[i] = acc;
        acc *= shape[i].max(1) as isize;
    }
    strides
}

/// `axis` as an index into `ndim` axes (negative counts from the end), or
/// NumPy's AxisError.
pub fn normalize_axis(axis: i64, ndim: usize) -> Result<usize> {
    let n = ndim as i64;
    if axis < -n || axis >= n {
        return Err(Error::Axis(format!("axis {axis} is out of bounds for array of dimension {ndim}")));
    }
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

impl Layout {
    /// A fresh C-contiguous layout.
    pub fn contiguous(shape: &[usize]) -> Layout {
        Layout { shape: shape.into(), strides: c_strides(shape), offset: 0 }
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }

    /// NumPy's C_CONTIGUOUS flag (axes of length 1 ignored; empty arrays are contiguous).
    pub fn is_c_contiguous(&self) -> bool {
        if self.size() == 0 {
            return true;
        }
        let mut expected = 1isize;
        for i in (0..self.ndim()).rev() {
            if self.shape[i] != 1 {
                if self.strides[i] != expected {
                    return false;
                }
                expected *= self.shape[i] as isize;
            }
        }
        true
    }

    /// NumPy's F_CONTIGUOUS flag.
    pub fn is_f_contiguous(&self) -> bool {
        if self.size() == 0 {
            return true;
        }
        let mut expected = 1isize;
        for i in 0..self.ndim() {
            if self.shape[i] != 1 {
                if self.strides[i] != expected {
                    return false;
                }
                expected *= self.shape[i] as isize;
            }
        }
        true
    }

    /// Lowest and highest element position touched (inclusive); `None` when empty.
    pub fn span(&self) -> Option<(usize, usize)> {
        if self.size() == 0 {
            return None;
        }
        let (mut lo, mut hi) = (self.offset as isize, self.offset as isize);
        for (&d, &s) in self.shape.iter().zip(&self.strides) {
            let ext = (d as isize - 1) * s;
            if ext < 0 {
                lo += ext;
            } else {
                hi += ext;
            }
        }
        Some((lo as usize, hi as usize))
    }

    /// Basic indexing: integers, slices, one `...`, and `None`.
    pub fn index(&self, items: &[IndexItem]) -> Result<Layout> {
        let consumed = items.iter().filter(|i| matches!(i, IndexItem::Int(_) | IndexItem::Slice(..))).count();
        let ellipses = items.iter().filter(|i| matches!(i, IndexItem::Ellipsis)).count();
        if ellipses > 1 {
            return Err(Error::index("an index can only have a single ellipsis ('...')"));
        }
        if consumed > self.ndim() {
            return Err(Error::index(format!(
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                self.ndim(),
                consumed
            )));
        }
        let mut out = Layout { shape: Dims::new(), strides: Dims::new(), offset: self.offset };
        let mut axis = 0usize;
        let mut offset = self.offset as isize;
        for item in items {
            match *item {
                IndexItem::Int(i) => {
                    let len = self.shape[axis];
                    let pos = if i < 0 { i + len as i64 } else { i };
                    if pos < 0 || pos >= len as i64 {
                        return Err(Error::index(format!(
                            "index {i} is out of bounds for axis {axis} with size {len}"
                        )));
                    }
                    offset += pos as isize * self.strides[axis];
                    axis += 1;
                }
                IndexItem::Slice(start, stop, step) => {
                    let step = step.unwrap_or(1);
                    if step == 0 {
                        return Err(Error::value("slice step cannot be zero"));
                    }
                    let (first, step, count) = slice_indices(start, stop, step, self.shape[axis]);
                    if count > 0 {
                        offset += first as isize * self.strides[axis];
                    }
                    out.shape.push(count);
                    out.strides.push(self.strides[axis] * step as isize);
                    axis += 1;
                }
                IndexItem::NewAxis => {
                    out.shape.push(1);
                    out.strides.push(0);
                }
                IndexItem::Ellipsis => {
                    let skip = self.ndim() - consumed;
                    for _ in 0..skip {
                        out.shape.push(self.shape[axis]);
                        out.strides.push(self.strides[axis]);
                        axis += 1;
                    }
                }
            }
        }
        while axis < self.ndim() {
            out.shape.push(self.shape[axis]);
            out.strides.push(self.strides[axis]);
            axis += 1;
        }
        out.offset = offset as usize;
        Ok(out)
    }

    /// Reorders the axes (`np.transpose(x, axes)`); `None` reverses them.
    pub fn permute(&self, axes: Option<&[i64]>) -> Result<Layout> {
        let n = self.ndim();
        let axes: Vec<usize> = match axes {
            None => (0..n).rev().collect(),
            Some(a) => {
                if a.len() != n {
                    return Err(Error::value("axes don't match array"));
                }
                let mut seen = vec![false; n];
                let mut out = Vec::with_capacity(n);
                for &ax in a {
                    let ax = normalize_axis(ax, n)?;
                    if seen[ax] {
                        return Err(Error::value("repeated axis in transpose"));
                    }
                    seen[ax] = true;
                    out.push(ax);
                }
                out
            }
        };
        Ok(Layout {
            shape: axes.iter().map(|&a| self.shape[a]).collect(),
            strides: axes.iter().map(|&a| self.strides[a]).collect(),
            offset: self.offset,
        })
    }

    /// Swaps the last two axes (`x.mT`).
    pub fn matrix_transpose(&self) -> Result<Layout> {
        let n = self.ndim();
        if n < 2 {
            return Err(Error::value("matrix transpose with ndim < 2 is undefined"));
        }
        let mut axes: Vec<i64> = (0..n as i64).collect();
        axes.swap(n - 2, n - 1);
        self.permute(Some(&axes))
    }

    /// A read-only broadcast view with the given shape (`np.broadcast_to`).
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Layout> {
        let fail = || {
            Error::value(format!(
                "operands could not be broadcast together with remapped shapes [original->remapped]: {}  and requested shape {}",
                shape_str(&self.shape),
                shape_str(shape)
            ))
        };
        if shape.len() < self.ndim() {
            return Err(fail());
        }
        let pad = shape.len() - self.ndim();
        let mut strides: Dims<isize> = smallvec::smallvec![0isize; shape.len()];
        for i in 0..self.ndim() {
            let (have, want) = (self.shape[i], shape[pad + i]);
            if have == want {
                strides[pad + i] = self.strides[i];
            } else if have != 1 {
                return Err(fail());
            }
        }
        Ok(Layout { shape: shape.into(), strides, offset: self.offset })
    }

    /// Resolves a requested shape with at most one `-1`, checking the size as NumPy does.
    pub fn resolve_shape(&self, shape: &[i64]) -> Result<Vec<usize>> {
        let size = self.size();
        let unknown: Vec<usize> = (0..shape.len()).filter(|&i| shape[i] == -1).collect();
        if unknown.len() > 1 {
            return Err(Error::value("can only specify one unknown dimension"));
        }
        if shape.iter().any(|&d| d < -1) {
            return Err(Error::value("negative dimensions not allowed"));
        }
        let known: usize = shape.iter().filter(|&&d| d != -1).map(|&d| d as usize).product();
        let mut out: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        let bad = || {
            Error::value(format!(
                "cannot reshape array of size {} into shape {}",
                size,
                shape_str_signed(shape)
            ))
        };
        if let Some(&u) = unknown.first() {
            if known == 0 || !size.is_multiple_of(known) {
                return Err(bad());
            }
            out[u] = size / known;
        } else if known != size {
            return Err(bad());
        }
        Ok(out)
    }

    /// A C-order reshape as a view, or `None` when the layout needs a copy
    /// (NumPy's `_attempt_nocopy_reshape`).
    pub fn reshape_view(&self, new_shape: &[usize]) -> Option<Layout> {
        if self.is_c_contiguous() {
            return Some(Layout { shape: new_shape.into(), strides: c_strides(new_shape), offset: self.offset });
        }
        // Drop axes of length one, then match groups of old and new axes with equal products.
        let old: Vec<(usize, isize)> =
            self.shape.iter().zip(&self.strides).filter(|(&d, _)| d != 1).map(|(&d, &s)| (d, s)).collect();
        let mut new_strides = vec![0isize; new_shape.len()];
        let new_dims: Vec<usize> = (0..new_shape.len()).filter(|&i| new_shape[i] != 1).collect();
        let (mut oi, mut ni) = (0usize, 0usize);
        while oi < old.len() && ni < new_dims.len() {
            let (mut op, mut np_) = (old[oi].0, new_shape[new_dims[ni]]);
            let (oj0, nj0) = (oi, ni);
            let (mut oj, mut nj) = (oi + 1, ni + 1);
            while op != np_ {
                if op < np_ {
                    op *= old.get(oj)?.0;
                    oj += 1;
                } else {
                    np_ *= new_shape[*new_dims.get(nj)?];
                    nj += 1;
                }
            }
            // The old group must be contiguous among itself.
            for k in oj0..oj - 1 {
                if old[k].1 != old[k + 1].1 * old[k + 1].0 as isize {
                    return None;
                }
            }
            let mut stride = old[oj - 1].1;
            for k in (nj0..nj).rev() {
                new_strides[new_dims[k]] = stride;
                stride *= new_shape[new_dims[k]] as isize;
            }
            oi = oj;
            ni = nj;
        }
        if oi != old.len() || ni != new_dims.len() {
            return None;
        }
        Some(Layout { shape: new_shape.into(), strides: new_strides.into(), offset: self.offset })
    }

    /// Removes axes of length one (all of them, or the given ones).
    pub fn squeeze(&self, axes: Option<&[i64]>) -> Result<Layout> {
        let n = self.ndim();
        let drop: Vec<bool> = match axes {
            None => self.shape.iter().map(|&d| d == 1).collect(),
            Some(a) => {
                let mut drop = vec![false; n];
                for &ax in a {
                    let ax = normalize_axis(ax, n).map_err(|e| Error::Value(e.to_string()))?;
                    if self.shape[ax] != 1 {
                        return Err(Error::value("cannot select an axis to squeeze out which has size not equal to one"));
                    }
                    drop[ax] = true;
                }
                drop
            }
        };
        let keep = (0..n).filter(|&i| !drop[i]);
        Ok(Layout {
            shape: keep.clone().map(|i| self.shape[i]).collect(),
            strides: keep.map(|i| self.strides[i]).collect(),
            offset: self.offset,
        })
    }

    /// Inserts axes of length one at the given positions of the result.
    pub fn expand_dims(&self, axes: &[i64]) -> Result<Layout> {
        let out_ndim = self.ndim() + axes.len();
        let mut new_axis = vec![false; out_ndim];
        for &ax in axes {
            let ax = normalize_axis(ax, out_ndim).map_err(|e| Error::Value(e.to_string()))?;
            if new_axis[ax] {
                return Err(Error::value("repeated axis"));
            }
            new_axis[ax] = true;
        }
        let (mut shape, mut strides): (Dims<usize>, Dims<isize>) = (smallvec::smallvec![0; out_ndim], smallvec::smallvec![0; out_ndim]);
        let mut src = self.ndim();
        // Right to left, so a new axis takes the stride NumPy's reshape gives
        // it: the next axis's stride times its length (1 element at the end).
        let mut next = 1isize;
        for i in (0..out_ndim).rev() {
            if new_axis[i] {
                shape[i] = 1;
                strides[i] = next;
            } else {
                src -= 1;
                shape[i] = self.shape[src];
                strides[i] = self.strides[src];
                next = self.strides[src] * self.shape[src] as isize;
            }
        }
        Ok(Layout { shape, strides, offset: self.offset })
    }
}

fn shape_str_signed(shape: &[i64]) -> String {
    shape_str(&shape.iter().map(|&d| d.max(0) as usize).collect::<Vec<_>>())
        .replace("18446744073709551615", "-1")
}

/// Each operand's strides: inline for up to nine operands (a fused
/// program's eight leaves and its output).
pub type OperandStrides = smallvec::SmallVec<[Dims<isize>; 9]>;

/// Merges axes that every operand walks contiguously, and drops axes of
/// length one, so kernels index as few axes as possible. All layouts must
/// have the same shape. Returns the merged shape and each operand's strides.
pub fn coalesce(shape: &[usize], strides: &[&[isize]]) -> (Dims<usize>, OperandStrides) {
    let mut out_shape: Dims<usize> = Dims::new();
    let mut out_strides: OperandStrides = smallvec::smallvec![Dims::new(); strides.len()];
    for axis in 0..shape.len() {
        let d = shape[axis];
        if d == 1 {
            continue;
        }
        let mergeable = !out_shape.is_empty()
            && strides.iter().zip(&out_strides).all(|(s, o)| *o.last().unwrap() == s[axis] * d as isize);
        if mergeable {
            *out_shape.last_mut().unwrap() *= d;
            for (s, o) in strides.iter().zip(out_strides.iter_mut()) {
                *o.last_mut().unwrap() = s[axis];
            }
        } else {
            out_shape.push(d);
            for (s, o) in strides.iter().zip(out_strides.iter_mut()) {
                o.push(s[axis]);
            }
        }
    }
    (out_shape, out_strides)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndexItem::*;

    #[test]
    fn contiguity_flags() {
        let l = Layout::contiguous(&[2, 3]);
        assert!(l.is_c_contiguous() && !l.is_f_contiguous());
        let t = l.permute(None).unwrap();
        assert!(t.is_f_contiguous() && !t.is_c_contiguous());
        assert!(Layout::contiguous(&[1, 5]).is_f_contiguous());
        assert!(Layout::contiguous(&[0, 5]).is_f_contiguous());
    }

    #[test]
    fn basic_index() {
        let l = Layout::contiguous(&[4, 5]);
        let v = l.index(&[Slice(None, None, Some(-1)), Int(2)]).unwrap();
        assert_eq!(v.shape[..], [4]);
        assert_eq!(v.strides[..], [-5]);
        assert_eq!(v.offset, 17);
        let v = l.index(&[NewAxis, Ellipsis, Slice(Some(1), None, Some(2))]).unwrap();
        assert_eq!(v.shape[..], [1, 4, 2]);
        assert_eq!(v.offset, 1);
        let e = l.index(&[Int(4)]).unwrap_err();
        assert_eq!(e.to_string(), "index 4 is out of bounds for axis 0 with size 4");
        let e = l.index(&[Int(0), Int(0), Int(0)]).unwrap_err();
        assert_eq!(e.to_string(), "too many indices for array: array is 2-dimensional, but 3 were indexed");
    }

    #[test]
    fn reshape_views() {
        let l = Layout::contiguous(&[2, 3, 4]);
        let t = l.permute(Some(&[1, 0, 2])).unwrap(); // (3,2,4) strides (4,12,1)
        assert!(t.reshape_view(&[3, 8]).is_none());
        let v = t.reshape_view(&[3, 2, 2, 2]).unwrap();
        assert_eq!(v.strides[..], [4, 12, 2, 1]);
        let s = l.index(&[Slice(None, None, None), Slice(None, None, Some(2))]).unwrap(); // (2,2,4)
        assert_eq!(s.reshape_view(&[2, 8]), None);
        assert_eq!(s.reshape_view(&[4, 4]), None);
        assert_eq!(s.reshape_view(&[2, 2, 2, 2]).unwrap().strides[..], [12, 8, 2, 1]);
        assert_eq!(l.resolve_shape(&[-1, 4]).unwrap(), vec![6, 4]);
        assert_eq!(
            l.resolve_shape(&[5]).unwrap_err().to_string(),
            "cannot reshape array of size 24 into shape (5,)"
        );
    }

    #[test]
    fn broadcast_and_coalesce() {
        let l = Layout::contiguous(&[3, 1]);
        let b = l.broadcast_to(&[2, 3, 4]).unwrap();
        assert_eq!(b.strides[..], [0, 1, 0]);
        assert!(l.broadcast_to(&[2, 4]).is_err());
        let c = Layout::contiguous(&[2, 3, 4]);
        let (shape, strides) = coalesce(&c.shape, &[&c.strides, &c.strides]);
        assert_eq!(shape[..], [24]);
        assert_eq!(strides[0][..], [1]);
        let (shape, _) = coalesce(&b.shape, &[&b.strides, &c.strides]);
        assert_eq!(shape[..], [2, 3, 4]);
    }

    #[test]
    fn span_of_negative_strides() {
        let l = Layout::contiguous(&[10]);
        let v = l.index(&[Slice(None, None, Some(-3))]).unwrap();
        assert_eq!(v.span(), Some((0, 9)));
        assert_eq!(Layout::contiguous(&[0]).span(), None);
    }
}
