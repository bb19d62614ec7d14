//! A loop over a slice.

use go_asm::go_asm;

/// Sum returns the sum of xs, wrapping on overflow.
#[go_asm]
pub fn sum(xs: &[u64]) -> u64 {
    amd64! {
        let total: gp64
        xor total, total
        test xs.len, xs.len
        jz done
    next:
        add total, qword [xs.ptr]
        add xs.ptr, 8
        dec xs.len
        jnz next
    done:
        return total
    }
    arm64! {
        let total: x, v: x
        mov total, xzr
        cbz xs.len, done
    next:
        ldr v, [xs.ptr], #8
        add total, total, v
        subs xs.len, xs.len, #1
        b.ne next
    done:
        return total
    }
    go! {
        var total uint64
        for _, x := range xs {
            total += x
        }
        return total
    }
}
