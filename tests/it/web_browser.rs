//! End-to-end test of `tanfeng serve` in a real browser (Debian's `chromium` and
//! `chromium-driver`, driven through WebDriver by fantoccini). Built only with
//! `--features browser-test`, outside the README's test command; `.ci/run` runs it:
//!
//! `cargo test --release --features browser-test --test it web_browser -- --nocapture`
//!
//! It fails (never skips) when the browser or its driver is missing. It starts the binary's
//! server, opens the page headless, moves the lever "biomass commissioning delay" by +12
//! months, waits for the results, checks that the mean CO₂-intensity change rose (common random
//! numbers make the sign certain), saves the scenario, runs the saved file through the binary
//! and compares its `summary.csv` with the page's byte for byte. Screenshots of the page in
//! both languages go to `target/serve-screenshots/`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const DRIVER: &str = "/usr/bin/chromedriver";

/// Kills a child process when dropped (the server and the driver).
struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts `tanfeng serve --port 0` and returns it with the page address it printed.
fn start_server() -> (Kill, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tanfeng"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the tanfeng binary starts");
    let out = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .expect("the server prints its address");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (Kill(child), url)
}

async fn browser() -> (Kill, Client) {
    assert!(
        std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(DRIVER).exists(),
        "the browser test needs {CHROMIUM} and {DRIVER}: apt-get install -y chromium chromium-driver"
    );
    let port = free_port();
    let driver = Command::new(DRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Kill(driver);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1440,1500", "--lang=zh-CN"] }),
    );
    let start = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (driver, c),
            Err(e) if start.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot start a WebDriver session: {e}"),
        }
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect("script runs")
}

/// Waits until `script` returns true (JSON), for at most `secs` seconds.
async fn wait_for(c: &Client, script: &str, secs: u64) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        if js(c, script).await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = js(c, "return document.getElementById('status').textContent;").await;
    panic!("timed out waiting for {script} (status: {status})");
}

fn runs_script(n: u64) -> String {
    format!(
        "return +document.getElementById('run-count').dataset.n >= {n} && document.getElementById('status').dataset.state === 'done';"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_browser_moves_the_biomass_delay_and_the_saved_scenario_reproduces_the_page() {
    let (_server, url) = start_server();
    let (_driver, c) = browser().await;
    c.goto(&url).await.expect("page opens");
    wait_for(&c, &runs_script(1), 60).await;
    let shot_dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/serve-screenshots");
    std::fs::create_dir_all(&shot_dir).expect("screenshot folder");

    // Move the lever: +12 months in its number field (the slider follows).
    let field = c
        .find(Locator::Css("#shift-biomass_delay"))
        .await
        .expect("the biomass delay lever is on the page");
    field.clear().await.expect("clear");
    field.send_keys("12").await.expect("type");
    wait_for(&c, &runs_script(2), 60).await;
    wait_for(
        &c,
        "return document.querySelector('[data-lever=biomass_delay]').classList.contains('changed') && lastUpdate.changed.length === 8;",
        30,
    )
    .await;
    let diff = js(
        &c,
        "return +document.getElementById('co2-diff').dataset.value;",
    )
    .await;
    let diff = diff.as_f64().expect("a number");
    assert!(
        diff > 0.0,
        "a year of biomass delay raises the mean CO₂-intensity change: {diff}"
    );
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(shot_dir.join("serve-zh.png"), png).expect("write");

    // Save the scenario; the page keeps the downloaded text.
    c.find(Locator::Css("#save"))
        .await
        .expect("save button")
        .click()
        .await
        .expect("click");
    wait_for(
        &c,
        "return document.getElementById('saved-toml').value.length > 0;",
        30,
    )
    .await;
    let toml = js(&c, "return document.getElementById('saved-toml').value;").await;
    let toml = toml.as_str().expect("text").to_string();
    assert!(toml.contains("extends = \"plan\""), "{toml}");
    let summary = js(&c, "return lastUpdate.summary_csv;").await;
    let summary = summary.as_str().expect("csv").to_string();
    let draws = js(&c, "return lastUpdate.draws;")
        .await
        .as_u64()
        .expect("draws");

    // The English page.
    c.find(Locator::Css("#lang"))
        .await
        .expect("toggle")
        .click()
        .await
        .expect("click");
    wait_for(&c, &runs_script(3), 60).await;
    let title = js(&c, "return document.querySelector('h1').textContent;").await;
    assert!(
        title.as_str().is_some_and(|t| t.contains("workbench")),
        "{title}"
    );
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(shot_dir.join("serve-en.png"), png).expect("write");
    c.close().await.expect("close");

    // The saved file through the binary: same seed, same draws, same bytes.
    let dir = std::env::temp_dir().join(format!("tanfeng-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("plan-edited.toml");
    std::fs::write(&file, &toml).expect("write");
    let st = Command::new(env!("CARGO_BIN_EXE_tanfeng"))
        .arg("run")
        .arg(&file)
        .args([
            "--draws",
            &draws.to_string(),
            "--no-charts",
            "--no-bom",
            "--out",
        ])
        .arg(&dir)
        .status()
        .expect("the binary runs");
    assert!(st.success());
    let csv = std::fs::read_to_string(dir.join("plan-edited/summary.csv")).expect("summary.csv");
    assert_eq!(
        csv, summary,
        "the saved scenario reproduces the page's numbers"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
