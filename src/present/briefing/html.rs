//! The HTML briefing: one self-contained page per language (inline CSS, charts by relative
//! path, no external reference), laid out for A4 print: summary first, tables with repeated
//! headers, charts two per page and never split, run metadata last.
//!
//! All text from scenarios and results goes through [`escape`].

use std::fmt::Write as _;

use super::findings::{self, METHOD, target_name, title};
use super::ledger::{self, LedgerTable, is_natural_retirement, kind_name};
use super::text::{
    count, escape, hex, pct, pct_range, prob_class_rgb, text_on, tonnes, tr, value_in,
};
use super::{Briefing, ScenarioBrief, figure_png};
use crate::analysis::summary::{IndicatorSummary, RunSummary, TargetSummary};
use crate::present::charts::Lang;
use crate::present::figures::{COMPARE_SECTION, kind_label};
use crate::scenario::KeyProjectAccounting;
use crate::scenario::plan_measures::{MeasureStatus, left_out};

/// Print layout: A4 with 13–15 mm margins, 10 pt text and 8.5 pt tables; a chart image at most
/// 105 mm high so two charts with their captions fit a page (268 mm of content height); table
/// headers repeat on every page, no row or figure is split.
const CSS: &str = "\
body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',system-ui,sans-serif;\
margin:0 auto;max-width:1000px;padding:24px 32px;color:#111;line-height:1.45;font-size:15px}\
h1{font-size:1.6em;margin:0 0 0.2em}\
.sub{color:#444;margin:0 0 1em}\
h2{font-size:1.25em;border-bottom:2px solid #08306B;padding-bottom:3px;margin:1.4em 0 0.5em;break-after:avoid}\
h3{font-size:1.05em;margin:1.1em 0 0.4em;break-after:avoid}\
p{margin:0.45em 0}\
table{border-collapse:collapse;margin:0.5em 0;font-size:0.9em;width:100%}\
thead{display:table-header-group}tr{break-inside:avoid}\
th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}\
th{background:#eef2f7}tr.sum td{font-weight:bold;background:#f4f6f9}\
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
td.p{text-align:center;white-space:nowrap;font-variant-numeric:tabular-nums}\
td .ci{display:block;font-size:0.8em;opacity:0.85}\
.small{font-size:0.85em;color:#555}code{font-size:0.88em;color:#555}\
.id{font-size:0.8em;color:#777}\
.legend span{display:inline-block;padding:1px 5px;font-size:0.8em;border:1px solid #bbb}\
.findings p{margin:0.55em 0}.findings b{color:#08306B}\
.charts{break-before:page}\
figure{margin:0 0 6mm;break-inside:avoid;page-break-inside:avoid}\
.figs figure:nth-child(2n+3){break-before:page;page-break-before:always}\
figure img{display:block;margin:0 auto;max-width:100%;max-height:105mm;width:auto;height:auto}\
figcaption{font-size:0.88em;margin-top:2mm}figcaption .links a{margin-right:0.6em}\
.meta{break-before:page}\
@page{size:A4;margin:14mm 13mm 15mm 13mm}\
@media print{body{max-width:none;padding:0;font-size:10pt}a{color:inherit;text-decoration:none}\
.links{display:none}table{font-size:8.5pt}th,td{padding:2px 4px}}";

/// Inputs listed per target in the sensitivity tables: the three strongest (more fill pages
/// without changing what a planner takes from them).
const SENSITIVITY_INPUTS: usize = 3;

/// The two cells of a sensitivity row: the first [`SENSITIVITY_INPUTS`] inputs' ids (as code)
/// and their signed values, one per line.
fn input_cells(lang: Lang, inputs: &[(String, f64)]) -> (String, String) {
    let top = &inputs[..inputs.len().min(SENSITIVITY_INPUTS)];
    // The input's name in words, its id small beside it (issue 20: ids only as a suffix).
    let names: Vec<String> = top
        .iter()
        .map(|(n, _)| {
            let (zh, en) = crate::scenario::names::input_name(n);
            format!(
                "{} <span class=\"small\"><code>{}</code></span>",
                escape(tr(lang, &zh, &en)),
                escape(n)
            )
        })
        .collect();
    // Signed with the typographic minus, as every other number of the briefing.
    let values: Vec<String> = top
        .iter()
        .map(|(_, v)| format!("{v:+.2}").replace('-', "−"))
        .collect();
    (names.join("<br>"), values.join("<br>"))
}

/// A summary paragraph's text: escaped, ids small and grey beside their names as in the
/// drivers tables.
fn pieces_html(pieces: &[findings::Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            findings::Piece::Text(t) => escape(t),
            findings::Piece::Id(id) => {
                format!(" <span class=\"small\"><code>{}</code></span>", escape(id))
            }
        })
        .collect()
}

fn ind_of<'a>(s: &'a RunSummary, name: &str) -> Option<&'a IndicatorSummary> {
    s.indicators.iter().find(|i| i.name == name)
}

fn h2(out: &mut String, lang: Lang, zh: &str, en: &str, class: &str) {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    let _ = writeln!(out, "<h2{class}>{}</h2>", escape(tr(lang, zh, en)));
}

fn p_cell(out: &mut String, p: f64, lo: f64, hi: f64) {
    let bg = prob_class_rgb(p);
    let fg = text_on(bg);
    let _ = write!(
        out,
        "<td class=\"p\" style=\"background:#{};color:#{}\">{}<span class=\"ci\">{}</span></td>",
        hex(bg),
        hex(fg),
        escape(&pct(p)),
        escape(&pct_range(lo, hi))
    );
}

/// Every target once, in first-appearance order, with the summary that defines it.
fn target_rows<'a>(b: &'a Briefing<'_>) -> Vec<(&'a TargetSummary, &'a RunSummary)> {
    let mut rows: Vec<(&TargetSummary, &RunSummary)> = Vec::new();
    for s in &b.scenarios {
        for t in &s.summary.targets {
            if !rows.iter().any(|(r, _)| r.id == t.id) {
                rows.push((t, s.summary));
            }
        }
    }
    rows
}

