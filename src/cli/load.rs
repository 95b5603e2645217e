//! Loading a scenario for a command: file or shipped id → scenario, sampler and model, with
//! every error placed at its file position.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use crate::engine::EngineError;
use crate::model::{Model, ModelError};
use crate::scenario::{self, Scenario, embedded, load::MAX_HORIZON};
use crate::uncertainty::Sampler;

/// A scenario ready to run.
#[derive(Debug)]
pub struct Loaded {
    /// The resolved scenario.
    pub scenario: Scenario,
    /// Its sampler.
    pub sampler: Sampler,
    /// Its model.
    pub model: Model,
    /// Targets dropped because they lie beyond an overridden horizon.
    pub dropped_targets: Vec<String>,
}

/// Reads a scenario from a file path or a shipped id.
pub fn read_scenario(spec: &str) -> Result<Scenario> {
    let path = Path::new(spec);
    if is_workbook(spec) {
        return read_workbook(path);
    }
    if path.is_file() {
        return Ok(scenario::load_path(path)?);
    }
    if embedded::find(spec).is_some() {
        return Ok(scenario::load_embedded(spec)?);
    }
    if spec.ends_with(".toml") || spec.contains('/') {
        bail!("cannot read scenario file {spec}: no such file");
    }
    Err(anyhow!(
        "'{spec}' is neither a scenario file nor a shipped scenario ({})",
        embedded::ids().join(", ")
    ))
}

/// Whether a scenario argument names an Excel workbook (`.xlsx`, any case).
pub fn is_workbook(spec: &str) -> bool {
    Path::new(spec)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// A filled-in template read as the child scenario `tanfeng import` would write.
pub fn read_workbook(path: &Path) -> Result<Scenario> {
    let file = path.display().to_string();
    let imported = crate::workbook::import::import_path(path)?;
    let text = imported.child_toml(&file);
    Ok(scenario::load_str(&format!("{file} (imported)"), &text)?)
}

/// Reads, applies a horizon override, and builds sampler and model.
pub fn load(spec: &str, horizon: Option<i32>) -> Result<Loaded> {
    prepare(read_scenario(spec)?, horizon)
}

/// Applies a horizon override to a read scenario and makes every check a run makes: builds
/// sampler and model, and resolves the targets against the model.
pub fn prepare(mut scenario: Scenario, horizon: Option<i32>) -> Result<Loaded> {
    let mut dropped_targets = Vec::new();
    if let Some(h) = horizon {
        let base = scenario.meta.base_year;
        if h <= base || h > MAX_HORIZON {
            bail!(
                "--horizon {h} is outside the allowed range {}–{MAX_HORIZON} (after the base year {base})",
                base + 1
            );
        }
        scenario.meta.horizon = h;
        scenario.targets.retain(|t| {
            let keep = t.year <= h;
            if !keep {
                dropped_targets.push(format!("{} ({})", t.id, t.year));
            }
            keep
        });
    }
    let files = scenario.files.join(" ← ");
    let sampler = Sampler::new(&scenario)
        .map_err(|e| anyhow!(super::place_sampler_error(&scenario, &e)))
        .with_context(|| format!("checking the distributions of {files}"))?;
    let model = Model::new(&scenario)
        .map_err(|e| anyhow!(place_model_error(&scenario, &e)))
        .with_context(|| format!("building the model for {files}"))?;
    crate::engine::resolve_targets(&model, &scenario.targets)
        .map_err(|e| anyhow!(place_engine_error(&scenario, &e)))
        .with_context(|| format!("checking the targets of {files}"))?;
    Ok(Loaded {
        scenario,
        sampler,
        model,
        dropped_targets,
    })
}

/// Places a model error at the file position of the input it names.
pub fn place_model_error(s: &Scenario, e: &ModelError) -> String {
    let text = e.to_string();
    let name = match e {
        ModelError::MissingInput { name, .. } | ModelError::BadInput { name, .. } => name,
    };
    let pos = s.param(name).and_then(|p| p.pos.clone()).or_else(|| {
        let prefix = name.trim_end_matches('*');
        s.params
            .iter()
            .find(|p| p.name.starts_with(prefix))
            .and_then(|p| p.pos.clone())
    });
    match pos {
        Some(pos) => format!("{pos}: key '{name}': {text}"),
        None => text,
    }
}

/// Places a target the model cannot check (unknown indicator, year outside the simulated
/// years) at the file position of its key.
pub fn place_engine_error(s: &Scenario, e: &EngineError) -> String {
    let text = e.to_string();
    let (target, key) = match e {
        EngineError::UnknownIndicator { target, .. } => (target, "indicator"),
        EngineError::TargetYear { target, .. } => (target, "year"),
        _ => return text,
    };
    let Some(at) = s.target_pos.get(target) else {
        return text;
    };
    let pos = match key {
        "indicator" => at.indicator.as_ref(),
        _ => at.year.as_ref(),
    }
    .unwrap_or(&at.table);
    format!("{pos}: key 'target.{key}': {text}")
}
