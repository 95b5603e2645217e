//! Rendering: draws every figure in every requested language in parallel (rayon) into
//! `<dir>/<name>_<lang>.png` and `.svg`, and picks the fonts.

use super::catalogue::{ChartKind, FigureSpec};
use crate::present::charts::{self, ChartError, ChartStyle, Label, Lang};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A language with the font to draw it in.
#[derive(Debug, Clone, PartialEq)]
pub struct LangFont {
    /// Language.
    pub lang: Lang,
    /// Font of every text.
    pub font: charts::ChartFont,
}

/// A figure after rendering: where its files are, per language.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFigure {
    /// File stem (without language suffix).
    pub name: String,
    /// Kind name.
    pub kind: &'static str,
    /// Section.
    pub section: String,
    /// Caption.
    pub caption: Label,
    /// Languages written, each with its PNG and SVG path.
    pub files: Vec<(Lang, PathBuf, PathBuf)>,
}

/// Outcome of [`render_figures`]: figures written and charts that failed (with the reason).
#[derive(Debug, Default)]
pub struct RenderReport {
    /// Figures with at least one language written, in spec order.
    pub figures: Vec<RenderedFigure>,
    /// `(file stem, error)` of charts that could not be written.
    pub failures: Vec<(String, ChartError)>,
}

/// File-name suffix of a language.
pub fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

fn draw(spec: &FigureSpec, style: &ChartStyle, stem: &Path) -> Result<Vec<PathBuf>, ChartError> {
    match &spec.chart {
        ChartKind::Distribution(d) => charts::render_distribution(d, style, stem),
        ChartKind::Discrete(d) => charts::render_discrete(d, style, stem),
        ChartKind::DistributionPanels(d) => charts::render_distribution_panels(d, style, stem),
        ChartKind::DiscretePanels(d) => charts::render_discrete_panels(d, style, stem),
        ChartKind::WedgePanels(d) => charts::render_wedge_panels(d, style, stem),
        ChartKind::Ledger(d) => charts::render_ledger(d, style, stem),
        ChartKind::Fan(d) => charts::render_fan(d, style, stem),
        ChartKind::Wedge(d) => charts::render_wedge(d, style, stem),
        ChartKind::Box(d) => charts::render_box_compare(d, style, stem),
        ChartKind::Table(d) => charts::render_attainment_table(d, style, stem),
        ChartKind::Exceedance(d) => charts::render_exceedance(d, style, stem),
    }
}

/// Renders every figure in every language into `dir` (created if needed) as
/// `<name>_<lang>.png/.svg`, in parallel on the current rayon pool (one job per figure and
/// language; PNG and SVG of a job are drawn in parallel too). `footers` gives the footer of a
/// figure per language (so a comparison's single-scenario charts can name their scenario
/// only). A chart that fails is reported in [`RenderReport::failures`]; the others are still
/// written.
pub fn render_figures(
    specs: &[FigureSpec],
    dir: &Path,
    langs: &[LangFont],
    footers: &(dyn Fn(Lang, &FigureSpec) -> String + Sync),
    size: charts::PrintSize,
) -> Result<RenderReport, ChartError> {
    crate::present::io::create_dirs(dir).map_err(|source| ChartError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut jobs: Vec<(usize, usize)> = (0..specs.len())
        .flat_map(|i| (0..langs.len()).map(move |j| (i, j)))
        .collect();
    // The costliest charts first, handed out one at a time, so no thread is left with a big
    // one at the end (a comparison's distribution panels take a third of the chart time).
    jobs.sort_by_key(|&(i, _)| match &specs[i].chart {
        ChartKind::DistributionPanels(_) | ChartKind::DiscretePanels(_) => 0,
        ChartKind::Fan(_) | ChartKind::WedgePanels(_) => 1,
        _ => 2,
    });
    let mut done: Vec<(usize, usize, Result<Vec<PathBuf>, ChartError>)> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|&(i, j)| {
            let lf = &langs[j];
            let footer = footers(lf.lang, &specs[i]);
            let st = ChartStyle::sized(lf.lang, lf.font.clone(), footer, size);
            let stem = dir.join(format!("{}_{}", specs[i].name, lang_tag(st.lang)));
            (i, j, draw(&specs[i], &st, &stem))
        })
        .collect();
    // Figures and failures in figure order, whatever order they were drawn in.
    done.sort_by_key(|&(i, j, _)| (i, j));
    let mut report = RenderReport::default();
    let mut figures: Vec<Option<RenderedFigure>> = vec![None; specs.len()];
    for (i, j, r) in done {
        let spec = &specs[i];
        match r {
            Ok(paths) => {
                let png = paths.first().cloned().unwrap_or_default();
                let svg = paths.get(1).cloned().unwrap_or_default();
                let fig = figures[i].get_or_insert_with(|| RenderedFigure {
                    name: spec.name.clone(),
                    kind: spec.chart.name(),
                    section: spec.section.clone(),
                    caption: spec.caption.clone(),
                    files: Vec::new(),
                });
                fig.files.push((langs[j].lang, png, svg));
            }
            Err(e) => report
                .failures
                .push((format!("{}_{}", spec.name, lang_tag(langs[j].lang)), e)),
        }
    }
    report.figures = figures.into_iter().flatten().collect();
    Ok(report)
}

/// Chooses fonts for the requested languages (Chinese first). Without a usable CJK font the
/// Chinese set is dropped (English written instead) and one warning is returned.
pub fn choose_fonts(
    requested: &[Lang],
    user_font: Option<&Path>,
) -> Result<(Vec<LangFont>, Option<String>), ChartError> {
    let mut out: Vec<LangFont> = Vec::new();
    let mut warning = None;
    let mut want = requested.to_vec();
    want.sort_by_key(|l| match l {
        Lang::Zh => 0,
        Lang::En => 1,
    });
    want.dedup();
    for lang in want {
        let setup = charts::setup_fonts(lang, user_font)?;
        if setup.warning.is_some() {
            warning = setup.warning.clone();
        }
        if !out.iter().any(|lf| lf.lang == setup.lang) {
            out.push(LangFont {
                lang: setup.lang,
                font: setup.font,
            });
        }
    }
    Ok((out, warning))
}
