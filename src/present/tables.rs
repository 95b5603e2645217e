//! Exporters: each format is a pure function from results to bytes (CSV that Excel reads,
//! JSON, and the terminal table). File I/O lives in `present::io` only.

use std::fmt::Write as _;

use rayon::prelude::*;

use crate::analysis::summary::{RunSummary, TargetSummary};
use crate::engine::RunResult;

/// CSV flavour: every CSV tanfeng writes goes through [`csv_bytes`] (or, streamed,
/// [`write_draws_csv`]) with one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvFlavor {
    /// UTF-8 with a byte-order mark, so Excel and WPS open Chinese headers correctly (default).
    #[default]
    Bom,
    /// Plain UTF-8 (`--no-bom`), for tools that read the mark as part of the first header.
    Plain,
}

impl CsvFlavor {
    /// [`CsvFlavor::Bom`] when `bom`, else [`CsvFlavor::Plain`].
    pub fn with_bom(bom: bool) -> CsvFlavor {
        if bom {
            CsvFlavor::Bom
        } else {
            CsvFlavor::Plain
        }
    }
}

/// Formats a number for CSV: shortest round-trip representation, empty for NaN/∞.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// CSV bytes (CRLF line ends, a BOM unless [`CsvFlavor::Plain`]) of a header and rows.
pub fn csv_bytes(flavor: CsvFlavor, header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    let body = w.into_inner().unwrap_or_default();
    match flavor {
        CsvFlavor::Plain => body,
        CsvFlavor::Bom => {
            let mut out = vec![0xEF, 0xBB, 0xBF];
            out.extend(body);
            out
        }
    }
}

fn target_for<'a>(s: &'a RunSummary, indicator: &str, year: i32) -> Option<&'a TargetSummary> {
    s.targets
        .iter()
        .find(|t| t.indicator == indicator && t.year == year)
}

/// `summary.csv`: one row per horizon-year indicator with its target (if any).
pub fn summary_csv(s: &RunSummary, flavor: CsvFlavor) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario",
        "indicator",
        "指标",
        "unit",
        "year",
        "mean",
        "sd",
        "p5",
        "p25",
        "median",
        "p75",
        "p95",
        "target",
        "threshold",
        "p_met",
        "p_met_low95",
        "p_met_high95",
        "draws",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows = s
        .indicators
        .iter()
        .map(|i| {
            let t = target_for(s, &i.name, i.year);
            vec![
                s.scenario.clone(),
                i.name.clone(),
                i.label_zh.clone(),
                i.unit.to_string(),
                i.year.to_string(),
                num(i.dist.mean),
                num(i.dist.sd),
                num(i.dist.p5),
                num(i.dist.p25),
                num(i.dist.p50),
                num(i.dist.p75),
                num(i.dist.p95),
                t.map(|t| format!("{} {}", t.comparison.symbol(), num(t.threshold)))
                    .unwrap_or_default(),
                t.map(|t| num(t.threshold)).unwrap_or_default(),
                t.map(|t| num(t.probability)).unwrap_or_default(),
                t.map(|t| num(t.low95)).unwrap_or_default(),
                t.map(|t| num(t.high95)).unwrap_or_default(),
                i.dist.n.to_string(),
            ]
        })
        .collect::<Vec<_>>();
    csv_bytes(flavor, &header, &rows)
}

/// `targets.csv`: one row per target with the probability of meeting it (Wilson 95 %).
pub fn targets_csv(s: &RunSummary, flavor: CsvFlavor) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario",
        "target",
        "indicator",
        "comparison",
        "threshold",
        "year",
        "kind",
        "met_draws",
        "draws",
        "p_met",
        "p_met_low95",
        "p_met_high95",
        "median",
        "p5",
        "p95",
        "source",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows = s
        .targets
        .iter()
        .map(|t| {
            vec![
                s.scenario.clone(),
                t.id.clone(),
                t.indicator.clone(),
                t.comparison.symbol().to_string(),
                num(t.threshold),
                t.year.to_string(),
                t.kind.as_str().to_string(),
                t.met.to_string(),
                t.n.to_string(),
                num(t.probability),
                num(t.low95),
                num(t.high95),
                num(t.dist.p50),
                num(t.dist.p5),
                num(t.dist.p95),
                t.source.clone(),
            ]
        })
        .collect::<Vec<_>>();
    csv_bytes(flavor, &header, &rows)
}

