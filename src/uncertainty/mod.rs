//! Layer 2, uncertainty: distribution families with validation, inverse-CDF sampling, the
//! counter-based random stream per (seed, parameter name, draw index), and a Gaussian copula
//! for declared correlations. It knows nothing of what a parameter means.
//!
//! - [`Distribution`]: normal, lognormal (median + geometric sd, or 95 % interval),
//!   triangular, PERT, uniform, beta and discrete, validated by [`Distribution::from_spec`].
//! - [`uniforms`]: the reproducible uniform stream of one parameter (see `stream` for the
//!   exact, stable mapping).
//! - [`Sampler`]: all inputs of a scenario, draw-major blocks, copula included.

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
