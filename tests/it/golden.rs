//! Golden test: the `plan` scenario at central values, per-year NOx and VOCs by sector and the
//! headline indicators, compared with `tests/data/plan_central.csv` (relative tolerance 1e-6).
//! Regenerate after an intended model change with `scripts/regenerate-golden.sh` and review
//! the diff.

use tanfeng::model::{Model, N_POLLUTANT_SECTORS};
use tanfeng::scenario::load_embedded;
use tanfeng::uncertainty::Sampler;

const SECTORS: [&str; N_POLLUTANT_SECTORS] = [
    "heat",
    "power",
    "industry",
    "road_transport",
    "nonroad",
    "solvent_use",
    "process",
    "fuel_distribution",
    "residential",
    "other",
];
const GOLDEN: &str = "tests/data/plan_central.csv";

fn current() -> String {
    let s = load_embedded("plan").expect("plan loads");
    let sampler = Sampler::new(&s).expect("sampler");
    let model = Model::new(&s).expect("model");
    let traj = model.simulate(&sampler.central());
    let mut out = String::from("year,quantity,sector,value\n");
    for l in &traj.years {
        for (k, name) in SECTORS.iter().enumerate() {
            out.push_str(&format!("{},nox_t,{name},{:.6}\n", l.year, l.nox_t[k]));
            out.push_str(&format!("{},vocs_t,{name},{:.6}\n", l.year, l.vocs_t[k]));
        }
        out.push_str(&format!(
            "{},co2_total_t,all,{:.6}\n",
            l.year, l.co2_total_t
        ));
        out.push_str(&format!(
            "{},energy_total_tce,all,{:.6}\n",
            l.year, l.energy_total_tce
        ));
    }
    let mut ind = vec![0.0; model.indicator_defs().len()];
    model.indicators_into(&traj, &mut ind);
    for (d, v) in model.indicator_defs().iter().zip(&ind) {
        out.push_str(&format!("{},{},indicator,{v:.9}\n", s.meta.horizon, d.name));
    }
    out
}

#[test]
fn plan_at_central_values_matches_the_golden_file() {
    let now = current();
    if std::env::var_os("TANFENG_BLESS").is_some() {
        std::fs::write(GOLDEN, &now).expect("golden file is writable");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN)
        .expect("golden file exists (run scripts/regenerate-golden.sh)");
    let (g, c): (Vec<&str>, Vec<&str>) = (golden.lines().collect(), now.lines().collect());
    assert_eq!(g.len(), c.len(), "row count changed");
    for (a, b) in g.iter().zip(&c) {
        let (ka, va) = a.rsplit_once(',').expect("row");
        let (kb, vb) = b.rsplit_once(',').expect("row");
        assert_eq!(ka, kb, "row keys differ");
        if let (Ok(x), Ok(y)) = (va.parse::<f64>(), vb.parse::<f64>()) {
            let tol = 1e-6 * x.abs().max(1.0);
            assert!((x - y).abs() <= tol, "{ka}: golden {x}, now {y}");
        } else {
            assert_eq!(va, vb, "{ka}");
        }
    }
}
