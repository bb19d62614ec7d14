//! CPU features: the names a block may declare (`amd64!(avx2, fma) { .. }`), what
//! each means to the Go detection code, and the baseline every block may assume.
//!
//! Names are Rust's `target_feature` names, so the same word works in
//! `is_x86_feature_detected!` / `is_aarch64_feature_detected!`. The instruction
//! tables (x86: iced-x86's CPUID data, arm64: the rows' feature column) say which
//! feature each form needs; this module only knows the names and how to detect them.

use crate::func::Arch;

/// Where Go's generated detection finds a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// amd64: `CPUID(leaf, 0)`, register (0 eax .. 3 edx), bit; `os_state`: the XCR0
    /// bits the OS must save (AVX: ymm state, AVX-512: zmm and opmask state).
    Cpuid {
        leaf: u32,
        reg: u8,
        bit: u8,
        os_state: u64,
    },
    /// arm64 Linux: a bit of `AT_HWCAP` (auxv type 16) or `AT_HWCAP2` (26).
    Hwcap { hwcap2: bool, bit: u8 },
}

#[derive(Debug, PartialEq, Eq)]
pub struct Feature {
    pub arch: Arch,
    /// Rust's `target_feature` name.
    pub name: &'static str,
    pub probe: Probe,
    /// The lowest `GOAMD64` level that implies it (amd64), 0 when none does.
    pub goamd64: u8,
    /// Part of the Apple arm64 baseline (every darwin/arm64 machine has it).
    pub apple: bool,
}

impl Feature {
    /// The word `GODEBUG=cpu.<word>=off` uses: Go's own name (`sse41` for `sse4.1`).
    pub fn godebug(&self) -> String {
        self.name.replace('.', "")
    }
}

/// XCR0 bits for SSE and AVX (ymm) state.
const YMM: u64 = 0x6;
/// Plus opmask, upper zmm0-15 and zmm16-31 state.
const ZMM: u64 = 0xe6;

const fn x86(
    name: &'static str,
    leaf: u32,
    reg: u8,
    bit: u8,
    os_state: u64,
    goamd64: u8,
) -> Feature {
    Feature {
        arch: Arch::Amd64,
        name,
        probe: Probe::Cpuid {
            leaf,
            reg,
            bit,
            os_state,
        },
        goamd64,
        apple: false,
    }
}

const fn arm(name: &'static str, hwcap2: bool, bit: u8, apple: bool) -> Feature {
    Feature {
        arch: Arch::Arm64,
        name,
        probe: Probe::Hwcap { hwcap2, bit },
        goamd64: 0,
        apple,
    }
}

const EBX: u8 = 1;
const ECX: u8 = 2;
const EDX: u8 = 3;
const EXT: u32 = 0x8000_0001;

/// Every feature a block may declare. amd64 bits from the Intel SDM (CPUID leaves 1,
/// 7 and 0x80000001); arm64 bits from Linux's `asm/hwcap.h`.
pub const FEATURES: &[Feature] = &[
    x86("sse3", 1, ECX, 0, 0, 2),
    x86("pclmulqdq", 1, ECX, 1, 0, 0),
    x86("ssse3", 1, ECX, 9, 0, 2),
    x86("fma", 1, ECX, 12, YMM, 3),
    x86("cmpxchg16b", 1, ECX, 13, 0, 2),
    x86("sse4.1", 1, ECX, 19, 0, 2),
    x86("sse4.2", 1, ECX, 20, 0, 2),
    x86("movbe", 1, ECX, 22, 0, 3),
    x86("popcnt", 1, ECX, 23, 0, 2),
    x86("aes", 1, ECX, 25, 0, 0),
    x86("avx", 1, ECX, 28, YMM, 3),
    x86("f16c", 1, ECX, 29, YMM, 3),
    x86("bmi1", 7, EBX, 3, 0, 3),
    x86("avx2", 7, EBX, 5, YMM, 3),
    x86("bmi2", 7, EBX, 8, 0, 3),
    x86("avx512f", 7, EBX, 16, ZMM, 4),
    x86("avx512dq", 7, EBX, 17, ZMM, 4),
    x86("adx", 7, EBX, 19, 0, 0),
    x86("avx512ifma", 7, EBX, 21, ZMM, 0),
    x86("avx512cd", 7, EBX, 28, ZMM, 4),
    x86("sha", 7, EBX, 29, 0, 0),
    x86("avx512bw", 7, EBX, 30, ZMM, 4),
    x86("avx512vl", 7, EBX, 31, ZMM, 4),
    x86("avx512vbmi", 7, ECX, 1, ZMM, 0),
    x86("avx512vbmi2", 7, ECX, 6, ZMM, 0),
    x86("gfni", 7, ECX, 8, 0, 0),
    x86("vaes", 7, ECX, 9, YMM, 0),
    x86("vpclmulqdq", 7, ECX, 10, YMM, 0),
    x86("avx512vnni", 7, ECX, 11, ZMM, 0),
    x86("avx512bitalg", 7, ECX, 12, ZMM, 0),
    x86("avx512vpopcntdq", 7, ECX, 14, ZMM, 0),
    x86("avx512fp16", 7, EDX, 23, ZMM, 0),
    x86("lzcnt", EXT, ECX, 5, 0, 3),
    arm("aes", false, 3, true),
    arm("sha2", false, 6, true),
    arm("crc", false, 7, true),
    arm("lse", false, 8, true),
    arm("fp16", false, 10, true),
    arm("rdm", false, 12, true),
    arm("sha3", false, 17, true),
    arm("dotprod", false, 20, true),
    arm("fhm", false, 23, true),
];

