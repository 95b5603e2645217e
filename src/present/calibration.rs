//! What `validate` prints of a scenario: the line saying it loads, the base-year results at
//! central values beside the base-year figures they must reproduce (MODEL.md §5: within
//! 0.5 %), and the reconciliation of energy by carrier, NOx and VOCs at central values with
//! the check on what the sectors leave for "other".

use crate::model::Trajectory;
use crate::model::reconcile::{
    CARRIER_IDS, COMPONENT_IDS, FLOOR_SHARE, N_CARRIERS, N_COMPONENTS, Reconciled,
};
use crate::present::tables::human;
use crate::scenario::Scenario;

/// The line `validate` prints for a file that loads: scenario id and counts of inputs
/// (uncertain among them), targets and measures.
pub(crate) fn validation_line(
    file: &str,
    s: &Scenario,
    n_uncertain: usize,
    n_measures: usize,
) -> String {
    format!(
        "{file}: ok — scenario '{}', {} inputs ({} uncertain), {} targets, {n_measures} measures",
        s.meta.id,
        s.params.len(),
        n_uncertain,
        s.targets.len(),
    )
}

/// Base-year results at central values (`traj`, the model run on `central`) next to the
/// base-year figures they must reproduce (MODEL.md §5: within 0.5 %), then the
/// reconciliation tables; empty when the trajectory has no year.
pub(crate) fn calibration_table(s: &Scenario, central: &[f64], traj: &Trajectory) -> String {
    let Some(b) = traj.years.first() else {
        return String::new();
    };
    let input = |name: &str| s.index_of(name).map(|i| central[i]);
    let energy_target =
        input("calibration.energy_intensity_tce_per_1e4_yuan").map(|i| i * b.gdp_yuan_1e8 * 1e4);
    // Always on the gross total (MODEL.md §1); a check value, not a calibration target.
    let share = if b.energy_gross_tce > 0.0 {
        b.nonfossil_primary_tce / b.energy_gross_tce
    } else {
        f64::NAN
    };
    let rows = [
        (
            "GDP",
            b.gdp_yuan_1e8,
            input("economy.gdp_base_yuan_1e8"),
            "亿元",
        ),
        (
            "energy consumption",
            b.energy_total_tce,
            energy_target,
            "tce",
        ),
        ("CO₂ (energy-related)", b.co2_total_t, None, "t"),
        ("NOx", b.nox_total_t(), input("calibration.nox_base_t"), "t"),
        (
            "VOCs",
            b.vocs_total_t(),
            input("calibration.vocs_base_t"),
            "t",
        ),
        ("non-fossil share", share, None, "fraction"),
        (
            "coal share",
            b.energy_by_carrier_tce[0] / b.energy_total_tce,
            input("calibration.coal_share"),
            "fraction",
        ),
        (
            "coal",
            b.energy_by_carrier_tce[0],
            input("calibration.coal_share")
                .zip(energy_target)
                .map(|(s, e)| s * e),
            "tce",
        ),
        (
            "oil products",
            b.energy_by_carrier_tce[1],
            input("calibration.oil_share")
                .zip(energy_target)
                .map(|(s, e)| s * e),
            "tce",
        ),
        (
            "natural gas",
            b.energy_by_carrier_tce[2],
            input("calibration.gas_share")
                .zip(energy_target)
                .map(|(s, e)| s * e),
            "tce",
        ),
    ];
    let mut out = format!(
        "  base year {} at central values:\n    {:<24} {:>16} {:>16} {:>9}\n",
        b.year, "quantity", "model", "base figure", "diff"
    );
    for (name, v, target, unit) in rows {
        let (t, d) = match target {
            Some(t) if t != 0.0 => (human(t, unit), format!("{:+.2} %", (v / t - 1.0) * 100.0)),
            _ => ("–".to_string(), String::new()),
        };
        out.push_str(&format!(
            "    {name:<24} {:>16} {t:>16} {d:>9}\n",
            human(v, unit)
        ));
    }
    if b.clamps > 0 {
        out.push_str(&format!(
            "    note: {} heat or power balance(s) clamped at zero in the base year\n",
            b.clamps
        ));
    }
    out.push_str(&reconciliation_table(&traj.reconciled, central, s));
    out
}

