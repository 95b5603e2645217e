//! Handlers of `template` (scenario → input workbook) and `import` (filled workbook → child
//! scenario TOML).

use std::path::Path;

use anyhow::{Context, Result};

use super::load::read_scenario;
use crate::present::io::write_atomic;
use crate::present::template::template_bytes;
use crate::scenario::workbook;

/// How the template records its scenario for `extends`: a shipped id as it is, a file as its
/// absolute path (so the child works wherever it is written).
fn parent_spec(spec: &str) -> String {
    let p = Path::new(spec);
    if p.is_file() {
        return std::fs::canonicalize(p)
            .map_or_else(|_| spec.to_string(), |a| a.display().to_string());
    }
    spec.to_string()
}

/// `tanfeng template <scenario> --out FILE.xlsx`: writes the input workbook; returns the
/// number of input rows.
pub fn template(scenario: &str, out: &Path) -> Result<usize> {
    let s = read_scenario(scenario)?;
    let bytes = template_bytes(&s, &parent_spec(scenario))
        .with_context(|| format!("building the template of {scenario}"))?;
    write_atomic(out, &bytes)?;
    Ok(s.params.len())
}

/// `tanfeng import FILE.xlsx -o child.toml`: checks the workbook, builds the child scenario,
/// loads it (so a bad value is caught here) and only then writes it. Returns the changed inputs.
pub fn import(file: &Path, out: &Path) -> Result<Vec<String>> {
    let imported = workbook::import(file)?;
    // The child must load as a scenario from where it will be written.
    crate::scenario::load_str(&out.display().to_string(), &imported.toml)
        .with_context(|| format!("checking the scenario imported from {}", file.display()))?;
    write_atomic(out, imported.toml.as_bytes())?;
    Ok(imported.changed)
}
