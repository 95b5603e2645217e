//! Input workbooks (.xlsx): the layout of the template a climate office fills in, and the reader
//! (calamine) that turns a filled template into a child scenario of the one it was made from.
//!
//! The child `extends` the template's scenario and states only the inputs whose row changed;
//! a yearbook value becomes `status = "statistic"` with the uncertainty DATA.md §7 gives a
//! statistic of its kind ([`StatKind`]). Every error names the sheet, the cell and the key.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use sha2::{Digest, Sha256};

use super::schema::{self, Field};
use super::types::*;
use crate::uncertainty::Distribution;

/// The sheet of base-year statistics (Excel forbids '/' in sheet names).
pub const SHEET_YEARBOOK: &str = "基年统计 Yearbook";
/// The sheet of every resolved input.
pub const SHEET_INPUTS: &str = "Inputs";
/// The instructions sheet.
pub const SHEET_HOWTO: &str = "说明 How to";
/// The hidden sheet with the template's identity and the original rows.
pub const SHEET_META: &str = "_tanfeng";
/// First cell of the hidden sheet: marks a tanfeng template.
pub const MARKER: &str = "tanfeng input template";
/// Layout version written in the hidden sheet.
pub const LAYOUT_VERSION: i64 = 1;

/// Columns of the Inputs sheet (Chinese / English header), in order.
pub const INPUT_HEADERS: [&str; 15] = [
    "编号 id",
    "中文名称",
    "English name",
    "部门 sector",
    "单位 unit",
    "状态 status",
    "来源 source",
    "分布 distribution",
    "参数名 parameters",
    "参数1 p1",
    "参数2 p2",
    "参数3 p3",
    "参数4 p4",
    "中心值 central value",
    "说明 note",
];
/// Column index of each Inputs field.
pub mod col {
    /// id.
    pub const ID: usize = 0;
    /// Chinese name.
    pub const NAME_ZH: usize = 1;
    /// English name.
    pub const NAME_EN: usize = 2;
    /// Sector.
    pub const SECTOR: usize = 3;
    /// Unit.
    pub const UNIT: usize = 4;
    /// Status.
    pub const STATUS: usize = 5;
    /// Source.
    pub const SOURCE: usize = 6;
    /// Distribution.
    pub const DIST: usize = 7;
    /// Parameter names (read-only).
    pub const PARAM_NAMES: usize = 8;
    /// First parameter.
    pub const P1: usize = 9;
    /// Central value (read-only).
    pub const CENTRAL: usize = 13;
    /// Note.
    pub const NOTE: usize = 14;
}

/// Columns of the yearbook sheet.
pub const YEARBOOK_HEADERS: [&str; 9] = [
    "编号 id",
    "中文名称",
    "English name",
    "单位 unit",
    "当前值 current value",
    "年鉴值 yearbook value",
    "表/页 table/page",
    "当前状态 current status",
    "当前来源 current source",
];
/// Yearbook column of the value a user fills in.
pub const YB_VALUE: usize = 5;
/// Yearbook column of the table/page.
pub const YB_SOURCE: usize = 6;

/// Distribution keywords of the workbook, with their parameter names in column order.
pub const DISTS: [(&str, &str); 9] = [
    ("constant", "value"),
    ("normal", "mean, sd"),
    ("lognormal", "median, gsd"),
    ("lognormal95", "low95, high95"),
    ("triangular", "min, mode, max"),
    ("pert", "min, mode, max"),
    ("uniform", "min, max"),
    ("beta", "alpha, beta, min, max"),
    ("discrete", "values; probs (text lists)"),
];

/// What kind of statistic a yearbook row is: decides the uncertainty given to a yearbook value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatKind {
    /// Activity data (energy, shares, electricity, floor area, vehicles, capacity).
    Activity,
    /// A NOx emission total.
    Nox,
    /// A VOCs emission total.
    Vocs,
}

impl StatKind {
    /// The distribution a yearbook value `x` of this kind gets, and the rule with its source.
    ///
    /// - Activity: normal with a 95 % interval of ±5 % (sd = 0.05·x/1.96) — IPCC 2006 Vol. 1
    ///   Ch. 3, "fossil-fuel activity data ±5 % (95 %)" (DATA.md §7). DATA.md gives no other
    ///   figure for statistical activity data, so counts, areas and capacities use it too.
    /// - NOx: lognormal with the 95 % interval −13 %/+37 % of the value — China NOx inventory,
    ///   Zhao et al. 2011, ACP 11:2295 (DATA.md §7).
    /// - VOCs: lognormal with the 95 % interval −51 %/+133 % — China 2005 VOCs inventory
    ///   (DATA.md §7).
    pub fn statistic_spec(self, x: f64) -> (DistSpec, &'static str) {
        match self {
            StatKind::Activity => (
                DistSpec::Normal {
                    mean: x,
                    sd: 0.05 * x.abs() / 1.96,
                },
                "normal, 95 % interval ±5 % (IPCC 2006 Vol. 1 Ch. 3 activity data, DATA.md §7)",
            ),
            StatKind::Nox => (
                DistSpec::LogNormal95 {
                    low: 0.87 * x,
                    high: 1.37 * x,
                },
                "lognormal, 95 % interval −13 %/+37 % (Zhao et al. 2011, ACP 11:2295; DATA.md §7)",
            ),
            StatKind::Vocs => (
                DistSpec::LogNormal95 {
                    low: 0.49 * x,
                    high: 2.33 * x,
                },
                "lognormal, 95 % interval −51 %/+133 % (China 2005 VOCs inventory; DATA.md §7)",
            ),
        }
    }
}

/// One row of the yearbook sheet: a base-year statistic a city office has.
#[derive(Debug, Clone, Copy)]
pub struct YearbookItem {
    /// Input name.
    pub id: &'static str,
    /// Chinese name as a yearbook labels it.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// Kind of statistic.
    pub kind: StatKind,
}

