//! Native C-ABI functions and the object files that hold them.
//!
//! A native function is `prologue | body | epilogue`: the prologue saves the
//! callee-saved registers the body writes and moves the C arguments into the
//! registers the allocator chose; the body is the very bytes the Go assembly holds;
//! the epilogue restores and returns (results are already where the ABI wants them
//! for the register-pair cases go-asm supports).

use crate::arm64 as a64;
use crate::arm64::regs::VEC_BASE as A64_VEC;
use crate::c_results::{self, Placement, SlotReg};
use crate::compile::RelocKind;
use crate::compile::{Compiled, TableRef};
use crate::diag::Result;
use crate::frame::Slot;
use crate::func::{Arch, AsmFn};
use crate::sig::Scalar;
use crate::x86::regs as xr;
use iced_x86::{Code, Instruction, MemoryOperand, Register};

/// A C calling convention.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Abi {
    /// System V AMD64 (linux, darwin).
    SysV,
    /// Microsoft x64 (windows).
    Win64,
    /// AAPCS64 (linux).
    Aapcs64,
    /// Apple's AAPCS64 variant (darwin).
    AppleArm64,
}

/// Object file format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Format {
    Elf,
    MachO,
    Coff,
}

/// A native target: architecture, convention, file format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Target {
    pub arch: Arch,
    pub abi: Abi,
    pub format: Format,
    /// Go's GOOS for the target (file names).
    pub goos: &'static str,
}

pub const TARGETS: &[Target] = &[
    Target {
        arch: Arch::Amd64,
        abi: Abi::SysV,
        format: Format::Elf,
        goos: "linux",
    },
    Target {
        arch: Arch::Amd64,
        abi: Abi::SysV,
        format: Format::MachO,
        goos: "darwin",
    },
    Target {
        arch: Arch::Amd64,
        abi: Abi::Win64,
        format: Format::Coff,
        goos: "windows",
    },
    Target {
        arch: Arch::Arm64,
        abi: Abi::Aapcs64,
        format: Format::Elf,
        goos: "linux",
    },
    Target {
        arch: Arch::Arm64,
        abi: Abi::AppleArm64,
        format: Format::MachO,
        goos: "darwin",
    },
];

impl Target {
    /// The target cargo builds for, from `CARGO_CFG_TARGET_*` (build scripts) or the host.
    pub fn for_rust_target(arch: &str, os: &str) -> Option<Target> {
        let arch = match arch {
            "x86_64" => Arch::Amd64,
            "aarch64" => Arch::Arm64,
            _ => return None,
        };
        let goos = match os {
            "linux" | "android" | "freebsd" | "netbsd" | "openbsd" => "linux",
            "macos" | "ios" => "darwin",
            "windows" => "windows",
            _ => return None,
        };
        TARGETS
            .iter()
            .copied()
            .find(|t| t.arch == arch && t.goos == goos)
    }
}

/// A native function: its code and where the shared body sits in it.
#[derive(Clone, Debug)]
pub struct NativeFn {
    pub name: String,
    pub code: Vec<u8>,
    pub body_offset: u32,
    pub body_len: u32,
    /// Table references, with offsets into `code`.
    pub table_refs: Vec<TableRef>,
    /// Bytes of stack the function uses below its return address (pushes, spills).
    pub stack_bytes: u32,
}

impl NativeFn {
    /// A native function whose `code` holds `c`'s body at `body_offset`.
    fn around(f: &AsmFn, c: &Compiled, code: Vec<u8>, body_offset: u32, stack_bytes: u32) -> Self {
        NativeFn {
            name: f.symbol.clone(),
            code,
            body_offset,
            body_len: c.bytes.len() as u32,
            table_refs: c
                .table_refs
                .iter()
                .map(|t| TableRef {
                    offset: t.offset + body_offset,
                    ..t.clone()
                })
                .collect(),
            stack_bytes,
        }
    }
}

fn enc(ins: Instruction) -> Vec<u8> {
    crate::x86::encode::encode_one(&ins, 0)
        .expect("prologue instructions are valid")
        .0
}

fn gp(p: u8) -> Register {
    xr::iced(p, 64)
}

/// Where a C argument arrives (x86).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Loc {
    Reg(u8),
    /// Offset from the stack pointer at entry (the return address is at 0).
    Stack(i32),
}

const SYSV_INT: [u8; 6] = [7, 6, 2, 1, 8, 9]; // rdi rsi rdx rcx r8 r9
const WIN64_INT: [u8; 4] = [1, 2, 8, 9]; // rcx rdx r8 r9

/// C argument locations for each frame slot.
fn x86_arg_locs(abi: Abi, slots: &[Slot], hidden_result_ptr: bool) -> Vec<Loc> {
    let mut locs = Vec::new();
    // The hidden result pointer takes the first integer register (rdi on SysV) or
    // the first position (rcx on Win64).
    let (mut ni, mut nf, mut stack) = (usize::from(hidden_result_ptr), 0usize, 0i32);
    let mut pos = usize::from(hidden_result_ptr);
    for s in slots {
        let float = s.scalar.is_float() && !s.by_address;
        let loc = match abi {
            Abi::SysV => {
                if float && nf < 8 {
                    nf += 1;
                    Loc::Reg(xr::VEC_BASE + nf as u8 - 1)
                } else if !float && ni < 6 {
                    ni += 1;
                    Loc::Reg(SYSV_INT[ni - 1])
                } else {
                    stack += 1;
                    Loc::Stack(8 * stack)
                }
            }
            _ => {
                // Win64: by position, four registers, then the stack above the shadow space.
                let l = if pos < 4 {
                    if float {
                        Loc::Reg(xr::VEC_BASE + pos as u8)
                    } else {
                        Loc::Reg(WIN64_INT[pos])
                    }
                } else {
                    Loc::Stack(8 * (pos as i32 + 1))
                };
                pos += 1;
                l
            }
        };
        locs.push(loc);
    }
    locs
}

