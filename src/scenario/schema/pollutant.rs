//! Inputs of the pollutant half of the model: fleet, non-road machinery, industry, VOCs
//! sources (MODEL.md §3.4–3.6).

use super::Field;

/// Pollutant-half fields.
pub const FIELDS: &[Field] = &[];
