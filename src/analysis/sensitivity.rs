//! Sensitivity glue: runs a scenario's draws keeping the uncertain inputs, then rank measures
//! ([`super::rank`]) per indicator and per target; and variance-based Sobol indices
//! ([`super::sobol`]) over all uncertain inputs, optionally grouped.
//!
//! **Sobol and correlations.** Sobol indices assume independent inputs. Inputs linked by a
//! declared correlation are therefore always put in the same group (groups sharing a
//! correlated component are merged), so groups stay independent and the Gaussian copula of
//! [`Sampler::values_from_uniforms`] is applied inside a group exactly as in ordinary runs.
//!
//! **Default grouping** (see [`sobol_groups`]): the `@YEAR` anchors of a year path form one
//! input, then inputs are grouped by their first two dotted name components, e.g.
//! `biomass_chp.plant` (all plants), `fleet.private_car`, `economy.gdp_growth`,
//! `accounting.grid_co2_kg_per_kwh`; `--group NAME=PREFIX` puts every uncertain input whose name
//! starts with PREFIX into group NAME first (first matching rule wins); `ungrouped` gives each
//! input (year path anchors separately) its own group, still merging correlated inputs.

use super::AnalysisError;
use super::rank::{Srrc, separation, spearman, srrc};
use super::sobol::{SaltelliDesign, SobolPart, sobol_part};
use crate::engine::{
    CHUNK, EngineError, MAX_DRAWS, ResolvedTarget, Shard, fold_chunks, n_chunks, resolve_targets,
};
use crate::model::Model;
use crate::scenario::Scenario;
use crate::uncertainty::Sampler;

