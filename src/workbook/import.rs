//! `tanfeng import`: a filled-in template → a child scenario that `extends` the template's
//! scenario and states only the inputs that changed. Cells are read as raw records, checked
//! against the template's scenario and the input schema (every error names the sheet, the
//! cell, the key and the rule or allowed range), then turned into scenario inputs; the child's
//! text is loaded by the scenario loader like any file.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use super::template::{Cell, spec_cells};
use super::{
    DISTRIBUTIONS, INPUT_COLUMNS, INPUTS_SHEET, META_MARK, META_SHEET, StatKind, YEARBOOK,
    YEARBOOK_COLUMNS, YEARBOOK_SHEET, cell_ref, col, col_letters, parse_status, statistic_basis,
    statistic_spec, ycol,
};
use crate::scenario::schema::field_of;
use crate::scenario::toml_out::{spec_keys, tstr};
use crate::scenario::{DistSpec, Param, Provenance, Scenario, ScenarioError, Status};
use crate::uncertainty::Distribution;

/// What is wrong with a workbook given to `import` (or to `run`, `compare`, `validate`).
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("cannot read workbook {file}: {source}")]
    Io {
        /// The path.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file of 0 bytes.
    #[error(
        "{file} is empty (0 bytes); give the workbook written by `tanfeng template <scenario> --out FILE.xlsx`"
    )]
    Empty {
        /// The path.
        file: String,
    },
    /// Not an .xlsx workbook.
    #[error("{file} is not an Excel workbook (.xlsx) tanfeng can read: {message}")]
    NotXlsx {
        /// The path.
        file: String,
        /// The reader's message.
        message: String,
    },
    /// A workbook without the template's marker sheet.
    #[error(
        "{file} is not a tanfeng template (it lacks the hidden sheet '{META_SHEET}' marked '{META_MARK}'); make one with `tanfeng template <scenario> --out FILE.xlsx` and fill that in"
    )]
    NotTemplate {
        /// The path.
        file: String,
    },
    /// A sheet of the template is missing or renamed.
    #[error(
        "{file}: sheet '{sheet}' is missing (renamed or deleted?); a template has the sheets {expected}"
    )]
    MissingSheet {
        /// The path.
        file: String,
        /// The missing sheet.
        sheet: String,
        /// The sheets a template has.
        expected: String,
    },
    /// A cell that breaks a rule.
    #[error("{file}: {cell}: key '{key}': {message}")]
    Cell {
        /// The path.
        file: String,
        /// `'Inputs'!F23`.
        cell: String,
        /// The input key (`calibration.coal_share.mode`) or column.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// Merged cells.
    #[error(
        "{file}: {cell}: cells are merged ({range}); unmerge them: every cell of a template holds one value"
    )]
    Merged {
        /// The path.
        file: String,
        /// The first cell of the merged range.
        cell: String,
        /// The range, `'Inputs'!B3:C3`.
        range: String,
    },
    /// The scenario the template was made from does not load.
    #[error("{file}: the template's scenario '{extends}' does not load: {source}")]
    Parent {
        /// The path.
        file: String,
        /// The scenario.
        extends: String,
        /// The loader's error.
        source: Box<ScenarioError>,
    },
}

/// A workbook read and checked.
#[derive(Debug)]
pub struct Imported {
    /// The template's scenario.
    pub parent: Scenario,
    /// What the child extends (shipped id or path).
    pub extends: String,
    /// Inputs that differ from the parent (all anchors of a changed per-year input).
    pub changed: Vec<Param>,
    /// Check values entered on the Yearbook sheet (not inputs), as text.
    pub checks: Vec<String>,
}

/// Reads and checks a workbook file.
pub fn import_path(path: &Path) -> Result<Imported, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        file: file.clone(),
        source,
    })?;
    import_bytes(&file, &bytes)
}

/// The cells of one sheet, by absolute 0-based position.
struct Sheet {
    name: &'static str,
    range: Range<Data>,
}

