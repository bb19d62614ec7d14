//! The `.syso` route: on the platforms a package asks for, Go calls its functions
//! in the native objects (the same machine code the Rust crate links) instead of
//! Go assembly. Per platform the package gets
//!
//! - `<base>_<goos>_<goarch>.syso`: the relocation-free native object, verified
//!   with [`check_no_relocations`];
//! - `<base>_syso_<goos>_<goarch>.s`: per function its typed `TEXT` (the Go
//!   declaration in `<base>_asm.go` is unchanged), an exact trampoline into the
//!   object, and `<Name>Addr`, the native symbol's address;
//!
//! and once `<base>_syso.go` / `<base>_syso_other.go` declaring `<Name>Addr`
//! (0 where the function is not linked from a `.syso`). The Go assembly files
//! `<base>_<goarch>.s` leave the routed operating systems out.

use crate::calln::{self, check_no_relocations, CType, ExactFunc, FrameValue};
use crate::compile::Compiled;
use crate::frame::Slot;
use crate::func::AsmFn;
use crate::gopkg::{GoFile, HEADER};
use crate::native::{native_targets, NativeFn, Target};
use crate::sig::Scalar;
use std::fmt::Write as _;

/// A binary file of the generated package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjFile {
    /// The file name inside the package directory.
    pub name: String,
    /// The object.
    pub bytes: Vec<u8>,
}

/// The platform named `goos/goarch`, if go-asm writes native objects for it.
pub fn parse_platform(s: &str) -> Result<Target, String> {
    let (goos, goarch) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not a GOOS/GOARCH pair (e.g. linux/amd64)"))?;
    native_targets()
        .iter()
        .copied()
        .find(|t| t.goos == goos && t.arch.goarch() == goarch)
        .ok_or_else(|| {
            let known: Vec<String> = native_targets()
                .iter()
                .map(|t| format!("{}/{}", t.goos, t.arch.goarch()))
                .collect();
            format!(
                "no native objects for `{s}`; .syso platforms are {}",
                known.join(", ")
            )
        })
}

/// `"linux/amd64"`: a GOOS/GOARCH pair go-asm writes native objects for.
impl std::str::FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Target, String> {
        parse_platform(s)
    }
}

/// The runtime's calling convention for a native target.
fn convention(t: Target) -> &'static calln::Target {
    calln::target(t.goos, t.arch.goarch()).expect("every native target has a convention")
}

/// The `//go:build` expression that selects the routed platforms.
pub fn routed_expr(targets: &[Target]) -> String {
    let parts: Vec<String> = targets
        .iter()
        .map(|t| format!("({} && {})", t.goos, t.arch.goarch()))
        .collect();
    match parts.as_slice() {
        [one] => one
            .trim_start_matches('(')
            .trim_end_matches(')')
            .to_string(),
        _ => parts.join(" || "),
    }
}

/// How the trampoline moves one frame slot: its C type.
fn ctype(slot: &Slot) -> CType {
    if slot.by_address {
        return CType::FrameAddr;
    }
    match slot.scalar {
        Scalar::U8 => CType::U8,
        Scalar::I8 => CType::I8,
        Scalar::U16 => CType::U16,
        Scalar::I16 => CType::I16,
        Scalar::U32 => CType::U32,
        Scalar::I32 => CType::I32,
        Scalar::U64 => CType::U64,
        Scalar::I64 | Scalar::Isize => CType::I64,
        Scalar::Usize => CType::Uintptr,
        Scalar::Bool => CType::Bool,
        Scalar::F32 => CType::F32,
        Scalar::F64 => CType::F64,
    }
}

fn values(slots: &[Slot]) -> Vec<FrameValue> {
    slots
        .iter()
        .map(|s| FrameValue {
            name: s.name.clone(),
            offset: s.offset,
            ty: ctype(s),
        })
        .collect()
}

/// The stack a native function uses below the stack pointer it is called with,
/// the return address excluded ([`NativeFn::stack_bytes`] counts it where `CALL`
/// pushes it, on amd64).
fn callee_stack(abi: &calln::Abi, n: &NativeFn) -> u32 {
    if abi.return_address_on_stack {
        n.stack_bytes.saturating_sub(8)
    } else {
        n.stack_bytes
    }
}

