//! The lowering steps every architecture's `parse.rs` shares: naming the argument
//! registers, the label pre-pass, `let` declarations, the checks around `return`,
//! and the end-of-block check. Each architecture supplies what differs (register
//! names, classes, its messages' details) and keeps its operands and instructions.

use super::Stmt;
use crate::diag::{bail, Result};
use crate::ir::{Effects, Flow, LabelId, Node, Reg};
use crate::sig::{Component, Signature};
use proc_macro2::{Ident, Span};
use std::collections::HashMap;

/// Every argument register of `sig` in frame order: its DSL name (`xs.ptr` for a
/// component), what it holds, and the parameter's span; then the addresses of
/// the array results.
pub fn arguments(sig: &Signature) -> Vec<(String, Component, Span)> {
    sig.params
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let base = p.dsl_name(i);
            p.ty.components().into_iter().map(move |c| {
                let name = match &c.dsl {
                    Some(s) => format!("{base}.{s}"),
                    None => base.clone(),
                };
                (name, c, p.span)
            })
        })
        .chain((0..sig.out_arrays.len()).map(|k| {
            // An array result: its address (frame.rs puts it after the parameters).
            let c = Component {
                dsl: None,
                frame: None,
                kind: crate::sig::RegKind::Int,
                scalar: crate::sig::Scalar::Usize,
                by_address: true,
                offset: None,
            };
            (sig.out_array_dsl_name(k), c, sig.out_arrays[k].result.span)
        }))
        .collect()
}

/// A block's labels, numbered in order of appearance.
#[derive(Default)]
pub struct Labels {
    pub ids: HashMap<String, LabelId>,
    pub names: Vec<String>,
}

/// The label pre-pass (so branches may jump forward): every label of `stmts`,
/// refusing duplicates, reserved `goasm_` names, and names `taken` says mean
/// something else (`taken_by` says what, in the message).
pub fn labels(stmts: &[Stmt], taken: &dyn Fn(&str) -> bool, taken_by: &str) -> Result<Labels> {
    let mut labels = Labels::default();
    for s in stmts {
        if let Stmt::Label(id) = s {
            let name = id.to_string();
            if labels.ids.contains_key(&name) {
                bail!(id.span(), "duplicate label `{name}`");
            }
            if name.starts_with("goasm_") {
                bail!(id.span(), "labels starting with `goasm_` are reserved");
            }
            if taken(&name) {
                bail!(id.span(), "label `{name}` has the name of a {taken_by}");
            }
            labels
                .ids
                .insert(name.clone(), labels.names.len() as LabelId);
            labels.names.push(name);
        }
    }
    Ok(labels)
}

/// What a `let` needs from an architecture's lowering context.
pub trait Declare {
    /// A register class as the architecture records it.
    type Class;
    /// The class `class` names (an error at it when it names none).
    fn class(&self, class: &Ident) -> Result<Self::Class>;
    /// Whether `name` is already a virtual register.
    fn declared(&self, name: &str) -> bool;
    /// The message refusing `name` as a virtual register, if the block reads it
    /// as something else (a register, a label).
    fn reserved(&self, name: &str) -> Option<String>;
    fn declare(&mut self, name: String, class: Self::Class, span: Span);
}

/// `let a: class, b: class`: one new virtual register per name.
pub fn declare<D: Declare>(cx: &mut D, decls: &[(Ident, Ident)]) -> Result<()> {
    for (name, class) in decls {
        let class = cx.class(class)?;
        let n = name.to_string();
        if cx.declared(&n) {
            bail!(name.span(), "`{n}` is already declared");
        }
        if let Some(message) = cx.reserved(&n) {
            bail!(name.span(), "{message}");
        }
        cx.declare(n, class, name.span());
    }
    Ok(())
}

