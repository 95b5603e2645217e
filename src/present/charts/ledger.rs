//! Chart 5b: the key-project ledger of one pollutant in the target year (MODEL.md §4) — the
//! projects' 削减量 as horizontal bars with 5–95 % whiskers, their total against the target, the
//! 新增量 by cause, and the net change since the base year (新增量 − 削减量): "projects deliver
//! X, growth adds Y". Value labels go where they cover no bar, whisker or target line
//! ([`super::place`]).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::common::{
    AXIS, DARK_GREY, GRID, Key, LEGEND, LegendItem, NOTE, PResult, Painter, TICK, TITLE,
    all_finite, build, draws_text, font, footer_height, frame, label_areas, over, render_both,
    stroke, text_at, text_width, tick_fmt, wrap,
};
use super::data::{LedgerBar, LedgerData};
use super::distribution::{TARGET_DASH, TARGET_W};
use super::place::{Placer, Rect};
use super::style::{
    AxisUnit, ChartStyle, Dash, Hatch, Lang, TARGET_COLOR, axis_unit, format_number, measure_hatch,
    probability_relation,
};

/// Fill of the total-削减量 bar (dark, distinct from every measure colour).
const TOTAL_CUT: RGBColor = RGBColor(0x44, 0x55, 0x66);
/// Fill of a 新增量 bar; hatching as the wedge charts' increases.
const INCREMENT_FILL: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
const INCREMENT_HATCH: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Fill of the net-change bar.
const NET_FILL: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// What a row shows.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    /// A group heading.
    Heading(String),
    /// A project's 削减量 (measure colour) or the group of small projects.
    Project(LedgerBar),
    /// Total 削减量 with its interval and the target.
    TotalCut(LedgerBar),
    /// A cause of 新增量.
    Increment(LedgerBar),
    /// Total 新增量.
    TotalIncrement(f64),
    /// Net change since the base year.
    Net(f64),
}

/// Renders the ledger chart of `data`.
pub fn render_ledger(
    data: &LedgerData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Ledger(data), style, stem)
}

pub(crate) struct Ledger<'a>(pub(crate) &'a LedgerData);

impl Ledger<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        match s.lang {
            Lang::Zh => format!(
                "{} {} 年重点工程削减量与新增量 · 情景：{} · {}",
                s.t(&d.pollutant),
                d.year,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{} in {}: key-project reductions and new increments · scenario: {} · {}",
                s.t(&d.pollutant),
                d.year,
                s.t(&d.scenario.label),
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        axis_unit(&self.0.unit, s.lang, self.magnitude())
    }

    fn magnitude(&self) -> f64 {
        self.values().fold(0.0_f64, |a, v| a.max(v.abs()))
    }

