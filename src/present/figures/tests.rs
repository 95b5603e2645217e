//! Tests of the figure data, labels, catalogue and rendering.

use super::catalogue::*;
use super::data::*;
use super::labels::*;
use super::render::*;
use super::*;
use crate::analysis::compare::Attainment;
use crate::analysis::summary::{IndicatorSummary, RunSummary, TargetSummary};
use crate::engine::{RunResult, SERIES};
use crate::model::Pollutant;
use crate::model::indicators::Unit as ModelUnit;
use crate::present::charts::{
    self, Direction, FanLayout, Label, Lang, ScenarioKey, Unit, WedgeData, WedgeMeasure,
};
use crate::present::units::format_value;
use crate::scenario::{Comparison, TargetKind};

/// A view of one synthetic run.
fn view<'a>(
    id: &'a str,
    key: &'a ScenarioKey,
    result: &'a RunResult,
    summary: &'a RunSummary,
) -> RunView<'a> {
    RunView {
        id,
        key,
        result,
        summary,
    }
}
use crate::analysis::summary::{BookYear, Dist, SeriesYear, WedgeYear};
use crate::engine::{Cell, RunConfig};
use crate::model::IndicatorDef;

fn dist(mean: f64) -> Dist {
    Dist {
        mean,
        sd: 1.0,
        p5: mean - 2.0,
        p25: mean - 1.0,
        p50: mean,
        p75: mean + 1.0,
        p95: mean + 2.0,
        n: 4,
    }
}

/// A run with two indicators (a fraction and tonnes), 4 draws, one target each, three
/// years, the co2_total_t and co2_frozen_t series and two CO₂ measures.
fn synthetic(id: &str, shift: f64) -> (RunResult, RunSummary) {
    let indicators = vec![
        IndicatorDef {
            name: "co2_intensity_change",
            unit: ModelUnit::Fraction,
            label_en: "CO₂ intensity change",
            label_zh: "碳强度变化",
        },
        IndicatorDef {
            name: "nox_key_project_reduction_t",
            unit: ModelUnit::Tonnes,
            label_en: "NOx reduction",
            label_zh: "氮氧化物减排量",
        },
    ];
    // Per draw: two indicators, no target columns.
    let per_draw = vec![
        -0.20 + shift,
        5000.0,
        -0.10 + shift,
        6000.0,
        -0.30 + shift,
        7000.0,
        -0.15 + shift,
        8000.0,
    ];
    let years = vec![2020, 2021, 2022];
    let result = RunResult {
        scenario_id: id.to_string(),
        config: RunConfig {
            draws: 4,
            seed: 1,
            first_draw: 0,
        },
        years: years.clone(),
        cells: vec![Cell::default(); SERIES.len() * years.len()],
        wedges: Vec::new(),
        measures: Vec::new(),
        book_lines: Vec::new(),
        book: Vec::new(),
        indicators,
        targets: Vec::new(),
        per_draw,
        met: Vec::new(),
        calibration_clamped: 0,
        reconciliation: Default::default(),
    };
    let mut series = Vec::new();
    for (k, &y) in years.iter().enumerate() {
        let kf = k as f64;
        series.push(SeriesYear {
            name: "co2_total_t",
            unit: ModelUnit::TonnesCo2,
            year: y,
            mean: 100.0 - 5.0 * kf,
            sd: 1.0,
            quantiles: [90.0 - kf, 95.0 - kf, 99.0 - 5.0 * kf, 103.0, 110.0],
        });
        series.push(SeriesYear {
            name: "co2_frozen_t",
            unit: ModelUnit::TonnesCo2,
            year: y,
            mean: 100.0 + 10.0 * kf,
            sd: 1.0,
            quantiles: [f64::NAN; 5],
        });
    }
    let mut wedges = Vec::new();
    for (m, label) in [("a", 10.0), ("b", 5.0)] {
        for (k, &y) in years.iter().enumerate() {
            wedges.push(WedgeYear {
                measure: m.to_string(),
                label_en: m.to_uppercase(),
                label_zh: m.to_string(),
                pollutant: Pollutant::Co2,
                year: y,
                mean_t: label * k as f64,
            });
        }
    }
    let t = |id: &str, ind: &str, cmp: Comparison, thr: f64, p: f64| TargetSummary {
        id: id.to_string(),
        indicator: ind.to_string(),
        comparison: cmp,
        threshold: thr,
        year: 2022,
        kind: TargetKind::Binding,
        source: "test".to_string(),
        met: 2,
        n: 4,
        probability: p,
        low95: 0.1,
        high95: 0.9,
        dist: dist(0.0),
    };
    let summary = RunSummary {
        scenario: id.to_string(),
        calibration_clamped_draws: 0,
        reconciliation: Default::default(),
        draws: 4,
        seed: 1,
        indicators: vec![
            IndicatorSummary {
                name: "co2_intensity_change".to_string(),
                unit: ModelUnit::Fraction,
                label_en: "CO₂ intensity change".to_string(),
                label_zh: "碳强度变化".to_string(),
                year: 2022,
                dist: dist(-0.2 + shift),
            },
            IndicatorSummary {
                name: "nox_key_project_reduction_t".to_string(),
                unit: ModelUnit::Tonnes,
                label_en: "NOx reduction".to_string(),
                label_zh: "氮氧化物减排量".to_string(),
                year: 2022,
                dist: dist(6500.0),
            },
        ],
        targets: vec![
            t(
                "co2",
                "co2_intensity_change",
                Comparison::AtMost,
                -0.18,
                0.5,
            ),
            t(
                "nox",
                "nox_key_project_reduction_t",
                Comparison::AtLeast,
                6300.0,
                0.5,
            ),
        ],
        series,
        wedges,
        ledger: Vec::new(),
        increments: Vec::new(),
    };
    (result, summary)
}

