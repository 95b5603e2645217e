//! The key-project ledger as the briefing shows it (MODEL.md §4): per scenario and pollutant,
//! in the year of its key-project target, what each project cuts (削减量, mean and 5–95 %),
//! what each cause adds (新增量, means) and the net change of total emissions, so the summary
//! can say "the projects deliver X t, growth adds Y t".

use crate::analysis::summary::{BookKind, BookYear, RunSummary};
use crate::present::charts::Lang;
use crate::scenario::KeyProjectAccounting;

/// Projects that count pre-China IV vehicles and pre-Stage III machinery leaving the fleet
/// naturally as closures (under `natural_retirement_in_key_projects = true`).
pub const NATURAL_RETIREMENT: [&str; 2] =
    ["vehicle_natural_retirement", "machinery_natural_retirement"];

/// A pollutant the ledger books, with the names the plan and the briefing use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerPollutant {
    /// Nitrogen oxides.
    Nox,
    /// Volatile organic compounds.
    Vocs,
}

impl LedgerPollutant {
    /// Both, in ledger order.
    pub const ALL: [LedgerPollutant; 2] = [LedgerPollutant::Nox, LedgerPollutant::Vocs];

    /// The model's pollutant.
    pub fn pollutant(self) -> crate::model::Pollutant {
        match self {
            LedgerPollutant::Nox => crate::model::Pollutant::Nox,
            LedgerPollutant::Vocs => crate::model::Pollutant::Vocs,
        }
    }

    /// Keyword of the ledger rows (`nox`, `vocs`).
    pub fn key(self) -> &'static str {
        match self {
            LedgerPollutant::Nox => "nox",
            LedgerPollutant::Vocs => "vocs",
        }
    }

    /// Name in text ("NOx", "VOCs"), the same in both languages.
    pub fn name(self) -> &'static str {
        match self {
            LedgerPollutant::Nox => "NOx",
            LedgerPollutant::Vocs => "VOCs",
        }
    }

    /// The key-project indicator of this pollutant.
    pub fn indicator(self) -> &'static str {
        match self {
            LedgerPollutant::Nox => "nox_key_project_reduction_t",
            LedgerPollutant::Vocs => "vocs_key_project_reduction_t",
        }
    }
}

/// One pollutant's ledger of one scenario in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerTable<'a> {
    /// The pollutant.
    pub pollutant: LedgerPollutant,
    /// Year (the key-project target's year, else the indicator's year).
    pub year: i32,
    /// Projects with a 削减量 of half a tonne or more in that year, in ledger order.
    pub projects: Vec<&'a BookYear>,
    /// Causes of 新增量 in that year (all of them: a zero is information too).
    pub causes: Vec<&'a BookYear>,
    /// Σ of the projects' mean 削减量 (t).
    pub reduction_t: f64,
    /// 5–95 % of the total 削减量 (t), from the indicator's draws, when the indicator is the
    /// ledger's (under `"net"` it is Σ net wedges, another quantity).
    pub reduction_range_t: Option<(f64, f64)>,
    /// Σ of the causes' mean 新增量 (t).
    pub increment_t: f64,
    /// Mean of E\[year\] − E\[2020\] = 新增量 − 削减量 (t).
    pub net_change_t: f64,
    /// The plan's requirement for the key-project reduction (t), when it has a target.
    pub required_t: Option<f64>,
    /// Probability of meeting that target.
    pub probability: Option<f64>,
    /// Mean 削减量 from natural retirement of old vehicles and machinery (t).
    pub natural_retirement_t: f64,
    /// Which accounting the key-project indicator follows.
    pub accounting: KeyProjectAccounting,
}

impl LedgerTable<'_> {
    /// Share of the 削减量 that natural retirement delivers (0 when nothing is cut).
    pub fn natural_share(&self) -> f64 {
        if self.reduction_t > 0.0 {
            self.natural_retirement_t / self.reduction_t
        } else {
            0.0
        }
    }
}

/// Whether a ledger row is one of the natural-retirement projects.
pub fn is_natural_retirement(b: &BookYear) -> bool {
    NATURAL_RETIREMENT.contains(&b.id.as_str())
}

/// The ledger tables of one run, NOx then VOCs; a pollutant without ledger rows is left out.
pub fn tables(s: &RunSummary, accounting: KeyProjectAccounting) -> Vec<LedgerTable<'_>> {
    let mut out = Vec::new();
    for p in LedgerPollutant::ALL {
        let target = s.targets.iter().find(|t| t.indicator == p.indicator());
        let ind = s.indicators.iter().find(|i| i.name == p.indicator());
        let Some(year) = target
            .map(|t| t.year)
            .or(ind.map(|i| i.year))
            .or_else(|| s.ledger.iter().map(|b| b.year).max())
        else {
            continue;
        };
        let all = s.ledger_in(p.pollutant(), year);
        let causes = s.increments_in(p.pollutant(), year);
        if all.is_empty() && causes.is_empty() {
            continue;
        }
        let reduction_t: f64 = all.iter().map(|b| b.mean_t).sum();
        let increment_t: f64 = causes.iter().map(|b| b.mean_t).sum();
        let natural_retirement_t = all
            .iter()
            .filter(|b| is_natural_retirement(b))
            .map(|b| b.mean_t)
            .sum();
        let reduction_range_t = match (accounting, target, ind) {
            (KeyProjectAccounting::Ledger, Some(t), _) => Some((t.dist.p5, t.dist.p95)),
            (KeyProjectAccounting::Ledger, None, Some(i)) if i.year == year => {
                Some((i.dist.p5, i.dist.p95))
            }
            _ => None,
        };
        out.push(LedgerTable {
            pollutant: p,
            year,
            // A project that cuts less than half a tonne (mean and 95th percentile) is left
            // out of the list: it would read "0 t".
            projects: all
                .into_iter()
                .filter(|b| b.mean_t.abs() >= 0.5 || b.p95_t.abs() >= 0.5)
                .collect(),
            causes,
            reduction_t,
            reduction_range_t,
            increment_t,
            net_change_t: increment_t - reduction_t,
            required_t: target.map(|t| t.threshold),
            probability: target.map(|t| t.probability),
            natural_retirement_t,
            accounting,
        });
    }
    out
}

