//! Handlers of `run`, `validate`, `list` and `explain`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use super::load::{Loaded, load};
use super::{ChartLang, DrawArgs, Format};
use crate::analysis::summary::{RunSummary, summarize};
use crate::engine::{self, RunConfig, RunResult};
use crate::present::briefing::{Briefing, ScenarioBrief, ScenarioFacts};
use crate::present::charts::{Label, Lang, PrintSize, ScenarioKey};
use crate::present::figures::{
    self, FigureSpec, LangFont, RenderedFigure, RunView, lang_tag, render_figures,
};
use crate::present::io::{Part, Payload, ResultWriter};
use crate::present::tables::{self, CsvFlavor, RunMeta};
use crate::present::workbook::{meta_rows, results_xlsx, run_sheets};
use crate::present::{calibration, inputs};
use crate::scenario::embedded;

/// Which charts to write (`--lang`, `--font`, `--no-charts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartOptions {
    /// Write charts and the briefing at all.
    pub enabled: bool,
    /// Languages asked for (Chinese falls back to English without a CJK font).
    pub langs: Vec<Lang>,
    /// User font file.
    pub font: Option<PathBuf>,
    /// Print size of the charts (`--size`).
    pub size: PrintSize,
}

impl ChartOptions {
    /// From `--lang`, `--font` and `--no-charts`.
    pub fn new(lang: ChartLang, font: Option<PathBuf>, no_charts: bool) -> ChartOptions {
        ChartOptions {
            enabled: !no_charts,
            langs: match lang {
                ChartLang::Zh => vec![Lang::Zh],
                ChartLang::En => vec![Lang::En],
                ChartLang::Both => vec![Lang::Zh, Lang::En],
            },
            font,
            size: PrintSize::A4,
        }
    }

    /// The same options with charts of print size `size`.
    pub fn with_size(mut self, size: PrintSize) -> ChartOptions {
        self.size = size;
        self
    }

    /// No charts (tests and benches that only need numbers).
    pub fn none() -> ChartOptions {
        ChartOptions {
            enabled: false,
            langs: Vec::new(),
            font: None,
            size: PrintSize::A4,
        }
    }
}

/// Charts and briefing written by a run or a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartsOutcome {
    /// Languages actually written.
    pub langs: Vec<Lang>,
    /// Number of figures written.
    pub figures: usize,
    /// Chart files written (PNG and SVG).
    pub files: Vec<PathBuf>,
    /// Their folder.
    pub dir: PathBuf,
    /// The main briefing page (`briefing.html`).
    pub briefing: PathBuf,
    /// Every briefing document written (HTML and .docx per language).
    pub briefing_files: Vec<PathBuf>,
    /// Wall time (s) of everything after the draws that the charts need: preparing their data
    /// (quantiles, curves, density estimates), rendering them and writing the briefing page.
    pub seconds: f64,
    /// The font warning, when Chinese was asked for but no CJK font was found.
    pub warning: Option<String>,
    /// Charts that could not be written, with the reason.
    pub failures: Vec<String>,
}

/// Fonts for the requested chart languages, or `None` when charts are off. Called before the
/// draws so that a bad `--font` fails before any work is done.
pub fn chart_fonts(c: &ChartOptions) -> Result<Option<(Vec<LangFont>, Option<String>)>> {
    if !c.enabled {
        return Ok(None);
    }
    let (fonts, warning) = figures::choose_fonts(&c.langs, c.font.as_deref())
        .context("choosing fonts for the charts (--font PATH, or --no-charts to skip charts)")?;
    Ok(Some((fonts, warning)))
}

/// The chart key of the scenario given at position `order`: a shipped scenario keeps its
/// place among the shipped ones as palette slot (so it has one colour in `run` and `compare`),
/// any other file comes after them; name from its titles.
pub fn scenario_key(order: usize, loaded: &Loaded) -> ScenarioKey {
    let m = &loaded.scenario.meta;
    let shipped = embedded::ids();
    let slot = shipped
        .iter()
        .position(|id| *id == m.id)
        .unwrap_or(shipped.len() + order);
    ScenarioKey {
        order: slot,
        label: Label::new(m.title_zh.clone(), m.title_en.clone()),
    }
}

/// A view of one run for the figure builders.
pub fn run_view<'a>(
    loaded: &'a Loaded,
    key: &'a ScenarioKey,
    result: &'a RunResult,
    summary: &'a RunSummary,
) -> RunView<'a> {
    RunView {
        id: &loaded.scenario.meta.id,
        key,
        result,
        summary,
    }
}

/// Builds the briefing documents, as (path relative to the result folder, bytes), from the
/// figures written (their files are in the staging folder), the languages and an optional note.
pub type BriefingPage<'a> =
    dyn Fn(&[RenderedFigure], &[Lang], Option<&str>) -> Result<Vec<(PathBuf, Vec<u8>)>> + 'a;

