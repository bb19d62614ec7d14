//! go-asm: write an assembly function once, in Rust source, and get a Go package
//! (Go ABI0 assembly for amd64 and arm64, stubs, a pure-Go fallback), native C-ABI
//! objects, and a safe Rust function that calls the native code.
//!
//! ```ignore
//! use go_asm::go_asm;
//!
//! /// Add returns x + y.
//! #[go_asm]
//! pub fn add(x: u64, y: u16) -> u64 {
//!     amd64! {
//!         add x, y
//!         return x
//!     }
//!     go! { return x + uint64(y) }
//! }
//! ```
//!
//! The crate's `build.rs` turns the same source into the Go package with
//! `go_asm_build::Package`.

pub use go_asm_macros::go_asm;
