//! The seeded random-signature generator: functions with 0 to 12 parameters drawn
//! from every row of the type table and 0 to 4 results, whose bodies fold every
//! parameter into a checksum (rotate left by 5, xor) and move parameters into
//! results. From one draw come the `#[go_asm]` Rust source (amd64!, arm64! and go!
//! blocks), a Go test, a Rust program calling the macro's wrappers and a C program
//! calling the native objects; each checks every result against the Rust
//! reference model below and prints `MISMATCH` lines and a `checked N mismatches M`
//! summary.

use go_asm_build::internal::sig::Scalar;
use std::fmt::Write as _;

mod arrays;

/// Integer-register components (slices are three, strings two, the rest one) a
/// signature may pass: with spilling (merged from branch `spill`) nothing bounds
/// them below 12 parameters x 3, so 12 slice parameters are drawn too. Lower it
/// to bisect a register-pressure failure.
pub const MAX_INT_COMPONENTS: usize = 3 * MAX_PARAMS;

/// Parameters per function, at most.
pub const MAX_PARAMS: usize = 12;

/// Value sets each function is called with.
pub const CASES: usize = 3;

pub use crate::rng::Rng;

mod structs;
pub use structs::Shape as StructShape;

const SCALARS: [Scalar; 13] = [
    Scalar::U8,
    Scalar::U16,
    Scalar::U32,
    Scalar::U64,
    Scalar::Usize,
    Scalar::I8,
    Scalar::I16,
    Scalar::I32,
    Scalar::I64,
    Scalar::Isize,
    Scalar::Bool,
    Scalar::F32,
    Scalar::F64,
];

/// The integer rows of the type table.
pub const INTS: [Scalar; 10] = [
    Scalar::U8,
    Scalar::U16,
    Scalar::U32,
    Scalar::U64,
    Scalar::Usize,
    Scalar::I8,
    Scalar::I16,
    Scalar::I32,
    Scalar::I64,
    Scalar::Isize,
];

/// A parameter type: one row of the type table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PTy {
    Scalar(Scalar),
    Ref {
        pointee: Scalar,
        mutable: bool,
    },
    Slice {
        elem: Scalar,
        mutable: bool,
    },
    Str,
    /// `[T; N]` by value, or with `by_ref: Some(mutable)` through a reference
    /// (`&[T; N]`, `&mut [T; N]`: Go's `*[N]T`); the body sees the address either way.
    ///
    /// `cols: Some(c)` nests it (`[[T; c]; len]`); `refs` makes the elements
    /// references (`[&T; len]`, by value only).
    Array {
        elem: Scalar,
        len: usize,
        by_ref: Option<bool>,
        cols: Option<usize>,
        refs: bool,
    },
    /// `*const c_void` / `*mut c_void`, Go's `unsafe.Pointer`, at a `u64` the
    /// body loads through it (the function is `unsafe fn`).
    Void {
        mutable: bool,
    },
    /// A `#[go_asm]` struct by value (sigs/structs.rs).
    Struct(StructShape),
    /// `go_asm::Complex64` (`F32` halves) or `Complex128` by value.
    Complex(Scalar),
}

impl PTy {
    fn int_components(self) -> usize {
        match self {
            PTy::Scalar(s) if s.is_float() => 0,
            PTy::Struct(sh) => sh.fields().iter().filter(|s| !s.is_float()).count(),
            PTy::Complex(_) => 0,
            PTy::Slice { .. } => 3,
            PTy::Str => 2,
            _ => 1,
        }
    }
    fn rust(self) -> String {
        match self {
            PTy::Scalar(s) => s.rust_name().into(),
            PTy::Ref { pointee, mutable } => {
                format!(
                    "&{}{}",
                    if mutable { "mut " } else { "" },
                    pointee.rust_name()
                )
            }
            PTy::Slice { elem, mutable } => {
                format!(
                    "&{}[{}]",
                    if mutable { "mut " } else { "" },
                    elem.rust_name()
                )
            }
            PTy::Str => "&str".into(),
            PTy::Void { mutable } => {
                format!(
                    "*{} std::ffi::c_void",
                    if mutable { "mut" } else { "const" }
                )
            }
            PTy::Array {
                elem,
                len,
                by_ref,
                cols,
                refs,
            } => {
                let r = match by_ref {
                    None => "",
                    Some(false) => "&",
                    Some(true) => "&mut ",
                };
                let e = if refs {
                    format!("&{}", elem.rust_name())
                } else {
                    elem.rust_name().to_string()
                };
                format!("{r}{}", arrays::rust_type(&e, len, cols))
            }
            PTy::Struct(sh) => sh.name(),
            PTy::Complex(half) => structs::complex_rust(half).into(),
        }
    }
    /// A struct's or complex number's components (DSL name, Go expression,
    /// scalar); none for other types.
    fn fields(self, name: &str) -> Vec<(String, String, Scalar)> {
        match self {
            PTy::Struct(sh) => structs::components(name, Some(sh), None),
            PTy::Complex(half) => structs::components(name, None, Some(half)),
            _ => Vec::new(),
        }
    }
    fn shape(self) -> (Option<StructShape>, Option<Scalar>) {
        match self {
            PTy::Struct(sh) => (Some(sh), None),
            PTy::Complex(half) => (None, Some(half)),
            _ => (None, None),
        }
    }
}

/// Where a result comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Src {
    /// The checksum, truncated to the result type (`& 1` for bool).
    Checksum,
    /// Parameter `i`, converted like Rust's `as` (same type for floats, bools and pointers).
    Param(usize),
}

/// A result type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RTy {
    Scalar(Scalar),
    Ptr {
        pointee: Scalar,
        mutable: bool,
    },
    /// A `c_void` pointer parameter passed back.
    Void {
        mutable: bool,
    },
    /// `[T; len]`, or `[[T; c]; len]` with `cols: Some(c)`; filled from the
    /// checksum (sigs/arrays.rs).
    Array {
        elem: Scalar,
        len: usize,
        cols: Option<usize>,
    },
    /// A struct or complex result of a parameter's type (`PTy::Struct`,
    /// `PTy::Complex`): the parameter with its first integer field replaced by
    /// the checksum; the only result.
    Whole(PTy),
}

#[derive(Clone, Debug)]
pub struct Sig {
    pub name: String,
    pub params: Vec<PTy>,
    pub results: Vec<(RTy, Src)>,
    /// `#[go_asm(results(..))]`: one name per result, or none.
    pub result_names: Option<Vec<String>>,
    /// Parameters declared `_`: the bodies cannot read them (the checksum skips
    /// them, no result comes from them), the callers pass them all the same.
    pub unnamed: Vec<bool>,
    /// `#[go_asm(go_type(..))]`: a scalar parameter or result declared with a Go
    /// alias the package declares ([`go_aliases`]), by its key.
    pub go_types: Vec<(String, String)>,
}

/// The Go alias of a scalar's type that [`go_aliases`] declares: `AliasUint64`.
pub fn alias_of(s: Scalar) -> String {
    let g = s.go_name();
    format!("Alias{}{}", g[..1].to_uppercase(), &g[1..])
}

/// The hand-written Go file a package using `go_type(..)` would have: one alias
/// per scalar type.
pub fn go_aliases(package: &str) -> String {
    let mut s = format!("package {package}\n\n// Aliases the signatures' go_type(..) names.\n\n");
    for sc in SCALARS {
        let _ = writeln!(s, "type {} = {}", alias_of(sc), sc.go_name());
    }
    s
}

/// Draws go_type(..) entries for `sig`'s scalar parameters and results.
fn draw_go_types(rng: &mut Rng, sig: &mut Sig) {
    for (i, p) in sig.params.iter().enumerate() {
        if let PTy::Scalar(sc) = p {
            if !sig.unnamed[i] && rng.below(6) == 0 {
                sig.go_types.push((param(i), alias_of(*sc)));
            }
        }
    }
    for (k, r) in sig.results.iter().enumerate() {
        if let RTy::Scalar(sc) = r.0 {
            if rng.below(6) == 0 {
                let key = match &sig.result_names {
                    Some(n) => n[k].clone(),
                    None if k == 0 => "ret".into(),
                    None => format!("ret{k}"),
                };
                sig.go_types.push((key, alias_of(sc)));
            }
        }
    }
}

/// Names results are given (`#[go_asm(results(..))]`): C keywords and C header
/// types (renamed in C only), asmdecl's own `ret` and `ret1` (in any position),
/// snake and camel case, a name like an unnamed results struct's pad field. None
/// is a Go predeclared type or function, `acc` or an import, which the generated
/// `go!` bodies use.
const RESULT_NAMES: [&str; 15] = [
    "sum", "carry", "class", "new", "char", "ret1", "ret", "lo_word", "hiWord", "value", "size_t",
    "double", "pad0", "signed", "out",
];

/// Names for `n` results, or none (a third of the time).
fn draw_result_names(rng: &mut Rng, n: usize) -> Option<Vec<String>> {
    if n == 0 || rng.below(3) != 0 {
        return None;
    }
    let mut pool: Vec<&str> = RESULT_NAMES.to_vec();
    let mut out = Vec::new();
    for _ in 0..n {
        let k = rng.below(pool.len());
        out.push(pool.remove(k).to_string());
    }
    Some(out)
}

impl Sig {
    /// The C expression of result `k` (among all), the `j`-th register result,
    /// in the results struct `r`.
    fn c_field(&self, k: usize, j: usize) -> String {
        match &self.result_names {
            Some(n) => format!("r.{}", go_asm_build::internal::sig::c_ident(&n[k])),
            None => format!("r.r{j}"),
        }
    }
}

