//! `go!` bodies are checked as Go by the build step (gofmt, gocheck.rs): a syntax
//! error fails the build at the Rust file's line and column of the bad token, not
//! at the generated file under `-tags purego`. One test: it changes PATH last.

use go_asm_build::internal::gocheck::Checked;
use go_asm_build::Package;

/// A source with `add` (a clean fallback) then `sub` whose fallback is `body`
/// (lines indented as in a real file).
fn source(body: &str) -> String {
    format!(
        r#"use go_asm::go_asm;

/// Add adds.
#[go_asm]
pub fn add(a: u64, b: u64) -> u64 {{
    amd64! {{
        add a, b
        return a
    }}
    go! {{
        return a + b
    }}
}}

/// Sub subtracts.
#[go_asm]
pub fn sub(a: u64, b: u64) -> u64 {{
    amd64! {{
        sub a, b
        return a
    }}
    go! {{
{body}
    }}
}}
"#
    )
}

/// The first line of `sub`'s `go!` body in `source`.
const BODY_LINE: usize = 23;

/// The build step's verdict on `body` as `sub`'s fallback.
fn build(dir: &std::path::Path, body: &str) -> Result<Checked, String> {
    let path = dir.join("k.rs");
    std::fs::write(&path, source(body)).unwrap();
    let pkg = Package::new("k", dir.join("go")).source(&path);
    let (sources, built) = pkg.compile().map_err(|e| e.to_string())?;
    let out = pkg
        .render_all(&sources, &built)
        .map_err(|e| e.to_string())?;
    pkg.check_go_bodies(&sources, &out.files)
        .map_err(|e| e.to_string())
}

#[test]
fn go_syntax_errors_are_located_in_the_rust_file() {
    let dir = tempfile::tempdir().unwrap();
    let shown = dir.path().join("k.rs").display().to_string();
    assert_eq!(
        build(dir.path(), "        return a - b"),
        Ok(Checked::Clean)
    );
    // (body, line in the body, column in the file, gofmt's words)
    let cases = [
        ("        x := := a\n        return x", 0, 14, "expected operand, found ':='"),
        // After a multi-byte character: columns count characters, as rustc does.
        (
            "        s := \"é\"; _ = s\n        if a > b {\n            return a -\n        }\n        return b",
            3,
            9,
            "expected operand, found '}'",
        ),
        // A body cut short: gofmt stops at the function's closing brace, which is
        // the block's.
        ("        return a -", 1, 5, "expected operand, found '}'"),
        // A hoisted import.
        ("        import fmt\n        return a - b", 0, 19, "missing import path"),
        ("        var x uint64 = 1 1\n        return x", 0, 26, "expected ';', found 1"),
    ];
    let mut located = 0;
    for (body, line, col, words) in cases {
        let err = build(dir.path(), body).expect_err(body);
        let want = format!(
            "{shown}:{}:{col}: the go! body is not valid Go: {words}",
            BODY_LINE + line
        );
        assert!(err.contains(&want), "{body}:\n got  {err}\n want {want}");
        located += 1;
    }
    go_asm_tests::report(&format!(
        "go! bodies: {located} syntax errors located at their Rust token by gofmt"
    ));

    // Without gofmt and go on PATH the check says it was skipped.
    let empty = tempfile::tempdir().unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::set_var("PATH", empty.path());
    let skipped = build(dir.path(), "        x := := a\n        return x");
    std::env::set_var("PATH", path);
    assert_eq!(skipped, Ok(Checked::Skipped));
}
