//! Rendering tests: every chart type to PNG + SVG from a small fixed dataset, the Chinese glyph
//! checks, atomic output, and an ignored preview/timing run (`-- --ignored preview`).

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::fonts::{ChartFont, find_cjk_font_file, find_latin_font_file, fonts_required};
use super::*;

/// Deterministic normal-ish draws (LCG + Box–Muller) so fixtures need no RNG crate API.
fn normals(seed: u64, n: usize, mean: f64, sd: f64) -> Vec<f64> {
    let mut st = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut u = || {
        st = st
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((st >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let (a, b) = (u(), u());
            mean + sd * (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
        })
        .collect()
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (pos - i as f64)
}

fn scen(order: usize) -> ScenarioKey {
    let names = [
        ("基准情景", "Baseline"),
        ("规划情景", "Plan"),
        ("强化减排", "Enhanced"),
        ("低增长", "Low growth"),
        ("高增长", "High growth"),
    ];
    let (zh, en) = names[order % names.len()];
    ScenarioKey {
        order,
        label: Label::new(zh, en),
    }
}

fn co2() -> Label {
    Label::new("CO₂ 排放量", "CO₂ emissions")
}

fn co2_target() -> Target {
    Target {
        value: 4.40e7,
        direction: Direction::LowerIsBetter,
        label: Label::new("2025 年目标", "2025 target"),
    }
}

/// Scenario means of 2025 CO₂ (t) for the fake data.
const MEANS: [f64; 5] = [4.55e7, 4.32e7, 4.12e7, 4.20e7, 4.75e7];

pub(crate) fn fixture_distribution(n: usize) -> DistributionData {
    let draws = normals(7, n, MEANS[1], 2.1e6);
    let mut s = draws.clone();
    s.sort_by(f64::total_cmp);
    let t = co2_target();
    let met = draws.iter().filter(|v| **v <= t.value).count() as f64 / n as f64;
    DistributionData {
        indicator: co2(),
        unit: Unit::TonnesCo2,
        scenario: scen(1),
        year: 2025,
        p5: quantile(&s, 0.05),
        median: quantile(&s, 0.5),
        p95: quantile(&s, 0.95),
        density: Density::of(&draws),
        draws,
        n_draws: n,
        target: Some(t),
        p_target_met: Some(met),
    }
}

pub(crate) fn fixture_fan(k: usize, layout: FanLayout) -> FanData {
    let years: Vec<i32> = (2020..=2030).collect();
    let series = (0..k)
        .map(|o| {
            let slope = (MEANS[o] - 4.10e7) / 5.0;
            let med: Vec<f64> = years
                .iter()
                .map(|y| 4.10e7 + slope * f64::from(y - 2020))
                .collect();
            let spread = |q: f64| -> Vec<f64> {
                years
                    .iter()
                    .zip(&med)
                    .map(|(y, m)| m + q * 3.0e5 * f64::from(y - 2020))
                    .collect()
            };
            FanSeries {
                scenario: scen(o),
                years: years.clone(),
                p5: spread(-1.645),
                p25: spread(-0.674),
                p50: med.clone(),
                p75: spread(0.674),
                p95: spread(1.645),
            }
        })
        .collect();
    FanData {
        indicator: co2(),
        unit: Unit::TonnesCo2,
        base_year: 2020,
        base_value: 4.10e7,
        target: Some(TargetPoint {
            year: 2025,
            target: co2_target(),
        }),
        series,
        n_draws: 10_000,
        layout,
    }
}

pub(crate) fn fixture_boxes(k: usize) -> BoxCompareData {
    BoxCompareData {
        indicator: co2(),
        unit: Unit::TonnesCo2,
        year: 2025,
        n_draws: 10_000,
        target: Some(co2_target()),
        boxes: (0..k)
            .map(|o| {
                let m = MEANS[o];
                let sd = 2.0e6;
                ScenarioBox {
                    scenario: scen(o),
                    stats: BoxStats {
                        p5: m - 1.645 * sd,
                        p25: m - 0.674 * sd,
                        median: m,
                        p75: m + 0.674 * sd,
                        p95: m + 1.645 * sd,
                    },
                }
            })
            .collect(),
    }
}

pub(crate) fn fixture_table(k: usize) -> AttainmentTableData {
    let targets = vec![
        Label::new("单位 GDP 能耗下降 14.5 %", "Energy intensity −14.5 %"),
        Label::new("单位 GDP CO₂ 排放下降 18 %", "Carbon intensity −18 %"),
        Label::new("NOx 排放总量下降 10 %", "NOx emissions −10 %"),
        Label::new("VOCs 排放总量下降 10 %", "VOCs emissions −10 %"),
    ];
    let probabilities = (0..targets.len())
        .map(|r| {
            (0..k)
                .map(|c| {
                    if r == 3 && c == 4 {
                        f64::NAN
                    } else {
                        ((0.15 + 0.2 * c as f64 - 0.1 * r as f64) * 1.3).clamp(0.0, 1.0)
                    }
                })
                .collect()
        })
        .collect();
    AttainmentTableData {
        year: 2025,
        n_draws: 10_000,
        targets,
        scenarios: (0..k).map(scen).collect(),
        probabilities,
    }
}

pub(crate) fn fixture_exceedance(k: usize) -> ExceedanceData {
    ExceedanceData {
        indicator: co2(),
        unit: Unit::TonnesCo2,
        year: 2025,
        n_draws: 4_000,
        direction: Direction::LowerIsBetter,
        target: Some(co2_target()),
        series: (0..k)
            .map(|o| ExceedanceSeries {
                scenario: scen(o),
                points: exceedance_curve(
                    &normals(o as u64 + 11, 4_000, MEANS[o], 2.0e6),
                    Direction::LowerIsBetter,
                    200,
                ),
            })
            .collect(),
    }
}

pub(crate) fn fixture_wedge() -> WedgeData {
    let years: Vec<i32> = (2020..=2030).collect();
    let t = |y: i32| f64::from(y - 2020);
    let frozen: Vec<f64> = years
        .iter()
        .map(|&y| 4.10e7 * (1.0 + 0.025 * t(y)))
        .collect();
    let names = [
        ("煤电替代与可再生能源", "Coal power → renewables", 2.2e5),
        ("供热改造", "Heating retrofits", 1.4e5),
        ("工业节能", "Industrial efficiency", 1.0e5),
        ("交通电动化", "Transport electrification", 0.6e5),
    ];
    let measures: Vec<WedgeMeasure> = names
        .iter()
        .enumerate()
        .map(|(k, (zh, en, r))| WedgeMeasure {
            slot: Some(k),
            label: Label::new(*zh, *en),
            reduction: years.iter().map(|&y| r * t(y).powf(1.2)).collect(),
        })
        .collect();
    let median = (0..years.len())
        .map(|i| frozen[i] - measures.iter().map(|m| m.reduction[i]).sum::<f64>())
        .collect();
    WedgeData {
        indicator: co2(),
        unit: Unit::TonnesCo2,
        scenario: scen(2),
        n_draws: 10_000,
        years,
        frozen,
        median,
        measures,
    }
}

/// [`fixture_wedge`] plus a measure that raises the emission (negative reduction), the mean
/// path following frozen + increases − reductions.
pub(crate) fn fixture_wedge_with_increase() -> WedgeData {
    let mut d = fixture_wedge();
    d.measures.push(WedgeMeasure {
        slot: Some(4),
        label: Label::new("生物质热电联产", "Biomass CHP"),
        reduction: d
            .years
            .iter()
            .map(|&y| -0.9e5 * f64::from(y - 2020))
            .collect(),
    });
    d.median = (0..d.years.len())
        .map(|i| d.frozen[i] - d.measures.iter().map(|m| m.reduction[i]).sum::<f64>())
        .collect();
    d
}

pub(crate) fn fixture_tornado() -> TornadoData {
    let e = [
        ("GDP 年均增速", "GDP growth rate", 0.62),
        ("煤电发电煤耗", "Coal power heat rate", 0.31),
        ("风电利用小时数", "Wind full-load hours", -0.44),
        ("供热面积增长", "Heated floor area growth", 0.22),
        ("电动汽车渗透率", "EV share of new cars", -0.12),
        ("工业增加值能耗", "Industrial energy per value added", 0.18),
        ("秸秆综合利用率", "Straw utilisation rate", -0.05),
    ];
    TornadoData {
        indicator: co2(),
        scenario: scen(1),
        year: 2025,
        n_draws: 10_000,
        measure: Label::new("标准化回归系数", "Standardized regression coefficient"),
        unit: Unit::Dimensionless,
        effects: e
            .iter()
            .enumerate()
            .map(|(k, (zh, en, v))| Effect {
                label: Label::new(*zh, *en),
                id: format!("test.input_{k}"),
                value: *v,
            })
            .collect(),
    }
}

pub(crate) fn fixture_waterfall() -> WaterfallData {
    let e = [
        ("经济规模", "Economic activity", 6.1e6),
        ("产业结构", "Economic structure", -1.2e6),
        ("能源强度", "Energy intensity", -3.4e6),
        ("能源结构", "Fuel mix", -1.9e6),
        ("排放因子", "Emission factors", -0.3e6),
    ];
    let effects: Vec<Effect> = e
        .iter()
        .map(|(zh, en, v)| Effect {
            label: Label::new(*zh, *en),
            id: String::new(),
            value: *v,
        })
        .collect();
    let start = 4.10e7;
    let end = start + effects.iter().map(|x| x.value).sum::<f64>();
    WaterfallData {
        indicator: co2(),
        unit: Unit::TonnesCo2,
        scenario: scen(1),
        start_label: Label::new("2020 年", "2020"),
        start_value: start,
        effects,
        end_label: Label::new("2025 年（中位数）", "2025 (median)"),
        end_value: end,
        n_draws: 10_000,
    }
}

/// A Latin font for the English tests, or None (tests then skip, or fail on CI).
fn latin_style() -> Option<ChartStyle> {
    let f = find_latin_font_file().or_else(find_cjk_font_file)?;
    Some(ChartStyle::new(
        Lang::En,
        ChartFont::load(&f).ok()?,
        "scenario: Plan · seed 42 · 10,000 draws · tanfeng 0.1.0 (test)",
    ))
}

fn cjk_style() -> Option<ChartStyle> {
    let f = find_cjk_font_file()?;
    Some(ChartStyle::new(
        Lang::Zh,
        ChartFont::load(&f).ok()?,
        "情景：规划情景 · 随机种子 42 · 10,000 次抽样 · tanfeng 0.1.0（测试）",
    ))
}

/// Small style for fast tests (still a real size check).
fn small(mut s: ChartStyle) -> ChartStyle {
    s.width = 960;
    s.height = 600;
    s
}

fn svg_text(path: &Path) -> String {
    let xml = std::fs::read_to_string(path).unwrap_or_default();
    let doc = roxmltree::Document::parse(&xml);
    assert!(
        doc.is_ok(),
        "SVG {} does not parse: {:?}",
        path.display(),
        doc.err()
    );
    let doc = doc.unwrap_or_else(|_| unreachable!());
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks the PNG decodes to the style's size and is not blank, and the SVG contains `texts`.
fn check(paths: &[PathBuf], style: &ChartStyle, texts: &[&str]) {
    check_sized(paths, (style.width, style.height), texts);
}

/// [`check`] for an image of size `(width, height)`.
fn check_sized(paths: &[PathBuf], (width, height): (u32, u32), texts: &[&str]) {
    assert_eq!(paths.len(), 2);
    let png = &paths[0];
    assert_eq!(png.extension().and_then(|e| e.to_str()), Some("png"));
    let img = image::open(png);
    assert!(img.is_ok(), "PNG {} does not decode", png.display());
    let img = img.map(|i| i.to_rgb8()).unwrap_or_default();
    assert_eq!(img.dimensions(), (width, height));
    let total = (width * height) as usize;
    let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let dark = img
        .pixels()
        .filter(|p| p.0.iter().map(|&c| u32::from(c)).sum::<u32>() < 200)
        .count();
    assert!(
        non_white > total / 50,
        "PNG nearly blank: {non_white} non-white of {total}"
    );
    assert!(
        dark > total / 1000,
        "PNG has almost no dark (text/line) pixels: {dark}"
    );
    let coloured = img.pixels().filter(|p| {
        let [r, g, b] = p.0;
        r.max(g).max(b) - r.min(g).min(b) > 60
    });
    assert!(coloured.count() > 0, "PNG has no colour at all");
    let svg = svg_text(&paths[1]);
    for t in texts {
        assert!(
            svg.contains(t),
            "SVG {} lacks {t:?}; text was:\n{svg}",
            paths[1].display()
        );
    }
    // No temporary files left behind.
    if let Some(dir) = png.parent()
        && let Ok(rd) = std::fs::read_dir(dir)
    {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(!name.contains(".tmp."), "temporary file left: {name}");
        }
    }
}

macro_rules! need {
    ($e:expr, $what:literal) => {
        match $e {
            Some(v) => v,
            None => {
                let msg = format!(
                    "no {} font found (install fonts-dejavu-core / {})",
                    $what,
                    fonts::CJK_FONT_PACKAGE
                );
                // On CI the fonts are installed: a missing one is a failure, not a skip.
                assert!(!fonts_required(), "CI=true: {msg}");
                println!("SKIPPED: {msg}");
                return;
            }
        }
    };
}

fn tmp() -> tempfile::TempDir {
    let d = tempfile::tempdir();
    assert!(d.is_ok());
    d.unwrap_or_else(|_| unreachable!())
}

#[test]
fn distribution_chart_renders() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_distribution(&fixture_distribution(3_000), &st, &dir.path().join("dist"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "CO₂ emissions in 2025: distribution",
            "(10⁴ t CO₂)",
            "P(target met) = ",
            "Probability density (per 10⁴ t CO₂)",
            "P95 ",
        ],
    );
}

#[test]
fn fan_chart_renders_overlay_and_panels() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    for (layout, name) in [(FanLayout::Overlay, "fan_o"), (FanLayout::Panels, "fan_p")] {
        let r = render_fan(&fixture_fan(3, layout), &st, &dir.path().join(name));
        let paths = r.unwrap_or_else(|e| panic!("{e}"));
        check(
            &paths,
            &st,
            &[
                "CO₂ emissions, 2020–2030",
                "Year",
                "CO₂ emissions (10⁴ t CO₂)",
                "2025 target",
                if layout == FanLayout::Panels {
                    "2020 4,100"
                } else {
                    "2020 4,100 10⁴ t CO₂"
                },
            ],
        );
        if layout == FanLayout::Panels {
            assert!(svg_text(&paths[1]).contains("Enhanced"));
        }
    }
}

