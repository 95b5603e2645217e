//! What drives a target's misses in a finished run: the target separation
//! ([`super::rank::separation`]) of every uncertain input, computed from the run's own per-draw
//! target values and its inputs re-sampled from the counter-based streams (the same draws as
//! the run, so no model evaluation is needed). This is what the briefing's summary cites when
//! the rank sensitivity (`tanfeng sensitivity`) was not run.

use rayon::prelude::*;

use super::AnalysisError;
use super::rank::separation;
use crate::engine::RunResult;
use crate::uncertainty::Sampler;

/// The inputs that separate met from missed draws of one target, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetDrivers {
    /// Target id.
    pub target: String,
    /// Draws the separation was computed on (the run's first draws, at most the cap).
    pub n_draws: usize,
    /// `(input name, separation)`, by decreasing |separation|; positive: larger values of the
    /// input go with meeting the target. Empty when every draw meets (or misses) the target.
    pub inputs: Vec<(String, f64)>,
}

/// Separation of every uncertain input for each target of `result` that some draws meet and
/// some miss, on the first `max_draws` draws of the run; the `top` strongest inputs are kept.
/// `sampler` must be the run's (same scenario), so draw *d* gets the run's input values.
pub fn target_drivers(
    result: &RunResult,
    sampler: &Sampler,
    max_draws: usize,
    top: usize,
) -> Result<Vec<TargetDrivers>, AnalysisError> {
    let n = result.n_draws().min(max_draws);
    let inputs = sampler.uncertain();
    let np = sampler.n_params();
    let n_ind = result.indicators.len();
    let n_cols = result.n_cols();
    let mut params = vec![0.0; n * np];
    sampler.sample_block(result.config.seed, result.config.first_draw, n, &mut params);
    let columns: Vec<Vec<f64>> = inputs
        .iter()
        .map(|&p| params.chunks_exact(np).map(|row| row[p]).collect())
        .collect();
    result
        .targets
        .par_iter()
        .enumerate()
        .map(|(k, rt)| {
            let met: Vec<bool> = (0..n)
                .map(|d| rt.target.is_met(result.per_draw[d * n_cols + n_ind + k]))
                .collect();
            let sep = separation(&columns, &met)?;
            let mut ranked: Vec<(String, f64)> = inputs
                .iter()
                .zip(sep)
                .filter(|(_, s)| s.is_finite() && *s != 0.0)
                .map(|(&p, s)| (sampler.name(p).to_string(), s))
                .collect();
            ranked.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            ranked.truncate(top);
            Ok(TargetDrivers {
                target: rt.target.id.clone(),
                n_draws: n,
                inputs: ranked,
            })
        })
        .collect()
}
