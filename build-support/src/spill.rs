//! Spilling: when colouring fails, some virtual registers live in stack slots
//! instead. Every instruction that reads a spilled value gets a reload into a fresh,
//! short-lived temporary before it; every one that writes it gets a store after it.
//! The backends build the loads and stores ([`SpillCode`]); this module chooses the
//! values, lays out the slots and rewrites the body, and the driver re-allocates
//! until colouring succeeds.
//!
//! Slots are addressed from the hardware stack pointer, the same in the Go function
//! (inside the frame Go's assembler sets up) and in the native one (its prologue
//! reserves the same area), so the body bytes stay identical.

use crate::diag::{bail, Error, Result};
use crate::ir::{Body, Class, Effects, Flow, Node, Reg, Vreg};
use crate::regalloc::Colouring;
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
    /// Whether `inst` writes only part of `v`'s `slot_bytes` and keeps the rest
    /// (amd64 legacy SSE writing the xmm half of a ymm value): then the slot is
    /// reloaded first so the store after it keeps the untouched part.
    fn merges_into(_inst: &Self::Inst, _v: u32, _slot_bytes: u32) -> bool {
        false
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

/// A rewritten body and the hints of its virtual registers (temporaries inherit
/// the hint of the value they carry).
pub struct Rewritten<I> {
    pub body: Body<I>,
    pub hints: Vec<Option<u8>>,
}

/// `original` with the virtual registers in `spilled` living in their slots.
pub fn rewrite<B: SpillCode>(
    original: &Body<B::Inst>,
    hints: &[Option<u8>],
    spilled: &[(u32, SpillSlot)],
) -> Result<Rewritten<B::Inst>> {
    let slot_of = |v: u32| spilled.iter().find(|(s, _)| *s == v).map(|(_, slot)| *slot);
    let style = B::spill_style(original);
    let mut vregs: Vec<Vreg> = original.vregs.clone();
    let mut new_hints: Vec<Option<u8>> = hints.to_vec();
    new_hints.resize(vregs.len(), None);
    let mut nodes = Vec::with_capacity(original.nodes.len());
    // Values the previous instruction wrote and stored: its temporary still holds
    // them, so a read by the very next instruction needs no reload (control cannot
    // arrive between the two: no label, and the previous one falls through).
    let mut carried: Vec<(u32, u32)> = Vec::new();
    for n in &original.nodes {
        let inst = match n {
            Node::Label(l) => {
                nodes.push(Node::Label(*l));
                carried.clear();
                continue;
            }
            Node::Inst(i) => i,
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
        let from_previous = std::mem::take(&mut carried);
        if here.is_empty() {
            nodes.push(Node::Inst(inst.clone()));
            continue;
        }
        let span = B::span(inst);
        let mut temps = Vec::new();
        let mut reloads = Vec::new();
        for &v in &here {
            let read = uses.contains(&Reg::Virt(v))
                || B::merges_into(inst, v, slot_of(v).expect("spilled").bytes);
            if let Some(&(_, t)) = from_previous.iter().find(|(p, _)| *p == v && read) {
                temps.push((v, t));
                continue;
            }
            if read {
                reloads.push(v);
            }
            let t = vregs.len() as u32;
            let orig = &original.vregs[v as usize];
            vregs.push(Vreg {
                name: orig.name.clone(),
                class: orig.class,
                span,
            });
            new_hints.push(new_hints[v as usize]);
            temps.push((v, t));
        }
        let temp_of = |v: u32| temps.iter().find(|(s, _)| *s == v).map(|(_, t)| *t);
        for &(v, t) in &temps {
            if reloads.contains(&v) {
                let slot = slot_of(v).expect("spilled");
                let class = original.vregs[v as usize].class;
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
        nodes.push(Node::Inst(B::map_regs(inst, &|r| match r {
            Reg::Virt(v) => Reg::Virt(temp_of(v).unwrap_or(v)),
            p => p,
        })));
        for &(v, t) in &temps {
            if defs.contains(&Reg::Virt(v)) {
                if inst.flow() != Flow::Next {
                    bail!(
                        span,
                        "`{}` has to live in memory (too many live values), but this instruction both writes it and branches",
                        original.vregs[v as usize].name
                    );
                }
                let slot = slot_of(v).expect("spilled");
                let class = original.vregs[v as usize].class;
                nodes.push(Node::Inst(B::spill_move(
                    style,
                    Reg::Virt(t),
                    class,
                    slot,
                    false,
                    span,
                )));
                carried.push((v, t));
            }
        }
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
