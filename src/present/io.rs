//! The one place that writes files: each output goes to a temporary file in the same
//! directory and is renamed into place, so a failed run never leaves a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A write that failed, with the path.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Creating the folder, writing or renaming failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path` atomically (temporary file + rename), creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |source| WriteError::Io { path: p, source }
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(path)(e));
    }
    Ok(())
}

/// A writer of one file's content into the given sink.
pub type StreamFn<'a> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// What goes into one output file: bytes already in memory, or a writer that streams the
/// content (the per-draw file of a million-draw run is written without a copy in memory).
pub enum Payload<'a> {
    /// The whole content, owned or borrowed.
    Bytes(std::borrow::Cow<'a, [u8]>),
    /// Writes the content to the given sink.
    Stream(StreamFn<'a>),
}

impl From<Vec<u8>> for Payload<'_> {
    fn from(bytes: Vec<u8>) -> Self {
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

/// Writes several files, all or nothing: every file is first written to a temporary name;
/// only when all succeeded are they renamed into place.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    let files: Vec<(PathBuf, Payload<'_>)> = files
        .iter()
        .map(|(p, b)| (p.clone(), Payload::Bytes(b.as_slice().into())))
        .collect();
    write_payloads_atomic(&files)
}

/// [`write_all_atomic`] for payloads that may be streamed.
pub fn write_payloads_atomic(files: &[(PathBuf, Payload<'_>)]) -> Result<(), WriteError> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, payload) in files {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Err(source) = std::fs::create_dir_all(dir) {
            cleanup(&staged);
            return Err(WriteError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let r = std::fs::File::create(&tmp).and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            match payload {
                Payload::Bytes(b) => w.write_all(b)?,
                Payload::Stream(write) => write(&mut w)?,
            }
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()
        });
        if let Err(source) = r {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(WriteError::Io {
                path: path.clone(),
                source,
            });
        }
        staged.push((tmp, path.clone()));
    }
    for (tmp, path) in &staged {
        if let Err(source) = std::fs::rename(tmp, path) {
            cleanup(&staged);
            return Err(WriteError::Io {
                path: path.clone(),
                source,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/a.csv");
        write_atomic(&p, b"x,y\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"x,y\n");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn failure_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where a file should go makes the rename fail.
        std::fs::create_dir_all(dir.path().join("b.csv/inner")).unwrap();
        let files = vec![
            (dir.path().join("a.csv"), b"1".to_vec()),
            (dir.path().join("b.csv"), b"2".to_vec()),
        ];
        assert!(write_all_atomic(&files).is_err());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("tmp")), "{names:?}");
    }
}
