//! The arm64 forms of issue 16 run, not only encoded: `tests/fixtures/neon.rs`
//! (single-lane loads and stores, scalar pairwise float ops, half precision, a
//! table address plus an offset, lists of virtual registers, also under spilling)
//! from Go on linux/arm64 under qemu and from C through the native object, each
//! result against a plain reference written here.

use go_asm_build::Arch;
use go_asm_tests::{go_checks_test, run, tool, Fixture};

const GO_TEST_BODY: &str = r#"	xs := []uint32{0x01234567, 0x89abcdef, 0xdeadbeef, 7}
	lo, hi := Lanes(xs)
	check("Lanes.0", lo, uint64(0x0123456789abcdef))
	check("Lanes.1", hi, uint32(0xdeadbeef))
	dst := []uint32{1, 2, 0xaaaaaaaa, 4}
	StoreLanes(dst, 0xfedcba9876543210)
	check("StoreLanes.0", dst[0], uint32(0xfedcba98))
	check("StoreLanes.1", dst[1], uint32(0x76543210))
	check("StoreLanes.2", dst[2], uint32(0xaaaaaafe))
	check("StoreLanes.3", dst[3], uint32(4))
	for _, p := range [][2]float64{{1.5, 2.25}, {-3, 1e300}, {0, -0.5}} {
		check("PairSum", PairSum(p[0], p[1]), p[0]+p[1])
		a, b := float32(p[0]), float32(p[1])
		want := a
		if b > a {
			want = b
		}
		check("PairMax", PairMax(a, b), want)
	}
	// Values whose products and sums are exact in half precision.
	for _, x := range []float32{0, 1, 1.5, -3, 0.125} {
		for _, y := range []float32{2, 0.25, -7} {
			check("HalfMulAdd", HalfMulAdd(x, y), x*y+y)
		}
	}
	hs := []float32{0, 1, -2, 3, -4, 5.5, 6, -8, 99}
	HalfSquare(hs)
	for i, x := range []float32{0, 1, -2, 3, -4, 5.5, 6, -8} {
		check("HalfSquare", hs[i], x*x)
	}
	check("HalfSquare.untouched", hs[8], float32(99))
	a, b, c := TableAt()
	check("TableAt", [3]uint64{a, b, c}, [3]uint64{11, 33, 44})
	src := make([]byte, 48)
	for i := range src {
		src[i] = byte(3*i + 1)
	}
	idx := []byte{0, 31, 32, 5, 16, 255, 17, 1, 30, 2, 15, 14, 40, 3, 28, 9}
	out := make([]byte, 32)
	Lookup(out, src, idx)
	for k, i := range idx {
		var w0, w1 byte
		if i < 32 {
			w0, w1 = src[i], src[16+int(i)]
		}
		check("Lookup.0", out[k], w0)
		check("Lookup.1", out[16+k], w1)
	}
	ia, ib := make([]byte, 16), make([]byte, 16)
	for k := range ia {
		ia[k], ib[k] = byte(k), byte(200+k)
	}
	il := make([]byte, 48)
	Interleave(il, ia, ib)
	for k := range ia {
		check("Interleave", [3]byte{il[2*k], il[2*k+1], il[32+k]}, [3]byte{ia[k], ib[k], ia[k] ^ ib[k]})
	}
	ws := []uint64{1, 2, 3, 4, 5, 6, 7, 1 << 40}
	check("ListsUnderPressure", ListsUnderPressure(ws), uint64(28+1<<40+2*406))
	lp := make([]uint64, 5)
	ListAcrossPressure(lp, ws)
	check("ListAcrossPressure", [5]uint64(lp), [5]uint64{1 + 465, 2 + 465, 3, 4, 0})
	for _, p := range [][2]uint64{{1, 2}, {2, 1}, {^uint64(0), 0}, {5, 5}} {
		want := p[0]
		if p[1] < want {
			want = p[1]
		}
		check("Lower", Lower(p[0], p[1]), want)
	}
"#;

