//! The amd64 backend: Intel-syntax operands, forms from iced-x86's tables,
//! encoding, and Go's Plan 9 spelling.

pub mod encode;
pub mod evex;
pub mod forms;
pub mod gosyntax;
pub mod parse;
pub mod regs;
pub mod spill;