/// Callee-saved registers the ABI requires preserved (amd64).
fn x86_callee_saved(abi: Abi, p: u8) -> bool {
    match abi {
        Abi::Win64 => {
            matches!(p, 3 | 6 | 7 | 12..=15) || (xr::VEC_BASE + 6..xr::VEC_BASE + 16).contains(&p)
        }
        _ => matches!(p, 3 | 12..=15),
    }
}

/// Hints for the allocator: each argument in the register the C ABI delivers it in,
/// so most native prologue moves vanish.
pub fn arg_hints(arch: Arch, sig: &crate::sig::Signature, slots: &[Slot]) -> Vec<Option<u8>> {
    match arch {
        // Three or more results take rdi for the hidden result pointer.
        Arch::Amd64 => x86_arg_locs(
            Abi::SysV,
            slots,
            c_results::placement(Abi::SysV, sig) == Placement::Memory,
        )
        .into_iter()
        .map(|l| match l {
            Loc::Reg(r) => Some(r),
            Loc::Stack(_) => None,
        })
        .collect(),
        Arch::Arm64 => arm64_arg_locs(Abi::Aapcs64, slots)
            .into_iter()
            .map(|l| match l {
                Loc::Reg(r) => Some(r),
                Loc::Stack(_) => None,
            })
            .collect(),
    }
}

/// C argument locations on arm64: x0-x7 and v0-v7, then the stack (8-byte slots
/// on AAPCS64; natural size and alignment on Apple's variant).
fn arm64_arg_locs(abi: Abi, slots: &[Slot]) -> Vec<Loc> {
    let (mut ni, mut nf, mut stack) = (0u8, 0u8, 0i32);
    slots
        .iter()
        .map(|s| {
            let float = s.scalar.is_float() && !s.by_address;
            if float && nf < 8 {
                nf += 1;
                Loc::Reg(A64_VEC + nf - 1)
            } else if !float && ni < 8 {
                ni += 1;
                Loc::Reg(ni - 1)
            } else {
                let size = if s.by_address { 8 } else { s.size as i32 };
                let (size, align) = if abi == Abi::AppleArm64 {
                    (size, size)
                } else {
                    (8, 8)
                };
                stack = (stack + align - 1) / align * align;
                let at = stack;
                stack += size;
                Loc::Stack(at)
            }
        })
        .collect()
}

/// Encodes arm64 instructions written in ARM syntax with physical registers.
fn a64_asm(lines: &[String]) -> Vec<u8> {
    if lines.is_empty() {
        return Vec::new();
    }
    let text = lines.join("\n");
    let tokens: proc_macro2::TokenStream = text.parse().expect("prologue text lexes");
    a64::parse::assemble(tokens, &[])
        .unwrap_or_else(|e| panic!("prologue `{text}`: {e}"))
        .bytes
}

fn a64_callee_saved(p: u8) -> bool {
    (19..=28).contains(&p) || (A64_VEC + 8..A64_VEC + 16).contains(&p)
}

fn a64_name(p: u8, view: char) -> String {
    if p >= A64_VEC {
        format!("{view}{}", p - A64_VEC)
    } else if view == 'w' {
        format!("w{p}")
    } else {
        format!("x{p}")
    }
}

/// arm64 instructions for a parallel register copy (swaps by three eors).
fn a64_parallel_moves(moves: Vec<(u8, u8)>) -> Vec<String> {
    let mov = |d: u8, s: u8| {
        if d >= A64_VEC {
            format!("mov v{}.16b, v{}.16b", d - A64_VEC, s - A64_VEC)
        } else {
            format!("mov x{d}, x{s}")
        }
    };
    let eor = |d: u8, s: u8| {
        if d >= A64_VEC {
            let (d, s) = (d - A64_VEC, s - A64_VEC);
            format!("eor v{d}.16b, v{d}.16b, v{s}.16b")
        } else {
            format!("eor x{d}, x{d}, x{s}")
        }
    };
    sequence_moves(moves)
        .into_iter()
        .flat_map(|step| match step {
            Step::Move(d, s) => vec![mov(d, s)],
            Step::Swap(a, b) => vec![eor(a, b), eor(b, a), eor(a, b)],
        })
        .collect()
}

/// Extends a narrow integer argument or result in `d` to 64 bits (the C ABIs leave
/// an argument's upper bits unspecified; results are returned extended).
fn a64_extend(slot: &Slot, d: u8) -> Option<String> {
    if slot.by_address || slot.scalar.is_float() {
        return None;
    }
    let (w, x) = (a64_name(d, 'w'), a64_name(d, 'x'));
    match (slot.scalar, slot.size) {
        (s, 1) if s.is_signed() => Some(format!("sxtb {x}, {w}")),
        (_, 1) => Some(format!("uxtb {w}, {w}")),
        (s, 2) if s.is_signed() => Some(format!("sxth {x}, {w}")),
        (_, 2) => Some(format!("uxth {w}, {w}")),
        (s, 4) if s.is_signed() => Some(format!("sxtw {x}, {w}")),
        (_, 4) => Some(format!("mov {w}, {w}")),
        _ => None,
    }
}

