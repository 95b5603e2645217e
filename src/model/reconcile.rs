//! Base-year reconciliation by generalised least squares (MODEL.md §5): energy by carrier
//! first, then NOx and VOCs on the reconciled fuels.
//!
//! **Energy by carrier.** The statistics are `T_c = s_c · E_T` for coal, oil products and gas
//! (`E_T = calibration.energy_intensity_tce_per_1e4_yuan × GDP₀`, `s_c` the
//! `calibration.*_share` draws); the shares are one composition: loading fails when their
//! upper bounds could sum past 1 ([`ReconcileInputs::resolve`]). Net imported electricity is
//! the balance of demand and local generation, not a share. A statistic's relative variance is
//! `v = Π(1 + CV²) − 1` over share, intensity and GDP₀. The components are each model
//! component's base-year fuel of that carrier (as energy statistics count it: the part of the
//! power plants' coal that a net export carries out is not consumption, `accounting::evaluate`)
//! plus an explicit "other" per carrier with its own prior (`calibration.other_*_tce`, DATA.md
//! §3c), relative variance DATA.md §7's ±5 % (95 %) for fossil-fuel activity data. The factor
//! multiplies the component's **fuel intensity** of that carrier, never its activity, in 2020
//! and every later year. Implementation: the factors are handed to the modules
//! ([`FuelFactors`] in `YearCtx::fuel`) and each module multiplies its fuel per unit of
//! activity by them, so that the fuel it burns, its undos' burns (energy wedges) and the
//! emissions that follow from that fuel (NOx of boilers, CHP, coal power, commercial and
//! residential coal, industrial combustion; VOCs of commercial coal; the gasoline sold that
//! fuel distribution reads) move with it while activity-based emissions (vehicles per km,
//! sinter per t, kilns, coking, solvents, non-road per kWh) do not. The base year is therefore
//! simulated twice per draw: once with every factor 1 to measure the components (marks between
//! them), then with the factors — exact, with no copies; the ledger identity holds because the
//! modules book 削减量 and 新增量 from the same adjusted intensities.
//!
//! **NOx and VOCs.** In every draw the sectors' base-year emissions (on the reconciled fuels)
//! and an explicit "other" component (its own prior, DATA.md §3c) are balanced against the
//! drawn statistic (`calibration.nox_base_t`, `calibration.vocs_base_t`). Each component's
//! adjustment multiplies its emission factors in 2020 and every later year, so that everything
//! the component writes (emissions, 削减量, 新增量, wedges, the undos' NOx) moves with it and the
//! ledger identity holds with the adjusted factors. In 2020 the factors are known only after
//! every component has written: the model marks each component's writes and scales them
//! afterwards ([`ReconcileInputs::apply`]). Later years know them beforehand: they are handed
//! to the modules ([`EmissionFactors`] in `YearCtx::emission`), each of which multiplies what
//! it writes to emissions, wedges and undos by its own, while [`Book::scale`] is set to the
//! writing component's factors so that its 削减量 and 新增量 follow.

use super::accounting::{N_ENERGY_MEASURES, Undos};
use super::{
    Book, EnergySector, Fuel, Ledger, Measure, ModelError, N_POLLUTANT_SECTORS, Pollutant, Resolver,
};
use crate::uncertainty::Distribution;

/// Share of its own draw below which a component is held (MODEL.md §5).
pub const FLOOR_SHARE: f64 = 0.05;

/// Components of the NOx and VOCs balance: the model's sector modules, then "other".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// Industrial combustion and point sources.
    Industry = 0,
    /// Coke ovens.
    Coking,
    /// Road fleet.
    Fleet,
    /// Operating CNG taxis.
    GasTaxis,
    /// Non-road machinery.
    NonRoad,
    /// Solvent use, processes and fuel distribution.
    Vocs,
    /// Biomass CHP plants.
    BiomassChp,
    /// Heat supply (central city and county towns).
    Heating,
    /// Coal power.
    Power,
    /// Urban commercial scattered coal.
    CommercialCoal,
    /// Rural scattered coal and briquettes.
    Residential,
    /// Everything not modelled explicitly, with its own prior.
    Other,
}
/// Number of [`Component`]s.
pub const N_COMPONENTS: usize = 12;

