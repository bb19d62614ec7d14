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

/// Where one frame slot's value comes from in a native prologue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ArgSrc {
    /// A whole argument where the ABI delivers it.
    Whole(Loc),
    /// A struct field in the caller's argument area: this many bytes above the
    /// stack pointer at entry, read at the field's own size.
    Entry(i32),
    /// A struct field in the prologue's scratch copy: this many bytes into it.
    Scratch(u32),
}

/// What the prologue does first, before any argument register is overwritten:
/// a struct that arrives in registers or behind a pointer is copied into the
/// scratch area, from which its fields are read like stack arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum Prep {
    /// Store `bytes` of register `reg` at `at` in the scratch area.
    Store { reg: u8, at: u32, bytes: u32 },
    /// Copy fields `(offset, bytes)` from the struct `ptr` points at (the ABI's
    /// pointer to a caller copy) to `at` + offset in the scratch area.
    Copy {
        ptr: Loc,
        at: u32,
        fields: Vec<(u32, u32)>,
    },
}

/// The sources of a function's arguments in one native ABI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    /// One per frame slot.
    pub srcs: Vec<ArgSrc>,
    pub prep: Vec<Prep>,
    /// Bytes of scratch area the copies need (a multiple of 8).
    pub scratch: u32,
}

impl Args {
    /// A struct in registers: `(register, offset, bytes)` per piece, stored into a
    /// fresh scratch copy; its fields (`(offset, _)` per slot) read from there.
    pub fn struct_in_regs(&mut self, pieces: &[(u8, u32, u32)], size: u32, fields: &[(u32, u32)]) {
        let at = self.scratch;
        for &(reg, off, bytes) in pieces {
            self.prep.push(Prep::Store {
                reg,
                at: at + off,
                bytes,
            });
        }
        self.scratch += size.div_ceil(8) * 8;
        self.srcs
            .extend(fields.iter().map(|&(off, _)| ArgSrc::Scratch(at + off)));
    }
    /// A struct behind a pointer to a caller copy, copied field by field.
    pub fn struct_behind(&mut self, ptr: Loc, size: u32, fields: &[(u32, u32)]) {
        let at = self.scratch;
        self.prep.push(Prep::Copy {
            ptr,
            at,
            fields: fields.to_vec(),
        });
        self.scratch += size.div_ceil(8) * 8;
        self.srcs
            .extend(fields.iter().map(|&(off, _)| ArgSrc::Scratch(at + off)));
    }
    /// A struct in the caller's argument area at entry offset `at`.
    pub fn struct_on_stack(&mut self, at: i32, fields: &[(u32, u32)]) {
        self.srcs
            .extend(fields.iter().map(|&(off, _)| ArgSrc::Entry(at + off as i32)));
    }
    /// The register each slot arrives in whole, for the allocator's hints.
    pub fn hints(&self) -> Vec<Option<u8>> {
        self.srcs
            .iter()
            .map(|s| match s {
                ArgSrc::Whole(l) => l.reg(),
                _ => None,
            })
            .collect()
    }
}

/// The `(offset, bytes)` of each field of a struct parameter's slots.
pub fn fields_of(st: &crate::sig::StructTy) -> Vec<(u32, u32)> {
    st.leaves
        .iter()
        .map(|l| (l.offset, l.scalar.size()))
        .collect()
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
