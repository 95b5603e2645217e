//! Chart 5: wedge chart — reductions by measure stacked down from the frozen-technology line,
//! increases (measures that raise the emission) stacked above it.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartError;
use super::common::fill_between;
use super::common::{
    Key, LegendItem, PResult, Painter, all_finite, dashed_line, draws_text, frame, over, padded,
    render_both, stroke, with_unit, year_chart,
};
use super::data::{WedgeData, WedgeMeasure, WedgePanelsData};
use super::style::{
    AxisUnit, ChartStyle, Dash, Hatch, Lang, axis_unit, measure_color, measure_hatch,
    scenario_color,
};

/// Fill of a reduction band of the measure in palette `slot`: its colour at 60 % on white
/// (bands never overlap; opaque, see [`over`]), light enough for the hatching over it.
pub(crate) fn band_color(slot: Option<usize>) -> RGBColor {
    over(measure_color(slot), 0.6, WHITE)
}

/// Hatching of an increase band: dark grey lines whatever the measure (its colour is the
/// outline), so they show over every reduction fill.
const INCREASE_HATCH: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// How a band is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BandLook {
    /// Fill of a reduction band (an increase is drawn over the reductions it offsets, unfilled).
    pub fill: RGBColor,
    /// Hatching and outline colour of an increase band.
    pub line: Option<RGBColor>,
    /// Pattern over a reduction's fill.
    pub hatch: Hatch,
}

/// Look of band `b` of `d`: the measure's palette slot decides, so a measure looks the same in
/// every chart of a run or a comparison.
pub(crate) fn band_look(d: &WedgeData, b: &Band) -> BandLook {
    let slot = d.measures[b.measure].slot;
    match b.increase {
        None => BandLook {
            fill: band_color(slot),
            line: None,
            hatch: measure_hatch(slot),
        },
        Some(_) => BandLook {
            fill: WHITE,
            line: Some(measure_color(slot)),
            hatch: Hatch::Lines,
        },
    }
}

/// Legend entry of a measure's reduction band.
fn reduction_key(s: &ChartStyle, m: &WedgeMeasure) -> LegendItem {
    LegendItem {
        key: Key::Patterned(band_color(m.slot), measure_hatch(m.slot)),
        label: s.t(&m.label).to_string(),
    }
}

/// Legend entry of a measure's increase band (hatching over the reductions it offsets).
fn increase_key(s: &ChartStyle, m: &WedgeMeasure) -> LegendItem {
    LegendItem {
        key: Key::Hatch(WHITE, measure_color(m.slot), INCREASE_HATCH),
        label: increase_label(s, &m.label),
    }
}

/// Label of an increase band: "name（增加）" / "name (increase)".
fn increase_label(s: &ChartStyle, label: &super::data::Label) -> String {
    match s.lang {
        Lang::Zh => format!("{}（增加）", s.t(label)),
        Lang::En => format!("{} (increase)", s.t(label)),
    }
}

/// One drawn band: the measure, whether it shows an increase, its edges per year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Band {
    /// Index into [`WedgeData::measures`].
    pub measure: usize,
    /// Position among the increase bands (None for a reduction band).
    pub increase: Option<usize>,
    /// Upper edge per year (base unit).
    pub top: Vec<f64>,
    /// Lower edge per year (base unit).
    pub bottom: Vec<f64>,
}

/// Stacks the bands: a measure's negative values (increases, new sources) upward from the
/// frozen line, each in measure order, up to frozen + Σ increases; its positive values
/// (reductions) downward from that top, so the lowest reduction band ends on the mean path
/// (frozen + Σ increases − Σ reductions) and no band is cut by it. The increase bands then
/// mark, over the top reductions, the part of the reductions that only offsets new sources.
pub(crate) fn stack(d: &WedgeData) -> Vec<Band> {
    let mut bands = Vec::new();
    let mut level = d.frozen.clone();
    let mut j = 0;
    for (k, m) in d.measures.iter().enumerate() {
        if m.reduction.iter().any(|r| *r < 0.0) {
            let top: Vec<f64> = level
                .iter()
                .zip(&m.reduction)
                .map(|(l, r)| l + (-r).max(0.0))
                .collect();
            bands.push(Band {
                measure: k,
                increase: Some(j),
                top: top.clone(),
                bottom: std::mem::replace(&mut level, top),
            });
            j += 1;
        }
    }
    let mut reductions = Vec::new();
    for (k, m) in d.measures.iter().enumerate() {
        if m.reduction.iter().any(|r| *r > 0.0) {
            let bottom: Vec<f64> = level
                .iter()
                .zip(&m.reduction)
                .map(|(l, r)| l - r.max(0.0))
                .collect();
            reductions.push(Band {
                measure: k,
                increase: None,
                top: std::mem::replace(&mut level, bottom.clone()),
                bottom,
            });
        }
    }
    // Reductions first (filled), increases drawn over them.
    reductions.extend(bands);
    reductions
}

