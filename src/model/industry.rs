//! Industrial fuel use and named point sources (MODEL.md §3.4).
//!
//! Fuel: `E_ind[t] = E_ind[2020] · (VA_ind[t]/VA_ind[2020]) · Π_{τ≤t}(1 − r[τ])`, split by
//! carrier shares that drift from their 2020 values as the scenario shifts a fraction of
//! industrial energy from coal to gas and to electricity (`shift_to_*`, cumulative vs 2020, so
//! the shares always sum to what they summed to in 2020). Combustion NOx = fuel × kg/tce.
//! The electricity share's rise above 2020 is added to `electricity_demand_kwh` (calorific
//! equivalent 0.1229 kgce/kWh, GB/T 2589) as extra demand on top of the power module's own
//! demand path (which already contains 2020 industrial electricity).
//!
//! Point sources: Jianlong Beiman sintering (NOx = sinter × flue gas Nm³/t × concentration, the
//! retrofitted share of the flue gas falling to the ultra-low level from an uncertain completion
//! date, pro-rated within the year; share 0 is "no retrofit") and cement/brick kilns (assumption: 2020 NOx scaled by industrial value
//! added, reduced by the upgraded share × reduction fraction).
//!
//! No double counting (MODEL.md §3.4, DATA.md §3c): the stated `E_ind` 2020 includes the sinter
//! strand's and the kilns' fuel (coal). When a scenario gives that fuel
//! (`industry.sinter.fuel_kgce_per_t` × sinter output, `industry.kiln.fuel_2020_tce` × value
//! added index), it is burnt by those sources only: it is taken out of `E_ind`'s coal before the
//! carrier shares, the combustion NOx factor and the fuel switching apply (their NOx is the
//! point sources' own), so the industrial fuel total counts it exactly once. Absent, it stays in
//! `E_ind` (the shipped scenarios: DATA.md gives no figure for it).
//!
//! Wedges (NOx): `industry.fuel_switch` (2020 carrier shares − scenario shares, same `E_ind`),
//! `industry.sinter_denox`, `industry.kiln_upgrade`; frozen = 2020 shares, 2020 sinter control
//! fraction, 2020 kiln upgraded share. Energy efficiency `r` is not a wedge (frozen and
//! scenario share it). Ledger: `fuel_tce[Industry][Coal|Oil|Gas]`, `electricity_demand_kwh`,
//! `nox_t[Industry]`, `frozen_t[1]`.

use super::fleet::{
    RPath, Ranged, date, frac_after, month_after, opt_scalar, path, scalar, spec_span,
};
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, Pollutant, PollutantSector, Project, Resolver,
    WedgeRegistry, YearCtx,
};

/// Calorific equivalent of electricity (GB/T 2589-2020): 0.1229 kgce/kWh → kWh per tce.
const KWH_PER_TCE: f64 = 1.0 / 0.000_122_9;

/// Carriers of industrial energy.
pub const CARRIERS: [&str; 4] = ["coal", "oil", "gas", "electricity"];

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct IndustryInputs {
    energy_2020_tce: Ranged,
    efficiency_gain: RPath,
    share_2020: [Ranged; 4],
    shift_to_gas: RPath,
    shift_to_electricity: RPath,
    nox_kg_tce: [Ranged; 3],
    sinter_output_t: RPath,
    sinter_flue_nm3_t: Ranged,
    sinter_nox_before_mg_m3: Ranged,
    sinter_nox_after_mg_m3: Ranged,
    sinter_completion: Ranged,
    sinter_retrofit_share: Ranged,
    kiln_nox_2020_t: Ranged,
    kiln_reduction: Ranged,
    kiln_upgraded_share: RPath,
    /// Sinter strand fuel (kgce per t of sinter), when the scenario gives it.
    sinter_fuel_kgce_t: Option<Ranged>,
    /// Kilns' fuel in the base year (tce), when the scenario gives it.
    kiln_fuel_2020_tce: Option<Ranged>,
    base_year: i32,
    slots: [usize; 3],
}

/// Per-draw state carried from year to year.
#[derive(Debug, Clone, Copy)]
pub struct IndustryState {
    /// Cumulative efficiency factor `Π_{τ=1..t} (1 − gain[τ])` of the last simulated year `t`.
    pub efficiency: f64,
}

