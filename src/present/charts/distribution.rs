//! Chart 1: histogram of a horizon-year indicator with KDE, target and quantiles.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::common::{
    AXIS, Chart, Key, LegendItem, NOTE, PResult, Painter, all_finite, build, dashed_line,
    draws_text, font, frame, label_areas, mesh, over, padded, render_both, stroke, text_width,
    tick_fmt, with_unit,
};
use super::data::DistributionData;
use super::place::{Placer, Rect, polyline_boxes};
use super::style::{
    AxisUnit, ChartStyle, Dash, Lang, TARGET_COLOR, axis_unit, format_number, probability_relation,
    scenario_color,
};

/// Points of the density curve (a smooth curve: 240 points are 8 px apart at 2000 px).
const KDE_POINTS: usize = 240;

/// Opacity of the dark overlay marking draws that meet the target.
pub(crate) const SHADE: f64 = 0.25;

/// Histogram bar colour: the scenario colour at 45 % on white (opaque, see [`over`]).
pub(crate) fn bar_color(c: RGBColor) -> RGBColor {
    over(c, 0.45, WHITE)
}

/// Bars meeting the target: the target colour at [`SHADE`] over the bar colour.
pub(crate) fn shaded_color(c: RGBColor) -> RGBColor {
    over(TARGET_COLOR, SHADE, bar_color(c))
}

/// Target line: thick, dark, dashed (visible in greyscale).
pub(crate) const TARGET_W: f64 = 6.0;
pub(crate) const TARGET_DASH: Dash = Dash { on: 26, off: 14 };

/// Renders the distribution chart of `data` to `stem.png` and `stem.svg`.
pub fn render_distribution(
    data: &DistributionData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Dist(data), style, stem)
}

pub(crate) struct Dist<'a>(pub(crate) &'a DistributionData);

impl Dist<'_> {
    pub(crate) fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{} {} 年取值分布 · 情景：{} · {}",
                s.t(&d.indicator),
                d.year,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{} in {}: distribution · scenario: {} · {}",
                s.t(&d.indicator),
                d.year,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
        }
    }

    pub(crate) fn unit(&self, s: &ChartStyle) -> AxisUnit {
        axis_unit(&self.0.unit, s.lang, magnitude(self.0))
    }

    /// Data range of the x axis (display units): the finite draws and the target.
    pub(crate) fn x_span(&self, u: &AxisUnit) -> (f64, f64) {
        let d = self.0;
        let (mut lo, mut hi) = d
            .draws
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v / u.divisor), b.max(v / u.divisor))
            });
        if let Some(t) = &d.target {
            lo = lo.min(t.value / u.divisor);
            hi = hi.max(t.value / u.divisor);
        }
        (lo, hi)
    }

    /// Axis title of the x axis (indicator with unit).
    pub(crate) fn x_desc(&self, s: &ChartStyle, u: &AxisUnit) -> String {
        with_unit(s, s.t(&self.0.indicator), u)
    }

    pub(crate) fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let d = self.0;
        let c = scenario_color(d.scenario.order);
        let mut v = vec![
            LegendItem {
                key: Key::Fill(bar_color(c).mix(1.0)),
                label: s.tr("抽样直方图", "Histogram of draws").to_string(),
            },
            LegendItem {
                key: Key::Line(c, 4.0, Dash { on: 0, off: 0 }),
                label: s.tr("核密度估计", "Kernel density estimate").to_string(),
            },
            LegendItem {
                key: Key::Line(super::common::DARK_GREY, 2.5, Dash { on: 10, off: 8 }),
                label: s.tr("P5 / 中位数 / P95", "P5 / median / P95").to_string(),
            },
        ];
        if let Some(t) = &d.target {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: s.t(&t.label).to_string(),
            });
            v.push(LegendItem {
                key: Key::Fill(shaded_color(c).mix(1.0)),
                label: s.tr("达标的抽样", "Draws meeting the target").to_string(),
            });
        }
        v
    }

    /// "P5 …", "median …", "P95 …" in display units, with one number of decimals for the
    /// three (that of the largest magnitude), so "P5 910" does not sit beside "P95 1,303"
    /// written to a different precision.
    pub(crate) fn quantile_labels(&self, s: &ChartStyle, u: &AxisUnit) -> [(f64, String); 3] {
        let d = self.0;
        let largest = [d.p5, d.median, d.p95]
            .iter()
            .map(|v| (v / u.divisor).abs())
            .fold(0.0, f64::max);
        let dec = u.decimals(largest);
        let f = |v: f64| format_number(v / u.divisor, dec, s.lang);
        [
            (d.p5, format!("P5 {}", f(d.p5))),
            (
                d.median,
                format!("{} {}", s.tr("中位数", "median"), f(d.median)),
            ),
            (d.p95, format!("P95 {}", f(d.p95))),
        ]
    }

    pub(crate) fn target_label(&self, s: &ChartStyle, u: &AxisUnit) -> Option<String> {
        self.0.target.as_ref().map(|t| {
            let v = t.value / u.divisor;
            format!(
                "{} {} {}",
                s.t(&t.label),
                format_number(v, u.decimals(v), s.lang),
                u.text
            )
        })
    }

    pub(crate) fn p_label(&self, s: &ChartStyle) -> Option<String> {
        self.0.p_target_met.map(|p| {
            format!(
                "{} {}",
                s.tr("P(达标)", "P(target met)"),
                probability_relation(p)
            )
        })
    }
}

