//! arm64 operands in ARM syntax, and lowering of a block's statements to the
//! allocator's IR.

use super::forms::{self, Access, Form, MemK, RegInfo, Spec};
use super::regs::{self, View};
use crate::diag::{bail, Error, Result};
use crate::dsl::{self, ident_text, lower, punct, Stmt, Tokens};
use crate::func::{AsmFn, Block, Table};
use crate::ir::{Body, Class, Effects, Flow, LabelId, Node, Reg, Vreg};
use crate::locals::{self, Locals};
use crate::sig::{RegKind, Signature};
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::cell::RefCell;
use std::collections::HashMap;

mod stack_locals;
mod operands;
mod results;

/// The shape of a vector register operand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// Arrangement: log2 element bytes (0 b .. 4 q) and Q (128-bit).
    Arr(u8, bool),
    /// Scalar view `b h s d q`: log2 bytes.
    Scalar(u8),
    /// Lane `v0.s[1]`: log2 element bytes and index.
    Lane(u8, u8),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    Offset,
    /// `[x0, #16]!`
    Pre,
    /// `[x0], #16` / `[x0], x2`
    Post,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MemOff {
    None,
    Imm(i64),
    /// Index register: `x` view, and an extend/shift (option code, amount).
    Reg {
        reg: Reg,
        x: bool,
        ext: Option<(u8, Option<u32>)>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mem {
    pub base: Reg,
    pub off: MemOff,
    pub mode: Mode,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Gp {
        reg: Reg,
        x: bool,
    },
    Vec {
        reg: Reg,
        shape: Shape,
    },
    List {
        regs: Vec<Reg>,
        shape: Shape,
    },
    Imm(i128),
    FImm(f64),
    /// `lsl` 0, `lsr` 1, `asr` 2, `ror` 3, and the amount.
    Shift(u8, u32),
    /// Extend option (uxtb 0 .. sxtx 7) and its optional amount.
    Extend(u8, Option<u32>),
    Mem(Mem),
    Label(LabelId),
    /// A data table's address plus a byte offset (`adr x1, TABLE+16`).
    Table(usize, i64),
    Cond(u8),
}

#[derive(Clone, Debug)]
pub struct Inst {
    pub mnemonic: String,
    pub ops: Vec<Operand>,
    /// The chosen form (index in `forms::table().forms`).
    pub form: usize,
    pub span: Span,
    pub uses: Vec<Reg>,
    pub defs: Vec<Reg>,
    pub flow: Flow,
    /// A move go-asm inserted (results); dropped when source and destination coincide.
    pub elidable: bool,
}

impl Inst {
    pub fn form(&self) -> &'static Form {
        &forms::table().forms[self.form]
    }
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
    fn consecutive(&self) -> Vec<Vec<Reg>> {
        self.ops
            .iter()
            .filter_map(|o| match o {
                Operand::List { regs, .. }
                    if regs.len() > 1 && regs.iter().any(|r| matches!(r, Reg::Virt(_))) =>
                {
                    Some(regs.clone())
                }
                _ => None,
            })
            .collect()
    }
}

/// A lowered arm64 block.
pub type Lowered = crate::backend::Lowered<Inst>;

/// Go keeps arm64 stacks 16-byte aligned (so does every C ABI): stack locals
/// aligned to more are addressed from an aligned base register.
pub const STACK_ALIGN: u32 = 16;

/// A constant offset into a stack local, checked once the instruction's form
/// (and so its access size) is known.
struct LocalRef {
    local: usize,
    offset: i128,
    span: Span,
    /// The operand it is in, and whether it was written `[local]` alone.
    op: usize,
    bare: bool,
}

/// Integer result registers (x0-x3) and float ones (v0-v3): caller-saved in Go
/// ABI0 and every C ABI, and where AAPCS64 returns an HFA of four doubles.
pub const INT_RESULTS: [u8; 4] = [0, 1, 2, 3];
pub const FLOAT_RESULTS: [u8; 4] = [
    regs::VEC_BASE,
    regs::VEC_BASE + 1,
    regs::VEC_BASE + 2,
    regs::VEC_BASE + 3,
];

pub const CONDS: [&str; 16] = [
    "eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
];

fn cond_code(s: &str) -> Option<u8> {
    match s {
        "cs" => Some(2),
        "cc" => Some(3),
        _ => CONDS.iter().position(|c| *c == s).map(|i| i as u8),
    }
}

const SHIFTS: [&str; 4] = ["lsl", "lsr", "asr", "ror"];
const EXTENDS: [&str; 8] = [
    "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx",
];

const CLASSES: &str = "arm64 classes: x (64-bit general), w (32-bit general), v (vector; \
     use it as v.16b .8h .4s .2d, v.b/h/s/d/q scalar views, v.s[1] lanes)";

/// The view a virtual register has by default.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Default {
    Gp(bool),
    Vec(Option<u8>),
}