/// One routed function on one platform.
pub struct RoutedFn<'a> {
    pub f: &'a AsmFn,
    pub compiled: &'a Compiled,
    pub native: &'a NativeFn,
    /// The Go declaration (`func Sum(xs []uint64) uint64`).
    pub signature: String,
}

/// The name of the function that returns `f`'s native address.
pub fn addr_name(f: &AsmFn) -> String {
    format!("{}Addr", f.sig.go_name())
}

/// The trampolines of one platform.
pub fn bindings_file(
    base: &str,
    target: Target,
    restricted: bool,
    fns: &[RoutedFn],
) -> Result<GoFile, String> {
    let convention = convention(target);
    // The trampolines move scalars into argument registers; a struct's fields
    // would need the struct's own classification (x86/struct_args.rs).
    for r in fns {
        if let Some(st) = &r.f.sig.result_struct {
            return Err(format!(
                "{}: its result is a struct by value ({}), which the .syso route does not return yet; return the fields as a tuple in a routed package",
                r.f.sig.name, st.name
            ));
        }
        if let Some(p) =
            r.f.sig
                .params
                .iter()
                .find(|p| matches!(p.ty, crate::sig::Ty::Struct(_)))
        {
            return Err(format!(
                "{}: parameter `{}` is a struct by value, which the .syso route does not pass yet; take it by reference (&{}) in a routed package",
                r.f.sig.name,
                p.name,
                match &p.ty {
                    crate::sig::Ty::Struct(st) => st.name.as_str(),
                    _ => "",
                }
            ));
        }
    }
    let funcs: Vec<ExactFunc> = fns
        .iter()
        .map(|r| ExactFunc {
            go_name: r.f.sig.go_name(),
            symbol: r.native.name.clone(),
            signature: r.signature.clone(),
            args: values(&r.compiled.frame.args),
            results: values(&r.compiled.frame.results),
            arg_size: r.compiled.frame.size,
            stack_bytes: callee_stack(convention.abi, r.native),
        })
        .collect();
    let build = (!restricted).then_some("!purego");
    let contents = calln::exact_bindings_asm(convention, build, &funcs)?;
    Ok(GoFile {
        name: format!("{base}_syso_{}_{}.s", target.goos, target.arch.goarch()),
        contents,
    })
}

/// `<base>_syso.go` and `<base>_syso_other.go`: `<Name>Addr` everywhere.
pub fn addr_files(
    package: &str,
    base: &str,
    targets: &[Target],
    restricted: bool,
    fns: &[&AsmFn],
) -> Vec<GoFile> {
    let routed = routed_expr(targets);
    let (on, off) = if restricted {
        (routed.clone(), format!("!({routed})"))
    } else {
        (
            format!("({routed}) && !purego"),
            format!("!({routed}) || purego"),
        )
    };
    let mut decl = format!("{HEADER}\n\n//go:build {on}\n\npackage {package}\n");
    let mut other = format!("{HEADER}\n\n//go:build {off}\n\npackage {package}\n");
    for f in fns {
        let name = addr_name(f);
        let _ = write!(
            decl,
            "\n// {name} returns the address of the native function {sym} linked from\n\
             // this package's .syso file, for the go-asm runtime's calln.Call functions.\n\
             func {name}() uintptr\n",
            sym = f.symbol
        );
        let _ = write!(
            other,
            "\n// {name} returns 0: on this platform {go} is not linked from a .syso file.\n\
             func {name}() uintptr {{\n\treturn 0\n}}\n",
            go = f.sig.go_name()
        );
    }
    vec![
        GoFile {
            name: format!("{base}_syso.go"),
            contents: decl,
        },
        GoFile {
            name: format!("{base}_syso_other.go"),
            contents: other,
        },
    ]
}

/// Verifies a `.syso` object and names it `<base>_<goos>_<goarch>.syso`.
pub fn object_file(base: &str, target: Target, bytes: Vec<u8>) -> Result<ObjFile, String> {
    let name = format!("{base}_{}_{}.syso", target.goos, target.arch.goarch());
    check_no_relocations(&bytes).map_err(|e| format!("{name}: {e}"))?;
    Ok(ObjFile { name, bytes })
}

