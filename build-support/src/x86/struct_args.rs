//! Structs by value in the amd64 C ABIs: where System V and Microsoft x64 put
//! one, and the prologue code that reads its fields.
//!
//! - System V: a struct of at most 16 bytes is split into eightbytes, each SSE
//!   when every field in it is a float and INTEGER otherwise; when enough
//!   registers of both classes remain, each eightbyte takes the next one (two
//!   `f32` share one xmm, two `u32` one general register); otherwise, and for
//!   bigger structs, the struct is copied into the argument area (MEMORY), and
//!   the registers stay free for later arguments.
//! - Microsoft x64: a struct of 1, 2, 4 or 8 bytes travels in its position's
//!   integer register (or stack slot), floats included; any other size as a
//!   pointer to a copy the caller made.
//!
//! A struct that arrives in registers or behind a pointer is first copied into
//! the prologue's scratch area ([`Prep`]); its fields are then loaded from memory
//! at their own sizes, like stack arguments, so two fields packed in one register
//! are unpacked without shifts.

use super::regs as xr;
use crate::arch::Abi;
use crate::c_results::{self, Placement, SlotKind, SlotReg};
use crate::shim::{Loc, Prep};
use crate::sig::{Scalar, StructTy};
use iced_x86::{Code, Instruction, MemoryOperand, Register};

/// System V's classes of a struct's eightbytes (`true`: SSE), or `None` when it
/// is passed in memory (more than 16 bytes).
pub(super) fn sysv_classes(st: &StructTy) -> Option<Vec<bool>> {
    if st.size > 16 {
        return None;
    }
    let words = st.size.div_ceil(8);
    Some(
        (0..words)
            .map(|w| {
                st.leaves
                    .iter()
                    .filter(|l| l.offset / 8 == w)
                    .all(|l| l.scalar.is_float())
            })
            .collect(),
    )
}

/// Whether Microsoft x64 passes the struct in one integer register (or slot).
pub(super) fn win64_in_register(st: &StructTy) -> bool {
    matches!(st.size, 1 | 2 | 4 | 8)
}

fn gp(p: u8, bits: u32) -> Register {
    xr::iced(p, bits as u16)
}

/// Loads a field of `scalar` from `mem` into `dst` at the field's size (integers
/// zero-extended; the argument extension that follows makes signed ones right).
pub(super) fn load_field(dst: u8, mem: MemoryOperand, scalar: Scalar) -> Instruction {
    let ins = match (scalar.is_float(), scalar.size()) {
        (true, 4) => Instruction::with2(Code::Movss_xmm_xmmm32, xr::iced(dst, 128), mem),
        (true, _) => Instruction::with2(Code::Movsd_xmm_xmmm64, xr::iced(dst, 128), mem),
        (false, 1) => Instruction::with2(Code::Movzx_r32_rm8, gp(dst, 32), mem),
        (false, 2) => Instruction::with2(Code::Movzx_r32_rm16, gp(dst, 32), mem),
        (false, 4) => Instruction::with2(Code::Mov_r32_rm32, gp(dst, 32), mem),
        (false, _) => Instruction::with2(Code::Mov_r64_rm64, gp(dst, 64), mem),
    };
    ins.expect("field load")
}

/// The prologue's copies into the scratch area at `[rsp + scratch]`, before any
/// argument register is overwritten; `entry_to_rsp` turns entry offsets into
/// `rsp` offsets. rax and r11 carry no argument in either convention.
pub(super) fn prep_code(prep: &[Prep], scratch: i32, entry_to_rsp: i32) -> Vec<Instruction> {
    let at = |off: u32| MemoryOperand::with_base_displ(Register::RSP, (scratch + off as i32) as i64);
    let mut out = Vec::new();
    for p in prep {
        match p {
            Prep::Store { reg, at: to, .. } if *reg >= xr::VEC_BASE => out.push(
                Instruction::with2(Code::Movq_rm64_xmm, at(*to), xr::iced(*reg, 128))
                    .expect("movq"),
            ),
            Prep::Store { reg, at: to, .. } => out.push(
                Instruction::with2(Code::Mov_rm64_r64, at(*to), gp(*reg, 64)).expect("store"),
            ),
            Prep::Copy { ptr, at: to, fields } => {
                let base = match *ptr {
                    Loc::Reg(r) => gp(r, 64),
                    Loc::Stack(off) => {
                        out.push(
                            Instruction::with2(
                                Code::Mov_r64_rm64,
                                Register::R11,
                                MemoryOperand::with_base_displ(
                                    Register::RSP,
                                    (off + entry_to_rsp) as i64,
                                ),
                            )
                            .expect("mov"),
                        );
                        Register::R11
                    }
                };
                for &(off, bytes) in fields {
                    let from = MemoryOperand::with_base_displ(base, off as i64);
                    let (load, store, r) = match bytes {
                        1 => (Code::Movzx_r32_rm8, Code::Mov_rm8_r8, 8),
                        2 => (Code::Movzx_r32_rm16, Code::Mov_rm16_r16, 16),
                        4 => (Code::Mov_r32_rm32, Code::Mov_rm32_r32, 32),
                        _ => (Code::Mov_r64_rm64, Code::Mov_rm64_r64, 64),
                    };
                    let wide = if bytes == 8 { 64 } else { 32 };
                    out.push(Instruction::with2(load, gp(xr::RAX, wide), from).expect("load"));
                    out.push(
                        Instruction::with2(store, at(to + off), gp(xr::RAX, r)).expect("store"),
                    );
                }
            }
        }
    }
    out
}

