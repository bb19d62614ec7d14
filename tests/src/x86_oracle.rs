//! amd64 oracle plumbing shared by the `x86-go-names` generator (which writes
//! `build-support/src/x86/go_names.tsv`) and the `x86_forms` test: representative
//! instances of every accepted form as DSL text, compiled by the real pipeline
//! (parse, form selection, encoding), and batch runs of `go tool asm` and `llvm-mc`.
//!
//! Included with `#[path]` by both, so not every item is used by each.
#![allow(dead_code)]

use go_asm_build::internal::ir::LabelId;
use go_asm_build::internal::x86::encode::{self, Item, Placed};
use go_asm_build::internal::x86::forms::{self, Form, ImmKind, Slot};
use go_asm_build::internal::x86::gosyntax::{self, GoName, Order};
use go_asm_build::internal::x86::regs::{self, Width};
use go_asm_build::Arch;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// Every accepted form, in iced `Code` order.
pub fn all_forms() -> Vec<&'static Form> {
    let mut v: Vec<&'static Form> = forms::table().by_mnemonic.values().flatten().collect();
    v.sort_by_key(|f| f.code as u32);
    v
}

/// One representative instruction: its DSL text, the Intel text for llvm-mc and
/// what the pipeline made of it.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The form it was generated for (the pipeline may choose another: `placed.form`).
    pub for_form: &'static Form,
    pub text: String,
    /// The same instruction for llvm-mc (differs only for branches).
    pub llvm_text: String,
    pub placed: Placed,
}

/// Register pools for instances: general registers and vector register numbers per
/// operand slot, plus the memory operand used when a slot must be memory.
struct Pool {
    gp: [u8; 4],
    vec: [u8; 4],
    /// Opmask register numbers (k1-k4; writemasks are k5-k7).
    mask: [u8; 4],
    mem: &'static str,
    vsib: (&'static str, u8, u8, i32),
}

const POOLS: [Pool; 5] = [
    // rcx rdx rbx rsi; xmm1-4
    Pool {
        gp: [1, 2, 3, 6],
        vec: [1, 2, 3, 4],
        mask: [1, 2, 3, 4],
        mem: "[rax + rcx*4 + 8]",
        vsib: ("rax", 14, 4, 8),
    },
    // r9-r12; xmm9-12
    Pool {
        gp: [9, 10, 11, 12],
        vec: [9, 10, 11, 12],
        mask: [4, 3, 2, 1],
        mem: "[r9 + r10*2 + 0x12345]",
        vsib: ("r9", 13, 8, 0),
    },
    // mixed low/high
    Pool {
        gp: [2, 10, 6, 11],
        vec: [2, 10, 3, 11],
        mask: [2, 4, 1, 3],
        mem: "[r13 + 16]",
        vsib: ("r13", 5, 2, -16),
    },
    Pool {
        gp: [11, 1, 9, 2],
        vec: [13, 1, 12, 2],
        mask: [3, 1, 4, 2],
        mem: "[rcx*8 + 64]",
        vsib: ("rsi", 7, 1, 0x1000),
    },
    // rax rdi r8 r14; xmm0 xmm5-7: short forms for rax/al, xmm0-implicit forms
    Pool {
        gp: [0, 7, 8, 14],
        vec: [0, 5, 6, 7],
        mask: [1, 3, 2, 4],
        mem: "[r12]",
        vsib: ("r12", 15, 4, 0),
    },
];

/// Extra pools for EVEX forms: the EVEX-only vector registers xmm16-31.
const EVEX_POOLS: [Pool; 2] = [
    Pool {
        gp: [1, 2, 3, 6],
        vec: [17, 18, 30, 31],
        mask: [1, 2, 3, 4],
        mem: "[rax + rcx*4 + 8]",
        vsib: ("rax", 22, 4, 8),
    },
    Pool {
        gp: [9, 10, 11, 12],
        vec: [16, 25, 1, 31],
        mask: [7, 6, 1, 2],
        mem: "[r9 + r10*2 + 0x12345]",
        vsib: ("r9", 29, 8, 0),
    },
];

/// AVX-512 decorations of an instance (the writemask is the first of k5-k7 the pool
/// does not name).
#[derive(Clone, Copy, Default)]
struct Dec {
    mask: bool,
    zero: bool,
    /// `{1toN}` on the memory operand at this address.
    bcst: Option<&'static str>,
    rounding: Option<&'static str>,
}

/// Memory operands tried for every slot that takes memory.
const MEMS: &[&str] = &[
    "[rax + rcx*4 + 8]",
    "[r13 + 16]",
    "[r12]",
    "[r13]",
    "[rdx - 0x1000]",
    "[rcx*8 + 64]",
    "[r9 + r10*2 + 0x12345]",
    "[rsi]",
    "[r14 + r11 + 127]",
    "[rdi + 128]",
    "[0x40]",
];

fn imm_values(k: ImmKind) -> &'static [i128] {
    match k {
        ImmKind::I8 => &[
            0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, -1, -128,
        ],
        ImmKind::S8 => &[1, -1, 127, -128],
        ImmKind::I16 => &[1, 200, 0x1234, 0xffff, -2, -300],
        ImmKind::I32 => &[1, 200, 0x12345678, 0x8000_0000, 0xffff_ffff, -2, -300],
        ImmKind::S32 => &[1, 200, 0x12345678, -0x1000, -300],
        ImmKind::I64 => &[
            1,
            200,
            0x7fff_ffff,
            0x8000_0000,
            0xffff_ffff,
            0x1_0000_0000,
            0x1234_5678_9abc_def0,
            -1,
            -0x8000_0001,
            0xffff_ffff_ffff_ffff,
        ],
        ImmKind::One => &[1],
    }
}

