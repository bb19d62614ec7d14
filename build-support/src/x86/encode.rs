//! Machine code for an allocated amd64 body: each instruction takes the shortest
//! form that fits its registers (as Go's assembler does), and branches start short
//! and grow to rel32 only when their target is out of reach, until nothing changes.

use super::forms::{Form, Slot};
use super::parse::{Inst, Mem, Operand, Prefix};
use super::regs;
use crate::diag::{Error, Result};
use crate::ir::{LabelId, Node, Reg};
use iced_x86::{Encoder, Instruction, MemoryOperand, OpKind, Register};

/// One instruction with physical registers and its chosen form.
#[derive(Clone, Debug)]
pub struct Placed {
    pub inst: Inst,
    pub form: &'static Form,
    /// Offset in the body.
    pub offset: u32,
    pub bytes: Vec<u8>,
}

/// A RIP-relative reference to a data table: the rel32 field at `offset` must hold
/// `table + addend - (offset + 4)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRef {
    pub offset: u32,
    pub table: usize,
    /// The displacement written after the table name (`[T + 8]`) minus the distance
    /// from the rel32 field to the end of the instruction.
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

fn phys(r: Reg) -> u8 {
    match r {
        Reg::Phys(p) => p,
        Reg::Virt(_) => unreachable!("registers are allocated before encoding"),
    }
}

/// Replaces virtual registers with their allocation.
pub fn apply(inst: &Inst, assign: &[u8]) -> Inst {
    let map = |r: Reg| match r {
        Reg::Virt(v) => Reg::Phys(assign[v as usize]),
        p => p,
    };
    let mut out = inst.clone();
    for o in &mut out.ops {
        match o {
            Operand::Reg { reg, .. } => *reg = map(*reg),
            Operand::Mem(m) => {
                m.base = m.base.map(map);
                m.index = m.index.map(|(r, w, s)| (map(r), w, s));
            }
            _ => {}
        }
    }
    out.uses = out.uses.iter().map(|r| map(*r)).collect();
    out.defs = out.defs.iter().map(|r| map(*r)).collect();
    out
}

fn iced_mem(m: &Mem, target: u64) -> MemoryOperand {
    if m.table.is_some() {
        return MemoryOperand::with_base_displ(Register::RIP, target as i64);
    }
    let base = m
        .base
        .map(|r| regs::iced(phys(r), 64))
        .unwrap_or(Register::None);
    let (index, scale) = match m.index {
        Some((r, w, s)) => (regs::iced(phys(r), w.max(64)), s as u32),
        None => (Register::None, 1),
    };
    let displ_size = if m.disp != 0 || base == Register::None {
        1
    } else {
        0
    };
    MemoryOperand::new(
        base,
        index,
        scale,
        m.disp,
        displ_size,
        false,
        Register::None,
    )
}

/// Builds the iced instruction for `inst` in `form`. `target`: the branch target or,
/// for table references, the RIP-relative target address.
pub fn build(inst: &Inst, form: &Form, target: u64) -> Instruction {
    let mut ins = Instruction::default();
    ins.set_code(form.code);
    for (i, (o, (&slot, &kind))) in inst
        .ops
        .iter()
        .zip(form.slots.iter().zip(&form.kinds))
        .enumerate()
    {
        let i = i as u32;
        match o {
            Operand::Reg { reg, width } => {
                ins.set_op_kind(i, OpKind::Register);
                ins.set_op_register(i, regs::iced(phys(*reg), *width));
            }
            Operand::Mem(m) => {
                ins.set_op_kind(i, OpKind::Memory);
                let mo = iced_mem(m, target);
                ins.set_memory_base(mo.base);
                ins.set_memory_index(mo.index);
                ins.set_memory_index_scale(mo.scale);
                ins.set_memory_displacement64(mo.displacement as u64);
                ins.set_memory_displ_size(mo.displ_size);
            }
            Operand::Imm(v) => {
                let Slot::Imm(k) = slot else {
                    unreachable!("immediate in an immediate slot")
                };
                ins.set_op_kind(i, k.op_kind(kind));
                let _ = ins.try_set_immediate_i64(i, *v as i64);
            }
            Operand::Label(_) => {
                ins.set_op_kind(i, OpKind::NearBranch64);
                ins.set_near_branch64(target);
            }
        }
    }
    match inst.prefix {
        Prefix::Rep | Prefix::Repe => ins.set_has_repe_prefix(true),
        Prefix::Repne => ins.set_has_repne_prefix(true),
        Prefix::Lock => ins.set_has_lock_prefix(true),
        Prefix::None => {}
    }
    ins
}

