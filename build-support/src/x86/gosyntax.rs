//! Go's Plan 9 spelling of amd64 instructions.
//!
//! Which iced forms print as a Go mnemonic is data (`go_names.tsv`): each row was
//! found by assembling the candidate spelling with `go tool asm` and comparing its
//! bytes with iced-x86's (`cargo run -p go-asm-tests --bin x86-go-names` writes it,
//! and the test suite checks every row again). Everything else prints as `BYTE`s
//! with the Intel text as a comment. Branches always print as Go jumps to labels.

use super::encode::{build, intel_text, Placed};
use super::forms::{ImmKind, Slot};
use super::parse::{Mem, Operand};
use super::regs;
use crate::frame::Slot as FrameSlot;
use crate::ir::{LabelId, Reg};
use crate::sig::Scalar;
use iced_x86::Code;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Go operand order relative to Intel's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// Operands reversed (most instructions: `ADDQ src, dst`).
    Reversed,
    /// Intel order (`CMPQ a, b`).
    Intel,
    /// Reversed, but an immediate goes last (`CMPPS (BX), X2, $7`).
    ImmLast,
    /// Reversed, with the implicit `xmm0` operand written first
    /// (`PBLENDVB X0, X2, X1` for `pblendvb xmm1, xmm2`).
    X0First,
}

impl Order {
    /// The code used in `go_names.tsv`.
    pub fn code(self) -> &'static str {
        match self {
            Order::Reversed => "r",
            Order::Intel => "i",
            Order::ImmLast => "rl",
            Order::X0First => "r0",
        }
    }
    pub fn from_code(c: &str) -> Option<Order> {
        match c {
            "r" => Some(Order::Reversed),
            "i" => Some(Order::Intel),
            "rl" => Some(Order::ImmLast),
            "r0" => Some(Order::X0First),
            _ => None,
        }
    }
}

pub struct GoName {
    pub mnemonic: String,
    pub order: Order,
    /// The largest 8-bit immediate Go accepts in this form (its own range checks,
    /// stricter than the CPU's); larger ones print as `BYTE`s. None: any byte.
    pub max_imm: Option<u8>,
}

/// The verified rows of `go_names.tsv`, by iced code.
pub fn go_names() -> &'static HashMap<Code, GoName> {
    static T: OnceLock<HashMap<Code, GoName>> = OnceLock::new();
    T.get_or_init(|| {
        let by_name: HashMap<String, Code> =
            Code::values().map(|c| (format!("{c:?}"), c)).collect();
        let mut m = HashMap::new();
        for line in include_str!("go_names.tsv").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(code), Some(mn)) = (cols.first().and_then(|c| by_name.get(*c)), cols.get(1))
            else {
                continue;
            };
            let Some(order) = cols.get(2).and_then(|c| Order::from_code(c)) else {
                continue;
            };
            let max_imm = cols
                .get(3)
                .and_then(|c| c.strip_prefix("imm<="))
                .and_then(|n| n.parse().ok());
            m.insert(
                *code,
                GoName {
                    mnemonic: mn.to_string(),
                    order,
                    max_imm,
                },
            );
        }
        m
    })
}

/// Go's jump mnemonics by Intel mnemonic.
const JUMPS: &[(&str, &str)] = &[
    ("jmp", "JMP"),
    ("je", "JEQ"),
    ("jne", "JNE"),
    ("jb", "JCS"),
    ("jae", "JCC"),
    ("jbe", "JLS"),
    ("ja", "JHI"),
    ("jl", "JLT"),
    ("jge", "JGE"),
    ("jle", "JLE"),
    ("jg", "JGT"),
    ("js", "JMI"),
    ("jns", "JPL"),
    ("jo", "JOS"),
    ("jno", "JOC"),
    ("jp", "JPS"),
    ("jnp", "JPC"),
    ("loop", "LOOP"),
    ("loope", "LOOPEQ"),
    ("loopne", "LOOPNE"),
    ("jrcxz", "JCXZQ"),
];

pub fn go_jump(intel: &str) -> Option<&'static str> {
    JUMPS.iter().find(|(i, _)| *i == intel).map(|(_, g)| *g)
}

