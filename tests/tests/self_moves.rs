//! No moves from a register to itself in the output: every example package, the
//! spill fixtures and a block whose written `mov` gets the same register on both
//! sides (as in an `addVV` port), in the Go text and in the native objects for
//! every target as llvm-objdump decodes them. Narrower views (`mov r32, r32`,
//! `mov w, w`) zero the upper part and are not self-moves.

use go_asm_build::internal::native::{native_targets, Linkage};
use go_asm_build::Package;
use go_asm_tests::{example_package, example_packages, repo_root, run, tool};

/// `mov t, x` with t dead before and x dead after: colouring gives both the same
/// register.
const COPY_THROUGH: &str = r#"
use go_asm::go_asm;

#[go_asm]
pub fn add_vv(z: &mut [u64], x: &[u64], y: &[u64]) -> u64 {
    amd64! {
        let t: gp64, c: gp64, v: xmm, w: xmm
        xor c, c
        mov t, x.len
        add c, t
        mov t, qword [y.ptr]
        mov qword [z.ptr], t
        movq v, c
        movaps w, v
        movq c, w
        mov t, c
        return t
    }
    arm64! {
        let t: x, c: x, v: v, w: v
        mov c, xzr
        mov t, x.len
        add c, c, t
        ldr t, [y.ptr]
        str t, [z.ptr]
        fmov v.d, c
        mov w.16b, v.16b
        fmov c, w.d
        mov t, c
        return t
    }
    go! {
        z[0] = y[0]
        return uint64(len(x))
    }
}
"#;

/// Whether a disassembled (llvm-objdump) or Go line is a whole-register move
/// from a register to itself.
fn self_move(line: &str) -> bool {
    let text = line.split('\t').filter(|f| !f.trim().is_empty());
    let fields: Vec<&str> = text.collect();
    // objdump: address, bytes, mnemonic, operands; Go: mnemonic, operands.
    let (Some(ops), Some(mnemonic)) = (fields.last(), fields.iter().rev().nth(1)) else {
        return false;
    };
    let Some((a, b)) = ops.trim().split_once(", ") else {
        return false;
    };
    let whole = match mnemonic.trim() {
        // AT&T and Go amd64: 64-bit and full xmm moves.
        "movq" => a.starts_with("%r") && !a.ends_with('d'),
        "MOVQ" => !a.starts_with('X') && !a.starts_with('$') && !a.contains('('),
        "movaps" | "movups" | "movapd" | "movupd" | "movdqa" | "movdqu" => true,
        "MOVAPS" | "MOVUPS" | "MOVAPD" | "MOVUPD" | "MOVO" | "MOVOU" => true,
        // arm64: x registers and whole vectors.
        "mov" => a.starts_with('x') || a.ends_with(".16b"),
        "MOVD" => a.starts_with('R'),
        "VMOV" => a.ends_with(".B16"),
        _ => false,
    };
    whole && a == b
}

#[test]
fn no_register_is_moved_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut packages: Vec<(String, Package)> = example_packages()
        .into_iter()
        .map(|(name, _, _)| (name.clone(), example_package(&name)))
        .collect();
    for fixture in ["spill", "schedule", "parallel_return"] {
        let out = dir.path().join(fixture);
        packages.push((
            fixture.into(),
            Package::new(fixture, out)
                .source(repo_root().join(format!("tests/fixtures/{fixture}.rs"))),
        ));
    }
    let copy = dir.path().join("copy.rs");
    std::fs::write(&copy, COPY_THROUGH).unwrap();
    packages.push((
        "copy".into(),
        Package::new("copy", dir.path().join("copy")).source(&copy),
    ));
    let (mut lines, mut objects) = (0, 0);
    for (name, pkg) in &packages {
        let (sources, built) = pkg.compile().expect("compiles");
        for f in pkg.render_built(&sources, &built) {
            if !f.name.ends_with(".s") {
                continue;
            }
            let text = &f.contents;
            for line in text.lines() {
                lines += 1;
                assert!(!self_move(line), "{name}/{}: {line}", f.name);
            }
        }
        for &target in native_targets() {
            let bytes = pkg
                .native_object(&sources, &built, target, Linkage::Relocatable)
                .unwrap();
            let path = dir
                .path()
                .join(format!("{name}_{:?}_{}.o", target.arch, target.goos));
            std::fs::write(&path, &bytes).unwrap();
            let dump = run(tool("llvm-objdump")
                .args(["-d", "--no-show-raw-insn"])
                .arg(&path));
            for line in dump.lines() {
                assert!(!self_move(line), "{name} {target:?}: {line}");
            }
            objects += 1;
        }
    }
    println!(
        "{} packages: {lines} Go assembly lines, {objects} objects, no self-moves",
        packages.len()
    );
}

#[test]
fn the_self_move_check_sees_self_moves() {
    for line in [
        "\tMOVQ\tSI, SI",
        "\tMOVD\tR1, R1",
        "\tVMOV\tV0.B16, V0.B16",
        "  1c:\tmovq\t%rsi, %rsi",
        "  8:\tmov\tx1, x1",
        "  8:\tmov\tv0.16b, v0.16b",
        "  3:\tmovaps\t%xmm1, %xmm1",
    ] {
        assert!(self_move(line), "{line}");
    }
    for line in [
        "\tMOVL\tSI, SI",
        "\tMOVQ\tSI, DI",
        "  8:\tmov\tw1, w1",
        "  1c:\tmovl\t%esi, %esi",
        "\tMOVQ\t8(SP), AX",
    ] {
        assert!(!self_move(line), "{line}");
    }
}
