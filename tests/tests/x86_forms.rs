//! Every amd64 form go-asm accepts, checked against two assemblers nobody here wrote:
//!
//! (a) `llvm-mc -show-encoding` assembles the same Intel text as each representative
//!     instance (register pools low and high, eleven addressing forms, boundary
//!     immediates); go-asm's bytes must be llvm-mc's, except for the documented
//!     [`EXCEPTIONS`], each of which must also decode (iced) to the same instruction.
//! (b) `go tool asm` assembles, in one run, the Go text go-asm prints for every
//!     instance whose form has a row in `go_names.tsv`; the bytes must be go-asm's.
//! (c) prints the counts (accepted forms, forms checked against llvm-mc, forms that
//!     print as Go mnemonics vs `BYTE`).
//!
//! Both tools are required: a missing tool fails the test.

#[path = "../src/x86_oracle.rs"]
mod x86_oracle;

use go_asm_build::internal::x86::gosyntax;
use go_asm_build::internal::x86::parse::Operand;
use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};
use std::collections::{BTreeMap, BTreeSet};
use x86_oracle::*;

/// Where go-asm's encoding differs from llvm-mc's for the same text, on purpose.
struct Exception {
    name: &'static str,
    why: &'static str,
    /// Whether this exception explains the difference (instance, llvm-mc's bytes).
    applies: fn(&Instance, &[u8]) -> bool,
}

fn decoded(bytes: &[u8]) -> String {
    let mut d = Decoder::with_ip(64, bytes, 0, DecoderOptions::NONE);
    let ins = d.decode();
    let mut f = IntelFormatter::new();
    f.options_mut()
        .set_memory_size_options(iced_x86::MemorySizeOptions::Always);
    let mut s = String::new();
    f.format(&ins, &mut s);
    if d.position() != bytes.len() {
        s.push_str(" <trailing bytes>");
    }
    s
}

fn gp_width(o: &Operand) -> Option<u16> {
    match o {
        Operand::Reg { reg, width } => {
            let go_asm_build::internal::ir::Reg::Phys(p) = reg else {
                return None;
            };
            (go_asm_build::internal::x86::regs::class_of(*p)
                == go_asm_build::internal::ir::Class::Gp)
                .then_some(*width)
        }
        _ => None,
    }
}

const EXCEPTIONS: &[Exception] = &[
    Exception {
        name: "vex-register-moves",
        why: "VEX instructions with register operands only take the form whose first \
              operand is ModRM.rm (vmovaps/vmovdqu/vmovss store opcodes 29/11/7F, \
              vpextrw 0F3A 15), as Go's assembler always does; llvm-mc takes the load \
              opcode. Same instruction.",
        applies: |i, mc| {
            i.placed.form.vex
                && !i
                    .placed
                    .inst
                    .ops
                    .iter()
                    .any(|o| matches!(o, Operand::Mem(_)))
                && decoded(mc) == decoded(&i.placed.bytes)
        },
    },
    Exception {
        name: "mov-r64-imm32u",
        why: "`mov r64, imm` with 2^31 <= imm < 2^32 is encoded as `mov r32, imm32` \
              (5 bytes; the CPU zeroes the upper half), as Go's assembler does for MOVQ; \
              llvm-mc emits the 10-byte movabs.",
        applies: |i, mc| {
            i.placed.inst.mnemonic == "mov"
                && i.placed.bytes.len() == 5
                && mc.len() == 10
                && matches!(i.placed.inst.ops.as_slice(), [_, Operand::Imm(v)] if (1i128 << 31..1i128 << 32).contains(v))
        },
    },
    Exception {
        name: "xchg-operand-order",
        why: "`xchg r, r` commutes: llvm-mc puts the first operand in ModRM.reg, go-asm \
              (like Go's assembler) in ModRM.rm; `xchg rax, rax` is 48 90 (llvm-mc: \
              90), a no-op either way.",
        applies: |i, mc| {
            i.placed.inst.mnemonic == "xchg"
                && (mc.len() == i.placed.bytes.len()
                    || (mc == [0x90] && i.placed.bytes == [0x48, 0x90]))
                && i.placed.inst.ops.iter().all(|o| gp_width(o).is_some())
        },
    },
    Exception {
        name: "unsigned-imm32",
        why: "An immediate written unsigned for a 16/32-bit operation (`and ecx, \
              0xffffffff`) keeps its full-width field, as Go's assembler does; llvm-mc \
              re-reads it as a sign-extended imm8 (-1). Same instruction.",
        applies: |i, mc| {
            let w = i
                .placed
                .inst
                .ops
                .iter()
                .find_map(gp_width)
                .unwrap_or(i.placed.form.mem_bytes as u16 * 8);
            let big = i.placed.inst.ops.iter().any(
                |o| matches!(o, Operand::Imm(v) if (16..64).contains(&w) && *v >= 1i128 << (w - 1)),
            );
            big && mc.len() <= i.placed.bytes.len() && decoded(mc) == decoded(&i.placed.bytes)
        },
    },
    Exception {
        name: "crc32-r64-rm8",
        why: "`crc32 r64, r/m8`: go-asm keeps REX.W as llvm-mc does; noted here only \
              because Go spells it without REX.W (so it prints as BYTE).",
        applies: |_, _| false,
    },
];

