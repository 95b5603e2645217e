//! Writing scenario text: numbers, strings and distributions as scenario files spell them
//! (scenarios/FORMAT.md), for files tanfeng writes (the workbench's edits, imported workbooks).

use super::DistSpec;

/// Family keyword as written in scenario files.
pub fn family(spec: &DistSpec) -> &'static str {
    match spec {
        DistSpec::Constant(_) => "constant",
        DistSpec::Normal { .. } => "normal",
        DistSpec::LogNormal { .. } | DistSpec::LogNormal95 { .. } => "lognormal",
        DistSpec::Triangular { .. } => "triangular",
        DistSpec::Pert { .. } => "pert",
        DistSpec::Uniform { .. } => "uniform",
        DistSpec::Beta { .. } => "beta",
        DistSpec::Discrete { .. } => "discrete",
    }
}

/// A number as TOML writes it (shortest text that reads back to the same f64).
pub fn tnum(x: f64) -> String {
    format!("{x:?}")
}

/// A TOML basic string.
pub fn tstr(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The keys of a distribution in a scenario file (`value = …` or `dist = …, …`).
pub fn spec_keys(spec: &DistSpec) -> Vec<(String, String)> {
    let k = |a: &str, b: String| (a.to_string(), b);
    let list = |v: &[f64]| {
        format!(
            "[{}]",
            v.iter().map(|x| tnum(*x)).collect::<Vec<_>>().join(", ")
        )
    };
    let dist = |f: &str| k("dist", tstr(f));
    match spec {
        DistSpec::Constant(v) => vec![k("value", tnum(*v))],
        DistSpec::Normal { mean, sd } => {
            vec![dist("normal"), k("mean", tnum(*mean)), k("sd", tnum(*sd))]
        }
        DistSpec::LogNormal { median, gsd } => vec![
            dist("lognormal"),
            k("median", tnum(*median)),
            k("gsd", tnum(*gsd)),
        ],
        DistSpec::LogNormal95 { low, high } => vec![
            dist("lognormal"),
            k("low95", tnum(*low)),
            k("high95", tnum(*high)),
        ],
        DistSpec::Triangular { min, mode, max } | DistSpec::Pert { min, mode, max } => vec![
            dist(family(spec)),
            k("min", tnum(*min)),
            k("mode", tnum(*mode)),
            k("max", tnum(*max)),
        ],
        DistSpec::Uniform { min, max } => {
            vec![dist("uniform"), k("min", tnum(*min)), k("max", tnum(*max))]
        }
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => vec![
            dist("beta"),
            k("alpha", tnum(*alpha)),
            k("beta", tnum(*beta)),
            k("min", tnum(*min)),
            k("max", tnum(*max)),
        ],
        DistSpec::Discrete { values, probs } => {
            vec![
                dist("discrete"),
                k("values", list(values)),
                k("probs", list(probs)),
            ]
        }
    }
}
