//! The HTML briefing: one self-contained page per run or comparison (inline CSS, charts
//! referenced by relative path), with bilingual headings, run metadata, the target-attainment
//! table with Wilson intervals, the indicator summary table and the charts with captions.
//!
//! All text from scenarios and results goes through [`escape`].

use std::fmt::Write as _;

use super::charts::Lang;
use super::figures::{RenderedFigure, format_indicator, kind_label, lang_tag};
use super::tables::RunMeta;
use crate::analysis::compare::Attainment;
use crate::analysis::summary::{IndicatorSummary, RunSummary, TargetSummary};

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "\
body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',system-ui,sans-serif;\
margin:0 auto;max-width:1280px;padding:24px 32px;color:#111;line-height:1.5}\
h1{font-size:1.7em;margin:0.2em 0}h1 .en{display:block;font-size:0.7em;color:#444;font-weight:normal}\
h2{font-size:1.3em;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:1.8em}\
h2 .en,h3 .en{color:#555;font-weight:normal;margin-left:0.6em}\
h3{font-size:1.1em;margin-top:1.4em}\
table{border-collapse:collapse;margin:0.6em 0;font-size:0.92em}\
th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}\
th{background:#f0f4f8;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
td.nw{white-space:nowrap}td.src{min-width:16em}td.p-hi{background:#d9f0e3}td.p-mid{background:#fdf1d0}td.p-lo{background:#f9d9d2}\
.small{font-size:0.85em;color:#555}\
figure{margin:1.2em 0;page-break-inside:avoid}figure img{width:100%;max-width:1200px;border:1px solid #ddd}\
figcaption{font-size:0.92em;margin-top:4px}figcaption .en{color:#444;display:block}\
.links a{margin-right:0.8em}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}\
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}\
@media print{body{max-width:none}a{color:inherit;text-decoration:none}}";

fn h2(out: &mut String, zh: &str, en: &str) {
    let _ = writeln!(
        out,
        "<h2><span lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span></h2>",
        escape(zh),
        escape(en)
    );
}

fn h3(out: &mut String, zh: &str, en: &str) {
    let _ = writeln!(
        out,
        "<h3><span lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span></h3>",
        escape(zh),
        escape(en)
    );
}

fn page_lang(langs: &[Lang]) -> Lang {
    if langs.contains(&Lang::Zh) {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn head(out: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        escape(title)
    );
}

fn p_class(p: f64) -> &'static str {
    if p >= 0.9 {
        "p-hi"
    } else if p >= 0.5 {
        "p-mid"
    } else {
        "p-lo"
    }
}

/// A probability in percent with one decimal; never "100.0 %" or "0.0 %" for a probability
/// that is not exactly 1 or 0.
fn pct(p: f64) -> String {
    if !p.is_finite() {
        return "—".to_string();
    }
    let s = format!("{:.1}", p * 100.0);
    if s == "100.0" && p < 1.0 {
        ">99.9 %".to_string()
    } else if s == "0.0" && p > 0.0 {
        "<0.1 %".to_string()
    } else {
        format!("{s} %")
    }
}

fn ind_of<'a>(s: &'a RunSummary, name: &str) -> Option<&'a IndicatorSummary> {
    s.indicators.iter().find(|i| i.name == name)
}

fn target_text(t: &TargetSummary, s: &RunSummary, lang: Lang) -> String {
    let unit = ind_of(s, &t.indicator).map_or("", |i| i.unit.as_str());
    let cmp = if t.comparison == ">=" { "≥" } else { "≤" };
    format!(
        "{cmp} {}",
        format_indicator(t.threshold, &t.indicator, unit, lang)
    )
}

fn indicator_cell(name: &str, s: &RunSummary) -> String {
    match ind_of(s, name) {
        Some(i) => format!(
            "{}<br><span class=\"small\" lang=\"en\">{}</span>",
            escape(&i.label_zh),
            escape(&i.label_en)
        ),
        None => escape(name),
    }
}

fn meta_list(out: &mut String, rows: &[(&str, &str, String)]) {
    out.push_str("<dl class=\"meta\">\n");
    for (zh, en, v) in rows {
        let name = if zh == en {
            escape(zh)
        } else {
            format!("{} / {}", escape(zh), escape(en))
        };
        let _ = writeln!(out, "<dt>{name}</dt><dd>{}</dd>", escape(v));
    }
    out.push_str("</dl>\n");
}

