//! The type-table rows of issue 15 that `types.rs` gained (named results, `_`
//! parameters, arrays by value as parameters and results, types of other Go
//! packages), called through their native objects against plain Rust.

use go_asm_kernels::types;
use proptest::prelude::*;

proptest! {
    #[test]
    fn add_carry_matches(a: u64, b: u64, cin: bool) {
        let (s1, c1) = a.overflowing_add(b);
        let (s2, c2) = s1.overflowing_add(cin as u64);
        prop_assert_eq!(types::add_carry(a, b, cin), (s2, c1 || c2));
    }
}

proptest! {
    #[test]
    fn second_matches(a: u64, b: u32, bytes: Vec<u8>, c in -1e300f64..1e300, d: bool) {
        prop_assert_eq!(types::second(a, b, &bytes, c, d), c + b as f64);
    }
}

proptest! {
    #[test]
    fn arrays_by_value_match(m: [[u32; 3]; 2], x: u8, a in -1e150f64..1e150, xs: [f64; 2], ys: [f64; 2], v: [u64; 4]) {
        let mut t = [[0u32; 2]; 3];
        for (i, row) in m.iter().enumerate() {
            for (j, e) in row.iter().enumerate() {
                t[j][i] = *e;
            }
        }
        prop_assert_eq!(types::transpose(m), t);
        let bits: [bool; 8] = std::array::from_fn(|i| x >> i & 1 != 0);
        prop_assert_eq!(types::bools(x), (bits, x.count_ones()));
        let want = [a * xs[0] + ys[0], a * xs[1] + ys[1]];
        let got = types::axpy2(a, xs, ys);
        prop_assert!(got.iter().zip(&want).all(|(g, w)| g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan())));
        let (p, q) = (v[0], v[1]);
        prop_assert_eq!(types::sum2([&p, &q]), p.wrapping_add(q));
        prop_assert_eq!(types::split(v), ([v[0], v[1]], [v[2], v[3]]));
        let block = [0u8; 16];
        // SAFETY: block is 16 bytes.
        let h = unsafe { types::halves(block.as_ptr()) };
        prop_assert_eq!(h, [block.as_ptr(), block[8..].as_ptr()]);
    }
}

proptest! {
    #[test]
    fn other_packages_types_match(n in 0usize..16, d: i64, by: i64, k: u32, kb: u32) {
        let block = [0u8; 16];
        let p = block.as_ptr().cast::<std::ffi::c_void>();
        // SAFETY: n < 16 stays inside block.
        let got = unsafe { types::advance(p, n) };
        prop_assert_eq!(got.cast_const(), block[n..].as_ptr().cast());
        prop_assert_eq!(types::later(d, by), d.wrapping_add(by));
        prop_assert_eq!(types::warmer(k, kb), k.wrapping_add(kb));
    }
}
