//! The build.rs API: find `#[go_asm]` items in Rust sources, compile them, and
//! write (or check) the Go package.
//!
//! ```no_run
//! // build.rs
//! go_asm_build::Package::new("sum", "go/sum")
//!     .source("src/sum.rs")
//!     .build();
//! ```

mod compiling;
mod native_objects;

use crate::compile;
use crate::diag::Error;
use crate::func::{Arch, AsmFn};
use crate::gocheck;
use crate::gopkg::{self, GoFile, GoStruct, Unit};
use crate::names;
use crate::output::{self, Contents};
pub use crate::source::{parse_source, parse_source_at, parse_struct, Source};
use crate::symbol::CrateId;
use crate::syso::{self, ObjFile};
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A Go package generated from one or more Rust source files.
#[derive(Clone, Debug)]
pub struct Package {
    name: String,
    dir: PathBuf,
    sources: Vec<PathBuf>,
    arches: Option<Vec<Arch>>,
    base: Option<String>,
    /// `goos/goarch` platforms whose functions Go calls in `.syso` objects.
    syso: Vec<String>,
    /// Where to write go-asm's call runtime (package `calln`), if asked.
    runtime_dir: Option<PathBuf>,
    /// The crate the sources belong to (symbol.rs); cargo's environment by default.
    crate_id: Option<CrateId>,
    /// The module path of a `go.mod` to write into the package directory, if asked.
    go_module: Option<String>,
}

/// Everything that went wrong, one message each, located `file:line:column:
/// message` when it is about a token of a source.
#[derive(Debug)]
pub struct BuildError(pub Vec<String>);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// A compiled package: per function (in source order), its compiled bodies and
/// its fallback text.
pub struct Built {
    /// The architectures compiled for.
    pub arches: Vec<Arch>,
    /// Whether the package is restricted to `arches` (`only_arches`): no fallback.
    pub restricted: bool,
    /// Per function, per architecture of `arches`: the compiled body.
    pub compiled: Vec<Vec<compile::Compiled>>,
    /// Per function: its `go!` fallback's text, if it has one.
    pub fallbacks: Vec<Option<String>>,
    /// `file:line:column: message` of what is legal but likely a mistake (a
    /// declared feature nothing needs); `build()` prints them as cargo warnings.
    pub warnings: Vec<String>,
}

/// What a generation did.
#[derive(Debug)]
pub struct Report {
    /// The `#[go_asm]` functions compiled.
    pub functions: usize,
    /// The Go files and the C header of the package, as written (or compared).
    pub files: Vec<GoFile>,
    /// The `.syso` objects of a routed package ([`Package::syso`]).
    pub objects: Vec<ObjFile>,
    /// How long parsing, compiling and rendering took.
    pub seconds: f64,
    /// Located warnings ([`Built::warnings`]).
    pub warnings: Vec<String>,
}

/// Everything a package directory receives: Go text files and native objects.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The Go text files.
    pub files: Vec<GoFile>,
    /// The `.syso` objects.
    pub objects: Vec<ObjFile>,
}

/// A `.s` file streamed to the disk: its name and its renderer.
type Streamed<'a> = (String, Box<output::Render<'a>>);

/// The text between a `go! { .. }` block's braces.
fn go_text(src: &Source, span: proc_macro2::Span) -> String {
    let r = span.byte_range();
    let inner = src
        .text
        .get(r.start + 1..r.end.saturating_sub(1))
        .unwrap_or("");
    gopkg::reindent(inner)
}

impl Package {
    /// A Go package named `name`, written to `dir` (relative paths are relative to
    /// the crate root, `CARGO_MANIFEST_DIR`, in a build script).
    pub fn new(name: impl Into<String>, dir: impl Into<PathBuf>) -> Self {
        Package {
            name: name.into(),
            dir: dir.into(),
            sources: Vec::new(),
            arches: None,
            base: None,
            syso: Vec::new(),
            runtime_dir: None,
            crate_id: None,
            go_module: None,
        }
    }

