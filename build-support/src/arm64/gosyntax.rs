//! Go's arm64 assembly spelling of placed instructions: a Go mnemonic with Go's
//! operand order where the form table has one (each verified against `go tool asm`
//! in the test suite to assemble to exactly the same word), `WORD` with the ARM
//! text as a comment otherwise.

use super::encode::Placed;
use super::forms::{MemK, Spec};
use super::parse::{Inst, MemOff, Mode, Operand, Shape, CONDS};
use super::regs;
use crate::frame::Slot;
use crate::ir::{LabelId, Reg};
use crate::sig::Scalar;

fn phys(r: Reg) -> u8 {
    match r {
        Reg::Phys(p) => p,
        Reg::Virt(v) => panic!("virtual register v{v} reached the Go printer"),
    }
}

const GO_ARR: [&str; 10] = ["B8", "B16", "H4", "H8", "S2", "S4", "D1", "D2", "Q1", "Q1"];
const ARM_ARR: [&str; 10] = ["8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d", "1q", "1q"];
const GO_SHIFT: [&str; 4] = ["<<", ">>", "->", "@>"];
const SHIFT_NAMES: [&str; 4] = ["lsl", "lsr", "asr", "ror"];
const EXT_NAMES: [&str; 8] = [
    "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx",
];

fn vnum(r: Reg) -> u32 {
    regs::hw(phys(r))
}

fn go_vec(reg: Reg, shape: Shape, bare: bool) -> String {
    let n = vnum(reg);
    match shape {
        Shape::Arr(e, q) => format!("V{n}.{}", GO_ARR[e as usize * 2 + usize::from(q)]),
        Shape::Scalar(_) if bare => format!("V{n}"),
        Shape::Scalar(_) => format!("F{n}"),
        Shape::Lane(e, i) => format!("V{n}.{}[{i}]", ["B", "H", "S", "D", "Q"][e as usize]),
    }
}

fn go_mem(m: &super::parse::Mem) -> String {
    let base = regs::go_gp(phys(m.base));
    match m.off {
        MemOff::None => format!("({base})"),
        MemOff::Imm(0) if m.mode == Mode::Offset => format!("({base})"),
        MemOff::Imm(v) => format!("{v}({base})"),
        MemOff::Reg { reg, ext, .. } => {
            let idx = regs::go_gp(phys(reg));
            match ext {
                None => format!("({base})({idx})"),
                Some((3, Some(a))) if a > 0 => format!("({base})({idx}<<{a})"),
                Some((3, _)) => format!("({base})({idx})"),
                Some((k, a)) => {
                    let sh = match a {
                        Some(a) if a > 0 => format!("<<{a}"),
                        _ => String::new(),
                    };
                    format!(
                        "({base})({idx}.{}{sh})",
                        EXT_NAMES[k as usize].to_uppercase()
                    )
                }
            }
        }
    }
}

