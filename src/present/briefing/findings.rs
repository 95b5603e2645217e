//! The summary of findings, written from the results: which targets each scenario meets and
//! how likely, where the scenarios differ, what drives the misses, what the key projects
//! deliver against the new increments (削减量 vs 新增量), the accounting in force and the main
//! caveat.

use super::ledger;
use super::text::{Likelihood, count, pct, tonnes, tr, value};
use super::{Briefing, ScenarioBrief};
use crate::analysis::summary::{IndicatorSummary, RunSummary, TargetSummary};
use crate::present::charts::Lang;
use crate::scenario::KeyProjectAccounting;

/// A piece of a paragraph's text (plain text; the writers escape it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text read as it is.
    Text(String),
    /// An internal id (an input's `economy.industry_va_growth`) after the name it belongs to:
    /// written small and grey (issue 20: ids only as a suffix, the name in words first).
    Id(String),
}

/// One paragraph of the summary: a bold lead and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Bold lead-in (may be empty).
    pub lead: String,
    /// The text, in pieces.
    pub pieces: Vec<Piece>,
}

impl Paragraph {
    /// The text without the ids.
    pub fn plain(&self) -> String {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t.as_str()),
                Piece::Id(_) => None,
            })
            .collect()
    }
}

fn para(lead: impl Into<String>, text: impl Into<String>) -> Paragraph {
    Paragraph {
        lead: lead.into(),
        pieces: vec![Piece::Text(text.into())],
    }
}

/// An uncertain input as the summary names it, for one direction of its target separation
/// `sep` (positive: larger values go with meeting, so misses go with smaller ones): its name in
/// words with its id beside it and the separation ("工业增加值增速 `id` 偏高（−1.53）",
/// "higher industry value-added growth `id` (−1.53)").
fn input_words(id: &str, sep: f64, lang: Lang) -> Vec<Piece> {
    let (zh, en) = crate::scenario::names::input_name(id);
    let (dir_zh, dir_en) = if sep > 0.0 {
        ("偏低", "lower")
    } else {
        ("偏高", "higher")
    };
    let sep = format!("{sep:+.2}").replace('-', "−");
    match lang {
        Lang::Zh => vec![
            Piece::Text(zh),
            Piece::Id(id.to_string()),
            Piece::Text(format!(" {dir_zh}（{sep}）")),
        ],
        Lang::En => vec![
            Piece::Text(format!("{dir_en} {en}")),
            Piece::Id(id.to_string()),
            Piece::Text(format!(" ({sep})")),
        ],
    }
}

fn ind_of<'a>(s: &'a RunSummary, name: &str) -> Option<&'a IndicatorSummary> {
    s.indicators.iter().find(|i| i.name == name)
}

