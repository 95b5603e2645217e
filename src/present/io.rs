//! The one writer of output files. Every command writes its results through a
//! [`ResultWriter`]: all files go into a fresh staging folder inside `--out` (random name,
//! created with `mkdir`, never following a symbolic link), and [`ResultWriter::commit`] puts
//! that folder in place of the previous result in one step (Linux `renameat2(RENAME_EXCHANGE)`;
//! elsewhere, or on file systems without it, two renames with the old result kept aside until
//! the new one is in place, recovered by the next run if interrupted in between). So at every
//! instant the result path holds either the old or the new complete result.
//!
//! A writer holds `flock` on the `--out` folder itself (no lock file) from the first byte it
//! writes until its result is in place: a second run into the same `--out` waits. Under the
//! lock it removes what killed runs left behind (their staging folders), and it refuses to
//! replace a result folder holding anything tanfeng did not write ([`WriteError::Foreign`]),
//! before anything is changed. SIGINT, SIGTERM and SIGHUP remove the staging folder of the
//! run before it ends. Files of other commands in the same result folder (e.g. a
//! `sensitivity` CSV beside a run's tables) are carried over as hard links.
//!
//! Single files are written by [`write_file`] / [`NewFile`]: a temporary file with a random
//! name created with `O_EXCL` in the destination's folder, renamed over the destination.

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, Once};

/// Prefix of staging folders inside `--out`.
const STAGING_PREFIX: &str = ".tanfeng-staging-";
/// Prefix of an old result kept aside during a two-step replacement.
const ASIDE_PREFIX: &str = ".tanfeng-aside-";
/// Prefix of temporary files of [`NewFile`].
const TMP_PREFIX: &str = ".tanfeng-tmp-";

/// Output folder names that scenario ids may not take: `compare` holds comparisons, `charts`
/// the charts inside a result folder (a comparison holds both charts/ and one folder per id).
pub const RESERVED_NAMES: [&str; 2] = ["compare", "charts"];

/// A write that failed, with the path.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Creating a folder, writing, linking or renaming failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The result folder holds something tanfeng did not write; nothing was changed.
    #[error(
        "{path} is {what}, not something tanfeng wrote; nothing was changed (move it away or choose another --out)"
    )]
    Foreign {
        /// The offending entry.
        path: PathBuf,
        /// What it is (e.g. "a folder where a file goes").
        what: String,
    },
    /// A result name that cannot be a folder name in `--out`.
    #[error("'{name}' cannot name an output folder")]
    BadName {
        /// The name.
        name: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A writer of one file's content into the given sink.
pub type StreamFn<'a> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// What goes into one output file: bytes already in memory, or a writer that streams the
/// content (the per-draw file of a million-draw run is written without a copy in memory).
pub enum Payload<'a> {
    /// The whole content, owned or borrowed.
    Bytes(Cow<'a, [u8]>),
    /// Writes the content to the given sink.
    Stream(StreamFn<'a>),
}

impl From<Vec<u8>> for Payload<'_> {
    fn from(bytes: Vec<u8>) -> Self {
        Payload::Bytes(bytes.into())
    }
}

impl<'a> From<&'a [u8]> for Payload<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Payload::Bytes(bytes.into())
    }
}

impl std::fmt::Debug for Payload<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Payload::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Payload::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// A file being written: a temporary file with a random name, created with `O_EXCL` (so a
/// planted link is never followed) in the destination's folder; [`NewFile::commit`] renames
/// it over the destination (a link there is replaced, not followed). Dropped uncommitted, the
/// temporary file is removed.
#[derive(Debug)]
pub struct NewFile {
    tmp: tempfile::NamedTempFile,
    dest: PathBuf,
}

impl NewFile {
    /// Starts writing `dest` (its folder must exist).
    pub fn create(dest: &Path) -> Result<NewFile, WriteError> {
        let dir = dest
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut b = tempfile::Builder::new();
        b.prefix(TMP_PREFIX);
        // Readable as any file the user creates (0666 less the umask), not tempfile's 0600.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = b.tempfile_in(dir).map_err(io_err(dest))?;
        Ok(NewFile {
            tmp,
            dest: dest.to_path_buf(),
        })
    }

