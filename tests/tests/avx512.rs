//! AVX-512 runs, not only encodes (issue 16): `tests/fixtures/avx512.rs` (masked
//! loads and stores with a masked tail, broadcast memory operands, opmask values
//! compared into, counted and spilled, embedded rounding, xmm16-31 and zmm values
//! under spilling) from Go natively on this machine (it has AVX-512F/BW/VL) and
//! from C through the native object, each against a plain reference written here.
//! The Go-assembled bodies must hold go-asm's bytes.

use go_asm_build::Arch;
use go_asm_tests::{go_checks_test, run, tool, Fixture};

/// Whether this CPU runs the fixture (AVX-512 F, BW, VL; BMI2 for bzhi); says so
/// when it does not (the one reason these tests may not run).
fn cpu_runs_fixture() -> bool {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let flags = info
        .lines()
        .find(|l| l.starts_with("flags"))
        .unwrap_or_default();
    let has = ["avx512f", "avx512bw", "avx512vl", "bmi2"]
        .iter()
        .all(|f| flags.split_whitespace().any(|w| w == *f));
    if !has {
        go_asm_tests::report("avx512: this CPU has no AVX-512 F/BW/VL or BMI2: not run");
    }
    has
}

const GO_TEST_BODY: &str = r#"	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 100} {
		a, b := make([]uint32, n+16), make([]uint32, n+16)
		for i := range a {
			a[i], b[i] = uint32(i*7+1), uint32(0xfffffff0+i)
		}
		dst := make([]uint32, n+16)
		for i := range dst {
			dst[i] = 0xdead
		}
		AddSlices(dst[:n], a, b)
		for i := range dst {
			want := uint32(0xdead)
			if i < n {
				want = a[i] + b[i]
			}
			check("AddSlices", dst[i], want)
		}
		xs := make([]uint32, n)
		for i := range xs {
			xs[i] = uint32(i % 3)
		}
		for x := uint32(0); x < 4; x++ {
			want := uint64(0)
			for _, v := range xs {
				if v == x {
					want++
				}
			}
			check("CountEqual", CountEqual(xs, x), want)
		}
	}
	xs := make([]uint32, 17)
	for i := range xs {
		xs[i] = uint32(100 + i)
	}
	AddFirst(xs)
	for i := range xs {
		want := uint32(100 + i)
		if i >= 1 && i < 16 {
			want += 100
		}
		check("AddFirst", xs[i], want)
	}
	tiny := float32(1.0 / (1 << 30))
	check("AddUp.inexact", AddUp(1, tiny), float32(1+1.0/(1<<23)))
	check("AddUp.exact", AddUp(1.5, 2.25), float32(3.75))
	check("AddUp.negative", AddUp(-1, -tiny), float32(-1))
	vs := []uint32{0, 1, 1, 2, 3, 3, 3, 4, 5, 6, 7, 7, 9, 0, 2, 8}
	want := uint64(0)
	for v := 0; v < 8; v++ {
		for _, x := range vs {
			if x == uint32(v) {
				want += 1 << v
			}
		}
	}
	check("MaskPressure", MaskPressure(vs), want)
	ps := make([]uint32, 34)
	for i := range ps {
		ps[i] = uint32(i*i + 3)
	}
	var sum uint32
	for i := range ps {
		sum += 16 * (5 + ps[i])
	}
	check("ZmmPressure", ZmmPressure(ps, 5), uint64(sum))
"#;