#[test]
fn quantile_labels_of_one_chart_share_their_decimals() {
    let st = small(need!(latin_style(), "Latin"));
    let u = super::style::AxisUnit {
        divisor: 1.0,
        text: "t".to_string(),
        digits: crate::present::units::Digits::Significant3,
    };
    let mut d = fixture_distribution(100);
    for ((p5, median, p95), want) in [
        (
            (910.3, 1100.0, 1303.0),
            ["P5 910", "median 1,100", "P95 1,303"],
        ),
        (
            (-14.371, -9.46, -3.65),
            ["P5 −14.4", "median −9.5", "P95 −3.6"],
        ),
        ((0.5, 1.25, 3.2), ["P5 0.50", "median 1.25", "P95 3.20"]),
        ((0.01, 0.02, 0.5), ["P5 0.010", "median 0.020", "P95 0.500"]),
    ] {
        (d.p5, d.median, d.p95) = (p5, median, p95);
        let labels = super::distribution::Dist(&d).quantile_labels(&st, &u);
        let got: Vec<&str> = labels.iter().map(|l| l.1.as_str()).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn fan_base_label_carries_the_unit_and_a_plain_zero() {
    // A change indicator is exactly 0 in the base year: "2020 0 %", not "2020 0.000".
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let mut d = fixture_fan(1, FanLayout::Overlay);
    d.unit = Unit::Percent;
    d.base_value = 0.0;
    d.target = None;
    let paths = render_fan(&d, &st, &dir.path().join("fan_pct")).unwrap_or_else(|e| panic!("{e}"));
    let svg = svg_text(&paths[1]);
    assert!(svg.contains("2020 0 %"), "base label missing");
    assert!(!svg.contains("0.000"), "zero shown with decimals");
}

#[test]
fn box_compare_renders() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_box_compare(&fixture_boxes(5), &st, &dir.path().join("box"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "CO₂ emissions in 2025 by scenario",
            "CO₂ emissions (10⁴ t CO₂)",
            "Scenario",
            "High growth",
            "Whiskers: P5–P95",
        ],
    );
}

#[test]
fn attainment_table_renders() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_attainment_table(&fixture_table(5), &st, &dir.path().join("table"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "Probability of meeting each target (each in its own year)",
            "P(target met) (%)",
            "Carbon intensity",
            " %",
            "—",
        ],
    );
}

