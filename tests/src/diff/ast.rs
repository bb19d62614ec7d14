//! The differential checker's programs: one function of one architecture, as a
//! list of DSL lines, each an instruction of the subset the generator draws, or a
//! compile-time repetition (`for i in a..b { .. }`) of such lines. Registers may
//! be elements of register arrays (`acc[(i + 1) % 4]`), memory may be a stack
//! local (`qword [w + 8 * i]`), and immediates and displacements may depend on
//! the repetitions' indexes. The text the compiler reads is rendered from this
//! tree, and the reference interpreter (`interp.rs`) runs the same tree.

use go_asm_build::Arch;
use std::fmt::Write as _;

/// A constant expression over the indexes of the enclosing repetitions.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ex {
    Lit(i64),
    Var(String),
    Add(Box<Ex>, Box<Ex>),
    Mul(Box<Ex>, Box<Ex>),
    /// Remainder (the operands are never negative).
    Rem(Box<Ex>, Box<Ex>),
}

impl Ex {
    pub fn lit(v: i64) -> Ex {
        Ex::Lit(v)
    }
    /// DSL text, every operation parenthesized.
    pub fn render(&self) -> String {
        match self {
            Ex::Lit(v) if *v < 0 => format!("(0 - {})", v.unsigned_abs()),
            Ex::Lit(v) => v.to_string(),
            Ex::Var(n) => n.clone(),
            Ex::Add(a, b) => format!("({} + {})", a.render(), b.render()),
            Ex::Mul(a, b) => format!("({} * {})", a.render(), b.render()),
            Ex::Rem(a, b) => format!("({} % {})", a.render(), b.render()),
        }
    }
    /// The literal, if the expression is one.
    pub fn as_lit(&self) -> Option<i64> {
        match self {
            Ex::Lit(v) => Some(*v),
            _ => None,
        }
    }
}

/// A register as written: physical (its 64-bit name: `rax`, `x3`), a name the
/// function declares (a virtual register, a scalar parameter, `xs.len`), or an
/// element of a register array (`name[index]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg {
    pub name: String,
    pub phys: bool,
    pub index: Option<Ex>,
}

impl Reg {
    pub fn phys(name: &str) -> Reg {
        Reg {
            name: name.into(),
            phys: true,
            index: None,
        }
    }
    pub fn named(name: impl Into<String>) -> Reg {
        Reg {
            name: name.into(),
            phys: false,
            index: None,
        }
    }
    pub fn element(array: &str, index: Ex) -> Reg {
        Reg {
            name: array.into(),
            phys: false,
            index: Some(index),
        }
    }
    /// The register's DSL text at its full width.
    pub fn text(&self) -> String {
        match &self.index {
            Some(i) => format!("{}[{}]", self.name, i.render()),
            None => self.name.clone(),
        }
    }
}

/// Operand widths: 64 bits, the 32-bit view, the low byte (amd64 `setcc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum W {
    X,
    W32,
    B8,
}

impl W {
    pub fn bits(self) -> u32 {
        match self {
            W::X => 64,
            W::W32 => 32,
            W::B8 => 8,
        }
    }
    pub fn mask(self) -> u64 {
        match self {
            W::X => u64::MAX,
            W::W32 => 0xffff_ffff,
            W::B8 => 0xff,
        }
    }
}

/// A register at a width.
#[derive(Clone, Debug, PartialEq)]
pub struct R(pub Reg, pub W);

/// Conditions, spelled per architecture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cond {
    Eq,
    Ne,
    Lt,
    Ge,
    Le,
    Gt,
    Lo,
    Hs,
    Ls,
    Hi,
    Mi,
    Pl,
}

pub const CONDS: [Cond; 12] = [
    Cond::Eq,
    Cond::Ne,
    Cond::Lt,
    Cond::Ge,
    Cond::Le,
    Cond::Gt,
    Cond::Lo,
    Cond::Hs,
    Cond::Ls,
    Cond::Hi,
    Cond::Mi,
    Cond::Pl,
];

