//! The interface every architecture's compiler implements ([`Backend`], and
//! [`ArchBackend`] for the registry), what it produces ([`Compiled`]), and the one
//! driver that runs it: lower the block, allocate registers once, encode the body,
//! and keep what both the Go shim and the native shim need.

use crate::arch::{Abi, Arch, Target};
use crate::c_results::Placement;
use crate::call_abi;
use crate::diag::{bail, Result};
use crate::features::{
    self, CDetection, Feature, FeatureTable, GoDetect, GoDetection, GoStubSpelling,
};
use crate::frame::{self, Frame, Slot};
use crate::func::{AsmFn, Block};
use crate::ir::{allocated, Body, Effects, LabelId, Node, Reg};
use crate::regalloc::{self, Order, RegFile};
use crate::sig::Signature;
use crate::spill::{self, SpillCode, SpillSlot};
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
    /// Bytes of stack locals from `Backend::LOCALS_BASE` (a multiple of 16; 0:
    /// none declared).
    pub locals_bytes: u32,
    /// Bytes of spill slots above the stack locals (a multiple of 16; 0: nothing
    /// spilled).
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

impl Compiled {
    /// The frame's area above `Backend::LOCALS_BASE`: stack locals, then spill
    /// slots. The Go `TEXT` frame size, and what the native prologue reserves.
    pub fn frame_bytes(&self) -> u32 {
        self.locals_bytes + self.spill_bytes
    }
}

/// A native function: its code and where the shared body sits in it.
#[derive(Clone, Debug)]
pub struct NativeFn {
    pub name: String,
    pub code: Vec<u8>,
    pub body_offset: u32,
    pub body_len: u32,
    /// Table references, with offsets into `code`.
    pub table_refs: Vec<TableRef>,
    /// Bytes of stack the function uses below its return address (pushes, spills).
    pub stack_bytes: u32,
}

impl NativeFn {
    /// A native function whose `code` holds `c`'s body at `body_offset`.
    pub fn around(
        f: &AsmFn,
        c: &Compiled,
        code: Vec<u8>,
        body_offset: u32,
        stack_bytes: u32,
    ) -> Self {
        NativeFn {
            name: f.symbol.clone(),
            code,
            body_offset,
            body_len: c.bytes.len() as u32,
            table_refs: c
                .table_refs
                .iter()
                .map(|t| TableRef {
                    offset: t.offset + body_offset,
                    ..t.clone()
                })
                .collect(),
            stack_bytes,
        }
    }
}

/// The label the exit sequence carries in Go text.
pub const EXIT_LABEL: &str = "goasm_exit";

/// Go's file-static symbol for a table.
pub fn table_symbol(f: &AsmFn, table: usize) -> String {
    format!("{}_{}<>", f.sig.name, f.tables[table].name)
}

/// One placed instruction, as the driver needs it.
pub struct Line {
    pub go: String,
    /// Source line of the instruction (comments are placed by it).
    pub line: usize,
    pub defs: Vec<Reg>,
    pub exits: bool,
}

/// A lowered block.
pub struct Lowered<I> {
    pub body: Body<I>,
    /// Per parameter component (frame slot order): its virtual register.
    pub arg_vregs: Vec<u32>,
    pub hints: Vec<Option<u8>>,
    /// The block's stack locals.
    pub locals: crate::locals::Locals,
}

/// Body bytes, table references, and per item a Go line (`Err`: a label line).
pub type Encoded = (Vec<u8>, Vec<TableRef>, Vec<Result<Line, String>>);