fn attainment_table(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    let rows = target_rows(b);
    if rows.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", tr(lang, "无目标。", "No targets."));
        return;
    }
    let _ = write!(
        out,
        "<table class=\"attain\"><thead><tr><th>{}</th><th>{}</th>",
        tr(lang, "目标（年份）", "Target (year)"),
        tr(lang, "类型", "Kind")
    );
    for s in &b.scenarios {
        let _ = write!(
            out,
            "<th>{}<br><span class=\"id\">{}</span></th>",
            escape(&title(s, lang)),
            escape(&s.meta.scenario)
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for (t, s) in rows {
        let _ = write!(
            out,
            "<tr><td>{}<br><span class=\"id\">{}</span></td><td>{}</td>",
            escape(&target_name(t, s, lang)),
            escape(&t.id),
            escape(kind_label(t.kind).get(lang))
        );
        for sc in &b.scenarios {
            match sc.summary.targets.iter().find(|x| x.id == t.id) {
                Some(x) => p_cell(out, x.probability, x.low95, x.high95),
                None => out.push_str("<td class=\"p\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n<p class=\"small legend\">");
    out.push_str(tr(
        lang,
        "每格：达标概率（整数百分比）及其 Wilson 95 % 区间（只反映抽样误差）。底色按 10 % 分级，与图表中的达标概率表一致：",
        "Each cell: probability of meeting the target (whole percent) and its Wilson 95 % interval (sampling error only). Shading by 10 % class, as in the attainment chart: ",
    ));
    for k in 0..10 {
        let bg = prob_class_rgb(f64::from(k) / 10.0);
        let _ = write!(
            out,
            "<span style=\"background:#{};color:#{}\">{}–{}</span>",
            hex(bg),
            hex(text_on(bg)),
            k * 10,
            k * 10 + 10
        );
    }
    out.push_str(" %</p>\n");
}

/// "label（2025 年）" / "label (2025)".
fn with_year(label: &str, year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{label}（{year} 年）"),
        Lang::En => format!("{label} ({year})"),
    }
}

/// Indicator values in their evaluation year: one row per indicator; a single run shows median,
/// mean and the 90 % range, a comparison one column per scenario (median over its range).
fn indicator_table(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    let mut names: Vec<&str> = Vec::new();
    for s in &b.scenarios {
        for i in &s.summary.indicators {
            if !names.contains(&i.name.as_str()) {
                names.push(&i.name);
            }
        }
    }
    if b.is_comparison() {
        let _ = write!(
            out,
            "<table class=\"values\"><thead><tr><th>{}</th>",
            tr(lang, "指标（年份）", "Indicator (year)")
        );
        for s in &b.scenarios {
            let _ = write!(out, "<th>{}</th>", escape(&title(s, lang)));
        }
        out.push_str("</tr></thead><tbody>\n");
        for name in names {
            let Some(first) = b.scenarios.iter().find_map(|s| ind_of(s.summary, name)) else {
                continue;
            };
            let _ = write!(
                out,
                "<tr><td>{}</td>",
                escape(&with_year(
                    tr(lang, &first.label_zh, &first.label_en),
                    first.year,
                    lang
                ))
            );
            for s in &b.scenarios {
                match ind_of(s.summary, name) {
                    Some(i) => {
                        let f = |x: f64| escape(&value_in(x, i.unit, i.year, lang));
                        let _ = write!(
                            out,
                            "<td class=\"num\">{}<span class=\"ci\">{} – {}</span></td>",
                            f(i.dist.p50),
                            f(i.dist.p5),
                            f(i.dist.p95)
                        );
                    }
                    None => out.push_str("<td class=\"num\">—</td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
        let _ = writeln!(
            out,
            "<p class=\"small\">{}</p>",
            tr(
                lang,
                "每格：中位数，下方为 90 % 范围（P5–P95）。",
                "Each cell: median, below it the 90 % range (P5–P95)."
            )
        );
        return;
    }
    let _ = writeln!(
        out,
        "<table class=\"values\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "指标（年份）", "Indicator (year)"),
        tr(lang, "中位数", "Median"),
        tr(lang, "均值", "Mean"),
        tr(lang, "90 % 范围（P5–P95）", "90 % range (P5–P95)")
    );
    for s in &b.scenarios {
        for i in &s.summary.indicators {
            let f = |x: f64| escape(&value_in(x, i.unit, i.year, lang));
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {}</td></tr>",
                escape(&with_year(tr(lang, &i.label_zh, &i.label_en), i.year, lang)),
                f(i.dist.p50),
                f(i.dist.mean),
                f(i.dist.p5),
                f(i.dist.p95)
            );
        }
    }
    out.push_str("</tbody></table>\n");
}

/// A name in `lang` (followed by `mark`) with the other language's name in a small grey line.
fn both_names(zh: &str, en: &str, lang: Lang, mark: &str) -> String {
    let (main, other) = match lang {
        Lang::Zh => (zh, en),
        Lang::En => (en, zh),
    };
    format!(
        "{}{mark}<br><span class=\"id\">{}</span>",
        escape(main),
        escape(other)
    )
}

/// The key-project ledger: one line per scenario and pollutant, then the main scenario's
/// projects and causes in the target year (MODEL.md §4).
fn ledger_section(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    let per: Vec<(&ScenarioBrief<'_>, Vec<LedgerTable<'_>>)> = b
        .scenarios
        .iter()
        .map(|s| (s, ledger::tables(s.summary, s.facts.key_project_accounting)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    if per.is_empty() {
        return;
    }
    h2(
        out,
        lang,
        "重点工程削减量与新增量",
        "Key-project reductions and new increments",
        "ledger",
    );
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(tr(
            lang,
            "按总量减排核算：目标年排放 = 2020 年排放 + 新增量 − 削减量。削减量是规划所列减排项目（治理改造、关停淘汰、替代、源头替代）在目标年的年削减量；新增量是新增源、现有源活动水平变化和不属于项目的车辆机械退出，逐项自下而上计算。",
            "Counted as China's total-emission control counts: emissions in the target year = 2020 emissions + new increment − reductions. Reductions (削减量) are the target year's annual cuts of the plan's projects (retrofits, closures, displacement, substitution); the new increment (新增量) is new sources, activity change of 2020 sources and fleet leavers that are not projects, each computed bottom-up."
        ))
    );
    // Overview: scenario × pollutant.
    let _ = writeln!(
        out,
        "<table class=\"ledger\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "情景 · 污染物（年份）", "Scenario · pollutant (year)"),
        tr(lang, "削减量 均值", "Reductions, mean"),
        tr(lang, "90 % 范围", "90 % range"),
        tr(lang, "其中自然淘汰", "of which natural retirement"),
        tr(lang, "新增量", "New increment"),
        tr(lang, "净变化（对 2020 年）", "Net change from 2020"),
        tr(lang, "规划要求（达标概率）", "Plan requires (probability)")
    );
    let t = |x: f64| escape(&tonnes(x, lang, false));
    let ts = |x: f64| escape(&tonnes(x, lang, true));
    for (s, tables) in &per {
        for lt in tables {
            let range = lt.reduction_range_t.map_or_else(
                || "—".to_string(),
                |(lo, hi)| format!("{} – {}", t(lo), t(hi)),
            );
            let req = match (lt.required_t, lt.probability) {
                (Some(r), Some(p)) => format!("{} ({})", t(r), escape(&pct(p))),
                _ => "—".to_string(),
            };
            let _ = writeln!(
                out,
                "<tr><td>{} · {}</td><td class=\"num\">{}</td><td class=\"num\">{range}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{req}</td></tr>",
                escape(&title(s, lang)),
                escape(&with_year(lt.pollutant.name(), lt.year, lang)),
                t(lt.reduction_t),
                t(lt.natural_retirement_t),
                ts(lt.increment_t),
                ts(lt.net_change_t)
            );
        }
    }
    out.push_str("</tbody></table>\n");
    if per
        .iter()
        .any(|(s, _)| s.facts.key_project_accounting == KeyProjectAccounting::Net)
    {
        let _ = writeln!(
            out,
            "<p class=\"small\">{}</p>",
            escape(tr(
                lang,
                "采用“净减排”对比口径的情景，其目标指标是各措施净减排量之和，不是本表的削减量；本表仅作对照，不给出削减量区间。",
                "For scenarios under the \"net\" comparison accounting the target indicator is the sum of net wedges, not these reductions; the ledger is shown for reference, without a range."
            ))
        );
    }
    // The main scenario's projects and causes.
    let Some(main) = b.main_scenario() else {
        return;
    };
    let Some((_, tables)) = per
        .iter()
        .find(|(s, _)| s.meta.scenario == main.meta.scenario)
    else {
        return;
    };
    for lt in tables {
        h3(
            out,
            &match lang {
                Lang::Zh => format!(
                    "{} {} 年台账（{}）",
                    lt.pollutant.name(),
                    lt.year,
                    title(main, lang)
                ),
                Lang::En => format!(
                    "{} ledger in {} ({})",
                    lt.pollutant.name(),
                    lt.year,
                    title(main, lang)
                ),
            },
        );
        let _ = writeln!(
            out,
            "<table class=\"ledger\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            tr(
                lang,
                "项目 / 新增量来源",
                "Project / cause of new increment"
            ),
            tr(lang, "类型", "Kind"),
            tr(lang, "均值", "Mean"),
            tr(lang, "5–95 %", "5–95 %")
        );
        for p in &lt.projects {
            let mark = if is_natural_retirement(p) { " *" } else { "" };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {}</td></tr>",
                both_names(&p.label_zh, &p.label_en, lang, mark),
                kind_name(p.kind, lang),
                t(p.mean_t),
                t(p.p5_t),
                t(p.p95_t)
            );
        }
        let _ = writeln!(
            out,
            "<tr class=\"sum\"><td>{}</td><td></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            tr(lang, "削减量合计", "Reductions, total"),
            t(lt.reduction_t),
            lt.reduction_range_t.map_or_else(
                || "—".to_string(),
                |(lo, hi)| format!("{} – {}", t(lo), t(hi))
            )
        );
        for c in &lt.causes {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">—</td></tr>",
                both_names(&c.label_zh, &c.label_en, lang, ""),
                kind_name(c.kind, lang),
                ts(c.mean_t)
            );
        }
        let _ = writeln!(
            out,
            "<tr class=\"sum\"><td>{}</td><td></td><td class=\"num\">{}</td><td></td></tr>\
             <tr class=\"sum\"><td>{}</td><td></td><td class=\"num\">{}</td><td></td></tr>",
            tr(lang, "新增量合计", "New increment, total"),
            ts(lt.increment_t),
            tr(
                lang,
                "总排放净变化（新增量 − 削减量）",
                "Net change of total emissions (new increment − reductions)"
            ),
            ts(lt.net_change_t)
        );
        out.push_str("</tbody></table>\n");
    }
    let _ = writeln!(
        out,
        "<p class=\"small\">{}</p>",
        escape(tr(
            lang,
            "* 国三及以下汽车、第二阶段及以下非道路机械的自然淘汰（选项 natural_retirement_in_key_projects）。新增量各来源只给均值；5–95 % 为抽样分布的百分位数，各项目的区间不能相加。",
            "* Pre-China IV vehicles and pre-Stage III machinery retiring naturally (option natural_retirement_in_key_projects). Causes of the new increment are given as means; 5–95 % are percentiles over the draws, and the projects' ranges do not add up."
        ))
    );
}

fn section_name(b: &Briefing<'_>, section: &str, lang: Lang) -> String {
    if section == COMPARE_SECTION {
        return tr(lang, "情景比较", "Scenario comparison").to_string();
    }
    b.scenarios
        .iter()
        .find(|s| s.meta.scenario == section)
        .map_or_else(|| section.to_string(), |s| title(s, lang))
}

fn charts(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    out.push_str("<section class=\"charts\">\n");
    h2(out, lang, "图表", "Charts", "");
    if let Some(n) = b.note {
        let _ = writeln!(out, "<p class=\"small\">{}</p>", escape(n));
    }
    if b.figures.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            tr(lang, "未生成图表。", "No charts were written.")
        );
        out.push_str("</section>\n");
        return;
    }
    let file = |p: &std::path::Path| {
        format!(
            "{}/{}",
            b.charts_dir,
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        )
    };
    out.push_str("<div class=\"figs\">\n");
    for (k, fig) in b.figures.iter().enumerate() {
        let Some(png) = figure_png(fig, lang) else {
            continue;
        };
        let caption = fig.caption.get(lang);
        let _ = write!(
            out,
            "<figure id=\"{}\"><img src=\"{}\" alt=\"{}\"><figcaption><b>{} {}</b> {} \
             <span class=\"small\">· {}</span><span class=\"links small\"> ",
            escape(&fig.name),
            escape(&file(png)),
            escape(caption),
            tr(lang, "图", "Figure"),
            k + 1,
            escape(caption),
            escape(&section_name(b, &fig.section, lang))
        );
        for (l, png, svg) in &fig.files {
            let name = match l {
                Lang::Zh => "中文",
                Lang::En => "English",
            };
            let _ = write!(
                out,
                "<a href=\"{}\">PNG {name}</a><a href=\"{}\">SVG {name}</a>",
                escape(&file(png)),
                escape(&file(svg))
            );
        }
        out.push_str("</span></figcaption></figure>\n");
    }
    out.push_str("</div></section>\n");
}

/// The plain-language method and accounting note, with the data-quality counts.
fn method(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    h2(out, lang, "方法与核算说明", "Method and accounting", "meta");
    for (zh, en) in METHOD {
        let _ = writeln!(out, "<p>{}</p>", escape(tr(lang, zh, en)));
    }
    h3(out, tr(lang, "核算口径", "Accounting convention"));
    let mut seen: Vec<&str> = Vec::new();
    for s in &b.scenarios {
        let text = tr(lang, &s.meta.accounting_zh, &s.meta.accounting_en);
        if seen.contains(&text) {
            continue;
        }
        seen.push(text);
        let same_for_all = b
            .scenarios
            .iter()
            .all(|o| tr(lang, &o.meta.accounting_zh, &o.meta.accounting_en) == text);
        let who = if same_for_all {
            tr(lang, "所有情景", "All scenarios").to_string()
        } else {
            title(s, lang)
        };
        let _ = writeln!(
            out,
            "<p><b>{}</b>{}{}</p>",
            escape(&who),
            tr(lang, "：", ": "),
            escape(text)
        );
    }
    h3(out, tr(lang, "数据质量", "Data quality"));
    let _ = writeln!(
        out,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "情景", "Scenario"),
        tr(lang, "输入总数", "Inputs"),
        tr(lang, "假设", "Assumption"),
        tr(lang, "统计", "Statistic"),
        tr(lang, "由统计推算", "Derived"),
        tr(lang, "规划", "Plan")
    );
    for s in &b.scenarios {
        let c = s.facts.statuses;
        let share = |n: usize| {
            if c.total() == 0 {
                "—".to_string()
            } else {
                format!("{n} ({})", pct(n as f64 / c.total() as f64))
            }
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&title(s, lang)),
            c.total(),
            share(c.assumption),
            share(c.statistic),
            share(c.derived),
            share(c.plan)
        );
    }
    out.push_str("</tbody></table>\n");
    let _ = writeln!(
        out,
        "<p class=\"small\">{}</p>",
        tr(
            lang,
            "按情景文件中每个输入的 status 计数；年度路径的每个锚点年份算一个输入。逐项来源见 tanfeng explain 情景名。",
            "Counted from each input's status in the scenario files; each anchor year of a year path counts as one input. \
             Every input's source: tanfeng explain SCENARIO."
        )
    );
}