struct Ctx<'a> {
    sig: Option<&'a Signature>,
    tables: &'a [Table],
    vregs: Vec<Vreg>,
    defaults: Vec<Default>,
    names: HashMap<String, u32>,
    labels: HashMap<String, LabelId>,
    label_names: Vec<String>,
    /// The block's stack locals (all of them, laid out before lowering) and how
    /// many are declared at the current line.
    locals: Locals,
    visible_locals: usize,
    /// The virtual register holding the over-aligned locals' base.
    region_base: Option<u32>,
    /// Per local: the virtual register holding its exact address, for addresses
    /// with an index register (`[w, x1, lsl #3]` has no displacement).
    local_address: Vec<u32>,
    /// The stack-local offsets of the instruction being lowered.
    local_refs: RefCell<Vec<LocalRef>>,
}

pub fn lower(f: &AsmFn, block: &Block) -> Result<Lowered> {
    lower_tokens(Some(&f.sig), &f.tables, block.tokens.clone(), block.span)
}

/// Lowers a block's tokens; without a signature the block has no arguments or results.
pub fn lower_tokens(
    sig: Option<&Signature>,
    tables: &[Table],
    tokens: TokenStream,
    block_span: Span,
) -> Result<Lowered> {
    lower_impl(sig, tables, tokens, block_span, true)
}

