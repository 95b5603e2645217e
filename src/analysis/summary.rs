//! Summaries of a run: indicator distributions, target-attainment probabilities with Wilson
//! intervals, per-year series quantiles and mean wedges.

use rayon::prelude::*;

use super::stats::{self, Z95, wilson_interval};
use crate::engine::{RunResult, SERIES};
use crate::model::Pollutant;
use crate::model::indicators::Unit;
use crate::model::reconcile::{
    BALANCE_IDS, COMPONENT_IDS, N_BALANCES, ReconStats, WARN_FACTOR, WARN_SHARE,
};
use crate::scenario::{Comparison, TargetKind};

/// The id of a pollutant in output files: `co2`, `nox`, `vocs`.
pub fn pollutant_id(p: Pollutant) -> &'static str {
    match p {
        Pollutant::Co2 => "co2",
        Pollutant::Nox => "nox",
        Pollutant::Vocs => "vocs",
    }
}

fn serialize_pollutant<S: serde::Serializer>(p: &Pollutant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(pollutant_id(*p))
}

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

/// An indicator evaluated in its target's year (in the horizon year if it has no target).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorSummary {
    /// Machine name.
    pub name: String,
    /// Unit (written as the model names it: `fraction`, `t`, `year`).
    pub unit: Unit,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// Year it is evaluated in: its first target's year, else the horizon (MODEL.md §2).
    pub year: i32,
    /// Distribution over draws.
    pub dist: Dist,
}

/// The year indicator `i` of `r` is evaluated in and its value for every draw: the year of
/// the indicator's first target (the target's own per-draw column), else the horizon year
/// (MODEL.md §2: each indicator is evaluated in its target's year wherever it is reported).
pub fn evaluated_column(r: &RunResult, i: usize) -> (i32, Vec<f64>) {
    match r.targets.iter().position(|t| t.indicator == i) {
        Some(k) => (r.targets[k].target.year, r.target_column(k)),
        None => (*r.years.last().unwrap_or(&0), r.indicator_column(i)),
    }
}

/// A target and the probability of meeting it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetSummary {
    /// Target id.
    pub id: String,
    /// Indicator.
    pub indicator: String,
    /// Which side meets the target (written `<=` or `>=`).
    pub comparison: Comparison,
    /// Threshold.
    pub threshold: f64,
    /// Year.
    pub year: i32,
    /// Binding, expected or carbon peak (written `binding`, `expected`, `carbon_peak`).
    pub kind: TargetKind,
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
    pub unit: Unit,
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
    /// Pollutant (written `co2`, `nox` or `vocs`).
    #[serde(serialize_with = "serialize_pollutant")]
    pub pollutant: Pollutant,
    /// Year.
    pub year: i32,
    /// Mean reduction (t).
    pub mean_t: f64,
}

/// What a ledger line is: a project of some kind (削减量) or a cause of 新增量 in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookKind {
    /// A key project (MODEL.md §4 kinds).
    Project(crate::model::ProjectKind),
    /// A cause of 新增量 (MODEL.md §4 groups a, b, c).
    Cause(crate::model::CauseGroup),
}

impl BookKind {
    /// Keyword used in output files: the project kind or the cause letter.
    pub fn as_str(self) -> &'static str {
        match self {
            BookKind::Project(k) => k.as_str(),
            BookKind::Cause(g) => g.letter(),
        }
    }
}

#[cfg(test)]
impl BookKind {
    /// The kind a keyword of [`BookKind::as_str`] names (test fixtures).
    pub(crate) fn from_keyword(s: &str) -> BookKind {
        use crate::model::{CauseGroup, ProjectKind};
        match s {
            "retrofit" => BookKind::Project(ProjectKind::Retrofit),
            "closure" => BookKind::Project(ProjectKind::Closure),
            "displacement" => BookKind::Project(ProjectKind::Displacement),
            "substitution" => BookKind::Project(ProjectKind::Substitution),
            "a" => BookKind::Cause(CauseGroup::NewSources),
            "b" => BookKind::Cause(CauseGroup::Growth),
            "c" => BookKind::Cause(CauseGroup::Leavers),
            other => panic!("no ledger kind '{other}'"),
        }
    }
}

