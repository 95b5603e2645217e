//! Chart 6: tornado chart of sensitivities and waterfall chart of an LMDI decomposition.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::common::{
    AXIS, DARK_GREY, Key, LegendItem, NOTE, PResult, Painter, TICK, all_finite, build, dashed_line,
    draws_text, font, frame, label_areas, mesh, render_both, stroke, text_at, text_width, tick_fmt,
    with_unit, wrap, wrapped_centered,
};
use super::data::{Effect, TornadoData, WaterfallData};
use super::style::{
    AxisUnit, ChartStyle, Dash, Lang, OKABE_ITO, axis_unit, decimals_for_step, format_number,
    format_signed,
};

/// Bars that raise the indicator (orange) and lower it (blue): differ in hue and lightness.
const UP: RGBColor = OKABE_ITO[1];
const DOWN: RGBColor = OKABE_ITO[0];
/// Start/end bars of a waterfall: light grey with a black outline.
const TOTAL: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);

/// Renders the tornado chart of `data` (bars sorted by |effect|, largest on top).
pub fn render_tornado(
    data: &TornadoData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Tornado(data), style, stem)
}

/// Renders the waterfall chart of `data` (start bar, signed effects, end bar).
pub fn render_waterfall(
    data: &WaterfallData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Waterfall(data), style, stem)
}

fn sign_legend(s: &ChartStyle) -> Vec<LegendItem> {
    vec![
        LegendItem {
            key: Key::Fill(UP.to_rgba()),
            label: s.tr("使指标升高", "Raises the indicator").to_string(),
        },
        LegendItem {
            key: Key::Fill(DOWN.to_rgba()),
            label: s.tr("使指标降低", "Lowers the indicator").to_string(),
        },
    ]
}

pub(crate) struct Tornado<'a>(pub(crate) &'a TornadoData);

impl Tornado<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{} {} 年对各输入的敏感性（{}）· 情景：{} · {}",
                s.t(&d.indicator),
                d.year,
                s.t(&d.measure),
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "Sensitivity of {} in {} to inputs ({}) · scenario: {} · {}",
                s.t(&d.indicator),
                d.year,
                s.t(&d.measure),
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn sorted(&self) -> Vec<&Effect> {
        let mut v: Vec<&Effect> = self.0.effects.iter().collect();
        v.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
        v
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let m = self
            .0
            .effects
            .iter()
            .fold(0.0_f64, |a, e| a.max(e.value.abs()));
        axis_unit(&self.0.unit, s.lang, m)
    }
}

