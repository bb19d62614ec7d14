//! The instruction forms go-asm accepts on arm64, as data: one row per form with
//! its mnemonic, its operand pattern (which also says where each operand's bits go)
//! and its fixed bits, plus the Go assembler spelling when Go has one.
//!
//! Pattern language (one item per operand, `?` marks an optional trailing operand):
//!
//! - `Xd Wn Rm` general registers; the letter after the width is the field
//!   (`d`=bit 0, `n`=5, `m`=16, `a`=10, `t`=0, `t2`=10, `s`=16, `nm`=both n and m).
//!   `R` rows are expanded into a `W` row and an `X` row (bit 31 and `xbits` set).
//!   A trailing `SP` accepts `sp` instead of the zero register.
//! - `Bd Hd Sd Dd Qd` scalar SIMD&FP registers; `Fd` is `S` or `D`, with the type
//!   at bit 22; `Ed` / `E+d` is the scalar of the row's element size (or twice it).
//! - `Vd.<arr>`: vector registers. `<arr>` is a fixed arrangement (`16b`, `2d`, ...)
//!   or a set of element sizes (`bhs`, `sd`, ...) followed by flags after `:`:
//!   `t` size at bit 10 instead of 22, `q` only Q is encoded, `f` float size at 22,
//!   `i` immh at bit 19, `5` imm5 at 16, `n` nothing encoded, `l`/`h` the 64-bit or
//!   128-bit half only, `x` no `2s`, `D` also `1d`. All sets in a row share one
//!   arrangement T; `+` is T with twice the element size (128-bit), `+=` keeps T's Q.
//! - `Vn.bhsd[5]` lanes: index in imm5 at 16 (`5`), imm4 at 11 (`4`), or H:L:M (`e`).
//! - `{2}t.bhsd:t`: a list of 2 consecutive registers at field t; `{2}t.bhsd[l]`
//!   the same lane of each (`{v0.s, v1.s}[1]`), the index in Q:S:size.
//! - `#aimm` add/sub immediate, `#limm` logical immediate, `#mimm` 16-bit move
//!   immediate, `#u:N@P` unsigned N bits at P, `#w@P` shift amount below the width,
//!   `#shl`/`#shr` vector shifts, `#lsl #lsr #asr` bitfield aliases, `#bfw` `#izl`
//!   `#izw` bitfield lsb/width, `#tbit`, `#f8` `#vf8` float immediates, `#i8` `#i64`
//!   `movi` immediates, `#0` zero, `#ext` the `ext` byte index.
//! - `?sh3` `?sh4` register shifts, `?lsl12`, `?hw`, `?m8:N` (`lsl #0..N` step 8 at
//!   bit 13), `?extw` `?extx` register extends.
//! - `[u:S]` unsigned scaled offset, `[s9]` unscaled, `[pre9]` `[post9]`, `[r:S]`
//!   register offset, `[p:S]` `[pp:S]` `[pq:S]` pair offset/pre/post, `[b]` base only,
//!   `[pi:N]` post-index by N bytes or a register.
//! - `@26 @19 @14 @adr` labels, `cond@P` / `ncond@P` conditions, `=tbl` a table.