#[test]
fn go_test_passes_on_arm64_under_qemu() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::write(dir.path(), "neon");
    let pkg = fx.out.clone();
    std::fs::write(
        pkg.join("neon_test.go"),
        go_checks_test("neon", "Neon", "neon", GO_TEST_BODY),
    )
    .unwrap();
    tool("qemu-aarch64");
    let mut cmd = tool("go");
    cmd.current_dir(&pkg)
        .env("GOARCH", "arm64")
        .env("GOOS", "linux")
        .env("CGO_ENABLED", "0")
        .args(["test", "-count=1", "-v", "-exec", "qemu-aarch64", "./..."]);
    let out = run(&mut cmd);
    // Without the features (GODEBUG), the fp16 functions' dispatch stubs end in
    // their go! bodies, which must agree with the same references.
    run(cmd.env("GODEBUG", "cpu.all=off"));
    // Go's assembler turns the printed body into the bytes go-asm encoded.
    let listing = go_asm_tests::go_asm_listing(&pkg, "neon_arm64.s", "arm64", "neon");
    if std::env::var_os("NEON_DUMP").is_some() {
        println!(
            "{}",
            std::fs::read_to_string(pkg.join("neon_arm64.s")).unwrap()
        );
    }
    let fns: Vec<_> = fx.sources.iter().flat_map(|s| s.fns.iter()).collect();
    // A dispatching function is a Go wrapper; its variants hold the bodies.
    for (f, compiled) in fns.iter().zip(&fx.built.compiled) {
        let Some(c) = compiled.iter().find(|c| c.arch == Arch::Arm64) else {
            assert!(
                f.dispatches() || f.variant_arch.is_some(),
                "{} has no arm64 body",
                f.sig.name
            );
            continue;
        };
        assert!(
            go_asm_tests::go_bytes_hold_body(
                &listing[&f.sig.go_name()].bytes,
                &c.bytes,
                Arch::Arm64
            ),
            "{}: the Go-assembled bytes do not hold the body",
            f.sig.name
        );
    }
    let spilled = fx
        .built
        .compiled
        .iter()
        .flatten()
        .map(|c| c.spilled)
        .sum::<usize>();
    assert!(spilled > 0, "lists_under_pressure spills");
    go_asm_tests::report_checks_line(&out, "neon checks", "arm64 Go");
    go_asm_tests::go_vet_linux(&pkg, "arm64");
}

const C_HARNESS: &str = r#"
#include <stdio.h>
#include <string.h>
#define GO_ASM_SHORT_NAMES
#include "neon.h"

static int failures, checks;
#define CHECK(name, got, want) do { checks++; if ((got) != (want)) { failures++; printf("FAIL %s\n", name); } } while (0)

int main(void) {
    uint32_t xs[4] = {0x01234567, 0x89abcdef, 0xdeadbeef, 7};
    struct lanes_results l = lanes(xs, 4, 4);
    CHECK("lanes.0", l.r0, 0x0123456789abcdefull);
    CHECK("lanes.1", l.r1, 0xdeadbeefu);
    uint32_t dst[4] = {1, 2, 0xaaaaaaaa, 4};
    store_lanes(dst, 4, 4, 0xfedcba9876543210ull);
    CHECK("store_lanes.0", dst[0], 0xfedcba98u);
    CHECK("store_lanes.1", dst[1], 0x76543210u);
    CHECK("store_lanes.2", dst[2], 0xaaaaaafeu);
    CHECK("store_lanes.3", dst[3], 4u);
    double ps[3][2] = {{1.5, 2.25}, {-3, 1e300}, {0, -0.5}};
    for (int i = 0; i < 3; i++) {
        CHECK("pair_sum", pair_sum(ps[i][0], ps[i][1]), ps[i][0] + ps[i][1]);
        float a = (float)ps[i][0], b = (float)ps[i][1];
        CHECK("pair_max", pair_max(a, b), b > a ? b : a);
    }
    float hx[5] = {0, 1, 1.5f, -3, 0.125f}, hy[3] = {2, 0.25f, -7};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 3; j++)
            CHECK("half_mul_add", half_mul_add(hx[i], hy[j]), hx[i] * hy[j] + hy[j]);
    float hs[9] = {0, 1, -2, 3, -4, 5.5f, 6, -8, 99}, h0[9];
    memcpy(h0, hs, sizeof hs);
    half_square(hs, 9, 9);
    for (int i = 0; i < 8; i++) CHECK("half_square", hs[i], h0[i] * h0[i]);
    CHECK("half_square.untouched", hs[8], 99.0f);
    struct table_at_results t = table_at();
    CHECK("table_at.0", t.r0, 11u); CHECK("table_at.1", t.r1, 33u); CHECK("table_at.2", t.r2, 44u);
    uint8_t src[48], out[32];
    for (int i = 0; i < 48; i++) src[i] = (uint8_t)(3 * i + 1);
    uint8_t idx[16] = {0, 31, 32, 5, 16, 255, 17, 1, 30, 2, 15, 14, 40, 3, 28, 9};
    lookup(out, 32, 32, src, 48, 48, idx, 16, 16);
    for (int k = 0; k < 16; k++) {
        CHECK("lookup.0", out[k], idx[k] < 32 ? src[idx[k]] : 0);
        CHECK("lookup.1", out[16 + k], idx[k] < 32 ? src[16 + idx[k]] : 0);
    }
    uint8_t ia[16], ib[16], il[48];
    for (int k = 0; k < 16; k++) { ia[k] = (uint8_t)k; ib[k] = (uint8_t)(200 + k); }
    interleave(il, 48, 48, ia, 16, 16, ib, 16, 16);
    for (int k = 0; k < 16; k++) {
        CHECK("interleave.0", il[2 * k], ia[k]); CHECK("interleave.1", il[2 * k + 1], ib[k]);
        CHECK("interleave.2", il[32 + k], ia[k] ^ ib[k]);
    }
    uint64_t ws[8] = {1, 2, 3, 4, 5, 6, 7, 1ull << 40};
    CHECK("lists_under_pressure", lists_under_pressure(ws, 8, 8), 28 + (1ull << 40) + 2 * 406);
    uint64_t la[5] = {0};
    list_across_pressure(la, 5, 5, ws, 8, 8);
    CHECK("list_across_pressure.0", la[0], 1 + 465ull); CHECK("list_across_pressure.1", la[1], 2 + 465ull);
    CHECK("list_across_pressure.2", la[2], 3ull); CHECK("list_across_pressure.3", la[3], 4ull);
    CHECK("list_across_pressure.4", la[4], 0ull);
    uint64_t lp[4][2] = {{1, 2}, {2, 1}, {~0ull, 0}, {5, 5}};
    for (int i = 0; i < 4; i++)
        CHECK("lower", lower(lp[i][0], lp[i][1]), lp[i][1] < lp[i][0] ? lp[i][1] : lp[i][0]);
    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}
