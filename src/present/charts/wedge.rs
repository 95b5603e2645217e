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
use super::data::{Label, WedgeData, WedgePanelsData};
use super::style::{AxisUnit, ChartStyle, Dash, Lang, OKABE_ITO, axis_unit, scenario_color};

/// Band colours: Okabe–Ito reordered so neighbouring bands alternate light and dark
/// (yellow, blue, orange, bluish green, sky blue, vermillion, reddish purple).
const BAND_COLORS: [RGBColor; 7] = [
    OKABE_ITO[6],
    OKABE_ITO[0],
    OKABE_ITO[1],
    OKABE_ITO[2],
    OKABE_ITO[3],
    OKABE_ITO[4],
    OKABE_ITO[5],
];

/// Fill of band `k`: its colour at 85 % on white (bands never overlap; opaque, see [`over`]).
fn band_color(k: usize) -> RGBColor {
    over(BAND_COLORS[k % BAND_COLORS.len()], 0.85, WHITE)
}

/// Colours of increase bands (vermillion, reddish purple, …) in order of the increases; the
/// bands are light fills with vertical hatching and an outline in that colour, so they differ
/// from every reduction band also in greyscale.
pub(crate) fn increase_line_color(j: usize) -> RGBColor {
    OKABE_ITO[(4 + j) % OKABE_ITO.len()]
}

/// Fill of the `j`-th increase band: its line colour at 22 % on white.
pub(crate) fn increase_color(j: usize) -> RGBColor {
    over(increase_line_color(j), 0.22, WHITE)
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

/// Stacks the bands: a measure's positive values (reductions) downward from the frozen line,
/// its negative values (increases) upward from it, each stack in measure order. The mean path
/// is frozen + Σ increases − Σ reductions: it lies above the lowest reduction band by the
/// height of the increase bands (on it when nothing increases).
pub(crate) fn stack(d: &WedgeData) -> Vec<Band> {
    let mut bands = Vec::new();
    let mut level = d.frozen.clone();
    for (k, m) in d.measures.iter().enumerate() {
        if m.reduction.iter().any(|r| *r > 0.0) {
            let bottom: Vec<f64> = level
                .iter()
                .zip(&m.reduction)
                .map(|(l, r)| l - r.max(0.0))
                .collect();
            bands.push(Band {
                measure: k,
                increase: None,
                top: std::mem::replace(&mut level, bottom.clone()),
                bottom,
            });
        }
    }
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
    bands
}

/// Fill and, for an increase, hatch/outline colour of each band in `bands` order. A reduction
/// takes the colour of its label's position in `reductions`, an increase that of its position
/// in `increases`, so a measure has one colour in every panel of a small multiple.
pub(crate) fn band_colours(
    d: &WedgeData,
    bands: &[Band],
    reductions: &[&Label],
    increases: &[&Label],
) -> Vec<(RGBColor, Option<RGBColor>)> {
    bands
        .iter()
        .map(|b| {
            let label = &d.measures[b.measure].label;
            match b.increase {
                None => {
                    let k = reductions
                        .iter()
                        .position(|l| *l == label)
                        .unwrap_or(b.measure);
                    (band_color(k), None)
                }
                Some(j) => {
                    let j = increases.iter().position(|l| *l == label).unwrap_or(j);
                    (increase_color(j), Some(increase_line_color(j)))
                }
            }
        })
        .collect()
}

/// Labels of the measures that reduce (`increase == false`) or raise the emission in some
/// year, in measure order.
fn labels_where(d: &WedgeData, increase: bool) -> Vec<&Label> {
    d.measures
        .iter()
        .filter(|m| {
            m.reduction
                .iter()
                .any(|r| if increase { *r < 0.0 } else { *r > 0.0 })
        })
        .map(|m| &m.label)
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

struct Wedge<'a>(&'a WedgeData);

impl Wedge<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        let (a, b) = (
            d.years.first().copied().unwrap_or(0),
            d.years.last().copied().unwrap_or(0),
        );
        let (what_zh, what_en) = what(!labels_where(d, true).is_empty());
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
        for (k, m) in d.measures.iter().enumerate() {
            if m.reduction.iter().any(|r| *r > 0.0) {
                v.push(LegendItem {
                    key: Key::Fill(band_color(k).mix(1.0)),
                    label: s.t(&m.label).to_string(),
                });
            }
        }
        let increasing = d
            .measures
            .iter()
            .filter(|m| m.reduction.iter().any(|r| *r < 0.0));
        for (j, m) in increasing.enumerate() {
            v.push(LegendItem {
                key: Key::Hatch(increase_color(j), increase_line_color(j)),
                label: increase_label(s, &m.label),
            });
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
        let reductions: Vec<&Label> = d.measures.iter().map(|m| &m.label).collect();
        let colours = band_colours(d, &bands, &reductions, &labels_where(d, true));
        let n = d.years.len();
        plot(d, root, &area, s, &u, y, true, n.min(16), &bands, &colours)
    }
}

