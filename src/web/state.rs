//! Server state and one update: the bounded run queue (one run at a time, a bounded number
//! waiting, stale runs of a page dropped before they start), the cache of parent runs, and the
//! computation of the results the page shows, through the engine's and analysis' public API and
//! the chart code's SVG files.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use super::WebError;
use super::levers::{Change, Edit, apply_edits, edited_id, edited_toml};
use crate::analysis::compare::{PairedDiff, attainment, paired_differences};
use crate::analysis::sensitivity::{rank_sensitivity, run_draws};
use crate::analysis::stats::Z95;
use crate::analysis::summary::{RunSummary, summarize};
use crate::cli::load::Loaded;
use crate::engine::{RunConfig, RunResult};
use crate::model::Model;
use crate::present::charts::{Label, Lang, ScenarioKey};
use crate::present::figures::{self, ChartKind, FigureSpec, LangFont, RunView};
use crate::present::tables::{self, CsvFlavor};
use crate::present::units::format_value;
use crate::scenario::{self, Scenario, embedded};
use crate::uncertainty::Sampler;

/// Limits of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest request body (bytes).
    pub body_bytes: usize,
    /// Largest draw count of one update.
    pub max_draws: u64,
    /// Runs at the same time (each uses every core through rayon).
    pub running: usize,
    /// Runs waiting at most; more are refused with 503.
    pub waiting: usize,
    /// Draws of the rank sensitivity (top drivers) at most.
    pub driver_draws: u64,
    /// Uploaded scenarios kept (oldest dropped first).
    pub uploads: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 256 * 1024,
            max_draws: 50_000,
            running: 1,
            waiting: 8,
            driver_draws: 2_000,
            uploads: 16,
        }
    }
}

/// A run of a scenario, kept whole for the figures.
#[derive(Debug)]
pub struct Ran {
    /// Scenario, sampler and model.
    pub loaded: Loaded,
    /// Results.
    pub result: RunResult,
    /// Summary.
    pub summary: RunSummary,
}

/// Cache key of a parent run: scenario key, seed, draws.
type ParentKey = (String, u64, u64);

/// Shared state of the server.
#[derive(Debug)]
pub struct AppState {
    /// Limits.
    pub limits: Limits,
    /// Chart fonts per language (Chinese falls back to English without a CJK font).
    pub fonts: Vec<LangFont>,
    /// Font warning, if any.
    pub font_warning: Option<String>,
    gate: Semaphore,
    waiting: AtomicUsize,
    latest: Mutex<HashMap<String, u64>>,
    parents: Mutex<Vec<(ParentKey, Arc<Ran>)>>,
    uploads: Mutex<Vec<(String, String)>>,
    counter: AtomicU64,
}

/// One update asked for by the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Shipped scenario id or an uploaded scenario's key.
    pub scenario: String,
    /// Lever edits.
    #[serde(default)]
    pub edits: Vec<Edit>,
    /// Draws.
    #[serde(default = "default_draws")]
    pub draws: u64,
    /// Seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// `zh` or `en` (charts).
    #[serde(default)]
    pub lang: Option<String>,
    /// The page's id, so a newer change can drop its older queued runs.
    #[serde(default)]
    pub client: Option<String>,
    /// Sequence number of the change within the page.
    #[serde(default)]
    pub seq: Option<u64>,
    /// Draw charts (off for the benchmark and tests that only need numbers).
    #[serde(default = "yes")]
    pub charts: bool,
}

fn default_draws() -> u64 {
    crate::cli::DEFAULT_DRAWS
}
fn default_seed() -> u64 {
    crate::cli::DEFAULT_SEED
}
fn yes() -> bool {
    true
}

/// One target: the parent's and the edited scenario's probability and their paired difference.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Target id.
    pub target: String,
    /// Indicator.
    pub indicator: String,
    /// The target in words for the page, Chinese ("NOx 重点工程减排量 ≥ 6300 吨").
    pub name_zh: String,
    /// The target in words, English ("NOx key-project reduction ≥ 6,300 t").
    pub name_en: String,
    /// Year.
    pub year: i32,
    /// Parent: P(met), Wilson 95 % interval.
    pub parent: (f64, f64, f64),
    /// Edited: P(met), Wilson 95 % interval.
    pub edited: (f64, f64, f64),
    /// Edited − parent, draw by draw (common random numbers): mean and normal 95 % interval.
    pub difference: (f64, f64, f64),
}

