//! The names Go's amd64 assembler reads as registers: a parameter so named would
//! make its frame reference (`name+0(FP)`) fail to assemble.

/// Go's amd64 register and pseudo-register names (`cmd/internal/obj/x86`
/// `Register`, plus `SB`, `FP`, `PC` and `g`).
const NAMED: &[&str] = &[
    "AL", "CL", "DL", "BL", "SPB", "BPB", "SIB", "DIB", "AH", "CH", "DH", "BH", "AX", "CX", "DX",
    "BX", "SP", "BP", "SI", "DI", "CS", "SS", "DS", "ES", "FS", "GS", "GDTR", "IDTR", "LDTR",
    "MSW", "TASK", "TLS", "SB", "FP", "PC", "g",
];

/// Go's numbered amd64 register families: prefix, count, suffix.
const NUMBERED: &[(&str, u8, &str)] = &[
    ("R", 16, "B"),
    ("R", 16, ""),
    ("F", 8, ""),
    ("M", 8, ""),
    ("K", 8, ""),
    ("X", 32, ""),
    ("Y", 32, ""),
    ("Z", 32, ""),
    ("CR", 16, ""),
    ("DR", 8, ""),
    ("TR", 8, ""),
];

/// Whether Go's amd64 assembler reads `name` as a register.
pub(crate) fn is_go_register(name: &str) -> bool {
    NAMED.contains(&name)
        || NUMBERED.iter().any(|&(prefix, count, suffix)| {
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .and_then(|d| d.parse::<u8>().ok().filter(|n| d == n.to_string()))
                .is_some_and(|n| n < count && (prefix != "R" || n >= 8))
        })
}