fn key(order: usize, id: &str) -> ScenarioKey {
    ScenarioKey {
        order,
        label: Label::new(id, id),
    }
}

#[test]
fn distribution_is_scaled_to_percent_with_target_and_probability() {
    let (r, s) = synthetic("a", 0.0);
    let k = key(0, "a");
    let v = view("a", &k, &r, &s);
    let d = distribution_data(&v, 0).expect("has spread");
    assert_eq!(d.unit, Unit::Percent);
    assert!((d.draws[0] - (-20.0)).abs() < 1e-9, "{:?}", d.draws);
    assert_eq!(d.draws.len(), 4);
    let t = d.target.expect("target");
    assert!((t.value - (-18.0)).abs() < 1e-9);
    assert_eq!(t.direction, Direction::LowerIsBetter);
    assert_eq!(d.p_target_met, Some(0.5));
    let n = distribution_data(&v, 1).expect("tonnes");
    assert_eq!(n.unit, Unit::Tonnes);
    assert_eq!(
        n.target.map(|t| t.direction),
        Some(Direction::HigherIsBetter)
    );
}

#[test]
fn rendered_figures_come_back_in_figure_order_whatever_order_they_were_drawn_in() {
    // Jobs are drawn costliest first (distribution panels before the table); the report
    // must still list figures in their given order, each with its languages in order.
    let Ok(en) = charts::setup_fonts(Lang::En, None) else {
        assert!(
            !charts::fonts::fonts_required(),
            "CI=true but no font found"
        );
        println!("SKIPPED: no font found");
        return;
    };
    let langs = [LangFont {
        lang: Lang::En,
        font: en.font.clone(),
    }];
    let (r0, s0) = synthetic("a", 0.0);
    let (r1, s1) = synthetic("b", 0.05);
    let (k0, k1) = (key(0, "a"), key(1, "b"));
    let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
    let specs = compare_figures(&views, &[]);
    let first_panel = specs
        .iter()
        .position(|f| matches!(f.chart, ChartKind::DistributionPanels(_)))
        .expect("distribution panels");
    assert!(
        first_panel > 0,
        "a figure drawn later comes before the panels"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let footer = |_: Lang, _: &FigureSpec| "test".to_string();
    let report = render_figures(&specs, dir.path(), &langs, &footer, charts::PrintSize::A4)
        .expect("rendered");
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let got: Vec<&str> = report.figures.iter().map(|f| f.name.as_str()).collect();
    let want: Vec<&str> = specs.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(got, want);
}

#[test]
fn compare_draws_one_small_multiple_per_indicator_with_a_panel_per_scenario_that_has_it() {
    let (r0, s0) = synthetic("a", 0.0);
    let (r1, s1) = synthetic("b", 0.05);
    let (mut r2, s2) = synthetic("c", 0.1);
    // Scenario c: the NOx column has no spread, so it has no NOx distribution.
    for k in [1, 3, 5, 7] {
        r2.per_draw[k] = 5000.0;
    }
    let (k0, k1, k2) = (key(0, "a"), key(1, "b"), key(2, "c"));
    let views = [
        view("a", &k0, &r0, &s0),
        view("b", &k1, &r1, &s1),
        view("c", &k2, &r2, &s2),
    ];
    let figs = compare_figures(&views, &[]);
    let dists: Vec<&FigureSpec> = figs
        .iter()
        .filter(|f| f.name.starts_with("distribution_"))
        .collect();
    let names: Vec<&str> = dists.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "distribution_co2_intensity_change",
            "distribution_nox_key_project_reduction_t"
        ]
    );
    let orders = |f: &FigureSpec| match &f.chart {
        ChartKind::DistributionPanels(d) => d
            .panels
            .iter()
            .map(|p| p.scenario.order)
            .collect::<Vec<_>>(),
        other => panic!("{} is a {} chart", f.name, other.name()),
    };
    assert_eq!(orders(dists[0]), [0, 1, 2]);
    assert_eq!(orders(dists[1]), [0, 1]);
    for f in &dists {
        assert_eq!(f.section, COMPARE_SECTION);
        assert!(
            f.caption.en.contains("one panel per scenario"),
            "{}",
            f.caption.en
        );
    }
    assert!(
        dists[1]
            .caption
            .en
            .contains("P(target met): a 50 %, b 50 %")
    );
    assert!(dists[1].caption.zh.contains("达标概率：a 50 %，b 50 %"));
    // No per-scenario distribution or wedge charts in a comparison: one wedge figure per
    // pollutant with a panel per scenario.
    assert!(!figs.iter().any(|f| f.name.starts_with("distribution_a_")));
    assert!(!figs.iter().any(|f| f.name.starts_with("wedge_a_")));
    let wedge = figs
        .iter()
        .find(|f| f.name == "wedge_co2")
        .expect("wedge_co2");
    match &wedge.chart {
        ChartKind::WedgePanels(d) => assert_eq!(
            d.panels
                .iter()
                .map(|p| p.scenario.order)
                .collect::<Vec<_>>(),
            [0, 1, 2]
        ),
        other => panic!("wedge_co2 is a {} chart", other.name()),
    }
    // A single run keeps its own distribution charts.
    let own = scenario_figures(&views[0], true);
    assert!(
        own.iter()
            .any(|f| f.name == "distribution_a_co2_intensity_change"
                && matches!(f.chart, ChartKind::Distribution(_)))
    );
}

