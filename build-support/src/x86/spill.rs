//! amd64 spill code: slot sizes and the loads and stores between a register and a
//! slot `[rsp + offset]` (`offset(SP)` in Go, the hardware stack pointer).
//!
//! Go keeps amd64 stacks only 8-byte aligned, so vector slots use unaligned moves.
//! Opmask values spill with `kmovq` (AVX512BW), zmm values with `vmovdqu64`.

use super::forms::{self, Form};
use super::parse::{slot_fits, Inst, Mem, Operand, Prefix};
use super::regs::{self, Width};
use crate::ir::{Body, Class, Flow, Reg};
use crate::spill::SpillSlot;
use proc_macro2::Span;

/// Bytes a slot for `v` needs: 8 for general registers, the widest view the body
/// uses for vectors (16 or 32).
pub fn slot_bytes(body: &Body<Inst>, v: u32) -> Result<u32, String> {
    match body.vregs[v as usize].class {
        Class::Gp => Ok(8),
        Class::Mask => Ok(8),
        Class::Vec => {
            let mut width: Width = 128;
            for inst in body.insts() {
                for o in &inst.ops {
                    match o {
                        Operand::Reg { reg, width: w } if *reg == Reg::Virt(v) => {
                            width = width.max(*w)
                        }
                        Operand::Mem(Mem {
                            index: Some((r, w, _)),
                            ..
                        }) if *r == Reg::Virt(v) => width = width.max(*w),
                        _ => {}
                    }
                }
            }
            Ok(width as u32 / 8)
        }
    }
}

/// How a body's vector spills are encoded: a body that uses VEX-encoded vector
/// instructions spills 16-byte values with `vmovdqu` too (mixing legacy SSE moves
/// in costs a state transition); one that may allocate xmm16-31 uses the EVEX
/// `vmovdqu64`, which reaches them.
#[derive(Clone, Copy, Debug)]
pub struct MoveStyle {
    vex: bool,
    evex: bool,
    /// The block declares AVX512BW: masks spill whole with `kmovq` (AVX512F alone
    /// has 16-bit masks and `kmovw`).
    bw: bool,
}

impl MoveStyle {
    pub fn of(body: &Body<Inst>) -> MoveStyle {
        MoveStyle {
            vex: uses_vex(body),
            evex: super::evex::allows_evex_registers(body),
            bw: body
                .features
                .iter()
                .any(|d| super::features::TABLE.covers(d, "avx512bw")),
        }
    }
}

fn uses_vex(body: &Body<Inst>) -> bool {
    body.insts().any(|i| {
        i.mnemonic.starts_with('v')
            && i.ops.iter().any(|o| {
                matches!(o, Operand::Reg { reg, .. }
                if match reg {
                    Reg::Phys(p) => regs::class_of(*p) == Class::Vec,
                    Reg::Virt(v) => body.vregs[*v as usize].class == Class::Vec,
                })
            })
    })
}

/// `temp <- [rsp + slot]` (load) or `[rsp + slot] <- temp` (store).
pub fn spill_move(
    style: MoveStyle,
    temp: Reg,
    class: Class,
    slot: SpillSlot,
    load: bool,
    span: Span,
) -> Inst {
    let (mnemonic, width): (&str, Width) = match (class, slot.bytes) {
        (Class::Mask, _) => (if style.bw { "kmovq" } else { "kmovw" }, 64),
        (Class::Vec, 64) => ("vmovdqu64", 512),
        (Class::Vec, 32) if style.evex => ("vmovdqu64", 256),
        (Class::Vec, _) if style.evex => ("vmovdqu64", 128),
        (Class::Vec, 32) => ("vmovdqu", 256),
        (Class::Vec, _) if style.vex => ("vmovdqu", 128),
        (Class::Vec, _) => ("movdqu", 128),
        _ => ("mov", 64),
    };
    let mem = Operand::Mem(Mem {
        // An opmask register is 64 bits wide; kmovw moves its low 16.
        size: Some(if mnemonic == "kmovw" { 2 } else { width as u32 / 8 }),
        base: Some(Reg::Phys(regs::RSP)),
        index: None,
        disp: slot.offset as i64,
        table: None,
    });
    let reg = Operand::Reg { reg: temp, width };
    let ops = if load { vec![reg, mem] } else { vec![mem, reg] };
    let class_of = |r: Reg| match r {
        Reg::Virt(_) => class,
        Reg::Phys(p) => regs::class_of(p),
    };
    let fits: Vec<&'static Form> = forms::table().by_mnemonic[mnemonic]
        .iter()
        .filter(|f| {
            f.slots.len() == ops.len()
                && f.slots
                    .iter()
                    .zip(&ops)
                    .all(|(s, o)| slot_fits(*s, o, f, class_of, false))
        })
        .collect();
    debug_assert!(!fits.is_empty(), "{mnemonic} has a register/memory form");
    let (uses, defs) = if load {
        (vec![], vec![temp])
    } else {
        (vec![temp], vec![])
    };
    Inst {
        mnemonic: mnemonic.into(),
        prefix: Prefix::None,
        ops,
        evex: Default::default(),
        forms: fits,
        span,
        uses,
        defs,
        flow: Flow::Next,
        elidable: false,
    }
}

/// Whether `inst` writes `v` through a narrower legacy-SSE view than its slot: the
/// CPU keeps the upper part of the register, so the spilled value must too. (VEX
/// writes zero the upper part: a full definition.) Returns the bytes written, the
/// low part of the slot.
pub fn merged_bytes(inst: &Inst, v: u32, slot_bytes: u32) -> Option<u32> {
    if inst.mnemonic.starts_with('v') || !inst.defs.contains(&Reg::Virt(v)) {
        return None;
    }
    inst.ops
        .iter()
        .filter_map(|o| match o {
            Operand::Reg { reg, width } if *reg == Reg::Virt(v) && *width >= 128 => {
                Some(*width as u32 / 8)
            }
            _ => None,
        })
        .max()
        .filter(|&bytes| bytes < slot_bytes)
}
