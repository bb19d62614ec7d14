//! Times the build step (parse, allocate, encode, print; nothing written) for the
//! example packages and for generated inputs at growing sizes: functions, values
//! live at once, instructions in one body, table bytes. Each size runs in a child
//! process of its own, which reports its time and its peak memory (`VmHWM`), so
//! the sizes do not share an allocator's high-water mark. Also counts the spill
//! loads and stores of the spill fixture and of a SHA-1-like message schedule.
//!
//! cargo run --release -p go-asm-tests --bin bench-build
//! cargo run --release -p go-asm-tests --bin bench-build -- --spill spill (per
//! function, with the Go bodies)

use go_asm_build::internal::package::parse_source;
use go_asm_build::Package;
use std::fmt::Write;
use std::process::Command;
use std::time::Instant;

/// `n` functions: a two-instruction body and a loop, alternately, for both
/// architectures.
fn functions(n: usize) -> String {
    let mut s = String::from("use go_asm::go_asm;\n");
    for i in 0..n {
        if i % 2 == 0 {
            writeln!(
                s,
                "#[go_asm]\npub fn f{i}(x: u64, y: u64) -> u64 {{\n    amd64! {{\n        add x, y\n        return x\n    }}\n    arm64! {{\n        add x, x, y\n        return x\n    }}\n    go! {{ return x + y }}\n}}"
            )
        } else {
            writeln!(
                s,
                "#[go_asm]\npub fn f{i}(xs: &[u64]) -> u64 {{\n    amd64! {{\n        let t: gp64\n        xor t, t\n        test xs.len, xs.len\n        jz done\n    next:\n        add t, qword [xs.ptr]\n        add xs.ptr, 8\n        dec xs.len\n        jnz next\n    done:\n        return t\n    }}\n    arm64! {{\n        let t: x, v: x\n        mov t, xzr\n        cbz xs.len, done\n    next:\n        ldr v, [xs.ptr], #8\n        add t, t, v\n        subs xs.len, xs.len, #1\n        b.ne next\n    done:\n        return t\n    }}\n    go! {{\n        var t uint64\n        for _, x := range xs {{\n            t += x\n        }}\n        return t\n    }}\n}}"
            )
        }
        .unwrap();
    }
    s
}

/// `let` lines declaring `val0..val{n}` of `class`, ten a line.
fn lets(n: usize, class: &str) -> String {
    let mut s = String::new();
    for k in (0..n).step_by(10) {
        let names: Vec<String> = (k..n.min(k + 10))
            .map(|i| format!("val{i}: {class}"))
            .collect();
        writeln!(s, "        let {}", names.join(", ")).unwrap();
    }
    s
}

/// One function keeping `n` values live at once: all defined, then all summed.
fn live_values(n: usize) -> String {
    let mut amd = lets(n, "gp64") + "        let acc: gp64\n";
    let mut arm = lets(n, "x") + "        let acc: x\n";
    for i in 0..n {
        writeln!(amd, "        lea val{i}, [a + {i}]").unwrap();
        writeln!(arm, "        add val{i}, a, #{}", i % 4096).unwrap();
    }
    amd.push_str("        xor acc, acc\n");
    arm.push_str("        mov acc, xzr\n");
    for i in 0..n {
        writeln!(amd, "        add acc, val{i}").unwrap();
        writeln!(arm, "        add acc, acc, val{i}").unwrap();
    }
    format!(
        "use go_asm::go_asm;\n#[go_asm]\npub fn live(a: u64) -> u64 {{\n    amd64! {{\n{amd}        return acc\n    }}\n    arm64! {{\n{arm}        return acc\n    }}\n    go! {{ return a }}\n}}\n"
    )
}

/// One function of `n` instructions on three values.
fn instructions(n: usize) -> String {
    let (mut amd, mut arm) = (String::new(), String::new());
    for i in 0..n {
        let (a, b) = if i % 2 == 0 { ("x", "y") } else { ("y", "x") };
        let op = ["add", "xor", "sub"][i % 3];
        let arm_op = ["add", "eor", "sub"][i % 3];
        writeln!(amd, "        {op} {a}, {b}").unwrap();
        writeln!(arm, "        {arm_op} {a}, {a}, {b}").unwrap();
    }
    format!(
        "use go_asm::go_asm;\n#[go_asm]\npub fn long(x: u64, y: u64) -> u64 {{\n    amd64! {{\n{amd}        return x\n    }}\n    arm64! {{\n{arm}        return x\n    }}\n    go! {{ return x }}\n}}\n"
    )
}

