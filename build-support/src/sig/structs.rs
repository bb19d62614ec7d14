//! Structs by value: a `#[go_asm] #[repr(C)]` struct of this file, or go-asm's
//! `Complex64` / `Complex128`, as a parameter. Each scalar field is one component
//! (`p.x` in the DSL, `p_X` in the Go frame, as `go vet`'s asmdecl names a struct
//! field: the parameter, `_`, the Go field name; a complex number's halves are
//! `c_real` and `c_imag`), at its `#[repr(C)]` offset, which is Go's offset too
//! (both lay fields out at their natural alignment; no field is zero-sized).
//!
//! How each C ABI passes the struct is its architecture folder's business
//! (`x86/struct_args.rs`, `arm64/struct_args.rs`), from [`StructTy::leaves`].

use super::{Component, GoStruct, Pointee, RegKind, Scalar, Signature, Ty};
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
    /// A raw pointer field (its scalar is `Usize`).
    pub pointer: bool,
}

/// The type of a `#[go_asm]` struct's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldTy {
    Scalar(Scalar),
    /// `[T; N]` of any field type.
    Array(Box<FieldTy>, u32),
    /// Another `#[go_asm]` struct of the file, by value.
    Named(String),
    /// `*const T` / `*mut T` to a scalar or a `#[go_asm]` struct.
    Ptr { pointee: Pointee, mutable: bool },
}

impl FieldTy {
    /// The Go type (`[4]uint32`, `Inner`, `*uint64`).
    pub fn go_name(&self) -> String {
        match self {
            FieldTy::Scalar(s) => s.go_name().to_string(),
            FieldTy::Array(e, n) => format!("[{n}]{}", e.go_name()),
            FieldTy::Named(n) => n.clone(),
            FieldTy::Ptr { pointee, .. } => format!("*{}", pointee.go_name()),
        }
    }
    /// The C declaration of a field `name` of this type (`uint32_t v[4]`).
    fn c_decl(&self, name: &str) -> String {
        let mut dims = String::new();
        let mut t = self;
        while let FieldTy::Array(e, n) = t {
            dims.push_str(&format!("[{n}]"));
            t = e;
        }
        match t {
            FieldTy::Scalar(s) => format!("{} {name}{dims}", s.c_name()),
            FieldTy::Named(n) => format!("struct {n} {name}{dims}"),
            FieldTy::Ptr { pointee, mutable } => format!(
                "{}{} *{name}{dims}",
                if *mutable { "" } else { "const " },
                pointee.c_name()
            ),
            FieldTy::Array(..) => unreachable!("arrays unwrapped above"),
        }
    }
    /// The struct this field holds by value, if any (for the header's order).
    fn named(&self) -> Option<&str> {
        match self {
            FieldTy::Named(n) => Some(n),
            FieldTy::Array(e, _) => e.named(),
            _ => None,
        }
    }
}

impl GoStruct {
    /// Its C declaration, for the header.
    pub fn c_decl(&self) -> String {
        let mut s = format!("struct {} {{\n", self.name);
        for (n, ty) in &self.fields {
            s.push_str(&format!("    {};\n", ty.c_decl(&super::c_ident(n))));
        }
        s.push_str("};\n");
        s
    }
}

