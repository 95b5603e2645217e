//! Exact small-sample statistics: type-7 quantiles, Wilson score intervals, ECDF points for
//! exceedance curves, slice mean/sd and the standard normal quantile.

use crate::engine::Moments;

/// Two-sided 95 % standard normal critical value, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Quantile of an ascending-sorted slice, Hyndman & Fan (1996) type 7 (R's default):
/// h = (n − 1)·p, linear interpolation between the order statistics around h.
///
/// Returns NaN when the slice is empty or `p` is not in [0, 1]. The slice must be sorted
/// ascending and NaN-free (not checked, to stay O(1)).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    match sorted.get(lo + 1) {
        Some(&hi) if frac > 0.0 => sorted[lo] + frac * (hi - sorted[lo]),
        _ => sorted[lo],
    }
}

/// [`quantile_sorted`] for several ascending `ps` without sorting: each order statistic is
/// found by selection (O(n) each), so the values equal those of `quantile_sorted` on the
/// sorted data. `values` (finite) is reordered.
pub fn quantiles_unsorted(values: &mut [f64], ps: &[f64]) -> Vec<f64> {
    let n = values.len();
    let mut out = Vec::with_capacity(ps.len());
    // Everything below `done` is ≤ everything from `done` on (partitioned by earlier picks).
    let mut done = 0;
    for &p in ps {
        if n == 0 || !(0.0..=1.0).contains(&p) {
            out.push(f64::NAN);
            continue;
        }
        let h = (n - 1) as f64 * p;
        let lo = h.floor() as usize;
        let frac = h - lo as f64;
        let lo_v = if lo >= done {
            let (_, v, _) = values[done..].select_nth_unstable_by(lo - done, f64::total_cmp);
            let v = *v;
            done = lo;
            v
        } else {
            values[lo]
        };
        let q = if frac > 0.0 && lo + 1 < n {
            let hi_v = values[lo + 1..]
                .iter()
                .copied()
                .min_by(f64::total_cmp)
                .unwrap_or(lo_v);
            lo_v + frac * (hi_v - lo_v)
        } else {
            lo_v
        };
        out.push(q);
    }
    out
}

/// Wilson (1927) score interval for a binomial proportion `successes / n` with normal
/// critical value `z` (use [`Z95`] = 1.959964 for 95 %). Returns (0, 1) when `n` is 0;
/// `successes` above `n` is clamped to `n`.
pub fn wilson_interval(successes: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let nf = n as f64;
    let p = successes.min(n) as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // At 0 or n successes the bound is exactly 0 or 1 (rounding would leave ~1e-19).
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// Empirical CDF points `(x, P(X ≤ x))` over the distinct finite values, sorted by x, thinned
/// to at most `max_points` by even spacing in rank, always keeping the first and last
/// points. The exceedance probability at x is `1 − P`. NaNs are ignored. O(n log n).
pub fn ecdf_points(values: &[f64], max_points: usize) -> Vec<(f64, f64)> {
    let mut xs: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if xs.is_empty() || max_points == 0 {
        return Vec::new();
    }
    xs.sort_unstable_by(f64::total_cmp);
    let n = xs.len() as f64;
    // One point per distinct value, at the last index of its run of ties.
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for (i, &x) in xs.iter().enumerate() {
        if xs.get(i + 1) != Some(&x) {
            pts.push((x, (i + 1) as f64 / n));
        }
    }
    if pts.len() <= max_points {
        return pts;
    }
    if max_points == 1 {
        return pts.last().copied().into_iter().collect();
    }
    let m = pts.len() - 1;
    let steps = max_points - 1;
    (0..=steps)
        .map(|j| pts[((j as u128 * m as u128) / steps as u128) as usize])
        .collect()
}

/// Arithmetic mean of the non-NaN values (NaN when there are none).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().copied().collect::<Moments>().mean()
}

/// Sample standard deviation (n − 1) of the non-NaN values (NaN when fewer than two).
pub fn sd(values: &[f64]) -> f64 {
    values.iter().copied().collect::<Moments>().sd()
}

