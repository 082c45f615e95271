//! Broadcasting with NumPy's rules and messages.

use crate::{Error, Result};

/// NumPy's way of printing a shape: `(2,3)`, `(4,)`, `()`.
pub fn shape_str(shape: &[usize]) -> String {
    match shape.len() {
        1 => format!("({},)", shape[0]),
        _ => format!(
            "({})",
            shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",")
        ),
    }
}

/// The broadcast shape of several operand shapes; NumPy's ValueError otherwise.
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Vec<usize>> {
    let ndim = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1usize; ndim];
    for s in shapes {
        let pad = ndim - s.len();
        for (i, &d) in s.iter().enumerate() {
            let o = &mut out[pad + i];
            if *o == 1 {
                *o = d;
            } else if d != 1 && d != *o {
                let all: Vec<String> = shapes.iter().map(|s| shape_str(s)).collect();
                return Err(Error::value(format!(
                    "operands could not be broadcast together with shapes {} ",
                    all.join(" ")
                )));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(broadcast_shapes(&[&[2, 1], &[3]]).unwrap(), vec![2, 3]);
        assert_eq!(broadcast_shapes(&[&[], &[0, 4]]).unwrap(), vec![0, 4]);
        let e = broadcast_shapes(&[&[2, 3], &[4]]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "operands could not be broadcast together with shapes (2,3) (4,) "
        );
    }
}
