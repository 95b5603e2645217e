//! The shipped scenario set (reference, plan, accelerated, delayed, peak-2030): validity and
//! provenance of every input, common random numbers, order invariance of `compare`, the
//! attainment table against the per-draw file, the ordering of scenarios on every target,
//! the 2030 peak year, and the horizon check of `compare`.
//!
//! Draw counts are modest (2,000–4,000) so the file runs in seconds in the test profile; each
//! statistical assertion states its margin.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use tanfeng::analysis::compare::{attainment, paired, paired_differences, variance};
use tanfeng::cli::{self, Format, RunOptions};
use tanfeng::engine::{RunConfig, RunResult, run};
use tanfeng::model::Model;
use tanfeng::present::tables::CsvFlavor;
use tanfeng::scenario::{Comparison, Scenario, Status, embedded, load_embedded};
use tanfeng::uncertainty::Sampler;

/// Shipped ids in presentation order; the first is the comparison baseline.
const SHIPPED: [&str; 5] = ["reference", "plan", "accelerated", "delayed", "peak-2030"];
/// The scenarios that end in 2025 (peak-2030 ends in 2030).
const SET_2025: [&str; 4] = ["reference", "plan", "accelerated", "delayed"];
/// Seed of the statistical tests (the CLI default: the plan's issue date).
const SEED: u64 = 20_220_509;

fn tanfeng() -> Command {
    Command::cargo_bin("tanfeng").expect("the binary is built")
}

/// Scenario, sampler and model of a shipped id.
fn load(id: &str) -> (Scenario, Sampler, Model) {
    let s = load_embedded(id).unwrap_or_else(|e| panic!("{id} loads: {e}"));
    let sampler = Sampler::new(&s).unwrap_or_else(|e| panic!("{id} samples: {e}"));
    let model = Model::new(&s).unwrap_or_else(|e| panic!("{id} builds: {e}"));
    (s, sampler, model)
}

/// Runs a shipped scenario through the library engine.
fn run_lib(id: &str, draws: u64, seed: u64) -> RunResult {
    let (s, sampler, model) = load(id);
    let config = RunConfig {
        draws,
        seed,
        first_draw: 0,
    };
    run(&s, &model, &sampler, config, &|_| {}).unwrap_or_else(|e| panic!("{id} runs: {e}"))
}

/// Column of the named horizon indicator.
fn indicator(r: &RunResult, name: &str) -> Vec<f64> {
    let i = r
        .indicators
        .iter()
        .position(|d| d.name == name)
        .unwrap_or_else(|| panic!("{} reports {name}", r.scenario_id));
    r.indicator_column(i)
}

/// Probability of meeting target `id` in a run.
fn p_met(r: &RunResult, id: &str) -> f64 {
    let k = r
        .targets
        .iter()
        .position(|t| t.target.id == id)
        .unwrap_or_else(|| panic!("{} has target {id}", r.scenario_id));
    r.met[k] as f64 / r.n_draws() as f64
}

/// Quiet compare options writing under `out`.
fn quiet(draws: u64, out: &Path) -> RunOptions {
    RunOptions {
        scenario: String::new(),
        draws,
        seed: SEED,
        threads: Some(2),
        horizon: None,
        out: out.to_path_buf(),
        csv: CsvFlavor::Plain,
        xlsx: false,
        format: Format::Table,
        quiet: true,
        charts: tanfeng::cli::ChartOptions::none(),
    }
}

/// A CSV file as (header, rows).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("a CSV row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} in {header:?}"))
}

// ───────────────────────────── validity and provenance ─────────────────────────────

