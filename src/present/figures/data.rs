//! Chart data: run results turned into the [`crate::present::charts`] data structs (pure
//! functions, tested without drawing): distributions, fans, wedges, the key-project ledger,
//! boxes, exceedance curves and the attainment table.

use super::RunView;
use super::labels::{indicator_label, kind_label, target_row_label};
use crate::analysis::compare::Attainment;
use crate::analysis::summary::{RunSummary, TargetSummary, evaluated_column, pollutant_id};
use crate::engine::SERIES;
use crate::model::Pollutant;
use crate::model::indicators::Unit as ModelUnit;
use crate::present::charts::{
    self, AttainmentTableData, BoxCompareData, BoxStats, Direction, DiscreteData, DistributionData,
    ExceedanceData, ExceedanceSeries, FanData, FanLayout, FanSeries, Label, LedgerBar, LedgerData,
    ScenarioBox, Target, TargetPoint, Unit, WedgeData, WedgeMeasure,
};
use crate::scenario::Comparison;

/// Largest number of points of an exceedance curve.
pub const EXCEEDANCE_POINTS: usize = 400;

/// How an indicator or series unit is drawn: chart unit and the factor applied to values
/// (the unit convention, [`crate::present::units::of_model`]).
pub fn display_unit(unit: ModelUnit) -> (Unit, f64) {
    crate::present::units::of_model(unit)
}

/// Direction of a target's comparison (at most is lower-is-better).
pub fn direction_of(t: &TargetSummary) -> Direction {
    match t.comparison {
        Comparison::AtLeast => Direction::HigherIsBetter,
        Comparison::AtMost => Direction::LowerIsBetter,
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

fn scale(v: &[f64], f: f64) -> Vec<f64> {
    v.iter().map(|x| x * f).collect()
}

/// The first target on indicator `name` checked in `year`.
pub(super) fn target_for<'a>(
    s: &'a RunSummary,
    name: &str,
    year: i32,
) -> Option<&'a TargetSummary> {
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

/// Whether a wedge measure only reduces the emission (never raises it in any year).
fn pure_reduction(m: &WedgeMeasure) -> bool {
    m.reduction.iter().all(|r| *r >= 0.0)
}

/// The reduction measures that keep their own band across `panels`: all of them when at most
/// [`MAX_WEDGE_BANDS`] exist over the panels, else the `MAX_WEDGE_BANDS − 1` largest (by
/// their largest last-year reduction in any panel); and how many others are grouped.
pub(super) fn kept_reductions(panels: &[WedgeData]) -> (Vec<Label>, usize) {
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
pub(super) fn group_reductions(d: &mut WedgeData, keep: &[Label], n_other: usize) {
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
pub(super) fn wedge_data_ungrouped(
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
    let mean_of = |name: &str| -> Vec<f64> {
        years
            .iter()
            .map(|y| {
                v.summary
                    .series
                    .iter()
                    .find(|s| s.name == name && s.year == *y)
                    .map_or(f64::NAN, |s| s.mean)
            })
            .collect()
    };
    let frozen = mean_of(frozen_name);
    let mean_path = mean_of(total_name);
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
pub(super) fn judged_targets(
    views: &[RunView<'_>],
    name: &str,
    horizon: i32,
) -> Option<Vec<usize>> {
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
