//! The Go side of calling C-ABI machine code without cgo: `Call0`..`Call6`,
//! `CallMixed` and typed bindings to native symbols linked as `.syso`.
//!
//! Everything here is generated from data. Each calling convention is one [`Abi`]
//! value (argument and result registers, shadow space, red zone, stack alignment,
//! frame pointer, the registers Go needs preserved), defined in its architecture's
//! folder (`x86/calln.rs`, `arm64/calln.rs`) with the [`CallIsa`] spellings of its
//! instruction set; each supported platform is a [`Target`] that pairs a
//! `GOOS`/`GOARCH` with its convention. A trampoline is planned once (which Go
//! frame slot goes to which register or outgoing stack slot, `trampoline`) and
//! printed per architecture. This module writes the Go side, the same for every
//! convention.
//!
//! Three trampoline shapes, each keeping every stack-pointer move one the Go
//! assembler tracks or restores, and the callee's stack inside space Go accounted:
//!
//! - `Call*` (any C function, a budget of [`DEFAULT_FRAME_BYTES`]): a small
//!   `NOSPLIT` function that first calls a probe whose frame is the whole budget
//!   (its prologue grows the goroutine stack), then runs the callee right below its
//!   own stack pointer, aligned with a tracked `PUSHQ` on amd64 ([`generate`]).
//! - Typed bindings of C functions ([`generate_bindings`]): an ordinary Go assembly
//!   function whose frame (from [`frame_size`]) holds the callee's stack, its red
//!   zone and the alignment slack; Go's stack pointer is kept in a register the C
//!   ABI preserves (R12 / R19) while the stack pointer sits, 16-byte aligned, at the
//!   top of the frame for the call.
//! - Exact trampolines of go-asm's own objects ([`exact_bindings_asm`]): the frame
//!   is exactly the callee's stack use plus the outgoing arguments
//!   ([`exact_frame_size`]), `NOSPLIT` when small, the stack pointer lifted to the
//!   outgoing area with `ADJSP` / `ADD $k, RSP`.

use crate::backends::backend;
use crate::call_abi::Callee;
use crate::sig::GO_KEYWORDS;
use crate::trampoline::{emit, emit_addr, emit_exact, emit_probe, emit_probed, plan, Spec};
use std::fmt::Write as _;

pub use crate::call_abi::{Abi, Arch, CType, CallIsa, PairResults, Target};
pub use crate::trampoline::{
    exact_frame_size, frame_size, go_signature, ExactFunc, FrameValue, NOSPLIT_FRAME_LIMIT,
};

/// Stack budget, in bytes, given to a callee whose stack use is not known (a foreign
/// function). The generated `Call*` functions run their callee with at least this
/// many bytes of goroutine stack below its entry stack pointer.
pub const DEFAULT_FRAME_BYTES: u32 = 16 * 1024;

/// The header every generated file starts with.
pub const GENERATED_HEADER: &str = crate::generated::HEADER;

/// Every platform the trampolines are generated for, architecture by architecture.
pub fn targets() -> impl Iterator<Item = &'static Target> {
    Arch::ALL
        .into_iter()
        .flat_map(|a| backend(a).call_targets())
}

/// Looks a target up by `GOOS` and `GOARCH`.
pub fn target(goos: &str, goarch: &str) -> Option<&'static Target> {
    targets().find(|t| t.goos == goos && t.goarch() == goarch)
}

/// Options for the runtime package ([`generate`]).
#[derive(Clone, Debug)]
pub struct CallnOptions {
    /// Go package name of the generated files.
    pub package: String,
    /// Stack budget of the callee of every generated `Call*` function; see
    /// [`DEFAULT_FRAME_BYTES`].
    pub frame_bytes: u32,
    /// Exported names (`Call0`, `CallMixed`, `Supported`) or package-private ones
    /// (`call0`, `callMixed`, `supported`) for embedding in a user package.
    pub exported: bool,
}

impl Default for CallnOptions {
    fn default() -> Self {
        CallnOptions {
            package: "calln".to_string(),
            frame_bytes: DEFAULT_FRAME_BYTES,
            exported: true,
        }
    }
}

/// The runtime package's stack probe (see `emit_probe`).
const STACK_PROBE: &str = "goasmStackProbe";

