//! Validated distribution families, sampled by inverse CDF from a uniform on (0, 1).

use std::sync::Arc;

use super::beta_inv::BetaInverse;
use super::special::{erfc, ln_beta, norm_cdf, norm_inv, norm_inv_in_place};
use crate::scenario::DistSpec;

/// z₀.₉₇₅, the standard normal 97.5th percentile (for `lognormal` given by a 95 % interval).
const Z975: f64 = 1.959_963_984_540_054;
/// Allowed range of beta shape parameters: inside it the inverse CDF is verified to 1e-10.
const SHAPE_MIN: f64 = 0.1;
/// Upper end of the allowed beta shape range.
const SHAPE_MAX: f64 = 1000.0;
/// Tolerance on the sum of discrete probabilities.
const PROB_SUM_TOL: f64 = 1e-9;

/// Why a distribution specification is invalid. Each message names the family, the key, its
/// value and the allowed range.
#[non_exhaustive]
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum DistError {
    /// A number is NaN or infinite.
    #[error("{family}: {key} ({value}) must be a finite number")]
    NotFinite {
        /// Family name, e.g. `normal`.
        family: &'static str,
        /// Offending key, e.g. `sd` or `values[2]`.
        key: String,
        /// Its value.
        value: f64,
    },
    /// A number is outside its allowed range.
    #[error("{family}: {key} ({value}) must be {allowed}")]
    OutOfRange {
        /// Family name.
        family: &'static str,
        /// Offending key.
        key: String,
        /// Its value.
        value: f64,
        /// The allowed range, e.g. `> 0` or `in [0.1, 1000]`.
        allowed: &'static str,
    },
    /// The mode lies outside [min, max].
    #[error("{family}: min ({min}) must be ≤ mode ({mode}) ≤ max ({max})")]
    ModeOutside {
        /// Family name (`triangular` or `pert`).
        family: &'static str,
        /// Minimum.
        min: f64,
        /// Mode.
        mode: f64,
        /// Maximum.
        max: f64,
    },
    /// A lower end is not strictly below an upper end.
    #[error("{family}: {low_key} ({low}) must be < {high_key} ({high})")]
    EmptyRange {
        /// Family name.
        family: &'static str,
        /// Key of the lower end (`min` or `low`).
        low_key: &'static str,
        /// Lower end.
        low: f64,
        /// Key of the upper end (`max` or `high`).
        high_key: &'static str,
        /// Upper end.
        high: f64,
    },
    /// `values` and `probs` of a discrete distribution differ in length or are empty.
    #[error(
        "discrete: values has {values} entries and probs has {probs}; they must have the same, non-zero length"
    )]
    LengthMismatch {
        /// Number of values.
        values: usize,
        /// Number of probabilities.
        probs: usize,
    },
    /// Discrete probabilities do not sum to 1.
    #[error("discrete: probs sum to {sum}; they must sum to 1 (within 1e-9)")]
    ProbabilitySum {
        /// Their sum.
        sum: f64,
    },
}

/// The validated form with precomputed constants.
#[derive(Debug, Clone)]
enum Kind {
    Constant(f64),
    Normal {
        mean: f64,
        sd: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
        /// F(mode) = (mode − min)/(max − min).
        fc: f64,
        /// (max − min)(mode − min).
        k_lo: f64,
        /// (max − min)(max − mode).
        k_hi: f64,
    },
    Uniform {
        min: f64,
        width: f64,
    },
    /// Beta(a, b) scaled to [min, min + width]; PERT is Beta with a, b from min/mode/max.
    Beta {
        min: f64,
        width: f64,
        a: f64,
        b: f64,
        inv: Arc<BetaInverse>,
    },
    Discrete {
        /// Distinct values with positive probability, ascending.
        values: Vec<f64>,
        /// Cumulative probabilities (last exactly 1).
        cum: Vec<f64>,
        /// Probabilities of `values`, normalised.
        probs: Vec<f64>,
    },
}

/// An immutable, validated distribution of one scalar input.
#[derive(Debug, Clone)]
pub struct Distribution {
    kind: Kind,
    spec: DistSpec,
}

