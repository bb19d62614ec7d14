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

pub use super::bits::{as_width, encode, fp8, logical_imm, pair_up, post_increment, RegInfo};
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
