//! Chart 1b: bars of a discrete indicator (the CO₂ peak year): share of draws at each value,
//! values meeting the target dark, the target line between the last meeting value and the
//! next, and P(target met) labelled.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::ChartError;
use super::common::{
    AXIS, DARK_GREY, Key, LegendItem, NOTE, PResult, Painter, build, dashed_line, draws_text, font,
    frame, label_areas, mesh, over, render_both, text_width, tick_fmt,
};
use super::data::{Direction, DiscreteData};
use super::distribution::{TARGET_DASH, TARGET_W, boxed_text};
use super::style::{ChartStyle, Lang, TARGET_COLOR, format_number, probability_relation};

/// Renders the bar chart of `data` to `stem.png` and `stem.svg`.
pub fn render_discrete(
    data: &DiscreteData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Bars(data), style, stem)
}

pub(crate) struct Bars<'a>(pub(crate) &'a DiscreteData);

/// Hatching over the not-yet-peaked bar.
const NOT_YET_HATCH: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// Legend entry of the not-yet-peaked category (counted as not met, MODEL.md §2).
pub(crate) fn not_yet_key(s: &ChartStyle, horizon: i32, fill: RGBColor) -> LegendItem {
    LegendItem {
        key: Key::Hatch(fill, DARK_GREY, NOT_YET_HATCH),
        label: match s.lang {
            Lang::Zh => format!("至 {horizon} 年未达峰（计为未达标）"),
            Lang::En => format!("Not yet peaked by {horizon} (counted as not met)"),
        },
    }
}

/// Tick text of the not-yet-peaked category.
pub(crate) fn not_yet_tick(s: &ChartStyle) -> &'static str {
    s.tr("未达峰", "not yet")
}

/// Bars not meeting the target (or all bars without one): the scenario colour light.
fn light(c: RGBColor) -> RGBColor {
    over(c, 0.40, WHITE)
}

/// Bars meeting the target: the scenario colour darkened (dark also in greyscale).
fn dark(c: RGBColor) -> RGBColor {
    over(TARGET_COLOR, 0.45, c)
}

impl Bars<'_> {
    pub(crate) fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{}分布（{} 年评估）· 情景：{} · {}",
                s.t(&d.indicator),
                d.year,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{}: distribution (judged in {}) · scenario: {} · {}",
                s.t(&d.indicator),
                d.year,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
        }
    }

    pub(crate) fn meets(&self, v: i64) -> bool {
        match &self.0.target {
            Some(t) => match t.direction {
                Direction::LowerIsBetter => (v as f64) <= t.value,
                Direction::HigherIsBetter => (v as f64) >= t.value,
            },
            None => false,
        }
    }

    /// "≤ 2029" / "≥ 2025".
    pub(crate) fn condition(&self) -> Option<String> {
        self.0.target.as_ref().map(|t| {
            let op = match t.direction {
                Direction::LowerIsBetter => "≤",
                Direction::HigherIsBetter => "≥",
            };
            format!("{op} {:.0}", t.value)
        })
    }

    pub(crate) fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let d = self.0;
        let c = super::style::scenario_color(d.scenario.order);
        let mut v = Vec::new();
        // Only what is drawn: dark bars when some draw meets the target, the hatched
        // not-yet-peaked bar when some draw peaks in the horizon year.
        let cond = self.condition();
        if let Some(cond) = &cond
            && d.shares.iter().any(|(x, p)| *p > 0.0 && self.meets(*x))
        {
            v.push(LegendItem {
                key: Key::Fill(dark(c).mix(1.0)),
                label: match s.lang {
                    Lang::Zh => format!("达标的抽样（{cond}）"),
                    Lang::En => format!("Draws meeting the target ({cond})"),
                },
            });
        }
        v.push(LegendItem {
            key: Key::Fill(light(c).mix(1.0)),
            label: if cond.is_some() {
                s.tr("未达标的抽样", "Draws not meeting it").to_string()
            } else {
                s.tr("抽样占比", "Share of draws").to_string()
            },
        });
        if self.has_not_yet() {
            v.push(not_yet_key(s, d.year, light(c)));
        }
        if let (Some(t), Some(cond)) = (&d.target, cond) {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: format!("{} {cond}", s.t(&t.label)),
            });
        }
        v
    }

    /// Whether some draws have not peaked by the horizon (their maximum is in the last year).
    pub(crate) fn has_not_yet(&self) -> bool {
        self.0
            .shares
            .iter()
            .any(|(x, p)| *x == i64::from(self.0.year) && *p > 0.0)
    }

    pub(crate) fn p_label(&self, s: &ChartStyle) -> Option<String> {
        let (p, cond) = (self.0.p_target_met?, self.condition()?);
        Some(match s.lang {
            Lang::Zh => format!("P(达标：{cond}) {}", probability_relation(p)),
            Lang::En => format!("P(target met: {cond}) {}", probability_relation(p)),
        })
    }

    pub(crate) fn y_title(s: &ChartStyle) -> &'static str {
        s.tr("抽样占比（%）", "Share of draws (%)")
    }

    /// Axis title, explaining the two end categories: the base year (never above its level)
    /// and the horizon (not yet peaked).
    pub(crate) fn x_title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{}（{} = 始终未超过基年水平；“未达峰” = 至 {} 年仍在上升）",
                s.t(&d.indicator),
                d.base_year,
                d.year
            ),
            Lang::En => format!(
                "{} ({} = never above the base year; \"not yet\" = still rising in {})",
                s.t(&d.indicator),
                d.base_year,
                d.year
            ),
        }
    }
}