impl Cond {
    fn amd64(self) -> &'static str {
        match self {
            Cond::Eq => "e",
            Cond::Ne => "ne",
            Cond::Lt => "l",
            Cond::Ge => "ge",
            Cond::Le => "le",
            Cond::Gt => "g",
            Cond::Lo => "b",
            Cond::Hs => "ae",
            Cond::Ls => "be",
            Cond::Hi => "a",
            Cond::Mi => "s",
            Cond::Pl => "ns",
        }
    }
    fn arm64(self) -> &'static str {
        match self {
            Cond::Eq => "eq",
            Cond::Ne => "ne",
            Cond::Lt => "lt",
            Cond::Ge => "ge",
            Cond::Le => "le",
            Cond::Gt => "gt",
            Cond::Lo => "lo",
            Cond::Hs => "hs",
            Cond::Ls => "ls",
            Cond::Hi => "hi",
            Cond::Mi => "mi",
            Cond::Pl => "pl",
        }
    }
}

/// What a memory operand addresses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Base {
    /// The buffer of slice or pointer parameter `n`.
    Param(usize),
    /// Stack local `n` of the function (`Func::locals`).
    Local(usize),
}

/// A memory operand: 8-byte element `index` (a register scaled by 8, or none) plus
/// `disp` bytes, from the start of a parameter's buffer or of a stack local.
#[derive(Clone, Debug, PartialEq)]
pub struct Mem {
    pub base: Base,
    pub index: Option<Reg>,
    pub disp: Ex,
}

/// A stack local: `elems` 8-byte elements aligned to `align`.
#[derive(Clone, Debug, PartialEq)]
pub struct Local {
    pub name: String,
    pub elems: usize,
    pub align: u32,
}

/// The names memory bases are written with.
pub struct Names<'a> {
    pub params: &'a [super::Param],
    pub locals: &'a [Local],
}

impl Names<'_> {
    fn base(&self, b: Base) -> String {
        match b {
            Base::Param(p) => self.params[p].base(),
            Base::Local(l) => self.locals[l].name.clone(),
        }
    }
}

/// A source operand.
#[derive(Clone, Debug, PartialEq)]
pub enum Src {
    R(R),
    Imm(i64),
    /// An immediate depending on the repetitions' indexes.
    Ex(Ex),
    M(Mem),
}

