//! `tanfeng template`: the input workbook of a scenario — a Yearbook sheet with the base-year
//! statistics a city office has, every resolved input on the Inputs sheet (id, names, sector,
//! unit, status, source, distribution and its parameters, central value, note) and a How-to
//! sheet. A pure function from the scenario to the bytes of the `.xlsx`.

use rust_xlsxwriter::{Color, DataValidation, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{
    DISTRIBUTIONS, HOWTO_SHEET, INPUT_COLUMNS, INPUTS_SHEET, META_MARK, META_SHEET, YEARBOOK,
    YEARBOOK_COLUMNS, YEARBOOK_SHEET, col, inputs_sha256, sector_name, ycol,
};
use crate::scenario::names::input_name;
use crate::scenario::toml_out::family;
use crate::scenario::{DistSpec, Scenario, Status};
use crate::uncertainty::Distribution;

/// The central value of an input (`tanfeng explain`'s), NaN if its distribution is invalid.
pub fn central(spec: &DistSpec) -> f64 {
    Distribution::from_spec(spec).map_or(f64::NAN, |d| d.central())
}

/// The parameter cells of a distribution: (column key, number or list text).
pub fn spec_cells(spec: &DistSpec) -> Vec<(&'static str, Cell)> {
    let n = |k: &'static str, x: f64| (k, Cell::Number(x));
    let list = |v: &[f64]| {
        Cell::Text(
            v.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    match spec {
        DistSpec::Constant(v) => vec![n("value", *v)],
        DistSpec::Normal { mean, sd } => vec![n("mean", *mean), n("sd", *sd)],
        DistSpec::LogNormal { median, gsd } => vec![n("median", *median), n("gsd", *gsd)],
        DistSpec::LogNormal95 { low, high } => vec![n("low95", *low), n("high95", *high)],
        DistSpec::Triangular { min, mode, max } | DistSpec::Pert { min, mode, max } => {
            vec![n("min", *min), n("mode", *mode), n("max", *max)]
        }
        DistSpec::Uniform { min, max } => vec![n("min", *min), n("max", *max)],
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => vec![
            n("alpha", *alpha),
            n("beta", *beta),
            n("min", *min),
            n("max", *max),
        ],
        DistSpec::Discrete { values, probs } => {
            vec![("values", list(values)), ("probs", list(probs))]
        }
    }
}

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
}

/// Where the template's scenario comes from, for the child's `extends`.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// A shipped id, or the absolute path of the scenario file.
    pub extends: String,
    /// The program writing it (`tanfeng 0.1.0`).
    pub program: String,
}

/// The template workbook of `s`.
pub fn template_xlsx(s: &Scenario, src: &TemplateSource) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE7F0))
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let entry = Format::new().set_background_color(Color::RGB(0xFFF5CC));
    let grey = Format::new().set_font_color(Color::RGB(0x707070));
    yearbook_sheet(wb.add_worksheet(), s, &header, &entry, &grey)?;
    inputs_sheet(wb.add_worksheet(), s, &header)?;
    howto_sheet(wb.add_worksheet(), s, &header)?;
    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET)?;
    let rows = [
        (META_MARK, super::FORMAT.to_string()),
        ("scenario", s.meta.id.clone()),
        ("extends", src.extends.clone()),
        ("inputs_sha256", inputs_sha256(s)),
        ("program", src.program.clone()),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        meta.write_string(i as u32, 0, *k)?;
        meta.write_string(i as u32, 1, v)?;
    }
    meta.set_hidden(true);
    wb.save_to_buffer()
}

fn yearbook_sheet(
    ws: &mut Worksheet,
    s: &Scenario,
    header: &Format,
    entry: &Format,
    grey: &Format,
) -> Result<(), XlsxError> {
    ws.set_name(YEARBOOK_SHEET)?;
    ws.set_active(true);
    for (c, (_, h)) in YEARBOOK_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, header)?;
    }
    for (c, w) in [24, 36, 44, 12, 18, 20, 28, 60].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, y) in YEARBOOK.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, ycol("item_zh"), y.zh)?;
        ws.write_string(r, ycol("item_en"), y.en)?;
        ws.write_string_with_format(r, ycol("id"), y.input, grey)?;
        let unit = s.param(y.input).map_or("fraction", |p| p.unit.as_str());
        ws.write_string(r, ycol("unit"), unit)?;
        if let Some(p) = s.param(y.input) {
            let less: f64 = y
                .less
                .iter()
                .filter_map(|n| s.param(n))
                .map(|q| central(&q.spec))
                .sum();
            ws.write_number(r, ycol("current"), central(&p.spec) + less)?;
        }
        ws.write_blank(r, ycol("yearbook"), entry)?;
        ws.write_blank(r, ycol("table_page"), entry)?;
        ws.write_string(r, ycol("note"), y.note)?;
    }
    let n = YEARBOOK.len() as u32;
    let numbers = DataValidation::new()
        .allow_decimal_number(rust_xlsxwriter::DataValidationRule::GreaterThanOrEqualTo(
            0.0,
        ))
        .set_error_message("a number (no units, no thousands separator text)")?;
    ws.add_data_validation(1, ycol("yearbook"), n, ycol("yearbook"), &numbers)?;
    Ok(())
}

