//! Structs by value: a `#[go_asm] #[repr(C)]` struct of this file, or go-asm's
//! `Complex64` / `Complex128`, as a parameter. Each scalar field is one component
//! (`p.x` in the DSL, `p_X` in the Go frame, as `go vet`'s asmdecl names a struct
//! field: the parameter, `_`, the Go field name; a complex number's halves are
//! `c_real` and `c_imag`), at its `#[repr(C)]` offset, which is Go's offset too
//! (both lay fields out at their natural alignment; no field is zero-sized).
//!
//! How each C ABI passes the struct is its architecture folder's business
//! (`x86/struct_args.rs`, `arm64/struct_args.rs`), from [`StructTy::leaves`].

use super::{Component, RegKind, Scalar, Signature, Ty};
use crate::diag::{bail, Result};
use proc_macro2::Span;
use std::borrow::Cow;

/// A struct parameter's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructTy {
    /// The Rust type's name (`Point`, `Complex64`).
    pub name: String,
    /// The type as the signature wrote it (`Point`, `go_asm::Complex64`), for the
    /// Rust wrapper's extern declaration.
    pub rust_path: String,
    pub kind: StructKind,
    /// Every scalar field in declaration order; empty until resolved.
    pub leaves: Vec<Leaf>,
    pub size: u32,
    pub align: u32,
    /// Where the signature wrote the type (for "not declared" errors).
    pub span: SpanEq,
}

/// A named `#[go_asm]` struct or one of go-asm's complex types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructKind {
    /// Declared with `#[go_asm]` in the function's file; `resolved` once its
    /// fields are known.
    Named { resolved: bool },
    /// `Complex64` (`F32` halves) or `Complex128` (`F64`).
    Complex(Scalar),
}

/// One scalar field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The DSL component (`x`; `re` and `im` for complex).
    pub dsl: String,
    /// asmdecl's suffix (`X`; `real` and `imag`).
    pub frame: String,
    pub scalar: Scalar,
    /// Bytes from the start of the struct.
    pub offset: u32,
}

/// A span that every comparison ignores (types compare by what they mean).
#[derive(Clone, Copy, Debug)]
pub struct SpanEq(pub Span);

impl PartialEq for SpanEq {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for SpanEq {}

/// go-asm's complex types: Rust name, Go name, C name, the halves.
const COMPLEX: &[(&str, &str, &str, Scalar)] = &[
    ("Complex64", "complex64", "float _Complex", Scalar::F32),
    ("Complex128", "complex128", "double _Complex", Scalar::F64),
];

/// Whether `name` is one of go-asm's complex types (a `#[go_asm]` struct must not
/// take the name).
pub fn is_complex_name(name: &str) -> bool {
    COMPLEX.iter().any(|c| c.0 == name)
}

impl StructTy {
    /// A struct named `name` written as `rust_path` at `span`: complex at once,
    /// a named struct to be resolved against the file's `#[go_asm]` structs.
    pub fn written(name: &str, rust_path: String, span: Span) -> StructTy {
        if let Some(&(_, _, _, half)) = COMPLEX.iter().find(|c| c.0 == name) {
            let n = half.size();
            let leaf = |dsl: &str, frame: &str, offset| Leaf {
                dsl: dsl.into(),
                frame: frame.into(),
                scalar: half,
                offset,
            };
            return StructTy {
                name: name.into(),
                rust_path,
                kind: StructKind::Complex(half),
                leaves: vec![leaf("re", "real", 0), leaf("im", "imag", n)],
                size: 2 * n,
                align: n,
                span: SpanEq(span),
            };
        }
        StructTy {
            name: name.into(),
            rust_path,
            kind: StructKind::Named { resolved: false },
            leaves: Vec::new(),
            size: 0,
            align: 1,
            span: SpanEq(span),
        }
    }

    /// Lays out `fields` as `#[repr(C)]` does (and Go, for these fields).
    fn lay_out(&mut self, fields: &[(String, Scalar)]) {
        let (mut off, mut align) = (0u32, 1u32);
        self.leaves.clear();
        for (name, s) in fields {
            let a = s.size();
            off = off.div_ceil(a) * a;
            self.leaves.push(Leaf {
                dsl: name.clone(),
                frame: super::go_ident(name, true),
                scalar: *s,
                offset: off,
            });
            off += s.size();
            align = align.max(a);
        }
        self.size = off.div_ceil(align) * align;
        self.align = align;
        self.kind = StructKind::Named { resolved: true };
    }

