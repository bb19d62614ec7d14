//! Every example called through its native object (the `#[go_asm]` wrapper),
//! against plain Rust references.

use go_asm_kernels::{
    add, bits, chacha, count, dot, fields, fnv, lookup, mulfull, search, sum, types,
};
use proptest::prelude::*;

fn fnv_ref(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, &c| {
        (h ^ c as u64).wrapping_mul(0x100000001b3)
    })
}

/// RFC 8439 section 2.3's block function, from the RFC's pseudocode.
fn chacha_ref(key: [u32; 8], counter: u32, nonce: [u32; 3]) -> [u32; 16] {
    let mut s = [0u32; 16];
    s[..4].copy_from_slice(&[0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
    s[4..12].copy_from_slice(&key);
    s[12] = counter;
    s[13..].copy_from_slice(&nonce);
    let mut w = s;
    let q = |w: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize| {
        w[a] = w[a].wrapping_add(w[b]);
        w[d] = (w[d] ^ w[a]).rotate_left(16);
        w[c] = w[c].wrapping_add(w[d]);
        w[b] = (w[b] ^ w[c]).rotate_left(12);
        w[a] = w[a].wrapping_add(w[b]);
        w[d] = (w[d] ^ w[a]).rotate_left(8);
        w[c] = w[c].wrapping_add(w[d]);
        w[b] = (w[b] ^ w[c]).rotate_left(7);
    };
    for _ in 0..10 {
        for (a, b, c, d) in [(0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15)] {
            q(&mut w, a, b, c, d);
        }
        for (a, b, c, d) in [(0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14)] {
            q(&mut w, a, b, c, d);
        }
    }
    for (x, y) in w.iter_mut().zip(s) {
        *x = x.wrapping_add(y);
    }
    w
}

#[test]
fn chacha_rfc8439_vector() {
    let key: [u32; 8] =
        std::array::from_fn(|i| u32::from_le_bytes(std::array::from_fn(|k| (4 * i + k) as u8)));
    let mut out = [0u32; 16];
    assert_eq!(
        chacha::block::chacha20_block(key, 1, [0x09000000, 0x4a000000, 0], &mut out),
        16
    );
    assert_eq!(out[..4], [0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3]);
    assert_eq!(out[12..], [0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2]);
}

fn dot_ref(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn add_matches(x: u64, y: u16) {
        prop_assert_eq!(add::add(x, y), x.wrapping_add(y as u64));
    }

    #[test]
    fn sum_matches(xs in proptest::collection::vec(any::<u64>(), 0..300)) {
        prop_assert_eq!(sum::sum(&xs), xs.iter().fold(0u64, |a, b| a.wrapping_add(*b)));
    }

    #[test]
    fn count_byte_matches(s in ".{0,200}", b: u8) {
        let want = s.bytes().filter(|c| *c == b).count() as u64;
        prop_assert_eq!(count::count_byte(&s, b), want);
        // count_byte64 dispatches (AVX-512 where the CPU has it, SSE2 otherwise);
        // every variant this CPU runs, through the macro's test hook.
        prop_assert_eq!(count::count_byte64(&s, b), want);
        for (k, name, has) in count::__go_asm_count_byte64_variants() {
            if has {
                // SAFETY: the CPU has the variant's features.
                let got = unsafe { count::__go_asm_count_byte64_variant(k, &s, b) };
                prop_assert_eq!(got, want, "{}", name);
            }
        }
    }

    #[test]
    fn field_sum_matches(x: u64, y: u64, z: u64) {
        let p = fields::Point3 { x, y, z };
        prop_assert_eq!(fields::field_sum(&p), x.wrapping_add(y).wrapping_add(z));
    }

    #[test]
    fn fnv_matches(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        prop_assert_eq!(fnv::fnv1a64(&data), fnv_ref(&data));
    }

    #[test]
    fn mul_full_matches(a: u64, b: u64) {
        let p = a as u128 * b as u128;
        prop_assert_eq!(mulfull::mul_full(a, b), ((p >> 64) as u64, p as u64));
    }

    #[test]
    fn pop_count_matches(xs in proptest::collection::vec(any::<u8>(), 0..300)) {
        let want: u64 = xs.iter().map(|x| x.count_ones() as u64).sum();
        prop_assert_eq!(lookup::pop_count(&xs), want);
    }

    #[test]
    fn widen_matches(a: i8, b: i16, c: i32, d: i64, e: u8, f: u16, h: u32) {
        let want = (a as i64).wrapping_add(b as i64).wrapping_add(c as i64).wrapping_add(d)
            .wrapping_add(e as i64).wrapping_add(f as i64).wrapping_add(h as i64);
        prop_assert_eq!(types::widen(a, b, c, d, e, f, h), want);
    }

    #[test]
    fn choose_is_even_scale_ends_match(flag: bool, a: usize, b: isize, x: u64, y: f64, z: f32, arr: [u32; 4]) {
        prop_assert_eq!(types::choose(flag, a, b), if flag { a as isize } else { b });
        prop_assert_eq!(types::is_even(x), x % 2 == 0);
        let want = y * z as f64;
        let got = types::scale(y, z);
        prop_assert!(got == want || (got.is_nan() && want.is_nan()));
        prop_assert_eq!(types::ends(arr), arr[0].wrapping_add(arr[3]));
    }

    #[test]
    fn bump_matches(state: [u32; 5], grid: [[u32; 4]; 2]) {
        let mut got = state;
        let mut want = state;
        want[4] = want[4].wrapping_add(grid[1][3]);
        prop_assert_eq!(types::bump(&mut got, &grid), state[0]);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn pointers_match(v: u64, n in 0usize..100, fillv: u8, i in 0usize..4) {
        let mut cell = 0u64;
        types::store(&mut cell, v);
        prop_assert_eq!(cell, v);
        let mut buf = vec![0u8; n];
        prop_assert_eq!(types::fill(&mut buf, fillv), n);
        prop_assert!(buf.iter().all(|b| *b == fillv));
        let arr = [1u64, 2, 3, 4];
        // SAFETY: i < 4 keeps the pointer inside arr.
        prop_assert_eq!(unsafe { types::offset(arr.as_ptr(), i) }, arr[i..].as_ptr());
        let (mut p, mut q) = (v, !v);
        // SAFETY: both point at live locals.
        unsafe { types::swap(&mut p, &mut q) };
        prop_assert_eq!((p, q), (!v, v));
    }

    #[test]
    fn structs_by_value_match(a: u32, b: u32, flag: bool, k: i16, x: f32, y: f64,
                              big: (u64, u64, u64, i8), extra: u64, c: (f64, f64, f64, f64), z: (f32, f32)) {
        use types::{Big, Mixed, Pair, Vec2};
        prop_assert_eq!(types::span(Pair { a, b }), b.wrapping_sub(a));
        let (gk, gf) = types::weigh(Mixed { flag, k, x, y });
        let wf = x as f64 + y;
        prop_assert_eq!(gk, k as i64 + flag as i64);
        prop_assert!(gf.to_bits() == wf.to_bits() || (gf.is_nan() && wf.is_nan()));
        let n = types::norm2(Vec2 { x: z.0, y: z.1 });
        let wn = z.0 * z.0 + z.1 * z.1;
        prop_assert!(n.to_bits() == wn.to_bits() || (n.is_nan() && wn.is_nan()));
        let (ba, bb, bc, bd) = big;
        prop_assert_eq!(
            types::big_sum(Big { a: ba, b: bb, c: bc, d: bd }, extra),
            extra.wrapping_add(ba).wrapping_add(bb).wrapping_add(bc).wrapping_add(bd as i64 as u64)
        );
        let (p, q) = (go_asm::Complex128 { re: c.0, im: c.1 }, go_asm::Complex128 { re: c.2, im: c.3 });
        let (re, im) = types::cmul(p, q);
        let (wr, wi) = (c.0 * c.2 - c.1 * c.3, c.0 * c.3 + c.1 * c.2);
        prop_assert!(re.to_bits() == wr.to_bits() || (re.is_nan() && wr.is_nan()));
        prop_assert!(im.to_bits() == wi.to_bits() || (im.is_nan() && wi.is_nan()));
        let g = types::cabs2(go_asm::Complex64 { re: z.0, im: z.1 });
        prop_assert!(g.to_bits() == wn.to_bits() || (g.is_nan() && wn.is_nan()));
    }

    #[test]
    fn struct_results_match(a: u32, b: u32, flag: bool, k: i16, x: f32, y: f64,
                            big: (u64, u64, u64, i8), v: (f32, f32, f32, f32), c: (f64, f64), s: f32) {
        use types::{Big, Mixed, Pair, Vec2};
        prop_assert_eq!(types::swapped(Pair { a, b }), Pair { a: b, b: a });
        let (p, q) = (Vec2 { x: v.0, y: v.1 }, Vec2 { x: v.2, y: v.3 });
        let m = types::midpoint(p, q);
        let want = Vec2 { x: (v.0 + v.2) * 0.5, y: (v.1 + v.3) * 0.5 };
        prop_assert_eq!((m.x.to_bits(), m.y.to_bits()), (want.x.to_bits(), want.y.to_bits()));
        let n = types::nudged(Mixed { flag, k, x, y });
        prop_assert_eq!((n.flag, n.k, n.x.to_bits(), n.y.to_bits()),
                        (flag, k.wrapping_add(1), x.to_bits(), (y + y).to_bits()));
        let (ba, bb, bc, bd) = big;
        prop_assert_eq!(types::rotated(Big { a: ba, b: bb, c: bc, d: bd }),
                        Big { a: bc, b: ba, c: bb, d: bd.wrapping_neg() });
        let z = types::conj(go_asm::Complex128 { re: c.0, im: c.1 });
        prop_assert_eq!((z.re.to_bits(), z.im.to_bits()), (c.0.to_bits(), (-c.1).to_bits()));
        let w = types::cscale(go_asm::Complex64 { re: v.0, im: v.1 }, s);
        prop_assert_eq!((w.re.to_bits(), w.im.to_bits()), ((v.0 * s).to_bits(), (v.1 * s).to_bits()));
    }

    #[test]
    fn nested_fields_match(tag: u8, lo: i32, hi: i32, w: [f32; 3], pts: [(i32, i32); 2], cell: u64, v: [f32; 4]) {
        use types::{Inner, Outer, Quad};
        let o = Outer {
            tag,
            inner: Inner { lo, hi },
            w,
            pts: [Inner { lo: pts[0].0, hi: pts[0].1 }, Inner { lo: pts[1].0, hi: pts[1].1 }],
            p: &cell,
        };
        // SAFETY: o.p points at cell, alive for the call.
        let (s, f) = unsafe { types::tally(o) };
        let want = tag as i64 + lo as i64 + hi as i64 + pts[0].0 as i64 + pts[1].1 as i64;
        prop_assert_eq!(s, want.wrapping_add(cell as i64));
        let wf = w[0] + w[1] + w[2];
        prop_assert!(f.to_bits() == wf.to_bits() || (f.is_nan() && wf.is_nan()));
        let r = types::reversed(Quad { v });
        let bits = |q: [f32; 4]| q.map(f32::to_bits);
        prop_assert_eq!(bits(r.v), bits([v[3], v[2], v[1], v[0]]));
    }

    #[test]
    fn dot_matches(a in proptest::collection::vec(-1.0f32..1.0, 0..100),
                   b in proptest::collection::vec(-1.0f32..1.0, 0..100)) {
        let want = dot_ref(&a, &b);
        let tolerance = 1e-4 * (a.len().min(b.len()) as f64 + 1.0);
        let got = dot::dot(&a, &b) as f64;
        prop_assert!((got - want).abs() <= tolerance, "dot = {}, want {}", got, want);
        // Every variant this CPU runs, through the macro's test hook.
        for (k, name, has) in dot::__go_asm_dot_variants() {
            if has {
                // SAFETY: the CPU has the variant's features.
                let got = unsafe { dot::__go_asm_dot_variant(k, &a, &b) } as f64;
                prop_assert!((got - want).abs() <= tolerance, "{} = {}, want {}", name, got, want);
            }
        }
    }

    #[test]
    fn index_byte_matches(s in proptest::collection::vec(0u8..8, 0..200), c in 0u8..9) {
        let want = s.iter().position(|&b| b == c).map_or(-1, |i| i as isize);
        prop_assert_eq!(search::index_byte(&s, c), want);
        for (k, name, has) in search::__go_asm_index_byte_variants() {
            if has {
                // SAFETY: the CPU has the variant's features.
                let got = unsafe { search::__go_asm_index_byte_variant(k, &s, c) };
                prop_assert_eq!(got, want, "{}", name);
            }
        }
    }

    #[test]
    fn ones_matches(x: u64) {
        prop_assert_eq!(bits::ones(x), x.count_ones() as u64);
    }

    #[test]
    fn ones2_matches(x: u64, y: u64) {
        let want = (x.count_ones() as u64, y.count_ones() as u64);
        prop_assert_eq!(bits::ones2(x, y), want);
        for (k, name, has) in bits::__go_asm_ones2_variants() {
            if has {
                // SAFETY: the CPU has the variant's features.
                prop_assert_eq!(unsafe { bits::__go_asm_ones2_variant(k, x, y) }, want, "{}", name);
            }
        }
    }

    // Only on x86_64: elsewhere the wrapper does not exist (no native body).
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn deposit_bits_matches_pdep(x: u64, mask: u64) {
        if !std::is_x86_feature_detected!("bmi2") {
            eprintln!("deposit_bits_matches_pdep: skipped, this CPU lacks BMI2");
            return Ok(());
        }
        // SAFETY: BMI2 is present (checked above).
        let want = unsafe { core::arch::x86_64::_pdep_u64(x, mask) };
        prop_assert_eq!(bits::deposit_bits(x, mask), want);
    }

    #[test]
    fn chacha_matches(key: [u32; 8], counter: u32, nonce: [u32; 3], len in 0usize..20) {
        let mut out = vec![0x5a5a_5a5au32; len];
        let n = chacha::block::chacha20_block(key, counter, nonce, &mut out);
        if len < 16 {
            prop_assert_eq!(n, 0);
            prop_assert!(out.iter().all(|w| *w == 0x5a5a_5a5a));
        } else {
            prop_assert_eq!(n, 16);
            prop_assert_eq!(&out[..16], &chacha_ref(key, counter, nonce)[..]);
            prop_assert!(out[16..].iter().all(|w| *w == 0x5a5a_5a5a));
        }
    }
}

/// Which variants of each dispatching example this CPU runs (each one is checked
/// against the reference above).
#[test]
fn variants_on_this_cpu() {
    let all = [
        ("dot", dot::__go_asm_dot_variants()),
        ("index_byte", search::__go_asm_index_byte_variants()),
        ("count_byte64", count::__go_asm_count_byte64_variants()),
    ];
    for (f, variants) in all {
        assert!(!variants.is_empty(), "{f} has variants on the host");
        for (_, name, has) in variants {
            eprintln!(
                "{f}: variant {name}: {}",
                if has { "runs here" } else { "the CPU lacks it" }
            );
        }
    }
}
