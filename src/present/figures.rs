//! Turns run results into chart data and renders all charts of a run or a comparison.
//!
//! The preparation functions are pure (results in, [`charts::data`] structs out) so they can be
//! tested without drawing; [`render_figures`] then draws every figure in every requested
//! language in parallel (rayon) into `<dir>/<name>_<lang>.png` and `.svg`.
//!
//! Conventions:
//! - Fractions (intensity changes, shares) are shown in percent; tonnes, tce and 亿元 keep their
//!   base unit and the chart layer rescales to 万吨 / 万吨标准煤 (Chinese) or kt / Mt (English).
//! - Scenario colours follow the position in the caller's scenario order ([`RunView::key`]).
//! - Wedge charts: the frozen-technology line is the mean of `co2_frozen_t` (`nox_frozen_t`,
//!   `vocs_frozen_t`); bands are the mean wedges of each measure of that pollutant; the path
//!   drawn is the per-year **mean** of the total emission, which equals frozen − Σ mean wedges
//!   because wedges add up draw by draw, so the last band ends on the path. The median is not
//!   used: emissions are right-skewed (VOCs 2020: mean 16.6 kt, median 15.0 kt), so a median
//!   line would leave a gap the wedges cannot explain.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::charts::{
    self, AttainmentTableData, BoxCompareData, BoxStats, ChartError, ChartStyle, Direction,
    DiscreteData, DiscretePanelsData, DistributionData, DistributionPanelsData, ExceedanceData,
    ExceedanceSeries, FanData, FanLayout, FanSeries, Label, Lang, LedgerBar, LedgerData,
    ScenarioBox, ScenarioKey, Target, TargetPoint, Unit, WedgeData, WedgeMeasure, WedgePanelsData,
};
use crate::analysis::compare::Attainment;
use crate::analysis::summary::{
    IndicatorSummary, RunSummary, TargetSummary, evaluated_column, pollutant_id,
};
use crate::engine::{RunResult, SERIES};
use crate::model::Pollutant;
use crate::model::indicators::Unit as ModelUnit;
use crate::present::units::format_value;
use crate::scenario::{Comparison, TargetKind};

/// Largest number of points of an exceedance curve.
pub const EXCEEDANCE_POINTS: usize = 400;

/// One run as the figures see it: its scenario key (colour by order) and its results.
#[derive(Debug, Clone, Copy)]
pub struct RunView<'a> {
    /// Scenario id (file names, footers).
    pub id: &'a str,
    /// Position in the fixed scenario order and display name.
    pub key: &'a ScenarioKey,
    /// Raw results (per-draw columns).
    pub result: &'a RunResult,
    /// Summary (quantiles, wedges, targets).
    pub summary: &'a RunSummary,
}

/// Prepared data of one chart.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChartKind {
    /// Histogram of one indicator.
    Distribution(DistributionData),
    /// Bars of a discrete indicator (the CO₂ peak year).
    Discrete(DiscreteData),
    /// Histograms of one indicator, one panel per scenario (comparison).
    DistributionPanels(DistributionPanelsData),
    /// Bars of a discrete indicator, one panel per scenario (comparison).
    DiscretePanels(DiscretePanelsData),
    /// Fan chart over the years.
    Fan(FanData),
    /// Wedges by measure.
    Wedge(WedgeData),
    /// Wedges of one pollutant, one panel per scenario (comparison).
    WedgePanels(WedgePanelsData),
    /// Key-project ledger of one pollutant (削减量 by project, 新增量 by cause, net change).
    Ledger(LedgerData),
    /// Box-and-whisker across scenarios.
    Box(BoxCompareData),
    /// Attainment table image.
    Table(AttainmentTableData),
    /// Exceedance curves.
    Exceedance(ExceedanceData),
}

impl ChartKind {
    /// Short kind name (`distribution`, `fan`, …).
    pub fn name(&self) -> &'static str {
        match self {
            ChartKind::Distribution(_) => "distribution",
            ChartKind::Discrete(_) => "discrete",
            ChartKind::DistributionPanels(_) => "distribution_panels",
            ChartKind::DiscretePanels(_) => "discrete_panels",
            ChartKind::Fan(_) => "fan",
            ChartKind::Wedge(_) => "wedge",
            ChartKind::WedgePanels(_) => "wedge_panels",
            ChartKind::Ledger(_) => "ledger",
            ChartKind::Box(_) => "box",
            ChartKind::Table(_) => "table",
            ChartKind::Exceedance(_) => "exceedance",
        }
    }
}

/// A chart to draw: file name stem (without language suffix), caption, data.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSpec {
    /// File stem, e.g. `distribution_plan_co2_intensity_change`.
    pub name: String,
    /// Caption in both languages (for the briefing).
    pub caption: Label,
    /// Section the figure belongs to in the briefing (e.g. the scenario id or "compare").
    pub section: String,
    /// The data.
    pub chart: ChartKind,
}

/// A language with the font to draw it in.
#[derive(Debug, Clone, PartialEq)]
pub struct LangFont {
    /// Language.
    pub lang: Lang,
    /// Font of every text.
    pub font: charts::ChartFont,
}

/// A figure after rendering: where its files are, per language.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFigure {
    /// File stem (without language suffix).
    pub name: String,
    /// Kind name.
    pub kind: &'static str,
    /// Section.
    pub section: String,
    /// Caption.
    pub caption: Label,
    /// Languages written, each with its PNG and SVG path.
    pub files: Vec<(Lang, PathBuf, PathBuf)>,
}

/// Outcome of [`render_figures`]: figures written and charts that failed (with the reason).
#[derive(Debug, Default)]
pub struct RenderReport {
    /// Figures with at least one language written, in spec order.
    pub figures: Vec<RenderedFigure>,
    /// `(file stem, error)` of charts that could not be written.
    pub failures: Vec<(String, ChartError)>,
}

/// File-name suffix of a language.
pub fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// How an indicator or series unit is drawn: chart unit and the factor applied to values
/// (the unit convention, [`crate::present::units::of_model`]).
pub fn display_unit(unit: ModelUnit) -> (Unit, f64) {
    crate::present::units::of_model(unit)
}

/// Formats a value in an indicator's unit for tables and labels, by the unit convention
/// ([`crate::present::units`]): percent for fractions, NOx and VOCs in whole tonnes, CO₂ in
/// 万吨 and energy in 万吨标准煤 with three significant digits, years as integers.
pub fn format_indicator(x: f64, unit: ModelUnit, lang: Lang) -> String {
    crate::present::units::format_indicator(x, unit, lang)
}

/// Direction of a target's comparison (at most is lower-is-better).
pub fn direction_of(t: &TargetSummary) -> Direction {
    match t.comparison {
        Comparison::AtLeast => Direction::HigherIsBetter,
        Comparison::AtMost => Direction::LowerIsBetter,
    }
}

/// Chinese and English name of a target kind.
pub fn kind_label(kind: TargetKind) -> Label {
    match kind {
        TargetKind::Binding => Label::new("约束性目标", "binding target"),
        TargetKind::Expected => Label::new("预期性目标", "expected target"),
        TargetKind::CarbonPeak => Label::new("碳达峰目标", "carbon-peak target"),
    }
}

/// The chart target of a target summary, scaled by `factor`.
pub fn chart_target(t: &TargetSummary, factor: f64) -> Target {
    let k = kind_label(t.kind);
    Target {
        value: t.threshold * factor,
        direction: direction_of(t),
        label: Label::new(
            format!("{} 年{}", t.year, k.zh),
            format!("{} {}", t.year, k.en),
        ),
    }
}

fn indicator_label(ind: &IndicatorSummary) -> Label {
    Label::new(ind.label_zh.clone(), ind.label_en.clone())
}

fn scale(v: &[f64], f: f64) -> Vec<f64> {
    v.iter().map(|x| x * f).collect()
}

/// The first target on indicator `name` checked in `year`.
fn target_for<'a>(s: &'a RunSummary, name: &str, year: i32) -> Option<&'a TargetSummary> {
    s.targets
        .iter()
        .find(|t| t.indicator == name && t.year == year)
}

/// Whether an indicator is drawn as a continuous distribution. Years (the CO₂ peak year) are
/// discrete: a histogram, density or box of years misleads, and English axes would group the
/// digits ("2,030"); they get a bar chart ([`discrete_data`]) and stay out of box plots and
/// exceedance curves.
pub fn continuous(unit: ModelUnit) -> bool {
    unit.is_continuous()
}

fn has_spread(values: &[f64]) -> bool {
    let mut it = values.iter().filter(|v| v.is_finite());
    let Some(first) = it.next() else {
        return false;
    };
    it.any(|v| v != first)
}

/// Distribution chart of horizon indicator `i` (None when the column has no spread).
pub fn distribution_data(v: &RunView<'_>, i: usize) -> Option<DistributionData> {
    let ind = v.summary.indicators.get(i)?;
    if !continuous(ind.unit) {
        return None;
    }
    let (unit, f) = display_unit(ind.unit);
    let draws = scale(&evaluated_column(v.result, i).1, f);
    if !has_spread(&draws) {
        return None;
    }
    let t = target_for(v.summary, &ind.name, ind.year);
    Some(DistributionData {
        indicator: indicator_label(ind),
        unit,
        scenario: v.key.clone(),
        year: ind.year,
        n_draws: v.result.n_draws(),
        density: charts::Density::of(&draws),
        draws,
        target: t.map(|t| chart_target(t, f)),
        p_target_met: t.map(|t| t.probability),
        p5: ind.dist.p5 * f,
        median: ind.dist.p50 * f,
        p95: ind.dist.p95 * f,
    })
}

/// Bar chart of discrete horizon indicator `i` (the CO₂ peak year): share of draws per year,
/// the target and P(target met). None for continuous indicators or without finite draws.
pub fn discrete_data(v: &RunView<'_>, i: usize) -> Option<DiscreteData> {
    let ind = v.summary.indicators.get(i)?;
    if continuous(ind.unit) {
        return None;
    }
    let shares = charts::discrete_shares(&evaluated_column(v.result, i).1);
    if shares.is_empty() {
        return None;
    }
    let t = target_for(v.summary, &ind.name, ind.year);
    Some(DiscreteData {
        indicator: indicator_label(ind),
        scenario: v.key.clone(),
        year: ind.year,
        base_year: *v.result.years.first()?,
        n_draws: v.result.n_draws(),
        shares,
        target: t.map(|t| chart_target(t, 1.0)),
        p_target_met: t.map(|t| t.probability),
    })
}

/// Distribution chart of target `k`'s indicator in the target's year, for targets in another
/// year than the one its indicator is evaluated in (those are covered by
/// [`distribution_data`]), e.g. a second, later target on the same indicator.
pub fn target_distribution_data(v: &RunView<'_>, k: usize) -> Option<DistributionData> {
    let t = v.summary.targets.get(k)?;
    let ind = v
        .summary
        .indicators
        .iter()
        .find(|i| i.name == t.indicator)?;
    if t.year == ind.year {
        return None;
    }
    let (unit, f) = display_unit(ind.unit);
    let draws = scale(&v.result.target_column(k), f);
    if !has_spread(&draws) {
        return None;
    }
    Some(DistributionData {
        indicator: indicator_label(ind),
        unit,
        scenario: v.key.clone(),
        year: t.year,
        n_draws: v.result.n_draws(),
        density: charts::Density::of(&draws),
        draws,
        target: Some(chart_target(t, f)),
        p_target_met: Some(t.probability),
        p5: t.dist.p5 * f,
        median: t.dist.p50 * f,
        p95: t.dist.p95 * f,
    })
}

