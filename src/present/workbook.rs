//! `results.xlsx` (`--xlsx` on `run` and `compare`): the CSV tables of a result as one workbook,
//! a sheet per table, numbers as numbers (the CSV's own values, so the two agree exactly),
//! probabilities as formatted percentages shaded by the attainment chart's 10 % classes, a
//! Chinese header row under the CSV's, and the run metadata. A pure function to bytes.

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, XlsxError};

use crate::analysis::compare::{Attainment, PairedDiff};
use crate::analysis::summary::RunSummary;
use crate::present::charts::prob_class_color;
use crate::present::comparison::{attainment_csv, differences_csv};
use crate::present::inputs::inputs_csv;
use crate::present::tables::{self, CsvFlavor, RunMeta};
use crate::scenario::Scenario;
use crate::uncertainty::Sampler;

/// One sheet: its name and the CSV bytes it shows (a byte-order mark is skipped).
#[derive(Debug, Clone)]
pub struct SheetSource {
    /// Sheet name (at most 31 characters, no `/`).
    pub name: String,
    /// The CSV table.
    pub csv: Vec<u8>,
}

/// Chinese header of a CSV column, with its unit where the column has one.
fn header_zh(h: &str) -> String {
    let known = [
        ("scenario", "情景"),
        ("indicator", "指标"),
        ("unit", "单位"),
        ("year", "年份"),
        ("mean", "均值"),
        ("sd", "标准差"),
        ("p5", "5 % 分位"),
        ("p25", "25 % 分位"),
        ("median", "中位数"),
        ("p75", "75 % 分位"),
        ("p95", "95 % 分位"),
        ("target", "目标"),
        ("threshold", "目标值"),
        ("p_met", "达标概率"),
        ("p_met_low95", "达标概率 95 % 下限"),
        ("p_met_high95", "达标概率 95 % 上限"),
        ("draws", "抽样次数"),
        ("met_draws", "达标次数"),
        ("comparison", "比较"),
        ("kind", "类型"),
        ("source", "来源"),
        ("series", "序列"),
        ("project", "项目"),
        ("cause", "原因"),
        ("name", "名称（英文）"),
        ("pollutant", "污染物"),
        ("measure", "措施"),
        ("mean_t", "均值（吨）"),
        ("p5_t", "5 % 分位（吨）"),
        ("median_t", "中位数（吨）"),
        ("p95_t", "95 % 分位（吨）"),
        ("mean_reduction_t", "平均削减量（吨）"),
        ("letter", "字母"),
        ("status", "状态"),
        ("dist", "分布"),
        ("central", "中心值"),
        ("note", "备注"),
        ("id", "输入"),
        ("key", "项"),
        ("value", "值"),
    ];
    if let Some(rest) = h.strip_prefix("P(met) ") {
        return format!("{rest} 达标概率");
    }
    known
        .iter()
        .find(|(k, _)| *k == h)
        .map_or_else(|| h.to_string(), |(_, z)| (*z).to_string())
}

/// Whether a column holds probabilities (formatted as %, shaded by class).
fn is_probability(h: &str) -> bool {
    h.starts_with("p_met") || h.starts_with("P(met)") || h == "probability"
}

