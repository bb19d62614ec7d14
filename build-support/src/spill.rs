//! Spilling: when colouring fails, some virtual registers live in stack slots
//! instead. One pass over the first colouring's liveness chooses them ([`plan`]):
//! wherever a class has more live values than registers, those whose next use is
//! furthest go to memory. Values never live at once share a slot. In the rewritten
//! body a spilled value is loaded into a short-lived temporary where it is read,
//! and that temporary carries it on to its next reads in the same block while
//! registers are free there; it is stored after a write only if it is still live
//! and no later write in the block stores it. The backends build the loads and
//! stores ([`SpillCode`]); the driver colours the rewritten body and, if needed,
//! falls back to one-instruction temporaries and spills more.
//!
//! Slots are addressed from the hardware stack pointer, the same in the Go function
//! (inside the frame Go's assembler sets up) and in the native one (its prologue
//! reserves the same area), so the body bytes stay identical.

use crate::diag::{bail, Error, Result};
use crate::ir::{Body, Class, Effects, Flow, Node, Reg, Vreg};
use crate::regalloc::{Colouring, Liveness, RegFile};
use proc_macro2::Span;

/// A spilled value's home: `bytes` at `offset` from the hardware stack pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpillSlot {
    pub offset: u32,
    pub bytes: u32,
}

/// What a backend provides so spilling stays architecture-neutral.
pub trait SpillCode {
    type Inst: Effects + Clone;
    /// The instruction with every register passed through `f`.
    fn map_regs(inst: &Self::Inst, f: &dyn Fn(Reg) -> Reg) -> Self::Inst;
    /// Bytes a slot for virtual register `v` needs (its widest use), or why it
    /// cannot be spilled.
    fn slot_bytes(body: &Body<Self::Inst>, v: u32) -> std::result::Result<u32, String>;
    /// Per-body choices for the spill code (amd64: VEX or legacy moves), made
    /// once per rewrite from the body before spilling.
    type Style: Copy;
    fn spill_style(original: &Body<Self::Inst>) -> Self::Style;
    /// `temp <- slot` (load) or `slot <- temp` (store).
    fn spill_move(
        style: Self::Style,
        temp: Reg,
        class: Class,
        slot: SpillSlot,
        load: bool,
        span: Span,
    ) -> Self::Inst;
    fn span(inst: &Self::Inst) -> Span;
    /// Whether `inst` writes only the low part of `v`'s `slot_bytes` and keeps the
    /// rest (amd64 legacy SSE writing the xmm half of a ymm value): the bytes it
    /// writes. Unless a temporary already holds the whole value, only that part is
    /// stored, and the slot keeps the untouched rest.
    fn merged_bytes(_inst: &Self::Inst, _v: u32, _slot_bytes: u32) -> Option<u32> {
        None
    }
}

/// Places the slots of `bytes` (per spilled value) from `base` bytes above the
/// stack pointer, each aligned to its size (at most 16). Returns the slots and the
/// area's size, a multiple of 16 counted from `base`.
pub fn layout(bytes: &[u32], base: u32) -> (Vec<SpillSlot>, u32) {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    // Small slots first: on arm64 the area starts 8 bytes above sp, so 8-byte
    // slots fill that gap before 16-byte ones need 16-byte alignment.
    order.sort_by_key(|&i| (bytes[i], i));
    let mut slots = vec![
        SpillSlot {
            offset: 0,
            bytes: 0
        };
        bytes.len()
    ];
    let mut at = base;
    for i in order {
        let align = bytes[i].clamp(1, 16);
        at = at.div_ceil(align) * align;
        slots[i] = SpillSlot {
            offset: at,
            bytes: bytes[i],
        };
        at += bytes[i];
    }
    let area = (at - base).div_ceil(16) * 16;
    (slots, area)
}

/// Loop nesting weight of every instruction: 8 per enclosing loop (a backward
/// branch spans a loop), capped, so values used in loops are spilled last.
fn weights<I: Effects>(body: &Body<I>) -> Vec<u64> {
    let mut label_pos = vec![0usize; body.labels.len()];
    let mut insts = Vec::new();
    for n in &body.nodes {
        match n {
            Node::Label(l) => label_pos[*l as usize] = insts.len(),
            Node::Inst(i) => insts.push(i),
        }
    }
    let mut depth = vec![0u32; insts.len()];
    for (i, inst) in insts.iter().enumerate() {
        if let Flow::Jump(l) | Flow::Branch(l) = inst.flow() {
            let target = label_pos[l as usize];
            if target <= i {
                for d in &mut depth[target..=i] {
                    *d += 1;
                }
            }
        }
    }
    depth.iter().map(|&d| 8u64.pow(d.min(6))).collect()
}

