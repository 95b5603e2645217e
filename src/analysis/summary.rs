//! Summaries of a run: indicator distributions, target-attainment probabilities with Wilson
//! intervals, per-year series quantiles and mean wedges.

use rayon::prelude::*;

use super::stats::{self, Z95, wilson_interval};
use crate::engine::{RunResult, SERIES};
use crate::scenario::{Comparison, TargetKind};

/// Distribution summary of one quantity over the draws.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dist {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Number of finite values.
    pub n: u64,
}

impl Dist {
    /// Exact summary of a set of values (NaNs are left out and not counted).
    pub fn of(values: &[f64]) -> Dist {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let n = v.len();
        // Moments in draw order, then order statistics by selection (no full sort).
        let (mean, sd) = (stats::mean(&v), stats::sd(&v));
        let q = stats::quantiles_unsorted(&mut v, &[0.05, 0.25, 0.5, 0.75, 0.95]);
        Dist {
            mean,
            sd,
            p5: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
            n: n as u64,
        }
    }
}

/// A horizon-year indicator.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorSummary {
    /// Machine name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// Year.
    pub year: i32,
    /// Distribution over draws.
    pub dist: Dist,
}

/// A target and the probability of meeting it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetSummary {
    /// Target id.
    pub id: String,
    /// Indicator.
    pub indicator: String,
    /// `<=` or `>=`.
    pub comparison: &'static str,
    /// Threshold.
    pub threshold: f64,
    /// Year.
    pub year: i32,
    /// binding / expected / carbon_peak.
    pub kind: &'static str,
    /// Source of the target.
    pub source: String,
    /// Draws meeting it.
    pub met: u64,
    /// Draws.
    pub n: u64,
    /// Probability of meeting it.
    pub probability: f64,
    /// Wilson 95 % interval, low end.
    pub low95: f64,
    /// Wilson 95 % interval, high end.
    pub high95: f64,
    /// Distribution of the indicator in the target's year.
    pub dist: Dist,
}

/// Per-year summary of one series.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeriesYear {
    /// Series name.
    pub name: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// Year.
    pub year: i32,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Quantiles P5, P25, P50, P75, P95 (NaN when the series tracks moments only).
    pub quantiles: [f64; 5],
}

/// Mean reduction by one measure in one year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WedgeYear {
    /// Measure id.
    pub measure: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// `co2`, `nox` or `vocs`.
    pub pollutant: &'static str,
    /// Year.
    pub year: i32,
    /// Mean reduction (t).
    pub mean_t: f64,
}

/// Everything the presentation layer needs about one run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunSummary {
    /// Scenario id.
    pub scenario: String,
    /// Draws.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Horizon-year indicators.
    pub indicators: Vec<IndicatorSummary>,
    /// Targets.
    pub targets: Vec<TargetSummary>,
    /// Per-year series.
    pub series: Vec<SeriesYear>,
    /// Per-year mean wedges.
    pub wedges: Vec<WedgeYear>,
    /// Draws in which a base-year reconciliation held every movable component at its floor
    /// (its statistic then took the rest; MODEL.md §5).
    pub calibration_clamped_draws: u64,
    /// The base-year reconciliation's factors per component that can move: 5/50/95 % and the
    /// warning rule (MODEL.md §5).
    pub reconciliation: Vec<crate::engine::reconciliation::FactorSummary>,
}

/// Quantile levels reported per year.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Summarises a run.
pub fn summarize(r: &RunResult) -> RunSummary {
    let horizon = *r.years.last().unwrap_or(&0);
    let indicators = r
        .indicators
        .par_iter()
        .enumerate()
        .map(|(i, d)| IndicatorSummary {
            name: d.name.to_string(),
            unit: d.unit.to_string(),
            label_en: d.label_en.to_string(),
            label_zh: d.label_zh.to_string(),
            year: horizon,
            dist: Dist::of(&r.indicator_column(i)),
        })
        .collect();
    let n = r.n_draws() as u64;
    let targets = r
        .targets
        .par_iter()
        .enumerate()
        .map(|(k, rt)| {
            let t = &rt.target;
            let (low95, high95) = wilson_interval(r.met[k], n, Z95);
            TargetSummary {
                id: t.id.clone(),
                indicator: t.indicator.clone(),
                comparison: match t.comparison {
                    Comparison::AtMost => "<=",
                    Comparison::AtLeast => ">=",
                },
                threshold: t.threshold,
                year: t.year,
                kind: match t.kind {
                    TargetKind::Binding => "binding",
                    TargetKind::Expected => "expected",
                    TargetKind::CarbonPeak => "carbon_peak",
                },
                source: t.source.clone(),
                met: r.met[k],
                n,
                probability: r.met[k] as f64 / n.max(1) as f64,
                low95,
                high95,
                dist: Dist::of(&r.target_column(k)),
            }
        })
        .collect();
    let mut series = Vec::new();
    for (s, def) in SERIES.iter().enumerate() {
        for (t, &year) in r.years.iter().enumerate() {
            let c = r.cell(s, t);
            series.push(SeriesYear {
                name: def.name,
                unit: def.unit,
                year,
                mean: c.moments.mean(),
                sd: c.moments.sd(),
                quantiles: LEVELS.map(|q| {
                    if def.quantiles {
                        c.sketch.quantile(q)
                    } else {
                        f64::NAN
                    }
                }),
            });
        }
    }
    let mut wedges = Vec::new();
    for (m, meas) in r.measures.iter().enumerate() {
        for (t, &year) in r.years.iter().enumerate() {
            wedges.push(WedgeYear {
                measure: meas.id.clone(),
                label_en: meas.label_en.clone(),
                label_zh: meas.label_zh.clone(),
                pollutant: match meas.pollutant {
                    crate::model::Pollutant::Co2 => "co2",
                    crate::model::Pollutant::Nox => "nox",
                    crate::model::Pollutant::Vocs => "vocs",
                },
                year,
                mean_t: r.wedges[m * r.years.len() + t].moments.mean(),
            });
        }
    }
    RunSummary {
        scenario: r.scenario_id.clone(),
        draws: r.config.draws,
        seed: r.config.seed,
        indicators,
        targets,
        series,
        wedges,
        calibration_clamped_draws: r.calibration_clamped,
        reconciliation: r
            .reconciliation
            .iter()
            .map(|(id, h)| crate::engine::reconciliation::FactorSummary::of(id, h))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dist_skips_nan() {
        let d = Dist::of(&[f64::NAN, 1.0, 3.0]);
        assert_eq!((d.n, d.mean), (2, 2.0));
    }
}
