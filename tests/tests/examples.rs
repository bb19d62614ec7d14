//! The committed example packages: fresh, vetted, tested on amd64 natively and on
//! arm64 under qemu, and building on the GOARCHes that use the fallback.

use go_asm_tests::{example_package, example_packages, repo_root, run, tool};

fn go_dir() -> std::path::PathBuf {
    repo_root().join("examples/kernels/go")
}

#[test]
fn committed_packages_match_their_sources() {
    let packages = example_packages();
    assert_eq!(packages.len(), 14, "every example is listed");
    for (name, _, _) in &packages {
        if let Err(e) = example_package(name).check() {
            panic!("{e}\nregenerate with: cargo build -p go-asm-kernels");
        }
    }
}

#[test]
fn generation_is_deterministic() {
    for (name, _, _) in example_packages() {
        let a = example_package(&name).render().expect("renders");
        let b = example_package(&name).render().expect("renders");
        assert_eq!(a.files, b.files, "{name}: two renders differ");
    }
}

#[test]
fn go_vet_is_silent_for_every_goarch() {
    for goarch in ["amd64", "arm64", "386", "riscv64"] {
        let out = run(tool("go")
            .current_dir(go_dir())
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .args(["vet", "./..."]));
        assert!(out.trim().is_empty(), "go vet ({goarch}) said:\n{out}");
    }
    let out = run(tool("go")
        .current_dir(go_dir())
        .args(["vet", "-tags", "purego", "./..."]));
    assert!(out.trim().is_empty(), "go vet (purego) said:\n{out}");
}

#[test]
fn go_test_amd64_and_purego() {
    let out = run(tool("go")
        .current_dir(go_dir())
        .env("GOARCH", "amd64")
        .args(["test", "-count=1", "-v", "./..."]));
    if let Some(line) = out.lines().find(|l| l.contains("--- SKIP")) {
        panic!("unexpected skip: {line}");
    }
    run(tool("go")
        .current_dir(go_dir())
        .args(["test", "-count=1", "-tags", "purego", "./..."]));
    // With every feature turned off the dispatching examples run their baseline
    // variants (the tests compare them with Go references, whatever runs), and
    // under GOAMD64=v3 and v4 the level's constant picks the variant at compile time.
    let dispatching = dispatching_examples();
    let pkgs: Vec<String> = dispatching.iter().map(|(p, _)| format!("./{p}")).collect();
    let out = run(tool("go")
        .current_dir(go_dir())
        .env("GOARCH", "amd64")
        .env("GODEBUG", "cpu.all=off")
        .args(["test", "-count=1", "-v"])
        .args(&pkgs));
    let chose: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(" dispatches to "))
        .collect();
    // Every package whose variant test reports its choice does so once.
    let reporting = dispatching
        .iter()
        .filter(|(p, _)| {
            std::fs::read_dir(go_dir().join(p))
                .unwrap()
                .flatten()
                .any(|e| {
                    e.file_name().to_string_lossy().ends_with("_test.go")
                        && std::fs::read_to_string(e.path())
                            .unwrap()
                            .contains(" dispatches to ")
                })
        })
        .count();
    assert!(reporting >= 3, "dot, search and count report their choice");
    assert_eq!(chose.len(), reporting, "{out}");
    for line in chose {
        assert!(
            line.ends_with(" dispatches to sse2"),
            "GODEBUG=cpu.all=off: {line}"
        );
    }
    for level in ["v3", "v4"] {
        run(tool("go")
            .current_dir(go_dir())
            .env("GOARCH", "amd64")
            .env("GOAMD64", level)
            .args(["test", "-count=1"])
            .args(&pkgs));
    }
}

/// The example packages with dispatching functions, and those functions' Go names.
fn dispatching_examples() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (name, _, _) in example_packages() {
        let (sources, _) = example_package(&name).compile().expect("compiles");
        let fns: Vec<String> = sources
            .iter()
            .flat_map(|s| s.fns.iter())
            .filter(|f| f.dispatches())
            .map(|f| f.sig.go_name())
            .collect();
        if !fns.is_empty() {
            out.push((name, fns));
        }
    }
    out
}