    /// The crate whose sources these are, for the native symbols (symbol.rs). A
    /// build script never needs it (cargo's environment says); a tool that renders
    /// a crate's package outside its build script (tests, a CLI) names the crate
    /// here, or its symbols would not match the crate's `#[go_asm]` wrappers.
    pub fn crate_id(mut self, id: CrateId) -> Self {
        self.crate_id = Some(id);
        self
    }

    /// Also writes go-asm's call runtime, the Go package `calln` (`Call0`..`Call6`,
    /// `CallMixed`; runtime/go/README.md), into `dir`, a sibling of the package in the
    /// same Go module: with [`Package::syso`], `calln.Call2(p.MixAddr(), a, b)` then
    /// calls a routed function by its address. Checked like the package itself.
    pub fn runtime(mut self, dir: impl Into<PathBuf>) -> Self {
        self.runtime_dir = Some(dir.into());
        self
    }

    /// Also writes `go.mod` (`module <path>`) into the package directory, making it
    /// the root of a Go module others can import as `<path>`. The file is owned
    /// like the other generated files (its manifest lists it) and regenerated
    /// with them. Without it, and with no `go.mod` in the package directory or
    /// above, [`Package::build`] warns with the line to add.
    pub fn go_module(mut self, path: impl Into<String>) -> Self {
        self.go_module = Some(path.into());
        self
    }

    /// The `go.mod` asked for with [`Package::go_module`].
    fn go_mod_file(&self, sources: &[Source]) -> Option<GoFile> {
        let module = self.go_module.as_ref()?;
        let from: Vec<String> = sources.iter().map(|s| s.from.clone()).collect();
        Some(GoFile {
            name: "go.mod".into(),
            contents: format!(
                "{}\n\nmodule {module}\n\ngo 1.21\n",
                crate::generated::provenance(&from)
            ),
        })
    }

    /// A warning with the line to add when the package directory is in no Go
    /// module (no `go.mod` in it or a parent) and none was asked for: Go cannot
    /// import the package until there is one.
    pub fn go_module_hint(&self) -> Option<String> {
        if self.go_module.is_some() {
            return None;
        }
        let dir = std::path::absolute(self.out_dir()).unwrap_or_else(|_| self.out_dir());
        if dir.ancestors().any(|d| d.join("go.mod").is_file()) {
            return None;
        }
        Some(format!(
            "{} is not inside a Go module (no go.mod in it or a parent directory), so Go cannot import package {}: add a go.mod holding `module example.com/yourmodule` there or above (`go mod init example.com/yourmodule`), or ask for one with .go_module(\"example.com/yourmodule\")",
            self.dir.display(),
            self.name
        ))
    }

    /// The runtime package's output, when asked for: its own file base, named
    /// after its package.
    fn runtime_output(&self) -> Option<output::Output<'static>> {
        let dir = self.resolve(self.runtime_dir.as_ref()?);
        let options = crate::calln::CallnOptions::default();
        let files: Vec<(String, Contents<'static>)> = crate::calln::generate(&options)
            .into_iter()
            .map(|(name, contents)| (name, Contents::Bytes(Cow::Owned(contents.into_bytes()))))
            .collect();
        Some(output::Output {
            dir,
            base: options.package.clone(),
            package: options.package,
            adoptable: files.iter().map(|(n, _)| n.clone()).collect(),
            files,
        })
    }

