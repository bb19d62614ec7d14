//! Parameter names that would be read as registers (issue 10, defect 2).
//!
//! A parameter is a name in both blocks and in Go's frame references
//! (`name+0(FP)`). Where a block would read the name as a physical register, the
//! parameter is never loaded; where Go's assembler reads it as a register, the frame
//! reference does not assemble. The rule, the same on both architectures: such a
//! name is a compile error at the parameter. The Rust signature is shared by every
//! block, so a name that is a register on either architecture is refused even when
//! the function has only the other block.

use crate::{arm64, x86};

/// Go's amd64 register and pseudo-register names (`cmd/internal/obj/x86`
/// `Register`, plus `SB`, `FP`, `PC` and `g`).
const GO_AMD64_NAMED: &[&str] = &[
    "AL", "CL", "DL", "BL", "SPB", "BPB", "SIB", "DIB", "AH", "CH", "DH", "BH", "AX", "CX", "DX",
    "BX", "SP", "BP", "SI", "DI", "CS", "SS", "DS", "ES", "FS", "GS", "GDTR", "IDTR", "LDTR",
    "MSW", "TASK", "TLS", "SB", "FP", "PC", "g",
];

/// Go's numbered amd64 register families: prefix, count, suffix.
const GO_AMD64_NUMBERED: &[(&str, u8, &str)] = &[
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

/// Go's arm64 register names without a number, and the system registers whose
/// names a Go identifier can spell (no underscore).
const GO_ARM64_NAMED: &[&str] = &[
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
fn go_arm64_numbered(name: &str) -> bool {
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

fn go_amd64_register(name: &str) -> bool {
    GO_AMD64_NAMED.contains(&name)
        || GO_AMD64_NUMBERED.iter().any(|&(prefix, count, suffix)| {
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .and_then(|d| d.parse::<u8>().ok().filter(|n| d == n.to_string()))
                .is_some_and(|n| n < count && (prefix != "R" || n >= 8))
        })
}

/// ARM's aliases of x29 and x30: a reader takes them for registers too.
const ARM64_ALIASES: &[&str] = &["fp", "lr"];

/// Why the parameter `rust` (Go name `go`) cannot be named so, if it cannot.
pub fn clash(rust: &str, go: &str) -> Option<String> {
    let why = if arm64::regs::parse(rust).is_some() || ARM64_ALIASES.contains(&rust) {
        format!("the arm64 register {rust}: inside an arm64! block it would mean the register")
    } else if x86::regs::parse(rust).is_some() {
        format!("the amd64 register {rust}: inside an amd64! block it would mean the register")
    } else if go_amd64_register(go) || go_arm64_numbered(go) || GO_ARM64_NAMED.contains(&go) {
        format!(
            "the Go assembler register {go}: the frame reference `{go}+0(FP)` would not assemble"
        )
    } else {
        return None;
    };
    Some(format!("parameter `{rust}` is named like {why}; rename it"))
}

#[cfg(test)]
mod tests {
    use super::clash;

    #[test]
    fn register_names_clash_and_others_do_not() {
        for name in [
            "x0", "x1", "w30", "xzr", "wzr", "sp", "wsp", "v0", "q31", "d0", "s7", "h0", "b3",
            "lr", "fp", "rax", "eax", "ax", "al", "r8", "r8d", "r15b", "xmm0", "ymm15", "zmm3",
            "k0", "xmm16", "zmm31",
        ] {
            assert!(clash(name, name).is_some(), "{name}");
        }
        for name in [
            "AX", "R0", "R8", "R15B", "SP", "FP", "SB", "PC", "F0", "V0", "X0", "X31", "Y0", "Z0",
            "K0", "ZR", "RSP", "LR", "NZCV", "CR8", "R30",
        ] {
            assert!(clash(name, name).is_some(), "{name}");
        }
        for name in [
            "x", "xs", "x31", "v32", "d", "acc", "r16", "xmm32", "R18", "R28", "R31", "R0x", "R01",
            "K8", "X32", "a", "n", "ptr",
        ] {
            assert_eq!(clash(name, name), None, "{name}");
        }
    }
}
