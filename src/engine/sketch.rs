//! Mergeable quantile sketch with relative accuracy, after DDSketch (Masson, Rim & Lee 2019,
//! "DDSketch: a fast and fully-mergeable quantile sketch with relative-error guarantees",
//! PVLDB 12(12):2195).
//!
//! Values are mapped to buckets `key = ⌈m · L(|x|)⌉`, where `L` is DDSketch's cubically
//! interpolated logarithm (exponent of `x` plus a cubic in its significand, exact at powers
//! of two, within 1 % of log₂'s slope; Masson et al. §4.2 and sketches-java's
//! `CubicallyInterpolatedMapping`) and `m = 7 / (10 ln γ)`, γ = (1 + α)/(1 − α): since
//! dL/d ln x ≥ 10/7, every bucket spans at most a factor γ, so each value is within relative
//! error α of its bucket's representative `2·lo·hi/(lo + hi)`. `L` uses only bit operations
//! and multiply-adds, so keys are identical on every platform (no libm `ln`) and cost about
//! 5 ns instead of 12. Counts are integers, so merging (adding counts) is exactly associative
//! and commutative: per-year quantiles from millions of draws are bit-identical for any
//! thread count or merge order. Memory is bounded by `max_buckets` per sign, independent
//! of the number of values.
//!
//! **Collapse.** Each sign's store keeps at most `max_buckets` consecutive keys. When the
//! data span more, the buckets holding the *lowest values* (smallest positive magnitudes;
//! largest negative magnitudes) are folded into the lowest kept bucket. Quantiles whose rank
//! falls into that folded bucket are then reported as the folded bucket's value (too high);
//! all other quantiles keep the α guarantee. The final state depends only on the multiset of
//! values, so collapsing stays order-independent. With the defaults (α = 0.002,
//! 8192 buckets) a store spans a magnitude ratio of γ^8192 ≈ 1.7e14 before anything folds.

use serde::{Deserialize, Serialize};

use super::AccumError as AnalysisError;

/// Default relative accuracy α.
pub const DEFAULT_ALPHA: f64 = 0.002;
/// Default maximum number of buckets per sign.
pub const DEFAULT_MAX_BUCKETS: usize = 8192;
/// Values with |x| below this go to the zero bucket (reported as 0).
pub const ZERO_THRESHOLD: f64 = 1e-12;

/// Dense store of counts over a window of consecutive integer keys; folds the lowest keys
/// when the window would exceed `max_buckets`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Store {
    counts: Vec<u64>,
    /// Key of `counts[0]`.
    offset: i64,
    min_key: i64,
    max_key: i64,
    total: u64,
}

impl Store {
    fn new() -> Self {
        Self {
            counts: Vec::new(),
            offset: 0,
            min_key: i64::MAX,
            max_key: i64::MIN,
            total: 0,
        }
    }

    #[inline]
    fn add(&mut self, key: i64, c: u64, max_buckets: usize) {
        if key >= self.min_key && key <= self.max_key {
            // Fast path: inside the occupied window, which the vector always covers.
            self.counts[(key - self.offset) as usize] += c;
            self.total += c;
        } else {
            self.add_slow(key, c, max_buckets);
        }
    }

    fn add_slow(&mut self, key: i64, c: u64, max_buckets: usize) {
        let b = max_buckets as i64;
        if self.total == 0 {
            self.reserve(key, key, max_buckets);
            self.min_key = key;
            self.max_key = key;
        } else if key > self.max_key {
            let new_min = (key - b + 1).max(self.min_key);
            let mut folded = 0;
            if new_min > self.min_key {
                // Fold every count below new_min into new_min.
                for k in self.min_key..new_min.min(self.max_key + 1) {
                    let i = (k - self.offset) as usize;
                    folded += self.counts[i];
                    self.counts[i] = 0;
                }
            }
            self.reserve(new_min, key, max_buckets);
            self.counts[(new_min - self.offset) as usize] += folded;
            self.min_key = new_min;
            self.max_key = key;
        } else {
            // key < min_key: values below the window's lower bound fold into it.
            let lo = key.max(self.max_key - b + 1);
            self.reserve(lo, self.max_key, max_buckets);
            self.min_key = lo;
        }
        let key = key.max(self.min_key);
        self.counts[(key - self.offset) as usize] += c;
        self.total += c;
    }

