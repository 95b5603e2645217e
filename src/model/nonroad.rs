//! Non-road machinery by emission stage (MODEL.md §3.5).

use super::{Ledger, ModelError, Resolver, WedgeRegistry, YearCtx};

/// Resolved inputs of this sector (draw indices).
#[derive(Debug, Clone, Default)]
pub struct NonRoadInputs {}

/// Per-draw state carried from year to year.
#[derive(Debug, Clone, Default)]
pub struct NonRoadState {}

impl NonRoadInputs {
    /// Resolves this sector's inputs and registers its measures.
    pub fn resolve(_r: &Resolver, _w: &mut WedgeRegistry) -> Result<Self, ModelError> {
        Ok(Self::default())
    }

    /// Fresh state for one draw.
    pub fn new_state(&self) -> NonRoadState {
        NonRoadState::default()
    }

    /// Simulates year `ctx.t`, adding fuels and emissions to `ledger` and reductions to `wedges`.
    pub fn step(
        &self,
        _ctx: &YearCtx,
        _draw: &[f64],
        _state: &mut NonRoadState,
        _ledger: &mut Ledger,
        _wedges: &mut [f64],
    ) {
    }
}
