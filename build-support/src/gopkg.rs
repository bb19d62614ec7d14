//! The Go package: assembly files per GOARCH, stub declarations, the pure-Go
//! fallback, and Go declarations of `#[go_asm]` structs. Everything is rendered in
//! memory, deterministic, gofmt-clean.

use crate::compile::{self, Compiled, EXIT_LABEL};
use crate::func::{Arch, AsmFn};
use crate::sig::go_ident;
use std::fmt::Write as _;

pub use crate::generated::{GoFile, HEADER};
pub use crate::sig::GoStruct;

/// A function ready for printing: parsed, compiled per arch, with its fallback text.
pub struct Unit<'a> {
    pub f: &'a AsmFn,
    pub compiled: &'a [Compiled],
    /// The `go!` block's text, already re-indented (None when the package has no fallback).
    pub fallback: Option<&'a str>,
}

pub fn doc_lines(out: &mut String, docs: &[String]) {
    for d in docs {
        if d.is_empty() {
            out.push_str("//\n");
        } else {
            let _ = writeln!(out, "// {d}");
        }
    }
}

/// The Go declaration of `f` (`func Sum(xs []uint64) uint64`).
pub fn go_signature(f: &AsmFn) -> String {
    let params: Vec<String> = f
        .sig
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} {}", f.sig.param_go_name(i), p.ty.go_name()))
        .collect();
    let results: Vec<String> = f.sig.results.iter().map(|r| r.ty.go_name()).collect();
    let res = match results.len() {
        0 => String::new(),
        1 => format!(" {}", results[0]),
        _ => format!(" ({})", results.join(", ")),
    };
    format!("func {}({}){res}", f.sig.go_name(), params.join(", "))
}

fn arch_expr(arches: &[Arch]) -> String {
    let names: Vec<&str> = arches.iter().map(|a| a.goarch()).collect();
    if names.len() == 1 {
        names[0].to_string()
    } else {
        format!("({})", names.join(" || "))
    }
}