impl Default for IndustryState {
    /// The base-year factor, 1.
    fn default() -> Self {
        IndustryState { efficiency: 1.0 }
    }
}

impl IndustryInputs {
    /// Resolves this sector's inputs and registers its measures.
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let mut share_2020 = [Ranged::default(); 4];
        for (k, c) in CARRIERS.iter().enumerate() {
            share_2020[k] = scalar(r, &format!("industry.share_2020.{c}"), 0.0, 1.0)?;
        }
        let mut nox_kg_tce = [Ranged::default(); 3];
        for (k, c) in CARRIERS[..3].iter().enumerate() {
            nox_kg_tce[k] = scalar(r, &format!("industry.nox_kg_tce.{c}"), 0.0, 50.0)?;
        }
        let slots = [
            w.add(
                "industry.fuel_switch",
                "Industrial coal to gas and electricity",
                "工业燃煤清洁能源替代",
                Pollutant::Nox,
            ),
            w.add(
                "industry.sinter_denox",
                "Jianlong Beiman sintering denitrification",
                "建龙北满烧结机脱硝",
                Pollutant::Nox,
            ),
            w.add(
                "industry.kiln_upgrade",
                "Cement and brick kiln upgrades",
                "水泥、砖瓦窑炉淘汰改造",
                Pollutant::Nox,
            ),
        ];
        let inputs = IndustryInputs {
            energy_2020_tce: scalar(r, "industry.energy_2020_tce", 0.0, 1e9)?,
            efficiency_gain: path(r, "industry.efficiency_gain", -0.2, 0.5)?,
            share_2020,
            shift_to_gas: path(r, "industry.shift_to_gas", 0.0, 1.0)?,
            shift_to_electricity: path(r, "industry.shift_to_electricity", 0.0, 1.0)?,
            nox_kg_tce,
            sinter_output_t: path(r, "industry.sinter.output_t", 0.0, 1e8)?,
            sinter_flue_nm3_t: scalar(r, "industry.sinter.flue_nm3_t", 0.0, 10_000.0)?,
            sinter_nox_before_mg_m3: scalar(r, "industry.sinter.nox_before_mg_m3", 0.0, 2000.0)?,
            sinter_nox_after_mg_m3: scalar(r, "industry.sinter.nox_after_mg_m3", 0.0, 2000.0)?,
            sinter_completion: date(r, "industry.sinter.completion")?,
            sinter_retrofit_share: scalar(r, "industry.sinter.retrofit_share", 0.0, 1.0)?,
            kiln_nox_2020_t: scalar(r, "industry.kiln.nox_2020_t", 0.0, 1e6)?,
            kiln_reduction: scalar(r, "industry.kiln.reduction", 0.0, 1.0)?,
            kiln_upgraded_share: path(r, "industry.kiln.upgraded_share", 0.0, 1.0)?,
            sinter_fuel_kgce_t: opt_scalar(r, "industry.sinter.fuel_kgce_per_t", 0.0, 1000.0)?,
            kiln_fuel_2020_tce: opt_scalar(r, "industry.kiln.fuel_2020_tce", 0.0, 1e8)?,
            base_year: r.scenario().meta.base_year,
            slots,
        };
        inputs.check_point_fuel(r)?;
        Ok(inputs)
    }

    /// The sinter and kiln fuel must fit inside `E_ind`'s 2020 coal in every draw: checked on
    /// the inputs' ranges (largest fuel against the smallest coal), naming the inputs.
    fn check_point_fuel(&self, r: &Resolver) -> Result<(), ModelError> {
        if self.sinter_fuel_kgce_t.is_none() && self.kiln_fuel_2020_tce.is_none() {
            return Ok(());
        }
        let span = |name: &str| r.scenario().param(name).map(|p| spec_span(&p.spec));
        let hi = |name: &str| span(name).map_or(0.0, |s| s.1);
        let output = span("industry.sinter.output_t@2020")
            .or_else(|| span("industry.sinter.output_t"))
            .map_or(0.0, |s| s.1);
        let fuel = output * hi("industry.sinter.fuel_kgce_per_t") * 1e-3
            + hi("industry.kiln.fuel_2020_tce");
        let coal = span("industry.energy_2020_tce").map_or(0.0, |s| s.0)
            * span("industry.share_2020.coal").map_or(0.0, |s| s.0);
        if fuel > coal {
            return Err(ModelError::BadInput {
                name: "industry.sinter.fuel_kgce_per_t / industry.kiln.fuel_2020_tce".into(),
                reason: format!(
                    "sinter and kiln fuel up to {fuel:.0} tce in 2020 exceeds the smallest \
                     industrial coal of industry.energy_2020_tce × industry.share_2020.coal \
                     ({coal:.0} tce); they are part of it"
                ),
            });
        }
        Ok(())
    }

    /// Fuel of the sinter strand and the kilns in year `t` (tce, coal): sinter output × fuel
    /// per t; kiln fuel follows industrial value added like the kilns' NOx.
    #[inline]
    fn point_fuel_tce(&self, t: usize, va_index: f64, draw: &[f64]) -> f64 {
        let sinter = self.sinter_fuel_kgce_t.map_or(0.0, |f| {
            self.sinter_output_t.at(t, draw) * f.get(draw) * 1e-3
        });
        let kiln = self
            .kiln_fuel_2020_tce
            .map_or(0.0, |f| f.get(draw) * va_index);
        sinter + kiln
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> IndustryState {
        IndustryState::default()
    }

    /// Simulates year `ctx.t`, adding fuels and emissions to `ledger` and reductions to `wedges`;
    /// advances `state`'s cumulative efficiency factor to year `ctx.t` first (1 in the base year,
    /// then one multiplication per year, `Π_{τ=1..t} (1 − gain[τ])` in year order).
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut IndustryState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        let t = ctx.t;
        state.efficiency = if t == 0 {
            1.0
        } else {
            state.efficiency * (1.0 - self.efficiency_gain.at(t, draw))
        };
        let eff = state.efficiency;
        // Combustion energy: `E_ind` without the point sources' fuel (their 2020 coal), with
        // the carrier shares of what remains; the point sources burn their own fuel.
        let e_ind0 = self.energy_2020_tce.get(draw);
        let point0 = self.point_fuel_tce(0, 1.0, draw);
        let comb0 = e_ind0 - point0;
        let share = |k: usize| self.share_2020[k].get(draw) * e_ind0;
        let s0 = if point0 > 0.0 {
            [
                (share(0) - point0) / comb0,
                share(1) / comb0,
                share(2) / comb0,
                share(3) / comb0,
            ]
        } else {
            [
                self.share_2020[0].get(draw),
                self.share_2020[1].get(draw),
                self.share_2020[2].get(draw),
                self.share_2020[3].get(draw),
            ]
        };
        let e = comb0 * ctx.industry_va_index * eff;
        ledger.burn(
            EnergySector::Industry,
            Fuel::Coal,
            self.point_fuel_tce(t, ctx.industry_va_index, draw)
                * ctx.fuel.of(Component::Industry)[0],
        );
        // Shifts are capped by the coal there is to shift (the gas shift first).
        let dg = self.shift_to_gas.at(t, draw).min(s0[0]);
        let de = self.shift_to_electricity.at(t, draw).min(s0[0] - dg);
        let s = [s0[0] - dg - de, s0[1], s0[2] + dg, s0[3] + de];
        let fuels = [Fuel::Coal, Fuel::Oil, Fuel::Gas];
        // Fuel-intensity factors of the base-year reconciliation (MODEL.md §5): fuel per unit
        // of industrial energy service, and so its combustion NOx; the point sources' NOx is
        // activity-based and does not move with them.
        let ff = ctx.fuel.of(Component::Industry);
        let (mut comb, mut comb_frozen) = (0.0, 0.0);
        for k in 0..3 {
            ledger.burn(EnergySector::Industry, fuels[k], e * s[k] * ff[k]);
            let f = self.nox_kg_tce[k].get(draw) * 1e-3 * ff[k];
            comb += e * s[k] * f;
            comb_frozen += e * s0[k] * f;
        }
        ledger.electricity_demand_kwh += e * de * KWH_PER_TCE;
        // Ledger (MODEL.md §4): coal switched since the base year is a displacement at the coal
        // factor; the gas that replaces it is 新增量 (a); the 2020 carriers' change (b).
        let e0 = comb0;
        let dg0 = self.shift_to_gas.at(0, draw).min(s0[0]);
        let de0 = self.shift_to_electricity.at(0, draw).min(s0[0] - dg0);
        let f = [
            self.nox_kg_tce[0].get(draw) * 1e-3 * ff[0],
            self.nox_kg_tce[1].get(draw) * 1e-3 * ff[1],
            self.nox_kg_tce[2].get(draw) * 1e-3 * ff[2],
        ];
        ledger.book.cut(
            Project::IndustryFuelSwitch,
            (e * (dg + de) - e0 * (dg0 + de0)) * f[0],
            0.0,
        );
        ledger
            .book
            .add(Cause::ReplacementHeatFuels, (e * dg - e0 * dg0) * f[2], 0.0);
        let growth = (e - e0) * (s0[0] * f[0] + s0[1] * f[1] + s0[2] * f[2]);

        // Sintering: mg/Nm³ × Nm³ → t (1e-9).
        let gas_nm3 = self.sinter_output_t.at(t, draw) * self.sinter_flue_nm3_t.get(draw);
        let (before, after) = (
            self.sinter_nox_before_mg_m3.get(draw),
            self.sinter_nox_after_mg_m3.get(draw),
        );
        let d = self.sinter_completion.get(draw);
        // The retrofitted share of the flue gas goes to `after` from the completion date.
        let share = self.sinter_retrofit_share.get(draw);
        let conc = |f: f64| before * (1.0 - f * share) + after * f * share;
        // The retrofit counts from the month after its completion (MODEL.md §4).
        let from = month_after(d);
        let sinter = gas_nm3 * conc(frac_after(ctx.year, from)) * 1e-9;
        let conc0 = conc(frac_after(self.base_year, from));
        let sinter_frozen = gas_nm3 * conc0 * 1e-9;
        let gas0_nm3 = self.sinter_output_t.at(0, draw) * self.sinter_flue_nm3_t.get(draw);

        // Kilns: activity follows industrial value added.
        let k0 = self.kiln_nox_2020_t.get(draw) * ctx.industry_va_index;
        let red = self.kiln_reduction.get(draw);
        let kiln = k0 * (1.0 - red * self.kiln_upgraded_share.at(t, draw));
        let u0 = self.kiln_upgraded_share.at(0, draw);
        let kiln_frozen = k0 * (1.0 - red * u0);
        // Retrofits: activity(t) × (2020 factor − factor now); growth at the 2020 factor.
        ledger
            .book
            .cut(Project::SinterDenox, sinter_frozen - sinter, 0.0);
        ledger
            .book
            .cut(Project::KilnUpgrade, kiln_frozen - kiln, 0.0);
        let kiln0 = self.kiln_nox_2020_t.get(draw);
        let growth = growth
            + (gas_nm3 - gas0_nm3) * conc0 * 1e-9
            + kiln0 * (ctx.industry_va_index - 1.0) * (1.0 - red * u0);
        ledger.book.add(Cause::Growth, growth, 0.0);

        // After the base year at its NOx reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kn = ctx.emission.of(Component::Industry)[0];
        ledger.nox_t[PollutantSector::Industry as usize] += (comb + sinter + kiln) * kn;
        ledger.frozen_t[1] += comb_frozen + sinter_frozen + kiln_frozen;
        wedges[self.slots[0]] += (comb_frozen - comb) * kn;
        wedges[self.slots[1]] += (sinter_frozen - sinter) * kn;
        wedges[self.slots[2]] += (kiln_frozen - kiln) * kn;
    }
}

