//! Integration tests through the binary (assert_cmd): reproducibility, outputs and bad input.

use assert_cmd::Command;
use std::path::Path;

fn tanfeng() -> Command {
    Command::cargo_bin("tanfeng").expect("the binary is built")
}

const HEAD: &str = "[scenario]\nid = \"user\"\ntitle_zh = \"用户情景\"\ntitle_en = \"User scenario\"\nextends = \"plan\"\n";

/// Writes a scenario file and returns its path.
fn scenario_file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("temp file is writable");
    p.display().to_string()
}

/// Runs a command that must fail; returns stderr and asserts no output folder was created.
fn fails(dir: &Path, args: &[&str]) -> String {
    let out_dir = dir.join("out");
    let out = tanfeng()
        .args(args)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit code 1 for {args:?}"
    );
    assert!(
        !out_dir.exists(),
        "no output may be written on bad input ({args:?})"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn same_seed_gives_identical_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, sub: &str| {
        tanfeng()
            .args([
                "run",
                "plan",
                "--draws",
                "3000",
                "--seed",
                "7",
                "--threads",
                threads,
                "--no-charts",
                "--out",
            ])
            .arg(dir.path().join(sub))
            .assert()
            .success();
    };
    run("1", "a");
    run("2", "b");
    for f in [
        "summary.csv",
        "draws.csv",
        "years.csv",
        "targets.csv",
        "wedges.csv",
    ] {
        let a = std::fs::read(dir.path().join("a/plan").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("b/plan").join(f)).unwrap();
        assert!(a.len() > 100, "{f} is non-trivial");
        assert!(a == b, "{f} differs between --threads 1 and --threads 2");
    }
    // A different seed changes the draws.
    tanfeng()
        .args([
            "run",
            "plan",
            "--draws",
            "3000",
            "--seed",
            "8",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path().join("c"))
        .assert()
        .success();
    let a = std::fs::read(dir.path().join("a/plan/draws.csv")).unwrap();
    let c = std::fs::read(dir.path().join("c/plan/draws.csv")).unwrap();
    assert!(a != c, "a different seed must give different draws");
}

#[test]
fn run_writes_every_output_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    tanfeng()
        .args([
            "run",
            "plan",
            "--draws",
            "1200",
            "--threads",
            "2",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("co2_intensity_change"))
        // Counts grouped as everywhere else.
        .stdout(predicates::str::contains("1,200 draws, seed"));
    let d = dir.path().join("plan");
    for f in [
        "summary.csv",
        "targets.csv",
        "years.csv",
        "wedges.csv",
        "draws.csv",
        "summary.json",
        "run.json",
    ] {
        assert!(d.join(f).is_file(), "{f} written");
    }
    for f in [
        "summary.csv",
        "targets.csv",
        "years.csv",
        "wedges.csv",
        "ledger.csv",
        "increments.csv",
        "draws.csv",
    ] {
        let csv = std::fs::read(d.join(f)).unwrap();
        assert_eq!(
            &csv[..3],
            &[0xEF, 0xBB, 0xBF],
            "{f}: a UTF-8 BOM by default"
        );
        assert_ne!(&csv[3..6], &[0xEF, 0xBB, 0xBF], "{f}: one BOM only");
    }
    let draws = std::fs::read_to_string(d.join("draws.csv")).unwrap();
    assert_eq!(draws.lines().count(), 1201, "header + one row per draw");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("run.json")).unwrap()).unwrap();
    assert_eq!(meta["draws"], 1200);
    assert_eq!(meta["threads"], 2);
    assert_eq!(meta["scenario_sha256"].as_str().map(str::len), Some(64));
    assert!(meta["date_utc"].as_str().is_some_and(|s| s.ends_with('Z')));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("summary.json")).unwrap()).unwrap();
    let clamped = summary["summary"]["calibration_clamped_draws"]
        .as_u64()
        .expect("the count of draws whose calibration clamped is reported");
    assert!(clamped <= 1200);
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files remain");
}