/// Renders every file of the package named `package` with file base name `base`.
/// `restricted`: the package builds only on `arches` (no fallback, no purego tag).
/// `routed`: GOOS/arch pairs whose functions come from a `.syso` object instead
/// (the assembly file of that arch leaves those operating systems out).
pub fn render(
    package: &str,
    base: &str,
    arches: &[Arch],
    restricted: bool,
    units: &[Unit],
    structs: &[GoStruct],
    routed: &[(&str, Arch)],
) -> Vec<GoFile> {
    let mut files = Vec::new();
    let any_arch = arch_expr(arches);

    // Stubs.
    let mut stubs = String::new();
    let tag = if restricted {
        any_arch.trim_matches(|c| c == '(' || c == ')').to_string()
    } else {
        format!("{any_arch} && !purego")
    };
    let _ = write!(stubs, "{HEADER}\n\n//go:build {tag}\n\npackage {package}\n");
    // Dispatching functions and their variants are declared per architecture
    // (dispatch.rs).
    for u in units
        .iter()
        .filter(|u| u.f.variant_arch.is_none() && !u.f.dispatches())
    {
        stubs.push('\n');
        doc_lines(&mut stubs, &u.f.sig.docs);
        if u.f.sig.params.iter().any(|p| p.ty.has_pointer()) {
            stubs.push_str("//\n//go:noescape\n");
        }
        let _ = writeln!(stubs, "{}", go_signature(u.f));
    }
    files.push(GoFile {
        name: format!("{base}_asm.go"),
        contents: stubs,
    });

    // Fallback.
    if !restricted {
        let mut fb = String::new();
        let _ = write!(
            fb,
            "{HEADER}\n\n//go:build !{any_arch} || purego\n\npackage {package}\n"
        );
        let mut imports: Vec<&str> = Vec::new();
        let mut bodies = Vec::new();
        for u in units.iter().filter(|u| u.f.variant_arch.is_none()) {
            let (imps, body) = split_imports(u.fallback.unwrap_or(""));
            imports.extend(imps);
            bodies.push(body);
        }
        fb.push_str(&import_block(imports));
        let originals = units.iter().filter(|u| u.f.variant_arch.is_none());
        for (u, body) in originals.zip(bodies) {
            fb.push('\n');
            doc_lines(&mut fb, &u.f.sig.docs);
            let _ = writeln!(fb, "{} {{\n{body}}}", go_signature(u.f));
        }
        files.push(GoFile {
            name: format!("{base}_generic.go"),
            contents: fb,
        });
    }

    // Assembly per architecture.
    for &arch in arches {
        let mut s = String::new();
        let mut terms: Vec<String> = Vec::new();
        if !restricted {
            terms.push("!purego".to_string());
        }
        for (goos, a) in routed {
            if *a == arch {
                terms.push(format!("!{goos}"));
            }
        }
        let tag = if terms.is_empty() {
            String::new()
        } else {
            format!("//go:build {}\n\n", terms.join(" && "))
        };
        let _ = write!(s, "{HEADER}\n\n{tag}#include \"textflag.h\"\n");
        for u in units {
            let Some(c) = u.compiled.iter().find(|c| c.arch == arch) else {
                continue;
            };
            for (ti, t) in u.f.tables.iter().enumerate() {
                s.push('\n');
                let sym = compile::table_symbol(u.f, ti);
                let mut off = 0;
                while off < t.bytes.len() {
                    let n = [8, 4, 2, 1]
                        .into_iter()
                        .find(|n| off + n <= t.bytes.len())
                        .expect("n >= 1");
                    let mut v = 0u64;
                    for (k, b) in t.bytes[off..off + n].iter().enumerate() {
                        v |= (*b as u64) << (8 * k);
                    }
                    let _ = writeln!(s, "DATA {sym}+{off}(SB)/{n}, ${v:#x}");
                    off += n;
                }
                let _ = writeln!(s, "GLOBL {sym}(SB), RODATA|NOPTR, ${}", t.bytes.len());
            }
            s.push('\n');
            let _ = writeln!(s, "// {}", go_signature(u.f));
            // Spill slots are the frame's locals; Go's assembler then saves BP (amd64)
            // or LR and FP (arm64) itself. Big frames let Go's prologue grow the stack.
            let flags = if crate::frame::nosplit(c.spill_bytes) {
                "NOSPLIT, "
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "TEXT ·{}(SB), {flags}${}-{}",
                u.f.sig.go_name(),
                c.spill_bytes,
                c.frame.size
            );
            // Spilled arguments first, through a scratch register no argument is in yet.
            for (slot, home) in c.frame.args.iter().zip(&c.arg_slots) {
                if let Some(home) = home {
                    for line in crate::backends::backend(arch).go_spill_arg(slot, *home) {
                        let _ = writeln!(s, "\t{line}");
                    }
                }
            }
            for (slot, reg) in c.frame.args.iter().zip(&c.arg_regs) {
                if let Some(r) = reg {
                    let _ = writeln!(
                        s,
                        "\t{}",
                        crate::backends::backend(arch).go_load_arg(slot, *r)
                    );
                }
            }
            for line in &c.go_body {
                let _ = writeln!(s, "{line}");
            }
            if c.exit_referenced {
                let _ = writeln!(s, "{EXIT_LABEL}:");
            }
            for (slot, reg) in c.frame.results.iter().zip(&c.result_regs) {
                let _ = writeln!(
                    s,
                    "\t{}",
                    crate::backends::backend(arch).go_store_result(slot, *reg)
                );
            }
            s.push_str("\tRET\n");
        }
        files.push(GoFile {
            name: format!("{base}_{}.s", arch.goarch()),
            contents: s,
        });
    }

    if !structs.is_empty() {
        let mut s = String::new();
        let _ = write!(s, "{HEADER}\n\npackage {package}\n");
        for st in structs {
            s.push('\n');
            doc_lines(&mut s, &st.docs);
            let _ = writeln!(s, "type {} struct {{", st.name);
            let width = st
                .fields
                .iter()
                .map(|(n, _)| go_ident(n, true).len())
                .max()
                .unwrap_or(0);
            for (n, ty) in &st.fields {
                let g = go_ident(n, true);
                let _ = writeln!(s, "\t{g:<width$} {}", ty.go_name());
            }
            s.push_str("}\n");
        }
        files.push(GoFile {
            name: format!("{base}_types.go"),
            contents: s,
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// A file's import declaration (empty for none), sorted and deduplicated.
pub fn import_block(mut imports: Vec<&str>) -> String {
    imports.sort();
    imports.dedup();
    match imports.as_slice() {
        [] => String::new(),
        [one] => format!("\nimport {one}\n"),
        many => {
            let mut s = "\nimport (\n".to_string();
            for i in many {
                let _ = writeln!(s, "\t{i}");
            }
            s.push_str(")\n");
            s
        }
    }
}

/// Splits leading `import "path"` lines off a re-indented `go!` body: Go imports
/// belong to the file, so they are hoisted there.
pub fn split_imports(body: &str) -> (Vec<&str>, String) {
    let mut imports = Vec::new();
    let mut rest = String::new();
    let mut in_header = true;
    for line in body.lines() {
        let t = line.trim();
        if in_header {
            if let Some(path) = t.strip_prefix("import ") {
                imports.push(path.trim().trim_end_matches(';'));
                continue;
            }
            if t.is_empty() {
                continue;
            }
            in_header = false;
        }
        rest.push_str(line);
        rest.push('\n');
    }
    (imports, rest)
}

/// Re-indents a `go!` block's source text for a Go function body: drops the
/// common indentation and turns each four leading spaces into a tab.
pub fn reindent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    let lines = &lines[first..=last];
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let common = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        if l.trim().is_empty() {
            out.push('\n');
            continue;
        }
        let rest = &l[common.min(indent(l))..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        out.push('\t');
        for _ in 0..spaces / 4 {
            out.push('\t');
        }
        out.push_str(&" ".repeat(spaces % 4));
        out.push_str(rest.trim_start_matches(' ').trim_end());
        out.push('\n');
    }
    out
}
