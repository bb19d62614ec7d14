//! The Rust signature of a `#[go_asm]` function and what each type means in Go
//! and C (DESIGN.md's type table).

mod arrays;
mod foreign;
mod idents;
mod results;
mod unnamed;
mod structs;

pub use arrays::{parse_elem, ArrayElem};
pub use foreign::{apply_go_types, go_imports, parse_go_types, GoTypeOf, GoTypes};
pub use idents::{c_ident, go_ident, GO_KEYWORDS, GO_PREDECLARED};
pub use results::{
    c_field_names, check_result_names, name_results, parse_result_names, ResultNames,
};
use idents::{ascii_name, check_c_params, check_function_name, GO_ASM_NAMES};
pub use structs::{
    c_order, is_complex_name, parse_field, resolve as resolve_structs, FieldTy, Leaf, StructKind,
    StructTy,
};

use crate::diag::{bail, Error, Result};
use proc_macro2::Span;
use std::borrow::Cow;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

/// At most this many results (each backend has four result registers per kind).
pub const MAX_RESULTS: usize = 4;

/// A `#[repr(C)]` struct declared with `#[go_asm]`: fields of scalars, arrays,
/// other such structs and raw pointers (sig/structs.rs lays them out).
#[derive(Clone, Debug)]
pub struct GoStruct {
    pub name: String,
    pub docs: Vec<String>,
    pub fields: Vec<(String, FieldTy)>,
}

/// A scalar: one value in one register.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Scalar {
    U8,
    U16,
    U32,
    U64,
    Usize,
    I8,
    I16,
    I32,
    I64,
    Isize,
    Bool,
    F32,
    F64,
}

/// Name, Go name, C name, size in bytes, signed, float.
const SCALARS: &[(Scalar, &str, &str, &str, u32, bool, bool)] = &[
    (Scalar::U8, "u8", "uint8", "uint8_t", 1, false, false),
    (Scalar::U16, "u16", "uint16", "uint16_t", 2, false, false),
    (Scalar::U32, "u32", "uint32", "uint32_t", 4, false, false),
    (Scalar::U64, "u64", "uint64", "uint64_t", 8, false, false),
    (Scalar::Usize, "usize", "uintptr", "size_t", 8, false, false),
    (Scalar::I8, "i8", "int8", "int8_t", 1, true, false),
    (Scalar::I16, "i16", "int16", "int16_t", 2, true, false),
    (Scalar::I32, "i32", "int32", "int32_t", 4, true, false),
    (Scalar::I64, "i64", "int64", "int64_t", 8, true, false),
    (Scalar::Isize, "isize", "int", "ptrdiff_t", 8, true, false),
    (Scalar::Bool, "bool", "bool", "bool", 1, false, false),
    (Scalar::F32, "f32", "float32", "float", 4, false, true),
    (Scalar::F64, "f64", "float64", "double", 8, false, true),
];

impl Scalar {
    fn row(
        self,
    ) -> &'static (
        Scalar,
        &'static str,
        &'static str,
        &'static str,
        u32,
        bool,
        bool,
    ) {
        SCALARS
            .iter()
            .find(|r| r.0 == self)
            .expect("every scalar has a row")
    }
    pub fn from_rust(name: &str) -> Option<Scalar> {
        SCALARS.iter().find(|r| r.1 == name).map(|r| r.0)
    }
    pub fn rust_name(self) -> &'static str {
        self.row().1
    }
    pub fn go_name(self) -> &'static str {
        self.row().2
    }
    pub fn c_name(self) -> &'static str {
        self.row().3
    }
    pub fn size(self) -> u32 {
        self.row().4
    }
    pub fn is_signed(self) -> bool {
        self.row().5
    }
    pub fn is_float(self) -> bool {
        self.row().6
    }
    /// The smallest and largest value of an integer scalar.
    pub fn int_range(self) -> (i128, i128) {
        let bits = self.size() * 8;
        if self.is_signed() {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            (0, (1i128 << bits) - 1)
        }
    }
}

/// What a pointer points at: a scalar, a `#[repr(C)]` struct named in the package,
/// or an array of either (arrays nest: `&mut [[u32; 16]; 4]`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Pointee {
    Scalar(Scalar),
    Named(String),
    Array {
        elem: Box<Pointee>,
        len: u32,
    },
    /// `c_void` behind a raw pointer: Go's `unsafe.Pointer` (sig/foreign.rs).
    Void,
}