#[test]
fn exceedance_follows_target_direction_and_per_draw_columns() {
    let (r0, s0) = synthetic("a", 0.0);
    let (r1, s1) = synthetic("b", 0.05);
    let (k0, k1) = (key(0, "a"), key(1, "b"));
    let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
    let e = exceedance_data(&views, "co2_intensity_change", 100).expect("data");
    assert_eq!(e.series.len(), 2);
    assert_eq!(e.series[1].scenario.order, 1);
    // Lower is better: P(value < x) at the largest draw (−10 %) is 3/4.
    let last = e.series[0].points.last().copied().unwrap_or_default();
    assert!((last.0 - (-10.0)).abs() < 1e-9 && (last.1 - 0.75).abs() < 1e-12);
    // The shifted scenario's curve lies 5 points to the right.
    assert!((e.series[1].points[0].0 - e.series[0].points[0].0 - 5.0).abs() < 1e-9);
    let n = exceedance_data(&views, "nox_key_project_reduction_t", 100).expect("nox");
    assert_eq!(n.direction, Direction::HigherIsBetter);
    assert!((n.series[0].points[0].1 - 0.75).abs() < 1e-12);
    assert!(exceedance_data(&views, "no_such", 100).is_none());
    assert!(!continuous(ModelUnit::Year) && continuous(ModelUnit::Tonnes));
    let b = box_data(&views, "co2_intensity_change").expect("boxes");
    assert!((b.boxes[1].stats.median - (-15.0)).abs() < 1e-9);
}

