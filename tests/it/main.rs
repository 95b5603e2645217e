//! The integration tests, one binary (one link step instead of six): the CLI through the
//! binary, golden outputs, shipped scenarios and statistical checks.

mod charts_cli;
mod cli;
mod golden;
mod plan_measures;
mod scenarios;
mod statistics;
mod why_cli;
mod workbook;
