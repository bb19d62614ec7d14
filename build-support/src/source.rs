//! Reading Rust sources: the `#[go_asm]` functions and structs of one file, with
//! its text (a `go!` block is copied from it).

use crate::diag::{Error, Result};
use crate::func::AsmFn;
use crate::gopkg::GoStruct;
use crate::symbol::{CrateId, Origin};
use crate::table_text::Lifted;
use std::path::Path;

/// A parsed source file: its functions and structs, with the text for `go!` blocks.
pub struct Source {
    pub path: String,
    /// The file relative to the crate root, `/`-separated: what generated files
    /// name as their source.
    pub from: String,
    /// The module's `//!` docs: the Go package comment.
    pub docs: Vec<String>,
    pub text: String,
    pub fns: Vec<AsmFn>,
    pub structs: Vec<GoStruct>,
}

/// Parses a `#[go_asm]` function defined at `origin` (`func::parse_fn`), refusing
/// parameters named like a register of any architecture.
pub fn parse_fn(f: &syn::ItemFn, origin: &Origin, args: proc_macro2::TokenStream) -> Result<AsmFn> {
    parse_fn_in(f, origin, args, &Lifted::default())
}

/// [`parse_fn`], with the structs a parameter may pass by value: the `#[go_asm]`
/// structs of the function's file ([`file_structs`]).
pub fn parse_fn_with(
    f: &syn::ItemFn,
    origin: &Origin,
    args: proc_macro2::TokenStream,
    structs: &[GoStruct],
) -> Result<AsmFn> {
    let mut af = parse_fn_in(f, origin, args, &Lifted::default())?;
    crate::sig::resolve_structs(&mut af.sig, structs)?;
    Ok(af)
}

/// The `#[go_asm]` structs of a source text, inline modules included (those
/// that do not parse are left out: their own attribute reports them).
pub fn file_structs(text: &str) -> Vec<GoStruct> {
    let lifted = crate::table_text::lift(text);
    let parsed = match &lifted {
        Some((blanked, _)) => blanked.as_str(),
        None => text,
    };
    syn::parse_file(parsed)
        .map(|file| structs_of(&file.items))
        .unwrap_or_default()
}

fn structs_of(items: &[syn::Item]) -> Vec<GoStruct> {
    let mut out = Vec::new();
    for item in items {
        match item {
            syn::Item::Struct(s) if has_go_asm_attr(&s.attrs) => {
                out.extend(parse_struct(s).ok());
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    out.extend(structs_of(items));
                }
            }
            _ => {}
        }
    }
    out
}

/// [`parse_fn`] for a source whose large tables were lifted out ([`crate::table_text`]).
fn parse_fn_in(
    f: &syn::ItemFn,
    origin: &Origin,
    args: proc_macro2::TokenStream,
    lifted: &Lifted,
) -> Result<AsmFn> {
    crate::func::parse_fn_in(
        f,
        origin,
        args,
        &crate::register_names::clash,
        &|arch| crate::backends::backend(arch).features(),
        lifted,
    )
}

fn go_asm_attr(attrs: &[syn::Attribute]) -> Option<&syn::Attribute> {
    attrs.iter().find(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "go_asm")
    })
}

pub fn has_go_asm_attr(attrs: &[syn::Attribute]) -> bool {
    go_asm_attr(attrs).is_some()
}

/// The tokens between `#[go_asm(` and `)]`, as the macro receives them.
pub fn attr_args(attrs: &[syn::Attribute]) -> proc_macro2::TokenStream {
    match go_asm_attr(attrs).map(|a| &a.meta) {
        Some(syn::Meta::List(l)) => l.tokens.clone(),
        Some(syn::Meta::NameValue(nv)) => quote::ToTokens::to_token_stream(&nv.value),
        _ => proc_macro2::TokenStream::new(),
    }
}

/// The items of one file (or inline module) and what they share.
struct Scope<'a> {
    origin: &'a Origin,
    tables: &'a Lifted,
    /// The definitions of the enclosing `#[go_asm] mod`, if any.
    shared: &'a proc_macro2::TokenStream,
    /// Every `#[go_asm]` struct of the file: what a parameter passes by value.
    file_structs: &'a [GoStruct],
}

fn collect(
    items: &[syn::Item],
    scope: &Scope,
    fns: &mut Vec<AsmFn>,
    structs: &mut Vec<GoStruct>,
    errors: &mut Vec<Error>,
) {
    let Scope {
        origin,
        tables,
        shared,
        file_structs,
    } = *scope;
    for item in items {
        match item {
            syn::Item::Fn(f) if has_go_asm_attr(&f.attrs) => {
                let parsed = parse_fn_in(f, origin, attr_args(&f.attrs), tables).and_then(|mut af| {
                    crate::sig::resolve_structs(&mut af.sig, file_structs)?;
                    Ok(af)
                });
                match parsed {
                    Ok(mut af) => {
                        af.share_definitions(shared);
                        // A dispatching function's variants follow it (func.rs).
                        let variants = af.variants();
                        fns.push(af);
                        fns.extend(variants);
                    }
                    Err(e) => errors.push(e),
                }
            }
            syn::Item::Struct(s) if has_go_asm_attr(&s.attrs) => match parse_struct(s) {
                Ok(st) => structs.push(st),
                Err(e) => errors.push(e),
            },
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    let shared = if has_go_asm_attr(&m.attrs) {
                        match crate::func::shared_definitions(items) {
                            Ok(s) => s,
                            Err(e) => {
                                errors.push(e);
                                continue;
                            }
                        }
                    } else {
                        proc_macro2::TokenStream::new()
                    };
                    let inner = Scope {
                        shared: &shared,
                        ..*scope
                    };
                    collect(items, &inner, fns, structs, errors);
                }
            }
            _ => {}
        }
    }
}

