//! One function, one architecture: lower the block, allocate registers once, encode
//! the body, and keep what both the Go shim and the native shim need.

use crate::diag::{bail, Result};
use crate::frame::{self, Frame};
use crate::func::{Arch, AsmFn, Block};
use crate::ir::{Body, Class, Effects, Flow, LabelId, Node, Reg};
use crate::regalloc::{self, Order, RegFile};
use crate::spill::{self, SpillCode, SpillSlot};
use crate::{arm64, x86};
use proc_macro2::Span;

/// How a table reference is patched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// amd64: a rel32 field (`S + A - P`).
    Rel32,
    /// arm64 ADRP: the 4 KiB page delta (`R_AARCH64_ADR_PREL_PG_HI21`).
    AdrPage,
    /// arm64 ADD: the low 12 bits of the address (`R_AARCH64_ADD_ABS_LO12_NC`).
    AddLo12,
}

/// A reference from the body to a data table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRef {
    /// Offset of the field (amd64) or instruction (arm64) to patch, in the body.
    pub offset: u32,
    pub table: usize,
    pub addend: i64,
    pub kind: RelocKind,
}

/// A compiled body and its register interface.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub arch: Arch,
    pub frame: Frame,
    /// Machine code of the body (argument moves and result stores are not in it).
    pub bytes: Vec<u8>,
    pub table_refs: Vec<TableRef>,
    /// The body in Go syntax, one line per label or instruction.
    pub go_body: Vec<String>,
    /// Per frame argument slot: the register the body expects it in (None: unused
    /// or spilled).
    pub arg_regs: Vec<Option<u8>>,
    /// Per frame argument slot: the spill slot the body expects it in (arguments
    /// the allocator moved to memory; the shims store them there).
    pub arg_slots: Vec<Option<SpillSlot>>,
    /// Bytes of spill slots above `frame::locals_base`: the Go TEXT frame size,
    /// and the area the native prologue reserves (0: nothing spilled).
    pub spill_bytes: u32,
    /// How many values live in spill slots.
    pub spilled: usize,
    /// Per result: the register holding it at the exit.
    pub result_regs: Vec<u8>,
    /// Physical registers the body writes.
    pub clobbers: Vec<u8>,
    /// Whether some `return` jumps to the exit label (it must be printed).
    pub exit_referenced: bool,
    /// Declared features no instruction needs (the build step warns).
    pub unused_features: Vec<(&'static str, Span)>,
}

/// The label the exit sequence carries in Go text.
pub const EXIT_LABEL: &str = "goasm_exit";

/// Go's file-static symbol for a table.
pub fn table_symbol(f: &AsmFn, table: usize) -> String {
    format!("{}_{}<>", f.sig.name, f.tables[table].name)
}

pub fn compile(f: &AsmFn, arch: Arch) -> Result<Compiled> {
    let Some(block) = f.block(arch) else {
        bail!(
            f.sig.name_span,
            "`{}` has no {}! block",
            f.sig.name,
            arch.goarch()
        );
    };
    compile_block(f, block)
}

/// Compiles one block of `f` (a function may have several per architecture).
pub fn compile_block(f: &AsmFn, block: &Block) -> Result<Compiled> {
    match block.arch {
        Arch::Amd64 => drive::<X86>(f, block),
        Arch::Arm64 => drive::<Arm64>(f, block),
    }
}

/// One placed instruction, as the driver needs it.
struct Line {
    go: String,
    defs: Vec<Reg>,
    exits: bool,
}

/// A lowered body, its argument registers and allocation hints.
type Lowered<I> = (Body<I>, Vec<u32>, Vec<Option<u8>>);

/// Body bytes, table references, and per item a Go line (`Err`: a label line).
type Encoded = (Vec<u8>, Vec<TableRef>, Vec<Result<Line, String>>);

