//! Machine code for an allocated amd64 body: each instruction takes the shortest
//! form that fits its registers (as Go's assembler does), and branches start short
//! and grow to rel32 only when their target is out of reach, until nothing changes.

use super::evex::Rounding;
use super::forms::{Form, Slot};
use super::parse::{Inst, Mem, Operand, Prefix};
use super::regs;
use crate::diag::{Error, Result};
use crate::ir::{LabelId, Node, Reg};
use iced_x86::{Encoder, Instruction, MemoryOperand, OpKind, Register, RoundingControl};

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

/// The instruction with every register operand, address register, use and
/// definition passed through `map`.
pub fn map_regs(inst: &Inst, map: &dyn Fn(Reg) -> Reg) -> Inst {
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
    out.evex.mask = out.evex.mask.map(map);
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
    // Without a base the field is always disp32 (8: 64-bit addressing; with 1 iced
    // would store an EVEX-compressed disp8*N value in it).
    let displ_size = if base == Register::None {
        8
    } else if m.disp != 0 {
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
    let d = &inst.evex;
    if let Some(k) = d.mask {
        ins.set_op_mask(regs::iced(phys(k), 64));
    }
    ins.set_zeroing_masking(d.zero);
    ins.set_is_broadcast(d.bcst.is_some());
    match d.rounding {
        None => {}
        Some(Rounding::Sae) => ins.set_suppress_all_exceptions(true),
        Some(r) => ins.set_rounding_control(match r {
            Rounding::Nearest => RoundingControl::RoundToNearest,
            Rounding::Down => RoundingControl::RoundDown,
            Rounding::Up => RoundingControl::RoundUp,
            _ => RoundingControl::RoundTowardZero,
        }),
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

/// Instructions whose 64-bit general-register operand is only a name: the CPU writes
/// the zero-extended 32-bit result or reads the low bits either way. llvm-mc and Go's
/// assembler encode them without REX.W, and so does go-asm.
const W_IGNORED: &[&str] = &[
    "pmovmskb",
    "vpmovmskb",
    "movmskps",
    "movmskpd",
    "vmovmskps",
    "vmovmskpd",
    "pextrb",
    "vpextrb",
    "pextrw",
    "vpextrw",
    "pinsrb",
    "vpinsrb",
    "pinsrw",
    "vpinsrw",
    "extractps",
    "vextractps",
];

/// Equivalent spellings of an allocated instruction that may encode shorter (or as
/// Go's assembler does): the instruction itself first.
fn variants(inst: &Inst) -> Vec<Inst> {
    let mut out = vec![inst.clone()];
    let gp = |o: &Operand| match o {
        Operand::Reg { reg, width } if regs::class_of(phys(*reg)) == crate::ir::Class::Gp => {
            Some(*width)
        }
        _ => None,
    };
    let refit = |mut v: Inst| {
        let table = &super::forms::table().by_mnemonic;
        v.forms = table
            .get(&v.mnemonic)
            .map(|all| {
                all.iter()
                    .filter(|f| {
                        f.slots.len() == v.ops.len()
                            && f.slots.iter().zip(&v.ops).all(|(s, o)| {
                                super::parse::slot_fits(*s, o, f, |r| regs::class_of(phys(r)), true)
                            })
                    })
                    .collect()
            })
            .unwrap_or_default();
        v
    };
    match (inst.mnemonic.as_str(), inst.ops.as_slice()) {
        // `mov r64, imm` with 2^31 <= imm < 2^32 is `mov r32, imm32` (the upper half
        // is zeroed): 5 bytes instead of 10, and what Go's assembler emits for MOVQ.
        ("mov", [d @ Operand::Reg { .. }, Operand::Imm(v)])
            if gp(d) == Some(64) && (1i128 << 31..1i128 << 32).contains(v) =>
        {
            let mut v2 = inst.clone();
            if let Operand::Reg { width, .. } = &mut v2.ops[0] {
                *width = 32;
            }
            out.push(refit(v2));
        }
        // `xchg` commutes: the accumulator forms (`xchg rdx, rax`) take one order only.
        ("xchg", [a @ Operand::Reg { .. }, b @ Operand::Reg { .. }]) if gp(a).is_some() => {
            let mut v2 = inst.clone();
            v2.ops.swap(0, 1);
            let _ = b;
            out.push(refit(v2));
        }
        (m, ops) if W_IGNORED.contains(&m) && ops.iter().any(|o| gp(o) == Some(64)) => {
            let mut v2 = inst.clone();
            for o in &mut v2.ops {
                if let Operand::Reg { reg, width } = o {
                    if *width == 64 && regs::class_of(phys(*reg)) == crate::ir::Class::Gp {
                        *width = 32;
                    }
                }
            }
            out = vec![refit(v2)];
        }
        _ => {}
    }
    out
}

fn imm_bytes(form: &Form) -> usize {
    use iced_x86::OpCodeOperandKind as K;
    form.kinds
        .iter()
        .map(|k| match k {
            K::imm8 | K::imm8sex16 | K::imm8sex32 | K::imm8sex64 | K::imm8_const_1 => 1,
            K::imm16 => 2,
            K::imm32 | K::imm32sex64 => 4,
            K::imm64 => 8,
            _ => 0,
        })
        .sum()
}

/// Whether a form needs REX.W / VEX.W1.
fn rex_w(form: &Form) -> bool {
    let op = form.code.op_code();
    op.w() != 0 || op.operand_size() == 64
}

/// Whether a VEX form with only register operands has its ModRM.rm operand first
/// (the store direction of `vmovaps`, `vmovdqu`, `vmovss`...).
fn vex_rm_first(form: &Form, inst: &Inst) -> bool {
    use iced_x86::OpCodeOperandKind as K;
    form.vex
        && !inst.ops.iter().any(|o| matches!(o, Operand::Mem(_)))
        && matches!(
            form.kinds.first(),
            Some(
                K::xmm_or_mem
                    | K::ymm_or_mem
                    | K::xmm_rm
                    | K::ymm_rm
                    | K::r32_or_mem
                    | K::r64_or_mem
            )
        )
}

/// The form an allocated instruction takes. VEX instructions with only register
/// operands take the form whose first operand is ModRM.rm when there is one (the
/// store opcode of `vmovaps`/`vmovdqu`/`vmovss`, `vpextrw`'s `0F3A 15`): Go's
/// assembler always does, even when the other form would be a byte shorter.
/// VEX before EVEX, even where EVEX's disp8*N is shorter (as llvm-mc and Go's
/// assembler do). Otherwise the shortest encoding; among equally short ones the smaller immediate
/// (`add ax, 1` as `83 /0 ib`, as llvm-mc and Go's assembler do), then no REX.W
/// (`movq xmm, m64` as `F3 0F 7E`), then iced's order. Returns the instruction as
/// encoded (see [`variants`]).
fn choose(inst: &Inst) -> Result<(Inst, &'static Form)> {
    let class_of = |r: Reg| regs::class_of(phys(r));
    type Key = (bool, bool, usize, usize, bool);
    let mut best: Option<(Key, Inst, &'static Form)> = None;
    for v in variants(inst) {
        // Forms with a fixed register (`add rax, imm32`, `test al, imm8`) fit only
        // once registers are known; Go's assembler and llvm-mc pick them when shorter.
        let fixed = super::forms::table()
            .by_mnemonic
            .get(&v.mnemonic)
            .into_iter()
            .flatten()
            .filter(|f| f.slots.iter().any(|s| matches!(s, Slot::FixedGp(..))))
            .filter(|f| !v.forms.iter().any(|g| std::ptr::eq(*g, *f)));
        let candidates: Vec<&'static Form> = v.forms.iter().copied().chain(fixed).collect();
        for f in candidates {
            if f.is_branch() {
                continue;
            }
            // `90` is `nop`, not `xchg eax, eax` (which zeroes rax's upper half).
            if f.code == iced_x86::Code::Xchg_r32_EAX && v.ops[0] == v.ops[1] {
                continue;
            }
            if f.slots.len() != v.ops.len()
                || !f
                    .slots
                    .iter()
                    .zip(&v.ops)
                    .all(|(s, o)| super::parse::slot_fits(*s, o, f, class_of, true))
            {
                continue;
            }
            let Ok((bytes, _)) = encode_one(&build(&v, f, 0), 0) else {
                continue;
            };
            let key = (
                f.evex.is_some(),
                !vex_rm_first(f, &v),
                bytes.len(),
                imm_bytes(f),
                rex_w(f),
            );
            if best.as_ref().is_none_or(|(k, ..)| key < *k) {
                best = Some((key, v.clone(), f));
            }
        }
    }
    best.map(|(_, v, f)| (v, f)).ok_or_else(|| {
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

/// A move whose source got its destination's register: a move go-asm inserted, or
/// a written whole-register move (`mov r64, r64`, legacy `movaps`/`movdqa`/... of
/// an xmm). Kept: `mov r32, r32` (zero-extends) and VEX moves (zero the upper part).
fn is_noop_move(i: &Inst) -> bool {
    let [Operand::Reg { reg: a, width: wa }, Operand::Reg { reg: b, width: wb }] = &i.ops[..]
    else {
        return false;
    };
    let whole = match i.mnemonic.as_str() {
        "mov" => *wa == 64 && *wb == 64,
        "movaps" | "movapd" | "movups" | "movupd" | "movdqa" | "movdqu" => *wa == 128 && *wb == 128,
        _ => false,
    };
    a == b && (i.elidable || whole)
}

/// Encodes an allocated body. `nodes` have physical registers.
pub fn encode(nodes: &[Node<Inst>], nlabels: usize) -> Result<Encoded> {
    let nodes: Vec<&Node<Inst>> = nodes
        .iter()
        .filter(|n| !matches!(n, Node::Inst(i) if is_noop_move(i)))
        .collect();
    // Fixed forms for non-branches (possibly as an equivalent instruction).
    let mut forms: Vec<Option<&'static Form>> = Vec::new();
    let mut long = vec![false; nodes.len()];
    let mut chosen: Vec<Node<Inst>> = Vec::with_capacity(nodes.len());
    for n in &nodes {
        match n {
            Node::Inst(i) if label_of(i).is_none() => {
                let (v, f) = choose(i)?;
                forms.push(Some(f));
                chosen.push(Node::Inst(v));
            }
            _ => {
                forms.push(None);
                chosen.push((*n).clone());
            }
        }
    }
    let nodes: Vec<&Node<Inst>> = chosen.iter().collect();
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

/// Intel text of an allocated instruction (for comments next to `BYTE` lines):
/// `add rax, qword ptr [rdi + rcx*8 + 8]`.
pub fn intel_text(ins: &Instruction) -> String {
    use iced_x86::{Formatter, IntelFormatter};
    let mut f = IntelFormatter::new();
    f.options_mut().set_branch_leading_zeros(false);
    f.options_mut().set_uppercase_hex(false);
    f.options_mut().set_hex_prefix("0x");
    f.options_mut().set_hex_suffix("");
    f.options_mut().set_space_after_operand_separator(true);
    f.options_mut().set_space_between_memory_add_operators(true);
    f.options_mut()
        .set_memory_size_options(iced_x86::MemorySizeOptions::Always);
    let mut s = String::new();
    f.format(ins, &mut s);
    s
}