#[test]
fn a_chinese_description_goes_with_the_file_that_gives_the_description() {
    let head =
        "[scenario]\nid = \"user\"\ntitle_zh = \"用户\"\ntitle_en = \"User\"\nextends = \"plan\"\n";
    let plan = load_embedded("plan").expect("plan");
    // No description of its own: the parent's description and its Chinese text, together.
    let inherits = tanfeng::scenario::load_str("user.toml", head).expect("loads");
    assert_eq!(inherits.meta.description, plan.meta.description);
    assert_eq!(inherits.meta.description_zh, plan.meta.description_zh);
    // Its own English description: the parent's Chinese one would describe another scenario.
    let own = format!("{head}description = \"Plan with more wind.\"\n");
    let english_only = tanfeng::scenario::load_str("user.toml", &own).expect("loads");
    assert_eq!(english_only.meta.description, "Plan with more wind.");
    assert_eq!(english_only.meta.description_zh, None);
    let both = format!("{own}description_zh = \"规划情景，风电更多。\"\n");
    let both = tanfeng::scenario::load_str("user.toml", &both).expect("loads");
    assert_eq!(
        both.meta.description_zh.as_deref(),
        Some("规划情景，风电更多。")
    );
}

#[test]
fn shipped_set_is_in_presentation_order_with_reference_first() {
    assert_eq!(embedded::ids(), SHIPPED.to_vec());
    for id in SHIPPED {
        let s = load_embedded(id).expect("loads");
        assert_eq!(s.meta.id, id);
        assert!(
            !s.meta.description.trim().is_empty(),
            "{id} describes itself"
        );
        let zh = s.meta.description_zh.as_deref().unwrap_or_default();
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{id} describes itself in Chinese for the Chinese briefing: {zh:?}"
        );
        if id != "plan" {
            assert_eq!(s.meta.extends.as_deref(), Some("plan"), "{id} extends plan");
            assert_eq!(
                s.files,
                vec![
                    format!("embedded:{id}.toml"),
                    "embedded:plan.toml".to_string()
                ]
            );
        }
        let horizon = if id == "peak-2030" { 2030 } else { 2025 };
        assert_eq!((s.meta.base_year, s.meta.horizon), (2020, horizon), "{id}");
    }
}

#[test]
fn every_shipped_scenario_validates_and_runs_finite_at_central_values() {
    for id in SHIPPED {
        let (s, sampler, model) = load(id);
        let central = sampler.central();
        let traj = model.simulate(&central);
        assert_eq!(traj.years.len(), s.years().count(), "{id}");
        let mut ind = vec![0.0; model.indicator_defs().len()];
        model.indicators_into(&traj, &mut ind);
        for (d, v) in model.indicator_defs().iter().zip(&ind) {
            assert!(v.is_finite(), "{id}: {} = {v} at central values", d.name);
        }
        for l in &traj.years {
            for (what, v) in [
                ("CO₂", l.co2_total_t),
                ("energy", l.energy_total_tce),
                ("NOx", l.nox_total_t()),
                ("VOCs", l.vocs_total_t()),
            ] {
                assert!(v.is_finite() && v > 0.0, "{id} {}: {what} = {v}", l.year);
            }
        }
        // Every target resolves against the model (indicator known, year simulated).
        tanfeng::engine::resolve_targets(&model, &s.targets)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
    }
}

#[test]
fn every_input_has_a_status_and_a_source_and_explain_shows_them() {
    for id in SHIPPED {
        let s = load_embedded(id).expect("loads");
        for p in &s.params {
            assert!(
                Status::ALL.contains(&p.provenance.status.as_str()),
                "{id}: {} has status {:?}",
                p.name,
                p.provenance.status
            );
            assert!(
                !p.provenance.source.trim().is_empty(),
                "{id}: {} has an empty source",
                p.name
            );
            assert!(!p.unit.trim().is_empty(), "{id}: {} has no unit", p.name);
        }
        for t in &s.targets {
            assert!(!t.source.trim().is_empty(), "{id}: target {}", t.id);
        }
        // `explain`: a header line, then three lines per input, the third "  <status>: <source>".
        let text = cli::explain(id, None).expect("explain runs");
        let lines: Vec<&str> = text
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("correlation ") && !l.starts_with("accounting: "))
            .collect();
        assert!(
            text.contains("accounting: ") && text.contains("key projects"),
            "{id}: explain names the ledger in force"
        );
        assert_eq!(
            lines.len(),
            3 * s.params.len(),
            "{id}: three lines per input"
        );
        for block in lines.chunks(3) {
            let prov = block[2].trim_start();
            let (status, source) = prov
                .split_once(": ")
                .unwrap_or_else(|| panic!("{id}: no 'status: source' for {}", block[0]));
            assert!(
                Status::ALL.contains(&status),
                "{id}: {} → {status}",
                block[0]
            );
            let source = source.trim();
            assert!(
                !source.is_empty() && !source.starts_with('—') && !source.starts_with('['),
                "{id}: {} shows no source",
                block[0]
            );
        }
    }
}

