//! Layer 6 — the command line: clap commands, each handled by a public function taking typed
//! options, so tests and benches call the same code as the binary.

/// `println!` to standard output that ignores a closed pipe (`tanfeng … | head`): the
/// printed table is a view of files already written, so the run carries on (charts too).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!` counterpart of [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

mod briefing;
mod compare;
pub mod load;
mod run;
mod shards;
mod why;
mod workbook;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::Shard;
use crate::present::tables::CsvFlavor;
use crate::scenario::Scenario;
use crate::uncertainty::SamplerError;

pub use compare::{CompareOutcome, compare};
pub use run::{
    ChartOptions, ChartsOutcome, RunOptions, RunOutcome, explain, list, now_utc, present_run,
    program, run_scenario, validate,
};
pub use shards::{MergeOptions, merge};
pub use why::{
    DecomposeOptions, LmdiSummary, Method, SensitivityOptions, SensitivityOutcome, TargetOptions,
    TargetOutcome, decompose, sensitivity, target,
};
pub use workbook::{import, template};

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

/// Print size of the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ChartSize {
    /// Pasted 16 cm wide on an A4 page, half a page high (1890 × 1300 px).
    #[default]
    A4,
    /// Pasted 33.87 cm wide on a 16:9 slide (2000 × 1125 px).
    Slide,
}

