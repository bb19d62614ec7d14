//! Every row of the type table that the other examples leave out, passed through.

use go_asm::go_asm;

/// Widen sums arguments of every integer width as an int64; narrow ones arrive
/// zero- or sign-extended. The seventh travels on the stack in the SysV ABI.
#[go_asm]
pub fn widen(a: i8, b: i16, c: i32, d: i64, e: u8, f: u16, h: u32) -> i64 {
    amd64! {
        add a, b
        add a, c
        add a, d
        add a, e
        add a, f
        add a, h
        return a
    }
    arm64! {
        add a, a, b
        add a, a, c
        add a, a, d
        add a, a, e
        add a, a, f
        add a, a, h
        return a
    }
    go! {
        return int64(a) + int64(b) + int64(c) + d + int64(e) + int64(f) + int64(h)
    }
}

/// Choose returns a if flag is set, else b.
#[go_asm]
pub fn choose(flag: bool, a: usize, b: isize) -> isize {
    amd64! {
        test flag, flag
        cmovnz b, a
        return b
    }
    arm64! {
        cmp flag, #0
        csel b, a, b, ne
        return b
    }
    go! {
        if flag {
            return int(a)
        }
        return b
    }
}

/// IsEven reports whether x is even.
#[go_asm]
pub fn is_even(x: u64) -> bool {
    amd64! {
        let r: gp64
        xor r, r
        test x.8, 1
        sete r.8
        return r
    }
    arm64! {
        let r: x
        tst x, #1
        cset r, eq
        return r
    }
    go! {
        return x%2 == 0
    }
}

/// Scale returns x * y in float64.
#[go_asm]
pub fn scale(x: f64, y: f32) -> f64 {
    amd64! {
        let t: xmm
        cvtss2sd t, y
        mulsd x, t
        return x
    }
    arm64! {
        let t: v
        fcvt t.d, y.s
        fmul x.d, x.d, t.d
        return x
    }
    go! {
        return x * float64(y)
    }
}

/// Ends returns a[0] + a[3] of an array passed by value.
#[go_asm]
pub fn ends(a: [u32; 4]) -> u32 {
    amd64! {
        let s: gp32
        mov s, dword [a]
        add s, dword [a + 12]
        return s.64
    }
    arm64! {
        let s: w, t: w
        ldr s, [a]
        ldr t, [a, #12]
        add s, s, t
        return s.x
    }
    go! {
        return a[0] + a[3]
    }
}

/// Bump adds grid[1][3] to state[4] and returns state[0]: pointers to arrays,
/// nested ones included (a hash's state is a *[5]uint32).
#[go_asm]
pub fn bump(state: &mut [u32; 5], grid: &[[u32; 4]; 2]) -> u32 {
    amd64! {
        let t: gp32
        mov t, dword [grid + 28]
        add dword [state + 16], t
        mov t, dword [state]
        return t.64
    }
    arm64! {
        let t: w, u: w
        ldr t, [grid, #28]
        ldr u, [state, #16]
        add u, u, t
        str u, [state, #16]
        ldr t, [state]
        return t.x
    }
    go! {
        state[4] += grid[1][3]
        return state[0]
    }
}

/// Store writes v through p.
#[go_asm]
pub fn store(p: &mut u64, v: u64) {
    amd64! {
        mov qword [p], v
    }
    arm64! {
        str v, [p]
    }
    go! {
        *p = v
    }
}

/// Fill sets every byte of b to v and returns len(b).
#[go_asm]
pub fn fill(b: &mut [u8], v: u8) -> usize {
    amd64! {
        let n: gp64
        mov n, b.len
        test n, n
        jz done
    next:
        mov byte [b.ptr], v.8
        inc b.ptr
        dec b.len
        jnz next
    done:
        return n
    }
    arm64! {
        let n: x
        mov n, b.len
        cbz n, done
    next:
        strb v.w, [b.ptr], #1
        subs b.len, b.len, #1
        b.ne next
    done:
        return n
    }
    go! {
        for i := range b {
            b[i] = v
        }
        return uintptr(len(b))
    }
}

/// Offset returns p advanced by i elements.
///
/// # Safety
///
/// The result must stay inside the allocation p points into.
#[go_asm]
pub unsafe fn offset(p: *const u64, i: usize) -> *const u64 {
    amd64! {
        lea p, [p + i*8]
        return p
    }
    arm64! {
        add p, p, i, lsl #3
        return p
    }
    go! {
        import "unsafe"
        return (*uint64)(unsafe.Add(unsafe.Pointer(p), i*8))
    }
}

/// Swap exchanges *p and *q.
///
/// # Safety
///
/// p and q must be valid for reads and writes.
#[go_asm]
pub unsafe fn swap(p: *mut u64, q: *mut u64) {
    amd64! {
        let a: gp64, b: gp64
        mov a, qword [p]
        mov b, qword [q]
        mov qword [p], b
        mov qword [q], a
    }
    arm64! {
        let a: x, b: x
        ldr a, [p]
        ldr b, [q]
        str b, [p]
        str a, [q]
    }
    go! {
        *p, *q = *q, *p
    }
}

/// AddCarry returns a + b + cin and whether it carried out, as named results.
#[go_asm(results(sum, carry))]
pub fn add_carry(a: u64, b: u64, cin: bool) -> (u64, bool) {
    amd64! {
        let c: gp64
        xor c, c
        add a, b
        setc c.8
        add a, cin
        adc c, 0
        return a, c
    }
    arm64! {
        let c: x
        adds a, a, b
        cset c, cs
        adds a, a, cin
        cinc c, c, cs
        return a, c
    }
    go! {
        import "math/bits"
        var in uint64
        if cin {
            in = 1
        }
        var out uint64
        sum, out = bits.Add64(a, b, in)
        carry = out != 0
        return
    }
}

/// Second returns c + b, ignoring its unnamed parameters, which keep their
/// places in the frame and the C argument registers (a callback's shape).
#[go_asm]
pub fn second(_: u64, b: u32, _: &[u8], c: f64, _: bool) -> f64 {
    amd64! {
        let t: xmm
        cvtsi2sd t, b
        addsd c, t
        return c
    }
    arm64! {
        let t: v
        ucvtf t.d, b
        fadd c.d, c.d, t.d
        return c
    }
    go! {
        return c + float64(b)
    }
}