    /// The open temporary file.
    pub fn file(&self) -> &File {
        self.tmp.as_file()
    }

    /// Where the file goes.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Renames the written file over the destination.
    pub fn commit(self) -> Result<(), WriteError> {
        let dest = self.dest;
        self.tmp
            .persist(&dest)
            .map(|_| ())
            .map_err(|e| WriteError::Io {
                path: dest.clone(),
                source: e.error,
            })
    }
}

/// Writes one file through [`NewFile`]: complete at `path` or not changed.
pub fn write_file(path: &Path, payload: &Payload<'_>) -> Result<(), WriteError> {
    let f = NewFile::create(path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f.file());
    let written = match payload {
        Payload::Bytes(b) => w.write_all(b),
        Payload::Stream(write) => write(&mut w),
    }
    .and_then(|()| w.flush());
    drop(w);
    written.map_err(io_err(path))?;
    f.commit()
}

/// Which command's files a writer replaces in its result folder. A run's folder `<out>/<id>/`
/// also holds the files of `sensitivity` and `decompose`; each command replaces its own files
/// and carries the others over. A comparison owns all of `<out>/compare/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `run`: tables, `draws.csv`, the briefing documents ([`BRIEFING_FILES`]), `charts/`.
    Run,
    /// `sensitivity --method rank`: `sensitivity_rank.csv`, `tornado_rank_*`.
    SensitivityRank,
    /// `sensitivity --method sobol`: `sensitivity_sobol.csv`, `tornado_sobol_*`.
    SensitivitySobol,
    /// `decompose`: `lmdi.csv`, `lmdi_waterfall_*`.
    Decompose,
    /// `compare`: everything in `<out>/compare/`.
    Compare,
}

/// Tables of one run (also written per scenario inside a comparison).
const RUN_TABLES: [&str; 10] = [
    "summary.csv",
    "targets.csv",
    "years.csv",
    "wedges.csv",
    "ledger.csv",
    "increments.csv",
    "summary.json",
    "run.json",
    "draws.csv",
    "results.xlsx",
];
/// The briefing documents of a run or a comparison (`present::briefing::outputs` names them):
/// Chinese (or the only language) and English, as HTML and Word.
pub const BRIEFING_FILES: [&str; 4] = [
    "briefing.html",
    "briefing_en.html",
    "briefing.docx",
    "briefing_en.docx",
];
/// Files of a comparison beside its per-scenario folders (and the briefing documents).
const COMPARE_FILES: [&str; 4] = [
    "attainment.csv",
    "differences.csv",
    "compare.json",
    "results.xlsx",
];

/// A chart file `<prefix><stem>_<zh|en>.<png|svg>`.
fn is_chart(name: &str, prefix: &str) -> bool {
    ["_zh.png", "_zh.svg", "_en.png", "_en.svg"]
        .iter()
        .any(|s| name.len() > prefix.len() + s.len() && name.ends_with(s))
        && name.starts_with(prefix)
}

/// A temporary file of this or an earlier version of tanfeng (`.tanfeng-tmp-*`,
/// `.NAME.tmp-PID`, `.NAME.PID.N.tmp.EXT`): never carried over.
fn is_stale(name: &str) -> bool {
    name.starts_with(TMP_PREFIX)
        || (name.starts_with('.') && (name.contains(".tmp-") || name.contains(".tmp.")))
}

/// A scenario id as the loader accepts it (lowercase letters, digits, `-`, `_`).
fn is_id(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// What an entry of a result folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    Link,
    Other,
}

fn kind_of(path: &Path) -> std::io::Result<Kind> {
    let t = std::fs::symlink_metadata(path)?.file_type();
    Ok(if t.is_symlink() {
        Kind::Link
    } else if t.is_dir() {
        Kind::Dir
    } else if t.is_file() {
        Kind::File
    } else {
        Kind::Other
    })
}