/// Builds the native arm64 function around a compiled body.
fn a64_native(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
    let placement = c_results::placement(abi, &f.sig);
    let locs = arm64_arg_locs(abi, &c.frame.args);
    let saved: Vec<u8> = c
        .clobbers
        .iter()
        .copied()
        .filter(|&p| a64_callee_saved(p))
        .collect();
    let mut pro = Vec::new();
    let mut epi = Vec::new();
    let mut pushed = 0i32;
    for class in [false, true] {
        let regs: Vec<u8> = saved
            .iter()
            .copied()
            .filter(|&p| (p >= A64_VEC) == class)
            .collect();
        let view = if class { 'd' } else { 'x' };
        for pair in regs.chunks(2) {
            let a = a64_name(pair[0], view);
            match pair.get(1) {
                Some(&b) => {
                    let b = a64_name(b, view);
                    pro.push(format!("stp {a}, {b}, [sp, #-16]!"));
                    epi.push(format!("ldp {a}, {b}, [sp], #16"));
                }
                None => {
                    pro.push(format!("str {a}, [sp, #-16]!"));
                    epi.push(format!("ldr {a}, [sp], #16"));
                }
            }
            pushed += 16;
        }
    }
    // AAPCS64's indirect result pointer (x8) is no argument register and the body
    // may use x8: keep it on the stack, pushed last so the exit pops it first.
    let x8_saved = placement == Placement::Memory;
    if x8_saved {
        pro.push("str x8, [sp, #-16]!".to_string());
        pushed += 16;
    }
    epi.reverse();
    if x8_saved {
        epi.insert(0, "add sp, sp, #16".to_string());
    }
    // The spill slots: from 8 bytes above sp, as in Go's frame (its saved LR is at
    // 0(RSP)); sp stays 16-byte aligned.
    let spill_area = if c.spill_bytes == 0 {
        0
    } else {
        (crate::frame::locals_base(Arch::Arm64) + c.spill_bytes).div_ceil(16) * 16
    };
    if spill_area > 0 {
        pro.push(format!("sub sp, sp, #{spill_area}"));
        epi.insert(0, format!("add sp, sp, #{spill_area}"));
    }
    let pushed = pushed + spill_area as i32;
    // Spilled arguments go to their slots before any register moves, through x16
    // (IP0: no argument arrives in it).
    for ((slot, loc), home) in c.frame.args.iter().zip(&locs).zip(&c.arg_slots) {
        let Some(home) = *home else { continue };
        let at = home.offset;
        match *loc {
            Loc::Reg(src) if src >= A64_VEC => {
                pro.push(format!("str {}, [sp, #{at}]", a64_name(src, 'q')));
                continue;
            }
            Loc::Reg(src) => pro.push(format!("mov x16, {}", a64_name(src, 'x'))),
            Loc::Stack(off) => {
                let from = off + pushed;
                pro.push(match (slot.size, abi) {
                    (1, Abi::AppleArm64) if !slot.by_address => format!("ldrb w16, [sp, #{from}]"),
                    (2, Abi::AppleArm64) if !slot.by_address => format!("ldrh w16, [sp, #{from}]"),
                    (4, Abi::AppleArm64) if !slot.by_address => format!("ldr w16, [sp, #{from}]"),
                    _ => format!("ldr x16, [sp, #{from}]"),
                });
            }
        }
        pro.extend(a64_extend(slot, 16));
        pro.push(format!("str x16, [sp, #{at}]"));
    }
    let mut moves = Vec::new();
    let mut loads = Vec::new();
    for ((slot, loc), dst) in c.frame.args.iter().zip(&locs).zip(&c.arg_regs) {
        let Some(dst) = *dst else { continue };
        match *loc {
            Loc::Reg(src) => moves.push((dst, src)),
            Loc::Stack(off) => {
                let at = off + pushed;
                let float = slot.scalar.is_float() && !slot.by_address;
                let view = if float {
                    if slot.scalar == Scalar::F32 {
                        's'
                    } else {
                        'd'
                    }
                } else {
                    'x'
                };
                let (op, view) = match (float, slot.size, abi) {
                    (true, _, _) => ("ldr", view),
                    (false, 1, Abi::AppleArm64) => ("ldrb", 'w'),
                    (false, 2, Abi::AppleArm64) => ("ldrh", 'w'),
                    (false, 4, Abi::AppleArm64) if !slot.by_address => ("ldr", 'w'),
                    _ => ("ldr", 'x'),
                };
                loads.push(format!("{op} {}, [sp, #{at}]", a64_name(dst, view)));
            }
        }
    }
    pro.extend(a64_parallel_moves(moves));
    pro.extend(loads);
    for (slot, dst) in c.frame.args.iter().zip(&c.arg_regs) {
        let Some(d) = *dst else { continue };
        pro.extend(a64_extend(slot, d));
    }
    // The saved x8 sits just above the spill slots.
    let tail = a64_results_exit(c, &placement, spill_area);
    epi.splice(0..0, tail);
    epi.push("ret".to_string());
    let mut code = a64_asm(&pro);
    let body_offset = code.len() as u32;
    code.extend_from_slice(&c.bytes);
    code.extend(a64_asm(&epi));
    Ok(NativeFn::around(f, c, code, body_offset, pushed as u32))
}

