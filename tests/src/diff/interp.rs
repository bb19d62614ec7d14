//! The reference: an interpreter of a generated program as written, with a
//! register file of named registers (physical and declared alike: the names are
//! distinct; a register array's element is its name and index), the flags, one
//! buffer per slice or pointer parameter and one per stack local. A repetition
//! runs its body once per index value, the index bound while it runs; a body's
//! labels are its own (branches never leave a repeated body), so each iteration
//! has its own. It knows nothing of the compiler: it reads the tree the DSL text
//! was printed from. Reading a register, a flag or a stack local nobody wrote, a
//! memory access out of bounds, an array index out of range, a trapping division
//! or a loop that does not end is an `Err` (the minimizer uses that to keep only
//! valid programs).

use super::ast::*;
use super::{Func, PTy, Val};
use std::collections::HashMap;

/// A run's observable effects: the results, and every buffer afterwards.
#[derive(Clone, Debug, PartialEq)]
pub struct Effects {
    pub results: Vec<u64>,
    pub memory: Vec<Vec<u64>>,
}

const STEPS: usize = 100_000;

#[derive(Default, Clone, Copy)]
struct Flags {
    /// amd64 ZF SF CF OF; arm64 Z N C V.
    z: Option<bool>,
    s: Option<bool>,
    c: Option<bool>,
    o: Option<bool>,
}

struct Machine {
    regs: HashMap<String, u64>,
    /// Buffers by parameter index.
    mem: HashMap<usize, Vec<u64>>,
    /// Stack locals' elements (`None`: never written).
    locals: Vec<Vec<Option<u64>>>,
    /// Register arrays' lengths.
    arrays: HashMap<String, usize>,
    /// Indexes of the repetitions running, innermost last.
    vars: Vec<(String, i64)>,
    steps: usize,
    flags: Flags,
}

fn sign(v: u64, w: W) -> bool {
    v >> (w.bits() - 1) & 1 == 1
}

/// A value at width `w`, sign-extended to 64 bits.
fn sext(v: u64, w: W) -> i64 {
    let sh = 64 - w.bits();
    ((v << sh) as i64) >> sh
}

