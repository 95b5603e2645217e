//! CO₂ and energy accounting under the scenario's options (MODEL.md §1).

use crate::scenario::Options;

use super::{Ledger, ModelError, Resolver, YearCtx};

/// Resolved emission factors and conversion inputs.
#[derive(Debug, Clone, Default)]
pub struct AccountingInputs {}

impl AccountingInputs {
    /// Resolves the accounting inputs.
    pub fn resolve(_r: &Resolver) -> Result<Self, ModelError> {
        Ok(Self::default())
    }

    /// Fills energy by carrier, totals, non-fossil share inputs and CO₂ by sector.
    pub fn finish(&self, _ctx: &YearCtx, _draw: &[f64], _options: &Options, _ledger: &mut Ledger) {}
}