/// One operand in Go syntax; `next` is the following operand (shifts and extends
/// attach to the register or immediate before them).
fn go_operand(
    o: &Operand,
    next: Option<&Operand>,
    bare: bool,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> String {
    match o {
        Operand::Gp { reg, .. } => {
            let r = regs::go_gp(phys(*reg));
            match next {
                Some(Operand::Shift(k, a)) => format!("{r}{}{a}", GO_SHIFT[*k as usize]),
                Some(Operand::Extend(k, a)) => {
                    let sh = match a {
                        Some(a) if *a > 0 => format!("<<{a}"),
                        _ => String::new(),
                    };
                    format!("{r}.{}{sh}", EXT_NAMES[*k as usize].to_uppercase())
                }
                _ => r,
            }
        }
        Operand::Vec { reg, shape } => go_vec(*reg, *shape, bare),
        // Go writes a one-lane list as the lane alone: `VLD1 (R0), V1.S[1]`.
        Operand::List {
            regs,
            shape: shape @ Shape::Lane(..),
        } if regs.len() == 1 => go_vec(regs[0], *shape, false),
        Operand::List { regs, shape } => {
            let items: Vec<String> = regs.iter().map(|r| go_vec(*r, *shape, false)).collect();
            format!("[{}]", items.join(", "))
        }
        Operand::Imm(v) => match next {
            Some(Operand::Shift(0, s)) if *s > 0 => format!("${}", v << s),
            _ => format!("${v}"),
        },
        Operand::FImm(f) => format!("$({f:?})"),
        Operand::Shift(..) | Operand::Extend(..) => String::new(),
        Operand::Mem(m) => go_mem(m),
        Operand::Label(l) => label(*l),
        Operand::Table(t, 0) => format!("${}(SB)", table_sym(*t)),
        Operand::Table(t, off) => format!("${}+{off}(SB)", table_sym(*t)),
        Operand::Cond(c) => CONDS[*c as usize].to_uppercase(),
    }
}

/// The Go mnemonic form of an instruction, if its form has one.
pub fn go_text(
    inst: &Inst,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> Option<String> {
    let mut tpl = inst.form().go.as_deref()?;
    // `!zN `: Go has no spelling when operand N is the zero register.
    while let Some(rest) = tpl.strip_prefix("!z") {
        let (n, rest) = rest.split_once(' ')?;
        let n: usize = n.parse().ok()?;
        if matches!(
            inst.ops.get(n),
            Some(Operand::Gp {
                reg: Reg::Phys(regs::ZR),
                ..
            })
        ) {
            return None;
        }
        tpl = rest;
    }
    if inst.mnemonic == "b.cond" {
        let Some(Operand::Cond(c)) = inst.ops.first() else {
            return None;
        };
        let target = go_operand(&inst.ops[1], None, false, label, table_sym);
        // Go's `B` is the unconditional encoding, not `b.al`: those stay words.
        return (*c < 14).then(|| format!("B{}\t{target}", CONDS[*c as usize].to_uppercase()));
    }
    // A byte access with an explicit `lsl #0`/`uxtw #0` sets S, which Go cannot spell.
    let byte_regoff = inst
        .form()
        .specs
        .iter()
        .any(|(s, _)| *s == Spec::Mem(MemK::RegOff(0)));
    if byte_regoff
        && inst.ops.iter().any(|o| {
            matches!(o, Operand::Mem(m) if matches!(m.off, MemOff::Reg { ext: Some((_, Some(0))), .. }))
        })
    {
        return None;
    }
    // Go folds a shifted immediate into one value: `#0, lsl #12` would lose its shift.
    if inst
        .ops
        .windows(2)
        .any(|w| matches!(w, [Operand::Imm(0), Operand::Shift(_, s)] if *s > 0))
    {
        return None;
    }
    let fsize = inst.ops.iter().find_map(|o| match o {
        Operand::Vec {
            shape: Shape::Scalar(s),
            ..
        } => Some(*s),
        _ => None,
    });
    let mut out = String::new();
    let mut chars = tpl.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '@' => out.push_str(if fsize == Some(2) { "S" } else { "D" }),
            '%' => {
                let mut n = 0usize;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n * 10 + d as usize;
                    chars.next();
                }
                let bare = chars.peek() == Some(&'v');
                if bare {
                    chars.next();
                }
                let o = inst.ops.get(n)?;
                if let Some(&flag @ ('n' | 'u')) = chars.peek() {
                    // A `mov` constant as the register-width unsigned value Go's
                    // MOVZ takes (`mov w0, #-65536` is `MOVZW $4294901760`), or
                    // inverted for MOVN.
                    chars.next();
                    let Operand::Imm(v) = o else { return None };
                    let width = if inst.form().x { 64 } else { 32 };
                    let u = super::forms::as_width(*v, width)?;
                    let ones = if width == 64 { u64::MAX } else { 0xffff_ffff };
                    let shown = if flag == 'n' { !u & ones } else { u };
                    out.push_str(&format!("${shown}"));
                    continue;
                }
                out.push_str(&go_operand(o, inst.ops.get(n + 1), bare, label, table_sym));
            }
            _ => out.push(c),
        }
    }
    // Go's assembler refuses a move-wide of a zero 16-bit immediate ("zero shifts
    // cannot be handled correctly"): `mov x0, #0`, `mov x0, #-1`, `movk x0, #0`.
    if ["MOVZ", "MOVN", "MOVK"].iter().any(|m| out.starts_with(m))
        && out
            .split_once(' ')
            .is_some_and(|(_, ops)| ops.starts_with("$0,"))
    {
        return None;
    }
    // Mnemonic and operands are separated by a tab, as gofmt'd Go assembly is.
    Some(match out.split_once(' ') {
        Some((m, rest)) => format!("{m}\t{rest}"),
        None => out,
    })
}

