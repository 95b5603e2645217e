//! Target back-casting: the lever value at which a target is met with a required
//! probability, by bisection over Monte Carlo runs that reuse the same draws (common random
//! numbers) at every lever value, so the estimated probability P(lever) is a monotone step
//! function in practice.
//!
//! The answer carries its Monte Carlo uncertainty: with n draws the estimated probability
//! has binomial standard error sqrt(p(1 − p)/n), so levers whose estimated P lies within
//! p ± 1.96·sqrt(p(1 − p)/n) cannot be told apart from the answer. The reported
//! [`BackcastResult::low`]..[`BackcastResult::high`] is that lever interval, found by
//! bisecting for the crossings of the two band edges (an approximate 95 % interval for the
//! lever at which the true probability equals p).

use super::AnalysisError;
use super::stats::Z95;

/// Which way the lever helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Larger lever values make the target more likely; the answer is the smallest lever
    /// that meets the required probability.
    Increasing,
    /// Smaller lever values make the target more likely; the answer is the largest lever
    /// that meets the required probability.
    Decreasing,
}

/// What to back-cast.
#[derive(Debug, Clone, PartialEq)]
pub struct BackcastSpec {
    /// Lower end of the lever range.
    pub lo: f64,
    /// Upper end of the lever range.
    pub hi: f64,
    /// Which way the lever helps.
    pub direction: Direction,
    /// Required probability of meeting the target, in (0, 1].
    pub probability: f64,
    /// Bisection stops when the bracket is this narrow (lever units, > 0).
    pub tolerance: f64,
    /// Cap on bisection steps per crossing (1..=100).
    pub max_iterations: usize,
}

impl BackcastSpec {
    /// A spec with tolerance (hi − lo)·1e-4 and at most 60 bisection steps per crossing.
    pub fn new(lo: f64, hi: f64, direction: Direction, probability: f64) -> Self {
        Self {
            lo,
            hi,
            direction,
            probability,
            tolerance: (hi - lo).abs() * 1e-4,
            max_iterations: 60,
        }
    }
}

/// A lever value found by bisection, with its Monte Carlo uncertainty interval.
#[derive(Debug, Clone, PartialEq)]
pub struct BackcastResult {
    /// The lever value (the side of the final bracket that meets the probability).
    pub value: f64,
    /// Lower end of the lever interval where the estimated probability is within its
    /// binomial 95 % band of the required one (clamped to the lever range).
    pub low: f64,
    /// Upper end of that interval (clamped to the lever range).
    pub high: f64,
    /// Estimated probability of meeting the target at `value`.
    pub probability_at_value: f64,
    /// Draws per evaluation.
    pub n_draws: usize,
    /// Bisection steps for `value`.
    pub iterations: usize,
    /// Total model evaluations (ends, value and band crossings).
    pub evaluations: usize,
}

/// Outcome of a back-cast.
#[derive(Debug, Clone, PartialEq)]
pub enum Backcast {
    /// The required probability is first reached inside the range.
    Found(BackcastResult),
    /// Even the least helpful end of the range meets the required probability.
    AlreadyMet {
        /// The least helpful end.
        at: f64,
        /// Probability there.
        probability: f64,
        /// Draws per evaluation.
        n_draws: usize,
    },
    /// Even the most helpful end of the range misses the required probability.
    Unreachable {
        /// Probability at the most helpful end.
        best_probability: f64,
        /// The most helpful end.
        at: f64,
        /// Draws per evaluation.
        n_draws: usize,
    },
}

/// Evaluates P(lever), remembering every (lever, probability) point.
struct Probe<F> {
    eval: F,
    points: Vec<(f64, f64)>,
    n: usize,
    evaluations: usize,
}

impl<F: FnMut(f64) -> Vec<bool>> Probe<F> {
    fn prob(&mut self, lever: f64) -> Result<f64, AnalysisError> {
        if let Some(&(_, p)) = self.points.iter().find(|(l, _)| *l == lever) {
            return Ok(p);
        }
        let met = (self.eval)(lever);
        self.evaluations += 1;
        if met.is_empty() {
            return Err(AnalysisError::TooFewDraws {
                what: "back-cast evaluation",
                needed: 1,
                found: 0,
            });
        }
        if self.n == 0 {
            self.n = met.len();
        } else if met.len() != self.n {
            return Err(AnalysisError::DrawCountChanged {
                lever,
                expected: self.n,
                found: met.len(),
            });
        }
        let p = met.iter().filter(|&&m| m).count() as f64 / met.len() as f64;
        self.points.push((lever, p));
        Ok(p)
    }

