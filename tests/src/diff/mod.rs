//! The differential checker: random valid programs (`gen`), printed as `#[go_asm]`
//! functions (`ast`), run by an independent reference interpreter (`interp`) and
//! on every route (`crate::routes`) by generated Go tests and C programs
//! (`callers`), which compare each result and every buffer afterwards with what
//! the reference computed. A disagreement is shrunk (`minimize`) to a small
//! program that still disagrees on its route.

pub mod ast;
pub mod callers;
pub mod gen;
pub mod interp;
pub mod minimize;

use crate::rng::Rng;
use crate::routes::{self, CRoute, Outcome};
use ast::Body;
use go_asm_build::internal::native::Linkage;
use go_asm_build::internal::package::parse_source;
use go_asm_build::internal::sig::Scalar;
use go_asm_build::{Arch, Package};
use interp::Effects;
use std::fmt::Write as _;
use std::path::Path;

/// Constructs the generator leaves out, one switch per known defect another
/// change fixes. Everything else is drawn.
#[derive(Clone, Copy, Debug, Default)]
pub struct Avoid {
    /// Defect 1: arm64 `return x1, x0` of physical result registers in a
    /// permuted order (the return was not a parallel copy).
    pub arm64_phys_return_order: bool,
    /// Defect 3: arm64 `mov xN, #0` / `#-1` (printed as `MOVZ $0` / `MOVN $0`,
    /// which Go's assembler rejects).
    pub arm64_mov_zero_or_minus_one: bool,
}

impl Avoid {
    /// From `GO_ASM_DIFF_AVOID` (comma-separated: `arm64-return-order`,
    /// `arm64-mov-zero`); nothing is avoided by default.
    pub fn from_env() -> Avoid {
        let v = std::env::var("GO_ASM_DIFF_AVOID").unwrap_or_default();
        let on: Vec<&str> = v.split(',').map(str::trim).collect();
        for w in &on {
            assert!(
                ["", "arm64-return-order", "arm64-mov-zero"].contains(w),
                "GO_ASM_DIFF_AVOID: unknown switch {w:?} (arm64-return-order, arm64-mov-zero)"
            );
        }
        Avoid {
            arm64_phys_return_order: on.contains(&"arm64-return-order"),
            arm64_mov_zero_or_minus_one: on.contains(&"arm64-mov-zero"),
        }
    }
}

/// A parameter's type: an integer scalar, `&mut [u64]` of a fixed length (a
/// power of two, so an index is bounded by masking), or `&mut u64`.
#[derive(Clone, Debug, PartialEq)]
pub enum PTy {
    Int(Scalar),
    Slice(usize),
    Ptr,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub ty: PTy,
}

impl Param {
    /// The register holding the address memory operands use.
    pub fn base(&self) -> String {
        match self.ty {
            PTy::Slice(_) => format!("{}.ptr", self.name),
            _ => self.name.clone(),
        }
    }
    fn rust(&self) -> String {
        match self.ty {
            PTy::Int(s) => s.rust_name().into(),
            PTy::Slice(_) => "&mut [u64]".into(),
            PTy::Ptr => "&mut u64".into(),
        }
    }
}

/// One generated function: all results are `u64`.
#[derive(Clone, Debug)]
pub struct Func {
    pub name: String,
    pub params: Vec<Param>,
    pub vregs: Vec<String>,
    /// Register arrays: name and number of elements.
    pub arrays: Vec<(String, usize)>,
    pub locals: Vec<ast::Local>,
    pub body: Body,
    pub results: Vec<ast::Reg>,
}

/// One argument: an integer's raw bits, or a buffer's elements.
#[derive(Clone, Debug)]
pub enum Val {
    Int(u64),
    Buf(Vec<u64>),
}

/// A function with its argument sets and the reference's effects for each.
#[derive(Clone, Debug)]
pub struct Checked {
    pub func: Func,
    pub cases: Vec<(Vec<Val>, Effects)>,
}

