//! Every row of the type table that the other examples leave out, passed through.

use go_asm::go_asm;
use std::ffi::c_void;

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

/// Transpose returns m's transpose: arrays of arrays by value, in and out.
#[go_asm]
pub fn transpose(m: [[u32; 3]; 2]) -> [[u32; 2]; 3] {
    amd64! {
        let t: gp32
        for i in 0..2 {
            for j in 0..3 {
                mov t, dword [m + i*12 + j*4]
                mov dword [ret + j*8 + i*4], t
            }
        }
    }
    arm64! {
        let t: w
        for i in 0..2 {
            for j in 0..3 {
                ldr t, [m, #i*12 + j*4]
                str t, [ret, #j*8 + i*4]
            }
        }
    }
    go! {
        var t [3][2]uint32
        for i := range m {
            for j := range m[i] {
                t[j][i] = m[i][j]
            }
        }
        return t
    }
}

/// Bools returns the bits of x as booleans, lowest first, and how many are set.
#[go_asm]
pub fn bools(x: u8) -> ([bool; 8], u32) {
    amd64! {
        let t: gp32, n: gp32
        xor n, n
        for i in 0..8 {
            mov t, x.32
            shr t, i
            and t, 1
            add n, t
            mov byte [ret + i], t.8
        }
        return n.64
    }
    arm64! {
        let t: w, n: w
        mov n, wzr
        for i in 0..8 {
            ubfx t, x.w, #i, #1
            add n, n, t
            strb t, [ret, #i]
        }
        return n.x
    }
    go! {
        var r [8]bool
        var n uint32
        for i := range r {
            r[i] = x>>i&1 != 0
            if r[i] {
                n++
            }
        }
        return r, n
    }
}

/// Axpy2 returns a*x + y for two float64 lanes (rounded after the product).
#[go_asm]
pub fn axpy2(a: f64, x: [f64; 2], y: [f64; 2]) -> [f64; 2] {
    amd64! {
        let t: xmm
        for i in 0..2 {
            movsd t, qword [x + i*8]
            mulsd t, a
            addsd t, qword [y + i*8]
            movsd qword [ret + i*8], t
        }
    }
    arm64! {
        let t: v, u: v
        for i in 0..2 {
            ldr t.d, [x, #i*8]
            ldr u.d, [y, #i*8]
            fmul t.d, t.d, a.d
            fadd t.d, t.d, u.d
            str t.d, [ret, #i*8]
        }
    }
    go! {
        var r [2]float64
        for i := range r {
            r[i] = float64(a*x[i]) + y[i]
        }
        return r
    }
}

/// Sum2 returns *ps[0] + *ps[1]: an array of pointers by value.
#[go_asm]
pub fn sum2(ps: [&u64; 2]) -> u64 {
    amd64! {
        let p: gp64, s: gp64
        mov p, qword [ps]
        mov s, qword [p]
        mov p, qword [ps + 8]
        add s, qword [p]
        return s
    }
    arm64! {
        let p: x, s: x, t: x
        ldr p, [ps]
        ldr s, [p]
        ldr p, [ps, #8]
        ldr t, [p]
        add s, s, t
        return s
    }
    go! {
        return *ps[0] + *ps[1]
    }
}

/// Halves returns pointers to both halves of a 16-byte block: an array of
/// pointers as a result.
///
/// # Safety
///
/// p must point at 16 bytes of one allocation.
#[go_asm]
pub unsafe fn halves(p: *const u8) -> [*const u8; 2] {
    amd64! {
        mov qword [ret], p
        add p, 8
        mov qword [ret + 8], p
    }
    arm64! {
        str p, [ret]
        add p, p, #8
        str p, [ret, #8]
    }
    go! {
        import "unsafe"
        return [2]*uint8{p, (*uint8)(unsafe.Add(unsafe.Pointer(p), 8))}
    }
}

/// Split returns the low and the high half of x, as named array results.
#[go_asm(results(lo, hi))]
pub fn split(x: [u64; 4]) -> ([u64; 2], [u64; 2]) {
    amd64! {
        let t: gp64
        for i in 0..2 {
            mov t, qword [x + i*8]
            mov qword [lo + i*8], t
            mov t, qword [x + 16 + i*8]
            mov qword [hi + i*8], t
        }
    }
    arm64! {
        let t: x, u: x
        ldp t, u, [x]
        stp t, u, [lo]
        ldp t, u, [x, #16]
        stp t, u, [hi]
    }
    go! {
        copy(lo[:], x[:2])
        copy(hi[:], x[2:])
        return
    }
}

/// Advance returns p moved n bytes on: `*const c_void` and `*mut c_void` are Go's
/// unsafe.Pointer.
///
/// # Safety
///
/// The result must stay inside the allocation p points into.
#[go_asm]
pub unsafe fn advance(p: *const c_void, n: usize) -> *mut c_void {
    amd64! {
        add p, n
        return p
    }
    arm64! {
        add p, p, n
        return p
    }
    go! {
        return unsafe.Add(p, n)
    }
}

/// Later returns d + by, declared with the package's own Go types (go_type):
/// Duration is an alias of time.Duration, declared in units.go.
#[go_asm(go_type(d = "Duration", by = "Duration", ret = "Duration"))]
pub fn later(d: i64, by: i64) -> i64 {
    amd64! {
        add d, by
        return d
    }
    arm64! {
        add d, d, by
        return d
    }
    go! {
        return d + by
    }
}

/// Warmer returns k + by in the package's Kelvin type (a defined type, units.go).
#[go_asm(go_type(k = "Kelvin", ret = "Kelvin"))]
pub fn warmer(k: u32, by: u32) -> u32 {
    amd64! {
        add k, by
        return k
    }
    arm64! {
        add k.w, k.w, by.w
        return k
    }
    go! {
        return k + Kelvin(by)
    }
}
