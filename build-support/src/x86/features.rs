//! amd64's CPU features: the names a block may declare, where CPUID reports each
//! (and which XCR0 state the OS must save), the GOAMD64 level that implies it, and
//! the detection code Go and C dispatch run (features.rs has the shared part).

use crate::arch::Arch;
use crate::features::{CDetection, Feature, FeatureTable, GoDetect, GoDetection, GoStubSpelling};
use crate::generated::{GoFile, HEADER};
use std::fmt::Write as _;

/// Where CPUID reports a feature.
struct Cpuid {
    name: &'static str,
    /// CPUID leaf (sub-leaf 0).
    leaf: u32,
    /// 0 eax .. 3 edx.
    reg: u8,
    bit: u8,
    /// The XCR0 bits the OS must save (AVX: ymm state, AVX-512: zmm and opmask
    /// state), 0 when none.
    os_state: u64,
    /// The lowest `GOAMD64` level that implies it, 0 when none does.
    goamd64: u8,
}

/// XCR0 bits for SSE and AVX (ymm) state.
const YMM: u64 = 0x6;
/// Plus opmask, upper zmm0-15 and zmm16-31 state.
const ZMM: u64 = 0xe6;

const EBX: u8 = 1;
const ECX: u8 = 2;
const EDX: u8 = 3;
const EXT: u32 = 0x8000_0001;

const fn cpuid(name: &'static str, leaf: u32, reg: u8, bit: u8, os_state: u64, goamd64: u8) -> Cpuid {
    Cpuid {
        name,
        leaf,
        reg,
        bit,
        os_state,
        goamd64,
    }
}

/// Every feature a block may declare, bits from the Intel SDM (CPUID leaves 1, 7
/// and 0x80000001).
const CPUID: &[Cpuid] = &[
    cpuid("sse3", 1, ECX, 0, 0, 2),
    cpuid("pclmulqdq", 1, ECX, 1, 0, 0),
    cpuid("ssse3", 1, ECX, 9, 0, 2),
    cpuid("fma", 1, ECX, 12, YMM, 3),
    cpuid("cmpxchg16b", 1, ECX, 13, 0, 2),
    cpuid("sse4.1", 1, ECX, 19, 0, 2),
    cpuid("sse4.2", 1, ECX, 20, 0, 2),
    cpuid("movbe", 1, ECX, 22, 0, 3),
    cpuid("popcnt", 1, ECX, 23, 0, 2),
    cpuid("aes", 1, ECX, 25, 0, 0),
    cpuid("avx", 1, ECX, 28, YMM, 3),
    cpuid("f16c", 1, ECX, 29, YMM, 3),
    cpuid("bmi1", 7, EBX, 3, 0, 3),
    cpuid("avx2", 7, EBX, 5, YMM, 3),
    cpuid("bmi2", 7, EBX, 8, 0, 3),
    cpuid("avx512f", 7, EBX, 16, ZMM, 4),
    cpuid("avx512dq", 7, EBX, 17, ZMM, 4),
    cpuid("adx", 7, EBX, 19, 0, 0),
    cpuid("avx512ifma", 7, EBX, 21, ZMM, 0),
    cpuid("avx512cd", 7, EBX, 28, ZMM, 4),
    cpuid("sha", 7, EBX, 29, 0, 0),
    cpuid("avx512bw", 7, EBX, 30, ZMM, 4),
    cpuid("avx512vl", 7, EBX, 31, ZMM, 4),
    cpuid("avx512vbmi", 7, ECX, 1, ZMM, 0),
    cpuid("avx512vbmi2", 7, ECX, 6, ZMM, 0),
    cpuid("gfni", 7, ECX, 8, 0, 0),
    cpuid("vaes", 7, ECX, 9, YMM, 0),
    cpuid("vpclmulqdq", 7, ECX, 10, YMM, 0),
    cpuid("avx512vnni", 7, ECX, 11, ZMM, 0),
    cpuid("avx512bitalg", 7, ECX, 12, ZMM, 0),
    cpuid("avx512vpopcntdq", 7, ECX, 14, ZMM, 0),
    cpuid("avx512fp16", 7, EDX, 23, ZMM, 0),
    cpuid("lzcnt", EXT, ECX, 5, 0, 3),
];

/// The names of [`CPUID`], in its order.
const NAMES: [&str; CPUID.len()] = {
    let mut names = [""; CPUID.len()];
    let mut i = 0;
    while i < CPUID.len() {
        names[i] = CPUID[i].name;
        i += 1;
    }
    names
};

