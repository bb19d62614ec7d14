//! A package routed through native `.syso` objects (build.rs asks for it with
//! `Package::syso`): on the routed platforms Go calls the very machine code the
//! Rust crate links, through the build step's typed trampolines; elsewhere the
//! same package uses its Go assembly or its fallback.
//!
//! The functions cover the routed type rows: integers of every width, bool, floats,
//! slices and strings, a data table (resolved inside the object), stack arguments
//! (three slices are nine integer arguments), callee-saved registers (a non-empty
//! exact frame) and both kinds of result pair (Win64 returns them through a
//! hidden pointer).

use go_asm::go_asm;

/// Mix returns (a ^ b>>7) * 0x9E3779B97F4A7C15 + b: the function the call
/// benchmarks measure.
#[go_asm]
pub fn mix(a: u64, b: u64) -> u64 {
    amd64! {
        let t: gp64, k: gp64
        mov t, b
        shr t, 7
        xor a, t
        mov k, 0x9E3779B97F4A7C15
        imul a, k
        add a, b
        return a
    }
    arm64! {
        let k: x
        eor a, a, b, lsr #7
        mov k, #0x9E3779B97F4A7C15
        mul a, a, k
        add a, a, b
        return a
    }
    go! {
        return (a^(b>>7))*0x9E3779B97F4A7C15 + b
    }
}

/// MixSaved is Mix computed in callee-saved registers, so the native function
/// saves and restores them on the stack: its trampoline frame is not empty.
#[go_asm]
pub fn mix_saved(a: u64, b: u64) -> u64 {
    amd64! {
        mov rbx, b
        shr rbx, 7
        xor rbx, a
        mov r12, 0x9E3779B97F4A7C15
        imul rbx, r12
        add rbx, b
        return rbx
    }
    arm64! {
        eor x19, a, b, lsr #7
        mov x20, #0x9E3779B97F4A7C15
        mul x19, x19, x20
        add x19, x19, b
        return x19
    }
    go! {
        return (a^(b>>7))*0x9E3779B97F4A7C15 + b
    }
}

/// SumU32 returns the sum of xs, widened to 64 bits.
#[go_asm]
pub fn sum_u32(xs: &[u32]) -> u64 {
    amd64! {
        let total: gp64, v: gp64
        xor total, total
        test xs.len, xs.len
        jz done
    next:
        mov v.32, dword [xs.ptr]
        add total, v
        add xs.ptr, 4
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
        ldr v.w, [xs.ptr], #4
        add total, total, v
        subs xs.len, xs.len, #1
        b.ne next
    done:
        return total
    }
    go! {
        var total uint64
        for _, x := range xs {
            total += uint64(x)
        }
        return total
    }
}

/// Tally returns how many bytes of s equal c.
#[go_asm]
pub fn tally(s: &str, c: u8) -> u32 {
    amd64! {
        let n: gp64, hit: gp64
        xor n, n
        test s.len, s.len
        jz done
    next:
        xor hit, hit
        cmp byte [s.ptr], c.8
        sete hit.8
        add n, hit
        inc s.ptr
        dec s.len
        jnz next
    done:
        return n
    }
    arm64! {
        let n: x, ch: x
        mov n, xzr
        cbz s.len, done
    next:
        ldrb ch.w, [s.ptr], #1
        cmp ch.w, c.w
        cinc n, n, eq
        subs s.len, s.len, #1
        b.ne next
    done:
        return n
    }
    go! {
        var n uint32
        for i := 0; i < len(s); i++ {
            if s[i] == c {
                n++
            }
        }
        return n
    }
}

/// HexDigit returns the lower-case hexadecimal digit of v's low four bits, from
/// a table.
#[go_asm]
pub fn hex_digit(v: u8) -> u8 {
    // "0123456789abcdef"
    const DIGITS: [u8; 16] = [
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65,
        0x66,
    ];
    amd64! {
        let table: gp64
        lea table, [DIGITS]
        and v, 15
        movzx v.32, byte [table + v]
        return v
    }
    arm64! {
        let table: x
        adr table, DIGITS
        and v, v, #15
        ldrb v.w, [table, v]
        return v
    }
    go! {
        return "0123456789abcdef"[v&15]
    }
}

/// ScaleBy returns x * k, negated when neg is set.
#[go_asm]
pub fn scale_by(x: f64, k: i16, neg: bool) -> f64 {
    amd64! {
        let t: xmm, sign: gp64
        cvtsi2sd t, k
        mulsd x, t
        test neg, neg
        jz done
        mov sign, 0x8000000000000000
        movq t, sign
        xorpd x, t
    done:
        return x
    }
    arm64! {
        let t: v
        scvtf t.d, k
        fmul x.d, x.d, t.d
        cbz neg, done
        fneg x.d, x.d
    done:
        return x
    }
    go! {
        r := x * float64(k)
        if neg {
            r = -r
        }
        return r
    }
}

/// LenSum returns len(a) + len(b) + len(c) + cap(c): nine integer arguments,
/// so some arrive on the stack.
#[go_asm]
pub fn len_sum(a: &[u64], b: &[u32], c: &[u8]) -> u64 {
    amd64! {
        add a.len, b.len
        add a.len, c.len
        add a.len, c.cap
        return a.len
    }
    arm64! {
        add a.len, a.len, b.len
        add a.len, a.len, c.len
        add a.len, a.len, c.cap
        return a.len
    }
    go! {
        return uint64(len(a) + len(b) + len(c) + cap(c))
    }
}

/// MulWide returns the 128-bit product of a and b as (hi, lo).
#[go_asm]
pub fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    amd64! {
        mov rax, a
        mul b
        return rdx, rax
    }
    arm64! {
        let high: x, low: x
        umulh high, a, b
        mul low, a, b
        return high, low
    }
    go! {
        import "math/bits"
        return bits.Mul64(a, b)
    }
}

/// SplitBits returns x's IEEE 754 bits and 2x: a pair of an integer and a float.
#[go_asm]
pub fn split_bits(x: f64) -> (u64, f64) {
    amd64! {
        let bits: gp64
        movq bits, x
        addsd x, x
        return bits, x
    }
    arm64! {
        let bits: x
        fmov bits, x.d
        fadd x.d, x.d, x.d
        return bits, x
    }
    go! {
        import "math"
        return math.Float64bits(x), x + x
    }
}

/// PopCount returns the number of set bits in x: POPCNT where the CPU has it.
#[go_asm]
pub fn pop_count(x: u64) -> u64 {
    #[features(popcnt)]
    amd64! {
        popcnt x, x
        return x
    }
    amd64! {
        let n: gp64
        xor n, n
    top:
        test x, x
        jz done
        inc n
        lea rax, [x - 1]
        and x, rax
        jmp top
    done:
        return n
    }
    arm64! {
        let v: v
        fmov v.d, x
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
