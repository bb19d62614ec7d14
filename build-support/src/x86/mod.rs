//! The amd64 backend: Intel-syntax operands, forms from iced-x86's tables,
//! encoding, and Go's Plan 9 spelling.

pub(crate) mod backend;
pub(crate) mod calln;
pub mod encode;
mod features;
pub mod evex;
pub mod forms;
mod go_registers;
pub mod gosyntax;
mod native;
pub mod parse;
pub mod regs;
pub mod spill;
mod struct_args;
