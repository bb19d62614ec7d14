//! The amd64 native shims: a C-callable function around a compiled body, for
//! System V and Microsoft x64 (prologue, argument moves, result exit, epilogue).

use super::regs as xr;
use crate::arch::Abi;
use crate::backend::{Compiled, NativeFn};
use crate::c_results::{self, Placement, SlotKind, SlotReg};
use crate::diag::Result;
use crate::frame::Slot;
use crate::func::AsmFn;
use super::struct_args;
use crate::shim::{fields_of, sequence_moves, ArgSrc, Args, Loc, Step};
use crate::sig::{Scalar, Signature, Ty};
use iced_x86::{Code, Instruction, MemoryOperand, Register};

fn enc(ins: Instruction) -> Vec<u8> {
    super::encode::encode_one(&ins, 0)
        .expect("prologue instructions are valid")
        .0
}

fn gp(p: u8) -> Register {
    xr::iced(p, 64)
}

const SYSV_INT: [u8; 6] = [7, 6, 2, 1, 8, 9]; // rdi rsi rdx rcx r8 r9
const WIN64_INT: [u8; 4] = [1, 2, 8, 9]; // rcx rdx r8 r9

/// Where each frame slot's value arrives in `abi` (a struct parameter's fields
/// from where the ABI puts the struct: struct_args.rs).
fn arg_sources(abi: Abi, sig: &Signature, slots: &[Slot], hidden_result_ptr: bool) -> Args {
    let mut args = Args::default();
    // The hidden result pointer takes the first integer register (rdi on SysV) or
    // the first position (rcx on Win64).
    let (mut ni, mut nf, mut stack) = (usize::from(hidden_result_ptr), 0usize, 0i32);
    let mut pos = usize::from(hidden_result_ptr);
    let mut next = 0;
    // The parameters' slots, then the array results' addresses (frame.rs puts
    // them after the parameters; C passes them as the last arguments).
    let trailing = slots.len() - sig.params.iter().map(|p| p.ty.components().len()).sum::<usize>();
    let groups = sig
        .params
        .iter()
        .map(|p| (Some(&p.ty), p.ty.components().len()))
        .chain(std::iter::repeat_n((None, 1), trailing));
    for (ty, n) in groups {
        let group = &slots[next..next + n];
        next += n;
        if let Some(Ty::Struct(st)) = ty {
            let fields = fields_of(st);
            match abi {
                Abi::SysV => {
                    let classes = struct_args::sysv_classes(st);
                    let fits = classes.as_ref().is_some_and(|c| {
                        let sse = c.iter().filter(|&&s| s).count();
                        ni + (c.len() - sse) <= 6 && nf + sse <= 8
                    });
                    match classes {
                        Some(classes) if fits => {
                            let pieces: Vec<(u8, u32, u32)> = classes
                                .iter()
                                .enumerate()
                                .map(|(w, &sse)| {
                                    let reg = if sse {
                                        nf += 1;
                                        xr::VEC_BASE + nf as u8 - 1
                                    } else {
                                        ni += 1;
                                        SYSV_INT[ni - 1]
                                    };
                                    (reg, 8 * w as u32, 8)
                                })
                                .collect();
                            args.struct_in_regs(&pieces, st.size, &fields);
                        }
                        _ => {
                            args.struct_on_stack(8 * (stack + 1), &fields);
                            stack += st.size.div_ceil(8) as i32;
                        }
                    }
                }
                _ => {
                    let loc = if pos < 4 {
                        Loc::Reg(WIN64_INT[pos])
                    } else {
                        Loc::Stack(8 * (pos as i32 + 1))
                    };
                    pos += 1;
                    match loc {
                        _ if !struct_args::win64_in_register(st) => {
                            args.struct_behind(loc, st.size, &fields)
                        }
                        Loc::Reg(r) => args.struct_in_regs(&[(r, 0, 8)], st.size, &fields),
                        Loc::Stack(at) => args.struct_on_stack(at, &fields),
                    }
                }
            }
            continue;
        }
        for s in group {
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
            args.srcs.push(ArgSrc::Whole(loc));
        }
    }
    args
}

