//! VOCs sources: solvent use, processes, fuel distribution (MODEL.md §3.6). Road-transport VOCs
//! come from `fleet`, non-road from `nonroad`, the residual ("other") from the energy half.
//!
//! Solvent use by mass balance (coatings, inks, adhesives): emission = product use ×
//! [s·c_solvent + (1 − s)·c_low] × (1 − removal), with s the solvent-based share and removal the
//! overall (capture × treatment) efficiency. DATA.md §3b gives the 2020 solvent-use VOCs, so
//! the product use is backed out of the 2020 balance and then grows with industrial value added.
//! The plan cuts s by 20 (coatings) and 15 (inks) percentage points and solvent adhesive use by
//! 20 % (`share_cut`: absolute for coatings and inks, relative for adhesives).
//! Process sources (petrochemical, chemical): emission = generated × (1 − removal), generated
//! backed out of the 2020 emission and grown with industrial value added.
//! Fuel distribution: gasoline throughput × evaporation factor × (1 − coverage × efficiency),
//! where throughput = the local fleet's gasoline (`Ledger::fleet_gasoline_t`, written by
//! `fleet` and the CNG taxis' replacements, which run before this module) ÷ (1 − non-fleet
//! share): gasoline sold for non-road use and to vehicles registered elsewhere (DATA.md §3c),
//! so fewer or electric cars sell less gasoline.
//!
//! Wedges (VOCs), sequential within a category — substitution first, then removal:
//! `vocs.substitution.{coatings,inks,adhesives}`, `vocs.removal.{coatings,inks,adhesives,
//! petrochemical,chemical}`, `vocs.vapour_recovery`. Frozen = 2020 shares, removal, coverage
//! and efficiency (the path values at the base year); a removal path below its 2020 value is
//! read as "no change" (the plan raises removal to at least its target). Ledger: `vocs_t[SolventUse]`,
//! `vocs_t[Process]`, `vocs_t[FuelDistribution]`, `frozen_t[2]`.

use super::fleet::{RPath, Ranged, path, scalar};
use super::reconcile::Component;
use super::{
    Cause, Ledger, ModelError, Pollutant, PollutantSector, Project, Resolver, WedgeRegistry,
    YearCtx,
};

/// Substitution projects of the solvent categories, in [`SOLVENTS`] order.
const SUBSTITUTION: [Project; 3] = [
    Project::SubstitutionCoatings,
    Project::SubstitutionInks,
    Project::SubstitutionAdhesives,
];
/// Treatment projects of the solvent categories then the processes.
const TREATMENT: [Project; 5] = [
    Project::TreatmentCoatings,
    Project::TreatmentInks,
    Project::TreatmentAdhesives,
    Project::TreatmentPetrochemical,
    Project::TreatmentChemical,
];

/// Solvent-use categories.
pub const SOLVENTS: [&str; 3] = ["coatings", "inks", "adhesives"];
/// Process categories.
pub const PROCESSES: [&str; 2] = ["petrochemical", "chemical"];
const ADHESIVES: usize = 2;
/// Largest allowed removal efficiency (keeps the 2020 back-calculation finite).
const MAX_REMOVAL: f64 = 0.99;

#[derive(Debug, Clone)]
struct Solvent {
    fraction_2020: Ranged,
    solvent_share_2020: Ranged,
    share_cut: RPath,
    content_solvent: Ranged,
    content_low: Ranged,
    removal: RPath,
    slot_sub: usize,
    slot_rem: usize,
}

#[derive(Debug, Clone)]
struct Process {
    vocs_2020_t: Ranged,
    removal: RPath,
    slot: usize,
}

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone)]
pub struct VocsInputs {
    solvent_total_2020_t: Ranged,
    solvents: Vec<Solvent>,
    processes: Vec<Process>,
    non_fleet_share: RPath,
    evaporation_kg_t: Ranged,
    recovery_coverage: RPath,
    recovery_efficiency: RPath,
    slot_vapour: usize,
}

/// Base-year quantities of one solvent category in one draw.
#[derive(Debug, Clone, Copy, Default)]
struct SolventDraw {
    /// 2020 emission of the category (t).
    e0: f64,
    /// VOC content of solvent-based products.
    cs: f64,
    /// VOC content of low-VOC products.
    cl: f64,
    /// 2020 solvent-based share.
    sh0: f64,
    /// 2020 removal efficiency.
    r0: f64,
    /// Mean VOC content at the 2020 share.
    content0: f64,
    /// `content0 × (1 − r0)`: emission per unit of product use in 2020.
    denom: f64,
}

