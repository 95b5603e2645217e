//! Layer 6 — presentation: CSV/JSON writers, terminal tables, charts and the briefing.

pub mod briefing;
pub(crate) mod calibration;
pub mod charts;
pub(crate) mod comparison;
pub mod figures;
pub(crate) mod inputs;
pub mod io;
pub mod measures;
pub mod tables;
pub mod units;
pub mod why;
pub mod workbook;
