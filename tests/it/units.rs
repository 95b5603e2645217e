//! The unit convention (issue 20: one unit per indicator, as the plan states it) covers every
//! indicator a real run reports: `summary.csv` of the shipped `peak-2030` (all nine indicators)
//! lists each with the unit string the model's typed unit is written as, and each is formatted
//! in the plan's unit.

use assert_cmd::Command;
use tanfeng::cli::load::load;
use tanfeng::present::charts::Lang;
use tanfeng::present::units::format_indicator;

#[test]
fn every_indicator_of_a_real_run_is_shown_in_the_plans_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::cargo_bin("tanfeng")
        .expect("the binary is built")
        .args(["run", "peak-2030", "--draws", "50", "--no-charts", "--out"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded = load("peak-2030", None).expect("peak-2030 loads");
    let defs = loaded.model.indicator_defs();
    let mut r = csv::Reader::from_path(dir.path().join("peak-2030").join("summary.csv"))
        .expect("summary.csv");
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.expect("a record");
        let (name, unit) = (&rec[1], &rec[3]);
        let def = defs
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("{name} is one of the model's indicators"));
        assert_eq!(def.unit.as_str(), unit, "{name}: unit as written");
        let zh = format_indicator(1234.0, def.unit, Lang::Zh);
        let en = format_indicator(1234.0, def.unit, Lang::En);
        // By the name and the written unit, independently of the type.
        let want: (&str, &str) = match (name, unit) {
            (_, "fraction") => ("123400.0 %", "123,400.0 %"),
            (_, "year") => ("1234", "1234"),
            (n, "t") if n.starts_with("nox") || n.starts_with("vocs") => ("1234 吨", "1,234 t"),
            (n, "t") if n.starts_with("co2") => ("0.123 万吨 CO₂", "0.123 10⁴ t CO₂"),
            (_, "tce") => ("0.123 万吨标准煤", "0.123 10⁴ tce"),
            other => panic!("indicator {other:?} has no unit in the convention"),
        };
        assert_eq!((zh.as_str(), en.as_str()), want, "{name}");
        n += 1;
    }
    assert_eq!(n, 9, "peak-2030 reports nine indicators");
}