/// Inputs grouped by name without the `@YEAR` anchor, as (name → spec text), for one file.
fn groups(s: &Scenario, file: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &s.params {
        let from = p.pos.as_ref().map(|pos| pos.file.as_str());
        if file.is_some() && from != file {
            continue;
        }
        let base = p.name.split('@').next().unwrap_or(&p.name).to_string();
        out.entry(base)
            .or_default()
            .insert(format!("{} {:?}", p.name, p.spec));
    }
    out
}

#[test]
fn child_scenarios_state_only_what_differs_and_keep_the_base_year() {
    let plan = load_embedded("plan").expect("plan loads");
    let plan_groups = groups(&plan, None);
    let (_, plan_sampler, plan_model) = load("plan");
    let plan_base = plan_model.simulate(&plan_sampler.central()).years[0];
    for id in ["reference", "accelerated", "delayed", "peak-2030"] {
        let s = load_embedded(id).expect("loads");
        let own = groups(&s, Some(&format!("embedded:{id}.toml")));
        assert!(!own.is_empty(), "{id} changes something");
        for (name, specs) in &own {
            let parent = plan_groups
                .get(name)
                .unwrap_or_else(|| panic!("{id}: {name} is not a plan input"));
            assert_ne!(specs, parent, "{id}: {name} repeats the plan's value");
        }
        // The measures change, the 2020 base year does not (same totals at central values).
        let (_, sampler, model) = load(id);
        let b = &model.simulate(&sampler.central()).years[0];
        for (what, x, y) in [
            ("CO₂", b.co2_total_t, plan_base.co2_total_t),
            ("energy", b.energy_total_tce, plan_base.energy_total_tce),
            ("NOx", b.nox_total_t(), plan_base.nox_total_t()),
            ("VOCs", b.vocs_total_t(), plan_base.vocs_total_t()),
            (
                "non-fossil",
                b.nonfossil_primary_tce,
                plan_base.nonfossil_primary_tce,
            ),
        ] {
            assert!(
                (x - y).abs() <= 1e-9 * y.abs(),
                "{id}: base-year {what} {x} differs from the plan's {y}"
            );
        }
    }
}

// ───────────────────────────── common random numbers ─────────────────────────────

/// Ratio var(independent seeds) / var(common seed) of the paired difference `a − b`.
fn crn_ratio(a: &RunResult, b_same: &RunResult, b_other: &RunResult, name: &str) -> f64 {
    let (xa, xs, xo) = (
        indicator(a, name),
        indicator(b_same, name),
        indicator(b_other, name),
    );
    variance(&paired(&xa, &xo)) / variance(&paired(&xa, &xs))
}

