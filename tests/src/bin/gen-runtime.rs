//! Writes the committed Go call runtime (`runtime/go/calln`) from
//! `go_asm_build::internal::calln::generate`.
//!
//! Usage: `gen-runtime [--check] [--frame-bytes N] [DIR]`. `DIR` defaults to
//! `runtime/go/calln` under the workspace root. With `--check` nothing is written;
//! the command fails if the directory differs from what would be generated.

use go_asm_build::internal::calln::{generate, CallnOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut check = false;
    let mut opts = CallnOptions::default();
    let mut dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--check" => check = true,
            "--frame-bytes" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) => opts.frame_bytes = n,
                None => {
                    eprintln!("gen-runtime: --frame-bytes needs a number");
                    return ExitCode::from(2);
                }
            },
            _ if a.starts_with('-') => {
                eprintln!("usage: gen-runtime [--check] [--frame-bytes N] [DIR]");
                return ExitCode::from(2);
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../runtime/go/calln"));
    match sync(&dir, &opts, check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes (or, with `check`, compares) the generated files. In check mode a file
/// that is missing, different, or not generated (an extra `calln*` file) is an error.
fn sync(dir: &Path, opts: &CallnOptions, check: bool) -> Result<(), String> {
    let files = generate(opts);
    if !check {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut problems = Vec::new();
    for (name, text) in &files {
        let path = dir.join(name);
        if check {
            match std::fs::read_to_string(&path) {
                Ok(old) if old == *text => {}
                Ok(_) => problems.push(format!("{} differs from the generator", path.display())),
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            }
        } else {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("calln") && !files.iter().any(|(n, _)| *n == name) {
            problems.push(format!("{name} is not generated (stale file?)"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
