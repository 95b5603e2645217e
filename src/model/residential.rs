//! Residential scattered coal and the calibrated residual "other" (MODEL.md §3.7, §5).
//!
//! Rural scattered coal (散煤) = base × (1 − `residential.scattered_coal_reduction`(t)); the coal
//! removed is replaced by biomass briquettes (tce of briquettes per tce of coal removed). This is
//! the clean-heating measure. The briquettes are rural household straw, outside the energy
//! boundary (MODEL.md §1): booked as `Fuel::Biomass`, a memo item, for their NOx only.
//!
//! Calibration (base year, every draw): everything else is a residual "other" in the
//! residential/other sector so that the base-year totals equal the calibration inputs:
//! - energy: `E0 = calibration.energy_intensity × GDP₀`. The residual's total is `E0` minus the
//!   modelled energy (all sectors, electricity balance included); it is split over coal, oil
//!   and gas so that the fossil carriers end up in the proportions of the calibration shares
//!   (`coal_share : oil_share : gas_share`). The non-fossil and imported part is what the
//!   modelled electricity balance gives (DATA.md's wind and solar assumptions alone make about
//!   13 % of `E0`, so the calibration shares are used as proportions of the fossil part);
//!
//! NOx and VOCs have no residual: the "other" component is an input with its own prior
//! (`calibration.other_nox_t`, `calibration.other_vocs_t`, DATA.md §3c), written by
//! [`ResidentialInputs::other`] and reconciled with the sectors (`reconcile`, MODEL.md §5).
//!
//! A carrier whose modelled use already exceeds its proportion gets no residual, and the others
//! share the whole residual in proportion to what they wanted ([`split_residual`]): the energy
//! total is still met exactly and the fossil mix departs from the calibration shares. Only an
//! energy total the modelled sectors already exceed is counted in `Ledger::clamps`. Driver after
//! the base year: residual energy and "other" NOx scale with GDP × (1 −
//! `calibration.residual_intensity_decline`)ᵗ (autonomous intensity decline, no plan measure);
//! "other" VOCs scale with GDP.

use crate::scenario::Options;

use super::accounting::{EnergyMeasure, Flows, Undos, YearFactors, evaluate};
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, PathOr, PollutantSector, Project, Resolver,
    WedgeRegistry, YearCtx,
};

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct ResidentialInputs {
    coal_base: usize,
    coal_reduction: PathOr,
    briquette_per_coal: usize,
    coal_nox_kg_per_tce: usize,
    biomass_nox_kg_per_tce: usize,
    intensity: usize,
    shares: [usize; 3],
    decline: PathOr,
}

/// Per-draw state: the base-year residual and its driver.
#[derive(Debug, Clone, Default)]
pub struct ResidentialState {
    /// Residual coal, oil, gas in the base year (tce).
    residual_tce: [f64; 3],
    /// Energy/NOx driver relative to the base year.
    driver: f64,
}