    pub fn go_name(&self) -> String {
        match self.kind {
            StructKind::Named { .. } => self.name.clone(),
            StructKind::Complex(_) => COMPLEX
                .iter()
                .find(|c| c.0 == self.name)
                .map_or_else(String::new, |c| c.1.to_string()),
        }
    }

    /// The C type (`struct point`, `float _Complex`).
    pub fn c_name(&self) -> String {
        match self.kind {
            StructKind::Named { .. } => format!("struct {}", self.name),
            StructKind::Complex(_) => COMPLEX
                .iter()
                .find(|c| c.0 == self.name)
                .map_or_else(String::new, |c| c.2.to_string()),
        }
    }

    /// One component per scalar field, at its offset in the struct.
    pub fn components(&self) -> Vec<Component> {
        self.leaves
            .iter()
            .map(|l| Component {
                dsl: Some(Cow::Owned(l.dsl.clone())),
                frame: Some(Cow::Owned(l.frame.clone())),
                kind: if l.scalar.is_float() {
                    RegKind::Float
                } else {
                    RegKind::Int
                },
                scalar: l.scalar,
                by_address: false,
                offset: Some(l.offset),
            })
            .collect()
    }

    /// Whether every field is the same float type: 1 to 4 of them make an AAPCS64
    /// homogeneous floating-point aggregate.
    pub fn uniform_float(&self) -> Option<Scalar> {
        let first = self.leaves.first()?.scalar;
        (first.is_float() && self.leaves.iter().all(|l| l.scalar == first)).then_some(first)
    }
}

/// Resolves the signature's named struct parameters against `structs` (the
/// `#[go_asm]` structs of the function's file): an error at the type for one that
/// is not there.
pub fn resolve(sig: &mut Signature, structs: &[super::GoStruct]) -> Result<()> {
    for p in &mut sig.params {
        let Ty::Struct(st) = &mut p.ty else { continue };
        if st.kind != (StructKind::Named { resolved: false }) {
            continue;
        }
        let Some(def) = structs.iter().find(|s| s.name == st.name) else {
            bail!(
                st.span.0,
                "`{}` by value must be a #[go_asm] #[repr(C)] struct declared in this file (or go_asm::Complex64 / Complex128)",
                st.name
            );
        };
        st.lay_out(&def.fields);
    }
    if let Some(st) = &mut sig.result_struct {
        if st.kind == (StructKind::Named { resolved: false }) {
            let Some(def) = structs.iter().find(|s| s.name == st.name) else {
                bail!(
                    st.span.0,
                    "`{}` as a result must be a #[go_asm] #[repr(C)] struct declared in this file (or go_asm::Complex64 / Complex128)",
                    st.name
                );
            };
            st.lay_out(&def.fields);
        }
    }
    flatten_result(sig)
}

/// A known struct result becomes one scalar result per field, at most
/// [`super::MAX_RESULTS`] (each backend's result registers per kind).
pub fn flatten_result(sig: &mut Signature) -> Result<()> {
    let Some(st) = &sig.result_struct else {
        return Ok(());
    };
    if st.leaves.is_empty() || !sig.results.is_empty() {
        return Ok(());
    }
    if st.leaves.len() > super::MAX_RESULTS {
        bail!(
            st.span.0,
            "a struct result has at most {} fields (one result register each); `{}` has {}",
            super::MAX_RESULTS,
            st.name,
            st.leaves.len()
        );
    }
    sig.results = st
        .leaves
        .iter()
        .map(|l| super::ResultTy {
            ty: Ty::Scalar(l.scalar),
            span: st.span.0,
        })
        .collect();
    Ok(())
}

/// The C parameter declaration of a struct parameter: the struct itself, as each
/// C ABI passes it (`struct point p`, `double _Complex c`).
pub fn c_param(st: &StructTy, name: &str) -> String {
    format!("{} {name}", st.c_name())
}
