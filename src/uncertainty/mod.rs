//! Layer 2 — TEMPORARY STUB of the uncertainty layer (replaced by the real implementation).
#![allow(missing_docs)]

use crate::scenario::{DistSpec, Scenario};

#[derive(Debug, Clone)]
pub struct Distribution(f64);
impl Distribution {
    pub fn central(&self) -> f64 {
        self.0
    }
    pub fn describe(&self) -> String {
        format!("{}", self.0)
    }
    pub fn is_constant(&self) -> bool {
        true
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SamplerError {
    #[error("bad")]
    NotPositiveDefinite { inputs: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct Sampler {
    d: Vec<Distribution>,
}
impl Sampler {
    pub fn new(s: &Scenario) -> Result<Sampler, SamplerError> {
        Ok(Sampler {
            d: s.params
                .iter()
                .map(|p| {
                    Distribution(match &p.spec {
                        DistSpec::Constant(x) => *x,
                        DistSpec::Normal { mean, .. } => *mean,
                        DistSpec::Triangular { mode, .. } | DistSpec::Pert { mode, .. } => *mode,
                        DistSpec::Uniform { min, max } => 0.5 * (min + max),
                        DistSpec::LogNormal { median, .. } => *median,
                        DistSpec::LogNormal95 { low, high } => (low * high).sqrt(),
                        DistSpec::Beta {
                            alpha,
                            beta,
                            min,
                            max,
                        } => min + (max - min) * alpha / (alpha + beta),
                        DistSpec::Discrete { values, .. } => values[0],
                    })
                })
                .collect(),
        })
    }
    pub fn n_params(&self) -> usize {
        self.d.len()
    }
    pub fn central(&self) -> Vec<f64> {
        self.d.iter().map(|d| d.0).collect()
    }
    pub fn sample_block(&self, _seed: u64, _first: u64, n: usize, out: &mut [f64]) {
        for k in 0..n {
            out[k * self.d.len()..(k + 1) * self.d.len()].copy_from_slice(&self.central());
        }
    }
    pub fn uncertain(&self) -> &[usize] {
        &[]
    }
    pub fn distribution(&self, p: usize) -> &Distribution {
        &self.d[p]
    }
}
