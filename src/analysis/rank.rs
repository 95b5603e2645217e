//! Rank-based sensitivity measures: Spearman correlation, standardized rank regression
//! coefficients (SRRC; Iman & Conover 1979; Saltelli et al. 2004, "Sensitivity Analysis in
//! Practice", §5) and a target-separation score per input.

use super::AnalysisError;
use super::stats::quantile_sorted;
use nalgebra::{DMatrix, DVector};

/// Ranks 1..=n of the values, ties receiving the average of the ranks they span.
/// O(n log n). NaNs sort last (by `f64::total_cmp`); check for them before if that matters.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_unstable_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i + 1;
        while j < idx.len() && x[idx[j]].total_cmp(&x[idx[i]]).is_eq() {
            j += 1;
        }
        // Positions i..j (0-based) share ranks i+1..=j; average (i + 1 + j) / 2.
        let r = (i + 1 + j) as f64 / 2.0;
        for &k in &idx[i..j] {
            ranks[k] = r;
        }
        i = j;
    }
    ranks
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman rank correlation (Pearson correlation of average ranks, so ties are handled).
///
/// NaN when the lengths differ, fewer than 2 pairs, any value is NaN, or either side is
/// constant.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    if x.len() != y.len() || x.len() < 2 || x.iter().chain(y).any(|v| v.is_nan()) {
        return f64::NAN;
    }
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Result of a standardized rank regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Srrc {
    /// One coefficient per input column, in input order.
    pub coefficients: Vec<f64>,
    /// Coefficient of determination R² of the rank regression; low values mean the
    /// coefficients explain little of the output's (rank) variance.
    pub r_squared: f64,
}

/// Rank-transforms and standardizes a column (mean 0, sd 1). None when constant.
fn standardized_ranks(x: &[f64]) -> Option<Vec<f64>> {
    let r = average_ranks(x);
    let n = r.len() as f64;
    let m = r.iter().sum::<f64>() / n;
    let ss = r.iter().map(|v| (v - m) * (v - m)).sum::<f64>();
    let sd = (ss / (n - 1.0)).sqrt();
    if sd <= 1e-12 * n {
        return None;
    }
    Some(r.iter().map(|v| (v - m) / sd).collect())
}

fn check_finite(what: impl Fn() -> String, x: &[f64]) -> Result<(), AnalysisError> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(AnalysisError::NonFinite {
            what: what(),
            index,
            value: x[index],
        }),
        None => Ok(()),
    }
}

/// Standardized rank regression coefficients of `y` on `inputs` (k columns of n draws):
/// all series are rank-transformed and standardized, then `y` is regressed on the inputs
/// by least squares via a Householder QR (nalgebra), without forming Q. O(n·k²) time,
/// one n×k matrix of memory.
///
/// Errors: length mismatch, n ≤ k + 1, non-finite values, a constant column
/// ([`AnalysisError::ConstantInput`]), a column whose ranks are a linear combination of
/// earlier columns' ([`AnalysisError::CollinearInput`], naming the later column), or a
/// constant output.
pub fn srrc(inputs: &[Vec<f64>], y: &[f64]) -> Result<Srrc, AnalysisError> {
    let k = inputs.len();
    let n = y.len();
    if k == 0 {
        return Err(AnalysisError::TooFewDraws {
            what: "srrc input columns",
            needed: 1,
            found: 0,
        });
    }
    if n < k + 2 {
        return Err(AnalysisError::TooFewDraws {
            what: "srrc (draws must exceed inputs + 1)",
            needed: k + 2,
            found: n,
        });
    }
    check_finite(|| "srrc output".to_string(), y)?;
    for (j, col) in inputs.iter().enumerate() {
        if col.len() != n {
            return Err(AnalysisError::LengthMismatch {
                what: format!("srrc input column {j}"),
                expected: n,
                found: col.len(),
            });
        }
        check_finite(|| format!("srrc input column {j}"), col)?;
    }
    let yz = standardized_ranks(y).ok_or(AnalysisError::ConstantOutput { what: "srrc y" })?;
    let mut m = DMatrix::<f64>::zeros(n, k);
    for (j, col) in inputs.iter().enumerate() {
        let z = standardized_ranks(col).ok_or(AnalysisError::ConstantInput { column: j })?;
        m.column_mut(j).copy_from_slice(&z);
    }
    let qr = m.qr();
    let r = qr.r();
    let mut qty = DVector::from_vec(yz);
    qr.q_tr_mul(&mut qty);
    // Each standardized column has norm sqrt(n − 1); a tiny diagonal means dependence.
    let tol = 1e-9 * ((n - 1) as f64).sqrt();
    for j in 0..k {
        if r[(j, j)].abs() <= tol {
            return Err(AnalysisError::CollinearInput { column: j });
        }
    }
    let mut beta = vec![0.0; k];
    for j in (0..k).rev() {
        let mut s = qty[j];
        for (l, b) in beta.iter().enumerate().skip(j + 1) {
            s -= r[(j, l)] * b;
        }
        beta[j] = s / r[(j, j)];
    }
    let ssr: f64 = qty.iter().skip(k).map(|v| v * v).sum();
    let r_squared = 1.0 - ssr / (n - 1) as f64;
    Ok(Srrc {
        coefficients: beta,
        r_squared,
    })
}