impl Painter for Tornado<'_> {
    fn validate(&self) -> Result<(), String> {
        if self.0.effects.is_empty() {
            return Err("no effects".to_string());
        }
        all_finite("effects", self.0.effects.iter().map(|e| &e.value))
    }

    /// Taller than the style when the rows need it: each input takes up to two lines of its
    /// name and one of its id (up to the page or slide height).
    fn size(&self, s: &ChartStyle) -> (u32, u32) {
        let with_ids = self.0.effects.iter().any(|e| !e.id.is_empty());
        let lines = if with_ids { 3.0 } else { 2.0 };
        let row = s.text_px(TICK) * 1.2 * lines + s.px(12.0);
        let head = s.text_px(super::common::TITLE) * 3.0 + s.text_px(super::common::LEGEND) * 2.0;
        let need = head
            + row * self.0.effects.len() as f64
            + f64::from(label_areas(s).0)
            + f64::from(super::common::footer_height(s, 2))
            + s.px(60.0);
        let h = (need.ceil() as u32)
            .max(s.height)
            .min(s.max_height.max(s.height));
        (s.width, h)
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![self.title(s), with_unit(s, s.t(&self.0.measure), &u)];
        v.extend(self.0.effects.iter().map(|e| s.t(&e.label).to_string()));
        v.extend(self.0.effects.iter().map(|e| e.id.clone()));
        v.extend(sign_legend(s).into_iter().map(|l| l.label));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &sign_legend(s))?;
        let bars = self.sorted();
        let n = bars.len();
        let m = bars.iter().fold(0.0_f64, |a, e| a.max(e.value.abs())) / u.divisor;
        let m = if m > 0.0 { m } else { 1.0 };
        let (x0, x1) = (-m * 1.22, m * 1.22);
        let tts = font(s, TICK);
        let (w, _) = area.dim_in_pixel();
        let mut lw = 0;
        let ids = font(s, NOTE).color(&super::common::DARK_GREY);
        for e in &bars {
            lw = lw.max(text_width(root, s.t(&e.label), &tts)?);
            lw = lw.max(text_width(root, &e.id, &ids)?);
        }
        let left = ((lw + s.px(30.0) as i32) as u32).min((f64::from(w) * 0.38) as u32);
        let (bottom, _) = label_areas(s);
        let mut chart = build(&area, s, (x0, x1), (-0.5, n as f64 - 0.5), bottom, left)?;
        let xf = tick_fmt(x0, x1, 10, s.lang);
        let yf = |_: &f64| String::new();
        mesh(
            &mut chart,
            s,
            &with_unit(s, s.t(&d.measure), &u),
            "",
            &xf,
            &yf,
            10,
        )?;
        let nts = font(s, NOTE);
        let dec = decimals_for_step(m / 10.0);
        for (i, e) in bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let v = e.value / u.divisor;
            let c = if v >= 0.0 { UP } else { DOWN };
            let h = 0.34;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - h), (v, y + h)],
                c.filled(),
            )))?;
            let p = chart.backend_coord(&(v, y));
            let gap = s.px(10.0) as i32;
            let (x, hp) = if v >= 0.0 {
                (p.0 + gap, HPos::Left)
            } else {
                (p.0 - gap, HPos::Right)
            };
            text_at(
                root,
                &format_signed(v, dec.min(4), s.lang),
                (x, p.1),
                &nts,
                hp,
                VPos::Center,
            )?;
            // Parameter name right-aligned left of the axis, wrapped if needed.
            let ax = chart.backend_coord(&(x0, y));
            // The human name, then the internal id in small grey type.
            let mut lines: Vec<(String, &TextStyle<'_>)> =
                wrap(root, s.t(&e.label), &tts, left as i32 - s.px(30.0) as i32)?
                    .into_iter()
                    .take(2)
                    .map(|l| (l, &tts))
                    .collect();
            if !e.id.is_empty() && e.id != s.t(&e.label) {
                lines.push((e.id.clone(), &ids));
            }
            let lh = (s.text_px(TICK) * 1.2) as i32;
            let start = ax.1 - lh * (lines.len() as i32 - 1) / 2;
            for (k, (line, ts)) in lines.iter().enumerate() {
                text_at(
                    root,
                    line,
                    (ax.0 - s.px(14.0) as i32, start + lh * k as i32),
                    ts,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
        }
        dashed_line(
            root,
            &chart,
            s,
            &[(0.0, -0.5), (0.0, n as f64 - 0.5)],
            BLACK,
            3.0,
            Dash { on: 0, off: 0 },
        )?;
        Ok(())
    }
}

pub(crate) struct Waterfall<'a>(pub(crate) &'a WaterfallData);

/// " · 10,000 次抽样" for a Monte Carlo decomposition, nothing for a deterministic one.
fn draws_suffix(s: &ChartStyle, n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" · {}", draws_text(s, n))
    }
}

impl Waterfall<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{}变化的 LMDI 因素分解：{} → {} · 情景：{}{}",
                s.t(&d.indicator),
                s.t(&d.start_label),
                s.t(&d.end_label),
                s.t(&d.scenario.label),
                draws_suffix(s, d.n_draws)
            ),
            Lang::En => format!(
                "LMDI decomposition of the change in {}: {} → {} · scenario: {}{}",
                s.t(&d.indicator),
                s.t(&d.start_label),
                s.t(&d.end_label),
                s.t(&d.scenario.label),
                draws_suffix(s, d.n_draws)
            ),
        }
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let d = self.0;
        axis_unit(&d.unit, s.lang, d.start_value.abs().max(d.end_value.abs()))
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let mut v = vec![LegendItem {
            key: Key::Fill(TOTAL.to_rgba()),
            label: s.tr("起点与终点值", "Start and end values").to_string(),
        }];
        v.extend(sign_legend(s));
        v
    }
}

