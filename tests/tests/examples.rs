//! The committed example packages: fresh, vetted, tested on amd64 natively and on
//! arm64 under qemu, and building on the GOARCHes that use the fallback.

use go_asm_tests::{example_package, example_packages, repo_root, run, tool};

fn go_dir() -> std::path::PathBuf {
    repo_root().join("examples/kernels/go")
}

#[test]
fn committed_packages_match_their_sources() {
    let packages = example_packages();
    assert_eq!(packages.len(), 9, "every example is listed");
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
    // The dot product is the only test allowed to skip, and only for a CPU reason.
    for line in out.lines().filter(|l| l.contains("--- SKIP")) {
        assert!(line.contains("TestDot"), "unexpected skip: {line}");
    }
    if out.contains("--- SKIP: TestDot") {
        assert!(
            out.contains("lacks AVX2 or FMA"),
            "TestDot skipped without saying why"
        );
        eprintln!("note: TestDot skipped: this CPU lacks AVX2/FMA");
    }
    run(tool("go")
        .current_dir(go_dir())
        .args(["test", "-count=1", "-tags", "purego", "./..."]));
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
