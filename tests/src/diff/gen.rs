//! The generator of random valid programs, one architecture at a time. It tracks
//! which registers hold a value (only those are read), keeps loop counters out of
//! reach of the loop body, bounds every memory index by masking it, and makes
//! every division safe by construction (amd64 `div`/`idiv` by an odd or positive
//! divisor with rdx set from rax; arm64 division is defined for every input).
//!
//! Register arrays and stack locals are written whole first (by repetitions),
//! so any element may be read afterwards; inside a repetition, immediates,
//! displacements and array indexes may depend on its index (`(2 * i + 1) % 4`),
//! always in range. Branches stay inside the body they are in. The stack locals
//! are folded into a result at the end, and `AlignOf` lines read their address
//! bits, which must be zero.

use super::ast::*;
use super::{Avoid, Func, PTy, Param};
use crate::rng::Rng;
use crate::sigs::INTS;
use go_asm_build::Arch;

/// amd64 registers a body may name (never rsp, rbp, r15).
const AMD64_PHYS: [&str; 13] = [
    "rax", "rcx", "rdx", "rbx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
];
/// arm64 registers a body may name (never x18, x27-x30).
const ARM64_PHYS: [&str; 26] = [
    "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
    "x15", "x16", "x17", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
];
/// Result registers, in slot order.
const AMD64_RESULTS: [&str; 4] = ["rax", "rdx", "rcx", "r8"];
const ARM64_RESULTS: [&str; 4] = ["x0", "x1", "x2", "x3"];

/// Names that look like registers of one architecture or the other, or like
/// register classes, but are not registers: parameters and virtual registers
/// get them.
const REGISTER_LIKE: [&str; 24] = [
    "x", "r", "xmm", "rax2", "v", "q", "ax_", "w", "d", "eax_", "r16", "xzr_", "k", "b", "ymm",
    "zmm", "r8x", "cl_", "x1_", "rr9", "wsp_", "h", "s", "xmm16x",
];

/// arm64 logical immediates (valid bitmask patterns), 64- and 32-bit.
const LIMM64: [u64; 12] = [
    1,
    3,
    0xf,
    0xff,
    0xff00,
    0xffff,
    0xffff_0000,
    0xffff_ffff,
    0x5555_5555_5555_5555,
    0x0f0f_0f0f_0f0f_0f0f,
    0xffff_ffff_ffff_fff0,
    0x8000_0000_0000_0000,
];
const LIMM32: [u64; 8] = [
    1,
    3,
    0xf,
    0xff,
    0xff00,
    0xffff_0000,
    0x5555_5555,
    0x8000_0000,
];

struct Gen<'a, I> {
    rng: &'a mut Rng,
    params: &'a [Param],
    /// Register arrays (name, elements) and stack locals.
    arrays: Vec<(String, usize)>,
    locals: Vec<Local>,
    /// Indexes of the repetitions around the current line: name and range.
    vars: Vec<(String, i64, i64)>,
    /// Registers holding a value: the only ones read.
    defined: Vec<Reg>,
    /// Registers the body may write (loop counters are not among them).
    writable: Vec<Reg>,
    phys_pool: Vec<Reg>,
    vregs: Vec<String>,
    labels: usize,
    depth: usize,
    out: Vec<I>,
    avoid: Avoid,
}

