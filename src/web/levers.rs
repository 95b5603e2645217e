//! Levers on the page: what each lever shows (inputs, family, fields, a small density), how an
//! edit from the page becomes new distributions (the family is kept), and the scenario file
//! that states exactly those changes (`extends` the parent, `status = "assumption"`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::WebError;
use crate::scenario::schema::levers::{LEVERS, Lever, LeverKind, matches};
pub use crate::scenario::toml_out::family;
use crate::scenario::toml_out::{spec_keys, tstr};
use crate::scenario::{DistSpec, Scenario};
use crate::uncertainty::Distribution;

/// One lever as the page draws it.
#[derive(Debug, Clone, Serialize)]
pub struct LeverView {
    /// The lever's definition (id, group, names, kind).
    #[serde(flatten)]
    pub lever: Lever,
    /// Group heading (Chinese, English).
    pub group_names: (&'static str, &'static str),
    /// Inputs it moves.
    pub inputs: Vec<String>,
    /// Unit of the inputs.
    pub unit: String,
    /// Status of the (first) input's number.
    pub status: &'static str,
    /// Source of the (first) input's number.
    pub source: String,
    /// Family keyword of the (first) input.
    pub family: &'static str,
    /// Editable fields of the (first) input's distribution, with the plan's values.
    pub fields: Vec<(String, FieldValue)>,
    /// Central value of the (first) input.
    pub central: f64,
    /// Points (x, density) of a small density drawing; for discrete and constant inputs the
    /// probabilities (a constant is one bar of height 1).
    pub density: Vec<(f64, f64)>,
    /// Suggested slider range of a shift (in the lever's unit: months for dated levers).
    pub slider: (f64, f64, f64),
}

/// A field value: a number, or a list (discrete values and probabilities).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// One number.
    Number(f64),
    /// A list of numbers.
    List(Vec<f64>),
}

/// One edit sent by the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Lever id.
    pub lever: String,
    /// Shift of every location parameter (months for dated levers), if any.
    #[serde(default)]
    pub shift: Option<f64>,
    /// New field values (family kept), for one-input levers.
    #[serde(default)]
    pub fields: Option<BTreeMap<String, FieldValue>>,
}

/// One changed input after applying edits.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Full input name.
    pub name: String,
    /// New distribution.
    pub spec: DistSpec,
    /// The lever that changed it.
    pub lever: &'static Lever,
}

/// Mean and sd of a beta(alpha, beta) on [min, max].
fn beta_mean_sd(a: f64, b: f64, min: f64, max: f64) -> (f64, f64) {
    let w = max - min;
    let m = a / (a + b);
    let v = a * b / ((a + b).powi(2) * (a + b + 1.0));
    (min + w * m, w * v.sqrt())
}

/// Editable fields of a distribution: its own parameters, except beta (mean and sd, as a
/// planner states it) and lognormal (median and the 95 % interval).
pub fn fields(spec: &DistSpec) -> Vec<(String, FieldValue)> {
    use FieldValue::{List, Number};
    let f = |pairs: &[(&str, f64)]| -> Vec<(String, FieldValue)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Number(*v)))
            .collect()
    };
    match spec {
        DistSpec::Constant(v) => f(&[("value", *v)]),
        DistSpec::Normal { mean, sd } => f(&[("mean", *mean), ("sd", *sd)]),
        DistSpec::LogNormal { median, gsd } => {
            let k = gsd.ln() * crate::analysis::stats::Z95;
            f(&[
                ("median", *median),
                ("low95", median * (-k).exp()),
                ("high95", median * k.exp()),
            ])
        }
        DistSpec::LogNormal95 { low, high } => f(&[
            ("median", (low * high).sqrt()),
            ("low95", *low),
            ("high95", *high),
        ]),
        DistSpec::Triangular { min, mode, max } | DistSpec::Pert { min, mode, max } => {
            f(&[("min", *min), ("mode", *mode), ("max", *max)])
        }
        DistSpec::Uniform { min, max } => f(&[("min", *min), ("max", *max)]),
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => {
            let (m, s) = beta_mean_sd(*alpha, *beta, *min, *max);
            f(&[("mean", m), ("sd", s)])
        }
        DistSpec::Discrete { values, probs } => vec![
            ("values".into(), List(values.clone())),
            ("probs".into(), List(probs.clone())),
        ],
    }
}