fn sorted_copy(it: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = it.collect();
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// Target separation per input: (median of the input over draws that meet the target −
/// median over draws that miss it) ÷ IQR of the input over all draws (type-7 quartiles),
/// or ÷ its sd when the IQR is 0. Positive: larger input values go with meeting the target.
///
/// A column gets NaN when every draw meets (or every draw misses) the target, or when it
/// has no spread at all. Errors on length mismatch or non-finite input values.
pub fn separation(inputs: &[Vec<f64>], met: &[bool]) -> Result<Vec<f64>, AnalysisError> {
    let n = met.len();
    let n_met = met.iter().filter(|&&m| m).count();
    let mut out = Vec::with_capacity(inputs.len());
    for (j, col) in inputs.iter().enumerate() {
        if col.len() != n {
            return Err(AnalysisError::LengthMismatch {
                what: format!("separation input column {j}"),
                expected: n,
                found: col.len(),
            });
        }
        check_finite(|| format!("separation input column {j}"), col)?;
        if n_met == 0 || n_met == n {
            out.push(f64::NAN);
            continue;
        }
        let all = sorted_copy(col.iter().copied());
        let yes = sorted_copy(col.iter().zip(met).filter(|p| *p.1).map(|p| *p.0));
        let no = sorted_copy(col.iter().zip(met).filter(|p| !*p.1).map(|p| *p.0));
        let diff = quantile_sorted(&yes, 0.5) - quantile_sorted(&no, 0.5);
        let iqr = quantile_sorted(&all, 0.75) - quantile_sorted(&all, 0.25);
        let scale = if iqr > 0.0 {
            iqr
        } else {
            super::stats::sd(col)
        };
        out.push(if scale > 0.0 { diff / scale } else { f64::NAN });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal, Uniform};

    fn normals(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
    }

    #[test]
    fn ranks_with_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 20.0, 5.0, 20.0]),
            vec![2.0, 4.0, 4.0, 1.0, 4.0]
        );
        // x ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4]: r = 4.5 / sqrt(4.5·5).
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]);
        assert!((r - 4.5 / (22.5f64).sqrt()).abs() < 1e-12, "{r}");
    }

    #[test]
    fn spearman_monotone_nonlinear_is_one() {
        let x = normals(5000, 1);
        let y: Vec<f64> = x.iter().map(|v| (3.0 * v).exp() + v.powi(3)).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-12);
        let z: Vec<f64> = x.iter().map(|v| -v.powi(5)).collect();
        assert!((spearman(&x, &z) + 1.0).abs() < 1e-12);
        let w = normals(5000, 2);
        assert!(spearman(&x, &w).abs() < 0.05);
        assert!(spearman(&x, &w[..10]).is_nan());
        assert!(spearman(&[1.0, 1.0], &[1.0, 2.0]).is_nan());
    }

    #[test]
    fn srrc_recovers_standardized_coefficients() {
        // y = 3·x0 − 2·x1 + 0.5·x2 + 0·x3 with independent uniform inputs; the rank
        // transform of a uniform is (nearly) linear, so SRRC ≈ b_i·sd_i / sd_y.
        let n = 20_000;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let u = Uniform::new(0.0, 1.0).unwrap();
        let cols: Vec<Vec<f64>> = (0..4)
            .map(|_| (0..n).map(|_| u.sample(&mut rng)).collect())
            .collect();
        let b = [3.0, -2.0, 0.5, 0.0];
        let y: Vec<f64> = (0..n)
            .map(|i| (0..4).map(|j| b[j] * cols[j][i]).sum())
            .collect();
        let sd_y = (b.iter().map(|v| v * v).sum::<f64>() / 12.0).sqrt();
        let res = srrc(&cols, &y).unwrap();
        for (j, bj) in b.iter().enumerate() {
            let expect = bj * (1.0f64 / 12.0).sqrt() / sd_y;
            assert!(
                (res.coefficients[j] - expect).abs() < 0.03,
                "col {j}: {} vs {expect}",
                res.coefficients[j]
            );
        }
        assert!(res.r_squared > 0.97, "{}", res.r_squared);
    }

    #[test]
    fn srrc_errors_name_the_column() {
        let x0 = normals(200, 4);
        let x1 = normals(200, 5);
        let y: Vec<f64> = x0.iter().zip(&x1).map(|(a, b)| a + b).collect();
        let constant = vec![1.0; 200];
        assert_eq!(
            srrc(&[x0.clone(), constant, x1.clone()], &y),
            Err(AnalysisError::ConstantInput { column: 1 })
        );
        // exp(x0) has exactly the ranks of x0: collinear in rank space.
        let twin: Vec<f64> = x0.iter().map(|v| v.exp()).collect();
        assert_eq!(
            srrc(&[x0.clone(), x1.clone(), twin], &y),
            Err(AnalysisError::CollinearInput { column: 2 })
        );
        assert!(matches!(
            srrc(&[x0.clone(), x1[..100].to_vec()], &y),
            Err(AnalysisError::LengthMismatch { .. })
        ));
        let mut bad = x1.clone();
        bad[7] = f64::NAN;
        assert!(matches!(
            srrc(&[x0.clone(), bad], &y),
            Err(AnalysisError::NonFinite { index: 7, .. })
        ));
    }

    #[test]
    fn separation_of_driving_and_idle_inputs() {
        let n = 20_000;
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let u = Uniform::new(0.0, 1.0).unwrap();
        let x0: Vec<f64> = (0..n).map(|_| u.sample(&mut rng)).collect();
        let x1: Vec<f64> = (0..n).map(|_| u.sample(&mut rng)).collect();
        // Met iff x0 < 0.5: medians 0.25 vs 0.75, IQR 0.5 → −1.
        let met: Vec<bool> = x0.iter().map(|&v| v < 0.5).collect();
        let s = separation(&[x0, x1, vec![2.0; n]], &met).unwrap();
        assert!((s[0] + 1.0).abs() < 0.02, "{}", s[0]);
        assert!(s[1].abs() < 0.03, "{}", s[1]);
        assert!(s[2].is_nan());
        let all = vec![true; 3];
        assert!(separation(&[vec![1.0, 2.0, 3.0]], &all).unwrap()[0].is_nan());
    }
}
