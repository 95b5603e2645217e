//! Operating CNG taxis and their replacement (营运燃气车辆淘汰更新; MODEL.md §3.5, DATA.md
//! §3c). Buses were already new-energy in 2020, so the source is the converted CNG taxis,
//! separate from the gasoline taxis of `fleet`.
//!
//! Stock and annual distance are held at their 2020 levels; the replaced share `replaced_share`
//! (a year path) leaves, and new gasoline taxis take over its vehicle-km at the replacement NOx
//! factor and the fleet's taxi fuel economy (`fleet.taxi.fuel_l_100km`). NOx = vehicles × km ×
//! g/km (the factors as DATA.md gives them, without a cold correction). The CNG burnt counts
//! as natural gas, the replacements' gasoline as oil products and as fleet gasoline sold.
//!
//! Ledger (MODEL.md §4): a closure — the replaced vehicles' 2020 activity × 2020 factor
//! (project `gas_vehicle_replacement`); the replacements are new vehicles, 新增量 (a).
//! Wedge: `fleet.gas_taxi_replacement` (NOx, net of the replacements).

use super::fleet::{GASOLINE_T_PER_L, GASOLINE_TCE_PER_T, RPath, Ranged, path, scalar};
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, Pollutant, PollutantSector, Project, Resolver,
    WedgeRegistry, YearCtx,
};

/// Resolved inputs (draw indices).
#[derive(Debug, Clone)]
pub struct GasTaxiInputs {
    stock_2020: Ranged,
    km: Ranged,
    nox_g_km: Ranged,
    replaced_share: RPath,
    gas_m3_per_100km: Ranged,
    gas_kgce_per_m3: Ranged,
    replacement_nox_g_km: Ranged,
    replacement_fuel_l_100km: Ranged,
    slot: usize,
}

impl GasTaxiInputs {
    /// Resolves the inputs and registers the NOx wedge.
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let p = |k: &str| format!("fleet.gas_taxi.{k}");
        Ok(GasTaxiInputs {
            stock_2020: scalar(r, &p("stock_2020"), 0.0, 1e6)?,
            km: scalar(r, &p("km"), 0.0, 300_000.0)?,
            nox_g_km: scalar(r, &p("nox_g_km"), 0.0, 20.0)?,
            replaced_share: path(r, &p("replaced_share"), 0.0, 1.0)?,
            gas_m3_per_100km: scalar(r, &p("gas_m3_per_100km"), 0.0, 100.0)?,
            gas_kgce_per_m3: scalar(r, &p("gas_kgce_per_m3"), 0.5, 2.0)?,
            replacement_nox_g_km: scalar(r, &p("replacement_nox_g_km"), 0.0, 20.0)?,
            replacement_fuel_l_100km: scalar(r, "fleet.taxi.fuel_l_100km", 0.0, 200.0)?,
            slot: w.add(
                "fleet.gas_taxi_replacement",
                "Operating CNG taxis retired and replaced",
                "营运燃气车辆淘汰更新",
                Pollutant::Nox,
            ),
        })
    }

    /// Simulates year `ctx.t`: fuels, gasoline and NOx into `ledger`, the replacement's net
    /// reduction into `wedges`.
    pub fn step(&self, ctx: &YearCtx, draw: &[f64], ledger: &mut Ledger, wedges: &mut [f64]) {
        let vkm = self.stock_2020.get(draw) * self.km.get(draw);
        let r = self.replaced_share.at(ctx.t, draw);
        let r0 = self.replaced_share.at(0, draw);
        let (ef, ef_new) = (
            self.nox_g_km.get(draw) * 1e-6,
            self.replacement_nox_g_km.get(draw) * 1e-6,
        );
        // Fuel per km at the reconciled intensities (MODEL.md §5); NOx per km does not move.
        let ff = ctx.fuel.of(Component::GasTaxis);
        let cng_tce = vkm * (1.0 - r) * self.gas_m3_per_100km.get(draw) / 100.0
            * self.gas_kgce_per_m3.get(draw)
            * 1e-3
            * ff[Fuel::Gas as usize];
        let gasoline_t = vkm * r * self.replacement_fuel_l_100km.get(draw) / 100.0
            * GASOLINE_T_PER_L
            * ff[Fuel::Oil as usize];
        ledger.burn(EnergySector::Transport, Fuel::Gas, cng_tce);
        ledger.burn(
            EnergySector::Transport,
            Fuel::Oil,
            gasoline_t * GASOLINE_TCE_PER_T,
        );
        ledger.fleet_gasoline_t += gasoline_t;
        let (old, new) = (vkm * (1.0 - r) * ef, vkm * r * ef_new);
        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::GasTaxis)[0];
        ledger.nox_t[PollutantSector::RoadTransport as usize] += (old + new) * kn;
        let frozen = vkm * (1.0 - r0) * ef + vkm * r0 * ef_new;
        ledger.frozen_t[1] += frozen;
        wedges[self.slot] += (frozen - old - new) * kn;
        ledger
            .book
            .cut(Project::GasVehicleReplacement, vkm * (r - r0) * ef, 0.0);
        ledger
            .book
            .add(Cause::NewVehicles, vkm * (r - r0) * ef_new, 0.0);
    }
}