impl Machine {
    fn eval(&self, e: &Ex) -> Result<i64, String> {
        Ok(match e {
            Ex::Lit(v) => *v,
            Ex::Var(n) => self
                .vars
                .iter()
                .rev()
                .find(|(v, _)| v == n)
                .map(|(_, x)| *x)
                .ok_or_else(|| format!("no repetition index {n}"))?,
            Ex::Add(a, b) => self.eval(a)?.wrapping_add(self.eval(b)?),
            Ex::Mul(a, b) => self.eval(a)?.wrapping_mul(self.eval(b)?),
            Ex::Rem(a, b) => {
                let d = self.eval(b)?;
                if d == 0 {
                    return Err("a constant remainder by zero".into());
                }
                self.eval(a)? % d
            }
        })
    }
    /// The register file's key of `r` (an array element's index evaluated).
    fn key(&self, r: &Reg) -> Result<String, String> {
        let Some(i) = &r.index else {
            return Ok(r.name.clone());
        };
        let i = self.eval(i)?;
        let n = self.arrays.get(&r.name).copied().unwrap_or(0);
        if !(0..n as i64).contains(&i) {
            return Err(format!("index {i} is outside array {} of {n}", r.name));
        }
        Ok(format!("{}[{i}]", r.name))
    }
    fn get(&self, r: &Reg) -> Result<u64, String> {
        let k = self.key(r)?;
        self.regs
            .get(&k)
            .copied()
            .ok_or_else(|| format!("reads {k} before it is written"))
    }
    fn tick(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > STEPS {
            return Err("runs more than 100,000 steps".into());
        }
        Ok(())
    }
    fn read(&self, r: &R) -> Result<u64, String> {
        Ok(self.get(&r.0)? & r.1.mask())
    }
    /// Writes at `r`'s width: 32-bit writes zero the upper half (both
    /// architectures), byte writes keep the other bytes (amd64 `setcc`).
    fn write(&mut self, r: &R, v: u64) -> Result<(), String> {
        let v = match r.1 {
            W::B8 => (self.get(&r.0)? & !0xff) | (v & 0xff),
            w => v & w.mask(),
        };
        let k = self.key(&r.0)?;
        self.regs.insert(k, v);
        Ok(())
    }
    /// The element `m` addresses: its buffer or local, and its index there.
    fn element(&self, m: &Mem) -> Result<(Base, usize), String> {
        let index = match &m.index {
            Some(i) => self.get(i)?,
            None => 0,
        };
        let off = (self.eval(&m.disp)? as u64).wrapping_add(index.wrapping_mul(8));
        let n = match m.base {
            Base::Param(p) => self.mem[&p].len(),
            Base::Local(l) => self.locals[l].len(),
        };
        if off % 8 != 0 || off / 8 >= n as u64 {
            return Err(format!("byte {off} is outside a buffer of {n} elements"));
        }
        Ok((m.base, (off / 8) as usize))
    }
    fn load(&self, m: &Mem) -> Result<u64, String> {
        match self.element(m)? {
            (Base::Param(p), i) => Ok(self.mem[&p][i]),
            (Base::Local(l), i) => self.locals[l][i]
                .ok_or_else(|| format!("reads element {i} of local {l} before it is written")),
        }
    }
    fn store(&mut self, m: &Mem, v: u64) -> Result<(), String> {
        match self.element(m)? {
            (Base::Param(p), i) => self.mem.get_mut(&p).expect("a buffer")[i] = v,
            (Base::Local(l), i) => self.locals[l][i] = Some(v),
        }
        Ok(())
    }
    fn flag(f: Option<bool>) -> Result<bool, String> {
        f.ok_or_else(|| "reads a flag no instruction set".to_string())
    }
    /// Sets the flags of `a + b` (`sub`: `a - b`) at width `w`; the result.
    fn arith(&mut self, a: u64, b: u64, sub: bool, w: W, arm: bool) -> u64 {
        let m = w.mask();
        let (a, b) = (a & m, b & m);
        let r = if sub {
            a.wrapping_sub(b)
        } else {
            a.wrapping_add(b)
        } & m;
        let carry = if sub {
            // amd64 CF is the borrow; arm64 C is its complement.
            (a < b) != arm
        } else {
            (a as u128 + b as u128) > m as u128
        };
        let o = if sub {
            sign(a, w) != sign(b, w) && sign(r, w) != sign(a, w)
        } else {
            sign(a, w) == sign(b, w) && sign(r, w) != sign(a, w)
        };
        self.flags = Flags {
            z: Some(r == 0),
            s: Some(sign(r, w)),
            c: Some(carry),
            o: Some(o),
        };
        r
    }
    fn logic_flags(&mut self, r: u64, w: W) {
        self.flags = Flags {
            z: Some(r & w.mask() == 0),
            s: Some(sign(r, w)),
            c: Some(false),
            o: Some(false),
        };
    }
    /// A condition; `arm`: the arm64 sense of the carry.
    fn cond(&self, c: Cond, arm: bool) -> Result<bool, String> {
        let f = self.flags;
        let (z, s, o) = (|| Self::flag(f.z), || Self::flag(f.s), || Self::flag(f.o));
        // "below" on amd64 is CF set; on arm64 "lower" is C clear.
        let below = || Self::flag(f.c).map(|c| c != arm);
        Ok(match c {
            Cond::Eq => z()?,
            Cond::Ne => !z()?,
            Cond::Lt => s()? != o()?,
            Cond::Ge => s()? == o()?,
            Cond::Le => z()? || s()? != o()?,
            Cond::Gt => !z()? && s()? == o()?,
            Cond::Lo => below()?,
            Cond::Hs => !below()?,
            Cond::Ls => below()? || z()?,
            Cond::Hi => !below()? && !z()?,
            Cond::Mi => s()?,
            Cond::Pl => !s()?,
        })
    }
}