/// `years.csv`: every series in every year (mean, sd, and quantiles where tracked).
pub fn years_csv(s: &RunSummary, flavor: CsvFlavor) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario", "series", "unit", "year", "mean", "sd", "p5", "p25", "median", "p75", "p95",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows = s
        .series
        .iter()
        .map(|y| {
            let mut r = vec![
                s.scenario.clone(),
                y.name.to_string(),
                y.unit.to_string(),
                y.year.to_string(),
                num(y.mean),
                num(y.sd),
            ];
            r.extend(y.quantiles.iter().map(|q| num(*q)));
            r
        })
        .collect::<Vec<_>>();
    csv_bytes(flavor, &header, &rows)
}

/// `wedges.csv`: mean reduction by measure and year (t).
pub fn wedges_csv(s: &RunSummary, flavor: CsvFlavor) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario",
        "measure",
        "措施",
        "pollutant",
        "year",
        "mean_reduction_t",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows = s
        .wedges
        .iter()
        .map(|w| {
            vec![
                s.scenario.clone(),
                w.measure.clone(),
                w.label_zh.clone(),
                crate::analysis::summary::pollutant_id(w.pollutant).to_string(),
                w.year.to_string(),
                num(w.mean_t),
            ]
        })
        .collect::<Vec<_>>();
    csv_bytes(flavor, &header, &rows)
}

/// `ledger.csv` (MODEL.md §4): 削减量 by project and year, with its kind and distribution (t).
pub fn ledger_csv(s: &RunSummary, flavor: CsvFlavor) -> Vec<u8> {
    book_csv(s, &s.ledger, "project", "kind", flavor)
}

/// `increments.csv` (MODEL.md §4): 新增量 by cause (a, b, c) and year (t).
pub fn increments_csv(s: &RunSummary, flavor: CsvFlavor) -> Vec<u8> {
    book_csv(s, &s.increments, "cause", "letter", flavor)
}

