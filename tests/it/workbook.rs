//! Input workbooks: `template` → edit → `import` / `run FILE.xlsx`, and every bad-workbook case
//! (each error names sheet, cell and key; no output is written).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use tanfeng::scenario::workbook::{self, SHEET_INPUTS, SHEET_META, SHEET_YEARBOOK, inputs_hash};

fn tanfeng() -> Command {
    Command::cargo_bin("tanfeng").expect("the binary is built")
}

/// A workbook's sheets as grids (sheet name, hidden, rows of cells).
type Grid = Vec<(String, bool, Vec<Vec<Data>>)>;

fn read_grid(path: &Path) -> Grid {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = wb.sheet_names();
    names
        .iter()
        .map(|n| {
            let r = wb.worksheet_range(n).unwrap();
            let rows = r.rows().map(<[Data]>::to_vec).collect();
            (n.clone(), n == SHEET_META, rows)
        })
        .collect()
}

/// Writes a grid back as .xlsx (as a user's spreadsheet program would save it), with optional
/// merged ranges (sheet, first row, first col, last row, last col).
fn write_grid(grid: &Grid, path: &Path, merges: &[(&str, u32, u16, u32, u16)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, hidden, rows) in grid {
        let ws = book.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::Float(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    Data::Int(x) => {
                        ws.write_number(r, c, *x as f64).unwrap();
                    }
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Empty => {}
                    other => {
                        ws.write_string(r, c, other.to_string()).unwrap();
                    }
                }
            }
        }
        for m in merges.iter().filter(|m| m.0 == name) {
            ws.merge_range(
                m.1,
                m.2,
                m.3,
                m.4,
                "merged",
                &rust_xlsxwriter::Format::new(),
            )
            .unwrap();
        }
        ws.set_hidden(*hidden);
    }
    book.save(path).unwrap();
}

fn sheet<'a>(grid: &'a mut Grid, name: &str) -> &'a mut Vec<Vec<Data>> {
    &mut grid.iter_mut().find(|s| s.0 == name).unwrap().2
}

fn set(grid: &mut Grid, name: &str, r: usize, c: usize, v: Data) {
    let rows = sheet(grid, name);
    while rows.len() <= r {
        rows.push(Vec::new());
    }
    while rows[r].len() <= c {
        rows[r].push(Data::Empty);
    }
    rows[r][c] = v;
}

/// Row index (0-based) of an input id on a sheet (column A).
fn row_of(grid: &mut Grid, name: &str, id: &str) -> usize {
    sheet(grid, name)
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == id))
        .unwrap_or_else(|| panic!("{id} on {name}"))
}

fn make_template(dir: &Path) -> PathBuf {
    let t = dir.join("t.xlsx");
    tanfeng()
        .args(["template", "plan", "--out"])
        .arg(&t)
        .assert()
        .success();
    t
}

#[test]
fn round_trip_without_edits_gives_the_same_resolved_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let t = make_template(dir.path());
    let child = dir.path().join("child.toml");
    tanfeng()
        .args(["import"])
        .arg(&t)
        .arg("-o")
        .arg(&child)
        .assert()
        .success();
    let plan = tanfeng::scenario::load_embedded("plan").unwrap();
    let imported = tanfeng::scenario::load_path(&child).unwrap();
    assert_eq!(inputs_hash(&plan), inputs_hash(&imported));
    // Saved again by a spreadsheet program (every cell rewritten), still no change.
    let grid = read_grid(&t);
    let resaved = dir.path().join("resaved.xlsx");
    write_grid(&grid, &resaved, &[]);
    let s = workbook::load_workbook(&resaved).unwrap();
    assert_eq!(inputs_hash(&plan), inputs_hash(&s));
    assert!(workbook::import(&resaved).unwrap().changed.is_empty());
}

#[test]
fn the_hash_sees_a_changed_input() {
    // The round-trip test above is only meaningful if the hash moves with an input.
    let plan = tanfeng::scenario::load_embedded("plan").unwrap();
    let mut other = plan.clone();
    other.params[0].provenance.source.push('x');
    assert_ne!(inputs_hash(&plan), inputs_hash(&other));
}

