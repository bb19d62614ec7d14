//! Struct and complex parameters for the random-signature suite: a struct's
//! shape is its field types, packed into a `Copy` code, so a signature stays a
//! plain value. Each shape becomes a `#[go_asm] #[repr(C)]` struct `S<n>x<code>`
//! with fields `f0`, `f1`, ... declared once in the generated source; the C
//! compiler and rustc decide how each ABI passes it.

use super::{Rng, SCALARS};
use go_asm_build::internal::sig::Scalar;

/// A struct's fields: `n` of them, field `j` is `SCALARS[(code >> 4j) & 15]`;
/// `nest` 0 declares them flat (`f0`, `f1`, ..), 1 puts all but the first into
/// a nested struct field (`inner.g1`, ..), 2 makes them one array field (`f0[j]`,
/// all of one type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shape {
    pub n: u8,
    pub code: u32,
    pub nest: u8,
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
            nest: 0,
        }
    }
    /// The same fields, nested as `nest` says.
    pub fn nested(self, nest: u8) -> Shape {
        Shape { nest, ..self }
    }
    pub fn fields(self) -> Vec<Scalar> {
        (0..self.n as u32)
            .map(|j| SCALARS[((self.code >> (4 * j)) & 15) as usize])
            .collect()
    }
    pub fn name(self) -> String {
        format!("S{}x{:x}n{}", self.n, self.code, self.nest)
    }
    /// The `#[go_asm]` declarations (a nested struct first).
    pub fn rust_decl(self) -> String {
        let decl = |name: &str, fields: &[String]| {
            format!(
                "/// {name} is a struct passed by value.\n#[go_asm]\n#[repr(C)]\n#[derive(Clone, Copy)]\npub struct {name} {{\n{}}}\n",
                fields.concat()
            )
        };
        let fs = self.fields();
        match self.nest {
            1 => {
                let inner: Vec<String> = fs
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(j, s)| format!("    pub g{j}: {},\n", s.rust_name()))
                    .collect();
                let outer = vec![
                    format!("    pub f0: {},\n", fs[0].rust_name()),
                    format!("    pub inner: {}In,\n", self.name()),
                ];
                format!(
                    "{}\n{}",
                    decl(&format!("{}In", self.name()), &inner),
                    decl(&self.name(), &outer)
                )
            }
            2 => decl(
                &self.name(),
                &[format!(
                    "    pub f0: [{}; {}],\n",
                    fs[0].rust_name(),
                    fs.len()
                )],
            ),
            _ => {
                let fields: Vec<String> = fs
                    .iter()
                    .enumerate()
                    .map(|(j, s)| format!("    pub f{j}: {},\n", s.rust_name()))
                    .collect();
                decl(&self.name(), &fields)
            }
        }
    }
    /// Field `j`'s path: DSL / Rust / C (`f0`, `inner.g1`, `f0[2]`) and Go.
    fn path(self, j: usize) -> (String, String) {
        match (self.nest, j) {
            (1, j) if j > 0 => (format!("inner.g{j}"), format!("Inner.G{j}")),
            (2, j) => (format!("f0[{j}]"), format!("F0[{j}]")),
            (_, j) => (format!("f{j}"), format!("F{j}")),
        }
    }
}

/// Draws a shape: all one float type (AAPCS64's homogeneous aggregates, two
/// `f32` in one xmm), small integers packed into one register, or any mix, of
/// 1 to 5 fields (up to 40 bytes: registers, memory and pointers to copies).
pub fn draw_shape(rng: &mut Rng) -> Shape {
    let n = 1 + rng.below(5);
    let nest = rng.below(3) as u8;
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
    let uniform = fields.iter().all(|f| *f == fields[0]);
    let shape = Shape::of(&fields);
    match nest {
        1 if n >= 2 => shape.nested(1),
        2 if uniform => shape.nested(2),
        _ => shape,
    }
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
            .map(|(j, s)| {
                let (d, g) = sh.path(j);
                (format!("{name}.{d}"), format!("{name}.{g}"), s)
            })
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
        (Some(sh), _) => match sh.nest {
            1 => {
                let inner: Vec<String> = lits
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(j, l)| format!("G{j}: {l}"))
                    .collect();
                format!(
                    "{}{{F0: {}, Inner: {}In{{{}}}}}",
                    sh.name(),
                    lits[0],
                    sh.name(),
                    inner.join(", ")
                )
            }
            2 => format!(
                "{}{{F0: [{}]{}{{{}}}}}",
                sh.name(),
                lits.len(),
                sh.fields()[0].go_name(),
                lits.join(", ")
            ),
            _ => {
                let fs: Vec<String> = lits
                    .iter()
                    .enumerate()
                    .map(|(j, l)| format!("F{j}: {l}"))
                    .collect();
                format!("{}{{{}}}", sh.name(), fs.join(", "))
            }
        },
        _ => format!("complex({}, {})", lits[0], lits[1]),
    }
}

/// A Rust literal of the same.
pub fn rust_value(shape: Option<Shape>, complex: Option<Scalar>, lits: &[String]) -> String {
    match (shape, complex) {
        (Some(sh), _) => match sh.nest {
            1 => {
                let inner: Vec<String> = lits
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(j, l)| format!("g{j}: {l}"))
                    .collect();
                format!(
                    "fns::{} {{ f0: {}, inner: fns::{}In {{ {} }} }}",
                    sh.name(),
                    lits[0],
                    sh.name(),
                    inner.join(", ")
                )
            }
            2 => format!("fns::{} {{ f0: [{}] }}", sh.name(), lits.join(", ")),
            _ => {
                let fs: Vec<String> = lits
                    .iter()
                    .enumerate()
                    .map(|(j, l)| format!("f{j}: {l}"))
                    .collect();
                format!("fns::{} {{ {} }}", sh.name(), fs.join(", "))
            }
        },
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
        (Some(sh), _) => {
            let init = match sh.nest {
                1 => format!("{}, {{{}}}", lits[0], lits[1..].join(", ")),
                2 => format!("{{{}}}", lits.join(", ")),
                _ => lits.join(", "),
            };
            format!("struct {} {n} = {{{init}}};", sh.name())
        }
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
