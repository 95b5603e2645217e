//! Non-road diesel machinery by emission stage (MODEL.md §3.5).
//!
//! Installed power (kW) by stage I–IV. Each year: survivors = kW × (1 − retirement); new kW =
//! max(0, target − survivors) with the target growing at an uncertain rate; new machinery is
//! Stage III before the Stage IV date (GB 20891-2014 amendment: all ≤ 560 kW machinery made or
//! sold from 2022-12-01) and Stage IV after it, pro-rated within the year. Emission = kW × hours
//! × load factor × g/kWh, where g/kWh = type-approval limit × in-use factor (DATA.md §5: no
//! measured factors found; status assumption). Diesel = kWh × specific fuel consumption.
//!
//! Wedge `nonroad.stage4` (NOx and VOCs): a frozen fleet whose new machinery stays Stage III,
//! minus the scenario fleet. Ledger: `fuel_tce[Transport][Oil]`, `nox_t[NonRoad]`,
//! `vocs_t[NonRoad]`, `frozen_t[1]`, `frozen_t[2]` (frozen-fleet NOx / VOCs).

use super::fleet::{RPath, Ranged, date, frac_after, opt_scalar, path, scalar};
use super::reconcile::Component;
use super::{
    Cause, EnergySector, Fuel, Ledger, ModelError, Pollutant, PollutantSector, Project, Resolver,
    WedgeRegistry, YearCtx,
};

/// Emission stages, oldest first (stage 1 includes pre-stage machinery).
pub const STAGES: [&str; N_STAGES] = ["stage1", "stage2", "stage3", "stage4"];
/// Number of stages.
pub const N_STAGES: usize = 4;
const S3: usize = 2;
const S4: usize = 3;
/// GB/T 2589-2020: diesel 1.4571 tce/t.
const DIESEL_TCE_PER_T: f64 = 1.4571;

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct NonRoadInputs {
    power_2020_kw: Ranged,
    share_2020: [Option<Ranged>; N_STAGES],
    growth: RPath,
    retire: Ranged,
    hours: RPath,
    load_factor: Ranged,
    limit_nox: [Ranged; N_STAGES],
    limit_vocs: [Ranged; N_STAGES],
    in_use_nox: Ranged,
    in_use_vocs: Ranged,
    stage4_date: Ranged,
    sfc_g_kwh: Ranged,
    slots: [usize; 2],
}

/// Per-draw state carried from year to year: [frozen, scenario] × stage (kW).
#[derive(Debug, Clone, Default)]
pub struct NonRoadState {
    /// Installed power (kW) by variant (0 frozen, 1 scenario) × stage.
    pub kw: [[f64; N_STAGES]; 2],
    /// Target installed power (kW).
    pub target_kw: f64,
    /// kW retired this year by variant × stage.
    pub retired_kw: [[f64; N_STAGES]; 2],
    /// New kW this year by variant × stage.
    pub new_kw: [[f64; N_STAGES]; 2],
    /// The 2020 machinery still in the scenario fleet (kW) by stage.
    pub cohort_kw: [f64; N_STAGES],
    /// kWh per kW in the base year and in the previous year.
    kwh_per_kw: [f64; 2],
    /// Running sums over the years so far, [NOx, VOCs] (t): last full-year emission of the
    /// pre-Stage III 2020 machinery retired, of the other 2020 machinery retired, and the
    /// activity change of all retired 2020 machinery up to their last full year.
    retired_old: [f64; 2],
    retired_other: [f64; 2],
    retired_growth: [f64; 2],
}

