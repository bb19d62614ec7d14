//! arm64 register names and numbering.
//!
//! Physical numbers: 0-30 general (x0-x30), 32-63 vector (v0-v31), 64 the zero
//! register (`xzr`/`wzr`), 65 the stack pointer (`sp`). 31 is unused, so that a
//! physical number never means "zr or sp depending on the instruction".

use crate::ir::Class;
use crate::regalloc::RegFile;

pub const VEC_BASE: u8 = 32;
pub const ZR: u8 = 64;
pub const SP: u8 = 65;
pub const COUNT: usize = 66;

/// Never allocated, never named as a general register (DESIGN.md).
pub fn reserved_reason(phys: u8) -> Option<&'static str> {
    match phys {
        18 => Some("x18 is the platform register (reserved on Apple and Windows)"),
        27 => Some("x27 is REGTMP, the Go assembler's scratch register"),
        28 => Some("x28 holds Go's g (the current goroutine)"),
        29 => Some("x29 is the frame pointer: writing it breaks frame-pointer unwinding"),
        30 => Some("x30 is the link register"),
        _ => None,
    }
}

/// Caller-saved first (x0-x17), then x19-x26 (the native prologue saves those).
const GP_ORDER: [u8; 26] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 25, 26,
];
/// v0-v7 and v16-v31 first; v8-v15 (callee-saved low halves in AAPCS64) last.
const VEC_ORDER: [u8; 32] = [
    32, 33, 34, 35, 36, 37, 38, 39, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
    40, 41, 42, 43, 44, 45, 46, 47,
];

pub fn allocatable(class: Class) -> &'static [u8] {
    match class {
        Class::Gp => &GP_ORDER,
        Class::Vec => &VEC_ORDER,
        Class::Mask => &[],
    }
}

pub fn class_of(phys: u8) -> Class {
    if (VEC_BASE..ZR).contains(&phys) {
        Class::Vec
    } else {
        Class::Gp
    }
}

/// The allocator's view of the arm64 registers.
pub const FILE: RegFile = RegFile {
    count: COUNT,
    class_of,
    allocatable,
};

/// The hardware number (0-31) of a physical register.
pub fn hw(phys: u8) -> u32 {
    match phys {
        ZR | SP => 31,
        p if p >= VEC_BASE => (p - VEC_BASE) as u32,
        p => p as u32,
    }
}

/// The views a physical register name can have.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    /// `x` (true) or `w` (false) view of a general register.
    Gp(bool),
    /// `v0`: a bare vector register (arrangement follows after a dot).
    V,
    /// `b h s d q` scalar views: log2 of the byte size (0..=4).
    Scalar(u8),
}

/// Parses a physical register name.
pub fn parse(name: &str) -> Option<(u8, View)> {
    match name {
        "xzr" => return Some((ZR, View::Gp(true))),
        "wzr" => return Some((ZR, View::Gp(false))),
        "sp" => return Some((SP, View::Gp(true))),
        "wsp" => return Some((SP, View::Gp(false))),
        _ => {}
    }
    let mut chars = name.chars();
    let first = chars.next()?;
    let digits = chars.as_str();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    let n: u8 = digits.parse().ok()?;
    match first {
        'x' | 'w' if n <= 30 => Some((n, View::Gp(first == 'x'))),
        'v' if n <= 31 => Some((VEC_BASE + n, View::V)),
        'b' | 'h' | 's' | 'd' | 'q' if n <= 31 => {
            let size = "bhsdq".find(first).expect("scalar letter") as u8;
            Some((VEC_BASE + n, View::Scalar(size)))
        }
        _ => None,
    }
}

/// ARM name of a general register.
pub fn gp_name(phys: u8, x: bool) -> String {
    match (phys, x) {
        (ZR, true) => "xzr".into(),
        (ZR, false) => "wzr".into(),
        (SP, true) => "sp".into(),
        (SP, false) => "wsp".into(),
        (p, true) => format!("x{p}"),
        (p, false) => format!("w{p}"),
    }
}

/// Go's name of a general register.
pub fn go_gp(phys: u8) -> String {
    match phys {
        ZR => "ZR".into(),
        SP => "RSP".into(),
        p => format!("R{p}"),
    }
}
