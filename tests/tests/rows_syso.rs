//! The rows issue 15 added to `examples/kernels/src/types.rs` (named results,
//! `_` parameters, arrays by value in and out) through the `.syso` route: the
//! same functions as a package routed through its native objects on linux/amd64
//! and linux/arm64, its trampolines checked by `go vet` and the example's own
//! Go test (`rows_test.go`) run on both (arm64 under qemu).

use go_asm_build::Package;
use go_asm_tests::{repo_root, routes::go_vet, run, tool};

#[test]
fn new_rows_run_through_syso_objects() {
    let root = repo_root();
    let types = std::fs::read_to_string(root.join("examples/kernels/src/types.rs")).unwrap();
    // From AddCarry to the structs by value (which the .syso route refuses).
    let at = types.find("/// AddCarry").expect("types.rs has AddCarry");
    let end = types.find("/// Pair is").expect("types.rs has Pair");
    let source = format!(
        "use go_asm::go_asm;\nuse std::ffi::c_void;\n\n{}",
        &types[at..end]
    );
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("rows.rs");
    std::fs::write(&src, source).unwrap();
    let go_dir = dir.path().join("rows");
    Package::new("types", &go_dir)
        .source(&src)
        .go_module("rows")
        .syso(["linux/amd64", "linux/arm64"])
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    // The example's test, and the Go types its go_type(..) names.
    for f in ["rows_test.go", "units.go"] {
        std::fs::copy(
            root.join("examples/kernels/go/types").join(f),
            go_dir.join(f),
        )
        .unwrap();
    }
    for f in ["types_syso_linux_amd64.s", "types_linux_arm64.syso"] {
        assert!(go_dir.join(f).exists(), "{f} was not written");
    }
    for arch in ["amd64", "arm64"] {
        assert_eq!(go_vet(&go_dir, arch, &[]), 0, "go vet {arch}");
    }
    tool("qemu-aarch64");
    for (arch, exec) in [("amd64", None), ("arm64", Some("qemu-aarch64"))] {
        let mut cmd = tool("go");
        cmd.current_dir(&go_dir)
            .env("GOARCH", arch)
            .env("GOOS", "linux")
            .env("CGO_ENABLED", "0")
            .args(["test", "-count=1", "-v"]);
        if let Some(e) = exec {
            cmd.args(["-exec", e]);
        }
        let out = run(cmd.arg("."));
        assert!(
            out.contains("--- PASS: TestSum2HalvesSplit"),
            "{arch}: {out}"
        );
        assert!(!out.contains("FAIL"), "{arch}: {out}");
        eprintln!(
            "rows through .syso ({arch}): {} tests passed",
            out.matches("--- PASS").count()
        );
    }
}
