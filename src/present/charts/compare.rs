//! Chart 3: scenario comparison — box-and-whisker plot and attainment-probability table.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::common::{
    AXIS, DARK_GREY, Key, LegendItem, NOTE, PResult, Painter, TICK, all_finite, build, dashed_line,
    draws_text, font, frame, label_areas, mesh, padded, page_margin, render_both, stroke, text_at,
    text_width, tick_fmt, with_unit, wrapped_centered,
};
use super::data::{AttainmentTableData, BoxCompareData};
use super::distribution::{TARGET_DASH, TARGET_W, boxed_text};
use super::style::{
    AxisUnit, ChartStyle, Lang, TARGET_COLOR, axis_unit, format_number, format_probability,
    scenario_color,
};

/// Renders the box-and-whisker comparison: whiskers P5–P95, box P25–P75, line at the median.
pub fn render_box_compare(
    data: &BoxCompareData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Boxes(data), style, stem)
}

/// Renders the attainment-probability table (rows targets, columns scenarios, "72 %" cells).
pub fn render_attainment_table(
    data: &AttainmentTableData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Table(data), style, stem)
}

pub(crate) struct Boxes<'a>(pub(crate) &'a BoxCompareData);

impl Boxes<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{} {} 年情景比较（{} 个情景，每情景 {}）",
                s.t(&d.indicator),
                d.year,
                d.boxes.len(),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{} in {} by scenario ({} scenarios, {} each)",
                s.t(&d.indicator),
                d.year,
                d.boxes.len(),
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let d = self.0;
        let mut m = d
            .boxes
            .iter()
            .map(|b| b.stats.p95.abs().max(b.stats.p5.abs()))
            .fold(0.0, f64::max);
        if let Some(t) = &d.target {
            m = m.max(t.value.abs());
        }
        axis_unit(&d.unit, s.lang, m)
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let mut v = vec![
            LegendItem {
                key: Key::Fill(DARK_GREY.mix(0.35)),
                label: s.tr("箱体：P25–P75", "Box: P25–P75").to_string(),
            },
            LegendItem {
                key: Key::Line(BLACK, 5.0, super::style::Dash { on: 0, off: 0 }),
                label: s.tr("中位数", "Median").to_string(),
            },
            LegendItem {
                key: Key::Line(DARK_GREY, 3.0, super::style::Dash { on: 0, off: 0 }),
                label: s.tr("须线：P5–P95", "Whiskers: P5–P95").to_string(),
            },
        ];
        // The target's value goes in the legend: any in-plot label could cover a whisker.
        if let Some(text) = self.target_label(s, &self.unit(s)) {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: text,
            });
        }
        v
    }

    fn target_label(&self, s: &ChartStyle, u: &AxisUnit) -> Option<String> {
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
}

