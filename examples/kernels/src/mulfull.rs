//! Two results, and an instruction with implicit operands (mul: rax, rdx).

use go_asm::go_asm;

/// MulFull returns the 128-bit product of a and b as (hi, lo).
#[go_asm]
pub fn mul_full(a: u64, b: u64) -> (u64, u64) {
    amd64! {
        mov rax, a
        mul b
        return rdx, rax
    }
    arm64! {
        let high: x, low: x
        umulh high, a, b
        mul low, a, b
        return high, low
    }
    go! {
        import "math/bits"
        return bits.Mul64(a, b)
    }
}
