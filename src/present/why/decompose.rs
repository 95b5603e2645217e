//! `decompose`: the LMDI table (`lmdi.csv`), its terminal report and the waterfall chart of the
//! median effects in the last year.

use std::path::{Path, PathBuf};

use super::{Rendered, both_languages, csv_number as fmt};
use crate::analysis::decomposition::{EFFECT_LABELS, EFFECT_NAMES, N_EFFECTS};
use crate::analysis::lmdi_draws::LmdiSummary;
use crate::present::charts::{self, Effect, Label, Lang, ScenarioKey, Unit, WaterfallData};
use crate::present::tables::{CsvFlavor, csv_bytes};

/// Names of the columns summarised by [`LmdiSummary::stats`].
pub fn lmdi_columns() -> Vec<&'static str> {
    let mut v = EFFECT_NAMES.to_vec();
    v.extend(["total_change", "co2_base_t", "co2_t"]);
    v
}

/// `lmdi.csv`: one row per (year, quantity) with median, P5, P95 and mean in tonnes.
pub fn lmdi_csv(s: &LmdiSummary, flavor: CsvFlavor) -> Vec<u8> {
    let cols = lmdi_columns();
    let header: Vec<String> = ["year", "quantity", "median_t", "p5_t", "p95_t", "mean_t"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let mut rows = Vec::new();
    for (t, y) in s.years.iter().enumerate() {
        for (c, name) in cols.iter().enumerate() {
            let v = s.stats[t][c];
            rows.push(vec![
                y.to_string(),
                name.to_string(),
                fmt(v[0]),
                fmt(v[1]),
                fmt(v[2]),
                fmt(v[3]),
            ]);
        }
    }
    csv_bytes(flavor, &header, &rows)
}

/// Waterfall of the median effects from the base year to the last year of `s` (`horizon` when
/// `s` has no years); None when `s` has no statistics.
pub fn waterfall_data(
    s: &LmdiSummary,
    scenario: ScenarioKey,
    base_year: i32,
    horizon: i32,
) -> Option<WaterfallData> {
    let last = s.stats.last()?;
    let h = s.years.last().copied().unwrap_or(horizon);
    let start_value = last[N_EFFECTS + 1][0];
    let effects: Vec<Effect> = (0..N_EFFECTS)
        .map(|e| Effect {
            label: Label::new(EFFECT_LABELS[e].0, EFFECT_LABELS[e].1),
            id: String::new(),
            value: last[e][0],
        })
        .collect();
    let end_value = start_value + effects.iter().map(|e| e.value).sum::<f64>();
    Some(WaterfallData {
        indicator: Label::new("能源活动二氧化碳排放", "Energy-related CO₂"),
        unit: Unit::TonnesCo2,
        scenario,
        start_label: Label::new(
            format!("{base_year} 年(中位数)"),
            format!("{base_year} (median)"),
        ),
        start_value,
        effects,
        end_label: Label::new(
            format!("{h} 年(中位数之和)"),
            format!("{h} (sum of medians)"),
        ),
        end_value,
        n_draws: s.n_draws,
    })
}

/// Draws the waterfall into `dir/lmdi_waterfall_zh` and `_en` (PNG and SVG).
pub fn render_waterfall(
    dir: &Path,
    data: &WaterfallData,
    footer: &dyn Fn(Lang) -> String,
) -> Rendered {
    let stem: PathBuf = dir.join("lmdi_waterfall");
    both_languages(&stem, footer, &|st, p| {
        charts::render_waterfall(data, st, p)
    })
}

/// Terminal report: the effects' median [P5, P95] per year, then the largest residual, the
/// time and the folder.
pub fn lmdi_report(s: &LmdiSummary, base_year: i32, secs: f64, dir: &Path) -> String {
    let cols = lmdi_columns();
    let mut out = format!(
        "LMDI of CO₂ (t), {base_year} → year, {} draws: median [P5, P95]\n",
        s.n_draws
    );
    for (t, y) in s.years.iter().enumerate() {
        out.push_str(&format!("{y}:\n"));
        for (c, name) in cols.iter().enumerate().take(N_EFFECTS + 1) {
            // + 0.0 turns −0 into 0 for printing.
            let v = s.stats[t][c].map(|x| x + 0.0);
            out.push_str(&format!(
                "  {name:<20}{:>14.0} [{:>12.0}, {:>12.0}]\n",
                v[0], v[1], v[2]
            ));
        }
    }
    out.push_str(&format!(
        "largest |Σ effects − ΔCO₂| / CO₂ over all draws and years: {:.1e}; {secs:.2} s; results in {}\n",
        s.max_relative_residual,
        dir.display()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> LmdiSummary {
        let n = lmdi_columns().len();
        // Median of column c in the one year is c + 1 (then P5, P95, mean).
        let row: Vec<[f64; 4]> = (0..n)
            .map(|c| {
                let m = c as f64 + 1.0;
                [m, m - 0.5, m + 0.5, -0.0]
            })
            .collect();
        LmdiSummary {
            years: vec![2025],
            stats: vec![row],
            n_draws: 10,
            max_relative_residual: 0.0,
        }
    }

    #[test]
    fn csv_has_one_row_per_quantity() {
        let csv = String::from_utf8(lmdi_csv(&summary(), CsvFlavor::Plain)).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "year,quantity,median_t,p5_t,p95_t,mean_t");
        assert_eq!(lines.len(), 1 + lmdi_columns().len());
        assert_eq!(
            lines[1],
            format!(
                "2025,{},1.000000,0.500000,1.500000,0.000000",
                EFFECT_NAMES[0]
            )
        );
    }

    #[test]
    fn waterfall_ends_at_the_sum_of_median_effects() {
        let key = ScenarioKey {
            order: 0,
            label: Label::new("规划", "plan"),
        };
        let d = waterfall_data(&summary(), key, 2020, 2030).unwrap();
        // Base CO₂ is the column after total_change.
        assert_eq!(d.start_value, (N_EFFECTS + 2) as f64);
        let sum: f64 = (1..=N_EFFECTS).map(|e| e as f64).sum();
        assert_eq!(d.end_value, d.start_value + sum);
        assert_eq!(d.end_label.en, "2025 (sum of medians)");
        assert_eq!(d.start_label.zh, "2020 年(中位数)");
        let empty = LmdiSummary {
            years: Vec::new(),
            stats: Vec::new(),
            n_draws: 0,
            max_relative_residual: 0.0,
        };
        let key = ScenarioKey {
            order: 0,
            label: Label::new("规划", "plan"),
        };
        assert!(waterfall_data(&empty, key, 2020, 2030).is_none());
    }
}