/// Spill cost per virtual register: its references weighted by loop depth.
pub fn costs<I: Effects>(body: &Body<I>) -> Vec<u64> {
    let w = weights(body);
    let mut cost = vec![0u64; body.vregs.len()];
    for (inst, weight) in body.insts().zip(w) {
        let mut regs = inst.uses();
        regs.extend(inst.defs());
        regs.sort();
        regs.dedup();
        for r in regs {
            if let Reg::Virt(v) = r {
                cost[v as usize] += weight;
            }
        }
    }
    cost
}

/// Index of a register class in per-class arrays.
fn class_index(c: Class) -> usize {
    match c {
        Class::Gp => 0,
        Class::Vec => 1,
        Class::Mask => 2,
    }
}

/// Free registers per class at each point of the original body (point `2i`: the
/// entry of instruction `i`, `2i + 1`: its exit), once the planned values live in
/// memory. Reload temporaries that stay in a register across instructions take
/// from it.
pub struct Room(Vec<[i32; 3]>);

impl Room {
    /// Whether a register of `class` is free at every point strictly between
    /// instructions `from` and `to`; if so, takes it there.
    fn take(&mut self, class: Class, from: usize, to: usize) -> bool {
        let c = class_index(class);
        let span = &mut self.0[2 * from + 2..2 * to];
        if span.iter().any(|p| p[c] < 1) {
            return false;
        }
        for p in span {
            p[c] -= 1;
        }
        true
    }
}

/// Registers each point of a linearised body needs per class: its virtual
/// registers not in `spilled`, the spilled ones the instruction names (their
/// temporaries), and the allocatable physical registers live there.
fn pressure(
    body_classes: &[Class],
    lv: &Liveness,
    i: usize,
    exit: bool,
    spilled: &[bool],
    phys_class: &[Option<Class>],
    mut each: impl FnMut(usize),
) -> [i32; 3] {
    let refs = |v: usize| lv.uses[i].contains(&v) || lv.defs[i].contains(&v);
    let mut count = [0i32; 3];
    let mut visit = |node: usize| {
        if node < lv.nv {
            if !spilled[node] || refs(node) {
                count[class_index(body_classes[node])] += 1;
            }
            if !spilled[node] && !refs(node) {
                each(node);
            }
        } else if let Some(c) = phys_class[node - lv.nv] {
            count[class_index(c)] += 1;
        }
    };
    if exit {
        lv.live_out[i].iter().for_each(&mut visit);
        for &d in &lv.defs[i] {
            if !lv.live_out[i].contains(d) {
                visit(d);
            }
        }
    } else {
        lv.live_in[i].iter().for_each(&mut visit);
    }
    count
}

/// The one spill decision, from the liveness of the first colouring: walking the
/// body once, wherever more values of a class are live than the class has
/// registers, the cheapest values live there but not named by the instruction go
/// to memory (fewest loop-weighted references per instruction of live range, as in
/// [`choose`]). Returns the chosen values and the room left at every point.
pub fn plan<I: Effects>(
    body: &Body<I>,
    first: &Colouring,
    file: &RegFile,
    costs: &[u64],
    spillable: &dyn Fn(u32) -> bool,
) -> (Vec<u32>, Room) {
    let lv = &first.liveness;
    let classes: Vec<Class> = body.vregs.iter().map(|v| v.class).collect();
    let all = [Class::Gp, Class::Vec, Class::Mask];
    let regs = all.map(|c| (file.allocatable)(c).len() as i32);
    let phys_class: Vec<Option<Class>> = (0..file.count as u8)
        .map(|p| {
            let c = (file.class_of)(p);
            (file.allocatable)(c).contains(&p).then_some(c)
        })
        .collect();
    let cheaper = |a: usize, b: usize| {
        let key = |v: usize| (costs[v] as u128, first.range_len[v].max(1) as u128);
        let ((ca, la), (cb, lb)) = (key(a), key(b));
        (ca * lb).cmp(&(cb * la)).then(lb.cmp(&la)).then(a.cmp(&b))
    };
    let n = lv.defs.len();
    // Where each virtual register is named, in order (for its next reference).
    let mut named_at: Vec<Vec<usize>> = vec![Vec::new(); lv.nv];
    for i in 0..n {
        for &r in lv.uses[i].iter().chain(&lv.defs[i]) {
            if r < lv.nv && named_at[r].last() != Some(&i) {
                named_at[r].push(i);
            }
        }
    }
    let next_ref = |v: usize, i: usize| {
        let at = named_at[v].partition_point(|&j| j <= i);
        named_at[v].get(at).copied().unwrap_or(usize::MAX)
    };
    let mut spilled = vec![false; lv.nv];
    let mut chosen = Vec::new();
    for point in 0..2 * n {
        let (i, exit) = (point / 2, point % 2 == 1);
        let mut candidates = Vec::new();
        let count = pressure(&classes, lv, i, exit, &spilled, &phys_class, |v| {
            candidates.push(v)
        });
        for (c, class) in all.iter().enumerate() {
            let excess = count[c] - regs[c];
            if excess <= 0 {
                continue;
            }
            let mut of_class: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&v| classes[v] == *class && costs[v] > 0 && spillable(v as u32))
                .collect();
            // Furthest next reference first (Belady), then the cheapest.
            of_class.sort_by(|&a, &b| next_ref(b, i).cmp(&next_ref(a, i)).then(cheaper(a, b)));
            for &v in of_class.iter().take(excess as usize) {
                spilled[v] = true;
                chosen.push(v as u32);
            }
        }
    }
    let room = (0..2 * n)
        .map(|point| {
            let count = pressure(
                &classes,
                lv,
                point / 2,
                point % 2 == 1,
                &spilled,
                &phys_class,
                |_| {},
            );
            [0, 1, 2].map(|c| regs[c] - count[c])
        })
        .collect();
    (chosen, Room(room))
}