/// Name of a project kind or a cause group in `lang`.
pub fn kind_name(kind: BookKind, lang: Lang) -> &'static str {
    use crate::model::CauseGroup;
    match (kind, lang) {
        (BookKind::Project(k), Lang::Zh) => k.label_zh(),
        (BookKind::Project(k), Lang::En) => k.as_str(),
        (BookKind::Cause(CauseGroup::NewSources), Lang::Zh) => "(a) 新增源",
        (BookKind::Cause(CauseGroup::NewSources), Lang::En) => "(a) new sources",
        (BookKind::Cause(CauseGroup::Growth), Lang::Zh) => "(b) 现有源增长",
        (BookKind::Cause(CauseGroup::Growth), Lang::En) => "(b) growth of 2020 sources",
        (BookKind::Cause(CauseGroup::Leavers), Lang::Zh) => "(c) 非项目退出",
        (BookKind::Cause(CauseGroup::Leavers), Lang::En) => "(c) leavers not a project",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::summary::{Dist, TargetSummary};

    fn row(
        id: &str,
        kind: &'static str,
        pollutant: &'static str,
        year: i32,
        mean: f64,
    ) -> BookYear {
        BookYear {
            id: id.into(),
            label_en: id.into(),
            label_zh: id.into(),
            kind: BookKind::from_keyword(kind),
            pollutant: if pollutant == "nox" {
                crate::model::Pollutant::Nox
            } else {
                crate::model::Pollutant::Vocs
            },
            year,
            mean_t: mean,
            p5_t: mean * 0.8,
            p50_t: mean,
            p95_t: mean * 1.2,
        }
    }

    fn dist(p5: f64, p95: f64) -> Dist {
        Dist {
            mean: (p5 + p95) / 2.0,
            sd: 1.0,
            p5,
            p25: p5,
            p50: (p5 + p95) / 2.0,
            p75: p95,
            p95,
            n: 100,
        }
    }

    fn summary() -> RunSummary {
        RunSummary {
            scenario: "s".into(),
            draws: 100,
            seed: 1,
            indicators: Vec::new(),
            targets: vec![TargetSummary {
                id: "nox_reduction".into(),
                indicator: "nox_key_project_reduction_t".into(),
                comparison: crate::scenario::Comparison::AtLeast,
                threshold: 6300.0,
                year: 2025,
                kind: crate::scenario::TargetKind::Binding,
                source: "plan".into(),
                met: 40,
                n: 100,
                probability: 0.4,
                low95: 0.3,
                high95: 0.5,
                dist: dist(4000.0, 8000.0),
            }],
            series: Vec::new(),
            wedges: Vec::new(),
            ledger: vec![
                row("heat_network", "closure", "nox", 2024, 999.0),
                row("heat_network", "closure", "nox", 2025, 3000.0),
                row("sinter_denox", "retrofit", "nox", 2025, 0.0),
                row("kiln_upgrade", "retrofit", "nox", 2025, 0.3),
                row("vehicle_natural_retirement", "closure", "nox", 2025, 1000.0),
                row("treatment_inks", "retrofit", "vocs", 2025, 50.0),
            ],
            increments: vec![
                row("growth", "b", "nox", 2025, 2500.0),
                row("fleet_leavers", "c", "nox", 2025, -500.0),
                row("growth", "b", "vocs", 2025, 80.0),
            ],
            calibration_clamped_draws: 0,
            reconciliation: Default::default(),
        }
    }

    #[test]
    fn tables_sum_the_target_year_and_net_the_identity() {
        let s = summary();
        let t = tables(&s, KeyProjectAccounting::Ledger);
        assert_eq!(t.len(), 2);
        let n = &t[0];
        assert_eq!((n.pollutant, n.year), (LedgerPollutant::Nox, 2025));
        // 2024's row is not counted; the zero project is not listed.
        assert_eq!(n.reduction_t, 4000.3);
        assert_eq!(n.projects.len(), 2);
        assert_eq!(n.increment_t, 2000.0);
        // E[2025] − E[2020] = 新增量 − 削减量.
        assert!((n.net_change_t + 2000.3).abs() < 1e-9);
        assert_eq!(n.required_t, Some(6300.0));
        assert_eq!(n.reduction_range_t, Some((4000.0, 8000.0)));
        assert_eq!(n.natural_retirement_t, 1000.0);
        assert!((n.natural_share() - 1000.0 / 4000.3).abs() < 1e-12);
        // VOCs has no target here: the year falls back to the latest ledger year.
        assert_eq!(
            (t[1].year, t[1].reduction_t, t[1].required_t),
            (2025, 50.0, None)
        );
        // Under "net" the indicator is another quantity: no interval for the ledger total.
        let net = tables(&s, KeyProjectAccounting::Net);
        assert_eq!(net[0].reduction_range_t, None);
    }
}