impl ResidentialInputs {
    /// Resolves this sector's inputs (its wedges are registered by accounting).
    pub fn resolve(r: &Resolver, _w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        Ok(ResidentialInputs {
            coal_base: r.scalar("residential.scattered_coal_base_tce")?,
            coal_reduction: PathOr::resolve(r, "residential.scattered_coal_reduction", 0.0)?,
            briquette_per_coal: r.scalar("residential.briquette_tce_per_coal_tce")?,
            coal_nox_kg_per_tce: r.scalar("residential.coal_nox_kg_per_tce")?,
            biomass_nox_kg_per_tce: r.scalar("residential.biomass_nox_kg_per_tce")?,
            intensity: r.scalar("calibration.energy_intensity_tce_per_1e4_yuan")?,
            shares: [
                r.scalar("calibration.coal_share")?,
                r.scalar("calibration.oil_share")?,
                r.scalar("calibration.gas_share")?,
            ],
            decline: PathOr::resolve(r, "calibration.residual_intensity_decline", 0.0)?,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> ResidentialState {
        ResidentialState::default()
    }

    /// Simulates year `ctx.t`: scattered coal and briquettes, then the residual (calibrated in
    /// the base year from this draw's inputs, carried forward by its driver).
    #[allow(clippy::too_many_arguments)]
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        f: &YearFactors,
        opt: &Options,
        state: &mut ResidentialState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        let t = ctx.t;
        let base = draw[self.coal_base].max(0.0);
        let cut = base * self.coal_reduction.at(t, draw).clamp(0.0, 1.0);
        let briq = cut * draw[self.briquette_per_coal].max(0.0);
        let (fc, fb) = (
            draw[self.coal_nox_kg_per_tce].max(0.0) * 1e-3,
            draw[self.biomass_nox_kg_per_tce].max(0.0) * 1e-3,
        );
        ledger.burn(EnergySector::Residential, Fuel::Coal, base - cut);
        ledger.burn(EnergySector::Residential, Fuel::Biomass, briq);
        ledger.nox_t[PollutantSector::Residential as usize] += (base - cut) * fc + briq * fb;
        let u = &mut undo[EnergyMeasure::CleanHeating as usize];
        u.burn(EnergySector::Residential, Fuel::Coal, cut);
        u.burn(EnergySector::Residential, Fuel::Biomass, -briq);
        u.nox_t += cut * fc - briq * fb;
        // Ledger (MODEL.md §4): coal displaced since the base year at the coal factor is the
        // clean-heating project; the briquettes that replace it are 新增量 (a).
        let cut0 = base * self.coal_reduction.at(0, draw).clamp(0.0, 1.0);
        let briq0 = cut0 * draw[self.briquette_per_coal].max(0.0);
        ledger
            .book
            .cut(Project::CleanHeating, (cut - cut0) * fc, 0.0);
        ledger
            .book
            .add(Cause::ReplacementHeatFuels, (briq - briq0) * fb, 0.0);

        if t == 0 {
            self.calibrate(ctx, draw, f, opt, state, ledger);
        } else {
            let d = self.decline.at(t, draw).min(1.0);
            state.driver *= (1.0 + ctx.gdp_growth) * (1.0 - d);
        }
        let fuels = [Fuel::Coal, Fuel::Oil, Fuel::Gas];
        for (fuel, r) in fuels.iter().zip(state.residual_tce.iter()) {
            ledger.burn(EnergySector::Residential, *fuel, r * state.driver);
        }
    }

    /// Writes the "other" NOx and VOCs of year `ctx.t` from their prior draws `(nox, vocs)` (t),
    /// carried by the residual's driver (NOx) and GDP (VOCs); run after [`Self::step`].
    pub fn other(
        &self,
        ctx: &YearCtx,
        prior: (f64, f64),
        state: &ResidentialState,
        ledger: &mut Ledger,
    ) {
        ledger.nox_t[PollutantSector::Other as usize] += prior.0 * state.driver;
        ledger.vocs_t[PollutantSector::Other as usize] += prior.1 * ctx.gdp_index;
    }

    fn calibrate(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        f: &YearFactors,
        opt: &Options,
        state: &mut ResidentialState,
        ledger: &mut Ledger,
    ) {
        let b = evaluate(&Flows::of(ledger), f, opt, None);
        let e0 = draw[self.intensity].max(0.0) * ctx.gdp_yuan_1e8 * 1e4;
        let residual_sum = e0 - b.total_tce;
        let fossil = b.carriers[0] + b.carriers[1] + b.carriers[2] + residual_sum;
        let s = self.shares.map(|i| draw[i].max(0.0));
        let s_sum: f64 = s.iter().sum();
        // Wanted residual per fossil carrier: the calibration proportion minus what is modelled.
        let wanted: [f64; 3] = std::array::from_fn(|k| {
            let target = if s_sum > 0.0 {
                fossil * s[k] / s_sum
            } else {
                0.0
            };
            target - b.carriers[k]
        });
        state.residual_tce = split_residual(residual_sum, wanted);
        // Counted only when the energy total itself cannot be met (the modelled sectors alone
        // exceed it); a carrier over its proportion only shifts the fossil mix, the total holds.
        if residual_sum < 0.0 {
            ledger.clamps += 1;
        }
        state.driver = 1.0;
    }
}

/// Splits a total residual over carriers that each want `wanted[k]` (which may be negative):
/// negative wants get 0, the others are scaled so the parts sum to `total` exactly (all zero
/// when `total` ≤ 0). Keeps the energy total while staying as close as it can to the shares.
pub fn split_residual(total: f64, wanted: [f64; 3]) -> [f64; 3] {
    if total <= 0.0 {
        return [0.0; 3];
    }
    let pos = wanted.map(|w| w.max(0.0));
    let sum: f64 = pos.iter().sum();
    if sum > 0.0 {
        pos.map(|w| w * total / sum)
    } else {
        [total / 3.0; 3]
    }
}

#[cfg(test)]
mod split_tests {
    use super::split_residual;

    #[test]
    fn residual_split_keeps_the_total_and_is_non_negative() {
        let r = split_residual(100.0, [120.0, 10.0, -30.0]);
        assert!((r.iter().sum::<f64>() - 100.0).abs() < 1e-12);
        assert_eq!(r[2], 0.0);
        assert!((r[0] / r[1] - 12.0).abs() < 1e-12);
        // When every want is met exactly the split is the wants themselves.
        let r = split_residual(60.0, [10.0, 20.0, 30.0]);
        assert_eq!(r, [10.0, 20.0, 30.0]);
        assert_eq!(split_residual(-5.0, [1.0, 1.0, 1.0]), [0.0; 3]);
    }
}