/// The attainment colours: ten classes of 10 %, darker as p grows, the top class holding
/// 100 %; at full size a table with every class in use, numbers printed on each, has a cell in
/// its class's colour.
#[test]
fn attainment_colours_are_10_percent_classes() {
    use super::compare::{PROB_CLASSES, prob_class_color};
    let c: Vec<RGBColor> = (0..=1000)
        .map(|i| prob_class_color(f64::from(i) / 1000.0))
        .collect();
    let mut distinct = c.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), PROB_CLASSES as usize);
    let lum =
        |c: &RGBColor| 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
    assert!(c.windows(2).all(|w| lum(&w[1]) <= lum(&w[0])));
    assert_ne!(prob_class_color(0.0999), prob_class_color(0.1));
    assert_eq!(prob_class_color(0.9), prob_class_color(1.0));
    assert_eq!(prob_class_color(-1.0), prob_class_color(0.0));

    let st = need!(latin_style(), "Latin");
    let dir = tmp();
    let mut d = fixture_table(5);
    // Every class in use (twice), each cell with its number printed on it.
    for (r, row) in d.probabilities.iter_mut().enumerate() {
        for (k, p) in row.iter_mut().enumerate() {
            *p = (0.025 + 0.05 * (r * 5 + k) as f64).min(1.0);
        }
    }
    let paths = render_attainment_table(&d, &st, &dir.path().join("table"));
    let paths = paths.unwrap_or_else(|e| panic!("{e}"));
    let (_, rgb) = decode_png(&std::fs::read(&paths[0]).unwrap_or_default());
    let want = prob_class_color(0.025);
    let has = rgb.chunks_exact(3).any(|px| px == [want.0, want.1, want.2]);
    assert!(has, "no pixel of the first class's colour {want:?}");
}

#[test]
fn exceedance_renders() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_exceedance(&fixture_exceedance(5), &st, &dir.path().join("exc"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "probability of being better than x",
            "P(below x) (%)",
            "(10⁴ t CO₂)",
            "Enhanced",
        ],
    );
}

#[test]
fn wedge_renders() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_wedge(&fixture_wedge(), &st, &dir.path().join("wedge"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "net reduction by measure",
            "Year",
            "(10⁴ t CO₂)",
            "Frozen technology",
            "Heating retrofits",
        ],
    );
}

#[test]
fn wedge_stacks_increases_above_the_frozen_line_and_reductions_down_to_the_path() {
    let d = fixture_wedge_with_increase();
    let bands = super::wedge::stack(&d);
    let inc: Vec<_> = bands.iter().filter(|b| b.increase.is_some()).collect();
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].measure, 4);
    assert_eq!(inc[0].bottom, d.frozen);
    assert!(inc[0].top.iter().zip(&d.frozen).skip(1).all(|(t, f)| t > f));
    // Reductions start at frozen + increases and their lowest edge is the mean path, so the
    // path line cuts no band.
    let red: Vec<_> = bands.iter().filter(|b| b.increase.is_none()).collect();
    assert_eq!(red.len(), 4);
    assert_eq!(red[0].top, inc[0].top);
    for w in red.windows(2) {
        assert_eq!(w[0].bottom, w[1].top);
    }
    let last = red.last().map(|b| b.bottom.clone()).unwrap_or_default();
    for (low, mean) in last.iter().zip(&d.median) {
        assert!((low - mean).abs() < 1e-6 * mean.abs(), "{low} vs {mean}");
    }
    // Reductions are drawn first, the increase hatching over them.
    assert!(bands.last().is_some_and(|b| b.increase.is_some()));
}

/// Points of an SVG `points` attribute.
fn svg_points(p: &str) -> Vec<(f64, f64)> {
    p.split_whitespace()
        .filter_map(|xy| {
            let (x, y) = xy.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

#[test]
fn wedge_draws_the_increase_band_above_the_frozen_line_with_its_label() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_wedge(
        &fixture_wedge_with_increase(),
        &st,
        &dir.path().join("wedge_inc"),
    );
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "Biomass CHP (increase)",
            "Heating retrofits",
            "reductions and increases by measure",
        ],
    );
    let xml = std::fs::read_to_string(&paths[1]).unwrap_or_default();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}"));
    // The frozen line: the black solid polyline with one point per year.
    let frozen = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some("#000000"))
        .map(|n| svg_points(n.attribute("points").unwrap_or("")))
        .max_by_key(|p| p.len())
        .unwrap_or_default();
    assert_eq!(frozen.len(), 11, "frozen polyline not found");
    let at = |x: f64| {
        let k = frozen
            .windows(2)
            .position(|w| w[0].0 <= x && x <= w[1].0)
            .unwrap_or(0);
        let (a, b) = (frozen[k], frozen[k + 1]);
        a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
    };
    // The increase band's outline, in the measure's own colour.
    let colour = super::style::css_hex(super::style::measure_color(Some(4)));
    let outline = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("polyline")
                && n.attribute("stroke")
                    .is_some_and(|f| f.eq_ignore_ascii_case(&colour))
        })
        .map(|n| svg_points(n.attribute("points").unwrap_or("")))
        .max_by_key(|p| p.len())
        .unwrap_or_default();
    assert_eq!(outline.len(), 23, "increase outline in {colour} not found");
    // SVG y grows downward: every vertex on or above the frozen line, some well above it.
    assert!(
        outline.iter().all(|&(x, y)| y <= at(x) + 1.5),
        "{outline:?}"
    );
    assert!(outline.iter().any(|&(x, y)| y < at(x) - 5.0), "{outline:?}");
}