/// Every `.syso` name go-asm could write for `base` (for stale-file removal).
pub fn possible_object_names(base: &str) -> Vec<String> {
    native_targets()
        .iter()
        .map(|t| format!("{base}_{}_{}.syso", t.goos, t.arch.goarch()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::Arch;
    use crate::package::{parse_source, Package};

    const SRC: &str = r#"
        /// Twice returns 2x.
        #[go_asm]
        pub fn twice(x: u64) -> u64 {
            amd64! {
                add x, x
                return x
            }
            arm64! {
                add x, x, x
                return x
            }
            go! {
                return x + x
            }
        }
    "#;

    fn render(pkg: Package) -> Result<crate::package::Rendered, String> {
        let sources = vec![parse_source("twice.rs", SRC.to_string()).unwrap()];
        let built = pkg.compile_sources(&sources).map_err(|e| e.to_string())?;
        pkg.render_all(&sources, &built).map_err(|e| e.to_string())
    }

    fn file<'a>(out: &'a crate::package::Rendered, name: &str) -> &'a str {
        &out.files
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .contents
    }

    #[test]
    fn a_routed_package_has_objects_trampolines_and_narrowed_assembly() {
        let out =
            render(Package::new("tw", "unused").syso(["linux/amd64", "darwin/arm64"])).unwrap();
        let objects: Vec<&str> = out.objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(objects, ["tw_darwin_arm64.syso", "tw_linux_amd64.syso"]);
        for o in &out.objects {
            check_no_relocations(&o.bytes).unwrap();
        }
        assert!(file(&out, "tw_amd64.s").contains("//go:build !purego && !linux\n"));
        assert!(file(&out, "tw_arm64.s").contains("//go:build !purego && !darwin\n"));
        let t = file(&out, "tw_syso_linux_amd64.s");
        // The frame is the callee's return address: it pushes nothing.
        assert!(t.contains("TEXT ·Twice(SB), NOSPLIT, $8-16"), "{t}");
        let sym = &parse_source("twice.rs", SRC.to_string()).unwrap().fns[0].symbol;
        assert!(t.contains(&format!("CALL {sym}(SB)")) && t.contains("TEXT ·TwiceAddr(SB)"));
        assert!(file(&out, "tw_syso.go").contains("func TwiceAddr() uintptr\n"));
        assert!(file(&out, "tw_syso_other.go").contains("|| purego"));
    }

    #[test]
    fn restricted_packages_route_without_purego_and_check_their_platforms() {
        let out = render(
            Package::new("tw", "unused")
                .only_arches(&[Arch::Amd64])
                .syso(["windows/amd64"]),
        )
        .unwrap();
        assert!(file(&out, "tw_amd64.s").contains("//go:build !windows\n"));
        assert!(!file(&out, "tw_syso_windows_amd64.s").contains("purego"));
        let err = render(
            Package::new("tw", "unused")
                .only_arches(&[Arch::Amd64])
                .syso(["linux/arm64"]),
        )
        .unwrap_err();
        assert!(err.contains("no arm64 code"), "{err}");
        let err = render(Package::new("tw", "unused").syso(["linux/mips"])).unwrap_err();
        assert!(err.contains("no native objects for `linux/mips`"), "{err}");
    }

    #[test]
    fn platforms_parse_and_print() {
        let t = parse_platform("linux/arm64").unwrap();
        assert_eq!((t.goos, t.arch), ("linux", Arch::Arm64));
        assert!(parse_platform("plan9/amd64")
            .unwrap_err()
            .contains("linux/amd64"));
        assert!(parse_platform("linux").is_err());
        let both = [
            parse_platform("linux/amd64").unwrap(),
            parse_platform("darwin/arm64").unwrap(),
        ];
        assert_eq!(routed_expr(&both), "(linux && amd64) || (darwin && arm64)");
        assert_eq!(routed_expr(&both[..1]), "linux && amd64");
    }
}