/// `structs` in an order C accepts: every struct after those it holds by value
/// (otherwise the order given); a cycle, which `resolve` refuses, keeps its order.
pub fn c_order(structs: &[GoStruct]) -> Vec<&GoStruct> {
    let mut out: Vec<&GoStruct> = Vec::new();
    let mut pending: Vec<&GoStruct> = structs.iter().collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|st| {
            st.fields
                .iter()
                .filter_map(|(_, f)| f.named())
                .all(|n| out.iter().any(|o| o.name == n) || !pending.iter().any(|p| p.name == n))
        });
        out.push(pending.remove(ready.unwrap_or(0)));
    }
    out
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
                pointer: false,
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

    /// Lays out `def` as `#[repr(C)]` does (and Go: natural alignment, no
    /// zero-sized fields), flattening nested structs and arrays into leaves named
    /// `inner.x` / `v[2]` in the DSL and `Inner_X` / `V_2` in the frame (asmdecl).
    fn lay_out(&mut self, def: &GoStruct, all: &[GoStruct]) -> Result<()> {
        self.leaves.clear();
        let mut stack = vec![def.name.clone()];
        let (size, align) = lay_struct(def, all, "", "", 0, &mut self.leaves, &mut stack, self.span.0)?;
        self.size = size;
        self.align = align;
        self.kind = StructKind::Named { resolved: true };
        Ok(())
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

/// Lays out struct `def` at `base` with names prefixed `dsl` / `frame`; returns
/// its size and alignment. `stack` holds the structs being laid out (a struct
/// holding itself by value has no size).
#[allow(clippy::too_many_arguments)]
fn lay_struct(
    def: &GoStruct,
    all: &[GoStruct],
    dsl: &str,
    frame: &str,
    base: u32,
    leaves: &mut Vec<Leaf>,
    stack: &mut Vec<String>,
    span: Span,
) -> Result<(u32, u32)> {
    let (mut off, mut align) = (0u32, 1u32);
    for (name, ty) in &def.fields {
        let d = format!("{dsl}{name}");
        let f = format!("{frame}{}", super::go_ident(name, true));
        let (_, a) = field_size_align(ty, all, stack, span)?;
        off = off.div_ceil(a) * a;
        let (size, a) = lay_field(ty, all, &d, &f, base + off, leaves, stack, span)?;
        off += size;
        align = align.max(a);
    }
    Ok((off.div_ceil(align) * align, align))
}

#[allow(clippy::too_many_arguments)]
fn lay_field(
    ty: &FieldTy,
    all: &[GoStruct],
    dsl: &str,
    frame: &str,
    at: u32,
    leaves: &mut Vec<Leaf>,
    stack: &mut Vec<String>,
    span: Span,
) -> Result<(u32, u32)> {
    let leaf = |scalar: Scalar, leaves: &mut Vec<Leaf>| {
        leaves.push(Leaf {
            dsl: dsl.to_string(),
            frame: frame.to_string(),
            scalar,
            offset: at,
            pointer: matches!(ty, FieldTy::Ptr { .. }),
        });
    };
    match ty {
        FieldTy::Scalar(s) => {
            leaf(*s, leaves);
            Ok((s.size(), s.size()))
        }
        FieldTy::Ptr { pointee, .. } => {
            if let Pointee::Named(n) = pointee {
                if !all.iter().any(|s| &s.name == n) {
                    bail!(
                        span,
                        "`{n}` (pointed at by a field of `{}`) must be a #[go_asm] #[repr(C)] struct declared in this file",
                        stack.last().map_or("", |s| s.as_str())
                    );
                }
            }
            leaf(Scalar::Usize, leaves);
            Ok((8, 8))
        }
        FieldTy::Array(e, n) => {
            let (es, ea) = field_size_align(e, all, stack, span)?;
            for i in 0..*n {
                lay_field(
                    e,
                    all,
                    &format!("{dsl}[{i}]"),
                    &format!("{frame}_{i}"),
                    at + i * es,
                    leaves,
                    stack,
                    span,
                )?;
            }
            Ok((es * n, ea))
        }
        FieldTy::Named(n) => {
            let def = named(n, all, stack, span)?;
            stack.push(n.clone());
            let r = lay_struct(
                def,
                all,
                &format!("{dsl}."),
                &format!("{frame}_"),
                at,
                leaves,
                stack,
                span,
            );
            stack.pop();
            r
        }
    }
}

/// A field's size and alignment, without naming leaves.
fn field_size_align(
    ty: &FieldTy,
    all: &[GoStruct],
    stack: &mut Vec<String>,
    span: Span,
) -> Result<(u32, u32)> {
    let mut scratch = Vec::new();
    lay_field(ty, all, "", "", 0, &mut scratch, stack, span)
}

fn named<'a>(n: &str, all: &'a [GoStruct], stack: &[String], span: Span) -> Result<&'a GoStruct> {
    if stack.iter().any(|s| s == n) {
        bail!(
            span,
            "`{}` holds `{n}` by value inside itself ({} -> {n}): hold it through a pointer",
            stack[0],
            stack.join(" -> ")
        );
    }
    match all.iter().find(|s| s.name == n) {
        Some(d) => Ok(d),
        None => bail!(
            span,
            "`{n}` (a field of `{}`) must be a #[go_asm] #[repr(C)] struct declared in this file",
            stack.last().map_or("", |s| s.as_str())
        ),
    }
}