impl Painter for Boxes<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        if d.boxes.is_empty() {
            return Err("no scenarios".to_string());
        }
        for b in &d.boxes {
            let st = &b.stats;
            all_finite(
                "box statistics",
                [st.p5, st.p25, st.median, st.p75, st.p95].iter(),
            )?;
            if !(st.p5 <= st.p25 && st.p25 <= st.median && st.median <= st.p75 && st.p75 <= st.p95)
            {
                return Err(format!(
                    "quantiles of {:?} are not ordered P5 ≤ P25 ≤ median ≤ P75 ≤ P95",
                    b.scenario.label.en
                ));
            }
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![
            self.title(s),
            s.tr("情景", "Scenario").to_string(),
            with_unit(s, s.t(&self.0.indicator), &u),
        ];
        v.extend(
            self.0
                .boxes
                .iter()
                .map(|b| s.t(&b.scenario.label).to_string()),
        );
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v.extend(self.target_label(s, &u));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let n = d.boxes.len();
        let mut lo = d
            .boxes
            .iter()
            .map(|b| b.stats.p5)
            .fold(f64::INFINITY, f64::min);
        let mut hi = d
            .boxes
            .iter()
            .map(|b| b.stats.p95)
            .fold(f64::NEG_INFINITY, f64::max);
        if let Some(t) = &d.target {
            lo = lo.min(t.value);
            hi = hi.max(t.value);
        }
        let (y0, y1) = padded(lo / u.divisor, hi / u.divisor, 0.1);
        let (_, left) = label_areas(s);
        // Category labels may wrap to two lines.
        let bottom = (s.text_px(TICK) * 2.6 + s.text_px(AXIS) * 1.9 + s.px(16.0)) as u32;
        let mut chart = build(&area, s, (-0.5, n as f64 - 0.5), (y0, y1), bottom, left)?;
        let yf = tick_fmt(y0, y1, 8, s.lang);
        let xf = |_: &f64| String::new();
        mesh(
            &mut chart,
            s,
            s.tr("情景", "Scenario"),
            &with_unit(s, s.t(&d.indicator), &u),
            &xf,
            &yf,
            0,
        )?;
        let slot = chart.backend_coord(&(1.0, y0)).0 - chart.backend_coord(&(0.0, y0)).0;
        let tts = font(s, TICK);
        for (i, b) in d.boxes.iter().enumerate() {
            let x = i as f64;
            let c = scenario_color(b.scenario.order);
            let st = b.stats;
            let sc = |v: f64| v / u.divisor;
            let hw = 0.28;
            let cap = 0.12;
            let wl = stroke(s, &DARK_GREY, 3.0);
            chart.draw_series([
                PathElement::new(vec![(x, sc(st.p5)), (x, sc(st.p25))], wl),
                PathElement::new(vec![(x, sc(st.p75)), (x, sc(st.p95))], wl),
                PathElement::new(vec![(x - cap, sc(st.p5)), (x + cap, sc(st.p5))], wl),
                PathElement::new(vec![(x - cap, sc(st.p95)), (x + cap, sc(st.p95))], wl),
            ])?;
            chart.draw_series([
                Rectangle::new(
                    [(x - hw, sc(st.p25)), (x + hw, sc(st.p75))],
                    c.mix(0.75).filled(),
                ),
                Rectangle::new(
                    [(x - hw, sc(st.p25)), (x + hw, sc(st.p75))],
                    stroke(s, &BLACK, 2.5),
                ),
            ])?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x - hw, sc(st.median)), (x + hw, sc(st.median))],
                stroke(s, &BLACK, 5.0),
            )))?;
            // Median value beside the box, category name under the axis.
            let mp = chart.backend_coord(&(x + hw, sc(st.median)));
            let v = sc(st.median);
            boxed_text(
                root,
                s,
                &format_number(v, u.decimals(v), s.lang),
                (mp.0 + s.px(10.0) as i32, mp.1),
                &font(s, NOTE),
                HPos::Left,
            )?;
            let bp = chart.backend_coord(&(x, y0));
            wrapped_centered(
                root,
                s.t(&b.scenario.label),
                bp.0,
                bp.1 + s.px(14.0) as i32,
                (slot as f64 * 0.92) as i32,
                &tts,
            )?;
        }
        if let Some(t) = &d.target {
            let tv = t.value / u.divisor;
            dashed_line(
                root,
                &chart,
                s,
                &[(-0.5, tv), (n as f64 - 0.5, tv)],
                TARGET_COLOR,
                TARGET_W,
                TARGET_DASH,
            )?;
        }
        Ok(())
    }
}

pub(crate) struct Table<'a>(pub(crate) &'a AttainmentTableData);

/// Classes of the attainment colour scale: 10 % each.
pub(crate) const PROB_CLASSES: u32 = 10;

/// The colour of the 10 % class `p` falls in (100 % is in the top class). The ten colours span
/// the whole ramp, so the lowest is its near-white start, apart from the grey of "no target".
/// Classes instead of a continuous ramp: the cells print the probability, and ten shades with
/// their antialiased numbers (15 blends each) keep any table within a 256-colour palette PNG (a
/// continuous ramp made the table the one chart painted at two bytes per pixel and written as
/// RGB). The classes also read as likelihood words: "very likely" (≥ 90 %) is the top one.
pub(crate) fn prob_class_color(p: f64) -> RGBColor {
    let k = (p.clamp(0.0, 1.0) * f64::from(PROB_CLASSES))
        .floor()
        .min(f64::from(PROB_CLASSES - 1));
    prob_color(k / f64::from(PROB_CLASSES - 1))
}

