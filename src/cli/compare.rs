//! `tanfeng compare`: several scenarios on the same random streams (common random numbers),
//! attainment table, paired differences against the first scenario.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Format;
use super::load::{Loaded, load};
use super::run::{
    ChartsOutcome, RunOptions, announce_charts, chart_fonts, run_engine, run_files, run_meta,
    run_sheets, run_view, scenario_key, thread_pool, write_charts,
};
use crate::analysis::compare::{Attainment, PairedDiff, attainment, paired_differences};
use crate::analysis::summary::{RunSummary, summarize};
use crate::engine::{RunConfig, RunResult};
use crate::present::briefing::{Briefing, ScenarioBrief, ScenarioFacts};
use crate::present::charts::{Lang, ScenarioKey};
use crate::present::figures::{self, LangFont, RenderedFigure, RunView};
use crate::present::io::{Part, Payload, ResultWriter};
use crate::present::tables::{CsvFlavor, RunMeta, num};
use crate::present::workbook::{SheetSource, concat_csv, meta_rows, results_xlsx};

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

fn csv(flavor: CsvFlavor, header: Vec<String>, rows: Vec<Vec<String>>) -> Vec<u8> {
    crate::present::tables::csv_bytes(flavor, &header, &rows)
}

/// Target rows (id, indicator, year) in first-appearance order.
fn target_rows(att: &[Attainment]) -> Vec<(String, String, i32)> {
    let mut rows: Vec<(String, String, i32)> = Vec::new();
    for a in att {
        if !rows.iter().any(|r| r.0 == a.target) {
            rows.push((a.target.clone(), a.indicator.clone(), a.year));
        }
    }
    rows
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
    let per: Vec<Vec<SheetSource>> = loaded
        .iter()
        .zip(summaries)
        .map(|(l, s)| run_sheets(l, s))
        .collect();
    let mut sheets = vec![
        SheetSource {
            name: "达标 attainment".into(),
            csv: attainment_csv(att, ids, CsvFlavor::Plain),
        },
        SheetSource {
            name: "差异 differences".into(),
            csv: differences_csv(differences, CsvFlavor::Plain),
        },
    ];
    for (k, first) in per[0].iter().enumerate() {
        let parts: Vec<&[u8]> = per.iter().map(|p| p[k].csv.as_slice()).collect();
        let name = if k == 0 {
            "目标 targets".to_string()
        } else {
            first.name.clone()
        };
        sheets.push(SheetSource {
            name,
            csv: concat_csv(&parts),
        });
    }
    let mut meta = vec![
        ("scenarios".to_string(), ids.join(", ")),
        ("seed".to_string(), o.seed.to_string()),
        ("draws".to_string(), o.draws.to_string()),
    ];
    for m in metas {
        let info: serde_json::Value =
            serde_json::from_slice(&crate::present::tables::run_json(m)).context("run metadata")?;
        meta.extend(meta_rows(&format!("{}.", m.scenario), &info));
    }
    results_xlsx(&sheets, &meta).context("building results.xlsx")
}

/// `attainment.csv`: targets as rows, one probability column per scenario plus Wilson bounds.
pub fn attainment_csv(att: &[Attainment], scenarios: &[String], flavor: CsvFlavor) -> Vec<u8> {
    let mut header = vec!["target".to_string(), "indicator".into(), "year".into()];
    for s in scenarios {
        header.push(format!("P(met) {s}"));
        header.push(format!("low95 {s}"));
        header.push(format!("high95 {s}"));
    }
    let rows = target_rows(att)
        .into_iter()
        .map(|(id, ind, year)| {
            let mut r = vec![id.clone(), ind, year.to_string()];
            for s in scenarios {
                match att.iter().find(|a| &a.scenario == s && a.target == id) {
                    Some(a) => r.extend([num(a.probability), num(a.low95), num(a.high95)]),
                    None => r.extend([String::new(), String::new(), String::new()]),
                }
            }
            r
        })
        .collect();
    csv(flavor, header, rows)
}

/// `differences.csv`: paired differences against the baseline.
pub fn differences_csv(d: &[PairedDiff], flavor: CsvFlavor) -> Vec<u8> {
    let header = [
        "scenario",
        "baseline",
        "indicator",
        "unit",
        "year",
        "mean_difference",
        "sd",
        "p5",
        "p95",
        "se_mean",
        "draws",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = d
        .iter()
        .map(|x| {
            vec![
                x.scenario.clone(),
                x.baseline.clone(),
                x.indicator.clone(),
                x.unit.to_string(),
                x.year.to_string(),
                num(x.mean),
                num(x.sd),
                num(x.p5),
                num(x.p95),
                num(x.se_mean),
                x.n.to_string(),
            ]
        })
        .collect();
    csv(flavor, header, rows)
}

/// The terminal table: targets as rows, scenarios as columns; coloured on a colour terminal.
pub fn attainment_table(att: &[Attainment], scenarios: &[String], color: bool) -> String {
    let mut out = format!("{:<34}", "target (year)");
    for s in scenarios {
        out.push_str(&format!(" {s:>12}"));
    }
    out.push('\n');
    for (id, ind, year) in target_rows(att) {
        out.push_str(&format!("{:<34}", format!("{id} ({year})")));
        let _ = ind;
        for s in scenarios {
            let cell = att.iter().find(|a| &a.scenario == s && a.target == id);
            let text = cell.map_or("–".to_string(), |a| {
                format!("{:.1} %", a.probability * 100.0)
            });
            let padded = format!(" {text:>12}");
            match (color, cell) {
                (true, Some(a)) => {
                    let code = if a.probability >= 0.9 {
                        "32"
                    } else if a.probability >= 0.5 {
                        "33"
                    } else {
                        "31"
                    };
                    out.push_str(&format!("\x1b[{code}m{padded}\x1b[0m"));
                }
                _ => out.push_str(&padded),
            }
        }
        out.push('\n');
    }
    out
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
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        scenarios: &'a [String],
        seed: u64,
        draws: u64,
        attainment: &'a [Attainment],
        differences: &'a [PairedDiff],
    }
    let json = serde_json::to_vec_pretty(&Doc {
        scenarios: &ids,
        seed: o.seed,
        draws: o.draws,
        attainment: &att,
        differences: &differences,
    })?;
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
                outln!(
                    "Probability of meeting each target — {} draws, seed {}",
                    o.draws,
                    o.seed
                );
                out!("{}", attainment_table(&att, &ids, color));
                // One line when every scenario counts alike, else one per scenario.
                if metas
                    .iter()
                    .all(|m| m.accounting_en == metas[0].accounting_en)
                {
                    outln!("accounting: {}", metas[0].accounting_en);
                } else {
                    for m in &metas {
                        outln!("accounting ({}): {}", m.scenario, m.accounting_en);
                    }
                }
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
