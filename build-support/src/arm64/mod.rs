//! The arm64 backend: ARM-syntax operands, a table-driven AArch64 encoder, and Go's
//! arm64 assembly spelling.

pub(crate) mod backend;
mod bits;
pub(crate) mod calln;
pub mod encode;
mod features;
pub mod forms;
mod go_registers;
pub mod gosyntax;
mod native;
pub mod parse;
pub mod regs;
mod rows;
pub mod spill;
mod struct_args;
