//! Loading a scenario for a command: file or shipped id → scenario, sampler and model, with
//! every error placed at its file position.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use crate::model::Model;
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
    let xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx && path.is_file() {
        return Ok(scenario::workbook::load_workbook(path)?);
    }
    if path.is_file() {
        return Ok(scenario::load_path(path)?);
    }
    if embedded::find(spec).is_some() {
        return Ok(scenario::load_embedded(spec)?);
    }
    if spec.ends_with(".toml") || xlsx || spec.contains('/') {
        bail!("cannot read scenario file {spec}: no such file");
    }
    Err(anyhow!(
        "'{spec}' is neither a scenario file nor a shipped scenario ({})",
        embedded::ids().join(", ")
    ))
}

/// Reads, applies a horizon override, and builds sampler and model.
pub fn load(spec: &str, horizon: Option<i32>) -> Result<Loaded> {
    let mut scenario = read_scenario(spec)?;
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
    let model = Model::new(&scenario).with_context(|| format!("building the model for {files}"))?;
    Ok(Loaded {
        scenario,
        sampler,
        model,
        dropped_targets,
    })
}