impl Sheet {
    fn get(&self, r: u32, c: u16) -> &Data {
        self.range
            .get_value((r, u32::from(c)))
            .unwrap_or(&Data::Empty)
    }
    fn end(&self) -> (u32, u32) {
        self.range.end().unwrap_or((0, 0))
    }
    fn text(&self, r: u32, c: u16) -> String {
        match self.get(r, c) {
            Data::String(s) => s.trim().to_string(),
            Data::Empty => String::new(),
            Data::Float(x) => format!("{x}"),
            Data::Int(i) => i.to_string(),
            other => other.to_string(),
        }
    }
}

/// Reads and checks workbook bytes; `file` names it in messages.
pub fn import_bytes(file: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty { file: file.into() });
    }
    let mut xl: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| ImportError::NotXlsx {
        file: file.into(),
        message: e.to_string(),
    })?;
    let names = xl.sheet_names();
    if !names.iter().any(|n| n == META_SHEET) {
        return Err(ImportError::NotTemplate { file: file.into() });
    }
    let mut sheet = |name: &'static str| -> Result<Sheet, ImportError> {
        if !names.iter().any(|n| n == name) {
            return Err(ImportError::MissingSheet {
                file: file.into(),
                sheet: name.into(),
                expected: format!(
                    "'{YEARBOOK_SHEET}', '{INPUTS_SHEET}', '{}'",
                    super::HOWTO_SHEET
                ),
            });
        }
        let merged = xl.merge_cells_by_sheet_name(name).unwrap_or_default();
        if let Some(m) = merged.first() {
            let a = cell_ref(name, m.start.0, m.start.1 as u16);
            return Err(ImportError::Merged {
                file: file.into(),
                range: format!("{a}:{}{}", col_letters(m.end.1 as u16), m.end.0 + 1),
                cell: a,
            });
        }
        let range = xl.worksheet_range(name).map_err(|e| ImportError::NotXlsx {
            file: file.into(),
            message: e.to_string(),
        })?;
        Ok(Sheet { name, range })
    };
    let meta = sheet(META_SHEET)?;
    if meta.text(0, 0) != META_MARK {
        return Err(ImportError::NotTemplate { file: file.into() });
    }
    let meta_value = |key: &str| -> String {
        (0..=meta.end().0)
            .find(|r| meta.text(*r, 0) == key)
            .map(|r| meta.text(r, 1))
            .unwrap_or_default()
    };
    let extends = meta_value("extends");
    let parent = if crate::scenario::embedded::find(&extends).is_some() {
        crate::scenario::load_embedded(&extends)
    } else {
        crate::scenario::load_path(Path::new(&extends))
    }
    .map_err(|source| ImportError::Parent {
        file: file.into(),
        extends: extends.clone(),
        source: Box::new(source),
    })?;
    let inputs = sheet(INPUTS_SHEET)?;
    let yearbook = sheet(YEARBOOK_SHEET)?;
    let err = |sheet: &str, r: u32, c: u16, key: &str, message: String| ImportError::Cell {
        file: file.into(),
        cell: cell_ref(sheet, r, c),
        key: key.into(),
        message,
    };
    let read = read_inputs(&inputs, &parent, &err)?;
    let mut params = read.clone();
    let checks = read_yearbook(&yearbook, &parent, &mut params, &read, &err)?;
    // Whole per-year paths: a path is replaced as a whole by a child file.
    let base = |n: &str| n.split('@').next().unwrap_or(n).to_string();
    let mut changed_bases: Vec<String> = Vec::new();
    for (p, old) in params.iter().zip(&parent.params) {
        if !same_input(p, old) && !changed_bases.contains(&base(&p.name)) {
            changed_bases.push(base(&p.name));
        }
    }
    let changed = params
        .into_iter()
        .filter(|p| changed_bases.contains(&base(&p.name)))
        .collect();
    Ok(Imported {
        parent,
        extends,
        changed,
        checks,
    })
}

