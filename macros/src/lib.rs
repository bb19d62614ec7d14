//! `#[go_asm]`: checks a function's DSL at `cargo check` time (every mistake is a
//! compile error at its token) and expands to a safe Rust function that calls the
//! native object the crate's build script links in.

use go_asm_build::internal::{backends, compile, func, package, rust_abi, symbol};
use proc_macro::TokenStream;
use quote::quote;

#[proc_macro_attribute]
pub fn go_asm(attr: TokenStream, item: TokenStream) -> TokenStream {
    let attr = proc_macro2::TokenStream::from(attr);
    // The file the item is in, for its native symbol (symbol.rs).
    let file = item
        .clone()
        .into_iter()
        .next()
        .and_then(|t| t.span().local_file());
    let parsed: syn::Item = match syn::parse(item) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error().into(),
    };
    match parsed {
        syn::Item::Fn(f) => expand_fn(f, attr, file.as_deref()).into(),
        syn::Item::Struct(_) if !attr.is_empty() => {
            syn::Error::new_spanned(attr, "#[go_asm] on a struct takes no arguments")
                .to_compile_error()
                .into()
        }
        syn::Item::Struct(s) => match package::parse_struct(&s) {
            Ok(_) => quote!(#s).into(),
            Err(e) => e.to_compile_error().into(),
        },
        other => {
            syn::Error::new_spanned(other, "#[go_asm] goes on a function or a #[repr(C)] struct")
                .to_compile_error()
                .into()
        }
    }
}

fn expand_fn(
    f: syn::ItemFn,
    attr: proc_macro2::TokenStream,
    file: Option<&std::path::Path>,
) -> proc_macro2::TokenStream {
    // The build step computes the same symbol from the same crate and file.
    let origin = symbol::CrateId::from_env().origin(file.unwrap_or(std::path::Path::new("")));
    let af = match go_asm_build::internal::parse_fn(&f, &origin, attr) {
        Ok(af) => af,
        Err(e) => return e.to_compile_error(),
    };
    // Compile every block now, so `cargo check` reports what the build step would.
    let mut errors = proc_macro2::TokenStream::new();
    for b in &af.blocks {
        if let Err(e) = compile::compile_block(&af, b) {
            errors.extend(e.to_compile_error());
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    if af.dispatches() {
        return expand_dispatching(&f, &af);
    }
    let sig = &af.sig;
    let attrs: Vec<&syn::Attribute> = f.attrs.iter().collect();
    let vis = &f.vis;
    let rust_sig = &f.sig;
    let link_name = &af.symbol;
    let inner = quote::format_ident!("__go_asm_{}", sig.name);
    let (decls, args) = rust_abi::extern_params(sig);
    let call = quote!(unsafe { #inner(#(#args),*) });
    let (ret, support, body) = rust_abi::extern_result(sig, call);
    quote! {
        #(#attrs)*
        #vis #rust_sig {
            #support
            extern "C" {
                #[link_name = #link_name]
                fn #inner(#(#decls),*) #ret;
            }
            // SAFETY: the native body reads only through the pointers and lengths
            // derived from the arguments above, as the signature promises.
            #body
        }
    }
}

/// A function with several blocks, or blocks needing CPU features: the wrapper
/// picks the first variant (source order) whose features the CPU has, once, and
/// caches the choice. Next to it, two hidden items for tests: the host's variants
/// with whether the CPU runs each, and a call of one chosen by index.
fn expand_dispatching(f: &syn::ItemFn, af: &func::AsmFn) -> proc_macro2::TokenStream {
    let sig = &af.sig;
    let attrs: Vec<&syn::Attribute> = f.attrs.iter().collect();
    let vis = &f.vis;
    let rust_sig = &f.sig;
    let variants = af.variants();
    let (decls, args) = rust_abi::extern_params(sig);
    let call_one = quote::format_ident!("__go_asm_{}_variant", sig.name);
    let list = quote::format_ident!("__go_asm_{}_variants", sig.name);
    let mut externs = Vec::new();
    let mut arms = Vec::new();
    let mut entries = Vec::new();
    for (k, v) in variants.iter().enumerate() {
        let arch = v.variant_arch.expect("variants have one architecture");
        let backend = backends::backend(arch);
        let cfg = backend.rust_arch();
        let inner = quote::format_ident!("__go_asm_{}", v.sig.name);
        let link_name = &v.symbol;
        let (ret, _, _) = rust_abi::extern_result(sig, quote!());
        externs.push(quote! {
            #[cfg(target_arch = #cfg)]
            #[link_name = #link_name]
            fn #inner(#(#decls),*) #ret;
        });
        arms.push(quote! {
            #[cfg(target_arch = #cfg)]
            #k => unsafe { #inner(#(#args),*) },
        });
        let names: Vec<&str> = v.blocks[0].features.iter().map(|(f, _)| f.name).collect();
        let detect_macro = quote::format_ident!("{}", backend.features().rust_detect);
        let detect = quote!(true #(&& ::std::arch::#detect_macro!(#names))*);
        let name = v.sig.name.clone();
        entries.push(quote! {
            #[cfg(target_arch = #cfg)]
            v.push((#k, #name, #detect));
        });
    }
    let needs: Vec<String> = variants
        .iter()
        .map(|v| v.blocks[0].describe_features())
        .collect();
    let none = format!(
        "{}: no variant runs on this CPU (they need {})",
        sig.name,
        needs.join(" or ")
    );
    let call = quote!(match __go_asm_variant { #(#arms)* _ => panic!(#none) });
    let (ret, support, body) = rust_abi::extern_result(sig, call);
    let inputs = &rust_sig.inputs;
    let output = &rust_sig.output;
    let fn_name = &rust_sig.ident;
    let unsafety = &rust_sig.unsafety;
    let _ = ret;
    let passed: Vec<&syn::Pat> = rust_sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(t) => Some(&*t.pat),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    quote! {
        #[doc(hidden)]
        /// The variants of this function on the host, in dispatch order: (index,
        /// name, whether this CPU runs it). For tests.
        #vis fn #list() -> ::std::vec::Vec<(usize, &'static str, bool)> {
            #[allow(unused_mut)]
            let mut v = ::std::vec::Vec::new();
            #(#entries)*
            v
        }

        #[doc(hidden)]
        /// Calls variant `__go_asm_variant` of this function (an index from the
        /// variants list). For tests.
        ///
        /// # Safety
        /// The CPU must have the variant's features.
        #vis unsafe fn #call_one(__go_asm_variant: usize, #inputs) #output {
            #support
            extern "C" {
                #(#externs)*
            }
            #body
        }

        #(#attrs)*
        #vis #unsafety fn #fn_name(#inputs) #output {
            use ::std::sync::atomic::{AtomicUsize, Ordering};
            // 0: not chosen yet; k + 1: variant k. Racing first calls choose the same.
            static CHOICE: AtomicUsize = AtomicUsize::new(0);
            let mut choice = CHOICE.load(Ordering::Relaxed);
            if choice == 0 {
                choice = #list()
                    .into_iter()
                    .find(|v| v.2)
                    .map_or(usize::MAX, |v| v.0 + 1);
                CHOICE.store(choice, Ordering::Relaxed);
            }
            // SAFETY: the chosen variant's features were detected on this CPU; the
            // native body reads only through the pointers and lengths derived from
            // the arguments, as the signature promises.
            unsafe { #call_one(choice.wrapping_sub(1), #(#passed),*) }
        }
    }
}
