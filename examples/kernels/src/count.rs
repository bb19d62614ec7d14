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

/// CountByte64 returns how many bytes of s equal b, 64 bytes per step with
/// AVX-512 (BW): each step compares into an opmask and counts its bits; the last
/// 0-63 bytes are loaded under a writemask (masked-off bytes are not read, so
/// nothing past the string is touched), with no scalar loop.
/// The amd64 assembly needs AVX-512 F and BW, and BMI2; check the CPU before
/// calling it (issue 14 will dispatch to CountByte by itself). The arm64 assembly
/// compares 16 bytes per step with NEON, then a byte at a time.
#[go_asm]
pub fn count_byte64(s: &str, b: u8) -> u64 {
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
