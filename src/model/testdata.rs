//! Test helpers: the energy half of the `plan` scenario, read from `scenarios/energy-data.toml`
//! by a minimal reader (the real loader lives in `scenario/`), so tests use exactly the shipped
//! numbers; central values and ranges of the distributions.

use crate::scenario::{
    DistSpec, Meta, Options, Param, Provenance, Scenario, Status, schema::Field,
};

/// The energy-half data file.
pub(crate) const ENERGY_DATA: &str = include_str!("../../scenarios/energy-data.toml");

fn num(t: &toml::Table, k: &str) -> f64 {
    match t.get(k) {
        Some(toml::Value::Float(x)) => *x,
        Some(toml::Value::Integer(i)) => *i as f64,
        other => panic!("key {k}: not a number: {other:?}"),
    }
}

fn spec(t: &toml::Table) -> Option<DistSpec> {
    if t.contains_key("value") {
        return Some(DistSpec::Constant(num(t, "value")));
    }
    let d = t.get("dist")?.as_str()?;
    Some(match d {
        "normal" => DistSpec::Normal {
            mean: num(t, "mean"),
            sd: num(t, "sd"),
        },
        "lognormal" if t.contains_key("median") => DistSpec::LogNormal {
            median: num(t, "median"),
            gsd: num(t, "gsd"),
        },
        "lognormal" => DistSpec::LogNormal95 {
            low: num(t, "low95"),
            high: num(t, "high95"),
        },
        "triangular" => DistSpec::Triangular {
            min: num(t, "min"),
            mode: num(t, "mode"),
            max: num(t, "max"),
        },
        "pert" => DistSpec::Pert {
            min: num(t, "min"),
            mode: num(t, "mode"),
            max: num(t, "max"),
        },
        "uniform" => DistSpec::Uniform {
            min: num(t, "min"),
            max: num(t, "max"),
        },
        other => panic!("dist {other} not handled by the test reader"),
    })
}

fn prov(t: &toml::Table, parent: Option<&Provenance>) -> Provenance {
    let status = match t.get("status").and_then(|v| v.as_str()) {
        Some("plan") => Status::Plan,
        Some("statistic") => Status::Statistic,
        Some("derived") => Status::Derived,
        Some("assumption") => Status::Assumption,
        Some(other) => panic!("bad status {other}"),
        None => parent.map(|p| p.status).expect("status missing"),
    };
    let source = t
        .get("source")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .or_else(|| parent.map(|p| p.source.clone()))
        .expect("source missing");
    Provenance {
        source,
        status,
        note: t.get("note").and_then(|v| v.as_str()).map(str::to_string),
    }
}

fn walk(prefix: &str, t: &toml::Table, out: &mut Vec<Param>) {
    if let Some(unit) = t.get("unit").and_then(|v| v.as_str()) {
        let p = prov(t, None);
        if let Some(by) = t.get("by_year").and_then(|v| v.as_table()) {
            for (y, v) in by {
                let a = v.as_table().expect("anchor is a table");
                out.push(Param {
                    name: format!("{prefix}@{y}"),
                    spec: spec(a).expect("anchor value"),
                    unit: unit.to_string(),
                    provenance: prov(a, Some(&p)),
                    pos: None,
                });
            }
        } else {
            out.push(Param {
                name: prefix.to_string(),
                spec: spec(t).expect("value or dist"),
                unit: unit.to_string(),
                provenance: p,
                pos: None,
            });
        }
        return;
    }
    for (k, v) in t {
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        walk(&name, v.as_table().expect("input tables only"), out);
    }
}

/// All parameters of `energy-data.toml`.
pub(crate) fn energy_params() -> Vec<Param> {
    let t: toml::Table = toml::from_str(ENERGY_DATA).expect("energy-data.toml parses");
    let mut out = Vec::new();
    walk("", &t, &mut out);
    out
}

/// The energy half of the `plan` scenario to `horizon`, with `options`; pollutant inputs absent.
pub(crate) fn plan_scenario_with(horizon: i32, options: Options) -> Scenario {
    Scenario::new(
        Meta::built("plan-energy", 2020, horizon),
        options,
        energy_params(),
        vec![],
        vec![],
    )
}

/// The energy half of the `plan` scenario to 2025 with default options.
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
