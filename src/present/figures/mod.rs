//! Turns run results into chart data and renders all charts of a run or a comparison.
//!
//! The preparation functions are pure (results in, [`charts::data`] structs out) so they can be
//! tested without drawing; [`render_figures`] then draws every figure in every requested
//! language in parallel (rayon) into `<dir>/<name>_<lang>.png` and `.svg`.
//!
//! Conventions:
//! - Fractions (intensity changes, shares) are shown in percent; tonnes, tce and 亿元 keep their
//!   base unit and the chart layer rescales to 万吨 / 万吨标准煤 (Chinese) or kt / Mt (English).
//! - Scenario colours follow the position in the caller's scenario order ([`RunView::key`]).
//! - Wedge charts: the frozen-technology line is the mean of `co2_frozen_t` (`nox_frozen_t`,
//!   `vocs_frozen_t`); bands are the mean wedges of each measure of that pollutant; the path
//!   drawn is the per-year **mean** of the total emission, which equals frozen − Σ mean wedges
//!   because wedges add up draw by draw, so the last band ends on the path. The median is not
//!   used: emissions are right-skewed (VOCs 2020: mean 16.6 kt, median 15.0 kt), so a median
//!   line would leave a gap the wedges cannot explain.
//!
//! By job: [`data`] prepares the chart data, [`labels`] words the captions and labels,
//! [`catalogue`] lists the figures of a run or a comparison and [`render`] draws them; the
//! charts themselves are in [`crate::present::charts`].
//!
//! [`charts::data`]: crate::present::charts::data

use crate::analysis::summary::RunSummary;
use crate::engine::RunResult;
use crate::present::charts::ScenarioKey;

pub mod catalogue;
pub mod data;
pub mod labels;
pub mod render;
#[cfg(test)]
mod tests;

pub use catalogue::{
    COMPARE_SECTION, ChartKind, FigureSpec, compare_figures, fan_series_names, ledger_figures,
    panel_figures, scenario_figures, wedge_panel_figures,
};
pub use data::{
    EXCEEDANCE_POINTS, LEDGER_SMALL_SHARE, MAX_WEDGE_BANDS, WedgeIncrease, attainment_data,
    box_data, chart_target, continuous, direction_of, discrete_data, display_unit,
    distribution_data, exceedance_data, fan_data, fan_series, ledger_data, measure_catalogue,
    target_distribution_data, wedge_data, wedge_measure_of,
};
pub use labels::{footer, format_indicator, kind_label, scenario_name, target_row_label};
pub use render::{LangFont, RenderReport, RenderedFigure, choose_fonts, lang_tag, render_figures};

/// One run as the figures see it: its scenario key (colour by order) and its results.
#[derive(Debug, Clone, Copy)]
pub struct RunView<'a> {
    /// Scenario id (file names, footers).
    pub id: &'a str,
    /// Position in the fixed scenario order and display name.
    pub key: &'a ScenarioKey,
    /// Raw results (per-draw columns).
    pub result: &'a RunResult,
    /// Summary (quantiles, wedges, targets).
    pub summary: &'a RunSummary,
}