/// The parts of a backend the driver and the Go shims call; each backend keeps its
/// own types (an architecture folder's `backend.rs` implements it).
pub trait Backend: SpillCode + Sync + 'static {
    const ARCH: Arch;
    /// Where the spill area starts above the hardware stack pointer once Go's
    /// assembler has set up a frame.
    const LOCALS_BASE: u32;
    fn lower(f: &AsmFn, block: &Block) -> Result<Lowered<Self::Inst>>;
    /// The register file for `body` (amd64: xmm16-31 only in blocks that use AVX-512).
    fn file(body: &Body<Self::Inst>) -> RegFile;
    /// Encodes the allocated body and prints each item in Go syntax.
    fn encode(f: &AsmFn, nodes: &[Node<Self::Inst>], labels: &[String]) -> Result<Encoded>;
    /// The Go shim: loads an argument from the Go frame into `reg`.
    fn go_load_arg(slot: &Slot, reg: u8) -> String;
    /// The Go shim: copies an argument from the Go frame into its spill slot.
    fn go_spill_arg(slot: &Slot, home: SpillSlot) -> Vec<String>;
    /// The Go shim: stores a result from `reg` into the Go frame.
    fn go_store_result(slot: &Slot, reg: u8) -> String;
    /// The platforms of this architecture the call trampolines are written for,
    /// each with its C calling convention.
    fn call_targets() -> &'static [call_abi::Target];
    /// Cargo's `target_arch` name of this architecture.
    const RUST_ARCH: &'static str;
    /// The C preprocessor condition true when compiling for this architecture
    /// (the C header guards the prototype of a function with blocks for some
    /// architectures only).
    const C_CONDITION: &'static str;
    /// The `object` crate's name of this architecture.
    const OBJECT_ARCH: object::Architecture;
    /// The platforms native objects are written for, each with its C calling
    /// convention and object format.
    const NATIVE_TARGETS: &'static [Target];
    /// Per frame argument slot: the register the native shim's C convention
    /// delivers it in (allocation hints: the prologue's moves then mostly vanish).
    fn arg_hints(sig: &Signature, slots: &[Slot]) -> Vec<Option<u8>>;
    /// The native function for `abi` around `c`: prologue, the body, epilogue.
    fn native_fn(f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn>;
    /// Where `abi` puts `sig`'s results.
    fn result_placement(abi: Abi, sig: &Signature) -> Placement;
    /// Whether this architecture's blocks read `name` as a register.
    fn is_register(name: &str) -> bool;
    /// Whether Go's assembler for this architecture reads `name` as a register.
    fn is_go_register(name: &str) -> bool;
    /// The CPU features a block may declare (the folder's `features.rs`).
    const FEATURES: &'static FeatureTable;
    /// An instruction as the feature proof sees it: what each form the encoder may
    /// still pick needs beyond the baseline.
    fn feature_use(inst: &Self::Inst) -> features::Use<'_>;
    /// Keeps only the forms of `inst` whose needs `allowed` accepts (the proof has
    /// shown one is left), so the encoder cannot pick a form the block does not
    /// declare. Architectures with one form per instruction keep it.
    fn keep_forms(_inst: &mut Self::Inst, _allowed: &dyn Fn(&[&'static str]) -> bool) {}
    /// Go dispatch: the code that detects the package's features at init.
    fn go_detection(d: &GoDetect) -> GoDetection;
    /// Go dispatch: a constant condition that is true when the build targets CPUs
    /// that all have `features` (amd64: the `GOAMD64` level), if there is one.
    fn go_implied(_prefix: &str, _features: &[Feature]) -> Option<String> {
        None
    }
    /// Go dispatch: the condition that is true when the CPU has `features`.
    fn go_condition(prefix: &str, features: &[Feature]) -> String {
        let all: Vec<String> = features.iter().map(|f| f.go_var(prefix)).collect();
        let all = all.join(" && ");
        match Self::go_implied(prefix, features) {
            Some(implied) => format!("{implied} || {all}"),
            None => all,
        }
    }
    /// Go dispatch stubs (dispatch.rs writes their shape): the Go assembly that
    /// jumps to `label` when the package-level boolean `runs` is true, and the
    /// tail jump to the function `target`. Both keep the arguments where the
    /// caller put them.
    const GO_STUB: GoStubSpelling;
    /// C dispatch: the checks of `features` in the header's entry point.
    fn c_detection(features: &[Feature]) -> CDetection;
}

/// An architecture as the arch-neutral modules see it: [`Backend`] behind a trait
/// object, so one registry (`backends::backend`) can hand it out by [`Arch`].
/// Every `Backend` is one.
pub trait ArchBackend: Sync {
    /// Lowers, allocates and encodes `block` ([`drive`]).
    fn compile(&self, f: &AsmFn, block: &Block, c_hints: &[Option<u8>]) -> Result<Compiled>;
    fn go_load_arg(&self, slot: &Slot, reg: u8) -> String;
    fn go_spill_arg(&self, slot: &Slot, home: SpillSlot) -> Vec<String>;
    fn go_store_result(&self, slot: &Slot, reg: u8) -> String;
    fn call_targets(&self) -> &'static [call_abi::Target];
    fn rust_arch(&self) -> &'static str;
    fn c_condition(&self) -> &'static str;
    fn object_architecture(&self) -> object::Architecture;
    fn native_targets(&self) -> &'static [Target];
    fn arg_hints(&self, sig: &Signature, slots: &[Slot]) -> Vec<Option<u8>>;
    fn native_fn(&self, f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn>;
    fn result_placement(&self, abi: Abi, sig: &Signature) -> Placement;
    fn is_register(&self, name: &str) -> bool;
    fn is_go_register(&self, name: &str) -> bool;
    fn features(&self) -> &'static FeatureTable;
    fn go_detection(&self, d: &GoDetect) -> GoDetection;
    fn go_implied(&self, prefix: &str, features: &[Feature]) -> Option<String>;
    fn go_condition(&self, prefix: &str, features: &[Feature]) -> String;
    fn go_stub(&self) -> &'static GoStubSpelling;
    fn c_detection(&self, features: &[Feature]) -> CDetection;
}

impl<B: Backend> ArchBackend for B {
    fn compile(&self, f: &AsmFn, block: &Block, c_hints: &[Option<u8>]) -> Result<Compiled> {
        drive::<B>(f, block, c_hints)
    }
    fn go_load_arg(&self, slot: &Slot, reg: u8) -> String {
        B::go_load_arg(slot, reg)
    }
    fn go_spill_arg(&self, slot: &Slot, home: SpillSlot) -> Vec<String> {
        B::go_spill_arg(slot, home)
    }
    fn go_store_result(&self, slot: &Slot, reg: u8) -> String {
        B::go_store_result(slot, reg)
    }
    fn call_targets(&self) -> &'static [call_abi::Target] {
        B::call_targets()
    }
    fn rust_arch(&self) -> &'static str {
        B::RUST_ARCH
    }
    fn c_condition(&self) -> &'static str {
        B::C_CONDITION
    }
    fn object_architecture(&self) -> object::Architecture {
        B::OBJECT_ARCH
    }
    fn native_targets(&self) -> &'static [Target] {
        B::NATIVE_TARGETS
    }
    fn arg_hints(&self, sig: &Signature, slots: &[Slot]) -> Vec<Option<u8>> {
        B::arg_hints(sig, slots)
    }
    fn native_fn(&self, f: &AsmFn, c: &Compiled, abi: Abi) -> Result<NativeFn> {
        B::native_fn(f, c, abi)
    }
    fn result_placement(&self, abi: Abi, sig: &Signature) -> Placement {
        B::result_placement(abi, sig)
    }
    fn is_register(&self, name: &str) -> bool {
        B::is_register(name)
    }
    fn is_go_register(&self, name: &str) -> bool {
        B::is_go_register(name)
    }
    fn features(&self) -> &'static FeatureTable {
        B::FEATURES
    }
    fn go_detection(&self, d: &GoDetect) -> GoDetection {
        B::go_detection(d)
    }
    fn go_implied(&self, prefix: &str, features: &[Feature]) -> Option<String> {
        B::go_implied(prefix, features)
    }
    fn go_condition(&self, prefix: &str, features: &[Feature]) -> String {
        B::go_condition(prefix, features)
    }
    fn go_stub(&self) -> &'static GoStubSpelling {
        &B::GO_STUB
    }
    fn c_detection(&self, features: &[Feature]) -> CDetection {
        B::c_detection(features)
    }
}