/// Largest magnitude a chart of `d` shows (base unit): picks the display unit.
pub(crate) fn magnitude(d: &DistributionData) -> f64 {
    let mut m = d.p95.abs().max(d.p5.abs());
    if let Some(t) = &d.target {
        m = m.max(t.value.abs());
    }
    m
}

/// Title of the y axis (density per display unit).
pub(crate) fn y_desc(s: &ChartStyle, u: &AxisUnit) -> String {
    match s.lang {
        Lang::Zh => format!("概率密度（1/{}）", u.text),
        Lang::En => format!("Probability density (per {})", u.text),
    }
}

/// Greedy row assignment for labels centred at pixel x with pixel widths; returns row per label.
pub(crate) fn assign_rows(items: &[(i32, i32)], gap: i32) -> Vec<usize> {
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for &(x, w) in items {
        let (l, r) = (x - w / 2 - gap, x + w / 2 + gap);
        let row = rows
            .iter()
            .position(|row| row.iter().all(|&(a, b)| r <= a || l >= b))
            .unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(Vec::new());
        }
        rows[row].push((l, r));
        out.push(row);
    }
    out
}

/// Draws `text` with a white box behind it, anchored as given, in absolute pixels.
pub(crate) fn boxed_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartStyle,
    text: &str,
    (x, y): (i32, i32),
    ts: &TextStyle<'_>,
    h: HPos,
) -> PResult {
    let w = text_width(root, text, ts)?;
    let th = (ts.font.get_size() * 1.15) as i32;
    let pad = s.px(6.0) as i32;
    let x0 = match h {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    root.draw(&Rectangle::new(
        [
            (x0 - pad, y - th / 2 - pad / 2),
            (x0 + w + pad, y + th / 2 + pad / 2),
        ],
        WHITE.filled(),
    ))?;
    super::common::text_at(root, text, (x, y), ts, h, VPos::Center)
}

impl Painter for Dist<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        let finite = d.draws.iter().filter(|v| v.is_finite()).count();
        if finite < 2 {
            return Err("need at least two finite draws".to_string());
        }
        if d.density.n != finite || d.density.counts.is_empty() {
            return Err(format!(
                "density estimate made from {} draws, not from the {finite} finite draws",
                d.density.n
            ));
        }
        all_finite("quantiles", [d.p5, d.median, d.p95].iter())?;
        if let Some(t) = &d.target {
            all_finite("target", [t.value].iter())?;
        }
        if let Some(p) = d.p_target_met
            && !(0.0..=1.0).contains(&p)
        {
            return Err(format!("p_target_met {p} outside 0..=1"));
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![
            self.title(s),
            with_unit(s, s.t(&self.0.indicator), &u),
            s.tr("概率密度（每单位）", "Probability density (per unit)")
                .to_string(),
            u.text.clone(),
        ];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v.extend(self.quantile_labels(s, &u).into_iter().map(|l| l.1));
        v.extend(self.target_label(s, &u));
        v.extend(self.p_label(s));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let (lo, hi) = self.x_span(&u);
        let axes = PlotAxes {
            x: padded(lo, hi, 0.05),
            x_desc: self.x_desc(s, &u),
            y_desc: y_desc(s, &u),
            bottom: label_areas(s).0,
            fit_labels: false,
        };
        self.plot(root, &area, s, &u, &axes)
    }
}

