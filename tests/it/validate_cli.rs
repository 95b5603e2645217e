//! `validate` makes every check `run` makes, and messages name the right file, line, column and
//! key (issue 19). Through the binary.

use std::path::Path;
use std::process::Command;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("tanfeng")
}

const HEAD: &str =
    "[scenario]\nid = \"user\"\ntitle_zh = \"用户\"\ntitle_en = \"User\"\nextends = \"plan\"\n";

/// Writes `text` to `dir/name`; returns the path as text.
fn file(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs `tanfeng ARGS`, expects exit code `code`, returns stderr; nothing on stdout.
fn fails_with(code: i32, args: &[&str]) -> String {
    let o = Command::new(bin()).args(args).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "{args:?}: {e}");
    assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
    e
}

/// `validate` and `run` both reject the file with the same placed message.
fn both_reject(dir: &Path, f: &str) -> String {
    let v = fails_with(1, &["validate", f]);
    let out = dir.join("out");
    let r = fails_with(
        1,
        &[
            "run",
            f,
            "--draws",
            "10",
            "--no-charts",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(!out.exists(), "no output for a rejected scenario");
    let first = |s: &str| {
        let last = s.lines().last().unwrap_or("");
        last.trim_start()
            .trim_start_matches("error: ")
            .trim_start_matches("caused by: ")
            .to_string()
    };
    assert_eq!(first(&v), first(&r), "validate and run say the same");
    v
}

#[test]
fn targets_the_model_cannot_check_are_caught_by_validate_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(
        dir.path(),
        "t.toml",
        &format!(
            "{HEAD}\n[[target]]\nid = \"x\"\nindicator = \"co2_intensty_change\"\ncomparison = \"at_most\"\nthreshold = 0\nyear = 2025\nsource = \"s\"\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:9:13: key 'target.indicator'"))
            && e.contains("co2_intensty_change")
            && e.contains("co2_intensity_change"),
        "{e}"
    );
    let f = file(
        dir.path(),
        "y.toml",
        &format!(
            "{HEAD}\n[[target]]\nid = \"x\"\nindicator = \"co2_intensity_change\"\ncomparison = \"at_most\"\nthreshold = 0\nyear = 2030\nsource = \"s\"\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:12:8: key 'target.year'")) && e.contains("2020–2025"),
        "{e}"
    );
}

#[test]
fn share_vectors_must_sum_to_one_and_be_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(
        dir.path(),
        "s.toml",
        &format!(
            "{HEAD}\n[nonroad.share_2020]\nstage4 = {{ value = 0.65, unit = \"fraction\", status = \"assumption\", source = \"x\" }}\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:8:"))
            && e.contains("key 'nonroad.share_2020.stage4'")
            && e.contains("sum to 1.65"),
        "{e}"
    );
    // Within 1e-6 is accepted: 0.25 + 0.35 + 0.4 − 1e-7 moved to stage4.
    let f = file(
        dir.path(),
        "ok.toml",
        &format!(
            "{HEAD}\n[nonroad.share_2020]\nstage3 = {{ value = 0.3999999, unit = \"fraction\", status = \"assumption\", source = \"x\" }}\n"
        ),
    );
    let o = Command::new(bin()).args(["validate", &f]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f = file(
        dir.path(),
        "d.toml",
        &format!(
            "{HEAD}\n[industry.share_2020]\ncoal = {{ dist = \"triangular\", min = 0.5, mode = 0.6, max = 0.7, unit = \"fraction\", status = \"assumption\", source = \"x\" }}\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:8:")) && e.contains("must be a fixed value"),
        "{e}"
    );
}

#[test]
fn a_correlation_pair_declared_twice_in_either_order_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let pair = |a: &str, b: &str, rho: f64| {
        format!("\n[[correlation]]\na = \"{a}\"\nb = \"{b}\"\nrho = {rho}\n")
    };
    let f = file(
        dir.path(),
        "c.toml",
        &format!(
            "{HEAD}{}{}",
            pair("economy.industry_va_growth", "economy.gdp_growth@2023", 0.3),
            pair("economy.gdp_growth@2023", "economy.industry_va_growth", 0.6)
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:12:1: key 'correlation'"))
            && e.contains(&format!("already declared at {f}:7:1")),
        "{e}"
    );
}