use super::parse::{Mem, MemOff, Mode, Operand, Shape};
use super::regs;
use crate::ir::{Class, Reg};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ArrEnc {
    Size22,
    Size10,
    Q,
    Float,
    Immh,
    Imm5,
    None,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Arr {
    Fixed(u8, bool),
    Set {
        mask: u8,
        enc: ArrEnc,
        half: Option<bool>,
        no2s: bool,
        d1: bool,
    },
    /// T with the element size doubled: 128-bit (`false`) or T's Q (`true`).
    Wide(bool),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LaneEnc {
    Imm5,
    Imm4,
    Hlm,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Imm {
    Arith,
    Logical,
    Move,
    U(u8, u8),
    Width(u8),
    Shl,
    Shr,
    Lsl,
    Lsr,
    BfWidth,
    IzLsb,
    IzWidth,
    TestBit,
    F8,
    VF8,
    I8,
    I64,
    Zero,
    Ext,
    MovZ,
    MovN,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Opt {
    Sh3,
    Sh4,
    Lsl12,
    Hw,
    M8(u8),
    ExtW,
    ExtX,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MemK {
    UOff(u8),
    S9,
    Pre9,
    Post9,
    RegOff(u8),
    Pair(u8),
    PairPre(u8),
    PairPost(u8),
    Base,
    PostN(u8),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Spec {
    Gp {
        x: bool,
        pos: u8,
        sp: bool,
        dup: Option<u8>,
    },
    Fp {
        size: u8,
        pos: u8,
    },
    FpT {
        pos: u8,
    },
    Elem {
        pos: u8,
        wide: bool,
    },
    Vec {
        pos: u8,
        dup: Option<u8>,
        arr: Arr,
    },
    Lane {
        pos: u8,
        mask: u8,
        enc: LaneEnc,
    },
    List {
        n: u8,
        pos: u8,
        arr: Arr,
    },
    /// One lane of each register of a list (single-structure loads and stores).
    LaneList {
        n: u8,
        pos: u8,
        mask: u8,
    },
    Imm(Imm),
    Opt(Opt),
    Mem(MemK),
    Label(u8),
    Cond {
        pos: u8,
        invert: bool,
    },
    Table,
}

/// Who reads and writes the register operands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    /// Operand 0 written, the rest read.
    W0,
    /// Operand 0 read and written (partial writes, accumulators).
    RW0,
    /// Operands 0 and 1 written (`ldp`, `stxr` writes only 0: see `W0`).
    W01,
    /// Nothing written (stores, compares, branches).
    R,
}

#[derive(Debug)]
pub struct Form {
    pub mnemonic: &'static str,
    /// The pattern as written in the table (after `R` expansion), for docs and errors.
    pub pattern: String,
    pub specs: Vec<(Spec, bool)>,
    pub bits: u32,
    /// A 64-bit row (its first general register is an `x`).
    pub x: bool,
    /// Go spelling template, if Go's assembler has the instruction.
    pub go: Option<String>,
    pub access: Access,
    /// The CPU feature it needs beyond ARMv8.0 with NEON (features.rs names).
    pub feature: Option<&'static str>,
}

impl Form {
    /// Bytes this form occupies (8 for table addresses: ADRP + ADD).
    pub fn size(&self) -> u32 {
        if self.specs.iter().any(|(s, _)| *s == Spec::Table) {
            8
        } else {
            4
        }
    }
    pub fn label_kind(&self) -> Option<u8> {
        self.specs.iter().find_map(|(s, _)| match s {
            Spec::Label(k) => Some(*k),
            _ => None,
        })
    }
    /// Human-readable pattern (for docs and error messages).
    pub fn describe(&self) -> String {
        format!("{} {}", self.mnemonic, self.pattern)
            .trim()
            .to_string()
    }
}

fn field(s: &str) -> Option<(u8, Option<u8>)> {
    Some(match s {
        "d" | "t" => (0, None),
        "n" => (5, None),
        "m" | "s" => (16, None),
        "a" | "t2" => (10, None),
        "nm" => (5, Some(16)),
        _ => return None,
    })
}

fn esize_mask(letters: &str) -> Option<u8> {
    let mut m = 0;
    for c in letters.chars() {
        m |= 1 << "bhsdq".find(c)?;
    }
    Some(m)
}

pub fn arrangement(s: &str) -> Option<(u8, bool)> {
    Some(match s {
        "8b" => (0, false),
        "16b" => (0, true),
        "4h" => (1, false),
        "8h" => (1, true),
        "2s" => (2, false),
        "4s" => (2, true),
        "1d" => (3, false),
        "2d" => (3, true),
        "1q" => (4, true),
        _ => return None,
    })
}

fn parse_arr(s: &str) -> Option<Arr> {
    if let Some((e, q)) = arrangement(s) {
        return Some(Arr::Fixed(e, q));
    }
    match s {
        "+" => return Some(Arr::Wide(false)),
        "+=" => return Some(Arr::Wide(true)),
        _ => {}
    }
    let (set, flags) = s.split_once(':').unwrap_or((s, ""));
    let mut enc = ArrEnc::Size22;
    let (mut half, mut no2s, mut d1) = (None, false, false);
    for c in flags.chars() {
        match c {
            't' => enc = ArrEnc::Size10,
            'q' => enc = ArrEnc::Q,
            'f' => enc = ArrEnc::Float,
            'i' => enc = ArrEnc::Immh,
            '5' => enc = ArrEnc::Imm5,
            'n' => enc = ArrEnc::None,
            'l' => half = Some(false),
            'h' => half = Some(true),
            'x' => no2s = true,
            'D' => d1 = true,
            _ => return None,
        }
    }
    Some(Arr::Set {
        mask: esize_mask(set)?,
        enc,
        half,
        no2s,
        d1,
    })
}

fn parse_spec(s: &str, x: bool) -> Option<(Spec, bool)> {
    let (s, optional) = match s.strip_prefix('?') {
        Some(r) => (r, true),
        None => (s, false),
    };
    // `!sh3`: a shift/extend operand that must be present.
    let (s, required_opt) = match s.strip_prefix('!') {
        Some(r) => (r, true),
        None => (s, false),
    };
    let spec = if let Some(o) = s.strip_prefix('?') {
        return parse_spec(o, x);
    } else if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let (k, n) = inner.split_once(':').unwrap_or((inner, "0"));
        let n: u8 = n.parse().ok()?;
        Spec::Mem(match k {
            "u" => MemK::UOff(n),
            "s9" => MemK::S9,
            "pre9" => MemK::Pre9,
            "post9" => MemK::Post9,
            "r" => MemK::RegOff(n),
            "p" => MemK::Pair(n),
            "pp" => MemK::PairPre(n),
            "pq" => MemK::PairPost(n),
            "b" => MemK::Base,
            "pi" => MemK::PostN(n),
            _ => return None,
        })
    } else if let Some(rest) = s.strip_prefix('#') {
        Spec::Imm(match rest {
            "aimm" => Imm::Arith,
            "limm" => Imm::Logical,
            "mimm" => Imm::Move,
            "shl" => Imm::Shl,
            "shr" => Imm::Shr,
            "lsl" => Imm::Lsl,
            "lsr" => Imm::Lsr,
            "bfw" => Imm::BfWidth,
            "izl" => Imm::IzLsb,
            "izw" => Imm::IzWidth,
            "tbit" => Imm::TestBit,
            "f8" => Imm::F8,
            "vf8" => Imm::VF8,
            "i8" => Imm::I8,
            "i64" => Imm::I64,
            "0" => Imm::Zero,
            "ext" => Imm::Ext,
            "movz" => Imm::MovZ,
            "movn" => Imm::MovN,
            _ => {
                if let Some(p) = rest.strip_prefix("w@") {
                    Imm::Width(p.parse().ok()?)
                } else {
                    let (b, p) = rest.strip_prefix("u:")?.split_once('@')?;
                    Imm::U(b.parse().ok()?, p.parse().ok()?)
                }
            }
        })
    } else if let Some(rest) = s.strip_prefix('@') {
        Spec::Label(match rest {
            "26" => 26,
            "19" => 19,
            "14" => 14,
            "adr" => 21,
            _ => return None,
        })
    } else if let Some(p) = s.strip_prefix("cond@") {
        Spec::Cond {
            pos: p.parse().ok()?,
            invert: false,
        }
    } else if let Some(p) = s.strip_prefix("ncond@") {
        Spec::Cond {
            pos: p.parse().ok()?,
            invert: true,
        }
    } else if s == "=tbl" {
        Spec::Table
    } else if optional || required_opt {
        Spec::Opt(match s {
            "sh3" => Opt::Sh3,
            "sh4" => Opt::Sh4,
            "lsl12" => Opt::Lsl12,
            "hw" => Opt::Hw,
            "extw" => Opt::ExtW,
            "extx" => Opt::ExtX,
            _ => Opt::M8(s.strip_prefix("m8:")?.parse().ok()?),
        })
    } else if let Some(rest) = s.strip_prefix('{') {
        let (n, rest) = rest.split_once('}')?;
        let (f, a) = rest.split_once('.')?;
        let (n, pos) = (n.parse().ok()?, field(f)?.0);
        match a.strip_suffix("[l]") {
            Some(set) => Spec::LaneList {
                n,
                pos,
                mask: esize_mask(set)?,
            },
            None => Spec::List {
                n,
                pos,
                arr: parse_arr(a)?,
            },
        }
    } else if let Some(rest) = s.strip_prefix('V') {
        let (f, a) = rest.split_once('.')?;
        let (pos, dup) = field(f)?;
        if let Some((set, enc)) = a.strip_suffix(']').and_then(|a| a.split_once('[')) {
            Spec::Lane {
                pos,
                mask: esize_mask(set)?,
                enc: match enc {
                    "5" => LaneEnc::Imm5,
                    "4" => LaneEnc::Imm4,
                    "e" => LaneEnc::Hlm,
                    _ => return None,
                },
            }
        } else {
            Spec::Vec {
                pos,
                dup,
                arr: parse_arr(a)?,
            }
        }
    } else if let Some(f) = s.strip_prefix("E+") {
        Spec::Elem {
            pos: field(f)?.0,
            wide: true,
        }
    } else {
        let mut chars = s.chars();
        let kind = chars.next()?;
        let rest = chars.as_str();
        let (f, sp) = match rest.strip_suffix("SP") {
            Some(f) => (f, true),
            None => (rest, false),
        };
        let (pos, dup) = field(f)?;
        match kind {
            'W' | 'X' | 'R' => Spec::Gp {
                x: if kind == 'R' { x } else { kind == 'X' },
                pos,
                sp,
                dup,
            },
            'F' => Spec::FpT { pos },
            'E' => Spec::Elem { pos, wide: false },
            'B' | 'H' | 'S' | 'D' | 'Q' => Spec::Fp {
                size: "BHSDQ".find(kind)? as u8,
                pos,
            },
            _ => return None,
        }
    };
    Some((spec, optional))
}

/// One row as written: mnemonic, pattern, fixed bits, extra bits of the X variant of
/// an `R` row, Go template.
pub struct Row(
    pub &'static str,
    pub &'static str,
    pub u32,
    pub u32,
    pub &'static str,
);

pub struct Table {
    pub forms: Vec<Form>,
    pub by_mnemonic: HashMap<&'static str, Vec<usize>>,
}

pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut forms = Vec::new();
        for (Row(m, pat, bits, xbits, go), feature) in super::rows::rows() {
            let items: Vec<&str> = if pat.is_empty() {
                Vec::new()
            } else {
                pat.split(", ").collect()
            };
            let has_r = items.iter().any(|s| s.starts_with('R'));
            let variants: &[bool] = if has_r { &[false, true] } else { &[false] };
            for &x in variants {
                let specs: Vec<(Spec, bool)> = items
                    .iter()
                    .map(|s| {
                        parse_spec(s, x).unwrap_or_else(|| {
                            panic!("arm64 form table: bad item `{s}` in `{m} {pat}`")
                        })
                    })
                    .collect();
                let row_x = if has_r {
                    x
                } else {
                    specs
                        .iter()
                        .find_map(|(s, _)| match s {
                            Spec::Gp { x, .. } => Some(*x),
                            _ => None,
                        })
                        .unwrap_or(false)
                };
                let pattern = if has_r {
                    items
                        .iter()
                        .map(|s| match s.strip_prefix('R') {
                            Some(rest) => format!("{}{rest}", if x { 'X' } else { 'W' }),
                            None => s.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    pat.to_string()
                };
                let bits = if x { bits | 0x8000_0000 | xbits } else { bits };
                // Rows built by the load/store macros without a Go mnemonic start with ' ' or '.'.
                let go = if go.is_empty() || go.starts_with([' ', '.']) {
                    None
                } else {
                    let w = !row_x && has_r;
                    Some(
                        go.replace('~', if w { "W" } else { "" })
                            .replace('^', if w { "W" } else { "D" }),
                    )
                };
                forms.push(Form {
                    mnemonic: m,
                    pattern,
                    specs,
                    bits,
                    x: row_x,
                    go,
                    access: access_of(m),
                    feature,
                });
            }
        }
        let mut by_mnemonic: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, f) in forms.iter().enumerate() {
            by_mnemonic.entry(f.mnemonic).or_default().push(i);
        }
        Table { forms, by_mnemonic }
    })
}

fn access_of(m: &str) -> Access {
    const R: &[&str] = &[
        "cmp", "cmn", "tst", "fcmp", "fcmpe", "ccmp", "ccmn", "cbz", "cbnz", "tbz", "tbnz", "b",
        "b.cond", "br", "blr", "ret", "nop", "str", "strb", "strh", "stur", "sturb", "sturh",
        "stp", "stlr", "stlrb", "stlrh", "st1", "st2", "st3", "st4",
    ];
    const RW: &[&str] = &[
        "movk",
        "bfi",
        "bfxil",
        "bfm",
        "ins",
        "fmla",
        "fmls",
        "mla",
        "mls",
        "tbx",
        "aese",
        "aesd",
        "sha1c",
        "sha1p",
        "sha1m",
        "sha1su0",
        "sha1su1",
        "sha256h",
        "sha256h2",
        "sha256su0",
        "sha256su1",
        "sha512h",
        "sha512h2",
        "sha512su0",
        "sha512su1",
        "bsl",
        "bit",
        "bif",
        "uaba",
        "saba",
        "uadalp",
        "sadalp",
        "usra",
        "ssra",
        "sli",
        "sri",
        "xtn2",
        "sqxtn2",
        "uqxtn2",
        "sqxtun2",
        "shrn2",
        "rshrn2",
        "uqshrn2",
        "sqshrn2",
        "sqshrun2",
        "fcvtn2",
        "umlal",
        "umlal2",
        "smlal",
        "smlal2",
        "uabal",
        "uabal2",
        "addhn2",
        "eor3",
        "bcax",
        "xar",
    ];
    if R.contains(&m) {
        Access::R
    } else if RW.contains(&m) {
        Access::RW0
    } else if ["ldp", "ldpsw"].contains(&m) {
        Access::W01
    } else {
        Access::W0
    }
}

/// What the encoder needs to know of registers: hardware number and class.
pub struct RegInfo<'a> {
    pub class_of: &'a dyn Fn(Reg) -> Class,
}

fn num(r: Reg) -> u32 {
    match r {
        Reg::Phys(p) => regs::hw(p),
        Reg::Virt(_) => 0,
    }
}

/// The element size / Q the row's arrangement T has.
#[derive(Clone, Copy, Default)]
struct T {
    e: Option<u8>,
    q: Option<bool>,
}

fn shape_of(o: &Operand) -> Option<(u8, Option<bool>)> {
    match o {
        Operand::Vec {
            shape: Shape::Arr(e, q),
            ..
        }
        | Operand::List {
            shape: Shape::Arr(e, q),
            ..
        } => Some((*e, Some(*q))),
        Operand::Vec {
            shape: Shape::Lane(e, _),
            ..
        }
        | Operand::List {
            shape: Shape::Lane(e, _),
            ..
        } => Some((*e, None)),
        _ => None,
    }
}

/// Matches operands against the form's specs: the spec index for each operand.
pub fn pair_up(form: &Form, ops: &[Operand]) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    for (k, (spec, optional)) in form.specs.iter().enumerate() {
        let op = ops.get(i);
        if *optional {
            match (spec, op) {
                (Spec::Opt(_), Some(Operand::Shift(..) | Operand::Extend(..))) => {}
                _ => continue,
            }
        }
        op?;
        out.push(k);
        i += 1;
    }
    (i == ops.len()).then_some(out)
}

