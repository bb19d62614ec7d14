//! Native objects: read back with `object` and `llvm-objdump`, linked into a C
//! program with the generated headers, callee-saved registers preserved, and the
//! body bytes identical to what Go's assembler makes of the Go file.

use go_asm_build::internal::native::{native_fn, native_targets, Linkage, Target};
use go_asm_build::{Arch, Package};
use go_asm_tests::{
    example_package, example_packages, go_asm_listing, repo_root, run, run_c_program,
    sentinel_harness, tool,
};
use object::{Object, ObjectSection, ObjectSymbol};
use std::path::Path;

fn linux(arch: Arch) -> Target {
    let rust = if arch == Arch::Amd64 {
        "x86_64"
    } else {
        "aarch64"
    };
    Target::for_rust_target(rust, "linux").expect("linux target")
}

#[test]
fn objects_read_back_with_object_and_llvm_objdump() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut absent = 0;
    for (name, _, _) in example_packages() {
        let pkg = example_package(&name);
        let (sources, built) = pkg.compile().expect("compiles");
        let fns: Vec<_> = sources.iter().flat_map(|s| s.fns.iter()).collect();
        for &target in native_targets() {
            for linkage in [Linkage::Relocatable, Linkage::Syso] {
                let bytes = pkg
                    .native_object(&sources, &built, target, linkage)
                    .expect("object");
                let file = object::File::parse(&*bytes).expect("parses");
                let want_format = match target.format {
                    go_asm_build::internal::native::Format::Elf => object::BinaryFormat::Elf,
                    go_asm_build::internal::native::Format::MachO => object::BinaryFormat::MachO,
                    go_asm_build::internal::native::Format::Coff => object::BinaryFormat::Coff,
                };
                assert_eq!(file.format(), want_format);
                let want_arch = match target.arch {
                    Arch::Amd64 => object::Architecture::X86_64,
                    Arch::Arm64 => object::Architecture::Aarch64,
                };
                assert_eq!(file.architecture(), want_arch);
                let relocs: usize = file.sections().map(|s| s.relocations().count()).sum();
                let tables: usize = fns
                    .iter()
                    .map(|f| count_table_refs(f, &built, &fns, target.arch))
                    .sum();
                match linkage {
                    Linkage::Syso => assert_eq!(
                        relocs, 0,
                        "{name} {target:?}: a .syso object must carry no relocations"
                    ),
                    Linkage::Relocatable => assert_eq!(
                        relocs, tables,
                        "{name} {target:?}: one relocation per table reference"
                    ),
                }
                for (f, compiled) in fns.iter().zip(&built.compiled) {
                    // A dispatching function has no body of its own (its variants do).
                    if f.dispatches() {
                        assert!(compiled.is_empty(), "{} dispatches", f.sig.name);
                        continue;
                    }
                    let sym_name = if target.format == go_asm_build::internal::native::Format::MachO
                    {
                        format!("_{}", f.symbol)
                    } else {
                        f.symbol.clone()
                    };
                    let c = compiled.iter().find(|c| c.arch == target.arch);
                    assert_eq!(
                        c.is_some(),
                        f.block(target.arch).is_some(),
                        "{name} {target:?}: {} is compiled exactly where it has a block",
                        f.sig.name
                    );
                    // A function without a block for this arch (bits' pdep on arm64)
                    // has no native body: the object must not define its symbol.
                    let Some(c) = c else {
                        assert!(
                            file.symbols().all(|s| s.name() != Ok(sym_name.as_str())),
                            "{name} {target:?}: {sym_name} has no {} block but is defined",
                            target.arch.goarch()
                        );
                        absent += 1;
                        continue;
                    };
                    let native = native_fn(f, c, target).unwrap();
                    let sym = file
                        .symbols()
                        .find(|s| s.name() == Ok(sym_name.as_str()))
                        .unwrap_or_else(|| panic!("{name} {target:?}: no symbol {sym_name}"));
                    // Only ELF symbols carry sizes (Mach-O nlist and COFF symbols do not).
                    if target.format == go_asm_build::internal::native::Format::Elf {
                        assert_eq!(sym.size(), native.code.len() as u64, "{sym_name} size");
                    }
                    assert!(sym.is_global(), "{sym_name} is global");
                }
                let path = dir.path().join(format!(
                    "{name}_{}_{:?}_{linkage:?}.o",
                    target.goos, target.arch
                ));
                std::fs::write(&path, &bytes).unwrap();
                let dump = run(tool("llvm-objdump").args(["-d", "-r"]).arg(&path));
                // A dispatching function has no symbol of its own (its variants do).
                for f in fns.iter().filter(|f| !f.dispatches()) {
                    // `<symbol>:` heads a function's disassembly; a function without a
                    // block for this arch must not have one.
                    let listed = dump.contains(&format!("{}>:", f.symbol));
                    assert_eq!(
                        listed,
                        f.block(target.arch).is_some(),
                        "llvm-objdump lists {} exactly where it has a {} block:\n{dump}",
                        f.symbol,
                        target.arch.goarch()
                    );
                }
                // .syso objects keep their tables in the text section (no relocations), so
                // only the relocatable ones are pure code.
                if linkage == Linkage::Relocatable {
                    assert!(
                        !dump.contains("<unknown>"),
                        "llvm-objdump decodes every byte:\n{dump}"
                    );
                }
                checked += 1;
            }
        }
    }
    println!("objects checked: {checked} ({absent} symbols rightly absent: no block for the arch)");
    assert!(
        absent > 0,
        "the examples include a function with blocks for some arches only (bits)"
    );
}

