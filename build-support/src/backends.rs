//! The registry: each [`Arch`] and the backend in its folder (from the one list,
//! `lib.rs`'s `architectures!`), and what the outputs ask of all of them.

use crate::arch::{Arch, Target};
use crate::backend::{ArchBackend, Compiled, NativeFn};
use crate::diag::Result;
use crate::func::AsmFn;
use std::sync::OnceLock;

/// The registry of the list in `lib.rs`'s `architectures!`.
macro_rules! registry {
    ($($variant:ident $goarch:literal $folder:ident $backend:ident,)*) => {
        /// The backend of `arch`.
        pub fn backend(arch: Arch) -> &'static dyn ArchBackend {
            match arch {
                $(Arch::$variant => &crate::$folder::backend::$backend,)*
            }
        }
    };
}
architectures!(registry);

/// Every native target, architecture by architecture.
pub fn native_targets() -> &'static [Target] {
    static ALL: OnceLock<Vec<Target>> = OnceLock::new();
    ALL.get_or_init(|| {
        Arch::ALL
            .iter()
            .flat_map(|&a| backend(a).native_targets())
            .copied()
            .collect()
    })
}

/// The native function for `target`, around `c` (compiled for `target.arch`).
pub fn native_fn(f: &AsmFn, c: &Compiled, target: Target) -> Result<NativeFn> {
    backend(target.arch).native_fn(f, c, target.abi)
}

impl Target {
    /// The target cargo builds for, from `CARGO_CFG_TARGET_*` (build scripts) or the host.
    pub fn for_rust_target(arch: &str, os: &str) -> Option<Target> {
        let arch = *Arch::ALL
            .iter()
            .find(|&&a| backend(a).rust_arch() == arch)?;
        let goos = match os {
            "linux" | "android" | "freebsd" | "netbsd" | "openbsd" => "linux",
            "macos" | "ios" => "darwin",
            "windows" => "windows",
            _ => return None,
        };
        native_targets()
            .iter()
            .copied()
            .find(|t| t.arch == arch && t.goos == goos)
    }
}