fn inputs_sheet(ws: &mut Worksheet, s: &Scenario, header: &Format) -> Result<(), XlsxError> {
    ws.set_name(INPUTS_SHEET)?;
    for (c, (_, h)) in INPUT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, header)?;
    }
    let widths: [f64; 24] = [
        46.0, 30.0, 36.0, 14.0, 12.0, 11.0, 50.0, 12.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0,
        10.0, 10.0, 10.0, 8.0, 8.0, 14.0, 14.0, 14.0, 60.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 1)?;
    for (i, p) in s.params.iter().enumerate() {
        let r = i as u32 + 1;
        let (zh, en) = input_name(&p.name);
        let sector = p.name.split('.').next().unwrap_or("");
        let (sz, se) = sector_name(sector);
        ws.write_string(r, col("id"), &p.name)?;
        ws.write_string(r, col("name_zh"), &zh)?;
        ws.write_string(r, col("name_en"), &en)?;
        ws.write_string(r, col("sector"), format!("{sz} {se}"))?;
        ws.write_string(r, col("unit"), &p.unit)?;
        ws.write_string(r, col("status"), p.provenance.status.as_str())?;
        ws.write_string(r, col("source"), &p.provenance.source)?;
        ws.write_string(r, col("dist"), family(&p.spec))?;
        for (k, v) in spec_cells(&p.spec) {
            match v {
                Cell::Number(x) => ws.write_number(r, col(k), x)?,
                Cell::Text(t) => ws.write_string(r, col(k), t)?,
            };
        }
        let c = central(&p.spec);
        if c.is_finite() {
            ws.write_number(r, col("central"), c)?;
        }
        if let Some(n) = &p.provenance.note {
            ws.write_string(r, col("note"), n)?;
        }
    }
    let last = s.params.len().max(1) as u32;
    let statuses: Vec<&str> = [
        Status::Plan,
        Status::Statistic,
        Status::Derived,
        Status::Assumption,
    ]
    .iter()
    .map(|s| s.as_str())
    .collect();
    let status = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_error_message(format!("one of: {}", statuses.join(", ")))?;
    ws.add_data_validation(1, col("status"), last, col("status"), &status)?;
    let dist = DataValidation::new()
        .allow_list_strings(&DISTRIBUTIONS)?
        .set_error_message(format!("one of: {}", DISTRIBUTIONS.join(", ")))?;
    ws.add_data_validation(1, col("dist"), last, col("dist"), &dist)?;
    ws.autofilter(0, 0, last, (INPUT_COLUMNS.len() - 1) as u16)?;
    Ok(())
}

fn howto_sheet(ws: &mut Worksheet, s: &Scenario, header: &Format) -> Result<(), XlsxError> {
    ws.set_name(HOWTO_SHEET)?;
    ws.set_column_width(0, 120)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "tanfeng 输入模板 / input template — {} ({} / {})",
            s.meta.id, s.meta.title_zh, s.meta.title_en
        ),
        header,
    )?;
    let lines = [
        "1. 在「基年统计 Yearbook」表中，把统计年鉴或环境统计中的数字填入「年鉴值」列，并在「表/页」列写明出处（例如：齐齐哈尔统计年鉴 2021 表 8-3）。未填写的行保持当前值。",
        "   On the Yearbook sheet, type the figure from the yearbook in 'yearbook value' and where it is in 'table/page' (e.g. 齐齐哈尔统计年鉴 2021, table 8-3). Rows left blank keep the current value.",
        "   A yearbook value becomes status = statistic with the table/page as its source and the uncertainty DATA.md §7 gives a statistic of its kind (±5 % for activity data; NOx −13 %/+37 %; VOCs −51 %/+133 %).",
        "2. 「Inputs」表列出情景的全部输入。可以修改状态、来源、分布及其参数和备注；不要删除、移动或插入行，不要修改 id，不要增加列或合并单元格。「中心值」列只供参考，不会被读取。",
        "   The Inputs sheet holds every input of the scenario. Change status, source, distribution, its parameters and note; do not delete, move or insert rows, edit ids, add columns or merge cells. The 'central' column is for reference and is not read.",
        "   Parameters by distribution: constant → value; normal → mean, sd; lognormal → median, gsd or low95, high95; triangular and pert → min, mode, max; uniform → min, max; beta → alpha, beta, min, max; discrete → values, probs (numbers separated by ';'). Leave the other parameter cells empty.",
        "3. 保存后运行 / Save, then: tanfeng import FILE.xlsx -o child.toml   (a scenario file that extends this scenario and states only what changed)",
        "   or directly: tanfeng run FILE.xlsx   ·   tanfeng compare plan FILE.xlsx   ·   tanfeng validate FILE.xlsx",
        "   Errors name the sheet, the cell (e.g. 'Inputs'!F23), the input and the allowed range; nothing is written until the workbook is right.",
    ];
    for (i, l) in lines.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, *l, &wrap)?;
    }
    Ok(())
}
