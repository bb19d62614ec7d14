//! A seeded, replayable, structure-aware fuzzer for the whole build step (what
//! `cargo fuzz` would do with libFuzzer, which is not available here): inputs are
//! real sources (the example kernels, the malformed corpus, the DSL snippets of the
//! tests) mutated at the line and token level with registers, mnemonics, boundary
//! immediates, types and lines of the other architecture, then run through
//! [`crate::pipeline::generate_guarded`]. Everything derives from one seed, so a run
//! replays exactly.

use crate::pipeline::{generate_guarded, Outcome};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use crate::rng::Rng;

/// Immediates at the edges of every encoding: field widths, signedness, overflow
/// of i64/u64/i128, and a few floats.
const BOUNDARY_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "7",
    "8",
    "15",
    "16",
    "31",
    "32",
    "63",
    "64",
    "65",
    "127",
    "128",
    "-128",
    "-129",
    "255",
    "256",
    "-256",
    "257",
    "4095",
    "4096",
    "4097",
    "-4096",
    "-4097",
    "65535",
    "65536",
    "0x7fff_ffff",
    "0x8000_0000",
    "-0x8000_0000",
    "-0x8000_0001",
    "0xffff_ffff",
    "0x1_0000_0000",
    "0xffff_0000_ffff",
    "0x5555_5555_5555_5555",
    "9223372036854775807",
    "-9223372036854775808",
    "0x8000_0000_0000_0000",
    "0xffff_ffff_ffff_ffff",
    "0x1_0000_0000_0000_0000",
    "170141183460469231731687303715884105727",
    "-170141183460469231731687303715884105727",
    "340282366920938463463374607431768211455",
    "99999999999999999999999999999999999999999",
    "(0 - 170141183460469231731687303715884105727 - 1)",
    "0b1",
    "0o777",
    "1u8",
    "1.5",
    "-0.0",
    "0.1",
    "1e300",
    "31.0",
];

/// Parameter and result types: every row of the type table and some that are not.
const TYPES: &[&str] = &[
    "u8",
    "u16",
    "u32",
    "u64",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "isize",
    "bool",
    "f32",
    "f64",
    "&u64",
    "&mut u32",
    "*const u8",
    "*mut f64",
    "&[u8]",
    "&mut [u64]",
    "&[f32]",
    "&[bool]",
    "&str",
    "&mut str",
    "[u64; 4]",
    "[f32; 3]",
    "[u8; 1]",
    "[u8; 0]",
    "[u64; 1000000000]",
    "[u8; 4294967295]",
    "[u16; 70000]",
    "[[u32; 4]; 2]",
    "[bool; 5]",
    "[&u64; 2]",
    "[*const u8; 3]",
    "[&mut Pair; 2]",
    "[[*mut f64; 2]; 2]",
    "[&[u8]; 2]",
    "[&str; 1]",
    "[Pair; 2]",
    "[&[u32; 4]; 2]",
    "([u32; 4], u64)",
    "(f32, [[u8; 3]; 2], bool)",
    "([f64; 2], [bool; 3])",
    "(u64, u64)",
    "(f64, u64)",
    "(u64, f32)",
    "(u64, u64, u64)",
    "(f32, f32)",
    "(f64, f64)",
    "(bool, i8)",
    "(u64,)",
    "((u64, u64))",
    "()",
    "!",
    "String",
    "&[&str]",
    "&Pair",
    "&Undeclared",
];

const TYPE_WORDS: &[&str] = &[
    "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize", "bool", "f32", "f64",
    "str",
];

const AMD64_REGS: &[&str] = &[
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r12", "r14", "r15", "eax",
    "ecx", "r8d", "r15d", "ax", "cx", "r9w", "al", "cl", "ah", "spl", "sil", "r10b", "xmm0",
    "xmm1", "xmm15", "ymm0", "ymm7", "zmm1", "k1", "k0", "rip", "cr0",
];

const AMD64_OPERANDS: &[&str] = &[
    "qword [xs.ptr]",
    "[xs.ptr + 8]",
    "dword [x + y*4 + 16]",
    "byte [x - 1]",
    "word [x + y]",
    "qword [x + y*8 - 0x8000_0000]",
    "xmmword [x]",
    "ymmword [x + 32]",
    "[T]",
    "qword [T + 8]",
    "[rsp]",
    "[x*2]",
    "x.32",
    "x.8",
    "x.16",
    "xs.len",
    "s.len",
    "f",
];

const AMD64_CLASSES: &[&str] = &["gp8", "gp16", "gp32", "gp64", "xmm", "ymm", "zmm", "k"];

const ARM64_REGS: &[&str] = &[
    "x0", "x1", "x9", "x17", "x18", "x19", "x26", "x27", "x28", "x29", "x30", "w0", "w18", "w30",
    "xzr", "wzr", "sp", "wsp", "v0", "v31", "d0", "s1", "q2", "h3", "b4", "lr", "fp",
];

const ARM64_OPERANDS: &[&str] = &[
    "v0.4s",
    "v1.16b",
    "v2.2d",
    "v3.8h",
    "v4.1q",
    "v5.s[1]",
    "v6.d[1]",
    "v7.b[15]",
    "v7.b[16]",
    "#0",
    "#-1",
    "#4095",
    "#4096",
    "#0x1_0000",
    "#1.5",
    "#(1 << 12) - 1",
    "[x0]",
    "[xs.ptr, #16]",
    "[xs.ptr, #8]!",
    "[xs.ptr], #16",
    "[xs.ptr, #-257]",
    "[xs.ptr, #32760]",
    "[xs.ptr, x, lsl #3]",
    "[xs.ptr, x.w, uxtw #2]",
    "[xs.ptr, x.w, sxtw]",
    "[sp, #16]",
    "[xs.ptr], x",
    "lsl #12",
    "lsl #63",
    "asr #1",
    "ror #7",
    "uxtw #2",
    "sxtb",
    "eq",
    "ne",
    "hs",
    "{v0.4s, v1.4s}",
    "{v0.16b, v1.16b, v2.16b, v3.16b}",
    "{v1.2d}",
    "T",
    "x.w",
    "xs.len",
    "f",
];