impl<'a, I> Gen<'a, I> {
    fn new(rng: &'a mut Rng, params: &'a [Param], phys: &[&str], avoid: Avoid) -> Self {
        let mut g = Gen {
            rng,
            params,
            arrays: Vec::new(),
            locals: Vec::new(),
            vars: Vec::new(),
            defined: Vec::new(),
            writable: Vec::new(),
            phys_pool: Vec::new(),
            vregs: Vec::new(),
            labels: 0,
            depth: 0,
            out: Vec::new(),
            avoid,
        };
        for p in params {
            match p.ty {
                PTy::Int(_) => {
                    g.defined.push(Reg::named(&p.name));
                    g.writable.push(Reg::named(&p.name));
                }
                PTy::Slice(_) => g.defined.push(Reg::named(format!("{}.len", p.name))),
                PTy::Ptr => {}
            }
        }
        let n = 2 + g.rng.below(phys.len().min(7) - 1);
        while g.phys_pool.len() < n {
            let r = Reg::phys(phys[g.rng.below(phys.len())]);
            if !g.phys_pool.contains(&r) {
                g.phys_pool.push(r.clone());
                g.writable.push(r);
            }
        }
        // With the parameters and the physical registers, more virtual
        // registers than allocatable registers now and then (13 on amd64, 26
        // on arm64).
        let most = if phys.len() > 13 { 34 } else { 18 };
        for i in 0..2 + g.rng.below(most - 1) {
            let base = *g.rng.pick(&REGISTER_LIKE);
            let name = format!("{base}_{i}");
            g.vregs.push(name.clone());
            g.writable.push(Reg::named(name));
        }
        // Register arrays: their elements are ordinary registers, written by
        // the prologue.
        for k in 0..g.rng.below(3) {
            let name = format!("{}_a{k}", g.rng.pick(&REGISTER_LIKE));
            let n = *g.rng.pick(&[1usize, 2, 3, 4, 8]);
            for i in 0..n {
                g.writable.push(Reg::element(&name, Ex::lit(i as i64)));
            }
            g.arrays.push((name, n));
        }
        for k in 0..g.rng.below(3) {
            let name = format!("{}_s{k}", g.rng.pick(&REGISTER_LIKE));
            let elems = *g.rng.pick(&[1usize, 2, 4, 8, 16]);
            let align = *g.rng.pick(&[8u32, 8, 16, 32, 64]);
            g.locals.push(Local { name, elems, align });
        }
        g
    }
    /// Whether `r` has width views (not a parameter).
    fn has_views(&self, r: &Reg) -> bool {
        r.phys || r.index.is_some() || self.vregs.contains(&r.name)
    }
    /// `(a * i + b) % n` over a repetition index in scope (or the constant `b %
    /// n` outside any), in `0..n`.
    fn index_ex(&mut self, n: usize) -> Ex {
        let b = self.rng.below(2 * n) as i64;
        let Some((var, _, _)) = self.vars.last().cloned().filter(|_| self.rng.chance(80)) else {
            return Ex::lit(b % n as i64);
        };
        let var = if self.vars.len() > 1 && self.rng.chance(40) {
            self.vars[0].0.clone()
        } else {
            var
        };
        let a = 1 + self.rng.below(3) as i64;
        let term = match a {
            1 => Ex::Var(var),
            a => Ex::Mul(Box::new(Ex::lit(a)), Box::new(Ex::Var(var))),
        };
        Ex::Rem(
            Box::new(Ex::Add(Box::new(term), Box::new(Ex::lit(b)))),
            Box::new(Ex::lit(n as i64)),
        )
    }
    /// `a * i + b` with `0 <= value <= max` for every value of an index in scope.
    fn value_ex(&mut self, max: i64) -> Option<Ex> {
        let (var, _, hi) = self.vars.last().cloned()?;
        let a = self.rng.below(4) as i64;
        let b = self.rng.below((max - a * hi).max(1) as usize) as i64;
        Some(Ex::Add(
            Box::new(Ex::Mul(Box::new(Ex::lit(a)), Box::new(Ex::Var(var)))),
            Box::new(Ex::lit(b)),
        ))
    }
    /// Inside a repetition, now and then an array element becomes one indexed by
    /// the repetition's index (every element holds a value).
    fn indexed(&mut self, r: Reg) -> Reg {
        if self.vars.is_empty() || r.index.is_none() || !self.rng.chance(50) {
            return r;
        }
        let n = self
            .arrays
            .iter()
            .find(|(a, _)| *a == r.name)
            .map(|(_, n)| *n)
            .expect("an array element");
        let i = self.index_ex(n);
        Reg::element(&r.name, i)
    }
    fn label(&mut self, stem: &str) -> String {
        self.labels += 1;
        format!("{stem}{}", self.labels)
    }
    fn read(&mut self) -> Reg {
        let r = self.rng.pick(&self.defined).clone();
        self.indexed(r)
    }
    /// A destination (defined from now on).
    fn dst(&mut self) -> Reg {
        let r = self.rng.pick(&self.writable).clone();
        self.def(&r);
        self.indexed(r)
    }
    /// A virtual-register destination (for width views, which parameters lack).
    fn vdst(&mut self) -> Reg {
        let vs: Vec<Reg> = self
            .writable
            .iter()
            .filter(|r| self.has_views(r))
            .cloned()
            .collect();
        let r = self.rng.pick(&vs).clone();
        self.def(&r);
        self.indexed(r)
    }
    /// A defined register that has width views (not a parameter).
    fn vread(&mut self) -> Option<Reg> {
        let vs: Vec<Reg> = self
            .defined
            .iter()
            .filter(|r| self.has_views(r))
            .cloned()
            .collect();
        if vs.is_empty() {
            return None;
        }
        let r = self.rng.pick(&vs).clone();
        Some(self.indexed(r))
    }
    fn def(&mut self, r: &Reg) {
        if !self.defined.contains(r) {
            self.defined.push(r.clone());
        }
    }
    fn use_phys(&mut self, name: &str) -> Reg {
        let r = Reg::phys(name);
        if !self.phys_pool.contains(&r) {
            self.phys_pool.push(r.clone());
            self.writable.push(r.clone());
        }
        r
    }
    /// 64 bits mostly, the 32-bit view when some defined register has one.
    fn width(&mut self) -> W {
        let viewable = self.defined.iter().any(|r| self.has_views(r));
        if viewable && self.rng.chance(25) {
            W::W32
        } else {
            W::X
        }
    }
    fn imm(&mut self) -> i64 {
        match self.rng.below(4) {
            0 => self.rng.below(16) as i64,
            1 => -(self.rng.below(16) as i64) - 1,
            2 => *self
                .rng
                .pick(&[i32::MAX as i64, i32::MIN as i64, 255, 256, -129]),
            _ => self.rng.next_u64() as i32 as i64,
        }
    }
    /// Memory params: (index, elements).
    fn mem_params(&self) -> Vec<(usize, usize)> {
        self.params
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p.ty {
                PTy::Slice(n) => Some((i, n)),
                PTy::Ptr => Some((i, 1)),
                PTy::Int(_) => None,
            })
            .collect()
    }
    /// The result list: up to 4 defined registers in any order, sometimes the
    /// result registers themselves in a permuted order.
    fn results(&mut self, result_regs: &[&str], arch: Arch) -> (Vec<Reg>, Vec<(Reg, Reg)>) {
        let k = self.rng.below(5);
        let mut setup = Vec::new();
        if k >= 2 && self.rng.chance(30) {
            let mut regs: Vec<Reg> = result_regs[..k].iter().map(|n| Reg::phys(n)).collect();
            for r in &regs {
                let v = self.read();
                setup.push((r.clone(), v));
            }
            for r in &regs {
                self.use_phys(&r.name);
                self.def(r);
            }
            let ident = regs.clone();
            while regs == ident {
                for i in (1..regs.len()).rev() {
                    let j = self.rng.below(i + 1);
                    regs.swap(i, j);
                }
            }
            if !(arch == Arch::Arm64 && self.avoid.arm64_phys_return_order) {
                return (regs, setup);
            }
            return (ident, setup);
        }
        let mut res: Vec<Reg> = (0..k).map(|_| self.read()).collect();
        if arch == Arch::Arm64 && self.avoid.arm64_phys_return_order {
            // Defect 1 avoided: a result register returns only in its own slot.
            let misplaced = |slot: usize, r: &Reg| {
                result_regs
                    .iter()
                    .position(|n| *n == r.name)
                    .is_some_and(|j| j != slot)
            };
            let others: Vec<Reg> = self
                .defined
                .iter()
                .filter(|r| !result_regs.contains(&r.name.as_str()))
                .cloned()
                .collect();
            for (slot, r) in res.iter_mut().enumerate() {
                if misplaced(slot, r) && !others.is_empty() {
                    *r = self.rng.pick(&others).clone();
                }
            }
            let keep = (0..res.len())
                .take_while(|&i| !misplaced(i, &res[i]))
                .count();
            res.truncate(keep);
        }
        (res, setup)
    }
}