impl Pointee {
    pub fn go_name(&self) -> String {
        match self {
            Pointee::Scalar(s) => s.go_name().to_string(),
            Pointee::Named(n) => n.clone(),
            Pointee::Array { elem, len } => format!("[{len}]{}", elem.go_name()),
            Pointee::Void => "unsafe.Pointer".to_string(),
        }
    }
    /// The Go type of a pointer to it: `*uint32`, and `unsafe.Pointer` for
    /// `c_void`.
    pub fn go_pointer_name(&self) -> String {
        match self {
            Pointee::Void => "unsafe.Pointer".to_string(),
            other => format!("*{}", other.go_name()),
        }
    }
    /// The C type of the innermost element (`uint32_t`, `struct point`).
    pub fn c_name(&self) -> String {
        match self {
            Pointee::Scalar(s) => s.c_name().to_string(),
            Pointee::Named(n) => format!("struct {n}"),
            Pointee::Array { elem, .. } => elem.c_name(),
            Pointee::Void => "void".to_string(),
        }
    }
    /// The C parameter declaration of a pointer named `name` to this type:
    /// `const uint32_t *p`, and for arrays C's array parameter, which is a pointer
    /// to the first element (`uint32_t state[5]`, `const uint8_t grid[4][16]`), so
    /// that C callers pass the array itself. A nested array drops `const`: before
    /// C23, passing a `T (*)[N]` where a `const T (*)[N]` is expected is a
    /// constraint violation (`-pedantic` warns).
    pub fn c_pointer_param(&self, name: &str, mutable: bool) -> String {
        let mut dims = String::new();
        let mut depth = 0;
        let mut t = self;
        while let Pointee::Array { elem, len } = t {
            dims.push_str(&format!("[{len}]"));
            depth += 1;
            t = elem;
        }
        let konst = if mutable || depth > 1 { "" } else { "const " };
        if depth == 0 {
            format!("{konst}{} *{name}", self.c_name())
        } else {
            format!("{konst}{} {name}{dims}", self.c_name())
        }
    }
    /// The pointee's size in bytes, for the scalars and arrays of scalars.
    fn scalar_bytes(&self) -> Option<u64> {
        match self {
            Pointee::Scalar(s) => Some(u64::from(s.size())),
            Pointee::Named(_) | Pointee::Void => None,
            Pointee::Array { elem, len } => elem
                .scalar_bytes()
                .map(|b| b.saturating_mul(u64::from(*len))),
        }
    }
}

/// A parameter or result type, one row of DESIGN.md's type table.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Ty {
    Scalar(Scalar),
    /// `*const T`, `*mut T`, `&T`, `&mut T`.
    Ptr {
        pointee: Pointee,
        mutable: bool,
    },
    /// `&[T]`, `&mut [T]`.
    Slice {
        elem: Scalar,
        mutable: bool,
    },
    /// `&str`.
    Str,
    /// `[T; N]` by value (sig/arrays.rs).
    Array {
        elem: ArrayElem,
        len: u32,
    },
    /// A `#[go_asm]` struct or a complex number by value (sig/structs.rs).
    Struct(Box<StructTy>),
}

/// Where a component's value lives in a register file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RegKind {
    Int,
    Float,
}

/// One register-sized piece of a parameter: a slice is three, a string two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// The DSL suffix (`xs.ptr`, a struct's `p.x`), `None` for a parameter that is one value.
    pub dsl: Option<Cow<'static, str>>,
    /// The Go frame name suffix (`xs_base`, `p_X`), `None` when the frame name is the parameter's.
    pub frame: Option<Cow<'static, str>>,
    pub kind: RegKind,
    /// The scalar the component holds (pointers are `Usize`).
    pub scalar: Scalar,
    /// Passed by address: the frame holds the value inline, the register its address.
    pub by_address: bool,
    /// Bytes from the parameter's start, where it is not the sum of the sizes
    /// before it (a struct's padded fields).
    pub offset: Option<u32>,
}

impl Ty {
    pub fn go_name(&self) -> String {
        match self {
            Ty::Scalar(s) => s.go_name().to_string(),
            Ty::Ptr { pointee, .. } => pointee.go_pointer_name(),
            Ty::Slice {
                elem: Scalar::U8, ..
            } => "[]byte".to_string(),
            Ty::Slice { elem, .. } => format!("[]{}", elem.go_name()),
            Ty::Str => "string".to_string(),
            Ty::Array { elem, len } => format!("[{len}]{}", elem.go_name()),
            Ty::Struct(st) => st.go_name(),
        }
    }

