//! The arm64 native shims: a C-callable function around a compiled body, for
//! AAPCS64 and Apple's variant (prologue, argument moves, result exit, epilogue).

use super::regs::VEC_BASE as VEC;
use crate::arch::Abi;
use crate::backend::{Compiled, NativeFn};
use crate::c_results::{self, Placement, SlotReg};
use crate::diag::Result;
use crate::frame::Slot;
use crate::func::AsmFn;
use super::struct_args;
use crate::shim::{fields_of, sequence_moves, ArgSrc, Args, Loc, Step};
use crate::sig::{Scalar, Signature, Ty};

/// Hints for the allocator: each argument in the register AAPCS64 delivers it in,
/// so most native prologue moves vanish.
pub(crate) fn arg_hints(sig: &Signature, slots: &[Slot]) -> Vec<Option<u8>> {
    arg_sources(Abi::Aapcs64, sig, slots).hints()
}

/// C argument locations on arm64: x0-x7 and v0-v7, then the stack (8-byte slots
/// on AAPCS64; natural size and alignment on Apple's variant); struct parameters
/// as struct_args.rs says.
fn arg_sources(abi: Abi, sig: &Signature, slots: &[Slot]) -> Args {
    let (mut ni, mut nf, mut stack) = (0u8, 0u8, 0i32);
    let mut args = Args::default();
    let mut next = 0;
    let on_stack = |stack: &mut i32, size: i32, align: i32| {
        *stack = (*stack + align - 1) / align * align;
        let at = *stack;
        *stack += size;
        at
    };
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
            let words = st.size.div_ceil(8) as i32;
            match struct_args::class(st) {
                struct_args::Class::Hfa(f, members) if usize::from(nf) + members <= 8 => {
                    let pieces: Vec<(u8, u32, u32)> = (0..members as u32)
                        .map(|i| {
                            nf += 1;
                            (VEC + nf - 1, i * f.size(), f.size())
                        })
                        .collect();
                    args.struct_in_regs(&pieces, st.size, &fields);
                }
                struct_args::Class::Hfa(..) => {
                    nf = 8;
                    let at = on_stack(&mut stack, 8 * words, 8);
                    args.struct_on_stack(at, &fields);
                }
                struct_args::Class::Words(w) if u32::from(ni) + w <= 8 => {
                    let pieces: Vec<(u8, u32, u32)> = (0..w)
                        .map(|i| {
                            ni += 1;
                            (ni - 1, 8 * i, 8)
                        })
                        .collect();
                    args.struct_in_regs(&pieces, st.size, &fields);
                }
                struct_args::Class::Words(_) => {
                    ni = 8;
                    let at = on_stack(&mut stack, 8 * words, 8);
                    args.struct_on_stack(at, &fields);
                }
                struct_args::Class::Indirect => {
                    let ptr = if ni < 8 {
                        ni += 1;
                        Loc::Reg(ni - 1)
                    } else {
                        Loc::Stack(on_stack(&mut stack, 8, 8))
                    };
                    args.struct_behind(ptr, st.size, &fields);
                }
            }
            continue;
        }
        for s in group {
            let float = s.scalar.is_float() && !s.by_address;
            let loc = if float && nf < 8 {
                nf += 1;
                Loc::Reg(VEC + nf - 1)
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
                Loc::Stack(on_stack(&mut stack, size, align))
            };
            args.srcs.push(ArgSrc::Whole(loc));
        }
    }
    args
}

/// Encodes arm64 instructions written in ARM syntax with physical registers.
fn encode_lines(lines: &[String]) -> Vec<u8> {
    if lines.is_empty() {
        return Vec::new();
    }
    let text = lines.join("\n");
    let tokens: proc_macro2::TokenStream = text.parse().expect("prologue text lexes");
    super::parse::assemble(tokens, &[])
        .unwrap_or_else(|e| panic!("prologue `{text}`: {e}"))
        .bytes
}

fn callee_saved(p: u8) -> bool {
    (19..=28).contains(&p) || (VEC + 8..VEC + 16).contains(&p)
}

fn reg_name(p: u8, view: char) -> String {
    if p >= VEC {
        format!("{view}{}", p - VEC)
    } else if view == 'w' {
        format!("w{p}")
    } else {
        format!("x{p}")
    }
}

