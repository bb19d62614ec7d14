//! The malformed-input corpus (`tests/malformed/*.txt`): small sources, each pinned
//! to the error it must produce and the source text that error must point at.
//!
//! ```text
//! == amd64: unknown mnemonic           name of the case
//! error: unknown amd64 mnemonic `frob`  a fragment of the first error's message
//! at: frob                              source text the error's line:column starts
//! amd64:                                body kind: amd64 | arm64 | file
//!     frob x, y                         body lines, verbatim, up to the next `==`
//! ```
//!
//! `amd64:` and `arm64:` bodies go into a template function (below) with a `go!`
//! fallback; `file:` bodies are the whole source file. The `at:` text (not cutting
//! an identifier) must occur exactly once in the body (or, when the body lacks it,
//! in the whole source), so the expected line:column is unambiguous; an optional
//! `nth: N` line after it picks the N-th occurrence instead. `at: -` pins an error
//! about the whole file, which has no location. Lines starting with `#` between
//! cases, and with `# ` inside bodies, are comments.

use std::path::{Path, PathBuf};

/// One malformed input and what it must be rejected with.
#[derive(Clone, Debug)]
pub struct Case {
    /// `file:line` of the case's `==` line, for messages.
    pub origin: String,
    pub name: String,
    pub error: String,
    pub at: String,
    /// The complete source file the pipeline gets.
    pub source: String,
    /// Where the `at:` text starts in `source`: 1-based line and column (chars);
    /// `None` for `at: -`.
    pub position: Option<(usize, usize)>,
}

/// The signature every `amd64:`/`arm64:` case body is placed in: integer, slice,
/// string and float parameters to refer to, one integer result.
pub const TEMPLATE_PARAMS: &str = "x: u64, y: u64, xs: &[u64], s: &str, f: f64";

fn template(arch: &str, body: &str) -> String {
    format!(
        "#[go_asm]\npub fn k({TEMPLATE_PARAMS}) -> u64 {{\n    {arch}! {{\n{body}    }}\n    go! {{ return x }}\n}}\n"
    )
}

/// The corpus directory.
pub fn dir() -> PathBuf {
    crate::repo_root().join("tests/malformed")
}

/// Every case of every `*.txt` file in the corpus directory, in file order.
pub fn load() -> Result<Vec<Case>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .map_err(|e| format!("{}: {e}", dir().display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        cases.extend(parse(&f, &text)?);
    }
    Ok(cases)
}

/// Parses one corpus file.
pub fn parse(file: &Path, text: &str) -> Result<Vec<Case>, String> {
    let shown = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let mut cases = Vec::new();
    // Cases whose `at:` is not found or ambiguous: all reported together.
    let mut problems = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(name) = line.strip_prefix("== ") else {
            if line.trim().is_empty() || line.starts_with('#') {
                i += 1;
                continue;
            }
            return Err(format!("{shown}:{}: expected `== name`", i + 1));
        };
        let origin = format!("{shown}:{}", i + 1);
        i += 1;
        let mut error = None;
        let mut at = None;
        let mut nth = None;
        let mut kind = None;
        while i < lines.len() && kind.is_none() {
            let l = lines[i];
            if let Some(e) = l.strip_prefix("error: ") {
                error = Some(e.trim().to_string());
            } else if let Some(a) = l.strip_prefix("at: ") {
                at = Some(a.trim().to_string());
            } else if let Some(n) = l.strip_prefix("nth: ") {
                nth = Some(
                    n.trim()
                        .parse::<usize>()
                        .map_err(|e| format!("{shown}:{}: {e}", i + 1))?,
                );
            } else if matches!(l.trim_end(), "amd64:" | "arm64:" | "file:") {
                kind = Some(l.trim_end().trim_end_matches(':').to_string());
            } else if !(l.trim().is_empty() || l.starts_with('#')) {
                return Err(format!(
                    "{shown}:{}: expected error:, at: or a body kind",
                    i + 1
                ));
            }
            i += 1;
        }
        let (Some(error), Some(at), Some(kind)) = (error, at, kind) else {
            return Err(format!("{origin}: a case needs error:, at: and a body"));
        };
        let mut body = String::new();
        while i < lines.len() && !lines[i].starts_with("== ") {
            // `# ` lines are comments (Rust has no line starting so; attributes are `#[`).
            if !lines[i].starts_with("# ") {
                body.push_str(lines[i]);
                body.push('\n');
            }
            i += 1;
        }
        // Blank lines between cases belong to no body.
        let body = format!("{}\n", body.trim_end_matches('\n'));
        let source = match kind.as_str() {
            "file" => body.clone(),
            arch => template(arch, &body),
        };
        let position = if at == "-" {
            None
        } else {
            let offset = match locate(&source, &body, &at, nth) {
                Ok(o) => o,
                Err(e) => {
                    problems.push(format!("{origin}: {e}"));
                    continue;
                }
            };
            let before = &source[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
                .chars()
                .count()
                + 1;
            Some((line, column))
        };
        cases.push(Case {
            origin,
            name: name.trim().to_string(),
            error,
            at,
            source,
            position,
        });
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems.join("\n"))
    }
}

/// Offsets of `at` in `text` that do not cut an identifier: `t` is found in
/// `let t` but not inside `return`.
fn occurrences<'a>(text: &'a str, at: &'a str) -> impl Iterator<Item = usize> + 'a {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(at).map(|(o, _)| o).filter(move |&o| {
        let (before, after) = (
            text[..o].chars().next_back(),
            text[o + at.len()..].chars().next(),
        );
        !(word(at.chars().next()) && word(before) || word(at.chars().next_back()) && word(after))
    })
}

/// Byte offset of the one occurrence of `at` in the body within `source` (or, when
/// the body does not contain it, in the whole source).
fn locate(source: &str, body: &str, at: &str, nth: Option<usize>) -> Result<usize, String> {
    let body_start = source.find(body).ok_or("the body is not in the source")?;
    let in_body: Vec<usize> = occurrences(body, at).map(|o| body_start + o).collect();
    let found = if in_body.is_empty() {
        occurrences(source, at).collect()
    } else {
        in_body
    };
    if let Some(n) = nth {
        return found
            .get(n.wrapping_sub(1))
            .copied()
            .ok_or_else(|| format!("`at: {at}` occurs {} times, not {n}", found.len()));
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("`at: {at}` does not occur in the source")),
        _ => Err(format!(
            "`at: {at}` occurs {} times; make it longer, or add `nth: N`",
            found.len()
        )),
    }
}
