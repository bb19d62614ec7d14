//! Writes `build-support/src/x86/go_names.tsv`: which amd64 forms print as a Go
//! mnemonic, and with which operand order.
//!
//! For every accepted form it compiles representative instructions through the real
//! pipeline (so each is credited to the iced `Code` our encoder actually chooses),
//! spells each in candidate Go mnemonics and operand orders derived by rule,
//! assembles all candidates with `go tool asm`, and keeps a `Code` only when one
//! spelling gives exactly our bytes for every instance that chose that `Code`.
//!
//! Run: `cargo run -p go-asm-tests --bin x86-go-names` (needs Go on PATH).

#[path = "../x86_oracle.rs"]
mod x86_oracle;

use go_asm_build::internal::x86::gosyntax::Order;
use iced_x86::Code;
use std::collections::BTreeMap;
use std::time::Instant;
use x86_oracle::*;

/// The unsigned 8-bit immediate of a placed instruction, if its form has one.
fn go_imm8(p: &go_asm_build::internal::x86::encode::Placed) -> Option<u8> {
    use go_asm_build::internal::x86::forms::{ImmKind, Slot};
    use go_asm_build::internal::x86::parse::Operand;
    p.inst
        .ops
        .iter()
        .zip(&p.form.slots)
        .find_map(|(o, s)| match (o, s) {
            (Operand::Imm(v), Slot::Imm(ImmKind::I8)) => Some((*v as i64 & 0xff) as u8),
            _ => None,
        })
}