fn finite(family: &'static str, key: &str, value: f64) -> Result<f64, DistError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(DistError::NotFinite {
            family,
            key: key.to_string(),
            value,
        })
    }
}

fn out_of_range(family: &'static str, key: &str, value: f64, allowed: &'static str) -> DistError {
    DistError::OutOfRange {
        family,
        key: key.to_string(),
        value,
        allowed,
    }
}

fn ordered(family: &'static str, min: f64, max: f64) -> Result<(), DistError> {
    if min < max {
        if (max - min).is_finite() {
            Ok(())
        } else {
            Err(out_of_range(
                family,
                "max − min",
                max - min,
                "finite (within f64 range)",
            ))
        }
    } else {
        Err(DistError::EmptyRange {
            family,
            low_key: "min",
            low: min,
            high_key: "max",
            high: max,
        })
    }
}

fn min_mode_max(family: &'static str, min: f64, mode: f64, max: f64) -> Result<(), DistError> {
    finite(family, "min", min)?;
    finite(family, "mode", mode)?;
    finite(family, "max", max)?;
    if !(min <= mode && mode <= max) {
        return Err(DistError::ModeOutside {
            family,
            min,
            mode,
            max,
        });
    }
    ordered(family, min, max)
}

fn beta_kind(min: f64, max: f64, a: f64, b: f64) -> Kind {
    let inv = BetaInverse::new(a, b, ln_beta(a, b));
    Kind::Beta {
        min,
        width: max - min,
        a,
        b,
        inv: Arc::new(inv),
    }
}

/// Triangular quantile: min + √(u·k_lo) below the mode's CDF value `fc`, max − √((1−u)·k_hi)
/// above it. Both branches are computed and one selected, so loops over it vectorise.
#[inline(always)]
fn triangular_inv(u: f64, min: f64, max: f64, fc: f64, k_lo: f64, k_hi: f64) -> f64 {
    let v = u.clamp(0.0, 1.0);
    let lo_side = v < fc;
    // Bitwise select of the radicand: one square root per value (a plain `if` here is
    // turned back into two square roots and a select by LLVM).
    let m = u64::from(lo_side).wrapping_neg();
    let a = f64::from_bits(((v * k_lo).to_bits() & m) | (((1.0 - v) * k_hi).to_bits() & !m));
    let r = a.sqrt();
    if lo_side { min + r } else { max - r }
}

