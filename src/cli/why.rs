//! Handlers of `sensitivity`, `decompose` and `target`: why the results come out as they do
//! and what it would take to meet a target.

use std::path::PathBuf;
use std::time::Instant;

use super::load::{Loaded, load};
use super::run::{program, thread_pool};
pub use crate::analysis::lmdi_draws::LmdiSummary;
use crate::analysis::lmdi_draws::{LmdiPart, lmdi_part};
use crate::analysis::sensitivity::{
    InputGroup, indicator_index, rank_sensitivity, run_draws, sobol_groups, sobol_model,
};
use crate::analysis::target_search::{Lever, find_target, target_search};
use crate::engine::Shard;
use crate::present::charts::{Lang, ScenarioKey};
use crate::present::figures;
use crate::present::io::{Part, ResultWriter};
use crate::present::tables::CsvFlavor;
use crate::present::why::Rendered;
use crate::present::why::decompose::{lmdi_csv, lmdi_report, render_waterfall, waterfall_data};
pub use crate::present::why::sensitivity::SobolOut;
use crate::present::why::sensitivity::{
    TornadoContext, rank_csv, rank_report, rank_tornadoes, render_tornadoes, sobol_csv,
    sobol_footer, sobol_report, sobol_tornadoes,
};
use crate::present::why::target::{self, TargetReport};
use anyhow::{Result, anyhow, bail};

/// Default draws of the rank method (memory n × k of the uncertain inputs).
pub const DEFAULT_RANK_DRAWS: u64 = 4_000;
/// Default Saltelli base sample N of the Sobol method: 2^15. On `plan` with the default
/// grouping (74 groups, 2.5 M model runs) every 95 % interval is narrower than 0.03 (first
/// order) and 0.02 (total), ~21 s on 2 shared cores; `--draws 8192` screens in ~5 s (intervals
/// up to 0.06 wide).
pub const DEFAULT_SOBOL_N: u64 = 32_768;
/// Default draws of `decompose`.
pub const DEFAULT_DECOMPOSE_DRAWS: u64 = 4_000;
/// Default draws of `target` (each lever value reruns all of them).
pub const DEFAULT_TARGET_DRAWS: u64 = 2_000;
/// Largest Sobol base sample accepted.
pub const MAX_SOBOL_N: u64 = 1 << 20;

/// Sensitivity method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Method {
    /// Spearman, SRRC and target separation from ordinary Monte Carlo draws.
    #[default]
    Rank,
    /// First- and total-order Sobol indices (Saltelli design, Jansen estimator).
    Sobol,
}

/// Options of `tanfeng sensitivity`.
#[derive(Debug, Clone)]
pub struct SensitivityOptions {
    /// Scenario file or shipped id.
    pub scenario: String,
    /// Only this indicator.
    pub indicator: Option<String>,
    /// Method.
    pub method: Method,
    /// Draws (rank) or base sample N (Sobol); None = the method's default.
    pub draws: Option<u64>,
    /// Seed.
    pub seed: u64,
    /// `NAME=PREFIX` groups (Sobol).
    pub groups: Vec<String>,
    /// One group per input (Sobol; correlated inputs stay together).
    pub ungrouped: bool,
    /// Bootstrap replicates of the Sobol intervals.
    pub boot: usize,
    /// Output root.
    pub out: PathBuf,
    /// Worker threads.
    pub threads: Option<usize>,
    /// Write tornado charts.
    pub charts: bool,
    /// CSV flavour (byte-order mark or not).
    pub csv: CsvFlavor,
    /// Print nothing.
    pub quiet: bool,
    /// Compute only this shard (Sobol) and write its shard file.
    pub shard: Option<Shard>,
}

/// What `sensitivity` produced.
#[derive(Debug)]
pub struct SensitivityOutcome {
    /// Folder written.
    pub dir: PathBuf,
    /// Files written (CSV and charts).
    pub files: Vec<PathBuf>,
    /// Wall time of the model evaluations and estimators (s).
    pub seconds: f64,
}

/// The scenario's chart key, with the colour it has in `run` and `compare`.
fn scenario_key(l: &Loaded) -> ScenarioKey {
    super::run::scenario_key(0, l)
}