const fn yb(id: &'static str, zh: &'static str, en: &'static str, kind: StatKind) -> YearbookItem {
    YearbookItem { id, zh, en, kind }
}

/// The base-year statistics of the yearbook sheet (those the scenario has are shown). The
/// non-fossil share is not an input (it follows from wind, solar, hydro and imports) and so
/// has no row: `tanfeng validate` prints it beside the calibration.
pub const YEARBOOK: &[YearbookItem] = &[
    yb(
        "calibration.energy_intensity_tce_per_1e4_yuan",
        "万元GDP能耗",
        "Energy use per 10,000 yuan of GDP",
        StatKind::Activity,
    ),
    yb(
        "calibration.coal_share",
        "煤炭占能源消费比重",
        "Coal share of energy consumption",
        StatKind::Activity,
    ),
    yb(
        "calibration.oil_share",
        "石油占能源消费比重",
        "Oil share of energy consumption",
        StatKind::Activity,
    ),
    yb(
        "calibration.gas_share",
        "天然气占能源消费比重",
        "Natural-gas share of energy consumption",
        StatKind::Activity,
    ),
    yb(
        "calibration.nox_base_t",
        "氮氧化物排放量",
        "NOx emissions",
        StatKind::Nox,
    ),
    yb(
        "calibration.vocs_base_t",
        "挥发性有机物排放量",
        "VOCs emissions",
        StatKind::Vocs,
    ),
    yb(
        "heating.area_base_m2",
        "集中供热面积",
        "Heated floor area (district heating)",
        StatKind::Activity,
    ),
    yb(
        "fleet.private_car.stock_2020",
        "私人小型载客汽车保有量",
        "Private cars",
        StatKind::Activity,
    ),
    yb(
        "fleet.taxi.stock_2020",
        "出租汽车",
        "Taxis",
        StatKind::Activity,
    ),
    yb(
        "fleet.bus.stock_2020",
        "公共汽电车",
        "Buses",
        StatKind::Activity,
    ),
    yb(
        "fleet.light_truck.stock_2020",
        "轻型载货汽车",
        "Light trucks",
        StatKind::Activity,
    ),
    yb(
        "fleet.heavy_truck.stock_2020",
        "重型载货汽车",
        "Heavy trucks",
        StatKind::Activity,
    ),
    yb(
        "fleet.motorcycle.stock_2020",
        "摩托车",
        "Motorcycles",
        StatKind::Activity,
    ),
    yb(
        "power.demand_base_kwh",
        "全社会用电量",
        "Electricity consumption",
        StatKind::Activity,
    ),
    yb(
        "power.wind_base_mw",
        "风电装机容量",
        "Wind capacity",
        StatKind::Activity,
    ),
    yb(
        "power.solar_base_mw",
        "光伏装机容量",
        "Solar capacity",
        StatKind::Activity,
    ),
];

/// Chinese name of a sector (the first part of an input name).
pub fn sector_zh(sector: &str) -> &'static str {
    match sector {
        "economy" => "经济",
        "heating" => "供热",
        "biomass_chp" => "生物质热电",
        "power" => "电力",
        "residential" => "居民散煤",
        "accounting" => "核算因子",
        "calibration" => "基年校准",
        "fleet" => "机动车",
        "nonroad" => "非道路机械",
        "industry" => "工业",
        "vocs" => "挥发性有机物",
        _ => "其他",
    }
}

/// One row of the Inputs sheet, as written or as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct InputRow {
    /// Input name.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Sector (first part of the name).
    pub sector: String,
    /// Unit.
    pub unit: String,
    /// Status keyword.
    pub status: String,
    /// Source.
    pub source: String,
    /// Distribution keyword ([`DISTS`]).
    pub dist: String,
    /// Parameters in column order; discrete lists are text.
    pub params: [Cell; 4],
    /// Central value.
    pub central: f64,
    /// Note.
    pub note: String,
}

/// A parameter cell: empty, a number, or text (discrete lists).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Empty.
    Empty,
    /// A number.
    Num(f64),
    /// Text.
    Text(String),
}

/// Human names of an input: (Chinese, English). English is the schema's one-line description
/// (with the item's own part of the name when the pattern covers several); Chinese is the
/// yearbook name where there is one, else the sector's Chinese name and the rest of the id
/// (the inputs carry no Chinese names yet).
pub fn human_names(name: &str, field: Option<&Field>) -> (String, String) {
    let base = name.split('@').next().unwrap_or(name);
    let year = name.split_once('@').map(|(_, y)| y);
    let sector = base.split('.').next().unwrap_or(base);
    let rest = base.split_once('.').map_or("", |(_, r)| r);
    let with_year = |s: String| match year {
        Some(y) => format!("{s} ({y})"),
        None => s,
    };
    if let Some(item) = YEARBOOK.iter().find(|y| y.id == base) {
        return (
            with_year(item.zh.to_string()),
            with_year(item.en.to_string()),
        );
    }
    let doc = field.map_or(String::new(), |f| {
        let d = f.doc.trim_end_matches('.');
        if f.pattern.contains('*') || f.pattern.contains('{') {
            format!("{d} — {rest}")
        } else {
            d.to_string()
        }
    });
    (
        with_year(format!("{}：{rest}", sector_zh(sector))),
        with_year(doc),
    )
}

