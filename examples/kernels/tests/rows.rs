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
