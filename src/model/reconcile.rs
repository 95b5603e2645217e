//! Base-year reconciliation in every draw (MODEL.md §5).
//!
//! The bottom-up components x_i of a base-year total (the sectors' fuel of one carrier, or their
//! NOx or VOCs, plus an explicit "other" component with its own prior) and the top-down
//! statistic T are balanced by generalised least squares, as national accounts are:
//! σ_i² = v_i·x_i², σ_T² = v_T·T², v = Π(1 + CV²) − 1 over the independent inputs of the
//! product; λ = (T − Σx_i) / (Σσ_i² + σ_T²); x_i ← x_i + σ_i²·λ; T ← T − σ_T²·λ. A component that
//! would fall below 5 % of its draw is held there and the rest rebalanced; when every component
//! that can move is held, the statistic takes the rest and the draw is counted.
//!
//! Order per draw: energy by carrier (coal, oil, gas; the adjustment multiplies the sector's
//! fuel intensity), then NOx and VOCs on the reconciled fuels (the adjustment multiplies the
//! sector's emission factors). CO₂ is not reconciled: it follows from the reconciled fuels. The
//! multipliers ([`Adjustment`]) hold in the base year and every later year.

use crate::scenario::Scenario;
use crate::uncertainty::Distribution;

use super::{EnergySector, N_ENERGY_SECTORS, N_POLLUTANT_SECTORS, PollutantSector};

/// Fraction of its own draw below which no component is pushed (MODEL.md §5).
pub const FLOOR_FRACTION: f64 = 0.05;

/// The fossil carriers whose base-year statistics are reconciled, in [`super::Fuel`] order.
pub const CARRIERS: [&str; 3] = ["coal", "oil", "gas"];

/// Per-draw multipliers from the reconciliation: on fuel intensities by (energy sector, fossil
/// carrier) and of the "other" component, and on emission factors by pollutant sector ("other"
/// is [`PollutantSector::Other`]). All 1 when nothing is adjusted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adjustment {
    /// Fuel-intensity multiplier `fuel[energy sector][carrier]` (coal, oil, gas).
    pub fuel: [[f64; 3]; N_ENERGY_SECTORS],
    /// Multiplier of the "other" energy component per carrier (coal, oil, gas).
    pub other_fuel: [f64; 3],
    /// NOx emission-factor multiplier by pollutant sector.
    pub nox: [f64; N_POLLUTANT_SECTORS],
    /// VOCs emission-factor multiplier by pollutant sector.
    pub vocs: [f64; N_POLLUTANT_SECTORS],
}

impl Default for Adjustment {
    /// No adjustment (every multiplier 1).
    fn default() -> Self {
        Adjustment {
            fuel: [[1.0; 3]; N_ENERGY_SECTORS],
            other_fuel: [1.0; 3],
            nox: [1.0; N_POLLUTANT_SECTORS],
            vocs: [1.0; N_POLLUTANT_SECTORS],
        }
    }
}

impl Adjustment {
    /// Fuel-intensity multiplier of `sector`'s carrier `k` (0 coal, 1 oil, 2 gas).
    #[inline]
    pub fn fuel(&self, sector: EnergySector, k: usize) -> f64 {
        self.fuel[sector as usize][k]
    }
    /// NOx emission-factor multiplier of `sector`.
    #[inline]
    pub fn nox(&self, sector: PollutantSector) -> f64 {
        self.nox[sector as usize]
    }
    /// VOCs emission-factor multiplier of `sector`.
    #[inline]
    pub fn vocs(&self, sector: PollutantSector) -> f64 {
        self.vocs[sector as usize]
    }
}

/// Outcome of one balancing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balanced {
    /// The reconciled statistic (= Σ reconciled components).
    pub total: f64,
    /// True when every component that could move was held at its floor (the statistic took
    /// the rest).
    pub all_held: bool,
}

