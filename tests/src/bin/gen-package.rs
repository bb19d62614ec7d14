//! Generates one package the way a build script does, for the determinism test:
//! the Go files and the C header through `Package::write_package` (the writer
//! `Package::build` uses: the `.s` files streamed to the disk), and
//! every native object (all targets, both linkages) into `<out>/objects/`.
//!
//! gen-package <source.rs> <out-dir> <package-name> [--runtime <dir>] [--file-base <base>]
//!             [--no-objects] [<goos/goarch> ...]
//!
//! Platforms route the package through `.syso` objects (`Package::syso`);
//! `--runtime` writes the call runtime too (`Package::runtime`); `--no-objects`
//! writes only the package (the tests of the package directory).

use go_asm_build::Package;
use go_asm_tests::pipeline::native_objects;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, out, name, options @ ..] = args.as_slice() else {
        eprintln!(
            "usage: gen-package <source.rs> <out-dir> <package-name> [--runtime <dir>] [--file-base <base>] [--no-objects] [<goos/goarch> ...]"
        );
        std::process::exit(2);
    };
    // The example crate's symbols; the crate root is the directory holding the
    // source's `src/`, as in the example crate (`src/<name>.rs`).
    let root = std::path::absolute(source)
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.to_path_buf()))
        .expect("the source is <crate>/src/<name>.rs");
    let mut pkg = Package::new(name, out)
        .source(source)
        .crate_id(go_asm_tests::example_crate_id(root));
    let mut objects = true;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        let mut value = || {
            options.next().cloned().unwrap_or_else(|| {
                eprintln!("{option} needs a value");
                std::process::exit(2)
            })
        };
        pkg = match option.as_str() {
            "--runtime" => pkg.runtime(value()),
            "--file-base" => pkg.file_base(value()),
            "--no-objects" => {
                objects = false;
                pkg
            }
            platform => pkg.syso([platform]),
        };
    }
    if let Err(e) = pkg.write_package() {
        eprintln!("{e}");
        std::process::exit(1);
    }
    if !objects {
        return;
    }
    let (sources, built) = pkg.compile().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let objects = Path::new(out).join("objects");
    std::fs::create_dir_all(&objects).expect("create the objects directory");
    let files = native_objects(name, &pkg, &sources, &built).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    for (file, bytes) in files {
        std::fs::write(objects.join(file), bytes).expect("write an object");
    }
}
