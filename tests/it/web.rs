//! `tanfeng serve` at the HTTP level (tower's `oneshot` on the router): every endpoint, every
//! class of bad request, the round trip of a saved scenario through the binary, and the
//! bounded run queue under many requests at once.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tanfeng::web::{AppState, Limits, router};
use tower::ServiceExt;

fn state(limits: Limits) -> Arc<AppState> {
    AppState::new(limits).expect("state")
}

async fn call(st: &Arc<AppState>, req: Request<Body>) -> (StatusCode, Vec<u8>, Option<String>) {
    let resp = router(Arc::clone(st))
        .oneshot(req)
        .await
        .expect("infallible");
    let status = resp.status();
    let disp = resp
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, body, disp)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn post_json(uri: &str, v: &Value) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(v.to_string()))
        .expect("request")
}

fn post_text(uri: &str, text: &str) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "text/plain")
        .body(Body::from(text.to_string()))
        .expect("request")
}

fn json_of(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(b)))
}

fn delay(months: f64, draws: u64) -> Value {
    json!({ "scenario": "plan", "draws": draws, "charts": false,
            "edits": [{ "lever": "biomass_delay", "shift": months }] })
}

#[tokio::test]
async fn page_scenarios_and_levers() {
    let st = state(Limits::default());
    let (s, b, _) = call(&st, get("/")).await;
    assert_eq!(s, StatusCode::OK);
    let page = String::from_utf8_lossy(&b);
    assert!(page.contains("tanfeng") && page.contains("/api/run"));
    let (s, b, _) = call(&st, get("/api/scenarios")).await;
    assert_eq!(s, StatusCode::OK);
    let ids: Vec<String> = json_of(&b)
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(ids.contains(&"plan".to_string()) && ids.contains(&"reference".to_string()));
    let (s, b, _) = call(&st, get("/api/levers?scenario=plan")).await;
    assert_eq!(s, StatusCode::OK);
    let v = json_of(&b);
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(7));
    let levers = v["levers"].as_array().expect("levers");
    let bio = levers
        .iter()
        .find(|l| l["id"] == "biomass_delay")
        .expect("biomass lever");
    assert_eq!(bio["inputs"].as_array().map(Vec::len), Some(8));
    assert_eq!(bio["group"], "biomass_chp");
    assert_eq!(bio["family"], "triangular");
    assert!(bio["density"].as_array().is_some_and(|d| d.len() > 10));
    let (s, _, _) = call(&st, get("/api/levers?scenario=nowhere")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = call(&st, get("/api/levers")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = call(&st, get("/api/nothing")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_year_of_biomass_delay_raises_the_co2_intensity_change_and_the_saved_file_reproduces_it()
{
    let st = state(Limits::default());
    let req = delay(12.0, 2000);
    let (s, b, _) = call(&st, post_json("/api/run", &req)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let u = json_of(&b);
    assert_eq!(u["changed"].as_array().map(Vec::len), Some(8));
    let co2 = u["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .find(|d| d["indicator"] == "co2_intensity_change")
        .expect("co2 row")["mean"]
        .as_f64()
        .expect("number");
    assert!(
        co2 > 0.0,
        "a later biomass build leaves more CO₂ per GDP: {co2}"
    );
    let rows = u["targets"].as_array().expect("targets");
    assert!(!rows.is_empty());
    for r in rows {
        let d = r["difference"].as_array().expect("triple");
        let (m, lo, hi) = (d[0].as_f64(), d[1].as_f64(), d[2].as_f64());
        assert!(lo <= m && m <= hi, "{r}");
    }
    // Targets and drivers carry human names for the page, the id kept beside them.
    let nox = rows
        .iter()
        .find(|r| r["target"] == "nox_reduction")
        .expect("the NOx target");
    assert_eq!(nox["name_zh"], "氮氧化物重点工程减排量 ≥ 6300 吨", "{nox}");
    assert_eq!(
        nox["name_en"], "NOx key-project reduction ≥ 6,300 t",
        "{nox}"
    );
    let drivers = u["drivers"].as_array().expect("drivers");
    assert!(!drivers.is_empty());
    for d in drivers {
        let id = d["input"].as_str().expect("id");
        let (zh, en) = (d["name_zh"].as_str(), d["name_en"].as_str());
        assert!(zh.is_some_and(|z| !z.is_empty() && z != id), "{d}");
        assert!(en.is_some_and(|e| !e.is_empty() && e != id), "{d}");
    }

    // Save: the file extends the parent and states the eight delays only.
    let (s, b, disp) = call(&st, post_json("/api/save", &req)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(disp.is_some_and(|d| d.contains("attachment") && d.contains("plan-edited.toml")));
    let text = String::from_utf8(b).expect("utf-8");
    assert!(text.contains("extends = \"plan\""));
    assert_eq!(text.matches("status = \"assumption\"").count(), 8, "{text}");
    assert_eq!(text.matches("\n[biomass_chp.plant.").count(), 8);

    // …and `tanfeng run --no-bom` of that file writes the page's summary byte for byte.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plan-edited.toml");
    std::fs::write(&file, &text).expect("write");
    assert_cmd::Command::cargo_bin("tanfeng")
        .expect("binary")
        .args([
            "run",
            file.to_str().expect("utf-8 path"),
            "--draws",
            "2000",
            "--no-charts",
            "--no-bom",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("plan-edited/summary.csv")).expect("summary");
    assert_eq!(csv, u["summary_csv"].as_str().expect("csv"));
}

#[tokio::test]
async fn export_briefing_zips_the_edited_runs_briefing_charts_and_tables() {
    let st = state(Limits::default());
    let req = delay(12.0, 400);
    let (s, b, _) = call(&st, post_json("/api/run", &req)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let page_csv = json_of(&b)["summary_csv"]
        .as_str()
        .expect("csv")
        .to_string();
    let (s, b, disp) = call(&st, post_json("/api/briefing", &req)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert!(
        disp.is_some_and(|d| d.contains("attachment") && d.contains("plan-edited-briefing.zip"))
    );
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(b)).expect("a zip");
    let names: Vec<String> = z
        .file_names()
        .map(|n| n.expect("entry name").to_string())
        .collect();
    for f in [
        "briefing.html",
        "briefing_en.html",
        "briefing.docx",
        "briefing_en.docx",
        "summary.csv",
        "ledger.csv",
        "results.xlsx",
    ] {
        let want = format!("plan-edited/{f}");
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let charts = names
        .iter()
        .filter(|n| n.starts_with("plan-edited/charts/") && n.ends_with(".png"))
        .count();
    assert!(charts >= 10, "{charts} chart PNGs");
    // The same numbers as the page: the saved file run with the page's seed and draws.
    let mut csv = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("plan-edited/summary.csv").expect("summary"),
        &mut csv,
    )
    .expect("utf-8");
    // Written as `tanfeng run` writes it: with a byte-order mark for Excel.
    assert_eq!(csv.strip_prefix('\u{feff}'), Some(page_csv.as_str()));
    // A bad request is refused before any run.
    let mut bad = req.clone();
    bad["draws"] = json!(1);
    let (s, _, _) = call(&st, post_json("/api/briefing", &bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn no_edit_shows_the_parent_and_charts_are_svg() {
    let st = state(Limits::default());
    let req = json!({ "scenario": "plan", "draws": 300, "lang": "en" });
    let (s, b, _) = call(&st, post_json("/api/run", &req)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let u = json_of(&b);
    assert_eq!(u["toml"], "");
    for r in u["targets"].as_array().expect("rows") {
        assert_eq!(r["parent"], r["edited"]);
        assert_eq!(r["difference"][0].as_f64(), Some(0.0));
    }
    let charts = u["charts"].as_array().expect("charts");
    assert!(charts.len() >= 3, "distribution, fan and ledger");
    assert!(
        charts.iter().any(|c| c["caption"]
            .as_str()
            .is_some_and(|t| t.contains("key-project ledger"))),
        "the NOx ledger chart: {:?}",
        charts.iter().map(|c| &c["caption"]).collect::<Vec<_>>()
    );
    assert!(
        charts
            .iter()
            .all(|c| c["svg"].as_str().is_some_and(|s| s.contains("<svg")))
    );
    // Nothing to save without an edit.
    let (s, _, _) = call(&st, post_json("/api/save", &req)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn uploads_go_through_the_loader() {
    let st = state(Limits::default());
    let good = include_str!("../../scenarios/delayed.toml");
    let (s, b, _) = call(&st, post_text("/api/upload", good)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let key = json_of(&b)["key"].as_str().expect("key").to_string();
    let (s, b, _) = call(
        &st,
        post_json(
            "/api/run",
            &json!({ "scenario": key, "draws": 200, "charts": false }),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    // Levers move shipped scenarios only.
    let (s, _, _) = call(
        &st,
        post_json(
            "/api/run",
            &json!({ "scenario": key, "draws": 200, "charts": false,
                     "edits": [{ "lever": "biomass_delay", "shift": 3 }] }),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Bad TOML: the loader's message with line and column.
    let bad = "[scenario]\nid = \"x\"\ntitle_zh = \"x\"\ntitle_en = \"x\"\nextends = \"plan\"\n[economy.industry_va_growth]\ndist = \"normal\"\nmean = 0.06\nsd = = 0.03\n";
    let (s, b, _) = call(&st, post_text("/api/upload", bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let e = json_of(&b);
    assert_eq!(e["line"], 9, "{e}");
    assert!(e["column"].as_u64().is_some(), "{e}");
    assert!(
        e["error"]
            .as_str()
            .is_some_and(|m| m.contains("upload.toml:9:"))
    );

    // A value outside the schema's range, also placed.
    let out_of_range = bad.replace("sd = = 0.03", "sd = 0.03\n[biomass_chp.plant.tailai.delay_months]\nvalue = 500.0\nunit = \"months\"\nstatus = \"assumption\"\nsource = \"test\"");
    let (s, b, _) = call(&st, post_text("/api/upload", &out_of_range)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(json_of(&b)["line"].as_u64().is_some());

    // `extends` may name only shipped scenarios: no path, no traversal.
    for parent in [
        "../../../etc/passwd",
        "../scenarios/plan.toml",
        "/etc/hosts",
        "plan.toml",
    ] {
        let t = good.replace("extends = \"plan\"", &format!("extends = \"{parent}\""));
        let (s, b, _) = call(&st, post_text("/api/upload", &t)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{parent}");
        assert!(
            json_of(&b)["error"]
                .as_str()
                .is_some_and(|m| m.contains("only a shipped scenario")),
            "{parent}"
        );
    }
}

#[tokio::test]
async fn bad_requests_get_a_4xx_with_a_message() {
    let st = state(Limits {
        body_bytes: 4096,
        ..Limits::default()
    });
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        // Oversized body.
        (
            post_text("/api/upload", &"#".repeat(10_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
        // Unknown lever.
        (
            post_json(
                "/api/run",
                &json!({ "scenario": "plan", "edits": [{ "lever": "moon_base", "shift": 1 }] }),
            ),
            StatusCode::BAD_REQUEST,
            "unknown lever 'moon_base'",
        ),
        // Bad numbers: not a number, a fraction of a month, fields of another family,
        // a triangle out of order (the loader's check), too many draws.
        (
            post_json(
                "/api/run",
                &json!({ "scenario": "plan", "edits": [{ "lever": "biomass_delay", "shift": "soon" }] }),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "shift",
        ),
        (
            post_json("/api/run", &delay(1.5, 100)),
            StatusCode::BAD_REQUEST,
            "whole months",
        ),
        (
            post_json(
                "/api/run",
                &json!({ "scenario": "plan", "draws": 100, "edits": [{ "lever": "solar_new_2025", "fields": { "mean": 3 } }] }),
            ),
            StatusCode::BAD_REQUEST,
            "min, mode, max",
        ),
        (
            post_json(
                "/api/run",
                &json!({ "scenario": "plan", "draws": 100, "edits": [{ "lever": "solar_new_2025", "fields": { "min": 900, "mode": 500, "max": 1500 } }] }),
            ),
            StatusCode::BAD_REQUEST,
            "plan-edited.toml:",
        ),
        (
            post_json("/api/run", &delay(0.0, 10_000_000)),
            StatusCode::BAD_REQUEST,
            "draws must be",
        ),
        (
            post_json("/api/run", &json!({ "scenario": "plan", "lang": "fr" })),
            StatusCode::BAD_REQUEST,
            "lang",
        ),
        // Malformed JSON, unknown field, unknown scenario.
        (
            Request::post("/api/run")
                .header("content-type", "application/json")
                .body(Body::from("{\"scenario\": "))
                .expect("r"),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            post_json("/api/run", &json!({ "scenario": "plan", "rm": "-rf" })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "rm",
        ),
        (
            post_json("/api/run", &json!({ "scenario": "../plan" })),
            StatusCode::NOT_FOUND,
            "unknown scenario",
        ),
        (
            post_json(
                "/api/save",
                &json!({ "scenario": "plan", "edits": [{ "lever": "x" }] }),
            ),
            StatusCode::BAD_REQUEST,
            "unknown lever",
        ),
        // Not UTF-8.
        (
            Request::post("/api/upload")
                .header("content-type", "text/plain")
                .body(Body::from(vec![0xff, 0xfe, 0x00]))
                .expect("r"),
            StatusCode::BAD_REQUEST,
            "",
        ),
    ];
    for (req, want, text) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (s, b, _) = call(&st, req).await;
        let body = String::from_utf8_lossy(&b);
        assert_eq!(s, want, "{what}: {body}");
        assert!(body.contains(text), "{what}: {body} lacks {text:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_requests_at_once_are_bounded_and_all_answered() {
    let st = state(Limits {
        running: 1,
        waiting: 3,
        ..Limits::default()
    });
    let mut tasks = Vec::new();
    for k in 0..16 {
        let st = Arc::clone(&st);
        tasks.push(tokio::spawn(async move {
            call(&st, post_json("/api/run", &delay(f64::from(k % 4), 2000)))
                .await
                .0
        }));
    }
    let all = tokio::time::timeout(std::time::Duration::from_secs(300), async {
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    })
    .await
    .expect("no deadlock: every request answered");
    let ok = all.iter().filter(|s| **s == StatusCode::OK).count();
    let busy = all
        .iter()
        .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!(ok + busy, all.len(), "{all:?}");
    assert!(ok >= 1 && busy >= 1, "bounded queue: {all:?}");
    assert!(ok <= 1 + 3 + 12, "{all:?}");
    // The queue drains: a later request runs.
    let (s, _, _) = call(&st, post_json("/api/run", &delay(2.0, 500))).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_change_of_the_same_page_drops_the_queued_older_one() {
    let st = state(Limits::default());
    let long = {
        let st = Arc::clone(&st);
        tokio::spawn(async move {
            let r = json!({ "scenario": "plan", "draws": 40000, "charts": false, "client": "other", "seq": 1 });
            call(&st, post_json("/api/run", &r)).await.0
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut page = Vec::new();
    for seq in [1_u64, 2] {
        let st = Arc::clone(&st);
        page.push(tokio::spawn(async move {
            let r = json!({ "scenario": "plan", "draws": 500, "charts": false, "client": "page", "seq": seq,
                            "edits": [{ "lever": "biomass_delay", "shift": seq }] });
            call(&st, post_json("/api/run", &r)).await.0
        }));
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    assert_eq!(long.await.expect("task"), StatusCode::OK);
    let second = page.pop().expect("two").await.expect("task");
    let first = page.pop().expect("one").await.expect("task");
    assert_eq!(first, StatusCode::CONFLICT, "the stale change is not run");
    assert_eq!(second, StatusCode::OK);
}
