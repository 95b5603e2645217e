//! Streaming moments: count, mean, variance (Welford 1962), min, max and NaN count, with an
//! exact-order-deterministic parallel merge (Chan, Golub & LeVeque 1979/1983).

/// Streaming accumulator of count, mean, sum of squared deviations (M2), min, max and the
/// number of NaN values pushed (NaNs are counted, not included in the moments).
///
/// The same sequence of `push`/`merge` calls always gives the same bits.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    nan: u64,
}

impl Default for Moments {
    fn default() -> Self {
        Self::new()
    }
}

impl Moments {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            nan: 0,
        }
    }

    /// Adds one value (Welford's update). NaN only increments the NaN count.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            self.nan += 1;
            return;
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Moments from shifted sums: `n` values, `s1 = Σ(x − k)`, `s2 = Σ(x − k)²` for a shift `k`
    /// close to the values (the first value), which keeps the variance accurate without a
    /// second pass.
    pub fn from_shifted_sums(
        n: u64,
        k: f64,
        s1: f64,
        s2: f64,
        min: f64,
        max: f64,
        nan: u64,
    ) -> Self {
        if n == 0 {
            return Self { nan, ..Self::new() };
        }
        let nf = n as f64;
        Self {
            n,
            mean: k + s1 / nf,
            m2: (s2 - s1 * s1 / nf).max(0.0),
            min,
            max,
            nan,
        }
    }

    /// The moments of a slice, computed in two passes (sum, then squared deviations): faster
    /// than pushing one value at a time and exactly reproducible for the same slice.
    pub fn from_slice(values: &[f64]) -> Self {
        let mut m = Self::new();
        let mut sum = 0.0;
        for &x in values {
            if x.is_nan() {
                m.nan += 1;
            } else {
                m.n += 1;
                sum += x;
                m.min = m.min.min(x);
                m.max = m.max.max(x);
            }
        }
        if m.n == 0 {
            return m;
        }
        m.mean = sum / m.n as f64;
        m.m2 = values
            .iter()
            .filter(|x| !x.is_nan())
            .map(|x| (x - m.mean) * (x - m.mean))
            .sum();
        m
    }

    /// Merges another accumulator into this one (Chan et al. pairwise update).
    pub fn merge(&mut self, other: &Moments) {
        self.nan += other.nan;
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            let nan = self.nan;
            *self = *other;
            self.nan = nan;
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.n += other.n;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of non-NaN values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Number of NaN values pushed.
    pub fn nan_count(&self) -> u64 {
        self.nan
    }

    /// Mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Sample variance with n − 1 denominator (NaN when fewer than 2 values).
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// Sample standard deviation, n − 1 denominator (NaN when fewer than 2 values).
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }

    /// Smallest value (NaN when empty).
    pub fn min(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.min }
    }

    /// Largest value (NaN when empty).
    pub fn max(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.max }
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Moments::new();
        for x in iter {
            m.push(x);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_slice_matches_pushing() {
        let v: Vec<f64> = (0..1000).map(|i| 1e6 + (i as f64 * 0.37).sin()).collect();
        let a = Moments::from_slice(&v);
        let b: Moments = v.iter().copied().collect();
        assert_eq!(a.count(), b.count());
        assert!((a.mean() - b.mean()).abs() < 1e-9);
        assert!((a.sd() - b.sd()).abs() / b.sd() < 1e-9);
        assert_eq!((a.min(), a.max()), (b.min(), b.max()));
        let c = Moments::from_slice(&[f64::NAN, 2.0]);
        assert_eq!((c.count(), c.nan_count(), c.mean()), (1, 1, 2.0));
    }
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn data(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n).map(|_| 1e6 + rng.random::<f64>() * 10.0).collect()
    }

    fn two_pass(xs: &[f64]) -> (f64, f64) {
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
        (mean, var.sqrt())
    }

    #[test]
    fn matches_two_pass_with_large_offset() {
        let xs = data(10_000, 1);
        let m: Moments = xs.iter().copied().collect();
        let (mean, sd) = two_pass(&xs);
        assert!((m.mean() - mean).abs() < 1e-9 * mean);
        assert!((m.sd() - sd).abs() < 1e-8 * sd, "{} vs {}", m.sd(), sd);
        assert_eq!(m.count(), 10_000);
        let mn = xs.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(m.min(), mn);
    }

    #[test]
    fn merge_matches_sequential_and_is_deterministic() {
        let xs = data(9_999, 2);
        let seq: Moments = xs.iter().copied().collect();
        let merge_chunks = || {
            let mut acc = Moments::new();
            for c in xs.chunks(1000) {
                acc.merge(&c.iter().copied().collect());
            }
            acc
        };
        let a = merge_chunks();
        let b = merge_chunks();
        assert_eq!(a.mean().to_bits(), b.mean().to_bits());
        assert_eq!(a.sd().to_bits(), b.sd().to_bits());
        assert!((a.mean() - seq.mean()).abs() < 1e-9 * seq.mean());
        assert!((a.sd() - seq.sd()).abs() < 1e-8 * seq.sd());
        assert_eq!(a.count(), seq.count());
        assert_eq!(a.max(), seq.max());
    }

    #[test]
    fn nan_counted_and_empty_is_nan() {
        let mut m = Moments::new();
        assert!(m.mean().is_nan() && m.sd().is_nan() && m.min().is_nan());
        m.push(f64::NAN);
        m.push(2.0);
        m.push(4.0);
        assert_eq!(m.nan_count(), 1);
        assert_eq!(m.count(), 2);
        assert_eq!(m.mean(), 3.0);
        assert!((m.sd() - 2f64.sqrt()).abs() < 1e-15);
        let mut e = Moments::new();
        e.merge(&m);
        assert_eq!(e, m);
    }
}