impl serde::Serialize for BookKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One line of the key-project ledger in one year (MODEL.md §4): a project's 削减量 or a
/// cause's 新增量, with its distribution over the draws (t).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BookYear {
    /// Project or cause id.
    pub id: String,
    /// English name.
    pub label_en: String,
    /// Chinese name.
    pub label_zh: String,
    /// Project kind or cause group (written `retrofit`, `closure`, `displacement`,
    /// `substitution`, or the cause letter `a`, `b`, `c`).
    pub kind: BookKind,
    /// NOx or VOCs (written `nox`, `vocs`).
    #[serde(serialize_with = "serialize_pollutant")]
    pub pollutant: Pollutant,
    /// Year.
    pub year: i32,
    /// Mean (t).
    pub mean_t: f64,
    /// 5th percentile (t); NaN for a cause of 新增量 (means only).
    pub p5_t: f64,
    /// Median (t).
    pub p50_t: f64,
    /// 95th percentile (t).
    pub p95_t: f64,
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
    /// Indicators, each in its target's year (else the horizon year).
    pub indicators: Vec<IndicatorSummary>,
    /// Targets.
    pub targets: Vec<TargetSummary>,
    /// Per-year series.
    pub series: Vec<SeriesYear>,
    /// Per-year mean wedges.
    pub wedges: Vec<WedgeYear>,
    /// Key-project ledger: 削减量 by project and year (NOx projects, then VOCs projects).
    pub ledger: Vec<BookYear>,
    /// 新增量 by cause and year (NOx, then VOCs).
    pub increments: Vec<BookYear>,
    /// Draws with a base-year heat or power balance clamped at 0 (the base-year
    /// reconciliation itself never clamps, MODEL.md §5).
    pub calibration_clamped_draws: u64,
    /// The base-year reconciliation of energy by carrier, NOx and VOCs (MODEL.md §5): factors
    /// per balance and component.
    pub reconciliation: ReconciliationSummary,
}

/// The reconciliation factors of a run (MODEL.md §5).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ReconciliationSummary {
    /// Draws where every movable component was held at its floor, per balance in
    /// `reconcile::BALANCE_IDS` order: NOx, VOCs, coal, oil, gas (0 expected).
    pub all_held_draws: [u64; N_BALANCES],
    /// One row per pollutant and component.
    pub factors: Vec<FactorSummary>,
    /// Components whose factor is outside ×/÷ 1.5 in more than 5 % of draws.
    pub warnings: Vec<String>,
}

/// Distribution of one component's reconciliation factor.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FactorSummary {
    /// The balance: `nox`, `vocs`, or a carrier of the energy balance, `coal`, `oil`, `gas`.
    pub pollutant: String,
    /// Component id (`reconcile::COMPONENT_IDS`).
    pub component: String,
    /// 5 %, 50 % and 95 % quantiles of the factor (1 % resolution).
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95 % quantile.
    pub p95: f64,
    /// Share of draws with the factor outside ×/÷ 1.5.
    pub outside_1_5: f64,
}

/// Summarises the reconciliation factors; a component never non-zero in the base year (factor
/// always 1) is left out.
pub fn reconciliation_summary(st: &ReconStats) -> ReconciliationSummary {
    let mut out = ReconciliationSummary {
        all_held_draws: st.all_held,
        ..Default::default()
    };
    for (p, name) in BALANCE_IDS.into_iter().enumerate() {
        for (k, id) in COMPONENT_IDS.iter().enumerate() {
            let (p5, p50, p95) = (
                st.quantile(p, k, 0.05),
                st.quantile(p, k, 0.5),
                st.quantile(p, k, 0.95),
            );
            if p5 == p95 && (p50 - 1.0).abs() < 0.01 {
                continue;
            }
            let share = st.outside_share(p, k);
            if share > WARN_SHARE {
                out.warnings.push(format!(
                    "{name} component '{id}': reconciliation factor outside ×/÷ {WARN_FACTOR} in {:.1} % of draws (MODEL.md §5 warns above {:.0} %)",
                    100.0 * share,
                    100.0 * WARN_SHARE
                ));
            }
            out.factors.push(FactorSummary {
                pollutant: name.to_string(),
                component: id.to_string(),
                p5,
                p50,
                p95,
                outside_1_5: share,
            });
        }
    }
    out
}