/// Slots for the spilled values `chosen` (`bytes` each): values never live at the
/// same time share a slot of their size. Returns each value's slot and the area's
/// size (see [`layout`]).
pub fn share_slots(
    chosen: &[u32],
    bytes: &[u32],
    first: &Colouring,
    base: u32,
) -> (Vec<SpillSlot>, u32) {
    // Per shared slot: its size and the values in it.
    let mut shared: Vec<(u32, Vec<u32>)> = Vec::new();
    let mut home = Vec::with_capacity(chosen.len());
    for (&v, &b) in chosen.iter().zip(bytes) {
        let free = shared
            .iter()
            .position(|(sb, vs)| *sb == b && vs.iter().all(|&w| !first.interferes(v, w)));
        let at = free.unwrap_or_else(|| {
            shared.push((b, Vec::new()));
            shared.len() - 1
        });
        shared[at].1.push(v);
        home.push(at);
    }
    let sizes: Vec<u32> = shared.iter().map(|(b, _)| *b).collect();
    let (slots, area) = layout(&sizes, base);
    (home.into_iter().map(|h| slots[h]).collect(), area)
}

/// A rewritten body and the hints of its virtual registers (temporaries inherit
/// the hint of the value they carry).
pub struct Rewritten<I> {
    pub body: Body<I>,
    pub hints: Vec<Option<u8>>,
}

/// How long a reloaded or written spilled value may stay in its temporary.
pub enum Reuse {
    /// Up to its next reference in the same block (straight-line code), where
    /// [`Room`] has a register free all the way: one reload per region.
    Room(Room),
    /// Only into the very next instruction (after a write): the fallback when
    /// longer temporaries do not colour.
    Adjacent,
}

/// The longest stretch a temporary is kept for (bounds the room checks).
const MAX_REUSE_SPAN: usize = 256;

/// Per instruction, the next instruction of the same block that reads each spilled
/// value it names (a block ends at a label and after an instruction that does not
/// fall through).
fn next_reads<B: SpillCode>(
    insts: &[&B::Inst],
    labelled: &[bool],
    slots: &[Option<SpillSlot>],
) -> Vec<Vec<(u32, usize)>> {
    let mut block = Vec::with_capacity(insts.len());
    let mut id = 0usize;
    for (i, inst) in insts.iter().enumerate() {
        if labelled[i] {
            id += 1;
        }
        block.push(id);
        if inst.flow() != Flow::Next {
            id += 1;
        }
    }
    let mut next_read: Vec<(usize, usize)> = vec![(usize::MAX, 0); slots.len()];
    let mut out = vec![Vec::new(); insts.len()];
    for i in (0..insts.len()).rev() {
        let (uses, defs) = (insts[i].uses(), insts[i].defs());
        let mut named: Vec<Reg> = uses.iter().chain(&defs).copied().collect();
        named.sort();
        named.dedup();
        for r in &named {
            let Reg::Virt(v) = *r else { continue };
            let Some(slot) = slots.get(v as usize).copied().flatten() else {
                continue;
            };
            let (b, j) = next_read[v as usize];
            if b == block[i] {
                out[i].push((v, j));
            }
            let read = uses.contains(r) || B::merged_bytes(insts[i], v, slot.bytes).is_some();
            next_read[v as usize] = if read { (block[i], i) } else { (usize::MAX, 0) };
        }
    }
    out
}

