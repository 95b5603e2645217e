//! The briefing's file edges: gathering what it shows from a run (drivers of the misses,
//! earlier sensitivity results) and turning it into the HTML and Word files of each language.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::load::Loaded;
use crate::analysis::drivers::{TargetDrivers, target_drivers};
use crate::engine::RunResult;
use crate::present::briefing::{self, Briefing, SensitivityRows, figure_png, outputs};

/// Draws the target separation of the summary is computed on (the run's first draws): enough
/// for medians and quartiles of the met and missed groups, and a few tens of milliseconds.
pub const DRIVER_DRAWS: usize = 4_000;
/// Inputs kept per target.
pub const DRIVER_INPUTS: usize = 5;

/// What separates met from missed draws of each target, or nothing (with a note on stderr
/// unless `quiet`) when it cannot be computed.
pub fn drivers(loaded: &Loaded, result: &RunResult, quiet: bool) -> Vec<TargetDrivers> {
    match target_drivers(result, &loaded.sampler, DRIVER_DRAWS, DRIVER_INPUTS) {
        Ok(d) => d,
        Err(e) => {
            if !quiet {
                eprintln!(
                    "note: the briefing names no drivers of the misses of '{}': {e}",
                    result.scenario_id
                );
            }
            Vec::new()
        }
    }
}

/// The rank sensitivity of `scenario` left by `tanfeng sensitivity` in `dir`
/// (`sensitivity_rank.csv`), top inputs of each indicator that has a target; nothing when the
/// file is absent or unreadable (the briefing then says how to run it).
pub fn earlier_sensitivity(
    dir: &Path,
    scenario: &str,
    indicators: &[&str],
) -> Vec<SensitivityRows> {
    let Ok(mut r) = csv::Reader::from_path(dir.join("sensitivity_rank.csv")) else {
        return Vec::new();
    };
    let mut out: Vec<SensitivityRows> = Vec::new();
    for rec in r.records().flatten() {
        let (Some(ind), Some(input), Some(srrc), Some(r2)) =
            (rec.get(0), rec.get(1), rec.get(3), rec.get(4))
        else {
            continue;
        };
        if !indicators.contains(&ind) {
            continue;
        }
        let (Ok(srrc), r2) = (srrc.parse::<f64>(), r2.parse::<f64>().unwrap_or(f64::NAN)) else {
            continue;
        };
        match out.iter_mut().find(|x| x.indicator == ind) {
            Some(x) => {
                if x.inputs.len() < DRIVER_INPUTS {
                    x.inputs.push((input.to_string(), srrc));
                }
            }
            None => out.push(SensitivityRows {
                scenario: scenario.to_string(),
                indicator: ind.to_string(),
                inputs: vec![(input.to_string(), srrc)],
                r_squared: r2,
            }),
        }
    }
    out
}

/// The briefing documents (HTML and .docx per language, see [`outputs`]) as (file name in the
/// result folder, bytes). Reads the PNGs the Word documents embed from where the figures were
/// rendered (the writer's staging folder).
pub fn documents(b: &Briefing<'_>) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let outs = outputs(&b.langs);
    let mut pngs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for o in &outs {
        for fig in b.figures {
            if let Some(p) = figure_png(fig, o.lang)
                && !pngs.iter().any(|(q, _)| q == p)
            {
                let bytes =
                    std::fs::read(p).with_context(|| format!("reading chart {}", p.display()))?;
                pngs.push((p.clone(), bytes));
            }
        }
    }
    let mut files = Vec::new();
    for o in outs {
        files.push((
            PathBuf::from(o.html),
            briefing::html::page(b, o.lang).into_bytes(),
        ));
        let docx = briefing::docx::document(b, o.lang, &pngs)
            .with_context(|| format!("making {}", o.docx))?;
        files.push((PathBuf::from(o.docx), docx));
    }
    Ok(files)
}