/// The parts of a backend the driver calls; each backend keeps its own types.
trait Backend: SpillCode {
    const ARCH: Arch;
    fn lower(f: &AsmFn, block: &Block) -> Result<Lowered<Self::Inst>>;
    fn file() -> RegFile;
    fn apply(inst: &Self::Inst, assign: &[u8]) -> Self::Inst;
    /// The instruction for the feature proof (features.rs).
    fn feature_use(inst: &Self::Inst) -> crate::features::Use<'_>;
    /// Encodes the allocated body and prints each item in Go syntax.
    fn encode(f: &AsmFn, nodes: &[Node<Self::Inst>], labels: &[String]) -> Result<Encoded>;
}

fn label_name(labels: &[String], l: LabelId) -> String {
    if l == LabelId::MAX {
        EXIT_LABEL.to_string()
    } else {
        labels[l as usize].clone()
    }
}

struct X86;

impl SpillCode for X86 {
    type Inst = x86::parse::Inst;
    fn map_regs(inst: &Self::Inst, f: &dyn Fn(Reg) -> Reg) -> Self::Inst {
        x86::encode::map_regs(inst, f)
    }
    fn slot_bytes(body: &Body<Self::Inst>, v: u32) -> std::result::Result<u32, String> {
        x86::spill::slot_bytes(body, v)
    }
    type Style = x86::spill::MoveStyle;
    fn spill_style(original: &Body<Self::Inst>) -> Self::Style {
        x86::spill::MoveStyle::of(original)
    }
    fn spill_move(
        style: Self::Style,
        temp: Reg,
        class: Class,
        slot: SpillSlot,
        load: bool,
        span: Span,
    ) -> Self::Inst {
        x86::spill::spill_move(style, temp, class, slot, load, span)
    }
    fn span(inst: &Self::Inst) -> Span {
        inst.span
    }
    fn merges_into(inst: &Self::Inst, v: u32, slot_bytes: u32) -> bool {
        x86::spill::merges_into(inst, v, slot_bytes)
    }
}