/// The arm64 exit before the callee-saved restores: narrow integer results
/// extended (C callers may rely on it; the results struct holds them widened),
/// then each result moved where `placement` wants it. The body leaves integers in
/// x0-x3 and floats in v0-v3, in order of kind. For a struct in memory the saved
/// x8 is at `[sp + x8_at]`.
fn a64_results_exit(c: &Compiled, placement: &Placement, x8_at: u32) -> Vec<String> {
    let mut out: Vec<String> = c
        .frame
        .results
        .iter()
        .zip(&c.result_regs)
        .filter_map(|(slot, &r)| a64_extend(slot, r))
        .collect();
    match placement {
        Placement::Nothing | Placement::Single => {}
        Placement::Registers(places) => {
            // Integer destinations first (they may be sources of nothing else),
            // then float bits into x registers, then float moves.
            let mut int_moves = Vec::new();
            let mut bits = Vec::new();
            let mut fp_moves = Vec::new();
            for (&src, place) in c.result_regs.iter().zip(places) {
                match *place {
                    SlotReg::Int(n) if src < A64_VEC => int_moves.push((n, src)),
                    SlotReg::Int(n) => bits.push(format!("fmov x{n}, {}", a64_name(src, 'd'))),
                    SlotReg::Fp(n) => fp_moves.push((A64_VEC + n, src)),
                }
            }
            out.extend(a64_parallel_moves(int_moves));
            out.extend(bits);
            out.extend(a64_parallel_moves(fp_moves));
        }
        Placement::Memory => {
            // x9 is caller-saved and no result register.
            out.push(format!("ldr x9, [sp, #{x8_at}]"));
            for (i, &src) in c.result_regs.iter().enumerate() {
                let view = if src >= A64_VEC { 'd' } else { 'x' };
                out.push(format!("str {}, [x9, #{}]", a64_name(src, view), 8 * i));
            }
        }
    }
    out
}

fn x86_extend(slot: &Slot, r: u8) -> Option<Instruction> {
    if slot.by_address || slot.scalar.is_float() {
        return None;
    }
    let ins = match (slot.scalar, slot.size) {
        (s, 1) if s.is_signed() => Instruction::with2(Code::Movsx_r64_rm8, gp(r), xr::iced(r, 8)),
        (_, 1) => Instruction::with2(Code::Movzx_r32_rm8, xr::iced(r, 32), xr::iced(r, 8)),
        (s, 2) if s.is_signed() => Instruction::with2(Code::Movsx_r64_rm16, gp(r), xr::iced(r, 16)),
        (_, 2) => Instruction::with2(Code::Movzx_r32_rm16, xr::iced(r, 32), xr::iced(r, 16)),
        (s, 4) if s.is_signed() => {
            Instruction::with2(Code::Movsxd_r64_rm32, gp(r), xr::iced(r, 32))
        }
        (_, 4) => Instruction::with2(Code::Mov_r32_rm32, xr::iced(r, 32), xr::iced(r, 32)),
        _ => return None,
    };
    Some(ins.expect("valid extension"))
}

fn x86_move(dst: u8, src: u8) -> Instruction {
    if xr::class_of(dst) == crate::ir::Class::Gp {
        Instruction::with2(Code::Mov_rm64_r64, gp(dst), gp(src)).expect("mov")
    } else {
        Instruction::with2(
            Code::Movaps_xmm_xmmm128,
            xr::iced(dst, 128),
            xr::iced(src, 128),
        )
        .expect("movaps")
    }
}

fn x86_swap(a: u8, b: u8) -> Vec<Instruction> {
    if xr::class_of(a) == crate::ir::Class::Gp {
        vec![Instruction::with2(Code::Xchg_rm64_r64, gp(a), gp(b)).expect("xchg")]
    } else {
        let x = |d: u8, s: u8| {
            Instruction::with2(Code::Xorps_xmm_xmmm128, xr::iced(d, 128), xr::iced(s, 128))
                .expect("xorps")
        };
        vec![x(a, b), x(b, a), x(a, b)]
    }
}

/// One step of a parallel register copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Move(u8, u8),
    Swap(u8, u8),
}

/// Orders the parallel copy `moves` (destination, source) so no move overwrites a
/// pending source; cycles are broken with swaps.
fn sequence_moves(mut moves: Vec<(u8, u8)>) -> Vec<Step> {
    moves.retain(|(d, s)| d != s);
    let mut out = Vec::new();
    while !moves.is_empty() {
        if let Some(i) = moves
            .iter()
            .position(|(d, _)| !moves.iter().any(|(_, s)| s == d))
        {
            let (d, s) = moves.remove(i);
            out.push(Step::Move(d, s));
            continue;
        }
        // Every destination is someone's source: a cycle. Swap the first pair.
        let (d, s) = moves.remove(0);
        out.push(Step::Swap(d, s));
        for m in &mut moves {
            if m.1 == d {
                m.1 = s;
            } else if m.1 == s {
                m.1 = d;
            }
        }
        moves.retain(|(d, s)| d != s);
    }
    out
}

fn parallel_moves(moves: Vec<(u8, u8)>) -> Vec<Instruction> {
    sequence_moves(moves)
        .into_iter()
        .flat_map(|step| match step {
            Step::Move(d, s) => vec![x86_move(d, s)],
            Step::Swap(a, b) => x86_swap(a, b),
        })
        .collect()
}