/// Most integer arguments a `CallN` function takes.
pub const MAX_CALL_ARGS: usize = 6;

/// The `//go:build` expression of `targets`: `(linux || darwin) && (amd64 ||
/// arm64)` when they are every pairing of their systems and architectures, else
/// one `(goos && goarch)` term per target.
fn platforms_expr(targets: &[&Target]) -> String {
    let mut gooses: Vec<&str> = Vec::new();
    let mut goarchs: Vec<&str> = Vec::new();
    for t in targets {
        if !gooses.contains(&t.goos) {
            gooses.push(t.goos);
        }
        if !goarchs.contains(&t.goarch()) {
            goarchs.push(t.goarch());
        }
    }
    let any = |xs: &[&str]| match xs {
        [one] => one.to_string(),
        _ => format!("({})", xs.join(" || ")),
    };
    if gooses.len() * goarchs.len() == targets.len() {
        format!("{} && {}", any(&gooses), any(&goarchs))
    } else {
        let terms: Vec<String> = targets
            .iter()
            .map(|t| format!("({})", t.build_expr()))
            .collect();
        terms.join(" || ")
    }
}

/// The platforms whose `CallMixed` sorts arguments into the register files in Go
/// (`calln_regs.go`), and all supported platforms: those, and the positional ones.
fn support_exprs() -> (String, String) {
    let (positional, regs): (Vec<&Target>, Vec<&Target>) =
        targets().partition(|t| t.abi.positional);
    let regs = platforms_expr(&regs);
    let supported = if positional.is_empty() {
        regs.clone()
    } else {
        format!("({regs}) || ({})", platforms_expr(&positional))
    };
    (regs, supported)
}

fn go_header(build: Option<&str>, package: &str) -> String {
    let mut s = format!("{GENERATED_HEADER}\n\n");
    if let Some(b) = build {
        let _ = writeln!(s, "//go:build {b}\n");
    }
    let _ = writeln!(s, "package {package}\n");
    s
}

fn asm_header(build: &str) -> String {
    format!("{GENERATED_HEADER}\n\n//go:build {build}\n\n#include \"textflag.h\"\n\n")
}

fn names(exported: bool) -> impl Fn(&str) -> String {
    move |base: &str| {
        if exported {
            let mut c = base.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        } else {
            base.to_string()
        }
    }
}

fn call_n_spec(name: &str, n: usize, frame_bytes: u32) -> Spec<'_> {
    let mut params = vec![("fn".to_string(), CType::Uintptr)];
    for i in 1..=n {
        params.push((format!("a{i}"), CType::Uintptr));
    }
    Spec {
        go_name: name,
        callee: Callee::Arg("fn"),
        params,
        results: vec![("ret".to_string(), CType::Uintptr)],
        callee_stack: frame_bytes,
        hidden: 1,
    }
}

/// `CallMixed`'s trampoline: by position (`positional`, Win64) or by register file.
fn mixed_specs<'a>(positional: bool, mixed: &'a str, regs: &'a str, frame_bytes: u32) -> Spec<'a> {
    let results = vec![
        ("r".to_string(), CType::Uintptr),
        ("f".to_string(), CType::F64),
    ];
    if positional {
        let mut params = vec![
            ("fn".to_string(), CType::Uintptr),
            ("floats".to_string(), CType::U32),
        ];
        for i in 1..=MAX_CALL_ARGS {
            params.push((format!("a{i}"), CType::Raw64));
        }
        Spec {
            go_name: mixed,
            callee: Callee::Arg("fn"),
            params,
            results,
            callee_stack: frame_bytes,
            hidden: 2,
        }
    } else {
        let mut params = vec![("fn".to_string(), CType::Uintptr)];
        for i in 1..=MAX_CALL_ARGS {
            params.push((format!("i{i}"), CType::Uintptr));
        }
        for i in 1..=MAX_CALL_ARGS {
            params.push((format!("f{i}"), CType::F64));
        }
        Spec {
            go_name: regs,
            callee: Callee::Arg("fn"),
            params,
            results,
            callee_stack: frame_bytes,
            hidden: 1,
        }
    }
}

fn doc_comment(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "//\n".to_string()
            } else {
                format!("// {l}\n")
            }
        })
        .collect()
}