/// Balances `x` (components, changed in place) against the statistic `t` by GLS with relative
/// variances `v` (per component) and `v_t` (statistic), floors at [`FLOOR_FRACTION`] of each
/// component's draw (MODEL.md §5). Components with zero variance never move; a zero-variance
/// statistic is met exactly unless every movable component is held.
pub fn balance(x: &mut [f64], v: &[f64], t: f64, v_t: f64) -> Balanced {
    const MAX: usize = 64;
    debug_assert!(x.len() <= MAX && v.len() == x.len());
    let n = x.len();
    let mut x0 = [0.0; MAX];
    let mut s2 = [0.0; MAX];
    let mut held = [false; MAX];
    for i in 0..n {
        x0[i] = x[i];
        s2[i] = v[i].max(0.0) * x[i] * x[i];
    }
    let s2_t = v_t.max(0.0) * t * t;
    loop {
        // Held components sit at their floors; the others start from their draws.
        let (mut sum_x, mut sum_s2, mut movable) = (0.0, 0.0, false);
        for i in 0..n {
            let xi = if held[i] {
                FLOOR_FRACTION * x0[i]
            } else {
                x0[i]
            };
            sum_x += xi;
            if !held[i] && s2[i] > 0.0 {
                sum_s2 += s2[i];
                movable = true;
            }
        }
        if !movable {
            // Nothing left to move: the statistic takes the sum of the components.
            let any = (0..n).any(|i| held[i]);
            for i in 0..n {
                x[i] = if held[i] {
                    FLOOR_FRACTION * x0[i]
                } else {
                    x0[i]
                };
            }
            return Balanced {
                total: sum_x,
                // Also flagged: an exact statistic that nothing can move to meet.
                all_held: any || (s2_t == 0.0 && t != sum_x),
            };
        }
        let lambda = (t - sum_x) / (sum_s2 + s2_t);
        let mut newly_held = false;
        for i in 0..n {
            if held[i] {
                x[i] = FLOOR_FRACTION * x0[i];
            } else {
                x[i] = x0[i] + s2[i] * lambda;
                if s2[i] > 0.0 && x[i] < FLOOR_FRACTION * x0[i] {
                    held[i] = true;
                    newly_held = true;
                }
            }
        }
        if !newly_held {
            let total = if s2_t == 0.0 { t } else { t - s2_t * lambda };
            return Balanced {
                total,
                all_held: false,
            };
        }
    }
}

/// Relative variance v = Π(1 + CV²) − 1 of a product of independent factors with the given CVs.
pub fn product_variance(cvs: impl IntoIterator<Item = f64>) -> f64 {
    cvs.into_iter().fold(1.0, |acc, cv| acc * (1.0 + cv * cv)) - 1.0
}

/// CV (sd ÷ |mean|) of a scenario input's distribution; 0 for a constant, an absent name or a
/// zero mean.
pub fn input_cv(s: &Scenario, name: &str) -> f64 {
    let Some(p) = s.param(name) else { return 0.0 };
    if p.spec.is_constant() {
        return 0.0;
    }
    match Distribution::from_spec(&p.spec) {
        Ok(d) if d.mean() != 0.0 && d.sd().is_finite() => d.sd() / d.mean().abs(),
        _ => 0.0,
    }
}

/// True when `name` matches `pattern`, where each `*` stands for any run of characters.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len()).any(|k| tail.is_char_boundary(k) && glob(rest, &tail[k..]))
        }
    }
}

/// Relative variance of a component whose value is a product of the inputs named by
/// `patterns`: each pattern is one factor; a pattern with `*` names a group of like inputs (one
/// per vehicle segment, say) summed over, counted as one factor with the mean CV² of the group
/// (an upper bound: it treats the group's members as fully correlated). Unmatched patterns
/// count as exact factors.
pub fn component_variance(s: &Scenario, patterns: &[&str]) -> f64 {
    product_variance(patterns.iter().map(|pat| {
        if pat.contains('*') {
            let cv2: Vec<f64> = s
                .params
                .iter()
                .filter(|p| !p.name.contains('@') && glob(pat, &p.name))
                .map(|p| input_cv(s, &p.name).powi(2))
                .collect();
            if cv2.is_empty() {
                0.0
            } else {
                (cv2.iter().sum::<f64>() / cv2.len() as f64).sqrt()
            }
        } else {
            input_cv(s, pat)
        }
    }))
}

