//! One function, one architecture: finds its block and the registers the C ABI
//! delivers its arguments in, and hands both to the architecture's backend
//! (`backends::backend`, which runs `backend::drive`).

use crate::arch::Arch;
use crate::diag::{bail, Result};
use crate::func::{AsmFn, Block};

pub use crate::backend::{table_symbol, Compiled, RelocKind, TableRef, EXIT_LABEL};

/// Compiles `f`'s block for `arch` (its first: a dispatching function's variants
/// have one block each).
pub fn compile(f: &AsmFn, arch: Arch) -> Result<Compiled> {
    let Some(block) = f.block(arch) else {
        bail!(
            f.sig.name_span,
            "`{}` has no {}! block",
            f.sig.name,
            arch.goarch()
        );
    };
    compile_block(f, block)
}

/// Compiles one block of `f` (a function may have several per architecture).
pub fn compile_block(f: &AsmFn, block: &Block) -> Result<Compiled> {
    // Prefer the registers the C ABI delivers arguments in: the native prologue's
    // moves then mostly vanish (the Go shim loads from the frame either way).
    let backend = crate::backends::backend(block.arch);
    let c_hints = backend.arg_hints(&f.sig, &crate::frame::layout(&f.sig).args);
    backend.compile(f, block, &c_hints)
}