/// Mnemonics llvm-mc does not accept in this spelling though the CPU has them; the
/// instance is compared with iced's decoding of go-asm's bytes instead.
const LLVM_REJECTS: &[(&str, &str)] = &[
    (
        "pcmpestri64",
        "iced's name for the REX.W form; llvm-mc writes `pcmpestri` with 64-bit registers implied",
    ),
    ("pcmpestrm64", "as pcmpestri64"),
    ("vpcmpestri64", "as pcmpestri64"),
    ("vpcmpestrm64", "as pcmpestri64"),
    (
        "vgf2p8affineqb",
        "llvm-mc 14 rejects the EVEX `qword ptr [m]{1to8}` broadcast operand (a gap in LLVM 14's GFNI tables; iced decodes the bytes)",
    ),
    ("vgf2p8affineinvqb", "as vgf2p8affineqb"),
];

fn matches_mc(ours: &[u8], mc: &[Option<u8>]) -> bool {
    ours.len() == mc.len() && ours.iter().zip(mc).all(|(a, b)| b.is_none_or(|b| *a == b))
}

#[test]
fn amd64_forms_match_llvm_mc_and_go() {
    let t0 = std::time::Instant::now();
    let forms = all_forms();
    let (instances, rejected) = all_instances();
    assert!(
        rejected.is_empty(),
        "the pipeline rejected representative instances:\n{}",
        rejected
            .iter()
            .map(|(t, e)| format!("  {t:?}: {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    );

    // (a) llvm-mc, one run.
    let texts: Vec<String> = instances.iter().map(|i| i.llvm_text.clone()).collect();
    let mc = llvm_mc(&texts);
    let mut failures = Vec::new();
    let mut exception_hits: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    let mut llvm_rejected: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked_codes = BTreeSet::new();
    for (inst, r) in instances.iter().zip(&mc) {
        let ours = &inst.placed.bytes;
        match r {
            Ok(b) if matches_mc(ours, b) => {
                checked_codes.insert(inst.placed.form.code as u32);
            }
            Ok(b) => {
                let concrete: Vec<u8> = b.iter().map(|x| x.unwrap_or(0)).collect();
                match EXCEPTIONS.iter().find(|e| (e.applies)(inst, &concrete)) {
                    Some(e) => {
                        checked_codes.insert(inst.placed.form.code as u32);
                        exception_hits.entry(e.name).or_insert((0, String::new())).0 += 1;
                        let ex = &mut exception_hits.get_mut(e.name).expect("hit").1;
                        if ex.is_empty() {
                            *ex = format!(
                                "`{}`: go-asm {} / llvm-mc {}",
                                inst.text,
                                hex(ours),
                                hex(&concrete)
                            );
                        }
                    }
                    None => failures.push(format!(
                        "{:?} `{}`: go-asm {} ({}), llvm-mc {} ({})",
                        inst.placed.form.code,
                        inst.text.replace('\n', "; "),
                        hex(ours),
                        decoded(ours),
                        hex(&concrete),
                        decoded(&concrete)
                    )),
                }
            }
            Err(e) => {
                let m = inst.placed.inst.mnemonic.as_str();
                if LLVM_REJECTS.iter().any(|(x, _)| *x == m) {
                    *llvm_rejected.entry(m.to_string()).or_default() += 1;
                    // The bytes must still be the instruction that was written.
                    let d = decoded(ours);
                    if !d.starts_with(m.trim_end_matches("64")) {
                        failures.push(format!("`{}` decodes as `{d}`", inst.text));
                    }
                } else {
                    failures.push(format!(
                        "{:?} `{}`: llvm-mc rejects it ({e}); go-asm gives {}",
                        inst.placed.form.code,
                        inst.text.replace('\n', "; "),
                        hex(ours)
                    ));
                }
            }
        }
    }

    // (b) go tool asm, one run, over every instance that prints as a Go mnemonic.
    let mut go_lines = Vec::new();
    let mut go_insts = Vec::new();
    for inst in &instances {
        if inst.placed.form.is_branch() {
            continue;
        }
        if let Some(t) = go_text(&inst.placed) {
            go_lines.push(t);
            go_insts.push(inst);
        }
    }
    let got = go_asm(&go_lines);
    let mut go_failures = Vec::new();
    for ((inst, line), g) in go_insts.iter().zip(&go_lines).zip(&got) {
        if g.as_deref() != Some(&inst.placed.bytes[..]) {
            go_failures.push(format!(
                "`{}` -> `{line}`: go-asm {}, go tool asm {}",
                inst.text,
                hex(&inst.placed.bytes),
                g.as_deref().map(hex).unwrap_or_else(|| "rejects it".into())
            ));
        }
    }

    // (c) counts.
    let chosen: BTreeSet<u32> = instances
        .iter()
        .map(|i| i.placed.form.code as u32)
        .collect();
    let names = gosyntax::go_names();
    let branch_forms = forms.iter().filter(|f| f.is_branch()).count();
    let go_forms = forms
        .iter()
        .filter(|f| !f.is_branch() && names.contains_key(&f.code))
        .count();
    let unreachable: Vec<String> = forms
        .iter()
        .filter(|f| !chosen.contains(&(f.code as u32)))
        .map(|f| format!("{:?}", f.code))
        .collect();
    let llvm_checked = forms
        .iter()
        .filter(|f| checked_codes.contains(&(f.code as u32)))
        .count();
    println!("amd64 forms accepted: {}", forms.len());
    println!(
        "representative instances: {} ({} go-asm never chooses: a shorter or preferred form always wins)",
        instances.len(),
        unreachable.len()
    );
    println!("forms checked against llvm-mc: {llvm_checked}");
    for e in EXCEPTIONS {
        if let Some((n, ex)) = exception_hits.get(e.name) {
            println!(
                "  exception {} ({n} instances, e.g. {ex}): {}",
                e.name, e.why
            );
        }
    }
    for (m, n) in &llvm_rejected {
        let why = LLVM_REJECTS.iter().find(|(x, _)| x == m).map(|x| x.1);
        println!(
            "  llvm-mc rejects {m} ({n} instances): {}",
            why.unwrap_or("")
        );
    }
    let byte_forms = forms.len() - go_forms - branch_forms - unreachable.len();
    println!(
        "forms printing as Go mnemonics: {} ({go_forms} rows of go_names.tsv + {branch_forms} branches); as BYTE: {byte_forms}; never chosen: {}",
        go_forms + branch_forms,
        unreachable.len()
    );
    let evex: Vec<_> = forms.iter().filter(|f| f.evex.is_some()).collect();
    println!(
        "EVEX (AVX-512) forms accepted: {}; checked against llvm-mc: {}; print as Go mnemonics: {}",
        evex.len(),
        evex.iter()
            .filter(|f| checked_codes.contains(&(f.code as u32)))
            .count(),
        evex.iter().filter(|f| names.contains_key(&f.code)).count()
    );
    let decorated = instances
        .iter()
        .filter(|i| !i.placed.inst.evex.is_none())
        .count();
    println!("instances with a writemask, zeroing, broadcast or rounding: {decorated}");
    println!(
        "instances assembled by go tool asm: {}; took {:.1?}",
        go_lines.len(),
        t0.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} instances differ from llvm-mc:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        go_failures.is_empty(),
        "{} Go lines differ from go-asm's bytes:\n{}",
        go_failures.len(),
        go_failures.join("\n")
    );
}
