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

/// CountByte64 returns how many bytes of s equal b. On amd64 with AVX-512 (F and
/// BW, with BMI2 and POPCNT) 64 bytes per step: each step compares into an opmask
/// and counts its bits; the last 0-63 bytes are loaded under a writemask
/// (masked-off bytes are not read, so nothing past the string is touched), with no
/// scalar loop. Other amd64 CPUs run SSE2, 16 bytes per step, then a byte at a
/// time. The arm64 assembly compares 16 bytes per step with NEON, then a byte at a
/// time.
#[go_asm]
pub fn count_byte64(s: &str, b: u8) -> u64 {
    #[features(avx512f, avx512bw, bmi2, popcnt)]
    amd64! {
        let n: gp64, c: gp64, m: gp64, needle: zmm, v: zmm, hits: k, tail: k
        xor n, n
        vpbroadcastb needle, b.32
        cmp s.len, 64
        jb last
    step:
        vpcmpeqb hits, needle, zmmword [s.ptr]
        kmovq c, hits
        popcnt c, c
        add n, c
        add s.ptr, 64
        sub s.len, 64
        cmp s.len, 64
        jae step
    last:
        mov m, -1
        bzhi m, m, s.len
        kmovq tail, m
        vmovdqu8 v {tail}{z}, zmmword [s.ptr]
        vpcmpeqb hits {tail}, needle, v
        kmovq c, hits
        popcnt c, c
        add n, c
        vzeroupper
        return n
    }
    amd64! {
        let n: gp64, c: gp64, needle: xmm, v: xmm, ones: xmm, zero: xmm, total: xmm, t: xmm
        xor n, n
        movd needle, b.32
        punpcklbw needle, needle
        punpcklwd needle, needle
        pshufd needle, needle, 0
        mov c, 0x0101010101010101
        movq ones, c
        punpcklqdq ones, ones
        pxor zero, zero
        pxor total, total
        cmp s.len, 16
        jb bytes
    step:
        movdqu v, xmmword [s.ptr]
        pcmpeqb v, needle
        pand v, ones
        psadbw v, zero
        paddq total, v
        add s.ptr, 16
        sub s.len, 16
        cmp s.len, 16
        jae step
        pshufd t, total, 0xee
        paddq total, t
        movq n, total
    bytes:
        test s.len, s.len
        jz done
    next:
        xor c, c
        cmp byte [s.ptr], b.8
        sete c.8
        add n, c
        inc s.ptr
        dec s.len
        jnz next
    done:
        return n
    }
    arm64! {
        let n: x, c: x, needle: v, t: v
        mov n, xzr
        dup needle.16b, b.w
        cmp s.len, #16
        b.lo bytes
    step:
        ldr t.q, [s.ptr], #16
        cmeq t.16b, t.16b, needle.16b
        ushr t.16b, t.16b, #7
        addv t.b, t.16b
        umov c.w, t.b[0]
        add n, n, c
        sub s.len, s.len, #16
        cmp s.len, #16
        b.hs step
    bytes:
        cbz s.len, done
        ldrb c.w, [s.ptr], #1
        cmp c.w, b.w
        cinc n, n, eq
        sub s.len, s.len, #1
        b bytes
    done:
        return n
    }
    go! {
        return CountByte(s, b)
    }
}