/// What every block may use without declaring it.
pub fn baseline(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "x86-64-v1 (SSE, SSE2)",
        Arch::Arm64 => "ARMv8.0 with NEON",
    }
}

/// Baseline names accepted nowhere in a declaration (they are always there), with why.
fn baseline_name(arch: Arch, name: &str) -> bool {
    match arch {
        Arch::Amd64 => matches!(name, "sse" | "sse2" | "fxsr" | "x87" | "cmov"),
        Arch::Arm64 => matches!(name, "neon" | "fp" | "asimd"),
    }
}

/// Names people write that are not Rust's, with Rust's.
const ALIASES: &[(&str, &str)] = &[
    ("crc32", "crc"),
    ("sse41", "sse4.1"),
    ("sse42", "sse4.2"),
    ("bmi", "bmi1"),
    ("abm", "lzcnt"),
    ("pmull", "aes"),
    ("sha1", "sha2"),
    ("sha256", "sha2"),
    ("asimdhp", "fp16"),
    ("fphp", "fp16"),
    ("asimddp", "dotprod"),
    ("atomics", "lse"),
];

pub fn lookup(arch: Arch, name: &str) -> Option<&'static Feature> {
    FEATURES.iter().find(|f| f.arch == arch && f.name == name)
}

/// Why `name` cannot be declared on `arch`.
pub fn unknown(arch: Arch, name: &str) -> String {
    if baseline_name(arch, name) {
        return format!(
            "`{name}` is part of the {} baseline every `{}!` block may use: leave it out",
            baseline(arch),
            arch.goarch()
        );
    }
    if let Some((_, rust)) = ALIASES.iter().find(|(a, _)| *a == name) {
        if lookup(arch, rust).is_some() {
            return format!(
                "unknown {} feature `{name}`: Rust's name for it is `{rust}`",
                arch.goarch()
            );
        }
    }
    let known: Vec<&str> = FEATURES
        .iter()
        .filter(|f| f.arch == arch)
        .map(|f| f.name)
        .collect();
    format!(
        "unknown {} feature `{name}`; known: {}",
        arch.goarch(),
        known.join(", ")
    )
}

/// What declaring a feature brings along (Rust's implications): `avx2` lets a block
/// use AVX instructions too, `fhm` FP16 ones.
const IMPLIES: &[(&str, &[&str])] = &[
    ("ssse3", &["sse3"]),
    ("sse4.1", &["ssse3", "sse3"]),
    ("sse4.2", &["sse4.1", "ssse3", "sse3"]),
    ("avx", &["sse4.2", "sse4.1", "ssse3", "sse3"]),
    ("avx2", &["avx", "sse4.2", "sse4.1", "ssse3", "sse3"]),
    ("fma", &["avx", "sse4.2", "sse4.1", "ssse3", "sse3"]),
    ("f16c", &["avx", "sse4.2", "sse4.1", "ssse3", "sse3"]),
    ("vaes", &["aes", "avx2", "avx"]),
    ("vpclmulqdq", &["pclmulqdq", "avx"]),
    (
        "avx512f",
        &[
            "avx2", "avx", "fma", "f16c", "sse4.2", "sse4.1", "ssse3", "sse3",
        ],
    ),
    ("sha3", &["sha2"]),
    ("fhm", &["fp16"]),
];

/// Whether declaring `declared` lets a block use `needed`.
fn covers(declared: &str, needed: &str) -> bool {
    declared == needed
        || IMPLIES
            .iter()
            .any(|(d, implied)| *d == declared && implied.contains(&needed))
        // Every AVX-512 subset builds on AVX-512F.
        || (declared != "avx512f" && declared.starts_with("avx512") && covers("avx512f", needed))
}

/// One instruction as the proof sees it.
pub struct Use<'a> {
    pub mnemonic: &'a str,
    pub span: proc_macro2::Span,
    /// The features its form needs beyond the baseline.
    pub needs: Vec<&'static str>,
}

/// Proves `block`'s declaration covers every instruction (an error at the first one
/// that needs more, naming what is missing) and returns the declared features
/// nothing uses, for a warning.
pub fn prove<'a>(
    block: &crate::func::Block,
    uses: impl Iterator<Item = Use<'a>>,
) -> crate::diag::Result<Vec<(&'static str, proc_macro2::Span)>> {
    let mut used = vec![false; block.features.len()];
    for u in uses {
        for need in &u.needs {
            let covering: Vec<usize> = (0..block.features.len())
                .filter(|&i| covers(block.features[i].0.name, need))
                .collect();
            if covering.is_empty() {
                let declared = if block.features.is_empty() {
                    format!(
                        "the block declares none (it targets the {} baseline)",
                        baseline(block.arch)
                    )
                } else {
                    format!("the block declares {}", block.describe_features())
                };
                crate::diag::bail!(
                    u.span,
                    "`{}` needs the CPU feature `{need}`, and {declared}: add `{need}` to the block's `#[features(..)]`",
                    u.mnemonic
                );
            }
            for i in covering {
                used[i] = true;
            }
        }
    }
    Ok(block
        .features
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|((f, span), _)| (f.name, *span))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_arch_and_baseline_is_no_feature() {
        for (i, a) in FEATURES.iter().enumerate() {
            assert!(
                FEATURES[..i]
                    .iter()
                    .all(|b| b.arch != a.arch || b.name != a.name),
                "{}",
                a.name
            );
            assert!(!baseline_name(a.arch, a.name), "{}", a.name);
        }
    }

    #[test]
    fn unknown_names_say_what_is_meant() {
        assert!(unknown(Arch::Arm64, "crc32").contains("`crc`"));
        assert!(unknown(Arch::Amd64, "sse2").contains("baseline"));
        assert!(unknown(Arch::Amd64, "avx3").contains("avx512f"));
    }
}
