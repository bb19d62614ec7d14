//! Generates one Go package per example module into `go/<name>/` and links the
//! native objects into this crate.

use go_asm_build::Package;

include!("src/packages.rs");

fn main() {
    for name in PACKAGES {
        let mut pkg = Package::new(name, format!("go/{name}")).source(format!("src/{name}.rs"));
        for (routed, platforms) in SYSO_ROUTES {
            if routed == name {
                pkg = pkg.syso(platforms.iter().copied());
            }
        }
        if RUNTIME.0 == name {
            pkg = pkg.runtime(RUNTIME.1);
        }
        pkg.build();
    }
}
