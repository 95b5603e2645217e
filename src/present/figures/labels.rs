//! Captions and labels of the figures: target and indicator names, caption phrases, footers.

use crate::analysis::summary::{IndicatorSummary, TargetSummary};
use crate::model::indicators::Unit as ModelUnit;
use crate::present::charts::{self, Label, Lang, ScenarioKey};
use crate::present::units::format_value;
use crate::scenario::TargetKind;

/// Formats a value in an indicator's unit for tables and labels, by the unit convention
/// ([`crate::present::units`]): percent for fractions, NOx and VOCs in whole tonnes, CO₂ in
/// 万吨 and energy in 万吨标准煤 with three significant digits, years as integers.
pub fn format_indicator(x: f64, unit: ModelUnit, lang: Lang) -> String {
    crate::present::units::format_indicator(x, unit, lang)
}

/// Chinese and English name of a target kind.
pub fn kind_label(kind: TargetKind) -> Label {
    match kind {
        TargetKind::Binding => Label::new("约束性目标", "binding target"),
        TargetKind::Expected => Label::new("预期性目标", "expected target"),
        TargetKind::CarbonPeak => Label::new("碳达峰目标", "carbon-peak target"),
    }
}

pub(super) fn indicator_label(ind: &IndicatorSummary) -> Label {
    Label::new(ind.label_zh.clone(), ind.label_en.clone())
}

/// Row label of a target: indicator name, comparison and threshold in display units.
pub fn target_row_label(t: &TargetSummary, ind: Option<&IndicatorSummary>) -> Label {
    let (zh_name, en_name, unit) = match ind {
        Some(i) => (i.label_zh.as_str(), i.label_en.as_str(), Some(i.unit)),
        None => (t.id.as_str(), t.id.as_str(), None),
    };
    let cmp = t.comparison.sign();
    Label::new(
        format!(
            "{zh_name} {cmp} {}（{} 年）",
            format_value(t.threshold, unit, Lang::Zh),
            t.year
        ),
        format!(
            "{en_name} {cmp} {} ({})",
            format_value(t.threshold, unit, Lang::En),
            t.year
        ),
    )
}

/// Chinese and English name of the indicator a target is set on (its id when the indicator
/// is unknown, which the loader does not let through).
pub(super) fn target_indicator_label(t: &TargetSummary) -> Label {
    match crate::model::indicators::all_defs()
        .iter()
        .find(|d| d.name == t.indicator)
    {
        Some(d) => Label::new(d.label_zh, d.label_en),
        None => Label::new(t.id.clone(), t.id.clone()),
    }
}

/// A caption's closing phrase about the target line, only when the chart draws one (indicators
/// without a target get none), (Chinese, English).
pub(super) fn target_line_phrase(
    drawn: bool,
    zh: &'static str,
    en: &'static str,
) -> (&'static str, &'static str) {
    if drawn { (zh, en) } else { ("", "") }
}

pub(super) fn cap(zh: String, en: String) -> Label {
    Label::new(zh, en)
}

pub(super) const WEDGE_CAPTION_ZH: &str = "实线为技术冻结情形（均值）；本图为净减排分析口径，不是重点工程减排量台账（见 ledger.csv）；斜线框为使排放增加的措施（新增排放），自冻结线向上叠加；色带为各措施的平均减排量，自其顶部向下叠加，最下一条色带的下沿即虚线所示的平均排放路径（冻结线 + 新增 − 减排，逐次抽样可加）。斜线覆盖的减排量只抵消了新增排放。排放分布右偏，中位数低于均值，见扇形图。";
pub(super) const WEDGE_CAPTION_EN: &str = "Solid line: frozen technology (mean). Net reductions, an analysis, not the key-project ledger (see ledger.csv). Hatched outlines: measures that raise emissions (new sources), stacked up from the frozen line. Bands: mean reductions by measure, stacked down from their top; the lowest band ends on the dashed mean emission path (frozen + new sources − reductions; wedges add up draw by draw). Reductions under the hatching only offset new sources. Emissions are right-skewed, so the median lies below the mean; see the fan charts.";

/// The caption phrase of a target's attainment probability, (Chinese, English); empty
/// without a target.
pub(super) fn p_met_phrase(p: Option<f64>) -> (String, String) {
    p.map(|p| {
        let f = charts::style::format_probability(p);
        (format!("，达标概率 {f}"), format!("; P(target met) {f}"))
    })
    .unwrap_or_default()
}

/// "：规划 72 %，加速 80 %" / ": Plan 72 %, Accelerated 80 %": P(target met) of each panel
/// with a target, for a small multiple's caption (empty when no panel has one).
pub(super) fn p_met_list<'a>(
    panels: impl Iterator<Item = (&'a ScenarioKey, Option<f64>)>,
) -> Label {
    let items: Vec<(&ScenarioKey, f64)> = panels.filter_map(|(k, p)| Some((k, p?))).collect();
    if items.is_empty() {
        return Label::new("", "");
    }
    let list = |lang: Lang, sep: &str| {
        items
            .iter()
            .map(|(k, p)| {
                format!(
                    "{} {}",
                    k.label.get(lang),
                    charts::style::format_probability(*p)
                )
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    Label::new(
        format!("；达标概率：{}", list(Lang::Zh, "，")),
        format!("; P(target met): {}", list(Lang::En, ", ")),
    )
}

/// A scenario as a footer names it: its title in the chart's language, its id in brackets
/// ("十四五规划情景 \[plan\]").
pub fn scenario_name(title: &str, id: &str) -> String {
    if title.is_empty() || title == id {
        id.to_string()
    } else {
        format!("{title} [{id}]")
    }
}

/// Footer of the charts of one run: scenario, seed, draws, program version.
pub fn footer(lang: Lang, scenarios: &str, seed: u64, draws: u64, program: &str) -> String {
    let n = crate::present::units::count(draws);
    match lang {
        Lang::Zh => format!("情景：{scenarios} · 随机种子 {seed} · {n} 次抽样 · {program}"),
        Lang::En => format!("scenario: {scenarios} · seed {seed} · {n} draws · {program}"),
    }
}
