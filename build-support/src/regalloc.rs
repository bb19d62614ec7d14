//! Register allocation: liveness over the control-flow graph, an interference
//! graph over virtual and physical registers, and greedy colouring (in declaration
//! order first, deterministic: the same body always gets the same registers). A
//! colouring reports the values that found no register, and keeps its liveness and
//! interference for the spill decision (`spill.rs`); the driver colours the
//! rewritten body again.

use crate::diag::{Error, Result};
pub use crate::ir::RegFile;
use crate::ir::{Body, Effects, Flow, Node, Reg};
use crate::reglists;

/// A small fixed-width bit set over node numbers.
#[derive(Clone, PartialEq, Eq)]
pub struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }
    pub fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn union(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }
    /// Set members in increasing order; empty words cost one test each (sets are
    /// sparse: a few dozen live values among thousands of nodes).
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + b
                })
            })
        })
    }
}

/// Physical register of every virtual register, indexed by virtual register number.
pub type Assignment = Vec<u8>;

/// In which order virtual registers pick their colour.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// Declaration order (arguments, then `let`s): the first attempt, stable output.
    Declaration,
    /// By first appearance in the body: optimal on straight-line code, used once
    /// spilling has started and the body holds many short-lived reload temporaries.
    FirstAppearance,
}

/// The result of one colouring attempt.
pub struct Colouring {
    /// Physical register per virtual register (`u8::MAX`: none; see `failed`).
    pub assign: Assignment,
    /// Virtual registers that found no register, in colouring order.
    pub failed: Vec<u32>,
    /// Virtual registers each virtual register interferes with.
    pub neighbours: Vec<Vec<u32>>,
    /// Per virtual register: instructions at whose entry it is live, plus its
    /// definitions (its live range's length).
    pub range_len: Vec<u32>,
    /// Liveness of the coloured body, for the spill decision.
    pub liveness: Liveness,
    /// Interference over nodes (virtual registers, then physical ones).
    adj: Vec<Bits>,
}

/// Liveness per instruction of a linearised body. Nodes number virtual registers
/// `0..nv`, then physical register `p` as `nv + p`.
pub struct Liveness {
    pub nv: usize,
    /// Per instruction: nodes live at its entry.
    pub live_in: Vec<Bits>,
    /// Per instruction: nodes live after it.
    pub live_out: Vec<Bits>,
    /// Per instruction: nodes it reads and writes.
    pub uses: Vec<Vec<usize>>,
    pub defs: Vec<Vec<usize>>,
}

impl Colouring {
    /// Whether virtual registers `a` and `b` are live at once somewhere.
    pub fn interferes(&self, a: u32, b: u32) -> bool {
        self.adj[a as usize].contains(b as usize)
    }
}

/// Colours in declaration order and fails at the first virtual register that
/// finds no register (the behaviour without spilling).
pub fn allocate<I: Effects>(
    body: &Body<I>,
    file: &RegFile,
    hints: &[Option<u8>],
) -> Result<Assignment> {
    let c = colour(body, file, hints, Order::Declaration);
    if let Some(&v) = c.failed.first() {
        let vreg = &body.vregs[v as usize];
        return Err(Error::new(
            vreg.span,
            format!(
                "no register left for `{}`: all {} allocatable {:?} registers hold live values here",
                vreg.name,
                (file.allocatable)(vreg.class).len(),
                vreg.class
            ),
        ));
    }
    Ok(c.assign)
}

