//! Machine code for an allocated arm64 body. Every instruction is one 32-bit word
//! (a table address is two: ADRP + ADD), so layout is one pass; branch offsets are
//! filled in and range-checked afterwards.

use super::forms::{self, Form, RegInfo};
use super::parse::{Inst, MemOff, Operand, Shape};
use super::regs;
use crate::diag::{Error, Result};
use crate::ir::{LabelId, Node, Reg};

/// One instruction with physical registers, placed in the body.
#[derive(Clone, Debug)]
pub struct Placed {
    pub inst: Inst,
    pub form: &'static Form,
    /// Offset in the body.
    pub offset: u32,
    /// Little-endian bytes (4, or 8 for a table address).
    pub bytes: Vec<u8>,
}

impl Placed {
    /// The instruction words.
    pub fn words(&self) -> Vec<u32> {
        self.bytes
            .chunks(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }
}

/// How a table reference must be resolved (ELF AArch64 relocation types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// ADRP: page of `table + addend` minus page of the instruction
    /// (`R_AARCH64_ADR_PREL_PG_HI21`, 275).
    AdrPage,
    /// ADD: low 12 bits of `table + addend` (`R_AARCH64_ADD_ABS_LO12_NC`, 277).
    AddLo12,
}

/// A reference to a data table: the instruction at `offset` needs `kind` resolved
/// against `table + addend`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRef {
    pub offset: u32,
    pub table: usize,
    pub kind: RelocKind,
    pub addend: i64,
}

#[derive(Clone, Debug)]
pub enum Item {
    Label(LabelId),
    Inst(Placed),
}

#[derive(Clone, Debug)]
pub struct Encoded {
    pub items: Vec<Item>,
    pub bytes: Vec<u8>,
    pub table_refs: Vec<TableRef>,
    /// Body offset of every label; the exit label is the end of the body.
    pub labels: Vec<u32>,
}

/// The instruction with every register operand, address register, use and
/// definition passed through `map`.
pub fn map_regs(inst: &Inst, map: &dyn Fn(Reg) -> Reg) -> Inst {
    let mut out = inst.clone();
    for o in &mut out.ops {
        match o {
            Operand::Gp { reg, .. } | Operand::Vec { reg, .. } => *reg = map(*reg),
            Operand::List { regs, .. } => {
                for r in regs {
                    *r = map(*r);
                }
            }
            Operand::Mem(m) => {
                m.base = map(m.base);
                if let MemOff::Reg { reg, .. } = &mut m.off {
                    *reg = map(*reg);
                }
            }
            _ => {}
        }
    }
    out.uses = out.uses.iter().map(|r| map(*r)).collect();
    out.defs = out.defs.iter().map(|r| map(*r)).collect();
    out
}

fn label_of(inst: &Inst) -> Option<LabelId> {
    inst.ops.iter().find_map(|o| match o {
        Operand::Label(l) => Some(*l),
        _ => None,
    })
}

/// A move whose source got its destination's register: a move go-asm inserted, or
/// a written `mov` of a whole register (`mov x, x`, `mov v.16b, v.16b`). Narrower
/// views are kept: `mov w, w` and `mov v.8b, v.8b` zero the upper part.
fn is_noop_move(i: &Inst) -> bool {
    if i.ops.len() != 2 || !(i.elidable || i.mnemonic == "mov") {
        return false;
    }
    match (&i.ops[0], &i.ops[1]) {
        (Operand::Gp { reg: a, x: xa }, Operand::Gp { reg: b, x: xb }) => {
            a == b && (i.elidable || (*xa && *xb))
        }
        (Operand::Vec { reg: a, shape: sa }, Operand::Vec { reg: b, shape: sb }) => {
            a == b
                && (i.elidable
                    || (matches!(sa, Shape::Arr(_, true)) && matches!(sb, Shape::Arr(_, true))))
        }
        _ => false,
    }
}

/// Patches a branch/adr word with the byte distance `rel`.
fn patch(word: u32, kind: u8, rel: i64) -> std::result::Result<u32, String> {
    let (bits, shift, scale) = match kind {
        26 => (26, 0, 4),
        19 => (19, 5, 4),
        14 => (14, 5, 4),
        21 => (21, 0, 1),
        _ => return Err("unknown label kind".into()),
    };
    if rel % scale != 0 {
        return Err("misaligned branch target".into());
    }
    let v = rel / scale;
    let lim = 1i64 << (bits - 1);
    if !(-lim..lim).contains(&v) {
        let reach = lim * scale;
        return Err(format!(
            "target is {rel} bytes away; this instruction reaches ±{reach}"
        ));
    }
    let v = v as u32 & ((1u32 << bits) - 1);
    Ok(if kind == 21 {
        word | ((v & 3) << 29) | ((v >> 2) << 5)
    } else {
        word | (v << shift)
    })
}