/// The files of an existing result folder that a writer of `part` keeps (files of other
/// commands, relative paths); an error for anything tanfeng did not write.
fn survey(dest: &Path, part: Part) -> Result<Vec<PathBuf>, WriteError> {
    let foreign = |path: PathBuf, what: &str| WriteError::Foreign {
        path,
        what: what.to_string(),
    };
    let describe = |k: Kind, want_file: bool| match (k, want_file) {
        (Kind::Link, _) => "a symbolic link",
        (Kind::Dir, true) => "a folder where a file goes",
        (Kind::Dir, false) => "a folder",
        (Kind::File, false) => "a file where a folder goes",
        (Kind::File, true) => "a file",
        (Kind::Other, _) => "a special file",
    };
    match kind_of(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err(dest)(e)),
        Ok(Kind::Dir) => {}
        Ok(k) => return Err(foreign(dest.to_path_buf(), describe(k, false))),
    }
    let entries = |dir: &Path| -> Result<Vec<(String, Kind, PathBuf)>, WriteError> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).map_err(io_err(dir))? {
            let e = e.map_err(io_err(dir))?;
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let k = kind_of(&p).map_err(io_err(&p))?;
            out.push((name, k, p));
        }
        Ok(out)
    };
    // Chart folder: chart files (owned by the folder's writer) and stale temporaries.
    let charts = |dir: &Path| -> Result<(), WriteError> {
        for (name, k, p) in entries(dir)? {
            if is_stale(&name) && k != Kind::Dir {
                continue;
            }
            if !(is_chart(&name, "") && k == Kind::File) {
                return Err(foreign(p, describe(k, is_chart(&name, ""))));
            }
        }
        Ok(())
    };
    let mut keep = Vec::new();
    for (name, k, p) in entries(dest)? {
        if is_stale(&name) && k != Kind::Dir {
            continue;
        }
        let want = |expect_file: bool| -> Result<(), WriteError> {
            let ok = if expect_file {
                k == Kind::File
            } else {
                k == Kind::Dir
            };
            if ok {
                Ok(())
            } else {
                Err(foreign(p.clone(), describe(k, expect_file)))
            }
        };
        if name == "charts" {
            want(false)?;
            charts(&p)?;
            continue;
        }
        if part == Part::Compare {
            if COMPARE_FILES.contains(&name.as_str()) || BRIEFING_FILES.contains(&name.as_str()) {
                want(true)?;
            } else if is_id(&name) && k == Kind::Dir {
                for (n, k2, p2) in entries(&p)? {
                    let stale = is_stale(&n) && k2 != Kind::Dir;
                    let table = RUN_TABLES.contains(&n.as_str()) && k2 == Kind::File;
                    if !(stale || table) {
                        let file = RUN_TABLES.contains(&n.as_str());
                        return Err(foreign(p2, describe(k2, file)));
                    }
                }
            } else {
                return Err(foreign(p, describe(k, k != Kind::Dir)));
            }
            continue;
        }
        let owner =
            if RUN_TABLES.contains(&name.as_str()) || BRIEFING_FILES.contains(&name.as_str()) {
                Part::Run
            } else if name == "sensitivity_rank.csv" || is_chart(&name, "tornado_rank_") {
                Part::SensitivityRank
            } else if name == "sensitivity_sobol.csv" || is_chart(&name, "tornado_sobol_") {
                Part::SensitivitySobol
            } else if name == "lmdi.csv" || is_chart(&name, "lmdi_waterfall_") {
                Part::Decompose
            } else {
                return Err(foreign(p, describe(k, k != Kind::Dir)));
            };
        want(true)?;
        if owner != part {
            keep.push(PathBuf::from(name));
        }
    }
    keep.sort();
    Ok(keep)
}

/// Staging folders of live writers of this process, removed on SIGINT/SIGTERM/SIGHUP. A
/// writer holds this lock while it swaps its staging folder into place, so a signal handled
/// meanwhile waits and then removes what is left (the old result, moved to the staging path).
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static SIGNALS: Once = Once::new();

