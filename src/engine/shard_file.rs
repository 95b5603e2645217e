//! Shard files (`<id>.<i>-of-<n>.tfshard`): what one shard of a run computed, for
//! `tanfeng merge`. Format (version [`FORMAT_VERSION`], described in `docs/shards.md`):
//!
//! 1. the line `tanfeng-shard <format version>`;
//! 2. one line of JSON, the [`ShardHeader`] (what was run, by which tanfeng, which chunks,
//!    and the length and CRC-32 of the payload);
//! 3. the payload: the accumulators and per-draw rows, in CBOR (RFC 8949, via `ciborium`),
//!    which keeps every f64 bit for bit.
//!
//! The header is read alone first, so `merge` checks that shards belong together before
//! decoding any payload.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::fold::Shard;

/// The first word of every shard file.
pub const MAGIC: &str = "tanfeng-shard";
/// Version of the file layout and of the payload encoding; bumped on any change.
pub const FORMAT_VERSION: u32 = 3;
/// File name extension.
pub const EXTENSION: &str = "tfshard";

/// Errors reading a shard file, each naming the file.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ShardFileError {
    /// The file cannot be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Not a shard file.
    #[error("{path}: not a tanfeng shard file (it does not start with '{MAGIC}')")]
    NotAShard {
        /// File.
        path: PathBuf,
    },
    /// A layout version this program does not read.
    #[error(
        "{path}: shard file format version {found}; this tanfeng reads version {FORMAT_VERSION}"
    )]
    FormatVersion {
        /// File.
        path: PathBuf,
        /// Version found.
        found: String,
    },
    /// The header line is not valid.
    #[error("{path}: damaged shard header: {reason}")]
    Header {
        /// File.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The payload is truncated, corrupted or of another kind.
    #[error("{path}: damaged shard payload: {reason}")]
    Payload {
        /// File.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// What a shard file says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// Version of tanfeng that wrote it (results of other versions may differ).
    pub tanfeng_version: String,
    /// The command: `run`, `compare`, `sensitivity-sobol` or `decompose`.
    pub command: String,
    /// Id used in the file name (scenario id, or `compare`).
    pub id: String,
    /// SHA-256 of the resolved inputs and of the options that change numbers.
    pub input_hash: String,
    /// Seed.
    pub seed: u64,
    /// Draws (Sobol: base sample N).
    pub draws: u64,
    /// Which shard.
    pub shard: Shard,
    /// Chunks of the whole run.
    pub n_chunks: usize,
    /// The chunks of this shard, `[first, end)`.
    pub chunks: [usize; 2],
    /// What `merge` needs to redo the outputs (scenario specs and options), as written by
    /// the command.
    pub args: serde_json::Value,
    /// Payload length in bytes.
    pub payload_bytes: u64,
    /// CRC-32 (IEEE) of the payload.
    pub payload_crc32: u32,
}

impl ShardHeader {
    /// The file name `<id>.<i>-of-<n>.tfshard`.
    pub fn file_name(&self) -> String {
        format!(
            "{}.{}-of-{}.{EXTENSION}",
            self.id, self.shard.index, self.shard.count
        )
    }
}

/// The bytes of a shard file; `header.payload_bytes` and `payload_crc32` are filled in.
pub fn encode<T: Serialize>(mut header: ShardHeader, payload: &T) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    ciborium::into_writer(payload, &mut body).map_err(|e| e.to_string())?;
    header.payload_bytes = body.len() as u64;
    header.payload_crc32 = crc32fast::hash(&body);
    let mut out = format!("{MAGIC} {FORMAT_VERSION}\n").into_bytes();
    serde_json::to_writer(&mut out, &header).map_err(|e| e.to_string())?;
    out.push(b'\n');
    out.extend(body);
    Ok(out)
}