#[test]
fn a_yearbook_value_changes_exactly_that_input_and_the_results_that_depend_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let t = make_template(dir.path());
    let mut grid = read_grid(&t);
    let r = row_of(&mut grid, SHEET_YEARBOOK, "calibration.nox_base_t");
    set(
        &mut grid,
        SHEET_YEARBOOK,
        r,
        workbook::YB_VALUE,
        Data::Float(42_000.0),
    );
    set(
        &mut grid,
        SHEET_YEARBOOK,
        r,
        workbook::YB_SOURCE,
        Data::String("齐齐哈尔市环境统计年报2020 表3, p. 17".into()),
    );
    let edited = dir.path().join("edited.xlsx");
    write_grid(&grid, &edited, &[]);

    let plan = tanfeng::scenario::load_embedded("plan").unwrap();
    let s = workbook::load_workbook(&edited).unwrap();
    let differing: Vec<&str> = plan
        .params
        .iter()
        .zip(&s.params)
        .filter(|(a, b)| a.spec != b.spec || a.provenance != b.provenance)
        .map(|(a, _)| a.name.as_str())
        .collect();
    assert_eq!(plan.params.len(), s.params.len());
    assert_eq!(differing, ["calibration.nox_base_t"]);
    let p = s.param("calibration.nox_base_t").unwrap();
    assert_eq!(p.provenance.status, tanfeng::scenario::Status::Statistic);
    assert_eq!(p.provenance.source, "齐齐哈尔市环境统计年报2020 表3, p. 17");
    assert_eq!(
        p.spec,
        tanfeng::scenario::DistSpec::LogNormal95 {
            low: 0.87 * 42_000.0,
            high: 1.37 * 42_000.0
        }
    );

    // Results: the NOx total moves, CO₂ and energy do not.
    let run = |spec: &Path, sub: &str| -> Vec<(String, String)> {
        let out = dir.path().join(sub);
        tanfeng()
            .arg("run")
            .arg(spec)
            .args(["--draws", "300", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success();
        let id = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(out.join(id).join("summary.csv")).unwrap();
        let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        rdr.records()
            .map(|r| {
                let r = r.unwrap();
                (r[1].to_string(), r[5].to_string())
            })
            .collect()
    };
    let plan_toml = dir.path().join("plan.toml");
    std::fs::write(
        &plan_toml,
        "[scenario]\nid = \"plan\"\ntitle_zh = \"x\"\ntitle_en = \"x\"\nextends = \"plan\"\n",
    )
    .unwrap();
    let a = run(&plan_toml, "a");
    let b = run(&edited, "b");
    assert_eq!(a.len(), b.len());
    let changed: Vec<&str> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, _)| x.0.as_str())
        .collect();
    assert!(changed.iter().any(|c| c.contains("nox")), "{changed:?}");
    assert!(
        changed.iter().all(|c| c.contains("nox")),
        "only NOx results may change: {changed:?}"
    );
}

/// Imports a broken copy of the template; asserts the message names sheet, cell and key, and
/// that no child file was written.
fn rejected(dir: &Path, file: &Path, sheet: &str, cell: &str, key: &str) -> String {
    let out = dir.join("child.toml");
    let o = tanfeng()
        .arg("import")
        .arg(file)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!out.exists(), "a rejected workbook writes no output");
    let at = format!("'{sheet}'!{cell}");
    assert!(err.contains(&at), "expected {at} in: {err}");
    assert!(
        err.contains(&format!("key '{key}")),
        "expected key {key} in: {err}"
    );
    // `run` rejects it too and writes nothing.
    let run_out = dir.join("run-out");
    tanfeng()
        .arg("run")
        .arg(file)
        .args(["--draws", "10", "--no-charts", "--out"])
        .arg(&run_out)
        .assert()
        .code(1);
    assert!(!run_out.exists());
    err
}

fn broken(edit: impl FnOnce(&mut Grid)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let t = make_template(dir.path());
    let mut grid = read_grid(&t);
    edit(&mut grid);
    let p = dir.path().join("broken.xlsx");
    write_grid(&grid, &p, &[]);
    (dir, p)
}

const P1: usize = workbook::col::P1;

#[test]
fn text_in_a_number_cell_is_rejected_with_its_cell() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "economy.gdp_base_yuan_1e8");
        set(g, SHEET_INPUTS, r, P1, Data::String("about 1200".into()));
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_INPUTS, "economy.gdp_base_yuan_1e8");
    let cell = workbook::cell_ref(r, P1);
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &cell,
        "economy.gdp_base_yuan_1e8",
    );
    assert!(err.contains("needs a number"), "{err}");
}

#[test]
fn text_in_a_yearbook_value_is_rejected() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_YEARBOOK, "power.wind_base_mw");
        set(
            g,
            SHEET_YEARBOOK,
            r,
            workbook::YB_VALUE,
            Data::String("2000 MW".into()),
        );
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_YEARBOOK, "power.wind_base_mw");
    rejected(
        dir.path(),
        &p,
        SHEET_YEARBOOK,
        &workbook::cell_ref(r, workbook::YB_VALUE),
        "power.wind_base_mw",
    );
}

#[test]
fn an_unknown_status_is_rejected() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "power.solar_base_mw");
        set(
            g,
            SHEET_INPUTS,
            r,
            workbook::col::STATUS,
            Data::String("statistc".into()),
        );
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_INPUTS, "power.solar_base_mw");
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(r, workbook::col::STATUS),
        "power.solar_base_mw.status",
    );
    assert!(err.contains("did you mean 'statistic'"), "{err}");
}

#[test]
fn an_unknown_distribution_is_rejected() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "power.solar_base_mw");
        set(
            g,
            SHEET_INPUTS,
            r,
            workbook::col::DIST,
            Data::String("gamma".into()),
        );
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_INPUTS, "power.solar_base_mw");
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(r, workbook::col::DIST),
        "power.solar_base_mw.dist",
    );
    assert!(err.contains("triangular"), "{err}");
}

