//! go-asm's compiler and build.rs API. Most users need only [`Package`]:
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
//! The guide is the `go-asm` crate's documentation.

// The doc examples are build.rs files: their `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

pub mod arm64;
pub mod c_results;
pub mod calln;
pub mod compile;
pub mod diag;
pub mod dsl;
pub mod frame;
pub mod func;
pub mod gocheck;
pub mod gopkg;
pub mod ir;
pub mod names;
pub mod native;
pub mod output;
pub mod package;
pub mod regalloc;
pub mod register_names;
pub mod rust_abi;
pub mod sig;
pub mod spill;
pub mod symbol;
pub mod syso;
pub mod x86;

pub use func::Arch;
pub use package::{BuildError, Package, Report};
