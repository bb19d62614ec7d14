//! The routed example's functions through their native objects (the machine code
//! Go calls from the `.syso` files), against plain Rust references.

use go_asm_kernels::routed;
use proptest::prelude::*;

fn mix_ref(a: u64, b: u64) -> u64 {
    (a ^ (b >> 7))
        .wrapping_mul(0x9E3779B97F4A7C15)
        .wrapping_add(b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn pop_count_matches(x: u64) {
        prop_assert_eq!(routed::pop_count(x), u64::from(x.count_ones()));
        for (k, name, has) in routed::__go_asm_pop_count_variants() {
            if has {
                // SAFETY: the CPU has the variant's features.
                prop_assert_eq!(unsafe { routed::__go_asm_pop_count_variant(k, x) }, u64::from(x.count_ones()), "{}", name);
            }
        }
    }

    #[test]
    fn mix_matches(a: u64, b: u64) {
        prop_assert_eq!(routed::mix(a, b), mix_ref(a, b));
        prop_assert_eq!(routed::mix_saved(a, b), mix_ref(a, b));
    }

    #[test]
    fn sum_u32_matches(xs in proptest::collection::vec(any::<u32>(), 0..300)) {
        prop_assert_eq!(routed::sum_u32(&xs), xs.iter().map(|&x| x as u64).sum::<u64>());
    }

    #[test]
    fn tally_matches(s in ".{0,200}", c: u8) {
        prop_assert_eq!(routed::tally(&s, c), s.bytes().filter(|&b| b == c).count() as u32);
    }

    #[test]
    fn hex_digit_matches(v: u8) {
        prop_assert_eq!(routed::hex_digit(v), b"0123456789abcdef"[(v & 15) as usize]);
    }

    #[test]
    fn scale_by_matches(x in -1e300f64..1e300, k: i16, neg: bool) {
        let want = if neg { -(x * k as f64) } else { x * k as f64 };
        prop_assert_eq!(routed::scale_by(x, k, neg).to_bits(), want.to_bits());
    }

    #[test]
    fn len_sum_matches(a in 0usize..20, b in 0usize..20, c in 0usize..20) {
        let (va, vb, vc) = (vec![0u64; a], vec![0u32; b], vec![0u8; c]);
        // A Rust slice has no capacity: the wrapper passes its length as cap.
        prop_assert_eq!(routed::len_sum(&va, &vb, &vc), (a + b + 2 * c) as u64);
    }

    #[test]
    fn pairs_match(a: u64, b: u64, x in -1e300f64..1e300) {
        let wide = a as u128 * b as u128;
        prop_assert_eq!(routed::mul_wide(a, b), ((wide >> 64) as u64, wide as u64));
        prop_assert_eq!(routed::split_bits(x), (x.to_bits(), x + x));
    }
}
