//! Layer 6 — presentation: CSV/JSON writers, terminal tables, charts and the briefing.

pub mod briefing;
pub mod charts;
pub mod figures;
pub mod io;
pub mod measures;
pub mod tables;
pub mod units;
pub mod why;
pub mod workbook;