const ARM64_CLASSES: &[&str] = &["x", "w", "v"];

const WORDS: &[&str] = &[
    "let",
    "return",
    "amd64",
    "arm64",
    "go",
    "const",
    "fn",
    "pub",
    "unsafe",
    "loop",
    "in",
    "done",
    "next",
    "top",
    "T",
    "goasm_exit",
];

const PUNCTS: &[&str] = &[
    ",", ":", ";", ".", "#", "!", "+", "-", "*", "<<", ">>", "&", "|", "@", "=",
];

/// Delimiters: unbalanced ones stop at the lexer, so they are drawn less often.
const DELIMITERS: &[&str] = &["[", "]", "(", ")", "{", "}", "[]", "()", "{}"];

/// What the mutator draws replacements from.
pub struct Dict {
    amd64_mnemonics: Vec<String>,
    arm64_mnemonics: Vec<String>,
    /// Every accepted form: mnemonic and operand descriptors (iced's `r/m64`,
    /// `imm8`..; the arm64 table's pattern items `Xd`, `#aimm`, `[u:3]`..).
    amd64_forms: Vec<(String, Vec<String>)>,
    arm64_forms: Vec<(String, Vec<String>)>,
}

impl Dict {
    /// The accepted mnemonics of both backends, sorted (hash order would break replay).
    pub fn new() -> Self {
        let mut amd64_mnemonics: Vec<String> = go_asm_build::internal::x86::forms::table()
            .by_mnemonic
            .keys()
            .cloned()
            .collect();
        amd64_mnemonics.sort();
        let mut arm64_mnemonics: Vec<String> = go_asm_build::internal::arm64::forms::table()
            .by_mnemonic
            .keys()
            .map(|s| s.to_string())
            .collect();
        arm64_mnemonics.sort();
        // Refused and unknown words, so the error paths stay in the mix.
        for m in ["call", "push", "ret", "syscall", "frob", "rep", "lock"] {
            amd64_mnemonics.push(m.into());
        }
        for m in [
            "bl", "blr", "br", "ret", "svc", "b.xx", "mov", "cmp", "frob",
        ] {
            arm64_mnemonics.push(m.into());
        }
        let mut amd64_forms: Vec<(String, Vec<String>)> =
            go_asm_build::internal::x86::forms::table()
                .by_mnemonic
                .values()
                .flatten()
                .map(|f| {
                    let ops = f.describe.split_once(' ').map_or("", |(_, o)| o);
                    (
                        f.mnemonic.clone(),
                        ops.split(", ")
                            .filter(|o| !o.is_empty())
                            .map(str::to_string)
                            .collect(),
                    )
                })
                .collect();
        amd64_forms.sort();
        let arm64_forms: Vec<(String, Vec<String>)> = go_asm_build::internal::arm64::forms::table()
            .forms
            .iter()
            .map(|f| {
                (
                    f.mnemonic.to_string(),
                    f.pattern
                        .split(", ")
                        .filter(|o| !o.is_empty())
                        .map(str::to_string)
                        .collect(),
                )
            })
            .collect();
        Dict {
            amd64_mnemonics,
            arm64_mnemonics,
            amd64_forms,
            arm64_forms,
        }
    }
}

impl Default for Dict {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Arch {
    Amd64,
    Arm64,
}

/// A source to start from.
#[derive(Clone, Debug)]
pub struct Seed {
    pub name: String,
    pub text: String,
}

/// Seeds and kept mutants that generate a package, as indices into the pool.
type ValidSet = Vec<usize>;

/// Seeds longer than this many lines are split into their `#[go_asm]` items.
const MAX_SEED_LINES: usize = 400;

/// `text` as one seed, or, when it is long (the spill fixture), one seed per
/// `#[go_asm]` item, leaving out items still over [`MAX_SEED_LINES`]: those keep
/// about a hundred values live, and one execution of them costs seconds in a debug
/// build, which would starve the rest of the short run. `tests/tests/spill.rs`
/// covers them.
fn sized_seeds(name: String, text: String) -> Vec<Seed> {
    if text.lines().count() <= MAX_SEED_LINES {
        return vec![Seed { name, text }];
    }
    // An item starts at its `#[go_asm..]` line, with the doc comment above it.
    let lines: Vec<&str> = text.lines().collect();
    let mut starts = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("#[go_asm") {
            let mut s = i;
            while s > 0 && lines[s - 1].starts_with("///") {
                s -= 1;
            }
            starts.push(s);
        }
    }
    let Some(&first) = starts.first() else {
        return vec![Seed { name, text }];
    };
    let prelude = lines[..first].join("\n");
    starts.push(lines.len());
    let items: Vec<String> = starts
        .windows(2)
        .map(|w| lines[w[0]..w[1]].join("\n"))
        .collect();
    // A function may take the file's structs by value: every seed keeps them.
    let is_struct = |item: &str| {
        item.lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("#[") && !l.starts_with("///"))
            .is_some_and(|l| l.starts_with("pub struct") || l.starts_with("struct"))
    };
    let structs: String = items
        .iter()
        .filter(|item| is_struct(item))
        .map(|item| format!("{item}\n"))
        .collect();
    items
        .iter()
        .filter(|item| !is_struct(item))
        .enumerate()
        .map(|(i, item)| (i, format!("{prelude}\n{structs}{item}\n")))
        .filter(|(_, t)| t.lines().count() <= MAX_SEED_LINES)
        .map(|(i, text)| Seed {
            name: format!("{name} item {i}"),
            text,
        })
        .collect()
}