fn count_table_refs(
    f: &go_asm_build::internal::func::AsmFn,
    built: &go_asm_build::internal::package::Built,
    all: &[&go_asm_build::internal::func::AsmFn],
    arch: Arch,
) -> usize {
    let i = all.iter().position(|g| std::ptr::eq(*g, f)).unwrap();
    built.compiled[i]
        .iter()
        .find(|c| c.arch == arch)
        .map(|c| c.table_refs.len())
        .unwrap_or(0)
}

/// C reference implementations and checks for every example, through the headers.
const C_HARNESS: &str = r#"
#define GO_ASM_SHORT_NAMES
#include <stdio.h>
#include <string.h>
#include "add.h"
#include "bits.h"
#include "count.h"
#include "dot.h"
#include "fields.h"
#include "fnv.h"
#include "lookup.h"
#include "mulfull.h"
#include "sum.h"
#include "types.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static uint64_t rng = 88172645463325252ull;
static uint64_t arr2[8];
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

int main(void) {
    int checks = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = next(), y = next();
        CHECK(add(x, (uint16_t)y) == x + (uint16_t)y, "add"); checks++;
        struct mul_full_results r = mul_full(x, y);
        unsigned __int128 p = (unsigned __int128)x * y;
        CHECK(r.r0 == (uint64_t)(p >> 64) && r.r1 == (uint64_t)p, "mul_full %llx %llx", (unsigned long long)x, (unsigned long long)y); checks++;
        struct Point3 pt = { x, y, x ^ y };
        CHECK(field_sum(&pt) == x + y + (x ^ y), "field_sum"); checks++;
        int64_t want = (int64_t)(int8_t)x + (int16_t)y + (int32_t)(x >> 8) + (int64_t)y + (uint8_t)(y >> 3) + (uint16_t)(x >> 5) + (uint32_t)(y >> 7);
        CHECK(widen((int8_t)x, (int16_t)y, (int32_t)(x >> 8), (int64_t)y, (uint8_t)(y >> 3), (uint16_t)(x >> 5), (uint32_t)(y >> 7)) == want, "widen"); checks++;
        CHECK(choose(x & 1, (size_t)y, -5) == ((x & 1) ? (ptrdiff_t)y : -5), "choose"); checks++;
        CHECK(is_even(x) == ((x & 1) == 0), "is_even"); checks++;
        CHECK(scale(1.5, (float)(x & 0xff)) == 1.5 * (double)(float)(x & 0xff), "scale"); checks++;
        uint32_t arr[4] = {(uint32_t)x, 1, 2, (uint32_t)y};
        CHECK(ends(arr) == (uint32_t)x + (uint32_t)y, "ends"); checks++;
        struct ones2_results o2 = ones2(x, y); /* dispatching, two results */
        CHECK(o2.r0 == (uint64_t)__builtin_popcountll(x) && o2.r1 == (uint64_t)__builtin_popcountll(y), "ones2"); checks++;
        CHECK(ones(x) == (uint64_t)__builtin_popcountll(x), "ones"); checks++;
        uint32_t state[5] = {(uint32_t)y, 0, 0, 0, (uint32_t)x}, grid[2][4] = {{0}, {0, 0, 0, (uint32_t)(y >> 32)}};
        CHECK(bump(state, grid) == (uint32_t)y && state[4] == (uint32_t)x + (uint32_t)(y >> 32), "bump"); checks++;
        uint64_t cell = 0, a1 = x, b1 = y;
        store(&cell, x); CHECK(cell == x, "store"); checks++;
        swap(&a1, &b1); CHECK(a1 == y && b1 == x, "swap"); checks++;
        CHECK(offset(arr2, 3) == &arr2[3], "offset"); checks++;
        /* named results: the results struct's fields carry the names */
        struct add_carry_results ac = add_carry(x, y, (x >> 7) & 1);
        unsigned __int128 acw = (unsigned __int128)x + y + ((x >> 7) & 1);
        CHECK(ac.sum == (uint64_t)acw && ac.carry == (uint64_t)(acw >> 64), "add_carry"); checks++;
        /* unnamed parameters: C passes every argument, under generated names */
        CHECK(second(x, (uint32_t)y, (const uint8_t *)arr, 3, 3, 0.5, true) == 0.5 + (double)(uint32_t)y, "second"); checks++;
        /* arrays by value: parameters by address, results filled through the last parameters */
        {
            uint32_t m[2][3] = {{(uint32_t)x, 1, 2}, {3, 4, (uint32_t)y}}, t[3][2];
            transpose(m, t);
            CHECK(t[0][0] == (uint32_t)x && t[0][1] == 3 && t[1][0] == 1 && t[2][0] == 2 && t[2][1] == (uint32_t)y && t[1][1] == 4, "transpose"); checks++;
            bool bs[8]; uint32_t n = bools((uint8_t)x, bs), ok = 1;
            for (int i = 0; i < 8; i++) ok &= bs[i] == (((x >> i) & 1) != 0);
            CHECK(ok && n == (uint32_t)__builtin_popcount((uint8_t)x), "bools"); checks++;
            double xs2[2] = {(double)(int32_t)x, 0.25}, ys2[2] = {1.5, (double)(int16_t)y}, r2[2];
            axpy2(-3.0, xs2, ys2, r2);
            CHECK(r2[0] == -3.0 * xs2[0] + ys2[0] && r2[1] == -3.0 * xs2[1] + ys2[1], "axpy2"); checks++;
            const uint64_t *ps[2] = {&x, &y};
            CHECK(sum2(ps) == x + y, "sum2"); checks++;
            uint8_t block[16]; const uint8_t *hv[2];
            halves(block, hv);
            CHECK(hv[0] == block && hv[1] == block + 8, "halves"); checks++;
            uint64_t v4[4] = {x, y, x ^ y, ~x}, lo[2], hi[2];
            split(v4, lo, hi);
            CHECK(lo[0] == x && lo[1] == y && hi[0] == (x ^ y) && hi[1] == ~x, "split"); checks++;
            /* unsafe.Pointer is void *; go_type(..) changes only the Go declaration */
            CHECK(advance(block, 5) == (void *)(block + 5), "advance"); checks++;
            CHECK(later((int64_t)x, (int64_t)y) == (int64_t)(x + y), "later"); checks++;
            CHECK(warmer((uint32_t)x, (uint32_t)y) == (uint32_t)(x + y), "warmer"); checks++;
        }
        /* Structs and complex numbers by value: the C compiler passes them. */
        struct Pair pr = {(uint32_t)x, (uint32_t)(y >> 7)};
        CHECK(span(pr) == pr.b - pr.a, "span"); checks++;
        struct Mixed mx = {(x & 1) != 0, (int16_t)(y >> 3), (float)(int32_t)(x >> 40) * 0.25f, (double)(int64_t)y * 0.5};
        struct weigh_results wr = weigh(mx);
        CHECK(wr.r0 == (int64_t)mx.k + mx.flag && wr.r1 == (double)mx.x + mx.y, "weigh"); checks++;
        struct Vec2 v2 = {(float)(int16_t)x * 0.125f, (float)(int16_t)y * 0.5f};
        volatile float v2x = v2.x * v2.x, v2y = v2.y * v2.y; /* volatile: no fused multiply-add */
        CHECK(norm2(v2) == v2x + v2y, "norm2"); checks++;
        struct Big bg = {x, y, x * y, (int8_t)(y >> 11)};
        CHECK(big_sum(bg, y ^ 5) == (y ^ 5) + bg.a + bg.b + bg.c + (uint64_t)(int64_t)bg.d, "big_sum"); checks++;
        double _Complex ca, cb;
        double ra = (double)(int32_t)x, ia = (double)(int32_t)(x >> 32), rb = (double)(int32_t)y * 0.5, ib = (double)(int32_t)(y >> 32) * 0.25;
        ((double *)&ca)[0] = ra; ((double *)&ca)[1] = ia; ((double *)&cb)[0] = rb; ((double *)&cb)[1] = ib;
        struct cmul_results cm = cmul(ca, cb);
        volatile double t1 = ra * rb, t2 = ia * ib, t3 = ra * ib, t4 = ia * rb;
        CHECK(cm.r0 == t1 - t2 && cm.r1 == t3 + t4, "cmul"); checks++;
        float _Complex cf;
        ((float *)&cf)[0] = v2.x; ((float *)&cf)[1] = v2.y;
        CHECK(cabs2(cf) == v2x + v2y, "cabs2"); checks++;
        /* Struct and complex results: the C compiler reads them where each ABI puts them. */
        struct Pair sw = swapped(pr);
        CHECK(sw.a == pr.b && sw.b == pr.a, "swapped"); checks++;
        struct Vec2 w2 = {(float)(int16_t)y * 0.25f, (float)(int16_t)(x >> 16)}, mid = midpoint(v2, w2);
        volatile float mx_ = (v2.x + w2.x) * 0.5f, my_ = (v2.y + w2.y) * 0.5f;
        CHECK(mid.x == mx_ && mid.y == my_, "midpoint"); checks++;
        struct Mixed nd = nudged(mx);
        CHECK(nd.flag == mx.flag && nd.k == (int16_t)(mx.k + 1) && nd.x == mx.x && nd.y == mx.y + mx.y, "nudged"); checks++;
        struct Big rt = rotated(bg);
        CHECK(rt.a == bg.c && rt.b == bg.a && rt.c == bg.b && rt.d == (int8_t)-bg.d, "rotated"); checks++;
        double _Complex cj = conj(ca);
        CHECK(((double *)&cj)[0] == ra && ((double *)&cj)[1] == -ia, "conj"); checks++;
        float _Complex cs = cscale(cf, 1.5f);
        volatile float csr = v2.x * 1.5f, csi = v2.y * 1.5f;
        CHECK(((float *)&cs)[0] == csr && ((float *)&cs)[1] == csi, "cscale"); checks++;
        /* Nested structs, array fields and a pointer field. */
        uint64_t pcell = y ^ 0x55;
        struct Outer ou = {(uint8_t)x, {(int32_t)y, (int32_t)(y >> 32)}, {v2.x, v2.y, w2.x}, {{(int32_t)(x >> 8), -1}, {5, (int32_t)(x >> 40)}}, &pcell};
        struct tally_results ta = tally(ou);
        volatile float wsum = ou.w[0] + ou.w[1];
        volatile float wsum2 = wsum + ou.w[2];
        CHECK(ta.r0 == (int64_t)ou.tag + ou.inner.lo + ou.inner.hi + ou.pts[0].lo + ou.pts[1].hi + (int64_t)pcell && ta.r1 == wsum2, "tally"); checks++;
        struct Quad qd = {{v2.x, v2.y, w2.x, w2.y}}, qr = reversed(qd);
        CHECK(qr.v[0] == qd.v[3] && qr.v[1] == qd.v[2] && qr.v[2] == qd.v[1] && qr.v[3] == qd.v[0], "reversed"); checks++;
    }
    for (size_t n = 0; n < 200; n++) {
        uint64_t xs[200]; uint8_t bytes[200]; uint64_t s = 0, pc = 0, h = 0xcbf29ce484222325ull, cnt = 0;
        for (size_t i = 0; i < n; i++) {
            xs[i] = next(); s += xs[i]; bytes[i] = (uint8_t)next();
            pc += __builtin_popcount(bytes[i]); h = (h ^ bytes[i]) * 0x100000001b3ull;
            if (bytes[i] == 7) cnt++;
        }
        CHECK(sum(xs, n, n) == s, "sum n=%zu", n); checks++;
        CHECK(pop_count(bytes, n, n) == pc, "pop_count n=%zu", n); checks++;
        CHECK(fnv1a64(bytes, n, n) == h, "fnv1a64 n=%zu", n); checks++;
        CHECK(count_byte(bytes, n, 7) == cnt, "count_byte n=%zu", n); checks++;
        CHECK(fill(bytes, n, n, 0x5a) == n, "fill n=%zu", n); checks++;
        for (size_t i = 0; i < n; i++) CHECK(bytes[i] == 0x5a, "fill byte %zu", i);
    }
