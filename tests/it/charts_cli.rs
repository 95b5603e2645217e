//! Charts and the HTML briefing through the binary: which files `run` and `compare` write for
//! each `--lang`, that they decode (PNG) and parse (SVG), `--no-charts`, and a bad `--font`.
//! Without a CJK font only the Chinese checks are skipped (with a notice), except on CI
//! (`CI=true`), which installs fonts-wqy-microhei: there a missing font fails.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn tanfeng() -> Command {
    Command::cargo_bin("tanfeng").expect("the binary is built")
}

fn cjk_available() -> bool {
    let found = tanfeng::present::charts::find_cjk_font().is_some();
    assert!(
        found || !tanfeng::present::charts::fonts::fonts_required(),
        "CI=true but no CJK font installed (apt-get install fonts-wqy-microhei)"
    );
    if !found {
        println!("NOTICE: no CJK font installed; skipping the Chinese chart checks");
    }
    found
}

/// Chart files in `dir` (sorted names).
fn chart_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every PNG decodes to an A4-size 1890×1300 image (a small multiple: 1890 wide, taller up to
/// a page, 2917 px), every SVG parses as XML with an `<svg>` root,
/// every PNG has its SVG twin, and no temporary files are left.
fn check_files(dir: &Path, names: &[String]) {
    assert!(!names.is_empty(), "no chart files in {}", dir.display());
    for n in names {
        assert!(!n.contains("tmp"), "temporary file left behind: {n}");
        let p = dir.join(n);
        if let Some(stem) = n.strip_suffix(".png") {
            let img = image::open(&p).unwrap_or_else(|e| panic!("{n} does not decode: {e}"));
            // Small multiples (one panel per scenario) grow up to a page.
            let h = img.height();
            assert!(
                img.width() == 1890 && (1000..=2917).contains(&h),
                "{n}: {}×{h}",
                img.width()
            );
            assert!(
                names.contains(&format!("{stem}.svg")),
                "{n} has no SVG twin"
            );
        } else if n.ends_with(".svg") {
            let text = std::fs::read_to_string(&p).expect("SVG is UTF-8");
            let doc =
                roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{n} is not XML: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "svg", "{n}");
        } else {
            panic!("unexpected file {n} in the chart folder");
        }
    }
}