/// The synthetic run with its targets moved to 2021 (before the 2022 horizon), with
/// per-draw target columns `co2` (fraction) and `nox` (t), as a 2030-aligned comparison
/// holds its 2025 targets.
fn with_earlier_targets(
    (mut r, mut s): (RunResult, RunSummary),
    co2: [f64; 4],
    nox: [f64; 4],
) -> (RunResult, RunSummary) {
    use crate::engine::ResolvedTarget;
    use crate::scenario::{Comparison, Target, TargetKind};
    let n_ind = r.indicators.len();
    let mut per_draw = Vec::new();
    for d in 0..4 {
        per_draw.extend_from_slice(&r.per_draw[d * n_ind..(d + 1) * n_ind]);
        per_draw.extend([co2[d], nox[d]]);
    }
    r.per_draw = per_draw;
    for (k, t) in s.targets.iter_mut().enumerate() {
        t.year = 2021;
        t.dist = dist(if k == 0 { -0.5 } else { 4000.0 });
        r.targets.push(ResolvedTarget {
            target: Target {
                id: t.id.clone(),
                indicator: t.indicator.clone(),
                comparison: if k == 0 {
                    Comparison::AtMost
                } else {
                    Comparison::AtLeast
                },
                threshold: t.threshold,
                year: 2021,
                kind: TargetKind::Binding,
                source: "test".to_string(),
            },
            indicator: k,
            t: 1,
        });
    }
    (r, s)
}

#[test]
fn comparison_charts_judge_an_indicator_in_its_target_year() {
    let (r0, s0) = with_earlier_targets(
        synthetic("a", 0.0),
        [-0.40, -0.50, -0.60, -0.55],
        [1000.0, 2000.0, 3000.0, 4000.0],
    );
    let (r1, s1) = with_earlier_targets(
        synthetic("b", 0.0),
        [-0.30, -0.35, -0.20, -0.25],
        [3000.0, 4000.0, 5000.0, 6000.0],
    );
    let (k0, k1) = (key(0, "a"), key(1, "b"));
    let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
    let b = box_data(&views, "co2_intensity_change").expect("boxes");
    assert_eq!(b.year, 2021);
    assert!((b.boxes[0].stats.median - (-50.0)).abs() < 1e-9);
    assert!((b.target.as_ref().map(|t| t.value).unwrap_or(0.0) - (-18.0)).abs() < 1e-9);
    let e = exceedance_data(&views, "co2_intensity_change", 100).expect("co2");
    assert_eq!((e.year, e.direction), (2021, Direction::LowerIsBetter));
    // The curves come from the 2021 target columns, not the 2022 indicator (−30 … −10 %).
    let xs: Vec<f64> = e.series[0].points.iter().map(|p| p.0).collect();
    assert!((xs[0] - (-60.0)).abs() < 1e-9 && xs.iter().all(|x| *x <= -40.0 + 1e-9));
    assert!(e.target.is_some());
    let n = exceedance_data(&views, "nox_key_project_reduction_t", 100).expect("nox");
    assert_eq!((n.year, n.direction), (2021, Direction::HigherIsBetter));
    assert!((n.series[1].points[0].0 - 3000.0).abs() < 1e-9);
    // Distributions likewise: the target-year figures, not the horizon-year ones.
    let dists: Vec<String> = compare_figures(&views, &[])
        .into_iter()
        .map(|f| f.name)
        .filter(|n| n.starts_with("distribution_"))
        .collect();
    assert_eq!(dists, ["distribution_co2_2021", "distribution_nox_2021"]);
    // A scenario without the 2021 target: back to the horizon-year indicator, no target.
    let (r2, mut s2) = synthetic("c", 0.0);
    s2.targets.clear();
    let k2 = key(2, "c");
    let mixed = [view("a", &k0, &r0, &s0), view("c", &k2, &r2, &s2)];
    let m = box_data(&mixed, "co2_intensity_change").expect("boxes");
    assert_eq!(m.year, 2022);
    assert!(m.target.is_none());
    // Captions mention a target line only where the chart draws one, and name the target's
    // indicator in words, never by the target's id.
    let lone = [view("c", &k2, &r2, &s2)];
    let mut without_target = 0;
    for (views, label) in [(&views[..], "with targets"), (&lone[..], "without")] {
        for f in compare_figures(views, &[]) {
            let drawn = match &f.chart {
                ChartKind::Exceedance(d) => d.target.is_some(),
                ChartKind::Fan(d) => d.target.is_some(),
                _ => continue,
            };
            without_target += usize::from(!drawn);
            for text in [&f.caption.zh, &f.caption.en] {
                let says = text.contains("target") || text.contains("目标");
                assert_eq!(says, drawn, "{label}: {}: {text}", f.name);
            }
        }
    }
    assert!(without_target > 0, "no chart without a target was checked");
    let co2 = compare_figures(&views, &[])
        .into_iter()
        .find(|f| f.name == "distribution_co2_2021")
        .expect("target distribution");
    let def = tanfeng_indicator("co2_intensity_change");
    assert!(
        co2.caption.en.starts_with(def.label_en),
        "{}",
        co2.caption.en
    );
    assert!(
        co2.caption.zh.starts_with(def.label_zh),
        "{}",
        co2.caption.zh
    );
}

