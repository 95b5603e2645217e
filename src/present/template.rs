//! The input template (`tanfeng template`): an .xlsx a climate office fills in from its
//! yearbook. A pure function from a scenario to bytes; `present::io` writes the file. The
//! layout (sheets, columns) is shared with the reader in `scenario::workbook`.

use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::scenario::Scenario;
use crate::scenario::workbook::{
    self as wb, Cell, DISTS, INPUT_HEADERS, InputRow, LAYOUT_VERSION, MARKER, SHEET_HOWTO,
    SHEET_INPUTS, SHEET_META, SHEET_YEARBOOK, YEARBOOK, YEARBOOK_HEADERS, col,
};

/// Light fills that alternate by sector so groups stand apart.
const BANDS: [u32; 2] = [0xFFFFFF, 0xEEF3FA];

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E2F3))
        .set_border_bottom(FormatBorder::Thin)
}

fn write_row(ws: &mut Worksheet, r: u32, row: &InputRow, fmt: &Format) -> Result<(), XlsxError> {
    let texts = [
        (col::ID, &row.id),
        (col::NAME_ZH, &row.name_zh),
        (col::NAME_EN, &row.name_en),
        (col::SECTOR, &row.sector),
        (col::UNIT, &row.unit),
        (col::STATUS, &row.status),
        (col::SOURCE, &row.source),
        (col::DIST, &row.dist),
        (col::NOTE, &row.note),
    ];
    for (c, t) in texts {
        ws.write_string_with_format(r, c as u16, t.as_str(), fmt)?;
    }
    let pnames = DISTS.iter().find(|d| d.0 == row.dist).map_or("", |d| d.1);
    ws.write_string_with_format(r, col::PARAM_NAMES as u16, pnames, fmt)?;
    for (i, p) in row.params.iter().enumerate() {
        let c = (col::P1 + i) as u16;
        match p {
            Cell::Num(x) => ws.write_number_with_format(r, c, *x, fmt)?,
            Cell::Text(t) => ws.write_string_with_format(r, c, t.as_str(), fmt)?,
            Cell::Empty => ws.write_blank(r, c, fmt)?,
        };
    }
    if row.central.is_finite() {
        ws.write_number_with_format(r, col::CENTRAL as u16, row.central, fmt)?;
    } else {
        ws.write_blank(r, col::CENTRAL as u16, fmt)?;
    }
    Ok(())
}

/// The template workbook of `s`; `spec` is how the scenario was named (a shipped id or a path),
/// what the imported child will `extends`.
pub fn template_bytes(s: &Scenario, spec: &str) -> Result<Vec<u8>, XlsxError> {
    let rows = wb::input_rows(s);
    let mut book = Workbook::new();
    let head = header_format();

    // 1. Yearbook.
    {
        let ws = book.add_worksheet();
        ws.set_name(SHEET_YEARBOOK)?;
        for (c, h) in YEARBOOK_HEADERS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &head)?;
        }
        let fill = Format::new().set_background_color(Color::RGB(0xFFF2CC));
        let mut r = 1;
        for item in YEARBOOK {
            let Some(row) = rows.iter().find(|x| x.id == item.id) else {
                continue;
            };
            ws.write_string(r, 0, item.id)?;
            ws.write_string(r, 1, item.zh)?;
            ws.write_string(r, 2, item.en)?;
            ws.write_string(r, 3, row.unit.as_str())?;
            if row.central.is_finite() {
                ws.write_number(r, 4, row.central)?;
            }
            ws.write_blank(r, wb::YB_VALUE as u16, &fill)?;
            ws.write_blank(r, wb::YB_SOURCE as u16, &fill)?;
            ws.write_string(r, 7, row.status.as_str())?;
            ws.write_string(r, 8, row.source.as_str())?;
            r += 1;
        }
        ws.set_freeze_panes(1, 0)?;
        for (c, w) in [38, 22, 34, 12, 16, 18, 36, 14, 60].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_row_height(0, 30)?;
        ws.set_active(true);
    }

    // 2. Inputs, grouped by sector.
    {
        let ws = book.add_worksheet();
        ws.set_name(SHEET_INPUTS)?;
        for (c, h) in INPUT_HEADERS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &head)?;
        }
        let mut band = 0;
        let mut last_sector = String::new();
        for (i, row) in rows.iter().enumerate() {
            if row.sector != last_sector {
                if !last_sector.is_empty() {
                    band = 1 - band;
                }
                last_sector = row.sector.clone();
            }
            let fmt = Format::new().set_background_color(Color::RGB(BANDS[band]));
            write_row(ws, (i + 1) as u32, row, &fmt)?;
        }
        let last = rows.len() as u32;
        if last > 0 {
            let status = DataValidation::new()
                .allow_list_strings(&crate::scenario::Status::ALL)?
                .set_error_title("status")?
                .set_error_message("plan, statistic, derived or assumption")?;
            ws.add_data_validation(1, col::STATUS as u16, last, col::STATUS as u16, &status)?;
            let names: Vec<&str> = DISTS.iter().map(|d| d.0).collect();
            let dist = DataValidation::new()
                .allow_list_strings(&names)?
                .set_error_title("distribution")?
                .set_error_message(names.join(", "))?;
            ws.add_data_validation(1, col::DIST as u16, last, col::DIST as u16, &dist)?;
        }
        ws.set_freeze_panes(1, 1)?;
        ws.autofilter(0, 0, last, (INPUT_HEADERS.len() - 1) as u16)?;
        let widths = [44, 30, 48, 12, 12, 12, 48, 13, 22, 12, 12, 12, 12, 14, 60];
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_row_height(0, 30)?;
    }

    // 3. How to.
    {
        let ws = book.add_worksheet();
        ws.set_name(SHEET_HOWTO)?;
        let wrap = Format::new().set_text_wrap();
        let lines = how_to(s, spec);
        for (r, l) in lines.iter().enumerate() {
            ws.write_string_with_format(r as u32, 0, l.as_str(), &wrap)?;
        }
        ws.set_column_width(0, 120)?;
    }

    // 4. Hidden: identity and the original rows (what "changed" is measured against).
    {
        let ws = book.add_worksheet();
        ws.set_name(SHEET_META)?;
        ws.write_string(0, 0, MARKER)?;
        ws.write_number(0, 1, LAYOUT_VERSION as f64)?;
        ws.write_string(1, 0, "scenario")?;
        ws.write_string(1, 1, spec)?;
        ws.write_string(2, 0, "inputs_hash")?;
        ws.write_string(2, 1, wb::inputs_hash(s))?;
        let plain = Format::new();
        for (c, h) in INPUT_HEADERS.iter().enumerate() {
            ws.write_string(3, c as u16, *h)?;
        }
        for (i, row) in rows.iter().enumerate() {
            write_row(ws, (i + 4) as u32, row, &plain)?;
        }
        ws.set_hidden(true);
    }
    book.save_to_buffer()
}

