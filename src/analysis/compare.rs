//! Scenario comparison: paired differences computed draw by draw (common random numbers) and
//! the scenario × target attainment table.

use super::stats::{Z95, quantile_sorted, wilson_interval};
use super::summary::evaluated_column;
use crate::engine::RunResult;
use crate::model::indicators::Unit;

/// Paired difference of one indicator: scenario minus baseline, draw by draw.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairedDiff {
    /// Scenario id.
    pub scenario: String,
    /// Baseline id.
    pub baseline: String,
    /// Indicator name.
    pub indicator: String,
    /// Unit.
    pub unit: Unit,
    /// Year both runs are evaluated in: the baseline's target year of the indicator, else
    /// the horizon (MODEL.md §2).
    pub year: i32,
    /// Mean difference.
    pub mean: f64,
    /// Standard deviation of the difference.
    pub sd: f64,
    /// 5th percentile of the difference.
    pub p5: f64,
    /// 95th percentile of the difference.
    pub p95: f64,
    /// Standard error of the mean difference.
    pub se_mean: f64,
    /// Draws with a finite difference.
    pub n: u64,
}

/// Draw-by-draw differences `a − b` of two equally long columns (NaN pairs left out).
pub fn paired(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter()
        .zip(b)
        .map(|(x, y)| x - y)
        .filter(|d| d.is_finite())
        .collect()
}

/// Sample variance.
pub fn variance(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return f64::NAN;
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
}

/// Paired differences of every shared indicator of `run` against `baseline`, each in its
/// target's year (the first of the baseline's or the run's targets of it, else the horizon).
/// Both runs must use the same seed and draw count (common random numbers).
pub fn paired_differences(run: &RunResult, baseline: &RunResult) -> Vec<PairedDiff> {
    let mut out = Vec::new();
    for (i, d) in run.indicators.iter().enumerate() {
        let Some(j) = baseline.indicators.iter().position(|b| b.name == d.name) else {
            continue;
        };
        let (year_b, col_b) = evaluated_column(baseline, j);
        let (year_r, col_r) = evaluated_column(run, i);
        // Same year on both sides: the year of whichever run has a target for it.
        let has_target = |r: &RunResult, i: usize| r.targets.iter().any(|t| t.indicator == i);
        let (year, col_r, col_b) = if year_b == year_r {
            (year_b, col_r, col_b)
        } else if has_target(baseline, j) {
            (year_b, year_column(run, i, year_b), col_b)
        } else {
            (year_r, col_r, year_column(baseline, j, year_r))
        };
        let mut diff = paired(&col_r, &col_b);
        let n = diff.len();
        let var = variance(&diff);
        let mean = if n > 0 {
            diff.iter().sum::<f64>() / n as f64
        } else {
            f64::NAN
        };
        diff.sort_by(f64::total_cmp);
        out.push(PairedDiff {
            scenario: run.scenario_id.clone(),
            baseline: baseline.scenario_id.clone(),
            indicator: d.name.to_string(),
            unit: d.unit,
            year,
            mean,
            sd: var.sqrt(),
            p5: quantile_sorted(&diff, 0.05),
            p95: quantile_sorted(&diff, 0.95),
            se_mean: (var / n.max(1) as f64).sqrt(),
            n: n as u64,
        });
    }
    out
}

/// Values of indicator `i` of `r` in `year`: a target column of that indicator and year if the
/// run has one, else the horizon column when `year` is the horizon, else all NaN (the run does
/// not store the indicator in that year; such pairs are left out).
fn year_column(r: &RunResult, i: usize, year: i32) -> Vec<f64> {
    if let Some(k) = r
        .targets
        .iter()
        .position(|t| t.indicator == i && t.target.year == year)
    {
        return r.target_column(k);
    }
    if r.years.last() == Some(&year) {
        return r.indicator_column(i);
    }
    vec![f64::NAN; r.n_draws()]
}

/// One cell of the attainment table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Attainment {
    /// Scenario id.
    pub scenario: String,
    /// Target id.
    pub target: String,
    /// Indicator.
    pub indicator: String,
    /// Year.
    pub year: i32,
    /// Probability of meeting the target.
    pub probability: f64,
    /// Wilson 95 % interval.
    pub low95: f64,
    /// Wilson 95 % interval.
    pub high95: f64,
}

/// Scenario × target attainment probabilities, scenarios in the given order, targets in the
/// order they first appear.
pub fn attainment(runs: &[&RunResult]) -> Vec<Attainment> {
    let mut out = Vec::new();
    for r in runs {
        let n = r.n_draws() as u64;
        for (k, t) in r.targets.iter().enumerate() {
            let (low95, high95) = wilson_interval(r.met[k], n, Z95);
            out.push(Attainment {
                scenario: r.scenario_id.clone(),
                target: t.target.id.clone(),
                indicator: t.target.indicator.clone(),
                year: t.target.year,
                probability: r.met[k] as f64 / n.max(1) as f64,
                low95,
                high95,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_differences_drop_nan_pairs() {
        let d = paired(&[1.0, f64::NAN, 3.0], &[0.5, 1.0, 1.0]);
        assert_eq!(d, vec![0.5, 2.0]);
        assert!((variance(&d) - 1.125).abs() < 1e-12);
    }
}