/// The measures that reduce (`increase == false`) or raise the emission in some year, in
/// measure order.
fn measures_where(d: &WedgeData, increase: bool) -> Vec<&WedgeMeasure> {
    d.measures
        .iter()
        .filter(|m| {
            m.reduction
                .iter()
                .any(|r| if increase { *r < 0.0 } else { *r > 0.0 })
        })
        .collect()
}

/// Lowest and highest value the chart shows: frozen line, mean path and every band edge.
fn value_span(d: &WedgeData, bands: &[Band]) -> (f64, f64) {
    d.frozen
        .iter()
        .chain(&d.median)
        .chain(bands.iter().flat_map(|b| b.top.iter().chain(&b.bottom)))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        })
}

/// What a wedge title calls its bands (zh, en): a measure that raises the emission is drawn as
/// an increase, and the title says so rather than calling every band a reduction.
fn what(any_increase: bool) -> (&'static str, &'static str) {
    if any_increase {
        (
            "各措施净减排量与增排量",
            "net reductions and increases by measure",
        )
    } else {
        ("各措施净减排量", "net reduction by measure")
    }
}

const FROZEN_DASH: Dash = Dash { on: 0, off: 0 };
const MEDIAN_DASH: Dash = Dash { on: 14, off: 9 };

/// Renders the wedge chart of `data`.
pub fn render_wedge(
    data: &WedgeData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Wedge(data), style, stem)
}

pub(crate) struct Wedge<'a>(pub(crate) &'a WedgeData);

impl Wedge<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        let (a, b) = (
            d.years.first().copied().unwrap_or(0),
            d.years.last().copied().unwrap_or(0),
        );
        let (what_zh, what_en) = what(!measures_where(d, true).is_empty());
        match s.lang {
            Lang::Zh => format!(
                "{} {}–{} 年{what_zh}（相对技术冻结情形）· 情景：{} · {}",
                s.t(&d.indicator),
                a,
                b,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{}, {}–{}: {what_en} from the frozen-technology line · scenario: {} · {}",
                s.t(&d.indicator),
                a,
                b,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let m = self
            .0
            .frozen
            .iter()
            .chain(&self.0.median)
            .fold(0.0_f64, |a, v| a.max(v.abs()));
        axis_unit(&self.0.unit, s.lang, m)
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let d = self.0;
        let mut v = vec![
            LegendItem {
                key: Key::Line(BLACK, 5.0, FROZEN_DASH),
                label: s.tr("技术冻结情形", "Frozen technology").to_string(),
            },
            LegendItem {
                key: Key::Line(BLACK, 5.0, MEDIAN_DASH),
                label: format!("{}{}", s.t(&d.scenario.label), s.tr("（均值）", " (mean)")),
            },
        ];
        for m in d.measures.iter() {
            if m.reduction.iter().any(|r| *r > 0.0) {
                v.push(reduction_key(s, m));
            }
        }
        for m in d.measures.iter() {
            if m.reduction.iter().any(|r| *r < 0.0) {
                v.push(increase_key(s, m));
            }
        }
        v
    }
}

