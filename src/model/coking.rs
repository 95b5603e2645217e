//! Coking: the coke ovens' flue gas and its treatment (焦化重点项目整治; MODEL.md §1, §3.4,
//! DATA.md §3c). A NOx source only: coking coal is a transformation input whose energy is
//! already inside industry, so this module adds no fuel.
//!
//! NOx = coke (t) × flue gas (Nm³/t) × concentration (mg/Nm³) × 1e-9; the treated share of the
//! flue gas falls from `nox_before_mg_m3` to `nox_after_mg_m3` from the month after the
//! completion date (pro-rated in that year); `treated_share` 0 is "no treatment".
//! Ledger (MODEL.md §4): a retrofit — activity(t) × (2020 concentration − concentration now)
//! (project `coking_treatment`); the activity change at the 2020 concentration is 新增量 (b).
//! Wedge: `industry.coking_treatment` (NOx).

use super::fleet::{RPath, Ranged, date, frac_after, month_after, path, scalar};
use super::reconcile::Component;
use super::{
    Cause, Ledger, ModelError, Pollutant, PollutantSector, Project, Resolver, WedgeRegistry,
    YearCtx,
};

/// Resolved inputs (draw indices).
#[derive(Debug, Clone)]
pub struct CokingInputs {
    coke_t: RPath,
    flue_nm3_t: Ranged,
    before_mg_m3: Ranged,
    after_mg_m3: Ranged,
    completion: Ranged,
    treated_share: Ranged,
    base_year: i32,
    slot: usize,
}

impl CokingInputs {
    /// Resolves the inputs and registers the NOx wedge.
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let p = |k: &str| format!("industry.coking.{k}");
        Ok(CokingInputs {
            coke_t: path(r, &p("coke_t"), 0.0, 1e8)?,
            flue_nm3_t: scalar(r, &p("flue_nm3_t"), 0.0, 10_000.0)?,
            before_mg_m3: scalar(r, &p("nox_before_mg_m3"), 0.0, 5000.0)?,
            after_mg_m3: scalar(r, &p("nox_after_mg_m3"), 0.0, 5000.0)?,
            completion: date(r, &p("completion"))?,
            treated_share: scalar(r, &p("treated_share"), 0.0, 1.0)?,
            base_year: r.scenario().meta.base_year,
            slot: w.add(
                "industry.coking_treatment",
                "Coke-oven flue-gas treatment",
                "焦化重点项目整治",
                Pollutant::Nox,
            ),
        })
    }

    /// Simulates year `ctx.t`: NOx into `ledger`, the treatment's reduction into `wedges`.
    pub fn step(&self, ctx: &YearCtx, draw: &[f64], ledger: &mut Ledger, wedges: &mut [f64]) {
        let flue = self.flue_nm3_t.get(draw);
        let gas_nm3 = self.coke_t.at(ctx.t, draw) * flue;
        let gas0_nm3 = self.coke_t.at(0, draw) * flue;
        let (before, after) = (self.before_mg_m3.get(draw), self.after_mg_m3.get(draw));
        let share = self.treated_share.get(draw);
        let conc = |f: f64| before * (1.0 - f * share) + after * f * share;
        let from = month_after(self.completion.get(draw));
        let now = gas_nm3 * conc(frac_after(ctx.year, from)) * 1e-9;
        let conc0 = conc(frac_after(self.base_year, from));
        let frozen = gas_nm3 * conc0 * 1e-9;
        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::Coking)[0];
        ledger.nox_t[PollutantSector::Industry as usize] += now * kn;
        ledger.frozen_t[1] += frozen;
        wedges[self.slot] += (frozen - now) * kn;
        ledger.book.cut(Project::CokingTreatment, frozen - now, 0.0);
        ledger
            .book
            .add(Cause::Growth, (gas_nm3 - gas0_nm3) * conc0 * 1e-9, 0.0);
    }
}
