//! Joint sampling of a scenario's inputs: independent marginals, plus a Gaussian copula for
//! declared correlations.
//!
//! A correlation's `rho` is the Gaussian-copula (normal-scores) correlation: the Pearson
//! correlation of Φ⁻¹(F_a(X_a)) and Φ⁻¹(F_b(X_b)), not of the raw values. Inputs linked by
//! correlations form groups (connected components); per group the matrix R is factored
//! R = L Lᵀ (nalgebra Cholesky) once, and per draw z = Φ⁻¹(u), z′ = L z, u′ = Φ(z′), then each
//! input's own inverse CDF (Nelsen, *An Introduction to Copulas*, 2nd ed., §3.3.1). The
//! uniforms u still come from each input's own stream, so draws are reproducible per name.

use nalgebra::DMatrix;

use super::distribution::{DistError, Distribution};
use super::special::{norm_cdf, norm_inv, norm_inv_in_place};
use super::stream::StreamKey;
use crate::scenario::Scenario;

/// Smallest squared pivot accepted in the Cholesky factor: below it the matrix is treated as
/// singular (not positive definite), since the copula would be degenerate.
const MIN_PIVOT_SQ: f64 = 1e-10;
/// Copula output uniforms are kept inside [U_MIN, 1 − 2⁻⁵³] so inverse CDFs never see 0 or 1.
const U_MIN: f64 = f64::MIN_POSITIVE;
const U_MAX: f64 = 1.0 - f64::EPSILON / 2.0;

/// Why a scenario's inputs cannot be sampled.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum SamplerError {
    /// A parameter's distribution is invalid.
    #[error("parameter `{param}`: {source}")]
    InvalidDistribution {
        /// Parameter name.
        param: String,
        /// What is wrong with its distribution.
        #[source]
        source: DistError,
    },
    /// A correlation names an input that does not exist.
    #[error("correlation names `{name}`, which is not an input of this scenario")]
    UnknownInput {
        /// The unknown name.
        name: String,
    },
    /// A correlation involves a constant input.
    #[error(
        "correlation names `{name}`, which is a constant; only uncertain inputs can be correlated"
    )]
    ConstantCorrelated {
        /// The constant input.
        name: String,
    },
    /// A coefficient is not in (−1, 1), links an input to itself, or repeats a pair.
    #[error(
        "correlation between `{a}` and `{b}` (rho {rho}): rho must be in (−1, 1), between two different inputs, and each pair declared once"
    )]
    BadCoefficient {
        /// First input.
        a: String,
        /// Second input.
        b: String,
        /// The coefficient.
        rho: f64,
    },
    /// The correlation matrix of a group of linked inputs is not positive definite.
    #[error(
        "the correlations among {} are inconsistent: their matrix is not positive definite; weaken some coefficients",
        .inputs.join(", ")
    )]
    NotPositiveDefinite {
        /// The inputs of the offending group, in parameter order.
        inputs: Vec<String>,
    },
}

/// A group of correlated inputs and the Cholesky factor of their correlation matrix.
#[derive(Debug, Clone)]
struct Group {
    /// Parameter indices, ascending.
    members: Vec<usize>,
    /// Lower-triangular factor, row-major k×k.
    l: Vec<f64>,
}

impl Group {
    /// z ← L z in place (L lower triangular, so go from the last row up).
    #[inline]
    fn apply(&self, z: &mut [f64]) {
        let k = self.members.len();
        for i in (0..k).rev() {
            let row = &self.l[i * k..i * k + i + 1];
            z[i] = row.iter().zip(&z[..=i]).map(|(a, b)| a * b).sum();
        }
    }
}

