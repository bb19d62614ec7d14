//! CPU features, as every architecture shares them: the names a block may declare
//! (`#[features(avx2, fma)] amd64! { .. }`), the proof that a block's declaration
//! covers each of its instructions, and what Go, C and Rust dispatch ask of an
//! architecture's detection.
//!
//! Names are Rust's `target_feature` names, so the same word works in
//! `is_x86_feature_detected!` / `is_aarch64_feature_detected!`. Each architecture's
//! folder holds its [`FeatureTable`] (the names, the baseline, aliases and
//! implications) and its detection code (x86/features.rs: CPUID/XGETBV and the
//! GOAMD64 level; arm64/features.rs: the auxiliary vector's HWCAP bits), handed out
//! by its backend (`Backend::FEATURES`, `Backend::go_detection`, ..). The
//! instruction tables (x86: iced-x86's CPUID data, arm64: the rows' feature column)
//! say which feature each form needs.

use crate::arch::Arch;
use crate::diag::{bail, Result};
use crate::generated::GoFile;
use proc_macro2::Span;

/// One architecture's declarable features.
#[derive(Debug)]
pub struct FeatureTable {
    pub arch: Arch,
    /// Every name a block of the architecture may declare.
    pub names: &'static [&'static str],
    /// What every block may use without declaring it (for messages).
    pub baseline: &'static str,
    /// The word naming a block that declares nothing (`dot_amd64_sse2`).
    pub baseline_word: &'static str,
    /// Names of the baseline: refused in a declaration (they are always there).
    pub baseline_names: &'static [&'static str],
    /// Names people write that are not Rust's, with Rust's.
    pub aliases: &'static [(&'static str, &'static str)],
    /// What declaring a feature brings along (Rust's implications), followed
    /// transitively: `avx2` lets a block use AVX instructions too.
    pub implies: &'static [(&'static str, &'static [&'static str])],
    /// Rust's detection macro in `std::arch` (`is_x86_feature_detected`).
    pub rust_detect: &'static str,
}

/// A declared feature: its architecture and its name in that architecture's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Feature {
    pub arch: Arch,
    pub name: &'static str,
}

impl Feature {
    /// The word `GODEBUG=cpu.<word>=off` uses: Go's own name (`sse41` for `sse4.1`).
    pub fn godebug(&self) -> String {
        self.name.replace('.', "")
    }

    /// The Go name of its package-level boolean: `dotHasAvx2`.
    pub fn go_var(&self, prefix: &str) -> String {
        format!(
            "{prefix}Has{}",
            crate::sig::go_ident(&self.godebug(), true)
        )
    }
}

impl FeatureTable {
    /// The feature `name` names, or why it cannot be declared.
    pub fn lookup(&'static self, name: &str) -> std::result::Result<Feature, String> {
        match self.names.iter().find(|n| **n == name) {
            Some(n) => Ok(Feature {
                arch: self.arch,
                name: n,
            }),
            None => Err(self.unknown(name)),
        }
    }

    /// Why `name` cannot be declared.
    fn unknown(&self, name: &str) -> String {
        let goarch = self.arch.goarch();
        if self.baseline_names.contains(&name) {
            return format!(
                "`{name}` is part of the {} baseline every `{goarch}!` block may use: leave it out",
                self.baseline
            );
        }
        if let Some((_, rust)) = self.aliases.iter().find(|(a, _)| *a == name) {
            if self.names.contains(rust) {
                return format!("unknown {goarch} feature `{name}`: Rust's name for it is `{rust}`");
            }
        }
        format!(
            "unknown {goarch} feature `{name}`; known: {}",
            self.names.join(", ")
        )
    }

    /// Whether declaring `declared` lets a block use `needed` (directly or through
    /// what it implies).
    pub fn covers(&self, declared: &str, needed: &str) -> bool {
        let mut seen = vec![declared];
        let mut i = 0;
        while i < seen.len() {
            if seen[i] == needed {
                return true;
            }
            if let Some((_, implied)) = self.implies.iter().find(|(d, _)| *d == seen[i]) {
                for n in *implied {
                    if !seen.contains(n) {
                        seen.push(n);
                    }
                }
            }
            i += 1;
        }
        false
    }

    /// `avx2, fma`, or the baseline's description when nothing is declared.
    pub fn describe(&self, declared: &[(Feature, Span)]) -> String {
        if declared.is_empty() {
            self.baseline.to_string()
        } else {
            let names: Vec<&str> = declared.iter().map(|(f, _)| f.name).collect();
            names.join(", ")
        }
    }
}

/// The tables of every architecture, as parsing asks for them (`source.rs` passes
/// the registry's).
pub type Tables<'a> = &'a dyn Fn(Arch) -> &'static FeatureTable;

