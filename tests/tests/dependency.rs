//! go-asm as a dependency: the four crates package (and verify) together, and
//! fresh crates outside this workspace, made from exactly the README's "Add it to
//! your crate" blocks with path dependencies standing in for the registry, build,
//! report DSL errors at their tokens under `cargo check`, and get clear errors
//! where no native body is linked. Every outside build is offline and shares one
//! target dir under target/, kept between runs.

use go_asm_tests::{repo_root, tool};
use std::path::{Path, PathBuf};
use std::process::Command;

const PUBLISHED: [&str; 4] = ["go-asm", "go-asm-build", "go-asm-macros", "go-asm-cli"];

/// The target dir of every cargo run here (the outer `cargo test` holds its own):
/// the one package_files.rs builds its probe crate in, which has the same
/// dependencies, so they are compiled once.
fn outside_target() -> PathBuf {
    repo_root().join("target/rerun-probe")
}

/// Where `cargo package` packs and verifies: its own directory, emptied first.
/// Cargo takes a registry crate of an unchanged name and version as unchanged (its
/// .crate, its unpacked sources, its compiled library), so in a shared target
/// directory a rerun verified go-asm-macros against the previous run's go-asm-build.
fn package_target() -> PathBuf {
    repo_root().join("target/package-probe")
}

/// `cargo <args> --offline` in `dir`: success, stdout and stderr.
fn cargo(dir: &Path, args: &[&str]) -> (bool, String, String) {
    cargo_in(dir, args, &outside_target())
}

/// [`cargo`] with the target directory `target`.
fn cargo_in(dir: &Path, args: &[&str], target: &Path) -> (bool, String, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(dir)
        .args(args)
        .arg("--offline")
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("GO_ASM_CHECK")
        .output()
        .expect("run cargo");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn readme() -> String {
    std::fs::read_to_string(repo_root().join("README.md")).expect("read README.md")
}

/// The fenced blocks of `text`, each without its fences.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some(String::new()),
            }
        } else if let Some(block) = &mut current {
            block.push_str(line);
            block.push('\n');
        }
    }
    out
}

/// The block of the README's "Add it to your crate" section that starts with
/// `first_line`.
fn setup_block(first_line: &str) -> String {
    let text = readme();
    let start = text
        .find("\n## Add it to your crate\n")
        .expect("README has an \"Add it to your crate\" section");
    let section = &text[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    blocks(section)
        .into_iter()
        .find(|b| b.starts_with(first_line))
        .unwrap_or_else(|| panic!("no block starting `{first_line}` in the section"))
}

/// The `sum` function at the top of the README: the first Rust block.
fn readme_sum() -> String {
    blocks(&readme())
        .into_iter()
        .find(|b| b.starts_with("use go_asm::go_asm;"))
        .expect("the README's first example")
}

/// A crate named `name` in a fresh temp dir (outside any workspace) made of the
/// README's blocks; `build_rs` replaces the README's build.rs when given.
fn outside_crate(name: &str, build_rs: Option<String>) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::Builder::new()
        .prefix("go-asm-outside")
        .tempdir_in(std::env::temp_dir())
        .expect("temp dir");
    let krate = t.path().join(name);
    std::fs::create_dir_all(krate.join("src")).expect("mkdir");
    let mut manifest = setup_block("# Cargo.toml");
    for (dep, dir) in [("go-asm", "runtime"), ("go-asm-build", "build-support")] {
        let line = format!("{dep} = \"0.1\"");
        assert!(
            manifest.contains(&line),
            "the README's Cargo.toml lacks `{line}`"
        );
        let path = repo_root().join(dir);
        manifest = manifest.replace(
            &line,
            &format!(
                "{dep} = {{ version = \"0.1\", path = \"{}\" }}",
                path.display()
            ),
        );
    }
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{manifest}"
    );
    let write = |file: &str, text: &str| {
        std::fs::write(krate.join(file), text).unwrap_or_else(|e| panic!("write {file}: {e}"))
    };
    write("Cargo.toml", &manifest);
    write(
        "build.rs",
        &build_rs.unwrap_or_else(|| setup_block("// build.rs")),
    );
    write("src/lib.rs", &setup_block("// src/lib.rs"));
    write("src/sum.rs", &readme_sum());
    // Offline resolution picks the versions this workspace already uses.
    std::fs::copy(repo_root().join("Cargo.lock"), krate.join("Cargo.lock")).expect("lock file");
    (t, krate)
}