/// Fossil carriers reconciled in the base year, in `Fuel` order (coal, oil products, gas).
pub const N_CARRIERS: usize = 3;
/// Stable ids of the carriers.
pub const CARRIER_IDS: [&str; N_CARRIERS] = ["coal", "oil", "gas"];

/// The balances of the reconciliation, in [`ReconStats`] order: NOx, VOCs, then the carriers.
pub const N_BALANCES: usize = 2 + N_CARRIERS;
/// Stable ids of the balances (`summary.json`, `validate`).
pub const BALANCE_IDS: [&str; N_BALANCES] = ["nox", "vocs", "coal", "oil", "gas"];

/// Relative variance of a component's base-year fuel: DATA.md §7, fossil-fuel activity data
/// ±5 % (95 %), read as a normal 95 % interval.
pub const FUEL_V: f64 = (0.05 / 1.959_964) * (0.05 / 1.959_964);

/// Fuel-intensity factors per component and carrier (coal, oil, gas) of one draw: what each
/// module multiplies its fuel per unit of activity by (1 when not reconciled).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuelFactors(pub [[f64; N_CARRIERS]; N_COMPONENTS]);

impl Default for FuelFactors {
    fn default() -> Self {
        FuelFactors([[1.0; N_CARRIERS]; N_COMPONENTS])
    }
}

impl FuelFactors {
    /// The factors `[coal, oil, gas]` of one component.
    #[inline]
    pub fn of(&self, k: Component) -> [f64; N_CARRIERS] {
        self.0[k as usize]
    }
}

/// NOx and VOCs reconciliation factors per component of one draw: what each module multiplies
/// its emissions, NOx/VOCs wedges and undos' NOx by after the base year (1 when not reconciled:
/// in the base year itself, whose writes are scaled once balanced, and in tests that build a
/// context by hand).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmissionFactors {
    /// NOx factor per component.
    pub nox: [f64; N_COMPONENTS],
    /// VOCs factor per component.
    pub vocs: [f64; N_COMPONENTS],
}

impl Default for EmissionFactors {
    fn default() -> Self {
        EmissionFactors {
            nox: [1.0; N_COMPONENTS],
            vocs: [1.0; N_COMPONENTS],
        }
    }
}

impl EmissionFactors {
    /// The factors `[NOx, VOCs]` of one component.
    #[inline]
    pub fn of(&self, k: Component) -> [f64; 2] {
        [self.nox[k as usize], self.vocs[k as usize]]
    }
}

/// Stable ids of the components, in [`Component`] order (output files, `validate`).
pub const COMPONENT_IDS: [&str; N_COMPONENTS] = [
    "industry",
    "coking",
    "fleet",
    "gas_taxis",
    "nonroad",
    "vocs_sources",
    "biomass_chp",
    "heating",
    "power",
    "commercial_coal",
    "residential",
    "other",
];

/// Relative variance `v = exp(s²) − 1` of a lognormal whose 95 % interval spans `lo`…`hi` times
/// its median.
fn lognormal_v(lo: f64, hi: f64) -> f64 {
    let s = (hi / lo).ln() / (2.0 * 1.959_964);
    (s * s).exp_m1()
}

/// Result of one balance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balanced {
    /// The reconciled statistic (= Σ adjusted components).
    pub statistic: f64,
    /// Every component that could move was held at its floor; the statistic took the rest.
    pub all_held: bool,
}