fn h3(out: &mut String, text: &str) {
    let _ = writeln!(out, "<h3>{}</h3>", escape(text));
}

fn assumptions(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    h2(out, lang, "各情景的假设", "What each scenario assumes", "");
    let _ = writeln!(
        out,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "情景", "Scenario"),
        tr(
            lang,
            "假设（情景文件的说明）",
            "Assumes (the scenario file's description)"
        ),
        tr(
            lang,
            "相对上级情景改变的输入",
            "Inputs changed from the scenario it extends"
        )
    );
    let mut untranslated = false;
    for s in &b.scenarios {
        let f = &s.facts;
        let based = match &f.extends {
            Some(p) => format!(
                "<br><span class=\"small\">{} <code>{}</code></span>",
                tr(lang, "基于", "extends"),
                escape(p)
            ),
            None => String::new(),
        };
        let changed = if f.changed.is_empty() {
            tr(lang, "—（独立情景）", "— (a stand-alone scenario)").to_string()
        } else {
            let items: Vec<String> = f
                .changed
                .iter()
                .map(|c| {
                    // The group's name in words, its id pattern small beside it.
                    let (zh, en) = crate::scenario::names::input_name(&c.pattern);
                    let times = if c.count > 1 {
                        format!(" ×{}", c.count)
                    } else {
                        String::new()
                    };
                    format!(
                        "{}{times} <span class=\"small\"><code>{}</code></span>",
                        escape(tr(lang, &zh, &en)),
                        escape(&c.pattern)
                    )
                })
                .collect();
            let c = f.changed_statuses;
            format!(
                "{}<br><span class=\"small\">{}</span>",
                items.join("<br>"),
                escape(&match lang {
                    Lang::Zh => format!("其中 {} 个为假设、{} 个取自规划", c.assumption, c.plan),
                    Lang::En => format!("{} assumptions, {} plan figures", c.assumption, c.plan),
                })
            )
        };
        let (description, in_lang) = f.description_in(lang);
        untranslated |= !in_lang;
        let desc_lang = if in_lang { "" } else { " lang=\"en\"" };
        let _ = writeln!(
            out,
            "<tr><td>{}<br><span class=\"id\">{}</span>{based}</td><td{desc_lang}>{}</td><td>{changed}</td></tr>",
            escape(&title(s, lang)),
            escape(&s.meta.scenario),
            escape(description)
        );
    }
    out.push_str("</tbody></table>\n");
    if untranslated {
        let _ = writeln!(
            out,
            "<p class=\"small\">情景文件未给出中文说明（description_zh）的情景，其说明按原文（英文）列出。</p>"
        );
    }
}