fn phys(r: Reg) -> u8 {
    match r {
        Reg::Phys(p) => p,
        Reg::Virt(_) => unreachable!("allocated"),
    }
}

fn go_mem(m: &Mem, table_sym: &dyn Fn(usize) -> String) -> String {
    if let Some(t) = m.table {
        return match m.disp {
            0 => format!("{}(SB)", table_sym(t)),
            d if d > 0 => format!("{}+{d}(SB)", table_sym(t)),
            d => format!("{}{d}(SB)", table_sym(t)),
        };
    }
    let mut s = String::new();
    if m.disp != 0 || m.base.is_none() {
        s.push_str(&m.disp.to_string());
    }
    if let Some(b) = m.base {
        s.push_str(&format!("({})", regs::GO_GP[phys(b) as usize]));
    }
    if let Some((r, w, sc)) = m.index {
        s.push_str(&format!("({}*{sc})", regs::go_name(phys(r), w.max(64))));
    }
    s
}

/// Go's names for the 8-bit registers (`AL`, `SIB`, `R9B`).
const GO_GP8: [&str; 16] = [
    "AL", "CL", "DL", "BL", "SPB", "BPB", "SIB", "DIB", "R8B", "R9B", "R10B", "R11B", "R12B",
    "R13B", "R14B", "R15B",
];

fn go_reg(phys: u8, width: regs::Width) -> String {
    if regs::class_of(phys) == crate::ir::Class::Gp && width == 8 {
        GO_GP8[phys as usize].to_string()
    } else {
        regs::go_name(phys, width)
    }
}