    /// A float scalar: it travels in a vector register.
    pub fn is_float(&self) -> bool {
        matches!(self, Ty::Scalar(s) if s.is_float())
    }

    /// Whether Go's escape analysis needs `//go:noescape` for it.
    pub fn has_pointer(&self) -> bool {
        match self {
            Ty::Array { elem, .. } => elem.has_pointer(),
            Ty::Struct(st) => st.leaves.iter().any(|l| l.pointer),
            _ => matches!(self, Ty::Ptr { .. } | Ty::Slice { .. } | Ty::Str),
        }
    }

    /// Size and alignment in the Go ABI0 frame.
    pub fn frame_size_align(&self) -> (u32, u32) {
        match self {
            Ty::Scalar(s) => (s.size(), s.size()),
            Ty::Ptr { .. } => (8, 8),
            Ty::Slice { .. } => (24, 8),
            Ty::Str => (16, 8),
            Ty::Array { elem, len } => {
                // Sizes were checked against Go's frame limit when parsed.
                let (size, align) = elem.size_align();
                ((size * u64::from(*len)) as u32, align)
            }
            Ty::Struct(st) => (st.size, st.align),
        }
    }

    pub fn components(&self) -> Vec<Component> {
        let c = |dsl: Option<&'static str>, frame: Option<&'static str>, kind, scalar| Component {
            dsl: dsl.map(Cow::Borrowed),
            frame: frame.map(Cow::Borrowed),
            kind,
            scalar,
            by_address: false,
            offset: None,
        };
        match self {
            Ty::Scalar(s) => {
                let kind = if s.is_float() {
                    RegKind::Float
                } else {
                    RegKind::Int
                };
                vec![c(None, None, kind, *s)]
            }
            Ty::Ptr { .. } => vec![c(None, None, RegKind::Int, Scalar::Usize)],
            Ty::Slice { .. } => vec![
                c(Some("ptr"), Some("base"), RegKind::Int, Scalar::Usize),
                c(Some("len"), Some("len"), RegKind::Int, Scalar::Usize),
                c(Some("cap"), Some("cap"), RegKind::Int, Scalar::Usize),
            ],
            Ty::Str => vec![
                c(Some("ptr"), Some("base"), RegKind::Int, Scalar::Usize),
                c(Some("len"), Some("len"), RegKind::Int, Scalar::Usize),
            ],
            Ty::Array { .. } => vec![Component {
                by_address: true,
                ..c(None, None, RegKind::Int, Scalar::Usize)
            }],
            Ty::Struct(st) => st.components(),
        }
    }

    /// The C parameter names of a parameter `name` of this type, one per component
    /// (a keyword alone is renamed, [`c_ident`]; `int_ptr` needs no renaming).
    pub fn c_param_names(&self, name: &str) -> Vec<String> {
        match self {
            Ty::Slice { .. } => vec![
                format!("{name}_ptr"),
                format!("{name}_len"),
                format!("{name}_cap"),
            ],
            Ty::Str => vec![format!("{name}_ptr"), format!("{name}_len")],
            _ => vec![c_ident(name)],
        }
    }

    /// The C parameter declarations of this type, one per component.
    pub fn c_params(&self, name: &str) -> Vec<String> {
        let n = self.c_param_names(name);
        let c = |mutable: bool| if mutable { "" } else { "const " };
        match self {
            Ty::Scalar(s) => vec![format!("{} {}", s.c_name(), n[0])],
            Ty::Ptr { pointee, mutable } => vec![pointee.c_pointer_param(&n[0], *mutable)],
            Ty::Slice { elem, mutable } => vec![
                format!("{}{} *{}", c(*mutable), elem.c_name(), n[0]),
                format!("size_t {}", n[1]),
                format!("size_t {}", n[2]),
            ],
            Ty::Str => vec![
                format!("const uint8_t *{}", n[0]),
                format!("size_t {}", n[1]),
            ],
            Ty::Array { elem, len } => vec![elem.c_array_param(&n[0], *len, true)],
            Ty::Struct(st) => vec![structs::c_param(st, &n[0])],
        }
    }
}

