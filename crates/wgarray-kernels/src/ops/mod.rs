//! The op table: one declarative entry per ufunc — the single source of
//! truth from which the WGSL kernels (`wgsl::exprs`), the CPU loops
//! (`cpu::run`) and the Python ufunc objects (name, nin, nout, identity,
//! types) are all derived.

pub mod scalar;
mod table;

pub use scalar::Scalar;
pub use table::{ALIASES, UFUNCS};

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use wgarray_core::{can_cast_safe, dims, DType, Dims, Error, Result};

/// A ufunc's identity (NumPy's `ufunc.identity`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Identity {
    /// An integer (0, 1, -1).
    Int(i64),
    /// True or False.
    Bool(bool),
    /// A float (−inf for logaddexp).
    Float(f64),
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
    /// The reduction identity, if any.
    pub identity: Option<Identity>,
    /// NumPy's loop signatures (for wgarray's dtypes), in NumPy's order.
    pub types: &'static [&'static str],
    /// How each output is computed (elementwise ufuncs).
    pub outputs: &'static [Scalar],
    /// For generalized ufuncs: the core operation (its signature says the shapes).
    pub core: Option<Core>,
    /// NumPy's exceptions to its plain loop search and value rules.
    pub rules: &'static [Rule],
}

/// Where NumPy departs from "the first loop every input casts to safely".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// All-bool inputs find no loop (NumPy resolves them without upcasting).
    NoBoolLoop,
    /// All-bool inputs raise TypeError with this message.
    BoolRefused(&'static str),
    /// Inputs none of which is a float use the float64 loop (true division).
    IntegersToFloat64,
    /// A negative exponent in an integer loop raises ValueError.
    NegativeIntegerExponent,
    /// No identity, yet reductions may reorder it (and reduce over several
    /// axes): NumPy's "reorderable none" ufuncs.
    Reorderable,
}

/// The core of a generalized ufunc: a sum of products over `k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Core {
    /// `(n?,k),(k,m?)->(n?,m?)`
    MatMul,
    /// `(n),(n)->()`
    VecDot,
    /// `(m,n),(n)->(m)`
    MatVec,
    /// `(n),(n,m)->(m)`
    VecMat,
}

impl Core {
    /// NumPy's signature string.
    pub fn signature(self) -> &'static str {
        match self {
            Core::MatMul => "(n?,k),(k,m?)->(n?,m?)",
            Core::VecDot => "(n),(n)->()",
            Core::MatVec => "(m,n),(n)->(m)",
            Core::VecMat => "(n),(n,m)->(m)",
        }
    }
}

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

/// A resolved loop: the dtypes inputs are cast to, and the output dtypes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Loop {
    /// Input dtypes of the loop.
    pub inputs: Dims<DType>,
    /// Output dtypes of the loop.
    pub outputs: Dims<DType>,
}

impl Loop {
    fn parse(sig: &str) -> Loop {
        let (ins, outs) = sig.split_once("->").expect("signature has ->");
        Loop { inputs: ins.chars().map(char_dtype).collect(), outputs: outs.chars().map(char_dtype).collect() }
    }
}