/// Consecutive (mod 32) once allocated; virtual registers are placed so by the
/// allocator (`Effects::consecutive`).
fn consecutive(regs: &[Reg]) -> bool {
    !regs.iter().all(|r| matches!(r, Reg::Phys(_)))
        || regs.windows(2).all(|w| (num(w[0]) + 1) % 32 == num(w[1]))
}

fn fits_uimm(v: i128, bits: u8) -> bool {
    (0..(1i128 << bits)).contains(&v)
}

/// Logical immediate encoding (N:immr:imms) of `v` at width 32 or 64.
pub fn logical_imm(v: u64, width: u32) -> Option<u32> {
    let v = if width == 32 {
        if v >> 32 != 0 && v >> 32 != 0xffff_ffff {
            return None;
        }
        let v = v & 0xffff_ffff;
        v | (v << 32)
    } else {
        v
    };
    if v == 0 || v == u64::MAX {
        return None;
    }
    // Smallest repeating element.
    let mut size = 64u32;
    while size > 2 {
        let half = size / 2;
        let mask = (1u64 << half) - 1;
        if (v & mask) != ((v >> half) & mask) {
            break;
        }
        size = half;
    }
    if width == 32 && size == 64 {
        return None;
    }
    let mask = if size == 64 {
        u64::MAX
    } else {
        (1u64 << size) - 1
    };
    let elem = v & mask;
    // elem is a rotated run of ones: find rotation r so that rotr(elem, r) = 0..01..1.
    let ones = elem.count_ones();
    let run = if ones == 64 {
        u64::MAX
    } else {
        (1u64 << ones) - 1
    };
    let rot = (0..size).find(|&r| {
        let rotated = if r == 0 {
            elem
        } else {
            ((elem >> r) | (elem << (size - r))) & mask
        };
        rotated == run
    })?;
    // elem = rotr(run, immr) => immr = (size - rot) % size
    let immr = (size - rot) % size;
    let n = u32::from(size == 64);
    let imms = ((!(size * 2 - 1) & 0x3f) | (ones - 1)) & 0x3f;
    Some((n << 12) | (immr << 6) | imms)
}

