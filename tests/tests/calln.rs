//! The Go call runtime (`runtime/go/calln`) against the real tools: the committed
//! package is what the generator writes; it vets and builds on every supported
//! GOOS/GOARCH and on a fallback one; C functions compiled by gcc into
//! relocation-free `.syso` objects are called from Go with `CGO_ENABLED=0`, on
//! linux/amd64 natively and on linux/arm64 under qemu-aarch64, including the stress
//! test (many goroutines, GOGC=1, deep stacks, runtime/trace and CPU profiling);
//! the windows/amd64 test binary runs under wine; darwin test binaries link; one
//! benchmark run compares the routes.
//!
//! Every tool is required: a missing one fails the test with its name.

use go_asm_build::internal::calln::{
    check_no_relocations, generate_bindings, BindingOptions, CType, NativeFunc,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// Go builds are heavy and the machine is small: one at a time.
static GO: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    GO.lock().unwrap_or_else(|e| e.into_inner())
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs a command, failing the test (with its output) if it cannot start or fails.
fn run(cmd: &mut Command) -> String {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e} (is the tool installed and on PATH?)"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "{shown} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    stdout + &stderr
}

fn go(dir: &Path, goos: &str, goarch: &str, cgo: bool) -> Command {
    let mut c = Command::new("go");
    c.current_dir(dir)
        .env("GOOS", goos)
        .env("GOARCH", goarch)
        .env("CGO_ENABLED", if cgo { "1" } else { "0" })
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOWORK", "off")
        .env("GOFLAGS", "-mod=mod");
    c
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A C compiler for one Go platform, with the flags that give a relocation-free
/// object: no PIC, no unwind tables, no stack protector or probes, no calls to
/// builtins; on arm64 literal pools next to the code and x18/x28 left alone.
struct Cc {
    goos: &'static str,
    goarch: &'static str,
    compiler: &'static str,
    flags: &'static [&'static str],
}

const COMMON_FLAGS: &[&str] = &[
    "-O2",
    "-ffp-contract=off",
    "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables",
    "-fno-stack-protector",
    "-ffreestanding",
    "-fno-tree-loop-distribute-patterns",
    "-fno-ident",
    "-fstack-usage",
];

const COMPILERS: &[Cc] = &[
    Cc {
        goos: "linux",
        goarch: "amd64",
        compiler: "gcc",
        flags: &["-fno-pic", "-fcf-protection=none"],
    },
    Cc {
        goos: "linux",
        goarch: "arm64",
        compiler: "aarch64-linux-gnu-gcc",
        flags: &[
            "-fno-pic",
            "-ffixed-x18",
            "-ffixed-x28",
            "-mpc-relative-literal-loads",
        ],
    },
    Cc {
        goos: "windows",
        goarch: "amd64",
        compiler: "x86_64-w64-mingw32-gcc",
        flags: &["-mno-stack-arg-probe"],
    },
];

