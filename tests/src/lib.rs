//! Helpers for go-asm's integration tests: run the real tools (and fail loudly when
//! one is missing), parse `go tool asm -S` listings, and find the examples.

pub mod rng;
pub mod sigs;

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

/// The callee-saved sentinel harness for `arch` (`tests/fixtures/sentinels_*.S`):
/// `uint64_t call_with_sentinels(void *fn, uint64_t a, uint64_t b, int *ok)` puts a
/// sentinel in every callee-saved register of the C ABI, calls `fn(a, b)`, and sets
/// `*ok` when every register and the stack pointer survived.
pub fn sentinel_harness(arch: go_asm_build::Arch) -> PathBuf {
    repo_root().join(match arch {
        go_asm_build::Arch::Amd64 => "tests/fixtures/sentinels_amd64.S",
        go_asm_build::Arch::Arm64 => "tests/fixtures/sentinels_arm64.S",
    })
}

/// Builds a static linux program for `arch` from C, assembly and object `inputs`
/// (with `include` on the include path) into `exe` and runs it: natively on amd64,
/// under qemu-aarch64 on arm64. Panics unless both succeed; returns the output.
pub fn run_c_program(
    arch: go_asm_build::Arch,
    include: &Path,
    inputs: &[PathBuf],
    exe: &Path,
) -> String {
    let cc = match arch {
        go_asm_build::Arch::Amd64 => "cc",
        go_asm_build::Arch::Arm64 => "aarch64-linux-gnu-gcc",
    };
    run(tool(cc)
        .args(["-std=c11", "-O1", "-Wall", "-Werror", "-static", "-I"])
        .arg(include)
        .args(inputs)
        .arg("-o")
        .arg(exe));
    match arch {
        go_asm_build::Arch::Amd64 => run(&mut Command::new(exe)),
        go_asm_build::Arch::Arm64 => run(tool("qemu-aarch64").arg(exe)),
    }
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

/// Whether the Go-assembled bytes of a function (`go`) hold the `body` go-asm
/// compiled, at an instruction boundary of `arch`.
pub fn go_bytes_hold_body(go: &[u8], body: &[u8], arch: go_asm_build::Arch) -> bool {
    let step = if arch == go_asm_build::Arch::Arm64 {
        4
    } else {
        1
    };
    (0..=go.len().saturating_sub(body.len()))
        .step_by(step)
        .any(|k| go[k..].starts_with(body))
}

/// Asserts that the native object `file` (its `.text` bytes `text`) holds `f`'s
/// compiled body `c` inside its symbol for `target`, and that Go's assembled bytes
/// `go` of the same function hold it too.
pub fn assert_body_in_object_and_go(
    file: &object::File,
    text: &[u8],
    f: &go_asm_build::internal::func::AsmFn,
    c: &go_asm_build::internal::compile::Compiled,
    target: go_asm_build::Target,
    go: &[u8],
) {
    use object::{Object, ObjectSymbol};
    let native = go_asm_build::internal::native::native_fn(f, c, target).unwrap();
    let sym = file
        .symbols()
        .find(|s| s.name() == Ok(f.symbol.as_str()))
        .unwrap_or_else(|| panic!("{}: no symbol {}", f.sig.name, f.symbol));
    let start = sym.address() as usize + native.body_offset as usize;
    let body = &text[start..start + native.body_len as usize];
    assert_eq!(
        body,
        &c.bytes[..],
        "{}: the object holds the body",
        f.sig.name
    );
    assert!(
        go_bytes_hold_body(go, body, target.arch),
        "{:?} {}: Go-assembled bytes do not contain the native body",
        target.arch,
        f.sig.name
    );
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
    example_list::PACKAGES
        .iter()
        .map(|n| {
            (
                n.to_string(),
                root.join(format!("src/{n}.rs")),
                root.join(format!("go/{n}")),
            )
        })
        .collect()
}

/// The example crate's package list, as its build script reads it.
mod example_list {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/kernels/src/packages.rs"
    ));
}

/// The example package that carries the call runtime, and the runtime's directory
/// relative to examples/kernels.
pub fn example_runtime() -> (&'static str, &'static str) {
    example_list::RUNTIME
}