/// Quantile levels reported per year.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Summarises a run.
pub fn summarize(r: &RunResult) -> RunSummary {
    let indicators = r
        .indicators
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let (year, column) = evaluated_column(r, i);
            IndicatorSummary {
                name: d.name.to_string(),
                unit: d.unit,
                label_en: d.label_en.to_string(),
                label_zh: d.label_zh.to_string(),
                year,
                dist: Dist::of(&column),
            }
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
                comparison: t.comparison,
                threshold: t.threshold,
                year: t.year,
                kind: t.kind,
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
                pollutant: meas.pollutant,
                year,
                mean_t: r.wedges[m * r.years.len() + t].moments.mean(),
            });
        }
    }
    let (ledger, increments) = book_years(r);
    RunSummary {
        ledger,
        increments,
        scenario: r.scenario_id.clone(),
        draws: r.config.draws,
        seed: r.config.seed,
        indicators,
        targets,
        series,
        wedges,
        calibration_clamped_draws: r.calibration_clamped,
        reconciliation: reconciliation_summary(&r.reconciliation),
    }
}

/// The ledger lines of a run, split into projects (削减量) and causes (新增量).
fn book_years(r: &RunResult) -> (Vec<BookYear>, Vec<BookYear>) {
    use crate::model::{BookLine, CAUSES, PROJECTS};
    let (mut cuts, mut adds) = (Vec::new(), Vec::new());
    for (l, line) in r.book_lines.iter().enumerate() {
        let (id, en, zh, kind, out) = match *line {
            BookLine::Cut(p, _) => {
                let d = &PROJECTS[p as usize];
                (
                    d.id,
                    d.label_en,
                    d.label_zh,
                    BookKind::Project(d.kind),
                    &mut cuts,
                )
            }
            BookLine::Add(c, _) => {
                let d = &CAUSES[c as usize];
                (
                    d.id,
                    d.label_en,
                    d.label_zh,
                    BookKind::Cause(d.group),
                    &mut adds,
                )
            }
        };
        for (t, &year) in r.years.iter().enumerate() {
            let c = r.book_cell(l, t);
            out.push(BookYear {
                id: id.to_string(),
                label_en: en.to_string(),
                label_zh: zh.to_string(),
                kind,
                pollutant: if line.pollutant() == "nox" {
                    Pollutant::Nox
                } else {
                    Pollutant::Vocs
                },
                year,
                mean_t: c.moments.mean(),
                p5_t: c.sketch.quantile(0.05),
                p50_t: c.sketch.quantile(0.5),
                p95_t: c.sketch.quantile(0.95),
            });
        }
    }
    (cuts, adds)
}

impl RunSummary {
    /// The ledger rows (削减量) of one pollutant (NOx or VOCs) in `year`, in ledger order.
    pub fn ledger_in(&self, pollutant: Pollutant, year: i32) -> Vec<&BookYear> {
        self.ledger
            .iter()
            .filter(|b| b.pollutant == pollutant && b.year == year)
            .collect()
    }
    /// The 新增量 rows of one pollutant in `year`, by cause.
    pub fn increments_in(&self, pollutant: Pollutant, year: i32) -> Vec<&BookYear> {
        self.increments
            .iter()
            .filter(|b| b.pollutant == pollutant && b.year == year)
            .collect()
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
