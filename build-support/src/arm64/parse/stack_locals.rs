//! arm64 stack locals in a block: their addresses (`adr`), base registers for
//! the over-aligned ones, and name lookup.

use super::*;

impl Ctx<'_> {
    /// `adr xd, local` / `adr xd, local + 16`: `add xd, sp, #offset` (or from the
    /// aligned base). `None` when the operand is no stack local.
    pub(super) fn local_adr(&self, operands: &[Tokens], span: Span) -> Result<Option<Inst>> {
        let [dst, addr] = operands else {
            return Ok(None);
        };
        let Some(l) = addr.first().and_then(ident_text).and_then(|n| self.local(&n)) else {
            return Ok(None);
        };
        let rest = &addr[1..];
        let off = match rest.first() {
            None => 0,
            Some(sign) if matches!(punct(sign), Some('+' | '-')) && rest.len() > 1 => {
                let zero = TokenTree::Literal(proc_macro2::Literal::i128_unsuffixed(0));
                let expr: Vec<TokenTree> =
                    std::iter::once(zero).chain(rest.iter().cloned()).collect();
                dsl::const_expr(&expr)?
            }
            Some(t) => bail!(t.span(), "a stack local's address is `local` or `local + offset`"),
        };
        locals::check_offset(&self.locals.locals[l], off, None, true, dsl::span_of(addr))?;
        let Some(Operand::Gp { reg, x: true }) = self.register(dst)? else {
            bail!(dsl::span_of(dst), "`adr` writes an x register");
        };
        let (base, at) = self.local_base(l);
        let ops = vec![
            Operand::Gp { reg, x: true },
            Operand::Gp { reg: base, x: true },
            Operand::Imm(at as i128 + off),
        ];
        self.first_fit("add", ops, span, "cannot take this stack local's address").map(Some)
    }

    /// The register a local is addressed from (sp, or the aligned base) and its
    /// offset from it.
    pub(super) fn local_base(&self, l: usize) -> (Reg, u32) {
        let at = &self.locals.locals[l];
        if at.from_base {
            (Reg::Virt(self.region_base.expect("the region has a base")), at.offset)
        } else {
            (Reg::Phys(regs::SP), at.offset)
        }
    }

    /// The stack local named `name`, if it is declared at this line.
    pub(super) fn local(&self, name: &str) -> Option<usize> {
        self.locals.find(name).filter(|&l| l < self.visible_locals)
    }

    /// The instructions that compute, before the body, the base registers the
    /// body's stack-local addresses read: the aligned base `(sp + at + bias) &
    /// -align`, and each exact address an index register is added to.
    pub(super) fn local_bases(&self, nodes: &[Node<Inst>]) -> Result<Vec<Inst>> {
        let read = |v: u32| {
            nodes.iter().any(|n| matches!(n, Node::Inst(i) if i.uses.contains(&Reg::Virt(v))))
        };
        let x = |reg: Reg| Operand::Gp { reg, x: true };
        let mut out = Vec::new();
        let mut addresses = Vec::new();
        let mut need_base = self.region_base.is_some_and(read);
        for (l, &v) in self.local_address.iter().enumerate() {
            if read(v) {
                need_base |= self.locals.locals[l].from_base;
                addresses.push((l, v));
            }
        }
        if let (true, Some(base), Some(r)) = (need_base, self.region_base, self.locals.region()) {
            let span = self.vregs[base as usize].span;
            let b = Reg::Virt(base);
            let sp = Reg::Phys(regs::SP);
            out.push(self.first_fit("add", vec![x(b), x(sp), Operand::Imm((r.at + r.bias) as i128)], span, "stack base")?);
            out.push(self.first_fit("and", vec![x(b), x(b), Operand::Imm(-(r.align as i128))], span, "stack base")?);
        }
        for (l, v) in addresses {
            let span = self.vregs[v as usize].span;
            let (base, at) = self.local_base(l);
            out.push(self.first_fit("add", vec![x(Reg::Virt(v)), x(base), Operand::Imm(at as i128)], span, "stack local address")?);
        }
        Ok(out)
    }
}