fn sensitivity(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    h2(
        out,
        lang,
        "敏感性与反推",
        "Sensitivity and back-casting",
        "",
    );
    h3(
        out,
        tr(
            lang,
            "与未达标关联最强的输入",
            "Inputs most associated with missing each target",
        ),
    );
    let mut any = false;
    for s in &b.scenarios {
        let rows: Vec<(&TargetSummary, &crate::analysis::drivers::TargetDrivers)> = s
            .summary
            .targets
            .iter()
            .filter(|t| t.probability < 0.99)
            .filter_map(|t| s.drivers.iter().find(|d| d.target == t.id).map(|d| (t, d)))
            .filter(|(_, d)| !d.inputs.is_empty())
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !any {
            let _ = writeln!(
                out,
                "<table><thead><tr>{}<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                if b.is_comparison() {
                    format!("<th>{}</th>", tr(lang, "情景", "Scenario"))
                } else {
                    String::new()
                },
                tr(lang, "目标（达标概率）", "Target (probability)"),
                tr(lang, "输入", "Input"),
                tr(lang, "区分度", "Separation")
            );
            any = true;
        }
        for (t, d) in rows {
            let (inputs, seps) = input_cells(lang, &d.inputs);
            let _ = writeln!(
                out,
                "<tr>{}<td>{} ({})</td><td>{}</td><td class=\"num\">{}</td></tr>",
                if b.is_comparison() {
                    format!("<td>{}</td>", escape(&title(s, lang)))
                } else {
                    String::new()
                },
                escape(&target_name(t, s.summary, lang)),
                escape(&pct(t.probability)),
                inputs,
                seps
            );
        }
    }
    if any {
        out.push_str("</tbody></table>\n");
        let _ = writeln!(
            out,
            "<p class=\"small\">{}</p>",
            tr(
                lang,
                "区分度 = 达标抽样与未达标抽样中该输入的中位数之差 ÷ 该输入的四分位距。正值：该输入越大越容易达标；负值：越大越容易未达标。\
                 它说明关联，不是因果，也不是该输入的可调范围。只列出区分度超出随机波动的输入（在所有不确定输入中按 5 % 的 Bonferroni 界限，\
                 达标或未达标的抽样越少，界限越高）。",
                "Separation = the input's median over draws that meet the target minus its median over draws that miss it, \
                 divided by its interquartile range. Positive: larger values go with meeting the target; negative: with \
                 missing it. It shows association, not cause, and not how far the input can be moved. Only inputs whose \
                 separation is beyond what chance gives among all uncertain inputs are listed (Bonferroni, 5 %; the fewer \
                 draws meet or miss a target, the higher that bar)."
            )
        );
    } else {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            tr(
                lang,
                "本次运行未计算（或所有目标几乎确定达标）。",
                "Not computed for this run (or every target is virtually certain)."
            )
        );
    }
    if !b.sensitivity.is_empty() {
        h3(
            out,
            tr(
                lang,
                "秩回归敏感性（tanfeng sensitivity）",
                "Rank sensitivity (tanfeng sensitivity)",
            ),
        );
        let _ = writeln!(
            out,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>SRRC</th><th>R²</th></tr></thead><tbody>",
            tr(lang, "情景", "Scenario"),
            tr(lang, "指标", "Indicator"),
            tr(lang, "最重要的输入", "Most influential inputs")
        );
        for r in &b.sensitivity {
            let (names, vals) = input_cells(lang, &r.inputs);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td></tr>",
                escape(&r.scenario),
                escape(&r.indicator),
                names,
                vals,
                r.r_squared
            );
        }
        out.push_str("</tbody></table>\n");
    } else {
        let _ = writeln!(
            out,
            "<p class=\"small\">{}</p>",
            tr(
                lang,
                "秩回归与 Sobol 敏感性未在本次运行中计算：tanfeng sensitivity 情景名（结果写入该情景的输出目录后，重新生成简报即可纳入）。",
                "Rank-regression and Sobol sensitivity were not run: tanfeng sensitivity SCENARIO (its results are included \
                 when it writes to this scenario's output folder before the briefing is made)."
            )
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"small\">{}</p>",
        tr(
            lang,
            "反推（达到目标所需的措施力度）未在本次运行中计算：tanfeng target 情景名 --indicator 指标 --lever 杠杆。",
            "Back-casting (how far a lever must move to meet a target) was not run: tanfeng target SCENARIO --indicator \
             INDICATOR --lever LEVER."
        )
    );
}

