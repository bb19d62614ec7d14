//! The ChaCha20 block function (RFC 8439, section 2.3), with the quarter round
//! written once per architecture as a macro shared by the module, and the state
//! as a register array (the allocator spills what does not fit).

use go_asm::go_asm;

#[go_asm]
pub mod block {
    go_asm_macros! {
        const DOUBLE_ROUNDS = 10
        // RFC 8439 2.1: a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; ...
        macro qr_amd64(a, b, c, d) {
            add a, b
            xor d, a
            rol d, 16
            add c, d
            xor b, c
            rol b, 12
            add a, b
            xor d, a
            rol d, 8
            add c, d
            xor b, c
            rol b, 7
        }
        // The same with right rotations (ror by 32 - n).
        macro qr_arm64(a, b, c, d) {
            add a, a, b
            eor d, d, a
            ror d, d, #16
            add c, c, d
            eor b, b, c
            ror b, b, #20
            add a, a, b
            eor d, d, a
            ror d, d, #24
            add c, c, d
            eor b, b, c
            ror b, b, #25
        }
    }

    /// Chacha20Block writes the 16 keystream words of the block at counter for
    /// key and nonce into out and returns 16, or returns 0 when out is shorter.
    #[go_asm]
    pub fn chacha20_block(key: [u32; 8], counter: u32, nonce: [u32; 3], out: &mut [u32]) -> u64 {
        amd64! {
            let x[16]: gp32, n: gp64
            xor n, n
            cmp out.len, 16
            jb done
            mov n, DOUBLE_ROUNDS
            // The state: constants, key, counter, nonce.
            mov x[0], 0x61707865
            mov x[1], 0x3320646e
            mov x[2], 0x79622d32
            mov x[3], 0x6b206574
            for k in 0..8 {
                mov x[4 + k], dword [key + 4*k]
            }
            mov x[12], counter.32
            for k in 0..3 {
                mov x[13 + k], dword [nonce + 4*k]
            }
        rounds:
            for k in 0..4 {
                qr_amd64!(x[k], x[4 + k], x[8 + k], x[12 + k])
            }
            for k in 0..4 {
                qr_amd64!(x[k], x[4 + (k + 1) % 4], x[8 + (k + 2) % 4], x[12 + (k + 3) % 4])
            }
            dec n
            jnz rounds
            // Add the input state back and store.
            add x[0], 0x61707865
            add x[1], 0x3320646e
            add x[2], 0x79622d32
            add x[3], 0x6b206574
            for k in 0..8 {
                add x[4 + k], dword [key + 4*k]
            }
            add x[12], counter.32
            for k in 0..3 {
                add x[13 + k], dword [nonce + 4*k]
            }
            for k in 0..16 {
                mov dword [out.ptr + 4*k], x[k]
            }
            mov n, 16
        done:
            return n
        }
        arm64! {
            let x[16]: w, n: x, t: w
            mov n, xzr
            cmp out.len, #16
            b.lo done
            mov n, #DOUBLE_ROUNDS
            // The state: constants, key, counter, nonce.
            mov x[0], #0x61707865
            mov x[1], #0x3320646e
            mov x[2], #0x79622d32
            mov x[3], #0x6b206574
            for k in 0..8 {
                ldr x[4 + k], [key, #4*k]
            }
            mov x[12], counter.w
            for k in 0..3 {
                ldr x[13 + k], [nonce, #4*k]
            }
        rounds:
            for k in 0..4 {
                qr_arm64!(x[k], x[4 + k], x[8 + k], x[12 + k])
            }
            for k in 0..4 {
                qr_arm64!(x[k], x[4 + (k + 1) % 4], x[8 + (k + 2) % 4], x[12 + (k + 3) % 4])
            }
            subs n, n, #1
            b.ne rounds
            // Add the input state back and store.
            mov t, #0x61707865
            add x[0], x[0], t
            mov t, #0x3320646e
            add x[1], x[1], t
            mov t, #0x79622d32
            add x[2], x[2], t
            mov t, #0x6b206574
            add x[3], x[3], t
            for k in 0..8 {
                ldr t, [key, #4*k]
                add x[4 + k], x[4 + k], t
            }
            add x[12], x[12], counter.w
            for k in 0..3 {
                ldr t, [nonce, #4*k]
                add x[13 + k], x[13 + k], t
            }
            for k in 0..16 {
                str x[k], [out.ptr, #4*k]
            }
            mov n, #16
        done:
            return n
        }
        go! {
            import "math/bits"
            if len(out) < 16 {
                return 0
            }
            x := [16]uint32{0x61707865, 0x3320646e, 0x79622d32, 0x6b206574}
            copy(x[4:12], key[:])
            x[12] = counter
            copy(x[13:16], nonce[:])
            in := x
            qr := func(a, b, c, d int) {
                x[a] += x[b]
                x[d] = bits.RotateLeft32(x[d]^x[a], 16)
                x[c] += x[d]
                x[b] = bits.RotateLeft32(x[b]^x[c], 12)
                x[a] += x[b]
                x[d] = bits.RotateLeft32(x[d]^x[a], 8)
                x[c] += x[d]
                x[b] = bits.RotateLeft32(x[b]^x[c], 7)
            }
            for i := 0; i < 10; i++ {
                qr(0, 4, 8, 12)
                qr(1, 5, 9, 13)
                qr(2, 6, 10, 14)
                qr(3, 7, 11, 15)
                qr(0, 5, 10, 15)
                qr(1, 6, 11, 12)
                qr(2, 7, 8, 13)
                qr(3, 4, 9, 14)
            }
            for i := range x {
                out[i] = x[i] + in[i]
            }
            return 16
        }
    }
}