impl Distribution {
    /// Validates a specification and precomputes what sampling needs.
    pub fn from_spec(spec: &DistSpec) -> Result<Distribution, DistError> {
        let kind = match *spec {
            DistSpec::Constant(v) => Kind::Constant(finite("constant", "value", v)?),
            DistSpec::Normal { mean, sd } => {
                finite("normal", "mean", mean)?;
                finite("normal", "sd", sd)?;
                if sd <= 0.0 {
                    return Err(out_of_range("normal", "sd", sd, "> 0"));
                }
                Kind::Normal { mean, sd }
            }
            DistSpec::LogNormal { median, gsd } => {
                finite("lognormal", "median", median)?;
                finite("lognormal", "gsd", gsd)?;
                if median <= 0.0 {
                    return Err(out_of_range("lognormal", "median", median, "> 0"));
                }
                if gsd <= 1.0 {
                    return Err(out_of_range("lognormal", "gsd", gsd, "> 1"));
                }
                Kind::LogNormal {
                    mu: median.ln(),
                    sigma: gsd.ln(),
                }
            }
            DistSpec::LogNormal95 { low, high } => {
                finite("lognormal", "low", low)?;
                finite("lognormal", "high", high)?;
                if low <= 0.0 {
                    return Err(out_of_range("lognormal", "low", low, "> 0"));
                }
                if low >= high {
                    return Err(DistError::EmptyRange {
                        family: "lognormal",
                        low_key: "low",
                        low,
                        high_key: "high",
                        high,
                    });
                }
                let (ll, lh) = (low.ln(), high.ln());
                Kind::LogNormal {
                    mu: 0.5 * (ll + lh),
                    sigma: (lh - ll) / (2.0 * Z975),
                }
            }
            DistSpec::Triangular { min, mode, max } => {
                min_mode_max("triangular", min, mode, max)?;
                let w = max - min;
                Kind::Triangular {
                    min,
                    mode,
                    max,
                    fc: (mode - min) / w,
                    k_lo: w * (mode - min),
                    k_hi: w * (max - mode),
                }
            }
            DistSpec::Pert { min, mode, max } => {
                min_mode_max("pert", min, mode, max)?;
                let w = max - min;
                // Classic PERT: Beta(1 + 4 (mode−min)/w, 1 + 4 (max−mode)/w) on [min, max]
                // (Malcolm et al. 1959; Vose, Risk Analysis, 3rd ed., §9.1.4).
                let a = 1.0 + 4.0 * (mode - min) / w;
                let b = 1.0 + 4.0 * (max - mode) / w;
                beta_kind(min, max, a, b)
            }
            DistSpec::Uniform { min, max } => {
                finite("uniform", "min", min)?;
                finite("uniform", "max", max)?;
                ordered("uniform", min, max)?;
                Kind::Uniform {
                    min,
                    width: max - min,
                }
            }
            DistSpec::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                finite("beta", "alpha", alpha)?;
                finite("beta", "beta", beta)?;
                finite("beta", "min", min)?;
                finite("beta", "max", max)?;
                for (key, v) in [("alpha", alpha), ("beta", beta)] {
                    if !(SHAPE_MIN..=SHAPE_MAX).contains(&v) {
                        return Err(out_of_range("beta", key, v, "in [0.1, 1000]"));
                    }
                }
                ordered("beta", min, max)?;
                beta_kind(min, max, alpha, beta)
            }
            DistSpec::Discrete {
                ref values,
                ref probs,
            } => Self::discrete(values, probs)?,
        };
        Ok(Distribution {
            kind,
            spec: spec.clone(),
        })
    }

    fn discrete(values: &[f64], probs: &[f64]) -> Result<Kind, DistError> {
        if values.len() != probs.len() || values.is_empty() {
            return Err(DistError::LengthMismatch {
                values: values.len(),
                probs: probs.len(),
            });
        }
        for (i, (&v, &p)) in values.iter().zip(probs).enumerate() {
            finite("discrete", &format!("values[{i}]"), v)?;
            finite("discrete", &format!("probs[{i}]"), p)?;
            if p < 0.0 {
                return Err(out_of_range("discrete", &format!("probs[{i}]"), p, "≥ 0"));
            }
        }
        let sum: f64 = probs.iter().sum();
        if (sum - 1.0).abs() > PROB_SUM_TOL {
            return Err(DistError::ProbabilitySum { sum });
        }
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .zip(probs)
            .filter(|(_, p)| **p > 0.0)
            .map(|(v, p)| (*v, *p / sum))
            .collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut vals: Vec<f64> = Vec::with_capacity(pairs.len());
        let mut ps: Vec<f64> = Vec::with_capacity(pairs.len());
        for (v, p) in pairs {
            match vals.last() {
                Some(&last) if last == v => {
                    if let Some(lp) = ps.last_mut() {
                        *lp += p;
                    }
                }
                _ => {
                    vals.push(v);
                    ps.push(p);
                }
            }
        }
        let mut acc = 0.0;
        let mut cum: Vec<f64> = ps
            .iter()
            .map(|p| {
                acc += p;
                acc
            })
            .collect();
        if let Some(last) = cum.last_mut() {
            *last = 1.0;
        }
        Ok(Kind::Discrete {
            values: vals,
            cum,
            probs: ps,
        })
    }

    /// The specification this distribution was built from.
    pub fn spec(&self) -> &DistSpec {
        &self.spec
    }

    /// Quantile function F⁻¹(u) for u in (0, 1); u ≤ 0 or u ≥ 1 give the ends of the support.
    #[inline]
    pub fn inverse_cdf(&self, u: f64) -> f64 {
        match &self.kind {
            Kind::Constant(v) => *v,
            Kind::Normal { mean, sd } => mean + sd * norm_inv(u),
            Kind::LogNormal { mu, sigma } => (mu + sigma * norm_inv(u)).exp(),
            Kind::Triangular {
                min,
                max,
                fc,
                k_lo,
                k_hi,
                ..
            } => triangular_inv(u, *min, *max, *fc, *k_lo, *k_hi),
            Kind::Uniform { min, width } => min + width * u.clamp(0.0, 1.0),
            Kind::Beta {
                min, width, inv, ..
            } => min + width * inv.inverse(u),
            Kind::Discrete { values, cum, .. } => {
                // Smallest value whose CDF reaches u.
                let k = cum.partition_point(|&c| c < u).min(values.len() - 1);
                values[k]
            }
        }
    }

    /// Replaces every `u[j]` by [`Distribution::inverse_cdf`]`(u[j])`; the family is matched
    /// once, not per draw, and the loops are branch-free where the family allows, so the
    /// sampler's inner loop vectorises (same values, bit for bit, as `inverse_cdf`).
    #[inline]
    pub(crate) fn inverse_cdf_in_place(&self, u: &mut [f64]) {
        match &self.kind {
            Kind::Normal { mean, sd } => {
                norm_inv_in_place(u);
                u.iter_mut().for_each(|x| *x = mean + sd * *x);
            }
            Kind::LogNormal { mu, sigma } => {
                norm_inv_in_place(u);
                u.iter_mut().for_each(|x| *x = (mu + sigma * *x).exp());
            }
            Kind::Triangular {
                min,
                max,
                fc,
                k_lo,
                k_hi,
                ..
            } => u
                .iter_mut()
                .for_each(|x| *x = triangular_inv(*x, *min, *max, *fc, *k_lo, *k_hi)),
            Kind::Beta {
                min, width, inv, ..
            } => u
                .iter_mut()
                .for_each(|x| *x = min + width * inv.inverse(*x)),
            Kind::Uniform { min, width } => u
                .iter_mut()
                .for_each(|x| *x = min + width * x.clamp(0.0, 1.0)),
            _ => u.iter_mut().for_each(|x| *x = self.inverse_cdf(*x)),
        }
    }

    /// Cumulative distribution function F(x) = P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        match &self.kind {
            Kind::Constant(v) => {
                if x >= *v {
                    1.0
                } else {
                    0.0
                }
            }
            Kind::Normal { mean, sd } => norm_cdf((x - mean) / sd),
            Kind::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    0.5 * erfc(-(x.ln() - mu) / (sigma * std::f64::consts::SQRT_2))
                }
            }
            Kind::Triangular {
                min,
                mode,
                max,
                k_lo,
                k_hi,
                ..
            } => {
                if x <= *min {
                    0.0
                } else if x >= *max {
                    1.0
                } else if x <= *mode {
                    (x - min) * (x - min) / k_lo
                } else {
                    1.0 - (max - x) * (max - x) / k_hi
                }
            }
            Kind::Uniform { min, width } => ((x - min) / width).clamp(0.0, 1.0),
            Kind::Beta {
                min, width, inv, ..
            } => inv.cdf((x - min) / width),
            Kind::Discrete { values, cum, .. } => {
                let k = values.partition_point(|&v| v <= x);
                if k == 0 { 0.0 } else { cum[k - 1] }
            }
        }
    }

    /// A representative single value: constant → value; normal → mean; lognormal → median;
    /// triangular/PERT → mode; uniform → midpoint; beta → mean; discrete → most probable value
    /// (the first written, on ties).
    pub fn central(&self) -> f64 {
        match (&self.kind, &self.spec) {
            (Kind::Constant(v), _) => *v,
            (Kind::Normal { mean, .. }, _) => *mean,
            (Kind::LogNormal { mu, .. }, _) => mu.exp(),
            (Kind::Triangular { mode, .. }, _) => *mode,
            (Kind::Uniform { min, width }, _) => min + 0.5 * width,
            (_, DistSpec::Pert { mode, .. }) => *mode,
            (_, DistSpec::Discrete { values, probs }) => {
                let mut best = 0;
                for (i, p) in probs.iter().enumerate() {
                    if *p > probs[best] {
                        best = i;
                    }
                }
                values[best]
            }
            _ => self.mean(),
        }
    }

    /// Mean.
    pub fn mean(&self) -> f64 {
        match &self.kind {
            Kind::Constant(v) => *v,
            Kind::Normal { mean, .. } => *mean,
            Kind::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
            Kind::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Kind::Uniform { min, width } => min + 0.5 * width,
            Kind::Beta {
                min, width, a, b, ..
            } => min + width * a / (a + b),
            Kind::Discrete { values, probs, .. } => {
                values.iter().zip(probs).map(|(v, p)| v * p).sum()
            }
        }
    }

    /// Standard deviation.
    pub fn sd(&self) -> f64 {
        match &self.kind {
            Kind::Constant(_) => 0.0,
            Kind::Normal { sd, .. } => *sd,
            Kind::LogNormal { mu, sigma } => {
                let s2 = sigma * sigma;
                (mu + 0.5 * s2).exp() * s2.exp_m1().sqrt()
            }
            Kind::Triangular { min, mode, max, .. } => {
                ((min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0)
                    .sqrt()
            }
            Kind::Uniform { width, .. } => width / 12f64.sqrt(),
            Kind::Beta { width, a, b, .. } => {
                width * (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt()
            }
            Kind::Discrete { values, probs, .. } => {
                let m = self.mean();
                values
                    .iter()
                    .zip(probs)
                    .map(|(v, p)| p * (v - m) * (v - m))
                    .sum::<f64>()
                    .sqrt()
            }
        }
    }

    /// True when only one value is possible (a constant, or a discrete distribution with a
    /// single value of positive probability).
    pub fn is_constant(&self) -> bool {
        match &self.kind {
            Kind::Constant(_) => true,
            Kind::Discrete { values, .. } => values.len() == 1,
            _ => false,
        }
    }

    /// Smallest and largest possible values (infinite for the normal; (0, ∞) for lognormal).
    pub fn support(&self) -> (f64, f64) {
        match &self.kind {
            Kind::Constant(v) => (*v, *v),
            Kind::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Kind::LogNormal { .. } => (0.0, f64::INFINITY),
            Kind::Triangular { min, max, .. } => (*min, *max),
            Kind::Uniform { min, width } => (*min, min + width),
            Kind::Beta { min, width, .. } => (*min, min + width),
            Kind::Discrete { values, .. } => (values[0], values[values.len() - 1]),
        }
    }

    /// One-line description as written, e.g. `triangular(min 0.45, mode 0.55, max 0.75)`.
    pub fn describe(&self) -> String {
        fn list(v: &[f64]) -> String {
            let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
            format!("[{}]", items.join(", "))
        }
        match &self.spec {
            DistSpec::Constant(v) => format!("constant({v})"),
            DistSpec::Normal { mean, sd } => format!("normal(mean {mean}, sd {sd})"),
            DistSpec::LogNormal { median, gsd } => {
                format!("lognormal(median {median}, gsd {gsd})")
            }
            DistSpec::LogNormal95 { low, high } => {
                format!("lognormal(95% interval {low} to {high})")
            }
            DistSpec::Triangular { min, mode, max } => {
                format!("triangular(min {min}, mode {mode}, max {max})")
            }
            DistSpec::Pert { min, mode, max } => format!("pert(min {min}, mode {mode}, max {max})"),
            DistSpec::Uniform { min, max } => format!("uniform(min {min}, max {max})"),
            DistSpec::Beta {
                alpha,
                beta,
                min,
                max,
            } => format!("beta(alpha {alpha}, beta {beta}, min {min}, max {max})"),
            DistSpec::Discrete { values, probs } => {
                format!("discrete(values {}, probs {})", list(values), list(probs))
            }
        }
    }
}
