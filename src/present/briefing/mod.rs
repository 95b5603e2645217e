//! The briefing a planner can hand over: one document per language (`briefing.html` in
//! Chinese, `briefing_en.html` in English, and the same content as `briefing.docx` /
//! `briefing_en.docx` for Word or WPS), each embedding the charts of its language.
//!
//! Order (issue 20): summary of findings (first page), the attainment table, the charts two per
//! A4 page, a plain-language method and accounting note with data-quality caveats, what each
//! scenario assumes, sensitivity and back-casting results, the plan's measures the model
//! leaves out, and the run metadata last.
//!
//! One file per job: [`text`] (words, percentages, colours), [`facts`] (what a scenario
//! assumes and how its inputs are sourced), [`findings`] (the summary sentences),
//! [`html`] (the page with its print CSS), [`docx`] (the Word document).

pub mod docx;
pub mod facts;
pub mod findings;
pub mod html;
pub mod ledger;
pub mod text;

use std::path::PathBuf;

pub use facts::ScenarioFacts;

use super::charts::Lang;
use super::figures::RenderedFigure;
use super::tables::RunMeta;
use crate::analysis::drivers::TargetDrivers;
use crate::analysis::summary::RunSummary;

/// One scenario of the briefing: its metadata, results, what it assumes and what drives its
/// misses.
#[derive(Debug, Clone)]
pub struct ScenarioBrief<'a> {
    /// Run metadata (titles, seed, hashes, accounting convention).
    pub meta: &'a RunMeta,
    /// Summary of the results (indicators, targets with probabilities).
    pub summary: &'a RunSummary,
    /// What the scenario assumes and how its inputs are sourced.
    pub facts: ScenarioFacts,
    /// Target separation of the inputs, per target (empty when not computed).
    pub drivers: Vec<TargetDrivers>,
}

/// Rank sensitivity of one indicator read back from `sensitivity_rank.csv` (written by
/// `tanfeng sensitivity`), strongest inputs first.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRows {
    /// Scenario id.
    pub scenario: String,
    /// Indicator name.
    pub indicator: String,
    /// `(input, SRRC)` by decreasing |SRRC|.
    pub inputs: Vec<(String, f64)>,
    /// R² of the rank regression.
    pub r_squared: f64,
}

/// Everything the briefing shows.
#[derive(Debug, Clone)]
pub struct Briefing<'a> {
    /// Scenarios in the order given (the first is the baseline of a comparison).
    pub scenarios: Vec<ScenarioBrief<'a>>,
    /// Charts written, each with its files per language.
    pub figures: &'a [RenderedFigure],
    /// Chart folder relative to the briefing.
    pub charts_dir: &'a str,
    /// A remark shown above the charts (e.g. the font warning).
    pub note: Option<&'a str>,
    /// Rank sensitivity read back from earlier `tanfeng sensitivity` runs, if any.
    pub sensitivity: Vec<SensitivityRows>,
    /// Languages of the documents written (see [`outputs`]), for the links between them.
    pub langs: Vec<Lang>,
}

impl Briefing<'_> {
    /// Whether this is a comparison of several scenarios.
    pub fn is_comparison(&self) -> bool {
        self.scenarios.len() > 1
    }

    /// The scenario the summary explains the misses of: `plan` when present, else the first.
    pub fn main_scenario(&self) -> Option<&ScenarioBrief<'_>> {
        self.scenarios
            .iter()
            .find(|s| s.meta.scenario == "plan")
            .or_else(|| self.scenarios.first())
    }
}

/// One briefing document pair to write: its language and its file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    /// Language of the text and of the charts embedded.
    pub lang: Lang,
    /// HTML file name.
    pub html: &'static str,
    /// Word file name.
    pub docx: &'static str,
}

/// The documents for the chart languages written: with both, `briefing.html` /
/// `briefing.docx` in Chinese and `briefing_en.html` / `briefing_en.docx` in English; with one
/// language (`--lang en`, or no CJK font), `briefing.html` / `briefing.docx` in it.
pub fn outputs(langs: &[Lang]) -> Vec<Output> {
    let main = |lang| Output {
        lang,
        html: "briefing.html",
        docx: "briefing.docx",
    };
    match (langs.contains(&Lang::Zh), langs.contains(&Lang::En)) {
        (true, true) => vec![
            main(Lang::Zh),
            Output {
                lang: Lang::En,
                html: "briefing_en.html",
                docx: "briefing_en.docx",
            },
        ],
        (false, true) => vec![main(Lang::En)],
        _ => vec![main(Lang::Zh)],
    }
}

/// The PNG of a figure in `lang`, or in the other language when `lang` was not written.
pub fn figure_png(fig: &RenderedFigure, lang: Lang) -> Option<&PathBuf> {
    fig.files
        .iter()
        .find(|(l, _, _)| *l == lang)
        .or_else(|| fig.files.first())
        .map(|(_, png, _)| png)
}
