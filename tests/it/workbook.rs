//! The input workbook (issue 23): `template` then `import` round trip, a yearbook value
//! becoming a statistic, and every bad-workbook case named by sheet, cell and key with nothing
//! written. Workbooks are edited as a user's spreadsheet program would save them: read with
//! calamine, changed, written again with rust_xlsxwriter.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use tanfeng::cli::load::{load, read_scenario};
use tanfeng::cli::{ChartOptions, Format as TableFormat, RunOptions, run_scenario};
use tanfeng::present::tables::CsvFlavor;
use tanfeng::scenario::{DistSpec, Status};
use tanfeng::workbook::{INPUTS_SHEET, META_SHEET, YEARBOOK_SHEET, col, inputs_sha256, ycol};

fn tanfeng() -> Command {
    Command::cargo_bin("tanfeng").expect("the binary is built")
}

/// One sheet as a grid of cells.
#[derive(Clone)]
struct Sheet {
    name: String,
    cells: Vec<Vec<Data>>,
    merge: Option<(u32, u16, u32, u16)>,
}

fn read_book(path: &Path) -> Vec<Sheet> {
    let mut xl: Xlsx<_> = calamine::open_workbook(path).expect("a workbook");
    xl.sheet_names()
        .into_iter()
        .map(|name| {
            let range = xl.worksheet_range(&name).expect("a sheet");
            let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let cells = (0..rows)
                .map(|r| {
                    (0..cols)
                        .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                        .collect()
                })
                .collect();
            Sheet {
                name,
                cells,
                merge: None,
            }
        })
        .collect()
}

fn write_book(book: &[Sheet], path: &Path) {
    let mut wb = Workbook::new();
    for s in book {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).expect("sheet name");
        for (r, row) in s.cells.iter().enumerate() {
            for (c, d) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match d {
                    Data::Float(x) => ws.write_number(r, c, *x).map(|_| ()),
                    Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                    Data::String(t) => ws.write_string(r, c, t).map(|_| ()),
                    Data::Empty => Ok(()),
                    other => ws.write_string(r, c, other.to_string()).map(|_| ()),
                }
                .expect("cell written");
            }
        }
        if let Some((r0, c0, r1, c1)) = s.merge {
            ws.merge_range(r0, c0, r1, c1, "merged", &Format::new())
                .expect("merge");
        }
        if s.name == META_SHEET {
            ws.set_hidden(true);
        }
    }
    wb.save(path).expect("workbook saved");
}

fn sheet<'a>(book: &'a mut [Sheet], name: &str) -> &'a mut Sheet {
    book.iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("sheet {name}"))
}

fn set(book: &mut [Sheet], name: &str, r: usize, c: u16, d: Data) {
    let s = sheet(book, name);
    while s.cells.len() <= r {
        s.cells.push(Vec::new());
    }
    let row = &mut s.cells[r];
    while row.len() <= c as usize {
        row.push(Data::Empty);
    }
    row[c as usize] = d;
}

/// The Inputs row (0-based) of an input.
fn row_of(book: &[Sheet], id: &str) -> usize {
    let s = book
        .iter()
        .find(|s| s.name == INPUTS_SHEET)
        .expect("Inputs");
    s.cells
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(x)) if x == id))
        .unwrap_or_else(|| panic!("row of {id}"))
}

/// The Yearbook row (0-based) of an input.
fn yearbook_row(book: &[Sheet], id: &str) -> usize {
    let s = book
        .iter()
        .find(|s| s.name == YEARBOOK_SHEET)
        .expect("Yearbook");
    s.cells
        .iter()
        .position(|r| matches!(r.get(ycol("id") as usize), Some(Data::String(x)) if x == id))
        .unwrap_or_else(|| panic!("yearbook row of {id}"))
}

fn template(dir: &Path, scenario: &str) -> PathBuf {
    let p = dir.join(format!("{}.xlsx", scenario.replace(['/', '.'], "_")));
    tanfeng()
        .args(["template", scenario, "--out"])
        .arg(&p)
        .assert()
        .success();
    p
}

