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

/// Pair is two uint32s: 8 bytes, one integer register in every C ABI (System V
/// and AAPCS64 pack both fields into it).
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pair {
    pub a: u32,
    pub b: u32,
}

/// Mixed has narrow integers, a float32 and a float64: 16 bytes, in an integer
/// and an SSE register on System V, behind a pointer on Win64, in two x
/// registers on AAPCS64.
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mixed {
    pub flag: bool,
    pub k: i16,
    pub x: f32,
    pub y: f64,
}

/// Vec2 is two float32s: one xmm register on System V, one integer register on
/// Win64, two s registers (a homogeneous aggregate) on AAPCS64.
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Vec2 {
    pub x: f32,
    pub y: f32,
}

/// Big is 32 bytes: in memory on System V, behind a pointer on Win64 and
/// AAPCS64.
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Big {
    pub a: u64,
    pub b: u64,
    pub c: u64,
    pub d: i8,
}

/// Span returns p.B - p.A (a struct by value; wrapping).
#[go_asm]
pub fn span(p: Pair) -> u32 {
    amd64! {
        sub p.b, p.a
        return p.b
    }
    arm64! {
        sub p.b, p.b, p.a
        return p.b
    }
    go! {
        return p.B - p.A
    }
}

/// Weigh returns K plus Flag, and X plus Y as a float64.
#[go_asm]
pub fn weigh(m: Mixed) -> (i64, f64) {
    amd64! {
        let t: xmm
        add m.k, m.flag
        cvtss2sd t, m.x
        addsd t, m.y
        return m.k, t
    }
    arm64! {
        let t: v
        add m.k, m.k, m.flag
        fcvt t.d, m.x.s
        fadd t.d, t.d, m.y.d
        return m.k, t
    }
    go! {
        k := int64(m.K)
        if m.Flag {
            k++
        }
        return k, float64(m.X) + m.Y
    }
}

/// Norm2 returns v.X*v.X + v.Y*v.Y.
#[go_asm]
pub fn norm2(v: Vec2) -> f32 {
    amd64! {
        mulss v.x, v.x
        mulss v.y, v.y
        addss v.x, v.y
        return v.x
    }
    arm64! {
        fmul v.x.s, v.x.s, v.x.s
        fmul v.y.s, v.y.s, v.y.s
        fadd v.x.s, v.x.s, v.y.s
        return v.x
    }
    go! {
        // The conversions keep Go from fusing the multiply and add (as the blocks).
        return float32(v.X*v.X) + float32(v.Y*v.Y)
    }
}

/// BigSum returns b.A + b.B + b.C + b.D + extra (wrapping; D sign-extended).
#[go_asm]
pub fn big_sum(b: Big, extra: u64) -> u64 {
    amd64! {
        add extra, b.a
        add extra, b.b
        add extra, b.c
        add extra, b.d
        return extra
    }
    arm64! {
        add extra, extra, b.a
        add extra, extra, b.b
        add extra, extra, b.c
        add extra, extra, b.d
        return extra
    }
    go! {
        return extra + b.A + b.B + b.C + uint64(b.D)
    }
}

/// Cmul returns the real and imaginary parts of a * b.
#[go_asm]
pub fn cmul(a: go_asm::Complex128, b: go_asm::Complex128) -> (f64, f64) {
    amd64! {
        let re: xmm, im: xmm, t: xmm
        movapd re, a.re
        mulsd re, b.re
        movapd t, a.im
        mulsd t, b.im
        subsd re, t
        movapd im, a.re
        mulsd im, b.im
        mulsd a.im, b.re
        addsd im, a.im
        return re, im
    }
    arm64! {
        let re: v, im: v, t: v
        fmul re.d, a.re.d, b.re.d
        fmul t.d, a.im.d, b.im.d
        fsub re.d, re.d, t.d
        fmul im.d, a.re.d, b.im.d
        fmul t.d, a.im.d, b.re.d
        fadd im.d, im.d, t.d
        return re, im
    }
    go! {
        ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
        return float64(ar*br) - float64(ai*bi), float64(ar*bi) + float64(ai*br)
    }
}

/// Cabs2 returns |c|² of a complex64.
#[go_asm]
pub fn cabs2(c: go_asm::Complex64) -> f32 {
    amd64! {
        mulss c.re, c.re
        mulss c.im, c.im
        addss c.re, c.im
        return c.re
    }
    arm64! {
        fmul c.re.s, c.re.s, c.re.s
        fmul c.im.s, c.im.s, c.im.s
        fadd c.re.s, c.re.s, c.im.s
        return c.re
    }
    go! {
        return float32(real(c)*real(c)) + float32(imag(c)*imag(c))
    }
}

/// Swapped returns p with its fields exchanged: a struct result packed into one
/// integer register (rax, x0).
#[go_asm]
pub fn swapped(p: Pair) -> Pair {
    amd64! {
        return p.b, p.a
    }
    arm64! {
        return p.b, p.a
    }
    go! {
        return Pair{A: p.B, B: p.A}
    }
}

