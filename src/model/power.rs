//! Electricity demand, local generation and net imports (MODEL.md §3.3).
//!
//! Demand: the sectors that run before power (fleet: electric vehicles; heating: electric heat)
//! add their electricity to `Ledger::electricity_demand_kwh`; power adds the core demand
//! `D[t] = D[t-1] · (1 + ε g[t]) · (1 − e[t])`, where the base-year core demand is
//! `power.demand_base_kwh` minus what the other sectors already wrote in the base year (the
//! base-year total includes them). Local generation: coal plants (`power.coal_gen_base_kwh` ×
//! an optional index path; heat-led CHP), biomass CHP (from `biomass_chp`), wind and solar
//! (base-year capacity plus capacity added after the base year, times uncertain full-load
//! hours) and hydro. Net import = demand − local generation (computed by accounting).
//! Under `displacement = "local_coal"` biomass and then new wind/solar generation first cut
//! local coal generation down to its must-run fraction; under `"imports"` they cut imports.

use crate::scenario::{Displacement, Options};

use super::accounting::{EnergyMeasure, Undos};
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, PathOr, PollutantSector, Resolver,
    WedgeRegistry, YearCtx,
};

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct PowerInputs {
    demand_base: usize,
    elasticity: usize,
    efficiency_gain: PathOr,
    coal_gen_base: usize,
    coal_gen_index: PathOr,
    coal_rate_gce: usize,
    must_run: usize,
    wind_base_mw: usize,
    wind_new_mw: PathOr,
    wind_h: usize,
    solar_base_mw: usize,
    solar_new_mw: PathOr,
    solar_h: usize,
    hydro_kwh: PathOr,
    nox_ultra_kg_t: usize,
    raw_coal_tce_per_t: usize,
}

/// Per-draw state carried from year to year.
#[derive(Debug, Clone, Default)]
pub struct PowerState {
    core_demand_kwh: f64,
    /// Coal generation of the base year (kWh): its change is 新增量 (b).
    base_coal_kwh: f64,
}

impl PowerInputs {
    /// Resolves this sector's inputs (its wedges are registered by accounting).
    pub fn resolve(r: &Resolver, _w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        Ok(PowerInputs {
            demand_base: r.scalar("power.demand_base_kwh")?,
            elasticity: r.scalar("power.gdp_elasticity")?,
            efficiency_gain: PathOr::resolve(r, "power.efficiency_gain", 0.0)?,
            coal_gen_base: r.scalar("power.coal_gen_base_kwh")?,
            coal_gen_index: PathOr::resolve(r, "power.coal_gen_index", 1.0)?,
            coal_rate_gce: r.scalar("power.coal_rate_gce_per_kwh")?,
            must_run: r.scalar("power.coal_must_run_fraction")?,
            wind_base_mw: r.scalar("power.wind_base_mw")?,
            wind_new_mw: PathOr::resolve(r, "power.wind_new_mw", 0.0)?,
            wind_h: r.scalar("power.wind_full_load_h")?,
            solar_base_mw: r.scalar("power.solar_base_mw")?,
            solar_new_mw: PathOr::resolve(r, "power.solar_new_mw", 0.0)?,
            solar_h: r.scalar("power.solar_full_load_h")?,
            hydro_kwh: PathOr::resolve(r, "power.hydro_kwh", 0.0)?,
            nox_ultra_kg_t: r.scalar("heating.nox_kg_per_t_coal.ultra_low")?,
            raw_coal_tce_per_t: r.scalar("heating.raw_coal_tce_per_t")?,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> PowerState {
        PowerState::default()
    }

    /// Simulates year `ctx.t`: completes demand, sets local generation, adds coal-plant fuel and
    /// NOx, and the undo increments of new renewables and (generation side of) biomass CHP.
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        opt: &Options,
        state: &mut PowerState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        let t = ctx.t;
        let extra = ledger.electricity_demand_kwh;
        if t == 0 {
            let core = draw[self.demand_base] - extra;
            if core < 0.0 {
                ledger.clamps += 1;
            }
            state.core_demand_kwh = core.max(0.0);
        } else {
            let g = ctx.gdp_growth;
            let e = self.efficiency_gain.at(t, draw).min(1.0);
            state.core_demand_kwh *= ((1.0 + draw[self.elasticity] * g) * (1.0 - e)).max(0.0);
        }
        ledger.electricity_demand_kwh = state.core_demand_kwh + extra;

        let (wh, sh) = (draw[self.wind_h].max(0.0), draw[self.solar_h].max(0.0));
        let base_nf = draw[self.wind_base_mw].max(0.0) * 1000.0 * wh
            + draw[self.solar_base_mw].max(0.0) * 1000.0 * sh
            + self.hydro_kwh.at(t, draw).max(0.0);
        let new = (self.wind_new_mw.at(t, draw).max(0.0) * wh
            + self.solar_new_mw.at(t, draw).max(0.0) * sh)
            * 1000.0;
        let bio = ledger.biomass_power_kwh;
        let nominal = draw[self.coal_gen_base].max(0.0) * self.coal_gen_index.at(t, draw).max(0.0);
        let must = draw[self.must_run].clamp(0.0, 1.0);
        let coal_with = |displacing: f64| -> f64 {
            match opt.displacement {
                Displacement::LocalCoal => nominal - displacing.min(nominal * (1.0 - must)),
                Displacement::Imports => nominal,
            }
        };
        let (c2, c1, c0) = (coal_with(bio + new), coal_with(bio), coal_with(0.0));
        // Coal per kWh at the reconciled coal intensity (MODEL.md §5); NOx follows the coal.
        let rate = draw[self.coal_rate_gce].max(0.0)
            * 1e-6
            * ctx.fuel.of(Component::Power)[Fuel::Coal as usize];
        let raw = draw[self.raw_coal_tce_per_t];
        let nox_per_tce = if raw > 0.0 {
            draw[self.nox_ultra_kg_t] * 1e-3 / raw
        } else {
            0.0
        };
        ledger.coal_power_kwh += c2;
        ledger.nonfossil_power_kwh += base_nf + new;
        ledger.new_renewable_kwh += new;
        ledger.burn(EnergySector::Power, Fuel::Coal, c2 * rate);
        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::Power)[0];
        ledger.nox_t[PollutantSector::Power as usize] += c2 * rate * nox_per_tce * kn;
        if t == 0 {
            state.base_coal_kwh = c2;
        }
        // Local coal power is a 2020 source: its activity change at its own factor (MODEL.md §4).
        ledger.book.add(
            Cause::Growth,
            (c2 - state.base_coal_kwh) * rate * nox_per_tce,
            0.0,
        );

        let u = &mut undo[EnergyMeasure::Renewables as usize];
        u.nonfossil_power_kwh -= new;
        u.coal_power_kwh += c1 - c2;
        u.burn(EnergySector::Power, Fuel::Coal, (c1 - c2) * rate);
        u.nox_t += (c1 - c2) * rate * nox_per_tce * kn;
        let u = &mut undo[EnergyMeasure::BiomassChp as usize];
        u.coal_power_kwh += c0 - c1;
        u.burn(EnergySector::Power, Fuel::Coal, (c0 - c1) * rate);
        u.nox_t += (c0 - c1) * rate * nox_per_tce * kn;
    }
}