/// The accounting conventions of a comparison: one text when every scenario counts alike,
/// else one per scenario.
fn accounting_of(metas: &[RunMeta]) -> String {
    let both = |m: &RunMeta| format!("{} / {}", m.accounting_zh, m.accounting_en);
    match metas.first() {
        Some(f) if metas.iter().all(|m| m.accounting_en == f.accounting_en) => both(f),
        _ => metas
            .iter()
            .map(|m| format!("{}: {}", m.scenario, both(m)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn targets_table(out: &mut String, s: &RunSummary, lang: Lang) {
    out.push_str(
        "<table>\n<tr><th>目标 Target</th><th>指标 Indicator</th><th>要求 Requirement</th>\
         <th>年份 Year</th><th>类型 Kind</th><th>达标概率 P(met)</th>\
         <th>95 % 区间 (Wilson)</th><th>达标抽样 Draws met</th><th>来源 Source</th></tr>\n",
    );
    for t in &s.targets {
        let k = kind_label(t.kind);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"nw\">{}<br>\
             <span class=\"small\">{}</span></td><td class=\"num {}\">{}</td>\
             <td class=\"num\">{} – {}</td><td class=\"num\">{} / {}</td>\
             <td class=\"small src\">{}</td></tr>",
            escape(&t.id),
            indicator_cell(&t.indicator, s),
            escape(&target_text(t, s, lang)),
            t.year,
            escape(&k.zh),
            escape(&k.en),
            p_class(t.probability),
            pct(t.probability),
            pct(t.low95),
            pct(t.high95),
            t.met,
            t.n,
            escape(&t.source)
        );
    }
    out.push_str("</table>\n");
}

fn indicator_rows(out: &mut String, i: &IndicatorSummary, first_cell: &str, lang: Lang) {
    let f = |x: f64| escape(&format_indicator(x, &i.name, &i.unit, lang));
    let _ = writeln!(
        out,
        "<tr><td>{first_cell}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        i.year,
        f(i.dist.mean),
        f(i.dist.p50),
        f(i.dist.p5),
        f(i.dist.p95)
    );
}

const SUMMARY_HEAD: &str = "<th>年份 Year</th><th>均值 Mean</th><th>中位数 Median</th>\
                            <th>P5</th><th>P95</th></tr>\n";

fn figures_html(out: &mut String, figures: &[RenderedFigure], lang: Lang, charts_dir: &str) {
    for fig in figures {
        let primary = fig
            .files
            .iter()
            .find(|(l, _, _)| *l == lang)
            .or_else(|| fig.files.first());
        let Some((plang, png, _)) = primary else {
            continue;
        };
        let file = |p: &std::path::Path| {
            format!(
                "{charts_dir}/{}",
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            )
        };
        let alt = fig.caption.get(*plang);
        let _ = write!(
            out,
            "<figure id=\"{}\"><a href=\"{}\"><img src=\"{}\" alt=\"{}\"></a>\
             <figcaption><span lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span>\
             <span class=\"links small\">",
            escape(&fig.name),
            escape(&file(png)),
            escape(&file(png)),
            escape(alt),
            escape(&fig.caption.zh),
            escape(&fig.caption.en)
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
}

fn chart_section(
    out: &mut String,
    figures: &[RenderedFigure],
    langs: &[Lang],
    charts_dir: &str,
    note: Option<&str>,
) {
    h2(out, "图表", "Charts");
    if let Some(n) = note {
        let _ = writeln!(out, "<p class=\"small\">{}</p>", escape(n));
    }
    if figures.is_empty() {
        out.push_str("<p>未生成图表 / No charts were written.</p>\n");
        return;
    }
    let lang = page_lang(langs);
    let written: Vec<&str> = langs.iter().map(|l| lang_tag(*l)).collect();
    let _ = writeln!(
        out,
        "<p class=\"small\">图表文件位于 <code>{0}/</code>（语言：{1}）。点击图片查看原尺寸。 \
         Chart files are in <code>{0}/</code> (languages: {1}); click a chart for full size.</p>",
        escape(charts_dir),
        escape(&written.join(", "))
    );
    let mut sections: Vec<&str> = Vec::new();
    for f in figures {
        if !sections.contains(&f.section.as_str()) {
            sections.push(&f.section);
        }
    }
    for sec in sections {
        let in_sec: Vec<RenderedFigure> = figures
            .iter()
            .filter(|f| f.section == sec)
            .cloned()
            .collect();
        if sec == crate::present::figures::COMPARE_SECTION {
            h3(out, "情景比较", "Scenario comparison");
        } else {
            h3(out, &format!("情景 {sec}"), &format!("Scenario {sec}"));
        }
        figures_html(out, &in_sec, lang, charts_dir);
    }
}

fn footer_html(out: &mut String, program: &str) {
    let _ = writeln!(
        out,
        "<hr><p class=\"small\">由 {0} 生成 · generated by {0}. 概率为蒙特卡洛抽样中满足目标的比例；\
         区间为 Wilson 95 % 置信区间（只反映抽样误差，不反映模型与输入假设的不确定性）。 \
         Probabilities are shares of Monte Carlo draws meeting the target; intervals are Wilson 95 % \
         intervals (sampling error only, not model or input-assumption error).</p>\n</body>\n</html>",
        escape(program)
    );
}

/// The briefing page of one run. `charts_dir` is the chart folder relative to the page;
/// `langs` the chart languages written; `note` an optional remark (e.g. the font warning).
pub fn run_briefing(
    meta: &RunMeta,
    summary: &RunSummary,
    figures: &[RenderedFigure],
    langs: &[Lang],
    charts_dir: &str,
    note: Option<&str>,
) -> String {
    let lang = page_lang(langs);
    let mut out = String::new();
    head(
        &mut out,
        lang,
        &format!("{} {} — {}", meta.title_zh, meta.title_en, meta.program),
    );
    let _ = writeln!(
        out,
        "<header><h1><span lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span></h1>\
         <p class=\"small\">碳达峰与减污目标的蒙特卡洛评估 · Monte Carlo assessment of the \
         carbon-peak and pollution targets</p></header>",
        escape(&meta.title_zh),
        escape(&meta.title_en)
    );
    h2(&mut out, "运行信息", "Run");
    meta_list(
        &mut out,
        &[
            ("情景", "Scenario", meta.scenario.clone()),
            (
                "情景文件",
                "Scenario files",
                meta.scenario_files.join(" ← "),
            ),
            ("SHA-256", "SHA-256", meta.scenario_sha256.clone()),
            ("随机种子", "Seed", meta.seed.to_string()),
            ("抽样次数", "Draws", meta.draws.to_string()),
            ("线程", "Threads", meta.threads.to_string()),
            ("完成时间", "Finished (UTC)", meta.date_utc.clone()),
            (
                "计算用时",
                "Monte Carlo time",
                format!("{:.2} s", meta.engine_seconds),
            ),
            ("程序", "Program", meta.program.clone()),
            (
                "核算口径",
                "Accounting",
                format!("{} / {}", meta.accounting_zh, meta.accounting_en),
            ),
        ],
    );
    h2(&mut out, "目标达成概率", "Target attainment");
    if summary.targets.is_empty() {
        out.push_str("<p>无目标 / No targets.</p>\n");
    } else {
        targets_table(&mut out, summary, lang);
    }
    h2(&mut out, "指标汇总", "Indicator summary");
    out.push_str("<table>\n<tr><th>指标 Indicator</th>");
    out.push_str(SUMMARY_HEAD);
    for i in &summary.indicators {
        indicator_rows(&mut out, i, &indicator_cell(&i.name, summary), lang);
    }
    out.push_str("</table>\n");
    chart_section(&mut out, figures, langs, charts_dir, note);
    footer_html(&mut out, &meta.program);
    out
}

/// The briefing page of a comparison: scenarios in the given order (the first is the
/// baseline of the paired differences).
pub fn compare_briefing(
    metas: &[RunMeta],
    summaries: &[RunSummary],
    att: &[Attainment],
    figures: &[RenderedFigure],
    langs: &[Lang],
    charts_dir: &str,
    note: Option<&str>,
) -> String {
    let lang = page_lang(langs);
    let mut out = String::new();
    let program = metas.first().map_or(String::new(), |m| m.program.clone());
    head(
        &mut out,
        lang,
        &format!("情景比较 Scenario comparison — {program}"),
    );
    out.push_str(
        "<header><h1><span lang=\"zh-CN\">情景比较</span><span class=\"en\" lang=\"en\">\
         Scenario comparison</span></h1>\n<p>",
    );
    for (k, m) in metas.iter().enumerate() {
        let _ = write!(
            out,
            "{}{} <span lang=\"en\">{}</span> (<code>{}</code>)",
            if k > 0 { " · " } else { "" },
            escape(&m.title_zh),
            escape(&m.title_en),
            escape(&m.scenario)
        );
    }
    out.push_str("</p></header>\n");
    h2(&mut out, "运行信息", "Run");
    if let Some(m) = metas.first() {
        meta_list(
            &mut out,
            &[
                ("随机种子", "Seed", m.seed.to_string()),
                ("每情景抽样次数", "Draws per scenario", m.draws.to_string()),
                ("线程", "Threads", m.threads.to_string()),
                ("完成时间", "Finished (UTC)", m.date_utc.clone()),
                (
                    "计算用时（合计）",
                    "Monte Carlo time (total)",
                    format!(
                        "{:.2} s",
                        metas.iter().map(|m| m.engine_seconds).sum::<f64>()
                    ),
                ),
                ("程序", "Program", m.program.clone()),
                (
                    "基准情景",
                    "Baseline of paired differences",
                    m.scenario.clone(),
                ),
                ("核算口径", "Accounting", accounting_of(metas)),
            ],
        );
    }
    out.push_str(
        "<table>\n<tr><th>情景 Scenario</th><th>标题 Title</th><th>情景文件 Files</th>\
         <th>SHA-256</th></tr>\n",
    );
    for m in metas {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}<br><span class=\"small\" lang=\"en\">{}</span></td>\
             <td class=\"small\">{}</td><td class=\"small\"><code>{}</code></td></tr>",
            escape(&m.scenario),
            escape(&m.title_zh),
            escape(&m.title_en),
            escape(&m.scenario_files.join(" ← ")),
            escape(&m.scenario_sha256)
        );
    }
    out.push_str("</table>\n");

    h2(&mut out, "目标达成概率", "Target attainment");
    let mut rows: Vec<(&TargetSummary, &RunSummary)> = Vec::new();
    for s in summaries {
        for t in &s.targets {
            if !rows.iter().any(|(r, _)| r.id == t.id) {
                rows.push((t, s));
            }
        }
    }
    if rows.is_empty() {
        out.push_str("<p>无目标 / No targets.</p>\n");
    } else {
        out.push_str(
            "<table>\n<tr><th>目标 Target</th><th>指标 Indicator</th><th>要求 Requirement</th>\
             <th>年份 Year</th>",
        );
        for m in metas {
            let _ = write!(out, "<th>{}</th>", escape(&m.scenario));
        }
        out.push_str("</tr>\n");
        for (t, s) in &rows {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td>",
                escape(&t.id),
                indicator_cell(&t.indicator, s),
                escape(&target_text(t, s, lang)),
                t.year
            );
            for m in metas {
                match att
                    .iter()
                    .find(|a| a.scenario == m.scenario && a.target == t.id)
                {
                    Some(a) => {
                        let _ = write!(
                            out,
                            "<td class=\"num {}\">{}<br><span class=\"small\">{} – {}</span></td>",
                            p_class(a.probability),
                            pct(a.probability),
                            pct(a.low95),
                            pct(a.high95)
                        );
                    }
                    None => out.push_str("<td class=\"num\">—</td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n<p class=\"small\">每格：达标概率与 Wilson 95 % 区间。 \
                      Each cell: probability of meeting the target and its Wilson 95 % interval.</p>\n");
    }

    h2(&mut out, "指标汇总", "Indicator summary");
    out.push_str("<table>\n<tr><th>指标 Indicator</th><th>情景 Scenario</th>");
    out.push_str(SUMMARY_HEAD);
    let mut names: Vec<&str> = Vec::new();
    for s in summaries {
        for i in &s.indicators {
            if !names.contains(&i.name.as_str()) {
                names.push(&i.name);
            }
        }
    }
    for name in names {
        let with: Vec<(&RunSummary, &IndicatorSummary)> = summaries
            .iter()
            .filter_map(|s| ind_of(s, name).map(|i| (s, i)))
            .collect();
        for (k, (s, i)) in with.iter().enumerate() {
            let first = if k == 0 {
                format!(
                    "<td rowspan=\"{}\">{}</td>",
                    with.len(),
                    indicator_cell(name, s)
                )
            } else {
                String::new()
            };
            let f = |x: f64| escape(&format_indicator(x, &i.name, &i.unit, lang));
            let _ = writeln!(
                out,
                "<tr>{first}<td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&s.scenario),
                i.year,
                f(i.dist.mean),
                f(i.dist.p50),
                f(i.dist.p5),
                f(i.dist.p95)
            );
        }
    }
    out.push_str("</table>\n");
    chart_section(&mut out, figures, langs, charts_dir, note);
    footer_html(&mut out, &program);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::summary::Dist;

    fn meta(id: &str, title: &str) -> RunMeta {
        RunMeta {
            accounting_zh: "全部能耗计入".into(),
            accounting_en: "all energy counted".into(),
            program: "tanfeng 0.1.0".into(),
            scenario: id.into(),
            title_zh: title.into(),
            title_en: "Plan <&> \"quoted\"".into(),
            scenario_sha256: "ab".into(),
            scenario_files: vec!["plan.toml".into()],
            seed: 1,
            draws: 10,
            threads: 2,
            date_utc: "2026-01-01T00:00:00Z".into(),
            engine_seconds: 0.5,
        }
    }

    fn summary(id: &str) -> RunSummary {
        let d = Dist {
            mean: -0.2,
            sd: 0.01,
            p5: -0.22,
            p25: -0.21,
            p50: -0.2,
            p75: -0.19,
            p95: -0.18,
            n: 10,
        };
        RunSummary {
            calibration_clamped_draws: 0,
            reconciliation: Vec::new(),
            scenario: id.into(),
            draws: 10,
            seed: 1,
            indicators: vec![IndicatorSummary {
                name: "co2_intensity_change".into(),
                unit: "fraction".into(),
                label_en: "CO₂ intensity".into(),
                label_zh: "碳强度".into(),
                year: 2025,
                dist: d.clone(),
            }],
            targets: vec![TargetSummary {
                id: "co2_<intensity>".into(),
                indicator: "co2_intensity_change".into(),
                comparison: "<=",
                threshold: -0.18,
                year: 2025,
                kind: "binding",
                source: "plan & co".into(),
                met: 9,
                n: 10,
                probability: 0.9,
                low95: 0.6,
                high95: 0.98,
                dist: d,
            }],
            series: Vec::new(),
            wedges: Vec::new(),
        }
    }

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("碳峰"), "碳峰");
    }

    #[test]
    fn run_page_has_lang_titles_escaped_text_and_tables() {
        let html = run_briefing(
            &meta("plan", "十四五规划情景"),
            &summary("plan"),
            &[],
            &[Lang::Zh, Lang::En],
            "charts",
            None,
        );
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"zh-CN\">"));
        assert!(html.contains("十四五规划情景"));
        assert!(html.contains("Plan &lt;&amp;&gt; &quot;quoted&quot;"));
        assert!(!html.contains("<&>"));
        assert!(html.contains("co2_&lt;intensity&gt;"));
        assert!(html.contains("90.0 %") && html.contains("60.0 % – 98.0 %"));
        assert!(html.contains("目标达成概率") && html.contains("Target attainment"));
        assert!(html.contains("−18.0 %"));
        // The briefing says which accounting convention its numbers follow.
        assert!(html.contains("核算口径") && html.contains("all energy counted"));
        let en = run_briefing(
            &meta("plan", "x"),
            &summary("plan"),
            &[],
            &[Lang::En],
            "charts",
            Some("warning <font>"),
        );
        assert!(en.contains("<html lang=\"en\">"));
        assert!(en.contains("warning &lt;font&gt;"));
    }

    #[test]
    fn compare_page_has_a_column_per_scenario() {
        let att = vec![
            Attainment {
                scenario: "a".into(),
                target: "co2_<intensity>".into(),
                indicator: "co2_intensity_change".into(),
                year: 2025,
                probability: 0.25,
                low95: 0.1,
                high95: 0.4,
            },
            Attainment {
                scenario: "b".into(),
                target: "co2_<intensity>".into(),
                indicator: "co2_intensity_change".into(),
                year: 2025,
                probability: 0.95,
                low95: 0.9,
                high95: 0.99,
            },
        ];
        let html = compare_briefing(
            &[meta("a", "甲"), meta("b", "乙")],
            &[summary("a"), summary("b")],
            &att,
            &[],
            &[Lang::En],
            "charts",
            None,
        );
        assert!(html.contains("<th>a</th><th>b</th>"));
        assert!(html.contains("p-lo\">25.0 %") && html.contains("p-hi\">95.0 %"));
        assert!(html.contains("rowspan=\"2\""));
        // Alike conventions: stated once, not per scenario.
        assert_eq!(html.matches("all energy counted").count(), 1);
        let mut other = meta("b", "乙");
        other.accounting_en = "new renewable electricity left out".into();
        let mixed = accounting_of(&[meta("a", "甲"), other]);
        assert!(mixed.starts_with("a: ") && mixed.contains("; b: ") && mixed.contains("left out"));
        assert_eq!(pct(0.9996), ">99.9 %");
        assert_eq!(pct(1.0), "100.0 %");
        assert_eq!(pct(0.0004), "<0.1 %");
        assert_eq!(pct(0.0), "0.0 %");
    }
}
