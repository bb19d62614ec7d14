//! The instruction forms go-asm accepts on amd64, built once from iced-x86's opcode
//! tables: every 64-bit-mode `Code` whose CPU features are in [`FEATURES`] and whose
//! operands go-asm can express, grouped by mnemonic.

use super::regs::{self, Width};
use iced_x86::{
    Code, CpuidFeature, EncodingKind, FlowControl, Instruction, InstructionInfoFactory, OpAccess,
    OpCodeOperandKind as K, OpKind, Register,
};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The instruction sets go-asm encodes: the general-purpose integer set, BMI1/2,
/// POPCNT/LZCNT, SSE through SSE4.2, AVX, AVX2, FMA, and the crypto/bit extensions
/// kernels use (AES, PCLMULQDQ, SHA, and VAES/VPCLMULQDQ/GFNI).
pub const FEATURES: &[CpuidFeature] = &[
    CpuidFeature::INTEL8086,
    CpuidFeature::INTEL186,
    CpuidFeature::INTEL286,
    CpuidFeature::INTEL386,
    CpuidFeature::INTEL486,
    CpuidFeature::X64,
    CpuidFeature::CMOV,
    CpuidFeature::CX8,
    CpuidFeature::CMPXCHG16B,
    CpuidFeature::CPUID,
    CpuidFeature::TSC,
    CpuidFeature::PAUSE,
    CpuidFeature::MOVBE,
    CpuidFeature::ADX,
    CpuidFeature::BMI1,
    CpuidFeature::BMI2,
    CpuidFeature::POPCNT,
    CpuidFeature::LZCNT,
    CpuidFeature::SSE,
    CpuidFeature::SSE2,
    CpuidFeature::SSE3,
    CpuidFeature::SSSE3,
    CpuidFeature::SSE4_1,
    CpuidFeature::SSE4_2,
    CpuidFeature::AVX,
    CpuidFeature::AVX2,
    CpuidFeature::FMA,
    CpuidFeature::F16C,
    CpuidFeature::AES,
    CpuidFeature::PCLMULQDQ,
    CpuidFeature::SHA,
    CpuidFeature::VAES,
    CpuidFeature::VPCLMULQDQ,
    CpuidFeature::GFNI,
];

/// The AVX-512 families go-asm encodes (AVX512VL gives the xmm and ymm forms; the
/// opmask instructions are VEX-encoded), and the EVEX forms of VAES, VPCLMULQDQ and GFNI (whose legacy and
/// VEX forms are in [`FEATURES`]: go-asm takes VEX where it can, as llvm-mc does).
pub const EVEX_FEATURES: &[CpuidFeature] = &[
    CpuidFeature::AVX512F,
    CpuidFeature::AVX512CD,
    CpuidFeature::AVX512BW,
    CpuidFeature::AVX512DQ,
    CpuidFeature::AVX512VL,
    CpuidFeature::AVX512_IFMA,
    CpuidFeature::AVX512_VBMI,
    CpuidFeature::AVX512_VBMI2,
    CpuidFeature::AVX512_VNNI,
    CpuidFeature::AVX512_BITALG,
    CpuidFeature::AVX512_VPOPCNTDQ,
    CpuidFeature::VAES,
    CpuidFeature::VPCLMULQDQ,
    CpuidFeature::GFNI,
];

/// What an EVEX form allows beyond its operands (iced's opcode flags).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct EvexCaps {
    /// `{k}` on the first operand.
    pub mask: bool,
    /// A writemask k1-k7 is required (gathers, scatters).
    pub require_mask: bool,
    /// `{z}`.
    pub zeroing: bool,
    /// Element bytes of `{1toN}` broadcast (0: none).
    pub bcst_bytes: u32,
    /// Embedded rounding `{rn-sae}`...
    pub rounding: bool,
    /// `{sae}`.
    pub sae: bool,
}

