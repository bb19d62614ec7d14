//! `return` of physical registers is a parallel copy (issue 10, defect 1):
//! `tests/fixtures/parallel_return.rs` returns registers in cycles and chains
//! (general, 32-bit views, float64, float32, both kinds at once). The values are
//! checked by running the code: the Go package on linux/amd64 and on linux/arm64
//! under qemu, and the native objects from C on both.

use go_asm_build::Arch;
use go_asm_tests::{go_checks_test, run, tool, Fixture};

const GO_TEST_BODY: &str = r#"	for _, a := range []uint64{0, 1, 0x0123456789abcdef, ^uint64(0)} {
		b := a*0x9e3779b97f4a7c15 + 7
		p, q := Swap(a, b)
		check("Swap.0", p, b)
		check("Swap.1", q, a)
		p, q = Chain(a, b)
		check("Chain.0", p, b)
		check("Chain.1", q, a)
		p, q, r := Duplicate(a, b)
		check("Duplicate.0", p, b)
		check("Duplicate.1", q, b)
		check("Duplicate.2", r, a)
		x, y, z := Rotate(uint32(a), uint32(b), uint32(a>>32))
		check("Rotate.0", x, uint32(b))
		check("Rotate.1", y, uint32(a>>32))
		check("Rotate.2", z, uint32(a))
		f, g := float64(a)+0.5, -float64(b)
		u, v := SwapFloats(f, g)
		check("SwapFloats.0", u, g)
		check("SwapFloats.1", v, f)
		s0, s1, s2 := RotateSingles(float32(f), float32(g), 3.25)
		check("RotateSingles.0", s0, float32(3.25))
		check("RotateSingles.1", s1, float32(f))
		check("RotateSingles.2", s2, float32(g))
		m0, m1, m2, m3 := Mixed(a, f, b, g)
		check("Mixed.0", m0, g)
		check("Mixed.1", m1, b)
		check("Mixed.2", m2, f)
		check("Mixed.3", m3, a)
	}
"#;

#[test]
fn go_test_passes_on_amd64_and_arm64() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = Fixture::write(dir.path(), "parallel_return").out;
    std::fs::write(
        pkg.join("parallel_return_test.go"),
        go_checks_test(
            "parallel_return",
            "ParallelReturn",
            "parallel return",
            GO_TEST_BODY,
        ),
    )
    .unwrap();
    for (goarch, exec) in [("amd64", None), ("arm64", Some("qemu-aarch64"))] {
        let mut cmd = tool("go");
        cmd.current_dir(&pkg)
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .env("CGO_ENABLED", "0")
            .args(["test", "-count=1", "-v"]);
        if let Some(exec) = exec {
            tool(exec);
            cmd.args(["-exec", exec]);
        }
        let out = run(cmd.arg("./..."));
        let line = out
            .lines()
            .find(|l| l.contains("parallel return checks"))
            .unwrap_or_else(|| panic!("no checks line in:\n{out}"));
        go_asm_tests::report(&format!("{goarch} Go: {}", line.trim()));
    }
}

const C_HARNESS: &str = r#"
#define GO_ASM_SHORT_NAMES
#include <stdio.h>
#include "parallel_return.h"

static int failures, checks;
#define CHECK(name, got, want) do { checks++; if ((got) != (want)) { failures++; printf("FAIL %s\n", name); } } while (0)

int main(void) {
    uint64_t in[4] = {0, 1, 0x0123456789abcdefull, ~0ull};
    for (int i = 0; i < 4; i++) {
        uint64_t a = in[i], b = a * 0x9e3779b97f4a7c15ull + 7;
        struct swap_results s = swap(a, b);
        CHECK("swap.0", s.r0, b); CHECK("swap.1", s.r1, a);
        struct chain_results c = chain(a, b);
        CHECK("chain.0", c.r0, b); CHECK("chain.1", c.r1, a);
        struct duplicate_results d = duplicate(a, b);
        CHECK("duplicate.0", d.r0, b); CHECK("duplicate.1", d.r1, b); CHECK("duplicate.2", d.r2, a);
        struct rotate_results r = rotate((uint32_t)a, (uint32_t)b, (uint32_t)(a >> 32));
        CHECK("rotate.0", r.r0, (uint32_t)b); CHECK("rotate.1", r.r1, (uint32_t)(a >> 32));
        CHECK("rotate.2", r.r2, (uint32_t)a);
        double f = (double)a + 0.5, g = -(double)b;
        struct swap_floats_results sf = swap_floats(f, g);
        CHECK("swap_floats.0", sf.r0, g); CHECK("swap_floats.1", sf.r1, f);
        struct rotate_singles_results rs = rotate_singles((float)f, (float)g, 3.25f);
        CHECK("rotate_singles.0", rs.r0, 3.25f); CHECK("rotate_singles.1", rs.r1, (float)f);
        CHECK("rotate_singles.2", rs.r2, (float)g);
        struct mixed_results m = mixed(a, f, b, g);
        CHECK("mixed.0", m.r0, g); CHECK("mixed.1", m.r1, b);
        CHECK("mixed.2", m.r2, f); CHECK("mixed.3", m.r3, a);
    }
    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}
"#;

fn c_harness(arch: Arch) -> String {
    let dir = tempfile::tempdir().unwrap();
    Fixture::write(dir.path(), "parallel_return").run_c_checks(arch, C_HARNESS)
}

#[test]
fn native_objects_agree_from_c_amd64() {
    go_asm_tests::report(&format!(
        "parallel return, amd64 native: {}",
        c_harness(Arch::Amd64)
    ));
}

#[test]
fn native_objects_agree_from_c_arm64_under_qemu() {
    go_asm_tests::report(&format!(
        "parallel return, arm64 native: {}",
        c_harness(Arch::Arm64)
    ));
}