fn tanfeng_indicator(name: &str) -> &'static crate::model::indicators::IndicatorDef {
    crate::model::indicators::all_defs()
        .iter()
        .find(|d| d.name == name)
        .expect("indicator")
}

/// (label, slot) of every wedge band of `figs`.
fn measure_slots(figs: &[FigureSpec]) -> Vec<(String, Option<usize>)> {
    let mut out = Vec::new();
    for f in figs {
        let panels: Vec<&WedgeData> = match &f.chart {
            ChartKind::Wedge(d) => vec![d],
            ChartKind::WedgePanels(p) => p.panels.iter().collect(),
            _ => Vec::new(),
        };
        for d in panels {
            out.extend(d.measures.iter().map(|m| (m.label.en.clone(), m.slot)));
        }
    }
    out
}

#[test]
fn a_measure_has_one_palette_slot_in_every_chart_of_a_run_and_a_comparison() {
    let (r0, s0) = synthetic("a", 0.0);
    let (r1, mut s1) = synthetic("b", 0.05);
    // The second scenario lacks measure "a" and adds "c" before "b".
    s1.wedges.retain(|w| w.measure != "a");
    let extra: Vec<WedgeYear> = s1
        .wedges
        .iter()
        .map(|w| WedgeYear {
            measure: "c".to_string(),
            label_en: "C".to_string(),
            label_zh: "c".to_string(),
            mean_t: w.mean_t * 3.0,
            ..w.clone()
        })
        .collect();
    s1.wedges.splice(0..0, extra);
    let (k0, k1) = (key(0, "a"), key(1, "b"));
    let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
    let mut all = measure_slots(&compare_figures(&views, &[]));
    assert!(all.len() >= 4, "{all:?}");
    for (label, slot) in &all {
        let first = all.iter().find(|(l, _)| l == label).map(|(_, s)| *s);
        assert_eq!(first, Some(*slot), "{label} changes slot");
    }
    all.sort();
    all.dedup();
    let slots: Vec<_> = all.iter().map(|(_, s)| *s).collect();
    assert_eq!(slots, [Some(0), Some(1), Some(2)], "{all:?}");
    // A run's own charts: one slot per measure too.
    for v in &views {
        let run = measure_slots(&scenario_figures(v, false));
        assert!(!run.is_empty());
        for (label, slot) in &run {
            assert!(run.iter().all(|(l, s)| l != label || s == slot));
        }
    }
}

