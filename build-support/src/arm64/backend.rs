//! arm64 behind the compiler's [`Backend`] trait.

use crate::arch::{Abi, Arch, Format, Target};
use crate::backend::{
    label_name, table_symbol, Backend, Compiled, Encoded, Line, Lowered, NativeFn, RelocKind,
    TableRef,
};
use crate::c_results::Placement;
use crate::diag::Result;
use crate::features::{
    CDetection, Feature, FeatureTable, GoDetect, GoDetection, GoStubSpelling, Use,
};
use crate::frame::Slot;
use crate::func::{AsmFn, Block};
use crate::ir::{Body, Class, Flow, LabelId, Node, Reg};
use crate::regalloc::RegFile;
use crate::sig::Signature;
use crate::spill::{SpillCode, SpillSlot};
use proc_macro2::Span;

/// ARM's aliases of x29 and x30: a reader takes them for registers too.
const ALIASES: &[&str] = &["fp", "lr"];

/// The arm64 backend.
pub struct Arm64;

impl SpillCode for Arm64 {
    type Inst = super::parse::Inst;
    fn map_regs(inst: &Self::Inst, f: &dyn Fn(Reg) -> Reg) -> Self::Inst {
        super::encode::map_regs(inst, f)
    }
    fn slot_bytes(body: &Body<Self::Inst>, v: u32) -> std::result::Result<u32, String> {
        super::spill::slot_bytes(body, v)
    }
    type Style = ();
    fn spill_style(_original: &Body<Self::Inst>) {}
    fn spill_move(
        _style: (),
        temp: Reg,
        class: Class,
        slot: SpillSlot,
        load: bool,
        span: Span,
    ) -> Self::Inst {
        super::spill::spill_move(temp, class, slot, load, span)
    }
    fn span(inst: &Self::Inst) -> Span {
        inst.span
    }
}

impl Backend for Arm64 {
    const ARCH: Arch = Arch::Arm64;
    /// `8(RSP)`: the saved LR is at `0(RSP)`.
    const LOCALS_BASE: u32 = 8;
    fn lower(f: &AsmFn, block: &Block) -> Result<Lowered<Self::Inst>> {
        super::parse::lower(f, block)
    }
    fn file(_body: &Body<Self::Inst>) -> RegFile {
        super::regs::FILE
    }
    fn encode(f: &AsmFn, nodes: &[Node<Self::Inst>], labels: &[String]) -> Result<Encoded> {
        use super::encode::Item;
        let enc = super::encode::encode(nodes, labels.len())?;
        let label = |l: LabelId| label_name(labels, l);
        let table_sym = |t: usize| table_symbol(f, t);
        let lines = enc
            .items
            .iter()
            .map(|item| match item {
                Item::Label(l) => Err(format!("{}:", label(*l))),
                Item::Inst(p) => Ok(Line {
                    go: super::gosyntax::go_line(p, &label, &table_sym),
                        line: p.inst.span.start().line,
                    defs: p.inst.defs.clone(),
                    exits: p.inst.flow == Flow::Exit,
                }),
            })
            .collect();
        let refs = enc
            .table_refs
            .iter()
            .map(|t| TableRef {
                offset: t.offset,
                table: t.table,
                addend: t.addend,
                kind: match t.kind {
                    super::encode::RelocKind::AdrPage => RelocKind::AdrPage,
                    super::encode::RelocKind::AddLo12 => RelocKind::AddLo12,
                },
            })
            .collect();
        Ok((enc.bytes, refs, lines))
    }
    fn go_load_arg(slot: &Slot, reg: u8) -> String {
        super::gosyntax::go_load_arg(slot, reg)
    }
    fn go_spill_arg(slot: &Slot, home: SpillSlot) -> Vec<String> {
        super::gosyntax::go_spill_arg(slot, home.offset)
    }
    fn go_store_result(slot: &Slot, reg: u8) -> String {
        super::gosyntax::go_store_result(slot, reg)
    }
    fn call_targets() -> &'static [crate::call_abi::Target] {
        &super::calln::TARGETS
    }
    const RUST_ARCH: &'static str = "aarch64";
    const C_CONDITION: &'static str = "defined(__aarch64__) || defined(_M_ARM64)";
    const OBJECT_ARCH: object::Architecture = object::Architecture::Aarch64;
    const NATIVE_TARGETS: &'static [Target] = &[
        Target {
            arch: Arch::Arm64,
            abi: Abi::Aapcs64,
            format: Format::Elf,
            goos: "linux",
        },
        Target {
            arch: Arch::Arm64,
            abi: Abi::AppleArm64,
            format: Format::MachO,
            goos: "darwin",
        },
    ];
    fn arg_hints(sig: &Signature, slots: &[Slot]) -> Vec<Option<u8>> {
        super::native::arg_hints(sig, slots)
    }
    fn native_fn(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
        super::native::native_fn(f, c, abi)
    }
    fn result_placement(abi: Abi, sig: &Signature) -> Placement {
        super::native::placement(abi, sig)
    }
    fn is_register(name: &str) -> bool {
        super::regs::parse(name).is_some() || ALIASES.contains(&name)
    }
    fn is_go_register(name: &str) -> bool {
        super::go_registers::is_go_register(name)
    }
    const FEATURES: &'static FeatureTable = &super::features::TABLE;
    fn feature_use(inst: &Self::Inst) -> Use<'_> {
        Use {
            mnemonic: &inst.mnemonic,
            span: inst.span,
            alternatives: vec![inst.form().feature.into_iter().collect()],
        }
    }
    fn go_detection(d: &GoDetect) -> GoDetection {
        super::features::go_detection(d)
    }
    const GO_STUB: GoStubSpelling = super::features::GO_STUB;
    fn c_detection(features: &[Feature]) -> CDetection {
        super::features::c_detection(features)
    }
}