/// One instruction as the proof sees it.
pub struct Use<'a> {
    pub mnemonic: &'a str,
    pub span: Span,
    /// Per form the encoder may still choose, in its order of preference: the
    /// features that form needs beyond the baseline.
    pub alternatives: Vec<Vec<&'static str>>,
}

impl FeatureTable {
    /// Whether `declared` covers every feature of `needs`.
    pub fn allows(&self, declared: &[(Feature, Span)], needs: &[&str]) -> bool {
        needs
            .iter()
            .all(|n| declared.iter().any(|(d, _)| self.covers(d.name, n)))
    }
}

/// Proves that `declared` (a block's declaration in `table`) covers some form of
/// every instruction (an error at the first one none of whose forms it covers,
/// naming what the preferred form misses; the backend then keeps only the covered
/// forms, so the encoder cannot pick another) and returns the declared features
/// nothing uses, for a warning.
pub fn prove<'a>(
    table: &FeatureTable,
    declared: &[(Feature, Span)],
    uses: impl Iterator<Item = Use<'a>>,
) -> Result<Vec<(&'static str, Span)>> {
    let mut used = vec![false; declared.len()];
    for u in uses {
        let Some(covered) = u
            .alternatives
            .iter()
            .find(|needs| table.allows(declared, needs))
        else {
            let preferred = u.alternatives.first().map(Vec::as_slice).unwrap_or(&[]);
            let missing: Vec<&str> = preferred
                .iter()
                .filter(|n| !table.allows(declared, &[n]))
                .copied()
                .collect();
            let what = if declared.is_empty() {
                format!(
                    "the block declares none (it targets the {} baseline)",
                    table.baseline
                )
            } else {
                format!("the block declares {}", table.describe(declared))
            };
            let (noun, quoted) = match missing.as_slice() {
                [one] => ("feature", format!("`{one}`")),
                many => (
                    "features",
                    many.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            bail!(
                u.span,
                "`{}` needs the CPU {noun} {quoted}, and {what}: add {quoted} to the block's `#[features(..)]`",
                u.mnemonic
            );
        };
        for need in covered {
            for (i, (d, _)) in declared.iter().enumerate() {
                if table.covers(d.name, need) {
                    used[i] = true;
                }
            }
        }
    }
    Ok(declared
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|((f, span), _)| (f.name, *span))
        .collect())
}

/// What Go dispatch asks of an architecture's detection, for one package.
pub struct GoDetect<'a> {
    pub package: &'a str,
    /// The package's identifier prefix (`dot`): every generated name starts with it.
    pub prefix: &'a str,
    /// The package's file base name.
    pub base: &'a str,
    /// The build constraint line of the dispatch file (with its blank line), or "".
    pub tag: &'a str,
    /// The features the package's variants on this architecture declare, by name.
    pub features: &'a [Feature],
}

/// How an architecture spells the two steps of a Go dispatch stub, as format
/// templates: `test` jumps to `{label}` when the byte `·{runs}(SB)` is not zero,
/// `jump` tail-jumps to `·{target}(SB)`.
pub struct GoStubSpelling {
    pub test: &'static str,
    pub jump: &'static str,
}

/// An architecture's Go detection code for [`GoDetect`].
#[derive(Default)]
pub struct GoDetection {
    /// Import paths the code needs (quoted).
    pub imports: Vec<&'static str>,
    /// Statements of the package's `init` setting each feature's boolean
    /// ([`Feature::go_var`]), through `<prefix>Enabled("<godebug>")`.
    pub init: String,
    /// Declarations after `init` (helpers the statements call).
    pub helpers: String,
    /// Further files of the package (assembly helpers, build-tagged constants).
    pub files: Vec<GoFile>,
}

/// An architecture's C detection of one variant's features.
#[derive(Default)]
pub struct CDetection {
    /// Statements before the checks (reading the CPU's feature words).
    pub prelude: String,
    /// One C condition per feature.
    pub checks: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    static T: FeatureTable = FeatureTable {
        arch: Arch::Amd64,
        names: &["a", "b", "c", "d"],
        baseline: "the base",
        baseline_word: "base",
        baseline_names: &["z"],
        aliases: &[("aa", "a"), ("q", "nothing")],
        implies: &[("c", &["b"]), ("b", &["a"])],
        rust_detect: "detect",
    };

    #[test]
    fn implications_are_followed_transitively() {
        assert!(T.covers("c", "a"));
        assert!(T.covers("b", "a"));
        assert!(!T.covers("a", "b"));
        assert!(!T.covers("d", "a"));
    }

    #[test]
    fn unknown_names_say_what_is_meant() {
        assert!(T.lookup("aa").unwrap_err().contains("`a`"));
        assert!(T.lookup("z").unwrap_err().contains("baseline"));
        assert!(T.lookup("q").unwrap_err().contains("known: a, b, c, d"));
        assert_eq!(T.lookup("b").unwrap().name, "b");
    }
}