impl Painter for Waterfall<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        all_finite("start/end", [d.start_value, d.end_value].iter())?;
        all_finite("effects", d.effects.iter().map(|e| &e.value))
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let d = self.0;
        let u = self.unit(s);
        let mut v = vec![
            self.title(s),
            with_unit(s, s.t(&d.indicator), &u),
            s.tr("因素", "Factor").to_string(),
            s.t(&d.start_label).to_string(),
            s.t(&d.end_label).to_string(),
        ];
        v.extend(d.effects.iter().map(|e| s.t(&e.label).to_string()));
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let n = d.effects.len() + 2;
        let sc = |v: f64| v / u.divisor;
        // Running totals.
        let mut run = sc(d.start_value);
        let mut spans = vec![(0.0, run)];
        for e in &d.effects {
            let next = run + sc(e.value);
            spans.push((run, next));
            run = next;
        }
        spans.push((0.0, sc(d.end_value)));
        let lo = spans
            .iter()
            .flat_map(|p| [p.0, p.1])
            .fold(0.0_f64, f64::min);
        let hi = spans
            .iter()
            .flat_map(|p| [p.0, p.1])
            .fold(0.0_f64, f64::max);
        let span = (hi - lo).max(1e-9);
        let (y0, y1) = (
            if lo < 0.0 { lo - 0.08 * span } else { 0.0 },
            hi + 0.12 * span,
        );
        let (_, left) = label_areas(s);
        let bottom = (s.text_px(TICK) * 2.6 + s.text_px(AXIS) * 1.9 + s.px(16.0)) as u32;
        let mut chart = build(&area, s, (-0.5, n as f64 - 0.5), (y0, y1), bottom, left)?;
        let yf = tick_fmt(y0, y1, 8, s.lang);
        let xf = |_: &f64| String::new();
        mesh(
            &mut chart,
            s,
            s.tr("因素", "Factor"),
            &with_unit(s, s.t(&d.indicator), &u),
            &xf,
            &yf,
            0,
        )?;
        let slot = chart.backend_coord(&(1.0, y0)).0 - chart.backend_coord(&(0.0, y0)).0;
        let tts = font(s, TICK);
        let nts = font(s, NOTE);
        let step_dec = decimals_for_step(span / 100.0);
        let hw = 0.32;
        for (i, &(a, b)) in spans.iter().enumerate() {
            let x = i as f64;
            let is_total = i == 0 || i == n - 1;
            let c = if is_total {
                TOTAL
            } else if b >= a {
                UP
            } else {
                DOWN
            };
            chart.draw_series([
                Rectangle::new([(x - hw, a), (x + hw, b)], c.filled()),
                Rectangle::new(
                    [(x - hw, a), (x + hw, b)],
                    stroke(s, &BLACK, if is_total { 2.5 } else { 1.0 }),
                ),
            ])?;
            if i + 1 < n {
                dashed_line(
                    root,
                    &chart,
                    s,
                    &[(x + hw, b), (x + 1.0 - hw, b)],
                    DARK_GREY,
                    2.0,
                    Dash { on: 8, off: 6 },
                )?;
            }
            let text = if is_total {
                format_number(b, step_dec.min(3), s.lang)
            } else {
                format_signed(b - a, step_dec.min(3), s.lang)
            };
            let top = chart.backend_coord(&(x, a.max(b)));
            text_at(
                root,
                &text,
                (top.0, top.1 - s.px(10.0) as i32),
                &nts,
                HPos::Center,
                VPos::Bottom,
            )?;
            let label = if i == 0 {
                s.t(&d.start_label)
            } else if i == n - 1 {
                s.t(&d.end_label)
            } else {
                s.t(&d.effects[i - 1].label)
            };
            let bp = chart.backend_coord(&(x, y0));
            wrapped_centered(
                root,
                label,
                bp.0,
                bp.1 + s.px(14.0) as i32,
                (slot as f64 * 0.94) as i32,
                &tts,
            )?;
        }
        Ok(())
    }
}
