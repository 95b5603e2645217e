//! `--shard i/n` and `tanfeng merge` through the binary: merging 1, 2, 3 or 7 shards, given
//! in any order, writes every CSV byte for byte as one process does; shards that do not
//! belong together are refused with a message naming the file.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn tanfeng() -> Command {
    let mut c = Command::cargo_bin("tanfeng").expect("the binary is built");
    c.timeout(Duration::from_secs(300));
    c
}

fn ok(args: &[&str]) {
    let out = tanfeng().args(args).output().expect("the binary runs");
    assert!(
        out.status.success(),
        "tanfeng {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fails(args: &[&str]) -> String {
    let out = tanfeng().args(args).output().expect("the binary runs");
    assert!(
        !out.status.success(),
        "tanfeng {} succeeded",
        args.join(" ")
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every CSV under `dir` as (relative path, bytes), sorted by path.
fn csvs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).expect("readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "csv") {
                let rel = p.strip_prefix(root).expect("under root").to_path_buf();
                out.push((rel, std::fs::read(&p).expect("readable")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Runs `command` once whole and as 1, 2, 3 and 7 shards (computed and given to `merge` in
/// scrambled orders); every merge writes the same CSV files with the same bytes.
fn merges_like_one_process(tmp: &Path, tag: &str, command: &[&str]) {
    let one = tmp.join(format!("{tag}-one"));
    let mut args: Vec<String> = command.iter().map(|a| a.to_string()).collect();
    args.extend(["--no-charts".into(), "--out".into(), s(&one)]);
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let want = csvs(&one);
    assert!(!want.is_empty(), "{tag}: no CSV written");
    for n in [1u32, 2, 3, 7] {
        let dir = tmp.join(format!("{tag}-shards-{n}"));
        // Computed last to first, handed to merge in an interleaved order.
        let mut files = Vec::new();
        for i in (1..=n).rev() {
            let mut a: Vec<String> = command.iter().map(|a| a.to_string()).collect();
            a.extend([
                "--shard".into(),
                format!("{i}/{n}"),
                "--out".into(),
                s(&dir),
            ]);
            ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
        }
        for e in std::fs::read_dir(&dir).expect("shards written").flatten() {
            files.push(s(&e.path()));
        }
        assert_eq!(files.len(), n as usize, "{tag}: one file per shard");
        files.sort();
        let half = files.len() / 2;
        files.rotate_left(half);
        let merged = tmp.join(format!("{tag}-merged-{n}"));
        let mut m = vec!["merge".to_string()];
        m.extend(files);
        m.extend(["--no-charts".into(), "--out".into(), s(&merged)]);
        ok(&m.iter().map(String::as_str).collect::<Vec<_>>());
        let got = csvs(&merged);
        assert_eq!(
            got.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            want.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            "{tag}, {n} shards: the same files"
        );
        for ((p, a), (_, b)) in got.iter().zip(&want) {
            assert!(a == b, "{tag}, {n} shards: {} differs", p.display());
        }
    }
}

#[test]
fn run_shards_merge_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    merges_like_one_process(tmp.path(), "run", &["run", "plan", "--draws", "1000"]);
}

#[test]
fn compare_of_a_folder_shards_merge_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let batch = tmp.path().join("batch");
    std::fs::create_dir(&batch).expect("mkdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for f in ["accelerated.toml", "delayed.toml"] {
        std::fs::copy(root.join(f), batch.join(f)).expect("copy");
    }
    merges_like_one_process(
        tmp.path(),
        "compare",
        &["compare", &s(&batch), "--draws", "900"],
    );
    // The folder is its files in name order.
    let listed = tmp.path().join("listed");
    ok(&[
        "compare",
        &s(&batch.join("accelerated.toml")),
        &s(&batch.join("delayed.toml")),
        "--draws",
        "900",
        "--no-charts",
        "--out",
        &s(&listed),
    ]);
    assert_eq!(csvs(&listed), csvs(&tmp.path().join("compare-one")));
}

#[test]
fn sobol_shards_merge_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    merges_like_one_process(
        tmp.path(),
        "sobol",
        &[
            "sensitivity",
            "plan",
            "--method",
            "sobol",
            "--draws",
            "224",
            "--boot",
            "30",
        ],
    );
}

#[test]
fn decompose_shards_merge_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    merges_like_one_process(
        tmp.path(),
        "decompose",
        &["decompose", "plan", "--draws", "1000"],
    );
}

#[test]
fn shards_that_do_not_belong_together_are_refused_by_name() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let shard = |i: u32, seed: &str, dir: &str| {
        ok(&[
            "run",
            "plan",
            "--draws",
            "600",
            "--seed",
            seed,
            "--shard",
            &format!("{i}/3"),
            "--out",
            &s(&t.join(dir)),
        ]);
        t.join(dir).join(format!("plan.{i}-of-3.tfshard"))
    };
    let (a, b, c) = (shard(1, "5", "a"), shard(2, "5", "a"), shard(3, "5", "a"));
    let out = s(&t.join("out"));
    // Missing.
    let e = fails(&["merge", &s(&a), &s(&c), "--no-charts", "--out", &out]);
    assert!(
        e.contains("plan.2-of-3.tfshard") && e.contains("missing"),
        "{e}"
    );
    // Doubled (a copy under another name).
    let b2 = t.join("copy-of-2.tfshard");
    std::fs::copy(&b, &b2).expect("copy");
    let e = fails(&[
        "merge",
        &s(&a),
        &s(&b),
        &s(&b2),
        &s(&c),
        "--no-charts",
        "--out",
        &out,
    ]);
    assert!(
        e.contains("twice") && e.contains("copy-of-2.tfshard"),
        "{e}"
    );
    // Foreign seed.
    let foreign = shard(2, "6", "f");
    let e = fails(&[
        "merge",
        &s(&a),
        &s(&foreign),
        &s(&c),
        "--no-charts",
        "--out",
        &out,
    ]);
    assert!(e.contains(&s(&foreign)) && e.contains("seed"), "{e}");
    // Foreign version: the header line says another tanfeng.
    let bytes = std::fs::read(&b).expect("read");
    let ours = format!("\"tanfeng_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    let at = bytes
        .windows(ours.len())
        .position(|w| w == ours.as_bytes())
        .expect("version in the header");
    let mut old = bytes[..at].to_vec();
    old.extend_from_slice(b"\"tanfeng_version\":\"0.0.1\"");
    old.extend_from_slice(&bytes[at + ours.len()..]);
    let v = t.join("old").join("plan.2-of-3.tfshard");
    std::fs::create_dir_all(v.parent().expect("parent")).expect("mkdir");
    std::fs::write(&v, old).expect("write");
    let e = fails(&[
        "merge",
        &s(&a),
        &s(&v),
        &s(&c),
        "--no-charts",
        "--out",
        &out,
    ]);
    assert!(e.contains(&s(&v)) && e.contains("0.0.1"), "{e}");
    // Damaged payload.
    let mut bad = bytes.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x55;
    let d = t.join("bad.tfshard");
    std::fs::write(&d, bad).expect("write");
    let e = fails(&[
        "merge",
        &s(&a),
        &s(&d),
        &s(&c),
        "--no-charts",
        "--out",
        &out,
    ]);
    assert!(e.contains("bad.tfshard"), "{e}");
    // Nothing was written by the refused merges; the right set merges.
    assert!(!t.join("out").exists());
    ok(&[
        "merge",
        &s(&c),
        &s(&a),
        &s(&b),
        "--no-charts",
        "--out",
        &out,
    ]);
    assert!(t.join("out/plan/draws.csv").is_file());
    // --shard is checked.
    let e = fails(&["run", "plan", "--shard", "4/3", "--out", &out]);
    assert!(e.contains("--shard"), "{e}");
}