/// One function reading a table of `bytes` bytes (u64 elements, all different).
/// (Written into one string of the exact size, as reading the file would give:
/// the child's peak memory includes generating its input.)
fn table(bytes: usize) -> String {
    let n = bytes / 8;
    let head = format!(
        "use go_asm::go_asm;\n#[go_asm]\npub fn pick(i: u64) -> u64 {{\n    const T: [u64; {n}] = ["
    );
    let tail = "];\n    amd64! {\n        let t: gp64\n        lea t, [T]\n        mov t, qword [t + i*8]\n        return t\n    }\n    arm64! {\n        let t: x\n        adr t, T\n        ldr t, [t, i, lsl #3]\n        return t\n    }\n    go! { return T[i] }\n}\n";
    let elem = |i: u64| i.wrapping_mul(0x9e3779b97f4a7c15);
    let digits = |v: u64| v.checked_ilog10().unwrap_or(0) as usize + 1;
    let len = head.len() + tail.len() + (0..n as u64).map(|i| digits(elem(i)) + 2).sum::<usize>();
    let mut s = String::with_capacity(len);
    s.push_str(&head);
    for i in 0..n as u64 {
        write!(s, "{}, ", elem(i)).unwrap();
    }
    s.push_str(tail);
    debug_assert_eq!(s.len(), len);
    s
}

/// The source for one measurement.
fn input(kind: &str, size: usize) -> String {
    match kind {
        "functions" => functions(size),
        "live" => live_values(size),
        "instructions" => instructions(size),
        "table" | "table-written" | "table-streamed" => table(size),
        _ => panic!("unknown input kind {kind}"),
    }
}