/// The 8-bit float immediate of `fmov` (`±n/16 × 2^r`), if `v` has one.
pub fn fp8(v: f64) -> Option<u32> {
    (0u32..256).find(|&imm| fp8_value(imm) == v)
}

fn fp8_value(imm: u32) -> f64 {
    let sign = if imm & 0x80 != 0 { -1.0 } else { 1.0 };
    let exp = ((imm >> 4) & 7) as i32;
    let frac = (imm & 15) as f64;
    let e = if exp & 4 != 0 { exp - 8 } else { exp } + 1;
    sign * (16.0 + frac) / 16.0 * 2f64.powi(e)
}

fn i64_bytemask(v: i128) -> Option<u32> {
    // A 64-bit immediate: signed or unsigned, never truncated.
    if !(i64::MIN as i128..=u64::MAX as i128).contains(&v) {
        return None;
    }
    let v = v as u64;
    let mut out = 0;
    for b in 0..8 {
        match (v >> (b * 8)) & 0xff {
            0 => {}
            0xff => out |= 1 << b,
            _ => return None,
        }
    }
    Some(out)
}

fn abcdefgh(imm8: u32) -> u32 {
    ((imm8 >> 5) << 16) | ((imm8 & 31) << 5)
}

/// Encodes `ops` in `form`: the instruction word(s) with label/table fields zero,
/// or `None` if the operands do not fit. Virtual registers encode as 0.
pub fn encode(form: &Form, ops: &[Operand], info: &RegInfo) -> Option<u32> {
    let pairs = pair_up(form, ops)?;
    // T: from the first vector set (or a lane), else from a fixed scalar.
    let mut t = T::default();
    for (o, &k) in ops.iter().zip(&pairs) {
        match form.specs[k].0 {
            Spec::Vec {
                arr: Arr::Set { .. },
                ..
            }
            | Spec::List {
                arr: Arr::Set { .. },
                ..
            }
            | Spec::Lane { .. }
            | Spec::LaneList { .. } => {
                if let Some((e, q)) = shape_of(o) {
                    t.e.get_or_insert(e);
                    if let Some(q) = q {
                        t.q.get_or_insert(q);
                    }
                }
            }
            _ => {}
        }
    }
    if t.e.is_none() {
        for (o, &k) in ops.iter().zip(&pairs) {
            if let (Spec::Fp { size, .. }, Operand::Vec { .. }) = (form.specs[k].0, o) {
                t.e = Some(size);
                t.q = Some(false);
                break;
            }
        }
    }
    let mut bits = form.bits;
    // An omitted extend of an extended-register form is uxtx (64-bit) / uxtw (32-bit).
    for (k, (spec, _)) in form.specs.iter().enumerate() {
        if let Spec::Opt(Opt::ExtW | Opt::ExtX) = spec {
            if !pairs.contains(&k) {
                bits |= if form.x { 3 << 13 } else { 2 << 13 };
            }
        }
    }
    let mut fsize: Option<u8> = None;
    let width: u32 = if form.x { 64 } else { 32 };
    let mut prev_imm: i128 = 0;
    for (idx, (o, &k)) in ops.iter().zip(&pairs).enumerate() {
        let spec = form.specs[k].0;
        let b = field_bits(spec, o, idx, ops, t, &mut fsize, width, prev_imm, info)?;
        if let Operand::Imm(v) = o {
            prev_imm = *v;
        }
        bits |= b;
    }
    Some(bits)
}

