//! The arm64 form table: mnemonic, operand pattern (see `forms.rs` for the pattern
//! language), fixed bits, extra bits of the 64-bit variant of an `R` row, and the Go
//! spelling (`%N` operand N in Go syntax, `%Nv` a bare `Vn`, `%w` the `.W`/`.P`
//! suffix of a pre/post-indexed address, `~` `W` in 32-bit rows, `@` `S`/`D` for the
//! row's float size; empty: printed as `WORD`).
//!
//! Order matters: the first row that fits the operands wins.

mod simd;

use super::forms::Row;
use simd::{half_precision, half_precision_conversions, neon};

/// The unscaled (`ldur`) encoding of a load/store whose unsigned-offset encoding is `b`.
const fn u9(b: u32) -> u32 {
    b & !(1 << 24)
}
const fn post(b: u32) -> u32 {
    u9(b) | 0x400
}
const fn pre(b: u32) -> u32 {
    u9(b) | 0xc00
}
const fn roff(b: u32) -> u32 {
    u9(b) | 0x20_0800
}

macro_rules! ldst {
    ($m:literal, $mu:literal, $reg:literal, $s:literal, $b:expr, $go:literal) => {
        [
            Row(
                $m,
                concat!($reg, ", [u:", $s, "]"),
                $b,
                0,
                concat!($go, " %1, %0"),
            ),
            Row(
                $m,
                concat!($reg, ", [s9]"),
                u9($b),
                0,
                concat!($go, " %1, %0"),
            ),
            Row(
                $m,
                concat!($reg, ", [pre9]"),
                pre($b),
                0,
                concat!($go, ".W %1, %0"),
            ),
            Row(
                $m,
                concat!($reg, ", [post9]"),
                post($b),
                0,
                concat!($go, ".P %1, %0"),
            ),
            Row(
                $m,
                concat!($reg, ", [r:", $s, "]"),
                roff($b),
                0,
                concat!($go, " %1, %0"),
            ),
            Row($mu, concat!($reg, ", [s9]"), u9($b), 0, ""),
        ]
    };
}
macro_rules! stst {
    ($m:literal, $mu:literal, $reg:literal, $s:literal, $b:expr, $go:literal) => {
        [
            Row(
                $m,
                concat!($reg, ", [u:", $s, "]"),
                $b,
                0,
                concat!($go, " %0, %1"),
            ),
            Row(
                $m,
                concat!($reg, ", [s9]"),
                u9($b),
                0,
                concat!($go, " %0, %1"),
            ),
            Row(
                $m,
                concat!($reg, ", [pre9]"),
                pre($b),
                0,
                concat!($go, ".W %0, %1"),
            ),
            Row(
                $m,
                concat!($reg, ", [post9]"),
                post($b),
                0,
                concat!($go, ".P %0, %1"),
            ),
            Row(
                $m,
                concat!($reg, ", [r:", $s, "]"),
                roff($b),
                0,
                concat!($go, " %0, %1"),
            ),
            Row($mu, concat!($reg, ", [s9]"), u9($b), 0, ""),
        ]
    };
}
macro_rules! pair {
    ($m:literal, $r:literal, $s:literal, $b:expr, $go:literal, ld) => {
        [
            Row(
                $m,
                concat!($r, "t, ", $r, "t2, [p:", $s, "]"),
                $b | 0x0100_0000,
                0,
                concat!($go, " %2, (%0, %1)"),
            ),
            Row(
                $m,
                concat!($r, "t, ", $r, "t2, [pp:", $s, "]"),
                $b | 0x0180_0000,
                0,
                concat!($go, ".W %2, (%0, %1)"),
            ),
            Row(
                $m,
                concat!($r, "t, ", $r, "t2, [pq:", $s, "]"),
                $b | 0x0080_0000,
                0,
                concat!($go, ".P %2, (%0, %1)"),
            ),
        ]
    };
    ($m:literal, $r:literal, $s:literal, $b:expr, $go:literal, st) => {
        [
            Row(
                $m,
                concat!($r, "t, ", $r, "t2, [p:", $s, "]"),
                $b | 0x0100_0000,
                0,
                concat!($go, " (%0, %1), %2"),
            ),
            Row(
                $m,
                concat!($r, "t, ", $r, "t2, [pp:", $s, "]"),
                $b | 0x0180_0000,
                0,
                concat!($go, ".W (%0, %1), %2"),
            ),
            Row(
                $m,
                concat!($r, "t, ", $r, "t2, [pq:", $s, "]"),
                $b | 0x0080_0000,
                0,
                concat!($go, ".P (%0, %1), %2"),
            ),
        ]
    };
}