/// Draws the wedges of `d` into `area` on the y range `(y0, y1)` (display units): its `bands`
/// ([`stack`]) with their `colours` ([`band_colours`]); `full` gives the y-axis title (panels
/// after the first column share it).
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
    colours: &[(RGBColor, Option<RGBColor>)],
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
    for (b, (fill, line)) in bands.iter().zip(colours) {
        let top: Vec<f64> = b.top.iter().map(|v| v / u.divisor).collect();
        let bot: Vec<f64> = b.bottom.iter().map(|v| v / u.divisor).collect();
        let mut poly: Vec<(f64, f64)> = xs.iter().zip(&top).map(|(x, v)| (*x, *v)).collect();
        poly.extend(xs.iter().zip(&bot).rev().map(|(x, v)| (*x, *v)));
        match line {
            Some(c) => {
                let c = *c;
                fill_between(root, &chart, &xs, &top, &bot, fill.mix(1.0))?;
                // Vertical hatching between the edges, then the outline.
                let (px0, px1) = (
                    chart.backend_coord(&(xs[0], y0)).0,
                    chart.backend_coord(&(xs[n - 1], y0)).0,
                );
                let step = s.px(14.0).max(3.0) as i32;
                let to_x = |px: i32| {
                    xs[0] + (xs[n - 1] - xs[0]) * f64::from(px - px0) / f64::from(px1 - px0)
                };
                let hatch = stroke(s, &c, 2.0);
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
                    stroke(s, &c, 3.0),
                )))?;
            }
            None => {
                fill_between(root, &chart, &xs, &top, &bot, fill.mix(1.0))?;
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

struct WedgePanels<'a>(&'a WedgePanelsData);

impl WedgePanels<'_> {
    /// Union over the panels of the reducing (or raising) measures' labels, first appearance
    /// first: the colour order of the legend and of every panel.
    fn union(&self, increase: bool) -> Vec<&Label> {
        let mut out: Vec<&Label> = Vec::new();
        for d in &self.0.panels {
            for l in labels_where(d, increase) {
                if !out.contains(&l) {
                    out.push(l);
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
        for (k, l) in self.union(false).into_iter().enumerate() {
            v.push(LegendItem {
                key: Key::Fill(band_color(k).mix(1.0)),
                label: s.t(l).to_string(),
            });
        }
        for (j, l) in self.union(true).into_iter().enumerate() {
            v.push(LegendItem {
                key: Key::Hatch(increase_color(j), increase_line_color(j)),
                label: increase_label(s, l),
            });
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
        let (reductions, increases) = (self.union(false), self.union(true));
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
            super::common::text_at(
                root,
                s.t(&d.scenario.label),
                (ox + (cw as i32) / 2, oy + head / 2),
                &ts.color(&scenario_color(d.scenario.order)),
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            )?;
            let colours = band_colours(d, bands, &reductions, &increases);
            let ticks = if cols >= 3 { 6 } else { 8 };
            plot(
                d,
                root,
                &body,
                s,
                &u,
                y,
                k % cols == 0,
                ticks,
                bands,
                &colours,
            )?;
        }
        Ok(())
    }
}