/// The amd64 exit before the callee-saved restores: narrow integer results
/// extended, then each result moved where `placement` wants it (the body leaves
/// integers in rax, rdx, rcx, r8 and floats in xmm0-xmm3, in order of kind). For a
/// struct in memory the hidden pointer sits at `[rsp + ptr_at]`; it is returned
/// in rax.
fn x86_results_exit(c: &Compiled, placement: &Placement, ptr_at: i32) -> Vec<Instruction> {
    let mut out: Vec<Instruction> = c
        .frame
        .results
        .iter()
        .zip(&c.result_regs)
        .filter_map(|(slot, &r)| x86_extend(slot, r))
        .collect();
    let movq = |dst, src: u8| {
        Instruction::with2(Code::Movq_rm64_xmm, dst, xr::iced(src, 128)).expect("movq")
    };
    match placement {
        Placement::Nothing | Placement::Single => {}
        Placement::Registers(places) => {
            const INT: [u8; 2] = [xr::RAX, xr::RDX];
            let mut int_moves = Vec::new();
            let mut bits = Vec::new();
            let mut fp_moves = Vec::new();
            for (&src, place) in c.result_regs.iter().zip(places) {
                match *place {
                    SlotReg::Int(n) if src < xr::VEC_BASE => int_moves.push((INT[n as usize], src)),
                    SlotReg::Int(n) => bits.push(movq(gp(INT[n as usize]), src)),
                    SlotReg::Fp(n) => fp_moves.push((xr::VEC_BASE + n, src)),
                }
            }
            out.extend(parallel_moves(int_moves));
            out.extend(bits);
            out.extend(parallel_moves(fp_moves));
        }
        Placement::Memory => {
            // r11 is caller-saved everywhere and no result register.
            let ptr = Register::R11;
            out.push(
                Instruction::with2(
                    Code::Mov_r64_rm64,
                    ptr,
                    MemoryOperand::with_base_displ(Register::RSP, ptr_at as i64),
                )
                .expect("mov"),
            );
            for (i, &r) in c.result_regs.iter().enumerate() {
                let mem = MemoryOperand::with_base_displ(ptr, 8 * i as i64);
                out.push(if r >= xr::VEC_BASE {
                    Instruction::with2(Code::Movq_rm64_xmm, mem, xr::iced(r, 128)).expect("movq")
                } else {
                    Instruction::with2(Code::Mov_rm64_r64, mem, gp(r)).expect("store")
                });
            }
            out.push(Instruction::with2(Code::Mov_r64_rm64, Register::RAX, ptr).expect("mov"));
        }
    }
    out
}

/// Builds the native amd64 function around a compiled body.
fn x86_native(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
    let placement = c_results::placement(abi, &f.sig);
    let hidden = placement == Placement::Memory;
    let locs = x86_arg_locs(abi, &c.frame.args, hidden);
    let saved: Vec<u8> = c
        .clobbers
        .iter()
        .copied()
        .filter(|&p| x86_callee_saved(abi, p))
        .collect();
    let saved_gp: Vec<u8> = saved
        .iter()
        .copied()
        .filter(|&p| p < xr::VEC_BASE)
        .collect();
    let saved_vec: Vec<u8> = saved
        .iter()
        .copied()
        .filter(|&p| p >= xr::VEC_BASE)
        .collect();
    let mut pro = Vec::new();
    for &r in &saved_gp {
        pro.push(Instruction::with1(Code::Push_r64, gp(r)).expect("push"));
    }
    // Hidden result pointer (rdi on SysV, rcx on Win64): keep it on the stack.
    if hidden {
        let ptr = if abi == Abi::Win64 { xr::RCX } else { 7 };
        pro.push(Instruction::with1(Code::Push_r64, gp(ptr)).expect("push"));
    }
    let pushes = saved_gp.len() + usize::from(hidden);
    // Below the pushes: the spill slots at [rsp, rsp + spill) where the body
    // addresses them (as in the Go frame), then the vector saves; rsp ends 16-byte
    // aligned.
    let spill = c.spill_bytes as i32;
    let area = if saved_vec.is_empty() && spill == 0 {
        0
    } else {
        let raw = spill + 16 * saved_vec.len() as i32;
        // rsp at entry is 8 mod 16; after pushes it is (8 + 8*pushes) mod 16.
        raw + if (8 + 8 * pushes).is_multiple_of(16) {
            0
        } else {
            8
        }
    };
    if area > 0 {
        pro.push(Instruction::with2(Code::Sub_rm64_imm32, Register::RSP, area).expect("sub"));
        for (i, &r) in saved_vec.iter().enumerate() {
            pro.push(
                Instruction::with2(
                    Code::Movdqu_xmmm128_xmm,
                    MemoryOperand::with_base_displ(Register::RSP, (spill + 16 * i as i32) as i64),
                    xr::iced(r, 128),
                )
                .expect("movdqu"),
            );
        }
    }
    let entry_to_rsp = 8 * pushes as i32 + area;
    // Spilled arguments go to their slots before any register moves (through rax,
    // which carries no argument in either convention).
    for ((slot, loc), home) in c.frame.args.iter().zip(&locs).zip(&c.arg_slots) {
        let Some(home) = *home else { continue };
        let to = MemoryOperand::with_base_displ(Register::RSP, home.offset as i64);
        let vec_reg = matches!(*loc, Loc::Reg(r) if r >= xr::VEC_BASE);
        match *loc {
            Loc::Reg(src) if vec_reg => pro.push(
                Instruction::with2(Code::Movdqu_xmmm128_xmm, to, xr::iced(src, 128))
                    .expect("movdqu"),
            ),
            Loc::Reg(src) => pro.push(x86_move(xr::RAX, src)),
            Loc::Stack(off) => pro.push(
                Instruction::with2(
                    Code::Mov_r64_rm64,
                    Register::RAX,
                    MemoryOperand::with_base_displ(Register::RSP, (off + entry_to_rsp) as i64),
                )
                .expect("mov"),
            ),
        }
        if !vec_reg {
            pro.extend(x86_extend(slot, xr::RAX));
            pro.push(Instruction::with2(Code::Mov_rm64_r64, to, Register::RAX).expect("mov"));
        }
    }
    // Stack arguments first (their destinations are not argument registers in use).
    let mut reg_moves = Vec::new();
    let mut stack_loads = Vec::new();
    for ((slot, loc), dst) in c.frame.args.iter().zip(&locs).zip(&c.arg_regs) {
        let Some(dst) = *dst else { continue };
        match *loc {
            Loc::Reg(src) => reg_moves.push((dst, src)),
            Loc::Stack(off) => {
                let mem =
                    MemoryOperand::with_base_displ(Register::RSP, (off + entry_to_rsp) as i64);
                let ins = if slot.scalar.is_float() && !slot.by_address {
                    let code = if slot.scalar == Scalar::F32 {
                        Code::Movss_xmm_xmmm32
                    } else {
                        Code::Movsd_xmm_xmmm64
                    };
                    Instruction::with2(code, xr::iced(dst, 128), mem)
                } else {
                    Instruction::with2(Code::Mov_r64_rm64, gp(dst), mem)
                };
                stack_loads.push(ins.expect("load"));
            }
        }
    }
    // Register moves must not clobber pending stack-load destinations: do moves first
    // (stack loads write only their own destinations, which no register move reads:
    // the destinations are distinct allocated registers).
    pro.extend(parallel_moves(reg_moves));
    pro.extend(stack_loads);
    for (slot, dst) in c.frame.args.iter().zip(&c.arg_regs) {
        if let Some(d) = dst {
            pro.extend(x86_extend(slot, *d));
        }
    }
    let mut epi = x86_results_exit(c, &placement, area);
    if area > 0 {
        for (i, &r) in saved_vec.iter().enumerate() {
            epi.push(
                Instruction::with2(
                    Code::Movdqu_xmm_xmmm128,
                    xr::iced(r, 128),
                    MemoryOperand::with_base_displ(Register::RSP, (spill + 16 * i as i32) as i64),
                )
                .expect("movdqu"),
            );
        }
        epi.push(Instruction::with2(Code::Add_rm64_imm32, Register::RSP, area).expect("add"));
    }
    if hidden {
        epi.push(Instruction::with2(Code::Add_rm64_imm8, Register::RSP, 8).expect("add"));
    }
    for &r in saved_gp.iter().rev() {
        epi.push(Instruction::with1(Code::Pop_r64, gp(r)).expect("pop"));
    }
    epi.push(Instruction::with(Code::Retnq));
    let mut code: Vec<u8> = pro.into_iter().flat_map(enc).collect();
    let body_offset = code.len() as u32;
    code.extend_from_slice(&c.bytes);
    code.extend(epi.into_iter().flat_map(enc));
    Ok(NativeFn::around(
        f,
        c,
        code,
        body_offset,
        8 + entry_to_rsp as u32,
    ))
}

