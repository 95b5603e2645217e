//! The briefing as a Word document (docx-rs), for a planner to edit in Word or WPS: summary of
//! findings, the attainment table (same blue classes as the HTML and PNG tables), every chart
//! of the language as an embedded PNG, the method note, what the scenarios assume, and the run
//! metadata. A4 portrait; charts 16 cm wide at most (11 cm high at most).

use std::path::{Path, PathBuf};

use docx_rs::{
    AlignmentType, BreakType, Docx, PageMargin, Paragraph, Pic, Run, RunFonts, Shading, Style,
    StyleType, Table, TableCell, TableRow, WidthType,
};

use super::findings::{self, METHOD, target_name, title};
use super::ledger::{self, is_natural_retirement, kind_name};
use super::text::{count, hex, pct, pct_range, prob_class_rgb, text_on, tonnes, tr};
use super::{Briefing, figure_png};
use crate::present::charts::Lang;
use crate::present::figures::{COMPARE_SECTION, kind_label};
use crate::scenario::plan_measures::{MeasureStatus, left_out};

/// Why the Word briefing could not be made.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// A chart file that is not a readable PNG.
    #[error("chart {path}: not a readable PNG: {reason}")]
    BadPng {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
    /// Packing the document failed.
    #[error("writing the .docx: {0}")]
    Pack(String),
}

/// EMU per centimetre (Office Open XML drawing unit).
const EMU_PER_CM: f64 = 360_000.0;
/// Largest chart width on the page (cm): A4 minus 2.5 cm margins.
const CHART_WIDTH_CM: f64 = 16.0;
/// Largest chart height (cm): two charts and captions per page.
const CHART_HEIGHT_CM: f64 = 11.0;

fn png_size(path: &Path, bytes: &[u8]) -> Result<(u32, u32), DocxError> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().map_err(|e| DocxError::BadPng {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let info = reader.info();
    Ok((info.width, info.height))
}

/// Chart size on the page in EMU: as wide as the column allows, at most `CHART_HEIGHT_CM` high.
fn chart_emu(w_px: u32, h_px: u32) -> (u32, u32) {
    let aspect = f64::from(h_px.max(1)) / f64::from(w_px.max(1));
    let mut w = CHART_WIDTH_CM;
    if w * aspect > CHART_HEIGHT_CM {
        w = CHART_HEIGHT_CM / aspect;
    }
    let h = w * aspect;
    (
        (w * EMU_PER_CM).round() as u32,
        (h * EMU_PER_CM).round() as u32,
    )
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

fn small(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s).size(16).color("555555"))
}

fn heading(s: &str, level: usize) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .keep_next(true)
        .add_run(Run::new().add_text(s))
}

fn cell(s: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(s).size(18)))
}

fn head_cell(s: &str) -> TableCell {
    TableCell::new()
        .shading(Shading::new().fill("EEF2F7"))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(s).size(18).bold()))
}

fn table(header: Vec<&str>, rows: Vec<Vec<TableCell>>) -> Table {
    let mut all = vec![TableRow::new(header.into_iter().map(head_cell).collect()).cant_split()];
    all.extend(rows.into_iter().map(|r| TableRow::new(r).cant_split()));
    Table::new(all).width(5000, WidthType::Pct)
}

fn attainment(b: &Briefing<'_>, lang: Lang) -> Table {
    let mut header = vec![
        tr(lang, "目标（年份）", "Target (year)").to_string(),
        tr(lang, "类型", "Kind").to_string(),
    ];
    header.extend(b.scenarios.iter().map(|s| title(s, lang)));
    let mut seen: Vec<&str> = Vec::new();
    let mut rows = Vec::new();
    for s in &b.scenarios {
        for t in &s.summary.targets {
            if seen.contains(&t.id.as_str()) {
                continue;
            }
            seen.push(&t.id);
            let mut row = vec![
                cell(&target_name(t, s.summary, lang)),
                cell(kind_label(t.kind).get(lang)),
            ];
            for sc in &b.scenarios {
                row.push(match sc.summary.targets.iter().find(|x| x.id == t.id) {
                    Some(x) => {
                        let bg = prob_class_rgb(x.probability);
                        let fg = hex(text_on(bg));
                        TableCell::new()
                            .shading(Shading::new().fill(hex(bg)))
                            .add_paragraph(
                                Paragraph::new()
                                    .align(AlignmentType::Center)
                                    .add_run(
                                        Run::new()
                                            .add_text(pct(x.probability))
                                            .size(18)
                                            .bold()
                                            .color(fg.clone()),
                                    )
                                    .add_run(Run::new().add_break(BreakType::TextWrapping))
                                    .add_run(
                                        Run::new()
                                            .add_text(pct_range(x.low95, x.high95))
                                            .size(14)
                                            .color(fg),
                                    ),
                            )
                    }
                    None => cell("—"),
                });
            }
            rows.push(row);
        }
    }
    table(header.iter().map(String::as_str).collect(), rows)
}