/// A top driver of the CO₂-intensity change.
#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    /// Input id.
    pub input: String,
    /// Chinese name of the input (scenario::names).
    pub name_zh: String,
    /// English name of the input.
    pub name_en: String,
    /// Standardized rank regression coefficient.
    pub srrc: f64,
    /// Spearman correlation.
    pub spearman: f64,
}

/// A chart as inline SVG.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// File stem.
    pub name: String,
    /// Caption in the page's language.
    pub caption: String,
    /// SVG text.
    pub svg: String,
}

/// Everything the page shows after a change.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    /// Parent id.
    pub parent: String,
    /// Edited scenario id.
    pub scenario: String,
    /// Draws and seed.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Inputs changed.
    pub changed: Vec<String>,
    /// Attainment table.
    pub targets: Vec<TargetRow>,
    /// Paired differences of the horizon indicators.
    pub differences: Vec<PairedDiff>,
    /// Top drivers (rank sensitivity of the CO₂-intensity change).
    pub drivers: Vec<Driver>,
    /// Draws of the rank sensitivity.
    pub driver_draws: u64,
    /// Charts.
    pub charts: Vec<Chart>,
    /// `summary.csv` of the edited scenario, byte for byte what `tanfeng run --no-bom` writes.
    pub summary_csv: String,
    /// The scenario file of the edits (empty without edits).
    pub toml: String,
    /// Seconds for the whole update.
    pub seconds: f64,
}

/// Position `line:column` of a loader message about file `name`.
fn position(name: &str, message: &str) -> (Option<usize>, Option<usize>) {
    let Some(rest) = message.strip_prefix(name).and_then(|r| r.strip_prefix(':')) else {
        return (None, None);
    };
    let mut it = rest.splitn(3, ':');
    let line = it.next().and_then(|x| x.parse().ok());
    let col = it.next().and_then(|x| x.trim().parse().ok());
    (line, col)
}

/// A loader error as a [`WebError`] with its line and column in `name`.
pub fn scenario_error(name: &str, e: &dyn std::fmt::Display) -> WebError {
    let message = e.to_string();
    let (line, column) = position(name, &message);
    WebError::Scenario {
        message,
        line,
        column,
    }
}

/// Sampler and model of a loaded scenario (as `cli::load` builds them).
pub fn ready(scenario: Scenario, name: &str) -> Result<Loaded, WebError> {
    let sampler = Sampler::new(&scenario).map_err(|e| WebError::Scenario {
        message: crate::cli::place_sampler_error(&scenario, &e),
        line: None,
        column: None,
    })?;
    let model = Model::new(&scenario).map_err(|e| scenario_error(name, &e))?;
    Ok(Loaded {
        scenario,
        sampler,
        model,
        dropped_targets: Vec::new(),
    })
}

/// The `extends` of an uploaded file must be a shipped scenario's id: anything else (a path,
/// `../x.toml`) is refused before the loader could read a file of the server's disk.
pub fn check_upload_extends(text: &str) -> Result<(), WebError> {
    let Ok(table) = text.parse::<toml::Table>() else {
        // Syntax errors are reported by the loader with their position.
        return Ok(());
    };
    let ext = table
        .get("scenario")
        .and_then(|s| s.get("extends"))
        .map(|e| e.as_str().map(str::to_string));
    match ext {
        None => Ok(()),
        Some(Some(p)) if embedded::find(&p).is_some() => Ok(()),
        Some(p) => Err(WebError::BadRequest(format!(
            "an uploaded scenario may extend only a shipped scenario ({}); it names {}",
            embedded::ids().join(", "),
            p.map_or("a non-string".to_string(), |p| format!("'{p}'"))
        ))),
    }
}

/// File name under which uploads are loaded (shown in loader messages).
pub const UPLOAD_NAME: &str = "upload.toml";

impl AppState {
    /// State with fonts chosen for both languages.
    pub fn new(limits: Limits) -> anyhow::Result<Arc<AppState>> {
        let (fonts, font_warning) = figures::choose_fonts(&[Lang::Zh, Lang::En], None)?;
        Ok(Arc::new(AppState {
            gate: Semaphore::new(limits.running.max(1)),
            limits,
            fonts,
            font_warning,
            waiting: AtomicUsize::new(0),
            latest: Mutex::new(HashMap::new()),
            parents: Mutex::new(Vec::new()),
            uploads: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
        }))
    }

