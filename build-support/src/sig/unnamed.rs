//! Unnamed parameters: `_: u64`.
//!
//! Go declares them `_ uint64`, and nothing reads them: the DSL cannot name one
//! (a block that writes `_` is an error saying so), so neither the Go shim nor
//! the native prologue loads it, and Go's frame needs no reference to it (asmdecl
//! would know only the last of several `_` by name). They still take their frame
//! bytes and their C argument registers or stack slots, so the parameters after
//! them stay where each ABI puts them. The C header and the Rust wrapper need a
//! name for it: `arg<i>`, `i` its position (0-based), like asmdecl's own names
//! for unnamed arguments; a named parameter cannot take that name.

use super::Param;
use crate::diag::{bail, Result};
use proc_macro2::Span;

/// The C and Rust name of the unnamed parameter at position `i`.
pub fn generated_name(i: usize) -> String {
    format!("arg{i}")
}

/// The DSL name of an unnamed parameter: nothing a block can write.
pub fn dsl_name(i: usize) -> String {
    format!("_#{i}")
}

/// Refuses a named parameter with the name of an unnamed one, whichever comes
/// first; `new` is about to join `params`.
pub fn check_clash(params: &[Param], new_name: &str, new_unnamed: bool, span: Span) -> Result<()> {
    for (i, p) in params.iter().enumerate() {
        let clash = match (p.unnamed, new_unnamed) {
            (true, false) => p.name == new_name,
            (false, true) => p.name == new_name,
            _ => false,
        };
        if clash {
            let (named, position, at) = if new_unnamed {
                (&p.name, params.len(), p.span)
            } else {
                (&p.name, i, span)
            };
            bail!(
                at,
                "parameter `{named}` has the name the C header and the Rust wrapper give the unnamed parameter `_` at position {position}; rename it"
            );
        }
    }
    Ok(())
}
