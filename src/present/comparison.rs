//! What `compare` shows of a comparison: `attainment.csv` (targets as rows, one probability
//! column per scenario), `differences.csv` (paired differences against the first scenario),
//! `compare.json`, and the report printed at the end (the attainment table, coloured on a
//! colour terminal, and the accounting conventions).

use std::fmt::Write as _;

use crate::analysis::compare::{Attainment, PairedDiff};
use crate::present::tables::{CsvFlavor, RunMeta, csv_bytes, num};

/// Target rows (id, indicator, year) in first-appearance order.
fn target_rows(att: &[Attainment]) -> Vec<(String, String, i32)> {
    let mut rows: Vec<(String, String, i32)> = Vec::new();
    for a in att {
        if !rows.iter().any(|r| r.0 == a.target) {
            rows.push((a.target.clone(), a.indicator.clone(), a.year));
        }
    }
    rows
}

/// The cell of scenario `s` and target `id`, if that scenario has the target.
fn cell<'a>(att: &'a [Attainment], s: &str, id: &str) -> Option<&'a Attainment> {
    att.iter().find(|a| a.scenario == s && a.target == id)
}

/// `attainment.csv`: targets as rows (with the target's year), one probability column per
/// scenario plus Wilson bounds; empty cells where a scenario lacks the target.
pub(crate) fn attainment_csv(
    att: &[Attainment],
    scenarios: &[String],
    flavor: CsvFlavor,
) -> Vec<u8> {
    let mut header = vec!["target".to_string(), "indicator".into(), "year".into()];
    for s in scenarios {
        header.push(format!("P(met) {s}"));
        header.push(format!("low95 {s}"));
        header.push(format!("high95 {s}"));
    }
    let rows: Vec<Vec<String>> = target_rows(att)
        .into_iter()
        .map(|(id, ind, year)| {
            let mut r = vec![id.clone(), ind, year.to_string()];
            for s in scenarios {
                match cell(att, s, &id) {
                    Some(a) => r.extend([num(a.probability), num(a.low95), num(a.high95)]),
                    None => r.extend([String::new(), String::new(), String::new()]),
                }
            }
            r
        })
        .collect();
    csv_bytes(flavor, &header, &rows)
}

/// `differences.csv`: paired differences against the baseline, each in its year.
pub(crate) fn differences_csv(d: &[PairedDiff], flavor: CsvFlavor) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario",
        "baseline",
        "indicator",
        "unit",
        "year",
        "mean_difference",
        "sd",
        "p5",
        "p95",
        "se_mean",
        "draws",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = d
        .iter()
        .map(|x| {
            vec![
                x.scenario.clone(),
                x.baseline.clone(),
                x.indicator.clone(),
                x.unit.to_string(),
                x.year.to_string(),
                num(x.mean),
                num(x.sd),
                num(x.p5),
                num(x.p95),
                num(x.se_mean),
                x.n.to_string(),
            ]
        })
        .collect();
    csv_bytes(flavor, &header, &rows)
}

/// `compare.json` (and the `--format json` output): scenarios, seed, draws, attainment cells
/// and paired differences.
pub(crate) fn compare_json(
    scenarios: &[String],
    seed: u64,
    draws: u64,
    attainment: &[Attainment],
    differences: &[PairedDiff],
) -> serde_json::Result<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        scenarios: &'a [String],
        seed: u64,
        draws: u64,
        attainment: &'a [Attainment],
        differences: &'a [PairedDiff],
    }
    serde_json::to_vec_pretty(&Doc {
        scenarios,
        seed,
        draws,
        attainment,
        differences,
    })
}