/// arm64 instructions for a parallel register copy (swaps by three eors).
fn parallel_moves(moves: Vec<(u8, u8)>) -> Vec<String> {
    let mov = |d: u8, s: u8| {
        if d >= VEC {
            format!("mov v{}.16b, v{}.16b", d - VEC, s - VEC)
        } else {
            format!("mov x{d}, x{s}")
        }
    };
    let eor = |d: u8, s: u8| {
        if d >= VEC {
            let (d, s) = (d - VEC, s - VEC);
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
fn extend(slot: &Slot, d: u8) -> Option<String> {
    if slot.by_address || slot.scalar.is_float() {
        return None;
    }
    let (w, x) = (reg_name(d, 'w'), reg_name(d, 'x'));
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

/// Where `abi` puts a function's results (the struct of `c_results` for two to
/// four), the same on AAPCS64 and Apple's variant: all `double`s are an HFA in
/// d0-d3; otherwise two slots come back in x0, x1 (a `double`'s bits in an x
/// register) and three or four in memory through x8.
pub(crate) fn placement(_abi: Abi, sig: &Signature) -> Placement {
    if let Some(st) = &sig.result_struct {
        return struct_args::result_placement(st);
    }
    let slots = c_results::slots(sig);
    if let Some(p) = c_results::trivial(&slots) {
        return p;
    }
    if slots.iter().all(|s| s.is_fp()) {
        Placement::Registers(c_results::in_order(&slots, &|_| true))
    } else if slots.len() <= 2 {
        Placement::Registers(c_results::in_order(&slots, &|_| false))
    } else {
        Placement::Memory
    }
}

/// Builds the native arm64 function around a compiled body.
pub(crate) fn native_fn(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
    let placement = placement(abi, &f.sig);
    let mut args = arg_sources(abi, &f.sig, &c.frame.args);
    // A struct result in registers is packed through the scratch area.
    if let (Some(st), Placement::Registers(_)) = (&f.sig.result_struct, &placement) {
        args.scratch = args.scratch.max(st.size.div_ceil(8) * 8);
    }
    let saved: Vec<u8> = c
        .clobbers
        .iter()
        .copied()
        .filter(|&p| callee_saved(p))
        .collect();
    let mut pro = Vec::new();
    let mut epi = Vec::new();
    let mut pushed = 0i32;
    for class in [false, true] {
        let regs: Vec<u8> = saved
            .iter()
            .copied()
            .filter(|&p| (p >= VEC) == class)
            .collect();
        let view = if class { 'd' } else { 'x' };
        for pair in regs.chunks(2) {
            let a = reg_name(pair[0], view);
            match pair.get(1) {
                Some(&b) => {
                    let b = reg_name(b, view);
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
    // The stack locals and spill slots: from 8 bytes above sp, as in Go's frame
    // (its saved LR is at 0(RSP)); sp stays 16-byte aligned.
    // Above them, 8-aligned, the scratch copies of struct arguments.
    let scratch = (<super::backend::Arm64 as crate::backend::Backend>::LOCALS_BASE
        + c.frame_bytes())
    .div_ceil(8)
        * 8;
    let spill_area = if c.frame_bytes() == 0 && args.scratch == 0 {
        0
    } else {
        (scratch + args.scratch).div_ceil(16) * 16
    };
    // One `sub sp` immediate (12 bits) and the scaled offsets reach this far.
    if spill_area > 4080 {
        crate::diag::bail!(
            f.sig.name_span,
            "`{}`'s native frame (stack locals, spill slots and copies of structs passed by value) needs {spill_area} bytes, more than 4,080: pass big structs by reference",
            f.sig.name
        );
    }
    if spill_area > 0 {
        pro.push(format!("sub sp, sp, #{spill_area}"));
        epi.insert(0, format!("add sp, sp, #{spill_area}"));
    }
    let pushed = pushed + spill_area as i32;
    pro.extend(struct_args::prep_code(&args.prep, scratch, pushed));
    // A struct field's address from sp.
    let field_at = |src: &ArgSrc| match *src {
        ArgSrc::Entry(off) => i64::from(off + pushed),
        ArgSrc::Scratch(at) => i64::from(scratch + at),
        ArgSrc::Whole(_) => unreachable!("fields only"),
    };
    // Spilled arguments go to their slots before any register moves, through x16
    // (IP0: no argument arrives in it).
    for ((slot, src), home) in c.frame.args.iter().zip(&args.srcs).zip(&c.arg_slots) {
        let Some(home) = *home else { continue };
        let at = home.offset;
        let ArgSrc::Whole(loc) = src else {
            // A field's bits, through x16 at its size.
            let bits = match slot.scalar {
                Scalar::F32 => Scalar::U32,
                Scalar::F64 => Scalar::U64,
                s => s,
            };
            pro.push(struct_args::load_field(16, "sp", field_at(src), bits));
            pro.extend(extend(slot, 16));
            pro.push(format!("str x16, [sp, #{at}]"));
            continue;
        };
        match *loc {
            Loc::Reg(src) if src >= VEC => {
                pro.push(format!("str {}, [sp, #{at}]", reg_name(src, 'q')));
                continue;
            }
            Loc::Reg(src) => pro.push(format!("mov x16, {}", reg_name(src, 'x'))),
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
        pro.extend(extend(slot, 16));
        pro.push(format!("str x16, [sp, #{at}]"));
    }
    let mut moves = Vec::new();
    let mut loads = Vec::new();
    for ((slot, src), dst) in c.frame.args.iter().zip(&args.srcs).zip(&c.arg_regs) {
        let Some(dst) = *dst else { continue };
        let ArgSrc::Whole(loc) = src else {
            loads.push(struct_args::load_field(dst, "sp", field_at(src), slot.scalar));
            continue;
        };
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
                loads.push(format!("{op} {}, [sp, #{at}]", reg_name(dst, view)));
            }
        }
    }
    pro.extend(parallel_moves(moves));
    pro.extend(loads);
    for (slot, dst) in c.frame.args.iter().zip(&c.arg_regs) {
        let Some(d) = *dst else { continue };
        pro.extend(extend(slot, d));
    }
    // The saved x8 sits just above the spill slots.
    let tail = match &f.sig.result_struct {
        Some(st) => struct_args::struct_result_exit(
            st,
            &c.result_regs,
            &placement,
            scratch,
            spill_area,
        ),
        None => results_exit(c, &placement, spill_area),
    };
    epi.splice(0..0, tail);
    epi.push("ret".to_string());
    let mut code = encode_lines(&pro);
    let body_offset = code.len() as u32;
    code.extend_from_slice(&c.bytes);
    code.extend(encode_lines(&epi));
    Ok(NativeFn::around(f, c, code, body_offset, pushed as u32))
}

/// The arm64 exit before the callee-saved restores: narrow integer results
/// extended (C callers may rely on it; the results struct holds them widened),
/// then each result moved where `placement` wants it. The body leaves integers in
/// x0-x3 and floats in v0-v3, in order of kind. For a struct in memory the saved
/// x8 is at `[sp + x8_at]`.
fn results_exit(c: &Compiled, placement: &Placement, x8_at: u32) -> Vec<String> {
    let mut out: Vec<String> = c
        .frame
        .results
        .iter()
        .zip(&c.result_regs)
        .filter_map(|(slot, &r)| extend(slot, r))
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
                    SlotReg::Int(n) if src < VEC => int_moves.push((n, src)),
                    SlotReg::Int(n) => bits.push(format!("fmov x{n}, {}", reg_name(src, 'd'))),
                    SlotReg::Fp(n) => fp_moves.push((VEC + n, src)),
                }
            }
            out.extend(parallel_moves(int_moves));
            out.extend(bits);
            out.extend(parallel_moves(fp_moves));
        }
        Placement::Memory => {
            // x9 is caller-saved and no result register.
            out.push(format!("ldr x9, [sp, #{x8_at}]"));
            for (i, &src) in c.result_regs.iter().enumerate() {
                let view = if src >= VEC { 'd' } else { 'x' };
                out.push(format!("str {}, [x9, #{}]", reg_name(src, view), 8 * i));
            }
        }
    }
    out
}

#[cfg(test)]
mod placement_tests {
    use super::*;
    use crate::sig::test_signature as sig;
    use SlotReg::{Fp, Int};

    #[test]
    fn placements_follow_each_abi() {
        assert_eq!(
            placement(Abi::Aapcs64, &sig("fn f() -> (f64, u8) {}")),
            Placement::Registers(vec![Int(0), Int(1)])
        );
        assert_eq!(
            placement(Abi::AppleArm64, &sig("fn f() -> (f64, f64, f64, f64) {}")),
            Placement::Registers(vec![Fp(0), Fp(1), Fp(2), Fp(3)])
        );
        assert_eq!(
            placement(Abi::Aapcs64, &sig("fn f() -> (u8, f64, i64) {}")),
            Placement::Memory
        );
    }
}
