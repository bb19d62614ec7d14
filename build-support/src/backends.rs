//! The registry: each [`Arch`] and the backend in its folder (from the one list,
//! `lib.rs`'s `architectures!`), and what the outputs ask of all of them.

use crate::arch::{Arch, Target};
use crate::backend::{ArchBackend, Compiled, NativeFn};
use crate::c_results::Placement;
use crate::diag::Result;
use crate::func::AsmFn;
use crate::sig::Signature;
use std::sync::OnceLock;

/// The registry of the list in `lib.rs`'s `architectures!`.
macro_rules! registry {
    ($($variant:ident $goarch:literal $folder:ident $backend:ident [$($abi:ident $abi_doc:literal),*],)*) => {
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

/// Where `target`'s convention puts `sig`'s results.
pub fn result_placement(target: Target, sig: &Signature) -> Placement {
    backend(target.arch).result_placement(target.abi, sig)
}

/// The native function for `target`, around `c` (compiled for `target.arch`).
pub fn native_fn(f: &AsmFn, c: &Compiled, target: Target) -> Result<NativeFn> {
    backend(target.arch).native_fn(f, c, target.abi)
}

impl Target {
    /// The target cargo builds for, from `CARGO_CFG_TARGET_*` (build scripts) or the host.
    pub fn for_rust_target(arch: &str, os: &str) -> Option<Target> {
        let arch = *Arch::ALL.iter().find(|&&a| rust_arch(a) == arch)?;
        let goos = RUST_OSES.iter().find(|(o, _)| *o == os)?.1;
        native_targets()
            .iter()
            .copied()
            .find(|t| t.arch == arch && t.goos == goos)
    }
}

/// Rust's `target_arch` for an architecture.
pub fn rust_arch(arch: Arch) -> &'static str {
    backend(arch).rust_arch()
}

/// Rust's `target_os` values a native object is written for, with the GOOS whose
/// calling convention and object format they share.
const RUST_OSES: [(&str, &str); 8] = [
    ("linux", "linux"),
    ("android", "linux"),
    ("freebsd", "linux"),
    ("netbsd", "linux"),
    ("openbsd", "linux"),
    ("macos", "darwin"),
    ("ios", "darwin"),
    ("windows", "windows"),
];

/// The Rust `target_os` values on which `arch` has a native backend: where a
/// build script links the object, hence where `#[go_asm]` emits its wrapper.
pub fn rust_oses(arch: Arch) -> Vec<&'static str> {
    RUST_OSES
        .iter()
        .filter(|(_, goos)| {
            native_targets()
                .iter()
                .any(|t| t.arch == arch && t.goos == *goos)
        })
        .map(|(os, _)| *os)
        .collect()
}
