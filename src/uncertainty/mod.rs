//! Layer 2, uncertainty: distribution families with validation, inverse-CDF sampling, the
//! counter-based random stream per (seed, parameter name, draw index), and a Gaussian copula
//! for declared correlations. It knows nothing of what a parameter means.
//!
//! - [`Distribution`]: normal, lognormal (median + geometric sd, or 95 % interval),
//!   triangular, PERT, uniform, beta and discrete, validated by [`Distribution::from_spec`].
//! - [`uniforms`]: the reproducible uniform stream of one parameter (see `stream` for the
//!   exact, stable mapping).
//! - [`Sampler`]: all inputs of a scenario, draw-major blocks, copula included. A
//!   correlation's `rho` is the Gaussian-copula (normal-scores) correlation.
//!
//! Reproducibility: draw i of parameter p is a pure function of (seed, p's name, i), so a run
//! is identical for any thread count or chunking, and scenarios sharing a parameter see the
//! same draws of it. Sample in blocks of a few hundred draws: each call seeks every
//! parameter's stream once (~150 ns per parameter), which a single-draw call pays in full.

mod beta_inv;
mod distribution;
mod sampler;
mod special;
mod stream;

pub use distribution::{DistError, Distribution};
pub use sampler::{Sampler, SamplerError};
pub use special::{norm_cdf, norm_inv};
pub use stream::{StreamKey, uniforms};

#[cfg(test)]
mod tests;