/// Errors of the sensitivity, decomposition and back-casting glue.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum WhyError {
    /// An indicator name the model does not report.
    #[error("unknown indicator '{name}'; known: {known}")]
    UnknownIndicator {
        /// The name given.
        name: String,
        /// Known indicators.
        known: String,
    },
    /// A malformed `--group NAME=PREFIX` or a prefix that matches no uncertain input.
    #[error("bad group '{spec}': {reason}")]
    BadGroup {
        /// The group as given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// A draw or sample count outside its range.
    #[error("{what} must be between {min} and {max}, got {got}")]
    BadCount {
        /// Which count.
        what: &'static str,
        /// Value given.
        got: u64,
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// A lever that cannot be parsed or names no input.
    #[error("bad lever '{spec}': {reason}")]
    BadLever {
        /// The lever as given.
        spec: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// No (or no unique) scenario target on the indicator.
    #[error("{reason}")]
    NoTarget {
        /// Which targets exist.
        reason: String,
    },
    /// The scenario has no uncertain input.
    #[error("scenario has no uncertain input to analyse")]
    NothingUncertain,
    /// Statistical machinery failed.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// Target resolution failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Draws of a scenario with the uncertain inputs kept (memory n × k).
#[derive(Debug, Clone)]
pub struct DrawSet {
    /// Parameter index of each uncertain input (column order).
    pub inputs: Vec<usize>,
    /// Names of the uncertain inputs.
    pub names: Vec<String>,
    /// `columns[j][d]`: value of input j in draw d.
    pub columns: Vec<Vec<f64>>,
    /// Indicator names.
    pub indicator_names: Vec<&'static str>,
    /// `indicators[i][d]`: horizon value of indicator i in draw d.
    pub indicators: Vec<Vec<f64>>,
    /// The scenario's targets.
    pub targets: Vec<ResolvedTarget>,
    /// `met[k][d]`: whether draw d meets target k.
    pub met: Vec<Vec<bool>>,
}

/// `--draws` of the analyses: at least 2 (a spread needs two draws), at most the engine's
/// bound.
pub(crate) fn check_draws(draws: u64) -> Result<(), WhyError> {
    if (2..=MAX_DRAWS).contains(&draws) {
        Ok(())
    } else {
        Err(WhyError::BadCount {
            what: "--draws",
            got: draws,
            min: 2,
            max: MAX_DRAWS,
        })
    }
}

/// Runs `draws` draws (the same draws as `tanfeng run` with this seed) in parallel, keeping
/// every uncertain input, the horizon indicators and the target outcomes.
pub fn run_draws(
    scenario: &Scenario,
    model: &Model,
    sampler: &Sampler,
    draws: u64,
    seed: u64,
) -> Result<DrawSet, WhyError> {
    check_draws(draws)?;
    let targets = resolve_targets(model, &scenario.targets)?;
    let inputs = sampler.uncertain().to_vec();
    if inputs.is_empty() {
        return Err(WhyError::NothingUncertain);
    }
    let n = draws as usize;
    let (k, np) = (inputs.len(), sampler.n_params());
    let n_ind = model.indicator_defs().len();
    let n_t = targets.len();
    // Per chunk: uncertain inputs (draw-major), indicators, target values.
    let mut chunks: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> = Vec::new();
    fold_chunks(
        0..n_chunks(draws, CHUNK),
        || model.workspace(),
        |ws, c| {
            let first = c * CHUNK;
            let m = CHUNK.min(n - first);
            let mut params = vec![0.0; m * np];
            sampler.sample_block(seed, first as u64, m, &mut params);
            let mut xin = Vec::with_capacity(m * k);
            let mut ind = vec![0.0; m * n_ind];
            let mut tv = vec![0.0; m * n_t];
            let mut at = vec![0.0; n_ind];
            for (d, row) in params.chunks_exact(np).enumerate() {
                xin.extend(inputs.iter().map(|&p| row[p]));
                model.simulate_into(row, ws);
                model.indicators_into(&ws.trajectory, &mut ind[d * n_ind..(d + 1) * n_ind]);
                for (j, rt) in targets.iter().enumerate() {
                    model.indicators_at(&ws.trajectory, rt.t, &mut at);
                    tv[d * n_t + j] = at[rt.indicator];
                }
            }
            ((), (xin, ind, tv))
        },
        |_, rows| chunks.push(rows),
        |_| {},
    );
    let mut columns: Vec<Vec<f64>> = (0..k).map(|_| Vec::with_capacity(n)).collect();
    let mut indicators: Vec<Vec<f64>> = (0..n_ind).map(|_| Vec::with_capacity(n)).collect();
    let mut met: Vec<Vec<bool>> = (0..n_t).map(|_| Vec::with_capacity(n)).collect();
    for (xin, ind, tv) in &chunks {
        for row in xin.chunks_exact(k) {
            for (c, v) in columns.iter_mut().zip(row) {
                c.push(*v);
            }
        }
        for row in ind.chunks_exact(n_ind.max(1)) {
            for (c, v) in indicators.iter_mut().zip(row) {
                c.push(*v);
            }
        }
        if n_t > 0 {
            for row in tv.chunks_exact(n_t) {
                for ((c, v), rt) in met.iter_mut().zip(row).zip(&targets) {
                    c.push(rt.target.is_met(*v));
                }
            }
        }
    }
    Ok(DrawSet {
        names: inputs
            .iter()
            .map(|&p| sampler.name(p).to_string())
            .collect(),
        inputs,
        columns,
        indicator_names: model.indicator_defs().iter().map(|d| d.name).collect(),
        indicators,
        targets,
        met,
    })
}

/// Position of an indicator by name, or an error listing the known ones.
pub fn indicator_index(names: &[&str], name: &str) -> Result<usize, WhyError> {
    names
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| WhyError::UnknownIndicator {
            name: name.to_string(),
            known: names.join(", "),
        })
}

/// Rank measures of one indicator.
#[derive(Debug, Clone)]
pub struct RankIndicator {
    /// Indicator position in [`DrawSet::indicator_names`].
    pub indicator: usize,
    /// Spearman correlation of each input with the indicator (NaN when undefined).
    pub spearman: Vec<f64>,
    /// SRRC of each input (NaN when the regression is undefined; see `note`).
    pub srrc: Vec<f64>,
    /// R² of the rank regression (NaN when undefined).
    pub r_squared: f64,
    /// Why the regression is missing, if it is.
    pub note: Option<String>,
}

impl RankIndicator {
    /// Input columns ordered by decreasing |SRRC| (|Spearman| when SRRC is NaN).
    pub fn order(&self) -> Vec<usize> {
        let key = |j: usize| {
            let s = self.srrc[j];
            if s.is_nan() {
                self.spearman[j].abs()
            } else {
                s.abs()
            }
        };
        let mut idx: Vec<usize> = (0..self.srrc.len()).collect();
        idx.sort_by(|&a, &b| {
            let (ka, kb) = (key(a), key(b));
            kb.partial_cmp(&ka)
                .unwrap_or_else(|| ka.is_nan().cmp(&kb.is_nan()))
        });
        idx
    }
}

/// Rank sensitivity of all (or one) indicators, and target separation.
#[derive(Debug, Clone)]
pub struct RankResult {
    /// Per analysed indicator.
    pub indicators: Vec<RankIndicator>,
    /// Per target (in [`DrawSet::targets`] order): separation of each input.
    pub separation: Vec<Vec<f64>>,
}

/// Spearman and SRRC of every uncertain input with each indicator (or only `only`), and the
/// separation of met vs missed draws for every target. Non-finite indicator values (e.g. a
/// ratio with a zero base) exclude the indicator with a note.
pub fn rank_sensitivity(ds: &DrawSet, only: Option<usize>) -> Result<RankResult, WhyError> {
    let which: Vec<usize> = match only {
        Some(i) => vec![i],
        None => (0..ds.indicators.len()).collect(),
    };
    let mut out = Vec::with_capacity(which.len());
    for i in which {
        let y = &ds.indicators[i];
        let spearman_v: Vec<f64> = ds.columns.iter().map(|c| spearman(c, y)).collect();
        let (coef, r2, note) = match srrc(&ds.columns, y) {
            Ok(Srrc {
                coefficients,
                r_squared,
            }) => (coefficients, r_squared, None),
            Err(e) => (
                vec![f64::NAN; ds.columns.len()],
                f64::NAN,
                Some(format!("no rank regression: {e}")),
            ),
        };
        out.push(RankIndicator {
            indicator: i,
            spearman: spearman_v,
            srrc: coef,
            r_squared: r2,
            note,
        });
    }
    let sep = ds
        .met
        .iter()
        .map(|m| separation(&ds.columns, m))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RankResult {
        indicators: out,
        separation: sep,
    })
}

/// A named group of uncertain inputs for Sobol indices.
#[derive(Debug, Clone, PartialEq)]
pub struct InputGroup {
    /// Group name (a name prefix, a `--group` name, or names joined by `+` after merging).
    pub name: String,
    /// Positions in [`Sampler::uncertain`].
    pub members: Vec<usize>,
}

/// Default group key of a parameter name: strip `@YEAR`, keep the first two components.
fn default_key(name: &str, ungrouped: bool) -> String {
    let base = name.split('@').next().unwrap_or(name);
    if ungrouped {
        return name.to_string();
    }
    let mut parts = base.splitn(3, '.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        _ => base.to_string(),
    }
}

/// Groups the uncertain inputs (rules in the module docs). `user` holds `NAME=PREFIX` specs.
pub fn sobol_groups(
    scenario: &Scenario,
    sampler: &Sampler,
    user: &[String],
    ungrouped: bool,
) -> Result<Vec<InputGroup>, WhyError> {
    let unc = sampler.uncertain();
    if unc.is_empty() {
        return Err(WhyError::NothingUncertain);
    }
    let mut rules: Vec<(String, String)> = Vec::new();
    for spec in user {
        let (name, prefix) = spec.split_once('=').ok_or_else(|| WhyError::BadGroup {
            spec: spec.clone(),
            reason: "expected NAME=PREFIX".into(),
        })?;
        if name.is_empty() || prefix.is_empty() {
            return Err(WhyError::BadGroup {
                spec: spec.clone(),
                reason: "NAME and PREFIX must not be empty".into(),
            });
        }
        if !unc.iter().any(|&p| sampler.name(p).starts_with(prefix)) {
            return Err(WhyError::BadGroup {
                spec: spec.clone(),
                reason: format!("no uncertain input starts with '{prefix}'"),
            });
        }
        rules.push((name.to_string(), prefix.to_string()));
    }
    // Assign keys.
    let mut keys: Vec<String> = Vec::new();
    let mut key_of = Vec::with_capacity(unc.len());
    for &p in unc {
        let name = sampler.name(p);
        let key = rules
            .iter()
            .find(|(_, pre)| name.starts_with(pre.as_str()))
            .map(|(g, _)| g.clone())
            .unwrap_or_else(|| default_key(name, ungrouped));
        let g = match keys.iter().position(|k| *k == key) {
            Some(g) => g,
            None => {
                keys.push(key);
                keys.len() - 1
            }
        };
        key_of.push(g);
    }
    // Merge groups linked by a correlation (union–find over groups).
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let pos = |name: &str| {
        scenario
            .index_of(name)
            .and_then(|p| unc.iter().position(|&u| u == p))
    };
    for c in &scenario.correlations {
        if let (Some(a), Some(b)) = (pos(&c.a), pos(&c.b)) {
            let (ra, rb) = (root(&mut parent, key_of[a]), root(&mut parent, key_of[b]));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: Vec<InputGroup> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; keys.len()];
    for (j, &g) in key_of.iter().enumerate() {
        let r = root(&mut parent, g);
        let s = match slot[r] {
            Some(s) => s,
            None => {
                let members_keys: Vec<&str> = (0..keys.len())
                    .filter(|&h| root(&mut parent, h) == r)
                    .map(|h| keys[h].as_str())
                    .collect();
                groups.push(InputGroup {
                    name: members_keys.join("+"),
                    members: Vec::new(),
                });
                slot[r] = Some(groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[s].members.push(j);
    }
    Ok(groups)
}

/// The Sobol sums of every model output over the base rows of `shard` of one Saltelli
/// design over the uncertain inputs of `sampler`: a row's uniforms are mapped to values with
/// [`Sampler::values_from_uniforms`] (constants fixed), then `eval(state, values, outputs)`
/// fills `n_out` outputs. Rows are evaluated through the engine's loop, one `init()` state
/// (e.g. a model workspace) per worker. [`SobolPart::finish`] gives one result per output (an
/// output can fail alone, e.g. when constant).
#[allow(clippy::too_many_arguments)]
pub fn sobol_with<S, I, F>(
    sampler: &Sampler,
    groups: &[InputGroup],
    n: usize,
    seed: u64,
    n_boot: usize,
    n_out: usize,
    shard: Shard,
    init: I,
    eval: F,
) -> Result<SobolPart, WhyError>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &[f64], &mut [f64]) + Sync,
    S: Send,
{
    let unc = sampler.uncertain();
    let k = unc.len();
    if k == 0 {
        return Err(WhyError::NothingUncertain);
    }
    let design = SaltelliDesign::new(
        k,
        n,
        Some(groups.iter().map(|g| g.members.clone()).collect()),
        seed,
    )?;
    let np = sampler.n_params();
    let to_values = |uk: &[f64], u: &mut Vec<f64>, values: &mut Vec<f64>| {
        for (&p, &x) in unc.iter().zip(uk) {
            u[p] = x;
        }
        sampler.values_from_uniforms(u, values);
    };
    // The outputs at the median inputs: the shift of the sums of squares.
    let mut shift = vec![0.0; n_out];
    {
        let (mut state, mut u, mut values) = (init(), vec![0.5; np], vec![0.0; np]);
        to_values(&vec![0.5; k], &mut u, &mut values);
        eval(&mut state, &values, &mut shift);
        for v in &mut shift {
            if !v.is_finite() {
                *v = 0.0;
            }
        }
    }
    Ok(sobol_part(
        &design,
        n_boot,
        seed ^ 0x5EED_B007,
        n_out,
        &shift,
        shard,
        || (init(), vec![0.5; np], vec![0.0; np]),
        |(state, u, values), uk, out| {
            to_values(uk, u, values);
            eval(state, values, out);
        },
    ))
}

/// [`sobol_with`] on the city model: the outputs are the horizon indicators.
pub fn sobol_model(
    model: &Model,
    sampler: &Sampler,
    groups: &[InputGroup],
    n: usize,
    seed: u64,
    n_boot: usize,
    shard: Shard,
) -> Result<SobolPart, WhyError> {
    let n_ind = model.indicator_defs().len();
    sobol_with(
        sampler,
        groups,
        n,
        seed,
        n_boot,
        n_ind,
        shard,
        || model.workspace(),
        |ws, values, out| {
            model.simulate_into(values, ws);
            model.indicators_into(&ws.trajectory, out);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Correlation, DistSpec, Meta, Options, Param, load_embedded};

    fn uniform_scenario(k: usize, correlated: bool) -> Scenario {
        let params = (0..k)
            .map(|i| {
                Param::built(
                    &format!("x.in{i}"),
                    DistSpec::Uniform { min: 0.0, max: 1.0 },
                    "1",
                )
            })
            .chain([Param::built("x.fixed", DistSpec::Constant(3.0), "1")])
            .collect();
        let corr = if correlated {
            vec![Correlation {
                a: "x.in0".into(),
                b: "x.in1".into(),
                rho: 0.5,
                pos: None,
            }]
        } else {
            vec![]
        };
        Scenario::new(
            Meta::built("t", 2020, 2025),
            Options::default(),
            params,
            corr,
            vec![],
        )
    }

    #[test]
    fn additive_model_through_the_glue_has_first_equal_total() {
        let s = uniform_scenario(3, false);
        let sampler = Sampler::new(&s).unwrap();
        let groups = sobol_groups(&s, &sampler, &[], true).unwrap();
        assert_eq!(groups.len(), 3);
        // y = x0 + 2 x1 + 3 x2 (+ the constant): V_i ∝ 1, 4, 9 → S = 1/14, 4/14, 9/14.
        let res = sobol_with(
            &sampler,
            &groups,
            8192,
            11,
            100,
            1,
            Shard::WHOLE,
            || (),
            |_, v, o| {
                let fixed = v[s.index_of("x.fixed").unwrap()];
                o[0] = fixed
                    + v[s.index_of("x.in0").unwrap()]
                    + 2.0 * v[s.index_of("x.in1").unwrap()]
                    + 3.0 * v[s.index_of("x.in2").unwrap()];
            },
        )
        .unwrap()
        .finish();
        let r = res[0].as_ref().unwrap();
        for (g, want) in [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0].iter().enumerate() {
            assert!((r.first[g].value - r.total[g].value).abs() < 0.03, "{r:?}");
            assert!((r.total[g].value - want).abs() < 0.03, "{r:?}");
        }
    }

    #[test]
    fn correlated_inputs_share_a_group_and_user_groups_apply() {
        let s = uniform_scenario(4, true);
        let sampler = Sampler::new(&s).unwrap();
        let g = sobol_groups(&s, &sampler, &[], true).unwrap();
        assert_eq!(g.len(), 3, "{g:?}");
        assert_eq!(g[0].members, vec![0, 1]);
        let g = sobol_groups(&s, &sampler, &["late=x.in3".into()], false).unwrap();
        // Default keys keep two name components (x.in2 alone); the user group takes x.in3.
        assert_eq!(g.len(), 3, "{g:?}");
        assert_eq!(g[0].name, "x.in0+x.in1");
        assert_eq!(
            (g[2].name.as_str(), g[2].members.as_slice()),
            ("late", &[3][..])
        );
        assert!(sobol_groups(&s, &sampler, &["bad".into()], false).is_err());
        assert!(sobol_groups(&s, &sampler, &["a=nothing".into()], false).is_err());
    }

    #[test]
    fn rank_on_plan_puts_an_economy_or_accounting_input_high_for_co2_intensity() {
        let s = load_embedded("plan").unwrap();
        let sampler = Sampler::new(&s).unwrap();
        let model = Model::new(&s).unwrap();
        let ds = run_draws(&s, &model, &sampler, 2000, 20_220_509).unwrap();
        let i = indicator_index(&ds.indicator_names, "co2_intensity_change").unwrap();
        let r = rank_sensitivity(&ds, Some(i)).unwrap();
        let top: Vec<&str> = r.indicators[0].order()[..10]
            .iter()
            .map(|&j| ds.names[j].as_str())
            .collect();
        assert!(
            top.iter().any(|n| n.starts_with("economy.")
                || n.starts_with("accounting.")
                || n.starts_with("calibration.")),
            "{top:?}"
        );
        assert!(
            r.indicators[0].r_squared > 0.5,
            "{}",
            r.indicators[0].r_squared
        );
        // Same draws as the engine: the kept input column equals a fresh sample.
        let np = sampler.n_params();
        let mut row = vec![0.0; np];
        sampler.sample_block(20_220_509, 1234, 1, &mut row);
        assert_eq!(ds.columns[0][1234], row[ds.inputs[0]]);
    }

    #[test]
    fn plan_default_groups_keep_plants_and_economy_together() {
        let s = load_embedded("plan").unwrap();
        let sampler = Sampler::new(&s).unwrap();
        let g = sobol_groups(&s, &sampler, &[], false).unwrap();
        let names: Vec<&str> = g.iter().map(|x| x.name.as_str()).collect();
        assert!(names.contains(&"biomass_chp.plant"), "{names:?}");
        assert!(
            names
                .iter()
                .any(|n| n.contains("economy.gdp_growth")
                    && n.contains("economy.industry_va_growth")),
            "{names:?}"
        );
        let total: usize = g.iter().map(|x| x.members.len()).sum();
        assert_eq!(total, sampler.uncertain().len());
    }
}
