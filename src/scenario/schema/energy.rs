//! Inputs of the energy half of the model: economy, heating, power, biomass CHP, residential,
//! accounting (MODEL.md §3.1–3.3, §3.7, §1).

use super::Field;

/// Energy-half fields.
pub const FIELDS: &[Field] = &[];
