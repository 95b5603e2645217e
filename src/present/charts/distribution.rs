//! Chart 1: histogram of a horizon-year indicator with KDE, target and quantiles.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::common::{
    AXIS, Key, LegendItem, NOTE, PResult, Painter, all_finite, build, dashed_line, draws_text,
    font, frame, label_areas, mesh, over, padded, render_both, stroke, text_width, tick_fmt,
    with_unit,
};
use super::data::{DistributionData, kde_silverman};
use super::style::{
    AxisUnit, ChartStyle, Dash, Lang, TARGET_COLOR, axis_unit, format_number, format_probability,
    scenario_color,
};

/// Points of the density curve (a smooth curve: 240 points are 8 px apart at 2000 px).
const KDE_POINTS: usize = 240;

/// Opacity of the dark overlay marking draws that meet the target.
const SHADE: f64 = 0.25;

/// Histogram bar colour: the scenario colour at 45 % on white (opaque, see [`over`]).
fn bar_color(c: RGBColor) -> RGBColor {
    over(c, 0.45, WHITE)
}

/// Bars meeting the target: the target colour at [`SHADE`] over the bar colour.
fn shaded_color(c: RGBColor) -> RGBColor {
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

struct Dist<'a>(&'a DistributionData);

impl Dist<'_> {
    fn title(&self, s: &ChartStyle) -> String {
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

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let d = self.0;
        let mut m = d.p95.abs().max(d.p5.abs());
        if let Some(t) = &d.target {
            m = m.max(t.value.abs());
        }
        axis_unit(&d.unit, s.lang, m)
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
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

    fn quantile_labels(&self, s: &ChartStyle, u: &AxisUnit) -> [(f64, String); 3] {
        let d = self.0;
        let f = |v: f64| format_number(v / u.divisor, dec_for(v / u.divisor), s.lang);
        [
            (d.p5, format!("P5 {}", f(d.p5))),
            (
                d.median,
                format!("{} {}", s.tr("中位数", "median"), f(d.median)),
            ),
            (d.p95, format!("P95 {}", f(d.p95))),
        ]
    }

    fn target_label(&self, s: &ChartStyle, u: &AxisUnit) -> Option<String> {
        self.0.target.as_ref().map(|t| {
            let v = t.value / u.divisor;
            format!(
                "{} {} {}",
                s.t(&t.label),
                format_number(v, dec_for(v), s.lang),
                u.text
            )
        })
    }

    fn p_label(&self, s: &ChartStyle) -> Option<String> {
        self.0.p_target_met.map(|p| {
            format!(
                "{} = {}",
                s.tr("P(达标)", "P(target met)"),
                format_probability(p)
            )
        })
    }
}