fn not_modelled(out: &mut String, lang: Lang) {
    h2(
        out,
        lang,
        "规划中未计入模型的措施",
        "Measures of the plan the model leaves out",
        "",
    );
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(tr(
            lang,
            "以下规划措施未计入结果（原因见表）。它们若得到落实，实际排放可能低于模型结果；因此达标概率对这些措施而言是偏保守的。",
            "The plan's measures below are not counted in the results (reasons in the table). Where they are carried \
             out, actual emissions may be lower than modelled, so the probabilities are conservative with respect to them."
        ))
    );
    let _ = writeln!(
        out,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "规划章节", "Plan section"),
        tr(lang, "措施（规划原文）", "Measure (the plan's words)"),
        tr(lang, "未计入原因", "Why it is left out")
    );
    for m in left_out() {
        let (kind, reason) = match m.status {
            MeasureStatus::NotModelled {
                reason_zh,
                reason_en,
            }
            | MeasureStatus::Memo {
                reason_zh,
                reason_en,
            } => (
                tr(lang, m.status.label_zh(), m.status.label_en()),
                tr(lang, reason_zh, reason_en),
            ),
            MeasureStatus::Modelled { .. } => continue,
        };
        let gloss = if lang == Lang::En {
            format!("<br><span class=\"small\">{}</span>", escape(m.gloss_en))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"small\">{}</td><td lang=\"zh-CN\">「{}」{gloss}</td><td>{}{}{}</td></tr>",
            escape(m.section),
            escape(m.quote_zh),
            escape(kind),
            tr(lang, "：", ": "),
            escape(reason)
        );
    }
    out.push_str("</tbody></table>\n");
}

