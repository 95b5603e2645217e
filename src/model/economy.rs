//! GDP, industrial value added and population (MODEL.md §3.1).

use super::{ModelError, Resolver, YearCtx};

/// Resolved inputs of the economy.
#[derive(Debug, Clone, Default)]
pub struct EconomyInputs {}

impl EconomyInputs {
    /// Resolves the economy's inputs.
    pub fn resolve(_r: &Resolver) -> Result<Self, ModelError> {
        Ok(Self::default())
    }

    /// The context of year `year` (index `t`) given the previous year's.
    pub fn step(&self, year: i32, t: usize, _prev: &YearCtx, _draw: &[f64]) -> YearCtx {
        YearCtx {
            year,
            t,
            gdp_index: 1.0,
            industry_va_index: 1.0,
            ..YearCtx::default()
        }
    }
}