    /// Makes the vector cover keys [lo, hi] (a window of at most `max_buckets` keys), with
    /// slack so repeated growth is amortised; keeps the old counts inside [lo, hi] (the
    /// caller has already folded any outside it). Length stays below 2 × `max_buckets`.
    fn reserve(&mut self, lo: i64, hi: i64, max_buckets: usize) {
        let len = self.counts.len() as i64;
        if !self.counts.is_empty() && lo >= self.offset && hi < self.offset + len {
            return;
        }
        let span = hi - lo + 1;
        let slack = (span / 2).clamp(8, (max_buckets as i64 / 2).max(8));
        let new_offset = lo - slack;
        let new_len = (span + 2 * slack) as usize;
        let mut counts = vec![0u64; new_len];
        if self.total > 0 {
            for k in self.min_key.max(lo)..=self.max_key.min(hi) {
                counts[(k - new_offset) as usize] = self.counts[(k - self.offset) as usize];
            }
        }
        self.counts = counts;
        self.offset = new_offset;
    }

    /// Nonzero (key, count) pairs in ascending key order.
    fn iter(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        (self.total > 0)
            .then_some(self.min_key..=self.max_key)
            .into_iter()
            .flatten()
            .map(move |k| (k, self.counts[(k - self.offset) as usize]))
            .filter(|&(_, c)| c > 0)
    }
}

/// Mergeable, order-independent quantile sketch with relative accuracy α.
///
/// Positive values, negative values (stored by magnitude) and near-zeros
/// (|x| < [`ZERO_THRESHOLD`]) are kept separately; NaN and ±∞ are counted and skipped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuantileSketch {
    alpha: f64,
    /// Keys per unit of [`cubic_log2`]: 7 / (10 ln γ).
    keys_per_log2: f64,
    max_buckets: usize,
    pos: Store,
    /// Negative values, keyed by −key(|x|) so ascending keys are ascending values.
    neg: Store,
    zero: u64,
    nonfinite: u64,
    min: f64,
    max: f64,
}

/// Coefficients of the cubic `A s³ + B s² + C s` interpolating log₂(1 + s) on [0, 1]
/// (DDSketch's cubically interpolated mapping; A + B + C = 1, slope at 0 is C = 10/7).
const CUBIC_A: f64 = 6.0 / 35.0;
const CUBIC_B: f64 = -3.0 / 5.0;
const CUBIC_C: f64 = 10.0 / 7.0;

/// m = 7 / (10 ln γ), γ = (1 + α)/(1 − α): one key spans at most a factor γ.
fn keys_per_log2(alpha: f64) -> f64 {
    let gamma = (1.0 + alpha) / (1.0 - alpha);
    7.0 / (10.0 * gamma.ln())
}

/// L(x) = e + A s³ + B s² + C s for x = 2^e (1 + s) normal and positive: equals log₂ x at
/// powers of two, increasing, and dL/d ln x ∈ [10/7, 1.49].
#[inline]
fn cubic_log2(x: f64) -> f64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let s = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000) - 1.0;
    ((CUBIC_A * s + CUBIC_B) * s + CUBIC_C) * s + exponent as f64
}

