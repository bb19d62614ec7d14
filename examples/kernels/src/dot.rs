//! Two amd64 variants, chosen at run time: AVX2 + FMA with an accumulator array
//! written once through repetition (`let acc[4]: ymm`, `for k in 0..K`), eight
//! lanes per accumulator, a scalar tail and a horizontal sum; and SSE (the x86-64
//! baseline) four lanes at a time. NEON on arm64 (four accumulators); Go elsewhere.

use go_asm::go_asm;

/// Dot returns the dot product of a and b over their common length.
/// On amd64 it uses AVX2 and FMA (four accumulators) where the CPU has them,
/// SSE otherwise; on arm64 NEON fmla, four accumulators of four lanes.
#[go_asm]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[features(avx2, fma)]
    amd64! {
        // Four accumulators hide the FMA latency: 32 floats per iteration.
        const K = 4
        let acc[K]: ymm, v: ymm, n: gp64, i: gp64, end: gp64, s: xmm, t: xmm
        mov n, a.len
        cmp n, b.len
        cmova n, b.len
        for k in 0..K {
            vxorps acc[k], acc[k], acc[k]
        }
        xor i, i
    wide:
        lea end, [i + 8*K]
        cmp end, n
        ja eight
        for k in 0..K {
            vmovups v, ymmword [a.ptr + i*4 + 32*k]
            vfmadd231ps acc[k], v, ymmword [b.ptr + i*4 + 32*k]
        }
        mov i, end
        jmp wide
    eight:
        lea end, [i + 8]
        cmp end, n
        ja narrow
        vmovups v, ymmword [a.ptr + i*4]
        vfmadd231ps acc[0], v, ymmword [b.ptr + i*4]
        mov i, end
        jmp eight
    narrow:
        for k in 1..K {
            vaddps acc[0], acc[0], acc[k]
        }
        // Horizontal sum of the eight lanes.
        vextractf128 s, acc[0], 1
        vaddps s, s, acc[0].128
        vmovhlps t, t, s
        vaddps s, s, t
        vmovshdup t, s
        vaddss s, s, t
    tail:
        cmp i, n
        jae done
        vmovss t, dword [a.ptr + i*4]
        vfmadd231ss s, t, dword [b.ptr + i*4]
        inc i
        jmp tail
    done:
        vzeroupper
        return s
    }
    amd64! {
        let acc: xmm, v: xmm, t: xmm, n: gp64, i: gp64, end: gp64
        mov n, a.len
        cmp n, b.len
        cmova n, b.len
        xorps acc, acc
        xor i, i
    wide:
        lea end, [i + 4]
        cmp end, n
        ja narrow
        movups v, xmmword [a.ptr + i*4]
        movups t, xmmword [b.ptr + i*4]
        mulps v, t
        addps acc, v
        mov i, end
        jmp wide
    narrow:
        movhlps t, acc
        addps acc, t
        movaps t, acc
        shufps t, t, 0x55
        addss acc, t
    tail:
        cmp i, n
        jae done
        movss t, dword [a.ptr + i*4]
        mulss t, dword [b.ptr + i*4]
        addss acc, t
        inc i
        jmp tail
    done:
        return acc
    }
    arm64! {
        // Four accumulators hide the fmla latency: 16 floats per iteration.
        const K = 4
        let acc[K]: v, t: v, u: v, s: v, n: x, i: x, end: x
        mov n, a.len
        cmp n, b.len
        csel n, n, b.len, ls
        for k in 0..K {
            eor acc[k].16b, acc[k].16b, acc[k].16b
        }
        mov i, xzr
    wide:
        add end, i, #4*K
        cmp end, n
        b.hi four
        for k in 0..K {
            ldr t.q, [a.ptr], #16
            ldr u.q, [b.ptr], #16
            fmla acc[k].4s, t.4s, u.4s
        }
        mov i, end
        b wide
    four:
        add end, i, #4
        cmp end, n
        b.hi narrow
        ldr t.q, [a.ptr], #16
        ldr u.q, [b.ptr], #16
        fmla acc[0].4s, t.4s, u.4s
        mov i, end
        b four
    narrow:
        for k in 1..K {
            fadd acc[0].4s, acc[0].4s, acc[k].4s
        }
        faddp acc[0].4s, acc[0].4s, acc[0].4s
        faddp acc[0].4s, acc[0].4s, acc[0].4s
        mov s.16b, acc[0].16b
    tail:
        cmp i, n
        b.hs done
        ldr t.s, [a.ptr], #4
        ldr u.s, [b.ptr], #4
        fmadd s.s, t.s, u.s, s.s
        add i, i, #1
        b tail
    done:
        return s
    }
    go! {
        n := len(a)
        if len(b) < n {
            n = len(b)
        }
        var s float32
        for i := 0; i < n; i++ {
            s += a[i] * b[i]
        }
        return s
    }
}