#[test]
fn template_then_import_without_edits_gives_the_same_resolved_inputs() {
    let dir = tempfile::tempdir().unwrap();
    // Shipped scenarios with per-year paths, and a scenario file of the user's.
    let user = dir.path().join("mine.toml");
    std::fs::write(
        &user,
        "[scenario]\nid = \"mine\"\ntitle_zh = \"我的\"\ntitle_en = \"Mine\"\nextends = \"peak-2030\"\n\n[power.wind_new_mw]\nunit = \"MW\"\nstatus = \"assumption\"\nsource = \"test\"\nby_year = { 2020 = { value = 0.0 }, 2025 = { dist = \"triangular\", min = 100.0, mode = 400.0, max = 900.0, note = \"n\" }, 2030 = { dist = \"triangular\", min = 300.0, mode = 900.0, max = 2000.0 } }\n",
    )
    .unwrap();
    for spec in ["plan", "peak-2030", user.to_str().unwrap()] {
        let xlsx = template(dir.path(), spec);
        let original = read_scenario(spec).expect("scenario loads");
        let imported = read_scenario(xlsx.to_str().unwrap()).expect("template imports");
        assert_eq!(
            inputs_sha256(&imported),
            inputs_sha256(&original),
            "{spec}: same resolved inputs"
        );
        assert_eq!(imported.meta.id, format!("{}-yearbook", original.meta.id));
        let child = dir.path().join("child.toml");
        tanfeng()
            .args(["import", xlsx.to_str().unwrap(), "-o"])
            .arg(&child)
            .assert()
            .success()
            .stdout(predicates::str::contains("0 changed input(s)"));
        let text = std::fs::read_to_string(&child).unwrap();
        assert!(!text.contains("unit ="), "no input restated: {text}");
    }
}

#[test]
fn a_yearbook_value_becomes_a_statistic_and_changes_only_what_depends_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = template(dir.path(), "plan");
    let mut book = read_book(&xlsx);
    let r = yearbook_row(&book, "calibration.nox_base_t");
    set(
        &mut book,
        YEARBOOK_SHEET,
        r,
        ycol("yearbook"),
        Data::Float(30_000.0),
    );
    set(
        &mut book,
        YEARBOOK_SHEET,
        r,
        ycol("table_page"),
        Data::String("齐齐哈尔市环境统计 2020, 表 3".into()),
    );
    let edited = dir.path().join("edited.xlsx");
    write_book(&book, &edited);
    let plan = read_scenario("plan").unwrap();
    let child = read_scenario(edited.to_str().unwrap()).expect("edited workbook loads");
    let differing: Vec<&str> = child
        .params
        .iter()
        .zip(&plan.params)
        .filter(|(a, b)| a.spec != b.spec || a.provenance != b.provenance)
        .map(|(a, _)| a.name.as_str())
        .collect();
    assert_eq!(differing, ["calibration.nox_base_t"]);
    let p = child.param("calibration.nox_base_t").unwrap();
    assert_eq!(p.provenance.status, Status::Statistic);
    assert_eq!(p.provenance.source, "齐齐哈尔市环境统计 2020, 表 3");
    // DATA.md §7: the NOx inventory's −13 %/+37 %, not zero.
    assert_eq!(
        p.spec,
        DistSpec::LogNormal95 {
            low: 0.87 * 30_000.0,
            high: 1.37 * 30_000.0
        }
    );
    // Same draws: NOx results move, energy and CO₂ results do not.
    let run = |spec: &str, out: &Path| {
        run_scenario(&RunOptions {
            scenario: spec.into(),
            draws: 400,
            seed: 7,
            threads: Some(2),
            horizon: None,
            out: out.to_path_buf(),
            csv: CsvFlavor::Bom,
            xlsx: false,
            format: TableFormat::Table,
            quiet: true,
            charts: ChartOptions::none(),
        })
        .expect("runs")
        .summary
    };
    let a = run("plan", dir.path());
    let b = run(edited.to_str().unwrap(), dir.path());
    let mut moved = Vec::new();
    for (x, y) in a.indicators.iter().zip(&b.indicators) {
        assert_eq!(x.name, y.name);
        if x.dist.mean != y.dist.mean {
            moved.push(x.name.as_str());
        }
    }
    assert!(moved.iter().any(|n| n.contains("nox")), "{moved:?}");
    assert!(
        moved
            .iter()
            .all(|n| n.contains("nox") || n.contains("key_project")),
        "only NOx results move: {moved:?}"
    );
    // A loaded workbook runs like any scenario.
    assert!(load(edited.to_str().unwrap(), None).is_ok());
}

/// Imports a workbook edited by `edit` through the binary; asserts failure, no output, and
/// every fragment in the message.
fn bad(dir: &Path, name: &str, edit: impl Fn(&mut Vec<Sheet>), expect: &[&str]) {
    let xlsx = dir.join("plan.xlsx");
    if !xlsx.exists() {
        tanfeng()
            .args(["template", "plan", "--out"])
            .arg(&xlsx)
            .assert()
            .success();
    }
    let mut book = read_book(&xlsx);
    edit(&mut book);
    let p = dir.join(format!("{name}.xlsx"));
    write_book(&book, &p);
    check_fails(dir, &p, expect);
}

