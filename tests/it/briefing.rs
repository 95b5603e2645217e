//! The briefing documents of a comparison, read back: the Word files unzip, their
//! `word/document.xml` holds the summary of findings with the ledger's numbers and one picture
//! per chart of the document's language (each a PNG in `word/media/`); the HTML pages put the
//! summary first, show the ledger with project names in both languages and list the plan
//! measures the model leaves out.

use std::io::Read;
use std::path::Path;

use assert_cmd::Command;

fn cjk_available() -> bool {
    let found = tanfeng::present::charts::find_cjk_font().is_some();
    assert!(
        found || !tanfeng::present::charts::fonts::fonts_required(),
        "CI=true but no CJK font installed (apt-get install fonts-wqy-microhei)"
    );
    found
}

/// Runs `compare reference plan` into `out` with the languages the machine can draw.
fn compare(out: &Path, cjk: bool) {
    let lang = if cjk { "both" } else { "en" };
    let o = Command::cargo_bin("tanfeng")
        .expect("the binary is built")
        .args([
            "compare",
            "reference",
            "plan",
            "--draws",
            "300",
            "--lang",
            lang,
        ])
        .arg("--out")
        .arg(out)
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The text of every `w:t` of a .docx's document (paragraphs joined by newlines), the number
/// of pictures it places and its media files.
fn read_docx(path: &Path) -> (String, usize, Vec<(String, Vec<u8>)>) {
    let f = std::fs::File::open(path).expect("the .docx exists");
    let mut zip = zip::ZipArchive::new(f).expect("the .docx is a zip archive");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    let doc = roxmltree::Document::parse(&xml).expect("document.xml is XML");
    let mut text = String::new();
    let mut pictures = 0;
    for n in doc.descendants() {
        match n.tag_name().name() {
            "t" => text.push_str(n.text().unwrap_or_default()),
            "p" => text.push('\n'),
            "pic"
                if n.tag_name()
                    .namespace()
                    .is_some_and(|ns| ns.contains("picture")) =>
            {
                pictures += 1
            }
            _ => {}
        }
    }
    let mut media = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).expect("zip entry");
        let name = e.name().expect("entry name").to_string();
        if name.starts_with("word/media/") && !e.is_dir() {
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).expect("media entry");
            media.push((name, bytes));
        }
    }
    (text, pictures, media)
}

/// Σ of the projects' mean 削减量 of `pollutant` in `year` from a scenario's `ledger.csv`.
fn ledger_total(dir: &Path, pollutant: &str, year: &str) -> f64 {
    let mut r = csv::Reader::from_path(dir.join("ledger.csv")).expect("ledger.csv");
    let h = r.headers().expect("header").clone();
    let col = |name: &str| h.iter().position(|c| c == name).expect("column");
    let (p, y, m) = (col("pollutant"), col("year"), col("mean_t"));
    r.records()
        .map(|rec| rec.expect("row"))
        .filter(|rec| &rec[p] == pollutant && &rec[y] == year)
        .map(|rec| rec[m].parse::<f64>().expect("number"))
        .sum()
}

/// Whole tonnes with thousands separators, as the briefing writes them.
fn grouped(x: f64) -> String {
    let d = format!("{:.0}", x.round().abs());
    let mut out = String::new();
    for (k, c) in d.chars().enumerate() {
        if k > 0 && (d.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn docx_holds_the_summary_the_ledger_and_one_picture_per_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cjk = cjk_available();
    compare(dir.path(), cjk);
    let cmp = dir.path().join("compare");
    let nox = grouped(ledger_total(&cmp.join("plan"), "nox", "2025"));
    let reference_nox = grouped(ledger_total(&cmp.join("reference"), "nox", "2025"));
    let mut docs = vec![(
        if cjk {
            "briefing_en.docx"
        } else {
            "briefing.docx"
        },
        "_en.png",
        [
            "Summary of findings",
            "Key projects vs new increments",
            "Natural retirement counted as projects",
            "Accounting in force",
            "Measures of the plan the model leaves out",
            "2020 energy by carrier (coal, oil products, gas) balanced with the statistics in every draw",
        ],
        " t",
    )];
    if cjk {
        docs.push((
            "briefing.docx",
            "_zh.png",
            [
                "主要结论",
                "重点工程削减量与新增量",
                "自然淘汰计入削减量",
                "核算口径",
                "规划中未计入模型的措施",
                "2020年能耗按品种（煤、油品、天然气）在每次抽样中按广义最小二乘法与统计量平衡",
            ],
            " 吨",
        ));
    }
    for (name, suffix, phrases, unit) in docs {
        let (text, pictures, media) = read_docx(&cmp.join(name));
        for p in phrases {
            assert!(text.contains(p), "{name} lacks “{p}”");
        }
        // The summary comes before the first table and names the ledger's totals.
        let summary = text.find(phrases[0]).expect("summary");
        let key = text.find(phrases[1]).expect("ledger paragraph");
        assert!(summary < key, "{name}: summary after the ledger paragraph");
        for total in [&nox, &reference_nox] {
            let t = format!("{total}{unit}");
            assert!(text.contains(&t), "{name} does not state {t}");
        }
        // One picture per chart of this language, each a PNG in word/media/.
        let charts = std::fs::read_dir(cmp.join("charts"))
            .expect("charts")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(suffix))
            })
            .count();
        assert!(charts > 10, "{charts} charts");
        assert_eq!(pictures, charts, "{name}: pictures vs charts");
        assert_eq!(media.len(), charts, "{name}: media files vs charts");
        for (m, bytes) in &media {
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{m} is not a PNG");
        }
    }
}