/// Sequential blue ramp (ColorBrewer "Blues" ends); lightness falls monotonically with p, so
/// the scale reads in greyscale too.
pub(crate) fn prob_color(p: f64) -> RGBColor {
    let (a, b) = ((0xF7, 0xFB, 0xFF), (0x08, 0x30, 0x6B));
    let t = p.clamp(0.0, 1.0);
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

impl Table<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            // Each row names its own target year (a comparison may mix 2025 and 2030 targets).
            Lang::Zh => format!(
                "目标达标概率：{} 项目标 × {} 个情景，每情景 {}（各目标按其目标年份评估）",
                d.targets.len(),
                d.scenarios.len(),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "Probability of meeting each target (each in its own year): {} targets × {} scenarios, {} each",
                d.targets.len(),
                d.scenarios.len(),
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn scale_label(&self, s: &ChartStyle) -> String {
        s.tr("P(达标)（%）", "P(target met) (%)").to_string()
    }
}

impl Painter for Table<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        if d.targets.is_empty() || d.scenarios.is_empty() {
            return Err("table needs at least one target and one scenario".to_string());
        }
        if d.probabilities.len() != d.targets.len() {
            return Err(format!(
                "{} probability rows for {} targets",
                d.probabilities.len(),
                d.targets.len()
            ));
        }
        for (i, row) in d.probabilities.iter().enumerate() {
            if row.len() != d.scenarios.len() {
                return Err(format!(
                    "row {i} has {} cells for {} scenarios",
                    row.len(),
                    d.scenarios.len()
                ));
            }
            if let Some(p) = row
                .iter()
                .find(|p| !p.is_nan() && !(0.0..=1.0).contains(*p))
            {
                return Err(format!("probability {p} in row {i} outside 0..=1"));
            }
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let d = self.0;
        let mut v = vec![
            self.title(s),
            self.scale_label(s),
            s.tr("目标", "Target").to_string(),
        ];
        v.extend(d.targets.iter().map(|t| s.t(t).to_string()));
        v.extend(d.scenarios.iter().map(|t| s.t(&t.label).to_string()));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let area = frame(root, s, &self.title(s), &[])?;
        let (w, h) = area.dim_in_pixel();
        let (ox, oy) = area.get_base_pixel();
        let m = page_margin(s);
        let tts = font(s, TICK);
        let cts = font(s, AXIS);
        // Row-label column as wide as the widest label (capped at 40 % of the width).
        let mut label_w = text_width(root, s.tr("目标", "Target"), &tts)?;
        for t in &d.targets {
            label_w = label_w.max(text_width(root, s.t(t), &tts)?);
        }
        let label_w = (label_w + s.px(30.0) as i32).min((w as f64 * 0.4) as i32);
        // Scale column wide enough for its title, which is right-aligned to the page margin.
        let scale_title_w = text_width(root, &self.scale_label(s), &tts)?;
        let scale_w = (s.px(260.0) as i32).max(scale_title_w + s.px(50.0) as i32);
        let x_cells = ox + m + label_w;
        let cells_w = w as i32 - 2 * m - label_w - scale_w;
        let ncol = d.scenarios.len() as i32;
        let nrow = d.targets.len() as i32;
        let col_w = cells_w / ncol;
        let head_h = (s.text_px(TICK) * 3.0) as i32;
        let y_cells = oy + s.px(10.0) as i32 + head_h;
        let row_h = ((h as i32 - head_h - s.px(40.0) as i32) / nrow).min(s.px(230.0) as i32);

        text_at(
            root,
            s.tr("目标", "Target"),
            (ox + m, y_cells - s.px(12.0) as i32),
            &tts.clone().color(&DARK_GREY),
            HPos::Left,
            VPos::Bottom,
        )?;
        for (j, sc) in d.scenarios.iter().enumerate() {
            let cx = x_cells + col_w * j as i32 + col_w / 2;
            // Header: scenario name (wrapped), bottom-aligned above the cells.
            let lines = super::common::wrap(root, s.t(&sc.label), &tts, col_w - s.px(12.0) as i32)?;
            let lh = (s.text_px(TICK) * 1.25) as i32;
            let top = y_cells - s.px(12.0) as i32 - lh * lines.len() as i32;
            for (k, line) in lines.iter().enumerate() {
                text_at(
                    root,
                    line,
                    (cx, top + lh * k as i32),
                    &tts,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            // Colour swatch tying the column to the scenario colour used elsewhere.
            let sw = s.px(8.0) as i32;
            root.draw(&Rectangle::new(
                [
                    (cx - col_w / 2 + sw, y_cells - sw),
                    (cx + col_w / 2 - sw, y_cells - 2),
                ],
                scenario_color(sc.order).filled(),
            ))?;
        }
        for (i, t) in d.targets.iter().enumerate() {
            let y = y_cells + row_h * i as i32;
            let lines = super::common::wrap(root, s.t(t), &tts, label_w - s.px(20.0) as i32)?;
            let lh = (s.text_px(TICK) * 1.25) as i32;
            let start = y + row_h / 2 - lh * (lines.len() as i32) / 2 + lh / 2;
            for (k, line) in lines.iter().enumerate() {
                text_at(
                    root,
                    line,
                    (ox + m, start + lh * k as i32),
                    &tts,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
            for j in 0..d.scenarios.len() {
                let p = d.probabilities[i][j];
                let x = x_cells + col_w * j as i32;
                let rect = [(x, y), (x + col_w, y + row_h)];
                if p.is_nan() {
                    root.draw(&Rectangle::new(rect, RGBColor(0xEE, 0xEE, 0xEE).filled()))?;
                } else {
                    root.draw(&Rectangle::new(rect, prob_class_color(p).filled()))?;
                }
                root.draw(&Rectangle::new(rect, stroke(s, &WHITE, 4.0)))?;
                let tc = if !p.is_nan() && p > 0.5 { WHITE } else { BLACK };
                text_at(
                    root,
                    &format_probability(p),
                    (x + col_w / 2, y + row_h / 2),
                    &cts.clone().color(&tc),
                    HPos::Center,
                    VPos::Center,
                )?;
            }
        }
        // Colour scale: the ten classes, ticks at 0 / 50 / 100 %.
        let sx = x_cells + cells_w + s.px(70.0) as i32;
        let bar_w = s.px(44.0) as i32;
        let bar_h = (row_h * nrow)
            .max(s.px(300.0) as i32)
            .min(h as i32 - head_h);
        let steps = PROB_CLASSES;
        for k in 0..steps {
            let p0 = f64::from(k) / f64::from(steps);
            let ya = y_cells + bar_h - (bar_h as f64 * f64::from(k + 1) / f64::from(steps)) as i32;
            let yb = y_cells + bar_h - (bar_h as f64 * p0) as i32;
            root.draw(&Rectangle::new(
                [(sx, ya), (sx + bar_w, yb)],
                prob_class_color(p0).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(sx, y_cells), (sx + bar_w, y_cells + bar_h)],
            stroke(s, &DARK_GREY, 1.5),
        ))?;
        for p in [0.0, 0.5, 1.0] {
            let y = y_cells + bar_h - (bar_h as f64 * p) as i32;
            text_at(
                root,
                &format_probability(p),
                (sx + bar_w + s.px(10.0) as i32, y),
                &tts,
                HPos::Left,
                VPos::Center,
            )?;
        }
        text_at(
            root,
            &self.scale_label(s),
            (ox + w as i32 - m, y_cells - s.px(30.0) as i32),
            &tts.clone().color(&DARK_GREY),
            HPos::Right,
            VPos::Bottom,
        )?;
        Ok(())
    }
}
