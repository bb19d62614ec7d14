//! Go dispatch among a function's variants (one per block, func.rs): per
//! architecture a Go file with the detection (run once, at init), the variants'
//! declarations and the exported wrapper, which branches on package-level booleans
//! and calls the chosen assembly function directly; on amd64 the CPUID/XGETBV
//! helpers and the `GOAMD64` level constants that compile implied checks away.

use crate::features::{Feature, Probe};
use crate::func::{Arch, AsmFn};
use crate::gopkg::{doc_lines, go_signature, import_block, split_imports, GoFile, Unit, HEADER};
use crate::sig::go_ident;
use std::fmt::Write as _;

/// The Go name of a detected feature's boolean: `dotHasAvx2`.
fn has_var(prefix: &str, f: &Feature) -> String {
    format!("{prefix}Has{}", go_ident(&f.name.replace('.', ""), true))
}

/// The Go expression that is true when the CPU runs `variant`.
fn condition(prefix: &str, variant: &AsmFn) -> String {
    let b = &variant.blocks[0];
    let checks: Vec<String> = b.features.iter().map(|(f, _)| has_var(prefix, f)).collect();
    let all = checks.join(" && ");
    // A GOAMD64 level that implies every feature makes the check a constant.
    let level = b.features.iter().map(|(f, _)| f.goamd64).max().unwrap_or(0);
    if b.arch == Arch::Amd64 && level > 1 && b.features.iter().all(|(f, _)| f.goamd64 > 0) {
        format!("{prefix}GOAMD64 >= {level} || {all}")
    } else {
        all
    }
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
        let mut features: Vec<&'static Feature> = Vec::new();
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
        let mut imports: Vec<&str> = Vec::new();
        let mut body = String::new();
        if !features.is_empty() {
            imports.extend(["\"os\"", "\"strings\""]);
            body.push_str(&detection(&prefix, arch, &features, &mut imports));
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
        let tag = if restricted {
            ""
        } else {
            "//go:build !purego\n\n"
        };
        let mut s = format!("{HEADER}\n\n{tag}package {package}\n");
        s.push_str(&import_block(imports));
        s.push_str(&body);
        files.push(GoFile {
            name: format!("{base}_dispatch_{}.go", arch.goarch()),
            contents: s,
        });
        if arch == Arch::Amd64 && !features.is_empty() {
            files.extend(amd64_support(package, &prefix, base, tag));
        }
    }
    files
}