    /// Stores an uploaded scenario text after it loaded; returns its key.
    pub fn store_upload(&self, text: String, id: &str) -> String {
        use sha2::Digest as _;
        let h = sha2::Sha256::digest(text.as_bytes());
        let key = format!(
            "upload:{id}:{}",
            h.iter()
                .take(4)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let mut u = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        u.retain(|(k, _)| *k != key);
        u.push((key.clone(), text));
        let max = self.limits.uploads.max(1);
        if u.len() > max {
            let extra = u.len() - max;
            u.drain(..extra);
        }
        key
    }

    /// The text of the uploaded scenario stored under `key`, if any.
    fn upload_text(&self, key: &str) -> Option<String> {
        self.uploads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t.clone())
    }

    /// Loads a shipped scenario or a stored upload.
    pub fn load_parent(&self, key: &str) -> Result<Loaded, WebError> {
        if let Some(f) = embedded::find(key) {
            let s = scenario::load_embedded(f.id).map_err(|e| scenario_error("", &e))?;
            return ready(s, "");
        }
        match self.upload_text(key) {
            Some(t) => {
                let s = scenario::load_str(UPLOAD_NAME, &t)
                    .map_err(|e| scenario_error(UPLOAD_NAME, &e))?;
                ready(s, UPLOAD_NAME)
            }
            None => Err(WebError::UnknownScenario {
                id: key.to_string(),
                known: embedded::ids().join(", "),
            }),
        }
    }

    /// Waits for a run slot (refusing when too many wait), drops the run if a newer change of
    /// the same page arrived meanwhile, then computes on a blocking thread.
    pub async fn queued_update(self: &Arc<Self>, req: RunRequest) -> Result<Update, WebError> {
        self.queued(req, |st, req| st.update(req)).await
    }

    /// The briefing of the edited scenario, queued like an update: `tanfeng run` of the file
    /// "save as scenario" gives (same seed and draws), zipped (file name, bytes).
    pub async fn queued_briefing(
        self: &Arc<Self>,
        req: RunRequest,
    ) -> Result<(String, Vec<u8>), WebError> {
        self.queued(req, |st, req| st.briefing(req)).await
    }

