//! Stack locals: `tests/fixtures/locals.rs` uses scratch memory in the frame
//! through constant offsets and index registers, locals aligned to 16, 32 and 64
//! bytes (amd64 `movdqa` faults on an address not 16-byte aligned), locals next to
//! spill slots, a 2 KiB frame too big for NOSPLIT and a 512-byte `nosplit` one.
//! Its Go package is vetted and tested on linux/amd64 and linux/arm64 under qemu
//! (at many stack depths, so the stack pointer takes every alignment, and on
//! small goroutine stacks, so the big frame grows them); the native objects give
//! the same results from C; and the Go-assembled bodies are byte-identical to the
//! native ones.

use go_asm_build::internal::native::{native_fn, native_targets, Linkage, Target};
use go_asm_build::Arch;
use go_asm_tests::{go_asm_listing, run, tool, Fixture};
use object::{Object, ObjectSection};

const FUNCTIONS: [&str; 6] = [
    "reverse_hash",
    "aligned_probe",
    "aligned_copy",
    "pressure",
    "histogram",
    "window",
];

fn goarch(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "amd64",
        Arch::Arm64 => "arm64",
    }
}

fn linux(arch: Arch) -> Target {
    let rust = match arch {
        Arch::Amd64 => "x86_64",
        Arch::Arm64 => "aarch64",
    };
    Target::for_rust_target(rust, "linux").expect("linux target")
}

/// Every function has stack locals; the frames are what the fixture says.
#[test]
fn frames_hold_the_locals() {
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::write(dir.path(), "locals");
    let fns: Vec<_> = f.sources.iter().flat_map(|s| s.fns.iter()).collect();
    let names: Vec<&str> = fns.iter().map(|f| f.sig.name.as_str()).collect();
    assert_eq!(names, FUNCTIONS);
    for (func, compiled) in fns.iter().zip(&f.built.compiled) {
        for c in compiled {
            assert!(
                c.locals_bytes > 0 && c.locals_bytes % 16 == 0,
                "{} {:?}: {} bytes of locals",
                func.sig.name,
                c.arch,
                c.locals_bytes
            );
            println!(
                "{:<14} {:?}: {} bytes of stack locals, {} of spill slots ({} values)",
                func.sig.name, c.arch, c.locals_bytes, c.spill_bytes, c.spilled
            );
        }
    }
    // `pressure` spills on both architectures, above its locals.
    let c = &f.built.compiled[FUNCTIONS.iter().position(|n| *n == "pressure").unwrap()];
    assert!(c.iter().all(|c| c.spilled > 0 && c.spill_bytes > 0));
    for arch in [Arch::Amd64, Arch::Arm64] {
        let asm =
            std::fs::read_to_string(f.out.join(format!("locals_{}.s", goarch(arch)))).unwrap();
        let text: Vec<&str> = asm.lines().filter(|l| l.starts_with("TEXT")).collect();
        for (name, line) in [
            ("Histogram", "TEXT ·Histogram(SB), $2048-32"),
            ("Window", "TEXT ·Window(SB), NOSPLIT, $512-32"),
            ("ReverseHash", "TEXT ·ReverseHash(SB), NOSPLIT, $256-32"),
        ] {
            assert!(
                text.contains(&line),
                "{arch:?} {name}: expected `{line}` in\n{}",
                text.join("\n")
            );
        }
    }
}

const GO_TEST: &str = r#"package locals

import (
	"math/bits"
	"testing"
)

func refReverseHash(xs []uint64) uint64 {
	n := len(xs)
	if n > 32 {
		n = 32
	}
	var h uint64
	for i := n - 1; i >= 0; i-- {
		h = h*31 + xs[i]
	}
	return h
}

func refAlignedCopy(xs []uint64) uint64 {
	var h uint64
	for i := 0; i < 8; i++ {
		h += xs[i] * uint64(i+1)
	}
	return h
}

func refPressure(a, b uint64) uint64 {
	var v [32]uint64
	for i := range v {
		v[i] = b*uint64(i+3) + a
	}
	acc := a
	for i := 0; i < 32; i++ {
		acc = bits.RotateLeft64(acc, 5) ^ v[i]
		acc += v[31-i]
	}
	return acc
}

func refHistogram(xs []byte) uint64 {
	var h [256]uint64
	for _, x := range xs {
		h[x]++
	}
	var s uint64
	for _, c := range h {
		s += c * c
	}
	return s
}

func refWindow(xs []uint64) uint64 {
	var w [64]uint64
	for i, x := range xs {
		w[i%64] += x
	}
	var s uint64
	for i, c := range w {
		s += c * uint64(i+1)
	}
	return s
}

var checks int

func check(t *testing.T, name string, got, want uint64) {
	t.Helper()
	checks++
	if got != want {
		t.Errorf("%s: got %#x, want %#x", name, got, want)
	}
}

// atDepth calls f below depth frames of pad words each, so the stack pointer
// takes every alignment mod 64 over the depths.
//
//go:noinline
func atDepth(depth int, pad int, f func()) {
	var buf [3]uint64
	buf[depth%3] = uint64(depth)
	if depth > 0 {
		atDepth(depth-1, pad, f)
		return
	}
	f()
	_ = buf
}