/// `original` with the virtual registers that have a slot in `slots` (indexed by
/// virtual register) living there. A spilled value is loaded into a temporary
/// where an instruction reads it and the temporary does not hold it yet, and
/// stored after a write unless it is dead there or the temporary carries it on to
/// the next write. `live_out` is the liveness of `original`.
pub fn rewrite<B: SpillCode>(
    original: &Body<B::Inst>,
    hints: &[Option<u8>],
    slots: &[Option<SpillSlot>],
    lv: &Liveness,
    mut reuse: Reuse,
) -> Result<Rewritten<B::Inst>> {
    let slot_of = |v: u32| slots.get(v as usize).copied().flatten();
    let style = B::spill_style(original);
    let mut vregs: Vec<Vreg> = original.vregs.clone();
    let mut new_hints: Vec<Option<u8>> = hints.to_vec();
    new_hints.resize(vregs.len(), None);
    let mut insts = Vec::new();
    let mut labelled = Vec::new();
    let mut pending_label = false;
    for n in &original.nodes {
        match n {
            Node::Label(_) => pending_label = true,
            Node::Inst(i) => {
                insts.push(i);
                labelled.push(std::mem::take(&mut pending_label));
            }
        }
    }
    let next = next_reads::<B>(&insts, &labelled, slots);
    let mut nodes = Vec::with_capacity(original.nodes.len());
    // Spilled values a temporary holds into a later instruction: (value, temporary,
    // that instruction, whether the slot is stale).
    let mut carried: Vec<(u32, u32, usize, bool)> = Vec::new();
    let mut i = 0;
    for n in &original.nodes {
        let inst = match n {
            Node::Label(l) => {
                nodes.push(Node::Label(*l));
                continue;
            }
            Node::Inst(inst) => inst,
        };
        let (uses, defs) = (inst.uses(), inst.defs());
        let mut here: Vec<u32> = uses
            .iter()
            .chain(&defs)
            .filter_map(|r| match r {
                Reg::Virt(v) if slot_of(*v).is_some() => Some(*v),
                _ => None,
            })
            .collect();
        here.sort();
        here.dedup();
        if here.is_empty() {
            nodes.push(Node::Inst(inst.clone()));
            i += 1;
            continue;
        }
        let span = B::span(inst);
        // (value, temporary, slot stale, bytes written when only the low part is)
        let mut temps = Vec::new();
        for &v in &here {
            let slot = slot_of(v).expect("spilled");
            let class = original.vregs[v as usize].class;
            let merged = B::merged_bytes(inst, v, slot.bytes);
            if let Some(at) = carried.iter().position(|c| c.0 == v && c.2 == i) {
                let (_, t, _, stale) = carried.swap_remove(at);
                temps.push((v, t, stale, None));
                continue;
            }
            let t = vregs.len() as u32;
            let orig = &original.vregs[v as usize];
            vregs.push(Vreg {
                name: orig.name.clone(),
                class,
                span,
            });
            new_hints.push(new_hints[v as usize]);
            // A write of the low part only, with no temporary holding the rest:
            // no load, the store writes that part alone.
            let read = uses.contains(&Reg::Virt(v));
            temps.push((v, t, false, merged.filter(|_| !read)));
            if read {
                nodes.push(Node::Inst(B::spill_move(
                    style,
                    Reg::Virt(t),
                    class,
                    slot,
                    true,
                    span,
                )));
            }
        }
        let temp_of = |v: u32| temps.iter().find(|c| c.0 == v).map(|c| c.1);
        nodes.push(Node::Inst(B::map_regs(inst, &|r| match r {
            Reg::Virt(v) => Reg::Virt(temp_of(v).unwrap_or(v)),
            p => p,
        })));
        let falls_through = inst.flow() == Flow::Next;
        for &(v, t, stale, part) in &temps {
            let written = defs.contains(&Reg::Virt(v));
            if written && !falls_through {
                bail!(
                    span,
                    "`{}` has to live in memory (too many live values), but this instruction both writes it and branches",
                    original.vregs[v as usize].name
                );
            }
            let class = original.vregs[v as usize].class;
            if let Some(bytes) = part {
                // The temporary holds only the written part: stored now, not carried.
                if lv.live_out[i].contains(v as usize) {
                    let slot = slot_of(v).expect("spilled");
                    nodes.push(Node::Inst(B::spill_move(
                        style,
                        Reg::Virt(t),
                        class,
                        SpillSlot { bytes, ..slot },
                        false,
                        span,
                    )));
                }
                continue;
            }
            let stale = stale || written;
            let next_read = next[i].iter().find(|(w, _)| *w == v).map(|(_, j)| *j);
            let carry = next_read.filter(|&j| {
                falls_through
                    && match &mut reuse {
                        Reuse::Room(room) => j - i <= MAX_REUSE_SPAN && room.take(class, i, j),
                        Reuse::Adjacent => j == i + 1 && written,
                    }
            });
            // The slot is brought up to date before the temporary is given up, and
            // before a next reader that may leave the block (it cannot store after
            // itself). A value dead here is not stored at all.
            let ends_here = match carry {
                None => true,
                Some(j) => insts[j].flow() != Flow::Next,
            };
            let store = stale && ends_here && lv.live_out[i].contains(v as usize);
            if store {
                let slot = slot_of(v).expect("spilled");
                nodes.push(Node::Inst(B::spill_move(
                    style,
                    Reg::Virt(t),
                    class,
                    slot,
                    false,
                    span,
                )));
            }
            if let Some(j) = carry {
                carried.push((v, t, j, stale && !store));
            }
        }
        i += 1;
    }
    Ok(Rewritten {
        body: Body {
            nodes,
            vregs,
            labels: original.labels.clone(),
            args: original
                .args
                .iter()
                .copied()
                .filter(|a| slot_of(*a).is_none())
                .collect(),
            results: original.results.clone(),
            features: original.features.clone(),
        },
        hints: new_hints,
    })
}