/// GLS balance (MODEL.md §5): σ_i² = v_i·x_i², σ_T² = v_T·T², λ = (T − Σx_i)/(Σσ_i² + σ_T²),
/// x_i ← x_i + σ_i²λ, T ← T − σ_T²λ. A component that would fall below [`FLOOR_SHARE`] of its
/// value is held there and the rest rebalanced; `out` receives the adjusted components.
#[allow(clippy::needless_range_loop)] // `held` is a bit mask over the same indices
pub fn gls_balance(x: &[f64], v: &[f64], t: f64, v_t: f64, out: &mut [f64]) -> Balanced {
    let n = x.len();
    debug_assert!(v.len() == n && out.len() == n && n <= 64);
    let mut held: u64 = 0;
    let var = |i: usize| v[i].max(0.0) * x[i] * x[i];
    let s2_t = v_t.max(0.0) * t * t;
    loop {
        let (mut fixed, mut free, mut s2) = (0.0, 0.0, 0.0);
        for i in 0..n {
            if held & (1u64 << i) != 0 {
                fixed += FLOOR_SHARE * x[i];
            } else {
                free += x[i];
                s2 += var(i);
            }
        }
        let denom = s2 + s2_t;
        let lambda = if denom > 0.0 {
            (t - fixed - free) / denom
        } else {
            0.0
        };
        let mut changed = false;
        for i in 0..n {
            if held & (1u64 << i) != 0 {
                out[i] = FLOOR_SHARE * x[i];
                continue;
            }
            out[i] = x[i] + var(i) * lambda;
            if x[i] > 0.0 && out[i] < FLOOR_SHARE * x[i] {
                held |= 1u64 << i;
                out[i] = FLOOR_SHARE * x[i];
                changed = true;
            }
        }
        if changed {
            continue;
        }
        let all_held = held != 0 && s2 == 0.0;
        let statistic = if denom > 0.0 && !all_held {
            t - s2_t * lambda
        } else {
            out.iter().sum()
        };
        return Balanced {
            statistic,
            all_held,
        };
    }
}

/// One draw's reconciliation: each component's adjustment factor and whether all were held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reconciled {
    /// NOx factor per component (1 for a component with nothing in the base year).
    pub nox_factor: [f64; N_COMPONENTS],
    /// VOCs factor per component.
    pub vocs_factor: [f64; N_COMPONENTS],
    /// Base-year components before reconciliation (t): NOx, VOCs.
    pub nox_before_t: [f64; N_COMPONENTS],
    /// VOCs components before reconciliation (t).
    pub vocs_before_t: [f64; N_COMPONENTS],
    /// Reconciled statistics (t): NOx, VOCs.
    pub statistic_t: [f64; 2],
    /// Whether every movable component was held at its floor, in [`BALANCE_IDS`] order (NOx,
    /// VOCs, coal, oil, gas).
    pub all_held: [bool; N_BALANCES],
    /// Fuel-intensity factor per component and carrier.
    pub fuel_factor: FuelFactors,
    /// Base-year fuel per carrier and component before reconciliation (tce, as counted in
    /// energy consumption): `fuel_before_tce[c][k]`.
    pub fuel_before_tce: [[f64; N_COMPONENTS]; N_CARRIERS],
    /// The carrier statistics drawn, `s_c · E_T` (tce).
    pub fuel_drawn_tce: [f64; N_CARRIERS],
    /// The reconciled carrier statistics (tce) = Σ adjusted components.
    pub fuel_statistic_tce: [f64; N_CARRIERS],
}

impl Reconciled {
    /// The NOx and VOCs factors per component, as the modules take them after the base year.
    pub fn emission_factors(&self) -> EmissionFactors {
        EmissionFactors {
            nox: self.nox_factor,
            vocs: self.vocs_factor,
        }
    }
}

impl Default for Reconciled {
    fn default() -> Self {
        Reconciled {
            nox_factor: [1.0; N_COMPONENTS],
            vocs_factor: [1.0; N_COMPONENTS],
            nox_before_t: [0.0; N_COMPONENTS],
            vocs_before_t: [0.0; N_COMPONENTS],
            statistic_t: [0.0; 2],
            all_held: [false; N_BALANCES],
            fuel_factor: FuelFactors::default(),
            fuel_before_tce: [[0.0; N_COMPONENTS]; N_CARRIERS],
            fuel_drawn_tce: [0.0; N_CARRIERS],
            fuel_statistic_tce: [0.0; N_CARRIERS],
        }
    }
}