/// The platforms an example package is routed through `.syso` objects on.
pub fn example_syso_platforms(name: &str) -> Vec<&'static str> {
    example_list::SYSO_ROUTES
        .iter()
        .filter(|(n, _)| *n == name)
        .flat_map(|(_, p)| p.iter().copied())
        .collect()
}

/// A go-asm package for an example, with absolute paths, configured as the
/// example crate's build script configures it.
pub fn example_package(name: &str) -> go_asm_build::Package {
    let root = repo_root().join("examples/kernels");
    let pkg = go_asm_build::Package::new(name, root.join(format!("go/{name}")))
        .source(root.join(format!("src/{name}.rs")))
        .syso(example_syso_platforms(name))
        .crate_id(example_crate_id(root.clone()));
    let (owner, dir) = example_runtime();
    if owner == name {
        pkg.runtime(root.join(dir))
    } else {
        pkg
    }
}

/// The example crate, as its build script sees itself (its symbols depend on it):
/// the workspace's version, and `root` as its directory.
pub fn example_crate_id(root: PathBuf) -> go_asm_build::internal::symbol::CrateId {
    go_asm_build::internal::symbol::CrateId {
        name: "go-asm-kernels".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        root,
    }
}

/// Debian's wine (package wine64) in a private prefix, ready to run Go's
/// windows/amd64 test binaries.
pub struct Wine {
    loader: PathBuf,
    prefix: PathBuf,
}

impl Wine {
    /// Creates the prefix under `dir`. Go >= 1.24 needs
    /// bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks: a small stand-in
    /// (tests/calln/wine/bcryptprimitives.c) is built with mingw and installed.
    pub fn boot(dir: &Path) -> Wine {
        let wine = Wine::prefix(dir);
        run(wine.command("wineboot").arg("--init"));
        let system32 = wine.prefix.join("drive_c/windows/system32");
        assert!(
            system32.is_dir(),
            "wineboot did not create {}",
            system32.display()
        );
        run(tool("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(system32.join("bcryptprimitives.dll"))
            .arg(repo_root().join("tests/calln/wine/bcryptprimitives.c"))
            .arg("-ladvapi32"));
        wine
    }

    /// A prefix under `dir` that wine creates on first use: enough for plain C
    /// executables (Go binaries need [`Wine::boot`]). Panics (never skips) when
    /// Debian's loader is missing.
    pub fn prefix(dir: &Path) -> Wine {
        let loader = ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .expect(
                "wine is required to run the windows/amd64 tests (Debian: apt-get install wine64)",
            );
        Wine {
            loader,
            prefix: dir.join("wineprefix"),
        }
    }

    /// `wine <program>` in the prefix, quiet, without a display.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(&self.loader);
        c.arg(program)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY");
        c
    }
}

pub mod corpus;
pub mod diff;
pub mod fuzz;
pub mod pipeline;
pub mod routes;

/// A Go test file for package `pkg`: `func Test<test>` runs `body` with a
/// `check(name, got, want any)` helper and logs `<log> checks N` at the end.
pub fn go_checks_test(pkg: &str, test: &str, log: &str, body: &str) -> String {
    format!(
        r#"package {pkg}

import "testing"

func Test{test}(t *testing.T) {{
	checks := 0
	check := func(name string, got, want any) {{
		t.Helper()
		checks++
		if got != want {{
			t.Errorf("%s: got %v, want %v", name, got, want)
		}}
	}}
{body}	t.Logf("{log} checks %d", checks)
}}
"#
    )
}

/// A test fixture package: `tests/fixtures/<name>.rs` compiled as package `name`,
/// its Go files, C header and a `go.mod` written into `dir/<name>`.
pub struct Fixture {
    pub pkg: go_asm_build::Package,
    pub sources: Vec<go_asm_build::internal::package::Source>,
    pub built: go_asm_build::internal::package::Built,
    /// `dir/<name>`: the Go package directory.
    pub out: PathBuf,
}

