//! How a function's results cross the C ABI.
//!
//! One result is returned as itself (rax/xmm0, x0/v0/s0). Two to four results are
//! a `#[repr(C)]` struct with one 8-byte slot per result, so that its layout (and
//! therefore each ABI's classification of it) depends only on which slots hold a
//! `double`: integers and booleans are widened to 64 bits, an `f32` is followed by
//! a named `uint32_t` pad (which makes its eightbyte INTEGER on SysV and keeps the
//! struct from being an HFA on AAPCS64). The Rust wrapper's struct (rust_abi.rs)
//! and the C header's struct (native.rs) are both printed from [`slots`].
//!
//! Where each ABI puts that struct ([`placement`]):
//!
//! | ABI | 2 slots | 3-4 slots |
//! |---|---|---|
//! | SysV | by eightbyte: INTEGER in rax, rdx; SSE (`double`) in xmm0, xmm1 | memory: hidden pointer in rdi, returned in rax |
//! | Win64 | memory: hidden pointer in rcx, returned in rax (only 1/2/4/8-byte structs go in rax) | same |
//! | AAPCS64, Apple | all `double`: HFA in d0, d1; otherwise x0, x1 (a `double`'s bits in an x register) | all `double`: HFA in d0-d3; otherwise memory through x8 |

use crate::arch::Abi;
use crate::sig::{Scalar, Signature, Ty};

pub use crate::sig::MAX_RESULTS;

/// What one 8-byte slot of the results struct holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    /// `double`: the only slot that is SSE (SysV) or an HFA member (AAPCS64).
    F64,
    /// `float` then a `uint32_t` pad.
    F32Padded,
    /// An integer widened to `int64_t`.
    Signed(Scalar),
    /// An integer or bool widened to `uint64_t`.
    Unsigned(Scalar),
    /// A pointer.
    Ptr,
}

impl SlotKind {
    /// Whether the slot travels in a floating-point register when the struct is
    /// returned in registers.
    pub fn is_fp(self) -> bool {
        self == SlotKind::F64
    }
}

/// The slots of a multi-result struct, one per result.
pub fn slots(sig: &Signature) -> Vec<SlotKind> {
    sig.results
        .iter()
        .map(|r| match &r.ty {
            Ty::Scalar(Scalar::F64) => SlotKind::F64,
            Ty::Scalar(Scalar::F32) => SlotKind::F32Padded,
            Ty::Scalar(s) if s.is_signed() => SlotKind::Signed(*s),
            Ty::Scalar(s) => SlotKind::Unsigned(*s),
            _ => SlotKind::Ptr,
        })
        .collect()
}

/// One slot's place when the struct comes back in registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotReg {
    /// The n-th integer result register of the ABI (rax, rdx / x0, x1).
    Int(u8),
    /// The n-th floating-point result register (xmm0, xmm1 / v0-v3).
    Fp(u8),
}

/// Where the results go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// No results.
    Nothing,
    /// One result, returned as itself in the first register of its kind.
    Single,
    /// A results struct in registers, one entry per slot.
    Registers(Vec<SlotReg>),
    /// A results struct in memory the caller provides; the pointer arrives in the
    /// ABI's hidden-pointer register (rdi, rcx, x8).
    Memory,
}

/// How `abi` returns `sig`'s results.
pub fn placement(abi: Abi, sig: &Signature) -> Placement {
    let slots = slots(sig);
    match slots.len() {
        0 => return Placement::Nothing,
        1 => return Placement::Single,
        _ => {}
    }
    let in_order = |classify: &dyn Fn(SlotKind) -> bool| {
        let (mut ni, mut nf) = (0u8, 0u8);
        slots
            .iter()
            .map(|&s| {
                if classify(s) {
                    nf += 1;
                    SlotReg::Fp(nf - 1)
                } else {
                    ni += 1;
                    SlotReg::Int(ni - 1)
                }
            })
            .collect()
    };
    match abi {
        Abi::SysV if slots.len() <= 2 => Placement::Registers(in_order(&SlotKind::is_fp)),
        Abi::SysV | Abi::Win64 => Placement::Memory,
        Abi::Aapcs64 | Abi::AppleArm64 => {
            if slots.iter().all(|s| s.is_fp()) {
                Placement::Registers(in_order(&|_| true))
            } else if slots.len() <= 2 {
                Placement::Registers(in_order(&|_| false))
            } else {
                Placement::Memory
            }
        }
    }
}

/// The C declaration of a results struct's fields.
pub fn c_fields(sig: &Signature) -> Vec<String> {
    slots(sig)
        .into_iter()
        .zip(&sig.results)
        .enumerate()
        .flat_map(|(i, (k, r))| match k {
            SlotKind::F64 => vec![format!("double r{i};")],
            SlotKind::F32Padded => vec![format!("float r{i};"), format!("uint32_t pad{i};")],
            SlotKind::Signed(_) => vec![format!("int64_t r{i};")],
            SlotKind::Unsigned(_) => vec![format!("uint64_t r{i};")],
            SlotKind::Ptr => vec![format!("{}r{i};", c_type_of(&r.ty))],
        })
        .collect()
}

/// The C spelling of a single result type (`const uint8_t *`, with the space).
pub fn c_type_of(ty: &Ty) -> String {
    match ty {
        Ty::Scalar(s) => s.c_name().to_string(),
        Ty::Ptr { pointee, mutable } => {
            format!(
                "{}{} *",
                if *mutable { "" } else { "const " },
                pointee.c_name()
            )
        }
        _ => "void".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(src: &str) -> Signature {
        let f: syn::ItemFn = syn::parse_str(src).expect("parses");
        crate::sig::parse_signature(&f, &|_, _| None).expect("signature")
    }

    #[test]
    fn placements_follow_each_abi() {
        use SlotReg::{Fp, Int};
        let mixed = sig("fn f() -> (f64, u8) {}");
        assert_eq!(
            placement(Abi::SysV, &mixed),
            Placement::Registers(vec![Fp(0), Int(0)])
        );
        assert_eq!(placement(Abi::Win64, &mixed), Placement::Memory);
        assert_eq!(
            placement(Abi::Aapcs64, &mixed),
            Placement::Registers(vec![Int(0), Int(1)])
        );
        let f32_pair = sig("fn f() -> (f32, f64) {}");
        assert_eq!(
            placement(Abi::SysV, &f32_pair),
            Placement::Registers(vec![Int(0), Fp(0)])
        );
        let hfa = sig("fn f() -> (f64, f64, f64, f64) {}");
        assert_eq!(placement(Abi::SysV, &hfa), Placement::Memory);
        assert_eq!(
            placement(Abi::AppleArm64, &hfa),
            Placement::Registers(vec![Fp(0), Fp(1), Fp(2), Fp(3)])
        );
        let three = sig("fn f() -> (u8, f64, i64) {}");
        assert_eq!(placement(Abi::Aapcs64, &three), Placement::Memory);
        assert_eq!(
            placement(Abi::SysV, &sig("fn f() -> u8 {}")),
            Placement::Single
        );
    }
}