/// A parameter of a `#[go_asm]` function.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
    /// Written as `*const T`/`*mut T` rather than a reference.
    pub raw: bool,
    /// Written `_`: `name` is the C header's and the Rust wrapper's (sig/unnamed.rs).
    pub unnamed: bool,
}

impl Param {
    /// Its name in a block: unnamed parameters have one no block can write.
    pub fn dsl_name(&self, position: usize) -> String {
        if self.unnamed {
            unnamed::dsl_name(position)
        } else {
            self.name.clone()
        }
    }
}

/// A result of a `#[go_asm]` function.
#[derive(Clone, Debug)]
pub struct ResultTy {
    pub ty: Ty,
    pub span: Span,
    /// `#[go_asm(results(sum, carry))]`: the result's name as written (Go's is
    /// its camelCase, [`Signature::result_go_name`]); `None`: unnamed.
    pub name: Option<String>,
}

/// An array result: its position among all the results, and the result.
#[derive(Clone, Debug)]
pub struct OutArray {
    pub at: usize,
    pub result: ResultTy,
}

/// The parts of a Rust fn signature go-asm uses.
#[derive(Clone, Debug)]
pub struct Signature {
    pub name: String,
    pub name_span: Span,
    pub public: bool,
    /// `#[go_asm(go_name = "..")]`: the Go name, instead of the one derived from
    /// `name` (`add_vv` -> `AddVv`).
    pub exact_go_name: Option<String>,
    pub params: Vec<Param>,
    /// The results that leave the body in registers (scalars and pointers, or a
    /// struct result's fields, each a scalar, in field order), in order: what
    /// `return` lists, the C ABI's result registers or results struct.
    pub results: Vec<ResultTy>,
    /// The array results, which the body writes through their address
    /// (sig/arrays.rs), each with its position among all results.
    pub out_arrays: Vec<OutArray>,
    /// `#[go_asm(go_type(..))]`: Go types of the package's own (sig/foreign.rs).
    pub go_types: Vec<(GoTypeOf, String)>,
    /// A struct or complex result, returned whole (Go `P`, C `struct P`) from the
    /// fields in `results` (sig/structs.rs).
    pub result_struct: Option<Box<StructTy>>,
    /// Declared `unsafe fn` (required for raw pointers, in structs too).
    pub unsafe_fn: bool,
    /// Doc comment lines, without the leading `///` and one space.
    pub docs: Vec<String>,
}

/// The largest argument frame: Go refuses stack frames over 1 GiB.
const MAX_ARG_FRAME: u64 = 1 << 30;

const ACCEPTED_TYPES: &str =
    "accepted types: u8 u16 u32 u64 usize i8 i16 i32 i64 isize bool f32 f64, \
     *const T, *mut T, &T, &mut T (T also an array, [T; N] or [[T; N]; M]), *const c_void, *mut c_void, &[T], &mut [T], &str, [T; N] (T also a pointer or an array), \
     a #[go_asm] struct of this file or go_asm::Complex64 / Complex128 by value";

fn scalar_of(ty: &syn::Type) -> Option<Scalar> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p
            .path
            .get_ident()
            .and_then(|i| Scalar::from_rust(&i.to_string())),
        syn::Type::Paren(p) => scalar_of(&p.elem),
        _ => None,
    }
}

fn pointee_of(ty: &syn::Type) -> Result<Pointee> {
    if let Some(s) = scalar_of(ty) {
        return Ok(Pointee::Scalar(s));
    }
    if foreign::is_c_void(ty) {
        return Ok(Pointee::Void);
    }
    if let syn::Type::Path(p) = ty {
        if let Some(id) = p.path.get_ident() {
            return Ok(Pointee::Named(id.to_string()));
        }
    }
    if let syn::Type::Array(a) = ty {
        let elem = Box::new(pointee_of(&a.elem)?);
        if *elem == Pointee::Void {
            bail!(a.elem.span(), "c_void has no size: an array of it is no type");
        }
        let len = array_len(&a.len)?;
        let arr = Pointee::Array { elem, len };
        if arr.scalar_bytes().is_some_and(|b| b > MAX_POINTEE_BYTES) {
            bail!(
                a.len.span(),
                "this array is larger than Go allows for a type (2^47 bytes)"
            );
        }
        return Ok(arr);
    }
    bail!(
        ty.span(),
        "a pointer must point at a scalar, a #[repr(C)] struct of this package, or an array of them"
    )
}

