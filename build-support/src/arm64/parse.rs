//! arm64 operands in ARM syntax, and lowering of a block's statements to the
//! allocator's IR.

use super::forms::{self, Access, Form, MemK, RegInfo, Spec};
use super::regs::{self, View};
use crate::diag::{bail, Error, Result};
use crate::dsl::{self, Stmt, Tokens};
use crate::func::{AsmFn, Block, Table};
use crate::ir::{Body, Class, Effects, Flow, LabelId, Node, Reg, Vreg};
use crate::sig::{RegKind, Signature};
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::collections::HashMap;

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
    Table(usize),
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
}

/// A lowered arm64 block.
pub struct Lowered {
    pub body: Body<Inst>,
    /// Per parameter component (frame slot order): its virtual register.
    pub arg_vregs: Vec<u32>,
    pub hints: Vec<Option<u8>>,
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
}

fn ident_text(t: &TokenTree) -> Option<String> {
    match t {
        TokenTree::Ident(i) => Some(i.to_string()),
        _ => None,
    }
}

fn punct(t: &TokenTree) -> Option<char> {
    match t {
        TokenTree::Punct(p) => Some(p.as_char()),
        _ => None,
    }
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
    };
    let mut arg_vregs = Vec::new();
    if let Some(sig) = sig {
        for p in &sig.params {
            for c in p.ty.components() {
                let name = match c.dsl {
                    Some(s) => format!("{}.{s}", p.name),
                    None => p.name.clone(),
                };
                let (class, d) = match c.kind {
                    RegKind::Int => (Class::Gp, Default::Gp(true)),
                    RegKind::Float => (
                        Class::Vec,
                        Default::Vec(Some(if c.scalar.size() == 4 { 2 } else { 3 })),
                    ),
                };
                arg_vregs.push(cx.new_vreg(name, class, d, p.span));
            }
        }
    }
    for s in &stmts {
        if let Stmt::Label(id) = s {
            let name = id.to_string();
            if cx.labels.contains_key(&name) {
                bail!(id.span(), "duplicate label `{name}`");
            }
            if name.starts_with("goasm_") {
                bail!(id.span(), "labels starting with `goasm_` are reserved");
            }
            if cx.names.contains_key(&name)
                || regs::parse(&name).is_some()
                || cond_code(&name).is_some()
                || SHIFTS.contains(&name.as_str())
                || EXTENDS.contains(&name.as_str())
            {
                bail!(
                    id.span(),
                    "label `{name}` has the name of a register, argument, condition or shift"
                );
            }
            cx.labels
                .insert(name.clone(), cx.label_names.len() as LabelId);
            cx.label_names.push(name);
        }
    }
    let mut nodes = Vec::new();
    let mut hints = Vec::new();
    let mut ends_in_return = false;
    for s in &stmts {
        ends_in_return = false;
        match s {
            Stmt::Label(id) => nodes.push(Node::Label(cx.labels[&id.to_string()])),
            Stmt::Let(decls) => {
                for (name, class) in decls {
                    let d = match class.to_string().as_str() {
                        "x" => (Class::Gp, Default::Gp(true)),
                        "w" => (Class::Gp, Default::Gp(false)),
                        "v" => (Class::Vec, Default::Vec(None)),
                        other => {
                            bail!(class.span(), "unknown register class `{other}`; {CLASSES}")
                        }
                    };
                    let n = name.to_string();
                    if cx.names.contains_key(&n) {
                        bail!(name.span(), "`{n}` is already declared");
                    }
                    if regs::parse(&n).is_some()
                        || cx.labels.contains_key(&n)
                        || cond_code(&n).is_some()
                        || SHIFTS.contains(&n.as_str())
                        || EXTENDS.contains(&n.as_str())
                    {
                        bail!(
                            name.span(),
                            "`{n}` is a register, label, condition or shift name"
                        );
                    }
                    cx.new_vreg(n, d.0, d.1, name.span());
                }
            }
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
    let has_results = sig.is_some_and(|s| !s.results.is_empty());
    if ends_in_return {
        nodes.pop();
    } else if has_results {
        let can_fall_off = match nodes.iter().rev().find_map(|n| match n {
            Node::Inst(i) => Some(i.flow),
            Node::Label(_) => None,
        }) {
            Some(Flow::Jump(_)) | Some(Flow::Exit) => matches!(nodes.last(), Some(Node::Label(_))),
            _ => true,
        };
        if can_fall_off {
            bail!(
                block_span,
                "the arm64 block of `{}` can reach its end without `return`",
                sig.map(|s| s.name.as_str()).unwrap_or("")
            );
        }
    }
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
        },
        arg_vregs,
        hints,
    })
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

    fn known_names(&self) -> String {
        let mut names: Vec<&String> = self.names.keys().collect();
        names.sort();
        if names.is_empty() {
            String::new()
        } else {
            format!(
                "; known: {}",
                names
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }

    /// A register operand (general or vector), or `None` if the tokens do not start
    /// with a register name.
    fn register(&self, tokens: &[TokenTree]) -> Result<Option<Operand>> {
        let Some(first) = tokens.first().and_then(ident_text) else {
            return Ok(None);
        };
        let span = dsl::span_of(tokens);
        let (reg, mut default, name, mut rest) = if let Some((p, view)) = regs::parse(&first) {
            if let Some(why) = regs::reserved_reason(p) {
                bail!(tokens[0].span(), "`{first}` cannot be used: {why}");
            }
            let d = match view {
                View::Gp(x) => Default::Gp(x),
                View::V => Default::Vec(None),
                View::Scalar(s) => Default::Vec(Some(s)),
            };
            let phys_vec_bare = view == View::V;
            let _ = phys_vec_bare;
            (Reg::Phys(p), d, first.clone(), &tokens[1..])
        } else {
            let mut name = first.clone();
            let mut i = 1;
            if tokens.len() >= 3 && punct(&tokens[1]) == Some('.') {
                if let Some(comp) = ident_text(&tokens[2]) {
                    let full = format!("{first}.{comp}");
                    if self.names.contains_key(&full) {
                        name = full;
                        i = 3;
                    }
                }
            }
            let Some(&v) = self.names.get(&name) else {
                if self.labels.contains_key(&first)
                    || self.tables.iter().any(|t| t.name == first)
                    || cond_code(&first).is_some()
                    || SHIFTS.contains(&first.as_str())
                    || EXTENDS.contains(&first.as_str())
                {
                    return Ok(None);
                }
                let prefix = format!("{first}.");
                let mut comps: Vec<&str> = self
                    .names
                    .keys()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .collect();
                if !comps.is_empty() {
                    comps.sort();
                    bail!(span, "`{first}` has components: .{}", comps.join(" ."));
                }
                bail!(
                    tokens[0].span(),
                    "unknown register, argument or label `{first}`{}",
                    self.known_names()
                );
            };
            (Reg::Virt(v), self.defaults[v as usize], name, &tokens[i..])
        };
        // Optional `.view` and `[index]`.
        if !rest.is_empty() {
            if punct(&rest[0]) != Some('.') || rest.len() < 2 {
                bail!(span, "unexpected `{}` after `{name}`", rest[0]);
            }
            let suffix = rest[1].to_string();
            rest = &rest[2..];
            match default {
                Default::Gp(_) => {
                    let x = match suffix.as_str() {
                        "x" => true,
                        "w" => false,
                        _ => bail!(
                            span,
                            "a general register's views are `{name}.x` and `{name}.w`"
                        ),
                    };
                    if matches!(reg, Reg::Phys(_)) {
                        bail!(
                            span,
                            "write `x{0}` or `w{0}` for a physical register's views",
                            regs::hw(match reg {
                                Reg::Phys(p) => p,
                                _ => 0,
                            })
                        );
                    }
                    default = Default::Gp(x);
                }
                Default::Vec(_) => {
                    if let Some((e, q)) = forms::arrangement(&suffix) {
                        if !rest.is_empty() {
                            bail!(
                                span,
                                "an arrangement takes no index; lanes are written `{name}.s[1]`"
                            );
                        }
                        return Ok(Some(Operand::Vec {
                            reg,
                            shape: Shape::Arr(e, q),
                        }));
                    }
                    let Some(size) = "bhsdq".find(suffix.as_str()).filter(|_| suffix.len() == 1)
                    else {
                        bail!(
                            span,
                            "unknown vector view `.{suffix}`; use .8b .16b .4h .8h .2s .4s .1d .2d .1q, .b .h .s .d .q, or a lane like .s[1]"
                        );
                    };
                    let size = size as u8;
                    if let Some(g) = rest.first() {
                        let TokenTree::Group(g) = g else {
                            bail!(span, "expected `[index]` after `.{suffix}`");
                        };
                        if g.delimiter() != Delimiter::Bracket || rest.len() > 1 {
                            bail!(span, "expected `[index]` after `.{suffix}`");
                        }
                        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                        let idx = dsl::const_expr(&inner)?;
                        let max = 16 >> size.min(4);
                        if !(0..max as i128).contains(&idx) || size == 4 {
                            bail!(
                                g.span(),
                                "lane index must be below {max} for `.{suffix}` lanes"
                            );
                        }
                        return Ok(Some(Operand::Vec {
                            reg,
                            shape: Shape::Lane(size, idx as u8),
                        }));
                    }
                    if matches!(reg, Reg::Phys(_)) {
                        bail!(
                            span,
                            "write `{suffix}{}` for a scalar view of a physical register",
                            regs::hw(match reg {
                                Reg::Phys(p) => p,
                                _ => 0,
                            })
                        );
                    }
                    default = Default::Vec(Some(size));
                }
            }
        }
        if !rest.is_empty() {
            bail!(span, "unexpected `{}` after `{name}`", rest[0]);
        }
        Ok(Some(match default {
            Default::Gp(x) => Operand::Gp { reg, x },
            Default::Vec(Some(s)) => Operand::Vec {
                reg,
                shape: Shape::Scalar(s),
            },
            Default::Vec(None) => bail!(
                span,
                "`{name}` needs a view: an arrangement (`{name}.4s`), a scalar (`{name}.d`) or a lane (`{name}.s[0]`)"
            ),
        }))
    }

    fn imm(&self, tokens: &[TokenTree]) -> Result<Operand> {
        // Float literal (optionally negative)?
        let (neg, lit) = match tokens {
            [TokenTree::Punct(p), l @ TokenTree::Literal(_)] if p.as_char() == '-' => (true, l),
            [l @ TokenTree::Literal(_)] => (false, l),
            _ => return Ok(Operand::Imm(dsl::const_expr(tokens)?)),
        };
        let text = lit.to_string();
        let is_float = !text.starts_with("0x")
            && !text.starts_with("0b")
            && !text.starts_with("0o")
            && (text.contains('.')
                || text.contains('e')
                || text.ends_with("f64")
                || text.ends_with("f32"));
        if is_float {
            let t = text
                .trim_end_matches("f64")
                .trim_end_matches("f32")
                .replace('_', "");
            let v: f64 = t
                .parse()
                .map_err(|_| Error::new(lit.span(), format!("bad float literal `{text}`")))?;
            return Ok(Operand::FImm(if neg { -v } else { v }));
        }
        Ok(Operand::Imm(dsl::const_expr(tokens)?))
    }

    fn operand(&self, tokens: &[TokenTree]) -> Result<Operand> {
        let span = dsl::span_of(tokens);
        match tokens.first() {
            Some(TokenTree::Punct(p)) if p.as_char() == '#' => {
                if tokens.len() < 2 {
                    bail!(p.span(), "expected an immediate after `#`");
                }
                return self.imm(&tokens[1..]);
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
                let mut mem = self.memory(g)?;
                match &tokens[1..] {
                    [] => {}
                    [t] if punct(t) == Some('!') => {
                        if mem.off == MemOff::None {
                            bail!(t.span(), "pre-index needs an offset: `[x0, #16]!`");
                        }
                        mem.mode = Mode::Pre;
                    }
                    [t, ..] => bail!(t.span(), "unexpected `{t}` after an address"),
                }
                return Ok(Operand::Mem(mem));
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                if tokens.len() != 1 {
                    bail!(span, "unexpected tokens after a register list");
                }
                return self.list(g);
            }
            Some(TokenTree::Literal(_)) | Some(TokenTree::Punct(_)) => return self.imm(tokens),
            _ => {}
        }
        if let Some(op) = self.register(tokens)? {
            return Ok(op);
        }
        let first = tokens.first().and_then(ident_text).unwrap_or_default();
        if let Some(k) = SHIFTS.iter().position(|s| *s == first) {
            let amt = match &tokens[1..] {
                [h, rest @ ..] if punct(h) == Some('#') && !rest.is_empty() => {
                    dsl::const_expr(rest)?
                }
                _ => bail!(span, "expected `{first} #amount`"),
            };
            if !(0..64).contains(&amt) {
                bail!(span, "shift amount must be 0..63");
            }
            return Ok(Operand::Shift(k as u8, amt as u32));
        }
        if let Some(k) = EXTENDS.iter().position(|s| *s == first) {
            let amt = match &tokens[1..] {
                [] => None,
                [h, rest @ ..] if punct(h) == Some('#') && !rest.is_empty() => {
                    let a = dsl::const_expr(rest)?;
                    if !(0..=4).contains(&a) {
                        bail!(span, "extend amount must be 0..4");
                    }
                    Some(a as u32)
                }
                _ => bail!(span, "expected `{first}` or `{first} #amount`"),
            };
            return Ok(Operand::Extend(k as u8, amt));
        }
        if tokens.len() == 1 {
            if let Some(&l) = self.labels.get(&first) {
                return Ok(Operand::Label(l));
            }
            if let Some(t) = self.tables.iter().position(|t| t.name == first) {
                return Ok(Operand::Table(t));
            }
            if let Some(c) = cond_code(&first) {
                return Ok(Operand::Cond(c));
            }
        }
        bail!(
            span,
            "expected a register, `#immediate`, `[address]`, `{{list}}`, a shift, a condition or a label"
        )
    }

    fn list(&self, g: &proc_macro2::Group) -> Result<Operand> {
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        let items = dsl::split_commas(&inner)?;
        if items.is_empty() || items.len() > 4 {
            bail!(g.span(), "a register list holds 1 to 4 registers");
        }
        let mut regs_out = Vec::new();
        let mut shape = None;
        for it in &items {
            let ispan = dsl::span_of(it);
            match self.register(it)? {
                Some(Operand::Vec {
                    reg,
                    shape: s @ Shape::Arr(..),
                }) => {
                    if shape.is_some_and(|p| p != s) {
                        bail!(ispan, "all registers of a list have the same arrangement");
                    }
                    shape = Some(s);
                    regs_out.push(reg);
                }
                _ => bail!(
                    ispan,
                    "a list holds vector registers with an arrangement, like `{{v0.4s, v1.4s}}`"
                ),
            }
        }
        if regs_out.iter().all(|r| matches!(r, Reg::Phys(_)))
            && !regs_out
                .windows(2)
                .all(|w| (regs::hw(phys(w[0])) + 1) % 32 == regs::hw(phys(w[1])))
        {
            bail!(
                g.span(),
                "the registers of a list must be consecutive (v0, v1, v2...)"
            );
        }
        Ok(Operand::List {
            regs: regs_out,
            shape: shape.expect("non-empty list"),
        })
    }

    fn memory(&self, g: &proc_macro2::Group) -> Result<Mem> {
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        let gspan = g.span();
        const FORMS: &str = "addresses: [xN], [xN, #imm], [xN, #imm]!, [xN], #imm, [xN, xM], [xN, xM, lsl #s], [xN, wM, uxtw #s], [xN, wM, sxtw #s]";
        if inner.is_empty() {
            bail!(gspan, "empty address; {FORMS}");
        }
        let parts = dsl::split_commas(&inner)?;
        let base = match self.register(&parts[0])? {
            Some(Operand::Gp { reg, x: true }) => reg,
            _ => bail!(
                dsl::span_of(&parts[0]),
                "an address base is an x register or sp; {FORMS}"
            ),
        };
        let mut mem = Mem {
            base,
            off: MemOff::None,
            mode: Mode::Offset,
        };
        if parts.len() == 1 {
            return Ok(mem);
        }
        let pspan = dsl::span_of(&parts[1]);
        match self.operand(&parts[1])? {
            Operand::Imm(v) => {
                if parts.len() > 2 {
                    bail!(
                        dsl::span_of(&parts[2]),
                        "an immediate offset takes no shift; {FORMS}"
                    );
                }
                let v = i64::try_from(v).map_err(|_| Error::new(pspan, "offset too large"))?;
                mem.off = MemOff::Imm(v);
            }
            Operand::Gp { reg, x } => {
                if reg == Reg::Phys(regs::SP) || reg == Reg::Phys(regs::ZR) {
                    bail!(pspan, "the index register cannot be sp or zr");
                }
                let ext = match parts.get(2) {
                    None => None,
                    Some(t) => match self.operand(t)? {
                        Operand::Shift(0, a) => Some((3, Some(a))),
                        Operand::Extend(k, a) if [2, 3, 6, 7].contains(&k) => Some((k, a)),
                        _ => bail!(
                            dsl::span_of(t),
                            "index extends: lsl #s, uxtw, sxtw, sxtx (with optional #s)"
                        ),
                    },
                };
                if parts.len() > 3 {
                    bail!(
                        dsl::span_of(&parts[3]),
                        "unexpected operand in the address; {FORMS}"
                    );
                }
                mem.off = MemOff::Reg { reg, x, ext };
            }
            _ => bail!(pspan, "an address offset is `#imm` or a register; {FORMS}"),
        }
        Ok(mem)
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
        let table = forms::table();
        let Some(all) = table.by_mnemonic.get(mnemonic.as_str()) else {
            bail!(
                span,
                "unknown arm64 mnemonic `{written}`{}",
                dsl::suggest(&mnemonic, forms::table().by_mnemonic.keys().copied())
            );
        };
        let mut post_imm = None;
        for t in operands {
            let op = self.operand(t)?;
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
        let fit = all
            .iter()
            .copied()
            .find(|&i| forms::encode(&table.forms[i], &ops, &info).is_some());
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

    fn lower_return(
        &mut self,
        span: Span,
        values: &[Tokens],
        hints: &mut Vec<Option<u8>>,
    ) -> Result<Vec<Inst>> {
        let Some(sig) = self.sig else {
            bail!(span, "`return` needs a function signature");
        };
        let results = &sig.results;
        if values.len() != results.len() {
            bail!(
                span,
                "`{}` returns {} value{}; this `return` gives {}",
                sig.name,
                results.len(),
                if results.len() == 1 { "" } else { "s" },
                values.len()
            );
        }
        let dsts = sig.result_registers(&INT_RESULTS, &FLOAT_RESULTS);
        let mut result_moves = Vec::new();
        for ((v, r), &dst) in values.iter().zip(results).zip(&dsts) {
            let vspan = dsl::span_of(v);
            let float = r.ty.is_float();
            let op = match self.register(v) {
                Ok(Some(op)) => op,
                Ok(None) => bail!(vspan, "`return` takes registers"),
                Err(e) => {
                    // A bare `v` register: use the result's scalar view.
                    if let [TokenTree::Ident(id)] = v.as_slice() {
                        if let Some(&vr) = self.names.get(&id.to_string()) {
                            if float && self.defaults[vr as usize] == Default::Vec(None) {
                                let size = if r.ty.frame_size_align().0 == 4 { 2 } else { 3 };
                                Operand::Vec {
                                    reg: Reg::Virt(vr),
                                    shape: Shape::Scalar(size),
                                }
                            } else {
                                return Err(e);
                            }
                        } else {
                            return Err(e);
                        }
                    } else {
                        return Err(e);
                    }
                }
            };
            let (dst, ops, m) = if float {
                let size = if r.ty.frame_size_align().0 == 4 { 2 } else { 3 };
                let Operand::Vec { reg, .. } = op else {
                    bail!(
                        vspan,
                        "result is {}: return a float register (`d`/`s` view)",
                        r.ty.go_name()
                    );
                };
                let sh = Shape::Scalar(size);
                (
                    dst,
                    vec![
                        Operand::Vec {
                            reg: Reg::Phys(dst),
                            shape: sh,
                        },
                        Operand::Vec { reg, shape: sh },
                    ],
                    "fmov",
                )
            } else {
                let Operand::Gp { reg, x } = op else {
                    bail!(
                        vspan,
                        "result is {}: return a general register",
                        r.ty.go_name()
                    );
                };
                if reg == Reg::Phys(regs::SP) {
                    bail!(vspan, "sp cannot be returned");
                }
                (
                    dst,
                    vec![
                        Operand::Gp {
                            reg: Reg::Phys(dst),
                            x,
                        },
                        Operand::Gp { reg, x },
                    ],
                    "mov",
                )
            };
            result_moves.push((vspan, dst, ops, m));
        }
        // Physical sources go through fresh virtual registers first: the result
        // moves form a parallel copy (`return x1, x0`), and the allocator keeps
        // virtual registers apart where sequential moves would clobber.
        let mut moves = Vec::new();
        for (i, (vspan, _, ops, m)) in result_moves.iter_mut().enumerate() {
            let staged = match ops[1] {
                Operand::Gp {
                    reg: Reg::Phys(p),
                    x,
                } if p != regs::ZR => Operand::Gp {
                    reg: Reg::Virt(self.new_vreg(
                        format!("return.{i}"),
                        Class::Gp,
                        Default::Gp(x),
                        *vspan,
                    )),
                    x,
                },
                Operand::Vec {
                    reg: Reg::Phys(_),
                    shape,
                } => Operand::Vec {
                    reg: Reg::Virt(self.new_vreg(
                        format!("return.{i}"),
                        Class::Vec,
                        Default::Vec(None),
                        *vspan,
                    )),
                    shape,
                },
                _ => continue,
            };
            let copy = vec![staged.clone(), ops[1].clone()];
            moves.push(self.first_fit(m, copy, *vspan, RESULT_MOVE)?);
            ops[1] = staged;
        }
        for (vspan, dst, ops, m) in result_moves {
            if let Operand::Gp {
                reg: Reg::Virt(vr), ..
            }
            | Operand::Vec {
                reg: Reg::Virt(vr), ..
            } = &ops[1]
            {
                if hints.len() <= *vr as usize {
                    hints.resize(*vr as usize + 1, None);
                }
                hints[*vr as usize].get_or_insert(dst);
            }
            let mut inst = self.first_fit(m, ops, vspan, RESULT_MOVE)?;
            inst.elidable = true;
            moves.push(inst);
        }
        Ok(moves)
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
        let lane_dest = matches!(
            o,
            Operand::Vec {
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
            Operand::Table(_) => "table".into(),
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
