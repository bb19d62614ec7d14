//! Parsing and compiling a package's sources: every function for every
//! architecture, with the package-wide checks (missing blocks, clashing names).

use super::*;

impl Package {
    /// Parses, compiles: what rendering and native objects start from.
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn compile(&self) -> Result<(Vec<Source>, Built), BuildError> {
        let sources = self.parse_sources()?;
        let built = self.compile_sources(&sources)?;
        Ok((sources, built))
    }

    pub(super) fn parse_sources(&self) -> Result<Vec<Source>, BuildError> {
        self.check_configuration()?;
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        let id = self.crate_id.clone().unwrap_or_else(CrateId::from_env);
        for p in &self.sources {
            let path = self.resolve(p);
            let shown = p.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => match parse_source_at(&shown, text, &id.origin(&path)) {
                    Ok(s) => sources.push(s),
                    Err(e) => errors.extend(e),
                },
                Err(e) => errors.push(format!("{}: {e}", path.display())),
            }
        }
        if errors.is_empty() {
            Ok(sources)
        } else {
            Err(BuildError(errors))
        }
    }

    /// Compiles every function for every architecture of the package.
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn compile_sources(&self, sources: &[Source]) -> Result<Built, BuildError> {
        let mut errors = Vec::new();
        let all: Vec<(&Source, &AsmFn)> = sources
            .iter()
            .flat_map(|s| s.fns.iter().map(move |f| (s, f)))
            .collect();
        if all.is_empty() {
            return Err(BuildError(vec![format!(
                "no #[go_asm] functions in {}",
                self.sources
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )]));
        }
        let restricted = self.arches.is_some();
        let arches: Vec<Arch> = match &self.arches {
            Some(a) => a.clone(),
            None => Arch::ALL
                .into_iter()
                .filter(|a| all.iter().any(|(_, f)| f.block(*a).is_some()))
                .collect(),
        };
        let mut compiled_all = Vec::new();
        let mut fallbacks = Vec::new();
        let mut warnings = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut symbols = std::collections::HashMap::new();
        let declared: Vec<&str> = sources
            .iter()
            .flat_map(|s| s.structs.iter().map(|st| st.name.as_str()))
            .collect();
        for (src, f) in &all {
            // A pointer to a named type is a pointer to a #[go_asm] struct of this
            // package; anything else would be an undefined type in Go and C.
            if let Some((span, name)) = undeclared_pointee(f, &declared) {
                errors.push(
                    Error::new(
                        span,
                        format!(
                            "`{name}` is not a #[go_asm] #[repr(C)] struct of this package; a pointer points at a scalar, such a struct, or an array of them"
                        ),
                    )
                    .located(&src.path),
                );
                continue;
            }
            if let Some(prev) = symbols.insert(f.symbol.clone(), f.sig.name.clone()) {
                errors.push(
                    Error::new(
                        f.sig.name_span,
                        format!(
                            "`{}` and `{prev}` have the same C symbol `{}`",
                            f.sig.name, f.symbol
                        ),
                    )
                    .located(&src.path),
                );
                continue;
            }
            if let Some(prev) = seen.insert(f.sig.go_name(), f.sig.name.clone()) {
                errors.push(
                    Error::new(
                        f.sig.name_span,
                        format!(
                            "`{}` and `{prev}` are the same Go function name",
                            f.sig.name
                        ),
                    )
                    .located(&src.path),
                );
                continue;
            }
            let mut compiled = Vec::new();
            // A dispatching function is its variants' Go wrapper; each variant
            // compiles for its one architecture and has no fallback of its own.
            let compiles: Vec<Arch> = match f.variant_arch {
                Some(a) => vec![a],
                None if f.dispatches() => Vec::new(),
                None => arches.clone(),
            };
            for &arch in &arches {
                if f.variant_arch.is_some() {
                    break;
                }
                // Without a block for `arch`, the `go!` body serves it (gopkg
                // gives the function its own build constraints; a dispatching
                // function falls back to it there).
                if f.block(arch).is_none() && !restricted && f.go_body.is_some() {
                    continue;
                }
                if f.block(arch).is_none() {
                    errors.push(
                        Error::new(
                            f.sig.name_span,
                            format!(
                                "`{}` has no {}! block, but the package targets {}; add one, add a go! fallback (used on the arches without a block), or restrict the package with only_arches",
                                f.sig.name,
                                arch.goarch(),
                                arches.iter().map(|a| a.goarch()).collect::<Vec<_>>().join(" and ")
                            ),
                        )
                        .located(&src.path),
                    );
                }
            }
            for arch in compiles {
                if f.block(arch).is_none() {
                    continue;
                }
                match compile::compile(f, arch) {
                    Ok(c) => {
                        for (name, span) in &c.unused_features {
                            warnings.push(
                                Error::new(
                                    *span,
                                    format!("feature `{name}` is declared but no instruction of the block needs it"),
                                )
                                .located(&src.path),
                            );
                        }
                        compiled.push(c)
                    }
                    Err(e) => errors.push(e.located(&src.path)),
                }
            }
            let fallback = if restricted || f.variant_arch.is_some() {
                None
            } else {
                match f.go_body {
                    Some(span) => Some(go_text(src, span)),
                    None => {
                        errors.push(
                            Error::new(
                                f.sig.name_span,
                                format!(
                                    "`{}` has no go! {{ .. }} fallback: the Go package would not build on other GOARCHes or with the purego tag; add one, or restrict the package with only_arches",
                                    f.sig.name
                                ),
                            )
                            .located(&src.path),
                        );
                        None
                    }
                }
            };
            compiled_all.push(compiled);
            fallbacks.push(fallback);
        }
        if !errors.is_empty() {
            return Err(BuildError(errors));
        }
        Ok(Built {
            arches,
            restricted,
            compiled: compiled_all,
            fallbacks,
            warnings,
        })
    }
}

/// The first parameter or result pointing at a named type that `declared` lacks.
fn undeclared_pointee(f: &AsmFn, declared: &[&str]) -> Option<(proc_macro2::Span, String)> {
    use crate::sig::{Pointee, Ty};
    let params = f.sig.params.iter().map(|p| (&p.ty, p.span));
    let results = f.sig.all_results().into_iter().map(|r| (&r.ty, r.span));
    params.chain(results).find_map(|(ty, span)| {
        let pointee = match ty {
            Ty::Ptr { pointee, .. } => pointee,
            // An array of pointers to a struct.
            Ty::Array { elem, .. } => {
                return elem
                    .named_pointee()
                    .filter(|n| !declared.contains(n))
                    .map(|n| (span, n.to_string()))
            }
            _ => return None,
        };
        // The element type of a pointer to (nested) arrays.
        let mut inner = pointee;
        while let Pointee::Array { elem, .. } = inner {
            inner = elem;
        }
        match inner {
            Pointee::Named(n) if !declared.contains(&n.as_str()) => Some((span, n.clone())),
            _ => None,
        }
    })
}
