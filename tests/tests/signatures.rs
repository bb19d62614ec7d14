//! Random signatures, seeded: every row of the type table as parameters (0-12),
//! 0-4 results of any mix. One package of generated functions goes through
//! `go vet` (amd64, arm64, purego), `go test` on linux/amd64, with `-tags purego`,
//! and on linux/arm64 under qemu; the native objects are called from Rust through
//! the macro's wrappers (a generated crate) and from C on amd64 and arm64 (qemu).
//! Every caller checks every result against the reference model in
//! `go_asm_tests::sigs`.
//!
//! `GO_ASM_SEED=<n>` replays a run; `GO_ASM_SIGNATURES=<n>` changes the count;
//! `GO_ASM_KEEP=1` keeps the generated files.

use go_asm_build::internal::native::Linkage;
use go_asm_build::internal::package::{parse_source, Built, Source};
use go_asm_build::Package;
use go_asm_tests::routes::{c_native, caller_outcome, go_test, go_vet, seed, Outcome, C_ROUTES};
use go_asm_tests::sigs::{self, Rng, Sig, Val};
use go_asm_tests::{repo_root, run, tool};
use object::{Object, ObjectSymbol};
use std::path::Path;
use std::process::Command;

const DEFAULT_SIGNATURES: usize = 512;

/// Writes a line straight to stderr: the test harness captures `println!`, and
/// the seed and the counts belong in the suite's log even when the test passes.
fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "signatures: {line}");
}
const PACKAGE: &str = "sigs";

