//! amd64 operands in Intel syntax: registers and their views, immediates,
//! memory operands with their decorations.

use super::*;

impl Ctx<'_> {
    /// A register operand: physical name, argument (with component), `let` name,
    /// each with an optional width view (`x.32`).
    pub(super) fn register(&self, tokens: &[TokenTree]) -> Result<Option<(Reg, Width)>> {
        let Some(first) = tokens.first().and_then(ident_text) else {
            return Ok(None);
        };
        let span = dsl::span_of(tokens);
        if let Some((p, _, w)) = regs::parse(&first) {
            if let Some(why) = regs::reserved_reason(p) {
                bail!(tokens[0].span(), "`{first}` cannot be used: {why}");
            }
            if tokens.len() > 1 {
                bail!(
                    span,
                    "a physical register takes no suffix; write the width's name (eax, ax, al)"
                );
            }
            return Ok(Some((Reg::Phys(p), w)));
        }
        // name(.component | [index])*(.width)?
        let (name, i) = lower::component_path(&first, tokens, &|c| {
            lower::continues(self.names.keys(), c)
        })?;
        let Some(&v) = self.names.get(&name) else {
            if self.labels.contains_key(&first)
                || self.f.tables.iter().any(|t| t.name == first)
                || self.local(&first).is_some()
            {
                return Ok(None);
            }
            let comps: Vec<&str> = self
                .names
                .keys()
                .filter_map(|k| k.strip_prefix(&format!("{first}.")))
                .collect();
            if !comps.is_empty() {
                let mut comps = comps;
                comps.sort();
                bail!(span, "`{first}` has components: .{}", comps.join(" ."));
            }
            bail!(
                tokens[0].span(),
                "{}",
                lower::unknown_name(&first, self.names.keys())
            );
        };
        let class = self.vregs[v as usize].class;
        let mut width = self.widths[v as usize];
        if i < tokens.len() {
            if tokens.len() != i + 2 || punct(&tokens[i]) != Some('.') {
                bail!(span, "expected `{name}` or a width view like `{name}.32`");
            }
            let w = dsl::int_literal(&tokens[i + 1]).unwrap_or(-1);
            let ok = match class {
                Class::Gp => [8, 16, 32, 64].contains(&w),
                Class::Vec => [128, 256, 512].contains(&w),
                Class::Mask => w == 64,
            };
            if !ok {
                bail!(
                    tokens[i + 1].span(),
                    "width view must be {} for `{name}`",
                    match class {
                        Class::Gp => ".8 .16 .32 or .64",
                        Class::Vec => ".128 .256 or .512",
                        Class::Mask => ".64",
                    }
                );
            }
            width = w as Width;
        }
        Ok(Some((Reg::Virt(v), width)))
    }

    pub(super) fn operand(&self, tokens: &[TokenTree]) -> Result<Operand> {
        let span = dsl::span_of(tokens);
        // size keyword [ptr] [ ... ]
        if let Some(word) = tokens.first().and_then(ident_text) {
            if let Some(&(_, bytes)) = SIZE_WORDS.iter().find(|(w, _)| *w == word) {
                let mut rest = &tokens[1..];
                if rest.first().and_then(ident_text).as_deref() == Some("ptr") {
                    rest = &rest[1..];
                }
                return match rest {
                    [g] if dsl::bracket(g).is_some() => {
                        let mut m = self.memory(g, Some(bytes))?;
                        m.size = Some(bytes);
                        Ok(Operand::Mem(m))
                    }
                    _ => bail!(span, "expected `{word} [address]`"),
                };
            }
        }
        if let [g] = tokens {
            if dsl::bracket(g).is_some() {
                return Ok(Operand::Mem(self.memory(g, None)?));
            }
        }
        if let Some((reg, width)) = self.register(tokens)? {
            return Ok(Operand::Reg { reg, width });
        }
        if let [TokenTree::Ident(id)] = tokens {
            let name = id.to_string();
            if let Some(&l) = self.labels.get(&name) {
                return Ok(Operand::Label(l));
            }
            if self.f.tables.iter().any(|t| t.name == name) {
                bail!(id.span(), "table `{name}` is memory: write `[{name}]`, or `lea r, [{name}]` for its address");
            }
            if self.local(&name).is_some() {
                bail!(id.span(), "stack local `{name}` is memory: write `qword [{name} + 8]`, or `lea r, [{name}]` for its address");
            }
        }
        if matches!(
            tokens.first(),
            Some(TokenTree::Literal(_)) | Some(TokenTree::Punct(_))
        ) || matches!(tokens.first(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
        {
            return Ok(Operand::Imm(dsl::const_expr(tokens)?));
        }
        bail!(
            span,
            "expected a register, `[address]`, an immediate or a label"
        )
    }

    /// The `[..]` address of `group`; `size`: the size keyword before it.
    pub(super) fn memory(&self, group: &TokenTree, size: Option<u32>) -> Result<Mem> {
        let inner: Vec<TokenTree> = dsl::bracket(group).expect("bracket").into_iter().collect();
        let gspan = group.span();
        if inner.is_empty() {
            bail!(gspan, "empty address");
        }
        // Split into signed terms at top-level + and -.
        let mut terms: Vec<(bool, Vec<TokenTree>)> = Vec::new();
        let mut cur = Vec::new();
        let mut neg = false;
        for t in inner {
            match punct(&t) {
                Some(c @ ('+' | '-')) if !cur.is_empty() => {
                    terms.push((neg, std::mem::take(&mut cur)));
                    neg = c == '-';
                }
                Some('-') if cur.is_empty() && terms.is_empty() => neg = true,
                _ => cur.push(t),
            }
        }
        if cur.is_empty() {
            bail!(gspan, "address ends with an operator");
        }
        terms.push((neg, cur));
        let mut m = Mem {
            size: None,
            base: None,
            index: None,
            disp: 0,
            table: None,
        };
        let mut disp: i128 = 0;
        // A stack local: its index and the term's span.
        let mut local: Option<(usize, Span)> = None;
        for (neg, term) in terms {
            let tspan = dsl::span_of(&term);
            if let [TokenTree::Ident(id)] = term.as_slice() {
                if let Some(l) = self.local(&id.to_string()) {
                    if neg || local.is_some() {
                        bail!(tspan, "a stack local may appear once, added");
                    }
                    local = Some((l, tspan));
                    continue;
                }
            }
            // table name
            if let [TokenTree::Ident(id)] = term.as_slice() {
                if let Some(ti) = self.f.tables.iter().position(|t| *id == t.name) {
                    if neg || m.table.is_some() {
                        bail!(tspan, "a table may appear once, added");
                    }
                    m.table = Some(ti);
                    continue;
                }
            }
            // reg * scale | scale * reg
            let star = term.iter().position(|t| punct(t) == Some('*'));
            if let Some(si) = star {
                let (a, b) = (&term[..si], &term[si + 1..]);
                let (reg_toks, scale_toks) = if self.register(a).ok().flatten().is_some() {
                    (a, b)
                } else {
                    (b, a)
                };
                if let Some((r, w)) = self.register(reg_toks)? {
                    if neg {
                        bail!(tspan, "an index cannot be subtracted");
                    }
                    let scale = dsl::const_expr(scale_toks)?;
                    if ![1, 2, 4, 8].contains(&scale) {
                        bail!(dsl::span_of(scale_toks), "scale must be 1, 2, 4 or 8");
                    }
                    if m.index.is_some() {
                        bail!(tspan, "an address has one index register");
                    }
                    self.check_addr_reg(r, w, tspan, true)?;
                    m.index = Some((r, w, scale as u8));
                    continue;
                }
            }
            if let Some((r, w)) = self.register(&term)? {
                if neg {
                    bail!(tspan, "a register cannot be subtracted in an address");
                }
                if m.base.is_none() && self.class_of(r) == Class::Gp {
                    self.check_addr_reg(r, w, tspan, false)?;
                    m.base = Some(r);
                } else if m.index.is_none() {
                    self.check_addr_reg(r, w, tspan, true)?;
                    m.index = Some((r, w, 1));
                } else {
                    bail!(tspan, "an address has at most a base and an index register");
                }
                continue;
            }
            let v = dsl::const_expr(&term)?;
            disp = if neg {
                disp.checked_sub(v)
            } else {
                disp.checked_add(v)
            }
            .ok_or_else(|| crate::diag::Error::new(tspan, "displacement overflows"))?;
        }
        if let Some((l, lspan)) = local {
            if m.table.is_some() {
                bail!(gspan, "an address holds a stack local or a table, not both");
            }
            if let Some(b) = m.base {
                // `[w + r]`: the register is the index.
                if m.index.is_some() {
                    bail!(
                        gspan,
                        "a stack local is addressed from the stack pointer: it takes an index register, not a base"
                    );
                }
                m.index = Some((b, 64, 1));
            }
            let at = &self.locals.locals[l];
            self.local_refs.borrow_mut().push(LocalRef {
                local: l,
                offset: disp,
                span: lspan.join(gspan).unwrap_or(gspan),
                size,
            });
            m.base = Some(if at.from_base {
                Reg::Virt(self.region_base.expect("the region has a base"))
            } else {
                Reg::Phys(regs::RSP)
            });
            disp += at.offset as i128;
        }
        if !(i32::MIN as i128..=i32::MAX as i128).contains(&disp) {
            bail!(gspan, "displacement {disp} does not fit in 32 bits");
        }
        m.disp = disp as i64;
        // RIP-relative, a table operand reads exactly there: inside the table, or
        // (for `lea`) its end.
        if let Some(t) = m.table.map(|ti| &self.f.tables[ti]) {
            if !(0..=t.bytes.len() as i128).contains(&disp) {
                bail!(
                    gspan,
                    "offset {disp} is outside table `{}` ({} bytes)",
                    t.name,
                    t.bytes.len()
                );
            }
        }
        if m.table.is_some() && (m.base.is_some() || m.index.is_some()) {
            bail!(
                gspan,
                "a table is addressed RIP-relative, without registers: load its address with `lea r, [TABLE]`, then index through r"
            );
        }
        Ok(m)
    }

    /// The stack local named `name`, if it is declared at this line.
    pub(super) fn local(&self, name: &str) -> Option<usize> {
        self.locals.find(name).filter(|&l| l < self.visible_locals)
    }

    pub(super) fn check_addr_reg(&self, r: Reg, w: Width, span: Span, index: bool) -> Result<()> {
        match self.class_of(r) {
            Class::Gp if w == 64 => Ok(()),
            Class::Gp => bail!(span, "addresses use 64-bit registers; this one is {w}-bit"),
            Class::Vec if index => Ok(()),
            _ => bail!(span, "this register cannot form an address"),
        }
    }
}
