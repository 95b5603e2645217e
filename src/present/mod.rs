//! Layer 6 — presentation: CSV/JSON writers, terminal tables, charts and the briefing.

pub mod charts;
pub mod io;
pub mod tables;
