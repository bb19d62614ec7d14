//! Every DSL mistake is a compile error at the offending token; the messages are
//! pinned in tests/ui/*.stderr (regenerate with TRYBUILD=overwrite).

#[test]
fn dsl_mistakes_are_compile_errors_at_their_tokens() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