    /// Every value the x axis must show (base unit).
    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        let d = self.0;
        let bar = |b: &LedgerBar| {
            let (lo, hi) = b.interval.unwrap_or((b.mean, b.mean));
            [b.mean, lo, hi]
        };
        d.projects
            .iter()
            .chain(&d.increments)
            .chain(std::iter::once(&d.total_cut))
            .flat_map(bar)
            .chain([d.total_increment, d.net_change, 0.0])
            .chain(d.target.iter().map(|t| t.value))
    }

    fn rows(&self, s: &ChartStyle) -> Vec<Row> {
        let d = self.0;
        let mut rows = vec![Row::Heading(match s.lang {
            Lang::Zh => format!("重点工程削减量（{} 年）", d.year),
            Lang::En => format!("Key-project reductions in {}", d.year),
        })];
        rows.extend(d.projects.iter().cloned().map(Row::Project));
        rows.push(Row::TotalCut(d.total_cut.clone()));
        rows.push(Row::Heading(match s.lang {
            Lang::Zh => format!("新增量（{}–{} 年，按原因）", d.base_year, d.year),
            Lang::En => format!("New increments {}–{}, by cause", d.base_year, d.year),
        }));
        rows.extend(d.increments.iter().cloned().map(Row::Increment));
        rows.push(Row::TotalIncrement(d.total_increment));
        rows.push(Row::Net(d.net_change));
        rows
    }

    fn row_label(&self, s: &ChartStyle, r: &Row) -> String {
        let d = self.0;
        match r {
            Row::Heading(t) => t.clone(),
            Row::Project(b) | Row::Increment(b) => s.t(&b.label).to_string(),
            Row::TotalCut(b) => {
                let u = self.unit(s);
                let f = |v: f64| {
                    let x = v / u.divisor;
                    format_number(x, u.decimals(x), s.lang)
                };
                match (b.interval, s.lang) {
                    (Some((lo, hi)), Lang::Zh) => {
                        format!("削减量合计（P5–P95：{}–{}）", f(lo), f(hi))
                    }
                    (Some((lo, hi)), Lang::En) => {
                        format!("Total reduction (P5–P95 {}–{})", f(lo), f(hi))
                    }
                    (None, _) => s.tr("削减量合计", "Total reduction").to_string(),
                }
            }
            Row::TotalIncrement(_) => s.tr("新增量合计", "Total new increments").to_string(),
            Row::Net(_) => match s.lang {
                Lang::Zh => format!("排放净变化 {}→{}（新增量 − 削减量）", d.base_year, d.year),
                Lang::En => format!(
                    "Net change {}→{} (increments − reductions)",
                    d.base_year, d.year
                ),
            },
        }
    }

    /// "2025 binding target 6,300 t".
    fn target_label(&self, s: &ChartStyle, u: &AxisUnit) -> Option<String> {
        self.0.target.as_ref().map(|t| {
            let v = t.value / u.divisor;
            let text = format!(
                "{} {} {}",
                s.t(&t.label),
                format_number(v, u.decimals(v), s.lang),
                u.text
            );
            text
        })
    }

    /// "P(target met) > 99 %".
    fn p_label(&self, s: &ChartStyle) -> Option<String> {
        self.0.p_target_met.map(|p| {
            format!(
                "{} {}",
                s.tr("P(达标)", "P(target met)"),
                probability_relation(p)
            )
        })
    }

    /// Text at the end of a bar: its mean, with the interval for the total.
    fn value_label(&self, s: &ChartStyle, u: &AxisUnit, r: &Row) -> Option<String> {
        let f = |v: f64| {
            let x = v / u.divisor;
            format_number(x, u.decimals(x), s.lang)
        };
        let signed = |v: f64| {
            let x = v / u.divisor;
            super::style::format_signed(x, u.decimals(x), s.lang)
        };
        match r {
            Row::Heading(_) => None,
            Row::Project(b) => Some(f(b.mean)),
            Row::TotalCut(b) => Some(f(b.mean)),
            Row::Increment(b) => Some(signed(b.mean)),
            Row::TotalIncrement(v) | Row::Net(v) => Some(signed(*v)),
        }
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let mut v = vec![
            LegendItem {
                key: Key::Fill(TOTAL_CUT.mix(1.0)),
                label: s
                    .tr(
                        "削减量（均值；颜色同楔形图中的措施）",
                        "Reduction, mean (colour of its measure in the wedge charts)",
                    )
                    .to_string(),
            },
            LegendItem {
                key: Key::Line(DARK_GREY, 3.0, Dash { on: 0, off: 0 }),
                label: s.tr("P5–P95 区间", "P5–P95 interval").to_string(),
            },
            LegendItem {
                key: Key::Hatch(INCREMENT_FILL, DARK_GREY, INCREMENT_HATCH),
                label: s.tr("新增量（均值）", "New increment, mean").to_string(),
            },
        ];
        if let Some(t) = &self.0.target {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: s.t(&t.label).to_string(),
            });
        }
        v
    }

    /// Height of one row (px): room for two lines of tick text.
    fn row_h(s: &ChartStyle) -> f64 {
        s.text_px(TICK) * 2.2
    }
}