func values() []uint64 {
	vs := []uint64{0, 1, 2, 3, 0xffffffffffffffff, 0x8000000000000000, 12345, 0x0123456789abcdef}
	s := uint64(0x9e3779b97f4a7c15)
	for len(vs) < 300 {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		vs = append(vs, s)
	}
	return vs
}

func TestLocals(t *testing.T) {
	vs := values()
	for n := 0; n <= 40; n++ {
		check(t, "ReverseHash", ReverseHash(vs[:n]), refReverseHash(vs[:n]))
	}
	for i := 0; i+8 <= len(vs); i += 7 {
		check(t, "AlignedCopy", AlignedCopy(vs[i:i+8]), refAlignedCopy(vs[i:i+8]))
	}
	for i, a := range vs[:64] {
		check(t, "Pressure", Pressure(a, vs[i+1]), refPressure(a, vs[i+1]))
	}
	for n := 0; n < 300; n += 13 {
		xs := make([]byte, n*11)
		for i := range xs {
			xs[i] = byte(vs[i%len(vs)] >> (i % 7))
		}
		check(t, "Histogram", Histogram(xs), refHistogram(xs))
	}
	for n := 0; n < 300; n += 17 {
		check(t, "Window", Window(vs[:n]), refWindow(vs[:n]))
	}
	// Every stack alignment: the aligned locals stay aligned, and movdqa does not fault.
	for depth := 0; depth < 40; depth++ {
		atDepth(depth, 0, func() {
			a, b, c := AlignedProbe(uint64(depth))
			check(t, "AlignedProbe.16", a, 0)
			check(t, "AlignedProbe.32", b, 0)
			check(t, "AlignedProbe.64", c, 0)
			check(t, "AlignedCopy.depth", AlignedCopy(vs[depth:depth+8]), refAlignedCopy(vs[depth:depth+8]))
		})
	}
	// The 2 KiB frame grows small goroutine stacks.
	done := make(chan uint64)
	xs := make([]byte, 5000)
	for i := range xs {
		xs[i] = byte(i * 7)
	}
	want := refHistogram(xs)
	for g := 0; g < 16; g++ {
		go func(g int) {
			var got uint64
			atDepth(g*5, 0, func() { got = Histogram(xs) })
			done <- got
		}(g)
	}
	for g := 0; g < 16; g++ {
		check(t, "Histogram.goroutine", <-done, want)
	}
	t.Logf("locals checks %d", checks)
}
"#;

#[test]
fn go_vet_is_silent_and_go_test_passes_on_amd64_and_arm64() {
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::write(dir.path(), "locals");
    std::fs::write(f.out.join("locals_test.go"), GO_TEST).unwrap();
    for goarch in ["amd64", "arm64", "386"] {
        for args in [
            &["vet", "-asmdecl", "-framepointer", "./..."][..],
            &["vet", "./..."],
        ] {
            let out = run(tool("go")
                .current_dir(&f.out)
                .env("GOARCH", goarch)
                .env("GOOS", "linux")
                .args(args));
            assert!(out.trim().is_empty(), "go vet ({goarch}) said:\n{out}");
        }
    }
    let line = |out: &str| {
        out.lines()
            .find(|l| l.contains("locals checks"))
            .map(|l| l.trim().to_string())
            .unwrap_or_else(|| panic!("no checks line in:\n{out}"))
    };
    let out = run(tool("go")
        .current_dir(&f.out)
        .env("GOARCH", "amd64")
        .args(["test", "-count=1", "-v", "./..."]));
    println!("amd64: {}", line(&out));
    let out = run(tool("go")
        .current_dir(&f.out)
        .env("GOARCH", "amd64")
        .args(["test", "-count=1", "-v", "-tags", "purego", "./..."]));
    println!("purego: {}", line(&out));
    tool("qemu-aarch64");
    let out = run(tool("go")
        .current_dir(&f.out)
        .env("GOARCH", "arm64")
        .env("GOOS", "linux")
        .env("CGO_ENABLED", "0")
        .args(["test", "-count=1", "-v", "-exec", "qemu-aarch64", "./..."]));
    println!("arm64 (qemu): {}", line(&out));
    let out = run(tool("gofmt").arg("-l").arg(&f.out));
    assert!(out.trim().is_empty(), "gofmt would change:\n{out}");
}

/// The same checks in C, against the native objects through the generated header.
const C_HARNESS: &str = r#"
#define GO_ASM_SHORT_NAMES
#include <stdio.h>
#include <string.h>
#include "locals.h"

static int failures, checks;
#define CHECK(name, got, want) do { checks++; if ((got) != (want)) { failures++; printf("FAIL %s: %llx != %llx\n", name, (unsigned long long)(got), (unsigned long long)(want)); } } while (0)

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t vs[300];