#[test]
fn wedge_panels_group_the_same_small_measures_in_every_panel() {
    let panel = |sizes: [f64; 9], o: usize| WedgeData {
        indicator: Label::new("x", "x"),
        unit: Unit::Tonnes,
        scenario: key(o, "s"),
        n_draws: 4,
        years: vec![2020, 2021],
        frozen: vec![100.0, 100.0],
        median: vec![100.0, 100.0 - sizes.iter().sum::<f64>()],
        measures: sizes
            .iter()
            .enumerate()
            .map(|(i, x)| WedgeMeasure {
                slot: Some(i),
                label: Label::new(format!("m{i}"), format!("m{i}")),
                reduction: vec![0.0, *x],
            })
            .collect(),
    };
    let a = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
    let mut b = a;
    b.reverse();
    let mut panels = vec![panel(a, 0), panel(b, 1)];
    // Alone, each panel would keep a different six measures.
    let (keep, n_other) = kept_reductions(&panels);
    assert_eq!(n_other, 3);
    for d in &mut panels {
        group_reductions(d, &keep, n_other);
    }
    let names = |d: &WedgeData| {
        let mut v: Vec<String> = d.measures.iter().map(|m| m.label.en.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(names(&panels[0]), names(&panels[1]));
    assert_eq!(
        names(&panels[0]),
        ["3 other measures", "m0", "m1", "m2", "m6", "m7", "m8"]
    );
    // Grouping keeps each panel's total reduction.
    for d in &panels {
        let total: f64 = d.measures.iter().map(|m| m.reduction[1]).sum();
        assert!((total - 45.0).abs() < 1e-12);
    }
}

#[test]
fn fan_uses_sketch_quantiles_and_wedges_group_by_pollutant() {
    let (r, s) = synthetic("a", 0.0);
    let k = key(2, "a");
    let v = view("a", &k, &r, &s);
    let fs = fan_series(&v, "co2_total_t").expect("fan");
    assert_eq!(fs.years, vec![2020, 2021, 2022]);
    assert_eq!(fs.p50, vec![99.0, 94.0, 89.0]);
    assert_eq!(fs.p5, vec![90.0, 89.0, 88.0]);
    assert_eq!(fs.scenario.order, 2);
    let fd =
        fan_data(std::slice::from_ref(&v), "co2_total_t", FanLayout::Overlay).expect("fan data");
    assert_eq!(fd.base_value, 100.0);
    // The frozen series has no quantiles: no fan.
    assert!(fan_series(&v, "co2_frozen_t").is_none());
    let (w, inc) = wedge_data(&v, Pollutant::Co2, &measure_catalogue(&[v])).expect("wedge");
    assert!(inc.is_empty());
    assert_eq!(w.frozen, vec![100.0, 110.0, 120.0]);
    // The path is the mean of the total (100, 95, 90), not the sketch median.
    assert_eq!(w.median, vec![100.0, 95.0, 90.0]);
    assert_eq!(w.measures.len(), 2);
    assert_eq!(w.measures[0].reduction, vec![0.0, 10.0, 20.0]);
    assert_eq!(w.measures[0].label.en, "A");
    // Frozen − Σ mean wedges is the mean path drawn.
    let lower: Vec<f64> = (0..3)
        .map(|t| w.frozen[t] - w.measures.iter().map(|m| m.reduction[t]).sum::<f64>())
        .collect();
    assert_eq!(lower, w.median);
    assert!(wedge_data(&v, Pollutant::Nox, &measure_catalogue(&[v])).is_none());
}

#[test]
fn a_measure_raising_the_emission_is_a_band_and_named_for_the_caption() {
    let (r, mut s) = synthetic("a", 0.0);
    // Measure b raises CO₂: −5 t per year; the mean path is frozen − 10k + 5k.
    for w in s.wedges.iter_mut().filter(|w| w.measure == "b") {
        w.mean_t = -w.mean_t;
    }
    let k = key(0, "a");
    let v = view("a", &k, &r, &s);
    let (w, inc) = wedge_data(&v, Pollutant::Co2, &measure_catalogue(&[v])).expect("wedge");
    assert_eq!(w.measures.len(), 2);
    assert_eq!(w.measures[1].label.en, "B");
    assert_eq!(w.measures[1].reduction, vec![0.0, -5.0, -10.0]);
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].increase_t, 10.0);
    let specs = scenario_figures(&v, false);
    let wedge = specs
        .iter()
        .find(|f| f.name == "wedge_a_co2")
        .expect("wedge figure");
    assert!(wedge.caption.en.contains("above the frozen line"));
    assert!(wedge.caption.zh.contains("冻结线以上"));
    assert!(wedge.caption.en.contains("frozen + increases − reductions"));
}

