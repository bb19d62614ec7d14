//! The names of the architectures and of their C calling conventions: the bottom of
//! the module graph, so that every layer can say which one it means. What each
//! architecture does lives in its folder, reached through `backends`.

/// The target architectures.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Arch {
    Amd64,
    Arm64,
}

impl Arch {
    pub const ALL: [Arch; 2] = [Arch::Amd64, Arch::Arm64];
    /// Go's GOARCH and the DSL block name.
    pub fn goarch(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }
}

/// A C calling convention of the native objects.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Abi {
    /// System V AMD64 (linux, darwin).
    SysV,
    /// Microsoft x64 (windows).
    Win64,
    /// AAPCS64 (linux).
    Aapcs64,
    /// Apple's AAPCS64 variant (darwin).
    AppleArm64,
}

/// Object file format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Format {
    Elf,
    MachO,
    Coff,
}

/// A native target: architecture, convention, file format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Target {
    pub arch: Arch,
    pub abi: Abi,
    pub format: Format,
    /// Go's GOOS for the target (file names).
    pub goos: &'static str,
}
