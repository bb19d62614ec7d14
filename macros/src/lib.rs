//! `#[go_asm]`: checks a function's DSL at `cargo check` time (every mistake is a
//! compile error at its token) and expands to a safe Rust function that calls the
//! native object the crate's build script links in.

use go_asm_build::{compile, func, native, package, rust_abi, symbol};
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
    let af = match func::parse_fn(&f, &origin, attr) {
        Ok(af) => af,
        Err(e) => return e.to_compile_error(),
    };
    // Compile every block now, so `cargo check` reports what the build step would.
    let mut errors = proc_macro2::TokenStream::new();
    for b in &af.blocks {
        if let Err(e) = compile::compile(&af, b.arch) {
            errors.extend(e.to_compile_error());
        }
    }
    if !errors.is_empty() {
        return errors;
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
    let cfg = native_cfg(&af);
    quote! {
        #[cfg(#cfg)]
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

/// The targets on which the build script links a native body for `af`: an
/// architecture it has a block for, on an operating system with a native
/// backend. Elsewhere the wrapper is left out, so a call is "cannot find
/// function" at compile time rather than an undefined symbol at link time.
fn native_cfg(af: &func::AsmFn) -> proc_macro2::TokenStream {
    let per_arch = af.blocks.iter().map(|b| {
        let arch = native::rust_arch(b.arch);
        let oses = native::rust_oses(b.arch);
        quote!(all(target_arch = #arch, any(#(target_os = #oses),*)))
    });
    quote!(any(#(#per_arch),*))
}