fn active() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Creates `dir` and its missing parents. Below a live staging folder, only folders inside it
/// are created, under the lock the signal handler takes before removing it: a staging folder
/// removed on SIGINT is never created again by a thread still writing.
pub fn create_dirs(dir: &Path) -> std::io::Result<()> {
    let staged = active();
    let Some(root) = staged.iter().find(|r| dir.starts_with(r)) else {
        drop(staged);
        return std::fs::create_dir_all(dir);
    };
    if kind_of(root)? != Kind::Dir {
        return Err(std::io::ErrorKind::NotFound.into());
    }
    let mut p = root.clone();
    for c in dir.strip_prefix(root).unwrap_or(Path::new("")).components() {
        p.push(c);
        match std::fs::create_dir(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Removes a folder (never following links), retrying while other threads of this process
/// may still create files in it (they cannot create folders meanwhile: see [`create_dirs`]).
fn remove_tree(path: &Path) {
    for _ in 0..1000 {
        match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => continue,
            _ => return,
        }
    }
}

/// Starts the thread that removes staging folders when the process is asked to stop, then
/// ends it as the signal would have.
fn handle_signals() {
    SIGNALS.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("tanfeng-signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let staged = active();
                    for p in staged.iter() {
                        remove_tree(p);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(sig);
                    std::process::exit(128 + sig);
                }
            });
    });
}

fn is_unsupported(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc_errno::EINVAL) | Some(libc_errno::ENOSYS) | Some(libc_errno::EOPNOTSUPP)
    )
}

/// Error numbers meaning "this rename flag is not supported here" (Linux values).
mod libc_errno {
    pub const EINVAL: i32 = 22;
    pub const ENOSYS: i32 = 38;
    pub const EOPNOTSUPP: i32 = 95;
}

/// Renames `from` to `to`, failing if `to` exists.
fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) => {
                let e = std::io::Error::from(e);
                if !is_unsupported(&e) {
                    return Err(e);
                }
            }
        }
    }
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    std::fs::rename(from, to)
}