/// The ledger tables: every scenario and pollutant in one overview, then the main scenario's
/// projects and causes (the same content as the HTML section).
fn ledger_tables(mut doc: Docx, b: &Briefing<'_>, lang: Lang) -> Docx {
    let t = |x: f64| tonnes(x, lang, false);
    let ts = |x: f64| tonnes(x, lang, true);
    let mut rows = Vec::new();
    for s in &b.scenarios {
        for lt in ledger::tables(s.summary, s.facts.key_project_accounting) {
            rows.push(vec![
                cell(&format!(
                    "{} · {} ({})",
                    title(s, lang),
                    lt.pollutant.name(),
                    lt.year
                )),
                cell(&t(lt.reduction_t)),
                cell(&lt.reduction_range_t.map_or_else(
                    || "—".to_string(),
                    |(lo, hi)| format!("{} – {}", t(lo), t(hi)),
                )),
                cell(&t(lt.natural_retirement_t)),
                cell(&ts(lt.increment_t)),
                cell(&ts(lt.net_change_t)),
                cell(&match (lt.required_t, lt.probability) {
                    (Some(r), Some(p)) => format!("{} ({})", t(r), pct(p)),
                    _ => "—".to_string(),
                }),
            ]);
        }
    }
    if rows.is_empty() {
        return doc;
    }
    doc = doc
        .add_paragraph(heading(
            tr(
                lang,
                "重点工程削减量与新增量",
                "Key-project reductions and new increments",
            ),
            2,
        ))
        .add_paragraph(text(tr(
            lang,
            "按总量减排核算：目标年排放 = 2020 年排放 + 新增量 − 削减量。",
            "Counted as China's total-emission control counts: emissions in the target year = 2020 emissions + new increment − reductions.",
        )))
        .add_table(table(
            vec![
                tr(lang, "情景 · 污染物（年份）", "Scenario · pollutant (year)"),
                tr(lang, "削减量 均值", "Reductions, mean"),
                tr(lang, "90 % 范围", "90 % range"),
                tr(lang, "其中自然淘汰", "of which natural retirement"),
                tr(lang, "新增量", "New increment"),
                tr(lang, "净变化", "Net change"),
                tr(lang, "规划要求（概率）", "Plan requires (probability)"),
            ],
            rows,
        ));
    let Some(main) = b.main_scenario() else {
        return doc;
    };
    for lt in ledger::tables(main.summary, main.facts.key_project_accounting) {
        let name = |zh: &str, en: &str| match lang {
            Lang::Zh => format!("{zh}（{en}）"),
            Lang::En => format!("{en} ({zh})"),
        };
        let mut rows: Vec<Vec<TableCell>> = lt
            .projects
            .iter()
            .map(|p| {
                let mark = if is_natural_retirement(p) { " *" } else { "" };
                vec![
                    cell(&format!("{}{mark}", name(&p.label_zh, &p.label_en))),
                    cell(kind_name(p.kind, lang)),
                    cell(&t(p.mean_t)),
                    cell(&format!("{} – {}", t(p.p5_t), t(p.p95_t))),
                ]
            })
            .collect();
        rows.push(vec![
            cell(tr(lang, "削减量合计", "Reductions, total")),
            cell(""),
            cell(&t(lt.reduction_t)),
            cell("—"),
        ]);
        rows.extend(lt.causes.iter().map(|c| {
            vec![
                cell(&name(&c.label_zh, &c.label_en)),
                cell(kind_name(c.kind, lang)),
                cell(&ts(c.mean_t)),
                cell("—"),
            ]
        }));
        rows.push(vec![
            cell(tr(lang, "新增量合计", "New increment, total")),
            cell(""),
            cell(&ts(lt.increment_t)),
            cell(""),
        ]);
        rows.push(vec![
            cell(tr(
                lang,
                "总排放净变化（新增量 − 削减量）",
                "Net change (new increment − reductions)",
            )),
            cell(""),
            cell(&ts(lt.net_change_t)),
            cell(""),
        ]);
        doc = doc
            .add_paragraph(heading(
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
                3,
            ))
            .add_table(table(
                vec![
                    tr(
                        lang,
                        "项目 / 新增量来源",
                        "Project / cause of new increment",
                    ),
                    tr(lang, "类型", "Kind"),
                    tr(lang, "均值", "Mean"),
                    "5–95 %",
                ],
                rows,
            ));
    }
    doc.add_paragraph(small(tr(
        lang,
        "* 国三及以下汽车、第二阶段及以下非道路机械的自然淘汰。",
        "* Pre-China IV vehicles and pre-Stage III machinery retiring naturally.",
    )))
}

