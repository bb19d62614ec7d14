#![deny(missing_docs)]
//! The go-asm compiler and build.rs API: parses `#[go_asm]` functions and writes Go
//! packages (Go ABI0 assembly for amd64 and arm64, stubs, a pure-Go fallback),
//! native C-ABI objects, a C header and go-asm's call runtime. Most users need only
//! [`Package`]:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     go_asm_build::Package::new("sum", "go/sum")
//!         .source("src/sum.rs")
//!         .build();
//! }
//! ```
//!
//! [`Package::build`] writes the Go package (or, with `GO_ASM_CHECK=1`, checks
//! it), links the native object for the crate's target, and leaves errors in the
//! `#[go_asm]` functions to the attribute, which reports them at their tokens.
//! [`Package::object`] writes one native object for any [`Target`] (the `go-asm`
//! command's `object`). The guide is the `go-asm` crate's documentation.
//!
//! The compiler's modules are private; the go-asm crates that need more (the proc
//! macro, the test suite) reach it through [`internal`], which is no stable API.

// The doc examples are build.rs files: their `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

/// The one list of architectures: the [`Arch`] variant, Go's GOARCH (also the
/// DSL block's name), the folder, the type in its `backend.rs` implementing
/// `backend::Backend`, and its C calling conventions (the [`Abi`] variants, which
/// only its folder interprets). Adding an architecture is a folder and one line
/// here: `arch.rs` makes the enums of this list and `backends.rs` the registry.
macro_rules! architectures {
    ($then:ident) => {
        $then! {
            Amd64 "amd64" x86 X86 [
                SysV "System V AMD64 (linux, darwin)",
                Win64 "Microsoft x64 (windows)"
            ],
            Arm64 "arm64" arm64 Arm64 [
                Aapcs64 "AAPCS64 (linux)",
                AppleArm64 "Apple's AAPCS64 variant (darwin)"
            ],
        }
    };
}

/// Modules only [`internal`] reaches: no public API, so `missing_docs` does not
/// apply to them.
macro_rules! internal_modules {
    ($($module:ident),*) => {
        $(#[allow(missing_docs)] mod $module;)*
    };
}

/// Each architecture's folder.
macro_rules! folders {
    ($($variant:ident $goarch:literal $folder:ident $backend:ident [$($abi:ident $abi_doc:literal),*],)*) => {
        internal_modules!($($folder),*);
    };
}
architectures!(folders);
internal_modules!(
    backend,
    backends,
    c_header,
    c_results,
    call_abi,
    calln,
    compile,
    diag,
    dispatch,
    dsl,
    features,
    frame,
    func,
    gocheck,
    gopkg,
    ir,
    locals,
    names,
    output,
    regalloc,
    register_names,
    reglists,
    rust_abi,
    shim,
    sig,
    source,
    spill,
    table_text,
    trampoline
);

mod arch;
mod generated;
mod native;
mod package;
mod symbol;
mod syso;

pub use arch::{Abi, Arch, Format, Target};
pub use generated::GoFile;
pub use native::Linkage;
pub use package::{BuildError, Package, Report};
pub use symbol::CrateId;
pub use syso::ObjFile;

/// The compiler's modules, for the go-asm crates themselves (the `#[go_asm]`
/// macro, the test suite and its tools): no stable API.
#[doc(hidden)]
pub mod internal {
    pub use crate::source::{attr_args, file_structs, has_go_asm_attr, parse_fn, parse_fn_with};

    macro_rules! reexport {
        ($($module:ident),* $(,)?) => {
            $(pub mod $module {
                pub use crate::$module::*;
            })*
        };
    }
    reexport!(
        arm64,
        backends,
        c_results,
        calln,
        compile,
        features,
        frame,
        func,
        gocheck,
        ir,
        locals,
        native,
        package,
        regalloc,
        register_names,
        rust_abi,
        sig,
        symbol,
        x86,
    );
}
