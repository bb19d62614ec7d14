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
