//! Outputs are all or nothing and stay inside `--out` (issue 19): reserved ids, failed and
//! interrupted runs, foreign content, concurrent runs, planted symbolic links. Through the
//! binary, small draws, no charts unless the writing needs to take a while.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("tanfeng")
}

/// `tanfeng run plan --no-charts --draws N --seed S --out OUT` as a command to spawn.
fn run_cmd(out: &Path, scenario: &str, draws: u32, seed: u32) -> Command {
    let mut c = Command::new(bin());
    c.args(["run", scenario, "--no-charts", "--threads", "1"])
        .args(["--draws", &draws.to_string(), "--seed", &seed.to_string()])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn run_ok(out: &Path, scenario: &str, draws: u32, seed: u32) {
    let o = run_cmd(out, scenario, draws, seed).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Every entry below `dir` (relative path → content; folders and links marked), not following
/// links.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_symlink() {
                let to = std::fs::read_link(&p).unwrap();
                out.insert(rel, format!("link → {}", to.display()).into_bytes());
            } else if meta.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Names in `out` left by a writer (staging folders, old results kept aside, temporaries).
fn leftovers(out: &Path) -> Vec<String> {
    snapshot(out)
        .into_keys()
        .filter(|k| k.contains(".tanfeng-") || k.contains(".tmp"))
        .collect()
}

#[test]
fn a_scenario_id_naming_an_output_folder_is_rejected_and_the_comparison_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = Command::new(bin())
        .args([
            "compare",
            "reference",
            "plan",
            "--draws",
            "20",
            "--no-charts",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&out);
    assert!(before.contains_key("compare/attainment.csv"));
    for id in ["compare", "charts"] {
        let f = dir.path().join(format!("{id}.toml"));
        std::fs::write(
            &f,
            format!(
                "[scenario]\nid = \"{id}\"\ntitle_zh = \"x\"\ntitle_en = \"x\"\nextends = \"plan\"\n"
            ),
        )
        .unwrap();
        for cmd in ["run", "validate"] {
            let mut c = Command::new(bin());
            c.arg(cmd).arg(&f);
            if cmd == "run" {
                c.args(["--draws", "20", "--no-charts", "--out"]).arg(&out);
            }
            let o = c.output().unwrap();
            let e = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{cmd} {id}: {e}");
            assert!(
                e.contains(&format!("{}:2:", f.display()))
                    && e.contains("scenario.id")
                    && e.contains("reserved: compare, charts"),
                "{e}"
            );
        }
    }
    assert!(snapshot(&out) == before, "the comparison is untouched");
}

/// Runs `run plan` with a file-size limit of 64 blocks (32 or 64 kB), so writing the larger
/// files (`summary.json`, `draws.csv`) fails after the smaller ones were written.
fn run_with_file_size_limit(out: &Path) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
        .arg(bin())
        .args([
            "run",
            "plan",
            "--draws",
            "4000",
            "--seed",
            "2",
            "--no-charts",
        ])
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_run_failing_half_way_leaves_the_earlier_result_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, "plan", 30, 1);
    let before = snapshot(&out);
    let o = run_with_file_size_limit(&out);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    let plan = out.join("plan").display().to_string();
    assert!(
        e.contains(&format!("cannot write {plan}/"))
            && e.contains("File too large")
            && !e.contains("summary.csv"),
        "{e}"
    );
    assert!(
        !e.contains(".tanfeng-staging"),
        "the message names the result's path: {e}"
    );
    assert!(snapshot(&out) == before, "earlier result byte-identical");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn foreign_content_is_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, "plan", 30, 1);
    let plan = out.join("plan");
    std::fs::remove_file(plan.join("targets.csv")).unwrap();
    std::fs::create_dir(plan.join("targets.csv")).unwrap();
    let before = snapshot(&out);
    let o = run_cmd(&out, "plan", 30, 2).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains(&plan.join("targets.csv").display().to_string())
            && e.contains("a folder where a file goes")
            && e.contains("nothing was changed"),
        "{e}"
    );
    assert!(snapshot(&out) == before);
    // A file of the user's is refused too, naming it.
    std::fs::remove_dir(plan.join("targets.csv")).unwrap();
    std::fs::write(plan.join("my notes.txt"), "mine").unwrap();
    let before = snapshot(&out);
    let o = run_cmd(&out, "plan", 30, 2).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("my notes.txt"), "{e}");
    assert!(snapshot(&out) == before);
    assert!(leftovers(&out).is_empty());
}