"#;

#[test]
fn native_object_agrees_from_c_arm64_under_qemu() {
    let dir = tempfile::tempdir().unwrap();
    let result = Fixture::write(dir.path(), "neon").run_c_checks(Arch::Arm64, C_HARNESS);
    go_asm_tests::report(&format!("neon, arm64 native: {result}"));
}

/// In a `.syso` the table references are resolved in place (ADR + NOP): each
/// ADR of `table_at` must point at the table plus its offset, i.e. at the words
/// 11, 33 and 44 the table holds there.
#[test]
fn syso_resolves_table_offsets_in_place() {
    use object::{Object, ObjectSection, ObjectSymbol};
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::write(dir.path(), "neon");
    let target =
        go_asm_build::internal::native::Target::for_rust_target("aarch64", "linux").unwrap();
    let bytes = fx
        .pkg
        .native_object(
            &fx.sources,
            &fx.built,
            target,
            go_asm_build::internal::native::Linkage::Syso,
        )
        .unwrap();
    let file = object::File::parse(&*bytes).unwrap();
    let section = file.section_by_name(".text").unwrap();
    assert_eq!(section.relocations().count(), 0);
    let text = section.data().unwrap();
    let table_at = fx
        .sources
        .iter()
        .flat_map(|s| s.fns.iter())
        .find(|f| f.sig.name == "table_at")
        .unwrap();
    let sym = file
        .symbols()
        .find(|s| s.name() == Ok(table_at.symbol.as_str()))
        .unwrap();
    let start = sym.address() as usize;
    let mut loaded = Vec::new();
    for at in (start..start + sym.size() as usize).step_by(4) {
        let w = u32::from_le_bytes(text[at..at + 4].try_into().unwrap());
        if w & 0x9f00_0000 == 0x1000_0000 {
            // ADR: immhi (bits 5..24) : immlo (bits 29..31), signed 21 bits.
            let imm = (((w >> 5) & 0x7_ffff) << 2) | ((w >> 29) & 3);
            let rel = ((imm << 11) as i32) >> 11;
            let target = (at as i64 + rel as i64) as usize;
            loaded.push(u64::from_le_bytes(
                text[target..target + 8].try_into().unwrap(),
            ));
        }
    }
    assert_eq!(loaded, [11, 33, 44]);
}
