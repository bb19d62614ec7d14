//! Native symbol names. A `#[go_asm]` function's C symbol is never its bare Rust
//! name: two crates that both define `sum`, or a function named `strlen`, would
//! bind to each other or replace libc's. The symbol is
//!
//! ```text
//! goasm_<crate>_<version>_<hash>_<fn>        goasm_go_asm_kernels_0_1_0_6c3e0a5d_sum
//! ```
//!
//! where `<crate>` and `<version>` are cargo's `CARGO_PKG_NAME` and
//! `CARGO_PKG_VERSION` (non-alphanumerics as `_`: two semver-incompatible versions
//! of one crate can be linked into one binary), and `<hash>` is FNV-1a of the exact
//! crate name, version and the source file's path relative to the crate root. A
//! Go package is built from whole source files, so two packages of one crate never
//! share a symbol unless they share a source file (which the build step refuses),
//! and one package's functions have distinct names (the build step refuses
//! duplicates). The proc macro (the Rust wrapper's `link_name`) and the build step
//! (object, C header, `.syso` route) both compute it here, from the same inputs:
//! both run with cargo's variables set, and both know the file (the macro from the
//! function's span, the build step from `Package::source`).

use crate::diag::{bail, Result};
use proc_macro2::TokenStream;
use std::path::{Path, PathBuf};

/// The arguments of `#[go_asm(..)]` on a function, comma-separated:
/// `c_name = "name"`, an explicit opt-in to an exact C symbol instead of the
/// unique one, `go_name = "addVV"`, the Go function's exact name, and
/// `nosplit`, a demand that the Go function stay `NOSPLIT` (its frame of stack
/// locals and spill slots within `frame::NOSPLIT_MAX_FRAME`).
#[derive(Default)]
pub struct AttrArgs {
    /// `c_name = ".."`: the exact C symbol.
    pub c_name: Option<String>,
    /// `go_name = ".."`: the exact Go function name.
    pub go_name: Option<String>,
    /// `nosplit`, where it is written.
    pub nosplit: Option<proc_macro2::Span>,
    /// `results(sum, carry)`: the results' names (sig/results.rs).
    pub results: Option<crate::sig::ResultNames>,
    /// `go_type(h = "Handle")`: Go types the package declares (sig/foreign.rs).
    pub go_types: Option<crate::sig::GoTypes>,
}

/// Parses and checks the arguments of `#[go_asm(..)]` on a function.
pub fn parse_attr_args(args: TokenStream) -> Result<AttrArgs> {
    let mut out = AttrArgs::default();
    if args.is_empty() {
        return Ok(out);
    }
    let list = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        args,
    )?;
    const TAKES: &str = "#[go_asm] takes only `c_name = \"..\"` (an exact C symbol), `go_name = \"..\"` (an exact Go name), `nosplit` (the Go function must stay NOSPLIT), `results(a, b)` (the results' names) and `go_type(x = \"T\")` (a Go type the package declares)";
    for meta in list {
        let nv = match meta {
            syn::Meta::Path(p) if p.is_ident("nosplit") => {
                let span = syn::spanned::Spanned::span(&p);
                if out.nosplit.is_some() {
                    bail!(span, "a second `nosplit`");
                }
                out.nosplit = Some(span);
                continue;
            }
            syn::Meta::List(l) if l.path.is_ident("results") => {
                let span = syn::spanned::Spanned::span(&l);
                if out.results.is_some() {
                    bail!(span, "a second `results(..)`");
                }
                out.results = Some(crate::sig::parse_result_names(l.tokens, span)?);
                continue;
            }
            syn::Meta::List(l) if l.path.is_ident("go_type") => {
                if out.go_types.is_some() {
                    bail!(syn::spanned::Spanned::span(&l), "a second `go_type(..)`");
                }
                out.go_types = Some(crate::sig::parse_go_types(l.tokens)?);
                continue;
            }
            syn::Meta::NameValue(nv) => nv,
            other => bail!(syn::spanned::Spanned::span(&other), "{TAKES}"),
        };
        let key = nv
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        let slot = match key.as_str() {
            "c_name" => &mut out.c_name,
            "go_name" => &mut out.go_name,
            _ => bail!(syn::spanned::Spanned::span(&nv.path), "{TAKES}"),
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) = &nv.value
        else {
            bail!(
                syn::spanned::Spanned::span(&nv.value),
                "{key} is a string literal"
            );
        };
        if slot.is_some() {
            bail!(lit.span(), "a second `{key}`");
        }
        let name = lit.value();
        if key == "c_name" {
            check_c_name(&name, lit.span())?;
        } else {
            check_go_name(&name, lit.span())?;
        }
        *slot = Some(name);
    }
    Ok(out)
}

fn check_c_name(name: &str, span: proc_macro2::Span) -> Result<()> {
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ident {
        bail!(
            span,
            "c_name `{name}` is not a C identifier of ASCII letters, digits and `_` starting with a letter"
        );
    }
    if name.starts_with("goasm_") {
        bail!(
            span,
            "c_name `{name}`: `goasm_` names are go-asm's unique symbols"
        );
    }
    if crate::sig::c_ident(name) != name || C_LIBRARY.contains(&name) {
        bail!(
            span,
            "c_name `{name}` is a C keyword or a C library name: it would replace or clash with the library's"
        );
    }
    Ok(())
}