#[cfg(test)]
mod tests {
    use super::super::fleet::test_support::*;
    use super::*;

    fn run(params: Vec<crate::scenario::Param>) -> (Vec<Ledger>, Vec<Vec<f64>>) {
        run_with_state(
            params,
            |r, w| IndustryInputs::resolve(r, w).expect("resolves"),
            IndustryInputs::new_state,
            IndustryInputs::step,
        )
    }

    #[test]
    fn carried_efficiency_matches_recomputed_bit_for_bit() {
        // Year-specific gains (one anchor per year) so that the order of the products matters.
        let mut params = central_params();
        params.retain(|p| p.name != "industry.efficiency_gain");
        let anchors: Vec<(String, f64)> = (0..6)
            .map(|t| {
                let name = format!("industry.efficiency_gain@{}", 2020 + t);
                (name, 0.013 + 0.0071 * t as f64)
            })
            .collect();
        let changes: Vec<(&str, f64)> = anchors.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        let s = scenario(with(params, &changes));
        let mut w = WedgeRegistry::default();
        let m = IndustryInputs::resolve(&Resolver::new(&s), &mut w).expect("resolves");
        let d = draw_of(&s);
        let gain = |tau: usize| {
            let name = format!("industry.efficiency_gain@{}", 2020 + tau);
            d[s.index_of(&name).expect("anchor present")]
        };
        // A state left over from another draw: the base year must reset it.
        let mut st = IndustryState { efficiency: 0.37 };
        let oil = Fuel::Oil as usize;
        for t in 0..6 {
            let mut recomputed = 1.0;
            for tau in 1..=t {
                recomputed *= 1.0 - gain(tau);
            }
            let mut l = Ledger::default();
            let mut wv = vec![0.0; w.len()];
            m.step(&ctx(t), &d, &mut st, &mut l, &mut wv);
            assert_eq!(st.efficiency.to_bits(), recomputed.to_bits(), "year {t}");
            // Oil is never shifted: its fuel is E_2020 × VA index × factor × 2020 oil share.
            let e = m.energy_2020_tce.get(&d) * ctx(t).industry_va_index * recomputed;
            let want = e * m.share_2020[1].get(&d);
            let got = l.fuel_tce[EnergySector::Industry as usize][oil];
            assert_eq!(got.to_bits(), want.to_bits(), "year {t}");
        }
        assert!(st.efficiency < 1.0);
    }

