//! Go ABI0 argument frames: where each parameter component and result lives, under
//! the names `go vet`'s asmdecl check expects (`xs_base+0(FP)`, `ret+24(FP)`).

use crate::sig::{Scalar, Signature, Ty};

/// One named, sized place in the argument frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// asmdecl's name: `x`, `xs_base`, `ret`, `ret1`.
    pub name: String,
    pub offset: u32,
    /// Bytes moved through the register (an array's address is 8 bytes; its slot is inline).
    pub size: u32,
    pub scalar: Scalar,
    /// The register gets the slot's address (`LEAQ`), not its contents.
    pub by_address: bool,
}

/// The ABI0 frame of one function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// One slot per parameter component, in DSL argument order, then one per
    /// array result (its address).
    pub args: Vec<Slot>,
    /// The register results (an array result is an address in `args`).
    pub results: Vec<Slot>,
    /// `argsize` of `$frame-argsize`: arguments plus results.
    pub size: u32,
}

fn align(x: u32, a: u32) -> u32 {
    x.div_ceil(a) * a
}

const PTR: u32 = 8;

pub fn layout(sig: &Signature) -> Frame {
    let mut off = 0;
    let mut args = Vec::new();
    for (i, p) in sig.params.iter().enumerate() {
        let go = sig.param_go_name(i);
        let (size, al) = p.ty.frame_size_align();
        off = align(off, al);
        let mut comp_off = off;
        for c in p.ty.components() {
            let name = match c.frame {
                Some(suffix) => format!("{go}_{suffix}"),
                None => go.clone(),
            };
            let bytes = if c.by_address { 8 } else { c.scalar.size() };
            if let Some(at) = c.offset {
                comp_off = off + at;
            }
            args.push(Slot {
                name,
                offset: comp_off,
                size: bytes,
                scalar: c.scalar,
                by_address: c.by_address,
            });
            if !c.by_address {
                comp_off += bytes;
            }
        }
        off += size;
    }
    // asmdecl pads the arguments to pointer alignment only when results follow
    // (`func(a [2]float32, b uint32)` is `$0-12`, not `$0-16`).
    if sig.result_count() > 0 {
        off = align(off, PTR);
    }
    // Every result in order; an array result is written by the body through
    // its address, an argument slot after the parameters' (sig/arrays.rs).
    let mut results = Vec::new();
    // A struct result is one result, `ret`, whose fields asmdecl names `ret_X`
    // (complex: `ret_real`, `ret_imag`) at their offsets.
    if let Some(st) = &sig.result_struct {
        off = align(off, st.align);
        for (leaf, r) in st.leaves.iter().zip(&sig.results) {
            let Ty::Scalar(scalar) = r.ty else {
                unreachable!("a struct result's fields are scalars")
            };
            results.push(Slot {
                name: format!("ret_{}", leaf.frame),
                offset: off + leaf.offset,
                size: scalar.size(),
                scalar,
                by_address: false,
            });
        }
        off += st.size;
        return Frame {
            args,
            results,
            size: off,
        };
    }
    for (i, r) in sig.all_results().into_iter().enumerate() {
        let (size, al) = r.ty.frame_size_align();
        off = align(off, al);
        let name = sig.result_go_name(i);
        match &r.ty {
            Ty::Array { .. } => args.push(Slot {
                name,
                offset: off,
                size: 8,
                scalar: Scalar::Usize,
                by_address: true,
            }),
            ty => results.push(Slot {
                name,
                offset: off,
                size,
                scalar: match ty {
                    Ty::Scalar(s) => *s,
                    _ => Scalar::Usize,
                },
                by_address: false,
            }),
        }
        off += size;
    }
    // asmdecl: arguments are padded to pointer alignment before the results; the
    // results' end is not (`func(a, b []float32) float32` is `$0-52`).
    Frame {
        args,
        results,
        size: off,
    }
}

/// The largest frame (stack locals and spill slots) a `NOSPLIT` function keeps.
/// Go's linker allows a chain of nosplit frames 792 bytes below a stack check
/// (`objabi.StackNosplit`); a leaf called from Go links with frames up to 768
/// (arm64) / 784 (amd64) bytes, measured with Go 1.26. 512 leaves room for a
/// caller that is itself `NOSPLIT`; bigger frames drop `NOSPLIT`, and Go's
/// prologue checks and grows the stack (a leaf assembly function needs no locals
/// pointer map: nothing is live at that check), unless the function demands
/// `#[go_asm(nosplit)]`, which makes them an error.
pub const NOSPLIT_MAX_FRAME: u32 = 512;

/// Whether a function with `frame_bytes` of stack locals and spill slots stays
/// `NOSPLIT`.
pub fn nosplit(frame_bytes: u32) -> bool {
    frame_bytes <= NOSPLIT_MAX_FRAME
}

/// The largest frame of stack locals and spill slots: every byte stays within one
/// `sub sp, sp, #imm12` and the scaled offsets of arm64 loads and stores (and one
/// page, so Windows needs no stack probe).
pub const MAX_FRAME_BYTES: u32 = 4080;