/// The distribution moved by `s` (every location parameter plus `s`; spreads unchanged; a
/// lognormal's interval moves with its median on the log scale).
pub fn shifted(spec: &DistSpec, s: f64) -> DistSpec {
    match spec.clone() {
        DistSpec::Constant(v) => DistSpec::Constant(v + s),
        DistSpec::Normal { mean, sd } => DistSpec::Normal { mean: mean + s, sd },
        DistSpec::LogNormal { median, gsd } => DistSpec::LogNormal {
            median: median + s,
            gsd,
        },
        DistSpec::LogNormal95 { low, high } => {
            let m = (low * high).sqrt();
            let r = (m + s) / m;
            DistSpec::LogNormal95 {
                low: low * r,
                high: high * r,
            }
        }
        DistSpec::Triangular { min, mode, max } => DistSpec::Triangular {
            min: min + s,
            mode: mode + s,
            max: max + s,
        },
        DistSpec::Pert { min, mode, max } => DistSpec::Pert {
            min: min + s,
            mode: mode + s,
            max: max + s,
        },
        DistSpec::Uniform { min, max } => DistSpec::Uniform {
            min: min + s,
            max: max + s,
        },
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => DistSpec::Beta {
            alpha,
            beta,
            min: min + s,
            max: max + s,
        },
        DistSpec::Discrete { values, probs } => DistSpec::Discrete {
            values: values.iter().map(|v| v + s).collect(),
            probs,
        },
    }
}

/// The distribution with new field values, family kept. Every field of the family must be
/// given, and no other.
pub fn with_fields(
    lever: &str,
    spec: &DistSpec,
    given: &BTreeMap<String, FieldValue>,
) -> Result<DistSpec, WebError> {
    let want = fields(spec);
    let keys: Vec<&str> = want.iter().map(|(k, _)| k.as_str()).collect();
    let bad_field = || WebError::BadField {
        lever: lever.to_string(),
        family: family(spec),
        expected: keys.join(", "),
        got: given.keys().cloned().collect::<Vec<_>>().join(", "),
    };
    // A lognormal is edited by its interval; the median shown is derived from it.
    let lognormal = matches!(
        spec,
        DistSpec::LogNormal { .. } | DistSpec::LogNormal95 { .. }
    );
    let needed: Vec<&str> = if lognormal {
        vec!["low95", "high95"]
    } else {
        keys.clone()
    };
    if !needed.iter().all(|k| given.contains_key(*k))
        || given.keys().any(|k| !keys.contains(&k.as_str()))
    {
        return Err(bad_field());
    }
    let num = |k: &str| -> Result<f64, WebError> {
        match given.get(k) {
            Some(FieldValue::Number(x)) if x.is_finite() => Ok(*x),
            _ => Err(WebError::BadNumber {
                lever: lever.to_string(),
                field: k.to_string(),
                reason: "must be a finite number".into(),
            }),
        }
    };
    let list = |k: &str| -> Result<Vec<f64>, WebError> {
        match given.get(k) {
            Some(FieldValue::List(v)) if !v.is_empty() && v.iter().all(|x| x.is_finite()) => {
                Ok(v.clone())
            }
            _ => Err(WebError::BadNumber {
                lever: lever.to_string(),
                field: k.to_string(),
                reason: "must be a non-empty list of finite numbers".into(),
            }),
        }
    };
    Ok(match spec {
        DistSpec::Constant(_) => DistSpec::Constant(num("value")?),
        DistSpec::Normal { .. } => DistSpec::Normal {
            mean: num("mean")?,
            sd: num("sd")?,
        },
        DistSpec::LogNormal { .. } | DistSpec::LogNormal95 { .. } => DistSpec::LogNormal95 {
            low: num("low95")?,
            high: num("high95")?,
        },
        DistSpec::Triangular { .. } => DistSpec::Triangular {
            min: num("min")?,
            mode: num("mode")?,
            max: num("max")?,
        },
        DistSpec::Pert { .. } => DistSpec::Pert {
            min: num("min")?,
            mode: num("mode")?,
            max: num("max")?,
        },
        DistSpec::Uniform { .. } => DistSpec::Uniform {
            min: num("min")?,
            max: num("max")?,
        },
        DistSpec::Beta { min, max, .. } => {
            // Method of moments on [min, max]: m = a/(a+b), v = m(1−m)/(a+b+1).
            let (w, mean, sd) = (max - min, num("mean")?, num("sd")?);
            let (m, s) = ((mean - min) / w, sd / w);
            let k = m * (1.0 - m) / (s * s) - 1.0;
            if !(m > 0.0 && m < 1.0 && s > 0.0 && k > 0.0) {
                return Err(WebError::BadNumber {
                    lever: lever.to_string(),
                    field: "sd".into(),
                    reason: format!(
                        "no beta on [{min}, {max}] has mean {mean} and sd {sd} (the sd must be below √(m(1−m)) of the range)"
                    ),
                });
            }
            DistSpec::Beta {
                alpha: m * k,
                beta: (1.0 - m) * k,
                min: *min,
                max: *max,
            }
        }
        DistSpec::Discrete { .. } => DistSpec::Discrete {
            values: list("values")?,
            probs: list("probs")?,
        },
    })
}

