//! arm64 operands in ARM syntax: registers and their views, immediates, register
//! lists and lanes, memory operands, table addresses.

use super::*;

const FORMS: &str = "addresses: [xN], [xN, #imm], [xN, #imm]!, [xN], #imm, [xN, xM], [xN, xM, lsl #s], [xN, wM, uxtw #s], [xN, wM, sxtw #s]";

impl Ctx<'_> {
    /// A register operand (general or vector), or `None` if the tokens do not start
    /// with a register name.
    pub(super) fn register(&self, tokens: &[TokenTree]) -> Result<Option<Operand>> {
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
            let (name, i) = lower::component_path(&first, tokens, &|c| {
                lower::continues(self.names.keys(), c)
            })?;
            let Some(&v) = self.names.get(&name) else {
                if self.labels.contains_key(&first)
                    || self.tables.iter().any(|t| t.name == first)
                    || self.local(&first).is_some()
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
                    "{}",
                    lower::unknown_name(&first, self.names.keys())
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

    pub(super) fn imm(&self, tokens: &[TokenTree]) -> Result<Operand> {
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

    pub(super) fn operand(&self, tokens: &[TokenTree]) -> Result<Operand> {
        let span = dsl::span_of(tokens);
        match tokens.first() {
            Some(TokenTree::Punct(p)) if p.as_char() == '#' => {
                if tokens.len() < 2 {
                    bail!(p.span(), "expected an immediate after `#`");
                }
                return self.imm(&tokens[1..]);
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
                let refs = self.local_refs.borrow().len();
                let mut mem = self.memory(g)?;
                match &tokens[1..] {
                    [] => {}
                    [t] if punct(t) == Some('!') && self.local_refs.borrow().len() > refs => {
                        bail!(
                            t.span(),
                            "a stack local's address is not written back (no pre-index): take it with `adr r, local` and pre-index r"
                        );
                    }
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
                return match &tokens[1..] {
                    [] => self.list(g, None),
                    // `{v0.s, v1.s}[1]`: the same lane of each register.
                    [idx @ TokenTree::Group(i)] if i.delimiter() == Delimiter::Bracket => {
                        self.list(g, Some(idx))
                    }
                    _ => bail!(span, "unexpected tokens after a register list"),
                };
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
        if let Some(t) = self.tables.iter().position(|t| t.name == first) {
            return self.table_address(t, tokens);
        }
        if self.local(&first).is_some() {
            bail!(
                span,
                "stack local `{first}` is memory: write `[{first}, #8]`, or `adr r, {first}` for its address"
            );
        }
        if tokens.len() == 1 {
            if let Some(&l) = self.labels.get(&first) {
                return Ok(Operand::Label(l));
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

    /// `TABLE`, `TABLE + 16`, `TABLE + 4 * K`: an offset from 0 to the table's
    /// length (one past its end included).
    pub(super) fn table_address(&self, t: usize, tokens: &[TokenTree]) -> Result<Operand> {
        let rest = &tokens[1..];
        let off = match rest.first() {
            None => 0,
            Some(sign) if matches!(punct(sign), Some('+' | '-')) && rest.len() > 1 => {
                // `0 + ...` / `0 - ...`: the whole tail is one expression.
                let zero = TokenTree::Literal(proc_macro2::Literal::i128_unsuffixed(0));
                let expr: Vec<TokenTree> =
                    std::iter::once(zero).chain(rest.iter().cloned()).collect();
                dsl::const_expr(&expr)?
            }
            Some(t) => bail!(t.span(), "a table address is `TABLE` or `TABLE + offset`"),
        };
        let table = &self.tables[t];
        let len = table.bytes.len() as i128;
        if !(0..=len).contains(&off) {
            bail!(
                dsl::span_of(rest),
                "offset {off} is outside `{}` ({len} bytes): use 0..={len}",
                table.name
            );
        }
        Ok(Operand::Table(t, off as i64))
    }

    /// A register list; with `lane`, the `[index]` after it: each item is then
    /// read as `item[index]` (`{v0.s, v1.s}[1]`).
    pub(super) fn list(&self, g: &proc_macro2::Group, lane: Option<&TokenTree>) -> Result<Operand> {
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        let items = dsl::split_commas(&inner)?;
        if items.is_empty() || items.len() > 4 {
            bail!(g.span(), "a register list holds 1 to 4 registers");
        }
        let mut regs_out = Vec::new();
        let mut shape = None;
        for it in &items {
            let ispan = dsl::span_of(it);
            let mut it = it.clone();
            it.extend(lane.cloned());
            match (self.register(&it)?, lane) {
                (
                    Some(Operand::Vec {
                        reg,
                        shape: s @ Shape::Arr(..),
                    }),
                    None,
                )
                | (
                    Some(Operand::Vec {
                        reg,
                        shape: s @ Shape::Lane(..),
                    }),
                    Some(_),
                ) => {
                    if shape.is_some_and(|p| p != s) {
                        bail!(ispan, "all registers of a list have the same arrangement");
                    }
                    shape = Some(s);
                    regs_out.push(reg);
                }
                (_, None) => bail!(
                    ispan,
                    "a list holds vector registers with an arrangement, like `{{v0.4s, v1.4s}}`"
                ),
                (_, Some(_)) => bail!(
                    ispan,
                    "a lane list holds vector registers with an element size, like `{{v0.s, v1.s}}[1]`"
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

    /// `[w]`, `[w, #off]`, `[w, xM]`, `[w, xM, lsl #s]` for stack local `l`: from
    /// sp or the aligned base, or (with an index register) from the local's
    /// address register.
    fn local_memory(&self, l: usize, parts: &[Tokens]) -> Result<Mem> {
        let (base, at) = self.local_base(l);
        let span = dsl::span_of(&parts[0]);
        let bare = parts.len() == 1;
        let offset_mem = |off: i128, span: Span| {
            self.local_refs.borrow_mut().push(LocalRef {
                local: l,
                offset: off,
                span,
                op: 0,
                bare,
            });
            let total = at as i128 + off;
            Mem {
                base,
                off: if total == 0 {
                    MemOff::None
                } else {
                    MemOff::Imm(total as i64)
                },
                mode: Mode::Offset,
            }
        };
        if parts.len() == 1 {
            return Ok(offset_mem(0, span));
        }
        let pspan = dsl::span_of(&parts[1]);
        match self.operand(&parts[1])? {
            Operand::Imm(v) if parts.len() == 2 => Ok(offset_mem(v, pspan)),
            Operand::Gp { .. } => {
                let m = self.memory_from(Reg::Virt(self.local_address[l]), parts)?;
                self.local_refs.borrow_mut().push(LocalRef {
                    local: l,
                    offset: 0,
                    span,
                    op: 0,
                    bare: false,
                });
                Ok(m)
            }
            _ => bail!(
                pspan,
                "a stack local's address is `[local]`, `[local, #offset]` or `[local, xM{{, lsl #s}}]`"
            ),
        }
    }

    pub(super) fn memory(&self, g: &proc_macro2::Group) -> Result<Mem> {
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        let gspan = g.span();
        if inner.is_empty() {
            bail!(gspan, "empty address; {FORMS}");
        }
        let parts = dsl::split_commas(&inner)?;
        if let [TokenTree::Ident(id)] = parts[0].as_slice() {
            if let Some(l) = self.local(&id.to_string()) {
                return self.local_memory(l, &parts);
            }
        }
        let base = match self.register(&parts[0])? {
            Some(Operand::Gp { reg, x: true }) => reg,
            _ => bail!(
                dsl::span_of(&parts[0]),
                "an address base is an x register or sp; {FORMS}"
            ),
        };
        self.memory_from(base, &parts)
    }

    /// The address `[base, parts[1..]]`.
    fn memory_from(&self, base: Reg, parts: &[Tokens]) -> Result<Mem> {
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
}