/// Midpoint returns the point halfway between a and b: on System V both
/// float32s come back in xmm0, on Win64 in rax, on AAPCS64 in s0 and s1.
#[go_asm]
pub fn midpoint(a: Vec2, b: Vec2) -> Vec2 {
    amd64! {
        let half: xmm, t: gp32
        mov t, 0x3f000000
        movd half, t
        addss a.x, b.x
        mulss a.x, half
        addss a.y, b.y
        mulss a.y, half
        return a.x, a.y
    }
    arm64! {
        let half: v
        fmov half.s, #0.5
        fadd a.x.s, a.x.s, b.x.s
        fmul a.x.s, a.x.s, half.s
        fadd a.y.s, a.y.s, b.y.s
        fmul a.y.s, a.y.s, half.s
        return a.x, a.y
    }
    go! {
        return Vec2{X: (a.X + b.X) * 0.5, Y: (a.Y + b.Y) * 0.5}
    }
}

/// Nudged returns m with K incremented (wrapping) and Y doubled: an integer and
/// an SSE eightbyte on System V, memory on Win64, x0 and x1 on AAPCS64.
#[go_asm]
pub fn nudged(m: Mixed) -> Mixed {
    amd64! {
        inc m.k
        addsd m.y, m.y
        return m.flag, m.k, m.x, m.y
    }
    arm64! {
        add m.k, m.k, #1
        fadd m.y.d, m.y.d, m.y.d
        return m.flag, m.k, m.x, m.y
    }
    go! {
        return Mixed{Flag: m.Flag, K: m.K + 1, X: m.X, Y: m.Y + m.Y}
    }
}

/// Rotated returns Big{b.C, b.A, b.B, -b.D} (wrapping): a struct result in
/// memory in every C ABI.
#[go_asm]
pub fn rotated(b: Big) -> Big {
    amd64! {
        neg b.d
        return b.c, b.a, b.b, b.d
    }
    arm64! {
        neg b.d, b.d
        return b.c, b.a, b.b, b.d
    }
    go! {
        return Big{A: b.C, B: b.A, C: b.B, D: -b.D}
    }
}

/// Conj returns the complex conjugate of c.
#[go_asm]
pub fn conj(c: go_asm::Complex128) -> go_asm::Complex128 {
    amd64! {
        let sign: xmm, m: gp64
        mov m, 0x8000000000000000
        movq sign, m
        xorpd c.im, sign
        return c.re, c.im
    }
    arm64! {
        fneg c.im.d, c.im.d
        return c.re, c.im
    }
    go! {
        return complex(real(c), -imag(c))
    }
}

/// Cscale returns c scaled by k.
#[go_asm]
pub fn cscale(c: go_asm::Complex64, k: f32) -> go_asm::Complex64 {
    amd64! {
        mulss c.re, k
        mulss c.im, k
        return c.re, c.im
    }
    arm64! {
        fmul c.re.s, c.re.s, k.s
        fmul c.im.s, c.im.s, k.s
        return c.re, c.im
    }
    go! {
        return complex(real(c)*k, imag(c)*k)
    }
}

/// Inner is a pair of int32s.
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inner {
    pub lo: i32,
    pub hi: i32,
}

/// Outer nests an Inner, holds arrays of float32s and of Inners, and a pointer:
/// 48 bytes (memory on System V, a pointer to a copy on Win64 and AAPCS64).
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Outer {
    pub tag: u8,
    pub inner: Inner,
    pub w: [f32; 3],
    pub pts: [Inner; 2],
    pub p: *const u64,
}

/// Quad is four float32s in an array field: a homogeneous aggregate (v0-v3) on
/// AAPCS64, two SSE eightbytes on System V.
#[go_asm]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quad {
    pub v: [f32; 4],
}

/// Tally returns Tag + Inner.Lo + Inner.Hi + Pts[0].Lo + Pts[1].Hi + *P, and
/// W[0] + W[1] + W[2]: nested fields, array elements and a pointer field.
///
/// # Safety
///
/// o.p must point at a readable uint64.
#[go_asm]
pub unsafe fn tally(o: Outer) -> (i64, f32) {
    amd64! {
        add o.tag, o.inner.lo
        add o.tag, o.inner.hi
        add o.tag, o.pts[0].lo
        add o.tag, o.pts[1].hi
        add o.tag, qword [o.p]
        addss o.w[0], o.w[1]
        addss o.w[0], o.w[2]
        return o.tag, o.w[0]
    }
    arm64! {
        let t: x
        add o.tag, o.tag, o.inner.lo
        add o.tag, o.tag, o.inner.hi
        add o.tag, o.tag, o.pts[0].lo
        add o.tag, o.tag, o.pts[1].hi
        ldr t, [o.p]
        add o.tag, o.tag, t
        fadd o.w[0].s, o.w[0].s, o.w[1].s
        fadd o.w[0].s, o.w[0].s, o.w[2].s
        return o.tag, o.w[0]
    }
    go! {
        s := int64(o.Tag) + int64(o.Inner.Lo) + int64(o.Inner.Hi) + int64(o.Pts[0].Lo) + int64(o.Pts[1].Hi) + int64(*o.P)
        return s, o.W[0] + o.W[1] + o.W[2]
    }
}

/// Reversed returns q with its elements in reverse order (an array field by
/// value in and out; its elements are reached as q.v[k] in a repetition).
#[go_asm]
pub fn reversed(q: Quad) -> Quad {
    amd64! {
        return q.v[3], q.v[2], q.v[1], q.v[0]
    }
    arm64! {
        let t[4]: v
        for k in 0..4 {
            fmov t[k].s, q.v[3 - k].s
        }
        return t[0], t[1], t[2], t[3]
    }
    go! {
        return Quad{V: [4]float32{q.V[3], q.V[2], q.V[1], q.V[0]}}
    }
}