/// The plan's measures the model leaves out, with the reason.
fn left_out_table(doc: Docx, lang: Lang) -> Docx {
    let rows = left_out()
        .filter_map(|m| match m.status {
            MeasureStatus::NotModelled {
                reason_zh,
                reason_en,
            }
            | MeasureStatus::Memo {
                reason_zh,
                reason_en,
            } => Some(vec![
                cell(m.section),
                cell(&match lang {
                    Lang::Zh => format!("「{}」", m.quote_zh),
                    Lang::En => format!("「{}」 {}", m.quote_zh, m.gloss_en),
                }),
                cell(&format!(
                    "{}: {}",
                    tr(lang, m.status.label_zh(), m.status.label_en()),
                    tr(lang, reason_zh, reason_en)
                )),
            ]),
            MeasureStatus::Modelled { .. } => None,
        })
        .collect();
    doc.add_paragraph(heading(
        tr(
            lang,
            "规划中未计入模型的措施",
            "Measures of the plan the model leaves out",
        ),
        2,
    ))
    .add_table(table(
        vec![
            tr(lang, "规划章节", "Plan section"),
            tr(lang, "措施（规划原文）", "Measure (the plan's words)"),
            tr(lang, "未计入原因", "Why it is left out"),
        ],
        rows,
    ))
}