/// Issue 14: a dispatching function's exported wrapper is small enough for Go's
/// inliner. The oracle is the Go compiler's own `-m` report: `can inline <Fn>` in
/// the package's dispatch file on amd64 (GOAMD64 v1, v3, v4) and arm64, and
/// `inlining call to <pkg>.<Fn>` where the demo program calls one.
#[test]
fn dispatch_wrappers_are_inlinable() {
    let dispatching = dispatching_examples();
    let names: Vec<&str> = dispatching.iter().map(|(p, _)| p.as_str()).collect();
    for want in ["count", "dot", "search"] {
        assert!(names.contains(&want), "{want} dispatches: {names:?}");
    }
    let pkgs: Vec<String> = names.iter().map(|p| format!("./{p}")).collect();
    let devnull = tempfile::tempdir().unwrap();
    for (goarch, goamd64) in [
        ("amd64", "v1"),
        ("amd64", "v3"),
        ("amd64", "v4"),
        ("arm64", ""),
    ] {
        let mut cmd = tool("go");
        cmd.current_dir(go_dir())
            .env("GOOS", "linux")
            .env("GOARCH", goarch)
            .env("CGO_ENABLED", "0");
        if !goamd64.is_empty() {
            cmd.env("GOAMD64", goamd64);
        }
        let out = run(cmd.args(["build", "-gcflags=-m"]).args(&pkgs));
        for (pkg, fns) in &dispatching {
            for f in fns {
                let file = format!("{pkg}_dispatch_{goarch}.go");
                assert!(
                    out.lines()
                        .any(|l| l.contains(&file) && l.ends_with(&format!(": can inline {f}"))),
                    "{goarch} {goamd64}: go build -gcflags=-m does not report {pkg}.{f} inlinable:\n{out}"
                );
            }
        }
        let mut cmd = tool("go");
        cmd.current_dir(go_dir())
            .env("GOOS", "linux")
            .env("GOARCH", goarch)
            .env("CGO_ENABLED", "0");
        if !goamd64.is_empty() {
            cmd.env("GOAMD64", goamd64);
        }
        let out = run(cmd
            .args(["build", "-gcflags=-m", "-o"])
            .arg(devnull.path().join("demo"))
            .arg("./demo"));
        for call in ["dot.Dot", "search.IndexByte", "count.CountByte64"] {
            assert!(
                out.contains(&format!("inlining call to {call}")),
                "{goarch} {goamd64}: the demo's call of {call} is not inlined:\n{out}"
            );
        }
    }
}

#[test]
fn go_test_arm64_under_qemu() {
    tool("qemu-aarch64");
    run(tool("go")
        .current_dir(go_dir())
        .env("GOARCH", "arm64")
        .env("GOOS", "linux")
        .env("CGO_ENABLED", "0")
        .args(["test", "-count=1", "-exec", "qemu-aarch64", "./..."]));
}

#[test]
fn go_files_are_gofmt_clean() {
    let out = run(tool("gofmt").arg("-l").arg(go_dir()));
    assert!(out.trim().is_empty(), "gofmt would change:\n{out}");
}

/// The packages routed through `.syso` objects: every committed object is
/// relocation-free and exactly what the build writes (checked above with the Go
/// files); the package vets and links on the platforms nothing runs here
/// (darwin), and its tests run on windows/amd64 under wine (Win64's hidden result
/// pointer and shadow space). linux/amd64 and linux/arm64 run in the tests above.
#[test]
fn routed_packages_on_every_platform() {
    use go_asm_build::internal::calln::check_no_relocations;
    use go_asm_tests::{example_syso_platforms, Wine};
    let work = tempfile::tempdir().expect("temp dir");
    let mut routed = 0;
    for (name, _, dir) in example_packages() {
        let platforms = example_syso_platforms(&name);
        if platforms.is_empty() {
            continue;
        }
        routed += 1;
        let report = example_package(&name).render().expect("renders");
        assert_eq!(
            report.objects.len(),
            platforms.len(),
            "{name}: one object per platform"
        );
        let again = example_package(&name).render().expect("renders");
        assert_eq!(report.objects, again.objects, "{name}: two renders differ");
        for p in &platforms {
            let (goos, goarch) = p.split_once('/').expect("goos/goarch");
            let obj = dir.join(format!("{name}_{goos}_{goarch}.syso"));
            let bytes = std::fs::read(&obj).unwrap_or_else(|e| panic!("{}: {e}", obj.display()));
            if let Err(e) = check_no_relocations(&bytes) {
                panic!("{}: {e}", obj.display());
            }
            if goos == "linux" {
                continue;
            }
            let pkg = format!("./{name}");
            let out = run(tool("go")
                .current_dir(go_dir())
                .env("GOOS", goos)
                .env("GOARCH", goarch)
                .env("CGO_ENABLED", "0")
                .args(["vet", &pkg]));
            assert!(out.trim().is_empty(), "go vet ({p}) said:\n{out}");
            let exe = work.path().join(format!("{name}_{goos}_{goarch}.test"));
            run(tool("go")
                .current_dir(go_dir())
                .env("GOOS", goos)
                .env("GOARCH", goarch)
                .env("CGO_ENABLED", "0")
                .args(["test", "-c", "-o"])
                .arg(&exe)
                .arg(&pkg));
            if goos == "windows" {
                let wine = Wine::boot(work.path());
                let out = run(wine.command(&exe).args(["-test.v", "-test.count=1"]));
                assert!(
                    out.contains("--- PASS: TestAddresses") && !out.contains("--- FAIL"),
                    "{out}"
                );
            }
        }
    }
    assert!(routed > 0, "no example is routed through .syso objects");
}