/// Sources of `#[go_asm]` items in the repository: the example kernels, the tests'
/// fixtures and trybuild inputs, the malformed corpus, and the DSL snippets (string
/// literals holding a `fn` with a block) of the integration tests.
pub fn seeds() -> Vec<Seed> {
    let root = crate::repo_root();
    let mut out = Vec::new();
    let mut add_dir = |dir: &str| {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if f.extension().is_some_and(|x| x == "rs") {
                if let Ok(text) = std::fs::read_to_string(&f) {
                    if text.contains("#[go_asm]") {
                        let name = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
                        out.extend(sized_seeds(name, text));
                    }
                }
            }
        }
    };
    add_dir("examples/kernels/src");
    add_dir("tests/fixtures");
    add_dir("tests/ui");
    if let Ok(cases) = crate::corpus::load() {
        for c in cases {
            out.push(Seed {
                name: format!("malformed {}", c.name),
                text: c.source,
            });
        }
    }
    let mut test_files: Vec<_> = std::fs::read_dir(root.join("tests/tests"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    test_files.sort();
    for f in test_files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for (i, snippet) in string_literals(&text).into_iter().enumerate() {
            let t = snippet.trim_start();
            if !(t.starts_with("fn ") || t.starts_with("pub fn ") || t.starts_with("unsafe fn "))
                || !(t.contains("amd64!") || t.contains("arm64!"))
            {
                continue;
            }
            let mut src = format!("#[go_asm]\n{t}\n");
            if !t.contains("go!") {
                if let Some(end) = src.rfind('}') {
                    src.insert_str(end, "    go! { panic(\"fallback\") }\n");
                }
            }
            out.push(Seed {
                name: format!(
                    "{} snippet {i}",
                    f.file_name().unwrap_or_default().display()
                ),
                text: src,
            });
        }
    }
    out
}

/// The contents of `r#"..."#` literals and escape-free `"..."` literals in Rust text.
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let raw = rest[..start].ends_with("r#");
        let after = &rest[start + 1..];
        let end = if raw {
            after.find("\"#")
        } else {
            after.find('"')
        };
        let Some(end) = end else { break };
        let body = &after[..end];
        if raw || !body.contains('\\') {
            out.push(body.to_string());
        }
        rest = &after[end + if raw { 2 } else { 1 }..];
    }
    out
}

/// Splits a line into tokens: identifiers, numbers, single punctuation, whitespace
/// runs. Joining the tokens gives the line back.
fn tokens(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let mut tok = c.to_string();
        let word = |c: char| c.is_alphanumeric() || c == '_';
        if word(c) {
            while let Some(&n) = chars.peek() {
                if !word(n) {
                    break;
                }
                tok.push(n);
                chars.next();
            }
        } else if c.is_whitespace() {
            while let Some(&n) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                tok.push(n);
                chars.next();
            }
        }
        out.push(tok);
    }
    out
}

