//! Monte Carlo convergence on a linear case: with every input at its central value except one
//! normal input on which an indicator depends linearly, the engine's mean and P5/P95 must match
//! the analytic values within 3 standard errors.

use tanfeng::engine::{self, RunConfig};
use tanfeng::model::Model;
use tanfeng::scenario::{DistSpec, load_embedded};
use tanfeng::uncertainty::Sampler;

/// Acts after the base year only, so the base-year reconciliation (MODEL.md §5) is the same in
/// every draw and the indicator stays linear in it.
const INPUT: &str = "industry.sinter.nox_after_mg_m3";
const INDICATOR: &str = "nox_key_project_reduction_t";
const MU: f64 = 50.0;
const SIGMA: f64 = 10.0;

/// Indicator value of the central draw with the input set to `x`.
fn indicator_at(model: &Model, central: &[f64], i_input: usize, i_ind: usize, x: f64) -> f64 {
    let mut d = central.to_vec();
    d[i_input] = x;
    let traj = model.simulate(&d);
    let mut out = vec![0.0; model.indicator_defs().len()];
    model.indicators_into(&traj, &mut out);
    out[i_ind]
}

#[test]
fn mean_and_quantiles_converge_to_analytic_values_on_a_linear_case() {
    let mut s = load_embedded("plan").expect("plan loads");
    let central = Sampler::new(&s).expect("sampler").central();
    for (p, c) in s.params.iter_mut().zip(&central) {
        p.spec = DistSpec::Constant(*c);
    }
    let i_input = s.index_of(INPUT).expect("input exists");
    s.params[i_input].spec = DistSpec::Normal {
        mean: MU,
        sd: SIGMA,
    };
    s.correlations.clear();
    let sampler = Sampler::new(&s).expect("sampler");
    let model = Model::new(&s).expect("model");
    let i_ind = model
        .indicator_defs()
        .iter()
        .position(|d| d.name == INDICATOR)
        .expect("indicator exists");
    let central = sampler.central();

    // The indicator is linear in the input: y = a + b·x (checked at a third point).
    let y0 = indicator_at(&model, &central, i_input, i_ind, 0.0);
    let y1 = indicator_at(&model, &central, i_input, i_ind, 100.0);
    let b = (y1 - y0) / 100.0;
    let a = y0;
    let y2 = indicator_at(&model, &central, i_input, i_ind, 437.0);
    assert!(
        (y2 - (a + b * 437.0)).abs() <= 1e-9 * y2.abs().max(1.0),
        "not linear"
    );
    assert!(b.abs() > 1.0, "the indicator must depend on the input: {b}");

    let n = 40_000u64;
    let r = engine::run(
        &s,
        &model,
        &sampler,
        RunConfig {
            draws: n,
            seed: 11,
            first_draw: 0,
        },
        &|_| {},
    )
    .expect("run");
    let mut y = r.indicator_column(i_ind);
    let nf = n as f64;
    let sd_y = b.abs() * SIGMA;
    let mean = y.iter().sum::<f64>() / nf;
    let se_mean = sd_y / nf.sqrt();
    assert!(
        (mean - (a + b * MU)).abs() < 3.0 * se_mean,
        "mean {mean} vs analytic {} (se {se_mean})",
        a + b * MU
    );
    y.sort_by(f64::total_cmp);
    let z95: f64 = 1.644_853_626_951_472_2;
    // Standard error of a sample quantile: sqrt(p(1−p)/n) / f(x_p), f the normal density.
    let density = (-0.5 * z95 * z95).exp() / (2.0 * std::f64::consts::PI).sqrt() / sd_y;
    let se_q = (0.05 * 0.95 / nf).sqrt() / density;
    for (p, z) in [(0.05, -z95), (0.95, z95)] {
        let h = (nf - 1.0) * p;
        let q = y[h.floor() as usize]
            + (h - h.floor()) * (y[h.floor() as usize + 1] - y[h.floor() as usize]);
        let analytic = a + b * MU + z * sd_y;
        assert!(
            (q - analytic).abs() < 3.0 * se_q,
            "P{} {q} vs analytic {analytic} (se {se_q})",
            p * 100.0
        );
    }
}