/// Base-year quantities of the VOCs sources in one draw.
#[derive(Debug, Clone, Copy, Default)]
struct VocsDraw {
    solvents: [SolventDraw; SOLVENTS.len()],
    /// Per process: (2020 emission t, 2020 removal).
    processes: [(f64, f64); PROCESSES.len()],
    evaporation_kg_t: f64,
    /// Vapour-recovery control (coverage × efficiency) in the base year.
    ctl0: f64,
    /// Gasoline throughput in the base year (t).
    throughput0_t: f64,
}

/// Per-draw state: the draw's base-year quantities that every year compares with, set in the
/// base year (once per draw rather than once per year).
#[derive(Debug, Clone, Default)]
pub struct VocsState {
    constants: VocsDraw,
}

/// Mean VOC content of solvent category `k` after the share cut `c` (absolute for coatings and
/// inks, relative for adhesives), from the 2020 share `sh0` and the two contents.
#[inline]
fn solvent_content(k: usize, sh0: f64, cs: f64, cl: f64, c: f64) -> f64 {
    let share = if k == ADHESIVES {
        sh0 * (1.0 - c)
    } else {
        (sh0 - c).max(0.0)
    };
    share * cs + (1.0 - share) * cl
}

impl VocsInputs {
    /// Resolves this sector's inputs and registers its measures.
    pub fn resolve(r: &Resolver, w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        let mut solvents = Vec::with_capacity(3);
        for (k, c) in SOLVENTS.iter().enumerate() {
            let p = |x: &str| format!("vocs.solvent.{c}.{x}");
            solvents.push(Solvent {
                fraction_2020: scalar(r, &p("fraction_2020"), 0.0, 1.0)?,
                solvent_share_2020: scalar(r, &p("solvent_share_2020"), 0.0, 1.0)?,
                share_cut: path(r, &p("share_cut"), 0.0, 1.0)?,
                content_solvent: scalar(r, &p("voc_content_solvent"), 0.0, 1.0)?,
                content_low: scalar(r, &p("voc_content_low"), 0.0, 1.0)?,
                removal: path(r, &p("removal"), 0.0, MAX_REMOVAL)?,
                slot_sub: w.add(
                    &format!("vocs.substitution.{c}"),
                    &format!("Low-VOC substitution: {c}"),
                    match k {
                        0 => "低VOCs含量涂料替代",
                        1 => "低VOCs含量油墨替代",
                        _ => "溶剂型胶粘剂减量",
                    },
                    Pollutant::Vocs,
                ),
                slot_rem: w.add(
                    &format!("vocs.removal.{c}"),
                    &format!("VOCs treatment: {c}"),
                    match k {
                        0 => "工业涂装VOCs综合治理",
                        1 => "包装印刷VOCs综合治理",
                        _ => "胶粘剂使用VOCs治理",
                    },
                    Pollutant::Vocs,
                ),
            });
        }
        let mut processes = Vec::with_capacity(2);
        for (k, c) in PROCESSES.iter().enumerate() {
            let p = |x: &str| format!("vocs.process.{c}.{x}");
            processes.push(Process {
                vocs_2020_t: scalar(r, &p("vocs_2020_t"), 0.0, 1e6)?,
                removal: path(r, &p("removal"), 0.0, MAX_REMOVAL)?,
                slot: w.add(
                    &format!("vocs.removal.{c}"),
                    &format!("VOCs treatment: {c} processes"),
                    if k == 0 {
                        "石化行业VOCs综合治理"
                    } else {
                        "化工行业VOCs综合治理"
                    },
                    Pollutant::Vocs,
                ),
            });
        }
        let slot_vapour = w.add(
            "vocs.vapour_recovery",
            "Vapour recovery at filling stations, depots, tank trucks",
            "加油站、储油库、油罐车油气回收",
            Pollutant::Vocs,
        );
        Ok(VocsInputs {
            solvent_total_2020_t: scalar(r, "vocs.solvent.total_2020_t", 0.0, 1e6)?,
            solvents,
            processes,
            non_fleet_share: path(r, "vocs.fuel.non_fleet_share", 0.0, 0.95)?,
            evaporation_kg_t: scalar(r, "vocs.fuel.evaporation_kg_t", 0.0, 20.0)?,
            recovery_coverage: path(r, "vocs.fuel.recovery_coverage", 0.0, 1.0)?,
            recovery_efficiency: path(r, "vocs.fuel.recovery_efficiency", 0.0, 1.0)?,
            slot_vapour,
        })
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> VocsState {
        VocsState::default()
    }

    /// Simulates year `ctx.t`, adding emissions to `ledger` and reductions to `wedges`; in the
    /// base year first sets `state` to the draw's base-year quantities.
    pub fn step(
        &self,
        ctx: &YearCtx,
        draw: &[f64],
        state: &mut VocsState,
        ledger: &mut Ledger,
        wedges: &mut [f64],
    ) {
        if ctx.t == 0 {
            state.constants = self.draw_constants(draw);
        }
        let c = &state.constants;
        let t = ctx.t;
        let va = ctx.industry_va_index;
        let mut frozen = 0.0;
        // After the base year at its VOCs reconciliation factor (MODEL.md §5; the book scales
        // itself).
        let kv = ctx.emission.of(Component::Vocs)[1];

        let mut solvent_t = 0.0;
        let mut growth = 0.0;
        for (k, (s, d)) in self.solvents.iter().zip(c.solvents.iter()).enumerate() {
            let cut = s.share_cut.at(t, draw);
            let rt = s.removal.at(t, draw).max(d.r0);
            let use_eq = if d.denom > 0.0 {
                d.e0 * va / d.denom
            } else {
                0.0
            };
            let content = solvent_content(k, d.sh0, d.cs, d.cl, cut);
            let f = use_eq * d.content0 * (1.0 - d.r0);
            let m = use_eq * content * (1.0 - d.r0);
            let e = use_eq * content * (1.0 - rt);
            wedges[s.slot_sub] += (f - m) * kv;
            wedges[s.slot_rem] += (m - e) * kv;
            frozen += f;
            solvent_t += e;
            // Ledger (MODEL.md §4): substitution valued at the 2020 removal, then treatment at
            // the new content (the same sequence as the wedges); growth at the 2020 factor.
            ledger.book.cut(SUBSTITUTION[k], 0.0, f - m);
            ledger.book.cut(TREATMENT[k], 0.0, m - e);
            let f0 = if d.denom > 0.0 { d.e0 } else { 0.0 };
            growth += f - f0;
        }
        ledger.vocs_t[PollutantSector::SolventUse as usize] += solvent_t * kv;

        let mut process_t = 0.0;
        for (k, (p, &(v0, r0))) in self.processes.iter().zip(c.processes.iter()).enumerate() {
            let rt = p.removal.at(t, draw).max(r0);
            let generated = v0 * va / (1.0 - r0);
            let f = generated * (1.0 - r0);
            let e = generated * (1.0 - rt);
            wedges[p.slot] += (f - e) * kv;
            frozen += f;
            process_t += e;
            ledger.book.cut(TREATMENT[SOLVENTS.len() + k], 0.0, f - e);
            growth += f - v0;
        }
        ledger.vocs_t[PollutantSector::Process as usize] += process_t * kv;

        let throughput_t = ledger.fleet_gasoline_t / (1.0 - self.non_fleet_share.at(t, draw));
        if t == 0 {
            state.constants.throughput0_t = throughput_t;
        }
        let c = &state.constants;
        let uncontrolled = throughput_t * c.evaporation_kg_t * 1e-3;
        let ctl = self.recovery_coverage.at(t, draw) * self.recovery_efficiency.at(t, draw);
        let f = uncontrolled * (1.0 - c.ctl0);
        let e = uncontrolled * (1.0 - ctl);
        wedges[self.slot_vapour] += (f - e) * kv;
        frozen += f;
        ledger.vocs_t[PollutantSector::FuelDistribution as usize] += e * kv;
        ledger.book.cut(Project::VapourRecovery, 0.0, f - e);
        let f0 = c.throughput0_t * c.evaporation_kg_t * 1e-3 * (1.0 - c.ctl0);
        growth += f - f0;
        ledger.book.add(Cause::Growth, 0.0, growth);

        ledger.frozen_t[2] += frozen;
    }

    /// The base-year quantities of one draw that every year compares with.
    fn draw_constants(&self, draw: &[f64]) -> VocsDraw {
        let mut c = VocsDraw::default();
        let total = self.solvent_total_2020_t.get(draw);
        let fsum: f64 = self
            .solvents
            .iter()
            .map(|s| s.fraction_2020.get(draw))
            .sum();
        for (k, (s, out)) in self.solvents.iter().zip(c.solvents.iter_mut()).enumerate() {
            let e0 = if fsum > 0.0 {
                total * s.fraction_2020.get(draw) / fsum
            } else {
                0.0
            };
            let (cs, cl) = (s.content_solvent.get(draw), s.content_low.get(draw));
            let sh0 = s.solvent_share_2020.get(draw);
            let cut0 = s.share_cut.at(0, draw);
            let r0 = s.removal.at(0, draw);
            let content0 = solvent_content(k, sh0, cs, cl, cut0);
            *out = SolventDraw {
                e0,
                cs,
                cl,
                sh0,
                r0,
                content0,
                denom: content0 * (1.0 - r0),
            };
        }
        for (p, out) in self.processes.iter().zip(c.processes.iter_mut()) {
            *out = (p.vocs_2020_t.get(draw), p.removal.at(0, draw));
        }
        c.evaporation_kg_t = self.evaporation_kg_t.get(draw);
        c.ctl0 = self.recovery_coverage.at(0, draw) * self.recovery_efficiency.at(0, draw);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::super::fleet::test_support::*;
    use super::*;

    fn run(params: Vec<crate::scenario::Param>) -> (Vec<Ledger>, Vec<Vec<f64>>) {
        run_with_state(
            params,
            |r, w| VocsInputs::resolve(r, w).expect("resolves"),
            VocsInputs::new_state,
            |m, c, d, st, l, w| {
                // A fleet burning ≈ 39万 t of gasoline (DATA.md §3c), as `fleet` writes it.
                l.fleet_gasoline_t = 390_000.0;
                m.step(c, d, st, l, w)
            },
        )
    }

    #[test]
    fn base_year_resets_a_state_left_by_another_draw() {
        let s = scenario(central_params());
        let mut w = WedgeRegistry::default();
        let m = VocsInputs::resolve(&Resolver::new(&s), &mut w).expect("resolves");
        let d = draw_of(&s);
        let mut other = d.clone();
        let k = s.index_of("vocs.solvent.total_2020_t").expect("present");
        other[k] *= 3.0;
        let years = |st: &mut VocsState, draw: &[f64]| {
            let mut out = vec![];
            for t in 0..6 {
                let mut l = Ledger::default();
                let mut wv = vec![0.0; w.len()];
                m.step(&ctx(t), draw, st, &mut l, &mut wv);
                out.push((l.vocs_t, l.frozen_t, wv));
            }
            out
        };
        let fresh = years(&mut m.new_state(), &d);
        let mut reused = m.new_state();
        let tripled = years(&mut reused, &other);
        assert_ne!(tripled, fresh, "the draws differ");
        assert_eq!(years(&mut reused, &d), fresh);
    }

    #[test]
    fn base_year_reproduces_solvent_total_and_identity_holds() {
        let s = scenario(central_params());
        let total = draw_of(&s)[s.index_of("vocs.solvent.total_2020_t").expect("present")];
        let (ls, ws) = run(central_params());
        let e0 = ls[0].vocs_t[PollutantSector::SolventUse as usize];
        assert!((e0 - total).abs() <= 1e-9 * total);
        for (l, w) in ls.iter().zip(&ws) {
            let e = l.vocs_total_t();
            let sw: f64 = w.iter().sum();
            assert!((l.frozen_t[2] - sw - e).abs() <= 1e-9 * e);
        }
        assert!(ws[0].iter().all(|&x| x.abs() < 1e-9));
        // Every plan measure reduces; adhesives have no removal target (slot 5) in the plan.
        for (m, &x) in ws[5].iter().enumerate() {
            if m == 5 {
                assert_eq!(x, 0.0);
            } else {
                assert!(x > 0.0, "measure {m}: {x}");
            }
        }
    }

    #[test]
    fn bad_inputs_name_the_key() {
        for (name, v) in [
            ("vocs.solvent.inks.solvent_share_2020", 1.1),
            ("vocs.fuel.recovery_efficiency@2025", 1.5),
            ("vocs.fuel.non_fleet_share", 0.99),
        ] {
            let s = scenario(with(central_params(), &[(name, v)]));
            match VocsInputs::resolve(&Resolver::new(&s), &mut WedgeRegistry::default()) {
                Err(ModelError::BadInput { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: expected BadInput, got {other:?}"),
            }
        }
    }
}
