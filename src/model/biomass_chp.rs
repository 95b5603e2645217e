//! The plan's biomass CHP plants (MODEL.md §3.3; plan 专栏1 (二): 455 MW in all).
//!
//! Each plant `biomass_chp.plant.<id>` has a capacity, a planned commissioning date (decimal
//! year) and a delay (months); its output in the commissioning year is pro-rated by the months
//! it runs. Generation = capacity × 8,760 h × capacity factor; heat = generation × heat-to-power
//! ratio. Straw demand (t) = generation × straw per kWh, checked against the straw available for
//! energy use (collectable straw × energy fraction); if short, output is cut to the supply and
//! the shortfall reported (`Ledger::straw_shortfall_t`). NOx = straw burnt × flue-gas volume ×
//! NOx concentration. All plants are plan measures: their whole output is the measure.
//!
//! Energy (MODEL.md §1): the plants count by their electricity (at the coal-equivalent rate)
//! and the heat their towns take (at 0.03412 tce/GJ), both in accounting. The straw burnt
//! (t × `straw_tce_per_t`) is booked as `Fuel::Biomass`, a memo item that is never energy
//! consumption.
//!
//! Heat: the plants are the central heat source of their county town (plan: "县城及周边乡镇的
//! 集中热源"); each delivers heat in the heating season only (DATA.md §6: about 20 October –
//! 20 April), heat = generation × heating-season fraction × heat-to-power ratio, booked to its
//! town (`biomass_chp.plant.<id>.town`, the 1-based position in [`super::TOWNS`]; 0 or absent =
//! no town, its heat is never placed). `heating` places it in that town only.

use super::accounting::{EnergyMeasure, GJ_PER_KWH, Undos};
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, PollutantSector, Resolver, WedgeRegistry,
    YearCtx,
};

#[derive(Debug, Clone)]
struct Plant {
    capacity_mw: usize,
    commissioning: usize,
    delay_months: Option<usize>,
    /// Draw index of the town code (1-based position in `TOWNS`; 0 = none).
    town: Option<usize>,
}

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct BiomassInputs {
    plants: Vec<Plant>,
    capacity_factor: usize,
    heat_to_power: usize,
    heating_season: usize,
    straw_kg_per_kwh: usize,
    straw_collectable_t: usize,
    straw_energy_fraction: usize,
    straw_tce_per_t: usize,
    nox_mg_m3: usize,
    flue_gas_nm3_per_t: usize,
}

/// Per-draw state carried from year to year.
#[derive(Debug, Clone, Default)]
pub struct BiomassState {
    /// The plants' NOx in the base year (t): only what they add is 新增量.
    base_nox_t: f64,
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
                town: r.optional(&p("town")),
            });
        }
        Ok(BiomassInputs {
            plants,
            capacity_factor: r.scalar("biomass_chp.capacity_factor")?,
            heat_to_power: r.scalar("biomass_chp.heat_to_power_ratio")?,
            heating_season: r.scalar("biomass_chp.heating_season_fraction")?,
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

    /// Generation of one plant in `year` before the straw check (kWh): from its commissioning
    /// date plus delay, pro-rated in that year.
    #[inline]
    fn plant_kwh(p: &Plant, cf: f64, year: f64, draw: &[f64]) -> f64 {
        let delay = p.delay_months.map_or(0.0, |i| draw[i].max(0.0));
        let start = draw[p.commissioning] + delay / 12.0;
        let online = (year + 1.0 - start).clamp(0.0, 1.0);
        draw[p.capacity_mw].max(0.0) * 1000.0 * 8760.0 * cf * online
    }

    /// Generation of all plants in `year` before the straw check (kWh).
    #[inline]
    fn potential_kwh(&self, year: f64, draw: &[f64]) -> f64 {
        let cf = draw[self.capacity_factor].clamp(0.0, 1.0);
        self.plants
            .iter()
            .map(|p| Self::plant_kwh(p, cf, year, draw))
            .sum()
    }

    /// Town index (0-based) of a plant, or `None` for no town.
    #[inline]
    fn town(p: &Plant, draw: &[f64]) -> Option<usize> {
        let code = p.town.map_or(0.0, |i| draw[i]).round();
        (code >= 1.0 && code <= super::N_TOWNS as f64).then(|| code as usize - 1)
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
        let year = f64::from(ctx.year);
        let mut gen_kwh = self.potential_kwh(year, draw);
        let kg = draw[self.straw_kg_per_kwh].max(0.0);
        let need_t = gen_kwh * kg * 1e-3;
        let supply_t = draw[self.straw_collectable_t].max(0.0)
            * draw[self.straw_energy_fraction].clamp(0.0, 1.0);
        // Every plant's output is cut in the same proportion when straw is short.
        let mut cut = 1.0;
        if need_t > supply_t {
            ledger.straw_shortfall_t += need_t - supply_t;
            cut = if need_t > 0.0 { supply_t / need_t } else { 0.0 };
            gen_kwh *= cut;
        }
        let straw_t = gen_kwh * kg * 1e-3;
        // Straw burnt in tce: a memo item, not energy consumption (MODEL.md §1).
        let straw_tce = straw_t * draw[self.straw_tce_per_t].max(0.0);
        let nox_t =
            straw_t * draw[self.flue_gas_nm3_per_t].max(0.0) * draw[self.nox_mg_m3].max(0.0) * 1e-9;
        if ctx.t == 0 {
            state.base_nox_t = nox_t;
        }
        // New plants are new sources: their NOx is 新增量 (a), never 削减量 (MODEL.md §4).
        ledger
            .book
            .add(Cause::NewBiomassChp, nox_t - state.base_nox_t, 0.0);
        ledger.biomass_power_kwh += gen_kwh;
        ledger.burn(EnergySector::Power, Fuel::Biomass, straw_tce);
        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::BiomassChp)[0];
        ledger.nox_t[PollutantSector::Power as usize] += nox_t * kn;
        // Heat in the heating season only, booked to each plant's town.
        let heat_per_kwh = draw[self.heat_to_power].max(0.0)
            * draw[self.heating_season].clamp(0.0, 1.0)
            * GJ_PER_KWH;
        let cf = draw[self.capacity_factor].clamp(0.0, 1.0);
        for p in &self.plants {
            let heat = Self::plant_kwh(p, cf, year, draw) * cut * heat_per_kwh;
            match Self::town(p, draw) {
                Some(k) => ledger.county.biomass_produced_gj[k] += heat,
                None => ledger.county.unassigned_gj += heat,
            }
        }
        ledger.biomass_heat_gj += gen_kwh * heat_per_kwh;
        let u = &mut undo[EnergyMeasure::BiomassChp as usize];
        u.biomass_power_kwh -= gen_kwh;
        u.burn(EnergySector::Power, Fuel::Biomass, -straw_tce);
        u.nox_t -= nox_t * kn;
    }
}