#if defined(__x86_64__)
    int have_dot = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    int have_dot = 1;
#endif
    if (have_dot) {
        float a[100], b[100]; double want = 0;
        for (int i = 0; i < 100; i++) { a[i] = (float)(i % 7) * 0.5f; b[i] = (float)(i % 5) * 0.25f; want += (double)a[i] * b[i]; }
        float got = dot(a, 100, 100, b, 100, 100);
        CHECK(got > want - 0.01 && got < want + 0.01, "dot %f want %f", got, want); checks++;
    } else {
        printf("note: dot not checked, this CPU lacks AVX2/FMA\n");
    }
    printf("%d checks, %d failures\n", checks, failures);
    return failures != 0;
}
"#;

/// Writes every example's header and object for `target` into `dir`.
fn example_objects(dir: &Path, target: Target) -> Vec<std::path::PathBuf> {
    let mut objects = Vec::new();
    for (name, _, _) in example_packages() {
        let pkg = example_package(&name);
        let (sources, built) = pkg.compile().expect("compiles");
        for f in pkg.render_built(&sources, &built) {
            if f.name.ends_with(".h") {
                std::fs::write(dir.join(&f.name), &f.contents).unwrap();
            }
        }
        let obj = pkg
            .native_object(&sources, &built, target, Linkage::Relocatable)
            .unwrap();
        let path = dir.join(format!("{name}.o"));
        std::fs::write(&path, obj).unwrap();
        objects.push(path);
    }
    objects
}