fn is_word(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn is_number(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Which lines of `lines` are inside an `amd64! {`/`arm64! {` block spread over
/// several lines, and of which architecture.
fn block_lines(lines: &[String]) -> Vec<(usize, Arch)> {
    let mut out = Vec::new();
    let mut current: Option<Arch> = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        match current {
            Some(a) => {
                if t == "}" {
                    current = None;
                } else {
                    out.push((i, a));
                }
            }
            None => {
                if t.ends_with('{') && t.starts_with("amd64!") {
                    current = Some(Arch::Amd64);
                } else if t.ends_with('{') && t.starts_with("arm64!") {
                    current = Some(Arch::Arm64);
                }
            }
        }
    }
    out
}

/// The mutation engine: seeds plus inputs that went all the way through.
pub struct Mutator {
    dict: Dict,
    pool: Vec<Seed>,
    /// Lines of every block of every seed, with their architecture (for splicing).
    block_pool: Vec<(String, Arch)>,
    seeds_len: usize,
    /// Pool entries that generate a package: most inputs start from one of them, so
    /// mutations land in code that gets past the parser.
    valid: ValidSet,
}

/// At most this many generated mutants are kept as further starting points.
const POOL_GROWTH: usize = 400;

impl Mutator {
    /// `valid`: the seeds (by index) that generate a package unmutated.
    pub fn new(seeds: Vec<Seed>, valid: ValidSet) -> Self {
        let mut block_pool = Vec::new();
        for s in &seeds {
            let lines: Vec<String> = s.text.lines().map(str::to_string).collect();
            for (i, a) in block_lines(&lines) {
                block_pool.push((lines[i].clone(), a));
            }
        }
        Mutator {
            dict: Dict::new(),
            seeds_len: seeds.len(),
            pool: seeds,
            block_pool,
            valid,
        }
    }

    pub fn pool_len(&self) -> usize {
        self.pool.len()
    }

    /// Keeps an input that generated a package as a starting point (bounded).
    pub fn keep(&mut self, text: String) {
        if self.pool.len() < self.seeds_len + POOL_GROWTH {
            self.valid.push(self.pool.len());
            self.pool.push(Seed {
                name: "mutant".into(),
                text,
            });
        } else {
            let n = self.seeds_len;
            let i = n + (text.len() % POOL_GROWTH);
            self.pool[i] = Seed {
                name: "mutant".into(),
                text,
            };
        }
    }

    /// One input: a pool entry (mostly one that generates) with 1 to 4 mutations
    /// (mostly one or two).
    pub fn next_input(&self, rng: &mut Rng) -> (String, String) {
        let base = if !self.valid.is_empty() && rng.chance(85) {
            &self.pool[*rng.pick(&self.valid)]
        } else {
            rng.pick(&self.pool)
        };
        let mut lines: Vec<String> = base.text.lines().map(str::to_string).collect();
        let mut n = 1;
        while n < 4 && rng.chance(35) {
            n += 1;
        }
        for _ in 0..n {
            self.mutate(rng, &mut lines);
        }
        let mut text = lines.join("\n");
        text.push('\n');
        (base.name.clone(), text)
    }

    fn mutate(&self, rng: &mut Rng, lines: &mut Vec<String>) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let blocks = block_lines(lines);
        // Mostly inside blocks: that is where the DSL is.
        let (li, arch) = if !blocks.is_empty() && rng.chance(80) {
            *rng.pick(&blocks)
        } else {
            let i = rng.below(lines.len());
            (
                i,
                if rng.chance(50) {
                    Arch::Amd64
                } else {
                    Arch::Arm64
                },
            )
        };
        match rng.below(16) {
            0 => {
                lines.remove(li);
            }
            14 => lines.insert(li, self.form_line(rng, arch, lines)),
            15 => lines[li] = self.form_line(rng, arch, lines),
            1 => {
                let l = lines[li].clone();
                lines.insert(li, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(li, j);
            }
            3 => {
                // A line of some block, maybe of the other architecture.
                if let Some((l, _)) =
                    (!self.block_pool.is_empty()).then(|| rng.pick(&self.block_pool))
                {
                    lines.insert(li, l.clone());
                }
            }
            4 => lines.insert(li, self.synth_line(rng, arch, lines)),
            5 => lines[li] = self.synth_line(rng, arch, lines),
            6 => self.change_signature(rng, lines),
            _ => {
                let names = names_in(lines);
                let line = &mut lines[li];
                self.mutate_tokens(rng, line, arch, &names);
            }
        }
    }

    /// Token-level edits of one line.
    fn mutate_tokens(&self, rng: &mut Rng, line: &mut String, arch: Arch, names: &[String]) {
        let mut toks = tokens(line);
        let solid: Vec<usize> = (0..toks.len())
            .filter(|&i| !toks[i].trim().is_empty())
            .collect();
        if solid.is_empty() {
            *line = format!("{line}{}", self.operand(rng, arch, names));
            return;
        }
        let i = *rng.pick(&solid);
        match rng.below(8) {
            0 => toks[i].clear(),
            1 => {
                let t = toks[i].clone();
                toks.insert(i, t);
            }
            2 => {
                let j = *rng.pick(&solid);
                toks.swap(i, j);
            }
            3 => toks.insert(
                i,
                if rng.chance(15) {
                    rng.pick(DELIMITERS)
                } else {
                    rng.pick(PUNCTS)
                }
                .to_string(),
            ),
            4 => {
                // The number nearest to i, or i itself, becomes a boundary value or
                // an expression of two (overflow in constant folding).
                let num = solid
                    .iter()
                    .copied()
                    .find(|&k| is_number(&toks[k]) && k >= i);
                toks[num.unwrap_or(i)] = if rng.chance(25) {
                    format!(
                        "({} {} {})",
                        number(rng),
                        rng.pick(&["+", "-", "*", "<<", ">>", "|", "&", "^"]),
                        number(rng)
                    )
                } else {
                    number(rng)
                };
            }
            5 => toks[i] = self.operand(rng, arch, names),
            6 => {
                let first = solid[0];
                toks[first] = self.mnemonic(rng, arch);
            }
            _ => {
                toks[i] = if is_word(&toks[i]) && rng.chance(50) {
                    rng.pick(names).clone()
                } else {
                    rng.pick(WORDS).to_string()
                }
            }
        }
        *line = toks.concat();
    }

    fn mnemonic(&self, rng: &mut Rng, arch: Arch) -> String {
        match arch {
            Arch::Amd64 => rng.pick(&self.dict.amd64_mnemonics).clone(),
            Arch::Arm64 => rng.pick(&self.dict.arm64_mnemonics).clone(),
        }
    }

    fn operand(&self, rng: &mut Rng, arch: Arch, names: &[String]) -> String {
        let (regs, ops, classes) = match arch {
            Arch::Amd64 => (AMD64_REGS, AMD64_OPERANDS, AMD64_CLASSES),
            Arch::Arm64 => (ARM64_REGS, ARM64_OPERANDS, ARM64_CLASSES),
        };
        match rng.below(6) {
            0 => rng.pick(regs).to_string(),
            1 => rng.pick(ops).to_string(),
            2 => {
                let n = rng.pick(BOUNDARY_NUMBERS);
                if arch == Arch::Arm64 && rng.chance(70) {
                    format!("#{n}")
                } else {
                    n.to_string()
                }
            }
            3 => rng.pick(classes).to_string(),
            _ => rng.pick(names).clone(),
        }
    }

    /// A new instruction line: a mnemonic of the architecture and 0-4 operands made
    /// of its registers, the function's names, boundary immediates and addresses.
    fn synth_line(&self, rng: &mut Rng, arch: Arch, lines: &[String]) -> String {
        let names = names_in(lines);
        if rng.chance(10) {
            let classes = match arch {
                Arch::Amd64 => AMD64_CLASSES,
                Arch::Arm64 => ARM64_CLASSES,
            };
            return format!("        let t{}: {}", rng.below(4), rng.pick(classes));
        }
        if rng.chance(8) {
            return format!("    {}:", rng.pick(&names));
        }
        let m = self.mnemonic(rng, arch);
        let n = rng.below(5);
        let ops: Vec<String> = (0..n).map(|_| self.operand(rng, arch, &names)).collect();
        format!("        {m} {}", ops.join(", "))
    }

    /// An instruction built from one accepted form: each operand drawn to match the
    /// form's descriptor (register of the width, boundary immediate, address of the
    /// addressing mode), so most of them get to the encoder.
    fn form_line(&self, rng: &mut Rng, arch: Arch, lines: &[String]) -> String {
        let names = names_in(lines);
        let (m, descs) = match arch {
            Arch::Amd64 => rng.pick(&self.dict.amd64_forms),
            Arch::Arm64 => rng.pick(&self.dict.arm64_forms),
        };
        let ops: Vec<String> = descs
            .iter()
            .filter_map(|d| match arch {
                Arch::Amd64 => Some(amd64_operand_for(rng, d, &names)),
                Arch::Arm64 => arm64_operand_for(rng, d, &names),
            })
            .collect();
        format!("        {m} {}", ops.join(", "))
    }

    /// Replaces a type in a `fn` line (parameters or results) with another row of
    /// the type table, or with something that is not one.
    fn change_signature(&self, rng: &mut Rng, lines: &mut [String]) {
        let sigs: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].contains("fn "))
            .collect();
        let Some(&i) = (!sigs.is_empty()).then(|| rng.pick(&sigs)) else {
            return;
        };
        let mut toks = tokens(&lines[i]);
        let types: Vec<usize> = (0..toks.len())
            .filter(|&k| TYPE_WORDS.contains(&toks[k].as_str()))
            .collect();
        if types.is_empty() {
            return;
        }
        let k = *rng.pick(&types);
        toks[k] = rng.pick(TYPES).to_string();
        lines[i] = toks.concat();
    }
}

