//! The architecture-neutral shape of a function body: labels, instructions that
//! say which registers they read and write and where control goes, and the virtual
//! registers the allocator colours.

use proc_macro2::Span;

pub type LabelId = u32;

/// A register operand before allocation: a virtual register or a physical one
/// (numbered by the backend).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Reg {
    Virt(u32),
    Phys(u8),
}

/// The register file a value lives in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Class {
    Gp,
    Vec,
    Mask,
}

#[derive(Clone, Debug)]
pub struct Vreg {
    pub name: String,
    pub class: Class,
    pub span: Span,
}

/// Where control goes after an instruction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flow {
    Next,
    /// Unconditional jump.
    Jump(LabelId),
    /// Conditional branch: the label or the next instruction.
    Branch(LabelId),
    /// Leaves the body (a `return`): jumps to the exit sequence after the body.
    Exit,
}

/// What the allocator needs to know of an instruction.
pub trait Effects {
    fn uses(&self) -> Vec<Reg>;
    fn defs(&self) -> Vec<Reg>;
    fn flow(&self) -> Flow;
    /// Register lists whose registers must be consecutive (`reglists.rs`).
    fn consecutive(&self) -> Vec<Vec<Reg>> {
        Vec::new()
    }
}

#[derive(Clone, Debug)]
pub enum Node<I> {
    Label(LabelId),
    Inst(I),
}

/// A parsed body, ready for allocation.
#[derive(Clone, Debug)]
pub struct Body<I> {
    pub nodes: Vec<Node<I>>,
    pub vregs: Vec<Vreg>,
    /// Label names, by id.
    pub labels: Vec<String>,
    /// Virtual registers holding the arguments on entry, in parameter component order.
    pub args: Vec<u32>,
    /// Physical registers that hold the results at the exit.
    pub results: Vec<u8>,
    /// The CPU features the block declares (features.rs), for the spill code the
    /// allocator adds (the driver sets them after lowering).
    pub features: Vec<&'static str>,
}

impl<I> Body<I> {
    pub fn insts(&self) -> impl Iterator<Item = &I> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Inst(i) => Some(i),
            Node::Label(_) => None,
        })
    }
}

/// `r` after allocation: a virtual register becomes the physical one `assign`
/// gives it.
pub fn allocated(r: Reg, assign: &[u8]) -> Reg {
    match r {
        Reg::Virt(v) => Reg::Phys(assign[v as usize]),
        p => p,
    }
}

/// What a backend tells the allocator about its registers.
pub struct RegFile {
    /// Physical register count (numbers `0..count`).
    pub count: usize,
    /// The class of each physical register.
    pub class_of: fn(u8) -> Class,
    /// Allocatable registers per class, in order of preference.
    pub allocatable: fn(Class) -> &'static [u8],
}