/// One argument's value. Scalars are raw bits (bool 0/1, floats as bits).
#[derive(Clone, Debug)]
pub enum Val {
    Scalar(u64),
    Ref(u64),
    Slice(Vec<u64>),
    Str(Vec<u8>),
    Array(Vec<u64>),
    /// A struct's or complex number's fields, raw bits each.
    Fields(Vec<u64>),
}

fn mask(s: Scalar, bits: u64) -> u64 {
    match s.size() {
        8 => bits,
        n => bits & ((1u64 << (8 * n)) - 1),
    }
}

/// A scalar's value as the body sees it in a 64-bit register (narrow integers
/// zero/sign-extended, floats as their bits).
pub fn ext64(s: Scalar, raw: u64) -> u64 {
    if s.is_signed() {
        let shift = 64 - 8 * s.size();
        (((raw << shift) as i64) >> shift) as u64
    } else {
        raw
    }
}

/// Draws a signature.
pub fn draw_sig(rng: &mut Rng, name: String) -> Sig {
    let n = rng.below(MAX_PARAMS + 1);
    let mut params = Vec::new();
    let mut ints = 0;
    for _ in 0..n {
        let elem = *rng.pick(&SCALARS);
        let mut ty = match rng.below(23) {
            20..=21 => PTy::Struct(structs::draw_shape(rng)),
            22 => PTy::Complex(*rng.pick(&[Scalar::F32, Scalar::F64])),
            0..=9 => PTy::Scalar(elem),
            10..=11 if rng.below(4) == 0 => PTy::Void {
                mutable: rng.below(2) == 0,
            },
            10..=11 => PTy::Ref {
                pointee: elem,
                mutable: rng.below(2) == 0,
            },
            12..=14 => PTy::Slice {
                elem,
                mutable: rng.below(3) == 0,
            },
            15..=16 => PTy::Str,
            _ => {
                let by_ref = match rng.below(3) {
                    0 => None,
                    k => Some(k == 2),
                };
                // Arrays of arrays, and (by value) arrays of references.
                let cols = (rng.below(3) == 0).then(|| 1 + rng.below(3));
                let refs = by_ref.is_none() && cols.is_none() && rng.below(3) == 0;
                PTy::Array {
                    elem,
                    len: 1 + rng.below(4),
                    by_ref,
                    cols,
                    refs,
                }
            }
        };
        if ints + ty.int_components() > MAX_INT_COMPONENTS {
            ty = PTy::Scalar(*rng.pick(&[Scalar::F32, Scalar::F64]));
        }
        ints += ty.int_components();
        params.push(ty);
    }
    // Now and then a parameter is `_`.
    let unnamed: Vec<bool> = params.iter().map(|_| rng.below(8) == 0).collect();
    // Now and then only floats come back, so that AAPCS64 HFAs (all doubles) and
    // all-float structs are drawn often enough.
    let floats: Vec<(RTy, Src)> = params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match *p {
            PTy::Scalar(s) if s.is_float() && !unnamed[i] => Some((RTy::Scalar(s), Src::Param(i))),
            _ => None,
        })
        .collect();
    let mut results = Vec::new();
    if !floats.is_empty() && rng.below(6) == 0 {
        let doubles: Vec<(RTy, Src)> = floats
            .iter()
            .copied()
            .filter(|r| r.0 == RTy::Scalar(Scalar::F64))
            .collect();
        let pool = if !doubles.is_empty() && rng.below(2) == 0 {
            doubles
        } else {
            floats
        };
        for _ in 0..1 + rng.below(4) {
            results.push(*rng.pick(&pool));
        }
        let result_names = draw_result_names(rng, results.len());
        let mut sig = Sig {
            name,
            params,
            results,
            result_names,
            unnamed,
            go_types: Vec::new(),
        };
        draw_go_types(rng, &mut sig);
        return sig;
    }
    for _ in 0..rng.below(5) {
        // Every source this signature offers, with the result type it gives.
        let mut options: Vec<(RTy, Src)> = vec![
            (RTy::Scalar(*rng.pick(&INTS)), Src::Checksum),
            (RTy::Scalar(Scalar::Bool), Src::Checksum),
        ];
        for (i, p) in params.iter().enumerate().filter(|(i, _)| !unnamed[*i]) {
            match *p {
                PTy::Scalar(Scalar::Bool) => {
                    options.push((RTy::Scalar(Scalar::Bool), Src::Param(i)))
                }
                PTy::Scalar(s) if s.is_float() => options.push((RTy::Scalar(s), Src::Param(i))),
                PTy::Scalar(_) => options.push((RTy::Scalar(*rng.pick(&INTS)), Src::Param(i))),
                PTy::Ref { pointee, mutable } => {
                    options.push((RTy::Ptr { pointee, mutable }, Src::Param(i)))
                }
                PTy::Void { mutable } => options.push((RTy::Void { mutable }, Src::Param(i))),
                PTy::Struct(sh) if sh.n as usize <= 4 => {
                    options.push((RTy::Whole(*p), Src::Param(i)))
                }
                PTy::Complex(_) => options.push((RTy::Whole(*p), Src::Param(i))),
                _ => {}
            }
        }
        // Now and then an array, of any element, from the checksum.
        if rng.below(5) == 0 {
            let elem = *rng.pick(&SCALARS);
            let cols = (rng.below(3) == 0).then(|| 1 + rng.below(3));
            let len = 1 + rng.below(4);
            results.push((RTy::Array { elem, len, cols }, Src::Checksum));
            continue;
        }
        // Favour parameters so floats and pointers come back often.
        let pick = if options.len() > 2 && rng.below(3) != 0 {
            2 + rng.below(options.len() - 2)
        } else {
            rng.below(options.len())
        };
        results.push(options[pick]);
    }
    // A struct result is the function's only one, and keeps asmdecl's names.
    if let Some(w) = results.iter().find(|r| matches!(r.0, RTy::Whole(_))) {
        results = vec![*w];
    }
    let result_names = match results.first() {
        Some((RTy::Whole(_), _)) => None,
        _ => draw_result_names(rng, results.len()),
    };
    let mut sig = Sig {
        name,
        params,
        results,
        result_names,
        unnamed,
        go_types: Vec::new(),
    };
    draw_go_types(rng, &mut sig);
    sig
}

/// Parameters and results of a pinned signature.
type Shape = (Vec<PTy>, Vec<(RTy, Src)>);

