//! What a scenario assumes, as `explain` prints it and as the inputs table of `results.xlsx`:
//! every resolved input with its distribution, central value, unit and provenance, the
//! correlations, the accounting conventions and the ledger's key projects and causes of 新增量.

use std::fmt::Write as _;

use crate::model::{CAUSES, PROJECTS};
use crate::present::tables::{CsvFlavor, accounting_conventions, csv_bytes, num};
use crate::scenario::{KeyProjectAccounting, Options, Scenario};
use crate::uncertainty::Sampler;

/// Every resolved input of a scenario with its distribution, central value and provenance
/// (the inputs sheet of `results.xlsx`; plain CSV, no byte-order mark).
pub(crate) fn inputs_csv(s: &Scenario, sampler: &Sampler) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario", "id", "unit", "status", "source", "dist", "central", "note",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows: Vec<Vec<String>> = s
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let d = sampler.distribution(i);
            vec![
                s.meta.id.clone(),
                p.name.clone(),
                p.unit.clone(),
                p.provenance.status.as_str().to_string(),
                p.provenance.source.clone(),
                d.describe(),
                num(d.central()),
                p.provenance.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    csv_bytes(CsvFlavor::Plain, &header, &rows)
}

/// `tanfeng explain`: a title line, every input whose name contains `filter` (all without
/// one) with distribution, central value, unit, status, source, note and file position, the
/// correlations, the accounting conventions and — without a filter — the key projects.
pub(crate) fn explain_text(s: &Scenario, sampler: &Sampler, filter: Option<&str>) -> String {
    let mut out = format!(
        "{} — {} / {} ({}–{}), files: {}\n",
        s.meta.id,
        s.meta.title_zh,
        s.meta.title_en,
        s.meta.base_year,
        s.meta.horizon,
        s.files.join(" ← ")
    );
    for (i, p) in s.params.iter().enumerate() {
        if filter.is_some_and(|f| !p.name.contains(f)) {
            continue;
        }
        let d = sampler.distribution(i);
        let _ = writeln!(
            out,
            "{}\n  {}; central {} {}\n  {}: {}{}{}",
            p.name,
            d.describe(),
            d.central(),
            p.unit,
            p.provenance.status.as_str(),
            p.provenance.source,
            p.provenance
                .note
                .as_ref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default(),
            p.pos
                .as_ref()
                .map(|pos| format!(" [{pos}]"))
                .unwrap_or_default(),
        );
    }
    for c in &s.correlations {
        let _ = writeln!(out, "correlation {} ~ {}: rho {}", c.a, c.b, c.rho);
    }
    // Which ledger is in force and what it books (MODEL.md §4).
    let (_, accounting_en) = accounting_conventions(&s.options);
    let _ = writeln!(out, "accounting: {accounting_en}");
    if filter.is_none() {
        out.push_str(&key_project_list(&s.options));
    }
    out
}

/// The key projects of the ledger (MODEL.md §4) with their kind, and the causes of 新增量, as
/// `explain` lists them.
fn key_project_list(o: &Options) -> String {
    let mut out = match o.key_project_accounting {
        KeyProjectAccounting::Ledger => {
            String::from("key projects (削减量, the target metric under the ledger):\n")
        }
        KeyProjectAccounting::Net => String::from(
            "key projects (ledger, reported; the target metric is Σ net wedges under \"net\"):\n",
        ),
    };
    for p in &PROJECTS {
        let pols = match p.pollutants {
            [true, true] => "NOx, VOCs",
            [true, false] => "NOx",
            _ => "VOCs",
        };
        let _ = writeln!(
            out,
            "  {:<30} {} {} / {} ({}, {pols})",
            p.id,
            p.kind.label_zh(),
            p.label_zh,
            p.label_en,
            p.kind.as_str()
        );
    }
    out.push_str("new increment (新增量) by cause:\n");
    for c in &CAUSES {
        let _ = writeln!(
            out,
            "  ({}) {:<26} {} / {}",
            c.group.letter(),
            c.id,
            c.label_zh,
            c.label_en
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> (Scenario, Sampler) {
        let s = crate::scenario::load_embedded("plan").unwrap();
        let sampler = Sampler::new(&s).unwrap();
        (s, sampler)
    }

    #[test]
    fn inputs_csv_has_one_row_per_input_with_its_central_value() {
        let (s, sampler) = plan();
        let (header, rows) = crate::present::workbook::read_csv(&inputs_csv(&s, &sampler));
        assert_eq!(
            header,
            [
                "scenario", "id", "unit", "status", "source", "dist", "central", "note"
            ]
        );
        assert_eq!(rows.len(), s.params.len());
        for (i, (r, p)) in rows.iter().zip(&s.params).enumerate() {
            assert_eq!(r[0], "plan");
            assert_eq!(r[1], p.name);
            assert_eq!(r[2], p.unit);
            assert_eq!(r[4], p.provenance.source);
            let central: f64 = r[6].parse().unwrap();
            assert_eq!(central, sampler.distribution(i).central(), "{}", p.name);
        }
    }

    #[test]
    fn explain_filters_inputs_and_lists_key_projects_only_unfiltered() {
        let (s, sampler) = plan();
        let all = explain_text(&s, &sampler, None);
        assert!(all.starts_with("plan — "), "{all}");
        for p in &s.params {
            assert!(
                all.contains(&format!("\n{}\n  ", p.name)),
                "{} missing",
                p.name
            );
        }
        assert!(all.contains("\naccounting: "), "{all}");
        assert!(all.contains("new increment (新增量) by cause:\n"), "{all}");
        for p in &PROJECTS {
            assert!(
                all.contains(&format!("  {:<30} ", p.id)),
                "{} missing",
                p.id
            );
        }
        let some = explain_text(&s, &sampler, Some("biomass"));
        let n = s
            .params
            .iter()
            .filter(|p| p.name.contains("biomass"))
            .count();
        assert!(n > 0);
        assert_eq!(some.matches("; central ").count(), n, "{some}");
        assert!(!some.contains("key projects"), "{some}");
        assert!(some.contains("\naccounting: "), "{some}");
    }

    #[test]
    fn key_project_heading_follows_the_accounting_option() {
        let ledger = Options {
            key_project_accounting: KeyProjectAccounting::Ledger,
            ..Options::default()
        };
        let net = Options {
            key_project_accounting: KeyProjectAccounting::Net,
            ..Options::default()
        };
        assert!(key_project_list(&ledger).starts_with("key projects (削减量"));
        assert!(key_project_list(&net).starts_with("key projects (ledger, reported"));
        assert_eq!(
            key_project_list(&net).lines().count(),
            PROJECTS.len() + CAUSES.len() + 2
        );
    }
}