fn book_csv(
    s: &RunSummary,
    rows: &[crate::analysis::summary::BookYear],
    what: &str,
    kind: &str,
    flavor: CsvFlavor,
) -> Vec<u8> {
    let header: Vec<String> = [
        "scenario",
        what,
        "名称",
        "name",
        kind,
        "pollutant",
        "year",
        "mean_t",
        "p5_t",
        "median_t",
        "p95_t",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows = rows
        .iter()
        .map(|b| {
            vec![
                s.scenario.clone(),
                b.id.clone(),
                b.label_zh.clone(),
                b.label_en.clone(),
                b.kind.as_str().to_string(),
                crate::analysis::summary::pollutant_id(b.pollutant).to_string(),
                b.year.to_string(),
                num(b.mean_t),
                num(b.p5_t),
                num(b.p50_t),
                num(b.p95_t),
            ]
        })
        .collect::<Vec<_>>();
    csv_bytes(flavor, &header, &rows)
}

/// `draws.csv`: per draw, the horizon-year indicators, each target's value and whether it is met.
pub fn write_draws_csv(
    r: &RunResult,
    flavor: CsvFlavor,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut header = vec!["draw".to_string()];
    header.extend(
        r.indicators
            .iter()
            .map(|d| format!("{} ({})", d.name, d.unit)),
    );
    for t in &r.targets {
        header.push(format!("{}_value_{}", t.target.id, t.target.year));
        header.push(format!("{}_met", t.target.id));
    }
    let n_ind = r.indicators.len();
    let n_cols = r.n_cols();
    let first = r.config.first_draw;
    // Rows are formatted in parallel blocks and appended in draw order (same bytes for any
    // thread count); a bounded batch of blocks at a time keeps memory near one copy.
    const BLOCK: usize = 8192;
    const BATCH: usize = 8;
    let mut head = String::new();
    if flavor == CsvFlavor::Bom {
        head.push('\u{FEFF}');
    }
    head.push_str(&header.join(","));
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    for (batch_index, batch) in r.per_draw.chunks(BLOCK * BATCH * n_cols).enumerate() {
        let blocks: Vec<String> = batch
            .par_chunks(BLOCK * n_cols)
            .enumerate()
            .map(|(b, rows)| {
                let start = (batch_index * BATCH + b) * BLOCK;
                let mut s = String::with_capacity(rows.len() / n_cols * (8 + n_cols * 8));
                // Same text as `num` (shortest round-trip decimal, empty when not finite),
                // written in place without a String per value.
                let put = |s: &mut String, x: f64| {
                    if x.is_finite() {
                        let _ = write!(s, "{x}");
                    }
                };
                for (i, row) in rows.chunks(n_cols).enumerate() {
                    let _ = write!(s, "{}", first + (start + i) as u64);
                    for x in &row[..n_ind] {
                        s.push(',');
                        put(&mut s, *x);
                    }
                    for (k, t) in r.targets.iter().enumerate() {
                        let v = row[n_ind + k];
                        s.push(',');
                        put(&mut s, v);
                        let _ = write!(s, ",{}", u8::from(t.target.is_met(v)));
                    }
                    s.push_str("\r\n");
                }
                s
            })
            .collect();
        for b in &blocks {
            w.write_all(b.as_bytes())?;
        }
    }
    Ok(())
}

/// [`write_draws_csv`] into memory (tests and small runs).
pub fn draws_csv(r: &RunResult, flavor: CsvFlavor) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_draws_csv(r, flavor, &mut out);
    out
}

/// Run metadata written beside the results (not into the CSVs, so those stay byte-identical
/// across thread counts and dates).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunMeta {
    /// Program name and version.
    pub program: String,
    /// Scenario id.
    pub scenario: String,
    /// Titles.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// SHA-256 of the scenario files.
    pub scenario_sha256: String,
    /// Files, child first.
    pub scenario_files: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// Draws.
    pub draws: u64,
    /// Worker threads.
    pub threads: usize,
    /// UTC date and time the run finished.
    pub date_utc: String,
    /// Wall time of the Monte Carlo part (s).
    pub engine_seconds: f64,
    /// The accounting conventions of the run (MODEL.md §1), in Chinese.
    pub accounting_zh: String,
    /// The accounting conventions of the run, in English.
    pub accounting_en: String,
}

/// The scenario's accounting options in words, (Chinese, English): a briefing must say which
/// convention its energy and CO₂ figures follow, since the energy-intensity result depends
/// on it.
pub fn accounting_conventions(o: &crate::scenario::Options) -> (String, String) {
    use crate::scenario::{Displacement, ElectricityAccounting};
    let (elec_zh, elec_en) = match o.electricity_accounting {
        ElectricityAccounting::Net => (
            "外购电力按净调入计（净调出抵扣）",
            "electricity counted as net imports (net exports credited)",
        ),
        ElectricityAccounting::ImportsOnly => (
            "外购电力只计调入（调出不抵扣）",
            "electricity counted as imports only (exports not credited)",
        ),
    };
    let (ex_zh, ex_en) = if o.renewable_exemption {
        (
            "可再生能源电力消费量比2020年的增量不计入能耗（含生物质发电和调入电力中的非化石部分，不含生物质供热；发改运行〔2022〕1258号）",
            "the increase over 2020 of renewable electricity consumed (biomass power and the grid's non-fossil fraction of imports included, biomass heat not) left out of energy consumption (NDRC/NBS 2022 rule, No. 1258)",
        )
    } else {
        (
            "全部能耗计入（不扣除新增可再生能源电力）",
            "all energy counted (no deduction of new renewable electricity)",
        )
    };
    let (d_zh, d_en) = match o.displacement {
        Displacement::Imports => ("新增电源替代外购电力", "new generation displaces imports"),
        Displacement::LocalCoal => (
            "新增电源先替代本地煤电",
            "new generation displaces local coal power first",
        ),
    };
    let (m_zh, m_en) = ENERGY_METHOD;
    let (k_zh, k_en) = key_project_convention(o);
    let (r_zh, r_en) = BASE_YEAR_RECONCILIATION;
    (
        format!("{m_zh}；{elec_zh}；{ex_zh}；{d_zh}；{k_zh}；{r_zh}"),
        format!("{m_en}; {elec_en}; {ex_en}; {d_en}; {k_en}; {r_en}"),
    )
}

