//! `go-asm`: the build step as a command, for Go authors without a Rust crate and
//! for scripts (`//go:generate go-asm gen ...`). `gen` writes exactly what a build
//! script's `go_asm_build::Package::build` writes, through the same `Package`.

use go_asm_build::{Arch, BuildError, CrateId, Linkage, Package, Target};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  go-asm gen --package NAME --out DIR [--file-base B] [--syso GOOS/GOARCH]...
             [--runtime DIR] [--only amd64|arm64]... [--go-module PATH]
             [--crate NAME@VERSION] [--root DIR] [--check] SOURCE.rs...
  go-asm object --target GOOS/GOARCH [--linkage relocatable|syso]
             [--crate NAME@VERSION] [--root DIR] -o FILE SOURCE.rs...

gen writes the Go package (Go assembly for amd64 and arm64, stubs, the pure-Go
fallback, the C header; .syso objects with --syso) into DIR, or with --check only
compares and fails when DIR is stale. object writes one native object.

Paths are relative to the working directory. Native symbols name a crate
(goasm_<crate>_<version>_<hash>_<fn>): --crate gives it (a Rust crate's own name
and version make the output identical to its build.rs), --root its directory,
against which source paths are hashed and named in the generated headers (default:
the working directory). Without --crate the crate is the package name, version
0.0.0.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Paths are the command line's, relative to the working directory, even when
    // run from cargo (which sets the variable Package resolves paths against).
    std::env::remove_var("CARGO_MANIFEST_DIR");
    let result = match args.first().map(String::as_str) {
        Some("gen") => Options::parse(&args[1..]).and_then(|o| gen(&o)),
        Some("object") => Options::parse(&args[1..]).and_then(|o| object(&o)),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(Failure::Usage("expected a command, gen or object".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("go-asm: {m}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Build(m)) => {
            eprintln!("{m}");
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    /// A bad command line: the message and the usage, exit status 2.
    Usage(String),
    /// What the build step reports, exit status 1.
    Build(String),
}

/// The command line of either command; each checks the options it needs.
#[derive(Default)]
struct Options {
    package: Option<String>,
    out: Option<PathBuf>,
    file_base: Option<String>,
    syso: Vec<String>,
    runtime: Option<PathBuf>,
    only: Vec<Arch>,
    go_module: Option<String>,
    crate_id: Option<(String, String)>,
    root: Option<PathBuf>,
    check: bool,
    target: Option<String>,
    linkage: Option<Linkage>,
    output: Option<PathBuf>,
    sources: Vec<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, Failure> {
        let mut o = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| Failure::Usage(format!("{arg} needs a value")))
            };
            match arg.as_str() {
                "--package" => o.package = Some(value()?),
                "--out" => o.out = Some(value()?.into()),
                "--file-base" => o.file_base = Some(value()?),
                "--syso" => o.syso.push(value()?),
                "--runtime" => o.runtime = Some(value()?.into()),
                "--only" => o.only.push(parse_arch(&value()?)?),
                "--go-module" => o.go_module = Some(value()?),
                "--crate" => o.crate_id = Some(parse_crate(&value()?)?),
                "--root" => o.root = Some(value()?.into()),
                "--check" => o.check = true,
                "--target" => o.target = Some(value()?),
                "--linkage" => o.linkage = Some(parse_linkage(&value()?)?),
                "-o" => o.output = Some(value()?.into()),
                flag if flag.starts_with('-') => {
                    return Err(Failure::Usage(format!("unknown option {flag}")))
                }
                source => o.sources.push(source.into()),
            }
        }
        if o.sources.is_empty() {
            return Err(Failure::Usage("no SOURCE.rs given".into()));
        }
        Ok(o)
    }

    /// The package the options describe, `name` when `--package` is not needed.
    fn package(&self, name: &str, dir: PathBuf) -> Package {
        let (crate_name, version) = self
            .crate_id
            .clone()
            .unwrap_or_else(|| (name.to_string(), "0.0.0".to_string()));
        let root = match &self.root {
            Some(r) => r.clone(),
            None => std::env::current_dir().unwrap_or_default(),
        };
        let mut pkg = Package::new(name, dir).crate_id(CrateId {
            name: crate_name,
            version,
            root,
        });
        for s in &self.sources {
            pkg = pkg.source(s);
        }
        if !self.only.is_empty() {
            pkg = pkg.only_arches(&self.only);
        }
        pkg
    }
}

fn required<'a, T>(v: &'a Option<T>, flag: &str) -> Result<&'a T, Failure> {
    v.as_ref()
        .ok_or_else(|| Failure::Usage(format!("{flag} is required")))
}

fn gen(o: &Options) -> Result<(), Failure> {
    let name = required(&o.package, "--package")?;
    let out = required(&o.out, "--out")?;
    let mut pkg = o.package(name, out.clone()).syso(o.syso.iter().cloned());
    if let Some(b) = &o.file_base {
        pkg = pkg.file_base(b);
    }
    if let Some(r) = &o.runtime {
        pkg = pkg.runtime(r);
    }
    if let Some(m) = &o.go_module {
        pkg = pkg.go_module(m);
    }
    // Writing streams the `.s` files (a large table is never held whole).
    let functions = if o.check {
        pkg.check().map(|r| r.functions)
    } else {
        pkg.write_package()
    }
    .map_err(|e| Failure::Build(e.to_string()))?;
    if let Some(hint) = pkg.go_module_hint() {
        eprintln!("go-asm: warning: {hint}");
    }
    eprintln!(
        "go-asm: {} {} function(s) in {}",
        if o.check { "checked" } else { "generated" },
        functions,
        out.display()
    );
    Ok(())
}

fn object(o: &Options) -> Result<(), Failure> {
    let platform = required(&o.target, "--target")?;
    let output = required(&o.output, "-o")?;
    let target: Target = platform.parse().map_err(Failure::Usage)?;
    // One architecture: a source without go! fallbacks compiles too.
    let pkg = o
        .package("object", PathBuf::from("."))
        .only_arches(&[target.arch]);
    let linkage = o.linkage.unwrap_or(Linkage::Relocatable);
    let bytes = pkg
        .object(target, linkage)
        .map_err(|e: BuildError| Failure::Build(e.to_string()))?;
    std::fs::write(output, bytes).map_err(|e| Failure::Build(format!("{}: {e}", output.display())))
}

fn parse_arch(s: &str) -> Result<Arch, Failure> {
    Arch::ALL
        .into_iter()
        .find(|a| a.goarch() == s)
        .ok_or_else(|| Failure::Usage(format!("--only {s}: expected amd64 or arm64")))
}

fn parse_linkage(s: &str) -> Result<Linkage, Failure> {
    match s {
        "relocatable" => Ok(Linkage::Relocatable),
        "syso" => Ok(Linkage::Syso),
        _ => Err(Failure::Usage(format!(
            "--linkage {s}: expected relocatable or syso"
        ))),
    }
}

fn parse_crate(s: &str) -> Result<(String, String), Failure> {
    match s.split_once('@') {
        Some((name, version)) if !name.is_empty() && !version.is_empty() => {
            Ok((name.to_string(), version.to_string()))
        }
        _ => Err(Failure::Usage(format!(
            "--crate {s}: expected NAME@VERSION, e.g. my-kernels@0.1.0"
        ))),
    }
}
