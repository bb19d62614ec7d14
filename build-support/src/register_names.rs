//! Parameter names that would be read as registers (issue 10, defect 2).
//!
//! A parameter is a name in both blocks and in Go's frame references
//! (`name+0(FP)`). Where a block would read the name as a physical register, the
//! parameter is never loaded; where Go's assembler reads it as a register, the frame
//! reference does not assemble. The rule, the same on both architectures: such a
//! name is a compile error at the parameter. The Rust signature is shared by every
//! block, so a name that is a register on either architecture is refused even when
//! the function has only the other block.

use crate::arch::Arch;
use crate::backends::backend;

/// Why the parameter `rust` (Go name `go`) cannot be named so, if it cannot.
pub fn clash(rust: &str, go: &str) -> Option<String> {
    let backends = || Arch::ALL.into_iter().map(|a| (a, backend(a)));
    let why = if let Some((arch, _)) = backends().find(|(_, b)| b.is_register(rust)) {
        let arch = arch.goarch();
        format!("the {arch} register {rust}: inside an {arch}! block it would mean the register")
    } else if backends().any(|(_, b)| b.is_go_register(go)) {
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