/// Reads CSV bytes as header and rows.
pub fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = r
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let rows = r
        .records()
        .flatten()
        .map(|rec| rec.iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A CSV field as a number, if it is a finite one.
pub fn as_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// The workbook of `sheets`; `meta` (key, value) rows go on a last sheet "运行信息 run".
pub fn results_xlsx(
    sheets: &[SheetSource],
    meta: &[(String, String)],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE7F0))
        .set_align(FormatAlign::Top);
    let head_zh = Format::new()
        .set_background_color(Color::RGB(0xEEF3F8))
        .set_font_color(Color::RGB(0x404040));
    let pct = |p: f64| {
        let c = prob_class_color(p);
        let rgb = (u32::from(c.0) << 16) | (u32::from(c.1) << 8) | u32::from(c.2);
        let light = u32::from(c.0) + u32::from(c.1) + u32::from(c.2) > 3 * 140;
        Format::new()
            .set_num_format("0.0%")
            .set_background_color(Color::RGB(rgb))
            .set_font_color(if light { Color::Black } else { Color::White })
    };
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        let (header, rows) = read_csv(&s.csv);
        for (c, h) in header.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, h, &head)?;
            ws.write_string_with_format(1, c, header_zh(h), &head_zh)?;
            let width = rows
                .iter()
                .take(200)
                .map(|r| r.get(c as usize).map_or(0, |x| x.chars().count()))
                .chain([h.chars().count()])
                .max()
                .unwrap_or(8)
                .clamp(8, 60);
            ws.set_column_width(c, width as f64 + 2.0)?;
        }
        ws.set_freeze_panes(2, 0)?;
        for (i, row) in rows.iter().enumerate() {
            let r = i as u32 + 2;
            for (c, v) in row.iter().enumerate() {
                let probability = header.get(c).is_some_and(|h| is_probability(h));
                match as_number(v) {
                    Some(x) if probability => {
                        ws.write_number_with_format(r, c as u16, x, &pct(x))?;
                    }
                    Some(x) => {
                        ws.write_number(r, c as u16, x)?;
                    }
                    None if v.is_empty() => {}
                    None => {
                        ws.write_string(r, c as u16, v)?;
                    }
                }
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("运行信息 run")?;
    ws.write_string_with_format(0, 0, "key", &head)?;
    ws.write_string_with_format(0, 1, "value", &head)?;
    ws.write_string_with_format(1, 0, "项", &head_zh)?;
    ws.write_string_with_format(1, 1, "值", &head_zh)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 100)?;
    for (i, (k, v)) in meta.iter().enumerate() {
        ws.write_string(i as u32 + 2, 0, k)?;
        ws.write_string(i as u32 + 2, 1, v)?;
    }
    wb.save_to_buffer()
}