fn arm_operand(
    o: &Operand,
    label: &dyn Fn(LabelId) -> String,
    table: &dyn Fn(usize) -> String,
) -> String {
    let vname = |r: Reg, s: Shape| {
        let n = vnum(r);
        match s {
            Shape::Arr(e, q) => format!("v{n}.{}", ARM_ARR[e as usize * 2 + usize::from(q)]),
            Shape::Scalar(z) => format!("{}{n}", "bhsdq".as_bytes()[z as usize] as char),
            Shape::Lane(e, i) => format!("v{n}.{}[{i}]", "bhsdq".as_bytes()[e as usize] as char),
        }
    };
    match o {
        Operand::Gp { reg, x } => regs::gp_name(phys(*reg), *x),
        Operand::Vec { reg, shape } => vname(*reg, *shape),
        Operand::List {
            regs,
            shape: Shape::Lane(e, i),
        } => {
            let l = "bhsdq".as_bytes()[*e as usize] as char;
            let items: Vec<String> = regs.iter().map(|r| format!("v{}.{l}", vnum(*r))).collect();
            format!("{{{}}}[{i}]", items.join(", "))
        }
        Operand::List { regs, shape } => {
            format!(
                "{{{}}}",
                regs.iter()
                    .map(|r| vname(*r, *shape))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Operand::Imm(v) => format!("#{v}"),
        Operand::FImm(f) => format!("#{f:?}"),
        Operand::Shift(k, a) => format!("{} #{a}", SHIFT_NAMES[*k as usize]),
        Operand::Extend(k, a) => match a {
            Some(a) => format!("{} #{a}", EXT_NAMES[*k as usize]),
            None => EXT_NAMES[*k as usize].to_string(),
        },
        Operand::Mem(m) => {
            let base = regs::gp_name(phys(m.base), true);
            let off = match m.off {
                MemOff::None => String::new(),
                MemOff::Imm(v) => format!("#{v}"),
                MemOff::Reg { reg, x, ext } => {
                    let r = regs::gp_name(phys(reg), x);
                    match ext {
                        None => r,
                        Some((3, Some(a))) => format!("{r}, lsl #{a}"),
                        Some((k, Some(a))) => format!("{r}, {} #{a}", EXT_NAMES[k as usize]),
                        Some((k, None)) => format!("{r}, {}", EXT_NAMES[k as usize]),
                    }
                }
            };
            match (m.mode, off.is_empty()) {
                (_, true) => format!("[{base}]"),
                (Mode::Offset, false) => format!("[{base}, {off}]"),
                (Mode::Pre, false) => format!("[{base}, {off}]!"),
                (Mode::Post, false) => format!("[{base}], {off}"),
            }
        }
        Operand::Label(l) => label(*l),
        Operand::Table(t, 0) => table(*t),
        Operand::Table(t, off) => format!("{}+{off}", table(*t)),
        Operand::Cond(c) => CONDS[*c as usize].to_string(),
    }
}

/// ARM syntax of an instruction with physical registers.
pub fn arm_text(
    inst: &Inst,
    label: &dyn Fn(LabelId) -> String,
    table: &dyn Fn(usize) -> String,
) -> String {
    let mut ops = inst.ops.iter().collect::<Vec<_>>();
    let mut m = inst.mnemonic.clone();
    if m == "b.cond" {
        if let Some(Operand::Cond(c)) = ops.first() {
            m = format!("b.{}", CONDS[*c as usize]);
            ops.remove(0);
        }
    }
    if ops.is_empty() {
        return m;
    }
    let parts: Vec<String> = ops.iter().map(|o| arm_operand(o, label, table)).collect();
    format!("{m} {}", parts.join(", "))
}

/// One Go assembly line for a placed instruction (without indentation).
pub fn go_line(
    p: &Placed,
    label: &dyn Fn(LabelId) -> String,
    table_sym: &dyn Fn(usize) -> String,
) -> String {
    if let Some(s) = go_text(&p.inst, label, table_sym) {
        return s;
    }
    let words = p.words();
    let text = arm_text(&p.inst, label, table_sym);
    words
        .iter()
        .map(|w| format!("WORD\t$0x{w:08x} // {text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the instruction prints as a Go mnemonic.
pub fn is_mnemonic(p: &Placed) -> bool {
    go_text(&p.inst, &|_| String::new(), &|_| String::new()).is_some()
}

fn go_reg(reg: u8) -> String {
    if regs::class_of(reg) == crate::ir::Class::Vec {
        format!("F{}", regs::hw(reg))
    } else {
        regs::go_gp(reg)
    }
}

/// Loads an argument from the Go ABI0 frame into `reg` (extending narrow integers
/// to 64 bits).
pub fn go_load_arg(slot: &Slot, reg: u8) -> String {
    let r = go_reg(reg);
    let at = format!("{}+{}(FP)", slot.name, slot.offset);
    if slot.by_address {
        return format!("MOVD\t${at}, {r}");
    }
    let m = match (slot.scalar, slot.size) {
        (Scalar::F32, _) => "FMOVS",
        (Scalar::F64, _) => "FMOVD",
        (s, 1) if s.is_signed() => "MOVB",
        (_, 1) => "MOVBU",
        (s, 2) if s.is_signed() => "MOVH",
        (_, 2) => "MOVHU",
        (s, 4) if s.is_signed() => "MOVW",
        (_, 4) => "MOVWU",
        _ => "MOVD",
    };
    format!("{m}\t{at}, {r}")
}

/// Copies an argument into its spill slot `offset(RSP)` through R16 (extended as
/// in a register; floats bit for bit).
pub fn go_spill_arg(slot: &Slot, offset: u32) -> Vec<String> {
    let load = if slot.scalar.is_float() && !slot.by_address {
        let at = format!("{}+{}(FP)", slot.name, slot.offset);
        let op = if slot.size == 4 { "MOVWU" } else { "MOVD" };
        format!("{op}\t{at}, R16")
    } else {
        go_load_arg(slot, 16)
    };
    vec![load, format!("MOVD\tR16, {offset}(RSP)")]
}

/// Stores a result register into the Go ABI0 frame.
pub fn go_store_result(slot: &Slot, reg: u8) -> String {
    let r = go_reg(reg);
    let at = format!("{}+{}(FP)", slot.name, slot.offset);
    let m = match (slot.scalar, slot.size) {
        (Scalar::F32, _) => "FMOVS",
        (Scalar::F64, _) => "FMOVD",
        (_, 1) => "MOVB",
        (_, 2) => "MOVH",
        (_, 4) => "MOVW",
        _ => "MOVD",
    };
    format!("{m}\t{r}, {at}")
}