fn lower_impl(
    sig: Option<&Signature>,
    tables: &[Table],
    tokens: TokenStream,
    block_span: Span,
    user: bool,
) -> Result<Lowered> {
    let stmts = dsl::parse_block(tokens)?;
    let mut cx = Ctx {
        sig,
        tables,
        vregs: Vec::new(),
        defaults: Vec::new(),
        names: HashMap::new(),
        labels: HashMap::new(),
        label_names: Vec::new(),
        locals: Locals::new(8, STACK_ALIGN),
        visible_locals: 0,
        region_base: None,
        local_address: Vec::new(),
        local_refs: RefCell::new(Vec::new()),
    };
    let mut arg_vregs = Vec::new();
    for (name, c, span) in sig.map(lower::arguments).unwrap_or_default() {
        let (class, d) = match c.kind {
            RegKind::Int => (Class::Gp, Default::Gp(true)),
            RegKind::Float => (
                Class::Vec,
                Default::Vec(Some(if c.scalar.size() == 4 { 2 } else { 3 })),
            ),
        };
        arg_vregs.push(cx.new_vreg(name, class, d, span));
    }
    let taken = |n: &str| {
        cx.names.contains_key(n)
            || regs::parse(n).is_some()
            || cond_code(n).is_some()
            || SHIFTS.contains(&n)
            || EXTENDS.contains(&n)
    };
    let labels = lower::labels(&stmts, &taken, "register, argument, condition or shift")?;
    (cx.labels, cx.label_names) = (labels.ids, labels.names);
    cx.locals = locals::stack_locals(&stmts, 8, STACK_ALIGN, &|n| {
        let what = if regs::parse(n).is_some() {
            "a register"
        } else if cx.names.contains_key(n) || cx.names.keys().any(|k| k.split('.').next() == Some(n)) {
            "an argument"
        } else if cx.labels.contains_key(n) {
            "a label"
        } else if tables.iter().any(|t| t.name == n) {
            "a table"
        } else if cond_code(n).is_some() || SHIFTS.contains(&n) || EXTENDS.contains(&n) {
            "a condition or shift"
        } else {
            return None;
        };
        Some(what.to_string())
    })?;
    if cx.locals.region().is_some() {
        let span = cx.locals.locals.iter().find(|l| l.from_base).expect("aligned").span;
        cx.region_base = Some(cx.new_vreg("stack.base".into(), Class::Gp, Default::Gp(true), span));
    }
    for l in cx.locals.locals.clone() {
        let v = cx.new_vreg(format!("{}.address", l.name), Class::Gp, Default::Gp(true), l.span);
        cx.local_address.push(v);
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
                nodes.extend(
                    cx.lower_return(*span, values, &mut hints)?
                        .into_iter()
                        .map(Node::Inst),
                );
                nodes.push(Node::Inst(exit_jump(*span)));
                ends_in_return = true;
            }
            Stmt::Inst {
                mnemonic,
                span,
                operands,
                iteration,
            } => {
                let insts = cx
                    .lower_inst(mnemonic, *span, operands, user)
                    .map_err(|e| dsl::expand::in_iteration(iteration, e))?;
                for i in insts {
                    nodes.push(Node::Inst(i));
                }
            }
        }
    }
    lower::finish(&mut nodes, ends_in_return, sig, (block_span, "arm64"))?;
    // Register lists of virtual registers must be able to be consecutive.
    let insts: Vec<&Inst> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Inst(i) => Some(i),
            Node::Label(_) => None,
        })
        .collect();
    if let Err(c) = crate::reglists::groups(insts.iter().copied(), cx.vregs.len(), &|v| {
        cx.vregs[v as usize].name.clone()
    }) {
        bail!(
            insts[c.inst].span,
            "this register list cannot be given consecutive registers: {}",
            c.why
        );
    }
    let entry = cx.local_bases(&nodes)?;
    nodes.splice(0..0, entry.into_iter().map(Node::Inst));
    hints.resize(cx.vregs.len(), None);
    let results = sig
        .map(|s| s.result_registers(&INT_RESULTS, &FLOAT_RESULTS))
        .unwrap_or_default();
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
    type Class = (Class, Default);
    fn class(&self, class: &proc_macro2::Ident) -> Result<(Class, Default)> {
        Ok(match class.to_string().as_str() {
            "x" => (Class::Gp, Default::Gp(true)),
            "w" => (Class::Gp, Default::Gp(false)),
            "v" => (Class::Vec, Default::Vec(None)),
            other => bail!(class.span(), "unknown register class `{other}`; {CLASSES}"),
        })
    }
    fn declared(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }
    // Condition names (`lo`, `vc`) are fine: a declared register shadows the
    // condition except in condition positions.
    fn reserved(&self, n: &str) -> Option<String> {
        if self.locals.find(n).is_some() {
            return Some(format!("`{n}` is a stack local of this block"));
        }
        reserved_name(n, &self.labels).map(|why| {
            format!("`{n}` {why}; rename the virtual register (for example `{n}_` or `my_{n}`)")
        })
    }
    fn declare(&mut self, name: String, (class, d): (Class, Default), span: Span) {
        self.new_vreg(name, class, d, span);
    }
}

/// Why `n` cannot name a virtual register: it is a physical register, a label, or
/// a shift/extend keyword (those stand where registers stand: `x1, lsl #2`).
fn reserved_name(n: &str, labels: &HashMap<String, LabelId>) -> Option<&'static str> {
    if regs::parse(n).is_some() {
        Some("is the name of a physical register")
    } else if labels.contains_key(n) {
        Some("is a label of this block")
    } else if SHIFTS.contains(&n) || EXTENDS.contains(&n) {
        Some("is a shift or extend keyword")
    } else {
        None
    }
}