// ------------------------------------------------------------------ amd64

impl Gen<'_, A> {
    fn src(&mut self, w: W) -> Src {
        match self.rng.below(6) {
            0 if !self.vars.is_empty() => {
                Src::Ex(self.value_ex(1 << 20).expect("a repetition index"))
            }
            0 | 1 => Src::Imm(self.imm()),
            2 if w == W::X => match self.mem() {
                Some(m) => Src::M(m),
                None => Src::R(R(self.read(), W::X)),
            },
            _ => match w {
                W::X => Src::R(R(self.read(), W::X)),
                w => match self.vread() {
                    Some(r) => Src::R(R(r, w)),
                    None => Src::Imm(self.imm()),
                },
            },
        }
    }
    /// `cmp`/`test`, so the next line can read the flags.
    fn compare(&mut self) {
        let a = self.read();
        if self.rng.chance(25) {
            let b = self.read();
            self.out
                .push(A::Alu(Alu::Test, R(a, W::X), Src::R(R(b, W::X))));
        } else {
            let w = if self.rng.chance(20) { W::W32 } else { W::X };
            let a = match w {
                W::X => a,
                _ => self.vread().unwrap_or(a),
            };
            let w = if self.has_views(&a) { w } else { W::X };
            let s = self.src(w);
            self.out.push(A::Alu(Alu::Cmp, R(a, w), s));
        }
    }
    fn amd64_item(&mut self) {
        let x = W::X;
        match self.rng.below(24) {
            0 | 1 => {
                let w = self.width();
                let s = self.src(w);
                let d = if w == W::X { self.dst() } else { self.vdst() };
                self.out.push(A::Mov(R(d, w), s));
            }
            2..=5 => {
                let op = *self
                    .rng
                    .pick(&[Alu::Add, Alu::Sub, Alu::And, Alu::Or, Alu::Xor]);
                let w = self.width();
                let s = self.src(w);
                let d = match w {
                    W::X => self.read_writable(),
                    _ => self.vread_writable(),
                };
                self.out.push(A::Alu(op, R(d, w), s));
            }
            6 => {
                // imul r64, r/m64 (no two-operand immediate form).
                let s = match self.src(x) {
                    Src::Imm(_) | Src::Ex(_) => Src::R(R(self.read(), x)),
                    s => s,
                };
                let d = self.read_writable();
                self.out.push(A::Imul2(R(d, x), s));
            }
            7 => {
                let a = self.read();
                let i = self.imm() as i32;
                let d = self.dst();
                self.out.push(A::Imul3(R(d, x), R(a, x), i));
            }
            8 => {
                let op = *self
                    .rng
                    .pick(&[Un::Neg, Un::Not, Un::Inc, Un::Dec, Un::Bswap]);
                let d = self.read_writable();
                self.out.push(A::Un(op, R(d, x)));
            }
            9 | 10 => {
                let op = *self
                    .rng
                    .pick(&[Sh::Shl, Sh::Shr, Sh::Sar, Sh::Rol, Sh::Ror]);
                if self.rng.chance(40) {
                    let by = self.read();
                    let rcx = self.use_phys("rcx");
                    self.out.push(A::Mov(R(rcx.clone(), x), Src::R(R(by, x))));
                    self.def(&rcx);
                    let d = self.read_writable();
                    self.out.push(A::Shift(op, R(d, x), None));
                } else {
                    let d = self.read_writable();
                    let n = 1 + self.rng.below(63) as u8;
                    self.out.push(A::Shift(op, R(d, x), Some(n)));
                }
            }
            11 | 12 => {
                self.compare();
                let c = *self.rng.pick(&CONDS);
                let s = self.read();
                let d = self.read_writable();
                self.out.push(A::Cmov(c, R(d, x), R(s, x)));
            }
            13 => {
                self.compare();
                let c = *self.rng.pick(&CONDS);
                let d = self.vdst();
                // setcc writes the low byte only: define the rest first.
                self.out
                    .insert(self.out.len() - 1, A::Mov(R(d.clone(), x), Src::Imm(0)));
                self.out.push(A::Setcc(c, R(d.clone(), W::B8)));
                if self.rng.chance(50) {
                    self.out.push(A::Movzx(R(d.clone(), W::W32), R(d, W::B8)));
                }
            }
            14 => {
                let base = self.read();
                let index = if self.rng.chance(60) {
                    Some((self.read(), *self.rng.pick(&[1u8, 2, 4, 8])))
                } else {
                    None
                };
                let disp = self.imm() as i32;
                let d = self.dst();
                self.out.push(A::Lea {
                    dst: R(d, x),
                    base,
                    index,
                    disp,
                });
            }
            15 => {
                let a = self.read_writable();
                let b = self.read_writable();
                if a != b {
                    self.out.push(A::Xchg(R(a, x), R(b, x)));
                }
            }
            16 | 17 => {
                let Some(m) = self.mem() else { return };
                let s = self.read();
                if self.rng.chance(50) {
                    self.out.push(A::Store(m, s));
                } else {
                    let op = *self.rng.pick(&[Alu::Add, Alu::Sub, Alu::Xor, Alu::Or]);
                    self.out.push(A::AluMem(op, m, s));
                }
            }
            18 => {
                let a = self.read();
                let rax = self.use_phys("rax");
                let rdx = self.use_phys("rdx");
                self.out.push(A::Mov(R(rax.clone(), x), Src::R(R(a, x))));
                self.def(&rax);
                let s = self.read();
                self.out.push(A::Mul1 {
                    signed: self.rng.chance(50),
                    src: R(s, x),
                });
                self.def(&rdx);
            }
            19 => self.division(),
            20 | 21 if self.depth < 2 => self.forward(),
            22 | 23 if self.depth < 2 => self.looped(),
            _ => {
                let s = self.src(x);
                let d = self.dst();
                self.out.push(A::Mov(R(d, x), s));
            }
        }
    }
    fn vread_writable(&mut self) -> Reg {
        let both: Vec<Reg> = self
            .writable
            .iter()
            .filter(|r| self.defined.contains(r) && self.has_views(r))
            .cloned()
            .collect();
        if both.is_empty() {
            let d = self.vdst();
            let i = self.imm();
            self.out.push(A::Mov(R(d.clone(), W::X), Src::Imm(i)));
            return d;
        }
        let r = self.rng.pick(&both).clone();
        self.indexed(r)
    }
    /// `div`/`idiv` that can neither trap nor overflow: an odd (unsigned) or
    /// positive odd (signed) divisor, rdx zero or rax's sign.
    fn division(&mut self) {
        let x = W::X;
        let signed = self.rng.chance(50);
        let b = self.read();
        let a = self.read();
        let rax = self.use_phys("rax");
        let rdx = self.use_phys("rdx");
        let t = Reg::named(self.fresh_vreg());
        self.out.push(A::Mov(R(t.clone(), x), Src::R(R(b, x))));
        if signed {
            self.out.push(A::Shift(Sh::Shr, R(t.clone(), x), Some(1)));
        }
        self.out.push(A::Alu(Alu::Or, R(t.clone(), x), Src::Imm(1)));
        self.out.push(A::Mov(R(rax.clone(), x), Src::R(R(a, x))));
        if signed {
            self.out.push(A::Cqo);
        } else {
            self.out.push(A::Mov(R(rdx.clone(), W::W32), Src::Imm(0)));
        }
        self.out.push(A::Div1 {
            signed,
            src: R(t.clone(), x),
        });
        self.def(&t);
        self.def(&rax);
        self.def(&rdx);
    }
}

