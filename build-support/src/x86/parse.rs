//! amd64: lowering of a block's statements to the allocator's IR (the operands
//! themselves are read in `operands`).

mod operands;

use super::evex::{self, Decor};
use super::forms::{self, Access, Form, Slot};
use super::regs::{self, Width};
use crate::diag::{bail, Result};
use crate::dsl::{self, ident_text, lower, punct, Stmt, Tokens};
use crate::func::{AsmFn, Block};
use crate::ir::{Body, Class, Effects, Flow, LabelId, Node, Reg, Vreg};
use crate::locals::{self, Locals};
use crate::sig::RegKind;
use proc_macro2::{Delimiter, Span, TokenTree};
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Reg { reg: Reg, width: Width },
    Mem(Mem),
    Imm(i128),
    Label(LabelId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mem {
    /// Size written before the brackets (`qword`), in bytes.
    pub size: Option<u32>,
    pub base: Option<Reg>,
    /// Index register, its width (64 for gp, 128/256 for gathers) and scale.
    pub index: Option<(Reg, Width, u8)>,
    pub disp: i64,
    /// RIP-relative reference to a data table (by index in the function's tables).
    pub table: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Prefix {
    None,
    Rep,
    Repe,
    Repne,
    Lock,
}

#[derive(Clone, Debug)]
pub struct Inst {
    pub mnemonic: String,
    pub prefix: Prefix,
    pub ops: Vec<Operand>,
    /// AVX-512 writemask, zeroing, broadcast and rounding.
    pub evex: Decor,
    /// Forms the operands fit; the encoder picks the shortest once registers are known.
    pub forms: Vec<&'static Form>,
    pub span: Span,
    pub uses: Vec<Reg>,
    pub defs: Vec<Reg>,
    pub flow: Flow,
    /// A move go-asm inserted (results); dropped when source and destination coincide.
    pub elidable: bool,
}

impl Effects for Inst {
    fn uses(&self) -> Vec<Reg> {
        self.uses.clone()
    }
    fn defs(&self) -> Vec<Reg> {
        self.defs.clone()
    }
    fn flow(&self) -> Flow {
        self.flow
    }
}

/// A lowered amd64 block.
pub type Lowered = crate::backend::Lowered<Inst>;

/// Go keeps amd64 stacks 8-byte aligned: stack locals aligned to more are
/// addressed from an aligned base register.
pub const STACK_ALIGN: u32 = 8;

/// A constant offset into a stack local, checked once the instruction's access
/// size is known.
struct LocalRef {
    local: usize,
    offset: i128,
    span: Span,
    size: Option<u32>,
}

const SIZE_WORDS: &[(&str, u32)] = &[
    ("byte", 1),
    ("word", 2),
    ("dword", 4),
    ("qword", 8),
    ("xmmword", 16),
    ("ymmword", 32),
    ("zmmword", 64),
];

const CLASSES: &[(&str, Class, Width)] = &[
    ("gp8", Class::Gp, 8),
    ("gp16", Class::Gp, 16),
    ("gp32", Class::Gp, 32),
    ("gp64", Class::Gp, 64),
    ("xmm", Class::Vec, 128),
    ("ymm", Class::Vec, 256),
    ("zmm", Class::Vec, 512),
    ("k", Class::Mask, 64),
];

/// Integer result registers in order (rax, rdx: SysV's pair; then rcx, r8), float
/// ones (xmm0-xmm3): all caller-saved in Go ABI0, SysV and Win64.
pub const INT_RESULTS: [u8; 4] = [regs::RAX, regs::RDX, regs::RCX, 8];
pub const FLOAT_RESULTS: [u8; 4] = [
    regs::VEC_BASE,
    regs::VEC_BASE + 1,
    regs::VEC_BASE + 2,
    regs::VEC_BASE + 3,
];

const ZERO_IDIOMS: &[&str] = &[
    "xor", "sub", "pxor", "xorps", "xorpd", "vpxor", "vxorps", "vxorpd", "pcmpeqb", "pcmpeqw",
    "pcmpeqd", "vpcmpeqb", "vpcmpeqw", "vpcmpeqd", "psubb", "psubw", "psubd", "psubq",
];

struct Ctx<'a> {
    f: &'a AsmFn,
    vregs: Vec<Vreg>,
    /// Default width of each virtual register.
    widths: Vec<Width>,
    names: HashMap<String, u32>,
    labels: HashMap<String, LabelId>,
    label_names: Vec<String>,
    /// The block's stack locals (all of them, laid out before lowering) and how
    /// many of them are declared at the current line.
    locals: Locals,
    visible_locals: usize,
    /// The virtual register holding the over-aligned locals' base.
    region_base: Option<u32>,
    /// The stack-local offsets of the instruction being lowered.
    local_refs: RefCell<Vec<LocalRef>>,
}

pub fn lower(f: &AsmFn, block: &Block) -> Result<Lowered> {
    let stmts = dsl::parse_block(block.tokens.clone())?;
    let mut cx = Ctx {
        f,
        vregs: Vec::new(),
        widths: Vec::new(),
        names: HashMap::new(),
        labels: HashMap::new(),
        label_names: Vec::new(),
        locals: Locals::new(0, STACK_ALIGN),
        visible_locals: 0,
        region_base: None,
        local_refs: RefCell::new(Vec::new()),
    };
    // Arguments: one virtual register per component.
    let mut arg_vregs = Vec::new();
    for (name, c, span) in lower::arguments(&f.sig) {
        let (class, width) = match c.kind {
            RegKind::Int => (Class::Gp, 64),
            RegKind::Float => (Class::Vec, 128),
        };
        arg_vregs.push(cx.new_vreg(name, class, width, span));
    }
    let taken = |n: &str| cx.names.contains_key(n) || regs::parse(n).is_some();
    let labels = lower::labels(&stmts, &taken, "register or argument")?;
    (cx.labels, cx.label_names) = (labels.ids, labels.names);
    cx.locals = locals::stack_locals(&stmts, 0, STACK_ALIGN, &|n| {
        let what = if regs::parse(n).is_some() {
            "a register"
        } else if cx.names.contains_key(n) || cx.names.keys().any(|k| k.split('.').next() == Some(n)) {
            "an argument"
        } else if cx.labels.contains_key(n) {
            "a label"
        } else if f.tables.iter().any(|t| t.name == n) {
            "a table"
        } else {
            return None;
        };
        Some(what.to_string())
    })?;
    if cx.locals.region().is_some() {
        let span = cx.locals.locals.iter().find(|l| l.from_base).expect("aligned").span;
        cx.region_base = Some(cx.new_vreg("stack.base".into(), Class::Gp, 64, span));
    }
    let mut nodes = Vec::new();
    let mut hints = Vec::new();
    let mut ends_in_return = false;
    for s in &stmts {
        ends_in_return = false;
        match s {
            Stmt::Label(id) => nodes.push(Node::Label(cx.labels[&id.to_string()])),
            Stmt::Let(decls) => lower::declare(&mut cx, decls)?,
            // Laid out before; visible from here on (names were checked then).
            Stmt::Stack(_) => cx.visible_locals += 1,
            Stmt::Return { span, values } => {
                let moves = cx.lower_return(*span, values, &mut hints)?;
                nodes.extend(moves.into_iter().map(Node::Inst));
                nodes.push(Node::Inst(exit_jump(*span)));
                ends_in_return = true;
            }
            Stmt::Inst {
                mnemonic,
                span,
                operands,
                iteration,
            } => nodes.push(Node::Inst(
                cx.lower_inst(mnemonic, *span, operands)
                    .map_err(|e| dsl::expand::in_iteration(iteration, e))?,
            )),
        }
    }
    lower::finish(
        &mut nodes,
        ends_in_return,
        Some(&f.sig),
        (block.span, "amd64"),
    )?;
    let read = |v: u32| {
        nodes
            .iter()
            .any(|n| matches!(n, Node::Inst(i) if i.uses.contains(&Reg::Virt(v))))
    };
    if let (Some(base), Some(r)) = (cx.region_base.filter(|&b| read(b)), cx.locals.region()) {
        // First of all: base = (rsp + at + bias) & -align.
        let span = cx.vregs[base as usize].span;
        let b = Operand::Reg {
            reg: Reg::Virt(base),
            width: 64,
        };
        let at = Operand::Mem(Mem {
            size: None,
            base: Some(Reg::Phys(regs::RSP)),
            index: None,
            disp: (r.at + r.bias) as i64,
            table: None,
        });
        let lea = cx.synthetic("lea", vec![b.clone(), at], span);
        let and = cx.synthetic("and", vec![b, Operand::Imm(-(r.align as i128))], span);
        nodes.splice(0..0, [Node::Inst(lea), Node::Inst(and)]);
    }
    hints.resize(cx.vregs.len(), None);
    let results = f.sig.result_registers(&INT_RESULTS, &FLOAT_RESULTS);
    Ok(Lowered {
        body: Body {
            nodes,
            vregs: cx.vregs,
            labels: cx.label_names,
            args: arg_vregs.clone(),
            results,
            features: Vec::new(),
        },
        arg_vregs,
        hints,
        locals: cx.locals,
    })
}

impl lower::Declare for Ctx<'_> {
    type Class = (Class, Width);
    fn class(&self, class: &proc_macro2::Ident) -> Result<(Class, Width)> {
        let Some(&(_, c, w)) = CLASSES.iter().find(|(n, ..)| *class == *n) else {
            bail!(
                class.span(),
                "unknown register class `{class}`; amd64 classes: gp8 gp16 gp32 gp64 xmm ymm zmm k"
            );
        };
        Ok((c, w))
    }
    fn declared(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }
    fn reserved(&self, name: &str) -> Option<String> {
        if self.locals.find(name).is_some() {
            return Some(format!("`{name}` is a stack local of this block"));
        }
        (regs::parse(name).is_some() || self.labels.contains_key(name))
            .then(|| format!("`{name}` is a register or label name"))
    }
    fn declare(&mut self, name: String, (class, width): (Class, Width), span: Span) {
        self.new_vreg(name, class, width, span);
    }
}