// ------------------------------------------------------------------ amd64

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Alu {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Cmp,
    Test,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Un {
    Neg,
    Not,
    Inc,
    Dec,
    Bswap,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sh {
    Shl,
    Shr,
    Sar,
    Rol,
    Ror,
}

/// One amd64 line.
#[derive(Clone, Debug, PartialEq)]
pub enum A {
    Label(String),
    Mov(R, Src),
    /// `mov qword [m], r`
    Store(Mem, Reg),
    Alu(Alu, R, Src),
    /// `add qword [m], r` (read-modify-write memory)
    AluMem(Alu, Mem, Reg),
    Imul2(R, Src),
    Imul3(R, R, i32),
    /// `mul r` / `imul r`: rdx:rax = rax * r
    Mul1 {
        signed: bool,
        src: R,
    },
    /// `div r` / `idiv r`: rax, rdx = rdx:rax / r, rdx:rax % r
    Div1 {
        signed: bool,
        src: R,
    },
    Cqo,
    Un(Un, R),
    /// By an immediate, or by `cl` when `None`.
    Shift(Sh, R, Option<u8>),
    Cmov(Cond, R, R),
    Setcc(Cond, R),
    /// `movzx d.32, s.8`
    Movzx(R, R),
    Lea {
        dst: R,
        base: Reg,
        index: Option<(Reg, u8)>,
        disp: i32,
    },
    Xchg(R, R),
    Jcc(Cond, String),
    Jmp(String),
    /// `lea d, [local]; and d, align - 1`: zero when the local is aligned.
    AlignOf(R, usize),
    /// `for var in lo..hi { body }`
    For {
        var: String,
        lo: i64,
        hi: i64,
        body: Vec<A>,
    },
}

fn amd64_reg(r: &R) -> String {
    if !r.0.phys {
        return match r.1 {
            W::X => r.0.text(),
            w => format!("{}.{}", r.0.text(), w.bits()),
        };
    }
    let n = r.0.name.as_str();
    if r.1 == W::X {
        return n.into();
    }
    if let Some(num) = n.strip_prefix('r').filter(|s| s.parse::<u8>().is_ok()) {
        return format!("r{num}{}", if r.1 == W::W32 { "d" } else { "b" });
    }
    let stem = &n[1..]; // ax, cx, si...
    match (r.1, stem) {
        (W::W32, _) => format!("e{stem}"),
        (_, "si" | "di") => format!("{stem}l"),
        _ => format!("{}l", &stem[..1]),
    }
}

fn amd64_mem(m: &Mem, names: &Names) -> String {
    let mut s = format!("qword [{}", names.base(m.base));
    if let Some(i) = &m.index {
        let _ = write!(s, " + {}*8", i.text());
    }
    match m.disp.as_lit() {
        Some(0) => {}
        Some(d) => {
            let _ = write!(s, " + {d}");
        }
        None => {
            let _ = write!(s, " + {}", m.disp.render());
        }
    }
    s + "]"
}

fn amd64_src(s: &Src, names: &Names) -> String {
    match s {
        Src::R(r) => amd64_reg(r),
        Src::Imm(i) => i.to_string(),
        Src::Ex(e) => e.render(),
        Src::M(m) => amd64_mem(m, names),
    }
}

/// The lines of a repetition's body, indented under its `for` line.
fn repeat(var: &str, lo: i64, hi: i64, body: Vec<String>) -> String {
    let mut s = format!("for {var} in {lo}..{hi} {{");
    for l in body {
        for line in l.lines() {
            s.push_str("\n    ");
            s.push_str(line);
        }
    }
    s + "\n}"
}

impl A {
    pub fn render(&self, names: &Names) -> String {
        let r = amd64_reg;
        let src = |s: &Src| amd64_src(s, names);
        let mem = |m: &Mem| amd64_mem(m, names);
        match self {
            A::Label(l) => format!("{l}:"),
            A::Mov(d, s) => format!("mov {}, {}", r(d), src(s)),
            A::Store(m, s) => format!("mov {}, {}", mem(m), s.text()),
            A::Alu(op, d, s) => format!("{} {}, {}", alu_name(*op), r(d), src(s)),
            A::AluMem(op, m, s) => format!("{} {}, {}", alu_name(*op), mem(m), s.text()),
            A::Imul2(d, s) => format!("imul {}, {}", r(d), src(s)),
            A::Imul3(d, a, i) => format!("imul {}, {}, {i}", r(d), r(a)),
            A::Mul1 { signed, src } => {
                format!("{} {}", if *signed { "imul" } else { "mul" }, r(src))
            }
            A::Div1 { signed, src } => {
                format!("{} {}", if *signed { "idiv" } else { "div" }, r(src))
            }
            A::Cqo => "cqo".into(),
            A::Un(op, d) => format!("{} {}", format!("{op:?}").to_lowercase(), r(d)),
            A::Shift(op, d, by) => format!(
                "{} {}, {}",
                format!("{op:?}").to_lowercase(),
                r(d),
                by.map(|n| n.to_string()).unwrap_or_else(|| "cl".into())
            ),
            A::Cmov(c, d, s) => format!("cmov{} {}, {}", c.amd64(), r(d), r(s)),
            A::Setcc(c, d) => format!("set{} {}", c.amd64(), r(d)),
            A::Movzx(d, s) => format!("movzx {}, {}", r(d), r(s)),
            A::Lea {
                dst,
                base,
                index,
                disp,
            } => {
                let mut s = format!("lea {}, [{}", r(dst), base.text());
                if let Some((i, k)) = index {
                    let _ = write!(s, " + {}*{k}", i.text());
                }
                if *disp != 0 {
                    let _ = write!(s, " + {disp}");
                }
                s + "]"
            }
            A::Xchg(a, b) => format!("xchg {}, {}", r(a), r(b)),
            A::Jcc(c, l) => format!("j{} {l}", c.amd64()),
            A::Jmp(l) => format!("jmp {l}"),
            A::AlignOf(d, l) => {
                let local = &names.locals[*l];
                format!(
                    "lea {}, [{}]; and {}, {}",
                    r(d),
                    local.name,
                    r(d),
                    local.align - 1
                )
            }
            A::For { var, lo, hi, body } => repeat(
                var,
                *lo,
                *hi,
                body.iter().map(|i| i.render(names)).collect(),
            ),
        }
    }
}

fn alu_name(op: Alu) -> String {
    format!("{op:?}").to_lowercase()
}

// ------------------------------------------------------------------ arm64

/// The second operand of a data-processing instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum Op2 {
    /// A register, optionally shifted by an immediate (`lsl lsr asr`, and `ror`
    /// for the logical instructions).
    R(R, Option<(Sh, u8)>),
    Imm(u64),
    /// An arithmetic immediate (0..=4095 in every iteration) depending on the
    /// repetitions' indexes.
    Ex(Ex),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bop {
    Add,
    Adds,
    Sub,
    Subs,
    And,
    Ands,
    Orr,
    Eor,
    Bic,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mop {
    Mul,
    Umulh,
    Smulh,
    Udiv,
    Sdiv,
    /// Variable shifts (`lsl x, y, z` is lslv).
    Lslv,
    Lsrv,
    Asrv,
    Rorv,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Uop {
    Neg,
    Mvn,
    Clz,
    Rbit,
    Rev,
}

/// One arm64 line.
#[derive(Clone, Debug, PartialEq)]
pub enum B {
    Label(String),
    /// `mov d, s` (register, `xzr` as `None`) or `mov d, #imm`
    Mov(R, Option<R>),
    MovImm(R, i64),
    /// `movk d, #imm, lsl #shift`
    Movk(R, u16, u8),
    Bin(Bop, R, R, Op2),
    Cmp(R, Op2),
    Cmn(R, Op2),
    Tst(R, Op2),
    Mop(Mop, R, R, R),
    /// `madd`/`msub d, a, b, c`: c +/- a*b
    Madd {
        sub: bool,
        d: R,
        a: R,
        b: R,
        c: R,
    },
    /// `lsl lsr asr ror d, a, #n`
    ShiftImm(Sh, R, R, u8),
    Uop(Uop, R, R),
    Csel(Cond, R, R, R),
    Csinc(Cond, R, R, R),
    Cset(Cond, R),
    Ldr(R, Mem),
    Str(R, Mem),
    Bcond(Cond, String),
    B(String),
    Cbz(R, String),
    Cbnz(R, String),
    /// `mov d, #ex`: 0..=65535 in every iteration.
    MovEx(R, Ex),
    /// `adr d, local; and d, d, #align - 1`: zero when the local is aligned.
    AlignOf(R, usize),
    /// `for var in lo..hi { body }`
    For {
        var: String,
        lo: i64,
        hi: i64,
        body: Vec<B>,
    },
}

fn arm64_reg(r: &R) -> String {
    match (r.0.phys, r.1) {
        (true, W::X) => r.0.name.clone(),
        (true, _) => format!("w{}", &r.0.name[1..]),
        (false, W::X) => r.0.text(),
        (false, _) => format!("{}.w", r.0.text()),
    }
}

fn arm64_op2(o: &Op2) -> String {
    match o {
        Op2::R(r, None) => arm64_reg(r),
        Op2::R(r, Some((sh, n))) => {
            format!("{}, {} #{n}", arm64_reg(r), arm64_shift(*sh))
        }
        Op2::Imm(i) => format!("#{i:#x}"),
        Op2::Ex(e) => format!("#{}", e.render()),
    }
}

fn arm64_shift(sh: Sh) -> &'static str {
    match sh {
        Sh::Shl => "lsl",
        Sh::Shr => "lsr",
        Sh::Sar => "asr",
        Sh::Ror => "ror",
        Sh::Rol => unreachable!("arm64 has no rotate left"),
    }
}

fn arm64_mem(m: &Mem, names: &Names) -> String {
    let base = names.base(m.base);
    match (&m.index, m.disp.as_lit()) {
        (Some(i), _) => format!("[{base}, {}, lsl #3]", i.text()),
        (None, Some(0)) => format!("[{base}]"),
        (None, Some(d)) => format!("[{base}, #{d}]"),
        (None, None) => format!("[{base}, #{}]", m.disp.render()),
    }
}

impl B {
    pub fn render(&self, names: &Names) -> String {
        let r = arm64_reg;
        let lower = |x: String| x.to_lowercase();
        match self {
            B::Label(l) => format!("{l}:"),
            B::Mov(d, Some(s)) => format!("mov {}, {}", r(d), r(s)),
            B::Mov(d, None) => format!("mov {}, {}", r(d), if d.1 == W::X { "xzr" } else { "wzr" }),
            B::MovImm(d, i) => format!("mov {}, #{i}", r(d)),
            B::Movk(d, i, s) => format!("movk {}, #{i:#x}, lsl #{s}", r(d)),
            B::Bin(op, d, a, b) => format!(
                "{} {}, {}, {}",
                lower(format!("{op:?}")),
                r(d),
                r(a),
                arm64_op2(b)
            ),
            B::Cmp(a, b) => format!("cmp {}, {}", r(a), arm64_op2(b)),
            B::Cmn(a, b) => format!("cmn {}, {}", r(a), arm64_op2(b)),
            B::Tst(a, b) => format!("tst {}, {}", r(a), arm64_op2(b)),
            B::Mop(op, d, a, b) => {
                let name = match op {
                    Mop::Lslv => "lsl".to_string(),
                    Mop::Lsrv => "lsr".into(),
                    Mop::Asrv => "asr".into(),
                    Mop::Rorv => "ror".into(),
                    op => lower(format!("{op:?}")),
                };
                format!("{name} {}, {}, {}", r(d), r(a), r(b))
            }
            B::Madd { sub, d, a, b, c } => format!(
                "{} {}, {}, {}, {}",
                if *sub { "msub" } else { "madd" },
                r(d),
                r(a),
                r(b),
                r(c)
            ),
            B::ShiftImm(sh, d, a, n) => {
                format!("{} {}, {}, #{n}", arm64_shift(*sh), r(d), r(a))
            }
            B::Uop(op, d, a) => format!("{} {}, {}", lower(format!("{op:?}")), r(d), r(a)),
            B::Csel(c, d, a, b) => format!("csel {}, {}, {}, {}", r(d), r(a), r(b), c.arm64()),
            B::Csinc(c, d, a, b) => {
                format!("csinc {}, {}, {}, {}", r(d), r(a), r(b), c.arm64())
            }
            B::Cset(c, d) => format!("cset {}, {}", r(d), c.arm64()),
            B::Ldr(d, m) => format!("ldr {}, {}", r(d), arm64_mem(m, names)),
            B::Str(s, m) => format!("str {}, {}", r(s), arm64_mem(m, names)),
            B::Bcond(c, l) => format!("b.{} {l}", c.arm64()),
            B::B(l) => format!("b {l}"),
            B::Cbz(a, l) => format!("cbz {}, {l}", r(a)),
            B::Cbnz(a, l) => format!("cbnz {}, {l}", r(a)),
            B::MovEx(d, e) => format!("mov {}, #{}", r(d), e.render()),
            B::AlignOf(d, l) => {
                let local = &names.locals[*l];
                format!(
                    "adr {}, {}; and {}, {}, #{}",
                    r(d),
                    local.name,
                    r(d),
                    r(d),
                    local.align - 1
                )
            }
            B::For { var, lo, hi, body } => repeat(
                var,
                *lo,
                *hi,
                body.iter().map(|i| i.render(names)).collect(),
            ),
        }
    }
}

/// A body of either architecture.
#[derive(Clone, Debug)]
pub enum Body {
    Amd64(Vec<A>),
    Arm64(Vec<B>),
}

impl Body {
    pub fn arch(&self) -> Arch {
        match self {
            Body::Amd64(_) => Arch::Amd64,
            Body::Arm64(_) => Arch::Arm64,
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Body::Amd64(b) => b.len(),
            Body::Arm64(b) => b.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The body without lines `from..to`.
    pub fn without(&self, from: usize, to: usize) -> Body {
        fn cut<T: Clone>(v: &[T], from: usize, to: usize) -> Vec<T> {
            v[..from].iter().chain(&v[to..]).cloned().collect()
        }
        match self {
            Body::Amd64(b) => Body::Amd64(cut(b, from, to)),
            Body::Arm64(b) => Body::Arm64(cut(b, from, to)),
        }
    }
    pub fn lines(&self, names: &Names) -> Vec<String> {
        match self {
            Body::Amd64(b) => b.iter().map(|i| i.render(names)).collect(),
            Body::Arm64(b) => b.iter().map(|i| i.render(names)).collect(),
        }
    }
    /// Instructions as written (not labels; a repetition's body once, `AlignOf`
    /// as its two).
    pub fn instructions(&self) -> usize {
        fn a(b: &[A]) -> usize {
            b.iter()
                .map(|i| match i {
                    A::Label(_) => 0,
                    A::AlignOf(..) => 2,
                    A::For { body, .. } => a(body),
                    _ => 1,
                })
                .sum()
        }
        fn b(v: &[B]) -> usize {
            v.iter()
                .map(|i| match i {
                    B::Label(_) => 0,
                    B::AlignOf(..) => 2,
                    B::For { body, .. } => b(body),
                    _ => 1,
                })
                .sum()
        }
        match self {
            Body::Amd64(v) => a(v),
            Body::Arm64(v) => b(v),
        }
    }
}