impl NonRoadInputs {
    /// Resolves this sector's inputs and registers its measures.
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let mut share_2020 = [None; N_STAGES];
        for (k, st) in STAGES.iter().enumerate() {
            share_2020[k] = opt_scalar(r, &format!("nonroad.share_2020.{st}"), 0.0, 1.0)?;
        }
        if share_2020.iter().all(Option::is_none) {
            return Err(ModelError::MissingInput {
                name: "nonroad.share_2020.*".into(),
                scenario: r.scenario().meta.id.clone(),
            });
        }
        let mut limit_nox = [Ranged::default(); N_STAGES];
        let mut limit_vocs = [Ranged::default(); N_STAGES];
        for (k, st) in STAGES.iter().enumerate() {
            limit_nox[k] = scalar(r, &format!("nonroad.limit.{st}.nox_g_kwh"), 0.0, 50.0)?;
            limit_vocs[k] = scalar(r, &format!("nonroad.limit.{st}.vocs_g_kwh"), 0.0, 50.0)?;
        }
        let slots = [
            w.add(
                "nonroad.stage4.nox",
                "Non-road machinery Stage IV",
                "非道路移动机械第四阶段排放标准",
                Pollutant::Nox,
            ),
            w.add(
                "nonroad.stage4.vocs",
                "Non-road machinery Stage IV",
                "非道路移动机械第四阶段排放标准",
                Pollutant::Vocs,
            ),
        ];
        Ok(NonRoadInputs {
            power_2020_kw: scalar(r, "nonroad.power_2020_kw", 0.0, 1e9)?,
            share_2020,
            growth: path(r, "nonroad.growth", -0.5, 0.5)?,
            retire: scalar(r, "nonroad.retire", 0.0, 1.0)?,
            hours: path(r, "nonroad.hours", 0.0, 8760.0)?,
            load_factor: scalar(r, "nonroad.load_factor", 0.0, 1.0)?,
            limit_nox,
            limit_vocs,
            in_use_nox: scalar(r, "nonroad.in_use_factor.nox", 0.1, 10.0)?,
            in_use_vocs: scalar(r, "nonroad.in_use_factor.vocs", 0.1, 10.0)?,
            stage4_date: date(r, "nonroad.date.stage4")?,
            sfc_g_kwh: scalar(r, "nonroad.sfc_g_kwh", 0.0, 1000.0)?,
            slots,
        })
    }

    /// Books the machinery's ledger (MODEL.md §4): pre-Stage III 2020 machinery retired as
    /// closures (moved to 新增量 (c) by the model when the option says so), other retired 2020
    /// machinery as leavers (c), machinery added after 2020 as new sources (a), and the
    /// activity change of the 2020 machinery (b).
    fn book(
        &self,
        state: &NonRoadState,
        ef: &[[f64; 2]; N_STAGES],
        kwh_per_kw: f64,
        ledger: &mut Ledger,
    ) {
        let kwh0 = state.kwh_per_kw[0];
        let (mut new, mut growth) = ([0.0; 2], state.retired_growth);
        for (k, efk) in ef.iter().enumerate() {
            let (c, all) = (state.cohort_kw[k], state.kw[1][k]);
            for p in 0..2 {
                new[p] += (all - c) * kwh_per_kw * efk[p];
                growth[p] += c * (kwh_per_kw - kwh0) * efk[p];
            }
        }
        let b = &mut ledger.book;
        b.cut(
            Project::MachineryNaturalRetirement,
            state.retired_old[0],
            state.retired_old[1],
        );
        b.add(
            Cause::FleetLeavers,
            -state.retired_other[0],
            -state.retired_other[1],
        );
        b.add(Cause::NewMachinery, new[0], new[1]);
        b.add(Cause::Growth, growth[0], growth[1]);
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> NonRoadState {
        NonRoadState::default()
    }

    /// Simulates year `ctx.t`, adding fuels and emissions to `ledger` and reductions to `wedges`.
    // Index loops mirror the variant × stage tables.
    #[allow(clippy::needless_range_loop)]
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut NonRoadState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        let t = ctx.t;
        let (iun, iuv) = (self.in_use_nox.get(draw), self.in_use_vocs.get(draw));
        // t per kWh by stage, [NOx, VOCs].
        let ef: [[f64; 2]; N_STAGES] = std::array::from_fn(|k| {
            [
                self.limit_nox[k].get(draw) * iun * 1e-6,
                self.limit_vocs[k].get(draw) * iuv * 1e-6,
            ]
        });
        if t == 0 {
            state.retired_old = [0.0; 2];
            state.retired_other = [0.0; 2];
            state.retired_growth = [0.0; 2];
            let total = self.power_2020_kw.get(draw);
            let sum: f64 = self.share_2020.iter().flatten().map(|x| x.get(draw)).sum();
            state.target_kw = total;
            for v in 0..2 {
                for k in 0..N_STAGES {
                    let sh = self.share_2020[k].map_or(0.0, |x| x.get(draw));
                    state.kw[v][k] = if sum > 0.0 { total * sh / sum } else { 0.0 };
                    state.retired_kw[v][k] = 0.0;
                    state.new_kw[v][k] = 0.0;
                }
            }
        } else {
            state.target_kw *= 1.0 + self.growth.at(t, draw);
            let ret = self.retire.get(draw);
            // 2020 machinery leaving this year: its last full-year emission (MODEL.md §4).
            let [kwh0, kwh_prev] = state.kwh_per_kw;
            for (k, efk) in ef.iter().enumerate() {
                let gone = state.cohort_kw[k] * ret;
                state.cohort_kw[k] -= gone;
                for p in 0..2 {
                    let last = gone * kwh_prev * efk[p];
                    if k < S3 {
                        state.retired_old[p] += last;
                    } else {
                        state.retired_other[p] += last;
                    }
                    state.retired_growth[p] += gone * (kwh_prev - kwh0) * efk[p];
                }
            }
            let f4 = frac_after(ctx.year, self.stage4_date.get(draw));
            for v in 0..2 {
                let mut surv = 0.0;
                for k in 0..N_STAGES {
                    let r = state.kw[v][k] * ret;
                    state.retired_kw[v][k] = r;
                    state.kw[v][k] -= r;
                    surv += state.kw[v][k];
                    state.new_kw[v][k] = 0.0;
                }
                let new = (state.target_kw - surv).max(0.0);
                let s4 = if v == 1 { f4 } else { 0.0 };
                state.new_kw[v][S4] = new * s4;
                state.new_kw[v][S3] = new * (1.0 - s4);
                state.kw[v][S4] += state.new_kw[v][S4];
                state.kw[v][S3] += state.new_kw[v][S3];
            }
        }
        // kWh delivered per kW installed this year.
        let kwh_per_kw = self.hours.at(t, draw) * self.load_factor.get(draw);
        if t == 0 {
            state.cohort_kw = state.kw[1];
            state.kwh_per_kw = [kwh_per_kw; 2];
        }
        self.book(state, &ef, kwh_per_kw, ledger);
        state.kwh_per_kw[1] = kwh_per_kw;
        let mut nox = [0.0; 2];
        let mut vocs = [0.0; 2];
        for v in 0..2 {
            for k in 0..N_STAGES {
                let kwh = state.kw[v][k] * kwh_per_kw;
                nox[v] += kwh * ef[k][0];
                vocs[v] += kwh * ef[k][1];
            }
        }
        let kwh: f64 = state.kw[1].iter().sum::<f64>() * kwh_per_kw;
        // Fuel per kWh at the reconciled oil intensity (MODEL.md §5); emissions per kWh.
        let k = ctx.fuel.of(Component::NonRoad)[Fuel::Oil as usize];
        let diesel_t = kwh * self.sfc_g_kwh.get(draw) * 1e-6 * k;
        ledger.burn(
            EnergySector::Transport,
            Fuel::Oil,
            diesel_t * DIESEL_TCE_PER_T,
        );
        // After the base year at its NOx and VOCs reconciliation factors (MODEL.md §5).
        let [kn, kv] = ctx.emission.of(Component::NonRoad);
        ledger.nox_t[PollutantSector::NonRoad as usize] += nox[1] * kn;
        ledger.vocs_t[PollutantSector::NonRoad as usize] += vocs[1] * kv;
        ledger.frozen_t[1] += nox[0];
        ledger.frozen_t[2] += vocs[0];
        wedges[self.slots[0]] += (nox[0] - nox[1]) * kn;
        wedges[self.slots[1]] += (vocs[0] - vocs[1]) * kv;
    }
}

