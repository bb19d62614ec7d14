//! UTF-8 validation with SIMD lookups (Keiser and Lemire, "Validating UTF-8 In
//! Less Than One Instruction Per Byte", 2021): each byte and the one before it
//! index three 16-entry tables by nibble (`vpshufb` on amd64, `tbl` on arm64);
//! the three lookups ANDed together flag every error of a two-byte window (too
//! short, too long, overlong, surrogate, too large, two continuations), and the
//! third and fourth bytes of longer sequences are checked against the bytes two
//! and three back. Blocks of ASCII skip the lookups (on amd64, 128 bytes at a
//! time, else four blocks through a repetition). The last partial block is
//! copied into a zeroed stack local aligned for an aligned load, so a sequence
//! cut off at the end meets a zero byte and is an error like any other.

use go_asm::go_asm;

/// Valid reports whether p is entirely valid UTF-8, as unicode/utf8.Valid does.
/// On amd64 it uses AVX2 where the CPU has it (Go falls back to utf8.Valid
/// elsewhere); on arm64 NEON, 16 bytes at a time.
///
/// # Safety
///
/// On x86-64 the CPU must have `avx2`: the Rust wrapper has no fallback there.
#[go_asm]
pub unsafe fn valid(p: &[u8]) -> bool {
    // Error bits of a two-byte window, as the paper names them: TOO_SHORT 0x01,
    // TOO_LONG 0x02, OVERLONG_3 0x04, TOO_LARGE 0x08, SURROGATE 0x10,
    // OVERLONG_2 0x20, TOO_LARGE_1000 and OVERLONG_4 0x40, TWO_CONTS 0x80.
    // Indexed by the high nibble of the first byte (each table twice: one copy
    // per 128-bit lane of a ymm register; arm64 reads the first).
    const BYTE_1_HIGH: [u8; 32] = [
        0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x80, 0x80, 0x80, 0x80, 0x21, 0x01, 0x15,
        0x49, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x80, 0x80, 0x80, 0x80, 0x21, 0x01,
        0x15, 0x49,
    ];
    // By the low nibble of the first byte.
    const BYTE_1_LOW: [u8; 32] = [
        0xe7, 0xa3, 0x83, 0x83, 0x8b, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xdb, 0xcb,
        0xcb, 0xe7, 0xa3, 0x83, 0x83, 0x8b, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xcb, 0xdb,
        0xcb, 0xcb,
    ];
    // By the high nibble of the second byte.
    const BYTE_2_HIGH: [u8; 32] = [
        0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0xe6, 0xae, 0xba, 0xba, 0x01, 0x01, 0x01,
        0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0xe6, 0xae, 0xba, 0xba, 0x01, 0x01,
        0x01, 0x01,
    ];
    // amd64 constants, 32 bytes each: the low-nibble mask; what a third byte's
    // and a fourth byte's lead exceed 0x7f by after a saturating subtraction;
    // the top bit; and the largest last three bytes of a block that end no
    // sequence early (0xef, 0xdf, 0xbf).
    const CONSTS: [u8; 160] = [
        0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
        0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
        0x0f, 0x0f, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60,
        0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60, 0x60,
        0x60, 0x60, 0x60, 0x60, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70,
        0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x70,
        0x70, 0x70, 0x70, 0x70, 0x70, 0x70, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0xdf, 0xbf,
    ];
    #[features(avx2)]
    amd64! {
        let x: ymm, prev: ymm, err: ymm, inc: ymm
        let t1h: ymm, t1l: ymm, t2h: ymm, m0f: ymm
        let p1: ymm, p2: ymm, p3: ymm, h: ymm, l: ymm
        let n: gp64, i: gp64, j: gp64, k: gp64, b: gp64, mask: gp32, ok: gp64
        // The last partial block, zero-padded, for an aligned load.
        let tail: stack[32] align 32
        // One 32-byte block in x after prev: errors into err, whether x ends in
        // the middle of a sequence into inc.
        macro check(x) {
            vpmovmskb mask, x
            test mask, mask
            jnz lookup
            // ASCII: only a sequence the previous block left open is an error.
            vpor err, err, inc
            vpxor inc, inc, inc
            jmp checked
        lookup:
            // The block shifted by one, two and three bytes, the previous
            // block's last bytes shifted in.
            vperm2i128 p1, prev, x, 0x21
            vpalignr p3, x, p1, 13
            vpalignr p2, x, p1, 14
            vpalignr p1, x, p1, 15
            vpsrlw h, p1, 4
            vpand h, h, m0f
            vpshufb h, t1h, h
            vpand l, p1, m0f
            vpshufb l, t1l, l
            vpand h, h, l
            vpsrlw l, x, 4
            vpand l, l, m0f
            vpshufb l, t2h, l
            vpand h, h, l
            // A third or fourth byte must be a continuation, and then two
            // continuations in a row are fine.
            vpsubusb p2, p2, ymmword [CONSTS + 32]
            vpsubusb p3, p3, ymmword [CONSTS + 64]
            vpor p2, p2, p3
            vpand p2, p2, ymmword [CONSTS + 96]
            vpxor p2, p2, h
            vpor err, err, p2
            vpsubusb inc, x, ymmword [CONSTS + 128]
        checked:
            vmovdqa prev, x
        }
        vmovdqu t1h, ymmword [BYTE_1_HIGH]
        vmovdqu t1l, ymmword [BYTE_1_LOW]
        vmovdqu t2h, ymmword [BYTE_2_HIGH]
        vmovdqu m0f, ymmword [CONSTS]
        vpxor prev, prev, prev
        vpxor err, err, err
        vpxor inc, inc, inc
        mov n, p.len
        and n, -32
        xor i, i
    wide:
        // 128 bytes at a time: all ASCII at once, or four blocks.
        lea j, [i + 128]
        cmp j, n
        ja narrow
        vmovdqu x, ymmword [p.ptr + i + 96]
        vpor h, x, ymmword [p.ptr + i]
        vpor h, h, ymmword [p.ptr + i + 32]
        vpor h, h, ymmword [p.ptr + i + 64]
        vpmovmskb mask, h
        test mask, mask
        jnz blocks
        vpor err, err, inc
        vpxor inc, inc, inc
        vmovdqa prev, x
        mov i, j
        jmp wide
    blocks:
        for k in 0..4 {
            vmovdqu x, ymmword [p.ptr + i + 32*k]
            check!(x)
        }
        mov i, j
        jmp wide
    narrow:
        cmp i, n
        jae last
        vmovdqu x, ymmword [p.ptr + i]
        check!(x)
        add i, 32
        jmp narrow
    last:
        // The remaining 0 to 31 bytes, then zeros.
        vpxor x, x, x
        vmovdqa ymmword [tail], x
        mov k, p.len
        sub k, n
        xor j, j
        test k, k
        jz copied
    copy:
        movzx b.32, byte [p.ptr + i]
        mov byte [tail + j], b.8
        inc i
        inc j
        cmp j, k
        jb copy
    copied:
        vmovdqa x, ymmword [tail]
        check!(x)
        xor ok, ok
        vptest err, err
        setz ok.8
        vzeroupper
        return ok
    }
    arm64! {
        let x: v, prev: v, err: v, inc: v
        let t1h: v, t1l: v, t2h: v, m0f: v, c60: v, c70: v, c80: v, maxv: v
        let p1: v, p2: v, p3: v, h: v, l: v
        let n: x, i: x, j: x, k: x, b: x, t: x, ok: x
        let tail: stack[16] align 16
        // One 16-byte block in x after prev, as on amd64.
        macro check(x) {
            umaxv h.b, x.16b
            umov t.w, h.b[0]
            tbnz t.w, #7, lookup
            orr err.16b, err.16b, inc.16b
            movi inc.16b, #0
            b checked
        lookup:
            ext p1.16b, prev.16b, x.16b, #15
            ext p2.16b, prev.16b, x.16b, #14
            ext p3.16b, prev.16b, x.16b, #13
            ushr h.16b, p1.16b, #4
            tbl h.16b, {t1h.16b}, h.16b
            and l.16b, p1.16b, m0f.16b
            tbl l.16b, {t1l.16b}, l.16b
            and h.16b, h.16b, l.16b
            ushr l.16b, x.16b, #4
            tbl l.16b, {t2h.16b}, l.16b
            and h.16b, h.16b, l.16b
            uqsub p2.16b, p2.16b, c60.16b
            uqsub p3.16b, p3.16b, c70.16b
            orr p2.16b, p2.16b, p3.16b
            and p2.16b, p2.16b, c80.16b
            eor p2.16b, p2.16b, h.16b
            orr err.16b, err.16b, p2.16b
            uqsub inc.16b, x.16b, maxv.16b
        checked:
            mov prev.16b, x.16b
        }
        adr t, BYTE_1_HIGH
        ldr t1h.q, [t]
        adr t, BYTE_1_LOW
        ldr t1l.q, [t]
        adr t, BYTE_2_HIGH
        ldr t2h.q, [t]
        // The last 16 bytes of the block-end limits.
        adr t, CONSTS + 144
        ldr maxv.q, [t]
        movi m0f.16b, #0x0f
        movi c60.16b, #0x60
        movi c70.16b, #0x70
        movi c80.16b, #0x80
        movi prev.16b, #0
        movi err.16b, #0
        movi inc.16b, #0
        and n, p.len, #-16
        mov i, xzr
        cbz n, last
    block:
        ldr x.q, [p.ptr, i]
        check!(x)
        add i, i, #16
        cmp i, n
        b.lo block
    last:
        // The remaining 0 to 15 bytes, then zeros.
        stp xzr, xzr, [tail]
        sub k, p.len, n
        mov j, xzr
        cbz k, copied
    copy:
        ldrb b.w, [p.ptr, i]
        strb b.w, [tail, j]
        add i, i, #1
        add j, j, #1
        cmp j, k
        b.lo copy
    copied:
        ldr x.q, [tail]
        check!(x)
        umaxv h.b, err.16b
        umov t.w, h.b[0]
        cmp t.w, #0
        cset ok, eq
        return ok
    }
    go! {
        import "unicode/utf8"
        return utf8.Valid(p)
    }
}