/// Common random numbers (same seed) against independent streams (another seed), same draws.
///
/// Measured (4,000 draws, seed 20220509 vs 20220510): plan − reference: energy-intensity change
/// on gross consumption 12×, CO₂-intensity change 3.5×, assessed energy-intensity change (new
/// renewables deducted) 3.2×, NOx key-project reduction 1.4×; accelerated − plan and delayed −
/// plan: 56× to 42,000× on every indicator.
///
/// The 5× asked for plan − reference holds where the inputs both scenarios share dominate the
/// difference (gross energy intensity: economy, base year, heat demand), and no draw count makes
/// it hold elsewhere: the variance of plan − reference in CO₂ intensity, the assessed energy
/// intensity and NOx is mostly the uncertainty of the plan's own measures (how much wind and
/// solar is added — which is also what the deduction removes —, biomass capacity factor, boiler
/// completion, sintering and network dates, scrappage rates), which the reference does not
/// have, so there is nothing common to cancel. Between variants of the plan, which share nearly
/// every input, CRN removes almost all the noise. The thresholds sit about 25 % under the
/// measured ratios; the relative standard error of a variance ratio at 4,000 draws is ≈ 3–6 %,
/// so the margin is over four standard errors.
#[test]
fn common_random_numbers_shrink_the_variance_of_paired_differences() {
    let n = 4000;
    let plan = run_lib("plan", n, SEED);
    let reference = run_lib("reference", n, SEED);
    let reference_other = run_lib("reference", n, SEED + 1);
    let r_co2 = crn_ratio(&plan, &reference, &reference_other, "co2_intensity_change");
    let r_energy = crn_ratio(
        &plan,
        &reference,
        &reference_other,
        "energy_intensity_change_gross",
    );
    let r_assessed = crn_ratio(
        &plan,
        &reference,
        &reference_other,
        "energy_intensity_change",
    );
    let r_nox = crn_ratio(
        &plan,
        &reference,
        &reference_other,
        "nox_key_project_reduction_t",
    );
    eprintln!(
        "CRN variance ratio plan − reference: CO₂ {r_co2:.2}, energy (gross) {r_energy:.2}, \
         energy (assessed) {r_assessed:.2}, NOx {r_nox:.2}"
    );
    assert!(r_energy >= 5.0, "gross energy intensity: {r_energy}");
    assert!(r_assessed >= 2.4, "assessed energy intensity: {r_assessed}");
    assert!(r_co2 >= 2.5, "CO₂ intensity: {r_co2}");
    assert!(r_nox >= 1.1, "NOx key-project reduction: {r_nox}");

    let plan_other = run_lib("plan", n, SEED + 1);
    for variant in ["accelerated", "delayed"] {
        let v = run_lib(variant, n, SEED);
        for name in ["co2_intensity_change", "nox_key_project_reduction_t"] {
            let r = crn_ratio(&v, &plan, &plan_other, name);
            eprintln!("CRN variance ratio {variant} − plan, {name}: {r:.1}");
            assert!(r >= 5.0, "{variant} − plan, {name}: ratio {r}");
        }
    }
}

/// `energy_intensity_change_gross` is exactly the energy-intensity change of the same draws
/// with the deduction switched off; the deduction never raises the assessed figure, and the
/// accounting option leaves CO₂ untouched.
#[test]
fn gross_energy_intensity_is_the_unexempted_accounting() {
    let n = 500;
    let plan = run_lib("plan", n, SEED);
    let gross = tanfeng::scenario::load_str(
        "plan-gross.toml",
        "[scenario]\nid = \"plan-gross\"\ntitle_zh = \"规划（总量口径）\"\n\
         title_en = \"Plan, gross accounting\"\nextends = \"plan\"\n\n\
         [options]\nrenewable_exemption = false\n",
    )
    .expect("child scenario loads");
    assert!(!gross.options.renewable_exemption);
    let sampler = Sampler::new(&gross).expect("sampler");
    let model = Model::new(&gross).expect("model");
    let config = RunConfig {
        draws: n,
        seed: SEED,
        first_draw: 0,
    };
    let g = run(&gross, &model, &sampler, config, &|_| {}).expect("runs");
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1e-3);
    let assessed = indicator(&plan, "energy_intensity_change");
    let plan_gross = indicator(&plan, "energy_intensity_change_gross");
    let off = indicator(&g, "energy_intensity_change");
    let off_gross = indicator(&g, "energy_intensity_change_gross");
    let mut deducted = 0;
    for i in 0..assessed.len() {
        assert!(
            close(plan_gross[i], off[i]),
            "draw {i}: {} vs {}",
            plan_gross[i],
            off[i]
        );
        assert!(
            close(off_gross[i], off[i]),
            "draw {i}: gross = assessed when off"
        );
        assert!(
            assessed[i] <= plan_gross[i] + 1e-12,
            "draw {i}: deduction raised intensity"
        );
        deducted += usize::from(assessed[i] < plan_gross[i] - 1e-6);
    }
    assert!(
        deducted > n as usize * 9 / 10,
        "the plan adds renewables in most draws"
    );
    assert_eq!(
        indicator(&plan, "co2_intensity_change"),
        indicator(&g, "co2_intensity_change")
    );
}