fn how_to(s: &Scenario, spec: &str) -> Vec<String> {
    let dists: Vec<String> = DISTS.iter().map(|(d, p)| format!("  {d}: {p}")).collect();
    let mut v = vec![
        format!(
            "tanfeng 输入模板 / input template — scenario '{}' ({} / {}), made from '{spec}'",
            s.meta.id, s.meta.title_zh, s.meta.title_en
        ),
        String::new(),
        "1. 在「基年统计 Yearbook」表中，把统计年鉴或环境统计中的数值填入「年鉴值」列，并在「表/页」列写明出处（如《齐齐哈尔统计年鉴2021》表8-3，第212页）。单位以「单位」列为准。".into(),
        "   On the sheet '基年统计 Yearbook', type the figure from the yearbook or environmental statistics into 'yearbook value' (in the unit shown) and where it is into 'table/page'. It becomes status 'statistic' with the uncertainty DATA.md §7 gives a statistic of its kind: activity data ±5 % (95 %, normal); NOx −13 %/+37 % and VOCs −51 %/+133 % (95 %, lognormal).".into(),
        "2. 其他输入在「Inputs」表中修改：状态、来源、分布及参数1–4、说明。不要删除行、不要改编号、不要增加列、不要合并单元格；单位不可改，中心值由参数计算。".into(),
        "   Other inputs: edit status, source, distribution, its parameters (p1–p4) and note on the sheet 'Inputs'. Do not delete rows, edit ids, add columns or merge cells; units are fixed and the central value is computed from the parameters.".into(),
        "3. 运行 / run:  tanfeng run FILE.xlsx   (or: tanfeng import FILE.xlsx -o my-scenario.toml, then tanfeng run my-scenario.toml)".into(),
        "   The result is a scenario that extends this one and states only the inputs you changed. Errors name the sheet, cell and input, e.g. 'Inputs'!J23.".into(),
        String::new(),
        "状态 status: plan (规划) | statistic (统计) | derived (推算) | assumption (假设)".into(),
        "分布 distribution and its parameters (columns 参数1–参数4 in this order):".into(),
    ];
    v.extend(dists);
    v.push(
        "Non-fossil share of energy is not an input: it follows from wind, solar, hydro and imports; `tanfeng validate` prints it beside the base-year calibration."
            .into(),
    );
    v.push(
        "中文名称: inputs carry no Chinese names yet; yearbook rows have them, other rows show the sector's Chinese name and the rest of the id. English names are the model's one-line descriptions."
            .into(),
    );
    v
}