impl Draw for Gen<'_, A> {
    fn item(&mut self) {
        self.amd64_item()
    }
    fn branch(&mut self, to: String) {
        self.compare();
        self.out.push(A::Jcc(*self.rng.pick(&CONDS), to));
    }
    fn loop_end(&mut self, counter: Reg, top: String) {
        self.out.push(A::Un(Un::Dec, R(counter, W::X)));
        self.out.push(A::Jcc(Cond::Ne, top));
    }
}

// ------------------------------------------------------------------ arm64

impl Gen<'_, B> {
    fn r(&mut self, w: W) -> R {
        match w {
            W::X => R(self.read(), W::X),
            w => match self.vread() {
                Some(r) => R(r, w),
                None => R(self.read(), W::X),
            },
        }
    }
    /// A register operand at `w` (parameters have no `.w` view: 64 bits then).
    fn rw(&mut self, w: W) -> R {
        let r = self.r(w);
        if self.has_views(&r.0) {
            r
        } else {
            R(r.0, W::X)
        }
    }
    fn d(&mut self, w: W) -> R {
        match w {
            W::X => R(self.dst(), W::X),
            w => R(self.vdst(), w),
        }
    }
    fn op2(&mut self, w: W, logical: bool) -> Op2 {
        let bits = w.bits() as usize;
        match self.rng.below(5) {
            0 if !logical && !self.vars.is_empty() => {
                Op2::Ex(self.value_ex(4095).expect("a repetition index"))
            }
            0 | 1 if logical => {
                Op2::Imm(
                    *self
                        .rng
                        .pick(if w == W::X { &LIMM64[..] } else { &LIMM32[..] }),
                )
            }
            0 | 1 => Op2::Imm(self.rng.below(4096) as u64),
            2 => {
                let sh = if logical {
                    *self.rng.pick(&[Sh::Shl, Sh::Shr, Sh::Sar, Sh::Ror])
                } else {
                    *self.rng.pick(&[Sh::Shl, Sh::Shr, Sh::Sar])
                };
                let r = self.r(w);
                let w = r.1;
                Op2::R(R(r.0, w), Some((sh, self.rng.below(bits) as u8)))
            }
            _ => {
                let r = self.r(w);
                Op2::R(r, None)
            }
        }
    }
    /// A data-processing width and operands that all have it.
    fn same_width(&mut self) -> (W, R) {
        let w = self.width();
        let a = self.rw(w);
        (a.1, a)
    }
    fn compare(&mut self) {
        let (w, a) = self.same_width();
        let i = match self.rng.below(6) {
            0 => B::Tst(a, self.op2(w, true)),
            1 => B::Cmn(a, self.op2(w, false)),
            _ => B::Cmp(a, self.op2(w, false)),
        };
        self.out.push(i);
    }
    fn arm64_item(&mut self) {
        let x = W::X;
        match self.rng.below(24) {
            0 => {
                let (w, a) = self.same_width();
                let d = self.d(w);
                self.out.push(B::Mov(d, Some(a)));
            }
            1 if !self.vars.is_empty() && self.rng.chance(50) => {
                let w = self.width();
                let e = self.value_ex(0xffff).expect("a repetition index");
                let d = self.d(w);
                self.out.push(B::MovEx(d, e));
            }
            1 => {
                let w = self.width();
                let mut i = match self.rng.below(3) {
                    0 => self.rng.below(0x10000) as i64,
                    1 => -(self.rng.below(0x10000) as i64) - 1,
                    _ => *self.rng.pick(&[0i64, -1, 0xffff, -0x10000, 1]),
                };
                if self.avoid.arm64_mov_zero_or_minus_one && (i == 0 || i == -1) {
                    i = 2;
                }
                if w == W::W32 && i < 0 {
                    i = -i;
                }
                let d = self.d(w);
                self.out.push(B::MovImm(d, i));
            }
            2 => {
                let d = self.read_writable();
                let i = self.rng.next_u64() as u16;
                let s = 16 * self.rng.below(4) as u8;
                self.out.push(B::Movk(R(d, x), i, s));
            }
            3 => {
                let w = self.width();
                let d = self.d(w);
                self.out.push(B::Mov(d, None));
            }
            4..=8 => {
                let op = *self.rng.pick(&[
                    Bop::Add,
                    Bop::Sub,
                    Bop::Adds,
                    Bop::Subs,
                    Bop::And,
                    Bop::Ands,
                    Bop::Orr,
                    Bop::Eor,
                    Bop::Bic,
                ]);
                let logical = !matches!(op, Bop::Add | Bop::Sub | Bop::Adds | Bop::Subs);
                let (w, a) = self.same_width();
                let mut b = self.op2(w, logical);
                if op == Bop::Bic {
                    if let Op2::Imm(_) = b {
                        b = Op2::R(self.r(w), None);
                    }
                }
                let d = self.d(w);
                self.out.push(B::Bin(op, d, a, b));
            }
            9 | 10 => {
                let op = *self.rng.pick(&[
                    Mop::Mul,
                    Mop::Umulh,
                    Mop::Smulh,
                    Mop::Udiv,
                    Mop::Sdiv,
                    Mop::Lslv,
                    Mop::Lsrv,
                    Mop::Asrv,
                    Mop::Rorv,
                ]);
                let (w, a) = if matches!(op, Mop::Umulh | Mop::Smulh) {
                    (x, self.r(x))
                } else {
                    self.same_width()
                };
                let b = self.r(w);
                let d = self.d(w);
                self.out.push(B::Mop(op, d, a, b));
            }
            11 => {
                let (a, b, c) = (self.r(x), self.r(x), self.r(x));
                let d = self.d(x);
                self.out.push(B::Madd {
                    sub: self.rng.chance(50),
                    d,
                    a,
                    b,
                    c,
                });
            }
            12 => {
                let (w, a) = self.same_width();
                let sh = *self.rng.pick(&[Sh::Shl, Sh::Shr, Sh::Sar, Sh::Ror]);
                let n = 1 + self.rng.below(w.bits() as usize - 1) as u8;
                let d = self.d(w);
                self.out.push(B::ShiftImm(sh, d, a, n));
            }
            13 => {
                let op = *self
                    .rng
                    .pick(&[Uop::Neg, Uop::Mvn, Uop::Clz, Uop::Rbit, Uop::Rev]);
                let (w, a) = self.same_width();
                let d = self.d(w);
                self.out.push(B::Uop(op, d, a));
            }
            14 | 15 => {
                self.compare();
                let c = *self.rng.pick(&CONDS);
                let (w, a) = self.same_width();
                let b = self.r(w);
                let d = self.d(w);
                self.out.push(if self.rng.chance(70) {
                    B::Csel(c, d, a, b)
                } else {
                    B::Csinc(c, d, a, b)
                });
            }
            16 => {
                self.compare();
                let c = *self.rng.pick(&CONDS);
                let w = self.width();
                let d = self.d(w);
                self.out.push(B::Cset(c, d));
            }
            17 | 18 => {
                let Some(m) = self.mem() else { return };
                if self.rng.chance(50) {
                    let s = self.r(x);
                    self.out.push(B::Str(s, m));
                } else {
                    let d = self.d(x);
                    self.out.push(B::Ldr(d, m));
                }
            }
            19 | 20 if self.depth < 2 => self.forward(),
            21 | 22 if self.depth < 2 => self.looped(),
            _ => {
                let a = self.r(x);
                let d = self.d(x);
                self.out.push(B::Mov(d, Some(a)));
            }
        }
    }
}

