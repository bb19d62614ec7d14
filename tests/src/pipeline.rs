//! The whole build step in process, on one source text: parse, compile for every
//! architecture the source has a block for, render the Go package and the C header,
//! write every native object (all targets, both linkages) and the macro's wrapper
//! pieces. The malformed corpus, the fuzzer and the determinism check all drive it,
//! so they exercise exactly what `Package::build` and `#[go_asm]` run.

use go_asm_build::internal::native::{native_targets, Linkage};
use go_asm_build::internal::package::parse_source;
use go_asm_build::internal::rust_abi;
use go_asm_build::Package;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// One generated file: its name and bytes.
pub type Generated = (String, Vec<u8>);

/// Runs the pipeline on `text` (shown as `path` in messages). `Ok`: every file the
/// package and its native objects consist of, sorted by name; `Err`: the located
/// errors (`path:line:column: message`).
pub fn generate(path: &str, text: &str, package: &str) -> Result<Vec<Generated>, Vec<String>> {
    let source = parse_source(path, text.to_string())?;
    // The macro expands every parsed function into its wrapper; run that too.
    for f in &source.fns {
        let (_decls, _args) = rust_abi::extern_params(&f.sig);
        let _ = rust_abi::extern_result(&f.sig, proc_macro2::TokenStream::new());
    }
    let sources = [source];
    let pkg = Package::new(package, "unused").source(path);
    let built = pkg.compile_sources(&sources).map_err(|e| e.0)?;
    let mut out: Vec<Generated> = pkg
        .render_built(&sources, &built)
        .into_iter()
        .map(|f| (f.name, f.contents.into_bytes()))
        .collect();
    out.extend(native_objects(package, &pkg, &sources, &built).map_err(|e| e.0)?);
    out.sort();
    Ok(out)
}

/// Every native object of a compiled package: each target of its architectures in
/// both linkages, named `<package>_<goos>_<goarch>_<abi>.<o|syso>`.
pub fn native_objects(
    package: &str,
    pkg: &Package,
    sources: &[go_asm_build::internal::package::Source],
    built: &go_asm_build::internal::package::Built,
) -> Result<Vec<Generated>, go_asm_build::internal::package::BuildError> {
    let mut out = Vec::new();
    for target in native_targets() {
        if !built.arches.contains(&target.arch) {
            continue;
        }
        for (linkage, ext) in [(Linkage::Relocatable, "o"), (Linkage::Syso, "syso")] {
            let bytes = pkg.native_object(sources, built, *target, linkage)?;
            let name = format!(
                "{package}_{}_{}_{:?}.{ext}",
                target.goos,
                target.arch.goarch(),
                target.abi
            );
            out.push((name, bytes));
        }
    }
    Ok(out)
}

/// What one guarded run of the pipeline did.
#[derive(Debug)]
pub enum Outcome {
    Generated(Vec<Generated>),
    Rejected(Vec<String>),
    /// The panic's message and location.
    Panicked(String),
}

thread_local! {
    /// Set while a guarded run is under way on this thread: its panic goes here
    /// instead of stderr.
    static CAPTURE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records panics of guarded runs and leaves
/// every other panic (test failures) to the previous hook.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let msg = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "(non-string panic payload)".into());
                        let at = info
                            .location()
                            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                            .unwrap_or_default();
                        *slot = Some(format!("{msg}{at}"));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Runs [`generate`] under `catch_unwind`; a panic becomes [`Outcome::Panicked`].
pub fn generate_guarded(path: &str, text: &str) -> Outcome {
    install_hook();
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(|| generate(path, text, "p")));
    let message = CAPTURE.with(|c| c.borrow_mut().take()).flatten();
    match result {
        Ok(Ok(files)) => Outcome::Generated(files),
        Ok(Err(errors)) => Outcome::Rejected(errors),
        Err(_) => Outcome::Panicked(message.unwrap_or_else(|| "(panic)".into())),
    }
}