fn number(rng: &mut Rng) -> String {
    rng.pick(BOUNDARY_NUMBERS).to_string()
}

/// A general register or name of `width` bits (amd64).
fn amd64_gp(rng: &mut Rng, width: u32, names: &[String]) -> String {
    if rng.chance(50) {
        let n = rng.pick(names);
        return if width == 64 {
            n.clone()
        } else {
            format!("{n}.{width}")
        };
    }
    let set: &[&str] = match width {
        8 => &["al", "cl", "dl", "bl", "sil", "r8b", "r14b", "spl"],
        16 => &["ax", "cx", "dx", "si", "r9w", "r13w"],
        32 => &["eax", "ecx", "edx", "esi", "r8d", "r12d", "esp"],
        _ => &[
            "rax", "rcx", "rdx", "rbx", "rsi", "rdi", "r8", "r11", "r14", "r15", "rbp",
        ],
    };
    rng.pick(set).to_string()
}

/// A memory operand of `size` (`""`: none written).
fn amd64_mem(rng: &mut Rng, size: &str, names: &[String]) -> String {
    let word = match size {
        "8" => "byte ",
        "16" => "word ",
        "32" => "dword ",
        "64" => "qword ",
        "128" => "xmmword ",
        "256" => "ymmword ",
        "512" => "zmmword ",
        _ => "",
    };
    let base = rng.pick(names).clone();
    let addr = match rng.below(7) {
        0 => format!("[{base}]"),
        1 => format!("[{base} + {}]", number(rng)),
        2 => format!(
            "[{base} + {}*{}]",
            rng.pick(names),
            rng.pick(&["1", "2", "4", "8", "3"])
        ),
        3 => format!("[{base} + {}*8 - {}]", rng.pick(names), number(rng)),
        4 => "[T]".to_string(),
        5 => format!("[T + {}]", number(rng)),
        _ => format!("[{}]", number(rng)),
    };
    format!("{word}{addr}")
}

/// Intel decorations the fuzzer writes on AVX-512 operands, valid or not.
const AVX512_DECORATIONS: &[&str] = &[
    " {k1}", " {k7}", " {k0}", " {k1}{z}", " {z}", "{k3} {z}", " {k8}", " {1to16}", " {1to3}",
];
const AVX512_ROUNDINGS: &[&str] = &[
    "{rn-sae}", "{rd-sae}", "{ru-sae}", "{rz-sae}", "{sae}", "{rx}",
];

/// An operand for one of iced's operand descriptors (`r/m64`, `imm8`, `xmm2/m128`,
/// `r32/m16`, `rel8`, `vm32x`, or a fixed register such as `cl`), including the
/// AVX-512 ones (`zmm1 {k1}{z}`, `zmm3/m512/m32bcst`, `zmm3{er}`, `k2/m16`): each
/// decoration is written, left out or replaced by another at random.
fn amd64_operand_for(rng: &mut Rng, desc: &str, names: &[String]) -> String {
    let mut d = desc
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    let mut after = String::new();
    let mut rounding = None;
    while let Some(open) = d.rfind('{') {
        match &d[open..] {
            "{er}" | "{sae}" => rounding = Some(()),
            _ => {
                if rng.chance(50) {
                    let d: &&str = rng.pick(AVX512_DECORATIONS);
                    after.push_str(d);
                }
            }
        }
        d.truncate(open);
        d = d.trim_end().to_string();
    }
    if let Some(i) = d.find("bcst") {
        // `zmm3/m512/m32bcst`: sometimes a broadcast element.
        let start = d[..i].rfind("/m").unwrap_or(i);
        let elem = d[start + 2..i].to_string();
        d.truncate(start);
        if rng.chance(40) {
            let n = rng.pick(&["2", "4", "8", "16", "32"]);
            return format!("{} {{1to{n}}}", amd64_mem(rng, &elem, names));
        }
    }
    let mut op = amd64_plain_operand_for(rng, &d, names);
    op.push_str(&after);
    if rounding.is_some() && rng.chance(40) {
        op.push_str(", ");
        let r: &&str = rng.pick(AVX512_ROUNDINGS);
        op.push_str(r);
    }
    op
}

fn amd64_plain_operand_for(rng: &mut Rng, d: &str, names: &[String]) -> String {
    let bits = |s: &str| -> u32 {
        s.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(64)
    };
    if d.starts_with("imm") {
        return number(rng);
    }
    if d.starts_with("rel") {
        return rng.pick(names).clone();
    }
    if let Some(v) = d.strip_prefix("vm") {
        let idx = match v.chars().last() {
            Some('y') => "ymm",
            Some('z') => "zmm",
            _ => "xmm",
        };
        return format!(
            "[{} + {idx}{}*{}]",
            rng.pick(names),
            rng.below(32),
            rng.pick(&["1", "4", "8"])
        );
    }
    // `r/m64`: a register or memory of one width.
    if let Some(w) = d.strip_prefix("r/m") {
        return if rng.chance(40) {
            amd64_mem(rng, w, names)
        } else {
            amd64_gp(rng, bits(w), names)
        };
    }
    // `xmm2/m128`, `r32/m16`: register, or memory of the second width.
    let (reg, mem) = match d.split_once('/') {
        Some((r, m)) => (r, Some(m.trim_start_matches('m'))),
        None if d.starts_with('m') => return amd64_mem(rng, d.trim_start_matches('m'), names),
        None => (d, None),
    };
    if let Some(m) = mem {
        if rng.chance(40) {
            return amd64_mem(rng, m, names);
        }
    }
    if reg.starts_with("xmm") || reg.starts_with("ymm") || reg.starts_with("zmm") {
        return if rng.chance(30) {
            rng.pick(names).clone()
        } else {
            format!("{}{}", &reg[..3], rng.below(33))
        };
    }
    if reg.starts_with('k') && reg[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return if rng.chance(20) {
            rng.pick(names).clone()
        } else {
            format!("k{}", rng.below(9))
        };
    }
    if reg.starts_with('r') && reg[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return amd64_gp(rng, bits(reg), names);
    }
    d.to_string()
}

