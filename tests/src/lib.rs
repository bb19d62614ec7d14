//! Helpers for go-asm's integration tests: run the real tools (and fail loudly when
//! one is missing), parse `go tool asm -S` listings, and find the examples.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Prints a summary line of a test even when the harness captures output (it
/// writes to stderr directly, not through `eprintln!`): the suite's counts belong
/// in its log.
pub fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// A command for a tool the suite needs; panics (never skips) when it is missing.
pub fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is required by this test and is not installed: run scripts/install-prereqs"
    );
    Command::new(name)
}

/// Runs `cmd`; panics with its output unless it succeeds. Returns stdout + stderr.
pub fn run(cmd: &mut Command) -> String {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{shown} failed:\n{text}");
    text
}

/// One function from a `go tool asm -S` listing.
#[derive(Debug, Default, Clone)]
pub struct ListedFn {
    pub bytes: Vec<u8>,
    /// (offset, size) of every relocated field.
    pub relocs: Vec<(usize, usize)>,
}

/// Assembles `file` (in `dir`) with `go tool asm -S` for `goarch` and returns each
/// TEXT symbol's bytes, keyed by the symbol name without the package prefix.
pub fn go_asm_listing(
    dir: &Path,
    file: &str,
    goarch: &str,
    pkg: &str,
) -> BTreeMap<String, ListedFn> {
    let goroot = run(tool("go").args(["env", "GOROOT"])).trim().to_string();
    let obj = tempfile::NamedTempFile::new().expect("temp file");
    let text = run(tool("go")
        .current_dir(dir)
        .env("GOARCH", goarch)
        .env("GOOS", "linux")
        .args(["tool", "asm", "-S", "-p", pkg, "-I"])
        .arg(format!("{goroot}/pkg/include"))
        .arg("-o")
        .arg(obj.path())
        .arg(file));
    parse_listing(&text)
}

/// Parses the symbol headers, hex dumps and `rel` lines of a `-S` listing.
pub fn parse_listing(text: &str) -> BTreeMap<String, ListedFn> {
    let mut out: BTreeMap<String, ListedFn> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with('\t') {
            current = line
                .contains(" STEXT ")
                .then(|| line.split_whitespace().next().unwrap_or("").to_string())
                .map(|s| s.rsplit('.').next().unwrap_or(&s).to_string());
            continue;
        }
        let Some(name) = &current else { continue };
        let f = out.entry(name.clone()).or_default();
        let t = line.trim_start();
        if let Some(rel) = t.strip_prefix("rel ") {
            let spec = rel.split_whitespace().next().unwrap_or("");
            if let Some((off, size)) = spec.split_once('+') {
                if let (Ok(o), Ok(s)) = (off.parse(), size.parse()) {
                    f.relocs.push((o, s));
                }
            }
            continue;
        }
        // Hex dump: "0x0010 48 8b ...  ascii", the bytes in 16 fixed columns of 3.
        // Instruction lines read "0x0010 00016 (file.s:3) ..." instead.
        let Some(rest) = t.strip_prefix("0x") else {
            continue;
        };
        let Some((_, cols)) = rest.split_once(' ') else {
            continue;
        };
        if cols.split_whitespace().next().is_some_and(|w| w.len() != 2) {
            continue;
        }
        let hex: String = cols.chars().take(16 * 3).collect();
        for w in hex.split_whitespace() {
            match u8::from_str_radix(w, 16) {
                Ok(b) if w.len() == 2 => f.bytes.push(b),
                _ => break,
            }
        }
    }
    out
}

/// The example crate's packages: (name, source file, Go package dir).
pub fn example_packages() -> Vec<(String, PathBuf, PathBuf)> {
    let root = repo_root().join("examples/kernels");
    let list = std::fs::read_to_string(root.join("src/packages.rs")).expect("packages.rs");
    let start = list.find('[').expect("array") + 1;
    let body = &list[list[start..]
        .find('[')
        .map(|i| start + i + 1)
        .unwrap_or(start)..];
    let body = &body[..body.find(']').expect("array end")];
    body.split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .map(|n| {
            (
                n.clone(),
                root.join(format!("src/{n}.rs")),
                root.join(format!("go/{n}")),
            )
        })
        .collect()
}

/// A go-asm package for an example, with absolute paths.
pub fn example_package(name: &str) -> go_asm_build::Package {
    let root = repo_root().join("examples/kernels");
    go_asm_build::Package::new(name, root.join(format!("go/{name}")))
        .source(root.join(format!("src/{name}.rs")))
}

pub mod corpus;
pub mod fuzz;
pub mod pipeline;
