//! Residential scattered coal and the explicit "other" component (MODEL.md §3.7, §5).
//!
//! Rural scattered coal (散煤) = base × (1 − `residential.scattered_coal_reduction`(t)); the coal
//! removed is replaced by biomass briquettes (tce of briquettes per tce of coal removed). This is
//! the clean-heating measure.
//!
//! "Other" is everything not modelled bottom-up, one component per fossil carrier
//! (`calibration.other.{coal,oil,gas}_tce`, booked in the residential/other energy sector) and
//! per pollutant (`calibration.other.{nox,vocs}_t`, in [`PollutantSector::Other`]), each with its
//! own prior (DATA.md §3c). It is never a plug: the base-year reconciliation (`reconcile`)
//! balances it with the sectors against the statistics and scales it like any component.
//! Driver after the base year: other energy and NOx scale with GDP ×
//! (1 − `calibration.residual_intensity_decline`)ᵗ (autonomous intensity decline, no plan
//! measure); other VOCs scale with GDP.

use super::accounting::{EnergyMeasure, Undos};
use super::{
    EnergySector, Fuel, Ledger, ModelError, PathOr, PollutantSector, Resolver, WedgeRegistry,
    YearCtx,
};

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct ResidentialInputs {
    coal_base: usize,
    coal_reduction: PathOr,
    briquette_per_coal: usize,
    coal_nox_kg_per_tce: usize,
    biomass_nox_kg_per_tce: usize,
    other_tce: [usize; 3],
    other_nox: usize,
    other_vocs: usize,
    decline: PathOr,
}

/// Per-draw state: the driver of the "other" component.
#[derive(Debug, Clone, Default)]
pub struct ResidentialState {
    /// Energy/NOx driver relative to the base year.
    driver: f64,
}

/// The "other" components' base-year draws before reconciliation: coal, oil, gas (tce), NOx and
/// VOCs (t).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OtherBase {
    /// Coal, oil, gas (tce).
    pub fuel_tce: [f64; 3],
    /// NOx (t).
    pub nox_t: f64,
    /// VOCs (t).
    pub vocs_t: f64,
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
            other_tce: [
                r.scalar("calibration.other.coal_tce")?,
                r.scalar("calibration.other.oil_tce")?,
                r.scalar("calibration.other.gas_tce")?,
            ],
            other_nox: r.scalar("calibration.other.nox_t")?,
            other_vocs: r.scalar("calibration.other.vocs_t")?,
            decline: PathOr::resolve(r, "calibration.residual_intensity_decline", 0.0)?,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> ResidentialState {
        ResidentialState::default()
    }

    /// The "other" components' base-year draws (before reconciliation).
    pub fn other_base(&self, draw: &[f64]) -> OtherBase {
        OtherBase {
            fuel_tce: self.other_tce.map(|i| draw[i].max(0.0)),
            nox_t: draw[self.other_nox].max(0.0),
            vocs_t: draw[self.other_vocs].max(0.0),
        }
    }

    /// Simulates year `ctx.t`: scattered coal and briquettes, then "other" (its base-year draw
    /// times the reconciliation's multiplier, carried forward by its driver).
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut ResidentialState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        let t = ctx.t;
        let adj = &ctx.adjust;
        // The coal multiplier is on the scattered coal burnt per unit of heat (fuel intensity).
        let base = draw[self.coal_base].max(0.0) * adj.fuel(EnergySector::Residential, 0);
        let cut = base * self.coal_reduction.at(t, draw).clamp(0.0, 1.0);
        let briq = cut * draw[self.briquette_per_coal].max(0.0);
        let k_nox = adj.nox(PollutantSector::Residential);
        let (fc, fb) = (
            draw[self.coal_nox_kg_per_tce].max(0.0) * 1e-3 * k_nox,
            draw[self.biomass_nox_kg_per_tce].max(0.0) * 1e-3 * k_nox,
        );
        ledger.burn(EnergySector::Residential, Fuel::Coal, base - cut);
        ledger.burn(EnergySector::Residential, Fuel::Biomass, briq);
        ledger.nox_t[PollutantSector::Residential as usize] += (base - cut) * fc + briq * fb;
        ledger.nox_of_fuel_t[EnergySector::Residential as usize][0] += (base - cut) * fc;
        let u = &mut undo[EnergyMeasure::CleanHeating as usize];
        u.burn(EnergySector::Residential, Fuel::Coal, cut);
        u.burn(EnergySector::Residential, Fuel::Biomass, -briq);
        u.nox_t += cut * fc - briq * fb;

        if t == 0 {
            state.driver = 1.0;
        } else {
            let d = self.decline.at(t, draw).min(1.0);
            state.driver *= (1.0 + ctx.gdp_growth) * (1.0 - d);
        }
        let other = self.other_base(draw);
        let fuels = [Fuel::Coal, Fuel::Oil, Fuel::Gas];
        for (k, fuel) in fuels.iter().enumerate() {
            let tce = other.fuel_tce[k] * adj.other_fuel[k] * state.driver;
            ledger.burn(EnergySector::Residential, *fuel, tce);
        }
        ledger.nox_t[PollutantSector::Other as usize] +=
            other.nox_t * adj.nox(PollutantSector::Other) * state.driver;
        ledger.vocs_t[PollutantSector::Other as usize] +=
            other.vocs_t * adj.vocs(PollutantSector::Other) * ctx.gdp_index;
    }
}
