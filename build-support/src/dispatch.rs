//! Go dispatch among a function's variants (one per block, func.rs): per
//! architecture a Go file with the detection (run once, at init, into
//! package-level booleans), the variants' declarations and the exported wrapper
//! (small enough for Go's inliner: one direct call, see [`wrapper`]), and an
//! assembly file of dispatch stubs (a test of each variant's boolean, then a jump
//! to the chosen assembly function). What detects a feature is the
//! architecture's (its backend's `go_detection` and `go_condition`: on amd64
//! CPUID/XGETBV and the `GOAMD64` level constants that compile implied checks
//! away, on arm64 the auxiliary vector's HWCAP bits); the GODEBUG switch is shared.

use crate::backends::backend;
use crate::features::{Feature, GoDetect, GoStubSpelling};
use crate::func::{Arch, AsmFn};
use crate::gopkg::{doc_lines, go_signature, import_block, split_imports, GoFile, Unit, HEADER};
use crate::sig::{go_ident, Scalar, Ty};
use std::fmt::Write as _;

/// The Go expression that is true when the CPU runs `variant`.
fn condition(prefix: &str, variant: &AsmFn) -> String {
    let b = &variant.blocks[0];
    backend(b.arch).go_condition(prefix, &b.feature_list())
}

fn call(variant: &str, f: &AsmFn) -> String {
    // An unnamed parameter (`_`) has no value to pass on; nothing reads it, in
    // a variant's body or the go! body, so its type's zero value stands in.
    let args: Vec<String> = (0..f.sig.params.len())
        .map(|i| match f.sig.params[i].unnamed {
            true => go_zero(&f.sig.params[i].ty, &f.sig.param_go_type(i)),
            false => f.sig.param_go_name(i),
        })
        .collect();
    format!("{variant}({})", args.join(", "))
}

/// The zero value of a parameter's Go type.
/// (`go` its Go type: the row's, or a `go_type(..)`, whose underlying type is
/// the row's).
fn go_zero(ty: &Ty, go: &str) -> String {
    match ty {
        Ty::Scalar(Scalar::Bool) => "false".into(),
        Ty::Scalar(_) => "0".into(),
        Ty::Ptr { .. } | Ty::Slice { .. } => "nil".into(),
        Ty::Str => "\"\"".into(),
        _ => format!("{go}{{}}"),
    }
}

/// `return x(..)`, or `x(..)` for a function without results (the last statement
/// of its branch).
fn tail_call(out: &mut String, indent: &str, variant: &str, f: &AsmFn) {
    let c = call(variant, f);
    if f.sig.result_count() == 0 {
        let _ = writeln!(out, "{indent}{c}");
    } else {
        let _ = writeln!(out, "{indent}return {c}");
    }
}

/// The boolean that says whether this CPU runs `variant`: `dotAmd64Avx2FmaRuns`.
fn runs_var(variant: &AsmFn) -> String {
    format!("{}Runs", variant.sig.go_name())
}

