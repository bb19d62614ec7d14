//! FNV-1a, 64-bit: 64-bit immediates and a multiply.

use go_asm::go_asm;

/// Fnv1a64 returns the 64-bit FNV-1a hash of data.
#[go_asm]
pub fn fnv1a64(data: &[u8]) -> u64 {
    amd64! {
        let h: gp64, prime: gp64, c: gp64
        mov h, 0xcbf29ce484222325
        mov prime, 0x100000001b3
        test data.len, data.len
        jz done
    next:
        movzx c.32, byte [data.ptr]
        xor h, c
        imul h, prime
        inc data.ptr
        dec data.len
        jnz next
    done:
        return h
    }
    arm64! {
        let h: x, prime: x, c: x
        mov h, #0xcbf29ce484222325
        mov prime, #0x100000001b3
        cbz data.len, done
    next:
        ldrb c.w, [data.ptr], #1
        eor h, h, c
        mul h, h, prime
        subs data.len, data.len, #1
        b.ne next
    done:
        return h
    }
    go! {
        h := uint64(0xcbf29ce484222325)
        for _, c := range data {
            h ^= uint64(c)
            h *= 0x100000001b3
        }
        return h
    }
}