/// What a component had written when a mark was taken (the NOx and VOCs parts of the ledger).
#[derive(Debug, Clone, Copy, Default)]
pub struct Mark {
    nox: [f64; N_POLLUTANT_SECTORS],
    vocs: [f64; N_POLLUTANT_SECTORS],
    book: Book,
    undo_nox: [f64; N_ENERGY_MEASURES],
    /// Coal, oil and gas over all sectors, then the power plants' coal (tce).
    fuel: [f64; N_CARRIERS + 1],
}

impl Mark {
    /// The NOx/VOCs state of a ledger and the undos (the base year's final pass; its fuel was
    /// measured by the first pass, [`Mark::fuel_only`]).
    #[inline]
    pub fn take(l: &Ledger, undo: &Undos) -> Mark {
        Mark {
            nox: l.nox_t,
            vocs: l.vocs_t,
            book: l.book,
            undo_nox: std::array::from_fn(|m| undo[m].nox_t),
            fuel: [0.0; N_CARRIERS + 1],
        }
    }
    /// Coal, oil and gas over all sectors, then the power plants' coal (tce).
    #[inline]
    fn fuel_of(l: &Ledger) -> [f64; N_CARRIERS + 1] {
        let mut f = [0.0; N_CARRIERS + 1];
        for sec in &l.fuel_tce {
            for c in 0..N_CARRIERS {
                f[c] += sec[c];
            }
        }
        f[N_CARRIERS] = l.fuel_tce[EnergySector::Power as usize][Fuel::Coal as usize];
        f
    }
    /// A mark of the fuel only (the energy pass of the base year).
    #[inline]
    pub fn fuel_only(l: &Ledger) -> Mark {
        Mark {
            fuel: Self::fuel_of(l),
            ..Mark::default()
        }
    }
    fn nox_total(&self) -> f64 {
        self.nox.iter().sum()
    }
    fn vocs_total(&self) -> f64 {
        self.vocs.iter().sum()
    }
}

/// One draw of the "other" component's priors.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OtherPrior {
    /// NOx (t).
    pub nox_t: f64,
    /// VOCs (t).
    pub vocs_t: f64,
    /// Coal, oil, gas (tce).
    pub fuel_tce: [f64; N_CARRIERS],
}

/// Resolved inputs of the reconciliation.
#[derive(Debug, Clone)]
pub struct ReconcileInputs {
    nox_base: usize,
    vocs_base: usize,
    other_nox: usize,
    other_vocs: usize,
    /// `calibration.energy_intensity_tce_per_1e4_yuan`.
    intensity: usize,
    /// `calibration.coal_share`, `oil_share`, `gas_share`.
    shares: [usize; N_CARRIERS],
    /// `calibration.other_coal_tce`, `other_oil_tce`, `other_gas_tce`.
    other_fuel: [usize; N_CARRIERS],
    /// Relative variances of the fuel components per carrier.
    v_fuel: [[f64; N_COMPONENTS]; N_CARRIERS],
    /// Relative variances of the carrier statistics.
    v_t_fuel: [f64; N_CARRIERS],
    /// Relative variances of the components, NOx then VOCs.
    v: [[f64; N_COMPONENTS]; 2],
    /// Relative variances of the statistics, NOx then VOCs.
    v_t: [f64; 2],
    /// Wedge slots of NOx measures.
    nox_slots: Vec<usize>,
    /// Wedge slots of VOCs measures.
    vocs_slots: Vec<usize>,
}

/// Relative variance CV² of an input's distribution (0 for a constant).
fn input_v(r: &Resolver, i: usize) -> Result<f64, ModelError> {
    let p = &r.scenario().params[i];
    let d = Distribution::from_spec(&p.spec).map_err(|e| ModelError::BadInput {
        name: p.name.clone(),
        reason: e.to_string(),
    })?;
    let (m, sd) = (d.mean(), d.sd());
    Ok(if m != 0.0 && sd.is_finite() {
        (sd / m).powi(2)
    } else {
        0.0
    })
}