/// What every tornado chart of this scenario shares.
fn tornado_context(l: &Loaded, n_draws: usize) -> TornadoContext<'_> {
    TornadoContext {
        indicators: l.model.indicator_defs(),
        scenario: scenario_key(l),
        year: l.scenario.meta.horizon,
        n_draws,
    }
}

/// Prints the warnings of rendering (unless quiet) and returns the files written.
fn charts_written(r: Rendered, quiet: bool) -> Vec<PathBuf> {
    if !quiet {
        for w in &r.warnings {
            eprintln!("{w}");
        }
    }
    r.files
}

/// `tanfeng sensitivity`: rank (default) or Sobol sensitivity of the horizon indicators.
pub fn sensitivity(o: &SensitivityOptions) -> Result<SensitivityOutcome> {
    let loaded = load(&o.scenario, None)?;
    let pool = thread_pool(o.threads)?;
    let names: Vec<&str> = loaded
        .model
        .indicator_defs()
        .iter()
        .map(|d| d.name)
        .collect();
    let only = o
        .indicator
        .as_deref()
        .map(|n| indicator_index(&names, n))
        .transpose()?;
    match o.method {
        Method::Rank if o.shard.is_some() => {
            bail!(
                "--shard applies to --method sobol; the rank method keeps every draw in one process"
            )
        }
        Method::Rank => pool.install(|| rank_command(o, &loaded, only)),
        Method::Sobol => pool.install(|| sobol_command(o, &loaded, only)),
    }
}

fn rank_command(
    o: &SensitivityOptions,
    l: &Loaded,
    only: Option<usize>,
) -> Result<SensitivityOutcome> {
    let draws = o.draws.unwrap_or(DEFAULT_RANK_DRAWS);
    let start = Instant::now();
    let ds = run_draws(&l.scenario, &l.model, &l.sampler, draws, o.seed)?;
    let r = rank_sensitivity(&ds, only)?;
    let seconds = start.elapsed().as_secs_f64();
    let writer = ResultWriter::begin(&o.out, &l.scenario.meta.id, Part::SensitivityRank)?;
    let dir = writer.dir().to_path_buf();
    let path = dir.join("sensitivity_rank.csv");
    writer.write(&[(path.clone(), rank_csv(&ds, &r, o.csv).into())])?;
    let mut files = vec![path];
    if o.charts {
        let footer =
            |lang: Lang| figures::footer(lang, &l.scenario.meta.id, o.seed, draws, &program());
        let tornadoes = rank_tornadoes(&ds, &r, &tornado_context(l, draws as usize));
        files.extend(charts_written(
            render_tornadoes(&dir, &tornadoes, &footer),
            o.quiet,
        ));
    }
    let files = files.iter().map(|f| writer.final_path(f)).collect();
    let dir = writer.commit()?;
    if !o.quiet {
        out!("{}", rank_report(&ds, &r));
        outln!(
            "{} draws, {} uncertain inputs, {seconds:.2} s; results in {}",
            draws,
            ds.names.len(),
            dir.display()
        );
    }
    Ok(SensitivityOutcome {
        dir,
        files,
        seconds,
    })
}