impl Painter for Wedge<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        let n = d.years.len();
        if n < 2 {
            return Err("need at least two years".to_string());
        }
        if d.frozen.len() != n || d.median.len() != n {
            return Err(format!(
                "frozen ({}) and median ({}) must have one value per year ({n})",
                d.frozen.len(),
                d.median.len()
            ));
        }
        all_finite("frozen line", d.frozen.iter())?;
        all_finite("median path", d.median.iter())?;
        for m in &d.measures {
            if m.reduction.len() != n {
                return Err(format!(
                    "measure {:?} has {} values for {n} years",
                    m.label.en,
                    m.reduction.len()
                ));
            }
            all_finite("reduction", m.reduction.iter())?;
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![
            self.title(s),
            s.tr("年份", "Year").to_string(),
            with_unit(s, s.t(&self.0.indicator), &u),
        ];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let bands = stack(d);
        // Every band edge counts: a measure that raises emissions is a band above the frozen line.
        let (lo, hi) = value_span(d, &bands);
        let y = padded(lo / u.divisor, hi / u.divisor, 0.06);
        let n = d.years.len();
        plot(d, root, &area, s, &u, y, true, n.min(16), &bands)
    }
}

/// Draws the wedges of `d` into `area` on the y range `(y0, y1)` (display units): its `bands`
/// ([`stack`]) as [`band_look`] says; `full` gives the y-axis title (panels after the first
/// column share it).
#[allow(clippy::too_many_arguments)]
fn plot<DB: DrawingBackend>(
    d: &WedgeData,
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    s: &ChartStyle,
    u: &AxisUnit,
    (y0, y1): (f64, f64),
    full: bool,
    x_ticks: usize,
    bands: &[Band],
) -> PResult {
    let xs: Vec<f64> = d.years.iter().map(|&y| f64::from(y)).collect();
    let n = xs.len();
    let x = (xs[0] - 0.3, xs[n - 1] + 0.3);
    let y_title = full.then(|| with_unit(s, s.t(&d.indicator), u));
    let mut chart = year_chart(area, s, x, (y0, y1), y_title.as_deref(), x_ticks)?;
    // Value of a band edge at x (display units), linear between years.
    let edge = |v: &[f64], x: f64| -> f64 {
        let k = xs.partition_point(|&a| a < x).clamp(1, n - 1);
        let t = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
        (v[k - 1] + (v[k] - v[k - 1]) * t) / u.divisor
    };
    let (px0, px1) = (
        chart.backend_coord(&(xs[0], y0)).0,
        chart.backend_coord(&(xs[n - 1], y0)).0,
    );
    let to_x = |px: i32| xs[0] + (xs[n - 1] - xs[0]) * f64::from(px - px0) / f64::from(px1 - px0);
    for b in bands {
        let look = band_look(d, b);
        let top: Vec<f64> = b.top.iter().map(|v| v / u.divisor).collect();
        let bot: Vec<f64> = b.bottom.iter().map(|v| v / u.divisor).collect();
        let mut poly: Vec<(f64, f64)> = xs.iter().zip(&top).map(|(x, v)| (*x, *v)).collect();
        poly.extend(xs.iter().zip(&bot).rev().map(|(x, v)| (*x, *v)));
        let step = s.px(14.0).max(3.0) as i32;
        match look.line {
            Some(c) => {
                // An increase: vertical hatching between its edges over the reductions it
                // offsets, then its outline.
                let hatch = stroke(s, &INCREASE_HATCH, 2.5);
                let mut px = px0 + step / 2;
                let mut lines = Vec::new();
                while px < px1 {
                    let x = to_x(px);
                    let (t, bt) = (edge(&b.top, x), edge(&b.bottom, x));
                    if t > bt {
                        lines.push(PathElement::new(vec![(x, bt), (x, t)], hatch));
                    }
                    px += step;
                }
                chart.draw_series(lines)?;
                let mut outline = poly;
                if let Some(first) = outline.first().copied() {
                    outline.push(first);
                }
                chart.draw_series(std::iter::once(PathElement::new(
                    outline,
                    stroke(s, &c, 5.0),
                )))?;
            }
            None => {
                fill_between(root, &chart, &xs, &top, &bot, look.fill.mix(1.0))?;
                let ink = over(BLACK, 0.45, look.fill);
                let step = 2 * step;
                match look.hatch {
                    Hatch::Solid => {}
                    Hatch::Lines => {
                        let mut px = px0 + step / 2;
                        let mut lines = Vec::new();
                        while px < px1 {
                            let x = to_x(px);
                            let (t, bt) = (edge(&b.top, x), edge(&b.bottom, x));
                            if t > bt {
                                lines.push(PathElement::new(
                                    vec![(x, bt), (x, t)],
                                    stroke(s, &ink, 2.0),
                                ));
                            }
                            px += step;
                        }
                        chart.draw_series(lines)?;
                    }
                    Hatch::Dots => {
                        let r = s.px(3.0).max(1.0) as i32;
                        let mut dots = Vec::new();
                        let mut px = px0 + step / 2;
                        while px < px1 {
                            let x = to_x(px);
                            let (t, bt) = (edge(&b.top, x), edge(&b.bottom, x));
                            let (pt, pb) = (
                                chart.backend_coord(&(x, t)).1,
                                chart.backend_coord(&(x, bt)).1,
                            );
                            let mut py = pt + r + 1;
                            while py < pb - r {
                                dots.push(Rectangle::new(
                                    [(px - r, py - r), (px + r, py + r)],
                                    ink.filled(),
                                ));
                                py += step / 2;
                            }
                            px += step / 2;
                        }
                        for dot in dots {
                            root.draw(&dot)?;
                        }
                    }
                }
            }
        }
    }
    let line = |v: &Vec<f64>| -> Vec<(f64, f64)> {
        xs.iter().zip(v).map(|(x, y)| (*x, y / u.divisor)).collect()
    };
    dashed_line(root, &chart, s, &line(&d.frozen), BLACK, 5.0, FROZEN_DASH)?;
    dashed_line(root, &chart, s, &line(&d.median), BLACK, 5.0, MEDIAN_DASH)?;
    // Direct labels inside the bands near the last year, only where the whole label box
    // fits inside its band (checked at both ends of the box).
    let nts = super::common::font(s, super::common::NOTE);
    let half = (s.text_px(super::common::NOTE) * 0.8) as i32;
    let xl = xs[n - 1] - (xs[n - 1] - xs[0]) * 0.02;
    let px_per_x =
        f64::from(chart.backend_coord(&(xs[n - 1], y0)).0 - chart.backend_coord(&(xs[0], y0)).0)
            / (xs[n - 1] - xs[0]);
    let interp = |v: &[f64], x: f64| -> f64 {
        let k = xs.partition_point(|&a| a < x).clamp(1, n - 1);
        let t = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
        (v[k - 1] + (v[k] - v[k - 1]) * t) / u.divisor
    };
    for b in bands {
        let (top, bot) = (&b.top, &b.bottom);
        let label = &d.measures[b.measure].label;
        let text = if b.increase.is_some() {
            increase_label(s, label)
        } else {
            s.t(label).to_string()
        };
        let text = text.as_str();
        let w = super::common::text_width(root, text, &nts)? + s.px(16.0) as i32;
        let x_left = xl - f64::from(w) / px_per_x.max(1e-9);
        let py = |v: f64| chart.backend_coord(&(xl, v)).1;
        // Vertical room common to both ends of the box (pixel y grows downward).
        let room_top = py(interp(top, xl)).max(py(interp(top, x_left)));
        let room_bot = py(interp(bot, xl)).min(py(interp(bot, x_left)));
        let cy = (room_top + room_bot) / 2;
        let fits = x_left >= xs[0] && room_bot - room_top >= 2 * half;
        if fits {
            let px = chart.backend_coord(&(xl, y0)).0;
            super::distribution::boxed_text(
                root,
                s,
                text,
                (px, cy),
                &nts,
                plotters::style::text_anchor::HPos::Right,
            )?;
        }
    }
    Ok(())
}

