//! Shrinking a disagreeing program: drop runs of lines (halves down to single
//! lines) and results, keep a candidate only when the reference still runs it
//! (valid: nothing undefined is read, every loop ends) and the compiler still
//! accepts it, and keep the smallest candidate that still disagrees on the
//! route. All candidates of a round run as one batch (one build, one process).

use super::{compile, first_failing, reference, Checked, Func, Route};
use go_asm_build::Arch;
use std::path::Path;

/// Candidates tried per round at most.
const PER_ROUND: usize = 60;

fn candidates(f: &Func) -> Vec<Func> {
    let mut out = Vec::new();
    let n = f.body.len();
    let mut chunk = n.div_ceil(2).max(1);
    loop {
        for start in (0..n).step_by(chunk) {
            let mut g = f.clone();
            g.body = f.body.without(start, (start + chunk).min(n));
            out.push(g);
        }
        if chunk == 1 {
            break;
        }
        chunk = chunk.div_ceil(2);
    }
    for k in 0..f.results.len() {
        let mut g = f.clone();
        g.results.remove(k);
        out.push(g);
    }
    out
}

/// The smallest program found that still fails on `route`.
pub fn minimize(route: Route, arch: Arch, failing_fn: &Checked, dir: &Path) -> Checked {
    let mut best = failing_fn.clone();
    for round in 0.. {
        let args: Vec<_> = best.cases.iter().map(|(a, _)| a.clone()).collect();
        let mut valid: Vec<Checked> = Vec::new();
        for (i, mut f) in candidates(&best.func).into_iter().enumerate() {
            f.name = format!("m{round}x{i}");
            let Ok(c) = reference(&f, &args) else {
                continue;
            };
            if compile(arch, std::slice::from_ref(&c), &dir.join("probe")).is_ok() {
                valid.push(c);
            }
            if valid.len() == PER_ROUND {
                break;
            }
        }
        if valid.is_empty() {
            break;
        }
        // Smallest first: the first failing candidate is the smallest.
        valid.sort_by_key(|c| (c.func.body.len(), c.func.results.len()));
        let dir = dir.join(format!("round{round}"));
        let Some(i) = first_failing(route, arch, &valid, &dir) else {
            break;
        };
        let smallest = valid.swap_remove(i);
        best = smallest;
    }
    best
}
