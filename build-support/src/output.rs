//! The on-disk package: which files of a directory the build step owns, and how
//! it replaces them.
//!
//! A directory holds the user's own files next to one or more generated outputs,
//! each named by its file base. An output owns exactly the files its manifest,
//! `.go-asm-<base>.manifest`, lists (Go ignores names starting with `.`): those
//! are the only files it overwrites or deletes. A manifest-less directory (written
//! before manifests existed) is adopted: a file carrying go-asm's generated-code
//! header whose name this base produces, or a file already equal to what would be
//! written. Any other file in the way is an error naming it, and never touched.
//!
//! An update is one transaction: every new file is staged in
//! `.go-asm-<base>.staging/` and synced, then the journal `.go-asm-<base>.journal`
//! (the renames and deletes to do) appears by one rename, the operations run, and
//! the journal goes. Killed at any point, the directory holds the old package
//! (plus a staging directory), or the new one, or a journal: every run (write or
//! check) first rolls each journal of the directory forward and removes leftover
//! `.go-asm-*` directories, under a lock on the directory. An up-to-date output is
//! recognized by reading alone and is not touched (no lock, no staging directory).

mod contents;

use contents::OnDisk;
pub use contents::{Contents, Render};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One generated output: the files of one file base in one directory. The
/// contents are borrowed where the caller holds them (a 1 MiB table renders to
/// 12 MiB of text: no copy of it is made on the way to the disk).
pub struct Output<'a> {
    pub dir: PathBuf,
    pub base: String,
    /// The Go package the files belong to; one per directory.
    pub package: String,
    pub files: Vec<(String, Contents<'a>)>,
    /// Names this base may have written before it had a manifest: a file with one
    /// of them that carries go-asm's header is adopted (migration).
    pub adoptable: Vec<String>,
}

/// Everything that prefixes a file or directory of go-asm's own bookkeeping.
const PREFIX: &str = ".go-asm-";
const MANIFEST: &str = ".manifest";
const JOURNAL: &str = ".journal";
const STAGING: &str = ".staging";
const MANIFEST_HEADER: &str =
    "# go-asm manifest: the files the build step owns for this file base. DO NOT EDIT.";
const JOURNAL_HEADER: &str = "# go-asm journal";

pub fn manifest_name(base: &str) -> String {
    format!("{PREFIX}{base}{MANIFEST}")
}

fn journal_name(base: &str) -> String {
    format!("{PREFIX}{base}{JOURNAL}")
}

fn staging_name(base: &str) -> String {
    format!("{PREFIX}{base}{STAGING}")
}

/// The paths cargo should watch: every file the output owns, and its manifest.
pub fn owned_paths(out: &Output) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = out.files.iter().map(|(n, _)| out.dir.join(n)).collect();
    paths.push(out.dir.join(manifest_name(&out.base)));
    paths
}

/// What differs between the directory and `out`: the names a write would create,
/// replace or delete. A torn update is repaired first.
pub fn stale(out: &Output) -> Result<Vec<String>, String> {
    if !out.dir.exists() {
        let mut names: Vec<String> = out.files.iter().map(|(n, _)| n.clone()).collect();
        names.push(manifest_name(&out.base));
        return Ok(names);
    }
    let plan = current_plan(out)?;
    Ok(plan.names())
}

/// Makes the directory hold exactly `out` (plus files it does not own).
pub fn write(out: &Output) -> Result<(), String> {
    if !out.dir.exists() {
        step();
        fs::create_dir_all(&out.dir).map_err(|e| located(&out.dir, e))?;
    }
    if current_plan(out)?.is_empty() {
        return Ok(());
    }
    let _lock = lock(&out.dir)?;
    // Another build may have written the same package while this one waited.
    let plan = make_plan(out, &Scan::read(&out.dir)?)?;
    if !plan.is_empty() {
        apply(&out.dir, &out.base, &plan)?;
    }
    Ok(())
}

/// The plan for the directory as it is, repaired under the lock if a run was
/// interrupted there.
fn current_plan<'a>(out: &'a Output) -> Result<Plan<'a>, String> {
    let scan = Scan::read(&out.dir)?;
    if scan.journals.is_empty() && scan.leftovers.is_empty() {
        return make_plan(out, &scan);
    }
    let _lock = lock(&out.dir)?;
    repair(&out.dir)?;
    make_plan(out, &Scan::read(&out.dir)?)
}

/// A manifest: the Go package and, per owned file, a hash of its contents.
#[derive(Debug, PartialEq)]
struct Manifest {
    package: String,
    files: BTreeMap<String, u64>,
}

impl Manifest {
    fn render(&self) -> String {
        let mut s = format!("{MANIFEST_HEADER}\npackage {}\n", self.package);
        for (name, hash) in &self.files {
            s.push_str(&format!("file {hash:016x} {name}\n"));
        }
        s
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != MANIFEST_HEADER {
            return None;
        }
        let package = lines.next()?.strip_prefix("package ")?.to_string();
        let mut files = BTreeMap::new();
        for line in lines {
            let (hash, name) = line.strip_prefix("file ")?.split_once(' ')?;
            files.insert(name.to_string(), u64::from_str_radix(hash, 16).ok()?);
        }
        Some(Manifest { package, files })
    }
}

