//! AVX-512 (EVEX) operand decorations in Intel syntax, as llvm-mc writes them:
//! a writemask and zeroing on the destination (`zmm1 {k1}{z}`), broadcast on a
//! memory operand (`dword [rdi] {1to16}`), and embedded rounding or
//! suppress-all-exceptions as an operand of its own (`{rn-sae}`, `{sae}`); plus
//! which blocks may allocate the EVEX-only registers xmm16-31.

use super::forms::Form;
use super::parse::{Inst, Operand};
use super::regs;
use crate::diag::{bail, Result};
use crate::dsl::{self, Tokens};
use crate::ir::{Body, Class, Reg};
use proc_macro2::{Delimiter, TokenTree};

/// Embedded rounding (`{rn-sae}`: to nearest, `{rd-sae}` down, `{ru-sae}` up,
/// `{rz-sae}` toward zero; each suppresses exceptions) or `{sae}` alone.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rounding {
    Sae,
    Nearest,
    Down,
    Up,
    Zero,
}

const ROUNDINGS: &[(&str, Rounding, &str)] = &[
    ("sae", Rounding::Sae, "SAE"),
    ("rn-sae", Rounding::Nearest, "RN_SAE"),
    ("rd-sae", Rounding::Down, "RD_SAE"),
    ("ru-sae", Rounding::Up, "RU_SAE"),
    ("rz-sae", Rounding::Zero, "RZ_SAE"),
];

impl Rounding {
    pub fn intel(self) -> &'static str {
        ROUNDINGS.iter().find(|r| r.1 == self).expect("listed").0
    }
    /// Go's mnemonic suffix (`VADDPS.RN_SAE`).
    pub fn go(self) -> &'static str {
        ROUNDINGS.iter().find(|r| r.1 == self).expect("listed").2
    }
}

/// The decorations of one instruction (EVEX allows at most one of each).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Decor {
    /// Writemask register (a mask-class register other than k0).
    pub mask: Option<Reg>,
    /// `{z}`: masked-off elements are zeroed instead of kept.
    pub zero: bool,
    /// `{1toN}` on the memory operand: (N, element bytes from the size keyword).
    pub bcst: Option<(u8, u8)>,
    pub rounding: Option<Rounding>,
}

impl Decor {
    pub fn is_none(&self) -> bool {
        *self == Decor::default()
    }
}

fn brace(t: &TokenTree) -> Option<Vec<TokenTree>> {
    match t {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
            Some(g.stream().into_iter().collect())
        }
        _ => None,
    }
}

fn text(tokens: &[TokenTree]) -> String {
    tokens.iter().map(|t| t.to_string()).collect()
}

/// Resolves a writemask's name (`k1`, a `k` value) to a register and its class.
pub type MaskResolver<'a> = &'a dyn Fn(&[TokenTree]) -> Result<Option<(Reg, Class)>>;

/// Takes the decorations off `operands`: returns the plain operands and the
/// decorations. `register` resolves a writemask's name to a register and class.
/// `size_of` gives the bytes of a memory operand's size keyword (for broadcast).
pub fn take_decorations(
    operands: &[Tokens],
    register: MaskResolver,
    size_of: &dyn Fn(&[TokenTree]) -> Option<u32>,
) -> Result<(Vec<Tokens>, Decor)> {
    let mut decor = Decor::default();
    let mut plain = Vec::new();
    for (k, op) in operands.iter().enumerate() {
        if let [g] = op.as_slice() {
            if let Some(inner) = brace(g) {
                let word = text(&inner);
                let Some(&(_, r, _)) = ROUNDINGS.iter().find(|r| r.0 == word) else {
                    bail!(
                        g.span(),
                        "expected a rounding operand: {{rn-sae}} {{rd-sae}} {{ru-sae}} {{rz-sae}} or {{sae}}"
                    );
                };
                if decor.rounding.is_some() {
                    bail!(g.span(), "one rounding operand per instruction");
                }
                decor.rounding = Some(r);
                continue;
            }
        }
        // Trailing `{...}` groups.
        let mut end = op.len();
        while end > 1 && brace(&op[end - 1]).is_some() {
            end -= 1;
        }
        for g in &op[end..] {
            let inner = brace(g).expect("brace group");
            let span = g.span();
            let word = text(&inner);
            if word == "z" {
                if k != 0 {
                    bail!(span, "`{{z}}` belongs on the destination (first operand)");
                }
                decor.zero = true;
            } else if let Some(n) = word.strip_prefix("1to").and_then(|n| n.parse::<u8>().ok()) {
                let Some(bytes) = size_of(&op[..end]) else {
                    bail!(
                        span,
                        "a broadcast operand needs its element size: `dword [p] {{1to16}}` or `qword [p] {{1to8}}`"
                    );
                };
                if decor.bcst.is_some() {
                    bail!(span, "one broadcast operand per instruction");
                }
                decor.bcst = Some((n, bytes as u8));
            } else if let Ok(Some((reg, class))) = register(&inner) {
                if k != 0 {
                    bail!(
                        span,
                        "a writemask belongs on the destination (first operand)"
                    );
                }
                if class != Class::Mask {
                    bail!(
                        span,
                        "a writemask is an opmask register (k1-k7 or a `k` value)"
                    );
                }
                if reg == Reg::Phys(regs::MASK_BASE) {
                    bail!(
                        span,
                        "k0 cannot be a writemask (it means no mask): use k1-k7"
                    );
                }
                if decor.mask.is_some() {
                    bail!(span, "one writemask per instruction");
                }
                decor.mask = Some(reg);
            } else {
                bail!(
                    span,
                    "expected `{{k1}}`-`{{k7}}` (writemask), `{{z}}` or `{{1toN}}` (broadcast)"
                );
            }
        }
        plain.push(op[..end].to_vec());
    }
    if decor.zero && decor.mask.is_none() {
        let span = dsl::span_of(&operands[0]);
        bail!(
            span,
            "`{{z}}` (zeroing) needs a writemask: `dst {{k1}}{{z}}`"
        );
    }
    Ok((plain, decor))
}

