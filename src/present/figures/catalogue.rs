//! The figure catalogue: which charts a run or a comparison has, each with its file stem,
//! caption, briefing section and data.

use super::RunView;
use super::data::{
    EXCEEDANCE_POINTS, attainment_data, box_data, continuous, discrete_data, distribution_data,
    exceedance_data, fan_data, group_reductions, judged_targets, kept_reductions, ledger_data,
    measure_catalogue, target_distribution_data, target_for, wedge_data, wedge_data_ungrouped,
};
use super::labels::{
    WEDGE_CAPTION_EN, WEDGE_CAPTION_ZH, cap, format_indicator, p_met_list, p_met_phrase,
    target_indicator_label, target_line_phrase,
};
use crate::analysis::compare::Attainment;
use crate::analysis::summary::pollutant_id;
use crate::engine::SERIES;
use crate::model::Pollutant;
use crate::model::indicators::Unit as ModelUnit;
use crate::present::charts::{
    AttainmentTableData, BoxCompareData, Direction, DiscreteData, DiscretePanelsData,
    DistributionData, DistributionPanelsData, ExceedanceData, FanData, FanLayout, Label, Lang,
    LedgerData, WedgeData, WedgePanelsData,
};

/// Prepared data of one chart.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChartKind {
    /// Histogram of one indicator.
    Distribution(DistributionData),
    /// Bars of a discrete indicator (the CO₂ peak year).
    Discrete(DiscreteData),
    /// Histograms of one indicator, one panel per scenario (comparison).
    DistributionPanels(DistributionPanelsData),
    /// Bars of a discrete indicator, one panel per scenario (comparison).
    DiscretePanels(DiscretePanelsData),
    /// Fan chart over the years.
    Fan(FanData),
    /// Wedges by measure.
    Wedge(WedgeData),
    /// Wedges of one pollutant, one panel per scenario (comparison).
    WedgePanels(WedgePanelsData),
    /// Key-project ledger of one pollutant (削减量 by project, 新增量 by cause, net change).
    Ledger(LedgerData),
    /// Box-and-whisker across scenarios.
    Box(BoxCompareData),
    /// Attainment table image.
    Table(AttainmentTableData),
    /// Exceedance curves.
    Exceedance(ExceedanceData),
}

impl ChartKind {
    /// Short kind name (`distribution`, `fan`, …).
    pub fn name(&self) -> &'static str {
        match self {
            ChartKind::Distribution(_) => "distribution",
            ChartKind::Discrete(_) => "discrete",
            ChartKind::DistributionPanels(_) => "distribution_panels",
            ChartKind::DiscretePanels(_) => "discrete_panels",
            ChartKind::Fan(_) => "fan",
            ChartKind::Wedge(_) => "wedge",
            ChartKind::WedgePanels(_) => "wedge_panels",
            ChartKind::Ledger(_) => "ledger",
            ChartKind::Box(_) => "box",
            ChartKind::Table(_) => "table",
            ChartKind::Exceedance(_) => "exceedance",
        }
    }
}

/// A chart to draw: file name stem (without language suffix), caption, data.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSpec {
    /// File stem, e.g. `distribution_plan_co2_intensity_change`.
    pub name: String,
    /// Caption in both languages (for the briefing).
    pub caption: Label,
    /// Section the figure belongs to in the briefing (e.g. the scenario id or "compare").
    pub section: String,
    /// The data.
    pub chart: ChartKind,
}