#[test]
fn html_puts_the_summary_first_and_shows_the_ledger_and_what_is_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cjk = cjk_available();
    compare(dir.path(), cjk);
    let cmp = dir.path().join("compare");
    let page = if cjk {
        "briefing_en.html"
    } else {
        "briefing.html"
    };
    let html = std::fs::read_to_string(cmp.join(page)).expect("briefing");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{page} lacks {s}"));
    // Order: summary, attainment, ledger, charts, method, measures left out, metadata.
    let order = [
        at("Summary of findings"),
        at("Target attainment"),
        at("Key-project reductions and new increments"),
        at("<section class=\"charts\">"),
        at("Method and accounting"),
        at("Measures of the plan the model leaves out"),
        at("Run metadata"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The ledger names each project in both languages; the reference's reductions are said
    // to come from natural retirement.
    for p in &tanfeng::model::PROJECTS[..2] {
        assert!(html.contains(p.label_en), "{}", p.label_en);
        assert!(html.contains(p.label_zh), "{}", p.label_zh);
    }
    assert!(html.contains("all ") && html.contains("retiring naturally"));
    // Every measure the model leaves out, in the plan's words.
    let left: Vec<_> = tanfeng::scenario::plan_measures::left_out().collect();
    assert!(!left.is_empty());
    for m in left {
        let quote = m
            .quote_zh
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(html.contains(&quote), "missing {}", m.quote_zh);
    }
    // What each scenario assumes, in the briefing's language.
    let plan = tanfeng::scenario::load_embedded("plan").expect("plan");
    assert!(html.contains(&plan.meta.description.replace('&', "&amp;")));
    // Changed inputs in words (the reference sets all eight plants' capacity), ids small.
    let (_, plants) = tanfeng::scenario::names::input_name("biomass_chp.plant.*.capacity_mw");
    assert!(
        html.contains(&format!(
            "{plants} ×8 <span class=\"small\"><code>biomass_chp.plant.*.capacity_mw</code>"
        )),
        "changed inputs not named in words"
    );
    if cjk {
        let zh = std::fs::read_to_string(cmp.join("briefing.html")).expect("Chinese briefing");
        let description_zh = plan
            .meta
            .description_zh
            .expect("plan has a Chinese description");
        assert!(
            zh.contains(&description_zh),
            "Chinese briefing lacks {description_zh}"
        );
        assert!(
            !zh.contains(&plan.meta.description),
            "English description in the Chinese briefing"
        );
        assert!(!zh.contains("未给出中文说明"));
    }
    // Print CSS: A4, repeated table headers, no figure split.
    for rule in [
        "@page{size:A4",
        "thead{display:table-header-group}",
        "break-inside:avoid",
    ] {
        assert!(html.contains(rule), "{rule}");
    }
}

/// A peak year in the horizon is "not yet peaked" in words wherever people read it (MODEL.md
/// §2), as the peak-year chart's hatched category says: the run's terminal table and the
/// briefing's indicator table; the CSVs keep the horizon's number.
#[test]
fn a_peak_in_the_horizon_reads_not_yet_peaked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = Command::cargo_bin("tanfeng")
        .expect("the binary is built")
        .args(["run", "peak-2030", "--draws", "300", "--lang", "en"])
        .arg("--out")
        .arg(dir.path())
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let row = stdout
        .lines()
        .find(|l| l.starts_with("co2_peak_year"))
        .unwrap_or_else(|| panic!("no peak-year row in\n{stdout}"));
    // Some draws have not peaked by 2030 at this seed: their P95 is the horizon.
    assert!(row.contains("not peaked"), "{row}");
    let html = std::fs::read_to_string(dir.path().join("peak-2030").join("briefing.html"))
        .expect("briefing");
    let row = html
        .lines()
        .find(|l| l.starts_with("<tr><td>Year of peak CO₂ (2030)</td>"))
        .unwrap_or_else(|| panic!("no peak-year row"));
    assert!(row.contains("not yet peaked"), "{row}");
    assert!(!row.contains(">2030<") && !row.contains("– 2030"), "{row}");
    // The machine CSV keeps the number (2030 = not yet peaked, documented in the README).
    let csv = std::fs::read_to_string(dir.path().join("peak-2030").join("summary.csv"))
        .expect("summary.csv");
    let line = csv
        .lines()
        .find(|l| l.contains(",co2_peak_year,"))
        .expect("peak row");
    assert!(line.contains(",2030,"), "{line}");
}