/// How the base year meets the statistics (MODEL.md §5), (Chinese, English): energy by
/// carrier, then NOx and VOCs on the reconciled fuels, balanced in every draw.
pub const BASE_YEAR_RECONCILIATION: (&str, &str) = (
    "2020年能耗按品种（煤、油品、天然气）在每次抽样中按广义最小二乘法与统计量平衡（调整各部门燃料强度并沿用至以后各年），氮氧化物和挥发性有机物随后在平衡后的燃料上与统计总量平衡（调整各部门排放因子并沿用至以后各年）",
    "2020 energy by carrier (coal, oil products, gas) balanced with the statistics in every draw by generalised least squares (sector fuel intensities adjusted, and kept in later years), then NOx and VOCs on the reconciled fuels (sector emission factors adjusted, and kept in later years)",
);

/// The energy statistics method (MODEL.md §1), (Chinese, English): the only one the model has,
/// stated on every `accounting:` line because the energy and non-fossil figures depend on it.
pub const ENERGY_METHOD: (&str, &str) = (
    "能耗按能源平衡表口径：非化石电力（含生物质发电）和调入电力按当年发电煤耗法折标，生物质供热按0.03412吨标准煤/吉焦，秸秆消耗只作备忘项；非化石能源占比以未扣除的能耗总量为分母",
    "energy as the official energy balance counts it: non-fossil power (biomass included) and imported power at the year's coal equivalent of generation (发电煤耗法), biomass heat at 0.03412 tce/GJ, straw burnt only a memo item; non-fossil share on gross energy consumption",
);

/// Which key-project accounting the run uses (MODEL.md §4), (Chinese, English).
pub fn key_project_convention(o: &crate::scenario::Options) -> (String, String) {
    use crate::scenario::KeyProjectAccounting;
    match o.key_project_accounting {
        KeyProjectAccounting::Ledger => {
            let (nz, ne) = if o.natural_retirement_in_key_projects {
                (
                    "国三及以下汽车、第二阶段及以下机械自然淘汰计为减排项目",
                    "pre-China IV vehicles and pre-Stage III machinery retiring naturally count as closures",
                )
            } else {
                (
                    "自然淘汰不计为减排项目（计入新增量）",
                    "natural retirement is not a project (booked in the new increment)",
                )
            };
            (
                format!("重点工程减排量按总量减排核算台账（削减量／新增量）计，{nz}"),
                format!(
                    "key-project reductions from the total-emission ledger (reductions by project, new increments by cause); {ne}"
                ),
            )
        }
        KeyProjectAccounting::Net => (
            "重点工程减排量按各措施净减排量之和计（对比口径）".to_string(),
            "key-project reductions as the sum of net wedges of all measures (comparison only)"
                .to_string(),
        ),
    }
}