#[test]
fn c_program_links_the_objects_and_agrees_amd64() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = example_objects(dir.path(), linux(Arch::Amd64));
    let main = dir.path().join("main.c");
    std::fs::write(&main, C_HARNESS).unwrap();
    inputs.insert(0, main);
    let out = run_c_program(
        Arch::Amd64,
        dir.path(),
        &inputs,
        &dir.path().join("harness"),
    );
    assert!(out.contains(" 0 failures"), "{out}");
    println!("{}", out.trim());
}

#[test]
fn c_program_links_the_objects_and_agrees_arm64_under_qemu() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = example_objects(dir.path(), linux(Arch::Arm64));
    let main = dir.path().join("main.c");
    std::fs::write(&main, C_HARNESS).unwrap();
    inputs.insert(0, main);
    let out = run_c_program(
        Arch::Arm64,
        dir.path(),
        &inputs,
        &dir.path().join("harness"),
    );
    assert!(out.contains(" 0 failures"), "{out}");
    println!("arm64: {}", out.trim());
}

const SENTINEL_MAIN: &str = r#"
#define GO_ASM_SHORT_NAMES
#include <stdio.h>
#include <stdint.h>
#include "add.h"
#include "count.h"
#include "dot.h"
#include "fields.h"
#include "fnv.h"
#include "lookup.h"
#include "mulfull.h"
#include "sum.h"
#include "pressure.h"
uint64_t call_with_sentinels(void *fn, uint64_t a, uint64_t b, int *ok);
static uint64_t pressure_ref(uint64_t a, uint64_t b) {
    uint64_t v = a + b;
    v ^= a + 2*b; v += a + 4*b; v ^= a + 8*b; v += b + 2*a; v ^= b + 4*a; v += b + 8*a;
    v ^= a + 7; v += b + 8; v ^= a + b + 9; v += 3*a + 10; v ^= 3*b + 11;
    return v;
}
int main(void) {
    int bad = 0, ok;
    uint64_t xs[4] = {1, 2, 3, 4};
    struct Point3 p = {1, 2, 3};
    struct { const char *name; void *fn; uint64_t a, b; } calls[] = {
        {"add", (void *)add, 5, 6},
        {"field_sum", (void *)field_sum, (uint64_t)&p, 0},
        {"mul_full", (void *)mul_full, 7, 8},
        {"pressure", (void *)pressure, 3, 5},
    };
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        call_with_sentinels(calls[i].fn, calls[i].a, calls[i].b, &ok);
        if (!ok) { printf("FAIL %s clobbered a callee-saved register\n", calls[i].name); bad++; }
    }
    /* Slice functions take (ptr, len, cap): the harness passes (ptr, len) and cap = rdx garbage, unused. */
    void *slice_fns[] = {(void *)sum, (void *)pop_count, (void *)fnv1a64, (void *)count_byte};
    const char *slice_names[] = {"sum", "pop_count", "fnv1a64", "count_byte"};
    for (int i = 0; i < 4; i++) {
        call_with_sentinels(slice_fns[i], (uint64_t)xs, 4, &ok);
        if (!ok) { printf("FAIL %s clobbered a callee-saved register\n", slice_names[i]); bad++; }
    }
    uint64_t got = call_with_sentinels((void *)pressure, 3, 5, &ok);
    if (got != pressure_ref(3, 5)) { printf("FAIL pressure = %llu, want %llu\n", (unsigned long long)got, (unsigned long long)pressure_ref(3, 5)); bad++; }
    printf("sentinels: %d failures\n", bad);
    return bad != 0;
}
"#;