#[test]
fn attainment_rows_and_cells_follow_the_given_orders() {
    let (r0, s0) = synthetic("a", 0.0);
    let (r1, s1) = synthetic("b", 0.05);
    let (k0, k1) = (key(0, "a"), key(1, "b"));
    let views = [view("a", &k0, &r0, &s0), view("b", &k1, &r1, &s1)];
    let att = vec![Attainment {
        scenario: "b".into(),
        target: "nox".into(),
        indicator: "nox_key_project_reduction_t".into(),
        year: 2022,
        probability: 0.25,
        low95: 0.0,
        high95: 1.0,
    }];
    let t = attainment_data(&views, &att).expect("table");
    assert_eq!(t.targets.len(), 2);
    assert!(t.targets[0].en.contains("≤ −18.0 %"), "{:?}", t.targets[0]);
    assert!(t.targets[1].zh.contains("≥"), "{:?}", t.targets[1]);
    assert!(t.probabilities[0][0].is_nan());
    assert_eq!(t.probabilities[1][1], 0.25);
}

#[test]
fn units_and_formatting() {
    use ModelUnit::*;
    assert_eq!(display_unit(Fraction), (Unit::Percent, 100.0));
    assert_eq!(display_unit(TonnesCo2).0, Unit::TonnesCo2);
    assert_eq!(format_indicator(-0.18, Fraction, Lang::En), "−18.0 %");
    assert_eq!(format_indicator(2028.0, Year, Lang::Zh), "2028");
    assert_eq!(format_indicator(f64::NAN, Tonnes, Lang::Zh), "—");
    assert_eq!(format_indicator(6300.0, Tonnes, Lang::Zh), "6300 吨");
    assert_eq!(format_indicator(6300.0, Tonnes, Lang::En), "6,300 t");
    assert_eq!(
        format_indicator(2.4e7, TonnesCo2, Lang::Zh),
        "2400 万吨 CO₂"
    );
    assert_eq!(
        format_indicator(3.5, Yuan1e8, Lang::En),
        "3.50 100 million yuan"
    );
    assert_eq!(format_value(3.5, None, Lang::En), "3.50");
    assert!(footer(Lang::Zh, "plan", 7, 500, "tanfeng 0.1.0").contains("500 次抽样"));
    // Thousands grouped in both languages, as the briefing's text writes counts.
    assert!(footer(Lang::Zh, "plan", 7, 10_000, "t").contains(" 10,000 次抽样 "));
    assert!(footer(Lang::En, "plan", 7, 10_000, "t").contains(" 10,000 draws "));
}

/// A ledger line of the synthetic run (NOx, 2022).
fn book(id: &str, kind: &'static str, mean: f64, p5: f64, p95: f64) -> BookYear {
    BookYear {
        id: id.to_string(),
        label_en: id.to_uppercase(),
        label_zh: id.to_string(),
        kind: crate::analysis::summary::BookKind::from_keyword(kind),
        pollutant: Pollutant::Nox,
        year: 2022,
        mean_t: mean,
        p5_t: p5,
        p50_t: mean,
        p95_t: p95,
    }
}

