//! A byte search like Go's `bytes.IndexByte`: AVX2 (32 bytes at a time) or SSE2
//! (16, the x86-64 baseline) on amd64, chosen at run time; NEON on arm64; Go
//! elsewhere.

use go_asm::go_asm;

/// IndexByte returns the index of the first c in s, or -1 if c is not in s.
#[go_asm]
pub fn index_byte(s: &[u8], c: u8) -> isize {
    #[features(avx2)]
    amd64! {
        let needle: ymm, chunk: ymm, bytes: xmm, i: gp64, end: gp64, mask: gp64, t: gp64
        vmovd bytes, c.32
        vpbroadcastb needle, bytes
        xor i, i
    wide:
        lea end, [i + 32]
        cmp end, s.len
        ja tail
        vpcmpeqb chunk, needle, ymmword [s.ptr + i]
        vpmovmskb mask.32, chunk
        test mask.32, mask.32
        jnz found
        mov i, end
        jmp wide
    found:
        bsf mask.32, mask.32
        add i, mask
        jmp done
    tail:
        cmp i, s.len
        jae missing
        movzx t.32, byte [s.ptr + i]
        cmp t, c
        je done
        inc i
        jmp tail
    missing:
        mov i, -1
    done:
        vzeroupper
        return i
    }
    amd64! {
        let needle: xmm, chunk: xmm, i: gp64, end: gp64, mask: gp64, t: gp64
        movd needle, c.32
        punpcklbw needle, needle
        punpcklwd needle, needle
        pshufd needle, needle, 0
        xor i, i
    wide:
        lea end, [i + 16]
        cmp end, s.len
        ja tail
        movdqu chunk, xmmword [s.ptr + i]
        pcmpeqb chunk, needle
        pmovmskb mask.32, chunk
        test mask.32, mask.32
        jnz found
        mov i, end
        jmp wide
    found:
        bsf mask.32, mask.32
        add i, mask
        jmp done
    tail:
        cmp i, s.len
        jae missing
        movzx t.32, byte [s.ptr + i]
        cmp t, c
        je done
        inc i
        jmp tail
    missing:
        mov i, -1
    done:
        return i
    }
    arm64! {
        let needle: v, chunk: v, p: x, i: x, end: x, m: x, t: x
        dup needle.16b, c.w
        mov i, xzr
    wide:
        add end, i, #16
        cmp end, s.len
        b.hi tail
        add p, s.ptr, i
        ldr chunk.q, [p]
        cmeq chunk.16b, chunk.16b, needle.16b
        shrn chunk.8b, chunk.8h, #4
        umov m, chunk.d[0]
        cbnz m, found
        mov i, end
        b wide
    found:
        rbit m, m
        clz m, m
        lsr m, m, #2
        add i, i, m
        b done
    tail:
        cmp i, s.len
        b.hs missing
        add p, s.ptr, i
        ldrb t.w, [p]
        cmp t, c
        b.eq done
        add i, i, #1
        b tail
    missing:
        movn i, #0
    done:
        return i
    }
    go! {
        for i, b := range s {
            if b == c {
                return i
            }
        }
        return -1
    }
}
