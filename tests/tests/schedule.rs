//! A SHA-1-like message schedule written word by word (`tests/fixtures/schedule.rs`):
//! more values live than amd64 has registers. Vetted, and run on linux/amd64 and
//! on linux/arm64 under qemu against a Go reference of the schedule; the spill
//! moves are printed (scripts/bench reports them too).

use go_asm_tests::{run, spill_moves, tool, Fixture};

const GO_TEST: &str = r#"package schedule

import (
	"math/bits"
	"runtime"
	"testing"
)

func TestSchedule(t *testing.T) {
	checks := 0
	s := uint32(0x9e3779b9)
	for round := 0; round < 200; round++ {
		block := make([]uint32, 16)
		for i := range block {
			s ^= s << 13
			s ^= s >> 17
			s ^= s << 5
			block[i] = s
		}
		if round == 0 {
			for i := range block {
				block[i] = ^uint32(0)
			}
		}
		var w [80]uint32
		copy(w[:], block)
		var want uint32
		for i := 0; i < 80; i++ {
			if i >= 16 {
				w[i] = bits.RotateLeft32(w[i-3]^w[i-8]^w[i-14]^w[i-16], 1)
			}
			want += w[i]
		}
		out := make([]uint32, 80)
		if got := Sha1Schedule(block, out); got != want {
			t.Fatalf("sum %#x, want %#x", got, want)
		}
		for i := range w {
			if out[i] != w[i] {
				t.Fatalf("w[%d] = %#x, want %#x", i, out[i], w[i])
			}
		}
		checks++
	}
	t.Logf("%s: %d checks", runtime.GOARCH, checks)
}
"#;

#[test]
fn schedule_spills_on_amd64_and_runs_on_both_architectures() {
    let dir = tempfile::tempdir().unwrap();
    let f = Fixture::write(dir.path(), "schedule");
    for c in &f.built.compiled[0] {
        let (loads, stores) = spill_moves(c);
        println!(
            "sha1_schedule {:?}: {} values spilled, {loads} spill loads, {stores} spill stores",
            c.arch, c.spilled
        );
        if c.arch == go_asm_build::Arch::Amd64 {
            assert!(c.spilled > 0, "amd64 spills");
            // Straight-line code, one write per word: a word is stored at most once
            // (never again while its slot holds it), and reloads are not per use
            // (reloading before every use and storing after every write took 387
            // moves here).
            assert!(
                stores <= c.spilled,
                "{stores} stores for {} values in memory:\n{}",
                c.spilled,
                c.go_body.join("\n")
            );
            assert!(loads + stores <= 387 / 2, "{loads} loads, {stores} stores");
        }
    }
    std::fs::write(f.out.join("schedule_test.go"), GO_TEST).unwrap();
    for goarch in ["amd64", "arm64"] {
        let out = run(tool("go")
            .current_dir(&f.out)
            .env("GOARCH", goarch)
            .env("GOOS", "linux")
            .args(["vet", "./..."]));
        assert!(out.trim().is_empty(), "go vet ({goarch}) said:\n{out}");
    }
    let out = run(tool("go")
        .current_dir(&f.out)
        .env("GOARCH", "amd64")
        .args(["test", "-count=1", "-v", "./..."]));
    assert!(out.contains("amd64: 200 checks"), "{out}");
    tool("qemu-aarch64");
    let out = run(tool("go")
        .current_dir(&f.out)
        .env("GOARCH", "arm64")
        .env("GOOS", "linux")
        .env("CGO_ENABLED", "0")
        .args(["test", "-count=1", "-v", "-exec", "qemu-aarch64", "./..."]));
    assert!(out.contains("arm64: 200 checks"), "{out}");
}

/// `phases` rounds of `n` values live at once (each round summed before the next
/// begins), amd64 only.
fn phased(phases: usize, n: usize) -> String {
    let mut body = String::from("        let acc: gp64\n        xor acc, acc\n");
    for p in 0..phases {
        let names: Vec<String> = (0..n).map(|i| format!("p{p}v{i}: gp64")).collect();
        body.push_str(&format!("        let {}\n", names.join(", ")));
        for i in 0..n {
            body.push_str(&format!("        lea p{p}v{i}, [a + {}]\n", p * n + i));
        }
        for i in 0..n {
            body.push_str(&format!("        add acc, p{p}v{i}\n"));
        }
    }
    format!(
        "use go_asm::go_asm;\n#[go_asm]\npub fn phased(a: u64) -> u64 {{\n    amd64! {{\n{body}        return acc\n    }}\n    go! {{ return a }}\n}}\n"
    )
}

/// Values never live at once share spill slots: three rounds of 24 live values
/// need much less than three times the spill area of one.
#[test]
fn disjoint_lives_share_spill_slots() {
    let area = |phases: usize| {
        let src =
            go_asm_build::internal::package::parse_source("phased.rs", phased(phases, 24)).unwrap();
        let c = go_asm_build::internal::compile::compile(&src.fns[0], go_asm_build::Arch::Amd64)
            .unwrap();
        assert!(c.spilled > 0);
        (c.spilled, c.spill_bytes)
    };
    let (one, three) = (area(1), area(3));
    println!("one round: {one:?}, three rounds: {three:?} (values in memory, bytes of slots)");
    // Without sharing, three rounds need three times the slots of one.
    assert!(three.0 >= 3 * one.0, "{one:?} {three:?}");
    assert!(2 * three.1 < 3 * one.1, "{one:?} {three:?}");
}
