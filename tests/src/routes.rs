//! The routes a generated package is checked on, shared by the random-signature
//! test and the differential checker: `go test` (linux/amd64, purego, linux/arm64
//! under qemu), `go vet`, and a C program calling a native object through the
//! package's header (SysV natively, Win64 under wine, AAPCS64 under qemu). Each
//! caller prints `MISMATCH ...` lines and a `checked N mismatches M` summary.

use crate::tool;
use go_asm_build::internal::native::Target;
use std::path::Path;
use std::process::Command;

/// `GO_ASM_SEED`, or the clock when it is unset.
pub fn seed() -> u64 {
    match std::env::var("GO_ASM_SEED") {
        Ok(s) => s.trim().parse().expect("GO_ASM_SEED is a decimal u64"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos() as u64,
    }
}

/// What one caller reported.
pub struct Outcome {
    pub route: &'static str,
    pub checked: u64,
    pub mismatches: u64,
    pub vet_complaints: Option<usize>,
    /// Wall-clock seconds the route took (building and running).
    pub seconds: f64,
    /// The caller's output (its `MISMATCH` lines name what disagreed).
    pub text: String,
}

/// Runs `go <args>` in `dir` for linux/`goarch` without cgo: whether it
/// succeeded, and its output (stdout, then stderr).
fn go(dir: &Path, goarch: &str, args: &[&str]) -> (bool, String) {
    let out = tool("go")
        .current_dir(dir)
        .env("GOARCH", goarch)
        .env("GOOS", "linux")
        .env("CGO_ENABLED", "0")
        .args(args)
        .output()
        .expect("go runs");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// Counts `go vet`'s complaints (it prints nothing when it has none).
pub fn go_vet(dir: &Path, goarch: &str, tags: &[&str]) -> usize {
    let (_, text) = go(dir, goarch, &[&["vet"], tags, &["."]].concat());
    let complaints = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();
    if complaints > 0 {
        eprintln!("go vet ({goarch} {tags:?}) said:\n{text}");
    }
    complaints
}

/// Runs the generated Go test; its TestMain prints the summary line. Panics when
/// the test fails without reporting a mismatch (it did not build, or crashed).
pub fn go_test(dir: &Path, route: &'static str, goarch: &str, extra: &[&str]) -> Outcome {
    try_go_test(dir, route, goarch, extra).unwrap_or_else(|e| panic!("{e}"))
}

/// [`go_test`], with a failure that reports no mismatch as `Err` (its output).
pub fn try_go_test(
    dir: &Path,
    route: &'static str,
    goarch: &str,
    extra: &[&str],
) -> Result<Outcome, String> {
    let start = std::time::Instant::now();
    let args = [&["test", "-count=1", "-v"], extra, &["."]].concat();
    let (ok, text) = go(dir, goarch, &args);
    let mut outcome = caller_outcome(route, &text)?;
    outcome.seconds = start.elapsed().as_secs_f64();
    if !ok && outcome.mismatches == 0 {
        return Err(format!(
            "go test ({route}) failed without a mismatch:\n{text}"
        ));
    }
    Ok(outcome)
}

/// Reads a caller's summary line (and shows its first `MISMATCH` lines).
pub fn caller_outcome(route: &'static str, text: &str) -> Result<Outcome, String> {
    for l in text.lines().filter(|l| l.contains("MISMATCH")).take(20) {
        eprintln!("{route}: {l}");
    }
    let (checked, mismatches) = crate::sigs::summary(text)
        .ok_or_else(|| format!("{route}: no summary line in:\n{text}"))?;
    Ok(Outcome {
        route,
        checked,
        mismatches,
        vet_complaints: None,
        seconds: 0.0,
        text: text.to_string(),
    })
}

/// A C caller of the native objects: where it runs and what builds it.
#[derive(Clone, Copy)]
pub struct CRoute {
    pub name: &'static str,
    /// `Target::for_rust_target` names.
    pub rust_arch: &'static str,
    pub os: &'static str,
    pub cc: &'static str,
    pub runner: Runner,
}

#[derive(Clone, Copy)]
pub enum Runner {
    Native,
    Qemu,
    Wine,
}

pub const C_ROUTES: [CRoute; 3] = [
    CRoute {
        name: "native amd64 SysV (C)",
        rust_arch: "x86_64",
        os: "linux",
        cc: "cc",
        runner: Runner::Native,
    },
    CRoute {
        name: "native amd64 Win64 (C, wine)",
        rust_arch: "x86_64",
        os: "windows",
        cc: "x86_64-w64-mingw32-gcc",
        runner: Runner::Wine,
    },
    CRoute {
        name: "native arm64 AAPCS64 (C, qemu)",
        rust_arch: "aarch64",
        os: "linux",
        cc: "aarch64-linux-gnu-gcc",
        runner: Runner::Qemu,
    },
];

impl CRoute {
    pub fn target(self) -> Target {
        Target::for_rust_target(self.rust_arch, self.os).expect("a go-asm target")
    }
    pub fn arch(self) -> go_asm_build::Arch {
        self.target().arch
    }
}

/// Builds the C program with the package's header (`<package>.h`) and the route's
/// object, runs it. Panics when it reports no summary (it crashed).
pub fn c_native(
    dir: &Path,
    route: CRoute,
    package: &str,
    header: &str,
    object: &[u8],
    main_c: &str,
) -> Outcome {
    try_c_native(dir, route, package, header, object, main_c).unwrap_or_else(|e| panic!("{e}"))
}

/// [`c_native`], with a run that prints no summary as `Err` (its output).
pub fn try_c_native(
    dir: &Path,
    route: CRoute,
    package: &str,
    header: &str,
    object: &[u8],
    main_c: &str,
) -> Result<Outcome, String> {
    let start = std::time::Instant::now();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(format!("{package}.h")), header).unwrap();
    std::fs::write(dir.join("native.o"), object).unwrap();
    std::fs::write(dir.join("main.c"), main_c).unwrap();
    let exe = dir.join("main.exe");
    let cc = tool(route.cc)
        .current_dir(dir)
        .args([
            "-std=c11", "-O0", "-Wall", "-Werror", "-static", "main.c", "native.o", "-o",
        ])
        .arg(&exe)
        .output()
        .expect("the C compiler runs");
    if !cc.status.success() {
        return Err(format!(
            "{}: the C program does not build:\n{}",
            route.name,
            String::from_utf8_lossy(&cc.stderr)
        ));
    }
    let out = match route.runner {
        Runner::Native => Command::new(&exe).output(),
        Runner::Qemu => tool("qemu-aarch64").arg(&exe).output(),
        Runner::Wine => crate::Wine::prefix(dir).command(&exe).output(),
    }
    .expect("harness runs");
    let mut outcome = caller_outcome(route.name, &String::from_utf8_lossy(&out.stdout))?;
    outcome.seconds = start.elapsed().as_secs_f64();
    Ok(outcome)
}
