//! What the native shims of every architecture share: where a C argument arrives,
//! and the order of a parallel register copy. Each architecture's `native.rs`
//! spells them in its own instructions.

/// Where a C argument arrives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loc {
    Reg(u8),
    /// Offset from the stack pointer at entry (the return address is at 0).
    Stack(i32),
}

impl Loc {
    /// The register, for an argument that arrives in one.
    pub fn reg(self) -> Option<u8> {
        match self {
            Loc::Reg(r) => Some(r),
            Loc::Stack(_) => None,
        }
    }
}

/// One step of a parallel register copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `(destination, source)`.
    Move(u8, u8),
    Swap(u8, u8),
}

/// Orders the parallel copy `moves` (destination, source) so no move overwrites a
/// pending source; cycles are broken with swaps.
pub fn sequence_moves(mut moves: Vec<(u8, u8)>) -> Vec<Step> {
    moves.retain(|(d, s)| d != s);
    let mut out = Vec::new();
    while !moves.is_empty() {
        if let Some(i) = moves
            .iter()
            .position(|(d, _)| !moves.iter().any(|(_, s)| s == d))
        {
            let (d, s) = moves.remove(i);
            out.push(Step::Move(d, s));
            continue;
        }
        // Every destination is someone's source: a cycle. Swap the first pair.
        let (d, s) = moves.remove(0);
        out.push(Step::Swap(d, s));
        for m in &mut moves {
            if m.1 == d {
                m.1 = s;
            } else if m.1 == s {
                m.1 = d;
            }
        }
        moves.retain(|(d, s)| d != s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{sequence_moves, Step};

    /// Applies steps to a register file and returns it.
    fn run(steps: &[Step], mut regs: [u8; 4]) -> [u8; 4] {
        for s in steps {
            match *s {
                Step::Move(d, s) => regs[d as usize] = regs[s as usize],
                Step::Swap(a, b) => regs.swap(a as usize, b as usize),
            }
        }
        regs
    }

    #[test]
    fn parallel_copies_honour_every_source() {
        let start = [10, 11, 12, 13];
        for moves in [
            vec![(0, 1), (1, 0)],
            vec![(2, 1), (1, 0)],
            vec![(0, 1), (1, 2), (2, 0)],
            vec![(0, 1), (1, 2), (2, 0), (3, 3)],
            vec![(3, 0), (0, 1), (1, 3)],
        ] {
            let got = run(&sequence_moves(moves.clone()), start);
            for (d, s) in moves {
                assert_eq!(got[d as usize], start[s as usize], "{d} <- {s}");
            }
        }
    }
}