impl Painter for Bars<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        if d.shares.is_empty() {
            return Err("no values".to_string());
        }
        if d.shares.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err("values must be ascending and distinct".to_string());
        }
        if let Some((v, p)) = d
            .shares
            .iter()
            .find(|(_, p)| !(p.is_finite() && (0.0..=1.0).contains(p)))
        {
            return Err(format!("share {p} of value {v} outside 0..=1"));
        }
        if let Some(t) = &d.target
            && !t.value.is_finite()
        {
            return Err(format!("target {} is not finite", t.value));
        }
        if let Some(p) = d.p_target_met
            && !(0.0..=1.0).contains(&p)
        {
            return Err(format!("p_target_met {p} outside 0..=1"));
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let mut v = vec![
            self.title(s),
            self.x_title(s),
            Self::y_title(s).to_string(),
            "0123456789.%<".to_string(),
            not_yet_tick(s).to_string(),
        ];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v.extend(self.p_label(s));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let (bottom, _) = label_areas(s);
        let x_desc = self.x_title(s);
        self.plot(
            root,
            &area,
            s,
            self.span(),
            (&x_desc, Self::y_title(s)),
            bottom,
        )
    }
}

impl Bars<'_> {
    /// Smallest and largest value shown: the values with a share and the target.
    pub(crate) fn span(&self) -> (f64, f64) {
        let d = self.0;
        let first = d.shares.first().map_or(0, |p| p.0);
        let last = d.shares.last().map_or(0, |p| p.0);
        let (mut lo, mut hi) = (first as f64, last as f64);
        if let Some(t) = &d.target {
            lo = lo.min(t.value);
            hi = hi.max(t.value);
        }
        (lo, hi)
    }

    /// Draws the bars, shares, target line and P(target met) on `area` over the values
    /// `lo..=hi`, with the given axis titles (empty: none) and height under the x axis.
    pub(crate) fn plot<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        s: &ChartStyle,
        (lo, hi): (f64, f64),
        (x_desc, y_desc): (&str, &str),
        bottom: u32,
    ) -> PResult {
        let d = self.0;
        let c = super::style::scenario_color(d.scenario.order);
        let (x0, x1) = (lo - 0.7, hi + 0.7);
        let top = d.shares.iter().map(|p| p.1 * 100.0).fold(0.0, f64::max);
        // A share never exceeds 100 %: neither does the axis.
        let ymax = (top * 1.30).clamp(1.0, 100.0);
        let left = label_areas(s).1;
        let mut chart = build(area, s, (x0, x1), (0.0, ymax), bottom, left)?;
        // Whole values as plain integers (no digit grouping: "2030", not "2,030").
        let horizon = f64::from(d.year);
        let not_yet = not_yet_tick(s);
        let xf = |v: &f64| {
            if (v - horizon).abs() < 1e-6 {
                not_yet.to_string()
            } else if (v - v.round()).abs() < 1e-6 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        };
        let yf = tick_fmt(0.0, ymax, 8, s.lang);
        let span = (hi - lo).round() as usize + 1;
        mesh(&mut chart, s, x_desc, y_desc, &xf, &yf, span.clamp(2, 16))?;
        chart.draw_series(d.shares.iter().map(|&(v, p)| {
            let fill = if self.meets(v) { dark(c) } else { light(c) };
            let x = v as f64;
            Rectangle::new([(x - 0.38, 0.0), (x + 0.38, p * 100.0)], fill.filled())
        }))?;
        // The not-yet-peaked category: hatched and outlined.
        if let Some(&(v, p)) = d.shares.iter().find(|(v, _)| *v == i64::from(d.year)) {
            let (a, b) = (
                chart.backend_coord(&(v as f64 - 0.38, 0.0)),
                chart.backend_coord(&(v as f64 + 0.38, p * 100.0)),
            );
            let step = s.px(14.0).max(3.0) as i32;
            let mut hx = a.0 + step / 2;
            while hx < b.0 {
                root.draw(&PathElement::new(
                    vec![(hx, b.1), (hx, a.1)],
                    super::common::stroke(s, &NOT_YET_HATCH, 2.0),
                ))?;
                hx += step;
            }
            root.draw(&Rectangle::new(
                [a, b],
                super::common::stroke(s, &DARK_GREY, 2.5),
            ))?;
        }
        // Share above each bar (when it fits the bar's width).
        let nts = font(s, NOTE).color(&DARK_GREY);
        let bar_px = chart.backend_coord(&(0.76, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
        for &(v, p) in &d.shares {
            // A share that rounds to 0.0 % is not zero: say "< 0.1 %".
            let text = if p > 0.0 && p < 0.0005 {
                format!("< {} %", format_number(0.1, 1, s.lang))
            } else {
                format!("{} %", format_number(p * 100.0, 1, s.lang))
            };
            if text_width(root, &text, &nts)? > bar_px + s.px(24.0) as i32 {
                continue;
            }
            let (x, y) = chart.backend_coord(&(v as f64, p * 100.0));
            // Above the bar, or just inside its top when the axis ends there.
            let room = y - chart.backend_coord(&(x0, ymax)).1;
            let inside = room < (s.text_px(NOTE) * 1.3) as i32;
            let (ty, vpos) = if inside {
                (
                    y + s.px(8.0) as i32,
                    plotters::style::text_anchor::VPos::Top,
                )
            } else {
                (
                    y - s.px(8.0) as i32,
                    plotters::style::text_anchor::VPos::Bottom,
                )
            };
            let ts = if inside { font(s, NOTE) } else { nts.clone() };
            if inside {
                let w = text_width(root, &text, &ts)?;
                let h = (s.text_px(NOTE) * 1.2) as i32;
                root.draw(&Rectangle::new(
                    [(x - w / 2 - 4, ty - 2), (x + w / 2 + 4, ty + h)],
                    WHITE.filled(),
                ))?;
            }
            super::common::text_at(root, &text, (x, ty), &ts, HPos::Center, vpos)?;
        }
        // Target line between the last meeting value and the next one.
        if let Some(t) = &d.target {
            let xt = match t.direction {
                Direction::LowerIsBetter => t.value.floor() + 0.5,
                Direction::HigherIsBetter => t.value.ceil() - 0.5,
            };
            dashed_line(
                root,
                &chart,
                s,
                &[(xt, 0.0), (xt, ymax)],
                TARGET_COLOR,
                TARGET_W,
                TARGET_DASH,
            )?;
            if let Some(text) = self.p_label(s) {
                // On the meeting side of the line, near the top.
                let pts = font(s, AXIS);
                let margin = s.px(16.0) as i32;
                let (px, _) = chart.backend_coord(&(xt, 0.0));
                let y = chart.backend_coord(&(x0, ymax * 0.93)).1;
                let (x, h) = match t.direction {
                    Direction::LowerIsBetter => (px - margin, HPos::Right),
                    Direction::HigherIsBetter => (px + margin, HPos::Left),
                };
                // Fall back to the other side when the text would leave the plot.
                let w = text_width(root, &text, &pts)?;
                let (pl, pr) = (
                    chart.backend_coord(&(x0, 0.0)).0,
                    chart.backend_coord(&(x1, 0.0)).0,
                );
                let (x, h) = match h {
                    HPos::Right if x - w < pl => (px + margin, HPos::Left),
                    HPos::Left if x + w > pr => (px - margin, HPos::Right),
                    other => (x, other),
                };
                boxed_text(root, s, &text, (x, y), &pts, h)?;
            }
        }
        Ok(())
    }
}
