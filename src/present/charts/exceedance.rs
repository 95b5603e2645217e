//! Chart 4: exceedance curves, P(indicator better than x) against x, one line per scenario.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::ChartError;
use super::common::{
    Key, LegendItem, NOTE, PResult, Painter, all_finite, build, dashed_line, draws_text, font,
    frame, label_areas, marker_px, mesh, padded, render_both, text_width, tick_fmt, with_unit,
};
use super::data::{Direction, ExceedanceData};
use super::distribution::{TARGET_DASH, TARGET_W, boxed_text};
use super::place::{Placer, Rect, polyline_boxes};
use super::style::{
    AxisUnit, ChartStyle, Lang, TARGET_COLOR, axis_unit, format_number, scenario_color,
    scenario_dash, scenario_marker,
};

/// Renders the exceedance chart of `data`.
pub fn render_exceedance(
    data: &ExceedanceData,
    style: &ChartStyle,
    stem: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    render_both(&Exc(data), style, stem)
}

pub(crate) struct Exc<'a>(pub(crate) &'a ExceedanceData);

impl Exc<'_> {
    fn title(&self, s: &ChartStyle) -> String {
        let d = self.0;
        let names: Vec<&str> = d.series.iter().map(|x| s.t(&x.scenario.label)).collect();
        // More than two scenario names do not fit on one title line (the legend names them).
        let sc = if names.len() > 2 {
            match s.lang {
                Lang::Zh => format!("{} 个（见图例）", names.len()),
                Lang::En => format!("{} (see legend)", names.len()),
            }
        } else {
            names.join(s.tr("、", ", "))
        };
        match s.lang {
            Lang::Zh => format!(
                "{} {} 年优于给定值的概率 · 情景：{} · 每情景 {}",
                s.t(&d.indicator),
                d.year,
                sc,
                draws_text(s, d.n_draws)
            ),
            Lang::En => format!(
                "{} in {}: probability of being better than x · scenarios: {} · {} each",
                s.t(&d.indicator),
                d.year,
                sc,
                draws_text(s, d.n_draws)
            ),
        }
    }

    fn x_range(&self) -> (f64, f64) {
        let d = self.0;
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for sr in &d.series {
            for p in &sr.points {
                lo = lo.min(p.0);
                hi = hi.max(p.0);
            }
        }
        if let Some(t) = &d.target {
            lo = lo.min(t.value);
            hi = hi.max(t.value);
        }
        (lo, hi)
    }

    fn unit(&self, s: &ChartStyle) -> AxisUnit {
        let (lo, hi) = self.x_range();
        axis_unit(&self.0.unit, s.lang, lo.abs().max(hi.abs()))
    }

    fn y_desc(&self, s: &ChartStyle) -> String {
        match (s.lang, self.0.direction) {
            (Lang::Zh, Direction::LowerIsBetter) => "P(低于 x)（%）".to_string(),
            (Lang::Zh, Direction::HigherIsBetter) => "P(高于 x)（%）".to_string(),
            (Lang::En, Direction::LowerIsBetter) => "P(below x) (%)".to_string(),
            (Lang::En, Direction::HigherIsBetter) => "P(above x) (%)".to_string(),
        }
    }

    fn x_desc(&self, s: &ChartStyle, u: &AxisUnit) -> String {
        let name = format!("{} x", s.t(&self.0.indicator));
        with_unit(s, &name, u)
    }

    fn legend(&self, s: &ChartStyle) -> Vec<LegendItem> {
        let mut v: Vec<LegendItem> = self
            .0
            .series
            .iter()
            .map(|sr| {
                let o = sr.scenario.order;
                LegendItem {
                    key: Key::LineMarker(
                        scenario_color(o),
                        4.5,
                        scenario_dash(o),
                        scenario_marker(o),
                    ),
                    label: s.t(&sr.scenario.label).to_string(),
                }
            })
            .collect();
        if let Some(t) = &self.0.target {
            v.push(LegendItem {
                key: Key::Line(TARGET_COLOR, TARGET_W, TARGET_DASH),
                label: s.t(&t.label).to_string(),
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

impl Painter for Exc<'_> {
    fn validate(&self) -> Result<(), String> {
        let d = self.0;
        if d.series.is_empty() || d.series.iter().any(|s| s.points.len() < 2) {
            return Err("every scenario needs at least two curve points".to_string());
        }
        for sr in &d.series {
            all_finite("curve", sr.points.iter().flat_map(|p| [&p.0, &p.1]))?;
            if let Some(p) = sr.points.iter().find(|p| !(0.0..=1.0).contains(&p.1)) {
                return Err(format!("probability {} outside 0..=1", p.1));
            }
        }
        Ok(())
    }

    fn texts(&self, s: &ChartStyle) -> Vec<String> {
        let u = self.unit(s);
        let mut v = vec![self.title(s), self.y_desc(s), self.x_desc(s, &u)];
        v.extend(self.legend(s).into_iter().map(|l| l.label));
        v.extend(self.target_label(s, &u));
        v
    }

    fn paint<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &ChartStyle) -> PResult {
        let d = self.0;
        let u = self.unit(s);
        let area = frame(root, s, &self.title(s), &self.legend(s))?;
        let (lo, hi) = self.x_range();
        let (x0, x1) = padded(lo / u.divisor, hi / u.divisor, 0.04);
        let (bottom, left) = label_areas(s);
        let mut chart = build(&area, s, (x0, x1), (0.0, 100.0), bottom, left)?;
        let xf = tick_fmt(x0, x1, 10, s.lang);
        let yf = |v: &f64| format!("{v:.0}");
        mesh(
            &mut chart,
            s,
            &self.x_desc(s, &u),
            &self.y_desc(s),
            &xf,
            &yf,
            10,
        )?;
        let plot_area = chart.plotting_area();
        let (pw, ph) = plot_area.dim_in_pixel();
        let (ox, oy) = plot_area.get_base_pixel();
        let mut placer = Placer::new(Rect::span((ox, oy), (ox + pw as i32, oy + ph as i32)));
        let mr = s.px(14.0) as i32;
        for (k, sr) in d.series.iter().enumerate() {
            let o = sr.scenario.order;
            let c = scenario_color(o);
            let pts: Vec<(f64, f64)> = sr
                .points
                .iter()
                .map(|p| (p.0 / u.divisor, p.1 * 100.0))
                .collect();
            dashed_line(root, &chart, s, &pts, c, 4.5, scenario_dash(o))?;
            let px: Vec<(i32, i32)> = pts.iter().map(|p| chart.backend_coord(p)).collect();
            placer.add_data(polyline_boxes(&px, s.px(4.0) as i32));
            // Sparse markers, staggered between scenarios so they do not sit on each other.
            let n = pts.len();
            let every = (n / 6).max(1);
            let offset = (k * every / d.series.len().max(1)) % every;
            for p in pts.iter().skip(offset).step_by(every) {
                let c_px = chart.backend_coord(p);
                marker_px(root, s, scenario_marker(o), c, c_px)?;
                placer.add_data([Rect::centred(c_px.0, c_px.1, 2 * mr, 2 * mr)]);
            }
        }
        if let (Some(t), Some(text)) = (&d.target, self.target_label(s, &u)) {
            let tv = t.value / u.divisor;
            dashed_line(
                root,
                &chart,
                s,
                &[(tv, 0.0), (tv, 100.0)],
                TARGET_COLOR,
                TARGET_W,
                TARGET_DASH,
            )?;
            let tx = chart.backend_coord(&(tv, 0.0)).0;
            let lw = s.px(TARGET_W).max(2.0) as i32;
            placer.add_data([Rect::span((tx - lw, oy), (tx + lw, oy + ph as i32))]);
            // Beside the target line at some height (top first), else the free spot nearest.
            let ts = font(s, NOTE);
            let w = text_width(root, &text, &ts)? + s.px(12.0) as i32;
            let h = (s.text_px(NOTE) * 1.4) as i32;
            let gap = s.px(14.0) as i32;
            let mut cands = Vec::new();
            for level in [
                96.0, 88.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0, 4.0,
            ] {
                let cy = chart.backend_coord(&(tv, level)).1;
                cands.push(Rect::left_at(tx + gap, cy, w, h));
                cands.push(Rect::left_at(tx - gap - w, cy, w, h));
            }
            cands.extend(placer.grid_near((tx + gap + w / 2, oy), w, h));
            if let Some(r) = placer.place(cands) {
                boxed_text(root, s, &text, r.centre(), &ts, HPos::Center)?;
            }
        }
        placer.finish();
        Ok(())
    }
}
