//! Additive LMDI-I index decomposition (Ang 2004, "Decomposition analysis for policymaking
//! in energy: which is the preferred method?", Energy Policy 32:1131; Ang 2005, "The LMDI
//! approach to decomposition analysis: a practical guide", Energy Policy 33:867).
//!
//! For V = Σ_i Π_k x_{k,i}, the effect of factor k from period 0 to T is
//! ΔV_k = Σ_i L(V_i^T, V_i^0) · ln(x_{k,i}^T / x_{k,i}^0), with the logarithmic mean
//! L(a, b) = (a − b)/(ln a − ln b), L(a, a) = a. The effects add up to V^T − V^0 exactly
//! (no residual) because Σ_k ln(x_k^T/x_k^0) = ln(V^T/V^0) for each subcategory.
//!
//! **Zero values** (Ang & Liu 2007, "Handling zero values in the logarithmic mean Divisia
//! index decomposition approach", Energy Policy 35:238): zeros are replaced by δ and δ → 0.
//! The limits, applied per subcategory i, are:
//! - all factors positive in both periods: the formula above;
//! - *appearing* (some factor is 0 in period 0, none in T, so V_i^0 = 0 < V_i^T): its whole
//!   V_i^T goes to the factor(s) that were 0 in period 0 — split equally among them if more
//!   than one (the limit when every zero is replaced by the same δ) — and the other
//!   factors of i get 0 (L(V^T, δ)·ln(…) → 0);
//! - *disappearing* (no zero in period 0, some in T): symmetrically, −V_i^0 goes to the
//!   factor(s) that are 0 in T;
//! - zero in both periods (V_i^0 = V_i^T = 0): contributes nothing.
//!
//! In every case Σ_k ΔV_k = V^T − V^0 still holds.

use super::AnalysisError;

/// Result of an additive LMDI decomposition.
#[derive(Debug, Clone, PartialEq)]
pub struct LmdiResult {
    /// Effect ΔV_k of each factor k, in the aggregate's unit.
    pub effects: Vec<f64>,
    /// V^T − V^0.
    pub total_change: f64,
    /// total_change − Σ effects: zero up to rounding (LMDI-I is exact), kept as a check.
    pub residual: f64,
}

/// Logarithmic mean L(a, b) = (a − b)/(ln a − ln b), L(a, a) = a, L(a, 0) = L(0, b) = 0,
/// for a, b ≥ 0. Computed as (a − b)/ln_1p((a − b)/b) for accuracy when a ≈ b.
pub fn log_mean(a: f64, b: f64) -> f64 {
    if a == b {
        a
    } else if a <= 0.0 || b <= 0.0 {
        0.0
    } else {
        // Ordered so that L is exactly symmetric.
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        let d = hi - lo;
        d / (d / lo).ln_1p()
    }
}

fn validate(factors: &[Vec<f64>], period: &'static str, m: usize) -> Result<(), AnalysisError> {
    for (k, row) in factors.iter().enumerate() {
        if row.len() != m {
            return Err(AnalysisError::LengthMismatch {
                what: format!("LMDI factor {k} (period {period}) subcategories"),
                expected: m,
                found: row.len(),
            });
        }
        for (i, &v) in row.iter().enumerate() {
            if !v.is_finite() {
                return Err(AnalysisError::NonFinite {
                    what: format!("LMDI factor {k} (period {period})"),
                    index: i,
                    value: v,
                });
            }
            if v < 0.0 {
                return Err(AnalysisError::NegativeFactor {
                    factor: k,
                    subcategory: i,
                    period,
                    value: v,
                });
            }
        }
    }
    Ok(())
}