fn arr_bits(arr: Arr, e: u8, q: bool, t: T) -> Option<u32> {
    let qb = u32::from(q) << 30;
    match arr {
        Arr::Fixed(fe, fq) => (fe == e && fq == q).then_some(0),
        Arr::Wide(same_q) => {
            let te = t.e?;
            let want_q = if same_q { t.q? } else { true };
            (e == te + 1 && q == want_q).then_some(0)
        }
        Arr::Set {
            mask,
            enc,
            half,
            no2s,
            d1,
        } => {
            if mask & (1 << e) == 0 || e == 4 {
                return None;
            }
            if e == 3 && !q && !d1 {
                return None;
            }
            if no2s && e == 2 && !q {
                return None;
            }
            if half.is_some_and(|h| h != q) {
                return None;
            }
            if t.e != Some(e) || t.q != Some(q) {
                return None;
            }
            let e = e as u32;
            Some(match enc {
                ArrEnc::Size22 => qb | (e << 22),
                ArrEnc::Size10 => qb | (e << 10),
                ArrEnc::Q => qb,
                ArrEnc::Float => {
                    if e < 2 {
                        return None;
                    }
                    qb | ((e - 2) << 22)
                }
                ArrEnc::Immh => qb | (1 << (19 + e)),
                ArrEnc::Imm5 => qb | (1 << (16 + e)),
                ArrEnc::None => 0,
            })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn field_bits(
    spec: Spec,
    o: &Operand,
    idx: usize,
    ops: &[Operand],
    t: T,
    fsize: &mut Option<u8>,
    width: u32,
    prev_imm: i128,
    info: &RegInfo,
) -> Option<u32> {
    let vec_reg = |r: Reg| (info.class_of)(r) == Class::Vec;
    Some(match (spec, o) {
        (Spec::Gp { x, pos, sp, dup }, Operand::Gp { reg, x: ox }) => {
            if x != *ox || (info.class_of)(*reg) != Class::Gp {
                return None;
            }
            let is_sp = *reg == Reg::Phys(regs::SP);
            let is_zr = *reg == Reg::Phys(regs::ZR);
            if (is_sp && !sp) || (is_zr && sp) {
                return None;
            }
            let n = num(*reg);
            (n << pos) | dup.map_or(0, |d| n << d)
        }
        (
            Spec::Fp { size, pos },
            Operand::Vec {
                reg,
                shape: Shape::Scalar(s),
            },
        ) => {
            if *s != size || !vec_reg(*reg) {
                return None;
            }
            // A float compare with zero takes `#0.0` (`fcmp h0, #0.0`), as `Fd` rows do.
            fsize.get_or_insert(size);
            num(*reg) << pos
        }
        (
            Spec::FpT { pos },
            Operand::Vec {
                reg,
                shape: Shape::Scalar(s),
            },
        ) => {
            if !(2..=3).contains(s) || !vec_reg(*reg) || fsize.is_some_and(|f| f != *s) {
                return None;
            }
            *fsize = Some(*s);
            (num(*reg) << pos) | (u32::from(*s == 3) << 22)
        }
        (
            Spec::Elem { pos, wide },
            Operand::Vec {
                reg,
                shape: Shape::Scalar(s),
            },
        ) => {
            if !vec_reg(*reg) || *s != t.e? + u8::from(wide) {
                return None;
            }
            num(*reg) << pos
        }
        (
            Spec::Vec { pos, dup, arr },
            Operand::Vec {
                reg,
                shape: Shape::Arr(e, q),
            },
        ) => {
            if !vec_reg(*reg) {
                return None;
            }
            let n = num(*reg);
            arr_bits(arr, *e, *q, t)? | (n << pos) | dup.map_or(0, |d| n << d)
        }
        (
            Spec::Lane { pos, mask, enc },
            Operand::Vec {
                reg,
                shape: Shape::Lane(e, i),
            },
        ) => {
            if !vec_reg(*reg) || mask & (1 << e) == 0 || t.e != Some(*e) {
                return None;
            }
            let (e, i, n) = (*e as u32, *i as u32, num(*reg));
            match enc {
                LaneEnc::Imm5 => {
                    if i >= 16 >> e {
                        return None;
                    }
                    (n << pos) | (((i << (e + 1)) | (1 << e)) << 16)
                }
                LaneEnc::Imm4 => {
                    if i >= 16 >> e {
                        return None;
                    }
                    (n << pos) | ((i << e) << 11)
                }
                LaneEnc::Hlm => {
                    let (h, l, m) = match e {
                        1 if i < 8 && n < 16 => (i >> 2, (i >> 1) & 1, i & 1),
                        2 if i < 4 => (i >> 1, i & 1, 0),
                        3 if i < 2 => (i, 0, 0),
                        _ => return None,
                    };
                    (n << pos) | (h << 11) | (l << 21) | (m << 20)
                }
            }
        }
        (
            Spec::List { n, pos, arr },
            Operand::List {
                regs,
                shape: Shape::Arr(e, q),
            },
        ) => {
            if regs.len() != n as usize || !regs.iter().all(|r| vec_reg(*r)) {
                return None;
            }
            if !consecutive(regs) {
                return None;
            }
            arr_bits(arr, *e, *q, t)? | (num(regs[0]) << pos)
        }
        (
            Spec::LaneList { n, pos, mask },
            Operand::List {
                regs,
                shape: Shape::Lane(e, i),
            },
        ) => {
            if regs.len() != n as usize
                || !regs.iter().all(|r| vec_reg(*r))
                || !consecutive(regs)
                || mask & (1 << e) == 0
            {
                return None;
            }
            // The index goes to Q:S:size; the element size to opcode<2:1>.
            let i = *i as u32;
            let (q, s, size, opcode) = match e {
                0 => (i >> 3, (i >> 2) & 1, i & 3, 0),
                1 => (i >> 2, (i >> 1) & 1, (i & 1) << 1, 2),
                2 => (i >> 1, i & 1, 0, 4),
                _ => (i, 0, 1, 4),
            };
            (q << 30) | (opcode << 13) | (s << 12) | (size << 10) | (num(regs[0]) << pos)
        }
        (Spec::Imm(Imm::F8), Operand::Imm(v)) => fp8(*v as f64)? << 13,
        (Spec::Imm(Imm::Zero), Operand::Imm(_)) if fsize.is_some() => return None,
        (Spec::Imm(Imm::Arith), Operand::Imm(v))
            if matches!(ops.get(idx + 1), Some(Operand::Shift(..))) =>
        {
            // With an explicit `lsl #12` the immediate is the 12-bit field itself.
            if !fits_uimm(*v, 12) {
                return None;
            }
            (*v as u32) << 10
        }
        (Spec::Imm(k), Operand::Imm(v)) => imm_bits(k, *v, t, width, prev_imm)?,
        (Spec::Imm(Imm::Zero), Operand::FImm(f)) if *f == 0.0 && fsize.is_some() => 0,
        (Spec::Imm(Imm::F8), Operand::FImm(f)) => fp8(*f)? << 13,
        (Spec::Imm(Imm::VF8), Operand::FImm(f)) => abcdefgh(fp8(*f)?),
        (Spec::Opt(k), Operand::Shift(kind, amt)) => {
            let amt = *amt;
            match k {
                Opt::Sh3 | Opt::Sh4 => {
                    let max_kind = if k == Opt::Sh4 { 3 } else { 2 };
                    if *kind > max_kind || amt >= width {
                        return None;
                    }
                    ((*kind as u32) << 22) | (amt << 10)
                }
                Opt::Lsl12 => match (kind, amt) {
                    (0, 0) => 0,
                    (0, 12) => 1 << 22,
                    _ => return None,
                },
                Opt::Hw => {
                    if *kind != 0 || amt % 16 != 0 || amt >= width {
                        return None;
                    }
                    (amt / 16) << 21
                }
                Opt::M8(max) => {
                    if *kind != 0 || amt % 8 != 0 || amt > max as u32 {
                        return None;
                    }
                    (amt / 8) << 13
                }
                Opt::ExtW | Opt::ExtX => {
                    // `lsl` as an extend: uxtx for 64-bit rows, uxtw for 32-bit ones.
                    if *kind != 0 || amt > 4 {
                        return None;
                    }
                    let option = match (k, width) {
                        (Opt::ExtX, 64) => 3,
                        (Opt::ExtW, 32) => 2,
                        _ => return None,
                    };
                    (option << 13) | (amt << 10)
                }
            }
        }
        (Spec::Opt(k @ (Opt::ExtW | Opt::ExtX)), Operand::Extend(option, amt)) => {
            let amt = amt.unwrap_or(0);
            let xext = option & 3 == 3;
            if amt > 4 || xext != (k == Opt::ExtX) {
                return None;
            }
            ((*option as u32) << 13) | (amt << 10)
        }
        (Spec::Mem(k), Operand::Mem(m)) => mem_bits(k, m, ops, info)?,
        (Spec::Label(_), Operand::Label(_)) => 0,
        (Spec::Cond { pos, invert }, Operand::Cond(c)) => {
            if invert && *c >= 14 {
                return None;
            }
            ((*c as u32) ^ u32::from(invert)) << pos
        }
        (Spec::Table, Operand::Table(..)) => 0,
        _ => {
            let _ = (idx, ops);
            return None;
        }
    })
}

fn imm_bits(k: Imm, v: i128, t: T, width: u32, prev: i128) -> Option<u32> {
    let w = width as i128;
    Some(match k {
        Imm::Arith => {
            if fits_uimm(v, 12) {
                (v as u32) << 10
            } else if v & 0xfff == 0 && fits_uimm(v >> 12, 12) {
                ((v >> 12) as u32) << 10 | 1 << 22
            } else {
                return None;
            }
        }
        Imm::Logical => {
            let u = if width == 32 {
                if !(-(1i128 << 31)..(1i128 << 32)).contains(&v) {
                    return None;
                }
                (v as u64) & 0xffff_ffff
            } else {
                if !(i64::MIN as i128..=u64::MAX as i128).contains(&v) {
                    return None;
                }
                v as u64
            };
            logical_imm(u, width)? << 10
        }
        Imm::Move => {
            if !fits_uimm(v, 16) {
                return None;
            }
            (v as u32) << 5
        }
        Imm::U(bits, pos) => {
            if !fits_uimm(v, bits) {
                return None;
            }
            (v as u32) << pos
        }
        Imm::Width(pos) => {
            if !(0..w).contains(&v) {
                return None;
            }
            (v as u32) << pos
        }
        Imm::Shl | Imm::Shr => {
            let esize = 8i128 << t.e?;
            let enc = if k == Imm::Shl {
                if !(0..esize).contains(&v) {
                    return None;
                }
                esize + v
            } else {
                if !(1..=esize).contains(&v) {
                    return None;
                }
                2 * esize - v
            };
            (enc as u32) << 16
        }
        Imm::Lsl => {
            if !(0..w).contains(&v) {
                return None;
            }
            let immr = (w - v) % w;
            let imms = w - 1 - v;
            ((immr as u32) << 16) | ((imms as u32) << 10)
        }
        Imm::Lsr => {
            if !(0..w).contains(&v) {
                return None;
            }
            ((v as u32) << 16) | (((w - 1) as u32) << 10)
        }
        Imm::BfWidth => {
            // ubfx/sbfx/bfxil: immr = lsb (the previous operand), imms = lsb + width - 1.
            // (`v > w` first: the sum must not overflow for a huge v.)
            if v < 1 || v > w || prev + v > w {
                return None;
            }
            ((prev + v - 1) as u32) << 10
        }
        Imm::IzLsb => {
            if !(0..w).contains(&v) {
                return None;
            }
            (((w - v) % w) as u32) << 16
        }
        Imm::IzWidth => {
            if v < 1 || v > w || prev + v > w {
                return None;
            }
            ((v - 1) as u32) << 10
        }
        Imm::TestBit => {
            if !(0..w).contains(&v) {
                return None;
            }
            let v = v as u32;
            ((v >> 5) << 31) | ((v & 31) << 19)
        }
        Imm::F8 | Imm::VF8 => return None,
        Imm::I8 => {
            if !fits_uimm(v, 8) {
                return None;
            }
            abcdefgh(v as u32)
        }
        Imm::I64 => abcdefgh(i64_bytemask(v)?),
        Imm::Zero => {
            if v != 0 {
                return None;
            }
            0
        }
        Imm::MovZ | Imm::MovN => {
            let u = as_width(v, width)?;
            let u = if k == Imm::MovN { !u & mask(width) } else { u };
            let hw = (0..width / 16).find(|h| u & !(0xffffu64 << (h * 16)) == 0)?;
            (((u >> (hw * 16)) as u32 & 0xffff) << 5) | (hw << 21)
        }
        Imm::Ext => {
            let max = if t.q? { 16 } else { 8 };
            if !(0..max).contains(&v) {
                return None;
            }
            (v as u32) << 11
        }
    })
}

fn mask(width: u32) -> u64 {
    if width == 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

/// `v` as an unsigned value of `width` bits (negative values wrap), if it fits.
pub fn as_width(v: i128, width: u32) -> Option<u64> {
    let lo = -(1i128 << (width - 1));
    let hi = (1i128 << width) - 1;
    (lo..=hi).contains(&v).then_some((v as u64) & mask(width))
}

/// The only immediate post-increment of a structure load or store: the bytes the
/// register list `ops` holds (`whole`, ld1-ld4 and st1-st4) or one element of each
/// register (`ld1r`-`ld4r`, and the one lane of each register of `ld1 {v0.s}[1]`
/// .. `st4`). The encoding has no immediate field (Rm = 31 means
/// "by this size"), so any other value must be refused, never encoded as this one.
pub fn post_increment(ops: &[Operand], whole: bool) -> Option<i64> {
    ops.iter().find_map(|o| match o {
        Operand::List {
            regs,
            shape: Shape::Lane(e, _),
        } => Some((regs.len() as i64) << e),
        Operand::List {
            regs,
            shape: Shape::Arr(e, q),
        } => {
            let per_reg = if whole {
                if *q {
                    16
                } else {
                    8
                }
            } else {
                1i64 << e
            };
            Some(regs.len() as i64 * per_reg)
        }
        _ => None,
    })
}

fn mem_bits(k: MemK, m: &Mem, ops: &[Operand], info: &RegInfo) -> Option<u32> {
    let base = match m.base {
        r @ Reg::Phys(p) if p != regs::ZR && regs::class_of(p) == Class::Gp => r,
        r @ Reg::Virt(_) if (info.class_of)(r) == Class::Gp => r,
        _ => return None,
    };
    let b = num(base) << 5;
    let imm = match m.off {
        MemOff::None => Some(0i64),
        MemOff::Imm(v) => Some(v),
        MemOff::Reg { .. } => None,
    };
    let scaled = |s: u8, bits: u8| -> Option<u32> {
        let v = imm?;
        let unit = 1i64 << s;
        if v % unit != 0 {
            return None;
        }
        let q = v / unit;
        let lim = 1i64 << (bits - 1);
        if !(-lim..lim).contains(&q) {
            return None;
        }
        Some((q as u32) & ((1 << bits) - 1))
    };
    Some(match (k, m.mode) {
        (MemK::UOff(s), Mode::Offset) => {
            let v = imm?;
            let unit = 1i64 << s;
            if v < 0 || v % unit != 0 || v / unit >= 4096 {
                return None;
            }
            b | (((v / unit) as u32) << 10)
        }
        (MemK::S9, Mode::Offset) | (MemK::Pre9, Mode::Pre) | (MemK::Post9, Mode::Post) => {
            let v = imm?;
            if !(-256..256).contains(&v) {
                return None;
            }
            b | (((v as u32) & 0x1ff) << 12)
        }
        (MemK::RegOff(s), Mode::Offset) => {
            let MemOff::Reg { reg, x, ext } = m.off else {
                return None;
            };
            if (info.class_of)(reg) != Class::Gp || reg == Reg::Phys(regs::SP) {
                return None;
            }
            let (option, amt) = match ext {
                None => (3u32, None),
                Some((o, a)) => (o as u32, a),
            };
            // option: 2 uxtw / 6 sxtw take a w index; 3 lsl / 7 sxtx an x one.
            let ok = match option {
                2 | 6 => !x,
                3 | 7 => x,
                _ => false,
            };
            if !ok {
                return None;
            }
            let sbit = match amt {
                None => 0,
                Some(a) if a == s as u32 => 1,
                Some(0) => 0,
                _ => return None,
            };
            b | (num(reg) << 16) | (option << 13) | (sbit << 12)
        }
        (MemK::Pair(s), Mode::Offset)
        | (MemK::PairPre(s), Mode::Pre)
        | (MemK::PairPost(s), Mode::Post) => b | (scaled(s, 7)? << 15),
        (MemK::Base, Mode::Offset) => {
            if imm != Some(0) {
                return None;
            }
            b
        }
        (MemK::PostN(n), Mode::Post) => match m.off {
            MemOff::Imm(v) if Some(v) == post_increment(ops, n == 0) => b | (31 << 16),
            MemOff::Reg {
                reg,
                x: true,
                ext: None,
            } if reg != Reg::Phys(regs::SP)
                && reg != Reg::Phys(regs::ZR)
                && (info.class_of)(reg) == Class::Gp =>
            {
                b | (num(reg) << 16)
            }
            _ => return None,
        },
        _ => return None,
    })
}