/// Signatures every run includes whatever the seed: one per way a C ABI returns
/// results (c_results.rs), plus the register-pressure extremes.
pub fn pinned() -> Vec<Sig> {
    use Scalar::*;
    let f = |t| RTy::Scalar(t);
    let shapes: Vec<Shape> = vec![
        // AAPCS64 HFA d0-d3; memory on SysV and Win64.
        (
            vec![PTy::Scalar(F64); 4],
            (0..4).map(|i| (f(F64), Src::Param(i))).collect(),
        ),
        // HFA d0, d1; SysV xmm0, xmm1.
        (
            vec![PTy::Scalar(F64); 2],
            vec![(f(F64), Src::Param(1)), (f(F64), Src::Param(0))],
        ),
        // f32 slots are INTEGER eightbytes (rax, rdx) and no HFA (x0, x1).
        (
            vec![PTy::Scalar(F32); 2],
            vec![(f(F32), Src::Param(0)), (f(F32), Src::Param(1))],
        ),
        // Mixed: SysV xmm0 + rax, AAPCS64 x0 (double bits) + x1.
        (
            vec![PTy::Scalar(F64), PTy::Scalar(U8)],
            vec![(f(F64), Src::Param(0)), (f(I8), Src::Param(1))],
        ),
        // Four of every kind: memory on every ABI but none of its slots alike.
        (
            vec![
                PTy::Scalar(U8),
                PTy::Scalar(I16),
                PTy::Ref {
                    pointee: U32,
                    mutable: true,
                },
                PTy::Scalar(F32),
            ],
            vec![
                (f(U8), Src::Checksum),
                (f(I64), Src::Param(1)),
                (
                    RTy::Ptr {
                        pointee: U32,
                        mutable: true,
                    },
                    Src::Param(2),
                ),
                (f(F32), Src::Param(3)),
            ],
        ),
        // No parameters, four integer results.
        (
            vec![],
            vec![
                (f(U64), Src::Checksum),
                (f(Bool), Src::Checksum),
                (f(I32), Src::Checksum),
                (f(Usize), Src::Checksum),
            ],
        ),
        // Twelve slices: 36 integer arguments, most on the stack, spilled.
        (
            (0..MAX_PARAMS)
                .map(|i| PTy::Slice {
                    elem: SCALARS[i % SCALARS.len()],
                    mutable: i % 2 == 0,
                })
                .collect(),
            vec![
                (f(I16), Src::Checksum),
                (f(Bool), Src::Checksum),
                (f(U32), Src::Checksum),
            ],
        ),
        // Twelve floats in and four back: stack floats on every ABI.
        (
            (0..MAX_PARAMS)
                .map(|i| PTy::Scalar(if i % 3 == 0 { F32 } else { F64 }))
                .collect(),
            vec![
                (f(F64), Src::Param(11)),
                (f(F32), Src::Param(9)),
                (f(F64), Src::Param(10)),
                (f(Isize), Src::Checksum),
            ],
        ),
        // Unnamed slices, strings, floats, arrays and pointers (even positions)
        // between named parameters: every argument keeps its place.
        (
            vec![
                PTy::Slice {
                    elem: U8,
                    mutable: false,
                },
                PTy::Scalar(U64),
                PTy::Scalar(F64),
                PTy::Scalar(F32),
                PTy::Str,
                PTy::Scalar(I16),
                PTy::Array {
                    elem: U32,
                    len: 3,
                    by_ref: None,
                    cols: None,
                    refs: false,
                },
                PTy::Slice {
                    elem: F64,
                    mutable: true,
                },
                PTy::Ref {
                    pointee: U16,
                    mutable: false,
                },
                PTy::Scalar(F64),
            ],
            vec![
                (f(F32), Src::Param(3)),
                (f(U64), Src::Param(1)),
                (f(F64), Src::Param(9)),
                (f(I8), Src::Checksum),
            ],
        ),
        // Arrays by value: of arrays and of references in, of floats, bools and
        // arrays out between register results (named, pinned9's names below).
        (
            vec![
                PTy::Array {
                    elem: I16,
                    len: 2,
                    by_ref: None,
                    cols: Some(3),
                    refs: false,
                },
                PTy::Scalar(F32),
                PTy::Array {
                    elem: U64,
                    len: 3,
                    by_ref: None,
                    cols: None,
                    refs: true,
                },
                PTy::Array {
                    elem: Bool,
                    len: 4,
                    by_ref: None,
                    cols: None,
                    refs: false,
                },
            ],
            vec![
                (
                    RTy::Array {
                        elem: F64,
                        len: 2,
                        cols: None,
                    },
                    Src::Checksum,
                ),
                (f(F32), Src::Param(1)),
                (
                    RTy::Array {
                        elem: U8,
                        len: 2,
                        cols: Some(3),
                    },
                    Src::Checksum,
                ),
                (
                    RTy::Array {
                        elem: Bool,
                        len: 3,
                        cols: None,
                    },
                    Src::Checksum,
                ),
            ],
        ),
        // One array result, unnamed: `ret`, no `return`.
        (
            vec![PTy::Scalar(U32)],
            vec![(
                RTy::Array {
                    elem: F32,
                    len: 4,
                    cols: None,
                },
                Src::Checksum,
            )],
        ),
        // Structs after the integer registers run out: System V puts a
        // 16-byte struct in memory with one register left, AAPCS64 in x6, x7
        // (and the next struct on the stack, with no x register after it).
        (
            [
                vec![PTy::Scalar(U64); 6],
                vec![
                    PTy::Struct(StructShape::of(&[U32, U32, U64])),
                    PTy::Scalar(U8),
                    PTy::Struct(StructShape::of(&[U16, I16])),
                    PTy::Scalar(I32),
                ],
            ]
            .concat(),
            vec![(f(U64), Src::Checksum), (f(I32), Src::Param(9))],
        ),
        // Float structs after seven doubles: AAPCS64 puts the f32 pair on the
        // stack and no double after it in a v register; System V gives it xmm7.
        (
            [
                vec![PTy::Scalar(F64); 7],
                vec![
                    PTy::Struct(StructShape::of(&[F32, F32])),
                    PTy::Scalar(F64),
                    PTy::Struct(StructShape::of(&[F64, F64, F64, F64])),
                    PTy::Complex(F32),
                    PTy::Complex(F64),
                ],
            ]
            .concat(),
            vec![(f(F64), Src::Param(8)), (f(U64), Src::Checksum)],
        ),
        // Win64 positions 5 and 6: a 24-byte struct's pointer on the stack, an
        // 8-byte struct in a stack slot; in System V memory and a register.
        (
            vec![
                PTy::Scalar(U8),
                PTy::Scalar(I8),
                PTy::Scalar(U16),
                PTy::Scalar(Bool),
                PTy::Struct(StructShape::of(&[U64, I8, U64])),
                PTy::Struct(StructShape::of(&[F32, U8, I16])),
            ],
            vec![(f(U64), Src::Checksum)],
        ),
        // Struct and complex results, one per way they come back: packed
        // INTEGER and SSE eightbytes (SysV rax + xmm0; Win64 memory; AAPCS64
        // x0), a four-double HFA (SysV memory, AAPCS64 d0-d3), complex128
        // (xmm0, xmm1; Win64 memory; d0, d1), 24 bytes (memory everywhere).
        {
            let p = PTy::Struct(StructShape::of(&[U8, F32, I16, F64]));
            (
                vec![p, PTy::Complex(F32)],
                vec![(RTy::Whole(p), Src::Param(0))],
            )
        },
        {
            let p = PTy::Struct(StructShape::of(&[F64, F64, F64, F64]));
            (
                vec![PTy::Scalar(F64), PTy::Scalar(F64), PTy::Scalar(U8), p],
                vec![(RTy::Whole(p), Src::Param(3))],
            )
        },
        {
            let p = PTy::Complex(F64);
            (
                vec![PTy::Scalar(I32), p],
                vec![(RTy::Whole(p), Src::Param(1))],
            )
        },
        {
            let p = PTy::Struct(StructShape::of(&[U64, I8, U64]));
            (vec![p], vec![(RTy::Whole(p), Src::Param(0))])
        },
        {
            let p = PTy::Struct(StructShape::of(&[F32, F32]));
            (
                vec![PTy::Scalar(Bool), p],
                vec![(RTy::Whole(p), Src::Param(1))],
            )
        },
        // Nested: an array field of four f32 (an HFA in and out, two SSE
        // eightbytes), and a struct field after a u8 (padding inside and after).
        {
            let p = PTy::Struct(StructShape::of(&[F32; 4]).nested(2));
            let q = PTy::Struct(StructShape::of(&[U8, I16, F64, U8]).nested(1));
            (vec![q, p], vec![(RTy::Whole(p), Src::Param(1))])
        },
    ];
    shapes
        .into_iter()
        .enumerate()
        .map(|(i, (params, results))| Sig {
            name: format!("pinned{i}"),
            // Unnamed parameters of every kind, between named ones.
            unnamed: (0..params.len()).map(|k| i == 8 && k % 2 == 0).collect(),
            // Go aliases for a parameter and a named result.
            go_types: match i {
                3 => vec![("p1".into(), alias_of(U8)), ("ret1".into(), alias_of(I8))],
                _ => Vec::new(),
            },
            // Named results on the f32 pair (their pads) and the four of every kind.
            result_names: match i {
                2 => Some(vec!["ret1".into(), "ret".into()]),
                4 => Some(vec![
                    "class".into(),
                    "lo_word".into(),
                    "hiWord".into(),
                    "pad0".into(),
                ]),
                9 => Some(vec![
                    "out".into(),
                    "ret".into(),
                    "new".into(),
                    "ret1".into(),
                ]),
                _ => None,
            },
            params,
            results,
        })
        .collect()
}

pub fn draw_scalar(rng: &mut Rng, s: Scalar, case: usize) -> u64 {
    if s == Scalar::Bool {
        return [0, 1, rng.next_u64() & 1][case.min(2)];
    }
    if s.is_float() {
        let special: &[u64] = if s == Scalar::F32 {
            &[0, 0x8000_0000, 0x3f80_0000, 0x7f80_0000, 0xff7f_ffff, 1]
        } else {
            &[
                0,
                0x8000_0000_0000_0000,
                0x3ff0_0000_0000_0000,
                0xfff0_0000_0000_0000,
                0x7fef_ffff_ffff_ffff,
                1,
            ]
        };
        let bits = match case {
            0 => 0,
            1 => *rng.pick(special),
            _ => rng.next_u64(),
        };
        let bits = mask(s, bits);
        // NaN-free: an all-ones exponent with a fraction becomes an infinity.
        let (exp, frac) = if s == Scalar::F32 {
            (0x7f80_0000u64, 0x007f_ffffu64)
        } else {
            (0x7ff0_0000_0000_0000, 0x000f_ffff_ffff_ffff)
        };
        return if bits & exp == exp {
            bits & !frac
        } else {
            bits
        };
    }
    let size = 8 * s.size();
    let (min, max) = if s.is_signed() {
        (1u64 << (size - 1), mask(s, u64::MAX) >> 1)
    } else {
        (0, mask(s, u64::MAX))
    };
    let bits = match case {
        0 => 0,
        1 => *rng.pick(&[min, max, mask(s, u64::MAX), 1]),
        _ => rng.next_u64(),
    };
    mask(s, bits)
}

/// Draws the arguments of one call.
pub fn draw_args(rng: &mut Rng, sig: &Sig, case: usize) -> Vec<Val> {
    sig.params
        .iter()
        .map(|p| match *p {
            PTy::Scalar(s) => Val::Scalar(draw_scalar(rng, s, case)),
            PTy::Ref { pointee, .. } => Val::Ref(draw_scalar(rng, pointee, case)),
            PTy::Void { .. } => Val::Ref(draw_scalar(rng, Scalar::U64, case)),
            PTy::Slice { elem, .. } => {
                let n = if case == 0 { 0 } else { 1 + rng.below(4) };
                Val::Slice((0..n).map(|_| draw_scalar(rng, elem, case)).collect())
            }
            PTy::Str => {
                let n = if case == 0 { 0 } else { 1 + rng.below(6) };
                Val::Str((0..n).map(|_| b'a' + rng.below(26) as u8).collect())
            }
            PTy::Array {
                elem, len, cols, ..
            } => Val::Array(
                (0..len * cols.unwrap_or(1))
                    .map(|_| draw_scalar(rng, elem, case))
                    .collect(),
            ),
            PTy::Struct(_) | PTy::Complex(_) => Val::Fields(
                p.fields("")
                    .into_iter()
                    .map(|(_, _, s)| draw_scalar(rng, s, case))
                    .collect(),
            ),
        })
        .collect()
}

