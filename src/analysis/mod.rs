//! Layer 5 — analysis: the statistical machinery applied to engine output.
//!
//! Everything here is pure math over slices and closures (no model or engine types), so
//! the engine can feed it per-draw results in any order and thread layout:
//! (The mergeable accumulators — moments and the quantile sketch — live in `engine`.)
//! - [`stats`]: exact quantiles, Wilson intervals, ECDF points, normal quantile.
//! - [`rank`]: Spearman correlation, standardized rank regression coefficients,
//!   target separation.
//! - [`sobol`]: Saltelli-design Sobol first/total indices with bootstrap intervals.
//! - [`lmdi`]: additive LMDI-I decomposition with zero-value limits.
//! - [`backcast`]: lever bisection to reach a target with a required probability.
//!
//! Glue that applies this machinery to a scenario's model (so it uses model and engine types):
//! - [`sensitivity`]: draws with their uncertain inputs kept → rank measures per indicator and
//!   target separation; Sobol indices over all uncertain inputs, grouped, in parallel.
//! - [`decomposition`]: LMDI of each draw's CO₂ change into activity, intensity, fuel mix,
//!   emission factor and electricity-import effects.
//! - [`lmdi_draws`]: the decomposition over draws, folded into per-year mergeable summaries.
//! - [`drivers`]: target separation of a finished run's inputs (for the briefing's summary).
//! - [`target_search`]: scenario levers and back-casting on the model with common random numbers.

pub mod backcast;
pub mod compare;
pub mod decomposition;
pub mod drivers;
pub mod lmdi;
pub mod lmdi_draws;
pub mod rank;
pub mod sensitivity;
pub mod sobol;
pub mod stats;
pub mod summary;
pub mod target_search;

/// Errors raised by the analysis layer; each variant names the offending item and value.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// Two inputs that must have the same length do not.
    #[error("length mismatch in {what}: expected {expected}, found {found}")]
    LengthMismatch {
        /// Which input (e.g. "srrc input column 3").
        what: String,
        /// Required length.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// Too few draws (rows) for the requested computation.
    #[error("too few draws for {what}: need at least {needed}, found {found}")]
    TooFewDraws {
        /// The computation.
        what: &'static str,
        /// Minimum number of draws.
        needed: usize,
        /// Draws supplied.
        found: usize,
    },
    /// A NaN or infinite value where a finite one is required.
    #[error("non-finite value {value} in {what} at index {index}")]
    NonFinite {
        /// Which input.
        what: String,
        /// Position (row) of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An input column has no variation, so its coefficient is undefined.
    #[error("input column {column} is constant (no variation across draws)")]
    ConstantInput {
        /// Zero-based column index.
        column: usize,
    },
    /// An input column is (numerically) a linear combination of earlier columns.
    #[error("input column {column} is collinear with earlier columns (rank-deficient regression)")]
    CollinearInput {
        /// Zero-based column index.
        column: usize,
    },
    /// The output has no variation, so variance-based measures are undefined.
    #[error("output {what} has zero variance")]
    ConstantOutput {
        /// Which output.
        what: &'static str,
    },
    /// A numeric parameter lies outside its allowed range.
    #[error("parameter {name} = {value} is outside the allowed range {allowed}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// A Sobol input group is malformed.
    #[error("Sobol group {group} is invalid: {reason}")]
    InvalidGroup {
        /// Zero-based group index.
        group: usize,
        /// What is wrong.
        reason: String,
    },
    /// LMDI factors must be non-negative.
    #[error(
        "LMDI factor {factor}, subcategory {subcategory}, period {period} has negative value {value}; factors must be >= 0"
    )]
    NegativeFactor {
        /// Zero-based factor index k.
        factor: usize,
        /// Zero-based subcategory index i.
        subcategory: usize,
        /// "0" (base) or "T" (final).
        period: &'static str,
        /// The value.
        value: f64,
    },
    /// The back-cast evaluation returned a different number of draws than before.
    #[error("back-cast evaluation at lever {lever} returned {found} draws, expected {expected}")]
    DrawCountChanged {
        /// Lever value of the offending call.
        lever: f64,
        /// Draw count of the first call.
        expected: usize,
        /// Draw count of this call.
        found: usize,
    },
}
