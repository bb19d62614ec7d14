//! The Rust side of the C ABI: how the macro's safe wrapper passes each parameter
//! to the native symbol, and the C return type of multi-result functions.

use crate::c_results::{self, SlotKind};
use crate::sig::{Pointee, Scalar, Signature, Ty};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};

fn scalar_ty(s: Scalar) -> TokenStream {
    let id = Ident::new(s.rust_name(), Span::call_site());
    quote!(#id)
}

fn pointee_ty(p: &Pointee) -> TokenStream {
    match p {
        Pointee::Scalar(s) => scalar_ty(*s),
        Pointee::Named(n) => {
            let id = Ident::new(n, Span::call_site());
            quote!(#id)
        }
        Pointee::Void => quote!(::core::ffi::c_void),
        Pointee::Array { elem, len } => {
            let e = pointee_ty(elem);
            let n = proc_macro2::Literal::usize_unsuffixed(*len as usize);
            quote!([#e; #n])
        }
    }
}

fn ptr_ty(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Ptr { pointee, mutable } => {
            let p = pointee_ty(pointee);
            if *mutable {
                quote!(*mut #p)
            } else {
                quote!(*const #p)
            }
        }
        _ => unreachable!("pointer types only"),
    }
}

/// The multi-result return struct: every result in its own 8-byte slot
/// (c_results.rs says why and where each ABI puts it).
pub fn results_struct_name(sig: &Signature) -> Ident {
    format_ident!("__GoAsmResults_{}", sig.name)
}

/// A parameter's name as a Rust identifier: raw (`r#match`) when it is a keyword,
/// as the function wrote it (the signature stores names without `r#`).
fn rust_ident(name: &str) -> Ident {
    syn::parse_str::<Ident>(name).unwrap_or_else(|_| Ident::new_raw(name, Span::call_site()))
}

/// Gives the wrapper's `_` parameters the names its call of the native symbol
/// passes on (`arg<i>`, sig/unnamed.rs): C receives every argument.
pub fn name_unnamed(rust: &mut syn::Signature, sig: &Signature) {
    let typed = rust.inputs.iter_mut().filter_map(|a| match a {
        syn::FnArg::Typed(pt) => Some(pt),
        syn::FnArg::Receiver(_) => None,
    });
    for (pt, p) in typed.zip(&sig.params) {
        if p.unnamed {
            let id = rust_ident(&p.name);
            *pt.pat = syn::parse_quote!(#id);
        }
    }
}

/// Extern declaration parameters and call arguments for the wrapper.
pub fn extern_params(sig: &Signature) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut decls = Vec::new();
    let mut args = Vec::new();
    for p in &sig.params {
        let name = rust_ident(&p.name);
        match &p.ty {
            Ty::Scalar(s) => {
                let t = scalar_ty(*s);
                decls.push(quote!(#name: #t));
                args.push(quote!(#name));
            }
            Ty::Ptr { .. } => {
                let t = ptr_ty(&p.ty);
                decls.push(quote!(#name: #t));
                args.push(quote!(#name as #t));
            }
            Ty::Slice { elem, mutable } => {
                let e = scalar_ty(*elem);
                let (pn, ln, cn) = (
                    format_ident!("{}_ptr", p.name),
                    format_ident!("{}_len", p.name),
                    format_ident!("{}_cap", p.name),
                );
                if *mutable {
                    decls.push(quote!(#pn: *mut #e));
                    args.push(quote!(#name.as_mut_ptr()));
                } else {
                    decls.push(quote!(#pn: *const #e));
                    args.push(quote!(#name.as_ptr()));
                }
                decls.push(quote!(#ln: usize));
                decls.push(quote!(#cn: usize));
                args.push(quote!(#name.len()));
                args.push(quote!(#name.len()));
            }
            Ty::Str => {
                let (pn, ln) = (
                    format_ident!("{}_ptr", p.name),
                    format_ident!("{}_len", p.name),
                );
                decls.push(quote!(#pn: *const u8));
                decls.push(quote!(#ln: usize));
                args.push(quote!(#name.as_ptr()));
                args.push(quote!(#name.len()));
            }
            Ty::Array { elem, .. } => {
                let e = elem.rust_tokens();
                decls.push(quote!(#name: *const #e));
                args.push(quote!(#name.as_ptr()));
            }
            // The `#[repr(C)]` struct itself: rustc passes it as the C ABI passes
            // the header's struct (or `_Complex`).
            Ty::Struct(st) => {
                let t: syn::Type =
                    syn::parse_str(&st.rust_path).expect("a struct type written in the signature");
                decls.push(quote!(#name: #t));
                args.push(quote!(#name));
            }
        }
    }
    // Array results: the arrays the wrapper returns, filled through their
    // addresses (sig/arrays.rs); `extern_result` declares them.
    for k in 0..sig.out_arrays.len() {
        let Ty::Array { elem, .. } = &sig.out_arrays[k].result.ty else {
            unreachable!("out arrays are arrays")
        };
        let e = elem.rust_tokens();
        let (name, local) = (rust_ident(&sig.out_array_c_name(k)), out_local(k));
        decls.push(quote!(#name: *mut #e));
        args.push(quote!(#local.as_mut_ptr()));
    }
    (decls, args)
}

/// The wrapper's local holding array result `k`.
fn out_local(k: usize) -> Ident {
    format_ident!("__go_asm_out{k}")
}

/// The wrapper's return value: the register results `regs` (expressions, in
/// order) and the array results, each in its place among the results.
fn with_out_arrays(sig: &Signature, regs: Vec<TokenStream>) -> TokenStream {
    let mut regs = regs.into_iter();
    let mut all = Vec::new();
    let mut arrays = sig.out_arrays.iter().enumerate().peekable();
    for i in 0..sig.result_count() {
        match arrays.peek() {
            Some((k, o)) if o.at == i => {
                all.push(out_local(*k).into_token_stream());
                arrays.next();
            }
            _ => all.push(regs.next().expect("a register result")),
        }
    }
    match all.len() {
        1 => all.remove(0),
        _ => quote!((#(#all),*)),
    }
}

/// The zeroed arrays the call fills (zero is a valid value of every element an
/// array result may have: scalars, raw pointers, arrays of them).
fn out_locals(sig: &Signature) -> TokenStream {
    let locals = (0..sig.out_arrays.len()).map(|k| {
        let (local, ty) = (out_local(k), array_ty(&sig.out_arrays[k].result.ty));
        // SAFETY: all-zero bytes are a value of the array (see above).
        quote!(let mut #local: #ty = unsafe { ::core::mem::zeroed() };)
    });
    quote!(#(#locals)*)
}

fn array_ty(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Array { elem, len } => {
            let e = elem.rust_tokens();
            let n = proc_macro2::Literal::usize_unsuffixed(*len as usize);
            quote!([#e; #n])
        }
        _ => unreachable!("arrays only"),
    }
}

/// The extern return type and the expression turning its value into the wrapper's.
pub fn extern_result(
    sig: &Signature,
    call: TokenStream,
) -> (TokenStream, TokenStream, TokenStream) {
    if let Some(st) = &sig.result_struct {
        // The `#[repr(C)]` struct itself: rustc returns it as the C ABI does.
        let t: syn::Type =
            syn::parse_str(&st.rust_path).expect("a struct type written in the signature");
        return (quote!(-> #t), quote!(), quote!(#call));
    }
    let locals = out_locals(sig);
    let arrays = !sig.out_arrays.is_empty();
    match sig.results.len() {
        0 if !arrays => (quote!(), quote!(), quote!(#call)),
        0 => {
            let value = with_out_arrays(sig, Vec::new());
            (quote!(), quote!(), quote!({ #locals #call; #value }))
        }
        1 => {
            let t = match &sig.results[0].ty {
                Ty::Scalar(s) => scalar_ty(*s),
                other => ptr_ty(other),
            };
            let body = if arrays {
                let value = with_out_arrays(sig, vec![quote!(r)]);
                quote!({ #locals let r = #call; #value })
            } else {
                quote!(#call)
            };
            (quote!(-> #t), quote!(), body)
        }
        _ => {
            let sname = results_struct_name(sig);
            let mut fields = Vec::new();
            let mut outs = Vec::new();
            // The same slots as the C header's struct (c_results.rs).
            for (i, (slot, r)) in c_results::slots(sig)
                .into_iter()
                .zip(&sig.results)
                .enumerate()
            {
                let f = format_ident!("r{i}");
                match slot {
                    SlotKind::F64 => {
                        fields.push(quote!(#f: f64));
                        outs.push(quote!(r.#f));
                    }
                    SlotKind::F32Padded => {
                        let pad = format_ident!("pad{i}");
                        fields.push(quote!(#f: f32, #pad: u32));
                        outs.push(quote!(r.#f));
                    }
                    SlotKind::Unsigned(Scalar::Bool) => {
                        fields.push(quote!(#f: u64));
                        outs.push(quote!((r.#f & 0xff) != 0));
                    }
                    SlotKind::Signed(s) => {
                        let t = scalar_ty(s);
                        fields.push(quote!(#f: i64));
                        outs.push(quote!(r.#f as #t));
                    }
                    SlotKind::Unsigned(s) => {
                        let t = scalar_ty(s);
                        fields.push(quote!(#f: u64));
                        outs.push(quote!(r.#f as #t));
                    }
                    SlotKind::Ptr => {
                        let t = ptr_ty(&r.ty);
                        fields.push(quote!(#f: #t));
                        outs.push(quote!(r.#f));
                    }
                }
            }
            let decl = quote! {
                #[repr(C)]
                #[allow(non_camel_case_types)]
                struct #sname { #(#fields),* }
            };
            let value = with_out_arrays(sig, outs);
            (
                quote!(-> #sname),
                decl,
                quote!({ #locals let r = #call; #value }),
            )
        }
    }
}
