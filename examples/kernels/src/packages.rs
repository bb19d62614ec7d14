/// The example packages: `src/<name>.rs` becomes the Go package `go/<name>/`.
pub const PACKAGES: [&str; 14] = [
    "add", "bits", "chacha", "count", "dot", "fields", "fnv", "lookup", "mulfull", "routed", "search", "sum", "types",
    "utf8valid",
];

/// Packages whose functions Go calls in native `.syso` objects instead of Go
/// assembly (`Package::syso`), and on which platforms.
pub const SYSO_ROUTES: [(&str, &[&str]); 1] = [(
    "routed",
    &[
        "linux/amd64",
        "linux/arm64",
        "darwin/amd64",
        "darwin/arm64",
        "windows/amd64",
    ],
)];

/// The package whose build also writes go-asm's call runtime (package `calln`)
/// into a sibling directory; the routed package's tests call its functions by
/// address through it.
pub const RUNTIME: (&str, &str) = ("routed", "go/calln");
