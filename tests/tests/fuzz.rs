//! Fuzzes the whole build step (parse, allocate, encode, print, objects) with
//! mutated real sources; no input may panic.
//!
//! Short mode (the default suite): `GO_ASM_FUZZ_EXECS` executions (default 1500).
//! Long mode (`GO_ASM_LONG=1`, `scripts/test --long`): `GO_ASM_FUZZ_SECS` seconds
//! (default 600). The seed is printed; `GO_ASM_FUZZ_SEED=S GO_ASM_FUZZ_EXECS=N`
//! replays a run exactly.

use go_asm_tests::fuzz::{self, Stats};
use go_asm_tests::pipeline::{generate_guarded, Outcome};
use go_asm_tests::report;
use std::time::{Duration, Instant};

/// Executions in short mode: a few seconds.
const SHORT_EXECS: u64 = 1500;

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(
        v.parse()
            .unwrap_or_else(|e| panic!("{name}={v}: not a number: {e}")),
    )
}

/// `GO_ASM_FUZZ_SEED`, or one from the clock (printed, so a failure replays).
fn seed() -> u64 {
    env_u64("GO_ASM_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    })
}

#[test]
fn the_pipeline_never_panics_on_mutated_sources() {
    let long = std::env::var("GO_ASM_LONG").is_ok_and(|v| v == "1");
    let seed = seed();
    let seeds = fuzz::seeds();
    // The seeds themselves first: none may panic either, and the examples build.
    let mut seed_panics = Vec::new();
    for s in &seeds {
        match generate_guarded("seed.rs", &s.text) {
            Outcome::Panicked(m) => seed_panics.push(format!("{}: {m}", s.name)),
            Outcome::Generated(_) => {}
            Outcome::Rejected(e) if s.name.starts_with("examples/") => {
                panic!("{} is rejected: {e:?}", s.name)
            }
            Outcome::Rejected(_) => {}
        }
    }
    assert!(
        seed_panics.is_empty(),
        "seeds panic:\n{}",
        seed_panics.join("\n")
    );

    let execs = env_u64("GO_ASM_FUZZ_EXECS");
    let secs = env_u64("GO_ASM_FUZZ_SECS").unwrap_or(600);
    let start = Instant::now();
    let mode = match (long, execs) {
        (_, Some(n)) => format!("{n} executions"),
        (true, None) => format!("long mode, {secs} s"),
        (false, None) => format!("{SHORT_EXECS} executions"),
    };
    report(&format!(
        "fuzz: seed {seed}, {} seeds, {mode} (replay: GO_ASM_FUZZ_SEED={seed})",
        seeds.len()
    ));
    let deadline = Duration::from_secs(secs);
    let mut last_report = Instant::now();
    let budget = |st: &Stats| {
        if long && last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            report(&format!(
                "fuzz: {} executions so far ({} generated)",
                st.executions, st.generated
            ));
        }
        match (long, execs) {
            (_, Some(n)) => st.executions < n,
            (true, None) => start.elapsed() < deadline,
            (false, None) => st.executions < SHORT_EXECS,
        }
    };
    match fuzz::run(seed, seeds, budget) {
        Ok(st) if std::env::var("GO_ASM_FUZZ_SHOW").is_ok_and(|v| v == "1") => {
            let mut reasons: Vec<_> = st.reasons.iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(a.1));
            for (r, n) in reasons.iter().take(40) {
                report(&format!("{n:>7} {r}"));
            }
        }
        Ok(st) => report(&format!(
            "fuzz: seed {seed}, {} executions, 0 panics ({} generated a package, {} rejected; {:.1} s)",
            st.executions,
            st.generated,
            st.rejected,
            start.elapsed().as_secs_f64()
        )),
        Err(f) => panic!(
            "fuzz: seed {}, execution {} (from {}) PANICKED: {}\n\
             replay: GO_ASM_FUZZ_SEED={} GO_ASM_FUZZ_EXECS={}\n\
             --- minimized input ---\n{}\n--- full input ---\n{}",
            f.seed,
            f.execution,
            f.base,
            f.message,
            f.seed,
            f.execution + 1,
            f.minimized,
            f.input
        ),
    }
}

/// Systematic: every accepted form of both backends with each boundary immediate in
/// each immediate operand, one at a time, and every pair of signature types as
/// parameters and results. Long mode runs all of them (about 41,000); the default
/// suite a sample of one in 20 (a different one per seed).
#[test]
fn every_form_takes_boundary_immediates_without_panicking() {
    let long = std::env::var("GO_ASM_LONG").is_ok_and(|v| v == "1");
    let seed = seed();
    let phase = (seed % 20) as usize;
    let start = Instant::now();
    let mut inputs = fuzz::sweep_inputs(|i| long || i % 20 == phase);
    inputs.extend(fuzz::signature_sweep_inputs(|i| long || i % 20 == phase));
    let (mut generated, mut rejected) = (0, 0);
    let mut panics = Vec::new();
    for input in &inputs {
        match generate_guarded("sweep.rs", input) {
            Outcome::Generated(_) => generated += 1,
            Outcome::Rejected(_) => rejected += 1,
            Outcome::Panicked(m) => panics.push(format!("{m}\n{input}")),
        }
    }
    report(&format!(
        "sweep: {} inputs ({}), {} panics ({generated} generated, {rejected} rejected; {:.1} s)",
        inputs.len(),
        if long {
            "every form x boundary immediate, every signature type pair".to_string()
        } else {
            format!("sample {phase} of 20, GO_ASM_FUZZ_SEED={seed}")
        },
        panics.len(),
        start.elapsed().as_secs_f64()
    ));
    assert!(
        panics.is_empty(),
        "{} inputs panic:\n{}",
        panics.len(),
        panics.join("\n")
    );
}
