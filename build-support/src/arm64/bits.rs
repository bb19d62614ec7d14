//! Operands into a form's bits: whether written operands fit a form of the
//! table (forms.rs), and the instruction word they make.

use super::forms::{Arr, ArrEnc, Form, Imm, LaneEnc, MemK, Opt, Spec};
use super::parse::{Mem, MemOff, Mode, Operand, Shape};
use super::regs;
use crate::ir::{Class, Reg};

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
