//! Named results: `#[go_asm(results(sum, carry))]`.
//!
//! The names are Go's: the stub declares `func F(..) (sum uint64, carry uint64)`
//! and the frame references are asmdecl's for named results (`sum+16(FP)`, not
//! `ret+16(FP)`; `go vet` knows a named result only by its name). In C they name
//! the fields of the results struct of two or more results (`r.sum`, `r.carry`
//! instead of `r.r0`, `r.r1`; an `f32` result's pad is `<name>_pad`); one result
//! is returned as itself, so its name is only Go's. The Rust wrapper returns the
//! tuple its signature declares: names change nothing there.

use super::idents::{ascii_name, GO_KEYWORDS};
use super::{c_ident, go_ident, RegisterClash, Scalar, Signature, Ty};
use crate::diag::{bail, Result};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;

/// The names of `results(..)`, each with its span, and the list's span.
#[derive(Clone, Debug)]
pub struct ResultNames {
    pub names: Vec<(String, Span)>,
    pub span: Span,
}

/// Parses the inside of `results(..)`: identifiers separated by commas (raw ones
/// lose their `r#`; keywords parse, so that the error names them).
pub fn parse_result_names(tokens: TokenStream, span: Span) -> Result<ResultNames> {
    let parser = |input: syn::parse::ParseStream| {
        syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated_with(
            input,
            syn::Ident::parse_any,
        )
    };
    let list = match syn::parse::Parser::parse2(parser, tokens) {
        Ok(l) => l,
        Err(e) => bail!(
            e.span(),
            "results(..) takes the results' names, identifiers separated by commas: `results(sum, carry)`"
        ),
    };
    Ok(ResultNames {
        names: list
            .iter()
            .map(|i| (i.unraw().to_string(), i.span()))
            .collect(),
        span,
    })
}

/// The C field names of result `i` of a results struct: its own and, for an
/// `f32`, its pad's.
pub fn c_field_names(sig: &Signature, i: usize) -> (String, String) {
    match &sig.results[i].name {
        Some(n) => {
            (c_ident(n), c_ident(&format!("{n}_pad")))
        }
        None => (format!("r{i}"), format!("pad{i}")),
    }
}

/// Gives `sig`'s results the names of `names`, checking them: one per result,
/// each a Go identifier that is no keyword, not `_`, `g` (Go's assembler reads
/// `g+8(FP)` as its goroutine register) nor a register name, distinct from the
/// other results and the parameters in Go and distinct as C fields.
pub fn name_results(
    sig: &mut Signature,
    names: &ResultNames,
    register_clash: RegisterClash,
) -> Result<()> {
    if let Some(st) = &sig.result_struct {
        bail!(
            names.span,
            "`{}` returns the struct `{}`, whose fields asmdecl names `ret_<field>`: results(..) names the results of a tuple or of scalars, so leave it out",
            sig.name,
            st.name
        );
    }
    let n = sig.result_count();
    if names.names.len() != n {
        let what = match n {
            0 => format!("`{}` returns nothing", sig.name),
            1 => format!("`{}` returns one result", sig.name),
            n => format!("`{}` returns {n} results", sig.name),
        };
        bail!(
            names.span,
            "results(..) names {} result{}, but {what}: give one name per result, in order",
            names.names.len(),
            if names.names.len() == 1 { "" } else { "s" }
        );
    }
    for (i, (name, span)) in names.names.iter().enumerate() {
        ascii_name(name, *span)?;
        let go = go_ident(name, false);
        if go == "_" {
            bail!(
                *span,
                "`_` cannot name a result: Go results are all named or all unnamed, so name each one (or leave results(..) out)"
            );
        }
        if GO_KEYWORDS.contains(&go.as_str()) {
            bail!(
                *span,
                "`{name}` cannot name a result: `{go}` is a Go keyword; rename it"
            );
        }
        if go == "g" {
            bail!(
                *span,
                "`{name}` cannot name a result: Go's assembler reads `g+8(FP)` as its goroutine register; rename it"
            );
        }
        if let Some(message) = register_clash(name, &go) {
            bail!(*span, "{}", message.replace("parameter", "result"));
        }
        if let Some(p) = (0..sig.params.len()).find(|&p| sig.param_go_name(p) == go) {
            bail!(
                *span,
                "result `{name}` is `{go}` in Go, like parameter `{}`: Go declares both in one scope; rename one",
                sig.params[p].name
            );
        }
        if let Some((other, _)) = names.names[..i]
            .iter()
            .find(|(o, _)| go_ident(o, false) == go)
        {
            let same = if other == name {
                format!("duplicate result name `{name}`")
            } else {
                format!("results `{other}` and `{name}` are both `{go}` in Go")
            };
            bail!(*span, "{same}; rename one");
        }
    }
    for (r, (name, _)) in sig.all_results_mut().into_iter().zip(&names.names) {
        r.name = Some(name.clone());
    }
    // Two or more register results are a C struct whose fields carry the names.
    let n = sig.results.len();
    if n >= 2 {
        let mut fields: Vec<(String, usize)> = Vec::new();
        for i in 0..n {
            let (f, pad) = c_field_names(sig, i);
            let mut mine = vec![f];
            if sig.results[i].ty == Ty::Scalar(Scalar::F32) {
                mine.push(pad);
            }
            for f in mine {
                if let Some((_, j)) = fields.iter().find(|(o, _)| *o == f) {
                    let name = |k: usize| sig.results[k].name.clone().unwrap_or_default();
                    let span = names
                        .names
                        .iter()
                        .find(|(n, _)| *n == name(i))
                        .map_or(names.span, |(_, s)| *s);
                    bail!(
                        span,
                        "result `{}` and result `{}` both give the C results struct a field `{f}`; rename one",
                        name(i),
                        name(*j)
                    );
                }
                fields.push((f, i));
            }
        }
    }
    Ok(())
}

/// Names the frame and the C prototype give results, against the parameters:
/// asmdecl calls unnamed results `ret`, `ret1`, ..., so a parameter `ret1` (Go
/// `ret1`) would be two variables of one name to `go vet` (`ret` is refused for
/// every parameter); an array result is also a C parameter, by its name.
pub fn check_result_names(sig: &Signature) -> Result<()> {
    for i in 1..sig.result_count() {
        if sig.all_results()[i].name.is_some() {
            continue;
        }
        let ret = format!("ret{i}");
        if let Some(p) = (0..sig.params.len()).find(|&p| sig.param_go_name(p) == ret) {
            bail!(
                sig.params[p].span,
                "parameter `{}` has asmdecl's name for the unnamed result {i} (`{ret}`): rename it, or name the results with results(..)",
                sig.params[p].name
            );
        }
    }
    for k in 0..sig.out_arrays.len() {
        let c = sig.out_array_c_name(k);
        if let Some(p) = sig
            .params
            .iter()
            .find(|p| p.ty.c_param_names(&p.name).contains(&c))
        {
            bail!(
                sig.out_arrays[k].result.span,
                "this array result is the C parameter `{c}`, which parameter `{}` declares too; rename one",
                p.name
            );
        }
    }
    Ok(())
}
