//! The package's native objects: one per target, and in a build script the one
//! for the crate's own target, archived and linked.

use super::*;

impl Package {
    /// Native object with every function of the package for `target`.
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn native_object(
        &self,
        sources: &[Source],
        built: &Built,
        target: crate::native::Target,
        linkage: crate::native::Linkage,
    ) -> Result<Vec<u8>, BuildError> {
        let (fns, tables) = self.native_parts(sources, built, target)?;
        crate::native::write_object(target, &fns, &tables, linkage).map_err(|e| BuildError(vec![e]))
    }

    /// One native object holding every function of the package for `target`:
    /// parses and compiles the sources, then writes the object
    /// ([`Linkage::Relocatable`] for C and Rust linkers, [`Linkage::Syso`] for Go's).
    /// What `go-asm object` writes.
    ///
    /// [`Linkage::Relocatable`]: crate::Linkage::Relocatable
    /// [`Linkage::Syso`]: crate::Linkage::Syso
    pub fn object(
        &self,
        target: crate::native::Target,
        linkage: crate::native::Linkage,
    ) -> Result<Vec<u8>, BuildError> {
        let (sources, built) = self.compile()?;
        self.native_object(&sources, &built, target, linkage)
    }

    /// The native functions of the package for `target`, with their tables.
    #[allow(clippy::type_complexity)]
    pub(super) fn native_parts(
        &self,
        sources: &[Source],
        built: &Built,
        target: crate::native::Target,
    ) -> Result<
        (
            Vec<crate::native::NativeFn>,
            Vec<Vec<crate::native::ObjTable>>,
        ),
        BuildError,
    > {
        use crate::native::{native_fn, ObjTable};
        let all: Vec<(&Source, &AsmFn)> = sources
            .iter()
            .flat_map(|s| s.fns.iter().map(move |f| (s, f)))
            .collect();
        let mut fns = Vec::new();
        let mut tables = Vec::new();
        let mut errors = Vec::new();
        for ((src, f), compiled) in all.iter().zip(&built.compiled) {
            let Some(c) = compiled.iter().find(|c| c.arch == target.arch) else {
                continue;
            };
            match native_fn(f, c, target) {
                Ok(n) => fns.push(n),
                Err(e) => errors.push(e.located(&src.path)),
            }
            tables.push(
                f.tables
                    .iter()
                    .map(|t| ObjTable {
                        symbol: format!("{}_{}", f.symbol, t.name),
                        bytes: std::sync::Arc::clone(&t.bytes),
                        align: 16,
                    })
                    .collect(),
            );
        }
        if !errors.is_empty() {
            return Err(BuildError(errors));
        }
        Ok((fns, tables))
    }

    /// In a build script: no two `Package`s of the script share a directory and
    /// file base, since each would delete the files of the other.
    pub(super) fn claim_directory(&self) -> Result<(), BuildError> {
        static CLAIMED: std::sync::Mutex<Vec<(PathBuf, String)>> =
            std::sync::Mutex::new(Vec::new());
        let claim = (lexical(&self.out_dir()), self.base_name());
        let mut claimed = CLAIMED.lock().unwrap_or_else(|e| e.into_inner());
        if claimed.contains(&claim) {
            return Err(BuildError(vec![format!(
                "two packages write file base `{}` into {}; give one of them another directory or file_base",
                claim.1,
                self.dir.display()
            )]));
        }
        claimed.push(claim);
        Ok(())
    }

    /// In a build script: writes the native object for the crate's target into
    /// `OUT_DIR`, archives it with `cc` and links it. On targets go-asm has no
    /// native backend for, nothing is linked and the `#[go_asm]` wrappers are left
    /// out by their `#[cfg]` (see `go_asm::go_asm`); a package whose `only_arches`
    /// leaves out the target's architecture while a function has a block for it
    /// (so its wrapper exists) is an error naming the target.
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn link_native(&self, sources: &[Source], built: &Built) -> Result<(), BuildError> {
        let (Ok(arch), Ok(os), Ok(out)) = (
            std::env::var("CARGO_CFG_TARGET_ARCH"),
            std::env::var("CARGO_CFG_TARGET_OS"),
            std::env::var("OUT_DIR"),
        ) else {
            return Ok(());
        };
        let triple = std::env::var("TARGET").unwrap_or_else(|_| format!("{arch}-{os}"));
        let Some(target) = crate::native::Target::for_rust_target(&arch, &os) else {
            println!(
                "cargo:warning=go-asm: no native backend for target {triple}: the #[go_asm] wrappers of {} are left out on it (the Go package is written as usual)",
                self.dir.display()
            );
            return Ok(());
        };
        if !built.arches.contains(&target.arch) {
            let goarch = target.arch.goarch();
            let with_block: Vec<String> = sources
                .iter()
                .flat_map(|s| &s.fns)
                .filter(|f| f.block(target.arch).is_some())
                .map(|f| format!("`{}`", f.sig.name))
                .collect();
            if with_block.is_empty() {
                return Ok(());
            }
            return Err(BuildError(vec![format!(
                "{} ha{} an {goarch}! block, so the #[go_asm] wrapper exists on target {triple}, but package {} is restricted by only_arches to {}: no native body is linked for it; add Arch::{:?} to only_arches or remove the {goarch}! block",
                with_block.join(", "),
                if with_block.len() == 1 { "s" } else { "ve" },
                self.name,
                built.arches.iter().map(|a| a.goarch()).collect::<Vec<_>>().join(" and "),
                target.arch,
            )]));
        }
        let bytes =
            self.native_object(sources, built, target, crate::native::Linkage::Relocatable)?;
        let lib = format!("goasm_{}", self.base_name());
        let obj = Path::new(&out).join(format!("{lib}.o"));
        std::fs::write(&obj, bytes)
            .map_err(|e| BuildError(vec![format!("{}: {e}", obj.display())]))?;
        cc::Build::new()
            .object(&obj)
            .cargo_warnings(false)
            .try_compile(&lib)
            .map_err(|e| BuildError(vec![format!("archiving {}: {e}", obj.display())]))
    }
}