/// Prepares the figures (`build`, run on `pool`), renders them into `charts/` of the result
/// being written by `writer` and writes the briefing documents built by `page` (`briefing.html`
/// and the rest, see [`crate::present::briefing::outputs`]) through it. Prints the font
/// warning and chart failures to stderr unless `o.quiet`; the paths returned are where the
/// files will be once the result is committed ([`announce_charts`] prints them).
pub fn write_charts(
    build: &(dyn Fn() -> Vec<FigureSpec> + Sync),
    writer: &ResultWriter,
    fonts: &(Vec<LangFont>, Option<String>),
    footer: &(dyn Fn(Lang, &FigureSpec) -> String + Sync),
    page: &BriefingPage<'_>,
    pool: &rayon::ThreadPool,
    o: &RunOptions,
) -> Result<ChartsOutcome> {
    let start = std::time::Instant::now();
    let quiet = o.quiet;
    let (fonts, warning) = fonts;
    if let (Some(w), false) = (warning, quiet) {
        eprintln!("{w}");
    }
    let charts_dir = writer.dir().join("charts");
    let specs = pool.install(build);
    let report =
        pool.install(|| render_figures(&specs, &charts_dir, fonts, footer, o.charts.size))?;
    let mut failures = Vec::new();
    for (name, e) in &report.failures {
        if !quiet {
            eprintln!("warning: chart {name} not written: {e}");
        }
        failures.push(format!("{name}: {e}"));
    }
    let langs: Vec<Lang> = fonts.iter().map(|f| f.lang).collect();
    let files: Vec<PathBuf> = report
        .figures
        .iter()
        .flat_map(|f| f.files.iter().flat_map(|(_, p, s)| [p.clone(), s.clone()]))
        .map(|p| writer.final_path(&p))
        .collect();
    let docs = page(&report.figures, &langs, warning.as_deref())?;
    let briefing_files: Vec<PathBuf> = docs.iter().map(|(p, _)| writer.dest().join(p)).collect();
    let docs: Vec<(PathBuf, Payload<'_>)> = docs.into_iter().map(|(p, b)| (p, b.into())).collect();
    writer.write(&docs)?;
    let seconds = start.elapsed().as_secs_f64();
    Ok(ChartsOutcome {
        langs,
        figures: report.figures.len(),
        files,
        dir: writer.dest().join("charts"),
        briefing: writer.dest().join("briefing.html"),
        briefing_files,
        seconds,
        warning: warning.clone(),
        failures,
    })
}

/// Prints one line about the charts written (table format only, unless quiet).
pub fn announce_charts(c: &ChartsOutcome, o: &RunOptions) {
    if !o.quiet && o.format == Format::Table {
        let tags: Vec<&str> = c.langs.iter().map(|l| lang_tag(*l)).collect();
        outln!(
            "charts: {} figures ({}) in {} ({:.2} s); briefing {}",
            c.figures,
            tags.join("+"),
            c.dir.display(),
            c.seconds,
            c.briefing.display()
        );
    }
}

/// Validated options of `run`.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Scenario file or shipped id.
    pub scenario: String,
    /// Draws.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Threads (None = all cores).
    pub threads: Option<usize>,
    /// Horizon override.
    pub horizon: Option<i32>,
    /// Output root; results go to `<out>/<scenario id>/`.
    pub out: PathBuf,
    /// CSV flavour.
    pub csv: CsvFlavor,
    /// Also write `results.xlsx`.
    pub xlsx: bool,
    /// Table format on stdout.
    pub format: Format,
    /// Print nothing (tests, benches).
    pub quiet: bool,
    /// Charts and briefing.
    pub charts: ChartOptions,
}

impl RunOptions {
    /// From command-line arguments.
    pub fn from_args(scenario: &str, a: &DrawArgs) -> RunOptions {
        RunOptions {
            scenario: scenario.to_string(),
            draws: a.draws,
            seed: a.seed,
            threads: a.threads,
            horizon: a.horizon,
            out: a.out.clone(),
            csv: CsvFlavor::with_bom(!a.no_bom),
            xlsx: a.xlsx,
            format: a.format,
            quiet: false,
            charts: ChartOptions::new(a.lang, a.font.clone(), a.no_charts).with_size(
                match a.size {
                    super::ChartSize::A4 => PrintSize::A4,
                    super::ChartSize::Slide => PrintSize::Slide,
                },
            ),
        }
    }
}

/// What a run returns to its caller.
#[derive(Debug)]
pub struct RunOutcome {
    /// The loaded scenario, sampler and model.
    pub loaded: Loaded,
    /// Raw results.
    pub result: RunResult,
    /// Summary.
    pub summary: RunSummary,
    /// Folder written.
    pub dir: PathBuf,
    /// Engine wall time (s).
    pub engine_seconds: f64,
    /// Charts and briefing, unless `--no-charts`.
    pub charts: Option<ChartsOutcome>,
}

