//! A read-only data table.

use go_asm::go_asm;

/// PopCount returns the number of set bits in xs, from a nibble table.
#[go_asm]
pub fn pop_count(xs: &[u8]) -> u64 {
    const NIBBLE_BITS: [u8; 16] = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
    amd64! {
        let table: gp64, n: gp64, lo: gp64, hi: gp64
        lea table, [NIBBLE_BITS]
        xor n, n
        test xs.len, xs.len
        jz done
    next:
        movzx lo.32, byte [xs.ptr]
        mov hi, lo
        and lo.32, 15
        shr hi.32, 4
        movzx lo.32, byte [table + lo]
        movzx hi.32, byte [table + hi]
        add n, lo
        add n, hi
        inc xs.ptr
        dec xs.len
        jnz next
    done:
        return n
    }
    arm64! {
        let table: x, n: x, low: x, high: x
        adr table, NIBBLE_BITS
        mov n, xzr
        cbz xs.len, done
    next:
        ldrb low.w, [xs.ptr], #1
        lsr high.w, low.w, #4
        and low.w, low.w, #15
        ldrb low.w, [table, low]
        ldrb high.w, [table, high]
        add n, n, low
        add n, n, high
        subs xs.len, xs.len, #1
        b.ne next
    done:
        return n
    }
    go! {
        import "math/bits"
        var n uint64
        for _, x := range xs {
            n += uint64(bits.OnesCount8(x))
        }
        return n
    }
}