/// An operand for one arm64 pattern item (`Xd`, `Vn.bhs[5]`, `#aimm`, `[u:3]`, ...);
/// `None` leaves an optional item out.
fn arm64_operand_for(rng: &mut Rng, item: &str, names: &[String]) -> Option<String> {
    let reg = |rng: &mut Rng| rng.below(31);
    let imm = |rng: &mut Rng| format!("#{}", number(rng));
    let arrangement = |rng: &mut Rng, set: &str| {
        let elems: Vec<char> = set.chars().filter(|c| "bhsdq".contains(*c)).collect();
        let e = elems
            .get(rng.below(elems.len().max(1)))
            .copied()
            .unwrap_or('s');
        let options: &[&str] = match e {
            'b' => &["8b", "16b"],
            'h' => &["4h", "8h"],
            's' => &["2s", "4s"],
            'd' => &["1d", "2d"],
            _ => &["1q"],
        };
        rng.pick(options).to_string()
    };
    let first = item.chars().next()?;
    Some(match first {
        '?' | '!' => {
            if rng.chance(50) {
                return None;
            }
            let kind = item.trim_start_matches(['?', '!']);
            match kind {
                "sh3" | "sh4" => format!(
                    "{} #{}",
                    rng.pick(&["lsl", "lsr", "asr", "ror"]),
                    number(rng)
                ),
                "lsl12" => format!("lsl #{}", rng.pick(&["0", "12", "1"])),
                "hw" => format!("lsl #{}", rng.pick(&["0", "16", "32", "48", "8"])),
                k if k.starts_with("m8") => format!("msl #{}", rng.pick(&["8", "16", "0"])),
                _ => format!(
                    "{} #{}",
                    rng.pick(&["uxtw", "sxtw", "uxtx", "sxtx", "uxtb", "lsl"]),
                    rng.pick(&["0", "1", "2", "3", "4", "5"])
                ),
            }
        }
        'X' => {
            if rng.chance(50) {
                rng.pick(names).clone()
            } else {
                rng.pick(&["x0", "x9", "x17", "x19", "xzr", "sp", "x18", "x30"])
                    .to_string()
            }
        }
        'W' => {
            if rng.chance(50) {
                format!("{}.w", rng.pick(names))
            } else {
                rng.pick(&["w0", "w9", "wzr", "wsp", "w28"]).to_string()
            }
        }
        'B' | 'H' | 'S' | 'D' | 'Q' => format!("{}{}", first.to_ascii_lowercase(), reg(rng)),
        'F' => format!("{}{}", rng.pick(&["s", "d"]), reg(rng)),
        'E' => format!("{}{}", rng.pick(&["b", "h", "s", "d"]), reg(rng)),
        'V' => {
            let spec = item.split_once('.').map_or("", |(_, s)| s);
            let v = if rng.chance(30) {
                rng.pick(names).clone()
            } else {
                format!("v{}", reg(rng))
            };
            if let Some((set, _)) = spec.split_once('[') {
                let elems: Vec<char> = set.chars().filter(|c| "bhsd".contains(*c)).collect();
                let e = elems
                    .get(rng.below(elems.len().max(1)))
                    .copied()
                    .unwrap_or('s');
                format!("{v}.{e}[{}]", rng.below(17))
            } else {
                let set = spec.split(':').next().unwrap_or("");
                if set.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    format!("{v}.{set}")
                } else {
                    format!(
                        "{v}.{}",
                        arrangement(rng, if set.starts_with('+') { "bhsd" } else { set })
                    )
                }
            }
        }
        '{' => {
            let n: usize = item[1..2].parse().unwrap_or(1);
            let arr = item.split_once('.').map_or("4s", |(_, a)| a);
            let arr = arr.split(':').next().unwrap_or("4s");
            let arr = if arr.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                arr.to_string()
            } else {
                arrangement(rng, arr)
            };
            let start = rng.below(32);
            let regs: Vec<String> = (0..n)
                .map(|i| format!("v{}.{arr}", (start + i) % 32))
                .collect();
            format!("{{{}}}", regs.join(", "))
        }
        '#' => match item {
            "#f8" | "#vf8" => format!(
                "#{}",
                rng.pick(&["1.5", "0.1", "-2.0", "31.0", "0.125", "1e300"])
            ),
            "#0" => "#0".to_string(),
            _ => imm(rng),
        },
        '[' => {
            let base = if rng.chance(70) {
                "xs.ptr".to_string()
            } else {
                rng.pick(names).clone()
            };
            let kind = item.trim_matches(['[', ']']);
            let kind = kind.split(':').next().unwrap_or("");
            match kind {
                "u" | "p" | "s9" => format!("[{base}, #{}]", number(rng)),
                "pre9" | "pp" => format!("[{base}, #{}]!", number(rng)),
                "post9" | "pq" => format!("[{base}], #{}", number(rng)),
                "r" => format!(
                    "[{base}, {}]",
                    rng.pick(&[
                        "y",
                        "y, lsl #3",
                        "y.w, uxtw #2",
                        "y.w, sxtw",
                        "y, sxtx #1",
                        "y, lsl #5"
                    ])
                ),
                "pi" => format!("[{base}], {}", rng.pick(&["#16", "#32", "y", "#7"])),
                _ => format!("[{base}]"),
            }
        }
        '@' => rng.pick(names).clone(),
        '=' => "T".to_string(),
        'c' | 'n' => rng
            .pick(&["eq", "ne", "hs", "lo", "gt", "le", "al", "nv", "cs"])
            .to_string(),
        _ => rng.pick(names).clone(),
    })
}