/// The ledger figures of one run (NOx, then VOCs), named `ledger_<id>_<pollutant>`: the
/// headline figures of the two pollutants.
pub fn ledger_figures(v: &RunView<'_>, catalogue: &[String], section: &str) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    for pollutant in [Pollutant::Nox, Pollutant::Vocs] {
        let Some(d) = ledger_data(v, pollutant, catalogue) else {
            continue;
        };
        let p = pollutant_id(pollutant);
        let f = |x: f64, lang: Lang| format_indicator(x, ModelUnit::tonnes_of(pollutant), lang);
        let p_met = p_met_phrase(d.p_target_met);
        out.push(FigureSpec {
            name: format!("ledger_{}_{p}", v.id),
            caption: cap(
                format!(
                    "{}重点工程削减量台账（{} 年，{}）：各工程削减量均值（须线为 P5–P95），合计 {}{}；新增量合计 {}；{}→{} 年排放净变化 {}（= 新增量 − 削减量）。颜色与楔形图中的同一措施一致。",
                    d.pollutant.zh,
                    d.year,
                    v.key.label.zh,
                    f(d.total_cut.mean, Lang::Zh),
                    p_met.0,
                    f(d.total_increment, Lang::Zh),
                    d.base_year,
                    d.year,
                    f(d.net_change, Lang::Zh),
                ),
                format!(
                    "{} key-project ledger in {} ({}): mean reduction (削减量) by project (whiskers P5–P95), total {}{}; new increments (新增量: new sources and growth) {}; net change {}→{} {} (= increments − reductions). A project has the colour of its measure in the wedge charts.",
                    d.pollutant.en,
                    d.year,
                    v.key.label.en,
                    f(d.total_cut.mean, Lang::En),
                    p_met.1,
                    f(d.total_increment, Lang::En),
                    d.base_year,
                    d.year,
                    f(d.net_change, Lang::En),
                ),
            ),
            section: section.to_string(),
            chart: ChartKind::Ledger(d),
        });
    }
    out
}

/// Series drawn as fan charts (those with per-year quantiles).
pub fn fan_series_names() -> Vec<&'static str> {
    SERIES
        .iter()
        .filter(|d| d.quantiles)
        .map(|d| d.name)
        .collect()
}

/// Per-scenario figures: the NOx and VOCs ledgers (headline), distributions (horizon indicators
/// and earlier targets) and wedges;
/// with `fans`, one fan chart per quantile series.
pub fn scenario_figures(v: &RunView<'_>, fans: bool) -> Vec<FigureSpec> {
    let catalogue = measure_catalogue(std::slice::from_ref(v));
    let mut out = ledger_figures(v, &catalogue, v.id);
    out.extend(distribution_figures(v));
    out.extend(wedge_and_fan_figures(v, fans));
    out
}