/// The generated Rust crate: the same source, its build script linking the native
/// object with `Package::link_native`, a main calling every wrapper.
fn rust_native(dir: &Path, fns_rs: &str, main_rs: &str) -> Outcome {
    let start = std::time::Instant::now();
    let root = repo_root();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let dep = |p: &str| root.join(p).display().to_string().replace('\\', "/");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"go-asm-sigs-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\ngo-asm = {{ path = \"{}\" }}\n\n[build-dependencies]\ngo-asm-build = {{ path = \"{}\" }}\n",
            dep("runtime"),
            dep("build-support")
        ),
    )
    .unwrap();
    // The workspace's lock file: the same dependency versions, already built.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    let src = concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src/fns.rs\");\n    println!(\"cargo:rerun-if-changed={src}\");\n    let pkg = go_asm_build::Package::new(\"sigs\", std::env::var(\"OUT_DIR\").unwrap()).source(src);\n    let (sources, built) = pkg.compile().unwrap_or_else(|e| panic!(\"{e}\"));\n    pkg.link_native(&sources, &built).unwrap_or_else(|e| panic!(\"{e}\"));\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/fns.rs"), fns_rs).unwrap();
    std::fs::write(dir.join("src/main.rs"), main_rs).unwrap();
    // The workspace's target directory (dependencies already built); a relative
    // CARGO_TARGET_DIR is relative to the workspace, not to the temp crate.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(|d| root.join(d))
        .unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = run(Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("RUSTFLAGS")
        .args(["run", "--offline", "--quiet"]));
    Outcome {
        seconds: start.elapsed().as_secs_f64(),
        ..caller_outcome("native amd64 (Rust wrappers)", &out).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// What the draw covered: parameter counts, result counts, and how each C ABI
/// places the results (c_results.rs), so a run shows which paths it exercised.
fn coverage(all: &[Sig], source: &Source, built: &Built) -> String {
    use go_asm_build::internal::backends::{native_targets, result_placement};
    use go_asm_build::internal::c_results::Placement;
    let mut by_results = [0usize; 5];
    let mut twelve = 0;
    for s in all {
        by_results[s.results.len()] += 1;
        twelve += usize::from(s.params.len() == sigs::MAX_PARAMS);
    }
    // Array parameters are read through `for` repetitions and held in register
    // arrays (even parameter positions) or stack locals (odd ones; sigs::rust_fn).
    let arrays = |odd: Option<bool>| {
        all.iter()
            .filter(|s| {
                s.params.iter().enumerate().any(|(i, p)| {
                    matches!(p, sigs::PTy::Array { .. }) && odd.is_none_or(|o| (i % 2 == 1) == o)
                })
            })
            .count()
    };
    let pointers_to_arrays = all
        .iter()
        .filter(|s| {
            s.params.iter().any(|p| {
                matches!(
                    p,
                    sigs::PTy::Array {
                        by_ref: Some(_),
                        ..
                    }
                )
            })
        })
        .count();
    let named = all.iter().filter(|s| s.result_names.is_some()).count();
    let unnamed = all.iter().filter(|s| s.unnamed.contains(&true)).count();
    let go_types = all.iter().filter(|s| !s.go_types.is_empty()).count();
    let voids = all
        .iter()
        .filter(|s| s.params.iter().any(|p| matches!(p, sigs::PTy::Void { .. })))
        .count();
    let array_results = all
        .iter()
        .filter(|s| {
            s.results
                .iter()
                .any(|r| matches!(r.0, sigs::RTy::Array { .. }))
        })
        .count();
    let nested_or_refs = all
        .iter()
        .filter(|s| {
            s.params.iter().any(|p| {
                matches!(
                    p,
                    sigs::PTy::Array { cols: Some(_), .. } | sigs::PTy::Array { refs: true, .. }
                )
            })
        })
        .count();
    let with =
        |f: &dyn Fn(&sigs::PTy) -> bool| all.iter().filter(|s| s.params.iter().any(f)).count();
    let structs = with(&|p| matches!(p, sigs::PTy::Struct(_)));
    let complex = with(&|p| matches!(p, sigs::PTy::Complex(_)));
    let nested = with(&|p| matches!(p, sigs::PTy::Struct(sh) if sh.nest == 1));
    let array_fields = with(&|p| matches!(p, sigs::PTy::Struct(sh) if sh.nest == 2));
    let whole = all
        .iter()
        .filter(|s| s.results.iter().any(|r| matches!(r.0, sigs::RTy::Whole(_))))
        .count();
    let mut out = format!(
        "coverage: {twelve} with {} parameters; results 0/1/2/3/4: {by_results:?}; named results in {named}; `_` parameters in {unnamed}; array results in {array_results}; go_type aliases in {go_types}; unsafe.Pointer in {voids}; arrays of arrays or of references in {nested_or_refs}; repetitions in {}, register arrays in {}, stack locals in {}, pointers to arrays in {pointers_to_arrays}, structs by value in {structs} (nested structs in {nested}, array fields in {array_fields}), complex numbers in {complex}, struct or complex results in {whole}",
        sigs::MAX_PARAMS,
        arrays(None),
        arrays(Some(false)),
        arrays(Some(true))
    );
    for arch in [go_asm_build::Arch::Amd64, go_asm_build::Arch::Arm64] {
        let spilled = built
            .compiled
            .iter()
            .filter(|cs| cs.iter().any(|c| c.arch == arch && c.spill_bytes > 0))
            .count();
        out.push_str(&format!("; {} spills in {spilled}", arch.goarch()));
    }
    let mut abis = Vec::new();
    for t in native_targets() {
        if !abis.iter().any(|u: &go_asm_build::Target| u.abi == t.abi) {
            abis.push(*t);
        }
    }
    for t in abis {
        let abi = t.abi;
        let (mut regs, mut fp_regs, mut memory) = (0, 0, 0);
        for f in &source.fns {
            match result_placement(t, &f.sig) {
                Placement::Registers(r) => {
                    regs += 1;
                    fp_regs +=
                        usize::from(r.iter().any(|p| {
                            matches!(p, go_asm_build::internal::c_results::SlotReg::Fp(_))
                        }));
                }
                Placement::Memory => memory += 1,
                Placement::Nothing | Placement::Single => {}
            }
        }
        out.push_str(&format!(
            "; {abi:?} structs in registers {regs} ({fp_regs} with FP), in memory {memory}"
        ));
    }
    out
}

#[test]
fn random_signatures_agree_everywhere() {
    let seed = seed();
    let count: usize = std::env::var("GO_ASM_SIGNATURES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SIGNATURES);
    report(&format!(
        "seed {seed} (replay: GO_ASM_SEED={seed} cargo test -p go-asm-tests --test signatures)"
    ));
    let started = std::time::Instant::now();
    let mut rng = Rng::new(seed);
    // The pinned shapes first (every result placement, whatever the seed).
    let all: Vec<Sig> = sigs::pinned()
        .into_iter()
        .chain((0..count).map(|i| sigs::draw_sig(&mut rng, format!("sg{i:04}"))))
        .collect();
    let cases: Vec<Vec<Vec<Val>>> = all
        .iter()
        .map(|s| {
            (0..sigs::CASES)
                .map(|c| sigs::draw_args(&mut rng, s, c))
                .collect()
        })
        .collect();
    let checks: u64 = all
        .iter()
        .map(|s| (s.results.len() * sigs::CASES) as u64)
        .sum();

    // The Go package, in process. `GO_ASM_KEEP=1` keeps the work directory.
    let mut work = tempfile::tempdir().unwrap();
    if std::env::var_os("GO_ASM_KEEP").is_some() {
        work.disable_cleanup(true);
        report(&format!("work directory kept: {}", work.path().display()));
    }
    let fns_rs = sigs::rust_source(&all);
    let src_path = work.path().join("fns.rs");
    std::fs::write(&src_path, &fns_rs).unwrap();
    let go_dir = work.path().join("go");
    let pkg = Package::new(PACKAGE, &go_dir).source(&src_path);
    let source: Source = parse_source(&src_path.display().to_string(), fns_rs.clone())
        .unwrap_or_else(|e| {
            panic!(
                "seed {seed}: generated source does not parse:\n{}",
                e.join("\n")
            )
        });
    let sources = vec![source];
    let built = pkg
        .compile_sources(&sources)
        .unwrap_or_else(|e| panic!("seed {seed}: generated functions do not compile:\n{e}"));
    let files = pkg.render_built(&sources, &built);
    std::fs::create_dir_all(&go_dir).unwrap();
    let mut header = String::new();
    for f in &files {
        if f.name.ends_with(".h") {
            header = f.contents.clone();
        } else {
            std::fs::write(go_dir.join(&f.name), &f.contents).unwrap();
        }
    }
    std::fs::write(
        go_dir.join("go.mod"),
        format!("module {PACKAGE}\n\ngo 1.21\n"),
    )
    .unwrap();
    std::fs::write(
        go_dir.join("sigs_test.go"),
        sigs::go_test(PACKAGE, &all, &cases),
    )
    .unwrap();
    // The package's own Go types, which go_type(..) names.
    std::fs::write(go_dir.join("aliases.go"), sigs::go_aliases(PACKAGE)).unwrap();
    let gofmt = run(tool("gofmt").arg("-l").arg(&go_dir));
    assert!(gofmt.trim().is_empty(), "gofmt would change: {gofmt}");
    let objects: Vec<Vec<u8>> = C_ROUTES
        .iter()
        .map(|r| {
            pkg.native_object(&sources, &built, r.target(), Linkage::Relocatable)
                .unwrap_or_else(|e| panic!("seed {seed}: native object for {}: {e}", r.name))
        })
        .collect();
    // The targets no route runs (darwin) still get objects with every function.
    for target in go_asm_build::internal::native::native_targets() {
        let bytes = pkg
            .native_object(&sources, &built, *target, Linkage::Relocatable)
            .unwrap_or_else(|e| panic!("seed {seed}: native object for {target:?}: {e}"));
        let file = object::File::parse(&*bytes).expect("object parses");
        let functions = file
            .symbols()
            .filter(|s| s.kind() == object::SymbolKind::Text && s.is_definition())
            .count();
        assert_eq!(functions, all.len(), "{target:?}: one symbol per function");
    }
    let generated = started.elapsed();
    tool("qemu-aarch64");

    // Every caller, two at a time (the machine has two cores).
    let main_rs = sigs::rust_main(&all, &cases);
    let main_c = sigs::c_main(&format!("{PACKAGE}.h"), &all, &cases);
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let go = s.spawn(|| {
            let mut amd64 = go_test(&go_dir, "Go amd64", "amd64", &[]);
            amd64.vet_complaints = Some(go_vet(&go_dir, "amd64", &[]));
            let mut purego = go_test(
                &go_dir,
                "Go purego (go! fallback)",
                "amd64",
                &["-tags", "purego"],
            );
            purego.vet_complaints = Some(go_vet(&go_dir, "amd64", &["-tags", "purego"]));
            let mut arm64 = go_test(
                &go_dir,
                "Go arm64 (qemu)",
                "arm64",
                &["-exec", "qemu-aarch64"],
            );
            arm64.vet_complaints = Some(go_vet(&go_dir, "arm64", &[]));
            vec![amd64, purego, arm64]
        });
        let native = s.spawn(|| {
            let mut out = vec![rust_native(&work.path().join("rust"), &fns_rs, &main_rs)];
            for (i, (route, object)) in C_ROUTES.iter().zip(&objects).enumerate() {
                let dir = work.path().join(format!("c{i}"));
                out.push(c_native(&dir, *route, PACKAGE, &header, object, &main_c));
            }
            out
        });
        let mut all = go.join().expect("Go callers");
        all.extend(native.join().expect("native callers"));
        all
    });

    let params: usize = all.iter().map(|s| s.params.len()).sum();
    report(&coverage(&all, &sources[0], &built));
    report(&format!(
        "{} signatures ({count} drawn, {} pinned; {params} parameters, {checks} result checks per route, {} cases each), generated in {:.2} s, all routes in {:.1} s",
        all.len(),
        all.len() - count,
        sigs::CASES,
        generated.as_secs_f64(),
        started.elapsed().as_secs_f64()
    ));
    let mut bad = Vec::new();
    for o in &outcomes {
        let vet = o
            .vet_complaints
            .map(|v| format!(", vet complaints {v}"))
            .unwrap_or_default();
        report(&format!(
            "  {:<30} checked {:>6}, mismatches {}{vet} ({:.1} s)",
            o.route, o.checked, o.mismatches, o.seconds
        ));
        if o.mismatches != 0 || o.vet_complaints.unwrap_or(0) != 0 || o.checked != checks {
            bad.push(o.route);
        }
    }
    assert!(
        bad.is_empty(),
        "seed {seed}: {bad:?} disagree (replay with GO_ASM_SEED={seed})"
    );
}
