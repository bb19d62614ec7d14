//! arm64 spill code: loads and stores between a register and a slot
//! `[sp, #offset]` (`offset(RSP)` in Go). Go keeps sp 16-byte aligned on arm64 and
//! its locals start 8 bytes above it, so `q` slots sit at multiples of 16.

use super::forms::{self, RegInfo};
use super::parse::{effects, Inst, Mem, MemOff, Mode, Operand, Shape};
use super::regs;
use crate::ir::{Body, Class, Flow, Reg};
use crate::spill::SpillSlot;
use proc_macro2::Span;

/// Bytes a slot for `v` needs: 8 for general registers, 16 for vectors.
pub fn slot_bytes(body: &Body<Inst>, v: u32) -> Result<u32, String> {
    Ok(match body.vregs[v as usize].class {
        Class::Vec => 16,
        _ => 8,
    })
}

/// `ldr temp, [sp, #offset]` (load) or `str temp, [sp, #offset]` (store), with
/// the whole register (`x` or `q`).
pub fn spill_move(temp: Reg, class: Class, slot: SpillSlot, load: bool, span: Span) -> Inst {
    let reg = match class {
        Class::Vec => Operand::Vec {
            reg: temp,
            shape: Shape::Scalar(4),
        },
        _ => Operand::Gp { reg: temp, x: true },
    };
    let mem = Operand::Mem(Mem {
        base: Reg::Phys(regs::SP),
        off: MemOff::Imm(slot.offset as i64),
        mode: Mode::Offset,
    });
    let ops = vec![reg, mem];
    let mnemonic = if load { "ldr" } else { "str" };
    let class_of = |r: Reg| match r {
        Reg::Virt(_) => class,
        Reg::Phys(p) => regs::class_of(p),
    };
    let info = RegInfo {
        class_of: &class_of,
    };
    let table = forms::table();
    let form = table.by_mnemonic[mnemonic]
        .iter()
        .copied()
        .find(|&i| forms::encode(&table.forms[i], &ops, &info).is_some())
        .expect("ldr/str with an unsigned scaled offset from sp");
    let (uses, defs) = effects(&table.forms[form], &ops);
    Inst {
        mnemonic: mnemonic.into(),
        ops,
        form,
        span,
        uses,
        defs,
        flow: Flow::Next,
        elidable: false,
    }
}