/// The `var` block, `init` and GODEBUG parsing for `features` of `arch`.
fn detection(prefix: &str, arch: Arch, features: &[&Feature], imports: &mut Vec<&str>) -> String {
    let mut s = String::new();
    s.push_str(
        "\n// CPU features the variants below need, detected once at init.\n// GODEBUG=cpu.<name>=off (or cpu.all=off) turns one off, as for the standard library.\nvar (\n",
    );
    let names: Vec<String> = features.iter().map(|f| has_var(prefix, f)).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    for n in &names {
        let _ = writeln!(s, "\t{n:<width$} bool");
    }
    s.push_str(")\n\nfunc init() {\n");
    match arch {
        Arch::Amd64 => {
            let _ = write!(
                s,
                "\tmaxLeaf, _, _, _ := {prefix}CPUID(0, 0)
	maxExt, _, _, _ := {prefix}CPUID(0x80000000, 0)
	var r1, r7, rExt [4]uint32
	r1[0], r1[1], r1[2], r1[3] = {prefix}CPUID(1, 0)
	if maxLeaf >= 7 {{
		r7[0], r7[1], r7[2], r7[3] = {prefix}CPUID(7, 0)
	}}
	if maxExt >= 0x80000001 {{
		rExt[0], rExt[1], rExt[2], rExt[3] = {prefix}CPUID(0x80000001, 0)
	}}
	// AVX and AVX-512 registers count only when the OS saves them (XCR0).
	var xcr0 uint32
	if r1[2]&(1<<27) != 0 {{
		xcr0, _ = {prefix}XGETBV()
	}}
"
            );
            for f in features {
                let Probe::Cpuid {
                    leaf,
                    reg,
                    bit,
                    os_state,
                } = f.probe
                else {
                    continue;
                };
                let regs = match leaf {
                    1 => "r1",
                    7 => "r7",
                    _ => "rExt",
                };
                let os = if os_state == 0 {
                    String::new()
                } else {
                    format!(" && xcr0&{os_state:#x} == {os_state:#x}")
                };
                let _ = writeln!(
                    s,
                    "\t{} = {regs}[{reg}]&(1<<{bit}) != 0{os} && {prefix}Enabled(\"{}\")",
                    has_var(prefix, f),
                    f.godebug()
                );
            }
        }
        Arch::Arm64 => {
            imports.push("\"runtime\"");
            let _ = write!(
                s,
                "\t// Linux reports features in the auxiliary vector; every Apple arm64 CPU\n\t// has the Apple baseline; elsewhere only the ARMv8.0 baseline is assumed.\n\tvar hwcap, hwcap2 uint64\n\tif runtime.GOOS == \"linux\" || runtime.GOOS == \"android\" {{\n\t\thwcap, hwcap2 = {prefix}Auxv()\n\t}}\n\tapple := runtime.GOOS == \"darwin\" || runtime.GOOS == \"ios\"\n\t_ = hwcap2\n"
            );
            for f in features {
                let Probe::Hwcap { hwcap2, bit } = f.probe else {
                    continue;
                };
                let word = if hwcap2 { "hwcap2" } else { "hwcap" };
                let apple = if f.apple { " || apple" } else { "" };
                let _ = writeln!(
                    s,
                    "\t{} = ({word}&(1<<{bit}) != 0{apple}) && {prefix}Enabled(\"{}\")",
                    has_var(prefix, f),
                    f.godebug()
                );
            }
        }
    }
    s.push_str("}\n");
    let _ = write!(
        s,
        "
// {prefix}Enabled reports whether GODEBUG leaves the feature on: cpu.<name>=off
// and cpu.all=off turn it off, the last setting wins.
func {prefix}Enabled(name string) bool {{
	on := true
	for _, kv := range strings.Split(os.Getenv(\"GODEBUG\"), \",\") {{
		switch kv {{
		case \"cpu.all=off\", \"cpu.\" + name + \"=off\":
			on = false
		case \"cpu.all=on\", \"cpu.\" + name + \"=on\":
			on = true
		}}
	}}
	return on
}}
"
    );
    match arch {
        Arch::Amd64 => {
            let _ = write!(
                s,
                "
// {prefix}CPUID executes CPUID with EAX and ECX set (in {prefix}_cpu_amd64.s).
func {prefix}CPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// {prefix}XGETBV reads XCR0 (in {prefix}_cpu_amd64.s).
func {prefix}XGETBV() (eax, edx uint32)
"
            );
        }
        Arch::Arm64 => {
            let _ = write!(
                s,
                "
// {prefix}Auxv reads AT_HWCAP (16) and AT_HWCAP2 (26) from /proc/self/auxv.
func {prefix}Auxv() (hwcap, hwcap2 uint64) {{
	b, err := os.ReadFile(\"/proc/self/auxv\")
	if err != nil {{
		return 0, 0
	}}
	word := func(b []byte) uint64 {{
		var v uint64
		for i := 7; i >= 0; i-- {{
			v = v<<8 | uint64(b[i])
		}}
		return v
	}}
	for i := 0; i+16 <= len(b); i += 16 {{
		switch word(b[i:]) {{
		case 16:
			hwcap = word(b[i+8:])
		case 26:
			hwcap2 = word(b[i+8:])
		}}
	}}
	return hwcap, hwcap2
}}
"
            );
        }
    }
    s
}

/// CPUID/XGETBV in Go assembly and the `GOAMD64` level constant, one file per
/// level so the level the build targets is a compile-time constant.
fn amd64_support(package: &str, prefix: &str, base: &str, tag: &str) -> Vec<GoFile> {
    let purego = if tag.is_empty() { "" } else { " && !purego" };
    let asm = format!(
        "{HEADER}\n\n{tag}#include \"textflag.h\"\n
// func {prefix}CPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·{prefix}CPUID(SB), NOSPLIT, $0-24
\tMOVL\teaxArg+0(FP), AX
\tMOVL\tecxArg+4(FP), CX
\tCPUID
\tMOVL\tAX, eax+8(FP)
\tMOVL\tBX, ebx+12(FP)
\tMOVL\tCX, ecx+16(FP)
\tMOVL\tDX, edx+20(FP)
\tRET

// func {prefix}XGETBV() (eax, edx uint32)
TEXT ·{prefix}XGETBV(SB), NOSPLIT, $0-8
\tMOVL\t$0, CX
\tXGETBV
\tMOVL\tAX, eax+0(FP)
\tMOVL\tDX, edx+4(FP)
\tRET
"
    );
    let mut files = vec![GoFile {
        name: format!("{base}_cpu_amd64.s"),
        contents: asm,
    }];
    for level in 1..=4u8 {
        let mut terms = Vec::new();
        if level > 1 {
            terms.push(format!("amd64.v{level}"));
        }
        if level < 4 {
            terms.push(format!("!amd64.v{}", level + 1));
        }
        files.push(GoFile {
            name: format!("{base}_goamd64v{level}_amd64.go"),
            contents: format!(
                "{HEADER}\n\n//go:build {}{purego}\n\npackage {package}\n\n// {prefix}GOAMD64 is the GOAMD64 level of the build: the features it implies\n// need no check at run time.\nconst {prefix}GOAMD64 = {level}\n",
                terms.join(" && ")
            ),
        });
    }
    files
}
