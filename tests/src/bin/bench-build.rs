//! Times the build step (parse, allocate, encode, print, write nothing) for the
//! example packages, for 1,000 generated functions and for the spill fixture, in
//! process.
//!
//! cargo run --release -p go-asm-tests --bin bench-build

use go_asm_build::internal::package::parse_source;
use go_asm_build::Package;
use std::time::Instant;

/// A thousand functions: a two-instruction body and a loop, for both architectures.
fn thousand() -> String {
    let mut s = String::from("use go_asm::go_asm;\n");
    for i in 0..1000 {
        if i % 2 == 0 {
            s.push_str(&format!(
                "#[go_asm]\npub fn f{i}(x: u64, y: u64) -> u64 {{\n    amd64! {{\n        add x, y\n        return x\n    }}\n    arm64! {{\n        add x, x, y\n        return x\n    }}\n    go! {{ return x + y }}\n}}\n"
            ));
        } else {
            s.push_str(&format!(
                "#[go_asm]\npub fn f{i}(xs: &[u64]) -> u64 {{\n    amd64! {{\n        let t: gp64\n        xor t, t\n        test xs.len, xs.len\n        jz done\n    next:\n        add t, qword [xs.ptr]\n        add xs.ptr, 8\n        dec xs.len\n        jnz next\n    done:\n        return t\n    }}\n    arm64! {{\n        let t: x, v: x\n        mov t, xzr\n        cbz xs.len, done\n    next:\n        ldr v, [xs.ptr], #8\n        add t, t, v\n        subs xs.len, xs.len, #1\n        b.ne next\n    done:\n        return t\n    }}\n    go! {{\n        var t uint64\n        for _, x := range xs {{\n            t += x\n        }}\n        return t\n    }}\n}}\n"
            ));
        }
    }
    s
}

fn main() {
    let root = go_asm_tests::repo_root();
    // Warm up the instruction tables once; they are built on first use.
    let _ = go_asm_build::internal::x86::forms::table();
    let mut total_fns = 0;
    let start = Instant::now();
    for (name, _, _) in go_asm_tests::example_packages() {
        let t = Instant::now();
        let report = go_asm_tests::example_package(&name)
            .render()
            .expect("example renders");
        total_fns += report.functions;
        println!(
            "{name:>8}: {} function(s), {:.2} ms",
            report.functions,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    println!(
        "examples: {total_fns} functions in {:.2} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let text = thousand();
    let t = Instant::now();
    let source = parse_source("thousand.rs", text).expect("parses");
    let parsed = t.elapsed();
    let pkg = Package::new("thousand", root.join("target/bench-thousand"));
    let files = pkg.render_sources(&[source]).expect("renders");
    let total = t.elapsed();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    println!(
        "1,000 functions x 2 architectures: {:.1} ms (parse {:.1} ms), {} files, {} KiB of Go",
        total.as_secs_f64() * 1e3,
        parsed.as_secs_f64() * 1e3,
        files.len(),
        bytes / 1024
    );

    // Register pressure: the spill fixture keeps up to ~100 values live, so the
    // allocator spills and re-colours several rounds per function.
    let path = root.join("tests/fixtures/spill.rs");
    let text = std::fs::read_to_string(&path).expect("the spill fixture");
    let t = Instant::now();
    let source = parse_source(&path.display().to_string(), text).expect("parses");
    let fns = source.fns.len();
    let pkg = Package::new("spill", root.join("target/bench-spill"));
    pkg.render_sources(&[source]).expect("renders");
    println!(
        "spill fixture: {fns} functions x 2 architectures, all spilling: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
}