impl ReconcileInputs {
    /// Resolves the statistics and the "other" priors; the sector components' relative
    /// variances are DATA.md §7's inventory uncertainties (NOx −13 %/+37 %, VOCs −51 %/+133 %,
    /// read as lognormal 95 % intervals).
    pub fn resolve(r: &Resolver, measures: &[Measure]) -> Result<Self, ModelError> {
        let nox_base = r.scalar("calibration.nox_base_t")?;
        let vocs_base = r.scalar("calibration.vocs_base_t")?;
        let other_nox = r.scalar("calibration.other_nox_t")?;
        let other_vocs = r.scalar("calibration.other_vocs_t")?;
        let intensity = r.scalar("calibration.energy_intensity_tce_per_1e4_yuan")?;
        let share_names = [
            "calibration.coal_share",
            "calibration.oil_share",
            "calibration.gas_share",
        ];
        let shares = [
            r.scalar(share_names[0])?,
            r.scalar(share_names[1])?,
            r.scalar(share_names[2])?,
        ];
        // One composition (MODEL.md §5): the fossil shares must not be able to sum past 1.
        let mut upper = 0.0;
        for &i in &shares {
            let p = &r.scenario().params[i];
            let d = Distribution::from_spec(&p.spec).map_err(|e| ModelError::BadInput {
                name: p.name.clone(),
                reason: e.to_string(),
            })?;
            let (lo, hi) = d.support();
            if lo < 0.0 {
                return Err(ModelError::BadInput {
                    name: p.name.clone(),
                    reason: format!("a carrier share can be negative (lowest value {lo})"),
                });
            }
            upper += hi;
        }
        if upper > 1.0 || upper.is_nan() {
            return Err(ModelError::BadInput {
                name: share_names.join(" + "),
                reason: format!(
                    "the fossil carrier shares are one composition and must not be able to sum past 1; their upper bounds sum to {upper}"
                ),
            });
        }
        let other_fuel = [
            r.scalar("calibration.other_coal_tce")?,
            r.scalar("calibration.other_oil_tce")?,
            r.scalar("calibration.other_gas_tce")?,
        ];
        let gdp = r.scalar("economy.gdp_base_yuan_1e8")?;
        let v_e = (1.0 + input_v(r, intensity)?) * (1.0 + input_v(r, gdp)?);
        let mut v_fuel = [[FUEL_V; N_COMPONENTS]; N_CARRIERS];
        let mut v_t_fuel = [0.0; N_CARRIERS];
        for c in 0..N_CARRIERS {
            v_fuel[c][Component::Other as usize] = input_v(r, other_fuel[c])?;
            v_t_fuel[c] = v_e * (1.0 + input_v(r, shares[c])?) - 1.0;
        }
        let mut v = [
            [lognormal_v(0.87, 1.37); N_COMPONENTS],
            [lognormal_v(0.49, 2.33); N_COMPONENTS],
        ];
        v[0][Component::Other as usize] = input_v(r, other_nox)?;
        v[1][Component::Other as usize] = input_v(r, other_vocs)?;
        let v_t = [input_v(r, nox_base)?, input_v(r, vocs_base)?];
        let slot_kind: Vec<u8> = measures
            .iter()
            .map(|m| match m.pollutant {
                Pollutant::Nox => 1,
                Pollutant::Vocs => 2,
                Pollutant::Co2 => 0,
            })
            .collect();
        let slots =
            |k: u8| -> Vec<usize> { (0..measures.len()).filter(|&j| slot_kind[j] == k).collect() };
        let (nox_slots, vocs_slots) = (slots(1), slots(2));
        Ok(ReconcileInputs {
            nox_slots,
            vocs_slots,
            nox_base,
            vocs_base,
            other_nox,
            other_vocs,
            intensity,
            shares,
            other_fuel,
            v_fuel,
            v_t_fuel,
            v,
            v_t,
        })
    }

