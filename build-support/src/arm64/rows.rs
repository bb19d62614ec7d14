//! The arm64 form table: mnemonic, operand pattern (see `forms.rs` for the pattern
//! language), fixed bits, extra bits of the 64-bit variant of an `R` row, and the Go
//! spelling (`%N` operand N in Go syntax, `%Nv` a bare `Vn`, `%w` the `.W`/`.P`
//! suffix of a pre/post-indexed address, `~` `W` in 32-bit rows, `@` `S`/`D` for the
//! row's float size; empty: printed as `WORD`).
//!
//! Order matters: the first row that fits the operands wins.

use super::forms::Row;

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

/// Conversions to and from `h` (`fcvt`, `fcvtl`, `fcvtn`): base ARMv8.
fn half_precision_conversions() -> Vec<Row> {
    vec![
        Row("fcvt", "Hd, Sn", 0x1e23_c000, 0, "FCVTSH %1, %0"),
        Row("fcvt", "Hd, Dn", 0x1e63_c000, 0, "FCVTDH %1, %0"),
        Row("fcvt", "Sd, Hn", 0x1ee2_4000, 0, "FCVTHS %1, %0"),
        Row("fcvt", "Dd, Hn", 0x1ee2_c000, 0, "FCVTHD %1, %0"),
        Row("fcvtl", "Vd.4s, Vn.4h", 0x0e21_7800, 0, ""),
        Row("fcvtl2", "Vd.4s, Vn.8h", 0x4e21_7800, 0, ""),
        Row("fcvtn", "Vd.4h, Vn.4s", 0x0e21_6800, 0, ""),
        Row("fcvtn2", "Vd.8h, Vn.4s", 0x4e21_6800, 0, ""),
    ]
}