/// A `return` gives one value per result.
pub fn check_return_count(span: Span, sig: &Signature, values: usize) -> Result<()> {
    let results = sig.results.len();
    if values != results {
        // Array results are written through their address, not returned.
        let arrays = match sig.out_arrays.len() {
            0 => String::new(),
            n => format!(
                " (besides {n} array result{} written through {}: {})",
                if n == 1 { "" } else { "s" },
                if n == 1 { "its address" } else { "their addresses" },
                (0..n)
                    .map(|k| format!("`{}`", sig.out_array_dsl_name(k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        bail!(
            span,
            "`{}` returns {} value{}{arrays}; this `return` gives {values}",
            sig.name,
            results,
            if results == 1 { "" } else { "s" },
        );
    }
    Ok(())
}

/// Hints a returned virtual register into its result register `dst` (the move
/// then vanishes), unless something hinted it first.
pub fn hint_result(hints: &mut Vec<Option<u8>>, reg: Reg, dst: u8) {
    if let Reg::Virt(v) = reg {
        if hints.len() <= v as usize {
            hints.resize(v as usize + 1, None);
        }
        hints[v as usize].get_or_insert(dst);
    }
}

/// After the statements: the last `return` falls through into the exit sequence
/// (its jump is dropped); a function with results must not reach the block's end
/// otherwise.
pub fn finish<I: Effects>(
    nodes: &mut Vec<Node<I>>,
    ends_in_return: bool,
    sig: Option<&Signature>,
    block: (Span, &str),
) -> Result<()> {
    if ends_in_return {
        nodes.pop();
        return Ok(());
    }
    let Some(sig) = sig.filter(|s| !s.results.is_empty()) else {
        return Ok(());
    };
    let can_fall_off = match nodes.iter().rev().find_map(|n| match n {
        Node::Inst(i) => Some(i.flow()),
        Node::Label(_) => None,
    }) {
        Some(Flow::Jump(_)) | Some(Flow::Exit) => matches!(nodes.last(), Some(Node::Label(_))),
        _ => true,
    };
    if can_fall_off {
        bail!(
            block.0,
            "the {} block of `{}` can reach its end without `return`",
            block.1,
            sig.name
        );
    }
    Ok(())
}

/// The error for a name a block did not declare (`first`, the name's first
/// part), with the names it did (`names`): `_` is an unnamed parameter's.
pub fn unknown_name<'a>(first: &str, names: impl Iterator<Item = &'a String>) -> String {
    if first == "_" {
        return "`_` names nothing in a block: an unnamed parameter (`_: T`) cannot be read; give the parameter a name to use it".to_string();
    }
    format!(
        "unknown register, argument or label `{first}`{}",
        known_names(names)
    )
}

/// The names a block declared, for an error about a name it did not:
/// `; known: a, b, c` (empty when it declared none).
fn known_names<'a>(names: impl Iterator<Item = &'a String>) -> String {
    // Unnamed parameters' names are no names a block can write (sig/unnamed.rs).
    let mut names: Vec<&str> = names
        .map(String::as_str)
        .filter(|n| !n.starts_with("_#"))
        .collect();
    if names.is_empty() {
        return String::new();
    }
    names.sort_unstable();
    format!("; known: {}", names.join(", "))
}

/// An argument's name with its component path, read from `tokens` (which start
/// with the name `first`): `.field` and `[index]` steps (`p.inner.x`, `p.v[2]`,
/// `p.pts[k + 1].x`, the index a constant expression) for as long as they lead to
/// an argument's component; `known(prefix)` says whether some argument's name is
/// `prefix` or continues it. Returns the name and how many tokens it took; a
/// step that leads nowhere is left for the caller (a width view, an error).
pub fn component_path(
    first: &str,
    tokens: &[proc_macro2::TokenTree],
    known: &dyn Fn(&str) -> bool,
) -> Result<(String, usize)> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut name = first.to_string();
    let mut i = 1;
    loop {
        match (tokens.get(i), tokens.get(i + 1)) {
            (Some(t), Some(c)) if super::punct(t) == Some('.') => {
                let Some(comp) = super::ident_text(c) else { break };
                let cand = format!("{name}.{comp}");
                if !known(&cand) {
                    break;
                }
                name = cand;
                i += 2;
            }
            (Some(TokenTree::Group(g)), _) if g.delimiter() == Delimiter::Bracket => {
                if !known(&format!("{name}[")) {
                    break;
                }
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let k = super::const_expr(&inner).map_err(|e| {
                    crate::diag::Error::new(
                        e.span,
                        format!(
                            "the index of array field `{name}` must be a constant expression: {}",
                            e.message
                        ),
                    )
                })?;
                let cand = format!("{name}[{k}]");
                if !known(&cand) {
                    bail!(g.span(), "index {k} is out of range for array field `{name}`");
                }
                name = cand;
                i += 1;
            }
            _ => break,
        }
    }
    Ok((name, i))
}

/// Whether some name in `names` is `prefix` or continues it (`.`, `[`).
pub fn continues<'a>(mut names: impl Iterator<Item = &'a String>, prefix: &str) -> bool {
    names.any(|k| {
        k == prefix
            || (k.starts_with(prefix)
                && (prefix.ends_with('[')
                    || matches!(k.as_bytes().get(prefix.len()), Some(b'.') | Some(b'['))))
    })
}
