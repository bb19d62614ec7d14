//! `#[go_asm]`: checks a function's DSL at `cargo check` time (every mistake is a
//! compile error at its token) and expands to a safe Rust function that calls the
//! native object the crate's build script links in.

use go_asm_build::internal::{self, backends, compile, func, package, rust_abi, symbol};
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
        syn::Item::Fn(f) => expand_fn(f, attr, file.as_deref(), None).into(),
        syn::Item::Mod(m) if attr.is_empty() => expand_mod(m, file.as_deref()).into(),
        syn::Item::Mod(_) => syn::Error::new_spanned(attr, "#[go_asm] on a mod takes no arguments")
            .to_compile_error()
            .into(),
        syn::Item::Struct(_) if !attr.is_empty() => {
            syn::Error::new_spanned(attr, "#[go_asm] on a struct takes no arguments")
                .to_compile_error()
                .into()
        }
        syn::Item::Struct(s) => match package::parse_struct(&s) {
            Ok(_) => quote!(#s).into(),
            Err(e) => e.to_compile_error().into(),
        },
        other => syn::Error::new_spanned(
            other,
            "#[go_asm] goes on a function, a #[repr(C)] struct or an inline mod",
        )
        .to_compile_error()
        .into(),
    }
}

/// `#[go_asm] mod name { go_asm_macros! { .. } #[go_asm] fn .. }`: every
/// `#[go_asm]` function of the module is expanded here, with the module's shared
/// definitions (the build step reads the same file the same way).
fn expand_mod(mut m: syn::ItemMod, file: Option<&std::path::Path>) -> proc_macro2::TokenStream {
    let Some((_, items)) = m.content.take() else {
        return syn::Error::new_spanned(&m, "#[go_asm] goes on an inline mod (`mod name { .. }`)")
            .to_compile_error();
    };
    let shared = match func::shared_definitions(&items) {
        Ok(s) => s,
        Err(e) => return e.to_compile_error(),
    };
    let mut out = Vec::new();
    let mut expanded = proc_macro2::TokenStream::new();
    for item in items {
        match item {
            _ if func::shared_macros_item(&item).is_some() => {}
            syn::Item::Fn(mut f) if internal::has_go_asm_attr(&f.attrs) => {
                let args = internal::attr_args(&f.attrs);
                f.attrs
                    .retain(|a| a.path().segments.last().is_none_or(|s| s.ident != "go_asm"));
                expanded.extend(expand_fn(f, args, file, Some(&shared)));
            }
            other => out.push(other),
        }
    }
    let (attrs, vis, ident) = (&m.attrs, &m.vis, &m.ident);
    quote! {
        #(#attrs)*
        #vis mod #ident {
            #(#out)*
            #expanded
        }
    }
}

fn expand_fn(
    f: syn::ItemFn,
    attr: proc_macro2::TokenStream,
    file: Option<&std::path::Path>,
    shared: Option<&proc_macro2::TokenStream>,
) -> proc_macro2::TokenStream {
    // The build step computes the same symbol from the same crate and file.
    let origin = symbol::CrateId::from_env().origin(file.unwrap_or(std::path::Path::new("")));
    let mut af = match internal::parse_fn(&f, &origin, attr) {
        Ok(af) => af,
        Err(e) => return e.to_compile_error(),
    };
    if let Some(shared) = shared {
        af.share_definitions(shared);
    }
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
    // The wrapper exists where a native body does: elsewhere calling it is a
    // compile error ("found an item that was configured out"), never a link error.
    let arches = af
        .blocks
        .iter()
        .map(|b| backends::backend(b.arch).rust_arch());
    quote! {
        #[cfg(any(#(target_arch = #arches),*))]
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