/// Inputs of `scenario` a lever moves, by position.
pub fn lever_inputs(scenario: &Scenario, lever: &Lever) -> Vec<usize> {
    scenario
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| matches(lever.pattern, &p.name))
        .map(|(i, _)| i)
        .collect()
}

/// Largest shift of a dated lever on the page (months).
pub const MAX_SHIFT_MONTHS: f64 = 60.0;

/// Months → the input's unit (inputs in years move by months / 12).
fn shift_in_unit(unit: &str, months: f64) -> f64 {
    if unit == "year" {
        months / 12.0
    } else {
        months
    }
}

/// Applies the page's edits to `scenario`'s inputs. Unknown levers, a lever edited twice,
/// fields of another family and non-finite numbers are errors.
pub fn apply_edits(scenario: &Scenario, edits: &[Edit]) -> Result<Vec<Change>, WebError> {
    let mut out: Vec<Change> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for e in edits {
        let lever = crate::scenario::schema::levers::lever(&e.lever).ok_or_else(|| {
            WebError::UnknownLever {
                id: e.lever.clone(),
                known: LEVERS.iter().map(|l| l.id).collect::<Vec<_>>().join(", "),
            }
        })?;
        if seen.contains(&lever.id) {
            return Err(WebError::BadRequest(format!(
                "lever '{}' is edited twice in one request",
                lever.id
            )));
        }
        seen.push(lever.id);
        let inputs = lever_inputs(scenario, lever);
        if inputs.is_empty() {
            return Err(WebError::BadRequest(format!(
                "lever '{}' moves no input of scenario '{}'",
                lever.id, scenario.meta.id
            )));
        }
        for i in inputs {
            let p = &scenario.params[i];
            let mut spec = p.spec.clone();
            if let Some(f) = &e.fields {
                if lever.kind != LeverKind::Value {
                    return Err(WebError::BadRequest(format!(
                        "lever '{}' moves several dates and is edited by a shift in months only",
                        lever.id
                    )));
                }
                spec = with_fields(lever.id, &spec, f)?;
            }
            if let Some(s) = e.shift {
                if !s.is_finite() {
                    return Err(WebError::BadNumber {
                        lever: lever.id.into(),
                        field: "shift".into(),
                        reason: "must be a finite number".into(),
                    });
                }
                let s = match lever.kind {
                    LeverKind::DateShiftMonths => {
                        if s.fract() != 0.0 || s.abs() > MAX_SHIFT_MONTHS {
                            return Err(WebError::BadNumber {
                                lever: lever.id.into(),
                                field: "shift".into(),
                                reason: format!(
                                    "must be whole months within ±{MAX_SHIFT_MONTHS}, got {s}"
                                ),
                            });
                        }
                        shift_in_unit(&p.unit, s)
                    }
                    LeverKind::Value => s,
                };
                spec = shifted(&spec, s);
            }
            if spec != p.spec {
                out.push(Change {
                    name: p.name.clone(),
                    spec,
                    lever,
                });
            }
        }
    }
    Ok(out)
}

/// The page's view of every lever that moves an input of `scenario`.
pub fn lever_views(scenario: &Scenario) -> Vec<LeverView> {
    let mut out = Vec::new();
    for lever in LEVERS {
        let inputs = lever_inputs(scenario, lever);
        let Some(&first) = inputs.first() else {
            continue;
        };
        let p = &scenario.params[first];
        let Ok(d) = Distribution::from_spec(&p.spec) else {
            continue;
        };
        let (lo, hi) = (d.inverse_cdf(0.001), d.inverse_cdf(0.999));
        let spread = if hi > lo {
            hi - lo
        } else {
            d.central().abs().max(1.0)
        };
        let slider = match lever.kind {
            LeverKind::DateShiftMonths => (-24.0, 24.0, 1.0),
            LeverKind::Value => (-spread, spread, spread / 100.0),
        };
        out.push(LeverView {
            lever: *lever,
            group_names: lever.group.names(),
            inputs: inputs
                .iter()
                .map(|&i| scenario.params[i].name.clone())
                .collect(),
            unit: p.unit.clone(),
            status: p.provenance.status.as_str(),
            source: p.provenance.source.clone(),
            family: family(&p.spec),
            fields: fields(&p.spec),
            central: d.central(),
            density: density(&p.spec, &d),
            slider,
        });
    }
    out
}