fn pressure_package(dir: &Path) -> Package {
    Package::new("pressure", dir.join("pressure"))
        .source(repo_root().join("tests/fixtures/pressure.rs"))
}

/// Every example and the pressure fixture called through the sentinel harness:
/// the native prologues save and restore what the C ABI says the callee keeps.
fn callee_saved_registers_survive(arch: Arch) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut packages: Vec<(String, Package)> = example_packages()
        .into_iter()
        .map(|(n, _, _)| (n.clone(), example_package(&n)))
        .collect();
    packages.push(("pressure".into(), pressure_package(dir.path())));
    let main = dir.path().join("main.c");
    std::fs::write(&main, SENTINEL_MAIN).unwrap();
    let mut inputs = vec![main, sentinel_harness(arch)];
    let mut pressure_saves = false;
    for (name, pkg) in &packages {
        let (sources, built) = pkg.compile().expect("compiles");
        for f in pkg.render_built(&sources, &built) {
            if f.name.ends_with(".h") {
                std::fs::write(dir.path().join(&f.name), &f.contents).unwrap();
            }
        }
        if name == "pressure" {
            let c = built
                .compiled
                .iter()
                .flatten()
                .find(|c| c.arch == arch)
                .expect("the pressure fixture compiles for both arches");
            let callee_saved: &[u8] = match arch {
                Arch::Amd64 => &[3, 12, 13, 14],
                Arch::Arm64 => &[19, 20, 21, 22, 23, 24, 25, 26, 27, 28],
            };
            pressure_saves = c.clobbers.iter().any(|r| callee_saved.contains(r));
        }
        let path = dir.path().join(format!("{name}.o"));
        std::fs::write(
            &path,
            pkg.native_object(&sources, &built, linux(arch), Linkage::Relocatable)
                .unwrap(),
        )
        .unwrap();
        inputs.push(path);
    }
    assert!(
        pressure_saves,
        "the pressure fixture must use callee-saved registers"
    );
    let out = run_c_program(arch, dir.path(), &inputs, &dir.path().join("sentinels"));
    assert!(out.contains("sentinels: 0 failures"), "{out}");
    out.trim().to_string()
}