    /// The "other" component's prior draws: NOx, VOCs (t), then coal, oil, gas (tce).
    pub fn other_prior(&self, draw: &[f64]) -> OtherPrior {
        OtherPrior {
            nox_t: draw[self.other_nox].max(0.0),
            vocs_t: draw[self.other_vocs].max(0.0),
            fuel_tce: self.other_fuel.map(|i| draw[i].max(0.0)),
        }
    }

    /// Balances the base year's energy by carrier (MODEL.md §5 step 1) from the fuel marks of
    /// the energy pass (`marks[k]` before component k, `marks[N_COMPONENTS]` after the last),
    /// into `r`'s fuel fields. `gdp0` is the base year's GDP (亿元); `export_share` the share
    /// of the power plants' coal that a net export carries out of energy consumption
    /// ([`super::accounting::coal_export_share`]), the same in both passes because the
    /// factors never change electricity.
    pub fn reconcile_energy(
        &self,
        draw: &[f64],
        gdp0: f64,
        export_share: f64,
        marks: &[Mark],
        r: &mut Reconciled,
    ) {
        let e_t = draw[self.intensity].max(0.0) * gdp0 * 1e4;
        let mut out = [0.0; N_COMPONENTS];
        for c in 0..N_CARRIERS {
            let x = &mut r.fuel_before_tce[c];
            for k in 0..N_COMPONENTS {
                let (a, b) = (&marks[k].fuel, &marks[k + 1].fuel);
                x[k] = b[c] - a[c];
                if c == Fuel::Coal as usize {
                    x[k] -= export_share * (b[N_CARRIERS] - a[N_CARRIERS]);
                }
            }
            let t = draw[self.shares[c]].max(0.0) * e_t;
            r.fuel_drawn_tce[c] = t;
            let bal = gls_balance(x, &self.v_fuel[c], t, self.v_t_fuel[c], &mut out);
            for k in 0..N_COMPONENTS {
                r.fuel_factor.0[k][c] = if x[k] != 0.0 { out[k] / x[k] } else { 1.0 };
            }
            r.fuel_statistic_tce[c] = bal.statistic;
            r.all_held[2 + c] = bal.all_held;
        }
    }

    /// Balances the base year's NOx and VOCs (MODEL.md §5 step 3) from the marks taken between
    /// components (`marks[k]` before component k, `marks[N_COMPONENTS]` after the last) into
    /// `r`'s NOx and VOCs fields.
    pub fn reconcile(&self, draw: &[f64], marks: &[Mark], r: &mut Reconciled) {
        for k in 0..N_COMPONENTS {
            r.nox_before_t[k] = marks[k + 1].nox_total() - marks[k].nox_total();
            r.vocs_before_t[k] = marks[k + 1].vocs_total() - marks[k].vocs_total();
        }
        let mut out = [0.0; N_COMPONENTS];
        for (p, stat) in [(0, self.nox_base), (1, self.vocs_base)] {
            let x = if p == 0 {
                &r.nox_before_t
            } else {
                &r.vocs_before_t
            };
            let b = gls_balance(x, &self.v[p], draw[stat], self.v_t[p], &mut out);
            let f: [f64; N_COMPONENTS] =
                std::array::from_fn(|k| if x[k] != 0.0 { out[k] / x[k] } else { 1.0 });
            if p == 0 {
                r.nox_factor = f;
            } else {
                r.vocs_factor = f;
            }
            r.statistic_t[p] = b.statistic;
            r.all_held[p] = b.all_held;
        }
    }