/// Value sets each function is called with.
pub const CASES: usize = 3;

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Func {
    /// The `#[go_asm]` function (one architecture's block; the package is
    /// restricted to that architecture).
    pub fn rust(&self) -> String {
        let lines = self.body.lines(&self.names());
        let mut ret_line = String::new();
        if !self.results.is_empty() {
            let names: Vec<String> = self.results.iter().map(|r| r.text()).collect();
            ret_line = format!("return {}", names.join(", "));
        }
        // Declare the virtual registers the body names.
        let mut words = std::collections::BTreeSet::new();
        for l in lines.iter().chain([&ret_line]) {
            words.extend(l.split(|c| !is_ident_char(c)).map(str::to_string));
        }
        let (block, class) = match self.body.arch() {
            Arch::Amd64 => ("amd64", "gp64"),
            Arch::Arm64 => ("arm64", "x"),
        };
        let mut decls: Vec<String> = self
            .vregs
            .iter()
            .filter(|v| words.contains(*v))
            .map(|v| format!("{v}: {class}"))
            .collect();
        decls.extend(
            self.arrays
                .iter()
                .filter(|(a, _)| words.contains(a))
                .map(|(a, n)| format!("{a}[{n}]: {class}")),
        );
        let mut body = String::new();
        if !decls.is_empty() {
            let _ = writeln!(body, "        let {}", decls.join(", "));
        }
        for l in self.locals.iter().filter(|l| words.contains(&l.name)) {
            let _ = writeln!(
                body,
                "        let {}: stack[{} * 8] align {}",
                l.name, l.elems, l.align
            );
        }
        for l in lines.iter().chain([&ret_line]).filter(|l| !l.is_empty()) {
            let indent = if l.ends_with(':') { "    " } else { "        " };
            for (k, part) in l.lines().enumerate() {
                let _ = writeln!(body, "{}{part}", if k == 0 { indent } else { "        " });
            }
        }
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.rust()))
            .collect();
        let ret = match self.results.len() {
            0 => String::new(),
            1 => " -> u64".into(),
            n => format!(" -> ({})", vec!["u64"; n].join(", ")),
        };
        format!(
            "#[go_asm]\npub fn {}({}){ret} {{\n    {block}! {{\n{body}    }}\n}}\n",
            self.name,
            params.join(", ")
        )
    }
}

impl Func {
    /// Whether the body has a repetition, a register array, a stack local, and
    /// one aligned beyond 16 bytes.
    pub fn constructs(&self) -> [bool; 4] {
        let repeats = match &self.body {
            Body::Amd64(b) => b.iter().any(|i| matches!(i, ast::A::For { .. })),
            Body::Arm64(b) => b.iter().any(|i| matches!(i, ast::B::For { .. })),
        };
        [
            repeats,
            !self.arrays.is_empty(),
            !self.locals.is_empty(),
            self.locals.iter().any(|l| l.align > 16),
        ]
    }
    /// What memory operands name.
    pub fn names(&self) -> ast::Names<'_> {
        ast::Names {
            params: &self.params,
            locals: &self.locals,
        }
    }
}

/// Draws the argument sets: case 0 is zeros, case 1 boundary values, the rest random.
pub fn draw_args(rng: &mut Rng, f: &Func, case: usize) -> Vec<Val> {
    f.params
        .iter()
        .map(|p| match p.ty {
            PTy::Int(s) => Val::Int(crate::sigs::draw_scalar(rng, s, case)),
            PTy::Slice(n) => Val::Buf(
                (0..n)
                    .map(|_| crate::sigs::draw_scalar(rng, Scalar::U64, case))
                    .collect(),
            ),
            PTy::Ptr => Val::Buf(vec![crate::sigs::draw_scalar(rng, Scalar::U64, case)]),
        })
        .collect()
}

/// The reference's effects for every case; `Err` when a case is not a valid run.
pub fn reference(f: &Func, args: &[Vec<Val>]) -> Result<Checked, String> {
    let cases = args
        .iter()
        .map(|a| interp::run(f, a).map(|e| (a.clone(), e)))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Checked {
        func: f.clone(),
        cases,
    })
}

/// Draws a function and its cases. The generator only makes valid programs, so
/// a reference error is the generator's bug: it panics with the program.
pub fn draw_checked(rng: &mut Rng, arch: Arch, name: String, avoid: Avoid) -> Checked {
    let f = gen::draw(rng, arch, name, avoid);
    let args: Vec<Vec<Val>> = (0..CASES).map(|c| draw_args(rng, &f, c)).collect();
    reference(&f, &args)
        .unwrap_or_else(|e| panic!("the generator drew an invalid program ({e}):\n{}", f.rust()))
}

/// The Rust source of a batch.
pub fn source(funcs: &[Checked]) -> String {
    let mut s = String::from("use go_asm::go_asm;\n");
    for c in funcs {
        s.push('\n');
        s.push_str(&c.func.rust());
    }
    s
}

/// A route of one architecture.
#[derive(Clone, Copy)]
pub enum Route {
    Go {
        name: &'static str,
        goarch: &'static str,
        extra: &'static [&'static str],
    },
    C(CRoute),
}