/// The non-fossil share is always taken on gross consumption (MODEL.md §1): in every draw of
/// every shipped scenario it is the same number with the renewable exemption on and off, and
/// it is what the exemption-off run's energy accounting gives.
#[test]
fn nonfossil_share_is_identical_with_the_exemption_on_and_off() {
    let n = 300;
    for id in SHIPPED {
        let flipped = |on: bool| {
            let s = tanfeng::scenario::load_str(
                &format!("{id}-x.toml"),
                &format!(
                    "[scenario]\nid = \"{id}-x\"\ntitle_zh = \"x\"\ntitle_en = \"x\"\n\
                     extends = \"{id}\"\n\n[options]\nrenewable_exemption = {on}\n"
                ),
            )
            .expect("child scenario loads");
            let sampler = Sampler::new(&s).expect("sampler");
            let model = Model::new(&s).expect("model");
            let config = RunConfig {
                draws: n,
                seed: SEED,
                first_draw: 0,
            };
            run(&s, &model, &sampler, config, &|_| {}).expect("runs")
        };
        let (on, off) = (flipped(true), flipped(false));
        let (a, b) = (
            indicator(&on, "nonfossil_share"),
            indicator(&off, "nonfossil_share"),
        );
        assert_eq!(a, b, "{id}: non-fossil share depends on the exemption");
        assert!(
            a.iter().all(|x| x.is_finite() && *x > 0.0 && *x < 1.0),
            "{id}"
        );
        // The exemption does change the assessed energy intensity (so the test is not vacuous).
        assert_ne!(
            indicator(&on, "energy_intensity_change"),
            indicator(&off, "energy_intensity_change"),
            "{id}"
        );
    }
}

/// The per-year non-fossil share (fan chart, years.csv) is the target's indicator in the
/// horizon year, on gross consumption, also when the renewable deduction is on.
#[test]
fn nonfossil_share_series_is_the_indicator_in_the_horizon_year() {
    let r = run_lib("plan", 500, SEED);
    let s = tanfeng::engine::SERIES
        .iter()
        .position(|d| d.name == "nonfossil_share")
        .expect("series");
    let cell = r.cell(s, r.years.len() - 1);
    let ind = indicator(&r, "nonfossil_share");
    let mean = ind.iter().sum::<f64>() / ind.len() as f64;
    assert!(
        (cell.moments.mean() - mean).abs() <= 1e-12,
        "series {} vs indicator {mean}",
        cell.moments.mean()
    );
}

#[test]
fn peak_2030_draws_the_plan_years_from_the_plan_streams() {
    // peak-2030 is the plan to 2025 (same input names, so the same random streams): its 2025
    // target values equal the plan's indicators draw for draw. Not bit for bit: peak-2030
    // correlates some 2025 anchors with their 2030 anchors, and the copula sends the first
    // member of a group through Φ(Φ⁻¹(u)), which returns u only to rounding. 1e-9 relative
    // allows that and nothing else (an unshared stream would differ at the percent level).
    let n = 2000;
    let plan = run_lib("plan", n, SEED);
    let peak = run_lib("peak-2030", n, SEED);
    let mut compared = 0;
    for (k, t) in peak.targets.iter().enumerate() {
        if t.target.year != 2025 {
            continue;
        }
        let ours = peak.target_column(k);
        let theirs = indicator(&plan, &t.target.indicator);
        let worst = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs() / b.abs().max(1e-9))
            .fold(0.0, f64::max);
        assert!(
            worst <= 1e-9,
            "peak-2030 {} (2025) differs from the plan's by {worst:e} (relative)",
            t.target.id
        );
        compared += 1;
    }
    assert_eq!(compared, 5);
}

// ───────────────────────────── compare: order and attainment ─────────────────────────────

