pub mod diag;
pub mod dsl;
pub mod frame;
pub mod func;
pub mod ir;
pub mod regalloc;
pub mod sig;
pub mod x86;
