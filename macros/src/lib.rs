//! The `#[go_asm]` attribute of go-asm. Use it through the `go-asm` crate
//! (`use go_asm::go_asm;`), whose documentation has the guide.
#![deny(missing_docs)]

use go_asm_build::internal::{self, backends, compile, func, native, package, rust_abi, symbol};
use proc_macro::TokenStream;
use quote::quote;

/// Marks a function whose body is assembly for amd64 and arm64 plus a Go
/// fallback, or a `#[repr(C)]` struct shared by such functions.
///
/// ```
/// # extern crate go_asm_macros as go_asm;
/// use go_asm::go_asm;
///
/// /// Sum returns the sum of xs, wrapping on overflow.
/// #[go_asm]
/// pub fn sum(xs: &[u64]) -> u64 {
///     amd64! {
///         let total: gp64
///         xor total, total
///         test xs.len, xs.len
///         jz done
///     next:
///         add total, qword [xs.ptr]
///         add xs.ptr, 8
///         dec xs.len
///         jnz next
///     done:
///         return total
///     }
///     arm64! {
///         let total: x, v: x
///         mov total, xzr
///         cbz xs.len, done
///     next:
///         ldr v, [xs.ptr], #8
///         add total, total, v
///         subs xs.len, xs.len, #1
///         b.ne next
///     done:
///         return total
///     }
///     go! {
///         var total uint64
///         for _, x := range xs {
///             total += x
///         }
///         return total
///     }
/// }
/// ```
///
/// **The body.** `amd64! { .. }` (Intel syntax) and `arm64! { .. }` (ARM syntax)
/// hold one instruction per line, labels (`next:`), virtual registers (`let
/// total: gp64`), the arguments by name (`xs.ptr`, `xs.len`) and `return`; `go! {
/// .. }` holds the pure-Go fallback, required unless the package is restricted
/// with `Package::only_arches`; `const NAME: [T; N] = [..];` declares a read-only
/// table. The repository's README and docs/amd64.md, docs/arm64.md list every
/// form. The doc comment becomes the Go declaration's.
///
/// **Arguments.** `#[go_asm(c_name = "my_sum")]` gives the native function an
/// exact C symbol instead of the unique `goasm_<crate>_<version>_<hash>_<fn>`;
/// `go_name = "addVV"` the exact Go name; `results(sum, carry)` names the
/// results (Go's declaration, asmdecl's frame names, the C results struct's
/// fields); `go_type(h = "Handle")` declares a parameter or result with a Go
/// type the package declares in a Go file of its own; `nosplit` demands that the Go function
/// stay `NOSPLIT` (its frame of stack locals, `let w: stack[64]`, and spill slots
/// at most 512 bytes, or a compile error at the local or value).
/// On a struct, `#[go_asm]` takes none: the struct (`#[repr(C)]`, named fields
/// of scalars, arrays, other `#[go_asm]` structs and raw pointers) is declared in
/// the Go package and the C header too. A function of the same file may take it
/// by value (each scalar field a register: `p.x`, `p.inner.y`, `p.v[2]`) and
/// return it; `go_asm::Complex64` / `Complex128` likewise (`c.re`, `c.im`).
///
/// **What it expands to.** At compile time it parses and compiles every block with
/// the build step's compiler, so each mistake is a compile error at its token.
/// Without errors it leaves a safe Rust function of the same signature (an `unsafe
/// fn` for raw pointers) calling the native object that `go_asm_build::Package::build`
/// links, under `#[cfg(..)]`: only for a `target_arch` the function has a block for
/// (`x86_64` for `amd64!`, `aarch64` for `arm64!`), on an operating system with a
/// native backend (Linux, Android, the BSDs, macOS, iOS, Windows; arm64 Windows
/// has none). Elsewhere, on riscv64 or wasm32 for example, the function does not
/// exist in Rust: calling it is the compile error "cannot find function", never a
/// link error, and a crate that only carries kernels still builds. The Go package
/// is the same on every host.
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
    mut f: syn::ItemFn,
    attr: proc_macro2::TokenStream,
    file: Option<&std::path::Path>,
    shared: Option<&proc_macro2::TokenStream>,
) -> proc_macro2::TokenStream {
    // The build step computes the same symbol from the same crate and file.
    let origin = symbol::CrateId::from_env().origin(file.unwrap_or(std::path::Path::new("")));
    // A struct passed by value is declared in the same file: read it from there.
    let structs = file
        .filter(|_| takes_struct(&f))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| internal::file_structs(&text))
        .unwrap_or_default();
    let mut af = match internal::parse_fn_with(&f, &origin, attr, &structs) {
        Ok(af) => af,
        Err(e) => return e.to_compile_error(),
    };
    if let Some(shared) = shared {
        af.share_definitions(shared);
    }
    // `_: u64` gets the name the call passes on (sig/unnamed.rs).
    rust_abi::name_unnamed(&mut f.sig, &af.sig);
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
    // The wrapper exists where a native body does: elsewhere calling it is a
    // compile error ("found an item that was configured out"), never a link error.
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

/// Whether a parameter's or the result's type is a path that is no scalar:
/// perhaps a struct by value, whose fields are in the file.
fn takes_struct(f: &syn::ItemFn) -> bool {
    let named = |ty: &syn::Type| {
        matches!(ty, syn::Type::Path(p)
            if p.path.get_ident().is_none_or(|i| internal::sig::Scalar::from_rust(&i.to_string()).is_none()))
    };
    let returns = matches!(&f.sig.output, syn::ReturnType::Type(_, t) if named(t));
    returns
        || f.sig
            .inputs
            .iter()
            .any(|a| matches!(a, syn::FnArg::Typed(t) if named(&t.ty)))
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

/// A function with several blocks, or blocks needing CPU features: the wrapper
/// picks the first variant (source order) whose features the CPU has, once, and
/// caches the choice. Next to it, two hidden items for tests: the host's variants
/// with whether the CPU runs each, and a call of one chosen by index.
fn expand_dispatching(f: &syn::ItemFn, af: &func::AsmFn) -> proc_macro2::TokenStream {
    let sig = &af.sig;
    let native = native_cfg(af);
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

        // Where no block has a native body the wrapper is left out, as for
        // functions that do not dispatch (`native_cfg`).
        #[cfg(#native)]
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
