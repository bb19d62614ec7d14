//! amd64 register names and numbering.
//!
//! Physical numbers: 0-15 general purpose (rax rcx rdx rbx rsp rbp rsi rdi r8-r15,
//! hardware order), 16-47 vector (xmm/ymm/zmm 0-31; 16-31 are EVEX-only), 48-55
//! mask (k0-k7).

use crate::ir::Class;
use iced_x86::Register;

pub const VEC_BASE: u8 = 16;
pub const MASK_BASE: u8 = 48;
pub const COUNT: usize = 56;

pub const RAX: u8 = 0;
pub const RCX: u8 = 1;
pub const RDX: u8 = 2;
pub const RSP: u8 = 4;
pub const RBP: u8 = 5;
pub const R15: u8 = 15;

/// Width of a register operand in bits (gp 8..64, vector 128..512; mask 64).
pub type Width = u16;

const GP64: [&str; 16] = [
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15",
];
const GP32: [&str; 16] = [
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d",
    "r13d", "r14d", "r15d",
];
const GP16: [&str; 16] = [
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w",
    "r14w", "r15w",
];
const GP8: [&str; 16] = [
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
    "r13b", "r14b", "r15b",
];
/// Go's names for the general registers (size lives in the mnemonic).
pub const GO_GP: [&str; 16] = [
    "AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI", "R8", "R9", "R10", "R11", "R12", "R13", "R14",
    "R15",
];

/// Never allocated, never named: SP and BP (Go's frame-pointer chain, avo #156),
/// R15 (clobbered by global accesses under -dynlink).
pub fn reserved_reason(phys: u8) -> Option<&'static str> {
    match phys {
        RSP => Some("rsp is the stack pointer"),
        RBP => Some("rbp is Go's frame pointer: writing it breaks frame-pointer unwinding"),
        R15 => Some("r15 is clobbered by Go's global accesses under -dynlink"),
        _ => None,
    }
}

/// Caller-saved first, so the native prologue saves as little as possible.
const GP_ORDER: [u8; 13] = [0, 1, 2, 6, 7, 8, 9, 10, 11, 3, 12, 13, 14];
/// xmm0-15, then the EVEX-only xmm16-31 (taken only under pressure, so a value that
/// meets a legacy or VEX instruction rarely lands there).
const VEC_ORDER: [u8; 32] = [
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
    40, 41, 42, 43, 44, 45, 46, 47,
];
/// k1-k7: k0 as a writemask means "no mask", so values never live there.
const MASK_ORDER: [u8; 7] = [49, 50, 51, 52, 53, 54, 55];

/// The first EVEX-only vector register (xmm16).
pub const VEC_EVEX_FIRST: u8 = VEC_BASE + 16;

/// Whether `phys` is a vector register only EVEX encodings reach (xmm16-31).
pub fn evex_only(phys: u8) -> bool {
    (VEC_EVEX_FIRST..MASK_BASE).contains(&phys)
}

/// Allocatable registers of a block that does not use AVX-512: xmm0-15.
pub fn allocatable(class: Class) -> &'static [u8] {
    match class {
        Class::Gp => &GP_ORDER,
        Class::Vec => &VEC_ORDER[..16],
        Class::Mask => &MASK_ORDER,
    }
}

/// Allocatable registers of a block that uses AVX-512 (see
/// [`super::evex::allows_evex_registers`]): xmm0-31.
pub fn allocatable_evex(class: Class) -> &'static [u8] {
    match class {
        Class::Vec => &VEC_ORDER,
        c => allocatable(c),
    }
}

pub fn class_of(phys: u8) -> Class {
    if phys < VEC_BASE {
        Class::Gp
    } else if phys < MASK_BASE {
        Class::Vec
    } else {
        Class::Mask
    }
}

/// Parses a physical register name: (number, class, width).
pub fn parse(name: &str) -> Option<(u8, Class, Width)> {
    for (table, width) in [(&GP64, 64), (&GP32, 32), (&GP16, 16), (&GP8, 8)] {
        if let Some(i) = table.iter().position(|n| *n == name) {
            return Some((i as u8, Class::Gp, width));
        }
    }
    for (prefix, width) in [("xmm", 128), ("ymm", 256), ("zmm", 512)] {
        if let Some(n) = name.strip_prefix(prefix).and_then(|d| d.parse::<u8>().ok()) {
            if n < 32 && name == format!("{prefix}{n}") {
                return Some((VEC_BASE + n, Class::Vec, width));
            }
        }
    }
    if let Some(n) = name.strip_prefix('k').and_then(|d| d.parse::<u8>().ok()) {
        if n < 8 && name == format!("k{n}") {
            return Some((MASK_BASE + n, Class::Mask, 64));
        }
    }
    None
}

/// The Intel name of a physical register at a width.
pub fn name(phys: u8, width: Width) -> String {
    match class_of(phys) {
        Class::Gp => {
            let t = match width {
                64 => &GP64,
                32 => &GP32,
                16 => &GP16,
                _ => &GP8,
            };
            t[phys as usize].to_string()
        }
        Class::Vec => {
            let p = match width {
                512 => "zmm",
                256 => "ymm",
                _ => "xmm",
            };
            format!("{p}{}", phys - VEC_BASE)
        }
        Class::Mask => format!("k{}", phys - MASK_BASE),
    }
}

/// Go's name of a physical register at a width.
pub fn go_name(phys: u8, width: Width) -> String {
    match class_of(phys) {
        Class::Gp => GO_GP[phys as usize].to_string(),
        Class::Vec => {
            let p = match width {
                512 => "Z",
                256 => "Y",
                _ => "X",
            };
            format!("{p}{}", phys - VEC_BASE)
        }
        Class::Mask => format!("K{}", phys - MASK_BASE),
    }
}

pub fn iced(phys: u8, width: Width) -> Register {
    let base = match (class_of(phys), width) {
        (Class::Gp, 64) => Register::RAX,
        (Class::Gp, 32) => Register::EAX,
        (Class::Gp, 16) => Register::AX,
        (Class::Gp, _) => {
            // al cl dl bl spl bpl sil dil r8b..: iced numbers spl..dil after ah..bh.
            return match phys {
                0..=3 => Register::from_u8(Register::AL as u8 + phys),
                _ => Register::from_u8(Register::SPL as u8 + phys - 4),
            };
        }
        (Class::Vec, 512) => Register::ZMM0,
        (Class::Vec, 256) => Register::YMM0,
        (Class::Vec, _) => Register::XMM0,
        (Class::Mask, _) => Register::K0,
    };
    let idx = match class_of(phys) {
        Class::Gp => phys,
        Class::Vec => phys - VEC_BASE,
        Class::Mask => phys - MASK_BASE,
    };
    Register::from_u8(base as u8 + idx)
}

/// The physical number and width of an iced register (None for ones go-asm does not model).
pub fn from_iced(r: Register) -> Option<(u8, Width)> {
    let name = format!("{r:?}").to_lowercase();
    let (p, _, w) = parse(&name)?;
    Some((p, w))
}

trait FromU8 {
    fn from_u8(v: u8) -> Self;
}
impl FromU8 for Register {
    fn from_u8(v: u8) -> Self {
        Register::values()
            .nth(v as usize)
            .expect("register number in range")
    }
}
