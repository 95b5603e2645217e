//! `sensitivity`: the rank method's and the Sobol method's CSV, terminal report and tornado
//! charts.

use std::path::Path;

use super::{Rendered, both_languages, csv_number as fmt};
use crate::analysis::sensitivity::{DrawSet, InputGroup, RankResult};
use crate::analysis::sobol::{Est, SobolResult};
use crate::model::indicators::IndicatorDef;
use crate::present::charts::{self, Effect, Label, Lang, ScenarioKey, TornadoData, Unit};
use crate::present::tables::{CsvFlavor, csv_bytes};
use crate::scenario::names::input_name;

/// Inputs (or groups) drawn in a tornado chart.
pub const TORNADO_ROWS: usize = 15;

/// Sobol indices of each output, or why an output has none.
pub type SobolOut = Result<SobolResult, crate::analysis::AnalysisError>;

/// What every tornado chart of one command shares.
#[derive(Debug, Clone)]
pub struct TornadoContext<'a> {
    /// The model's indicators (labels by index).
    pub indicators: &'a [IndicatorDef],
    /// The scenario's chart key.
    pub scenario: ScenarioKey,
    /// Year of the indicators (the horizon).
    pub year: i32,
    /// Model runs behind each chart.
    pub n_draws: usize,
}

impl TornadoContext<'_> {
    fn label(&self, i: usize) -> Label {
        let d = &self.indicators[i];
        Label::new(d.label_zh, d.label_en)
    }
}

fn effect(id: &str, value: f64) -> Effect {
    let (zh, en) = input_name(id);
    Effect {
        label: Label::new(zh, en),
        id: id.to_string(),
        value,
    }
}

/// Tornado data of the rank method: the [`TORNADO_ROWS`] inputs with the largest |SRRC| of
/// each indicator (indicators without a finite coefficient are left out).
pub fn rank_tornadoes(
    ds: &DrawSet,
    r: &RankResult,
    c: &TornadoContext<'_>,
) -> Vec<(String, TornadoData)> {
    let mut out = Vec::new();
    for ri in &r.indicators {
        let data = TornadoData {
            indicator: c.label(ri.indicator),
            scenario: c.scenario.clone(),
            year: c.year,
            n_draws: c.n_draws,
            measure: Label::new(
                "标准化秩回归系数",
                "Standardized rank regression coefficient",
            ),
            unit: Unit::Dimensionless,
            effects: ri
                .order()
                .into_iter()
                .filter(|&j| ri.srrc[j].is_finite())
                .take(TORNADO_ROWS)
                .map(|j| effect(&ds.names[j], ri.srrc[j]))
                .collect(),
        };
        if data.effects.is_empty() {
            continue;
        }
        out.push((
            format!("tornado_rank_{}", ds.indicator_names[ri.indicator]),
            data,
        ));
    }
    out
}

/// Tornado data of the Sobol method: the [`TORNADO_ROWS`] groups with the largest total index
/// of each indicator in `which` that has indices.
pub fn sobol_tornadoes(
    which: &[usize],
    groups: &[InputGroup],
    results: &[SobolOut],
    c: &TornadoContext<'_>,
) -> Vec<(String, TornadoData)> {
    let mut out = Vec::new();
    for &i in which {
        let Ok(r) = &results[i] else { continue };
        let data = TornadoData {
            indicator: c.label(i),
            scenario: c.scenario.clone(),
            year: c.year,
            n_draws: c.n_draws,
            measure: Label::new(
                "总效应Sobol指数:重要性,不表示方向",
                "Total-order Sobol index: importance, not direction",
            ),
            unit: Unit::Dimensionless,
            effects: total_order(groups, r)
                .into_iter()
                .take(TORNADO_ROWS)
                .map(|g| effect(&groups[g].name, r.total[g].value))
                .collect(),
        };
        out.push((format!("tornado_sobol_{}", c.indicators[i].name), data));
    }
    out
}

/// Groups by decreasing total-order index.
fn total_order(groups: &[InputGroup], r: &SobolResult) -> Vec<usize> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| r.total[b].value.total_cmp(&r.total[a].value));
    order
}

/// Footer of the Sobol charts, in the chart's language (the base sample N instead of draws).
pub fn sobol_footer(lang: Lang, scenario: &str, seed: u64, n: u64, program: &str) -> String {
    let n = crate::present::units::count(n);
    match lang {
        Lang::Zh => format!("情景：{scenario} · 随机种子 {seed} · Sobol N = {n} · {program}"),
        Lang::En => format!("scenario: {scenario} · seed {seed} · Sobol N = {n} · {program}"),
    }
}

/// Draws each tornado into `dir/<name>_zh` and `_en` (PNG and SVG).
pub fn render_tornadoes(
    dir: &Path,
    tornadoes: &[(String, TornadoData)],
    footer: &dyn Fn(Lang) -> String,
) -> Rendered {
    let mut out = Rendered::default();
    for (name, data) in tornadoes {
        out.extend(both_languages(&dir.join(name), footer, &|s, p| {
            charts::render_tornado(data, s, p)
        }));
    }
    out
}