/// Liveness, interference and greedy colouring; virtual registers that find no
/// register are reported, not fatal (the caller spills).
pub fn colour<I: Effects>(
    body: &Body<I>,
    file: &RegFile,
    hints: &[Option<u8>],
    order: Order,
) -> Colouring {
    let nv = body.vregs.len();
    let node = |r: Reg| match r {
        Reg::Virt(v) => v as usize,
        Reg::Phys(p) => nv + p as usize,
    };
    let total = nv + file.count;

    // Linearise: instruction list and label positions.
    let mut insts: Vec<&I> = Vec::new();
    let mut label_pos = vec![usize::MAX; body.labels.len()];
    for n in &body.nodes {
        match n {
            Node::Label(l) => label_pos[*l as usize] = insts.len(),
            Node::Inst(i) => insts.push(i),
        }
    }
    let n = insts.len();
    let exit = n; // the exit sequence is position n
    let succs = |i: usize| -> Vec<usize> {
        match insts[i].flow() {
            Flow::Next => vec![i + 1],
            Flow::Jump(l) => vec![label_pos[l as usize]],
            Flow::Branch(l) => vec![label_pos[l as usize], i + 1],
            Flow::Exit => vec![exit],
        }
    };
    let uses: Vec<Vec<usize>> = insts
        .iter()
        .map(|i| i.uses().into_iter().map(node).collect())
        .collect();
    let defs: Vec<Vec<usize>> = insts
        .iter()
        .map(|i| i.defs().into_iter().map(node).collect())
        .collect();

    // live_in[n] (the exit) holds the result registers.
    let mut live_in = vec![Bits::new(total); n + 1];
    for &r in &body.results {
        live_in[exit].set(node(Reg::Phys(r)));
    }
    let mut live_out = vec![Bits::new(total); n];
    let mut changed = true;
    while changed {
        changed = false;
        for i in (0..n).rev() {
            let mut out = Bits::new(total);
            for s in succs(i) {
                out.union(&live_in[s]);
            }
            let mut inn = out.clone();
            for &d in &defs[i] {
                inn.clear(d);
            }
            for &u in &uses[i] {
                inn.set(u);
            }
            if inn != live_in[i] {
                live_in[i] = inn;
                changed = true;
            }
            live_out[i] = out;
        }
    }

    // Interference.
    let mut adj = vec![Bits::new(total); total];
    let mut edge = |a: usize, b: usize| {
        if a != b {
            adj[a].set(b);
            adj[b].set(a);
        }
    };
    for i in 0..n {
        for &d in &defs[i] {
            for l in live_out[i].iter() {
                edge(d, l);
            }
            for &d2 in &defs[i] {
                edge(d, d2);
            }
        }
    }
    // Arguments are all defined at entry, together.
    let entry_live = &live_in[0];
    let args: Vec<usize> = body.args.iter().map(|&a| a as usize).collect();
    for &a in &args {
        for l in entry_live.iter() {
            edge(a, l);
        }
        for &b in &args {
            edge(a, b);
        }
    }

    let mut range_len = vec![0u32; nv];
    for i in 0..n {
        for v in live_in[i].iter().filter(|&v| v < nv) {
            range_len[v] += 1;
        }
        for &d in defs[i].iter().filter(|&&d| d < nv) {
            range_len[d] += 1;
        }
    }

    let order: Vec<usize> = match order {
        Order::Declaration => (0..nv).collect(),
        Order::FirstAppearance => {
            let mut first = vec![usize::MAX; nv];
            for &a in &args {
                first[a] = 0;
            }
            for i in 0..n {
                for &r in uses[i].iter().chain(&defs[i]).filter(|&&r| r < nv) {
                    first[r] = first[r].min(i + 1);
                }
            }
            let mut o: Vec<usize> = (0..nv).collect();
            o.sort_by_key(|&v| (first[v], v));
            o
        }
    };

    // Greedy colouring; a register list's group at its first member. (A list
    // that cannot be consecutive was refused when the body was lowered.)
    let lists = reglists::groups(body.insts(), nv, &|v| body.vregs[v as usize].name.clone())
        .unwrap_or_default();
    let mut assign: Assignment = vec![u8::MAX; nv];
    let mut failed = Vec::new();
    let mut grouped = vec![false; lists.groups.len()];
    for v in order {
        let vreg = &body.vregs[v];
        let phys_of = |nb: usize, assign: &Assignment| {
            if nb < nv {
                assign[nb]
            } else {
                (nb - nv) as u8
            }
        };
        if let Some(g) = lists.of.get(v).copied().flatten() {
            if !std::mem::replace(&mut grouped[g], true) {
                let group = &lists.groups[g];
                let taken =
                    |m: u32, p: u8| adj[m as usize].iter().any(|nb| phys_of(nb, &assign) == p);
                match reglists::place(group, file, vreg.class, &taken) {
                    Some(regs) => {
                        for (&(m, _), p) in group.virt.iter().zip(regs) {
                            assign[m as usize] = p;
                        }
                    }
                    None => failed.extend(group.virt.iter().map(|&(m, _)| m)),
                }
            }
            continue;
        }
        let mut taken = vec![false; file.count];
        for nb in adj[v].iter() {
            let phys = phys_of(nb, &assign);
            if phys != u8::MAX {
                taken[phys as usize] = true;
            }
        }
        let pool = (file.allocatable)(vreg.class);
        let hinted = hints
            .get(v)
            .copied()
            .flatten()
            .filter(|h| pool.contains(h) && !taken[*h as usize]);
        match hinted.or_else(|| pool.iter().copied().find(|p| !taken[*p as usize])) {
            Some(p) => assign[v] = p,
            None => failed.push(v as u32),
        }
    }
    debug_assert!(assign
        .iter()
        .zip(&body.vregs)
        .all(|(p, v)| *p == u8::MAX || (file.class_of)(*p) == v.class));
    let neighbours: Vec<Vec<u32>> = (0..nv)
        .map(|v| {
            adj[v]
                .iter()
                .filter(|&b| b < nv)
                .map(|b| b as u32)
                .collect()
        })
        .collect();
    Colouring {
        assign,
        failed,
        neighbours,
        range_len,
        liveness: Liveness {
            nv,
            live_in,
            live_out,
            uses,
            defs,
        },
        adj,
    }
}