fn run_plan(out: &Path, extra: &[&str]) -> std::process::Output {
    tanfeng()
        .args(["run", "plan", "--draws", "500", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the binary runs")
}

#[test]
fn run_writes_both_languages_and_a_briefing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_plan(dir.path(), &["--lang", "both"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let charts = dir.path().join("plan/charts");
    let names = chart_names(&charts);
    check_files(&charts, &names);
    let cjk = cjk_available();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let langs: &[&str] = if cjk { &["zh", "en"] } else { &["en"] };
    for lang in langs {
        for stem in [
            "distribution_plan_co2_intensity_change",
            "distribution_plan_nox_key_project_reduction_t",
            "fan_plan_co2_total_t",
            "fan_plan_co2_intensity_change",
            "wedge_plan_co2",
            "wedge_plan_nox",
            "wedge_plan_vocs",
        ] {
            for ext in ["png", "svg"] {
                let f = format!("{stem}_{lang}.{ext}");
                assert!(names.contains(&f), "missing {f} in {names:?}");
            }
        }
    }
    let zh = names.iter().filter(|n| n.contains("_zh.")).count();
    let en = names.iter().filter(|n| n.contains("_en.")).count();
    if cjk {
        assert_eq!(zh, en, "each chart in both languages");
        assert!(!stderr.contains("fonts-wqy-microhei"), "{stderr}");
    } else {
        assert_eq!(zh, 0);
        assert_eq!(
            stderr.matches("fonts-wqy-microhei").count(),
            1,
            "one warning naming the package: {stderr}"
        );
    }

    // One briefing per language written: Chinese in briefing.html (English when no CJK font),
    // English in briefing_en.html; each shows the charts of its own language.
    let s = tanfeng::scenario::load_embedded("plan").expect("plan loads");
    assert!(!s.targets.is_empty());
    let pages: Vec<(&str, &str, &str)> = if cjk {
        vec![
            ("briefing.html", "zh-CN", "_zh.png"),
            ("briefing_en.html", "en", "_en.png"),
        ]
    } else {
        vec![("briefing.html", "en", "_en.png")]
    };
    for (page, lang_attr, suffix) in pages {
        let html = std::fs::read_to_string(dir.path().join("plan").join(page))
            .expect("the briefing is UTF-8 text");
        assert!(html.starts_with("<!DOCTYPE html>"));
        let title = if lang_attr == "en" {
            &s.meta.title_en
        } else {
            &s.meta.title_zh
        };
        assert!(html.contains(title.as_str()), "{page} lacks {title}");
        for t in &s.targets {
            assert!(html.contains(&t.id), "target {} not in {page}", t.id);
        }
        assert!(html.contains(&format!("<html lang=\"{lang_attr}\">")));
        // Every chart the page shows exists next to it and is in the page's language.
        let mut shown = 0;
        for part in html.split("<img src=\"").skip(1) {
            let rel = part.split('"').next().unwrap_or_default();
            assert!(
                dir.path().join("plan").join(rel).is_file(),
                "{page} refers to missing {rel}"
            );
            assert!(rel.ends_with(suffix), "{page} shows {rel}");
            shown += 1;
        }
        assert!(shown > 0, "{page} shows no chart");
        let docx = dir.path().join("plan").join(page.replace(".html", ".docx"));
        assert!(docx.is_file(), "{} not written", docx.display());
    }
}

#[test]
fn lang_en_writes_only_english_and_no_charts_writes_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let en = dir.path().join("en");
    let out = run_plan(&en, &["--lang", "en"]);
    assert!(out.status.success());
    let names = chart_names(&en.join("plan/charts"));
    check_files(&en.join("plan/charts"), &names);
    assert!(names.iter().all(|n| n.contains("_en.")), "{names:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    let html = std::fs::read_to_string(en.join("plan/briefing.html")).expect("briefing");
    assert!(html.contains("<html lang=\"en\">"));

    let none = dir.path().join("none");
    let out = run_plan(&none, &["--no-charts"]);
    assert!(out.status.success());
    assert!(
        none.join("plan/summary.csv").is_file(),
        "results still written"
    );
    assert!(!none.join("plan/charts").exists());
    assert!(!none.join("plan/briefing.html").exists());
}

#[test]
fn lang_zh_writes_only_chinese_or_falls_back_with_one_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_plan(dir.path(), &["--lang", "zh", "--format", "json"]);
    assert!(out.status.success());
    // JSON on stdout stays parseable: nothing about charts is printed there.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(serde_json::from_str::<serde_json::Value>(&stdout).is_ok());
    let names = chart_names(&dir.path().join("plan/charts"));
    if cjk_available() {
        assert!(names.iter().all(|n| n.contains("_zh.")), "{names:?}");
    } else {
        assert!(names.iter().all(|n| n.contains("_en.")), "{names:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.matches("fonts-wqy-microhei").count(), 1, "{stderr}");
    }
}

#[test]
fn a_font_without_cjk_gives_english_charts_and_one_warning() {
    let Some(latin) = tanfeng::present::charts::fonts::find_latin_font_file() else {
        assert!(
            !tanfeng::present::charts::fonts::fonts_required(),
            "CI=true but no Latin font file found"
        );
        println!("NOTICE: no Latin font file found; skipping the fallback check");
        return;
    };
    let has_cjk = tanfeng::present::charts::ChartFont::load(&latin)
        .map(|f| f.missing_glyphs("碳排放").is_empty())
        .unwrap_or(true);
    if has_cjk {
        println!("NOTICE: the sans-serif font has CJK glyphs; skipping the fallback check");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let font = latin.path.to_string_lossy().into_owned();
    let out = run_plan(dir.path(), &["--lang", "both", "--font", &font]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("fonts-wqy-microhei").count(), 1, "{stderr}");
    let names = chart_names(&dir.path().join("plan/charts"));
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| n.contains("_en.")), "{names:?}");
    let html = std::fs::read_to_string(dir.path().join("plan/briefing.html")).expect("briefing");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("fonts-wqy-microhei"),
        "the page notes the fallback"
    );
}

#[test]
fn bad_font_fails_before_writing_anything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let bad = dir.path().join("not-a-font.ttf");
    std::fs::write(&bad, b"nope").expect("temp file");
    let out = run_plan(&out_dir, &["--font", bad.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not-a-font.ttf"), "{stderr}");
    assert!(!out_dir.exists(), "no output on a bad --font");
}

#[test]
fn compare_writes_comparison_charts_and_briefing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let child: PathBuf = dir.path().join("fast.toml");
    std::fs::write(
        &child,
        "[scenario]\nid = \"fast\"\ntitle_zh = \"快速<测试>\"\ntitle_en = \"Fast & test\"\n\
         extends = \"plan\"\n\n[options]\nrenewable_exemption = true\n",
    )
    .expect("temp file");
    let out_dir = dir.path().join("out");
    let out = tanfeng()
        .args(["compare", "plan"])
        .arg(&child)
        .args(["--draws", "300", "--lang", "en", "--out"])
        .arg(&out_dir)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let charts = out_dir.join("compare/charts");
    let names = chart_names(&charts);
    check_files(&charts, &names);
    for stem in [
        "attainment_table",
        "box_co2_intensity_change",
        "exceedance_co2_intensity_change",
        "exceedance_nox_key_project_reduction_t",
        "fan_co2_total_t",
        "distribution_co2_intensity_change",
        "wedge_co2",
    ] {
        let f = format!("{stem}_en.png");
        assert!(names.contains(&f), "missing {f} in {names:?}");
    }
    // One small multiple per indicator (per pollutant for wedges) replaces the per-scenario
    // distribution and wedge charts.
    for stem in [
        "distribution_plan_co2_intensity_change",
        "distribution_fast_co2_intensity_change",
        "wedge_plan_co2",
        "wedge_fast_co2",
    ] {
        let f = format!("{stem}_en.png");
        assert!(!names.contains(&f), "{f} still written: {names:?}");
    }
    // Footers: comparison charts name both scenarios.
    let svg = |stem: &str| {
        std::fs::read_to_string(charts.join(format!("{stem}_en.svg"))).expect("SVG is readable")
    };
    assert!(svg("box_co2_intensity_change").contains("[plan], "));
    let panels = svg("distribution_co2_intensity_change");
    assert!(panels.contains("[plan], "));
    // A panel per scenario, each named.
    assert!(panels.contains("14th Five-Year plan") && panels.contains("Fast &amp; test"));
    let wedges = svg("wedge_co2");
    assert!(wedges.contains("[plan], "), "footer names both");
    assert!(wedges.contains("14th Five-Year plan") && wedges.contains("Fast &amp; test"));
    let html = std::fs::read_to_string(out_dir.join("compare/briefing.html")).expect("briefing");
    assert!(
        html.contains("<span class=\"id\">plan</span>")
            && html.contains("<span class=\"id\">fast</span>")
    );
    // Scenario titles are escaped (the page is English: --lang en).
    assert!(html.contains("Fast &amp; test"));
    assert!(!html.contains("Fast & test"));
    assert!(!out_dir.join("compare/briefing_en.html").exists());
    for id in ["co2_intensity", "nox_reduction", "vocs_reduction"] {
        assert!(html.contains(id), "{id}");
    }
}

/// Charts do not depend on how the work is spread over threads (glyph bitmaps are shared
/// between them, palettes grow per chart): `--threads 1` and `--threads 2` write the same bytes.
#[test]
fn charts_are_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lang = if cjk_available() { "both" } else { "en" };
    for threads in ["1", "2"] {
        let out = run_plan(
            &dir.path().join(threads),
            &["--lang", lang, "--threads", threads],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (one, two) = (
        dir.path().join("1/plan/charts"),
        dir.path().join("2/plan/charts"),
    );
    let names = chart_names(&one);
    assert_eq!(names, chart_names(&two));
    assert!(names.len() >= 20, "{names:?}");
    for n in &names {
        let a = std::fs::read(one.join(n)).expect("chart readable");
        let b = std::fs::read(two.join(n)).expect("chart readable");
        assert!(a == b, "{n} differs between --threads 1 and --threads 2");
    }
}