impl Painter for Ledger<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        if d.projects.is_empty() {
            return Err("no project with a 削减量".to_string());
        }
        all_finite("ledger values", self.values().collect::<Vec<_>>().iter())?;
        for b in d.projects.iter().chain(std::iter::once(&d.total_cut)) {
            if b.mean < 0.0 {
                return Err(format!("negative 削减量 {} of {:?}", b.mean, b.label.en));
            }
            if let Some((lo, hi)) = b.interval
                && lo > hi
            {
                return Err(format!("interval of {:?} reversed", b.label.en));
            }
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
        let mut v = vec![self.title(s), u.text.clone()];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        for r in self.rows(s) {
            v.push(self.row_label(s, &r));
            v.extend(self.value_label(s, &u, &r));
        }
        v.extend(self.target_label(s, &u));
        v.extend(self.p_label(s));
        v.push(s.tr("排放量变化", "Emission change").to_string());
        v
    }

    fn size(&self, s: &ChartStyle) -> (u32, u32) {
        let n = self.rows(s).len() as f64;
        let head = s.text_px(TITLE) * 1.6 + s.text_px(LEGEND) * 1.55 * 3.0 + s.px(60.0);
        let need = head
            + n * Self::row_h(s)
            + f64::from(label_areas(s).0)
            + f64::from(footer_height(s, 2));
        let h = (need.ceil() as u32)
            .max(s.height)
            .min(s.max_height.max(s.height));
        (s.width, h)
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let rows = self.rows(s);
        let n = rows.len();
        let (w, _) = root.dim_in_pixel();
        let lts = font(s, TICK);
        let hts = font(s, AXIS);
        // Label column: the widest row label, at most 40 % of the width (longer ones wrap).
        let mut col = 0;
        for r in &rows {
            let ts = if matches!(r, Row::Heading(_)) {
                &hts
            } else {
                &lts
            };
            col = col.max(text_width(root, &self.row_label(s, r), ts)?);
        }
        let max_col = (f64::from(w) * 0.40) as i32;
        let col = col.min(max_col) + s.px(30.0) as i32;
        let (lo, hi) = self
            .values()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v / u.divisor), b.max(v / u.divisor))
            });
        let span = (hi - lo).max(1e-9);
        // Room on the right for the value labels (on the left when bars run negative).
        let x0 = lo - span * if lo < 0.0 { 0.22 } else { 0.03 };
        let x1 = hi + span * 0.42;
        let y = (-(n as f64) + 0.5, 0.5);
        let bottom = label_areas(s).0;
        let mut chart = build(&area, s, (x0, x1), y, bottom, col as u32)?;
        let xf = tick_fmt(x0, x1, 8, s.lang);
        let x_desc = super::common::with_unit(
            s,
            s.tr(
                "排放量变化（削减量为正）",
                "Change in emission (reductions positive)",
            ),
            &u,
        );
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .label_style(font(s, TICK))
            .axis_desc_style(font(s, AXIS))
            .x_label_formatter(&xf)
            .y_label_formatter(&|_| String::new())
            .x_labels(8)
            .y_labels(0)
            .disable_y_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(ShapeStyle::from(&GRID).stroke_width(s.px(1.5).max(1.0) as u32))
            .axis_style(ShapeStyle::from(&DARK_GREY).stroke_width(s.px(2.0).max(1.0) as u32))
            .set_all_tick_mark_size(s.px(8.0) as i32)
            .draw()?;
        let plot = chart.plotting_area();
        let (pw, ph) = plot.dim_in_pixel();
        let (ox, oy) = plot.get_base_pixel();
        let mut placer = Placer::new(Rect::span((ox, oy), (ox + pw as i32, oy + ph as i32)));
        let px = |x: f64, yv: f64| chart.backend_coord(&(x, yv));
        // Zero line.
        let (zx, _) = px(0.0, 0.0);
        root.draw(&PathElement::new(
            vec![(zx, oy), (zx, oy + ph as i32)],
            stroke(s, &DARK_GREY, 2.0),
        ))?;
        let half = 0.32;
        let label_x = ox - col + s.px(10.0) as i32;
        let row_px = (ph as f64 / n as f64) as i32;
        for (k, r) in rows.iter().enumerate() {
            let yc = -(k as f64);
            let cy = px(0.0, yc).1;
            // Row label (headings bigger; long names wrapped on two lines).
            let ts = if matches!(r, Row::Heading(_)) {
                &hts
            } else {
                &lts
            };
            let text = self.row_label(s, r);
            let lines = wrap(root, &text, ts, col - s.px(20.0) as i32)?;
            let line_h = (ts.font.get_size() * 1.1) as i32;
            let first = cy - line_h * (lines.len() as i32 - 1) / 2;
            for (j, line) in lines.iter().enumerate().take(2) {
                let ts = if matches!(r, Row::Heading(_)) {
                    ts.clone()
                } else {
                    ts.clone().color(&DARK_GREY)
                };
                text_at(
                    root,
                    line,
                    (label_x, first + j as i32 * line_h),
                    &ts,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
            let (mean, interval, fill, hatch, outline) = match r {
                Row::Heading(_) => continue,
                Row::Project(b) => (
                    b.mean,
                    b.interval,
                    super::wedge::band_color(b.slot),
                    if b.slot.is_some() {
                        measure_hatch(b.slot)
                    } else {
                        Hatch::Solid
                    },
                    None,
                ),
                Row::TotalCut(b) => (b.mean, b.interval, TOTAL_CUT, Hatch::Solid, None),
                Row::Increment(b) => (b.mean, None, INCREMENT_FILL, Hatch::Lines, Some(DARK_GREY)),
                Row::TotalIncrement(v) => (*v, None, INCREMENT_FILL, Hatch::Lines, Some(BLACK)),
                Row::Net(v) => (*v, None, NET_FILL, Hatch::Solid, None),
            };
            let m = mean / u.divisor;
            let (a, b) = (px(0.0, yc + half), px(m, yc - half));
            let bar = Rect::span(a, b);
            root.draw(&Rectangle::new([a, b], fill.filled()))?;
            let ink = match hatch {
                Hatch::Lines if outline.is_some() => INCREMENT_HATCH,
                _ => over(BLACK, 0.45, fill),
            };
            let step = s.px(if outline.is_some() { 14.0 } else { 28.0 }).max(3.0) as i32;
            match hatch {
                Hatch::Solid => {}
                Hatch::Lines => {
                    let mut hx = bar.x0 + step / 2;
                    while hx < bar.x1 {
                        root.draw(&PathElement::new(
                            vec![(hx, bar.y0), (hx, bar.y1)],
                            stroke(s, &ink, 2.0),
                        ))?;
                        hx += step;
                    }
                }
                Hatch::Dots => {
                    let rad = s.px(3.0).max(1.0) as i32;
                    let mut hx = bar.x0 + step / 4;
                    while hx + rad < bar.x1 {
                        let mut hy = bar.y0 + step / 4;
                        while hy + rad < bar.y1 {
                            root.draw(&Rectangle::new(
                                [(hx - rad, hy - rad), (hx + rad, hy + rad)],
                                ink.filled(),
                            ))?;
                            hy += step / 2;
                        }
                        hx += step / 2;
                    }
                }
            }
            if let Some(c) = outline {
                root.draw(&Rectangle::new([a, b], stroke(s, &c, 2.5)))?;
            }
            placer.add_data([bar]);
            if let Some((l, h)) = interval {
                let (l, h) = (l / u.divisor, h / u.divisor);
                let cap = (row_px as f64 * 0.18) as i32;
                let (lx, hx) = (px(l, yc).0, px(h, yc).0);
                let ws = stroke(s, &DARK_GREY, 3.0);
                root.draw(&PathElement::new(vec![(lx, cy), (hx, cy)], ws))?;
                root.draw(&PathElement::new(vec![(lx, cy - cap), (lx, cy + cap)], ws))?;
                root.draw(&PathElement::new(vec![(hx, cy - cap), (hx, cy + cap)], ws))?;
                placer.add_data([Rect::span((lx, cy - cap), (hx, cy + cap))]);
            }
        }
        // Target: a dashed line over the project rows, down to the total.
        let t_row = rows
            .iter()
            .position(|r| matches!(r, Row::TotalCut(_)))
            .unwrap_or(0);
        if let Some(t) = &d.target {
            let tx = t.value / u.divisor;
            let top = px(tx, 0.5).1;
            let bot = px(tx, -(t_row as f64) - 0.5).1;
            super::common::dashed_pixels(
                root,
                s,
                &[(px(tx, 0.0).0, top), (px(tx, 0.0).0, bot)],
                TARGET_COLOR,
                TARGET_W,
                TARGET_DASH,
            )?;
            let lw = s.px(TARGET_W).max(1.0) as i32;
            placer.add_data([Rect::span(
                (px(tx, 0.0).0 - lw, top),
                (px(tx, 0.0).0 + lw, bot),
            )]);
        }
        // Value labels beside each bar (right of the bar or whisker, else left of it), then
        // the target label in a free spot of the project rows.
        let nts = font(s, NOTE);
        let th = (s.text_px(NOTE) * 1.3) as i32;
        let gap = s.px(12.0) as i32;
        for (k, r) in rows.iter().enumerate() {
            let Some(text) = self.value_label(s, &u, r) else {
                continue;
            };
            let yc = -(k as f64);
            let cy = px(0.0, yc).1;
            let (mean, interval) = match r {
                Row::Project(b) | Row::TotalCut(b) | Row::Increment(b) => (b.mean, b.interval),
                Row::TotalIncrement(v) | Row::Net(v) => (*v, None),
                Row::Heading(_) => continue,
            };
            let (l, h) = interval.unwrap_or((mean, mean));
            let right = px(h.max(mean).max(0.0) / u.divisor, yc).0;
            let left = px(l.min(mean).min(0.0) / u.divisor, yc).0;
            let tw = text_width(root, &text, &nts)?;
            let mut cands = vec![
                Rect::left_at(right + gap, cy, tw, th),
                Rect::left_at(left - gap - tw, cy, tw, th),
            ];
            // Past the target line when it sits just after the bar.
            if let Some(t) = &d.target {
                let tx = px(t.value / u.divisor, yc).0;
                cands.push(Rect::left_at(tx.max(right) + 2 * gap, cy, tw, th));
            }
            if let Some(b) = placer.place(cands) {
                text_at(root, &text, (b.x0, cy), &nts, HPos::Left, VPos::Center)?;
            }
        }
        if let (Some(t), Some(text)) = (&d.target, self.target_label(s, &u)) {
            let tw = text_width(root, &text, &font(s, NOTE))?;
            let tx = px(t.value / u.divisor, 0.0).0;
            let mut cands = Vec::new();
            for k in 0..=t_row {
                let cy = px(0.0, -(k as f64)).1;
                cands.push(Rect::left_at(tx + gap, cy, tw, th));
                cands.push(Rect::left_at(tx - gap - tw, cy, tw, th));
            }
            let wish = (tx + gap + tw / 2, px(0.0, 0.0).1);
            cands.extend(placer.grid_near(wish, tw, th));
            if let Some(b) = placer.place(cands) {
                let (_, cy) = b.centre();
                text_at(root, &text, (b.x0, cy), &nts, HPos::Left, VPos::Center)?;
            }
        }
        // P(target met) beside the total (after its value label), else near it.
        if let Some(text) = self.p_label(s) {
            let pts = font(s, AXIS);
            let tw = text_width(root, &text, &pts)?;
            let ph = (s.text_px(AXIS) * 1.3) as i32;
            let cy = px(0.0, -(t_row as f64)).1;
            let x_right = placer
                .labels
                .iter()
                .filter(|l| l.y0 <= cy && l.y1 >= cy)
                .map(|l| l.x1)
                .max()
                .unwrap_or(ox);
            let mut cands = vec![Rect::left_at(x_right + 2 * gap, cy, tw, ph)];
            cands.extend(placer.grid_near((x_right + 2 * gap + tw / 2, cy), tw, ph));
            if let Some(b) = placer.place(cands) {
                let (_, cy) = b.centre();
                text_at(root, &text, (b.x0, cy), &pts, HPos::Left, VPos::Center)?;
            }
        }
        placer.finish();
        Ok(())
    }
}