/// Same family and parameters within the 15 significant digits a spreadsheet keeps.
fn same_to_15_digits(a: &DistSpec, b: &DistSpec) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-13 * x.abs().max(y.abs());
    let numbers = |cells: Vec<(&'static str, Cell)>| -> Vec<(&'static str, Vec<f64>)> {
        cells
            .into_iter()
            .map(|(k, c)| match c {
                Cell::Number(x) => (k, vec![x]),
                Cell::Text(t) => (
                    k,
                    t.split(';')
                        .map(|x| x.trim().parse::<f64>().unwrap_or(f64::NAN))
                        .collect(),
                ),
            })
            .collect()
    };
    let (na, nb) = (numbers(spec_cells(a)), numbers(spec_cells(b)));
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && na.len() == nb.len()
        && na.iter().zip(&nb).all(|((ka, xa), (kb, xb))| {
            ka == kb && xa.len() == xb.len() && xa.iter().zip(xb).all(|(x, y)| close(*x, *y))
        })
}

/// Same distribution, unit and provenance (where it was written does not count).
fn same_input(a: &Param, b: &Param) -> bool {
    a.spec == b.spec && a.unit == b.unit && a.provenance == b.provenance
}

type ErrFn<'a> = dyn Fn(&str, u32, u16, &str, String) -> ImportError + 'a;

/// A number in a cell: a number, or text that is one; `None` for an empty cell.
fn number(sh: &Sheet, r: u32, c: u16, key: &str, err: &ErrFn) -> Result<Option<f64>, ImportError> {
    let bad = |what: String| {
        err(
            sh.name,
            r,
            c,
            key,
            format!("{what} in a number cell; give a number (no units or words)"),
        )
    };
    let x = match sh.get(r, c) {
        Data::Empty => return Ok(None),
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        Data::String(s) if s.trim().is_empty() => return Ok(None),
        Data::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| bad(format!("text '{}'", s.trim())))?,
        Data::Bool(b) => return Err(bad(format!("the truth value {b}"))),
        Data::DateTime(_) | Data::DateTimeIso(_) => {
            return Err(bad("a date (give a decimal year such as 2023.5)".into()));
        }
        other => return Err(bad(format!("'{other}'"))),
    };
    if x.is_finite() {
        Ok(Some(x))
    } else {
        Err(bad("a number that is not finite".into()))
    }
}

