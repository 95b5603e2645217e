//! Back-casting glue: the value of a scenario lever at which a target is met with a required
//! probability ([`super::backcast`]), with common random numbers — the draws are sampled once
//! and the lever only modifies each draw vector before the model runs again.
//!
//! **Levers** (`KIND:NAME`, NAME a parameter or a year-path base name):
//! - `add:NAME` adds the lever value (in the input's unit) to the input; for a year path, to
//!   every anchor after the base year (`add:NAME@YEAR`: to anchors in YEAR and later), so the
//!   base year stays calibrated;
//! - `set:NAME` replaces the input (the same anchors) by the lever value;
//! - `scale:NAME` multiplies it (the same anchors) by the lever value.
//!
//! Default ranges: `add` 0 … max(1, 3·|largest central value of the anchors|); `scale` 0 … 3;
//! `set` needs `--range`. The range is the user's: values outside an input's physical domain
//! (a share above 1) are passed to the model as they are.

use std::collections::HashMap;

use super::backcast::{Backcast, BackcastSpec, Direction, backcast};
use super::sensitivity::WhyError;
use crate::engine::{CHUNK, ResolvedTarget, fold_chunks, n_chunks};
use crate::model::Model;
use crate::scenario::{Scenario, Target};
use crate::uncertainty::Sampler;

/// What a lever does to the inputs it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeverKind {
    /// Adds the lever value.
    Add,
    /// Replaces by the lever value.
    Set,
    /// Multiplies by the lever value.
    Scale,
}

/// A parsed lever: its kind and the parameter indices it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Lever {
    /// The lever as written.
    pub spec: String,
    /// What it does.
    pub kind: LeverKind,
    /// Parameter indices changed (scalar, or the selected anchors of a year path).
    pub params: Vec<usize>,
}

impl Lever {
    /// Parses `KIND:NAME[@YEAR]` against a scenario (rules in the module docs).
    pub fn parse(spec: &str, scenario: &Scenario) -> Result<Lever, WhyError> {
        let bad = |reason: String| WhyError::BadLever {
            spec: spec.to_string(),
            reason,
        };
        let (kind, name) = spec
            .split_once(':')
            .ok_or_else(|| bad("expected KIND:NAME with KIND one of add, set, scale".into()))?;
        let kind = match kind {
            "add" => LeverKind::Add,
            "set" => LeverKind::Set,
            "scale" => LeverKind::Scale,
            k => return Err(bad(format!("unknown kind '{k}'; allowed: add, set, scale"))),
        };
        let (base, from_year) = match name.split_once('@') {
            Some((b, y)) => {
                let y: i32 = y
                    .parse()
                    .map_err(|_| bad(format!("'{y}' after @ is not a year")))?;
                (b, Some(y))
            }
            None => (name, None),
        };
        if from_year.is_none()
            && let Some(p) = scenario.index_of(base)
        {
            return Ok(Lever {
                spec: spec.to_string(),
                kind,
                params: vec![p],
            });
        }
        let first = from_year.unwrap_or(scenario.meta.base_year + 1);
        let prefix = format!("{base}@");
        let anchors: Vec<(usize, i32)> = scenario
            .names_with_prefix(&prefix)
            .filter_map(|n| {
                let y: i32 = n[prefix.len()..].parse().ok()?;
                Some((scenario.index_of(n)?, y))
            })
            .collect();
        if anchors.is_empty() {
            let hint: Vec<&str> = scenario
                .params
                .iter()
                .map(|p| p.name.as_str())
                .filter(|n| n.split('.').next() == base.split('.').next())
                .take(8)
                .collect();
            return Err(bad(format!(
                "no input or year path named '{base}' (inputs starting like it: {})",
                if hint.is_empty() {
                    "none".to_string()
                } else {
                    hint.join(", ")
                }
            )));
        }
        let params: Vec<usize> = anchors
            .iter()
            .filter(|(_, y)| *y >= first)
            .map(|(p, _)| *p)
            .collect();
        if params.is_empty() {
            return Err(bad(format!(
                "year path '{base}' has no anchor in {first} or later"
            )));
        }
        Ok(Lever {
            spec: spec.to_string(),
            kind,
            params,
        })
    }

    /// Applies the lever value to one draw.
    #[inline]
    pub fn apply(&self, value: f64, draw: &mut [f64]) {
        for &p in &self.params {
            draw[p] = match self.kind {
                LeverKind::Add => draw[p] + value,
                LeverKind::Set => value,
                LeverKind::Scale => draw[p] * value,
            };
        }
    }

    /// The default lever range (module docs); `set` has none.
    pub fn default_range(&self, sampler: &Sampler) -> Result<(f64, f64), WhyError> {
        match self.kind {
            LeverKind::Scale => Ok((0.0, 3.0)),
            LeverKind::Add => {
                let c = self
                    .params
                    .iter()
                    .map(|&p| sampler.distribution(p).central().abs())
                    .fold(0.0, f64::max);
                Ok((0.0, (3.0 * c).max(1.0)))
            }
            LeverKind::Set => Err(WhyError::BadLever {
                spec: self.spec.clone(),
                reason: "a set lever needs --range LO,HI".into(),
            }),
        }
    }
}