#[test]
fn compare_gives_the_same_numbers_in_either_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ab, ba) = (dir.path().join("ab"), dir.path().join("ba"));
    let specs_ab = ["reference".to_string(), "accelerated".to_string()];
    let specs_ba = ["accelerated".to_string(), "reference".to_string()];
    let out_ab = cli::compare(&specs_ab, &quiet(2000, &ab)).expect("compare A B");
    let out_ba = cli::compare(&specs_ba, &quiet(2000, &ba)).expect("compare B A");
    for id in ["reference", "accelerated"] {
        for f in [
            "summary.csv",
            "targets.csv",
            "draws.csv",
            "years.csv",
            "wedges.csv",
        ] {
            let a = std::fs::read(ab.join("compare").join(id).join(f)).expect("written");
            let b = std::fs::read(ba.join("compare").join(id).join(f)).expect("written");
            assert!(a.len() > 100, "{id}/{f} is non-trivial");
            assert!(a == b, "{id}/{f} depends on the order of the scenarios");
        }
    }
    for a in &out_ab.attainment {
        let b = out_ba
            .attainment
            .iter()
            .find(|b| b.scenario == a.scenario && b.target == a.target)
            .expect("same cells");
        assert_eq!(a.probability, b.probability, "{} {}", a.scenario, a.target);
    }
    // The paired differences swap sign exactly (x − y = −(y − x) in IEEE arithmetic).
    for d in &out_ab.differences {
        let e = out_ba
            .differences
            .iter()
            .find(|e| e.indicator == d.indicator)
            .expect("same indicators");
        assert_eq!(
            (d.scenario.as_str(), d.baseline.as_str()),
            ("accelerated", "reference")
        );
        assert_eq!(d.mean, -e.mean, "{}", d.indicator);
        assert_eq!(d.sd, e.sd, "{}", d.indicator);
    }
    assert!(!out_ab.differences.is_empty());
}

