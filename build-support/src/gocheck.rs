//! `go!` bodies checked as Go. The fallback is copied verbatim, so a syntax error in
//! it would pass `cargo build`, `go vet` and `go test` on amd64 and arm64 and only
//! fail with `-tags purego`, at the generated file. The build step runs `gofmt -e`
//! once per package on the rendered fallback file (through stdin, nothing written)
//! and reports gofmt's first error at the Rust file's line and column of the token.

use crate::func::AsmFn;
use crate::gopkg::{go_signature, GoFile};
use crate::source::Source;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// What the check did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// gofmt parsed the file and found nothing.
    Clean,
    /// Neither `gofmt` nor `go` is on PATH.
    Skipped,
}

/// Parses `fallback` (the rendered `<base>_generic.go`) with gofmt; an error is
/// located in the `go!` block it comes from (`file:line:column: message`).
pub fn check_fallback(fallback: &GoFile, fns: &[(&Source, &AsmFn)]) -> Result<Checked, String> {
    let Some(gofmt) = gofmt() else {
        return Ok(Checked::Skipped);
    };
    let run = || -> std::io::Result<std::process::Output> {
        let mut child = Command::new(&gofmt)
            .arg("-e")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(fallback.contents.as_bytes())?;
        child.wait_with_output()
    };
    let out = match run() {
        Ok(out) => out,
        // Gone from PATH since it was looked up.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Checked::Skipped),
        Err(e) => return Err(format!("running {gofmt}: {e}")),
    };
    if out.status.success() {
        return Ok(Checked::Clean);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    let parsed = first.strip_prefix("<standard input>:").and_then(|rest| {
        let mut it = rest.splitn(3, ':');
        let line = it.next()?.parse::<usize>().ok()?;
        let col = it.next()?.parse::<usize>().ok()?;
        Some((line, col, it.next()?.trim().to_string()))
    });
    let Some((line, col, message)) = parsed else {
        return Err(format!("gofmt rejects {}: {stderr}", fallback.name));
    };
    let message = format!("the go! body is not valid Go: {message} (gofmt)");
    Err(locate(fallback, fns, line, col)
        .map(|(path, l, c)| format!("{path}:{l}:{c}: {message}"))
        .unwrap_or_else(|| format!("{}:{line}:{col}: {message}", fallback.name)))
}

/// `gofmt` from PATH, else the one next to `go`; looked up once per process.
fn gofmt() -> Option<String> {
    static FOUND: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let runs = |cmd: &str| Command::new(cmd).arg("-h").output().is_ok();
            if runs("gofmt") {
                return Some("gofmt".into());
            }
            let root = Command::new("go").args(["env", "GOROOT"]).output().ok()?;
            let path = format!("{}/bin/gofmt", String::from_utf8_lossy(&root.stdout).trim());
            runs(&path).then_some(path)
        })
        .clone()
}

/// A line of a `go!` block's source: its 1-based line in the file and its text.
struct SourceLine<'a> {
    number: usize,
    text: &'a str,
}

/// The source lines between a `go!` block's braces.
fn block_lines<'a>(src: &'a Source, f: &AsmFn) -> Option<Vec<SourceLine<'a>>> {
    let r = f.go_body?.byte_range();
    let inner = src.text.get(r.start + 1..r.end.checked_sub(1)?)?;
    let first = src.text[..r.start].matches('\n').count() + 1;
    let lines = inner
        .split('\n')
        .enumerate()
        .map(|(k, text)| SourceLine {
            number: first + k,
            text,
        })
        .collect();
    Some(lines)
}

/// The 1-based column, in characters as rustc counts them, of byte `byte` of `line`.
fn char_column(line: &str, byte: usize) -> usize {
    let mut byte = byte.min(line.len());
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    line[..byte].chars().count() + 1
}

/// The byte of a source line that gofmt's 1-based byte column `col` of `rendered`
/// points at, when `rendered`'s text after its indentation is the source line's
/// from byte `src_from` on.
fn source_byte(src_from: usize, rendered: &str, col: usize) -> usize {
    let lead = rendered.len() - rendered.trim_start().len();
    src_from + col.saturating_sub(1).saturating_sub(lead)
}

/// Maps line `line`, column `col` of the rendered fallback to a Rust source location.
fn locate(
    fallback: &GoFile,
    fns: &[(&Source, &AsmFn)],
    line: usize,
    col: usize,
) -> Option<(String, usize, usize)> {
    let rendered: Vec<&str> = fallback.contents.lines().collect();
    let at = rendered.get(line.checked_sub(1)?).copied().unwrap_or("");
    for (src, f) in fns {
        let header = format!("{} {{", go_signature(f));
        let Some(open) = rendered.iter().position(|l| *l == header) else {
            continue;
        };
        let close = open + rendered[open..].iter().position(|l| *l == "}")?;
        let lines = block_lines(src, f)?;
        let braces = f.go_body?;
        if line == open + 1 {
            let at = braces.start();
            return Some((src.path.clone(), at.line, at.column + 1));
        }
        if line == close + 1 {
            // The closing brace is gofmt's position for a body cut short; the
            // span ends just after it.
            let at = braces.end();
            return Some((src.path.clone(), at.line, at.column));
        }
        if line > open + 1 && line < close + 1 {
            // The rendered body is the block's lines in order, re-indented, with
            // leading imports and blank lines taken out: match by content.
            let mut next = lines.iter();
            for (k, r) in rendered[open + 1..close].iter().enumerate() {
                let s = next.find(|s| s.text.trim() == r.trim())?;
                if open + 2 + k == line {
                    let lead = s.text.len() - s.text.trim_start().len();
                    let byte = source_byte(lead, r, col);
                    return Some((src.path.clone(), s.number, char_column(s.text, byte)));
                }
            }
        }
    }
    // Outside every body (a hoisted import): the block line that holds the text.
    let wanted = at.trim();
    if wanted.is_empty() {
        return None;
    }
    fns.iter().find_map(|(src, f)| {
        block_lines(src, f)?.into_iter().find_map(|s| {
            let from = s.text.find(wanted)?;
            let byte = source_byte(from, at, col);
            Some((src.path.clone(), s.number, char_column(s.text, byte)))
        })
    })
}