#[test]
fn ledger_chart_data_is_the_target_years_ledger_with_projects_in_their_measure_colour() {
    let (mut r, mut s) = synthetic("a", 0.0);
    // Projects: a retrofit with a wedge measure, a natural retirement without one, and a
    // project under 2 % of the total (grouped); causes: one positive, one negative, one 0.
    s.ledger = vec![
        book("sinter_denox", "retrofit", 4000.0, 3000.0, 5000.0),
        book(
            "vehicle_natural_retirement",
            "closure",
            2450.0,
            2000.0,
            2900.0,
        ),
        book("kiln_upgrade", "retrofit", 50.0, 0.0, 120.0),
    ];
    s.increments = vec![
        book("growth", "b", 3000.0, f64::NAN, f64::NAN),
        book("fleet_leavers", "c", -500.0, f64::NAN, f64::NAN),
        book("new_biomass_chp", "a", 0.0, f64::NAN, f64::NAN),
    ];
    // The indicator's distribution is the ledger's sum (6,500 t): its interval is used.
    s.targets[1].dist = Dist {
        mean: 6500.0,
        p5: 5200.0,
        p95: 7900.0,
        ..dist(6500.0)
    };
    for (k, y) in r.years.iter().enumerate() {
        s.series.push(SeriesYear {
            name: "nox_total_t",
            unit: ModelUnit::Tonnes,
            year: *y,
            mean: 40_000.0 - 2000.0 * k as f64,
            sd: 1.0,
            quantiles: [f64::NAN; 5],
        });
    }
    s.wedges.push(WedgeYear {
        measure: "industry.sinter_denox".to_string(),
        label_en: "Sinter".to_string(),
        label_zh: "烧结".to_string(),
        pollutant: Pollutant::Nox,
        year: 2022,
        mean_t: 4000.0,
    });
    r.years = vec![2020, 2021, 2022];
    let k = key(0, "a");
    let v = view("a", &k, &r, &s);
    let cat = measure_catalogue(&[v]);
    let d = ledger_data(&v, Pollutant::Nox, &cat).expect("ledger");
    assert_eq!((d.year, d.base_year), (2022, 2020));
    let names: Vec<&str> = d.projects.iter().map(|b| b.label.en.as_str()).collect();
    assert_eq!(
        names,
        [
            "SINTER_DENOX",
            "VEHICLE_NATURAL_RETIREMENT",
            "1 other project"
        ]
    );
    // The sinter project has its wedge measure's slot; the retirement one a slot after
    // every measure; the group none.
    let sinter = cat.iter().position(|m| m == "industry.sinter_denox");
    assert_eq!(d.projects[0].slot, sinter);
    assert!(d.projects[1].slot > cat.iter().position(|m| m == "b"));
    assert_eq!(d.projects[2].slot, None);
    assert_eq!(d.projects[0].interval, Some((3000.0, 5000.0)));
    assert_eq!(d.total_cut.mean, 6500.0);
    assert_eq!(d.total_cut.interval, Some((5200.0, 7900.0)));
    // Zero causes are left out; the totals and net change as computed by hand.
    assert_eq!(d.increments.len(), 2);
    assert_eq!(d.total_increment, 2500.0);
    assert_eq!(d.net_change, -4000.0);
    assert_eq!(d.target.as_ref().map(|t| t.value), Some(6300.0));
    // Under "net" accounting the indicator is not the ledger's sum: no interval for it.
    s.targets[1].dist = dist(9000.0);
    let v = view("a", &k, &r, &s);
    let d = ledger_data(&v, Pollutant::Nox, &cat).expect("ledger");
    assert_eq!(d.total_cut.interval, None);
    // The ledger is the first figure of a run, and of a comparison.
    let figs = scenario_figures(&v, false);
    assert_eq!(figs[0].name, "ledger_a_nox");
    assert_eq!(figs[0].chart.name(), "ledger");
    assert!(
        figs[0].caption.zh.contains("6500 吨"),
        "{}",
        figs[0].caption.zh
    );
    assert_eq!(compare_figures(&[v], &[])[0].name, "ledger_a_nox");
    assert!(wedge_measure_of("vehicle_natural_retirement", Pollutant::Nox).is_none());
    assert_eq!(
        wedge_measure_of("heat_network", Pollutant::Nox).as_deref(),
        Some("heat_network.nox")
    );
    assert_eq!(
        wedge_measure_of("treatment_inks", Pollutant::Vocs).as_deref(),
        Some("vocs.removal.inks")
    );
}