/// What an operand slot of a form accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Slot {
    /// A general register of this width.
    Gp(Width),
    /// One specific general register (`al`, `cl`, `dx`, `eax`, `rax`).
    FixedGp(u8, Width),
    GpOrMem(Width),
    Vec(Width),
    VecOrMem(Width),
    Mask,
    /// An opmask register or memory (`kmovw k1, word [rdi]`).
    MaskOrMem,
    /// Memory of any addressing form (the size comes from the form).
    Mem,
    /// Vector-indexed memory (gathers): index register width.
    Vsib(Width),
    Imm(ImmKind),
    /// A branch target: rel8 (`true`) or rel32.
    Branch(bool),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ImmKind {
    /// Any byte (0..=255 or -128..=-1).
    I8,
    /// Sign-extended byte.
    S8,
    I16,
    I32,
    /// Sign-extended 32-bit.
    S32,
    I64,
    /// The constant 1 (shift by one).
    One,
}

impl ImmKind {
    pub fn accepts(self, v: i128) -> bool {
        match self {
            ImmKind::I8 => (-128..=255).contains(&v),
            ImmKind::S8 => (-128..=127).contains(&v),
            ImmKind::I16 => (-32768..=65535).contains(&v),
            ImmKind::I32 => (-(1i128 << 31)..(1i128 << 32)).contains(&v),
            ImmKind::S32 => (-(1i128 << 31)..(1i128 << 31)).contains(&v),
            ImmKind::I64 => (-(1i128 << 63)..(1i128 << 64)).contains(&v),
            ImmKind::One => v == 1,
        }
    }
    pub fn op_kind(self, slot_kind: K) -> OpKind {
        match slot_kind {
            K::imm8sex16 => OpKind::Immediate8to16,
            K::imm8sex32 => OpKind::Immediate8to32,
            K::imm8sex64 => OpKind::Immediate8to64,
            K::imm16 => OpKind::Immediate16,
            K::imm32 => OpKind::Immediate32,
            K::imm32sex64 => OpKind::Immediate32to64,
            K::imm64 => OpKind::Immediate64,
            _ => match self {
                ImmKind::I8 | ImmKind::S8 | ImmKind::One => OpKind::Immediate8,
                _ => unreachable!("immediate kinds are classified from op kinds"),
            },
        }
    }
}

/// How an instruction touches an explicit operand.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    None,
    Read,
    Write,
    ReadWrite,
}

#[derive(Debug)]
pub struct Form {
    pub code: Code,
    /// Lower-case Intel mnemonic.
    pub mnemonic: String,
    pub slots: Vec<Slot>,
    pub kinds: Vec<K>,
    pub access: Vec<Access>,
    /// Bytes of memory the form reads or writes through its memory operand (0: any/none).
    pub mem_bytes: u32,
    /// Registers the form reads or writes without naming them (`mul`: rax, rdx).
    pub implicit_uses: Vec<u8>,
    pub implicit_defs: Vec<u8>,
    /// VEX encoded.
    pub vex: bool,
    /// EVEX encoded (AVX-512): what it allows. EVEX forms also take xmm16-31.
    pub evex: Option<EvexCaps>,
    /// iced's description, for messages: `ADD r/m64, imm8`.
    pub describe: String,
    /// The CPU features it needs beyond x86-64-v1 (features.rs names).
    pub features: Vec<&'static str>,
}

impl Form {
    pub fn is_branch(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Branch(_)))
    }
}

