//! Generating the same sources twice, in different directories and with a different
//! environment, gives byte-identical outputs: every Go file, C header and native
//! object (all targets, both linkages). Each generation is its own process
//! (`gen-package`), so hash seeds, cwd and environment really differ.

use go_asm_tests::{
    example_packages, example_runtime, example_syso_platforms, repo_root, run, tool,
};

/// Where a package's runtime goes: a sibling of its output directory (the
/// runtime is a package of its own), compared under `<package>/runtime/`.
const RUNTIME_SUBDIR: &str = "runtime";

fn example_runtime_owner() -> &'static str {
    example_runtime().0
}
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                out.insert(
                    rel.display().to_string(),
                    std::fs::read(&p).expect("read a generated file"),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// One generation setting: where it runs and with which environment, in order.
struct Setting {
    workdir: PathBuf,
    /// Passed to `env -i` in this order (the order of `environ` differs too).
    env: Vec<(&'static str, String)>,
    /// Name the source by absolute path instead of relative to the cwd.
    absolute_source: bool,
}

/// Copies the sources into `setting.workdir/src`, generates each package with
/// `gen-package` under `env -i`, and returns every output file, keyed
/// `package/relative path`.
fn generate_all(setting: &Setting, sources: &[(String, PathBuf)]) -> BTreeMap<String, Vec<u8>> {
    let src_dir = setting.workdir.join("src");
    std::fs::create_dir_all(&src_dir).expect("create src");
    let mut all = BTreeMap::new();
    for (name, path) in sources {
        let copy = src_dir.join(format!("{name}.rs"));
        std::fs::copy(path, &copy).expect("copy a source");
        let source_arg = if setting.absolute_source {
            copy.display().to_string()
        } else {
            format!("src/{name}.rs")
        };
        let out = format!("out/{name}");
        let mut cmd = tool("env");
        cmd.current_dir(&setting.workdir).arg("-i");
        for (k, v) in &setting.env {
            cmd.arg(format!("{k}={v}"));
        }
        cmd.arg(env!("CARGO_BIN_EXE_gen-package")).args([
            source_arg.as_str(),
            out.as_str(),
            name.as_str(),
        ]);
        // The example's own settings: `.syso` routes, and the runtime it carries.
        let runtime = format!("{out}_{RUNTIME_SUBDIR}");
        let owns_runtime = example_runtime_owner() == name;
        if owns_runtime {
            cmd.args(["--runtime", &runtime]);
        }
        cmd.args(example_syso_platforms(name));
        run(&mut cmd);
        for (rel, bytes) in files_under(&setting.workdir.join(&out)) {
            all.insert(format!("{name}/{rel}"), bytes);
        }
        if owns_runtime {
            for (rel, bytes) in files_under(&setting.workdir.join(&runtime)) {
                all.insert(format!("{name}/{RUNTIME_SUBDIR}/{rel}"), bytes);
            }
        }
    }
    all
}

#[test]
fn generation_is_byte_identical_across_directories_and_environments() {
    let mut sources: Vec<(String, PathBuf)> = example_packages()
        .into_iter()
        .map(|(name, src, _)| (name, src))
        .collect();
    sources.push((
        "pressure".into(),
        repo_root().join("tests/fixtures/pressure.rs"),
    ));

    let a_root = tempfile::Builder::new()
        .prefix("go-asm-det-a")
        .tempdir()
        .expect("temp dir");
    let b_root = tempfile::Builder::new()
        .prefix("go-asm-det-b-")
        .tempdir_in(repo_root().join("target"))
        .expect("temp dir under target/");
    let path = std::env::var("PATH").unwrap_or_default();
    let a = Setting {
        workdir: a_root.path().join("w"),
        env: vec![
            ("PATH", path.clone()),
            ("HOME", a_root.path().join("home").display().to_string()),
            ("TMPDIR", a_root.path().display().to_string()),
            ("TZ", "UTC".into()),
            ("LANG", "C".into()),
            ("LC_ALL", "C".into()),
            ("SOURCE_DATE_EPOCH", "0".into()),
        ],
        absolute_source: false,
    };
    let b_tmp = b_root.path().join("tmp");
    std::fs::create_dir_all(&b_tmp).expect("create tmp");
    let b = Setting {
        workdir: b_root.path().join("a deeper/work dir"),
        env: vec![
            ("SOURCE_DATE_EPOCH", "1700000000".into()),
            ("LC_ALL", "tr_TR.UTF-8".into()),
            ("LANG", "de_DE.UTF-8".into()),
            ("TZ", "Asia/Kathmandu".into()),
            ("TMPDIR", b_tmp.display().to_string()),
            ("HOME", "/nonexistent".into()),
            ("GO_ASM_UNRELATED", "1".into()),
            ("RUST_BACKTRACE", "1".into()),
            ("PATH", path),
        ],
        absolute_source: true,
    };
    let first = generate_all(&a, &sources);
    let second = generate_all(&b, &sources);

    let names_a: Vec<&String> = first.keys().collect();
    let names_b: Vec<&String> = second.keys().collect();
    assert_eq!(names_a, names_b, "the two runs wrote different file sets");
    let differing: Vec<&String> = first
        .iter()
        .filter(|(k, v)| second.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "generated twice, these differ: {differing:?}"
    );

    // The Go files and headers are also the committed ones (the sources did not move).
    let committed = repo_root().join("examples/kernels/go");
    let mut matched_committed = 0;
    for (key, bytes) in &first {
        let Some((pkg, rel)) = key.split_once('/') else {
            continue;
        };
        if rel.starts_with("objects/") || pkg == "pressure" {
            continue;
        }
        // The runtime is committed where the example crate writes it.
        let committed_path = match rel.strip_prefix(&format!("{RUNTIME_SUBDIR}/")) {
            Some(file) => repo_root()
                .join("examples/kernels")
                .join(example_runtime().1)
                .join(file),
            None => committed.join(pkg).join(rel),
        };
        let old = std::fs::read(committed_path)
            .unwrap_or_else(|e| panic!("{key}: no committed counterpart: {e}"));
        assert!(&old == bytes, "{key} differs from the committed file");
        matched_committed += 1;
    }

    let count = |pred: &dyn Fn(&str) -> bool| first.keys().filter(|k| pred(k)).count();
    let go = count(&|k| k.ends_with(".go") || k.ends_with(".s"));
    let headers = count(&|k| k.ends_with(".h"));
    let objects = count(&|k| k.contains("/objects/"));
    let bytes: usize = first.values().map(Vec::len).sum();
    go_asm_tests::report(&format!(
        "determinism: {} packages generated twice in separate processes \
         (cwd, source path, TZ, LANG/LC_ALL, HOME, TMPDIR, SOURCE_DATE_EPOCH, env order differ): \
         {go} Go files, {headers} C headers, {objects} native objects (every target of the package's arches x 2 linkages), \
         {bytes} bytes, all byte-identical; {matched_committed} Go files and headers equal the committed ones",
        sources.len()
    ));
}