fn fold(acc: u64, x: u64) -> u64 {
    acc.rotate_left(5) ^ x
}

/// The checksum the body computes over `args` (slices have cap == len: Rust's
/// wrapper passes the length for both, and the generated callers do too).
pub fn checksum(sig: &Sig, args: &[Val]) -> u64 {
    let mut acc = 0;
    for ((p, v), _) in sig
        .params
        .iter()
        .zip(args)
        .zip(&sig.unnamed)
        .filter(|(_, u)| !**u)
    {
        match (*p, v) {
            (PTy::Scalar(s), Val::Scalar(x)) => acc = fold(acc, ext64(s, *x)),
            (PTy::Ref { pointee, .. }, Val::Ref(x)) => acc = fold(acc, ext64(pointee, *x)),
            (PTy::Void { .. }, Val::Ref(x)) => acc = fold(acc, *x),
            (PTy::Slice { elem, .. }, Val::Slice(xs)) => {
                acc = fold(acc, xs.len() as u64);
                acc = fold(acc, xs.len() as u64);
                if let Some(x) = xs.first() {
                    acc = fold(acc, ext64(elem, *x));
                }
            }
            (PTy::Str, Val::Str(s)) => {
                acc = fold(acc, s.len() as u64);
                if let Some(b) = s.first() {
                    acc = fold(acc, *b as u64);
                }
            }
            (PTy::Array { elem, .. }, Val::Array(xs)) => {
                for x in xs {
                    acc = fold(acc, ext64(elem, *x));
                }
            }
            (PTy::Struct(_) | PTy::Complex(_), Val::Fields(xs)) => {
                for ((_, _, s), x) in p.fields("").into_iter().zip(xs) {
                    acc = fold(acc, ext64(s, *x));
                }
            }
            _ => unreachable!("values are drawn for their types"),
        }
    }
    acc
}

/// An expected result.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// Raw bits of the result type (bool 0/1, floats as bits).
    Bits(u64),
    /// The address of parameter `i`'s pointee.
    AddrOf(usize),
    /// The raw bits of every element of an array result, in memory order.
    Elems(Vec<u64>),
    /// A struct's fields, each as the 64 bits `ext64` gives.
    Fields(Vec<u64>),
}

/// The fields of a struct result from parameter `i`: its own, except the first
/// integer one, which is the checksum (structs.rs).
fn whole_fields(sig: &Sig, args: &[Val], i: usize, acc: u64) -> Vec<u64> {
    let Val::Fields(xs) = &args[i] else {
        unreachable!("struct results come from struct parameters")
    };
    let fields = sig.params[i].fields("");
    let first_int = fields.iter().position(|f| !f.2.is_float());
    fields
        .iter()
        .zip(xs)
        .enumerate()
        .map(|(j, ((_, _, s), x))| match (Some(j) == first_int, *s) {
            (true, Scalar::Bool) => acc & 1,
            (true, s) => ext64(s, mask(s, acc)),
            (false, s) => ext64(s, *x),
        })
        .collect()
}

/// The reference model: what each result must be.
pub fn expected(sig: &Sig, args: &[Val]) -> Vec<Expect> {
    let acc = checksum(sig, args);
    sig.results
        .iter()
        .map(|&(ty, src)| match (ty, src) {
            (RTy::Ptr { .. } | RTy::Void { .. }, Src::Param(i)) => Expect::AddrOf(i),
            (RTy::Array { elem, len, cols }, _) => {
                Expect::Elems(arrays::result_bits(acc, elem, len * cols.unwrap_or(1)))
            }
            (RTy::Whole(_), Src::Param(i)) => Expect::Fields(whole_fields(sig, args, i, acc)),
            (RTy::Whole(_), Src::Checksum) => unreachable!("structs come from parameters"),
            (RTy::Scalar(Scalar::Bool), Src::Checksum) => Expect::Bits(acc & 1),
            (RTy::Scalar(s), Src::Checksum) => Expect::Bits(mask(s, acc)),
            (RTy::Scalar(s), Src::Param(i)) => {
                let (PTy::Scalar(ps), Val::Scalar(x)) = (sig.params[i], &args[i]) else {
                    unreachable!("scalar results come from scalar parameters")
                };
                Expect::Bits(mask(s, ext64(ps, *x)))
            }
            (RTy::Ptr { .. } | RTy::Void { .. }, Src::Checksum) => {
                unreachable!("pointers come from parameters")
            }
        })
        .collect()
}

fn param(i: usize) -> String {
    format!("p{i}")
}

// ---------------------------------------------------------------- Rust source

fn rty_rust(t: RTy) -> String {
    match t {
        RTy::Whole(p) => p.rust(),
        RTy::Scalar(s) => s.rust_name().into(),
        RTy::Ptr { pointee, mutable } => format!(
            "*{} {}",
            if mutable { "mut" } else { "const" },
            pointee.rust_name()
        ),
        RTy::Array { elem, len, cols } => arrays::rust_type(elem.rust_name(), len, cols),
        RTy::Void { mutable } => {
            format!(
                "*{} std::ffi::c_void",
                if mutable { "mut" } else { "const" }
            )
        }
    }
}

/// amd64: a load of one `s` from `mem` into the scratch register, extended.
fn amd64_load(s: Scalar, mem: &str) -> String {
    match s {
        Scalar::U8 | Scalar::Bool => format!("movzx t.32, byte [{mem}]"),
        Scalar::I8 => format!("movsx t, byte [{mem}]"),
        Scalar::U16 => format!("movzx t.32, word [{mem}]"),
        Scalar::I16 => format!("movsx t, word [{mem}]"),
        Scalar::U32 | Scalar::F32 => format!("mov t.32, dword [{mem}]"),
        Scalar::I32 => format!("movsxd t, dword [{mem}]"),
        _ => format!("mov t, qword [{mem}]"),
    }
}

/// arm64: the same load.
fn arm64_load(s: Scalar, mem: &str) -> String {
    match s {
        Scalar::U8 | Scalar::Bool => format!("ldrb t.w, [{mem}]"),
        Scalar::I8 => format!("ldrsb t, [{mem}]"),
        Scalar::U16 => format!("ldrh t.w, [{mem}]"),
        Scalar::I16 => format!("ldrsh t, [{mem}]"),
        Scalar::U32 | Scalar::F32 => format!("ldr t.w, [{mem}]"),
        Scalar::I32 => format!("ldrsw t, [{mem}]"),
        _ => format!("ldr t, [{mem}]"),
    }
}

/// Go: a scalar expression as the uint64 the body folds.
fn go_u64(s: Scalar, e: &str) -> String {
    match s {
        Scalar::F32 => format!("uint64(math.Float32bits({e}))"),
        Scalar::F64 => format!("math.Float64bits({e})"),
        Scalar::U64 => e.to_string(),
        _ => format!("uint64({e})"),
    }
}

fn go_fold(out: &mut Vec<String>, s: Scalar, e: &str) {
    if s == Scalar::Bool {
        out.push(format!("if {e} {{"));
        out.push("    acc = bits.RotateLeft64(acc, 5) ^ 1".into());
        out.push("} else {".into());
        out.push("    acc = bits.RotateLeft64(acc, 5)".into());
        out.push("}".into());
    } else {
        out.push(format!(
            "acc = bits.RotateLeft64(acc, 5) ^ {}",
            go_u64(s, e)
        ));
    }
}