/// `summary.json`: metadata and the whole summary.
pub fn summary_json(meta: &RunMeta, s: &RunSummary) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        run: &'a RunMeta,
        summary: &'a RunSummary,
    }
    let mut v = serde_json::to_vec_pretty(&Doc {
        run: meta,
        summary: s,
    })
    .unwrap_or_default();
    v.push(b'\n');
    v
}

/// `run.json`: metadata only.
pub fn run_json(meta: &RunMeta) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(meta).unwrap_or_default();
    v.push(b'\n');
    v
}

/// Formats a value for people: fractions as %, tonnes with thousands separators.
pub fn human(x: f64, unit: &str) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    match unit {
        "fraction" => format!("{:.1} %", x * 100.0),
        "year" => format!("{x:.0}"),
        _ => {
            let s = format!("{:.0}", x.abs());
            let mut g = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    g.push(',');
                }
                g.push(c);
            }
            format!("{}{g} {unit}", if x < 0.0 { "-" } else { "" })
        }
    }
}

/// The short table printed at the end of `run`.
pub fn terminal_table(s: &RunSummary, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{title} — {} draws, seed {}",
        crate::present::units::count(s.draws),
        s.seed
    );
    if s.calibration_clamped_draws > 0 {
        let _ = writeln!(
            out,
            "note: in {} of {} draws ({:.1} %) a base-year heat or power balance was clamped at 0 (the heat sources other than the coal CHP, or the extra electricity demand, exceed that draw's total)",
            s.calibration_clamped_draws,
            s.draws,
            100.0 * s.calibration_clamped_draws as f64 / s.draws.max(1) as f64
        );
    }
    let r = &s.reconciliation;
    if r.all_held_draws.iter().any(|&n| n > 0) {
        let _ = writeln!(
            out,
            "note: base-year reconciliation held every component at its floor in {} (NOx), {} (VOCs), {} (coal), {} (oil) and {} (gas) draws; there the statistic took the rest (MODEL.md §5)",
            r.all_held_draws[0],
            r.all_held_draws[1],
            r.all_held_draws[2],
            r.all_held_draws[3],
            r.all_held_draws[4]
        );
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let _ = writeln!(
        out,
        "{:<30} {:>12} {:>12} {:>12} {:>12}  {:<14} {:>8}",
        "indicator", "mean", "median", "P5", "P95", "target", "P(met)"
    );
    for i in &s.indicators {
        let t = target_for(s, &i.name, i.year);
        // A peak year in the indicator's year (the horizon) means not yet peaked (MODEL.md §2).
        let h = |x: f64| {
            if i.unit == crate::model::indicators::Unit::Year && x >= f64::from(i.year) {
                "not peaked".to_string()
            } else {
                human(x, i.unit.as_str())
            }
        };
        let _ = writeln!(
            out,
            "{:<30} {:>12} {:>12} {:>12} {:>12}  {:<14} {:>8}",
            i.name,
            h(i.dist.mean),
            h(i.dist.p50),
            h(i.dist.p5),
            h(i.dist.p95),
            t.map(|t| format!(
                "{} {}",
                t.comparison.symbol(),
                human(t.threshold, i.unit.as_str())
            ))
            .unwrap_or_default(),
            t.map(|t| format!("{:.1} %", t.probability * 100.0))
                .unwrap_or_default(),
        );
    }
    for t in s.targets.iter().filter(|t| {
        !s.indicators
            .iter()
            .any(|i| i.name == t.indicator && i.year == t.year)
    }) {
        let _ = writeln!(
            out,
            "{:<30} {:>12} {:>12} {:>12} {:>12}  {:<14} {:>8}",
            format!("{} ({})", t.indicator, t.year),
            "",
            num(t.dist.p50),
            num(t.dist.p5),
            num(t.dist.p95),
            format!("{} {}", t.comparison.symbol(), num(t.threshold)),
            format!("{:.1} %", t.probability * 100.0),
        );
    }
    out
}