#[test]
fn go_test_passes_on_amd64_natively() {
    if !cpu_runs_fixture() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::write(dir.path(), "avx512");
    let pkg = fx.out.clone();
    std::fs::write(
        pkg.join("avx512_test.go"),
        go_checks_test("avx512", "Avx512", "avx512", GO_TEST_BODY),
    )
    .unwrap();
    let out = run(tool("go")
        .current_dir(&pkg)
        .env("GOARCH", "amd64")
        .env("CGO_ENABLED", "0")
        .args(["test", "-count=1", "-v", "./..."]));
    // Without the features (GODEBUG), every dispatch stub ends in its function's
    // go! body, which must agree with the same references.
    run(tool("go")
        .current_dir(&pkg)
        .env("GOARCH", "amd64")
        .env("CGO_ENABLED", "0")
        .env("GODEBUG", "cpu.all=off")
        .args(["test", "-count=1", "./..."]));
    let listing = go_asm_tests::go_asm_listing(&pkg, "avx512_amd64.s", "amd64", "avx512");
    let fns: Vec<_> = fx.sources.iter().flat_map(|s| s.fns.iter()).collect();
    // A dispatching function is a Go wrapper; its variants hold the bodies.
    for (f, compiled) in fns.iter().zip(&fx.built.compiled) {
        let Some(c) = compiled.iter().find(|c| c.arch == Arch::Amd64) else {
            assert!(f.dispatches(), "{} has no amd64 body", f.sig.name);
            continue;
        };
        assert!(
            go_asm_tests::go_bytes_hold_body(
                &listing[&f.sig.go_name()].bytes,
                &c.bytes,
                Arch::Amd64
            ),
            "{}: the Go-assembled bytes do not hold the body",
            f.sig.name
        );
    }
    let spilled: Vec<(String, usize)> = fns
        .iter()
        .zip(&fx.built.compiled)
        .map(|(f, c)| (f.sig.name.clone(), c.iter().map(|c| c.spilled).sum()))
        .collect();
    for name in ["mask_pressure", "zmm_pressure"] {
        assert!(
            spilled.iter().any(|(n, s)| n.starts_with(name) && *s > 0),
            "{name} spills: {spilled:?}"
        );
    }
    let text = std::fs::read_to_string(pkg.join("avx512_amd64.s")).unwrap();
    for spelling in [
        "KMOVW",
        "VMOVDQU64",
        "VPADDD.Z",
        "VPADDD.BCST",
        "VADDSS.RU_SAE",
        "Z31",
    ] {
        assert!(text.contains(spelling), "no {spelling} in the Go body");
    }
    go_asm_tests::report_checks_line(&out, "avx512 checks", "amd64 Go");
    go_asm_tests::go_vet_linux(&pkg, "amd64");
}

const C_HARNESS: &str = r#"
#include <stdio.h>
#include <string.h>
#define GO_ASM_SHORT_NAMES
#include "avx512.h"

static int failures, checks;
#define CHECK(name, got, want) do { checks++; if ((got) != (want)) { failures++; printf("FAIL %s\n", name); } } while (0)

int main(void) {
    int ns[9] = {0, 1, 15, 16, 17, 31, 32, 33, 100};
    for (int t = 0; t < 9; t++) {
        int n = ns[t];
        uint32_t a[116], b[116], dst[116], xs[116];
        for (int i = 0; i < n + 16; i++) { a[i] = (uint32_t)(i * 7 + 1); b[i] = 0xfffffff0u + (uint32_t)i; dst[i] = 0xdead; }
        add_slices(dst, n, n, a, n + 16, n + 16, b, n + 16, n + 16);
        for (int i = 0; i < n + 16; i++) CHECK("add_slices", dst[i], i < n ? a[i] + b[i] : 0xdeadu);
        for (int i = 0; i < n; i++) xs[i] = (uint32_t)(i % 3);
        for (uint32_t x = 0; x < 4; x++) {
            uint64_t want = 0;
            for (int i = 0; i < n; i++) want += xs[i] == x;
            CHECK("count_equal", count_equal(xs, n, n, x), want);
        }
    }
    uint32_t f[17];
    for (int i = 0; i < 17; i++) f[i] = 100u + (uint32_t)i;
    add_first(f, 17, 17);
    for (int i = 0; i < 17; i++) CHECK("add_first", f[i], 100u + (uint32_t)i + (i >= 1 && i < 16 ? 100u : 0u));
    float tiny = 1.0f / (1 << 30);
    CHECK("add_up.inexact", add_up(1, tiny), 1 + 1.0f / (1 << 23));
    CHECK("add_up.exact", add_up(1.5f, 2.25f), 3.75f);
    CHECK("add_up.negative", add_up(-1, -tiny), -1.0f);
    uint32_t vs[16] = {0, 1, 1, 2, 3, 3, 3, 4, 5, 6, 7, 7, 9, 0, 2, 8};
    uint64_t want = 0;
    for (int v = 0; v < 8; v++) for (int i = 0; i < 16; i++) if (vs[i] == (uint32_t)v) want += 1ull << v;
    CHECK("mask_pressure", mask_pressure(vs, 16, 16), want);
    uint32_t ps[34], sum = 0;
    for (int i = 0; i < 34; i++) { ps[i] = (uint32_t)(i * i + 3); sum += 16 * (5 + ps[i]); }
    CHECK("zmm_pressure", zmm_pressure(ps, 34, 34, 5), (uint64_t)sum);
    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}
"#;

#[test]
fn native_object_agrees_from_c_amd64() {
    if !cpu_runs_fixture() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let result = Fixture::write(dir.path(), "avx512").run_c_checks(Arch::Amd64, C_HARNESS);
    go_asm_tests::report(&format!("avx512, amd64 native: {result}"));
}
