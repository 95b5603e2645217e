//! 碳峰 tanfeng — a Monte Carlo emissions-scenario simulator for city climate offices.
//!
//! Data flows one way through six layers (see `ARCHITECTURE.md`): scenario files →
//! uncertainty → model → engine → analysis → presentation.

pub mod analysis;
pub mod cli;
pub mod engine;
pub mod model;
pub mod present;
pub mod scenario;
pub mod uncertainty;
pub mod web;
pub mod workbook;