/// Renders one wedge chart per scenario as panels of one figure (same pollutant, shared y
/// axis, one colour per measure across the panels).
pub fn render_wedge_panels(
    data: &WedgePanelsData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&WedgePanels(data), style, stem)
}

pub(crate) struct WedgePanels<'a>(pub(crate) &'a WedgePanelsData);

impl WedgePanels<'_> {
    /// Union over the panels of the reducing (or raising) measures, first appearance first:
    /// the order of the legend.
    fn union(&self, increase: bool) -> Vec<&WedgeMeasure> {
        let mut out: Vec<&WedgeMeasure> = Vec::new();
        for d in &self.0.panels {
            for m in measures_where(d, increase) {
                if !out.iter().any(|o| o.label == m.label) {
                    out.push(m);
                }
            }
        }
        out
    }

    fn title(&self, s: &ChartStyle) -> String {
        let Some(d) = self.0.panels.first() else {
            return String::new();
        };
        let (a, b) = (
            d.years.first().copied().unwrap_or(0),
            d.years.last().copied().unwrap_or(0),
        );
        let (what_zh, what_en) = what(!self.union(true).is_empty());
        match s.lang {
            Lang::Zh => format!(
                "{} {a}–{b} 年{what_zh}（相对技术冻结情形）· {} 个情景 · 每情景 {}",
                s.t(&d.indicator),
                self.0.panels.len(),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{}, {a}–{b}: {what_en} from the frozen-technology line · {} scenarios · {} each",
                s.t(&d.indicator),
                self.0.panels.len(),
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let m = self
            .0
            .panels
            .iter()
            .flat_map(|d| d.frozen.iter().chain(&d.median))
            .fold(0.0_f64, |a, v| a.max(v.abs()));
        let unit = self
            .0
            .panels
            .first()
            .map_or(super::data::Unit::Tonnes, |d| d.unit.clone());
        axis_unit(&unit, s.lang, m)
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let mut v = vec![
            LegendItem {
                key: Key::Line(BLACK, 5.0, FROZEN_DASH),
                label: s.tr("技术冻结情形", "Frozen technology").to_string(),
            },
            LegendItem {
                key: Key::Line(BLACK, 5.0, MEDIAN_DASH),
                label: s.tr("情景均值", "Scenario mean").to_string(),
            },
        ];
        for m in self.union(false) {
            v.push(reduction_key(s, m));
        }
        for m in self.union(true) {
            v.push(increase_key(s, m));
        }
        v
    }
}

impl Painter for WedgePanels<'_> {
    fn validate(&self) -> Result<(), String> {
        let p = &self.0.panels;
        let Some(first) = p.first() else {
            return Err("no panels".to_string());
        };
        if p.len() > 12 {
            return Err(format!("{} panels; at most 12", p.len()));
        }
        for d in p {
            if d.indicator != first.indicator || d.unit != first.unit || d.years != first.years {
                return Err(format!(
                    "panel of scenario {:?} shows another pollutant, unit or years",
                    d.scenario.label.en
                ));
            }
            Wedge(d).validate()?;
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![
            self.title(s),
            s.tr("年份", "Year").to_string(),
            with_unit(s, s.t(&self.0.panels[0].indicator), &u),
        ];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        for d in &self.0.panels {
            v.push(s.t(&d.scenario.label).to_string());
            for m in &d.measures {
                v.push(increase_label(s, &m.label));
            }
        }
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let stacks: Vec<Vec<Band>> = self.0.panels.iter().map(stack).collect();
        let (lo, hi) = self.0.panels.iter().zip(&stacks).fold(
            (f64::INFINITY, f64::NEG_INFINITY),
            |(a, b), (d, bands)| {
                let (l, h) = value_span(d, bands);
                (a.min(l), b.max(h))
            },
        );
        let y = padded(lo / u.divisor, hi / u.divisor, 0.06);
        let n = self.0.panels.len();
        let cols = match n {
            1 => 1,
            2 | 4 => 2,
            _ => 3,
        };
        let cells = area.split_evenly((n.div_ceil(cols), cols));
        let ts = super::common::font(s, super::common::AXIS);
        let head = (s.text_px(super::common::AXIS) * 1.5) as i32;
        for (k, ((d, bands), cell)) in self.0.panels.iter().zip(&stacks).zip(&cells).enumerate() {
            let (top, body) = cell.split_vertically(head);
            let (cw, _) = top.dim_in_pixel();
            let (ox, oy) = top.get_base_pixel();
            // Centred over its panel, but never past the image's left margin.
            let tw = super::common::text_width(root, s.t(&d.scenario.label), &ts)?;
            let cx = (ox + (cw as i32) / 2).max(super::common::page_margin(s) + tw / 2);
            super::common::text_at(
                root,
                s.t(&d.scenario.label),
                (cx, oy + head / 2),
                &ts.color(&scenario_color(d.scenario.order)),
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            )?;
            let ticks = if cols >= 3 { 6 } else { 8 };
            plot(d, root, &body, s, &u, y, k % cols == 0, ticks, bands)?;
        }
        Ok(())
    }
}