#[test]
fn peak_year_bars_render_with_target_and_probability() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let draws: Vec<f64> = (0..1000)
        .map(|i| match i % 10 {
            0..=3 => 2020.0,
            4 | 5 => 2021.0,
            6 => 2029.0,
            _ => 2030.0,
        })
        .collect();
    let shares = discrete_shares(&draws);
    assert_eq!(
        shares,
        vec![(2020, 0.4), (2021, 0.2), (2029, 0.1), (2030, 0.3)]
    );
    let d = DiscreteData {
        indicator: Label::new("二氧化碳排放达峰年份", "Year of peak CO₂"),
        scenario: scen(1),
        year: 2030,
        base_year: 2020,
        n_draws: 1000,
        shares,
        target: Some(Target {
            value: 2029.0,
            direction: Direction::LowerIsBetter,
            label: Label::new("碳达峰目标", "carbon-peak target"),
        }),
        p_target_met: Some(0.7),
    };
    let r = render_discrete(&d, &st, &dir.path().join("peak"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "Year of peak CO₂: distribution (judged in 2030)",
            "P(target met: ≤ 2029) = 70 %",
            "40.0 %",
            "2030",
            "Share of draws (%)",
        ],
    );
    // Years are not digit-grouped.
    assert!(!svg_text(&paths[1]).contains("2,030"));
    let mut bad = d.clone();
    bad.shares = vec![(2021, 0.5), (2020, 0.5)];
    assert!(render_discrete(&bad, &st, &dir.path().join("bad")).is_err());
}