/// Options shared by commands that run draws.
#[derive(Debug, Clone, clap::Args)]
pub struct DrawArgs {
    /// Number of Monte Carlo draws.
    #[arg(long, default_value_t = DEFAULT_DRAWS, allow_negative_numbers = true, value_parser = whole::<u64>)]
    pub draws: u64,
    /// Seed of the random streams (same seed, same results, any thread count).
    #[arg(long, default_value_t = DEFAULT_SEED, allow_negative_numbers = true, value_parser = whole::<u64>)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize>)]
    pub threads: Option<usize>,
    /// Last simulated year (overrides the scenario's horizon).
    #[arg(long, allow_negative_numbers = true)]
    pub horizon: Option<i32>,
    /// Output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Write CSV without the UTF-8 byte-order mark (by default it is written so Excel shows
    /// Chinese headers correctly; some other tools read the mark as part of the first header).
    #[arg(long)]
    pub no_bom: bool,
    /// Accepted for older scripts and ignored: the byte-order mark is the default.
    #[arg(long, hide = true, conflicts_with = "no_bom")]
    pub excel: bool,
    /// Also write `results.xlsx` beside the CSVs: one sheet per table, probabilities as %,
    /// Chinese and English headers, the inputs and the run metadata.
    #[arg(long)]
    pub xlsx: bool,
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
    /// Print size of the charts: text ≥ 9 pt and footers ≥ 7 pt at that size.
    #[arg(long, value_enum, default_value_t = ChartSize::A4)]
    pub size: ChartSize,
    /// Compute only shard i of n (1-based) of the draws and write `<out>/<id>.<i>-of-<n>.tfshard`
    /// for `tanfeng merge` (a Kubernetes completion index k runs shard k+1).
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
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
    /// Which uncertain inputs drive each horizon indicator: rank measures (Spearman, SRRC,
    /// target separation) or Sobol indices; CSV and tornado charts in `<out>/<id>/`.
    Sensitivity {
        /// Scenario file or shipped id.
        scenario: String,
        /// Only this indicator.
        #[arg(long)]
        indicator: Option<String>,
        /// rank (Monte Carlo draws) or sobol (Saltelli design).
        #[arg(long, value_enum, default_value_t = Method::Rank)]
        method: Method,
        /// Draws (rank; default 4000) or Sobol base sample N (default 32768; 8192 to screen).
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<u64>)]
        draws: Option<u64>,
        /// Seed.
        #[arg(long, default_value_t = DEFAULT_SEED, allow_negative_numbers = true, value_parser = whole::<u64>)]
        seed: u64,
        /// Sobol group NAME=PREFIX (repeatable; first match wins, the rest use the default
        /// grouping by the first two name components).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Sobol: one group per input (correlated inputs still share one).
        #[arg(long)]
        ungrouped: bool,
        /// Bootstrap replicates of the Sobol intervals.
        #[arg(long, default_value_t = 200, allow_negative_numbers = true, value_parser = whole::<usize>)]
        boot: usize,
        /// Output folder.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize>)]
        threads: Option<usize>,
        /// Do not write charts.
        #[arg(long)]
        no_charts: bool,
        /// Write the CSV without the UTF-8 byte-order mark.
        #[arg(long)]
        no_bom: bool,
        /// Sobol: compute only shard i of n of the base rows and write its shard file.
        #[arg(long, value_name = "i/n")]
        shard: Option<String>,
    },
    /// LMDI decomposition of CO₂ per draw (activity, intensity, fuel mix, emission factor,
    /// electricity imports): `<out>/<id>/lmdi.csv` and a waterfall chart.
    Decompose {
        /// Scenario file or shipped id.
        scenario: String,
        /// Draws.
        #[arg(long, default_value_t = why::DEFAULT_DECOMPOSE_DRAWS, allow_negative_numbers = true, value_parser = whole::<u64>)]
        draws: u64,
        /// Seed.
        #[arg(long, default_value_t = DEFAULT_SEED, allow_negative_numbers = true, value_parser = whole::<u64>)]
        seed: u64,
        /// Output folder.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize>)]
        threads: Option<usize>,
        /// Do not write charts.
        #[arg(long)]
        no_charts: bool,
        /// Write the CSV without the UTF-8 byte-order mark.
        #[arg(long)]
        no_bom: bool,
        /// Compute only shard i of n of the draws and write its shard file.
        #[arg(long, value_name = "i/n")]
        shard: Option<String>,
    },
    /// Back-cast a lever: the value at which the scenario's target on an indicator is met
    /// with a required probability (same draws at every lever value).
    Target {
        /// Scenario file or shipped id.
        scenario: String,
        /// Indicator whose scenario target is searched.
        #[arg(long)]
        indicator: String,
        /// Target id, when several targets share the indicator.
        #[arg(long)]
        target: Option<String>,
        /// Required probability of meeting the target, in (0, 1].
        #[arg(long, allow_negative_numbers = true)]
        probability: f64,
        /// Lever: add:NAME, set:NAME or scale:NAME, each optionally with @YEAR.
        #[arg(long)]
        lever: String,
        /// Draws per lever value.
        #[arg(long, default_value_t = why::DEFAULT_TARGET_DRAWS, allow_negative_numbers = true, value_parser = whole::<u64>)]
        draws: u64,
        /// Seed.
        #[arg(long, default_value_t = DEFAULT_SEED, allow_negative_numbers = true, value_parser = whole::<u64>)]
        seed: u64,
        /// Lever range LO,HI (default: add 0..3×central, scale 0..3; set needs it).
        #[arg(long, allow_hyphen_values = true)]
        range: Option<String>,
        /// Worker threads (default: all cores).
        #[arg(long, allow_negative_numbers = true, value_parser = whole::<usize>)]
        threads: Option<usize>,
    },
    /// Join shard files (of `run`, `compare`, `sensitivity --method sobol` or `decompose`
    /// with `--shard i/n`) and write exactly the outputs of one process.
    Merge {
        /// The shard files of one run, in any order.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Write CSV without the UTF-8 byte-order mark.
        #[arg(long)]
        no_bom: bool,
        /// Accepted and ignored: the byte-order mark is the default.
        #[arg(long, hide = true, conflicts_with = "no_bom")]
        excel: bool,
        /// Also write `results.xlsx` (as `run --xlsx` and `compare --xlsx`).
        #[arg(long)]
        xlsx: bool,
        /// Format of the table printed at the end.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Language of the charts and briefing.
        #[arg(long, value_enum, default_value_t = ChartLang::Both)]
        lang: ChartLang,
        /// Font file for the charts.
        #[arg(long, value_name = "PATH")]
        font: Option<PathBuf>,
        /// Write no charts and no briefing.html.
        #[arg(long)]
        no_charts: bool,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// The planner's workbench: a local web page to move the plan's levers and see the
    /// probability of each target change (http://127.0.0.1:8080/ by default).
    Serve {
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
        /// Address to bind; anything but a loopback address needs --allow-remote.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Allow binding a non-loopback address (the page has no login).
        #[arg(long)]
        allow_remote: bool,
        /// Largest draw count of one update.
        #[arg(long, default_value_t = 50_000)]
        max_draws: u64,
    },
    /// Write the input workbook of a scenario (.xlsx): a Yearbook sheet for the base-year
    /// statistics, every input with its distribution and source, and how to fill it in.
    Template {
        /// Scenario file or shipped id.
        scenario: String,
        /// The workbook to write (FILE.xlsx).
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// Read a filled-in template and write a scenario file that extends the template's
    /// scenario with only the inputs that changed (`run`, `compare` and `validate` also take
    /// the .xlsx directly).
    Import {
        /// The filled-in workbook.
        workbook: PathBuf,
        /// The scenario file to write (child.toml).
        #[arg(short = 'o', long = "out", value_name = "FILE.toml")]
        out: PathBuf,
    },
    /// Print every resolved input with its distribution, central value, unit and source.
    Explain {
        /// Scenario file or shipped id.
        scenario: String,
        /// Only inputs whose name contains this text.
        #[arg(long)]
        param: Option<String>,
        /// List every measure of the plan text instead: the plan's words, an English gloss and
        /// whether the model counts it (or why not).
        #[arg(long, conflicts_with = "param")]
        measures: bool,
    },
}

/// Parses a whole number ≥ 0 for a count or seed option; a negative number or a fraction gets
/// a message of its own (clap names the option: "invalid value '-1' for '--draws <DRAWS>'").
fn whole<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse::<T>().map_err(|_| {
        let t = s.trim();
        if t.starts_with('-') && t[1..].parse::<f64>().is_ok() {
            "a negative number is not allowed here; give a whole number ≥ 0".to_string()
        } else {
            "not a whole number; give digits only, such as 1000".to_string()
        }
    })
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => compare_shipped(default_draw_args()),
        Some(Command::Compare { scenarios, draws }) if scenarios.is_empty() => {
            compare_shipped(draws)
        }
        Some(Command::Compare { scenarios, draws }) => {
            let o = RunOptions::from_args("", &draws);
            match parse_shard(draws.shard.as_deref())? {
                Some(shard) => shards::write_compare_shard(&scenarios, &o, shard).map(|_| ()),
                None => compare(&scenarios, &o).map(|_| ()),
            }
        }
        Some(Command::Run { scenario, draws }) => {
            let o = RunOptions::from_args(&scenario, &draws);
            match parse_shard(draws.shard.as_deref())? {
                Some(shard) => shards::write_run_shard(&o, shard).map(|_| ()),
                None => run_scenario(&o).map(|_| ()),
            }
        }
        Some(Command::Merge {
            shards,
            out,
            no_bom,
            excel: _,
            xlsx,
            format,
            lang,
            font,
            no_charts,
            threads,
        }) => merge(&MergeOptions {
            shards,
            out,
            csv: CsvFlavor::with_bom(!no_bom),
            xlsx,
            format,
            charts: ChartOptions::new(lang, font, no_charts),
            threads,
            quiet: false,
        }),
        Some(Command::Validate { files }) => validate(&files),
        Some(Command::List) => {
            out!("{}", list());
            Ok(())
        }
        Some(Command::Sensitivity {
            scenario,
            indicator,
            method,
            draws,
            seed,
            groups,
            ungrouped,
            boot,
            out,
            threads,
            no_charts,
            no_bom,
            shard,
        }) => sensitivity(&SensitivityOptions {
            scenario,
            indicator,
            method,
            draws,
            seed,
            groups,
            ungrouped,
            boot,
            out,
            threads,
            charts: !no_charts,
            csv: CsvFlavor::with_bom(!no_bom),
            quiet: false,
            shard: parse_shard(shard.as_deref())?,
        })
        .map(|_| ()),
        Some(Command::Decompose {
            scenario,
            draws,
            seed,
            out,
            threads,
            no_charts,
            no_bom,
            shard,
        }) => decompose(&DecomposeOptions {
            scenario,
            draws,
            seed,
            out,
            threads,
            charts: !no_charts,
            csv: CsvFlavor::with_bom(!no_bom),
            quiet: false,
            shard: parse_shard(shard.as_deref())?,
        })
        .map(|_| ()),
        Some(Command::Target {
            scenario,
            indicator,
            target: target_id,
            probability,
            lever,
            draws,
            seed,
            range,
            threads,
        }) => target(&TargetOptions {
            scenario,
            indicator,
            target: target_id,
            probability,
            lever,
            draws,
            seed,
            range,
            threads,
            quiet: false,
        })
        .map(|_| ()),
        Some(Command::Serve {
            port,
            open,
            bind,
            allow_remote,
            max_draws,
        }) => crate::web::serve(&crate::web::ServeOptions {
            bind,
            port,
            open,
            allow_remote,
            limits: crate::web::Limits {
                max_draws,
                ..crate::web::Limits::default()
            },
        }),
        Some(Command::Template { scenario, out }) => template(&scenario, &out, false),
        Some(Command::Import { workbook, out }) => import(&workbook, &out, false),
        Some(Command::Explain {
            scenario,
            measures: true,
            ..
        }) => {
            // The scenario must load, so a typo in its name is not silently ignored.
            crate::cli::load::load(&scenario, None)?;
            out!("{}", crate::present::measures::measures_text());
            Ok(())
        }
        Some(Command::Explain {
            scenario, param, ..
        }) => {
            out!("{}", explain(&scenario, param.as_deref())?);
            Ok(())
        }
    }
}