/// Removes the sources cargo extracted from the temporary registry of an earlier
/// `cargo package` run: cargo reuses an extracted crate of the same name and
/// version without comparing checksums, so a rerun would verify go-asm-macros
/// against the previous run's go-asm-build. Only local registries (their source
/// directories' names start with `-`) and only the published crates are touched.
fn forget_packaged_sources() {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return;
    };
    for r in registries.flatten() {
        if !r.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for p in PUBLISHED {
            let dir = r.path().join(format!("{p}-0.1.0"));
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .unwrap_or_else(|e| panic!("remove {}: {e}", dir.display()));
            }
        }
    }
}

#[test]
fn the_published_crates_package_and_verify_together() {
    let target = package_target();
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .unwrap_or_else(|e| panic!("remove {}: {e}", target.display()));
    }
    forget_packaged_sources();
    let mut args = vec!["package", "--allow-dirty"];
    for p in PUBLISHED {
        args.extend(["-p", p]);
    }
    let (ok, _, stderr) = cargo_in(&repo_root(), &args, &target);
    assert!(ok, "cargo package failed:\n{stderr}");
    for p in PUBLISHED {
        let file = target.join(format!("package/{p}-0.1.0.crate"));
        let list = tool("tar").arg("tzf").arg(&file).output().expect("tar");
        let list = String::from_utf8_lossy(&list.stdout).into_owned();
        for needed in ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "Cargo.toml"] {
            assert!(
                list.lines().any(|l| l == format!("{p}-0.1.0/{needed}")),
                "{p}'s package lacks {needed}:\n{list}"
            );
        }
    }
    // go-asm's README is its own, not the call runtime's page; the Go module is not
    // part of the crate.
    let crate_file = target.join("package/go-asm-0.1.0.crate");
    let readme = tool("tar")
        .arg("xzOf")
        .arg(&crate_file)
        .arg("go-asm-0.1.0/README.md")
        .output()
        .expect("tar");
    let readme = String::from_utf8_lossy(&readme.stdout);
    assert!(readme.starts_with("# go-asm\n"), "{readme}");
    assert!(
        !readme.contains("calling C-ABI code from Go without cgo"),
        "{readme}"
    );
}

