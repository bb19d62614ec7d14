//! Register lists of virtual registers (`ld1 {a.16b, b.16b}, [p]`, `tbl`): the
//! registers of a list must be consecutive in their class, wrapping at its end
//! (`{v31.16b, v0.16b}`). Lists that share a register are merged into one group
//! in which every member has a fixed offset; the allocator (`regalloc.rs`) colours
//! a group at once, at the first of its members, by trying each base register.

use crate::ir::{Class, Effects, Reg, RegFile};

/// Virtual registers tied together by lists, with their offsets from the group's
/// base register, and physical registers that pin the base.
#[derive(Clone, Debug, Default)]
pub struct Group {
    pub virt: Vec<(u32, i32)>,
    pub phys: Vec<(u8, i32)>,
}

/// All groups of a body, and each virtual register's group.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    pub groups: Vec<Group>,
    pub of: Vec<Option<usize>>,
}

/// A list that cannot be made consecutive: the instruction (index among the body's
/// instructions) and why.
#[derive(Debug)]
pub struct Conflict {
    pub inst: usize,
    pub why: String,
}

/// Groups the lists of `insts` (`Effects::consecutive`); `names` names virtual
/// registers for messages.
pub fn groups<'a, I: Effects + 'a>(
    insts: impl Iterator<Item = &'a I>,
    nv: usize,
    names: &dyn Fn(u32) -> String,
) -> Result<Groups, Conflict> {
    let mut g = Groups {
        groups: Vec::new(),
        of: vec![None; nv],
    };
    let offset_in = |g: &Groups, gi: usize, v: u32| {
        g.groups[gi]
            .virt
            .iter()
            .find(|(m, _)| *m == v)
            .map(|(_, o)| *o)
    };
    for (k, inst) in insts.enumerate() {
        for list in inst.consecutive() {
            // The group of the list's first virtual register (or a new one), and
            // the offset the list's first register has in it.
            let anchor = list.iter().enumerate().find_map(|(j, r)| match r {
                Reg::Virt(v) => {
                    let gi = g.of[*v as usize]?;
                    Some((gi, offset_in(&g, gi, *v)? - j as i32))
                }
                Reg::Phys(_) => None,
            });
            let (gi, base) = match anchor {
                Some(a) => a,
                None => {
                    g.groups.push(Group::default());
                    (g.groups.len() - 1, 0)
                }
            };
            for (j, r) in list.iter().enumerate() {
                let want = base + j as i32;
                match *r {
                    Reg::Phys(p) => g.groups[gi].phys.push((p, want)),
                    Reg::Virt(v) => match g.of[v as usize] {
                        None => {
                            g.groups[gi].virt.push((v, want));
                            g.of[v as usize] = Some(gi);
                        }
                        Some(h) if h == gi => {
                            if offset_in(&g, gi, v) != Some(want) {
                                return Err(Conflict {
                                    inst: k,
                                    why: format!(
                                        "`{}` would need two different places in the register lists it is in",
                                        names(v)
                                    ),
                                });
                            }
                        }
                        Some(h) => {
                            // Merge group h into gi, shifted so that v lands at `want`.
                            let shift = want - offset_in(&g, h, v).expect("member of its group");
                            let moved = std::mem::take(&mut g.groups[h]);
                            for (m, o) in moved.virt {
                                g.of[m as usize] = Some(gi);
                                g.groups[gi].virt.push((m, o + shift));
                            }
                            for (p, o) in moved.phys {
                                g.groups[gi].phys.push((p, o + shift));
                            }
                        }
                    },
                }
            }
            let members = &g.groups[gi].virt;
            for (a, (va, oa)) in members.iter().enumerate() {
                if let Some((vb, _)) = members[a + 1..].iter().find(|(_, ob)| ob == oa) {
                    return Err(Conflict {
                        inst: k,
                        why: format!(
                            "`{}` and `{}` would need the same register (they sit at the same place in two register lists)",
                            names(*va),
                            names(*vb)
                        ),
                    });
                }
            }
        }
    }
    Ok(g)
}

/// The registers of `class`, in number order (consecutive means "next in this
/// order", the last followed by the first).
fn ring(file: &RegFile, class: Class) -> Vec<u8> {
    (0..file.count as u8)
        .filter(|&p| (file.class_of)(p) == class)
        .collect()
}

/// A register for every virtual member of `group` (in `group.virt` order) such
/// that they are consecutive, none is `taken` for that member (`taken(v, p)`),
/// and physical members sit where they are: the first base in `pool` order.
pub fn place(
    group: &Group,
    file: &RegFile,
    class: Class,
    taken: &dyn Fn(u32, u8) -> bool,
) -> Option<Vec<u8>> {
    let ring = ring(file, class);
    let n = ring.len() as i32;
    let pool = (file.allocatable)(class);
    let at = |base: usize, off: i32| ring[(base as i32 + off).rem_euclid(n) as usize];
    let others = ring.iter().filter(|p| !pool.contains(p));
    pool.iter().chain(others).find_map(|&first| {
        let base = ring.iter().position(|&p| p == first)?;
        let regs: Vec<u8> = group.virt.iter().map(|&(_, o)| at(base, o)).collect();
        let fits = group
            .virt
            .iter()
            .zip(&regs)
            .all(|(&(v, _), &p)| pool.contains(&p) && !taken(v, p))
            && group.phys.iter().all(|&(p, o)| at(base, o) == p);
        fits.then_some(regs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm64::regs::{FILE, VEC_BASE};

    #[test]
    fn a_pinned_v31_wraps_the_list_to_v0() {
        // {v31, a, b}
        let g = Group {
            virt: vec![(0, 1), (1, 2)],
            phys: vec![(VEC_BASE + 31, 0)],
        };
        let regs = place(&g, &FILE, Class::Vec, &|_, _| false).unwrap();
        assert_eq!(regs, vec![VEC_BASE, VEC_BASE + 1]);
    }

    #[test]
    fn a_taken_register_moves_the_whole_list() {
        // {a, b, c} where b may not be v1 and c may not be v3.
        let g = Group {
            virt: vec![(0, 0), (1, 1), (2, 2)],
            phys: vec![],
        };
        let taken = |v: u32, p: u8| (v, p) == (1, VEC_BASE + 1) || (v, p) == (2, VEC_BASE + 3);
        let regs = place(&g, &FILE, Class::Vec, &taken).unwrap();
        assert_eq!(regs, vec![VEC_BASE + 2, VEC_BASE + 3, VEC_BASE + 4]);
    }
}