/// Whether `form` takes the decorations `d` with operands `ops`.
pub fn form_takes(form: &Form, d: &Decor, ops: &[Operand]) -> bool {
    let Some(caps) = form.evex else {
        return d.is_none();
    };
    let has_mem = ops.iter().any(|o| matches!(o, Operand::Mem(_)));
    (d.mask.is_some() || !caps.require_mask)
        && (d.mask.is_none() || caps.mask)
        && (!d.zero || (caps.zeroing && !matches!(ops.first(), Some(Operand::Mem(_)))))
        && d.bcst.is_none_or(|(n, bytes)| {
            let (n, bytes) = (n as u32, bytes as u32);
            caps.bcst_bytes == bytes && form.mem_bytes == n * bytes && has_mem
        })
        && d.rounding.is_none_or(|r| {
            !has_mem
                && match r {
                    Rounding::Sae => caps.sae,
                    _ => caps.rounding,
                }
        })
}

/// Why no form takes `d` when some form takes the plain operands.
pub fn refusal(mnemonic: &str, d: &Decor, fits_plain: &[&Form]) -> String {
    let caps: Vec<_> = fits_plain.iter().filter_map(|f| f.evex).collect();
    let what = if d.mask.is_some() && !caps.iter().any(|c| c.mask) {
        "a writemask"
    } else if d.zero {
        "zeroing `{z}` (a masked store keeps memory: write `[p] {k1}`)"
    } else if d.bcst.is_some() {
        "this broadcast (`{1toN}` with N elements of the size keyword filling the vector)"
    } else if d.rounding.is_some() {
        "this rounding operand (register operands only)"
    } else if d.mask.is_none() && caps.iter().all(|c| c.require_mask) {
        return format!("`{mnemonic}` needs a writemask: `dst {{k1}}`");
    } else {
        "these decorations"
    };
    format!("`{mnemonic}` does not take {what} with these operands")
}

/// Why operands naming xmm16-31 fit no form: `mnemonic` has no EVEX form.
pub fn unreachable_registers(mnemonic: &str, all: &[Form], ops: &[Operand]) -> Option<String> {
    let high = ops.iter().any(|o| match o {
        Operand::Reg {
            reg: Reg::Phys(p), ..
        } => regs::evex_only(*p),
        Operand::Mem(m) => matches!(m.index, Some((Reg::Phys(p), _, _)) if regs::evex_only(p)),
        _ => false,
    });
    (high && all.iter().all(|f| f.evex.is_none()))
        .then(|| format!("`{mnemonic}` has no EVEX (AVX-512) form, and only EVEX reaches xmm16-31"))
}

/// The registers decorations read: the writemask, and under merge-masking the
/// destination register (its masked-off elements are kept).
pub fn uses(d: &Decor, ops: &[Operand]) -> Vec<Reg> {
    let mut out: Vec<Reg> = d.mask.into_iter().collect();
    if d.mask.is_some() && !d.zero {
        if let Some(Operand::Reg { reg, .. }) = ops.first() {
            out.push(*reg);
        }
    }
    out
}

/// Whether a block may allocate xmm16-31: it uses an EVEX-only instruction or
/// decoration, or names a zmm, opmask or xmm16+ register. The feature proof runs
/// first and leaves only the forms the block's `#[features(..)]` covers, so this
/// holds only in blocks that declare AVX-512 (a block that declares it but uses
/// only VEX-encodable instructions keeps to xmm0-15, where every form reaches).
pub fn allows_evex_registers(body: &Body<Inst>) -> bool {
    let evex_reg = |o: &Operand| match o {
        Operand::Reg { reg, width } => {
            *width == 512
                || match reg {
                    Reg::Phys(p) => regs::evex_only(*p) || regs::class_of(*p) == Class::Mask,
                    Reg::Virt(v) => body.vregs[*v as usize].class == Class::Mask,
                }
        }
        _ => false,
    };
    body.insts().any(|i| {
        !i.evex.is_none()
            || (!i.forms.is_empty() && i.forms.iter().all(|f| f.evex.is_some()))
            || i.ops.iter().any(evex_reg)
    })
}