fn open(path: &Path) -> Result<(ShardHeader, BufReader<std::fs::File>), ShardFileError> {
    let io = |source| ShardFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut r = BufReader::new(std::fs::File::open(path).map_err(io)?);
    let mut first = Vec::new();
    r.by_ref()
        .take(64)
        .read_until(b'\n', &mut first)
        .map_err(io)?;
    let first = String::from_utf8_lossy(&first);
    let Some(version) = first.trim_end().strip_prefix(MAGIC) else {
        return Err(ShardFileError::NotAShard {
            path: path.to_path_buf(),
        });
    };
    let version = version.trim();
    if version != FORMAT_VERSION.to_string() {
        return Err(ShardFileError::FormatVersion {
            path: path.to_path_buf(),
            found: version.to_string(),
        });
    }
    let mut line = Vec::new();
    r.by_ref()
        .take(1 << 24)
        .read_until(b'\n', &mut line)
        .map_err(io)?;
    let header: ShardHeader =
        serde_json::from_slice(&line).map_err(|e| ShardFileError::Header {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    Ok((header, r))
}

/// Reads only the header.
pub fn read_header(path: &Path) -> Result<ShardHeader, ShardFileError> {
    open(path).map(|(h, _)| h)
}

/// Reads the header and the payload, checking its length and checksum.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<(ShardHeader, T), ShardFileError> {
    let (header, mut r) = open(path)?;
    let bad = |reason: String| ShardFileError::Payload {
        path: path.to_path_buf(),
        reason,
    };
    let mut body = Vec::new();
    r.read_to_end(&mut body)
        .map_err(|source| ShardFileError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if body.len() as u64 != header.payload_bytes {
        return Err(bad(format!(
            "{} bytes, the header says {} (truncated?)",
            body.len(),
            header.payload_bytes
        )));
    }
    if crc32fast::hash(&body) != header.payload_crc32 {
        return Err(bad("checksum mismatch".into()));
    }
    let payload = ciborium::from_reader(body.as_slice()).map_err(|e| bad(e.to_string()))?;
    Ok((header, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> ShardHeader {
        ShardHeader {
            tanfeng_version: "0.1.0".into(),
            command: "run".into(),
            id: "plan".into(),
            input_hash: "ab".into(),
            seed: 1,
            draws: 300,
            shard: Shard { index: 2, count: 3 },
            n_chunks: 3,
            chunks: [1, 2],
            args: serde_json::json!({"scenarios": ["plan"]}),
            payload_bytes: 0,
            payload_crc32: 0,
        }
    }

    #[test]
    fn round_trip_keeps_every_bit_and_damage_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let values = vec![0.1, -0.0, f64::INFINITY, 1e-310, f64::MAX, 3.0];
        let bytes = encode(header(), &values).expect("encode");
        let path = dir.path().join(header().file_name());
        assert!(path.ends_with("plan.2-of-3.tfshard"));
        std::fs::write(&path, &bytes).expect("write");
        let (h, back): (ShardHeader, Vec<f64>) = read(&path).expect("read");
        assert_eq!(h.shard, Shard { index: 2, count: 3 });
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&values));
        // A flipped payload byte, a truncated file and another format version are refused.
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        std::fs::write(&path, &bad).expect("write");
        let e = read::<Vec<f64>>(&path).expect_err("checksum");
        assert!(e.to_string().contains("plan.2-of-3.tfshard"), "{e}");
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("write");
        assert!(matches!(
            read::<Vec<f64>>(&path),
            Err(ShardFileError::Payload { .. })
        ));
        let mut v9 = bytes.clone();
        v9[MAGIC.len() + 1] = b'9';
        std::fs::write(&path, &v9).expect("write");
        assert!(matches!(
            read_header(&path),
            Err(ShardFileError::FormatVersion { .. })
        ));
        std::fs::write(&path, b"hello").expect("write");
        assert!(matches!(
            read_header(&path),
            Err(ShardFileError::NotAShard { .. })
        ));
    }
}