/// A small density drawing: from the inverse CDF on a grid of probabilities (density ≈
/// Δu / Δx between neighbouring quantiles); discrete and constant inputs give their bars.
pub fn density(spec: &DistSpec, d: &Distribution) -> Vec<(f64, f64)> {
    match spec {
        DistSpec::Constant(v) => vec![(*v, 1.0)],
        DistSpec::Discrete { values, probs } => {
            values.iter().copied().zip(probs.iter().copied()).collect()
        }
        _ => {
            const N: usize = 40;
            let q: Vec<(f64, f64)> = (0..=N)
                .map(|k| {
                    let u = 0.002 + 0.996 * k as f64 / N as f64;
                    (u, d.inverse_cdf(u))
                })
                .collect();
            q.windows(2)
                .filter(|w| w[1].1 > w[0].1)
                .map(|w| {
                    (
                        (w[0].1 + w[1].1) / 2.0,
                        (w[1].0 - w[0].0) / (w[1].1 - w[0].1),
                    )
                })
                .collect()
        }
    }
}

/// Id of the edited scenario of a parent.
pub fn edited_id(parent: &str) -> String {
    format!("{parent}-edited")
}

/// The scenario file of the edits: `extends` the parent and states only the changed inputs
/// (a changed per-year anchor writes its whole year path, since a path is replaced as a
/// whole), each `status = "assumption"` with a source naming the lever and the date.
pub fn edited_toml(parent: &Scenario, changes: &[Change], date: &str) -> String {
    let m = &parent.meta;
    let mut out = format!(
        "# Written by `tanfeng serve` on {date}: the scenario '{}' with the levers moved on the page.\n\
         # Run it with: tanfeng run <this file> (same seed and draws as the page give the same numbers).\n\n\
         [scenario]\nid = {}\ntitle_zh = {}\ntitle_en = {}\ndescription = {}\nextends = {}\n",
        m.id,
        tstr(&edited_id(&m.id)),
        tstr(&format!("{}（调整）", m.title_zh)),
        tstr(&format!("{} (edited)", m.title_en)),
        tstr(&format!(
            "'{}' with {} input(s) changed in the planner's workbench on {date}",
            m.id,
            changes.len()
        )),
        tstr(&m.id),
    );
    let mut bases: Vec<&str> = Vec::new();
    for c in changes {
        let base = c.name.split('@').next().unwrap_or(&c.name);
        if !bases.contains(&base) {
            bases.push(base);
        }
    }
    for base in bases {
        let in_base = |c: &&Change| c.name.split('@').next() == Some(base);
        let lever = changes.iter().find(in_base).map(|c| c.lever);
        let Some(lever) = lever else { continue };
        let was: Vec<String> = parent
            .params
            .iter()
            .filter(|p| p.name == base || p.name.starts_with(&format!("{base}@")))
            .filter(|p| changes.iter().any(|c| c.name == p.name))
            .filter_map(|p| {
                Distribution::from_spec(&p.spec)
                    .ok()
                    .map(|d| format!("{}: {}", p.name, d.describe()))
            })
            .collect();
        let unit = parent
            .params
            .iter()
            .find(|p| p.name == base || p.name.starts_with(&format!("{base}@")))
            .map_or(String::new(), |p| p.unit.clone());
        out.push_str(&format!("\n[{base}]\n"));
        let spec_of = |name: &str, old: &DistSpec| -> DistSpec {
            changes
                .iter()
                .find(|c| c.name == name)
                .map_or_else(|| old.clone(), |c| c.spec.clone())
        };
        let anchors: Vec<(&str, DistSpec)> = parent
            .params
            .iter()
            .filter_map(|p| {
                p.name
                    .strip_prefix(base)
                    .and_then(|r| r.strip_prefix('@'))
                    .map(|y| (y, spec_of(&p.name, &p.spec)))
            })
            .collect();
        if let (true, Some(p)) = (anchors.is_empty(), parent.param(base)) {
            for (k, v) in spec_keys(&spec_of(base, &p.spec)) {
                out.push_str(&format!("{k} = {v}\n"));
            }
        }
        out.push_str(&format!(
            "unit = {}\nstatus = \"assumption\"\n",
            tstr(&unit)
        ));
        out.push_str(&format!(
            "source = {}\n",
            tstr(&format!(
                "planner's workbench (tanfeng serve), lever '{}' ({}), edited {date}",
                lever.id, lever.name_en
            ))
        ));
        out.push_str(&format!(
            "note = {}\n",
            tstr(&format!("was in '{}': {}", parent.meta.id, was.join("; ")))
        ));
        if !anchors.is_empty() {
            let items: Vec<String> = anchors
                .iter()
                .map(|(y, s)| {
                    let kv: Vec<String> = spec_keys(s)
                        .into_iter()
                        .map(|(k, v)| format!("{k} = {v}"))
                        .collect();
                    format!("{y} = {{ {} }}", kv.join(", "))
                })
                .collect();
            out.push_str(&format!("by_year = {{ {} }}\n", items.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Scenario {
        crate::scenario::load_embedded("plan").expect("plan loads")
    }

    #[test]
    fn a_shift_of_the_biomass_delay_moves_every_plant_by_twelve_months() {
        let s = plan();
        let edits = [Edit {
            lever: "biomass_delay".into(),
            shift: Some(12.0),
            fields: None,
        }];
        let ch = apply_edits(&s, &edits).expect("applies");
        assert_eq!(ch.len(), 8, "eight plants");
        for c in &ch {
            assert_eq!(
                c.spec,
                DistSpec::Triangular {
                    min: 12.0,
                    mode: 18.0,
                    max: 36.0
                },
                "{}",
                c.name
            );
        }
    }

    #[test]
    fn the_saved_file_reloads_to_the_edited_inputs_and_nothing_else() {
        let s = plan();
        let mut f = BTreeMap::new();
        f.insert("min".to_string(), FieldValue::Number(100.0));
        f.insert("mode".to_string(), FieldValue::Number(800.0));
        f.insert("max".to_string(), FieldValue::Number(1600.0));
        let edits = [
            Edit {
                lever: "biomass_delay".into(),
                shift: Some(12.0),
                fields: None,
            },
            Edit {
                lever: "solar_new_2025".into(),
                shift: None,
                fields: Some(f),
            },
        ];
        let ch = apply_edits(&s, &edits).expect("applies");
        let text = edited_toml(&s, &ch, "2026-12-05");
        let e = crate::scenario::load_str("edited.toml", &text).expect(&text);
        assert_eq!(e.params.len(), s.params.len());
        for (a, b) in e.params.iter().zip(&s.params) {
            assert_eq!(a.name, b.name);
            match ch.iter().find(|c| c.name == a.name) {
                Some(c) => {
                    assert_eq!(a.spec, c.spec, "{}", a.name);
                    assert_eq!(a.provenance.status.as_str(), "assumption");
                }
                None => assert_eq!(a.spec, b.spec, "{} unchanged", a.name),
            }
        }
    }

    #[test]
    fn edits_keep_the_family_and_refuse_other_fields() {
        let s = plan();
        let mut f = BTreeMap::new();
        f.insert("mean".to_string(), FieldValue::Number(0.5));
        let bad = [Edit {
            lever: "solar_new_2025".into(),
            shift: None,
            fields: Some(f),
        }];
        assert!(matches!(
            apply_edits(&s, &bad),
            Err(WebError::BadField { .. })
        ));
        let unknown = [Edit {
            lever: "no_such".into(),
            shift: Some(1.0),
            fields: None,
        }];
        assert!(matches!(
            apply_edits(&s, &unknown),
            Err(WebError::UnknownLever { .. })
        ));
        let half = [Edit {
            lever: "biomass_delay".into(),
            shift: Some(1.5),
            fields: None,
        }];
        assert!(matches!(
            apply_edits(&s, &half),
            Err(WebError::BadNumber { .. })
        ));
    }

    #[test]
    fn beta_mean_and_sd_round_trip() {
        let spec = DistSpec::Beta {
            alpha: 2.0,
            beta: 5.0,
            min: 0.0,
            max: 10.0,
        };
        let f: BTreeMap<String, FieldValue> = fields(&spec).into_iter().collect();
        let back = with_fields("x", &spec, &f).expect("same moments");
        let DistSpec::Beta { alpha, beta, .. } = back else {
            panic!("family kept")
        };
        assert!((alpha - 2.0).abs() < 1e-9 && (beta - 5.0).abs() < 1e-9);
    }
}