impl Route {
    pub fn name(&self) -> &'static str {
        match self {
            Route::Go { name, .. } => name,
            Route::C(c) => c.name,
        }
    }
}

/// Every route `arch`'s programs run on.
pub fn routes(arch: Arch) -> Vec<Route> {
    let go = match arch {
        Arch::Amd64 => Route::Go {
            name: "Go amd64",
            goarch: "amd64",
            extra: &[],
        },
        Arch::Arm64 => Route::Go {
            name: "Go arm64 (qemu)",
            goarch: "arm64",
            extra: &["-exec", "qemu-aarch64"],
        },
    };
    std::iter::once(go)
        .chain(
            routes::C_ROUTES
                .iter()
                .filter(|r| r.arch() == arch)
                .map(|r| Route::C(*r)),
        )
        .collect()
}

pub fn package_name(arch: Arch) -> String {
    format!("diff{}", arch.goarch())
}

/// Compiles a batch in process: `Err` with the located errors.
pub fn compile(
    arch: Arch,
    funcs: &[Checked],
    dir: &Path,
) -> Result<
    (
        Package,
        Vec<go_asm_build::internal::package::Source>,
        go_asm_build::internal::package::Built,
    ),
    String,
> {
    let text = source(funcs);
    let path = dir.join("fns.rs");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(&path, &text).unwrap();
    let pkg = Package::new(package_name(arch), dir.join("go"))
        .source(&path)
        .only_arches(&[arch]);
    let source = parse_source(&path.display().to_string(), text).map_err(|e| e.join("\n"))?;
    let sources = vec![source];
    let built = pkg.compile_sources(&sources).map_err(|e| e.to_string())?;
    Ok((pkg, sources, built))
}

/// Builds and runs a batch on one route, in `dir`.
pub fn run_route(
    route: Route,
    arch: Arch,
    funcs: &[Checked],
    dir: &Path,
) -> Result<Outcome, String> {
    let (pkg, sources, built) = compile(arch, funcs, dir)?;
    let package = package_name(arch);
    let files = pkg.render_built(&sources, &built);
    let header = files
        .iter()
        .find(|f| f.name.ends_with(".h"))
        .map(|f| f.contents.clone())
        .unwrap_or_default();
    match route {
        Route::Go {
            name,
            goarch,
            extra,
        } => {
            let go_dir = dir.join("go");
            std::fs::create_dir_all(&go_dir).unwrap();
            for f in files.iter().filter(|f| !f.name.ends_with(".h")) {
                std::fs::write(go_dir.join(&f.name), &f.contents).unwrap();
            }
            std::fs::write(
                go_dir.join("go.mod"),
                format!("module {package}\n\ngo 1.21\n"),
            )
            .unwrap();
            std::fs::write(
                go_dir.join("diff_test.go"),
                callers::go_test(&package, funcs),
            )
            .unwrap();
            routes::try_go_test(&go_dir, name, goarch, extra)
        }
        Route::C(c) => {
            let object = pkg
                .native_object(&sources, &built, c.target(), Linkage::Relocatable)
                .map_err(|e| e.to_string())?;
            let main = callers::c_main(&format!("{package}.h"), funcs);
            routes::try_c_native(&dir.join("c"), c, &package, &header, &object, &main)
        }
    }
}

/// The first function of `funcs` that disagrees on `route`: the first one its
/// `MISMATCH` lines name or, when the run failed without naming any (the
/// package did not build, the program crashed), the first that fails alone
/// (found by halving the batch, so about 2 log n runs).
pub fn first_failing(route: Route, arch: Arch, funcs: &[Checked], dir: &Path) -> Option<usize> {
    match run_route(route, arch, funcs, dir) {
        Ok(o) => {
            let named = mismatched_names(&o.text);
            funcs.iter().position(|c| named.contains(&c.func.name))
        }
        Err(_) if funcs.len() == 1 => Some(0),
        Err(_) => {
            let half = funcs.len() / 2;
            first_failing(route, arch, &funcs[..half], &dir.join("a")).or_else(|| {
                first_failing(route, arch, &funcs[half..], &dir.join("b")).map(|i| i + half)
            })
        }
    }
}

/// Function names of `MISMATCH <name> ...` lines.
pub fn mismatched_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let rest = &l[l.find("MISMATCH ")? + 9..];
            rest.split_whitespace().next().map(str::to_string)
        })
        .collect()
}