fn main() {
    let t0 = Instant::now();
    let out_path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../build-support/src/x86/go_names.tsv"
        )
        .to_string()
    });
    let forms = all_forms();
    let (instances, rejected) = all_instances();
    for (t, e) in &rejected {
        eprintln!("not compiled: {:?}: {e}", t.replace('\n', "; "));
    }
    // Non-branch instances grouped by the Code the encoder chose.
    let mut by_code: BTreeMap<u32, Vec<&Instance>> = BTreeMap::new();
    for i in &instances {
        if i.placed.form.is_branch() {
            continue;
        }
        let v = by_code.entry(i.placed.form.code as u32).or_default();
        if !v.iter().any(|o| o.text == i.text) {
            v.push(i);
        }
    }
    eprintln!(
        "{} forms, {} instances ({} rejected), {} codes chosen, {:.1?}",
        forms.len(),
        instances.len(),
        rejected.len(),
        by_code.len(),
        t0.elapsed()
    );

    // Phase 1: every candidate spelling of the first instance of each code.
    let mut lines = Vec::new();
    let mut owner = Vec::new();
    for (code, insts) in &by_code {
        let p = &insts[0].placed;
        for c in candidates(p.form) {
            for o in orders(p.form) {
                lines.push(go_text_as(p, &c, o));
                owner.push((*code, c.clone(), o));
            }
        }
    }
    eprintln!("phase 1: {} candidate lines", lines.len());
    let got = go_asm(&lines);
    let mut survivors: BTreeMap<u32, Vec<(String, Order)>> = BTreeMap::new();
    let mut phase1_seen: BTreeMap<u32, String> = BTreeMap::new();
    for (((code, c, o), g), line) in owner.into_iter().zip(got).zip(&lines) {
        if let Some(b) = &g {
            let seen = phase1_seen.entry(code).or_default();
            if seen.len() < 300 {
                seen.push_str(&format!("[{line} = {}] ", hex(b)));
            }
        }
        if g.as_deref() == Some(&by_code[&code][0].placed.bytes[..]) {
            let s = survivors.entry(code).or_default();
            if !s.iter().any(|(sc, so)| *sc == c && *so == o) {
                s.push((c, o));
            }
        }
    }

    // Phase 2: the survivors on every instance.
    let mut lines = Vec::new();
    let mut owner = Vec::new();
    for (code, cands) in &survivors {
        for (k, (c, o)) in cands.iter().enumerate() {
            for (n, inst) in by_code[code].iter().enumerate() {
                lines.push(go_text_as(&inst.placed, c, *o));
                owner.push((*code, k, n));
            }
        }
    }
    eprintln!("phase 2: {} lines, {:.1?}", lines.len(), t0.elapsed());
    let got = go_asm(&lines);
    // Per (code, candidate): per instance, Some(true) = same bytes, Some(false) =
    // other bytes, None = Go rejected it.
    let mut results: BTreeMap<(u32, usize), Vec<Option<bool>>> = BTreeMap::new();
    let mut first_diff: BTreeMap<(u32, usize), String> = BTreeMap::new();
    for (((code, k, n), g), line) in owner.into_iter().zip(got).zip(&lines) {
        let inst = by_code[&code][n];
        let r = g.as_ref().map(|b| *b == inst.placed.bytes);
        if r != Some(true) {
            first_diff.entry((code, k)).or_insert_with(|| {
                format!(
                    "`{}` is {} but `{line}` gives {}",
                    inst.text,
                    hex(&inst.placed.bytes),
                    g.as_deref().map(hex).unwrap_or_else(|| "an error".into())
                )
            });
        }
        let v = results.entry((code, k)).or_default();
        v.resize(n + 1, Some(true));
        v[n] = r;
    }
    let verbose = std::env::var_os("X86_GO_NAMES_VERBOSE").is_some();
    let mut rows = Vec::new();
    for (code, cands) in &survivors {
        let insts = &by_code[code];
        let chosen = cands.iter().enumerate().find_map(|(k, (c, o))| {
            let res = &results[&(*code, k)];
            if res.iter().all(|r| *r == Some(true)) {
                return Some((c, o, None));
            }
            // Go checks some 8-bit immediates against narrower ranges than the CPU
            // (`EXTRACTPS $0-3`): keep the row below the smallest rejected value.
            let imm = |n: usize| go_imm8(&insts[n].placed);
            let mut min_bad: Option<u8> = None;
            for (n, r) in res.iter().enumerate() {
                match (r, imm(n)) {
                    (Some(true), _) => {}
                    (None, Some(v)) => min_bad = Some(min_bad.map_or(v, |m| m.min(v))),
                    _ => return None,
                }
            }
            let min_bad = min_bad?;
            let max_ok = res
                .iter()
                .enumerate()
                .filter_map(|(n, r)| (*r == Some(true)).then(|| imm(n)).flatten())
                .filter(|v| *v < min_bad)
                .max()?;
            Some((c, o, Some(max_ok)))
        });
        let name = Code::values().nth(*code as usize).expect("code");
        match chosen {
            Some((c, o, None)) => rows.push(format!("{name:?}\t{c}\t{}", o.code())),
            Some((c, o, Some(max))) => {
                rows.push(format!("{name:?}\t{c}\t{}\timm<={max}", o.code()))
            }
            None if verbose => {
                let first = first_diff.get(&(*code, 0)).cloned().unwrap_or_default();
                eprintln!("{name:?}: candidates {cands:?} differ: {first}");
            }
            None => {}
        }
    }
    if verbose {
        for code in by_code.keys() {
            if !survivors.contains_key(code) {
                let c = Code::values().nth(*code as usize).expect("code");
                let i = &by_code[code][0];
                eprintln!(
                    "{c:?}: no Go spelling for `{}` ({}); Go: {}",
                    i.text,
                    hex(&i.placed.bytes),
                    phase1_seen.get(code).cloned().unwrap_or_default()
                );
            }
        }
    }
    let mut out = String::from(
        "# Which amd64 forms print as a Go mnemonic (iced Code, Go mnemonic, operand order:\n\
         # r = reversed from Intel, i = Intel order, rl = reversed with the immediate last,\n\
         # r0 = reversed after an explicit X0 for the implicit xmm0; imm<=N: Go rejects\n\
         # larger 8-bit immediates in this form, which then print as BYTE).\n\
         # Generated: every row's spelling assembled with `go tool asm` to exactly go-asm's\n\
         # bytes for every representative instance that chose the Code. Forms not listed\n\
         # print as BYTE. Do not edit; regenerate with\n\
         #     cargo run -p go-asm-tests --bin x86-go-names\n",
    );
    for r in &rows {
        out.push_str(r);
        out.push('\n');
    }
    std::fs::write(&out_path, out).expect("write go_names.tsv");
    eprintln!(
        "{} of {} chosen codes print as Go mnemonics; wrote {out_path} in {:.1?}",
        rows.len(),
        by_code.len(),
        t0.elapsed()
    );
}
