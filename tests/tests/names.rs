//! Names that reach other tools: native symbols (unique per crate, version and
//! source file), and the stack note of ELF objects. Checked by linking real C
//! programs against libc and reading their program headers with `readelf`.

use go_asm_build::native::{Linkage, Target};
use go_asm_build::symbol::CrateId;
use go_asm_build::{Arch, Package};
use go_asm_tests::{run, run_c_program, tool};
use std::path::{Path, PathBuf};

fn linux(arch: Arch) -> Target {
    let rust = match arch {
        Arch::Amd64 => "x86_64",
        Arch::Arm64 => "aarch64",
    };
    Target::for_rust_target(rust, "linux").expect("linux target")
}

/// `fn sum(a, b)` returning `a + b` plus `k`, so each copy is told apart.
fn sum_source(k: u64) -> String {
    format!(
        r#"
#[go_asm]
pub fn sum(a: u64, b: u64) -> u64 {{
    amd64! {{
        add a, b
        add a, {k}
        return a
    }}
    arm64! {{
        add a, a, b
        add a, a, #{k}
        return a
    }}
    go! {{
        return a + b + {k}
    }}
}}
"#
    )
}

/// `fn strlen(s: &str) -> u64`, which answers 1000 + the length: a go-asm
/// function that must not replace libc's `strlen`.
const STRLEN: &str = r#"
#[go_asm]
pub fn strlen(s: &str) -> u64 {
    amd64! {
        add s.len, 1000
        return s.len
    }
    arm64! {
        add s.len, s.len, #1000
        return s.len
    }
    go! {
        return uint64(len(s)) + 1000
    }
}
"#;

/// One package of crate `name`@`version` from `text` at `<root>/src/<file>`:
/// writes its header and object for `target` into `out`, returns the object and
/// the symbol of each function.
fn package_object(
    out: &Path,
    id: (&str, &str),
    file: &str,
    text: &str,
    target: Target,
) -> (PathBuf, Vec<String>) {
    let root = out.join(format!("{}-{}", id.0, id.1));
    let src = root.join("src").join(file);
    std::fs::create_dir_all(src.parent().unwrap()).unwrap();
    std::fs::write(&src, text).unwrap();
    let base = format!("{}_{}_{}", id.0, id.1, file.replace(".rs", "")).replace(['-', '.'], "_");
    let pkg = Package::new("k", root.join("go"))
        .source(&src)
        .file_base(&base)
        .crate_id(CrateId {
            name: id.0.into(),
            version: id.1.into(),
            root: root.clone(),
        });
    let (sources, built) = pkg.compile().expect("compiles");
    for f in pkg.render_built(&sources, &built) {
        if f.name.ends_with(".h") {
            std::fs::write(out.join(&f.name), &f.contents).unwrap();
        }
    }
    let obj = out.join(format!("{base}.o"));
    std::fs::write(
        &obj,
        pkg.native_object(&sources, &built, target, Linkage::Relocatable)
            .unwrap(),
    )
    .unwrap();
    let symbols = sources
        .iter()
        .flat_map(|s| s.fns.iter().map(|f| f.symbol.clone()))
        .collect();
    (obj, symbols)
}

/// Four `sum`s (two crates, two versions of one crate, two files of one crate)
/// and a `strlen`, linked into one static C program that also calls libc's
/// `strlen`: each call reaches its own function.
fn same_names_link_apart(arch: Arch) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let target = linux(arch);
    let copies = [
        (("crate-a", "1.0.0"), "sum.rs", 1),
        (("crate-b", "1.0.0"), "sum.rs", 2),
        (("crate-a", "2.0.0"), "sum.rs", 3),
        (("crate-a", "1.0.0"), "other.rs", 4),
    ];
    let mut inputs = Vec::new();
    let mut main = String::from("#include <stdio.h>\n#include <string.h>\n");
    let mut checks = String::new();
    for (id, file, k) in copies {
        let (obj, syms) = package_object(out, id, file, &sum_source(k), target);
        inputs.push(obj);
        let _ = std::fmt::Write::write_fmt(
            &mut checks,
            format_args!(
                "    if ({0}(2, 3) != 5 + {k}) {{ printf(\"FAIL {0}\\n\"); bad++; }}\n",
                syms[0]
            ),
        );
    }
    let (obj, syms) = package_object(out, ("crate-a", "1.0.0"), "strlen.rs", STRLEN, target);
    inputs.push(obj);
    for h in std::fs::read_dir(out).unwrap().flatten() {
        let name = h.file_name().to_string_lossy().to_string();
        if name.ends_with(".h") {
            main.push_str(&format!("#include \"{name}\"\n"));
        }
    }
    main.push_str(&format!(
        "int main(void) {{\n    int bad = 0;\n{checks}\
         \x20   if (strlen(\"hello\") != 5) {{ printf(\"FAIL libc strlen\\n\"); bad++; }}\n\
         \x20   if ({0}((const uint8_t *)\"hello\", 5) != 1005) {{ printf(\"FAIL {0}\\n\"); bad++; }}\n\
         \x20   printf(\"symbols: 5 go-asm functions and libc strlen, %d failures\\n\", bad);\n\
         \x20   return bad != 0;\n}}\n",
        syms[0]
    ));
    let c = out.join("main.c");
    std::fs::write(&c, main).unwrap();
    inputs.insert(0, c);
    let exe = out.join("prog");
    let got = run_c_program(arch, out, &inputs, &exe);
    assert!(got.contains(" 0 failures"), "{got}");
    format!("{}\n{}", got.trim(), stack_is_not_executable(&exe))
}

/// The objects carry `.note.GNU-stack`: without it the linker marks the program's
/// stack executable (GNU_STACK RWE) and warns.
fn stack_is_not_executable(exe: &Path) -> String {
    let headers = run(tool("readelf").arg("-lW").arg(exe));
    let stack = headers
        .lines()
        .find(|l| l.trim_start().starts_with("GNU_STACK"))
        .unwrap_or_else(|| panic!("no GNU_STACK program header:\n{headers}"));
    let flags = stack.split_whitespace().nth(6).unwrap_or("");
    assert!(
        !flags.contains('E'),
        "the linked program has an executable stack: {stack}"
    );
    format!("GNU_STACK {flags}")
}

#[test]
fn same_names_in_two_crates_versions_and_files_link_apart_amd64() {
    println!("{}", same_names_link_apart(Arch::Amd64));
}

#[test]
fn same_names_in_two_crates_versions_and_files_link_apart_arm64_under_qemu() {
    println!("{}", same_names_link_apart(Arch::Arm64));
}