/// Peak resident memory of this process so far, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// In a child: generate the input (not timed), run the build step on it, print
/// `ms peak_kib outcome` (the outcome splits the time into parse, compile, print).
fn measure_one(kind: &str, size: usize) {
    let text = input(kind, size);
    // The instruction tables are built on first use; not part of any size.
    let _ = (
        go_asm_build::internal::x86::forms::table(),
        go_asm_build::internal::arm64::forms::table(),
    );
    let root = go_asm_tests::repo_root();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    if kind.ends_with("-written") || kind.ends_with("-streamed") {
        // The whole build step from the source file to the package directory
        // (read, parse, compile, render, write through the staging directory).
        let dir = root.join(format!("target/bench-build/{kind}-{size}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench directory");
        let src = dir.join("bench.rs");
        std::fs::write(&src, &text).expect("bench source");
        drop(text);
        let pkg = Package::new("bench", dir.join("go")).source(&src);
        let t = Instant::now();
        let kib = |dir: &std::path::Path| {
            let files = std::fs::read_dir(dir).into_iter().flatten().flatten();
            files
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>()
                / 1024
        };
        // generate() returns the files it wrote; write_package() (what build()
        // does) streams the .s files and holds none of them whole.
        let result = if kind == "table-streamed" {
            pkg.write_package().map(|_| ())
        } else {
            pkg.generate().map(|_| ())
        };
        let outcome = match result {
            Err(e) => format!("error: {}", e.0.join("; ")),
            Ok(()) => format!("ok: written, {} KiB in the directory", kib(&dir.join("go"))),
        };
        println!("{:.3} {} {outcome}", ms(t), peak_kib());
        return;
    }
    let pkg = Package::new("bench", root.join("target/bench-build"));
    let t = Instant::now();
    let outcome = match parse_source("bench.rs", text) {
        Err(e) => format!("error: {}", e.join("; ")),
        Ok(source) => {
            let parsed = ms(t);
            let sources = [source];
            match pkg.compile_sources(&sources) {
                Err(e) => format!("error: {}", e.0.join("; ")),
                Ok(built) => {
                    let compiled = ms(t);
                    let files = pkg.render_built(&sources, &built);
                    format!(
                        "ok: parse {parsed:.1}, compile {:.1}, print {:.1} ms; {} KiB of output",
                        compiled - parsed,
                        ms(t) - compiled,
                        files.iter().map(|f| f.contents.len()).sum::<usize>() / 1024
                    )
                }
            }
        }
    };
    println!("{:.3} {} {outcome}", ms(t), peak_kib());
}

/// Runs one measurement in a child process: (ms, peak KiB, outcome).
fn child(kind: &str, size: usize) -> (f64, u64, String) {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args(["--one", kind, &size.to_string()])
        .output()
        .expect("runs itself");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text.trim().splitn(3, ' ');
    let ms = fields
        .next()
        .and_then(|f| f.parse().ok())
        .unwrap_or(f64::NAN);
    let kib = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
    let outcome = fields.next().unwrap_or("").to_string();
    if !out.status.success() {
        return (
            ms,
            kib,
            format!("crashed: {}", String::from_utf8_lossy(&out.stderr)),
        );
    }
    (ms, kib, outcome)
}

/// A series of sizes: time and peak memory per size, and per step the growth of
/// the time and the factor per doubling of the size (2.00: linear).
fn series(title: &str, kind: &str, sizes: &[usize]) {
    println!("{title}");
    println!(
        "  {:>9} {:>11} {:>10} {:>11} {:>10}  outcome",
        "size", "ms", "peak MiB", "x time", "x/doubling"
    );
    let mut prev: Option<(usize, f64)> = None;
    for &size in sizes {
        let (ms, kib, outcome) = child(kind, size);
        let (ratio, per_doubling) = match prev {
            Some((s0, t0)) => {
                let r = ms / t0;
                let doublings = (size as f64 / s0 as f64).log2();
                (
                    format!("{r:.2}x"),
                    format!("{:.2}", r.powf(1.0 / doublings)),
                )
            }
            None => (String::new(), String::new()),
        };
        let outcome: String = outcome.chars().take(120).collect();
        println!(
            "  {size:>9} {ms:>11.2} {:>10.1} {ratio:>11} {per_doubling:>10}  {outcome}",
            kib as f64 / 1024.0
        );
        prev = Some((size, ms));
    }
}

/// Spill loads and stores of a fixture's functions, per architecture (with
/// `dump`, also per function and its Go body).
fn spill_counts(fixture: &str, dump: bool) {
    let root = go_asm_tests::repo_root();
    let pkg = Package::new(fixture, root.join("target/bench-spill"))
        .source(root.join(format!("tests/fixtures/{fixture}.rs")));
    let (_, built) = pkg.compile().expect("the fixture compiles");
    for arch in [go_asm_build::Arch::Amd64, go_asm_build::Arch::Arm64] {
        let (mut spilled, mut loads, mut stores, mut args) = (0, 0, 0, 0);
        for (k, c) in built
            .compiled
            .iter()
            .enumerate()
            .flat_map(|(k, cs)| cs.iter().map(move |c| (k, c)))
            .filter(|(_, c)| c.arch == arch)
        {
            let (l, s) = go_asm_tests::spill_moves(c);
            if dump {
                println!(
                    "  function {k} {}: {} values in memory, {l} loads, {s} stores",
                    arch.goarch(),
                    c.spilled
                );
                for line in &c.go_body {
                    println!("    {line}");
                }
            }
            spilled += c.spilled;
            loads += l;
            stores += s;
            args += c.arg_slots.iter().flatten().count();
        }
        // Each value in memory is loaded at least once, and stored at least once
        // unless it is an argument (the shim stores those, outside the body).
        println!(
            "  {fixture:>9} {:>5}: {spilled:>4} values in memory ({args} arguments), {loads:>4} loads, {stores:>4} stores, {:>4} moves (floor {})",
            arch.goarch(),
            loads + stores,
            2 * spilled - args
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 4 && args[1] == "--one" {
        measure_one(&args[2], args[3].parse().expect("a size"));
        return;
    }
    if args.len() == 3 && args[1] == "--spill" {
        spill_counts(&args[2], true);
        return;
    }
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
    println!();
    println!("build step per input, both architectures, one child process each (time without generating the input; peak memory of the child)");
    series("functions", "functions", &[1, 10, 100, 1_000, 10_000]);
    series(
        "values live at once (all spilling past ~14)",
        "live",
        &[10, 100, 500, 1_000, 2_000],
    );
    series(
        "instructions in one body",
        "instructions",
        &[100, 1_000, 100_000],
    );
    series("table bytes", "table", &[1 << 10, 1 << 20]);
    series(
        "table bytes, written to a package directory (generate: returns the files)",
        "table-written",
        &[1 << 10, 1 << 20],
    );
    series(
        "table bytes, written to a package directory (build's path: .s files streamed)",
        "table-streamed",
        &[1 << 10, 1 << 20],
    );
    println!();
    println!("spill code (Go text of the bodies: loads and stores between a register and a slot)");
    spill_counts("spill", false);
    spill_counts("schedule", false);
}