    /// Runs `job` in a bounded run slot (refusing when too many wait; dropped when a newer
    /// change of the same page came in while it waited).
    async fn queued<T: Send + 'static>(
        self: &Arc<Self>,
        req: RunRequest,
        job: fn(&AppState, &RunRequest) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        self.check_request(&req)?;
        if let (Some(c), Some(s)) = (&req.client, req.seq) {
            let mut l = self.latest.lock().unwrap_or_else(|e| e.into_inner());
            if l.len() > 4096 {
                l.clear();
            }
            let e = l.entry(c.clone()).or_insert(s);
            *e = (*e).max(s);
        }
        let waiting = self.waiting.fetch_add(1, Ordering::SeqCst);
        if waiting >= self.limits.waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(WebError::Busy(waiting));
        }
        let permit = self.gate.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|e| WebError::Internal(e.to_string()))?;
        if let (Some(c), Some(s)) = (&req.client, req.seq) {
            let l = self.latest.lock().unwrap_or_else(|e| e.into_inner());
            if l.get(c).is_some_and(|&newest| newest > s) {
                return Err(WebError::Superseded);
            }
        }
        let me = Arc::clone(self);
        let out = tokio::task::spawn_blocking(move || job(&me, &req))
            .await
            .map_err(|e| WebError::Internal(format!("the run failed: {e}")))?;
        drop(permit);
        out
    }

    /// The briefing (HTML and .docx in both languages), charts, tables (CSV with a byte-order
    /// mark, and `results.xlsx`) of the edited scenario as a zip: the saved scenario file run through `tanfeng run` into a temporary folder.
    pub fn briefing(&self, req: &RunRequest) -> Result<(String, Vec<u8>), WebError> {
        let internal = |e: &dyn std::fmt::Display| WebError::Internal(format!("briefing: {e}"));
        let parent = self.load_parent(&req.scenario)?;
        let (text, changes, _) = self.edited(&parent.scenario, &req.scenario, &req.edits)?;
        let tmp = tempfile::tempdir().map_err(|e| internal(&e))?;
        let scenario = if !changes.is_empty() {
            let path = tmp
                .path()
                .join(format!("{}.toml", edited_id(&req.scenario)));
            std::fs::write(&path, &text).map_err(|e| internal(&e))?;
            path.display().to_string()
        } else if embedded::find(&req.scenario).is_some() {
            req.scenario.clone()
        } else {
            let text =
                self.upload_text(&req.scenario)
                    .ok_or_else(|| WebError::UnknownScenario {
                        id: req.scenario.clone(),
                        known: embedded::ids().join(", "),
                    })?;
            let path = tmp.path().join(UPLOAD_NAME);
            std::fs::write(&path, text).map_err(|e| internal(&e))?;
            path.display().to_string()
        };
        let o = crate::cli::RunOptions {
            scenario,
            draws: req.draws,
            seed: req.seed,
            threads: None,
            horizon: None,
            out: tmp.path().join("out"),
            csv: CsvFlavor::Bom,
            xlsx: true,
            format: crate::cli::Format::Table,
            quiet: true,
            charts: crate::cli::ChartOptions::new(crate::cli::ChartLang::Both, None, false),
        };
        let run = crate::cli::run_scenario(&o).map_err(|e| internal(&format!("{e:#}")))?;
        let id = run.result.scenario_id.clone();
        let bytes = zip_folder(&run.dir, &id).map_err(|e| internal(&e))?;
        Ok((format!("{id}-briefing.zip"), bytes))
    }

    /// Checks a request's numbers before it is queued.
    pub fn check_request(&self, req: &RunRequest) -> Result<(), WebError> {
        if req.draws < 2 || req.draws > self.limits.max_draws {
            return Err(WebError::BadRequest(format!(
                "draws must be between 2 and {}, got {}",
                self.limits.max_draws, req.draws
            )));
        }
        if let Some(l) = req.lang.as_deref().filter(|l| *l != "zh" && *l != "en") {
            return Err(WebError::BadRequest(format!(
                "lang must be 'zh' or 'en', got '{l}'"
            )));
        }
        Ok(())
    }

    /// The parent's run (cached per scenario, seed and draws; a few kept).
    fn parent_run(&self, key: &str, seed: u64, draws: u64) -> Result<Arc<Ran>, WebError> {
        let k = (key.to_string(), seed, draws);
        if let Some((_, r)) = self
            .parents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(kk, _)| *kk == k)
        {
            return Ok(Arc::clone(r));
        }
        let loaded = self.load_parent(key)?;
        let ran = Arc::new(run(loaded, seed, draws)?);
        let mut p = self.parents.lock().unwrap_or_else(|e| e.into_inner());
        p.push((k, Arc::clone(&ran)));
        if p.len() > 6 {
            p.remove(0);
        }
        Ok(ran)
    }

    /// The edited scenario: its file text, changes, and the scenario loaded from that text.
    pub fn edited(
        &self,
        parent: &Scenario,
        parent_key: &str,
        edits: &[Edit],
    ) -> Result<(String, Vec<Change>, Option<Loaded>), WebError> {
        let changes = apply_edits(parent, edits)?;
        if changes.is_empty() {
            return Ok((String::new(), changes, None));
        }
        if embedded::find(parent_key).is_none() {
            return Err(WebError::BadRequest(
                "levers move shipped scenarios only; edit an uploaded file itself and upload it again".into(),
            ));
        }
        let text = edited_toml(parent, &changes, &crate::cli::now_utc()[..10]);
        let name = format!("{}.toml", edited_id(parent_key));
        let s = scenario::load_str(&name, &text).map_err(|e| scenario_error(&name, &e))?;
        Ok((text, changes, Some(ready(s, &name)?)))
    }

    /// One update (blocking): parent (cached) and edited runs, attainment and paired
    /// differences, drivers, charts.
    pub fn update(&self, req: &RunRequest) -> Result<Update, WebError> {
        let start = Instant::now();
        let parent = self.parent_run(&req.scenario, req.seed, req.draws)?;
        let (toml, changes, edited) =
            self.edited(&parent.loaded.scenario, &req.scenario, &req.edits)?;
        let edited_run = match edited {
            Some(l) => Arc::new(run(l, req.seed, req.draws)?),
            None => Arc::clone(&parent),
        };
        let (p, e) = (&parent.result, &edited_run.result);
        let targets = target_rows(p, e);
        let differences = paired_differences(e, p);
        let driver_draws = req.draws.min(self.limits.driver_draws);
        let drivers = drivers(&edited_run.loaded, driver_draws, req.seed)?;
        let lang = match req.lang.as_deref() {
            Some("zh") => Lang::Zh,
            _ => Lang::En,
        };
        let charts = if req.charts {
            self.charts(&parent, &edited_run, lang, req)?
        } else {
            Vec::new()
        };
        let summary_csv =
            String::from_utf8_lossy(&tables::summary_csv(&edited_run.summary, CsvFlavor::Plain))
                .into_owned();
        Ok(Update {
            parent: parent.loaded.scenario.meta.id.clone(),
            scenario: edited_run.loaded.scenario.meta.id.clone(),
            draws: req.draws,
            seed: req.seed,
            changed: changes.iter().map(|c| c.name.clone()).collect(),
            targets,
            differences,
            drivers,
            driver_draws,
            charts,
            summary_csv,
            toml,
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    /// Distribution panels of the CO₂-intensity change and the CO₂ fan, parent beside edited,
    /// drawn by the chart code into a temporary folder and read back as SVG.
    fn charts(
        &self,
        parent: &Ran,
        edited: &Ran,
        lang: Lang,
        req: &RunRequest,
    ) -> Result<Vec<Chart>, WebError> {
        let Some(font) = self
            .fonts
            .iter()
            .find(|f| f.lang == lang)
            .or(self.fonts.first())
        else {
            return Ok(Vec::new());
        };
        let keys = [key(0, &parent.loaded), key(1, &edited.loaded)];
        let mut runs = vec![(&parent, &keys[0])];
        if !std::ptr::eq(parent, edited) {
            runs.push((&edited, &keys[1]));
        }
        let views: Vec<RunView<'_>> = runs
            .iter()
            .map(|(r, k)| RunView {
                id: &r.loaded.scenario.meta.id,
                key: k,
                result: &r.result,
                summary: &r.summary,
            })
            .collect();
        let refs: Vec<&RunResult> = views.iter().map(|v| v.result).collect();
        let att = attainment(&refs);
        let mut specs: Vec<FigureSpec> = Vec::new();
        let panels = figures::panel_figures(&views);
        specs.extend(
            panels
                .into_iter()
                .filter(|s| s.name.contains("co2_intensity"))
                .take(1),
        );
        let fans = figures::compare_figures(&views, &att);
        specs.extend(
            fans.into_iter()
                .filter(|s| matches!(s.chart, ChartKind::Fan(_)) && s.name.contains("co2"))
                .take(1),
        );
        // The edited scenario's NOx ledger: what its projects cut and what growth adds.
        if let Some(v) = views.last() {
            let catalogue = figures::measure_catalogue(&views);
            specs.extend(
                figures::ledger_figures(v, &catalogue, v.id)
                    .into_iter()
                    .take(1),
            );
        }
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let dir: PathBuf =
            std::env::temp_dir().join(format!("tanfeng-serve-{}-{n}", std::process::id()));
        let names = views
            .iter()
            .map(|v| v.id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let program = crate::cli::program();
        let footer =
            |l: Lang, _: &FigureSpec| figures::footer(l, &names, req.seed, req.draws, &program);
        let report = figures::render_figures(
            &specs,
            &dir,
            std::slice::from_ref(font),
            &footer,
            crate::present::charts::PrintSize::Slide,
        );
        let mut out = Vec::new();
        if let Ok(report) = &report {
            for f in &report.figures {
                for (_, _, svg) in &f.files {
                    if let Ok(text) = std::fs::read_to_string(svg) {
                        out.push(Chart {
                            name: f.name.clone(),
                            caption: match lang {
                                Lang::Zh => f.caption.zh.clone(),
                                Lang::En => f.caption.en.clone(),
                            },
                            svg: text,
                        });
                    }
                }
            }
        }
        // Best effort: a temporary folder left behind is harmless.
        let _ = std::fs::remove_dir_all(&dir);
        report.map_err(|e| WebError::Internal(format!("charts: {e}")))?;
        Ok(out)
    }
}

fn key(order: usize, l: &Loaded) -> ScenarioKey {
    let m = &l.scenario.meta;
    ScenarioKey {
        order,
        label: Label::new(m.title_zh.clone(), m.title_en.clone()),
    }
}

/// Runs the engine (the same call as `tanfeng run`) and summarizes.
pub fn run(loaded: Loaded, seed: u64, draws: u64) -> Result<Ran, WebError> {
    let config = RunConfig {
        draws,
        seed,
        first_draw: 0,
    };
    let result = crate::engine::run(
        &loaded.scenario,
        &loaded.model,
        &loaded.sampler,
        config,
        &|_| {},
    )
    .map_err(|e| WebError::Internal(format!("run of '{}': {e}", loaded.scenario.meta.id)))?;
    let summary = summarize(&result);
    Ok(Ran {
        loaded,
        result,
        summary,
    })
}

/// Attainment of each target of the edited run beside the parent's, with the paired
/// difference of the met indicator draw by draw.
pub fn target_rows(p: &RunResult, e: &RunResult) -> Vec<TargetRow> {
    let att = attainment(&[p, e]);
    let cell = |sid: &str, tid: &str| {
        att.iter()
            .find(|a| a.scenario == sid && a.target == tid)
            .map_or((f64::NAN, f64::NAN, f64::NAN), |a| {
                (a.probability, a.low95, a.high95)
            })
    };
    let mut out = Vec::new();
    for (k, t) in e.targets.iter().enumerate() {
        let Some(kp) = p.targets.iter().position(|x| x.target.id == t.target.id) else {
            continue;
        };
        let (ve, vp) = (e.target_column(k), p.target_column(kp));
        let d: Vec<f64> = ve
            .iter()
            .zip(&vp)
            .map(|(a, b)| {
                f64::from(u8::from(t.target.is_met(*a)))
                    - f64::from(u8::from(p.targets[kp].target.is_met(*b)))
            })
            .collect();
        let n = d.len().max(1) as f64;
        let mean = d.iter().sum::<f64>() / n;
        let var = crate::analysis::compare::variance(&d);
        let half = if var.is_finite() {
            Z95 * (var / n).sqrt()
        } else {
            0.0
        };
        let (same_p, same_e) = (&p.scenario_id, &e.scenario_id);
        let parent = cell(same_p, &t.target.id);
        let edited = if same_p == same_e && std::ptr::eq(p, e) {
            parent
        } else {
            // Attainment rows of the edited run (its id may equal the parent's for uploads).
            let r = attainment(&[e]);
            r.iter()
                .find(|a| a.target == t.target.id)
                .map_or(parent, |a| (a.probability, a.low95, a.high95))
        };
        let def = e.indicators.get(t.indicator);
        let words = |lang: Lang| {
            let (name, unit) = def.map_or((t.target.id.as_str(), None), |d| {
                (
                    if lang == Lang::Zh {
                        d.label_zh
                    } else {
                        d.label_en
                    },
                    Some(d.unit),
                )
            });
            let v = format_value(t.target.threshold, unit, lang);
            format!("{name} {} {v}", t.target.comparison.sign())
        };
        out.push(TargetRow {
            target: t.target.id.clone(),
            indicator: t.target.indicator.clone(),
            name_zh: words(Lang::Zh),
            name_en: words(Lang::En),
            year: t.target.year,
            parent,
            edited,
            difference: (mean, mean - half, mean + half),
        });
    }
    out
}

/// Top drivers of the CO₂-intensity change (rank sensitivity on `draws` draws, the same draws
/// as the run).
fn drivers(l: &Loaded, draws: u64, seed: u64) -> Result<Vec<Driver>, WebError> {
    let ds = run_draws(&l.scenario, &l.model, &l.sampler, draws.max(2), seed)
        .map_err(|e| WebError::Internal(format!("sensitivity: {e}")))?;
    let Some(i) = ds
        .indicator_names
        .iter()
        .position(|n| *n == "co2_intensity_change")
    else {
        return Ok(Vec::new());
    };
    let r = rank_sensitivity(&ds, Some(i))
        .map_err(|e| WebError::Internal(format!("sensitivity: {e}")))?;
    let Some(ri) = r.indicators.first() else {
        return Ok(Vec::new());
    };
    Ok(ri
        .order()
        .into_iter()
        .take(8)
        .map(|j| {
            let (name_zh, name_en) = crate::scenario::names::input_name(&ds.names[j]);
            Driver {
                input: ds.names[j].clone(),
                name_zh,
                name_en,
                srrc: ri.srrc[j],
                spearman: ri.spearman[j],
            }
        })
        .collect())
}

/// Every file under `dir` in a zip, under `<top>/`, in sorted order (same folder, same bytes).
fn zip_folder(dir: &std::path::Path, top: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for f in files {
        let rel = f.strip_prefix(dir)?;
        let name = format!("{top}/{}", rel.to_string_lossy().replace('\\', "/"));
        w.start_file(name, opts)?;
        std::io::Write::write_all(&mut w, &std::fs::read(&f)?)?;
    }
    Ok(w.finish()?.into_inner())
}
