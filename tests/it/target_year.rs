//! Every output of `compare` reports an indicator in its target's year (the first target on
//! it), in the horizon year when it has none (MODEL.md §2): `summary.csv` of each scenario,
//! `differences.csv` (with a `year` column), `attainment.csv`, and the comparison charts'
//! captions in the briefing.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::Path;

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("a CSV file");
    let header: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn compare_reports_each_indicator_in_its_targets_year() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::cargo_bin("tanfeng")
        .expect("the binary is built")
        .args(["compare", "--draws", "200", "--no-charts", "--out"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmp = dir.path().join("compare");
    let mut targeted = 0;
    let mut plan_year: HashMap<String, String> = HashMap::new();
    for id in ["reference", "plan", "accelerated", "delayed", "peak-2030"] {
        let targets = rows(&cmp.join(id).join("targets.csv"));
        let summary = rows(&cmp.join(id).join("summary.csv"));
        assert!(!summary.is_empty());
        for s in &summary {
            let ind = &s["indicator"];
            let want = targets
                .iter()
                .find(|t| &t["indicator"] == ind)
                .map_or("2030", |t| t["year"].as_str());
            assert_eq!(&s["year"], want, "{id} {ind}: summary.csv year");
            if want != "2030" {
                targeted += 1;
            }
            if id == "reference" {
                plan_year.insert(ind.clone(), s["year"].clone());
            }
        }
    }
    // The shipped plan targets are for 2025 in a comparison run to 2030.
    assert!(
        targeted >= 5 * 5,
        "only {targeted} indicators in a target year"
    );
    let diffs = rows(&cmp.join("differences.csv"));
    assert!(!diffs.is_empty());
    for d in &diffs {
        let ind = &d["indicator"];
        assert_eq!(
            Some(&d["year"]),
            plan_year.get(ind),
            "differences.csv: {ind} against the baseline's year"
        );
    }
    assert!(
        diffs
            .iter()
            .any(|d| d["indicator"] == "nox_key_project_reduction_t" && d["year"] == "2025")
    );
    for a in rows(&cmp.join("attainment.csv")) {
        assert!(a["year"] == "2025" || a["year"] == "2030", "{a:?}");
    }
}