/// Callee-saved registers the ABI requires preserved (amd64).
fn callee_saved(abi: Abi, p: u8) -> bool {
    match abi {
        Abi::Win64 => {
            matches!(p, 3 | 6 | 7 | 12..=15) || (xr::VEC_BASE + 6..xr::VEC_BASE + 16).contains(&p)
        }
        _ => matches!(p, 3 | 12..=15),
    }
}

/// Hints for the allocator: each argument in the register System V delivers it in,
/// so most native prologue moves vanish (three or more results take rdi for the
/// hidden result pointer).
pub(crate) fn arg_hints(sig: &Signature, slots: &[Slot]) -> Vec<Option<u8>> {
    let hidden = placement(Abi::SysV, sig) == Placement::Memory;
    arg_sources(Abi::SysV, sig, slots, hidden).hints()
}

fn extend(slot: &Slot, r: u8) -> Option<Instruction> {
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

fn mov(dst: u8, src: u8) -> Instruction {
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

fn swap(a: u8, b: u8) -> Vec<Instruction> {
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

fn parallel_moves(moves: Vec<(u8, u8)>) -> Vec<Instruction> {
    sequence_moves(moves)
        .into_iter()
        .flat_map(|step| match step {
            Step::Move(d, s) => vec![mov(d, s)],
            Step::Swap(a, b) => swap(a, b),
        })
        .collect()
}

/// The amd64 exit before the callee-saved restores: narrow integer results
/// extended, then each result moved where `placement` wants it (the body leaves
/// integers in rax, rdx, rcx, r8 and floats in xmm0-xmm3, in order of kind). For a
/// struct in memory the hidden pointer sits at `[rsp + ptr_at]`; it is returned
/// in rax.
fn results_exit(c: &Compiled, placement: &Placement, ptr_at: i32) -> Vec<Instruction> {
    let mut out: Vec<Instruction> = c
        .frame
        .results
        .iter()
        .zip(&c.result_regs)
        .filter_map(|(slot, &r)| extend(slot, r))
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

/// Where `abi` puts a function's results (the struct of `c_results` for two to
/// four):
///
/// | ABI | 2 slots | 3-4 slots |
/// |---|---|---|
/// | SysV | by eightbyte: INTEGER in rax, rdx; SSE (`double`) in xmm0, xmm1 | memory: hidden pointer in rdi, returned in rax |
/// | Win64 | memory: hidden pointer in rcx, returned in rax (only 1/2/4/8-byte structs go in rax) | same |
pub(crate) fn placement(abi: Abi, sig: &Signature) -> Placement {
    if let Some(st) = &sig.result_struct {
        return struct_args::result_placement(abi, st);
    }
    let slots = c_results::slots(sig);
    if let Some(p) = c_results::trivial(&slots) {
        return p;
    }
    match abi {
        Abi::SysV if slots.len() <= 2 => {
            Placement::Registers(c_results::in_order(&slots, &SlotKind::is_fp))
        }
        _ => Placement::Memory,
    }
}

/// Builds the native amd64 function around a compiled body.
pub(crate) fn native_fn(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
    let placement = placement(abi, &f.sig);
    let hidden = placement == Placement::Memory;
    let mut args = arg_sources(abi, &f.sig, &c.frame.args, hidden);
    // A struct result in registers is packed through the scratch area.
    if let (Some(st), Placement::Registers(_)) = (&f.sig.result_struct, &placement) {
        args.scratch = args.scratch.max(st.size.div_ceil(8) * 8);
    }
    let saved: Vec<u8> = c
        .clobbers
        .iter()
        .copied()
        .filter(|&p| callee_saved(abi, p))
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
    // Below the pushes: the stack locals and spill slots at [rsp, rsp + spill)
    // where the body addresses them (as in the Go frame), then the vector saves,
    // then the scratch copies of struct arguments; rsp ends 16-byte aligned.
    let spill = c.frame_bytes() as i32;
    let scratch = spill + 16 * saved_vec.len() as i32;
    // One page below the pushes, so Windows needs no stack probe (as arm64's limit).
    if spill + args.scratch as i32 > 4080 {
        crate::diag::bail!(
            f.sig.name_span,
            "`{}`'s native frame (stack locals, spill slots and copies of structs passed by value) needs {} bytes, more than 4,080: pass big structs by reference",
            f.sig.name,
            spill + args.scratch as i32
        );
    }
    let area = if saved_vec.is_empty() && spill == 0 && args.scratch == 0 {
        0
    } else {
        let raw = scratch + args.scratch as i32;
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
    pro.extend(struct_args::prep_code(&args.prep, scratch, entry_to_rsp));
    // A struct field's memory, at rsp.
    let field_mem = |src: &ArgSrc| match *src {
        ArgSrc::Entry(off) => MemoryOperand::with_base_displ(Register::RSP, (off + entry_to_rsp) as i64),
        ArgSrc::Scratch(at) => MemoryOperand::with_base_displ(Register::RSP, (scratch + at as i32) as i64),
        ArgSrc::Whole(_) => unreachable!("fields only"),
    };
    // Spilled arguments go to their slots before any register moves (through rax,
    // which carries no argument in either convention).
    for ((slot, src), home) in c.frame.args.iter().zip(&args.srcs).zip(&c.arg_slots) {
        let Some(home) = *home else { continue };
        let to = MemoryOperand::with_base_displ(Register::RSP, home.offset as i64);
        let ArgSrc::Whole(loc) = src else {
            // A field's bits, through rax at its size.
            let bits = match slot.scalar {
                Scalar::F32 => Scalar::U32,
                Scalar::F64 => Scalar::U64,
                s => s,
            };
            pro.push(struct_args::load_field(xr::RAX, field_mem(src), bits));
            pro.extend(extend(slot, xr::RAX));
            pro.push(Instruction::with2(Code::Mov_rm64_r64, to, Register::RAX).expect("mov"));
            continue;
        };
        let vec_reg = matches!(*loc, Loc::Reg(r) if r >= xr::VEC_BASE);
        match *loc {
            Loc::Reg(src) if vec_reg => pro.push(
                Instruction::with2(Code::Movdqu_xmmm128_xmm, to, xr::iced(src, 128))
                    .expect("movdqu"),
            ),
            Loc::Reg(src) => pro.push(mov(xr::RAX, src)),
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
            pro.extend(extend(slot, xr::RAX));
            pro.push(Instruction::with2(Code::Mov_rm64_r64, to, Register::RAX).expect("mov"));
        }
    }
    // Stack arguments first (their destinations are not argument registers in use).
    let mut reg_moves = Vec::new();
    let mut stack_loads = Vec::new();
    for ((slot, src), dst) in c.frame.args.iter().zip(&args.srcs).zip(&c.arg_regs) {
        let Some(dst) = *dst else { continue };
        let ArgSrc::Whole(loc) = src else {
            stack_loads.push(struct_args::load_field(dst, field_mem(src), slot.scalar));
            continue;
        };
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
            pro.extend(extend(slot, *d));
        }
    }
    let mut epi = match &f.sig.result_struct {
        Some(st) => {
            let mut exit: Vec<Instruction> = c
                .frame
                .results
                .iter()
                .zip(&c.result_regs)
                .filter_map(|(slot, &r)| extend(slot, r))
                .collect();
            exit.extend(struct_args::struct_result_exit(
                st,
                &c.result_regs,
                &placement,
                scratch,
                area,
            ));
            exit
        }
        None => results_exit(c, &placement, area),
    };
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

#[cfg(test)]
mod placement_tests {
    use super::*;
    use crate::sig::test_signature as sig;
    use SlotReg::{Fp, Int};

    #[test]
    fn placements_follow_each_abi() {
        let mixed = sig("fn f() -> (f64, u8) {}");
        assert_eq!(
            placement(Abi::SysV, &mixed),
            Placement::Registers(vec![Fp(0), Int(0)])
        );
        assert_eq!(placement(Abi::Win64, &mixed), Placement::Memory);
        let f32_pair = sig("fn f() -> (f32, f64) {}");
        assert_eq!(
            placement(Abi::SysV, &f32_pair),
            Placement::Registers(vec![Int(0), Fp(0)])
        );
        let four = sig("fn f() -> (f64, f64, f64, f64) {}");
        assert_eq!(placement(Abi::SysV, &four), Placement::Memory);
        assert_eq!(
            placement(Abi::SysV, &sig("fn f() -> u8 {}")),
            Placement::Single
        );
        assert_eq!(placement(Abi::Win64, &sig("fn f() {}")), Placement::Nothing);
    }
}
