//! Struct and complex parameters for the random-signature suite: a struct's
//! shape is its field types, packed into a `Copy` code, so a signature stays a
//! plain value. Each shape becomes a `#[go_asm] #[repr(C)]` struct `S<n>x<code>`
//! with fields `f0`, `f1`, ... declared once in the generated source; the C
//! compiler and rustc decide how each ABI passes it.

use super::{Rng, SCALARS};
use go_asm_build::internal::sig::Scalar;

/// A struct's fields: `n` of them, field `j` is `SCALARS[(code >> 4j) & 15]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shape {
    pub n: u8,
    pub code: u32,
}

impl Shape {
    pub fn of(fields: &[Scalar]) -> Shape {
        let code = fields.iter().enumerate().fold(0u32, |c, (j, s)| {
            let k = SCALARS.iter().position(|t| t == s).expect("a scalar") as u32;
            c | (k << (4 * j))
        });
        Shape {
            n: fields.len() as u8,
            code,
        }
    }
    pub fn fields(self) -> Vec<Scalar> {
        (0..self.n as u32)
            .map(|j| SCALARS[((self.code >> (4 * j)) & 15) as usize])
            .collect()
    }
    pub fn name(self) -> String {
        format!("S{}x{:x}", self.n, self.code)
    }
    /// The `#[go_asm]` declaration.
    pub fn rust_decl(self) -> String {
        let fields: Vec<String> = self
            .fields()
            .iter()
            .enumerate()
            .map(|(j, s)| format!("    pub f{j}: {},\n", s.rust_name()))
            .collect();
        format!(
            "/// {} is a struct passed by value.\n#[go_asm]\n#[repr(C)]\n#[derive(Clone, Copy)]\npub struct {} {{\n{}}}\n",
            self.name(),
            self.name(),
            fields.concat()
        )
    }
}

/// Draws a shape: all one float type (AAPCS64's homogeneous aggregates, two
/// `f32` in one xmm), small integers packed into one register, or any mix, of
/// 1 to 5 fields (up to 40 bytes: registers, memory and pointers to copies).
pub fn draw_shape(rng: &mut Rng) -> Shape {
    let n = 1 + rng.below(5);
    let fields: Vec<Scalar> = match rng.below(3) {
        0 => vec![*rng.pick(&[Scalar::F32, Scalar::F64]); n],
        1 => (0..n)
            .map(|_| {
                *rng.pick(&[
                    Scalar::U8,
                    Scalar::I8,
                    Scalar::Bool,
                    Scalar::U16,
                    Scalar::I16,
                    Scalar::I32,
                    Scalar::F32,
                ])
            })
            .collect(),
        _ => (0..n).map(|_| *rng.pick(&SCALARS)).collect(),
    };
    Shape::of(&fields)
}

/// A component's DSL name, Go expression and scalar, per field: `p.f0` / `p.F0`,
/// complex `c.re` / `real(c)`.
pub fn components(
    name: &str,
    shape: Option<Shape>,
    complex: Option<Scalar>,
) -> Vec<(String, String, Scalar)> {
    match (shape, complex) {
        (Some(sh), _) => sh
            .fields()
            .into_iter()
            .enumerate()
            .map(|(j, s)| (format!("{name}.f{j}"), format!("{name}.F{j}"), s))
            .collect(),
        (None, Some(half)) => vec![
            (format!("{name}.re"), format!("real({name})"), half),
            (format!("{name}.im"), format!("imag({name})"), half),
        ],
        (None, None) => Vec::new(),
    }
}

/// The Rust type of a complex parameter.
pub fn complex_rust(half: Scalar) -> &'static str {
    if half == Scalar::F32 {
        "go_asm::Complex64"
    } else {
        "go_asm::Complex128"
    }
}

/// A Go literal of a struct or complex value from its fields' literals.
pub fn go_value(shape: Option<Shape>, complex: Option<Scalar>, lits: &[String]) -> String {
    match (shape, complex) {
        (Some(sh), _) => {
            let fs: Vec<String> = lits
                .iter()
                .enumerate()
                .map(|(j, l)| format!("F{j}: {l}"))
                .collect();
            format!("{}{{{}}}", sh.name(), fs.join(", "))
        }
        _ => format!("complex({}, {})", lits[0], lits[1]),
    }
}

/// A Rust literal of the same.
pub fn rust_value(shape: Option<Shape>, complex: Option<Scalar>, lits: &[String]) -> String {
    match (shape, complex) {
        (Some(sh), _) => {
            let fs: Vec<String> = lits
                .iter()
                .enumerate()
                .map(|(j, l)| format!("f{j}: {l}"))
                .collect();
            format!("fns::{} {{ {} }}", sh.name(), fs.join(", "))
        }
        (None, Some(half)) => format!(
            "{} {{ re: {}, im: {} }}",
            complex_rust(half),
            lits[0],
            lits[1]
        ),
        (None, None) => unreachable!("a struct or a complex"),
    }
}

/// A C declaration of variable `n` holding the same (a complex number's halves
/// are stored through its array view, which C guarantees).
pub fn c_decl(n: &str, shape: Option<Shape>, complex: Option<Scalar>, lits: &[String]) -> String {
    match (shape, complex) {
        (Some(sh), _) => format!("struct {} {n} = {{{}}};", sh.name(), lits.join(", ")),
        (None, Some(half)) => {
            let t = half.c_name();
            format!(
                "{t} _Complex {n}; (({t} *)&{n})[0] = {}; (({t} *)&{n})[1] = {};",
                lits[0], lits[1]
            )
        }
        (None, None) => unreachable!("a struct or a complex"),
    }
}