/// The scenario target on `indicator` (`id` picks one when there are several).
pub fn find_target<'a>(
    targets: &'a [ResolvedTarget],
    indicator: &str,
    id: Option<&str>,
) -> Result<&'a ResolvedTarget, WhyError> {
    let on: Vec<&ResolvedTarget> = targets
        .iter()
        .filter(|t| t.target.indicator == indicator && id.is_none_or(|i| t.target.id == i))
        .collect();
    let list = || {
        targets
            .iter()
            .map(|t| {
                format!(
                    "{} ({}, {})",
                    t.target.id, t.target.indicator, t.target.year
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match on.as_slice() {
        [one] => Ok(one),
        [] => Err(WhyError::NoTarget {
            reason: format!(
                "the scenario has no target on '{indicator}'{}; its targets: {}",
                id.map(|i| format!(" with id '{i}'")).unwrap_or_default(),
                list()
            ),
        }),
        _ => Err(WhyError::NoTarget {
            reason: format!(
                "several targets on '{indicator}'; pick one with --target ID: {}",
                list()
            ),
        }),
    }
}

/// A finished search.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The outcome of the bisection.
    pub outcome: Backcast,
    /// Which way the lever helps (from the mean indicator at the two ends).
    pub direction: Direction,
    /// The lever range searched.
    pub range: (f64, f64),
}

/// Back-casts on an evaluator returning, per draw, the target's indicator value at a lever
/// value (same draws every call). The direction is decided from the mean indicator at the two
/// ends of the range (lower mean helps an "at most" target); results at the ends are cached.
pub fn search_values<F: FnMut(f64) -> Vec<f64>>(
    mut eval: F,
    target: &Target,
    probability: f64,
    range: (f64, f64),
) -> Result<Search, WhyError> {
    let (lo, hi) = range;
    let spec = BackcastSpec::new(lo, hi, Direction::Increasing, probability);
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(WhyError::BadLever {
            spec: format!("range {lo},{hi}"),
            reason: "the range must be two finite numbers LO < HI".into(),
        });
    }
    let mut cache: HashMap<u64, Vec<f64>> = HashMap::new();
    let mut values = |x: f64, eval: &mut F| -> Vec<f64> {
        cache.entry(x.to_bits()).or_insert_with(|| eval(x)).clone()
    };
    let mean = |v: &[f64]| {
        let f: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        f.iter().sum::<f64>() / f.len().max(1) as f64
    };
    let (m_lo, m_hi) = (mean(&values(lo, &mut eval)), mean(&values(hi, &mut eval)));
    let hi_better = match target.comparison {
        crate::scenario::Comparison::AtMost => m_hi <= m_lo,
        crate::scenario::Comparison::AtLeast => m_hi >= m_lo,
    };
    let direction = if hi_better {
        Direction::Increasing
    } else {
        Direction::Decreasing
    };
    let spec = BackcastSpec { direction, ..spec };
    let outcome = backcast(
        |x| {
            values(x, &mut eval)
                .iter()
                .map(|v| target.is_met(*v))
                .collect()
        },
        &spec,
    )?;
    Ok(Search {
        outcome,
        direction,
        range,
    })
}

/// Back-casts a lever on the city model: `draws` draws sampled once with `seed` (the draws of
/// `tanfeng run`), the lever applied to each, the target's indicator read in its year.
#[allow(clippy::too_many_arguments)]
pub fn target_search(
    model: &Model,
    sampler: &Sampler,
    target: &ResolvedTarget,
    lever: &Lever,
    probability: f64,
    range: (f64, f64),
    draws: u64,
    seed: u64,
) -> Result<Search, WhyError> {
    super::sensitivity::check_draws(draws)?;
    let n = draws as usize;
    let np = sampler.n_params();
    // The draws, sampled once through the engine's loop (rows in draw order).
    let chunks = 0..n_chunks(draws, CHUNK);
    let mut params = Vec::with_capacity(n * np);
    fold_chunks(
        chunks.clone(),
        || (),
        |_, c| {
            let m = CHUNK.min(n - c * CHUNK);
            let mut block = vec![0.0; m * np];
            sampler.sample_block(seed, (c * CHUNK) as u64, m, &mut block);
            ((), block)
        },
        |_, block: Vec<f64>| params.extend_from_slice(&block),
        |_| {},
    );
    let n_ind = model.indicator_defs().len();
    let eval = |x: f64| -> Vec<f64> {
        let mut out = Vec::with_capacity(n);
        fold_chunks(
            chunks.clone(),
            || (model.workspace(), vec![0.0; np], vec![0.0; n_ind]),
            |(ws, row, ind), c| {
                let block = &params[c * CHUNK * np..((c + 1) * CHUNK).min(n) * np];
                let values: Vec<f64> = block
                    .chunks_exact(np)
                    .map(|src| {
                        row.copy_from_slice(src);
                        lever.apply(x, row);
                        model.simulate_into(row, ws);
                        model.indicators_at(&ws.trajectory, target.t, ind);
                        ind[target.indicator]
                    })
                    .collect();
                ((), values)
            },
            |_, v: Vec<f64>| out.extend(v),
            |_| {},
        );
        out
    };
    search_values(eval, &target.target, probability, range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::stats::quantile_sorted;
    use crate::scenario::{Comparison, TargetKind, load_embedded};
    use crate::uncertainty::norm_inv;

    fn target(threshold: f64, comparison: Comparison) -> Target {
        Target {
            id: "t".into(),
            indicator: "y".into(),
            comparison,
            threshold,
            year: 2025,
            kind: TargetKind::Binding,
            source: String::new(),
        }
    }

    #[test]
    fn linear_lever_with_normal_noise_matches_the_analytic_quantile() {
        // y = 10 − 2·lever + σ z, target y ≤ 0 with p = 0.9:
        // 10 − 2L + σ z_0.9 = 0 → L = (10 + σ z_0.9)/2.
        let n = 4000;
        let sigma = 1.5;
        // Pseudo-random normal draws (fixed, so common random numbers hold).
        let mut state = 0x1234_5678_u64;
        let z: Vec<f64> = (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                norm_inv(((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64)
            })
            .collect();
        let p = 0.9;
        let want = (10.0 + sigma * norm_inv(p)) / 2.0;
        let s = search_values(
            |l| z.iter().map(|zi| 10.0 - 2.0 * l + sigma * zi).collect(),
            &target(0.0, Comparison::AtMost),
            p,
            (0.0, 20.0),
        )
        .unwrap();
        assert_eq!(s.direction, Direction::Increasing);
        let Backcast::Found(r) = s.outcome else {
            panic!("{s:?}")
        };
        assert!(r.low <= want && want <= r.high, "{want} not in {r:?}");
        assert!(r.high - r.low < 0.5, "{r:?}");
        // The empirical answer is the sample quantile, to the bisection tolerance.
        let mut zs = z.clone();
        zs.sort_by(f64::total_cmp);
        let emp = (10.0 + sigma * quantile_sorted(&zs, p)) / 2.0;
        assert!((r.value - emp).abs() < 0.02, "{} vs {emp}", r.value);
    }

    #[test]
    fn decreasing_lever_and_unreachable_are_reported() {
        let s = search_values(
            |l| vec![l, l + 1.0, l + 2.0],
            &target(5.0, Comparison::AtMost),
            1.0,
            (0.0, 10.0),
        )
        .unwrap();
        assert_eq!(s.direction, Direction::Decreasing);
        let Backcast::Found(r) = s.outcome else {
            panic!("{s:?}")
        };
        assert!((r.value - 3.0).abs() < 0.01, "{r:?}");
        let u = search_values(
            |l| vec![l; 5],
            &target(-1.0, Comparison::AtMost),
            0.5,
            (0.0, 10.0),
        )
        .unwrap();
        assert!(matches!(u.outcome, Backcast::Unreachable { .. }), "{u:?}");
    }

    #[test]
    fn levers_parse_and_apply_on_plan() {
        let s = load_embedded("plan").unwrap();
        let l = Lever::parse("add:power.wind_new_mw", &s).unwrap();
        assert_eq!(
            l.params,
            vec![s.index_of("power.wind_new_mw@2025").unwrap()]
        );
        let mut d = vec![1.0; s.params.len()];
        l.apply(500.0, &mut d);
        assert_eq!(d[l.params[0]], 501.0);
        let l = Lever::parse("set:heating.boiler_group.city_10_35_a.retire_year", &s).unwrap();
        assert_eq!(l.kind, LeverKind::Set);
        assert_eq!(l.params.len(), 1);
        let l = Lever::parse("scale:fleet.private_car.nev_share_new@2020", &s).unwrap();
        assert_eq!(l.params.len(), 2);
        for bad in [
            "wind",
            "mul:power.wind_new_mw",
            "add:power.nothing",
            "add:power.wind_new_mw@20x",
        ] {
            assert!(Lever::parse(bad, &s).is_err(), "{bad}");
        }
    }

    #[test]
    fn wind_lever_on_plan_moves_co2_intensity_the_right_way() {
        let s = load_embedded("plan").unwrap();
        let sampler = Sampler::new(&s).unwrap();
        let model = Model::new(&s).unwrap();
        let targets = crate::engine::resolve_targets(&model, &s.targets).unwrap();
        let t = find_target(&targets, "co2_intensity_change", None).unwrap();
        let lever = Lever::parse("add:power.wind_new_mw", &s).unwrap();
        let r = target_search(&model, &sampler, t, &lever, 0.97, (0.0, 3000.0), 300, 5).unwrap();
        assert_eq!(r.direction, Direction::Increasing, "{r:?}");
        assert!(!matches!(r.outcome, Backcast::AlreadyMet { .. }), "{r:?}");
    }
}