impl Fixture {
    pub fn write(dir: &Path, name: &str) -> Fixture {
        let pkg = go_asm_build::Package::new(name, dir.join(name))
            .source(repo_root().join(format!("tests/fixtures/{name}.rs")));
        let (sources, built) = pkg.compile().expect("the fixture compiles");
        let out = dir.join(name);
        std::fs::create_dir_all(&out).unwrap();
        for f in pkg.render_built(&sources, &built) {
            std::fs::write(out.join(&f.name), &f.contents).unwrap();
        }
        std::fs::write(
            out.join("go.mod"),
            format!("module example.com/{name}\n\ngo 1.21\n"),
        )
        .unwrap();
        Fixture {
            pkg,
            sources,
            built,
            out,
        }
    }

    /// The package's native object for linux/`arch`, written into the package
    /// directory.
    pub fn linux_object(&self, arch: go_asm_build::Arch) -> PathBuf {
        let rust = match arch {
            go_asm_build::Arch::Amd64 => "x86_64",
            go_asm_build::Arch::Arm64 => "aarch64",
        };
        let target = go_asm_build::internal::native::Target::for_rust_target(rust, "linux")
            .expect("linux target");
        let bytes = self
            .pkg
            .native_object(
                &self.sources,
                &self.built,
                target,
                go_asm_build::internal::native::Linkage::Relocatable,
            )
            .unwrap();
        let obj = self.out.join(format!("{}.o", rust));
        std::fs::write(&obj, bytes).unwrap();
        obj
    }

    /// Links the C program `main_c` (which prints `N checks, F failures`) with the
    /// native object for linux/`arch` and runs it; panics unless it reports
    /// ` 0 failures`. Returns its trimmed output.
    pub fn run_c_checks(&self, arch: go_asm_build::Arch, main_c: &str) -> String {
        let obj = self.linux_object(arch);
        let main = self.out.join("main.c");
        std::fs::write(&main, main_c).unwrap();
        let result = run_c_program(arch, &self.out, &[main, obj], &self.out.join("harness"));
        assert!(result.contains(" 0 failures"), "{result}");
        result.trim().to_string()
    }
}

/// `f`'s compiled body for `arch`, as `Built::compiled` holds it: None for a
/// dispatching function (a wrapper: its variants, which follow it, have the
/// bodies) and for a variant of another architecture.
pub fn body_for<'a>(
    f: &go_asm_build::internal::func::AsmFn,
    compiled: &'a [go_asm_build::internal::compile::Compiled],
    arch: go_asm_build::Arch,
) -> Option<&'a go_asm_build::internal::compile::Compiled> {
    if f.dispatches() || f.variant_arch.is_some_and(|a| a != arch) {
        return None;
    }
    let c = compiled.iter().find(|c| c.arch == arch);
    assert!(c.is_some(), "{} has no {arch:?} body", f.sig.name);
    c
}

/// Spill loads and stores in a compiled body (its Go text: moves between a
/// register and a stack-pointer slot; Go writes the source operand first).
pub fn spill_moves(c: &go_asm_build::internal::compile::Compiled) -> (usize, usize) {
    let sp = match c.arch {
        go_asm_build::Arch::Amd64 => "(SP)",
        go_asm_build::Arch::Arm64 => "(RSP)",
    };
    let (mut loads, mut stores) = (0, 0);
    for line in &c.go_body {
        let Some((_, ops)) = line.trim().split_once(char::is_whitespace) else {
            continue;
        };
        match ops.split_once(", ") {
            Some((src, _)) if src.ends_with(sp) => loads += 1,
            Some((_, dst)) if dst.ends_with(sp) => stores += 1,
            _ => {}
        }
    }
    (loads, stores)
}

/// Reports the line of `out` (a Go test's output) that holds `marker` (such as
/// `neon checks`) under `route`; panics when there is none.
pub fn report_checks_line(out: &str, marker: &str, route: &str) {
    let line = out
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no `{marker}` line in:\n{out}"));
    report(&format!("{route}: {}", line.trim()));
}

/// `go vet ./...` of the package in `dir` for linux/`goarch` (asmdecl checks the frames).
pub fn go_vet_linux(dir: &Path, goarch: &str) {
    run(tool("go")
        .current_dir(dir)
        .env("GOARCH", goarch)
        .env("GOOS", "linux")
        .args(["vet", "./..."]));
}