/// CSV of the rank method: one row per (indicator, input).
pub fn rank_csv(ds: &DrawSet, r: &RankResult, flavor: CsvFlavor) -> Vec<u8> {
    let mut header: Vec<String> = ["indicator", "input", "spearman", "srrc", "srrc_r_squared"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(
        ds.targets
            .iter()
            .map(|t| format!("separation_{}", t.target.id)),
    );
    let mut rows = Vec::new();
    for ri in &r.indicators {
        for j in ri.order() {
            let mut row = vec![
                ds.indicator_names[ri.indicator].to_string(),
                ds.names[j].clone(),
                fmt(ri.spearman[j]),
                fmt(ri.srrc[j]),
                fmt(ri.r_squared),
            ];
            row.extend(r.separation.iter().map(|s| fmt(s[j])));
            rows.push(row);
        }
    }
    csv_bytes(flavor, &header, &rows)
}

/// Terminal report of the rank method: top 10 inputs per indicator, top 5 per target.
pub fn rank_report(ds: &DrawSet, r: &RankResult) -> String {
    let mut s = String::new();
    for ri in &r.indicators {
        s.push_str(&format!(
            "\n{} — rank regression R² {:.2}{}\n  {:<4}{:<56}{:>10}{:>10}\n",
            ds.indicator_names[ri.indicator],
            ri.r_squared,
            ri.note
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            "#",
            "input",
            "spearman",
            "srrc"
        ));
        for (rank, j) in ri.order().into_iter().take(10).enumerate() {
            s.push_str(&format!(
                "  {:<4}{:<56}{:>10.3}{:>10.3}\n",
                rank + 1,
                ds.names[j],
                ri.spearman[j],
                ri.srrc[j]
            ));
        }
    }
    for (k, t) in ds.targets.iter().enumerate() {
        let sep = &r.separation[k];
        let met = ds.met[k].iter().filter(|&&m| m).count();
        s.push_str(&format!(
            "\ntarget {} ({} {}): met in {met} of {} draws; inputs separating met from missed draws \
             (median difference / IQR):\n",
            t.target.id,
            t.target.indicator,
            t.target.year,
            ds.met[k].len()
        ));
        if sep.iter().all(|v| v.is_nan()) {
            s.push_str("  (undefined: every draw meets or every draw misses the target)\n");
            continue;
        }
        let minority = met.min(ds.met[k].len() - met);
        if minority < 100 {
            s.push_str(&format!(
                "  (only {minority} draws on one side: these medians are noisy; use more draws)\n"
            ));
        }
        let mut idx: Vec<usize> = (0..sep.len()).filter(|&j| sep[j].is_finite()).collect();
        idx.sort_by(|&a, &b| sep[b].abs().total_cmp(&sep[a].abs()));
        for j in idx.into_iter().take(5) {
            s.push_str(&format!("  {:<60}{:>+10.3}\n", ds.names[j], sep[j]));
        }
    }
    s
}

/// CSV of the Sobol method: one row per (indicator, group).
pub fn sobol_csv(
    names: &[&str],
    which: &[usize],
    groups: &[InputGroup],
    results: &[SobolOut],
    flavor: CsvFlavor,
) -> Vec<u8> {
    let header: Vec<String> = [
        "indicator",
        "group",
        "n_inputs",
        "first",
        "first_low95",
        "first_high95",
        "total",
        "total_low95",
        "total_high95",
        "n_base",
        "note",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rows = Vec::new();
    for &i in which {
        match &results[i] {
            Ok(r) => {
                for (g, grp) in groups.iter().enumerate() {
                    rows.push(vec![
                        names[i].to_string(),
                        grp.name.clone(),
                        grp.members.len().to_string(),
                        fmt(r.first[g].value),
                        fmt(r.first[g].low95),
                        fmt(r.first[g].high95),
                        fmt(r.total[g].value),
                        fmt(r.total[g].low95),
                        fmt(r.total[g].high95),
                        r.n.to_string(),
                        String::new(),
                    ]);
                }
            }
            Err(e) => {
                let mut row = vec![names[i].to_string()];
                row.extend(std::iter::repeat_n(String::new(), 9));
                row.push(e.to_string());
                rows.push(row);
            }
        }
    }
    csv_bytes(flavor, &header, &rows)
}

/// Terminal report of the Sobol method: the 10 groups with the largest total index.
pub fn sobol_report(
    names: &[&str],
    which: &[usize],
    groups: &[InputGroup],
    results: &[SobolOut],
) -> String {
    let mut s = String::new();
    for &i in which {
        match &results[i] {
            Err(e) => s.push_str(&format!("\n{}: no Sobol indices ({e})\n", names[i])),
            Ok(r) => {
                let sum_first: f64 = r.first.iter().map(|e| e.value).sum();
                s.push_str(&format!(
                    "\n{} — Σ first-order {:.2} (1 − Σ = share of interactions)\n  {:<48}{:>4}  {:>24}  {:>24}\n",
                    names[i], sum_first, "group", "k", "first [95 % CI]", "total [95 % CI]"
                ));
                for g in total_order(groups, r).into_iter().take(10) {
                    let e = |x: &Est| format!("{:.3} [{:.3}, {:.3}]", x.value, x.low95, x.high95);
                    s.push_str(&format!(
                        "  {:<48}{:>4}  {:>24}  {:>24}\n",
                        groups[g].name,
                        groups[g].members.len(),
                        e(&r.first[g]),
                        e(&r.total[g])
                    ));
                }
            }
        }
    }
    s
}