fn slot_of(k: K) -> Option<Slot> {
    Some(match k {
        K::r8_reg | K::r8_opcode => Slot::Gp(8),
        K::r16_reg | K::r16_rm | K::r16_opcode => Slot::Gp(16),
        K::r32_reg | K::r32_rm | K::r32_opcode | K::r32_vvvv => Slot::Gp(32),
        K::r64_reg | K::r64_rm | K::r64_opcode | K::r64_vvvv => Slot::Gp(64),
        K::r8_or_mem => Slot::GpOrMem(8),
        K::r16_or_mem => Slot::GpOrMem(16),
        K::r32_or_mem => Slot::GpOrMem(32),
        K::r64_or_mem => Slot::GpOrMem(64),
        K::al => Slot::FixedGp(regs::RAX, 8),
        K::cl => Slot::FixedGp(regs::RCX, 8),
        K::ax => Slot::FixedGp(regs::RAX, 16),
        K::dx => Slot::FixedGp(regs::RDX, 16),
        K::eax => Slot::FixedGp(regs::RAX, 32),
        K::rax => Slot::FixedGp(regs::RAX, 64),
        K::xmm_reg | K::xmm_rm | K::xmm_vvvv | K::xmm_is4 => Slot::Vec(128),
        K::ymm_reg | K::ymm_rm | K::ymm_vvvv | K::ymm_is4 => Slot::Vec(256),
        K::zmm_reg | K::zmm_rm | K::zmm_vvvv => Slot::Vec(512),
        K::xmm_or_mem => Slot::VecOrMem(128),
        K::ymm_or_mem => Slot::VecOrMem(256),
        K::zmm_or_mem => Slot::VecOrMem(512),
        K::k_reg | K::k_rm | K::k_vvvv => Slot::Mask,
        K::k_or_mem => Slot::MaskOrMem,
        K::mem => Slot::Mem,
        K::mem_vsib32x | K::mem_vsib64x => Slot::Vsib(128),
        K::mem_vsib32y | K::mem_vsib64y => Slot::Vsib(256),
        K::mem_vsib32z | K::mem_vsib64z => Slot::Vsib(512),
        K::imm8 => Slot::Imm(ImmKind::I8),
        K::imm8sex16 | K::imm8sex32 | K::imm8sex64 => Slot::Imm(ImmKind::S8),
        K::imm16 => Slot::Imm(ImmKind::I16),
        K::imm32 => Slot::Imm(ImmKind::I32),
        K::imm32sex64 => Slot::Imm(ImmKind::S32),
        K::imm64 => Slot::Imm(ImmKind::I64),
        K::imm8_const_1 => Slot::Imm(ImmKind::One),
        K::br64_1 => Slot::Branch(true),
        K::br64_4 => Slot::Branch(false),
        _ => return None,
    })
}

/// Mnemonics left out on purpose, with the reason given to the user.
const EXCLUDED: &[(&str, &str)] = &[
    ("call", "a go-asm body is a leaf: it cannot call"),
    (
        "ret",
        "write `return` (it stores the results for both ABIs)",
    ),
    (
        "push",
        "the stack belongs to Go's frame layout: use registers (spills are the allocator's job)",
    ),
    (
        "pop",
        "the stack belongs to Go's frame layout: use registers",
    ),
    ("syscall", "system calls belong in Go code"),
    ("int", "interrupts are not supported"),
    ("int1", "interrupts are not supported"),
    ("int3", "interrupts are not supported"),
    ("into", "interrupts are not supported"),
    ("hlt", "privileged"),
    ("ud0", "not supported"),
    ("ud1", "not supported"),
    ("ud2", "not supported"),
    ("xlatb", "not supported"),
    ("enter", "the stack belongs to Go's frame layout"),
    ("leave", "the stack belongs to Go's frame layout"),
    (
        "lfs",
        "loads a segment register: FS holds Go's thread-local storage",
    ),
    ("lgs", "loads a segment register"),
    ("lss", "loads a segment register"),
    ("verr", "segment descriptor checks are not supported"),
    ("verw", "segment descriptor checks are not supported"),
];

/// Single forms left out: encodings other assemblers refuse or that only repeat
/// another instruction (`movsxd ecx, edx` is `mov`; `bswap cx` is undefined;
/// `loop` with an ECX counter needs an address-size override nobody means).
fn excluded_code(name: &str) -> bool {
    name.ends_with("_ECX")
        || matches!(
            name,
            "Movsxd_r16_rm16"
                | "Movsxd_r32_rm32"
                | "Movzx_r16_rm16"
                | "Movsx_r16_rm16"
                | "Bswap_r16"
        )
}

pub fn excluded(mnemonic: &str) -> Option<&'static str> {
    EXCLUDED
        .iter()
        .find(|(m, _)| *m == mnemonic)
        .map(|(_, r)| *r)
}