/// The (key, value) rows of a JSON object (nested values as compact JSON).
pub fn meta_rows(prefix: &str, v: &serde_json::Value) -> Vec<(String, String)> {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, x)| {
                let text = match x {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (format!("{prefix}{k}"), text)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Several scenarios' copies of one table as one CSV (the header once; every run table has a
/// `scenario` column).
pub fn concat_csv(parts: &[&[u8]]) -> Vec<u8> {
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for p in parts {
        let (h, r) = read_csv(p);
        if header.is_empty() {
            header = h;
        }
        rows.extend(r);
    }
    tables::csv_bytes(CsvFlavor::Plain, &header, &rows)
}

/// The tables of one run as workbook sheets (`--xlsx`): attainment, summary, ledger,
/// increments, years, wedges and inputs, from the same bytes as the CSVs.
pub(crate) fn run_sheets(
    scenario: &Scenario,
    sampler: &Sampler,
    summary: &RunSummary,
) -> Vec<SheetSource> {
    let plain = CsvFlavor::Plain;
    [
        ("达标 attainment", tables::targets_csv(summary, plain)),
        ("汇总 summary", tables::summary_csv(summary, plain)),
        ("削减量 ledger", tables::ledger_csv(summary, plain)),
        ("新增量 increments", tables::increments_csv(summary, plain)),
        ("逐年 years", tables::years_csv(summary, plain)),
        ("措施 wedges", tables::wedges_csv(summary, plain)),
        ("输入 inputs", inputs_csv(scenario, sampler)),
    ]
    .into_iter()
    .map(|(name, csv)| SheetSource {
        name: name.to_string(),
        csv,
    })
    .collect()
}

/// The sheets of a comparison's `results.xlsx`: attainment and differences, then every
/// scenario's tables ([`run_sheets`], one list per scenario, in the same order) one below the
/// other (each row names its scenario); the first of them is named "目标 targets".
pub(crate) fn compare_sheets(
    per_run: &[Vec<SheetSource>],
    attainment: &[Attainment],
    scenarios: &[String],
    differences: &[PairedDiff],
) -> Vec<SheetSource> {
    let mut sheets = vec![
        SheetSource {
            name: "达标 attainment".into(),
            csv: attainment_csv(attainment, scenarios, CsvFlavor::Plain),
        },
        SheetSource {
            name: "差异 differences".into(),
            csv: differences_csv(differences, CsvFlavor::Plain),
        },
    ];
    let Some(first_run) = per_run.first() else {
        return sheets;
    };
    for (k, first) in first_run.iter().enumerate() {
        let parts: Vec<&[u8]> = per_run.iter().map(|p| p[k].csv.as_slice()).collect();
        let name = if k == 0 {
            "目标 targets".to_string()
        } else {
            first.name.clone()
        };
        sheets.push(SheetSource {
            name,
            csv: concat_csv(&parts),
        });
    }
    sheets
}

/// The metadata rows of a comparison's `results.xlsx`: scenarios, seed and draws, then each
/// run's metadata prefixed with its scenario id.
pub(crate) fn compare_meta(
    scenarios: &[String],
    seed: u64,
    draws: u64,
    metas: &[RunMeta],
) -> serde_json::Result<Vec<(String, String)>> {
    let mut meta = vec![
        ("scenarios".to_string(), scenarios.join(", ")),
        ("seed".to_string(), seed.to_string()),
        ("draws".to_string(), draws.to_string()),
    ];
    for m in metas {
        let info: serde_json::Value = serde_json::from_slice(&tables::run_json(m))?;
        meta.extend(meta_rows(&format!("{}.", m.scenario), &info));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_numbers_and_text_stays_text() {
        assert_eq!(as_number("0.125"), Some(0.125));
        assert_eq!(as_number("2025"), Some(2025.0));
        assert_eq!(as_number("at_most 0.5"), None);
        assert_eq!(as_number("NaN"), None);
        assert_eq!(as_number(""), None);
        let (h, r) = read_csv("\u{feff}a,b\r\n1,x\r\n".as_bytes());
        assert_eq!(h, ["a", "b"]);
        assert_eq!(r, [["1", "x"]]);
        assert_eq!(header_zh("P(met) plan"), "plan 达标概率");
    }
    #[test]
    fn compare_sheets_stack_each_runs_table_under_one_sheet() {
        let sheet = |name: &str, csv: &str| SheetSource {
            name: name.into(),
            csv: csv.as_bytes().to_vec(),
        };
        let per_run = vec![
            vec![
                sheet("达标 attainment", "scenario,p\r\nplan,0.5\r\n"),
                sheet("汇总 summary", "scenario,x\r\nplan,1\r\n"),
            ],
            vec![
                sheet("达标 attainment", "scenario,p\r\npeak,0.25\r\n"),
                sheet("汇总 summary", "scenario,x\r\npeak,2\r\n"),
            ],
        ];
        let ids = ["plan".to_string(), "peak".to_string()];
        let sheets = compare_sheets(&per_run, &[], &ids, &[]);
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "达标 attainment",
                "差异 differences",
                "目标 targets",
                "汇总 summary"
            ]
        );
        let (h, r) = read_csv(&sheets[3].csv);
        assert_eq!(h, ["scenario", "x"]);
        assert_eq!(r, [["plan", "1"], ["peak", "2"]]);
        let (h, r) = read_csv(&sheets[2].csv);
        assert_eq!(h, ["scenario", "p"]);
        assert_eq!(r, [["plan", "0.5"], ["peak", "0.25"]]);
        let (h, _) = read_csv(&sheets[0].csv);
        assert_eq!(h[..3], ["target", "indicator", "year"]);
        assert_eq!(compare_sheets(&[], &[], &ids, &[]).len(), 2);
    }
}