#[test]
fn a_fresh_crate_from_the_readme_builds_runs_and_its_package_is_a_go_module() {
    let (_t, krate) = outside_crate("fresh", None);
    std::fs::create_dir_all(krate.join("tests")).expect("mkdir");
    std::fs::write(
        krate.join("tests/call.rs"),
        "#[test]\nfn sums() {\n    assert_eq!(fresh::sum(&[1, 2, u64::MAX]), 2);\n    assert_eq!(fresh::sum(&[]), 0);\n}\n",
    )
    .expect("write the test");
    let (ok, stdout, stderr) = cargo(&krate, &["test"]);
    assert!(ok, "cargo test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("test sums ... ok"), "{stdout}");
    let pkg = krate.join("go/sum");
    let go_mod = std::fs::read_to_string(pkg.join("go.mod")).expect("go.mod is written");
    assert!(go_mod.contains("\nmodule example.com/sum\n"), "{go_mod}");
    let go = |args: &[&str]| {
        let out = tool("go")
            .args(args)
            .current_dir(&pkg)
            .output()
            .expect("go");
        assert!(
            out.status.success(),
            "go {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    go(&["vet", "./..."]);
    // Go reads the package comment and the generated-file header as such.
    // In every build of it: the assembly one, the pure-Go one and another GOARCH's.
    let doc = "Package sum is generated by go-asm from src/sum.rs.";
    assert_eq!(go(&["list", "-f", "{{.Doc}}", "."]).trim(), doc);
    assert_eq!(
        go(&["list", "-tags", "purego", "-f", "{{.Doc}}", "."]).trim(),
        doc
    );
    let other = tool("go")
        .args(["list", "-f", "{{.Doc}}", "."])
        .env("GOARCH", "riscv64")
        .current_dir(&pkg)
        .output()
        .expect("go list");
    assert_eq!(String::from_utf8_lossy(&other.stdout).trim(), doc);
    let header = std::fs::read_to_string(pkg.join("sum_asm.go")).expect("stub file");
    assert!(
        header.starts_with("// Code generated by go-asm from src/sum.rs. DO NOT EDIT.\n"),
        "{header}"
    );
}

#[test]
fn a_wrong_mnemonic_outside_the_workspace_is_an_error_at_its_token_under_cargo_check() {
    // The README's build.rs without go_module: the package is in no Go module.
    let build_rs: String = setup_block("// build.rs")
        .lines()
        .filter(|l| !l.contains(".go_module("))
        .map(|l| format!("{l}\n"))
        .collect();
    let (_t, krate) = outside_crate("mnemonic", Some(build_rs));
    let (ok, _, stderr) = cargo(&krate, &["check"]);
    assert!(ok, "cargo check of the README's crate failed:\n{stderr}");
    assert!(
        stderr.contains("go-asm: go/sum is not inside a Go module")
            && stderr.contains("module example.com/yourmodule"),
        "no warning about the missing go.mod:\n{stderr}"
    );
    let package_before = read_dir_sorted(&krate.join("go/sum"));

    let source = krate.join("src/sum.rs");
    let text = std::fs::read_to_string(&source).expect("read the source");
    let good = "add total, qword [xs.ptr]";
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(good).map(|c| (i + 1, c + 1)))
        .expect("the example's add line");
    std::fs::write(&source, text.replace(good, "addd total, qword [xs.ptr]")).expect("write");
    let (ok, _, stderr) = cargo(&krate, &["check"]);
    assert!(!ok, "cargo check accepted `addd`:\n{stderr}");
    // rustc's own diagnostic, from #[go_asm], at the mnemonic.
    assert!(
        stderr.contains(&format!("--> src/sum.rs:{line}:{col}")),
        "the error is not at src/sum.rs:{line}:{col}:\n{stderr}"
    );
    assert!(
        stderr.contains("error: unknown") || stderr.contains("`addd`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("failed to run custom build command"),
        "the build script failed instead of leaving the error to the attribute:\n{stderr}"
    );
    // The build step said the same, and wrote nothing.
    assert!(
        stderr.contains(&format!("go-asm: src/sum.rs:{line}:{col}: ")),
        "the build step's warning does not locate the error:\n{stderr}"
    );
    assert_eq!(read_dir_sorted(&krate.join("go/sum")), package_before);
}

#[test]
fn only_arches_leaving_out_the_target_is_a_build_error_naming_it() {
    // The host's architecture left out, while sum has a block for it.
    let other = if cfg!(target_arch = "x86_64") {
        "Arm64"
    } else {
        "Amd64"
    };
    let build_rs = format!(
        "fn main() {{\n    go_asm_build::Package::new(\"sum\", \"go/sum\")\n        .source(\"src/sum.rs\")\n        .only_arches(&[go_asm_build::Arch::{other}])\n        .build();\n}}\n"
    );
    let (_t, krate) = outside_crate("restricted", Some(build_rs));
    let (ok, _, stderr) = cargo(&krate, &["check"]);
    assert!(!ok, "the build succeeded:\n{stderr}");
    let host = std::env::consts::ARCH;
    assert!(
        stderr.contains("is restricted by only_arches")
            && stderr.contains(&format!("exists on target {host}-")),
        "no error naming the target:\n{stderr}"
    );
}

#[test]
fn on_a_target_without_a_native_backend_the_build_script_links_nothing_and_says_so() {
    // Only x86_64 std is installed here, so the crate's build script runs as cargo
    // would run it for riscv64: the same binary, with that target's environment.
    let (_t, krate) = outside_crate("riscv", None);
    let (ok, _, stderr) = cargo(&krate, &["check"]);
    assert!(ok, "cargo check failed:\n{stderr}");
    let script = std::fs::read_dir(outside_target().join("debug/build"))
        .expect("build dirs")
        .filter_map(|e| {
            let path = e.ok()?.path().join("build-script-build");
            let name = path.parent()?.file_name()?.to_string_lossy().into_owned();
            let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
            name.starts_with("riscv-").then_some((modified, path))
        })
        .max()
        .expect("the crate's build script")
        .1;
    let out_dir = krate.join("out");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    let out = Command::new(script)
        .current_dir(&krate)
        .env("CARGO_MANIFEST_DIR", &krate)
        .env("CARGO_PKG_NAME", "riscv")
        .env("CARGO_PKG_VERSION", "0.1.0")
        .env("CARGO_CFG_TARGET_ARCH", "riscv64")
        .env("CARGO_CFG_TARGET_OS", "linux")
        .env("TARGET", "riscv64gc-unknown-linux-gnu")
        .env("OUT_DIR", &out_dir)
        .env_remove("GO_ASM_CHECK")
        .output()
        .expect("run the build script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "cargo:warning=go-asm: no native backend for target riscv64gc-unknown-linux-gnu"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("rustc-link-lib"),
        "something was linked:\n{stdout}"
    );
    assert_eq!(std::fs::read_dir(&out_dir).expect("OUT_DIR").count(), 0);
}

/// Every file of `dir` with its contents, sorted by name.
fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read the package")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}