/// Condition-code aliases (`jz` is `je`, `cmovnae` is `cmovb`...), for the j/set/cmov families.
const CC_ALIASES: &[(&str, &str)] = &[
    ("z", "e"),
    ("nz", "ne"),
    ("c", "b"),
    ("nae", "b"),
    ("nc", "ae"),
    ("nb", "ae"),
    ("na", "be"),
    ("nbe", "a"),
    ("nge", "l"),
    ("nl", "ge"),
    ("ng", "le"),
    ("nle", "g"),
    ("pe", "p"),
    ("po", "np"),
];

/// Other spellings of the same instruction.
const ALIASES: &[(&str, &str)] = &[("sal", "shl"), ("jrcxz", "jrcxz")];

/// The canonical mnemonic for what the user wrote.
pub fn canonical(m: &str) -> String {
    for family in ["j", "set", "cmov"] {
        if let Some(cc) = m.strip_prefix(family) {
            if let Some((_, to)) = CC_ALIASES.iter().find(|(from, _)| *from == cc) {
                return format!("{family}{to}");
            }
        }
    }
    if let Some((_, to)) = ALIASES.iter().find(|(from, _)| *from == m) {
        return to.to_string();
    }
    m.to_string()
}

pub struct Table {
    pub by_mnemonic: HashMap<String, Vec<Form>>,
}

pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(build)
}

/// Placeholder registers for probing accesses: never implicit operands of anything.
fn placeholder(slot: Slot, i: usize) -> Option<Register> {
    let gp = 8 + i as u8; // r8..r12
    Some(match slot {
        Slot::Gp(w) | Slot::GpOrMem(w) => regs::iced(gp, w),
        Slot::FixedGp(p, w) => regs::iced(p, w),
        Slot::Vec(w) | Slot::VecOrMem(w) => regs::iced(regs::VEC_BASE + 8 + i as u8, w),
        Slot::Mask | Slot::MaskOrMem => regs::iced(regs::MASK_BASE + 1 + i as u8, 64),
        _ => return None,
    })
}