    /// Smallest "improvement" position s (s = lever, or −lever when Decreasing) with
    /// P ≥ target, to within `tol`; the bracket starts from the tightest evaluated points.
    /// Requires P(best) ≥ target > P(worst). Returns (lever, P there, bisection steps).
    fn crossing(
        &mut self,
        target: f64,
        sign: f64,
        tol: f64,
        max_iter: usize,
    ) -> Result<(f64, f64, usize), AnalysisError> {
        let mut bad = f64::NEG_INFINITY;
        let mut good = (f64::INFINITY, f64::NAN);
        for &(l, p) in &self.points {
            let s = sign * l;
            if p >= target {
                if s < good.0 {
                    good = (s, p);
                }
            } else if s > bad {
                bad = s;
            }
        }
        let mut steps = 0;
        while good.0 - bad > tol && steps < max_iter {
            let mid = 0.5 * (good.0 + bad);
            let p = self.prob(sign * mid)?;
            steps += 1;
            if p >= target {
                good = (mid, p);
            } else {
                bad = mid;
            }
        }
        Ok((sign * good.0, good.1, steps))
    }
}

/// Finds the lever value at which the fraction of draws meeting the target first reaches
/// `spec.probability`. `eval(lever)` returns, per draw, whether the target is met; it must
/// use the same draws at every lever. Both ends are checked first, so an unreachable or
/// already-met target costs at most two evaluations.
pub fn backcast<F: FnMut(f64) -> Vec<bool>>(
    eval: F,
    spec: &BackcastSpec,
) -> Result<Backcast, AnalysisError> {
    if !(spec.lo.is_finite() && spec.hi.is_finite() && spec.lo < spec.hi) {
        return Err(AnalysisError::InvalidParameter {
            name: "lever range hi",
            value: spec.hi,
            allowed: "finite and > lo (finite)",
        });
    }
    if !(spec.probability > 0.0 && spec.probability <= 1.0) {
        return Err(AnalysisError::InvalidParameter {
            name: "required probability",
            value: spec.probability,
            allowed: "(0, 1]",
        });
    }
    if !(spec.tolerance > 0.0 && spec.tolerance.is_finite()) {
        return Err(AnalysisError::InvalidParameter {
            name: "tolerance",
            value: spec.tolerance,
            allowed: "finite and > 0",
        });
    }
    if !(1..=100).contains(&spec.max_iterations) {
        return Err(AnalysisError::InvalidParameter {
            name: "max_iterations",
            value: spec.max_iterations as f64,
            allowed: "1..=100",
        });
    }
    let (best, worst, sign) = match spec.direction {
        Direction::Increasing => (spec.hi, spec.lo, 1.0),
        Direction::Decreasing => (spec.lo, spec.hi, -1.0),
    };
    let mut probe = Probe {
        eval,
        points: Vec::new(),
        n: 0,
        evaluations: 0,
    };
    let p = spec.probability;
    let p_best = probe.prob(best)?;
    if p_best < p {
        return Ok(Backcast::Unreachable {
            best_probability: p_best,
            at: best,
            n_draws: probe.n,
        });
    }
    let p_worst = probe.prob(worst)?;
    if p_worst >= p {
        return Ok(Backcast::AlreadyMet {
            at: worst,
            probability: p_worst,
            n_draws: probe.n,
        });
    }
    let (tol, cap) = (spec.tolerance, spec.max_iterations);
    let (value, probability_at_value, iterations) = probe.crossing(p, sign, tol, cap)?;
    let half = Z95 * (p * (1.0 - p) / probe.n as f64).sqrt();
    let mut band_lever = |target: f64| -> Result<f64, AnalysisError> {
        if target <= p_worst {
            Ok(worst)
        } else if target > p_best {
            Ok(best)
        } else {
            Ok(probe.crossing(target, sign, tol, cap)?.0)
        }
    };
    let a = band_lever(p - half)?;
    let b = band_lever((p + half).min(1.0))?;
    Ok(Backcast::Found(BackcastResult {
        value,
        low: a.min(b),
        high: a.max(b),
        probability_at_value,
        n_draws: probe.n,
        iterations,
        evaluations: probe.evaluations,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::stats::normal_quantile;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn z_draws(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
    }

    /// indicator = a + b·lever + σ·Z; target: indicator ≤ t.
    fn model(z: &[f64], a: f64, b: f64, sigma: f64, t: f64) -> impl FnMut(f64) -> Vec<bool> {
        move |lever| z.iter().map(|zi| a + b * lever + sigma * zi <= t).collect()
    }

    #[test]
    fn linear_gaussian_increasing_lever_matches_analytic() {
        let (a, b, sigma, t, p) = (100.0, -2.0, 10.0, 80.0, 0.9);
        let z = z_draws(200_000, 1);
        let analytic = (t - a - sigma * normal_quantile(p)) / b; // 16.4078
        let spec = BackcastSpec::new(0.0, 50.0, Direction::Increasing, p);
        let Backcast::Found(r) = backcast(model(&z, a, b, sigma, t), &spec).unwrap() else {
            panic!("expected Found");
        };
        eprintln!("analytic {analytic:.4}: {r:?}");
        assert!(
            r.low <= analytic && analytic <= r.high,
            "{r:?} vs {analytic}"
        );
        assert!((r.value - analytic).abs() < 0.05, "{r:?} vs {analytic}");
        assert!(r.low < r.value && r.value < r.high);
        // Band half-width ≈ 1.96·sqrt(p(1−p)/n)/φ(z_p)·σ/|b| ≈ 0.037.
        assert!(r.high - r.low < 0.15, "{r:?}");
        assert!(r.probability_at_value >= p);
        assert!(r.iterations <= 60 && r.evaluations < 70, "{r:?}");
        assert_eq!(r.n_draws, 200_000);
    }

    #[test]
    fn linear_gaussian_decreasing_lever_matches_analytic() {
        // Lever = allowed growth: larger lever hurts, find the largest acceptable value.
        let (a, b, sigma, t, p) = (50.0, 3.0, 5.0, 80.0, 0.75);
        let z = z_draws(100_000, 2);
        let analytic = (t - a - sigma * normal_quantile(p)) / b; // 8.876
        let spec = BackcastSpec::new(-10.0, 30.0, Direction::Decreasing, p);
        let Backcast::Found(r) = backcast(model(&z, a, b, sigma, t), &spec).unwrap() else {
            panic!("expected Found");
        };
        assert!(
            r.low <= analytic && analytic <= r.high,
            "{r:?} vs {analytic}"
        );
        assert!((r.value - analytic).abs() < 0.05, "{r:?} vs {analytic}");
        assert!(r.probability_at_value >= p);
    }

    #[test]
    fn band_covers_analytic_about_95_percent() {
        // 200 independent replications with n = 2000 draws each.
        let (a, b, sigma, t, p) = (100.0, -2.0, 10.0, 80.0, 0.9);
        let analytic = (t - a - sigma * normal_quantile(p)) / b;
        let mut covered = 0;
        let reps = 200;
        for seed in 0..reps {
            let z = z_draws(2000, 100 + seed);
            let mut spec = BackcastSpec::new(0.0, 50.0, Direction::Increasing, p);
            spec.tolerance = 1e-3;
            if let Backcast::Found(r) = backcast(model(&z, a, b, sigma, t), &spec).unwrap() {
                covered += usize::from(r.low <= analytic && analytic <= r.high);
            }
        }
        let rate = covered as f64 / reps as f64;
        eprintln!("band coverage {rate}");
        assert!((0.9..=0.99).contains(&rate), "coverage {rate}");
    }

    #[test]
    fn unreachable_and_already_met_are_quick() {
        let z = z_draws(10_000, 3);
        let mut calls = 0;
        let mut m = model(&z, 100.0, -2.0, 10.0, 80.0);
        let counting = |l: f64| {
            calls += 1;
            m(l)
        };
        // Best end lever 5 gives P(Z ≤ −1) ≈ 0.16 < 0.9.
        let spec = BackcastSpec::new(0.0, 5.0, Direction::Increasing, 0.9);
        match backcast(counting, &spec).unwrap() {
            Backcast::Unreachable {
                best_probability,
                at,
                ..
            } => {
                assert_eq!(at, 5.0);
                assert!((best_probability - 0.159).abs() < 0.02);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(calls, 1);
        let spec = BackcastSpec::new(40.0, 50.0, Direction::Increasing, 0.9);
        assert!(matches!(
            backcast(model(&z, 100.0, -2.0, 10.0, 80.0), &spec).unwrap(),
            Backcast::AlreadyMet { at: 40.0, .. }
        ));
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let ok = |_: f64| vec![true; 3];
        let mut spec = BackcastSpec::new(1.0, 0.0, Direction::Increasing, 0.9);
        assert!(backcast(ok, &spec).is_err());
        spec = BackcastSpec::new(0.0, 1.0, Direction::Increasing, 1.5);
        assert!(backcast(ok, &spec).is_err());
        spec = BackcastSpec::new(0.0, 1.0, Direction::Increasing, 0.5);
        assert!(matches!(
            backcast(|_| Vec::new(), &spec),
            Err(AnalysisError::TooFewDraws { .. })
        ));
        let changing = |l: f64| vec![l > 0.5; if l > 0.9 { 3 } else { 4 }];
        assert!(matches!(
            backcast(changing, &spec),
            Err(AnalysisError::DrawCountChanged { .. })
        ));
    }
}