impl Draw for Gen<'_, B> {
    fn item(&mut self) {
        self.arm64_item()
    }
    fn branch(&mut self, to: String) {
        if self.rng.chance(33) {
            let w = x_or_w(self.rng.chance(80));
            let a = self.rw(w);
            self.out.push(if self.rng.chance(50) {
                B::Cbz(a, to)
            } else {
                B::Cbnz(a, to)
            });
        } else {
            self.compare();
            self.out.push(B::Bcond(*self.rng.pick(&CONDS), to));
        }
    }
    fn loop_end(&mut self, n: Reg, top: String) {
        let x = W::X;
        let flags = self.rng.chance(50);
        let op = if flags { Bop::Subs } else { Bop::Sub };
        self.out
            .push(B::Bin(op, R(n.clone(), x), R(n.clone(), x), Op2::Imm(1)));
        self.out.push(if flags {
            B::Bcond(Cond::Ne, top)
        } else {
            B::Cbnz(R(n, x), top)
        });
    }
}

fn x_or_w(x: bool) -> W {
    if x {
        W::X
    } else {
        W::W32
    }
}

/// Draws the parameters of a function: 0 to 6 integers, slices (of 1, 2, 4 or
/// 8 elements) and pointers, with register-like names.
fn draw_params(rng: &mut Rng) -> Vec<Param> {
    let mut names: Vec<&str> = REGISTER_LIKE.to_vec();
    let mut params = Vec::new();
    for _ in 0..rng.below(7) {
        let i = rng.below(names.len());
        let name = names.remove(i).to_string();
        let ty = match rng.below(8) {
            0 | 1 => PTy::Slice(*rng.pick(&[1usize, 2, 4, 8])),
            2 => PTy::Ptr,
            _ => PTy::Int(*rng.pick(&INTS)),
        };
        params.push(Param { name, ty });
    }
    params
}