fn metadata(out: &mut String, b: &Briefing<'_>, lang: Lang) {
    h2(out, lang, "运行信息", "Run metadata", "");
    let _ = writeln!(
        out,
        "<table class=\"small\"><thead><tr><th>{}</th><th>{}</th><th>SHA-256</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "情景", "Scenario"),
        tr(lang, "情景文件", "Scenario files"),
        tr(lang, "运行", "Run")
    );
    for s in &b.scenarios {
        let m = s.meta;
        let _ = writeln!(
            out,
            "<tr><td>{}<br><span class=\"id\">{}</span></td><td>{}</td><td><code style=\"word-break:break-all\">{}</code></td>\
             <td>{}</td></tr>",
            escape(&title(s, lang)),
            escape(&m.scenario),
            escape(&m.scenario_files.join(" ← ")),
            escape(&m.scenario_sha256),
            escape(&match lang {
                Lang::Zh => format!(
                    "种子 {}；{} 次抽样；{} 线程；完成 {}；计算 {:.2} 秒；{}",
                    m.seed,
                    count(m.draws),
                    m.threads,
                    m.date_utc,
                    m.engine_seconds,
                    m.program
                ),
                Lang::En => format!(
                    "seed {}; {} draws; {} threads; finished {}; {:.2} s; {}",
                    m.seed,
                    count(m.draws),
                    m.threads,
                    m.date_utc,
                    m.engine_seconds,
                    m.program
                ),
            })
        );
    }
    out.push_str("</tbody></table>\n");
    if b.is_comparison() {
        let _ = writeln!(
            out,
            "<p class=\"small\">{}</p>",
            escape(&match lang {
                Lang::Zh => format!(
                    "情景间差值以第一个情景（{}）为基准，逐次抽样配对计算。",
                    b.scenarios[0].meta.scenario
                ),
                Lang::En => format!(
                    "Paired differences are taken draw by draw against the first scenario ({}).",
                    b.scenarios[0].meta.scenario
                ),
            })
        );
    }
}