/// The terminal table: targets (with their year) as rows, scenarios as columns, P(met) in %;
/// on a colour terminal (`color`) green from 90 %, yellow from 50 %, red below.
pub(crate) fn attainment_table(att: &[Attainment], scenarios: &[String], color: bool) -> String {
    let mut out = format!("{:<34}", "target (year)");
    for s in scenarios {
        out.push_str(&format!(" {s:>12}"));
    }
    out.push('\n');
    for (id, _, year) in target_rows(att) {
        out.push_str(&format!("{:<34}", format!("{id} ({year})")));
        for s in scenarios {
            let cell = cell(att, s, &id);
            let text = cell.map_or("–".to_string(), |a| {
                format!("{:.1} %", a.probability * 100.0)
            });
            let padded = format!(" {text:>12}");
            match (color, cell) {
                (true, Some(a)) => {
                    let code = if a.probability >= 0.9 {
                        "32"
                    } else if a.probability >= 0.5 {
                        "33"
                    } else {
                        "31"
                    };
                    out.push_str(&format!("\x1b[{code}m{padded}\x1b[0m"));
                }
                _ => out.push_str(&padded),
            }
        }
        out.push('\n');
    }
    out
}

/// The report `compare` prints in table format (before the line naming the result folder):
/// a title with draws and seed, the [`attainment_table`], and the accounting conventions —
/// one line when every scenario counts alike, else one per scenario.
pub(crate) fn terminal_report(
    att: &[Attainment],
    scenarios: &[String],
    metas: &[RunMeta],
    (draws, seed): (u64, u64),
    color: bool,
) -> String {
    let mut out = format!(
        "Probability of meeting each target — {} draws, seed {seed}\n",
        crate::present::units::count(draws)
    );
    out.push_str(&attainment_table(att, scenarios, color));
    match metas.first() {
        Some(m0) if metas.iter().all(|m| m.accounting_en == m0.accounting_en) => {
            let _ = writeln!(out, "accounting: {}", m0.accounting_en);
        }
        _ => {
            for m in metas {
                let _ = writeln!(out, "accounting ({}): {}", m.scenario, m.accounting_en);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(scenario: &str, target: &str, indicator: &str, year: i32, p: f64) -> Attainment {
        Attainment {
            scenario: scenario.into(),
            target: target.into(),
            indicator: indicator.into(),
            year,
            probability: p,
            low95: p - 0.01,
            high95: p + 0.01,
        }
    }

    /// Two scenarios; `nox_2025` only in the first, `peak_2030` only in the second.
    fn fixture() -> (Vec<Attainment>, Vec<String>) {
        let att = vec![
            cell("plan", "co2_2025", "co2_intensity_change", 2025, 0.25),
            cell(
                "plan",
                "nox_2025",
                "nox_key_project_reduction_t",
                2025,
                0.95,
            ),
            cell("peak", "co2_2025", "co2_intensity_change", 2025, 0.5),
            cell("peak", "peak_2030", "co2_peak_year", 2030, 0.125),
        ];
        (att, vec!["plan".to_string(), "peak".to_string()])
    }

    fn lines(csv: &[u8]) -> Vec<String> {
        String::from_utf8(csv.to_vec())
            .unwrap()
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }

    #[test]
    fn attainment_csv_has_one_row_per_target_in_its_year() {
        let (att, ids) = fixture();
        let l = lines(&attainment_csv(&att, &ids, CsvFlavor::Plain));
        assert_eq!(
            l,
            [
                "target,indicator,year,P(met) plan,low95 plan,high95 plan,P(met) peak,low95 peak,high95 peak",
                "co2_2025,co2_intensity_change,2025,0.25,0.24,0.26,0.5,0.49,0.51",
                "nox_2025,nox_key_project_reduction_t,2025,0.95,0.94,0.96,,,",
                "peak_2030,co2_peak_year,2030,,,,0.125,0.115,0.135",
            ]
        );
        let bom = attainment_csv(&att, &ids, CsvFlavor::Bom);
        assert_eq!(&bom[..3], &[0xEF, 0xBB, 0xBF]);
    }

    #[test]
    fn differences_csv_names_unit_and_year() {
        let d = PairedDiff {
            scenario: "plan".into(),
            baseline: "reference".into(),
            indicator: "nox_total_t".into(),
            unit: crate::model::indicators::Unit::Tonnes,
            year: 2025,
            mean: -1.5,
            sd: 0.25,
            p5: -2.0,
            p95: f64::NAN,
            se_mean: 0.0025,
            n: 10_000,
        };
        let l = lines(&differences_csv(&[d], CsvFlavor::Plain));
        assert_eq!(
            l,
            [
                "scenario,baseline,indicator,unit,year,mean_difference,sd,p5,p95,se_mean,draws",
                "plan,reference,nox_total_t,t,2025,-1.5,0.25,-2,,0.0025,10000",
            ]
        );
    }

    #[test]
    fn attainment_table_rows_are_targets_with_their_year() {
        let (att, ids) = fixture();
        let t = attainment_table(&att, &ids, false);
        let rows: Vec<&str> = t.lines().collect();
        assert_eq!(rows.len(), 4, "{t}");
        assert!(rows[0].starts_with("target (year)"), "{t}");
        assert!(rows[0].ends_with("plan         peak"), "{t}");
        assert!(rows[1].starts_with("co2_2025 (2025) "), "{t}");
        assert!(rows[1].ends_with("25.0 %       50.0 %"), "{t}");
        assert!(rows[2].starts_with("nox_2025 (2025) "), "{t}");
        assert!(rows[2].ends_with("95.0 %            –"), "{t}");
        assert!(rows[3].starts_with("peak_2030 (2030) "), "{t}");
        assert!(rows[3].ends_with("–       12.5 %"), "{t}");
        assert!(!t.contains('\x1b'), "{t}");
    }

    #[test]
    fn attainment_table_colours_by_probability_class() {
        let (att, ids) = fixture();
        let t = attainment_table(&att, &ids, true);
        // 95 % green, 50 % yellow, 25 % and 12.5 % red; absent cells uncoloured.
        assert_eq!(t.matches("\x1b[32m").count(), 1, "{t}");
        assert_eq!(t.matches("\x1b[33m").count(), 1, "{t}");
        assert_eq!(t.matches("\x1b[31m").count(), 2, "{t}");
        assert_eq!(t.matches("\x1b[0m").count(), 4, "{t}");
    }

    fn meta(scenario: &str, accounting: &str) -> RunMeta {
        RunMeta {
            program: "tanfeng test".into(),
            scenario: scenario.into(),
            title_zh: String::new(),
            title_en: String::new(),
            scenario_sha256: String::new(),
            scenario_files: Vec::new(),
            seed: 1,
            draws: 2,
            threads: 1,
            date_utc: String::new(),
            engine_seconds: 0.0,
            accounting_zh: String::new(),
            accounting_en: accounting.into(),
        }
    }

    #[test]
    fn terminal_report_states_accounting_once_or_per_scenario() {
        let (att, ids) = fixture();
        let same = [meta("plan", "ledger"), meta("peak", "ledger")];
        let r = terminal_report(&att, &ids, &same, (2000, 7), false);
        assert!(
            r.starts_with("Probability of meeting each target — 2,000 draws, seed 7\n"),
            "{r}"
        );
        assert!(r.ends_with("\naccounting: ledger\n"), "{r}");
        let differ = [meta("plan", "ledger"), meta("peak", "net")];
        let r = terminal_report(&att, &ids, &differ, (2000, 7), false);
        assert!(
            r.ends_with("\naccounting (plan): ledger\naccounting (peak): net\n"),
            "{r}"
        );
    }

    #[test]
    fn compare_json_carries_every_cell() {
        let (att, ids) = fixture();
        let j: serde_json::Value =
            serde_json::from_slice(&compare_json(&ids, 7, 2000, &att, &[]).unwrap()).unwrap();
        assert_eq!(j["scenarios"][1], "peak");
        assert_eq!(j["seed"], 7);
        assert_eq!(j["draws"], 2000);
        assert_eq!(j["attainment"].as_array().unwrap().len(), 4);
        assert_eq!(j["attainment"][3]["year"], 2030);
        assert_eq!(j["differences"].as_array().unwrap().len(), 0);
    }
}
