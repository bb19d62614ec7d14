//! Structs by value in AAPCS64 (and Apple's variant, the same for these
//! structs): where one arrives, and the prologue code that reads its fields.
//!
//! - A homogeneous floating-point aggregate (1 to 4 fields, all `f32` or all
//!   `f64`) takes one v register per member when enough remain; otherwise it goes
//!   to the stack and no later float argument takes a v register (NSRN = 8).
//! - Any other struct of at most 16 bytes takes one or two x registers, its
//!   bytes packed as in memory, when enough remain; otherwise the stack, and no
//!   later integer argument takes an x register (NGRN = 8).
//! - Bigger structs are passed as a pointer to a copy the caller made.
//!
//! On the stack a struct takes 8-byte slots (its size rounded up to 8, aligned
//! to 8). As on amd64 (x86/struct_args.rs), a struct in registers or behind a
//! pointer is first copied into the prologue's scratch area and its fields are
//! loaded from there at their own sizes.

use super::regs::VEC_BASE as VEC;
use crate::c_results::{Placement, SlotReg};
use crate::shim::{Loc, Prep};
use crate::sig::{Scalar, StructTy};

/// How AAPCS64 passes a struct.
pub(super) enum Class {
    /// One v register per member, of this float type.
    Hfa(Scalar, usize),
    /// This many x registers.
    Words(u32),
    /// A pointer to a copy.
    Indirect,
}

pub(super) fn class(st: &StructTy) -> Class {
    match st.uniform_float() {
        Some(f) if st.leaves.len() <= 4 => Class::Hfa(f, st.leaves.len()),
        _ if st.size > 16 => Class::Indirect,
        _ => Class::Words(st.size.div_ceil(8)),
    }
}

/// The load of a field of `scalar` into `dst` from `[base, #off]`, at its size.
pub(super) fn load_field(dst: u8, base: &str, off: i64, scalar: Scalar) -> String {
    let r = |v: char| {
        if dst >= VEC {
            format!("{v}{}", dst - VEC)
        } else {
            format!("{v}{dst}")
        }
    };
    match (scalar.is_float(), scalar.size()) {
        (true, 4) => format!("ldr {}, [{base}, #{off}]", r('s')),
        (true, _) => format!("ldr {}, [{base}, #{off}]", r('d')),
        (false, 1) => format!("ldrb {}, [{base}, #{off}]", r('w')),
        (false, 2) => format!("ldrh {}, [{base}, #{off}]", r('w')),
        (false, 4) => format!("ldr {}, [{base}, #{off}]", r('w')),
        (false, _) => format!("ldr {}, [{base}, #{off}]", r('x')),
    }
}

/// The prologue's copies into the scratch area at `[sp, #scratch]`, before any
/// argument register is overwritten; `entry` turns entry offsets into `sp`
/// offsets. x16 and x17 (IP0, IP1) carry no argument.
pub(super) fn prep_code(prep: &[Prep], scratch: u32, entry: i32) -> Vec<String> {
    let mut out = Vec::new();
    for p in prep {
        match p {
            Prep::Store { reg, at, bytes } => {
                let name = match (*reg >= VEC, bytes) {
                    (true, 4) => format!("s{}", reg - VEC),
                    (true, _) => format!("d{}", reg - VEC),
                    (false, _) => format!("x{reg}"),
                };
                out.push(format!("str {name}, [sp, #{}]", scratch + at));
            }
            Prep::Copy { ptr, at, fields } => {
                let base = match *ptr {
                    Loc::Reg(r) => format!("x{r}"),
                    Loc::Stack(off) => {
                        out.push(format!("ldr x17, [sp, #{}]", off + entry));
                        "x17".to_string()
                    }
                };
                for &(off, bytes) in fields {
                    let (ld, st, r) = match bytes {
                        1 => ("ldrb", "strb", "w16"),
                        2 => ("ldrh", "strh", "w16"),
                        4 => ("ldr", "str", "w16"),
                        _ => ("ldr", "str", "x16"),
                    };
                    out.push(format!("{ld} {r}, [{base}, #{off}]"));
                    out.push(format!("{st} {r}, [sp, #{}]", scratch + at + off));
                }
            }
        }
    }
    out
}

/// Where AAPCS64 (and Apple's variant) returns a struct: a homogeneous
/// aggregate in v0-v3, one member each; another struct of at most 16 bytes in
/// x0, x1; a bigger one in memory through x8.
pub(super) fn result_placement(st: &StructTy) -> Placement {
    match class(st) {
        Class::Hfa(_, n) => Placement::Registers((0..n as u8).map(SlotReg::Fp).collect()),
        Class::Words(w) => Placement::Registers((0..w as u8).map(SlotReg::Int).collect()),
        Class::Indirect => Placement::Memory,
    }
}

/// The store of field `reg` of `scalar` to `[base, #off]`, at its size.
fn store_field(reg: u8, base: &str, off: u32, scalar: Scalar) -> String {
    let r = |v: char| {
        if reg >= VEC {
            format!("{v}{}", reg - VEC)
        } else {
            format!("{v}{reg}")
        }
    };
    match (scalar.is_float(), scalar.size()) {
        (true, 4) => format!("str {}, [{base}, #{off}]", r('s')),
        (true, _) => format!("str {}, [{base}, #{off}]", r('d')),
        (false, 1) => format!("strb {}, [{base}, #{off}]", r('w')),
        (false, 2) => format!("strh {}, [{base}, #{off}]", r('w')),
        (false, 4) => format!("str {}, [{base}, #{off}]", r('w')),
        (false, _) => format!("str {}, [{base}, #{off}]", r('x')),
    }
}

/// The exit of a struct result (field `i` in `regs[i]`): in memory, each field
/// stored through the x8 saved at `[sp, #x8_at]`; in registers, each field
/// stored into the scratch area at `[sp, #scratch]`, then each member (v
/// registers) or 8-byte word (x registers) loaded into its result register.
pub(super) fn struct_result_exit(
    st: &StructTy,
    regs: &[u8],
    placement: &Placement,
    scratch: u32,
    x8_at: u32,
) -> Vec<String> {
    let mut out = Vec::new();
    match placement {
        Placement::Memory => {
            out.push(format!("ldr x9, [sp, #{x8_at}]"));
            for (leaf, &r) in st.leaves.iter().zip(regs) {
                out.push(store_field(r, "x9", leaf.offset, leaf.scalar));
            }
        }
        Placement::Registers(places) => {
            for (leaf, &r) in st.leaves.iter().zip(regs) {
                out.push(store_field(r, "sp", scratch + leaf.offset, leaf.scalar));
            }
            for (i, place) in places.iter().enumerate() {
                out.push(match *place {
                    SlotReg::Fp(n) => {
                        let leaf = &st.leaves[i];
                        load_field(VEC + n, "sp", i64::from(scratch + leaf.offset), leaf.scalar)
                    }
                    SlotReg::Int(n) => format!("ldr x{n}, [sp, #{}]", scratch + 8 * i as u32),
                });
            }
        }
        Placement::Nothing | Placement::Single => unreachable!("a struct result has a placement"),
    }
    out
}