fn default_imm(k: ImmKind) -> i128 {
    match k {
        ImmKind::I8 | ImmKind::S8 => 3,
        ImmKind::I16 => 0x1234,
        ImmKind::I32 | ImmKind::S32 => 0x12345678,
        ImmKind::I64 => 0x1234_5678_9abc_def0,
        ImmKind::One => 1,
    }
}

fn size_word(bytes: u32) -> Option<&'static str> {
    Some(match bytes {
        1 => "byte",
        2 => "word",
        4 => "dword",
        8 => "qword",
        16 => "xmmword",
        32 => "ymmword",
        64 => "zmmword",
        _ => return None,
    })
}

fn mem_text(form: &Form, m: &str) -> String {
    match size_word(form.mem_bytes) {
        Some(w) => format!("{w} ptr {m}"),
        None => m.to_string(),
    }
}

fn imm_text(v: i128) -> String {
    if v < 0 {
        format!("-{:#x}", -v)
    } else if v < 256 {
        v.to_string()
    } else {
        format!("{v:#x}")
    }
}

/// Operand choices for one instance: per slot, `None` (pool register) or a memory
/// operand / immediate override.
#[derive(Clone, Copy)]
enum Pick {
    Pool,
    Mem(&'static str),
    Imm(i128),
}

fn operand(form: &Form, i: usize, pool: &Pool, pick: Pick) -> Option<String> {
    let s = form.slots[i];
    Some(match (s, pick) {
        (Slot::Gp(w) | Slot::GpOrMem(w), Pick::Pool) => regs::name(pool.gp[i % 4], w),
        (Slot::FixedGp(p, w), _) => regs::name(p, w),
        (Slot::Vec(w) | Slot::VecOrMem(w), Pick::Pool) => {
            regs::name(regs::VEC_BASE + pool.vec[i % 4], w)
        }
        (Slot::Mask | Slot::MaskOrMem, Pick::Pool) => {
            regs::name(regs::MASK_BASE + pool.mask[i % 4], 64)
        }
        (Slot::GpOrMem(_) | Slot::VecOrMem(_) | Slot::MaskOrMem | Slot::Mem, Pick::Mem(m)) => {
            mem_text(form, m)
        }
        (Slot::Mem, Pick::Pool) => mem_text(form, pool.mem),
        (Slot::Vsib(w), _) => {
            let (base, idx, scale, disp) = pool.vsib;
            let idx = regs::name(regs::VEC_BASE + idx, w as Width);
            let d = match disp {
                0 => String::new(),
                d if d < 0 => format!(" - {}", -d),
                d => format!(" + {d}"),
            };
            // No size keyword: llvm-mc wants the gathered vector's size, iced's
            // form the element's.
            format!("[{base} + {idx}*{scale}{d}]")
        }
        (Slot::Imm(k), Pick::Imm(v)) => imm_text(if k.accepts(v) { v } else { default_imm(k) }),
        (Slot::Imm(k), _) => imm_text(default_imm(k)),
        _ => return None,
    })
}

fn inst_text(form: &Form, pool: &Pool, picks: &[Pick]) -> Option<String> {
    decorated_text(form, pool, picks, Dec::default())
}

fn decorated_text(form: &Form, pool: &Pool, picks: &[Pick], dec: Dec) -> Option<String> {
    let ops: Option<Vec<String>> = (0..form.slots.len())
        .map(|i| operand(form, i, pool, picks[i]))
        .collect();
    let mut ops = ops?;
    let mem_first =
        matches!(picks.first(), Some(Pick::Mem(_))) || form.slots.first() == Some(&Slot::Mem);
    if dec.zero && mem_first {
        return None; // zeroing does not apply to a memory destination
    }
    if let Some(caps) = form.evex {
        if let Some(m) = dec.bcst {
            let i = form
                .slots
                .iter()
                .position(|s| matches!(s, Slot::VecOrMem(_)))?;
            let n = form.mem_bytes / caps.bcst_bytes;
            ops[i] = format!("{} ptr {m}{{1to{n}}}", size_word(caps.bcst_bytes)?);
        }
        if dec.mask || caps.require_mask {
            let k = (5..=7).find(|k| !pool.mask.contains(k)).unwrap_or(5);
            ops[0].push_str(&format!(" {{k{k}}}"));
            if dec.zero {
                ops[0].push_str(" {z}");
            }
        }
        if let Some(r) = dec.rounding {
            // llvm-mc's place: after the last vector register.
            let last = form
                .slots
                .iter()
                .rposition(|s| matches!(s, Slot::Vec(_) | Slot::VecOrMem(_)))?;
            ops.insert(last + 1, format!("{{{r}}}"));
        }
    }
    Some(if ops.is_empty() {
        form.mnemonic.clone()
    } else {
        format!("{} {}", form.mnemonic, ops.join(", "))
    })
}

/// Representative DSL texts for a non-branch form: every register pool, every
/// memory operand for a slot that takes memory, every interesting immediate.
pub fn instance_texts(form: &Form) -> Vec<String> {
    let n = form.slots.len();
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: Option<String>| {
        if let Some(t) = t {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    };
    let base = vec![Pick::Pool; n];
    for pool in &POOLS {
        push(inst_text(form, pool, &base));
    }
    if let Some(caps) = form.evex {
        for pool in &EVEX_POOLS {
            push(inst_text(form, pool, &base));
        }
        let mem_slot = form.slots.iter().position(|s| {
            matches!(
                s,
                Slot::GpOrMem(_) | Slot::VecOrMem(_) | Slot::MaskOrMem | Slot::Mem
            )
        });
        let mut decs = Vec::new();
        if caps.mask {
            decs.push((
                Dec {
                    mask: true,
                    ..Dec::default()
                },
                false,
            ));
            decs.push((
                Dec {
                    mask: true,
                    ..Dec::default()
                },
                true,
            ));
        }
        if caps.zeroing {
            let d = Dec {
                mask: true,
                zero: true,
                ..Dec::default()
            };
            decs.push((d, false));
            decs.push((d, true));
        }
        if caps.bcst_bytes != 0 {
            for m in [MEMS[0], MEMS[4], MEMS[9]] {
                decs.push((
                    Dec {
                        bcst: Some(m),
                        ..Dec::default()
                    },
                    false,
                ));
            }
            let d = Dec {
                mask: true,
                zero: caps.zeroing,
                bcst: Some(MEMS[1]),
                ..Dec::default()
            };
            decs.push((d, false));
        }
        let roundings: &[&str] = match (caps.rounding, caps.sae) {
            (true, _) => &["rn-sae", "rd-sae", "ru-sae", "rz-sae"],
            (false, true) => &["sae"],
            _ => &[],
        };
        for r in roundings {
            decs.push((
                Dec {
                    rounding: Some(r),
                    ..Dec::default()
                },
                false,
            ));
            let d = Dec {
                rounding: Some(r),
                mask: caps.mask,
                zero: caps.zeroing,
                ..Dec::default()
            };
            decs.push((d, false));
        }
        for (d, with_mem) in decs {
            let mut p = base.clone();
            if with_mem {
                let Some(i) = mem_slot else { continue };
                p[i] = Pick::Mem(MEMS[0]);
            }
            push(decorated_text(form, &POOLS[0], &p, d));
            push(decorated_text(form, &EVEX_POOLS[1], &p, d));
        }
    }
    for (i, s) in form.slots.iter().enumerate() {
        match s {
            Slot::GpOrMem(_) | Slot::VecOrMem(_) | Slot::Mem => {
                for m in MEMS {
                    let mut p = base.clone();
                    p[i] = Pick::Mem(m);
                    push(inst_text(form, &POOLS[0], &p));
                }
                let mut p = base.clone();
                p[i] = Pick::Mem(MEMS[2]);
                push(inst_text(form, &POOLS[1], &p));
            }
            Slot::Imm(k) => {
                for &v in imm_values(*k) {
                    if !k.accepts(v) {
                        continue;
                    }
                    let mut p = base.clone();
                    p[i] = Pick::Imm(v);
                    push(inst_text(form, &POOLS[0], &p));
                    push(inst_text(form, &POOLS[4], &p));
                    // Immediates with a memory operand too (their order in Go).
                    if let Some(mi) = form
                        .slots
                        .iter()
                        .position(|s| matches!(s, Slot::GpOrMem(_) | Slot::VecOrMem(_)))
                    {
                        p[mi] = Pick::Mem(MEMS[0]);
                        push(inst_text(form, &POOLS[0], &p));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Branch instances: (DSL text, llvm-mc text). Short forms jump backwards to
/// themselves; long forms jump over 200 bytes of `nop`.
pub fn branch_texts(form: &Form) -> Vec<(String, String)> {
    let m = &form.mnemonic;
    let n = form.code as u32;
    let short = matches!(form.slots.first(), Some(Slot::Branch(true)));
    if short {
        let t = format!("back{n}: {m} back{n}");
        vec![(t.clone(), t)]
    } else {
        let nops = "nop\n".repeat(200);
        vec![(
            format!("{m} fwd{n}\n{nops}fwd{n}:"),
            format!("{{disp32}} {m} fwd{n}\nfwd{n}:"),
        )]
    }
}

fn source(body: &str) -> String {
    format!("fn f() {{ amd64! {{\n{body}\n}} }}")
}

/// Compiles one DSL body; returns the placed instructions.
pub fn compile_body(body: &str) -> Result<Vec<Placed>, String> {
    let item: syn::ItemFn = syn::parse_str(&source(body)).map_err(|e| e.to_string())?;
    let f = go_asm_build::internal::parse_fn(&item, &Default::default(), Default::default())
        .map_err(|e| e.message)?;
    let block = f.block(Arch::Amd64).ok_or("no amd64 block")?;
    let lowered = go_asm_build::internal::x86::parse::lower(&f, block).map_err(|e| e.message)?;
    let enc =
        encode::encode(&lowered.body.nodes, lowered.body.labels.len()).map_err(|e| e.message)?;
    Ok(enc
        .items
        .into_iter()
        .filter_map(|i| match i {
            Item::Inst(p) => Some(p),
            Item::Label(_) => None,
        })
        .collect())
}

/// Compiles one-instruction texts, in one function when they all compile, else one
/// by one.
pub fn compile_each(texts: &[String]) -> Vec<Result<Placed, String>> {
    if let Ok(ps) = compile_body(&texts.join("\n")) {
        if ps.len() == texts.len() {
            return ps.into_iter().map(Ok).collect();
        }
    }
    texts
        .iter()
        .map(|t| {
            compile_body(t).and_then(|mut ps| {
                if ps.len() == 1 {
                    Ok(ps.remove(0))
                } else {
                    Err(format!("{} instructions", ps.len()))
                }
            })
        })
        .collect()
}

/// Every instance of every form; instances the pipeline rejects come back as errors
/// (text, message).
pub fn all_instances() -> (Vec<Instance>, Vec<(String, String)>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for form in all_forms() {
        if form.is_branch() {
            for (text, llvm_text) in branch_texts(form) {
                match compile_body(&text) {
                    Ok(ps) => {
                        let p = ps
                            .into_iter()
                            .find(|p| p.form.is_branch())
                            .expect("a branch");
                        ok.push(Instance {
                            for_form: form,
                            text,
                            llvm_text,
                            placed: p,
                        });
                    }
                    Err(e) => bad.push((text, e)),
                }
            }
            continue;
        }
        let texts = instance_texts(form);
        for (text, r) in texts.iter().zip(compile_each(&texts)) {
            match r {
                Ok(p) => ok.push(Instance {
                    for_form: form,
                    text: text.clone(),
                    llvm_text: text.clone(),
                    placed: p,
                }),
                Err(e) => bad.push((text.clone(), e)),
            }
        }
    }
    (ok, bad)
}

fn no_label(_: LabelId) -> String {
    "L".into()
}
fn no_table(_: usize) -> String {
    "T<>".into()
}

/// The Go text the printer gives `p` under a candidate name.
pub fn go_text_as(p: &Placed, mnemonic: &str, order: Order) -> String {
    gosyntax::go_text_as(
        p,
        &GoName {
            mnemonic: mnemonic.into(),
            order,
            max_imm: None,
        },
        &no_label,
        &no_table,
    )
}

/// The Go text the printer gives `p` now (None: `BYTE`s).
pub fn go_text(p: &Placed) -> Option<String> {
    gosyntax::go_text(p, &no_label, &no_table)
}

// ---------------------------------------------------------------------------
// Candidate Go spellings.

fn suffix(w: Width) -> &'static str {
    match w {
        8 => "B",
        16 => "W",
        32 => "L",
        _ => "Q",
    }
}

/// Go's condition suffixes by Intel condition.
const CONDITIONS: &[(&str, &str)] = &[
    ("e", "EQ"),
    ("ne", "NE"),
    ("b", "CS"),
    ("ae", "CC"),
    ("be", "LS"),
    ("a", "HI"),
    ("l", "LT"),
    ("ge", "GE"),
    ("le", "LE"),
    ("g", "GT"),
    ("s", "MI"),
    ("ns", "PL"),
    ("o", "OS"),
    ("no", "OC"),
    ("p", "PS"),
    ("np", "PC"),
];

/// Go names that differ from the Intel mnemonic beyond a size suffix (rules, from
/// Go's naming: d(word) is L, dq is O or LQ).
const RENAMES: &[(&str, &[&str])] = &[
    ("movdqa", &["MOVO"]),
    ("movdqu", &["MOVOU"]),
    ("movntdq", &["MOVNTO"]),
    ("movd", &["MOVL", "MOVQ"]),
    ("movq", &["MOVQ"]),
    ("paddd", &["PADDL"]),
    ("psubd", &["PSUBL"]),
    ("pcmpeqd", &["PCMPEQL"]),
    ("pcmpgtd", &["PCMPGTL"]),
    ("pslld", &["PSLLL"]),
    ("psrld", &["PSRLL"]),
    ("psrad", &["PSRAL"]),
    ("pslldq", &["PSLLO"]),
    ("psrldq", &["PSRLO"]),
    ("pshufd", &["PSHUFL", "PSHUFD"]),
    ("punpckldq", &["PUNPCKLLQ"]),
    ("punpckhdq", &["PUNPCKHLQ"]),
    ("punpcklwd", &["PUNPCKLWL"]),
    ("punpckhwd", &["PUNPCKHWL"]),
    ("packssdw", &["PACKSSLW"]),
    ("pmaddwd", &["PMADDWL"]),
    ("pmuludq", &["PMULULQ"]),
    ("cvtdq2pd", &["CVTPL2PD"]),
    ("cvtdq2ps", &["CVTPL2PS"]),
    ("cvtpd2dq", &["CVTPD2PL"]),
    ("cvtps2dq", &["CVTPS2PL"]),
    ("cvttpd2dq", &["CVTTPD2PL"]),
    ("cvttps2dq", &["CVTTPS2PL"]),
    ("pcmpestri64", &["PCMPESTRI"]),
    ("pcmpestrm64", &["PCMPESTRM"]),
    ("vpcmpestri64", &["VPCMPESTRI"]),
    ("vpcmpestrm64", &["VPCMPESTRM"]),
    ("sal", &["SAL", "SHL"]),
    ("shld", &["SHL"]),
    ("shrd", &["SHR"]),
    ("nop", &["NOP"]),
    ("xchg", &["XCHG"]),
];

fn gp_widths(f: &Form) -> Vec<Width> {
    f.slots
        .iter()
        .filter_map(|s| match s {
            Slot::Gp(w) | Slot::GpOrMem(w) | Slot::FixedGp(_, w) => Some(*w),
            _ => None,
        })
        .collect()
}

/// Candidate Go mnemonics for a form, most likely first.
pub fn candidates(f: &Form) -> Vec<String> {
    let m = f.mnemonic.as_str();
    let widths = gp_widths(f);
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for (family, go) in [("cmov", "CMOV"), ("set", "SET")] {
        if let Some(cc) = m.strip_prefix(family) {
            if let Some((_, gcc)) = CONDITIONS.iter().find(|(c, _)| *c == cc) {
                let sz = if family == "cmov" {
                    suffix(widths.first().copied().unwrap_or(64))
                } else {
                    ""
                };
                add(format!("{go}{sz}{gcc}"));
            }
        }
    }
    match m {
        "movzx" | "movsx" if widths == [16, 16] => {
            add(if m == "movzx" { "MOVZWW" } else { "MOVSWW" }.into());
        }
        "movzx" | "movsx" | "movsxd" if widths.len() == 2 => {
            let x = if m == "movzx" { "ZX" } else { "SX" };
            add(format!("MOV{}{}{x}", suffix(widths[1]), suffix(widths[0])));
        }
        "imul" if f.slots.len() == 3 => {
            add(format!("IMUL3{}", suffix(widths[0])));
        }
        "cvtsi2sd" | "cvtsi2ss" => {
            let w = suffix(*widths.last().unwrap_or(&64));
            add(format!("CVTS{w}2{}", &m[6..].to_uppercase()));
        }
        "cvtsd2si" | "cvtss2si" | "cvttsd2si" | "cvttss2si" => {
            let w = suffix(*widths.first().unwrap_or(&64));
            add(format!("{}{w}", &m[..m.len() - 1].to_uppercase()));
        }
        _ => {}
    }
    let mut bases: Vec<String> = Vec::new();
    if let Some((_, r)) = RENAMES.iter().find(|(i, _)| *i == m) {
        bases.extend(r.iter().map(|s| s.to_string()));
    }
    bases.push(m.to_uppercase());
    // The size suffix implied by the operands first, then the others.
    let mut sufs: Vec<&str> = Vec::new();
    for w in &widths {
        sufs.push(suffix(*w));
    }
    if f.mem_bytes > 0 && widths.is_empty() {
        if let 1 | 2 | 4 | 8 = f.mem_bytes {
            sufs.push(suffix(f.mem_bytes as Width * 8));
        }
    }
    for s in ["", "B", "W", "L", "Q", "X", "Y"] {
        sufs.push(s);
    }
    for b in &bases {
        for s in &sufs {
            add(format!("{b}{s}"));
        }
    }
    out
}

/// Operand orders worth trying for a form.
pub fn orders(f: &Form) -> Vec<Order> {
    if f.describe.contains("<xmm0>") {
        return vec![Order::X0First];
    }
    match f.slots.len() {
        0 | 1 => vec![Order::Reversed],
        _ if matches!(f.slots.last(), Some(Slot::Imm(_))) => {
            vec![Order::Reversed, Order::Intel, Order::ImmLast]
        }
        _ => vec![Order::Reversed, Order::Intel],
    }
}

// ---------------------------------------------------------------------------
// Tools.

fn tool(name: &str, fallback: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|c| c.is_file())
    });
    found.unwrap_or_else(|| PathBuf::from(fallback))
}

pub fn go_binary() -> PathBuf {
    let go = tool("go", "/usr/local/go/bin/go");
    assert!(
        go.is_file(),
        "the Go toolchain is required (go not in PATH nor at /usr/local/go/bin/go)"
    );
    go
}

pub fn llvm_mc_binary() -> PathBuf {
    let mc = tool("llvm-mc", "/usr/bin/llvm-mc");
    let mc = if mc.is_file() {
        mc
    } else {
        tool("llvm-mc-14", "/usr/bin/llvm-mc-14")
    };
    assert!(
        mc.is_file(),
        "llvm-mc is required (apt-get install llvm-14 provides /usr/bin/llvm-mc)"
    );
    mc
}

fn parse_hex_line(s: &str) -> Vec<u8> {
    // "0x0010 48 8d 54 ...  ascii": bytes are " xx" groups right after the offset.
    let rest = match s.find(' ') {
        Some(i) => &s[i..],
        None => return vec![],
    };
    let b = rest.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 <= b.len() && out.len() < 16 {
        if b[i] != b' ' || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
            break;
        }
        out.push(u8::from_str_radix(&rest[i + 1..i + 3], 16).expect("hex"));
        i += 3;
    }
    out
}

/// Assembles one Go instruction per line with `go tool asm` (GOARCH=amd64), all in
/// one function. Lines Go rejects are dropped and the rest assembled again. Returns
/// the bytes of each line (None: rejected).
pub fn go_asm(lines: &[String]) -> Vec<Option<Vec<u8>>> {
    let go = go_binary();
    let goroot = Command::new(&go)
        .args(["env", "GOROOT"])
        .output()
        .expect("go env GOROOT");
    let goroot = String::from_utf8_lossy(&goroot.stdout).trim().to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.s");
    const HEADER: usize = 2;
    let mut ok = vec![true; lines.len()];
    for _round in 0..20 {
        let mut src = String::from("#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0-0\n");
        for (l, keep) in lines.iter().zip(&ok) {
            if *keep {
                src.push('\t');
                src.push_str(l);
            } else {
                src.push_str("\t// dropped");
            }
            src.push('\n');
        }
        src.push_str("\tRET\n");
        std::fs::write(&path, &src).expect("write x.s");
        let out = Command::new(&go)
            .args(["tool", "asm", "-e", "-S", "-p", "x", "-I"])
            .arg(format!("{goroot}/pkg/include"))
            // Not /dev/null: on failure the assembler removes its output file.
            .arg("-o")
            .arg(dir.path().join("x.o"))
            .arg(&path)
            .env("GOARCH", "amd64")
            .env("GOOS", "linux")
            .output()
            .unwrap_or_else(|e| panic!("run {} tool asm: {e}", go.display()));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            let mut dropped = 0;
            for l in stderr.lines() {
                if let Some(i) = l.find("x.s:") {
                    let digits: String = l[i + 4..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    if let Ok(n) = digits.parse::<usize>() {
                        if n > HEADER && n <= HEADER + lines.len() && ok[n - HEADER - 1] {
                            ok[n - HEADER - 1] = false;
                            dropped += 1;
                        }
                    }
                }
            }
            assert!(
                dropped > 0,
                "go tool asm failed without naming a line:\n{}",
                &stderr[..stderr.len().min(4000)]
            );
            continue;
        }
        // Parse the listing: first offset of each source line, then the hex dump.
        let mut starts: BTreeMap<usize, usize> = BTreeMap::new();
        let mut code = Vec::new();
        let mut in_text = false;
        for l in stdout.lines() {
            if !l.starts_with('\t') {
                in_text = l.contains(" STEXT ");
                continue;
            }
            if !in_text {
                continue;
            }
            let t = l.trim_start();
            if !t.starts_with("0x") {
                continue;
            }
            if let Some(i) = t.find("x.s:") {
                let n: usize = t[i + 4..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .parse()
                    .expect("line number");
                let off: usize = t
                    .split_whitespace()
                    .nth(1)
                    .and_then(|d| d.parse().ok())
                    .expect("decimal offset");
                starts.entry(n).or_insert(off);
            } else {
                code.extend(parse_hex_line(t));
            }
        }
        let mut result = vec![None; lines.len()];
        let entries: Vec<(usize, usize)> = starts.into_iter().collect();
        for (k, &(n, off)) in entries.iter().enumerate() {
            let end = entries.get(k + 1).map(|e| e.1).unwrap_or(code.len());
            if n > HEADER && n <= HEADER + lines.len() && ok[n - HEADER - 1] {
                result[n - HEADER - 1] = Some(code[off..end].to_vec());
            }
        }
        return result;
    }
    panic!("go tool asm: too many rounds of errors");
}

/// One llvm-mc result: encoding bytes (None for a fixup byte) or the error.
pub type McResult = Result<Vec<Option<u8>>, String>;

/// Assembles Intel-syntax texts with llvm-mc in one run. A text may span lines (a
/// label line after the instruction); each must contain exactly one instruction.
pub fn llvm_mc(texts: &[String]) -> Vec<McResult> {
    let mc = llvm_mc_binary();
    // A marker label before each text attributes encodings and errors to it.
    let mut input = String::new();
    let mut line_owner = Vec::new();
    for (k, t) in texts.iter().enumerate() {
        input.push_str(&format!("goasm_mark{k}:\n"));
        line_owner.push(k);
        for l in t.lines() {
            input.push_str(l);
            input.push('\n');
            line_owner.push(k);
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("in.s");
    std::fs::write(&path, &input).expect("write");
    let out = Command::new(&mc)
        .args([
            "-triple=x86_64",
            "-x86-asm-syntax=intel",
            "-output-asm-variant=1",
            "-show-encoding",
        ])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", mc.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut errors: BTreeMap<usize, String> = BTreeMap::new();
    for l in stderr.lines() {
        if let Some(rest) = l.split_once("in.s:").map(|x| x.1) {
            let mut parts = rest.splitn(3, ':');
            let n: Option<usize> = parts.next().and_then(|n| n.parse().ok());
            let _col = parts.next();
            if let (Some(n), Some(msg)) = (n, parts.next()) {
                if msg.trim_start().starts_with("error") {
                    errors
                        .entry(line_owner[n - 1])
                        .or_insert_with(|| msg.trim().to_string());
                }
            }
        }
    }
    let mut encodings: BTreeMap<usize, Vec<Vec<Option<u8>>>> = BTreeMap::new();
    let mut cur: Option<usize> = None;
    for l in stdout.lines() {
        if let Some(k) = l
            .strip_prefix("goasm_mark")
            .and_then(|r| r.strip_suffix(':'))
        {
            cur = k.parse().ok();
            continue;
        }
        if let Some(i) = l.find("encoding: [") {
            let body = &l[i + 11..l.rfind(']').expect("]")];
            let bytes: Vec<Option<u8>> = body
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|b| {
                    b.strip_prefix("0x")
                        .map(|h| u8::from_str_radix(h, 16).expect("hex"))
                })
                .collect();
            let k = cur.expect("an encoding before the first marker");
            encodings.entry(k).or_default().push(bytes);
        }
    }
    (0..texts.len())
        .map(|k| {
            if let Some(e) = errors.get(&k) {
                return Err(e.clone());
            }
            match encodings.remove(&k) {
                Some(mut v) if v.len() == 1 => Ok(v.remove(0)),
                Some(v) => Err(format!("{} instructions", v.len())),
                None => Err("no encoding".into()),
            }
        })
        .collect()
}

/// Lower-case hex of bytes, for messages.
pub fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}
