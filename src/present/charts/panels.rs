//! Small multiples of the distribution charts for a comparison: one panel per scenario,
//! stacked vertically on one shared x axis (same range and ticks), each panel with exactly
//! what the single chart shows and the scenario's name in its colour above it. One tall
//! figure replaces one chart per scenario (a comparison draws a fraction of the pixels, and
//! the scenarios can be read against each other).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::common::{
    AXIS, DARK_GREY, Key, LegendItem, PResult, Painter, TICK, draws_text, font, frame, label_areas,
    over, padded, page_margin, render_both, text_at,
};
use super::data::{DiscretePanelsData, DistributionPanelsData};
use super::discrete::Bars;
use super::distribution::{Dist, PlotAxes, SHADE, TARGET_DASH, TARGET_W, magnitude, y_desc};
use super::style::{ChartStyle, Dash, Lang, TARGET_COLOR, axis_unit, scenario_color};

/// Height of the page around the panels (title, legend, x axis, footer) at the default
/// 1250 px style height, in pixels.
const PAGE_H: f64 = 350.0;
/// Height of one panel at the default 1250 px style height, in pixels.
const PANEL_H: f64 = 420.0;

/// Image size for `n` panels: the style's width, height `(350 + 420·n) / 1250` of the
/// style's height (2000 × 2450 for five panels at the default size).
fn panels_size(style: &ChartStyle, n: usize) -> (u32, u32) {
    let h = f64::from(style.height) * (PAGE_H + PANEL_H * n as f64) / 1250.0;
    let cap = style.max_height.max(style.height);
    (style.width, h.round().min(f64::from(cap)) as u32)
}

/// Renders the small multiple of distribution charts to `stem.png` and `stem.svg`.
pub fn render_distribution_panels(
    data: &DistributionPanelsData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&DistPanels(data), style, stem)
}

/// Renders the small multiple of discrete bar charts to `stem.png` and `stem.svg`.
pub fn render_discrete_panels(
    data: &DiscretePanelsData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&BarPanels(data), style, stem)
}

/// Neutral histogram colour of the legend (panels use their scenario's colour).
fn neutral_bar() -> RGBColor {
    over(DARK_GREY, 0.30, WHITE)
}

/// Vertical layout of the panels inside `area`: for each panel its sub-area, the height of
/// its scenario-name strip and of its x-axis area (the last panel also carries the x title).
struct PanelLayout<DB: DrawingBackend> {
    panels: Vec<DrawingArea<DB, Shift>>,
    name_h: i32,
    tick_bottom: u32,
    full_bottom: u32,
}

fn layout_panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &ChartStyle,
    n: usize,
) -> PanelLayout<DB> {
    let h = area.dim_in_pixel().1 as i32;
    let full_bottom = label_areas(s).0;
    let tick_bottom = (s.text_px(TICK) * 1.5 + s.px(16.0)) as u32;
    let extra = full_bottom as i32 - tick_bottom as i32;
    let n_i = n.max(1) as i32;
    let ph = ((h - extra) / n_i).max(1);
    let panels = (0..n_i)
        .map(|k| {
            let top = k * ph;
            let height = if k == n_i - 1 { h - top } else { ph };
            area.margin(top, (h - top - height).max(0), 0, 0)
        })
        .collect();
    PanelLayout {
        panels,
        name_h: (s.text_px(AXIS) * 1.5) as i32,
        tick_bottom,
        full_bottom,
    }
}

/// Draws `name` in `color` at the top left of `panel`, aligned with the plot's left edge;
/// returns the part of the panel below the name strip.
fn name_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &DrawingArea<DB, Shift>,
    s: &ChartStyle,
    name: &str,
    color: RGBColor,
    name_h: i32,
) -> PResult<DrawingArea<DB, Shift>> {
    let (bx, by) = panel.get_base_pixel();
    let x = bx + page_margin(s) + label_areas(s).1 as i32;
    let ts = font(s, AXIS).color(&color);
    text_at(
        root,
        name,
        (x, by + name_h / 2 + s.px(4.0) as i32),
        &ts,
        HPos::Left,
        VPos::Center,
    )?;
    Ok(panel.margin(name_h, 0, 0, 0))
}

