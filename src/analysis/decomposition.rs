//! LMDI decomposition of each draw's CO₂ change from the base year to every later year
//! (additive LMDI-I, Ang 2004 Energy Policy 32:1131; zero values per Ang & Liu 2007 — see
//! [`super::lmdi`]).
//!
//! **Identity.** With carriers f ∈ {coal, oil, gas, net imported electricity}:
//!
//! C = Σ_f GDP · (E/GDP) · (E_f/E) · (C_f/E_f) + X
//!
//! - GDP: `Ledger::gdp_yuan_1e8`; E: `Ledger::energy_total_tce`, the energy the
//!   energy-intensity indicator uses, so the intensity effect follows that indicator;
//! - E_f: the accounted carriers `Ledger::energy_by_carrier_tce` (coal, oil, gas, and net imports
//!   when positive). Non-fossil electricity and biomass are part of E but carry no CO₂, so they
//!   are no subcategory of the sum: a rising non-fossil share shows as a negative fuel-mix effect;
//! - C_f: oil and gas CO₂ (`Ledger::co2_by_carrier_t`); coal: the coal CO₂ factor × the
//!   accounted coal carrier; imports: net import × grid factor when positive. So C_f/E_f is the
//!   fuel's CO₂ factor, or the grid factor over the coal-equivalent rate for imports;
//! - X, the **net-export term** (≤ 0 or small): under `"net"` accounting a net export nets the
//!   exported power's coal out of the coal carrier, while CO₂ keeps all coal burnt and credits
//!   the export at the grid factor. X = CO₂ of that exported coal + (negative) export × grid
//!   factor; it is 0 without a net export. LMDI needs non-negative factors, so X enters as the
//!   separate additive term ΔX = X^T − X^0. In `plan`, 44–69 % of draws export on net
//!   (depending on the year), so this term matters.
//!
//! **Effects** (t CO₂, summing exactly to C^T − C^0):
//! activity (GDP), intensity (E/GDP), fuel mix (E_f/E of coal, oil and gas), emission factor
//! (C_f/E_f of coal, oil and gas), and electricity trade = the mix and factor terms of the
//! imported-electricity subcategory + ΔX. Zero carriers (e.g. no import in one year) follow the
//! Ang & Liu limits: a carrier appearing from 0 gives its whole CO₂ to the factors that were 0
//! (its share and its factor, both import terms).

use super::AnalysisError;
use super::lmdi::lmdi_additive;
use crate::model::{Fuel, Ledger};

/// Number of reported effects.
pub const N_EFFECTS: usize = 5;

/// Names of the effects, in [`Decomposition::effects`] order.
pub const EFFECT_NAMES: [&str; N_EFFECTS] = [
    "activity",
    "intensity",
    "fuel_mix",
    "emission_factor",
    "electricity_trade",
];

/// Chinese and English labels of the effects.
pub const EFFECT_LABELS: [(&str, &str); N_EFFECTS] = [
    ("经济规模(GDP)", "Activity (GDP)"),
    ("能耗强度", "Energy intensity (E/GDP)"),
    ("能源结构", "Fuel mix"),
    ("排放因子", "Emission factors"),
    ("电力调入调出", "Electricity trade"),
];

/// The decomposition of one draw's CO₂ change between two years.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decomposition {
    /// CO₂ in the base year (t).
    pub co2_base_t: f64,
    /// CO₂ in the later year (t).
    pub co2_t: f64,
    /// Effects (t), in [`EFFECT_NAMES`] order; they sum to `co2_t − co2_base_t`.
    pub effects: [f64; N_EFFECTS],
}

impl Decomposition {
    /// C^T − C^0.
    pub fn total_change(&self) -> f64 {
        self.co2_t - self.co2_base_t
    }
    /// Σ effects − total change (zero up to rounding).
    pub fn residual(&self) -> f64 {
        self.effects.iter().sum::<f64>() - self.total_change()
    }
}

const N_SUB: usize = 4; // coal, oil, gas, imports

/// GDP, E and per-subcategory (E_f, C_f), plus the export term X.
struct Parts {
    gdp: f64,
    e: f64,
    sub: [(f64, f64); N_SUB],
    x: f64,
}

fn parts(l: &Ledger, which: &'static str) -> Result<Parts, AnalysisError> {
    let c = &l.energy_by_carrier_tce;
    let co2 = &l.co2_by_carrier_t;
    let e = l.energy_total_tce;
    for (is_gdp, v) in [(true, l.gdp_yuan_1e8), (false, e)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(AnalysisError::InvalidParameter {
                name: match (which, is_gdp) {
                    ("0", true) => "base-year GDP for LMDI",
                    ("0", false) => "base-year energy total for LMDI",
                    (_, true) => "GDP for LMDI",
                    _ => "energy total for LMDI",
                },
                value: v,
                allowed: "> 0",
            });
        }
    }
    // Coal CO₂ of the accounted (retained) coal; the rest belongs to the net-export term.
    let coal_burnt: f64 = l.fuel_tce.iter().map(|s| s[Fuel::Coal as usize]).sum();
    let coal_c = if coal_burnt > 0.0 {
        co2[0] * (c[0] / coal_burnt)
    } else {
        0.0
    };
    let (imp_e, imp_c, export_credit) = if co2[5] >= 0.0 && c[5] > 0.0 {
        (c[5], co2[5], 0.0)
    } else {
        (0.0, 0.0, co2[5])
    };
    Ok(Parts {
        gdp: l.gdp_yuan_1e8,
        e,
        sub: [
            (c[0], coal_c),
            (c[1], co2[1]),
            (c[2], co2[2]),
            (imp_e, imp_c),
        ],
        x: (co2[0] - coal_c) + export_credit,
    })
}