/// `--shard i/n`, if given.
fn parse_shard(s: Option<&str>) -> anyhow::Result<Option<Shard>> {
    Ok(s.map(Shard::parse).transpose()?)
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
        no_bom: false,
        excel: false,
        xlsx: false,
        format: Format::Table,
        lang: ChartLang::Both,
        font: None,
        no_charts: false,
        size: ChartSize::A4,
        shard: None,
    }
}

/// Places a sampler error at the file position of the input or correlation it concerns,
/// preferring positions in the user's own file (the first of `s.files`) over the files it
/// extends.
pub fn place_sampler_error(s: &Scenario, e: &SamplerError) -> String {
    let text = e.to_string();
    let user = s.files.first().map(String::as_str).unwrap_or("");
    let param_pos = |name: &str| s.param(name).and_then(|p| p.pos.clone());
    let corr_pos = |names: &[&str], both: bool| -> Vec<String> {
        let mut found: Vec<&crate::scenario::SourcePos> = s
            .correlations
            .iter()
            .filter(|c| {
                let (a, b) = (names.contains(&c.a.as_str()), names.contains(&c.b.as_str()));
                if both { a && b } else { a || b }
            })
            .filter_map(|c| c.pos.as_ref())
            .collect();
        found.sort_by_key(|p| p.file != user);
        found.iter().map(|p| p.to_string()).collect()
    };
    match e {
        SamplerError::InvalidDistribution { param, .. } => match param_pos(param) {
            Some(pos) => format!("{pos}: key '{param}': {text}"),
            None => text,
        },
        SamplerError::NotPositiveDefinite { inputs } => {
            let names: Vec<&str> = inputs.iter().map(String::as_str).collect();
            let at = corr_pos(&names, false);
            if at.is_empty() {
                text
            } else {
                format!("{}: key 'correlation': {text}", at.join(", "))
            }
        }
        SamplerError::ConstantCorrelated { name } => {
            // The input made constant is the offending key; the correlation may be a parent's.
            let at = corr_pos(&[name.as_str()], false);
            match (param_pos(name), at.first()) {
                (Some(pos), Some(c)) => {
                    format!("{pos}: key '{name}': {text} (correlation declared at {c})")
                }
                (Some(pos), None) => format!("{pos}: key '{name}': {text}"),
                (None, Some(c)) => format!("{c}: key 'correlation': {text}"),
                (None, None) => text,
            }
        }
        SamplerError::UnknownInput { name } => match corr_pos(&[name.as_str()], false).first() {
            Some(pos) => format!("{pos}: key 'correlation': {text}"),
            None => text,
        },
        SamplerError::BadCoefficient { a, b, .. } => {
            match corr_pos(&[a.as_str(), b.as_str()], true).first() {
                Some(pos) => format!("{pos}: key 'correlation': {text}"),
                None => text,
            }
        }
    }
}