/// Additive LMDI-I decomposition of V = Σ_i Π_k x_{k,i} between period 0 and T.
///
/// `factors0[k][i]` and `factors_t[k][i]` are factor k of subcategory i; both must be k × m
/// with the same shape, finite and ≥ 0 (negative values are rejected with
/// [`AnalysisError::NegativeFactor`]; LMDI needs logarithms). Zero values follow the limits
/// in the module docs. O(k·m).
pub fn lmdi_additive(
    factors0: &[Vec<f64>],
    factors_t: &[Vec<f64>],
) -> Result<LmdiResult, AnalysisError> {
    let k = factors0.len();
    if k == 0 {
        return Err(AnalysisError::InvalidParameter {
            name: "number of LMDI factors",
            value: 0.0,
            allowed: ">= 1",
        });
    }
    if factors_t.len() != k {
        return Err(AnalysisError::LengthMismatch {
            what: "LMDI factors in period T".into(),
            expected: k,
            found: factors_t.len(),
        });
    }
    let m = factors0[0].len();
    validate(factors0, "0", m)?;
    validate(factors_t, "T", m)?;
    let mut effects = vec![0.0; k];
    let (mut sum0, mut sum_t) = (0.0, 0.0);
    for i in 0..m {
        let x0 = |j: usize| factors0[j][i];
        let xt = |j: usize| factors_t[j][i];
        let v0: f64 = (0..k).map(x0).product();
        let vt: f64 = (0..k).map(xt).product();
        sum0 += v0;
        sum_t += vt;
        let zeros0 = (0..k).filter(|&j| x0(j) == 0.0).count();
        let zeros_t = (0..k).filter(|&j| xt(j) == 0.0).count();
        match (zeros0, zeros_t) {
            (0, 0) => {
                let l = log_mean(vt, v0);
                for (j, e) in effects.iter_mut().enumerate() {
                    *e += l * (xt(j) / x0(j)).ln();
                }
            }
            (z, 0) => {
                // Appearing: the factors that were zero take V^T.
                for (j, e) in effects.iter_mut().enumerate() {
                    if x0(j) == 0.0 {
                        *e += vt / z as f64;
                    }
                }
            }
            (0, z) => {
                // Disappearing: the factors that become zero take −V^0.
                for (j, e) in effects.iter_mut().enumerate() {
                    if xt(j) == 0.0 {
                        *e -= v0 / z as f64;
                    }
                }
            }
            _ => {} // zero in both periods: V_i^0 = V_i^T = 0.
        }
    }
    let total_change = sum_t - sum0;
    let residual = total_change - effects.iter().sum::<f64>();
    Ok(LmdiResult {
        effects,
        total_change,
        residual,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, scale: f64) -> bool {
        (a - b).abs() <= 1e-9 * scale.max(1e-300)
    }

    #[test]
    fn log_mean_limits() {
        assert_eq!(log_mean(3.0, 3.0), 3.0);
        assert_eq!(log_mean(3.0, 0.0), 0.0);
        assert_eq!(log_mean(0.0, 3.0), 0.0);
        assert!((log_mean(2.0, 1.0) - 1.0 / 2f64.ln()).abs() < 1e-15);
        // Symmetric and smooth near a = b.
        let x = log_mean(1.0 + 1e-12, 1.0);
        assert!((x - (1.0 + 0.5e-12)).abs() < 1e-15, "{x}");
        assert_eq!(log_mean(5.0, 7.0), log_mean(7.0, 5.0));
    }

    #[test]
    fn hand_computed_two_factor_example() {
        // One subcategory, x1: 1 → 2, x2: 1 → 3; V: 1 → 6; L = 5/ln 6.
        let r = lmdi_additive(&[vec![1.0], vec![1.0]], &[vec![2.0], vec![3.0]]).unwrap();
        assert!((r.effects[0] - 5.0 * 2f64.ln() / 6f64.ln()).abs() < 1e-12);
        assert!((r.effects[1] - 5.0 * 3f64.ln() / 6f64.ln()).abs() < 1e-12);
        assert_eq!(r.total_change, 5.0);
    }

    #[test]
    fn single_changing_factor_takes_all() {
        let f0 = vec![
            vec![10.0, 20.0, 5.0],
            vec![0.5, 0.2, 1.5],
            vec![2.0, 3.0, 4.0],
        ];
        let mut ft = f0.clone();
        ft[1] = vec![0.4, 0.3, 1.0];
        let r = lmdi_additive(&f0, &ft).unwrap();
        assert_eq!(r.effects[0], 0.0);
        assert_eq!(r.effects[2], 0.0);
        assert!(close(r.effects[1], r.total_change, 100.0), "{r:?}");
    }

    #[test]
    fn appearing_and_disappearing_subcategories() {
        // Factors: activity, intensity. Sub 0 steady-ish; sub 1 appears (activity 0 → 5);
        // sub 2 disappears (intensity 3 → 0); sub 3 zero throughout.
        let f0 = vec![vec![10.0, 0.0, 4.0, 0.0], vec![2.0, 2.0, 3.0, 0.0]];
        let ft = vec![vec![12.0, 5.0, 4.0, 0.0], vec![1.5, 2.5, 0.0, 7.0]];
        let r = lmdi_additive(&f0, &ft).unwrap();
        // V0 = 20 + 0 + 12 + 0 = 32; VT = 18 + 12.5 + 0 + 0 = 30.5.
        assert!(close(r.total_change, -1.5, 1.0));
        assert!(close(r.effects.iter().sum(), r.total_change, 62.5));
        assert!(r.residual.abs() < 1e-12);
        let l = log_mean(18.0, 20.0);
        let act = l * (12.0f64 / 10.0).ln() + 12.5;
        let int = l * (1.5f64 / 2.0).ln() - 12.0;
        assert!(close(r.effects[0], act, 50.0), "{:?} vs {act}", r.effects);
        assert!(close(r.effects[1], int, 50.0), "{:?} vs {int}", r.effects);
    }

    #[test]
    fn appearing_with_two_zero_factors_splits_equally() {
        let r = lmdi_additive(
            &[vec![0.0], vec![0.0], vec![3.0]],
            &[vec![2.0], vec![5.0], vec![3.0]],
        )
        .unwrap();
        assert_eq!(r.effects, vec![15.0, 15.0, 0.0]);
        assert_eq!(r.total_change, 30.0);
    }

    #[test]
    fn rejects_negative_and_bad_shapes() {
        let e = lmdi_additive(
            &[vec![1.0, 2.0], vec![1.0, 1.0]],
            &[vec![1.0, 2.0], vec![1.0, -0.5]],
        );
        assert_eq!(
            e,
            Err(AnalysisError::NegativeFactor {
                factor: 1,
                subcategory: 1,
                period: "T",
                value: -0.5
            })
        );
        assert!(matches!(
            lmdi_additive(&[vec![1.0, 2.0]], &[vec![1.0]]),
            Err(AnalysisError::LengthMismatch { .. })
        ));
        assert!(lmdi_additive(&[vec![1.0]], &[vec![1.0], vec![2.0]]).is_err());
        assert!(lmdi_additive(&[], &[]).is_err());
        assert!(matches!(
            lmdi_additive(&[vec![f64::NAN]], &[vec![1.0]]),
            Err(AnalysisError::NonFinite { .. })
        ));
    }

    fn shaped() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<Vec<f64>>)> {
        (1usize..5, 1usize..7).prop_flat_map(|(k, m)| {
            let mat = || prop::collection::vec(prop::collection::vec(1e-3f64..1e3, m), k);
            (mat(), mat())
        })
    }

    proptest! {
        #[test]
        fn effects_sum_to_total_change((f0, ft) in shaped()) {
            let r = lmdi_additive(&f0, &ft).unwrap();
            let scale: f64 = (0..f0[0].len())
                .map(|i| f0.iter().map(|x| x[i]).product::<f64>()
                    + ft.iter().map(|x| x[i]).product::<f64>())
                .sum();
            let sum: f64 = r.effects.iter().sum();
            prop_assert!(close(sum, r.total_change, scale), "{} vs {}", sum, r.total_change);
            prop_assert!(r.residual.abs() <= 1e-9 * scale);
        }

        #[test]
        fn effects_sum_with_zeros((f0, ft) in shaped(), z0 in 0usize..20, zt in 0usize..20) {
            // Knock out some entries to create appearing/disappearing subcategories.
            let (mut f0, mut ft) = (f0, ft);
            let (k, m) = (f0.len(), f0[0].len());
            f0[z0 % k][z0 % m] = 0.0;
            ft[zt % k][(zt / 2) % m] = 0.0;
            let r = lmdi_additive(&f0, &ft).unwrap();
            let scale: f64 = (0..m)
                .map(|i| f0.iter().map(|x| x[i]).product::<f64>()
                    + ft.iter().map(|x| x[i]).product::<f64>())
                .sum();
            let sum: f64 = r.effects.iter().sum();
            prop_assert!(close(sum, r.total_change, scale), "{} vs {}", sum, r.total_change);
        }
    }
}
