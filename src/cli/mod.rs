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
pub use run::{
    ChartOptions, ChartsOutcome, RunOptions, RunOutcome, explain, list, run_scenario, validate,
};

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

/// Language(s) of the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ChartLang {
    /// Chinese only (files `*_zh`).
    Zh,
    /// English only (files `*_en`).
    En,
    /// Both (files `*_zh` and `*_en`).
    #[default]
    Both,
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
    /// Language of the charts and briefing.
    #[arg(long, value_enum, default_value_t = ChartLang::Both)]
    pub lang: ChartLang,
    /// Font file (TTF/OTF/TTC) for the charts; Chinese charts need one with CJK glyphs.
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,
    /// Write no charts and no briefing.html.
    #[arg(long)]
    pub no_charts: bool,
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
        None => {
            let all: Vec<String> = crate::scenario::embedded::ids()
                .into_iter()
                .map(String::from)
                .collect();
            compare(&all, &RunOptions::from_args("", &default_draw_args())).map(|_| ())
        }
        Some(Command::Compare { scenarios, draws }) => {
            let list = if scenarios.is_empty() {
                crate::scenario::embedded::ids()
                    .into_iter()
                    .map(String::from)
                    .collect()
            } else {
                scenarios
            };
            compare(&list, &RunOptions::from_args("", &draws)).map(|_| ())
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

fn default_draw_args() -> DrawArgs {
    DrawArgs {
        draws: DEFAULT_DRAWS,
        seed: DEFAULT_SEED,
        threads: None,
        horizon: None,
        out: PathBuf::from("output"),
        excel: false,
        format: Format::Table,
        lang: ChartLang::Both,
        font: None,
        no_charts: false,
    }
}

/// Places a sampler error at the file position of the input it names.
pub fn place_sampler_error(s: &Scenario, e: &SamplerError) -> String {
    let text = e.to_string();
    let found = s
        .params
        .iter()
        .filter(|p| text.contains(&p.name))
        .max_by_key(|p| p.name.len());
    match found.and_then(|p| p.pos.as_ref().map(|pos| (p, pos))) {
        Some((p, pos)) => format!("{pos}: key '{}': {text}", p.name),
        None => {
            let corr = s
                .correlations
                .iter()
                .find(|c| text.contains(&c.a) || text.contains(&c.b))
                .and_then(|c| c.pos.as_ref());
            match corr {
                Some(pos) => format!("{pos}: key 'correlation': {text}"),
                None => text,
            }
        }
    }
}