/// Decimals for a value label of magnitude `v`.
pub(crate) fn dec_for(v: f64) -> usize {
    match v.abs() {
        a if a >= 1000.0 => 0,
        a if a >= 100.0 => 1,
        a if a >= 1.0 => 2,
        _ => 3,
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
        if d.draws.iter().filter(|v| v.is_finite()).count() < 2 {
            return Err("need at least two finite draws".to_string());
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
        let d = self.0;
        let u = self.unit(s);
        let c = scenario_color(d.scenario.order);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;

        let vals: Vec<f64> = d
            .draws
            .iter()
            .filter(|v| v.is_finite())
            .map(|v| v / u.divisor)
            .collect();
        let (mut lo, mut hi) = vals
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if let Some(t) = &d.target {
            lo = lo.min(t.value / u.divisor);
            hi = hi.max(t.value / u.divisor);
        }
        let (x0, x1) = padded(lo, hi, 0.05);

        // Histogram as density in 1/display-unit.
        let n = vals.len();
        let bins = ((n as f64).sqrt() as usize).clamp(15, 60);
        let (vmin, vmax) = vals
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let bw = if vmax > vmin {
            (vmax - vmin) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0usize; bins];
        for v in &vals {
            let k = (((v - vmin) / bw) as usize).min(bins - 1);
            counts[k] += 1;
        }
        let dens: Vec<f64> = counts.iter().map(|&k| k as f64 / (n as f64 * bw)).collect();
        let kde = kde_silverman(&vals, x0, x1, KDE_POINTS);
        let ymax_data = dens
            .iter()
            .copied()
            .chain(kde.iter().map(|p| p.1))
            .fold(0.0, f64::max);
        let ymax = if ymax_data > 0.0 {
            ymax_data * 1.42
        } else {
            1.0
        };

        let (bottom, left) = label_areas(s);
        let mut chart = build(&area, s, (x0, x1), (0.0, ymax), bottom, left)?;
        let xf = tick_fmt(x0, x1, 10, s.lang);
        let yf = tick_fmt(0.0, ymax, 8, s.lang);
        let y_desc = match s.lang {
            Lang::Zh => format!("概率密度（1/{}）", u.text),
            Lang::En => format!("Probability density (per {})", u.text),
        };
        mesh(
            &mut chart,
            s,
            &with_unit(s, s.t(&d.indicator), &u),
            &y_desc,
            &xf,
            &yf,
            10,
        )?;

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

        // Quantile lines and labels (rows assigned so labels never overlap).
        let lts = font(s, NOTE);
        let q = self.quantile_labels(s, &u);
        let mut labels: Vec<(i32, String, bool)> = Vec::new();
        for (v, text) in &q {
            let x = v / u.divisor;
            dashed_line(
                root,
                &chart,
                s,
                &[(x, 0.0), (x, ymax_data * 1.04)],
                super::common::DARK_GREY,
                2.5,
                Dash { on: 10, off: 8 },
            )?;
            labels.push((chart.backend_coord(&(x, 0.0)).0, text.clone(), false));
        }
        if let (Some(t), Some(text)) = (&d.target, self.target_label(s, &u)) {
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
            labels.push((chart.backend_coord(&(x, 0.0)).0, text, true));
        }
        let top = chart.backend_coord(&(x0, ymax)).1;
        let row_h = (s.text_px(NOTE) * 1.45) as i32;
        let (px0, px1) = (
            chart.backend_coord(&(x0, 0.0)).0,
            chart.backend_coord(&(x1, 0.0)).0,
        );
        // Centre of each label: quantiles centred on their line, the target label beside its
        // line (right if it fits, else left) so the line stays visible.
        let gap = s.px(12.0) as i32;
        let mut sized = Vec::new();
        for (x, text, is_target) in &labels {
            let w = text_width(root, text, &lts)?;
            let cx = if *is_target {
                if x + gap + w < px1 {
                    x + gap + w / 2
                } else {
                    x - gap - w / 2
                }
            } else {
                (*x).clamp(px0 + w / 2 + 4, px1 - w / 2 - 4)
            };
            sized.push((cx, w));
        }
        let rows = assign_rows(&sized, s.px(10.0) as i32);
        for (((_, text, is_target), row), (cx, _)) in labels.iter().zip(rows).zip(&sized) {
            let y = top + row_h * (row as i32) + row_h / 2 + s.px(4.0) as i32;
            let ts = if *is_target {
                font(s, NOTE)
            } else {
                font(s, NOTE).color(&super::common::DARK_GREY)
            };
            boxed_text(root, s, text, (*cx, y), &ts, HPos::Center)?;
        }

        // P(target met) label inside the shaded side, below the label rows.
        if let (Some(t), Some(text)) = (&d.target, self.p_label(s)) {
            let tv = t.value / u.divisor;
            let (a, b) = match t.direction {
                super::data::Direction::LowerIsBetter => (x0, tv),
                super::data::Direction::HigherIsBetter => (tv, x1),
            };
            let pts = font(s, AXIS);
            let w = text_width(root, &text, &pts)?;
            let (pa, pb) = (
                chart.backend_coord(&(a, 0.0)).0,
                chart.backend_coord(&(b, 0.0)).0,
            );
            let margin = s.px(16.0) as i32;
            // Put it in the shaded side if it fits, else next to the target line.
            // Put it in the shaded side if it fits, else beside the target line with an arrow.
            let (x, h, text) = if pb - pa > w + 2 * margin {
                ((pa + pb) / 2, HPos::Center, text)
            } else if t.direction == super::data::Direction::LowerIsBetter {
                (pb + margin, HPos::Left, format!("← {text}"))
            } else {
                (pa - margin, HPos::Right, format!("{text} →"))
            };
            let y = chart.backend_coord(&(x0, ymax * 0.45)).1;
            boxed_text(root, s, &text, (x, y), &pts, h)?;
        }
        Ok(())
    }
}
