//! Compile-time expansion (`const`, `for`, register arrays): each expanded block
//! must compile to exactly the bytes and Go text of the same block written out by
//! hand, on both architectures.

use go_asm_build::internal::compile::{compile, Compiled};
use go_asm_build::internal::parse_fn;
use go_asm_build::Arch;

fn compiled(src: &str, arch: Arch) -> Compiled {
    let item: syn::ItemFn = syn::parse_str(src).expect("valid Rust");
    let f = parse_fn(&item, &Default::default(), Default::default()).expect("parses");
    compile(&f, arch).unwrap_or_else(|e| panic!("{e}"))
}

fn same(expanded: &str, by_hand: &str, arch: Arch) {
    let a = compiled(expanded, arch);
    let b = compiled(by_hand, arch);
    assert_eq!(a.go_body, b.go_body);
    assert_eq!(a.bytes, b.bytes);
}

#[test]
fn a_loop_is_its_body_written_out() {
    same(
        "fn f(xs: &[u64]) -> u64 { amd64! {
            const STEP = 8
            let t: gp64
            xor t, t
            for i in 0..4 {
                add t, qword [xs.ptr + i*STEP]
            }
            for i in 1..=2 { shl t, i }
            return t
        } }",
        "fn f(xs: &[u64]) -> u64 { amd64! {
            let t: gp64
            xor t, t
            add t, qword [xs.ptr + 0]
            add t, qword [xs.ptr + 8]
            add t, qword [xs.ptr + 16]
            add t, qword [xs.ptr + 24]
            shl t, 1
            shl t, 2
            return t
        } }",
        Arch::Amd64,
    );
}

#[test]
fn nested_loops_register_arrays_and_views() {
    same(
        "/// # Safety
        /// Needs avx.
        unsafe fn f(xs: &[f64]) -> f64 { #[features(avx)] amd64! {
            const N = 2
            let acc[N * 2]: ymm
            for k in 0..N*2 { vxorpd acc[k], acc[k], acc[k] }
            for i in 0..N {
                for j in 0..2 {
                    vaddpd acc[i*2 + j], acc[i*2 + j], ymmword [xs.ptr + (i*2 + j)*32]
                }
            }
            for k in 1..4 { vaddpd acc[0], acc[0], acc[(k + 4) % 4] }
            return acc[0].128
        } }",
        "/// # Safety
        /// Needs avx.
        unsafe fn f(xs: &[f64]) -> f64 { #[features(avx)] amd64! {
            let a0: ymm, a1: ymm, a2: ymm, a3: ymm
            vxorpd a0, a0, a0
            vxorpd a1, a1, a1
            vxorpd a2, a2, a2
            vxorpd a3, a3, a3
            vaddpd a0, a0, ymmword [xs.ptr + 0]
            vaddpd a1, a1, ymmword [xs.ptr + 32]
            vaddpd a2, a2, ymmword [xs.ptr + 64]
            vaddpd a3, a3, ymmword [xs.ptr + 96]
            vaddpd a0, a0, a1
            vaddpd a0, a0, a2
            vaddpd a0, a0, a3
            return a0.128
        } }",
        Arch::Amd64,
    );
}

#[test]
fn labels_are_local_to_an_iteration() {
    same(
        "fn f(x: u64) -> u64 { amd64! {
            for i in 0..3 {
                test x, 1 << i
                jz skip
                add x, i
            skip:
            }
            return x
        } }",
        "fn f(x: u64) -> u64 { amd64! {
            test x, 1
            jz skip_0
            add x, 0
        skip_0:
            test x, 2
            jz skip_1
            add x, 1
        skip_1:
            test x, 4
            jz skip_2
            add x, 2
        skip_2:
            return x
        } }",
        Arch::Amd64,
    );
}

#[test]
fn arm64_arrays_take_arrangements() {
    same(
        "fn f(xs: &[u32]) -> u32 { arm64! {
            let v[2]: v, t: w
            for i in 0..2 { ldr v[i].q, [xs.ptr, #i*16] }
            add v[0].4s, v[0].4s, v[1].4s
            addv v[0].s, v[0].4s
            fmov t, v[0].s
            return t
        } }",
        "fn f(xs: &[u32]) -> u32 { arm64! {
            let a: v, b: v, t: w
            ldr a.q, [xs.ptr, #0]
            ldr b.q, [xs.ptr, #16]
            add a.4s, a.4s, b.4s
            addv a.s, a.4s
            fmov t, a.s
            return t
        } }",
        Arch::Arm64,
    );
}