/// Swaps the folders at `a` and `b` in one step; `Ok(false)` where the file system cannot.
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) => {
                let e = std::io::Error::from(e);
                if is_unsupported(&e) {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

fn aside_path(out: &Path, name: &str) -> PathBuf {
    out.join(format!("{ASIDE_PREFIX}{name}"))
}

/// Replaces `dest` by `staged` in two renames, the old result kept at `aside` until the new
/// one is in place (recovered by [`clean_leftovers`] if the process dies in between).
fn swap_two_step(staged: &Path, dest: &Path, aside: &Path) -> std::io::Result<()> {
    rename_noreplace(dest, aside)?;
    if let Err(e) = rename_noreplace(staged, dest) {
        let _ = rename_noreplace(aside, dest);
        return Err(e);
    }
    remove_tree(aside);
    Ok(())
}

/// Under the lock: removes staging folders of killed runs and finishes interrupted two-step
/// replacements (the old result goes back where the new one is missing). Links planted at
/// these names are removed, never followed.
fn clean_leftovers(out: &Path) -> Result<(), WriteError> {
    for e in std::fs::read_dir(out).map_err(io_err(out))? {
        let e = e.map_err(io_err(out))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        if name.starts_with(STAGING_PREFIX) {
            remove_tree(&p);
        } else if let Some(result) = name.strip_prefix(ASIDE_PREFIX) {
            let dest = out.join(result);
            let real_dir = kind_of(&p).is_ok_and(|k| k == Kind::Dir);
            if real_dir && is_id(result) && std::fs::symlink_metadata(&dest).is_err() {
                rename_noreplace(&p, &dest).map_err(io_err(&dest))?;
            } else {
                remove_tree(&p);
            }
        }
    }
    Ok(())
}

/// Writes one result folder `<out>/<name>/` all or nothing (see the module docs).
#[derive(Debug)]
pub struct ResultWriter {
    /// The `--out` folder, open and locked with `flock` until the writer is dropped.
    _lock: File,
    out: PathBuf,
    name: String,
    dest: PathBuf,
    staging: Option<tempfile::TempDir>,
    keep: Vec<PathBuf>,
}

impl ResultWriter {
    /// Locks `out` (waiting for another writer), removes leftovers of killed runs, checks the
    /// existing result `<out>/<name>/` and creates the staging folder. Nothing is changed when
    /// the result folder holds anything tanfeng did not write.
    pub fn begin(out: &Path, name: &str, part: Part) -> Result<ResultWriter, WriteError> {
        if !is_id(name) {
            return Err(WriteError::BadName {
                name: name.to_string(),
            });
        }
        std::fs::create_dir_all(out).map_err(io_err(out))?;
        let lock = File::open(out).map_err(io_err(out))?;
        use rustix::fs::{FlockOperation, flock};
        if flock(&lock, FlockOperation::NonBlockingLockExclusive).is_err() {
            eprintln!(
                "waiting: another tanfeng process is writing into {}",
                out.display()
            );
            flock(&lock, FlockOperation::LockExclusive)
                .map_err(|e| io_err(out)(std::io::Error::from(e)))?;
        }
        handle_signals();
        clean_leftovers(out)?;
        let dest = out.join(name);
        let keep = survey(&dest, part)?;
        let mut staged = active();
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out)
            .map_err(io_err(out))?;
        staged.push(staging.path().to_path_buf());
        drop(staged);
        Ok(ResultWriter {
            _lock: lock,
            out: out.to_path_buf(),
            name: name.to_string(),
            dest,
            staging: Some(staging),
            keep,
        })
    }

    /// The staging folder: write everything of the result below it.
    pub fn dir(&self) -> &Path {
        self.staging.as_ref().map_or(&self.dest, |s| s.path())
    }

    /// Where the result goes.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Where a path below [`ResultWriter::dir`] will be once committed.
    pub fn final_path(&self, p: &Path) -> PathBuf {
        p.strip_prefix(self.dir())
            .map_or_else(|_| p.to_path_buf(), |rel| self.dest.join(rel))
    }

    /// Writes files below the staging folder (paths relative to it, or below it), creating
    /// their folders.
    pub fn write(&self, files: &[(PathBuf, Payload<'_>)]) -> Result<(), WriteError> {
        // Errors name the path the file was meant to have, not the staging folder.
        let named = |e: WriteError| match e {
            WriteError::Io { path, source } => WriteError::Io {
                path: self.final_path(&path),
                source,
            },
            other => other,
        };
        for (path, payload) in files {
            let path = self.inside(path)?;
            if let Some(parent) = path.parent() {
                create_dirs(parent).map_err(io_err(parent)).map_err(named)?;
            }
            write_file(&path, payload).map_err(named)?;
        }
        Ok(())
    }

    /// `path` below the staging folder, or an error for a path that leaves it.
    fn inside(&self, path: &Path) -> Result<PathBuf, WriteError> {
        let rel = path.strip_prefix(self.dir()).unwrap_or(path);
        let ok = !rel.as_os_str().is_empty()
            && rel.components().all(|c| matches!(c, Component::Normal(_)));
        if ok {
            Ok(self.dir().join(rel))
        } else {
            Err(WriteError::BadName {
                name: path.display().to_string(),
            })
        }
    }

    /// Carries over the other commands' files and puts the staging folder in place of the
    /// previous result; returns the result folder.
    pub fn commit(mut self) -> Result<PathBuf, WriteError> {
        let staging = self.dir().to_path_buf();
        for rel in &self.keep {
            let (from, to) = (self.dest.join(rel), staging.join(rel));
            if std::fs::hard_link(&from, &to).is_err() {
                NewFile::create(&to).and_then(|f| {
                    let mut src = File::open(&from).map_err(io_err(&from))?;
                    std::io::copy(&mut src, &mut f.file()).map_err(io_err(&to))?;
                    f.commit()
                })?;
            }
        }
        let mut staged = active();
        let Some(dir) = self.staging.take() else {
            return Ok(self.dest.clone());
        };
        let path = dir.keep();
        let swapped = if std::fs::symlink_metadata(&self.dest).is_err() {
            rename_noreplace(&path, &self.dest)
        } else {
            match exchange(&path, &self.dest) {
                Ok(true) => Ok(()),
                Ok(false) => swap_two_step(&path, &self.dest, &aside_path(&self.out, &self.name)),
                Err(e) => Err(e),
            }
        };
        // After an exchange the staging path holds the old result; after a failure, the
        // new one: either way it goes.
        remove_tree(&path);
        staged.retain(|p| p != &path);
        drop(staged);
        swapped.map_err(io_err(&self.dest))?;
        Ok(self.dest.clone())
    }
}

impl Drop for ResultWriter {
    fn drop(&mut self) {
        if let Some(dir) = self.staging.take() {
            let mut staged = active();
            let path = dir.path().to_path_buf();
            drop(dir);
            remove_tree(&path);
            staged.retain(|p| p != &path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    fn write(w: &ResultWriter, rel: &str, bytes: &[u8]) {
        assert!(w.write(&[(PathBuf::from(rel), bytes.into())]).is_ok());
    }

    #[test]
    fn write_file_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_file(&p, &b"x,y\n"[..].into()).unwrap();
        write_file(&p, &b"z\n"[..].into()).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"z\n");
        assert_eq!(names(dir.path()), ["a.csv"]);
    }

    #[test]
    fn written_files_get_the_usual_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_file(&p, &b"1"[..].into()).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // 0666 less a umask that never removes the owner's read and write.
        assert_eq!(mode & 0o600, 0o600);
        assert_ne!(mode, 0o600, "not tempfile's private mode (umask 077 aside)");
    }

    #[test]
    fn write_file_replaces_a_link_instead_of_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let p = dir.path().join("a.csv");
        std::os::unix::fs::symlink(&victim, &p).unwrap();
        write_file(&p, &b"new"[..].into()).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert!(!std::fs::symlink_metadata(&p).unwrap().is_symlink());
    }

    #[test]
    fn commit_replaces_the_whole_folder_and_drop_leaves_nothing() {
        let out = tempfile::tempdir().unwrap();
        let w = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        write(&w, "summary.csv", b"1");
        write(&w, "charts/a_en.png", b"png");
        let dest = w.commit().unwrap();
        assert_eq!(names(&dest), ["charts", "summary.csv"]);
        // A second run without charts: the old charts go, the new table is there.
        let w = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        write(&w, "summary.csv", b"2");
        w.commit().unwrap();
        assert_eq!(names(&dest), ["summary.csv"]);
        assert_eq!(std::fs::read(dest.join("summary.csv")).unwrap(), b"2");
        // Dropped without commit: the previous result stays, no staging remains.
        let w = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        write(&w, "summary.csv", b"3");
        drop(w);
        assert_eq!(std::fs::read(dest.join("summary.csv")).unwrap(), b"2");
        assert_eq!(names(out.path()), ["plan"]);
    }

    #[test]
    fn other_commands_files_are_carried_over_and_own_files_replaced() {
        let out = tempfile::tempdir().unwrap();
        let w = ResultWriter::begin(out.path(), "plan", Part::SensitivityRank).unwrap();
        write(&w, "sensitivity_rank.csv", b"s");
        write(&w, "tornado_rank_co2_en.png", b"t");
        w.commit().unwrap();
        let w = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        write(&w, "run.json", b"{}");
        let dest = w.commit().unwrap();
        assert_eq!(
            names(&dest),
            [
                "run.json",
                "sensitivity_rank.csv",
                "tornado_rank_co2_en.png"
            ]
        );
        let w = ResultWriter::begin(out.path(), "plan", Part::SensitivityRank).unwrap();
        write(&w, "sensitivity_rank.csv", b"s2");
        w.commit().unwrap();
        assert_eq!(names(&dest), ["run.json", "sensitivity_rank.csv"]);
        assert_eq!(
            std::fs::read(dest.join("sensitivity_rank.csv")).unwrap(),
            b"s2"
        );
    }

    #[test]
    fn foreign_content_is_refused_before_anything_changes() {
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("plan");
        std::fs::create_dir_all(dest.join("targets.csv")).unwrap();
        std::fs::write(dest.join("summary.csv"), b"old").unwrap();
        let e = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap_err();
        assert!(
            matches!(&e, WriteError::Foreign { path, .. } if path.ends_with("targets.csv")),
            "{e}"
        );
        assert!(e.to_string().contains("a folder where a file goes"), "{e}");
        std::fs::remove_dir(dest.join("targets.csv")).unwrap();
        std::fs::write(dest.join("notes.txt"), b"mine").unwrap();
        let e = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap_err();
        assert!(e.to_string().contains("notes.txt"), "{e}");
        assert_eq!(names(out.path()), ["plan"]);
        assert_eq!(names(&dest), ["notes.txt", "summary.csv"]);
    }

    #[test]
    fn links_in_the_result_folder_are_refused_not_followed() {
        let out = tempfile::tempdir().unwrap();
        let victim = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(victim.path(), out.path().join("plan")).unwrap();
        let e = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap_err();
        assert!(e.to_string().contains("a symbolic link"), "{e}");
        std::fs::remove_file(out.path().join("plan")).unwrap();
        std::fs::create_dir(out.path().join("plan")).unwrap();
        std::os::unix::fs::symlink(victim.path().join("x"), out.path().join("plan/summary.csv"))
            .unwrap();
        assert!(ResultWriter::begin(out.path(), "plan", Part::Run).is_err());
        assert!(names(victim.path()).is_empty());
    }

    #[test]
    fn leftovers_are_removed_and_an_interrupted_swap_is_recovered() {
        let out = tempfile::tempdir().unwrap();
        let victim = tempfile::tempdir().unwrap();
        std::fs::write(victim.path().join("v"), b"v").unwrap();
        // A killed run's staging folder, a planted link at a staging name, and an old result
        // left aside by a two-step swap killed between its renames.
        std::fs::create_dir_all(out.path().join(".tanfeng-staging-abc123/charts")).unwrap();
        std::os::unix::fs::symlink(victim.path(), out.path().join(".tanfeng-staging-zzz")).unwrap();
        std::fs::create_dir(out.path().join(".tanfeng-aside-plan")).unwrap();
        std::fs::write(out.path().join(".tanfeng-aside-plan/run.json"), b"old").unwrap();
        std::os::unix::fs::symlink(victim.path(), out.path().join(".tanfeng-aside-delayed"))
            .unwrap();
        let w = ResultWriter::begin(out.path(), "reference", Part::Run).unwrap();
        write(&w, "run.json", b"new");
        w.commit().unwrap();
        assert_eq!(names(out.path()), ["plan", "reference"]);
        assert_eq!(
            std::fs::read(out.path().join("plan/run.json")).unwrap(),
            b"old"
        );
        assert_eq!(names(victim.path()), ["v"]);
    }

    #[test]
    fn two_step_swap_keeps_the_old_result_until_the_new_is_in_place() {
        let out = tempfile::tempdir().unwrap();
        let (staged, dest, aside) = (
            out.path().join(".tanfeng-staging-x"),
            out.path().join("plan"),
            aside_path(out.path(), "plan"),
        );
        std::fs::create_dir(&staged).unwrap();
        std::fs::write(staged.join("run.json"), b"new").unwrap();
        std::fs::create_dir(&dest).unwrap();
        std::fs::write(dest.join("run.json"), b"old").unwrap();
        swap_two_step(&staged, &dest, &aside).unwrap();
        assert_eq!(std::fs::read(dest.join("run.json")).unwrap(), b"new");
        assert_eq!(names(out.path()), ["plan"]);
        // Killed after the first rename: the next writer puts the old result back.
        rename_noreplace(&dest, &aside).unwrap();
        clean_leftovers(out.path()).unwrap();
        assert_eq!(std::fs::read(dest.join("run.json")).unwrap(), b"new");
        assert_eq!(names(out.path()), ["plan"]);
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let out = tempfile::tempdir().unwrap();
        let first = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        let path = out.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let w = ResultWriter::begin(&path, "plan", Part::Run).unwrap();
            // The first writer's result is in place before the second can begin.
            let got = std::fs::read(path.join("plan/run.json")).unwrap_or_default();
            write(&w, "run.json", b"second");
            w.commit().unwrap();
            got
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        write(&first, "run.json", b"first");
        first.commit().unwrap();
        assert_eq!(second.join().unwrap(), b"first");
        assert_eq!(
            std::fs::read(out.path().join("plan/run.json")).unwrap(),
            b"second"
        );
    }

    #[test]
    fn a_removed_staging_folder_is_never_created_again() {
        let out = tempfile::tempdir().unwrap();
        let w = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        let staging = w.dir().to_path_buf();
        create_dirs(&staging.join("charts")).unwrap();
        // What the SIGINT handler does while chart threads still run.
        remove_tree(&staging);
        assert!(create_dirs(&staging.join("charts")).is_err());
        assert!(
            w.write(&[(PathBuf::from("charts/a_en.png"), b"x"[..].into())])
                .is_err()
        );
        assert!(!staging.exists(), "the staging folder stays removed");
        // Outside staging folders it is create_dir_all.
        create_dirs(&out.path().join("a/b")).unwrap();
        assert!(out.path().join("a/b").is_dir());
    }

    #[test]
    fn comparison_folders_hold_only_tanfeng_files() {
        let out = tempfile::tempdir().unwrap();
        let w = ResultWriter::begin(out.path(), "compare", Part::Compare).unwrap();
        write(&w, "plan/summary.csv", b"1");
        write(&w, "attainment.csv", b"a");
        write(&w, "charts/x_zh.svg", b"<svg/>");
        w.commit().unwrap();
        assert!(ResultWriter::begin(out.path(), "compare", Part::Compare).is_ok());
        std::fs::write(out.path().join("compare/plan/extra.txt"), b"x").unwrap();
        let e = ResultWriter::begin(out.path(), "compare", Part::Compare).unwrap_err();
        assert!(e.to_string().contains("extra.txt"), "{e}");
        let w = ResultWriter::begin(out.path(), "x", Part::Run).unwrap();
        assert!(
            w.write(&[(PathBuf::from("../escape"), b"1"[..].into())])
                .is_err()
        );
    }

    #[test]
    fn briefing_documents_are_known_files_of_a_run_and_a_comparison() {
        let out = tempfile::tempdir().unwrap();
        for (name, part) in [("plan", Part::Run), ("compare", Part::Compare)] {
            let w = ResultWriter::begin(out.path(), name, part).unwrap();
            for f in BRIEFING_FILES {
                write(&w, f, b"b");
            }
            w.commit().unwrap();
            // A second run over the first is not refused, and replaces them.
            let w = ResultWriter::begin(out.path(), name, part).unwrap();
            write(&w, "briefing.html", b"new");
            let dest = w.commit().unwrap();
            assert_eq!(names(&dest), ["briefing.html"]);
        }
        // A sensitivity run keeps a run's briefing documents.
        let w = ResultWriter::begin(out.path(), "plan", Part::Run).unwrap();
        write(&w, "briefing_en.docx", b"d");
        w.commit().unwrap();
        let w = ResultWriter::begin(out.path(), "plan", Part::SensitivityRank).unwrap();
        write(&w, "sensitivity_rank.csv", b"s");
        let dest = w.commit().unwrap();
        assert_eq!(names(&dest), ["briefing_en.docx", "sensitivity_rank.csv"]);
    }
}
