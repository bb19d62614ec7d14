//! go-asm: write an assembly function once, in Rust source, and get a Go package
//! (Go ABI0 assembly for amd64 and arm64, stubs, a pure-Go fallback), native C-ABI
//! objects with a C header, and a safe Rust function that calls the native code.
//!
//! # The guide
//!
//! **1. Depend on go-asm** (the attribute) and, for the build step, go-asm-build:
//!
//! ```toml
//! [dependencies]
//! go-asm = "0.1"
//!
//! [build-dependencies]
//! go-asm-build = "0.1"
//! ```
//!
//! **2. Write the function** in a source file of its own (one file or more make one
//! Go package). Its Rust signature is the Go signature; its body holds one block
//! per architecture and the Go fallback:
//!
//! ```
//! use go_asm::go_asm;
//!
//! /// Add returns x + y.
//! #[go_asm]
//! pub fn add(x: u64, y: u64) -> u64 {
//!     amd64! {
//!         add x, y
//!         return x
//!     }
//!     arm64! {
//!         add x, x, y
//!         return x
//!     }
//!     go! { return x + y }
//! }
//! ```
//!
//! **3. Generate the package** from `build.rs`; it also links the native object, so
//! the function above is callable from Rust (`add(2, 3)`) and testable with
//! `cargo test`:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     go_asm_build::Package::new("add", "go/add")
//!         .source("src/add.rs")
//!         .go_module("example.com/add")
//!         .build();
//! }
//! ```
//!
//! **4. Commit `go/add/`**: Go imports it as `example.com/add` (drop `go_module`
//! when the directory is already inside your Go module). `GO_ASM_CHECK=1 cargo
//! build` in CI fails when the committed package is stale.
//!
//! # Errors at the token
//!
//! A mistake in a block is a compile error at its token, under `cargo check` and in
//! an editor, with the forms that would have been accepted; the build step leaves
//! such errors to the attribute (and writes nothing):
//!
//! ```compile_fail
//! use go_asm::go_asm;
//!
//! #[go_asm]
//! pub fn twice(x: u64) -> u64 {
//!     amd64! {
//!         addd x, x
//!         return x
//!     }
//!     go! { return 2 * x }
//! }
//! ```
//!
//! See [`go_asm`] for the attribute's reference, and the repository's README for
//! the DSL, the type table and the generated files.
#![deny(missing_docs)]
// The doc examples include a build.rs: its `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

pub use go_asm_macros::go_asm;

/// Go's `complex64` and C's `float _Complex`: a `#[go_asm]` function's parameter
/// of this type is `c complex64` in Go (frame names `c_real`, `c_imag`), `c.re`
/// and `c.im` in a block, and is passed as each C ABI passes `float _Complex`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Complex64 {
    /// The real part.
    pub re: f32,
    /// The imaginary part.
    pub im: f32,
}

/// Go's `complex128` and C's `double _Complex` (see [`Complex64`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Complex128 {
    /// The real part.
    pub re: f64,
    /// The imaginary part.
    pub im: f64,
}
