//! `tanfeng template` and `tanfeng import`: the input workbook of a scenario and its way back
//! into a scenario file (issue 23). Each writes one file, complete or not at all.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::load::{is_workbook, prepare, read_scenario};
use crate::present::io::{Payload, write_file};
use crate::scenario::embedded;
use crate::workbook::import::import_path;
use crate::workbook::template::{TemplateSource, template_xlsx};

/// `tanfeng template <scenario> --out FILE.xlsx`.
pub fn template(spec: &str, out: &Path, quiet: bool) -> Result<()> {
    if !is_workbook(&out.display().to_string()) {
        bail!(
            "--out {}: the template is an Excel workbook; give a file name ending in .xlsx",
            out.display()
        );
    }
    if is_workbook(spec) {
        bail!("{spec} is a workbook; a template is made from a scenario file or a shipped id");
    }
    let loaded = prepare(read_scenario(spec)?, None)?;
    let extends = if embedded::find(spec).is_some() && !Path::new(spec).is_file() {
        spec.to_string()
    } else {
        std::fs::canonicalize(spec)
            .with_context(|| format!("finding the full path of {spec}"))?
            .display()
            .to_string()
    };
    let src = TemplateSource {
        extends,
        program: super::program(),
    };
    let bytes = template_xlsx(&loaded.scenario, &src)
        .with_context(|| format!("building the workbook {}", out.display()))?;
    write_file(out, &Payload::from(bytes))?;
    if !quiet {
        outln!(
            "{}: template of '{}' ({} inputs); fill in the sheet 基年统计 Yearbook, then `tanfeng run {}` or `tanfeng import {} -o child.toml`",
            out.display(),
            loaded.scenario.meta.id,
            loaded.scenario.params.len(),
            out.display(),
            out.display()
        );
    }
    Ok(())
}

/// `tanfeng import FILE.xlsx -o child.toml`: the child scenario is loaded and checked as a
/// run would before it is written.
pub fn import(workbook: &Path, out: &Path, quiet: bool) -> Result<()> {
    let file = workbook.display().to_string();
    let imported = import_path(workbook)?;
    let text = imported.child_toml(&file);
    let child = crate::scenario::load_str(&format!("{file} (imported)"), &text)?;
    prepare(child, None).with_context(|| format!("checking the scenario imported from {file}"))?;
    write_file(out, &Payload::from(text.into_bytes()))?;
    if !quiet {
        outln!(
            "{}: scenario '{}' extends '{}' with {} changed input(s){}",
            out.display(),
            imported.child_id(),
            imported.extends,
            imported.changed.len(),
            if imported.changed.is_empty() {
                String::new()
            } else {
                format!(
                    ": {}",
                    imported
                        .changed
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    Ok(())
}