/// The `#[go_asm]` function for `sig`.
pub fn rust_fn(sig: &Sig) -> String {
    let mut amd = vec!["let acc: gp64, t: gp64".to_string(), "xor acc, acc".into()];
    let mut arm = vec!["let acc: x, t: x".to_string(), "mov acc, xzr".into()];
    let mut gob = vec!["import \"math/bits\"".to_string()];
    let named = sig.params.iter().zip(&sig.unnamed).filter(|(_, u)| !**u);
    let uses_math = named.map(|(p, _)| p).any(|p| match p {
        PTy::Scalar(s) | PTy::Ref { pointee: s, .. } => s.is_float(),
        PTy::Slice { elem, .. } | PTy::Array { elem, .. } => elem.is_float(),
        PTy::Str | PTy::Void { .. } => false,
        PTy::Struct(_) | PTy::Complex(_) => p.fields("").iter().any(|f| f.2.is_float()),
    }) || sig
        .results
        .iter()
        .any(|r| matches!(r.0, RTy::Array { elem, .. } if elem.is_float()));
    if uses_math {
        gob.push("import \"math\"".into());
    }
    gob.push("var acc uint64".into());
    let amd_fold = |amd: &mut Vec<String>, x: &str| {
        amd.push("rol acc, 5".into());
        amd.push(format!("xor acc, {x}"));
    };
    let arm_fold = |x: &str| format!("eor acc, {x}, acc, ror #59");
    for (i, p) in sig.params.iter().enumerate() {
        if sig.unnamed[i] {
            continue;
        }
        let n = param(i);
        match *p {
            // Each field is a component, folded like a scalar parameter.
            PTy::Struct(_) | PTy::Complex(_) => {
                for (dsl, go, s) in p.fields(&n) {
                    match s {
                        Scalar::F64 => {
                            amd.push(format!("movq t, {dsl}"));
                            amd_fold(&mut amd, "t");
                            arm.push(format!("fmov t, {dsl}.d"));
                            arm.push(arm_fold("t"));
                        }
                        Scalar::F32 => {
                            amd.push(format!("movd t.32, {dsl}"));
                            amd_fold(&mut amd, "t");
                            arm.push(format!("fmov t.w, {dsl}.s"));
                            arm.push(arm_fold("t"));
                        }
                        _ => {
                            amd_fold(&mut amd, &dsl);
                            arm.push(arm_fold(&dsl));
                        }
                    }
                    go_fold(&mut gob, s, &go);
                }
            }
            PTy::Scalar(Scalar::F64) => {
                amd.push(format!("movq t, {n}"));
                amd_fold(&mut amd, "t");
                arm.push(format!("fmov t, {n}.d"));
                arm.push(arm_fold("t"));
                go_fold(&mut gob, Scalar::F64, &n);
            }
            PTy::Scalar(Scalar::F32) => {
                amd.push(format!("movd t.32, {n}"));
                amd_fold(&mut amd, "t");
                arm.push(format!("fmov t.w, {n}.s"));
                arm.push(arm_fold("t"));
                go_fold(&mut gob, Scalar::F32, &n);
            }
            PTy::Scalar(s) => {
                amd_fold(&mut amd, &n);
                arm.push(arm_fold(&n));
                go_fold(&mut gob, s, &n);
            }
            PTy::Ref { pointee, .. } => {
                amd.push(amd64_load(pointee, &n));
                amd_fold(&mut amd, "t");
                arm.push(arm64_load(pointee, &n));
                arm.push(arm_fold("t"));
                go_fold(&mut gob, pointee, &format!("*{n}"));
            }
            PTy::Void { .. } => {
                amd.push(amd64_load(Scalar::U64, &n));
                amd_fold(&mut amd, "t");
                arm.push(arm64_load(Scalar::U64, &n));
                arm.push(arm_fold("t"));
                go_fold(&mut gob, Scalar::U64, &format!("*(*uint64)({n})"));
            }
            PTy::Slice { elem, .. } => {
                for c in ["len", "cap"] {
                    amd_fold(&mut amd, &format!("{n}.{c}"));
                    arm.push(arm_fold(&format!("{n}.{c}")));
                }
                amd.push(format!("test {n}.len, {n}.len"));
                amd.push(format!("jz skip{i}"));
                amd.push(amd64_load(elem, &format!("{n}.ptr")));
                amd_fold(&mut amd, "t");
                amd.push(format!("skip{i}:"));
                arm.push(format!("cbz {n}.len, skip{i}"));
                arm.push(arm64_load(elem, &format!("{n}.ptr")));
                arm.push(arm_fold("t"));
                arm.push(format!("skip{i}:"));
                gob.push(format!(
                    "acc = bits.RotateLeft64(acc, 5) ^ uint64(len({n}))"
                ));
                gob.push(format!(
                    "acc = bits.RotateLeft64(acc, 5) ^ uint64(cap({n}))"
                ));
                gob.push(format!("if len({n}) > 0 {{"));
                let mut inner = Vec::new();
                go_fold(&mut inner, elem, &format!("{n}[0]"));
                gob.extend(inner.into_iter().map(|l| format!("    {l}")));
                gob.push("}".into());
            }
            PTy::Str => {
                amd_fold(&mut amd, &format!("{n}.len"));
                arm.push(arm_fold(&format!("{n}.len")));
                amd.push(format!("test {n}.len, {n}.len"));
                amd.push(format!("jz skip{i}"));
                amd.push(amd64_load(Scalar::U8, &format!("{n}.ptr")));
                amd_fold(&mut amd, "t");
                amd.push(format!("skip{i}:"));
                arm.push(format!("cbz {n}.len, skip{i}"));
                arm.push(arm64_load(Scalar::U8, &format!("{n}.ptr")));
                arm.push(arm_fold("t"));
                arm.push(format!("skip{i}:"));
                gob.push(format!(
                    "acc = bits.RotateLeft64(acc, 5) ^ uint64(len({n}))"
                ));
                gob.push(format!("if len({n}) > 0 {{"));
                gob.push(format!(
                    "    acc = bits.RotateLeft64(acc, 5) ^ uint64({n}[0])"
                ));
                gob.push("}".into());
            }
            PTy::Array {
                elem,
                len: rows,
                cols,
                refs,
                ..
            } => {
                // The elements through a DSL repetition, held (all of them,
                // before they are folded) in a register array or, for every
                // other parameter, a stack local aligned to 8, 16 or 32. An
                // array of arrays is its elements in a row; an array of
                // references, pointers to them.
                let len = rows * cols.unwrap_or(1);
                let size = if refs { 8 } else { elem.size() };
                let held = i % 2 == 0;
                let align = 8 << (i / 2 % 3);
                if held {
                    amd.push(format!("let e{i}[{len}]: gp64"));
                    arm.push(format!("let e{i}[{len}]: x"));
                } else {
                    amd.push(format!("let st{i}: stack[{len} * 8] align {align}"));
                    arm.push(format!("let st{i}: stack[{len} * 8] align {align}"));
                }
                amd.push(format!("for k in 0..{len} {{"));
                arm.push(format!("for k in 0..{len} {{"));
                if refs {
                    amd.push(format!("mov t, qword [{n} + k*8]"));
                    amd.push(amd64_load(elem, "t"));
                    arm.push(format!("ldr t, [{n}, #k*8]"));
                    arm.push(arm64_load(elem, "t"));
                } else {
                    amd.push(amd64_load(elem, &format!("{n} + k*{size}")));
                    arm.push(arm64_load(elem, &format!("{n}, #k*{size}")));
                }
                if held {
                    amd.push(format!("mov e{i}[k], t"));
                    arm.push(format!("mov e{i}[k], t"));
                } else {
                    amd.push(format!("mov qword [st{i} + k*8], t"));
                    arm.push(format!("str t, [st{i}, #k*8]"));
                }
                amd.push("}".into());
                arm.push("}".into());
                amd.push(format!("for k in 0..{len} {{"));
                arm.push(format!("for k in 0..{len} {{"));
                if held {
                    amd_fold(&mut amd, &format!("e{i}[k]"));
                    arm.push(arm_fold(&format!("e{i}[k]")));
                } else {
                    amd.push(format!("mov t, qword [st{i} + k*8]"));
                    amd_fold(&mut amd, "t");
                    arm.push(format!("ldr t, [st{i}, #k*8]"));
                    arm.push(arm_fold("t"));
                }
                amd.push("}".into());
                arm.push("}".into());
                for k in 0..len {
                    let e = match refs {
                        true => format!("*{n}[{k}]"),
                        false => format!("{n}{}", arrays::index(k, cols)),
                    };
                    go_fold(&mut gob, elem, &e);
                }
            }
        }
    }
    gob.push("_ = acc".into());
    let mut amd_ret = Vec::new();
    let mut arm_ret = Vec::new();
    let mut go_ret = Vec::new();
    for (k, &(ty, src)) in sig.results.iter().enumerate() {
        match (ty, src) {
            (RTy::Array { elem, len, cols }, _) => {
                // Written through its address, which the block names like
                // the result; not in `return`.
                let name = match &sig.result_names {
                    Some(n) => n[k].clone(),
                    None if k == 0 => "ret".into(),
                    None => format!("ret{k}"),
                };
                let count = len * cols.unwrap_or(1);
                amd.extend(arrays::fill_amd64(&name, elem, count));
                arm.extend(arrays::fill_arm64(&name, elem, count));
                gob.extend(arrays::fill_go(&format!("rv{k}"), elem, len, cols));
                go_ret.push(format!("rv{k}"));
            }
            (RTy::Whole(p), Src::Param(i)) => {
                let fields = p.fields(&param(i));
                let first_int = fields.iter().position(|f| !f.2.is_float());
                let mut lits = Vec::new();
                for (j, (dsl, go, s)) in fields.iter().enumerate() {
                    if Some(j) != first_int {
                        amd_ret.push(dsl.clone());
                        arm_ret.push(dsl.clone());
                        lits.push(go.clone());
                    } else if *s == Scalar::Bool {
                        amd.push(format!("let flag{k}: gp64"));
                        amd.push(format!("mov flag{k}, acc"));
                        amd.push(format!("and flag{k}, 1"));
                        arm.push(format!("let flag{k}: x"));
                        arm.push(format!("and flag{k}, acc, #1"));
                        amd_ret.push(format!("flag{k}"));
                        arm_ret.push(format!("flag{k}"));
                        lits.push("acc&1 != 0".into());
                    } else {
                        amd_ret.push("acc".into());
                        arm_ret.push("acc".into());
                        lits.push(format!("{}(acc)", s.go_name()));
                    }
                }
                let (sh, cx) = p.shape();
                go_ret.push(structs::go_value(sh, cx, &lits));
            }
            (RTy::Whole(_), Src::Checksum) => unreachable!("structs come from parameters"),
            (RTy::Scalar(Scalar::Bool), Src::Checksum) => {
                amd.push(format!("let flag{k}: gp64"));
                amd.push(format!("mov flag{k}, acc"));
                amd.push(format!("and flag{k}, 1"));
                arm.push(format!("let flag{k}: x"));
                arm.push(format!("and flag{k}, acc, #1"));
                amd_ret.push(format!("flag{k}"));
                arm_ret.push(format!("flag{k}"));
                go_ret.push("acc&1 != 0".to_string());
            }
            (RTy::Scalar(s), Src::Checksum) => {
                amd_ret.push("acc".into());
                arm_ret.push("acc".into());
                go_ret.push(format!("{}(acc)", s.go_name()));
            }
            (RTy::Scalar(s), Src::Param(i)) if !s.is_float() && s != Scalar::Bool => {
                amd_ret.push(param(i));
                arm_ret.push(param(i));
                go_ret.push(format!("{}({})", s.go_name(), param(i)));
            }
            (_, Src::Param(i)) => {
                amd_ret.push(param(i));
                arm_ret.push(param(i));
                go_ret.push(param(i));
            }
            (RTy::Ptr { .. } | RTy::Void { .. }, Src::Checksum) => {
                unreachable!("pointers come from parameters")
            }
        }
    }
    if !amd_ret.is_empty() {
        amd.push(format!("return {}", amd_ret.join(", ")));
        arm.push(format!("return {}", arm_ret.join(", ")));
    }
    if !go_ret.is_empty() {
        gob.push(format!("return {}", go_ret.join(", ")));
    }
    let params: Vec<String> = sig
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| match sig.unnamed[i] {
            true => format!("_: {}", p.rust()),
            false => format!("{}: {}", param(i), p.rust()),
        })
        .collect();
    let ret = match sig.results.len() {
        0 => String::new(),
        1 => format!(" -> {}", rty_rust(sig.results[0].0)),
        _ => format!(
            " -> ({})",
            sig.results
                .iter()
                .map(|r| rty_rust(r.0))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let block = |name: &str, lines: &[String]| {
        let mut s = format!("    {name}! {{\n");
        for l in lines {
            let indent = if l.ends_with(':') { "    " } else { "        " };
            let _ = writeln!(s, "{indent}{l}");
        }
        s.push_str("    }\n");
        s
    };
    let mut args = Vec::new();
    if let Some(n) = &sig.result_names {
        args.push(format!("results({})", n.join(", ")));
    }
    if !sig.go_types.is_empty() {
        let t: Vec<String> = sig
            .go_types
            .iter()
            .map(|(k, t)| format!("{k} = \"{t}\""))
            .collect();
        args.push(format!("go_type({})", t.join(", ")));
    }
    let attr = match args.is_empty() {
        true => "#[go_asm]".to_string(),
        false => format!("#[go_asm({})]", args.join(", ")),
    };
    // A `c_void` pointer is a raw pointer: the function is `unsafe fn`.
    let unsafety = if sig.params.iter().any(|p| matches!(p, PTy::Void { .. })) {
        "unsafe "
    } else {
        ""
    };
    format!(
        "/// {} folds its parameters.\n{attr}\npub {unsafety}fn {}({}){ret} {{\n{}{}{}}}\n",
        sig.name,
        sig.name,
        params.join(", "),
        block("amd64", &amd),
        block("arm64", &arm),
        block("go", &gob)
    )
}

/// The Rust source file with every function.
pub fn rust_source(sigs: &[Sig]) -> String {
    let mut s = String::from(
        "//! Generated by tests/src/sigs.rs.\n#![allow(clippy::all, unused)]\n\nuse go_asm::go_asm;\n",
    );
    // Every struct shape once, before the functions.
    let mut shapes: Vec<StructShape> = sigs
        .iter()
        .flat_map(|sig| sig.params.iter())
        .filter_map(|p| p.shape().0)
        .collect();
    shapes.sort();
    shapes.dedup();
    for sh in shapes {
        s.push('\n');
        s.push_str(&sh.rust_decl());
    }
    for sig in sigs {
        s.push('\n');
        s.push_str(&rust_fn(sig));
    }
    s
}

// ------------------------------------------------------------- literals

pub fn go_scalar(s: Scalar, raw: u64) -> String {
    match s {
        Scalar::Bool => (raw != 0).to_string(),
        Scalar::F32 => format!("math.Float32frombits({raw:#x})"),
        Scalar::F64 => format!("math.Float64frombits({raw:#x})"),
        s if s.is_signed() => format!("{}({})", s.go_name(), ext64(s, raw) as i64),
        s => format!("{}({raw:#x})", s.go_name()),
    }
}

fn rust_scalar(s: Scalar, raw: u64) -> String {
    match s {
        Scalar::Bool => (raw != 0).to_string(),
        Scalar::F32 => format!("f32::from_bits({raw:#x})"),
        Scalar::F64 => format!("f64::from_bits({raw:#x})"),
        s if s.is_signed() => format!("({}{})", ext64(s, raw) as i64, s.rust_name()),
        s => format!("{raw:#x}{}", s.rust_name()),
    }
}

pub fn c_scalar(s: Scalar, raw: u64) -> String {
    match s {
        Scalar::Bool => (raw != 0).to_string(),
        Scalar::F32 => format!("f32b({raw:#x}u)"),
        Scalar::F64 => format!("f64b({raw:#x}ull)"),
        s => format!("({}){:#x}ull", s.c_name(), ext64(s, raw)),
    }
}

fn elems(f: impl Fn(Scalar, u64) -> String, s: Scalar, xs: &[u64]) -> String {
    xs.iter().map(|x| f(s, *x)).collect::<Vec<_>>().join(", ")
}

fn rust_str(bytes: &[u8]) -> String {
    format!("\"{}\"", String::from_utf8_lossy(bytes))
}

// ------------------------------------------------------------- Go test

/// The Go test calling every function with every case.
pub fn go_test(package: &str, sigs: &[Sig], cases: &[Vec<Vec<Val>>]) -> String {
    let mut s = format!(
        "// Code generated by tests/src/sigs.rs. DO NOT EDIT.\n\npackage {package}\n\nimport (\n\t\"fmt\"\n\t\"math\"\n\t\"os\"\n\t\"testing\"\n\t\"unsafe\"\n)\n\nvar _ = math.Pi\nvar _ unsafe.Pointer\n\nvar checked, mismatches int\n\nfunc b2u(b bool) uint64 {{\n\tif b {{\n\t\treturn 1\n\t}}\n\treturn 0\n}}\n\n// TestMain prints the summary line the suite reads.\nfunc TestMain(m *testing.M) {{\n\tcode := m.Run()\n\tfmt.Printf(\"checked %d mismatches %d\\n\", checked, mismatches)\n\tos.Exit(code)\n}}\n"
    );
    for (sig, sig_cases) in sigs.iter().zip(cases) {
        let go_name = go_asm_build::internal::sig::go_ident(&sig.name, true);
        let _ = write!(s, "\nfunc Test{go_name}(t *testing.T) {{\n");
        for (c, args) in sig_cases.iter().enumerate() {
            s.push_str("\t{\n");
            for (i, (p, v)) in sig.params.iter().zip(args).enumerate() {
                let n = param(i);
                let decl = match (*p, v) {
                    (PTy::Scalar(sc), Val::Scalar(x)) => format!("{n} := {}", go_scalar(sc, *x)),
                    (PTy::Ref { pointee, .. }, Val::Ref(x)) => {
                        format!("{n}v := {}\n\t\t{n} := &{n}v", go_scalar(pointee, *x))
                    }
                    (PTy::Void { .. }, Val::Ref(x)) => format!(
                        "{n}v := {}\n\t\t{n} := unsafe.Pointer(&{n}v)",
                        go_scalar(Scalar::U64, *x)
                    ),
                    (PTy::Slice { elem, .. }, Val::Slice(xs)) => format!(
                        "{n} := {}{{{}}}",
                        go_asm_build::internal::sig::Ty::Slice {
                            elem,
                            mutable: false
                        }
                        .go_name(),
                        elems(go_scalar, elem, xs)
                    ),
                    (PTy::Str, Val::Str(b)) => format!("{n} := {}", rust_str(b)),
                    (
                        PTy::Array {
                            elem,
                            len,
                            by_ref,
                            cols,
                            refs,
                        },
                        Val::Array(xs),
                    ) => {
                        let items: Vec<String> = xs.iter().map(|x| go_scalar(elem, *x)).collect();
                        let lit = format!(
                            "{}{{{}}}",
                            arrays::go_type(elem, len, cols),
                            arrays::nested(&items, cols, "{", "}")
                        );
                        if refs {
                            let ptrs: Vec<String> =
                                (0..len).map(|k| format!("&{n}v[{k}]")).collect();
                            format!(
                                "{n}v := {lit}\n\t\t{n} := [{len}]*{}{{{}}}",
                                elem.go_name(),
                                ptrs.join(", ")
                            )
                        } else {
                            format!("{n} := {}{lit}", if by_ref.is_some() { "&" } else { "" })
                        }
                    }
                    (PTy::Struct(_) | PTy::Complex(_), Val::Fields(xs)) => {
                        let lits: Vec<String> = p
                            .fields("")
                            .into_iter()
                            .zip(xs)
                            .map(|((_, _, s), x)| go_scalar(s, *x))
                            .collect();
                        let (sh, cx) = p.shape();
                        format!("{n} := {}", structs::go_value(sh, cx, &lits))
                    }
                    _ => unreachable!("values are drawn for their types"),
                };
                let _ = writeln!(s, "\t\t{decl}");
            }
            let names: Vec<String> = (0..sig.params.len()).map(param).collect();
            let call = format!("{go_name}({})", names.join(", "));
            if sig.results.is_empty() {
                let _ = writeln!(s, "\t\t{call}");
            } else {
                let rs: Vec<String> = (0..sig.results.len()).map(|k| format!("r{k}")).collect();
                let _ = writeln!(s, "\t\t{} := {call}", rs.join(", "));
            }
            for (k, (&(ty, _), want)) in sig.results.iter().zip(expected(sig, args)).enumerate() {
                if let (RTy::Array { elem, cols, .. }, Expect::Elems(bits)) = (ty, &want) {
                    let differs = arrays::go_differs(&format!("r{k}"), elem, cols, bits);
                    let _ = writeln!(
                        s,
                        "\t\tchecked++\n\t\tif {differs} {{\n\t\t\tmismatches++\n\t\t\tt.Errorf(\"MISMATCH {} case {c} result {k}: got %v\", r{k})\n\t\t}}",
                        sig.name
                    );
                    continue;
                }
                let (got, want) = match (ty, want) {
                    (_, Expect::AddrOf(i)) => (format!("r{k}"), param(i)),
                    (RTy::Whole(p), Expect::Fields(bits)) => {
                        let got: Vec<String> = p
                            .fields(&format!("r{k}"))
                            .into_iter()
                            .map(|(_, e, s)| match s {
                                Scalar::F32 => format!("uint64(math.Float32bits({e}))"),
                                Scalar::F64 => format!("math.Float64bits({e})"),
                                Scalar::Bool => format!("b2u({e})"),
                                _ => format!("uint64({e})"),
                            })
                            .collect();
                        let want: Vec<String> = bits.iter().map(|b| format!("{b:#x}")).collect();
                        let n = bits.len();
                        (
                            format!("[{n}]uint64{{{}}}", got.join(", ")),
                            format!("[{n}]uint64{{{}}}", want.join(", ")),
                        )
                    }
                    (_, Expect::Fields(_)) | (RTy::Whole(_), _) => {
                        unreachable!("struct results expect fields")
                    }
                    (RTy::Scalar(Scalar::F32), Expect::Bits(b)) => {
                        (format!("math.Float32bits(r{k})"), format!("uint32({b:#x})"))
                    }
                    (RTy::Scalar(Scalar::F64), Expect::Bits(b)) => {
                        (format!("math.Float64bits(r{k})"), format!("uint64({b:#x})"))
                    }
                    (RTy::Scalar(sc), Expect::Bits(b)) => (format!("r{k}"), go_scalar(sc, b)),
                    _ => unreachable!("results expect what their type gives"),
                };
                let _ = writeln!(
                    s,
                    "\t\tchecked++\n\t\tif {got} != {want} {{\n\t\t\tmismatches++\n\t\t\tt.Errorf(\"MISMATCH {} case {c} result {k}: got %v, want %v\", {got}, {want})\n\t\t}}",
                    sig.name
                );
            }
            s.push_str("\t}\n");
        }
        s.push_str("}\n");
    }
    s
}

// ------------------------------------------------------------- Rust caller

/// `main.rs` of the generated crate: calls every wrapper with every case.
pub fn rust_main(sigs: &[Sig], cases: &[Vec<Vec<Val>>]) -> String {
    let mut s = String::from(
        "//! Generated by tests/src/sigs.rs.\n#![allow(clippy::all, unused)]\n\nmod fns;\n\n/// (checked, mismatches)\ntype Counts = (u64, u64);\n\nfn check(n: &mut Counts, ok: bool, what: &str) {\n    n.0 += 1;\n    if !ok {\n        n.1 += 1;\n        println!(\"MISMATCH {what}\");\n    }\n}\n",
    );
    // One function per signature: small functions keep rustc fast.
    for (sig, sig_cases) in sigs.iter().zip(cases) {
        let _ = writeln!(s, "\nfn call_{}(n: &mut Counts) {{", sig.name);
        for (c, args) in sig_cases.iter().enumerate() {
            s.push_str("    {\n");
            for (i, (p, v)) in sig.params.iter().zip(args).enumerate() {
                let n = param(i);
                let decl = match (*p, v) {
                    (PTy::Scalar(sc), Val::Scalar(x)) => {
                        format!("let {n}: {} = {};", sc.rust_name(), rust_scalar(sc, *x))
                    }
                    (PTy::Ref { pointee, mutable }, Val::Ref(x)) => format!(
                        "let {m}{n}v: {t} = {};\n        let {n} = &{m}{n}v;",
                        rust_scalar(pointee, *x),
                        m = if mutable { "mut " } else { "" },
                        t = pointee.rust_name()
                    ),
                    (PTy::Void { mutable }, Val::Ref(x)) => {
                        let (m, k) = if mutable {
                            ("mut ", "mut")
                        } else {
                            ("", "const")
                        };
                        format!(
                            "let {m}{n}v: u64 = {};\n        let {n} = &{m}{n}v as *{k} u64 as *{k} std::ffi::c_void;",
                            rust_scalar(Scalar::U64, *x)
                        )
                    }
                    (PTy::Slice { elem, mutable }, Val::Slice(xs)) => format!(
                        "let {m}{n}v: [{t}; {len}] = [{}];\n        let {n}: &{m}[{t}] = &{m}{n}v;",
                        elems(rust_scalar, elem, xs),
                        m = if mutable { "mut " } else { "" },
                        t = elem.rust_name(),
                        len = xs.len()
                    ),
                    (PTy::Str, Val::Str(b)) => format!("let {n}: &str = {};", rust_str(b)),
                    (
                        PTy::Array {
                            elem,
                            len,
                            by_ref,
                            cols,
                            refs,
                        },
                        Val::Array(xs),
                    ) => {
                        let (m, r) = match by_ref {
                            None => ("", ""),
                            Some(false) => ("", "&"),
                            Some(true) => ("mut ", "&mut "),
                        };
                        let items: Vec<String> = xs.iter().map(|x| rust_scalar(elem, *x)).collect();
                        let t = arrays::rust_type(elem.rust_name(), len, cols);
                        let value = format!(
                            "let {m}{n}v: {t} = [{}];",
                            arrays::nested(&items, cols, "[", "]")
                        );
                        if refs {
                            let ptrs: Vec<String> =
                                (0..len).map(|k| format!("&{n}v[{k}]")).collect();
                            format!(
                                "{value}\n        let {n}: [&{}; {len}] = [{}];",
                                elem.rust_name(),
                                ptrs.join(", ")
                            )
                        } else {
                            format!("{value}\n        let {n}: {r}{t} = {r}{n}v;")
                        }
                    }
                    (PTy::Struct(_) | PTy::Complex(_), Val::Fields(xs)) => {
                        let lits: Vec<String> = p
                            .fields("")
                            .into_iter()
                            .zip(xs)
                            .map(|((_, _, s), x)| rust_scalar(s, *x))
                            .collect();
                        let (sh, cx) = p.shape();
                        format!("let {n} = {};", structs::rust_value(sh, cx, &lits))
                    }
                    _ => unreachable!("values are drawn for their types"),
                };
                let _ = writeln!(s, "        {decl}");
            }
            let names: Vec<String> = (0..sig.params.len()).map(param).collect();
            // `unsafe` for the functions taking `c_void` pointers (unused elsewhere).
            let call = format!("unsafe {{ fns::{}({}) }}", sig.name, names.join(", "));
            match sig.results.len() {
                0 => {
                    let _ = writeln!(s, "        {call};");
                }
                1 => {
                    let _ = writeln!(s, "        let r0 = {call};");
                }
                n => {
                    let rs: Vec<String> = (0..n).map(|k| format!("r{k}")).collect();
                    let _ = writeln!(s, "        let ({}) = {call};", rs.join(", "));
                }
            }
            for (k, (&(ty, _), want)) in sig.results.iter().zip(expected(sig, args)).enumerate() {
                let ok = match (ty, want) {
                    (RTy::Array { elem, cols, .. }, Expect::Elems(bits)) => {
                        arrays::rust_matches(&format!("r{k}"), elem, cols, &bits)
                    }
                    (_, Expect::AddrOf(i)) => {
                        format!("r{k} as *const _ == std::ptr::addr_of!(p{i}v)")
                    }
                    (RTy::Whole(p), Expect::Fields(bits)) => {
                        let got: Vec<String> = p
                            .fields(&format!("r{k}"))
                            .into_iter()
                            .map(|(dsl, _, s)| {
                                if s.is_float() {
                                    format!("{dsl}.to_bits() as u64")
                                } else {
                                    format!("{dsl} as u64")
                                }
                            })
                            .collect();
                        let want: Vec<String> = bits.iter().map(|b| format!("{b:#x}u64")).collect();
                        format!("[{}] == [{}]", got.join(", "), want.join(", "))
                    }
                    (_, Expect::Fields(_)) | (RTy::Whole(_), _) => {
                        unreachable!("struct results expect fields")
                    }
                    (RTy::Scalar(Scalar::F32), Expect::Bits(b)) => {
                        format!("r{k}.to_bits() == {b:#x}u32")
                    }
                    (RTy::Scalar(Scalar::F64), Expect::Bits(b)) => {
                        format!("r{k}.to_bits() == {b:#x}u64")
                    }
                    (RTy::Scalar(sc), Expect::Bits(b)) => {
                        format!("r{k} == {}", rust_scalar(sc, b))
                    }
                    _ => unreachable!("results expect what their type gives"),
                };
                let _ = writeln!(
                    s,
                    "        check(n, {ok}, \"{} case {c} result {k}\");",
                    sig.name
                );
            }
            s.push_str("    }\n");
        }
        s.push_str("}\n");
    }
    s.push_str("\nfn main() {\n    let mut n: Counts = (0, 0);\n");
    for sig in sigs {
        let _ = writeln!(s, "    call_{}(&mut n);", sig.name);
    }
    s.push_str("    println!(\"checked {} mismatches {}\", n.0, n.1);\n}\n");
    s
}

// ------------------------------------------------------------- C caller

/// A C program calling the native objects through the package's header.
pub fn c_main(header: &str, sigs: &[Sig], cases: &[Vec<Vec<Val>>]) -> String {
    let mut s = format!(
        "// Generated by tests/src/sigs.rs.\n#define GO_ASM_SHORT_NAMES\n#include \"{header}\"\n#include <stdio.h>\n#include <string.h>\n\n\
         static __attribute__((unused)) float f32b(uint32_t b) {{ float f; memcpy(&f, &b, 4); return f; }}\n\
         static __attribute__((unused)) double f64b(uint64_t b) {{ double f; memcpy(&f, &b, 8); return f; }}\n\
         static __attribute__((unused)) uint32_t bf32(float f) {{ uint32_t b; memcpy(&b, &f, 4); return b; }}\n\
         static __attribute__((unused)) uint64_t bf64(double f) {{ uint64_t b; memcpy(&b, &f, 8); return b; }}\n\
         static long checked, mismatches;\n\
         static void check(int ok, const char *fn, int c, int k) {{\n    checked++;\n    if (!ok) {{\n        mismatches++;\n        printf(\"MISMATCH %s case %d result %d\\n\", fn, c, k);\n    }}\n}}\n"
    );
    let mut fns = String::new();
    for (sig, sig_cases) in sigs.iter().zip(cases) {
        let _ = writeln!(fns, "\nstatic void call_{}(void) {{", sig.name);
        for (c, args) in sig_cases.iter().enumerate() {
            fns.push_str("    {\n");
            let mut call_args = Vec::new();
            for (i, (p, v)) in sig.params.iter().zip(args).enumerate() {
                let n = param(i);
                let decl = match (*p, v) {
                    (PTy::Scalar(sc), Val::Scalar(x)) => {
                        call_args.push(n.clone());
                        format!("{} {n} = {};", sc.c_name(), c_scalar(sc, *x))
                    }
                    (PTy::Ref { pointee, .. }, Val::Ref(x)) => {
                        call_args.push(format!("&{n}v"));
                        format!("{} {n}v = {};", pointee.c_name(), c_scalar(pointee, *x))
                    }
                    (PTy::Void { .. }, Val::Ref(x)) => {
                        call_args.push(format!("&{n}v"));
                        format!("uint64_t {n}v = {};", c_scalar(Scalar::U64, *x))
                    }
                    (PTy::Slice { elem, .. }, Val::Slice(xs)) => {
                        call_args.push(format!("{n}, {len}, {len}", len = xs.len()));
                        if xs.is_empty() {
                            format!("{} {n}[1] = {{0}};", elem.c_name())
                        } else {
                            format!(
                                "{} {n}[] = {{{}}};",
                                elem.c_name(),
                                elems(c_scalar, elem, xs)
                            )
                        }
                    }
                    (PTy::Str, Val::Str(b)) => {
                        call_args.push(format!("(const uint8_t *){n}, {}", b.len()));
                        format!("const char {n}[] = {};", rust_str(b))
                    }
                    (
                        PTy::Array {
                            elem,
                            len,
                            cols,
                            refs,
                            ..
                        },
                        Val::Array(xs),
                    ) => {
                        call_args.push(n.clone());
                        let items: Vec<String> = xs.iter().map(|x| c_scalar(elem, *x)).collect();
                        let value = |name: &str| {
                            format!(
                                "{} {name}{} = {{{}}};",
                                elem.c_name(),
                                arrays::c_dims(len, cols),
                                arrays::nested(&items, cols, "{", "}")
                            )
                        };
                        if refs {
                            let ptrs: Vec<String> =
                                (0..len).map(|k| format!("&{n}v[{k}]")).collect();
                            format!(
                                "{}\n        const {} *{n}[{len}] = {{{}}};",
                                value(&format!("{n}v")),
                                elem.c_name(),
                                ptrs.join(", ")
                            )
                        } else {
                            value(&n)
                        }
                    }
                    (PTy::Struct(_) | PTy::Complex(_), Val::Fields(xs)) => {
                        call_args.push(n.clone());
                        let lits: Vec<String> = p
                            .fields("")
                            .into_iter()
                            .zip(xs)
                            .map(|((_, _, s), x)| c_scalar(s, *x))
                            .collect();
                        let (sh, cx) = p.shape();
                        structs::c_decl(&n, sh, cx, &lits)
                    }
                    _ => unreachable!("values are drawn for their types"),
                };
                let _ = writeln!(fns, "        {decl}");
            }
            // Array results: arrays to fill, passed after the parameters.
            for (k, r) in sig.results.iter().enumerate() {
                if let RTy::Array { elem, len, cols } = r.0 {
                    let dims = arrays::c_dims(len, cols);
                    let _ = writeln!(fns, "        {} a{k}{dims};", elem.c_name());
                    call_args.push(format!("a{k}"));
                }
            }
            let call = format!("{}({})", sig.name, call_args.join(", "));
            let regs: Vec<usize> = (0..sig.results.len())
                .filter(|&k| !matches!(sig.results[k].0, RTy::Array { .. }))
                .collect();
            let reg_fields: Vec<String> = match regs.len() {
                0 => {
                    let _ = writeln!(fns, "        {call};");
                    vec![]
                }
                1 => {
                    let t = match sig.results[regs[0]].0 {
                        RTy::Whole(PTy::Struct(sh)) => format!("struct {}", sh.name()),
                        RTy::Whole(PTy::Complex(half)) => format!("{} _Complex", half.c_name()),
                        RTy::Whole(_) => unreachable!("struct results are structs"),
                        RTy::Scalar(sc) => sc.c_name().to_string(),
                        RTy::Ptr { pointee, mutable } => format!(
                            "{}{} *",
                            if mutable { "" } else { "const " },
                            pointee.c_name()
                        ),
                        RTy::Void { mutable } => {
                            format!("{}void *", if mutable { "" } else { "const " })
                        }
                        RTy::Array { .. } => unreachable!("register results"),
                    };
                    let _ = writeln!(fns, "        {t} r = {call};");
                    vec!["r".into()]
                }
                _ => {
                    let _ = writeln!(fns, "        struct {}_results r = {call};", sig.name);
                    regs.iter()
                        .enumerate()
                        .map(|(j, &k)| sig.c_field(k, j))
                        .collect()
                }
            };
            let mut reg_fields = reg_fields.into_iter();
            let fields: Vec<String> = (0..sig.results.len())
                .map(|k| match sig.results[k].0 {
                    RTy::Array { .. } => format!("a{k}"),
                    _ => reg_fields.next().expect("a field per register result"),
                })
                .collect();
            for (k, ((&(ty, _), want), f)) in sig
                .results
                .iter()
                .zip(expected(sig, args))
                .zip(&fields)
                .enumerate()
            {
                let ok = match (ty, want) {
                    (RTy::Array { elem, cols, .. }, Expect::Elems(bits)) => {
                        arrays::c_matches(f, elem, cols, &bits)
                    }
                    (_, Expect::AddrOf(i)) => format!("(const void *){f} == (const void *)&p{i}v"),
                    (RTy::Whole(p), Expect::Fields(bits)) => {
                        let conds: Vec<String> = p
                            .fields(f)
                            .into_iter()
                            .enumerate()
                            .zip(&bits)
                            .map(|((j, (dsl, _, s)), b)| {
                                let e = match p {
                                    PTy::Complex(half) => {
                                        format!("(({} *)&{f})[{j}]", half.c_name())
                                    }
                                    _ => dsl,
                                };
                                match s {
                                    Scalar::F32 => format!("bf32({e}) == {b:#x}u"),
                                    Scalar::F64 => format!("bf64({e}) == {b:#x}ull"),
                                    _ => format!("(uint64_t){e} == {b:#x}ull"),
                                }
                            })
                            .collect();
                        format!("({})", conds.join(" && "))
                    }
                    (_, Expect::Fields(_)) | (RTy::Whole(_), _) => {
                        unreachable!("struct results expect fields")
                    }
                    (RTy::Scalar(Scalar::F32), Expect::Bits(b)) => format!("bf32({f}) == {b:#x}u"),
                    (RTy::Scalar(Scalar::F64), Expect::Bits(b)) => {
                        format!("bf64({f}) == {b:#x}ull")
                    }
                    // Integers compare as 64 bits: the results struct holds them
                    // widened, and the exit extends single narrow results too.
                    (RTy::Scalar(sc), Expect::Bits(b)) => {
                        format!("(uint64_t){f} == {:#x}ull", ext64(sc, b))
                    }
                    _ => unreachable!("results expect what their type gives"),
                };
                let _ = writeln!(fns, "        check({ok}, \"{}\", {c}, {k});", sig.name);
            }
            fns.push_str("    }\n");
        }
        fns.push_str("}\n");
    }
    s.push_str(&fns);
    s.push_str("\nint main(void) {\n");
    for sig in sigs {
        let _ = writeln!(s, "    call_{}();", sig.name);
    }
    s.push_str("    printf(\"checked %ld mismatches %ld\\n\", checked, mismatches);\n    return mismatches != 0;\n}\n");
    s
}

/// `(checked, mismatches)` from a caller's summary line.
pub fn summary(out: &str) -> Option<(u64, u64)> {
    let line = out.lines().rev().find(|l| l.starts_with("checked "))?;
    let w: Vec<&str> = line.split_whitespace().collect();
    Some((w.get(1)?.parse().ok()?, w.get(3)?.parse().ok()?))
}
