//! The C header of a package: every native function by its symbol, and the structs
//! its signatures use.

use crate::c_results::{self, c_type_of};
use crate::func::AsmFn;

/// The C header declaring every function of a package, by its native symbol
/// (symbol.rs: never the bare Rust name, which could clash with libc or another
/// crate). Defining `GO_ASM_SHORT_NAMES` before including it also makes each Rust
/// name a macro for its symbol, for code that knows those names are free.
pub fn c_header(guard: &str, fns: &[&AsmFn], structs: &[crate::sig::GoStruct]) -> String {
    let mut s = format!(
        "{}\n\n// Regenerate it from those Rust sources: build the crate (its build.rs calls\n// go_asm_build::Package) or run go-asm gen with the same options.\n\n// Symbols are goasm_<crate>_<version>_<hash>_<name>: unique per crate, version\n// and source file, so they never bind to another crate's or the C library's.\n// Define GO_ASM_SHORT_NAMES before including this file to use the Rust names.\n\n#ifndef {guard}\n#define {guard}\n\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n",
        crate::generated::HEADER
    );
    for st in structs {
        s.push('\n');
        s.push_str(&st.c_decl());
    }
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
            .collect();
        let params = if params.is_empty() {
            "void".to_string()
        } else {
            params.join(", ")
        };
        let ret = match f.sig.results.len() {
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
        match arch_condition(f) {
            Some(cond) => s.push_str(&format!(
                "#if {cond}\n{ret} {}({params});\n#endif\n",
                f.symbol
            )),
            None => s.push_str(&format!("{ret} {}({params});\n", f.symbol)),
        }
    }
    // The Rust names, for a translation unit that knows they clash with nothing.
    s.push_str("\n#ifdef GO_ASM_SHORT_NAMES\n");
    for f in fns.iter().filter(|f| f.symbol != f.sig.name) {
        s.push_str(&format!("#define {} {}\n", f.sig.name, f.symbol));
        if f.sig.results.len() > 1 {
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
    let conds: Vec<&str> = f
        .blocks
        .iter()
        .map(|b| crate::backends::backend(b.arch).c_condition())
        .collect();
    Some(conds.join(" || "))
}