/// `//` comments in blocks reach the `.s` files at their lines, once each, also
/// inside a repetition; `go tool asm` accepting them is checked by the examples
/// (`go vet` over every committed package, whose kernels carry comments).
#[test]
fn comments_are_carried_into_the_assembly() {
    let src = r#"
#[go_asm]
pub fn f(x: u64) -> u64 {
    amd64! {
        // Three rounds.
        for i in 0..3 {
            add x, i // bump
        }
    done:
        // Leave.
        return x
    }
    arm64! {
        /* not this */ add x, x, #1 // one
        return x
    }
    go! { return x + 3 }
}
"#;
    let files = go_asm_tests::pipeline::generate("p.rs", src, "p").expect("generates");
    let text = |name: &str| {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).expect(name);
        String::from_utf8(bytes.clone()).expect("utf-8")
    };
    let amd64 = text("p_amd64.s");
    if std::env::var("SHOW").is_ok() {
        println!("{amd64}{}", text("p_arm64.s"));
    }
    let body: Vec<&str> = amd64
        .lines()
        .skip_while(|l| !l.starts_with("TEXT"))
        .collect();
    let at = |needle: &str| {
        body.iter()
            .position(|l| *l == needle)
            .unwrap_or_else(|| panic!("`{needle}` not in\n{amd64}"))
    };
    let head = at("\t// Three rounds.");
    assert!(body[head + 1].ends_with(" // bump"), "{amd64}");
    assert_eq!(amd64.matches("// bump").count(), 1, "{amd64}");
    assert_eq!(at("\t// Leave."), at("done:") + 1, "{amd64}");
    let arm64 = text("p_arm64.s");
    assert!(arm64.contains(" // one\n"), "{arm64}");
    assert!(!arm64.contains("not this"), "{arm64}");
}

fn compiled_in_file(src: &str, name: &str, arch: Arch) -> Compiled {
    let source = go_asm_build::internal::package::parse_source("p.rs", src.to_string())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let f = source
        .fns
        .iter()
        .find(|f| f.sig.name == name)
        .expect("function");
    compile(f, arch).unwrap_or_else(|e| panic!("{e}"))
}

/// Macros shared by a `#[go_asm] mod`, with register, immediate, memory and
/// label arguments and labels local to each expansion, expand to the body
/// written by hand; a block may define its own macros too.
#[test]
fn shared_macros_expand_to_their_bodies() {
    let src = r#"
#[go_asm]
mod m {
    go_asm_macros! {
        const SHIFT = 3
        macro mix(a, b, k) {
            add a, b
            rol a, k + SHIFT
        }
        macro add_if_odd(a, src, out) {
            test a, 1
            jz skip
            add a, src
        skip:
            jmp out
        }
    }
    #[go_asm]
    pub fn f(x: u64, y: u64, xs: &[u64]) -> u64 {
        amd64! {
            mix!(x, y, 1)
            mix!(y, x, 2)
            add_if_odd!(x, qword [xs.ptr + 8], next)
        next:
            add_if_odd!(x, y, done)
        done:
            return x
        }
        go! { return x }
    }
    #[go_asm]
    pub fn g(x: u64, y: u64) -> u64 {
        amd64! {
            macro twice(r) {
                add r, r
                add r, r
            }
            twice!(x)
            mix!(x, y, 0)
            return x
        }
        go! { return x }
    }
}
"#;
    let by_hand = r#"
#[go_asm]
pub fn f(x: u64, y: u64, xs: &[u64]) -> u64 {
    amd64! {
        add x, y
        rol x, 4
        add y, x
        rol y, 5
        test x, 1
        jz skip_add_if_odd3
        add x, qword [xs.ptr + 8]
    skip_add_if_odd3:
        jmp next
    next:
        test x, 1
        jz skip_add_if_odd4
        add x, y
    skip_add_if_odd4:
        jmp done
    done:
        return x
    }
    go! { return x }
}
#[go_asm]
pub fn g(x: u64, y: u64) -> u64 {
    amd64! {
        add x, x
        add x, x
        add x, y
        rol x, 3
        return x
    }
    go! { return x }
}
"#;
    for name in ["f", "g"] {
        let a = compiled_in_file(src, name, Arch::Amd64);
        let b = compiled_in_file(by_hand, name, Arch::Amd64);
        assert_eq!(a.go_body, b.go_body, "{name}");
        assert_eq!(a.bytes, b.bytes, "{name}");
    }
}
