//! Native C-ABI functions and the object files that hold them.
//!
//! A native function is `prologue | body | epilogue`: the prologue saves the
//! callee-saved registers the body writes and moves the C arguments into the
//! registers the allocator chose; the body is the very bytes the Go assembly holds;
//! the epilogue restores and returns (results are already where the ABI wants them
//! for the register-pair cases go-asm supports).

use crate::compile::{Compiled, TableRef};
use crate::diag::{bail, Result};
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
    let (mut ni, mut nf, mut stack) = (0usize, 0usize, 0i32);
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
pub fn arg_hints(arch: Arch, slots: &[Slot]) -> Vec<Option<u8>> {
    match arch {
        Arch::Amd64 => x86_arg_locs(Abi::SysV, slots, false)
            .into_iter()
            .map(|l| match l {
                Loc::Reg(r) => Some(r),
                Loc::Stack(_) => None,
            })
            .collect(),
        Arch::Arm64 => vec![None; slots.len()],
    }
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

/// Orders register-to-register moves so none overwrites a pending source; cycles
/// are broken with swaps.
fn parallel_moves(mut moves: Vec<(u8, u8)>) -> Vec<Instruction> {
    moves.retain(|(d, s)| d != s);
    let mut out = Vec::new();
    while !moves.is_empty() {
        if let Some(i) = moves
            .iter()
            .position(|(d, _)| !moves.iter().any(|(_, s)| s == d))
        {
            let (d, s) = moves.remove(i);
            out.push(x86_move(d, s));
            continue;
        }
        // Every destination is someone's source: a cycle. Swap the first pair.
        let (d, s) = moves.remove(0);
        out.extend(x86_swap(d, s));
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

/// Builds the native amd64 function around a compiled body.
fn x86_native(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
    let n_results = c.result_regs.len();
    if n_results > 2 {
        bail!(f.sig.name_span, "native objects return at most two results");
    }
    let hidden = abi == Abi::Win64 && n_results == 2;
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
    // Hidden result pointer (Win64, two results): keep it on the stack.
    if hidden {
        pro.push(Instruction::with1(Code::Push_r64, gp(xr::RCX)).expect("push"));
    }
    let pushes = saved_gp.len() + usize::from(hidden);
    // Vector saves: below the pushes, 16-byte aligned area.
    let vec_area = if saved_vec.is_empty() {
        0
    } else {
        let raw = 16 * saved_vec.len() as i32;
        // rsp at entry is 8 mod 16; after pushes it is (8 + 8*pushes) mod 16.
        raw + if (8 + 8 * pushes) % 16 == 0 { 0 } else { 8 }
    };
    if vec_area > 0 {
        pro.push(Instruction::with2(Code::Sub_rm64_imm32, Register::RSP, vec_area).expect("sub"));
        for (i, &r) in saved_vec.iter().enumerate() {
            pro.push(
                Instruction::with2(
                    Code::Movdqu_xmmm128_xmm,
                    MemoryOperand::with_base_displ(Register::RSP, 16 * i as i64),
                    xr::iced(r, 128),
                )
                .expect("movdqu"),
            );
        }
    }
    let entry_to_rsp = 8 * pushes as i32 + vec_area;
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
    let mut epi = Vec::new();
    if hidden {
        // Store results through the saved pointer and return it in rax.
        let ptr = Register::R11;
        epi.push(
            Instruction::with2(
                Code::Mov_r64_rm64,
                ptr,
                MemoryOperand::with_base_displ(Register::RSP, vec_area as i64),
            )
            .expect("mov"),
        );
        for (i, &r) in c.result_regs.iter().enumerate() {
            let mem = MemoryOperand::with_base_displ(ptr, 8 * i as i64);
            epi.push(
                if r >= xr::VEC_BASE {
                    Instruction::with2(Code::Movsd_xmmm64_xmm, mem, xr::iced(r, 128))
                } else {
                    Instruction::with2(Code::Mov_rm64_r64, mem, gp(r))
                }
                .expect("store"),
            );
        }
        epi.push(Instruction::with2(Code::Mov_r64_rm64, Register::RAX, ptr).expect("mov"));
    } else if abi == Abi::Win64 && n_results == 1 {
        // One result: rax or xmm0, as the body leaves it.
    }
    if vec_area > 0 {
        for (i, &r) in saved_vec.iter().enumerate() {
            epi.push(
                Instruction::with2(
                    Code::Movdqu_xmm_xmmm128,
                    xr::iced(r, 128),
                    MemoryOperand::with_base_displ(Register::RSP, 16 * i as i64),
                )
                .expect("movdqu"),
            );
        }
        epi.push(Instruction::with2(Code::Add_rm64_imm32, Register::RSP, vec_area).expect("add"));
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
    Ok(NativeFn {
        name: f.sig.name.clone(),
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
        stack_bytes: 8 + entry_to_rsp as u32,
    })
}

/// The native function for `target`, around `c` (compiled for `target.arch`).
pub fn native_fn(f: &AsmFn, c: &Compiled, target: Target) -> Result<NativeFn> {
    match target.arch {
        Arch::Amd64 => x86_native(f, c, target.abi),
        Arch::Arm64 => bail!(
            f.sig.name_span,
            "arm64 native objects need the arm64 backend"
        ),
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
        Architecture, BinaryFormat, Endianness, RelocationEncoding, RelocationFlags,
        RelocationKind, SymbolFlags, SymbolKind, SymbolScope,
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
                    obj.add_relocation(
                        text,
                        Relocation {
                            offset: at,
                            symbol: sym,
                            addend: r.addend,
                            flags: RelocationFlags::Generic {
                                kind: RelocationKind::Relative,
                                encoding: RelocationEncoding::Generic,
                                size: 32,
                            },
                        },
                    )
                    .map_err(|e| e.to_string())?;
                }
                Linkage::Syso => {
                    let value = toff as i64 + r.addend - at as i64;
                    let v =
                        i32::try_from(value).map_err(|_| "table out of rel32 reach".to_string())?;
                    let data = obj.section_mut(text).data_mut();
                    data[at as usize..at as usize + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
    obj.write().map_err(|e| e.to_string())
}

/// The C header declaring every function of a package.
pub fn c_header(guard: &str, fns: &[&AsmFn], structs: &[crate::gopkg::GoStruct]) -> String {
    let mut s = format!(
        "{}\n\n#ifndef {guard}\n#define {guard}\n\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n",
        crate::gopkg::HEADER
    );
    for st in structs {
        s.push('\n');
        s.push_str(&crate::package::c_struct(st));
    }
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
                let name = format!("{}_results", f.sig.name);
                s.push_str(&format!("struct {name} {{\n"));
                for (i, r) in f.sig.results.iter().enumerate() {
                    match &r.ty {
                        crate::sig::Ty::Scalar(Scalar::F32) => {
                            s.push_str(&format!("    float r{i};\n    uint32_t pad{i};\n"))
                        }
                        crate::sig::Ty::Scalar(Scalar::F64) => {
                            s.push_str(&format!("    double r{i};\n"))
                        }
                        crate::sig::Ty::Scalar(sc) if sc.is_signed() => {
                            s.push_str(&format!("    int64_t r{i};\n"))
                        }
                        crate::sig::Ty::Scalar(_) => s.push_str(&format!("    uint64_t r{i};\n")),
                        other => s.push_str(&format!("    {} r{i};\n", c_type_of(other))),
                    }
                }
                s.push_str("};\n");
                format!("struct {name}")
            }
        };
        s.push_str(&format!("{ret} {}({params});\n", f.sig.name));
    }
    s.push_str("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    s
}

fn c_type_of(ty: &crate::sig::Ty) -> String {
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