/// Names the DSL can refer to: parameters (with their components) and the words
/// of block lines after the mnemonic (`let` names, labels, registers), sorted.
fn names_in(lines: &[String]) -> Vec<String> {
    let mut set = BTreeSet::new();
    for l in lines.iter().filter(|l| l.contains("fn ")) {
        let params = l.split_once('(').map_or("", |(_, p)| p);
        for p in params.split(',') {
            if let Some((name, ty)) = p.split_once(':') {
                let name = name.trim().to_string();
                if ty.contains('[') && !ty.contains(';') {
                    for c in ["ptr", "len", "cap"] {
                        set.insert(format!("{name}.{c}"));
                    }
                } else if ty.contains("str") {
                    set.insert(format!("{name}.ptr"));
                    set.insert(format!("{name}.len"));
                }
                set.insert(name);
            }
        }
    }
    for (i, _) in block_lines(lines) {
        let toks = tokens(&lines[i]);
        for t in toks.iter().filter(|t| is_word(t)).skip(1) {
            set.insert(t.clone());
        }
    }
    set.retain(|n| !n.is_empty() && n.len() < 16);
    if set.is_empty() {
        set.insert("x".to_string());
    }
    set.into_iter().collect()
}

/// Systematic inputs: every accepted form of both backends with each boundary
/// immediate in its immediate operands (other operands drawn as the fuzzer does,
/// from a fixed stream), as a function of the corpus template. `take(i)` selects
/// which of them to build (all, or a sample).
pub fn sweep_inputs(take: impl Fn(usize) -> bool) -> Vec<String> {
    let dict = Dict::new();
    let names: Vec<String> = ["x", "y", "xs.ptr", "xs.len"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rng = Rng::new(0x5eed);
    let mut out = Vec::new();
    let mut n = 0;
    for (arch, forms) in [
        (Arch::Amd64, &dict.amd64_forms),
        (Arch::Arm64, &dict.arm64_forms),
    ] {
        for (m, descs) in forms {
            let is_imm = |d: &str| match arch {
                Arch::Amd64 => d.starts_with("imm"),
                Arch::Arm64 => d.starts_with('#') && d != "#0",
            };
            let slots: Vec<usize> = (0..descs.len()).filter(|&k| is_imm(&descs[k])).collect();
            // One immediate at a time takes the boundary value; the others are 1.
            for (&slot, value) in slots
                .iter()
                .flat_map(|s| BOUNDARY_NUMBERS.iter().map(move |v| (s, v)))
            {
                n += 1;
                if !take(n) {
                    continue;
                }
                let ops: Vec<String> = descs
                    .iter()
                    .enumerate()
                    .filter_map(|(k, d)| {
                        let v = if k == slot { value } else { "1" };
                        match (arch, is_imm(d)) {
                            (Arch::Amd64, true) => Some(v.to_string()),
                            (Arch::Arm64, true) => Some(format!("#{v}")),
                            (Arch::Amd64, false) => Some(amd64_operand_for(&mut rng, d, &names)),
                            (Arch::Arm64, false) => arm64_operand_for(&mut rng, d, &names),
                        }
                    })
                    .collect();
                let block = match arch {
                    Arch::Amd64 => "amd64",
                    Arch::Arm64 => "arm64",
                };
                out.push(format!(
                    "#[go_asm]\npub fn k({}) -> u64 {{\n    const T: [u64; 2] = [1, 2];\n    {block}! {{\n    top:\n        {m} {}\n        return x\n    }}\n    go! {{ return x }}\n}}\n",
                    crate::corpus::TEMPLATE_PARAMS,
                    ops.join(", ")
                ));
            }
        }
    }
    out
}

/// Systematic signatures: every pair of [`TYPES`] as parameters and as results,
/// with bodies returning zero, one, two integer and one float register.
pub fn signature_sweep_inputs(take: impl Fn(usize) -> bool) -> Vec<String> {
    const BODIES: [(&str, &str); 4] = [
        ("return rax", "return x0"),
        ("return rax, rdx", "return x0, x1"),
        ("return xmm0", "return d0"),
        ("return", "return"),
    ];
    let header = "#[go_asm]\n#[repr(C)]\npub struct Pair { a: u64, b: f64 }\n#[go_asm]\n";
    let mut out = Vec::new();
    let mut n = 0;
    for a in TYPES {
        for b in TYPES {
            for (amd, arm) in BODIES {
                let blocks = format!(
                    "    amd64! {{ {amd} }}\n    arm64! {{ {arm} }}\n    go! {{ panic(0) }}\n}}\n"
                );
                n += 1;
                if take(n) {
                    out.push(format!(
                        "{header}pub unsafe fn k(a: {a}, b: u64) -> {b} {{\n{blocks}"
                    ));
                }
                n += 1;
                if take(n) {
                    out.push(format!(
                        "{header}pub fn k(a: {a}, c: {b}, d: {a}) {{\n{blocks}"
                    ));
                }
            }
        }
    }
    out
}

/// Counts of one fuzzing run.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub executions: u64,
    pub generated: u64,
    pub rejected: u64,
    /// Rejections by the first error's message with locations and quoted words
    /// removed: shows where the mutants stop (for tuning the mutator).
    pub reasons: std::collections::BTreeMap<String, u64>,
}

