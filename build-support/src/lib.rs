//! The go-asm compiler: parses `#[go_asm]` functions and writes Go packages (Go ABI0
//! assembly for amd64 and arm64, stubs, a pure-Go fallback), native C-ABI objects,
//! a C header and go-asm's call runtime.
//!
//! A build script names a [`Package`], its sources and options, and calls
//! [`Package::build`]. The compiler's modules are private; the go-asm crates that
//! need more (the proc macro, the test suite) reach it through [`internal`], which
//! is no stable API.

mod arch;
mod arm64;
mod backend;
mod backends;
mod c_header;
mod c_results;
mod call_abi;
mod calln;
mod compile;
mod diag;
mod dsl;
mod frame;
mod func;
mod generated;
mod gocheck;
mod gopkg;
mod ir;
mod names;
mod native;
mod output;
mod package;
mod regalloc;
mod register_names;
mod reglists;
mod rust_abi;
mod shim;
mod sig;
mod source;
mod spill;
mod symbol;
mod syso;
mod trampoline;
mod x86;

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
    pub use crate::source::parse_fn;

    macro_rules! reexport {
        ($($module:ident),* $(,)?) => {
            $(pub mod $module {
                pub use crate::$module::*;
            })*
        };
    }
    reexport!(
        arm64,
        c_results,
        calln,
        compile,
        frame,
        func,
        gocheck,
        ir,
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