fn labels<I>(body: &[I], label: impl Fn(&I) -> Option<&String>) -> HashMap<String, usize> {
    body.iter()
        .enumerate()
        .filter_map(|(i, l)| label(l).map(|n| (n.clone(), i)))
        .collect()
}

fn target(labels: &HashMap<String, usize>, l: &str) -> Result<usize, String> {
    labels
        .get(l)
        .copied()
        .ok_or_else(|| format!("no label {l}"))
}

/// Runs `f` on `args`.
pub fn run(f: &Func, args: &[Val]) -> Result<Effects, String> {
    let mut m = Machine {
        regs: HashMap::new(),
        mem: HashMap::new(),
        locals: f.locals.iter().map(|l| vec![None; l.elems]).collect(),
        arrays: f.arrays.iter().cloned().collect(),
        vars: Vec::new(),
        steps: 0,
        flags: Flags::default(),
    };
    for (i, (p, v)) in f.params.iter().zip(args).enumerate() {
        match (&p.ty, v) {
            (PTy::Int(s), Val::Int(x)) => {
                m.regs.insert(p.name.clone(), crate::sigs::ext64(*s, *x));
            }
            (PTy::Slice(n), Val::Buf(b)) => {
                m.regs.insert(format!("{}.len", p.name), *n as u64);
                m.mem.insert(i, b.clone());
            }
            (PTy::Ptr, Val::Buf(b)) => {
                m.mem.insert(i, b.clone());
            }
            _ => unreachable!("values are drawn for their types"),
        }
    }
    match &f.body {
        Body::Amd64(b) => amd64(&mut m, b)?,
        Body::Arm64(b) => arm64(&mut m, b)?,
    }
    let results = f
        .results
        .iter()
        .map(|r| m.get(r))
        .collect::<Result<Vec<u64>, String>>()?;
    let memory = (0..f.params.len())
        .filter_map(|i| m.mem.get(&i).cloned())
        .collect();
    Ok(Effects { results, memory })
}

