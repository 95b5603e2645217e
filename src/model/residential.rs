//! Residential scattered coal and the "other" component (MODEL.md §3.7, §5).
//!
//! Rural scattered coal (散煤) = base × (1 − `residential.scattered_coal_reduction`(t)); the coal
//! removed is replaced by biomass briquettes (tce of briquettes per tce of coal removed). This is
//! the clean-heating measure. The briquettes are rural household straw, outside the energy
//! boundary (MODEL.md §1): booked as `Fuel::Biomass`, a memo item, for their NOx only. The
//! coal's fuel-intensity factor (`YearCtx::fuel`, MODEL.md §5) multiplies the coal burnt and
//! removed and the coal's NOx, never the briquettes (their amount follows the households
//! switched, not the coal's intensity).
//!
//! "Other" has no residual: everything not modelled bottom-up is an explicit component with its
//! own prior per carrier and pollutant (`calibration.other_coal_tce`, `other_oil_tce`,
//! `other_gas_tce`, `other_nox_t`, `other_vocs_t`, DATA.md §3c), written by
//! [`ResidentialInputs::other`] and reconciled with the sectors (`reconcile`, MODEL.md §5).
//! Driver after the base year: "other" fuel and NOx scale with GDP × (1 −
//! `calibration.residual_intensity_decline`)ᵗ (autonomous intensity decline, no plan measure);
//! "other" VOCs scale with GDP.

use super::accounting::{EnergyMeasure, Undos};
use super::reconcile::{Component, OtherPrior};
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
    decline: PathOr,
}

/// Per-draw state: the "other" component's driver.
#[derive(Debug, Clone, Default)]
pub struct ResidentialState {
    /// "Other" energy/NOx driver relative to the base year.
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
            decline: PathOr::resolve(r, "calibration.residual_intensity_decline", 0.0)?,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> ResidentialState {
        ResidentialState::default()
    }

    /// Simulates year `ctx.t`: scattered coal and briquettes; advances the "other" driver.
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut ResidentialState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        let t = ctx.t;
        let k = ctx.fuel.of(Component::Residential)[Fuel::Coal as usize];
        let base = draw[self.coal_base].max(0.0);
        let share = self.coal_reduction.at(t, draw).clamp(0.0, 1.0);
        let cut = base * share;
        let briq = cut * draw[self.briquette_per_coal].max(0.0);
        let (fc, fb) = (
            draw[self.coal_nox_kg_per_tce].max(0.0) * 1e-3,
            draw[self.biomass_nox_kg_per_tce].max(0.0) * 1e-3,
        );
        // Coal at this draw's reconciled intensity: tce burnt and NOx per tce of nominal coal.
        let (coal, coal_cut, fc) = ((base - cut) * k, cut * k, fc * k);
        ledger.burn(EnergySector::Residential, Fuel::Coal, coal);
        ledger.burn(EnergySector::Residential, Fuel::Biomass, briq);
        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::Residential)[0];
        ledger.nox_t[PollutantSector::Residential as usize] += ((base - cut) * fc + briq * fb) * kn;
        let u = &mut undo[EnergyMeasure::CleanHeating as usize];
        u.burn(EnergySector::Residential, Fuel::Coal, coal_cut);
        u.burn(EnergySector::Residential, Fuel::Biomass, -briq);
        u.nox_t += (cut * fc - briq * fb) * kn;
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
            state.driver = 1.0;
        } else {
            let d = self.decline.at(t, draw).min(1.0);
            state.driver *= (1.0 + ctx.gdp_growth) * (1.0 - d);
        }
    }

    /// Writes the "other" component of year `ctx.t` from its prior draws: fuel by carrier (at
    /// its fuel-intensity factors) and NOx carried by the driver, VOCs by GDP; run after
    /// [`Self::step`].
    pub fn other(
        &self,
        ctx: &YearCtx,
        prior: &OtherPrior,
        state: &ResidentialState,
        ledger: &mut Ledger,
    ) {
        let k = ctx.fuel.of(Component::Other);
        for (c, fuel) in [Fuel::Coal, Fuel::Oil, Fuel::Gas].into_iter().enumerate() {
            ledger.burn(
                EnergySector::Residential,
                fuel,
                prior.fuel_tce[c] * k[c] * state.driver,
            );
        }
        // After the base year at its NOx and VOCs reconciliation factors (MODEL.md §5).
        let [kn, kv] = ctx.emission.of(Component::Other);
        ledger.nox_t[PollutantSector::Other as usize] += prior.nox_t * state.driver * kn;
        ledger.vocs_t[PollutantSector::Other as usize] += prior.vocs_t * ctx.gdp_index * kv;
    }
}
