//! Differential testing of random programs: seeded random valid functions per
//! architecture (arithmetic, logic, shifts and rotates, multiplies and divides,
//! compares, conditional moves and sets, branches both ways, bounded loops,
//! loads and stores through slices and pointers, physical and virtual registers
//! with register-like names, implicit operands, spills, up to four results in
//! any order; compile-time repetitions, nested, whose index reaches immediates,
//! displacements and register-array indexes; register arrays; stack locals of
//! every alignment, through constant offsets and index registers, their address
//! bits checked) run on every route and compared, result by result and buffer by
//! buffer, with an independent interpreter of the program as written
//! (`go_asm_tests::diff`). A disagreement fails with the seed and the program
//! shrunk to the lines that still disagree.
//!
//! `GO_ASM_SEED=<n>` replays; `GO_ASM_LONG=1` runs 10 batches instead of 1;
//! `GO_ASM_DIFF_PROGRAMS=<n>` sets the batch size;
//! `GO_ASM_DIFF_AVOID=arm64-return-order,arm64-mov-zero` leaves out the
//! constructs of known defects; `GO_ASM_KEEP=1` keeps the generated files.

use go_asm_build::Arch;
use go_asm_tests::diff::{self, minimize::minimize, Avoid, Checked, Route};
use go_asm_tests::report;
use go_asm_tests::rng::Rng;
use go_asm_tests::routes::seed;
use std::path::Path;

/// Programs per architecture in one batch (one package, one C program per
/// route): about 30 s for both architectures on two cores.
const BATCH: usize = 400;
/// Batches per architecture: 1, or 10 with `GO_ASM_LONG=1`.
fn batches() -> usize {
    if std::env::var_os("GO_ASM_LONG").is_some() {
        10
    } else {
        1
    }
}

fn batch_size() -> usize {
    std::env::var("GO_ASM_DIFF_PROGRAMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(BATCH)
}

/// Totals of one route over the batches.
#[derive(Default)]
struct Totals {
    programs: usize,
    instructions: usize,
    checks: u64,
    mismatches: u64,
}

/// Runs `arch`'s batches on each of its routes; the failures, with the first
/// disagreeing program minimized.
fn check_arch(arch: Arch, seed: u64, avoid: Avoid, work: &Path) -> Vec<String> {
    // One stream per architecture, so each replays on its own.
    let mut rng = Rng::new(seed ^ (arch as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let routes = diff::routes(arch);
    let mut totals: Vec<Totals> = routes.iter().map(|_| Totals::default()).collect();
    let (mut spilled, mut drawn) = (0, 0);
    let mut constructs = [0usize; 4];
    let mut failures = Vec::new();
    for batch in 0..batches() {
        let funcs: Vec<Checked> = (0..batch_size())
            .map(|i| diff::draw_checked(&mut rng, arch, format!("f{batch}_{i}"), avoid))
            .collect();
        let instructions: usize = funcs.iter().map(|c| c.func.body.instructions()).sum();
        for c in &funcs {
            for (n, used) in constructs.iter_mut().zip(c.func.constructs()) {
                *n += usize::from(used);
            }
        }
        let dir = work.join(format!("{}-{batch}", arch.goarch()));
        drawn += funcs.len();
        if let Ok((_, _, built)) = diff::compile(arch, &funcs, &dir.join("spills")) {
            spilled += built
                .compiled
                .iter()
                .filter(|cs| cs.iter().any(|c| c.spill_bytes > 0))
                .count();
        }
        for (r, route) in routes.iter().enumerate() {
            let dir = dir.join(format!("route{r}"));
            let outcome = diff::run_route(*route, arch, &funcs, &dir);
            let t = &mut totals[r];
            t.programs += funcs.len();
            t.instructions += instructions;
            match &outcome {
                Ok(o) if o.mismatches == 0 => {
                    t.checks += o.checked;
                    continue;
                }
                Ok(o) => {
                    t.checks += o.checked;
                    t.mismatches += o.mismatches;
                }
                Err(e) => {
                    t.mismatches += 1;
                    report(&format!(
                        "differential: {}: the run failed:\n{}",
                        route.name(),
                        e.lines().take(30).collect::<Vec<_>>().join("\n")
                    ));
                }
            }
            failures.push(explain(*route, arch, &funcs, &dir));
        }
        if !failures.is_empty() {
            break;
        }
    }
    for (route, t) in routes.iter().zip(&totals) {
        report(&format!(
            "differential: {:<32} programs {}, instructions {}, checks {}, mismatches {}",
            route.name(),
            t.programs,
            t.instructions,
            t.checks,
            t.mismatches
        ));
    }
    report(&format!(
        "differential: {}: {spilled} of {drawn} programs spill; {} have repetitions (`for`), {} register arrays, {} stack locals ({} aligned to 32 or 64)",
        arch.goarch(),
        constructs[0],
        constructs[1],
        constructs[2],
        constructs[3]
    ));
    failures
}

/// The first disagreeing program of a failed batch, minimized, with its route,
/// arguments and the route's output for it.
fn explain(route: Route, arch: Arch, funcs: &[Checked], dir: &Path) -> String {
    let Some(first) = diff::first_failing(route, arch, funcs, &dir.join("find")) else {
        return format!(
            "{}: the run failed, and no program fails alone",
            route.name()
        );
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
    format!(
        "{} ({}): {} disagrees; minimized from {} to {} lines:\n{}arguments: {:?}\n{detail}",
        route.name(),
        arch.goarch(),
        funcs[first].func.name,
        funcs[first].func.body.len(),
        small.func.body.len(),
        small.func.rust(),
        small.cases.iter().map(|(a, _)| a).collect::<Vec<_>>(),
    )
}

#[test]
fn random_programs_agree_with_the_reference_everywhere() {
    let seed = seed();
    let avoid = Avoid::from_env();
    report(&format!(
        "differential: seed {seed} (replay: GO_ASM_SEED={seed} cargo test -p go-asm-tests --test differential), {} batches of {} programs per architecture, avoiding {avoid:?}",
        batches(),
        batch_size()
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
        let a = s.spawn(|| check_arch(Arch::Amd64, seed, avoid, dir));
        let b = s.spawn(|| check_arch(Arch::Arm64, seed, avoid, dir));
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
