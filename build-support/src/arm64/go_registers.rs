//! The names Go's arm64 assembler reads as registers: a parameter so named would
//! make its frame reference (`name+0(FP)`) fail to assemble.

/// Go's arm64 register names without a number, and the system registers whose
/// names a Go identifier can spell (no underscore).
const NAMED: &[&str] = &[
    "RSP",
    "ZR",
    "LR",
    "SB",
    "FP",
    "PC",
    "SP",
    "g",
    "CurrentEL",
    "DAIF",
    "DIT",
    "FPCR",
    "FPSR",
    "NZCV",
    "PAN",
    "RNDR",
    "RNDRRS",
    "SPSel",
    "SSBS",
    "TCO",
    "UAO",
];

/// Go's arm64 numbered registers: `R0`-`R30` except `R18` (spelled `R18_PLATFORM`)
/// and `R28` (spelled `g`); `F0`-`F31`, `V0`-`V31`.
fn numbered(name: &str) -> bool {
    let Some((prefix, digits)) = name.split_at_checked(1) else {
        return false;
    };
    let Ok(n) = digits.parse::<u8>() else {
        return false;
    };
    if digits != n.to_string() {
        return false;
    }
    match prefix {
        "R" => n <= 30 && n != 18 && n != 28,
        "F" | "V" => n <= 31,
        _ => false,
    }
}

/// Whether Go's arm64 assembler reads `name` as a register.
pub(crate) fn is_go_register(name: &str) -> bool {
    NAMED.contains(&name) || numbered(name)
}