/// The most scalar fields of a struct by value (each is an argument register).
pub const MAX_LEAVES: usize = 64;
/// The largest struct by value: the native prologue copies it into its frame.
pub const MAX_BYTES: u32 = 512;

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
            if st.name == "c_void" {
                bail!(
                    st.span.0,
                    "`c_void` has no value to pass: take a pointer, `*const c_void` or `*mut c_void` (Go's unsafe.Pointer)"
                );
            }
            bail!(
                st.span.0,
                "`{}` by value must be a #[go_asm] #[repr(C)] struct declared in this file (or go_asm::Complex64 / Complex128)",
                st.name
            );
        };
        st.lay_out(def, structs)?;
        if st.leaves.len() > MAX_LEAVES || st.size > MAX_BYTES {
            bail!(
                st.span.0,
                "`{}` is too big to pass by value here ({} bytes, {} scalar fields; at most {MAX_BYTES} bytes and {MAX_LEAVES} fields, each a register): take it by reference (&{})",
                st.name,
                st.size,
                st.leaves.len(),
                st.name
            );
        }
        if !sig.unsafe_fn && st.leaves.iter().any(|l| l.pointer) {
            bail!(
                p.span,
                "`{}` holds a raw pointer: declare the function `unsafe fn` (the wrapper cannot check it)",
                p.name
            );
        }
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
            st.lay_out(def, structs)?;
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
            name: None,
        })
        .collect();
    Ok(())
}

/// The C parameter declaration of a struct parameter: the struct itself, as each
/// C ABI passes it (`struct point p`, `double _Complex c`).
pub fn c_param(st: &StructTy, name: &str) -> String {
    format!("{} {name}", st.c_name())
}

/// A `#[go_asm]` struct's field type: a scalar, `[T; N]` of field types, another
/// `#[go_asm]` struct of the file, or `*const T` / `*mut T` to a scalar or such a
/// struct.
pub fn parse_field(ty: &syn::Type) -> Result<FieldTy> {
    use syn::spanned::Spanned;
    if let Some(s) = super::scalar_of(ty) {
        return Ok(FieldTy::Scalar(s));
    }
    match ty {
        syn::Type::Array(a) => {
            let elem = parse_field(&a.elem)?;
            Ok(FieldTy::Array(Box::new(elem), super::array_len(&a.len)?))
        }
        syn::Type::Path(p) if p.qself.is_none() && p.path.get_ident().is_some() => {
            Ok(FieldTy::Named(p.path.get_ident().expect("an ident").to_string()))
        }
        syn::Type::Ptr(p) => match super::pointee_of(&p.elem)? {
            pointee @ (Pointee::Scalar(_) | Pointee::Named(_)) => Ok(FieldTy::Ptr {
                pointee,
                mutable: p.mutability.is_some(),
            }),
            Pointee::Array { .. } => bail!(
                p.elem.span(),
                "a pointer field points at a scalar or a #[go_asm] struct; point at the array's first element"
            ),
            Pointee::Void => bail!(
                p.elem.span(),
                "a pointer field points at a scalar or a #[go_asm] struct, not c_void (unsafe.Pointer is a parameter and result type); use *const u8"
            ),
        },
        syn::Type::Reference(r) => bail!(
            r.span(),
            "a struct field holds a raw pointer (`*const T`, `*mut T`), not a reference"
        ),
        other => bail!(
            other.span(),
            "struct fields must be scalars, arrays, #[go_asm] structs of this file or raw pointers"
        ),
    }
}
