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
//! Where each ABI puts that struct is its architecture folder's `placement`
//! (`x86/native.rs`, `arm64/native.rs`), built from [`trivial`] and [`in_order`].

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

/// The placement every ABI shares: nothing for no result, the register of its
/// kind for one; `None` for a results struct, which each ABI places its own way.
pub fn trivial(slots: &[SlotKind]) -> Option<Placement> {
    match slots.len() {
        0 => Some(Placement::Nothing),
        1 => Some(Placement::Single),
        _ => None,
    }
}

/// The slots in result registers, in order: the n-th slot for which `fp` holds
/// takes the next floating-point register, every other slot the next integer one.
pub fn in_order(slots: &[SlotKind], fp: &dyn Fn(SlotKind) -> bool) -> Vec<SlotReg> {
    let (mut ni, mut nf) = (0u8, 0u8);
    slots
        .iter()
        .map(|&s| {
            if fp(s) {
                nf += 1;
                SlotReg::Fp(nf - 1)
            } else {
                ni += 1;
                SlotReg::Int(ni - 1)
            }
        })
        .collect()
}

/// The C declaration of a results struct's fields.
pub fn c_fields(sig: &Signature) -> Vec<String> {
    slots(sig)
        .into_iter()
        .zip(&sig.results)
        .enumerate()
        .flat_map(|(i, (k, r))| {
            // `r0`, `pad0`, or the names of `results(..)` (sig/results.rs).
            let (f, pad) = crate::sig::c_field_names(sig, i);
            match k {
                SlotKind::F64 => vec![format!("double {f};")],
                SlotKind::F32Padded => vec![format!("float {f};"), format!("uint32_t {pad};")],
                SlotKind::Signed(_) => vec![format!("int64_t {f};")],
                SlotKind::Unsigned(_) => vec![format!("uint64_t {f};")],
                SlotKind::Ptr => vec![format!("{}{f};", c_type_of(&r.ty))],
            }
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
