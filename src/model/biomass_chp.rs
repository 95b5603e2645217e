//! The plan's biomass CHP plants (MODEL.md §3.3; plan 专栏1 (二): 455 MW in all).
//!
//! Each plant `biomass_chp.plant.<id>` has a capacity, a planned commissioning date (decimal
//! year) and a delay (months); its output in the commissioning year is pro-rated by the months
//! it runs. Generation = capacity × 8,760 h × capacity factor; heat = generation × heat-to-power
//! ratio. Straw demand (t) = generation × straw per kWh, checked against the straw available for
//! energy use (collectable straw × energy fraction); if short, output is cut to the supply and
//! the shortfall reported (`Ledger::straw_shortfall_t`). NOx = straw burnt × flue-gas volume ×
//! NOx concentration. All plants are plan measures: their whole output is the measure.

use super::accounting::{EnergyMeasure, GJ_PER_KWH, Undos};
use super::{
    EnergySector, Fuel, Ledger, ModelError, PollutantSector, Resolver, WedgeRegistry, YearCtx,
};

#[derive(Debug, Clone)]
struct Plant {
    capacity_mw: usize,
    commissioning: usize,
    delay_months: Option<usize>,
}

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct BiomassInputs {
    plants: Vec<Plant>,
    capacity_factor: usize,
    heat_to_power: usize,
    straw_kg_per_kwh: usize,
    straw_collectable_t: usize,
    straw_energy_fraction: usize,
    straw_tce_per_t: usize,
    nox_mg_m3: usize,
    flue_gas_nm3_per_t: usize,
}

/// Per-draw state carried from year to year (none: plants are stateless given the draw).
#[derive(Debug, Clone, Default)]
pub struct BiomassState {
    /// Generation in the base year (kWh): growth above it is "new" for the exemption.
    base_kwh: f64,
}

impl BiomassInputs {
    /// Resolves this sector's inputs (its wedges are registered by accounting).
    pub fn resolve(r: &Resolver, _w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let mut plants = Vec::new();
        for id in r.items("biomass_chp.plant") {
            let p = |k: &str| format!("biomass_chp.plant.{id}.{k}");
            plants.push(Plant {
                capacity_mw: r.scalar(&p("capacity_mw"))?,
                commissioning: r.scalar(&p("commissioning"))?,
                delay_months: r.optional(&p("delay_months")),
            });
        }
        Ok(BiomassInputs {
            plants,
            capacity_factor: r.scalar("biomass_chp.capacity_factor")?,
            heat_to_power: r.scalar("biomass_chp.heat_to_power_ratio")?,
            straw_kg_per_kwh: r.scalar("biomass_chp.straw_kg_per_kwh")?,
            straw_collectable_t: r.scalar("biomass_chp.straw_collectable_t")?,
            straw_energy_fraction: r.scalar("biomass_chp.straw_energy_fraction")?,
            straw_tce_per_t: r.scalar("biomass_chp.straw_tce_per_t")?,
            nox_mg_m3: r.scalar("biomass_chp.nox_mg_per_m3")?,
            flue_gas_nm3_per_t: r.scalar("biomass_chp.flue_gas_nm3_per_t_straw")?,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> BiomassState {
        BiomassState::default()
    }

    /// Generation of all plants in `year` before the straw check (kWh).
    #[inline]
    fn potential_kwh(&self, year: f64, draw: &[f64]) -> f64 {
        let cf = draw[self.capacity_factor].clamp(0.0, 1.0);
        self.plants
            .iter()
            .map(|p| {
                let delay = p.delay_months.map_or(0.0, |i| draw[i].max(0.0));
                let start = draw[p.commissioning] + delay / 12.0;
                let online = (year + 1.0 - start).clamp(0.0, 1.0);
                draw[p.capacity_mw].max(0.0) * 1000.0 * 8760.0 * cf * online
            })
            .sum()
    }

    /// Simulates year `ctx.t`: adds biomass generation, fuel, NOx and heat to `ledger`, and the
    /// plants' own flows (negated) to the biomass measure's undo.
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut BiomassState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        let mut gen_kwh = self.potential_kwh(f64::from(ctx.year), draw);
        let kg = draw[self.straw_kg_per_kwh].max(0.0);
        let need_t = gen_kwh * kg * 1e-3;
        let supply_t = draw[self.straw_collectable_t].max(0.0)
            * draw[self.straw_energy_fraction].clamp(0.0, 1.0);
        if need_t > supply_t {
            ledger.straw_shortfall_t += need_t - supply_t;
            gen_kwh *= if need_t > 0.0 { supply_t / need_t } else { 0.0 };
        }
        let straw_t = gen_kwh * kg * 1e-3;
        let fuel_tce = straw_t * draw[self.straw_tce_per_t].max(0.0);
        let nox_t = straw_t
            * draw[self.flue_gas_nm3_per_t].max(0.0)
            * draw[self.nox_mg_m3].max(0.0)
            * 1e-9
            * ctx.adjust.nox(PollutantSector::Power);
        if ctx.t == 0 {
            state.base_kwh = gen_kwh;
        }
        let new_kwh = (gen_kwh - state.base_kwh).max(0.0);
        ledger.biomass_power_kwh += gen_kwh;
        ledger.new_biomass_power_kwh += new_kwh;
        ledger.burn(EnergySector::Power, Fuel::Biomass, fuel_tce);
        ledger.nox_t[PollutantSector::Power as usize] += nox_t;
        let heat_gj = gen_kwh * draw[self.heat_to_power].max(0.0) * GJ_PER_KWH;
        ledger.biomass_heat_gj += heat_gj;
        let u = &mut undo[EnergyMeasure::BiomassChp as usize];
        u.biomass_heat_gj -= heat_gj;
        u.biomass_power_kwh -= gen_kwh;
        u.new_biomass_power_kwh -= new_kwh;
        u.burn(EnergySector::Power, Fuel::Biomass, -fuel_tce);
        u.nox_t -= nox_t;
    }
}