/// The briefing page in `lang`.
pub fn page(b: &Briefing<'_>, lang: Lang) -> String {
    let mut out = String::new();
    let heading = if b.is_comparison() {
        tr(lang, "情景比较简报", "Scenario comparison briefing").to_string()
    } else {
        b.scenarios
            .first()
            .map_or_else(String::new, |s| match lang {
                Lang::Zh => format!("{} 简报", s.meta.title_zh),
                Lang::En => format!("{} — briefing", s.meta.title_en),
            })
    };
    let program = b.scenarios.first().map_or("", |s| s.meta.program.as_str());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        escape(&heading),
        escape(program)
    );
    let date = b.scenarios.first().map_or("", |s| s.meta.date_utc.as_str());
    let other: String = super::outputs(&b.langs)
        .iter()
        .filter(|o| o.lang != lang)
        .map(|o| {
            let name = tr(o.lang, "中文版", "English version");
            format!(" · <a class=\"links\" href=\"{}\">{name}</a>", o.html)
        })
        .collect();
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{} · {}{other}</p></header>",
        escape(&heading),
        escape(tr(
            lang,
            "碳达峰与减污目标的蒙特卡洛评估",
            "Monte Carlo assessment of the carbon-peak and pollution targets"
        )),
        escape(date.get(..10).unwrap_or(date))
    );
    h2(&mut out, lang, "主要结论", "Summary of findings", "");
    out.push_str("<div class=\"findings\">\n");
    for p in findings::summary(b, lang) {
        if p.lead.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", pieces_html(&p.pieces));
        } else {
            let _ = writeln!(
                out,
                "<p><b>{}</b>{}{}</p>",
                escape(&p.lead),
                tr(lang, "：", ": "),
                pieces_html(&p.pieces)
            );
        }
    }
    out.push_str("</div>\n");
    h2(&mut out, lang, "目标达成概率", "Target attainment", "");
    attainment_table(&mut out, b, lang);
    h3(&mut out, tr(lang, "指标数值", "Indicator values"));
    indicator_table(&mut out, b, lang);
    ledger_section(&mut out, b, lang);
    charts(&mut out, b, lang);
    method(&mut out, b, lang);
    assumptions(&mut out, b, lang);
    sensitivity(&mut out, b, lang);
    not_modelled(&mut out, lang);
    metadata(&mut out, b, lang);
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitivity_cells_list_the_strongest_inputs_escaped() {
        let inputs: Vec<(String, f64)> = [("a<b", 0.5), ("c", -0.25), ("d", 0.125), ("e", 0.1)]
            .iter()
            .map(|(n, v)| (n.to_string(), *v))
            .collect();
        let (names, values) = input_cells(Lang::En, &inputs);
        assert_eq!(
            names,
            "a&lt;b <span class=\"small\"><code>a&lt;b</code></span><br>\
             c <span class=\"small\"><code>c</code></span><br>\
             d <span class=\"small\"><code>d</code></span>"
        );
        assert_eq!(values, "+0.50<br>−0.25<br>+0.12");
        assert_eq!(input_cells(Lang::En, &inputs[..1]).1, "+0.50");
        let (names, _) = input_cells(Lang::En, &[("economy.gdp_growth".into(), 0.3)]);
        assert!(!names.starts_with("economy.gdp_growth"), "{names}");
    }

    #[test]
    fn summary_ids_are_small_beside_their_names() {
        use findings::Piece::{Id, Text};
        let html = pieces_html(&[
            Text("经济 · 工业增加值增速".into()),
            Id("economy.industry_va_growth".into()),
            Text(" 偏高（<1）".into()),
        ]);
        assert_eq!(
            html,
            "经济 · 工业增加值增速 <span class=\"small\"><code>economy.industry_va_growth</code></span> 偏高（&lt;1）"
        );
    }
}