/// Chooses values to spill after a failed colouring of a body derived from
/// `original` (virtual registers at or above `original.vregs.len()` are reload
/// temporaries and are never spilled). For a value that found no register, the
/// cheapest among it and its same-class neighbours (fewest loop-weighted references
/// per instruction of live range). A failure next to a value already chosen this
/// round is skipped: that spill may well free a register for it, and spilling more
/// than needed costs memory traffic. An error when no failure has a candidate.
pub fn choose<I: Effects>(
    original: &Body<I>,
    current: &Body<I>,
    colouring: &Colouring,
    costs: &[u64],
    already: &[u32],
    allocatable: usize,
) -> Result<Vec<u32>> {
    let n_orig = original.vregs.len() as u32;
    let spillable = |v: u32| v < n_orig && !already.contains(&v) && costs[v as usize] > 0;
    let mut chosen: Vec<u32> = Vec::new();
    for &f in &colouring.failed {
        let near = |v: u32| v == f || colouring.neighbours[f as usize].contains(&v);
        if chosen.iter().any(|&c| near(c)) {
            continue;
        }
        let class = current.vregs[f as usize].class;
        let candidates = std::iter::once(f)
            .chain(colouring.neighbours[f as usize].iter().copied())
            .filter(|&v| current.vregs[v as usize].class == class && spillable(v));
        // Cheapest first: cost / range, compared exactly as cost_a * len_b < cost_b * len_a.
        let best = candidates.min_by(|&a, &b| {
            let key = |v: u32| {
                (
                    costs[v as usize] as u128,
                    colouring.range_len[v as usize].max(1) as u128,
                )
            };
            let ((ca, la), (cb, lb)) = (key(a), key(b));
            (ca * lb).cmp(&(cb * la)).then(lb.cmp(&la)).then(a.cmp(&b))
        });
        chosen.extend(best);
    }
    if !chosen.is_empty() {
        return Ok(chosen);
    }
    let f = colouring.failed[0];
    let vreg = &current.vregs[f as usize];
    Err(Error::new(
        vreg.span,
        format!(
            "no register left for `{}` here: all {allocatable} allocatable {:?} registers hold values this instruction needs or physical registers the block names, so spilling cannot help",
            vreg.name, vreg.class
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::{layout, SpillSlot};

    #[test]
    fn slots_are_aligned_and_the_area_is_a_multiple_of_16() {
        let (slots, area) = layout(&[16, 8, 32, 8], 8);
        assert_eq!(
            slots,
            vec![
                SpillSlot {
                    offset: 32,
                    bytes: 16
                },
                SpillSlot {
                    offset: 8,
                    bytes: 8
                },
                SpillSlot {
                    offset: 48,
                    bytes: 32
                },
                SpillSlot {
                    offset: 16,
                    bytes: 8
                },
            ]
        );
        assert_eq!(area, 80);
        assert_eq!(layout(&[], 0), (vec![], 0));
        assert_eq!(layout(&[8], 0).1, 16);
    }
}