/// Generates the call runtime: Go declarations, one assembly file per
/// `GOOS_GOARCH`, and a fallback for every other platform. Returns
/// `(file name, contents)` pairs in a fixed order; the contents are gofmt-clean and
/// identical on every run.
pub fn generate(opts: &CallnOptions) -> Vec<(String, String)> {
    let nm = names(opts.exported);
    let supported = nm("supported");
    let mixed = nm("callMixed");
    let regs = "callRegs".to_string();
    let frame_budget = opts.frame_bytes;
    let mut files = Vec::new();

    // Documentation and constants, on every platform.
    let mut doc = String::new();
    doc.push_str(GENERATED_HEADER);
    doc.push_str("\n\n");
    doc.push_str(&doc_comment(&format!(
        "Package {pkg} calls C-ABI machine code from Go without cgo.\n\
         \n\
         {c0} .. {c6} call the function at fn with up to six integer or pointer\n\
         arguments and return its integer result register; {mixed} also carries\n\
         float64 arguments and the float64 result. The callee runs on the calling\n\
         goroutine's stack, right below the trampoline, with a budget of {budget}\n\
         bytes: before the call, a stack probe whose frame is that large makes Go grow\n\
         the stack. With CGO_ENABLED=0 a native object linked as a .syso file is\n\
         reachable by its address from Go assembly ($sym(SB)).\n\
         \n\
         Pass a pointer as uintptr(unsafe.Pointer(p)) written in the call expression\n\
         itself: the declarations are //go:uintptrescapes, so the compiler keeps *p on\n\
         the heap and alive until the call returns (the call may grow, and so move,\n\
         the goroutine stack).\n\
         \n\
         The call is not preemptible: a garbage collection waits until it returns.\n\
         The callee must not call back into Go, must not use more than the stack\n\
         budget, must not unwind or longjmp past the trampoline, must keep the\n\
         registers its C ABI calls callee-saved (and, on arm64, must not touch R28\n\
         at all: compile it with -ffixed-x28), and must not depend on thread-local\n\
         state a C runtime would have set up.",
        pkg = opts.package,
        c0 = nm("call0"),
        c6 = nm("call6"),
        budget = frame_budget,
    )));
    let _ = writeln!(doc, "package {}\n", opts.package);
    let _ = writeln!(
        doc,
        "// {} is the stack budget, in bytes, of the callee of every call function in\n\
         // this package: the callee may use this much stack below its entry stack\n\
         // pointer (the red zone comes on top).\n\
         const {} = {}",
        nm("frameBytes"),
        nm("frameBytes"),
        frame_budget
    );
    files.push(("calln.go".to_string(), doc));

    // Declarations shared by every supported platform.
    let (regs_expr, supported_expr) = support_exprs();
    let mut decl = go_header(Some(&supported_expr), &opts.package);
    let _ = writeln!(
        decl,
        "// {supported} reports whether this GOOS/GOARCH has trampolines.\nconst {supported} = true\n"
    );
    let _ = writeln!(
        decl,
        "// {STACK_PROBE} grows the goroutine stack to hold a call's whole budget.\nfunc {STACK_PROBE}()\n"
    );
    for n in 0..=MAX_CALL_ARGS {
        let spec = call_n_spec("", n, frame_budget);
        let name = nm(&format!("call{n}"));
        let args = if n == 0 {
            "no arguments".to_string()
        } else if n == 1 {
            "one integer or pointer argument".to_string()
        } else {
            format!("{n} integer or pointer arguments")
        };
        // The trampolines check the stack and may grow (move) it before the call,
        // so a uintptr(unsafe.Pointer(&x)) argument must not point into the stack:
        // //go:uintptrescapes makes the compiler put such x on the heap and keep it
        // alive until the call returns (see cmd/compile's noder/lex.go).
        let escapes = if n > 0 {
            "//\n//go:uintptrescapes\n"
        } else {
            ""
        };
        let _ = writeln!(
            decl,
            "// {name} calls the C-ABI function at fn with {args} and returns\n\
             // its integer result register (truncate it for narrower C result types).\n\
             {escapes}{}\n",
            go_signature(&name, &spec.params, &spec.results)
        );
    }
    files.push(("calln_decl.go".to_string(), trim_end(decl)));

    // CallMixed: on the register-file conventions the Go side sorts the arguments
    // into the two register files; Win64 assigns by position in assembly.
    let mixed_doc = format!(
        "// {mixed} calls the C-ABI function at fn with up to six arguments a1..a6 in C\n\
         // declaration order. Bit k-1 of floats set means argument k is a double whose\n\
         // bits are ak (math.Float64bits); otherwise ak is an integer or pointer. It\n\
         // returns both the integer and the floating-point result registers; use the\n\
         // one the C result type selects. Unused trailing arguments are ignored.\n\
         //\n\
         // A pointer passed as an integer here must point to memory that does not move\n\
         // and stays alive: a heap object kept alive with runtime.KeepAlive after the\n\
         // call, or memory Go does not manage; never a goroutine stack, which the call\n\
         // may move when it grows the stack.\n"
    );
    let mut regs_go = go_header(Some(&regs_expr), &opts.package);
    regs_go.push_str(&mixed_doc);
    let _ = writeln!(
        regs_go,
        "func {mixed}(fn uintptr, floats uint32, a1, a2, a3, a4, a5, a6 uint64) (r uintptr, f float64) {{\n\
         \targs := [{MAX_CALL_ARGS}]uint64{{a1, a2, a3, a4, a5, a6}}\n\
         \tvar ints [{MAX_CALL_ARGS}]uintptr\n\
         \tvar fls [{MAX_CALL_ARGS}]float64\n\
         \tni, nf := 0, 0\n\
         \tfor k, v := range args {{\n\
         \t\tif floats&(1<<k) != 0 {{\n\
         \t\t\tfls[nf] = math.Float64frombits(v)\n\
         \t\t\tnf++\n\
         \t\t}} else {{\n\
         \t\t\tints[ni] = uintptr(v)\n\
         \t\t\tni++\n\
         \t\t}}\n\
         \t}}\n\
         \treturn {regs}(fn, ints[0], ints[1], ints[2], ints[3], ints[4], ints[5],\n\
         \t\tfls[0], fls[1], fls[2], fls[3], fls[4], fls[5])\n\
         }}\n"
    );
    let rs = mixed_specs(false, &mixed, &regs, frame_budget);
    let _ = writeln!(
        regs_go,
        "// {regs} loads the integer and the floating-point argument registers in order\n\
         // and calls fn.\n\
         {}",
        go_signature(&regs, &rs.params, &rs.results)
    );
    let regs_go = regs_go.replacen(
        &format!("package {}\n", opts.package),
        &format!("package {}\n\nimport \"math\"\n", opts.package),
        1,
    );
    files.push(("calln_regs.go".to_string(), regs_go));

    // The positional conventions declare the trampoline itself.
    for t in targets().filter(|t| t.abi.positional) {
        let ws = mixed_specs(true, &mixed, &regs, frame_budget);
        let mut win_go = go_header(Some(&t.build_expr()), &opts.package);
        win_go.push_str(&mixed_doc);
        let _ = writeln!(win_go, "{}", go_signature(&mixed, &ws.params, &ws.results));
        files.push((format!("calln_mixed_{}.go", t.suffix()), win_go));
    }

    // Fallback: everything else builds and reports no support.
    let mut other = go_header(Some(&format!("!({supported_expr})")), &opts.package);
    let _ = writeln!(
        other,
        "// {supported} reports whether this GOOS/GOARCH has trampolines.\nconst {supported} = false\n"
    );
    let _ = writeln!(
        other,
        "func unsupported() {{\n\tpanic(\"{}: no call trampolines for \" + runtime.GOOS + \"/\" + runtime.GOARCH)\n}}\n",
        opts.package
    );
    for n in 0..=MAX_CALL_ARGS {
        let spec = call_n_spec("", n, frame_budget);
        let name = nm(&format!("call{n}"));
        let _ = writeln!(
            other,
            "// {name} panics: this platform has no trampolines.\n{} {{\n\tunsupported()\n\treturn 0\n}}\n",
            go_signature(&name, &spec.params, &spec.results)
        );
    }
    let _ = writeln!(
        other,
        "// {mixed} panics: this platform has no trampolines.\n\
         func {mixed}(fn uintptr, floats uint32, a1, a2, a3, a4, a5, a6 uint64) (r uintptr, f float64) {{\n\
         \tunsupported()\n\
         \treturn 0, 0\n\
         }}"
    );
    let other = other.replacen(
        &format!("package {}\n", opts.package),
        &format!("package {}\n\nimport \"runtime\"\n", opts.package),
        1,
    );
    files.push(("calln_other.go".to_string(), other));

    // Assembly, one file per platform.
    for t in targets() {
        let abi = t.abi;
        let mut s = asm_header(&t.build_expr());
        let _ = writeln!(
            s,
            "// {} trampolines. The callee runs below each trampoline's stack pointer,\n\
             // with a stack budget of {} bytes that {STACK_PROBE} makes room for.\n",
            abi.name, frame_budget
        );
        emit_probe(abi, STACK_PROBE, frame_budget, &mut s);
        for n in 0..=MAX_CALL_ARGS {
            let name = nm(&format!("call{n}"));
            let spec = call_n_spec(&name, n, frame_budget);
            emit_probed(abi, &plan(abi, &spec), STACK_PROBE, &mut s);
        }
        let ms = mixed_specs(abi.positional, &mixed, &regs, frame_budget);
        emit_probed(abi, &plan(abi, &ms), STACK_PROBE, &mut s);
        files.push((format!("calln_{}.s", t.suffix()), trim_end(s)));
    }
    files
}