/// Factor rows [GDP, E/GDP, E_f/E, C_f/E_f] of subcategory i (C_f/E_f = 0 when E_f = 0).
fn factors(p: &Parts, i: usize) -> Vec<Vec<f64>> {
    let (ef, cf) = p.sub[i];
    let factor = if ef > 0.0 { cf / ef } else { 0.0 };
    vec![vec![p.gdp], vec![p.e / p.gdp], vec![ef / p.e], vec![factor]]
}

/// Decomposes the CO₂ change from `base` to `later` (identity in the module docs).
///
/// Errors when GDP or energy is not positive, or a carrier is negative (LMDI needs logs).
pub fn decompose(base: &Ledger, later: &Ledger) -> Result<Decomposition, AnalysisError> {
    let p0 = parts(base, "0")?;
    let pt = parts(later, "T")?;
    let mut effects = [0.0; N_EFFECTS];
    for i in 0..N_SUB {
        let r = lmdi_additive(&factors(&p0, i), &factors(&pt, i))?;
        effects[0] += r.effects[0];
        effects[1] += r.effects[1];
        if i == N_SUB - 1 {
            effects[4] += r.effects[2] + r.effects[3];
        } else {
            effects[2] += r.effects[2];
            effects[3] += r.effects[3];
        }
    }
    effects[4] += pt.x - p0.x;
    Ok(Decomposition {
        co2_base_t: base.co2_total_t,
        co2_t: later.co2_total_t,
        effects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnergySector, Model};
    use crate::scenario::load_embedded;
    use crate::uncertainty::Sampler;

    fn ledger(gdp: f64, coal: f64, oil: f64, nf: f64, imp: f64, grid: f64) -> Ledger {
        let mut l = Ledger {
            gdp_yuan_1e8: gdp,
            ..Ledger::default()
        };
        l.burn(EnergySector::Industry, Fuel::Coal, coal);
        l.burn(EnergySector::Transport, Fuel::Oil, oil);
        l.energy_by_carrier_tce = [coal, oil, 0.0, nf, 0.0, imp.max(0.0)];
        l.co2_by_carrier_t = [coal * 2.7, oil * 2.15, 0.0, 0.0, 0.0, imp * grid];
        l.co2_total_t = l.co2_by_carrier_t.iter().sum();
        l.energy_total_tce = l.energy_by_carrier_tce.iter().sum();
        l
    }

    #[test]
    fn activity_alone_takes_the_whole_change() {
        let a = ledger(100.0, 50.0, 20.0, 5.0, 10.0, 2.0);
        let b = ledger(110.0, 55.0, 22.0, 5.5, 11.0, 2.0);
        let d = decompose(&a, &b).unwrap();
        assert!((d.effects[0] - d.total_change()).abs() < 1e-9 * d.co2_t);
        for e in &d.effects[1..] {
            assert!(e.abs() < 1e-9 * d.co2_t, "{d:?}");
        }
    }

    #[test]
    fn grid_factor_change_is_an_import_effect() {
        let a = ledger(100.0, 50.0, 20.0, 5.0, 10.0, 2.0);
        let b = ledger(100.0, 50.0, 20.0, 5.0, 10.0, 1.5);
        let d = decompose(&a, &b).unwrap();
        assert!((d.total_change() + 5.0).abs() < 1e-12);
        assert!((d.effects[4] + 5.0).abs() < 1e-9, "{d:?}");
        assert!(d.effects[..4].iter().all(|e| e.abs() < 1e-9));
    }

    #[test]
    fn net_export_enters_as_a_separate_term_and_sums_exactly() {
        // Imports 10 → net export 4 (credit −8 t at grid factor 2).
        let a = ledger(100.0, 50.0, 20.0, 5.0, 10.0, 2.0);
        let mut b = ledger(120.0, 52.0, 21.0, 30.0, -4.0, 2.0);
        // The exported power's coal (2 tce) is netted out of the accounted coal carrier.
        b.energy_by_carrier_tce[0] -= 2.0;
        b.energy_total_tce -= 2.0;
        let d = decompose(&a, &b).unwrap();
        assert!(d.residual().abs() < 1e-9 * d.co2_base_t, "{d:?}");
        // Trade: the import subcategory disappears (−20), the export credit (−8) and the
        // exported coal's CO₂ (+5.4) appear.
        assert!((d.effects[4] - (-20.0 - 8.0 + 5.4)).abs() < 1e-9, "{d:?}");
    }

    #[test]
    fn effects_sum_exactly_for_every_draw_and_year_of_plan() {
        let s = load_embedded("plan").unwrap();
        let sampler = Sampler::new(&s).unwrap();
        let model = Model::new(&s).unwrap();
        let n = 300;
        let np = sampler.n_params();
        let mut params = vec![0.0; n * np];
        sampler.sample_block(7, 0, n, &mut params);
        let mut ws = model.workspace();
        let mut checked = 0;
        for row in params.chunks_exact(np) {
            model.simulate_into(row, &mut ws);
            let y = &ws.trajectory.years;
            for l in &y[1..] {
                let by: f64 = l.co2_by_carrier_t.iter().sum();
                assert!((by - l.co2_total_t).abs() <= 1e-9 * l.co2_total_t.abs());
                let d = decompose(&y[0], l).unwrap();
                let scale = d.co2_base_t.abs().max(d.co2_t.abs());
                assert!(d.residual().abs() <= 1e-9 * scale, "{d:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, n * 5);
    }
}