fn check_fails(dir: &Path, p: &Path, expect: &[&str]) {
    let out = dir.join("out");
    let child = out.join("child.toml");
    std::fs::create_dir_all(&out).unwrap();
    let o = tanfeng()
        .args(["import", p.to_str().unwrap(), "-o"])
        .arg(&child)
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{}: {e}", p.display());
    for f in expect {
        assert!(e.contains(f), "{}: '{f}' not in: {e}", p.display());
    }
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "nothing written"
    );
    // `run` on the same workbook: the same message, no result folder.
    let o = tanfeng()
        .args([
            "run",
            p.to_str().unwrap(),
            "--draws",
            "10",
            "--no-charts",
            "--out",
        ])
        .arg(out.join("runs"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(expect[0]));
    assert!(!out.join("runs").exists(), "run wrote nothing");
}

#[test]
fn bad_workbooks_name_sheet_cell_and_key_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let coal = "calibration.coal_share";
    let with_row = |id: &'static str, f: fn(&mut Vec<Sheet>, usize)| {
        move |b: &mut Vec<Sheet>| {
            let r = row_of(b, id);
            f(b, r)
        }
    };
    // Text in a number cell: the mode of the coal share is column Q.
    let r = {
        let xlsx = template(d, "plan");
        row_of(&read_book(&xlsx), coal) + 1
    };
    let cell = |c: &str| format!("'Inputs'!{c}{r}");
    bad(
        d,
        "text",
        with_row(coal, |b, r| {
            set(
                b,
                INPUTS_SHEET,
                r,
                col("mode"),
                Data::String("约0.65".into()),
            )
        }),
        &[&cell("Q"), "calibration.coal_share.mode", "text '约0.65'"],
    );
    bad(
        d,
        "status",
        with_row(coal, |b, r| {
            set(
                b,
                INPUTS_SHEET,
                r,
                col("status"),
                Data::String("official".into()),
            )
        }),
        &[
            &cell("F"),
            "calibration.coal_share.status",
            "plan, statistic, derived, assumption",
        ],
    );
    bad(
        d,
        "dist",
        with_row(coal, |b, r| {
            set(
                b,
                INPUTS_SHEET,
                r,
                col("dist"),
                Data::String("gamma".into()),
            )
        }),
        &[&cell("H"), "calibration.coal_share.dist", "triangular"],
    );
    bad(
        d,
        "low_high",
        with_row(coal, |b, r| {
            set(b, INPUTS_SHEET, r, col("min"), Data::Float(0.8));
        }),
        &[
            &cell("P"),
            "calibration.coal_share.min",
            "0.8 is above max 0.7",
        ],
    );
    bad(
        d,
        "range",
        with_row(coal, |b, r| {
            set(b, INPUTS_SHEET, r, col("max"), Data::Float(1.5));
        }),
        &[
            &cell("R"),
            "calibration.coal_share.max",
            "allowed range [0, 1]",
        ],
    );
    bad(
        d,
        "deleted",
        with_row(coal, |b, r| {
            sheet(b, INPUTS_SHEET).cells.remove(r);
        }),
        &[&cell("A"), "'calibration.coal_share'", "deleted"],
    );
    bad(
        d,
        "id_edited",
        with_row(coal, |b, r| {
            set(
                b,
                INPUTS_SHEET,
                r,
                col("id"),
                Data::String("calibration.coal".into()),
            )
        }),
        &[&cell("A"), "'calibration.coal_share'", "ids are not edited"],
    );
    bad(
        d,
        "extra_column",
        with_row(coal, |b, r| {
            set(b, INPUTS_SHEET, r, 24, Data::String("my remark".into()))
        }),
        &[&format!("'Inputs'!Y{}", r), "extra column"],
    );
    bad(
        d,
        "merged",
        |b: &mut Vec<Sheet>| sheet(b, YEARBOOK_SHEET).merge = Some((2, 5, 2, 6)),
        &["'基年统计 Yearbook'!F3", "merged", "F3:G3"],
    );
    bad(
        d,
        "yearbook_text",
        |b: &mut Vec<Sheet>| {
            let r = yearbook_row(b, "calibration.coal_share");
            set(
                b,
                YEARBOOK_SHEET,
                r,
                ycol("yearbook"),
                Data::String("六成".into()),
            );
        },
        &[
            "'基年统计 Yearbook'!F3",
            "calibration.coal_share",
            "text '六成'",
        ],
    );
    bad(
        d,
        "yearbook_no_source",
        |b: &mut Vec<Sheet>| {
            let r = yearbook_row(b, "calibration.coal_share");
            set(b, YEARBOOK_SHEET, r, ycol("yearbook"), Data::Float(0.61));
        },
        &[
            "'基年统计 Yearbook'!G3",
            "calibration.coal_share",
            "table/page",
        ],
    );
    bad(
        d,
        "not_template",
        |b: &mut Vec<Sheet>| b.retain(|s| s.name != META_SHEET),
        &["not a tanfeng template"],
    );
    let empty = d.join("empty.xlsx");
    std::fs::write(&empty, b"").unwrap();
    check_fails(d, &empty, &["empty.xlsx is empty"]);
    let text = d.join("text.xlsx");
    std::fs::write(&text, b"id,value\n").unwrap();
    check_fails(d, &text, &["text.xlsx is not an Excel workbook"]);
}

