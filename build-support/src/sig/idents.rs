//! The identifier rules a signature's names follow in Go and in C: keywords,
//! predeclared and reserved names, and the Rust-to-Go spelling.

use super::*;

/// Go's keywords.
pub const GO_KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
];

/// Go's predeclared identifiers: a package-level function with one of these names
/// would shadow it in the whole package, generated files included
/// (`func uint64(..)` breaks every `uint64` in the package).
pub const GO_PREDECLARED: &[&str] = &[
    "any",
    "append",
    "bool",
    "byte",
    "cap",
    "clear",
    "close",
    "comparable",
    "complex",
    "complex128",
    "complex64",
    "copy",
    "delete",
    "error",
    "false",
    "float32",
    "float64",
    "imag",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "iota",
    "len",
    "make",
    "max",
    "min",
    "new",
    "nil",
    "panic",
    "print",
    "println",
    "real",
    "recover",
    "rune",
    "string",
    "true",
    "uint",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "uintptr",
];

/// Every go-asm name becomes a Go identifier, a C symbol or parameter and a Go
/// assembler name: ASCII keeps all of them valid (Go rejects the combining marks
/// Rust identifiers may hold, and a letter without case cannot be exported).
pub(super) fn ascii_name(name: &str, span: Span) -> Result<()> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!(
            span,
            "`{name}` is not an ASCII name: go-asm names become Go identifiers (exported ones start with an upper-case letter), C names and Go assembler symbols; use ASCII letters, digits and `_`"
        );
    }
    Ok(())
}

/// The function's Go name must declare a usable Go function: exported when
/// `pub`, and not a keyword, a predeclared identifier, `init`, `main` or `_`.
pub(super) fn check_function_name(name: &str, public: bool, span: Span) -> Result<()> {
    ascii_name(name, span)?;
    let go = go_ident(name, public);
    if public && !go.starts_with(|c: char| c.is_ascii_uppercase()) {
        bail!(
            span,
            "`pub fn {name}` would be `{go}` in Go, which is not exported: a pub fn's name starts with a letter"
        );
    }
    if GO_KEYWORDS.contains(&go.as_str()) || GO_PREDECLARED.contains(&go.as_str()) {
        bail!(
            span,
            "`{name}` would declare `func {go}` in Go, a keyword or predeclared identifier it would break for the whole package; rename it or make it pub"
        );
    }
    if matches!(go.as_str(), "init" | "main" | "_") {
        bail!(
            span,
            "`{name}` would declare `func {go}` in Go, which Go reserves (init and main cannot be declared without a body, `_` cannot be called); rename it or make it pub"
        );
    }
    Ok(())
}

/// C and C++ keywords and the names the header's includes define: a parameter
/// so named is renamed `<name>_` in the C header (prototype names are only
/// documentation there, so the ABI is unchanged).
const C_RESERVED: &[&str] = &[
    "alignas",
    "alignof",
    "and",
    "and_eq",
    "asm",
    "auto",
    "bitand",
    "bitor",
    "bool",
    "break",
    "case",
    "catch",
    "char",
    "char16_t",
    "char32_t",
    "char8_t",
    "class",
    "compl",
    "concept",
    "const",
    "const_cast",
    "consteval",
    "constexpr",
    "constinit",
    "continue",
    "co_await",
    "co_return",
    "co_yield",
    "decltype",
    "default",
    "delete",
    "do",
    "double",
    "dynamic_cast",
    "else",
    "enum",
    "explicit",
    "export",
    "extern",
    "false",
    "float",
    "for",
    "friend",
    "goto",
    "if",
    "inline",
    "int",
    "int16_t",
    "int32_t",
    "int64_t",
    "int8_t",
    "intmax_t",
    "intptr_t",
    "long",
    "max_align_t",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "not_eq",
    "nullptr",
    "NULL",
    "offsetof",
    "operator",
    "or",
    "or_eq",
    "private",
    "protected",
    "ptrdiff_t",
    "public",
    "register",
    "reinterpret_cast",
    "requires",
    "restrict",
    "return",
    "short",
    "signed",
    "size_t",
    "sizeof",
    "static",
    "static_assert",
    "static_cast",
    "struct",
    "switch",
    "template",
    "this",
    "thread_local",
    "throw",
    "true",
    "try",
    "typedef",
    "typeid",
    "typename",
    "typeof",
    "typeof_unqual",
    "uint16_t",
    "uint32_t",
    "uint64_t",
    "uint8_t",
    "uintmax_t",
    "uintptr_t",
    "union",
    "unsigned",
    "using",
    "virtual",
    "void",
    "volatile",
    "wchar_t",
    "while",
    "xor",
    "xor_eq",
];

/// `name` as a C identifier: reserved words get a trailing `_`.
pub fn c_ident(name: &str) -> String {
    if C_RESERVED.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// Every C parameter name of the header (after [`c_ident`]) must be distinct
/// (`xs: &[u8]` declares `xs_len`, so does a parameter named `xs_len`); the Rust
/// wrapper's extern declaration uses the same names.
pub(super) fn check_c_params(params: &[Param]) -> Result<()> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for p in params {
        for c in p.ty.c_param_names(&p.name) {
            if let Some((_, other)) = seen.iter().find(|(n, _)| *n == c) {
                bail!(
                    p.span,
                    "parameter `{}` and parameter `{other}` both become `{c}` in the C header; rename one",
                    p.name
                );
            }
            seen.push((c, &p.name));
        }
    }
    Ok(())
}

/// Names a parameter cannot have besides keywords: `g` (Go's assembler reads
/// `g+0(FP)` as its goroutine register) and `ret` (asmdecl's name for results).
pub(super) const GO_ASM_NAMES: &[&str] = &["g", "ret"];

/// `snake_case` to Go's `camelCase` (`upper` for exported names).
pub fn go_ident(rust: &str, upper: bool) -> String {
    let mut out = String::new();
    let mut up = upper;
    for (i, ch) in rust.chars().enumerate() {
        if ch == '_' && i > 0 {
            up = true;
            continue;
        }
        if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}
