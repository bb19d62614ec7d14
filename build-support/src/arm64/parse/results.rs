//! arm64 `return`: the results' parallel copy into the result registers and the
//! jump to the exit.

use super::*;

impl Ctx<'_> {
    pub(super) fn lower_return(
        &mut self,
        span: Span,
        values: &[Tokens],
        hints: &mut Vec<Option<u8>>,
    ) -> Result<Vec<Inst>> {
        let Some(sig) = self.sig else {
            bail!(span, "`return` needs a function signature");
        };
        let results = &sig.results;
        lower::check_return_count(span, sig, values.len())?;
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
            if let Operand::Gp { reg, .. } | Operand::Vec { reg, .. } = &ops[1] {
                lower::hint_result(hints, *reg, dst);
            }
            let mut inst = self.first_fit(m, ops, vspan, RESULT_MOVE)?;
            inst.elidable = true;
            moves.push(inst);
        }
        Ok(moves)
    }
}
