//! The integration tests, one binary (one link step instead of six): the CLI through the
//! binary, golden outputs, shipped scenarios and statistical checks.

mod briefing;
mod charts_cli;
mod cli;
mod county_heat;
mod fuzz;
mod golden;
mod ledger;
mod output_safety;
mod plan_measures;
mod reconciliation;
mod scenarios;
mod shards;
mod statistics;
mod target_year;
mod units;
mod validate_cli;
mod web;
#[cfg(feature = "browser-test")]
mod web_browser;
mod why_cli;
mod workbook;

/// The central draw of `s` and its trajectory.
fn central_run(s: &tanfeng::scenario::Scenario) -> (Vec<f64>, tanfeng::model::Trajectory) {
    let central = tanfeng::uncertainty::Sampler::new(s)
        .expect("samples")
        .central();
    let tr = tanfeng::model::Model::new(s)
        .expect("builds")
        .simulate(&central);
    (central, tr)
}

/// The scenario with its carrier shares and "other" NOx and VOCs priors fixed at what the sectors need and leave of the
/// totals at central values, so that a central draw needs no reconciliation (MODEL.md §5: all
/// factors 1) and hand computations with the inputs' own factors apply.
pub fn balanced(mut s: tanfeng::scenario::Scenario) -> tanfeng::scenario::Scenario {
    use tanfeng::scenario::DistSpec;
    // Energy first: each carrier statistic set (through its share) to what the components
    // burn at central values, so that every fuel factor is 1 there.
    let (central, tr) = central_run(&s);
    let e_t = tr.years[0].gdp_yuan_1e8
        * 1e4
        * central[s
            .index_of("calibration.energy_intensity_tce_per_1e4_yuan")
            .expect("intensity")];
    for (c, share) in ["coal", "oil", "gas"].into_iter().enumerate() {
        let i = s
            .index_of(&format!("calibration.{share}_share"))
            .expect("share");
        let x: f64 = tr.reconciled.fuel_before_tce[c].iter().sum();
        s.params[i].spec = DistSpec::Constant(x / e_t);
    }
    let (central, tr) = central_run(&s);
    let r = tr.reconciled;
    let n = r.nox_before_t.len() - 1;
    for (other, stat, before) in [
        (
            "calibration.other_nox_t",
            "calibration.nox_base_t",
            r.nox_before_t,
        ),
        (
            "calibration.other_vocs_t",
            "calibration.vocs_base_t",
            r.vocs_before_t,
        ),
    ] {
        let t = central[s.index_of(stat).expect("statistic")];
        let left = t - before[..n].iter().sum::<f64>();
        let i = s.index_of(other).expect("other prior");
        s.params[i].spec = DistSpec::Constant(left);
    }
    s
}
