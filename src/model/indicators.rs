//! Horizon-year indicators and their definitions (MODEL.md §2).

use crate::scenario::KeyProjectAccounting;

use super::{BOOK_NOX, BOOK_VOCS, Measure, ModelError, Pollutant, Resolver, Trajectory};

/// Unit of a model output (indicator or per-year series). Written in output files as the
/// model has always named it ([`Unit::as_str`]: `fraction`, `t`, `tce`, `亿元`, `year`, `MWh`);
/// CO₂ and the air pollutants share `t` there but are distinct here, so the presentation layer
/// picks 万吨 for CO₂ and 吨 for NOx and VOCs from the type, not from the quantity's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A share, or a change against the base year (−0.18 = −18 %).
    Fraction,
    /// Tonnes of CO₂.
    TonnesCo2,
    /// Tonnes of an air pollutant (NOx as NO₂, VOCs).
    Tonnes,
    /// Tonnes of standard coal equivalent.
    Tce,
    /// 亿元 (10⁸ yuan) at constant 2020 prices.
    Yuan1e8,
    /// A calendar year (the peak year).
    Year,
    /// Megawatt-hours (heat).
    MWh,
}

impl Unit {
    /// The unit as output files write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::Fraction => "fraction",
            Unit::TonnesCo2 | Unit::Tonnes => "t",
            Unit::Tce => "tce",
            Unit::Yuan1e8 => "亿元",
            Unit::Year => "year",
            Unit::MWh => "MWh",
        }
    }

    /// Tonnes of `p`: [`Unit::TonnesCo2`] for CO₂, else [`Unit::Tonnes`].
    pub const fn tonnes_of(p: Pollutant) -> Unit {
        match p {
            Pollutant::Co2 => Unit::TonnesCo2,
            Pollutant::Nox | Pollutant::Vocs => Unit::Tonnes,
        }
    }

    /// Whether values vary continuously (everything but a year).
    pub const fn is_continuous(self) -> bool {
        !matches!(self, Unit::Year)
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One horizon-year indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    /// Machine name, e.g. `co2_intensity_change`.
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// English label.
    pub label_en: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
}

/// Values of the indicators for one draw, in definition order.
pub type Indicators = Vec<f64>;

const ALL: [IndicatorDef; 9] = [
    IndicatorDef {
        name: "co2_intensity_change",
        unit: Unit::Fraction,
        label_en: "CO₂ per unit GDP, change vs base year",
        label_zh: "单位GDP二氧化碳排放较基年变化",
    },
    IndicatorDef {
        name: "energy_intensity_change",
        unit: Unit::Fraction,
        label_en: "Energy per unit GDP, change vs base year",
        label_zh: "单位GDP能耗较基年变化",
    },
    IndicatorDef {
        name: "nonfossil_share",
        unit: Unit::Fraction,
        label_en: "Non-fossil share of energy consumption",
        label_zh: "非化石能源占能源消费比重",
    },
    IndicatorDef {
        name: "nox_key_project_reduction_t",
        unit: Unit::Tonnes,
        label_en: "NOx key-project reduction",
        label_zh: "氮氧化物重点工程减排量",
    },
    IndicatorDef {
        name: "vocs_key_project_reduction_t",
        unit: Unit::Tonnes,
        label_en: "VOCs key-project reduction",
        label_zh: "挥发性有机物重点工程减排量",
    },
    IndicatorDef {
        name: "energy_intensity_change_gross",
        unit: Unit::Fraction,
        label_en: "Energy per unit GDP, change vs base year, no renewable deduction",
        label_zh: "单位GDP能耗较基年变化（不扣除新增可再生能源）",
    },
    IndicatorDef {
        name: "nox_new_increment_t",
        unit: Unit::Tonnes,
        label_en: "NOx new increment (new sources and growth)",
        label_zh: "氮氧化物新增量",
    },
    IndicatorDef {
        name: "vocs_new_increment_t",
        unit: Unit::Tonnes,
        label_en: "VOCs new increment (new sources and growth)",
        label_zh: "挥发性有机物新增量",
    },
    IndicatorDef {
        name: "co2_peak_year",
        unit: Unit::Year,
        label_en: "Year of peak CO₂",
        label_zh: "二氧化碳排放达峰年份",
    },
];

