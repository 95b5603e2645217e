//! Distribution over the draws of the base-year reconciliation's multipliers (MODEL.md §5),
//! one mergeable log-scale histogram per component that can move.

/// Bins per unit of natural log: quantiles are exact to ±0.5 % of the factor.
const BINS_PER_LN: f64 = 100.0;
/// Factors from e^−LN_SPAN to e^LN_SPAN are binned; the rest are counted at the ends.
const LN_SPAN: f64 = 5.0;
const N_BINS: usize = (2.0 * LN_SPAN * BINS_PER_LN) as usize;

/// The warning rule: a factor outside ×/÷ this in more than [`WARN_SHARE`] of the draws.
pub const WARN_FACTOR: f64 = 1.5;
/// Share of draws beyond which a component is warned about.
pub const WARN_SHARE: f64 = 0.05;

/// Histogram of one component's multiplier over the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorHistogram {
    counts: Vec<u64>,
    below: u64,
    above: u64,
    outside: u64,
    n: u64,
}

impl Default for FactorHistogram {
    fn default() -> Self {
        FactorHistogram {
            counts: vec![0; N_BINS],
            below: 0,
            above: 0,
            outside: 0,
            n: 0,
        }
    }
}

impl FactorHistogram {
    /// Adds one draw's factor.
    #[inline]
    pub fn push(&mut self, k: f64) {
        self.n += 1;
        let x = k.max(f64::MIN_POSITIVE).ln();
        if x.abs() > WARN_FACTOR.ln() {
            self.outside += 1;
        }
        let b = ((x + LN_SPAN) * BINS_PER_LN).floor();
        if b < 0.0 {
            self.below += 1;
        } else if b >= N_BINS as f64 {
            self.above += 1;
        } else {
            self.counts[b as usize] += 1;
        }
    }
    /// Adds another histogram (associative and commutative).
    pub fn merge(&mut self, o: &FactorHistogram) {
        self.counts
            .iter_mut()
            .zip(&o.counts)
            .for_each(|(a, b)| *a += b);
        self.below += o.below;
        self.above += o.above;
        self.outside += o.outside;
        self.n += o.n;
    }
    /// Number of draws.
    pub fn n(&self) -> u64 {
        self.n
    }
    /// Share of draws whose factor is outside ×/÷ [`WARN_FACTOR`].
    pub fn share_outside(&self) -> f64 {
        self.outside as f64 / self.n.max(1) as f64
    }
    /// True when the warning rule applies.
    pub fn warns(&self) -> bool {
        self.share_outside() > WARN_SHARE
    }
    /// Quantile `q` of the factor (bin midpoint; the span's ends for draws beyond it).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.n - 1) as f64).floor() as u64;
        let mut seen = self.below;
        if rank < seen {
            return (-LN_SPAN).exp();
        }
        for (b, c) in self.counts.iter().enumerate() {
            seen += c;
            if rank < seen {
                return ((b as f64 + 0.5) / BINS_PER_LN - LN_SPAN).exp();
            }
        }
        LN_SPAN.exp()
    }
}

/// A component's factor distribution as reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FactorSummary {
    /// Component id, e.g. `energy.coal.heat`.
    pub component: String,
    /// 5 %, 50 % and 95 % quantiles of the factor.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95 % quantile.
    pub p95: f64,
    /// Share of draws outside ×/÷ 1.5.
    pub share_outside_1_5: f64,
    /// True when that share exceeds 5 % (MODEL.md §5's warning rule).
    pub warning: bool,
}

impl FactorSummary {
    /// Summary of one component's histogram.
    pub fn of(component: &str, h: &FactorHistogram) -> FactorSummary {
        FactorSummary {
            component: component.to_string(),
            p5: h.quantile(0.05),
            p50: h.quantile(0.5),
            p95: h.quantile(0.95),
            share_outside_1_5: h.share_outside(),
            warning: h.warns(),
        }
    }
    /// The warning line, if the rule applies.
    pub fn warning_line(&self) -> Option<String> {
        self.warning.then(|| {
            format!(
                "warning: reconciliation factor of '{}' is outside ×/÷{WARN_FACTOR} in {:.1} % of draws (5–95 %: {:.3}–{:.3}); its bottom-up assumptions and the base-year statistic disagree",
                self.component,
                100.0 * self.share_outside_1_5,
                self.p5,
                self.p95
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_within_half_a_percent_and_warning_rule() {
        let mut h = FactorHistogram::default();
        for i in 0..1000 {
            h.push(0.8 + 0.4 * f64::from(i) / 999.0);
        }
        assert!((h.quantile(0.5) / 1.0 - 1.0).abs() < 0.006);
        assert!((h.quantile(0.05) / 0.82 - 1.0).abs() < 0.006);
        assert!(!h.warns());
        let mut w = FactorHistogram::default();
        for i in 0..100 {
            w.push(if i < 6 { 1.6 } else { 1.0 });
        }
        assert!(w.warns(), "6 % outside ×/÷1.5");
        let mut a = FactorHistogram::default();
        let mut b = FactorHistogram::default();
        a.push(2.0);
        b.push(0.5);
        a.merge(&b);
        assert_eq!(a.n(), 2);
        assert_eq!(a.share_outside(), 1.0);
    }
}
