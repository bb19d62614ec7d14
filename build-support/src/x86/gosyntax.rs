//! Go's Plan 9 spelling of amd64 instructions.
//!
//! Which iced forms print as a Go mnemonic is data (`go_names.tsv`): each row was
//! found by assembling the candidate spelling with `go tool asm` and comparing its
//! bytes with iced-x86's (`cargo run -p go-asm-tests --bin x86-go-names` writes it,
//! and the test suite checks every row again). Everything else prints as `BYTE`s
//! with the Intel text as a comment. Branches always print as Go jumps to labels.

use super::encode::{build, intel_text, Placed};
use super::parse::{Mem, Operand};
use super::regs;
use crate::frame::Slot;
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
}

pub struct GoName {
    pub mnemonic: String,
    pub order: Order,
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
            let order = if cols.get(2) == Some(&"i") {
                Order::Intel
            } else {
                Order::Reversed
            };
            m.insert(
                *code,
                GoName {
                    mnemonic: mn.to_string(),
                    order,
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

pub fn go_operand(
    o: &Operand,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> String {
    match o {
        Operand::Reg { reg, width } => regs::go_name(phys(*reg), *width),
        Operand::Mem(m) => go_mem(m, table_sym),
        Operand::Imm(v) => format!("${v}"),
        Operand::Label(l) => label(*l),
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
    let mut ops: Vec<String> = p
        .inst
        .ops
        .iter()
        .map(|o| go_operand(o, label, table_sym))
        .collect();
    if name.order == Order::Reversed {
        ops.reverse();
    }
    let prefix = match p.inst.prefix {
        super::parse::Prefix::Rep | super::parse::Prefix::Repe => "REP; ",
        super::parse::Prefix::Repne => "REPN; ",
        super::parse::Prefix::Lock => "LOCK; ",
        super::parse::Prefix::None => "",
    };
    if ops.is_empty() {
        Some(format!("{prefix}{}", name.mnemonic))
    } else {
        Some(format!("{prefix}{} {}", name.mnemonic, ops.join(", ")))
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
pub fn go_load_arg(slot: &Slot, reg: u8) -> String {
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

/// Stores a result register to its slot.
pub fn go_store_result(slot: &Slot, reg: u8) -> String {
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