/// Half-precision arithmetic: FEAT_FP16 (ARMv8.2, `fp16`; `asimdhp`/`fphp` in HWCAP).
fn half_precision() -> Vec<Row> {
    let mut v = vec![
        Row("fmov", "Hd, Hn", 0x1ee0_4000, 0, ""),
        Row("fmov", "Wd, Hn", 0x1ee6_0000, 0, ""),
        Row("fmov", "Xd, Hn", 0x9ee6_0000, 0, ""),
        Row("fmov", "Hd, Wn", 0x1ee7_0000, 0, ""),
        Row("fmov", "Hd, Xn", 0x9ee7_0000, 0, ""),
        Row("fcmp", "Hn, #0", 0x1ee0_2008, 0, ""),
        Row("fcmp", "Hn, Hm", 0x1ee0_2000, 0, ""),
        Row("fmadd", "Hd, Hn, Hm, Ha", 0x1fc0_0000, 0, ""),
        Row("fmsub", "Hd, Hn, Hm, Ha", 0x1fc0_8000, 0, ""),
    ];
    for (m, scalar, vector) in [
        ("fadd", 0x1ee0_2800u32, 0x0e40_1400u32),
        ("fsub", 0x1ee0_3800, 0x0ec0_1400),
        ("fmul", 0x1ee0_0800, 0x2e40_1c00),
        ("fdiv", 0x1ee0_1800, 0x2e40_3c00),
        ("fmax", 0x1ee0_4800, 0x0e40_3400),
        ("fmin", 0x1ee0_5800, 0x0ec0_3400),
        ("fmaxnm", 0x1ee0_6800, 0x0e40_0400),
        ("fminnm", 0x1ee0_7800, 0x0ec0_0400),
    ] {
        v.push(Row(m, "Hd, Hn, Hm", scalar, 0, ""));
        v.push(Row(m, "Vd.h:q, Vn.h:q, Vm.h:q", vector, 0, ""));
    }
    for (m, scalar, vector) in [
        ("fabs", 0x1ee0_c000u32, 0x0ef8_f800u32),
        ("fneg", 0x1ee1_4000, 0x2ef8_f800),
        ("fsqrt", 0x1ee1_c000, 0x2ef9_f800),
    ] {
        v.push(Row(m, "Hd, Hn", scalar, 0, ""));
        v.push(Row(m, "Vd.h:q, Vn.h:q", vector, 0, ""));
    }
    for (m, vector) in [
        ("faddp", 0x2e40_1400u32),
        ("fmla", 0x0e40_0c00),
        ("fmls", 0x0ec0_0c00),
    ] {
        v.push(Row(m, "Vd.h:q, Vn.h:q, Vm.h:q", vector, 0, ""));
    }
    v
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn neon() -> Vec<Row> {
    let mut v = vec![
        // ---- three-same integer ----
        Row(
            "add",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e20_8400,
            0,
            "VADD %2, %1, %0",
        ),
        Row(
            "sub",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x2e20_8400,
            0,
            "VSUB %2, %1, %0",
        ),
        Row("add", "Dd, Dn, Dm", 0x5ee0_8400, 0, "VADD %2v, %1v, %0v"),
        Row("sub", "Dd, Dn, Dm", 0x7ee0_8400, 0, "VSUB %2v, %1v, %0v"),
        Row("mul", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_9c00, 0, ""),
        Row("mla", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_9400, 0, ""),
        Row("mls", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_9400, 0, ""),
        Row("mul", "Vd.hs, Vn.hs, Vm.hs[e]", 0x0f00_8000, 0, ""),
        Row("mla", "Vd.hs, Vn.hs, Vm.hs[e]", 0x2f00_0000, 0, ""),
        Row("mls", "Vd.hs, Vn.hs, Vm.hs[e]", 0x2f00_4000, 0, ""),
        Row("pmul", "Vd.b, Vn.b, Vm.b", 0x2e20_9c00, 0, ""),
        Row("and", "Vd.b, Vn.b, Vm.b", 0x0e20_1c00, 0, "VAND %2, %1, %0"),
        Row("bic", "Vd.b, Vn.b, Vm.b", 0x0e60_1c00, 0, ""),
        Row("orr", "Vd.b, Vn.b, Vm.b", 0x0ea0_1c00, 0, "VORR %2, %1, %0"),
        Row("orn", "Vd.b, Vn.b, Vm.b", 0x0ee0_1c00, 0, ""),
        Row("eor", "Vd.b, Vn.b, Vm.b", 0x2e20_1c00, 0, "VEOR %2, %1, %0"),
        Row("bsl", "Vd.b, Vn.b, Vm.b", 0x2e60_1c00, 0, "VBSL %2, %1, %0"),
        Row("bit", "Vd.b, Vn.b, Vm.b", 0x2ea0_1c00, 0, "VBIT %2, %1, %0"),
        Row("bif", "Vd.b, Vn.b, Vm.b", 0x2ee0_1c00, 0, "VBIF %2, %1, %0"),
        Row("mov", "Vd.b, Vnm.b", 0x0ea0_1c00, 0, "VMOV %1, %0"),
        Row("mvn", "Vd.b, Vn.b", 0x2e20_5800, 0, ""),
        Row("not", "Vd.b, Vn.b", 0x2e20_5800, 0, ""),
        Row(
            "cmeq",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x2e20_8c00,
            0,
            "VCMEQ %2, %1, %0",
        ),
        Row(
            "cmtst",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e20_8c00,
            0,
            "VCMTST %2, %1, %0",
        ),
        Row("cmgt", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x0e20_3400, 0, ""),
        Row("cmge", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x0e20_3c00, 0, ""),
        Row("cmhi", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x2e20_3400, 0, ""),
        Row("cmhs", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x2e20_3c00, 0, ""),
        Row("cmeq", "Vd.bhsd, Vn.bhsd, #0", 0x0e20_9800, 0, ""),
        Row("cmgt", "Vd.bhsd, Vn.bhsd, #0", 0x0e20_8800, 0, ""),
        Row("cmge", "Vd.bhsd, Vn.bhsd, #0", 0x2e20_8800, 0, ""),
        Row("cmle", "Vd.bhsd, Vn.bhsd, #0", 0x2e20_9800, 0, ""),
        Row("cmlt", "Vd.bhsd, Vn.bhsd, #0", 0x0e20_a800, 0, ""),
        Row(
            "umax",
            "Vd.bhs, Vn.bhs, Vm.bhs",
            0x2e20_6400,
            0,
            "VUMAX %2, %1, %0",
        ),
        Row(
            "umin",
            "Vd.bhs, Vn.bhs, Vm.bhs",
            0x2e20_6c00,
            0,
            "VUMIN %2, %1, %0",
        ),
        Row("smax", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_6400, 0, ""),
        Row("smin", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_6c00, 0, ""),
        Row("umaxp", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_a400, 0, ""),
        Row("uminp", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_ac00, 0, ""),
        Row("smaxp", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_a400, 0, ""),
        Row("sminp", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_ac00, 0, ""),
        Row(
            "addp",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e20_bc00,
            0,
            "VADDP %2, %1, %0",
        ),
        Row("addp", "Dd, Vn.2d", 0x5ef1_b800, 0, ""),
        Row("uqadd", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x2e20_0c00, 0, ""),
        Row("sqadd", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x0e20_0c00, 0, ""),
        Row("uqsub", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x2e20_2c00, 0, ""),
        Row("sqsub", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x0e20_2c00, 0, ""),
        Row("uhadd", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_0400, 0, ""),
        Row("shadd", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_0400, 0, ""),
        Row("urhadd", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_1400, 0, ""),
        Row("ushl", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x2e20_4400, 0, ""),
        Row("sshl", "Vd.bhsd, Vn.bhsd, Vm.bhsd", 0x0e20_4400, 0, ""),
        Row("uabd", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_7400, 0, ""),
        Row("sabd", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_7400, 0, ""),
        Row("uaba", "Vd.bhs, Vn.bhs, Vm.bhs", 0x2e20_7c00, 0, ""),
        Row("saba", "Vd.bhs, Vn.bhs, Vm.bhs", 0x0e20_7c00, 0, ""),
        Row("sqdmulh", "Vd.hs, Vn.hs, Vm.hs", 0x0e20_b400, 0, ""),
        Row("sqrdmulh", "Vd.hs, Vn.hs, Vm.hs", 0x2e20_b400, 0, ""),
        // ---- across lanes ----
        Row("addv", "Ed, Vn.bhs:x", 0x0e31_b800, 0, "VADDV %1, %0v"),
        Row("umaxv", "Ed, Vn.bhs:x", 0x2e30_a800, 0, ""),
        Row("uminv", "Ed, Vn.bhs:x", 0x2e31_a800, 0, ""),
        Row("smaxv", "Ed, Vn.bhs:x", 0x0e30_a800, 0, ""),
        Row("sminv", "Ed, Vn.bhs:x", 0x0e31_a800, 0, ""),
        Row("uaddlv", "E+d, Vn.bhs:x", 0x2e30_3800, 0, "VUADDLV %1, %0v"),
        Row("saddlv", "E+d, Vn.bhs:x", 0x0e30_3800, 0, ""),
        // ---- two-register misc ----
        Row("cnt", "Vd.b, Vn.b", 0x0e20_5800, 0, "VCNT %1, %0"),
        Row("rbit", "Vd.b, Vn.b", 0x2e60_5800, 0, "VRBIT %1, %0"),
        Row("rev16", "Vd.b, Vn.b", 0x0e20_1800, 0, "VREV16 %1, %0"),
        Row("rev32", "Vd.bh, Vn.bh", 0x2e20_0800, 0, "VREV32 %1, %0"),
        Row("rev64", "Vd.bhs, Vn.bhs", 0x0e20_0800, 0, "VREV64 %1, %0"),
        Row("neg", "Vd.bhsd, Vn.bhsd", 0x2e20_b800, 0, ""),
        Row("abs", "Vd.bhsd, Vn.bhsd", 0x0e20_b800, 0, ""),
        Row("clz", "Vd.bhs, Vn.bhs", 0x2e20_4800, 0, ""),
        Row("cls", "Vd.bhs, Vn.bhs", 0x0e20_4800, 0, ""),
        Row("uaddlp", "Vd.+=, Vn.bhs", 0x2e20_2800, 0, ""),
        Row("saddlp", "Vd.+=, Vn.bhs", 0x0e20_2800, 0, ""),
        Row("uadalp", "Vd.+=, Vn.bhs", 0x2e20_6800, 0, ""),
        Row("sadalp", "Vd.+=, Vn.bhs", 0x0e20_6800, 0, ""),
        // ---- widen / narrow ----
        Row("xtn", "Vd.bhs:l, Vn.+", 0x0e21_2800, 0, ""),
        Row("xtn2", "Vd.bhs:h, Vn.+", 0x0e21_2800, 0, ""),
        Row("sqxtn", "Vd.bhs:l, Vn.+", 0x0e21_4800, 0, ""),
        Row("sqxtn2", "Vd.bhs:h, Vn.+", 0x0e21_4800, 0, ""),
        Row("uqxtn", "Vd.bhs:l, Vn.+", 0x2e21_4800, 0, ""),
        Row("uqxtn2", "Vd.bhs:h, Vn.+", 0x2e21_4800, 0, ""),
        Row("sqxtun", "Vd.bhs:l, Vn.+", 0x2e21_2800, 0, ""),
        Row("sqxtun2", "Vd.bhs:h, Vn.+", 0x2e21_2800, 0, ""),
        Row("uxtl", "Vd.+, Vn.bhs:il", 0x2f00_a400, 0, "VUXTL %1, %0"),
        Row("uxtl2", "Vd.+, Vn.bhs:ih", 0x2f00_a400, 0, "VUXTL2 %1, %0"),
        Row("sxtl", "Vd.+, Vn.bhs:il", 0x0f00_a400, 0, ""),
        Row("sxtl2", "Vd.+, Vn.bhs:ih", 0x0f00_a400, 0, ""),
        Row(
            "ushll",
            "Vd.+, Vn.bhs:ql, #shl",
            0x2f00_a400,
            0,
            "VUSHLL %2, %1, %0",
        ),
        Row(
            "ushll2",
            "Vd.+, Vn.bhs:qh, #shl",
            0x2f00_a400,
            0,
            "VUSHLL2 %2, %1, %0",
        ),
        Row("sshll", "Vd.+, Vn.bhs:ql, #shl", 0x0f00_a400, 0, ""),
        Row("sshll2", "Vd.+, Vn.bhs:qh, #shl", 0x0f00_a400, 0, ""),
        Row("shrn", "Vd.bhs:ql, Vn.+, #shr", 0x0f00_8400, 0, ""),
        Row("shrn2", "Vd.bhs:qh, Vn.+, #shr", 0x0f00_8400, 0, ""),
        Row("rshrn", "Vd.bhs:ql, Vn.+, #shr", 0x0f00_8c00, 0, ""),
        Row("rshrn2", "Vd.bhs:qh, Vn.+, #shr", 0x0f00_8c00, 0, ""),
        Row("uqshrn", "Vd.bhs:ql, Vn.+, #shr", 0x2f00_9400, 0, ""),
        Row("sqshrn", "Vd.bhs:ql, Vn.+, #shr", 0x0f00_9400, 0, ""),
        Row("sqshrun", "Vd.bhs:ql, Vn.+, #shr", 0x2f00_8400, 0, ""),
        Row("addhn", "Vd.bhs:l, Vn.+, Vm.+", 0x0e20_4000, 0, ""),
        Row("addhn2", "Vd.bhs:h, Vn.+, Vm.+", 0x0e20_4000, 0, ""),
        Row("fcvtl", "Vd.2d, Vn.2s", 0x0e61_7800, 0, ""),
        Row("fcvtl2", "Vd.2d, Vn.4s", 0x4e61_7800, 0, ""),
        Row("fcvtn", "Vd.2s, Vn.2d", 0x0e61_6800, 0, ""),
        Row("fcvtn2", "Vd.4s, Vn.2d", 0x4e61_6800, 0, ""),
        // ---- shifts by immediate ----
        Row(
            "shl",
            "Vd.bhsd:q, Vn.bhsd:q, #shl",
            0x0f00_5400,
            0,
            "VSHL %2, %1, %0",
        ),
        Row(
            "ushr",
            "Vd.bhsd:q, Vn.bhsd:q, #shr",
            0x2f00_0400,
            0,
            "VUSHR %2, %1, %0",
        ),
        Row("sshr", "Vd.bhsd:q, Vn.bhsd:q, #shr", 0x0f00_0400, 0, ""),
        Row(
            "usra",
            "Vd.bhsd:q, Vn.bhsd:q, #shr",
            0x2f00_1400,
            0,
            "VUSRA %2, %1, %0",
        ),
        Row("ssra", "Vd.bhsd:q, Vn.bhsd:q, #shr", 0x0f00_1400, 0, ""),
        Row("urshr", "Vd.bhsd:q, Vn.bhsd:q, #shr", 0x2f00_2400, 0, ""),
        Row("srshr", "Vd.bhsd:q, Vn.bhsd:q, #shr", 0x0f00_2400, 0, ""),
        Row(
            "sli",
            "Vd.bhsd:q, Vn.bhsd:q, #shl",
            0x2f00_5400,
            0,
            "VSLI %2, %1, %0",
        ),
        Row(
            "sri",
            "Vd.bhsd:q, Vn.bhsd:q, #shr",
            0x2f00_4400,
            0,
            "VSRI %2, %1, %0",
        ),
        Row("shl", "Dd, Dn, #shl", 0x5f00_5400, 0, ""),
        Row("ushr", "Dd, Dn, #shr", 0x7f00_0400, 0, ""),
        Row("sshr", "Dd, Dn, #shr", 0x5f00_0400, 0, ""),
        // ---- widening arithmetic ----
        Row("uaddl", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x2e20_0000, 0, ""),
        Row("uaddl2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x2e20_0000, 0, ""),
        Row("saddl", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x0e20_0000, 0, ""),
        Row("saddl2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x0e20_0000, 0, ""),
        Row("usubl", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x2e20_2000, 0, ""),
        Row("usubl2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x2e20_2000, 0, ""),
        Row("ssubl", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x0e20_2000, 0, ""),
        Row("ssubl2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x0e20_2000, 0, ""),
        Row(
            "uaddw",
            "Vd.+, Vn.+, Vm.bhs:l",
            0x2e20_1000,
            0,
            "VUADDW %2, %1, %0",
        ),
        Row(
            "uaddw2",
            "Vd.+, Vn.+, Vm.bhs:h",
            0x2e20_1000,
            0,
            "VUADDW2 %2, %1, %0",
        ),
        Row("saddw", "Vd.+, Vn.+, Vm.bhs:l", 0x0e20_1000, 0, ""),
        Row("saddw2", "Vd.+, Vn.+, Vm.bhs:h", 0x0e20_1000, 0, ""),
        Row("umull", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x2e20_c000, 0, ""),
        Row("umull2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x2e20_c000, 0, ""),
        Row("smull", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x0e20_c000, 0, ""),
        Row("smull2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x0e20_c000, 0, ""),
        Row("umlal", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x2e20_8000, 0, ""),
        Row("umlal2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x2e20_8000, 0, ""),
        Row("smlal", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x0e20_8000, 0, ""),
        Row("smlal2", "Vd.+, Vn.bhs:h, Vm.bhs:h", 0x0e20_8000, 0, ""),
        Row("uabdl", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x2e20_7000, 0, ""),
        Row("uabal", "Vd.+, Vn.bhs:l, Vm.bhs:l", 0x2e20_5000, 0, ""),
        Row(
            "pmull",
            "Vd.1q, Vn.1d, Vm.1d",
            0x0ee0_e000,
            0,
            "VPMULL %2, %1, %0",
        ),
        Row(
            "pmull2",
            "Vd.1q, Vn.2d, Vm.2d",
            0x4ee0_e000,
            0,
            "VPMULL2 %2, %1, %0",
        ),
        Row(
            "pmull",
            "Vd.8h, Vn.8b, Vm.8b",
            0x0e20_e000,
            0,
            "VPMULL %2, %1, %0",
        ),
        Row(
            "pmull2",
            "Vd.8h, Vn.16b, Vm.16b",
            0x4e20_e000,
            0,
            "VPMULL2 %2, %1, %0",
        ),
        // ---- float vector ----
        Row("fadd", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0e20_d400, 0, ""),
        Row("fsub", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0ea0_d400, 0, ""),
        Row("fmul", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2e20_dc00, 0, ""),
        Row("fdiv", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2e20_fc00, 0, ""),
        Row("fmax", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0e20_f400, 0, ""),
        Row("fmin", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0ea0_f400, 0, ""),
        Row("fmaxnm", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0e20_c400, 0, ""),
        Row("fminnm", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0ea0_c400, 0, ""),
        Row(
            "fmla",
            "Vd.sd:f, Vn.sd:f, Vm.sd:f",
            0x0e20_cc00,
            0,
            "VFMLA %2, %1, %0",
        ),
        Row(
            "fmls",
            "Vd.sd:f, Vn.sd:f, Vm.sd:f",
            0x0ea0_cc00,
            0,
            "VFMLS %2, %1, %0",
        ),
        Row("fmla", "Vd.sd:f, Vn.sd:f, Vm.sd[e]", 0x0f80_1000, 0, ""),
        Row("fmls", "Vd.sd:f, Vn.sd:f, Vm.sd[e]", 0x0f80_5000, 0, ""),
        Row("fmul", "Vd.sd:f, Vn.sd:f, Vm.sd[e]", 0x0f80_9000, 0, ""),
        Row("faddp", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2e20_d400, 0, ""),
        Row("fmaxp", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2e20_f400, 0, ""),
        Row("fminp", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2ea0_f400, 0, ""),
        Row("fmaxnmp", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2e20_c400, 0, ""),
        Row("fminnmp", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2ea0_c400, 0, ""),
        // Scalar pairwise: the two lanes of a 64-bit (`.2s`) or 128-bit (`.2d`) vector.
        Row("faddp", "Sd, Vn.2s", 0x7e30_d800, 0, ""),
        Row("faddp", "Dd, Vn.2d", 0x7e70_d800, 0, ""),
        Row("fmaxp", "Sd, Vn.2s", 0x7e30_f800, 0, ""),
        Row("fmaxp", "Dd, Vn.2d", 0x7e70_f800, 0, ""),
        Row("fminp", "Sd, Vn.2s", 0x7eb0_f800, 0, ""),
        Row("fminp", "Dd, Vn.2d", 0x7ef0_f800, 0, ""),
        Row("fmaxnmp", "Sd, Vn.2s", 0x7e30_c800, 0, ""),
        Row("fmaxnmp", "Dd, Vn.2d", 0x7e70_c800, 0, ""),
        Row("fminnmp", "Sd, Vn.2s", 0x7eb0_c800, 0, ""),
        Row("fminnmp", "Dd, Vn.2d", 0x7ef0_c800, 0, ""),
        Row("fcmeq", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x0e20_e400, 0, ""),
        Row("fcmge", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2e20_e400, 0, ""),
        Row("fcmgt", "Vd.sd:f, Vn.sd:f, Vm.sd:f", 0x2ea0_e400, 0, ""),
        Row("fabs", "Vd.sd:f, Vn.sd:f", 0x0ea0_f800, 0, ""),
        Row("fneg", "Vd.sd:f, Vn.sd:f", 0x2ea0_f800, 0, ""),
        Row("fsqrt", "Vd.sd:f, Vn.sd:f", 0x2ea1_f800, 0, ""),
        Row("frintn", "Vd.sd:f, Vn.sd:f", 0x0e21_8800, 0, ""),
        Row("frintm", "Vd.sd:f, Vn.sd:f", 0x0e21_9800, 0, ""),
        Row("frintp", "Vd.sd:f, Vn.sd:f", 0x0ea1_8800, 0, ""),
        Row("frintz", "Vd.sd:f, Vn.sd:f", 0x0ea1_9800, 0, ""),
        Row("fcvtzs", "Vd.sd:f, Vn.sd:f", 0x0ea1_b800, 0, ""),
        Row("fcvtzu", "Vd.sd:f, Vn.sd:f", 0x2ea1_b800, 0, ""),
        Row("scvtf", "Vd.sd:f, Vn.sd:f", 0x0e21_d800, 0, ""),
        Row("ucvtf", "Vd.sd:f, Vn.sd:f", 0x2e21_d800, 0, ""),
        Row("fmov", "Vd.2s, #vf8", 0x0f00_f400, 0, ""),
        Row("fmov", "Vd.4s, #vf8", 0x4f00_f400, 0, ""),
        Row("fmov", "Vd.2d, #vf8", 0x6f00_f400, 0, ""),
        // ---- permutes ----
        Row(
            "zip1",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e00_3800,
            0,
            "VZIP1 %2, %1, %0",
        ),
        Row(
            "zip2",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e00_7800,
            0,
            "VZIP2 %2, %1, %0",
        ),
        Row(
            "uzp1",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e00_1800,
            0,
            "VUZP1 %2, %1, %0",
        ),
        Row(
            "uzp2",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e00_5800,
            0,
            "VUZP2 %2, %1, %0",
        ),
        Row(
            "trn1",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e00_2800,
            0,
            "VTRN1 %2, %1, %0",
        ),
        Row(
            "trn2",
            "Vd.bhsd, Vn.bhsd, Vm.bhsd",
            0x0e00_6800,
            0,
            "VTRN2 %2, %1, %0",
        ),
        Row(
            "ext",
            "Vd.b, Vn.b, Vm.b, #ext",
            0x2e00_0000,
            0,
            "VEXT %3, %2, %1, %0",
        ),
        Row(
            "tbl",
            "Vd.b, {1}n.16b, Vm.b",
            0x0e00_0000,
            0,
            "VTBL %2, %1, %0",
        ),
        Row(
            "tbl",
            "Vd.b, {2}n.16b, Vm.b",
            0x0e00_2000,
            0,
            "VTBL %2, %1, %0",
        ),
        Row(
            "tbl",
            "Vd.b, {3}n.16b, Vm.b",
            0x0e00_4000,
            0,
            "VTBL %2, %1, %0",
        ),
        Row(
            "tbl",
            "Vd.b, {4}n.16b, Vm.b",
            0x0e00_6000,
            0,
            "VTBL %2, %1, %0",
        ),
        Row(
            "tbx",
            "Vd.b, {1}n.16b, Vm.b",
            0x0e00_1000,
            0,
            "VTBX %2, %1, %0",
        ),
        Row(
            "tbx",
            "Vd.b, {2}n.16b, Vm.b",
            0x0e00_3000,
            0,
            "VTBX %2, %1, %0",
        ),
        Row(
            "tbx",
            "Vd.b, {3}n.16b, Vm.b",
            0x0e00_5000,
            0,
            "VTBX %2, %1, %0",
        ),
        Row(
            "tbx",
            "Vd.b, {4}n.16b, Vm.b",
            0x0e00_7000,
            0,
            "VTBX %2, %1, %0",
        ),
        // ---- element moves ----
        Row("dup", "Vd.bhs:5, Wn", 0x0e00_0c00, 0, "VDUP %1, %0"),
        Row("dup", "Vd.d:5, Xn", 0x0e00_0c00, 0, "VDUP %1, %0"),
        Row(
            "dup",
            "Vd.bhsd:q, Vn.bhsd[5]",
            0x0e00_0400,
            0,
            "VDUP %1, %0",
        ),
        Row("dup", "Ed, Vn.bhsd[5]", 0x5e00_0400, 0, "VDUP %1, %0v"),
        Row("mov", "Ed, Vn.bhsd[5]", 0x5e00_0400, 0, "VDUP %1, %0v"),
        Row("ins", "Vd.bhs[5], Wn", 0x4e00_1c00, 0, "VMOV %1, %0"),
        Row("ins", "Vd.d[5], Xn", 0x4e00_1c00, 0, "VMOV %1, %0"),
        Row("mov", "Vd.bhs[5], Wn", 0x4e00_1c00, 0, "VMOV %1, %0"),
        Row("mov", "Vd.d[5], Xn", 0x4e00_1c00, 0, "VMOV %1, %0"),
        Row(
            "ins",
            "Vd.bhsd[5], Vn.bhsd[4]",
            0x6e00_0400,
            0,
            "VMOV %1, %0",
        ),
        Row(
            "mov",
            "Vd.bhsd[5], Vn.bhsd[4]",
            0x6e00_0400,
            0,
            "VMOV %1, %0",
        ),
        Row("umov", "Wd, Vn.bhs[5]", 0x0e00_3c00, 0, "VMOV %1, %0"),
        Row("umov", "Xd, Vn.d[5]", 0x4e00_3c00, 0, "VMOV %1, %0"),
        Row("mov", "Wd, Vn.s[5]", 0x0e00_3c00, 0, "VMOV %1, %0"),
        Row("mov", "Xd, Vn.d[5]", 0x4e00_3c00, 0, "VMOV %1, %0"),
        Row("smov", "Wd, Vn.bh[5]", 0x0e00_2c00, 0, ""),
        Row("smov", "Xd, Vn.bhs[5]", 0x4e00_2c00, 0, ""),
        Row("movi", "Vd.b, #i8", 0x0f00_e400, 0, "VMOVI %1, %0"),
        Row("movi", "Vd.h:q, #i8, ?m8:8", 0x0f00_8400, 0, ""),
        Row("movi", "Vd.s:q, #i8, ?m8:24", 0x0f00_0400, 0, ""),
        Row("movi", "Vd.2d, #i64", 0x6f00_e400, 0, ""),
        Row("movi", "Dd, #i64", 0x2f00_e400, 0, ""),
        // ---- crypto ----
        Row("aese", "Vd.16b, Vn.16b", 0x4e28_4800, 0, "AESE %1, %0"),
        Row("aesd", "Vd.16b, Vn.16b", 0x4e28_5800, 0, "AESD %1, %0"),
        Row("aesmc", "Vd.16b, Vn.16b", 0x4e28_6800, 0, "AESMC %1, %0"),
        Row("aesimc", "Vd.16b, Vn.16b", 0x4e28_7800, 0, "AESIMC %1, %0"),
        Row(
            "sha1c",
            "Qd, Sn, Vm.4s",
            0x5e00_0000,
            0,
            "SHA1C %2, %1v, %0v",
        ),
        Row(
            "sha1p",
            "Qd, Sn, Vm.4s",
            0x5e00_1000,
            0,
            "SHA1P %2, %1v, %0v",
        ),
        Row(
            "sha1m",
            "Qd, Sn, Vm.4s",
            0x5e00_2000,
            0,
            "SHA1M %2, %1v, %0v",
        ),
        Row("sha1h", "Sd, Sn", 0x5e28_0800, 0, "SHA1H %1v, %0v"),
        Row(
            "sha1su0",
            "Vd.4s, Vn.4s, Vm.4s",
            0x5e00_3000,
            0,
            "SHA1SU0 %2, %1, %0",
        ),
        Row("sha1su1", "Vd.4s, Vn.4s", 0x5e28_1800, 0, "SHA1SU1 %1, %0"),
        Row(
            "sha256h",
            "Qd, Qn, Vm.4s",
            0x5e00_4000,
            0,
            "SHA256H %2, %1v, %0v",
        ),
        Row(
            "sha256h2",
            "Qd, Qn, Vm.4s",
            0x5e00_5000,
            0,
            "SHA256H2 %2, %1v, %0v",
        ),
        Row(
            "sha256su0",
            "Vd.4s, Vn.4s",
            0x5e28_2800,
            0,
            "SHA256SU0 %1, %0",
        ),
        Row(
            "sha256su1",
            "Vd.4s, Vn.4s, Vm.4s",
            0x5e00_6000,
            0,
            "SHA256SU1 %2, %1, %0",
        ),
        Row(
            "sha512h",
            "Qd, Qn, Vm.2d",
            0xce60_8000,
            0,
            "SHA512H %2, %1v, %0v",
        ),
        Row(
            "sha512h2",
            "Qd, Qn, Vm.2d",
            0xce60_8400,
            0,
            "SHA512H2 %2, %1v, %0v",
        ),
        Row(
            "sha512su0",
            "Vd.2d, Vn.2d",
            0xcec0_8000,
            0,
            "SHA512SU0 %1, %0",
        ),
        Row(
            "sha512su1",
            "Vd.2d, Vn.2d, Vm.2d",
            0xce60_8800,
            0,
            "SHA512SU1 %2, %1, %0",
        ),
        Row(
            "eor3",
            "Vd.16b, Vn.16b, Vm.16b, Va.16b",
            0xce00_0000,
            0,
            "VEOR3 %3, %2, %1, %0",
        ),
        Row(
            "bcax",
            "Vd.16b, Vn.16b, Vm.16b, Va.16b",
            0xce20_0000,
            0,
            "VBCAX %3, %2, %1, %0",
        ),
        Row(
            "rax1",
            "Vd.2d, Vn.2d, Vm.2d",
            0xce60_8c00,
            0,
            "VRAX1 %2, %1, %0",
        ),
        Row(
            "xar",
            "Vd.2d, Vn.2d, Vm.2d, #u:6@10",
            0xce80_0000,
            0,
            "VXAR %3, %2, %1, %0",
        ),
    ];
    v.shrink_to_fit();
    v
}
