pub mod arm64;
pub mod calln;
pub mod compile;
pub mod diag;
pub mod dsl;
pub mod frame;
pub mod func;
pub mod gopkg;
pub mod ir;
pub mod native;
pub mod package;
pub mod regalloc;
pub mod rust_abi;
pub mod sig;
pub mod syso;
pub mod x86;

pub use func::Arch;
pub use package::{BuildError, Package, Report};