/// The largest pointee go-asm writes a Go type for: Go's compiler refuses array
/// types larger than the address space it supports.
const MAX_POINTEE_BYTES: u64 = 1 << 47;

/// An array length: an integer literal of at least 1.
fn array_len(len: &syn::Expr) -> Result<u32> {
    let n = match len {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) => n.base10_parse::<u32>()?,
        other => bail!(other.span(), "array length must be an integer literal"),
    };
    if n == 0 {
        bail!(len.span(), "array length must be at least 1");
    }
    Ok(n)
}

/// A parameter, result or struct field type. `role` names it in the error
/// ("parameter", "result", "field").
pub fn parse_type(ty: &syn::Type, role: &str) -> Result<Ty> {
    if let Some(s) = scalar_of(ty) {
        return Ok(Ty::Scalar(s));
    }
    match ty {
        syn::Type::Ptr(p) => Ok(Ty::Ptr {
            pointee: pointee_of(&p.elem)?,
            mutable: p.mutability.is_some(),
        }),
        syn::Type::Reference(r) => {
            if let Some(l) = &r.lifetime {
                let _ = l; // lifetimes are allowed and ignored
            }
            let mutable = r.mutability.is_some();
            match &*r.elem {
                syn::Type::Slice(s) => match scalar_of(&s.elem) {
                    Some(elem) => Ok(Ty::Slice { elem, mutable }),
                    None => bail!(
                        s.elem.span(),
                        "slice elements must be scalars; {ACCEPTED_TYPES}"
                    ),
                },
                syn::Type::Path(p) if p.path.is_ident("str") => {
                    if mutable {
                        bail!(r.span(), "&mut str is not accepted; use &str or &mut [u8]");
                    }
                    Ok(Ty::Str)
                }
                elem => Ok(Ty::Ptr {
                    pointee: foreign::no_void_reference(pointee_of(elem)?, r.span())?,
                    mutable,
                }),
            }
        }
        syn::Type::Array(a) => {
            let elem = parse_elem(&a.elem)?;
            let len = array_len(&a.len)?;
            if u64::from(len).saturating_mul(elem.size_align().0) > MAX_ARG_FRAME {
                bail!(
                    a.len.span(),
                    "this array is larger than Go's 1 GiB stack frame limit; pass a slice"
                );
            }
            Ok(Ty::Array { elem, len })
        }
        // A struct by value: a path without generic arguments (`Point`,
        // `go_asm::Complex64`), resolved against the file's structs later.
        syn::Type::Path(p)
            if p.qself.is_none()
                && p.path
                    .segments
                    .iter()
                    .all(|s| matches!(s.arguments, syn::PathArguments::None)) =>
        {
            let last = p.path.segments.last().expect("a path has a segment");
            let name = last.ident.unraw().to_string();
            let written = quote::ToTokens::to_token_stream(p).to_string();
            Ok(Ty::Struct(Box::new(StructTy::written(
                &name,
                written,
                p.span(),
            ))))
        }
        other => bail!(other.span(), "unsupported {role} type; {ACCEPTED_TYPES}"),
    }
}

fn parse_result(ty: &syn::Type) -> Result<ResultTy> {
    let parsed = parse_type(ty, "result")?;
    if let Ty::Ptr {
        pointee: Pointee::Array { .. },
        ..
    } = parsed
    {
        bail!(
            ty.span(),
            "a pointer to an array is a parameter type only; return a pointer to its first element"
        );
    }
    if let Ty::Struct(st) = &parsed {
        bail!(
            ty.span(),
            "`{}` in a tuple: a struct or complex result must be the only result",
            st.name
        );
    }
    match &parsed {
        Ty::Array { elem, .. } if elem.has_reference() => bail!(
            ty.span(),
            "an array result holds scalars, raw pointers or arrays of them, not references (the wrapper has none to fill it with before the body writes it)"
        ),
        Ty::Scalar(_) | Ty::Ptr { .. } | Ty::Array { .. } => Ok(ResultTy {
            ty: parsed,
            span: ty.span(),
            name: None,
        }),
        _ => bail!(
            ty.span(),
            "results must be scalars, pointers or arrays (slices and strings are passed in, not returned)"
        ),
    }
}

/// Doc comment lines of an item.
pub fn docs_of(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        if !a.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &a.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                for line in s.value().lines() {
                    out.push(
                        line.strip_prefix(' ')
                            .unwrap_or(line)
                            .trim_end()
                            .to_string(),
                    );
                }
            }
        }
    }
    out
}