/// The exported wrapper of `u` on `arch`, the declarations of its variants, and
/// (into `stubs`) its dispatch stub, with the Go functions a stub may end in.
///
/// Go's inliner charges 57 of its budget of 80 per call of a function it cannot
/// inline (an assembly function is one), so a Go function with two calls is never
/// inlined. The wrapper therefore makes one call: to the first variant when the
/// `GOAMD64` level implies its features (a constant condition, which the inliner
/// charges only for the branch taken), otherwise to the stub, an assembly function
/// without a frame that tests the variants' package-level booleans in dispatch
/// order and jumps to the first the CPU runs, which returns to the wrapper's
/// caller. A function whose only variant on `arch` needs no features calls it.
fn wrapper<'a>(
    package: &str,
    (prefix, base): (&str, &str),
    arch: Arch,
    u: &Unit<'a>,
    variants: &[AsmFn],
    imports: &mut Vec<&'a str>,
    stubs: &mut String,
) -> String {
    let b = backend(arch);
    let mut body = String::new();
    body.push('\n');
    doc_lines(&mut body, &u.f.sig.docs);
    let _ = writeln!(body, "{} {{", go_signature(u.f));
    let tried: Vec<&AsmFn> = variants
        .iter()
        .take_while(|v| !v.blocks[0].features.is_empty())
        .collect();
    let baseline = variants.get(tried.len());
    let mut extra = String::new();
    // The go! body as a Go function, for CPUs (or an architecture) none of the
    // variants runs on.
    let mut go_body = |extra: &mut String, fb: &'a str| {
        let generic = format!("{}Generic", go_ident(&u.f.sig.name, false));
        let (imps, text) = split_imports(fb);
        imports.extend(imps);
        let _ = write!(
            extra,
            "\n// {generic} is {}'s go! body, for CPUs none of its {} variants runs on.\n{} {{\n{text}}}\n",
            u.f.sig.go_name(),
            arch.goarch(),
            renamed(u.f, &generic)
        );
        generic
    };
    if tried.is_empty() {
        match (baseline, u.fallback) {
            (Some(v), _) => tail_call(&mut body, "\t", &v.sig.go_name(), u.f),
            // No block for this architecture (package.rs allows that only with a
            // go! body): the go! body is the function here.
            (None, Some(fb)) => {
                let generic = go_body(&mut extra, fb);
                tail_call(&mut body, "\t", &generic, u.f);
            }
            (None, None) => unreachable!("a function without a block here has a go! body"),
        }
    } else {
        let stub = format!("{}Dispatch", go_ident(&u.f.sig.name, false));
        let first = &tried[0];
        match b.go_implied(prefix, &first.blocks[0].feature_list()) {
            Some(cond) => {
                let _ = writeln!(body, "\tif {cond} {{");
                tail_call(&mut body, "\t\t", &first.sig.go_name(), u.f);
                body.push_str("\t} else {\n");
                tail_call(&mut body, "\t\t", &stub, u.f);
                body.push_str("\t}\n");
            }
            None => tail_call(&mut body, "\t", &stub, u.f),
        }
        // Where the stub ends when no variant that needs features runs.
        let last = match (baseline, &u.fallback) {
            (Some(v), _) => v.sig.go_name(),
            (None, Some(fb)) => go_body(&mut extra, fb),
            (None, None) => {
                let none = format!("{}NoVariant", go_ident(&u.f.sig.name, false));
                let needs: Vec<String> = variants
                    .iter()
                    .map(|v| v.blocks[0].describe_features())
                    .collect();
                let _ = write!(
                    extra,
                    "\n// {none} is where {} ends on a CPU none of its variants runs on.\n{} {{\n\tpanic(\"{package}: {} needs {} on {}\")\n}}\n",
                    u.f.sig.go_name(),
                    renamed(u.f, &none),
                    u.f.sig.go_name(),
                    needs.join(" or "),
                    arch.goarch()
                );
                none
            }
        };
        let _ = write!(
            extra,
            "\n// {stub} jumps to the first variant of {} this CPU runs, which returns\n// to {stub}'s caller ({base}_dispatch_{}.s).\n",
            u.f.sig.go_name(),
            arch.goarch()
        );
        if u.f.sig.params.iter().any(|p| p.ty.has_pointer()) {
            extra.push_str("//\n//go:noescape\n");
        }
        let _ = writeln!(extra, "{}", renamed(u.f, &stub));
        let tries: Vec<(String, String)> = tried
            .iter()
            .map(|v| (runs_var(v), v.sig.go_name()))
            .collect();
        stubs.push_str(&dispatch_stub(
            b.go_stub(),
            &renamed(u.f, &stub),
            &stub,
            crate::frame::layout(&u.f.sig).size,
            &tries,
            &last,
        ));
    }
    body.push_str("}\n");
    body.push_str(&extra);
    for v in variants {
        body.push('\n');
        doc_lines(&mut body, &v.sig.docs);
        if v.sig.params.iter().any(|p| p.ty.has_pointer()) {
            body.push_str("//\n//go:noescape\n");
        }
        let _ = writeln!(body, "{}", go_signature(v));
    }
    body
}