/// A rayon pool with the requested number of threads.
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        anyhow::ensure!(
            (1..=1024).contains(&t),
            "--threads must be between 1 and 1024, got {t}"
        );
        b = b.num_threads(t);
    }
    b.build().context("starting worker threads")
}

/// Runs the engine on a loaded scenario with an optional progress bar.
pub fn run_engine(
    loaded: &Loaded,
    config: RunConfig,
    pool: &rayon::ThreadPool,
    show_progress: bool,
) -> Result<(RunResult, f64)> {
    let bar =
        (show_progress && std::io::stderr().is_terminal() && config.draws >= 50_000).then(|| {
            let b = indicatif::ProgressBar::new(config.draws);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:40}] {pos}/{len} draws ({per_sec}, {eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b.set_message(loaded.scenario.meta.id.clone());
            b
        });
    let progress = |n: u64| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    };
    let start = Instant::now();
    let result = pool.install(|| {
        engine::run(
            &loaded.scenario,
            &loaded.model,
            &loaded.sampler,
            config,
            &progress,
        )
    })?;
    let secs = start.elapsed().as_secs_f64();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok((result, secs))
}

/// UTC date-time now, ISO 8601 (civil-from-days, Howard Hinnant's algorithm).
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Program name and version for metadata and chart footers.
pub fn program() -> String {
    format!("tanfeng {}", env!("CARGO_PKG_VERSION"))
}

/// Run metadata of one run.
pub fn run_meta(loaded: &Loaded, config: RunConfig, threads: usize, secs: f64) -> RunMeta {
    let s = &loaded.scenario;
    let (accounting_zh, accounting_en) = tables::accounting_conventions(&s.options);
    RunMeta {
        accounting_zh,
        accounting_en,
        program: program(),
        scenario: s.meta.id.clone(),
        title_zh: s.meta.title_zh.clone(),
        title_en: s.meta.title_en.clone(),
        scenario_sha256: s.content_hash.clone(),
        scenario_files: s.files.clone(),
        seed: config.seed,
        draws: config.draws,
        threads,
        date_utc: now_utc(),
        engine_seconds: secs,
    }
}

