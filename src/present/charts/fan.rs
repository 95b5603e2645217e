//! Chart 2: fan chart (median, 50 % and 90 % bands) of an indicator over the years.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::ChartError;
use super::common::{
    DARK_GREY, Key, LegendItem, NOTE, PResult, Painter, all_finite, dashed_line, draws_text, font,
    frame, marker_px, padded, render_both, text_width, with_unit, year_chart,
};
use super::data::{FanData, FanLayout, FanSeries};
use super::distribution::{TARGET_DASH, TARGET_W, boxed_text};
use super::place::{Placer, Rect, polyline_boxes};
use super::style::{
    AxisUnit, ChartStyle, Dash, Lang, Marker, TARGET_COLOR, axis_unit, format_number,
    scenario_color, scenario_dash, scenario_marker,
};

/// Renders the fan chart of `data` (overlay or one panel per scenario).
pub fn render_fan(
    data: &FanData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Fan(data), style, stem)
}

pub(crate) struct Fan<'a>(pub(crate) &'a FanData);

const BAND90: f64 = 0.13;
const BAND50: f64 = 0.30;

impl Fan<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        let (y0, y1) = self.year_span();
        let names: Vec<&str> = d.series.iter().map(|x| s.t(&x.scenario.label)).collect();
        // More than two scenario names do not fit on one title line (each panel and the legend
        // name them anyway).
        let sc = if names.len() > 2 {
            match s.lang {
                Lang::Zh => format!("{} 个", names.len()),
                Lang::En => format!("{} (see panels)", names.len()),
            }
        } else {
            names.join(s.tr("、", ", "))
        };
        match s.lang {
            Lang::Zh => format!(
                "{} {}–{} 年路径（中位数与 50 %/90 % 区间）· 情景：{} · 每情景 {}",
                s.t(&d.indicator),
                y0,
                y1,
                sc,
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{}, {}–{}: median with 50 %/90 % bands · scenarios: {} · {} each",
                s.t(&d.indicator),
                y0,
                y1,
                sc,
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn year_span(&self) -> (i32, i32) {
        let d = self.0;
        let mut lo = d.base_year;
        let mut hi = d.base_year;
        for sr in &d.series {
            for &y in &sr.years {
                lo = lo.min(y);
                hi = hi.max(y);
            }
        }
        if let Some(t) = &d.target {
            lo = lo.min(t.year);
            hi = hi.max(t.year);
        }
        (lo, hi)
    }

    fn value_range(&self) -> (f64, f64) {
        let d = self.0;
        let mut lo = d.base_value;
        let mut hi = d.base_value;
        for sr in &d.series {
            for v in sr.p5.iter().chain(&sr.p95).chain(&sr.p50) {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        if let Some(t) = &d.target {
            lo = lo.min(t.target.value);
            hi = hi.max(t.target.value);
        }
        (lo, hi)
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let (lo, hi) = self.value_range();
        axis_unit(&self.0.unit, s.lang, lo.abs().max(hi.abs()))
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let d = self.0;
        let mut v = Vec::new();
        for sr in &d.series {
            let o = sr.scenario.order;
            v.push(LegendItem {
                key: Key::LineMarker(scenario_color(o), 4.0, scenario_dash(o), scenario_marker(o)),
                label: format!(
                    "{}{}",
                    s.t(&sr.scenario.label),
                    s.tr("（中位数）", " (median)")
                ),
            });
        }
        let band_c = if d.series.len() == 1 || d.layout == FanLayout::Panels {
            d.series
                .first()
                .map(|x| scenario_color(x.scenario.order))
                .unwrap_or(DARK_GREY)
        } else {
            DARK_GREY
        };
        v.push(LegendItem {
            key: Key::Fill(band_c.mix(BAND50 + BAND90)),
            label: s
                .tr("50 % 区间（P25–P75）", "50 % band (P25–P75)")
                .to_string(),
        });
        v.push(LegendItem {
            key: Key::Fill(band_c.mix(BAND90)),
            label: s
                .tr("90 % 区间（P5–P95）", "90 % band (P5–P95)")
                .to_string(),
        });
        v.push(LegendItem {
            key: Key::Marker(TARGET_COLOR, Marker::Circle),
            label: format!(
                "{} {}",
                d.base_year,
                s.tr(
                    "基年值（抽样均值，非统计实际值）",
                    "base-year value (mean of the draws)"
                )
            ),
        });
        if let Some(t) = &d.target {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: s.t(&t.target.label).to_string(),
            });
        }
        v
    }

    /// "2020 0 %", "2020 1,234 万吨 CO₂": the base-year value with its unit, like the target's
    /// label (a change indicator is exactly 0 in the base year, shown without decimals). Panels
    /// are too narrow for the unit, which their shared y-axis title states: "2020 1,234".
    fn base_label(&self, s: &ChartStyle, u: &AxisUnit) -> String {
        let v = self.0.base_value / u.divisor;
        let dec = if v == 0.0 { 0 } else { u.decimals(v) };
        let value = format_number(v, dec, s.lang);
        match self.0.layout {
            FanLayout::Overlay => format!("{} {} {}", self.0.base_year, value, u.text),
            FanLayout::Panels => format!("{} {}", self.0.base_year, value),
        }
    }

    fn target_label(&self, s: &ChartStyle, u: &AxisUnit) -> Option<String> {
        self.0.target.as_ref().map(|t| {
            let v = t.target.value / u.divisor;
            format!(
                "{} {} {}",
                s.t(&t.target.label),
                format_number(v, u.decimals(v), s.lang),
                u.text
            )
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        s: &ChartStyle,
        series: &[&FanSeries],
        u: &AxisUnit,
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
        x_ticks: usize,
        full: bool,
    ) -> PResult {
        let d = self.0;
        // Panels after the first column share the first column's y title (same axis).
        let y_title = full.then(|| with_unit(s, s.t(&d.indicator), u));
        let chart = year_chart(area, s, (x0, x1), (y0, y1), y_title.as_deref(), x_ticks)?;
        let sc = |v: &f64| v / u.divisor;
        // Many overlaid fans: lighter bands so the medians stay readable.
        let fade = if series.len() >= 3 { 0.6 } else { 1.0 };
        for sr in series {
            let c = scenario_color(sr.scenario.order);
            let xs: Vec<f64> = sr.years.iter().map(|&y| f64::from(y)).collect();
            for (lo, hi, a) in [
                (&sr.p5, &sr.p95, BAND90 * fade),
                (&sr.p25, &sr.p75, BAND50 * fade),
            ] {
                let top: Vec<f64> = hi.iter().map(sc).collect();
                let bot: Vec<f64> = lo.iter().map(sc).collect();
                super::common::fill_between(root, &chart, &xs, &top, &bot, c.mix(a))?;
            }
        }
        let plot_area = chart.plotting_area();
        let (pw, ph) = plot_area.dim_in_pixel();
        let (ox, oy) = plot_area.get_base_pixel();
        let mut placer = Placer::new(Rect::span((ox, oy), (ox + pw as i32, oy + ph as i32)));
        let pad = s.px(4.0) as i32;
        let mr = s.px(14.0) as i32;
        // The bands as data: between two years, the box from the higher P95 to the lower P5.
        for sr in series {
            for k in 1..sr.years.len().min(sr.p5.len()).min(sr.p95.len()) {
                let a = chart.backend_coord(&(f64::from(sr.years[k - 1]), sc(&sr.p95[k - 1])));
                let b = chart.backend_coord(&(f64::from(sr.years[k]), sc(&sr.p95[k])));
                let c = chart.backend_coord(&(f64::from(sr.years[k - 1]), sc(&sr.p5[k - 1])));
                let e = chart.backend_coord(&(f64::from(sr.years[k]), sc(&sr.p5[k])));
                placer.add_data([Rect::span(
                    (a.0, a.1.min(b.1).min(c.1).min(e.1)),
                    (b.0, a.1.max(b.1).max(c.1).max(e.1)),
                )]);
            }
        }
        for sr in series {
            let o = sr.scenario.order;
            let c = scenario_color(o);
            let pts: Vec<(f64, f64)> = sr
                .years
                .iter()
                .zip(sr.p50.iter())
                .map(|(y, v)| (f64::from(*y), sc(v)))
                .collect();
            dashed_line(root, &chart, s, &pts, c, 4.5, scenario_dash(o))?;
            let px: Vec<(i32, i32)> = pts.iter().map(|p| chart.backend_coord(p)).collect();
            placer.add_data(polyline_boxes(&px, pad));
            if let Some(&last) = px.last() {
                marker_px(root, s, scenario_marker(o), c, last)?;
                placer.add_data([Rect::centred(last.0, last.1, 2 * mr, 2 * mr)]);
            }
        }
        let nts = font(s, NOTE);
        let h = (s.text_px(NOTE) * 1.4) as i32;
        let gap = s.px(18.0) as i32;
        // Target: short thick dashed bar and cross at (year, value), registered before the
        // labels so neither label covers it.
        let target = match (&d.target, self.target_label(s, u)) {
            (Some(t), Some(text)) => {
                let (tx, tv) = (f64::from(t.year), t.target.value / u.divisor);
                dashed_line(
                    root,
                    &chart,
                    s,
                    &[(tx - 0.6, tv), (tx + 0.6, tv)],
                    TARGET_COLOR,
                    TARGET_W,
                    Dash { on: 14, off: 8 },
                )?;
                let tp = chart.backend_coord(&(tx, tv));
                marker_px(root, s, Marker::Cross, TARGET_COLOR, tp)?;
                let l = chart.backend_coord(&(tx - 0.6, tv));
                let r = chart.backend_coord(&(tx + 0.6, tv));
                placer.add_data([
                    Rect::span((l.0, l.1 - pad), (r.0, r.1 + pad)),
                    Rect::centred(tp.0, tp.1, 2 * mr, 2 * mr),
                ]);
                Some((tp, text))
            }
            _ => None,
        };
        // Base-year marker and its label: right of the marker above or below the bands, else
        // the free spot nearest to it.
        let by = f64::from(d.base_year);
        let bv = d.base_value / u.divisor;
        let bp = chart.backend_coord(&(by, bv));
        marker_px(root, s, Marker::Circle, TARGET_COLOR, bp)?;
        placer.add_data([Rect::centred(bp.0, bp.1, 2 * mr, 2 * mr)]);
        let label = self.base_label(s, u);
        let w = text_width(root, &label, &nts)? + s.px(12.0) as i32;
        let mut cands = Vec::new();
        for dy in [-2, 2, -4, 4, -6, 6, -9, 9] {
            cands.push(Rect::left_at(bp.0 + gap, bp.1 + dy * h / 2, w, h));
        }
        cands.extend(placer.grid_near((bp.0 + gap + w / 2, bp.1), w, h));
        place_boxed(root, s, &mut placer, cands, &label, &nts)?;
        // The target's label, left of the mark first (panels are too narrow for it: they rely
        // on the legend).
        if let (Some((tp, text)), FanLayout::Overlay) = (target, d.layout) {
            let w = text_width(root, &text, &nts)? + s.px(12.0) as i32;
            let mut cands = Vec::new();
            for dy in [-2, 2, -4, 4, -6, 6] {
                let cy = tp.1 + dy * h / 2;
                cands.push(Rect::left_at(tp.0 - gap * 3 - w, cy, w, h));
                cands.push(Rect::left_at(tp.0 + gap * 3, cy, w, h));
            }
            cands.extend(placer.grid_near((tp.0 - gap * 3 - w / 2, tp.1 - gap * 2), w, h));
            place_boxed(root, s, &mut placer, cands, &text, &nts)?;
        }
        placer.finish();
        Ok(())
    }
}

impl Painter for Fan<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        if d.series.is_empty() {
            return Err("no scenario series".to_string());
        }
        all_finite("base value", [d.base_value].iter())?;
        for sr in &d.series {
            let n = sr.years.len();
            if n < 2 {
                return Err(format!(
                    "series {:?} has fewer than two years",
                    sr.scenario.label.en
                ));
            }
            for (name, v) in [
                ("p5", &sr.p5),
                ("p25", &sr.p25),
                ("p50", &sr.p50),
                ("p75", &sr.p75),
                ("p95", &sr.p95),
            ] {
                if v.len() != n {
                    return Err(format!(
                        "series {:?}: {name} has {} values for {n} years",
                        sr.scenario.label.en,
                        v.len()
                    ));
                }
                all_finite(name, v.iter())?;
            }
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![
            self.title(s),
            s.tr("年份", "Year").to_string(),
            with_unit(s, s.t(&self.0.indicator), &u),
            self.base_label(s, &u),
        ];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v.extend(self.target_label(s, &u));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let (ya, yb) = self.year_span();
        let (x0, x1) = (f64::from(ya) - 0.5, f64::from(yb) + 0.8);
        let (lo, hi) = self.value_range();
        let (y0, y1) = padded(lo / u.divisor, hi / u.divisor, 0.08);
        let all: Vec<&FanSeries> = d.series.iter().collect();
        match d.layout {
            FanLayout::Overlay => self.panel(
                root,
                &area,
                s,
                &all,
                &u,
                (x0, x1),
                (y0, y1),
                (yb - ya + 1) as usize,
                true,
            ),
            FanLayout::Panels => {
                let n = all.len();
                let cols = match n {
                    1 => 1,
                    2 | 4 => 2,
                    _ => 3,
                };
                let rows = n.div_ceil(cols);
                let cells = area.split_evenly((rows, cols));
                let ts = font(s, super::common::AXIS);
                for (k, (sr, cell)) in all.iter().zip(cells.iter()).enumerate() {
                    let head = (s.text_px(super::common::AXIS) * 1.5) as i32;
                    let (top, body) = cell.split_vertically(head);
                    let (cw, _) = top.dim_in_pixel();
                    let (ox, oy) = top.get_base_pixel();
                    // Centred over its panel, but never past the image's left margin.
                    let tw = super::common::text_width(root, s.t(&sr.scenario.label), &ts)?;
                    let cx = (ox + (cw as i32) / 2).max(super::common::page_margin(s) + tw / 2);
                    super::common::text_at(
                        root,
                        s.t(&sr.scenario.label),
                        (cx, oy + head / 2),
                        &ts,
                        HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    )?;
                    let ticks = if cols >= 3 { 6 } else { 8 };
                    let first_col = k % cols == 0;
                    self.panel(
                        root,
                        &body,
                        s,
                        &[*sr],
                        &u,
                        (x0, x1),
                        (y0, y1),
                        ticks,
                        first_col,
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// Draws `text` in a white box at the first free candidate; when none is free, at the first
/// candidate anyway (it is recorded, so the placement test sees the overlap).
fn place_boxed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartStyle,
    placer: &mut Placer,
    cands: Vec<Rect>,
    text: &str,
    ts: &TextStyle,
) -> PResult {
    let first = cands.first().copied();
    let r = match placer.place(cands) {
        Some(r) => r,
        None => match first {
            Some(r) => {
                placer.add_label(r);
                r
            }
            None => return Ok(()),
        },
    };
    boxed_text(root, s, text, r.centre(), ts, HPos::Center)
}