pub fn go_operand(
    o: &Operand,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> String {
    match o {
        Operand::Reg { reg, width } => go_reg(phys(*reg), *width),
        Operand::Mem(m) => go_mem(m, table_sym),
        Operand::Imm(v) => format!("${v}"),
        Operand::Label(l) => label(*l),
    }
}

/// The value Go must be given for an immediate in `slot`: 8-bit immediates that are
/// not sign-extended are written unsigned (Go rejects `PSHUFD $-1, ...`).
fn go_imm(slot: Slot, v: i128) -> i128 {
    match slot {
        Slot::Imm(ImmKind::I8) if v < 0 => v + 256,
        _ => v,
    }
}

/// Text in Go syntax for a form with a Go name (None: no verified Go spelling).
pub fn go_text(
    p: &Placed,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> Option<String> {
    if p.form.is_branch() {
        let g = go_jump(&p.inst.mnemonic)?;
        let target = p.inst.ops.iter().find_map(|o| match o {
            Operand::Label(l) => Some(label(*l)),
            _ => None,
        })?;
        return Some(format!("{g} {target}"));
    }
    let name = go_names().get(&p.form.code)?;
    if let Some(max) = name.max_imm {
        let over = p.inst.ops.iter().zip(&p.form.slots).any(|(o, s)| match o {
            Operand::Imm(v) => go_imm(*s, *v) > max as i128,
            _ => false,
        });
        if over {
            return None;
        }
    }
    Some(go_text_as(p, name, label, table_sym))
}

/// `p` spelled with Go mnemonic and operand order `name` (whether or not it is a
/// verified row: the generator of `go_names.tsv` tries candidates with this).
pub fn go_text_as(
    p: &Placed,
    name: &GoName,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> String {
    let mut ops: Vec<String> = p
        .inst
        .ops
        .iter()
        .zip(&p.form.slots)
        .map(|(o, s)| match o {
            Operand::Imm(v) => format!("${}", go_imm(*s, *v)),
            _ => go_operand(o, label, table_sym),
        })
        .collect();
    let d = &p.inst.evex;
    // Go writes the writemask just before the destination: `VPADDD Z1, Z2, K1, Z3`.
    let mask = d.mask.map(|k| go_reg(phys(k), 64));
    if let (Some(k), Order::Intel) = (&mask, name.order) {
        ops.insert(1.min(ops.len()), k.clone());
    }
    match name.order {
        Order::Intel => {}
        Order::Reversed => ops.reverse(),
        Order::X0First => {
            ops.reverse();
            ops.insert(0, "X0".into());
        }
        Order::ImmLast => {
            ops.reverse();
            if matches!(p.inst.ops.last(), Some(Operand::Imm(_))) {
                let imm = ops.remove(0);
                ops.push(imm);
            }
        }
    }
    if let (Some(k), false) = (mask, name.order == Order::Intel) {
        let at = ops.len().saturating_sub(1);
        ops.insert(at, k);
    }
    // Suffixes in Go's order: `VADDPD.RU_SAE.Z`, `VPADDD.BCST.Z`.
    let mut mnemonic = name.mnemonic.clone();
    if let Some(r) = d.rounding {
        mnemonic = format!("{mnemonic}.{}", r.go());
    }
    if d.bcst.is_some() {
        mnemonic.push_str(".BCST");
    }
    if d.zero {
        mnemonic.push_str(".Z");
    }
    let prefix = match p.inst.prefix {
        super::parse::Prefix::Rep | super::parse::Prefix::Repe => "REP; ",
        super::parse::Prefix::Repne => "REPN; ",
        super::parse::Prefix::Lock => "LOCK; ",
        super::parse::Prefix::None => "",
    };
    if ops.is_empty() {
        format!("{prefix}{mnemonic}")
    } else {
        format!("{prefix}{mnemonic} {}", ops.join(", "))
    }
}

/// One Go line for a placed instruction: its mnemonic, or `BYTE`s with the Intel text.
pub fn go_line(
    p: &Placed,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> String {
    if let Some(t) = go_text(p, label, table_sym) {
        return t;
    }
    let bytes: Vec<String> = p.bytes.iter().map(|b| format!("BYTE ${b:#04x}")).collect();
    let text = intel_text(&build(&p.inst, p.form, 0));
    format!("{} // {text}", bytes.join("; "))
}

/// Loads an argument slot into a 64-bit register, extending narrow integers.
pub fn go_load_arg(slot: &FrameSlot, reg: u8) -> String {
    let at = format!("{}+{}(FP)", slot.name, slot.offset);
    if slot.by_address {
        return format!("LEAQ {at}, {}", regs::GO_GP[reg as usize]);
    }
    let r = regs::go_name(
        reg,
        if regs::class_of(reg) == crate::ir::Class::Gp {
            64
        } else {
            128
        },
    );
    let op = match (slot.scalar, slot.size) {
        (Scalar::F32, _) => "MOVSS",
        (Scalar::F64, _) => "MOVSD",
        (s, 1) if s.is_signed() => "MOVBQSX",
        (_, 1) => "MOVBQZX",
        (s, 2) if s.is_signed() => "MOVWQSX",
        (_, 2) => "MOVWQZX",
        (s, 4) if s.is_signed() => "MOVLQSX",
        (_, 4) => "MOVL",
        _ => "MOVQ",
    };
    format!("{op} {at}, {r}")
}

/// Copies an argument into its spill slot `offset(SP)` through AX (extended as
/// in a register; floats bit for bit).
pub fn go_spill_arg(slot: &FrameSlot, offset: u32) -> Vec<String> {
    let load = if slot.scalar.is_float() && !slot.by_address {
        let at = format!("{}+{}(FP)", slot.name, slot.offset);
        let op = if slot.size == 4 { "MOVL" } else { "MOVQ" };
        format!("{op} {at}, AX")
    } else {
        go_load_arg(slot, regs::RAX)
    };
    vec![load, format!("MOVQ AX, {offset}(SP)")]
}

/// Stores a result register to its slot.
pub fn go_store_result(slot: &FrameSlot, reg: u8) -> String {
    let at = format!("{}+{}(FP)", slot.name, slot.offset);
    let r = regs::go_name(
        reg,
        if regs::class_of(reg) == crate::ir::Class::Gp {
            64
        } else {
            128
        },
    );
    let op = match (slot.scalar, slot.size) {
        (Scalar::F32, _) => "MOVSS",
        (Scalar::F64, _) => "MOVSD",
        (_, 1) => "MOVB",
        (_, 2) => "MOVW",
        (_, 4) => "MOVL",
        _ => "MOVQ",
    };
    format!("{op} {r}, {at}")
}