/// Where System V and Microsoft x64 return a struct: System V's eightbytes in
/// rax, rdx (INTEGER) and xmm0, xmm1 (SSE), in order, up to 16 bytes; Win64's
/// 1, 2, 4 or 8 bytes in rax; otherwise memory through the hidden pointer.
pub(super) fn result_placement(abi: Abi, st: &StructTy) -> Placement {
    match abi {
        Abi::SysV => match sysv_classes(st) {
            Some(classes) => {
                let kinds: Vec<SlotKind> = classes
                    .iter()
                    .map(|&sse| if sse { SlotKind::F64 } else { SlotKind::Ptr })
                    .collect();
                Placement::Registers(c_results::in_order(&kinds, &SlotKind::is_fp))
            }
            None => Placement::Memory,
        },
        _ if win64_in_register(st) => Placement::Registers(vec![SlotReg::Int(0)]),
        _ => Placement::Memory,
    }
}

/// Stores `reg` (a field of `scalar`) at `mem`, at the field's size.
fn store_field(mem: MemoryOperand, reg: u8, scalar: Scalar) -> Instruction {
    let ins = match (scalar.is_float(), scalar.size()) {
        (true, 4) => Instruction::with2(Code::Movss_xmmm32_xmm, mem, xr::iced(reg, 128)),
        (true, _) => Instruction::with2(Code::Movsd_xmmm64_xmm, mem, xr::iced(reg, 128)),
        (false, 1) => Instruction::with2(Code::Mov_rm8_r8, mem, gp(reg, 8)),
        (false, 2) => Instruction::with2(Code::Mov_rm16_r16, mem, gp(reg, 16)),
        (false, 4) => Instruction::with2(Code::Mov_rm32_r32, mem, gp(reg, 32)),
        (false, _) => Instruction::with2(Code::Mov_rm64_r64, mem, gp(reg, 64)),
    };
    ins.expect("field store")
}

/// The exit of a struct result (the body left field `i` in `regs[i]`): in
/// memory, each field stored through the hidden pointer saved at `[rsp +
/// ptr_at]`, which is returned in rax; in registers, each field stored into the
/// scratch area at `[rsp + scratch]` at its offset, then each eightbyte loaded
/// into its result register, so fields are packed as the struct lays them out.
pub(super) fn struct_result_exit(
    st: &StructTy,
    regs: &[u8],
    placement: &Placement,
    scratch: i32,
    ptr_at: i32,
) -> Vec<Instruction> {
    let mut out = Vec::new();
    match placement {
        Placement::Memory => {
            let ptr = Register::R11;
            out.push(
                Instruction::with2(
                    Code::Mov_r64_rm64,
                    ptr,
                    MemoryOperand::with_base_displ(Register::RSP, ptr_at as i64),
                )
                .expect("mov"),
            );
            for (leaf, &r) in st.leaves.iter().zip(regs) {
                let mem = MemoryOperand::with_base_displ(ptr, leaf.offset as i64);
                out.push(store_field(mem, r, leaf.scalar));
            }
            out.push(Instruction::with2(Code::Mov_r64_rm64, Register::RAX, ptr).expect("mov"));
        }
        Placement::Registers(places) => {
            let at = |off: u32| {
                MemoryOperand::with_base_displ(Register::RSP, (scratch + off as i32) as i64)
            };
            for (leaf, &r) in st.leaves.iter().zip(regs) {
                out.push(store_field(at(leaf.offset), r, leaf.scalar));
            }
            const INT: [u8; 2] = [xr::RAX, xr::RDX];
            for (w, place) in places.iter().enumerate() {
                let mem = at(8 * w as u32);
                out.push(match *place {
                    SlotReg::Int(n) => {
                        Instruction::with2(Code::Mov_r64_rm64, gp(INT[n as usize], 64), mem)
                    }
                    SlotReg::Fp(n) => {
                        Instruction::with2(Code::Movq_xmm_rm64, xr::iced(xr::VEC_BASE + n, 128), mem)
                    }
                }
                .expect("load"));
            }
        }
        Placement::Nothing | Placement::Single => unreachable!("a struct result has a placement"),
    }
    out
}