/// Per-year quantile path of series `name` (sketch P5…P95), scaled; None when the series has
/// no quantiles or any is not finite.
pub fn fan_series(v: &RunView<'_>, name: &str) -> Option<FanSeries> {
    let def = SERIES.iter().find(|d| d.name == name && d.quantiles)?;
    let (_, f) = display_unit(def.unit);
    let rows: Vec<_> = v.summary.series.iter().filter(|s| s.name == name).collect();
    if rows.len() < 2
        || rows
            .iter()
            .any(|r| r.quantiles.iter().any(|q| !q.is_finite()))
    {
        return None;
    }
    let col = |j: usize| rows.iter().map(|r| r.quantiles[j] * f).collect::<Vec<_>>();
    Some(FanSeries {
        scenario: v.key.clone(),
        years: rows.iter().map(|r| r.year).collect(),
        p5: col(0),
        p25: col(1),
        p50: col(2),
        p75: col(3),
        p95: col(4),
    })
}

/// Fan chart of series `name` across `views` (one path per scenario); the base-year value is
/// the first scenario's base-year mean, the target point the first scenario's target on the
/// indicator of the same name.
pub fn fan_data(views: &[RunView<'_>], name: &str, layout: FanLayout) -> Option<FanData> {
    let def = SERIES.iter().find(|d| d.name == name && d.quantiles)?;
    let (unit, f) = display_unit(def.unit);
    let series: Vec<FanSeries> = views.iter().filter_map(|v| fan_series(v, name)).collect();
    if series.len() != views.len() || series.is_empty() {
        return None;
    }
    let first = views.first()?;
    let base = first.summary.series.iter().find(|s| s.name == name)?;
    let horizon = *first.result.years.last()?;
    let target = first
        .summary
        .targets
        .iter()
        .filter(|t| t.indicator == name)
        .min_by_key(|t| (t.year - horizon).abs())
        .map(|t| TargetPoint {
            year: t.year,
            target: chart_target(t, f),
        });
    Some(FanData {
        indicator: Label::new(def.label_zh, def.label_en),
        unit,
        base_year: base.year,
        base_value: base.mean * f,
        target,
        series,
        n_draws: first.result.n_draws(),
        layout,
    })
}

/// Most bands a wedge chart shows; smaller measures are summed into one "other measures" band
/// so every band keeps its own colour (the palette has seven).
pub const MAX_WEDGE_BANDS: usize = 7;

/// A measure that raises the emission on average in some year (drawn as a band above the
/// frozen line): its name and mean increase in the last year (t), for the caption.
#[derive(Debug, Clone, PartialEq)]
pub struct WedgeIncrease {
    /// Measure name.
    pub label: Label,
    /// Mean increase in the last year (positive tonnes).
    pub increase_t: f64,
}

/// Wedge chart of `pollutant` for one run; see the module notes.
/// Reduction bands are the measures with a non-negative mean reduction in every year, largest
/// (in the last year) first, at most [`MAX_WEDGE_BANDS`] (the rest summed as "other
/// measures"); measures that raise the emission in some year follow as their own bands (the
/// chart draws increases above the frozen line) and are also returned for the caption.
pub fn wedge_data(
    v: &RunView<'_>,
    pollutant: Pollutant,
    catalogue: &[String],
) -> Option<(WedgeData, Vec<WedgeIncrease>)> {
    let (mut d, inc) = wedge_data_ungrouped(v, pollutant, catalogue)?;
    let (keep, n_other) = kept_reductions(std::slice::from_ref(&d));
    group_reductions(&mut d, &keep, n_other);
    Some((d, inc))
}

/// Measure ids of `views` in order of first appearance (scenario order, then each scenario's
/// measure order, all pollutants): a measure's position is its palette slot
/// ([`charts::style::measure_color`]), so a measure has one colour and pattern in every chart
/// of a run or a comparison, whatever pollutant or panel it appears in.
pub fn measure_catalogue(views: &[RunView<'_>]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for v in views {
        for w in &v.summary.wedges {
            if !ids.contains(&w.measure) {
                ids.push(w.measure.clone());
            }
        }
    }
    // Ledger projects without a wedge measure (natural retirement) come after every measure,
    // so adding them leaves the wedge colours as they were.
    for v in views {
        for b in &v.summary.ledger {
            let key = project_colour_key(&b.id, b.pollutant);
            if !ids.contains(&key) {
                ids.push(key);
            }
        }
    }
    ids
}

/// The wedge measure a key project of the ledger belongs to (MODEL.md §4: every measure of the
/// plan is a project), for `pollutant` (NOx or VOCs): its id in `wedges.csv`. None for the
/// projects that are no measure of the scenario (vehicles and machinery retiring naturally).
pub fn wedge_measure_of(project: &str, pollutant: Pollutant) -> Option<String> {
    let per_pollutant = |m: &str| format!("{m}.{}", pollutant_id(pollutant));
    Some(match project {
        "heat_network" | "boiler_phaseout" | "clean_heating" => per_pollutant(project),
        "biomass_heat" => per_pollutant("biomass_chp"),
        "vehicle_scrappage" => per_pollutant("fleet.scrappage"),
        "industry_fuel_switch" => "industry.fuel_switch".to_string(),
        "sinter_denox" => "industry.sinter_denox".to_string(),
        "kiln_upgrade" => "industry.kiln_upgrade".to_string(),
        "vapour_recovery" => "vocs.vapour_recovery".to_string(),
        p => {
            if let Some(x) = p.strip_prefix("substitution_") {
                format!("vocs.substitution.{x}")
            } else if let Some(x) = p.strip_prefix("treatment_") {
                format!("vocs.removal.{x}")
            } else {
                return None;
            }
        }
    })
}

/// Catalogue key of a ledger project: its wedge measure's id, else `ledger:<project>`.
fn project_colour_key(project: &str, pollutant: Pollutant) -> String {
    wedge_measure_of(project, pollutant).unwrap_or_else(|| format!("ledger:{project}"))
}

/// Projects under this share of the total 削减量 are summed into one "other projects" bar.
pub const LEDGER_SMALL_SHARE: f64 = 0.02;

/// Ledger chart of `pollutant` (NOx or VOCs) for one run, in the year of the target on its
/// key-project indicator (else the horizon): the projects' 削减量 (mean, P5–P95) largest first,
/// those under [`LEDGER_SMALL_SHARE`] of the total grouped; the total with the indicator's
/// interval when the indicator is the ledger's sum (the `"ledger"` accounting); the 新增量 by
/// cause (causes that are zero left out) and the mean emission change since the base year.
pub fn ledger_data(
    v: &RunView<'_>,
    pollutant: Pollutant,
    catalogue: &[String],
) -> Option<LedgerData> {
    let (indicator, total_series, name) = match pollutant {
        Pollutant::Nox => (
            "nox_key_project_reduction_t",
            "nox_total_t",
            Label::new("氮氧化物", "NOx"),
        ),
        Pollutant::Vocs => (
            "vocs_key_project_reduction_t",
            "vocs_total_t",
            Label::new("挥发性有机物", "VOCs"),
        ),
        Pollutant::Co2 => return None,
    };
    let horizon = *v.result.years.last()?;
    let base_year = *v.result.years.first()?;
    let target = v.summary.targets.iter().find(|t| t.indicator == indicator);
    let year = target.map_or(horizon, |t| t.year);
    let cuts = v.summary.ledger_in(pollutant, year);
    if cuts.is_empty() {
        return None;
    }
    let sum_cut: f64 = cuts.iter().map(|b| b.mean_t).sum();
    let mut projects: Vec<LedgerBar> = Vec::new();
    let (mut other, mut n_other) = (0.0, 0);
    for b in &cuts {
        if b.mean_t.is_nan() || b.mean_t <= 0.0 {
            continue;
        }
        if b.mean_t < LEDGER_SMALL_SHARE * sum_cut {
            other += b.mean_t;
            n_other += 1;
            continue;
        }
        let key = project_colour_key(&b.id, pollutant);
        let interval = [b.p5_t, b.p95_t]
            .iter()
            .all(|x| x.is_finite())
            .then_some((b.p5_t, b.p95_t));
        projects.push(LedgerBar {
            label: Label::new(b.label_zh.clone(), b.label_en.clone()),
            slot: catalogue.iter().position(|id| *id == key),
            mean: b.mean_t,
            interval,
        });
    }
    if projects.is_empty() {
        return None;
    }
    projects.sort_by(|a, b| b.mean.total_cmp(&a.mean));
    if n_other > 0 {
        projects.push(LedgerBar {
            label: Label::new(
                format!("其他 {n_other} 项工程"),
                if n_other == 1 {
                    "1 other project".to_string()
                } else {
                    format!("{n_other} other projects")
                },
            ),
            slot: None,
            mean: other,
            interval: None,
        });
    }
    // The indicator's interval belongs to the total only when the indicator is the ledger's
    // sum (under "net" accounting it is the sum of net wedges instead).
    let ind = target.map(|t| &t.dist).or_else(|| {
        v.summary
            .indicators
            .iter()
            .find(|i| i.name == indicator && i.year == year)
            .map(|i| &i.dist)
    });
    let interval = ind
        .filter(|d| (d.mean - sum_cut).abs() <= 1e-6 * sum_cut.abs().max(1.0))
        .map(|d| (d.p5, d.p95));
    let incs = v.summary.increments_in(pollutant, year);
    let total_increment: f64 = incs.iter().map(|b| b.mean_t).sum();
    let mean_of = |y: i32| {
        v.summary
            .series
            .iter()
            .find(|s| s.name == total_series && s.year == y)
            .map(|s| s.mean)
    };
    let net_change = mean_of(year)? - mean_of(base_year)?;
    Some(LedgerData {
        pollutant: name,
        unit: Unit::Tonnes,
        scenario: v.key.clone(),
        n_draws: v.result.n_draws(),
        base_year,
        year,
        projects,
        total_cut: LedgerBar {
            label: Label::new("削减量合计", "Total reduction"),
            slot: None,
            mean: sum_cut,
            interval,
        },
        increments: incs
            .iter()
            .filter(|b| b.mean_t != 0.0)
            .map(|b| LedgerBar {
                label: Label::new(b.label_zh.clone(), b.label_en.clone()),
                slot: None,
                mean: b.mean_t,
                interval: None,
            })
            .collect(),
        total_increment,
        net_change,
        target: target.map(|t| chart_target(t, 1.0)),
        p_target_met: target.map(|t| t.probability),
    })
}

/// The ledger figures of one run (NOx, then VOCs), named `ledger_<id>_<pollutant>`: the
/// headline figures of the two pollutants.
pub fn ledger_figures(v: &RunView<'_>, catalogue: &[String], section: &str) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    for pollutant in [Pollutant::Nox, Pollutant::Vocs] {
        let Some(d) = ledger_data(v, pollutant, catalogue) else {
            continue;
        };
        let p = pollutant_id(pollutant);
        let f = |x: f64, lang: Lang| format_indicator(x, ModelUnit::tonnes_of(pollutant), lang);
        let p_met = p_met_phrase(d.p_target_met);
        out.push(FigureSpec {
            name: format!("ledger_{}_{p}", v.id),
            caption: cap(
                format!(
                    "{}重点工程削减量台账（{} 年，{}）：各工程削减量均值（须线为 P5–P95），合计 {}{}；新增量合计 {}；{}→{} 年排放净变化 {}（= 新增量 − 削减量）。颜色与楔形图中的同一措施一致。",
                    d.pollutant.zh,
                    d.year,
                    v.key.label.zh,
                    f(d.total_cut.mean, Lang::Zh),
                    p_met.0,
                    f(d.total_increment, Lang::Zh),
                    d.base_year,
                    d.year,
                    f(d.net_change, Lang::Zh),
                ),
                format!(
                    "{} key-project ledger in {} ({}): mean reduction (削减量) by project (whiskers P5–P95), total {}{}; new increments (新增量: new sources and growth) {}; net change {}→{} {} (= increments − reductions). A project has the colour of its measure in the wedge charts.",
                    d.pollutant.en,
                    d.year,
                    v.key.label.en,
                    f(d.total_cut.mean, Lang::En),
                    p_met.1,
                    f(d.total_increment, Lang::En),
                    d.base_year,
                    d.year,
                    f(d.net_change, Lang::En),
                ),
            ),
            section: section.to_string(),
            chart: ChartKind::Ledger(d),
        });
    }
    out
}