/// Draws one function for `arch`.
pub fn draw(rng: &mut Rng, arch: Arch, name: String, avoid: Avoid) -> Func {
    let params = draw_params(rng);
    let items = 4 + rng.below(28);
    let (body, vregs, arrays, locals, results) = match arch {
        Arch::Amd64 => {
            let mut g: Gen<A> = Gen::new(rng, &params, &AMD64_PHYS, avoid);
            let results = g.body(items, &AMD64_RESULTS, arch);
            (Body::Amd64(g.out), g.vregs, g.arrays, g.locals, results)
        }
        Arch::Arm64 => {
            let mut g: Gen<B> = Gen::new(rng, &params, &ARM64_PHYS, avoid);
            let results = g.body(items, &ARM64_RESULTS, arch);
            (Body::Arm64(g.out), g.vregs, g.arrays, g.locals, results)
        }
    };
    Func {
        name,
        params,
        vregs,
        arrays,
        locals,
        body,
        results,
    }
}

/// The lines the architecture-neutral parts of the generator write.
trait Line: Sized {
    fn mov_imm(d: Reg, i: i64) -> Self;
    fn mov(d: Reg, s: Reg) -> Self;
    fn xor(acc: Reg, v: Reg) -> Self;
    fn label(l: String) -> Self;
    fn jump(l: String) -> Self;
    /// `t = src & mask`.
    fn and_imm(t: Reg, src: Reg, mask: u64) -> Vec<Self>;
    /// `d = e` (an expression of the repetition indexes, 0..=65535).
    fn mov_ex(d: Reg, e: Ex) -> Self;
    /// `[m] = s`
    fn store(m: Mem, s: Reg) -> Self;
    /// `acc ^= [m]` (through `t` where the architecture needs a register).
    fn xor_mem(acc: Reg, m: Mem, t: Reg) -> Vec<Self>;
    fn repeat(var: String, lo: i64, hi: i64, body: Vec<Self>) -> Self;
    /// `d = local's address & (align - 1)`.
    fn align_of(d: Reg, local: usize) -> Self;
}

impl Line for A {
    fn mov_imm(d: Reg, i: i64) -> Self {
        A::Mov(R(d, W::X), Src::Imm(i))
    }
    fn mov(d: Reg, s: Reg) -> Self {
        A::Mov(R(d, W::X), Src::R(R(s, W::X)))
    }
    fn xor(acc: Reg, v: Reg) -> Self {
        A::Alu(Alu::Xor, R(acc, W::X), Src::R(R(v, W::X)))
    }
    fn label(l: String) -> Self {
        A::Label(l)
    }
    fn jump(l: String) -> Self {
        A::Jmp(l)
    }
    fn and_imm(t: Reg, src: Reg, mask: u64) -> Vec<Self> {
        let t = R(t, W::X);
        vec![
            A::Mov(t.clone(), Src::R(R(src, W::X))),
            A::Alu(Alu::And, t, Src::Imm(mask as i64)),
        ]
    }
    fn mov_ex(d: Reg, e: Ex) -> Self {
        A::Mov(R(d, W::X), Src::Ex(e))
    }
    fn store(m: Mem, s: Reg) -> Self {
        A::Store(m, s)
    }
    fn xor_mem(acc: Reg, m: Mem, _t: Reg) -> Vec<Self> {
        vec![A::Alu(Alu::Xor, R(acc, W::X), Src::M(m))]
    }
    fn repeat(var: String, lo: i64, hi: i64, body: Vec<Self>) -> Self {
        A::For { var, lo, hi, body }
    }
    fn align_of(d: Reg, local: usize) -> Self {
        A::AlignOf(R(d, W::X), local)
    }
}

