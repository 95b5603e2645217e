//! The county towns' heat market (MODEL.md §3.2, DATA.md §3c): 11 towns heated by coal boiler
//! plants, each town's coal displaced only by the heat of its own biomass CHP plants.
//!
//! Heated area `A_c[t]` grows like the central city's (`heating.area_growth`) with the same
//! specific heat demand `q[t]`; town k's demand is `A_c · w_k / Σw · q` with the area weights
//! `heating.county.town.<town>.area_weight` (equal unless a source gives sizes). Biomass heat
//! produced for town k (written by `biomass_chp`, heating season only) is placed up to the
//! town's demand; the rest is wasted (a planner's warning, `CountyHeat::wasted_gj`). The coal
//! boilers deliver the rest: coal = heat ÷ efficiency, NOx = raw coal × kg/t.
//!
//! Ledger (MODEL.md §4): the displaced boilers are a continuous displacement — biomass heat
//! placed since the base year × the boilers' 2020 NOx per GJ (project `biomass_heat`); the
//! demand change at the same factor is 新增量 (b). The plants' own NOx is 新增量 (a), booked by
//! `biomass_chp`. Wedges: the demand decline is building efficiency, the placed heat the
//! biomass CHP measure (same sequence as the central city: building efficiency first).

use super::accounting::{EnergyMeasure, GJ_PER_TCE, Undos};
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, N_TOWNS, PollutantSector, Project, Resolver,
    TOWNS,
};

/// Resolved inputs of the county towns (draw indices).
#[derive(Debug, Clone)]
pub struct CountyHeatInputs {
    area_base: usize,
    weights: [Option<usize>; N_TOWNS],
    efficiency: usize,
    nox_kg_per_t: usize,
    raw_coal_tce_per_t: usize,
}

/// Per-draw state: the county area and the base year's market.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountyHeatState {
    area_m2: f64,
    /// Area share of each town (normalised weights), set in the base year.
    share: [f64; N_TOWNS],
    /// Coal tce and NOx t per GJ of boiler heat, set in the base year.
    tce_per_gj: f64,
    nox_per_gj: f64,
    /// Base-year demand and placed biomass heat (GJ).
    demand0_gj: f64,
    placed0_gj: f64,
}

impl CountyHeatInputs {
    /// Resolves the county-town inputs.
    pub fn resolve(r: &Resolver) -> Result<Self, ModelError> {
        Ok(CountyHeatInputs {
            area_base: r.scalar("heating.county.area_base_m2")?,
            weights: std::array::from_fn(|k| {
                r.optional(&format!("heating.county.town.{}.area_weight", TOWNS[k]))
            }),
            efficiency: r.scalar("heating.county.boiler_efficiency")?,
            nox_kg_per_t: r.scalar("heating.county.nox_kg_per_t_coal")?,
            raw_coal_tce_per_t: r.scalar("heating.raw_coal_tce_per_t")?,
        })
    }

    /// One year of the county market: `growth` is this year's area growth (0 in the base year),
    /// `q` and `q0` the specific heat demand of this year and of the base year (GJ/m²);
    /// `coal_factor` the heat supply's coal fuel-intensity factor (MODEL.md §5), which
    /// multiplies the boilers' coal per GJ and so their NOx per GJ (read in the base year);
    /// `nox_factor` the heat supply's NOx reconciliation factor after the base year (1 in it),
    /// which multiplies the NOx written to the ledger and the undos (the book scales itself).
    #[allow(clippy::too_many_arguments)]
    pub fn step(
        &self,
        t: usize,
        coal_factor: f64,
        nox_factor: f64,
        growth: f64,
        q: f64,
        q0: f64,
        draw: &[f64],
        state: &mut CountyHeatState,
        ledger: &mut Ledger,
        undo: &mut Undos,
    ) {
        if t == 0 {
            state.area_m2 = draw[self.area_base].max(0.0);
            let w: [f64; N_TOWNS] =
                std::array::from_fn(|k| self.weights[k].map_or(1.0, |i| draw[i].max(0.0)));
            let sum: f64 = w.iter().sum();
            state.share = w.map(|x| if sum > 0.0 { x / sum } else { 0.0 });
            let eff = draw[self.efficiency].max(1e-3);
            state.tce_per_gj = coal_factor / (eff * GJ_PER_TCE);
            let raw = draw[self.raw_coal_tce_per_t];
            let per_raw = if raw > 0.0 { 1e-3 / raw } else { 0.0 };
            state.nox_per_gj = state.tce_per_gj * draw[self.nox_kg_per_t].max(0.0) * per_raw;
        } else {
            state.area_m2 *= 1.0 + growth.max(-1.0);
        }
        let c = &mut ledger.county;
        let (mut demand, mut placed, mut coal_heat) = (0.0, 0.0, 0.0);
        // Coal heat with base-year specific demand (with and without the biomass heat).
        let (mut coal_heat_q0, mut demand_q0) = (0.0, 0.0);
        for k in 0..N_TOWNS {
            let d = state.area_m2 * state.share[k] * q;
            let bio = c.biomass_produced_gj[k].max(0.0);
            let p = bio.min(d);
            c.demand_gj[k] = d;
            c.biomass_placed_gj[k] = p;
            c.coal_boiler_gj[k] = d - p;
            c.coal_tce[k] = (d - p) * state.tce_per_gj;
            demand += d;
            placed += p;
            coal_heat += d - p;
            let d0 = state.area_m2 * state.share[k] * q0;
            demand_q0 += d0;
            coal_heat_q0 += d0 - bio.min(d0);
        }
        let (tce, nox) = (state.tce_per_gj, state.nox_per_gj);
        ledger.burn(EnergySector::Heat, Fuel::Coal, coal_heat * tce);
        ledger.nox_t[PollutantSector::Heat as usize] += coal_heat * nox * nox_factor;
        if t == 0 {
            state.demand0_gj = demand;
            state.placed0_gj = placed;
        }
        ledger
            .book
            .cut(Project::BiomassHeat, (placed - state.placed0_gj) * nox, 0.0);
        ledger
            .book
            .add(Cause::Growth, (demand - state.demand0_gj) * nox, 0.0);
        let add = |u: &mut super::accounting::Flows, heat_gj: f64| {
            u.burn(EnergySector::Heat, Fuel::Coal, heat_gj * tce);
            u.nox_t += heat_gj * nox * nox_factor;
        };
        add(
            &mut undo[EnergyMeasure::BuildingEfficiency as usize],
            coal_heat_q0 - coal_heat,
        );
        let u = &mut undo[EnergyMeasure::BiomassChp as usize];
        add(u, demand_q0 - coal_heat_q0);
        // The biomass heat delivered counts in energy (MODEL.md §1); undone with the plants.
        u.biomass_heat_gj -= placed;
    }
}