/// Draws the shared y-axis title once, rotated, centred on the panels at the page's left.
fn y_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    s: &ChartStyle,
    text: &str,
    bottom: u32,
) -> PResult {
    let (bx, by) = area.get_base_pixel();
    let (_, h) = area.dim_in_pixel();
    let x = bx + page_margin(s) + (s.text_px(AXIS) * 0.7) as i32;
    let y = by + (h as i32 - bottom as i32) / 2;
    let ts = font(s, AXIS).transform(FontTransform::Rotate270);
    text_at(root, text, (x, y), &ts, HPos::Center, VPos::Center)
}

pub(crate) struct DistPanels<'a>(pub(crate) &'a DistributionPanelsData);

impl DistPanels<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let Some(d) = self.0.panels.first() else {
            return String::new();
        };
        match s.lang {
            Lang::Zh => format!(
                "{} {} 年取值分布 · 各情景 · {}",
                s.t(&d.indicator),
                d.year,
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{} in {}: distribution by scenario · {}",
                s.t(&d.indicator),
                d.year,
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let mut v = vec![
            LegendItem {
                key: Key::Fill(neutral_bar().mix(1.0)),
                label: s
                    .tr(
                        "抽样直方图（颜色为情景）",
                        "Histogram of draws (colour: scenario)",
                    )
                    .to_string(),
            },
            LegendItem {
                key: Key::Line(DARK_GREY, 4.0, Dash { on: 0, off: 0 }),
                label: s.tr("核密度估计", "Kernel density estimate").to_string(),
            },
            LegendItem {
                key: Key::Line(DARK_GREY, 2.5, Dash { on: 10, off: 8 }),
                label: s.tr("P5 / 中位数 / P95", "P5 / median / P95").to_string(),
            },
        ];
        if self.0.panels.iter().any(|p| p.target.is_some()) {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: s.tr("目标", "Target").to_string(),
            });
            v.push(LegendItem {
                key: Key::Fill(over(TARGET_COLOR, SHADE, neutral_bar()).mix(1.0)),
                label: s.tr("达标的抽样", "Draws meeting the target").to_string(),
            });
        }
        v
    }

    fn unit(&self, s: &ChartStyle) -> super::style::AxisUnit {
        let m = self.0.panels.iter().map(magnitude).fold(0.0, f64::max);
        let unit = self
            .0
            .panels
            .first()
            .map_or(super::data::Unit::Percent, |p| p.unit.clone());
        axis_unit(&unit, s.lang, m)
    }
}

impl Painter for DistPanels<'_> {
    fn validate(&self) -> Result<(), String> {
        let p = &self.0.panels;
        let Some(first) = p.first() else {
            return Err("no panels".to_string());
        };
        if p.len() > 40 {
            return Err(format!("{} panels; at most 40", p.len()));
        }
        for d in p {
            if d.indicator != first.indicator || d.unit != first.unit || d.year != first.year {
                return Err(format!(
                    "panel of scenario {:?} shows another indicator, unit or year",
                    d.scenario.label.en
                ));
            }
            Dist(d).validate()?;
        }
        Ok(())
    }

    fn size(&self, style: &ChartStyle) -> (u32, u32) {
        panels_size(style, self.0.panels.len())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let mut v = vec![self.title(s)];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        for d in &self.0.panels {
            v.extend(Dist(d).texts(s));
        }
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let (lo, hi) = self
            .0
            .panels
            .iter()
            .map(|d| Dist(d).x_span(&u))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (l, h)| {
                (a.min(l), b.max(h))
            });
        let x = padded(lo, hi, 0.05);
        let lay = layout_panels(&area, s, self.0.panels.len());
        let n = lay.panels.len();
        for (k, (d, panel)) in self.0.panels.iter().zip(&lay.panels).enumerate() {
            let last = k + 1 == n;
            let c = scenario_color(d.scenario.order);
            let plot = name_strip(root, panel, s, s.t(&d.scenario.label), c, lay.name_h)?;
            let axes = PlotAxes {
                x,
                x_desc: if last {
                    Dist(d).x_desc(s, &u)
                } else {
                    String::new()
                },
                y_desc: String::new(),
                bottom: if last {
                    lay.full_bottom
                } else {
                    lay.tick_bottom
                },
                fit_labels: true,
            };
            Dist(d).plot(root, &plot, s, &u, &axes)?;
        }
        y_title(
            root,
            &area,
            s,
            &y_desc(s, &u),
            lay.full_bottom - lay.tick_bottom,
        )
    }
}