/// How one distribution plot is set up: its x range, axis titles (empty: none) and the height
/// of the area under the x axis; with `fit_labels`, the y range grows until the quantile and
/// target label rows fit above the data (small panels).
pub(crate) struct PlotAxes {
    pub x: (f64, f64),
    pub x_desc: String,
    pub y_desc: String,
    pub bottom: u32,
    pub fit_labels: bool,
}

impl Dist<'_> {
    /// Draws histogram, density, target, shading, quantile marks and labels of the data on
    /// `area` (labels are drawn on `root`, which `area` is part of).
    pub(crate) fn plot<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        s: &ChartStyle,
        u: &AxisUnit,
        axes: &PlotAxes,
    ) -> PResult {
        let d = self.0;
        let u = u.clone();
        let c = scenario_color(d.scenario.order);
        let (x0, x1) = axes.x;

        // Histogram as density in 1/display-unit, and the density estimate, both prepared with
        // the data.
        let (vmin, bw, dens) = d.density.bins(u.divisor);
        let kde = d.density.kde_on(x0, x1, KDE_POINTS, u.divisor);
        let ymax_data = dens
            .iter()
            .copied()
            .chain(kde.iter().map(|p| p.1))
            .fold(0.0, f64::max);
        let mut ymax = if ymax_data > 0.0 {
            ymax_data * 1.42
        } else {
            1.0
        };
        let left = label_areas(s).1;
        let lts = font(s, NOTE);
        let row_h = (s.text_px(NOTE) * 1.45) as i32;
        let q = self.quantile_labels(s, &u);
        if axes.fit_labels && ymax_data > 0.0 {
            // Label rows (placed below) must stay above 1.04 × the data maximum, where the
            // quantile lines end: grow the y range when the plot is too short for them.
            let probe = build(area, s, (x0, x1), (0.0, 1.0), axes.bottom, left)?;
            let (rows, _) = self.label_layout(root, &probe, s, &u, &q, &lts)?;
            let (_, plot_h) = probe.plotting_area().dim_in_pixel();
            let need = (rows as i32 * row_h + s.px(10.0) as i32) as f64;
            let free = f64::from(plot_h) - need;
            if free > 0.0 {
                ymax = ymax.max(ymax_data * 1.04 * f64::from(plot_h) / free);
            }
        }

        let mut chart = build(area, s, (x0, x1), (0.0, ymax), axes.bottom, left)?;
        let xf = tick_fmt(x0, x1, 10, s.lang);
        let yf = tick_fmt(0.0, ymax, if axes.fit_labels { 4 } else { 8 }, s.lang);
        mesh(&mut chart, s, &axes.x_desc, &axes.y_desc, &xf, &yf, 10)?;

        chart.draw_series(dens.iter().enumerate().map(|(k, &y)| {
            let a = vmin + k as f64 * bw;
            Rectangle::new([(a, 0.0), (a + bw, y)], bar_color(c).filled())
        }))?;

        // Draws meeting the target: the part of each histogram bar on the meeting side of the
        // target is darkened (a bar straddling the target is split at it).
        if let Some(t) = &d.target {
            let tv = t.value / u.divisor;
            chart.draw_series(dens.iter().enumerate().filter_map(|(k, &y)| {
                let (a, b) = (vmin + k as f64 * bw, vmin + (k + 1) as f64 * bw);
                let (l, r) = match t.direction {
                    super::data::Direction::LowerIsBetter => (a, b.min(tv)),
                    super::data::Direction::HigherIsBetter => (a.max(tv), b),
                };
                (r > l && y > 0.0)
                    .then(|| Rectangle::new([(l, 0.0), (r, y)], shaded_color(c).filled()))
            }))?;
        }
        if !kde.is_empty() {
            // White halo under the curve keeps it visible over dark bars (also in greyscale).
            chart.draw_series([
                PathElement::new(kde.clone(), stroke(s, &WHITE, 9.0)),
                PathElement::new(kde.clone(), stroke(s, &c, 4.5)),
            ])?;
        }

        // Data the labels must not cover: histogram bars, density curve, quantile lines (to
        // 1.04 × the data maximum) and the target line.
        let plot_area = chart.plotting_area();
        let (pw, ph) = plot_area.dim_in_pixel();
        let (ox, oy) = plot_area.get_base_pixel();
        let mut placer = Placer::new(Rect::span((ox, oy), (ox + pw as i32, oy + ph as i32)));
        placer.add_data(
            dens.iter()
                .enumerate()
                .filter(|(_, y)| **y > 0.0)
                .map(|(k, &y)| {
                    let a = vmin + k as f64 * bw;
                    Rect::span(
                        chart.backend_coord(&(a, 0.0)),
                        chart.backend_coord(&(a + bw, y)),
                    )
                }),
        );
        let kde_px: Vec<(i32, i32)> = kde.iter().map(|p| chart.backend_coord(p)).collect();
        placer.add_data(polyline_boxes(&kde_px, s.px(3.0) as i32));
        let lw = s.px(TARGET_W).max(2.0) as i32;
        for (v, _) in &q {
            let x = v / u.divisor;
            placer.add_data([Rect::span(
                chart.backend_coord(&(x, 0.0)),
                chart.backend_coord(&(x, ymax_data * 1.04)),
            )]);
        }
        let target_px = d.target.as_ref().map(|t| {
            let x = chart.backend_coord(&(t.value / u.divisor, 0.0)).0;
            (x - lw, x + lw)
        });
        if let Some((l, r)) = target_px {
            placer.add_data([Rect::span((l, oy), (r, oy + ph as i32))]);
        }

        // Quantile and target labels in rows above the data (rows assigned so labels never
        // overlap); each quantile line runs up to its label, so a label stays on its line.
        let top = chart.backend_coord(&(x0, ymax)).1;
        let (_, placed) = self.label_layout(root, &chart, s, &u, &q, &lts)?;
        let label_box = |text: &str, row: usize, cx: i32| -> PResult<Rect> {
            let w = text_width(root, text, &lts)?;
            let y = top + row_h * (row as i32) + row_h / 2 + s.px(4.0) as i32;
            Ok(Rect::centred(cx, y, w + s.px(12.0) as i32, row_h))
        };
        for ((v, _), (text, _, row, cx)) in q.iter().zip(placed.iter().filter(|p| !p.1)) {
            let x = v / u.divisor;
            let b = label_box(text, *row, *cx)?;
            let (lx, _) = chart.backend_coord(&(x, 0.0));
            super::common::dashed_pixels(
                root,
                s,
                &[(lx, chart.backend_coord(&(x, 0.0)).1), (lx, b.y1)],
                super::common::DARK_GREY,
                2.5,
                Dash { on: 10, off: 8 },
            )?;
        }
        if let Some(t) = &d.target {
            let x = t.value / u.divisor;
            dashed_line(
                root,
                &chart,
                s,
                &[(x, 0.0), (x, ymax)],
                TARGET_COLOR,
                TARGET_W,
                TARGET_DASH,
            )?;
        }
        for (text, is_target, row, cx) in placed {
            let b = label_box(&text, row, cx)?;
            placer.add_label(b);
            let ts = if is_target {
                font(s, NOTE)
            } else {
                font(s, NOTE).color(&super::common::DARK_GREY)
            };
            boxed_text(root, s, &text, b.centre(), &ts, HPos::Center)?;
        }

        // P(target met): in a free spot of the meeting side if there is one, else anywhere
        // free nearest to it (never over the bars, the curve or a line).
        if let (Some(t), Some(text)) = (&d.target, self.p_label(s)) {
            let tv = t.value / u.divisor;
            let (a, b) = match t.direction {
                super::data::Direction::LowerIsBetter => (x0, tv),
                super::data::Direction::HigherIsBetter => (tv, x1),
            };
            let pts = font(s, AXIS);
            let w = text_width(root, &text, &pts)? + s.px(12.0) as i32;
            let h = (s.text_px(AXIS) * 1.3) as i32;
            let wish = (
                (chart.backend_coord(&(a, 0.0)).0 + chart.backend_coord(&(b, 0.0)).0) / 2,
                chart.backend_coord(&(x0, ymax * 0.6)).1,
            );
            if let Some(r) = placer.place(placer.grid_near(wish, w, h)) {
                boxed_text(root, s, &text, r.centre(), &pts, HPos::Center)?;
            }
        }
        placer.finish();
        Ok(())
    }
}