/// A Go function name: an ASCII identifier (it is also an assembler symbol),
/// exported when it starts with an upper-case letter, not a keyword or
/// predeclared identifier, not `_`, `init` or `main`.
fn check_go_name(name: &str, span: proc_macro2::Span) -> Result<()> {
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let why = if !ident {
        "a Go identifier of ASCII letters, digits and `_`, not starting with a digit"
    } else if crate::sig::GO_KEYWORDS.contains(&name) || crate::sig::GO_PREDECLARED.contains(&name)
    {
        "it is a Go keyword or predeclared identifier"
    } else if matches!(name, "init" | "main" | "_") {
        "Go reserves it (init and main cannot be declared without a body, `_` cannot be called)"
    } else {
        return Ok(());
    };
    bail!(span, "go_name `{name}` is not a Go function name: {why}")
}

/// Functions of the C standard library (C11/C23) and the POSIX calls most
/// commonly linked: an exact `c_name` must not take one.
const C_LIBRARY: &[&str] = &[
    "abort",
    "abs",
    "accept",
    "access",
    "acos",
    "acosf",
    "acosh",
    "acosl",
    "aligned_alloc",
    "alarm",
    "asctime",
    "asin",
    "asinf",
    "asinh",
    "atan",
    "atan2",
    "atan2f",
    "atanf",
    "atanh",
    "atexit",
    "atof",
    "atoi",
    "atol",
    "atoll",
    "bind",
    "bsearch",
    "btowc",
    "c16rtomb",
    "c32rtomb",
    "calloc",
    "cbrt",
    "ceil",
    "ceilf",
    "chdir",
    "chmod",
    "chown",
    "clearerr",
    "clock",
    "clock_gettime",
    "close",
    "connect",
    "copysign",
    "cos",
    "cosf",
    "cosh",
    "creat",
    "ctime",
    "difftime",
    "div",
    "dlclose",
    "dlopen",
    "dlsym",
    "dup",
    "dup2",
    "erf",
    "erfc",
    "environ",
    "errno",
    "execl",
    "execv",
    "execve",
    "execvp",
    "exit",
    "exp",
    "exp2",
    "expf",
    "expm1",
    "fabs",
    "fabsf",
    "fchmod",
    "fclose",
    "fcntl",
    "fdopen",
    "feof",
    "ferror",
    "fflush",
    "fgetc",
    "fgetpos",
    "fgets",
    "fileno",
    "floor",
    "floorf",
    "fma",
    "fmaf",
    "fmax",
    "fmin",
    "fmod",
    "fopen",
    "fork",
    "fprintf",
    "fputc",
    "fputs",
    "fread",
    "free",
    "freopen",
    "frexp",
    "fscanf",
    "fseek",
    "fsetpos",
    "fstat",
    "fsync",
    "ftell",
    "ftruncate",
    "fwrite",
    "getc",
    "getchar",
    "getcwd",
    "getenv",
    "getpid",
    "getppid",
    "gets",
    "gettimeofday",
    "getuid",
    "gmtime",
    "hypot",
    "ilogb",
    "imaxabs",
    "imaxdiv",
    "ioctl",
    "isalnum",
    "isalpha",
    "isatty",
    "isblank",
    "iscntrl",
    "isdigit",
    "isgraph",
    "islower",
    "isprint",
    "ispunct",
    "isspace",
    "isupper",
    "isxdigit",
    "kill",
    "labs",
    "ldexp",
    "ldiv",
    "lgamma",
    "link",
    "listen",
    "llabs",
    "lldiv",
    "llrint",
    "llround",
    "localeconv",
    "localtime",
    "log",
    "log10",
    "log1p",
    "log2",
    "logb",
    "logf",
    "longjmp",
    "lrint",
    "lround",
    "lseek",
    "lstat",
    "main",
    "malloc",
    "mblen",
    "mbrlen",
    "mbrtowc",
    "mbsinit",
    "mbsrtowcs",
    "mbstowcs",
    "mbtowc",
    "memccpy",
    "memchr",
    "memcmp",
    "memcpy",
    "memmem",
    "memmove",
    "memset",
    "mkdir",
    "mktime",
    "mmap",
    "modf",
    "mprotect",
    "munmap",
    "nan",
    "nanosleep",
    "nearbyint",
    "nextafter",
    "open",
    "perror",
    "pipe",
    "poll",
    "posix_memalign",
    "pow",
    "powf",
    "printf",
    "pthread_create",
    "pthread_join",
    "pthread_mutex_lock",
    "pthread_mutex_unlock",
    "putc",
    "putchar",
    "puts",
    "qsort",
    "raise",
    "rand",
    "read",
    "readlink",
    "realloc",
    "recv",
    "remainder",
    "remove",
    "rename",
    "rewind",
    "rint",
    "rmdir",
    "round",
    "roundf",
    "sbrk",
    "scalbn",
    "scanf",
    "select",
    "send",
    "setbuf",
    "setenv",
    "setjmp",
    "setlocale",
    "setvbuf",
    "sigaction",
    "signal",
    "sin",
    "sinf",
    "sinh",
    "sleep",
    "snprintf",
    "socket",
    "sprintf",
    "sqrt",
    "sqrtf",
    "srand",
    "sscanf",
    "stat",
    "stpcpy",
    "strcat",
    "strchr",
    "strcmp",
    "strcoll",
    "strcpy",
    "strcspn",
    "strdup",
    "strerror",
    "strftime",
    "strlen",
    "strncat",
    "strncmp",
    "strncpy",
    "strndup",
    "strnlen",
    "strpbrk",
    "strrchr",
    "strspn",
    "strstr",
    "strtod",
    "strtof",
    "strtoimax",
    "strtok",
    "strtol",
    "strtold",
    "strtoll",
    "strtoul",
    "strtoull",
    "strtoumax",
    "strxfrm",
    "symlink",
    "sysconf",
    "system",
    "tan",
    "tanf",
    "tanh",
    "tgamma",
    "time",
    "timespec_get",
    "tmpfile",
    "tmpnam",
    "tolower",
    "toupper",
    "trunc",
    "truncf",
    "ungetc",
    "unlink",
    "unsetenv",
    "usleep",
    "vfprintf",
    "vprintf",
    "vsnprintf",
    "vsprintf",
    "wait",
    "waitpid",
    "wcscat",
    "wcschr",
    "wcscmp",
    "wcscpy",
    "wcslen",
    "wcsncmp",
    "wcstombs",
    "wctomb",
    "wmemcpy",
    "wmemset",
    "write",
];

