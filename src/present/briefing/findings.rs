//! The summary of findings, written from the results: which targets each scenario meets and
//! how likely, where the scenarios differ, what drives the misses, what the key projects
//! deliver against the new sources (once the ledger exists), and the main caveat.

use super::text::{Likelihood, pct, tr};
use super::{Briefing, ScenarioBrief};
use crate::analysis::summary::{IndicatorSummary, RunSummary, TargetSummary};
use crate::present::charts::Lang;
use crate::present::figures::{format_indicator, target_row_label};

/// One paragraph of the summary: a bold lead and its text (plain text; the writers escape it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Bold lead-in (may be empty).
    pub lead: String,
    /// The text.
    pub text: String,
}

fn para(lead: impl Into<String>, text: impl Into<String>) -> Paragraph {
    Paragraph {
        lead: lead.into(),
        text: text.into(),
    }
}

fn ind_of<'a>(s: &'a RunSummary, name: &str) -> Option<&'a IndicatorSummary> {
    s.indicators.iter().find(|i| i.name == name)
}

/// A target in words: indicator, requirement and year.
pub fn target_name(t: &TargetSummary, s: &RunSummary, lang: Lang) -> String {
    target_row_label(t, ind_of(s, &t.indicator))
        .get(lang)
        .to_string()
}

/// Short name of a target (indicator and year), for lists.
fn short_name(t: &TargetSummary, s: &RunSummary, lang: Lang) -> String {
    match ind_of(s, &t.indicator) {
        Some(i) => match lang {
            Lang::Zh => format!("{}（{} 年）", i.label_zh, t.year),
            Lang::En => format!("{} ({})", i.label_en, t.year),
        },
        None => t.id.clone(),
    }
}

/// Scenario title in `lang`.
pub fn title(s: &ScenarioBrief<'_>, lang: Lang) -> String {
    tr(lang, &s.meta.title_zh, &s.meta.title_en).to_string()
}

fn list_sep(lang: Lang) -> &'static str {
    tr(lang, "、", ", ")
}

/// One scenario's targets grouped by likelihood class, most likely first.
fn scenario_paragraph(s: &ScenarioBrief<'_>, lang: Lang) -> Paragraph {
    let sum = s.summary;
    let mut classes: Vec<(Likelihood, Vec<String>)> = Vec::new();
    for t in &sum.targets {
        let l = Likelihood::of(t.probability);
        let item = format!("{} {}", short_name(t, sum, lang), pct(t.probability));
        match classes.iter_mut().find(|(c, _)| *c == l) {
            Some((_, v)) => v.push(item),
            None => classes.push((l, vec![item])),
        }
    }
    classes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let n = sum.targets.len();
    let parts: Vec<String> = classes
        .iter()
        .map(|(l, items)| match lang {
            Lang::Zh => format!(
                "{}{} 项：{}",
                l.words(lang),
                items.len(),
                items.join(list_sep(lang))
            ),
            Lang::En => format!(
                "{} {}: {}",
                items.len(),
                l.words(lang),
                items.join(list_sep(lang))
            ),
        })
        .collect();
    let lead = format!("{} ({})", title(s, lang), s.meta.scenario);
    let text = match (lang, n) {
        (Lang::Zh, 0) => "无目标。".to_string(),
        (Lang::En, 0) => "no targets.".to_string(),
        (Lang::Zh, _) => format!("{n} 项目标中，{}。", parts.join("；")),
        (Lang::En, _) => format!("of {n} targets, {}.", parts.join("; ")),
    };
    para(lead, text)
}