#[test]
fn two_concurrent_runs_never_mix_files() {
    let dir = tempfile::tempdir().unwrap();
    // The complete results of each seed, written alone.
    let reference: Vec<BTreeMap<String, Vec<u8>>> = [1, 2]
        .iter()
        .map(|&seed| {
            let out = dir.path().join(format!("alone{seed}"));
            run_ok(&out, "plan", 20, seed);
            snapshot(&out.join("plan"))
        })
        .collect();
    // run.json and summary.json carry the date and timings: compared by their seed only.
    let comparable = |s: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        s.iter()
            .filter(|(k, _)| !k.ends_with(".json"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let seed_of = |bytes: &[u8]| -> u64 {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        v["seed"]
            .as_u64()
            .or_else(|| v["run"]["seed"].as_u64())
            .or_else(|| v["meta"]["seed"].as_u64())
            .unwrap_or(0)
    };
    assert_ne!(comparable(&reference[0]), comparable(&reference[1]));
    let out = dir.path().join("shared");
    for rep in 0..50 {
        let children: Vec<_> = [1, 2]
            .iter()
            .map(|&seed| run_cmd(&out, "plan", 20, seed).spawn().unwrap())
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let got = snapshot(&out.join("plan"));
        let which = reference
            .iter()
            .position(|r| comparable(r) == comparable(&got))
            .unwrap_or_else(|| panic!("repetition {rep}: files of both runs are mixed"));
        let seed = which as u64 + 1;
        assert_eq!(seed_of(&got["run.json"]), seed, "run.json of the same run");
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            reference[which].keys().collect::<Vec<_>>()
        );
        assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    }
}

/// Starts `run plan` with charts (so writing takes a while) and waits until its staging
/// folder appears in `out`; returns the child, or `None` if it finished first.
fn start_writing(out: &Path, seed: u32) -> Option<std::process::Child> {
    let mut c = Command::new(bin());
    c.args(["run", "plan", "--draws", "2000", "--threads", "1"])
        .args(["--seed", &seed.to_string()])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        let staging = std::fs::read_dir(out).ok().is_some_and(|rd| {
            rd.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".tanfeng-staging-")
            })
        });
        if staging {
            return Some(child);
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no staging folder appeared");
}

#[test]
fn sigint_and_sigkill_while_writing_keep_the_earlier_result() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, "plan", 30, 1);
    let before = snapshot(&out);
    let mut interrupted = 0;
    for (k, delay_ms) in [0u64, 1, 2, 5, 10, 25, 60].into_iter().enumerate() {
        for signal in ["INT", "KILL"] {
            let Some(mut child) = start_writing(&out, 100 + k as u32) else {
                continue;
            };
            std::thread::sleep(Duration::from_millis(delay_ms));
            let pid = child.id().to_string();
            let sent = Command::new("kill")
                .args([format!("-{signal}"), pid])
                .status()
                .unwrap();
            assert!(sent.success());
            let status = child.wait().unwrap();
            let now = snapshot(&out);
            let result: BTreeMap<_, _> = now
                .iter()
                .filter(|(k, _)| k.starts_with("plan"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if status.success() {
                // Finished before the signal: the new result, complete.
                assert!(
                    result.contains_key("plan/briefing.html"),
                    "{signal} {delay_ms}"
                );
                continue;
            }
            interrupted += 1;
            let earlier: BTreeMap<_, _> = before
                .iter()
                .filter(|(k, _)| k.starts_with("plan"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            // Interrupted: the earlier result, byte-identical (it may have been replaced by
            // an earlier iteration's completed run; then that one, intact).
            if result != earlier {
                assert!(
                    result.contains_key("plan/briefing.html")
                        && result.contains_key("plan/draws.csv"),
                    "SIG{signal} after {delay_ms} ms left a partial result"
                );
            }
            if signal == "INT" {
                assert!(
                    leftovers(&out).is_empty(),
                    "SIGINT removes the staging folder: {:?}",
                    leftovers(&out)
                );
            }
            // The next run removes what a killed run left.
            run_ok(&out, "reference", 10, 1);
            assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
            std::fs::remove_dir_all(out.join("reference")).unwrap();
        }
    }
    assert!(
        interrupted >= 5,
        "only {interrupted} runs were interrupted while writing"
    );
}

#[test]
fn planted_links_at_staging_and_temporary_paths_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let victim = dir.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("precious"), "keep").unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let victim_before = snapshot(&victim);
    // Links where staging folders and old results kept aside go.
    symlink(&victim, out.join(".tanfeng-staging-planted")).unwrap();
    symlink(&victim, out.join(".tanfeng-aside-plan")).unwrap();
    run_ok(&out, "plan", 20, 1);
    assert!(
        !std::fs::symlink_metadata(out.join("plan"))
            .unwrap()
            .is_symlink()
    );
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    // Links at temporary names inside the result (this version's and the old `.NAME.tmp-PID`).
    let precious = victim.join("precious");
    for name in [
        ".tanfeng-tmp-abcdef",
        ".summary.csv.tmp-1",
        ".draws.csv.tmp-99999",
    ] {
        symlink(&precious, out.join("plan").join(name)).unwrap();
    }
    run_ok(&out, "plan", 20, 2);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    // A link at a result file or at the result folder is refused, not followed.
    let before = snapshot(&out);
    std::fs::remove_file(out.join("plan/summary.csv")).unwrap();
    symlink(&precious, out.join("plan/summary.csv")).unwrap();
    let o = run_cmd(&out, "plan", 20, 3).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("summary.csv") && e.contains("a symbolic link"),
        "{e}"
    );
    std::fs::remove_file(out.join("plan/summary.csv")).unwrap();
    std::fs::write(out.join("plan/summary.csv"), &before["plan/summary.csv"]).unwrap();
    std::fs::rename(out.join("plan"), dir.path().join("moved")).unwrap();
    symlink(&victim, out.join("plan")).unwrap();
    let o = run_cmd(&out, "plan", 20, 3).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("a symbolic link"), "{e}");
    assert!(
        snapshot(&victim) == victim_before,
        "nothing outside --out changed"
    );
}