/// Standard normal quantile Φ⁻¹(p), Wichura (1988) algorithm AS 241 (PPND16, relative
/// accuracy about 1e-16). Returns ∓∞ at 0 and 1 and NaN outside [0, 1].
#[allow(clippy::excessive_precision)] // coefficients exactly as published in AS 241
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = ((((((2_509.080_928_730_122_7 * r + 33_430.575_583_588_128) * r
            + 67_265.770_927_008_7)
            * r
            + 45_921.953_931_549_87)
            * r
            + 13_731.693_765_509_461)
            * r
            + 1_971.590_950_306_551_3)
            * r
            + 133.141_667_891_784_38)
            * r
            + 3.387_132_872_796_366_5;
        let den = ((((((5_226.495_278_852_545 * r + 28_729.085_735_721_943) * r
            + 39_307.895_800_092_71)
            * r
            + 21_213.794_301_586_597)
            * r
            + 5_394.196_021_424_751)
            * r
            + 687.187_007_492_057_9)
            * r
            + 42.313_330_701_600_91)
            * r
            + 1.0;
        return q * num / den;
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-tail.ln()).sqrt();
    let val = if r <= 5.0 {
        r -= 1.6;
        let num = ((((((7.745_450_142_783_414e-4 * r + 2.272_384_498_926_918_4e-2) * r
            + 2.417_807_251_774_506e-1)
            * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_5)
            * r
            + 5.769_497_221_460_691)
            * r
            + 4.630_337_846_156_546)
            * r
            + 1.423_437_110_749_683_5;
        let den = ((((((1.050_750_071_644_416_9e-9 * r + 5.475_938_084_995_345e-4) * r
            + 1.519_866_656_361_645_7e-2)
            * r
            + 1.481_039_764_274_800_7e-1)
            * r
            + 6.897_673_349_851e-1)
            * r
            + 1.676_384_830_183_803_8)
            * r
            + 2.053_191_626_637_759)
            * r
            + 1.0;
        num / den
    } else {
        r -= 5.0;
        let num = ((((((2.010_334_399_292_288_1e-7 * r + 2.711_555_568_743_487_6e-5) * r
            + 1.242_660_947_388_078_4e-3)
            * r
            + 2.653_218_952_657_612_4e-2)
            * r
            + 2.965_605_718_285_048_7e-1)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114)
            * r
            + 6.657_904_643_501_103;
        let den = ((((((2.044_263_103_389_939_7e-15 * r + 1.421_511_758_316_446e-7) * r
            + 1.846_318_317_510_054_8e-5)
            * r
            + 7.868_691_311_456_133e-4)
            * r
            + 1.487_536_129_085_061_5e-2)
            * r
            + 1.369_298_809_227_358e-1)
            * r
            + 5.998_322_065_558_88e-1)
            * r
            + 1.0;
        num / den
    };
    if q < 0.0 { -val } else { val }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_quantiles_equal_sorted_quantiles() {
        // Ties, odd and even lengths, a single value, and interpolated levels.
        let ps = [0.0, 0.05, 0.25, 0.5, 0.5, 0.75, 0.95, 1.0];
        let mut x = 0.123_f64;
        for n in [1usize, 2, 3, 10, 101, 1000] {
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    x = (x * 997.0 + 0.31).fract();
                    if i % 7 == 0 { 0.5 } else { x * 100.0 - 30.0 }
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let want: Vec<f64> = ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect();
            let mut w = v.clone();
            assert_eq!(quantiles_unsorted(&mut w, &ps), want, "n = {n}");
        }
        assert!(quantiles_unsorted(&mut [], &[0.5])[0].is_nan());
    }

    #[test]
    fn wilson_bounds_are_exact_at_the_extremes() {
        assert_eq!(wilson_interval(0, 10_000, Z95).0, 0.0);
        assert_eq!(wilson_interval(10_000, 10_000, Z95).1, 1.0);
    }

    #[test]
    fn type7_matches_r() {
        // R: quantile(c(1,2,3,4,10), c(0, .1, .5, .9, 1), type = 7) = 1 1.4 3 7.6 10
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
        let expect = [(0.0, 1.0), (0.1, 1.4), (0.5, 3.0), (0.9, 7.6), (1.0, 10.0)];
        for (p, q) in expect {
            assert!((quantile_sorted(&xs, p) - q).abs() < 1e-12, "p={p}");
        }
        assert!(quantile_sorted(&[], 0.5).is_nan());
        assert!(quantile_sorted(&xs, 1.5).is_nan());
        assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn wilson_known_values() {
        // Wilson 95 % for 8/10 (Newcombe 1998 table): 0.4902, 0.9433.
        let (lo, hi) = wilson_interval(8, 10, Z95);
        assert!(
            (lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4,
            "{lo} {hi}"
        );
        // 0/10: lower bound exactly 0, upper 0.2775.
        let (lo, hi) = wilson_interval(0, 10, Z95);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4);
        assert_eq!(wilson_interval(0, 0, Z95), (0.0, 1.0));
    }

    #[test]
    fn ecdf_thinning_keeps_endpoints_and_ties() {
        let vals = [3.0, 1.0, 2.0, 2.0, f64::NAN, 5.0];
        let pts = ecdf_points(&vals, 10);
        assert_eq!(pts, vec![(1.0, 0.2), (2.0, 0.6), (3.0, 0.8), (5.0, 1.0)]);
        let many: Vec<f64> = (0..10_000).map(|i| i as f64).collect();
        let thin = ecdf_points(&many, 101);
        assert_eq!(thin.len(), 101);
        assert_eq!(thin[0], (0.0, 1e-4));
        assert_eq!(thin[100], (9999.0, 1.0));
        assert!(thin.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        assert!(ecdf_points(&many, 0).is_empty());
    }

    #[test]
    fn mean_sd_slice() {
        assert_eq!(mean(&[1.0, 2.0, 3.0]), 2.0);
        assert_eq!(sd(&[1.0, 2.0, 3.0]), 1.0);
        assert!(sd(&[1.0]).is_nan());
    }

    #[test]
    fn normal_quantile_known_values() {
        assert!((normal_quantile(0.975) - Z95).abs() < 1e-14);
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!((normal_quantile(0.05) + 1.644_853_626_951_472_2).abs() < 1e-14);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-12);
        assert!(normal_quantile(1.2).is_nan());
    }
}