impl Line for B {
    fn mov_imm(d: Reg, i: i64) -> Self {
        B::MovImm(R(d, W::X), i)
    }
    fn mov(d: Reg, s: Reg) -> Self {
        B::Mov(R(d, W::X), Some(R(s, W::X)))
    }
    fn xor(acc: Reg, v: Reg) -> Self {
        let x = W::X;
        B::Bin(
            Bop::Eor,
            R(acc.clone(), x),
            R(acc, x),
            Op2::R(R(v, x), None),
        )
    }
    fn label(l: String) -> Self {
        B::Label(l)
    }
    fn jump(l: String) -> Self {
        B::B(l)
    }
    fn and_imm(t: Reg, src: Reg, mask: u64) -> Vec<Self> {
        vec![B::Bin(Bop::And, R(t, W::X), R(src, W::X), Op2::Imm(mask))]
    }
    fn mov_ex(d: Reg, e: Ex) -> Self {
        B::MovEx(R(d, W::X), e)
    }
    fn store(m: Mem, s: Reg) -> Self {
        B::Str(R(s, W::X), m)
    }
    fn xor_mem(acc: Reg, m: Mem, t: Reg) -> Vec<Self> {
        let x = W::X;
        vec![
            B::Ldr(R(t.clone(), x), m),
            B::Bin(
                Bop::Eor,
                R(acc.clone(), x),
                R(acc, x),
                Op2::R(R(t, x), None),
            ),
        ]
    }
    fn repeat(var: String, lo: i64, hi: i64, body: Vec<Self>) -> Self {
        B::For { var, lo, hi, body }
    }
    fn align_of(d: Reg, local: usize) -> Self {
        B::AlignOf(R(d, W::X), local)
    }
}

/// What each architecture's generator draws itself.
trait Draw {
    fn item(&mut self);
    /// A conditional branch to `to` (with the compare it reads).
    fn branch(&mut self, to: String);
    /// A loop's end: decrement `counter`, back to `top` while it is not zero.
    fn loop_end(&mut self, counter: Reg, top: String);
}

