//! Stack locals: named scratch areas of a block's frame (`let w: stack[256]`,
//! `let t: stack[64] align 32`), laid out at the bottom of the same area the
//! spill slots use (`spill.rs` places its slots above them), at the same offsets
//! from the hardware stack pointer in the Go frame and in the native prologue, so
//! the body bytes stay identical.
//!
//! A local whose alignment the stack pointer guarantees in both (8 on amd64,
//! where Go keeps only 8; 16 on arm64) is addressed from the stack pointer. The
//! others share one over-allocated region, addressed from an aligned base
//! register the body computes first: `base = (sp + at + align - guaranteed) &
//! -align`, which lands inside the region wherever the stack pointer is.

use crate::diag::{bail, Result};
use crate::dsl::{StackLocal, Stmt};
use crate::frame;
use proc_macro2::Span;

/// One stack local as placed.
#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub span: Span,
    pub bytes: u32,
    pub align: u32,
    /// Offset from the stack pointer, or (`from_base`) from the aligned base.
    pub offset: u32,
    /// Whether it lives in the over-aligned region.
    pub from_base: bool,
    /// The block's locals area once this local was declared (bytes from the
    /// area's start, a multiple of 16).
    pub area_after: u32,
}

/// Where the aligned base points: `(sp + at + bias) & -align`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub at: u32,
    pub bias: u32,
    pub align: u32,
}

/// A block's stack locals, in declaration order.
#[derive(Clone, Debug)]
pub struct Locals {
    /// Where the area starts above the stack pointer (`Backend::LOCALS_BASE`).
    base: u32,
    /// The stack pointer's alignment in both the Go and the native frame.
    guaranteed: u32,
    pub locals: Vec<Local>,
    /// Next free offset from the stack pointer for plain locals.
    plain_end: u32,
    /// Bytes of the over-aligned region used so far (from the aligned base).
    region_end: u32,
    region_align: u32,
}

/// Saturating: a local of nearly 4 GiB must reach the frame-size error, not
/// overflow on the way.
fn align_up(x: u32, a: u32) -> u32 {
    x.div_ceil(a).saturating_mul(a)
}

impl Locals {
    pub fn new(base: u32, guaranteed: u32) -> Locals {
        Locals {
            base,
            guaranteed,
            locals: Vec::new(),
            plain_end: base,
            region_end: 0,
            region_align: 0,
        }
    }

    /// Index of the local named `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.locals.iter().position(|l| l.name == name)
    }

    /// Places `l` after the locals declared so far; an error at its size when the
    /// area outgrows the frame's limit.
    pub fn declare(&mut self, l: &StackLocal) -> Result<usize> {
        let name = l.name.to_string();
        let (offset, from_base) = if l.align <= self.guaranteed {
            let at = align_up(self.plain_end, l.align);
            self.plain_end = at.saturating_add(l.bytes);
            (at, false)
        } else {
            let at = align_up(self.region_end, l.align);
            self.region_end = at.saturating_add(l.bytes);
            self.region_align = self.region_align.max(l.align);
            (at, true)
        };
        let area = self.bytes();
        if area > frame::MAX_FRAME_BYTES {
            bail!(
                l.bytes_span,
                "stack local `{name}` ({} bytes, aligned to {}) takes the block's stack locals to {area} bytes; a frame holds at most {} bytes of stack locals and spill slots",
                l.bytes,
                l.align,
                frame::MAX_FRAME_BYTES
            );
        }
        self.locals.push(Local {
            name,
            span: l.name.span(),
            bytes: l.bytes,
            align: l.align,
            offset,
            from_base,
            area_after: area,
        });
        Ok(self.locals.len() - 1)
    }

    /// The over-aligned region's base, if some local lives there.
    pub fn region(&self) -> Option<Region> {
        (self.region_align > 0).then(|| Region {
            at: align_up(self.plain_end, self.guaranteed),
            bias: self.region_align - self.guaranteed,
            align: self.region_align,
        })
    }

    /// The area's size from its start: plain locals, then the region with room
    /// to align its base; a multiple of 16 (0 without locals).
    pub fn bytes(&self) -> u32 {
        let end = match self.region_align {
            0 => self.plain_end,
            a => align_up(self.plain_end, self.guaranteed)
                .saturating_add(self.region_end)
                .saturating_add(a - self.guaranteed),
        };
        align_up(end - self.base, 16)
    }

    /// The first local that takes the area beyond `limit` bytes.
    pub fn first_beyond(&self, limit: u32) -> Option<&Local> {
        self.locals.iter().find(|l| l.area_after > limit)
    }
}

