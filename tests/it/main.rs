//! The integration tests, one binary (one link step instead of six): the CLI through the
//! binary, golden outputs, shipped scenarios and statistical checks.

mod charts_cli;
mod cli;
mod golden;
mod scenarios;
mod shards;
mod statistics;
mod why_cli;
