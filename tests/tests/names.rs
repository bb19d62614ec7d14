//! Names that reach other tools: native symbols (unique per crate, version and
//! source file), and the stack note of ELF objects. Checked by linking real C
//! programs against libc and reading their program headers with `readelf`.

use go_asm_build::internal::native::{Linkage, Target};
use go_asm_build::internal::symbol::CrateId;
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
/// function that must not replace libc's `strlen`; and one with an exact C name.
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

/// ExactSum is exported under the exact C name it asks for.
#[go_asm(c_name = "exact_sum")]
pub fn exact_sum(a: u64, b: u64) -> u64 {
    amd64! {
        add a, b
        return a
    }
    arm64! {
        add a, a, b
        return a
    }
    go! {
        return a + b
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

/// Four `sum`s (two crates, two versions of one crate, two files of one crate),
/// a `strlen` and an `exact_sum` (`c_name`), linked into one static C program that also calls libc's
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
         \x20   if ({1}(40, 2) != 42) {{ printf(\"FAIL {1}\\n\"); bad++; }}\n\
         \x20   printf(\"symbols: 6 go-asm functions and libc strlen, %d failures\\n\", bad);\n\
         \x20   return bad != 0;\n}}\n",
        syms[0], syms[1]
    ));
    assert_eq!(syms[1], "exact_sum", "an explicit c_name is the symbol");
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

/// Names Go, C or Rust would trip on, each accepted and made to work: raw
/// identifiers, pub functions named like Go's predeclared and reserved names
/// (exported, they are `Uint64`, `Init`, `Main`), parameters named like C and C++
/// keywords and header types (renamed `int_` in the header), and a struct with such
/// fields.
const ODD_NAMES: &str = r#"
#[go_asm]
#[repr(C)]
pub struct Pair {
    pub int: u64,
    pub class: u64,
}

#[go_asm]
pub fn uint64(r#match: u64, int: u64, new: u64, class: u64, char: u64, size_t: u64, uint64: u64) -> u64 {
    amd64! {
        add match, int
        add match, new
        add match, class
        add match, char
        add match, size_t
        add match, uint64
        return match
    }
    arm64! {
        add match, match, int
        add match, match, new
        add match, match, class
        add match, match, char
        add match, match, size_t
        add match, match, uint64
        return match
    }
    go! {
        return match + int + new + class + char + sizeT + uint64
    }
}

#[go_asm]
pub fn init(r#fn: &[u8], bool: bool) -> u64 {
    amd64! {
        return fn.len
    }
    arm64! {
        return fn.len
    }
    go! {
        _ = bool
        return uint64(len(fn))
    }
}

#[go_asm]
pub fn r#main(operator: &Pair) -> u64 {
    amd64! {
        let t: gp64
        mov t, qword [operator]
        add t, qword [operator + 8]
        return t
    }
    arm64! {
        let t: x, u: x
        ldr t, [operator]
        ldr u, [operator, #8]
        add t, t, u
        return t
    }
    go! {
        return operator.Int + operator.Class
    }
}
"#;

#[test]
fn odd_names_give_go_c_cpp_and_rust_that_build() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("odd.rs");
    std::fs::write(&src, ODD_NAMES).unwrap();
    let out = dir.path().join("odd");
    let pkg = Package::new("odd", &out).source(&src);
    let (sources, built) = pkg.compile().expect("compiles");
    pkg.generate().expect("generates");
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/odd\n\ngo 1.21\n",
    )
    .unwrap();
    let go = |goarch: &str, tags: &[&str]| {
        run(tool("go")
            .current_dir(dir.path())
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .env("CGO_ENABLED", "0")
            .arg("vet")
            .args(tags)
            .arg("./..."));
    };
    go("amd64", &[]);
    go("arm64", &[]);
    go("amd64", &["-tags", "purego"]);
    let header = std::fs::read_to_string(out.join("odd.h")).unwrap();
    for renamed in [
        "uint64_t int_",
        "uint64_t new_",
        "uint64_t class_",
        "bool bool_",
    ] {
        assert!(header.contains(renamed), "no `{renamed}` in\n{header}");
    }
    // The header as C and C++, strictly.
    for (cc, lang) in [("cc", "c"), ("c++", "c++")] {
        run(tool(cc)
            .args([
                "-fsyntax-only",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
                "-x",
                lang,
            ])
            .arg(out.join("odd.h")));
    }
    // The Rust wrapper's extern declaration is valid Rust (`r#match`, `r#fn`).
    for f in sources.iter().flat_map(|s| s.fns.iter()) {
        let (decls, _) = go_asm_build::internal::rust_abi::extern_params(&f.sig);
        let decls: Vec<String> = decls.iter().map(|d| d.to_string()).collect();
        let item = format!("extern \"C\" {{ fn f({}); }}", decls.join(", "));
        syn::parse_str::<syn::ItemForeignMod>(&item)
            .unwrap_or_else(|e| panic!("{}: `{item}`: {e}", f.sig.name));
    }
    // And the C program calling them through the renamed parameters.
    let obj = dir.path().join("odd.o");
    let target = linux(Arch::Amd64);
    std::fs::write(
        &obj,
        pkg.native_object(&sources, &built, target, Linkage::Relocatable)
            .unwrap(),
    )
    .unwrap();
    // By symbol: GO_ASM_SHORT_NAMES would make `main` a macro.
    let sym: Vec<&str> = sources
        .iter()
        .flat_map(|s| s.fns.iter().map(|f| f.symbol.as_str()))
        .collect();
    let main = dir.path().join("main.c");
    std::fs::write(
        &main,
        format!(
            "#include <stdio.h>\n#include \"odd.h\"\n\
             int main(void) {{\n\
             \x20   struct Pair p = {{40, 2}};\n\
             \x20   int ok = {}(1, 2, 3, 4, 5, 6, 7) == 28 && {}((const uint8_t *)\"abc\", 3, 3, true) == 3 && {}(&p) == 42;\n\
             \x20   printf(\"odd names: %s\\n\", ok ? \"ok\" : \"FAIL\");\n\
             \x20   return !ok;\n}}\n",
            sym[0], sym[1], sym[2]
        ),
    )
    .unwrap();
    let got = run_c_program(Arch::Amd64, &out, &[main, obj], &dir.path().join("prog"));
    assert!(got.contains("odd names: ok"), "{got}");
}
