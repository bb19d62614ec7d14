//! The names of the architectures and of their C calling conventions: the bottom of
//! the module graph, so that every layer can say which one it means. What each
//! architecture does lives in its folder, reached through `backends`.

/// The enum of the list in `lib.rs`'s `architectures!`.
macro_rules! arch_enum {
    ($($variant:ident $goarch:literal $folder:ident $backend:ident,)*) => {
        /// The target architectures.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub enum Arch {
            $(#[doc = concat!("GOARCH `", $goarch, "`.")] $variant,)*
        }

        impl Arch {
            /// Every architecture, in the order of the list.
            pub const ALL: [Arch; [$($goarch),*].len()] = [$(Arch::$variant),*];
            /// Go's GOARCH and the DSL block name.
            pub fn goarch(self) -> &'static str {
                match self {
                    $(Arch::$variant => $goarch,)*
                }
            }
        }
    };
}
architectures!(arch_enum);

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
    /// ELF (linux).
    Elf,
    /// Mach-O (darwin).
    MachO,
    /// COFF (windows).
    Coff,
}

/// A native target: architecture, convention, file format.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Target {
    /// The instruction set.
    pub arch: Arch,
    /// The C calling convention of the native functions.
    pub abi: Abi,
    /// The object file format.
    pub format: Format,
    /// Go's GOOS for the target (file names).
    pub goos: &'static str,
}