/// A placed label: text, whether it is the target's, row (0 = top) and centre pixel x.
type Placed = (String, bool, usize, i32);

impl Dist<'_> {
    /// Rows and centres of the quantile and target labels on `chart`: quantiles centred on
    /// their line, the target label beside its line (right if it fits, else left) so the line
    /// stays visible; rows assigned so labels never overlap. Returns the number of rows too.
    pub(crate) fn label_layout<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &Chart<'_, DB>,
        s: &ChartStyle,
        u: &AxisUnit,
        q: &[(f64, String); 3],
        lts: &TextStyle<'_>,
    ) -> PResult<(usize, Vec<Placed>)> {
        let d = self.0;
        let (x0, x1) = {
            let r = chart.x_range();
            (r.start, r.end)
        };
        let mut labels: Vec<(i32, String, bool)> = q
            .iter()
            .map(|(v, text)| {
                (
                    chart.backend_coord(&(v / u.divisor, 0.0)).0,
                    text.clone(),
                    false,
                )
            })
            .collect();
        if let (Some(t), Some(text)) = (&d.target, self.target_label(s, u)) {
            // First, so it takes the top row and no quantile leader runs through it.
            labels.insert(
                0,
                (
                    chart.backend_coord(&(t.value / u.divisor, 0.0)).0,
                    text,
                    true,
                ),
            );
        }
        let (px0, px1) = (
            chart.backend_coord(&(x0, 0.0)).0,
            chart.backend_coord(&(x1, 0.0)).0,
        );
        let gap = s.px(12.0) as i32;
        let mut sized = Vec::new();
        for (x, text, is_target) in &labels {
            let w = text_width(root, text, lts)?;
            let cx = if *is_target {
                if x + gap + w < px1 {
                    x + gap + w / 2
                } else {
                    x - gap - w / 2
                }
            } else {
                let mut cx = *x;
                // Off the target line (it runs through the label rows), on its line's side.
                if let Some(t) = &d.target {
                    let tx = chart.backend_coord(&(t.value / u.divisor, 0.0)).0;
                    let clear = w / 2 + s.px(TARGET_W + 12.0) as i32;
                    if (cx - tx).abs() < clear {
                        cx = if *x >= tx { tx + clear } else { tx - clear };
                    }
                }
                cx.clamp(px0 + w / 2 + 4, px1 - w / 2 - 4)
            };
            sized.push((cx, w));
        }
        let rows = assign_rows(&sized, s.px(10.0) as i32);
        let n_rows = rows.iter().map(|r| r + 1).max().unwrap_or(0);
        let placed = labels
            .into_iter()
            .zip(rows)
            .zip(&sized)
            .map(|(((_, text, is_target), row), (cx, _))| (text, is_target, row, *cx))
            .collect();
        Ok((n_rows, placed))
    }
}