/// The Word briefing in `lang`. `charts` holds the PNG bytes of the figures' files, keyed by
/// path (the caller reads them); a figure whose PNG is missing there is skipped.
pub fn document(
    b: &Briefing<'_>,
    lang: Lang,
    charts: &[(PathBuf, Vec<u8>)],
) -> Result<Vec<u8>, DocxError> {
    let font = RunFonts::new()
        .ascii("Calibri")
        .hi_ansi("Calibri")
        .east_asia("Microsoft YaHei");
    let mut doc = Docx::new()
        .page_size(11_906, 16_838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1417)
                .right(1417),
        )
        .default_fonts(font)
        .default_size(21)
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(32)
                .bold()
                .color("08306B"),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(26)
                .bold()
                .color("08306B"),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("Heading 3")
                .size(22)
                .bold()
                .color("08306B"),
        );
    let heading_text = if b.is_comparison() {
        tr(lang, "情景比较简报", "Scenario comparison briefing").to_string()
    } else {
        b.scenarios
            .first()
            .map_or_else(String::new, |s| match lang {
                Lang::Zh => format!("{} 简报", s.meta.title_zh),
                Lang::En => format!("{} — briefing", s.meta.title_en),
            })
    };
    doc = doc
        .add_paragraph(heading(&heading_text, 1))
        .add_paragraph(small(tr(
            lang,
            "碳达峰与减污目标的蒙特卡洛评估",
            "Monte Carlo assessment of the carbon-peak and pollution targets",
        )))
        .add_paragraph(heading(tr(lang, "主要结论", "Summary of findings"), 2));
    for p in findings::summary(b, lang) {
        let mut para = Paragraph::new();
        if !p.lead.is_empty() {
            para = para.add_run(
                Run::new()
                    .add_text(format!("{}{}", p.lead, tr(lang, "：", ": ")))
                    .bold()
                    .color("08306B"),
            );
        }
        // Ids small and grey beside their names, as the HTML writes them.
        for piece in p.pieces {
            para = para.add_run(match piece {
                findings::Piece::Text(t) => Run::new().add_text(t),
                findings::Piece::Id(id) => Run::new()
                    .add_text(format!(" {id}"))
                    .size(14)
                    .color("777777"),
            });
        }
        doc = doc.add_paragraph(para);
    }
    doc = doc
        .add_paragraph(heading(tr(lang, "目标达成概率", "Target attainment"), 2))
        .add_table(attainment(b, lang))
        .add_paragraph(small(tr(
            lang,
            "每格：达标概率及其 Wilson 95 % 区间（只反映抽样误差）；底色按 10 % 分级。",
            "Each cell: probability of meeting the target and its Wilson 95 % interval (sampling error only); shading by 10 % class.",
        )));
    doc = ledger_tables(doc, b, lang);

    doc = doc.add_paragraph(heading(tr(lang, "图表", "Charts"), 2).page_break_before(true));
    let mut n = 0;
    for fig in b.figures {
        let Some(path) = figure_png(fig, lang) else {
            continue;
        };
        let Some((_, bytes)) = charts.iter().find(|(p, _)| p == path) else {
            continue;
        };
        let (w, h) = png_size(path, bytes)?;
        let (we, he) = chart_emu(w, h);
        n += 1;
        let section = if fig.section == COMPARE_SECTION {
            tr(lang, "情景比较", "Scenario comparison").to_string()
        } else {
            b.scenarios
                .iter()
                .find(|s| s.meta.scenario == fig.section)
                .map_or_else(|| fig.section.clone(), |s| title(s, lang))
        };
        doc = doc
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .keep_next(true)
                    .add_run(
                        Run::new()
                            .add_image(Pic::new_with_dimensions(bytes.clone(), w, h).size(we, he)),
                    ),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(format!("{} {n}  ", tr(lang, "图", "Figure")))
                            .bold()
                            .size(18),
                    )
                    .add_run(Run::new().add_text(fig.caption.get(lang)).size(18))
                    .add_run(
                        Run::new()
                            .add_text(format!(" · {section}"))
                            .size(16)
                            .color("555555"),
                    ),
            );
    }

    doc = doc.add_paragraph(
        heading(tr(lang, "方法与核算说明", "Method and accounting"), 2).page_break_before(true),
    );
    for (zh, en) in METHOD {
        doc = doc.add_paragraph(text(tr(lang, zh, en)));
    }
    for s in &b.scenarios {
        let c = s.facts.statuses;
        doc = doc.add_paragraph(text(&match lang {
            Lang::Zh => format!(
                "{}：核算口径为{}。{} 个输入中 {} 个为假设、{} 个来自统计、{} 个由统计推算、{} 个取自规划。",
                title(s, lang),
                s.meta.accounting_zh,
                c.total(),
                c.assumption,
                c.statistic,
                c.derived,
                c.plan
            ),
            Lang::En => format!(
                "{}: {}. Of {} inputs, {} are assumptions, {} statistics, {} derived and {} plan figures.",
                title(s, lang),
                s.meta.accounting_en,
                c.total(),
                c.assumption,
                c.statistic,
                c.derived,
                c.plan
            ),
        }));
    }

    doc = doc.add_paragraph(heading(
        tr(lang, "各情景的假设", "What each scenario assumes"),
        2,
    ));
    let rows = b
        .scenarios
        .iter()
        .map(|s| {
            let changed: Vec<String> = s
                .facts
                .changed
                .iter()
                .map(|c| {
                    let (zh, en) = crate::scenario::names::input_name(&c.pattern);
                    let name = tr(lang, &zh, &en);
                    if c.count > 1 {
                        format!("{name} ×{}", c.count)
                    } else {
                        name.to_string()
                    }
                })
                .collect();
            vec![
                cell(&format!("{} ({})", title(s, lang), s.meta.scenario)),
                cell(s.facts.description_in(lang).0),
                cell(&if changed.is_empty() {
                    "—".to_string()
                } else {
                    changed.join("; ")
                }),
            ]
        })
        .collect();
    doc = doc.add_table(table(
        vec![
            tr(lang, "情景", "Scenario"),
            tr(lang, "假设", "Assumes"),
            tr(
                lang,
                "相对上级情景改变的输入",
                "Inputs changed from the parent",
            ),
        ],
        rows,
    ));

    doc = left_out_table(doc, lang);
    doc = doc.add_paragraph(heading(tr(lang, "运行信息", "Run metadata"), 2));
    for s in &b.scenarios {
        let m = s.meta;
        doc = doc.add_paragraph(small(&format!(
            "{} ({}): {} · SHA-256 {} · seed {} · {} draws · {} threads · {} · {}",
            title(s, lang),
            m.scenario,
            m.scenario_files.join(" ← "),
            m.scenario_sha256,
            m.seed,
            count(m.draws),
            m.threads,
            m.date_utc,
            m.program
        )));
    }

    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    repeat_header_rows(&buf.into_inner())
}