/// The assembly of dispatch stub `name` (declared in Go as `decl`, with an
/// argument frame of `frame_size` bytes): no frame of its own; for each
/// `(boolean, variant)` of `tries` in order, a jump to the variant when the
/// package-level boolean is true; then a jump to `last`. The variant returns to
/// the stub's caller.
fn dispatch_stub(
    spell: &GoStubSpelling,
    decl: &str,
    name: &str,
    frame_size: u32,
    tries: &[(String, String)],
    last: &str,
) -> String {
    let label = |k: usize| format!("variant{k}");
    let jump = |target: &str| spell.jump.replace("{target}", target);
    let mut s = format!("\n// {decl}\nTEXT ·{name}(SB), NOSPLIT|NOFRAME, $0-{frame_size}\n");
    for (k, (runs, _)) in tries.iter().enumerate() {
        s.push_str(&spell.test.replace("{runs}", runs).replace("{label}", &label(k)));
    }
    s.push_str(&jump(last));
    for (k, (_, variant)) in tries.iter().enumerate() {
        s.push_str(&format!("{}:\n", label(k)));
        s.push_str(&jump(variant));
    }
    s
}

/// `f`'s Go signature under another name.
fn renamed(f: &AsmFn, name: &str) -> String {
    go_signature(f).replacen(
        &format!("func {}(", f.sig.go_name()),
        &format!("func {name}("),
        1,
    )
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
        // Per variant that needs features: whether this CPU runs it, set at init
        // after the detection (the dispatch stubs read them).
        let runs: Vec<(String, String)> = dispatching
            .iter()
            .flat_map(|u| variants_of(u))
            .filter(|v| !v.blocks[0].features.is_empty())
            .map(|v| (runs_var(&v), condition(&prefix, &v)))
            .collect();
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
            body.push_str(&detection(&prefix, &features, &runs, &d.init, &d.helpers));
            support = d.files;
        }
        let mut stubs = String::new();
        for u in &dispatching {
            let variants = variants_of(u);
            imports.extend(crate::sig::go_imports(&u.f.sig));
            body.push_str(&wrapper(
                package,
                (&prefix, base),
                arch,
                u,
                &variants,
                &mut imports,
                &mut stubs,
            ));
        }
        let mut s = format!("{HEADER}\n\n{tag}package {package}\n");
        s.push_str(&import_block(imports));
        s.push_str(&body);
        files.push(GoFile {
            name: format!("{base}_dispatch_{}.go", arch.goarch()),
            contents: s,
        });
        if !stubs.is_empty() {
            files.push(GoFile {
                name: format!("{base}_dispatch_{}.s", arch.goarch()),
                contents: format!("{HEADER}\n\n{tag}#include \"textflag.h\"\n{stubs}"),
            });
        }
        files.extend(support);
    }
    files
}

/// The `var` block of each feature's boolean and each variant's `runs` boolean,
/// `init` (the architecture's detection statements, then the variants'
/// conditions), `helpers`, and the GODEBUG switch.
fn detection(
    prefix: &str,
    features: &[Feature],
    runs: &[(String, String)],
    init: &str,
    helpers: &str,
) -> String {
    let mut s = String::new();
    s.push_str(
        "\n// CPU features the variants below need, detected once at init.\n// GODEBUG=cpu.<name>=off (or cpu.all=off) turns one off, as for the standard library.\nvar (\n",
    );
    let names: Vec<String> = features.iter().map(|f| f.go_var(prefix)).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    for n in &names {
        let _ = writeln!(s, "\t{n:<width$} bool");
    }
    s.push_str(")\n\n// Whether this CPU runs each variant: the dispatch stubs read them.\nvar (\n");
    let width = runs.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (n, _) in runs {
        let _ = writeln!(s, "\t{n:<width$} bool");
    }
    let _ = write!(s, ")\n\nfunc init() {{\n{init}");
    for (n, cond) in runs {
        let _ = writeln!(s, "\t{n} = {cond}");
    }
    s.push_str("}\n");
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