/// The run report's warning about biomass CHP heat its county town cannot take (MODEL.md
/// §3.2): the mean wasted heat of the last year in which any is wasted, `None` when none is.
pub(crate) fn wasted_heat_line(result: &RunResult) -> Option<String> {
    let s = crate::engine::SERIES
        .iter()
        .position(|d| d.name == "biomass_heat_wasted_mwh")?;
    let t = (0..result.years.len())
        .rev()
        .find(|&t| result.cell(s, t).moments.mean() > 0.0)?;
    Some(format!(
        "warning: biomass CHP heat its county town cannot take: {} in {} (mean over draws)",
        human(result.cell(s, t).moments.mean(), "MWh"),
        result.years[t]
    ))
}

/// The report `run` prints in table format (before the line naming the result folder): the
/// [`terminal_table`] under `title`, the [`wasted_heat_line`] if any heat is wasted, and the
/// accounting conventions in force.
pub(crate) fn run_report(
    s: &RunSummary,
    title: &str,
    result: &RunResult,
    accounting_en: &str,
) -> String {
    let mut out = terminal_table(s, title);
    if let Some(line) = wasted_heat_line(result) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "accounting: {accounting_en}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ElectricityAccounting, Options};

    #[test]
    fn accounting_conventions_follow_the_options() {
        let (zh, en) = accounting_conventions(&Options::default());
        assert!(
            zh.contains("净调入") && en.contains("net imports"),
            "{zh} / {en}"
        );
        assert!(en.contains("all energy counted"), "{en}");
        let o = Options {
            electricity_accounting: ElectricityAccounting::ImportsOnly,
            renewable_exemption: true,
            ..Options::default()
        };
        let (zh, en) = accounting_conventions(&o);
        assert!(
            zh.contains("1258号") && en.contains("left out"),
            "{zh} / {en}"
        );
        assert!(en.contains("imports only"), "{en}");
        // The energy method is stated whatever the options.
        for (zh, en) in [
            accounting_conventions(&o),
            accounting_conventions(&Options::default()),
        ] {
            assert!(zh.contains("发电煤耗法") && zh.contains("备忘"), "{zh}");
            assert!(
                en.contains("coal equivalent") && en.contains("memo"),
                "{en}"
            );
        }
    }
    /// A run of `years` with every series cell empty but the wasted biomass heat, which holds
    /// the draws of `wasted[t]` in year index `t`.
    fn wasted_run(years: Vec<i32>, wasted: &[&[f64]]) -> RunResult {
        use crate::engine::{Cell, RunConfig, SERIES};
        let mut cells = vec![Cell::default(); SERIES.len() * years.len()];
        let s = SERIES
            .iter()
            .position(|d| d.name == "biomass_heat_wasted_mwh")
            .unwrap();
        for (t, draws) in wasted.iter().enumerate() {
            for &x in *draws {
                cells[s * years.len() + t].moments.push(x);
            }
        }
        RunResult {
            scenario_id: "test".into(),
            config: RunConfig {
                draws: 2,
                seed: 1,
                first_draw: 0,
            },
            years,
            cells,
            wedges: Vec::new(),
            measures: Vec::new(),
            book_lines: Vec::new(),
            book: Vec::new(),
            indicators: Vec::new(),
            targets: Vec::new(),
            per_draw: Vec::new(),
            met: Vec::new(),
            calibration_clamped: 0,
            reconciliation: Default::default(),
        }
    }

    #[test]
    fn wasted_heat_is_reported_for_the_last_year_with_any() {
        let r = wasted_run(
            vec![2020, 2021, 2022],
            &[&[500.0, 500.0], &[1000.0, 3000.0], &[0.0, 0.0]],
        );
        assert_eq!(
            wasted_heat_line(&r).as_deref(),
            Some(
                "warning: biomass CHP heat its county town cannot take: 2,000 MWh in 2021 (mean over draws)"
            )
        );
        let r = wasted_run(vec![2020, 2021], &[&[0.0], &[0.0]]);
        assert_eq!(wasted_heat_line(&r), None);
    }
}