/// Inverse of [`cubic_log2`]: the x with L(x) = y (bisection on the cubic's monotone branch;
/// used only when quantiles are read).
fn cubic_exp2(y: f64) -> f64 {
    let e = y.floor();
    let frac = y - e;
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        if ((CUBIC_A * mid + CUBIC_B) * mid + CUBIC_C) * mid < frac {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (1.0 + 0.5 * (lo + hi)) * e.exp2()
}

impl Default for QuantileSketch {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for QuantileSketch {
    /// Equal when parameters, counts per bucket, min/max and skipped counts are equal.
    fn eq(&self, o: &Self) -> bool {
        self.alpha.to_bits() == o.alpha.to_bits()
            && self.max_buckets == o.max_buckets
            && self.zero == o.zero
            && self.nonfinite == o.nonfinite
            && self.min.to_bits() == o.min.to_bits()
            && self.max.to_bits() == o.max.to_bits()
            && self.pos.iter().eq(o.pos.iter())
            && self.neg.iter().eq(o.neg.iter())
    }
}

impl QuantileSketch {
    /// A sketch with α = [`DEFAULT_ALPHA`] and [`DEFAULT_MAX_BUCKETS`] buckets per sign.
    pub fn new() -> Self {
        Self {
            alpha: DEFAULT_ALPHA,
            keys_per_log2: keys_per_log2(DEFAULT_ALPHA),
            max_buckets: DEFAULT_MAX_BUCKETS,
            pos: Store::new(),
            neg: Store::new(),
            zero: 0,
            nonfinite: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// A sketch with relative accuracy `alpha` in [1e-6, 0.5] and at most `max_buckets`
    /// (≥ 16) buckets per sign.
    pub fn with_params(alpha: f64, max_buckets: usize) -> Result<Self, AnalysisError> {
        if !(1e-6..=0.5).contains(&alpha) {
            return Err(AnalysisError::InvalidParameter {
                name: "alpha",
                value: alpha,
                allowed: "[1e-6, 0.5]",
            });
        }
        if max_buckets < 16 {
            return Err(AnalysisError::InvalidParameter {
                name: "max_buckets",
                value: max_buckets as f64,
                allowed: ">= 16",
            });
        }
        Ok(Self {
            alpha,
            keys_per_log2: keys_per_log2(alpha),
            max_buckets,
            ..Self::new()
        })
    }

    /// Bucket of a magnitude ≥ [`ZERO_THRESHOLD`]: ⌈m · L(x)⌉ (integer ceiling, no libm call).
    #[inline]
    fn key(&self, magnitude: f64) -> i64 {
        let y = cubic_log2(magnitude) * self.keys_per_log2;
        let k = y as i64;
        k + i64::from((k as f64) < y)
    }

    /// Representative value of bucket `key`, 2·lo·hi/(lo + hi) of its bounds.
    fn value(&self, key: i64) -> f64 {
        let lo = cubic_exp2((key - 1) as f64 / self.keys_per_log2);
        let hi = cubic_exp2(key as f64 / self.keys_per_log2);
        2.0 * lo * hi / (lo + hi)
    }

    /// Adds one value. NaN and ±∞ are counted in [`Self::nonfinite_count`] and skipped.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            self.nonfinite += 1;
            return;
        }
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x >= ZERO_THRESHOLD {
            let k = self.key(x);
            self.pos.add(k, 1, self.max_buckets);
        } else if x <= -ZERO_THRESHOLD {
            let k = self.key(-x);
            self.neg.add(-k, 1, self.max_buckets);
        } else {
            self.zero += 1;
        }
    }

    /// Adds the values in order (the same state as pushing them one by one).
    pub fn push_all(&mut self, xs: &[f64]) {
        for &x in xs {
            self.push(x);
        }
    }

    /// Adds all counts of `other` (exactly associative and commutative). Both sketches must
    /// have the same α and bucket limit.
    pub fn merge(&mut self, other: &QuantileSketch) -> Result<(), AnalysisError> {
        if self.alpha.to_bits() != other.alpha.to_bits() {
            return Err(AnalysisError::InvalidParameter {
                name: "alpha of merged sketch",
                value: other.alpha,
                allowed: "equal to this sketch's alpha",
            });
        }
        if self.max_buckets != other.max_buckets {
            return Err(AnalysisError::InvalidParameter {
                name: "max_buckets of merged sketch",
                value: other.max_buckets as f64,
                allowed: "equal to this sketch's max_buckets",
            });
        }
        let mb = self.max_buckets;
        // Highest key first so the window is placed once.
        for (k, c) in other.pos.iter().collect::<Vec<_>>().into_iter().rev() {
            self.pos.add(k, c, mb);
        }
        for (k, c) in other.neg.iter().collect::<Vec<_>>().into_iter().rev() {
            self.neg.add(k, c, mb);
        }
        self.zero += other.zero;
        self.nonfinite += other.nonfinite;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        Ok(())
    }

    /// Number of finite values pushed.
    pub fn count(&self) -> u64 {
        self.pos.total + self.neg.total + self.zero
    }

    /// Number of NaN/±∞ values pushed (not in the quantiles).
    pub fn nonfinite_count(&self) -> u64 {
        self.nonfinite
    }

    /// Relative accuracy α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Number of non-empty buckets (positive + negative + zero bucket).
    pub fn bucket_count(&self) -> usize {
        self.pos.iter().count() + self.neg.iter().count() + usize::from(self.zero > 0)
    }

    /// Allocated bucket slots (memory), at most about 2 × `max_buckets` per sign.
    pub fn allocated_buckets(&self) -> usize {
        self.pos.counts.len() + self.neg.counts.len()
    }

    /// Exact smallest finite value pushed (NaN when empty).
    pub fn min(&self) -> f64 {
        if self.count() == 0 {
            f64::NAN
        } else {
            self.min
        }
    }

    /// Exact largest finite value pushed (NaN when empty).
    pub fn max(&self) -> f64 {
        if self.count() == 0 {
            f64::NAN
        } else {
            self.max
        }
    }

    /// Approximate q-quantile: the order statistic of 0-based rank ⌊q·(n − 1)⌋ within
    /// relative error α (exact at q = 0 and 1). NaN when empty or q ∉ [0, 1].
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 || !(0.0..=1.0).contains(&q) {
            return f64::NAN;
        }
        if q == 0.0 {
            return self.min;
        }
        if q == 1.0 {
            return self.max;
        }
        let rank = ((q * (n - 1) as f64).floor() as u64).min(n - 1);
        let mut cum = 0u64;
        let mut found = None;
        for (k, c) in self.neg.iter() {
            cum += c;
            if cum > rank {
                found = Some(-self.value(-k));
                break;
            }
        }
        if found.is_none() {
            cum += self.zero;
            if cum > rank {
                found = Some(0.0);
            }
        }
        if found.is_none() {
            for (k, c) in self.pos.iter() {
                cum += c;
                if cum > rank {
                    found = Some(self.value(k));
                    break;
                }
            }
        }
        found.map_or(self.max, |v| v.clamp(self.min, self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, LogNormal, Normal};

    const QS: [f64; 11] = [
        0.0, 0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999, 1.0,
    ];

    fn check_accuracy(xs: &[f64], sk: &QuantileSketch) {
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        for q in QS {
            let exact = sorted[((q * (n - 1) as f64).floor() as usize).min(n - 1)];
            let est = sk.quantile(q);
            let rel = ((est - exact) / exact).abs();
            assert!(
                rel <= sk.alpha() * (1.0 + 1e-9),
                "q={q}: est {est} exact {exact} rel {rel}"
            );
        }
    }

    #[test]
    fn every_value_is_within_alpha_of_its_bucket_value() {
        // Geometric grid from 1e-12 to 1e12 plus powers of two and their neighbours.
        let mut xs: Vec<f64> = (0..200_000)
            .map(|i| 1e-12 * 10f64.powf(24.0 * f64::from(i) / 200_000.0))
            .collect();
        for e in -39..40 {
            let p = 2f64.powi(e);
            xs.extend([p, p.next_up(), p.next_down()]);
        }
        for alpha in [DEFAULT_ALPHA, 0.01, 0.2] {
            let sk = QuantileSketch::with_params(alpha, 1 << 20).unwrap();
            for &x in &xs {
                let v = sk.value(sk.key(x));
                assert!(
                    (v - x).abs() <= alpha * x * (1.0 + 1e-9),
                    "alpha {alpha}: x {x} in key {} valued {v}",
                    sk.key(x)
                );
            }
        }
    }

    #[test]
    fn cubic_log2_is_exact_at_powers_of_two_and_increasing() {
        for e in -40..40 {
            assert_eq!(cubic_log2(2f64.powi(e)), f64::from(e));
            assert!((cubic_exp2(f64::from(e)) - 2f64.powi(e)).abs() <= 1e-15 * 2f64.powi(e));
        }
        let mut last = f64::NEG_INFINITY;
        for i in 0..100_000 {
            let x = 0.5 + f64::from(i) * 3e-5;
            let l = cubic_log2(x);
            assert!(l > last, "not increasing at {x}");
            assert!((cubic_exp2(l) - x).abs() <= 1e-12 * x);
            last = l;
        }
    }

    #[test]
    fn lognormal_quantiles_within_alpha() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let d = LogNormal::new(3.0, 1.5).unwrap();
        let xs: Vec<f64> = (0..100_000).map(|_| d.sample(&mut rng)).collect();
        let mut sk = QuantileSketch::new();
        xs.iter().for_each(|&x| sk.push(x));
        assert_eq!(sk.count(), 100_000);
        check_accuracy(&xs, &sk);
    }

    #[test]
    fn mixed_sign_quantiles_within_alpha() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let d = Normal::new(0.5, 2.0).unwrap();
        let mut xs: Vec<f64> = (0..100_000).map(|_| d.sample(&mut rng)).collect();
        // A few exact zeros too.
        xs.extend([0.0; 50]);
        let mut sk = QuantileSketch::new();
        xs.iter().for_each(|&x| sk.push(x));
        check_accuracy(&xs, &sk);
        sk.push(f64::NAN);
        assert_eq!(sk.nonfinite_count(), 1);
        assert_eq!(sk.count(), 100_050);
    }

    #[test]
    fn push_all_equals_pushing_one_by_one() {
        let xs = [
            3.5,
            -2.0,
            0.0,
            f64::NAN,
            1e-13,
            7.25e6,
            -1e-9,
            f64::INFINITY,
            3.5,
            0.001,
        ];
        let mut one = QuantileSketch::default();
        for &x in &xs {
            one.push(x);
        }
        let mut all = QuantileSketch::default();
        all.push_all(&xs[..4]);
        all.push_all(&xs[4..]);
        assert!(one == all);
        assert_eq!(all.count(), 8);
        assert_eq!(all.nonfinite_count(), 2);
    }

    #[test]
    fn merge_order_gives_identical_results() {
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        let d = Normal::new(1.0, 3.0).unwrap();
        let xs: Vec<f64> = (0..60_000)
            .map(|_| {
                let v: f64 = d.sample(&mut rng);
                v.powi(3)
            })
            .collect();
        let parts: Vec<QuantileSketch> = xs
            .chunks(7_000)
            .map(|c| {
                let mut s = QuantileSketch::new();
                c.iter().for_each(|&x| s.push(x));
                s
            })
            .collect();
        let mut fwd = QuantileSketch::new();
        for p in &parts {
            fwd.merge(p).unwrap();
        }
        let mut rev = QuantileSketch::new();
        for p in parts.iter().rev() {
            rev.merge(p).unwrap();
        }
        // Tree merge: pairs.
        let mut tree: Vec<QuantileSketch> = parts.clone();
        while tree.len() > 1 {
            let mut next = Vec::new();
            for pair in tree.chunks(2) {
                let mut a = pair[0].clone();
                if let Some(b) = pair.get(1) {
                    a.merge(b).unwrap();
                }
                next.push(a);
            }
            tree = next;
        }
        let mut seq = QuantileSketch::new();
        xs.iter().rev().for_each(|&x| seq.push(x));
        assert_eq!(fwd, rev);
        assert_eq!(fwd, tree[0]);
        assert_eq!(fwd, seq);
        for q in QS {
            assert_eq!(fwd.quantile(q).to_bits(), tree[0].quantile(q).to_bits());
        }
        let other = QuantileSketch::with_params(0.01, 1024).unwrap();
        assert!(fwd.merge(&other).is_err());
    }

    #[test]
    fn bucket_count_bounded_and_collapse_order_independent() {
        let mb = 64;
        // Values spanning ~60 orders of magnitude in both signs.
        let xs: Vec<f64> = (0..20_000)
            .map(|i| {
                let e = (i % 120) as f64 / 2.0 - 30.0;
                let s = if i % 3 == 0 { -1.0 } else { 1.0 };
                s * 10f64.powf(e) * (1.0 + (i % 7) as f64 / 10.0)
            })
            .collect();
        let mut a = QuantileSketch::with_params(0.01, mb).unwrap();
        xs.iter().for_each(|&x| a.push(x));
        let mut b = QuantileSketch::with_params(0.01, mb).unwrap();
        xs.iter().rev().for_each(|&x| b.push(x));
        let mut c = QuantileSketch::with_params(0.01, mb).unwrap();
        for chunk in xs.chunks(999) {
            let mut s = QuantileSketch::with_params(0.01, mb).unwrap();
            chunk.iter().for_each(|&x| s.push(x));
            c.merge(&s).unwrap();
        }
        assert!(a.bucket_count() <= 2 * mb + 1, "{}", a.bucket_count());
        assert!(a.allocated_buckets() <= 4 * mb, "{}", a.allocated_buckets());
        assert_eq!(a, b);
        assert_eq!(a, c);
        // Top quantiles still within α (only the lowest values fold).
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let exact = sorted[(0.99 * (xs.len() - 1) as f64) as usize];
        assert!(((a.quantile(0.99) - exact) / exact).abs() <= 0.01 * (1.0 + 1e-9));
    }

    #[test]
    fn store_collapse_matches_reference_model() {
        use rand::RngExt;
        // Reference: keys below (max key − B + 1) are folded into that boundary key.
        let mb = 16usize;
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        for _ in 0..200 {
            let len = rng.random_range(1..300);
            let keys: Vec<i64> = (0..len).map(|_| rng.random_range(-100..100)).collect();
            let max = *keys.iter().max().unwrap();
            let boundary = max - mb as i64 + 1;
            let mut reference = std::collections::BTreeMap::new();
            for &k in &keys {
                *reference.entry(k.max(boundary)).or_insert(0u64) += 1;
            }
            let expect: Vec<(i64, u64)> = reference.into_iter().collect();
            let mut one = Store::new();
            keys.iter().for_each(|&k| one.add(k, 1, mb));
            assert_eq!(one.iter().collect::<Vec<_>>(), expect);
            // Split into random parts and merge them (descending keys, as `merge` does).
            let cut = rng.random_range(0..len);
            let (mut left, mut right) = (Store::new(), Store::new());
            keys[..cut].iter().for_each(|&k| left.add(k, 1, mb));
            keys[cut..].iter().for_each(|&k| right.add(k, 1, mb));
            for (k, c) in right.iter().collect::<Vec<_>>().into_iter().rev() {
                left.add(k, c, mb);
            }
            assert_eq!(left.iter().collect::<Vec<_>>(), expect);
            assert!(left.counts.len() <= 2 * mb);
        }
    }

    #[test]
    fn empty_and_invalid() {
        let s = QuantileSketch::new();
        assert!(s.quantile(0.5).is_nan());
        assert_eq!(s.count(), 0);
        assert!(QuantileSketch::with_params(0.0, 100).is_err());
        assert!(QuantileSketch::with_params(0.01, 2).is_err());
        let mut t = QuantileSketch::new();
        t.push(5.0);
        assert_eq!(t.quantile(0.5), 5.0);
        assert!(t.quantile(1.5).is_nan());
    }
}