#[test]
fn an_input_without_value_or_dist_says_which_keys_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(
        dir.path(),
        "n.toml",
        &format!(
            "{HEAD}\n[fleet.taxi.stock_2020]\nmean = 8000.0\nsd = 500.0\nunit = \"vehicles\"\nstatus = \"assumption\"\nsource = \"x\"\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:7:"))
            && e.contains("fleet.taxi.stock_2020.value")
            && e.contains("dist")
            && !e.contains("allowed here: \n")
            && !e.trim_end().ends_with("allowed here:"),
        "{e}"
    );
    // A misspelled `value` is named on its own line, with the suggestion.
    let f = file(
        dir.path(),
        "v.toml",
        &format!(
            "{HEAD}\n[fleet.taxi.stock_2020]\nunit = \"vehicles\"\nstatus = \"assumption\"\nsource = \"x\"\nvaleu = 8000.0\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!(
            "{f}:11:1: unknown key 'fleet.taxi.stock_2020.valeu'"
        )) && e.contains("did you mean 'value'"),
        "{e}"
    );
}

#[test]
fn an_error_caused_by_the_users_file_points_at_it_not_at_the_parent() {
    let dir = tempfile::tempdir().unwrap();
    // plan.toml correlates this input with GDP growth; making it constant is the user's doing.
    let f = file(
        dir.path(),
        "k.toml",
        &format!(
            "{HEAD}\n[economy]\nindustry_va_growth = {{ value = 0.05, unit = \"fraction/yr\", status = \"assumption\", source = \"x\" }}\n"
        ),
    );
    let e = both_reject(dir.path(), &f);
    assert!(
        e.contains(&format!("{f}:8:")) && e.contains("key 'economy.industry_va_growth'"),
        "{e}"
    );
}

#[test]
fn negative_numbers_for_numeric_options_name_the_option() {
    for (args, opt) in [
        (vec!["run", "plan", "--draws", "-1"], "--draws"),
        (vec!["run", "plan", "--seed", "-5"], "--seed"),
        (vec!["compare", "--threads", "-2"], "--threads"),
        (vec!["decompose", "plan", "--draws", "-10"], "--draws"),
        (vec!["sensitivity", "plan", "--boot", "-1"], "--boot"),
    ] {
        let e = fails_with(2, &args);
        assert!(
            e.contains(&format!("'{}'", args[args.len() - 1]))
                && e.contains(opt)
                && e.contains("negative number is not allowed"),
            "{args:?}: {e}"
        );
        assert!(!e.contains("unexpected argument"), "{e}");
    }
    let e = fails_with(2, &["run", "plan", "--draws", "1.5"]);
    assert!(e.contains("--draws") && e.contains("whole number"), "{e}");
}

#[test]
fn extends_never_prints_the_content_of_a_file_that_is_not_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = [
        (
            "secret.toml",
            "password = \"hunter2\"\n[database]\nuser = \"root\"\n",
        ),
        ("passwd", "root:x:0:0:root:/root:/bin/bash\nhunter2\n"),
        ("broken.toml", "[[[ hunter2 = \n"),
    ];
    for (name, text) in secrets {
        file(dir.path(), name, text);
        let f = file(
            dir.path(),
            "child.toml",
            &HEAD.replace("extends = \"plan\"", &format!("extends = \"./{name}\"")),
        );
        for args in [vec!["validate", f.as_str()], vec!["explain", f.as_str()]] {
            let e = fails_with(1, &args);
            assert!(
                e.contains(&format!("{f}:5:11: key 'scenario.extends'"))
                    && e.contains("is not a tanfeng scenario"),
                "{name}: {e}"
            );
            for secret in ["hunter2", "password", "database", "root"] {
                assert!(!e.contains(secret), "{name}: {e}");
            }
        }
        // Named directly on the command line: the same.
        let p = dir.path().join(name).display().to_string();
        let e = fails_with(1, &["validate", &p]);
        assert!(e.contains("is not a tanfeng scenario"), "{e}");
        assert!(!e.contains("hunter2") && !e.contains("database"), "{e}");
    }
    // A scenario file with broken TOML still gets its syntax error.
    let f = file(dir.path(), "bad.toml", &format!("{HEAD}\n[economy\n"));
    let e = fails_with(1, &["validate", &f]);
    assert!(
        e.contains(&format!("{f}:7:")) && e.contains("TOML syntax error"),
        "{e}"
    );
}