pub(crate) struct BarPanels<'a>(pub(crate) &'a DiscretePanelsData);

impl BarPanels<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let Some(d) = self.0.panels.first() else {
            return String::new();
        };
        match s.lang {
            Lang::Zh => format!(
                "{}分布（{} 年评估）· 各情景 · {}",
                s.t(&d.indicator),
                d.year,
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{}: distribution (judged in {}) by scenario · {}",
                s.t(&d.indicator),
                d.year,
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let light = over(DARK_GREY, 0.30, WHITE);
        let dark = over(TARGET_COLOR, 0.45, DARK_GREY);
        let panels = &self.0.panels;
        // Only what some panel draws.
        let meeting = panels.iter().any(|d| {
            let b = Bars(d);
            d.shares.iter().any(|(x, p)| *p > 0.0 && b.meets(*x))
        });
        let targets = panels.iter().any(|p| p.target.is_some());
        let mut v = Vec::new();
        if meeting {
            v.push(LegendItem {
                key: Key::Fill(dark.mix(1.0)),
                label: s
                    .tr("达标的抽样（深色）", "Draws meeting the target (dark)")
                    .to_string(),
            });
        }
        v.push(LegendItem {
            key: Key::Fill(light.mix(1.0)),
            label: if targets {
                s.tr("其他抽样（颜色为情景）", "Other draws (colour: scenario)")
            } else {
                s.tr(
                    "抽样占比（颜色为情景）",
                    "Share of draws (colour: scenario)",
                )
            }
            .to_string(),
        });
        if let Some(d) = panels.iter().find(|d| Bars(d).has_not_yet()) {
            v.push(super::discrete::not_yet_key(s, d.year, light));
        }
        if targets {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: s
                    .tr(
                        "目标（仅有达峰目标的情景）",
                        "Target (scenarios with a peak-year target)",
                    )
                    .to_string(),
            });
        }
        v
    }
}

impl Painter for BarPanels<'_> {
    fn validate(&self) -> Result<(), String> {
        let p = &self.0.panels;
        let Some(first) = p.first() else {
            return Err("no panels".to_string());
        };
        if p.len() > 40 {
            return Err(format!("{} panels; at most 40", p.len()));
        }
        for d in p {
            if d.indicator != first.indicator || d.year != first.year {
                return Err(format!(
                    "panel of scenario {:?} shows another indicator or year",
                    d.scenario.label.en
                ));
            }
            Bars(d).validate()?;
        }
        Ok(())
    }

    fn size(&self, style: &ChartStyle) -> (u32, u32) {
        panels_size(style, self.0.panels.len())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let mut v = vec![self.title(s)];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        for d in &self.0.panels {
            v.extend(Bars(d).texts(s));
        }
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let (lo, hi) = self
            .0
            .panels
            .iter()
            .map(|d| Bars(d).span())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (l, h)| {
                (a.min(l), b.max(h))
            });
        let lay = layout_panels(&area, s, self.0.panels.len());
        let n = lay.panels.len();
        for (k, (d, panel)) in self.0.panels.iter().zip(&lay.panels).enumerate() {
            let last = k + 1 == n;
            let c = scenario_color(d.scenario.order);
            let plot = name_strip(root, panel, s, s.t(&d.scenario.label), c, lay.name_h)?;
            let x_desc = if last {
                Bars(d).x_title(s)
            } else {
                String::new()
            };
            let bottom = if last {
                lay.full_bottom
            } else {
                lay.tick_bottom
            };
            Bars(d).plot(root, &plot, s, (lo, hi), (&x_desc, ""), bottom)?;
        }
        y_title(
            root,
            &area,
            s,
            Bars::y_title(s),
            lay.full_bottom - lay.tick_bottom,
        )
    }
}