fn exit_jump(span: Span) -> Inst {
    let forms: Vec<&'static Form> = forms::table().by_mnemonic["jmp"].iter().collect();
    Inst {
        mnemonic: "jmp".into(),
        prefix: Prefix::None,
        ops: vec![Operand::Label(LabelId::MAX)],
        evex: Decor::default(),
        forms,
        span,
        uses: vec![],
        defs: vec![],
        flow: Flow::Exit,
        elidable: false,
    }
}

impl Ctx<'_> {
    fn new_vreg(&mut self, name: String, class: Class, width: Width, span: Span) -> u32 {
        let id = self.vregs.len() as u32;
        self.names.insert(name.clone(), id);
        self.vregs.push(Vreg { name, class, span });
        self.widths.push(width);
        id
    }

    fn class_of(&self, r: Reg) -> Class {
        match r {
            Reg::Virt(v) => self.vregs[v as usize].class,
            Reg::Phys(p) => regs::class_of(p),
        }
    }

    fn lower_inst(&self, written: &str, span: Span, operands: &[Tokens]) -> Result<Inst> {
        self.local_refs.borrow_mut().clear();
        let mut mnemonic = written.to_lowercase();
        let mut prefix = Prefix::None;
        let mut operands = operands.to_vec();
        let prefixes = [
            ("rep", Prefix::Rep),
            ("repe", Prefix::Repe),
            ("repz", Prefix::Repe),
            ("repne", Prefix::Repne),
            ("repnz", Prefix::Repne),
            ("lock", Prefix::Lock),
        ];
        if let Some(&(_, p)) = prefixes.iter().find(|(n, _)| *n == mnemonic) {
            let Some(first) = operands.first_mut() else {
                bail!(span, "`{mnemonic}` needs an instruction after it");
            };
            let Some(real) = first.first().and_then(ident_text) else {
                bail!(span, "`{mnemonic}` needs an instruction after it");
            };
            first.remove(0);
            if first.is_empty() {
                operands.remove(0);
            }
            prefix = p;
            mnemonic = real.to_lowercase();
        }
        let mnemonic = forms::canonical(&mnemonic);
        if let Some(why) = forms::excluded(&mnemonic) {
            bail!(span, "`{mnemonic}` is not accepted: {why}");
        }
        let table = forms::table();
        let Some(all) = table.by_mnemonic.get(&mnemonic) else {
            bail!(
                span,
                "unknown amd64 mnemonic `{written}`{}",
                dsl::suggest(
                    &mnemonic,
                    forms::table().by_mnemonic.keys().map(|k| k.as_str())
                )
            );
        };
        let (operands, decor) = evex::take_decorations(
            &operands,
            &|t| Ok(self.register(t)?.map(|(r, _)| (r, self.class_of(r)))),
            &|t| {
                let word = t.first().and_then(ident_text)?;
                SIZE_WORDS.iter().find(|(w, _)| *w == word).map(|w| w.1)
            },
        )?;
        let mut ops: Vec<Operand> = operands
            .iter()
            .map(|t| self.operand(t))
            .map(|o| {
                // 64-bit constants written unsigned (0xffff_ffff_ffff_ffff) are the
                // negative values the CPU sign-extends, as llvm-mc and Go read them.
                o.map(|o| match o {
                    Operand::Imm(v) if (1i128 << 63..1i128 << 64).contains(&v) => {
                        Operand::Imm(v - (1i128 << 64))
                    }
                    o => o,
                })
            })
            .collect::<Result<_>>()?;
        if decor.bcst.is_some() {
            // The size keyword is the element's; the form's memory is the vector.
            for o in &mut ops {
                if let Operand::Mem(m) = o {
                    m.size = None;
                }
            }
        }
        let plain: Vec<&'static Form> = all.iter().filter(|f| self.fits(f, &ops)).collect();
        let fits: Vec<&'static Form> = plain
            .iter()
            .copied()
            .filter(|f| evex::form_takes(f, &decor, &ops))
            .collect();
        if fits.is_empty() && !plain.is_empty() {
            bail!(span, "{}", evex::refusal(&mnemonic, &decor, &plain));
        }
        if let (true, Some(why)) = (
            fits.is_empty(),
            evex::unreachable_registers(&mnemonic, all, &ops),
        ) {
            bail!(span, "{why}");
        }
        if fits.is_empty() {
            bail!(
                span,
                "`{mnemonic}` does not take {}; accepted forms: {}",
                self.describe_ops(&ops),
                describe_forms(all)
            );
        }
        // Memory operands without a size keyword must be unambiguous.
        if let Some(Operand::Mem(m)) = ops.iter().find(|o| matches!(o, Operand::Mem(_))) {
            let sizes: std::collections::BTreeSet<u32> = fits
                .iter()
                .map(|f| f.mem_bytes)
                .filter(|b| *b != 0)
                .collect();
            if m.size.is_none() && decor.bcst.is_none() && sizes.len() > 1 {
                bail!(
                    span,
                    "operand size is ambiguous for `{mnemonic}`: write byte, word, dword or qword before `[`"
                );
            }
        }
        if prefix != Prefix::None && !fits.iter().all(|f| prefix_ok(f, prefix)) {
            bail!(span, "`{mnemonic}` does not take this prefix");
        }
        // Constant offsets into stack locals stay inside them.
        for r in self.local_refs.borrow().iter() {
            let sizes: std::collections::BTreeSet<u32> = fits.iter().map(|f| f.mem_bytes).collect();
            let access = r.size.or_else(|| match sizes.iter().collect::<Vec<_>>()[..] {
                [&b] if b != 0 && decor.bcst.is_none() => Some(b),
                _ => None,
            });
            locals::check_offset(
                &self.locals.locals[r.local],
                r.offset,
                access,
                mnemonic == "lea",
                r.span,
            )?;
        }
        let form = fits[0];
        let (mut uses, defs) = self.effects(form, &ops, &mnemonic);
        uses.extend(evex::uses(&decor, &ops));
        uses.sort();
        uses.dedup();
        let flow = match ops.iter().find_map(|o| match o {
            Operand::Label(l) => Some(*l),
            _ => None,
        }) {
            Some(l) if mnemonic == "jmp" => Flow::Jump(l),
            Some(l) => Flow::Branch(l),
            None => Flow::Next,
        };
        Ok(Inst {
            mnemonic,
            prefix,
            ops,
            evex: decor,
            forms: fits,
            span,
            uses,
            defs,
            flow,
            elidable: false,
        })
    }

    /// Whether `ops` fit `form` for some allocation (fixed-register slots need the
    /// physical register named).
    fn fits(&self, form: &Form, ops: &[Operand]) -> bool {
        form.slots.len() == ops.len()
            && form
                .slots
                .iter()
                .zip(ops)
                .all(|(s, o)| slot_fits(*s, o, form, |r| self.class_of(r), false))
    }

    fn effects(&self, form: &Form, ops: &[Operand], mnemonic: &str) -> (Vec<Reg>, Vec<Reg>) {
        let mut uses = Vec::new();
        let mut defs = Vec::new();
        let regs_of: Vec<Reg> = ops
            .iter()
            .filter_map(|o| match o {
                Operand::Reg { reg, .. } => Some(*reg),
                _ => None,
            })
            .collect();
        let zero_idiom = ZERO_IDIOMS.contains(&mnemonic)
            && regs_of.len() == ops.len()
            && regs_of.len() >= 2
            && regs_of.windows(2).all(|w| w[0] == w[1]);
        for (o, a) in ops.iter().zip(&form.access) {
            match o {
                Operand::Reg { reg, width } => {
                    let partial = self.class_of(*reg) == Class::Gp && *width < 32;
                    match a {
                        Access::Read => uses.push(*reg),
                        Access::Write if partial => {
                            uses.push(*reg);
                            defs.push(*reg);
                        }
                        Access::Write => defs.push(*reg),
                        Access::ReadWrite => {
                            uses.push(*reg);
                            defs.push(*reg);
                        }
                        Access::None => {}
                    }
                }
                Operand::Mem(m) => {
                    // The stack pointer (a stack local's base) carries no value.
                    uses.extend(m.base.filter(|b| *b != Reg::Phys(regs::RSP)));
                    uses.extend(m.index.map(|i| i.0));
                }
                _ => {}
            }
        }
        if zero_idiom {
            uses.clear();
        }
        uses.extend(form.implicit_uses.iter().map(|&p| Reg::Phys(p)));
        defs.extend(form.implicit_defs.iter().map(|&p| Reg::Phys(p)));
        uses.sort();
        uses.dedup();
        defs.sort();
        defs.dedup();
        (uses, defs)
    }

    fn describe_ops(&self, ops: &[Operand]) -> String {
        if ops.is_empty() {
            return "no operands".into();
        }
        let d: Vec<String> = ops
            .iter()
            .map(|o| match o {
                Operand::Reg { reg, width } => match self.class_of(*reg) {
                    Class::Gp => format!("r{width}"),
                    Class::Vec => regs::name(regs::VEC_BASE, *width)
                        .trim_end_matches('0')
                        .to_string(),
                    Class::Mask => "k".into(),
                },
                Operand::Mem(m) => match m.size {
                    Some(s) => format!("m{}", s * 8),
                    None => "m".into(),
                },
                Operand::Imm(v) => format!("imm ({v})"),
                Operand::Label(_) => "label".into(),
            })
            .collect();
        format!("({})", d.join(", "))
    }

    fn lower_return(
        &mut self,
        span: Span,
        values: &[Tokens],
        hints: &mut Vec<Option<u8>>,
    ) -> Result<Vec<Inst>> {
        let results = &self.f.sig.results;
        lower::check_return_count(span, &self.f.sig, values.len())?;
        let mut moves = Vec::new();
        // Physical sources go through fresh virtual registers first: the result
        // moves form a parallel copy (`return rdx, rax`), and the allocator keeps
        // virtual registers apart where sequential moves would clobber.
        let mut sources = Vec::new();
        for v in values {
            let vspan = dsl::span_of(v);
            let Some((reg, _)) = self.register(v)? else {
                bail!(vspan, "`return` takes registers");
            };
            // Results are general or xmm registers; a mask has no move to either here.
            if self.class_of(reg) == Class::Mask {
                bail!(
                    vspan,
                    "a mask register cannot be returned: results are general or xmm registers"
                );
            }
            sources.push((vspan, reg));
        }
        let mut staged = Vec::new();
        for &(vspan, reg) in &sources {
            let Reg::Phys(p) = reg else {
                staged.push((vspan, reg));
                continue;
            };
            let class = regs::class_of(p);
            let width = if class == Class::Gp { 64 } else { 128 };
            let tmp = self.new_vreg(format!("return.{}", staged.len()), class, width, vspan);
            moves.push(self.copy(Reg::Virt(tmp), reg, class, vspan));
            staged.push((vspan, Reg::Virt(tmp)));
        }
        let dsts = self.f.sig.result_registers(&INT_RESULTS, &FLOAT_RESULTS);
        for ((&(vspan, reg), r), &dst) in staged.iter().zip(results).zip(&dsts) {
            let float = r.ty.is_float();
            let class = self.class_of(reg);
            let (dst, mnemonic, width) = if float {
                if class != Class::Vec {
                    bail!(
                        vspan,
                        "result is {}: return an xmm register",
                        r.ty.go_name()
                    );
                }
                (dst, "movaps", 128)
            } else {
                if class != Class::Gp {
                    bail!(
                        vspan,
                        "result is {}: return a general register",
                        r.ty.go_name()
                    );
                }
                (dst, "mov", 64)
            };
            lower::hint_result(hints, reg, dst);
            let _ = (mnemonic, width);
            moves.push(self.copy(Reg::Phys(dst), reg, class, vspan));
        }
        Ok(moves)
    }

    /// An instruction go-asm inserts, in the first of its forms that fits.
    fn synthetic(&self, mnemonic: &str, ops: Vec<Operand>, span: Span) -> Inst {
        let fits: Vec<&'static Form> = forms::table().by_mnemonic[mnemonic]
            .iter()
            .filter(|f| self.fits(f, &ops))
            .collect();
        let (uses, defs) = self.effects(fits[0], &ops, mnemonic);
        Inst {
            mnemonic: mnemonic.into(),
            prefix: Prefix::None,
            ops,
            evex: Decor::default(),
            forms: fits,
            span,
            uses,
            defs,
            flow: Flow::Next,
            elidable: false,
        }
    }

    /// A register copy go-asm inserts (dropped when source and destination coincide).
    fn copy(&self, dst: Reg, src: Reg, class: Class, span: Span) -> Inst {
        let (mnemonic, width) = if class == Class::Vec {
            ("movaps", 128)
        } else {
            ("mov", 64)
        };
        let ops = vec![
            Operand::Reg { reg: dst, width },
            Operand::Reg { reg: src, width },
        ];
        let table = forms::table();
        let fitting = |m: &str| -> Vec<&'static Form> {
            table.by_mnemonic[m]
                .iter()
                .filter(|f| self.fits(f, &ops))
                .collect()
        };
        let mut fits = fitting(mnemonic);
        // xmm16-31 have no legacy encoding: copy them with the EVEX form.
        let mnemonic = if fits.is_empty() && class == Class::Vec {
            fits = fitting("vmovaps");
            "vmovaps"
        } else {
            mnemonic
        };
        let (uses, defs) = self.effects(fits[0], &ops, mnemonic);
        Inst {
            mnemonic: mnemonic.into(),
            prefix: Prefix::None,
            ops,
            evex: Decor::default(),
            forms: fits,
            span,
            uses,
            defs,
            flow: Flow::Next,
            elidable: true,
        }
    }
}

