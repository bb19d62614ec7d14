//! Per-architecture functions, CPU features and exact Go names. `pdep` (BMI2) has
//! no arm64 counterpart, so `deposit_bits` has only `amd64!` blocks: BMI2's
//! instruction where the CPU has it, a baseline loop otherwise; arm64 (and every
//! other GOARCH) runs its `go!` body, and its Rust wrapper exists on x86_64 only.

use go_asm::go_asm;

/// depositBits scatters the low bits of x to the set bits of mask, lowest
/// first (x86's PDEP, where the CPU has BMI2).
#[go_asm(go_name = "depositBits")]
pub fn deposit_bits(x: u64, mask: u64) -> u64 {
    #[features(bmi2)]
    amd64! {
        // BMI2's parallel deposit, one instruction.
        pdep x, x, mask
        return x
    }
    amd64! {
        // The baseline: the go! body's loop.
        let r: gp64, bit: gp64, low: gp64
        xor r, r
        mov bit, 1
    top:
        test mask, mask
        jz done
        // The lowest set bit of what is left of the mask.
        mov low, mask
        neg low
        and low, mask
        test x, bit
        jz skip
        or r, low
    skip:
        xor mask, low
        shl bit, 1
        jmp top
    done:
        return r
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

/// OnesCount returns the number of set bits in x (amd64's POPCNT where the CPU
/// has it).
#[go_asm(go_name = "OnesCount")]
pub fn ones(x: u64) -> u64 {
    #[features(popcnt)]
    amd64! {
        popcnt x, x
        return x
    }
    amd64! {
        // The baseline: bits per pair, per nibble, per byte, then the bytes summed
        // by a multiplication.
        let t: gp64, m: gp64
        mov t, x
        shr t, 1
        mov m, 0x5555555555555555
        and t, m
        sub x, t
        mov m, 0x3333333333333333
        mov t, x
        shr t, 2
        and t, m
        and x, m
        add x, t
        mov t, x
        shr t, 4
        add x, t
        mov m, 0x0f0f0f0f0f0f0f0f
        and x, m
        mov m, 0x0101010101010101
        imul x, m
        shr x, 56
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

/// OnesCount2 returns the numbers of set bits in x and in y (amd64's POPCNT
/// where the CPU has it): a dispatching function with two results.
#[go_asm(go_name = "OnesCount2")]
pub fn ones2(x: u64, y: u64) -> (u64, u64) {
    #[features(popcnt)]
    amd64! {
        popcnt x, x
        popcnt y, y
        return x, y
    }
    amd64! {
        // The baseline: clear the lowest set bit until none is left.
        let nx: gp64, ny: gp64, t: gp64
        xor nx, nx
        xor ny, ny
    xs:
        test x, x
        jz ys
        inc nx
        lea t, [x - 1]
        and x, t
        jmp xs
    ys:
        test y, y
        jz done
        inc ny
        lea t, [y - 1]
        and y, t
        jmp ys
    done:
        return nx, ny
    }
    arm64! {
        let v: v, w: v
        fmov v.d, x
        fmov w.d, y
        cnt v.8b, v.8b
        cnt w.8b, w.8b
        addv v.b, v.8b
        addv w.b, w.8b
        fmov x.w, v.s
        fmov y.w, w.s
        return x, y
    }
    go! {
        import "math/bits"
        return uint64(bits.OnesCount64(x)), uint64(bits.OnesCount64(y))
    }
}