fn build() -> Table {
    let mut by_mnemonic: HashMap<String, Vec<Form>> = HashMap::new();
    let mut info = InstructionInfoFactory::new();
    'codes: for code in Code::values() {
        let op = code.op_code();
        if !op.is_instruction()
            || !op.mode64()
            || op.must_be_cpl0()
            || (op.is_privileged() && !op.is_input_output())
        {
            continue;
        }
        // The opmask instructions (`kmovw`, `kandq`...) are VEX-encoded AVX-512.
        let features_ok = matches!(
            op.encoding(),
            EncodingKind::Legacy | EncodingKind::VEX | EncodingKind::EVEX
        ) && code
            .cpuid_features()
            .iter()
            .all(|f| FEATURES.contains(f) || EVEX_FEATURES.contains(f));
        if !features_ok {
            continue;
        }
        let mnemonic = format!("{:?}", code.mnemonic()).to_lowercase();
        if excluded(&mnemonic).is_some() || code.is_stack_instruction() {
            continue;
        }
        // Branches: only direct near/short jumps, jcc, loop and jrcxz.
        let fc = code.flow_control();
        let is_branch_code = matches!(
            fc,
            FlowControl::UnconditionalBranch | FlowControl::ConditionalBranch
        );
        if !matches!(fc, FlowControl::Next) && !is_branch_code {
            continue;
        }
        // Legacy forms that only exist for 16/32-bit address or operand overrides.
        let name = format!("{code:?}");
        if name.ends_with("_16")
            || name.ends_with("_32")
            || name.contains("_EDX")
            || excluded_code(&name)
        {
            continue;
        }
        let kinds: Vec<K> = op.op_kinds().to_vec();
        let mut slots = Vec::new();
        for &k in &kinds {
            match slot_of(k) {
                Some(s) => slots.push(s),
                None => continue 'codes,
            }
        }
        if is_branch_code != slots.iter().any(|s| matches!(s, Slot::Branch(_))) {
            continue;
        }
        // Probe accesses with placeholder operands.
        let mut probe = Instruction::default();
        probe.set_code(code);
        for (i, (&s, &k)) in slots.iter().zip(&kinds).enumerate() {
            let i32_ = i as u32;
            match s {
                Slot::Imm(ik) => {
                    probe.set_op_kind(i32_, ik.op_kind(k));
                    let _ = probe.try_set_immediate_i64(i32_, 1);
                }
                Slot::Mem
                | Slot::GpOrMem(_)
                | Slot::VecOrMem(_)
                | Slot::MaskOrMem
                | Slot::Vsib(_) => {
                    if matches!(s, Slot::Mem | Slot::Vsib(_)) {
                        probe.set_op_kind(i32_, OpKind::Memory);
                        probe.set_memory_base(Register::R13);
                        probe.set_memory_displ_size(1);
                        if let Slot::Vsib(w) = s {
                            probe.set_memory_index(regs::iced(regs::VEC_BASE + 14, w));
                            probe.set_memory_index_scale(1);
                        }
                    } else {
                        probe.set_op_kind(i32_, OpKind::Register);
                        probe.set_op_register(i32_, placeholder(s, i).expect("register slot"));
                    }
                }
                Slot::Branch(_) => {
                    probe.set_op_kind(i32_, OpKind::NearBranch64);
                    probe.set_near_branch64(0);
                }
                _ => {
                    probe.set_op_kind(i32_, OpKind::Register);
                    probe.set_op_register(i32_, placeholder(s, i).expect("register slot"));
                }
            }
        }
        let mem_bytes = {
            let mut m = Instruction::default();
            m.set_code(code);
            m.memory_size().size() as u32
        };
        let inf = info.info(&probe);
        let mut access = Vec::new();
        for i in 0..slots.len() {
            access.push(match inf.op_access(i as u32) {
                OpAccess::Read | OpAccess::CondRead => Access::Read,
                OpAccess::Write => Access::Write,
                OpAccess::ReadWrite | OpAccess::ReadCondWrite | OpAccess::CondWrite => {
                    Access::ReadWrite
                }
                _ => Access::None,
            });
        }
        let explicit: Vec<Register> = (0..slots.len())
            .filter(|&i| probe.op_kind(i as u32) == OpKind::Register)
            .map(|i| probe.op_register(i as u32).full_register())
            .chain([Register::R13, Register::ZMM14])
            .collect();
        let mut implicit_uses = Vec::new();
        let mut implicit_defs = Vec::new();
        for u in inf.used_registers() {
            let full = u.register().full_register();
            if explicit.contains(&full) {
                continue;
            }
            let Some((phys, _)) = regs::from_iced(full) else {
                // rsp/flags/segment: rsp users were excluded above.
                if full == Register::RSP {
                    continue 'codes;
                }
                continue;
            };
            match u.access() {
                OpAccess::Read | OpAccess::CondRead => implicit_uses.push(phys),
                OpAccess::Write => implicit_defs.push(phys),
                _ => {
                    implicit_uses.push(phys);
                    implicit_defs.push(phys);
                }
            }
        }
        if code == Code::VEX_Vzeroupper {
            // It clears bits 128 and up of every ymm register: values in xmm registers
            // (the usual `vzeroupper; return s`) survive it, so for allocation it
            // touches nothing. (A ymm value live across it loses its upper half.)
            implicit_uses.clear();
            implicit_defs.clear();
        }
        let describe = op.instruction_string().to_lowercase();
        let evex = (op.encoding() == EncodingKind::EVEX).then(|| EvexCaps {
            mask: op.can_use_op_mask_register(),
            require_mask: op.require_op_mask_register(),
            zeroing: op.can_use_zeroing_masking(),
            bcst_bytes: if op.can_broadcast() {
                op.broadcast_memory_size().size() as u32
            } else {
                0
            },
            // iced's `_er` forms that ignore it (vcvtdq2pd is exact) take none.
            rounding: op.can_use_rounding_control() && !op.ignores_rounding_control(),
            sae: op.can_suppress_all_exceptions(),
        });
        by_mnemonic.entry(mnemonic.clone()).or_default().push(Form {
            code,
            mnemonic,
            slots,
            kinds,
            access,
            mem_bytes,
            implicit_uses,
            implicit_defs,
            vex: op.encoding() == EncodingKind::VEX,
            evex,
            describe,
            features: features_of(code),
        });
    }
    Table { by_mnemonic }
}