/// A scenario's single distribution charts (horizon indicators, the discrete peak year,
/// indicators of targets checked before the horizon).
fn distribution_figures(v: &RunView<'_>) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = v.id.to_string();
    for (i, ind) in v.summary.indicators.iter().enumerate() {
        if let Some(d) = distribution_data(v, i) {
            let p = p_met_phrase(d.p_target_met);
            let line = target_line_phrase(
                d.p_target_met.is_some(),
                "，虚线为目标",
                ", dashed line at the target",
            );
            out.push(FigureSpec {
                name: format!("distribution_{}_{}", v.id, ind.name),
                caption: cap(
                    format!(
                        "{} {} 年取值分布（{}）{}。直方图为全部抽样，曲线为核密度估计{}。",
                        ind.label_zh, ind.year, v.key.label.zh, p.0, line.0
                    ),
                    format!(
                        "{} in {}: distribution over the draws ({}){}. Histogram of all draws, kernel density curve{}.",
                        ind.label_en, ind.year, v.key.label.en, p.1, line.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Distribution(d),
            });
        }
    }
    for (i, ind) in v.summary.indicators.iter().enumerate() {
        if let Some(d) = discrete_data(v, i) {
            let p = p_met_phrase(d.p_target_met);
            out.push(FigureSpec {
                name: format!("distribution_{}_{}", v.id, ind.name),
                caption: cap(
                    format!(
                        "{}分布（{} 年评估，{}）{}。柱为各年份的抽样占比，深色柱满足目标，虚线为目标界限。",
                        ind.label_zh, ind.year, v.key.label.zh, p.0
                    ),
                    format!(
                        "{} (judged in {}; {}){}. Bars give the share of draws per year; dark bars meet the target, the dashed line marks its limit.",
                        ind.label_en, ind.year, v.key.label.en, p.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Discrete(d),
            });
        }
    }
    for k in 0..v.summary.targets.len() {
        if let Some(d) = target_distribution_data(v, k) {
            let t = &v.summary.targets[k];
            let name = target_indicator_label(t);
            out.push(FigureSpec {
                name: format!("distribution_{}_{}_{}", v.id, t.id, t.year),
                caption: cap(
                    format!(
                        "{} {} 年取值分布（{}），虚线为目标。",
                        name.zh, t.year, v.key.label.zh
                    ),
                    format!(
                        "{} in {}: distribution over the draws ({}), dashed line at the target.",
                        name.en, t.year, v.key.label.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Distribution(d),
            });
        }
    }
    out
}

/// A scenario's fan charts (with `fans`) and wedge charts.
fn wedge_and_fan_figures(v: &RunView<'_>, fans: bool) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = v.id.to_string();
    if fans {
        for name in fan_series_names() {
            if let Some(d) = fan_data(std::slice::from_ref(v), name, FanLayout::Overlay) {
                let line = target_line_phrase(
                    d.target.is_some(),
                    "，叉号与虚线为目标",
                    ", cross and dashed line at the target",
                );
                out.push(FigureSpec {
                    name: format!("fan_{}_{name}", v.id),
                    caption: cap(
                        format!(
                            "{}逐年分布（{}）：实线为中位数，深色带 50 %、浅色带 90 % 区间；圆点为基年均值{}。",
                            d.indicator.zh, v.key.label.zh, line.0
                        ),
                        format!(
                            "{} by year ({}): median line, 50 % (dark) and 90 % (light) bands; dot at the base-year mean{}.",
                            d.indicator.en, v.key.label.en, line.1
                        ),
                    ),
                    section: sec.clone(),
                    chart: ChartKind::Fan(d),
                });
            }
        }
    }
    let catalogue = measure_catalogue(std::slice::from_ref(v));
    for pollutant in [Pollutant::Co2, Pollutant::Nox, Pollutant::Vocs] {
        let p = pollutant_id(pollutant);
        if let Some((d, inc)) = wedge_data(v, pollutant, &catalogue) {
            let year = d.years.last().copied().unwrap_or(0);
            let (mut zh, mut en) = (String::new(), String::new());
            if !inc.is_empty() {
                let list = |lang: Lang| {
                    inc.iter()
                        .map(|w| {
                            format!(
                                "{} +{}",
                                w.label.get(lang),
                                format_indicator(
                                    w.increase_t,
                                    ModelUnit::tonnes_of(pollutant),
                                    lang
                                )
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                zh = format!(
                    "使排放增加的措施（{year} 年均值：{}）画成冻结线以上的竖线阴影带；平均排放路径 = 冻结线 + 增加 − 减排，因此它比最下一条减排色带的下沿高出阴影带的高度。",
                    list(Lang::Zh)
                );
                en = format!(
                    " Measures that raise the emission (mean in {year}: {}) are the hatched bands above the frozen line; the mean path is frozen + increases − reductions, so it lies above the lowest reduction band by the height of the hatched bands.",
                    list(Lang::En)
                );
            }
            out.push(FigureSpec {
                name: format!("wedge_{}_{p}", v.id),
                caption: cap(
                    format!(
                        "{}：各措施净减排楔形（{}）。{WEDGE_CAPTION_ZH}{zh}",
                        d.indicator.zh, v.key.label.zh
                    ),
                    format!(
                        "{}: net reduction wedges by measure ({}). {WEDGE_CAPTION_EN}{en}",
                        d.indicator.en, v.key.label.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Wedge(d),
            });
        }
    }
    out
}

/// Section of the comparison's own figures (the others carry their scenario id).
pub const COMPARE_SECTION: &str = "compare";

/// Figures of a comparison: attainment table, per indicator box plot and exceedance curves,
/// fan charts of every quantile series (overlay for up to two scenarios, panels otherwise),
/// then one small multiple per distribution ([`panel_figures`]) and each scenario's wedges.
pub fn compare_figures(views: &[RunView<'_>], att: &[Attainment]) -> Vec<FigureSpec> {
    // The four groups are independent (the exceedance curves sort and the density estimates
    // pass over every scenario's draws): built side by side, concatenated in this order.
    let ((out, fans), (panels, wedges)) = rayon::join(
        || rayon::join(|| summary_figures(views, att), || fan_figures(views)),
        || rayon::join(|| panel_figures(views), || wedge_panel_figures(views)),
    );
    // The ledgers first (the NOx and VOCs headline figures), NOx of every scenario, then VOCs;
    // each in its scenario's section (its footer names that scenario only).
    let catalogue = measure_catalogue(views);
    let mut ledgers: Vec<FigureSpec> = views
        .iter()
        .flat_map(|v| ledger_figures(v, &catalogue, v.id))
        .collect();
    ledgers.sort_by_key(|f| !f.name.ends_with("_nox"));
    ledgers.extend(out);
    let mut out = ledgers;
    out.extend(fans);
    out.extend(panels);
    out.extend(wedges);
    out
}

/// The comparison's attainment table and its box and exceedance figures per indicator.
fn summary_figures(views: &[RunView<'_>], att: &[Attainment]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = COMPARE_SECTION.to_string();
    if let Some(d) = attainment_data(views, att) {
        out.push(FigureSpec {
            name: "attainment_table".to_string(),
            caption: cap(
                "各情景达标概率（抽样中满足目标的比例）。".to_string(),
                "Probability of meeting each target by scenario (share of draws meeting it)."
                    .to_string(),
            ),
            section: sec.clone(),
            chart: ChartKind::Table(d),
        });
    }
    let Some(first) = views.first() else {
        return out;
    };
    for ind in &first.summary.indicators {
        if let Some(d) = box_data(views, &ind.name) {
            out.push(FigureSpec {
                name: format!("box_{}", ind.name),
                caption: cap(
                    format!(
                        "{} {} 年各情景比较：箱体为 P25–P75，中线为中位数，须为 P5–P95。",
                        ind.label_zh, d.year
                    ),
                    format!(
                        "{} in {} by scenario: box P25–P75, line at the median, whiskers P5–P95.",
                        ind.label_en, d.year
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Box(d),
            });
        }
        if let Some(d) = exceedance_data(views, &ind.name, EXCEEDANCE_POINTS) {
            let better = match d.direction {
                Direction::LowerIsBetter => ("低于", "below"),
                Direction::HigherIsBetter => ("高于", "above"),
            };
            let line = target_line_phrase(
                d.target.is_some(),
                "；竖虚线为目标",
                "; dashed line at the target",
            );
            out.push(FigureSpec {
                name: format!("exceedance_{}", ind.name),
                caption: cap(
                    format!(
                        "{} {} 年：取值{}横轴值的概率，每条曲线一个情景{}。",
                        ind.label_zh, d.year, better.0, line.0
                    ),
                    format!(
                        "{} in {}: probability of a value {} x, one curve per scenario{}.",
                        ind.label_en, d.year, better.1, line.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Exceedance(d),
            });
        }
    }
    out
}

/// The comparison's fan figures.
fn fan_figures(views: &[RunView<'_>]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = COMPARE_SECTION.to_string();
    let Some(first) = views.first() else {
        return out;
    };
    let layout = if views.len() <= 2 {
        FanLayout::Overlay
    } else {
        FanLayout::Panels
    };
    for name in fan_series_names() {
        if let Some(d) = fan_data(views, name, layout) {
            let line = target_line_phrase(
                d.target.is_some(),
                "，叉号与虚线为其目标",
                " and cross at its target",
            );
            out.push(FigureSpec {
                name: format!("fan_{name}"),
                caption: cap(
                    format!(
                        "{}逐年分布，各情景：中位数与 50 %、90 % 区间；圆点为第一个情景（{}）的基年均值{}。",
                        d.indicator.zh, first.key.label.zh, line.0
                    ),
                    format!(
                        "{} by year for each scenario: median, 50 % and 90 % bands; dot at the base-year mean of the first scenario ({}){}.",
                        d.indicator.en, first.key.label.en, line.1
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::Fan(d),
            });
        }
    }
    out
}

/// The comparison's wedge figures: per pollutant ONE figure with a panel per scenario that has
/// wedges (shared y axis, one colour per measure), named `wedge_<pollutant>`.
pub fn wedge_panel_figures(views: &[RunView<'_>]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let catalogue = measure_catalogue(views);
    for pollutant in [Pollutant::Co2, Pollutant::Nox, Pollutant::Vocs] {
        let p = pollutant_id(pollutant);
        let mut panels = Vec::new();
        let mut raised = (Vec::new(), Vec::new());
        for v in views {
            let Some((d, inc)) = wedge_data_ungrouped(v, pollutant, &catalogue) else {
                continue;
            };
            for (lang, list) in [(Lang::Zh, &mut raised.0), (Lang::En, &mut raised.1)] {
                for w in &inc {
                    list.push(format!(
                        "{} {} +{}",
                        v.key.label.get(lang),
                        w.label.get(lang),
                        format_indicator(w.increase_t, ModelUnit::tonnes_of(pollutant), lang)
                    ));
                }
            }
            panels.push(d);
        }
        // The same measures keep their own band (and colour) in every panel.
        let (keep, n_other) = kept_reductions(&panels);
        for d in &mut panels {
            group_reductions(d, &keep, n_other);
        }
        let Some(first) = panels.first() else {
            continue;
        };
        let year = first.years.last().copied().unwrap_or(0);
        let (zh, en) = if raised.1.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(
                    "使排放增加的措施（{year} 年均值：{}）画成冻结线以上的竖线阴影带；平均排放路径 = 冻结线 + 增加 − 减排。",
                    raised.0.join("，")
                ),
                format!(
                    " Measures that raise the emission (mean in {year}: {}) are the hatched bands above the frozen line; the mean path is frozen + increases − reductions.",
                    raised.1.join("; ")
                ),
            )
        };
        out.push(FigureSpec {
            name: format!("wedge_{p}"),
            caption: cap(
                format!(
                    "{}：各措施净减排楔形，每个情景一栏（共用纵轴，同一措施同一颜色）。{WEDGE_CAPTION_ZH}{zh}",
                    first.indicator.zh
                ),
                format!(
                    "{}: net reduction wedges by measure, one panel per scenario (shared y axis, one colour per measure). {WEDGE_CAPTION_EN}{en}",
                    first.indicator.en
                ),
            ),
            section: COMPARE_SECTION.to_string(),
            chart: ChartKind::WedgePanels(WedgePanelsData { panels }),
        });
    }
    out
}

/// The comparison's distribution figures: for each horizon indicator, and for each target
/// checked before the horizon, ONE small multiple with a panel per scenario that has the data
/// (instead of one chart per scenario), named `distribution_<indicator>` and
/// `distribution_<target>_<year>`. An indicator every scenario judges only in an earlier
/// target year gets just the target-year figure.
pub fn panel_figures(views: &[RunView<'_>]) -> Vec<FigureSpec> {
    let mut out = Vec::new();
    let sec = COMPARE_SECTION.to_string();
    let Some(first) = views.first() else {
        return out;
    };
    let index_of =
        |v: &RunView<'_>, name: &str| v.summary.indicators.iter().position(|i| i.name == name);
    for ind in &first.summary.indicators {
        // Judged in an earlier target year by every scenario and with no target in the
        // horizon year: the target-year figure below shows it (box and exceedance likewise).
        let earlier_only = judged_targets(views, &ind.name, ind.year).is_some()
            && views
                .iter()
                .all(|v| target_for(v.summary, &ind.name, ind.year).is_none());
        if earlier_only {
            continue;
        }
        if continuous(ind.unit) {
            let panels: Vec<DistributionData> = views
                .iter()
                .filter_map(|v| distribution_data(v, index_of(v, &ind.name)?))
                .collect();
            if panels.is_empty() {
                continue;
            }
            let p = p_met_list(panels.iter().map(|d| (&d.scenario, d.p_target_met)));
            let (tz, te) = target_line_phrase(
                panels.iter().any(|d| d.target.is_some()),
                "，粗虚线为目标，深色部分为达标的抽样",
                ", thick dashed line at the target, dark part meeting it",
            );
            out.push(FigureSpec {
                name: format!("distribution_{}", ind.name),
                caption: cap(
                    format!(
                        "{} {} 年取值分布，每个情景一栏（共用横轴）：直方图为全部抽样，曲线为核密度估计，细虚线为 P5、中位数、P95{tz}{}。",
                        ind.label_zh, ind.year, p.zh
                    ),
                    format!(
                        "{} in {}: distribution over the draws, one panel per scenario (shared x axis). Histogram of all draws, kernel density curve, thin dashed lines at P5, median and P95{te}{}.",
                        ind.label_en, ind.year, p.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::DistributionPanels(DistributionPanelsData { panels }),
            });
        } else {
            let panels: Vec<DiscreteData> = views
                .iter()
                .filter_map(|v| discrete_data(v, index_of(v, &ind.name)?))
                .collect();
            if panels.is_empty() {
                continue;
            }
            let p = p_met_list(panels.iter().map(|d| (&d.scenario, d.p_target_met)));
            out.push(FigureSpec {
                name: format!("distribution_{}", ind.name),
                caption: cap(
                    format!(
                        "{}分布（{} 年评估），每个情景一栏（共用横轴）：柱为各年份的抽样占比，深色柱满足目标，虚线为目标界限{}。",
                        ind.label_zh, ind.year, p.zh
                    ),
                    format!(
                        "{} (judged in {}), one panel per scenario (shared x axis). Bars give the share of draws per year; dark bars meet the target, the dashed line marks its limit{}.",
                        ind.label_en, ind.year, p.en
                    ),
                ),
                section: sec.clone(),
                chart: ChartKind::DiscretePanels(DiscretePanelsData { panels }),
            });
        }
    }
    // Targets checked before the horizon, in first-appearance order over the scenarios.
    let mut seen: Vec<(&str, i32)> = Vec::new();
    for v in views {
        for t in &v.summary.targets {
            if !seen.contains(&(t.id.as_str(), t.year)) {
                seen.push((t.id.as_str(), t.year));
            }
        }
    }
    for (id, year) in seen {
        let panels: Vec<DistributionData> = views
            .iter()
            .filter_map(|v| {
                let k = v
                    .summary
                    .targets
                    .iter()
                    .position(|t| t.id == id && t.year == year)?;
                target_distribution_data(v, k)
            })
            .collect();
        if panels.is_empty() {
            continue;
        }
        let p = p_met_list(panels.iter().map(|d| (&d.scenario, d.p_target_met)));
        let name = views
            .iter()
            .flat_map(|v| &v.summary.targets)
            .find(|t| t.id == id && t.year == year)
            .map_or_else(|| Label::new(id, id), target_indicator_label);
        out.push(FigureSpec {
            name: format!("distribution_{id}_{year}"),
            caption: cap(
                format!(
                    "{} {year} 年取值分布，每个情景一栏（共用横轴），虚线为目标{}。",
                    name.zh, p.zh
                ),
                format!(
                    "{} in {year}: distribution over the draws, one panel per scenario (shared x axis), dashed line at the target{}.",
                    name.en, p.en
                ),
            ),
            section: sec.clone(),
            chart: ChartKind::DistributionPanels(DistributionPanelsData { panels }),
        });
    }
    out
}