    #[test]
    fn identity_and_energy_balance() {
        let (ls, ws) = run(central_params());
        for (l, w) in ls.iter().zip(&ws) {
            let e = l.nox_t[PollutantSector::Industry as usize];
            let sw: f64 = w.iter().sum();
            assert!((l.frozen_t[1] - sw - e).abs() <= 1e-9 * e);
        }
        // Sintering retrofit completes in 2025 in the plan: no reduction before 2025.
        assert_eq!(ws[4][1], 0.0);
        assert!(ws[5][1] > 0.0);
        // Fuels plus new electricity (in tce) equal E_ind × (coal+oil+gas share of 2020).
        let fuel: f64 = ls[5].fuel_tce[EnergySector::Industry as usize].iter().sum();
        let elec_tce = ls[5].electricity_demand_kwh / KWH_PER_TCE;
        let fuel0: f64 = ls[0].fuel_tce[EnergySector::Industry as usize].iter().sum();
        assert!(fuel + elec_tce < fuel0 * 1.06f64.powi(5));
        assert!(elec_tce > 0.0);
    }

    #[test]
    fn sinter_pro_rated_by_completion_date() {
        let p = with(central_params(), &[("industry.sinter.completion", 2025.25)]);
        let (_, ws_q) = run(p);
        let p = with(central_params(), &[("industry.sinter.completion", 2025.0)]);
        let (_, ws_full) = run(p);
        // Counted from the month after completion (MODEL.md §4): completed 1 April → from
        // 1 May, 8/12 of 2025; completed 1 January → from 1 February, 11/12.
        assert!((ws_q[5][1] / ws_full[5][1] - 8.0 / 11.0).abs() < 1e-12);
    }

