//! Handlers of `sensitivity`, `decompose` and `target`: why the results come out as they do
//! and what it would take to meet a target.

use crate::scenario::names::input_name;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::load::{Loaded, load};
use super::run::{program, thread_pool};
use crate::analysis::backcast::Backcast;
use crate::analysis::decomposition::{EFFECT_LABELS, EFFECT_NAMES, N_EFFECTS};
pub use crate::analysis::lmdi_draws::LmdiSummary;
use crate::analysis::lmdi_draws::{LmdiPart, lmdi_part};
use crate::analysis::sensitivity::{
    DrawSet, InputGroup, RankResult, indicator_index, rank_sensitivity, run_draws, sobol_groups,
    sobol_model,
};
use crate::analysis::sobol::SobolResult;
use crate::analysis::target_search::{Lever, find_target, target_search};
use crate::engine::Shard;
use crate::present::charts::{
    self, ChartError, ChartStyle, Effect, Label, Lang, ScenarioKey, TornadoData, Unit,
    WaterfallData,
};
use crate::present::io::{Part, ResultWriter};
use crate::present::tables::{CsvFlavor, csv_bytes};
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

fn fmt(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{:.6}", v + 0.0)
    }
}

/// The scenario's chart key, with the colour it has in `run` and `compare`.
fn scenario_key(l: &Loaded) -> ScenarioKey {
    super::run::scenario_key(0, l)
}

/// A chart renderer: style and path stem → files written.
type DrawChart<'a> = dyn Fn(&ChartStyle, &Path) -> Result<Vec<PathBuf>, ChartError> + 'a;

/// Renders a chart in Chinese and English (`<stem>_zh`, `<stem>_en`); without a CJK font only
/// English, with one warning. Chart errors are warnings: the CSV is the result.
fn both_languages(
    stem: &Path,
    footer: &dyn Fn(Lang) -> String,
    quiet: bool,
    draw: &DrawChart<'_>,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let setup = match charts::setup_fonts(lang, None) {
            Ok(s) => s,
            Err(e) => {
                if !quiet {
                    eprintln!("warning: no chart written: {e}");
                }
                return files;
            }
        };
        if setup.lang != lang {
            if let (Some(w), false) = (setup.warning, quiet) {
                eprintln!("{w}");
            }
            continue;
        }
        let suffix = if lang == Lang::Zh { "zh" } else { "en" };
        let name = format!(
            "{}_{suffix}",
            stem.file_name()
                .map_or("chart".into(), |s| s.to_string_lossy())
        );
        let style = ChartStyle::new(lang, setup.font, footer(lang));
        match draw(&style, &stem.with_file_name(name)) {
            Ok(f) => files.extend(f),
            Err(e) if !quiet => eprintln!("warning: chart not written: {e}"),
            Err(_) => {}
        }
    }
    files
}