fn sobol_command(
    o: &SensitivityOptions,
    l: &Loaded,
    only: Option<usize>,
) -> Result<SensitivityOutcome> {
    let n = o.draws.unwrap_or(DEFAULT_SOBOL_N);
    if !(16..=MAX_SOBOL_N).contains(&n) {
        bail!("--draws (the Sobol base sample N) must be between 16 and {MAX_SOBOL_N}, got {n}");
    }
    let groups = sobol_groups(&l.scenario, &l.sampler, &o.groups, o.ungrouped)?;
    let evaluations = n as usize * (groups.len() + 2);
    if !o.quiet {
        eprintln!(
            "Sobol: {} uncertain inputs in {} groups, N = {n}, {evaluations} model runs",
            l.sampler.uncertain().len(),
            groups.len()
        );
    }
    let start = Instant::now();
    let shard = o.shard.unwrap_or(Shard::WHOLE);
    let part = sobol_model(
        &l.model, &l.sampler, &groups, n as usize, o.seed, o.boot, shard,
    )?;
    if o.shard.is_some() {
        let path = super::shards::write_sobol_shard(o, l, shard, part)?;
        if !o.quiet {
            outln!("shard written: {}", path.display());
        }
        return Ok(SensitivityOutcome {
            dir: o.out.clone(),
            files: vec![path],
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    let results = part.finish();
    let seconds = start.elapsed().as_secs_f64();
    present_sobol(o, l, only, &groups, &results, seconds)
}

/// Writes `sensitivity_sobol.csv`, prints the report and draws the tornado charts
/// (`sensitivity --method sobol`, and `merge` of its shards).
pub fn present_sobol(
    o: &SensitivityOptions,
    l: &Loaded,
    only: Option<usize>,
    groups: &[InputGroup],
    results: &[SobolOut],
    seconds: f64,
) -> Result<SensitivityOutcome> {
    let n = o.draws.unwrap_or(DEFAULT_SOBOL_N);
    let evaluations = n as usize * (groups.len() + 2);
    let names: Vec<&str> = l.model.indicator_defs().iter().map(|d| d.name).collect();
    let which: Vec<usize> = match only {
        Some(i) => vec![i],
        None => (0..names.len()).collect(),
    };
    let writer = ResultWriter::begin(&o.out, &l.scenario.meta.id, Part::SensitivitySobol)?;
    let dir = writer.dir().to_path_buf();
    let path = dir.join("sensitivity_sobol.csv");
    writer.write(&[(
        path.clone(),
        sobol_csv(&names, &which, groups, results, o.csv).into(),
    )])?;
    let mut files = vec![path];
    if o.charts {
        // In the chart's language, like every other footer.
        let footer = |lang: Lang| sobol_footer(lang, &l.scenario.meta.id, o.seed, n, &program());
        let tornadoes = sobol_tornadoes(&which, groups, results, &tornado_context(l, evaluations));
        files.extend(charts_written(
            render_tornadoes(&dir, &tornadoes, &footer),
            o.quiet,
        ));
    }
    let files = files.iter().map(|f| writer.final_path(f)).collect();
    let dir = writer.commit()?;
    if !o.quiet {
        out!("{}", sobol_report(&names, &which, groups, results));
        outln!(
            "{evaluations} model runs in {seconds:.2} s ({} threads); results in {}",
            rayon::current_num_threads(),
            dir.display()
        );
    }
    Ok(SensitivityOutcome {
        dir,
        files,
        seconds,
    })
}

/// Options of `tanfeng decompose`.
#[derive(Debug, Clone)]
pub struct DecomposeOptions {
    /// Scenario file or shipped id.
    pub scenario: String,
    /// Draws.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Output root.
    pub out: PathBuf,
    /// Worker threads.
    pub threads: Option<usize>,
    /// Write the waterfall chart.
    pub charts: bool,
    /// CSV flavour (byte-order mark or not).
    pub csv: CsvFlavor,
    /// Print nothing.
    pub quiet: bool,
    /// Compute only this shard and write its shard file.
    pub shard: Option<Shard>,
}

/// Decomposes the draws of `shard` (the draws of `tanfeng run` with this seed) into per-year
/// mergeable summaries.
pub fn lmdi_draws(l: &Loaded, draws: u64, seed: u64, shard: Shard) -> Result<LmdiPart> {
    if !(1..=crate::engine::MAX_DRAWS).contains(&draws) {
        bail!(
            "--draws must be between 1 and {}, got {draws}",
            crate::engine::MAX_DRAWS
        );
    }
    lmdi_part(&l.model, &l.sampler, draws, seed, shard).map_err(|e| anyhow!("LMDI of a draw: {e}"))
}

/// `tanfeng decompose`: LMDI of CO₂ per draw → `<out>/<id>/lmdi.csv` and a waterfall chart of
/// the median effects in the horizon year.
pub fn decompose(o: &DecomposeOptions) -> Result<LmdiSummary> {
    let l = load(&o.scenario, None)?;
    let pool = thread_pool(o.threads)?;
    let start = Instant::now();
    let shard = o.shard.unwrap_or(Shard::WHOLE);
    let part = pool.install(|| lmdi_draws(&l, o.draws, o.seed, shard))?;
    if o.shard.is_some() {
        let path = super::shards::write_decompose_shard(o, &l, shard, part)?;
        if !o.quiet {
            outln!("shard written: {}", path.display());
        }
        return Ok(LmdiSummary {
            years: Vec::new(),
            stats: Vec::new(),
            n_draws: 0,
            max_relative_residual: 0.0,
        });
    }
    let secs = start.elapsed().as_secs_f64();
    present_decompose(o, &l, part.summary(), secs)
}

/// Writes `lmdi.csv`, prints the table and draws the waterfall (`decompose`, and `merge` of
/// its shards).
pub fn present_decompose(
    o: &DecomposeOptions,
    l: &Loaded,
    s: LmdiSummary,
    secs: f64,
) -> Result<LmdiSummary> {
    let writer = ResultWriter::begin(&o.out, &l.scenario.meta.id, Part::Decompose)?;
    writer.write(&[(PathBuf::from("lmdi.csv"), lmdi_csv(&s, o.csv).into())])?;
    let m = &l.scenario.meta;
    if o.charts
        && let Some(data) = waterfall_data(&s, scenario_key(l), m.base_year, m.horizon)
    {
        let footer =
            |lang: Lang| figures::footer(lang, &m.id, o.seed, s.n_draws as u64, &program());
        charts_written(render_waterfall(writer.dir(), &data, &footer), o.quiet);
    }
    let dir = writer.commit()?;
    if !o.quiet {
        out!("{}", lmdi_report(&s, m.base_year, secs, &dir));
    }
    Ok(s)
}

/// Options of `tanfeng target`.
#[derive(Debug, Clone)]
pub struct TargetOptions {
    /// Scenario file or shipped id.
    pub scenario: String,
    /// Indicator of the target.
    pub indicator: String,
    /// Target id when several targets share the indicator.
    pub target: Option<String>,
    /// Required probability.
    pub probability: f64,
    /// Lever `KIND:NAME`.
    pub lever: String,
    /// Draws per lever value.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// `LO,HI`.
    pub range: Option<String>,
    /// Worker threads.
    pub threads: Option<usize>,
    /// Print nothing.
    pub quiet: bool,
}

/// What `target` found.
#[derive(Debug, Clone)]
pub struct TargetOutcome {
    /// The search.
    pub search: crate::analysis::target_search::Search,
    /// Wall time (s).
    pub seconds: f64,
}

fn parse_range(s: &str) -> Result<(f64, f64)> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| anyhow!("--range must be LO,HI (two numbers), got '{s}'"))?;
    let p = |x: &str| {
        x.trim()
            .parse::<f64>()
            .map_err(|_| anyhow!("--range must be LO,HI (two numbers), got '{s}'"))
    };
    let (lo, hi) = (p(a)?, p(b)?);
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        bail!("--range must be LO,HI with finite LO < HI, got '{s}'");
    }
    Ok((lo, hi))
}

