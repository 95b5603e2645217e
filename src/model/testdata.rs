//! Test helpers: the `plan` scenario's inputs as the real loader reads them from
//! `scenarios/plan.toml`, so tests use exactly the shipped numbers; central values and ranges
//! of the distributions.

use crate::scenario::{DistSpec, Meta, Options, Param, Scenario, schema::Field};

/// All parameters of the shipped `plan` scenario, read by the real loader.
pub(crate) fn energy_params() -> Vec<Param> {
    crate::scenario::load_embedded("plan")
        .expect("the shipped plan scenario loads")
        .params
}

/// The `plan` scenario's inputs to `horizon`, with `options` (no targets or correlations).
pub(crate) fn plan_scenario_with(horizon: i32, options: Options) -> Scenario {
    Scenario::new(
        Meta::built("plan-energy", 2020, horizon),
        options,
        energy_params(),
        vec![],
        vec![],
    )
}

/// The `plan` scenario's inputs to 2025 with default options.
pub(crate) fn plan_scenario() -> Scenario {
    plan_scenario_with(2025, Options::default())
}

/// Central value of a distribution, as scenarios/FORMAT.md defines it.
pub(crate) fn central(s: &DistSpec) -> f64 {
    match s {
        DistSpec::Constant(v) => *v,
        DistSpec::Normal { mean, .. } => *mean,
        DistSpec::LogNormal { median, .. } => *median,
        DistSpec::LogNormal95 { low, high } => (low * high).sqrt(),
        DistSpec::Triangular { mode, .. } | DistSpec::Pert { mode, .. } => *mode,
        DistSpec::Uniform { min, max } => 0.5 * (min + max),
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => min + (max - min) * alpha / (alpha + beta),
        DistSpec::Discrete { values, probs } => {
            let mut best = 0;
            for (i, p) in probs.iter().enumerate() {
                if *p > probs[best] {
                    best = i;
                }
            }
            values[best]
        }
    }
}

/// A range covering the bulk of a distribution (support, or ±2 sd / gsd² for unbounded ones).
pub(crate) fn range(s: &DistSpec) -> (f64, f64) {
    match s {
        DistSpec::Constant(v) => (*v, *v),
        DistSpec::Normal { mean, sd } => (mean - 2.0 * sd, mean + 2.0 * sd),
        DistSpec::LogNormal { median, gsd } => (median / (gsd * gsd), median * gsd * gsd),
        DistSpec::LogNormal95 { low, high } => (*low, *high),
        DistSpec::Triangular { min, max, .. }
        | DistSpec::Pert { min, max, .. }
        | DistSpec::Uniform { min, max }
        | DistSpec::Beta { min, max, .. } => (*min, *max),
        DistSpec::Discrete { values, .. } => values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            }),
    }
}

/// The draw with every input at its central value.
pub(crate) fn central_draw(s: &Scenario) -> Vec<f64> {
    s.params.iter().map(|p| central(&p.spec)).collect()
}

/// A draw with input `i` at fraction `u[i]` of its range (u in [0, 1]).
pub(crate) fn draw_at(s: &Scenario, u: &[f64]) -> Vec<f64> {
    s.params
        .iter()
        .zip(u.iter().cycle())
        .map(|(p, u)| {
            let (a, b) = range(&p.spec);
            a + (b - a) * u
        })
        .collect()
}

/// Does a registry pattern match a (base) name?
pub(crate) fn matches(f: &Field, name: &str) -> bool {
    let pat: Vec<&str> = f.pattern.split('.').collect();
    let seg: Vec<&str> = name.split('.').collect();
    pat.len() == seg.len()
        && pat.iter().zip(seg.iter()).all(|(p, s)| {
            if *p == "*" {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            } else if let Some(inner) = p.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                inner.split(',').any(|a| a == *s)
            } else {
                p == s
            }
        })
}
