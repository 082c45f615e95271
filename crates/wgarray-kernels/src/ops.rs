//! The op table: one declarative entry per ufunc — the single source of
//! truth from which the WGSL kernels, the CPU loops and the Python ufunc
//! objects (name, nin, nout, identity, types) are all derived.
//!
//! This is the foundation's first handful (add, multiply, exp); the full
//! NumPy set is added entry by entry.

use wgarray_core::{can_cast_safe, DType, Error, Result};

/// What the CPU loop computes (the Rust side of an entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CpuOp {
    /// `a + b` (integers wrap, bool is `or`).
    Add,
    /// `a * b` (integers wrap, bool is `and`).
    Multiply,
    /// `e ** a`.
    Exp,
}

/// One ufunc.
#[derive(Debug)]
pub struct Ufunc {
    /// NumPy's name.
    pub name: &'static str,
    /// Inputs.
    pub nin: usize,
    /// Outputs.
    pub nout: usize,
    /// The reduction identity, if any (as NumPy's `ufunc.identity`).
    pub identity: Option<i64>,
    /// NumPy's loop signatures, in NumPy's order, in dtype characters.
    pub types: &'static [&'static str],
    /// The WGSL expression for a loop dtype, over `a0`, `a1`, ….
    pub wgsl: fn(DType) -> String,
    /// The CPU loop.
    pub cpu: CpuOp,
}

const ARITH_TYPES: &[&str] = &[
    "??->?", "bb->b", "BB->B", "hh->h", "HH->H", "ii->i", "II->I", "ll->l", "LL->L", "ee->e", "ff->f", "dd->d",
];

fn add_wgsl(d: DType) -> String {
    if d == DType::Bool { "a0 | a1" } else { "a0 + a1" }.into()
}

fn multiply_wgsl(d: DType) -> String {
    if d == DType::Bool { "a0 & a1" } else { "a0 * a1" }.into()
}

fn exp_wgsl(d: DType) -> String {
    if d == DType::Float64 { "exp_f64(a0)" } else { "exp_f32(a0)" }.into()
}

/// Every ufunc wgarray implements.
pub static UFUNCS: &[Ufunc] = &[
    Ufunc { name: "add", nin: 2, nout: 1, identity: Some(0), types: ARITH_TYPES, wgsl: add_wgsl, cpu: CpuOp::Add },
    Ufunc {
        name: "multiply",
        nin: 2,
        nout: 1,
        identity: Some(1),
        types: ARITH_TYPES,
        wgsl: multiply_wgsl,
        cpu: CpuOp::Multiply,
    },
    Ufunc { name: "exp", nin: 1, nout: 1, identity: None, types: &["e->e", "f->f", "d->d"], wgsl: exp_wgsl, cpu: CpuOp::Exp },
];

/// NumPy's character for a dtype (`np.dtype(d).char` on 64-bit Linux).
pub fn dtype_char(d: DType) -> char {
    use DType::*;
    match d {
        Bool => '?',
        Int8 => 'b',
        UInt8 => 'B',
        Int16 => 'h',
        UInt16 => 'H',
        Int32 => 'i',
        UInt32 => 'I',
        Int64 => 'l',
        UInt64 => 'L',
        Float16 => 'e',
        Float32 => 'f',
        Float64 => 'd',
    }
}

fn char_dtype(c: char) -> DType {
    *DType::ALL.iter().find(|&&d| dtype_char(d) == c).expect("table uses known characters")
}

/// A resolved loop: the dtypes inputs are cast to, and the output dtype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loop {
    /// Input dtypes of the loop.
    pub inputs: Vec<DType>,
    /// Output dtype of the loop.
    pub output: DType,
}

impl Ufunc {
    /// Looks an entry up by name.
    pub fn get(name: &str) -> Option<&'static Ufunc> {
        UFUNCS.iter().find(|u| u.name == name)
    }

    /// The loops as dtypes.
    pub fn loops(&self) -> impl Iterator<Item = Loop> + '_ {
        self.types.iter().map(|t| {
            let (ins, out) = t.split_once("->").expect("signature has ->");
            Loop { inputs: ins.chars().map(char_dtype).collect(), output: char_dtype(out.chars().next().unwrap()) }
        })
    }

    /// NumPy's loop search: the first loop every input casts to safely.
    pub fn resolve(&self, inputs: &[DType]) -> Result<Loop> {
        self.loops()
            .find(|l| inputs.iter().zip(&l.inputs).all(|(&a, &b)| can_cast_safe(a, b)))
            .ok_or_else(|| {
                Error::type_error(format!(
                    "ufunc '{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
                    self.name
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn loop_resolution_matches_numpy() {
        let add = Ufunc::get("add").unwrap();
        assert_eq!(add.resolve(&[Int8, UInt8]).unwrap().output, Int16);
        assert_eq!(add.resolve(&[Int64, UInt64]).unwrap().output, Float64);
        assert_eq!(add.resolve(&[Float16, Int16]).unwrap().output, Float32);
        assert_eq!(add.resolve(&[Bool, Bool]).unwrap().output, Bool);
        let exp = Ufunc::get("exp").unwrap();
        assert_eq!(exp.resolve(&[Int8]).unwrap().output, Float16);
        assert_eq!(exp.resolve(&[Int32]).unwrap().output, Float64);
        assert_eq!(exp.resolve(&[Bool]).unwrap().output, Float16);
    }
}