    /// Multiplies what each component wrote this year (between its marks) by its factors:
    /// emissions, 削减量, 新增量, NOx/VOCs wedges and the undos' NOx.
    pub fn apply(
        &self,
        rec: &Reconciled,
        marks: &[Mark],
        wedge_marks: &[f64],
        l: &mut Ledger,
        wedge: &mut [f64],
        undo: &mut Undos,
    ) {
        let n_m = wedge.len();
        for k in 0..N_COMPONENTS {
            let (dn, dv) = (rec.nox_factor[k] - 1.0, rec.vocs_factor[k] - 1.0);
            if dn == 0.0 && dv == 0.0 {
                continue;
            }
            let (a, b) = (&marks[k], &marks[k + 1]);
            for s in 0..N_POLLUTANT_SECTORS {
                l.nox_t[s] += dn * (b.nox[s] - a.nox[s]);
                l.vocs_t[s] += dv * (b.vocs[s] - a.vocs[s]);
            }
            let d = [dn, dv];
            for (c, (x, y)) in l
                .book
                .cut_t
                .iter_mut()
                .zip(b.book.cut_t.iter().zip(a.book.cut_t.iter()))
            {
                for j in 0..2 {
                    c[j] += d[j] * (x[j] - y[j]);
                }
            }
            for (c, (x, y)) in l
                .book
                .add_t
                .iter_mut()
                .zip(b.book.add_t.iter().zip(a.book.add_t.iter()))
            {
                for j in 0..2 {
                    c[j] += d[j] * (x[j] - y[j]);
                }
            }
            for (m, u) in undo.iter_mut().enumerate() {
                u.nox_t += dn * (b.undo_nox[m] - a.undo_nox[m]);
            }
            let (wa, wb) = (
                &wedge_marks[k * n_m..(k + 1) * n_m],
                &wedge_marks[(k + 1) * n_m..(k + 2) * n_m],
            );
            for &j in &self.nox_slots {
                wedge[j] += dn * (wb[j] - wa[j]);
            }
            for &j in &self.vocs_slots {
                wedge[j] += dv * (wb[j] - wa[j]);
            }
        }
    }
}

/// Bins of the factor histogram over ln(factor) ∈ \[−[`LN_RANGE`], [`LN_RANGE`]\] (1 % wide).
pub const BINS: usize = 200;
/// Half-width of the histogram in ln(factor); factors beyond ×/÷ e count in the end bins.
pub const LN_RANGE: f64 = 1.0;
/// A factor outside ×/÷ this in more than [`WARN_SHARE`] of draws is a warning (MODEL.md §5).
pub const WARN_FACTOR: f64 = 1.5;
/// Share of draws beyond which [`WARN_FACTOR`] warns.
pub const WARN_SHARE: f64 = 0.05;

/// Reconciliation factors over the draws of a run: a histogram of ln(factor) per balance
/// ([`BALANCE_IDS`]: NOx, VOCs, coal, oil, gas) and component, the draws outside ×/÷
/// [`WARN_FACTOR`] and the draws where every component was held at its floor. Merges by
/// addition (threads, shards).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReconStats {
    /// Draws counted.
    pub draws: u64,
    /// Draws where every movable component was held, per balance.
    pub all_held: [u64; N_BALANCES],
    /// Draws with the factor outside ×/÷ 1.5: `outside[p * N_COMPONENTS + k]`.
    pub outside: Vec<u64>,
    /// `hist[(p * N_COMPONENTS + k) * BINS + bin]`.
    pub hist: Vec<u64>,
}

impl Default for ReconStats {
    fn default() -> Self {
        ReconStats {
            draws: 0,
            all_held: [0; N_BALANCES],
            outside: vec![0; N_BALANCES * N_COMPONENTS],
            hist: vec![0; N_BALANCES * N_COMPONENTS * BINS],
        }
    }
}