/// Every AVX-512 subset builds on AVX-512F.
const AVX512F: &[&str] = &["avx512f"];

/// amd64's table (the backend's `FEATURES`).
pub static TABLE: FeatureTable = FeatureTable {
    arch: Arch::Amd64,
    names: &NAMES,
    baseline: "x86-64-v1 (SSE, SSE2)",
    baseline_word: "sse2",
    baseline_names: &["sse", "sse2", "fxsr", "x87", "cmov"],
    aliases: &[
        ("sse41", "sse4.1"),
        ("sse42", "sse4.2"),
        ("bmi", "bmi1"),
        ("abm", "lzcnt"),
        ("avx512", "avx512f"),
    ],
    implies: &[
        ("ssse3", &["sse3"]),
        ("sse4.1", &["ssse3"]),
        ("sse4.2", &["sse4.1"]),
        ("avx", &["sse4.2"]),
        ("avx2", &["avx"]),
        ("fma", &["avx"]),
        ("f16c", &["avx"]),
        ("vaes", &["aes", "avx2"]),
        ("vpclmulqdq", &["pclmulqdq", "avx"]),
        ("avx512f", &["avx2", "fma", "f16c"]),
        ("avx512bw", AVX512F),
        ("avx512cd", AVX512F),
        ("avx512dq", AVX512F),
        ("avx512vl", AVX512F),
        ("avx512ifma", AVX512F),
        ("avx512vbmi", &["avx512bw"]),
        ("avx512vbmi2", &["avx512bw"]),
        ("avx512vnni", AVX512F),
        ("avx512bitalg", &["avx512bw"]),
        ("avx512vpopcntdq", AVX512F),
        ("avx512fp16", &["avx512bw"]),
    ],
    rust_detect: "is_x86_feature_detected",
};

fn cpuid_of(f: &Feature) -> &'static Cpuid {
    CPUID
        .iter()
        .find(|c| c.name == f.name)
        .expect("a declared amd64 feature is in the table")
}

/// The `GOAMD64` level that implies every one of `features`, as a constant Go
/// condition (`dotGOAMD64 >= 3`), if one does.
pub fn go_implied(prefix: &str, features: &[Feature]) -> Option<String> {
    let levels: Vec<u8> = features.iter().map(|f| cpuid_of(f).goamd64).collect();
    let level = levels.iter().copied().max().unwrap_or(0);
    (level > 1 && levels.iter().all(|&l| l > 0)).then(|| format!("{prefix}GOAMD64 >= {level}"))
}

/// Dispatch stubs: `CMPB` each boolean and `JNE` to its variant's tail `JMP`.
pub const GO_STUB: GoStubSpelling = GoStubSpelling {
    test: "\tCMPB\t·{runs}(SB), $0\n\tJNE\t{label}\n",
    jump: "\tJMP\t·{target}(SB)\n",
};

/// CPUID and XGETBV at init, each feature's boolean from its bit, and the files
/// they need: CPUID/XGETBV in Go assembly and the GOAMD64 level constant.
pub fn go_detection(d: &GoDetect) -> GoDetection {
    let prefix = d.prefix;
    let mut init = format!(
        "\tmaxLeaf, _, _, _ := {prefix}CPUID(0, 0)
\tmaxExt, _, _, _ := {prefix}CPUID(0x80000000, 0)
\tvar r1, r7, rExt [4]uint32
\tr1[0], r1[1], r1[2], r1[3] = {prefix}CPUID(1, 0)
\tif maxLeaf >= 7 {{
\t\tr7[0], r7[1], r7[2], r7[3] = {prefix}CPUID(7, 0)
\t}}
\tif maxExt >= 0x80000001 {{
\t\trExt[0], rExt[1], rExt[2], rExt[3] = {prefix}CPUID(0x80000001, 0)
\t}}
"
    );
    // Only where a feature needs it: Go refuses a variable that is never read.
    if d.features.iter().any(|f| cpuid_of(f).os_state != 0) {
        let _ = write!(
            init,
            "\t// AVX and AVX-512 registers count only when the OS saves them (XCR0).
\tvar xcr0 uint32
\tif r1[2]&(1<<27) != 0 {{
\t\txcr0, _ = {prefix}XGETBV()
\t}}
"
        );
    }
    for f in d.features {
        let c = cpuid_of(f);
        let regs = match c.leaf {
            1 => "r1",
            7 => "r7",
            _ => "rExt",
        };
        let os = if c.os_state == 0 {
            String::new()
        } else {
            format!(" && xcr0&{:#x} == {:#x}", c.os_state, c.os_state)
        };
        let _ = writeln!(
            init,
            "\t{} = {regs}[{}]&(1<<{}) != 0{os} && {prefix}Enabled(\"{}\")",
            f.go_var(prefix),
            c.reg,
            c.bit,
            f.godebug()
        );
    }
    let helpers = format!(
        "
// {prefix}CPUID executes CPUID with EAX and ECX set (in {}_cpu_amd64.s).
func {prefix}CPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// {prefix}XGETBV reads XCR0 (in {}_cpu_amd64.s).
func {prefix}XGETBV() (eax, edx uint32)
",
        d.base, d.base
    );
    GoDetection {
        imports: Vec::new(),
        init,
        helpers,
        files: support_files(d),
    }
}