impl<I: Line> Gen<'_, I>
where
    Self: Draw,
{
    /// The whole body: prologue, `items` items, the fold, the result moves;
    /// the returned registers.
    fn body(&mut self, items: usize, result_regs: &[&str], arch: Arch) -> Vec<Reg> {
        self.prologue();
        for _ in 0..items {
            if self.rng.chance(12) {
                self.repetition();
            } else if !self.locals.is_empty() && self.rng.chance(4) {
                let l = self.rng.below(self.locals.len());
                let d = self.dst();
                self.out.push(I::align_of(d, l));
            } else {
                self.item();
            }
        }
        self.fold();
        let folded = self.fold_locals();
        let (mut results, setup) = self.results(result_regs, arch);
        for (d, s) in setup {
            self.out.push(I::mov(d, s));
        }
        if let Some(acc) = folded {
            if !results.contains(&acc) && results.len() < 4 {
                results.push(acc);
            }
        }
        results
    }
    /// `for v in lo..hi { .. }` of one to four items (nested at most twice).
    fn repetition(&mut self) {
        if self.vars.len() >= 2 || self.depth >= 2 {
            return self.item();
        }
        let var = ["i", "j"][self.vars.len()].to_string();
        let lo = self.rng.below(3) as i64;
        let hi = lo + 1 + self.rng.below(3) as i64;
        let outer = std::mem::take(&mut self.out);
        self.vars.push((var.clone(), lo, hi));
        self.depth += 1;
        for _ in 0..1 + self.rng.below(4) {
            if self.rng.chance(15) {
                self.repetition();
            } else {
                self.item();
            }
        }
        self.depth -= 1;
        self.vars.pop();
        let body = std::mem::replace(&mut self.out, outer);
        self.out.push(I::repeat(var, lo, hi, body));
    }
    /// Xors every element of every stack local into one virtual register (so
    /// what was stored there is observed); that register.
    fn fold_locals(&mut self) -> Option<Reg> {
        if self.locals.is_empty() {
            return None;
        }
        let acc = Reg::named(self.fresh_vreg());
        let t = Reg::named(self.fresh_vreg());
        self.out.push(I::mov_imm(acc.clone(), 0x5bd1));
        for l in 0..self.locals.len() {
            let n = self.locals[l].elems;
            let disp = Ex::Mul(Box::new(Ex::lit(8)), Box::new(Ex::Var("i".into())));
            let m = Mem {
                base: Base::Local(l),
                index: None,
                disp,
            };
            let body = I::xor_mem(acc.clone(), m, t.clone());
            self.out.push(I::repeat("i".into(), 0, n as i64, body));
        }
        // `t` (arm64's load temporary) is not counted as holding a value: amd64
        // does not write it.
        self.def(&acc);
        Some(acc)
    }
    /// A memory operand in bounds: a constant element (inside a repetition, one
    /// its index picks), or a register masked to the length (a power of two), of
    /// a parameter's buffer or a stack local.
    fn mem(&mut self) -> Option<Mem> {
        let mut ms: Vec<(Base, usize)> = self
            .mem_params()
            .into_iter()
            .map(|(p, n)| (Base::Param(p), n))
            .collect();
        ms.extend(
            self.locals
                .iter()
                .enumerate()
                .map(|(l, local)| (Base::Local(l), local.elems)),
        );
        if ms.is_empty() {
            return None;
        }
        let (base, n) = *self.rng.pick(&ms);
        if n > 1 && self.rng.chance(50) {
            let src = self.read();
            let t = self.vdst();
            self.out.extend(I::and_imm(t.clone(), src, n as u64 - 1));
            return Some(Mem {
                base,
                index: Some(t),
                disp: Ex::lit(0),
            });
        }
        let disp = match self.index_ex(n) {
            Ex::Lit(k) => Ex::lit(8 * k),
            e => Ex::Mul(Box::new(Ex::lit(8)), Box::new(e)),
        };
        Some(Mem {
            base,
            index: None,
            disp,
        })
    }
    /// Defined registers the body may write.
    fn defined_writable(&self) -> Vec<Reg> {
        self.writable
            .iter()
            .filter(|r| self.defined.contains(r))
            .cloned()
            .collect()
    }
    /// A defined, writable register (read-modify-write destinations).
    fn read_writable(&mut self) -> Reg {
        let both = self.defined_writable();
        if both.is_empty() {
            let d = self.dst();
            let i = 1 + self.rng.below(1000) as i64;
            self.out.push(I::mov_imm(d.clone(), i));
            return d;
        }
        let r = self.rng.pick(&both).clone();
        self.indexed(r)
    }
    fn fresh_vreg(&mut self) -> String {
        let name = format!("{}_{}", self.rng.pick(&REGISTER_LIKE), self.vregs.len());
        self.vregs.push(name.clone());
        self.writable.push(Reg::named(&name));
        name
    }
    fn block(&mut self) {
        self.depth += 1;
        for _ in 0..1 + self.rng.below(5) {
            self.item();
        }
        self.depth -= 1;
    }
    /// A branch over a block, sometimes with a jump over a second block (what
    /// skipped lines define stays undefined after the label).
    fn forward(&mut self) {
        let l = self.label("skip");
        self.branch(l.clone());
        let defined = self.defined.clone();
        self.block();
        if self.rng.chance(20) {
            let l2 = self.label("over");
            self.out.push(I::jump(l2.clone()));
            self.block();
            self.out.push(I::label(l2));
        }
        self.out.push(I::label(l));
        self.defined = defined;
    }
    /// A loop of 1 to 4 trips on a counter the body cannot write.
    fn looped(&mut self) {
        let n = Reg::named(self.fresh_vreg());
        self.writable.retain(|r| *r != n);
        let trips = 1 + self.rng.below(4) as i64;
        self.out.push(I::mov_imm(n.clone(), trips));
        let l = self.label("top");
        self.out.push(I::label(l.clone()));
        self.block();
        self.loop_end(n.clone(), l);
        self.def(&n);
    }
    /// Now and then, folds every defined register into one at the end: all
    /// of them are live across the whole body, so the allocator must spill
    /// when they outnumber the registers.
    fn fold(&mut self) {
        let both = self.defined_writable();
        if both.is_empty() || !self.rng.chance(40) {
            return;
        }
        let acc = self.rng.pick(&both).clone();
        for v in self.defined.clone() {
            if v != acc {
                self.out.push(I::xor(acc.clone(), v));
            }
        }
    }
    /// Defines some virtual registers up front: values live across the whole
    /// body; then writes every register array and stack local whole (by
    /// repetitions whose values depend on the index).
    fn prologue(&mut self) {
        let vregs: Vec<String> = self.vregs.clone();
        for v in vregs {
            if self.rng.chance(60) || self.defined.is_empty() {
                let r = Reg::named(&v);
                let i = 1 + self.rng.below(1000) as i64;
                self.out.push(I::mov_imm(r.clone(), i));
                self.def(&r);
            }
        }
        for (name, n) in self.arrays.clone() {
            self.vars.push(("i".into(), 0, n as i64));
            let e = self.value_ex(60_000).expect("in a repetition");
            self.vars.pop();
            let element = Reg::element(&name, Ex::Var("i".into()));
            self.out.push(I::repeat(
                "i".into(),
                0,
                n as i64,
                vec![I::mov_ex(element, e)],
            ));
            for k in 0..n {
                self.def(&Reg::element(&name, Ex::lit(k as i64)));
            }
        }
        for l in 0..self.locals.len() {
            let n = self.locals[l].elems as i64;
            self.vars.push(("i".into(), 0, n));
            let e = self.value_ex(60_000).expect("in a repetition");
            self.vars.pop();
            let t = self.vdst();
            let m = Mem {
                base: Base::Local(l),
                index: None,
                disp: Ex::Mul(Box::new(Ex::lit(8)), Box::new(Ex::Var("i".into()))),
            };
            let body = vec![I::mov_ex(t.clone(), e), I::store(m, t)];
            self.out.push(I::repeat("i".into(), 0, n, body));
        }
    }
}