/// Where the scenarios differ: targets whose probability spans ≥ 10 percentage points.
fn differences(b: &Briefing<'_>, lang: Lang) -> Option<Paragraph> {
    if !b.is_comparison() {
        return None;
    }
    let mut items = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for s in &b.scenarios {
        for t in &s.summary.targets {
            if seen.contains(&t.id.as_str()) {
                continue;
            }
            seen.push(&t.id);
            let cells: Vec<(&ScenarioBrief<'_>, f64)> = b
                .scenarios
                .iter()
                .filter_map(|o| {
                    o.summary
                        .targets
                        .iter()
                        .find(|x| x.id == t.id)
                        .map(|x| (o, x.probability))
                })
                .collect();
            let lo = cells.iter().min_by(|a, b| a.1.total_cmp(&b.1));
            let hi = cells.iter().max_by(|a, b| a.1.total_cmp(&b.1));
            if let (Some(lo), Some(hi)) = (lo, hi)
                && hi.1 - lo.1 >= 0.10
            {
                items.push(match lang {
                    Lang::Zh => format!(
                        "{}：从 {}（{}）到 {}（{}）",
                        short_name(t, s.summary, lang),
                        pct(lo.1),
                        title(lo.0, lang),
                        pct(hi.1),
                        title(hi.0, lang)
                    ),
                    Lang::En => format!(
                        "{}: from {} ({}) to {} ({})",
                        short_name(t, s.summary, lang),
                        pct(lo.1),
                        title(lo.0, lang),
                        pct(hi.1),
                        title(hi.0, lang)
                    ),
                });
            }
        }
    }
    let lead = tr(lang, "情景差异", "Where the scenarios differ").to_string();
    Some(if items.is_empty() {
        para(
            lead,
            tr(
                lang,
                "各目标的达标概率在情景间相差不到 10 个百分点。",
                "no target's probability differs by 10 percentage points or more between the scenarios.",
            ),
        )
    } else {
        para(
            lead,
            match lang {
                Lang::Zh => format!("达标概率随情景变化最大的目标：{}。", items.join("；")),
                Lang::En => format!(
                    "the targets whose probability depends most on the scenario: {}.",
                    items.join("; ")
                ),
            },
        )
    })
}

/// What separates missed from met draws of each target the main scenario may miss (< 90 %).
fn drivers(b: &Briefing<'_>, lang: Lang) -> Vec<Paragraph> {
    let Some(main) = b.main_scenario() else {
        return Vec::new();
    };
    let at_risk: Vec<&TargetSummary> = main
        .summary
        .targets
        .iter()
        .filter(|t| t.probability < 0.9)
        .collect();
    if at_risk.is_empty() {
        return Vec::new();
    }
    let lead = match lang {
        Lang::Zh => format!("未达标的原因（{}）", title(main, lang)),
        Lang::En => format!("What drives the misses ({})", title(main, lang)),
    };
    if main.drivers.is_empty() {
        return vec![para(
            lead,
            tr(
                lang,
                "本次运行未计算输入与达标的关联；可用 tanfeng sensitivity 计算。",
                "the inputs behind the misses were not computed for this run; tanfeng sensitivity computes them.",
            ),
        )];
    }
    let mut items = Vec::new();
    for t in at_risk {
        let Some(d) = main.drivers.iter().find(|d| d.target == t.id) else {
            continue;
        };
        if d.inputs.is_empty() {
            items.push(match lang {
                Lang::Zh => format!(
                    "{}（{}）：所有抽样均未达标，无法区分",
                    short_name(t, main.summary, lang),
                    pct(t.probability)
                ),
                Lang::En => format!(
                    "{} ({}): no draw meets it, so no input separates met from missed draws",
                    short_name(t, main.summary, lang),
                    pct(t.probability)
                ),
            });
            continue;
        }
        let words: Vec<String> = d
            .inputs
            .iter()
            .take(3)
            .map(|(name, sep)| {
                // Positive separation: larger values go with meeting, so misses go with
                // smaller ones.
                let (zh, en) = if *sep > 0.0 {
                    ("偏低", "lower")
                } else {
                    ("偏高", "higher")
                };
                match lang {
                    Lang::Zh => format!("{name} {zh}（{:+.2}）", sep),
                    Lang::En => format!("{en} {name} ({:+.2})", sep),
                }
            })
            .collect();
        items.push(match lang {
            Lang::Zh => format!(
                "{}（{}）：未达标的抽样多伴随 {}",
                short_name(t, main.summary, lang),
                pct(t.probability),
                words.join("、")
            ),
            Lang::En => format!(
                "{} ({}): missed draws come with {}",
                short_name(t, main.summary, lang),
                pct(t.probability),
                words.join(", ")
            ),
        });
    }
    let n = main.drivers.first().map_or(0, |d| d.n_draws);
    let note = match lang {
        Lang::Zh => format!(
            "括号内为目标区分度（达标与未达标抽样中该输入中位数之差 ÷ 四分位距，基于前 {n} 次抽样）"
        ),
        Lang::En => format!(
            "in brackets the target separation (difference of the input's median between met and missed draws ÷ its interquartile range, first {n} draws)"
        ),
    };
    vec![para(
        lead,
        match lang {
            Lang::Zh => format!("{}。{note}。", items.join("；")),
            Lang::En => format!("{}. {note}.", items.join("; ")),
        },
    )]
}

/// HOOK(ledger): key-project reductions against new sources, when the ledger data exists.
fn ledger(b: &Briefing<'_>, lang: Lang) -> Option<Paragraph> {
    if b.ledger.is_empty() {
        return None;
    }
    let f = |x: f64| format_indicator(x, "nox_reduction", "t", lang);
    let items: Vec<String> = b
        .ledger
        .iter()
        .map(|l| {
            let req = l
                .required_t
                .map(|r| match lang {
                    Lang::Zh => format!("，规划要求 {}", f(r)),
                    Lang::En => format!("; the plan requires {}", f(r)),
                })
                .unwrap_or_default();
            match lang {
                Lang::Zh => format!(
                    "{} {} {} 年：重点工程削减 {}，新增量 {}{req}",
                    l.scenario,
                    l.pollutant,
                    l.year,
                    f(l.reductions_t),
                    f(l.new_sources_t)
                ),
                Lang::En => format!(
                    "{} {} in {}: key projects cut {}, new sources add {}{req}",
                    l.scenario,
                    l.pollutant,
                    l.year,
                    f(l.reductions_t),
                    f(l.new_sources_t)
                ),
            }
        })
        .collect();
    Some(para(
        tr(
            lang,
            "重点工程削减量与新增量",
            "Key projects vs new sources",
        ),
        items.join(tr(lang, "；", "; ")),
    ))
}

/// The summary of findings, in order: scope, one paragraph per scenario, differences, drivers,
/// key projects, caveat.
pub fn summary(b: &Briefing<'_>, lang: Lang) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if let Some(first) = b.scenarios.first() {
        let m = first.meta;
        let years: Vec<i32> = {
            let mut y: Vec<i32> = b
                .scenarios
                .iter()
                .flat_map(|s| s.summary.targets.iter().map(|t| t.year))
                .collect();
            y.sort_unstable();
            y.dedup();
            y
        };
        let years: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        out.push(para(
            "",
            match lang {
                Lang::Zh => format!(
                    "本简报以 {} 次蒙特卡洛抽样（随机种子 {}）评估 {} 个情景实现 {} 年目标的概率。\
                     概率指在所列输入的不确定范围内、模型结果满足目标的抽样比例。",
                    m.draws,
                    m.seed,
                    b.scenarios.len(),
                    years.join("、")
                ),
                Lang::En => format!(
                    "This briefing estimates, from {} Monte Carlo draws (seed {}), how likely {} \
                     scenario{} meet the {} targets. A probability is the share of draws, within \
                     the stated ranges of the inputs, whose result meets the target.",
                    m.draws,
                    m.seed,
                    b.scenarios.len(),
                    if b.scenarios.len() == 1 { "" } else { "s" },
                    years.join(" and ")
                ),
            },
        ));
    }
    for s in &b.scenarios {
        out.push(scenario_paragraph(s, lang));
    }
    out.extend(differences(b, lang));
    out.extend(drivers(b, lang));
    out.extend(ledger(b, lang));
    if let Some(main) = b.main_scenario() {
        let c = main.facts.statuses;
        out.push(para(
            tr(lang, "注意", "Caveat"),
            match lang {
                Lang::Zh => format!(
                    "概率只反映所列输入的不确定性，不包括模型结构误差和未建模的措施。{} 的 {} 个输入中 \
                     {} 个为假设（无公开数据），{} 个来自统计，{} 个由统计推算，{} 个取自规划（见方法说明）。",
                    title(main, lang),
                    c.total(),
                    c.assumption,
                    c.statistic,
                    c.derived,
                    c.plan
                ),
                Lang::En => format!(
                    "the probabilities reflect only the stated uncertainty of the inputs, not model \
                     error or the measures left out. Of the {} inputs of {}, {} are assumptions (no \
                     public figure), {} statistics, {} derived from statistics and {} plan figures \
                     (see the method note).",
                    c.total(),
                    title(main, lang),
                    c.assumption,
                    c.statistic,
                    c.derived,
                    c.plan
                ),
            },
        ));
    }
    out
}

