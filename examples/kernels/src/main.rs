//! The main job: this crate's build script generated the Go packages under
//! `go/`; this program calls the same kernels natively from Rust, then runs the
//! Go demo over the generated packages, natively and (when qemu is there) as
//! linux/arm64, so the three can be compared line by line.

use go_asm_kernels::{add, count, dot, fields, fnv, lookup, mulfull, routed, search, sum};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let xs: Vec<u64> = (1..=10).collect();
    let data = b"hello, go-asm";
    let text = "hello, go-asm";
    println!(
        "== Rust, through the native objects ({})",
        std::env::consts::ARCH
    );
    println!("add(40, 2)            = {}", add::add(40, 2));
    println!("sum(1..10)            = {}", sum::sum(&xs));
    println!(
        "count_byte({text:?}, 'o') = {}",
        count::count_byte(text, b'o')
    );
    println!(
        "count_byte64({text:?}, 'o') = {}",
        count::count_byte64(text, b'o')
    );
    let p = fields::Point3 { x: 1, y: 2, z: 3 };
    println!("field_sum({{1, 2, 3}})  = {}", fields::field_sum(&p));
    println!("fnv1a64({text:?})    = {:#x}", fnv::fnv1a64(data));
    let (hi, lo) = mulfull::mul_full(0xdeadbeefcafebabe, 0x123456789abcdef);
    println!("mul_full(...)         = ({hi:#x}, {lo:#x})");
    println!("pop_count({text:?})  = {}", lookup::pop_count(data));
    println!(
        "mix(40, 2)            = {:#x} (routed: from a .syso where linked)",
        routed::mix(40, 2)
    );
    println!(
        "dot([1 2 3], [4 5 6]) = {}",
        dot::dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0])
    );
    println!(
        "index_byte(\"go-asm\", b'a') = {}",
        search::index_byte(b"go-asm", b'a')
    );

    let go_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("go");
    let mut runs = vec![("native", vec![])];
    if Command::new("qemu-aarch64")
        .arg("--version")
        .output()
        .is_ok()
    {
        runs.push((
            "linux/arm64 under qemu",
            vec![("GOARCH", "arm64"), ("GOOS", "linux")],
        ));
    }
    for (what, env) in runs {
        println!("\n== Go, the generated packages ({what})");
        let start = Instant::now();
        let mut cmd = Command::new("go");
        cmd.current_dir(&go_dir)
            .env("CGO_ENABLED", "0")
            .args(["run"]);
        if !env.is_empty() {
            cmd.args(["-exec", "qemu-aarch64"]);
        }
        cmd.arg("./demo").envs(env);
        match cmd.status() {
            Ok(s) if s.success() => println!("({:.1} s)", start.elapsed().as_secs_f64()),
            Ok(s) => {
                eprintln!("go run ./demo failed: {s}");
                std::process::exit(1);
            }
            Err(e) => {
                eprintln!("cannot run go: {e} (Go 1.21 or newer must be on PATH)");
                std::process::exit(1);
            }
        }
    }
}