/// Samples all inputs of a scenario, in `scenario.params` order.
#[derive(Debug, Clone)]
pub struct Sampler {
    names: Vec<String>,
    dists: Vec<Distribution>,
    keys: Vec<StreamKey>,
    uncertain: Vec<usize>,
    /// Uncertain inputs not in any correlated group.
    independent: Vec<usize>,
    groups: Vec<Group>,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl Sampler {
    /// Validates every distribution and correlation of a scenario and factors the copula.
    pub fn new(scenario: &Scenario) -> Result<Sampler, SamplerError> {
        let n = scenario.params.len();
        let mut dists = Vec::with_capacity(n);
        for p in &scenario.params {
            let d = Distribution::from_spec(&p.spec).map_err(|source| {
                SamplerError::InvalidDistribution {
                    param: p.name.clone(),
                    source,
                }
            })?;
            dists.push(d);
        }
        let names: Vec<String> = scenario.params.iter().map(|p| p.name.clone()).collect();
        let index = |name: &str| {
            names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| SamplerError::UnknownInput {
                    name: name.to_string(),
                })
        };

        // Validate correlations, collecting (i, j, rho) with i < j.
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for c in &scenario.correlations {
            let i = index(&c.a)?;
            let j = index(&c.b)?;
            for (k, name) in [(i, &c.a), (j, &c.b)] {
                if dists[k].is_constant() {
                    return Err(SamplerError::ConstantCorrelated { name: name.clone() });
                }
            }
            let (lo, hi) = (i.min(j), i.max(j));
            let bad = c.rho.is_nan()
                || c.rho.abs() >= 1.0
                || i == j
                || pairs.iter().any(|&(x, y, _)| (x, y) == (lo, hi));
            if bad {
                return Err(SamplerError::BadCoefficient {
                    a: c.a.clone(),
                    b: c.b.clone(),
                    rho: c.rho,
                });
            }
            pairs.push((lo, hi, c.rho));
        }

        // Connected components (union–find), then one Cholesky factor per component.
        let mut parent: Vec<usize> = (0..n).collect();
        for &(i, j, _) in &pairs {
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            if ri != rj {
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
        let mut in_group = vec![false; n];
        for &(i, j, _) in &pairs {
            in_group[i] = true;
            in_group[j] = true;
        }
        let mut groups = Vec::new();
        for root in 0..n {
            if !in_group[root] || find(&mut parent, root) != root {
                continue;
            }
            let members: Vec<usize> = (0..n)
                .filter(|&m| in_group[m] && find(&mut parent, m) == root)
                .collect();
            let k = members.len();
            let mut r = DMatrix::<f64>::identity(k, k);
            for &(i, j, rho) in &pairs {
                if let (Some(a), Some(b)) = (
                    members.iter().position(|&m| m == i),
                    members.iter().position(|&m| m == j),
                ) {
                    r[(a, b)] = rho;
                    r[(b, a)] = rho;
                }
            }
            let not_pd = || SamplerError::NotPositiveDefinite {
                inputs: members.iter().map(|&m| names[m].clone()).collect(),
            };
            let chol = r.cholesky().ok_or_else(not_pd)?;
            let lm = chol.l();
            if (0..k).any(|d| lm[(d, d)] * lm[(d, d)] < MIN_PIVOT_SQ) {
                return Err(not_pd());
            }
            let mut l = vec![0.0; k * k];
            for a in 0..k {
                for b in 0..=a {
                    l[a * k + b] = lm[(a, b)];
                }
            }
            groups.push(Group { members, l });
        }

        let uncertain: Vec<usize> = (0..n).filter(|&p| !dists[p].is_constant()).collect();
        let independent = uncertain
            .iter()
            .copied()
            .filter(|&p| !in_group[p])
            .collect();
        let keys = names.iter().map(|n| StreamKey::new(n)).collect();
        Ok(Sampler {
            names,
            dists,
            keys,
            uncertain,
            independent,
            groups,
        })
    }

    /// Number of parameters (constants included).
    pub fn n_params(&self) -> usize {
        self.dists.len()
    }

    /// Name of parameter `p`.
    pub fn name(&self, p: usize) -> &str {
        &self.names[p]
    }

    /// Every parameter at its central value (see [`Distribution::central`]).
    pub fn central(&self) -> Vec<f64> {
        self.dists.iter().map(Distribution::central).collect()
    }

    /// Indices of the non-constant parameters.
    pub fn uncertain(&self) -> &[usize] {
        &self.uncertain
    }

    /// Distribution of parameter `p`.
    pub fn distribution(&self, p: usize) -> &Distribution {
        &self.dists[p]
    }

    /// Whether any correlation is declared.
    pub fn has_correlations(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Draws `first_draw .. first_draw + n_draws` of every parameter into `out`, draw-major
    /// (`out[d * n_params + p]`); constants are filled with their value. Each parameter's
    /// stream is sought once per call, so chunks of a few hundred draws are efficient.
    ///
    /// # Panics
    /// If `out.len() != n_draws * n_params()` (a programming error, not an input error).
    pub fn sample_block(&self, seed: u64, first_draw: u64, n_draws: usize, out: &mut [f64]) {
        self.fill_constants(out);
        self.sample_uncertain_block(seed, first_draw, n_draws, out);
    }

    /// Writes every constant's value into each draw-major row of `out` (rows of
    /// `n_params()` values; a partial last row is left alone).
    pub fn fill_constants(&self, out: &mut [f64]) {
        let np = self.n_params();
        for (p, d) in self.dists.iter().enumerate() {
            if d.is_constant() {
                let v = d.central();
                for row in out.chunks_exact_mut(np) {
                    row[p] = v;
                }
            }
        }
    }

    /// [`Self::sample_block`] without the constants: only uncertain parameters are written,
    /// so a buffer filled once by [`Self::fill_constants`] can be reused for every block.
    ///
    /// # Panics
    /// If `out.len() != n_draws * n_params()` (a programming error, not an input error).
    pub fn sample_uncertain_block(
        &self,
        seed: u64,
        first_draw: u64,
        n_draws: usize,
        out: &mut [f64],
    ) {
        let np = self.n_params();
        assert_eq!(
            out.len(),
            n_draws * np,
            "sample_block: out must hold n_draws × n_params values"
        );
        if n_draws == 0 {
            return;
        }
        let mut u = vec![0.0; n_draws];
        for &p in &self.independent {
            self.keys[p].fill(seed, first_draw, &mut u);
            self.dists[p].inverse_cdf_in_place(&mut u);
            for (row, &x) in out.chunks_exact_mut(np).zip(&u) {
                row[p] = x;
            }
        }
        for g in &self.groups {
            let k = g.members.len();
            // z[m * n_draws + d] = Φ⁻¹(u) of member m at draw d.
            let mut z = vec![0.0; k * n_draws];
            for (m, &p) in g.members.iter().enumerate() {
                let zs = &mut z[m * n_draws..(m + 1) * n_draws];
                self.keys[p].fill(seed, first_draw, zs);
                norm_inv_in_place(zs);
            }
            let mut zd = vec![0.0; k];
            for d in 0..n_draws {
                for (m, v) in zd.iter_mut().enumerate() {
                    *v = z[m * n_draws + d];
                }
                g.apply(&mut zd);
                for (m, &p) in g.members.iter().enumerate() {
                    let uu = norm_cdf(zd[m]).clamp(U_MIN, U_MAX);
                    out[d * np + p] = self.dists[p].inverse_cdf(uu);
                }
            }
        }
    }

    /// One draw from given uniforms: `u` has one entry per parameter (entries of constants are
    /// ignored); applies the copula to correlated groups, then each inverse CDF into `out`.
    /// Used by variance-based sensitivity (Sobol) and back-casting, which choose their own u.
    ///
    /// # Panics
    /// If `u` or `out` is shorter than `n_params()`.
    pub fn values_from_uniforms(&self, u: &[f64], out: &mut [f64]) {
        let np = self.n_params();
        assert!(
            u.len() >= np && out.len() >= np,
            "values_from_uniforms: u and out must hold n_params values"
        );
        for (p, d) in self.dists.iter().enumerate() {
            if d.is_constant() {
                out[p] = d.central();
            }
        }
        for &p in &self.independent {
            out[p] = self.dists[p].inverse_cdf(u[p]);
        }
        let mut zd = Vec::new();
        for g in &self.groups {
            zd.clear();
            zd.extend(
                g.members
                    .iter()
                    .map(|&p| norm_inv(u[p].clamp(U_MIN, U_MAX))),
            );
            g.apply(&mut zd);
            for (m, &p) in g.members.iter().enumerate() {
                let uu = norm_cdf(zd[m]).clamp(U_MIN, U_MAX);
                out[p] = self.dists[p].inverse_cdf(uu);
            }
        }
    }
}