impl Backend for X86 {
    const ARCH: Arch = Arch::Amd64;
    fn lower(f: &AsmFn, block: &Block) -> Result<Lowered<Self::Inst>> {
        let l = x86::parse::lower(f, block)?;
        Ok((l.body, l.arg_vregs, l.hints))
    }
    fn file() -> RegFile {
        RegFile {
            count: x86::regs::COUNT,
            class_of: x86::regs::class_of,
            allocatable: x86::regs::allocatable,
        }
    }
    fn apply(inst: &Self::Inst, assign: &[u8]) -> Self::Inst {
        x86::encode::apply(inst, assign)
    }
    fn feature_use(inst: &Self::Inst) -> crate::features::Use<'_> {
        // The encoder picks among the candidate forms later: what all of them need.
        let mut needs = inst.forms.first().map(|f| f.features()).unwrap_or_default();
        for f in &inst.forms[1.min(inst.forms.len())..] {
            let other = f.features();
            needs.retain(|n| other.contains(n));
        }
        crate::features::Use {
            mnemonic: &inst.mnemonic,
            span: inst.span,
            needs,
        }
    }
    fn encode(f: &AsmFn, nodes: &[Node<Self::Inst>], labels: &[String]) -> Result<Encoded> {
        use x86::encode::Item;
        let enc = x86::encode::encode(nodes, labels.len())?;
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
                        .any(|o| matches!(o, x86::parse::Operand::Mem(m) if m.table.is_some()));
                    if refs_table && x86::gosyntax::go_text(p, &label, &table_sym).is_none() {
                        bail!(
                            p.inst.span,
                            "`{}` with a table operand has no Go assembler spelling, and raw bytes cannot carry the table's address: load it with `lea r, [TABLE]` and address through r",
                            p.inst.mnemonic
                        );
                    }
                    Ok(Line {
                        go: x86::gosyntax::go_line(p, &label, &table_sym),
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
}

struct Arm64;

impl SpillCode for Arm64 {
    type Inst = arm64::parse::Inst;
    fn map_regs(inst: &Self::Inst, f: &dyn Fn(Reg) -> Reg) -> Self::Inst {
        arm64::encode::map_regs(inst, f)
    }
    fn slot_bytes(body: &Body<Self::Inst>, v: u32) -> std::result::Result<u32, String> {
        arm64::spill::slot_bytes(body, v)
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
        arm64::spill::spill_move(temp, class, slot, load, span)
    }
    fn span(inst: &Self::Inst) -> Span {
        inst.span
    }
}

impl Backend for Arm64 {
    const ARCH: Arch = Arch::Arm64;
    fn lower(f: &AsmFn, block: &Block) -> Result<Lowered<Self::Inst>> {
        let l = arm64::parse::lower(f, block)?;
        Ok((l.body, l.arg_vregs, l.hints))
    }
    fn file() -> RegFile {
        arm64::regs::FILE
    }
    fn apply(inst: &Self::Inst, assign: &[u8]) -> Self::Inst {
        arm64::encode::apply(inst, assign)
    }
    fn feature_use(inst: &Self::Inst) -> crate::features::Use<'_> {
        crate::features::Use {
            mnemonic: &inst.mnemonic,
            span: inst.span,
            needs: inst.form().feature.into_iter().collect(),
        }
    }
    fn encode(f: &AsmFn, nodes: &[Node<Self::Inst>], labels: &[String]) -> Result<Encoded> {
        use arm64::encode::Item;
        let enc = arm64::encode::encode(nodes, labels.len())?;
        let label = |l: LabelId| label_name(labels, l);
        let table_sym = |t: usize| table_symbol(f, t);
        let lines = enc
            .items
            .iter()
            .map(|item| match item {
                Item::Label(l) => Err(format!("{}:", label(*l))),
                Item::Inst(p) => Ok(Line {
                    go: arm64::gosyntax::go_line(p, &label, &table_sym),
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
                    arm64::encode::RelocKind::AdrPage => RelocKind::AdrPage,
                    arm64::encode::RelocKind::AddLo12 => RelocKind::AddLo12,
                },
            })
            .collect();
        Ok((enc.bytes, refs, lines))
    }
}

fn mentioned<I: Effects>(nodes: &[Node<I>], nv: usize) -> Vec<bool> {
    let mut used = vec![false; nv];
    for n in nodes {
        if let Node::Inst(i) = n {
            for r in i.uses().into_iter().chain(i.defs()) {
                if let Reg::Virt(v) = r {
                    used[v as usize] = true;
                }
            }
        }
    }
    used
}

/// Lower, allocate once, encode, print: the same steps for every backend.
fn drive<B: Backend>(f: &AsmFn, block: &Block) -> Result<Compiled> {
    let (body, arg_vregs, mut hints) = B::lower(f, block)?;
    let unused_features = crate::features::prove(
        block,
        body.nodes.iter().filter_map(|n| match n {
            Node::Inst(i) => Some(B::feature_use(i)),
            Node::Label(_) => None,
        }),
    )?;
    // Prefer the registers the C ABI delivers arguments in: the native prologue's
    // moves then mostly vanish (the Go shim loads from the frame either way).
    let frame = frame::layout(&f.sig);
    hints.resize(body.vregs.len(), None);
    for (v, hint) in arg_vregs
        .iter()
        .zip(crate::native::arg_hints(B::ARCH, &f.sig, &frame.args))
    {
        let slot = &mut hints[*v as usize];
        if slot.is_none() {
            *slot = hint;
        }
    }
    let alloc = allocate::<B>(&body, &hints)?;
    let (body, assign) = (alloc.body, alloc.assign);
    let used = mentioned(&body.nodes, body.vregs.len());
    let nodes: Vec<Node<B::Inst>> = body
        .nodes
        .iter()
        .map(|n| match n {
            Node::Label(l) => Node::Label(*l),
            Node::Inst(i) => Node::Inst(B::apply(i, &assign)),
        })
        .collect();
    let (bytes, table_refs, lines) = B::encode(f, &nodes, &body.labels)?;
    let mut go_body = Vec::new();
    let mut exit_referenced = false;
    let mut clobbers = Vec::new();
    for line in lines {
        match line {
            Err(label) => go_body.push(label),
            Ok(l) => {
                exit_referenced |= l.exits;
                clobbers.extend(l.defs.iter().filter_map(|d| match d {
                    Reg::Phys(r) => Some(*r),
                    Reg::Virt(_) => None,
                }));
                go_body.push(format!("\t{}", l.go));
            }
        }
    }
    let arg_regs: Vec<Option<u8>> = arg_vregs
        .iter()
        .map(|&v| used[v as usize].then(|| assign[v as usize]))
        .collect();
    let arg_slots: Vec<Option<SpillSlot>> = arg_vregs
        .iter()
        .map(|&v| {
            alloc
                .spilled
                .iter()
                .find(|(s, _)| *s == v)
                .map(|(_, slot)| *slot)
        })
        .collect();
    clobbers.extend(arg_regs.iter().flatten());
    clobbers.sort();
    clobbers.dedup();
    Ok(Compiled {
        arch: B::ARCH,
        frame,
        bytes,
        table_refs,
        go_body,
        arg_regs,
        arg_slots,
        spill_bytes: alloc.spill_bytes,
        spilled: alloc.spilled.len(),
        result_regs: body.results.clone(),
        clobbers,
        exit_referenced,
        unused_features,
    })
}

/// An allocated body: the input, or the input rewritten with spill code.
struct Allocated<I> {
    body: Body<I>,
    assign: regalloc::Assignment,
    /// Spilled virtual registers (numbers of the input body) and their slots.
    spilled: Vec<(u32, SpillSlot)>,
    spill_bytes: u32,
}

/// Colours `body`; when registers run out, spills the cheapest values and colours
/// the rewritten body again, until it fits or no spill can help (an error at the
/// instruction that needs more registers than exist).
fn allocate<B: Backend>(body: &Body<B::Inst>, hints: &[Option<u8>]) -> Result<Allocated<B::Inst>> {
    let file = B::file();
    let first = regalloc::colour(body, &file, hints, Order::Declaration);
    if first.failed.is_empty() {
        return Ok(Allocated {
            body: body.clone(),
            assign: first.assign,
            spilled: Vec::new(),
            spill_bytes: 0,
        });
    }
    let costs = spill::costs(body);
    let base = frame::locals_base(B::ARCH);
    let mut chosen: Vec<u32> = Vec::new();
    let mut sizes: Vec<u32> = Vec::new();
    // Each round spills at least one more value of `body`, so this ends.
    loop {
        let (slots, area) = spill::layout(&sizes, base);
        if area > frame::MAX_SPILL_BYTES {
            let vreg = &body.vregs[chosen[0] as usize];
            bail!(
                vreg.span,
                "`{}` and {} other values would need {area} bytes of spill slots; at most {} are supported",
                vreg.name,
                chosen.len() - 1,
                frame::MAX_SPILL_BYTES
            );
        }
        let spilled: Vec<(u32, SpillSlot)> = chosen.iter().copied().zip(slots).collect();
        let rewritten = spill::rewrite::<B>(body, hints, &spilled)?;
        let c = regalloc::colour(
            &rewritten.body,
            &file,
            &rewritten.hints,
            Order::FirstAppearance,
        );
        if c.failed.is_empty() {
            return Ok(Allocated {
                body: rewritten.body,
                assign: c.assign,
                spilled,
                spill_bytes: area,
            });
        }
        let class = rewritten.body.vregs[c.failed[0] as usize].class;
        let more = spill::choose(
            body,
            &rewritten.body,
            &c,
            &costs,
            &chosen,
            (file.allocatable)(class).len(),
        )?;
        for v in more {
            let vreg = &body.vregs[v as usize];
            let bytes = B::slot_bytes(body, v).map_err(|why| {
                crate::diag::Error::new(
                    vreg.span,
                    format!("`{}` has to live in memory, but {why}", vreg.name),
                )
            })?;
            chosen.push(v);
            sizes.push(bytes);
        }
    }
}
