//! The integration tests, one binary (one link step instead of six): the CLI through the
//! binary, golden outputs, shipped scenarios and statistical checks.

mod briefing;
mod charts_cli;
mod cli;
mod county_heat;
mod fuzz;
mod golden;
mod ledger;
mod output_safety;
mod plan_measures;
mod scenarios;
mod shards;
mod statistics;
mod target_year;
mod units;
mod validate_cli;
mod web;
#[cfg(feature = "browser-test")]
mod web_browser;
mod why_cli;
mod workbook;