/// `p.rs:3:9: unknown amd64 mnemonic `frob`; did ..` -> `unknown amd64 mnemonic ``.
fn reason(error: &str) -> String {
    let msg = error.splitn(4, ':').nth(3).unwrap_or(error).trim();
    let msg = msg.split(';').next().unwrap_or(msg);
    let mut out = String::new();
    let mut quoted = false;
    for c in msg.chars() {
        if c == '`' {
            quoted = !quoted;
            out.push(c);
        } else if !quoted && !c.is_ascii_digit() {
            out.push(c);
        }
    }
    out
}

/// A panic (or hang) the fuzzer found, with what replays it.
#[derive(Debug)]
pub struct Finding {
    pub seed: u64,
    /// The execution (0-based) that failed: replay with that many + 1 executions.
    pub execution: u64,
    pub base: String,
    pub message: String,
    pub input: String,
    pub minimized: String,
}

/// How long one execution may take before the watchdog calls it a hang.
const HANG_LIMIT: Duration = Duration::from_secs(60);

/// Runs executions until `budget` says stop; returns the counts, or the first
/// panic with its input minimized.
pub fn run(
    seed: u64,
    seeds: Vec<Seed>,
    mut budget: impl FnMut(&Stats) -> bool,
) -> Result<Stats, Box<Finding>> {
    let valid = seeds
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(generate_guarded("seed.rs", &s.text), Outcome::Generated(_)))
        .map(|(i, _)| i)
        .collect();
    let mut mutator = Mutator::new(seeds, valid);
    let mut stats = Stats::default();
    let watchdog = Watchdog::start(seed);
    while budget(&stats) {
        let execution = stats.executions;
        // Each execution has its own stream, so the input depends only on the seed,
        // the execution number and the pool before it.
        let mut rng = Rng::new(seed ^ execution.wrapping_mul(0xd134_2543_de82_ef95));
        let (base, input) = mutator.next_input(&mut rng);
        watchdog.begin(execution, &input);
        let outcome = generate_guarded("fuzz.rs", &input);
        watchdog.end();
        stats.executions += 1;
        match outcome {
            Outcome::Generated(_) => {
                stats.generated += 1;
                mutator.keep(input);
            }
            Outcome::Rejected(errors) => {
                stats.rejected += 1;
                let r = reason(errors.first().map_or("", |e| e.as_str()));
                *stats.reasons.entry(r).or_default() += 1;
            }
            Outcome::Panicked(message) => {
                let minimized = minimize(&input, &panic_site(&message));
                return Err(Box::new(Finding {
                    seed,
                    execution,
                    base,
                    message,
                    input,
                    minimized,
                }));
            }
        }
    }
    Ok(stats)
}

/// `file:line` of a panic message's location (`... at src/x.rs:10:5`).
fn panic_site(message: &str) -> String {
    message
        .rsplit_once(" at ")
        .map(|(_, at)| at.rsplitn(2, ':').last().unwrap_or(at).to_string())
        .unwrap_or_default()
}

fn panics_at(text: &str, site: &str) -> bool {
    matches!(generate_guarded("fuzz.rs", text), Outcome::Panicked(m) if panic_site(&m) == site)
}

/// Deletes lines, then tokens, while the input still panics at the same place
/// (bounded number of attempts).
pub fn minimize(input: &str, site: &str) -> String {
    let mut lines: Vec<String> = input.lines().map(str::to_string).collect();
    let mut attempts = 0;
    let budget = 3000;
    let mut i = lines.len();
    while i > 0 && attempts < budget {
        i -= 1;
        let mut trial = lines.clone();
        trial.remove(i);
        attempts += 1;
        if panics_at(&trial.join("\n"), site) {
            lines = trial;
        }
    }
    for li in 0..lines.len() {
        let mut toks = tokens(&lines[li]);
        let mut k = toks.len();
        while k > 0 && attempts < budget {
            k -= 1;
            if toks[k].trim().is_empty() {
                continue;
            }
            let mut trial_toks = toks.clone();
            trial_toks.remove(k);
            let mut trial = lines.clone();
            trial[li] = trial_toks.concat();
            attempts += 1;
            if panics_at(&trial.join("\n"), site) {
                toks = trial_toks;
                lines = trial;
            }
        }
    }
    lines.join("\n")
}

/// Reports an execution that never returns (a loop in the pipeline) and ends the
/// process, since a hang cannot be unwound.
struct Watchdog {
    epoch: Instant,
    /// When the current execution began, in ms since `epoch` plus 1; 0: idle.
    started_ms: Arc<AtomicU64>,
    current: Arc<Mutex<(u64, String)>>,
    stop: Arc<AtomicBool>,
}

impl Watchdog {
    fn start(seed: u64) -> Self {
        let w = Watchdog {
            epoch: Instant::now(),
            started_ms: Arc::new(AtomicU64::new(0)),
            current: Arc::new(Mutex::new((0, String::new()))),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (epoch, started, current, stop) = (
            w.epoch,
            w.started_ms.clone(),
            w.current.clone(),
            w.stop.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(500));
                let begun = started.load(Ordering::Relaxed);
                let now = epoch.elapsed().as_millis() as u64 + 1;
                if begun == 0 || now.saturating_sub(begun) <= HANG_LIMIT.as_millis() as u64 {
                    continue;
                }
                let (execution, input) = current.lock().map(|g| g.clone()).unwrap_or_default();
                eprintln!(
                    "fuzz: seed {seed}, execution {execution} did not finish in {HANG_LIMIT:?}; \
                     replay: GO_ASM_FUZZ_SEED={seed} GO_ASM_FUZZ_EXECS={}\n--- input ---\n{input}",
                    execution + 1
                );
                std::process::exit(101);
            }
        });
        w
    }

    fn begin(&self, execution: u64, input: &str) {
        if let Ok(mut g) = self.current.lock() {
            g.0 = execution;
            g.1.clear();
            g.1.push_str(input);
        }
        let now = self.epoch.elapsed().as_millis() as u64 + 1;
        self.started_ms.store(now, Ordering::Relaxed);
    }

    fn end(&self) {
        self.started_ms.store(0, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
