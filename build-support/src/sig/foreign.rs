//! Types of other Go packages.
//!
//! - `*const c_void` / `*mut c_void` (`c_void` bare or as `core::ffi::c_void`,
//!   `std::ffi::c_void`, `std::os::raw::c_void`) is Go's `unsafe.Pointer`: 8
//!   bytes in the frame, one integer register, `const void *` / `void *` in C.
//!   The files that declare such a function import `"unsafe"`. A reference to
//!   `c_void` is refused (Rust cannot make one of a pointer it knows nothing of).
//! - `#[go_asm(go_type(h = "Handle", ret = "Handle"))]` declares a parameter or
//!   result with a Go type the package declares itself, in a hand-written Go file
//!   (`type Handle uint64`, or an alias of another package's type, `type Duration
//!   = time.Duration`, which imports what it needs). The key is a parameter's
//!   name, a result's `results(..)` name, or an unnamed result's `ret`, `ret1`,
//!   ...; the value a Go identifier. Only the Go declaration changes: the frame
//!   layout, the DSL, the C header and the Rust wrapper are the Rust type's row,
//!   so the Go type must have that row's layout (its underlying type `uint64`
//!   for a `u64`, a `[4]float32` for an `[f32; 4]`). go-asm does not read the
//!   package's Go files; `go vet`'s asmdecl does, and reports a type of another
//!   size at the first frame reference it breaks.

use super::idents::GO_KEYWORDS;
use super::{Pointee, Signature};
use crate::diag::{bail, Result};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;

/// Whether `ty` is `c_void`.
pub(super) fn is_c_void(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else {
        return false;
    };
    if p.qself.is_some() {
        return false;
    }
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    matches!(
        segs.as_slice(),
        ["c_void"]
            | ["ffi", "c_void"]
            | ["core" | "std", "ffi", "c_void"]
            | ["std", "os", "raw", "c_void"]
    )
}

/// Refuses `&c_void` and `&mut c_void`.
pub(super) fn no_void_reference(p: Pointee, span: Span) -> Result<Pointee> {
    if p == Pointee::Void {
        bail!(
            span,
            "a reference to c_void is no Rust value: take `*const c_void` or `*mut c_void` (Go's unsafe.Pointer) in an `unsafe fn`"
        );
    }
    Ok(p)
}

/// Which declaration a `go_type(..)` entry retypes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoTypeOf {
    Param(usize),
    /// A result, by its position among all results.
    Result(usize),
}

/// `go_type(key = "Type", ..)` as written: each key and type with their spans.
#[derive(Clone, Debug, Default)]
pub struct GoTypes {
    pub entries: Vec<((String, Span), (String, Span))>,
}

/// Parses the inside of `go_type(..)`.
pub fn parse_go_types(tokens: TokenStream) -> Result<GoTypes> {
    let parser = |input: syn::parse::ParseStream| {
        let mut out = Vec::new();
        while !input.is_empty() {
            let key = syn::Ident::parse_any(input)?;
            input.parse::<syn::Token![=]>()?;
            let value: syn::LitStr = input.parse()?;
            out.push((
                (key.unraw().to_string(), key.span()),
                (value.value(), value.span()),
            ));
            if input.is_empty() {
                break;
            }
            input.parse::<syn::Token![,]>()?;
        }
        Ok(out)
    };
    match syn::parse::Parser::parse2(parser, tokens) {
        Ok(entries) => Ok(GoTypes { entries }),
        Err(e) => bail!(
            e.span(),
            "go_type(..) takes `name = \"GoType\"` pairs separated by commas: `go_type(h = \"Handle\")`"
        ),
    }
}

/// Records `types` in `sig`, checking each key names a parameter or a result
/// once and each type is a Go identifier.
pub fn apply_go_types(sig: &mut Signature, types: &GoTypes) -> Result<()> {
    for (i, ((key, kspan), (ty, tspan))) in types.entries.iter().enumerate() {
        let ident = ty.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && ty.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ident || ty == "_" || GO_KEYWORDS.contains(&ty.as_str()) {
            bail!(
                *tspan,
                "go_type `{ty}` is not a Go type name: give an identifier the package declares (`type Handle uint64`; for another package's type, an alias, `type Duration = time.Duration`)"
            );
        }
        let target = match sig.params.iter().position(|p| !p.unnamed && p.name == *key) {
            Some(p) => GoTypeOf::Param(p),
            None => {
                let all = sig.all_results();
                let r = (0..all.len()).find(|&r| match &all[r].name {
                    Some(n) => n == key,
                    None => sig.result_go_name(r) == *key,
                });
                match r {
                    Some(r) => GoTypeOf::Result(r),
                    None => bail!(
                        *kspan,
                        "go_type: `{key}` is no parameter or result of `{}` (results are `ret`, `ret1`, .. or their results(..) names)",
                        sig.name
                    ),
                }
            }
        };
        if types.entries[..i].iter().any(|((k, _), _)| k == key) {
            bail!(*kspan, "a second go_type for `{key}`");
        }
        sig.go_types.push((target, ty.clone()));
    }
    Ok(())
}

impl Signature {
    /// Parameter `i`'s Go type: its `go_type(..)`, else its row's.
    pub fn param_go_type(&self, i: usize) -> String {
        self.go_type_of(GoTypeOf::Param(i))
            .unwrap_or_else(|| self.params[i].ty.go_name())
    }
    /// Result `i`'s Go type (its position among all results).
    pub fn result_go_type(&self, i: usize) -> String {
        self.go_type_of(GoTypeOf::Result(i))
            .unwrap_or_else(|| self.all_results()[i].ty.go_name())
    }
    /// The `go_type(..)` of a parameter or result, if it has one.
    pub fn go_type_of(&self, of: GoTypeOf) -> Option<String> {
        self.go_types
            .iter()
            .find(|(t, _)| *t == of)
            .map(|(_, n)| n.clone())
    }
}

/// The imports a Go file declaring `sig` needs: `"unsafe"` for an
/// `unsafe.Pointer` in it.
pub fn go_imports(sig: &Signature) -> Vec<&'static str> {
    let params = (0..sig.params.len()).map(|i| sig.param_go_type(i));
    let results = (0..sig.result_count()).map(|i| sig.result_go_type(i));
    if params
        .chain(results)
        .any(|t| t.contains("unsafe.Pointer"))
    {
        vec!["\"unsafe\""]
    } else {
        Vec::new()
    }
}
