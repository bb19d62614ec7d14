/// The example packages: `src/<name>.rs` becomes the Go package `go/<name>/`.
pub const PACKAGES: [&str; 9] = [
    "add", "count", "dot", "fields", "fnv", "lookup", "mulfull", "sum", "types",
];
