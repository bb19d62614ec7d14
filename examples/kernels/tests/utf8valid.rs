//! UTF-8 validation through the native object (the `#[go_asm]` wrapper) against
//! the standard library's `std::str::from_utf8`: property tests over arbitrary
//! strings (cut at any byte, mutated), arbitrary bytes, and every invalid
//! sequence class at every position of every length 0..300.

use proptest::prelude::*;

/// The wrapper, for inputs the tests check only where `supported()` holds.
fn valid(b: &[u8]) -> bool {
    assert!(supported(), "checked by each test first");
    // SAFETY: on x86-64 the CPU has AVX2 (supported()); elsewhere it needs nothing.
    unsafe { go_asm_kernels::utf8valid::valid(b) }
}

fn supported() -> bool {
    #[cfg(target_arch = "x86_64")]
    let s = std::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    let s = true;
    if !s {
        eprintln!("utf8valid: skipped, this CPU lacks AVX2");
    }
    s
}

fn std_valid(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok()
}

/// One invalid sequence of every kind of error the algorithm tells apart.
const CLASSES: &[&[u8]] = &[
    &[0xc3, b'a'],
    &[0xe2, 0xc3, 0xa9],
    &[0x80],
    &[0xc3, 0xa9, 0xa9],
    &[0xc0, 0x80],
    &[0xc1, 0xbf],
    &[0xe0, 0x80, 0x80],
    &[0xe0, 0x9f, 0xbf],
    &[0xf0, 0x80, 0x80, 0x80],
    &[0xf0, 0x8f, 0xbf, 0xbf],
    &[0xed, 0xa0, 0x80],
    &[0xed, 0xbf, 0xbf],
    &[0xf4, 0x90, 0x80, 0x80],
    &[0xf5, 0x80, 0x80, 0x80],
    &[0xff],
    &[0xe2, 0x82, b'x'],
    &[0xf0, 0x9f, b'x', 0x80],
    &[0xf0, 0x9f, 0x98, b'x'],
    &[0xc3],
    &[0xe2, 0x82],
    &[0xf0, 0x9f, 0x98],
];

#[test]
fn every_class_at_every_position_of_every_length() {
    if !supported() {
        return;
    }
    let text = "Grüße, 世界! 🌍 Привет. ".repeat(20);
    let mut checks = 0;
    for class in CLASSES {
        assert!(!std_valid(class));
        for n in 0..300usize {
            // ASCII around it, and multi-byte text cut to n bytes (maybe in a rune).
            for base in [vec![b'a'; n], text.as_bytes()[..n].to_vec()] {
                for p in 0..=n.saturating_sub(class.len()) {
                    if p + class.len() > n {
                        break;
                    }
                    let mut b = base.clone();
                    b[p..p + class.len()].copy_from_slice(class);
                    assert_eq!(valid(&b), std_valid(&b), "{b:02x?}");
                    checks += 1;
                }
            }
        }
    }
    println!("utf8valid: {checks} class checks");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn strings_cut_anywhere(s in ".{0,200}", from in 0usize..64, to in 0usize..64) {
        if !supported() {
            return Ok(());
        }
        let b = s.as_bytes();
        prop_assert!(valid(b));
        let (from, to) = (from.min(b.len()), b.len().saturating_sub(to));
        let cut = &b[from..to.max(from)];
        prop_assert_eq!(valid(cut), std_valid(cut));
    }

    #[test]
    fn mutated_strings(s in ".{1,300}", at in any::<prop::sample::Index>(), byte: u8) {
        if !supported() {
            return Ok(());
        }
        let mut b = s.into_bytes();
        let i = at.index(b.len());
        b[i] = byte;
        prop_assert_eq!(valid(&b), std_valid(&b));
    }

    #[test]
    fn arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        if !supported() {
            return Ok(());
        }
        prop_assert_eq!(valid(&b), std_valid(&b));
    }

    #[test]
    fn mostly_ascii_bytes(b in proptest::collection::vec(0u8..0x90, 0..400)) {
        if !supported() {
            return Ok(());
        }
        prop_assert_eq!(valid(&b), std_valid(&b));
    }
}