/// Number of reconciled components: 6 per fossil carrier (five energy sectors + "other"),
/// 10 per pollutant (the pollutant sectors, [`PollutantSector::Other`] being "other").
pub const N_COMPONENTS: usize = 3 * (N_ENERGY_SECTORS + 1) + 2 * N_POLLUTANT_SECTORS;

const ENERGY_SECTOR_IDS: [&str; N_ENERGY_SECTORS + 1] = [
    "heat",
    "power",
    "industry",
    "transport",
    "residential",
    "other",
];
const POLLUTANT_SECTOR_IDS: [&str; N_POLLUTANT_SECTORS] = [
    "heat",
    "power",
    "industry",
    "road_transport",
    "non_road",
    "solvent_use",
    "process",
    "fuel_distribution",
    "residential",
    "other",
];

/// The inputs whose product each component is (their CVs give its relative variance;
/// [`component_variance`]): energy by (sector, carrier), then "other" per carrier.
const ENERGY_INPUTS: [[&[&str]; 3]; N_ENERGY_SECTORS + 1] = [
    [
        &[
            "heating.area_base_m2",
            "heating.heat_demand_base_gj_per_m2",
            "heating.coal_chp_efficiency",
        ],
        &[],
        &[
            "heating.area_base_m2",
            "heating.heat_demand_base_gj_per_m2",
            "heating.gas_boiler_efficiency",
        ],
    ],
    [
        &["power.coal_gen_base_kwh", "power.coal_rate_gce_per_kwh"],
        &[],
        &[],
    ],
    [
        &["industry.energy_2020_tce", "industry.share_2020.coal"],
        &["industry.energy_2020_tce", "industry.share_2020.oil"],
        &["industry.energy_2020_tce", "industry.share_2020.gas"],
    ],
    [
        &[],
        &["fleet.*.stock_2020", "fleet.*.km", "fleet.*.fuel_l_100km"],
        &[],
    ],
    [&["residential.scattered_coal_base_tce"], &[], &[]],
    [
        &["calibration.other.coal_tce"],
        &["calibration.other.oil_tce"],
        &["calibration.other.gas_tce"],
    ],
];

/// The inputs whose product each pollutant sector's NOx is.
const NOX_INPUTS: [&[&str]; N_POLLUTANT_SECTORS] = [
    &[
        "heating.area_base_m2",
        "heating.heat_demand_base_gj_per_m2",
        "heating.coal_chp_efficiency",
        "heating.nox_kg_per_t_coal.*",
    ],
    &[
        "power.coal_gen_base_kwh",
        "power.coal_rate_gce_per_kwh",
        "heating.nox_kg_per_t_coal.ultra_low",
    ],
    &["industry.energy_2020_tce", "industry.nox_kg_tce.*"],
    &["fleet.*.stock_2020", "fleet.*.km", "fleet.*.ef.*.nox_g_km"],
    &[
        "nonroad.power_2020_kw",
        "nonroad.hours",
        "nonroad.load_factor",
        "nonroad.in_use_factor.nox",
    ],
    &[],
    &[],
    &[],
    &[
        "residential.scattered_coal_base_tce",
        "residential.coal_nox_kg_per_tce",
    ],
    &["calibration.other.nox_t"],
];

/// The inputs whose product each pollutant sector's VOCs are.
const VOCS_INPUTS: [&[&str]; N_POLLUTANT_SECTORS] = [
    &[],
    &[],
    &[],
    &["fleet.*.stock_2020", "fleet.*.km", "fleet.*.ef.*.vocs_g_km"],
    &[
        "nonroad.power_2020_kw",
        "nonroad.hours",
        "nonroad.load_factor",
        "nonroad.in_use_factor.vocs",
    ],
    &["vocs.solvent.total_2020_t"],
    &["vocs.process.*.vocs_2020_t"],
    &["vocs.fuel.gasoline_sold_t", "vocs.fuel.evaporation_kg_t"],
    &[],
    &["calibration.other.vocs_t"],
];

/// Pollutant sector of the NOx from each energy sector's fuel (`Ledger::nox_of_fuel_t`).
const NOX_OF_ENERGY_SECTOR: [PollutantSector; N_ENERGY_SECTORS] = [
    PollutantSector::Heat,
    PollutantSector::Power,
    PollutantSector::Industry,
    PollutantSector::RoadTransport,
    PollutantSector::Residential,
];