/// Whether a wedge measure only reduces the emission (never raises it in any year).
fn pure_reduction(m: &WedgeMeasure) -> bool {
    m.reduction.iter().all(|r| *r >= 0.0)
}

/// The reduction measures that keep their own band across `panels`: all of them when at most
/// [`MAX_WEDGE_BANDS`] exist over the panels, else the `MAX_WEDGE_BANDS − 1` largest (by
/// their largest last-year reduction in any panel); and how many others are grouped.
fn kept_reductions(panels: &[WedgeData]) -> (Vec<Label>, usize) {
    let mut all: Vec<(Label, f64)> = Vec::new();
    for d in panels {
        for m in d.measures.iter().filter(|m| pure_reduction(m)) {
            let last = m.reduction.last().copied().unwrap_or(0.0);
            match all.iter_mut().find(|(l, _)| *l == m.label) {
                Some((_, x)) => *x = x.max(last),
                None => all.push((m.label.clone(), last)),
            }
        }
    }
    if all.len() <= MAX_WEDGE_BANDS {
        return (all.into_iter().map(|(l, _)| l).collect(), 0);
    }
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    let n_other = all.len() - (MAX_WEDGE_BANDS - 1);
    all.truncate(MAX_WEDGE_BANDS - 1);
    (all.into_iter().map(|(l, _)| l).collect(), n_other)
}

/// Sums the pure reductions of `d` not in `keep` into one "N other measures" band, placed
/// after the kept reductions and before the increases.
fn group_reductions(d: &mut WedgeData, keep: &[Label], n_other: usize) {
    if n_other == 0 {
        return;
    }
    let (mut kept, mut raising) = (Vec::new(), Vec::new());
    let mut other: Option<Vec<f64>> = None;
    for m in std::mem::take(&mut d.measures) {
        if !pure_reduction(&m) {
            raising.push(m);
        } else if keep.contains(&m.label) {
            kept.push(m);
        } else {
            let sum = other.get_or_insert_with(|| vec![0.0; m.reduction.len()]);
            sum.iter_mut().zip(&m.reduction).for_each(|(s, r)| *s += r);
        }
    }
    if let Some(reduction) = other {
        kept.push(WedgeMeasure {
            slot: None,
            label: Label::new(
                format!("其他 {n_other} 项措施"),
                format!("{n_other} other measures"),
            ),
            reduction,
        });
    }
    kept.extend(raising);
    d.measures = kept;
}

/// [`wedge_data`] before small measures are grouped: pure reductions largest first (in the
/// last year), then the measures that raise the emission in some year.
fn wedge_data_ungrouped(
    v: &RunView<'_>,
    pollutant: Pollutant,
    catalogue: &[String],
) -> Option<(WedgeData, Vec<WedgeIncrease>)> {
    let (frozen_name, total_name, label, unit) = match pollutant {
        Pollutant::Co2 => (
            "co2_frozen_t",
            "co2_total_t",
            Label::new("能源活动二氧化碳排放", "Energy-related CO₂"),
            Unit::TonnesCo2,
        ),
        Pollutant::Nox => (
            "nox_frozen_t",
            "nox_total_t",
            Label::new("氮氧化物排放量", "NOx emissions"),
            Unit::Tonnes,
        ),
        Pollutant::Vocs => (
            "vocs_frozen_t",
            "vocs_total_t",
            Label::new("挥发性有机物排放量", "VOCs emissions"),
            Unit::Tonnes,
        ),
    };
    let years = v.result.years.clone();
    let frozen: Vec<f64> = years
        .iter()
        .map(|y| {
            v.summary
                .series
                .iter()
                .find(|s| s.name == frozen_name && s.year == *y)
                .map_or(f64::NAN, |s| s.mean)
        })
        .collect();
    let mean_path: Vec<f64> = years
        .iter()
        .map(|y| {
            v.summary
                .series
                .iter()
                .find(|s| s.name == total_name && s.year == *y)
                .map_or(f64::NAN, |s| s.mean)
        })
        .collect();
    let mut measures: Vec<WedgeMeasure> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for w in v.summary.wedges.iter().filter(|w| w.pollutant == pollutant) {
        if !ids.contains(&w.measure.as_str()) {
            ids.push(&w.measure);
            measures.push(WedgeMeasure {
                slot: catalogue.iter().position(|id| *id == w.measure),
                label: Label::new(w.label_zh.clone(), w.label_en.clone()),
                reduction: Vec::new(),
            });
        }
    }
    for (m, id) in measures.iter_mut().zip(&ids) {
        m.reduction = years
            .iter()
            .map(|y| {
                v.summary
                    .wedges
                    .iter()
                    .find(|w| w.measure == *id && w.year == *y)
                    .map_or(0.0, |w| if w.mean_t.is_finite() { w.mean_t } else { 0.0 })
            })
            .collect();
    }
    // Measures with no effect in any year would only add empty legend entries.
    measures.retain(|m| m.reduction.iter().any(|r| r.abs() > 0.0));
    // Measures that raise the emission in some year keep their own band (above the frozen
    // line); only pure reductions are grouped when there are too many.
    let (mut measures, raising): (Vec<WedgeMeasure>, Vec<WedgeMeasure>) = measures
        .into_iter()
        .partition(|m| m.reduction.iter().all(|r| *r >= 0.0));
    let last = |m: &WedgeMeasure| m.reduction.last().copied().unwrap_or(0.0);
    measures.sort_by(|a, b| last(b).total_cmp(&last(a)));
    let increases = raising
        .iter()
        .map(|m| WedgeIncrease {
            increase_t: -last(m),
            label: m.label.clone(),
        })
        .collect();
    measures.extend(raising);
    if measures.is_empty()
        || years.len() < 2
        || frozen.iter().chain(&mean_path).any(|x| !x.is_finite())
    {
        return None;
    }
    Some((
        WedgeData {
            indicator: label,
            unit,
            scenario: v.key.clone(),
            n_draws: v.result.n_draws(),
            years,
            frozen,
            median: mean_path,
            measures,
        },
        increases,
    ))
}

