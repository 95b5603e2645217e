//! `tanfeng compare`: several scenarios on the same random streams (common random numbers),
//! attainment table, paired differences against the first scenario.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Format;
use super::load::{Loaded, load};
use super::run::{
    ChartsOutcome, RunOptions, announce_charts, chart_fonts, run_engine, run_files, run_meta,
    run_view, scenario_key, thread_pool, write_charts,
};
use crate::analysis::compare::{Attainment, PairedDiff, attainment, paired_differences};
use crate::analysis::summary::{RunSummary, summarize};
use crate::engine::{RunConfig, RunResult};
use crate::present::briefing::{Briefing, ScenarioBrief, ScenarioFacts};
use crate::present::charts::{Lang, ScenarioKey};
use crate::present::comparison::{attainment_csv, compare_json, differences_csv, terminal_report};
use crate::present::figures::{self, LangFont, RenderedFigure, RunView};
use crate::present::io::{Part, Payload, ResultWriter};
use crate::present::tables::{CsvFlavor, RunMeta};
use crate::present::workbook::{compare_meta, compare_sheets, results_xlsx, run_sheets};

/// Results of a comparison.
#[derive(Debug)]
pub struct CompareOutcome {
    /// Loaded scenarios, in the order given.
    pub loaded: Vec<Loaded>,
    /// Raw results, same order.
    pub results: Vec<RunResult>,
    /// Summaries, same order.
    pub summaries: Vec<RunSummary>,
    /// Attainment cells.
    pub attainment: Vec<Attainment>,
    /// Paired differences against the first scenario.
    pub differences: Vec<PairedDiff>,
    /// Folder written.
    pub dir: PathBuf,
    /// Engine seconds, summed over scenarios.
    pub engine_seconds: f64,
    /// Charts and briefing, unless `--no-charts`.
    pub charts: Option<ChartsOutcome>,
}

/// Checks that scenarios can be compared: same base year and horizon (unless `--horizon`).
pub fn check_alignment(loaded: &[Loaded], horizon_given: bool) -> Result<()> {
    let Some(first) = loaded.first() else {
        bail!("compare needs at least one scenario");
    };
    let m0 = &first.scenario.meta;
    for l in &loaded[1..] {
        let m = &l.scenario.meta;
        if m.base_year != m0.base_year {
            bail!(
                "cannot compare '{}' (base year {}) with '{}' (base year {}): paired differences need the same base year",
                m0.id,
                m0.base_year,
                m.id,
                m.base_year
            );
        }
        if m.horizon != m0.horizon && !horizon_given {
            bail!(
                "cannot compare '{}' (horizon {}) with '{}' (horizon {}): indicators are measured in the horizon year, so they must agree; give --horizon YEAR to align them",
                m0.id,
                m0.horizon,
                m.id,
                m.horizon
            );
        }
    }
    let mut ids: Vec<&str> = loaded.iter().map(|l| l.scenario.meta.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        bail!(
            "scenario id '{}' appears twice; each compared scenario needs its own id",
            w[0]
        );
    }
    Ok(())
}

/// `results.xlsx` of a comparison: attainment and differences, then every scenario's tables
/// one below the other (each row names its scenario), the inputs and the run metadata.
fn compare_xlsx(
    loaded: &[Loaded],
    summaries: &[RunSummary],
    metas: &[RunMeta],
    att: &[Attainment],
    ids: &[String],
    differences: &[PairedDiff],
    o: &RunOptions,
) -> Result<Vec<u8>> {
    let per_run: Vec<_> = loaded
        .iter()
        .zip(summaries)
        .map(|(l, s)| run_sheets(&l.scenario, &l.sampler, s))
        .collect();
    let sheets = compare_sheets(&per_run, att, ids, differences);
    let meta = compare_meta(ids, o.seed, o.draws, metas).context("run metadata")?;
    results_xlsx(&sheets, &meta).context("building results.xlsx")
}

/// `tanfeng compare`: runs every scenario with the same seed and draws, writes
/// `<out>/compare/`, prints the attainment table.
pub fn compare(specs: &[String], o: &RunOptions) -> Result<CompareOutcome> {
    let loaded = load_batch(specs, o.horizon)?;
    let config = RunConfig {
        draws: o.draws,
        seed: o.seed,
        first_draw: 0,
    };
    let pool = thread_pool(o.threads)?;
    let fonts = chart_fonts(&o.charts)?;
    let mut results = Vec::new();
    for l in &loaded {
        results.push(run_engine(l, config, &pool, !o.quiet)?);
    }
    present_compare(o, loaded, results, &pool, fonts.as_ref())
}