/// One reconciled component, as reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Id, e.g. `energy.coal.heat`, `nox.other`.
    pub id: String,
    /// Relative variance v of its bottom-up value (0: it never moves).
    pub variance: f64,
}

/// One draw's reconciliation: the multipliers, the reconciled statistics and whether any
/// balancing held every component at its floor.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reconciliation {
    /// The multipliers the sectors apply from the base year on.
    pub adjust: Adjustment,
    /// Reconciled base-year statistics: coal, oil, gas (tce), NOx, VOCs (t).
    pub statistics: [f64; 5],
    /// Balancings (of 5) in which every movable component was held at its floor.
    pub all_held: u32,
}

impl Reconciliation {
    /// The multiplier of every component, in [`ReconcileInputs::components`] order.
    pub fn factors(&self) -> [f64; N_COMPONENTS] {
        let a = &self.adjust;
        let mut out = [1.0; N_COMPONENTS];
        for k in 0..3 {
            for s in 0..N_ENERGY_SECTORS {
                out[k * (N_ENERGY_SECTORS + 1) + s] = a.fuel[s][k];
            }
            out[k * (N_ENERGY_SECTORS + 1) + N_ENERGY_SECTORS] = a.other_fuel[k];
        }
        let o = 3 * (N_ENERGY_SECTORS + 1);
        out[o..o + N_POLLUTANT_SECTORS].copy_from_slice(&a.nox);
        out[o + N_POLLUTANT_SECTORS..].copy_from_slice(&a.vocs);
        out
    }
}

/// Resolved inputs of the reconciliation: the statistics' draw indices and the relative
/// variances of the statistics and of every component (from the scenario's distributions).
#[derive(Debug, Clone)]
pub struct ReconcileInputs {
    gdp: usize,
    intensity: usize,
    coal_share: usize,
    oil_of_noncoal: usize,
    gas_of_rest: usize,
    nox_base: usize,
    vocs_base: usize,
    /// Relative variances of the statistics: coal, oil, gas, NOx, VOCs.
    v_stat: [f64; 5],
    /// Relative variances of the energy components `[carrier][sector or other]`.
    v_energy: [[f64; N_ENERGY_SECTORS + 1]; 3],
    v_nox: [f64; N_POLLUTANT_SECTORS],
    v_vocs: [f64; N_POLLUTANT_SECTORS],
}

impl ReconcileInputs {
    /// Resolves the statistics and computes the variances from the scenario's distributions.
    pub fn resolve(r: &super::Resolver) -> Result<Self, super::ModelError> {
        let s = r.scenario();
        let cv = |n: &str| input_cv(s, n);
        // 1 − x has sd(x) / (1 − mean x) as its CV.
        let cv_rest = |n: &str| match s.param(n).map(|p| Distribution::from_spec(&p.spec)) {
            Some(Ok(d)) if !p_const(s, n) && d.mean() < 1.0 => d.sd() / (1.0 - d.mean()),
            _ => 0.0,
        };
        let (ci, cg) = (
            cv("calibration.energy_intensity_tce_per_1e4_yuan"),
            cv("economy.gdp_base_yuan_1e8"),
        );
        let v_stat = [
            product_variance([ci, cg, cv("calibration.coal_share")]),
            product_variance([
                ci,
                cg,
                cv_rest("calibration.coal_share"),
                cv("calibration.oil_share_of_noncoal"),
            ]),
            product_variance([
                ci,
                cg,
                cv_rest("calibration.coal_share"),
                cv_rest("calibration.oil_share_of_noncoal"),
                cv("calibration.gas_share_of_rest"),
            ]),
            product_variance([cv("calibration.nox_base_t")]),
            product_variance([cv("calibration.vocs_base_t")]),
        ];
        let mut v_energy = [[0.0; N_ENERGY_SECTORS + 1]; 3];
        for (k, row) in v_energy.iter_mut().enumerate() {
            for (sec, v) in row.iter_mut().enumerate() {
                *v = component_variance(s, ENERGY_INPUTS[sec][k]);
            }
        }
        Ok(ReconcileInputs {
            gdp: r.scalar("economy.gdp_base_yuan_1e8")?,
            intensity: r.scalar("calibration.energy_intensity_tce_per_1e4_yuan")?,
            coal_share: r.scalar("calibration.coal_share")?,
            oil_of_noncoal: r.scalar("calibration.oil_share_of_noncoal")?,
            gas_of_rest: r.scalar("calibration.gas_share_of_rest")?,
            nox_base: r.scalar("calibration.nox_base_t")?,
            vocs_base: r.scalar("calibration.vocs_base_t")?,
            v_stat,
            v_energy,
            v_nox: NOX_INPUTS.map(|p| component_variance(s, p)),
            v_vocs: VOCS_INPUTS.map(|p| component_variance(s, p)),
        })
    }