/// Why a parameter named `rust` (Go name `go`) would be read as a register, if it
/// would: the architectures' register names, passed down from above the backends
/// (`register_names::clash`).
pub type RegisterClash<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

/// Parses a `#[go_asm]` function's signature; `register_clash` refuses parameters
/// named like registers.
pub fn parse_signature(f: &syn::ItemFn, register_clash: RegisterClash) -> Result<Signature> {
    let s = &f.sig;
    if let Some(g) = s.generics.params.first() {
        bail!(g.span(), "a #[go_asm] function cannot be generic");
    }
    if let Some(t) = &s.asyncness {
        bail!(t.span(), "a #[go_asm] function cannot be async");
    }
    if let Some(v) = &s.variadic {
        bail!(v.span(), "a #[go_asm] function cannot be variadic");
    }
    let mut params = Vec::new();
    for input in &s.inputs {
        match input {
            syn::FnArg::Receiver(r) => bail!(r.span(), "a #[go_asm] function cannot take self"),
            syn::FnArg::Typed(pt) => {
                let name = match &*pt.pat {
                    syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                        pi.ident.unraw().to_string()
                    }
                    syn::Pat::Wild(_) => {
                        let name = unnamed::generated_name(params.len());
                        unnamed::check_clash(&params, &name, true, pt.pat.span())?;
                        params.push(Param {
                            name,
                            ty: parse_type(&pt.ty, "parameter")?,
                            span: pt.pat.span(),
                            raw: matches!(&*pt.ty, syn::Type::Ptr(_)),
                            unnamed: true,
                        });
                        continue;
                    }
                    other => bail!(
                        other.span(),
                        "parameters must be plain names or `_`"
                    ),
                };
                unnamed::check_clash(&params, &name, false, pt.pat.span())?;
                ascii_name(&name, pt.pat.span())?;
                let go = go_ident(&name, false);
                if GO_KEYWORDS.contains(&go.as_str())
                    || GO_ASM_NAMES.contains(&go.as_str())
                    || go == "_"
                {
                    bail!(
                        pt.pat.span(),
                        "`{name}` cannot name a parameter in Go (`{go}` is a Go keyword, the blank identifier or an assembler name); rename it"
                    );
                }
                if let Some(message) = register_clash(&name, &go) {
                    bail!(pt.pat.span(), "{message}");
                }
                if params.iter().any(|p: &Param| p.name == name) {
                    bail!(pt.pat.span(), "duplicate parameter `{name}`");
                }
                if let Some(p) = params
                    .iter()
                    .find(|p| !p.unnamed && go_ident(&p.name, false) == go)
                {
                    bail!(
                        pt.pat.span(),
                        "parameter `{name}` is `{go}` in Go, like parameter `{}`; rename one",
                        p.name
                    );
                }
                params.push(Param {
                    name,
                    ty: parse_type(&pt.ty, "parameter")?,
                    span: pt.pat.span(),
                    raw: matches!(&*pt.ty, syn::Type::Ptr(_)),
                    unnamed: false,
                });
            }
        }
    }
    // Arrays travel inline in the frame; its offsets are u32 and Go caps frames.
    let mut frame_bytes = 0u64;
    for p in &params {
        frame_bytes += u64::from(p.ty.frame_size_align().0) + 8;
        if frame_bytes > MAX_ARG_FRAME {
            bail!(
                p.span,
                "the arguments up to `{}` exceed Go's 1 GiB stack frame limit; pass slices",
                p.name
            );
        }
    }
    // A safe wrapper cannot vouch for a raw pointer: such functions are `unsafe fn`.
    if s.unsafety.is_none() {
        if let Some(p) = params
            .iter()
            .find(|p| {
            (matches!(&p.ty, Ty::Ptr { .. }) && p.raw)
                || matches!(&p.ty, Ty::Array { elem, .. } if elem.has_raw_pointer())
        })
        {
            bail!(
                p.span,
                "`{}` is a raw pointer: declare the function `unsafe fn` (the wrapper cannot check it), or take a reference",
                p.name
            );
        }
    }
    let (all, result_struct): (Vec<ResultTy>, _) = match &s.output {
        syn::ReturnType::Default => (Vec::new(), None),
        syn::ReturnType::Type(_, ty) => match &**ty {
            syn::Type::Tuple(t) => (
                t.elems.iter().map(parse_result).collect::<Result<_>>()?,
                None,
            ),
            other => match parse_type(other, "result") {
                Ok(Ty::Struct(st)) => (Vec::new(), Some(st)),
                _ => (vec![parse_result(other)?], None),
            },
        },
    };
    // Each backend has four integer and four float result registers, and the C
    // results struct has at most four slots (c_results.rs).
    if let Some(extra) = all.get(MAX_RESULTS) {
        bail!(extra.span, "at most {} results are supported", MAX_RESULTS);
    }
    for r in &all {
        frame_bytes += u64::from(r.ty.frame_size_align().0) + 8;
        if frame_bytes > MAX_ARG_FRAME {
            bail!(
                r.span,
                "the arguments and results up to this one exceed Go's 1 GiB stack frame limit"
            );
        }
    }
    let (mut results, mut out_arrays) = (Vec::new(), Vec::new());
    for (at, result) in all.into_iter().enumerate() {
        match result.ty {
            Ty::Array { .. } => out_arrays.push(OutArray { at, result }),
            _ => results.push(result),
        }
    }
    let public = matches!(f.vis, syn::Visibility::Public(_));
    let name = s.ident.unraw().to_string();
    check_function_name(&name, public, s.ident.span())?;
    check_c_params(&params)?;
    let mut sig = Signature {
        name,
        name_span: s.ident.span(),
        public,
        exact_go_name: None,
        params,
        results,
        out_arrays,
        go_types: Vec::new(),
        result_struct,
        unsafe_fn: s.unsafety.is_some(),
        docs: docs_of(&f.attrs),
    };
    // A complex result's fields are known now; a named struct's once resolved.
    structs::flatten_result(&mut sig)?;
    Ok(sig)
}

