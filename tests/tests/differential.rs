//! Differential testing of random programs: seeded random valid functions per
//! architecture (arithmetic, logic, shifts and rotates, multiplies and divides,
//! compares, conditional moves and sets, branches both ways, bounded loops,
//! loads and stores through slices and pointers, physical and virtual registers
//! with register-like names, implicit operands, spills, up to four results in
//! any order) run on every route and compared, result by result and buffer by
//! buffer, with an independent interpreter of the program as written
//! (`go_asm_tests::diff`). A disagreement fails with the seed and the program
//! shrunk to the lines that still disagree.
//!
//! `GO_ASM_SEED=<n>` replays; `GO_ASM_LONG=1` runs more programs;
//! `GO_ASM_DIFF_PROGRAMS=<n>` sets the count per architecture;
//! `GO_ASM_DIFF_AVOID=arm64-return-order,arm64-mov-zero` leaves out the
//! constructs of known defects; `GO_ASM_KEEP=1` keeps the generated files.

use go_asm_build::Arch;
use go_asm_tests::diff::{self, minimize::minimize, Avoid, Checked};
use go_asm_tests::report;
use go_asm_tests::rng::Rng;
use go_asm_tests::routes::seed;
use std::path::Path;

/// Programs per architecture and run: about 40 s for both on two cores.
const DEFAULT_PROGRAMS: usize = 200;
const LONG_PROGRAMS: usize = 3000;

fn programs() -> usize {
    if let Some(n) = std::env::var("GO_ASM_DIFF_PROGRAMS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return n;
    }
    if std::env::var_os("GO_ASM_LONG").is_some() {
        LONG_PROGRAMS
    } else {
        DEFAULT_PROGRAMS
    }
}

/// Runs one architecture's batch on each of its routes; the failures, reported.
fn check_arch(arch: Arch, seed: u64, count: usize, avoid: Avoid, work: &Path) -> Vec<String> {
    // One stream per architecture, so each replays on its own.
    let mut rng = Rng::new(seed ^ (arch as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let funcs: Vec<Checked> = (0..count)
        .map(|i| diff::draw_checked(&mut rng, arch, format!("f{i}"), avoid))
        .collect();
    let instructions: usize = funcs.iter().map(|c| c.func.body.instructions()).sum();
    let mut failures = Vec::new();
    for (r, route) in diff::routes(arch).into_iter().enumerate() {
        let dir = work.join(format!("{}-{r}", arch.goarch()));
        let outcome = diff::run_route(route, arch, &funcs, &dir);
        let (checks, mismatches) = match &outcome {
            Ok(o) => (o.checked, o.mismatches),
            Err(_) => (0, 0),
        };
        report(&format!(
            "differential: {:<32} programs {count}, instructions {instructions}, checks {checks}, mismatches {mismatches}{}",
            route.name(),
            if outcome.is_err() { " (the run failed)" } else { "" }
        ));
        if outcome.as_ref().is_ok_and(|o| o.mismatches == 0) {
            continue;
        }
        if let Err(e) = &outcome {
            report(&format!(
                "differential: {}: {}",
                route.name(),
                e.lines().take(30).collect::<Vec<_>>().join("\n")
            ));
        }
        let bad = diff::failing(route, arch, &funcs, &dir.join("find"));
        let Some(&first) = bad.first() else {
            failures.push(format!(
                "{}: the run failed, no single program fails alone",
                route.name()
            ));
            continue;
        };
        let small = minimize(route, arch, &funcs[first], &dir.join("min"));
        let again = diff::run_route(
            route,
            arch,
            std::slice::from_ref(&small),
            &dir.join("final"),
        );
        let detail = match again {
            Ok(o) => o
                .text
                .lines()
                .filter(|l| l.contains("MISMATCH"))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => e.lines().take(40).collect::<Vec<_>>().join("\n"),
        };
        failures.push(format!(
            "{}: {} of {count} programs disagree ({}, first {}); minimized from {} to {} lines:\n{}\narguments: {:?}\n{detail}",
            route.name(),
            bad.len(),
            arch.goarch(),
            funcs[first].func.name,
            funcs[first].func.body.len(),
            small.func.body.len(),
            small.func.rust(),
            small.cases.iter().map(|(a, _)| a).collect::<Vec<_>>(),
        ));
    }
    failures
}

#[test]
fn random_programs_agree_with_the_reference_everywhere() {
    let seed = seed();
    let count = programs();
    let avoid = Avoid::from_env();
    report(&format!(
        "differential: seed {seed} (replay: GO_ASM_SEED={seed} cargo test -p go-asm-tests --test differential), {count} programs per architecture, avoiding {avoid:?}"
    ));
    let mut work = tempfile::tempdir().unwrap();
    if std::env::var_os("GO_ASM_KEEP").is_some() {
        work.disable_cleanup(true);
        report(&format!(
            "differential: work directory kept: {}",
            work.path().display()
        ));
    }
    let dir = work.path();
    let failures: Vec<String> = std::thread::scope(|s| {
        let a = s.spawn(|| check_arch(Arch::Amd64, seed, count, avoid, dir));
        let b = s.spawn(|| check_arch(Arch::Arm64, seed, count, avoid, dir));
        let mut f = a.join().expect("amd64 routes");
        f.extend(b.join().expect("arm64 routes"));
        f
    });
    assert!(
        failures.is_empty(),
        "seed {seed} (replay with GO_ASM_SEED={seed}):\n{}",
        failures.join("\n\n")
    );
}
