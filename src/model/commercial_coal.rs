//! Urban commercial scattered coal and its ban (MODEL.md §3.7, DATA.md §3c): coal burnt in
//! farmers' markets, restaurants, bathhouses and on building sites (手烧炉、快壶、经营性炉灶),
//! which the plan bans ("禁止农贸市场、餐饮、洗浴、建筑工地使用散煤").
//!
//! Coal `C[t] = C[2020] · (1 − f[t])` with `f` the phase-out completion (`phaseout`, a year
//! path); the activity of the source is held at its 2020 level (no growth is given). The coal
//! removed is replaced by natural gas (`gas_tce_per_coal_tce` tce of gas per tce of coal).
//! NOx and VOCs = raw coal × kg/t (raw coal = tce ÷ `heating.raw_coal_tce_per_t`); the gas
//! emits NOx at the gas-boiler factor (`heating.gas_boiler_nox_kg_per_tce`). Coal and gas are
//! residential/other fuels; the emissions the residential sector's.
//!
//! Ledger (MODEL.md §4): a continuous displacement — coal displaced since 2020 × its 2020
//! factors (project `commercial_coal_ban`, NOx and VOCs); the replacing gas is 新增量 (a).
//! Wedges: CO₂ and NOx through the energy-half measure `commercial_coal_ban`, VOCs in its own
//! slot `commercial_coal_ban.vocs` (frozen = the 2020 phase-out level).

use super::accounting::{EnergyMeasure, Undos};
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, PathOr, Pollutant, PollutantSector, Project,
    Resolver, WedgeRegistry, YearCtx,
};

/// Resolved inputs (draw indices).
#[derive(Debug, Clone)]
pub struct CommercialCoalInputs {
    base_tce: usize,
    nox_kg_per_t: usize,
    vocs_kg_per_t: usize,
    phaseout: PathOr,
    gas_per_coal: usize,
    gas_nox_kg_per_tce: usize,
    raw_coal_tce_per_t: usize,
    slot_vocs: usize,
}

impl CommercialCoalInputs {
    /// Resolves the inputs and registers the VOCs wedge (CO₂ and NOx are energy-half wedges).
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let p = |k: &str| format!("residential.commercial_coal.{k}");
        Ok(CommercialCoalInputs {
            base_tce: r.scalar(&p("base_tce"))?,
            nox_kg_per_t: r.scalar(&p("nox_kg_per_t_coal"))?,
            vocs_kg_per_t: r.scalar(&p("vocs_kg_per_t_coal"))?,
            phaseout: PathOr::resolve(r, &p("phaseout"), 0.0)?,
            gas_per_coal: r.scalar(&p("gas_tce_per_coal_tce"))?,
            gas_nox_kg_per_tce: r.scalar("heating.gas_boiler_nox_kg_per_tce")?,
            raw_coal_tce_per_t: r.scalar("heating.raw_coal_tce_per_t")?,
            slot_vocs: w.add(
                "commercial_coal_ban.vocs",
                "Urban commercial scattered coal banned (VOCs)",
                "城区经营性散煤禁用",
                Pollutant::Vocs,
            ),
        })
    }

    /// Simulates year `ctx.t`: fuels and emissions into `ledger`, the ban's energy-half undo
    /// into `undo`, its VOCs wedge into `wedges`.
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        ledger: &mut Ledger,
        undo: &mut Undos,
        wedges: &mut [f64],
    ) {
        let base = draw[self.base_tce].max(0.0);
        let f = self.phaseout.at(ctx.t, draw).clamp(0.0, 1.0);
        let f0 = self.phaseout.at(0, draw).clamp(0.0, 1.0);
        let raw = draw[self.raw_coal_tce_per_t];
        let per_tce = if raw > 0.0 { 1e-3 / raw } else { 0.0 };
        // Fuel at the reconciled intensities (MODEL.md §5): `base` is the coal of 2020 at this
        // draw's coal factor, and the emission factors per nominal tce follow the fuel burnt.
        let [kc, _, kg] = ctx.fuel.of(Component::CommercialCoal);
        let base = base * kc;
        let nox_c = draw[self.nox_kg_per_t].max(0.0) * per_tce;
        let vocs_c = draw[self.vocs_kg_per_t].max(0.0) * per_tce;
        let nox_g = draw[self.gas_nox_kg_per_tce].max(0.0) * 1e-3;
        // Gas per tce of coal replaced, at the gas factor relative to the coal factor.
        let ratio = draw[self.gas_per_coal].max(0.0) * if kc > 0.0 { kg / kc } else { 0.0 };
        let coal = base * (1.0 - f);
        let gas = base * f * ratio;
        ledger.burn(EnergySector::Residential, Fuel::Coal, coal);
        ledger.burn(EnergySector::Residential, Fuel::Gas, gas);
        // After the base year at its NOx and VOCs reconciliation factors (MODEL.md §5; the
        // book scales itself).
        let [kn, kv] = ctx.emission.of(Component::CommercialCoal);
        ledger.nox_t[PollutantSector::Residential as usize] += (coal * nox_c + gas * nox_g) * kn;
        ledger.vocs_t[PollutantSector::Residential as usize] += coal * vocs_c * kv;
        // Displaced since the base year (MODEL.md §4) and the gas that replaces it.
        let displaced = base * (f - f0);
        let gas_more = displaced * ratio;
        ledger.book.cut(
            Project::CommercialCoalBan,
            displaced * nox_c,
            displaced * vocs_c,
        );
        ledger
            .book
            .add(Cause::ReplacementHeatFuels, gas_more * nox_g, 0.0);
        let u = &mut undo[EnergyMeasure::CommercialCoalBan as usize];
        u.burn(EnergySector::Residential, Fuel::Coal, displaced);
        u.burn(EnergySector::Residential, Fuel::Gas, -gas_more);
        u.nox_t += (displaced * nox_c - gas_more * nox_g) * kn;
        wedges[self.slot_vocs] += displaced * vocs_c * kv;
    }
}