fn amd64(m: &mut Machine, body: &[A]) -> Result<(), String> {
    let labels = labels(body, |i| match i {
        A::Label(l) => Some(l),
        _ => None,
    });
    let (x, none) = (W::X, Flags::default());
    let mut pc = 0;
    loop {
        let Some(inst) = body.get(pc) else {
            return Ok(());
        };
        pc += 1;
        m.tick()?;
        let src = |m: &mut Machine, s: &Src, w: W| -> Result<u64, String> {
            match s {
                Src::R(r) => m.read(r),
                Src::Imm(i) => Ok(*i as u64 & w.mask()),
                Src::Ex(e) => Ok(m.eval(e)? as u64 & w.mask()),
                Src::M(mem) => m.load(mem),
            }
        };
        match inst {
            A::Label(_) => {}
            A::For { var, lo, hi, body } => {
                for v in *lo..*hi {
                    m.vars.push((var.clone(), v));
                    amd64(m, body)?;
                    m.vars.pop();
                }
            }
            A::AlignOf(d, _) => {
                // The local is aligned: its address has no bits below the alignment.
                m.write(d, 0)?;
                m.logic_flags(0, d.1);
            }
            A::Mov(d, s) => {
                let v = src(m, s, d.1)?;
                m.write(d, v)?;
            }
            A::Store(mem, s) => {
                let v = m.get(s)?;
                m.store(mem, v)?;
            }
            A::Alu(op, d, s) => {
                let (a, b) = (m.read(d)?, src(m, s, d.1)?);
                let r = alu(m, *op, a, b, d.1);
                if !matches!(op, Alu::Cmp | Alu::Test) {
                    m.write(d, r)?;
                }
            }
            A::AluMem(op, mem, s) => {
                let (a, b) = (m.load(mem)?, m.get(s)?);
                let r = alu(m, *op, a, b, x);
                m.store(mem, r)?;
            }
            A::Imul2(d, s) => {
                let v = m.read(d)?.wrapping_mul(src(m, s, x)?);
                m.write(d, v)?;
                m.flags = none;
            }
            A::Imul3(d, a, i) => {
                let v = m.read(a)?.wrapping_mul(*i as i64 as u64);
                m.write(d, v)?;
                m.flags = none;
            }
            A::Mul1 { signed, src } => {
                let (rax, s) = (m.get(&Reg::phys("rax"))?, m.read(src)?);
                let p = if *signed {
                    (rax as i64 as i128 * s as i64 as i128) as u128
                } else {
                    rax as u128 * s as u128
                };
                m.regs.insert("rax".into(), p as u64);
                m.regs.insert("rdx".into(), (p >> 64) as u64);
                m.flags = none;
            }
            A::Div1 { signed, src } => {
                let (lo, hi, d) = (
                    m.get(&Reg::phys("rax"))?,
                    m.get(&Reg::phys("rdx"))?,
                    m.read(src)?,
                );
                if d == 0 {
                    return Err("divides by zero".into());
                }
                let (q, r) = if *signed {
                    let n = ((hi as i64 as i128) << 64) | lo as i128;
                    let (q, r) = (n / d as i64 as i128, n % d as i64 as i128);
                    if q != q as i64 as i128 {
                        return Err("the quotient overflows".into());
                    }
                    (q as u64, r as u64)
                } else {
                    let n = ((hi as u128) << 64) | lo as u128;
                    let (q, r) = (n / d as u128, n % d as u128);
                    if q > u64::MAX as u128 {
                        return Err("the quotient overflows".into());
                    }
                    (q as u64, r as u64)
                };
                m.regs.insert("rax".into(), q);
                m.regs.insert("rdx".into(), r);
                m.flags = none;
            }
            A::Cqo => {
                let rax = m.get(&Reg::phys("rax"))?;
                m.regs
                    .insert("rdx".into(), if sign(rax, x) { u64::MAX } else { 0 });
            }
            A::Un(op, d) => {
                let a = m.read(d)?;
                let v = match op {
                    Un::Not => !a,
                    Un::Bswap => a.swap_bytes(),
                    Un::Neg => {
                        let r = m.arith(0, a, true, d.1, false);
                        m.flags.c = Some(a != 0);
                        r
                    }
                    Un::Inc | Un::Dec => {
                        let c = m.flags.c;
                        let r = m.arith(a, 1, *op == Un::Dec, d.1, false);
                        m.flags.c = c;
                        r
                    }
                };
                m.write(d, v)?;
            }
            A::Shift(op, d, by) => {
                let n = match by {
                    Some(n) => *n as u32,
                    None => m.get(&Reg::phys("rcx"))? as u32,
                } & 63;
                let a = m.read(d)?;
                let v = match op {
                    Sh::Shl => a << n,
                    Sh::Shr => a >> n,
                    Sh::Sar => ((a as i64) >> n) as u64,
                    Sh::Rol => a.rotate_left(n),
                    Sh::Ror => a.rotate_right(n),
                };
                m.write(d, v)?;
                if n != 0 {
                    // Shifts set ZF/SF from the result; rotates leave them.
                    let rotate = matches!(op, Sh::Rol | Sh::Ror);
                    m.flags = Flags {
                        z: if rotate { m.flags.z } else { Some(v == 0) },
                        s: if rotate { m.flags.s } else { Some(sign(v, x)) },
                        c: None,
                        o: None,
                    };
                }
            }
            A::Cmov(c, d, s) => {
                if m.cond(*c, false)? {
                    let v = m.read(s)?;
                    m.write(d, v)?;
                }
            }
            A::Setcc(c, d) => {
                let v = m.cond(*c, false)? as u64;
                m.write(d, v)?;
            }
            A::Movzx(d, s) => {
                let v = m.read(s)?;
                m.write(d, v)?;
            }
            A::Lea {
                dst,
                base,
                index,
                disp,
            } => {
                let mut v = m.get(base)?.wrapping_add(*disp as i64 as u64);
                if let Some((i, k)) = index {
                    v = v.wrapping_add(m.get(i)?.wrapping_mul(*k as u64));
                }
                m.write(dst, v)?;
            }
            A::Xchg(a, b) => {
                let (va, vb) = (m.read(a)?, m.read(b)?);
                m.write(a, vb)?;
                m.write(b, va)?;
            }
            A::Jcc(c, l) => {
                if m.cond(*c, false)? {
                    pc = target(&labels, l)?;
                }
            }
            A::Jmp(l) => pc = target(&labels, l)?,
        }
    }
}