#[test]
fn low_above_high_is_rejected_at_the_high_cell() {
    // calibration.coal_share is a triangular (min, mode, max) in plan.toml.
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "calibration.coal_share");
        set(
            g,
            SHEET_INPUTS,
            r,
            workbook::col::DIST,
            Data::String("uniform".into()),
        );
        set(g, SHEET_INPUTS, r, P1, Data::Float(0.7));
        set(g, SHEET_INPUTS, r, P1 + 1, Data::Float(0.6));
        set(g, SHEET_INPUTS, r, P1 + 2, Data::Empty);
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_INPUTS, "calibration.coal_share");
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(r, P1 + 1),
        "calibration.coal_share.max",
    );
    assert!(err.contains("low must be ≤ high"), "{err}");
}

#[test]
fn a_value_outside_the_allowed_range_names_the_range() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "economy.gdp_base_yuan_1e8");
        set(g, SHEET_INPUTS, r, P1, Data::Float(-5.0));
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_INPUTS, "economy.gdp_base_yuan_1e8");
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(r, P1),
        "economy.gdp_base_yuan_1e8.value",
    );
    assert!(err.contains("allowed range [1, 1000000] 亿元"), "{err}");
}

#[test]
fn a_deleted_row_is_rejected() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "power.solar_base_mw");
        sheet(g, SHEET_INPUTS).remove(r);
    });
    let tmpl = read_grid(&make_template(dir.path()));
    let mut tmpl = tmpl;
    let r = row_of(&mut tmpl, SHEET_INPUTS, "power.solar_base_mw");
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(r, 0),
        "power.solar_base_mw",
    );
    assert!(err.contains("deleted"), "{err}");
}

#[test]
fn an_edited_id_is_rejected() {
    let (dir, p) = broken(|g| {
        let r = row_of(g, SHEET_INPUTS, "power.solar_base_mw");
        set(
            g,
            SHEET_INPUTS,
            r,
            0,
            Data::String("power.solar_base_kw".into()),
        );
    });
    let mut g = read_grid(&p);
    let r = row_of(&mut g, SHEET_INPUTS, "power.solar_base_kw");
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(r, 0),
        "power.solar_base_kw",
    );
    assert!(err.contains("was it 'power.solar_base_mw'"), "{err}");
}

#[test]
fn an_extra_column_is_rejected() {
    let (dir, p) = broken(|g| {
        set(
            g,
            SHEET_INPUTS,
            0,
            workbook::INPUT_HEADERS.len(),
            Data::String("my notes".into()),
        );
    });
    let err = rejected(
        dir.path(),
        &p,
        SHEET_INPUTS,
        &workbook::cell_ref(0, workbook::INPUT_HEADERS.len()),
        "my notes",
    );
    assert!(err.contains("extra column"), "{err}");
}

#[test]
fn a_merged_cell_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let t = make_template(dir.path());
    let grid = read_grid(&t);
    let p = dir.path().join("merged.xlsx");
    write_grid(&grid, &p, &[(SHEET_INPUTS, 5, 6, 6, 6)]);
    let err = rejected(dir.path(), &p, SHEET_INPUTS, "G6", "来源 source");
    assert!(err.contains("merged"), "{err}");
}

#[test]
fn an_empty_file_and_a_foreign_workbook_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("child.toml");
    let empty = dir.path().join("empty.xlsx");
    std::fs::write(&empty, b"").unwrap();
    let foreign = dir.path().join("foreign.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "budget").unwrap();
    book.save(&foreign).unwrap();
    for (file, says) in [(&empty, "empty"), (&foreign, "not a tanfeng template")] {
        let o = tanfeng()
            .arg("import")
            .arg(file)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1));
        assert!(err.contains(says), "{err}");
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(!out.exists());
    }
}

#[test]
fn an_edited_per_year_anchor_restates_the_whole_path() {
    let dir = tempfile::tempdir().unwrap();
    let t = make_template(dir.path());
    let mut grid = read_grid(&t);
    let r = row_of(&mut grid, SHEET_INPUTS, "economy.gdp_growth@2023");
    set(&mut grid, SHEET_INPUTS, r, P1, Data::Float(0.04));
    let p = dir.path().join("g.xlsx");
    write_grid(&grid, &p, &[]);
    let plan = tanfeng::scenario::load_embedded("plan").unwrap();
    let s = workbook::load_workbook(&p).unwrap();
    for q in &plan.params {
        let n = s.param(&q.name).unwrap();
        if q.name == "economy.gdp_growth@2023" {
            assert_eq!(
                n.spec,
                tanfeng::scenario::DistSpec::Normal {
                    mean: 0.04,
                    sd: 0.015
                }
            );
        } else {
            assert_eq!(
                (&q.spec, &q.provenance),
                (&n.spec, &n.provenance),
                "{}",
                q.name
            );
        }
    }
}
