//! The one list of architectures: each [`Arch`] and the backend in its folder.
//! Adding an architecture is a folder implementing `backend::Backend` and one line
//! here.

use crate::arch::Arch;
use crate::backend::ArchBackend;

/// The backend of `arch`.
pub fn backend(arch: Arch) -> &'static dyn ArchBackend {
    match arch {
        Arch::Amd64 => &crate::x86::backend::X86,
        Arch::Arm64 => &crate::arm64::backend::Arm64,
    }
}