/// `--no-bom` drops the byte-order mark from every CSV of a run, a comparison, `sensitivity`
/// and `decompose`; `--excel` (the mark, now the default) is still accepted.
#[test]
fn no_bom_writes_plain_csv_and_excel_is_still_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let bom = |p: &Path| {
        let b = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        b.starts_with(&[0xEF, 0xBB, 0xBF])
    };
    let run = |extra: &[&str], out: &str| {
        tanfeng()
            .args([
                "compare",
                "reference",
                "plan",
                "--draws",
                "200",
                "--no-charts",
            ])
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    run(&["--no-bom"], "plain");
    run(&["--excel"], "excel");
    for f in [
        "attainment.csv",
        "differences.csv",
        "plan/summary.csv",
        "plan/draws.csv",
    ] {
        assert!(
            !bom(&dir.path().join("plain/compare").join(f)),
            "{f} with --no-bom"
        );
        assert!(
            bom(&dir.path().join("excel/compare").join(f)),
            "{f} with --excel"
        );
    }
    let csv = std::fs::read_to_string(dir.path().join("plain/compare/plan/summary.csv")).unwrap();
    assert!(csv.starts_with("scenario,indicator,"), "{csv}");
    for (cmd, file, flag) in [
        ("sensitivity", "sensitivity_rank.csv", None),
        ("sensitivity", "sensitivity_rank.csv", Some("--no-bom")),
        ("decompose", "lmdi.csv", None),
        ("decompose", "lmdi.csv", Some("--no-bom")),
    ] {
        tanfeng()
            .args([cmd, "plan", "--draws", "100", "--no-charts"])
            .args(flag)
            .arg("--out")
            .arg(dir.path().join("why"))
            .assert()
            .success();
        let p = dir.path().join("why/plan").join(file);
        assert_eq!(bom(&p), flag.is_none(), "{cmd} {flag:?}");
    }
    tanfeng()
        .args(["run", "plan", "--excel", "--no-bom"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot be used with"));
}

#[test]
fn zero_draws_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = fails(dir.path(), &["run", "plan", "--draws", "0"]);
    assert!(e.contains("--draws") && e.contains("got 0"), "{e}");
}

#[test]
fn unknown_scenario_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = fails(dir.path(), &["run", "plam"]);
    assert!(e.contains("'plam'") && e.contains("plan"), "{e}");
    let e = fails(dir.path(), &["run", "nowhere/x.toml"]);
    assert!(e.contains("nowhere/x.toml"), "{e}");
}

#[test]
fn missing_parent_cycle_and_bad_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let f = scenario_file(
        dir.path(),
        "m.toml",
        &HEAD.replace("extends = \"plan\"", "extends = \"plna\""),
    );
    let e = fails(dir.path(), &["run", &f]);
    assert!(
        e.contains("m.toml:5:11") && e.contains("scenario.extends") && e.contains("'plna'"),
        "{e}"
    );
    scenario_file(
        dir.path(),
        "x.toml",
        &HEAD.replace("extends = \"plan\"", "extends = \"y.toml\""),
    );
    scenario_file(
        dir.path(),
        "y.toml",
        &HEAD.replace("extends = \"plan\"", "extends = \"x.toml\""),
    );
    let e = fails(
        dir.path(),
        &["run", &dir.path().join("x.toml").display().to_string()],
    );
    assert!(
        e.contains("cycle") && e.contains("x.toml") && e.contains("y.toml"),
        "{e}"
    );
    let f = scenario_file(dir.path(), "h.toml", &format!("{HEAD}horizon = 2019\n"));
    let e = fails(dir.path(), &["run", &f]);
    assert!(
        e.contains("h.toml:6:11") && e.contains("scenario.horizon"),
        "{e}"
    );
    let e = fails(dir.path(), &["run", "plan", "--horizon", "2040"]);
    assert!(e.contains("--horizon 2040") && e.contains("2035"), "{e}");
}

#[test]
fn list_explain_validate() {
    tanfeng()
        .arg("list")
        .assert()
        .success()
        .stdout(predicates::str::contains("plan"));
    tanfeng()
        .args(["validate", "plan"])
        .assert()
        .success()
        .stdout(predicates::str::contains("base year 2020"));
    tanfeng().args(["explain", "plan"]).assert().success();
}

/// A user file extending plan with one input table.
fn with_input(dir: &Path, name: &str, table: &str) -> String {
    scenario_file(dir, name, &format!("{HEAD}{table}"))
}