    /// Every component with its relative variance, in [`Reconciliation::factors`] order.
    pub fn components(&self) -> Vec<Component> {
        let mut out = Vec::with_capacity(N_COMPONENTS);
        for (k, c) in CARRIERS.iter().enumerate() {
            for (sec, id) in ENERGY_SECTOR_IDS.iter().enumerate() {
                out.push(Component {
                    id: format!("energy.{c}.{id}"),
                    variance: self.v_energy[k][sec],
                });
            }
        }
        for (p, v) in [("nox", &self.v_nox), ("vocs", &self.v_vocs)] {
            for (sec, id) in POLLUTANT_SECTOR_IDS.iter().enumerate() {
                out.push(Component {
                    id: format!("{p}.{id}"),
                    variance: v[sec],
                });
            }
        }
        out
    }

    /// The base-year statistics of a draw before reconciliation: coal, oil, gas (tce = share ×
    /// energy intensity × GDP), NOx and VOCs (t). The carrier shares are one composition
    /// (stick-breaking: coal, then oil of the non-coal rest, then gas of what is left), so they
    /// never sum past 1.
    pub fn statistics(&self, draw: &[f64]) -> [f64; 5] {
        let e_t = draw[self.intensity].max(0.0) * draw[self.gdp].max(0.0) * 1e4;
        let coal = draw[self.coal_share].clamp(0.0, 1.0);
        let oil = (1.0 - coal) * draw[self.oil_of_noncoal].clamp(0.0, 1.0);
        let gas = (1.0 - coal - oil) * draw[self.gas_of_rest].clamp(0.0, 1.0);
        [
            coal * e_t,
            oil * e_t,
            gas * e_t,
            draw[self.nox_base].max(0.0),
            draw[self.vocs_base].max(0.0),
        ]
    }

    /// Reconciles one draw's base year (MODEL.md §5): `probe` is the base year simulated without
    /// adjustment, `other` the "other" components' draws.
    pub fn reconcile(
        &self,
        draw: &[f64],
        probe: &super::Ledger,
        other: &super::residential::OtherBase,
    ) -> Reconciliation {
        let stat = self.statistics(draw);
        let mut rec = Reconciliation {
            statistics: stat,
            ..Reconciliation::default()
        };
        let ratio = |new: f64, old: f64| if old > 0.0 { new / old } else { 1.0 };
        // 1. Energy by carrier; "other" is booked in the residential/other sector.
        #[allow(clippy::needless_range_loop)]
        // k indexes the statistic, the fuels and the variances
        for k in 0..3 {
            let mut x = [0.0; N_ENERGY_SECTORS + 1];
            for (s, xs) in x.iter_mut().enumerate().take(N_ENERGY_SECTORS) {
                *xs = probe.fuel_tce[s][k];
            }
            x[EnergySector::Residential as usize] -= other.fuel_tce[k];
            x[N_ENERGY_SECTORS] = other.fuel_tce[k];
            let x0 = x;
            let b = balance(&mut x, &self.v_energy[k], stat[k], self.v_stat[k]);
            rec.statistics[k] = b.total;
            rec.all_held += u32::from(b.all_held);
            for s in 0..N_ENERGY_SECTORS {
                rec.adjust.fuel[s][k] = ratio(x[s], x0[s]);
            }
            rec.adjust.other_fuel[k] = ratio(x[N_ENERGY_SECTORS], x0[N_ENERGY_SECTORS]);
        }
        // 2. CO₂ follows the fuels. 3. NOx on the reconciled fuels, then VOCs.
        let mut nox = probe.nox_t;
        for (s, of_fuel) in probe.nox_of_fuel_t.iter().enumerate() {
            let p = NOX_OF_ENERGY_SECTOR[s] as usize;
            for (k, e) in of_fuel.iter().enumerate() {
                nox[p] += (rec.adjust.fuel[s][k] - 1.0) * e;
            }
        }
        let x0 = nox;
        let b = balance(&mut nox, &self.v_nox, stat[3], self.v_stat[3]);
        rec.statistics[3] = b.total;
        rec.all_held += u32::from(b.all_held);
        for p in 0..N_POLLUTANT_SECTORS {
            rec.adjust.nox[p] = ratio(nox[p], x0[p]);
        }
        let mut vocs = probe.vocs_t;
        let x0 = vocs;
        let b = balance(&mut vocs, &self.v_vocs, stat[4], self.v_stat[4]);
        rec.statistics[4] = b.total;
        rec.all_held += u32::from(b.all_held);
        for p in 0..N_POLLUTANT_SECTORS {
            rec.adjust.vocs[p] = ratio(vocs[p], x0[p]);
        }
        rec
    }
}