/// A target in words: indicator, requirement and year ("NOx 重点工程减排量 ≥ 6,300 吨（2025 年）").
pub fn target_name(t: &TargetSummary, s: &RunSummary, lang: Lang) -> String {
    let (zh, en, unit) = match ind_of(s, &t.indicator) {
        Some(i) => (i.label_zh.as_str(), i.label_en.as_str(), Some(i.unit)),
        None => (t.id.as_str(), t.id.as_str(), None),
    };
    let cmp = t.comparison.sign();
    let v = value(t.threshold, unit, lang);
    match lang {
        Lang::Zh => format!("{zh} {cmp} {v}（{} 年）", t.year),
        Lang::En => format!("{en} {cmp} {v} ({})", t.year),
    }
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
fn scenario_paragraph(s: &ScenarioBrief<'_>, lang: Lang, compact: bool) -> Paragraph {
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
    // In a comparison the attainment table follows at once: the virtually certain targets are
    // counted, not listed, so the first page stays one page.
    let parts: Vec<String> = classes
        .iter()
        .map(
            |(l, items)| match (lang, compact && *l == Likelihood::VirtuallyCertain) {
                (Lang::Zh, true) => format!("{} {} 项", l.words(lang), items.len()),
                (Lang::En, true) => format!("{} {}", items.len(), l.words(lang)),
                (Lang::Zh, false) => format!(
                    "{} {} 项：{}",
                    l.words(lang),
                    items.len(),
                    items.join(list_sep(lang))
                ),
                (Lang::En, false) => format!(
                    "{} {}: {}",
                    items.len(),
                    l.words(lang),
                    items.join(list_sep(lang))
                ),
            },
        )
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
                items.push((
                    hi.1 - lo.1,
                    match lang {
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
                    },
                ));
            }
        }
    }
    // The three targets with the widest spread, widest first (the table lists every one).
    items.sort_by(|a, b| b.0.total_cmp(&a.0));
    let items: Vec<String> = items.into_iter().take(3).map(|(_, t)| t).collect();
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
    // Each item is a list of pieces (names in words, ids beside them).
    let mut items: Vec<Vec<Piece>> = Vec::new();
    for t in at_risk {
        let Some(d) = main.drivers.iter().find(|d| d.target == t.id) else {
            continue;
        };
        if d.inputs.is_empty() {
            let name = short_name(t, main.summary, lang);
            let p = pct(t.probability);
            let n = count(d.n_draws as u64);
            items.push(vec![Piece::Text(match (lang, d.n_met) {
                (Lang::Zh, 0) => format!("{name}（{p}）：所有抽样均未达标，无法区分"),
                (Lang::En, 0) => {
                    format!("{name} ({p}): no draw meets it, so no input separates met from missed draws")
                }
                (Lang::Zh, k) => format!(
                    "{name}（{p}）：{n} 次抽样中 {} 次达标，没有输入的区分度超出随机波动",
                    count(k as u64)
                ),
                (Lang::En, k) => format!(
                    "{name} ({p}): {} of {n} draws meet it and no input separates met from missed draws beyond chance",
                    count(k as u64)
                ),
            })]);
            continue;
        }
        let mut item = vec![Piece::Text(match lang {
            Lang::Zh => format!(
                "{}（{}）：未达标的抽样多伴随 ",
                short_name(t, main.summary, lang),
                pct(t.probability)
            ),
            Lang::En => format!(
                "{} ({}): missed draws come with ",
                short_name(t, main.summary, lang),
                pct(t.probability)
            ),
        })];
        for (k, (name, sep)) in d.inputs.iter().take(3).enumerate() {
            if k > 0 {
                item.push(Piece::Text(list_sep(lang).to_string()));
            }
            item.extend(input_words(name, *sep, lang));
        }
        items.push(item);
    }
    let n = count(main.drivers.first().map_or(0, |d| d.n_draws) as u64);
    let note = match lang {
        Lang::Zh => format!(
            "括号内为目标区分度（达标与未达标抽样中该输入中位数之差 ÷ 四分位距，基于前 {n} 次抽样；只列出超出随机波动的输入）"
        ),
        Lang::En => format!(
            "In brackets the target separation (difference of the input's median between met and missed draws ÷ its interquartile range, first {n} draws; only inputs beyond chance are listed)"
        ),
    };
    let mut pieces = Vec::new();
    for (k, item) in items.into_iter().enumerate() {
        if k > 0 {
            pieces.push(Piece::Text(tr(lang, "；", "; ").to_string()));
        }
        pieces.extend(item);
    }
    pieces.push(Piece::Text(match lang {
        Lang::Zh => format!("。{note}。"),
        Lang::En => format!(". {note}."),
    }));
    vec![Paragraph { lead, pieces }]
}