impl Signature {
    /// The register each result leaves the body in: integers take `int` in order,
    /// floats take `float` in order (each backend's fixed result registers).
    pub fn result_registers(&self, int: &[u8], float: &[u8]) -> Vec<u8> {
        let (mut ints, mut floats) = (int.iter(), float.iter());
        self.results
            .iter()
            .map(|r| {
                let pool = if r.ty.is_float() {
                    &mut floats
                } else {
                    &mut ints
                };
                *pool
                    .next()
                    .expect("at most four results (checked by parse_signature)")
            })
            .collect()
    }

    pub fn go_name(&self) -> String {
        match &self.exact_go_name {
            Some(n) => n.clone(),
            None => go_ident(&self.name, self.public),
        }
    }
    pub fn param_go_name(&self, i: usize) -> String {
        match self.params[i].unnamed {
            true => "_".to_string(),
            false => go_ident(&self.params[i].name, false),
        }
    }
    /// Result `i`'s Go name, which is also its asmdecl frame name: the name
    /// `#[go_asm(results(..))]` gives it in camelCase, else asmdecl's `ret`,
    /// `ret1`, `ret2`, ...
    pub fn result_go_name(&self, i: usize) -> String {
        match &self.all_results()[i].name {
            Some(n) => go_ident(n, false),
            None if i == 0 => "ret".to_string(),
            None => format!("ret{i}"),
        }
    }
    /// Whether the results are named (all of them, or none: Go allows no mix).
    pub fn named_results(&self) -> bool {
        self.all_results().iter().any(|r| r.name.is_some())
    }
    /// Every result in order: the register results and the array results.
    pub fn all_results(&self) -> Vec<&ResultTy> {
        let mut all: Vec<&ResultTy> = self.results.iter().collect();
        for o in &self.out_arrays {
            all.insert(o.at, &o.result);
        }
        all
    }
    /// Every result in order, for naming them.
    pub(crate) fn all_results_mut(&mut self) -> Vec<&mut ResultTy> {
        let mut all: Vec<&mut ResultTy> = self.results.iter_mut().collect();
        for o in &mut self.out_arrays {
            all.insert(o.at, &mut o.result);
        }
        all
    }
    pub fn result_count(&self) -> usize {
        self.results.len() + self.out_arrays.len()
    }
}

impl From<Error> for syn::Error {
    fn from(e: Error) -> Self {
        syn::Error::new(e.span, e.message)
    }
}

/// The signature of a function written as Rust source, for unit tests.
#[cfg(test)]
pub(crate) fn test_signature(src: &str) -> Signature {
    let f: syn::ItemFn = syn::parse_str(src).expect("parses");
    parse_signature(&f, &|_, _| None).expect("signature")
}