fn indicator_label(l: &Loaded, i: usize) -> Label {
    let d = &l.model.indicator_defs()[i];
    Label::new(d.label_zh, d.label_en)
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
        let footer = |lang: Lang| {
            crate::present::figures::footer(lang, &l.scenario.meta.id, o.seed, draws, &program())
        };
        for ri in &r.indicators {
            let data = TornadoData {
                indicator: indicator_label(l, ri.indicator),
                scenario: scenario_key(l),
                year: l.scenario.meta.horizon,
                n_draws: draws as usize,
                measure: Label::new(
                    "标准化秩回归系数",
                    "Standardized rank regression coefficient",
                ),
                unit: Unit::Dimensionless,
                effects: ri
                    .order()
                    .into_iter()
                    .filter(|&j| ri.srrc[j].is_finite())
                    .take(15)
                    .map(|j| {
                        let (zh, en) = input_name(&ds.names[j]);
                        Effect {
                            label: Label::new(zh, en),
                            id: ds.names[j].clone(),
                            value: ri.srrc[j],
                        }
                    })
                    .collect(),
            };
            if data.effects.is_empty() {
                continue;
            }
            let stem = dir.join(format!("tornado_rank_{}", ds.indicator_names[ri.indicator]));
            files.extend(both_languages(&stem, &footer, o.quiet, &|s, p| {
                charts::render_tornado(&data, s, p)
            }));
        }
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

/// CSV of the rank method: one row per (indicator, input).
pub fn rank_csv(ds: &DrawSet, r: &RankResult, flavor: CsvFlavor) -> Vec<u8> {
    let mut header: Vec<String> = ["indicator", "input", "spearman", "srrc", "srrc_r_squared"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(
        ds.targets
            .iter()
            .map(|t| format!("separation_{}", t.target.id)),
    );
    let mut rows = Vec::new();
    for ri in &r.indicators {
        for j in ri.order() {
            let mut row = vec![
                ds.indicator_names[ri.indicator].to_string(),
                ds.names[j].clone(),
                fmt(ri.spearman[j]),
                fmt(ri.srrc[j]),
                fmt(ri.r_squared),
            ];
            row.extend(r.separation.iter().map(|s| fmt(s[j])));
            rows.push(row);
        }
    }
    csv_bytes(flavor, &header, &rows)
}

/// Terminal report of the rank method: top 10 inputs per indicator, top 5 per target.
pub fn rank_report(ds: &DrawSet, r: &RankResult) -> String {
    let mut s = String::new();
    for ri in &r.indicators {
        s.push_str(&format!(
            "\n{} — rank regression R² {:.2}{}\n  {:<4}{:<56}{:>10}{:>10}\n",
            ds.indicator_names[ri.indicator],
            ri.r_squared,
            ri.note
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            "#",
            "input",
            "spearman",
            "srrc"
        ));
        for (rank, j) in ri.order().into_iter().take(10).enumerate() {
            s.push_str(&format!(
                "  {:<4}{:<56}{:>10.3}{:>10.3}\n",
                rank + 1,
                ds.names[j],
                ri.spearman[j],
                ri.srrc[j]
            ));
        }
    }
    for (k, t) in ds.targets.iter().enumerate() {
        let sep = &r.separation[k];
        let met = ds.met[k].iter().filter(|&&m| m).count();
        s.push_str(&format!(
            "\ntarget {} ({} {}): met in {met} of {} draws; inputs separating met from missed draws \
             (median difference / IQR):\n",
            t.target.id,
            t.target.indicator,
            t.target.year,
            ds.met[k].len()
        ));
        if sep.iter().all(|v| v.is_nan()) {
            s.push_str("  (undefined: every draw meets or every draw misses the target)\n");
            continue;
        }
        let minority = met.min(ds.met[k].len() - met);
        if minority < 100 {
            s.push_str(&format!(
                "  (only {minority} draws on one side: these medians are noisy; use more draws)\n"
            ));
        }
        let mut idx: Vec<usize> = (0..sep.len()).filter(|&j| sep[j].is_finite()).collect();
        idx.sort_by(|&a, &b| sep[b].abs().total_cmp(&sep[a].abs()));
        for j in idx.into_iter().take(5) {
            s.push_str(&format!("  {:<60}{:>+10.3}\n", ds.names[j], sep[j]));
        }
    }
    s
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

/// Sobol indices of each output, or why an output has none.
pub type SobolOut = Result<SobolResult, crate::analysis::AnalysisError>;
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
        let footer = |lang: Lang| match lang {
            Lang::Zh => format!(
                "情景：{} · 随机种子 {} · Sobol N = {n} · {}",
                l.scenario.meta.id,
                o.seed,
                program()
            ),
            Lang::En => format!(
                "scenario: {} · seed {} · Sobol N = {n} · {}",
                l.scenario.meta.id,
                o.seed,
                program()
            ),
        };
        for &i in &which {
            let Ok(r) = &results[i] else { continue };
            let mut order: Vec<usize> = (0..groups.len()).collect();
            order.sort_by(|&a, &b| r.total[b].value.total_cmp(&r.total[a].value));
            let data = TornadoData {
                indicator: indicator_label(l, i),
                scenario: scenario_key(l),
                year: l.scenario.meta.horizon,
                n_draws: evaluations,
                measure: Label::new(
                    "总效应Sobol指数:重要性,不表示方向",
                    "Total-order Sobol index: importance, not direction",
                ),
                unit: Unit::Dimensionless,
                effects: order
                    .into_iter()
                    .take(15)
                    .map(|g| {
                        let (zh, en) = input_name(&groups[g].name);
                        Effect {
                            label: Label::new(zh, en),
                            id: groups[g].name.clone(),
                            value: r.total[g].value,
                        }
                    })
                    .collect(),
            };
            let stem = dir.join(format!("tornado_sobol_{}", names[i]));
            files.extend(both_languages(&stem, &footer, o.quiet, &|s, p| {
                charts::render_tornado(&data, s, p)
            }));
        }
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

/// CSV of the Sobol method: one row per (indicator, group).
pub fn sobol_csv(
    names: &[&str],
    which: &[usize],
    groups: &[InputGroup],
    results: &[SobolOut],
    flavor: CsvFlavor,
) -> Vec<u8> {
    let header: Vec<String> = [
        "indicator",
        "group",
        "n_inputs",
        "first",
        "first_low95",
        "first_high95",
        "total",
        "total_low95",
        "total_high95",
        "n_base",
        "note",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rows = Vec::new();
    for &i in which {
        match &results[i] {
            Ok(r) => {
                for (g, grp) in groups.iter().enumerate() {
                    rows.push(vec![
                        names[i].to_string(),
                        grp.name.clone(),
                        grp.members.len().to_string(),
                        fmt(r.first[g].value),
                        fmt(r.first[g].low95),
                        fmt(r.first[g].high95),
                        fmt(r.total[g].value),
                        fmt(r.total[g].low95),
                        fmt(r.total[g].high95),
                        r.n.to_string(),
                        String::new(),
                    ]);
                }
            }
            Err(e) => {
                let mut row = vec![names[i].to_string()];
                row.extend(std::iter::repeat_n(String::new(), 9));
                row.push(e.to_string());
                rows.push(row);
            }
        }
    }
    csv_bytes(flavor, &header, &rows)
}

/// Terminal report of the Sobol method: the 10 groups with the largest total index.
pub fn sobol_report(
    names: &[&str],
    which: &[usize],
    groups: &[InputGroup],
    results: &[SobolOut],
) -> String {
    let mut s = String::new();
    for &i in which {
        match &results[i] {
            Err(e) => s.push_str(&format!("\n{}: no Sobol indices ({e})\n", names[i])),
            Ok(r) => {
                let sum_first: f64 = r.first.iter().map(|e| e.value).sum();
                s.push_str(&format!(
                    "\n{} — Σ first-order {:.2} (1 − Σ = share of interactions)\n  {:<48}{:>4}  {:>24}  {:>24}\n",
                    names[i], sum_first, "group", "k", "first [95 % CI]", "total [95 % CI]"
                ));
                let mut order: Vec<usize> = (0..groups.len()).collect();
                order.sort_by(|&a, &b| r.total[b].value.total_cmp(&r.total[a].value));
                for g in order.into_iter().take(10) {
                    let e = |x: &crate::analysis::sobol::Est| {
                        format!("{:.3} [{:.3}, {:.3}]", x.value, x.low95, x.high95)
                    };
                    s.push_str(&format!(
                        "  {:<48}{:>4}  {:>24}  {:>24}\n",
                        groups[g].name,
                        groups[g].members.len(),
                        e(&r.first[g]),
                        e(&r.total[g])
                    ));
                }
            }
        }
    }
    s
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

/// Names of the columns summarised by [`LmdiSummary::stats`].
pub fn lmdi_columns() -> Vec<&'static str> {
    let mut v = EFFECT_NAMES.to_vec();
    v.extend(["total_change", "co2_base_t", "co2_t"]);
    v
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
    let cols = lmdi_columns();
    let header: Vec<String> = ["year", "quantity", "median_t", "p5_t", "p95_t", "mean_t"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let mut rows = Vec::new();
    for (t, y) in s.years.iter().enumerate() {
        for (c, name) in cols.iter().enumerate() {
            let v = s.stats[t][c];
            rows.push(vec![
                y.to_string(),
                name.to_string(),
                fmt(v[0]),
                fmt(v[1]),
                fmt(v[2]),
                fmt(v[3]),
            ]);
        }
    }
    let writer = ResultWriter::begin(&o.out, &l.scenario.meta.id, Part::Decompose)?;
    writer.write(&[(
        PathBuf::from("lmdi.csv"),
        csv_bytes(o.csv, &header, &rows).into(),
    )])?;
    if o.charts
        && let Some(last) = s.stats.last()
    {
        let h = s.years.last().copied().unwrap_or(l.scenario.meta.horizon);
        let start_value = last[N_EFFECTS + 1][0];
        let effects: Vec<Effect> = (0..N_EFFECTS)
            .map(|e| Effect {
                label: Label::new(EFFECT_LABELS[e].0, EFFECT_LABELS[e].1),
                id: String::new(),
                value: last[e][0],
            })
            .collect();
        let end_value = start_value + effects.iter().map(|e| e.value).sum::<f64>();
        let data = WaterfallData {
            indicator: Label::new("能源活动二氧化碳排放", "Energy-related CO₂"),
            unit: Unit::TonnesCo2,
            scenario: scenario_key(l),
            start_label: Label::new(
                format!("{} 年(中位数)", l.scenario.meta.base_year),
                format!("{} (median)", l.scenario.meta.base_year),
            ),
            start_value,
            effects,
            end_label: Label::new(
                format!("{h} 年(中位数之和)"),
                format!("{h} (sum of medians)"),
            ),
            end_value,
            n_draws: s.n_draws,
        };
        let footer = |lang: Lang| {
            crate::present::figures::footer(
                lang,
                &l.scenario.meta.id,
                o.seed,
                s.n_draws as u64,
                &program(),
            )
        };
        both_languages(
            &writer.dir().join("lmdi_waterfall"),
            &footer,
            o.quiet,
            &|st, p| charts::render_waterfall(&data, st, p),
        );
    }
    let dir = writer.commit()?;
    if !o.quiet {
        outln!(
            "LMDI of CO₂ (t), {} → year, {} draws: median [P5, P95]",
            l.scenario.meta.base_year,
            s.n_draws
        );
        for (t, y) in s.years.iter().enumerate() {
            outln!("{y}:");
            for (c, name) in cols.iter().enumerate().take(N_EFFECTS + 1) {
                // + 0.0 turns −0 into 0 for printing.
                let v = s.stats[t][c].map(|x| x + 0.0);
                outln!(
                    "  {name:<20}{:>14.0} [{:>12.0}, {:>12.0}]",
                    v[0],
                    v[1],
                    v[2]
                );
            }
        }
        outln!(
            "largest |Σ effects − ΔCO₂| / CO₂ over all draws and years: {:.1e}; {secs:.2} s; results in {}",
            s.max_relative_residual,
            dir.display()
        );
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
    let what = format!(
        "target {} ({} {} {} in {}) with probability ≥ {}",
        t.target.id,
        t.target.indicator,
        match t.target.comparison {
            crate::scenario::Comparison::AtMost => "<=",
            crate::scenario::Comparison::AtLeast => ">=",
        },
        t.target.threshold,
        t.target.year,
        o.probability
    );
    match &search.outcome {
        Backcast::Unreachable {
            best_probability,
            at,
            n_draws,
        } => bail!(
            "unreachable: {what} is not met anywhere in the lever range {}..{} of {}: at the most \
             helpful end ({at}) the probability is {:.3} ({n_draws} draws); widen --range or choose \
             another lever",
            range.0,
            range.1,
            o.lever,
            best_probability
        ),
        Backcast::AlreadyMet {
            at,
            probability,
            n_draws,
        } => {
            if !o.quiet {
                outln!(
                    "already met: {what} holds at the least helpful end of the range, {} = {at} \
                     (probability {probability:.3}, {n_draws} draws)",
                    o.lever
                );
            }
        }
        Backcast::Found(r) => {
            if !o.quiet {
                outln!(
                    "{what}:\n  {} = {:.6}  (Monte Carlo 95 % interval {:.6} … {:.6})\n  \
                     probability there {:.3}; {} draws (same draws at every value), {} model \
                     evaluations, {seconds:.2} s; {} lever values help",
                    o.lever,
                    r.value,
                    r.low,
                    r.high,
                    r.probability_at_value,
                    r.n_draws,
                    r.evaluations,
                    match search.direction {
                        crate::analysis::backcast::Direction::Increasing => "larger",
                        crate::analysis::backcast::Direction::Decreasing => "smaller",
                    }
                );
            }
        }
    }
    Ok(TargetOutcome { search, seconds })
}
