//! VOCs sources: solvent use, processes, fuel distribution (MODEL.md §3.6).

use super::{Ledger, ModelError, Resolver, WedgeRegistry, YearCtx};

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone, Default)]
pub struct VocsInputs {}

impl VocsInputs {
    /// Resolves this sector's inputs and registers its measures.
    pub fn resolve(_r: &Resolver, _w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        Ok(Self::default())
    }

    /// Simulates year `ctx.t`, adding fuels and emissions to `ledger` and reductions to `wedges`.
    pub fn step(&self, _ctx: &YearCtx, _draw: &[f64], _ledger: &mut Ledger, _wedges: &mut [f64]) {}
}