/// Every indicator the model knows, in output order (a scenario reports the first eight, or
/// all nine when its horizon reaches 2030: [`IndicatorInputs::defs`]).
pub fn all_defs() -> &'static [IndicatorDef] {
    &ALL
}

/// Which indicators apply (the peak year only for horizons ≥ 2030).
///
/// `energy_intensity_change_gross` is the energy-intensity change on gross consumption, before
/// the deduction of the increase of renewable electricity (`renewable_exemption`); it equals
/// `energy_intensity_change` when the option is off and shows, when it is on, how much of the
/// assessed change the deduction makes (reported, no target).
#[derive(Debug, Clone)]
pub struct IndicatorInputs {
    n: usize,
    key_projects: KeyProjectAccounting,
}

impl IndicatorInputs {
    /// Chooses the indicators for the scenario's horizon.
    pub fn resolve(r: &Resolver) -> Result<Self, ModelError> {
        let n = if r.scenario().meta.horizon >= 2030 {
            9
        } else {
            8
        };
        Ok(IndicatorInputs {
            n,
            key_projects: r.scenario().options.key_project_accounting,
        })
    }

    /// Definitions, in output order.
    pub fn defs(&self) -> &[IndicatorDef] {
        &ALL[..self.n]
    }

    /// Computes the horizon-year indicators of one trajectory into `out` (length `defs().len()`).
    pub fn compute(&self, traj: &Trajectory, measures: &[Measure], out: &mut [f64]) {
        self.compute_at(traj, measures, traj.years.len().saturating_sub(1), out);
    }

    /// Computes the indicators as of year index `t` (0 = base year) into `out`.
    pub fn compute_at(&self, traj: &Trajectory, measures: &[Measure], t: usize, out: &mut [f64]) {
        let (Some(base), Some(last)) = (traj.years.first(), traj.years.get(t)) else {
            out.iter_mut().for_each(|x| *x = f64::NAN);
            return;
        };
        let ratio = |num_b: f64, den_b: f64, num_h: f64, den_h: f64| {
            if num_b > 0.0 && den_b > 0.0 && den_h > 0.0 {
                (num_h / den_h) / (num_b / den_b) - 1.0
            } else {
                f64::NAN
            }
        };
        out[0] = ratio(
            base.co2_total_t,
            base.gdp_yuan_1e8,
            last.co2_total_t,
            last.gdp_yuan_1e8,
        );
        out[1] = ratio(
            base.energy_total_tce,
            base.gdp_yuan_1e8,
            last.energy_total_tce,
            last.gdp_yuan_1e8,
        );
        // The share is computed on gross consumption (before the renewable exemption).
        out[2] = if last.energy_gross_tce > 0.0 {
            last.nonfossil_primary_tce / last.energy_gross_tce
        } else {
            f64::NAN
        };
        let horizon_wedges = traj.wedges_at(t);
        let sum_of = |p: Pollutant| -> f64 {
            measures
                .iter()
                .zip(horizon_wedges)
                .filter(|(m, _)| m.pollutant == p)
                .map(|(_, w)| *w)
                .sum()
        };
        // Key-project reductions: the ledger's 削减量 (MODEL.md §4), or the net wedges.
        let book = &last.book;
        (out[3], out[4]) = match self.key_projects {
            KeyProjectAccounting::Ledger => {
                (book.reduction_t(BOOK_NOX), book.reduction_t(BOOK_VOCS))
            }
            KeyProjectAccounting::Net => (sum_of(Pollutant::Nox), sum_of(Pollutant::Vocs)),
        };
        out[5] = ratio(
            base.energy_gross_tce,
            base.gdp_yuan_1e8,
            last.energy_gross_tce,
            last.gdp_yuan_1e8,
        );
        out[6] = book.increment_t(BOOK_NOX);
        out[7] = book.increment_t(BOOK_VOCS);
        if self.n > 8 {
            let peak = traj.years[..=t]
                .iter()
                .fold((base.year, f64::NEG_INFINITY), |acc, l| {
                    if l.co2_total_t > acc.1 {
                        (l.year, l.co2_total_t)
                    } else {
                        acc
                    }
                });
            out[8] = f64::from(peak.0);
        }
    }
}
