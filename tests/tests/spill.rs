//! Spilling: `tests/fixtures/spill.rs` keeps more values live than either
//! architecture has registers (general and vector values, arguments in registers
//! and on the C stack, accumulators across a loop, a spilled value returned, a frame
//! too big for NOSPLIT). Its Go package is vetted and tested on linux/amd64 and on
//! linux/arm64 under qemu; the native objects give the same results from C; and
//! the Go-assembled bodies are byte-identical to the native ones.

use go_asm_build::internal::native::{native_fn, native_targets, Linkage, Target};
use go_asm_build::internal::package::{Built, Source};
use go_asm_build::{Arch, Package};
use go_asm_tests::{body_for, go_asm_listing, run, run_c_program, sentinel_harness, tool, Fixture};
use object::{Object, ObjectSection};
use std::path::Path;

const FUNCTIONS: [&str; 6] = [
    "fold_gp",
    "first_and_fold",
    "fold_vec",
    "many_args",
    "loop_mix",
    "big_frame",
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

/// Writes the package (Go files and C header) into `dir/spill`.
fn generate(dir: &Path) -> (Package, Vec<Source>, Built) {
    let f = Fixture::write(dir, "spill");
    (f.pkg, f.sources, f.built)
}

/// Every fixture function spills on both architectures; prints the counts.
#[test]
fn every_function_spills_on_both_architectures() {
    let dir = tempfile::tempdir().unwrap();
    let (_, sources, built) = generate(dir.path());
    let fns: Vec<_> = sources.iter().flat_map(|s| s.fns.iter()).collect();
    // fold_vec dispatches (its amd64 block declares avx2): its variants, which
    // follow it, hold the bodies.
    let names: Vec<&str> = fns
        .iter()
        .filter(|f| f.variant_arch.is_none())
        .map(|f| f.sig.name.as_str())
        .collect();
    assert_eq!(names, FUNCTIONS);
    let (mut total, mut moves) = (0, 0);
    for (f, compiled) in fns.iter().zip(&built.compiled) {
        for c in compiled {
            assert!(
                c.spilled > 0,
                "{} {:?}: nothing spilled",
                f.sig.name,
                c.arch
            );
            assert!(c.spill_bytes > 0 && c.spill_bytes % 16 == 0);
            println!(
                "{:<15} {:?}: {} values spilled, {} bytes of slots, {} arguments in slots",
                f.sig.name,
                c.arch,
                c.spilled,
                c.spill_bytes,
                c.arg_slots.iter().flatten().count()
            );
            let sp = match c.arch {
                Arch::Amd64 => "(SP)",
                Arch::Arm64 => "(RSP)",
            };
            moves += c.go_body.iter().filter(|l| l.contains(sp)).count();
            // A value stored by one instruction is not reloaded by the next.
            for pair in c.go_body.windows(2) {
                let store = pair[0]
                    .trim()
                    .split_once(char::is_whitespace)
                    .map(|(m, ops)| (m, ops.trim()));
                let load = pair[1]
                    .trim()
                    .split_once(char::is_whitespace)
                    .map(|(m, ops)| (m, ops.trim()));
                if let (Some((m1, o1)), Some((m2, o2))) = (store, load) {
                    let swapped = o1.split_once(", ").map(|(a, b)| format!("{b}, {a}"));
                    assert!(
                        !(m1 == m2 && o1.ends_with(sp) && swapped.as_deref() == Some(o2)),
                        "{} {:?}: reload right after the store:\n{}\n{}",
                        f.sig.name,
                        c.arch,
                        pair[0],
                        pair[1]
                    );
                }
            }
            total += c.spilled;
        }
    }
    let args_spilled = |arch: Arch| {
        fns.iter()
            .zip(&built.compiled)
            .find(|(f, _)| f.sig.name == "many_args")
            .map(|(_, cs)| {
                cs.iter()
                    .find(|c| c.arch == arch)
                    .unwrap()
                    .arg_slots
                    .iter()
                    .flatten()
                    .count()
            })
            .unwrap()
    };
    for arch in [Arch::Amd64, Arch::Arm64] {
        assert!(
            args_spilled(arch) > 0,
            "{arch:?}: many_args spills arguments"
        );
        // first_and_fold's first result is spilled and reloaded straight into the
        // result register.
        let c = fns
            .iter()
            .zip(&built.compiled)
            .find(|(f, _)| f.sig.name == "first_and_fold")
            .map(|(_, cs)| cs.iter().find(|c| c.arch == arch).unwrap())
            .unwrap();
        let reload = match arch {
            Arch::Amd64 => "(SP), AX",
            Arch::Arm64 => "(RSP), R0",
        };
        assert!(
            c.go_body.iter().rev().take(3).any(|l| l.ends_with(reload)),
            "{arch:?}: the returned value comes from its slot:\n{}",
            c.go_body.join("\n")
        );
    }
    println!(
        "functions: {}, spilled values: {total}, spill loads and stores in the bodies: {moves} (both architectures)",
        fns.len()
    );
}

/// The Go side of the checks: reference functions (the fallback's formulas, per
/// GOARCH) against the assembly for many inputs.
const GO_TEST: &str = r#"package spill

import (
	"math/bits"
	"runtime"
	"testing"
)

func refFold(a, b uint64, n int) uint64 {
	acc := b*3 + a
	for i := uint64(1); i < uint64(n); i++ {
		acc = bits.RotateLeft64(acc, 5) ^ (b*(i+3) + a + i*7)
	}
	return acc
}

func inputs() []uint64 {
	xs := []uint64{0, 1, 2, 3, 0xffffffffffffffff, 0x8000000000000000, 12345, 0x0123456789abcdef}
	s := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < 40; i++ {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		xs = append(xs, s)
	}
	return xs
}

func TestSpills(t *testing.T) {
	arm := runtime.GOARCH == "arm64"
	checks := 0
	check := func(name string, got, want uint64) {
		t.Helper()
		checks++
		if got != want {
			t.Errorf("%s = %#x, want %#x", name, got, want)
		}
	}
	for _, a := range inputs() {
		for _, b := range inputs()[:12] {
			check("FoldGp", FoldGp(a, b), refFold(a, b, 30))
			first, acc := FirstAndFold(a, b)
			want := b*5 + a
			for i := uint64(1); i < 30; i++ {
				want = bits.RotateLeft64(want, 5) ^ (b*(i+5) + a)
			}
			check("FirstAndFold.0", first, a*3)
			check("FirstAndFold.1", acc, want)
		}
		for _, x := range []float64{0, 1.5, -7.25, 1e9} {
			n := uint64(20)
			if arm {
				n = 36
			}
			var acc uint64
			for i := uint64(0); i < n; i++ {
				acc += a + i*8 + 1
				acc ^= acc << 1
			}
			check("FoldVec", FoldVec(a, x), acc*2+uint64(int64(x)))
		}
		{
			n := uint64(14)
			if arm {
				n = 28
			}
			xs := []uint64{a ^ 77, 5, 6}
			p0, p1, p2 := uint8(a), int16(a>>8), int32(a>>16)
			p5, p6 := uint32(a>>3), int8(a>>40)
			f := float64(int32(a >> 20))
			acc := a + 1
			for i := uint64(1); i < n; i++ {
				acc = bits.RotateLeft64(acc, 5) ^ (a + i*11 + 1)
			}
			acc += uint64(p0)
			acc ^= uint64(int64(p1))
			acc += uint64(int64(p2))
			acc ^= uint64(len(xs))
			acc += xs[0]
			acc += uint64(int64(f))
			acc ^= uint64(p5)
			acc += uint64(int64(p6))
			acc ^= a * 7
			acc += a * 9
			check("ManyArgs", ManyArgs(p0, p1, p2, a, xs, f, p5, p6, a*7, a*9), acc)
		}
		{
			k := 16
			if arm {
				k = 30
			}
			xs := inputs()[:int(a%9)]
			c := make([]uint64, k)
			for i := range c {
				c[i] = uint64(i + 1)
			}
			for _, x := range xs {
				for i := range c {
					c[i] = bits.RotateLeft64(c[i]+x+uint64(i*3+1), 1)
				}
			}
			r := c[0]
			for _, v := range c[1:] {
				r = bits.RotateLeft64(r, 3) ^ v
			}
			check("LoopMix", LoopMix(xs), r)
		}
		{
			acc := a * 3
			for i := uint64(1); i < 100; i++ {
				acc = bits.RotateLeft64(acc, 5) ^ (a*(i+3) + i*7)
			}
			check("BigFrame", BigFrame(a), acc)
		}
	}
	t.Logf("%s: %d checks", runtime.GOARCH, checks)
}

// Deep recursion around the calls: BigFrame (no NOSPLIT) must grow the stack.
func deep(n int, a uint64) uint64 {
	var pad [64]byte
	pad[n%64] = byte(n)
	if n == 0 {
		return BigFrame(a) + uint64(pad[0])
	}
	return deep(n-1, a) + uint64(pad[n%64])
}

func TestDeepStacks(t *testing.T) {
	done := make(chan uint64)
	for g := 0; g < 8; g++ {
		go func(g int) { done <- deep(500+g*97, uint64(g)) }(g)
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
"#;

#[test]
fn go_vet_is_silent_and_go_test_passes_on_amd64_and_arm64() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let pkg = dir.path().join("spill");
    std::fs::write(pkg.join("spill_test.go"), GO_TEST).unwrap();
    let asm = std::fs::read_to_string(pkg.join("spill_amd64.s")).unwrap();
    assert!(
        asm.contains("TEXT ·BigFrame(SB), $") && asm.contains("TEXT ·FoldGp(SB), NOSPLIT, $"),
        "big frames drop NOSPLIT, small ones keep it:\n{}",
        asm.lines()
            .filter(|l| l.starts_with("TEXT"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for goarch in ["amd64", "arm64", "386"] {
        let out = run(tool("go")
            .current_dir(&pkg)
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .args(["vet", "-asmdecl", "-framepointer", "./..."]));
        assert!(out.trim().is_empty(), "go vet ({goarch}) said:\n{out}");
        let out = run(tool("go")
            .current_dir(&pkg)
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .args(["vet", "./..."]));
        assert!(out.trim().is_empty(), "go vet ({goarch}) said:\n{out}");
    }
    let out = run(tool("go")
        .current_dir(&pkg)
        .env("GOARCH", "amd64")
        .args(["test", "-count=1", "-v", "./..."]));
    println!("{}", checks_line(&out));
    tool("qemu-aarch64");
    let out = run(tool("go")
        .current_dir(&pkg)
        .env("GOARCH", "arm64")
        .env("GOOS", "linux")
        .env("CGO_ENABLED", "0")
        .args(["test", "-count=1", "-v", "-exec", "qemu-aarch64", "./..."]));
    println!("{}", checks_line(&out));
    let out = run(tool("gofmt").arg("-l").arg(&pkg));
    assert!(out.trim().is_empty(), "gofmt would change:\n{out}");
}

fn checks_line(out: &str) -> String {
    out.lines()
        .find(|l| l.contains("checks"))
        .map(|l| l.trim().to_string())
        .unwrap_or_else(|| panic!("no checks line in:\n{out}"))
}

/// The same checks in C, against the native objects through the generated header.
const C_HARNESS: &str = r#"
#define GO_ASM_SHORT_NAMES
#include <stdio.h>
#include "spill.h"

#ifdef __aarch64__
enum { VEC_N = 36, ARGS_N = 28, LOOP_K = 30 };
#else
enum { VEC_N = 20, ARGS_N = 14, LOOP_K = 16 };
#endif

static int failures, checks;
#define CHECK(name, got, want) do { checks++; if ((got) != (want)) { failures++; printf("FAIL %s: %llx != %llx\n", name, (unsigned long long)(got), (unsigned long long)(want)); } } while (0)

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

int main(void) {
    uint64_t in[48] = {0, 1, 2, 3, 0xffffffffffffffffull, 0x8000000000000000ull, 12345, 0x0123456789abcdefull};
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int i = 8; i < 48; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; in[i] = s; }
    for (int ia = 0; ia < 48; ia++) {
        uint64_t a = in[ia];
        for (int ib = 0; ib < 12; ib++) {
            uint64_t b = in[ib];
            uint64_t acc = b * 3 + a;
            for (uint64_t i = 1; i < 30; i++) acc = rotl(acc, 5) ^ (b * (i + 3) + a + i * 7);
            CHECK("fold_gp", fold_gp(a, b), acc);
            acc = b * 5 + a;
            for (uint64_t i = 1; i < 30; i++) acc = rotl(acc, 5) ^ (b * (i + 5) + a);
            struct first_and_fold_results r = first_and_fold(a, b);
            CHECK("first_and_fold.0", r.r0, a * 3);
            CHECK("first_and_fold.1", r.r1, acc);
        }
        double xs_f[4] = {0, 1.5, -7.25, 1e9};
        for (int k = 0; k < 4; k++) {
            uint64_t acc = 0;
            for (uint64_t i = 0; i < VEC_N; i++) { acc += a + i * 8 + 1; acc ^= acc << 1; }
            CHECK("fold_vec", fold_vec(a, xs_f[k]), acc * 2 + (uint64_t)(int64_t)xs_f[k]);
        }
        {
            uint64_t xs[3] = {a ^ 77, 5, 6};
            uint8_t p0 = (uint8_t)a; int16_t p1 = (int16_t)(a >> 8); int32_t p2 = (int32_t)(a >> 16);
            uint32_t p5 = (uint32_t)(a >> 3); int8_t p6 = (int8_t)(a >> 40);
            double f = (double)(int32_t)(a >> 20);
            uint64_t acc = a + 1;
            for (uint64_t i = 1; i < ARGS_N; i++) acc = rotl(acc, 5) ^ (a + i * 11 + 1);
            acc += p0; acc ^= (uint64_t)(int64_t)p1; acc += (uint64_t)(int64_t)p2; acc ^= 3;
            acc += xs[0]; acc += (uint64_t)(int64_t)f; acc ^= p5; acc += (uint64_t)(int64_t)p6;
            acc ^= a * 7; acc += a * 9;
            CHECK("many_args", many_args(p0, p1, p2, a, xs, 3, 3, f, p5, p6, a * 7, a * 9), acc);
        }
        {
            size_t n = (size_t)(a % 9);
            uint64_t c[LOOP_K];
            for (int i = 0; i < LOOP_K; i++) c[i] = (uint64_t)(i + 1);
            for (size_t j = 0; j < n; j++)
                for (int i = 0; i < LOOP_K; i++) c[i] = rotl(c[i] + in[j] + (uint64_t)(i * 3 + 1), 1);
            uint64_t r = c[0];
            for (int i = 1; i < LOOP_K; i++) r = rotl(r, 3) ^ c[i];
            CHECK("loop_mix", loop_mix(in, n, n), r);
        }
        {
            uint64_t acc = a * 3;
            for (uint64_t i = 1; i < 100; i++) acc = rotl(acc, 5) ^ (a * (i + 3) + i * 7);
            CHECK("big_frame", big_frame(a), acc);
        }
    }
    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}
"#;

fn c_harness(arch: Arch) -> String {
    let dir = tempfile::tempdir().unwrap();
    Fixture::write(dir.path(), "spill").run_c_checks(arch, C_HARNESS)
}

#[test]
fn native_objects_agree_from_c_amd64() {
    println!("amd64 native: {}", c_harness(Arch::Amd64));
}

#[test]
fn native_objects_agree_from_c_arm64_under_qemu() {
    println!("arm64 native: {}", c_harness(Arch::Arm64));
}

/// The bytes Go's assembler makes of each body equal the native object's body.
#[test]
fn go_assembled_bodies_equal_native_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let (pkg, sources, built) = generate(dir.path());
    let fns: Vec<_> = sources.iter().flat_map(|s| s.fns.iter()).collect();
    let mut compared = 0;
    for arch in [Arch::Amd64, Arch::Arm64] {
        let target = linux(arch);
        let listing = go_asm_listing(
            &dir.path().join("spill"),
            &format!("spill_{}.s", goarch(arch)),
            goarch(arch),
            "spill",
        );
        let obj = pkg
            .native_object(&sources, &built, target, Linkage::Relocatable)
            .unwrap();
        let file = object::File::parse(&*obj).unwrap();
        let text = file.section_by_name(".text").unwrap().data().unwrap();
        for (f, compiled) in fns.iter().zip(&built.compiled) {
            let Some(c) = body_for(f, compiled, arch) else {
                continue;
            };
            let go = &listing[&f.sig.go_name()].bytes;
            go_asm_tests::assert_body_in_object_and_go(&file, text, f, c, target, go);
            // The native stack use counts the spill area.
            let native = native_fn(f, c, target).unwrap();
            assert!(native.stack_bytes >= c.spill_bytes, "{}", f.sig.name);
            compared += 1;
        }
    }
    println!(
        "bodies compared: {compared} ({} functions x 2 architectures)",
        fns.len()
    );
    assert_eq!(compared, 2 * FUNCTIONS.len());
}

/// Objects for every target (SysV ELF and Mach-O, Win64 COFF, AAPCS64 ELF, Apple
/// arm64 Mach-O) read back, and llvm-objdump decodes the spill code in them.
#[test]
fn objects_for_every_target_disassemble_with_llvm_objdump() {
    let dir = tempfile::tempdir().unwrap();
    let (pkg, sources, built) = generate(dir.path());
    let fns: Vec<_> = sources.iter().flat_map(|s| s.fns.iter()).collect();
    let mut checked = 0;
    for &target in native_targets() {
        for (f, compiled) in fns.iter().zip(&built.compiled) {
            let Some(c) = body_for(f, compiled, target.arch) else {
                continue;
            };
            let native = native_fn(f, c, target).unwrap();
            assert!(
                native.stack_bytes >= c.spill_bytes,
                "{} {target:?}: the stack use counts the spill area",
                f.sig.name
            );
        }
        let bytes = pkg
            .native_object(&sources, &built, target, Linkage::Relocatable)
            .unwrap();
        object::File::parse(&*bytes).expect("parses");
        let path = dir
            .path()
            .join(format!("spill_{}_{:?}.o", target.goos, target.arch));
        std::fs::write(&path, &bytes).unwrap();
        let dump = run(tool("llvm-objdump").args(["-d"]).arg(&path));
        assert!(!dump.contains("<unknown>"), "{target:?}:\n{dump}");
        let spill_code: &[&str] = match target.arch {
            Arch::Amd64 => &[", 8(%rsp)", "vmovdqu\t%ymm", "(%rsp), %ymm"],
            Arch::Arm64 => &["str\tq", "ldr\tq", "[sp, #8]"],
        };
        for needle in spill_code {
            assert!(
                dump.contains(needle),
                "{target:?}: no `{needle}` in the disassembly"
            );
        }
        checked += 1;
    }
    println!("objects disassembled: {checked} targets");
    assert_eq!(checked, native_targets().len());
}

const SENTINEL_MAIN: &str = r#"
#define GO_ASM_SHORT_NAMES
#include <stdio.h>
#include "spill.h"
uint64_t call_with_sentinels(void *fn, uint64_t a, uint64_t b, int *ok);
int main(void) {
    int bad = 0, ok, calls = 0;
    uint64_t xs[5] = {1, 2, 3, 4, 5};
    struct { const char *name; void *fn; uint64_t a, b; } cases[] = {
        {"fold_gp", (void *)fold_gp, 3, 5},
        {"first_and_fold", (void *)first_and_fold, 3, 5},
        {"fold_vec", (void *)fold_vec, 3, 0},
        {"loop_mix", (void *)loop_mix, (uint64_t)xs, 5},
        {"big_frame", (void *)big_frame, 3, 0},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t got = call_with_sentinels(cases[i].fn, cases[i].a, cases[i].b, &ok);
        calls++;
        if (!ok) { printf("FAIL %s clobbered a callee-saved register or sp\n", cases[i].name); bad++; }
        if (i == 0 && got != fold_gp(3, 5)) { printf("FAIL fold_gp through the harness\n"); bad++; }
    }
    printf("sentinels: %d calls, %d failures\n", calls, bad);
    return bad != 0;
}
"#;

fn sentinels(arch: Arch) -> String {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture::write(dir.path(), "spill");
    let obj = fixture.linux_object(arch);
    let out = fixture.out;
    let main = out.join("main.c");
    std::fs::write(&main, SENTINEL_MAIN).unwrap();
    let result = run_c_program(
        arch,
        &out,
        &[main, sentinel_harness(arch), obj],
        &out.join("sentinels"),
    );
    assert!(result.contains(" 0 failures"), "{result}");
    result.trim().to_string()
}

#[test]
fn callee_saved_registers_and_sp_survive_amd64() {
    println!("amd64 {}", sentinels(Arch::Amd64));
}

#[test]
fn callee_saved_registers_and_sp_survive_arm64_under_qemu() {
    println!("arm64 {}", sentinels(Arch::Arm64));
}
