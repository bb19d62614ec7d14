//! One function, one architecture: lower the block, allocate registers once, encode
//! the body, and keep what both the Go shim and the native shim need.

use crate::diag::{bail, Result};
use crate::frame::{self, Frame};
use crate::func::{Arch, AsmFn};
use crate::ir::{Effects, LabelId, Node, Reg};
use crate::regalloc::{self, RegFile};
use crate::x86;

/// A RIP/PC-relative reference from the body to a data table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRef {
    /// Offset of the field to patch, in the body.
    pub offset: u32,
    pub table: usize,
    pub addend: i64,
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
    /// Per frame argument slot: the register the body expects it in (None: unused).
    pub arg_regs: Vec<Option<u8>>,
    /// Per result: the register holding it at the exit.
    pub result_regs: Vec<u8>,
    /// Physical registers the body writes.
    pub clobbers: Vec<u8>,
    /// Whether some `return` jumps to the exit label (it must be printed).
    pub exit_referenced: bool,
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
    match arch {
        Arch::Amd64 => compile_x86(f, block),
        Arch::Arm64 => bail!(
            block.span,
            "the arm64 backend is not available in this build of go-asm yet"
        ),
    }
}

fn arg_regs(args: &[u32], assign: &[u8], used: &[bool]) -> Vec<Option<u8>> {
    args.iter()
        .map(|&v| used[v as usize].then(|| assign[v as usize]))
        .collect()
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

fn compile_x86(f: &AsmFn, block: &crate::func::Block) -> Result<Compiled> {
    use x86::encode::{self as enc, Item};
    let mut lowered = x86::parse::lower(f, block)?;
    // Prefer the registers the C ABI delivers arguments in: the native prologue's
    // moves then mostly vanish (the Go shim loads from the frame either way).
    let frame = frame::layout(&f.sig);
    for (v, hint) in lowered
        .arg_vregs
        .iter()
        .zip(crate::native::arg_hints(Arch::Amd64, &frame.args))
    {
        let slot = &mut lowered.hints[*v as usize];
        if slot.is_none() {
            *slot = hint;
        }
    }
    let file = RegFile {
        count: x86::regs::COUNT,
        class_of: x86::regs::class_of,
        allocatable: x86::regs::allocatable,
    };
    let assign = regalloc::allocate(&lowered.body, &file, &lowered.hints)?;
    let used = mentioned(&lowered.body.nodes, lowered.body.vregs.len());
    let nodes: Vec<Node<x86::parse::Inst>> = lowered
        .body
        .nodes
        .iter()
        .map(|n| match n {
            Node::Label(l) => Node::Label(*l),
            Node::Inst(i) => Node::Inst(enc::apply(i, &assign)),
        })
        .collect();
    let encoded = enc::encode(&nodes, lowered.body.labels.len())?;
    let labels = &lowered.body.labels;
    let label = |l: LabelId| {
        if l == LabelId::MAX {
            EXIT_LABEL.to_string()
        } else {
            labels[l as usize].clone()
        }
    };
    let table_sym = |t: usize| table_symbol(f, t);
    let mut go_body = Vec::new();
    let mut exit_referenced = false;
    let mut clobbers = Vec::new();
    for item in &encoded.items {
        match item {
            Item::Label(l) => go_body.push(format!("{}:", label(*l))),
            Item::Inst(p) => {
                exit_referenced |= p
                    .inst
                    .ops
                    .iter()
                    .any(|o| *o == x86::parse::Operand::Label(LabelId::MAX));
                for d in &p.inst.defs {
                    if let Reg::Phys(r) = d {
                        clobbers.push(*r);
                    }
                }
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
                go_body.push(format!(
                    "\t{}",
                    x86::gosyntax::go_line(p, &label, &table_sym)
                ));
            }
        }
    }
    let arg_regs = arg_regs(&lowered.arg_vregs, &assign, &used);
    clobbers.extend(arg_regs.iter().flatten());
    clobbers.sort();
    clobbers.dedup();
    Ok(Compiled {
        arch: Arch::Amd64,
        frame,
        bytes: encoded.bytes,
        table_refs: encoded
            .table_refs
            .iter()
            .map(|t| TableRef {
                offset: t.offset,
                table: t.table,
                addend: t.addend,
            })
            .collect(),
        go_body,
        arg_regs,
        result_regs: lowered.body.results.clone(),
        clobbers,
        exit_referenced,
    })
}
