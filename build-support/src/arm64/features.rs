//! arm64's CPU features: the names a block may declare, the Linux HWCAP bit that
//! reports each, whether every Apple arm64 machine has it, and the detection code
//! Go and C dispatch run (features.rs has the shared part).

use crate::arch::Arch;
use crate::features::{CDetection, Feature, FeatureTable, GoDetect, GoDetection, GoStubSpelling};

/// Where Linux reports a feature: a bit of `AT_HWCAP` (auxv type 16) or
/// `AT_HWCAP2` (26), from Linux's `asm/hwcap.h`.
struct Hwcap {
    name: &'static str,
    hwcap2: bool,
    bit: u8,
    /// Part of the Apple arm64 baseline (every darwin/arm64 machine has it).
    apple: bool,
}

const fn hwcap(name: &'static str, hwcap2: bool, bit: u8, apple: bool) -> Hwcap {
    Hwcap {
        name,
        hwcap2,
        bit,
        apple,
    }
}

const HWCAP: &[Hwcap] = &[
    hwcap("aes", false, 3, true),
    hwcap("sha2", false, 6, true),
    hwcap("crc", false, 7, true),
    hwcap("lse", false, 8, true),
    hwcap("fp16", false, 10, true),
    hwcap("rdm", false, 12, true),
    hwcap("sha3", false, 17, true),
    hwcap("dotprod", false, 20, true),
    hwcap("fhm", false, 23, true),
];

/// The names of [`HWCAP`], in its order.
const NAMES: [&str; HWCAP.len()] = {
    let mut names = [""; HWCAP.len()];
    let mut i = 0;
    while i < HWCAP.len() {
        names[i] = HWCAP[i].name;
        i += 1;
    }
    names
};

/// arm64's table (the backend's `FEATURES`).
pub static TABLE: FeatureTable = FeatureTable {
    arch: Arch::Arm64,
    names: &NAMES,
    baseline: "ARMv8.0 with NEON",
    baseline_word: "neon",
    baseline_names: &["neon", "fp", "asimd"],
    aliases: &[
        ("crc32", "crc"),
        ("pmull", "aes"),
        ("sha1", "sha2"),
        ("sha256", "sha2"),
        ("asimdhp", "fp16"),
        ("fphp", "fp16"),
        ("asimddp", "dotprod"),
        ("atomics", "lse"),
    ],
    implies: &[("sha3", &["sha2"]), ("fhm", &["fp16"])],
    rust_detect: "is_aarch64_feature_detected",
};

fn hwcap_of(f: &Feature) -> &'static Hwcap {
    HWCAP
        .iter()
        .find(|h| h.name == f.name)
        .expect("a declared arm64 feature is in the table")
}

/// The auxiliary vector's HWCAP words at init (Linux, Android), the Apple
/// baseline on darwin and ios, and only the ARMv8.0 baseline elsewhere.
pub fn go_detection(d: &GoDetect) -> GoDetection {
    let prefix = d.prefix;
    let mut init = format!(
        "\t// Linux reports features in the auxiliary vector; every Apple arm64 CPU
\t// has the Apple baseline; elsewhere only the ARMv8.0 baseline is assumed.
\tvar hwcap, hwcap2 uint64
\tif runtime.GOOS == \"linux\" || runtime.GOOS == \"android\" {{
\t\thwcap, hwcap2 = {prefix}Auxv()
\t}}
\tapple := runtime.GOOS == \"darwin\" || runtime.GOOS == \"ios\"
\t_ = hwcap2
"
    );
    for f in d.features {
        let h = hwcap_of(f);
        let word = if h.hwcap2 { "hwcap2" } else { "hwcap" };
        let apple = if h.apple { " || apple" } else { "" };
        init.push_str(&format!(
            "\t{} = ({word}&(1<<{}) != 0{apple}) && {prefix}Enabled(\"{}\")\n",
            f.go_var(prefix),
            h.bit,
            f.godebug()
        ));
    }
    let helpers = format!(
        "
// {prefix}Auxv reads AT_HWCAP (16) and AT_HWCAP2 (26) from /proc/self/auxv.
func {prefix}Auxv() (hwcap, hwcap2 uint64) {{
\tb, err := os.ReadFile(\"/proc/self/auxv\")
\tif err != nil {{
\t\treturn 0, 0
\t}}
\tword := func(b []byte) uint64 {{
\t\tvar v uint64
\t\tfor i := 7; i >= 0; i-- {{
\t\t\tv = v<<8 | uint64(b[i])
\t\t}}
\t\treturn v
\t}}
\tfor i := 0; i+16 <= len(b); i += 16 {{
\t\tswitch word(b[i:]) {{
\t\tcase 16:
\t\t\thwcap = word(b[i+8:])
\t\tcase 26:
\t\t\thwcap2 = word(b[i+8:])
\t\t}}
\t}}
\treturn hwcap, hwcap2
}}
"
    );
    GoDetection {
        imports: vec!["\"os\"", "\"runtime\""],
        init,
        helpers,
        files: Vec::new(),
    }
}

/// Dispatch stubs: load each boolean into R16 (free: ABI0 passes arguments on
/// the stack) and `CBNZ` to its variant's tail branch. LR still holds the
/// caller's return address.
pub const GO_STUB: GoStubSpelling = GoStubSpelling {
    test: "\tMOVBU\t·{runs}(SB), R16\n\tCBNZ\tR16, {label}\n",
    jump: "\tB\t·{target}(SB)\n",
};

/// `getauxval(AT_HWCAP)` on Linux, the Apple baseline on Apple, nothing elsewhere.
pub fn c_detection(features: &[Feature]) -> CDetection {
    CDetection {
        prelude: "#if defined(__linux__)\n        unsigned long goasm_hwcap = getauxval(16), goasm_hwcap2 = getauxval(26);\n#elif defined(__APPLE__)\n        unsigned long goasm_hwcap = ~0ul, goasm_hwcap2 = ~0ul; /* the Apple baseline */\n#else\n        unsigned long goasm_hwcap = 0, goasm_hwcap2 = 0;\n#endif\n        (void)goasm_hwcap2;\n".to_string(),
        checks: features
            .iter()
            .map(|f| {
                let h = hwcap_of(f);
                let word = if h.hwcap2 {
                    "goasm_hwcap2"
                } else {
                    "goasm_hwcap"
                };
                format!("({word} & (1ul << {}))", h.bit)
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
        assert!(TABLE.lookup("crc32").unwrap_err().contains("`crc`"));
        assert!(TABLE.covers("fhm", "fp16"));
    }
}