    #[test]
    fn sinter_retrofit_share_scales_the_reduction_and_zero_is_no_retrofit() {
        let at = |share: f64| {
            let p = with(
                central_params(),
                &[
                    ("industry.sinter.completion", 2023.0),
                    ("industry.sinter.retrofit_share", share),
                ],
            );
            run(p)
        };
        let (l_full, ws_full) = at(1.0);
        let (l_half, ws_half) = at(0.5);
        let (l_none, ws_none) = at(0.0);
        for t in 0..ws_full.len() {
            assert!((ws_half[t][1] - 0.5 * ws_full[t][1]).abs() <= 1e-9 * ws_full[t][1].abs());
            assert_eq!(ws_none[t][1], 0.0, "year {t}: no retrofit, no wedge");
            let nox = |l: &[Ledger]| l[t].nox_t[PollutantSector::Industry as usize];
            assert!(nox(&l_full) <= nox(&l_half) && nox(&l_half) <= nox(&l_none));
        }
        assert!(ws_full[5][1] > 0.0);
    }

    /// The sinter and kiln fuel, when given, is burnt once (by those sources, never also as
    /// `E_ind` combustion): the industrial fuel total is unchanged, the combustion NOx loses
    /// exactly that fuel × the coal factor, and fuel switching never moves it.
    #[test]
    fn sinter_and_kiln_fuel_are_counted_once_and_never_switched() {
        let (sinter_kgce_t, kiln_tce) = (50.0, 20_000.0);
        let given = |p: Vec<crate::scenario::Param>| {
            with(
                p,
                &[
                    ("industry.sinter.fuel_kgce_per_t", sinter_kgce_t),
                    ("industry.kiln.fuel_2020_tce", kiln_tce),
                ],
            )
        };
        let (without, _) = run(central_params());
        let (with_fuel, _) = run(given(central_params()));
        let s = scenario(central_params());
        let d = draw_of(&s);
        // Sinter output is one value for every year in the test data.
        let output = d[s
            .index_of("industry.sinter.output_t")
            .expect("sinter output")];
        let point0 = output * sinter_kgce_t * 1e-3 + kiln_tce;
        let ind = EnergySector::Industry as usize;
        let coal = Fuel::Coal as usize;
        let total = |l: &Ledger| l.fuel_tce[ind].iter().sum::<f64>();
        let (a, b) = (&without[0], &with_fuel[0]);
        assert!(
            (total(a) - total(b)).abs() <= 1e-9 * total(a),
            "fuel counted twice"
        );
        assert!((a.fuel_tce[ind][coal] - b.fuel_tce[ind][coal]).abs() <= 1e-9 * total(a));
        let m = IndustryInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default())
            .expect("resolves");
        let coal_factor = m.nox_kg_tce[0].get(&d) * 1e-3;
        let nox = |l: &Ledger| l.nox_t[PollutantSector::Industry as usize];
        let dropped = nox(a) - nox(b);
        assert!(
            (dropped - point0 * coal_factor).abs() <= 1e-9 * nox(a),
            "combustion NOx should lose {} t, lost {dropped}",
            point0 * coal_factor
        );
        // Every bit of the combustion coal switched to gas in 2025: the point sources keep
        // their coal.
        let switched = |p| with(p, &[("industry.shift_to_gas@2025", 1.0)]);
        let (l, _) = run(given(switched(central_params())));
        let va = ctx(5).industry_va_index;
        let point5 = output * sinter_kgce_t * 1e-3 + kiln_tce * va;
        assert!((l[5].fuel_tce[ind][coal] - point5).abs() <= 1e-9 * point5);
        let (l, _) = run(switched(central_params()));
        assert!(l[5].fuel_tce[ind][coal].abs() <= 1e-9 * total(&l[5]));
    }

    #[test]
    fn sinter_and_kiln_fuel_beyond_industrial_coal_is_refused() {
        let s = scenario(with(
            central_params(),
            &[("industry.kiln.fuel_2020_tce", 5e7)],
        ));
        match IndustryInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default()) {
            Err(ModelError::BadInput { name, reason }) => {
                assert!(name.contains("industry.kiln.fuel_2020_tce"), "{name}");
                assert!(reason.contains("industry.share_2020.coal"), "{reason}");
            }
            other => panic!("expected BadInput, got {other:?}"),
        }
    }

    #[test]
    fn bad_inputs_name_the_key() {
        for (name, v) in [
            ("industry.sinter.retrofit_share", 1.5),
            ("industry.share_2020.coal", 1.2),
            ("industry.sinter.completion", 2031.0),
            ("industry.energy_2020_tce", -5.0),
        ] {
            let s = scenario(with(central_params(), &[(name, v)]));
            match IndustryInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default()) {
                Err(ModelError::BadInput { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: expected BadInput, got {other:?}"),
            }
        }
    }
}
