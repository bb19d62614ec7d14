//! Go dispatch among a function's variants (one per block, func.rs): per
//! architecture a Go file with the detection (run once, at init), the variants'
//! declarations and the exported wrapper, which branches on package-level booleans
//! and calls the chosen assembly function directly. What detects a feature is the
//! architecture's (its backend's `go_detection` and `go_condition`: on amd64
//! CPUID/XGETBV and the `GOAMD64` level constants that compile implied checks
//! away, on arm64 the auxiliary vector's HWCAP bits); the GODEBUG switch is shared.

use crate::backends::backend;
use crate::features::{Feature, GoDetect};
use crate::func::{Arch, AsmFn};
use crate::gopkg::{doc_lines, go_signature, import_block, split_imports, GoFile, Unit, HEADER};
use crate::sig::go_ident;
use std::fmt::Write as _;

/// The Go expression that is true when the CPU runs `variant`.
fn condition(prefix: &str, variant: &AsmFn) -> String {
    let b = &variant.blocks[0];
    backend(b.arch).go_condition(prefix, &b.feature_list())
}

fn call(variant: &str, f: &AsmFn) -> String {
    let args: Vec<String> = (0..f.sig.params.len())
        .map(|i| f.sig.param_go_name(i))
        .collect();
    format!("{variant}({})", args.join(", "))
}

/// `return x(..)`, or `x(..)` then `return` for a function without results.
fn tail_call(out: &mut String, indent: &str, variant: &str, f: &AsmFn, last: bool) {
    let c = call(variant, f);
    if f.sig.results.is_empty() {
        let _ = writeln!(out, "{indent}{c}");
        if !last {
            let _ = writeln!(out, "{indent}return");
        }
    } else {
        let _ = writeln!(out, "{indent}return {c}");
    }
}

/// Every file dispatch adds to the package with file base `base`.
pub fn render(
    package: &str,
    base: &str,
    arches: &[Arch],
    restricted: bool,
    units: &[Unit],
) -> Vec<GoFile> {
    let prefix = go_ident(base, false);
    let mut files = Vec::new();
    for &arch in arches {
        let dispatching: Vec<&Unit> = units
            .iter()
            .filter(|u| u.f.variant_arch.is_none() && u.f.dispatches())
            .collect();
        if dispatching.is_empty() {
            continue;
        }
        let variants_of = |u: &Unit| -> Vec<AsmFn> {
            u.f.variants()
                .into_iter()
                .filter(|v| v.variant_arch == Some(arch))
                .collect()
        };
        let mut features: Vec<Feature> = Vec::new();
        for u in &dispatching {
            for v in variants_of(u) {
                for f in v.blocks[0].feature_list() {
                    if !features.contains(&f) {
                        features.push(f);
                    }
                }
            }
        }
        features.sort_by_key(|f| f.name);
        let tag = if restricted {
            ""
        } else {
            "//go:build !purego\n\n"
        };
        let mut imports: Vec<&str> = Vec::new();
        let mut body = String::new();
        let mut support = Vec::new();
        if !features.is_empty() {
            let d = backend(arch).go_detection(&GoDetect {
                package,
                prefix: &prefix,
                base,
                tag,
                features: &features,
            });
            imports.extend(["\"os\"", "\"strings\""]);
            imports.extend(d.imports);
            body.push_str(&detection(&prefix, &features, &d.init, &d.helpers));
            support = d.files;
        }
        for u in &dispatching {
            let variants = variants_of(u);
            body.push('\n');
            doc_lines(&mut body, &u.f.sig.docs);
            let _ = writeln!(body, "{} {{", go_signature(u.f));
            let mut reached_end = true;
            for v in &variants {
                let name = v.sig.go_name();
                if v.blocks[0].features.is_empty() {
                    tail_call(&mut body, "\t", &name, u.f, true);
                    reached_end = false;
                    break;
                }
                let _ = writeln!(body, "\tif {} {{", condition(&prefix, v));
                tail_call(&mut body, "\t\t", &name, u.f, false);
                body.push_str("\t}\n");
            }
            let generic = format!("{}Generic", go_ident(&u.f.sig.name, false));
            if reached_end {
                match &u.fallback {
                    Some(_) => tail_call(&mut body, "\t", &generic, u.f, true),
                    None => {
                        let needs: Vec<String> = variants
                            .iter()
                            .map(|v| v.blocks[0].describe_features())
                            .collect();
                        let _ = writeln!(
                            body,
                            "\tpanic(\"{package}: {} needs {} on {}\")",
                            u.f.sig.go_name(),
                            needs.join(" or "),
                            arch.goarch()
                        );
                    }
                }
            }
            body.push_str("}\n");
            // The go! body, for CPUs none of the blocks runs on.
            if let (true, Some(fb)) = (reached_end, &u.fallback) {
                let (imps, text) = split_imports(fb);
                imports.extend(imps);
                let sig = go_signature(u.f).replacen(
                    &format!("func {}(", u.f.sig.go_name()),
                    &format!("func {generic}("),
                    1,
                );
                let _ = write!(
                    body,
                    "\n// {generic} is {}'s go! body.\n{sig} {{\n{text}}}\n",
                    u.f.sig.go_name()
                );
            }
            for v in &variants {
                body.push('\n');
                doc_lines(&mut body, &v.sig.docs);
                if v.sig.params.iter().any(|p| p.ty.has_pointer()) {
                    body.push_str("//\n//go:noescape\n");
                }
                let _ = writeln!(body, "{}", go_signature(v));
            }
        }
        let mut s = format!("{HEADER}\n\n{tag}package {package}\n");
        s.push_str(&import_block(imports));
        s.push_str(&body);
        files.push(GoFile {
            name: format!("{base}_dispatch_{}.go", arch.goarch()),
            contents: s,
        });
        files.extend(support);
    }
    files
}

/// The `var` block of each feature's boolean, `init` (the architecture's
/// detection statements, then `helpers`), and the GODEBUG switch.
fn detection(prefix: &str, features: &[Feature], init: &str, helpers: &str) -> String {
    let mut s = String::new();
    s.push_str(
        "\n// CPU features the variants below need, detected once at init.\n// GODEBUG=cpu.<name>=off (or cpu.all=off) turns one off, as for the standard library.\nvar (\n",
    );
    let names: Vec<String> = features.iter().map(|f| f.go_var(prefix)).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    for n in &names {
        let _ = writeln!(s, "\t{n:<width$} bool");
    }
    let _ = write!(s, ")\n\nfunc init() {{\n{init}}}\n");
    let _ = write!(
        s,
        "
// {prefix}Enabled reports whether GODEBUG leaves the feature on: cpu.<name>=off
// and cpu.all=off turn it off, the last setting wins.
func {prefix}Enabled(name string) bool {{
\ton := true
\tfor _, kv := range strings.Split(os.Getenv(\"GODEBUG\"), \",\") {{
\t\tswitch kv {{
\t\tcase \"cpu.all=off\", \"cpu.\" + name + \"=off\":
\t\t\ton = false
\t\tcase \"cpu.all=on\", \"cpu.\" + name + \"=on\":
\t\t\ton = true
\t\t}}
\t}}
\treturn on
}}
"
    );
    s.push_str(helpers);
    s
}