/// `tanfeng target`: the lever value at which the scenario's target on an indicator is met with
/// the requested probability. An unreachable target is an error (exit code 1).
pub fn target(o: &TargetOptions) -> Result<TargetOutcome> {
    let l = load(&o.scenario, None)?;
    if !(o.probability > 0.0 && o.probability <= 1.0) {
        bail!("--probability must be in (0, 1], got {}", o.probability);
    }
    let targets = crate::engine::resolve_targets(&l.model, &l.scenario.targets)?;
    let t = find_target(&targets, &o.indicator, o.target.as_deref())?;
    let lever = Lever::parse(&o.lever, &l.scenario)?;
    let range = match &o.range {
        Some(r) => parse_range(r)?,
        None => lever.default_range(&l.sampler)?,
    };
    let pool = thread_pool(o.threads)?;
    let start = Instant::now();
    let search = pool.install(|| {
        target_search(
            &l.model,
            &l.sampler,
            t,
            &lever,
            o.probability,
            range,
            o.draws,
            o.seed,
        )
    })?;
    let seconds = start.elapsed().as_secs_f64();
    match target::report(&t.target, o.probability, &o.lever, &search, seconds) {
        TargetReport::Unreachable(why) => bail!("{why}"),
        TargetReport::Finding(text) => {
            if !o.quiet {
                outln!("{text}");
            }
        }
    }
    Ok(TargetOutcome { search, seconds })
}