/// The plain-language method note, (Chinese, English) per paragraph.
pub const METHOD: [(&str, &str); 4] = [
    (
        "模型按年份逐年计算全市能源消费、二氧化碳、氮氧化物和挥发性有机物排放：经济增长和产业结构决定各部门的活动水平，\
         能效、燃料结构、电力来源和规划措施（供热锅炉淘汰、生物质热电、机动车更新等）决定单位活动的能耗和排放。\
         基准年结果按统计数据校准。",
        "The model computes the city's energy use and its CO₂, NOx and VOCs emissions year by year: economic growth \
         and structure set each sector's activity; efficiency, fuel mix, the source of electricity and the plan's \
         measures (heating-boiler retirement, biomass CHP, vehicle renewal and others) set the energy and emissions \
         per unit of activity. The base year is calibrated to the statistics.",
    ),
    (
        "许多输入并不确定（例如增长率、项目投产时间、排放因子）。每个不确定输入给定一个范围和分布；程序从这些范围中抽样数千次，\
         每次用一组抽样值运行模型。某目标的达标概率就是满足该目标的抽样所占比例。所有情景使用相同的随机数，\
         因此情景之间的差异来自情景假设本身，而非抽样噪声。",
        "Many inputs are uncertain (growth rates, project start dates, emission factors). Each uncertain input has a \
         range and a distribution; the program draws thousands of input sets from these ranges and runs the model \
         once per set. A target's probability is the share of draws that meet it. All scenarios use the same random \
         numbers, so differences between scenarios come from their assumptions, not from sampling noise.",
    ),
    (
        "每个目标在其目标年份评估（2025 年目标用 2025 年结果）。区间为 Wilson 95 % 区间，只反映抽样次数有限带来的误差；\
         模型结构、输入范围本身的偏差以及未建模的措施均不在其中。",
        "Each target is evaluated in its own year (a 2025 target on the 2025 result). Intervals are Wilson 95 % \
         intervals and reflect only the finite number of draws; errors in the model's structure, in the input \
         ranges themselves and the measures left out are not in them.",
    ),
    (
        "“假设”类输入没有公开数据，取的是有依据的代理值并给出较宽范围；其结果应理解为“在这些假设下”的结论。",
        "Inputs marked “assumption” have no public figure: they are defensible proxies with wide ranges, and results \
         that depend on them hold “under these assumptions”.",
    ),
];