/// Scenario specs with every folder replaced by its `*.toml` files in name order (a batch
/// of variants or of other cities' data).
pub fn expand_specs(specs: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for s in specs {
        let p = std::path::Path::new(s);
        if !p.is_dir() {
            out.push(s.clone());
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(p)
            .with_context(|| format!("reading the scenario folder {s}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            bail!("the scenario folder {s} holds no *.toml file");
        }
        out.extend(files.into_iter().map(|f| f.to_string_lossy().into_owned()));
    }
    Ok(out)
}

/// Loads the scenarios of a comparison (folders expanded) and checks they can be compared.
pub fn load_batch(specs: &[String], horizon: Option<i32>) -> Result<Vec<Loaded>> {
    let loaded: Vec<Loaded> = expand_specs(specs)?
        .iter()
        .map(|s| load(s, horizon))
        .collect::<Result<_>>()?;
    check_alignment(&loaded, horizon.is_some())?;
    Ok(loaded)
}

/// Writes the files of finished comparison runs (with their engine seconds), prints the
/// attainment table and draws the charts (`compare`, and `merge` of `compare` shards).
pub fn present_compare(
    o: &RunOptions,
    loaded: Vec<Loaded>,
    runs: Vec<(RunResult, f64)>,
    pool: &rayon::ThreadPool,
    fonts: Option<&(Vec<LangFont>, Option<String>)>,
) -> Result<CompareOutcome> {
    let mut results = Vec::new();
    let mut metas: Vec<RunMeta> = Vec::new();
    let mut secs_total = 0.0;
    for (l, (r, secs)) in loaded.iter().zip(runs) {
        secs_total += secs;
        let summary = summarize(&r);
        metas.push(run_meta(l, r.config, pool.current_num_threads(), secs));
        results.push((r, summary));
    }
    let (results, summaries): (Vec<RunResult>, Vec<RunSummary>) = results.into_iter().unzip();
    let mut files: Vec<(PathBuf, Payload<'_>)> = Vec::new();
    for ((l, r), (summary, meta)) in loaded
        .iter()
        .zip(&results)
        .zip(summaries.iter().zip(&metas))
    {
        files.extend(run_files(
            std::path::Path::new(&l.scenario.meta.id),
            meta,
            r,
            summary,
            o.csv,
        ));
    }
    let ids: Vec<String> = loaded.iter().map(|l| l.scenario.meta.id.clone()).collect();
    let refs: Vec<&RunResult> = results.iter().collect();
    let att = attainment(&refs);
    let differences: Vec<PairedDiff> = results[1..]
        .iter()
        .flat_map(|r| paired_differences(r, &results[0]))
        .collect();
    files.push((
        PathBuf::from("attainment.csv"),
        attainment_csv(&att, &ids, o.csv).into(),
    ));
    files.push((
        PathBuf::from("differences.csv"),
        differences_csv(&differences, o.csv).into(),
    ));
    let json = compare_json(&ids, o.seed, o.draws, &att, &differences)?;
    files.push((PathBuf::from("compare.json"), json.clone().into()));
    if o.xlsx {
        files.push((
            PathBuf::from("results.xlsx"),
            compare_xlsx(&loaded, &summaries, &metas, &att, &ids, &differences, o)?.into(),
        ));
    }
    let writer = ResultWriter::begin(&o.out, "compare", Part::Compare)?;
    writer.write(&files)?;
    drop(files);
    let charts = match &fonts {
        None => None,
        Some(f) => {
            let keys: Vec<ScenarioKey> = loaded
                .iter()
                .enumerate()
                .map(|(k, l)| scenario_key(k, l))
                .collect();
            let views: Vec<RunView<'_>> = loaded
                .iter()
                .zip(&keys)
                .zip(results.iter().zip(&summaries))
                .map(|((l, k), (r, s))| run_view(l, k, r, s))
                .collect();
            let build = || figures::compare_figures(&views, &att);
            let program = super::run::program();
            let name = |lang: Lang, k: &ScenarioKey, id: &str| {
                figures::scenario_name(k.label.get(lang), id)
            };
            let names = |lang: Lang| {
                let sep = if lang == Lang::Zh { "、" } else { ", " };
                keys.iter()
                    .zip(&ids)
                    .map(|(k, id)| name(lang, k, id))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            // Single-scenario charts (their section is the scenario id) name only their
            // scenario; comparison charts name all.
            let footer = |lang: Lang, spec: &figures::FigureSpec| {
                let scenarios = match ids.iter().position(|id| *id == spec.section) {
                    Some(k) => name(lang, &keys[k], &ids[k]),
                    None => names(lang),
                };
                figures::footer(lang, &scenarios, o.seed, o.draws, &program)
            };
            let drivers: Vec<_> = pool.install(|| {
                loaded
                    .iter()
                    .zip(&results)
                    .map(|(l, r)| super::briefing::drivers(l, r, o.quiet))
                    .collect()
            });
            // Rank sensitivity left by `tanfeng sensitivity` in each scenario's run folder.
            let mut sensitivity = Vec::new();
            for (m, s) in metas.iter().zip(&summaries) {
                let names: Vec<&str> = s.targets.iter().map(|t| t.indicator.as_str()).collect();
                sensitivity.extend(super::briefing::earlier_sensitivity(
                    &o.out.join(&m.scenario),
                    &m.scenario,
                    &names,
                ));
            }
            let page = |figs: &[RenderedFigure], langs: &[Lang], note: Option<&str>| {
                let b = Briefing {
                    scenarios: metas
                        .iter()
                        .zip(&summaries)
                        .zip(loaded.iter().zip(&drivers))
                        .map(|((meta, summary), (l, d))| ScenarioBrief {
                            meta,
                            summary,
                            facts: ScenarioFacts::of(&l.scenario),
                            drivers: d.clone(),
                        })
                        .collect(),
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
        match o.format {
            Format::Table => {
                let color =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                out!(
                    "{}",
                    terminal_report(&att, &ids, &metas, (o.draws, o.seed), color)
                );
                outln!(
                    "results in {} ({secs_total:.2} s for the draws)",
                    dir.display()
                );
            }
            Format::Json => outln!("{}", String::from_utf8_lossy(&json)),
            Format::Csv => out!(
                "{}",
                String::from_utf8_lossy(&attainment_csv(&att, &ids, CsvFlavor::Plain))
            ),
        }
    }
    if let Some(c) = &charts {
        announce_charts(c, o);
    }
    Ok(CompareOutcome {
        loaded,
        results,
        summaries,
        attainment: att,
        differences,
        dir,
        engine_seconds: secs_total,
        charts,
    })
}