impl ReconStats {
    /// Counts one draw.
    pub fn add(&mut self, r: &Reconciled) {
        self.draws += 1;
        let lim = WARN_FACTOR.ln();
        for p in 0..N_BALANCES {
            self.all_held[p] += u64::from(r.all_held[p]);
            for k in 0..N_COMPONENTS {
                let x = match p {
                    0 => r.nox_factor[k],
                    1 => r.vocs_factor[k],
                    _ => r.fuel_factor.0[k][p - 2],
                };
                let l = if x == 1.0 { 0.0 } else { x.ln() };
                let c = p * N_COMPONENTS + k;
                self.outside[c] += u64::from(l.is_nan() || l.abs() > lim);
                let b = ((l + LN_RANGE) / (2.0 * LN_RANGE) * BINS as f64).floor();
                let b = if b.is_nan() {
                    0.0
                } else {
                    b.clamp(0.0, (BINS - 1) as f64)
                };
                self.hist[c * BINS + b as usize] += 1;
            }
        }
    }
    /// Adds another run's counts.
    pub fn merge(&mut self, o: &ReconStats) {
        self.draws += o.draws;
        for p in 0..N_BALANCES {
            self.all_held[p] += o.all_held[p];
        }
        self.outside
            .iter_mut()
            .zip(&o.outside)
            .for_each(|(a, b)| *a += b);
        self.hist.iter_mut().zip(&o.hist).for_each(|(a, b)| *a += b);
    }
    /// Quantile `q` of the factor of component `k` for balance `p` ([`BALANCE_IDS`]), to the
    /// histogram's 1 % resolution (bin centre).
    pub fn quantile(&self, p: usize, k: usize, q: f64) -> f64 {
        let h = &self.hist[(p * N_COMPONENTS + k) * BINS..(p * N_COMPONENTS + k + 1) * BINS];
        let n: u64 = h.iter().sum();
        if n == 0 {
            return f64::NAN;
        }
        let want = (q * n as f64).ceil().max(1.0) as u64;
        let mut acc = 0;
        for (b, c) in h.iter().enumerate() {
            acc += c;
            if acc >= want {
                let l = (b as f64 + 0.5) / BINS as f64 * 2.0 * LN_RANGE - LN_RANGE;
                return l.exp();
            }
        }
        f64::NAN
    }
    /// Share of draws with component `k`'s factor outside ×/÷ [`WARN_FACTOR`].
    pub fn outside_share(&self, p: usize, k: usize) -> f64 {
        self.outside[p * N_COMPONENTS + k] as f64 / self.draws.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gls_matches_a_three_component_case_by_hand() {
        // x = 100, 50, 20 (Σ 170), T = 200; v = 0.04, 0.01, 0.25, v_T = 0.01.
        // σ² = 400, 25, 100; σ_T² = 400; λ = 30 / 925.
        let (x, v) = ([100.0, 50.0, 20.0], [0.04, 0.01, 0.25]);
        let mut out = [0.0; 3];
        let b = gls_balance(&x, &v, 200.0, 0.01, &mut out);
        let l = 30.0 / 925.0;
        let want = [100.0 + 400.0 * l, 50.0 + 25.0 * l, 20.0 + 100.0 * l];
        for (o, w) in out.iter().zip(want) {
            assert!((o - w).abs() < 1e-12, "{o} vs {w}");
        }
        assert!((b.statistic - (200.0 - 400.0 * l)).abs() < 1e-12);
        assert!((out.iter().sum::<f64>() - b.statistic).abs() < 1e-9);
        assert!(!b.all_held);
    }

    #[test]
    fn zero_variance_component_never_moves_and_zero_variance_statistic_is_met() {
        let mut out = [0.0; 3];
        let b = gls_balance(
            &[100.0, 50.0, 20.0],
            &[0.0, 0.01, 0.25],
            140.0,
            0.0,
            &mut out,
        );
        assert_eq!(out[0], 100.0);
        assert_eq!(b.statistic, 140.0);
        assert!((out.iter().sum::<f64>() - 140.0).abs() < 1e-9);
    }

    #[test]
    fn floor_holds_and_rebalances_and_all_held_is_flagged() {
        // T far below the components: the high-variance one hits its floor, the rest balance.
        let mut out = [0.0; 2];
        let b = gls_balance(&[100.0, 10.0], &[0.01, 4.0], 95.0, 0.0, &mut out);
        assert_eq!(out[1], FLOOR_SHARE * 10.0);
        assert!((out[0] + out[1] - 95.0).abs() < 1e-9);
        assert!(!b.all_held);
        // Nothing can absorb T = 1: every component held, the statistic takes the rest.
        let b = gls_balance(&[100.0, 10.0], &[0.04, 4.0], 1.0, 0.0, &mut out);
        assert!(b.all_held);
        assert_eq!(out, [5.0, 0.5]);
        assert!((b.statistic - 5.5).abs() < 1e-12);
    }
}
