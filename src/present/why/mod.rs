//! Reports, CSV tables and charts of `sensitivity`, `decompose` and `target`: why the results
//! come out as they do and what it would take to meet a target. The commands (`cli::why`) load,
//! compute and write; everything they show is built here.
//!
//! | command | file | builds |
//! |---|---|---|
//! | `sensitivity` (rank, Sobol) | [`sensitivity`] | CSVs, terminal reports, tornado chart data and footers |
//! | `decompose` | [`decompose`] | `lmdi.csv`, terminal report, waterfall chart data |
//! | `target` | [`target`] | the one-line statement of the target and the search's outcome |
//!
//! [`both_languages`] is the render loop of these commands' charts.

pub mod decompose;
pub mod sensitivity;
pub mod target;

use std::path::{Path, PathBuf};

use crate::present::charts::{self, ChartError, ChartStyle, Lang};

/// A number in these commands' CSVs: six decimals, −0 written as 0, NaN as an empty cell.
pub fn csv_number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{:.6}", v + 0.0)
    }
}

/// A chart renderer: style and path stem → files written.
pub type DrawChart<'a> = dyn Fn(&ChartStyle, &Path) -> Result<Vec<PathBuf>, ChartError> + 'a;

/// Charts written by [`both_languages`] and the warnings met on the way (to print unless
/// quiet).
#[derive(Debug, Default)]
pub struct Rendered {
    /// Files written (PNG and SVG of each language).
    pub files: Vec<PathBuf>,
    /// Warnings, in the order they arose.
    pub warnings: Vec<String>,
}

/// Renders a chart in Chinese and English (`<stem>_zh`, `<stem>_en`); without a CJK font only
/// English, with one warning. Chart errors are warnings: the CSV is the result.
pub fn both_languages(
    stem: &Path,
    footer: &dyn Fn(Lang) -> String,
    draw: &DrawChart<'_>,
) -> Rendered {
    let mut out = Rendered::default();
    for lang in [Lang::Zh, Lang::En] {
        let setup = match charts::setup_fonts(lang, None) {
            Ok(s) => s,
            Err(e) => {
                out.warnings.push(format!("warning: no chart written: {e}"));
                return out;
            }
        };
        if setup.lang != lang {
            if let Some(w) = setup.warning {
                out.warnings.push(w);
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
            Ok(f) => out.files.extend(f),
            Err(e) => out
                .warnings
                .push(format!("warning: chart not written: {e}")),
        }
    }
    out
}

impl Rendered {
    /// Adds another chart's files and warnings.
    pub fn extend(&mut self, other: Rendered) {
        self.files.extend(other.files);
        self.warnings.extend(other.warnings);
    }
}