/// iced-x86's CPUID features as the names a block declares (features.rs); the
/// x86-64-v1 baseline (8086 .. x64, CMOV, CX8, SSE, SSE2, ...) is not listed.
const FEATURE_NAMES: &[(CpuidFeature, &str)] = &[
    (CpuidFeature::SSE3, "sse3"),
    (CpuidFeature::SSSE3, "ssse3"),
    (CpuidFeature::SSE4_1, "sse4.1"),
    (CpuidFeature::SSE4_2, "sse4.2"),
    (CpuidFeature::CMPXCHG16B, "cmpxchg16b"),
    (CpuidFeature::POPCNT, "popcnt"),
    (CpuidFeature::LZCNT, "lzcnt"),
    (CpuidFeature::MOVBE, "movbe"),
    (CpuidFeature::BMI1, "bmi1"),
    (CpuidFeature::BMI2, "bmi2"),
    (CpuidFeature::ADX, "adx"),
    (CpuidFeature::AVX, "avx"),
    (CpuidFeature::AVX2, "avx2"),
    (CpuidFeature::FMA, "fma"),
    (CpuidFeature::F16C, "f16c"),
    (CpuidFeature::AES, "aes"),
    (CpuidFeature::PCLMULQDQ, "pclmulqdq"),
    (CpuidFeature::SHA, "sha"),
    (CpuidFeature::GFNI, "gfni"),
    (CpuidFeature::VAES, "vaes"),
    (CpuidFeature::VPCLMULQDQ, "vpclmulqdq"),
    (CpuidFeature::AVX512F, "avx512f"),
    (CpuidFeature::AVX512BW, "avx512bw"),
    (CpuidFeature::AVX512CD, "avx512cd"),
    (CpuidFeature::AVX512DQ, "avx512dq"),
    (CpuidFeature::AVX512VL, "avx512vl"),
    (CpuidFeature::AVX512_IFMA, "avx512ifma"),
    (CpuidFeature::AVX512_VBMI, "avx512vbmi"),
    (CpuidFeature::AVX512_VBMI2, "avx512vbmi2"),
    (CpuidFeature::AVX512_VNNI, "avx512vnni"),
    (CpuidFeature::AVX512_BITALG, "avx512bitalg"),
    (CpuidFeature::AVX512_VPOPCNTDQ, "avx512vpopcntdq"),
    (CpuidFeature::AVX512_FP16, "avx512fp16"),
];

/// Baseline CPUID features: every x86-64 CPU has them.
const BASELINE: &[CpuidFeature] = &[
    CpuidFeature::INTEL8086,
    CpuidFeature::INTEL186,
    CpuidFeature::INTEL286,
    CpuidFeature::INTEL386,
    CpuidFeature::INTEL486,
    CpuidFeature::X64,
    CpuidFeature::CMOV,
    CpuidFeature::CX8,
    CpuidFeature::CPUID,
    CpuidFeature::TSC,
    CpuidFeature::PAUSE,
    CpuidFeature::SSE,
    CpuidFeature::SSE2,
];

/// The features a form of `code` needs beyond x86-64-v1, from iced-x86's CPUID
/// data (a feature without a declarable name keeps iced's, lower-cased).
fn features_of(code: Code) -> Vec<&'static str> {
    code.cpuid_features()
        .iter()
        .filter(|f| !BASELINE.contains(f))
        .map(|f| {
            FEATURE_NAMES
                .iter()
                .find(|(c, _)| c == f)
                .map_or_else(|| &*format!("{f:?}").to_lowercase().leak(), |(_, n)| *n)
        })
        .collect()
}