fn check_header(sh: &Sheet, columns: &[(&str, &str)], err: &ErrFn) -> Result<(), ImportError> {
    for (c, (_, h)) in columns.iter().enumerate() {
        let found = sh.text(0, c as u16);
        if found != *h {
            return Err(err(
                sh.name,
                0,
                c as u16,
                h,
                format!(
                    "the header reads '{found}', not '{h}': the columns of '{}' are fixed (a column was inserted, deleted or renamed)",
                    sh.name
                ),
            ));
        }
    }
    // Anything right of the last column is an extra column.
    let (last_r, last_c) = sh.end();
    for c in columns.len() as u32..=last_c {
        for r in 0..=last_r {
            if !matches!(sh.get(r, c as u16), Data::Empty) {
                let head = sh.text(0, c as u16);
                return Err(err(
                    sh.name,
                    r,
                    c as u16,
                    if head.is_empty() { "column" } else { &head },
                    format!(
                        "an extra column; '{}' has exactly the columns A–{} ({} … {}): remove it",
                        sh.name,
                        col_letters(columns.len() as u16 - 1),
                        columns[0].1,
                        columns[columns.len() - 1].1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The id expected on row `r` is there; otherwise the row was deleted, inserted, moved or
/// its id edited.
fn check_id(
    sh: &Sheet,
    r: u32,
    c: u16,
    expected: &str,
    known: &dyn Fn(&str) -> bool,
    err: &ErrFn,
) -> Result<(), ImportError> {
    let found = sh.text(r, c);
    if found == expected {
        return Ok(());
    }
    let message = if found.is_empty() {
        format!(
            "the row of '{expected}' is missing here (a row was deleted or emptied); the rows are fixed: change values only"
        )
    } else if known(&found) {
        format!(
            "holds '{found}' where '{expected}' belongs: a row was deleted, inserted or moved; the rows are fixed"
        )
    } else {
        format!(
            "the id reads '{found}', not '{expected}': ids are not edited (the row belongs to '{expected}')"
        )
    };
    Err(err(sh.name, r, c, expected, message))
}

fn read_inputs(sh: &Sheet, parent: &Scenario, err: &ErrFn) -> Result<Vec<Param>, ImportError> {
    check_header(sh, &INPUT_COLUMNS, err)?;
    let known = |id: &str| parent.param(id).is_some();
    let mut out = Vec::with_capacity(parent.params.len());
    for (i, old) in parent.params.iter().enumerate() {
        let r = i as u32 + 1;
        check_id(sh, r, col("id"), &old.name, &known, err)?;
        out.push(read_input_row(sh, r, old, err)?);
    }
    let n = parent.params.len() as u32;
    for r in n + 1..=sh.end().0 {
        for c in 0..INPUT_COLUMNS.len() as u16 {
            if !matches!(sh.get(r, c), Data::Empty) {
                return Err(err(
                    sh.name,
                    r,
                    c,
                    "row",
                    format!(
                        "a row below the last input ('{}' on row {}); rows are not added: every input of the scenario already has its row",
                        parent.params[parent.params.len() - 1].name,
                        n + 1
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// The parameter columns of the Inputs sheet.
const PARAM_COLS: [&str; 14] = [
    "value", "mean", "sd", "median", "gsd", "low95", "high95", "min", "mode", "max", "alpha",
    "beta", "values", "probs",
];
/// Parameters that are values of the input (checked against its allowed range).
const IN_RANGE: [&str; 8] = [
    "value", "mean", "median", "low95", "high95", "min", "mode", "max",
];

fn read_input_row(sh: &Sheet, r: u32, old: &Param, err: &ErrFn) -> Result<Param, ImportError> {
    let id = old.name.as_str();
    let key = |k: &str| format!("{id}.{k}");
    let unit = sh.text(r, col("unit"));
    if unit != old.unit {
        return Err(err(
            sh.name,
            r,
            col("unit"),
            &key("unit"),
            format!(
                "the unit reads '{unit}'; this input is in '{}' (units are fixed: convert the number instead)",
                old.unit
            ),
        ));
    }
    let status_text = sh.text(r, col("status"));
    let status = parse_status(&status_text).ok_or_else(|| {
        err(
            sh.name,
            r,
            col("status"),
            &key("status"),
            format!(
                "'{status_text}' is not a status; use one of: {}",
                Status::ALL.join(", ")
            ),
        )
    })?;
    let source = sh.text(r, col("source"));
    if source.is_empty() {
        return Err(err(
            sh.name,
            r,
            col("source"),
            &key("source"),
            "the source is empty; every number says where it comes from (document, table, page)"
                .into(),
        ));
    }
    let note = Some(sh.text(r, col("note"))).filter(|n| !n.is_empty());
    let dist = sh.text(r, col("dist"));
    if !DISTRIBUTIONS.contains(&dist.as_str()) {
        return Err(err(
            sh.name,
            r,
            col("dist"),
            &key("dist"),
            format!(
                "'{dist}' is not a distribution; use one of: {}",
                DISTRIBUTIONS.join(", ")
            ),
        ));
    }
    // Raw parameter cells.
    let mut given: Vec<(&str, f64)> = Vec::new();
    let mut lists: Vec<(&str, Vec<f64>)> = Vec::new();
    for k in PARAM_COLS {
        let c = col(k);
        if k == "values" || k == "probs" {
            let t = sh.text(r, c);
            if t.is_empty() {
                continue;
            }
            let v: Result<Vec<f64>, _> = t
                .split(';')
                .map(|x| x.trim().parse::<f64>().map_err(|_| x.trim().to_string()))
                .collect();
            match v {
                Ok(v) => lists.push((k, v)),
                Err(bad) => {
                    return Err(err(
                        sh.name,
                        r,
                        c,
                        &key(k),
                        format!("text '{bad}' in a list of numbers; give numbers separated by ';'"),
                    ));
                }
            }
        } else if let Some(x) = number(sh, r, c, &key(k), err)? {
            given.push((k, x));
        }
    }
    let has = |k: &str| given.iter().any(|(g, _)| *g == k);
    let needs: &[&str] = match dist.as_str() {
        "constant" => &["value"],
        "normal" => &["mean", "sd"],
        "lognormal" if has("median") || has("gsd") => &["median", "gsd"],
        "lognormal" => &["low95", "high95"],
        "triangular" | "pert" => &["min", "mode", "max"],
        "uniform" => &["min", "max"],
        "beta" => &["alpha", "beta", "min", "max"],
        _ => &["values", "probs"],
    };
    for (k, _) in &given {
        if !needs.contains(k) {
            return Err(err(
                sh.name,
                r,
                col(k),
                &key(k),
                format!(
                    "{dist} does not use '{k}'; its parameters are {}: clear this cell",
                    needs.join(", ")
                ),
            ));
        }
    }
    for (k, _) in &lists {
        if !needs.contains(k) {
            return Err(err(
                sh.name,
                r,
                col(k),
                &key(k),
                format!(
                    "{dist} does not use '{k}'; its parameters are {}",
                    needs.join(", ")
                ),
            ));
        }
    }
    let field = field_of(id);
    let get = |k: &str| -> Result<f64, ImportError> {
        let x = given
            .iter()
            .find(|(g, _)| *g == k)
            .map(|(_, x)| *x)
            .ok_or_else(|| {
                err(
                    sh.name,
                    r,
                    col(k),
                    &key(k),
                    format!("{dist} needs {}; this cell is empty", needs.join(", ")),
                )
            })?;
        if let Some(f) = field.filter(|_| IN_RANGE.contains(&k))
            && (x < f.min || x > f.max)
        {
            return Err(err(
                sh.name,
                r,
                col(k),
                &key(k),
                format!(
                    "{x} is outside the allowed range [{}, {}] {}",
                    f.min, f.max, f.unit
                ),
            ));
        }
        Ok(x)
    };
    let list = |k: &str| -> Result<Vec<f64>, ImportError> {
        lists
            .iter()
            .find(|(g, _)| *g == k)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                err(
                    sh.name,
                    r,
                    col(k),
                    &key(k),
                    "discrete needs values and probs (numbers separated by ';')".into(),
                )
            })
    };
    let ordered = |lo: &str, hi: &str, a: f64, b: f64| -> Result<(), ImportError> {
        if a > b {
            Err(err(
                sh.name,
                r,
                col(lo),
                &key(lo),
                format!(
                    "{lo} {a} is above {hi} {b} (cell {}); low ≤ high",
                    cell_ref(sh.name, r, col(hi))
                ),
            ))
        } else {
            Ok(())
        }
    };
    let spec = match dist.as_str() {
        "constant" => DistSpec::Constant(get("value")?),
        "normal" => DistSpec::Normal {
            mean: get("mean")?,
            sd: get("sd")?,
        },
        "lognormal" if needs[0] == "median" => DistSpec::LogNormal {
            median: get("median")?,
            gsd: get("gsd")?,
        },
        "lognormal" => {
            let (low, high) = (get("low95")?, get("high95")?);
            ordered("low95", "high95", low, high)?;
            DistSpec::LogNormal95 { low, high }
        }
        "triangular" | "pert" => {
            let (min, mode, max) = (get("min")?, get("mode")?, get("max")?);
            ordered("min", "max", min, max)?;
            ordered("min", "mode", min, mode)?;
            ordered("mode", "max", mode, max)?;
            if dist == "pert" {
                DistSpec::Pert { min, mode, max }
            } else {
                DistSpec::Triangular { min, mode, max }
            }
        }
        "uniform" => {
            let (min, max) = (get("min")?, get("max")?);
            ordered("min", "max", min, max)?;
            DistSpec::Uniform { min, max }
        }
        "beta" => {
            let (min, max) = (get("min")?, get("max")?);
            ordered("min", "max", min, max)?;
            DistSpec::Beta {
                alpha: get("alpha")?,
                beta: get("beta")?,
                min,
                max,
            }
        }
        _ => DistSpec::Discrete {
            values: list("values")?,
            probs: list("probs")?,
        },
    };
    if let Err(e) = Distribution::from_spec(&spec) {
        return Err(err(sh.name, r, col("dist"), id, e.to_string()));
    }
    // Spreadsheet programs keep 15 significant digits (LibreOffice rewrites every number so
    // on saving): a number that agrees with the template's to that precision is not an edit.
    let spec = if same_to_15_digits(&spec, &old.spec) {
        old.spec.clone()
    } else {
        spec
    };
    Ok(Param {
        name: old.name.clone(),
        spec,
        unit: old.unit.clone(),
        provenance: Provenance {
            source,
            status,
            note,
        },
        pos: None,
    })
}

fn read_yearbook(
    sh: &Sheet,
    parent: &Scenario,
    params: &mut [Param],
    from_inputs: &[Param],
    err: &ErrFn,
) -> Result<Vec<String>, ImportError> {
    check_header(sh, &YEARBOOK_COLUMNS, err)?;
    let known = |id: &str| YEARBOOK.iter().any(|y| y.input == id);
    let mut checks = Vec::new();
    for (i, y) in YEARBOOK.iter().enumerate() {
        let r = i as u32 + 1;
        check_id(sh, r, ycol("id"), y.input, &known, err)?;
        let key = if y.input.is_empty() { y.en } else { y.input };
        let Some(x) = number(sh, r, ycol("yearbook"), key, err)? else {
            continue;
        };
        let where_ = sh.text(r, ycol("table_page"));
        if where_.is_empty() {
            return Err(err(
                sh.name,
                r,
                ycol("table_page"),
                key,
                "the table/page of the yearbook value is empty; it becomes the input's source (e.g. 齐齐哈尔统计年鉴 2021, table 8-3)".into(),
            ));
        }
        if y.kind == StatKind::Check {
            checks.push(format!("{} {} = {x} ({where_})", y.zh, y.en));
            continue;
        }
        let Some(idx) = parent.index_of(y.input) else {
            continue;
        };
        let old = &parent.params[idx];
        if !same_input(&from_inputs[idx], old) {
            return Err(err(
                sh.name,
                r,
                ycol("yearbook"),
                key,
                format!(
                    "this input is also changed on the Inputs sheet (row {}); give it in one place only",
                    idx + 2
                ),
            ));
        }
        let less: f64 = y
            .less
            .iter()
            .filter_map(|n| parent.param(n))
            .map(|q| super::template::central(&q.spec))
            .sum();
        let value = x - less;
        if let Some(f) = field_of(y.input)
            && (value < f.min || value > f.max)
        {
            let what = if y.less.is_empty() {
                format!("{x}")
            } else {
                format!("{x} − {less} (the other segments) = {value}")
            };
            return Err(err(
                sh.name,
                r,
                ycol("yearbook"),
                key,
                format!(
                    "{what} is outside the allowed range [{}, {}] {}",
                    f.min, f.max, f.unit
                ),
            ));
        }
        let arithmetic = if y.less.is_empty() {
            String::new()
        } else {
            format!(
                "; {} {x} less {} at their central values ({less}) = {value}",
                y.en,
                y.less.join(", ")
            )
        };
        params[idx] = Param {
            name: old.name.clone(),
            spec: statistic_spec(y.kind, value, x),
            unit: old.unit.clone(),
            provenance: Provenance {
                source: where_.clone(),
                status: if y.less.is_empty() {
                    Status::Statistic
                } else {
                    Status::Derived
                },
                note: Some(format!(
                    "yearbook value {x} ({} {}){arithmetic}; {}",
                    y.zh,
                    y.en,
                    statistic_basis(y.kind)
                )),
            },
            pos: None,
        };
    }
    Ok(checks)
}

impl Imported {
    /// Id of the child scenario.
    pub fn child_id(&self) -> String {
        format!("{}-yearbook", self.parent.meta.id)
    }

    /// The child scenario file: `extends` the template's scenario and states only the inputs
    /// that changed, each with its status, source and note.
    pub fn child_toml(&self, file: &str) -> String {
        let m = &self.parent.meta;
        let mut description = format!(
            "'{}' with {} input(s) changed in the workbook {file}",
            m.id,
            self.changed.len()
        );
        if !self.checks.is_empty() {
            description.push_str(&format!(
                "; check values from the yearbook (not inputs): {}",
                self.checks.join("; ")
            ));
        }
        let mut out = format!(
            "# Imported by `tanfeng import` from {file}, a template of '{}'.\n\
             # Only the inputs that differ from '{}' are stated; everything else is inherited.\n\n\
             [scenario]\nid = {}\ntitle_zh = {}\ntitle_en = {}\ndescription = {}\nextends = {}\n",
            m.id,
            m.id,
            tstr(&self.child_id()),
            tstr(&format!("{}（年鉴数据）", m.title_zh)),
            tstr(&format!("{} (yearbook data)", m.title_en)),
            tstr(&description),
            tstr(&self.extends),
        );
        let prov = |p: &Param| -> Vec<(String, String)> {
            let mut v = vec![
                ("status".to_string(), tstr(p.provenance.status.as_str())),
                ("source".to_string(), tstr(&p.provenance.source)),
            ];
            if let Some(n) = &p.provenance.note {
                v.push(("note".to_string(), tstr(n)));
            }
            v
        };
        let mut i = 0;
        while i < self.changed.len() {
            let p = &self.changed[i];
            let base = p.name.split('@').next().unwrap_or(&p.name);
            out.push_str(&format!("\n[{base}]\nunit = {}\n", tstr(&p.unit)));
            if p.name.contains('@') {
                let mut items = Vec::new();
                while let Some(q) = self.changed.get(i)
                    && q.name.split('@').next() == Some(base)
                {
                    let year = q.name.split('@').nth(1).unwrap_or("");
                    let kv: Vec<String> = spec_keys(&q.spec)
                        .into_iter()
                        .chain(prov(q))
                        .map(|(k, v)| format!("{k} = {v}"))
                        .collect();
                    items.push(format!("{year} = {{ {} }}", kv.join(", ")));
                    i += 1;
                }
                out.push_str(&format!("by_year = {{ {} }}\n", items.join(", ")));
            } else {
                for (k, v) in spec_keys(&p.spec).into_iter().chain(prov(p)) {
                    out.push_str(&format!("{k} = {v}\n"));
                }
                i += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_significant_digits_are_the_same_number() {
        let a = DistSpec::Constant(2020.4972677595629);
        assert!(same_to_15_digits(&DistSpec::Constant(2020.49726775956), &a));
        assert!(!same_to_15_digits(&DistSpec::Constant(2020.4972), &a));
        let t = |mode| DistSpec::Triangular {
            min: 0.1,
            mode,
            max: 0.3,
        };
        assert!(same_to_15_digits(&t(0.2), &t(0.2 + 1e-16)));
        assert!(!same_to_15_digits(&t(0.2), &t(0.21)));
        assert!(!same_to_15_digits(
            &DistSpec::Pert {
                min: 0.1,
                mode: 0.2,
                max: 0.3
            },
            &t(0.2)
        ));
    }
}