    /// The directories `out` (and the runtime, if asked) go to, each with the
    /// files it owns there.
    fn outputs<'a>(&self, out: &'a Rendered, streamed: &'a [Streamed]) -> Vec<output::Output<'a>> {
        let base = self.base_name();
        let bytes = |name: &String, b: &'a [u8]| (name.clone(), Contents::Bytes(Cow::Borrowed(b)));
        let mut files: Vec<(String, Contents<'a>)> = out
            .files
            .iter()
            .map(|f| bytes(&f.name, f.contents.as_bytes()))
            .chain(out.objects.iter().map(|o| bytes(&o.name, &o.bytes)))
            .chain(
                streamed
                    .iter()
                    .map(|(n, r)| (n.clone(), Contents::Stream(&**r))),
            )
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        // Without a manifest, a file with go-asm's header is adopted when this
        // base may have written it before: one of its fixed names, or a name it
        // writes now (dispatch and per-architecture files depend on the sources).
        let mut adoptable = possible_names(&base);
        adoptable.extend(files.iter().map(|(n, _)| n.clone()));
        adoptable.sort();
        adoptable.dedup();
        let package = output::Output {
            dir: self.out_dir(),
            package: self.name.clone(),
            adoptable,
            base,
            files,
        };
        std::iter::once(package)
            .chain(self.runtime_output())
            .collect()
    }

    /// What differs between `out` (and the runtime, if asked) and the directories.
    fn stale(&self, out: &Rendered, streamed: &[Streamed]) -> Result<Vec<String>, BuildError> {
        let mut stale = Vec::new();
        for o in self.outputs(out, streamed) {
            let names = output::stale(&o).map_err(|e| BuildError(vec![e]))?;
            stale.extend(names.iter().map(|n| o.dir.join(n).display().to_string()));
        }
        Ok(stale)
    }

    /// Writes `out` (and the runtime, if asked).
    fn write(&self, out: &Rendered, streamed: &[Streamed]) -> Result<(), BuildError> {
        for o in self.outputs(out, streamed) {
            output::write(&o).map_err(|e| BuildError(vec![e]))?;
        }
        Ok(())
    }

    /// Checks the package name, the file base and where the runtime goes before
    /// anything is read or written.
    fn check_configuration(&self) -> Result<(), BuildError> {
        let mut errors = Vec::new();
        errors.extend(names::check_package_name(&self.name).err());
        errors.extend(names::check_file_base(&self.base_name()).err());
        if let Some(m) = &self.go_module {
            if m.is_empty() || m.contains(|c: char| c.is_whitespace() || c == '"' || c == '`') {
                errors.push(format!(
                    "go_module({m:?}) is not a Go module path (like example.com/x)"
                ));
            }
        }
        if let Some(rdir) = &self.runtime_dir {
            let (pkg, rt) = (lexical(&self.out_dir()), lexical(&self.resolve(rdir)));
            if rt.starts_with(&pkg) || pkg.starts_with(&rt) {
                errors.push(format!(
                    "runtime({}) overlaps the package directory {}: the runtime is its own Go package and needs a directory of its own, outside the package's",
                    rdir.display(),
                    self.dir.display()
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(BuildError(errors))
        }
    }

    /// Routes every function of the package through native objects on these
    /// platforms (`"linux/amd64"`, `"linux/arm64"`, `"darwin/amd64"`,
    /// `"darwin/arm64"`, `"windows/amd64"`): the package gets the relocation-free
    /// object as `<base>_<goos>_<goarch>.syso` and, as the body of each Go
    /// declaration, a trampoline whose frame is exactly the native function's
    /// stack use; `<Name>Addr()` returns each native function's address. Other
    /// platforms keep the Go assembly and the fallback.
    pub fn syso<I, S>(mut self, platforms: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.syso.extend(platforms.into_iter().map(Into::into));
        self
    }

    /// A Rust source file holding `#[go_asm]` items.
    pub fn source(mut self, path: impl Into<PathBuf>) -> Self {
        self.sources.push(path.into());
        self
    }

    /// Restricts the package to these architectures: no pure-Go fallback is
    /// generated or required, and the package does not build elsewhere.
    pub fn only_arches(mut self, arches: &[Arch]) -> Self {
        self.arches = Some(arches.to_vec());
        self
    }

    /// File name base (default: the package name): `base_amd64.s`, `base_asm.go`...
    /// A file-name stem of ASCII letters, digits and `_` (checked before anything
    /// is written); several bases of one Go package may share a directory.
    pub fn file_base(mut self, base: impl Into<String>) -> Self {
        self.base = Some(base.into());
        self
    }

    fn root() -> PathBuf {
        std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_default()
    }

    fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            Self::root().join(p)
        }
    }

    /// The package directory: `dir` of [`Package::new`], resolved against the
    /// crate root when relative.
    pub fn out_dir(&self) -> PathBuf {
        self.resolve(&self.dir)
    }

    /// Parses, compiles and renders the package in memory.
    pub fn render(&self) -> Result<Report, BuildError> {
        let start = Instant::now();
        let sources = self.parse_sources()?;
        let built = self.compile_sources(&sources)?;
        let rendered = self.render_all(&sources, &built)?;
        self.check_go_bodies(&sources, &rendered.files)?;
        Ok(Report {
            functions: sources.iter().map(|s| s.fns.len()).sum(),
            files: rendered.files,
            objects: rendered.objects,
            seconds: start.elapsed().as_secs_f64(),
            warnings: built.warnings.clone(),
        })
    }

    /// Compiles and renders already-parsed sources: the Go files through Go
    /// assembly ([`Package::render_all`] has the `.syso` route too).
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn render_sources(&self, sources: &[Source]) -> Result<Vec<GoFile>, BuildError> {
        let built = self.compile_sources(sources)?;
        Ok(self.render_built(sources, &built))
    }

    /// Renders the Go files and the C header of a compiled package, all through
    /// Go assembly (without the `.syso` route; [`Package::render_all`] has it).
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn render_built(&self, sources: &[Source], built: &Built) -> Vec<GoFile> {
        self.render_go(sources, built, &[], false).0
    }

    /// The Go files and the C header; with `stream`, the `.s` files are returned
    /// unrendered, to be streamed to the disk ([`Package::streamed`]).
    fn render_go<'a>(
        &self,
        sources: &'a [Source],
        built: &'a Built,
        routed: &[(&'a str, Arch)],
        stream: bool,
    ) -> (Vec<GoFile>, Vec<gopkg::AsmFile<'a>>) {
        let all: Vec<&AsmFn> = sources.iter().flat_map(|s| s.fns.iter()).collect();
        let units: Vec<Unit> = all
            .iter()
            .zip(&built.compiled)
            .zip(&built.fallbacks)
            .map(|((f, c), fb)| Unit {
                f,
                compiled: c,
                fallback: fb.as_deref(),
            })
            .collect();
        let structs: Vec<GoStruct> = sources
            .iter()
            .flat_map(|s| s.structs.iter().cloned())
            .collect();
        let base = self.base_name();
        let from: Vec<String> = sources.iter().map(|s| s.from.clone()).collect();
        let docs = sources
            .iter()
            .find(|s| !s.docs.is_empty())
            .map(|s| s.docs.as_slice());
        let package_doc = gopkg::package_comment(&self.name, &from, docs.unwrap_or_default());
        let (mut files, asm) = gopkg::render(
            &self.name,
            &package_doc,
            &base,
            &built.arches,
            built.restricted,
            &units,
            &structs,
            routed,
            stream,
        );
        files.extend(crate::dispatch::render(
            &self.name,
            &base,
            &built.arches,
            built.restricted,
            &units,
        ));
        let guard = format!("GO_ASM_{}_H", base.to_uppercase());
        files.push(GoFile {
            name: format!("{base}.h"),
            contents: crate::c_header::c_header(&guard, &all, &structs),
        });
        stamp_provenance(&mut files, sources);
        files.sort_by(|a, b| a.name.cmp(&b.name));
        (files, asm)
    }

    /// Renderers of the `.s` files `asm` ([`Package::render_go`] with `stream`),
    /// with their provenance line.
    fn streamed<'a>(sources: &[Source], asm: Vec<gopkg::AsmFile<'a>>) -> Vec<Streamed<'a>> {
        let from: Vec<String> = sources.iter().map(|s| s.from.clone()).collect();
        let header = crate::generated::provenance(&from);
        asm.into_iter()
            .map(|a| {
                let header = header.clone();
                let name = a.name.clone();
                let render: Box<output::Render<'a>> =
                    Box::new(move |w: &mut dyn std::io::Write| a.write_io(w, &header));
                (name, render)
            })
            .collect()
    }

    fn base_name(&self) -> String {
        self.base.clone().unwrap_or_else(|| self.name.clone())
    }

    /// Everything the package directory receives: the Go files, the C header and,
    /// for a routed package ([`Package::syso`]), the `.syso` objects with their
    /// trampolines. Fails when a routed object would carry a relocation.
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn render_all(&self, sources: &[Source], built: &Built) -> Result<Rendered, BuildError> {
        Ok(self.render_all_with(sources, built, false)?.0)
    }

    /// [`Package::render_all`]; with `stream`, the `.s` files through Go assembly
    /// are returned unrendered ([`Package::render_go`]).
    fn render_all_with<'a>(
        &self,
        sources: &'a [Source],
        built: &'a Built,
        stream: bool,
    ) -> Result<(Rendered, Vec<gopkg::AsmFile<'a>>), BuildError> {
        if self.syso.is_empty() {
            let (mut files, asm) = self.render_go(sources, built, &[], stream);
            files.extend(self.go_mod_file(sources));
            let objects = Vec::new();
            return Ok((Rendered { files, objects }, asm));
        }
        let err = |e: String| BuildError(vec![e]);
        let mut targets = Vec::new();
        for p in &self.syso {
            let t = syso::parse_platform(p).map_err(err)?;
            if !built.arches.contains(&t.arch) {
                return Err(err(format!(
                    "syso platform {p}: the package has no {} code",
                    t.arch.goarch()
                )));
            }
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        let all: Vec<(&Source, &AsmFn)> = sources
            .iter()
            .flat_map(|s| s.fns.iter().map(move |f| (s, f)))
            .collect();
        let names: Vec<String> = all.iter().map(|(_, f)| f.sig.go_name()).collect();
        let mut errors = Vec::new();
        for (src, f) in &all {
            let addr = syso::addr_name(f);
            if names.contains(&addr) {
                errors.push(
                    crate::diag::Error::new(
                        f.sig.name_span,
                        format!("the .syso route declares {addr}, which this package already has"),
                    )
                    .located(&src.path),
                );
            }
        }
        if !errors.is_empty() {
            return Err(BuildError(errors));
        }
        let routed: Vec<(&str, Arch)> = targets.iter().map(|t| (t.goos, t.arch)).collect();
        let base = self.base_name();
        let (mut files, asm) = self.render_go(sources, built, &routed, stream);
        // A dispatching function has no native symbol (its variants do).
        let fns: Vec<&AsmFn> = all
            .iter()
            .map(|(_, f)| *f)
            .filter(|f| !f.dispatches())
            .collect();
        files.extend(syso::addr_files(
            &self.name,
            &base,
            &targets,
            built.restricted,
            &fns,
        ));
        let mut objects = Vec::new();
        for &t in &targets {
            let (natives, tables) = self.native_parts(sources, built, t)?;
            let routed_fns: Vec<syso::RoutedFn> = all
                .iter()
                .zip(&built.compiled)
                .filter_map(|((_, f), cs)| cs.iter().find(|c| c.arch == t.arch).map(|c| (f, c)))
                .zip(&natives)
                .map(|((f, c), n)| syso::RoutedFn {
                    f,
                    compiled: c,
                    native: n,
                    signature: gopkg::go_signature(f),
                })
                .collect();
            files.push(syso::bindings_file(&base, t, built.restricted, &routed_fns).map_err(err)?);
            let bytes =
                crate::native::write_object(t, &natives, &tables, crate::native::Linkage::Syso)
                    .map_err(err)?;
            objects.push(syso::object_file(&base, t, bytes).map_err(err)?);
        }
        stamp_provenance(&mut files, sources);
        files.extend(self.go_mod_file(sources));
        files.sort_by(|a, b| a.name.cmp(&b.name));
        objects.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((Rendered { files, objects }, asm))
    }

    /// gofmt's verdict on the package's `go!` bodies, an error located at the Rust
    /// token (gocheck.rs). A restricted package has no fallback to check.
    #[doc(hidden)] // Takes or returns `internal` types: for the go-asm crates.
    pub fn check_go_bodies(
        &self,
        sources: &[Source],
        files: &[GoFile],
    ) -> Result<gocheck::Checked, BuildError> {
        // `<base>_generic.go`, and `<base>_generic_amd64only.go` for functions
        // with blocks on some arches only.
        let prefix = format!("{}_generic", self.base_name());
        let fns: Vec<(&Source, &AsmFn)> = sources
            .iter()
            .flat_map(|s| s.fns.iter().map(move |f| (s, f)))
            .collect();
        let mut result = gocheck::Checked::Clean;
        for fallback in files.iter().filter(|f| {
            f.name
                .strip_prefix(&prefix)
                .is_some_and(|rest| rest == ".go" || rest.ends_with("only.go"))
        }) {
            result = gocheck::check_fallback(fallback, &fns).map_err(|e| BuildError(vec![e]))?;
        }
        Ok(result)
    }

    /// Renders and writes the package; nothing is written unless everything compiled.
    pub fn generate(&self) -> Result<Report, BuildError> {
        let report = self.render()?;
        let out = Rendered {
            files: report.files,
            objects: report.objects,
        };
        self.write(&out, &[])?;
        Ok(Report {
            files: out.files,
            objects: out.objects,
            ..report
        })
    }

    /// Generates the package as [`Package::generate`] does, but streams the
    /// `.s` files to the disk instead of holding them (as [`Package::build`]
    /// does) and returns only how many functions it compiled.
    #[doc(hidden)] // For the go-asm command, tests and benchmarks: the API is generate() and build().
    pub fn write_package(&self) -> Result<usize, BuildError> {
        let sources = self.parse_sources()?;
        let built = self.compile_sources(&sources)?;
        let (out, asm) = self.render_all_with(&sources, &built, true)?;
        self.check_go_bodies(&sources, &out.files)?;
        self.write(&out, &Self::streamed(&sources, asm))?;
        Ok(built.compiled.len())
    }

    /// Renders the package and compares it with what is in its directory.
    pub fn check(&self) -> Result<Report, BuildError> {
        let report = self.render()?;
        let out = Rendered {
            files: report.files,
            objects: report.objects,
        };
        let stale = self.stale(&out, &[])?;
        if stale.is_empty() {
            Ok(Report {
                files: out.files,
                objects: out.objects,
                ..report
            })
        } else {
            Err(BuildError(vec![format!(
                "stale: {} differ from what the sources generate; rebuild to regenerate",
                stale.join(", ")
            )]))
        }
    }

    /// For build.rs: generates (or, with `GO_ASM_CHECK=1`, checks) the package,
    /// links the native object for the crate's target (so the `#[go_asm]` wrappers
    /// resolve), asks cargo to rerun on source changes, and exits with located
    /// errors on failure. Parses and compiles once.
    ///
    /// Errors that `#[go_asm]` reports itself at their tokens (in a block or a
    /// signature) do not fail the script: it writes nothing, prints them as
    /// `cargo:warning` lines and returns, so the crate's compilation reports each
    /// at its token and fails there. Any other error (configuration, I/O, the
    /// package-wide checks, the `go!` bodies' gofmt check) exits with the message.
    /// Warns when the package directory is in no Go module ([`Package::go_module`]).
    pub fn build(&self) {
        for s in &self.sources {
            println!("cargo:rerun-if-changed={}", s.display());
        }
        println!("cargo:rerun-if-env-changed=GO_ASM_CHECK");
        let check = std::env::var("GO_ASM_CHECK").is_ok_and(|v| v == "1");
        let start = Instant::now();
        let result = self.claim_directory().and_then(|()| self.compile()).and_then(|(sources, built)| {
            for w in &built.warnings {
                println!("cargo:warning=go-asm: {w}");
            }
            let (out, asm) = self.render_all_with(&sources, &built, true)?;
            let streamed = Self::streamed(&sources, asm);
            if self.check_go_bodies(&sources, &out.files)? == gocheck::Checked::Skipped {
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    println!("cargo:warning=go-asm: neither gofmt nor go is on PATH, so go! bodies were not checked as Go");
                });
            }
            if check {
                let stale = self.stale(&out, &streamed)?;
                if !stale.is_empty() {
                    return Err(BuildError(vec![format!(
                        "stale: {} differ from what the sources generate; rebuild without GO_ASM_CHECK to regenerate",
                        stale.join(", ")
                    )]));
                }
            } else {
                self.write(&out, &streamed)?;
            }
            self.link_native(&sources, &built)?;
            // cargo reruns the script when a generated file is deleted or edited.
            for o in self.outputs(&out, &streamed) {
                for path in output::owned_paths(&o) {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
            Ok(built.compiled.len())
        });
        match result {
            Ok(n) => {
                println!(
                    "go-asm: {} {n} function(s) into {} in {:.1} ms",
                    if check { "checked" } else { "generated" },
                    self.out_dir().display(),
                    start.elapsed().as_secs_f64() * 1e3
                );
                if let Some(hint) = self.go_module_hint() {
                    println!("cargo:warning=go-asm: {hint}");
                }
            }
            Err(e) if self.reported_at_tokens(&e) => {
                // The crate's compilation goes on so that #[go_asm] reports each
                // error at its token (an editor underlines it); that fails the build.
                for line in e.0.iter().flat_map(|m| m.lines()) {
                    println!("cargo:warning=go-asm: {line}");
                }
                println!(
                    "cargo:warning=go-asm: nothing was written to {}; #[go_asm] reports these at their tokens",
                    self.dir.display()
                );
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }

    /// Whether `#[go_asm]` reports every one of `e`'s errors itself, at its token:
    /// then a build script may leave them to the compiler. Package configuration,
    /// I/O, a file `syn` cannot parse, the `go!` bodies' gofmt check and the
    /// package-wide checks (missing blocks, duplicate names) are not among them.
    fn reported_at_tokens(&self, e: &BuildError) -> bool {
        let at_tokens = self.token_errors();
        !e.0.is_empty() && e.0.iter().all(|m| at_tokens.contains(m))
    }

    /// The errors `#[go_asm]` reports for these sources: each item's own
    /// parse (signature, blocks, struct) and the compilation of each of its
    /// blocks, as the macro does them (macros/src/lib.rs).
    fn token_errors(&self) -> Vec<String> {
        let id = self.crate_id.clone().unwrap_or_else(CrateId::from_env);
        let mut located = Vec::new();
        for p in &self.sources {
            let path = self.resolve(p);
            let Some((fns, mut errors)) = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| crate::source::parse_items(&text, &id.origin(&path)))
            else {
                continue;
            };
            for f in &fns {
                errors.extend(
                    f.blocks
                        .iter()
                        .filter_map(|b| compile::compile(f, b.arch).err()),
                );
            }
            let shown = p.display().to_string();
            located.extend(errors.iter().map(|e| e.located(&shown)));
        }
        located
    }
}

/// Replaces the generic first line of each rendered file with one naming the
/// sources it came from ([`crate::generated::provenance`]).
fn stamp_provenance(files: &mut [GoFile], sources: &[Source]) {
    let from: Vec<String> = sources.iter().map(|s| s.from.clone()).collect();
    let header = crate::generated::provenance(&from);
    // In place: a copy of each file would double the peak for a large table.
    for f in files {
        if f.contents.starts_with(crate::generated::HEADER) {
            // Exactly the room the longer line needs (growing would double).
            f.contents
                .reserve_exact(header.len().saturating_sub(crate::generated::HEADER.len()));
            f.contents
                .replace_range(..crate::generated::HEADER.len(), &header);
        }
    }
}

/// Every name a file base may have generated, before manifests: the files a
/// manifest-less package directory adopts when they carry go-asm's header.
fn possible_names(base: &str) -> Vec<String> {
    let suffixes = [
        ".h",
        "_asm.go",
        "_generic.go",
        "_types.go",
        "_syso.go",
        "_syso_other.go",
    ];
    let mut names: Vec<String> = suffixes.iter().map(|s| format!("{base}{s}")).collect();
    names.extend(Arch::ALL.iter().map(|a| format!("{base}_{}.s", a.goarch())));
    names.extend(
        crate::native::native_targets()
            .iter()
            .map(|t| format!("{base}_syso_{}_{}.s", t.goos, t.arch.goarch())),
    );
    names.extend(syso::possible_object_names(base));
    names
}

/// `p` with `.` and `..` folded away, without touching the file system (the
/// directories may not exist yet).
fn lexical(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}
