//! Reading a string.

use go_asm::go_asm;

/// CountByte returns how many bytes of s equal b.
#[go_asm]
pub fn count_byte(s: &str, b: u8) -> u64 {
    amd64! {
        let n: gp64, hit: gp64
        xor n, n
        test s.len, s.len
        jz done
    next:
        xor hit, hit
        cmp byte [s.ptr], b.8
        sete hit.8
        add n, hit
        inc s.ptr
        dec s.len
        jnz next
    done:
        return n
    }
    arm64! {
        let n: x, c: x
        mov n, xzr
        cbz s.len, done
    next:
        ldrb c.w, [s.ptr], #1
        cmp c.w, b.w
        cinc n, n, eq
        subs s.len, s.len, #1
        b.ne next
    done:
        return n
    }
    go! {
        var n uint64
        for i := 0; i < len(s); i++ {
            if s[i] == b {
                n++
            }
        }
        return n
    }
}