#[test]
fn tornado_and_waterfall_render() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let tornado = fixture_tornado();
    let r = render_tornado(&tornado, &st, &dir.path().join("tornado"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    // Taller than the style: each input has a line for its id.
    let size = common::Painter::size(&super::sensitivity::Tornado(&tornado), &st);
    assert!(size.1 >= st.height);
    check_sized(
        &paths,
        size,
        &[
            "Sensitivity of CO₂ emissions in 2025",
            "(dimensionless)",
            "GDP growth rate",
            // The internal id as a small grey suffix under the name.
            "test.input_0",
            "+0.62",
            "−0.44",
        ],
    );
    let r = render_waterfall(&fixture_waterfall(), &st, &dir.path().join("waterfall"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "LMDI decomposition",
            // The title wraps at this width.
            "scenario: Plan",
            "10,000 draws",
            "(10⁴ t CO₂)",
            // A factor's name may wrap under its bar at print size.
            "intensity",
            "2025 (median)",
            "+610",
        ],
    );
}

#[test]
fn tornado_sorts_by_absolute_effect() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let r = render_tornado(&fixture_tornado(), &st, &dir.path().join("t"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    let xml = std::fs::read_to_string(&paths[1]).unwrap_or_default();
    // Labels are drawn top to bottom in |effect| order: GDP (0.62) before wind (−0.44) before coal (0.31).
    let pos = |s: &str| xml.find(s).unwrap_or(usize::MAX);
    assert!(pos("GDP growth rate") < pos("Wind full-load hours"));
    assert!(pos("Wind full-load hours") < pos("Coal power heat rate"));
    assert!(pos("Coal power heat rate") < pos("Straw utilisation rate"));
}

#[test]
fn invalid_data_and_unwritable_paths_are_errors_with_the_path() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let mut d = fixture_distribution(100);
    d.draws = vec![f64::NAN; 10];
    let r = render_distribution(&d, &st, &dir.path().join("bad"));
    assert!(matches!(r, Err(ChartError::InvalidData { ref path, .. }) if path.ends_with("bad")));
    // A density estimate not made from the draws (they were changed afterwards).
    let mut d = fixture_distribution(100);
    d.draws.truncate(60);
    match render_distribution(&d, &st, &dir.path().join("stale")) {
        Err(ChartError::InvalidData { reason, .. }) => {
            assert!(reason.contains("made from 100 draws"), "{reason}")
        }
        other => panic!("expected invalid data, got {other:?}"),
    }
    let mut b = fixture_boxes(2);
    b.boxes[0].stats.p25 = b.boxes[0].stats.p75 + 1.0;
    assert!(matches!(
        render_box_compare(&b, &st, &dir.path().join("b")),
        Err(ChartError::InvalidData { .. })
    ));
    let missing_dir = dir.path().join("no/such/dir/x");
    let r = render_wedge(&fixture_wedge(), &st, &missing_dir);
    match r {
        Err(ChartError::Draw { path, .. }) | Err(ChartError::Io { path, .. }) => {
            assert!(path.starts_with(dir.path().join("no")))
        }
        other => panic!("expected a write error, got {other:?}"),
    }
    let mut tiny = st.clone();
    tiny.width = 10;
    assert!(matches!(
        render_wedge(&fixture_wedge(), &tiny, &dir.path().join("w")),
        Err(ChartError::InvalidData { .. })
    ));
}

/// Renders `text` in `family` at 80 px into an 800×160 white PNG at a known place; returns luma.
fn text_probe(font: &ChartFont, text: &str) -> Vec<u8> {
    let (w, h) = (800u32, 160u32);
    let mut rgb = vec![0xFFu8; (w * h * 3) as usize];
    {
        let inner = BitMapBackend::with_buffer(&mut rgb, (w, h));
        let root = super::text::TextFix {
            inner,
            font: font.outlines().clone(),
            raster: true,
            log: None,
        }
        .into_drawing_area();
        let style = TextStyle::from((font.family(), 80.0).into_font()).color(&BLACK);
        assert!(
            root.draw(&Text::new(text.to_string(), (20, 40), style))
                .is_ok()
        );
        assert!(root.present().is_ok());
    }
    rgb.chunks_exact(3)
        .map(|p| ((u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3) as u8)
        .collect()
}

#[test]
fn chinese_labels_render_with_real_glyphs() {
    let st = small(need!(cjk_style(), "CJK"));
    let cjk = st.font.clone();
    let dir = tmp();
    // 1. A Chinese chart renders and its SVG carries the Chinese text.
    let r = render_distribution(&fixture_distribution(2_000), &st, &dir.path().join("zh"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    check(
        &paths,
        &st,
        &[
            "CO₂ 排放量 2025 年取值分布",
            "万吨 CO₂",
            "P(达标) = ",
            "中位数",
            "概率密度",
        ],
    );
    // 2. The string rendered alone puts many dark pixels in the known region (the text box
    //    starting at (20, 40)) and none far outside it.
    let text = "碳达峰目标";
    let zh = text_probe(&cjk, text);
    let dark_in = |v: &[u8], rows: std::ops::Range<usize>| {
        rows.flat_map(|y| (0..800).map(move |x| (x, y)))
            .filter(|&(x, y)| v.get(y * 800 + x).is_some_and(|&l| l < 128))
            .count()
    };
    assert!(
        dark_in(&zh, 30..150) > 2_000,
        "too few dark pixels: {}",
        dark_in(&zh, 30..150)
    );
    assert_eq!(dark_in(&zh, 0..20), 0, "ink above the text box");
    // Every glyph is distinct: tofu boxes would all be the same picture.
    let singles: Vec<Vec<u8>> = text
        .chars()
        .map(|c| text_probe(&cjk, &c.to_string()))
        .collect();
    for a in 0..singles.len() {
        for b in a + 1..singles.len() {
            let diff = singles[a]
                .iter()
                .zip(&singles[b])
                .filter(|(p, q)| p.abs_diff(**q) > 64)
                .count();
            assert!(
                diff > 300,
                "glyphs {a} and {b} look alike ({diff} px differ): tofu?"
            );
        }
    }
    // 3. Each glyph differs from every other and from .notdef: tofu boxes are all identical.
    let missing = cjk.missing_glyphs("碳排放达标万吨中位数概率密度");
    assert_eq!(missing, Vec::<char>::new());
    // 4. Positive control: a font without CJK renders tofu, the detector says so, the pixels
    //    differ from the CJK rendering, and the renderer refuses to draw.
    let latin = find_latin_font_file()
        .filter(|f| f.family != cjk.family())
        .and_then(|f| ChartFont::load(&f).ok());
    if let Some(latin) = latin {
        let tofu = text_probe(&latin, text);
        let differing = zh
            .iter()
            .zip(&tofu)
            .filter(|(a, b)| a.abs_diff(**b) > 64)
            .count();
        assert!(
            differing > 2_000,
            "CJK rendering looks like tofu ({differing} px differ)"
        );
        let m = latin.missing_glyphs(text);
        assert_eq!(m.len(), text.chars().count(), "detector missed tofu: {m:?}");
        let mut bad = st.clone();
        bad.font = latin.clone();
        let r = render_distribution(&fixture_distribution(500), &bad, &dir.path().join("tofu"));
        assert!(matches!(r, Err(ChartError::MissingGlyphs { .. })), "{r:?}");
        assert!(!dir.path().join("tofu.svg").exists());
    } else {
        println!("NOTE: no Latin-only font for the tofu comparison; checked CJK side only");
    }
}

/// Writes every chart type in both languages to /tmp/charts-preview at the default size and prints
/// the time to render all types for a 5-scenario comparison. Run with
/// `cargo test --release --lib charts::tests::preview -- --ignored --nocapture`.
#[test]
#[ignore]
fn preview() {
    let out = PathBuf::from("/tmp/charts-preview");
    assert!(std::fs::create_dir_all(&out).is_ok());
    let mut styles = vec![need!(latin_style(), "Latin")];
    if let Some(s) = cjk_style() {
        styles.push(s);
    }
    for st in &styles {
        let tag = match st.lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        let t0 = std::time::Instant::now();
        let stem = |n: &str| out.join(format!("{n}_{tag}"));
        let results = [
            render_distribution(&fixture_distribution(10_000), st, &stem("1_distribution")),
            render_fan(
                &fixture_fan(5, FanLayout::Overlay),
                st,
                &stem("2_fan_overlay"),
            ),
            render_fan(
                &fixture_fan(5, FanLayout::Panels),
                st,
                &stem("2_fan_panels"),
            ),
            render_box_compare(&fixture_boxes(5), st, &stem("3_box")),
            render_attainment_table(&fixture_table(5), st, &stem("3_table")),
            render_exceedance(&fixture_exceedance(5), st, &stem("4_exceedance")),
            render_wedge(&fixture_wedge(), st, &stem("5_wedge")),
            render_tornado(&fixture_tornado(), st, &stem("6_tornado")),
            render_waterfall(&fixture_waterfall(), st, &stem("6_waterfall")),
        ];
        let el = t0.elapsed();
        for r in results {
            let p = r.unwrap_or_else(|e| panic!("{e}"));
            check(&p, st, &[]);
            // Greyscale copy, to judge that lines and fills still separate when printed.
            if let (Ok(img), Some(name)) = (image::open(&p[0]), p[0].file_name()) {
                let grey = out.join("grey");
                assert!(std::fs::create_dir_all(&grey).is_ok());
                assert!(img.to_luma8().save(grey.join(name)).is_ok());
            }
        }
        println!("{tag}: rendered 9 charts (PNG+SVG, 5 scenarios, default size) in {el:.2?}");
    }
}

#[test]
fn setup_fonts_prefers_cjk_and_falls_back_to_english_with_one_warning() {
    let Some(cjk) = find_cjk_font_file() else {
        assert!(!fonts_required(), "CI=true but no CJK font");
        println!("SKIPPED setup_fonts test: no CJK font");
        return;
    };
    let zh = setup_fonts(Lang::Zh, None);
    assert!(
        matches!(&zh, Ok(f) if f.lang == Lang::Zh && f.warning.is_none()),
        "{zh:?}"
    );
    let user = setup_fonts(Lang::Zh, Some(&cjk.path));
    assert!(matches!(&user, Ok(f) if f.lang == Lang::Zh), "{user:?}");
    if let Some(latin) = find_latin_font_file().filter(|f| f.family != cjk.family) {
        // A user font without CJK: English charts and a warning naming the package.
        let r = setup_fonts(Lang::Zh, Some(&latin.path));
        let ok = r.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.lang, Lang::En);
        assert!(
            ok.warning
                .unwrap_or_default()
                .contains(fonts::CJK_FONT_PACKAGE)
        );
    }
    let en = setup_fonts(Lang::En, None);
    assert!(
        matches!(&en, Ok(f) if f.lang == Lang::En && f.warning.is_none()),
        "{en:?}"
    );
}

/// Colour type and RGB pixels of a PNG, decoded with the `png` crate (palette expanded).
fn decode_png(bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND);
    let reader = dec.read_info();
    assert!(reader.is_ok(), "PNG header does not decode");
    let mut reader = reader.unwrap_or_else(|_| unreachable!());
    let color = reader.info().color_type;
    let mut buf = vec![0u8; reader.output_buffer_size().unwrap_or(0)];
    let frame = reader.next_frame(&mut buf);
    assert!(frame.is_ok(), "PNG data does not decode");
    let n = frame.map(|f| f.buffer_size()).unwrap_or(0);
    buf.truncate(n);
    (color, buf)
}

#[test]
fn a_chart_is_the_png_of_plotters_rgb_bitmap_and_byte_identical_when_redrawn() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let d = fixture_distribution(3_000);
    let r = render_distribution(&d, &st, &dir.path().join("dist"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    let bytes = std::fs::read(&paths[0]).unwrap_or_default();
    let (_, pixels) = decode_png(&bytes);
    // The file holds exactly what plotters' RGB bitmap paints for the same chart.
    let painter = super::distribution::Dist(&d);
    let rgb = common::paint_rgb(&painter, &st, (st.width, st.height));
    assert!(rgb.as_deref() == Ok(&pixels[..]), "PNG pixels differ");
    // Same chart again: byte-identical file (palette order is order of first use).
    let again = render_distribution(&d, &st, &dir.path().join("again"));
    let again = again.unwrap_or_else(|e| panic!("{e}"));
    assert!(std::fs::read(&again[0]).unwrap_or_default() == bytes);
}

/// `k × 3` RGB image: row 0 has k distinct colours, row 1 repeats row 0, row 2 reverses it.
fn rgb_image(k: usize) -> Vec<u8> {
    let colours: Vec<[u8; 3]> = (0..k)
        .map(|i| [(i % 256) as u8, (i / 256 * 100) as u8, 7])
        .collect();
    let row: Vec<[u8; 3]> = colours.clone();
    let rev: Vec<[u8; 3]> = colours.iter().rev().copied().collect();
    [row.clone(), row, rev].concat().concat()
}

#[test]
fn images_are_indexed_up_to_256_colours_and_rgb_beyond() {
    for (k, want) in [
        (1, png::ColorType::Indexed),
        (9, png::ColorType::Indexed),
        (256, png::ColorType::Indexed),
        (257, png::ColorType::Rgb),
        (700, png::ColorType::Rgb),
    ] {
        let rgb = rgb_image(k);
        let mut out = Vec::new();
        assert!(common::write_png(&mut out, (k as u32, 3), &rgb).is_ok());
        let (color, pixels) = decode_png(&out);
        assert_eq!(color, want, "{k} colours");
        assert!(pixels == rgb, "{k} colours: pixels differ after decoding");
    }
}

/// Distribution data of scenario `order` (means from [`MEANS`]).
fn fixture_distribution_of(order: usize, n: usize) -> DistributionData {
    let mut d = fixture_distribution(n);
    let shift = MEANS[order] - MEANS[1];
    d.draws.iter_mut().for_each(|v| *v += shift);
    d.density = Density::of(&d.draws);
    d.p5 += shift;
    d.median += shift;
    d.p95 += shift;
    let t = co2_target().value;
    d.p_target_met = Some(d.draws.iter().filter(|v| **v <= t).count() as f64 / n as f64);
    d.scenario = scen(order);
    d
}

/// Three scenarios' wedges: the second orders its measures differently and the third has an
/// increasing measure, as real scenarios do (bands are sorted per scenario).
fn fixture_wedge_panels() -> WedgePanelsData {
    let a = WedgeData {
        scenario: scen(0),
        ..fixture_wedge()
    };
    let mut b = WedgeData {
        scenario: scen(1),
        ..fixture_wedge()
    };
    b.measures.reverse();
    let c = WedgeData {
        scenario: scen(2),
        ..fixture_wedge_with_increase()
    };
    WedgePanelsData {
        panels: vec![a, b, c],
    }
}

#[test]
fn wedge_panels_render_one_panel_per_scenario_with_one_colour_per_measure() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let data = fixture_wedge_panels();
    let r = render_wedge_panels(&data, &st, &dir.path().join("wedges"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    let mut texts = vec![
        "reductions and increases by measure",
        "3 scenarios",
        "Frozen technology",
        "Scenario mean",
        "Heating retrofits",
        "Biomass CHP (increase)",
        "(10⁴ t CO₂)",
    ];
    let names: Vec<String> = (0..3).map(|o| scen(o).label.en).collect();
    texts.extend(names.iter().map(String::as_str));
    check(&paths, &st, &texts);
    let svg = svg_text(&paths[1]);
    // The y title once (panels after the first column share it), each measure once in the legend.
    assert_eq!(svg.matches("(10⁴ t CO₂)").count(), 1, "{svg}");
    // The same measure gets the same fill in every panel, whatever its position there
    // ("Heating retrofits" is second in panel a, third in panel b).
    let fill = |d: &WedgeData, name: &str| {
        let bands = super::wedge::stack(d);
        let b = bands
            .iter()
            .find(|b| d.measures[b.measure].label.en == name)
            .expect("band");
        super::wedge::band_look(d, b)
    };
    for name in ["Heating retrofits", "Transport electrification"] {
        let c0 = fill(&data.panels[0], name);
        assert_eq!(fill(&data.panels[1], name), c0, "{name}");
        assert_eq!(fill(&data.panels[2], name), c0, "{name}");
    }
    // Mixed pollutants or years are refused; so is an empty set.
    let mut mixed = data.clone();
    mixed.panels[1].years.pop();
    assert!(render_wedge_panels(&mixed, &st, &dir.path().join("mixed")).is_err());
    let empty = WedgePanelsData { panels: Vec::new() };
    assert!(render_wedge_panels(&empty, &st, &dir.path().join("empty")).is_err());
}

#[test]
fn distribution_panels_render_one_panel_per_scenario_on_a_taller_page() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let data = DistributionPanelsData {
        panels: (0..5).map(|o| fixture_distribution_of(o, 2_000)).collect(),
    };
    let r = render_distribution_panels(&data, &st, &dir.path().join("panels"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    // 2000 × (350 + 420·n) at the default 2000 × 1250, scaled with the style's height.
    let h = (600.0 * (350.0 + 420.0 * 5.0) / 1250.0_f64).round() as u32;
    let mut texts = vec![
        "CO₂ emissions in 2025: distribution by scenario",
        "CO₂ emissions (10⁴ t CO₂)",
        "Probability density (per 10⁴ t CO₂)",
        "P(target met) = ",
        "P95 ",
        "2025 target",
    ];
    let names: Vec<String> = (0..5).map(|o| scen(o).label.en).collect();
    texts.extend(names.iter().map(String::as_str));
    check_sized(&paths, (st.width, h), &texts);
    // Every panel shows its own quantiles and P(target met); the axis titles appear once.
    let svg = svg_text(&paths[1]);
    assert_eq!(svg.matches("P(target met) = ").count(), 5, "{svg}");
    // "median −…" in each panel, plus the legend's "P5 / median / P95".
    assert_eq!(svg.matches("median ").count(), 6);
    assert_eq!(svg.matches("CO₂ emissions (10⁴ t CO₂)").count(), 1);
    assert_eq!(svg.matches("Probability density").count(), 1);
    // Fewer panels, shorter page; mixed indicators are refused.
    let two = DistributionPanelsData {
        panels: data.panels[..2].to_vec(),
    };
    let p2 = render_distribution_panels(&two, &st, &dir.path().join("two"));
    let p2 = p2.unwrap_or_else(|e| panic!("{e}"));
    let img = image::open(&p2[0]).map(|i| (i.width(), i.height()));
    let h2 = (600.0 * (350.0 + 420.0 * 2.0) / 1250.0_f64).round() as u32;
    assert_eq!(img.ok(), Some((st.width, h2)));
    let mut mixed = data.clone();
    mixed.panels[3].indicator = Label::new("别的", "other");
    assert!(render_distribution_panels(&mixed, &st, &dir.path().join("mixed")).is_err());
    let empty = DistributionPanelsData { panels: Vec::new() };
    assert!(render_distribution_panels(&empty, &st, &dir.path().join("empty")).is_err());
}

#[test]
fn discrete_panels_render_one_panel_per_scenario() {
    let st = small(need!(latin_style(), "Latin"));
    let dir = tmp();
    let panel = |o: usize, shares: Vec<(i64, f64)>, p: f64| DiscreteData {
        indicator: Label::new("二氧化碳排放达峰年份", "Year of peak CO₂"),
        scenario: scen(o),
        year: 2030,
        base_year: 2020,
        n_draws: 1000,
        shares,
        target: Some(Target {
            value: 2029.0,
            direction: Direction::LowerIsBetter,
            label: Label::new("碳达峰目标", "carbon-peak target"),
        }),
        p_target_met: Some(p),
    };
    let data = DiscretePanelsData {
        panels: vec![
            panel(0, vec![(2020, 0.4), (2021, 0.2), (2030, 0.4)], 0.6),
            panel(1, vec![(2022, 0.5), (2025, 0.5)], 1.0),
            panel(2, vec![(2029, 0.25), (2031, 0.75)], 0.25),
        ],
    };
    let r = render_discrete_panels(&data, &st, &dir.path().join("peak"));
    let paths = r.unwrap_or_else(|e| panic!("{e}"));
    let h = (600.0 * (350.0 + 420.0 * 3.0) / 1250.0_f64).round() as u32;
    check_sized(
        &paths,
        (st.width, h),
        &[
            "Year of peak CO₂: distribution (judged in 2030) by scenario",
            "P(target met: ≤ 2029) = 60 %",
            "P(target met: ≤ 2029) = 100 %",
            "P(target met: ≤ 2029) = 25 %",
            "Share of draws (%)",
            "Baseline",
            "Plan",
            "Enhanced",
        ],
    );
    // Shared x axis: every panel spans 2020–2031, so each carries the tick "2031".
    let svg = svg_text(&paths[1]);
    assert!(
        svg.lines().filter(|l| l.trim() == "2031").count() >= 3,
        "{svg}"
    );
}

/// A deterministic pseudo-random generator for the text test.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as i64
    }
}

/// Test painter: text in several sizes, colours and opacities, upright and turned, over
/// opaque and translucent backgrounds and across every edge of a 400 × 300 page.
struct TextEverywhere;

impl common::Painter for TextEverywhere {
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
    fn texts(&self, _: &ChartStyle) -> Vec<String> {
        vec!["Qiqihar 2025 −18 % (P5)".to_string()]
    }
    fn size(&self, _: &ChartStyle) -> (u32, u32) {
        (400, 300)
    }
    fn paint<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        style: &ChartStyle,
    ) -> common::PResult {
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        root.fill(&WHITE)?;
        root.draw(&Rectangle::new(
            [(0, 0), (200, 150)],
            RGBColor(0, 114, 178).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(100, 100), (400, 300)],
            RGBColor(230, 159, 0).mix(0.35).filled(),
        ))?;
        let mut r = Lcg(11);
        for i in 0..60 {
            let size = [9.0, 17.0, 31.0, 46.0][i % 4];
            let colour = [
                BLACK.mix(1.0),
                RGBColor(213, 94, 0).mix(1.0),
                BLACK.mix(0.6),
                WHITE.mix(0.9),
            ][i / 4 % 4];
            let turn = match i / 16 % 4 {
                2 => FontTransform::Rotate90,
                3 => FontTransform::Rotate270,
                _ => FontTransform::None,
            };
            let ts = common::font(style, size)
                .color(&colour)
                .transform(turn)
                .pos(Pos::new(HPos::Left, VPos::Top));
            // Anywhere from 60 px before the page to 30 px past it, so glyphs are clipped on
            // all four sides.
            let at = ((r.below(490) - 60) as i32, (r.below(390) - 60) as i32);
            root.draw(&Text::new("Qiqihar 2025 −18 % (P5)", at, ts))?;
        }
        Ok(())
    }
}

#[test]
fn text_is_painted_like_plotters_rgb_bitmap_paints_it_across_every_edge() {
    // Glyphs clipped on all four sides, turned, translucent: painted without error.
    let st = need!(latin_style(), "Latin");
    let dir = tmp();
    let paths = common::render_both(&TextEverywhere, &st, &dir.path().join("text"));
    let paths = paths.unwrap_or_else(|e| panic!("{e}"));
    let (_, pixels) = decode_png(&std::fs::read(&paths[0]).unwrap_or_default());
    // The text is there: more than a few thousand pixels differ from the backgrounds.
    let background = |k: usize| {
        let (x, y) = (k % 400, k / 400);
        let blue = x <= 200 && y <= 150;
        let band = x >= 100 && y >= 100;
        (blue, band)
    };
    let mut seen = std::collections::HashMap::new();
    for (k, p) in pixels.chunks_exact(3).enumerate() {
        *seen.entry((background(k), [p[0], p[1], p[2]])).or_insert(0) += 1;
    }
    let text_pixels: usize = seen.values().filter(|&&n| n < 5_000).sum();
    assert!(text_pixels > 3_000, "{text_pixels} text pixels");
}

/// The printed size (pt) of the smallest text and of the smallest footer text of `painter` at
/// the style's paste width: pixel size ÷ (pixels per cm of paste width) in points.
fn smallest_printed<P: common::Painter>(painter: &P, st: &ChartStyle) -> (f64, f64) {
    let texts = common::drawn_texts(painter, st).unwrap_or_else(|e| panic!("{e}"));
    assert!(!texts.is_empty());
    let px_per_cm = f64::from(st.width) / st.paste_width_cm;
    let pt = |px: f64| px / px_per_cm * 72.0 / 2.54;
    let (mut text, mut footer) = (f64::INFINITY, f64::INFINITY);
    for (t, px) in texts {
        // The footer may wrap: each of its lines is part of it.
        if !t.is_empty() && st.footer.contains(t.as_str()) {
            footer = footer.min(pt(px));
        } else {
            text = text.min(pt(px));
        }
    }
    (text, footer)
}

#[test]
fn every_chart_prints_text_of_9_pt_and_footers_of_7_pt_at_a4_and_slide_width() {
    let base = need!(latin_style(), "Latin");
    let dist = fixture_distribution(2_000);
    let (fan, boxes, table) = (
        fixture_fan(5, FanLayout::Panels),
        fixture_boxes(5),
        fixture_table(5),
    );
    let (exc, wedge, wp) = (
        fixture_exceedance(5),
        fixture_wedge_with_increase(),
        fixture_wedge_panels(),
    );
    let (tornado, waterfall) = (fixture_tornado(), fixture_waterfall());
    let panels = DistributionPanelsData {
        panels: (0..5).map(|o| fixture_distribution_of(o, 2_000)).collect(),
    };
    for size in [PrintSize::A4, PrintSize::Slide] {
        let mut st = ChartStyle::sized(Lang::En, base.font.clone(), "", size);
        // A long footer (the comparison's lists five scenarios) shrinks, but not below 7 pt.
        st.footer = format!(
            "scenario: {} · seed 20220509 · 10,000 draws · tanfeng 0.1.0",
            [
                "Reference (no new measures) [reference]",
                "14th Five-Year Plan [plan]",
                "Accelerated [accelerated]",
                "Delayed [delayed]",
                "Peak by 2030 [peak-2030]",
            ]
            .join(", ")
        );
        let results = [
            (
                "distribution",
                smallest_printed(&super::distribution::Dist(&dist), &st),
            ),
            (
                "panels",
                smallest_printed(&super::panels::DistPanels(&panels), &st),
            ),
            ("fan", smallest_printed(&super::fan::Fan(&fan), &st)),
            ("box", smallest_printed(&super::compare::Boxes(&boxes), &st)),
            (
                "table",
                smallest_printed(&super::compare::Table(&table), &st),
            ),
            (
                "exceedance",
                smallest_printed(&super::exceedance::Exc(&exc), &st),
            ),
            ("wedge", smallest_printed(&super::wedge::Wedge(&wedge), &st)),
            (
                "wedge panels",
                smallest_printed(&super::wedge::WedgePanels(&wp), &st),
            ),
            (
                "tornado",
                smallest_printed(&super::sensitivity::Tornado(&tornado), &st),
            ),
            (
                "waterfall",
                smallest_printed(&super::sensitivity::Waterfall(&waterfall), &st),
            ),
            (
                "ledger",
                smallest_printed(&super::ledger::Ledger(&fixture_ledger()), &st),
            ),
        ];
        for (name, (text, footer)) in results {
            assert!(
                text >= 9.0 - 1e-9,
                "{size:?} {name}: text printed at {text:.2} pt"
            );
            assert!(
                footer >= 7.0 - 1e-9,
                "{size:?} {name}: footer at {footer:.2} pt"
            );
        }
        // The panels fit the page or slide.
        let (_, h) = common::Painter::size(&super::panels::DistPanels(&panels), &st);
        assert!(h <= st.max_height, "{size:?}: {h} px high");
    }
}

/// A ledger in the shape of the plan's NOx ledger: eight projects, one too small to show
/// alone, six causes of 新增量 (one negative), a 6,300 t target close to the total.
pub(crate) fn fixture_ledger() -> LedgerData {
    let bar =
        |zh: &str, en: &str, slot: Option<usize>, mean: f64, ci: Option<(f64, f64)>| LedgerBar {
            label: Label::new(zh, en),
            slot,
            mean,
            interval: ci,
        };
    let projects = vec![
        bar(
            "老旧车辆淘汰",
            "Old vehicles retired",
            Some(0),
            2361.0,
            Some((1741.0, 3121.0)),
        ),
        bar(
            "老旧车辆提前淘汰",
            "Early scrappage",
            Some(1),
            1940.0,
            Some((1244.0, 2824.0)),
        ),
        bar(
            "非道路机械淘汰",
            "Machinery retired",
            Some(2),
            1414.0,
            Some((450.0, 3121.0)),
        ),
        bar(
            "热网替代燃煤锅炉",
            "Heat network",
            Some(3),
            1135.0,
            Some((751.0, 1588.0)),
        ),
        bar(
            "工业燃煤替代",
            "Industrial fuel switch",
            Some(4),
            873.0,
            Some((399.0, 1471.0)),
        ),
        bar(
            "烧结机脱硝",
            "Sinter denitrification",
            Some(5),
            724.0,
            Some((0.0, 1783.0)),
        ),
        bar("其他 2 项工程", "2 other projects", None, 199.0, None),
    ];
    let total: f64 = projects.iter().map(|b| b.mean).sum();
    let increments = vec![
        bar(
            "新建生物质热电联产",
            "New biomass CHP plants",
            None,
            3050.0,
            None,
        ),
        bar(
            "2020年后新增机动车",
            "Vehicles registered after 2020",
            None,
            3137.0,
            None,
        ),
        bar(
            "2020年现有源活动水平变化",
            "Activity change of 2020 sources",
            None,
            2455.0,
            None,
        ),
        bar(
            "自然淘汰（非减排项目）",
            "Retired, not a project",
            None,
            -2850.0,
            None,
        ),
    ];
    let added: f64 = increments.iter().map(|b| b.mean).sum();
    LedgerData {
        pollutant: Label::new("氮氧化物", "NOx"),
        unit: Unit::Tonnes,
        scenario: scen(1),
        n_draws: 10_000,
        base_year: 2020,
        year: 2025,
        projects,
        total_cut: bar(
            "削减量合计",
            "Total reduction",
            None,
            total,
            Some((7759.0, 12566.0)),
        ),
        increments,
        total_increment: added,
        net_change: added - total,
        target: Some(Target {
            value: 6300.0,
            direction: Direction::HigherIsBetter,
            label: Label::new("2025 年约束性目标", "2025 binding target"),
        }),
        p_target_met: Some(0.999),
    }
}

/// The label layouts of the fixed test charts (distribution, its small multiple, exceedance
/// curves, ledger), painted on a bitmap; with `disable`, placement off.
fn layouts(st: &ChartStyle, disable: bool) -> Vec<(String, super::place::Placer)> {
    let dist = fixture_distribution(2_000);
    let panels = DistributionPanelsData {
        panels: (0..3).map(|o| fixture_distribution_of(o, 2_000)).collect(),
    };
    let exc = fixture_exceedance(3);
    let ledger = fixture_ledger();
    let mut out = Vec::new();
    let mut add = |name: &str, r: (Result<Vec<u8>, String>, Vec<super::place::Placer>)| {
        r.0.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!r.1.is_empty(), "{name} placed no labels");
        out.extend(r.1.into_iter().map(|p| (name.to_string(), p)));
    };
    let paint = |p: &dyn Fn() -> Result<Vec<u8>, String>| super::place::capture(disable, p);
    add(
        "distribution",
        paint(&|| {
            let d = super::distribution::Dist(&dist);
            common::paint_rgb(&d, st, common::Painter::size(&d, st))
        }),
    );
    add(
        "distribution panels",
        paint(&|| {
            let d = super::panels::DistPanels(&panels);
            common::paint_rgb(&d, st, common::Painter::size(&d, st))
        }),
    );
    add(
        "exceedance",
        paint(&|| {
            let d = super::exceedance::Exc(&exc);
            common::paint_rgb(&d, st, common::Painter::size(&d, st))
        }),
    );
    add(
        "ledger",
        paint(&|| {
            let d = super::ledger::Ledger(&ledger);
            common::paint_rgb(&d, st, common::Painter::size(&d, st))
        }),
    );
    for (name, fan) in [
        ("fan overlay", fixture_fan(3, FanLayout::Overlay)),
        ("fan panels", fixture_fan(3, FanLayout::Panels)),
    ] {
        add(
            name,
            paint(&|| {
                let d = super::fan::Fan(&fan);
                common::paint_rgb(&d, st, common::Painter::size(&d, st))
            }),
        );
    }
    out
}

