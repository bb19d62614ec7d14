//! DSL corners that the examples do not reach: mnemonics that are Rust keywords,
//! `;`-separated lines, and determinism across directories.

use go_asm_build::internal::compile::compile;
use go_asm_build::internal::parse_fn;
use go_asm_build::Arch;

fn compiled(src: &str) -> go_asm_build::internal::compile::Compiled {
    let item: syn::ItemFn = syn::parse_str(src).expect("valid Rust");
    let f = parse_fn(&item, &Default::default(), Default::default()).expect("parses");
    compile(&f, Arch::Amd64).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn rust_keyword_mnemonics_work() {
    let c = compiled(
        r#"fn count_down(n: u64) -> u64 {
            amd64! {
                mov rcx, n
                xor rax, rax
            top:
                add rax, 2
                loop top
                return rax
            }
        }"#,
    );
    // loop rel8 is e2 xx, without an address-size prefix (it counts with rcx).
    assert!(c.bytes.windows(2).any(|w| w[0] == 0xe2), "{:02x?}", c.bytes);
    assert!(
        c.go_body.iter().any(|l| l.contains("LOOP top")),
        "{:?}",
        c.go_body
    );

    let c = compiled(
        r#"fn port(p: u16) -> u64 {
            amd64! {
                mov dx, p.16
                xor eax, eax
                in al, dx
                return rax
            }
        }"#,
    );
    assert!(c.bytes.contains(&0xec), "in al, dx is ec: {:02x?}", c.bytes);
}

#[test]
fn semicolons_separate_lines() {
    let a = compiled("fn f(x: u64) -> u64 { amd64! { add x, 1; add x, 2; return x } }");
    let b = compiled(
        "fn f(x: u64) -> u64 { amd64! {
            add x, 1
            add x, 2
            return x
        } }",
    );
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.go_body, b.go_body);
}

/// A physical xmm16-31 source of `return` is staged with an EVEX copy: the legacy
/// `movaps` has no form for it (found by the fuzzer: an index panic).
#[test]
fn returning_an_evex_only_register() {
    let c = compiled(
        r#"/// # Safety
        /// avx512vl (the return copies xmm21 with an EVEX vmovaps)
        unsafe fn high(x: f64) -> f64 {
            #[features(avx512vl)]
            amd64! {
                vaddsd xmm21, xmm21, xmm21
                return xmm21
            }
        }"#,
    );
    assert!(c.bytes.contains(&0x62), "an EVEX copy: {:02x?}", c.bytes);
    let item: syn::ItemFn = syn::parse_str(
        r#"fn count_down(n: u64) -> u64 {
            amd64! {
            top:
                return xmm21
            }
        }"#,
    )
    .expect("valid Rust");
    let f = parse_fn(&item, &Default::default(), Default::default()).expect("parses");
    let e = compile(&f, Arch::Amd64).expect_err("a vector register for an integer result");
    assert!(
        e.message.contains("return a general register"),
        "{}",
        e.message
    );
}
