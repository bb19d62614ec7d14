//! amd64 behind the compiler's [`Backend`] trait.

use crate::arch::{Abi, Arch, Format, Target};
use crate::backend::{
    label_name, table_symbol, Backend, Compiled, Encoded, Line, Lowered, NativeFn, RelocKind,
    TableRef,
};
use crate::c_results::Placement;
use crate::diag::{bail, Result};
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

/// The amd64 backend.
pub struct X86;

impl SpillCode for X86 {
    type Inst = super::parse::Inst;
    fn map_regs(inst: &Self::Inst, f: &dyn Fn(Reg) -> Reg) -> Self::Inst {
        super::encode::map_regs(inst, f)
    }
    fn slot_bytes(body: &Body<Self::Inst>, v: u32) -> std::result::Result<u32, String> {
        super::spill::slot_bytes(body, v)
    }
    type Style = super::spill::MoveStyle;
    fn spill_style(original: &Body<Self::Inst>) -> Self::Style {
        super::spill::MoveStyle::of(original)
    }
    fn spill_move(
        style: Self::Style,
        temp: Reg,
        class: Class,
        slot: SpillSlot,
        load: bool,
        span: Span,
    ) -> Self::Inst {
        super::spill::spill_move(style, temp, class, slot, load, span)
    }
    fn span(inst: &Self::Inst) -> Span {
        inst.span
    }
    fn merged_bytes(inst: &Self::Inst, v: u32, slot_bytes: u32) -> Option<u32> {
        super::spill::merged_bytes(inst, v, slot_bytes)
    }
}

impl Backend for X86 {
    const ARCH: Arch = Arch::Amd64;
    /// `0(SP)`: the saved BP sits above the locals.
    const LOCALS_BASE: u32 = 0;
    fn lower(f: &AsmFn, block: &Block) -> Result<Lowered<Self::Inst>> {
        super::parse::lower(f, block)
    }
    fn file(body: &Body<Self::Inst>) -> RegFile {
        RegFile {
            count: super::regs::COUNT,
            class_of: super::regs::class_of,
            allocatable: if super::evex::allows_evex_registers(body) {
                super::regs::allocatable_evex
            } else {
                super::regs::allocatable
            },
        }
    }
    fn encode(f: &AsmFn, nodes: &[Node<Self::Inst>], labels: &[String]) -> Result<Encoded> {
        use super::encode::Item;
        let enc = super::encode::encode(nodes, labels.len())?;
        let label = |l: LabelId| label_name(labels, l);
        let table_sym = |t: usize| table_symbol(f, t);
        let mut lines = Vec::new();
        for item in &enc.items {
            lines.push(match item {
                Item::Label(l) => Err(format!("{}:", label(*l))),
                Item::Inst(p) => {
                    let refs_table = p
                        .inst
                        .ops
                        .iter()
                        .any(|o| matches!(o, super::parse::Operand::Mem(m) if m.table.is_some()));
                    if refs_table && super::gosyntax::go_text(p, &label, &table_sym).is_none() {
                        bail!(
                            p.inst.span,
                            "`{}` with a table operand has no Go assembler spelling, and raw bytes cannot carry the table's address: load it with `lea r, [TABLE]` and address through r",
                            p.inst.mnemonic
                        );
                    }
                    Ok(Line {
                        go: super::gosyntax::go_line(p, &label, &table_sym),
                        line: p.inst.span.start().line,
                        defs: p.inst.defs.clone(),
                        exits: p.inst.flow == Flow::Exit,
                    })
                }
            });
        }
        let refs = enc
            .table_refs
            .iter()
            .map(|t| TableRef {
                offset: t.offset,
                table: t.table,
                addend: t.addend,
                kind: RelocKind::Rel32,
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
    const RUST_ARCH: &'static str = "x86_64";
    const C_CONDITION: &'static str = "defined(__x86_64__) || defined(_M_X64)";
    const OBJECT_ARCH: object::Architecture = object::Architecture::X86_64;
    const NATIVE_TARGETS: &'static [Target] = &[
        Target {
            arch: Arch::Amd64,
            abi: Abi::SysV,
            format: Format::Elf,
            goos: "linux",
        },
        Target {
            arch: Arch::Amd64,
            abi: Abi::SysV,
            format: Format::MachO,
            goos: "darwin",
        },
        Target {
            arch: Arch::Amd64,
            abi: Abi::Win64,
            format: Format::Coff,
            goos: "windows",
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
        super::regs::parse(name).is_some()
    }
    fn is_go_register(name: &str) -> bool {
        super::go_registers::is_go_register(name)
    }
    const FEATURES: &'static FeatureTable = &super::features::TABLE;
    fn feature_use(inst: &Self::Inst) -> Use<'_> {
        // The encoder prefers legacy and VEX forms to EVEX ones.
        let mut alternatives: Vec<Vec<&'static str>> = Vec::new();
        for evex in [false, true] {
            for f in inst.forms.iter().filter(|f| f.evex.is_some() == evex) {
                let needs = f.features.clone();
                if !alternatives.contains(&needs) {
                    alternatives.push(needs);
                }
            }
        }
        if alternatives.is_empty() {
            alternatives.push(Vec::new());
        }
        Use {
            mnemonic: &inst.mnemonic,
            span: inst.span,
            alternatives,
        }
    }
    fn keep_forms(inst: &mut Self::Inst, allowed: &dyn Fn(&[&'static str]) -> bool) {
        inst.forms.retain(|f| allowed(&f.features));
    }
    fn go_implied(prefix: &str, features: &[Feature]) -> Option<String> {
        super::features::go_implied(prefix, features)
    }
    fn go_detection(d: &GoDetect) -> GoDetection {
        super::features::go_detection(d)
    }
    const GO_STUB: GoStubSpelling = super::features::GO_STUB;
    fn c_detection(features: &[Feature]) -> CDetection {
        super::features::c_detection(features)
    }
}