/// CPUID/XGETBV in Go assembly, and the `GOAMD64` level constant, one file per
/// level so the level the build targets is a compile-time constant.
fn support_files(d: &GoDetect) -> Vec<GoFile> {
    let (package, prefix, base, tag) = (d.package, d.prefix, d.base, d.tag);
    let purego = if tag.is_empty() { "" } else { " && !purego" };
    let asm = format!(
        "{HEADER}\n\n{tag}#include \"textflag.h\"\n
// func {prefix}CPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·{prefix}CPUID(SB), NOSPLIT, $0-24
\tMOVL\teaxArg+0(FP), AX
\tMOVL\tecxArg+4(FP), CX
\tCPUID
\tMOVL\tAX, eax+8(FP)
\tMOVL\tBX, ebx+12(FP)
\tMOVL\tCX, ecx+16(FP)
\tMOVL\tDX, edx+20(FP)
\tRET

// func {prefix}XGETBV() (eax, edx uint32)
TEXT ·{prefix}XGETBV(SB), NOSPLIT, $0-8
\tMOVL\t$0, CX
\tXGETBV
\tMOVL\tAX, eax+0(FP)
\tMOVL\tDX, edx+4(FP)
\tRET
"
    );
    let mut files = vec![GoFile {
        name: format!("{base}_cpu_amd64.s"),
        contents: asm,
    }];
    for level in 1..=4u8 {
        let mut terms = Vec::new();
        if level > 1 {
            terms.push(format!("amd64.v{level}"));
        }
        if level < 4 {
            terms.push(format!("!amd64.v{}", level + 1));
        }
        files.push(GoFile {
            name: format!("{base}_goamd64v{level}_amd64.go"),
            contents: format!(
                "{HEADER}\n\n//go:build {}{purego}\n\npackage {package}\n\n// {prefix}GOAMD64 is the GOAMD64 level of the build: the features it implies\n// need no check at run time.\nconst {prefix}GOAMD64 = {level}\n",
                terms.join(" && ")
            ),
        });
    }
    files
}

/// GCC/Clang's `__builtin_cpu_supports` per feature.
pub fn c_detection(features: &[Feature]) -> CDetection {
    CDetection {
        prelude: String::new(),
        checks: features
            .iter()
            .map(|f| {
                let gcc = if f.name == "bmi1" { "bmi" } else { f.name };
                format!("__builtin_cpu_supports(\"{gcc}\")")
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_baseline_is_no_feature() {
        for (i, n) in NAMES.iter().enumerate() {
            assert!(!NAMES[..i].contains(n), "{n}");
            assert!(!TABLE.baseline_names.contains(n), "{n}");
        }
        for (d, implied) in TABLE.implies {
            assert!(NAMES.contains(d), "{d}");
            assert!(implied.iter().all(|n| NAMES.contains(n)), "{d}");
        }
        for (_, rust) in TABLE.aliases {
            assert!(NAMES.contains(rust), "{rust}");
        }
    }

    #[test]
    fn declarations_bring_what_rust_implies() {
        assert!(TABLE.covers("avx2", "sse3"));
        assert!(TABLE.covers("avx512bw", "avx2"));
        assert!(TABLE.covers("avx512bw", "avx512f"));
        assert!(!TABLE.covers("avx512f", "avx512bw"));
        assert!(!TABLE.covers("avx2", "fma"));
        assert!(TABLE.lookup("sse2").unwrap_err().contains("baseline"));
        assert!(TABLE.lookup("avx3").unwrap_err().contains("avx512f"));
        assert!(TABLE.lookup("sse41").unwrap_err().contains("`sse4.1`"));
    }
}