static void probe(int depth) {
    volatile uint64_t pad[3];
    pad[depth % 3] = (uint64_t)depth;
    if (depth > 0) { probe(depth - 1); return; }
    struct aligned_probe_results r = aligned_probe(7);
    CHECK("aligned_probe.16", r.r0, 0);
    CHECK("aligned_probe.32", r.r1, 0);
    CHECK("aligned_probe.64", r.r2, 0);
    (void)pad[0];
}

int main(void) {
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 300; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; vs[i] = s; }
    vs[0] = 0; vs[1] = 1; vs[2] = ~0ull; vs[3] = 1ull << 63;
    for (size_t n = 0; n <= 40; n++) {
        size_t m = n > 32 ? 32 : n;
        uint64_t h = 0;
        for (size_t i = m; i-- > 0;) h = h * 31 + vs[i];
        CHECK("reverse_hash", reverse_hash(vs, n, n), h);
    }
    for (size_t i = 0; i + 8 <= 300; i += 7) {
        uint64_t h = 0;
        for (int k = 0; k < 8; k++) h += vs[i + k] * (uint64_t)(k + 1);
        CHECK("aligned_copy", aligned_copy(vs + i, 8, 8), h);
    }
    for (int i = 0; i < 64; i++) {
        uint64_t a = vs[i], b = vs[i + 1], v[32], acc = a;
        for (int k = 0; k < 32; k++) v[k] = b * (uint64_t)(k + 3) + a;
        for (int k = 0; k < 32; k++) { acc = rotl(acc, 5) ^ v[k]; acc += v[31 - k]; }
        CHECK("pressure", pressure(a, b), acc);
    }
    static uint8_t xs[3300];
    for (size_t n = 0; n < 300; n += 13) {
        size_t len = n * 11;
        uint64_t h[256], sum = 0;
        memset(h, 0, sizeof h);
        for (size_t i = 0; i < len; i++) { xs[i] = (uint8_t)(vs[i % 300] >> (i % 7)); h[xs[i]]++; }
        for (int k = 0; k < 256; k++) sum += h[k] * h[k];
        CHECK("histogram", histogram(xs, len, len), sum);
    }
    for (size_t n = 0; n < 300; n += 17) {
        uint64_t w[64], sum = 0;
        memset(w, 0, sizeof w);
        for (size_t i = 0; i < n; i++) w[i % 64] += vs[i];
        for (int k = 0; k < 64; k++) sum += w[k] * (uint64_t)(k + 1);
        CHECK("window", window(vs, n, n), sum);
    }
    for (int depth = 0; depth < 40; depth++) probe(depth);
    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}
"#;

#[test]
fn native_objects_agree_from_c_amd64() {
    let dir = tempfile::tempdir().unwrap();
    let out = Fixture::write(dir.path(), "locals").run_c_checks(Arch::Amd64, C_HARNESS);
    println!("amd64 native: {out}");
}

#[test]
fn native_objects_agree_from_c_arm64_under_qemu() {
    let dir = tempfile::tempdir().unwrap();
    let out = Fixture::write(dir.path(), "locals").run_c_checks(Arch::Arm64, C_HARNESS);
    println!("arm64 native: {out}");
}

/// The bytes Go's assembler makes of each body equal the native object's body,
/// and the native stack use counts the locals.
#[test]
fn go_assembled_bodies_equal_native_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::write(dir.path(), "locals");
    let fns: Vec<_> = f.sources.iter().flat_map(|s| s.fns.iter()).collect();
    let mut compared = 0;
    for arch in [Arch::Amd64, Arch::Arm64] {
        let target = linux(arch);
        let listing = go_asm_listing(
            &f.out,
            &format!("locals_{}.s", goarch(arch)),
            goarch(arch),
            "locals",
        );
        let obj = f
            .pkg
            .native_object(&f.sources, &f.built, target, Linkage::Relocatable)
            .unwrap();
        let file = object::File::parse(&*obj).unwrap();
        let text = file.section_by_name(".text").unwrap().data().unwrap();
        for (func, compiled) in fns.iter().zip(&f.built.compiled) {
            let c = compiled.iter().find(|c| c.arch == arch).unwrap();
            let go = &listing[&func.sig.go_name()].bytes;
            go_asm_tests::assert_body_in_object_and_go(&file, text, func, c, target, go);
            let native = native_fn(func, c, target).unwrap();
            assert!(
                native.stack_bytes >= c.frame_bytes(),
                "{}: the native stack use counts the locals",
                func.sig.name
            );
            compared += 1;
        }
    }
    println!(
        "bodies compared: {compared} ({} functions x 2 architectures)",
        fns.len()
    );
    assert_eq!(compared, 2 * FUNCTIONS.len());
}

/// Objects for every native target (Win64 and Apple included) are written and
/// read back.
#[test]
fn objects_for_every_target_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::write(dir.path(), "locals");
    for &target in native_targets() {
        let obj = f
            .pkg
            .native_object(&f.sources, &f.built, target, Linkage::Relocatable)
            .unwrap();
        let file = object::File::parse(&*obj).unwrap();
        assert!(file.symbols().count() >= FUNCTIONS.len(), "{target:?}");
    }
}
