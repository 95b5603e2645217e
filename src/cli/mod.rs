//! Layer 6 — the command line: clap commands, each handled by a public function taking typed
//! options, so tests and benches call the same code as the binary.

mod compare;
pub mod load;
mod run;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::scenario::Scenario;
use crate::uncertainty::SamplerError;

pub use compare::{CompareOutcome, compare};
pub use run::{RunOptions, RunOutcome, explain, list, run_scenario, validate};

/// Default seed of every run: the plan's issue date, 2022-05-09.
pub const DEFAULT_SEED: u64 = 20_220_509;
/// Default number of draws.
pub const DEFAULT_DRAWS: u64 = 10_000;

/// 碳峰 tanfeng — Monte Carlo emissions scenarios for a city's carbon-peak and pollution targets.
#[derive(Debug, Parser)]
#[command(name = "tanfeng", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command, runs the default scenario.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output format of the table printed at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned text table.
    #[default]
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
}

/// Options shared by commands that run draws.
#[derive(Debug, Clone, clap::Args)]
pub struct DrawArgs {
    /// Number of Monte Carlo draws.
    #[arg(long, default_value_t = DEFAULT_DRAWS)]
    pub draws: u64,
    /// Seed of the random streams (same seed, same results, any thread count).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Last simulated year (overrides the scenario's horizon).
    #[arg(long)]
    pub horizon: Option<i32>,
    /// Output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Write CSV with a UTF-8 byte-order mark so Excel shows Chinese headers correctly.
    #[arg(long)]
    pub excel: bool,
    /// Format of the table printed at the end.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario (a file or a shipped id) and write its results.
    Run {
        /// Scenario file or shipped id.
        scenario: String,
        /// Draw options.
        #[command(flatten)]
        draws: DrawArgs,
    },
    /// Run several scenarios on the same random draws and compare them (default: all shipped).
    Compare {
        /// Scenario files or shipped ids; the first is the baseline of paired differences.
        scenarios: Vec<String>,
        /// Draw options.
        #[command(flatten)]
        draws: DrawArgs,
    },
    /// Check scenario files and print the base-year calibration table.
    Validate {
        /// Scenario files or shipped ids.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// List the shipped scenarios.
    List,
    /// Print every resolved input with its distribution, central value, unit and source.
    Explain {
        /// Scenario file or shipped id.
        scenario: String,
        /// Only inputs whose name contains this text.
        #[arg(long)]
        param: Option<String>,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => compare_shipped(default_draw_args()),
        Some(Command::Compare { scenarios, draws }) if scenarios.is_empty() => {
            compare_shipped(draws)
        }
        Some(Command::Compare { scenarios, draws }) => {
            compare(&scenarios, &RunOptions::from_args("", &draws)).map(|_| ())
        }
        Some(Command::Run { scenario, draws }) => {
            run_scenario(&RunOptions::from_args(&scenario, &draws)).map(|_| ())
        }
        Some(Command::Validate { files }) => validate(&files),
        Some(Command::List) => {
            print!("{}", list());
            Ok(())
        }
        Some(Command::Explain { scenario, param }) => {
            print!("{}", explain(&scenario, param.as_deref())?);
            Ok(())
        }
    }
}

/// Compares every shipped scenario. Their horizons differ (2025, and 2030 for `peak-2030`), so
/// unless `--horizon` is given all are run to the longest one: the model only looks backwards,
/// so the 2025 results and the 2025 targets are the same as in a 2025 run.
fn compare_shipped(mut draws: DrawArgs) -> anyhow::Result<()> {
    let ids: Vec<String> = crate::scenario::embedded::ids()
        .into_iter()
        .map(String::from)
        .collect();
    if draws.horizon.is_none() {
        draws.horizon = ids
            .iter()
            .filter_map(|id| crate::scenario::load_embedded(id).ok())
            .map(|s| s.meta.horizon)
            .max();
    }
    compare(&ids, &RunOptions::from_args("", &draws)).map(|_| ())
}

fn default_draw_args() -> DrawArgs {
    DrawArgs {
        draws: DEFAULT_DRAWS,
        seed: DEFAULT_SEED,
        threads: None,
        horizon: None,
        out: PathBuf::from("output"),
        excel: false,
        format: Format::Table,
    }
}

/// Places a sampler error at the file position of the input or correlation it concerns.
pub fn place_sampler_error(s: &Scenario, e: &SamplerError) -> String {
    let text = e.to_string();
    let param_pos = |name: &str| s.param(name).and_then(|p| p.pos.clone());
    let corr_pos = |names: &[&str]| -> Vec<String> {
        s.correlations
            .iter()
            .filter(|c| names.contains(&c.a.as_str()) || names.contains(&c.b.as_str()))
            .filter_map(|c| c.pos.as_ref().map(|p| p.to_string()))
            .collect()
    };
    match e {
        SamplerError::InvalidDistribution { param, .. } => match param_pos(param) {
            Some(pos) => format!("{pos}: key '{param}': {text}"),
            None => text,
        },
        SamplerError::NotPositiveDefinite { inputs } => {
            let names: Vec<&str> = inputs.iter().map(String::as_str).collect();
            let at = corr_pos(&names);
            if at.is_empty() {
                text
            } else {
                format!("{}: key 'correlation': {text}", at.join(", "))
            }
        }
        SamplerError::UnknownInput { name } | SamplerError::ConstantCorrelated { name } => {
            match corr_pos(&[name.as_str()]).first() {
                Some(pos) => format!("{pos}: key 'correlation': {text}"),
                None => text,
            }
        }
        SamplerError::BadCoefficient { a, b, .. } => {
            match corr_pos(&[a.as_str(), b.as_str()]).first() {
                Some(pos) => format!("{pos}: key 'correlation': {text}"),
                None => text,
            }
        }
    }
}