/// Every stack local of a block's statements, laid out in declaration order from
/// `base` bytes above a stack pointer aligned to `guaranteed`. `taken` says what
/// else a name means in the block (a register, label, table, argument), if
/// anything: a local cannot have that name.
pub fn stack_locals(
    stmts: &[Stmt],
    base: u32,
    guaranteed: u32,
    taken: &dyn Fn(&str) -> Option<String>,
) -> Result<Locals> {
    let mut locals = Locals::new(base, guaranteed);
    for s in stmts {
        let Stmt::Stack(l) = s else { continue };
        let name = l.name.to_string();
        if locals.find(&name).is_some() {
            bail!(l.name.span(), "stack local `{name}` is already declared");
        }
        if let Some(what) = taken(&name) {
            bail!(
                l.name.span(),
                "stack local `{name}` has the name of {what}; rename it"
            );
        }
        locals.declare(l)?;
    }
    Ok(locals)
}

/// A constant offset into a local: inside it (`bytes` accessed, when known), or
/// at its end for an address (`lea`, `adr`). An error at `span` otherwise.
pub fn check_offset(
    l: &Local,
    off: i128,
    access: Option<u32>,
    address: bool,
    span: Span,
) -> Result<()> {
    let size = l.bytes as i128;
    let ok = match access {
        _ if address => (0..=size).contains(&off),
        Some(b) => off >= 0 && off + b as i128 <= size,
        None => (0..size).contains(&off),
    };
    if !ok {
        let what = match access {
            Some(b) if !address => format!(" for a {b}-byte access"),
            _ => String::new(),
        };
        bail!(
            span,
            "offset {off} is outside stack local `{}` ({} bytes){what}",
            l.name,
            l.bytes
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(name: &str, bytes: u32, align: u32) -> StackLocal {
        StackLocal {
            name: proc_macro2::Ident::new(name, Span::call_site()),
            bytes,
            bytes_span: Span::call_site(),
            align,
            align_span: Span::call_site(),
        }
    }

    #[test]
    fn plain_locals_follow_each_other_and_aligned_ones_share_a_region() {
        // amd64: the area starts at 0(SP), which is 8-aligned.
        let mut l = Locals::new(0, 8);
        l.declare(&local("a", 12, 4)).unwrap();
        l.declare(&local("b", 64, 32)).unwrap();
        l.declare(&local("c", 8, 8)).unwrap();
        l.declare(&local("d", 16, 16)).unwrap();
        let [a, b, c, d] = &l.locals[..] else {
            panic!()
        };
        assert_eq!((a.offset, a.from_base), (0, false));
        assert_eq!((b.offset, b.from_base), (0, true));
        assert_eq!((c.offset, c.from_base), (16, false));
        assert_eq!((d.offset, d.from_base), (64, true));
        // Plain locals end at 24; the region (80 bytes, aligned to 32) follows
        // with 24 bytes of room to align its base.
        assert_eq!(
            l.region(),
            Some(Region {
                at: 24,
                bias: 24,
                align: 32
            })
        );
        assert_eq!(l.bytes(), 128);
        // arm64: from 8(RSP), 16-aligned for free.
        let mut l = Locals::new(8, 16);
        l.declare(&local("q", 32, 16)).unwrap();
        assert_eq!((l.locals[0].offset, l.locals[0].from_base), (16, false));
        assert_eq!(l.region(), None);
        assert_eq!(l.bytes(), 48);
    }

    #[test]
    fn the_aligned_base_stays_inside_the_region_wherever_sp_is() {
        let mut l = Locals::new(0, 8);
        l.declare(&local("a", 8, 8)).unwrap();
        l.declare(&local("v", 96, 64)).unwrap();
        let r = l.region().unwrap();
        for sp in (0..256u64).step_by(8) {
            let base = (sp + (r.at + r.bias) as u64) & !(r.align as u64 - 1);
            assert!(base >= sp + r.at as u64);
            assert!(base + 96 <= sp + l.bytes() as u64);
            assert_eq!(base % 64, 0);
        }
    }

    #[test]
    fn offsets_are_checked_against_the_local() {
        let mut l = Locals::new(0, 8);
        l.declare(&local("w", 16, 8)).unwrap();
        let w = &l.locals[0];
        let at = Span::call_site();
        assert!(check_offset(w, 8, Some(8), false, at).is_ok());
        assert!(check_offset(w, 12, Some(8), false, at).is_err());
        assert!(check_offset(w, 16, None, true, at).is_ok());
        assert!(check_offset(w, 16, None, false, at).is_err());
        assert!(check_offset(w, -1, None, false, at).is_err());
        assert!(l.declare(&local("big", 4096, 8)).is_err());
    }
}
