//! The parameter names go-asm refuses as Go assembler registers (issue 10,
//! defect 2) are exactly the names Go's assembler reads as registers in a frame
//! reference `name+0(FP)`, on amd64 or arm64. The candidates come from Go's own
//! register tables in GOROOT (amd64's `Register` list, arm64's system registers)
//! plus every numbered family and near misses; `go tool asm` decides.

use go_asm_build::internal::register_names::clash;
use go_asm_tests::run;
use std::collections::BTreeSet;
use std::process::Command;

/// Quoted names in the GOROOT source file `path` whose line matches `filter`.
fn goroot_names(goroot: &str, path: &str, filter: impl Fn(&str) -> bool) -> Vec<String> {
    let text = std::fs::read_to_string(format!("{goroot}/src/{path}"))
        .unwrap_or_else(|e| panic!("cannot read {path} in GOROOT: {e}"));
    text.lines()
        .filter(|l| filter(l))
        .filter_map(|l| l.split('"').nth(1).map(str::to_string))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .collect()
}

/// The candidates `go tool asm` rejects in a frame reference for `goarch`.
fn rejected(
    dir: &std::path::Path,
    goarch: &str,
    goroot: &str,
    names: &[String],
) -> BTreeSet<String> {
    let mov = if goarch == "amd64" { "MOVQ" } else { "MOVD" };
    let reg = if goarch == "amd64" { "AX" } else { "R0" };
    let mut src = String::from("#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0-8\n");
    for n in names {
        src.push_str(&format!("\t{mov}\t{n}+0(FP), {reg}\n"));
    }
    src.push_str("\tRET\n");
    let file = dir.join(format!("f_{goarch}.s"));
    std::fs::write(&file, &src).unwrap();
    let out = Command::new("go")
        .args(["tool", "asm", "-e", "-p", "x", "-I"])
        .arg(format!("{goroot}/pkg/include"))
        .arg("-o")
        .arg(dir.join("f.o"))
        .arg(&file)
        .env("GOARCH", goarch)
        .env("GOOS", "linux")
        .output()
        .expect("go tool asm runs");
    let err = String::from_utf8_lossy(&out.stderr);
    let mut bad = BTreeSet::new();
    for line in err.lines() {
        let Some(n) = line.split(':').nth(1).and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        // Line 3 is the first name.
        bad.insert(names[n - 3].clone());
    }
    bad
}

#[test]
fn go_register_names_are_refused_exactly() {
    let goroot = run(Command::new("go").args(["env", "GOROOT"]))
        .trim()
        .to_string();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let amd64 = goroot_names(&goroot, "cmd/internal/obj/x86/list6.go", |l| {
        l.trim_start().starts_with('"')
    });
    assert!(
        amd64.len() > 100,
        "amd64 register list not found: {amd64:?}"
    );
    names.extend(amd64.into_iter().filter(|n| n != "MAXREG"));
    let sysregs = goroot_names(&goroot, "cmd/internal/obj/arm64/sysRegEnc.go", |l| {
        l.trim_start().starts_with("{\"")
    });
    assert!(sysregs.len() > 100, "arm64 system registers not found");
    // A Go parameter name made by go-asm has no underscore after its first letter.
    names.extend(sysregs.into_iter().filter(|n| !n.contains('_')));
    for prefix in [
        "R", "F", "V", "X", "Y", "Z", "K", "M", "CR", "DR", "TR", "W",
    ] {
        for n in 0..=40 {
            names.insert(format!("{prefix}{n}"));
            names.insert(format!("{prefix}{n}B"));
        }
        names.insert(format!("{prefix}01"));
    }
    for n in [
        "RSP", "ZR", "LR", "SB", "FP", "PC", "SP", "g", "G", "XZR", "WZR", "RSB", "FLAGS", "Sp",
        "sp", "fp", "pc", "sb", "ax", "r0", "AXE", "NZCVX", "ret",
    ] {
        names.insert(n.to_string());
    }
    let names: Vec<String> = names.into_iter().collect();
    let dir = tempfile::tempdir().unwrap();
    let mut go_rejects = rejected(dir.path(), "amd64", &goroot, &names);
    go_rejects.extend(rejected(dir.path(), "arm64", &goroot, &names));
    let mut wrong = Vec::new();
    for n in &names {
        let refused = clash(n, n).is_some();
        // Lower-case names are refused as DSL registers (`sp`, `fp`, `r0`...),
        // whatever Go makes of them; the Go rule is about the rest.
        let dsl = clash(n, "a").is_some();
        if !dsl && refused != go_rejects.contains(n) {
            wrong.push(format!(
                "{n}: go-asm {}, go tool asm {}",
                if refused { "refuses" } else { "accepts" },
                if go_rejects.contains(n) {
                    "rejects"
                } else {
                    "accepts"
                }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    go_asm_tests::report(&format!(
        "register-named parameters: {} names tried, {} refused, matching go tool asm on amd64 and arm64",
        names.len(),
        names.iter().filter(|n| clash(n, n).is_some()).count()
    ));
}