fn trim_end(mut s: String) -> String {
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// A native function to bind: a C symbol with a known signature.
#[derive(Clone, Debug)]
pub struct NativeFunc {
    /// Go name of the typed wrapper; `<go_name>Addr` returns the symbol's address.
    pub go_name: String,
    /// C symbol name as written in C (the Mach-O underscore is added for darwin).
    pub symbol: String,
    /// Parameter names (Go identifiers) and types, in C order.
    pub params: Vec<(String, CType)>,
    /// Result type, if any.
    pub result: Option<CType>,
    /// Exact stack use of the callee when known (go-asm's own objects), else `None`
    /// for [`DEFAULT_FRAME_BYTES`]. Same meaning as `callee_stack` in [`frame_size`].
    pub stack_bytes: Option<u32>,
    /// Doc comment text (without `//`).
    pub doc: String,
}

/// Options for [`generate_bindings`].
#[derive(Clone, Debug)]
pub struct BindingOptions {
    pub package: String,
    /// File names start with this (e.g. `native` gives `native.go`, `native_linux_amd64.s`).
    pub file_prefix: String,
    pub funcs: Vec<NativeFunc>,
    /// `(goos, goarch)` pairs that have a native object; each must be in `backends::native_targets`.
    pub platforms: Vec<(String, String)>,
}

fn check_ident(s: &str, what: &str) -> Result<(), String> {
    let mut chars = s.chars();
    let ok_first = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    if !ok_first
        || !chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        || GO_KEYWORDS.contains(&s)
    {
        return Err(format!("{what} `{s}` is not a usable identifier"));
    }
    Ok(())
}

fn build_expr(platforms: &[(String, String)]) -> String {
    let parts: Vec<String> = platforms
        .iter()
        .map(|(o, a)| format!("({o} && {a})"))
        .collect();
    if parts.len() == 1 {
        parts[0]
            .trim_start_matches('(')
            .trim_end_matches(')')
            .to_string()
    } else {
        parts.join(" || ")
    }
}

/// Generates typed Go wrappers for native functions linked into the package as
/// `.syso` objects: per function, `func <go_name>(params) result`, which calls the
/// symbol directly through a trampoline sized for it, and `func <go_name>Addr()
/// uintptr`, the symbol's address for use with the runtime's `Call*` functions.
/// Platforms without an object get a fallback that panics.
pub fn generate_bindings(opts: &BindingOptions) -> Result<Vec<(String, String)>, String> {
    check_ident(&opts.package, "package name")?;
    let mut targets = Vec::new();
    for (goos, goarch) in &opts.platforms {
        targets.push(
            target(goos, goarch)
                .ok_or_else(|| format!("no calling convention for {goos}/{goarch}"))?,
        );
    }
    if targets.is_empty() {
        return Err("no platforms given".to_string());
    }
    for f in &opts.funcs {
        check_ident(&f.go_name, "Go name")?;
        check_ident(&f.symbol, "symbol")?;
        for (n, t) in &f.params {
            check_ident(n, "parameter name")?;
            if matches!(t, CType::Raw64 | CType::FrameAddr) {
                return Err(format!("{}: {t:?} is internal to the runtime", f.go_name));
            }
            if n == "ret" {
                return Err(format!("{}: `ret` names the result", f.go_name));
            }
        }
        if matches!(f.result, Some(CType::Raw64 | CType::FrameAddr)) {
            return Err(format!(
                "{}: result type is internal to the runtime",
                f.go_name
            ));
        }
    }
    let expr = build_expr(&opts.platforms);
    let uses_unsafe = opts
        .funcs
        .iter()
        .any(|f| f.params.iter().any(|p| p.1 == CType::Ptr) || f.result == Some(CType::Ptr));
    let mut files = Vec::new();

    let mut decl = go_header(Some(&expr), &opts.package);
    if uses_unsafe {
        decl.push_str("import \"unsafe\"\n\n");
    }
    let mut other = go_header(Some(&format!("!({expr})")), &opts.package);
    other.push_str("import \"runtime\"\n");
    if uses_unsafe {
        other = other.replace(
            "import \"runtime\"\n",
            "import (\n\t\"runtime\"\n\t\"unsafe\"\n)\n",
        );
    }
    other.push('\n');
    let _ = writeln!(
        other,
        "func noNativeObject() {{\n\tpanic(\"{}: no native object for \" + runtime.GOOS + \"/\" + runtime.GOARCH)\n}}\n",
        opts.package
    );
    for f in &opts.funcs {
        let results: Vec<(String, CType)> =
            f.result.iter().map(|t| ("ret".to_string(), *t)).collect();
        let sig = go_signature(&f.go_name, &f.params, &results);
        let mut d = String::new();
        if !f.doc.is_empty() {
            d.push_str(&doc_comment(&f.doc));
        }
        if f.params.iter().any(|p| p.1 == CType::Ptr) {
            if !f.doc.is_empty() {
                d.push_str("//\n");
            }
            d.push_str("//go:noescape\n");
        }
        let _ = writeln!(decl, "{d}{sig}\n");
        let _ = writeln!(
            decl,
            "// {0}Addr returns the address of the native symbol {1}.\nfunc {0}Addr() uintptr\n",
            f.go_name, f.symbol
        );
        let ret = match f.result {
            Some(_) => "\n\treturn 0",
            None => "",
        };
        let _ = writeln!(
            other,
            "{}{sig} {{\n\tnoNativeObject(){ret}\n}}\n",
            doc_comment(&format!(
                "{} panics: no native object for this platform.",
                f.go_name
            ))
        );
        let _ = writeln!(
            other,
            "// {0}Addr panics: no native object for this platform.\nfunc {0}Addr() uintptr {{\n\tnoNativeObject()\n\treturn 0\n}}\n",
            f.go_name
        );
    }
    files.push((format!("{}.go", opts.file_prefix), trim_end(decl)));
    files.push((format!("{}_other.go", opts.file_prefix), trim_end(other)));

    for t in targets {
        let abi = t.abi;
        let mut s = asm_header(&t.build_expr());
        for f in &opts.funcs {
            let sym = f.symbol.clone();
            let spec = Spec {
                go_name: &f.go_name,
                callee: Callee::Symbol(&sym),
                params: f.params.clone(),
                results: f.result.iter().map(|t| ("ret".to_string(), *t)).collect(),
                callee_stack: f.stack_bytes.unwrap_or(DEFAULT_FRAME_BYTES),
                hidden: 0,
            };
            emit(abi, &plan(abi, &spec), &mut s);
            emit_addr(abi, &f.go_name, &sym, "", &mut s);
        }
        files.push((
            format!("{}_{}.s", opts.file_prefix, t.suffix()),
            trim_end(s),
        ));
    }
    Ok(files)
}

/// The assembly of exact trampolines for go-asm functions linked from a `.syso`
/// on one platform: per function its typed `TEXT` and `<go_name>Addr`, which
/// returns the native symbol's address (`$sym(SB)`) for the runtime's `Call*`
/// functions. `build` is the file's `//go:build` expression, if any.
pub fn exact_bindings_asm(
    target: &Target,
    build: Option<&str>,
    funcs: &[ExactFunc],
) -> Result<String, String> {
    let abi = target.abi;
    let mut s = format!("{GENERATED_HEADER}\n\n");
    if let Some(b) = build {
        let _ = writeln!(s, "//go:build {b}\n");
    }
    s.push_str("#include \"textflag.h\"\n\n");
    let _ = writeln!(
        s,
        "// {} calls into the native object linked from this package's .syso file.\n\
         // Each frame holds exactly what the callee uses.\n",
        abi.name
    );
    for f in funcs {
        check_ident(&f.symbol, "symbol")?;
        emit_exact(abi, f, &mut s).map_err(|e| format!("{}: {e}", f.go_name))?;
        emit_addr(abi, &f.go_name, &f.symbol, "NOSPLIT, ", &mut s);
    }
    Ok(trim_end(s))
}

/// Verifies that an object file meant to be linked as a `.syso` carries no
/// relocations: Go's internal linker leaves them unapplied in static links
/// (golang/go#24321), so every reference must already be resolved inside the
/// object. Also rejects undefined symbols, which could only be reached through a
/// relocation.
pub fn check_no_relocations(object_bytes: &[u8]) -> Result<(), String> {
    use object::{Object, ObjectSection, ObjectSymbol};
    let file = object::File::parse(object_bytes).map_err(|e| format!("not an object file: {e}"))?;
    let mut problems = Vec::new();
    for section in file.sections() {
        let n = section.relocations().count();
        if n > 0 {
            let name = section.name().unwrap_or("?");
            let mut targets = Vec::new();
            for (off, r) in section.relocations().take(4) {
                let target = match r.target() {
                    object::RelocationTarget::Symbol(i) => file
                        .symbol_by_index(i)
                        .ok()
                        .and_then(|s| s.name().ok().map(str::to_string))
                        .unwrap_or_else(|| format!("symbol #{}", i.0)),
                    object::RelocationTarget::Section(i) => file
                        .section_by_index(i)
                        .ok()
                        .and_then(|s| s.name().ok().map(str::to_string))
                        .unwrap_or_else(|| format!("section #{}", i.0)),
                    object::RelocationTarget::Absolute => "absolute".to_string(),
                    _ => "?".to_string(),
                };
                targets.push(format!("{target}@{off:#x}"));
            }
            problems.push(format!(
                "section {name} has {n} relocation(s) ({}{})",
                targets.join(", "),
                if n > 4 { ", ..." } else { "" }
            ));
        }
    }
    for sym in file.symbols() {
        if sym.is_undefined() && !sym.name().unwrap_or("").is_empty() {
            problems.push(format!("undefined symbol {}", sym.name().unwrap_or("?")));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "object is not usable as a .syso (Go's internal linker leaves relocations unapplied, golang/go#24321): {}",
            problems.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_mix(stack_bytes: u32, results: Vec<FrameValue>) -> ExactFunc {
        let v = |name: &str, offset, ty| FrameValue {
            name: name.to_string(),
            offset,
            ty,
        };
        ExactFunc {
            go_name: "Mix".into(),
            symbol: "mix".into(),
            signature: "func Mix(a uint64, b uint64) ...".into(),
            args: vec![v("a", 0, CType::U64), v("b", 8, CType::U64)],
            results,
            arg_size: 32,
            stack_bytes,
        }
    }

    #[test]
    fn exact_trampolines_are_nosplit_only_when_small() {
        let one = vec![FrameValue {
            name: "ret".into(),
            offset: 16,
            ty: CType::U64,
        }];
        let linux = target("linux", "amd64").unwrap();
        let small = exact_bindings_asm(linux, None, &[exact_mix(16, one.clone())]).unwrap();
        assert!(small.contains("TEXT ·Mix(SB), NOSPLIT, $24-32"), "{small}");
        assert!(
            small.contains("ADJSP $-24\n\tCALL mix(SB)\n\tADJSP $24"),
            "{small}"
        );
        let big = exact_bindings_asm(linux, None, &[exact_mix(1000, one)]).unwrap();
        assert!(big.contains("TEXT ·Mix(SB), $1008-32"), "{big}");
    }

    #[test]
    fn result_pairs_follow_each_convention() {
        let pair = |t2| {
            vec![
                FrameValue {
                    name: "ret".into(),
                    offset: 16,
                    ty: CType::U64,
                },
                FrameValue {
                    name: "ret1".into(),
                    offset: 24,
                    ty: t2,
                },
            ]
        };
        let asm = |goos, goarch, t2| {
            exact_bindings_asm(
                target(goos, goarch).unwrap(),
                None,
                &[exact_mix(0, pair(t2))],
            )
            .unwrap()
        };
        let sysv = asm("linux", "amd64", CType::F64);
        assert!(sysv.contains("MOVQ AX, ret+16(FP)") && sysv.contains("MOVSD X0, ret1+24(FP)"));
        let arm = asm("linux", "arm64", CType::F64);
        assert!(arm.contains("MOVD R0, ret+16(FP)") && arm.contains("MOVD R1, ret1+24(FP)"));
        let win = asm("windows", "amd64", CType::U64);
        // The buffer is the frame's bottom; arguments shift one position.
        assert!(win.contains("MOVQ SP, CX\n\tMOVQ a+0(FP), DX\n\tMOVQ b+8(FP), R8"));
        assert!(win.contains("MOVQ 8(AX), R10\n\tMOVQ R10, ret1+24(FP)"));
        assert!(win.contains("$56-32"), "{win}"); // buffer 16, shadow 32, return address 8
    }

    #[test]
    fn generated_files_are_deterministic_and_headed() {
        let a = generate(&CallnOptions::default());
        let b = generate(&CallnOptions::default());
        assert_eq!(a, b);
        for (name, text) in &a {
            assert!(text.starts_with(GENERATED_HEADER), "{name}");
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{name}");
            assert!(name == "calln.go" || text.contains("//go:build "), "{name}");
        }
        let names: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
        for t in targets() {
            assert!(names.contains(&format!("calln_{}.s", t.suffix()).as_str()));
        }
        let win = &a.iter().find(|f| f.0 == "calln_windows_amd64.s").unwrap().1;
        assert!(win.contains("MOVQ a1+16(FP), CX\n\tMOVQ CX, X0"));
        assert!(win.contains(", 32(AX)") && win.contains(", 40(AX)"));
    }

    #[test]
    fn bindings_reject_bad_names() {
        let f = NativeFunc {
            go_name: "func".into(),
            symbol: "x".into(),
            params: vec![],
            result: None,
            stack_bytes: None,
            doc: String::new(),
        };
        let opts = BindingOptions {
            package: "p".into(),
            file_prefix: "native".into(),
            funcs: vec![f],
            platforms: vec![("linux".into(), "amd64".into())],
        };
        assert!(generate_bindings(&opts).is_err());
    }

    #[test]
    fn relocation_check_reports_relocations() {
        use object::write::{
            Object as WObject, Relocation, StandardSection, Symbol, SymbolSection,
        };
        use object::{
            Architecture, BinaryFormat, Endianness, RelocationEncoding, RelocationFlags,
            RelocationKind, SymbolFlags, SymbolKind, SymbolScope,
        };
        let mut o = WObject::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
        let text = o.section_id(StandardSection::Text);
        let off = o.append_section_data(text, &[0xe8, 0, 0, 0, 0, 0xc3], 16);
        o.add_symbol(Symbol {
            name: b"f".to_vec(),
            value: off,
            size: 6,
            kind: SymbolKind::Text,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        let clean = o.write().unwrap();
        assert!(check_no_relocations(&clean).is_ok());
        let ext = o.add_symbol(Symbol {
            name: b"g".to_vec(),
            value: 0,
            size: 0,
            kind: SymbolKind::Text,
            scope: SymbolScope::Linkage,
            weak: false,
            section: SymbolSection::Undefined,
            flags: SymbolFlags::None,
        });
        o.add_relocation(
            text,
            Relocation {
                offset: 1,
                symbol: ext,
                addend: -4,
                flags: RelocationFlags::Generic {
                    kind: RelocationKind::Relative,
                    encoding: RelocationEncoding::Generic,
                    size: 32,
                },
            },
        )
        .unwrap();
        let dirty = o.write().unwrap();
        let err = check_no_relocations(&dirty).unwrap_err();
        assert!(err.contains("relocation") && err.contains("g@0x1"), "{err}");
    }
}