fn alu(m: &mut Machine, op: Alu, a: u64, b: u64, w: W) -> u64 {
    match op {
        Alu::Add => m.arith(a, b, false, w, false),
        Alu::Sub | Alu::Cmp => m.arith(a, b, true, w, false),
        Alu::And | Alu::Test | Alu::Or | Alu::Xor => {
            let r = match op {
                Alu::Or => a | b,
                Alu::Xor => a ^ b,
                _ => a & b,
            } & w.mask();
            m.logic_flags(r, w);
            r
        }
    }
}

fn shifted(v: u64, sh: Sh, n: u32, w: W) -> u64 {
    let bits = w.bits();
    let n = n % bits;
    let m = w.mask();
    let v = v & m;
    (match sh {
        Sh::Shl => v << n,
        Sh::Shr => v >> n,
        Sh::Sar => (sext(v, w) >> n) as u64,
        Sh::Ror | Sh::Rol if n == 0 => v,
        Sh::Ror => (v >> n) | (v << (bits - n)),
        Sh::Rol => (v << n) | (v >> (bits - n)),
    }) & m
}

fn arm64(m: &mut Machine, body: &[B]) -> Result<(), String> {
    let labels = labels(body, |i| match i {
        B::Label(l) => Some(l),
        _ => None,
    });
    let mut pc = 0;
    loop {
        let Some(inst) = body.get(pc) else {
            return Ok(());
        };
        pc += 1;
        m.tick()?;
        let op2 = |m: &Machine, o: &Op2, w: W| -> Result<u64, String> {
            match o {
                Op2::Imm(i) => Ok(*i & w.mask()),
                Op2::Ex(e) => Ok(m.eval(e)? as u64 & w.mask()),
                Op2::R(r, None) => m.read(r),
                Op2::R(r, Some((sh, n))) => Ok(shifted(m.read(r)?, *sh, *n as u32, w)),
            }
        };
        match inst {
            B::Label(_) => {}
            B::For { var, lo, hi, body } => {
                for v in *lo..*hi {
                    m.vars.push((var.clone(), v));
                    arm64(m, body)?;
                    m.vars.pop();
                }
            }
            B::AlignOf(d, _) => m.write(d, 0)?,
            B::MovEx(d, e) => {
                let v = m.eval(e)? as u64;
                m.write(d, v)?;
            }
            B::Mov(d, s) => {
                let v = match s {
                    Some(s) => m.read(s)?,
                    None => 0,
                };
                m.write(d, v)?;
            }
            B::MovImm(d, i) => m.write(d, *i as u64)?,
            B::Movk(d, i, s) => {
                let v = (m.read(d)? & !(0xffff << s)) | ((*i as u64) << s);
                m.write(d, v)?;
            }
            B::Bin(op, d, a, b) => {
                let w = d.1;
                let (a, b) = (m.read(a)?, op2(m, b, w)?);
                let v = match op {
                    Bop::Add => a.wrapping_add(b),
                    Bop::Sub => a.wrapping_sub(b),
                    Bop::Adds => m.arith(a, b, false, w, true),
                    Bop::Subs => m.arith(a, b, true, w, true),
                    Bop::And => a & b,
                    Bop::Ands => {
                        m.logic_flags(a & b, w);
                        a & b
                    }
                    Bop::Orr => a | b,
                    Bop::Eor => a ^ b,
                    Bop::Bic => a & !b,
                };
                m.write(d, v)?;
            }
            B::Cmp(a, b) | B::Cmn(a, b) => {
                let w = a.1;
                let (va, vb) = (m.read(a)?, op2(m, b, w)?);
                m.arith(va, vb, matches!(inst, B::Cmp(..)), w, true);
            }
            B::Tst(a, b) => {
                let w = a.1;
                let v = m.read(a)? & op2(m, b, w)?;
                m.logic_flags(v, w);
            }
            B::Mop(op, d, a, b) => {
                let w = d.1;
                let (a, b) = (m.read(a)?, m.read(b)?);
                let bits = w.bits() as u64;
                let v = match op {
                    Mop::Mul => a.wrapping_mul(b),
                    Mop::Umulh => ((a as u128 * b as u128) >> 64) as u64,
                    Mop::Smulh => ((a as i64 as i128 * b as i64 as i128) >> 64) as u64,
                    Mop::Udiv => a.checked_div(b).unwrap_or(0),
                    Mop::Sdiv => {
                        let (a, b) = (sext(a, w), sext(b, w));
                        if b == 0 {
                            0
                        } else {
                            a.wrapping_div(b) as u64
                        }
                    }
                    Mop::Lslv => shifted(a, Sh::Shl, (b % bits) as u32, w),
                    Mop::Lsrv => shifted(a, Sh::Shr, (b % bits) as u32, w),
                    Mop::Asrv => shifted(a, Sh::Sar, (b % bits) as u32, w),
                    Mop::Rorv => shifted(a, Sh::Ror, (b % bits) as u32, w),
                };
                m.write(d, v)?;
            }
            B::Madd { sub, d, a, b, c } => {
                let p = m.read(a)?.wrapping_mul(m.read(b)?);
                let c = m.read(c)?;
                m.write(
                    d,
                    if *sub {
                        c.wrapping_sub(p)
                    } else {
                        c.wrapping_add(p)
                    },
                )?;
            }
            B::ShiftImm(sh, d, a, n) => {
                let v = shifted(m.read(a)?, *sh, *n as u32, d.1);
                m.write(d, v)?;
            }
            B::Uop(op, d, a) => {
                let w = d.1;
                let a = m.read(a)?;
                let pad = 64 - w.bits();
                let v = match op {
                    Uop::Neg => a.wrapping_neg(),
                    Uop::Mvn => !a,
                    Uop::Clz => (a.leading_zeros() - pad) as u64,
                    Uop::Rbit => (a << pad).reverse_bits(),
                    Uop::Rev => (a << pad).swap_bytes(),
                };
                m.write(d, v)?;
            }
            B::Csel(c, d, a, b) | B::Csinc(c, d, a, b) => {
                let v = if m.cond(*c, true)? {
                    m.read(a)?
                } else if matches!(inst, B::Csinc(..)) {
                    m.read(b)?.wrapping_add(1)
                } else {
                    m.read(b)?
                };
                m.write(d, v)?;
            }
            B::Cset(c, d) => {
                let v = m.cond(*c, true)? as u64;
                m.write(d, v)?;
            }
            B::Ldr(d, mem) => {
                let v = m.load(mem)?;
                m.write(d, v)?;
            }
            B::Str(s, mem) => {
                let v = m.read(s)?;
                m.store(mem, v)?;
            }
            B::Bcond(c, l) => {
                if m.cond(*c, true)? {
                    pc = target(&labels, l)?;
                }
            }
            B::B(l) => pc = target(&labels, l)?,
            B::Cbz(a, l) | B::Cbnz(a, l) => {
                if (m.read(a)? == 0) == matches!(inst, B::Cbz(..)) {
                    pc = target(&labels, l)?;
                }
            }
        }
    }
}
