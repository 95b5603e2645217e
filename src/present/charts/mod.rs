//! Briefing-ready charts (PNG + SVG, Chinese or English) drawn with plotters.
//!
//! Each `render_*` function takes prepared data from [`data`], a [`ChartStyle`], and a path stem;
//! it writes `stem.png` and `stem.svg` (each to a temporary file in the same directory, then
//! renamed into place, with `present()` called explicitly) and returns both paths. Before
//! drawing, every label is checked against the font's character map, so a chart never ships
//! with tofu boxes ([`ChartError::MissingGlyphs`] instead).
//!
//! PNGs are painted on plotters' `BitMapBackend` and written by the `png` crate: 8-bit indexed
//! colour when the image has at most 256 colours, else 8-bit RGB. SVGs by `SVGBackend`.
//!
//! | chart | function | data |
//! |---|---|---|
//! | histogram + KDE + target + P5/median/P95 | [`render_distribution`] | [`DistributionData`] |
//! | bars of a discrete indicator (peak year) + target + P(target met) | [`render_discrete`] | [`DiscreteData`] |
//! | the two above, one panel per scenario on a shared x axis | [`render_distribution_panels`], [`render_discrete_panels`] | [`DistributionPanelsData`], [`DiscretePanelsData`] |
//! | fan (median, 50 %/90 % bands), overlay or panels | [`render_fan`] | [`FanData`] |
//! | box-and-whisker across scenarios | [`render_box_compare`] | [`BoxCompareData`] |
//! | attainment-probability table | [`render_attainment_table`] | [`AttainmentTableData`] |
//! | exceedance curves | [`render_exceedance`] | [`ExceedanceData`] |
//! | key-project ledger: 削减量 by project, 新增量 by cause, net change | [`render_ledger`] | [`LedgerData`] |
//! | wedges by measure | [`render_wedge`] | [`WedgeData`] |
//! | the same, one panel per scenario (shared y axis) | [`render_wedge_panels`] | [`WedgePanelsData`] |
//! | tornado (sensitivity) | [`render_tornado`] | [`TornadoData`] |
//! | waterfall (LMDI) | [`render_waterfall`] | [`WaterfallData`] |
//!
//! Box plots: box P25–P75, line at the median, whiskers at P5 and P95 (no outlier points).
//! Colours: Okabe–Ito by the scenario's position in the caller's fixed order, plus a dash
//! pattern and marker per position so lines separate in greyscale; targets are black, thick
//! and dashed. Fonts: see [`fonts`] (explicit font files, `--font PATH`, CJK fallback rule).

mod common;
mod compare;
pub mod data;
mod discrete;
mod distribution;
mod exceedance;
mod fan;
pub mod fonts;
mod ledger;
mod panels;
pub mod place;
mod sensitivity;
pub mod style;
mod text;
mod wedge;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub(crate) use compare::prob_class_color;
pub use compare::{render_attainment_table, render_box_compare};
pub use data::*;
pub use discrete::render_discrete;
pub use distribution::render_distribution;
pub use exceedance::render_exceedance;
pub use fan::render_fan;
pub use fonts::{ChartFont, FontFile, FontSetup, find_cjk_font, language_decision, setup_fonts};
pub use ledger::render_ledger;
pub use panels::{render_discrete_panels, render_distribution_panels};
pub use sensitivity::{render_tornado, render_waterfall};
pub use style::{ChartStyle, Lang, PrintSize};
pub use wedge::{render_wedge, render_wedge_panels};

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// Creating, renaming or removing a chart file failed.
    #[error("cannot write chart file {path}: {source}")]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// plotters failed while drawing or encoding.
    #[error("drawing chart {path} failed: {message}")]
    Draw {
        /// File being drawn.
        path: PathBuf,
        /// plotters' message.
        message: String,
    },
    /// A font file could not be read or parsed.
    #[error("font file {path} cannot be used: {reason}")]
    Font {
        /// Font file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No installed font of the family asked for.
    #[error("font family {family:?} not found (install one or pass --font PATH)")]
    FontNotFound {
        /// Family asked for.
        family: String,
    },
    /// The font lacks glyphs for some chart text.
    #[error("font {family:?} has no glyphs for {missing:?} needed by chart {path}")]
    MissingGlyphs {
        /// Chart file stem.
        path: PathBuf,
        /// Font family.
        family: String,
        /// The characters without glyphs.
        missing: String,
    },
    /// The data cannot be drawn (empty, mismatched lengths, non-finite values, bad size).
    #[error("chart {path}: unusable data: {reason}")]
    InvalidData {
        /// Chart file stem.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}