/// The workbook keyword and parameter cells of a distribution.
pub fn dist_cells(spec: &DistSpec) -> (&'static str, [Cell; 4]) {
    use Cell::{Empty, Num};
    let list = |v: &[f64]| {
        Cell::Text(
            v.iter()
                .map(|x| format!("{x}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    match spec {
        DistSpec::Constant(v) => ("constant", [Num(*v), Empty, Empty, Empty]),
        DistSpec::Normal { mean, sd } => ("normal", [Num(*mean), Num(*sd), Empty, Empty]),
        DistSpec::LogNormal { median, gsd } => {
            ("lognormal", [Num(*median), Num(*gsd), Empty, Empty])
        }
        DistSpec::LogNormal95 { low, high } => {
            ("lognormal95", [Num(*low), Num(*high), Empty, Empty])
        }
        DistSpec::Triangular { min, mode, max } => {
            ("triangular", [Num(*min), Num(*mode), Num(*max), Empty])
        }
        DistSpec::Pert { min, mode, max } => ("pert", [Num(*min), Num(*mode), Num(*max), Empty]),
        DistSpec::Uniform { min, max } => ("uniform", [Num(*min), Num(*max), Empty, Empty]),
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => ("beta", [Num(*alpha), Num(*beta), Num(*min), Num(*max)]),
        DistSpec::Discrete { values, probs } => {
            ("discrete", [list(values), list(probs), Empty, Empty])
        }
    }
}

/// The central value of a distribution as `explain` prints it (NaN if invalid).
pub fn central_of(spec: &DistSpec) -> f64 {
    Distribution::from_spec(spec).map_or(f64::NAN, |d| d.central())
}

/// Every resolved input as a row, grouped by sector (in the order the model's sectors appear
/// in the schema), then by name.
pub fn input_rows(s: &Scenario) -> Vec<InputRow> {
    let mut order: Vec<&str> = Vec::new();
    for f in schema::fields() {
        let sec = f.pattern.split('.').next().unwrap_or("");
        if !order.contains(&sec) {
            order.push(sec);
        }
    }
    let rank = |sec: &str| order.iter().position(|o| *o == sec).unwrap_or(order.len());
    let mut rows: Vec<InputRow> = s
        .params
        .iter()
        .map(|p| {
            let field = schema::field_for(&p.name);
            let (name_zh, name_en) = human_names(&p.name, field);
            let (dist, params) = dist_cells(&p.spec);
            InputRow {
                id: p.name.clone(),
                name_zh,
                name_en,
                sector: p.name.split('.').next().unwrap_or("").to_string(),
                unit: p.unit.clone(),
                status: p.provenance.status.as_str().to_string(),
                source: p.provenance.source.clone(),
                dist: dist.to_string(),
                params,
                central: central_of(&p.spec),
                note: p.provenance.note.clone().unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        rank(&a.sector)
            .cmp(&rank(&b.sector))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// SHA-256 of the resolved inputs, options, correlations and targets — everything a run
/// depends on except ids, titles, description and file positions.
pub fn inputs_hash(s: &Scenario) -> String {
    let mut h = Sha256::new();
    let mut put = |x: &str| {
        h.update(x.as_bytes());
        h.update([0u8]);
    };
    put(&format!("{}..{}", s.meta.base_year, s.meta.horizon));
    put(&format!("{:?}", s.options));
    for p in &s.params {
        put(&p.name);
        put(&format!("{:?}", p.spec));
        put(&p.unit);
        put(p.provenance.status.as_str());
        put(&p.provenance.source);
        put(p.provenance.note.as_deref().unwrap_or(""));
    }
    for c in &s.correlations {
        put(&format!("{} {} {:?}", c.a, c.b, c.rho));
    }
    for t in &s.targets {
        put(&format!("{t:?}"));
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What is wrong with an input workbook.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// A cell holds something not allowed.
    #[error("{file}: '{sheet}'!{cell}: key '{key}': {message}")]
    Cell {
        /// The workbook.
        file: String,
        /// Sheet name.
        sheet: String,
        /// Cell reference (A1 style).
        cell: String,
        /// The input (or column) concerned.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The file is empty, unreadable as .xlsx, or not a tanfeng template.
    #[error("{file}: {message}")]
    NotTemplate {
        /// The workbook.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The child scenario built from the workbook does not load.
    #[error("{file}: the scenario built from the workbook is invalid: {source}")]
    Scenario {
        /// The workbook.
        file: String,
        /// The loader's error.
        source: Box<super::ScenarioError>,
    },
}

/// A1-style reference of a 0-based (row, column).
pub fn cell_ref(row: usize, col: usize) -> String {
    let mut c = col + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// A filled template read back: the child scenario's TOML and what changed.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The scenario the template was made from (a shipped id or a path), for `extends`.
    pub parent: String,
    /// The child scenario as TOML text.
    pub toml: String,
    /// Names of the inputs the child states (changed rows and yearbook values).
    pub changed: Vec<String>,
}

struct Sheet {
    name: String,
    range: calamine::Range<Data>,
}

impl Sheet {
    fn get(&self, row: usize, col: usize) -> &Data {
        self.range
            .get_value((row as u32, col as u32))
            .unwrap_or(&Data::Empty)
    }
    fn text(&self, row: usize, col: usize) -> String {
        match self.get(row, col) {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => format!("{i}"),
            Data::Bool(b) => format!("{b}"),
            other => other.to_string(),
        }
    }
    fn last_row(&self) -> usize {
        self.range.end().map_or(0, |(r, _)| r as usize)
    }
    fn last_col(&self) -> usize {
        self.range.end().map_or(0, |(_, c)| c as usize)
    }
}

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn cell(
        &self,
        sheet: &Sheet,
        row: usize,
        col: usize,
        key: &str,
        message: String,
    ) -> WorkbookError {
        WorkbookError::Cell {
            file: self.file.to_string(),
            sheet: sheet.name.clone(),
            cell: cell_ref(row, col),
            key: key.to_string(),
            message,
        }
    }
    fn not_template(&self, message: impl Into<String>) -> WorkbookError {
        WorkbookError::NotTemplate {
            file: self.file.to_string(),
            message: message.into(),
        }
    }
    /// A number cell: empty → None; text that is not a number → error.
    fn number(
        &self,
        sheet: &Sheet,
        row: usize,
        col: usize,
        key: &str,
    ) -> Result<Option<f64>, WorkbookError> {
        match sheet.get(row, col) {
            Data::Empty => Ok(None),
            Data::Float(f) if f.is_finite() => Ok(Some(*f)),
            Data::Int(i) => Ok(Some(*i as f64)),
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.cell(
                    sheet,
                    row,
                    col,
                    key,
                    format!("'{s}' is text; this cell needs a number"),
                )),
            },
            other => Err(self.cell(
                sheet,
                row,
                col,
                key,
                format!("'{other}' is not a number; this cell needs a number"),
            )),
        }
    }
}

/// Reads a workbook's sheets by name, rejecting merged cells.
fn open(path: &Path, ctx: &Ctx) -> Result<(Vec<Sheet>, Vec<String>), WorkbookError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ctx.not_template(format!("cannot read the workbook: {e}")))?;
    if meta.len() == 0 {
        return Err(ctx.not_template(
            "the file is empty; make a template with `tanfeng template <scenario> --out FILE.xlsx`",
        ));
    }
    let mut wb: Xlsx<_> = calamine::open_workbook(path).map_err(|e| {
        ctx.not_template(format!(
            "not a readable .xlsx workbook ({e}); make a template with `tanfeng template`"
        ))
    })?;
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == SHEET_META) {
        return Err(ctx.not_template(format!(
            "not a tanfeng template (no sheet '{SHEET_META}'; sheets: {}); make one with `tanfeng template <scenario> --out FILE.xlsx`",
            names.join(", ")
        )));
    }
    let mut sheets = Vec::new();
    for name in [SHEET_META, SHEET_INPUTS, SHEET_YEARBOOK] {
        if !names.iter().any(|n| n == name) {
            return Err(ctx.not_template(format!(
                "the sheet '{name}' is missing (renamed or deleted)"
            )));
        }
        let range = wb
            .worksheet_range(name)
            .map_err(|e| ctx.not_template(format!("cannot read sheet '{name}': {e}")))?;
        let merged = wb
            .merge_cells_by_sheet_name(name)
            .map_err(|e| ctx.not_template(format!("cannot read sheet '{name}': {e}")))?;
        let sheet = Sheet {
            name: name.to_string(),
            range,
        };
        if let Some(m) = merged.first() {
            let (r, c) = (m.start.0 as usize, m.start.1 as usize);
            let key = header_key(&sheet, c);
            return Err(ctx.cell(
                &sheet,
                r,
                c,
                &key,
                format!(
                    "merged cells {}:{} are not allowed; unmerge them (each cell holds one value)",
                    cell_ref(r, c),
                    cell_ref(m.end.0 as usize, m.end.1 as usize)
                ),
            ));
        }
        sheets.push(sheet);
    }
    Ok((sheets, names))
}

fn header_key(sheet: &Sheet, col: usize) -> String {
    let h = sheet.text(0, col);
    if h.is_empty() {
        format!("column {}", cell_ref(0, col).trim_end_matches('1'))
    } else {
        h
    }
}

/// Checks the header row of a sheet against the template's headers.
fn check_headers(ctx: &Ctx, sheet: &Sheet, headers: &[&str]) -> Result<(), WorkbookError> {
    for (c, h) in headers.iter().enumerate() {
        let got = sheet.text(0, c);
        if got != *h {
            return Err(ctx.cell(
                sheet,
                0,
                c,
                h,
                format!("header '{got}' was changed or a column was inserted or deleted; expected '{h}' (columns must stay as the template has them)"),
            ));
        }
    }
    for r in 0..=sheet.last_row() {
        for c in headers.len()..=sheet.last_col().max(headers.len() - 1) {
            if !matches!(sheet.get(r, c), Data::Empty) {
                return Err(ctx.cell(
                    sheet,
                    r,
                    c,
                    &header_key(sheet, c),
                    format!(
                        "an extra column; the template has {} columns ({}); delete it",
                        headers.len(),
                        headers.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The key of parameter `i` of a row: `id.mean`, `id.max`… (`id.p3` for an unknown family).
fn param_key(id: &str, dist: &str, i: usize) -> String {
    let name = DISTS
        .iter()
        .find(|d| d.0 == dist)
        .and_then(|d| d.1.split([',', ';']).nth(i))
        .and_then(|s| s.split_whitespace().next())
        .map_or_else(|| format!("p{}", i + 1), str::to_string);
    format!("{id}.{name}")
}

/// Reads one Inputs-layout row (the Inputs sheet or the hidden originals).
fn read_row(ctx: &Ctx, sheet: &Sheet, r: usize) -> Result<InputRow, WorkbookError> {
    let id = sheet.text(r, col::ID);
    let mut params = [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty];
    let dist = sheet.text(r, col::DIST);
    for (i, p) in params.iter_mut().enumerate() {
        let c = col::P1 + i;
        *p = if dist == "discrete" {
            match sheet.get(r, c) {
                Data::Empty => Cell::Empty,
                Data::Float(f) => Cell::Text(format!("{f}")),
                Data::Int(n) => Cell::Text(format!("{n}")),
                _ => Cell::Text(sheet.text(r, c)),
            }
        } else {
            match ctx.number(sheet, r, c, &param_key(&id, &dist, i))? {
                Some(x) => Cell::Num(x),
                None => Cell::Empty,
            }
        };
    }
    let central = ctx
        .number(
            sheet,
            r,
            col::CENTRAL,
            &format!("{id} ({})", INPUT_HEADERS[col::CENTRAL]),
        )?
        .unwrap_or(f64::NAN);
    Ok(InputRow {
        id,
        name_zh: sheet.text(r, col::NAME_ZH),
        name_en: sheet.text(r, col::NAME_EN),
        sector: sheet.text(r, col::SECTOR),
        unit: sheet.text(r, col::UNIT),
        status: sheet.text(r, col::STATUS),
        source: sheet.text(r, col::SOURCE),
        dist,
        params,
        central,
        note: sheet.text(r, col::NOTE),
    })
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) || (a.is_nan() && b.is_nan())
}

fn cells_equal(a: &Cell, b: &Cell) -> bool {
    match (a, b) {
        (Cell::Num(x), Cell::Num(y)) => close(*x, *y),
        _ => a == b,
    }
}

/// Whether the editable part of a row differs from the original.
fn row_changed(now: &InputRow, orig: &InputRow) -> bool {
    now.status != orig.status
        || now.source != orig.source
        || now.dist != orig.dist
        || now.note != orig.note
        || !now
            .params
            .iter()
            .zip(&orig.params)
            .all(|(a, b)| cells_equal(a, b))
}

/// Parses a row's status; errors name the status cell.
fn row_status(ctx: &Ctx, sheet: &Sheet, r: usize, row: &InputRow) -> Result<Status, WorkbookError> {
    match row.status.as_str() {
        "plan" => Ok(Status::Plan),
        "statistic" => Ok(Status::Statistic),
        "derived" => Ok(Status::Derived),
        "assumption" => Ok(Status::Assumption),
        s => Err(ctx.cell(
            sheet,
            r,
            col::STATUS,
            &format!("{}.status", row.id),
            format!(
                "'{s}' is not a status; use one of: {}{}",
                Status::ALL.join(", "),
                super::suggest(s, Status::ALL.iter().copied())
                    .map(|x| format!(" (did you mean '{x}'?)"))
                    .unwrap_or_default()
            ),
        )),
    }
}

/// Parses a row's distribution and parameters, checking order, range and validity; errors
/// name the cell.
fn row_spec(
    ctx: &Ctx,
    sheet: &Sheet,
    r: usize,
    row: &InputRow,
    field: &Field,
) -> Result<DistSpec, WorkbookError> {
    let id = &row.id;
    let names: Vec<&str> = DISTS.iter().map(|d| d.0).collect();
    let Some((_, pnames)) = DISTS.iter().find(|d| d.0 == row.dist) else {
        return Err(ctx.cell(
            sheet,
            r,
            col::DIST,
            &format!("{id}.dist"),
            format!(
                "'{}' is not a distribution; use one of: {}{}",
                row.dist,
                names.join(", "),
                super::suggest(&row.dist, names.iter().copied())
                    .map(|x| format!(" (did you mean '{x}'?)"))
                    .unwrap_or_default()
            ),
        ));
    };
    let pn: Vec<&str> = pnames
        .split([',', ';'])
        .map(|s| s.split_whitespace().next().unwrap_or(""))
        .collect();
    let key = |i: usize| param_key(id, &row.dist, i);
    let num = |i: usize| -> Result<f64, WorkbookError> {
        match &row.params[i] {
            Cell::Num(x) => Ok(*x),
            _ => Err(ctx.cell(
                sheet,
                r,
                col::P1 + i,
                &key(i),
                format!("missing; '{}' needs {pnames}", row.dist),
            )),
        }
    };
    // Values that are the input itself (not a spread) must lie in the input's range.
    let in_range = |i: usize| -> Result<f64, WorkbookError> {
        let x = num(i)?;
        if x < field.min || x > field.max {
            return Err(ctx.cell(
                sheet,
                r,
                col::P1 + i,
                &key(i),
                format!(
                    "{x} is outside the allowed range [{}, {}] {}",
                    field.min, field.max, field.unit
                ),
            ));
        }
        Ok(x)
    };
    let ordered = |lo: usize, hi: usize| -> Result<(), WorkbookError> {
        let (a, b) = (num(lo)?, num(hi)?);
        if a > b {
            return Err(ctx.cell(
                sheet,
                r,
                col::P1 + hi,
                &key(hi),
                format!(
                    "{} ({a}) is greater than {} ({b}); low must be ≤ high",
                    pn[lo], pn[hi]
                ),
            ));
        }
        Ok(())
    };
    let spec = match row.dist.as_str() {
        "constant" => DistSpec::Constant(in_range(0)?),
        "normal" => DistSpec::Normal {
            mean: in_range(0)?,
            sd: num(1)?,
        },
        "lognormal" => DistSpec::LogNormal {
            median: in_range(0)?,
            gsd: num(1)?,
        },
        "lognormal95" => {
            ordered(0, 1)?;
            DistSpec::LogNormal95 {
                low: in_range(0)?,
                high: in_range(1)?,
            }
        }
        "triangular" | "pert" => {
            ordered(0, 2)?;
            ordered(0, 1)?;
            ordered(1, 2)?;
            let (min, mode, max) = (in_range(0)?, in_range(1)?, in_range(2)?);
            if row.dist == "pert" {
                DistSpec::Pert { min, mode, max }
            } else {
                DistSpec::Triangular { min, mode, max }
            }
        }
        "uniform" => {
            ordered(0, 1)?;
            DistSpec::Uniform {
                min: in_range(0)?,
                max: in_range(1)?,
            }
        }
        "beta" => {
            let (min, max) = match (&row.params[2], &row.params[3]) {
                (Cell::Empty, Cell::Empty) => (0.0, 1.0),
                _ => {
                    ordered(2, 3)?;
                    (in_range(2)?, in_range(3)?)
                }
            };
            DistSpec::Beta {
                alpha: num(0)?,
                beta: num(1)?,
                min,
                max,
            }
        }
        _ => {
            let list = |i: usize| -> Result<Vec<f64>, WorkbookError> {
                let text = match &row.params[i] {
                    Cell::Text(t) => t.clone(),
                    Cell::Num(x) => format!("{x}"),
                    Cell::Empty => String::new(),
                };
                text.split(';')
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse::<f64>()
                            .ok()
                            .filter(|x| x.is_finite())
                            .ok_or_else(|| {
                                ctx.cell(
                                    sheet,
                                    r,
                                    col::P1 + i,
                                    &key(i),
                                    format!("'{s}' is not a number; give numbers separated by ';'"),
                                )
                            })
                    })
                    .collect()
            };
            let values = list(0)?;
            for v in &values {
                if *v < field.min || *v > field.max {
                    return Err(ctx.cell(
                        sheet,
                        r,
                        col::P1,
                        &key(0),
                        format!(
                            "{v} is outside the allowed range [{}, {}] {}",
                            field.min, field.max, field.unit
                        ),
                    ));
                }
            }
            DistSpec::Discrete {
                values,
                probs: list(1)?,
            }
        }
    };
    Distribution::from_spec(&spec)
        .map_err(|e| ctx.cell(sheet, r, col::DIST, &format!("{id}.dist"), e.to_string()))?;
    Ok(spec)
}

/// The identity of a template: (scenario spec, inputs hash at template time).
fn meta_of(ctx: &Ctx, meta: &Sheet) -> Result<(String, usize), WorkbookError> {
    if meta.text(0, 0) != MARKER {
        return Err(ctx.not_template(format!(
            "not a tanfeng template ('{SHEET_META}'!A1 is not '{MARKER}')"
        )));
    }
    if meta.text(0, 1) != LAYOUT_VERSION.to_string() {
        return Err(ctx.not_template(format!(
            "template layout version '{}' is not {LAYOUT_VERSION}; make a new template",
            meta.text(0, 1)
        )));
    }
    let parent = meta.text(1, 1);
    if parent.is_empty() {
        return Err(ctx.not_template(format!("'{SHEET_META}'!B2 (the scenario) is empty")));
    }
    // Row 4 (index 3) is the header of the original rows; they start at index 4.
    Ok((parent, 4))
}

/// Reads a filled template and builds the child scenario's TOML. Nothing is written.
pub fn import(path: &Path) -> Result<Imported, WorkbookError> {
    let file = path.display().to_string();
    let ctx = Ctx { file: &file };
    let (sheets, _) = open(path, &ctx)?;
    let (meta, inputs, yearbook) = (&sheets[0], &sheets[1], &sheets[2]);
    let (parent, first) = meta_of(&ctx, meta)?;
    check_headers(&ctx, inputs, &INPUT_HEADERS)?;
    check_headers(&ctx, yearbook, &YEARBOOK_HEADERS)?;

    // Original rows by id, with their row number in the Inputs sheet.
    let mut originals: Vec<(InputRow, usize)> = Vec::new();
    for r in first..=meta.last_row() {
        if meta.text(r, col::ID).is_empty() {
            continue;
        }
        originals.push((read_row(&ctx, meta, r)?, r - first + 1));
    }
    if originals.is_empty() {
        return Err(ctx.not_template(format!("'{SHEET_META}' lists no inputs")));
    }
    let orig_index: HashMap<&str, usize> = originals
        .iter()
        .enumerate()
        .map(|(i, (row, _))| (row.id.as_str(), i))
        .collect();

    // Inputs rows: ids must be the template's, none deleted.
    let mut seen = vec![false; originals.len()];
    let mut changed: BTreeMap<String, Vec<Param>> = BTreeMap::new();
    let mut changed_names: Vec<String> = Vec::new();
    let mut now_rows: Vec<Option<(InputRow, usize)>> = vec![None; originals.len()];
    for r in 1..=inputs.last_row() {
        let id = inputs.text(r, col::ID);
        let blank = (0..INPUT_HEADERS.len()).all(|c| matches!(inputs.get(r, c), Data::Empty));
        if blank {
            continue;
        }
        let Some(&i) = orig_index.get(id.as_str()) else {
            return Err(ctx.cell(
                inputs,
                r,
                col::ID,
                &id,
                format!(
                    "'{id}' is not an input of this template's scenario ({parent}); ids must stay as the template has them{}",
                    super::suggest(&id, originals.iter().map(|o| o.0.id.as_str()))
                        .map(|x| format!(" (was it '{x}'?)"))
                        .unwrap_or_default()
                ),
            ));
        };
        if seen[i] {
            return Err(ctx.cell(inputs, r, col::ID, &id, "this id appears twice".into()));
        }
        seen[i] = true;
        now_rows[i] = Some((read_row(&ctx, inputs, r)?, r));
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        let (orig, row_no) = &originals[i];
        return Err(ctx.cell(
            inputs,
            *row_no,
            col::ID,
            &orig.id,
            format!(
                "the row of input '{}' (row {} of the template) was deleted or its id edited; every input row must stay (edit the values instead)",
                orig.id,
                row_no + 1
            ),
        ));
    }

    // Yearbook values.
    let mut yearbook_values: HashMap<String, (Param, usize)> = HashMap::new();
    for r in 1..=yearbook.last_row() {
        let id = yearbook.text(r, 0);
        if id.is_empty() {
            continue;
        }
        let Some(value) = ctx.number(yearbook, r, YB_VALUE, &id)? else {
            continue;
        };
        let Some(&i) = orig_index.get(id.as_str()) else {
            return Err(ctx.cell(
                yearbook,
                r,
                0,
                &id,
                format!("'{id}' is not an input of this template's scenario ({parent})"),
            ));
        };
        let item = YEARBOOK.iter().find(|y| y.id == id).ok_or_else(|| {
            ctx.cell(
                yearbook,
                r,
                0,
                &id,
                "not a yearbook statistic tanfeng knows; ids must stay as the template has them"
                    .into(),
            )
        })?;
        let field = schema::field_for(&id)
            .ok_or_else(|| ctx.cell(yearbook, r, 0, &id, "unknown input".into()))?;
        if value < field.min || value > field.max || value <= 0.0 {
            return Err(ctx.cell(
                yearbook,
                r,
                YB_VALUE,
                &id,
                format!(
                    "{value} is outside the allowed range (0, {}] {}",
                    field.max, field.unit
                ),
            ));
        }
        let source = yearbook.text(r, YB_SOURCE);
        if source.is_empty() {
            return Err(ctx.cell(
                yearbook,
                r,
                YB_SOURCE,
                &format!("{id}.source"),
                "a yearbook value needs its table/page (e.g. 《齐齐哈尔统计年鉴2021》表8-3, p. 212)".into(),
            ));
        }
        let (spec, rule) = item.kind.statistic_spec(value);
        let orig = &originals[i].0;
        yearbook_values.insert(
            id.clone(),
            (
                Param {
                    name: id.clone(),
                    spec,
                    unit: orig.unit.clone(),
                    provenance: Provenance {
                        source,
                        status: Status::Statistic,
                        note: Some(format!(
                            "yearbook value {value} {}; uncertainty: {rule}",
                            orig.unit
                        )),
                    },
                    pos: None,
                },
                r,
            ),
        );
    }

    for (i, (orig, _)) in originals.iter().enumerate() {
        let Some((now, r)) = &now_rows[i] else {
            continue;
        };
        if now.unit != orig.unit {
            return Err(ctx.cell(
                inputs,
                *r,
                col::UNIT,
                &format!("{}.unit", orig.id),
                format!(
                    "the unit is fixed: '{}' (convert the value instead)",
                    orig.unit
                ),
            ));
        }
        let edited = row_changed(now, orig);
        if !close(now.central, orig.central) && !edited {
            return Err(ctx.cell(
                inputs,
                *r,
                col::CENTRAL,
                &orig.id,
                "the central value is computed from the distribution; edit the parameter columns (参数1–4) instead".into(),
            ));
        }
        if let Some((p, yr)) = yearbook_values.remove(&orig.id) {
            if edited {
                return Err(ctx.cell(
                    yearbook,
                    yr,
                    YB_VALUE,
                    &orig.id,
                    format!(
                        "also edited on sheet '{SHEET_INPUTS}' row {}; give it in one place only",
                        r + 1
                    ),
                ));
            }
            changed_names.push(p.name.clone());
            continue_with(&mut changed, p);
            continue;
        }
        if !edited {
            continue;
        }
        let field = schema::field_for(&orig.id)
            .ok_or_else(|| ctx.cell(inputs, *r, col::ID, &orig.id, "unknown input".into()))?;
        let status = row_status(&ctx, inputs, *r, now)?;
        let spec = row_spec(&ctx, inputs, *r, now, field)?;
        if now.source.is_empty() {
            return Err(ctx.cell(
                inputs,
                *r,
                col::SOURCE,
                &format!("{}.source", orig.id),
                "every value needs a source".into(),
            ));
        }
        changed_names.push(orig.id.clone());
        continue_with(
            &mut changed,
            Param {
                name: orig.id.clone(),
                spec,
                unit: orig.unit.clone(),
                provenance: Provenance {
                    source: now.source.clone(),
                    status,
                    note: (!now.note.is_empty()).then(|| now.note.clone()),
                },
                pos: None,
            },
        );
    }

    // A per-year input is replaced as a whole: restate its unchanged anchors from the sheet.
    for (base, params) in changed.iter_mut() {
        if !params.iter().any(|p| p.name.contains('@')) {
            continue;
        }
        for (i, (orig, _)) in originals.iter().enumerate() {
            if base_name(&orig.id) != base || params.iter().any(|p| p.name == orig.id) {
                continue;
            }
            let (now, r) = now_rows[i].as_ref().map_or((orig, 0), |(n, r)| (n, *r));
            let field = schema::field_for(&orig.id)
                .ok_or_else(|| ctx.cell(inputs, r, col::ID, &orig.id, "unknown input".into()))?;
            params.push(Param {
                name: orig.id.clone(),
                spec: row_spec(&ctx, inputs, r, now, field)?,
                unit: orig.unit.clone(),
                provenance: Provenance {
                    source: now.source.clone(),
                    status: row_status(&ctx, inputs, r, now)?,
                    note: (!now.note.is_empty()).then(|| now.note.clone()),
                },
                pos: None,
            });
        }
        params.sort_by(|a, b| a.name.cmp(&b.name));
    }

    let toml = child_toml(&parent, path, &changed);
    Ok(Imported {
        parent,
        toml,
        changed: changed_names,
    })
}

fn continue_with(changed: &mut BTreeMap<String, Vec<Param>>, p: Param) {
    changed
        .entry(base_name(&p.name).to_string())
        .or_default()
        .push(p);
}

fn base_name(name: &str) -> &str {
    name.split('@').next().unwrap_or(name)
}

/// A scenario id from the workbook's file name (lowercase letters, digits, '-', '_').
fn child_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "workbook".into() } else { id }
}

fn spec_table(spec: &DistSpec) -> toml::Table {
    let mut t = toml::Table::new();
    let mut put = |k: &str, v: f64| {
        t.insert(k.into(), toml::Value::Float(v));
    };
    let dist = match spec {
        DistSpec::Constant(v) => {
            put("value", *v);
            None
        }
        DistSpec::Normal { mean, sd } => {
            put("mean", *mean);
            put("sd", *sd);
            Some("normal")
        }
        DistSpec::LogNormal { median, gsd } => {
            put("median", *median);
            put("gsd", *gsd);
            Some("lognormal")
        }
        DistSpec::LogNormal95 { low, high } => {
            put("low95", *low);
            put("high95", *high);
            Some("lognormal")
        }
        DistSpec::Triangular { min, mode, max } => {
            put("min", *min);
            put("mode", *mode);
            put("max", *max);
            Some("triangular")
        }
        DistSpec::Pert { min, mode, max } => {
            put("min", *min);
            put("mode", *mode);
            put("max", *max);
            Some("pert")
        }
        DistSpec::Uniform { min, max } => {
            put("min", *min);
            put("max", *max);
            Some("uniform")
        }
        DistSpec::Beta {
            alpha,
            beta,
            min,
            max,
        } => {
            put("alpha", *alpha);
            put("beta", *beta);
            put("min", *min);
            put("max", *max);
            Some("beta")
        }
        DistSpec::Discrete { values, probs } => {
            let arr =
                |v: &[f64]| toml::Value::Array(v.iter().map(|x| toml::Value::Float(*x)).collect());
            t.insert("values".into(), arr(values));
            t.insert("probs".into(), arr(probs));
            Some("discrete")
        }
    };
    if let Some(d) = dist {
        t.insert("dist".into(), toml::Value::String(d.into()));
    }
    t
}

fn prov_into(t: &mut toml::Table, p: &Provenance) {
    t.insert(
        "status".into(),
        toml::Value::String(p.status.as_str().into()),
    );
    t.insert("source".into(), toml::Value::String(p.source.clone()));
    if let Some(n) = &p.note {
        t.insert("note".into(), toml::Value::String(n.clone()));
    }
}

/// Inserts `t` at the dotted path `parts` of `root`, creating tables on the way.
fn insert_nested(root: &mut toml::Table, parts: &[&str], t: toml::Table) {
    match parts {
        [] => {}
        [last] => {
            root.insert((*last).to_string(), toml::Value::Table(t));
        }
        [first, rest @ ..] => {
            let entry = root
                .entry((*first).to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(next) = entry {
                insert_nested(next, rest, t);
            }
        }
    }
}

/// The child scenario's TOML: `extends` the template's scenario, states only `changed`.
fn child_toml(parent: &str, path: &Path, changed: &BTreeMap<String, Vec<Param>>) -> String {
    let id = child_id(path);
    let mut root = toml::Table::new();
    let mut meta = toml::Table::new();
    meta.insert("id".into(), id.clone().into());
    meta.insert(
        "title_zh".into(),
        format!("{id}（由输入工作簿导入）").into(),
    );
    meta.insert(
        "title_en".into(),
        format!("{id} (imported from an input workbook)").into(),
    );
    meta.insert(
        "description".into(),
        format!("Imported from {} by `tanfeng import`: the template's scenario with the inputs edited in the workbook.", path.display()).into(),
    );
    meta.insert("extends".into(), parent.to_string().into());
    root.insert("scenario".into(), toml::Value::Table(meta));
    for (base, params) in changed {
        if params.is_empty() {
            continue;
        }
        let mut t = toml::Table::new();
        t.insert("unit".into(), params[0].unit.clone().into());
        if params.iter().any(|p| p.name.contains('@')) {
            prov_into(&mut t, &params[0].provenance);
            t.remove("note");
            let mut by_year = toml::Table::new();
            for p in params {
                let year = p.name.split_once('@').map_or("", |(_, y)| y);
                let mut a = spec_table(&p.spec);
                prov_into(&mut a, &p.provenance);
                by_year.insert(year.to_string(), toml::Value::Table(a));
            }
            t.insert("by_year".into(), toml::Value::Table(by_year));
        } else {
            t.extend(spec_table(&params[0].spec));
            prov_into(&mut t, &params[0].provenance);
        }
        let parts: Vec<&str> = base.split('.').collect();
        insert_nested(&mut root, &parts, t);
    }
    let body = toml::to_string(&root).unwrap_or_default();
    format!(
        "# Child scenario imported from the input workbook {} by `tanfeng import`.\n# It extends '{parent}' and states only the inputs changed in the workbook.\n\n{body}",
        path.display()
    )
}

/// Reads a filled template as a scenario (what `run`, `compare` and `validate` do with .xlsx).
pub fn load_workbook(path: &Path) -> Result<Scenario, WorkbookError> {
    let imported = import(path)?;
    super::load_str(&path.display().to_string(), &imported.toml).map_err(|e| {
        WorkbookError::Scenario {
            file: path.display().to_string(),
            source: Box::new(e),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_are_a1_style() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(22, 5), "F23");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 27), "AB10");
    }

    #[test]
    fn yearbook_ids_are_inputs_of_the_model() {
        for y in YEARBOOK {
            assert!(schema::field_for(y.id).is_some(), "{}", y.id);
        }
    }

    #[test]
    fn statistic_uncertainty_is_never_zero_and_centred_by_kind() {
        let (s, _) = StatKind::Activity.statistic_spec(100.0);
        let d = Distribution::from_spec(&s).unwrap();
        assert_eq!(d.central(), 100.0);
        // 95 % interval ±5 %: sd = 5 / 1.96.
        assert!((d.sd() - 5.0 / 1.96).abs() < 1e-12);
        let (s, _) = StatKind::Nox.statistic_spec(1000.0);
        assert_eq!(
            s,
            DistSpec::LogNormal95 {
                low: 870.0,
                high: 1370.0
            }
        );
        let (s, _) = StatKind::Vocs.statistic_spec(1000.0);
        assert_eq!(
            s,
            DistSpec::LogNormal95 {
                low: 490.0,
                high: 2330.0
            }
        );
    }
}