fn form_index(mnemonic: &str, pattern: &str) -> usize {
    let t = forms::table();
    t.by_mnemonic[mnemonic]
        .iter()
        .copied()
        .find(|&i| t.forms[i].pattern == pattern)
        .unwrap_or_else(|| panic!("arm64 form `{mnemonic} {pattern}` exists"))
}

const RESULT_MOVE: &str = "cannot move this value to the result register";

fn exit_jump(span: Span) -> Inst {
    Inst {
        mnemonic: "b".into(),
        ops: vec![Operand::Label(LabelId::MAX)],
        form: form_index("b", "@26"),
        span,
        uses: vec![],
        defs: vec![],
        flow: Flow::Exit,
        elidable: false,
    }
}

impl Ctx<'_> {
    fn new_vreg(&mut self, name: String, class: Class, d: Default, span: Span) -> u32 {
        let id = self.vregs.len() as u32;
        self.names.insert(name.clone(), id);
        self.vregs.push(Vreg { name, class, span });
        self.defaults.push(d);
        id
    }

    fn class_of(&self, r: Reg) -> Class {
        match r {
            Reg::Virt(v) => self.vregs[v as usize].class,
            Reg::Phys(p) => regs::class_of(p),
        }
    }

    /// Lowers one instruction (a `mov` of a large constant becomes several).
    fn lower_inst(
        &self,
        written: &str,
        span: Span,
        operands: &[Tokens],
        user: bool,
    ) -> Result<Vec<Inst>> {
        let mut mnemonic = written.to_lowercase();
        let mut ops: Vec<Operand> = Vec::new();
        if let Some(c) = mnemonic.strip_prefix("b.") {
            let Some(code) = cond_code(c) else {
                bail!(
                    span,
                    "unknown condition `{c}`; conditions: {}",
                    CONDS.join(" ")
                );
            };
            ops.push(Operand::Cond(code));
            mnemonic = "b.cond".into();
        }
        if user {
            match mnemonic.as_str() {
                "ret" => bail!(span, "`ret` would skip storing results: use `return`"),
                "blr" | "bl" => bail!(span, "calls are not allowed in a go-asm body (x30 and the Go frame are not set up for them)"),
                "br" => bail!(span, "`br` leaves the body to an unknown place; use `b label` or `return`"),
                _ => {}
            }
        }
        self.local_refs.borrow_mut().clear();
        if mnemonic == "adr" {
            if let Some(add) = self.local_adr(operands, span)? {
                return Ok(vec![add]);
            }
        }
        let table = forms::table();
        let Some(all) = table.by_mnemonic.get(mnemonic.as_str()) else {
            bail!(
                span,
                "unknown arm64 mnemonic `{written}`{}",
                dsl::suggest(&mnemonic, forms::table().by_mnemonic.keys().copied())
            );
        };
        let mut post_imm = None;
        let mut after_local = false;
        for t in operands {
            let refs = self.local_refs.borrow().len();
            let op = self.operand(t)?;
            if after_local && matches!(op, Operand::Imm(_) | Operand::Gp { .. }) {
                bail!(
                    dsl::span_of(t),
                    "a stack local's address is not written back (no post-index): take it with `adr r, local` and post-index r"
                );
            }
            after_local = self.local_refs.borrow().len() > refs;
            for r in self.local_refs.borrow_mut()[refs..].iter_mut() {
                r.op = ops.len();
            }
            // `[x0], #16` / `[x0], x2`: post-index.
            if let Some(Operand::Mem(m)) = ops.last_mut() {
                if m.mode == Mode::Offset && m.off == MemOff::None {
                    match op {
                        Operand::Imm(v) => {
                            let v = i64::try_from(v)
                                .map_err(|_| Error::new(dsl::span_of(t), "offset too large"))?;
                            m.off = MemOff::Imm(v);
                            m.mode = Mode::Post;
                            post_imm = Some((v, dsl::span_of(t)));
                            continue;
                        }
                        Operand::Gp { reg, x } => {
                            m.off = MemOff::Reg { reg, x, ext: None };
                            m.mode = Mode::Post;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            ops.push(op);
        }
        let class_of = |r: Reg| self.class_of(r);
        let info = RegInfo {
            class_of: &class_of,
        };
        let find = |ops: &[Operand]| {
            all.iter()
                .copied()
                .find(|&i| forms::encode(&table.forms[i], ops, &info).is_some())
        };
        let mut fit = find(&ops);
        // `[local]` where only a base register is taken (`st1`, `ldxr`): the
        // local's address register.
        if fit.is_none() {
            let bare: Vec<(usize, usize)> = self
                .local_refs
                .borrow()
                .iter()
                .filter(|r| r.bare)
                .map(|r| (r.op, r.local))
                .collect();
            if !bare.is_empty() {
                let mut retry = ops.clone();
                for &(op, l) in &bare {
                    retry[op] = Operand::Mem(Mem {
                        base: Reg::Virt(self.local_address[l]),
                        off: MemOff::None,
                        mode: Mode::Offset,
                    });
                }
                if let Some(f) = find(&retry) {
                    fit = Some(f);
                    ops = retry;
                }
            }
        }
        // A register named like a condition (`let lo: x`) is the condition where
        // the instruction takes one: always its last operand (`csel .., lo`).
        if fit.is_none() {
            if let (Some([TokenTree::Ident(id)]), Some(last)) =
                (operands.last().map(|t| t.as_slice()), ops.last_mut())
            {
                if let (Some(c), Operand::Gp { .. } | Operand::Vec { .. }) =
                    (cond_code(&id.to_string()), &*last)
                {
                    let reg = std::mem::replace(last, Operand::Cond(c));
                    fit = find(&ops);
                    if fit.is_none() {
                        *ops.last_mut().expect("the last operand") = reg;
                    }
                }
            }
        }
        let Some(form) = fit else {
            if let Some((v, at)) = post_imm {
                let whole = all.iter().find_map(|&i| {
                    table.forms[i].specs.iter().find_map(|(s, _)| match s {
                        Spec::Mem(MemK::PostN(n)) => Some(*n == 0),
                        _ => None,
                    })
                });
                if let Some(size) = whole.and_then(|w| forms::post_increment(&ops, w)) {
                    if v != size {
                        bail!(
                            at,
                            "`{written}` with this register list post-increments by #{size} (the bytes it {}): write #{size}, or a register",
                            if written.starts_with("st") { "stores" } else { "loads" }
                        );
                    }
                }
            }
            if mnemonic == "mov" {
                if let [Operand::Gp { reg, x }, Operand::Imm(v)] = ops.as_slice() {
                    return self.mov_wide(*reg, *x, *v, span);
                }
            }
            let mut seen: Vec<String> = Vec::new();
            for &i in all {
                let d = table.forms[i].describe();
                if !seen.contains(&d) {
                    seen.push(d);
                }
            }
            bail!(
                span,
                "`{written}` does not take {}; accepted forms: {}",
                describe_ops(&ops, &class_of),
                seen.join(" | ")
            );
        };
        // Constant offsets into stack locals stay inside them (the access size
        // is the scaled forms'; an unscaled one is checked at its start).
        let access = table.forms[form].specs.iter().find_map(|(s, _)| match s {
            Spec::Mem(MemK::UOff(n) | MemK::RegOff(n)) => Some(1u32 << n),
            Spec::Mem(MemK::Pair(n)) => Some(2u32 << n),
            _ => None,
        });
        for r in self.local_refs.borrow().iter() {
            locals::check_offset(&self.locals.locals[r.local], r.offset, access, false, r.span)?;
        }
        Ok(vec![self.finish(mnemonic, ops, form, span)])
    }

    fn finish(&self, mnemonic: String, ops: Vec<Operand>, form: usize, span: Span) -> Inst {
        let f = &forms::table().forms[form];
        let (uses, defs) = effects(f, &ops);
        let flow = match ops.iter().find_map(|o| match o {
            Operand::Label(l) => Some(*l),
            _ => None,
        }) {
            Some(l) if mnemonic == "b" => Flow::Jump(l),
            Some(l) if mnemonic != "adr" => Flow::Branch(l),
            _ => Flow::Next,
        };
        Inst {
            mnemonic,
            ops,
            form,
            span,
            uses,
            defs,
            flow,
            elidable: false,
        }
    }

    /// `mov rd, #constant` that no single instruction holds: movz/movn then movk.
    fn mov_wide(&self, reg: Reg, x: bool, v: i128, span: Span) -> Result<Vec<Inst>> {
        let width = if x { 64 } else { 32 };
        let Some(u) = forms::as_width(v, width) else {
            bail!(span, "{v} does not fit in {width} bits");
        };
        let chunks: Vec<u64> = (0..width / 16).map(|i| (u >> (16 * i)) & 0xffff).collect();
        let zeros = chunks.iter().filter(|c| **c == 0).count();
        let ones = chunks.iter().filter(|c| **c == 0xffff).count();
        let use_n = ones > zeros;
        let skip = if use_n { 0xffff } else { 0 };
        let mut out = Vec::new();
        let mut first = true;
        for (i, &c) in chunks.iter().enumerate() {
            if c == skip {
                continue;
            }
            let (m, imm) = if first && use_n {
                ("movn", (!c) & 0xffff)
            } else if first {
                ("movz", c)
            } else {
                ("movk", c)
            };
            first = false;
            let ops = vec![
                Operand::Gp { reg, x },
                Operand::Imm(imm as i128),
                Operand::Shift(0, 16 * i as u32),
            ];
            out.push(self.first_fit(m, ops, span, "mov expansion failed")?);
        }
        Ok(out)
    }

    /// `m ops` in the first of its forms that encodes it (`failed`: the message if
    /// none does).
    fn first_fit(&self, m: &str, ops: Vec<Operand>, span: Span, failed: &str) -> Result<Inst> {
        let table = forms::table();
        let class_of = |r: Reg| self.class_of(r);
        let info = RegInfo {
            class_of: &class_of,
        };
        let form = table.by_mnemonic[m]
            .iter()
            .copied()
            .find(|&k| forms::encode(&table.forms[k], &ops, &info).is_some())
            .ok_or_else(|| Error::new(span, failed))?;
        Ok(self.finish(m.to_string(), ops, form, span))
    }
}

fn phys(r: Reg) -> u8 {
    match r {
        Reg::Phys(p) => p,
        Reg::Virt(_) => 0,
    }
}

/// Registers an operand reads and (write-back bases) writes; zr and sp carry no values.
fn regs_of(o: &Operand) -> (Vec<Reg>, Vec<Reg>) {
    let real = |r: &Reg| *r != Reg::Phys(regs::ZR) && *r != Reg::Phys(regs::SP);
    let (u, d) = match o {
        Operand::Gp { reg, .. } | Operand::Vec { reg, .. } => (vec![*reg], vec![]),
        Operand::List { regs, .. } => (regs.clone(), vec![]),
        Operand::Mem(m) => {
            let mut u = vec![m.base];
            if let MemOff::Reg { reg, .. } = m.off {
                u.push(reg);
            }
            let d = if m.mode == Mode::Offset {
                vec![]
            } else {
                vec![m.base]
            };
            (u, d)
        }
        _ => (vec![], vec![]),
    };
    (
        u.into_iter().filter(real).collect(),
        d.into_iter().filter(real).collect(),
    )
}

/// Uses and definitions of an instruction in a form.
pub fn effects(f: &Form, ops: &[Operand]) -> (Vec<Reg>, Vec<Reg>) {
    let mut uses = Vec::new();
    let mut defs = Vec::new();
    for (i, o) in ops.iter().enumerate() {
        let (r, wb) = regs_of(o);
        defs.extend(wb);
        let is_mem = matches!(o, Operand::Mem(_));
        // A lane write keeps the other lanes: the register is read too.
        let lane_dest = matches!(
            o,
            Operand::Vec {
                shape: Shape::Lane(..),
                ..
            } | Operand::List {
                shape: Shape::Lane(..),
                ..
            }
        );
        let written = !is_mem
            && match f.access {
                Access::W0 => i == 0,
                Access::RW0 => i == 0,
                Access::W01 => i <= 1,
                Access::R => false,
            };
        let read = !written || f.access == Access::RW0 || (i == 0 && lane_dest);
        if written {
            defs.extend(r.iter().copied());
        }
        if read {
            uses.extend(r);
        }
    }
    uses.sort();
    uses.dedup();
    defs.sort();
    defs.dedup();
    (uses, defs)
}

fn describe_ops(ops: &[Operand], class_of: &dyn Fn(Reg) -> Class) -> String {
    if ops.is_empty() {
        return "no operands".into();
    }
    let arr = |e: u8, q: bool| {
        ["8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d", "1q", "1q"]
            [(e as usize) * 2 + usize::from(q)]
    };
    let d: Vec<String> = ops
        .iter()
        .map(|o| match o {
            Operand::Gp { reg, x } => {
                if *reg == Reg::Phys(regs::SP) {
                    "sp".into()
                } else if *reg == Reg::Phys(regs::ZR) {
                    if *x { "xzr" } else { "wzr" }.into()
                } else {
                    let _ = class_of(*reg);
                    if *x { "Xn" } else { "Wn" }.into()
                }
            }
            Operand::Vec { shape, .. } => match shape {
                Shape::Arr(e, q) => format!("Vn.{}", arr(*e, *q)),
                Shape::Scalar(s) => format!("{}n", "BHSDQ".as_bytes()[*s as usize] as char),
                Shape::Lane(e, _) => format!("Vn.{}[i]", "bhsdq".as_bytes()[*e as usize] as char),
            },
            Operand::List { regs, shape } => match shape {
                Shape::Arr(e, q) => format!("{{{} x .{}}}", regs.len(), arr(*e, *q)),
                _ => "{list}".into(),
            },
            Operand::Imm(v) => format!("#{v}"),
            Operand::FImm(v) => format!("#{v}"),
            Operand::Shift(k, a) => format!("{} #{a}", SHIFTS[*k as usize]),
            Operand::Extend(k, _) => EXTENDS[*k as usize].into(),
            Operand::Mem(m) => match (m.mode, m.off) {
                (Mode::Pre, _) => "[Xn, #imm]!".into(),
                (Mode::Post, MemOff::Reg { .. }) => "[Xn], Xm".into(),
                (Mode::Post, _) => "[Xn], #imm".into(),
                (_, MemOff::None) => "[Xn]".into(),
                (_, MemOff::Imm(v)) => format!("[Xn, #{v}]"),
                (_, MemOff::Reg { .. }) => "[Xn, Rm{, extend}]".into(),
            },
            Operand::Label(_) => "label".into(),
            Operand::Table(..) => "table".into(),
            Operand::Cond(c) => CONDS[*c as usize].into(),
        })
        .collect();
    format!("({})", d.join(", "))
}

/// Lowers and encodes a block of physical registers only (no signature, no
/// allocation): for tests, docs and tools. Branches may use labels of the block;
/// `br`, `blr` and `ret` are accepted here (bodies reject them).
pub fn assemble(tokens: TokenStream, tables: &[Table]) -> Result<super::encode::Encoded> {
    let lowered = lower_impl(None, tables, tokens, Span::call_site(), false)?;
    if let Some(v) = lowered.body.vregs.first() {
        bail!(v.span, "`assemble` takes physical registers only");
    }
    super::encode::encode(&lowered.body.nodes, lowered.body.labels.len())
}