/// Every form, in matching order.
fn untagged_rows() -> Vec<Row> {
    let mut v: Vec<Row> = vec![
        // ---- add/sub ----
        Row(
            "add",
            "RdSP, RnSP, #aimm, ?lsl12",
            0x1100_0000,
            0,
            "ADD~ %2, %1, %0",
        ),
        Row("add", "Rd, Rn, Rm, ?sh3", 0x0b00_0000, 0, "ADD~ %2, %1, %0"),
        Row(
            "add",
            "WdSP, WnSP, Wm, ?extw",
            0x0b20_0000,
            0,
            "ADDW %2, %1, %0",
        ),
        Row(
            "add",
            "XdSP, XnSP, Wm, !extw",
            0x8b20_0000,
            0,
            "ADD %2, %1, %0",
        ),
        Row(
            "add",
            "XdSP, XnSP, Xm, ?extx",
            0x8b20_0000,
            0,
            "ADD %2, %1, %0",
        ),
        Row(
            "adds",
            "Rd, RnSP, #aimm, ?lsl12",
            0x3100_0000,
            0,
            "!z0 ADDS~ %2, %1, %0",
        ),
        Row(
            "adds",
            "Rd, Rn, Rm, ?sh3",
            0x2b00_0000,
            0,
            "!z0 ADDS~ %2, %1, %0",
        ),
        Row(
            "adds",
            "Wd, WnSP, Wm, ?extw",
            0x2b20_0000,
            0,
            "!z0 ADDSW %2, %1, %0",
        ),
        Row(
            "adds",
            "Xd, XnSP, Wm, !extw",
            0xab20_0000,
            0,
            "!z0 ADDS %2, %1, %0",
        ),
        Row(
            "adds",
            "Xd, XnSP, Xm, ?extx",
            0xab20_0000,
            0,
            "!z0 ADDS %2, %1, %0",
        ),
        Row(
            "sub",
            "RdSP, RnSP, #aimm, ?lsl12",
            0x5100_0000,
            0,
            "SUB~ %2, %1, %0",
        ),
        Row("sub", "Rd, Rn, Rm, ?sh3", 0x4b00_0000, 0, "SUB~ %2, %1, %0"),
        Row(
            "sub",
            "WdSP, WnSP, Wm, ?extw",
            0x4b20_0000,
            0,
            "SUBW %2, %1, %0",
        ),
        Row(
            "sub",
            "XdSP, XnSP, Wm, !extw",
            0xcb20_0000,
            0,
            "SUB %2, %1, %0",
        ),
        Row(
            "sub",
            "XdSP, XnSP, Xm, ?extx",
            0xcb20_0000,
            0,
            "SUB %2, %1, %0",
        ),
        Row(
            "subs",
            "Rd, RnSP, #aimm, ?lsl12",
            0x7100_0000,
            0,
            "!z0 SUBS~ %2, %1, %0",
        ),
        Row(
            "subs",
            "Rd, Rn, Rm, ?sh3",
            0x6b00_0000,
            0,
            "!z0 SUBS~ %2, %1, %0",
        ),
        Row(
            "subs",
            "Wd, WnSP, Wm, ?extw",
            0x6b20_0000,
            0,
            "!z0 SUBSW %2, %1, %0",
        ),
        Row(
            "subs",
            "Xd, XnSP, Wm, !extw",
            0xeb20_0000,
            0,
            "!z0 SUBS %2, %1, %0",
        ),
        Row(
            "subs",
            "Xd, XnSP, Xm, ?extx",
            0xeb20_0000,
            0,
            "!z0 SUBS %2, %1, %0",
        ),
        Row("cmp", "RnSP, #aimm, ?lsl12", 0x7100_001f, 0, "CMP~ %1, %0"),
        Row("cmp", "Rn, Rm, ?sh3", 0x6b00_001f, 0, "CMP~ %1, %0"),
        Row("cmp", "WnSP, Wm, ?extw", 0x6b20_001f, 0, "CMPW %1, %0"),
        Row("cmp", "XnSP, Wm, !extw", 0xeb20_001f, 0, "CMP %1, %0"),
        Row("cmp", "XnSP, Xm, ?extx", 0xeb20_001f, 0, "CMP %1, %0"),
        Row("cmn", "RnSP, #aimm, ?lsl12", 0x3100_001f, 0, "CMN~ %1, %0"),
        Row("cmn", "Rn, Rm, ?sh3", 0x2b00_001f, 0, "CMN~ %1, %0"),
        Row("neg", "Rd, Rm, ?sh3", 0x4b00_03e0, 0, "NEG~ %1, %0"),
        Row("negs", "Rd, Rm, ?sh3", 0x6b00_03e0, 0, "NEGS~ %1, %0"),
        Row("adc", "Rd, Rn, Rm", 0x1a00_0000, 0, "ADC~ %2, %1, %0"),
        Row("adcs", "Rd, Rn, Rm", 0x3a00_0000, 0, "ADCS~ %2, %1, %0"),
        Row("sbc", "Rd, Rn, Rm", 0x5a00_0000, 0, "SBC~ %2, %1, %0"),
        Row("sbcs", "Rd, Rn, Rm", 0x7a00_0000, 0, "SBCS~ %2, %1, %0"),
        Row("ngc", "Rd, Rm", 0x5a00_03e0, 0, "NGC~ %1, %0"),
        // ---- logical ----
        Row(
            "and",
            "RdSP, Rn, #limm",
            0x1200_0000,
            0x0,
            "AND~ %2, %1, %0",
        ),
        Row("and", "Rd, Rn, Rm, ?sh4", 0x0a00_0000, 0, "AND~ %2, %1, %0"),
        Row("orr", "RdSP, Rn, #limm", 0x3200_0000, 0, "ORR~ %2, %1, %0"),
        Row("orr", "Rd, Rn, Rm, ?sh4", 0x2a00_0000, 0, "ORR~ %2, %1, %0"),
        Row("eor", "RdSP, Rn, #limm", 0x5200_0000, 0, "EOR~ %2, %1, %0"),
        Row("eor", "Rd, Rn, Rm, ?sh4", 0x4a00_0000, 0, "EOR~ %2, %1, %0"),
        Row("ands", "Rd, Rn, #limm", 0x7200_0000, 0, "ANDS~ %2, %1, %0"),
        Row(
            "ands",
            "Rd, Rn, Rm, ?sh4",
            0x6a00_0000,
            0,
            "ANDS~ %2, %1, %0",
        ),
        Row("bic", "Rd, Rn, Rm, ?sh4", 0x0a20_0000, 0, "BIC~ %2, %1, %0"),
        Row("orn", "Rd, Rn, Rm, ?sh4", 0x2a20_0000, 0, "ORN~ %2, %1, %0"),
        Row("eon", "Rd, Rn, Rm, ?sh4", 0x4a20_0000, 0, "EON~ %2, %1, %0"),
        Row(
            "bics",
            "Rd, Rn, Rm, ?sh4",
            0x6a20_0000,
            0,
            "BICS~ %2, %1, %0",
        ),
        Row("tst", "Rn, #limm", 0x7200_001f, 0, "TST~ %1, %0"),
        Row("tst", "Rn, Rm, ?sh4", 0x6a00_001f, 0, "TST~ %1, %0"),
        Row("mvn", "Rd, Rm, ?sh4", 0x2a20_03e0, 0, "MVN~ %1, %0"),
        // ---- moves ----
        Row("mov", "Xd, Xm", 0xaa00_03e0, 0, "MOVD %1, %0"),
        Row("mov", "Rd, #movz", 0x5280_0000, 0, "MOVZ~ %1u, %0"),
        Row("mov", "Rd, #movn", 0x1280_0000, 0, "MOVN~ %1n, %0"),
        Row("mov", "RdSP, #limm", 0x3200_03e0, 0, "MOV^ %1, %0"),
        Row("mov", "Wd, Wm", 0x2a00_03e0, 0, "MOVWU %1, %0"),
        Row("mov", "RdSP, RnSP", 0x1100_0000, 0, ""),
        Row("movz", "Rd, #mimm, ?hw", 0x5280_0000, 0, "MOVZ~ %1, %0"),
        Row("movn", "Rd, #mimm, ?hw", 0x1280_0000, 0, "MOVN~ %1, %0"),
        Row("movk", "Rd, #mimm, ?hw", 0x7280_0000, 0, "MOVK~ %1, %0"),
        // ---- multiply/divide ----
        Row(
            "madd",
            "Rd, Rn, Rm, Ra",
            0x1b00_0000,
            0,
            "MADD~ %2, %3, %1, %0",
        ),
        Row(
            "msub",
            "Rd, Rn, Rm, Ra",
            0x1b00_8000,
            0,
            "MSUB~ %2, %3, %1, %0",
        ),
        Row("mul", "Rd, Rn, Rm", 0x1b00_7c00, 0, "MUL~ %2, %1, %0"),
        Row("mneg", "Rd, Rn, Rm", 0x1b00_fc00, 0, "MNEG~ %2, %1, %0"),
        Row(
            "smaddl",
            "Xd, Wn, Wm, Xa",
            0x9b20_0000,
            0,
            "SMADDL %2, %3, %1, %0",
        ),
        Row(
            "umaddl",
            "Xd, Wn, Wm, Xa",
            0x9ba0_0000,
            0,
            "UMADDL %2, %3, %1, %0",
        ),
        Row(
            "smsubl",
            "Xd, Wn, Wm, Xa",
            0x9b20_8000,
            0,
            "SMSUBL %2, %3, %1, %0",
        ),
        Row(
            "umsubl",
            "Xd, Wn, Wm, Xa",
            0x9ba0_8000,
            0,
            "UMSUBL %2, %3, %1, %0",
        ),
        Row("smull", "Xd, Wn, Wm", 0x9b20_7c00, 0, "SMULL %2, %1, %0"),
        Row("umull", "Xd, Wn, Wm", 0x9ba0_7c00, 0, "UMULL %2, %1, %0"),
        Row("smulh", "Xd, Xn, Xm", 0x9b40_7c00, 0, "SMULH %2, %1, %0"),
        Row("umulh", "Xd, Xn, Xm", 0x9bc0_7c00, 0, "UMULH %2, %1, %0"),
        Row("udiv", "Rd, Rn, Rm", 0x1ac0_0800, 0, "UDIV~ %2, %1, %0"),
        Row("sdiv", "Rd, Rn, Rm", 0x1ac0_0c00, 0, "SDIV~ %2, %1, %0"),
        // ---- shifts and bitfields ----
        Row("lsl", "Rd, Rn, Rm", 0x1ac0_2000, 0, "LSL~ %2, %1, %0"),
        Row("lsr", "Rd, Rn, Rm", 0x1ac0_2400, 0, "LSR~ %2, %1, %0"),
        Row("asr", "Rd, Rn, Rm", 0x1ac0_2800, 0, "ASR~ %2, %1, %0"),
        Row("ror", "Rd, Rn, Rm", 0x1ac0_2c00, 0, "ROR~ %2, %1, %0"),
        Row("lslv", "Rd, Rn, Rm", 0x1ac0_2000, 0, "LSL~ %2, %1, %0"),
        Row("lsrv", "Rd, Rn, Rm", 0x1ac0_2400, 0, "LSR~ %2, %1, %0"),
        Row("asrv", "Rd, Rn, Rm", 0x1ac0_2800, 0, "ASR~ %2, %1, %0"),
        Row("rorv", "Rd, Rn, Rm", 0x1ac0_2c00, 0, "ROR~ %2, %1, %0"),
        Row(
            "lsl",
            "Rd, Rn, #lsl",
            0x5300_0000,
            0x40_0000,
            "LSL~ %2, %1, %0",
        ),
        Row(
            "lsr",
            "Rd, Rn, #lsr",
            0x5300_0000,
            0x40_0000,
            "LSR~ %2, %1, %0",
        ),
        Row(
            "asr",
            "Rd, Rn, #lsr",
            0x1300_0000,
            0x40_0000,
            "ASR~ %2, %1, %0",
        ),
        Row(
            "ror",
            "Rd, Rnm, #w@10",
            0x1380_0000,
            0x40_0000,
            "ROR~ %2, %1, %0",
        ),
        Row(
            "extr",
            "Rd, Rn, Rm, #w@10",
            0x1380_0000,
            0x40_0000,
            "EXTR~ %3, %2, %1, %0",
        ),
        Row(
            "ubfm",
            "Rd, Rn, #w@16, #w@10",
            0x5300_0000,
            0x40_0000,
            "UBFM~ %2, %1, %3, %0",
        ),
        Row(
            "sbfm",
            "Rd, Rn, #w@16, #w@10",
            0x1300_0000,
            0x40_0000,
            "SBFM~ %2, %1, %3, %0",
        ),
        Row(
            "bfm",
            "Rd, Rn, #w@16, #w@10",
            0x3300_0000,
            0x40_0000,
            "BFM~ %2, %1, %3, %0",
        ),
        Row(
            "ubfx",
            "Rd, Rn, #w@16, #bfw",
            0x5300_0000,
            0x40_0000,
            "UBFX~ %2, %1, %3, %0",
        ),
        Row(
            "sbfx",
            "Rd, Rn, #w@16, #bfw",
            0x1300_0000,
            0x40_0000,
            "SBFX~ %2, %1, %3, %0",
        ),
        Row(
            "bfxil",
            "Rd, Rn, #w@16, #bfw",
            0x3300_0000,
            0x40_0000,
            "BFXIL~ %2, %1, %3, %0",
        ),
        Row(
            "ubfiz",
            "Rd, Rn, #izl, #izw",
            0x5300_0000,
            0x40_0000,
            "UBFIZ~ %2, %1, %3, %0",
        ),
        Row(
            "sbfiz",
            "Rd, Rn, #izl, #izw",
            0x1300_0000,
            0x40_0000,
            "SBFIZ~ %2, %1, %3, %0",
        ),
        Row(
            "bfi",
            "Rd, Rn, #izl, #izw",
            0x3300_0000,
            0x40_0000,
            "BFI~ %2, %1, %3, %0",
        ),
        Row("uxtb", "Wd, Wn", 0x5300_1c00, 0, "!z1 UXTBW %1, %0"),
        Row("uxth", "Wd, Wn", 0x5300_3c00, 0, "!z1 UXTHW %1, %0"),
        Row("sxtb", "Rd, Wn", 0x1300_1c00, 0x40_0000, "!z1 SXTB~ %1, %0"),
        Row("sxth", "Rd, Wn", 0x1300_3c00, 0x40_0000, "!z1 SXTH~ %1, %0"),
        Row("sxtw", "Xd, Wn", 0x9340_7c00, 0, "!z1 SXTW %1, %0"),
        Row("clz", "Rd, Rn", 0x5ac0_1000, 0, "CLZ~ %1, %0"),
        Row("cls", "Rd, Rn", 0x5ac0_1400, 0, "CLS~ %1, %0"),
        Row("rbit", "Rd, Rn", 0x5ac0_0000, 0, "RBIT~ %1, %0"),
        Row("rev16", "Rd, Rn", 0x5ac0_0400, 0, "REV16~ %1, %0"),
        Row("rev", "Wd, Wn", 0x5ac0_0800, 0, "REVW %1, %0"),
        Row("rev", "Xd, Xn", 0xdac0_0c00, 0, "REV %1, %0"),
        Row("rev32", "Xd, Xn", 0xdac0_0800, 0, "REV32 %1, %0"),
        // ---- conditional ----
        Row(
            "csel",
            "Rd, Rn, Rm, cond@12",
            0x1a80_0000,
            0,
            "CSEL~ %3, %1, %2, %0",
        ),
        Row(
            "csinc",
            "Rd, Rn, Rm, cond@12",
            0x1a80_0400,
            0,
            "CSINC~ %3, %1, %2, %0",
        ),
        Row(
            "csinv",
            "Rd, Rn, Rm, cond@12",
            0x5a80_0000,
            0,
            "CSINV~ %3, %1, %2, %0",
        ),
        Row(
            "csneg",
            "Rd, Rn, Rm, cond@12",
            0x5a80_0400,
            0,
            "CSNEG~ %3, %1, %2, %0",
        ),
        Row("cset", "Rd, ncond@12", 0x1a9f_07e0, 0, "CSET~ %1, %0"),
        Row("csetm", "Rd, ncond@12", 0x5a9f_03e0, 0, "CSETM~ %1, %0"),
        Row(
            "cinc",
            "Rd, Rnm, ncond@12",
            0x1a80_0400,
            0,
            "CINC~ %2, %1, %0",
        ),
        Row(
            "cinv",
            "Rd, Rnm, ncond@12",
            0x5a80_0000,
            0,
            "CINV~ %2, %1, %0",
        ),
        Row(
            "cneg",
            "Rd, Rnm, ncond@12",
            0x5a80_0400,
            0,
            "CNEG~ %2, %1, %0",
        ),
        Row(
            "ccmp",
            "Rn, #u:5@16, #u:4@0, cond@12",
            0x7a40_0800,
            0,
            "CCMP~ %3, %0, %1, %2",
        ),
        Row(
            "ccmp",
            "Rn, Rm, #u:4@0, cond@12",
            0x7a40_0000,
            0,
            "CCMP~ %3, %0, %1, %2",
        ),
        Row(
            "ccmn",
            "Rn, #u:5@16, #u:4@0, cond@12",
            0x3a40_0800,
            0,
            "CCMN~ %3, %0, %1, %2",
        ),
        Row(
            "ccmn",
            "Rn, Rm, #u:4@0, cond@12",
            0x3a40_0000,
            0,
            "CCMN~ %3, %0, %1, %2",
        ),
        // ---- crc32 ----
        Row("crc32b", "Wd, Wn, Wm", 0x1ac0_4000, 0, "CRC32B %2, %1, %0"),
        Row("crc32h", "Wd, Wn, Wm", 0x1ac0_4400, 0, "CRC32H %2, %1, %0"),
        Row("crc32w", "Wd, Wn, Wm", 0x1ac0_4800, 0, "CRC32W %2, %1, %0"),
        Row("crc32x", "Wd, Wn, Xm", 0x9ac0_4c00, 0, "CRC32X %2, %1, %0"),
        Row(
            "crc32cb",
            "Wd, Wn, Wm",
            0x1ac0_5000,
            0,
            "CRC32CB %2, %1, %0",
        ),
        Row(
            "crc32ch",
            "Wd, Wn, Wm",
            0x1ac0_5400,
            0,
            "CRC32CH %2, %1, %0",
        ),
        Row(
            "crc32cw",
            "Wd, Wn, Wm",
            0x1ac0_5800,
            0,
            "CRC32CW %2, %1, %0",
        ),
        Row(
            "crc32cx",
            "Wd, Wn, Xm",
            0x9ac0_5c00,
            0,
            "CRC32CX %2, %1, %0",
        ),
        // ---- branches ----
        Row("b", "@26", 0x1400_0000, 0, "B %0"),
        Row("b.cond", "cond@0, @19", 0x5400_0000, 0, "B%0 %1"),
        Row("cbz", "Rt, @19", 0x3400_0000, 0, "CBZ~ %0, %1"),
        Row("cbnz", "Rt, @19", 0x3500_0000, 0, "CBNZ~ %0, %1"),
        Row("tbz", "Wt, #tbit, @14", 0x3600_0000, 0, "TBZ %1, %0, %2"),
        Row("tbz", "Xt, #tbit, @14", 0x3600_0000, 0, "TBZ %1, %0, %2"),
        Row("tbnz", "Wt, #tbit, @14", 0x3700_0000, 0, "TBNZ %1, %0, %2"),
        Row("tbnz", "Xt, #tbit, @14", 0x3700_0000, 0, "TBNZ %1, %0, %2"),
        Row("br", "Xn", 0xd61f_0000, 0, ""),
        Row("blr", "Xn", 0xd63f_0000, 0, ""),
        Row("ret", "", 0xd65f_03c0, 0, ""),
        Row("ret", "Xn", 0xd65f_0000, 0, ""),
        Row("adr", "Xd, @adr", 0x1000_0000, 0, ""),
        Row("adr", "Xd, =tbl", 0x9000_0000, 0, "MOVD %1, %0"),
        Row("nop", "", 0xd503_201f, 0, "NOOP"),
        // ---- exclusive / acquire-release ----
        Row("ldar", "Xt, [b]", 0xc8df_fc00, 0, "LDAR %1, %0"),
        Row("ldar", "Wt, [b]", 0x88df_fc00, 0, "LDARW %1, %0"),
        Row("ldarb", "Wt, [b]", 0x08df_fc00, 0, "LDARB %1, %0"),
        Row("ldarh", "Wt, [b]", 0x48df_fc00, 0, "LDARH %1, %0"),
        Row("stlr", "Xt, [b]", 0xc89f_fc00, 0, "STLR %0, %1"),
        Row("stlr", "Wt, [b]", 0x889f_fc00, 0, "STLRW %0, %1"),
        Row("stlrb", "Wt, [b]", 0x089f_fc00, 0, "STLRB %0, %1"),
        Row("stlrh", "Wt, [b]", 0x489f_fc00, 0, "STLRH %0, %1"),
        Row("ldxr", "Xt, [b]", 0xc85f_7c00, 0, "LDXR %1, %0"),
        Row("ldxr", "Wt, [b]", 0x885f_7c00, 0, "LDXRW %1, %0"),
        Row("ldaxr", "Xt, [b]", 0xc85f_fc00, 0, "LDAXR %1, %0"),
        Row("ldaxr", "Wt, [b]", 0x885f_fc00, 0, "LDAXRW %1, %0"),
        Row("stxr", "Ws, Xt, [b]", 0xc800_7c00, 0, "STXR %1, %2, %0"),
        Row("stxr", "Ws, Wt, [b]", 0x8800_7c00, 0, "STXRW %1, %2, %0"),
        Row("stlxr", "Ws, Xt, [b]", 0xc800_fc00, 0, "STLXR %1, %2, %0"),
        Row("stlxr", "Ws, Wt, [b]", 0x8800_fc00, 0, "STLXRW %1, %2, %0"),
        // ---- scalar floating point ----
        Row("fadd", "Fd, Fn, Fm", 0x1e20_2800, 0, "FADD@ %2, %1, %0"),
        Row("fsub", "Fd, Fn, Fm", 0x1e20_3800, 0, "FSUB@ %2, %1, %0"),
        Row("fmul", "Fd, Fn, Fm", 0x1e20_0800, 0, "FMUL@ %2, %1, %0"),
        Row("fdiv", "Fd, Fn, Fm", 0x1e20_1800, 0, "FDIV@ %2, %1, %0"),
        Row("fmax", "Fd, Fn, Fm", 0x1e20_4800, 0, "FMAX@ %2, %1, %0"),
        Row("fmin", "Fd, Fn, Fm", 0x1e20_5800, 0, "FMIN@ %2, %1, %0"),
        Row("fmaxnm", "Fd, Fn, Fm", 0x1e20_6800, 0, "FMAXNM@ %2, %1, %0"),
        Row("fminnm", "Fd, Fn, Fm", 0x1e20_7800, 0, "FMINNM@ %2, %1, %0"),
        Row("fnmul", "Fd, Fn, Fm", 0x1e20_8800, 0, "FNMUL@ %2, %1, %0"),
        Row(
            "fmadd",
            "Fd, Fn, Fm, Fa",
            0x1f00_0000,
            0,
            "FMADD@ %2, %3, %1, %0",
        ),
        Row(
            "fmsub",
            "Fd, Fn, Fm, Fa",
            0x1f00_8000,
            0,
            "FMSUB@ %2, %3, %1, %0",
        ),
        Row(
            "fnmadd",
            "Fd, Fn, Fm, Fa",
            0x1f20_0000,
            0,
            "FNMADD@ %2, %3, %1, %0",
        ),
        Row(
            "fnmsub",
            "Fd, Fn, Fm, Fa",
            0x1f20_8000,
            0,
            "FNMSUB@ %2, %3, %1, %0",
        ),
        Row("fabs", "Fd, Fn", 0x1e20_c000, 0, "FABS@ %1, %0"),
        Row("fneg", "Fd, Fn", 0x1e21_4000, 0, "FNEG@ %1, %0"),
        Row("fsqrt", "Fd, Fn", 0x1e21_c000, 0, "FSQRT@ %1, %0"),
        Row("frintn", "Fd, Fn", 0x1e24_4000, 0, "FRINTN@ %1, %0"),
        Row("frintp", "Fd, Fn", 0x1e24_c000, 0, "FRINTP@ %1, %0"),
        Row("frintm", "Fd, Fn", 0x1e25_4000, 0, "FRINTM@ %1, %0"),
        Row("frintz", "Fd, Fn", 0x1e25_c000, 0, "FRINTZ@ %1, %0"),
        Row("frinta", "Fd, Fn", 0x1e26_4000, 0, "FRINTA@ %1, %0"),
        Row("frintx", "Fd, Fn", 0x1e27_4000, 0, "FRINTX@ %1, %0"),
        Row("frinti", "Fd, Fn", 0x1e27_c000, 0, "FRINTI@ %1, %0"),
        Row("fcmp", "Fn, #0", 0x1e20_2008, 0, "FCMP@ $(0.0), %0"),
        Row("fcmp", "Fn, Fm", 0x1e20_2000, 0, "FCMP@ %1, %0"),
        Row("fcmpe", "Fn, #0", 0x1e20_2018, 0, "FCMPE@ $(0.0), %0"),
        Row("fcmpe", "Fn, Fm", 0x1e20_2010, 0, "FCMPE@ %1, %0"),
        Row(
            "fcsel",
            "Fd, Fn, Fm, cond@12",
            0x1e20_0c00,
            0,
            "FCSEL@ %3, %1, %2, %0",
        ),
        Row("fcvt", "Dd, Sn", 0x1e22_c000, 0, "FCVTSD %1, %0"),
        Row("fcvt", "Sd, Dn", 0x1e62_4000, 0, "FCVTDS %1, %0"),
        Row("fmov", "Fd, Fn", 0x1e20_4000, 0, "FMOV@ %1, %0"),
        Row("fmov", "Fd, #f8", 0x1e20_1000, 0, "FMOV@ %1, %0"),
        Row("fmov", "Wd, Sn", 0x1e26_0000, 0, "FMOVS %1, %0"),
        Row("fmov", "Sd, Wn", 0x1e27_0000, 0, "FMOVS %1, %0"),
        Row("fmov", "Xd, Dn", 0x9e66_0000, 0, "FMOVD %1, %0"),
        Row("fmov", "Dd, Xn", 0x9e67_0000, 0, "FMOVD %1, %0"),
        Row("scvtf", "Sd, Rn", 0x1e22_0000, 0, "SCVTF~S %1, %0"),
        Row("scvtf", "Dd, Rn", 0x1e62_0000, 0, "SCVTF~D %1, %0"),
        Row("ucvtf", "Sd, Rn", 0x1e23_0000, 0, "UCVTF~S %1, %0"),
        Row("ucvtf", "Dd, Rn", 0x1e63_0000, 0, "UCVTF~D %1, %0"),
        Row("fcvtzs", "Rd, Sn", 0x1e38_0000, 0, "FCVTZSS~ %1, %0"),
        Row("fcvtzs", "Rd, Dn", 0x1e78_0000, 0, "FCVTZSD~ %1, %0"),
        Row("fcvtzu", "Rd, Sn", 0x1e39_0000, 0, "FCVTZUS~ %1, %0"),
        Row("fcvtzu", "Rd, Dn", 0x1e79_0000, 0, "FCVTZUD~ %1, %0"),
        Row("fcvtns", "Rd, Fn", 0x1e20_0000, 0, ""),
        Row("fcvtnu", "Rd, Fn", 0x1e21_0000, 0, ""),
        Row("fcvtms", "Rd, Fn", 0x1e30_0000, 0, ""),
        Row("fcvtps", "Rd, Fn", 0x1e28_0000, 0, ""),
        Row("fcvtas", "Rd, Fn", 0x1e24_0000, 0, ""),
        // ---- pairs ----
    ];
    v.extend(pair!("ldp", "X", "3", 0xa840_0000, "LDP", ld));
    v.extend(pair!("ldp", "W", "2", 0x2840_0000, "LDPW", ld));
    v.extend(pair!("ldpsw", "X", "2", 0x6840_0000, "LDPSW", ld));
    v.extend(pair!("ldp", "S", "2", 0x2c40_0000, "FLDPS", ld));
    v.extend(pair!("ldp", "D", "3", 0x6c40_0000, "FLDPD", ld));
    v.extend(pair!("ldp", "Q", "4", 0xac40_0000, "FLDPQ", ld));
    v.extend(pair!("stp", "X", "3", 0xa800_0000, "STP", st));
    v.extend(pair!("stp", "W", "2", 0x2800_0000, "STPW", st));
    v.extend(pair!("stp", "S", "2", 0x2c00_0000, "FSTPS", st));
    v.extend(pair!("stp", "D", "3", 0x6c00_0000, "FSTPD", st));
    v.extend(pair!("stp", "Q", "4", 0xac00_0000, "FSTPQ", st));
    // ---- loads and stores ----
    v.extend(ldst!("ldr", "ldur", "Xt", "3", 0xf940_0000, "MOVD"));
    v.extend(ldst!("ldr", "ldur", "Wt", "2", 0xb940_0000, "MOVWU"));
    v.extend(ldst!("ldrb", "ldurb", "Wt", "0", 0x3940_0000, "MOVBU"));
    v.extend(ldst!("ldrh", "ldurh", "Wt", "1", 0x7940_0000, "MOVHU"));
    v.extend(ldst!("ldrsb", "ldursb", "Xt", "0", 0x3980_0000, "MOVB"));
    v.extend(ldst!("ldrsb", "ldursb", "Wt", "0", 0x39c0_0000, ""));
    v.extend(ldst!("ldrsh", "ldursh", "Xt", "1", 0x7980_0000, "MOVH"));
    v.extend(ldst!("ldrsh", "ldursh", "Wt", "1", 0x79c0_0000, ""));
    v.extend(ldst!("ldrsw", "ldursw", "Xt", "2", 0xb980_0000, "MOVW"));
    v.extend(ldst!("ldr", "ldur", "Bt", "0", 0x3d40_0000, ""));
    v.extend(ldst!("ldr", "ldur", "Ht", "1", 0x7d40_0000, ""));
    v.extend(ldst!("ldr", "ldur", "St", "2", 0xbd40_0000, "FMOVS"));
    v.extend(ldst!("ldr", "ldur", "Dt", "3", 0xfd40_0000, "FMOVD"));
    v.extend(ldst!("ldr", "ldur", "Qt", "4", 0x3dc0_0000, "FMOVQ"));
    v.extend(stst!("str", "stur", "Xt", "3", 0xf900_0000, "MOVD"));
    v.extend(stst!("str", "stur", "Wt", "2", 0xb900_0000, "MOVW"));
    v.extend(stst!("strb", "sturb", "Wt", "0", 0x3900_0000, "MOVB"));
    v.extend(stst!("strh", "sturh", "Wt", "1", 0x7900_0000, "MOVH"));
    v.extend(stst!("str", "stur", "Bt", "0", 0x3d00_0000, ""));
    v.extend(stst!("str", "stur", "Ht", "1", 0x7d00_0000, ""));
    v.extend(stst!("str", "stur", "St", "2", 0xbd00_0000, "FMOVS"));
    v.extend(stst!("str", "stur", "Dt", "3", 0xfd00_0000, "FMOVD"));
    v.extend(stst!("str", "stur", "Qt", "4", 0x3d80_0000, "FMOVQ"));
    // ---- NEON loads and stores ----
    for (m, op, n, d1, go) in [
        ("ld1", 0x0c40_7000u32, "1", ":tD", "VLD1"),
        ("ld1", 0x0c40_a000, "2", ":tD", "VLD1"),
        ("ld1", 0x0c40_6000, "3", ":tD", "VLD1"),
        ("ld1", 0x0c40_2000, "4", ":tD", "VLD1"),
        ("ld2", 0x0c40_8000, "2", ":t", "VLD2"),
        ("ld3", 0x0c40_4000, "3", ":t", "VLD3"),
        ("ld4", 0x0c40_0000, "4", ":t", "VLD4"),
        ("st1", 0x0c00_7000, "1", ":tD", "VST1"),
        ("st1", 0x0c00_a000, "2", ":tD", "VST1"),
        ("st1", 0x0c00_6000, "3", ":tD", "VST1"),
        ("st1", 0x0c00_2000, "4", ":tD", "VST1"),
        ("st2", 0x0c00_8000, "2", ":t", "VST2"),
        ("st3", 0x0c00_4000, "3", ":t", "VST3"),
        ("st4", 0x0c00_0000, "4", ":t", "VST4"),
        ("ld1r", 0x0d40_c000, "1", ":tD", "VLD1R"),
        ("ld2r", 0x0d60_c000, "2", ":tD", "VLD2R"),
        ("ld3r", 0x0d40_e000, "3", ":tD", "VLD3R"),
        ("ld4r", 0x0d60_e000, "4", ":tD", "VLD4R"),
    ] {
        let list: &'static str = leak(format!("{{{n}}}t.bhsd{d1}"));
        let post = if m.ends_with('r') { "[pi:1]" } else { "[pi:0]" };
        let (g, gp): (&'static str, &'static str) = if m.starts_with("st") {
            (leak(format!("{go} %0, %1")), leak(format!("{go}.P %0, %1")))
        } else {
            (leak(format!("{go} %1, %0")), leak(format!("{go}.P %1, %0")))
        };
        v.push(Row(m, leak(format!("{list}, [b]")), op, 0, g));
        v.push(Row(
            m,
            leak(format!("{list}, {post}")),
            op | 0x0080_0000,
            0,
            gp,
        ));
    }
    // Single structures: one lane of each register (`ld1 {v0.s}[1], [x0]`).
    for (m, op, n, go) in [
        ("ld1", 0x0d40_0000u32, "1", "VLD1"),
        ("ld2", 0x0d60_0000, "2", ""),
        ("ld3", 0x0d40_2000, "3", ""),
        ("ld4", 0x0d60_2000, "4", ""),
        ("st1", 0x0d00_0000, "1", "VST1"),
        ("st2", 0x0d20_0000, "2", ""),
        ("st3", 0x0d00_2000, "3", ""),
        ("st4", 0x0d20_2000, "4", ""),
    ] {
        let list: &'static str = leak(format!("{{{n}}}t.bhsd[l]"));
        let (g, gp): (&'static str, &'static str) = match (go, m.starts_with("st")) {
            ("", _) => ("", ""),
            (_, true) => (leak(format!("{go} %0, %1")), leak(format!("{go}.P %0, %1"))),
            (_, false) => (leak(format!("{go} %1, %0")), leak(format!("{go}.P %1, %0"))),
        };
        v.push(Row(m, leak(format!("{list}, [b]")), op, 0, g));
        v.push(Row(
            m,
            leak(format!("{list}, [pi:1]")),
            op | 0x0080_0000,
            0,
            gp,
        ));
    }
    // Go has no register-offset FMOVQ.
    for r in v.iter_mut().filter(|r| r.1 == "Qt, [r:4]") {
        r.4 = "";
    }
    v.extend(neon());
    v
}

/// The feature column: rows whose mnemonic alone says what they need (Rust's
/// `target_feature` names; features.rs).
const MNEMONIC_FEATURES: &[(&str, &str)] = &[("crc32", "crc"), ("aes", "aes"), ("sha1", "sha2")];

/// Every row with the CPU feature it needs beyond ARMv8.0 with NEON (None: none).
pub fn rows() -> Vec<(Row, Option<&'static str>)> {
    let by_mnemonic = |m: &str| {
        MNEMONIC_FEATURES
            .iter()
            .find(|(prefix, _)| m.starts_with(prefix))
            .map(|(_, f)| *f)
    };
    let mut v: Vec<(Row, Option<&'static str>)> = untagged_rows()
        .into_iter()
        .map(|r| {
            let f = by_mnemonic(r.0);
            (r, f)
        })
        .collect();
    v.extend(half_precision_conversions().into_iter().map(|r| (r, None)));
    v.extend(half_precision().into_iter().map(|r| (r, Some("fp16"))));
    v
}

/// A row string built at run time, kept for the table's lifetime.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