/// A sheet of `results.xlsx` holds exactly the CSV's header and values: numbers as numbers
/// equal to the CSV's, text as text (a Chinese header row between).
fn sheet_equals_csv(book: &[Sheet], name: &str, csv: &[u8]) {
    let s = book
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("sheet {name}"));
    let (header, rows) = tanfeng::present::workbook::read_csv(csv);
    assert!(rows.len() > 2, "{name}: a real table");
    let text = |d: &Data| match d {
        Data::String(t) => t.clone(),
        Data::Empty => String::new(),
        other => panic!("{name}: header {other:?}"),
    };
    let got: Vec<String> = s.cells[0].iter().map(text).collect();
    assert_eq!(got, header, "{name}: header");
    assert_eq!(s.cells.len(), rows.len() + 2, "{name}: one row per CSV row");
    for (i, row) in rows.iter().enumerate() {
        let cells = &s.cells[i + 2];
        for (c, v) in row.iter().enumerate() {
            let cell = cells.get(c).cloned().unwrap_or(Data::Empty);
            match (tanfeng::present::workbook::as_number(v), &cell) {
                (Some(x), Data::Float(y)) => assert_eq!(x, *y, "{name} row {i} col {c}"),
                (None, Data::String(t)) => assert_eq!(v, t, "{name} row {i} col {c}"),
                (None, Data::Empty) => assert!(v.is_empty(), "{name} row {i} col {c}: {v}"),
                _ => panic!("{name} row {i} col {c}: CSV '{v}', sheet {cell:?}"),
            }
        }
    }
}

#[test]
fn results_xlsx_holds_the_csvs_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    tanfeng()
        .args([
            "run",
            "plan",
            "--draws",
            "300",
            "--no-charts",
            "--xlsx",
            "--out",
        ])
        .arg(d)
        .assert()
        .success();
    let book = read_book(&d.join("plan/results.xlsx"));
    for (sheet, file) in [
        ("达标 attainment", "targets.csv"),
        ("汇总 summary", "summary.csv"),
        ("削减量 ledger", "ledger.csv"),
        ("新增量 increments", "increments.csv"),
        ("逐年 years", "years.csv"),
        ("措施 wedges", "wedges.csv"),
    ] {
        sheet_equals_csv(
            &book,
            sheet,
            &std::fs::read(d.join("plan").join(file)).unwrap(),
        );
    }
    let names: Vec<&str> = book.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names.contains(&"输入 inputs") && names.contains(&"运行信息 run"),
        "{names:?}"
    );
    // Without --xlsx, no workbook.
    tanfeng()
        .args(["run", "plan", "--draws", "300", "--no-charts", "--out"])
        .arg(d)
        .assert()
        .success();
    assert!(!d.join("plan/results.xlsx").exists());
    tanfeng()
        .args([
            "compare",
            "reference",
            "plan",
            "--draws",
            "300",
            "--no-charts",
            "--xlsx",
        ])
        .arg("--out")
        .arg(d)
        .assert()
        .success();
    let c = d.join("compare");
    let book = read_book(&c.join("results.xlsx"));
    sheet_equals_csv(
        &book,
        "达标 attainment",
        &std::fs::read(c.join("attainment.csv")).unwrap(),
    );
    sheet_equals_csv(
        &book,
        "差异 differences",
        &std::fs::read(c.join("differences.csv")).unwrap(),
    );
    let mut both = std::fs::read(c.join("reference/summary.csv")).unwrap();
    let plan = std::fs::read_to_string(c.join("plan/summary.csv")).unwrap();
    both.extend(plan.split_once('\n').unwrap().1.as_bytes());
    sheet_equals_csv(&book, "汇总 summary", &both);
}