/// The components at central values before and after reconciliation — energy by carrier, then
/// NOx and VOCs — and the MODEL.md §5 check on "other": what the sectors leave of the total at
/// central values must be more than 5 % of it (printed as a warning naming the component and
/// the numbers, so that the shipped scenarios keep running).
fn reconciliation_table(r: &Reconciled, central: &[f64], s: &Scenario) -> String {
    let input = |name: &str| s.index_of(name).map(|i| central[i]).unwrap_or(f64::NAN);
    let mut out = String::from(
        "  energy reconciliation at central values (MODEL.md §5), tce:\n    component              coal before    coal after   factor    oil before     oil after   factor    gas before     gas after   factor\n",
    );
    for (k, id) in COMPONENT_IDS.iter().enumerate() {
        out.push_str(&format!("    {id:<18}"));
        for c in 0..N_CARRIERS {
            let (x, f) = (r.fuel_before_tce[c][k], r.fuel_factor.0[k][c]);
            out.push_str(&format!(" {:>13.0} {:>13.0} {:>8.4}", x, x * f, f));
        }
        out.push('\n');
    }
    for (c, name) in CARRIER_IDS.into_iter().enumerate() {
        let t = r.fuel_drawn_tce[c];
        let sectors: f64 = r.fuel_before_tce[c][..N_COMPONENTS - 1].iter().sum();
        let left = t - sectors;
        let share = left / t;
        out.push_str(&format!(
            "    {name}: statistic (share × energy intensity × GDP) {t:.0} tce, sectors {sectors:.0} tce, left for \"other\" {left:.0} tce ({:.2} % of the total); \"other\" prior at its central value {:.0} tce; reconciled total {:.0} tce\n",
            100.0 * share,
            r.fuel_before_tce[c][N_COMPONENTS - 1],
            r.fuel_statistic_tce[c],
        ));
        if share.is_nan() || share <= FLOOR_SHARE {
            out.push_str(&format!(
                "    warning: the sectors leave {:.2} % ({left:.0} tce of {t:.0} tce) of the {name} statistic for component 'other' at central values (MODEL.md §5 requires more than 5 %): the sector assumptions nearly exhaust or contradict the total — a data decision\n",
                100.0 * share
            ));
        }
    }
    out.push_str(
        "  reconciliation at central values (MODEL.md §5), t:\n    component              NOx before   NOx after   factor  VOCs before  VOCs after   factor\n",
    );
    for (k, id) in COMPONENT_IDS.iter().enumerate() {
        out.push_str(&format!(
            "    {id:<18} {:>12.1} {:>11.1} {:>8.4} {:>12.1} {:>11.1} {:>8.4}\n",
            r.nox_before_t[k],
            r.nox_before_t[k] * r.nox_factor[k],
            r.nox_factor[k],
            r.vocs_before_t[k],
            r.vocs_before_t[k] * r.vocs_factor[k],
            r.vocs_factor[k],
        ));
    }
    for (p, name, total, before) in [
        ("NOx", "calibration.nox_base_t", 0, &r.nox_before_t),
        ("VOCs", "calibration.vocs_base_t", 1, &r.vocs_before_t),
    ] {
        let t = input(name);
        let sectors: f64 = before[..N_COMPONENTS - 1].iter().sum();
        let left = t - sectors;
        let share = left / t;
        out.push_str(&format!(
            "    {p}: total {t:.1} t, sectors {sectors:.1} t, left for \"other\" {left:.1} t ({:.2} % of the total); \"other\" prior at its central value {:.1} t; reconciled total {:.1} t\n",
            100.0 * share,
            before[N_COMPONENTS - 1],
            r.statistic_t[total],
        ));
        if share.is_nan() || share <= FLOOR_SHARE {
            out.push_str(&format!(
                "    warning: the sectors leave {:.2} % of the {p} total for \"other\" at central values (MODEL.md §5 requires more than 5 %): the sector assumptions nearly exhaust or contradict the total — a data decision\n",
                100.0 * share
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::uncertainty::Sampler;

    fn plan() -> (Scenario, Vec<f64>, Trajectory) {
        let s = crate::scenario::load_embedded("plan").unwrap();
        let central = Sampler::new(&s).unwrap().central();
        let traj = Model::new(&s).unwrap().simulate(&central);
        (s, central, traj)
    }

    #[test]
    fn calibration_table_sets_the_model_beside_the_base_figures() {
        let (s, central, traj) = plan();
        let t = calibration_table(&s, &central, &traj);
        assert!(
            t.starts_with(&format!(
                "  base year {} at central values:\n",
                s.meta.base_year
            )),
            "{t}"
        );
        let row = |name: &str| {
            t.lines()
                .find(|l| l.trim_start().starts_with(name))
                .unwrap_or_else(|| panic!("no row {name} in\n{t}"))
                .to_string()
        };
        // Rows with a base figure end in a signed percentage; the others in neither.
        for name in [
            "GDP",
            "energy consumption",
            "NOx",
            "VOCs",
            "coal share",
            "natural gas",
        ] {
            let r = row(name);
            assert!(r.trim_end().ends_with(" %"), "{r}");
            assert!(r.contains(" +") || r.contains(" -"), "{r}");
        }
        for name in ["CO₂ (energy-related)", "non-fossil share"] {
            let r = row(name);
            assert!(r.contains('–') && !r.trim_end().ends_with('%'), "{r}");
        }
        // The NOx base figure is the input, in tonnes with separators.
        let nox = central[s.index_of("calibration.nox_base_t").unwrap()];
        assert!(row("NOx").contains(&human(nox, "t")), "{}", row("NOx"));
        assert!(
            t.contains("  energy reconciliation at central values"),
            "{t}"
        );
        assert!(t.contains("  reconciliation at central values"), "{t}");
        for id in COMPONENT_IDS {
            assert!(
                t.matches(&format!("    {id:<18} ")).count() >= 2,
                "{id}: {t}"
            );
        }
        assert!(
            calibration_table(
                &s,
                &central,
                &Trajectory {
                    years: Vec::new(),
                    ..traj
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn reconciliation_warns_when_the_sectors_leave_too_little_for_other() {
        let (s, mut central, traj) = plan();
        let r = &traj.reconciled;
        let quiet = reconciliation_table(r, &central, &s);
        assert!(!quiet.contains("of the VOCs total"), "{quiet}");
        // A VOCs total equal to what the sectors emit leaves nothing for "other".
        let sectors: f64 = r.vocs_before_t[..N_COMPONENTS - 1].iter().sum();
        central[s.index_of("calibration.vocs_base_t").unwrap()] = sectors;
        let loud = reconciliation_table(r, &central, &s);
        assert!(
            loud.contains(
                "    warning: the sectors leave 0.00 % of the VOCs total for \"other\" at central values"
            ),
            "{loud}"
        );
        // The other warnings do not move with the VOCs total.
        assert_eq!(
            loud.matches("warning:").count(),
            quiet.matches("warning:").count() + 1,
            "{loud}"
        );
    }
}
