//! `sensitivity`, `decompose` and `target` through the binary (assert_cmd).

use assert_cmd::Command;
use std::time::Duration;

fn tanfeng() -> Command {
    let mut c = Command::cargo_bin("tanfeng").expect("the binary is built");
    c.timeout(Duration::from_secs(120));
    c
}

#[test]
fn unreachable_target_fails_with_a_clear_message_and_exit_code_1() {
    let out = tanfeng()
        .args([
            "target",
            "plan",
            "--indicator",
            "energy_intensity_change",
            "--probability",
            "0.999",
            "--lever",
            "scale:calibration.residual_intensity_decline",
            "--range",
            "1,1.01",
            "--draws",
            "200",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unreachable"), "{err}");
    assert!(err.contains("energy_intensity"), "{err}");
    assert!(err.contains("widen --range"), "{err}");
}

#[test]
fn bad_lever_and_unknown_indicator_are_errors() {
    let out = tanfeng()
        .args([
            "target",
            "plan",
            "--indicator",
            "co2_intensity_change",
            "--probability",
            "0.9",
            "--lever",
            "add:power.no_such_thing",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("power.no_such_thing"));
    let out = tanfeng()
        .args(["sensitivity", "plan", "--indicator", "nope", "--no-charts"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("co2_intensity_change"));
}

#[test]
fn found_lever_value_is_printed_with_its_interval() {
    let out = tanfeng()
        .args([
            "target",
            "plan",
            "--indicator",
            "co2_intensity_change",
            "--probability",
            "0.97",
            "--lever",
            "add:power.wind_new_mw",
            "--range",
            "0,6000",
            "--draws",
            "300",
        ])
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text.contains("add:power.wind_new_mw = "), "{text}");
    assert!(text.contains("95 % interval"), "{text}");
}

#[test]
fn rank_sensitivity_and_decompose_write_their_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    tanfeng()
        .args([
            "sensitivity",
            "plan",
            "--draws",
            "400",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("plan/sensitivity_rank.csv"))
        .expect("rank CSV written");
    let header = csv.lines().next().unwrap_or_default();
    let header = header
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 BOM before the header");
    assert!(
        header.starts_with("indicator,input,spearman,srrc,srrc_r_squared,separation_"),
        "{header}"
    );
    // One row per (indicator, uncertain input) plus the header.
    assert!(csv.lines().count() > 5 * 200, "{}", csv.lines().count());
    tanfeng()
        .args([
            "decompose",
            "plan",
            "--draws",
            "200",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let lmdi = std::fs::read_to_string(dir.path().join("plan/lmdi.csv")).expect("lmdi written");
    assert!(lmdi.contains("2025,activity,"), "{lmdi}");
    assert!(lmdi.contains("2025,electricity_trade,"), "{lmdi}");
}