/// The native function for `target`, around `c` (compiled for `target.arch`).
pub fn native_fn(f: &AsmFn, c: &Compiled, target: Target) -> Result<NativeFn> {
    match target.arch {
        Arch::Amd64 => x86_native(f, c, target.abi),
        Arch::Arm64 => a64_native(f, c, target.abi),
    }
}

/// Whether the object is for Go's internal linker (`.syso`): tables go into the
/// text section and every reference is resolved inside the object.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Linkage {
    /// Ordinary relocatable object for C/Rust linkers.
    Relocatable,
    /// No relocations at all (golang/go#24321).
    Syso,
}

/// A table for the object: its symbol name and bytes.
pub struct ObjTable {
    pub symbol: String,
    pub bytes: Vec<u8>,
    pub align: u64,
}

/// Writes an object holding `fns`; `tables[i]` are referenced by `TableRef.table`
/// through `table_index[fn][table]`.
pub fn write_object(
    target: Target,
    fns: &[NativeFn],
    tables: &[Vec<ObjTable>],
    linkage: Linkage,
) -> std::result::Result<Vec<u8>, String> {
    use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
    use object::{
        Architecture, BinaryFormat, Endianness, SectionKind, SymbolFlags, SymbolKind, SymbolScope,
    };
    let (format, arch) = (
        match target.format {
            Format::Elf => BinaryFormat::Elf,
            Format::MachO => BinaryFormat::MachO,
            Format::Coff => BinaryFormat::Coff,
        },
        match target.arch {
            Arch::Amd64 => Architecture::X86_64,
            Arch::Arm64 => Architecture::Aarch64,
        },
    );
    let mut obj = Object::new(format, arch, Endianness::Little);
    if format == BinaryFormat::Elf {
        // Without this note a linker gives the whole program an executable stack
        // (and says so). Not allocated, so Go's linker skips it in a `.syso`.
        obj.add_section(
            Vec::new(),
            b".note.GNU-stack".to_vec(),
            SectionKind::Elf(object::elf::SHT_PROGBITS),
        );
    }
    let text = obj.section_id(StandardSection::Text);
    // `object` applies the format's C mangling itself (Mach-O's leading `_`).
    let mangle = |n: &str| n.to_string();
    let mut placed = Vec::new();
    for f in fns {
        let off = obj.append_section_data(text, &f.code, 16);
        obj.add_symbol(Symbol {
            name: mangle(&f.name).into_bytes(),
            value: off,
            size: f.code.len() as u64,
            kind: SymbolKind::Text,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        placed.push(off);
    }
    let ro = match linkage {
        Linkage::Relocatable => obj.section_id(StandardSection::ReadOnlyData),
        Linkage::Syso => text,
    };
    for (fi, f) in fns.iter().enumerate() {
        let mut table_pos = Vec::new();
        for t in &tables[fi] {
            let off = obj.append_section_data(ro, &t.bytes, t.align);
            let sym = obj.add_symbol(Symbol {
                name: mangle(&t.symbol).into_bytes(),
                value: off,
                size: t.bytes.len() as u64,
                kind: SymbolKind::Data,
                scope: SymbolScope::Compilation,
                weak: false,
                section: SymbolSection::Section(ro),
                flags: SymbolFlags::None,
            });
            table_pos.push((off, sym));
        }
        for r in &f.table_refs {
            let (toff, sym) = table_pos[r.table];
            let at = placed[fi] + r.offset as u64;
            match linkage {
                Linkage::Relocatable => {
                    let flags = reloc_flags(target.format, r.kind);
                    obj.add_relocation(
                        text,
                        Relocation {
                            offset: at,
                            symbol: sym,
                            addend: r.addend,
                            flags,
                        },
                    )
                    .map_err(|e| e.to_string())?;
                }
                Linkage::Syso => {
                    let data = obj.section_mut(text).data_mut();
                    resolve_in_place(data, at as usize, toff as i64 + r.addend, r.kind)?;
                }
            }
        }
    }
    obj.write().map_err(|e| e.to_string())
}

fn reloc_flags(format: Format, kind: RelocKind) -> object::RelocationFlags {
    use object::{RelocationEncoding, RelocationFlags, RelocationKind};
    match (kind, format) {
        (RelocKind::Rel32, _) => RelocationFlags::Generic {
            kind: RelocationKind::Relative,
            encoding: RelocationEncoding::Generic,
            size: 32,
        },
        (RelocKind::AdrPage, Format::MachO) => RelocationFlags::MachO {
            r_type: object::macho::ARM64_RELOC_PAGE21,
            r_pcrel: true,
            r_length: 2,
        },
        (RelocKind::AddLo12, Format::MachO) => RelocationFlags::MachO {
            r_type: object::macho::ARM64_RELOC_PAGEOFF12,
            r_pcrel: false,
            r_length: 2,
        },
        (RelocKind::AdrPage, _) => RelocationFlags::Elf {
            r_type: object::elf::R_AARCH64_ADR_PREL_PG_HI21,
        },
        (RelocKind::AddLo12, _) => RelocationFlags::Elf {
            r_type: object::elf::R_AARCH64_ADD_ABS_LO12_NC,
        },
    }
}

/// Resolves a table reference inside the text section (for `.syso`, where Go's
/// linker would leave relocations unapplied). ADRP's page delta depends on where
/// the linker puts the section, so ADRP+ADD becomes ADR (exact, ±1 MiB) + NOP.
fn resolve_in_place(
    data: &mut [u8],
    at: usize,
    target: i64,
    kind: RelocKind,
) -> std::result::Result<(), String> {
    let word = |d: &[u8]| u32::from_le_bytes(d[at..at + 4].try_into().expect("4 bytes"));
    let delta = target - at as i64;
    let patched = match kind {
        RelocKind::Rel32 => {
            // The rel32 field is relative to the end of the instruction; the addend
            // already accounts for the distance from the field to that end.
            let v = i32::try_from(delta).map_err(|_| "table out of rel32 reach".to_string())?;
            v as u32
        }
        RelocKind::AdrPage => {
            if !(-(1 << 20)..(1 << 20)).contains(&delta) {
                return Err("table out of ADR reach (1 MiB)".into());
            }
            let rd = word(data) & 0x1f;
            let imm = delta as u32 & 0x1f_ffff;
            0x1000_0000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rd
        }
        RelocKind::AddLo12 => 0xd503_201f, // nop: ADR already produced the address
    };
    data[at..at + 4].copy_from_slice(&patched.to_le_bytes());
    Ok(())
}

/// The C header declaring every function of a package, by its native symbol
/// (symbol.rs: never the bare Rust name, which could clash with libc or another
/// crate). Defining `GO_ASM_SHORT_NAMES` before including it also makes each Rust
/// name a macro for its symbol, for code that knows those names are free.
pub fn c_header(guard: &str, fns: &[&AsmFn], structs: &[crate::gopkg::GoStruct]) -> String {
    let mut s = format!(
        "{}\n\n// Symbols are goasm_<crate>_<version>_<hash>_<name>: unique per crate, version\n// and source file, so they never bind to another crate's or the C library's.\n// Define GO_ASM_SHORT_NAMES before including this file to use the Rust names.\n\n#ifndef {guard}\n#define {guard}\n\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n#if defined(__aarch64__) && defined(__linux__)\n#include <sys/auxv.h>\n#endif\n\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n",
        crate::gopkg::HEADER
    );
    for st in structs {
        s.push('\n');
        s.push_str(&crate::package::c_struct(st));
    }
    let mut dispatchers = String::new();
    for f in fns {
        s.push('\n');
        for d in &f.sig.docs {
            s.push_str(&format!("// {d}\n").replace("// \n", "//\n"));
        }
        let params: Vec<String> = f
            .sig
            .params
            .iter()
            .flat_map(|p| p.ty.c_params(&p.name))
            .collect();
        let params = if params.is_empty() {
            "void".to_string()
        } else {
            params.join(", ")
        };
        let ret = match f.sig.results.len() {
            0 => "void".to_string(),
            1 => c_type_of(&f.sig.results[0].ty),
            _ => {
                let name = format!("{}_results", f.symbol);
                s.push_str(&format!("struct {name} {{\n"));
                for field in c_results::c_fields(&f.sig) {
                    s.push_str(&format!("    {field}\n"));
                }
                s.push_str("};\n");
                format!("struct {name}")
            }
        };
        if f.dispatches() {
            // After every variant's declaration.
            s.push_str(&format!(
                "// {}: its dispatching entry point follows its variants.\n",
                f.symbol
            ));
            dispatchers.push_str(&c_dispatcher(fns, f, &ret, &params));
        } else {
            s.push_str(&format!("{ret} {}({params});\n", f.symbol));
        }
    }
    if !dispatchers.is_empty() {
        s.push('\n');
        s.push_str(&dispatchers);
    }
    // The Rust names, for a translation unit that knows they clash with nothing.
    s.push_str("\n#ifdef GO_ASM_SHORT_NAMES\n");
    for f in fns.iter().filter(|f| f.symbol != f.sig.name) {
        s.push_str(&format!("#define {} {}\n", f.sig.name, f.symbol));
        if f.sig.results.len() > 1 {
            s.push_str(&format!(
                "#define {}_results {}_results\n",
                f.sig.name, f.symbol
            ));
        }
    }
    s.push_str("#endif\n");
    s.push_str("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    s
}

/// A dispatching function's entry point: a `static inline` function that picks
/// the first variant whose features the CPU has (GCC/Clang's
/// `__builtin_cpu_supports` on x86-64, `getauxval(AT_HWCAP)` on Linux arm64, the
/// Apple baseline on Apple arm64) once, stores it atomically (racing first calls
/// pick the same), and calls it; abort() when none runs.
fn c_dispatcher(fns: &[&AsmFn], f: &AsmFn, ret: &str, params: &str) -> String {
    if f.sig.results.len() > 1 {
        return format!(
            "// {} has one entry per variant below (each returns its own results struct);\n// pick one by CPU feature.\n",
            f.sig.name
        );
    }
    let args: Vec<&str> = if params == "void" {
        Vec::new()
    } else {
        params
            .split(", ")
            .map(|p| {
                p.rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or(p)
            })
            .collect()
    };
    let variants: Vec<&&AsmFn> = fns
        .iter()
        .filter(|v| v.variant_arch.is_some() && v.symbol.starts_with(&format!("{}_", f.symbol)))
        .collect();
    let mut s = format!(
        "static inline {ret} {}({params}) {{\n    typedef {ret} (*goasm_variant)({params});\n    static goasm_variant chosen;\n    goasm_variant v = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);\n    if (!v) {{\n",
        f.symbol
    );
    for (arch, guard) in [
        (Arch::Amd64, "defined(__x86_64__) || defined(_M_X64)"),
        (Arch::Arm64, "defined(__aarch64__)"),
    ] {
        s.push_str(&format!("#if {guard}\n"));
        for v in variants.iter().filter(|v| v.variant_arch == Some(arch)) {
            let b = &v.blocks[0];
            let checks: Vec<String> = b
                .features
                .iter()
                .map(|(feat, _)| match (arch, &feat.probe) {
                    (Arch::Amd64, _) => {
                        let gcc = if feat.name == "bmi1" {
                            "bmi"
                        } else {
                            feat.name
                        };
                        format!("__builtin_cpu_supports(\"{gcc}\")")
                    }
                    (Arch::Arm64, crate::features::Probe::Hwcap { hwcap2, bit }) => {
                        let word = if *hwcap2 {
                            "goasm_hwcap2"
                        } else {
                            "goasm_hwcap"
                        };
                        format!("({word} & (1ul << {bit}))")
                    }
                    _ => "0".to_string(),
                })
                .collect();
            if arch == Arch::Arm64 && !checks.is_empty() {
                s.push_str("#if defined(__linux__)\n        unsigned long goasm_hwcap = getauxval(16), goasm_hwcap2 = getauxval(26);\n#elif defined(__APPLE__)\n        unsigned long goasm_hwcap = ~0ul, goasm_hwcap2 = ~0ul; /* the Apple baseline */\n#else\n        unsigned long goasm_hwcap = 0, goasm_hwcap2 = 0;\n#endif\n        (void)goasm_hwcap2;\n");
            }
            let cond: String = checks.iter().map(|c| format!(" && {c}")).collect();
            s.push_str(&format!("        if (!v{cond}) v = {};\n", v.symbol));
        }
        s.push_str("#endif\n");
    }
    s.push_str(&format!(
        "        if (!v) abort(); /* no variant of {} runs on this CPU */\n        __atomic_store_n(&chosen, v, __ATOMIC_RELEASE);\n    }}\n    return v({});\n}}\n",
        f.sig.name,
        args.join(", ")
    ));
    s
}

/// The C spelling of a single result type (`const uint8_t *`, with the space).
pub fn c_type_of(ty: &crate::sig::Ty) -> String {
    match ty {
        crate::sig::Ty::Scalar(s) => s.c_name().to_string(),
        crate::sig::Ty::Ptr { pointee, mutable } => {
            format!(
                "{}{} *",
                if *mutable { "" } else { "const " },
                pointee.c_name()
            )
        }
        _ => "void".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{sequence_moves, Step};

    /// Applies steps to a register file and returns it.
    fn run(steps: &[Step], mut regs: [u8; 4]) -> [u8; 4] {
        for s in steps {
            match *s {
                Step::Move(d, s) => regs[d as usize] = regs[s as usize],
                Step::Swap(a, b) => regs.swap(a as usize, b as usize),
            }
        }
        regs
    }

    #[test]
    fn parallel_copies_honour_every_source() {
        let start = [10, 11, 12, 13];
        for moves in [
            vec![(0, 1), (1, 0)],
            vec![(2, 1), (1, 0)],
            vec![(0, 1), (1, 2), (2, 0)],
            vec![(0, 1), (1, 2), (2, 0), (3, 3)],
            vec![(3, 0), (0, 1), (1, 3)],
        ] {
            let got = run(&sequence_moves(moves.clone()), start);
            for (d, s) in moves {
                assert_eq!(got[d as usize], start[s as usize], "{d} <- {s}");
            }
        }
    }
}
