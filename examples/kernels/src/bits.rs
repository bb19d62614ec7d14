//! Per-architecture functions and exact Go names. `pdep` (BMI2) has no arm64
//! counterpart, so `deposit_bits` has only an `amd64!` block: arm64 (and every
//! other GOARCH) runs its `go!` body, and its Rust wrapper exists on x86_64 only.

use go_asm::go_asm;

/// depositBits scatters the low bits of x to the set bits of mask, lowest
/// first (x86's PDEP). The amd64 assembly needs BMI2.
#[go_asm(go_name = "depositBits")]
pub fn deposit_bits(x: u64, mask: u64) -> u64 {
    amd64! {
        // BMI2's parallel deposit, one instruction.
        pdep x, x, mask
        return x
    }
    go! {
        var r uint64
        for bit := uint64(1); mask != 0; bit <<= 1 {
            low := mask & -mask // the lowest set bit of what is left
            if x&bit != 0 {
                r |= low
            }
            mask &^= low
        }
        return r
    }
}

/// OnesCount returns the number of set bits in x. The amd64 assembly needs
/// POPCNT.
#[go_asm(go_name = "OnesCount")]
pub fn ones(x: u64) -> u64 {
    amd64! {
        popcnt x, x
        return x
    }
    arm64! {
        let v: v
        fmov v.d, x
        // Bits per byte, then the bytes summed.
        cnt v.8b, v.8b
        addv v.b, v.8b
        fmov x.w, v.s
        return x
    }
    go! {
        n := uint64(0)
        for ; x != 0; x &= x - 1 {
            n++
        }
        return n
    }
}