/// Moves read-only data sections into `.text` in gcc's assembly output, so that
/// the constant loads become PC-relative references inside one section, which the
/// assembler resolves itself.
fn fold_rodata(asm: &str) -> String {
    asm.lines()
        .map(|l| {
            if let Some(name) = l.trim_start().strip_prefix(".section") {
                let name = name.trim_start();
                if name.starts_with(".rodata") || name.starts_with(".rdata") {
                    return "\t.text".to_string();
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Compiles `csrc/cfuncs.c` for one platform into `<out>/cfuncs_GOOS_GOARCH.syso`,
/// checks it has no relocations, and returns gcc's per-function stack use.
fn compile_syso(cc: &Cc, src: &Path, work: &Path, out: &Path) -> BTreeMap<String, Option<u32>> {
    let tag = format!("{}_{}", cc.goos, cc.goarch);
    let asm = work.join(format!("cfuncs_{tag}.s"));
    let mut c = Command::new(cc.compiler);
    c.args(COMMON_FLAGS)
        .args(cc.flags)
        .arg("-S")
        .arg("-o")
        .arg(&asm)
        .arg(src)
        .current_dir(work);
    run(&mut c);
    let folded = work.join(format!("cfuncs_{tag}_folded.s"));
    std::fs::write(
        &folded,
        fold_rodata(&std::fs::read_to_string(&asm).unwrap()),
    )
    .unwrap();
    let obj = out.join(format!("cfuncs_{tag}.syso"));
    run(Command::new(cc.compiler)
        .arg("-c")
        .arg("-o")
        .arg(&obj)
        .arg(&folded));
    let bytes = std::fs::read(&obj).unwrap();
    if let Err(e) = check_no_relocations(&bytes) {
        panic!("{}: {e}", obj.display());
    }
    // gcc writes <output stem>.su next to the output.
    let su = work.join(format!("cfuncs_{tag}.su"));
    let text = std::fs::read_to_string(&su)
        .unwrap_or_else(|e| panic!("{}: {e} (-fstack-usage output)", su.display()));
    let mut uses = BTreeMap::new();
    for line in text.lines() {
        let mut parts = line.split('\t');
        let (Some(loc), Some(n), Some(kind)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("bad .su line: {line}");
        };
        let name = loc.rsplit(':').next().unwrap().to_string();
        let n: u32 = n.parse().unwrap();
        uses.insert(name, (kind == "static").then_some(n));
    }
    uses
}

fn binding(
    go_name: &str,
    symbol: &str,
    params: &[(&str, CType)],
    result: Option<CType>,
) -> NativeFunc {
    NativeFunc {
        go_name: go_name.to_string(),
        symbol: symbol.to_string(),
        params: params.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
        result,
        stack_bytes: None,
        doc: format!("{go_name} calls {symbol} (csrc/cfuncs.c)."),
    }
}

fn bindings() -> Vec<NativeFunc> {
    use CType::*;
    let mut v = vec![binding(
        "Mix",
        "goasm_mix",
        &[("a", U64), ("b", U64)],
        Some(U64),
    )];
    let names = ["a", "b", "c", "d", "e", "f"];
    for n in 0..=6 {
        let ps: Vec<(&str, CType)> = names[..n].iter().map(|s| (*s, U64)).collect();
        v.push(binding(
            &format!("C{n}"),
            &format!("goasm_c{n}"),
            &ps,
            Some(U64),
        ));
    }
    v.push(binding("Neg32", "goasm_neg32", &[("a", I32)], Some(I32)));
    v.push(binding(
        "Rot32",
        "goasm_rot32",
        &[("a", U32), ("n", I32)],
        Some(U32),
    ));
    v.push(binding(
        "Narrow",
        "goasm_narrow",
        &[("a", I8), ("b", U8), ("c", I16), ("d", U16), ("e", Bool)],
        Some(U16),
    ));
    v.push(binding(
        "Widen",
        "goasm_widen",
        &[("a", I32), ("b", U32)],
        Some(I64),
    ));
    v.push(binding(
        "Fadd",
        "goasm_fadd",
        &[("a", F64), ("b", F64)],
        Some(F64),
    ));
    let fs: Vec<(&str, CType)> = names.iter().map(|s| (*s, F64)).collect();
    v.push(binding("F6", "goasm_f6", &fs, Some(F64)));
    v.push(binding(
        "F32",
        "goasm_f32",
        &[("a", F32), ("b", F32)],
        Some(F32),
    ));
    v.push(binding("Fconst", "goasm_fconst", &[], Some(F64)));
    v.push(binding(
        "Mixed",
        "goasm_mixed",
        &[
            ("a", I64),
            ("x", F64),
            ("b", I64),
            ("y", F64),
            ("c", I64),
            ("z", F64),
        ],
        Some(F64),
    ));
    v.push(binding(
        "MixedInt",
        "goasm_mixed_int",
        &[("x", F64), ("a", I64), ("y", F64)],
        Some(I64),
    ));
    v.push(binding(
        "Mixed2",
        "goasm_mixed2",
        &[("x", F64), ("y", F64), ("a", I64), ("b", I64)],
        Some(F64),
    ));
    let mut many: Vec<(&str, CType)> = ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"]
        .iter()
        .map(|s| (*s, U64))
        .collect();
    many.extend([
        ("s9", I32),
        ("u10", U32),
        ("f1", F64),
        ("f2", F64),
        ("a11", U64),
    ]);
    v.push(binding("Many", "goasm_many", &many, Some(U64)));
    let mut manyf: Vec<(&str, CType)> =
        ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10"]
            .iter()
            .map(|s| (*s, F64))
            .collect();
    manyf.push(("a", I64));
    v.push(binding("Manyf", "goasm_manyf", &manyf, Some(F64)));
    v.push(binding(
        "Sum",
        "goasm_sum",
        &[("p", Ptr), ("n", U64)],
        Some(U64),
    ));
    v.push(binding(
        "Fill",
        "goasm_fill",
        &[("p", Ptr), ("n", U64), ("v", U64)],
        None,
    ));
    v.push(binding("Stack", "goasm_stack", &[("seed", U64)], Some(U64)));
    v.push(binding(
        "Spin",
        "goasm_spin",
        &[("n", U64), ("x", U64)],
        Some(U64),
    ));
    v
}

/// `mixExact` and `c0Exact`..`c6Exact`: goasm_mix and goasm_c0..goasm_c6 through
/// the trampoline shape the build step writes for go-asm's own objects
/// (`calln::exact_bindings_asm`: NOSPLIT, the callee's exact stack use as its
/// frame, no red zone or alignment slack). These C functions are leaves whose
/// stack use gcc measured (`stack`), so that shape is valid for them; the
/// benchmarks compare it with the other routes on the same functions.
fn write_exact(pkg: &Path, stack: &BTreeMap<String, Option<u32>>) {
    use go_asm_build::internal::calln::{exact_bindings_asm, target, ExactFunc, FrameValue};
    let value = |name: &str, offset| FrameValue {
        name: name.to_string(),
        offset,
        ty: CType::U64,
    };
    let exact = |go_name: &str, symbol: &str, params: &[&str]| {
        let n = params.len() as u32;
        let decl = format!(
            "func {go_name}({}) uint64",
            params
                .iter()
                .map(|p| format!("{p} uint64"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        ExactFunc {
            go_name: go_name.to_string(),
            symbol: symbol.to_string(),
            signature: decl,
            args: (0..n).map(|i| value(params[i as usize], 8 * i)).collect(),
            results: vec![value("ret", 8 * n)],
            arg_size: 8 * n + 8,
            stack_bytes: stack[symbol].unwrap_or_else(|| panic!("{symbol} has no static frame")),
        }
    };
    let names = ["a", "b", "c", "d", "e", "f"];
    let mut funcs = vec![exact("mixExact", "goasm_mix", &["a", "b"])];
    for n in 0..=6 {
        funcs.push(exact(
            &format!("c{n}Exact"),
            &format!("goasm_c{n}"),
            &names[..n],
        ));
    }
    let mut platforms = Vec::new();
    for cc in COMPILERS {
        let t = target(cc.goos, cc.goarch).expect("a convention");
        let text = exact_bindings_asm(t, None, &funcs).unwrap();
        std::fs::write(pkg.join(format!("exact_{}_{}.s", cc.goos, cc.goarch)), text).unwrap();
        platforms.push(format!("({} && {})", cc.goos, cc.goarch));
    }
    let expr = platforms.join(" || ");
    let mut decls = String::new();
    let mut fallbacks = String::new();
    for f in &funcs {
        decls.push_str(&format!(
            "// {0} calls {1} through an exact trampoline.\n{2}\n\n\
             // {0}Addr returns {1}'s address.\nfunc {0}Addr() uintptr\n\n",
            f.go_name, f.symbol, f.signature
        ));
        fallbacks.push_str(&format!(
            "{} {{\n\tpanic(\"no native object\")\n}}\n\n",
            f.signature
        ));
    }
    let file = |build: String, body: &str| {
        format!(
            "// Code generated by go-asm. DO NOT EDIT.\n\n//go:build {build}\n\npackage cfuncs\n\n{}\n",
            body.trim_end()
        )
    };
    std::fs::write(pkg.join("exact.go"), file(expr.clone(), &decls)).unwrap();
    std::fs::write(
        pkg.join("exact_other.go"),
        file(format!("!({expr})"), &fallbacks),
    )
    .unwrap();
}

struct Workspace {
    module: PathBuf,
}

/// A copy of `runtime/go` and `tests/calln` in a temporary directory (same relative
/// layout, so the module's `replace` directives hold), with the `.syso` objects
/// compiled and the bindings generated. Built once per test process, in a fixed
/// directory under cargo's test scratch directory (`CARGO_TARGET_TMPDIR`) that each
/// process clears first: a static is never dropped, so a `TempDir` here leaked
/// hundreds of megabytes into /tmp on every run.
fn workspace() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("calln-workspace");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        let root = root();
        copy_dir(&root.join("runtime/go"), &dir.join("runtime/go"));
        let module = dir.join("tests/calln");
        copy_dir(&root.join("tests/calln"), &module);
        let work = dir.join("cc");
        std::fs::create_dir_all(&work).unwrap();
        let pkg = module.join("cfuncs");
        let src = module.join("csrc/cfuncs.c");
        let mut stack: BTreeMap<String, Option<u32>> = BTreeMap::new();
        for cc in COMPILERS {
            for (name, n) in compile_syso(cc, &src, &work, &pkg) {
                let e = stack.entry(name).or_insert(Some(0));
                *e = match (*e, n) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
        }
        let mut funcs = bindings();
        for f in &mut funcs {
            // Exact stack use as gcc measured it, the largest over the platforms.
            f.stack_bytes = stack
                .get(&f.symbol)
                .copied()
                .unwrap_or_else(|| panic!("no stack use for {}", f.symbol));
        }
        let files = generate_bindings(&BindingOptions {
            package: "cfuncs".to_string(),
            file_prefix: "native".to_string(),
            funcs,
            platforms: COMPILERS
                .iter()
                .map(|c| (c.goos.to_string(), c.goarch.to_string()))
                .collect(),
        })
        .unwrap();
        for (name, text) in files {
            std::fs::write(pkg.join(name), text).unwrap();
        }
        write_exact(&pkg, &stack);
        Workspace { module }
    })
}

/// The CPU profile written by TestStress has samples inside the C function: the
/// profiling signal landed in C code on a goroutine stack and the program survived.
fn profile_has_c_samples(dir: &Path, prof: &Path) {
    let out = run(Command::new("go")
        .current_dir(dir)
        .args(["tool", "pprof", "-top", "-nodecount=20"])
        .arg(prof));
    assert!(out.contains("goasm_spin"), "no samples in C code:\n{out}");
}

/// Runs a windows/amd64 Go test binary under wine in a private prefix, with the
/// stress settings, and checks its CPU profile like the native runs.
fn run_under_wine(m: &Path, exe: &Path) -> String {
    let wine = go_asm_tests::Wine::boot(m);
    let prof = m.join("cpu_windows.prof");
    let win_prof = format!("Z:{}", prof.display()).replace('/', "\\");
    let out = run(wine
        .command(exe)
        .args(["-test.v", "-test.count=1"])
        .env("GOGC", "1")
        .env("CALLN_STRESS_MS", "3000")
        .env("CALLN_PROFILE", win_prof));
    profile_has_c_samples(m, &prof);
    out
}

#[test]
fn committed_runtime_is_what_the_generator_writes() {
    run(Command::new(env!("CARGO_BIN_EXE_gen-runtime")).arg("--check"));
    let out = run(Command::new("gofmt")
        .arg("-l")
        .arg(root().join("runtime/go")));
    assert!(out.trim().is_empty(), "not gofmt-clean:\n{out}");
}

#[test]
fn runtime_vets_and_builds_everywhere() {
    let _g = lock();
    let dir = root().join("runtime/go");
    for (goos, goarch) in [
        ("linux", "amd64"),
        ("linux", "arm64"),
        ("darwin", "amd64"),
        ("darwin", "arm64"),
        ("windows", "amd64"),
        // Fallbacks: no trampolines, still builds.
        ("freebsd", "amd64"),
        ("linux", "riscv64"),
    ] {
        run(go(&dir, goos, goarch, false).args(["vet", "./..."]));
        run(go(&dir, goos, goarch, false).args(["build", "./..."]));
    }
}

#[test]
fn c_functions_from_go_on_every_platform() {
    let ws = workspace();
    let _g = lock();
    let m = &ws.module;
    let out = run(Command::new("gofmt").arg("-l").arg(m));
    assert!(out.trim().is_empty(), "not gofmt-clean:\n{out}");
    for (goos, goarch) in [
        ("linux", "amd64"),
        ("linux", "arm64"),
        ("windows", "amd64"),
        ("darwin", "amd64"),
        ("darwin", "arm64"),
    ] {
        run(go(m, goos, goarch, false).args(["vet", "./..."]));
    }

    // linux/amd64, natively.
    let prof = m.join("cpu_amd64.prof");
    let out = run(go(m, "linux", "amd64", false)
        .env("GOGC", "1")
        .env("CALLN_STRESS_MS", "3000")
        .env("CALLN_PROFILE", &prof)
        .args(["test", "-count=1", "-v", "./..."]));
    assert!(out.contains("--- PASS: TestStress"), "{out}");
    eprintln!("linux/amd64:\n{out}");
    profile_has_c_samples(m, &prof);

    // linux/arm64, under qemu-aarch64.
    let prof = m.join("cpu_arm64.prof");
    let out = run(go(m, "linux", "arm64", false)
        .env("GOGC", "1")
        .env("CALLN_STRESS_MS", "3000")
        .env("CALLN_PROFILE", &prof)
        .args(["test", "-count=1", "-v", "-exec", "qemu-aarch64", "./..."]));
    assert!(out.contains("--- PASS: TestStress"), "{out}");
    eprintln!("linux/arm64 (qemu):\n{out}");
    profile_has_c_samples(m, &prof);

    // windows/amd64: the test binary links, and runs under wine.
    let bin = m.join("bin");
    let exe = bin.join("cfuncs_windows_amd64.exe");
    run(go(m, "windows", "amd64", false).args([
        "test",
        "-c",
        "-o",
        exe.to_str().unwrap(),
        "./cfuncs",
    ]));
    let out = run_under_wine(m, &exe);
    assert!(out.contains("--- PASS: TestStress"), "{out}");
    eprintln!("windows/amd64 (wine):\n{out}");

    // darwin: the test binaries link (no way to run them here).
    for (goos, goarch) in [("darwin", "amd64"), ("darwin", "arm64")] {
        run(go(m, goos, goarch, false).args([
            "test",
            "-c",
            "-o",
            bin.join(format!("cfuncs_{goos}_{goarch}.test"))
                .to_str()
                .unwrap(),
            "./cfuncs",
        ]));
    }
}

/// One `go test -bench` run of every route, cgo on, three counts each
/// (`GO_ASM_BENCH_COUNT` sets another number, for recorded figures); with
/// `GO_ASM_BENCH_PUREGO=1` also purego's routes (`-modfile=go.bench.mod -tags
/// purego_bench`, which fetches purego through the Go module proxy). Each
/// benchmark's ns/op in run order, keyed by its name without the `Benchmark`
/// prefix and the `-GOMAXPROCS` suffix: the k-th values of two benchmarks were
/// measured in the same round, side by side.
fn bench_run(ws: &Workspace, pattern: &str) -> (String, BTreeMap<String, Vec<f64>>) {
    let mut cmd = go(&ws.module, "linux", "amd64", true);
    if std::env::var("GO_ASM_BENCH_PUREGO").is_ok_and(|v| v == "1") {
        cmd.env_remove("GOPROXY")
            .args(["test", "-modfile=go.bench.mod", "-tags", "purego_bench"]);
    } else {
        cmd.arg("test");
    }
    let out = run(cmd.args([
        "-run",
        "^$",
        "-bench",
        pattern,
        "-benchtime",
        "200ms",
        "-count",
        &std::env::var("GO_ASM_BENCH_COUNT").unwrap_or_else(|_| "3".to_string()),
        "./cfuncs",
    ]));
    let mut all: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for line in out.lines() {
        let Some(rest) = line.strip_prefix("Benchmark") else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() < 3 {
            continue;
        }
        let name = f[0].rsplit_once('-').map_or(f[0], |(r, _)| r).to_string();
        all.entry(name).or_default().push(f[2].parse().unwrap());
    }
    (out, all)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The median over rounds of `a`'s time divided by `b`'s in the same round.
fn paired_ratio(a: &[f64], b: &[f64]) -> f64 {
    median(a.iter().zip(b).map(|(x, y)| x / y).collect())
}

#[test]
fn benchmark_one_run_every_route() {
    let ws = workspace();
    let _g = lock();
    let (out, ns) = bench_run(ws, "Mix");
    eprintln!("{out}");
    let min = |r: &str| {
        ns.get(&format!("Mix/{r}"))
            .unwrap_or_else(|| panic!("route {r} missing from:\n{out}"))
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    };
    let (c, d, g, e) = (min("callN"), min("direct-asm"), min("cgo"), min("exact"));
    eprintln!(
        "min ns/op: {ns:?}\ncallN/direct-asm = {:.2}x, binding/direct-asm = {:.2}x, exact/direct-asm = {:.2}x, cgo/callN = {:.1}x, cgo/exact = {:.1}x",
        c / d,
        min("binding") / d,
        e / d,
        g / c,
        g / e
    );
    // Printed, never asserted: timings on a shared CI machine are not a test. The
    // figures are recorded in runtime/go/README.md with the command that produced them.
}

/// `Call0`..`Call6` against the exact trampoline of the same C function and cgo,
/// and `Call2`, `Call6` also against Go assembly written directly and purego,
/// paired in one run (the goals: within 1.3x of the exact trampoline, at
/// least 10x faster than cgo). The times are medians; each ratio is the median
/// of the ratios within a round. Printed, never asserted.
#[test]
fn benchmark_call_n_against_the_floor() {
    let ws = workspace();
    let _g = lock();
    let (out, ns) = bench_run(ws, "Calls");
    let rounds = ns.values().map(Vec::len).min().unwrap_or(0);
    let mut table = format!(
        "{:<5}{:>8}{:>8}{:>8}{:>8}{:>8}{:>13}{:>13}{:>11}{:>14}\n",
        "args",
        "callN",
        "exact",
        "direct",
        "cgo",
        "purego",
        "callN/exact",
        "callN/direct",
        "cgo/callN",
        "purego/callN"
    );
    for n in 0..=6 {
        let get = |r: &str| ns.get(&format!("Calls/{n}/{r}"));
        let need = |r: &str| get(r).unwrap_or_else(|| panic!("Calls/{n}/{r} missing from:\n{out}"));
        let (c, e, g) = (need("callN"), need("exact"), need("cgo"));
        let ns_of = |v: Option<&Vec<f64>>| {
            v.map_or("-".to_string(), |v| format!("{:.2}", median(v.clone())))
        };
        let ratio = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
        table.push_str(&format!(
            "{n:<5}{:>8}{:>8}{:>8}{:>8}{:>8}{:>12.2}x{:>13}{:>10.1}x{:>14}\n",
            ns_of(Some(c)),
            ns_of(Some(e)),
            ns_of(get("direct")),
            ns_of(Some(g)),
            ns_of(get("purego")),
            paired_ratio(c, e),
            ratio(get("direct").map(|d| format!("{:.2}x", paired_ratio(c, d)))),
            paired_ratio(g, c),
            ratio(get("purego").map(|p| format!("{:.1}x", paired_ratio(p, c)))),
        ));
    }
    eprintln!(
        "{out}\n{table}(median ns/op over {rounds} rounds; ratios: median of the per-round ratios)"
    );
}