/// Marks the first row of every table of a packed document as a header row that Word, WPS and
/// LibreOffice repeat at the top of each page the table continues on (`w:tblHeader`, which
/// docx-rs 0.4.22 cannot write): `word/document.xml` is rewritten, every other entry copied
/// as it is.
pub fn repeat_header_rows(docx: &[u8]) -> Result<Vec<u8>, DocxError> {
    use std::io::{Read, Write};
    let pack = |e: zip::result::ZipError| DocxError::Pack(e.to_string());
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(pack)?;
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).map_err(pack)?;
        if entry.name().map_err(pack)? != "word/document.xml" {
            zout.raw_copy_file(entry).map_err(pack)?;
            continue;
        }
        let mut xml = String::new();
        entry
            .read_to_string(&mut xml)
            .map_err(|e| DocxError::Pack(format!("word/document.xml: {e}")))?;
        let mut opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if let Some(t) = entry.last_modified() {
            opts = opts.last_modified_time(t);
        }
        drop(entry);
        zout.start_file("word/document.xml", opts).map_err(pack)?;
        zout.write_all(mark_header_rows(&xml).as_bytes())
            .map_err(|e| DocxError::Pack(format!("word/document.xml: {e}")))?;
    }
    Ok(zout.finish().map_err(pack)?.into_inner())
}

/// `document.xml` with `<w:tblHeader />` in the row properties of each table's first row
/// (a `w:trPr` is added when the row has none).
fn mark_header_rows(xml: &str) -> String {
    const HEADER: &str = "<w:tblHeader />";
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(t) = find_tag(rest, "<w:tbl") {
        let Some(r) = find_tag(&rest[t..], "<w:tr").map(|r| t + r) else {
            break;
        };
        // End of the row's start tag.
        let Some(end) = rest[r..].find('>').map(|e| r + e + 1) else {
            break;
        };
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix("<w:trPr>") {
            out.push_str("<w:trPr>");
            out.push_str(HEADER);
            rest = after;
        } else {
            out.push_str("<w:trPr>");
            out.push_str(HEADER);
            out.push_str("</w:trPr>");
        }
    }
    out.push_str(rest);
    out
}

/// Byte offset of the first start tag `tag` (`<w:tbl`, `<w:tr`): followed by `>`, a space or
/// `/`, so `<w:tbl` does not match `<w:tblPr` nor `<w:tr` match `<w:trPr`.
fn find_tag(s: &str, tag: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find(tag).map(|i| from + i) {
        match s[i + tag.len()..].chars().next() {
            Some('>' | ' ' | '/') => return Some(i),
            _ => from = i + tag.len(),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of each table of a packed document: per table, whether each row is a header row.
    fn header_flags(docx: &[u8]) -> Vec<Vec<bool>> {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut xml = String::new();
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("tbl"))
            .map(|t| {
                t.children()
                    .filter(|r| r.has_tag_name("tr"))
                    .map(|r| {
                        r.children()
                            .filter(|p| p.has_tag_name("trPr"))
                            .any(|p| p.children().any(|h| h.has_tag_name("tblHeader")))
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_first_row_of_every_table_repeats_on_each_page() {
        let doc = Docx::new()
            .add_table(table(vec!["a", "b"], vec![vec![cell("1"), cell("2")]; 3]))
            .add_paragraph(text("between"))
            .add_table(Table::new(vec![TableRow::new(vec![cell("no trPr")]); 2]));
        let mut buf = std::io::Cursor::new(Vec::new());
        doc.build().pack(&mut buf).unwrap();
        let plain = buf.into_inner();
        assert_eq!(
            header_flags(&plain),
            vec![vec![false; 4], vec![false; 2]],
            "docx-rs writes no header rows"
        );
        let marked = repeat_header_rows(&plain).unwrap();
        assert_eq!(
            header_flags(&marked),
            vec![vec![true, false, false, false], vec![true, false]]
        );
        // Every other entry is copied unchanged.
        let names = |b: &[u8]| {
            let z = zip::ZipArchive::new(std::io::Cursor::new(b.to_vec())).unwrap();
            let mut v: Vec<String> = z.file_names().map(|n| n.unwrap().to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(names(&plain), names(&marked));
        assert_eq!(find_tag("<w:tblPr/><w:tbl>", "<w:tbl"), Some(10));
        assert_eq!(find_tag("<w:trPr><w:tr >", "<w:tr"), Some(8));
    }

    #[test]
    fn charts_fit_the_column_and_the_half_page() {
        // A wide chart: full 16 cm width.
        let (w, h) = chart_emu(2000, 1250);
        assert_eq!(w, 5_760_000);
        assert_eq!(h, 3_600_000);
        // A tall chart: 11 cm high, narrower.
        let (w, h) = chart_emu(2000, 2450);
        assert_eq!(h, 3_960_000);
        assert!(w < 5_760_000);
    }
}