#[test]
fn callee_saved_registers_survive_every_call_amd64() {
    println!("amd64 {}", callee_saved_registers_survive(Arch::Amd64));
}

#[test]
fn callee_saved_registers_survive_every_call_arm64_under_qemu() {
    println!("arm64 {}", callee_saved_registers_survive(Arch::Arm64));
}

#[test]
fn go_assembled_bodies_equal_native_bodies() {
    let mut compared = 0;
    // Per architecture, the functions with a block for it: each has a native body
    // to compare (bits' pdep has only an amd64 one).
    let mut with_block = 0;
    let mut without_block = 0;
    for arch in [Arch::Amd64, Arch::Arm64] {
        let target = linux(arch);
        let goarch = if arch == Arch::Amd64 {
            "amd64"
        } else {
            "arm64"
        };
        for (name, _, go_dir) in example_packages() {
            let pkg = example_package(&name);
            let (sources, built) = pkg.compile().expect("compiles");
            let listing = go_asm_listing(&go_dir, &format!("{name}_{goarch}.s"), goarch, &name);
            let obj = pkg
                .native_object(&sources, &built, target, Linkage::Relocatable)
                .unwrap();
            let file = object::File::parse(&*obj).unwrap();
            let text = file
                .section_by_name(".text")
                .unwrap()
                .data()
                .unwrap()
                .to_vec();
            let fns: Vec<_> = sources.iter().flat_map(|s| s.fns.iter()).collect();
            for (f, compiled) in fns.iter().zip(&built.compiled) {
                // A dispatching function has no body of its own (its variants,
                // one architecture each, have them).
                if f.dispatches() {
                    continue;
                }
                if f.block(arch).is_some() {
                    with_block += 1;
                } else {
                    without_block += 1;
                    // Neither Go's assembler nor the object may see a body for it.
                    assert!(
                        !listing.contains_key(&f.sig.go_name()),
                        "{goarch} {}: no {goarch} block, yet {name}_{goarch}.s defines it",
                        f.sig.name
                    );
                    assert!(
                        file.symbols().all(|s| s.name() != Ok(f.symbol.as_str())),
                        "{goarch} {}: no {goarch} block, yet the object defines it",
                        f.sig.name
                    );
                }
                let Some(c) = compiled.iter().find(|c| c.arch == arch) else {
                    continue;
                };
                let native = native_fn(f, c, target).unwrap();
                let sym = file
                    .symbols()
                    .find(|s| s.name() == Ok(f.symbol.as_str()))
                    .unwrap();
                let start = sym.address() as usize + native.body_offset as usize;
                let body = &text[start..start + native.body_len as usize];
                assert_eq!(
                    body,
                    &c.bytes[..],
                    "{}: the object holds the compiled body",
                    f.sig.name
                );
                let go = listing
                    .get(&f.sig.go_name())
                    .unwrap_or_else(|| panic!("{} in listing", f.sig.go_name()));
                // Relocated fields (table addresses) are masked on both sides: a rel32
                // field on amd64, the whole ADRP/ADD word on arm64.
                let masked: Vec<usize> = c
                    .table_refs
                    .iter()
                    .flat_map(|t| t.offset as usize..t.offset as usize + 4)
                    .collect();
                let step = if arch == Arch::Arm64 { 4 } else { 1 };
                let found = (0..=go.bytes.len().saturating_sub(body.len()))
                    .step_by(step)
                    .find(|&k| {
                        body.iter()
                            .enumerate()
                            .all(|(i, b)| masked.contains(&i) || go.bytes[k + i] == *b)
                    });
                assert!(
                    found.is_some(),
                    "{goarch} {}: Go-assembled bytes do not contain the native body\n go:   {:02x?}\n body: {:02x?}",
                    f.sig.name,
                    go.bytes,
                    body
                );
                compared += 1;
            }
        }
    }
    println!(
        "bodies compared: {compared} (functions with a block, over both architectures: {with_block}; without: {without_block})"
    );
    assert_eq!(compared, with_block);
    assert!(
        without_block > 0,
        "the examples include a function with blocks for some arches only (bits)"
    );
}