/// One bad input table per case: (file name, table, what the error must contain).
const BAD_INPUTS: [(&str, &str, &[&str]); 6] = [
    (
        "u.toml",
        "[optoins]\ndisplacement = \"imports\"\n",
        &["u.toml:6:2", "'optoins'", "did you mean 'options'"],
    ),
    (
        "o.toml",
        "[options]\ndisplacement = \"import\"\n",
        &["o.toml:7:16", "options.displacement", "imports"],
    ),
    (
        "t.toml",
        "[biomass_chp.plant.tailai.capacity_mw]\nvalue = \"fifty\"\nunit = \"MW\"\nstatus = \"assumption\"\nsource = \"test\"\n",
        &[
            "t.toml:7:9",
            "biomass_chp.plant.tailai.capacity_mw.value",
            "expected a finite number",
        ],
    ),
    (
        "n.toml",
        "[biomass_chp.plant.tailai.capacity_mw]\nvalue = -50\nunit = \"MW\"\nstatus = \"assumption\"\nsource = \"test\"\n",
        &["n.toml:7:9", "-50 is outside the allowed range [0,"],
    ),
    (
        "m.toml",
        "[biomass_chp.plant.tailai.delay_months]\ndist = \"triangular\"\nmin = 20\nmode = 6\nmax = 4\nunit = \"months\"\nstatus = \"assumption\"\nsource = \"test\"\n",
        &[
            "m.toml:6:1",
            "biomass_chp.plant.tailai.delay_months",
            "triangular",
        ],
    ),
    (
        "p.toml",
        "[biomass_chp.plant.tailai.delay_months]\ndist = \"discrete\"\nvalues = [0, 12, 24]\nprobs = [0.5, 0.3, 0.3]\nunit = \"months\"\nstatus = \"assumption\"\nsource = \"test\"\n",
        &["p.toml:6:1", "delay_months", "1.1"],
    ),
];

/// An unknown key (with a suggestion), a value outside an option's choices, a wrong type, a
/// value outside its range, min above max, probabilities not summing to 1: each is rejected
/// at its position with the key and the rule it breaks.
#[test]
fn bad_input_tables_are_rejected_at_their_position() {
    let dir = tempfile::tempdir().unwrap();
    for (name, table, wanted) in BAD_INPUTS {
        let f = with_input(dir.path(), name, table);
        let e = fails(dir.path(), &["run", &f]);
        for w in wanted {
            assert!(e.contains(w), "{name}: '{w}' missing from: {e}");
        }
    }
}

#[test]
fn non_positive_definite_correlations_name_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let corr = |a: &str, b: &str, rho: f64| {
        format!("[[correlation]]\na = \"{a}\"\nb = \"{b}\"\nrho = {rho}\n")
    };
    let a = "biomass_chp.plant.fuyu.delay_months";
    let b = "biomass_chp.plant.nehe.delay_months";
    let c = "biomass_chp.plant.nianzishan.delay_months";
    let f = with_input(
        dir.path(),
        "c.toml",
        &format!("{}{}{}", corr(a, b, 0.9), corr(b, c, 0.9), corr(a, c, -0.9)),
    );
    let e = fails(dir.path(), &["run", &f]);
    assert!(
        e.contains("c.toml:") && e.contains("positive definite"),
        "{e}"
    );
    for name in [a, b, c] {
        assert!(e.contains(name), "{name} missing from: {e}");
    }
}

#[test]
fn compare_without_names_runs_every_shipped_scenario_to_the_longest_horizon() {
    let dir = tempfile::tempdir().unwrap();
    tanfeng()
        .args(["compare", "--draws", "300", "--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("peak-2030"));
    let att = std::fs::read_to_string(dir.path().join("compare/attainment.csv")).unwrap();
    for id in ["reference", "plan", "accelerated", "delayed", "peak-2030"] {
        assert!(att.contains(&format!("P(met) {id}")), "{id} in {att}");
    }
}

#[test]
fn the_readme_yearbook_example_validates() {
    let readme = std::fs::read_to_string("README.md").expect("README is readable");
    let start = readme
        .find("```toml\n[scenario]\nid = \"plan-yearbook\"")
        .expect("example present");
    let body = &readme[start + "```toml\n".len()..];
    let end = body.find("```").expect("example closed");
    let dir = tempfile::tempdir().unwrap();
    let f = scenario_file(dir.path(), "plan-yearbook.toml", &body[..end]);
    tanfeng()
        .args(["validate", &f])
        .assert()
        .success()
        .stdout(predicates::str::contains("plan-yearbook"));
}

#[test]
fn a_closed_stdout_pipe_is_not_a_crash() {
    // `tanfeng explain plan | head -1`: the reader goes away after the first line. The
    // explanation (> 100 KB) overflows the pipe buffer, so the writes after it must fail.
    let bin = assert_cmd::cargo::cargo_bin("tanfeng");
    let mut child = std::process::Command::new(bin)
        .args(["explain", "plan"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().expect("stdout is piped");
    std::io::Read::read_exact(&mut stdout, &mut first).expect("some output arrives");
    drop(stdout);
    let out = child.wait_with_output().expect("the binary finishes");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