/// The files of one run, as (path, content); `draws.csv` is streamed from `result`.
pub fn run_files<'a>(
    dir: &std::path::Path,
    meta: &RunMeta,
    result: &'a RunResult,
    summary: &RunSummary,
    csv: CsvFlavor,
) -> Vec<(PathBuf, Payload<'a>)> {
    let draws = move |w: &mut dyn std::io::Write| tables::write_draws_csv(result, csv, w);
    let files: Vec<(PathBuf, Vec<u8>)> = vec![
        (dir.join("summary.csv"), tables::summary_csv(summary, csv)),
        (dir.join("targets.csv"), tables::targets_csv(summary, csv)),
        (dir.join("years.csv"), tables::years_csv(summary, csv)),
        (dir.join("wedges.csv"), tables::wedges_csv(summary, csv)),
        (dir.join("ledger.csv"), tables::ledger_csv(summary, csv)),
        (
            dir.join("increments.csv"),
            tables::increments_csv(summary, csv),
        ),
        (
            dir.join("summary.json"),
            tables::summary_json(meta, summary),
        ),
        (dir.join("run.json"), tables::run_json(meta)),
    ];
    let mut files: Vec<(PathBuf, Payload<'a>)> =
        files.into_iter().map(|(p, b)| (p, b.into())).collect();
    files.push((dir.join("draws.csv"), Payload::Stream(Box::new(draws))));
    files
}

/// `tanfeng run`: loads, runs, writes `<out>/<id>/…` and prints the table.
pub fn run_scenario(o: &RunOptions) -> Result<RunOutcome> {
    let loaded = load(&o.scenario, o.horizon)?;
    for d in &loaded.dropped_targets {
        eprintln!("note: target {d} lies beyond --horizon and is not evaluated");
    }
    let config = RunConfig {
        draws: o.draws,
        seed: o.seed,
        first_draw: 0,
    };
    let pool = thread_pool(o.threads)?;
    let fonts = chart_fonts(&o.charts)?;
    let (result, secs) = run_engine(&loaded, config, &pool, !o.quiet)?;
    present_run(o, loaded, result, secs, &pool, fonts.as_ref())
}

/// Writes the files of a finished run, prints its table and draws its charts (`run`, and
/// `merge` of `run` shards).
pub fn present_run(
    o: &RunOptions,
    loaded: Loaded,
    result: RunResult,
    secs: f64,
    pool: &rayon::ThreadPool,
    fonts: Option<&(Vec<LangFont>, Option<String>)>,
) -> Result<RunOutcome> {
    let config = result.config;
    let summary = summarize(&result);
    let meta = run_meta(&loaded, config, pool.current_num_threads(), secs);
    let writer = ResultWriter::begin(&o.out, &loaded.scenario.meta.id, Part::Run)?;
    writer.write(&run_files(
        std::path::Path::new(""),
        &meta,
        &result,
        &summary,
        o.csv,
    ))?;
    if o.xlsx {
        let info: serde_json::Value =
            serde_json::from_slice(&tables::run_json(&meta)).context("run metadata")?;
        let sheets = run_sheets(&loaded.scenario, &loaded.sampler, &summary);
        let book = results_xlsx(&sheets, &meta_rows("", &info)).context("building results.xlsx")?;
        writer.write(&[(PathBuf::from("results.xlsx"), book.into())])?;
    }
    let charts = match &fonts {
        None => None,
        Some(f) => {
            let key = scenario_key(0, &loaded);
            let view = run_view(&loaded, &key, &result, &summary);
            let build = || figures::scenario_figures(&view, true);
            let footer = |lang: Lang, _: &FigureSpec| {
                let name = figures::scenario_name(key.label.get(lang), &meta.scenario);
                figures::footer(lang, &name, meta.seed, meta.draws, &meta.program)
            };
            let drivers = pool.install(|| super::briefing::drivers(&loaded, &result, o.quiet));
            let names: Vec<&str> = summary
                .targets
                .iter()
                .map(|t| t.indicator.as_str())
                .collect();
            // A sensitivity run left in the result folder by an earlier `tanfeng sensitivity`.
            let sensitivity =
                super::briefing::earlier_sensitivity(writer.dest(), &meta.scenario, &names);
            let page = |figs: &[RenderedFigure], langs: &[Lang], note: Option<&str>| {
                let b = Briefing {
                    scenarios: vec![ScenarioBrief {
                        meta: &meta,
                        summary: &summary,
                        facts: ScenarioFacts::of(&loaded.scenario),
                        drivers: drivers.clone(),
                    }],
                    figures: figs,
                    charts_dir: "charts",
                    note,
                    sensitivity: sensitivity.clone(),
                    langs: langs.to_vec(),
                };
                super::briefing::documents(&b)
            };
            Some(write_charts(&build, &writer, f, &footer, &page, pool, o)?)
        }
    };
    let dir = writer.commit()?;
    if !o.quiet {
        let title = format!(
            "{} {}",
            loaded.scenario.meta.title_zh, loaded.scenario.meta.title_en
        );
        match o.format {
            Format::Table => {
                out!(
                    "{}",
                    tables::run_report(&summary, &title, &result, &meta.accounting_en)
                );
                outln!("results in {} ({secs:.2} s for the draws)", dir.display());
            }
            Format::Json => out!(
                "{}",
                String::from_utf8_lossy(&tables::summary_json(&meta, &summary))
            ),
            Format::Csv => out!(
                "{}",
                String::from_utf8_lossy(&tables::summary_csv(&summary, CsvFlavor::Plain))
            ),
        }
    }
    if let Some(c) = &charts {
        announce_charts(c, o);
    }
    Ok(RunOutcome {
        loaded,
        result,
        summary,
        dir,
        engine_seconds: secs,
        charts,
    })
}

/// `tanfeng list`: shipped scenarios.
pub fn list() -> String {
    let mut out = String::new();
    for f in embedded::SHIPPED {
        match crate::scenario::load_embedded(f.id) {
            Ok(s) => out.push_str(&format!(
                "{:<12} {}–{}  {} / {}\n",
                f.id, s.meta.base_year, s.meta.horizon, s.meta.title_zh, s.meta.title_en
            )),
            Err(e) => out.push_str(&format!("{:<12} (does not load: {e})\n", f.id)),
        }
    }
    out
}

/// `tanfeng explain`: every input with distribution, central value, unit and provenance.
pub fn explain(spec: &str, filter: Option<&str>) -> Result<String> {
    let loaded = load(spec, None)?;
    Ok(inputs::explain_text(
        &loaded.scenario,
        &loaded.sampler,
        filter,
    ))
}

/// `tanfeng validate`: loads each file, builds sampler and model, prints the calibration table.
pub fn validate(files: &[String]) -> Result<()> {
    for f in files {
        let loaded = load(f, None).with_context(|| format!("validating {f}"))?;
        let s = &loaded.scenario;
        outln!(
            "{}",
            calibration::validation_line(
                f,
                s,
                loaded.sampler.uncertain().len(),
                loaded.model.measures().len()
            )
        );
        let central = loaded.sampler.central();
        let traj = loaded.model.simulate(&central);
        out!("{}", calibration::calibration_table(s, &central, &traj));
    }
    Ok(())
}