/// Encodes an allocated body. `nodes` have physical registers.
pub fn encode(nodes: &[Node<Inst>], nlabels: usize) -> Result<Encoded> {
    let nodes: Vec<&Node<Inst>> = nodes
        .iter()
        .filter(|n| !matches!(n, Node::Inst(i) if is_noop_move(i)))
        .collect();
    let mut offsets = Vec::with_capacity(nodes.len());
    let mut labels = vec![0u32; nlabels];
    let mut pc = 0u32;
    for n in &nodes {
        offsets.push(pc);
        match n {
            Node::Label(l) => labels[*l as usize] = pc,
            Node::Inst(i) => pc += i.form().size(),
        }
    }
    let end = pc;
    let target_of = |l: LabelId| {
        if l == LabelId::MAX {
            end
        } else {
            labels[l as usize]
        }
    };
    let class_of = |r: Reg| match r {
        Reg::Phys(p) => regs::class_of(p),
        Reg::Virt(_) => crate::ir::Class::Gp,
    };
    let info = RegInfo {
        class_of: &class_of,
    };
    let mut items = Vec::new();
    let mut bytes = Vec::new();
    let mut table_refs = Vec::new();
    for (k, n) in nodes.iter().enumerate() {
        match n {
            Node::Label(l) => items.push(Item::Label(*l)),
            Node::Inst(i) => {
                if let Some(r) = i.ops.iter().find(|o| {
                    matches!(
                        o,
                        Operand::Gp {
                            reg: Reg::Virt(_),
                            ..
                        } | Operand::Vec {
                            reg: Reg::Virt(_),
                            ..
                        }
                    )
                }) {
                    return Err(Error::new(i.span, format!("unallocated register in {r:?}")));
                }
                let form = i.form();
                let word = forms::encode(form, &i.ops, &info).ok_or_else(|| {
                    let list = i.ops.iter().any(|o| matches!(o, Operand::List { .. }));
                    Error::new(
                        i.span,
                        if list {
                            format!(
                                "`{}`: the registers of a list must be consecutive (v0, v1, ...)",
                                i.mnemonic
                            )
                        } else {
                            format!("`{}` cannot be encoded with these registers", i.mnemonic)
                        },
                    )
                })?;
                let at = offsets[k];
                let mut words = vec![word];
                if let (Some(kind), Some(l)) = (form.label_kind(), label_of(i)) {
                    let rel = target_of(l) as i64 - at as i64;
                    words[0] = patch(word, kind, rel)
                        .map_err(|e| Error::new(i.span, format!("`{}`: {e}", i.mnemonic)))?;
                }
                if let Some((t, addend)) = i.ops.iter().find_map(|o| match o {
                    Operand::Table(t, off) => Some((*t, *off)),
                    _ => None,
                }) {
                    // ADRP xd, table+off ; ADD xd, xd, :lo12:table+off
                    let rd = word & 31;
                    words = vec![0x9000_0000 | rd, 0x9100_0000 | (rd << 5) | rd];
                    table_refs.push(TableRef {
                        offset: at,
                        table: t,
                        kind: RelocKind::AdrPage,
                        addend,
                    });
                    table_refs.push(TableRef {
                        offset: at + 4,
                        table: t,
                        kind: RelocKind::AddLo12,
                        addend,
                    });
                }
                let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
                bytes.extend_from_slice(&code);
                items.push(Item::Inst(Placed {
                    inst: i.clone(),
                    form,
                    offset: at,
                    bytes: code,
                }));
            }
        }
    }
    Ok(Encoded {
        items,
        bytes,
        table_refs,
        labels,
    })
}

/// ARM text of a placed instruction (for `WORD` comments), with branch targets as
/// Go labels.
pub fn arm_text(
    p: &Placed,
    label: &dyn Fn(LabelId) -> String,
    table: &dyn Fn(usize) -> String,
) -> String {
    super::gosyntax::arm_text(&p.inst, label, table)
}