/// Box-and-whisker comparison of horizon indicator `name` across `views`.
pub fn box_data(views: &[RunView<'_>], name: &str) -> Option<BoxCompareData> {
    let first = views.first()?;
    let ind = first.summary.indicators.iter().find(|i| i.name == name)?;
    if !continuous(ind.unit) {
        return None;
    }
    let (unit, f) = display_unit(ind.unit);
    let judged = judged_targets(views, name, ind.year);
    let mut boxes = Vec::new();
    for (j, v) in views.iter().enumerate() {
        let d = match &judged {
            Some(k) => &v.summary.targets.get(k[j])?.dist,
            None => &v.summary.indicators.iter().find(|i| i.name == name)?.dist,
        };
        let stats = BoxStats {
            p5: d.p5 * f,
            p25: d.p25 * f,
            median: d.p50 * f,
            p75: d.p75 * f,
            p95: d.p95 * f,
        };
        if [stats.p5, stats.p25, stats.median, stats.p75, stats.p95]
            .iter()
            .any(|x| !x.is_finite())
        {
            return None;
        }
        boxes.push(ScenarioBox {
            scenario: v.key.clone(),
            stats,
        });
    }
    let (year, target) = judged_target(first, judged.as_deref(), name, ind.year);
    Some(BoxCompareData {
        indicator: indicator_label(ind),
        unit,
        year,
        n_draws: first.result.n_draws(),
        target: target.map(|t| chart_target(t, f)),
        boxes,
    })
}

/// Where a comparison judges indicator `name`: the index, in each view, of its target in the
/// year of the first scenario's first target on it, when that year is before the `horizon`
/// and every scenario has one there. A comparison aligned to 2030 thus shows the 2025
/// targets' indicators in 2025, with the target marked. None (use the horizon-year
/// indicator) otherwise.
fn judged_targets(views: &[RunView<'_>], name: &str, horizon: i32) -> Option<Vec<usize>> {
    let year = views
        .first()?
        .summary
        .targets
        .iter()
        .find(|t| t.indicator == name)?
        .year;
    if year == horizon {
        return None;
    }
    views
        .iter()
        .map(|v| {
            v.summary
                .targets
                .iter()
                .position(|t| t.indicator == name && t.year == year)
        })
        .collect()
}

/// Year and target of a comparison chart of `name` in the first view (see [`judged_targets`]).
fn judged_target<'a>(
    first: &RunView<'a>,
    judged: Option<&[usize]>,
    name: &str,
    horizon: i32,
) -> (i32, Option<&'a TargetSummary>) {
    match judged.and_then(|k| first.summary.targets.get(*k.first()?)) {
        Some(t) => (t.year, Some(t)),
        None => (horizon, target_for(first.summary, name, horizon)),
    }
}

/// Exceedance curves of indicator `name`, one per scenario from its per-draw column, in the
/// year the comparison judges it (see `judged_targets`). "Better" follows the indicator's
/// target (lower is better when it has none).
pub fn exceedance_data(
    views: &[RunView<'_>],
    name: &str,
    max_points: usize,
) -> Option<ExceedanceData> {
    let first = views.first()?;
    let ind = first.summary.indicators.iter().find(|i| i.name == name)?;
    if !continuous(ind.unit) {
        return None;
    }
    let (unit, f) = display_unit(ind.unit);
    let judged = judged_targets(views, name, ind.year);
    let (year, target) = judged_target(first, judged.as_deref(), name, ind.year);
    let direction = target.map_or(Direction::LowerIsBetter, direction_of);
    let mut series = Vec::new();
    for (j, v) in views.iter().enumerate() {
        let raw = match &judged {
            Some(k) => v.result.target_column(k[j]),
            None => {
                let i = v.result.indicators.iter().position(|d| d.name == name)?;
                evaluated_column(v.result, i).1
            }
        };
        let col = scale(&raw, f);
        let points = charts::exceedance_curve(&col, direction, max_points);
        if points.len() < 2 {
            return None;
        }
        series.push(ExceedanceSeries {
            scenario: v.key.clone(),
            points,
        });
    }
    Some(ExceedanceData {
        indicator: indicator_label(ind),
        unit,
        year,
        n_draws: first.result.n_draws(),
        direction,
        target: target.map(|t| chart_target(t, f)),
        series,
    })
}

/// Row label of a target: indicator name, comparison and threshold in display units.
pub fn target_row_label(t: &TargetSummary, ind: Option<&IndicatorSummary>) -> Label {
    let (zh_name, en_name, unit) = match ind {
        Some(i) => (i.label_zh.as_str(), i.label_en.as_str(), Some(i.unit)),
        None => (t.id.as_str(), t.id.as_str(), None),
    };
    let cmp = t.comparison.sign();
    Label::new(
        format!(
            "{zh_name} {cmp} {}（{} 年）",
            format_value(t.threshold, unit, Lang::Zh),
            t.year
        ),
        format!(
            "{en_name} {cmp} {} ({})",
            format_value(t.threshold, unit, Lang::En),
            t.year
        ),
    )
}

/// Attainment table image: targets (first-appearance order) × scenarios (view order).
pub fn attainment_data(views: &[RunView<'_>], att: &[Attainment]) -> Option<AttainmentTableData> {
    let mut rows: Vec<&TargetSummary> = Vec::new();
    for v in views {
        for t in &v.summary.targets {
            if !rows.iter().any(|r| r.id == t.id) {
                rows.push(t);
            }
        }
    }
    if rows.is_empty() || views.is_empty() {
        return None;
    }
    let label_of = |t: &TargetSummary| {
        let ind = views
            .iter()
            .find_map(|v| v.summary.indicators.iter().find(|i| i.name == t.indicator));
        target_row_label(t, ind)
    };
    Some(AttainmentTableData {
        year: rows.iter().map(|t| t.year).max().unwrap_or(0),
        n_draws: views[0].result.n_draws(),
        targets: rows.iter().map(|t| label_of(t)).collect(),
        scenarios: views.iter().map(|v| v.key.clone()).collect(),
        probabilities: rows
            .iter()
            .map(|t| {
                views
                    .iter()
                    .map(|v| {
                        att.iter()
                            .find(|a| a.scenario == v.id && a.target == t.id)
                            .map_or(f64::NAN, |a| a.probability)
                    })
                    .collect()
            })
            .collect(),
    })
}

fn cap(zh: String, en: String) -> Label {
    Label::new(zh, en)
}

/// Series drawn as fan charts (those with per-year quantiles).
pub fn fan_series_names() -> Vec<&'static str> {
    SERIES
        .iter()
        .filter(|d| d.quantiles)
        .map(|d| d.name)
        .collect()
}

const WEDGE_CAPTION_ZH: &str = "实线为技术冻结情形（均值）；本图为净减排分析口径，不是重点工程减排量台账（见 ledger.csv）；斜线框为使排放增加的措施（新增排放），自冻结线向上叠加；色带为各措施的平均减排量，自其顶部向下叠加，最下一条色带的下沿即虚线所示的平均排放路径（冻结线 + 新增 − 减排，逐次抽样可加）。斜线覆盖的减排量只抵消了新增排放。排放分布右偏，中位数低于均值，见扇形图。";
const WEDGE_CAPTION_EN: &str = "Solid line: frozen technology (mean). Net reductions, an analysis, not the key-project ledger (see ledger.csv). Hatched outlines: measures that raise emissions (new sources), stacked up from the frozen line. Bands: mean reductions by measure, stacked down from their top; the lowest band ends on the dashed mean emission path (frozen + new sources − reductions; wedges add up draw by draw). Reductions under the hatching only offset new sources. Emissions are right-skewed, so the median lies below the mean; see the fan charts.";

/// The caption phrase of a target's attainment probability, (Chinese, English); empty
/// without a target.
fn p_met_phrase(p: Option<f64>) -> (String, String) {
    p.map(|p| {
        let f = charts::style::format_probability(p);
        (format!("，达标概率 {f}"), format!("; P(target met) {f}"))
    })
    .unwrap_or_default()
}

/// Per-scenario figures: the NOx and VOCs ledgers (headline), distributions (horizon indicators
/// and earlier targets) and wedges;
/// with `fans`, one fan chart per quantile series.
pub fn scenario_figures(v: &RunView<'_>, fans: bool) -> Vec<FigureSpec> {
    let catalogue = measure_catalogue(std::slice::from_ref(v));
    let mut out = ledger_figures(v, &catalogue, v.id);
    out.extend(distribution_figures(v));
    out.extend(wedge_and_fan_figures(v, fans));
    out
}

/// A scenario's single distribution charts (horizon indicators, the discrete peak year,
/// indicators of targets checked before the horizon).
fn distribution_figures(v: &RunView<'_>) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = v.id.to_string();
    for (i, ind) in v.summary.indicators.iter().enumerate() {
        if let Some(d) = distribution_data(v, i) {
            let p = p_met_phrase(d.p_target_met);
            out.push(FigureSpec {
                name: format!("distribution_{}_{}", v.id, ind.name),
                caption: cap(
                    format!(
                        "{} {} 年取值分布（{}）{}。直方图为全部抽样，曲线为核密度估计，虚线为目标。",
                        ind.label_zh, ind.year, v.key.label.zh, p.0
                    ),
                    format!(
                        "{} in {}: distribution over the draws ({}){}. Histogram of all draws, kernel density curve, dashed line at the target.",
                        ind.label_en, ind.year, v.key.label.en, p.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Distribution(d),
            });
        }
    }
    for (i, ind) in v.summary.indicators.iter().enumerate() {
        if let Some(d) = discrete_data(v, i) {
            let p = p_met_phrase(d.p_target_met);
            out.push(FigureSpec {
                name: format!("distribution_{}_{}", v.id, ind.name),
                caption: cap(
                    format!(
                        "{}分布（{} 年评估，{}）{}。柱为各年份的抽样占比，深色柱满足目标，虚线为目标界限。",
                        ind.label_zh, ind.year, v.key.label.zh, p.0
                    ),
                    format!(
                        "{} (judged in {}; {}){}. Bars give the share of draws per year; dark bars meet the target, the dashed line marks its limit.",
                        ind.label_en, ind.year, v.key.label.en, p.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Discrete(d),
            });
        }
    }
    for k in 0..v.summary.targets.len() {
        if let Some(d) = target_distribution_data(v, k) {
            let t = &v.summary.targets[k];
            out.push(FigureSpec {
                name: format!("distribution_{}_{}_{}", v.id, t.id, t.year),
                caption: cap(
                    format!(
                        "目标 {} 的指标在 {} 年的分布（{}）。",
                        t.id, t.year, v.key.label.zh
                    ),
                    format!(
                        "Indicator of target {} in {} ({}).",
                        t.id, t.year, v.key.label.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Distribution(d),
            });
        }
    }
    out
}

/// A scenario's fan charts (with `fans`) and wedge charts.
fn wedge_and_fan_figures(v: &RunView<'_>, fans: bool) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = v.id.to_string();
    if fans {
        for name in fan_series_names() {
            if let Some(d) = fan_data(std::slice::from_ref(v), name, FanLayout::Overlay) {
                out.push(FigureSpec {
                    name: format!("fan_{}_{name}", v.id),
                    caption: cap(
                        format!(
                            "{}逐年分布（{}）：实线为中位数，深色带 50 %、浅色带 90 % 区间；圆点为基年均值，叉号与虚线为目标。",
                            d.indicator.zh, v.key.label.zh
                        ),
                        format!(
                            "{} by year ({}): median line, 50 % (dark) and 90 % (light) bands; dot at the base-year mean, cross and dashed line at the target.",
                            d.indicator.en, v.key.label.en
                        ),
                    ),
                    section: sec.clone(),
                    chart: ChartKind::Fan(d),
                });
            }
        }
    }
    let catalogue = measure_catalogue(std::slice::from_ref(v));
    for pollutant in [Pollutant::Co2, Pollutant::Nox, Pollutant::Vocs] {
        let p = pollutant_id(pollutant);
        if let Some((d, inc)) = wedge_data(v, pollutant, &catalogue) {
            let year = d.years.last().copied().unwrap_or(0);
            let (mut zh, mut en) = (String::new(), String::new());
            if !inc.is_empty() {
                let list = |lang: Lang| {
                    inc.iter()
                        .map(|w| {
                            format!(
                                "{} +{}",
                                w.label.get(lang),
                                format_indicator(
                                    w.increase_t,
                                    ModelUnit::tonnes_of(pollutant),
                                    lang
                                )
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                zh = format!(
                    "使排放增加的措施（{year} 年均值：{}）画成冻结线以上的竖线阴影带；平均排放路径 = 冻结线 + 增加 − 减排，因此它比最下一条减排色带的下沿高出阴影带的高度。",
                    list(Lang::Zh)
                );
                en = format!(
                    " Measures that raise the emission (mean in {year}: {}) are the hatched bands above the frozen line; the mean path is frozen + increases − reductions, so it lies above the lowest reduction band by the height of the hatched bands.",
                    list(Lang::En)
                );
            }
            out.push(FigureSpec {
                name: format!("wedge_{}_{p}", v.id),
                caption: cap(
                    format!(
                        "{}：各措施净减排楔形（{}）。{WEDGE_CAPTION_ZH}{zh}",
                        d.indicator.zh, v.key.label.zh
                    ),
                    format!(
                        "{}: net reduction wedges by measure ({}). {WEDGE_CAPTION_EN}{en}",
                        d.indicator.en, v.key.label.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Wedge(d),
            });
        }
    }
    out
}

/// Section of the comparison's own figures (the others carry their scenario id).
pub const COMPARE_SECTION: &str = "compare";

/// Figures of a comparison: attainment table, per indicator box plot and exceedance curves,
/// fan charts of every quantile series (overlay for up to two scenarios, panels otherwise),
/// then one small multiple per distribution ([`panel_figures`]) and each scenario's wedges.
pub fn compare_figures(views: &[RunView<'_>], att: &[Attainment]) -> Vec<FigureSpec> {
    // The four groups are independent (the exceedance curves sort and the density estimates
    // pass over every scenario's draws): built side by side, concatenated in this order.
    let ((out, fans), (panels, wedges)) = rayon::join(
        || rayon::join(|| summary_figures(views, att), || fan_figures(views)),
        || rayon::join(|| panel_figures(views), || wedge_panel_figures(views)),
    );
    // The ledgers first (the NOx and VOCs headline figures), NOx of every scenario, then VOCs;
    // each in its scenario's section (its footer names that scenario only).
    let catalogue = measure_catalogue(views);
    let mut ledgers: Vec<FigureSpec> = views
        .iter()
        .flat_map(|v| ledger_figures(v, &catalogue, v.id))
        .collect();
    ledgers.sort_by_key(|f| !f.name.ends_with("_nox"));
    ledgers.extend(out);
    let mut out = ledgers;
    out.extend(fans);
    out.extend(panels);
    out.extend(wedges);
    out
}

/// The comparison's attainment table and its box and exceedance figures per indicator.
fn summary_figures(views: &[RunView<'_>], att: &[Attainment]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = COMPARE_SECTION.to_string();
    if let Some(d) = attainment_data(views, att) {
        out.push(FigureSpec {
            name: "attainment_table".to_string(),
            caption: cap(
                "各情景达标概率（抽样中满足目标的比例）。".to_string(),
                "Probability of meeting each target by scenario (share of draws meeting it)."
                    .to_string(),
            ),
            section: sec.clone(),
            chart: ChartKind::Table(d),
        });
    }
    let Some(first) = views.first() else {
        return out;
    };
    for ind in &first.summary.indicators {
        if let Some(d) = box_data(views, &ind.name) {
            out.push(FigureSpec {
                name: format!("box_{}", ind.name),
                caption: cap(
                    format!(
                        "{} {} 年各情景比较：箱体为 P25–P75，中线为中位数，须为 P5–P95。",
                        ind.label_zh, d.year
                    ),
                    format!(
                        "{} in {} by scenario: box P25–P75, line at the median, whiskers P5–P95.",
                        ind.label_en, d.year
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Box(d),
            });
        }
        if let Some(d) = exceedance_data(views, &ind.name, EXCEEDANCE_POINTS) {
            let better = match d.direction {
                Direction::LowerIsBetter => ("低于", "below"),
                Direction::HigherIsBetter => ("高于", "above"),
            };
            out.push(FigureSpec {
                name: format!("exceedance_{}", ind.name),
                caption: cap(
                    format!(
                        "{} {} 年：取值{}横轴值的概率，每条曲线一个情景；竖虚线为目标。",
                        ind.label_zh, d.year, better.0
                    ),
                    format!(
                        "{} in {}: probability of a value {} x, one curve per scenario; dashed line at the target.",
                        ind.label_en, d.year, better.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Exceedance(d),
            });
        }
    }
    out
}

/// The comparison's fan figures.
fn fan_figures(views: &[RunView<'_>]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = COMPARE_SECTION.to_string();
    let Some(first) = views.first() else {
        return out;
    };
    let layout = if views.len() <= 2 {
        FanLayout::Overlay
    } else {
        FanLayout::Panels
    };
    for name in fan_series_names() {
        if let Some(d) = fan_data(views, name, layout) {
            out.push(FigureSpec {
                name: format!("fan_{name}"),
                caption: cap(
                    format!(
                        "{}逐年分布，各情景：中位数与 50 %、90 % 区间；圆点为第一个情景（{}）的基年均值，叉号与虚线为其目标。",
                        d.indicator.zh, first.key.label.zh
                    ),
                    format!(
                        "{} by year for each scenario: median, 50 % and 90 % bands; dot at the base-year mean and cross at the target of the first scenario ({}).",
                        d.indicator.en, first.key.label.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Fan(d),
            });
        }
    }
    out
}

/// The comparison's wedge figures: per pollutant ONE figure with a panel per scenario that has
/// wedges (shared y axis, one colour per measure), named `wedge_<pollutant>`.
pub fn wedge_panel_figures(views: &[RunView<'_>]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let catalogue = measure_catalogue(views);
    for pollutant in [Pollutant::Co2, Pollutant::Nox, Pollutant::Vocs] {
        let p = pollutant_id(pollutant);
        let mut panels = Vec::new();
        let mut raised = (Vec::new(), Vec::new());
        for v in views {
            let Some((d, inc)) = wedge_data_ungrouped(v, pollutant, &catalogue) else {
                continue;
            };
            for (lang, list) in [(Lang::Zh, &mut raised.0), (Lang::En, &mut raised.1)] {
                for w in &inc {
                    list.push(format!(
                        "{} {} +{}",
                        v.key.label.get(lang),
                        w.label.get(lang),
                        format_indicator(w.increase_t, ModelUnit::tonnes_of(pollutant), lang)
                    ));
                }
            }
            panels.push(d);
        }
        // The same measures keep their own band (and colour) in every panel.
        let (keep, n_other) = kept_reductions(&panels);
        for d in &mut panels {
            group_reductions(d, &keep, n_other);
        }
        let Some(first) = panels.first() else {
            continue;
        };
        let year = first.years.last().copied().unwrap_or(0);
        let (zh, en) = if raised.1.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(
                    "使排放增加的措施（{year} 年均值：{}）画成冻结线以上的竖线阴影带；平均排放路径 = 冻结线 + 增加 − 减排。",
                    raised.0.join("，")
                ),
                format!(
                    " Measures that raise the emission (mean in {year}: {}) are the hatched bands above the frozen line; the mean path is frozen + increases − reductions.",
                    raised.1.join("; ")
                ),
            )
        };
        out.push(FigureSpec {
            name: format!("wedge_{p}"),
            caption: cap(
                format!(
                    "{}：各措施净减排楔形，每个情景一栏（共用纵轴，同一措施同一颜色）。{WEDGE_CAPTION_ZH}{zh}",
                    first.indicator.zh
                ),
                format!(
                    "{}: net reduction wedges by measure, one panel per scenario (shared y axis, one colour per measure). {WEDGE_CAPTION_EN}{en}",
                    first.indicator.en
                ),
            ),
            section: COMPARE_SECTION.to_string(),
            chart: ChartKind::WedgePanels(WedgePanelsData { panels }),
        });
    }
    out
}

/// "：规划 72 %，加速 80 %" / ": Plan 72 %, Accelerated 80 %": P(target met) of each panel
/// with a target, for a small multiple's caption (empty when no panel has one).
fn p_met_list<'a>(panels: impl Iterator<Item = (&'a ScenarioKey, Option<f64>)>) -> Label {
    let items: Vec<(&ScenarioKey, f64)> = panels.filter_map(|(k, p)| Some((k, p?))).collect();
    if items.is_empty() {
        return Label::new("", "");
    }
    let list = |lang: Lang, sep: &str| {
        items
            .iter()
            .map(|(k, p)| {
                format!(
                    "{} {}",
                    k.label.get(lang),
                    charts::style::format_probability(*p)
                )
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    Label::new(
        format!("；达标概率：{}", list(Lang::Zh, "，")),
        format!("; P(target met): {}", list(Lang::En, ", ")),
    )
}

/// The comparison's distribution figures: for each horizon indicator, and for each target
/// checked before the horizon, ONE small multiple with a panel per scenario that has the data
/// (instead of one chart per scenario), named `distribution_<indicator>` and
/// `distribution_<target>_<year>`. An indicator every scenario judges only in an earlier
/// target year gets just the target-year figure.
pub fn panel_figures(views: &[RunView<'_>]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = COMPARE_SECTION.to_string();
    let Some(first) = views.first() else {
        return out;
    };
    let index_of =
        |v: &RunView<'_>, name: &str| v.summary.indicators.iter().position(|i| i.name == name);
    for ind in &first.summary.indicators {
        // Judged in an earlier target year by every scenario and with no target in the
        // horizon year: the target-year figure below shows it (box and exceedance likewise).
        let earlier_only = judged_targets(views, &ind.name, ind.year).is_some()
            && views
                .iter()
                .all(|v| target_for(v.summary, &ind.name, ind.year).is_none());
        if earlier_only {
            continue;
        }
        if continuous(ind.unit) {
            let panels: Vec<DistributionData> = views
                .iter()
                .filter_map(|v| distribution_data(v, index_of(v, &ind.name)?))
                .collect();
            if panels.is_empty() {
                continue;
            }
            let p = p_met_list(panels.iter().map(|d| (&d.scenario, d.p_target_met)));
            let (tz, te) = if panels.iter().any(|d| d.target.is_some()) {
                (
                    "，粗虚线为目标，深色部分为达标的抽样",
                    ", thick dashed line at the target, dark part meeting it",
                )
            } else {
                ("", "")
            };
            out.push(FigureSpec {
                name: format!("distribution_{}", ind.name),
                caption: cap(
                    format!(
                        "{} {} 年取值分布，每个情景一栏（共用横轴）：直方图为全部抽样，曲线为核密度估计，细虚线为 P5、中位数、P95{tz}{}。",
                        ind.label_zh, ind.year, p.zh
                    ),
                    format!(
                        "{} in {}: distribution over the draws, one panel per scenario (shared x axis). Histogram of all draws, kernel density curve, thin dashed lines at P5, median and P95{te}{}.",
                        ind.label_en, ind.year, p.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::DistributionPanels(DistributionPanelsData { panels }),
            });
        } else {
            let panels: Vec<DiscreteData> = views
                .iter()
                .filter_map(|v| discrete_data(v, index_of(v, &ind.name)?))
                .collect();
            if panels.is_empty() {
                continue;
            }
            let p = p_met_list(panels.iter().map(|d| (&d.scenario, d.p_target_met)));
            out.push(FigureSpec {
                name: format!("distribution_{}", ind.name),
                caption: cap(
                    format!(
                        "{}分布（{} 年评估），每个情景一栏（共用横轴）：柱为各年份的抽样占比，深色柱满足目标，虚线为目标界限{}。",
                        ind.label_zh, ind.year, p.zh
                    ),
                    format!(
                        "{} (judged in {}), one panel per scenario (shared x axis). Bars give the share of draws per year; dark bars meet the target, the dashed line marks its limit{}.",
                        ind.label_en, ind.year, p.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::DiscretePanels(DiscretePanelsData { panels }),
            });
        }
    }
    // Targets checked before the horizon, in first-appearance order over the scenarios.
    let mut seen: Vec<(&str, i32)> = Vec::new();
    for v in views {
        for t in &v.summary.targets {
            if !seen.contains(&(t.id.as_str(), t.year)) {
                seen.push((t.id.as_str(), t.year));
            }
        }
    }
    for (id, year) in seen {
        let panels: Vec<DistributionData> = views
            .iter()
            .filter_map(|v| {
                let k = v
                    .summary
                    .targets
                    .iter()
                    .position(|t| t.id == id && t.year == year)?;
                target_distribution_data(v, k)
            })
            .collect();
        if panels.is_empty() {
            continue;
        }
        let p = p_met_list(panels.iter().map(|d| (&d.scenario, d.p_target_met)));
        out.push(FigureSpec {
            name: format!("distribution_{id}_{year}"),
            caption: cap(
                format!(
                    "目标 {id} 的指标在 {year} 年的分布，每个情景一栏（共用横轴）{}。",
                    p.zh
                ),
                format!(
                    "Indicator of target {id} in {year}, one panel per scenario (shared x axis){}.",
                    p.en
                ),
            ),
            section: sec.clone(),
            chart: ChartKind::DistributionPanels(DistributionPanelsData { panels }),
        });
    }
    out
}

/// A scenario as a footer names it: its title in the chart's language, its id in brackets
/// ("十四五规划情景 \[plan\]").
pub fn scenario_name(title: &str, id: &str) -> String {
    if title.is_empty() || title == id {
        id.to_string()
    } else {
        format!("{title} [{id}]")
    }
}

/// Footer of the charts of one run: scenario, seed, draws, program version.
pub fn footer(lang: Lang, scenarios: &str, seed: u64, draws: u64, program: &str) -> String {
    let n = crate::present::units::count(draws);
    match lang {
        Lang::Zh => format!("情景：{scenarios} · 随机种子 {seed} · {n} 次抽样 · {program}"),
        Lang::En => format!("scenario: {scenarios} · seed {seed} · {n} draws · {program}"),
    }
}

fn draw(spec: &FigureSpec, style: &ChartStyle, stem: &Path) -> Result<Vec<PathBuf>, ChartError> {
    match &spec.chart {
        ChartKind::Distribution(d) => charts::render_distribution(d, style, stem),
        ChartKind::Discrete(d) => charts::render_discrete(d, style, stem),
        ChartKind::DistributionPanels(d) => charts::render_distribution_panels(d, style, stem),
        ChartKind::DiscretePanels(d) => charts::render_discrete_panels(d, style, stem),
        ChartKind::WedgePanels(d) => charts::render_wedge_panels(d, style, stem),
        ChartKind::Ledger(d) => charts::render_ledger(d, style, stem),
        ChartKind::Fan(d) => charts::render_fan(d, style, stem),
        ChartKind::Wedge(d) => charts::render_wedge(d, style, stem),
        ChartKind::Box(d) => charts::render_box_compare(d, style, stem),
        ChartKind::Table(d) => charts::render_attainment_table(d, style, stem),
        ChartKind::Exceedance(d) => charts::render_exceedance(d, style, stem),
    }
}

/// Renders every figure in every language into `dir` (created if needed) as
/// `<name>_<lang>.png/.svg`, in parallel on the current rayon pool (one job per figure and
/// language; PNG and SVG of a job are drawn in parallel too). `footers` gives the footer of a
/// figure per language (so a comparison's single-scenario charts can name their scenario
/// only). A chart that fails is reported in [`RenderReport::failures`]; the others are still
/// written.
pub fn render_figures(
    specs: &[FigureSpec],
    dir: &Path,
    langs: &[LangFont],
    footers: &(dyn Fn(Lang, &FigureSpec) -> String + Sync),
    size: charts::PrintSize,
) -> Result<RenderReport, ChartError> {
    crate::present::io::create_dirs(dir).map_err(|source| ChartError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut jobs: Vec<(usize, usize)> = (0..specs.len())
        .flat_map(|i| (0..langs.len()).map(move |j| (i, j)))
        .collect();
    // The costliest charts first, handed out one at a time, so no thread is left with a big
    // one at the end (a comparison's distribution panels take a third of the chart time).
    jobs.sort_by_key(|&(i, _)| match &specs[i].chart {
        ChartKind::DistributionPanels(_) | ChartKind::DiscretePanels(_) => 0,
        ChartKind::Fan(_) | ChartKind::WedgePanels(_) => 1,
        _ => 2,
    });
    let mut done: Vec<(usize, usize, Result<Vec<PathBuf>, ChartError>)> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|&(i, j)| {
            let lf = &langs[j];
            let footer = footers(lf.lang, &specs[i]);
            let st = ChartStyle::sized(lf.lang, lf.font.clone(), footer, size);
            let stem = dir.join(format!("{}_{}", specs[i].name, lang_tag(st.lang)));
            (i, j, draw(&specs[i], &st, &stem))
        })
        .collect();
    // Figures and failures in figure order, whatever order they were drawn in.
    done.sort_by_key(|&(i, j, _)| (i, j));
    let mut report = RenderReport::default();
    let mut figures: Vec<Option<RenderedFigure>> = vec![None; specs.len()];
    for (i, j, r) in done {
        let spec = &specs[i];
        match r {
            Ok(paths) => {
                let png = paths.first().cloned().unwrap_or_default();
                let svg = paths.get(1).cloned().unwrap_or_default();
                let fig = figures[i].get_or_insert_with(|| RenderedFigure {
                    name: spec.name.clone(),
                    kind: spec.chart.name(),
                    section: spec.section.clone(),
                    caption: spec.caption.clone(),
                    files: Vec::new(),
                });
                fig.files.push((langs[j].lang, png, svg));
            }
            Err(e) => report
                .failures
                .push((format!("{}_{}", spec.name, lang_tag(langs[j].lang)), e)),
        }
    }
    report.figures = figures.into_iter().flatten().collect();
    Ok(report)
}

/// Chooses fonts for the requested languages (Chinese first). Without a usable CJK font the
/// Chinese set is dropped (English written instead) and one warning is returned.
pub fn choose_fonts(
    requested: &[Lang],
    user_font: Option<&Path>,
) -> Result<(Vec<LangFont>, Option<String>), ChartError> {
    let mut out: Vec<LangFont> = Vec::new();
    let mut warning = None;
    let mut want = requested.to_vec();
    want.sort_by_key(|l| match l {
        Lang::Zh => 0,
        Lang::En => 1,
    });
    want.dedup();
    for lang in want {
        let setup = charts::setup_fonts(lang, user_font)?;
        if setup.warning.is_some() {
            warning = setup.warning.clone();
        }
        if !out.iter().any(|lf| lf.lang == setup.lang) {
            out.push(LangFont {
                lang: setup.lang,
                font: setup.font,
            });
        }
    }
    Ok((out, warning))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A view of one synthetic run.
    fn view<'a>(
        id: &'a str,
        key: &'a ScenarioKey,
        result: &'a RunResult,
        summary: &'a RunSummary,
    ) -> RunView<'a> {
        RunView {
            id,
            key,
            result,
            summary,
        }
    }
    use crate::analysis::summary::{BookYear, Dist, SeriesYear, WedgeYear};
    use crate::engine::{Cell, RunConfig};
    use crate::model::IndicatorDef;

    fn dist(mean: f64) -> Dist {
        Dist {
            mean,
            sd: 1.0,
            p5: mean - 2.0,
            p25: mean - 1.0,
            p50: mean,
            p75: mean + 1.0,
            p95: mean + 2.0,
            n: 4,
        }
    }

    /// A run with two indicators (a fraction and tonnes), 4 draws, one target each, three
    /// years, the co2_total_t and co2_frozen_t series and two CO₂ measures.
    fn synthetic(id: &str, shift: f64) -> (RunResult, RunSummary) {
        let indicators = vec![
            IndicatorDef {
                name: "co2_intensity_change",
                unit: ModelUnit::Fraction,
                label_en: "CO₂ intensity change",
                label_zh: "碳强度变化",
            },
            IndicatorDef {
                name: "nox_key_project_reduction_t",
                unit: ModelUnit::Tonnes,
                label_en: "NOx reduction",
                label_zh: "氮氧化物减排量",
            },
        ];
        // Per draw: two indicators, no target columns.
        let per_draw = vec![
            -0.20 + shift,
            5000.0,
            -0.10 + shift,
            6000.0,
            -0.30 + shift,
            7000.0,
            -0.15 + shift,
            8000.0,
        ];
        let years = vec![2020, 2021, 2022];
        let result = RunResult {
            scenario_id: id.to_string(),
            config: RunConfig {
                draws: 4,
                seed: 1,
                first_draw: 0,
            },
            years: years.clone(),
            cells: vec![Cell::default(); SERIES.len() * years.len()],
            wedges: Vec::new(),
            measures: Vec::new(),
            book_lines: Vec::new(),
            book: Vec::new(),
            indicators,
            targets: Vec::new(),
            per_draw,
            met: Vec::new(),
            calibration_clamped: 0,
            reconciliation: Default::default(),
        };
        let mut series = Vec::new();
        for (k, &y) in years.iter().enumerate() {
            let kf = k as f64;
            series.push(SeriesYear {
                name: "co2_total_t",
                unit: ModelUnit::TonnesCo2,
                year: y,
                mean: 100.0 - 5.0 * kf,
                sd: 1.0,
                quantiles: [90.0 - kf, 95.0 - kf, 99.0 - 5.0 * kf, 103.0, 110.0],
            });
            series.push(SeriesYear {
                name: "co2_frozen_t",
                unit: ModelUnit::TonnesCo2,
                year: y,
                mean: 100.0 + 10.0 * kf,
                sd: 1.0,
                quantiles: [f64::NAN; 5],
            });
        }
        let mut wedges = Vec::new();
        for (m, label) in [("a", 10.0), ("b", 5.0)] {
            for (k, &y) in years.iter().enumerate() {
                wedges.push(WedgeYear {
                    measure: m.to_string(),
                    label_en: m.to_uppercase(),
                    label_zh: m.to_string(),
                    pollutant: Pollutant::Co2,
                    year: y,
                    mean_t: label * k as f64,
                });
            }
        }
        let t = |id: &str, ind: &str, cmp: Comparison, thr: f64, p: f64| TargetSummary {
            id: id.to_string(),
            indicator: ind.to_string(),
            comparison: cmp,
            threshold: thr,
            year: 2022,
            kind: TargetKind::Binding,
            source: "test".to_string(),
            met: 2,
            n: 4,
            probability: p,
            low95: 0.1,
            high95: 0.9,
            dist: dist(0.0),
        };
        let summary = RunSummary {
            scenario: id.to_string(),
            calibration_clamped_draws: 0,
            reconciliation: Default::default(),
            draws: 4,
            seed: 1,
            indicators: vec![
                IndicatorSummary {
                    name: "co2_intensity_change".to_string(),
                    unit: ModelUnit::Fraction,
                    label_en: "CO₂ intensity change".to_string(),
                    label_zh: "碳强度变化".to_string(),
                    year: 2022,
                    dist: dist(-0.2 + shift),
                },
                IndicatorSummary {
                    name: "nox_key_project_reduction_t".to_string(),
                    unit: ModelUnit::Tonnes,
                    label_en: "NOx reduction".to_string(),
                    label_zh: "氮氧化物减排量".to_string(),
                    year: 2022,
                    dist: dist(6500.0),
                },
            ],
            targets: vec![
                t(
                    "co2",
                    "co2_intensity_change",
                    Comparison::AtMost,
                    -0.18,
                    0.5,
                ),
                t(
                    "nox",
                    "nox_key_project_reduction_t",
                    Comparison::AtLeast,
                    6300.0,
                    0.5,
                ),
            ],
            series,
            wedges,
            ledger: Vec::new(),
            increments: Vec::new(),
        };
        (result, summary)
    }

    fn key(order: usize, id: &str) -> ScenarioKey {
        ScenarioKey {
            order,
            label: Label::new(id, id),
        }
    }

    #[test]
    fn distribution_is_scaled_to_percent_with_target_and_probability() {
        let (r, s) = synthetic("a", 0.0);
        let k = key(0, "a");
        let v = view("a", &k, &r, &s);
        let d = distribution_data(&v, 0).expect("has spread");
        assert_eq!(d.unit, Unit::Percent);
        assert!((d.draws[0] - (-20.0)).abs() < 1e-9, "{:?}", d.draws);
        assert_eq!(d.draws.len(), 4);
        let t = d.target.expect("target");
        assert!((t.value - (-18.0)).abs() < 1e-9);
        assert_eq!(t.direction, Direction::LowerIsBetter);
        assert_eq!(d.p_target_met, Some(0.5));
        let n = distribution_data(&v, 1).expect("tonnes");
        assert_eq!(n.unit, Unit::Tonnes);
        assert_eq!(
            n.target.map(|t| t.direction),
            Some(Direction::HigherIsBetter)
        );
    }

    #[test]
    fn rendered_figures_come_back_in_figure_order_whatever_order_they_were_drawn_in() {
        // Jobs are drawn costliest first (distribution panels before the table); the report
        // must still list figures in their given order, each with its languages in order.
        let Ok(en) = charts::setup_fonts(Lang::En, None) else {
            assert!(
                !charts::fonts::fonts_required(),
                "CI=true but no font found"
            );
            println!("SKIPPED: no font found");
            return;
        };
        let langs = [LangFont {
            lang: Lang::En,
            font: en.font.clone(),
        }];
        let (r0, s0) = synthetic("a", 0.0);
        let (r1, s1) = synthetic("b", 0.05);
        let (k0, k1) = (key(0, "a"), key(1, "b"));
        let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
        let specs = compare_figures(&views, &[]);
        let first_panel = specs
            .iter()
            .position(|f| matches!(f.chart, ChartKind::DistributionPanels(_)))
            .expect("distribution panels");
        assert!(
            first_panel > 0,
            "a figure drawn later comes before the panels"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let footer = |_: Lang, _: &FigureSpec| "test".to_string();
        let report = render_figures(&specs, dir.path(), &langs, &footer, charts::PrintSize::A4)
            .expect("rendered");
        assert!(report.failures.is_empty(), "{:?}", report.failures);
        let got: Vec<&str> = report.figures.iter().map(|f| f.name.as_str()).collect();
        let want: Vec<&str> = specs.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn compare_draws_one_small_multiple_per_indicator_with_a_panel_per_scenario_that_has_it() {
        let (r0, s0) = synthetic("a", 0.0);
        let (r1, s1) = synthetic("b", 0.05);
        let (mut r2, s2) = synthetic("c", 0.1);
        // Scenario c: the NOx column has no spread, so it has no NOx distribution.
        for k in [1, 3, 5, 7] {
            r2.per_draw[k] = 5000.0;
        }
        let (k0, k1, k2) = (key(0, "a"), key(1, "b"), key(2, "c"));
        let views = [
            view("a", &k0, &r0, &s0),
            view("b", &k1, &r1, &s1),
            view("c", &k2, &r2, &s2),
        ];
        let figs = compare_figures(&views, &[]);
        let dists: Vec<&FigureSpec> = figs
            .iter()
            .filter(|f| f.name.starts_with("distribution_"))
            .collect();
        let names: Vec<&str> = dists.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "distribution_co2_intensity_change",
                "distribution_nox_key_project_reduction_t"
            ]
        );
        let orders = |f: &FigureSpec| match &f.chart {
            ChartKind::DistributionPanels(d) => d
                .panels
                .iter()
                .map(|p| p.scenario.order)
                .collect::<Vec<_>>(),
            other => panic!("{} is a {} chart", f.name, other.name()),
        };
        assert_eq!(orders(dists[0]), [0, 1, 2]);
        assert_eq!(orders(dists[1]), [0, 1]);
        for f in &dists {
            assert_eq!(f.section, COMPARE_SECTION);
            assert!(
                f.caption.en.contains("one panel per scenario"),
                "{}",
                f.caption.en
            );
        }
        assert!(
            dists[1]
                .caption
                .en
                .contains("P(target met): a 50 %, b 50 %")
        );
        assert!(dists[1].caption.zh.contains("达标概率：a 50 %，b 50 %"));
        // No per-scenario distribution or wedge charts in a comparison: one wedge figure per
        // pollutant with a panel per scenario.
        assert!(!figs.iter().any(|f| f.name.starts_with("distribution_a_")));
        assert!(!figs.iter().any(|f| f.name.starts_with("wedge_a_")));
        let wedge = figs
            .iter()
            .find(|f| f.name == "wedge_co2")
            .expect("wedge_co2");
        match &wedge.chart {
            ChartKind::WedgePanels(d) => assert_eq!(
                d.panels
                    .iter()
                    .map(|p| p.scenario.order)
                    .collect::<Vec<_>>(),
                [0, 1, 2]
            ),
            other => panic!("wedge_co2 is a {} chart", other.name()),
        }
        // A single run keeps its own distribution charts.
        let own = scenario_figures(&views[0], true);
        assert!(
            own.iter()
                .any(|f| f.name == "distribution_a_co2_intensity_change"
                    && matches!(f.chart, ChartKind::Distribution(_)))
        );
    }

    #[test]
    fn exceedance_follows_target_direction_and_per_draw_columns() {
        let (r0, s0) = synthetic("a", 0.0);
        let (r1, s1) = synthetic("b", 0.05);
        let (k0, k1) = (key(0, "a"), key(1, "b"));
        let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
        let e = exceedance_data(&views, "co2_intensity_change", 100).expect("data");
        assert_eq!(e.series.len(), 2);
        assert_eq!(e.series[1].scenario.order, 1);
        // Lower is better: P(value < x) at the largest draw (−10 %) is 3/4.
        let last = e.series[0].points.last().copied().unwrap_or_default();
        assert!((last.0 - (-10.0)).abs() < 1e-9 && (last.1 - 0.75).abs() < 1e-12);
        // The shifted scenario's curve lies 5 points to the right.
        assert!((e.series[1].points[0].0 - e.series[0].points[0].0 - 5.0).abs() < 1e-9);
        let n = exceedance_data(&views, "nox_key_project_reduction_t", 100).expect("nox");
        assert_eq!(n.direction, Direction::HigherIsBetter);
        assert!((n.series[0].points[0].1 - 0.75).abs() < 1e-12);
        assert!(exceedance_data(&views, "no_such", 100).is_none());
        assert!(!continuous(ModelUnit::Year) && continuous(ModelUnit::Tonnes));
        let b = box_data(&views, "co2_intensity_change").expect("boxes");
        assert!((b.boxes[1].stats.median - (-15.0)).abs() < 1e-9);
    }

    /// The synthetic run with its targets moved to 2021 (before the 2022 horizon), with
    /// per-draw target columns `co2` (fraction) and `nox` (t), as a 2030-aligned comparison
    /// holds its 2025 targets.
    fn with_earlier_targets(
        (mut r, mut s): (RunResult, RunSummary),
        co2: [f64; 4],
        nox: [f64; 4],
    ) -> (RunResult, RunSummary) {
        use crate::engine::ResolvedTarget;
        use crate::scenario::{Comparison, Target, TargetKind};
        let n_ind = r.indicators.len();
        let mut per_draw = Vec::new();
        for d in 0..4 {
            per_draw.extend_from_slice(&r.per_draw[d * n_ind..(d + 1) * n_ind]);
            per_draw.extend([co2[d], nox[d]]);
        }
        r.per_draw = per_draw;
        for (k, t) in s.targets.iter_mut().enumerate() {
            t.year = 2021;
            t.dist = dist(if k == 0 { -0.5 } else { 4000.0 });
            r.targets.push(ResolvedTarget {
                target: Target {
                    id: t.id.clone(),
                    indicator: t.indicator.clone(),
                    comparison: if k == 0 {
                        Comparison::AtMost
                    } else {
                        Comparison::AtLeast
                    },
                    threshold: t.threshold,
                    year: 2021,
                    kind: TargetKind::Binding,
                    source: "test".to_string(),
                },
                indicator: k,
                t: 1,
            });
        }
        (r, s)
    }

    #[test]
    fn comparison_charts_judge_an_indicator_in_its_target_year() {
        let (r0, s0) = with_earlier_targets(
            synthetic("a", 0.0),
            [-0.40, -0.50, -0.60, -0.55],
            [1000.0, 2000.0, 3000.0, 4000.0],
        );
        let (r1, s1) = with_earlier_targets(
            synthetic("b", 0.0),
            [-0.30, -0.35, -0.20, -0.25],
            [3000.0, 4000.0, 5000.0, 6000.0],
        );
        let (k0, k1) = (key(0, "a"), key(1, "b"));
        let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
        let b = box_data(&views, "co2_intensity_change").expect("boxes");
        assert_eq!(b.year, 2021);
        assert!((b.boxes[0].stats.median - (-50.0)).abs() < 1e-9);
        assert!((b.target.as_ref().map(|t| t.value).unwrap_or(0.0) - (-18.0)).abs() < 1e-9);
        let e = exceedance_data(&views, "co2_intensity_change", 100).expect("co2");
        assert_eq!((e.year, e.direction), (2021, Direction::LowerIsBetter));
        // The curves come from the 2021 target columns, not the 2022 indicator (−30 … −10 %).
        let xs: Vec<f64> = e.series[0].points.iter().map(|p| p.0).collect();
        assert!((xs[0] - (-60.0)).abs() < 1e-9 && xs.iter().all(|x| *x <= -40.0 + 1e-9));
        assert!(e.target.is_some());
        let n = exceedance_data(&views, "nox_key_project_reduction_t", 100).expect("nox");
        assert_eq!((n.year, n.direction), (2021, Direction::HigherIsBetter));
        assert!((n.series[1].points[0].0 - 3000.0).abs() < 1e-9);
        // Distributions likewise: the target-year figures, not the horizon-year ones.
        let dists: Vec<String> = compare_figures(&views, &[])
            .into_iter()
            .map(|f| f.name)
            .filter(|n| n.starts_with("distribution_"))
            .collect();
        assert_eq!(dists, ["distribution_co2_2021", "distribution_nox_2021"]);
        // A scenario without the 2021 target: back to the horizon-year indicator, no target.
        let (r2, mut s2) = synthetic("c", 0.0);
        s2.targets.clear();
        let k2 = key(2, "c");
        let mixed = [view("a", &k0, &r0, &s0), view("c", &k2, &r2, &s2)];
        let m = box_data(&mixed, "co2_intensity_change").expect("boxes");
        assert_eq!(m.year, 2022);
        assert!(m.target.is_none());
    }

    /// (label, slot) of every wedge band of `figs`.
    fn measure_slots(figs: &[FigureSpec]) -> Vec<(String, Option<usize>)> {
        let mut out = Vec::new();
        for f in figs {
            let panels: Vec<&WedgeData> = match &f.chart {
                ChartKind::Wedge(d) => vec![d],
                ChartKind::WedgePanels(p) => p.panels.iter().collect(),
                _ => Vec::new(),
            };
            for d in panels {
                out.extend(d.measures.iter().map(|m| (m.label.en.clone(), m.slot)));
            }
        }
        out
    }

    #[test]
    fn a_measure_has_one_palette_slot_in_every_chart_of_a_run_and_a_comparison() {
        let (r0, s0) = synthetic("a", 0.0);
        let (r1, mut s1) = synthetic("b", 0.05);
        // The second scenario lacks measure "a" and adds "c" before "b".
        s1.wedges.retain(|w| w.measure != "a");
        let extra: Vec<WedgeYear> = s1
            .wedges
            .iter()
            .map(|w| WedgeYear {
                measure: "c".to_string(),
                label_en: "C".to_string(),
                label_zh: "c".to_string(),
                mean_t: w.mean_t * 3.0,
                ..w.clone()
            })
            .collect();
        s1.wedges.splice(0..0, extra);
        let (k0, k1) = (key(0, "a"), key(1, "b"));
        let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
        let mut all = measure_slots(&compare_figures(&views, &[]));
        assert!(all.len() >= 4, "{all:?}");
        for (label, slot) in &all {
            let first = all.iter().find(|(l, _)| l == label).map(|(_, s)| *s);
            assert_eq!(first, Some(*slot), "{label} changes slot");
        }
        all.sort();
        all.dedup();
        let slots: Vec<_> = all.iter().map(|(_, s)| *s).collect();
        assert_eq!(slots, [Some(0), Some(1), Some(2)], "{all:?}");
        // A run's own charts: one slot per measure too.
        for v in &views {
            let run = measure_slots(&scenario_figures(v, false));
            assert!(!run.is_empty());
            for (label, slot) in &run {
                assert!(run.iter().all(|(l, s)| l != label || s == slot));
            }
        }
    }

    #[test]
    fn wedge_panels_group_the_same_small_measures_in_every_panel() {
        let panel = |sizes: [f64; 9], o: usize| WedgeData {
            indicator: Label::new("x", "x"),
            unit: Unit::Tonnes,
            scenario: key(o, "s"),
            n_draws: 4,
            years: vec![2020, 2021],
            frozen: vec![100.0, 100.0],
            median: vec![100.0, 100.0 - sizes.iter().sum::<f64>()],
            measures: sizes
                .iter()
                .enumerate()
                .map(|(i, x)| WedgeMeasure {
                    slot: Some(i),
                    label: Label::new(format!("m{i}"), format!("m{i}")),
                    reduction: vec![0.0, *x],
                })
                .collect(),
        };
        let a = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        let mut b = a;
        b.reverse();
        let mut panels = vec![panel(a, 0), panel(b, 1)];
        // Alone, each panel would keep a different six measures.
        let (keep, n_other) = kept_reductions(&panels);
        assert_eq!(n_other, 3);
        for d in &mut panels {
            group_reductions(d, &keep, n_other);
        }
        let names = |d: &WedgeData| {
            let mut v: Vec<String> = d.measures.iter().map(|m| m.label.en.clone()).collect();
            v.sort();
            v
        };
        assert_eq!(names(&panels[0]), names(&panels[1]));
        assert_eq!(
            names(&panels[0]),
            ["3 other measures", "m0", "m1", "m2", "m6", "m7", "m8"]
        );
        // Grouping keeps each panel's total reduction.
        for d in &panels {
            let total: f64 = d.measures.iter().map(|m| m.reduction[1]).sum();
            assert!((total - 45.0).abs() < 1e-12);
        }
    }

    #[test]
    fn fan_uses_sketch_quantiles_and_wedges_group_by_pollutant() {
        let (r, s) = synthetic("a", 0.0);
        let k = key(2, "a");
        let v = view("a", &k, &r, &s);
        let fs = fan_series(&v, "co2_total_t").expect("fan");
        assert_eq!(fs.years, vec![2020, 2021, 2022]);
        assert_eq!(fs.p50, vec![99.0, 94.0, 89.0]);
        assert_eq!(fs.p5, vec![90.0, 89.0, 88.0]);
        assert_eq!(fs.scenario.order, 2);
        let fd = fan_data(std::slice::from_ref(&v), "co2_total_t", FanLayout::Overlay)
            .expect("fan data");
        assert_eq!(fd.base_value, 100.0);
        // The frozen series has no quantiles: no fan.
        assert!(fan_series(&v, "co2_frozen_t").is_none());
        let (w, inc) = wedge_data(&v, Pollutant::Co2, &measure_catalogue(&[v])).expect("wedge");
        assert!(inc.is_empty());
        assert_eq!(w.frozen, vec![100.0, 110.0, 120.0]);
        // The path is the mean of the total (100, 95, 90), not the sketch median.
        assert_eq!(w.median, vec![100.0, 95.0, 90.0]);
        assert_eq!(w.measures.len(), 2);
        assert_eq!(w.measures[0].reduction, vec![0.0, 10.0, 20.0]);
        assert_eq!(w.measures[0].label.en, "A");
        // Frozen − Σ mean wedges is the mean path drawn.
        let lower: Vec<f64> = (0..3)
            .map(|t| w.frozen[t] - w.measures.iter().map(|m| m.reduction[t]).sum::<f64>())
            .collect();
        assert_eq!(lower, w.median);
        assert!(wedge_data(&v, Pollutant::Nox, &measure_catalogue(&[v])).is_none());
    }

    #[test]
    fn a_measure_raising_the_emission_is_a_band_and_named_for_the_caption() {
        let (r, mut s) = synthetic("a", 0.0);
        // Measure b raises CO₂: −5 t per year; the mean path is frozen − 10k + 5k.
        for w in s.wedges.iter_mut().filter(|w| w.measure == "b") {
            w.mean_t = -w.mean_t;
        }
        let k = key(0, "a");
        let v = view("a", &k, &r, &s);
        let (w, inc) = wedge_data(&v, Pollutant::Co2, &measure_catalogue(&[v])).expect("wedge");
        assert_eq!(w.measures.len(), 2);
        assert_eq!(w.measures[1].label.en, "B");
        assert_eq!(w.measures[1].reduction, vec![0.0, -5.0, -10.0]);
        assert_eq!(inc.len(), 1);
        assert_eq!(inc[0].increase_t, 10.0);
        let specs = scenario_figures(&v, false);
        let wedge = specs
            .iter()
            .find(|f| f.name == "wedge_a_co2")
            .expect("wedge figure");
        assert!(wedge.caption.en.contains("above the frozen line"));
        assert!(wedge.caption.zh.contains("冻结线以上"));
        assert!(wedge.caption.en.contains("frozen + increases − reductions"));
    }

    #[test]
    fn attainment_rows_and_cells_follow_the_given_orders() {
        let (r0, s0) = synthetic("a", 0.0);
        let (r1, s1) = synthetic("b", 0.05);
        let (k0, k1) = (key(0, "a"), key(1, "b"));
        let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
        let att = vec![Attainment {
            scenario: "b".into(),
            target: "nox".into(),
            indicator: "nox_key_project_reduction_t".into(),
            year: 2022,
            probability: 0.25,
            low95: 0.0,
            high95: 1.0,
        }];
        let t = attainment_data(&views, &att).expect("table");
        assert_eq!(t.targets.len(), 2);
        assert!(t.targets[0].en.contains("≤ −18.0 %"), "{:?}", t.targets[0]);
        assert!(t.targets[1].zh.contains("≥"), "{:?}", t.targets[1]);
        assert!(t.probabilities[0][0].is_nan());
        assert_eq!(t.probabilities[1][1], 0.25);
    }

    #[test]
    fn units_and_formatting() {
        use ModelUnit::*;
        assert_eq!(display_unit(Fraction), (Unit::Percent, 100.0));
        assert_eq!(display_unit(TonnesCo2).0, Unit::TonnesCo2);
        assert_eq!(format_indicator(-0.18, Fraction, Lang::En), "−18.0 %");
        assert_eq!(format_indicator(2028.0, Year, Lang::Zh), "2028");
        assert_eq!(format_indicator(f64::NAN, Tonnes, Lang::Zh), "—");
        assert_eq!(format_indicator(6300.0, Tonnes, Lang::Zh), "6300 吨");
        assert_eq!(format_indicator(6300.0, Tonnes, Lang::En), "6,300 t");
        assert_eq!(
            format_indicator(2.4e7, TonnesCo2, Lang::Zh),
            "2400 万吨 CO₂"
        );
        assert_eq!(
            format_indicator(3.5, Yuan1e8, Lang::En),
            "3.50 100 million yuan"
        );
        assert_eq!(format_value(3.5, None, Lang::En), "3.50");
        assert!(footer(Lang::Zh, "plan", 7, 500, "tanfeng 0.1.0").contains("500 次抽样"));
        // Thousands grouped in both languages, as the briefing's text writes counts.
        assert!(footer(Lang::Zh, "plan", 7, 10_000, "t").contains(" 10,000 次抽样 "));
        assert!(footer(Lang::En, "plan", 7, 10_000, "t").contains(" 10,000 draws "));
    }

    /// A ledger line of the synthetic run (NOx, 2022).
    fn book(id: &str, kind: &'static str, mean: f64, p5: f64, p95: f64) -> BookYear {
        BookYear {
            id: id.to_string(),
            label_en: id.to_uppercase(),
            label_zh: id.to_string(),
            kind: crate::analysis::summary::BookKind::from_keyword(kind),
            pollutant: Pollutant::Nox,
            year: 2022,
            mean_t: mean,
            p5_t: p5,
            p50_t: mean,
            p95_t: p95,
        }
    }

    #[test]
    fn ledger_chart_data_is_the_target_years_ledger_with_projects_in_their_measure_colour() {
        let (mut r, mut s) = synthetic("a", 0.0);
        // Projects: a retrofit with a wedge measure, a natural retirement without one, and a
        // project under 2 % of the total (grouped); causes: one positive, one negative, one 0.
        s.ledger = vec![
            book("sinter_denox", "retrofit", 4000.0, 3000.0, 5000.0),
            book(
                "vehicle_natural_retirement",
                "closure",
                2450.0,
                2000.0,
                2900.0,
            ),
            book("kiln_upgrade", "retrofit", 50.0, 0.0, 120.0),
        ];
        s.increments = vec![
            book("growth", "b", 3000.0, f64::NAN, f64::NAN),
            book("fleet_leavers", "c", -500.0, f64::NAN, f64::NAN),
            book("new_biomass_chp", "a", 0.0, f64::NAN, f64::NAN),
        ];
        // The indicator's distribution is the ledger's sum (6,500 t): its interval is used.
        s.targets[1].dist = Dist {
            mean: 6500.0,
            p5: 5200.0,
            p95: 7900.0,
            ..dist(6500.0)
        };
        for (k, y) in r.years.iter().enumerate() {
            s.series.push(SeriesYear {
                name: "nox_total_t",
                unit: ModelUnit::Tonnes,
                year: *y,
                mean: 40_000.0 - 2000.0 * k as f64,
                sd: 1.0,
                quantiles: [f64::NAN; 5],
            });
        }
        s.wedges.push(WedgeYear {
            measure: "industry.sinter_denox".to_string(),
            label_en: "Sinter".to_string(),
            label_zh: "烧结".to_string(),
            pollutant: Pollutant::Nox,
            year: 2022,
            mean_t: 4000.0,
        });
        r.years = vec![2020, 2021, 2022];
        let k = key(0, "a");
        let v = view("a", &k, &r, &s);
        let cat = measure_catalogue(&[v]);
        let d = ledger_data(&v, Pollutant::Nox, &cat).expect("ledger");
        assert_eq!((d.year, d.base_year), (2022, 2020));
        let names: Vec<&str> = d.projects.iter().map(|b| b.label.en.as_str()).collect();
        assert_eq!(
            names,
            [
                "SINTER_DENOX",
                "VEHICLE_NATURAL_RETIREMENT",
                "1 other project"
            ]
        );
        // The sinter project has its wedge measure's slot; the retirement one a slot after
        // every measure; the group none.
        let sinter = cat.iter().position(|m| m == "industry.sinter_denox");
        assert_eq!(d.projects[0].slot, sinter);
        assert!(d.projects[1].slot > cat.iter().position(|m| m == "b"));
        assert_eq!(d.projects[2].slot, None);
        assert_eq!(d.projects[0].interval, Some((3000.0, 5000.0)));
        assert_eq!(d.total_cut.mean, 6500.0);
        assert_eq!(d.total_cut.interval, Some((5200.0, 7900.0)));
        // Zero causes are left out; the totals and net change as computed by hand.
        assert_eq!(d.increments.len(), 2);
        assert_eq!(d.total_increment, 2500.0);
        assert_eq!(d.net_change, -4000.0);
        assert_eq!(d.target.as_ref().map(|t| t.value), Some(6300.0));
        // Under "net" accounting the indicator is not the ledger's sum: no interval for it.
        s.targets[1].dist = dist(9000.0);
        let v = view("a", &k, &r, &s);
        let d = ledger_data(&v, Pollutant::Nox, &cat).expect("ledger");
        assert_eq!(d.total_cut.interval, None);
        // The ledger is the first figure of a run, and of a comparison.
        let figs = scenario_figures(&v, false);
        assert_eq!(figs[0].name, "ledger_a_nox");
        assert_eq!(figs[0].chart.name(), "ledger");
        assert!(
            figs[0].caption.zh.contains("6500 吨"),
            "{}",
            figs[0].caption.zh
        );
        assert_eq!(compare_figures(&[v], &[])[0].name, "ledger_a_nox");
        assert!(wedge_measure_of("vehicle_natural_retirement", Pollutant::Nox).is_none());
        assert_eq!(
            wedge_measure_of("heat_network", Pollutant::Nox).as_deref(),
            Some("heat_network.nox")
        );
        assert_eq!(
            wedge_measure_of("treatment_inks", Pollutant::Vocs).as_deref(),
            Some("vocs.removal.inks")
        );
    }
}