fn prefix_ok(f: &Form, p: Prefix) -> bool {
    let op = f.code.op_code();
    match p {
        Prefix::Rep | Prefix::Repe => op.can_use_rep_prefix(),
        Prefix::Repne => op.can_use_repne_prefix(),
        Prefix::Lock => op.can_use_lock_prefix(),
        Prefix::None => true,
    }
}

/// Whether operand `o` fits slot `s`. `exact`: fixed-register slots need the
/// physical register (after allocation virtual registers are physical anyway).
pub fn slot_fits(
    s: Slot,
    o: &Operand,
    form: &Form,
    class_of: impl Fn(Reg) -> Class,
    _exact: bool,
) -> bool {
    match (s, o) {
        (Slot::Gp(w) | Slot::GpOrMem(w), Operand::Reg { reg, width }) => {
            class_of(*reg) == Class::Gp && *width == w
        }
        (Slot::FixedGp(p, w), Operand::Reg { reg, width }) => *reg == Reg::Phys(p) && *width == w,
        (Slot::Vec(w) | Slot::VecOrMem(w), Operand::Reg { reg, width }) => {
            class_of(*reg) == Class::Vec && *width == w && reaches(form, *reg)
        }
        (Slot::Mask | Slot::MaskOrMem, Operand::Reg { reg, .. }) => class_of(*reg) == Class::Mask,
        (Slot::GpOrMem(_) | Slot::VecOrMem(_) | Slot::MaskOrMem | Slot::Mem, Operand::Mem(m)) => {
            let vsib = m.index.map(|(_, w, _)| w > 64).unwrap_or(false);
            !vsib
                && m.size
                    .is_none_or(|sz| form.mem_bytes == 0 || sz == form.mem_bytes)
        }
        (Slot::Vsib(w), Operand::Mem(m)) => {
            m.index
                .map(|(r, iw, _)| iw == w && reaches(form, r))
                .unwrap_or(false)
                && m.size
                    .is_none_or(|sz| form.mem_bytes == 0 || sz == form.mem_bytes)
        }
        (Slot::Imm(k), Operand::Imm(v)) => k.accepts(*v),
        (Slot::Branch(_), Operand::Label(_)) => true,
        _ => false,
    }
}

/// Whether `form`'s encoding reaches vector register `r` (xmm16-31 need EVEX).
fn reaches(form: &Form, r: Reg) -> bool {
    form.evex.is_some() || !matches!(r, Reg::Phys(p) if regs::evex_only(p))
}

fn describe_forms(all: &[Form]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for f in all {
        if !seen.contains(&f.describe.as_str()) {
            seen.push(&f.describe);
        }
    }
    seen.join(" | ")
}
