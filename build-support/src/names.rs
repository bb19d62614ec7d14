//! What a package and its file base may be called, checked before anything is
//! compiled or written.

/// The operating systems Go reads from a file name (go/build's knownOS).
const GOOS: [&str; 18] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// A Go package name: an ASCII identifier (it is the default file base,
/// which names C macros and the archive the Rust crate links), not a keyword, not `_`. `main`
/// is accepted: a command may carry its own assembly.
pub fn check_package_name(name: &str) -> Result<(), String> {
    let why = if name.is_empty() {
        Some("it is empty")
    } else if !is_ascii_identifier(name) {
        Some("a package name is an identifier: ASCII letters, digits and `_`, not starting with a digit")
    } else if crate::sig::GO_KEYWORDS.contains(&name) {
        Some("it is a Go keyword")
    } else if name == "_" {
        Some("the blank identifier names no package")
    } else {
        None
    };
    match why {
        Some(why) => Err(format!(
            "package name `{name}` is not a Go package name: {why}"
        )),
        None => Ok(()),
    }
}

/// A file base: the stem of every generated file name, so no path (no separator,
/// no `..`, not absolute), ASCII letters, digits and `_` (it is also a C macro
/// name in the header guard), not starting with `_` (Go ignores such files), and
/// not ending in `_<GOOS>` (Go would build `<base>_amd64.s` on that OS only).
pub fn check_file_base(base: &str) -> Result<(), String> {
    let why = if base.is_empty() {
        Some("it is empty".to_string())
    } else if base.contains(['/', '\\']) || base.contains("..") || base.starts_with('.') {
        Some("it is a file name stem, not a path: no `/`, `\\` or `..`".to_string())
    } else if !base.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Some("it holds ASCII letters, digits and `_` only".to_string())
    } else if base.starts_with('_') {
        Some("Go ignores files whose names start with `_`".to_string())
    } else {
        base.rsplit_once('_')
            .filter(|(_, last)| GOOS.contains(last))
            .map(|(_, last)| {
                format!("Go would build `{base}_amd64.s` only on {last}: a name ending in `_{last}` is a build constraint")
            })
    };
    match why {
        Some(why) => Err(format!("file_base `{base}` is not a file base: {why}")),
        None => Ok(()),
    }
}

fn is_ascii_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names() {
        for ok in ["sum", "main", "x86", "_x", "Mixed"] {
            assert_eq!(check_package_name(ok), Ok(()), "{ok}");
        }
        for bad in ["", "my-pkg", "func", "_", "1x", "a.b", "é"] {
            let e = check_package_name(bad).expect_err(bad);
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
    }

    #[test]
    fn file_bases() {
        for ok in ["sum", "sum_v2", "linux", "x_amd64", "2x"] {
            assert_eq!(check_file_base(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "../escaped",
            "/abs",
            "a/b",
            "a\\b",
            "..",
            ".hidden",
            "_x",
            "my-pkg",
            "x_linux",
        ] {
            let e = check_file_base(bad).expect_err(bad);
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
    }
}
