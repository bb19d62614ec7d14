//! The malformed-input corpus (tests/malformed/*.txt): every case goes through the
//! whole build step in process (parse, compile both arches, Go rendering, native
//! objects for every target) under `catch_unwind`, and must be rejected with its
//! pinned message at its pinned line:column. `GO_ASM_SHOW=1` prints what each case
//! actually produced (for writing new cases).

use go_asm_tests::corpus;
use go_asm_tests::pipeline::{generate_guarded, Outcome};

#[test]
fn malformed_inputs_are_rejected_at_their_spans() {
    let cases = corpus::load().unwrap_or_else(|e| panic!("corpus: {e}"));
    let show = std::env::var("GO_ASM_SHOW").is_ok_and(|v| v == "1");
    let mut names = std::collections::HashSet::new();
    let (mut rejected, mut panics) = (0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        assert!(
            names.insert(&case.name),
            "{}: duplicate case name `{}`",
            case.origin,
            case.name
        );
        let expected_at = match case.position {
            Some((line, column)) => format!("p.rs:{line}:{column}: "),
            None => String::new(),
        };
        let outcome = generate_guarded("p.rs", &case.source);
        if show {
            println!("{} {}: {outcome:?}", case.origin, case.name);
        }
        match outcome {
            Outcome::Rejected(errors) => {
                let first = &errors[0];
                // An error without a location must not look located either.
                let located =
                    first.starts_with("p.rs:") && first[5..].starts_with(char::is_numeric);
                let at_ok = if expected_at.is_empty() {
                    !located
                } else {
                    first.starts_with(&expected_at)
                };
                if at_ok && first.contains(&case.error) {
                    rejected += 1;
                } else {
                    failures.push(format!(
                        "{} {}: expected {expected_at}..{}.. (at `{}`), got:\n    {}",
                        case.origin,
                        case.name,
                        case.error,
                        case.at,
                        errors.join("\n    ")
                    ));
                }
            }
            Outcome::Generated(_) => failures.push(format!(
                "{} {}: accepted, but must be rejected with `{}`",
                case.origin, case.name, case.error
            )),
            Outcome::Panicked(msg) => {
                panics += 1;
                failures.push(format!(
                    "{} {}: PANIC {msg}\n{}",
                    case.origin, case.name, case.source
                ));
            }
        }
    }
    go_asm_tests::report(&format!(
        "malformed inputs: {} tried, {rejected} rejected at the expected span, {panics} panics",
        cases.len()
    ));
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= 100,
        "the corpus has {} cases; keep it at 100 or more",
        cases.len()
    );
}