#[test]
fn no_label_box_covers_a_plotted_data_element_on_the_fixed_test_charts() {
    for st in [latin_style(), cjk_style()].into_iter().flatten() {
        let mut n_labels = 0;
        for (name, p) in layouts(&st, false) {
            n_labels += p.labels.len();
            let hits = p.collisions();
            assert!(hits.is_empty(), "{name} ({:?}): {hits:?}", st.lang);
        }
        assert!(n_labels >= 12, "{n_labels} labels checked");
        // The check can fail: with placement off (every label at its first wish) labels do
        // cover data on the same charts.
        let off: usize = layouts(&st, true)
            .iter()
            .map(|(_, p)| p.collisions().len())
            .sum();
        assert!(off > 0, "placement off still finds no collision");
    }
    need!(latin_style(), "Latin");
}

#[test]
fn peak_year_bars_show_not_yet_peaked_stay_under_100_percent_and_legend_only_what_is_drawn() {
    let st = need!(latin_style(), "Latin");
    // No target, 99.9 % of the draws still rising in the horizon year.
    let d = DiscreteData {
        indicator: Label::new("二氧化碳排放达峰年份", "Year of peak CO₂"),
        scenario: scen(0),
        year: 2030,
        base_year: 2020,
        n_draws: 1000,
        shares: vec![(2020, 0.001), (2030, 0.999)],
        target: None,
        p_target_met: None,
    };
    let b = super::discrete::Bars(&d);
    let legend: Vec<String> = b.legend(&st).into_iter().map(|l| l.label).collect();
    assert!(
        legend.iter().any(|l| l.contains("Not yet peaked by 2030")),
        "{legend:?}"
    );
    assert!(!legend.iter().any(|l| l.contains("meeting")), "{legend:?}");
    assert!(b.x_title(&st).contains("2020 = never above the base year"));
    let texts = common::drawn_texts(&b, &st).unwrap_or_else(|e| panic!("{e}"));
    assert!(texts.iter().any(|(t, _)| t == "not yet"), "{texts:?}");
    // Numeric tick labels: years, or shares of at most 100 %.
    for (t, _) in &texts {
        if let Ok(v) = t.replace(',', "").parse::<f64>() {
            assert!(v <= 100.0 || (2020.0..=2029.0).contains(&v), "tick {t}");
        }
    }
    // With a target met by some draws, the dark bars are in the legend.
    let mut met = d.clone();
    met.target = Some(Target {
        value: 2029.0,
        direction: Direction::LowerIsBetter,
        label: Label::new("碳达峰目标", "carbon-peak target"),
    });
    let legend: Vec<String> = super::discrete::Bars(&met)
        .legend(&st)
        .into_iter()
        .map(|l| l.label)
        .collect();
    assert!(legend.iter().any(|l| l.contains("meeting")), "{legend:?}");
}

#[test]
fn draw_counts_are_grouped_in_both_languages() {
    let zh = need!(cjk_style(), "CJK");
    assert_eq!(common::draws_text(&zh, 10_000), "10,000 次抽样");
    assert_eq!(common::draws_text(&zh, 500), "500 次抽样");
    let en = need!(latin_style(), "Latin");
    assert_eq!(common::draws_text(&en, 10_000), "10,000 draws");
}