fn p_const(s: &Scenario, name: &str) -> bool {
    s.param(name).is_none_or(|p| p.spec.is_constant())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_components_by_hand() {
        // x = 10, 20, 30 (Σ 60), v = 0.01, 0.04, 0 ; T = 70, v_T = 0.0025.
        // σ² = 1, 16, 0 ; σ_T² = 12.25 ; λ = 10 / 29.25.
        let mut x = [10.0, 20.0, 30.0];
        let b = balance(&mut x, &[0.01, 0.04, 0.0], 70.0, 0.0025);
        let lambda = 10.0 / 29.25;
        assert!((x[0] - (10.0 + lambda)).abs() < 1e-12);
        assert!((x[1] - (20.0 + 16.0 * lambda)).abs() < 1e-12);
        assert_eq!(x[2], 30.0, "zero variance never moves");
        assert!((b.total - (70.0 - 12.25 * lambda)).abs() < 1e-12);
        assert!((b.total - x.iter().sum::<f64>()).abs() < 1e-12);
        assert!(!b.all_held);
    }

    #[test]
    fn zero_variance_statistic_is_met_exactly() {
        let mut x = [10.0, 20.0, 30.0];
        let b = balance(&mut x, &[0.01, 0.04, 0.09], 50.0, 0.0);
        assert_eq!(b.total, 50.0);
        assert!((x.iter().sum::<f64>() - 50.0).abs() < 1e-12);
    }

    #[test]
    fn floors_hold_and_the_rest_rebalances() {
        // A large, uncertain component pushed down past 5 % of itself is held there.
        // Unheld, x₀ would be 100 − 40000·102/40001 < 5; held at 5, x₁ = 10 + (8 − 15) = 3.
        let mut x = [100.0, 10.0];
        let b = balance(&mut x, &[4.0, 0.01], 8.0, 0.0);
        assert_eq!(x[0], 5.0);
        assert!((x[1] - 3.0).abs() < 1e-12);
        assert_eq!(b.total, 8.0);
        assert!(!b.all_held);
        // All held: the statistic takes the rest and the draw is flagged.
        let mut x = [100.0, 100.0];
        let b = balance(&mut x, &[4.0, 4.0], 1.0, 0.0);
        assert_eq!(x, [5.0, 5.0]);
        assert_eq!(b.total, 10.0);
        assert!(b.all_held);
    }

    #[test]
    fn variance_of_products_and_globs() {
        assert!((product_variance([0.1, 0.2]) - (1.01 * 1.04 - 1.0)).abs() < 1e-15);
        assert!(glob("fleet.*.km", "fleet.taxi.km"));
        assert!(glob(
            "fleet.*.ef.*.nox_g_km",
            "fleet.bus.ef.china3.nox_g_km"
        ));
        assert!(!glob("fleet.*.km", "fleet.taxi.kmx"));
        assert!(!glob("heating.x", "heating.y"));
    }
}