pub fn label_name(labels: &[String], l: LabelId) -> String {
    if l == LabelId::MAX {
        EXIT_LABEL.to_string()
    } else {
        labels[l as usize].clone()
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
/// `c_hints` are, per frame argument slot, the register the C ABI delivers it in.
pub fn drive<B: Backend>(f: &AsmFn, block: &Block, c_hints: &[Option<u8>]) -> Result<Compiled> {
    use crate::dsl::comments::{self, BodyLine};
    let Lowered {
        mut body,
        arg_vregs,
        mut hints,
        locals,
    } = B::lower(f, block)?;
    let unused_features = features::prove(
        B::FEATURES,
        &block.features,
        body.nodes.iter().filter_map(|n| match n {
            Node::Inst(i) => Some(B::feature_use(i)),
            Node::Label(_) => None,
        }),
    )?;
    for n in &mut body.nodes {
        if let Node::Inst(i) = n {
            B::keep_forms(i, &|needs| B::FEATURES.allows(&block.features, needs));
        }
    }
    body.features = block.features.iter().map(|(f, _)| f.name).collect();
    let frame = frame::layout(&f.sig);
    let locals_bytes = locals.bytes();
    if f.nosplit.is_some() && !frame::nosplit(locals_bytes) {
        let l = locals
            .first_beyond(frame::NOSPLIT_MAX_FRAME)
            .expect("a local crosses the limit");
        bail!(
            l.span,
            "stack local `{}` takes the frame to {} bytes, but `{}` is `#[go_asm(nosplit)]`: a NOSPLIT frame holds at most {} bytes of stack locals and spill slots (make the locals smaller, or drop `nosplit` and Go's prologue grows the stack)",
            l.name,
            l.area_after,
            f.sig.name,
            frame::NOSPLIT_MAX_FRAME
        );
    }
    hints.resize(body.vregs.len(), None);
    for (v, hint) in arg_vregs.iter().zip(c_hints) {
        let slot = &mut hints[*v as usize];
        if slot.is_none() {
            *slot = *hint;
        }
    }
    // An argument the body never names is not loaded: it needs no register at
    // entry (a struct by value has many fields a body may leave alone).
    let named = mentioned(&body.nodes, body.vregs.len());
    body.args.retain(|&a| named[a as usize]);
    let alloc = allocate::<B>(f, &body, &hints, locals_bytes)?;
    // The spill code the allocator added must keep to the declaration too.
    if !alloc.spilled.is_empty() {
        features::prove(
            B::FEATURES,
            &block.features,
            alloc.body.insts().map(B::feature_use),
        )?;
    }
    let (body, assign) = (alloc.body, alloc.assign);
    let used = mentioned(&body.nodes, body.vregs.len());
    let nodes: Vec<Node<B::Inst>> = body
        .nodes
        .iter()
        .map(|n| match n {
            Node::Label(l) => Node::Label(*l),
            Node::Inst(i) => Node::Inst(B::map_regs(i, &|r| allocated(r, &assign))),
        })
        .collect();
    let (bytes, table_refs, lines) = B::encode(f, &nodes, &body.labels)?;
    let mut go_body = Vec::new();
    let label_lines = if block.comments.is_empty() {
        Default::default()
    } else {
        comments::label_lines(&block.tokens)
    };
    let mut exit_referenced = false;
    let mut clobbers = Vec::new();
    for line in lines {
        match line {
            Err(label) => go_body.push(BodyLine {
                line: comments::line_of_label(&label_lines, &label),
                go: label,
                is_label: true,
            }),
            Ok(l) => {
                exit_referenced |= l.exits;
                clobbers.extend(l.defs.iter().filter_map(|d| match d {
                    Reg::Phys(r) => Some(*r),
                    Reg::Virt(_) => None,
                }));
                go_body.push(BodyLine {
                    line: Some(l.line),
                    go: format!("\t{}", l.go),
                    is_label: false,
                });
            }
        }
    }
    let go_body = comments::interleave(go_body, &block.comments);
    let arg_regs: Vec<Option<u8>> = arg_vregs
        .iter()
        .map(|&v| used[v as usize].then(|| assign[v as usize]))
        .collect();
    // An array result's address must be used: the body writes the array through
    // it (and asmdecl counts the reference as writing `ret`).
    let first_out = arg_regs.len() - f.sig.out_arrays.len();
    for (k, o) in f.sig.out_arrays.iter().enumerate() {
        let v = arg_vregs[first_out + k] as usize;
        if !used[v] && !alloc.spilled.iter().any(|(s, _)| *s as usize == v) {
            crate::diag::bail!(
                o.result.span,
                "the {} block never uses array result `{}`: write its elements through its address",
                B::ARCH.goarch(),
                f.sig.out_array_dsl_name(k)
            );
        }
    }
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
        locals_bytes,
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

/// Colours `body`; when registers run out, one pass over its liveness chooses the
/// values that live in memory ([`spill::plan`]) and the rewritten body is coloured
/// again. If that still fails (physical registers the block names can defeat the
/// greedy colouring), reload temporaries go back to one instruction each, then
/// each round spills more values, until the body fits or no spill can help (an
/// error at the instruction that needs more registers than exist).
/// Spill slots start above the `locals_bytes` of stack locals.
fn allocate<B: Backend>(
    f: &AsmFn,
    body: &Body<B::Inst>,
    hints: &[Option<u8>],
    locals_bytes: u32,
) -> Result<Allocated<B::Inst>> {
    let file = B::file(body);
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
    let base = B::LOCALS_BASE + locals_bytes;
    let slot_bytes = |v: u32| {
        B::slot_bytes(body, v).map_err(|why| {
            let vreg = &body.vregs[v as usize];
            crate::diag::Error::new(
                vreg.span,
                format!("`{}` has to live in memory, but {why}", vreg.name),
            )
        })
    };
    let (mut chosen, room) = spill::plan(body, &first, &file, &costs, &|v| slot_bytes(v).is_ok());
    let mut reuse = Some(spill::Reuse::Room(room));
    let mut sizes: Vec<u32> = chosen
        .iter()
        .map(|&v| slot_bytes(v))
        .collect::<Result<_>>()?;
    // Each round spills at least one more value of `body`, so this ends.
    loop {
        let (slots, area) = spill::share_slots(&chosen, &sizes, &first, base);
        let limit = if f.nosplit.is_some() {
            frame::NOSPLIT_MAX_FRAME
        } else {
            frame::MAX_FRAME_BYTES
        };
        if locals_bytes + area > limit {
            // The value whose slot ends highest is the one that does not fit.
            let (v, slot) = chosen
                .iter()
                .zip(&slots)
                .max_by_key(|(_, s)| s.offset + s.bytes)
                .expect("something spilled");
            let vreg = &body.vregs[*v as usize];
            let locals = if locals_bytes > 0 {
                format!(" above {locals_bytes} bytes of stack locals")
            } else {
                String::new()
            };
            let what = if f.nosplit.is_some() {
                format!(
                    "the frame of `#[go_asm(nosplit)]` `{}` holds at most {limit} bytes of stack locals and spill slots",
                    f.sig.name
                )
            } else {
                format!("a frame holds at most {limit} bytes of stack locals and spill slots")
            };
            bail!(
                vreg.span,
                "`{}` needs a spill slot at {}..{} above the stack pointer, but {what} ({} values live in memory, {area} bytes of slots{locals}): fewer values live at once fit",
                vreg.name,
                slot.offset,
                slot.offset + slot.bytes,
                chosen.len(),
            );
        }
        let mut slot_of = vec![None; body.vregs.len()];
        for (&v, &slot) in chosen.iter().zip(&slots) {
            slot_of[v as usize] = Some(slot);
        }
        let reusing = reuse.is_some();
        let mode = reuse.take().unwrap_or(spill::Reuse::Adjacent);
        let rewritten = spill::rewrite::<B>(body, hints, &slot_of, &first.liveness, mode)?;
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
                spilled: chosen.iter().copied().zip(slots).collect(),
                spill_bytes: area,
            });
        }
        if reusing {
            continue;
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
            sizes.push(slot_bytes(v)?);
            chosen.push(v);
        }
    }
}