/// What the key projects deliver against the 新增量 (MODEL.md §4), for the main scenario in
/// full (per pollutant: 削减量 with its 5–95 % range, the requirement, the 新增量 by its largest
/// causes and the net change) and for the other scenarios in one clause each.
fn ledger(b: &Briefing<'_>, lang: Lang) -> Vec<Paragraph> {
    let Some(main) = b.main_scenario() else {
        return Vec::new();
    };
    let tables = ledger::tables(main.summary, main.facts.key_project_accounting);
    if tables.is_empty() {
        return Vec::new();
    }
    let t = |x: f64| tonnes(x, lang, false);
    let ts = |x: f64| tonnes(x, lang, true);
    let mut items = Vec::new();
    for lt in &tables {
        let range = lt
            .reduction_range_t
            .map(|(lo, hi)| match lang {
                Lang::Zh => format!("（90 % 范围 {}–{}）", t(lo), t(hi)),
                Lang::En => format!(" (90 % range {}–{})", t(lo), t(hi)),
            })
            .unwrap_or_default();
        let req = match (lt.required_t, lt.probability) {
            (Some(r), Some(p)) => match lang {
                Lang::Zh => format!("，规划要求 {}，达标概率 {}", t(r), pct(p)),
                Lang::En => format!(" against the plan's {} ({} likely)", t(r), pct(p)),
            },
            _ => String::new(),
        };
        // The two largest causes by size, signed.
        let mut causes: Vec<_> = lt.causes.iter().filter(|c| c.mean_t != 0.0).collect();
        causes.sort_by(|a, b| b.mean_t.abs().total_cmp(&a.mean_t.abs()));
        let top: Vec<String> = causes
            .iter()
            .take(2)
            .map(|c| format!("{} {}", tr(lang, &c.label_zh, &c.label_en), ts(c.mean_t)))
            .collect();
        let top = if top.is_empty() {
            String::new()
        } else {
            match lang {
                Lang::Zh => format!("（主要是{}）", top.join("、")),
                Lang::En => format!(" (mainly {})", top.join(", ")),
            }
        };
        items.push(match lang {
            Lang::Zh => format!(
                "{} {} 年重点工程削减量 {}{range}{req}；同期新增量 {}{top}；总排放比 2020 年变化 {}",
                lt.pollutant.name(),
                lt.year,
                t(lt.reduction_t),
                ts(lt.increment_t),
                ts(lt.net_change_t)
            ),
            Lang::En => format!(
                "{} in {}: the key projects cut {}{range}{req}; new sources and growth add {}{top}; total emissions change by {} from 2020",
                lt.pollutant.name(),
                lt.year,
                t(lt.reduction_t),
                ts(lt.increment_t),
                ts(lt.net_change_t)
            ),
        });
    }
    let mut out = vec![para(
        match lang {
            Lang::Zh => format!("重点工程削减量与新增量（{}）", title(main, lang)),
            Lang::En => format!("Key projects vs new increments ({})", title(main, lang)),
        },
        match lang {
            Lang::Zh => format!("{}。", items.join("；")),
            Lang::En => format!("{}.", items.join("; ")),
        },
    )];
    // Natural retirement booked as projects, in plain words: the main scenario and every
    // scenario whose reductions are mostly natural retirement (the reference), one clause each.
    let mut natural = Vec::new();
    for s in &b.scenarios {
        if !s.facts.natural_retirement_in_key_projects {
            continue;
        }
        let is_main = s.meta.scenario == main.meta.scenario;
        let parts: Vec<(String, bool)> = ledger::tables(s.summary, s.facts.key_project_accounting)
            .iter()
            .filter(|lt| lt.natural_retirement_t > 0.0 && lt.reduction_t > 0.0)
            .map(|lt| {
                let share = lt.natural_share();
                let text = if share >= 0.995 {
                    match lang {
                        Lang::Zh => format!("{} 全部 {}", lt.pollutant.name(), t(lt.reduction_t)),
                        Lang::En => format!("all {} of {}", t(lt.reduction_t), lt.pollutant.name()),
                    }
                } else {
                    match lang {
                        Lang::Zh => format!(
                            "{} {} 中的 {}（{}）",
                            lt.pollutant.name(),
                            t(lt.reduction_t),
                            t(lt.natural_retirement_t),
                            pct(share)
                        ),
                        Lang::En => format!(
                            "{} ({}) of {} of {}",
                            t(lt.natural_retirement_t),
                            pct(share),
                            t(lt.reduction_t),
                            lt.pollutant.name()
                        ),
                    }
                };
                (text, share >= 0.5)
            })
            .collect();
        if parts.is_empty() || !(is_main || parts.iter().any(|(_, most)| *most)) {
            continue;
        }
        let list: Vec<String> = parts.into_iter().map(|(p, _)| p).collect();
        natural.push(match lang {
            Lang::Zh => format!("{}：{}", title(s, lang), list.join("，")),
            Lang::En => format!("{}: {}", title(s, lang), list.join(", ")),
        });
    }
    if !natural.is_empty() {
        out.push(para(
            tr(lang, "自然淘汰计入削减量", "Natural retirement counted as projects"),
            match lang {
                Lang::Zh => format!(
                    "削减量中来自国三及以下汽车和第二阶段及以下非道路机械自然淘汰的部分——{}。这些车辆机械即使没有新政策也会退出，但按国发〔2021〕33号重点工程“基本淘汰国三及以下排放标准汽车”的口径计为削减量，所以没有新增措施的基准情景也有削减量。",
                    natural.join("；")
                ),
                Lang::En => format!(
                    "the part of the reductions that comes from pre-China IV vehicles and pre-Stage III machinery retiring naturally — {}. They would leave the fleet without any new policy, but count as reductions under the national key project “phase out vehicles of China III and below” (State Council 2021 No. 33), which is why even the reference scenario, with no new measures, reports reductions.",
                    natural.join("; ")
                ),
            },
        ));
    }
    // The accounting in force, in one sentence.
    let f = &main.facts;
    let ledger_words = match (
        f.key_project_accounting,
        f.natural_retirement_in_key_projects,
    ) {
        (KeyProjectAccounting::Ledger, true) => tr(
            lang,
            "重点工程减排量按总量减排核算台账（削减量／新增量）计，自然淘汰计为减排项目",
            "key-project reductions from the total-emission ledger (削减量 by project, 新增量 by cause), natural retirement counted as projects",
        ),
        (KeyProjectAccounting::Ledger, false) => tr(
            lang,
            "重点工程减排量按总量减排核算台账（削减量／新增量）计，自然淘汰计入新增量",
            "key-project reductions from the total-emission ledger (削减量 by project, 新增量 by cause), natural retirement booked in the 新增量",
        ),
        (KeyProjectAccounting::Net, _) => tr(
            lang,
            "重点工程减排量按各措施净减排量之和计（对比口径，不是台账）",
            "key-project reductions as the sum of net wedges (a comparison convention, not the ledger)",
        ),
    };
    out.push(para(
        tr(lang, "核算口径", "Accounting in force"),
        match lang {
            Lang::Zh => format!(
                "{ledger_words}；能耗按能源平衡表口径，非化石电力按发电煤耗法折标；{}（详见方法说明）。",
                crate::present::tables::BASE_YEAR_RECONCILIATION.0
            ),
            Lang::En => format!(
                "{ledger_words}; energy as the official energy balance counts it, non-fossil power at the coal equivalent of generation; {} (see the method note).",
                crate::present::tables::BASE_YEAR_RECONCILIATION.1
            ),
        },
    ));
    out
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
                    count(m.draws),
                    m.seed,
                    b.scenarios.len(),
                    years.join("、")
                ),
                Lang::En => format!(
                    "This briefing estimates, from {} Monte Carlo draws (seed {}), how likely {} \
                     the {} targets. A probability is the share of draws, within the stated \
                     ranges of the inputs, whose result meets the target.",
                    count(m.draws),
                    m.seed,
                    if b.scenarios.len() == 1 {
                        "the scenario meets".to_string()
                    } else {
                        format!("{} scenarios meet", b.scenarios.len())
                    },
                    years.join(" and ")
                ),
            },
        ));
    }
    for s in &b.scenarios {
        out.push(scenario_paragraph(s, lang, b.is_comparison()));
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
                    "概率只反映所列输入的不确定性，不包括模型结构误差和未建模的措施。{}的 {} 个输入中 \
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
pub const METHOD: [(&str, &str); 6] = [
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
        "能耗按能源平衡表口径计算：本地化石燃料消费（含发电用燃料），本地非化石电力（含生物质发电）和净调入电力按当年火电发电煤耗折标（发电煤耗法），生物质供热按 0.03412 吨标准煤/吉焦计，秸秆消耗只作备忘项（用于秸秆供应核对）。非化石能源占比始终以能耗总量为分母；考核用能耗强度按发改运行〔2022〕1258号扣除比 2020 年新增的可再生能源电力（选项开启时），同时报告未扣除的变化。",
        "Energy is counted as the official energy balance counts it: fossil fuels burnt in the city (power-plant fuel included); local non-fossil electricity (biomass power included) and net imported electricity at the coal equivalent of that year's thermal generation (发电煤耗法); biomass heat at 0.03412 tce/GJ; straw burnt only as a memo item (for the straw-supply check). The non-fossil share is always on total energy; the assessed energy intensity deducts the increase over 2020 of renewable electricity (NDRC/NBS 2022 No. 1258) when that option is on, and the gross change is reported beside it.",
    ),
    (
        "氮氧化物和挥发性有机物按总量减排核算台账计：每项规划措施是一个减排项目（治理改造、关停淘汰、替代或源头替代），从建成次月起按其规则计算削减量；新增源、现有源增长和非项目车辆机械退出逐项计入新增量；目标年排放 = 2020 年排放 + 新增量 − 削减量，每次抽样都核对这一恒等式。规划的重点工程减排目标比较的是目标年的削减量。核算细则参照“十二五”“十三五”总量减排核算办法和国发〔2021〕33号十大重点工程（“十四五”核算指南未公开）。",
        "NOx and VOCs follow the total-emission ledger: every measure of the plan is a project (retrofit, closure, displacement or substitution) whose reduction (削减量) counts from the month after completion by its rule; new sources, growth of 2020 sources and fleet leavers that are not projects are booked as the new increment (新增量), each bottom-up; emissions in the target year = 2020 emissions + new increment − reductions, checked in every draw. The plan's key-project targets are compared with the target year's reductions. The rules follow the 12th/13th Five-Year accounting rules and the ten key projects of State Council 2021 No. 33 (the 14th FYP accounting guide is not public).",
    ),
    (
        "“假设”类输入没有公开数据，取的是有依据的代理值并给出较宽范围；其结果应理解为“在这些假设下”的结论。",
        "Inputs marked “assumption” have no public figure: they are defensible proxies with wide ranges, and results \
         that depend on them hold “under these assumptions”.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drivers_name_inputs_in_words_with_the_id_only_beside_them() {
        for lang in [Lang::Zh, Lang::En] {
            let pieces = input_words("economy.industry_va_growth", -1.53, lang);
            let p = Paragraph {
                lead: String::new(),
                pieces: pieces.clone(),
            };
            let text = p.plain();
            assert!(!text.contains("economy."), "{lang:?}: {text}");
            assert!(text.contains("−1.53"), "{lang:?}: {text}");
            let (zh, en) = crate::scenario::names::input_name("economy.industry_va_growth");
            assert!(text.contains(tr(lang, &zh, &en)), "{lang:?}: {text}");
            assert_eq!(
                pieces
                    .iter()
                    .filter(|p| matches!(p, Piece::Id(id) if id == "economy.industry_va_growth"))
                    .count(),
                1
            );
        }
        let zh = Paragraph {
            lead: String::new(),
            pieces: input_words("power.wind_base_mw", 0.7, Lang::Zh),
        }
        .plain();
        assert!(zh.ends_with(" 偏低（+0.70）"), "{zh}");
    }
}