#[cfg(test)]
mod tests {
    use super::super::fleet::test_support::*;
    use super::*;

    fn run(params: Vec<crate::scenario::Param>) -> (Vec<NonRoadState>, Vec<Ledger>, Vec<Vec<f64>>) {
        let s = scenario(params);
        let mut w = WedgeRegistry::default();
        let n = NonRoadInputs::resolve(&Resolver::new(&s), &mut w).expect("resolves");
        let d = draw_of(&s);
        let mut st = n.new_state();
        let (mut ss, mut ls, mut ws) = (vec![], vec![], vec![]);
        for t in 0..6 {
            let mut l = Ledger::default();
            let mut wv = vec![0.0; w.len()];
            n.step(&ctx(t), &d, &mut st, &mut l, &mut wv);
            ss.push(st.clone());
            ls.push(l);
            ws.push(wv);
        }
        (ss, ls, ws)
    }

    #[test]
    fn stage4_only_after_its_date_and_conservation() {
        let (ss, ls, ws) = run(central_params());
        for t in 1..6 {
            for v in 0..2 {
                let prev: f64 = ss[t - 1].kw[v].iter().sum();
                let now: f64 = ss[t].kw[v].iter().sum();
                let r: f64 = ss[t].retired_kw[v].iter().sum();
                let n: f64 = ss[t].new_kw[v].iter().sum();
                assert!((now - (prev - r + n)).abs() <= 1e-9 * prev);
            }
            // Stage IV from 2022-12-01: none in 2021, one month's worth in 2022, all after.
            let n = ss[t].new_kw[1];
            let tot = n[S3] + n[S4];
            match 2020 + t {
                2021 => assert_eq!(n[S4], 0.0),
                2022 => assert!((n[S4] / tot - 31.0 / 365.0).abs() < 1e-9),
                _ => assert_eq!(n[S3], 0.0),
            }
            assert_eq!(ss[t].new_kw[0][S4], 0.0, "the frozen fleet buys Stage III");
        }
        for (l, w) in ls.iter().zip(&ws) {
            let e = l.nox_t[PollutantSector::NonRoad as usize];
            assert!((l.frozen_t[1] - w[0] - e).abs() <= 1e-9 * e);
            let e = l.vocs_t[PollutantSector::NonRoad as usize];
            assert!((l.frozen_t[2] - w[1] - e).abs() <= 1e-9 * e);
        }
        assert!(ws[5][0] > 0.0);
    }

    #[test]
    fn bad_inputs_name_the_key() {
        for (name, v) in [
            ("nonroad.load_factor", 1.3),
            ("nonroad.date.stage4", 2019.0),
            ("nonroad.power_2020_kw", -1.0),
        ] {
            let s = scenario(with(central_params(), &[(name, v)]));
            match NonRoadInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default()) {
                Err(ModelError::BadInput { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: expected BadInput, got {other:?}"),
            }
        }
    }
}