/// A `#[go_asm]` struct: `#[repr(C)]`, named fields of scalars.
pub fn parse_struct(s: &syn::ItemStruct) -> std::result::Result<GoStruct, Error> {
    use syn::spanned::Spanned;
    let repr_c = s.attrs.iter().any(|a| {
        a.path().is_ident("repr")
            && a.parse_args::<syn::Ident>()
                .map(|i| i == "C")
                .unwrap_or(false)
    });
    if !repr_c {
        return Err(Error::new(
            s.ident.span(),
            "a #[go_asm] struct needs #[repr(C)] so Rust, C and Go agree on its layout",
        ));
    }
    if !s.generics.params.is_empty() {
        return Err(Error::new(
            s.generics.span(),
            "a #[go_asm] struct cannot be generic",
        ));
    }
    let syn::Fields::Named(named) = &s.fields else {
        return Err(Error::new(
            s.fields.span(),
            "a #[go_asm] struct has named fields",
        ));
    };
    if crate::sig::is_complex_name(&s.ident.to_string()) {
        return Err(Error::new(
            s.ident.span(),
            "`Complex64` and `Complex128` are go-asm's complex numbers (go_asm::Complex64); name the struct otherwise",
        ));
    }
    if named.named.is_empty() {
        return Err(Error::new(
            s.fields.span(),
            "a #[go_asm] struct needs at least one field (C has no empty structs)",
        ));
    }
    let mut fields = Vec::new();
    for f in &named.named {
        let ty = crate::sig::parse_field(&f.ty)?;
        fields.push((f.ident.as_ref().expect("named").to_string(), ty));
    }
    Ok(GoStruct {
        name: s.ident.to_string(),
        docs: crate::sig::docs_of(&s.attrs),
        fields,
    })
}

/// proc-macro2's message for text that is not a token stream.
const LEX_ERROR: &str = "cannot parse string into token stream";

/// Parses one source file's `#[go_asm]` items, for the crate in cargo's
/// environment ([`CrateId::from_env`]).
pub fn parse_source(path: &str, text: String) -> std::result::Result<Source, Vec<String>> {
    let origin = CrateId::from_env().origin(Path::new(path));
    parse_source_at(path, text, &origin)
}

/// Parses one source file (shown as `path` in messages) defined at `origin`.
pub fn parse_source_at(
    path: &str,
    text: String,
    origin: &Origin,
) -> std::result::Result<Source, Vec<String>> {
    // Blanked in place: the text kept is the one syn parses (a large table's
    // element list is spaces in both; nothing reads it as text).
    let (text, tables) = crate::table_text::lift_owned(text);
    let tables = &tables;
    let file = syn::parse_file(&text).map_err(|e| {
        let mut e = Error::from(e);
        // proc-macro2's lexer says only "cannot parse string into token stream".
        if e.message == LEX_ERROR {
            e.message = "the file does not split into Rust tokens here: an unbalanced `(`, `[` or `{`, or an unterminated literal".into();
        }
        vec![e.located(path)]
    })?;
    let mut fns = Vec::new();
    let mut structs = Vec::new();
    let mut errors = Vec::new();
    let no_shared = proc_macro2::TokenStream::new();
    let file_structs = structs_of(&file.items);
    let scope = Scope {
        origin,
        tables,
        shared: &no_shared,
        file_structs: &file_structs,
    };
    collect(&file.items, &scope, &mut fns, &mut structs, &mut errors);
    let docs = crate::sig::docs_of(&file.attrs);
    drop(file);
    if !errors.is_empty() {
        return Err(errors.iter().map(|e| e.located(path)).collect());
    }
    // Spans stay where they were in the text (lifting keeps every byte offset).
    let lines = crate::dsl::comments::LineStarts::new(&text);
    for b in fns.iter_mut().flat_map(|f| f.blocks.iter_mut()) {
        b.comments = crate::dsl::comments::in_braces(&text, &lines, b.braces);
    }
    Ok(Source {
        path: path.to_string(),
        from: origin.file.clone(),
        docs,
        text,
        fns,
        structs,
    })
}

/// The `#[go_asm]` items of `text` as the attribute sees them one by one: the
/// functions that parse, and each item's own error (signature, blocks, struct).
/// `None` when the file is not Rust `syn` can parse (rustc reports that itself,
/// not at a `#[go_asm]` token).
pub fn parse_items(text: &str, origin: &Origin) -> Option<(Vec<AsmFn>, Vec<Error>)> {
    let lifted = crate::table_text::lift(text);
    let (parsed, tables) = match &lifted {
        Some((blanked, tables)) => (blanked.as_str(), tables),
        None => (text, &Lifted::default()),
    };
    let file = syn::parse_file(parsed).ok()?;
    let (mut fns, mut structs, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    let no_shared = proc_macro2::TokenStream::new();
    let file_structs = structs_of(&file.items);
    let scope = Scope {
        origin,
        tables,
        shared: &no_shared,
        file_structs: &file_structs,
    };
    collect(&file.items, &scope, &mut fns, &mut structs, &mut errors);
    Some((fns, errors))
}
