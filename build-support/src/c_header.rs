//! The C header of a package: every native function by its symbol, and the structs
//! its signatures use.

use crate::arch::Arch;
use crate::backends::backend;
use crate::c_results::{self, c_type_of};
use crate::func::AsmFn;

/// The C header declaring every function of a package, by its native symbol
/// (symbol.rs: never the bare Rust name, which could clash with libc or another
/// crate). Defining `GO_ASM_SHORT_NAMES` before including it also makes each Rust
/// name a macro for its symbol, for code that knows those names are free.
pub fn c_header(guard: &str, fns: &[&AsmFn], structs: &[crate::sig::GoStruct]) -> String {
    let mut s = format!(
        "{}\n\n// Regenerate it from those Rust sources: build the crate (its build.rs calls\n// go_asm_build::Package) or run go-asm gen with the same options.\n\n// Symbols are goasm_<crate>_<version>_<hash>_<name>: unique per crate, version\n// and source file, so they never bind to another crate's or the C library's.\n// Define GO_ASM_SHORT_NAMES before including this file to use the Rust names.\n\n#ifndef {guard}\n#define {guard}\n\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdlib.h>\n#if defined(__aarch64__) && defined(__linux__)\n#include <sys/auxv.h>\n#endif\n\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n",
        crate::generated::HEADER
    );
    // A struct after the structs it holds by value.
    for st in crate::sig::c_order(structs) {
        s.push('\n');
        s.push_str(&st.c_decl());
    }
    let mut dispatchers = String::new();
    for f in fns {
        s.push('\n');
        for d in &f.sig.docs {
            s.push_str(&format!("// {d}\n").replace("// \n", "//\n"));
        }
        let params: Vec<String> = f
            .sig
            .params
            .iter()
            .flat_map(|p| p.ty.c_params(&p.name))
            // Array results: arrays to fill, after the parameters (sig/arrays.rs).
            .chain(f.sig.out_array_c_params())
            .collect();
        let params = if params.is_empty() {
            "void".to_string()
        } else {
            params.join(", ")
        };
        let ret = match f.sig.results.len() {
            _ if f.sig.result_struct.is_some() => {
                f.sig.result_struct.as_ref().map_or_else(String::new, |st| st.c_name())
            }
            0 => "void".to_string(),
            1 => c_type_of(&f.sig.results[0].ty),
            _ => {
                let name = format!("{}_results", f.symbol);
                s.push_str(&format!("struct {name} {{\n"));
                for field in c_results::c_fields(&f.sig) {
                    s.push_str(&format!("    {field}\n"));
                }
                s.push_str("};\n");
                format!("struct {name}")
            }
        };
        let guard = arch_condition(f);
        if f.dispatches() {
            // After every variant's declaration.
            s.push_str(&format!(
                "// {}: its dispatching entry point follows its variants.\n",
                f.symbol
            ));
            let d = c_dispatcher(fns, f, &ret, &params);
            dispatchers.push_str(&match &guard {
                Some(cond) => format!("#if {cond}\n{d}#endif\n"),
                None => d,
            });
        } else {
            match guard {
                Some(cond) => s.push_str(&format!(
                    "#if {cond}\n{ret} {}({params});\n#endif\n",
                    f.symbol
                )),
                None => s.push_str(&format!("{ret} {}({params});\n", f.symbol)),
            }
        }
    }
    if !dispatchers.is_empty() {
        s.push('\n');
        s.push_str(&dispatchers);
    }
    // The Rust names, for a translation unit that knows they clash with nothing.
    s.push_str("\n#ifdef GO_ASM_SHORT_NAMES\n");
    for f in fns.iter().filter(|f| f.symbol != f.sig.name) {
        s.push_str(&format!("#define {} {}\n", f.sig.name, f.symbol));
        if f.sig.results.len() > 1 && f.sig.result_struct.is_none() {
            s.push_str(&format!(
                "#define {}_results {}_results\n",
                f.sig.name, f.symbol
            ));
        }
    }
    s.push_str("#endif\n");
    s.push_str("\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    s
}

/// For a function without a block on some architecture: the C preprocessor
/// condition of those it has (its prototype exists only there, so a C caller
/// elsewhere gets a compile error, not a link error).
fn arch_condition(f: &AsmFn) -> Option<String> {
    if crate::arch::Arch::ALL.iter().all(|a| f.block(*a).is_some()) {
        return None;
    }
    let conds: Vec<&str> = crate::arch::Arch::ALL
        .iter()
        .filter(|a| f.block(**a).is_some())
        .map(|a| crate::backends::backend(*a).c_condition())
        .collect();
    Some(conds.join(" || "))
}

/// A dispatching function's entry point: a `static inline` function that picks
/// the first variant whose features the CPU has (each architecture's checks:
/// GCC/Clang's `__builtin_cpu_supports` on x86-64, `getauxval(AT_HWCAP)` on Linux
/// arm64, the Apple baseline on Apple arm64) once, stores it atomically (racing
/// first calls pick the same), and calls it; abort() when none runs.
fn c_dispatcher(fns: &[&AsmFn], f: &AsmFn, ret: &str, params: &str) -> String {
    // The names, not the declarations cut apart: `const uint16_t a[3]` ends in
    // its dimensions.
    let args: Vec<String> = f
        .sig
        .params
        .iter()
        .flat_map(|p| p.ty.c_param_names(&p.name))
        .chain((0..f.sig.out_arrays.len()).map(|k| f.sig.out_array_c_name(k)))
        .collect();
    let args = args.join(", ");
    let variants: Vec<&&AsmFn> = fns
        .iter()
        .filter(|v| v.variant_arch.is_some() && v.symbol.starts_with(&format!("{}_", f.symbol)))
        .collect();
    // One result: the chosen variant's address. Several: its index (each variant
    // returns its own results struct, of the same layout, copied field by field).
    let multi = f.sig.results.len() > 1 && f.sig.result_struct.is_none();
    let mut s = if multi {
        format!(
            "static inline {ret} {}({params}) {{
    static int chosen; /* 0: not yet; k: the k-th variant below */
    int v = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (!v) {{
",
            f.symbol
        )
    } else {
        format!(
            "static inline {ret} {}({params}) {{
    typedef {ret} (*goasm_variant)({params});
    static goasm_variant chosen;
    goasm_variant v = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (!v) {{
",
            f.symbol
        )
    };
    let mut calls = String::new();
    for arch in Arch::ALL {
        let b = backend(arch);
        let guard = format!("#if {}
", b.c_condition());
        s.push_str(&guard);
        let of_arch: Vec<_> = variants
            .iter()
            .enumerate()
            .filter(|(_, v)| v.variant_arch == Some(arch))
            .map(|(k, v)| (k + 1, v, b.c_detection(&v.blocks[0].feature_list())))
            .collect();
        // The feature words are read once, before the first check.
        if let Some((_, _, d)) = of_arch.iter().find(|(_, _, d)| !d.checks.is_empty()) {
            s.push_str(&d.prelude);
        }
        if multi && !of_arch.is_empty() {
            calls.push_str(&guard);
        }
        for (k, v, d) in &of_arch {
            let cond: String = d.checks.iter().map(|c| format!(" && {c}")).collect();
            if multi {
                s.push_str(&format!("        if (!v{cond}) v = {k};\n"));
                let copy: String = (0..f.sig.results.len())
                    .map(|i| {
                        let (field, _) = crate::sig::c_field_names(&f.sig, i);
                        format!(" out.{field} = r.{field};")
                    })
                    .collect();
                calls.push_str(&format!(
                    "    case {k}: {{ struct {}_results r = {}({args});{copy} break; }}\n",
                    v.symbol, v.symbol
                ));
            } else {
                s.push_str(&format!("        if (!v{cond}) v = {};\n", v.symbol));
            }
        }
        s.push_str("#endif\n");
        if multi && !of_arch.is_empty() {
            calls.push_str("#endif\n");
        }
    }
    s.push_str(&format!(
        "        if (!v) abort(); /* no variant of {} runs on this CPU */\n        __atomic_store_n(&chosen, v, __ATOMIC_RELEASE);\n    }}\n",
        f.sig.name
    ));
    if multi {
        s.push_str(&format!(
            "    {ret} out = {{0}};\n    switch (v) {{\n{calls}    }}\n    return out;\n}}\n"
        ));
    } else {
        s.push_str(&format!("    return v({args});\n}}\n"));
    }
    s
}
