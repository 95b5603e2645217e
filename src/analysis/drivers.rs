//! What drives a target's misses in a finished run: the target separation
//! ([`super::rank::separation`]) of every uncertain input, computed from the run's own per-draw
//! target values and its inputs re-sampled from the counter-based streams (the same draws as
//! the run, so no model evaluation is needed). This is what the briefing's summary cites when
//! the rank sensitivity (`tanfeng sensitivity`) was not run.
//!
//! Only separations beyond chance are kept: with n₁ met and n₀ missed draws the separation of
//! an input unrelated to the target has a standard deviation of about √(1/n₁ + 1/n₀) (the
//! median difference of a continuous input in units of its IQR: 0.93 for a normal, 1.0 for a
//! uniform, less for a triangular), and with m inputs tested the largest of them reaches
//! Φ⁻¹(1 − 0.025/m) of those (Bonferroni, 5 % over all inputs). With few met (or missed) draws
//! that bar is high, so a rare event lists only the inputs that truly stand out.

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
    /// Draws among them that meet the target.
    pub n_met: usize,
    /// The separation chance alone could reach among the inputs tested ([`chance_separation`]);
    /// only inputs beyond it are listed.
    pub chance: f64,
    /// `(input name, separation)`, by decreasing |separation|; positive: larger values of the
    /// input go with meeting the target. Empty when every draw meets (or misses) the target or
    /// no input separates them beyond chance.
    pub inputs: Vec<(String, f64)>,
}

/// The largest |separation| an input unrelated to the target reaches by chance, at 5 % over
/// `m` inputs (Bonferroni), with `n_met` met and `n_missed` missed draws; infinite when either
/// is 0 (nothing can be separated).
pub fn chance_separation(n_met: usize, n_missed: usize, m: usize) -> f64 {
    if n_met == 0 || n_missed == 0 {
        return f64::INFINITY;
    }
    let z = super::stats::normal_quantile(1.0 - 0.025 / m.max(1) as f64);
    z * (1.0 / n_met as f64 + 1.0 / n_missed as f64).sqrt()
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
            let n_met = met.iter().filter(|&&m| m).count();
            let chance = chance_separation(n_met, n - n_met, inputs.len());
            let mut ranked: Vec<(String, f64)> = inputs
                .iter()
                .zip(sep)
                .filter(|(_, s)| s.is_finite() && s.abs() > chance)
                .map(|(&p, s)| (sampler.name(p).to_string(), s))
                .collect();
            ranked.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            ranked.truncate(top);
            Ok(TargetDrivers {
                target: rt.target.id.clone(),
                n_draws: n,
                n_met,
                chance,
                inputs: ranked,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    /// The chance bar: an input unrelated to a rare target stays under it (400 noise inputs,
    /// 20 met draws of 10,000, as the reference scenario's CO₂ target), a real driver clears it,
    /// and the bar falls as the rarer side grows.
    #[test]
    fn noise_inputs_stay_under_the_chance_bar_and_a_real_driver_clears_it() {
        let (n, m) = (10_000, 400);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let columns: Vec<Vec<f64>> = (0..m)
            .map(|_| (0..n).map(|_| StandardNormal.sample(&mut rng)).collect())
            .collect();
        // The driver: met exactly where it is among its 20 largest values.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| columns[0][b].total_cmp(&columns[0][a]));
        let mut met = vec![false; n];
        for &d in &order[..20] {
            met[d] = true;
        }
        let sep = separation(&columns, &met).expect("separates");
        let bar = chance_separation(20, n - 20, m);
        assert!(sep[0] > bar, "driver {} under the bar {bar}", sep[0]);
        let noisy = sep[1..].iter().filter(|s| s.abs() > bar).count();
        assert_eq!(noisy, 0, "{noisy} noise inputs over the bar {bar}");
        // Without the bar the largest noise separation looks like a driver (> 0.5).
        let largest = sep[1..].iter().fold(0.0f64, |a, s| a.max(s.abs()));
        assert!(largest > 0.5, "{largest}");
        assert!(chance_separation(2_000, 8_000, m) < bar / 5.0);
        assert_eq!(chance_separation(0, n, m), f64::INFINITY);
        assert_eq!(chance_separation(n, 0, m), f64::INFINITY);
    }
}
