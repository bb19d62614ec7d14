//! The go-asm compiler: parses `#[go_asm]` functions and writes Go packages (Go ABI0
//! assembly for amd64 and arm64, stubs, a pure-Go fallback), native C-ABI objects,
//! a C header and go-asm's call runtime.
//!
//! A build script names a [`Package`], its sources and options, and calls
//! [`Package::build`]. The compiler's modules are private; the go-asm crates that
//! need more (the proc macro, the test suite) reach it through [`internal`], which
//! is no stable API.

/// The one list of architectures: the [`Arch`] variant, Go's GOARCH (also the
/// DSL block's name), the folder, and the type in its `backend.rs` implementing
/// `backend::Backend`. Adding an architecture is a folder and one line here:
/// `arch.rs` makes the enum of this list and `backends.rs` the registry.
macro_rules! architectures {
    ($then:ident) => {
        $then! {
            Amd64 "amd64" x86 X86,
            Arm64 "arm64" arm64 Arm64,
        }
    };
}

/// Each architecture's folder.
macro_rules! folders {
    ($($variant:ident $goarch:literal $folder:ident $backend:ident,)*) => {
        $(mod $folder;)*
    };
}
architectures!(folders);

mod arch;
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