#[test]
fn attainment_table_agrees_with_the_per_draw_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs: Vec<String> = ["reference", "plan", "delayed"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let n = 2000;
    let out = cli::compare(&specs, &quiet(n, dir.path())).expect("compare runs");
    let cmp = dir.path().join("compare");
    let (att_h, att_rows) = read_csv(&cmp.join("attainment.csv"));
    assert_eq!(att_rows.len(), 5, "five 2025 targets");
    let mut checked = 0;
    for l in &out.loaded {
        let id = &l.scenario.meta.id;
        let (dh, drows) = read_csv(&cmp.join(id).join("draws.csv"));
        assert_eq!(drows.len() as u64, n, "{id}: one row per draw");
        let (th, trows) = read_csv(&cmp.join(id).join("targets.csv"));
        for t in &l.scenario.targets {
            // Recount from the per-draw file, both from the 0/1 column and from the value.
            let met_col = col(&dh, &format!("{}_met", t.id));
            let val_col = col(&dh, &format!("{}_value_{}", t.id, t.year));
            let mut met = 0u64;
            for r in &drows {
                let flag = r[met_col] == "1";
                let v: f64 = r[val_col].parse().expect("a number");
                let by_value = match t.comparison {
                    Comparison::AtMost => v <= t.threshold,
                    Comparison::AtLeast => v >= t.threshold,
                };
                assert_eq!(flag, by_value, "{id} {}: flag vs value {v}", t.id);
                met += u64::from(flag);
            }
            let p = met as f64 / n as f64;
            // targets.csv of the scenario.
            let row = trows
                .iter()
                .find(|r| r[col(&th, "target")] == t.id)
                .expect("target row");
            assert_eq!(row[col(&th, "met_draws")], met.to_string(), "{id} {}", t.id);
            assert_eq!(row[col(&th, "p_met")].parse::<f64>().ok(), Some(p));
            // attainment.csv of the comparison.
            let arow = att_rows
                .iter()
                .find(|r| r[col(&att_h, "target")] == t.id)
                .expect("attainment row");
            let cell = |k: &str| -> f64 {
                arow[col(&att_h, &format!("{k} {id}"))]
                    .parse()
                    .expect("a probability")
            };
            assert_eq!(cell("P(met)"), p, "{id} {}", t.id);
            // 1e-12: at 0 successes the Wilson lower bound comes out as ~1e-19, not 0 (rounding
            // in `wilson_interval`'s centre − half).
            assert!(
                cell("low95") <= p + 1e-12 && p <= cell("high95") + 1e-12,
                "{id} {}: {} ≤ {p} ≤ {}",
                t.id,
                cell("low95"),
                cell("high95")
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 15);
}

// ───────────────────────────── ordering of the scenarios ─────────────────────────────

/// Pairs (better, worse) the scenario design implies: accelerated ≥ plan ≥ delayed, plan ≥
/// reference.
const PAIRS: [(&str, &str); 3] = [
    ("accelerated", "plan"),
    ("plan", "delayed"),
    ("plan", "reference"),
];

/// Exceptions in the shipped data, as (better, worse, target id).
///
/// `accelerated` ≥ `plan` on the VOCs key-project reduction does not hold at central values
/// (≈ 4,331 vs 4,344 t; both meet the 700 t target in every draw): gasoline throughput follows
/// the fleet (DATA.md §3c), so accelerated's faster NEV uptake sells less gasoline and the
/// vapour-recovery retrofit, booked as activity(t) × (2020 factor − factor after) (MODEL.md
/// §4), cuts ≈ 13 t less. Its total VOCs are lower; the ledger counts the NEVs as a smaller
/// 新增量, never as 削减量. Not a data error, so listed here rather than "fixed".
///
/// The ordering holds on every target under the assessment's accounting
/// (`renewable_exemption = true` in `plan.toml`, per 发改运行〔2022〕1258号). Biomass counts by
/// its electricity at the coal-equivalent rate, not by the straw burnt (MODEL.md §1), so the
/// plan's gross energy intensity (`energy_intensity_change_gross`, no target) also falls more
/// than the reference's (medians −11.3 % vs −9.2 % at 10,000 draws). If a data change makes a
/// pair unordered, the check below fails: fix the data or list the pair here with the reason.
const EXCEPTIONS: [(&str, &str, &str); 1] = [("accelerated", "plan", "vocs_reduction")];

/// `a` is at least as good as `b` for a target with this comparison (relative slack `tol`).
fn at_least_as_good(cmp: Comparison, a: f64, b: f64, tol: f64) -> bool {
    let slack = tol * b.abs().max(1e-12);
    match cmp {
        Comparison::AtLeast => a >= b - slack,
        Comparison::AtMost => a <= b + slack,
    }
}

#[test]
fn scenarios_are_ordered_on_every_target_at_central_values_and_in_probability() {
    let plan = load_embedded("plan").expect("plan loads");
    let central: BTreeMap<&str, Vec<f64>> = SET_2025
        .iter()
        .map(|&id| {
            let (_, sampler, model) = load(id);
            let traj = model.simulate(&sampler.central());
            let mut ind = vec![0.0; model.indicator_defs().len()];
            model.indicators_into(&traj, &mut ind);
            (id, ind)
        })
        .collect();
    let (_, _, plan_model) = load("plan");
    let defs = plan_model.indicator_defs();
    let n = 3000;
    let runs: BTreeMap<&str, RunResult> = SET_2025
        .iter()
        .map(|&id| (id, run_lib(id, n, SEED)))
        .collect();
    let mut exceptions_seen = Vec::new();
    for t in &plan.targets {
        let i = defs
            .iter()
            .position(|d| d.name == t.indicator)
            .expect("indicator");
        for (better, worse) in PAIRS {
            let (a, b) = (central[better][i], central[worse][i]);
            let ordered = at_least_as_good(t.comparison, a, b, 1e-9);
            let (pa, pb) = (p_met(&runs[better], &t.id), p_met(&runs[worse], &t.id));
            eprintln!(
                "{:<18} {better:>11} {a:>12.4} P {pa:.4} | {worse:>9} {b:>12.4} P {pb:.4}",
                t.id
            );
            if EXCEPTIONS.contains(&(better, worse, t.id.as_str())) {
                assert!(
                    !ordered,
                    "{} is no longer an exception for {better} ≥ {worse}: update EXCEPTIONS",
                    t.id
                );
                exceptions_seen.push((better, worse));
                continue;
            }
            assert!(
                ordered,
                "{}: {better} {a} is worse than {worse} {b} at central values",
                t.id
            );
            // Same seed in every run (common random numbers): 0.02 covers the Monte Carlo noise
            // of a difference of two attainment rates at 3,000 draws (sd ≤ 0.009 independent).
            assert!(
                pa >= pb - 0.02,
                "{}: P(met) {better} {pa} < {worse} {pb} − 0.02",
                t.id
            );
        }
    }
    assert_eq!(exceptions_seen.len(), EXCEPTIONS.len());
}

// ───────────────────────────── peak-2030 ─────────────────────────────

#[test]
fn peak_2030_reports_the_peak_year_and_its_probability() {
    let n = 3000;
    let r = run_lib("peak-2030", n, SEED);
    assert_eq!(r.years.first().copied(), Some(2020));
    assert_eq!(r.years.last().copied(), Some(2030));
    let peak = indicator(&r, "co2_peak_year");
    let mut freq: BTreeMap<i32, u64> = BTreeMap::new();
    for &y in &peak {
        assert!(
            y.fract() == 0.0 && (2020.0..=2030.0).contains(&y),
            "peak year {y}"
        );
        *freq.entry(y as i32).or_default() += 1;
    }
    eprintln!("peak-2030: CO₂ peak year frequencies over {n} draws: {freq:?}");
    assert!(
        freq.len() >= 3,
        "the peak year has a distribution: {freq:?}"
    );
    // P(peak ≤ 2030) is 1 by construction at a 2030 horizon; the target asks for a peak before
    // 2030 (≤ 2029), and its attainment is the share of draws whose peak lies before 2030.
    let before = peak.iter().filter(|&&y| y <= 2029.0).count() as f64 / n as f64;
    assert_eq!(peak.iter().filter(|&&y| y <= 2030.0).count(), n as usize);
    assert_eq!(p_met(&r, "co2_peak_before_2030"), before);
    assert!(
        0.0 < before && before < 1.0,
        "P(peak before 2030) = {before}"
    );
    // The 2030 non-fossil target and the inherited 2025 targets are all evaluated.
    let ids: Vec<&str> = r.targets.iter().map(|t| t.target.id.as_str()).collect();
    for id in [
        "co2_intensity",
        "energy_intensity",
        "nonfossil_share",
        "nox_reduction",
        "vocs_reduction",
        "nonfossil_share_2030",
        "co2_peak_before_2030",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let years: BTreeSet<i32> = r.targets.iter().map(|t| t.target.year).collect();
    assert_eq!(years, BTreeSet::from([2025, 2030]));
    let att = attainment(&[&r]);
    assert_eq!(att.len(), 7);
    // Paired differences need the same horizon; against itself every difference is zero.
    assert!(paired_differences(&r, &r).iter().all(|d| d.mean == 0.0));

    // Through the binary: the summary carries the peak year's distribution.
    let dir = tempfile::tempdir().expect("temp dir");
    tanfeng()
        .args(["run", "peak-2030", "--draws", "500", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("co2_peak_year"));
    let (h, rows) = read_csv(&dir.path().join("peak-2030/summary.csv"));
    let row = rows
        .iter()
        .find(|r| r[col(&h, "indicator")] == "co2_peak_year")
        .expect("a co2_peak_year row");
    for k in ["p5", "median", "p95"] {
        let y: f64 = row[col(&h, k)].parse().expect("a year");
        assert!((2020.0..=2030.0).contains(&y), "{k} = {y}");
    }
}

// ───────────────────────────── bad input ─────────────────────────────

#[test]
fn comparing_different_horizons_is_an_error_unless_aligned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let out = tanfeng()
        .args(["compare", "plan", "peak-2030", "--draws", "100", "--out"])
        .arg(&out_dir)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("'plan' (horizon 2025)")
            && e.contains("'peak-2030' (horizon 2030)")
            && e.contains("--horizon"),
        "{e}"
    );
    assert!(!out_dir.exists(), "no output may be written on bad input");

    // --horizon aligns them: both run to 2030, each target judged in its own year.
    tanfeng()
        .args([
            "compare",
            "plan",
            "peak-2030",
            "--draws",
            "200",
            "--horizon",
            "2030",
            "--out",
        ])
        .arg(&out_dir)
        .assert()
        .success();
    let (h, rows) = read_csv(&out_dir.join("compare/attainment.csv"));
    assert_eq!(rows.len(), 7, "five 2025 targets and two 2030 targets");
    let peak_row = rows
        .iter()
        .find(|r| r[col(&h, "target")] == "co2_peak_before_2030")
        .expect("peak row");
    assert_eq!(
        peak_row[col(&h, "P(met) plan")],
        "",
        "plan has no 2030 target"
    );
    assert!(!peak_row[col(&h, "P(met) peak-2030")].is_empty());
}