/// go-asm's bookkeeping found in a directory.
struct Scan {
    /// Every manifest, by file base.
    manifests: BTreeMap<String, Manifest>,
    /// File bases with a journal: an interrupted update.
    journals: Vec<String>,
    /// `.go-asm-*` directories: staging of interrupted runs.
    leftovers: Vec<PathBuf>,
}

impl Scan {
    fn read(dir: &Path) -> Result<Scan, String> {
        let mut scan = Scan {
            manifests: BTreeMap::new(),
            journals: Vec::new(),
            leftovers: Vec::new(),
        };
        for entry in fs::read_dir(dir).map_err(|e| located(dir, e))? {
            let entry = entry.map_err(|e| located(dir, e))?;
            let name = entry.file_name().to_string_lossy().to_string();
            let Some(rest) = name.strip_prefix(PREFIX) else {
                continue;
            };
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                scan.leftovers.push(path);
            } else if let Some(base) = rest.strip_suffix(MANIFEST) {
                let text = fs::read_to_string(&path).map_err(|e| located(&path, e))?;
                let m = Manifest::parse(&text).ok_or_else(|| {
                    format!(
                        "{}: not a go-asm manifest; delete it to let the build step adopt its files again",
                        path.display()
                    )
                })?;
                scan.manifests.insert(base.to_string(), m);
            } else if let Some(base) = rest.strip_suffix(JOURNAL) {
                scan.journals.push(base.to_string());
            }
        }
        scan.journals.sort();
        scan.leftovers.sort();
        Ok(scan)
    }
}

/// What an update does: files to (re)write, with the manifest among them, and
/// files to delete.
struct Plan<'a> {
    writes: Vec<(String, Contents<'a>)>,
    deletes: Vec<String>,
}

impl Plan<'_> {
    fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty()
    }

    fn names(&self) -> Vec<String> {
        self.writes
            .iter()
            .map(|(n, _)| n.clone())
            .chain(self.deletes.iter().cloned())
            .collect()
    }
}

/// Compares `out` with the directory in memory. Errors: another Go package in the
/// directory, a name another file base owns, a file in the way that `out` does
/// not own.
fn make_plan<'a>(out: &'a Output, scan: &Scan) -> Result<Plan<'a>, String> {
    let mut errors = Vec::new();
    let ours = scan.manifests.get(&out.base);
    let others: Vec<(&String, &Manifest)> = scan
        .manifests
        .iter()
        .filter(|(b, _)| **b != out.base)
        .collect();
    for (base, m) in &others {
        if m.package != out.package {
            errors.push(format!(
                "{}: the directory holds Go package `{}` (file base `{base}`), so it cannot hold package `{}` too; Go allows one package per directory",
                out.dir.display(),
                m.package,
                out.package
            ));
        }
    }
    let claimed_by = |name: &str| {
        others
            .iter()
            .find(|(_, m)| m.files.contains_key(name))
            .map(|(b, _)| b.as_str())
    };
    // Whether the file now named `name`, as `old` read it, is one this base wrote.
    let owns = |name: &str, old: &OnDisk| {
        let listed = ours.and_then(|m| m.files.get(name));
        listed == Some(&old.hash)
            || ((listed.is_some() || out.adoptable.iter().any(|a| a == name)) && old.generated)
    };
    let mut writes = Vec::new();
    // Each file's hash, for the manifest.
    let mut hashes = BTreeMap::new();
    for (name, contents) in &out.files {
        let path = out.dir.join(name);
        if let Some(other) = claimed_by(name) {
            errors.push(format!(
                "{}: file base `{}` would write it, but it belongs to file base `{other}` ({}); give one of them another file_base",
                path.display(),
                out.base,
                manifest_name(other)
            ));
            continue;
        }
        let (new_hash, equal) = match contents.digest(&path) {
            Ok(d) => d,
            Err(e) => {
                errors.push(format!(
                    "{}: in the way of a generated file ({e})",
                    path.display()
                ));
                continue;
            }
        };
        hashes.insert(name.clone(), new_hash);
        if equal {
            continue;
        }
        match OnDisk::read(&path) {
            Ok(old) if owns(name, &old) => writes.push((name.clone(), contents.borrowed())),
            Ok(_) => errors.push(format!(
                "{}: a file that go-asm did not generate is in the way of the generated one; move it, or choose another file_base",
                path.display()
            )),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                writes.push((name.clone(), contents.borrowed()))
            }
            Err(e) => errors.push(format!(
                "{}: in the way of a generated file ({e})",
                path.display()
            )),
        }
    }
    let produced = |name: &str| out.files.iter().any(|(n, _)| *n == name);
    let mut deletes = Vec::new();
    let candidates = ours
        .into_iter()
        .flat_map(|m| m.files.keys())
        .chain(&out.adoptable);
    for name in candidates {
        if produced(name) || claimed_by(name).is_some() || deletes.contains(name) {
            continue;
        }
        // A listed file the user replaced is theirs now: left alone.
        if OnDisk::read(&out.dir.join(name)).is_ok_and(|old| owns(name, &old)) {
            deletes.push(name.clone());
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let manifest = Manifest {
        package: out.package.to_string(),
        files: hashes,
    }
    .render();
    let manifest_path = out.dir.join(manifest_name(&out.base));
    if fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
        writes.push((
            manifest_name(&out.base),
            Contents::Bytes(Cow::Owned(manifest.into_bytes())),
        ));
    }
    deletes.sort();
    Ok(Plan { writes, deletes })
}