impl Ufunc {
    /// Looks an entry up by name or alias.
    pub fn get(name: &str) -> Option<&'static Ufunc> {
        static BY_NAME: OnceLock<HashMap<&'static str, &'static Ufunc>> = OnceLock::new();
        let map = BY_NAME.get_or_init(|| {
            let mut m: HashMap<_, _> = UFUNCS.iter().map(|u| (u.name, u)).collect();
            for (alias, target) in ALIASES {
                if let Some(u) = UFUNCS.iter().find(|u| u.name == *target) {
                    m.insert(alias, u);
                }
            }
            m
        });
        map.get(name).copied()
    }

    /// Where `self` sits in `UFUNCS` (`None` for an entry built elsewhere).
    fn index(&self) -> Option<usize> {
        let size = std::mem::size_of::<Ufunc>();
        let at = (self as *const Ufunc as usize).wrapping_sub(UFUNCS.as_ptr() as usize);
        (at % size == 0 && at / size < UFUNCS.len()).then_some(at / size)
    }

    /// The loops as dtypes.
    pub fn loops(&self) -> impl Iterator<Item = Loop> + '_ {
        self.parsed().into_owned().into_iter()
    }

    /// The loops, parsed once per table entry (loop resolution runs on
    /// every call).
    fn parsed(&self) -> std::borrow::Cow<'static, [Loop]> {
        static PARSED: OnceLock<Vec<Vec<Loop>>> = OnceLock::new();
        let all = PARSED.get_or_init(|| UFUNCS.iter().map(|u| u.types.iter().map(|t| Loop::parse(t)).collect()).collect());
        let at = self.index().or_else(|| UFUNCS.iter().position(|u| u.name == self.name && u.types == self.types));
        match at {
            Some(i) => std::borrow::Cow::Borrowed(&all[i]),
            None => std::borrow::Cow::Owned(self.types.iter().map(|t| Loop::parse(t)).collect()),
        }
    }

    /// The loop for `dtype=`: the first whose outputs are all `dtype` and whose
    /// inputs the given ones cast to under `casting` (NumPy's error otherwise).
    pub fn resolve_for_dtype(&self, inputs: &[DType], dtype: DType, casting: wgarray_core::Casting) -> Result<Loop> {
        let exact = self.parsed().iter().find(|l| l.outputs.iter().all(|&o| o == dtype)).cloned();
        let lp = exact.ok_or_else(|| {
            let names: Vec<String> = inputs.iter().map(|d| format!("dtype('{d}')")).collect();
            Error::type_error(format!(
                "ufunc '{}' did not contain a loop with signature matching types ({}) -> dtype('{dtype}')",
                self.name,
                names.join(", ")
            ))
        })?;
        for (i, (&from, &to)) in inputs.iter().zip(&lp.inputs).enumerate() {
            if !wgarray_core::can_cast(from, to, casting) {
                return Err(Error::type_error(format!(
                    "Cannot cast ufunc '{}' input {i} from dtype('{from}') to dtype('{to}') with casting rule '{}'",
                    self.name,
                    casting.name()
                )));
            }
        }
        Ok(lp)
    }

    /// NumPy's loop search: the first loop every input casts to safely, after
    /// the entry's `rules`; int64 with uint64 compares exactly.
    pub fn resolve(&self, inputs: &[DType]) -> Result<Loop> {
        for rule in self.rules {
            match *rule {
                Rule::NoBoolLoop if inputs.iter().all(|&d| d == DType::Bool) => return Err(self.no_loop(inputs)),
                Rule::BoolRefused(msg) if inputs.iter().all(|&d| d == DType::Bool) => return Err(Error::type_error(msg)),
                Rule::IntegersToFloat64 if inputs.iter().all(|d| !d.is_float()) => return Ok(Loop::parse("dd->d")),
                _ => {}
            }
        }
        if self.outputs.iter().all(|s| s.shape() == scalar::Shape::Compare && s.is_ordering())
            && matches!(inputs, [DType::Int64, DType::UInt64] | [DType::UInt64, DType::Int64])
        {
            // NumPy 2 compares int64 with uint64 exactly, not through float64.
            return Ok(Loop { inputs: inputs.into(), outputs: dims![DType::Bool] });
        }
        // The search, remembered per table entry for its last input dtypes (it runs on every call).
        thread_local! {
            static LAST: RefCell<Vec<Option<(Dims<DType>, Loop)>>> = const { RefCell::new(Vec::new()) };
        }
        let at = self.index();
        if let Some(i) = at {
            let hit = LAST.with(|l| l.borrow().get(i).and_then(|h| h.as_ref().filter(|(d, _)| d[..] == *inputs).map(|(_, lp)| lp.clone())));
            if let Some(lp) = hit {
                return Ok(lp);
            }
        }
        let lp = self.parsed().iter().find(|l| inputs.iter().zip(&l.inputs).all(|(&a, &b)| can_cast_safe(a, b))).cloned().ok_or_else(|| self.no_loop(inputs))?;
        if let Some(i) = at {
            LAST.with(|l| {
                let mut l = l.borrow_mut();
                if l.len() <= i {
                    l.resize(UFUNCS.len(), None);
                }
                l[i] = Some((Dims::from_slice(inputs), lp.clone()));
            });
        }
        Ok(lp)
    }

    /// NumPy's error for inputs no loop accepts.
    fn no_loop(&self, inputs: &[DType]) -> Error {
        let class = |d: &DType| {
            let n = d.name();
            let title = match n {
                "bool" => "Bool".to_string(),
                _ if n.starts_with("uint") => format!("UInt{}", &n[4..]),
                _ if n.starts_with("int") => format!("Int{}", &n[3..]),
                _ => format!("Float{}", &n[5..]),
            };
            format!("<class 'numpy.dtypes.{title}DType'>")
        };
        let types = match inputs {
            [one] => class(one),
            _ => format!("({})", inputs.iter().map(class).collect::<Vec<_>>().join(", ")),
        };
        Error::type_error(format!("ufunc '{}' did not contain a loop with signature matching types {types} -> None", self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn loop_resolution_matches_numpy() {
        let add = Ufunc::get("add").unwrap();
        assert_eq!(add.resolve(&[Int8, UInt8]).unwrap().outputs[..], [Int16]);
        assert_eq!(add.resolve(&[Int64, UInt64]).unwrap().outputs[..], [Float64]);
        assert_eq!(add.resolve(&[Float16, Int16]).unwrap().outputs[..], [Float32]);
        assert_eq!(add.resolve(&[Bool, Bool]).unwrap().outputs[..], [Bool]);
        let exp = Ufunc::get("exp").unwrap();
        assert_eq!(exp.resolve(&[Int8]).unwrap().outputs[..], [Float16]);
        assert_eq!(exp.resolve(&[Bool]).unwrap().outputs[..], [Float16]);
        assert_eq!(Ufunc::get("true_divide").unwrap().resolve(&[Int8, Int8]).unwrap().outputs[..], [Float64]);
        assert!(Ufunc::get("subtract").unwrap().resolve(&[Bool, Bool]).is_err());
        assert_eq!(Ufunc::get("less").unwrap().resolve(&[Int8, Float32]).unwrap().outputs[..], [Bool]);
        assert!(Ufunc::get("bitwise_and").unwrap().resolve(&[Float32, Int8]).is_err());
    }
}