/// Encodes one instruction at `ip`; returns the bytes and the offset of the
/// displacement within them.
pub fn encode_one(ins: &Instruction, ip: u64) -> std::result::Result<(Vec<u8>, u32), String> {
    let mut enc = Encoder::new(64);
    enc.encode(ins, ip).map_err(|e| e.to_string())?;
    let off = enc.get_constant_offsets().displacement_offset() as u32;
    Ok((enc.take_buffer(), off))
}

/// The forms an allocated instruction can take, shortest first (ties: iced's order).
fn choose(inst: &Inst) -> Result<&'static Form> {
    let class_of = |r: Reg| regs::class_of(phys(r));
    let mut best: Option<(usize, &'static Form)> = None;
    for &f in &inst.forms {
        if f.is_branch() {
            continue;
        }
        if !f
            .slots
            .iter()
            .zip(&inst.ops)
            .all(|(s, o)| super::parse::slot_fits(*s, o, f, class_of, true))
        {
            continue;
        }
        let Ok((bytes, _)) = encode_one(&build(inst, f, 0), 0) else {
            continue;
        };
        if best.is_none_or(|(len, _)| bytes.len() < len) {
            best = Some((bytes.len(), f));
        }
    }
    best.map(|(_, f)| f).ok_or_else(|| {
        Error::new(
            inst.span,
            format!(
                "`{}` cannot be encoded with these registers ({})",
                inst.mnemonic,
                inst.ops
                    .iter()
                    .map(|o| match o {
                        Operand::Reg { reg, width } => regs::name(phys(*reg), *width),
                        _ => "..".into(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

fn branch_form(inst: &Inst, short: bool) -> Option<&'static Form> {
    inst.forms
        .iter()
        .copied()
        .find(|f| f.slots.contains(&Slot::Branch(short)))
}

fn label_of(inst: &Inst) -> Option<LabelId> {
    inst.ops.iter().find_map(|o| match o {
        Operand::Label(l) => Some(*l),
        _ => None,
    })
}

/// Encodes an allocated body. `nodes` have physical registers.
pub fn encode(nodes: &[Node<Inst>], nlabels: usize) -> Result<Encoded> {
    // Drop moves go-asm inserted whose source is their destination.
    let nodes: Vec<&Node<Inst>> = nodes
        .iter()
        .filter(|n| match n {
            Node::Inst(i) if i.elidable => match (&i.ops[0], &i.ops[1]) {
                (Operand::Reg { reg: a, .. }, Operand::Reg { reg: b, .. }) => a != b,
                _ => true,
            },
            _ => true,
        })
        .collect();
    // Fixed forms for non-branches.
    let mut forms: Vec<Option<&'static Form>> = Vec::new();
    let mut long = vec![false; nodes.len()];
    for n in &nodes {
        forms.push(match n {
            Node::Inst(i) if label_of(i).is_none() => Some(choose(i)?),
            _ => None,
        });
    }
    let exit = LabelId::MAX;
    loop {
        // Layout with the current branch sizes.
        let mut offsets = Vec::with_capacity(nodes.len());
        let mut labels = vec![0u32; nlabels];
        let mut pc = 0u32;
        let mut sizes = Vec::new();
        for (k, n) in nodes.iter().enumerate() {
            offsets.push(pc);
            match n {
                Node::Label(l) => labels[*l as usize] = pc,
                Node::Inst(i) => {
                    let len = match forms[k] {
                        Some(f) => encode_one(&build(i, f, 0), 0)
                            .map_err(|e| Error::new(i.span, e))?
                            .0
                            .len(),
                        None => {
                            let f = branch_form(i, !long[k])
                                .ok_or_else(|| Error::new(i.span, "branch target out of range"))?;
                            // Branch lengths do not depend on the target within range.
                            encode_one(&build(i, f, 0), 0)
                                .map_err(|e| Error::new(i.span, e))?
                                .0
                                .len()
                        }
                    };
                    sizes.push(len);
                    pc += len as u32;
                }
            }
        }
        let end = pc;
        let target_of = |l: LabelId| if l == exit { end } else { labels[l as usize] };
        // Grow branches that do not reach.
        let mut grew = false;
        let mut si = 0;
        for (k, n) in nodes.iter().enumerate() {
            if let Node::Inst(i) = n {
                let len = sizes[si] as i64;
                si += 1;
                if let (None, Some(l)) = (forms[k], label_of(i)) {
                    let rel = target_of(l) as i64 - (offsets[k] as i64 + len);
                    if !long[k] && !(-128..=127).contains(&rel) {
                        if branch_form(i, false).is_none() {
                            return Err(Error::new(
                                i.span,
                                format!(
                                    "`{}` reaches only 127 bytes; its target is {rel} bytes away",
                                    i.mnemonic
                                ),
                            ));
                        }
                        long[k] = true;
                        grew = true;
                    }
                }
            }
        }
        if grew {
            continue;
        }
        // Final encoding.
        let mut items = Vec::new();
        let mut bytes = Vec::new();
        let mut table_refs = Vec::new();
        for (k, n) in nodes.iter().enumerate() {
            match n {
                Node::Label(l) => items.push(Item::Label(*l)),
                Node::Inst(i) => {
                    let ip = offsets[k] as u64;
                    let (form, target) = match forms[k] {
                        Some(f) => (f, 0),
                        None => (
                            branch_form(i, !long[k]).expect("checked in layout"),
                            target_of(label_of(i).expect("branch has a label")) as u64,
                        ),
                    };
                    let table_mem = i.ops.iter().find_map(|o| match o {
                        Operand::Mem(m) if m.table.is_some() => Some(m.clone()),
                        _ => None,
                    });
                    let (code, disp_off) = if let Some(m) = &table_mem {
                        // Encode with the field zero: target = end of instruction.
                        let (first, _) = encode_one(&build(i, form, ip), ip)
                            .map_err(|e| Error::new(i.span, e))?;
                        let end_ip = ip + first.len() as u64;
                        let (b, off) = encode_one(&build(i, form, end_ip), ip)
                            .map_err(|e| Error::new(i.span, e))?;
                        table_refs.push(TableRef {
                            offset: offsets[k] + off,
                            table: m.table.expect("table reference"),
                            addend: m.disp - (b.len() as i64 - off as i64),
                        });
                        (b, off)
                    } else {
                        encode_one(&build(i, form, target), ip)
                            .map_err(|e| Error::new(i.span, e))?
                    };
                    let _ = disp_off;
                    bytes.extend_from_slice(&code);
                    items.push(Item::Inst(Placed {
                        inst: i.clone(),
                        form,
                        offset: offsets[k],
                        bytes: code,
                    }));
                }
            }
        }
        let mut labels_out = vec![0u32; nlabels];
        for (k, n) in nodes.iter().enumerate() {
            if let Node::Label(l) = n {
                labels_out[*l as usize] = offsets[k];
            }
        }
        return Ok(Encoded {
            items,
            bytes,
            table_refs,
            labels: labels_out,
        });
    }
}

/// Intel text of an allocated instruction (for comments next to `BYTE` lines).
pub fn intel_text(ins: &Instruction) -> String {
    use iced_x86::{Formatter, IntelFormatter};
    let mut f = IntelFormatter::new();
    f.options_mut().set_branch_leading_zeros(false);
    f.options_mut().set_uppercase_hex(false);
    f.options_mut().set_hex_prefix("0x");
    f.options_mut().set_hex_suffix("");
    let mut s = String::new();
    f.format(ins, &mut s);
    s
}