/// Stages every write, commits the journal, and rolls it forward.
fn apply(dir: &Path, base: &str, plan: &Plan) -> Result<(), String> {
    let staging = dir.join(staging_name(base));
    step();
    fs::create_dir(&staging).map_err(|e| located(&staging, e))?;
    let mut journal = format!("{JOURNAL_HEADER}\n");
    for (name, contents) in &plan.writes {
        write_synced(&staging.join(name), contents)?;
        journal.push_str(&format!("rename {name}\n"));
    }
    for name in &plan.deletes {
        journal.push_str(&format!("delete {name}\n"));
    }
    let staged_journal = staging.join(journal_name(base));
    write_synced(
        &staged_journal,
        &Contents::Bytes(Cow::Borrowed(journal.as_bytes())),
    )?;
    sync_dir(&staging)?;
    // The commit point: from here on the new package is the one that exists.
    rename(&staged_journal, &dir.join(journal_name(base)))?;
    sync_dir(dir)?;
    roll_forward(dir, base)
}

/// Finishes every interrupted update in `dir` and removes leftover staging.
/// The caller holds the directory's lock.
fn repair(dir: &Path) -> Result<(), String> {
    let scan = Scan::read(dir)?;
    for base in &scan.journals {
        roll_forward(dir, base)?;
    }
    for leftover in Scan::read(dir)?.leftovers {
        step();
        fs::remove_dir_all(&leftover).map_err(|e| located(&leftover, e))?;
    }
    Ok(())
}

/// Performs the journal of `base`: renames whose staged file is gone were done.
fn roll_forward(dir: &Path, base: &str) -> Result<(), String> {
    let journal = dir.join(journal_name(base));
    let staging = dir.join(staging_name(base));
    let text = fs::read_to_string(&journal).map_err(|e| located(&journal, e))?;
    let mut lines = text.lines();
    if lines.next() != Some(JOURNAL_HEADER) {
        return Err(format!("{}: not a go-asm journal", journal.display()));
    }
    for line in lines {
        if let Some(name) = line.strip_prefix("rename ") {
            let staged = staging.join(name);
            if staged.exists() {
                rename(&staged, &dir.join(name))?;
            }
        } else if let Some(name) = line.strip_prefix("delete ") {
            let path = dir.join(name);
            if path.exists() {
                step();
                fs::remove_file(&path).map_err(|e| located(&path, e))?;
            }
        } else {
            return Err(format!("{}: not a go-asm journal", journal.display()));
        }
    }
    sync_dir(dir)?;
    if staging.exists() {
        step();
        fs::remove_dir_all(&staging).map_err(|e| located(&staging, e))?;
    }
    step();
    fs::remove_file(&journal).map_err(|e| located(&journal, e))?;
    sync_dir(dir)
}

fn write_synced(path: &Path, contents: &Contents) -> Result<(), String> {
    step();
    let f = File::create(path).map_err(|e| located(path, e))?;
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
    contents
        .write_to(&mut w)
        .and_then(|()| w.into_inner().map_err(|e| e.into_error()))
        .and_then(|f| f.sync_all())
        .map_err(|e| located(path, e))
}

fn rename(from: &Path, to: &Path) -> Result<(), String> {
    step();
    fs::rename(from, to).map_err(|e| located(to, e))
}

/// Makes a directory's entries durable (renames and deletes in it).
fn sync_dir(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| located(dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// An exclusive lock on the directory, released on drop: builds into one
/// directory take turns. On Unix the directory itself is locked (nothing is
/// created); elsewhere the lock file `.go-asm.lock`.
fn lock(dir: &Path) -> Result<File, String> {
    #[cfg(unix)]
    let file = File::open(dir).map_err(|e| located(dir, e))?;
    #[cfg(not(unix))]
    let file = {
        let path = dir.join(".go-asm.lock");
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| located(&path, e))?
    };
    file.lock().map_err(|e| located(dir, e))?;
    Ok(file)
}

fn located(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

/// Test hook: with `GO_ASM_FAIL_AT=<n>`, the process aborts right before its
/// n-th change to a package directory (a file written, a rename, a deletion, a
/// directory created or removed), as a kill would stop it.
fn step() {
    static STEPS: AtomicUsize = AtomicUsize::new(0);
    let Some(fail_at) = std::env::var("GO_ASM_FAIL_AT")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    if STEPS.fetch_add(1, Ordering::SeqCst) + 1 == fail_at {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back() {
        let m = Manifest {
            package: "p".into(),
            files: [("p.h".to_string(), 7), ("p_asm.go".to_string(), u64::MAX)].into(),
        };
        assert_eq!(Manifest::parse(&m.render()), Some(m));
    }
}