/// The crate a function belongs to, and its root directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrateId {
    /// `CARGO_PKG_NAME`.
    pub name: String,
    /// `CARGO_PKG_VERSION`.
    pub version: String,
    /// `CARGO_MANIFEST_DIR`; source paths are made relative to it.
    pub root: PathBuf,
}

impl CrateId {
    /// The crate being compiled or built, from cargo's environment (set for rustc,
    /// hence for the macro, and for build scripts). Outside cargo the name and
    /// version are empty and the root is the working directory.
    pub fn from_env() -> CrateId {
        let var = |k: &str| std::env::var(k).unwrap_or_default();
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        CrateId {
            name: var("CARGO_PKG_NAME"),
            version: var("CARGO_PKG_VERSION"),
            root,
        }
    }

    /// Where `file` (absolute, or relative to the working directory) is defined.
    pub fn origin(&self, file: &Path) -> Origin {
        Origin {
            crate_name: self.name.clone(),
            version: self.version.clone(),
            file: relative_to(file, &self.root),
        }
    }
}

/// Where a function is defined: everything its symbol depends on besides its name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The crate's name.
    pub crate_name: String,
    /// The crate's version.
    pub version: String,
    /// The source file relative to the crate root, `/`-separated.
    pub file: String,
}

impl Origin {
    /// The native symbol of the function named `rust_name` (a plain identifier).
    pub fn symbol(&self, rust_name: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.crate_name, &self.version, &self.file] {
            for b in part.bytes().chain([0]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!(
            "goasm_{}_{}_{:08x}_{rust_name}",
            c_safe(&self.crate_name),
            c_safe(&self.version),
            (h ^ (h >> 32)) as u32
        )
    }
}

/// `s` with every character outside `[A-Za-z0-9]` as `_`.
fn c_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// `file` relative to `root`, `/`-separated; both are resolved through the file
/// system first (symlinks, `..`, a relative `root`), so the macro and the build
/// step agree however each names the file. A file outside `root` keeps its path.
fn relative_to(file: &Path, root: &Path) -> String {
    let canon = |p: &Path| {
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        abs.canonicalize().unwrap_or(abs)
    };
    let (file, root) = (canon(file), canon(root));
    let rel = file.strip_prefix(&root).unwrap_or(&file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(name: &str, version: &str, file: &str) -> Origin {
        Origin {
            crate_name: name.into(),
            version: version.into(),
            file: file.into(),
        }
    }

    #[test]
    fn symbols_differ_by_crate_version_and_file() {
        let base = origin("a-b", "1.0.0", "src/sum.rs");
        let s = base.symbol("sum");
        assert!(
            s.starts_with("goasm_a_b_1_0_0_") && s.ends_with("_sum"),
            "{s}"
        );
        for other in [
            origin("a_b", "1.0.0", "src/sum.rs"),
            origin("a-b", "2.0.0", "src/sum.rs"),
            origin("a-b", "1.0.0", "src/other.rs"),
        ] {
            assert_ne!(other.symbol("sum"), s, "{other:?}");
        }
        assert_eq!(base.symbol("sum"), s, "deterministic");
    }

    #[test]
    fn paths_are_relative_to_the_crate_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/k.rs"), "").unwrap();
        let id = CrateId {
            name: "k".into(),
            version: "0.1.0".into(),
            root: dir.path().to_path_buf(),
        };
        assert_eq!(
            id.origin(&dir.path().join("src/../src/k.rs")).file,
            "src/k.rs"
        );
    }
}
